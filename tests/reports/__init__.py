"""Shared fixtures of the report tests: the small pinned school, a trust, the demo in a store."""

from __future__ import annotations

from devcycle.demo import DemoSchool, build_demo
from devcycle.storage import open_store


def demo_store(url: str, sample: DemoSchool | None = None) -> DemoSchool:
    """Save the demo school (or *sample*) with its staff, cycles and CPD in the store at *url*."""
    chosen = sample or build_demo(2026)
    with open_store(url) as store, store.transaction() as tx:
        tx.schools.add(chosen.school)
        tx.staff.add_all(chosen.staff)
        tx.cycles.add_all(chosen.cycles)
        tx.cpd.add_all(chosen.cpd)
        tx.commit()
    return chosen
