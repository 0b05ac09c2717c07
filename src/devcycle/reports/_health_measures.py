"""What each point of the health check measures: named functions the points file refers to.

A measure reads the resolved scope (`HealthInputs`) and the point's parameters and returns
how many people, objectives, meetings or activities meet the point, out of how many, with the
evidence and any values the point's title and action quote (``{limit}``). The points
themselves (question, why, action, weight, thresholds) are data: ``health_points.toml``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

import attrs

from devcycle.domain import (
    CPDActivity,
    CPDKind,
    Cycle,
    MeetingRating,
    Objective,
    ObjectiveStatus,
    Purpose,
    ReviewKind,
    Role,
    SurveyResponse,
)
from devcycle.reports import (
    _balance,
    _coverage,
    _impact,
    _meetings,
    _needs,
    _overdue,
    _progress,
    _workload,
)
from devcycle.reports._base import StaffKey, WeekCounter, _Resolved, staff_key
from devcycle.reports._documents import number, plural
from devcycle.rules import Assessment

if TYPE_CHECKING:
    from devcycle.reports._health import HealthPolicy, Status

__all__ = ["MEASURES", "HealthInputs", "Measure", "Measured"]

Checker = Callable[[Objective, Cycle], Sequence[str]]
Params = Mapping[str, object]

_SUPPORT_ROLES = frozenset({Role.TEACHING_ASSISTANT, Role.SUPPORT_STAFF})
_COACHING = frozenset({CPDKind.COACHING, CPDKind.MENTORING})


@attrs.frozen
class Measured:
    """What a measure found for one point.

    Attributes:
        met: How many meet the point.
        total: Out of how many (0: not applicable yet).
        evidence: What the judgement rests on, with examples.
        values: Values the point's title and action quote, by name (``limit``).
        status: A status decided by the measure itself, overriding the shares.
    """

    met: int
    total: int
    evidence: str
    values: Mapping[str, str] = attrs.field(factory=dict)
    status: Status | None = None


@attrs.frozen
class HealthInputs:
    """Everything a measure reads: the scope, the policy, the checker and staff voice.

    Attributes:
        view: The resolved scope (schools, people, current cycles, CPD, as-of date).
        policy: The health policy (thresholds and the other reports' policies).
        checker: Returns an objective's problems in its cycle (the objective checker's errors
            by default).
        calendar: The school calendar, so staleness counts school weeks.
        names: Display names by ``(school_id, staff_id)``.
        assess: The objective checker's assessment of an objective in its cycle, with its full
            context (each objective checked once per health check).
        ratings: Staff-voice meeting ratings, if given.
        responses: Staff-voice survey responses, if given.
    """

    view: _Resolved
    policy: HealthPolicy
    checker: Checker
    calendar: WeekCounter | None
    names: dict[StaffKey, str]
    assess: Callable[[Objective, Cycle], Assessment]
    ratings: tuple[MeetingRating, ...] = ()
    responses: tuple[SurveyResponse, ...] = ()

    @functools.cached_property
    def coverage(self) -> _coverage.CoverageReport:
        """The coverage report over the scope, built once for the points that read it."""
        return _coverage._build(self.view, None)

    def who(self, cycle: Cycle) -> str:
        """The cycle owner's display name."""
        return self.names.get((cycle.school_id, cycle.staff_id), cycle.staff_id)


Measure = Callable[[HealthInputs, Params], Measured]
"""A measure: the scope and the point's parameters in, what meets the point out."""


def examples(items: Sequence[str], limit: int = 5) -> str:
    """Return the examples for the evidence (": a, b, c and 2 more"), or nothing."""
    if not items:
        return ""
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return f": {', '.join(items[:limit])}{more}"


def tally(
    total: int,
    failing: Sequence[str],
    finding: str,
    *,
    empty: str | None = None,
    limit: int = 5,
    values: Mapping[str, str] | None = None,
) -> Measured:
    """*total* minus the *failing* ones met: "3 of 20 {finding}: a, b, c"; *empty* when none."""
    evidence = (
        empty
        if not total and empty is not None
        else f"{len(failing)} of {total} {finding}" + examples(failing, limit)
    )
    return Measured(total - len(failing), total, evidence, values=dict(values or {}))


