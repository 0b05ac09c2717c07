"""One empty store of each backend, for tests that run the same steps on every backend."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.testing.store_contract import sample_school, wipe

POSTGRES_URL = os.environ.get("DEVCYCLE_TEST_POSTGRES_URL", "")

BACKENDS = [
    "memory",
    "sqlite",
    "json",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(not POSTGRES_URL, reason="DEVCYCLE_TEST_POSTGRES_URL is unset"),
        ],
    ),
]


@contextmanager
def empty_store(backend: str) -> Iterator[dc.Store]:
    """An empty store of `backend` (one of BACKENDS), removed or wiped afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        url = {
            "memory": "memory://",
            "sqlite": f"sqlite:///{Path(folder) / 's.db'}",
            "json": f"json://{Path(folder) / 'files'}",
            "postgres": POSTGRES_URL,
        }[backend]
        with dc.open_store(url) as store:
            if backend == "postgres":
                wipe(store)
            yield store


def add_sample_school(store: dc.Store, school_id: str = "oak") -> None:
    """Save the contract suite's small school (`sample_school`) in *store*, in one go.

    Staff H1 (headteacher), T1 and T2 (H1 reviews both); cycles 2026-T1 and 2026-T2 (active,
    one agreed objective each) and 2025-T1; CPD cpd-1 and cpd-2.
    """
    school, staff, cycles, cpd = sample_school(school_id)
    with store.transaction() as tx:
        tx.schools.add(school)
        tx.staff.add_all(staff)
        tx.cycles.add_all(cycles)
        tx.cpd.add_all(cpd)
        tx.commit()
