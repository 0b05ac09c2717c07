"""One empty store of each backend, for tests that run the same steps on every backend."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.testing.store_contract import wipe

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
