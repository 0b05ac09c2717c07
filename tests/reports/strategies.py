"""Hypothesis strategies for generated schools and trusts, for the report properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from devcycle.domain import (
    RAG,
    Agreement,
    CheckIn,
    CPDActivity,
    CPDKind,
    Cycle,
    CycleStatus,
    Evaluation,
    Evidence,
    ImpactLevel,
    ImpactRecord,
    Milestone,
    MilestoneKind,
    Objective,
    ObjectiveRef,
    ObjectiveStatus,
    Observation,
    ObservationKind,
    Outcome,
    Priority,
    Purpose,
    ReviewKind,
    ReviewMeeting,
    Role,
    School,
    StaffMember,
    SuccessCriterion,
    Team,
)
from devcycle.reports import ReportData

START = date(2026, 9, 1)
END = date(2027, 8, 31)
DAYS = (END - START).days

days = st.integers(min_value=0, max_value=DAYS).map(lambda n: START + timedelta(days=n))
as_of_dates = days


@st.composite
def objectives(draw: st.DrawFn, staff_id: str, index: int, priorities: list[str]) -> Objective:
    status = draw(
        st.sampled_from(
            [ObjectiveStatus.AGREED] * 4 + [ObjectiveStatus.PROPOSED, ObjectiveStatus.EVALUATED]
        )
    )
    agreed_on = draw(days)
    agreement = Agreement(agreed_on, "R") if status is not ObjectiveStatus.PROPOSED else None
    evaluation = (
        Evaluation(
            draw(days),
            "R",
            draw(st.sampled_from(list(Outcome))),
            impact=draw(st.sampled_from(["", "Pupils read more."])),
        )
        if status is ObjectiveStatus.EVALUATED
        else None
    )
    check_ins = tuple(
        CheckIn(
            on=draw(days),
            by=staff_id,
            note="note",
            percent=draw(st.none() | st.integers(0, 100)),
            rag=draw(st.none() | st.sampled_from(list(RAG))),
        )
        for _ in range(draw(st.integers(0, 3)))
    )
    return Objective(
        id=f"obj-{index}",
        statement=draw(st.sampled_from(["Improve reading.", "Run guided reading groups weekly."])),
        owner_ids=(staff_id,),
        success_criteria=(SuccessCriterion("ok"),) if draw(st.booleans()) else (),
        deadline=draw(st.none() | days),
        priority_ids=tuple(draw(st.lists(st.sampled_from(priorities), max_size=2, unique=True)))
        if priorities
        else (),
        standard_ids=tuple(
            draw(st.lists(st.sampled_from(["TS1", "TS3.3", "TS4"]), max_size=2, unique=True))
        ),
        support=("coaching",) if draw(st.booleans()) else (),
        status=status,
        check_ins=check_ins,
        agreement=agreement,
        evaluation=evaluation,
    )


@st.composite
def cycles(draw: st.DrawFn, member: StaffMember, priorities: list[str]) -> Cycle:
    objective_list = tuple(
        draw(objectives(member.id, i + 1, priorities)) for i in range(draw(st.integers(0, 4)))
    )
    ids = [o.id for o in objective_list]
    evidence = tuple(
        Evidence(
            id=f"ev-{i}",
            description="evidence",
            on=draw(days),
            added_by=member.id,
            objective_ids=tuple(draw(st.lists(st.sampled_from(ids), max_size=1))) if ids else (),
            priority_ids=tuple(draw(st.lists(st.sampled_from(priorities), max_size=1)))
            if priorities
            else (),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    observations = tuple(
        Observation(
            id=f"obs-{i}",
            kind=ObservationKind.LESSON,
            on=draw(days),
            observer_id="R",
            focus="focus",
            minutes=draw(st.none() | st.integers(10, 60)),
            cpd_needs=tuple(
                draw(
                    st.lists(st.sampled_from(["Questioning", "Behaviour"]), max_size=2, unique=True)
                )
            ),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    reviews = tuple(
        ReviewMeeting(
            id=f"rev-{i}",
            kind=ReviewKind.CHECK_IN,
            on=draw(days),
            minutes=draw(st.none() | st.integers(15, 60)),
            development_needs=tuple(
                draw(st.lists(st.sampled_from(["Questioning", "Feedback"]), max_size=1))
            ),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    milestones = tuple(
        sorted(
            (
                Milestone(
                    id=f"m-{i}",
                    title=f"Milestone {i}",
                    kind=MilestoneKind.CHECK_IN,
                    due=draw(days),
                    minutes=draw(st.none() | st.integers(15, 60)),
                    completed_on=draw(st.none() | days),
                )
                for i in range(draw(st.integers(0, 3)))
            ),
            key=lambda m: m.due,
        )
    )
    return Cycle(
        id=f"c-{member.id}",
        school_id=member.school_id,
        staff_id=member.id,
        reviewer_id="R",
        period_start=START,
        period_end=END,
        status=CycleStatus.ACTIVE,
        milestones=milestones,
        objectives=objective_list,
        reviews=reviews,
        evidence=evidence,
        observations=observations,
    )


@st.composite
def schools(
    draw: st.DrawFn, school_id: str
) -> tuple[School, list[StaffMember], list[Cycle], list[CPDActivity]]:
    priorities = [f"P{i}" for i in range(1, draw(st.integers(0, 3)) + 1)]
    teams = [f"t{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    school = School(
        id=school_id,
        name=f"School {school_id}",
        priorities=tuple(Priority(p, f"Priority {p}") for p in priorities),
        teams=tuple(Team(t, f"Team {t}", f"{school_id}-s1") for t in teams),
    )
    staff = [
        StaffMember(
            id=f"{school_id}-s{i}",
            name=f"Person {i}",
            school_id=school_id,
            roles={
                draw(st.sampled_from([Role.TEACHER, Role.TEACHING_ASSISTANT, Role.MIDDLE_LEADER]))
            },
            fte=draw(st.sampled_from([1.0, 0.6])),
            team_ids=tuple(draw(st.lists(st.sampled_from(teams), max_size=2, unique=True))),
        )
        for i in range(1, draw(st.integers(1, 6)) + 1)
    ]
    cycle_list = [draw(cycles(m, priorities)) for m in staff if draw(st.integers(0, 5)) > 0]
    if not cycle_list:
        cycle_list = [draw(cycles(staff[0], priorities))]
    refs = [ObjectiveRef(c.id, o.id) for c in cycle_list for o in c.objectives]
    cpd = [
        CPDActivity(
            id=f"{school_id}-cpd-{i}",
            school_id=school_id,
            title="Activity",
            kind=draw(st.sampled_from(list(CPDKind))),
            purpose=draw(st.sampled_from(list(Purpose))),
            start=draw(days),
            hours=draw(st.sampled_from([0.0, 1.0, 2.5, 6.0])),
            attendee_ids=tuple(
                draw(st.lists(st.sampled_from([s.id for s in staff]), max_size=3, unique=True))
            ),
            objective_refs=tuple(draw(st.lists(st.sampled_from(refs), max_size=2, unique=True)))
            if refs
            else (),
            impact=tuple(
                ImpactRecord(level, START, "R", "note")
                for level in draw(
                    st.lists(st.sampled_from(list(ImpactLevel)), max_size=2, unique=True)
                )
            ),
        )
        for i in range(draw(st.integers(0, 4)))
    ]
    return school, staff, cycle_list, cpd


@st.composite
def trusts(draw: st.DrawFn) -> ReportData:
    """One to three generated schools, each with at least one cycle covering the year."""
    parts = [draw(schools(f"sch{i}")) for i in range(draw(st.integers(1, 3)))]
    return ReportData(
        schools=tuple(p[0] for p in parts),
        staff=tuple(s for p in parts for s in p[1]),
        cycles=tuple(c for p in parts for c in p[2]),
        cpd=tuple(a for p in parts for a in p[3]),
    )
