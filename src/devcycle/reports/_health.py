"""The process health check: the light-touch validation of the process itself, with a score.

The sources ask for a short checklist of a school's appraisal process rather than more
paperwork about each person: are objectives few and well formed, linked to CPD and to the
school's priorities; are check-ins regular; are support staff included; are reviews on time;
is impact recorded at the final review; are team leaders trained; is there a healthy balance
of movement? Each point gets a status (pass, partial, fail, or not applicable yet), the
evidence behind it, and what to do next; the score is the share of applicable points met,
partial points counting half.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import date

import attrs

from devcycle.document import (
    Block,
    Chart,
    ChartKind,
    Checklist,
    ChecklistItem,
    Document,
    Mark,
    Paragraph,
    Series,
)
from devcycle.domain import CPDActivity, Cycle, Objective, ObjectiveStatus, Purpose, Role
from devcycle.reports import _balance, _coverage, _needs, _overdue, _progress
from devcycle.reports._base import (
    ReportData,
    Scope,
    ScopeInfo,
    StaffKey,
    WeekCounter,
    _Resolved,
    fraction,
    resolve,
    staff_key,
)
from devcycle.reports._documents import (
    STATUS_COLOURS,
    document,
    number,
    plural,
    section,
    table_or_note,
)
from devcycle.rules import Assessment, CheckContext, Severity, check

__all__ = [
    "Checker",
    "HealthItem",
    "HealthPolicy",
    "HealthReport",
    "Status",
    "health",
]

Checker = Callable[[Objective, Cycle], Sequence[str]]
"""Checks one objective in its cycle; returns the problems found (empty when clean)."""

_Names = dict[StaffKey, str]
"""Display names by ``(school_id, staff_id)``, with the school's name across several schools."""

_SUPPORT_ROLES = frozenset({Role.TEACHING_ASSISTANT, Role.SUPPORT_STAFF})


class Status(enum.StrEnum):
    """How one point of the health check stands."""

    PASS = "pass"  # noqa: S105 (a status, not a password)
    PARTIAL = "partial"
    FAIL = "fail"
    NOT_APPLICABLE = "not applicable"

    @property
    def mark(self) -> Mark:
        """The status in the vocabulary and glyphs every format shares (✓ Met, ✗ Not met)."""
        return _MARKS[self]

    @property
    def points(self) -> float | None:
        """Its contribution to the score: 1, 0.5, 0, or None when not applicable."""
        return {"pass": 1.0, "partial": 0.5, "fail": 0.0}.get(self.value)


_MARKS = {
    Status.PASS: Mark.MET,
    Status.PARTIAL: Mark.PARTLY_MET,
    Status.FAIL: Mark.NOT_MET,
    Status.NOT_APPLICABLE: Mark.NOT_APPLICABLE,
}


@attrs.frozen
class HealthPolicy:
    """The thresholds of the health check.

    Attributes:
        pass_share: The share of people or objectives meeting a point for it to pass.
        partial_share: The share for it to be partly met.
        max_objectives: Objectives per person; by default each school policy's number.
        rag: The RAG policy deciding when an objective is stale.
        balance: The healthy range of management, measurement and movement.
        needs: The keywords that show a leader trained in objective-setting or coaching.
    """

    pass_share: float = attrs.field(default=0.9, validator=fraction)
    partial_share: float = attrs.field(default=0.6, validator=fraction)
    max_objectives: int | None = None
    rag: _progress.RagPolicy = attrs.field(factory=_progress.RagPolicy)
    balance: _balance.BalancePolicy = attrs.field(factory=_balance.BalancePolicy)
    needs: _needs.NeedsPolicy = attrs.field(factory=_needs.NeedsPolicy)

    def __attrs_post_init__(self) -> None:
        if self.partial_share > self.pass_share:
            msg = (
                f"HealthPolicy 'partial_share' ({self.partial_share}) must not exceed "
                f"'pass_share' ({self.pass_share})"
            )
            raise ValueError(msg)

    def status(self, met: int, total: int) -> Status:
        """The status when *met* of *total* meet a point (not applicable when *total* is 0)."""
        if not total:
            return Status.NOT_APPLICABLE
        share = met / total
        if share >= self.pass_share:
            return Status.PASS
        if share >= self.partial_share:
            return Status.PARTIAL
        return Status.FAIL