def _number(params: Params, name: str, default: float) -> float:
    value = params.get(name, default)
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )


def _live(inputs: HealthInputs) -> list[tuple[Cycle, Objective]]:
    """The live objectives of the current cycles, not those of a cycle ended on leaving."""
    return [(c, o) for c in inputs.view.judged_cycles for o in c.live_objectives]


def objectives_within_limit(inputs: HealthInputs, _params: Params) -> Measured:
    """People whose number of live objectives is between 1 and the school's limit."""
    view, policy = inputs.view, inputs.policy
    limits = {s.id: policy.max_objectives or s.policy.max_objectives for s in view.schools}
    outside = []
    for person in view.people:
        cycle = view.judged_cycle_of(person)  # not a cycle ended on leaving
        if cycle is None:
            continue
        count = len(cycle.live_objectives)
        if not 1 <= count <= limits[person.school_id]:
            outside.append(f"{inputs.names[staff_key(person)]} ({count})")
    return tally(
        len(view.judged_cycles),
        outside,
        "people with a cycle are outside it",
        values={"limit": str(max(limits.values(), default=0))},
    )


def objectives_checked(inputs: HealthInputs, _params: Params) -> Measured:
    """Live objectives the checker finds no error in."""
    flagged = []
    pairs = _live(inputs)
    for cycle, objective in pairs:
        problems = inputs.checker(objective, cycle)
        if problems:
            flagged.append(f"{inputs.who(cycle)} {objective.id} ({problems[0]})")
    return tally(len(pairs), flagged, "objectives have errors from the checker", limit=3)


def no_data_targets(inputs: HealthInputs, _params: Params) -> Measured:
    """Live objectives the checker does not judge bare pupil-data targets."""
    pairs = _live(inputs)
    targets = [f"{inputs.who(c)} {o.id}" for c, o in pairs if inputs.assess(o, c).data_target]
    return tally(len(pairs), targets, "objectives are bare pupil-data targets")


def objectives_agreed(inputs: HealthInputs, _params: Params) -> Measured:
    """Agreed objectives agreed by both sides, not set by the reviewer over disagreement."""
    agreed = [(c, o) for c, o in _live(inputs) if o.agreement is not None]
    imposed = [
        f"{inputs.who(c)} {o.id}"
        for c, o in agreed
        if o.agreement is not None and (o.agreement.set_by_reviewer or o.agreement.disagreement)
    ]
    return tally(
        len(agreed),
        imposed,
        "agreed objectives were set over the person's disagreement",
        empty="No objective has been agreed yet",
    )


def rationale_recorded(inputs: HealthInputs, _params: Params) -> Measured:
    """Live objectives with a rationale."""
    pairs = _live(inputs)
    missing = [f"{inputs.who(c)} {o.id}" for c, o in pairs if not o.rationale.strip()]
    return tally(len(pairs), missing, "objectives give no reason")


def linked_to_cpd(inputs: HealthInputs, _params: Params) -> Measured:
    """Objectives linked to a CPD activity or with support recorded."""
    report = inputs.coverage
    total = report.total
    gaps = [f"{g.name} {g.objective_id}" for g in report.gaps if _coverage.NO_SUPPORT in g.missing]
    return Measured(
        total.objectives - total.without_support,
        total.objectives,
        f"{total.without_support} of {total.objectives} objectives have no CPD or support"
        + examples(gaps),
    )


def linked_to_priority(inputs: HealthInputs, _params: Params) -> Measured:
    """Objectives linked to an improvement-plan priority."""
    report = inputs.coverage
    total = report.total
    gaps = [f"{g.name} {g.objective_id}" for g in report.gaps if _coverage.NO_PRIORITY in g.missing]
    return Measured(
        total.objectives - total.without_priority,
        total.objectives,
        f"{total.without_priority} of {total.objectives} objectives link to no priority"
        + examples(gaps)
        + f"; {len(report.priorities_without_objectives)} priorities have no objective",
    )


def linked_to_standards(inputs: HealthInputs, _params: Params) -> Measured:
    """Live objectives tagged with at least one professional standard."""
    pairs = _live(inputs)
    missing = [f"{inputs.who(c)} {o.id}" for c, o in pairs if not o.standard_ids]
    return tally(len(pairs), missing, "objectives name no standard")


