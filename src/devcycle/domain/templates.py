"""Cycle templates: a cycle's period and milestones as data, to be dated by a school calendar.

A `CycleTemplate` says how long a cycle runs (`Period`) and which milestones it has
(`MilestoneRule`), each placed relative to an *anchor*:

| anchor | the date it names |
| --- | --- |
| ``period_start``, ``period_end`` | the first or last day of the period |
| ``term_start:N``, ``term_end:N`` | the first or last day of the period's N-th term |
| ``half_term_start:N``, ``half_term_end:N`` | the same for its N-th half-term |
| ``date:MM-DD`` | the first such day on or after the period start ("date:10-31") |
| ``milestone:ID`` | the date of another (non-recurring) milestone of the template |
| ``inset:N`` | the period's N-th INSET day, as the school calendar lists them |
| ``term_inset:T:N`` | the N-th INSET day of the period's T-th term (one in the holiday just \
before a term counts as that term's) |

(term 1 is the term in progress when the period starts, or the next one), then moved by an
*offset* in days, school days, weeks or months, and moved off a day the school is shut to the
school day before or after it (the *adjust* rule). A milestone may recur (each term, each
half-term, every N school weeks, or any RFC 5545 RRULE through python-dateutil), may be kept
inside a *window* (a term or half-term), and carries its owner role, its expected duration for
the time budget and its `Basis` with sources.

Templates are frozen attrs objects: the shipped ones are TOML files loaded through the
serialization converter (`devcycle.catalogues.templates`), and schools write their own in the
same format. `devcycle.domain.scheduling.plan` turns a template and a calendar into dates.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

import attrs
from dateutil.rrule import rrulestr

from devcycle.domain._validate import (
    as_tuple,
    check_whole_size,
    identifier,
    member_of,
    text,
    texts,
    to_tuple,
)
from devcycle.domain.milestones import Basis, MilestoneKind
from devcycle.domain.people import Role
from devcycle.errors import NotFoundError

__all__ = [
    "Adjust",
    "Anchor",
    "AnchorKind",
    "CycleTemplate",
    "JoinerPeriod",
    "JoinerRule",
    "MilestoneRule",
    "OffsetUnit",
    "Period",
    "RecurEach",
    "Recurrence",
    "Window",
    "parse_anchor",
    "parse_window",
]


class OffsetUnit(enum.StrEnum):
    """What an offset counts."""

    DAYS = "days"
    SCHOOL_DAYS = "school_days"
    WEEKS = "weeks"
    MONTHS = "months"


class Adjust(enum.StrEnum):
    """Where a milestone goes when its date is not a school day."""

    EARLIER = "earlier"
    """The school day before: for deadlines ("by 31 October")."""
    LATER = "later"
    """The school day after: for things that cannot happen before a date."""


class AnchorKind(enum.StrEnum):
    """What an anchor names."""

    PERIOD_START = "period_start"
    PERIOD_END = "period_end"
    TERM_START = "term_start"
    TERM_END = "term_end"
    HALF_TERM_START = "half_term_start"
    HALF_TERM_END = "half_term_end"
    DATE = "date"
    MILESTONE = "milestone"
    INSET = "inset"
    TERM_INSET = "term_inset"


class RecurEach(enum.StrEnum):
    """Recur once per term or half-term of the period."""

    TERM = "term"
    HALF_TERM = "half_term"


class JoinerPeriod(enum.StrEnum):
    """What period someone who joins mid-cycle gets."""

    SHORTENED = "shortened"
    """From the day they join to the usual end, with the milestones still ahead."""
    FULL = "full"
    """A full-length period from the day they join (ECT induction)."""


class JoinerRule(enum.StrEnum):
    """What happens to a milestone already past when a person joins mid-cycle."""

    DROP = "drop"
    """Leave it out: the joiner gets only the milestones still ahead."""
    RESCHEDULE = "reschedule"
    """Hold it soon after they join (`Period.joiner_school_days` school days after)."""


_INDEXED = {
    AnchorKind.TERM_START,
    AnchorKind.TERM_END,
    AnchorKind.HALF_TERM_START,
    AnchorKind.HALF_TERM_END,
}
_MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _to_anchor_kind(value: object) -> AnchorKind:
    return member_of(AnchorKind, "kind", value)


def _to_optional_recur_each(value: object) -> RecurEach | None:
    return None if value is None else member_of(RecurEach, "each", value)


def _to_milestone_kind(value: object) -> MilestoneKind:
    return member_of(MilestoneKind, "kind", value)


def _to_offset_unit(value: object) -> OffsetUnit:
    return member_of(OffsetUnit, "unit", value)


def _to_adjust(value: object) -> Adjust:
    return member_of(Adjust, "adjust", value)


def _to_basis(value: object) -> Basis:
    return member_of(Basis, "basis", value)


def _to_joiner_rule(value: object) -> JoinerRule:
    return member_of(JoinerRule, "joiners", value)


def _to_joiner_period(value: object) -> JoinerPeriod:
    return member_of(JoinerPeriod, "joiners", value)


@attrs.frozen
class Anchor:
    """A parsed anchor: what a milestone's date counts from.

    Attributes:
        kind: What it names.
        index: The term or half-term, counted from 1 within the period.
        month: For ``date:`` anchors, the month.
        day: For ``date:`` anchors, the day of the month.
        milestone: For ``milestone:`` anchors, the milestone's id.
        term: For ``term_inset:`` anchors, the term of the period (from 1) whose INSET days
            *index* counts; *index* is then the INSET day within that term.
    """

    kind: AnchorKind = attrs.field(converter=_to_anchor_kind)
    index: int = 0
    month: int = 0
    day: int = 0
    milestone: str = ""
    term: int = 0

    def __str__(self) -> str:
        if self.kind in _INDEXED or self.kind is AnchorKind.INSET:
            return f"{self.kind.value}:{self.index}"
        if self.kind is AnchorKind.TERM_INSET:
            return f"{self.kind.value}:{self.term}:{self.index}"
        if self.kind is AnchorKind.DATE:
            return f"date:{self.month:02d}-{self.day:02d}"
        if self.kind is AnchorKind.MILESTONE:
            return f"milestone:{self.milestone}"
        return self.kind.value

    def with_index(self, index: int) -> Anchor:
        """Return the same anchor for another term or half-term."""
        return attrs.evolve(self, index=index)


_ANCHOR_HELP = (
    "period_start, period_end, term_start:N, term_end:N, half_term_start:N, half_term_end:N, "
    "date:MM-DD, milestone:ID, inset:N or term_inset:T:N"
)
_TERM_INSET = re.compile(r"^([0-9]+):([0-9]+)$")


def _parse_inset(kind: AnchorKind, tail: str, value: str) -> Anchor:
    """Parse the ``:`` part of an ``inset:N`` or ``term_inset:T:N`` anchor."""
    if kind is AnchorKind.INSET:
        if not (tail.isascii() and tail.isdigit()) or int(tail) < 1:
            msg = (
                "anchor 'inset' needs the number of an INSET day of the period from 1, as "
                f"inset:1 for the first (got {value!r})"
            )
            raise ValueError(msg)
        return Anchor(kind, index=int(tail))
    parts = _TERM_INSET.match(tail)
    if not parts or int(parts[1]) < 1 or int(parts[2]) < 1:
        msg = (
            "anchor 'term_inset' needs a term of the period and an INSET day of that term, "
            "each from 1, as term_inset:1:1 for the first INSET day of the first term "
            f"(got {value!r})"
        )
        raise ValueError(msg)
    return Anchor(kind, index=int(parts[2]), term=int(parts[1]))


def parse_anchor(value: str) -> Anchor:
    """Parse an anchor such as ``"term_end:3"`` or ``"date:10-31"``.

    Raises:
        ValueError: Naming the accepted forms.
    """
    head, _, tail = value.partition(":")
    try:
        kind = AnchorKind(head)
    except ValueError:
        msg = f"anchor must be one of {_ANCHOR_HELP} (got {value!r})"
        raise ValueError(msg) from None
    if kind in (AnchorKind.PERIOD_START, AnchorKind.PERIOD_END):
        if tail:
            msg = f"anchor {head!r} takes no ':' part (got {value!r})"
            raise ValueError(msg)
        return Anchor(kind)
    if kind in _INDEXED:
        if not tail.isdigit() or int(tail) < 1:
            msg = (
                f"anchor {head!r} needs a term or half-term number from 1, as {head}:2 "
                f"(got {value!r})"
            )
            raise ValueError(msg)
        return Anchor(kind, index=int(tail))
    if kind in (AnchorKind.INSET, AnchorKind.TERM_INSET):
        return _parse_inset(kind, tail, value)
    if kind is AnchorKind.DATE:
        match = _MONTH_DAY.match(tail)
        if not match or not (
            1 <= int(match[1]) <= 12 and 1 <= int(match[2]) <= _DAYS_IN_MONTH[int(match[1]) - 1]
        ):
            msg = f"anchor 'date' needs a month and day, as date:10-31 (got {value!r})"
            raise ValueError(msg)
        if (int(match[1]), int(match[2])) == (2, 29):
            msg = "anchor 'date:02-29' is not in every year; use date:02-28 or date:03-01"
            raise ValueError(msg)
        return Anchor(kind, month=int(match[1]), day=int(match[2]))
    if not tail:
        msg = f"anchor 'milestone' needs a milestone id, as milestone:planning (got {value!r})"
        raise ValueError(msg)
    return Anchor(kind, milestone=tail)


@attrs.frozen
class Window:
    """A parsed window: the span a milestone must fall in.

    Attributes:
        kind: ``period``, ``term`` or ``half_term``.
        index: The term or half-term, counted from 1 within the period.
    """

    kind: str
    index: int = 0

    def __str__(self) -> str:
        return self.kind if self.kind == "period" else f"{self.kind}:{self.index}"


def parse_window(value: str) -> Window:
    """Parse a window such as ``"period"``, ``"term:2"`` or ``"half_term:3"``.

    Raises:
        ValueError: Naming the accepted forms.
    """
    if value == "period":
        return Window("period")
    head, _, tail = value.partition(":")
    if head in ("term", "half_term") and tail.isdigit() and int(tail) >= 1:
        return Window(head, int(tail))
    msg = f"window must be period, term:N or half_term:N (got {value!r})"
    raise ValueError(msg)


def _anchor(_inst: object, _attribute: attrs.Attribute[str], value: str) -> None:
    parse_anchor(value)


def _window(_inst: object, _attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None:
        parse_window(value)


def _positive(_inst: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        msg = f"'{attribute.name}' must be a whole number, 1 or more (got {value!r})"
        raise ValueError(msg)
    if isinstance(value, int):
        check_whole_size(attribute.name, value)


def _non_negative(_inst: object, attribute: attrs.Attribute[int], value: int | None) -> None:
    if value is not None and value < 0:
        msg = f"'{attribute.name}' must be 0 or more (got {value})"
        raise ValueError(msg)
    if isinstance(value, int):
        check_whole_size(attribute.name, value)


def _rrule(_inst: object, _attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    if "DTSTART" in value.upper():
        msg = "'rrule' must not give DTSTART: the milestone's anchor is the start"
        raise ValueError(msg)
    try:
        rrulestr(value)
    except (ValueError, TypeError) as exc:
        msg = f"'rrule' must be an RFC 5545 RRULE such as FREQ=WEEKLY;INTERVAL=6 ({exc})"
        raise ValueError(msg) from None


@attrs.frozen
class Recurrence:
    """How a milestone repeats: give exactly one of *each*, *school_weeks* or *rrule*.

    Attributes:
        each: Once per term or per half-term of the period; the milestone's anchor must then
            be a term or half-term anchor, whose number is the first occurrence's.
        school_weeks: Every N school weeks (holiday weeks not counted) from the anchor.
        rrule: An RFC 5545 recurrence rule without DTSTART ("FREQ=MONTHLY;INTERVAL=2"),
            expanded by python-dateutil from the anchor's date.
        count: At most this many occurrences.
    """

    each: RecurEach | None = attrs.field(default=None, converter=_to_optional_recur_each)
    school_weeks: int | None = attrs.field(default=None, validator=_positive)
    rrule: str | None = attrs.field(default=None, validator=_rrule)
    count: int | None = attrs.field(default=None, validator=_positive)

    def __attrs_post_init__(self) -> None:
        given = [
            n
            for n, v in (
                ("each", self.each),
                ("school_weeks", self.school_weeks),
                ("rrule", self.rrule),
            )
            if v is not None
        ]
        if len(given) != 1:
            msg = (
                "a recurrence needs exactly one of 'each', 'school_weeks' or 'rrule' "
                f"(got {', '.join(given) or 'none'})"
            )
            raise ValueError(msg)


@attrs.frozen
class MilestoneRule:
    """One milestone of a template, placed relative to an anchor.

    Attributes:
        id: Unique within the template ("planning"); recurring ones get ``-1``, ``-2``...
        title: What people call it.
        kind: What happens.
        anchor: What the date counts from (see the module's table).
        offset: How far from the anchor, in *unit*; negative for before.
        unit: Days, school days, weeks or months.
        adjust: Where to move a date that is not a school day.
        window: Keep the date inside ``period`` (the default), ``term:N`` or ``half_term:N``.
        recurrence: How it repeats, if it does.
        owner_role: Who leads it ("reviewer", "induction_tutor", "governors_panel").
        minutes: Expected duration of the meeting or task, for the time budget.
        basis: Statutory, former statutory, guidance, common practice or school policy.
        sources: Where the rule comes from (URLs or references).
        note: Anything a reader should know.
        joiners: Whether someone joining after its date drops it or holds it soon after.
        pay: Whether it is a pay decision or recommendation. Such a milestone is part of a
            cycle only where pay is linked to appraisal: the school's
            `Policy.pay_recommendations`, or the template's ``pay_link`` when no school
            policy is given. Elsewhere the pay decision still happens, outside the cycle.
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    kind: MilestoneKind = attrs.field(default=MilestoneKind.OTHER, converter=_to_milestone_kind)
    anchor: str = attrs.field(default="period_start", validator=_anchor)
    offset: int = 0
    unit: OffsetUnit = attrs.field(default=OffsetUnit.DAYS, converter=_to_offset_unit)
    adjust: Adjust = attrs.field(default=Adjust.EARLIER, converter=_to_adjust)
    window: str | None = attrs.field(default=None, validator=_window)
    recurrence: Recurrence | None = None
    owner_role: str = attrs.field(default="reviewer", validator=identifier)
    minutes: int | None = attrs.field(default=None, validator=_non_negative)
    basis: Basis = attrs.field(default=Basis.COMMON_PRACTICE, converter=_to_basis)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    note: str = ""
    joiners: JoinerRule = attrs.field(default=JoinerRule.DROP, converter=_to_joiner_rule)
    pay: bool = False

    def __attrs_post_init__(self) -> None:
        anchor = parse_anchor(self.anchor)
        if self.recurrence is not None:
            each = self.recurrence.each
            if each is RecurEach.TERM and anchor.kind not in (
                AnchorKind.TERM_START,
                AnchorKind.TERM_END,
            ):
                msg = (
                    f"milestone {self.id!r} recurs each term: anchor it on term_start:N "
                    "or term_end:N"
                )
                raise ValueError(msg)
            if each is RecurEach.HALF_TERM and anchor.kind not in (
                AnchorKind.HALF_TERM_START,
                AnchorKind.HALF_TERM_END,
            ):
                msg = (
                    f"milestone {self.id!r} recurs each half-term: anchor it on "
                    "half_term_start:N or half_term_end:N"
                )
                raise ValueError(msg)

    @property
    def parsed_anchor(self) -> Anchor:
        """The anchor, parsed."""
        return parse_anchor(self.anchor)

    @property
    def parsed_window(self) -> Window:
        """The window, parsed (the period when none is given)."""
        return parse_window(self.window or "period")

    @property
    def recurs(self) -> bool:
        """Whether the milestone repeats."""
        return self.recurrence is not None


@attrs.frozen
class Period:
    """How long a cycle runs and how it treats joiners, part-time staff and absence.

    Attributes:
        start: The usual first day, as MM-DD ("09-01"); `plan` may be given another.
        months: The length in calendar months (12 for an annual cycle)...
        terms: ...or in terms of the school calendar (6 for the two-year ECT induction).
        pro_rata: Whether part-time staff serve a longer period, scaled by their FTE (the
            period and every term-numbered anchor are divided by the FTE, rounded up).
        joiners: ``shortened``: someone joining mid-cycle runs to the usual end;
            ``full``: their period starts on the day they join, at full length.
        joiner_school_days: For milestones that joiners reschedule, how many school days
            after joining they are held.
        extend_for_absence_days: If set, an absence of at least this many days extends
            the period by the days absent (counted as school days).
    """

    start: str = attrs.field(default="09-01")
    months: int | None = attrs.field(default=None, validator=_positive)
    terms: int | None = attrs.field(default=None, validator=_positive)
    pro_rata: bool = False
    joiners: JoinerPeriod = attrs.field(
        default=JoinerPeriod.SHORTENED,
        converter=_to_joiner_period,
    )
    joiner_school_days: int = attrs.field(default=20, validator=_non_negative)
    extend_for_absence_days: int | None = attrs.field(default=None, validator=_positive)

    @start.validator
    def _check_start(self, _attribute: attrs.Attribute[str], value: str) -> None:
        parse_anchor(f"date:{value}")

    def __attrs_post_init__(self) -> None:
        if (self.months is None) == (self.terms is None):
            msg = "a period needs exactly one of 'months' or 'terms'"
            raise ValueError(msg)

    @property
    def month_day(self) -> tuple[int, int]:
        """The usual start as (month, day)."""
        anchor = parse_anchor(f"date:{self.start}")
        return anchor.month, anchor.day


def _to_roles(value: Iterable[Role | str]) -> tuple[Role, ...]:
    roles: list[Role] = []
    for item in as_tuple(value, "roles"):
        try:
            roles.append(Role(item))
        except ValueError:
            allowed = ", ".join(r.value for r in Role)
            msg = f"'roles' must hold roles from: {allowed} (got {item!r})"
            raise ValueError(msg) from None
    return tuple(roles)


@attrs.frozen
class CycleTemplate:
    """A kind of cycle as data: its period and its milestones, each with a basis and sources.

    Load the shipped ones with `devcycle.catalogues.templates.template` ("england-teacher")
    or a school's own TOML file with `devcycle.catalogues.templates.load_template`.

    Attributes:
        id: The registry name ("england-teacher").
        title: What it is ("England: teacher appraisal").
        period: How long the cycle runs.
        milestones: The milestones, in the order they happen (recurring ones aside).
        roles: The roles it is for, for bulk enrolment.
        jurisdiction: Where it applies ("england", "wales", "scotland", "australia").
        description: What it is and where its facts come from.
        sources: The documents the template draws on (URLs or references).
        licence: The licence of the template's text.
        pay_link: Whether pay is linked to appraisal by default: then its ``pay`` milestones
            are scheduled and its cycles may record a pay recommendation. A school's
            `Policy.pay_recommendations` overrides it (off since 2024 in England).
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    period: Period
    milestones: tuple[MilestoneRule, ...] = attrs.field(converter=to_tuple)
    roles: tuple[Role, ...] = attrs.field(default=(), converter=_to_roles)
    jurisdiction: str = ""
    description: str = ""
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    licence: str = "MIT"
    pay_link: bool = False

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        if not self.milestones:
            problems.append("a template needs at least one milestone")
        ids = [m.id for m in self.milestones]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            problems.append(f"milestone id(s) used more than once: {', '.join(repeated)}")
        by_id = {m.id: m for m in self.milestones}
        for rule in self.milestones:
            anchor = rule.parsed_anchor
            if anchor.kind is not AnchorKind.MILESTONE:
                continue
            target = by_id.get(anchor.milestone)
            if target is None:
                problems.append(
                    f"milestone {rule.id!r} is anchored on {anchor.milestone!r}, which the "
                    f"template does not have (known: {', '.join(ids)})"
                )
            elif target.recurs:
                problems.append(
                    f"milestone {rule.id!r} is anchored on {target.id!r}, which recurs: anchor "
                    "on a milestone that happens once"
                )
        problems.extend(self._cycles(by_id))
        if problems:
            raise ValueError("; ".join(problems))

    def _cycles(self, by_id: dict[str, MilestoneRule]) -> list[str]:
        for rule in self.milestones:
            seen = [rule.id]
            current = rule
            while current.parsed_anchor.kind is AnchorKind.MILESTONE:
                nxt = by_id.get(current.parsed_anchor.milestone)
                if nxt is None:
                    break
                if nxt.id in seen:
                    chain = " -> ".join([*seen, nxt.id])
                    return [f"milestones are anchored on each other in a loop: {chain}"]
                seen.append(nxt.id)
                current = nxt
        return []

    def rule(self, rule_id: str) -> MilestoneRule:
        """Return the milestone rule with *rule_id*.

        Raises:
            NotFoundError: If there is none.
        """
        for rule in self.milestones:
            if rule.id == rule_id:
                return rule
        raise NotFoundError(
            "milestone rule",
            rule_id,
            within=f"in template {self.id!r}",
            known=[m.id for m in self.milestones],
        )

    def applies_to(self, role: Role) -> bool:
        """Return whether the template is meant for staff holding *role*."""
        return role in self.roles

    @property
    def expected_minutes(self) -> int:
        """The expected minutes of the non-recurring milestones (recurring ones once each)."""
        return sum(m.minutes or 0 for m in self.milestones)
