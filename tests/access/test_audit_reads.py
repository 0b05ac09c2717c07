"""Every read of a confidential field through the services is in the store's audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

import devcycle as dc
from devcycle.services import Services
from devcycle.testing.access import access_school, insiders

SAMPLE = access_school()
ACTORS = insiders(SAMPLE)


@pytest.fixture
def services() -> Iterator[Services]:
    with dc.open_store("memory://") as store:
        service = Services(store)
        system = dc.Actor.system()
        for school in SAMPLE.schools:
            service.save_school(
                system, school, [m for m in SAMPLE.staff if m.school_id == school.id]
            )
        for cycle in SAMPLE.cycles:
            service.save_cycle(system, cycle)
        yield service


def _reads(services: Services) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(e.actor, e.role, e.fields) for e in services.store.audit.query("sa", action="read")]


def test_the_headteachers_read_of_notes_and_pay_is_logged_with_what_was_read(
    services: Services,
) -> None:
    """The entry names the reader, their role and exactly the confidential fields they saw."""
    services.get_cycle(ACTORS["headteacher"], "sa", "C1")

    assert _reads(services) == [("H1", "headteacher", ("private_notes", "pay_recommendation"))]


def test_a_read_with_nothing_confidential_in_it_is_not_logged_as_one(services: Services) -> None:
    """The line manager sees no confidential field, so no confidential read is logged."""
    services.get_cycle(ACTORS["line_manager"], "sa", "C1")

    assert _reads(services) == []


def test_proformas_and_school_loads_log_their_confidential_reads(services: Services) -> None:
    """Reads through a proforma or a whole-school load are logged too."""
    services.proforma(ACTORS["reviewee"], "sa", "C1", "mid_year", as_of=date(2027, 3, 1))
    services.load_school(ACTORS["reviewer"], "sa")

    reads = _reads(services)
    assert reads[0][:2] == ("T1", "reviewee")
    assert "conversation.wellbeing" in reads[0][2]
    assert {("R1", "reviewer")} == {r[:2] for r in reads[1:]}


def test_a_change_is_logged_under_the_actor(services: Services) -> None:
    """The store's own entry for a change names the actor who made it through the services."""
    services.act(
        ACTORS["reviewee"], "sa", "C1", "add_evidence", description="More.", on=date(2027, 3, 1)
    )

    (entry,) = services.store.audit.query("sa", action="update", record="C1")
    assert (entry.actor, entry.role) == ("T1", "reviewee")
