"""Management, measurement, movement: is the process developing staff or only measuring them?

After the balance the sources describe: *management* keeps the process running (meetings and
reviews, check-ins), *measurement* judges practice (observations, learning walks, data), and
*movement* actually moves practice forward (training, coaching, mentoring, collaborative
enquiry). Each is necessary; the balance is key. This report adds up the hours and counts of
each for every person, team and school, and raises a finding where movement is starved or
either of the others crowds it out, against a configurable healthy range.

Coaching and mentoring are relationships: a coaching or mentoring activity naming its coach
(`devcycle.domain.CPDActivity.coach_id`) pairs the coach with each person coached, and each
session held counts as movement for the person coached. The report lists every pairing with
its sessions and the objectives it works on.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import CPDActivity, Cycle, Purpose, StaffMember
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    _Resolved,
    fraction,
    positive,
    resolve,
    staff_key,
    sum_members,
)
from devcycle.reports._documents import (
    PURPOSE_COLOURS,
    document,
    group_label,
    number,
    schooled,
    section,
    short,
    table_or_note,
)

__all__ = [
    "BalanceCounts",
    "BalanceFinding",
    "BalancePolicy",
    "BalanceReport",
    "GroupBalance",
    "Pairing",
    "PersonBalance",
    "balance",
    "counted_sessions",
]


@attrs.frozen
class BalancePolicy:
    """The healthy range of the balance, and the durations assumed where none is recorded.

    Attributes:
        movement_min_share: Movement below this share of hours is starved.
        management_max_share: Management above this share crowds out development.
        measurement_max_share: Measurement above this share crowds out development.
        meeting_minutes: Minutes assumed for a review meeting with no duration recorded.
        observation_minutes: Minutes assumed for an observation with none recorded.
        check_in_minutes: Minutes a check-in takes.

    Example:
        >>> BalancePolicy(movement_min_share=0.5).movement_min_share
        0.5
    """

    movement_min_share: float = attrs.field(default=0.4, validator=fraction)
    management_max_share: float = attrs.field(default=0.4, validator=fraction)
    measurement_max_share: float = attrs.field(default=0.35, validator=fraction)
    meeting_minutes: float = attrs.field(default=45.0, validator=positive)
    observation_minutes: float = attrs.field(default=30.0, validator=positive)
    check_in_minutes: float = attrs.field(default=10.0, validator=positive)


@attrs.frozen
class BalanceCounts:
    """Hours and counts of management, measurement and movement; they add up across groups."""

    management_hours: float = 0.0
    measurement_hours: float = 0.0
    movement_hours: float = 0.0
    management_count: int = 0
    measurement_count: int = 0
    movement_count: int = 0

    def __add__(self, other: BalanceCounts) -> BalanceCounts:
        return BalanceCounts(
            self.management_hours + other.management_hours,
            self.measurement_hours + other.measurement_hours,
            self.movement_hours + other.movement_hours,
            self.management_count + other.management_count,
            self.measurement_count + other.measurement_count,
            self.movement_count + other.movement_count,
        )

    @property
    def total_hours(self) -> float:
        """All hours."""
        return self.management_hours + self.measurement_hours + self.movement_hours

    @property
    def total_count(self) -> int:
        """All activities."""
        return self.management_count + self.measurement_count + self.movement_count

    def hours(self, purpose: Purpose) -> float:
        """Hours spent on *purpose*."""
        return float(getattr(self, f"{purpose.value}_hours"))

    def count(self, purpose: Purpose) -> int:
        """How many activities served *purpose*."""
        return int(getattr(self, f"{purpose.value}_count"))

    def share(self, purpose: Purpose) -> float:
        """The share of hours spent on *purpose* (0 when nothing is recorded)."""
        total = self.total_hours
        return self.hours(purpose) / total if total else 0.0


@attrs.frozen
class BalanceFinding:
    """Something out of balance.

    Attributes:
        subject: Who or what it is about (a person's or group's name).
        code: ``movement-starved``, ``management-heavy``, ``measurement-heavy`` or
            ``nothing-recorded``.
        message: What was found, with the figures.
        action: What to do next.
        school_id: The school of the person, team or school it is about; None for a trust.
    """

    subject: str
    code: str
    message: str
    action: str
    school_id: str | None = None


@attrs.frozen
class PersonBalance:
    """One person's balance and findings."""

    staff_id: str
    name: str
    school_id: str
    counts: BalanceCounts
    findings: tuple[BalanceFinding, ...]