def check_ins_regular(inputs: HealthInputs, _params: Params) -> Measured:
    """Agreed objectives that have had a check-in within the RAG policy's stale period."""
    report = _progress._build(inputs.view, inputs.policy.rag, inputs.calendar)
    agreed = [o for o in report.objectives if o.status is ObjectiveStatus.AGREED]
    stale = [
        f"{inputs.names[(o.school_id, o.staff_id)]} {o.objective_id}" for o in agreed if o.stale
    ]
    return tally(
        len(agreed),
        stale,
        "agreed objectives have gone without a check-in",
        values={"weeks": f"{inputs.policy.rag.stale_amber_weeks:g}", "unit": report.weeks},
    )


def evidence_gathered(inputs: HealthInputs, params: Params) -> Measured:
    """Objectives agreed more than *weeks* ago with at least one piece of evidence."""
    weeks = _number(params, "weeks", 8)
    before = inputs.view.as_of - timedelta(weeks=weeks)
    due = [(c, o) for c, o in _live(inputs) if o.agreement is not None and o.agreement.on <= before]
    missing = [
        f"{inputs.who(c)} {o.id}"
        for c, o in due
        if not any(o.id in e.objective_ids for e in c.evidence)
        and not (o.evaluation is not None and o.evaluation.evidence_ids)
    ]
    return tally(
        len(due),
        missing,
        f"objectives agreed over {weeks:g} weeks ago have no evidence yet",
        empty=f"No objective was agreed more than {weeks:g} weeks ago",
        values={"weeks": f"{weeks:g}"},
    )


def support_staff_included(inputs: HealthInputs, _params: Params) -> Measured:
    """Support staff with a current cycle holding objectives."""
    view = inputs.view
    support = [p for p in view.people if p.roles & _SUPPORT_ROLES and not view.ended_on_leaving(p)]
    missing = [
        inputs.names.get(staff_key(p), p.name)  # with the school in a trust
        for p in support
        if staff_key(p) not in view.current or not view.current[staff_key(p)].live_objectives
    ]
    return tally(
        len(support),
        missing,
        "support staff have no current cycle with objectives",
        empty="No support staff in scope",
    )


def reviews_on_time(inputs: HealthInputs, params: Params) -> Measured:
    """People with scheduled milestones none of which is overdue by more than *grace_days*."""
    report = _overdue._build(inputs.view, int(_number(params, "grace_days", 14)))
    # A school that schedules no milestones at all is not judged on them; in a school that
    # does, everyone with a cycle counts. Decided school by school, so that a trust's figures
    # are the sum of its schools'.
    # A cycle ended on leaving is neither on time nor late: it had no final review.
    scheduling = {c.school_id for c in inputs.view.cycles if c.milestones}
    ended = {(c.school_id, c.id) for c in inputs.view.cycles if c.is_ended}
    with_milestones = [
        p
        for p in report.people
        if p.cycle_id is not None
        and p.school_id in scheduling
        and (p.school_id, p.cycle_id) not in ended
    ]
    late = [f"{p.name} ({p.overdue[0].milestone.title})" for p in with_milestones if p.overdue]
    return tally(
        len(with_milestones),
        late,
        "people are overdue for a milestone",
        empty="No milestones are scheduled in scope: plan cycles from a template",
    )


def cycles_reviewed(inputs: HealthInputs, _params: Params) -> Measured:
    """Open cycles with a reviewer still at the school; not met while any has none.

    One cycle nobody reviews is one person nobody agrees objectives with: the point is not
    met (not partly met) while there is any, whatever the share.
    """
    from devcycle.reports._health import Status  # noqa: PLC0415 - _health imports this module

    view = inputs.view
    open_cycles = [c for c in view.cycles if not c.is_closed]  # closed, or ended on leaving
    unreviewed = view.unreviewed()
    measured = tally(
        len(open_cycles),
        [f"{u.name} ({u.problem})" for u in unreviewed],
        "open cycles have no reviewer still at the school",
        empty="No open cycle in scope",
    )
    if unreviewed:
        return attrs.evolve(measured, status=Status.FAIL)
    return measured


