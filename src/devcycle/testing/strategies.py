"""Hypothesis strategies for every devcycle domain type, shipped for embedders' own tests.

Each strategy builds valid objects through the public constructors. `cycles()` builds a
cycle by driving the real lifecycle methods, so its history and states are consistent.

Example:
    >>> from hypothesis import given
    >>> from devcycle.testing import strategies as dst
    >>> @given(dst.cycles())
    ... def test_my_store_round_trips(cycle): ...
"""

from __future__ import annotations

import string
from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from devcycle.domain import (
    KPI,
    RAG,
    AgreedAction,
    Agreement,
    AttendanceStatus,
    Audience,
    Basis,
    CheckIn,
    ColleagueImpact,
    Confidential,
    Conversation,
    CPDActivity,
    CPDKind,
    CPDOffering,
    Cycle,
    Evaluation,
    Evidence,
    Framework,
    ImpactLevel,
    ImpactRecord,
    MeetingRating,
    Milestone,
    MilestoneKind,
    Objective,
    ObjectiveKind,
    ObjectiveRef,
    ObjectiveStatus,
    Observation,
    ObservationKind,
    Outcome,
    PayRecommendation,
    PlanLevel,
    PlanStatus,
    Policy,
    Priority,
    ProcessSurvey,
    Purpose,
    ReviewKind,
    ReviewMeeting,
    Role,
    School,
    SharedWith,
    StaffMember,
    Standard,
    SuccessCriterion,
    SurveyResponse,
    Team,
    TeamMilestone,
    TrainingPlanEntry,
    Trust,
)
from devcycle.domain.training import CPDBudget

__all__ = [
    "agreements",
    "check_ins",
    "colleague_impacts",
    "confidential_notes",
    "cpd_activities",
    "cpd_budgets",
    "cpd_offerings",
    "cycles",
    "dates",
    "evaluations",
    "evidence",
    "frameworks",
    "identifiers",
    "kpis",
    "meeting_ratings",
    "milestones",
    "objectives",
    "observations",
    "priorities",
    "process_surveys",
    "review_meetings",
    "schools",
    "staff_members",
    "survey_responses",
    "teams",
    "texts",
    "training_plan_entries",
    "trusts",
]

_ID_START = string.ascii_letters + string.digits
_ID_REST = _ID_START + "_.:@/+-"


def identifiers() -> st.SearchStrategy[str]:
    """Valid ids: a letter or digit, then up to 15 of ``A-Za-z0-9_.:@/+-``."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_ID_START),
        st.text(_ID_REST, max_size=15),
    )


def texts(min_size: int = 1, max_size: int = 80) -> st.SearchStrategy[str]:
    """Non-blank Unicode text (any script, no surrogates or control characters)."""
    return st.text(
        st.characters(blacklist_categories=("Cs", "Cc")), min_size=min_size, max_size=max_size
    ).filter(lambda s: s.strip() != "")


def dates(
    min_value: date = date(2020, 1, 1), max_value: date = date(2035, 12, 31)
) -> st.SearchStrategy[date]:
    """Dates in a plausible range for school cycles."""
    return st.dates(min_value=min_value, max_value=max_value)


def _unique_ids(max_size: int = 4) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(identifiers(), max_size=max_size, unique=True).map(tuple)


def _texts(max_size: int = 3) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts(max_size=40), max_size=max_size).map(tuple)


def teams() -> st.SearchStrategy[Team]:
    """Teams with optional leaders."""
    return st.builds(Team, id=identifiers(), name=texts(), leader_id=st.none() | identifiers())


def _figures() -> st.SearchStrategy[float | None]:
    return st.none() | st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def kpis() -> st.SearchStrategy[KPI]:
    """A priority's KPIs: any mix of figures, a due date, and a current value with its day."""
    current = st.none() | st.tuples(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), dates()
    )
    return st.builds(
        lambda kpi_id, name, unit, baseline, target, due, now, description: KPI(
            kpi_id,
            name,
            unit,
            baseline,
            target,
            due,
            None if now is None else now[0],
            None if now is None else now[1],
            description,
        ),
        identifiers(),
        texts(max_size=40),
        st.text(max_size=10),
        _figures(),
        _figures(),
        st.none() | dates(),
        current,
        st.text(max_size=40),
    )


