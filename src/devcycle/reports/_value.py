"""CPD value for money: what CPD cost, per person, team, priority and school, against its impact.

Each activity's whole cost (`CPDActivity.total_cost`: its fixed cost plus its cost per place)
is shared out to the people holding a place on it: the fixed cost in equal shares (to the
penny, the odd pennies to the first people by id, so the shares add up exactly), plus each
place's own cost. An absent person's place cost what it cost, and bought nothing: it is
counted as *absent* rather than against an impact level. Every other place's cost is set
against the highest impact level the activity's evaluation reached (`ImpactLevel`), or "none
recorded". An activity with no places at all is counted whole for its school (and trust).

Rows add up: a team's or school's figures are the sum of its members' (plus, for a school,
its CPD with no places), and every row's cost is its absent cost plus its cost at each level.
A person in two teams counts in both teams; an activity serving two priorities counts whole
under each (so priority rows may add up to more than the school's total, which counts each
activity once). Amounts are in the school's currency, rounded to the penny.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Document, Paragraph
from devcycle.domain import CPDActivity, ImpactLevel
from devcycle.domain.cpd import AttendanceStatus
from devcycle.reports._base import (
    ReportData,
    Scope,
    ScopeInfo,
    StaffKey,
    _Resolved,
    resolve,
    staff_key,
    sum_members,
)
from devcycle.reports._documents import (
    document,
    group_label,
    plural,
    schooled,
    section,
    table_or_note,
)
from devcycle.reports._impact import LEVEL_NAMES

__all__ = ["Spend", "SpendRow", "ValueReport", "value"]

_PENNY = Decimal("0.01")
_ZERO = Decimal("0.00")
_LEVELS = len(ImpactLevel) + 1  # index 0: nothing recorded; k: highest level k


def _pennies(amount: Decimal) -> int:
    return int((amount.quantize(_PENNY, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def _money(pennies: int) -> Decimal:
    return (Decimal(pennies) / 100).quantize(_PENNY)


@attrs.frozen
class Spend:
    """Money spent on CPD places and the impact it bought; adds up across rows.

    Attributes:
        places: Places held (booked, attended or absent).
        attended: Places recorded as attended.
        absent: Places recorded as absent.
        absent_cost: What the absent places cost.
        by_highest: Cost of the places not absent by the highest impact level their activity
            reached: index 0 nothing recorded, index k level k.
        activities: Activities counted (in a sum, an activity shared by two people is
            counted once for each).
    """

    places: int = 0
    attended: int = 0
    absent: int = 0
    absent_cost: Decimal = _ZERO
    by_highest: tuple[Decimal, ...] = (_ZERO,) * _LEVELS
    activities: int = 0

    def __add__(self, other: Spend) -> Spend:
        return Spend(
            places=self.places + other.places,
            attended=self.attended + other.attended,
            absent=self.absent + other.absent,
            absent_cost=self.absent_cost + other.absent_cost,
            by_highest=tuple(a + b for a, b in zip(self.by_highest, other.by_highest, strict=True)),
            activities=self.activities + other.activities,
        )

    @property
    def cost(self) -> Decimal:
        """The whole cost: absent places plus every other place at its level."""
        return self.absent_cost + sum(self.by_highest, _ZERO)

    def reached(self, level: ImpactLevel) -> Decimal:
        """Cost of places whose activity's evaluation reached *level* or above."""
        return sum(self.by_highest[int(level) :], _ZERO)

    @property
    def in_practice_share(self) -> float:
        """Share of the cost that bought impact on practice (level 4) or beyond."""
        cost = self.cost
        return float(self.reached(ImpactLevel.USE_OF_KNOWLEDGE) / cost) if cost else 0.0

    @property
    def cost_per_attendance(self) -> Decimal | None:
        """The cost divided by the places attended; None if nobody is recorded attending."""
        if not self.attended:
            return None
        return (self.cost / self.attended).quantize(_PENNY, rounding=ROUND_HALF_UP)


@attrs.frozen
class SpendRow:
    """One row of the report: a person, team, priority, school or trust and its spend.

    Attributes:
        kind: ``person``, ``team``, ``priority``, ``school`` or ``trust``.
        id: The person's, team's, priority's, school's or trust's id (``""`` for the row of
            CPD serving no priority).
        name: What to call it.
        school_id: The school it belongs to; None for a trust.
        spend: Its spend and what it bought.
        cost: Its whole cost (``spend.cost``, kept for exports).
        in_practice_cost: The cost that bought impact on practice (level 4) or beyond.
    """

    kind: str
    id: str
    name: str
    school_id: str | None
    spend: Spend
    cost: Decimal = attrs.field(
        init=False, default=attrs.Factory(lambda row: row.spend.cost, takes_self=True)
    )
    in_practice_cost: Decimal = attrs.field(
        init=False,
        default=attrs.Factory(
            lambda row: row.spend.reached(ImpactLevel.USE_OF_KNOWLEDGE), takes_self=True
        ),
    )


