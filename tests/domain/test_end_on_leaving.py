"""`Cycle.end_on_leaving`: a leaver's cycle ended without the final review it will never have.

Before, `close` was the only way out of a cycle and it needs the reviewer's final review,
so a leaver's cycle stayed open for ever (`test_a_leaver_s_cycle_could_not_be_ended_before`).
"""

from __future__ import annotations

import copy
import unicodedata
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain import (
    CYCLE_TRANSITIONS,
    Cycle,
    CycleStatus,
    Milestone,
    MilestoneKind,
    ObjectiveStatus,
    Outcome,
)
from devcycle.errors import DomainError, ValidationError

REVIEWEE, REVIEWER, HEAD = "T1", "M1", "H1"
LEFT = date(2027, 1, 15)


def _cycle() -> Cycle:
    return Cycle(
        id="C1", school_id="oak", staff_id=REVIEWEE, reviewer_id=REVIEWER,
        period_start=date(2026, 9, 1), period_end=date(2027, 8, 31),
    )  # fmt: skip


def _active() -> Cycle:
    """Active, with one objective evaluated early and one agreed, not yet evaluated."""
    cycle = _cycle()
    cycle.set_milestones(
        [
            Milestone(
                id="final", title="Final review", kind=MilestoneKind.FINAL, due=date(2027, 7, 1)
            )
        ],
        by=HEAD,
        on=date(2026, 9, 2),
    )
    cycle.start_planning(by=REVIEWER, on=date(2026, 9, 10))
    one = cycle.propose_objective(by=REVIEWEE, on=date(2026, 9, 20), statement="Reading.")
    two = cycle.propose_objective(by=REVIEWEE, on=date(2026, 9, 20), statement="Fractions.")
    cycle.agree_objective(one.id, by=REVIEWER, on=date(2026, 10, 1))
    cycle.agree_objective(two.id, by=REVIEWER, on=date(2026, 10, 1))
    cycle.activate(by=REVIEWER, on=date(2026, 10, 2))
    cycle.evaluate_objective(one.id, by=REVIEWER, on=date(2026, 12, 1), outcome=Outcome.MET)
    return cycle


def test_a_leaver_s_cycle_could_not_be_ended_before() -> None:
    """The gap: closing needs the final review and an evaluation of every agreed objective."""
    cycle = _active()

    with pytest.raises(DomainError, match=r"allowed only|allowed actions"):
        cycle.close(by=REVIEWER, on=LEFT)
    cycle.begin_final_review(by=REVIEWER, on=LEFT)
    with pytest.raises(DomainError, match="have not been evaluated"):
        cycle.close(by=REVIEWER, on=LEFT)

    cycle.end_on_leaving(by=HEAD, on=LEFT, left_on=LEFT)  # now there is a way

    assert cycle.is_ended


def test_ending_locks_the_cycle_but_it_is_not_a_completed_review() -> None:
    cycle = _active()
    before = copy.copy(cycle)

    cycle.end_on_leaving(by=HEAD, on=date(2027, 1, 20), left_on=LEFT, note="Moved to Leeds.")

    assert cycle.status is CycleStatus.ENDED
    assert cycle.is_ended
    assert cycle.is_closed
    assert not cycle.is_completed
    assert cycle.available_actions(HEAD) == ()
    # objectives and milestones are left as they were: nothing is judged met or not met
    assert cycle.objectives == before.objectives
    assert [o.status for o in cycle.objectives] == [
        ObjectiveStatus.EVALUATED,
        ObjectiveStatus.AGREED,
    ]
    assert cycle.objectives[1].evaluation is None
    assert cycle.milestones == before.milestones
    entry = cycle.history[-1]
    assert cycle.ending == entry
    assert (entry.on, entry.by, entry.action, entry.target) == (
        date(2027, 1, 20), HEAD, "end_on_leaving", "cycle",
    )  # fmt: skip
    assert (entry.from_state, entry.to_state) == ("active", "ended")
    assert entry.detail == "left on 2027-01-15; Moved to Leeds."
    assert cycle.history[: len(before.history)] == before.history


def test_a_completed_cycle_has_no_ending() -> None:
    cycle = _active()
    cycle.begin_final_review(by=REVIEWER, on=date(2027, 6, 1))
    cycle.evaluate_objective("obj-2", by=REVIEWER, on=date(2027, 6, 2), outcome=Outcome.MET)
    cycle.close(by=REVIEWER, on=date(2027, 6, 3))

    assert cycle.is_completed
    assert cycle.is_closed
    assert not cycle.is_ended
    assert cycle.ending is None
    with pytest.raises(DomainError, match="closed and locked"):
        cycle.end_on_leaving(by=HEAD, on=date(2027, 6, 4), left_on=date(2027, 6, 4))


