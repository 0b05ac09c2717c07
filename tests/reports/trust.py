"""Two Rivers Trust: two schools that reuse the same ids, for the tenancy regression tests.

North and South both have a member of staff "T1" and "T2", a team "ks2" called "Key Stage 2",
a priority "P1" and a CPD activity "cpd-1". North's T1 has no cycle; North's T2 has a cycle
"c-T2" with an overdue planning meeting; South's T1 has a cycle "c-T1" with one agreed
objective that has had no check-in since October (stale and red); South's T2 has a cycle
also called "c-T2", whose overdue milestone is the mid-year review. Judged as of 1 February
2027.
"""

from __future__ import annotations

from datetime import date

from devcycle.domain import (
    CPDActivity,
    CPDKind,
    Cycle,
    Milestone,
    MilestoneKind,
    ObjectiveRef,
    Priority,
    Role,
    School,
    StaffMember,
    Team,
    Trust,
)
from devcycle.reports import ReportData

AS_OF = date(2027, 2, 1)
START = date(2026, 9, 1)
END = date(2027, 8, 31)


def _school(school_id: str, name: str) -> School:
    return School(
        id=school_id,
        name=name,
        trust_id="rivers",
        priorities=(Priority("P1", f"{name} reading", theme="reading"),),
        teams=(Team("ks2", "Key Stage 2", "T2"),),
    )


def _staff(school_id: str, surname: str) -> tuple[StaffMember, ...]:
    return (
        StaffMember(
            id="T1",
            name=f"Tess {surname}",
            school_id=school_id,
            roles={Role.TEACHER},
            team_ids=("ks2",),
        ),
        StaffMember(
            id="T2",
            name=f"Tom {surname}",
            school_id=school_id,
            roles={Role.MIDDLE_LEADER, Role.TEACHER},
            team_ids=("ks2",),
        ),
    )


def _cycle(school_id: str, staff_id: str) -> Cycle:
    cycle = Cycle(
        id=f"c-{staff_id}",
        school_id=school_id,
        staff_id=staff_id,
        reviewer_id="T2" if staff_id != "T2" else None,
        period_start=START,
        period_end=END,
    )
    cycle.start_planning(by="T2", on=date(2026, 9, 10))
    return cycle


def build() -> ReportData:
    """Build the trust (see the module docstring)."""
    north, south = _school("north", "North Primary"), _school("south", "South Primary")

    north_t2 = _cycle("north", "T2")
    north_t2.set_milestones(
        [Milestone("m1", "Planning meeting", MilestoneKind.PLANNING, date(2026, 10, 5))],
        by="T2",
        on=date(2026, 9, 10),
    )

    south_t1 = _cycle("south", "T1")
    south_t1.propose_objective(
        by="T1",
        on=date(2026, 9, 20),
        statement="Raise Year 5 reading ages through guided reading.",
        success_criteria=["Reading ages up 6 months"],
        priority_ids=["P1"],
    )
    south_t1.agree_objective("obj-1", by="T2", on=date(2026, 10, 1))
    south_t1.activate(by="T2", on=date(2026, 10, 1))

    south_t2 = _cycle("south", "T2")
    south_t2.set_milestones(
        [Milestone("m1", "Mid-year review", MilestoneKind.MID_YEAR, date(2027, 1, 20))],
        by="T2",
        on=date(2026, 9, 10),
    )

    cpd = (
        CPDActivity(
            id="cpd-1",
            school_id="north",
            title="North INSET",
            kind=CPDKind.INSET,
            start=date(2026, 11, 2),
            hours=3.0,
            attendee_ids=("T1", "T2"),
        ),
        CPDActivity(
            id="cpd-1",
            school_id="south",
            title="South reading course",
            kind=CPDKind.COURSE,
            start=date(2026, 11, 3),
            hours=6.0,
            attendee_ids=("T1",),
            objective_refs=(ObjectiveRef("c-T1", "obj-1"),),
        ),
    )
    return ReportData(
        schools=(north, south),
        staff=(*_staff("north", "North"), *_staff("south", "South")),
        cycles=(north_t2, south_t1, south_t2),
        cpd=cpd,
        trust=Trust(id="rivers", name="Two Rivers Trust", school_ids=("north", "south")),
    )