def mid_year_review_held(inputs: HealthInputs, _params: Params) -> Measured:
    """People past the middle of their cycle who have had a mid-year review.

    A cycle ended on leaving is not judged: its reviewee has gone.
    """
    due = [
        c
        for c in inputs.view.cycles
        if c.period_start + (c.period_end - c.period_start) / 2 <= inputs.view.as_of
        and not c.is_ended
    ]
    missing = [
        inputs.who(c)
        for c in due
        if not any(r.kind is ReviewKind.MID_YEAR and r.on <= inputs.view.as_of for r in c.reviews)
    ]
    return tally(
        len(due),
        missing,
        "people past the middle of their cycle have had no mid-year review",
        empty="No cycle is half way through yet",
    )


def meetings_record_both_sides(inputs: HealthInputs, _params: Params) -> Measured:
    """Review meetings held that record both strengths and next steps.

    The meetings judged are the meetings report's (`devcycle.reports.meetings`): mid-year,
    final and progress reviews, and any other meeting that records one side.
    """
    meetings = [
        (c, r)
        for c in inputs.view.judged_cycles  # as the meetings report
        for r in c.reviews
        if r.on <= inputs.view.as_of and _meetings.judged(r)
    ]
    one_sided = [
        f"{inputs.who(c)} {r.id} ({'no next steps' if r.strengths else 'no strengths'})"
        for c, r in meetings
        if _meetings.meeting_sides(r) != "two_sided"
    ]
    return tally(
        len(meetings),
        one_sided,
        "reviews record only one side",
        empty="No mid-year, final or progress review has been held yet",
    )


def impact_recorded(inputs: HealthInputs, _params: Params) -> Measured:
    """Evaluated objectives whose evaluation records impact."""
    evaluated = [
        (c, o)
        for c in inputs.view.judged_cycles
        for o in c.objectives
        if o.status is ObjectiveStatus.EVALUATED and o.evaluation is not None
    ]
    missing = [
        f"{inputs.who(c)} {o.id}"
        for c, o in evaluated
        if o.evaluation is not None and not o.evaluation.impact.strip()
    ]
    return tally(
        len(evaluated),
        missing,
        "evaluated objectives record no impact",
        empty="No objective has reached its final review yet",
    )


def cpd_impact_evaluated(inputs: HealthInputs, params: Params) -> Measured:
    """CPD activities past their evaluation date with impact on practice or pupils recorded."""
    weeks = _number(params, "weeks", 6)
    report = _impact._build(inputs.view, _impact.ImpactPolicy(evaluate_after_weeks=weeks))
    due = [
        a for a in report.activities if a.last_date <= inputs.view.as_of - timedelta(weeks=weeks)
    ]
    late = [a.title for a in due if a.overdue]
    return tally(
        len(due),
        late,
        "activities past their evaluation date have no impact on practice or pupils recorded",
        empty=f"No CPD activity ended more than {weeks:g} weeks ago",
        values={"weeks": f"{weeks:g}"},
    )


def inset_linked(inputs: HealthInputs, _params: Params) -> Measured:
    """INSET held so far that is linked to objectives or priorities."""
    inset = [a for a in inputs.view.cpd if a.kind is CPDKind.INSET and a.start <= inputs.view.as_of]
    loose = [a.title for a in inset if not (a.objective_refs or a.priority_ids)]
    return tally(
        len(inset),
        loose,
        "INSET activities link to no objective or priority",
        empty="No INSET recorded in scope yet",
    )


def _attends(activity: CPDActivity, key: StaffKey) -> bool:
    return activity.school_id == key[0] and key[1] in activity.attendee_ids


def coaching_or_mentoring(inputs: HealthInputs, _params: Params) -> Measured:
    """People with a current cycle who attend coaching or mentoring."""
    coaching = [a for a in inputs.view.cpd if a.kind in _COACHING and a.start <= inputs.view.as_of]
    people = [key for key, cycle in inputs.view.current.items() if not cycle.is_ended]
    without = [
        inputs.names.get(key, key[1])
        for key in people
        if not any(_attends(a, key) for a in coaching)
    ]
    return tally(
        len(people), without, "people with a cycle have no coaching or mentoring on record"
    )


