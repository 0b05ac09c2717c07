"""Hypothesis strategies for generated schools and trusts, for the report properties.

Hypothesis draws the shape (how many schools, staff and objectives) and a seed; the details
come from a `random.Random` with that seed. Generation stays fast enough for 120 examples per
property in CI, and every failure still replays from Hypothesis' database.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from devcycle.domain import (
    RAG,
    Agreement,
    AttendanceStatus,
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
    Trust,
)
from devcycle.reports import ReportData

START = date(2026, 9, 1)
END = date(2027, 8, 31)
DAYS = (END - START).days

as_of_dates = st.integers(min_value=0, max_value=DAYS).map(lambda n: START + timedelta(days=n))


def _day(rng: random.Random) -> date:
    return START + timedelta(days=rng.randint(0, DAYS))


def _some(rng: random.Random, items: list[str], most: int) -> tuple[str, ...]:
    return tuple(rng.sample(items, k=rng.randint(0, min(most, len(items))))) if items else ()


def _objective(
    rng: random.Random, staff_id: str, index: int, priorities: list[str], mark: str = ""
) -> Objective:
    status = rng.choice(
        [ObjectiveStatus.AGREED] * 4 + [ObjectiveStatus.PROPOSED, ObjectiveStatus.EVALUATED]
    )
    agreement = Agreement(_day(rng), "R") if status is not ObjectiveStatus.PROPOSED else None
    evaluation = (
        Evaluation(_day(rng), "R", rng.choice(list(Outcome)), impact=rng.choice(["", "More."]))
        if status is ObjectiveStatus.EVALUATED
        else None
    )
    check_ins = tuple(
        CheckIn(
            on=_day(rng),
            by=staff_id,
            note="note",
            percent=rng.choice([None, rng.randint(0, 100)]),
            rag=rng.choice([None, *RAG]),
        )
        for _ in range(rng.randint(0, 3))
    )
    return Objective(
        id=f"obj-{index}",
        statement=rng.choice(["Improve reading.", "Run guided reading groups weekly."]) + mark,
        owner_ids=(staff_id,),
        success_criteria=(SuccessCriterion("ok"),) if rng.random() < 0.5 else (),
        deadline=rng.choice([None, _day(rng)]),
        priority_ids=_some(rng, priorities, 2),
        standard_ids=_some(rng, ["TS1", "TS3.3", "TS4"], 2),
        support=("coaching",) if rng.random() < 0.5 else (),
        status=status,
        check_ins=check_ins,
        agreement=agreement,
        evaluation=evaluation,
    )


def _cycle(
    rng: random.Random, member: StaffMember, priorities: list[str], count: int, mark: str = ""
) -> Cycle:
    objectives = tuple(_objective(rng, member.id, i + 1, priorities, mark) for i in range(count))
    ids = [o.id for o in objectives]
    return Cycle(
        id=f"c-{member.id}",
        school_id=member.school_id,
        staff_id=member.id,
        reviewer_id="R",
        period_start=START,
        period_end=END,
        status=CycleStatus.ACTIVE,
        milestones=tuple(
            sorted(
                (
                    Milestone(
                        id=f"m-{i}",
                        title=f"Milestone {i}{mark}",
                        kind=MilestoneKind.CHECK_IN,
                        due=_day(rng),
                        minutes=rng.choice([None, 30]),
                        completed_on=rng.choice([None, _day(rng)]),
                    )
                    for i in range(rng.randint(0, 3))
                ),
                key=lambda m: m.due,
            )
        ),
        objectives=objectives,
        reviews=tuple(
            ReviewMeeting(
                id=f"rev-{i}",
                kind=ReviewKind.CHECK_IN,
                on=_day(rng),
                minutes=rng.choice([None, 20, 45]),
                development_needs=_some(rng, ["Questioning", "Feedback"], 1),
            )
            for i in range(rng.randint(0, 2))
        ),
        evidence=tuple(
            Evidence(
                id=f"ev-{i}",
                description="evidence",
                on=_day(rng),
                added_by=member.id,
                objective_ids=_some(rng, ids, 1),
                priority_ids=_some(rng, priorities, 1),
            )
            for i in range(rng.randint(0, 2))
        ),
        observations=tuple(
            Observation(
                id=f"obs-{i}",
                kind=ObservationKind.LESSON,
                on=_day(rng),
                observer_id="R",
                focus="focus",
                minutes=rng.choice([None, 25, 60]),
                cpd_needs=_some(rng, ["Questioning", "Behaviour"], 2),
            )
            for i in range(rng.randint(0, 2))
        ),
    )


def _school(
    rng: random.Random,
    school_id: str,
    staff_count: int,
    objectives: int,
    *,
    shared_ids: bool = False,
) -> tuple[School, list[StaffMember], list[Cycle], list[CPDActivity]]:
    """One generated school; with *shared_ids*, its ids are those every other school uses too
    ("s1", "c-s1", "cpd-0", "t1", "P1"), and every text it holds ends with "[school_id]"."""
    prefix = "" if shared_ids else f"{school_id}-"
    mark = f" [{school_id}]" if shared_ids else ""
    priorities = [f"P{i}" for i in range(1, rng.randint(0, 3) + 1)]
    teams = [f"t{i}" for i in range(1, rng.randint(1, 3) + 1)]
    school = School(
        id=school_id,
        name=f"School {school_id}",
        priorities=tuple(Priority(p, f"Priority {p}") for p in priorities),
        teams=tuple(Team(t, f"Team {t}", f"{prefix}s1") for t in teams),
    )
    staff = [
        StaffMember(
            id=f"{prefix}s{i}",
            name=f"Person {i}{mark}",
            school_id=school_id,
            roles={rng.choice([Role.TEACHER, Role.TEACHING_ASSISTANT, Role.MIDDLE_LEADER])},
            fte=rng.choice([1.0, 0.6]),
            team_ids=_some(rng, teams, 2),
        )
        for i in range(1, staff_count + 1)
    ]
    cycles = [
        _cycle(rng, m, priorities, rng.randint(0, objectives), mark)
        for index, m in enumerate(staff)
        if index == 0 or rng.random() < 0.85
    ]
    refs = [ObjectiveRef(c.id, o.id) for c in cycles for o in c.objectives]
    cpd = [
        _with_costs(
            rng,
            CPDActivity(
                id=f"{prefix}cpd-{i}",
                school_id=school_id,
                title=rng.choice(["Activity", "Questioning INSET", "Feedback course"]) + mark,
                kind=rng.choice(list(CPDKind)),
                purpose=rng.choice(list(Purpose)),
                start=_day(rng),
                hours=rng.choice([0.0, 1.0, 2.5, 6.0]),
                attendee_ids=_some(rng, [s.id for s in staff], 3),
                objective_refs=tuple(rng.sample(refs, k=min(len(refs), rng.randint(0, 2)))),
                impact=tuple(
                    ImpactRecord(level, START, "R", "note")
                    for level in rng.sample(list(ImpactLevel), k=rng.randint(0, 2))
                ),
            ),
            priorities,
        )
        for i in range(rng.randint(0, 4))
    ]
    return school, staff, cycles, cpd


def _with_costs(rng: random.Random, activity: CPDActivity, priorities: list[str]) -> CPDActivity:
    """Give a generated activity costs, priorities and a register (for the value report)."""
    return attrs.evolve(
        activity,
        cost=rng.choice([None, Decimal("0"), Decimal("100"), Decimal("333.33")]),
        cost_per_place=rng.choice([None, Decimal("25.50")]),
        priority_ids=_some(rng, priorities, 2),
    ).with_statuses(
        {p: rng.choice(list(AttendanceStatus)) for p in activity.attendee_ids if rng.random() < 0.7}
    )


@st.composite
def trusts(draw: st.DrawFn) -> ReportData:
    """One to three generated schools, each with at least one cycle covering the year."""
    shape = draw(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 4)), min_size=1, max_size=3))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    parts = [
        _school(rng, f"sch{i}", staff_count, objectives)
        for i, (staff_count, objectives) in enumerate(shape)
    ]
    return ReportData(
        schools=tuple(p[0] for p in parts),
        staff=tuple(s for p in parts for s in p[1]),
        cycles=tuple(c for p in parts for c in p[2]),
        cpd=tuple(a for p in parts for a in p[3]),
    )


@st.composite
def shared_id_trusts(draw: st.DrawFn) -> ReportData:
    """Two or three generated schools of one trust that all use the same ids.

    Every school has staff "s1", "s2"..., cycles "c-s1"..., CPD "cpd-0"..., teams "t1"...
    called "Team t1"... and priorities "P1"...; everything a person can read (names,
    statements, titles of milestones and CPD) ends with "[school_id]", so that a test can
    tell whose a row is.
    """
    shape = draw(st.lists(st.tuples(st.integers(1, 5), st.integers(0, 3)), min_size=2, max_size=3))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    parts = [
        _school(rng, f"sch{i}", staff_count, objectives, shared_ids=True)
        for i, (staff_count, objectives) in enumerate(shape)
    ]
    schools = tuple(attrs.evolve(p[0], trust_id="trust") for p in parts)
    return ReportData(
        schools=schools,
        staff=tuple(s for p in parts for s in p[1]),
        cycles=tuple(c for p in parts for c in p[2]),
        cpd=tuple(a for p in parts for a in p[3]),
        trust=Trust(id="trust", name="Shared Trust", school_ids=tuple(s.id for s in schools)),
    )


def one_school(data: ReportData, school_id: str) -> ReportData:
    """The part of *data* that belongs to *school_id*, as if it were on its own."""
    return ReportData(
        schools=tuple(s for s in data.schools if s.id == school_id),
        staff=tuple(s for s in data.staff if s.school_id == school_id),
        cycles=tuple(c for c in data.cycles if c.school_id == school_id),
        cpd=tuple(a for a in data.cpd if a.school_id == school_id),
    )
