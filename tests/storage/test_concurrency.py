"""Several processes updating the same cycles at once lose no update (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.testing.store_contract import sample_school, wipe

from ._workers import context, update_cycles

WORKERS = 4
WRITES = 12
SCHOOL = "school-a"
CYCLES = ["2026-T1", "2026-T2"]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.db'}"
    else:
        yield request.getfixturevalue("postgres_url")


@pytest.mark.slow
def test_concurrent_updates_either_land_or_conflict_and_none_is_lost(url: str) -> None:
    """Every write lands or raises ConflictError; the final cycles hold exactly what landed."""
    _hammer(url)


@pytest.mark.slow
def test_concurrent_updates_through_json_files_lose_nothing(tmp_path: Path) -> None:
    """The JSON files backend's lock gives the same guarantee."""
    _hammer(f"json://{tmp_path / 'files'}")


def _hammer(url: str) -> None:
    """Run the workers against *url* and check that every landed write is there, once."""
    with dc.open_store(url) as store:
        wipe(store)
        school, staff, cycles, _cpd = sample_school(SCHOOL)
        with store.transaction() as tx:
            tx.schools.add(school)
            tx.staff.add_all(staff)
            tx.cycles.add_all(cycles)
            tx.commit()
        before = {c: len(store.cycles.get(SCHOOL, c).objectives[0].check_ins) for c in CYCLES}
    ctx = context()
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    workers = [
        ctx.Process(target=update_cycles, args=(url, SCHOOL, CYCLES, w, WRITES, barrier, results))
        for w in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    landed = [write for writes, _conflicts in outcomes for write in writes]
    conflicts = sum(count for _writes, count in outcomes)

    assert len(landed) + conflicts == WORKERS * WRITES
    assert landed
    with dc.open_store(url) as store:
        for cycle_id in CYCLES:
            cycle = store.cycles.get(SCHOOL, cycle_id)
            notes = [c.note for c in cycle.objectives[0].check_ins[before[cycle_id] :]]
            expected = sorted(note for cid, note in landed if cid == cycle_id)

            assert sorted(notes) == expected
            assert cycle.version == 1 + len(expected)
