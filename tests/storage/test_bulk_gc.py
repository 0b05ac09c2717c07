"""Bulk changes pause the cyclic garbage collector (issue 16, the peer workload).

`Services.change_cycles` (for each batch) and `Services.plan_cycles`/`enrol` (for the one
transaction) run with the collector paused (`devcycle._gc.paused`): its passes over a batch of
loaded cycles, trees of frozen records, find almost nothing to free. The collector is enabled
again after each batch, also when a change fails, and an application that disabled it keeps
it disabled.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

import devcycle as dc
from devcycle import services as services_module
from devcycle.catalogues.templates import template
from devcycle.domain.calendar import england_pattern
from devcycle.domain.scheduling import Enrolment
from devcycle.services import Services
from devcycle.testing.store_contract import sample_school

SYSTEM = dc.Actor.system()
HEAD = dc.Actor("H1", "headteacher", school_id="school-a")


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def _enrolled() -> tuple[Services, list[str]]:
    services = Services(dc.open_store("memory://"))
    school, staff, _cycles, _cpd = sample_school("school-a")
    services.save_school(SYSTEM, school, staff)
    created = services.enrol(
        HEAD,
        "school-a",
        template("england-teacher"),
        england_pattern(2026),
        date(2026, 9, 1),
        on=date(2026, 9, 1),
    )
    return services, [c.id for c in created]


def _plan(cycle: dc.Cycle) -> None:
    cycle.start_planning(by="H1", on=date(2026, 9, 10))


def test_change_cycles_runs_each_batch_with_the_collector_paused() -> None:
    services, ids = _enrolled()
    seen: list[bool] = []

    def change(cycle: dc.Cycle) -> None:
        seen.append(gc.isenabled())
        _plan(cycle)

    saved = services.change_cycles(SYSTEM, "school-a", ids, change, batch=1)

    assert len(saved) == len(ids) == len(seen) == 2
    assert seen == [False, False]
    assert gc.isenabled()


def test_the_collector_is_enabled_again_when_a_change_fails() -> None:
    services, ids = _enrolled()

    def change(cycle: dc.Cycle) -> None:
        raise dc.DomainError("no")

    with pytest.raises(dc.DomainError):
        services.change_cycles(SYSTEM, "school-a", ids, change)
    assert gc.isenabled()


def test_an_application_that_disabled_the_collector_keeps_it_disabled() -> None:
    services, ids = _enrolled()
    gc.disable()
    services.change_cycles(SYSTEM, "school-a", ids, _plan)
    assert not gc.isenabled()


def test_enrolment_plans_and_stores_with_the_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = Services(dc.open_store("memory://"))
    school, staff, _cycles, _cpd = sample_school("school-a")
    services.save_school(SYSTEM, school, staff)
    seen: list[bool] = []
    plan = services_module.plan_enrolment

    def planning(*args: Any, **kwargs: Any) -> Enrolment:
        seen.append(gc.isenabled())
        return plan(*args, **kwargs)

    monkeypatch.setattr(services_module, "plan_enrolment", planning)
    created = services.enrol(
        HEAD,
        "school-a",
        template("england-teacher"),
        england_pattern(2026),
        date(2026, 9, 1),
        on=date(2026, 9, 1),
    )
    assert len(created) == 2
    assert seen == [False]
    assert gc.isenabled()
