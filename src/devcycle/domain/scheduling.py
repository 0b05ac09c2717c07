"""Scheduling: date a template's milestones on a school calendar, for one person or many.

`plan` turns a `CycleTemplate`, a `SchoolCalendar` and a start date into a `Schedule`: the
period and every milestone on a school day. What it guarantees, for any valid template and
calendar (the property tests check each):

* every milestone falls on a school day, inside the period or the milestone's window;
* each milestone is placed by its own anchor, wherever it is listed in the template (a
  milestone a school adds out of date order is not pulled to its neighbour's date), and the
  schedule lists them in date order (template order where dates tie);
* the same inputs always give the same schedule; and a day closed in the calendar never
  receives a milestone;
* the calendar covers the period: a period that runs past the calendar's terms by more than a
  school holiday (`HOLIDAY_ALLOWANCE`) is refused with the uncovered span named, never
  squeezed onto the calendar's edge.

Pay milestones (``pay = true`` in the template) are scheduled only where pay is linked to
appraisal: the school's `Policy.pay_recommendations`, or else the template's ``pay_link``.

Cycle ids are unique per person, template and academic year (`cycle_id`): a mid-year joiner's
cycle keeps the academic year it was planned for, so next year's cycle never collides with it.
`plan_enrolment` compares what would be planned with what is stored, so that planning twice
creates nothing new, and seeds each new cycle with the objectives carried forward from the
person's previous one (`carry_forward`).

It also handles people: someone who joins mid-cycle gets the milestones still ahead (and, where
the template says so, a shortened period or one that starts when they join); part-time staff
get a pro-rata period where the template says so (ECT induction); and a long absence extends
the period where the template says so. `enrol` plans many people at once, chosen by role or
team; `at_a_glance` lists each person's next milestone and whether it is overdue.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

import attrs
from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from devcycle.domain.calendar import CalendarError, SchoolCalendar
from devcycle.domain.cycle import Cycle
from devcycle.domain.milestones import Milestone
from devcycle.domain.objectives import Objective, ObjectiveStatus
from devcycle.domain.people import Role, StaffMember
from devcycle.domain.school import Policy
from devcycle.domain.templates import (
    Adjust,
    Anchor,
    AnchorKind,
    CycleTemplate,
    JoinerPeriod,
    JoinerRule,
    MilestoneRule,
    OffsetUnit,
    RecurEach,
    Window,
)
from devcycle.errors import DomainError

__all__ = [
    "HOLIDAY_ALLOWANCE",
    "MIN_PRO_RATA_FTE",
    "Enrolment",
    "FTETooLowError",
    "JoinedAfterPeriodError",
    "NextMilestone",
    "Schedule",
    "SchedulingError",
    "academic_year",
    "apply_policy",
    "at_a_glance",
    "carry_forward",
    "cycle_id",
    "enrol",
    "plan",
    "plan_enrolment",
]

HOLIDAY_ALLOWANCE = timedelta(weeks=8)
"""The longest stretch of a period without a term that a calendar may leave uncovered.

A school holiday (the English summer holiday of about six weeks, the Australian summer of
about seven) may sit at the start or end of a period, or between two terms: a calendar whose
terms end in July covers a period to 31 August. A longer stretch means the calendar does not
cover the period (a January-to-December cycle on a September-to-July calendar), and `plan`
refuses it, naming the span, rather than piling milestones onto the calendar's last day."""

MIN_PRO_RATA_FTE = 0.1
"""The lowest FTE a pro-rata period is stretched for: ten times its full-time length.

A pro-rata template (the ECT induction) divides its period by the person's FTE, so a tiny
FTE would stretch it for centuries (0.001 made a two-year induction end in year 4027).
`plan` refuses an FTE below this on a pro-rata template, naming the person and what the
period would become, rather than dating milestones nobody will reach; an FTE that low is
almost always a mistyped roster (0.001 for 0.1, a percentage written as a fraction of
it). Templates that are not pro rata take any FTE above 0."""

_ID_LIMIT = 128
_DIGEST = 16


class SchedulingError(DomainError):
    """A template cannot be dated on a calendar (too few terms, an empty window...)."""


class FTETooLowError(SchedulingError):
    """A person's FTE is below `MIN_PRO_RATA_FTE` on a pro-rata template.

    Attributes:
        staff_id: Who (None when planned for no one in particular).
        fte: Their FTE.
    """

    def __init__(self, message: str, *, staff_id: str | None, fte: float) -> None:
        super().__init__(message)
        self.staff_id = staff_id
        self.fte = fte


class JoinedAfterPeriodError(SchedulingError):
    """A person joined after the last school day of the period they would be planned in.

    Attributes:
        staff_id: Who (None when planned for no one in particular).
        joined: The day they joined (their ``start_date``).
    """

    def __init__(self, message: str, *, staff_id: str | None, joined: date) -> None:
        super().__init__(message)
        self.staff_id = staff_id
        self.joined = joined