@attrs.frozen
class HealthItem:
    """One point of the health check.

    Attributes:
        id: A stable id ("linked-to-cpd").
        title: The point, as a question a leader would ask.
        status: Pass, partial, fail or not applicable.
        met: How many people or objectives meet it.
        total: Out of how many.
        evidence: What the judgement rests on, with examples.
        action: What to do next.
    """

    id: str
    title: str
    status: Status
    met: int
    total: int
    evidence: str
    action: str


@attrs.frozen
class HealthReport:
    """The process health check (see `health`).

    Attributes:
        scope: What was covered, as of when.
        score: 0 to 100: the share of applicable points met, partial ones counting half.
        items: Each point, in the checklist's order.
    """

    scope: ScopeInfo
    score: int
    items: tuple[HealthItem, ...]

    def item(self, item_id: str) -> HealthItem:
        """Return the point with *item_id*.

        Raises:
            KeyError: If there is no such point.
        """
        for entry in self.items:
            if entry.id == item_id:
                return entry
        raise KeyError(item_id)

    @property
    def next_steps(self) -> tuple[str, ...]:
        """What to do next, for every point not passed, failures first."""
        order = {Status.FAIL: 0, Status.PARTIAL: 1}
        return tuple(
            i.action
            for i in sorted(
                (i for i in self.items if i.status in order), key=lambda i: order[i.status]
            )
        )

    def summary(self) -> str:
        """A few lines for a terminal: the score and each point's status."""
        lines = [
            f"Process health check: {self.scope.label}, as of {self.scope.as_of}: {self.score}/100"
        ]
        marks = {
            Status.PASS: "[x]",
            Status.PARTIAL: "[~]",
            Status.FAIL: "[ ]",
            Status.NOT_APPLICABLE: "[-]",
        }
        lines.extend(f"  {marks[i.status]} {i.title} ({i.met}/{i.total})" for i in self.items)
        return "\n".join(lines)

    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def health(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: HealthPolicy | None = None,
    checker: Checker | None = None,
    calendar: WeekCounter | None = None,
) -> HealthReport:
    """Run the light-touch health check of the process, with a score and next steps.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: The day to judge on.
        scope: One person, team or school; by default every school in *data*.
        policy: Thresholds; `HealthPolicy()` by default.
        checker: Checks each objective in its cycle and returns its problems; by default the
            objective checker's error-severity findings (`devcycle.rules.check`), with the
            owner's role, the school's priorities and limit and the linked CPD as context.
        calendar: A school calendar, so staleness counts school weeks.

    Returns:
        The report; `HealthReport.to_document` renders it as a checklist.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    policy = policy or HealthPolicy()
    view = resolve(data, scope, as_of)
    return _build(view, policy, checker or _full_context_checker(view), calendar)


def _errors(assessment: Assessment) -> tuple[str, ...]:
    return tuple(
        f"{f.code}: {f.message}" for f in assessment.findings if f.severity is Severity.ERROR
    )


def _full_context_checker(view: _Resolved) -> Checker:
    """Check each objective with its full context, as `devcycle.rules.check_cycle` does."""
    staff = {staff_key(p): p for p in view.data.staff if staff_key(p) in view.current}
    schools = {s.id: s for s in view.schools}
    by_cycle: dict[tuple[str, str], list[CPDActivity]] = {}
    for activity in view.cpd:
        for cycle_id in {r.cycle_id for r in activity.objective_refs}:
            by_cycle.setdefault((activity.school_id, cycle_id), []).append(activity)

    def checker(objective: Objective, cycle: Cycle) -> Sequence[str]:
        context = CheckContext.from_cycle(
            cycle,
            staff=staff.get((cycle.school_id, cycle.staff_id)),
            school=schools.get(cycle.school_id),
            cpd=by_cycle.get((cycle.school_id, cycle.id), ()),
            objective_id=objective.id,
        )
        return _errors(check(objective, context=context))

    return checker


def _examples(items: Sequence[str], limit: int = 5) -> str:
    if not items:
        return ""
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return f": {', '.join(items[:limit])}{more}"


def _build(
    view: _Resolved, policy: HealthPolicy, checker: Checker, calendar: WeekCounter | None
) -> HealthReport:
    several = len(view.schools) > 1
    names = {
        staff_key(p): f"{p.name} ({view.info.school_name(p.school_id)})" if several else p.name
        for p in view.people
    }
    items = [
        _within_limit(view, policy, names),
        _checked(view, policy, checker, names),
        *_linked(view, policy),
        _check_ins(view, policy, calendar, names),
        _support_staff(view, policy),
        _reviews_on_time(view, policy),
        _impact_recorded(view, policy, names),
        _leaders_trained(view, policy),
        _movement(view, policy),
    ]
    points = [i.status.points for i in items if i.status.points is not None]
    score = round(100 * sum(points) / len(points)) if points else 0
    return HealthReport(view.info, score, tuple(items))


def _within_limit(view: _Resolved, policy: HealthPolicy, names: _Names) -> HealthItem:
    limits = {s.id: policy.max_objectives or s.policy.max_objectives for s in view.schools}
    outside = []
    for person in view.people:
        cycle = view.cycle_of(person)
        if cycle is None:
            continue
        count = len(cycle.live_objectives)
        if not 1 <= count <= limits[person.school_id]:
            outside.append(f"{names[staff_key(person)]} ({count})")
    total = len(view.current)
    limit = max(limits.values())
    return HealthItem(
        "objectives-within-limit",
        f"Does everyone have between 1 and {limit} objectives?",
        policy.status(total - len(outside), total),
        total - len(outside),
        total,
        f"{len(outside)} of {total} people with a cycle are outside it" + _examples(outside),
        "Agree at least one objective with everyone, and merge or drop objectives beyond "
        f"{limit}: fewer, better objectives get looked at.",
    )


def _checked(view: _Resolved, policy: HealthPolicy, checker: Checker, names: _Names) -> HealthItem:
    flagged = []
    total = 0
    for cycle in view.cycles:
        for objective in cycle.live_objectives:
            total += 1
            problems = checker(objective, cycle)
            if problems:
                who = names[(cycle.school_id, cycle.staff_id)]
                flagged.append(f"{who} {objective.id} ({problems[0]})")
    return HealthItem(
        "objectives-checked",
        "Do objectives pass the objective checker cleanly?",
        policy.status(total - len(flagged), total),
        total - len(flagged),
        total,
        f"{len(flagged)} of {total} objectives have errors from the checker"
        + _examples(flagged, 3),
        "Run devcycle check on the flagged objectives and rewrite them with their reviewers.",
    )


def _linked(view: _Resolved, policy: HealthPolicy) -> tuple[HealthItem, HealthItem]:
    report = _coverage._build(view, None)
    total = report.total
    no_cpd = [
        f"{g.name} {g.objective_id}" for g in report.gaps if _coverage.NO_SUPPORT in g.missing
    ]
    no_priority = [
        f"{g.name} {g.objective_id}" for g in report.gaps if _coverage.NO_PRIORITY in g.missing
    ]
    return (
        HealthItem(
            "linked-to-cpd",
            "Is each objective linked to CPD or other support?",
            policy.status(total.objectives - total.without_support, total.objectives),
            total.objectives - total.without_support,
            total.objectives,
            f"{total.without_support} of {total.objectives} objectives have no CPD or support"
            + _examples(no_cpd),
            "For each objective without support, agree the training, coaching or "
            "collaborative work that will help reach it, and link the CPD activity to it.",
        ),
        HealthItem(
            "linked-to-priority",
            "Is each objective linked to a school improvement priority?",
            policy.status(total.objectives - total.without_priority, total.objectives),
            total.objectives - total.without_priority,
            total.objectives,
            f"{total.without_priority} of {total.objectives} objectives link to no priority"
            + _examples(no_priority)
            + f"; {len(report.priorities_without_objectives)} priorities have no objective",
            "Cross-reference each objective to the improvement-plan priority it serves, or "
            "say why it stands alone.",
        ),
    )


def _check_ins(
    view: _Resolved,
    policy: HealthPolicy,
    calendar: WeekCounter | None,
    names: _Names,
) -> HealthItem:
    report = _progress._build(view, policy.rag, calendar)
    agreed = [o for o in report.objectives if o.status is ObjectiveStatus.AGREED]
    stale = [f"{names[(o.school_id, o.staff_id)]} {o.objective_id}" for o in agreed if o.stale]
    return HealthItem(
        "check-ins-regular",
        f"Has every agreed objective had a check-in in the last "
        f"{policy.rag.stale_amber_weeks:g} {report.weeks}?",
        policy.status(len(agreed) - len(stale), len(agreed)),
        len(agreed) - len(stale),
        len(agreed),
        f"{len(stale)} of {len(agreed)} agreed objectives have gone without a check-in"
        + _examples(stale),
        "Book short check-ins for the stale objectives this fortnight; a two-line note is enough.",
    )


def _support_staff(view: _Resolved, policy: HealthPolicy) -> HealthItem:
    support = [p for p in view.people if p.roles & _SUPPORT_ROLES]
    missing = [
        p.name
        for p in support
        if staff_key(p) not in view.current or not view.current[staff_key(p)].live_objectives
    ]
    return HealthItem(
        "support-staff-included",
        "Are support staff and teaching assistants included, with objectives of their own?",
        policy.status(len(support) - len(missing), len(support)),
        len(support) - len(missing),
        len(support),
        (
            f"{len(missing)} of {len(support)} support staff have no current cycle with "
            "objectives" + _examples(missing)
            if support
            else "No support staff in scope"
        ),
        "Enrol every member of support staff in a cycle (the support-staff template) and "
        "agree objectives with them.",
    )


def _reviews_on_time(view: _Resolved, policy: HealthPolicy) -> HealthItem:
    report = _overdue._build(view, 14)
    # A school that schedules no milestones at all is not judged on them; in a school that
    # does, everyone with a cycle counts. Decided school by school, so that a trust's figures
    # are the sum of its schools'.
    scheduling = {c.school_id for c in view.cycles if c.milestones}
    with_milestones = [
        p for p in report.people if p.cycle_id is not None and p.school_id in scheduling
    ]
    late = [f"{p.name} ({p.overdue[0].milestone.title})" for p in with_milestones if p.overdue]
    return HealthItem(
        "reviews-on-time",
        "Are reviews and other milestones held on time?",
        policy.status(len(with_milestones) - len(late), len(with_milestones)),
        len(with_milestones) - len(late),
        len(with_milestones),
        (
            f"{len(late)} of {len(with_milestones)} people are overdue for a milestone"
            + _examples(late)
            if with_milestones
            else "No milestones are scheduled in scope: plan cycles from a template"
        ),
        "Hold the overdue reviews, or reschedule them and record why.",
    )


def _impact_recorded(view: _Resolved, policy: HealthPolicy, names: _Names) -> HealthItem:
    evaluated = [
        (c, o)
        for c in view.cycles
        for o in c.objectives
        if o.status is ObjectiveStatus.EVALUATED and o.evaluation is not None
    ]
    missing = [
        f"{names[(c.school_id, c.staff_id)]} {o.id}"
        for c, o in evaluated
        if o.evaluation is not None and not o.evaluation.impact.strip()
    ]
    return HealthItem(
        "impact-recorded",
        "Is impact recorded for each objective at the final review?",
        policy.status(len(evaluated) - len(missing), len(evaluated)),
        len(evaluated) - len(missing),
        len(evaluated),
        (
            f"{len(missing)} of {len(evaluated)} evaluated objectives record no impact"
            + _examples(missing)
            if evaluated
            else "No objective has reached its final review yet"
        ),
        "At each final review, record what difference the work made (for pupils, colleagues "
        "or the school) and what was learned, even where it was not met.",
    )


def _leaders_trained(view: _Resolved, policy: HealthPolicy) -> HealthItem:
    report = _needs._build(view, policy.needs)
    untrained = [leader.name for leader in report.leaders if not leader.trained]
    total = len(report.leaders)
    return HealthItem(
        "leaders-trained",
        "Are team leaders trained in objective-setting and coaching?",
        policy.status(total - len(untrained), total),
        total - len(untrained),
        total,
        f"{len(untrained)} of {total} team leaders have no such training on record"
        + _examples(untrained),
        "Give team leaders training in setting objectives and coaching (an INSET session "
        "or a short course), and record it as CPD.",
    )


def _movement(view: _Resolved, policy: HealthPolicy) -> HealthItem:
    report = _balance._build(view, policy.balance)
    total = report.total
    share = total.share(Purpose.MOVEMENT)
    minimum = policy.balance.movement_min_share
    if not total.total_hours:
        status = Status.NOT_APPLICABLE
    elif share >= minimum:
        status = Status.PASS
    elif share >= minimum / 2:
        status = Status.PARTIAL
    else:
        status = Status.FAIL
    starved = sum(f.code == "movement-starved" for p in report.people for f in p.findings)
    with_cycle = sum(1 for p in report.people if p.counts.total_hours)
    return HealthItem(
        "movement-balance",
        "Is there a healthy balance of movement (training, coaching, collaboration)?",
        status,
        with_cycle - starved,
        with_cycle,
        f"movement is {share:.0%} of {number(total.total_hours)} process and CPD hours (healthy: "
        f"at least {minimum:.0%}); {plural(starved, 'person is', 'people are')} below it",
        "Trade some meetings and observations for coaching, training or collaborative "
        "enquiry linked to objectives.",
    )


def _document(report: HealthReport) -> Document:
    info = report.scope
    checklist = Checklist(
        tuple(
            ChecklistItem(
                i.title,
                note=f"{i.status.mark.word} ({i.met}/{i.total}): {i.evidence}",
                mark=i.status.mark,
            )
            for i in report.items
        ),
        title=f"Score {report.score}/100",
    )
    steps = report.next_steps
    applicable = [i for i in report.items if i.total]
    chart: list[Block] = []
    if applicable:
        # One series per status, stacked: each point's bar is its share met, coloured (and
        # patterned) by how the point stands, so a failed point never looks met.
        marks = (Mark.MET, Mark.PARTLY_MET, Mark.NOT_MET)
        series = tuple(
            Series(
                mark.word,
                tuple(
                    round(100 * i.met / i.total, 1) if i.status.mark is mark else 0.0
                    for i in applicable
                ),
                STATUS_COLOURS[mark],
            )
            for mark in marks
            if any(i.status.mark is mark for i in applicable)
        )
        chart.append(
            Chart(
                "How far each point is met",
                tuple(i.title for i in applicable),
                series,
                alt="Share met for each point: "
                + "; ".join(
                    f"{i.title} {i.met} of {i.total} ({i.status.mark.word.lower()})"
                    for i in applicable
                )
                + ".",
                kind=ChartKind.STACKED_BAR,
                unit="%",
            )
        )
    body: list[Block] = [
        section(
            "Score",
            [
                Paragraph(
                    f"{report.score}/100: {sum(i.status is Status.PASS for i in report.items)} "
                    f"points met, {sum(i.status is Status.PARTIAL for i in report.items)} "
                    f"partly met, {sum(i.status is Status.FAIL for i in report.items)} not met, "
                    f"{sum(i.status is Status.NOT_APPLICABLE for i in report.items)} not "
                    "applicable yet. Partly met points count half."
                ),
                checklist,
                *chart,
            ],
            id="score",
        ),
        section(
            "What to do next",
            [
                table_or_note(
                    ("Point", "Status", "What to do"),
                    [
                        (i.title, i.status.mark.label, i.action)
                        for i in report.items
                        if i.status in (Status.FAIL, Status.PARTIAL)
                    ],
                    caption="Next steps, for every point not fully met",
                    empty="Every applicable point is met: keep it up.",
                )
            ]
            if steps
            else [Paragraph("Every applicable point is met: keep it up.")],
            id="next-steps",
        ),
        section(
            "The evidence",
            [
                table_or_note(
                    ("Point", "Status", "Met", "Evidence"),
                    [
                        (i.title, i.status.mark.label, f"{i.met}/{i.total}", i.evidence)
                        for i in report.items
                    ],
                    caption="The evidence behind each point",
                    empty="No points.",
                )
            ],
            id="evidence",
        ),
    ]
    return document("Process health check", info, "health", body)
