"""A school with its office, shared by the escalation tests: who acts and what is stored."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import devcycle as dc
from devcycle.services import Services
from devcycle.storage.bundle import export_bundle
from devcycle.testing.access import access_school

SAMPLE = access_school()
OFFICE = dc.Actor("A1", "school_admin", school_id="sa")
HEAD = dc.Actor("H1", "headteacher", school_id="sa")
SYSTEM = dc.Actor.system()


@contextmanager
def office_services() -> Iterator[Services]:
    """The sample school in a memory store, with the office's own member of staff (A1)."""
    with dc.open_store("memory://") as store:
        service = Services(store)
        SAMPLE.save(service)
        # the office's own member of staff, as an MIS would hold them
        office = dc.StaffMember(id="A1", name="Office", school_id="sa", roles={dc.Role.OTHER})
        service.save_school(SYSTEM, store.schools.get("sa"), [office])
        yield service


def stored(services: Services) -> str:
    """Everything the store holds, to compare before and after a refused change."""
    return repr(export_bundle(services.store)["data"])


def sample_school(services: Services) -> dc.School:
    """The sample school as stored."""
    return services.store.schools.get("sa")
