"""Update entries name the fields they changed (user trial, point D3), never their values.

On the landed train every ``update`` entry had ``fields=()`` and ``detail=""``: a role
given, a reviewer changed or a school moved to another trust left no trace of what changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs
import pytest
from tests._stores import BACKENDS, empty_store

import devcycle as dc
from devcycle.services import Services
from devcycle.testing.access import access_school

SAMPLE = access_school()
SYSTEM = dc.Actor.system()
HEAD = dc.Actor("H1", "headteacher", school_id="sa")


@pytest.fixture(params=BACKENDS)
def services(request: pytest.FixtureRequest) -> Iterator[Services]:
    with empty_store(request.param) as store:
        service = Services(store)
        SAMPLE.save(service)
        yield service


def _updates(services: Services, kind: str, record_id: str) -> list[tuple[str, ...]]:
    return [
        e.fields
        for e in services.store.audit.query("sa", kind=kind, action="update")
        if e.record_id == record_id
    ]


def test_a_role_given_is_named_in_the_staff_update(services: Services) -> None:
    member = services.store.staff.get("sa", "T2")
    promoted = attrs.evolve(member, roles={*member.roles, dc.Role.MIDDLE_LEADER})

    services.save_school(HEAD, services.store.schools.get("sa"), [promoted])

    assert _updates(services, "staff", "T2") == [("roles",)]
    assert services.store.audit.verify("sa").ok


def test_a_trust_move_is_named_in_the_school_update(services: Services) -> None:
    school = services.store.schools.get("sa")

    services.save_school(HEAD, attrs.evolve(school, trust_id="trust-z"))

    assert _updates(services, "school", "sa")[-1] == ("trust_id",)
    assert "trust-z" not in repr(services.store.audit.query("sa", kind="school"))
    assert services.store.audit.verify("sa").ok


def test_a_reviewer_changed_is_named_in_the_cycle_update(services: Services) -> None:
    services.act(HEAD, "sa", "C1", "assign_reviewer", reviewer_id="L1", on=date(2026, 10, 1))

    fields = _updates(services, "cycle", "C1")[-1]
    assert "reviewer_id" in fields
    assert "history" in fields
    assert services.store.audit.verify("sa").ok


def test_fields_changed_by_objects_equal_fields_changed_by_documents() -> None:
    """The fast path (the cycle as loaded against the cycle saved) names what the documents do."""
    import copy
    from datetime import date

    from devcycle.demo import build_demo
    from devcycle.storage.base import KINDS, changed_fields

    kind = next(k for k in KINDS if k.name == "cycle")
    compared = 0
    for cycle in build_demo().cycles:
        pristine = copy.copy(cycle)
        before = kind.record(pristine, 1)
        if cycle.status.value == "closed":
            continue
        cycle.add_evidence(by=cycle.staff_id, on=date(2027, 1, 20), description="A note.")
        after = kind.record(cycle, 2)
        by_documents = changed_fields(before, after)
        assert changed_fields(before, after, pristine=pristine, changed=cycle) == by_documents
        assert by_documents == ("evidence", "history")
        compared += 1
    assert compared >= 10