@attrs.frozen
class Schedule:
    """A template dated for one person: the period and its milestones, in date order.

    Attributes:
        template_id: The template it was planned from.
        period_start: The first day of the person's period.
        period_end: The last day of the person's period.
        milestones: Dated milestones, in date order (template order where dates tie).
        staff_id: The person, if planned for one.
        calendar_name: The calendar the dates come from.
        approximate: Whether that calendar is an approximation (check the real dates).
        notes: How the schedule was adjusted (joiner, pro rata, extension, pay).
        academic_year: The year the template's usual period starts in for this schedule
            (2026 for 2026/27), also for a joiner whose own period starts later; it keys
            the cycle's id. None for schedules made before it was recorded.
        pay_link: Whether pay is linked to appraisal in this schedule: its pay milestones
            are included and a cycle made from it may record a pay recommendation.
    """

    template_id: str
    period_start: date
    period_end: date
    milestones: tuple[Milestone, ...]
    staff_id: str | None = None
    calendar_name: str = ""
    approximate: bool = False
    notes: tuple[str, ...] = ()
    academic_year: int | None = None
    pay_link: bool = False

    def to_cycle(
        self,
        *,
        school_id: str,
        by: str,
        on: date,
        cycle_id: str | None = None,
        staff_id: str | None = None,
        reviewer_id: str | None = None,
    ) -> Cycle:
        """Return a new draft `Cycle` with this schedule's period and milestones.

        Args:
            school_id: The school (the tenant).
            by: Who planned it, for the cycle's history.
            on: When it was planned.
            cycle_id: The cycle's id; by default `cycle_id` of the person, the template and
                the schedule's academic year.
            staff_id: The reviewee; by default the schedule's person.
            reviewer_id: The reviewer, if known.

        Raises:
            SchedulingError: If the schedule has no person and *staff_id* is not given.
        """
        person = staff_id or self.staff_id
        if person is None:
            msg = "to_cycle needs a staff_id: the schedule was not planned for a person"
            raise SchedulingError(msg)
        year = self.academic_year if self.academic_year is not None else self.period_start.year
        cycle = Cycle(
            id=cycle_id or _cycle_id(person, self.template_id, year),
            school_id=school_id,
            staff_id=person,
            reviewer_id=reviewer_id,
            period_start=self.period_start,
            period_end=self.period_end,
            template_id=self.template_id,
            pay_recommendations=self.pay_link,
        )
        cycle.set_milestones(self.milestones, by=by, on=on)
        return cycle


def academic_year(template: CycleTemplate, start: date) -> int:
    """Return the year whose usual period start (the template's ``start``) is on or before *start*.

    2026 for any start from 1 September 2026 to 31 August 2027 on an English template; the
    calendar year itself for a template starting on 1 January (Australia).
    """
    month, day = template.period.month_day
    return start.year if (start.month, start.day) >= (month, day) else start.year - 1


def cycle_id(staff_id: str, template_id: str, year: int) -> str:
    """Return the id of *staff_id*'s cycle from *template_id* for academic *year*.

    The scheme is ``{year}-{staff id}-{template id}`` ("2026-T042-england-teacher"), where
    *year* is the academic year the cycle was planned for (`Schedule.academic_year`), not
    the year its own period starts: a joiner who starts in January 2027 gets a 2026 cycle,
    so that the 2027 enrolment plans them a new one. When that would pass the 128 characters
    an id may have, the id is ``{year}-{staff id, first 60}-{template id, first 30}+{digest}``,
    the digest being the first 16 hex digits of SHA-256 of the staff and template ids: still
    one id per person, template and year, and at most 113 characters.

    For one template the ids of different people and years never collide. Across templates a
    staff id that ends like another template's id could in principle give the same id;
    `plan_enrolment` refuses such a clash (naming both) rather than treat one person's cycle
    as the other's. When the id is held by the same person's earlier cycle from the same
    template (a joiner's cycle stored under the old scheme, which used the year their own
    period started), `plan_enrolment` names the new cycle after its start date as well:
    ``{year}-{staff id}-{template id}.{YYYYMMDD}``.
    """
    return _cycle_id(staff_id, template_id, year)


def _cycle_id(staff_id: str, template_id: str, year: int) -> str:
    readable = f"{year:04d}-{staff_id}-{template_id}"
    if len(readable) <= _ID_LIMIT:
        return readable
    digest = hashlib.sha256(f"{staff_id}\0{template_id}".encode()).hexdigest()[:_DIGEST]
    return f"{year:04d}-{staff_id[:60]}-{template_id[:30]}+{digest}"


@attrs.frozen
class _Context:
    """Everything one planning run needs, resolved once."""

    template: CycleTemplate
    calendar: SchoolCalendar
    start: date
    end: date
    scale: float
    terms: tuple[tuple[date, date], ...]
    half_terms: tuple[tuple[date, date], ...]

    def scaled(self, index: int, *, at_start: bool = False) -> int:
        """Map the template's (full-time) term number to the person's, for pro rata.

        The end of full-time term N is the end of term ceil(N / FTE); the start of full-time
        term N is the start of the term after full-time term N - 1 ends.
        """
        if at_start:
            return math.ceil((index - 1) * self.scale - 1e-9) + 1
        return math.ceil(index * self.scale - 1e-9)


def _period(
    template: CycleTemplate,
    calendar: SchoolCalendar,
    start: date,
    *,
    scale: float,
    absence_days: int,
    extension_terms: int,
    notes: list[str],
) -> tuple[date, date]:
    period = template.period
    if extension_terms < 0 or absence_days < 0:
        msg = "extension_terms and absence_days must be 0 or more"
        raise SchedulingError(msg)
    if extension_terms and period.terms is None:
        msg = f"template {template.id!r} runs for months, not terms: it cannot be extended by terms"
        raise SchedulingError(msg)
    if period.months is not None:
        months = math.ceil(period.months * scale - 1e-9)
        end = start + relativedelta(months=months) - timedelta(days=1)
    else:
        assert period.terms is not None
        count = math.ceil(period.terms * scale - 1e-9) + extension_terms
        if extension_terms:
            notes.append(f"extended by {extension_terms} term(s)")
        terms = calendar.terms_from(start)
        if len(terms) < count:
            msg = (
                f"template {template.id!r} runs for {count} terms from {start}, but calendar "
                f"{calendar.name!r} has only {len(terms)}: use a calendar covering more years"
            )
            raise SchedulingError(msg)
        end = terms[count - 1].end
    if scale != 1:
        notes.append(f"pro rata: the period is scaled by 1/FTE ({scale:.2f}) for part-time work")
    threshold = period.extend_for_absence_days
    if threshold is not None and absence_days >= threshold:
        last = _safe(calendar.school_day_on_or_before, end, calendar, "the period's end")
        end = _safe(
            lambda d: calendar.add_school_days(d, absence_days),
            last,
            calendar,
            f"{absence_days} school days after the period's end",
        )
        notes.append(
            f"extended by {absence_days} school days for an absence of {absence_days} days "
            f"(the template extends at {threshold} or more)"
        )
    return start, end