@attrs.frozen
class GroupBalance:
    """A team's, school's or trust's balance (the sum of its members') and findings."""

    group: Group
    counts: BalanceCounts
    findings: tuple[BalanceFinding, ...]


@attrs.frozen
class Pairing:
    """A coaching or mentoring pairing in scope, with its sessions so far.

    Attributes:
        school_id: The school that runs it.
        activity_id: The CPD activity recording it.
        title: The activity's title.
        kind: ``coaching`` or ``mentoring``.
        coach_id: The coach or mentor.
        coach: Their name.
        coachee_id: The person coached.
        coachee: Their name.
        sessions_held: Sessions on or before the as-of date.
        sessions_planned: All its sessions.
        movement_hours: The hours counted as movement for the person coached so far.
        objectives: The person's objectives it is linked to, as ``"obj-1 statement"``.
    """

    school_id: str
    activity_id: str
    title: str
    kind: str
    coach_id: str
    coach: str
    coachee_id: str
    coachee: str
    sessions_held: int
    sessions_planned: int
    movement_hours: float
    objectives: tuple[str, ...]


@attrs.frozen
class BalanceReport:
    """The management / measurement / movement report (see `balance`).

    Attributes:
        scope: What was covered, as of when.
        policy: The healthy range used.
        people: Each person's balance.
        groups: Teams, then schools, then the trust.
        pairings: Each coaching or mentoring pairing of someone in scope.
    """

    scope: ScopeInfo
    policy: BalancePolicy
    people: tuple[PersonBalance, ...]
    groups: tuple[GroupBalance, ...]
    pairings: tuple[Pairing, ...] = ()

    @property
    def total(self) -> BalanceCounts:
        """The balance over everyone in scope."""
        return sum((p.counts for p in self.people), BalanceCounts())

    @property
    def findings(self) -> tuple[BalanceFinding, ...]:
        """Every finding, groups first, then people."""
        return (
            *(f for g in self.groups for f in g.findings),
            *(f for p in self.people for f in p.findings),
        )

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def balance(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: BalancePolicy | None = None,
) -> BalanceReport:
    """Add up management, measurement and movement for each person, team and school.

    Management is each review meeting and check-in in the person's current cycle, and CPD
    whose purpose is management; measurement is each observation of them and CPD whose purpose
    is measurement; movement is CPD whose purpose is movement (training, coaching, mentoring,
    collaborative work). CPD counts when the person attends it, inside their cycle's period
    and on or before *as_of*. A coaching or mentoring pairing (an activity with a coach)
    counts session by session: each session held in the period by *as_of* is one activity,
    with its share of the hours, for the person coached.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle; CPD after it is not counted yet.
        scope: One person, team or school; by default every school in *data*.
        policy: The healthy range and assumed durations; `BalancePolicy()` by default.

    Returns:
        The report; `BalanceReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    policy = policy or BalancePolicy()
    view = resolve(data, scope, as_of)
    return _build(view, policy)


def _build(view: _Resolved, policy: BalancePolicy) -> BalanceReport:
    attended = view.cpd_by_attendee()
    people = []
    for person in view.people:
        cycle = view.judged_cycle_of(person)  # none counted for a cycle ended on leaving
        counts = person_balance(
            person, cycle, attended.get(staff_key(person), ()), view.as_of, policy
        )
        people.append(
            PersonBalance(
                person.id,
                person.name,
                person.school_id,
                counts,
                findings_for(person.name, counts, policy, school_id=person.school_id)
                if cycle is not None
                else (),
            )
        )
    rows = {(p.school_id, p.staff_id): p.counts for p in people}
    groups = []
    for group in view.groups:
        counts = sum_members(group, rows, BalanceCounts.__add__, BalanceCounts())
        groups.append(
            GroupBalance(
                group,
                counts,
                findings_for(group.name, counts, policy, school_id=group.school_id),
            )
        )
    return BalanceReport(
        view.info, policy, tuple(people), tuple(groups), tuple(_pairings(view, attended))
    )


def counted_sessions(activity: CPDActivity, cycle: Cycle, as_of: date) -> tuple[date, ...]:
    """A pairing's sessions inside *cycle*'s period and on or before *as_of*."""
    last = min(cycle.period_end, as_of)
    return tuple(d for d in activity.dates if cycle.period_start <= d <= last)


def _pairings(view: _Resolved, attended: dict[tuple[str, str], list[CPDActivity]]) -> list[Pairing]:
    names = {staff_key(m): m.name for m in view.data.staff}
    found = []
    for person in view.people:
        cycle = view.cycle_of(person)
        key = staff_key(person)
        for activity in attended.get(key, ()):
            if activity.coach_id is None:
                continue
            held = counted_sessions(activity, cycle, view.as_of) if cycle is not None else ()
            statements = {o.id: o.statement for o in cycle.objectives} if cycle else {}
            linked = tuple(
                f"{r.objective_id} {statements[r.objective_id]}"
                for r in activity.objective_refs
                if cycle is not None and r.cycle_id == cycle.id and r.objective_id in statements
            )
            found.append(
                Pairing(
                    school_id=activity.school_id,
                    activity_id=activity.id,
                    title=activity.title,
                    kind=activity.kind.value,
                    coach_id=activity.coach_id,
                    coach=names.get((activity.school_id, activity.coach_id), activity.coach_id),
                    coachee_id=person.id,
                    coachee=person.name,
                    sessions_held=len(held),
                    sessions_planned=len(activity.dates),
                    movement_hours=round(activity.hours * len(held) / len(activity.dates), 4),
                    objectives=linked,
                )
            )
    return found


def person_balance(
    person: StaffMember,
    cycle: Cycle | None,
    attended: Sequence[CPDActivity],
    as_of: date,
    policy: BalancePolicy,
) -> BalanceCounts:
    """Return one person's balance from their current *cycle* and the CPD they *attended*."""
    del person
    if cycle is None:
        return BalanceCounts()
    hours = dict.fromkeys(Purpose, 0.0)
    counts = dict.fromkeys(Purpose, 0)
    for meeting in cycle.reviews:
        hours[Purpose.MANAGEMENT] += (meeting.minutes or policy.meeting_minutes) / 60
        counts[Purpose.MANAGEMENT] += 1
    check_ins = sum(len(o.check_ins) for o in cycle.objectives)
    hours[Purpose.MANAGEMENT] += check_ins * policy.check_in_minutes / 60
    counts[Purpose.MANAGEMENT] += check_ins
    for observation in cycle.observations:
        hours[Purpose.MEASUREMENT] += (observation.minutes or policy.observation_minutes) / 60
        counts[Purpose.MEASUREMENT] += 1
    for activity in attended:
        if activity.coach_id is not None:  # a pairing: each session held is movement
            held = counted_sessions(activity, cycle, as_of)
            hours[activity.purpose] += activity.hours * len(held) / len(activity.dates)
            counts[activity.purpose] += len(held)
        elif cycle.period_start <= activity.start <= min(cycle.period_end, as_of):
            hours[activity.purpose] += activity.hours
            counts[activity.purpose] += 1
    return BalanceCounts(
        management_hours=round(hours[Purpose.MANAGEMENT], 4),
        measurement_hours=round(hours[Purpose.MEASUREMENT], 4),
        movement_hours=round(hours[Purpose.MOVEMENT], 4),
        management_count=counts[Purpose.MANAGEMENT],
        measurement_count=counts[Purpose.MEASUREMENT],
        movement_count=counts[Purpose.MOVEMENT],
    )


