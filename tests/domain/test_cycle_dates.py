"""Issue 11, item 2: every dated action on a cycle falls inside it and after what it follows.

A check-in dated years before or after the cycle, an objective agreed before it was
proposed, a deadline long after the cycle ends, or text where a date belongs: each is
refused at the call with a `ValidationError` naming the field and the allowed range, and
changes nothing.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain import Cycle
from devcycle.domain.cycle import DEFAULT_GRACE_DAYS
from devcycle.errors import ValidationError

START, END = date(2026, 9, 1), date(2027, 8, 31)
EE, ER = "T1", "H1"


def _cycle(**fields: Any) -> Cycle:
    return Cycle(
        id="c1",
        school_id="stm",
        staff_id=EE,
        reviewer_id=ER,
        period_start=START,
        period_end=END,
        **fields,
    )


def _active(**fields: Any) -> Cycle:
    cycle = _cycle(**fields)
    cycle.start_planning(by=ER, on=date(2026, 9, 10))
    cycle.propose_objective(by=EE, on=date(2026, 9, 20), statement="Improve questioning")
    cycle.agree_objective("obj-1", by=ER, on=date(2026, 10, 1))
    cycle.activate(by=ER, on=date(2026, 10, 1))
    return cycle


def _refused(cycle: Cycle, call: Any) -> ValidationError:
    before = copy.deepcopy(cycle)
    with pytest.raises(ValidationError) as caught:
        call(cycle)
    assert cycle == before, "a refused call changed the cycle"
    assert cycle.history == before.history
    return caught.value


@pytest.mark.parametrize("on", [date(2020, 1, 6), date(2031, 3, 3)])
def test_a_check_in_outside_the_cycle_is_refused_naming_the_range(on: date) -> None:
    cycle = _active()

    error = _refused(cycle, lambda c: c.record_check_in("obj-1", by=EE, on=on, note="Going well"))

    [problem] = error.problems
    assert problem.path == "$.on"
    assert problem.value == on
    last = END + timedelta(days=DEFAULT_GRACE_DAYS)
    assert problem.expected == f"a date from 2026-10-01 to {last}"
    assert "record_check_in" in problem.message
    assert str(last) in problem.message


def test_an_objective_agreed_before_it_was_proposed_is_refused() -> None:
    cycle = _cycle()
    cycle.start_planning(by=ER, on=date(2026, 9, 10))
    cycle.propose_objective(by=EE, on=date(2026, 9, 20), statement="Improve questioning")

    error = _refused(cycle, lambda c: c.agree_objective("obj-1", by=ER, on=date(2026, 9, 15)))

    assert "the propose_objective it follows" in error.problems[0].message
    assert error.problems[0].expected.startswith("a date from 2026-09-20 to ")


def test_a_deadline_years_after_the_cycle_is_refused() -> None:
    cycle = _cycle()
    cycle.start_planning(by=ER, on=date(2026, 9, 10))

    error = _refused(
        cycle,
        lambda c: c.propose_objective(
            by=EE, on=date(2026, 9, 20), statement="Improve questioning", deadline=date(2030, 7, 1)
        ),
    )

    [problem] = error.problems
    assert problem.path == "$.deadline"
    assert problem.value == date(2030, 7, 1)
    assert problem.expected.startswith("a date from 2026-09-01 to ")


def test_a_deadline_inside_the_cycle_or_its_grace_is_accepted() -> None:
    cycle = _cycle()
    cycle.start_planning(by=ER, on=date(2026, 9, 10))

    inside = cycle.propose_objective(
        by=EE, on=date(2026, 9, 20), statement="Improve questioning", deadline=date(2027, 7, 16)
    )
    grace = cycle.propose_objective(
        by=EE, on=date(2026, 9, 20), statement="Lead the reading INSET", deadline=END
    )

    assert (inside.deadline, grace.deadline) == (date(2027, 7, 16), END)


@pytest.mark.parametrize("on", ["2026-10-05", datetime(2026, 10, 5, 9, 30), 20261005, None])
def test_a_value_that_is_not_a_date_is_refused_at_the_call(on: object) -> None:
    cycle = _active()

    error = _refused(cycle, lambda c: c.record_check_in("obj-1", by=EE, on=on, note="x"))

    assert error.problems[0].path == "$.on"
    assert error.problems[0].expected == "a datetime.date"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.add_evidence(by=EE, on="2026-11-01", description="Planning"),
        lambda c: c.record_observation(by=ER, on="2026-11-01", kind="lesson", focus="Questions"),
        lambda c: c.record_review(by=ER, on="2026-11-01", kind="mid_year"),
        lambda c: c.begin_final_review(by=ER, on="2027-07-01"),
        lambda c: c.assign_reviewer("H2", by="HT", on="2026-11-01"),
        lambda c: c.revise_objective("obj-1", by=ER, on="2026-11-01", reason="New class"),
        lambda c: c.evaluate_objective("obj-1", by=ER, on="2026-11-01", outcome="met"),
        lambda c: c.revise_objective(
            "obj-1", by=ER, on=date(2026, 11, 1), reason="x", deadline="2027-03-01"
        ),
    ],
    ids=[
        "evidence",
        "observation",
        "review",
        "final review",
        "reviewer",
        "revision",
        "evaluation",
        "deadline",
    ],
)
def test_every_dated_action_refuses_text_for_a_date(call: Any) -> None:
    cycle = _active()

    error = _refused(cycle, call)

    assert error.problems[0].path in ("$.on", "$.deadline")


def test_the_grace_after_the_end_is_the_documented_default_and_configurable() -> None:
    late = END + timedelta(days=60)
    relaxed = _active()
    relaxed.begin_final_review(by=ER, on=late)  # the default grace allows an autumn review
    assert relaxed.history[-1].on == late

    strict = _active(grace_days=0)
    error = _refused(strict, lambda c: c.begin_final_review(by=ER, on=late))
    assert error.problems[0].expected == f"a date from 2026-10-01 to {END}"
    strict.begin_final_review(by=ER, on=END)


def test_a_bad_grace_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        _cycle(grace_days=-1)
    assert caught.value.problems[0].path == "$.grace_days"


ACTIONS = st.sampled_from(["check_in", "evidence", "observation", "review", "complete"])


@given(
    st.lists(st.tuples(ACTIONS, st.integers(-900, 1400), st.sampled_from([EE, ER])), max_size=12)
)
def test_random_dated_actions_stay_in_range_and_refusals_change_nothing(
    steps: list[tuple[str, int, str]],
) -> None:
    cycle = _active()
    for action, offset, by in steps:
        on = START + timedelta(days=offset)
        first, last = cycle.allowed_dates("objective:obj-1" if action == "check_in" else None)
        if action == "complete":  # setting milestones may come before the cycle starts
            first = date.min
        before = copy.deepcopy(cycle)
        calls = {
            "check_in": lambda d=on, b=by: cycle.record_check_in("obj-1", by=b, on=d, note="n"),
            "evidence": lambda d=on: cycle.add_evidence(by=EE, on=d, description="d"),
            "observation": lambda d=on: cycle.record_observation(
                by=ER, on=d, kind="drop_in", focus="f"
            ),
            "review": lambda d=on: cycle.record_review(by=ER, on=d, kind="check_in"),
            "complete": lambda d=on, b=by: cycle.set_milestones([], by=b, on=d),
        }
        try:
            calls[action]()
        except ValidationError:
            assert not first <= on <= last
            assert cycle == before
            assert cycle.history == before.history
        else:
            assert first <= on <= last
            assert cycle.history[: len(before.history)] == before.history
        dates = [entry.on for entry in cycle.history]
        assert all(d <= END + timedelta(days=cycle.grace_days) for d in dates)


def test_a_check_in_on_one_objective_may_be_recorded_after_a_later_one_on_another() -> None:
    """Order is kept per objective: a late entry about another objective is not refused."""
    cycle = _active()
    cycle.propose_objective(by=EE, on=date(2026, 10, 1), statement="Lead reading")
    cycle.agree_objective("obj-2", by=ER, on=date(2026, 10, 2))
    cycle.record_check_in("obj-1", by=EE, on=date(2027, 1, 20), note="Nearly done")

    cycle.record_check_in("obj-2", by=EE, on=date(2027, 1, 5), note="Slow")

    _refused(cycle, lambda c: c.record_check_in("obj-1", by=EE, on=date(2027, 1, 6), note="x"))