@attrs.frozen
class ValueReport:
    """The CPD value-for-money report (see `value`).

    Attributes:
        scope: What was covered, as of when.
        people: Each person in scope, in staff order.
        groups: Teams, then schools, then the trust.
        priorities: Each school priority (then "no priority"), per school.
        unpriced: Activities in scope with no cost recorded, as ``(school_id, activity_id)``.
    """

    scope: ScopeInfo
    people: tuple[SpendRow, ...]
    groups: tuple[SpendRow, ...]
    priorities: tuple[SpendRow, ...]
    unpriced: tuple[tuple[str, str], ...]

    @property
    def rows(self) -> tuple[SpendRow, ...]:
        """Every row: people, groups, then priorities."""
        return (*self.people, *self.groups, *self.priorities)

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def value(data: ReportData, *, as_of: date, scope: Scope | None = None) -> ValueReport:
    """Sum what CPD cost per person, team, priority and school, against the impact it reached.

    An activity counts when it starts on or before *as_of* and is in scope (for a person or
    team: one they hold a place on, or one serving their objectives). See the module's
    description for how costs are shared out.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Activities starting after it are not counted yet.
        scope: One person, team or school; by default every school in *data*.

    Returns:
        The report; `ValueReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    return _build(resolve(data, scope, as_of))


def _shares(activity: CPDActivity) -> tuple[dict[str, int], int]:
    """Each place holder's share of the cost in pennies, and what no place carries."""
    fixed = _pennies(Decimal(str(activity.cost))) if activity.cost is not None else 0
    each = (
        _pennies(Decimal(str(activity.cost_per_place)))
        if activity.cost_per_place is not None
        else 0
    )
    holders = sorted(activity.attendee_ids)
    if not holders:
        return {}, fixed
    base, odd = divmod(fixed, len(holders))
    return {p: base + (1 if i < odd else 0) + each for i, p in enumerate(holders)}, 0


def _one(activity: CPDActivity, staff_id: str, pennies: int) -> Spend:
    status = activity.status_of(staff_id)
    highest = activity.highest_impact_level
    slot = int(highest) if highest is not None else 0
    amount = _money(pennies)
    if status is AttendanceStatus.ABSENT:
        return Spend(places=1, absent=1, absent_cost=amount, activities=1)
    levels = [_ZERO] * _LEVELS
    levels[slot] = amount
    return Spend(
        places=1,
        attended=1 if status is AttendanceStatus.ATTENDED else 0,
        by_highest=tuple(levels),
        activities=1,
    )


def _unplaced(activity: CPDActivity, pennies: int) -> Spend:
    highest = activity.highest_impact_level
    levels = [_ZERO] * _LEVELS
    levels[int(highest) if highest is not None else 0] = _money(pennies)
    return Spend(by_highest=tuple(levels), activities=1)


def _counted(view: _Resolved) -> Iterator[CPDActivity]:
    for activity in sorted(view.cpd, key=lambda a: (a.school_id, a.start, a.id)):
        if activity.start <= view.as_of:
            yield activity


def _build(view: _Resolved) -> ValueReport:
    wanted = {staff_key(p) for p in view.people}
    whole_school = view.scope.level not in ("person", "team")
    rows: dict[StaffKey, Spend] = {}
    school_extra: dict[str, Spend] = defaultdict(Spend)
    by_priority: dict[tuple[str, str], Spend] = defaultdict(Spend)
    unpriced: list[tuple[str, str]] = []
    for activity in _counted(view):
        school = activity.school_id
        if activity.total_cost is None:
            unpriced.append((school, activity.id))
        shares, rest = _shares(activity)
        spent = Spend()
        for staff_id, pennies in shares.items():
            key = (school, staff_id)
            if key not in wanted:
                continue
            one = _one(activity, staff_id, pennies)
            rows[key] = rows.get(key, Spend()) + one
            spent = spent + one
        if whole_school and not shares:
            extra = _unplaced(activity, rest)
            school_extra[school] = school_extra[school] + extra
            spent = spent + extra
        if spent.activities:
            for priority in activity.priority_ids or ("",):
                by_priority[(school, priority)] = by_priority[(school, priority)] + attrs.evolve(
                    spent, activities=1
                )
    names = {staff_key(p): p.name for p in view.people}
    people = tuple(
        SpendRow("person", p.id, names[staff_key(p)], p.school_id, rows.get(staff_key(p), Spend()))
        for p in view.people
    )
    groups = []
    for group in view.groups:
        total = sum_members(group, rows, Spend.__add__, Spend())
        if group.kind == "school":
            total = total + school_extra.get(group.id, Spend())
        elif group.kind == "trust":
            total = total + sum(school_extra.values(), Spend())
        groups.append(SpendRow(group.kind, group.id, group.name, group.school_id, total))
    return ValueReport(
        scope=view.info,
        people=people,
        groups=tuple(groups),
        priorities=_priority_rows(view, by_priority),
        unpriced=tuple(unpriced),
    )


