"""Issue 11, item 6: recording a meeting completes the milestone it fulfils."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.domain import MEETING_MILESTONES, Milestone, MilestoneKind
from devcycle.reports import ReportData, overdue

REVIEWEE, REVIEWER = "T1", "H1"
START, END = date(2026, 9, 1), date(2027, 8, 31)

MILESTONES = (
    Milestone("plan", "Planning meeting", MilestoneKind.PLANNING, date(2026, 10, 9)),
    Milestone("check-in-1", "Check-in", MilestoneKind.CHECK_IN, date(2026, 11, 27)),
    Milestone("mid", "Mid-year review", MilestoneKind.MID_YEAR, date(2027, 2, 12)),
    Milestone("check-in-2", "Check-in", MilestoneKind.CHECK_IN, date(2027, 4, 30)),
    Milestone("final", "Final review", MilestoneKind.FINAL, date(2027, 7, 9)),
)


def scheduled() -> dc.Cycle:
    cycle = dc.Cycle(
        id="2026-T1",
        school_id="oak",
        staff_id=REVIEWEE,
        reviewer_id=REVIEWER,
        period_start=START,
        period_end=END,
    )
    cycle.set_milestones(MILESTONES, by=REVIEWER, on=date(2026, 9, 2))
    cycle.start_planning(by=REVIEWER, on=date(2026, 9, 3))
    return cycle


def meet(cycle: dc.Cycle, kind: dc.ReviewKind, on: date) -> dc.ReviewMeeting:
    return cycle.record_review(by=REVIEWER, on=on, kind=kind)


def done(cycle: dc.Cycle) -> dict[str, date | None]:
    return {m.id: m.completed_on for m in cycle.milestones if m.completed_on is not None}


def test_each_meeting_held_completes_its_milestone_and_the_report_stops_listing_it() -> None:
    """The planning meeting, a check-in, the mid-year and final reviews: none left overdue."""
    cycle = scheduled()
    school = dc.School(id="oak", name="Oak Primary")
    staff = (
        dc.StaffMember(id=REVIEWER, name="Head", school_id="oak", roles={dc.Role.HEADTEACHER}),
        dc.StaffMember(
            id=REVIEWEE,
            name="Teacher",
            school_id="oak",
            roles={dc.Role.TEACHER},
            reviewer_id=REVIEWER,
        ),
    )
    as_of = date(2027, 7, 20)

    def listed() -> list[str]:
        data = ReportData(schools=(school,), staff=staff, cycles=(cycle,), cpd=())
        return [m.milestone.id for m in overdue(data, as_of=as_of).overdue]

    assert listed() == [m.id for m in MILESTONES]
    meeting = meet(cycle, dc.ReviewKind.PLANNING, date(2026, 10, 8))
    objective = cycle.propose_objective(by=REVIEWEE, on=date(2026, 10, 8), statement="Read.")
    cycle.agree_objective(objective.id, by=REVIEWER, on=date(2026, 10, 8))
    cycle.activate(by=REVIEWER, on=date(2026, 10, 8))
    meet(cycle, dc.ReviewKind.CHECK_IN, date(2026, 12, 1))
    meet(cycle, dc.ReviewKind.MID_YEAR, date(2027, 2, 12))
    meet(cycle, dc.ReviewKind.CHECK_IN, date(2027, 4, 28))
    meet(cycle, dc.ReviewKind.FINAL, date(2027, 7, 9))

    assert listed() == []
    assert meeting.milestone_id == "plan"
    assert done(cycle) == {
        "plan": date(2026, 10, 8),
        "check-in-1": date(2026, 12, 1),
        "mid": date(2027, 2, 12),
        "check-in-2": date(2027, 4, 28),
        "final": date(2027, 7, 9),
    }
    assert "completes milestone plan" in next(
        e.detail for e in cycle.history if e.action == "record_review"
    )


def test_a_late_meeting_clears_the_milestone_it_was_late_for() -> None:
    """A check-in held in January, with November's missed, completes November's."""
    cycle = scheduled()
    meet(cycle, dc.ReviewKind.CHECK_IN, date(2027, 1, 20))

    assert done(cycle) == {"check-in-1": date(2027, 1, 20)}


def test_a_meeting_after_its_milestone_was_met_fulfils_the_next_one_in_its_window() -> None:
    """A second check-in completes the next check-in only within that one's window."""
    cycle = scheduled()
    meet(cycle, dc.ReviewKind.CHECK_IN, date(2026, 11, 27))
    meet(cycle, dc.ReviewKind.CHECK_IN, date(2026, 11, 27))

    assert done(cycle) == {"check-in-1": date(2026, 11, 27)}

    meet(cycle, dc.ReviewKind.CHECK_IN, date(2026, 12, 3))
    meet(cycle, dc.ReviewKind.CHECK_IN, date(2027, 5, 10))

    assert done(cycle) == {"check-in-1": date(2026, 11, 27), "check-in-2": date(2026, 12, 3)}


def test_a_named_milestone_wins_over_the_match() -> None:
    """Naming the milestone completes that one, whatever the kind and date say."""
    cycle = scheduled()
    meeting = cycle.record_review(
        by=REVIEWER, on=date(2026, 11, 1), kind=dc.ReviewKind.OTHER, milestone_id="check-in-2"
    )

    assert meeting.milestone_id == "check-in-2"
    assert done(cycle) == {"check-in-2": date(2026, 11, 1)}


def test_a_meeting_of_another_kind_completes_nothing() -> None:
    """An "other" meeting, or a kind the cycle has no milestone of, leaves them all open."""
    cycle = scheduled()
    other = meet(cycle, dc.ReviewKind.OTHER, date(2026, 10, 9))
    meet(cycle, dc.ReviewKind.FORMAL_ASSESSMENT, date(2026, 10, 9))

    assert done(cycle) == {}
    assert other.milestone_id is None


def test_a_refused_meeting_completes_nothing() -> None:
    """A meeting the cycle refuses (by someone not in it) changes no milestone."""
    cycle = scheduled()
    with pytest.raises(dc.DomainError):
        cycle.record_review(by="X9", on=date(2026, 10, 9), kind=dc.ReviewKind.PLANNING)

    assert done(cycle) == {}


@given(
    kind=st.sampled_from(sorted(MEETING_MILESTONES)),
    days=st.lists(st.integers(0, 364), min_size=1, max_size=6),
)
def test_meetings_complete_at_most_one_milestone_each_of_their_own_kind(
    kind: dc.ReviewKind, days: list[int]
) -> None:
    """Each meeting completes no more than one milestone, of its kind, never reopening one."""
    cycle = scheduled()
    for offset in sorted(days):
        before = done(cycle)
        meet(cycle, kind, START + timedelta(days=offset))
        after = done(cycle)
        added = set(after) - set(before)
        assert len(added) <= 1
        assert {k: after[k] for k in before} == before
        wanted = MEETING_MILESTONES[kind]
        assert all(cycle.milestone(i).kind is wanted for i in added)