def _safe(function: Callable[[date], date], day: date, calendar: SchoolCalendar, what: str) -> date:
    try:
        return function(day)
    except CalendarError:
        msg = f"calendar {calendar.name!r} does not reach {what} ({day}): it needs more terms"
        raise SchedulingError(msg) from None


_STARTS = (AnchorKind.PERIOD_START, AnchorKind.TERM_START, AnchorKind.HALF_TERM_START)


def _spans(context: _Context, kind: str, index: int, rule: MilestoneRule) -> tuple[date, date]:
    spans = context.terms if kind == "term" else context.half_terms
    position = context.scaled(index, at_start=rule.parsed_anchor.kind in _STARTS)
    if position > len(spans):
        word = "term" if kind == "term" else "half-term"
        msg = (
            f"milestone {rule.id!r} needs {word} {position} of the period from "
            f"{context.start}, but the period ({context.start} to {context.end}) has only "
            f"{len(spans)} on calendar {context.calendar.name!r}"
        )
        raise SchedulingError(msg)
    return spans[position - 1]


def _anchor_date(
    context: _Context, rule: MilestoneRule, anchor: Anchor, resolved: Mapping[str, date]
) -> date:
    kind = anchor.kind
    if kind is AnchorKind.PERIOD_START:
        return context.start
    if kind is AnchorKind.PERIOD_END:
        return context.end
    if kind is AnchorKind.DATE:
        candidate = date(context.start.year, anchor.month, anchor.day)
        return (
            candidate if candidate >= context.start else candidate.replace(year=candidate.year + 1)
        )
    if kind is AnchorKind.MILESTONE:
        return resolved[anchor.milestone]
    if kind in (AnchorKind.INSET, AnchorKind.TERM_INSET):
        return _inset_day(context, rule, anchor)
    span_kind = "term" if kind in (AnchorKind.TERM_START, AnchorKind.TERM_END) else "half_term"
    first, last = _spans(context, span_kind, anchor.index, rule)
    return first if kind in (AnchorKind.TERM_START, AnchorKind.HALF_TERM_START) else last


def _inset_day(context: _Context, rule: MilestoneRule, anchor: Anchor) -> date:
    """The INSET day an ``inset:N`` or ``term_inset:T:N`` anchor names, in the period.

    INSET days are counted as the calendar lists them (a closure on one does not renumber
    the rest: the milestone moves off the closed day by its adjust rule). For a term, the
    INSET days in the holiday just before it count as its own.
    """
    calendar = context.calendar
    first, last = context.start, context.end
    where = f"the period ({context.start} to {context.end})"
    if anchor.kind is AnchorKind.TERM_INSET:
        position = context.scaled(anchor.term, at_start=True)
        if position > len(context.terms):
            msg = (
                f"milestone {rule.id!r} is anchored on an INSET day of term {position} of "
                f"the period from {context.start}, but the period ({context.start} to "
                f"{context.end}) has only {len(context.terms)} term(s) on calendar "
                f"{calendar.name!r}"
            )
            raise SchedulingError(msg)
        if position > 1:
            first = context.terms[position - 2][1] + timedelta(days=1)
        last = min(last, context.terms[position - 1][1])
        where = f"term {position} of the period ({first} to {last})"
    days = [d for d in calendar.inset_days if first <= d <= last]
    if anchor.index > len(days):
        listed = ", ".join(d.isoformat() for d in days) or "none"
        msg = (
            f"milestone {rule.id!r} is anchored on INSET day {anchor.index} of {where}, "
            f"but calendar {calendar.name!r} has {len(days)} INSET day(s) there ({listed}): "
            "add the school's INSET days to the calendar (inset_days), or anchor the "
            "milestone on a term or a date instead"
        )
        raise SchedulingError(msg)
    return days[anchor.index - 1]