def priorities() -> st.SearchStrategy[Priority]:
    """School improvement-plan priorities, with KPIs of unique ids."""
    return st.builds(
        Priority,
        id=identifiers(),
        title=texts(),
        description=st.text(max_size=60),
        kpis=st.lists(kpis(), max_size=3, unique_by=lambda k: k.id).map(tuple),
        theme=st.none() | texts(max_size=20),
    )


def schools(school_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[School]:
    """Schools with unique priority and team ids, and milestones for their teams."""
    return st.builds(
        School,
        id=school_id if school_id is not None else identifiers(),
        name=texts(),
        trust_id=st.none() | identifiers(),
        priorities=st.lists(priorities(), max_size=4, unique_by=lambda p: p.id).map(tuple),
        teams=st.lists(teams(), max_size=4, unique_by=lambda t: t.id).map(tuple),
        country=st.sampled_from(["england", "wales", "scotland", "northern_ireland"]),
        policy=st.builds(
            Policy,
            pay_recommendations=st.booleans(),
            max_objectives=st.integers(1, 6),
            observation_hours_cap=st.none() | st.floats(0.5, 10),
        ),
        cpd_budgets=cpd_budgets(),
    ).flatmap(_with_team_milestones)


def _with_team_milestones(school: School) -> st.SearchStrategy[School]:
    """*school* with up to three milestones for its teams (none when it has no team)."""
    if not school.teams:
        return st.just(school)
    items = st.lists(
        st.builds(
            TeamMilestone,
            team_id=st.sampled_from([t.id for t in school.teams]),
            milestone=milestones(),
        ),
        max_size=3,
        unique_by=lambda t: (t.team_id, t.id),
    )
    return items.map(lambda found: attrs.evolve(school, team_milestones=tuple(found)))


@st.composite
def cpd_budgets(draw: st.DrawFn, max_size: int = 3) -> tuple[CPDBudget, ...]:
    """A school's CPD budgets: consecutive, never-overlapping periods with Decimal amounts."""
    count = draw(st.integers(0, max_size))
    start = draw(dates())
    budgets = []
    for index in range(count):
        end = start + timedelta(days=draw(st.integers(0, 400)))
        budgets.append(
            CPDBudget(
                id=f"b{index}-{draw(identifiers())}",
                start=start,
                end=end,
                amount=draw(_amounts()),
                hours=draw(st.none() | st.floats(0, 5000, allow_nan=False)),
                title=draw(st.text(max_size=30)),
            )
        )
        start = end + timedelta(days=draw(st.integers(1, 60)))
    return tuple(budgets)


def trusts() -> st.SearchStrategy[Trust]:
    """Trusts listing school ids."""
    return st.builds(Trust, id=identifiers(), name=texts(), school_ids=_unique_ids())


def staff_members(
    school_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[StaffMember]:
    """Staff members in every role, part-time included."""
    return st.builds(
        StaffMember,
        id=identifiers(),
        name=texts(),
        school_id=school_id if school_id is not None else identifiers(),
        roles=st.frozensets(st.sampled_from(Role), min_size=1, max_size=3),
        fte=st.floats(min_value=0.1, max_value=1.0, allow_nan=False),
        team_ids=_unique_ids(),
        reviewer_id=st.none() | identifiers(),
        line_manager_id=st.none() | identifiers(),
        start_date=st.none() | dates(),
        email=st.none() | st.emails(),
        leaving_date=st.none() | dates(),
    )


def frameworks() -> st.SearchStrategy[Framework]:
    """Small frameworks whose children always follow their parents."""

    @st.composite
    def build(draw: st.DrawFn) -> Framework:
        ids = draw(st.lists(identifiers(), min_size=1, max_size=8, unique=True))
        standards: list[Standard] = []
        for index, standard_id in enumerate(ids):
            parent = draw(st.none() | st.sampled_from(ids[:index])) if index else None
            standards.append(
                Standard(standard_id, draw(texts()), draw(st.text(max_size=40)), parent)
            )
        return Framework(
            id=draw(identifiers()),
            title=draw(texts()),
            publisher=draw(st.text(max_size=30)),
            version=draw(st.text(max_size=10)),
            licence=draw(st.sampled_from(["OGL-UK-3.0", "CC-BY-4.0", "unknown"])),
            source=draw(st.text(max_size=40)),
            statutory=draw(st.booleans()),
            standards=tuple(standards),
            attribution=draw(st.text(max_size=40)),
        )

    return build()


def check_ins() -> st.SearchStrategy[CheckIn]:
    """Check-ins with optional percentage and RAG."""
    return st.builds(
        CheckIn,
        on=dates(),
        by=identifiers(),
        note=texts(),
        percent=st.none() | st.integers(0, 100),
        rag=st.none() | st.sampled_from(RAG),
    )


def colleague_impacts() -> st.SearchStrategy[ColleagueImpact]:
    """Practice shared with colleagues, everywhere it can be shared."""
    return st.builds(
        ColleagueImpact,
        on=dates(),
        by=identifiers(),
        shared_with=st.sampled_from(SharedWith),
        what=texts(),
        with_whom=st.text(max_size=40),
        colleagues=st.none() | st.integers(1, 200),
        evidence_ids=_unique_ids(),
    )


def agreements() -> st.SearchStrategy[Agreement]:
    """Agreements, some set by the reviewer over a recorded disagreement."""
    plain = st.builds(Agreement, on=dates(), by=identifiers())
    imposed = st.builds(
        Agreement, on=dates(), by=identifiers(), set_by_reviewer=st.just(True), disagreement=texts()
    )
    return plain | imposed


def evaluations() -> st.SearchStrategy[Evaluation]:
    """Final evaluations of every outcome."""
    return st.builds(
        Evaluation,
        on=dates(),
        by=identifiers(),
        outcome=st.sampled_from(Outcome),
        impact=st.text(max_size=60),
        learning=st.text(max_size=60),
        evidence_ids=_unique_ids(),
        carried_forward=st.booleans(),
        reviewee_comment=st.text(max_size=40),
    )


def objectives() -> st.SearchStrategy[Objective]:
    """Objectives in every status, consistent with their agreement and evaluation records."""

    @st.composite
    def build(draw: st.DrawFn) -> Objective:
        status = draw(st.sampled_from(ObjectiveStatus))
        kind = draw(st.sampled_from(ObjectiveKind))
        owners = draw(
            st.lists(
                identifiers(),
                min_size=2 if kind is ObjectiveKind.JOINT else 0,
                max_size=4,
                unique=True,
            )
        )
        agreed = status in (ObjectiveStatus.AGREED, ObjectiveStatus.EVALUATED)
        return Objective(
            id=draw(identifiers()),
            statement=draw(texts(max_size=200)),
            rationale=draw(st.text(max_size=60)),
            kind=kind,
            owner_ids=tuple(owners),
            success_criteria=tuple(
                SuccessCriterion(t) for t in draw(st.lists(texts(max_size=60), max_size=3))
            ),
            evidence_sources=draw(_texts()),
            deadline=draw(st.none() | dates()),
            priority_ids=draw(_unique_ids()),
            standard_ids=draw(_unique_ids()),
            support=draw(_texts()),
            shared_ref=draw(st.none() | identifiers()),
            status=status,
            check_ins=tuple(draw(st.lists(check_ins(), max_size=3))),
            agreement=draw(agreements()) if agreed else draw(st.none()),
            evaluation=draw(evaluations()) if status is ObjectiveStatus.EVALUATED else None,
            colleague_impact=tuple(draw(st.lists(colleague_impacts(), max_size=2)))
            if agreed
            else (),
        )

    return build()


def milestones() -> st.SearchStrategy[Milestone]:
    """Milestones of every kind and basis."""
    return st.builds(
        Milestone,
        id=identifiers(),
        title=texts(),
        kind=st.sampled_from(MilestoneKind),
        due=dates(),
        owner_role=st.sampled_from(["reviewer", "reviewee", "governors_panel", "mentor"]),
        minutes=st.none() | st.integers(5, 240),
        basis=st.sampled_from(Basis),
        completed_on=st.none() | dates(),
    )


def evidence() -> st.SearchStrategy[Evidence]:
    """Evidence items with tags."""
    return st.builds(
        Evidence,
        id=identifiers(),
        description=texts(),
        on=dates(),
        added_by=identifiers(),
        uri=st.none() | st.just("https://example.org/evidence/1"),
        objective_ids=_unique_ids(),
        standard_ids=_unique_ids(),
        priority_ids=_unique_ids(),
        tags=_texts(),
    )


def observations() -> st.SearchStrategy[Observation]:
    """Observations and learning walks."""
    return st.builds(
        Observation,
        id=identifiers(),
        kind=st.sampled_from(ObservationKind),
        on=dates(),
        observer_id=identifiers(),
        focus=texts(),
        minutes=st.none() | st.integers(5, 120),
        objective_ids=_unique_ids(),
        standard_ids=_unique_ids(),
        strengths=_texts(),
        next_steps=_texts(),
        cpd_needs=_texts(),
    )


def confidential_notes() -> st.SearchStrategy[Confidential]:
    """Confidential notes for non-empty sets of audiences."""
    return st.builds(
        Confidential, text=texts(), audiences=st.frozensets(st.sampled_from(Audience), min_size=1)
    )


def review_meetings(*, with_pay: bool = True) -> st.SearchStrategy[ReviewMeeting]:
    """Review meetings with confidential notes and, if *with_pay*, a pay recommendation."""
    pay = (
        st.none() | st.builds(PayRecommendation, recommendation=texts()) if with_pay else st.none()
    )
    return st.builds(
        ReviewMeeting,
        id=identifiers(),
        kind=st.sampled_from(ReviewKind),
        on=dates(),
        participant_ids=_unique_ids(),
        milestone_id=st.none() | identifiers(),
        notes=st.text(max_size=80),
        reviewee_reflection=st.text(max_size=40),
        reviewer_reflection=st.text(max_size=40),
        strengths=_texts(),
        next_steps=_texts(),
        agreed_actions=st.lists(
            st.builds(
                AgreedAction,
                text=texts(),
                owner_id=st.none() | identifiers(),
                due=st.none() | dates(),
            ),
            max_size=2,
        ).map(tuple),
        development_needs=_texts(),
        conversation=st.builds(
            Conversation,
            wellbeing=st.text(max_size=30),
            workload=st.text(max_size=30),
            career=st.text(max_size=30),
        ),
        private_notes=st.lists(confidential_notes(), max_size=2).map(tuple),
        pay_recommendation=pay,
        minutes=st.none() | st.integers(10, 120),
    )


def cpd_activities(
    school_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[CPDActivity]:
    """CPD activities of every kind, with sessions, costs, links and impact records."""

    @st.composite
    def build(draw: st.DrawFn) -> CPDActivity:
        start = draw(dates())
        end = draw(st.none() | st.dates(min_value=start, max_value=start + timedelta(days=365)))
        kind = draw(st.sampled_from(CPDKind))
        activity = CPDActivity(
            id=draw(identifiers()),
            school_id=draw(school_id if school_id is not None else identifiers()),
            title=draw(texts()),
            kind=kind,
            start=start,
            purpose=draw(st.sampled_from(Purpose)),
            end=end,
            sessions=tuple(draw(st.lists(dates(), max_size=4))),
            hours=draw(st.floats(0, 200, allow_nan=False)),
            cost=draw(
                st.none()
                | st.decimals(
                    min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
                ).map(lambda d: Decimal(str(d)))
            ),
            provider=draw(st.text(max_size=30)),
            attendee_ids=draw(_unique_ids()),
            objective_refs=tuple(
                draw(
                    st.lists(
                        st.builds(ObjectiveRef, identifiers(), identifiers()),
                        max_size=3,
                        unique=True,
                    )
                )
            ),
            standard_ids=draw(_unique_ids()),
            priority_ids=draw(_unique_ids()),
            impact=tuple(
                draw(
                    st.lists(
                        st.builds(
                            ImpactRecord,
                            level=st.sampled_from(ImpactLevel),
                            on=dates(),
                            by=identifiers(),
                            note=texts(),
                        ),
                        max_size=3,
                    )
                )
            ),
            notes=draw(st.text(max_size=40)),
            offering_id=draw(st.none() | identifiers()),
            cost_per_place=draw(st.none() | _amounts()),
            organiser_id=draw(st.none() | identifiers()),
        )
        if kind in (CPDKind.COACHING, CPDKind.MENTORING) and draw(st.booleans()):
            coach = draw(identifiers())  # a pairing: the coach is not among those coached
            if coach not in activity.attendee_ids:
                activity = attrs.evolve(activity, coach_id=coach)
        statuses = draw(
            st.lists(st.sampled_from(AttendanceStatus), min_size=len(activity.attendee_ids))
        )
        marked = draw(st.lists(st.booleans(), min_size=len(activity.attendee_ids)))
        activity = activity.with_statuses(
            {p: s for p, s, m in zip(activity.attendee_ids, statuses, marked, strict=False) if m}
        )
        for _ in range(draw(st.integers(0, 3))):
            day = draw(st.sampled_from(sorted(set(activity.dates))))
            to = draw(dates())
            if to not in activity.dates:
                activity = activity.move_session(day, to, reason=draw(st.text(max_size=20)))
        return activity

    return build()


def _amounts() -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
    ).map(lambda d: Decimal(str(d)))


def cpd_offerings(
    school_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[CPDOffering]:
    """Entries of a school's CPD catalogue, of every kind, with costs and links."""
    return st.builds(
        CPDOffering,
        id=identifiers(),
        school_id=school_id if school_id is not None else identifiers(),
        title=texts(),
        kind=st.sampled_from(CPDKind),
        purpose=st.sampled_from(Purpose),
        provider=st.text(max_size=30),
        hours=st.floats(0, 200, allow_nan=False),
        cost=st.none() | _amounts(),
        cost_per_place=st.none() | _amounts(),
        standard_ids=_unique_ids(),
        priority_ids=_unique_ids(),
        organiser_id=st.none() | identifiers(),
        description=st.text(max_size=60),
        retired=st.booleans(),
    )


def _scale() -> st.SearchStrategy[int]:
    return st.integers(1, 5)


def meeting_ratings(
    school_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[MeetingRating]:
    """Staff-voice ratings of review meetings, with or without a reviewer and a comment."""
    return st.builds(
        MeetingRating,
        id=identifiers(),
        school_id=school_id if school_id is not None else identifiers(),
        cycle_id=identifiers(),
        meeting_id=identifiers(),
        rater_id=identifiers(),
        reviewer_id=st.none() | identifiers(),
        on=dates(),
        usefulness=_scale(),
        motivation=_scale(),
        team_ids=_unique_ids(),
        comment=st.text(max_size=60),
    )


@st.composite
def training_plan_entries(
    draw: st.DrawFn, school_id: st.SearchStrategy[str] | None = None
) -> TrainingPlanEntry:
    """Training-plan entries: dates, an owner, hours and a Decimal cost.

    Each is consistent with its level: a whole-school entry names no team, a team entry
    names one, an individual entry names one or more participants.
    """
    level = draw(st.sampled_from(PlanLevel))
    team = identifiers() if level is PlanLevel.TEAM else st.none()
    if level is PlanLevel.INDIVIDUAL:
        people = st.lists(identifiers(), min_size=1, max_size=4, unique=True).map(tuple)
    else:
        people = _unique_ids()
    return TrainingPlanEntry(
        id=draw(identifiers()),
        school_id=draw(school_id if school_id is not None else identifiers()),
        title=draw(texts()),
        dates=draw(st.lists(dates(), min_size=1, max_size=4)),
        owner_id=draw(identifiers()),
        hours=draw(st.floats(0, 100, allow_nan=False)),
        cost=draw(_amounts()),
        level=level,
        need=draw(st.text(max_size=40)),
        participant_ids=draw(people),
        team_id=draw(team),
        status=draw(st.sampled_from(PlanStatus)),
        offering_id=draw(st.none() | identifiers()),
        notes=draw(st.text(max_size=40)),
    )


@st.composite
def process_surveys(
    draw: st.DrawFn, school_id: st.SearchStrategy[str] | None = None
) -> ProcessSurvey:
    """Whole-staff process surveys, open for up to two months."""
    opens = draw(dates())
    return ProcessSurvey(
        id=draw(identifiers()),
        school_id=draw(school_id if school_id is not None else identifiers()),
        title=draw(texts()),
        opens=opens,
        closes=opens + timedelta(days=draw(st.integers(0, 60))),
    )


def survey_responses(
    school_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[SurveyResponse]:
    """Answers to the process survey, every question answered or left blank."""
    return st.builds(
        SurveyResponse,
        id=identifiers(),
        school_id=school_id if school_id is not None else identifiers(),
        survey_id=identifiers(),
        respondent_id=identifiers(),
        on=dates(),
        team_ids=_unique_ids(),
        reviewer_id=st.none() | identifiers(),
        valued=st.none() | _scale(),
        helps_me_improve=st.none() | _scale(),
        objectives_imposed=st.none() | st.booleans(),
        pupil_data_targets=st.none() | st.booleans(),
        hours=st.none() | st.floats(0, 500, allow_nan=False) | st.integers(0, 500),
        comment=st.text(max_size=60),
    )


@st.composite
def cycles(
    draw: st.DrawFn,
    school_id: st.SearchStrategy[str] | None = None,
    *,
    max_objectives: int = 4,
) -> Cycle:
    """Cycles driven through the real lifecycle to a random point, from draft to closed.

    Some are ended on leaving instead, once active (`Cycle.end_on_leaving`).

    The history, statuses, agreement records and evaluations are therefore consistent, as
    a real cycle's would be.
    """
    start = draw(dates(date(2020, 9, 1), date(2032, 9, 1)))
    end = start + timedelta(days=draw(st.integers(30, 730)))
    staff_id, reviewer_id = draw(st.lists(identifiers(), min_size=2, max_size=2, unique=True))
    pay = draw(st.booleans())
    cycle = Cycle(
        id=draw(identifiers()),
        school_id=draw(school_id if school_id is not None else identifiers()),
        staff_id=staff_id,
        reviewer_id=reviewer_id,
        period_start=start,
        period_end=end,
        template_id=draw(st.none() | st.sampled_from(["england-teacher", "england-support-staff"])),
        pay_recommendations=pay,
    )
    day = start
    cycle.set_milestones(
        draw(st.lists(milestones(), max_size=4, unique_by=lambda m: m.id)), by=reviewer_id, on=day
    )
    stage = draw(
        st.sampled_from(["draft", "planning", "active", "final_review", "closed", "ended"])
    )
    if stage == "draft":
        return cycle
    cycle.start_planning(by=reviewer_id, on=day)
    count = draw(st.integers(1 if stage != "planning" else 0, max_objectives))
    for _ in range(count):
        objective = cycle.propose_objective(
            by=staff_id,
            on=day,
            statement=draw(texts(max_size=160)),
            rationale=draw(st.text(max_size=40)),
            success_criteria=draw(st.lists(texts(max_size=40), max_size=2)),
            deadline=draw(st.none() | st.just(end)),
            priority_ids=draw(_unique_ids(2)),
            standard_ids=draw(_unique_ids(2)),
        )
        if stage == "planning" and draw(st.booleans()):
            continue
        if draw(st.booleans()):
            cycle.return_objective(objective.id, by=reviewer_id, on=day, reasons=[draw(texts())])
            cycle.submit_objective(objective.id, by=staff_id, on=day)
        if draw(st.booleans()):
            cycle.agree_objective(objective.id, by=reviewer_id, on=day)
        else:
            cycle.set_objective(objective.id, by=reviewer_id, on=day, disagreement=draw(texts()))
        if draw(st.integers(0, 3)) == 0:  # returned at moderation, then agreed again
            cycle.moderate_objective(objective.id, by="MOD", on=day, reasons=[draw(texts())])
            cycle.submit_objective(objective.id, by=staff_id, on=day)
            cycle.agree_objective(objective.id, by=reviewer_id, on=day)
    if stage == "planning":
        return cycle
    cycle.activate(by=reviewer_id, on=day)
    for objective in cycle.objectives_in(ObjectiveStatus.AGREED):
        for _ in range(draw(st.integers(0, 2))):
            day = min(day + timedelta(days=draw(st.integers(1, 40))), end)
            cycle.record_check_in(
                objective.id,
                by=draw(st.sampled_from([staff_id, reviewer_id])),
                on=day,
                note=draw(texts()),
                percent=draw(st.none() | st.integers(0, 100)),
                rag=draw(st.none() | st.sampled_from(RAG)),
            )
    if draw(st.booleans()):
        cycle.add_evidence(
            by=staff_id, on=day, description=draw(texts()), objective_ids=[cycle.objectives[0].id]
        )
    for objective in cycle.objectives_in(ObjectiveStatus.AGREED):
        if draw(st.integers(0, 2)) == 0:  # practice shared with colleagues
            cycle.record_colleague_impact(
                objective.id,
                by=draw(st.sampled_from([staff_id, reviewer_id])),
                on=day,
                shared_with=draw(st.sampled_from(SharedWith)),
                what=draw(texts()),
                with_whom=draw(st.text(max_size=30)),
                colleagues=draw(st.none() | st.integers(1, 60)),
            )
    if draw(st.booleans()):
        cycle.record_observation(
            by=reviewer_id,
            on=day,
            kind=draw(st.sampled_from(ObservationKind)),
            focus=draw(texts()),
            minutes=draw(st.none() | st.integers(5, 60)),
            cpd_needs=draw(_texts(2)),
        )
    if draw(st.booleans()):
        cycle.record_review(
            by=reviewer_id,
            on=day,
            kind=ReviewKind.MID_YEAR,
            notes=draw(st.text(max_size=60)),
            strengths=draw(_texts(2)),
            next_steps=draw(_texts(2)),
            private_notes=draw(st.lists(confidential_notes(), max_size=2)),
            pay_recommendation=(
                PayRecommendation(draw(texts())) if pay and draw(st.booleans()) else None
            ),
        )
    if stage == "active":
        return cycle
    if stage == "ended":  # the reviewee left: ended with agreed objectives not evaluated
        cycle.end_on_leaving(
            by=reviewer_id,
            on=day,
            left_on=day - timedelta(days=draw(st.integers(0, 30))),
            note=draw(st.sampled_from(["", "Moved to another school.", "Retired."])),
        )
        return cycle
    cycle.begin_final_review(by=reviewer_id, on=day)
    for objective in cycle.objectives_in(ObjectiveStatus.AGREED):
        cycle.evaluate_objective(
            objective.id,
            by=reviewer_id,
            on=day,
            outcome=draw(st.sampled_from(Outcome)),
            impact=draw(st.text(max_size=40)),
            learning=draw(st.text(max_size=40)),
        )
    if stage == "final_review":
        return cycle
    cycle.close(by=reviewer_id, on=day)
    return cycle
