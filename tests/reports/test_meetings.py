"""Meetings that help (issue 15, point 4): two sides of feedback, the why, impact on colleagues."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.demo import build_demo
from devcycle.domain import Cycle, ReviewKind, Role, School, SharedWith, StaffMember, Team
from devcycle.render import render, renderer_names
from devcycle.reports import (
    MeetingCounts,
    MeetingsPolicy,
    ReportData,
    Scope,
    health,
    meetings,
    run,
)

AS_OF = date(2027, 2, 1)
DAY = date(2026, 10, 1)

# (strengths, next steps) recorded at each person's mid-year review, or None: no mid-year.
SIDES = {
    "P0": (True, True),
    "P1": (True, False),
    "P2": (False, True),
    "P3": (False, False),
    "P4": None,
}


def _school() -> ReportData:
    """Oak: R reviews P0-P3 (P0, P1 in team t), Q reviews P4; Q's P4 shares practice twice."""
    staff = [
        StaffMember(id="R", name="Rita", school_id="oak", roles={Role.SENIOR_LEADER}),
        StaffMember(id="Q", name="Quinn", school_id="oak", roles={Role.SENIOR_LEADER}),
    ]
    cycles = []
    for index, (pid, sides) in enumerate(SIDES.items()):
        reviewer = "Q" if pid == "P4" else "R"
        staff.append(
            StaffMember(
                id=pid,
                name=f"Person {index}",
                school_id="oak",
                roles={Role.TEACHER},
                team_ids=("t",) if index < 2 else (),
                reviewer_id=reviewer,
            )
        )
        cycle = Cycle(
            id=f"c-{pid}",
            school_id="oak",
            staff_id=pid,
            reviewer_id=reviewer,
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        cycle.start_planning(by=reviewer, on=DAY)
        first = cycle.propose_objective(
            by=pid, on=DAY, statement="Teach phonics to Year 1.", rationale="Six pupils behind"
        )
        second = cycle.propose_objective(
            by=pid, on=DAY, statement="Lead a reading club.", rationale="" if index == 3 else "Why"
        )
        for made in (first, second):
            cycle.agree_objective(made.id, by=reviewer, on=DAY)
        cycle.record_review(by=reviewer, on=DAY, kind=ReviewKind.PLANNING)
        cycle.activate(by=reviewer, on=DAY)
        # A check-in with no feedback is not judged; one that names one side is.
        cycle.record_review(by=reviewer, on=date(2026, 11, 1), kind=ReviewKind.CHECK_IN)
        if sides is not None:
            strengths, steps = sides
            cycle.record_review(
                by=reviewer,
                on=date(2027, 1, 20),
                kind=ReviewKind.MID_YEAR,
                strengths=["Calm starts"] if strengths else [],
                next_steps=["Hinge questions"] if steps else [],
            )
        if pid == "P4":
            cycle.record_review(
                by=reviewer, on=date(2026, 12, 1), kind=ReviewKind.CHECK_IN, next_steps=["More"]
            )
            for place, on, count in (
                (SharedWith.BRIEFING, date(2026, 12, 5), 30),
                (SharedWith.OTHER_SCHOOL, date(2027, 1, 10), None),
                (SharedWith.TEAM, date(2027, 3, 1), 5),  # after the as-of date
            ):
                cycle.record_colleague_impact(
                    first.id, by=pid, on=on, shared_with=place, what="Phonics groups",
                    with_whom="Hillside" if place is SharedWith.OTHER_SCHOOL else "",
                    colleagues=count,
                )  # fmt: skip
        cycles.append(cycle)
    oak = School(id="oak", name="Oak", teams=(Team("t", "Team T", None),))
    return ReportData(schools=(oak,), staff=tuple(staff), cycles=tuple(cycles))


def test_each_meeting_is_counted_by_the_sides_it_records() -> None:
    report = meetings(_school(), as_of=AS_OF)
    people = {p.id: p.counts for p in report.people}

    assert (people["P0"].meetings, people["P0"].two_sided) == (1, 1)
    assert people["P1"].strengths_only == 1
    assert people["P2"].next_steps_only == 1
    assert people["P3"].neither == 1
    # P4: no mid-year; the silent check-in is not judged, the one-sided one is.
    assert (people["P4"].meetings, people["P4"].next_steps_only) == (1, 1)
    assert report.total.meetings == 5
    assert report.total.two_sided_share == pytest.approx(0.2)


def test_one_sided_and_silent_meetings_and_objectives_without_a_why_are_flagged() -> None:
    report = meetings(_school(), as_of=AS_OF)
    found = sorted((f.staff_id, f.code, f.target) for f in report.findings)

    assert found == [
        ("P1", "one-sided", "review:rev-3"),
        ("P2", "one-sided", "review:rev-3"),
        ("P3", "no-feedback", "review:rev-3"),
        ("P3", "no-rationale", "objective:obj-2"),
        ("P4", "one-sided", "review:rev-3"),
    ]
    p1 = next(f for f in report.findings if f.staff_id == "P1")
    assert "records strengths but no next steps" in p1.message
    assert "mid-year review on 20" in p1.message


def test_reasons_are_counted_over_live_objectives() -> None:
    report = meetings(_school(), as_of=AS_OF)

    assert (report.total.objectives, report.total.with_rationale) == (10, 9)
    assert report.total.rationale_share == pytest.approx(0.9)


def test_impact_on_colleagues_is_counted_and_listed_up_to_the_as_of_date() -> None:
    report = meetings(_school(), as_of=AS_OF)
    total = report.total

    assert (total.shared, total.objectives_shared, total.colleagues) == (2, 1, 30)
    assert (total.briefing, total.other_school, total.team) == (1, 1, 0)
    assert [r.record.shared_with for r in report.colleague_impact] == [
        SharedWith.BRIEFING,
        SharedWith.OTHER_SCHOOL,
    ]
    later = meetings(_school(), as_of=date(2027, 3, 2))
    assert later.total.team == 1


def test_reviewers_teams_and_the_school_add_up() -> None:
    report = meetings(_school(), as_of=AS_OF)
    by_id = {r.id: r.counts for r in report.reviewers}
    school = next(g for g in report.groups if g.kind == "school").counts
    team = next(g for g in report.groups if g.kind == "team").counts

    assert by_id["R"] + by_id["Q"] == school == report.total
    assert (by_id["R"].people, by_id["Q"].shared) == (4, 2)
    assert (team.people, team.two_sided, team.strengths_only) == (2, 1, 1)


def test_a_policy_may_expect_check_ins_to_give_feedback_too() -> None:
    report = meetings(_school(), as_of=AS_OF, policy=MeetingsPolicy(kinds=["mid_year", "check_in"]))

    assert report.total.meetings == 5 + 5  # every check-in is judged now
    assert report.total.neither == 1 + 5
    with pytest.raises(ValueError, match="at least one kind"):
        MeetingsPolicy(kinds=[])


def test_one_person_in_scope() -> None:
    report = meetings(_school(), as_of=AS_OF, scope=Scope(school_id="oak", person_id="P3"))

    assert [p.id for p in report.people] == ["P3"]
    assert {f.code for f in report.findings} == {"no-feedback", "no-rationale"}


@pytest.mark.parametrize("fmt", renderer_names())
def test_the_report_renders_in_every_format(fmt: str) -> None:
    if fmt == "docx":
        pytest.importorskip("docx")

    assert render(run("meetings", _school(), as_of=AS_OF).to_document(), fmt)


def test_the_document_shows_each_part_and_escapes_user_text() -> None:
    data = _school()
    hostile = '<script>alert("x")</script>'
    cycle = data.cycles[4]
    cycle.record_colleague_impact(
        "obj-2", by="P4", on=date(2027, 1, 30), shared_with="other", what=hostile
    )
    html = render(meetings(data, as_of=AS_OF).to_document(), "html").decode()

    for heading in ("Findings", "Reviewers", "Teams and schools", "People"):
        assert f">{heading}<" in html
    assert "Impact on colleagues" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_the_demo_shows_two_sided_feedback_a_flag_and_impact_on_colleagues() -> None:
    sample = build_demo(2026)
    data = ReportData(
        schools=(sample.school,), staff=sample.staff, cycles=sample.cycles, cpd=sample.cpd
    )
    report = meetings(data, as_of=sample.as_of)

    assert report.total.two_sided >= 20
    assert [f.code for f in report.findings] == ["one-sided"]
    assert {r.record.shared_with for r in report.colleague_impact} == {
        SharedWith.BRIEFING,
        SharedWith.TEAM,
        SharedWith.OTHER_SCHOOL,
    }
    assert report.total.with_rationale == report.total.objectives
    point = next(
        i for i in health(data, as_of=sample.as_of).items if i.id == "meetings-record-both-sides"
    )
    assert "1 of 26 reviews record only one side" in point.evidence


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.booleans(), st.booleans(), st.integers(0, 2), st.sampled_from(SharedWith)),
        min_size=1,
        max_size=8,
    )
)
def test_counts_always_add_up(people: list[tuple[bool, bool, int, SharedWith]]) -> None:
    """For any school, every group's counts are its members' and the sides partition meetings."""
    staff = [StaffMember(id="R", name="Rita", school_id="oak", roles={Role.SENIOR_LEADER})]
    cycles = []
    for index, (strengths, steps, shares, place) in enumerate(people):
        pid = f"P{index}"
        staff.append(
            StaffMember(
                id=pid,
                name=pid,
                school_id="oak",
                roles={Role.TEACHER},
                team_ids=("t",) if index % 2 else (),
                reviewer_id="R",
            )
        )
        cycle = Cycle(
            id=f"c-{pid}",
            school_id="oak",
            staff_id=pid,
            reviewer_id="R",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        cycle.start_planning(by="R", on=DAY)
        made = cycle.propose_objective(by=pid, on=DAY, statement="Aim", rationale="x" * index)
        cycle.agree_objective(made.id, by="R", on=DAY)
        cycle.activate(by="R", on=DAY)
        cycle.record_review(
            by="R",
            on=DAY,
            kind=ReviewKind.FINAL,
            strengths=["s"] if strengths else [],
            next_steps=["n"] if steps else [],
        )
        for _ in range(shares):
            cycle.record_colleague_impact(made.id, by=pid, on=DAY, shared_with=place, what="x")
        cycles.append(cycle)
    data = ReportData(
        schools=(School(id="oak", name="Oak", teams=(Team("t", "T", None),)),),
        staff=tuple(staff),
        cycles=tuple(cycles),
    )
    report = meetings(data, as_of=AS_OF)
    total = report.total
    school = next(g for g in report.groups if g.kind == "school").counts

    assert school == total == sum((r.counts for r in report.reviewers), MeetingCounts())
    assert total.meetings == len(people)
    assert total.two_sided + total.one_sided + total.neither == total.meetings
    assert total.shared == sum(total.shared_with(p) for p in SharedWith)
    assert len(report.findings) == total.one_sided + total.neither + (
        total.objectives - total.with_rationale
    )
