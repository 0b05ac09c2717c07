"""Code run in child processes by the concurrency and crash tests (importable by name)."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
from datetime import date
from pathlib import Path
from typing import Any

from devcycle.errors import ConflictError
from devcycle.storage import open_store
from devcycle.storage.bundle import import_bundle, read_bundle

PRELOAD = ["devcycle.storage.sql", "devcycle.storage.jsonfiles", "devcycle.storage.bundle"]


def context() -> Any:
    """A forkserver context with devcycle preloaded, so each child starts in milliseconds."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([*PRELOAD, __name__])
    return ctx


def update_cycles(
    url: str,
    school_id: str,
    cycle_ids: list[str],
    worker: int,
    writes: int,
    barrier: Any,
    results: Any,
) -> None:
    """Load, change and save the same cycles over and over; report what landed."""
    store = open_store(url)
    landed: list[tuple[str, str]] = []
    conflicts = 0
    barrier.wait()
    for index in range(writes):
        cycle_id = cycle_ids[(index + worker) % len(cycle_ids)]
        cycle = store.cycles.get(school_id, cycle_id)
        note = f"worker {worker} write {index}"
        cycle.record_check_in(
            cycle.objectives[0].id, by=cycle.staff_id, on=date(2026, 11, 2), note=note
        )
        try:
            store.cycles.update(cycle)
        except ConflictError:
            conflicts += 1
        else:
            landed.append((cycle_id, note))
    store.close()
    results.put((landed, conflicts))


def import_step_by_step(url: str, bundle_path: str, connection: Any) -> None:
    """Import a bundle, pausing at every write step until the parent says go (or kills us)."""
    store = open_store(url)

    def step(*_args: Any, **_kwargs: Any) -> None:
        connection.send("step")
        connection.recv()

    if url.startswith("json:"):
        from devcycle.storage import jsonfiles

        real_fsync = jsonfiles.os.fsync
        real_fsync_dir = jsonfiles._fsync_dir

        def fsync(fd: int) -> None:
            step()
            real_fsync(fd)

        def fsync_dir(path: Path) -> None:
            step()
            real_fsync_dir(path)

        jsonfiles.os.fsync = fsync  # type: ignore[assignment]
        jsonfiles._fsync_dir = fsync_dir  # type: ignore[assignment]
    else:
        from sqlalchemy import event

        engine = store._engine  # type: ignore[attr-defined]
        event.listen(engine, "before_cursor_execute", step)
        event.listen(engine, "commit", step)
    import_bundle(store, read_bundle(bundle_path))
    connection.send("done")
    connection.recv()


def try_to_write(url: str, results: Any) -> None:
    """Try to add a school; report "saved" or the error message."""
    from devcycle import School
    from devcycle.errors import StorageError

    try:
        with open_store(url) as store:
            store.schools.add(School(id="second-writer", name="Second writer"))
    except StorageError as error:
        results.put(str(error))
    else:
        results.put("saved")
