"""Shared and cascaded objectives (issue 11, item 10).

Before: a joint objective was two unrelated objectives whose copies could say different
things, a whole-school objective had to be typed into every cycle, and reports counted a
joint objective once per holder.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain import (
    Cycle,
    ObjectiveKind,
    ObjectiveStatus,
    Outcome,
    Priority,
    Role,
    School,
    SharedConflictError,
    StaffMember,
    cascade,
    evaluate_shared,
    objective_key,
    share,
    shared_conflicts,
)
from devcycle.errors import DomainError, ValidationError
from devcycle.reports import ReportData, coverage

START = date(2026, 9, 1)
END = date(2027, 8, 31)
STATEMENT = "Raise Year 1 phonics screening passes from 72% to 85% by June 2027."


def _cycle(staff_id: str, school_id: str = "stm", reviewer: str | None = "H1") -> Cycle:
    cycle = Cycle(
        id=f"2026-{staff_id}",
        school_id=school_id,
        staff_id=staff_id,
        reviewer_id=reviewer,
        period_start=START,
        period_end=END,
    )
    if reviewer is not None:
        cycle.start_planning(by=reviewer, on=date(2026, 9, 2))
    return cycle


def _agree_all(cycles: list[Cycle], ref: str) -> None:
    for cycle in cycles:
        copy = next(o for o in cycle.objectives if o.shared_ref == ref)
        cycle.submit_objective(copy.id, by=cycle.staff_id, on=date(2026, 9, 25))
        cycle.agree_objective(copy.id, by="H1", on=date(2026, 10, 1))
        cycle.activate(by="H1", on=date(2026, 10, 1))


def test_a_joint_objective_is_one_objective_in_each_owners_cycle() -> None:
    team = [_cycle("T1"), _cycle("T2"), _cycle("T3")]

    added = share(
        team, ref="phonics", on=date(2026, 9, 20), statement=STATEMENT, priority_ids=("P1",)
    )

    assert [c.staff_id for c, _ in added] == ["T1", "T2", "T3"]
    for cycle, objective in added:
        assert objective.kind is ObjectiveKind.JOINT
        assert objective.shared_ref == "phonics"
        assert objective.owner_ids == ("T1", "T2", "T3")
        assert objective.status is ObjectiveStatus.DRAFT
        assert cycle.history[-1].by == cycle.staff_id
    assert shared_conflicts(team) == []
    _agree_all(team, "phonics")
    team[0].record_check_in(
        added[0][1].id, by="T1", on=date(2026, 11, 1), note="Daily keep-up groups started."
    )
    assert shared_conflicts(team) == []  # each owner's check-ins are their own
    assert [len(o.check_ins) for _, o in ((c, c.objectives[0]) for c in team)] == [1, 0, 0]


def test_one_evaluation_is_recorded_in_every_copy() -> None:
    team = [_cycle("T1"), _cycle("T2")]
    share(team, ref="phonics", on=date(2026, 9, 20), statement=STATEMENT)
    _agree_all(team, "phonics")

    done = evaluate_shared(
        team, "phonics", on=date(2027, 7, 10), outcome="met", impact="86% passed"
    )

    assert [o.status for _, o in done] == [ObjectiveStatus.EVALUATED] * 2
    assert {(o.evaluation.outcome, o.evaluation.impact) for _, o in done} == {  # type: ignore[union-attr]
        (Outcome.MET, "86% passed")
    }
    assert shared_conflicts(team) == []


def test_evaluation_waits_until_every_copy_is_agreed_and_changes_nothing() -> None:
    team = [_cycle("T1"), _cycle("T2")]
    share(team, ref="phonics", on=date(2026, 9, 20), statement=STATEMENT)
    _agree_all(team[:1], "phonics")

    with pytest.raises(DomainError, match=r"2026-T2#obj-1 \(draft\)"):
        evaluate_shared(team, "phonics", on=date(2027, 7, 10), outcome=Outcome.MET)
    assert team[0].objectives[0].status is ObjectiveStatus.AGREED


@pytest.mark.parametrize(
    ("cycles", "message"),
    [
        (lambda: [_cycle("T1")], "two or more different owners"),
        (lambda: [_cycle("T1"), _cycle("T1")], "two or more different owners"),
        (lambda: [_cycle("T1"), _cycle("T2", school_id="oak")], "within one school"),
    ],
)
def test_a_joint_objective_needs_two_owners_of_one_school(cycles: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        share(cycles(), ref="j", on=date(2026, 9, 20), statement=STATEMENT)  # type: ignore[operator]


def test_sharing_is_all_or_nothing() -> None:
    """A cycle that cannot take the objective leaves every other cycle as it was."""
    late = _cycle("T2")
    own = late.propose_objective(by="T2", on=date(2026, 9, 20), statement=STATEMENT)
    late.agree_objective(own.id, by="H1", on=date(2026, 10, 1))
    late.activate(by="H1", on=date(2026, 10, 1))
    late.begin_final_review(by="H1", on=date(2027, 6, 1))
    team = [_cycle("T1"), late]

    with pytest.raises(DomainError):
        share(team, ref="j", on=date(2026, 9, 20), statement=STATEMENT)
    assert team[0].objectives == ()
    assert [o.id for o in late.objectives] == [own.id]
    assert len(team[0].history) == 1


def test_a_whole_school_objective_cascades_to_everyone_in_scope_once() -> None:
    school = [_cycle("T1"), _cycle("T2"), _cycle("T3", reviewer=None)]

    first = cascade(school, ref="attendance", on=date(2026, 9, 5), statement=STATEMENT)
    joiner = _cycle("T4")
    again = cascade([*school, joiner], ref="attendance", on=date(2026, 11, 5), statement=STATEMENT)

    assert [c.staff_id for c, _ in first.added] == ["T1", "T2"]
    assert [(c.staff_id, "reviewer" in why) for c, why in first.skipped] == [("T3", True)]
    assert all(o.kind is ObjectiveKind.WHOLE_SCHOOL for _, o in first.added)
    assert all(c.history[-1].by == "H1" for c, _ in first.added)
    assert [c.staff_id for c, _ in again.added] == ["T4"]
    assert [c.staff_id for c in again.already] == ["T1", "T2"]
    assert shared_conflicts([*school, joiner]) == []


def test_cascading_over_a_different_copy_is_refused_and_changes_nothing() -> None:
    school = [_cycle("T1"), _cycle("T2")]
    cascade(school[:1], ref="attendance", on=date(2026, 9, 5), statement=STATEMENT)

    with pytest.raises(SharedConflictError, match="statement"):
        cascade(school, ref="attendance", on=date(2026, 9, 6), statement="Something else.")
    assert school[1].objectives == ()


def test_copies_that_disagree_are_found() -> None:
    team = [_cycle("T1"), _cycle("T2"), _cycle("T3")]
    share(team[:2], ref="j", on=date(2026, 9, 20), statement=STATEMENT)
    team[2].draft_objective(
        by="T3",
        on=date(2026, 9, 20),
        statement="A different statement.",
        kind=ObjectiveKind.JOINT,
        owner_ids=("T1", "T2"),
        shared_ref="j",
    )

    problems = shared_conflicts(team)

    assert any("statement" in p and "2026-T3" in p for p in problems)
    assert any("not one of its owners" not in p for p in problems)
    assert shared_conflicts(team[:2]) == []
    assert shared_conflicts(team, refs=["other"]) == []


@given(
    owners=st.integers(2, 5),
    revised=st.integers(0, 4),
    statement=st.sampled_from(["Reading ages up by 12 months.", STATEMENT]),
)
def test_a_copy_changed_alone_is_always_caught(owners: int, revised: int, statement: str) -> None:
    team = [_cycle(f"T{i}") for i in range(owners)]
    share(team, ref="j", on=date(2026, 9, 20), statement=STATEMENT)
    _agree_all(team, "j")
    target = team[revised % owners]
    target.revise_objective(
        target.objectives[0].id,
        by="H1",
        on=date(2026, 11, 1),
        reason="new data",
        statement=statement,
    )

    assert bool(shared_conflicts(team)) == (statement != STATEMENT)


def test_coverage_counts_a_shared_objective_once() -> None:
    team = [_cycle("T1"), _cycle("T2")]
    share(team, ref="j", on=date(2026, 9, 20), statement=STATEMENT, priority_ids=("P1",))
    _agree_all(team, "j")
    data = ReportData(
        schools=[School(id="stm", name="St Mary's", priorities=(Priority("P1", "Reading"),))],
        staff=[
            StaffMember(id=s, name=s, school_id="stm", roles={Role.TEACHER}, reviewer_id="H1")
            for s in ("T1", "T2")
        ],
        cycles=team,
    )

    report = coverage(data, as_of=date(2027, 2, 1))

    (row,) = report.priorities
    assert (row.objectives, row.staff_ids) == (1, ("T1", "T2"))
    keys = {objective_key(c.school_id, c.id, c.objectives[0]) for c in team}
    assert keys == {("shared", "stm", "j")}
