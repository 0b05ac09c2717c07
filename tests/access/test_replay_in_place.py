"""The replay of a change's calls refuses a part the calls made, then changed in place.

Guards the check against a cheaper stand-in (docs/explanation/performance.md, the peer
workload's fourth look): comparing the cycle's fields by identity at the boundaries of the
calls would let a new part changed in place through ``object.__setattr__`` keep its identity
and pass. The replay builds its own part from the recorded calls, so the change is refused
and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

import devcycle as dc
from devcycle.services import Services
from devcycle.storage.bundle import export_bundle
from devcycle.testing.access import access_school

DAY = date(2027, 3, 1)
SAMPLE = access_school()
REVIEWEE = dc.Actor("T1", "reviewee", school_id="sa")


@pytest.fixture
def services() -> Iterator[Services]:
    with dc.open_store("memory://") as store:
        service = Services(store)
        SAMPLE.save(service)
        yield service


def _stored(services: Services) -> str:
    return repr(export_bundle(services.store)["data"])


def _add_then_rewrite(cycle: dc.Cycle) -> None:
    cycle.add_evidence(by="T1", on=DAY, description="A reading log")
    object.__setattr__(cycle.evidence[-1], "description", "Rewritten behind the methods")


def test_a_new_part_changed_in_place_after_its_call_is_refused(services: Services) -> None:
    before = _stored(services)

    with pytest.raises(dc.AccessDenied, match=r"evidence changed otherwise than by the methods"):
        services.change_cycle(REVIEWEE, "sa", "C1", _add_then_rewrite)

    assert _stored(services) == before


def test_change_cycles_refuses_a_new_part_changed_in_place(services: Services) -> None:
    before = _stored(services)

    with pytest.raises(dc.AccessDenied, match=r"evidence changed otherwise than by the methods"):
        services.change_cycles(REVIEWEE, "sa", ["C1"], _add_then_rewrite)

    assert _stored(services) == before
