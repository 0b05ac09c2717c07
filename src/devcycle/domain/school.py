"""Schools, trusts and the priorities of a school improvement plan."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

from devcycle.domain._validate import (
    as_tuple,
    check_whole_size,
    flag,
    identifier,
    identifiers,
    instance,
    instances,
    invalid,
    optional_date,
    optional_identifier,
    optional_plain_text,
    plain_text,
    text,
    to_float,
    to_tuple,
)
from devcycle.domain.milestones import Milestone
from devcycle.domain.people import StaffMember, Team
from devcycle.domain.training import CPDBudget
from devcycle.errors import NotFoundError, ValidationError

__all__ = [
    "KPI",
    "Policy",
    "Priority",
    "School",
    "TeamMilestone",
    "Trust",
    "check_measured",
    "older_measurements",
]


def _max_objectives(_inst: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"'max_objectives' must be a whole number of at least 1 (got {value!r})"
        invalid("max_objectives", msg, value=value, expected="a whole number of at least 1")
    check_whole_size("max_objectives", value)


def _hours_cap(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        msg = (
            f"'observation_hours_cap' must be a number of hours above 0, or left out "
            f"(got {value!r})"
        )
        invalid("observation_hours_cap", msg, value=value, expected="a number above 0, or none")


def _optional_figure(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        msg = f"'{attribute.name}' must be a finite number, or left out (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="a finite number, or none")


@attrs.frozen
class KPI:
    """A key performance indicator of a school priority: where it started, where it is, the aim.

    Attributes:
        id: Unique within the priority ("K1", "ks2-reading").
        name: What is measured ("KS2 reading at the expected standard").
        unit: The unit of the figures ("%", "incidents a week"), or "" for a plain count.
        baseline: The figure when the plan was written; None while it is not yet known
            (a KPI kept from older plain text has no figures until the school sets them).
        target: The figure the plan aims for; None while it is not yet set.
        due: When the target should be met, if the plan says.
        current: The latest figure, if one has been measured since the baseline.
        current_on: The day *current* was measured (required with it, and only with it).
        description: More detail, if any.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    unit: str = attrs.field(default="", validator=plain_text)
    baseline: float | None = attrs.field(
        default=None, converter=to_float, validator=_optional_figure
    )
    target: float | None = attrs.field(default=None, converter=to_float, validator=_optional_figure)
    due: date | None = attrs.field(default=None, validator=optional_date)
    current: float | None = attrs.field(
        default=None, converter=to_float, validator=_optional_figure
    )
    current_on: date | None = attrs.field(default=None, validator=optional_date)
    description: str = attrs.field(default="", validator=plain_text)

    def __attrs_post_init__(self) -> None:
        if (self.current is None) != (self.current_on is None):
            given, missing = (
                ("current", "current_on")
                if self.current_on is None
                else (
                    "current_on",
                    "current",
                )
            )
            msg = (
                f"KPI {self.id!r}: '{given}' is set but '{missing}' is not; a current value "
                "needs the day it was measured, and a day needs its value"
            )
            invalid(missing, msg, value=None, expected="both current and current_on, or neither")

    def record(self, current: float, on: date) -> KPI:
        """This KPI with the figure *current* measured on *on* as its latest.

        A KPI keeps only its latest figure, so a figure measured before the one it holds is
        refused rather than taking its place (a trial found an older figure silently
        replacing a newer one); a figure of the same day replaces it (a correction).

        Raises:
            ValidationError: At ``$.current_on`` if *on* is before `current_on`.
        """
        check_measured(self, on)
        return attrs.evolve(self, current=current, current_on=on)

    @property
    def has_figures(self) -> bool:
        """Whether the KPI has both a baseline and a target to report against."""
        return self.baseline is not None and self.target is not None

    @property
    def met(self) -> bool | None:
        """Whether the current value has reached the target (in the direction of travel).

        None when there is no baseline, target or current value to judge by.
        """
        if self.baseline is None or self.target is None or self.current is None:
            return None
        if self.target >= self.baseline:
            return self.current >= self.target
        return self.current <= self.target


def check_measured(kpi: KPI, on: object, where: str = "$") -> None:
    """Raise `ValidationError` if a figure measured *on* is older than *kpi*'s latest.

    Args:
        kpi: The KPI as it stands (its `KPI.current_on`, if any, is its latest figure's day).
        on: The day the new figure was measured.
        where: The path of the KPI, for the message (``$.priorities[0].kpis[1]``).
    """
    latest = kpi.current_on
    if latest is None or not isinstance(on, date) or on >= latest:
        return
    msg = (
        f"KPI {kpi.id!r} holds a figure measured on {latest.isoformat()} ({kpi.current:g}); "
        f"a figure measured on {on.isoformat()} is older and would replace it: a KPI keeps "
        "only its latest figure, so record figures in the order they were measured (to "
        "correct a misdated figure, clear the current figure first)"
    )
    field = "current_on" if where == "$" else f"{where.removeprefix('$.')}.current_on"
    invalid(field, msg, value=on, expected=f"a day on or after {latest.isoformat()}")


