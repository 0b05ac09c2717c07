"""Reports and exports of a stored trust whose schools reuse every id, on every backend.

The trust is loaded back with `ReportData.from_store` (every school) and each school alone;
every report's people and groups, and the bundle export, must be the schools' own, whichever
backend holds them (issue 11, item 1).
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from tests.reports.strategies import as_of_dates, shared_id_trusts

import devcycle as dc
from devcycle.reports import REPORT_NAMES, ReportData, run
from devcycle.storage.bundle import export_bundle
from devcycle.testing.store_contract import wipe

StoreFactory = Callable[[], Any]


@contextmanager
def _memory() -> Iterator[dc.Store]:
    with dc.open_store("memory://") as store:
        yield store


@contextmanager
def _sqlite() -> Iterator[dc.Store]:
    with (
        tempfile.TemporaryDirectory() as folder,
        dc.open_store(f"sqlite:///{Path(folder) / 'trust.db'}") as store,
    ):
        yield store


@contextmanager
def _json() -> Iterator[dc.Store]:
    with tempfile.TemporaryDirectory() as folder, dc.open_store(f"json://{folder}") as store:
        yield store


@pytest.fixture(params=["memory", "sqlite", "json", "postgresql"])
def backend(request: pytest.FixtureRequest) -> StoreFactory:
    """Open a fresh, empty store of one backend per call."""
    if request.param == "memory":
        return _memory
    if request.param == "sqlite":
        return _sqlite
    if request.param == "json":
        return _json
    url = request.getfixturevalue("postgres_url")

    @contextmanager
    def _postgres() -> Iterator[dc.Store]:
        with dc.open_store(url) as store:
            wipe(store)
            yield store

    return _postgres


def _save(store: dc.Store, data: ReportData) -> None:
    with store.transaction(by="system") as tx:
        for school in data.schools:
            tx.schools.add(school)
        tx.staff.add_all(data.staff)
        tx.cycles.add_all(data.cycles)
        tx.cpd.add_all(data.cpd)
        tx.commit()


def _rows(report: Any) -> Counter[str]:
    people = getattr(report, "people", ())
    groups = [g for g in getattr(report, "groups", ()) if getattr(g, "group", g).kind != "trust"]
    return Counter(repr(x) for x in (*people, *groups))


def _bundle_rows(bundle: dict[str, Any]) -> Counter[str]:
    return Counter(
        f"{section}:{json.dumps(entry, sort_keys=True, default=str)}"
        for section, entries in bundle["data"].items()
        if section != "trusts"
        for entry in entries
    )


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=shared_id_trusts(), as_of=as_of_dates)
def test_a_stored_trust_reports_and_exports_as_its_schools_do(
    backend: StoreFactory, data: ReportData, as_of: date
) -> None:
    """On every backend, the trust's rows are the per-school rows, and so is its export."""
    with backend() as store:
        _save(store, data)
        whole = ReportData.from_store(store)
        parts = [ReportData.from_store(store, s.id) for s in data.schools]
        for name in REPORT_NAMES:
            if name == "health":
                continue
            expected: Counter[str] = Counter()
            for part in parts:
                expected += _rows(run(name, part, as_of=as_of))
            assert _rows(run(name, whole, as_of=as_of)) == expected, name
        exported: Counter[str] = Counter()
        for school in data.schools:
            exported += _bundle_rows(export_bundle(store, school_ids=[school.id]))
        assert _bundle_rows(export_bundle(store)) == exported