@pytest.mark.parametrize("by", [HEAD, REVIEWER])
def test_from_every_open_state_by_anyone_but_the_reviewee(by: str) -> None:
    for steps in range(4):
        cycle = _cycle()
        if steps >= 1:
            cycle.start_planning(by=REVIEWER, on=date(2026, 9, 10))
        if steps >= 2:
            obj = cycle.propose_objective(by=REVIEWEE, on=date(2026, 9, 20), statement="Aim.")
            cycle.agree_objective(obj.id, by=REVIEWER, on=date(2026, 10, 1))
            cycle.activate(by=REVIEWER, on=date(2026, 10, 1))
        if steps >= 3:
            cycle.begin_final_review(by=REVIEWER, on=date(2026, 12, 1))
        state = cycle.status
        assert "end_on_leaving" in cycle.available_actions(by)

        cycle.end_on_leaving(by=by, on=LEFT, left_on=LEFT)

        assert cycle.history[-1].from_state == state.value


def test_the_reviewee_cannot_end_their_own_cycle() -> None:
    cycle = _active()
    before = copy.copy(cycle)

    assert "end_on_leaving" not in cycle.available_actions(REVIEWEE)
    with pytest.raises(DomainError, match="the reviewee cannot end their own cycle"):
        cycle.end_on_leaving(by=REVIEWEE, on=LEFT, left_on=LEFT)

    assert cycle == before


def test_an_ended_cycle_cannot_be_ended_again_or_changed() -> None:
    cycle = _active()
    cycle.end_on_leaving(by=HEAD, on=LEFT, left_on=LEFT)

    with pytest.raises(DomainError, match="ended on leaving and is locked"):
        cycle.end_on_leaving(by=HEAD, on=LEFT, left_on=LEFT)
    with pytest.raises(DomainError, match="ended on leaving and is locked"):
        cycle.evaluate_objective("obj-2", by=REVIEWER, on=LEFT, outcome=Outcome.MET)
    with pytest.raises(DomainError, match="ended on leaving and is locked"):
        cycle.assign_reviewer(HEAD, by=HEAD, on=LEFT)


def test_the_day_is_on_or_after_the_leaving_day_and_the_last_recorded_action() -> None:
    cycle = _active()
    before = copy.copy(cycle)

    with pytest.raises(
        ValidationError, match=r"on or after the day the reviewee left \(2027-01-15\)"
    ):
        cycle.end_on_leaving(by=HEAD, on=LEFT - timedelta(days=1), left_on=LEFT)
    with pytest.raises(ValidationError, match=r"on or after 2026-12-01.*evaluate_objective"):
        cycle.end_on_leaving(by=HEAD, on=date(2026, 11, 30), left_on=date(2026, 11, 1))
    assert cycle == before

    # long after the cycle's end and grace: a leaver's cycle may be tidied up late
    cycle.end_on_leaving(by=HEAD, on=date(2029, 1, 1), left_on=LEFT)
    assert cycle.is_ended


@pytest.mark.parametrize(
    ("field", "arguments"),
    [
        ("$.on", {"on": "2027-01-20", "left_on": LEFT}),
        ("$.left_on", {"on": LEFT, "left_on": None}),
        ("$.note", {"on": LEFT, "left_on": LEFT, "note": "two\nlines"}),
        ("$.note", {"on": LEFT, "left_on": LEFT, "note": "x" * 501}),
        ("$.note", {"on": LEFT, "left_on": LEFT, "note": 7}),
    ],
)
def test_bad_arguments_are_validation_errors_at_their_field(
    field: str, arguments: dict[str, object]
) -> None:
    cycle = _active()
    before = copy.copy(cycle)

    with pytest.raises(ValidationError) as caught:
        cycle.end_on_leaving(by=HEAD, **arguments)  # type: ignore[arg-type]

    assert [p.path for p in caught.value.problems] == [field]
    assert cycle == before


def test_the_transition_table_names_the_new_move() -> None:
    row = next(t for t in CYCLE_TRANSITIONS if t.action == "end_on_leaving")

    assert row.target == CycleStatus.ENDED
    assert CycleStatus.CLOSED not in row.sources
    assert CycleStatus.ENDED not in row.sources
    assert "reviewee" not in {p.value for p in row.parties}


@given(
    left=st.dates(date(2026, 1, 1), date(2028, 12, 31)),
    later=st.integers(0, 400),
    note=st.text(max_size=40),
)
def test_ending_succeeds_exactly_when_its_rules_hold(left: date, later: int, note: str) -> None:
    """Either the cycle is ended as asked, or it is refused and left exactly as it was."""
    cycle = _active()
    before = copy.copy(cycle)
    on = left + timedelta(days=later)
    last = cycle.history[-1].on
    plain = not any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in note)

    try:
        cycle.end_on_leaving(by=HEAD, on=on, left_on=left, note=note)
    except ValidationError:
        assert cycle == before
        assert on < last or not plain
        return
    assert on >= last
    assert plain
    assert cycle.is_ended
    assert cycle.ending is not None
    assert cycle.ending.on == on