def older_measurements(before: School | None, after: School) -> list[str]:
    """Every KPI of *after* whose figure is older than the one *before* held, with its path.

    A KPI keeps only its latest figure: saving a school whose KPI figure is dated before
    the one stored would put an older figure in place of a newer one. A KPI whose figure is
    cleared (None) may then be given any figure (how a misdated figure is corrected).
    """
    if before is None:
        return []
    stored = {(p.id, k.id): k for p in before.priorities for k in p.kpis}
    problems = []
    for i, priority in enumerate(after.priorities):
        for j, kpi in enumerate(priority.kpis):
            old = stored.get((priority.id, kpi.id))
            if old is None or kpi.current_on is None:
                continue
            try:
                check_measured(old, kpi.current_on, f"$.priorities[{i}].kpis[{j}]")
            except ValidationError as exc:
                problems += [f"{p.message} @ {p.path}" for p in exc.problems]
    return problems


def _to_kpis(value: Iterable[object]) -> tuple[object, ...]:
    """KPIs, each plain text (the older form) becoming a KPI named by it, with no figures.

    A KPI from text gets the id ``K1``, ``K2``... by its place, skipping ids already taken;
    blank text (which named nothing) is dropped.
    """
    items = as_tuple(value, "kpis")
    if not any(isinstance(item, str) for item in items):
        return items
    taken = {item.id for item in items if isinstance(item, KPI)}
    counter = itertools.count(1)
    out: list[object] = []
    for item in items:
        if isinstance(item, str):
            if item.strip():
                kpi_id = next(f"K{n}" for n in counter if f"K{n}" not in taken)
                taken.add(kpi_id)
                out.append(KPI(kpi_id, item))
        else:
            out.append(item)
    return tuple(out)


def _kpis(_inst: object, attribute: attrs.Attribute[Any], value: tuple[object, ...]) -> None:
    instances(KPI)(_inst, attribute, value)
    ids = [k.id for k in value if isinstance(k, KPI)]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        msg = f"'kpis' must have unique ids within the priority (repeated: {', '.join(repeated)})"
        invalid("kpis", msg, value=repeated, expected="unique KPI ids")