def findings_for(
    subject: str,
    counts: BalanceCounts,
    policy: BalancePolicy,
    *,
    school_id: str | None = None,
) -> tuple[BalanceFinding, ...]:
    """Return the findings for one person's or group's *counts* under *policy*.

    *school_id* is the school the person or group belongs to (None for a trust).
    """
    if not counts.total_hours:
        return (
            BalanceFinding(
                subject,
                "nothing-recorded",
                f"{subject}: no meetings, observations or CPD recorded yet",
                "Record the planning meeting and the CPD that supports each objective.",
                school_id,
            ),
        )
    found = []
    movement = counts.share(Purpose.MOVEMENT)
    if movement < policy.movement_min_share:
        found.append(
            BalanceFinding(
                subject,
                "movement-starved",
                f"{subject}: movement is {movement:.0%} of {number(counts.total_hours)} hours "
                f"(healthy: at least {policy.movement_min_share:.0%})",
                "Plan training, coaching or collaborative work linked to the objectives, "
                "and trade some meetings or observations for it.",
                school_id,
            )
        )
    for purpose, limit in (
        (Purpose.MANAGEMENT, policy.management_max_share),
        (Purpose.MEASUREMENT, policy.measurement_max_share),
    ):
        part = counts.share(purpose)
        if part > limit:
            found.append(
                BalanceFinding(
                    subject,
                    f"{purpose.value}-heavy",
                    f"{subject}: {purpose.value} is {part:.0%} of "
                    f"{number(counts.total_hours)} hours (healthy: at most {limit:.0%})",
                    f"Cut back {purpose.value} activity that does not lead to development.",
                    school_id,
                )
            )
    return tuple(found)