def _priority_rows(
    view: _Resolved, by_priority: Mapping[tuple[str, str], Spend]
) -> tuple[SpendRow, ...]:
    found = []
    for school in view.schools:
        for priority in school.priorities:
            spend = by_priority.get((school.id, priority.id), Spend())
            found.append(SpendRow("priority", priority.id, priority.title, school.id, spend))
        known = {p.id for p in school.priorities}
        other = Spend()
        for (school_id, priority_id), spend in sorted(by_priority.items()):
            if school_id == school.id and priority_id not in known:
                other = other + spend
        if other.activities:
            found.append(SpendRow("priority", "", "No school priority", school.id, other))
    return tuple(found)


def _pounds(amount: Decimal | None) -> str:
    if amount is None:
        return "-"
    return f"{amount:,.2f}"


def _cells(row: SpendRow) -> tuple[str, ...]:
    spend = row.spend
    return (
        _pounds(spend.cost),
        str(spend.places),
        str(spend.attended),
        _pounds(spend.absent_cost),
        _pounds(spend.by_highest[0]),
        _pounds(spend.reached(ImpactLevel.USE_OF_KNOWLEDGE)),
        f"{spend.in_practice_share:.0%}",
        _pounds(spend.cost_per_attendance),
    )


_COLUMNS = (
    "Cost",
    "Places",
    "Attended",
    "Absent places' cost",
    "Cost with no impact recorded",
    "Cost reaching practice (level 4+)",
    "Share reaching practice",
    "Cost per attendance",
)


def _document(report: ValueReport) -> Document:
    info = report.scope
    top = next((g for g in reversed(report.groups) if g.kind in ("trust", "school")), None)
    summary: list[Block] = []
    if top is not None:
        spend = top.spend
        summary.append(
            Paragraph(
                f"CPD in scope cost {_pounds(spend.cost)} over "
                f"{plural(spend.places, 'place')} ({spend.attended} recorded as attended). "
                f"{_pounds(spend.reached(ImpactLevel.USE_OF_KNOWLEDGE))} "
                f"({spend.in_practice_share:.0%}) went on CPD whose evaluation reached "
                f"{LEVEL_NAMES[ImpactLevel.USE_OF_KNOWLEDGE].lower()} or beyond; "
                f"{_pounds(spend.by_highest[0])} on CPD with no impact recorded; "
                f"{_pounds(spend.absent_cost)} on places whose holder was absent."
            )
        )
    if report.unpriced:
        summary.append(
            Paragraph(
                f"{plural(len(report.unpriced), 'activity', 'activities')} in scope "
                "have no cost recorded and count as costing nothing: "
                + ", ".join(a for _, a in report.unpriced)
                + "."
            )
        )
    if not summary:
        summary.append(Paragraph("No CPD in scope yet."))
    body = [
        section("Summary", summary, id="summary"),
        section(
            "By school priority",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Priority", *_COLUMNS),
                        [(r.school_id, (r.name, *_cells(r))) for r in report.priorities],
                    ),
                    caption="CPD cost per school priority (an activity counts under each "
                    "priority it serves)",
                    empty="No school priorities in scope.",
                )
            ],
            id="priorities",
        ),
        section(
            "By team and school",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Group", *_COLUMNS),
                        [
                            (
                                r.school_id,
                                (group_label(info, r.kind, r.name, r.school_id), *_cells(r)),
                            )
                            for r in report.groups
                        ],
                    ),
                    caption="CPD cost per team, school and trust",
                    empty="No teams or schools in scope.",
                )
            ],
            id="groups",
        ),
        section(
            "By person",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Person", *_COLUMNS),
                        [(r.school_id, (r.name, *_cells(r))) for r in report.people],
                    ),
                    caption="CPD cost per person (their share of each activity they held a "
                    "place on)",
                    empty="Nobody in scope.",
                )
            ],
            id="people",
        ),
    ]
    return document("CPD value for money", info, "value", body)
