"""`Cycle.available_actions` names exactly the methods that can be called now (issue 14).

A random walk drives a cycle through its year; at every step, for every person (reviewee,
reviewer, anyone else) and every cycle action in `devcycle.access.CYCLE_ACTIONS`, the
method called on a copy with well-formed arguments succeeds if and only if its name is in
`available_actions`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.access import CYCLE_ACTIONS
from devcycle.domain import (
    Cycle,
    Milestone,
    MilestoneKind,
    ObservationKind,
    Outcome,
    ReviewKind,
)
from devcycle.errors import DomainError, NotFoundError
from devcycle.services import Services

REVIEWEE, REVIEWER, OTHER = "T1", "H1", "X9"
DAY = date(2026, 10, 1)

OBJECTIVE_LEVEL = (
    "submit_objective",
    "return_objective",
    "moderate_objective",
    "agree_objective",
    "set_objective",
    "revise_objective",
    "evaluate_objective",
    "record_check_in",
    "record_colleague_impact",
)
CYCLE_LEVEL = tuple(a for a in CYCLE_ACTIONS if a not in OBJECTIVE_LEVEL)

Call = Callable[[Cycle, str], object]


def _cycle_call(action: str, cycle: Cycle) -> Call:
    """*action* on the cycle with well-formed arguments."""
    pending = [m.id for m in cycle.milestones if m.completed_on is None]
    calls: dict[str, Call] = {
        "start_planning": lambda c, by: c.start_planning(by=by, on=DAY),
        "activate": lambda c, by: c.activate(by=by, on=DAY),
        "begin_final_review": lambda c, by: c.begin_final_review(by=by, on=DAY),
        "close": lambda c, by: c.close(by=by, on=DAY),
        "end_on_leaving": lambda c, by: c.end_on_leaving(by=by, on=DAY, left_on=DAY),
        "assign_reviewer": lambda c, by: c.assign_reviewer(REVIEWER, by=by, on=DAY),
        "set_milestones": lambda c, by: c.set_milestones(
            [
                Milestone(
                    id="m1", title="Review", kind=MilestoneKind.MID_YEAR, due=DAY + timedelta(30)
                )
            ],
            by=by,
            on=DAY,
        ),
        "complete_milestone": lambda c, by: c.complete_milestone(
            pending[0] if pending else "m1", by=by, on=DAY
        ),
        "draft_objective": lambda c, by: c.draft_objective(by=by, on=DAY, statement="Draft"),
        "propose_objective": lambda c, by: c.propose_objective(by=by, on=DAY, statement="Aim"),
        "add_evidence": lambda c, by: c.add_evidence(by=by, on=DAY, description="Notes"),
        "record_observation": lambda c, by: c.record_observation(
            by=by, on=DAY, kind=ObservationKind.LESSON, focus="Questioning"
        ),
        "record_review": lambda c, by: c.record_review(by=by, on=DAY, kind=ReviewKind.MID_YEAR),
    }
    return calls[action]


def _objective_call(action: str, objective_id: str) -> Call:
    """*action* on one objective with well-formed arguments."""
    calls: dict[str, Call] = {
        "submit_objective": lambda c, by: c.submit_objective(objective_id, by=by, on=DAY),
        "return_objective": lambda c, by: c.return_objective(
            objective_id, by=by, on=DAY, reasons=["Say how it will be measured"]
        ),
        "moderate_objective": lambda c, by: c.moderate_objective(
            objective_id, by=by, on=DAY, reasons=["Not like the others"]
        ),
        "agree_objective": lambda c, by: c.agree_objective(objective_id, by=by, on=DAY),
        "set_objective": lambda c, by: c.set_objective(
            objective_id, by=by, on=DAY, disagreement="Too much"
        ),
        "revise_objective": lambda c, by: c.revise_objective(
            objective_id, by=by, on=DAY, reason="New class"
        ),
        "evaluate_objective": lambda c, by: c.evaluate_objective(
            objective_id, by=by, on=DAY, outcome=Outcome.MET
        ),
        "record_check_in": lambda c, by: c.record_check_in(
            objective_id, by=by, on=DAY, note="On track"
        ),
        "record_colleague_impact": lambda c, by: c.record_colleague_impact(
            objective_id, by=by, on=DAY, shared_with="briefing", what="Questioning routine"
        ),
    }
    return calls[action]


def _succeeds(cycle: Cycle, call: Call, by: str) -> bool:
    trial = copy.deepcopy(cycle)
    try:
        call(trial, by)
    except (DomainError, NotFoundError):
        return False
    return True


def _check_every_action(cycle: Cycle) -> None:
    for by in (REVIEWEE, REVIEWER, OTHER):
        offered = cycle.available_actions(by)
        assert set(offered) <= set(CYCLE_LEVEL)
        for action in CYCLE_LEVEL:
            works = _succeeds(cycle, _cycle_call(action, cycle), by)
            assert works == (action in offered), (action, by, cycle.status, offered)
        for objective in cycle.objectives:
            offered = cycle.available_actions(by, objective.id)
            assert set(offered) <= set(OBJECTIVE_LEVEL)
            for action in OBJECTIVE_LEVEL:
                works = _succeeds(cycle, _objective_call(action, objective.id), by)
                assert works == (action in offered), (action, by, objective.status, offered)


STEP = st.tuples(st.sampled_from((REVIEWEE, REVIEWER, OTHER)), st.integers(0, 63))


@given(steps=st.lists(STEP, max_size=20), with_reviewer=st.booleans())
def test_available_actions_are_exactly_the_methods_that_can_be_called(
    steps: list[tuple[str, int]], with_reviewer: bool
) -> None:
    """Walk the year taking offered actions; check every action for everyone at each step."""
    cycle = Cycle(
        id="c1",
        school_id="s",
        staff_id=REVIEWEE,
        reviewer_id=REVIEWER if with_reviewer else None,
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    _check_every_action(cycle)
    for by, pick in steps:
        offered: list[Call] = [_cycle_call(a, cycle) for a in cycle.available_actions(by)]
        for objective in cycle.objectives:
            offered.extend(
                _objective_call(a, objective.id) for a in cycle.available_actions(by, objective.id)
            )
        if not offered:
            continue
        offered[pick % len(offered)](cycle, by)
        _check_every_action(cycle)


def test_a_walk_reaches_every_state() -> None:
    """The offered actions lead from draft to closed (so the walk above can get there)."""
    cycle = Cycle(
        id="c1",
        school_id="s",
        staff_id=REVIEWEE,
        reviewer_id=REVIEWER,
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    path = [
        (REVIEWER, "start_planning", None),
        (REVIEWEE, "propose_objective", None),
        (REVIEWER, "agree_objective", "obj-1"),
        (REVIEWER, "activate", None),
        (REVIEWEE, "record_check_in", "obj-1"),
        (REVIEWER, "begin_final_review", None),
        (REVIEWER, "evaluate_objective", "obj-1"),
        (REVIEWER, "close", None),
    ]
    for by, action, objective_id in path:
        assert action in cycle.available_actions(by, objective_id)
        call = (
            _cycle_call(action, cycle)
            if objective_id is None
            else _objective_call(action, objective_id)
        )
        call(cycle, by)
        _check_every_action(cycle)
    assert cycle.is_closed


def test_the_names_are_cycle_methods_and_actions_services_take() -> None:
    """Every name it can return is a public `Cycle` method and a `Services.act` action."""
    assert set(CYCLE_LEVEL) | set(OBJECTIVE_LEVEL) == set(CYCLE_ACTIONS)
    for name in CYCLE_ACTIONS:
        assert callable(getattr(Cycle, name)), name


def _planned(store: Any) -> tuple[dc.Cycle, str]:
    cycle = dc.Cycle(
        id="c1",
        school_id="oak",
        staff_id=REVIEWEE,
        reviewer_id=REVIEWER,
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    cycle.start_planning(by=REVIEWER, on=DAY)
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="Aim")
    cycle.agree_objective(objective.id, by=REVIEWER, on=DAY)
    cycle.activate(by=REVIEWER, on=DAY)
    services = Services(store)
    staff = [
        dc.StaffMember(id=person, name=person, school_id="oak", roles={dc.Role.TEACHER})
        for person in (REVIEWEE, REVIEWER, OTHER)
    ]
    services.save_school(dc.Actor.system(), dc.School(id="oak", name="Oak"), staff)
    services.save_cycle(dc.Actor.system(), cycle)
    return cycle, objective.id


def test_services_offer_what_the_policy_also_allows_and_act_takes_each() -> None:
    """`Services.available_actions` filters by the policy; each name works with `act`."""
    with dc.open_store("memory://") as store:
        cycle, objective_id = _planned(store)
        services = Services(store)
        reviewee = dc.Actor(REVIEWEE, "reviewee", school_id="oak")
        reviewer = dc.Actor(REVIEWER, "reviewer", school_id="oak")
        stranger = dc.Actor(OTHER, "reviewee", school_id="oak")

        for actor in (reviewee, reviewer):
            offered = services.available_actions(actor, "oak", "c1", objective_id)
            assert "record_check_in" in offered
            assert set(offered) <= set(cycle.available_actions(actor.user_id, objective_id))
            cycle_level = services.available_actions(actor, "oak", "c1")
            assert "add_evidence" in cycle_level
            assert "record_review" in cycle_level
        assert services.available_actions(stranger, "oak", "c1") == ()
        assert services.available_actions(stranger, "oak", "c1", objective_id) == ()

        saved = services.act(
            reviewee,
            "oak",
            "c1",
            "record_check_in",
            objective_id=objective_id,
            on=DAY,
            note="Going well",
        )
        assert saved.objective(objective_id).check_ins[-1].note == "Going well"
        saved = services.act(reviewer, "oak", "c1", "add_evidence", on=DAY, description="Plan")
        assert saved.evidence[-1].description == "Plan"


def test_an_unknown_objective_is_not_found() -> None:
    cycle = Cycle(
        id="c1",
        school_id="s",
        staff_id=REVIEWEE,
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    with pytest.raises(dc.NotFoundError):
        cycle.available_actions(REVIEWEE, "obj-9")
