"""The planned side of training: a school's CPD budget and its training plan.

The training-needs report (`devcycle.reports.needs`) says what staff need; a school then
*plans* what it will do about it. A `TrainingPlanEntry` is one planned piece of training: on
dates of the school calendar, for the people with the need, led by an owner (a member of
staff of the same school), with its hours and its cost. A `CPDBudget` is the money the school
has set aside for CPD over a period (its financial or academic year); budgets are part of the
`School` (``School.cpd_budgets``), one per period, never overlapping.

`budget_positions` sets the plan against the budgets: an entry counts against the budget whose
period holds its first date, cancelled entries count for nothing, and each budget's committed
total, what remains and any overspend follow (``committed + remaining == amount`` always, and
overspend is the amount committed beyond the budget). Entries no budget covers are listed
apart, never silently dropped.

Everything is keyed by school: two schools of a trust with a budget and entries of the same
ids keep their own, and `budget_positions` refuses entries of another school.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from devcycle.domain._validate import (
    as_tuple,
    check_planned,
    identifier,
    identifiers,
    invalid,
    member_of,
    not_before,
    optional_identifier,
    plain_text,
    planned_date,
    text,
    to_float,
    to_money,
    to_tuple,
)

__all__ = [
    "MAX_MONEY",
    "BudgetPosition",
    "CPDBudget",
    "PlanLevel",
    "PlanStatus",
    "TrainingPlanEntry",
    "budget_positions",
]


MAX_MONEY = Decimal("999999999999.99")
"""The largest amount of money a budget or a training-plan entry may hold (under a trillion):
anything larger is a mistake (``1e100000`` is a finite Decimal of 100,001 digits)."""


def _in_pence(value: Decimal) -> bool:
    """Whether finite *value* has no more than 2 decimal places (12.340 has 2: its zeros)."""
    _sign, digits, exponent = value.as_tuple()
    extra = -int(exponent) - 2
    return extra <= 0 or not any(digits[-extra:])


def _money(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, str):
        msg = (
            f"'{attribute.name}' must be an amount of money: expected a number such as 12.50, "
            f"got text {value!r}"
        )
        invalid(attribute.name, msg, value=value, expected="a number, such as 12.50")
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        got = value if isinstance(value, Decimal) else repr(value)
        msg = f"'{attribute.name}' must be an amount of money of at least 0 (got {got})"
        invalid(attribute.name, msg, value=value, expected="an amount of at least 0")
    if value > MAX_MONEY:
        msg = (
            f"'{attribute.name}' must be an amount of money of at most {MAX_MONEY:,} "
            f"(got {value:.6g})"
        )
        invalid(attribute.name, msg, value=value, expected=f"an amount of at most {MAX_MONEY:,}")
    if not _in_pence(value):
        msg = (
            f"'{attribute.name}' must be an amount of money with at most 2 decimal places, "
            f"such as 12.34 (got {value}); it is not rounded"
        )
        invalid(
            attribute.name, msg, value=value, expected="an amount with at most 2 decimal places"
        )


def _optional_hours(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _hours(inst, attribute, value)


def _hours(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        msg = f"'{attribute.name}' must be a number of hours of at least 0 (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="a number of hours of at least 0")


def _sorted_days(value: Iterable[object]) -> tuple[Any, ...]:
    days = as_tuple(value, "dates")
    if all(isinstance(d, date) for d in days):
        return tuple(sorted(set(days)))
    return days


def _days(_inst: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    if not value:
        msg = f"'{attribute.name}' must give at least one date on the school calendar"
        invalid(attribute.name, msg, value=value, expected="one or more dates")
    for day in value:
        check_planned(attribute.name, day)


@attrs.frozen
class CPDBudget:
    """Money a school sets aside for CPD over one period.

    Attributes:
        id: Unique within the school ("2026-27").
        start: The first day of the period (1 April for a maintained school's financial
            year, 1 September for an academy's), from 2000 to 2099 (1900 is a typing slip).
        end: The last day of the period, from 2000 to 2099.
        amount: The money budgeted, a `Decimal` in the school's currency, of at least 0 and
            with at most 2 decimal places (12.345 is an error, never rounded).
        hours: Staff hours budgeted for CPD over the period, if the school budgets time too.
        title: What people call it ("CPD budget 2026/27").
    """

    id: str = attrs.field(validator=identifier)
    start: date = attrs.field(validator=planned_date)
    end: date = attrs.field(validator=[planned_date, not_before("start")])
    amount: Decimal = attrs.field(converter=to_money, validator=_money)
    hours: float | None = attrs.field(default=None, converter=to_float, validator=_optional_hours)
    title: str = attrs.field(default="", validator=plain_text)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


class PlanLevel(enum.StrEnum):
    """Who a planned piece of training is for."""

    WHOLE_SCHOOL = "whole-school"
    TEAM = "team"
    INDIVIDUAL = "individual"


def _to_level(value: PlanLevel | str) -> PlanLevel:
    return member_of(PlanLevel, "level", value)


class PlanStatus(enum.StrEnum):
    """Where a planned piece of training stands."""

    PLANNED = "planned"
    BOOKED = "booked"
    DONE = "done"
    CANCELLED = "cancelled"
    """Counts for nothing against the budget."""


def _to_status(value: PlanStatus | str) -> PlanStatus:
    return member_of(PlanStatus, "status", value)


_OPEN = frozenset({PlanStatus.PLANNED, PlanStatus.BOOKED})


@attrs.frozen
class TrainingPlanEntry:
    """One planned piece of training in a school's training plan.

    Attributes:
        id: Unique within the school.
        school_id: The school whose plan it is.
        title: What it is ("Questioning: whole-staff INSET").
        dates: The day or days it is held, on the school calendar (sorted, each once), each
            from 2000 to 2099 (1900 is a typing slip).
        owner_id: Who leads or organises it: a member of staff of *school_id*.
        hours: Its length in hours for each person taking part.
        cost: What it costs in all (fees, cover, materials), a `Decimal` of at least 0 with
            at most 2 decimal places (12.345 is an error, never rounded).
        level: Whole-school, team or individual (the default). A whole-school entry names
            no team; a team entry names its team (*team_id*); an individual entry names
            its participants (else each would read as "all staff").
        need: The training need it answers, as the needs report words it.
        participant_ids: Who it is for (staff of *school_id*; at team level, members of
            the team); empty for all staff (whole-school) or the whole team (team level).
        team_id: The team it is for, at team level (required there, refused whole-school).
        status: Planned, booked, done or cancelled.
        offering_id: The CPD catalogue offering it is a run of, if any.
        notes: Anything else.
        version: Set by the store for optimistic concurrency; leave at 0.
    """

    id: str = attrs.field(validator=identifier)
    school_id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    dates: tuple[date, ...] = attrs.field(converter=_sorted_days, validator=_days)
    owner_id: str = attrs.field(validator=identifier)
    hours: float = attrs.field(default=0.0, converter=to_float, validator=_hours)
    cost: Decimal = attrs.field(default=Decimal(0), converter=to_money, validator=_money)
    level: PlanLevel = attrs.field(default=PlanLevel.INDIVIDUAL, converter=_to_level)
    need: str = attrs.field(default="", validator=plain_text)
    participant_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    team_id: str | None = attrs.field(default=None, validator=optional_identifier)
    status: PlanStatus = attrs.field(default=PlanStatus.PLANNED, converter=_to_status)
    offering_id: str | None = attrs.field(default=None, validator=optional_identifier)
    notes: str = attrs.field(default="", validator=plain_text)
    version: int = attrs.field(default=0, eq=False)

    def __attrs_post_init__(self) -> None:
        if self.level is PlanLevel.WHOLE_SCHOOL and self.team_id is not None:
            msg = (
                f"training-plan entry {self.id!r} is whole-school but names team "
                f"{self.team_id!r}: leave team_id out, or make it a team entry (level 'team')"
            )
            invalid("team_id", msg, value=self.team_id, expected="no team for a whole-school entry")
        if self.level is PlanLevel.TEAM and self.team_id is None:
            msg = (
                f"training-plan entry {self.id!r} is a team entry but names no team: give "
                "team_id (without one it would read as being for all staff)"
            )
            invalid("team_id", msg, value=None, expected="the id of a team of the school")
        if self.level is PlanLevel.INDIVIDUAL and not self.participant_ids:
            msg = (
                f"training-plan entry {self.id!r} is an individual entry but names no "
                "participants: give participant_ids (without them it would read as being for "
                "all staff), or make it whole-school (level 'whole-school')"
            )
            invalid("participant_ids", msg, value=(), expected="one or more staff ids")

    @property
    def start(self) -> date:
        """Its first date: the one that decides which budget it counts against."""
        return self.dates[0]

    @property
    def counts(self) -> bool:
        """Whether it counts against the budget (it is not cancelled)."""
        return self.status is not PlanStatus.CANCELLED

    def is_for(self, school_id: str, staff_id: str, team_ids: Iterable[str] = ()) -> bool:
        """Whether the entry is for one member of staff (who is in the teams *team_ids*).

        Its participants are those named; with none named, its team's members (for an entry
        with a team), or else all staff of its school. The owner leads it and is not, by
        that, one of them.
        """
        if school_id != self.school_id:
            return False
        if self.participant_ids:
            return staff_id in self.participant_ids
        if self.team_id is not None:
            return self.team_id in team_ids
        return True

    def past_due(self, as_of: date) -> bool:
        """Whether its last date is before *as_of* while it is still planned or booked.

        It has happened, or not, and nobody has said which: it stays committed (not spent)
        until it is marked done or cancelled.
        """
        return self.status in _OPEN and self.dates[-1] < as_of

    def staff_hours(self, staff_count: int, team_size: int | None = None) -> float:
        """Hours of staff time it takes: its hours for each participant.

        Its participants are those named; with none named, its team's members (for an entry
        with a team), or else all staff.

        Args:
            staff_count: How many staff the school has, for an entry for all staff.
            team_size: How many members the entry's team has, for a team entry with no
                participants named (None: not known, counted as all staff).
        """
        if self.participant_ids:
            return self.hours * len(self.participant_ids)
        if self.team_id is not None and team_size is not None:
            return self.hours * team_size
        return self.hours * staff_count


@attrs.frozen
class BudgetPosition:
    """A budget set against the training plan.

    Attributes:
        school_id: The school.
        budget: The budget, or None for the entries no budget covers.
        entries: The entries counted against it (cancelled ones listed, counted as nothing).
        committed: The cost of every entry not cancelled.
        spent: The cost of the entries done.
        remaining: What is left: ``amount - committed`` (negative when overspent).
        overspend: How much more is committed than budgeted (0 when within it).
        staff_hours: Hours of staff time the entries not cancelled take.
        overspent: Whether more is committed than budgeted.
        hours_over: Whether the staff hours committed pass the hours budgeted (if any are).
        past_due: The ids of its entries still planned or booked whose last date is before
            the as-of date given to `budget_positions` (none without one): committed, not
            spent, until marked done or cancelled.
        past_due_cost: What those entries cost (part of *committed*).
    """

    school_id: str
    budget: CPDBudget | None
    entries: tuple[TrainingPlanEntry, ...]
    committed: Decimal
    spent: Decimal
    remaining: Decimal
    overspend: Decimal
    staff_hours: float

    overspent: bool = False
    hours_over: bool = False
    past_due: tuple[str, ...] = ()
    past_due_cost: Decimal = Decimal(0)


def _position(
    school_id: str,
    budget: CPDBudget | None,
    entries: Sequence[TrainingPlanEntry],
    staff_count: int,
    team_sizes: Mapping[str, int],
    *,
    as_of: date | None,
) -> BudgetPosition:
    live = [e for e in entries if e.counts]
    late = [e for e in live if as_of is not None and e.past_due(as_of)]
    committed = sum((e.cost for e in live), Decimal(0))
    spent = sum((e.cost for e in live if e.status is PlanStatus.DONE), Decimal(0))
    amount = budget.amount if budget is not None else Decimal(0)
    hours = sum(
        e.staff_hours(staff_count, team_sizes.get(e.team_id) if e.team_id else None) for e in live
    )
    return BudgetPosition(
        school_id=school_id,
        budget=budget,
        entries=tuple(entries),
        committed=committed,
        spent=spent,
        remaining=amount - committed,
        overspend=max(committed - amount, Decimal(0)),
        staff_hours=hours,
        overspent=committed > amount,
        hours_over=budget is not None and budget.hours is not None and hours > budget.hours,
        past_due=tuple(e.id for e in late),
        past_due_cost=sum((e.cost for e in late), Decimal(0)),
    )


def budget_positions(
    school_id: str,
    budgets: Iterable[CPDBudget],
    entries: Iterable[TrainingPlanEntry],
    *,
    staff_count: int = 0,
    team_sizes: Mapping[str, int] | None = None,
    as_of: date | None = None,
) -> tuple[BudgetPosition, ...]:
    """Set a school's training plan against its CPD budgets.

    Args:
        school_id: The school.
        budgets: Its budgets (``School.cpd_budgets``).
        entries: Its training-plan entries.
        staff_count: How many staff it has, for the staff hours of all-staff entries.
        team_sizes: How many members each of its teams has, by team id, for the staff
            hours of team entries with no participants named.
        as_of: The day to judge on: entries still planned or booked whose last date is
            before it are listed as past due (`BudgetPosition.past_due`), still committed.

    Returns:
        One position per budget in date order, then (if any entry falls outside every
        budget) one with ``budget=None`` for those entries, whose whole cost is overspend.

    Raises:
        ValidationError: If an entry belongs to another school.
    """
    items = sorted(entries, key=lambda e: (e.start, e.id))
    strays = [e.id for e in items if e.school_id != school_id]
    if strays:
        msg = (
            f"training-plan entries {', '.join(map(repr, strays))} belong to another school "
            f"than {school_id!r}: a school's plan is set against its own budget only"
        )
        invalid("school_id", msg, value=strays, expected=f"entries of {school_id!r}")
    sizes = team_sizes or {}
    ordered = sorted(budgets, key=lambda b: (b.start, b.id))
    claimed: set[str] = set()
    positions = []
    for budget in ordered:
        mine = [e for e in items if e.id not in claimed and e.start in budget]
        claimed.update(e.id for e in mine)
        positions.append(_position(school_id, budget, mine, staff_count, sizes, as_of=as_of))
    loose = [e for e in items if e.id not in claimed]
    if loose:
        positions.append(_position(school_id, None, loose, staff_count, sizes, as_of=as_of))
    return tuple(positions)
