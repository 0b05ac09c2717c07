"""Coaching and mentoring pairings in the balance report: each session held is movement (#15)."""

from __future__ import annotations

from datetime import date

import pytest

from devcycle.demo import build_demo
from devcycle.domain import CPDActivity, CPDKind, Cycle, ObjectiveRef, Role, School, StaffMember
from devcycle.render import render, renderer_names
from devcycle.reports import ReportData, balance

AS_OF = date(2027, 2, 1)
DAY = date(2026, 10, 1)


def _data(*, coach: str | None = "S2") -> ReportData:
    staff = (
        StaffMember(id="S2", name="Sol Coach", school_id="oak", roles={Role.SENIOR_LEADER}),
        StaffMember(id="T7", name="Tam Teacher", school_id="oak", roles={Role.TEACHER}),
    )
    cycles = []
    for person in ("S2", "T7"):
        cycle = Cycle(
            id=f"c-{person}",
            school_id="oak",
            staff_id=person,
            reviewer_id="H",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        cycle.start_planning(by="H", on=DAY)
        made = cycle.propose_objective(by=person, on=DAY, statement="Practical science")
        cycle.agree_objective(made.id, by="H", on=DAY)
        cycles.append(cycle)
    pairing = CPDActivity(
        id="coach-1",
        school_id="oak",
        title="Instructional coaching",
        kind=CPDKind.COACHING,
        start=date(2026, 11, 2),
        sessions=(date(2026, 11, 2), date(2026, 11, 23), date(2027, 3, 1)),
        hours=3.0,
        attendee_ids=("T7",),
        objective_refs=(ObjectiveRef("c-T7", "obj-1"),),
        coach_id=coach,
    )
    return ReportData(
        schools=(School(id="oak", name="Oak"),), staff=staff, cycles=cycles, cpd=(pairing,)
    )


def test_each_session_held_counts_as_movement_for_the_person_coached() -> None:
    report = balance(_data(), as_of=AS_OF)
    people = {p.staff_id: p.counts for p in report.people}

    assert (people["T7"].movement_count, people["T7"].movement_hours) == (2, 2.0)
    assert (people["S2"].movement_count, people["S2"].movement_hours) == (0, 0.0)
    later = balance(_data(), as_of=date(2027, 3, 2))
    assert {p.staff_id: p.counts.movement_count for p in later.people}["T7"] == 3


def test_an_activity_without_a_coach_still_counts_once_with_all_its_hours() -> None:
    report = balance(_data(coach=None), as_of=AS_OF)
    counts = {p.staff_id: p.counts for p in report.people}["T7"]

    assert (counts.movement_count, counts.movement_hours) == (1, 3.0)
    assert report.pairings == ()


def test_the_pairing_is_listed_with_its_sessions_and_objective() -> None:
    (pairing,) = balance(_data(), as_of=AS_OF).pairings

    assert (pairing.coach, pairing.coachee, pairing.kind) == (
        "Sol Coach",
        "Tam Teacher",
        "coaching",
    )
    assert (pairing.sessions_held, pairing.sessions_planned) == (2, 3)
    assert pairing.movement_hours == 2.0
    assert pairing.objectives == ("obj-1 Practical science",)


@pytest.mark.parametrize("fmt", renderer_names())
def test_the_pairings_render_in_every_format(fmt: str) -> None:
    if fmt == "docx":
        pytest.importorskip("docx")
    output = render(balance(_data(), as_of=AS_OF).to_document(), fmt)

    assert output
    if fmt in ("html", "md"):
        assert "Coaching and mentoring" in output.decode()
        assert "Sol Coach" in output.decode()


def test_the_demo_shows_a_coaching_pair_and_a_mentoring_pair() -> None:
    sample = build_demo(2026)
    data = ReportData(
        schools=(sample.school,), staff=sample.staff, cycles=sample.cycles, cpd=sample.cpd
    )
    pairs = {(p.kind, p.coach, p.coachee) for p in balance(data, as_of=sample.as_of).pairings}

    assert pairs == {
        ("coaching", "Daniel Hughes", "Owen Jones"),
        ("mentoring", "Anna Patel", "Sam Whitfield"),
    }
