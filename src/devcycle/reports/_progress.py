"""Progress and RAG: a colour for every objective, person and team, with the reason for each.

The default `RagPolicy` compares the progress recorded at the latest check-in with the share
of time elapsed from agreement to deadline, and turns an objective amber, then red, when no
check-in has been recorded for a number of school weeks (the tick-box risk: objectives set in
October and not looked at until July). An objective past its deadline and not evaluated has
lapsed and is red. A person's or team's colour follows the share of their objectives that are
red or amber.

The report reads the records as they stand and judges them *as of* a date: moving that date
forward can only move colours towards staleness (green to amber to red), never back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Field, Note, Paragraph, Series
from devcycle.domain import RAG, Cycle, Objective, ObjectiveStatus, StaffMember
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    WeekCounter,
    _Resolved,
    fraction,
    positive,
    resolve,
    staff_key,
    sum_members,
)
from devcycle.reports._documents import (
    RAG_COLOURS,
    day,
    document,
    group_label,
    number,
    plural,
    schooled,
    section,
    short,
    table_or_note,
)

__all__ = [
    "GroupRag",
    "ObjectiveRag",
    "PersonRag",
    "ProgressReport",
    "RagCounts",
    "RagPolicy",
    "progress",
]

SEVERITY: dict[RAG, int] = {RAG.GREEN: 0, RAG.AMBER: 1, RAG.RED: 2}
"""How far towards trouble each colour is: green 0, amber 1, red 2."""

_EPSILON = 1e-9


@attrs.frozen
class RagPolicy:
    """How objectives, people and teams are coloured. Every threshold is configurable.

    Attributes:
        stale_amber_weeks: Weeks with no check-in after which an objective is amber.
        stale_red_weeks: Weeks with no check-in after which it is red.
        behind_amber_points: Percentage points behind the time elapsed that make it amber
            (45% recorded when 60% of the time has gone is 15 points behind).
        behind_red_points: Points behind that make it red.
        use_recorded_rag: Whether a RAG recorded at the latest check-in counts too (the
            colour is then at least as severe as the one recorded).
        group_red_share: The share of red objectives at which a person or team is red.
        group_amber_share: The share of amber or red objectives at which it is amber.
        unagreed: The colour of an objective proposed or returned but not yet agreed.

    Example:
        >>> RagPolicy(stale_amber_weeks=4, stale_red_weeks=8).stale_red_weeks
        8
    """

    stale_amber_weeks: float = attrs.field(default=6.0, validator=positive)
    stale_red_weeks: float = attrs.field(default=12.0, validator=positive)
    behind_amber_points: float = attrs.field(default=15.0, validator=positive)
    behind_red_points: float = attrs.field(default=35.0, validator=positive)
    use_recorded_rag: bool = True
    group_red_share: float = attrs.field(default=1 / 3, validator=fraction)
    group_amber_share: float = attrs.field(default=0.2, validator=fraction)
    unagreed: RAG = RAG.AMBER

    def __attrs_post_init__(self) -> None:
        if self.stale_red_weeks < self.stale_amber_weeks:
            msg = (
                f"RagPolicy 'stale_red_weeks' ({self.stale_red_weeks}) must be at least "
                f"'stale_amber_weeks' ({self.stale_amber_weeks})"
            )
            raise ValueError(msg)
        if self.behind_red_points < self.behind_amber_points:
            msg = (
                f"RagPolicy 'behind_red_points' ({self.behind_red_points}) must be at least "
                f"'behind_amber_points' ({self.behind_amber_points})"
            )
            raise ValueError(msg)

    def colour_of(self, counts: RagCounts) -> RAG | None:
        """Return the colour of a person or group with *counts*, or None with no objectives."""
        if not counts.total:
            return None
        if counts.red / counts.total >= self.group_red_share - _EPSILON:
            return RAG.RED
        if (counts.red + counts.amber) / counts.total >= self.group_amber_share - _EPSILON:
            return RAG.AMBER
        return RAG.GREEN


@attrs.frozen
class RagCounts:
    """How many objectives are green, amber and red."""

    green: int = 0
    amber: int = 0
    red: int = 0

    def __add__(self, other: RagCounts) -> RagCounts:
        return RagCounts(self.green + other.green, self.amber + other.amber, self.red + other.red)

    @property
    def total(self) -> int:
        """All objectives counted."""
        return self.green + self.amber + self.red

    def of(self, colour: RAG) -> int:
        """Return the count for *colour*."""
        return {RAG.GREEN: self.green, RAG.AMBER: self.amber, RAG.RED: self.red}[colour]

    @classmethod
    def one(cls, colour: RAG) -> RagCounts:
        """Counts holding a single objective of *colour*."""
        return cls(**{colour.value: 1})


@attrs.frozen
class ObjectiveRag:
    """One objective's colour and why.

    Attributes:
        cycle_id: Its cycle.
        objective_id: Its id in the cycle.
        staff_id: Whose cycle it is.
        school_id: The school.
        statement: The objective.
        status: Proposed, returned, agreed or evaluated.
        colour: Exactly one colour.
        reasons: Why it has that colour, most severe first.
        deadline: Its deadline, or the cycle's end when it has none.
        lapsed: Past its deadline and not evaluated.
        stale: No check-in for at least the policy's amber number of weeks.
        weeks_since_check_in: Weeks since the last check-in (or since agreement, if none).
        recorded_percent: Progress recorded at the latest check-in that gave one.
        expected_percent: The share of time elapsed, as a percentage.
    """

    cycle_id: str
    objective_id: str
    staff_id: str
    school_id: str
    statement: str
    status: ObjectiveStatus
    colour: RAG
    reasons: tuple[str, ...]
    deadline: date
    lapsed: bool = False
    stale: bool = False
    weeks_since_check_in: float | None = None
    recorded_percent: int | None = None
    expected_percent: int | None = None

    @property
    def reason(self) -> str:
        """The reasons in one line."""
        return "; ".join(self.reasons)


@attrs.frozen
class PersonRag:
    """One person's colour, counts and objectives.

    Attributes:
        staff_id: The person.
        name: Their name.
        school_id: Their school.
        cycle_id: Their current cycle, or None if none covers the as-of date.
        colour: From the share of their objectives that are red or amber; None when they
            have no objectives (or no cycle) to colour, or their cycle was ended on leaving
            (the reason says so; its objectives are not coloured).
        reason: Why.
        counts: Their objectives by colour.
        objectives: Each objective's colour and reasons.
    """

    staff_id: str
    name: str
    school_id: str
    cycle_id: str | None
    colour: RAG | None
    reason: str
    counts: RagCounts
    objectives: tuple[ObjectiveRag, ...]


@attrs.frozen
class GroupRag:
    """A team's, school's or trust's colour and counts (the sum of its members')."""

    group: Group
    colour: RAG | None
    reason: str
    counts: RagCounts


@attrs.frozen
class ProgressReport:
    """The progress and RAG report (see `progress`).

    Attributes:
        scope: What was covered, as of when.
        policy: The policy the colours come from.
        weeks: ``"school weeks"`` when a calendar was given, else ``"calendar weeks"``.
        people: Each person in scope, in staff order.
        groups: Teams, then schools, then the trust.
        lapsed: Objectives past their deadline and not evaluated.
        stale: Objectives with no check-in for the policy's number of weeks.
    """

    scope: ScopeInfo
    policy: RagPolicy
    weeks: str
    people: tuple[PersonRag, ...]
    groups: tuple[GroupRag, ...]
    lapsed: tuple[ObjectiveRag, ...]
    stale: tuple[ObjectiveRag, ...]

    @property
    def objectives(self) -> tuple[ObjectiveRag, ...]:
        """Every objective coloured, person by person."""
        return tuple(o for p in self.people for o in p.objectives)

    @property
    def total(self) -> RagCounts:
        """Counts over everyone in scope."""
        return sum((p.counts for p in self.people), RagCounts())

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def progress(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: RagPolicy | None = None,
    calendar: WeekCounter | None = None,
) -> ProgressReport:
    """Colour every objective, person and team red, amber or green, with the reason for each.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: The day to judge progress on; each person's cycle is the one covering it.
        scope: One person, team or school; by default every school in *data*.
        policy: The RAG policy; `RagPolicy()` by default.
        calendar: A school calendar to count staleness in school weeks; without one,
            calendar weeks are counted and the report says so.

    Returns:
        The report; `ProgressReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    policy = policy or RagPolicy()
    view = resolve(data, scope, as_of)
    return _build(view, policy, calendar)


def _build(view: _Resolved, policy: RagPolicy, calendar: WeekCounter | None) -> ProgressReport:
    people: list[PersonRag] = []
    rows: dict[tuple[str, str], RagCounts] = {}
    for person in view.people:
        row = _person(person, view.cycle_of(person), view.as_of, policy, calendar)
        people.append(row)
        rows[staff_key(person)] = row.counts
    groups = []
    for group in view.groups:
        counts = sum_members(group, rows, RagCounts.__add__, RagCounts())
        colour = policy.colour_of(counts)
        groups.append(GroupRag(group, colour, _count_reason(counts, colour), counts))
    everything = [o for p in people for o in p.objectives]
    return ProgressReport(
        scope=view.info,
        policy=policy,
        weeks="school weeks" if calendar is not None else "calendar weeks",
        people=tuple(people),
        groups=tuple(groups),
        lapsed=tuple(o for o in everything if o.lapsed),
        stale=tuple(o for o in everything if o.stale),
    )


def _person(
    person: StaffMember,
    cycle: Cycle | None,
    as_of: date,
    policy: RagPolicy,
    calendar: WeekCounter | None,
) -> PersonRag:
    if cycle is None:
        return PersonRag(
            person.id,
            person.name,
            person.school_id,
            None,
            None,
            f"no cycle covers {as_of.isoformat()}",
            RagCounts(),
            (),
        )
    ending = cycle.ending
    if ending is not None:  # no final review: nothing to colour, and not a completed cycle
        return PersonRag(
            person.id,
            person.name,
            person.school_id,
            cycle.id,
            None,
            f"cycle ended on leaving on {ending.on.isoformat()}, with no final review",
            RagCounts(),
            (),
        )
    objectives = tuple(
        colour_objective(cycle, o, as_of, policy, calendar) for o in cycle.live_objectives
    )
    counts = sum((RagCounts.one(o.colour) for o in objectives), RagCounts())
    colour = policy.colour_of(counts)
    reason = (
        "no objectives proposed or agreed yet" if colour is None else _count_reason(counts, colour)
    )
    return PersonRag(
        person.id, person.name, person.school_id, cycle.id, colour, reason, counts, objectives
    )


def _count_reason(counts: RagCounts, colour: RAG | None) -> str:
    if colour is None:
        return "no objectives to colour"
    parts = [f"{counts.of(c)} {c.value}" for c in (RAG.RED, RAG.AMBER, RAG.GREEN) if counts.of(c)]
    return f"{', '.join(parts)} of {counts.total} objective{'s' if counts.total != 1 else ''}"


def weeks_between(start: date, end: date, calendar: WeekCounter | None) -> float:
    """Weeks from *start* to *end*: school weeks with a calendar, else calendar weeks (>= 0)."""
    if end <= start:
        return 0.0
    if calendar is not None:
        return max(0.0, float(calendar.school_weeks_between(start, end)))
    return (end - start).days / 7


def colour_objective(
    cycle: Cycle,
    objective: Objective,
    as_of: date,
    policy: RagPolicy,
    calendar: WeekCounter | None = None,
) -> ObjectiveRag:
    """Colour one objective of *cycle* as of *as_of* under *policy*, with the reasons.

    Args:
        cycle: The cycle holding the objective.
        objective: The objective.
        as_of: The day to judge on.
        policy: The RAG policy.
        calendar: A school calendar for school weeks; calendar weeks without one.

    Returns:
        The objective's colour, reasons and the figures behind them.
    """
    deadline = objective.deadline or cycle.period_end
    if objective.status is ObjectiveStatus.EVALUATED and objective.evaluation is not None:
        evaluation = objective.evaluation
        reason = (
            f"evaluated on {evaluation.on.isoformat()}: "
            f"{evaluation.outcome.value.replace('_', ' ')}"
        )
        return _rag(cycle, objective, deadline, RAG.GREEN, (reason,))
    if objective.status is not ObjectiveStatus.AGREED or objective.agreement is None:
        reason = f"{objective.status.value}, not yet agreed"
        return _rag(cycle, objective, deadline, policy.unagreed, (reason,))
    return _colour_agreed(
        cycle,
        objective,
        agreed_on=objective.agreement.on,
        as_of=as_of,
        policy=policy,
        calendar=calendar,
    )


def _rag(
    cycle: Cycle,
    objective: Objective,
    deadline: date,
    colour: RAG,
    reasons: tuple[str, ...],
    *,
    lapsed: bool = False,
    stale: bool = False,
    weeks_since_check_in: float | None = None,
    recorded_percent: int | None = None,
    expected_percent: int | None = None,
) -> ObjectiveRag:
    return ObjectiveRag(
        cycle_id=cycle.id,
        objective_id=objective.id,
        staff_id=cycle.staff_id,
        school_id=cycle.school_id,
        statement=objective.statement,
        status=objective.status,
        colour=colour,
        reasons=reasons,
        deadline=deadline,
        lapsed=lapsed,
        stale=stale,
        weeks_since_check_in=weeks_since_check_in,
        recorded_percent=recorded_percent,
        expected_percent=expected_percent,
    )


def _colour_agreed(
    cycle: Cycle,
    objective: Objective,
    *,
    agreed_on: date,
    as_of: date,
    policy: RagPolicy,
    calendar: WeekCounter | None,
) -> ObjectiveRag:
    deadline = objective.deadline or cycle.period_end
    unit = "school weeks" if calendar is not None else "calendar weeks"
    verdicts: list[tuple[RAG, str]] = []

    lapsed = deadline < as_of
    if lapsed:
        days = (as_of - deadline).days
        verdicts.append(
            (
                RAG.RED,
                f"lapsed: deadline {deadline.isoformat()} passed {days} days ago "
                "with no evaluation",
            )
        )

    latest = objective.latest_check_in
    since = latest.on if latest is not None else agreed_on
    weeks = weeks_between(since, as_of, calendar)
    what = (
        f"since the check-in on {since.isoformat()}"
        if latest
        else (f"since it was agreed on {since.isoformat()}, and none recorded")
    )
    if weeks >= policy.stale_red_weeks:
        verdicts.append((RAG.RED, f"no check-in for {weeks:.1f} {unit} {what}"))
    elif weeks >= policy.stale_amber_weeks:
        verdicts.append((RAG.AMBER, f"no check-in for {weeks:.1f} {unit} {what}"))
    stale = weeks >= policy.stale_amber_weeks

    start = min(agreed_on, deadline)
    span = (deadline - start).days
    elapsed = min(max((as_of - start).days, 0), span)
    expected = 100.0 * elapsed / span if span > 0 else (100.0 if as_of >= deadline else 0.0)
    with_percent = [c for c in objective.check_ins if c.percent is not None]
    recorded = max(with_percent, key=lambda c: c.on).percent if with_percent else None
    if recorded is not None:
        behind = expected - recorded
        gap = f"{recorded}% recorded, {expected:.0f}% of the time to the deadline gone"
        if behind >= policy.behind_red_points:
            verdicts.append((RAG.RED, f"behind: {gap}"))
        elif behind >= policy.behind_amber_points:
            verdicts.append((RAG.AMBER, f"behind: {gap}"))
        else:
            verdicts.append((RAG.GREEN, f"on track: {gap}"))

    if policy.use_recorded_rag and latest is not None and latest.rag is not None:
        verdicts.append(
            (
                latest.rag,
                f"recorded as {latest.rag.value} at the check-in on {latest.on.isoformat()}",
            )
        )

    colour = max((v[0] for v in verdicts), key=SEVERITY.__getitem__, default=RAG.GREEN)
    reasons = tuple(r for c, r in verdicts if c is colour)
    if not reasons:
        reasons = (f"checked in {weeks:.1f} {unit} ago; no progress figure recorded",)
    return _rag(
        cycle,
        objective,
        deadline,
        colour,
        reasons,
        lapsed=lapsed,
        stale=stale,
        weeks_since_check_in=round(weeks, 2),
        recorded_percent=recorded,
        expected_percent=round(expected),
    )


def _document(report: ProgressReport) -> Document:
    info = report.scope
    total = report.total
    groups = [g for g in report.groups if g.counts.total]
    chart_groups = groups if len(groups) > 1 else list(report.groups)
    categories = tuple(
        group_label(info, g.group.kind, g.group.name, g.group.school_id) for g in chart_groups
    )
    series = tuple(
        Series(
            colour.value.title(),
            tuple(float(g.counts.of(colour)) for g in chart_groups),
            RAG_COLOURS[colour.value],
        )
        for colour in (RAG.GREEN, RAG.AMBER, RAG.RED)
    )
    alt = (
        f"Objectives by colour for {info.label}: {total.green} green, {total.amber} amber, "
        f"{total.red} red of {total.total}. "
        + " ".join(
            f"{label}: {g.counts.green} green, {g.counts.amber} amber, {g.counts.red} red."
            for g, label in zip(chart_groups[:12], categories, strict=False)
        )
    )
    summary: list[Block] = [
        Paragraph(
            f"{plural(total.total, 'objective')}: {total.green} green, {total.amber} amber, "
            f"{total.red} red. {len(report.lapsed)} lapsed past their deadline, "
            f"{len(report.stale)} with no check-in for {number(report.policy.stale_amber_weeks)}"
            f" {report.weeks} or more."
        ),
    ]
    if report.weeks == "calendar weeks":
        summary.append(
            Note(
                "Staleness is counted in calendar weeks because no school calendar was "
                "given; holidays count as weeks without a check-in."
            )
        )
    if categories:
        summary.append(
            Chart(
                "RAG distribution",
                categories,
                series,
                alt=alt,
                kind=ChartKind.STACKED_BAR,
                unit="objectives",
            )
        )
    group_columns, group_rows = schooled(
        info,
        ("Group", "Kind", "Colour", "Red", "Amber", "Green", "Why"),
        [
            (
                g.group.school_id,
                (
                    g.group.name,
                    g.group.kind,
                    g.colour.value if g.colour else "-",
                    str(g.counts.red),
                    str(g.counts.amber),
                    str(g.counts.green),
                    g.reason,
                ),
            )
            for g in report.groups
        ],
    )
    names = {(p.school_id, p.staff_id): p.name for p in report.people}
    base = ("Person", "Objective", "Deadline", "Colour", "Reason")
    columns = schooled(info, base, [])[0]

    def objective_rows(items: Sequence[ObjectiveRag]) -> list[tuple[str, ...]]:
        return schooled(
            info,
            base,
            [
                (
                    o.school_id,
                    (
                        names.get((o.school_id, o.staff_id), o.staff_id),
                        short(o.statement, 70),
                        day(o.deadline),
                        o.colour.value,
                        o.reason,
                    ),
                )
                for o in items
            ],
        )[1]

    people_columns, people_rows = schooled(
        info,
        ("Person", "Colour", "Red", "Amber", "Green", "Why"),
        [
            (
                p.school_id,
                (
                    p.name,
                    p.colour.value if p.colour else "-",
                    str(p.counts.red),
                    str(p.counts.amber),
                    str(p.counts.green),
                    p.reason,
                ),
            )
            for p in report.people
        ],
    )
    body: list[Block] = [
        section("Summary", summary, id="summary"),
        section(
            "Teams and schools",
            [
                table_or_note(
                    group_columns,
                    group_rows,
                    caption="Colour by team and school",
                    empty="No teams or schools to show.",
                )
            ],
            id="groups",
        ),
        section(
            "Lapsed objectives",
            [
                table_or_note(
                    columns,
                    objective_rows(report.lapsed),
                    caption="Objectives past their deadline and not evaluated",
                    empty="No objective has passed its deadline without an evaluation.",
                )
            ],
            id="lapsed",
        ),
        section(
            "Stale objectives (the tick-box risk)",
            [
                table_or_note(
                    columns,
                    objective_rows(report.stale),
                    caption=f"No check-in for {number(report.policy.stale_amber_weeks)} "
                    f"{report.weeks} or more",
                    empty="Every agreed objective has a recent check-in.",
                )
            ],
            id="stale",
        ),
        section(
            "People",
            [
                table_or_note(
                    people_columns,
                    people_rows,
                    caption="Colour by person",
                    empty="Nobody in scope.",
                )
            ],
            id="people",
        ),
    ]
    if info.level != "trust":
        body.append(
            section(
                "Objectives",
                [
                    table_or_note(
                        columns,
                        objective_rows(report.objectives),
                        caption="Every objective's colour and why",
                        empty="No objectives proposed or agreed yet.",
                    )
                ],
                id="objectives",
            )
        )
    return document(
        "Progress and RAG",
        info,
        "progress",
        body,
        extra=(Field("Weeks counted in", report.weeks),),
    )