def _document(report: BalanceReport) -> Document:
    info = report.scope
    total = report.total
    groups = [g for g in report.groups if g.counts.total_hours]
    labels = [group_label(info, g.group.kind, g.group.name, g.group.school_id) for g in groups]
    body: list[Block] = []
    summary: list[Block] = [
        Paragraph(
            f"{number(total.total_hours)} hours in all: management "
            f"{number(total.management_hours)} h ({total.share(Purpose.MANAGEMENT):.0%}), "
            f"measurement {number(total.measurement_hours)} h "
            f"({total.share(Purpose.MEASUREMENT):.0%}), movement "
            f"{number(total.movement_hours)} h ({total.share(Purpose.MOVEMENT):.0%}). "
            f"Healthy: movement at least {report.policy.movement_min_share:.0%}, management "
            f"at most {report.policy.management_max_share:.0%}, measurement at most "
            f"{report.policy.measurement_max_share:.0%}."
        )
    ]
    if groups:
        summary.append(
            Chart(
                "Management, measurement and movement",
                tuple(labels),
                tuple(
                    Series(
                        p.value.title(),
                        tuple(round(g.counts.hours(p), 2) for g in groups),
                        PURPOSE_COLOURS[p.value],
                    )
                    for p in Purpose
                ),
                alt=(
                    f"Hours by purpose for {info.label}: "
                    + "; ".join(
                        f"{label}: management {number(g.counts.management_hours)}, "
                        f"measurement {number(g.counts.measurement_hours)}, movement "
                        f"{number(g.counts.movement_hours)}"
                        for g, label in zip(groups[:12], labels, strict=False)
                    )
                    + "."
                ),
                kind=ChartKind.STACKED_BAR,
                unit="hours",
            )
        )
    body.append(section("Summary", summary, id="summary"))
    findings = report.findings
    body.append(
        section(
            "Findings",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Who", "Finding", "What to do"),
                        [(f.school_id, (f.subject, f.message, f.action)) for f in findings],
                    ),
                    caption="Where the balance is out of the healthy range",
                    empty="Every person and group is within the healthy range.",
                )
            ],
            id="findings",
        )
    )

    def row(name: str, c: BalanceCounts) -> tuple[str, ...]:
        return (
            name,
            f"{number(c.management_hours)} ({c.management_count})",
            f"{number(c.measurement_hours)} ({c.measurement_count})",
            f"{number(c.movement_hours)} ({c.movement_count})",
            f"{c.share(Purpose.MOVEMENT):.0%}",
        )

    columns = ("Who", "Management h (n)", "Measurement h (n)", "Movement h (n)", "Movement share")
    body.append(
        section(
            "Teams and schools",
            [
                table_or_note(
                    *schooled(
                        info,
                        columns,
                        [(g.group.school_id, row(g.group.name, g.counts)) for g in report.groups],
                    ),
                    caption="Hours (and counts) by purpose",
                    empty="No groups.",
                )
            ],
            id="groups",
        )
    )
    body.append(
        section(
            "People",
            [
                table_or_note(
                    *schooled(
                        info, columns, [(p.school_id, row(p.name, p.counts)) for p in report.people]
                    ),
                    caption="Hours (and counts) by purpose for each person",
                    empty="Nobody in scope.",
                )
            ],
            id="people",
        )
    )
    body.append(
        section(
            "Coaching and mentoring",
            [
                table_or_note(
                    *schooled(
                        info,
                        (
                            "Coached",
                            "Coach or mentor",
                            "Kind",
                            "Sessions held (planned)",
                            "Movement h",
                            "Objectives",
                        ),
                        [
                            (
                                p.school_id,
                                (
                                    p.coachee,
                                    p.coach,
                                    p.kind,
                                    f"{p.sessions_held} ({p.sessions_planned})",
                                    number(p.movement_hours),
                                    "; ".join(short(o, 60) for o in p.objectives)
                                    or "Not linked to an objective",
                                ),
                            )
                            for p in report.pairings
                        ],
                    ),
                    caption="Coaching and mentoring pairings, each session held counted as "
                    "movement for the person coached",
                    empty="No coaching or mentoring pairing is recorded: give a coaching or "
                    "mentoring activity its coach (coach_id).",
                )
            ],
            id="pairings",
        )
    )
    return document("Management, measurement and movement", info, "balance", body)
