"""Every read of a confidential field through the services is in the store's audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

import devcycle as dc
from devcycle.services import Services
from devcycle.testing.access import MARKERS, access_school, insiders

SAMPLE = access_school()
ACTORS = insiders(SAMPLE)


@pytest.fixture
def services() -> Iterator[Services]:
    with dc.open_store("memory://") as store:
        service = Services(store)
        SAMPLE.save(service)
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
    # The mid-year proforma shows the reviewee their own private note (not the conversation,
    # which that stage leaves out): the entry names what the document showed.
    assert reads[0] == ("T1", "reviewee", ("private_notes",))
    assert {("R1", "reviewer")} == {r[:2] for r in reads[1:]}


def test_a_change_is_logged_under_the_actor(services: Services) -> None:
    """The store's own entry for a change names the actor who made it through the services."""
    services.act(
        ACTORS["reviewee"], "sa", "C1", "add_evidence", description="More.", on=date(2027, 3, 1)
    )

    (entry,) = services.store.audit.query("sa", action="update", record="C1")
    assert (entry.actor, entry.role) == ("T1", "reviewee")


def test_an_export_logs_every_confidential_read_it_carries(services: Services) -> None:
    """A bundle is a read: each cycle it carries with a confidential field is logged, by reader."""
    services.export(ACTORS["headteacher"], school_ids=["sa"])
    services.export(dc.Actor("ops-1", "system"), school_ids=["sa"])

    reads = _reads(services)
    assert ("H1", "headteacher", ("private_notes", "pay_recommendation")) in reads
    system = [r for r in reads if r[0] == "ops-1"]
    assert system
    assert system[0][1] == "system"
    assert "conversation.wellbeing" in system[0][2]


def test_a_proforma_logs_only_what_it_showed(services: Services) -> None:
    """The headteacher's own copy shows their note; printing the reviewee's copy reads none."""
    day = date(2027, 3, 1)
    mine = services.proforma(ACTORS["headteacher"], "sa", "C1", "mid_year", as_of=day)
    theirs = services.proforma(
        ACTORS["headteacher"], "sa", "C1", "mid_year", as_of=day, audience="reviewee"
    )

    assert MARKERS["private_notes:headteacher"] in "\n".join(mine.texts())
    assert MARKERS["private_notes:headteacher"] not in "\n".join(theirs.texts())
    assert _reads(services) == [("H1", "headteacher", ("private_notes",))]
