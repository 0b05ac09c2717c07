"""A bulk import killed with SIGKILL at random points leaves the store as before or after.

The child process pauses before every write step (each fsync for JSON files, each SQL
statement and the commit for SQL) and tells the parent over a pipe; the parent lets it
run to a step chosen at random, then kills it there. No timing is involved.
"""

from __future__ import annotations

import os
import random
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests._stores import add_sample_school

import devcycle as dc
from devcycle.demo import build_demo
from devcycle.storage.bundle import export_bundle, write_bundle
from devcycle.testing.store_contract import wipe

from ._workers import context, import_step_by_step

RUNS = 20
SEED = int(os.environ.get("DEVCYCLE_CRASH_SEED", "20260901"))


def _bundle_file(tmp_path: Path) -> Path:
    demo = build_demo(2026)
    with dc.open_store("memory://") as source:
        with source.transaction() as tx:
            tx.schools.add(demo.school)
            tx.staff.add_all(demo.staff)
            tx.cycles.add_all(demo.cycles)
            tx.cpd.add_all(demo.cpd)
            tx.commit()
        path = tmp_path / "bundle.json"
        write_bundle(export_bundle(source, shared=False), path)
    return path


def _run(url: str, bundle: Path, kill_at: int | None) -> int:
    """Run the import in a child; kill it before step *kill_at*; return the steps seen."""
    ctx = context()
    parent, child = ctx.Pipe()
    process = ctx.Process(target=import_step_by_step, args=(url, str(bundle), child))
    process.start()
    steps = 0
    try:
        while True:
            message = parent.recv()
            if message == "done":
                parent.send("exit")
                break
            steps += 1
            if steps == kill_at:
                assert process.pid is not None
                os.kill(process.pid, signal.SIGKILL)
                break
            parent.send("go")
    finally:
        process.join(timeout=60)
    if kill_at is not None and steps == kill_at:
        assert process.exitcode == -signal.SIGKILL
    else:
        assert process.exitcode == 0
    return steps


def _snapshot(store: dc.Store) -> dict[str, Any]:
    bundle = export_bundle(store)  # reads (and so loads) every record of every school
    assert bundle["data"]["schools"]
    return bundle


class Stores:
    """Fresh stores holding only the baseline school, one per run (reused for PostgreSQL)."""

    def __init__(self, backend: str, tmp_path: Path, postgres_url: str | None) -> None:
        self.backend = backend
        self.tmp_path = tmp_path
        self.runs = 0
        self.postgres_url = postgres_url or ""
        self.shared = dc.open_store(postgres_url) if postgres_url else None

    def fresh(self) -> str:
        self.runs += 1
        if self.shared is not None:
            wipe(self.shared)
            add_sample_school(self.shared, "school-a")
            return self.postgres_url
        name = f"run-{self.runs}"
        if self.backend == "json":
            url = f"json://{self.tmp_path / name}"
        else:
            url = f"sqlite:///{self.tmp_path / (name + '.db')}"
        with dc.open_store(url) as store:
            add_sample_school(store, "school-a")
        return url

    def snapshot(self, url: str) -> dict[str, Any]:
        if self.shared is not None:
            return _snapshot(self.shared)
        with dc.open_store(url) as store:
            return _snapshot(store)

    def close(self) -> None:
        if self.shared is not None:
            self.shared.close()


@pytest.fixture(params=["json", "sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    postgres_url = (
        request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    )
    made = Stores(request.param, tmp_path, postgres_url)
    yield made
    made.close()


@pytest.mark.slow
def test_an_import_killed_anywhere_leaves_the_store_before_or_after(
    stores: Stores, tmp_path: Path
) -> None:
    """20 imports killed at chosen steps each leave a readable store, before or after.

    The first run is killed at the first step and the second at the last; the rest at
    steps drawn at random (seeded: set DEVCYCLE_CRASH_SEED to vary them).
    """
    bundle = _bundle_file(tmp_path)
    url = stores.fresh()
    before = stores.snapshot(url)
    steps = _run(url, bundle, kill_at=None)
    after = stores.snapshot(url)
    assert len(after["data"]["cycles"]) > len(before["data"]["cycles"])
    rng = random.Random(SEED)
    kill_points = [1, steps, *(rng.randint(1, steps) for _ in range(RUNS - 2))]
    outcomes = []
    for kill_at in kill_points:
        url = stores.fresh()
        _run(url, bundle, kill_at=kill_at)
        state = stores.snapshot(url)

        assert state in (before, after), f"in between after a kill at step {kill_at} of {steps}"
        outcomes.append("after" if state == after else "before")
    assert len(outcomes) == RUNS
    assert outcomes[0] == "before"
