"""Little Brook: a small hand-built school whose right answers are worked out in the tests.

Staff: A (middle leader, team t1, leads t1), B (teacher, teams t1 and t2), C (teaching
assistant, team t2, led by B), H (headteacher, no cycle). One cycle each for A, B and C, from
1 September 2026 to 31 August 2027, every objective agreed on 1 October 2026. The tests judge
it as of 1 February 2027, when 123 of the 334 days from agreement to 31 August have gone
(36.8%).
"""

from __future__ import annotations

from datetime import date

from devcycle.domain import (
    RAG,
    CPDActivity,
    CPDKind,
    Cycle,
    ImpactLevel,
    ImpactRecord,
    Milestone,
    MilestoneKind,
    ObjectiveRef,
    ObservationKind,
    Priority,
    Purpose,
    ReviewKind,
    Role,
    School,
    StaffMember,
    Team,
)
from devcycle.reports import ReportData

AS_OF = date(2027, 2, 1)
START = date(2026, 9, 1)
END = date(2027, 8, 31)
AGREED = date(2026, 10, 1)


def _cycle(staff_id: str, reviewer: str) -> Cycle:
    cycle = Cycle(
        id=f"c-{staff_id}",
        school_id="lb",
        staff_id=staff_id,
        reviewer_id=reviewer,
        period_start=START,
        period_end=END,
    )
    cycle.start_planning(by=reviewer, on=date(2026, 9, 10))
    return cycle