def _check_inset_anchors(context: _Context, rules: Iterable[MilestoneRule]) -> None:
    """Refuse, in one error naming every one, the milestones whose INSET day is missing."""
    problems = []
    for rule in rules:
        anchor = rule.parsed_anchor
        if anchor.kind not in (AnchorKind.INSET, AnchorKind.TERM_INSET):
            continue
        try:
            _inset_day(context, rule, anchor)
        except SchedulingError as exc:
            problems.append(str(exc))
    if len(problems) == 1:
        raise SchedulingError(problems[0])
    if problems:
        msg = (
            f"{len(problems)} milestones of template {context.template.id!r} are anchored on "
            f"INSET days calendar {context.calendar.name!r} does not have:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )
        raise SchedulingError(msg)


def _shift(context: _Context, day: date, rule: MilestoneRule) -> date:
    if rule.offset == 0:
        return day
    unit = rule.unit
    if unit is OffsetUnit.DAYS:
        return day + timedelta(days=rule.offset)
    if unit is OffsetUnit.WEEKS:
        return day + timedelta(weeks=rule.offset)
    if unit is OffsetUnit.MONTHS:
        return day + relativedelta(months=rule.offset)
    try:
        return context.calendar.add_school_days(day, rule.offset)
    except CalendarError:
        msg = (
            f"milestone {rule.id!r}: calendar {context.calendar.name!r} has no school day "
            f"{rule.offset} school days from {day}"
        )
        raise SchedulingError(msg) from None


def _bounds(context: _Context, window: Window, rule: MilestoneRule) -> tuple[date, date]:
    """The first and last school day of *window*, within the period."""
    first, last = context.start, context.end
    if window.kind != "period":
        span_first, span_last = _spans(context, window.kind, window.index, rule)
        first, last = max(first, span_first), min(last, span_last)
    days = context.calendar.school_days(first, last)
    if not days:
        msg = (
            f"milestone {rule.id!r}: there is no school day in its window {window} "
            f"({first} to {last}) on calendar {context.calendar.name!r}"
        )
        raise SchedulingError(msg)
    return days[0], days[-1]


def _place(context: _Context, day: date, rule: MilestoneRule, window: Window) -> date:
    """Move *day* onto a school day by the rule's adjust rule, inside its window."""
    first, last = _bounds(context, window, rule)
    if day <= first:
        return first
    if day >= last:
        return last
    calendar = context.calendar
    if rule.adjust is Adjust.EARLIER:
        return max(calendar.school_day_on_or_before(day), first)
    return min(calendar.school_day_on_or_after(day), last)


def _one_off(context: _Context, rule: MilestoneRule, resolved: Mapping[str, date]) -> date:
    raw = _shift(context, _anchor_date(context, rule, rule.parsed_anchor, resolved), rule)
    return _place(context, raw, rule, rule.parsed_window)


def _resolve_one_offs(context: _Context, chosen: Iterable[MilestoneRule]) -> dict[str, date]:
    """Date every non-recurring milestone of *chosen*, following ``milestone:`` anchors.

    A rule anchored on another is dated from that one's date (which is resolved for it even
    when it is not among *chosen*); no rule is moved to keep the template's listed order.
    """
    rules = {r.id: r for r in context.template.milestones if not r.recurs}
    resolved: dict[str, date] = {}

    def resolve(rule: MilestoneRule) -> date:
        if rule.id in resolved:
            return resolved[rule.id]
        anchor = rule.parsed_anchor
        if anchor.kind is AnchorKind.MILESTONE:
            resolve(rules[anchor.milestone])
        resolved[rule.id] = _one_off(context, rule, resolved)
        return resolved[rule.id]

    for rule in chosen:
        if not rule.recurs:
            resolve(rule)
    return resolved


def _occurrences(
    context: _Context, rule: MilestoneRule, resolved: Mapping[str, date]
) -> list[date]:
    """Date every occurrence of a recurring milestone, in order, at most ``count`` of them."""
    recurrence = rule.recurrence
    assert recurrence is not None
    if recurrence.each is not None:
        dates = _each_span(context, rule, recurrence.each)
    elif recurrence.school_weeks is not None:
        dates = _every_school_weeks(
            context, _one_off(context, rule, resolved), recurrence.school_weeks
        )
    else:
        assert recurrence.rrule is not None
        dates = _by_rrule(context, rule, _one_off(context, rule, resolved), recurrence.rrule)
    unique = sorted(set(dates))
    return unique if recurrence.count is None else unique[: recurrence.count]


def _each_span(context: _Context, rule: MilestoneRule, each: RecurEach) -> list[date]:
    """Once per term or half-term of the period, from the one the anchor names."""
    anchor = rule.parsed_anchor
    spans = context.terms if each is RecurEach.TERM else context.half_terms
    kind = "term" if each is RecurEach.TERM else "half_term"
    # Positions below are the person's own (already pro rata), so place them unscaled.
    unscaled = attrs.evolve(context, scale=1.0)
    dates: list[date] = []
    first_position = context.scaled(anchor.index, at_start=anchor.kind in _STARTS)
    for position in range(first_position, len(spans) + 1):
        first, last = spans[position - 1]
        if not context.calendar.school_days(max(first, context.start), min(last, context.end)):
            continue
        base = first if anchor.kind in _STARTS else last
        day = _place(unscaled, _shift(context, base, rule), rule, Window(kind, position))
        if context.start <= day <= context.end:
            dates.append(day)
    return dates


def _by_rrule(context: _Context, rule: MilestoneRule, first: date, text: str) -> list[date]:
    """Expand an RFC 5545 RRULE with python-dateutil from *first* to the period's end."""
    midnight = datetime.min.time()
    expanded = rrulestr(text, dtstart=datetime.combine(first, midnight))
    moments = expanded.between(
        datetime.combine(first, midnight), datetime.combine(context.end, midnight), inc=True
    )
    window = Window("period")
    return [_place(context, moment.date(), rule, window) for moment in moments]


def _every_school_weeks(context: _Context, first: date, every: int) -> list[date]:
    weeks: dict[tuple[int, int], list[date]] = {}
    for day in context.calendar.school_days(first, context.end):
        weeks.setdefault(day.isocalendar()[:2], []).append(day)
    ordered = [weeks[k] for k in sorted(weeks)]
    result: list[date] = []
    for days in ordered[::every]:
        same_or_later = [d for d in days if d.weekday() >= first.weekday()]
        result.append(same_or_later[0] if same_or_later else days[-1])
    return result


def _spans_from(
    items: Sequence[tuple[date, date]], start: date, end: date
) -> tuple[tuple[date, date], ...]:
    """The terms or half-terms of a period: those in progress at its start, up to its end."""
    return tuple((first, last) for first, last in items if last >= start and first <= end)


def plan(
    template: CycleTemplate,
    calendar: SchoolCalendar,
    start: date | None = None,
    *,
    year: int | None = None,
    staff: StaffMember | None = None,
    joined: date | None = None,
    absence_days: int = 0,
    extension_terms: int = 0,
    pay_link: bool | None = None,
) -> Schedule:
    """Date *template*'s milestones on *calendar*, for one person or for anyone.

    Args:
        template: The cycle template.
        calendar: The school's calendar; it must cover the whole period (a school holiday
            of up to `HOLIDAY_ALLOWANCE` at either end or between terms aside).
        start: The first day of the period. Give this or *year*.
        year: The year the period starts in; the start is the template's usual start
            (1 September for most English cycles) in that year.
        staff: The person, for their FTE (pro rata) and their start date (joiners).
        joined: When the person joined, if mid-cycle; defaults to ``staff.start_date``.
        absence_days: Days of absence so far, for templates that extend the period for a
            long absence (ECT induction).
        extension_terms: Extra terms added to a term-based period, such as an ECT induction
            extended by the appropriate body.
        pay_link: Whether pay is linked to appraisal (the school's
            `Policy.pay_recommendations`); None takes the template's ``pay_link``. The
            template's pay milestones are scheduled only when it is.

    Returns:
        The `Schedule`: the person's period and dated milestones.

    Raises:
        SchedulingError: If the calendar cannot hold the template (it does not cover the
            period, too few terms, a window without a school day), or the person's FTE is
            below `MIN_PRO_RATA_FTE` on a pro-rata template.

    Example::

        calendar = england_pattern(2026, bank_holidays=UKBankHolidays("england"))
        schedule = plan(template("england-teacher"), calendar, year=2026, staff=anna)
        [(m.title, m.due) for m in schedule.milestones]
    """
    start = _start(template, start, year)
    notes: list[str] = []
    joined = joined if joined is not None else (staff.start_date if staff else None)
    if joined is not None and joined <= start:
        joined = None
    base = start
    if joined is not None and template.period.joiners is JoinerPeriod.FULL:
        base = joined
        notes.append(f"joined on {joined}: the period starts then, at full length")
    fte = staff.fte if staff is not None else 1.0
    if template.period.pro_rata and fte < MIN_PRO_RATA_FTE:
        who = staff.id if staff is not None else "the person"
        msg = (
            f"{who}'s FTE is {fte:g}: template {template.id!r} is pro rata, so its period "
            f"would be {1 / fte:,.4g} times its full-time length; an FTE of at least "
            f"{MIN_PRO_RATA_FTE:g} is needed (0.6 for three days a week): check the FTE"
        )
        raise FTETooLowError(msg, staff_id=staff.id if staff is not None else None, fte=fte)
    scale = 1 / fte if template.period.pro_rata and fte < 1 else 1.0
    period_start, period_end = _period(
        template,
        calendar,
        base,
        scale=scale,
        absence_days=absence_days,
        extension_terms=extension_terms,
        notes=notes,
    )
    _check_covered(template, calendar, period_start, period_end)
    linked = template.pay_link if pay_link is None else pay_link
    rules = tuple(r for r in template.milestones if linked or not r.pay)
    left_out = [r.id for r in template.milestones if r.pay and not linked]
    if left_out:
        notes.append(
            f"{', '.join(left_out)}: left out, as pay is not linked to appraisal here "
            "(the school's Policy.pay_recommendations, or the template's pay_link)"
        )
    context = _Context(
        template,
        calendar,
        period_start,
        period_end,
        scale,
        _spans_from([(t.start, t.end) for t in calendar.terms], period_start, period_end),
        _spans_from([(h.start, h.end) for h in calendar.half_terms], period_start, period_end),
    )
    _check_inset_anchors(context, rules)
    resolved = _resolve_one_offs(context, rules)
    cutoff: date | None = None
    if joined is not None and template.period.joiners is JoinerPeriod.SHORTENED:
        if not calendar.school_days(joined, period_end):
            msg = (
                f"{staff.id if staff else 'the person'} joined on {joined}, after the last "
                f"school day of the period ({period_start} to {period_end})"
            )
            raise JoinedAfterPeriodError(msg, staff_id=staff.id if staff else None, joined=joined)
        cutoff = joined
        notes.append(f"joined on {joined}: a shortened period with the milestones still ahead")
        period_start = joined
    milestones: list[tuple[date, int, int, Milestone]] = []
    for position, rule in enumerate(rules):
        if rule.recurs:
            for number, due in enumerate(_occurrences(context, rule, resolved), start=1):
                if cutoff is None or due >= cutoff:
                    milestones.append((due, position, number, _milestone(rule, due, number)))
            continue
        due = resolved[rule.id]
        if cutoff is not None and due < cutoff:
            if rule.joiners is JoinerRule.DROP:
                continue
            due = _joiner_date(context, rule, cutoff)
        milestones.append((due, position, 0, _milestone(rule, due, 0)))
    milestones.sort(key=lambda item: item[:3])
    return Schedule(
        template_id=template.id,
        period_start=period_start,
        period_end=max(period_end, period_start),
        milestones=tuple(item[3] for item in milestones),
        staff_id=staff.id if staff is not None else None,
        calendar_name=calendar.name,
        approximate=calendar.approximate,
        notes=tuple(notes),
        academic_year=academic_year(template, start),
        pay_link=linked,
    )


def _check_covered(
    template: CycleTemplate, calendar: SchoolCalendar, start: date, end: date
) -> None:
    """Refuse a period the calendar's terms leave uncovered for longer than a holiday."""
    day = timedelta(days=1)
    spans = sorted(
        [(t.start, t.end) for t in calendar.terms] + [(d, d) for d in calendar.inset_days]
    )
    gaps: list[tuple[date, date]] = []
    cursor = start
    for first, last in spans:
        if last < cursor:
            continue
        if first > end:
            break
        if first > cursor:
            gaps.append((cursor, first - day))
        cursor = max(cursor, last + day)
    if cursor <= end:
        gaps.append((cursor, end))
    long = [(a, b) for a, b in gaps if b - a + day > HOLIDAY_ALLOWANCE]
    if not long:
        return
    weeks = HOLIDAY_ALLOWANCE.days // 7
    spans_text = "; ".join(f"{a} to {b} ({(b - a).days + 1} days)" for a, b in long)
    if spans:
        covers = f"its terms run from {spans[0][0]} to {max(s[1] for s in spans)}"
    else:
        covers = "it has no terms"
    msg = (
        f"calendar {calendar.name!r} does not cover the period of template {template.id!r} "
        f"({start} to {end}): {covers}, and it has no term from {spans_text}, longer than "
        f"a school holiday ({weeks} weeks). Use a calendar with the school's terms for the "
        "whole period: add the missing terms to the calendar file, or generate one over "
        "more years (devcycle calendar england --year YEAR --years 2); for another "
        "country's template, load that school's own calendar"
    )
    raise SchedulingError(msg)


def _start(template: CycleTemplate, start: date | None, year: int | None) -> date:
    if start is not None:
        return start
    if year is None:
        msg = "plan needs a start date or a year"
        raise SchedulingError(msg)
    month, day = template.period.month_day
    return date(year, month, day)


def _joiner_date(context: _Context, rule: MilestoneRule, joined: date) -> date:
    first = _safe(
        context.calendar.school_day_on_or_after,
        joined,
        context.calendar,
        "the day the person joined",
    )
    wanted = context.calendar.add_school_days(first, context.template.period.joiner_school_days)
    return _place(context, wanted, rule, Window("period"))


def _milestone(rule: MilestoneRule, due: date, number: int) -> Milestone:
    return Milestone(
        id=f"{rule.id}-{number}" if number else rule.id,
        title=f"{rule.title} {number}" if number else rule.title,
        kind=rule.kind,
        due=due,
        owner_role=rule.owner_role,
        minutes=rule.minutes,
        basis=rule.basis,
    )


def enrol(
    template: CycleTemplate,
    calendar: SchoolCalendar,
    staff: Iterable[StaffMember],
    start: date | None = None,
    *,
    year: int | None = None,
    roles: Iterable[Role] | None = None,
    team_id: str | None = None,
    absences: Mapping[str, int] | None = None,
    policy: Policy | None = None,
) -> tuple[Schedule, ...]:
    """Plan *template* for every member of *staff* chosen by role or team.

    A person is chosen when their primary (most senior) role is in *roles* (by default the
    template's own roles) and, if *team_id* is given, they belong to that team. Give
    ``roles=()`` with a *team_id* to enrol a whole team whatever their roles.

    Args:
        template: The cycle template.
        calendar: The school's calendar.
        staff: Everyone who might be enrolled.
        start: The first day of the period (or give *year*).
        year: The year the period starts in.
        roles: The roles to enrol.
        team_id: Only this team's members.
        absences: Days absent by staff id, for templates extended by absence.
        policy: The school's policy: whether pay is linked to appraisal
            (`Policy.pay_recommendations`) decides the pay milestones and whether the
            cycles may record a pay recommendation. None: the template's ``pay_link``.

    Returns:
        One `Schedule` per person chosen, in the order given.
    """
    wanted = frozenset(template.roles if roles is None else roles)
    absences = absences or {}
    chosen = [
        person
        for person in staff
        if (not wanted or person.primary_role in wanted)
        and (team_id is None or team_id in person.team_ids)
    ]
    if not chosen:
        return ()
    # Everyone whose plan depends on the same things shares one (only the person's id
    # differs): planning the template is the costly part of enrolling a school (issue 16).
    first_day = _start(template, start, year)
    # a leaver whose last day comes before the period starts has no cycle in it
    chosen = [p for p in chosen if p.leaving_date is None or p.leaving_date >= first_day]
    planned: dict[tuple[date | None, float, int], Schedule] = {}
    schedules = []
    for person in chosen:
        joined = person.start_date if person.start_date and person.start_date > first_day else None
        absence_days = absences.get(person.id, 0)
        key = (joined, person.fte, absence_days)
        shared = planned.get(key)
        if shared is None:
            schedule = plan(
                template,
                calendar,
                start,
                year=year,
                staff=person,
                absence_days=absence_days,
                pay_link=policy.pay_recommendations if policy is not None else None,
            )
            planned[key] = schedule
        else:
            schedule = attrs.evolve(shared, staff_id=person.id)
        schedules.append(schedule)
    return tuple(schedules)


@attrs.frozen
class Enrolment:
    """What planning a school's cycles would do: new cycles, and those left as they are.

    Attributes:
        created: The new draft cycles, with any objectives carried forward, to be stored.
        unchanged: Stored cycles already covering a person's period from the same template,
            left alone (whatever their id: cycles stored under an earlier id scheme count).
        carried: For each new cycle with carried-forward objectives, its id and theirs.
    """

    created: tuple[Cycle, ...]
    unchanged: tuple[Cycle, ...]
    carried: tuple[tuple[str, tuple[str, ...]], ...] = ()


def plan_enrolment(
    schedules: Iterable[Schedule],
    staff: Mapping[str, StaffMember],
    existing: Iterable[Cycle],
    *,
    school_id: str,
    by: str,
    on: date,
    policy: Policy | None = None,
) -> Enrolment:
    """Turn *schedules* into the cycles to create, leaving alone what *existing* already has.

    Planning is idempotent: a person who already has a cycle from the same template whose
    period overlaps the new one keeps it, and nothing is created for them; planning twice
    therefore creates nothing the second time. Each new cycle is seeded with the objectives
    the person's previous cycle (the latest one ending before it starts) evaluated and marked
    carried forward, as drafts linked to where they came from (`carry_forward`).

    Args:
        schedules: One per person (from `enrol`).
        staff: The people, by id, for their reviewers.
        existing: The school's stored cycles.
        school_id: The school.
        by: Who plans, for the new cycles' history.
        on: When.
        policy: The school's policy, whose observation cap the new cycles take (their pay
            setting comes from the schedules: plan them with ``enrol(..., policy=...)``).

    Raises:
        SchedulingError: If a new cycle's id is already used by a cycle of another person,
            template or period: nothing should be written.
    """
    stored = [c for c in existing if c.school_id == school_id]
    by_id = {c.id: c for c in stored}
    by_staff: dict[str, list[Cycle]] = {}  # each person's cycles, stored first, then new
    for c in stored:
        by_staff.setdefault(c.staff_id, []).append(c)
    created: list[Cycle] = []
    unchanged: list[Cycle] = []
    carried: list[tuple[str, tuple[str, ...]]] = []
    for schedule in schedules:
        person = staff[schedule.staff_id or ""]
        cycle = schedule.to_cycle(school_id=school_id, by=by, on=on, reviewer_id=person.reviewer_id)
        if policy is not None and policy.observation_hours_cap is not None:
            cycle.set_observation_hours_cap(policy.observation_hours_cap, by=by, on=on)
        mine = list(by_staff.get(cycle.staff_id, ()))
        same = [
            c
            for c in mine
            if c.template_id == cycle.template_id
            and c.period_start <= cycle.period_end
            and cycle.period_start <= c.period_end
        ]
        if same:
            unchanged.append(same[0])
            continue
        clash = by_id.get(cycle.id)
        if (
            clash is not None
            and clash.staff_id == cycle.staff_id
            and clash.template_id == cycle.template_id
        ):
            # The person's earlier cycle holds this id under the old scheme (a joiner's
            # cycle was named after the year their own period started): name this one
            # after its start date too, rather than refuse or skip it.
            year = schedule.academic_year or cycle.period_start.year
            cycle = _renamed(cycle, year, by=by, on=on)
            clash = by_id.get(cycle.id)
        if clash is not None:
            msg = (
                f"cycle id {cycle.id!r} for {cycle.staff_id!r} ({cycle.template_id}, "
                f"{cycle.period_start} to {cycle.period_end}) is already used by the cycle of "
                f"{clash.staff_id!r} ({clash.template_id}, {clash.period_start} to "
                f"{clash.period_end}): one of the two needs another staff id (or template id)"
            )
            raise SchedulingError(msg)
        earlier = [c for c in mine if c.period_end < cycle.period_start]
        if earlier:
            previous = max(earlier, key=lambda c: (c.period_end, c.period_start, c.id))
            taken = {o.carried_from for c in mine for o in c.objectives if o.carried_from}
            seeded = carry_forward(previous, cycle, on=on, skip=taken)
            if seeded:
                carried.append((cycle.id, tuple(o.id for o in seeded)))
        created.append(cycle)
        by_staff.setdefault(cycle.staff_id, []).append(cycle)
        by_id[cycle.id] = cycle
    return Enrolment(tuple(created), tuple(unchanged), tuple(carried))


def _renamed(cycle: Cycle, year: int, *, by: str, on: date) -> Cycle:
    template_part = f"{cycle.template_id}.{cycle.period_start:%Y%m%d}"
    renamed = Cycle(
        id=_cycle_id(cycle.staff_id, template_part, year),
        school_id=cycle.school_id,
        staff_id=cycle.staff_id,
        reviewer_id=cycle.reviewer_id,
        period_start=cycle.period_start,
        period_end=cycle.period_end,
        template_id=cycle.template_id,
        pay_recommendations=cycle.pay_recommendations,
    )
    renamed.set_milestones(cycle.milestones, by=by, on=on)
    if cycle.observation_hours_cap is not None:
        renamed.set_observation_hours_cap(cycle.observation_hours_cap, by=by, on=on)
    return renamed


def carry_forward(
    previous: Cycle, new: Cycle, *, on: date, skip: Iterable[str] = ()
) -> tuple[Objective, ...]:
    """Seed *new* with the objectives *previous* evaluated and marked carried forward.

    Each becomes a draft in *new* (statement, rationale, success criteria, evidence sources,
    priorities, standards and support kept; no deadline, check-ins or evaluation), linked to
    its origin by ``carried_from = "{previous cycle id}#{objective id}"`` (``#`` is never part
    of an id). The draft is recorded as the reviewee's, whose objective it remains; they and
    their reviewer then propose and agree it as usual.

    Args:
        previous: The person's previous cycle.
        new: Their new cycle, still open for objectives.
        on: When it is seeded.
        skip: ``carried_from`` references already carried (into another cycle), to leave out.

    Returns:
        The new draft objectives, in the previous cycle's order.
    """
    skipped = set(skip)
    drafts: list[Objective] = []
    for objective in previous.objectives:
        evaluation = objective.evaluation
        if objective.status is not ObjectiveStatus.EVALUATED or evaluation is None:
            continue
        if not evaluation.carried_forward:
            continue
        origin = f"{previous.id}#{objective.id}"
        if origin in skipped:
            continue
        wanted = objective.id
        taken = {o.id for o in new.objectives}
        new_id = wanted if wanted not in taken else None
        drafts.append(
            new.draft_objective(
                by=new.staff_id,
                on=on,
                statement=objective.statement,
                rationale=objective.rationale,
                kind=objective.kind,
                owner_ids=objective.owner_ids,
                success_criteria=[c.text for c in objective.success_criteria],
                evidence_sources=objective.evidence_sources,
                priority_ids=objective.priority_ids,
                standard_ids=objective.standard_ids,
                support=objective.support,
                shared_ref=objective.shared_ref,
                objective_id=new_id,
                carried_from=origin,
            )
        )
    return tuple(drafts)


def apply_policy(
    cycle: Cycle,
    policy: Policy,
    *,
    by: str,
    on: date,
    template: CycleTemplate | None = None,
    calendar: SchoolCalendar | None = None,
) -> tuple[str, ...]:
    """Bring an open *cycle* into line with its school's *policy*; return what changed.

    Whether pay is linked to appraisal (`Policy.pay_recommendations`) decides whether the
    cycle may record a pay recommendation and whether it holds its *template*'s pay
    milestones: turned on, they are dated over the cycle's own period on *calendar* and
    added; turned off, those not yet completed are removed (a completed one stays, as a
    record). The policy's observation cap is copied to the cycle, which then refuses an
    observation that would pass it. A closed cycle is left as it is. The objective limit is
    read from the school whenever a cycle is checked, so it needs no copy in the cycle.

    Raises:
        SchedulingError: If pay milestones must be added but no *calendar* is given, or they
            cannot be dated on it.
    """
    if cycle.is_closed:
        return ()
    changes: list[str] = []
    if cycle.observation_hours_cap != policy.observation_hours_cap:
        cycle.set_observation_hours_cap(policy.observation_hours_cap, by=by, on=on)
        cap = policy.observation_hours_cap
        changes.append(
            "no observation cap" if cap is None else f"observation capped at {cap:g} hours"
        )
    linked = policy.pay_recommendations
    if cycle.pay_recommendations != linked:
        cycle.set_pay_recommendations(linked, by=by, on=on)
        changes.append("pay recommendations " + ("allowed" if linked else "no longer allowed"))
    if template is None:
        return tuple(changes)
    pay_rules = [r for r in template.milestones if r.pay]
    if not pay_rules:
        return tuple(changes)

    def is_pay(milestone: Milestone) -> bool:
        return any(
            milestone.id == r.id or (r.recurs and milestone.id.startswith(f"{r.id}-"))
            for r in pay_rules
        )

    present = [m for m in cycle.milestones if is_pay(m)]
    if linked and not present:
        added = _date_rules(template, calendar, cycle, pay_rules)
        cycle.set_milestones((*cycle.milestones, *added), by=by, on=on)
        changes.extend(f"added milestone {m.id} on {m.due}" for m in added)
    elif not linked:
        dropped = [m for m in present if m.completed_on is None]
        if dropped:
            kept = [m for m in cycle.milestones if m not in dropped]
            cycle.set_milestones(kept, by=by, on=on)
            changes.extend(f"removed milestone {m.id}" for m in dropped)
    return tuple(changes)


def _date_rules(
    template: CycleTemplate,
    calendar: SchoolCalendar | None,
    cycle: Cycle,
    rules: Sequence[MilestoneRule],
) -> list[Milestone]:
    if calendar is None:
        msg = (
            f"cycle {cycle.id!r}: give the school's calendar to date the pay milestones "
            f"({', '.join(r.id for r in rules)}) that its policy now links"
        )
        raise SchedulingError(msg)
    start, end = cycle.period_start, cycle.period_end
    _check_covered(template, calendar, start, end)
    context = _Context(
        template,
        calendar,
        start,
        end,
        1.0,
        _spans_from([(t.start, t.end) for t in calendar.terms], start, end),
        _spans_from([(h.start, h.end) for h in calendar.half_terms], start, end),
    )
    resolved = _resolve_one_offs(context, rules)
    dated: list[Milestone] = []
    for rule in rules:
        if rule.recurs:
            dated.extend(
                _milestone(rule, due, number)
                for number, due in enumerate(_occurrences(context, rule, resolved), start=1)
            )
        else:
            dated.append(_milestone(rule, resolved[rule.id], 0))
    return dated


@attrs.frozen
class NextMilestone:
    """One row of the at-a-glance view: a person's next milestone.

    Attributes:
        staff_id: The person.
        cycle_id: Their cycle.
        milestone: The earliest milestone not completed, or None when all are done.
        overdue: Whether it is past due as of the day asked about.
        school_days_until: School days from that day to the milestone (negative when
            overdue), when a calendar was given.
    """

    staff_id: str
    cycle_id: str
    milestone: Milestone | None
    overdue: bool
    school_days_until: int | None = None


def at_a_glance(
    cycles: Iterable[Cycle], as_of: date, calendar: SchoolCalendar | None = None
) -> tuple[NextMilestone, ...]:
    """Return each cycle's next milestone and whether it is overdue, soonest first.

    Closed cycles are left out; people with nothing left come last.
    """
    rows: list[NextMilestone] = []
    for cycle in cycles:
        if cycle.is_closed:
            continue
        upcoming = cycle.next_milestone()
        until = None
        if upcoming is not None and calendar is not None:
            until = calendar.school_days_between(as_of, upcoming.due)
        rows.append(
            NextMilestone(
                staff_id=cycle.staff_id,
                cycle_id=cycle.id,
                milestone=upcoming,
                overdue=upcoming is not None and upcoming.is_overdue(as_of),
                school_days_until=until,
            )
        )
    far = date.max
    return tuple(sorted(rows, key=lambda r: (r.milestone.due if r.milestone else far, r.staff_id)))