@attrs.frozen
class Priority:
    """A priority of the school improvement plan (SIP) that objectives can contribute to.

    Attributes:
        id: A short id, unique within the school ("P1", "SIP-2026-READ").
        title: The priority as the plan states it.
        description: More detail, if any.
        kpis: Its key performance indicators (`KPI`), each with a baseline, a target and
            the latest value. Plain text is still accepted (and older stored schools load):
            each text becomes a KPI of that name with no figures yet.
        theme: A free theme word for grouping and the objective bank ("reading", "behaviour").
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    description: str = attrs.field(default="", validator=plain_text)
    kpis: tuple[KPI, ...] = attrs.field(default=(), converter=_to_kpis, validator=_kpis)
    theme: str | None = attrs.field(default=None, validator=optional_plain_text)


@attrs.frozen
class Policy:
    """The choices a school's appraisal policy makes that change what devcycle allows.

    Attributes:
        pay_recommendations: Whether reviews may carry a pay recommendation. Performance-related
            pay left English teacher appraisal in 2024, so this is off unless the school's
            policy keeps one.
        max_objectives: How many objectives one person should have at once (the checker's
            default threshold).
        observation_hours_cap: The most observation hours per person per cycle, if the policy
            sets a cap (the 2006 regulations' cap was 3 hours).
    """

    pay_recommendations: bool = attrs.field(default=False, validator=flag)
    max_objectives: int = attrs.field(default=3, validator=_max_objectives)
    observation_hours_cap: float | None = attrs.field(
        default=None, converter=to_float, validator=_hours_cap
    )


@attrs.frozen
class TeamMilestone:
    """A milestone for a whole team: a team review meeting, a department moderation session.

    It is the school's, not any one cycle's, and is shown beside each member's own
    milestones (the calendar export of a person or a team).

    Attributes:
        team_id: The team of the school it is for.
        milestone: What happens and when (its id unique among the team's milestones);
            ``completed_on`` is set once it has happened.
    """

    team_id: str = attrs.field(validator=identifier)
    milestone: Milestone = attrs.field(validator=instance(Milestone))

    @property
    def id(self) -> str:
        """The milestone's id (unique within its team)."""
        return self.milestone.id


@attrs.frozen
class School:
    """A school, optionally one of several in a trust.

    Attributes:
        id: The caller's id for the school (a URN or a short code).
        name: The school's name.
        trust_id: The trust it belongs to, if any, for trust-wide reporting.
        priorities: The improvement-plan priorities objectives link to.
        teams: The school's teams and departments.
        country: Which nation's law and standards apply: england, wales, scotland,
            northern_ireland, australia, other.
        policy: The school's appraisal policy choices.
        cpd_budgets: Its CPD budgets, one per period (financial or academic year), never
            overlapping; the training plan is set against them (`budget_positions`).
        team_milestones: Milestones for a team of the school (`TeamMilestone`), shown beside
            each member's own.
        version: Set by the store for optimistic concurrency; leave at 0.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    trust_id: str | None = attrs.field(default=None, validator=optional_identifier)
    priorities: tuple[Priority, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(Priority)
    )
    teams: tuple[Team, ...] = attrs.field(default=(), converter=to_tuple, validator=instances(Team))
    country: str = attrs.field(default="england", validator=text)
    policy: Policy = attrs.field(factory=Policy, validator=instance(Policy))
    cpd_budgets: tuple[CPDBudget, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(CPDBudget)
    )
    team_milestones: tuple[TeamMilestone, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(TeamMilestone)
    )
    version: int = attrs.field(default=0, eq=False)

    def __attrs_post_init__(self) -> None:
        budgets = sorted(self.cpd_budgets, key=lambda b: (b.start, b.id))
        for before, after in itertools.pairwise(budgets):
            if after.start <= before.end:
                msg = (
                    f"school {self.id!r}: CPD budgets {before.id!r} ({before.start} to "
                    f"{before.end}) and {after.id!r} ({after.start} to {after.end}) overlap; "
                    "each day belongs to one budget"
                )
                invalid("cpd_budgets", msg, value=[before.id, after.id], expected="no overlap")
        for kind, items in (
            ("priority", self.priorities),
            ("team", self.teams),
            ("CPD budget", self.cpd_budgets),
        ):
            ids = [item.id for item in items]
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                msg = f"school {self.id!r} lists {kind} id(s) more than once: {', '.join(repeated)}"
                field = {"priority": "priorities", "team": "teams"}.get(kind, "cpd_budgets")
                invalid(field, msg, value=repeated, expected=f"each {kind} id once")
        self._check_team_milestones()

    def _check_team_milestones(self) -> None:
        teams = {t.id for t in self.teams}
        seen: set[tuple[str, str]] = set()
        for item in self.team_milestones:
            if item.team_id not in teams:
                msg = (
                    f"school {self.id!r}: team milestone {item.id!r} is for team "
                    f"{item.team_id!r}, which is not one of its teams "
                    f"({', '.join(sorted(teams)) or 'it has none'})"
                )
                invalid("team_milestones", msg, value=item.team_id, expected="a team of the school")
            key = (item.team_id, item.id)
            if key in seen:
                msg = (
                    f"school {self.id!r}: team {item.team_id!r} has milestone id {item.id!r} "
                    "more than once"
                )
                invalid("team_milestones", msg, value=item.id, expected="each id once per team")
            seen.add(key)

    def team_milestones_for(self, member: StaffMember) -> tuple[TeamMilestone, ...]:
        """The team milestones of the teams *member* belongs to (none for another school's)."""
        if member.school_id != self.id:
            return ()
        return tuple(t for t in self.team_milestones if t.team_id in member.team_ids)

    def priority(self, priority_id: str) -> Priority:
        """Return the priority with *priority_id*, or raise `NotFoundError`."""
        for priority in self.priorities:
            if priority.id == priority_id:
                return priority
        raise NotFoundError("priority", priority_id, known=[p.id for p in self.priorities])

    def cpd_budget(self, budget_id: str) -> CPDBudget:
        """Return the CPD budget with *budget_id*, or raise `NotFoundError`."""
        for budget in self.cpd_budgets:
            if budget.id == budget_id:
                return budget
        raise NotFoundError("CPD budget", budget_id, known=[b.id for b in self.cpd_budgets])

    def team(self, team_id: str) -> Team:
        """Return the team with *team_id*, or raise `NotFoundError`."""
        for team in self.teams:
            if team.id == team_id:
                return team
        raise NotFoundError("team", team_id, known=[t.id for t in self.teams])


@attrs.frozen
class Trust:
    """A multi-academy trust or federation: a named group of schools for roll-up reports."""

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    school_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=identifiers)
