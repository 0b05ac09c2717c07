"""Workload: the hours the process itself costs each person, against a share of directed time.

Teachers in England may be directed for at most 1,265 hours a year, pro rata for part-time
staff (STPCD; see domain-research.md, S29). The appraisal process should be built into the
school's time budget. This report adds up, for each person, the hours of the meetings they
sit in (as reviewee or reviewer), the observations they take part in (observed or observing),
their check-ins and an estimate of the paperwork each meeting brings, plus the meetings still
planned (each milestone's expected duration from its template). It compares the total with a
configurable share of the directed hours, pro rata by FTE, and finds where it is exceeded, and
where observation passes the school policy's cap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import Cycle
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    StaffKey,
    _Resolved,
    fraction,
    non_negative,
    positive,
    resolve,
    staff_key,
    sum_members,
)
from devcycle.reports._documents import (
    BLUE,
    GREY,
    document,
    number,
    plural,
    schooled,
    section,
    table_or_note,
)

__all__ = [
    "DIRECTED_HOURS",
    "GroupWorkload",
    "PersonWorkload",
    "WorkloadCounts",
    "WorkloadFinding",
    "WorkloadPolicy",
    "WorkloadReport",
    "workload",
]

DIRECTED_HOURS = 1265.0
"""The most hours a full-time teacher in England may be directed to work in a year (STPCD)."""


@attrs.frozen
class WorkloadPolicy:
    """The time budget and the estimates used where nothing is recorded.

    Attributes:
        directed_hours: A full-time year of directed time (1,265 in England); pro rata by FTE.
            For support staff it stands in for their contracted hours unless set otherwise.
        share: The share of directed time the process may take (2% is about 25 hours).
        meeting_minutes: Minutes assumed for a meeting or milestone with no duration.
        observation_minutes: Minutes assumed for an observation with no duration.
        paperwork_minutes: Minutes of paperwork each meeting brings, for each side.
        check_in_minutes: Minutes a check-in takes whoever records it.
        include_planned: Count milestones not yet held at their expected durations.

    Example:
        >>> WorkloadPolicy(share=0.01).budget(0.5)
        6.325
    """

    directed_hours: float = attrs.field(default=DIRECTED_HOURS, validator=positive)
    share: float = attrs.field(default=0.02, validator=fraction)
    meeting_minutes: float = attrs.field(default=45.0, validator=positive)
    observation_minutes: float = attrs.field(default=30.0, validator=positive)
    paperwork_minutes: float = attrs.field(default=30.0, validator=non_negative)
    check_in_minutes: float = attrs.field(default=10.0, validator=non_negative)
    include_planned: bool = True

    def budget(self, fte: float) -> float:
        """The hours the process may take for someone at *fte*."""
        return round(self.directed_hours * fte * self.share, 4)


@attrs.frozen
class WorkloadCounts:
    """Hours by kind; they add up across people and groups.

    Attributes:
        meeting_hours: Review meetings held, as reviewee, reviewer or participant.
        observation_hours: Observations, observed or observing.
        paperwork_hours: Estimated paperwork for each meeting held.
        check_in_hours: Check-ins recorded.
        planned_hours: Milestones not yet held, at their expected durations (with paperwork).
        budget_hours: The share of directed time allowed.
        observed_hours: Of the observation hours, those spent being observed (for the cap).
    """

    meeting_hours: float = 0.0
    observation_hours: float = 0.0
    paperwork_hours: float = 0.0
    check_in_hours: float = 0.0
    planned_hours: float = 0.0
    budget_hours: float = 0.0
    observed_hours: float = 0.0

    def __add__(self, other: WorkloadCounts) -> WorkloadCounts:
        return WorkloadCounts(
            round(self.meeting_hours + other.meeting_hours, 4),
            round(self.observation_hours + other.observation_hours, 4),
            round(self.paperwork_hours + other.paperwork_hours, 4),
            round(self.check_in_hours + other.check_in_hours, 4),
            round(self.planned_hours + other.planned_hours, 4),
            round(self.budget_hours + other.budget_hours, 4),
            round(self.observed_hours + other.observed_hours, 4),
        )

    @property
    def recorded_hours(self) -> float:
        """Hours already spent."""
        return (
            self.meeting_hours
            + self.observation_hours
            + self.paperwork_hours
            + (self.check_in_hours)
        )

    @property
    def total_hours(self) -> float:
        """Hours spent and still planned."""
        return round(self.recorded_hours + self.planned_hours, 4)

    @property
    def over_budget(self) -> bool:
        """Whether the total exceeds the budget."""
        return self.total_hours > self.budget_hours + 1e-9


@attrs.frozen
class WorkloadFinding:
    """A budget or cap exceeded.

    Attributes:
        subject: Whose workload.
        code: ``over-budget`` or ``observation-cap``.
        message: What was found, with the figures.
        action: What to do next.
        school_id: The school of the person, team or school; None for a trust.
    """

    subject: str
    code: str
    message: str
    action: str
    school_id: str | None = None


@attrs.frozen
class PersonWorkload:
    """One person's hours, budget and findings."""

    staff_id: str
    name: str
    school_id: str
    fte: float
    reviews: int
    counts: WorkloadCounts
    findings: tuple[WorkloadFinding, ...]


