"""Moderation: an objective returned for consistency, with reasons, by someone else."""

from __future__ import annotations

from datetime import date

import pytest

import devcycle as dc
from devcycle.domain import ObjectiveStatus, Return
from devcycle.serialization import dumps, loads
from devcycle.services import Services
from devcycle.testing.access import access_school, insiders

DAY = date(2026, 10, 1)
LATER = date(2026, 11, 15)  # after the sample cycle's last check-in


def _cycle() -> dc.Cycle:
    cycle = dc.Cycle(
        id="c1",
        school_id="s",
        staff_id="T1",
        reviewer_id="R1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    cycle.start_planning(by="R1", on=DAY)
    made = cycle.propose_objective(by="T1", on=DAY, statement="Raise Year 11 grades.")
    cycle.agree_objective(made.id, by="R1", on=DAY)
    return cycle


def test_the_headteacher_returns_an_agreed_objective_for_consistency() -> None:
    cycle = _cycle()

    returned = cycle.moderate_objective(
        "obj-1", by="H1", on=date(2026, 10, 20), reasons=["A bare data target, unlike others."]
    )

    assert returned.status is ObjectiveStatus.RETURNED
    assert returned.agreement is None
    assert returned.returns[-1] == Return(
        on=date(2026, 10, 20),
        by="H1",
        reasons=("A bare data target, unlike others.",),
        moderated=True,
    )
    entry = cycle.history[-1]
    assert (entry.action, entry.by, entry.target) == ("moderate_objective", "H1", "objective:obj-1")
    assert (entry.from_state, entry.to_state) == ("agreed", "returned")
    assert "for consistency: A bare data target" in entry.detail


def test_after_moderation_the_objective_is_proposed_and_agreed_again() -> None:
    cycle = _cycle()
    cycle.moderate_objective("obj-1", by="H1", on=DAY, reasons=["Name the pupils."])

    cycle.submit_objective("obj-1", by="T1", on=DAY, statement="Tutor the 6 Year 11 pupils.")
    again = cycle.agree_objective("obj-1", by="R1", on=DAY)

    assert again.status is ObjectiveStatus.AGREED
    assert [r.moderated for r in again.returns] == [True]


@pytest.mark.parametrize("who", ["T1", "R1"])
def test_neither_side_of_the_cycle_moderates_it(who: str) -> None:
    with pytest.raises(dc.DomainError, match="cannot moderate_objective"):
        _cycle().moderate_objective("obj-1", by=who, on=DAY, reasons=["Mine."])


def test_reasons_are_required() -> None:
    with pytest.raises(dc.ValidationError, match="at least one reason"):
        _cycle().moderate_objective("obj-1", by="H1", on=DAY, reasons=[])


def test_a_draft_is_not_moderated() -> None:
    cycle = _cycle()
    cycle.draft_objective(by="T1", on=DAY, statement="A draft.")

    with pytest.raises(dc.DomainError, match="the objective is draft"):
        cycle.moderate_objective("obj-2", by="H1", on=DAY, reasons=["Too early."])


def test_a_moderated_return_survives_serialization() -> None:
    cycle = _cycle()
    cycle.moderate_objective("obj-1", by="H1", on=DAY, reasons=["Consistency."])

    again = loads(dumps(cycle), dc.Cycle)

    assert again.objectives[0].returns[0].moderated is True
    assert again == cycle


def test_through_the_services_the_headteacher_moderates_and_the_reviewee_may_not() -> None:
    sample = access_school()
    actors = insiders(sample)
    with dc.open_store("memory://") as store:
        service = Services(store)
        sample.save(service)

        with pytest.raises(dc.AccessDenied):
            service.moderate_objective(
                actors["reviewee"], "sa", "C1", "obj-1", on=LATER, reasons=["Mine."]
            )
        saved = service.moderate_objective(
            actors["headteacher"], "sa", "C1", "obj-1", on=LATER, reasons=["Consistency."]
        )

        assert saved.objectives[0].status is ObjectiveStatus.RETURNED
        stored = store.cycles.get("sa", "C1")
        assert stored.history[-1].action == "moderate_objective"
        assert stored.history[-1].by == "H1"


def test_an_objective_action_without_its_objective_is_a_validation_error() -> None:
    """Services.act named the missing argument only as a bare KeyError before."""
    sample = access_school()
    actors = insiders(sample)
    with dc.open_store("memory://") as store:
        service = Services(store)
        sample.save(service)
        with pytest.raises(dc.ValidationError, match="objective_id"):
            service.act(actors["headteacher"], "sa", "C1", "moderate_objective", on=LATER)
