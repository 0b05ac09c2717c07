"""An actor refused in a school learns nothing about which of its cycles exist.

Regression: `Services.get_cycle` (and `proforma`, `act`, `change_cycle`, `rate_meeting`,
`available_actions`) loaded the cycle before asking whether the actor may act in its school,
so a teacher of school sc asking school sa for ``C1`` got AccessDenied and for ``C9`` a
NotFoundError: cycle ids (often named by staff code, "2026-T042") could be enumerated from
another school or trust. Now both are the same refusal (no actions, for
`available_actions`), and an actor of the school still gets NotFoundError for a missing id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

import devcycle as dc
from devcycle.access import Actor
from devcycle.services import Services
from devcycle.testing.access import OTHER_TRUST, access_school

DAY = date(2026, 12, 2)
STRANGERS = {
    "reviewee of another trust's school": Actor("T1", "reviewee", school_id="sc"),
    "headteacher of another trust's school": Actor("H1", "headteacher", school_id="sc"),
    "reviewer of a school of the same trust": Actor("R1", "reviewer", school_id="sb"),
    "trust leader of another trust": Actor("TL1", "trust_leader", trust_id=OTHER_TRUST),
}
CALLS: dict[str, Callable[[Services, Actor, str], Any]] = {
    "get_cycle": lambda s, a, c: s.get_cycle(a, "sa", c),
    "proforma": lambda s, a, c: s.proforma(a, "sa", c, "planning", as_of=DAY),
    "act": lambda s, a, c: s.act(a, "sa", c, "add_evidence", on=DAY, description="x"),
    "change_cycle": lambda s, a, c: s.change_cycle(a, "sa", c, lambda cycle: None),
    "rate_meeting": lambda s, a, c: s.rate_meeting(
        a, "sa", c, "rev-1", on=DAY, usefulness=3, motivation=3
    ),
}


@pytest.fixture(scope="module")
def services() -> Services:
    services = Services(dc.open_store("memory://"))
    access_school().save(services)
    return services


def _outcome(call: Callable[[], Any]) -> str:
    try:
        call()
    except dc.DevcycleError as error:
        return type(error).__name__
    return "returned"


@pytest.mark.parametrize("call", sorted(CALLS))
@pytest.mark.parametrize("stranger", sorted(STRANGERS))
def test_a_stranger_gets_the_same_refusal_for_a_cycle_that_exists_and_one_that_does_not(
    services: Services, stranger: str, call: str
) -> None:
    actor, method = STRANGERS[stranger], CALLS[call]
    assert _outcome(lambda: method(services, actor, "C1")) == "AccessDenied"
    assert _outcome(lambda: method(services, actor, "C9")) == "AccessDenied"


@pytest.mark.parametrize("stranger", sorted(STRANGERS))
def test_a_stranger_is_offered_no_actions_on_any_cycle_id(
    services: Services, stranger: str
) -> None:
    actor = STRANGERS[stranger]
    assert services.available_actions(actor, "sa", "C1") == ()
    assert services.available_actions(actor, "sa", "C9") == ()


@pytest.mark.parametrize("stranger", sorted(STRANGERS))
def test_a_stranger_gets_the_same_decision_for_any_cycle_id(
    services: Services, stranger: str
) -> None:
    actor = STRANGERS[stranger]
    for action in ("read_cycle", "agree_objective", "add_evidence"):
        known = services.decide(actor, action, "sa", "C1")
        missing = services.decide(actor, action, "sa", "C9")
        assert not known.allowed
        assert (missing.allowed, missing.reason) == (known.allowed, known.reason)


def test_an_actor_of_the_school_still_gets_not_found_for_a_missing_cycle(
    services: Services,
) -> None:
    head = Actor("H1", "headteacher", school_id="sa")
    with pytest.raises(dc.NotFoundError):
        services.get_cycle(head, "sa", "C9")
    with pytest.raises(dc.NotFoundError):
        services.available_actions(head, "sa", "C9")
    assert services.get_cycle(head, "sa", "C1").id == "C1"