@attrs.frozen
class GroupWorkload:
    """A team's, school's or trust's hours and budget: the sum of its members'."""

    group: Group
    counts: WorkloadCounts
    findings: tuple[WorkloadFinding, ...]


@attrs.frozen
class WorkloadReport:
    """The workload report (see `workload`).

    Attributes:
        scope: What was covered, as of when.
        policy: The budget and estimates used.
        people: Each person's hours.
        groups: Teams, then schools, then the trust.
    """

    scope: ScopeInfo
    policy: WorkloadPolicy
    people: tuple[PersonWorkload, ...]
    groups: tuple[GroupWorkload, ...]

    @property
    def total(self) -> WorkloadCounts:
        """Hours over everyone in scope."""
        return sum((p.counts for p in self.people), WorkloadCounts())

    @property
    def findings(self) -> tuple[WorkloadFinding, ...]:
        """Every finding: groups, then people."""
        return (
            *(f for g in self.groups for f in g.findings),
            *(f for p in self.people for f in p.findings),
        )

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def workload(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: WorkloadPolicy | None = None,
) -> WorkloadReport:
    """Count the hours the process costs each person against a share of directed time.

    A reviewer's hours include the meetings and observations of everyone they review in the
    schools in scope, even when the report covers only the reviewer.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle.
        scope: One person, team or school; by default every school in *data*.
        policy: The budget and estimates; `WorkloadPolicy()` by default.

    Returns:
        The report; `WorkloadReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    policy = policy or WorkloadPolicy()
    view = resolve(data, scope, as_of)
    return _build(view, policy)


def _build(view: _Resolved, policy: WorkloadPolicy) -> WorkloadReport:
    hours = _hours(view.school_current.values(), policy)
    caps = {s.id: s.policy.observation_hours_cap for s in view.schools}
    people = []
    for person in view.people:
        raw = hours.get(staff_key(person), {})
        counts = WorkloadCounts(
            **{k: round(v, 4) for k, v in raw.items() if k != "reviews"},
            budget_hours=policy.budget(person.fte),
        )
        found = list(_over(person.name, counts, policy, person.fte, person.school_id))
        cap = caps.get(person.school_id)
        if cap is not None and counts.observed_hours > cap:
            found.append(
                WorkloadFinding(
                    person.name,
                    "observation-cap",
                    f"{person.name}: observed for {number(counts.observed_hours)} hours this "
                    f"cycle; the school's policy caps it at {number(cap)}",
                    "Hold further observation only where the policy allows it, and record why.",
                    person.school_id,
                )
            )
        people.append(
            PersonWorkload(
                person.id,
                person.name,
                person.school_id,
                person.fte,
                int(raw.get("reviews", 0)),
                counts,
                tuple(found),
            )
        )
    rows = {(p.school_id, p.staff_id): p.counts for p in people}
    groups = []
    for group in view.groups:
        counts = sum_members(group, rows, WorkloadCounts.__add__, WorkloadCounts())
        over = tuple(_over(group.name, counts, policy, school_id=group.school_id))
        groups.append(GroupWorkload(group, counts, over))
    return WorkloadReport(view.info, policy, tuple(people), tuple(groups))


def _hours(cycles: Iterable[Cycle], policy: WorkloadPolicy) -> dict[StaffKey, dict[str, float]]:
    """Hours by person and kind over *cycles* (every current cycle of the schools).

    Everyone a cycle names (reviewee, reviewer, participants, observers) is staff of the
    cycle's school, so hours are keyed ``(school_id, staff_id)``.
    """
    hours: dict[StaffKey, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    paperwork = policy.paperwork_minutes / 60
    for cycle in cycles:
        school = cycle.school_id
        sides = tuple((school, p) for p in (cycle.staff_id, cycle.reviewer_id) if p is not None)
        # A cycle ended on leaving: its hours spent count, but nobody reviews it any more
        # and the milestones it did not hold never will be.
        if cycle.reviewer_id is not None and not cycle.is_ended:
            hours[(school, cycle.reviewer_id)]["reviews"] += 1
        held: set[str] = set()
        for meeting in cycle.reviews:
            minutes = meeting.minutes or policy.meeting_minutes
            for person in {(school, p) for p in meeting.participant_ids} | set(sides):
                hours[person]["meeting_hours"] += minutes / 60
            for person in sides:
                hours[person]["paperwork_hours"] += paperwork
            if meeting.milestone_id is not None:
                held.add(meeting.milestone_id)
        for observation in cycle.observations:
            length = (observation.minutes or policy.observation_minutes) / 60
            hours[(school, cycle.staff_id)]["observation_hours"] += length
            hours[(school, cycle.staff_id)]["observed_hours"] += length
            hours[(school, observation.observer_id)]["observation_hours"] += length
        for objective in cycle.objectives:
            for check_in in objective.check_ins:
                hours[(school, check_in.by)]["check_in_hours"] += policy.check_in_minutes / 60
        if policy.include_planned and not cycle.is_ended:
            _planned(cycle, held, sides, hours, policy)
    return hours


def _planned(
    cycle: Cycle,
    held: set[str],
    sides: tuple[StaffKey, ...],
    hours: dict[StaffKey, dict[str, float]],
    policy: WorkloadPolicy,
) -> None:
    paperwork = policy.paperwork_minutes / 60
    for milestone in cycle.milestones:
        if milestone.completed_on is None and milestone.id not in held:
            planned = (milestone.minutes or policy.meeting_minutes) / 60 + paperwork
            for person in sides:
                hours[person]["planned_hours"] += planned


def _over(
    subject: str,
    counts: WorkloadCounts,
    policy: WorkloadPolicy,
    fte: float | None = None,
    school_id: str | None = None,
) -> Iterable[WorkloadFinding]:
    if not counts.over_budget:
        return
    basis = f"{policy.share:.1%} of {number(policy.directed_hours)} directed hours" + (
        f" at {number(fte)} FTE" if fte is not None and fte != 1 else ""
    )
    yield WorkloadFinding(
        subject,
        "over-budget",
        f"{subject}: the process costs {number(counts.total_hours)} hours "
        f"({number(counts.recorded_hours)} spent, {number(counts.planned_hours)} planned) "
        f"against a budget of {number(counts.budget_hours)} ({basis})",
        "Share the reviewing among more leaders, shorten meetings, or reuse evidence from "
        "day-to-day practice instead of extra paperwork.",
        school_id,
    )


def _document(report: WorkloadReport) -> Document:
    info = report.scope
    total = report.total
    people = [p for p in report.people if p.counts.total_hours]
    summary: list[Block] = [
        Paragraph(
            f"The process costs {number(total.total_hours)} hours in scope "
            f"({number(total.recorded_hours)} spent, {number(total.planned_hours)} still "
            f"planned) against a budget of {number(total.budget_hours)} hours: "
            f"{report.policy.share:.1%} of {number(report.policy.directed_hours)} directed "
            f"hours, pro rata by FTE. {plural(len(report.findings), 'finding')}."
        )
    ]
    if people:
        shown = people[:40]
        summary.append(
            Chart(
                "Process hours against budget",
                tuple(
                    f"{p.name} ({info.school_name(p.school_id)})"
                    if info.several_schools
                    else p.name
                    for p in shown
                ),
                (
                    Series("Hours", tuple(p.counts.total_hours for p in shown), BLUE),
                    Series("Budget", tuple(p.counts.budget_hours for p in shown), GREY),
                ),
                alt=(
                    "Process hours against budget: "
                    + "; ".join(
                        f"{p.name} {number(p.counts.total_hours)} of "
                        f"{number(p.counts.budget_hours)}"
                        for p in shown[:15]
                    )
                    + ("; and more in the table below." if len(shown) > 15 else ".")
                ),
                kind=ChartKind.HORIZONTAL_BAR,
                unit="hours",
            )
        )

    def row(name: str, c: WorkloadCounts) -> tuple[str, ...]:
        return (
            name,
            number(c.meeting_hours),
            number(c.observation_hours),
            number(c.paperwork_hours + c.check_in_hours),
            number(c.planned_hours),
            number(c.total_hours),
            number(c.budget_hours),
            "over" if c.over_budget else "within",
        )

    columns = (
        "Who",
        "Meetings",
        "Observations",
        "Paperwork and check-ins",
        "Planned",
        "Total",
        "Budget",
        "Status",
    )
    body: list[Block] = [
        section("Summary", summary, id="summary"),
        section(
            "Findings",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Who", "Finding", "What to do"),
                        [(f.school_id, (f.subject, f.message, f.action)) for f in report.findings],
                    ),
                    caption="Budgets and caps exceeded",
                    empty="Everyone is within the time budget.",
                )
            ],
            id="findings",
        ),
        section(
            "Teams and schools",
            [
                table_or_note(
                    *schooled(
                        info,
                        columns,
                        [(g.group.school_id, row(g.group.name, g.counts)) for g in report.groups],
                    ),
                    caption="Hours by team and school",
                    empty="No groups.",
                )
            ],
            id="groups",
        ),
        section(
            "People",
            [
                table_or_note(
                    *schooled(
                        info, columns, [(p.school_id, row(p.name, p.counts)) for p in report.people]
                    ),
                    caption="Hours for each person",
                    empty="Nobody in scope.",
                )
            ],
            id="people",
        ),
    ]
    return document("Workload", info, "workload", body)