def leaders_trained(inputs: HealthInputs, _params: Params) -> Measured:
    """Team leaders with training in objective-setting or coaching on record."""
    report = _needs._build(inputs.view, inputs.policy.needs)
    untrained = [
        inputs.names.get((leader.school_id, leader.staff_id), leader.name)  # school in a trust
        for leader in report.leaders
        if not leader.trained
    ]
    return tally(len(report.leaders), untrained, "team leaders have no such training on record")


def movement_balance(inputs: HealthInputs, _params: Params) -> Measured:
    """Movement's share of process and CPD hours against the balance policy's minimum."""
    from devcycle.reports._health import Status  # noqa: PLC0415 - _health imports this module

    report = _balance._build(inputs.view, inputs.policy.balance)
    total = report.total
    share = total.share(Purpose.MOVEMENT)
    minimum = inputs.policy.balance.movement_min_share
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
    return Measured(
        with_cycle - starved,
        with_cycle,
        f"movement is {share:.0%} of {number(total.total_hours)} process and CPD hours "
        f"(healthy: at least {minimum:.0%}); {plural(starved, 'person is', 'people are')} "
        "below it",
        status=status,
    )


def time_budget(inputs: HealthInputs, _params: Params) -> Measured:
    """People whose process hours stay within the workload policy's budget."""
    report = _workload._build(inputs.view, _workload.WorkloadPolicy())
    counted = [p for p in report.people if p.counts.total_hours]
    over = [p.name for p in counted if p.counts.over_budget]
    return tally(len(counted), over, "people are over the process's time budget")


def _in_scope_ratings(inputs: HealthInputs, year_start: date) -> list[MeetingRating]:
    cycles = {(c.school_id, c.id) for c in inputs.view.cycles}
    return [
        r
        for r in inputs.ratings
        if (r.school_id, r.cycle_id) in cycles and year_start <= r.on <= inputs.view.as_of
    ]


def meetings_useful(inputs: HealthInputs, params: Params) -> Measured:
    """Meeting ratings of 4 or 5 for usefulness, shown only for enough raters."""
    minimum = max(3, int(_number(params, "min_group", 5)))
    ratings = _in_scope_ratings(inputs, inputs.view.as_of - timedelta(days=365))
    raters = {(r.school_id, r.rater_id) for r in ratings}
    if len(raters) < minimum:
        return Measured(
            0, 0, f"Fewer than {minimum} people have rated their meetings: nothing is shown"
        )
    useful = sum(r.usefulness >= 4 for r in ratings)
    return Measured(
        useful,
        len(ratings),
        f"{useful} of {len(ratings)} meeting ratings (from {len(raters)} people) say the "
        "meeting was useful (4 or 5 of 5)",
    )


def process_valued(inputs: HealthInputs, params: Params) -> Measured:
    """Survey responses that value the process and say it helps, for enough respondents."""
    minimum = max(3, int(_number(params, "min_group", 5)))
    schools = {s.id for s in inputs.view.schools}
    since = inputs.view.as_of - timedelta(days=365)
    answers = [
        r
        for r in inputs.responses
        if r.school_id in schools
        and since <= r.on <= inputs.view.as_of
        and r.valued is not None
        and r.helps_me_improve is not None
    ]
    if len({(r.school_id, r.respondent_id) for r in answers}) < minimum:
        return Measured(
            0, 0, f"Fewer than {minimum} people have answered the survey: nothing is shown"
        )
    agree = sum((r.valued or 0) >= 4 and (r.helps_me_improve or 0) >= 4 for r in answers)
    return Measured(
        agree,
        len(answers),
        f"{agree} of {len(answers)} respondents value the process and say it helps them improve",
    )


MEASURES: Mapping[str, Measure] = {
    function.__name__: function
    for function in (
        objectives_within_limit,
        objectives_checked,
        no_data_targets,
        objectives_agreed,
        rationale_recorded,
        linked_to_cpd,
        linked_to_priority,
        linked_to_standards,
        check_ins_regular,
        evidence_gathered,
        support_staff_included,
        reviews_on_time,
        cycles_reviewed,
        mid_year_review_held,
        meetings_record_both_sides,
        impact_recorded,
        cpd_impact_evaluated,
        inset_linked,
        coaching_or_mentoring,
        leaders_trained,
        movement_balance,
        time_budget,
        meetings_useful,
        process_valued,
    )
}
"""Every measure a health point can name, by name."""