def build() -> ReportData:
    """Build Little Brook (see the module docstring)."""
    school = School(
        id="lb",
        name="Little Brook Primary",
        priorities=(
            Priority("P1", "Reading", theme="reading"),
            Priority("P2", "Behaviour", theme="behaviour"),
            Priority("P3", "Wellbeing", theme="wellbeing"),
        ),
        teams=(Team("t1", "Upper school", "A"), Team("t2", "Inclusion", "B")),
    )
    staff = (
        StaffMember(
            id="A",
            name="Ann Able",
            school_id="lb",
            roles={Role.MIDDLE_LEADER, Role.TEACHER},
            team_ids=("t1",),
            reviewer_id="H",
        ),
        StaffMember(
            id="B",
            name="Ben Bell",
            school_id="lb",
            roles={Role.TEACHER},
            team_ids=("t1", "t2"),
            reviewer_id="A",
            fte=0.5,
        ),
        StaffMember(
            id="C",
            name="Cat Cole",
            school_id="lb",
            roles={Role.TEACHING_ASSISTANT},
            team_ids=("t2",),
            reviewer_id="B",
        ),
        StaffMember(id="H", name="Hal Head", school_id="lb", roles={Role.HEADTEACHER}),
    )

    # A: obj-1 on track and linked; obj-2 with nothing linked and no check-in (stale, red).
    a = _cycle("A", "H")
    a.propose_objective(
        by="A",
        on=date(2026, 9, 20),
        statement="Lead guided reading in Years 5 and 6.",
        success_criteria=["Reading ages up 6 months"],
        priority_ids=["P1"],
        standard_ids=["TS3.3"],
    )
    a.propose_objective(by="A", on=date(2026, 9, 20), statement="Improve something.")
    a.agree_objective("obj-1", by="H", on=AGREED)
    a.agree_objective("obj-2", by="H", on=AGREED)
    a.record_review(
        by="H", on=AGREED, kind=ReviewKind.PLANNING, minutes=60, participant_ids=("A", "H")
    )
    a.activate(by="H", on=AGREED)
    a.record_check_in("obj-1", by="A", on=date(2027, 1, 10), note="Going well.", percent=50)
    a.add_evidence(
        by="A",
        on=date(2027, 1, 12),
        description="Reading ages",
        objective_ids=["obj-1"],
        priority_ids=["P1"],
    )
    a.add_evidence(by="A", on=date(2027, 1, 13), description="A photo of a display")
    a.record_observation(
        by="H",
        on=date(2026, 11, 5),
        kind=ObservationKind.LESSON,
        focus="Questioning",
        minutes=60,
        standard_ids=["TS4"],
        cpd_needs=["Questioning", "Feedback"],
    )
    a.set_milestones(
        [
            Milestone(
                "planning",
                "Planning meeting",
                MilestoneKind.PLANNING,
                date(2026, 10, 1),
                minutes=60,
                completed_on=date(2026, 10, 1),
            ),
            Milestone(
                "mid", "Mid-year review", MilestoneKind.MID_YEAR, date(2027, 1, 29), minutes=45
            ),
            Milestone("final", "Final review", MilestoneKind.FINAL, date(2027, 7, 9), minutes=60),
        ],
        by="H",
        on=AGREED,
    )

    # B: obj-1 lapsed (deadline 31 Jan); obj-2 behind (10% at 36.8%); obj-3 only proposed.
    b = _cycle("B", "A")
    b.propose_objective(
        by="B",
        on=date(2026, 9, 20),
        statement="Run a nurture group until January.",
        success_criteria=["Fewer incidents"],
        priority_ids=["P2"],
        support=["Coaching"],
        deadline=date(2027, 1, 31),
    )
    b.propose_objective(
        by="B",
        on=date(2026, 9, 20),
        statement="Plan phonics catch-up for Year 2.",
        success_criteria=["Phonics check"],
        priority_ids=["P1"],
        standard_ids=["TS4"],
    )
    b.agree_objective("obj-1", by="A", on=AGREED)
    b.agree_objective("obj-2", by="A", on=AGREED)
    b.record_review(
        by="A",
        on=AGREED,
        kind=ReviewKind.PLANNING,
        minutes=30,
        participant_ids=("A", "B"),
        development_needs=["Questioning"],
    )
    b.activate(by="A", on=AGREED)
    b.propose_objective(
        by="B",
        on=date(2026, 11, 1),
        statement="Share practice at a briefing.",
        success_criteria=["Shared"],
        priority_ids=["P1"],
    )
    b.record_check_in("obj-1", by="B", on=date(2027, 1, 20), note="Nearly done.", percent=90)
    b.record_check_in("obj-2", by="B", on=date(2027, 1, 5), note="Slow.", percent=10)
    b.add_evidence(by="B", on=date(2027, 1, 6), description="Lesson plans", standard_ids=["TS3"])
    b.set_milestones(
        [
            Milestone(
                "planning",
                "Planning meeting",
                MilestoneKind.PLANNING,
                date(2026, 10, 1),
                minutes=30,
                completed_on=date(2026, 10, 1),
            ),
            Milestone(
                "mid", "Mid-year review", MilestoneKind.MID_YEAR, date(2027, 2, 8), minutes=30
            ),
        ],
        by="A",
        on=AGREED,
    )

    # C: one objective on track, supported by supervision.
    c = _cycle("C", "B")
    c.propose_objective(
        by="C",
        on=date(2026, 9, 20),
        statement="Lead a lunchtime social skills group.",
        success_criteria=["Group runs weekly"],
        priority_ids=["P2"],
        support=["Supervision"],
    )
    c.agree_objective("obj-1", by="B", on=AGREED)
    c.activate(by="B", on=AGREED)
    c.record_check_in(
        "obj-1", by="C", on=date(2027, 1, 25), note="Weekly.", percent=40, rag=RAG.GREEN
    )

    cpd = (
        CPDActivity(
            id="cpd-1",
            school_id="lb",
            title="Reading course",
            kind=CPDKind.COURSE,
            start=date(2026, 10, 10),
            hours=6.0,
            attendee_ids=("A", "B"),
            objective_refs=(ObjectiveRef("c-A", "obj-1"), ObjectiveRef("c-B", "obj-2")),
            impact=(
                ImpactRecord(ImpactLevel.REACTIONS, date(2026, 10, 10), "A", "Liked it"),
                ImpactRecord(ImpactLevel.LEARNING, date(2026, 11, 1), "A", "Quiz"),
                ImpactRecord(ImpactLevel.USE_OF_KNOWLEDGE, date(2027, 1, 10), "H", "Seen"),
            ),
        ),
        CPDActivity(
            id="cpd-2",
            school_id="lb",
            title="Coaching for Cat",
            kind=CPDKind.COACHING,
            start=date(2026, 11, 1),
            hours=4.0,
            attendee_ids=("C",),
            impact=(ImpactRecord(ImpactLevel.REACTIONS, date(2026, 11, 1), "C", "Useful"),),
        ),
        CPDActivity(
            id="cpd-3",
            school_id="lb",
            title="INSET: behaviour",
            kind=CPDKind.INSET,
            start=date(2026, 9, 1),
            hours=3.0,
            attendee_ids=("A", "B", "C"),
        ),
        CPDActivity(
            id="cpd-4",
            school_id="lb",
            title="Data drop meeting",
            kind=CPDKind.OTHER,
            purpose=Purpose.MEASUREMENT,
            start=date(2027, 2, 10),
            hours=1.0,
            attendee_ids=("A",),
        ),
    )
    return ReportData(schools=(school,), staff=staff, cycles=(a, b, c), cpd=cpd)
