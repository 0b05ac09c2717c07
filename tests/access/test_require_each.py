"""`require_each` answers as `require` does for each action in turn (issue 16).

`Services.take_actions` checks every action of a cycle's list with one call: the actor's
standing (role, scope, staff role, tie to the cycle) found once, then each action's grant.
Whatever the actor, cycle and actions, it must refuse exactly when one of the `require`
calls would, with the first refusal's message, and return the same role otherwise.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.access import CYCLE_ACTIONS, default_policy, require, require_each
from devcycle.testing.access import access_school, insiders, outsiders

SAMPLE = access_school()
POLICY = default_policy()
SCHOOLS = {s.id: s for s in SAMPLE.schools}
STAFF = {(m.school_id, m.id): m for m in SAMPLE.staff}

actors = st.one_of(
    st.sampled_from([*insiders(SAMPLE).values(), *outsiders(SAMPLE).values()]),
    st.builds(
        dc.Actor,
        user_id=st.sampled_from(["T1", "T2", "R1", "L1", "H1", "system"]),
        role=st.sampled_from(["reviewee", "reviewer", "line_manager", "headteacher", "system"]),
        school_id=st.sampled_from([None, "sa", "sb"]),
    ),
)


@given(
    actor=actors,
    cycle=st.sampled_from(SAMPLE.cycles),
    actions=st.lists(st.sampled_from(CYCLE_ACTIONS), max_size=4),
)
def test_it_refuses_and_allows_as_require_does_for_each(
    actor: dc.Actor, cycle: dc.Cycle, actions: list[str]
) -> None:
    school = SCHOOLS[cycle.school_id]
    staff = {i: m for (s, i), m in STAFF.items() if s == cycle.school_id}
    expected: str | None = None
    role = None
    for action in actions:
        try:
            role = require(POLICY, actor, action, cycle=cycle, school=school, staff=staff)
        except dc.AccessDenied as refused:
            expected = str(refused)
            break

    if expected is not None:
        with pytest.raises(dc.AccessDenied) as raised:
            require_each(POLICY, actor, actions, cycle=cycle, school=school, staff=staff)
        assert str(raised.value) == expected
    elif actions:
        assert require_each(POLICY, actor, actions, cycle=cycle, school=school, staff=staff) == role


def test_no_actions_asks_nothing_but_the_role() -> None:
    reviewee = dc.Actor("T1", "reviewee", school_id="sa")

    assert require_each(POLICY, reviewee, []).name == "reviewee"
    with pytest.raises(dc.AccessDenied, match="no role"):
        require_each(POLICY, dc.Actor("T1", "intruder", school_id="sa"), [])


def test_a_later_action_not_granted_is_refused_as_require_refuses_it() -> None:
    """Standing found with the first action; the second, not granted, worded as `require`."""
    cycle = next(c for c in SAMPLE.cycles if c.school_id == "sa" and c.staff_id == "T1")
    school = SCHOOLS["sa"]
    staff = {i: m for (s, i), m in STAFF.items() if s == "sa"}
    reviewee = dc.Actor("T1", "reviewee", school_id="sa")
    require(POLICY, reviewee, "propose_objective", cycle=cycle, school=school, staff=staff)
    with pytest.raises(dc.AccessDenied) as expected:
        require(POLICY, reviewee, "agree_objective", cycle=cycle, school=school, staff=staff)

    with pytest.raises(dc.AccessDenied) as raised:
        require_each(
            POLICY,
            reviewee,
            ["propose_objective", "agree_objective"],
            cycle=cycle,
            school=school,
            staff=staff,
        )

    assert str(raised.value) == str(expected.value)
