"""Fault injection: a full disk or an I/O error at every write of an import.

For the JSON-files store, every ``fsync`` and ``rename`` the import makes fails in turn
(``ENOSPC`` or ``EIO``); for SQLite, every statement and the commit fail in turn with the
error SQLite gives for a full disk. After each run the store is opened afresh and must be
readable and hold either the state before the import or the state after it; an import
reported as failed must have left the state before, and one reported as done the state
after. The message is one clean line, never a traceback.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from tests._stores import add_sample_school

import devcycle as dc
from devcycle.cli import main
from devcycle.storage.bundle import export_bundle, write_bundle


def _state(url: str) -> list[str]:
    with dc.open_store(url) as store:
        bundle = export_bundle(store, shared=False)
    return sorted(
        f"{section}:{entry['data'].get('id')}:{entry['data'].get('version')}"
        for section, entries in bundle["data"].items()
        for entry in entries
    )


@pytest.fixture(scope="module")
def bundle_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bundle") / "bundle.json"
    with dc.open_store("memory://") as source:
        add_sample_school(source, "school-b")
        write_bundle(export_bundle(source, shared=False), path)
    return path


class _Counter:
    """Counts write steps; raises at step *fail_at* (1-based), once."""

    def __init__(self, fail_at: int | None, make: Callable[[], BaseException]) -> None:
        self.fail_at = fail_at
        self.steps = 0
        self.make = make

    def step(self) -> None:
        self.steps += 1
        if self.steps == self.fail_at:
            raise self.make()


@contextmanager
def _json_faults(counter: _Counter) -> Iterator[None]:
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        counter.step()
        real_fsync(fd)

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        counter.step()
        real_replace(src, dst, **kwargs)

    mp = pytest.MonkeyPatch()
    mp.setattr(os, "fsync", fsync)
    mp.setattr(os, "replace", replace)
    try:
        yield
    finally:
        mp.undo()


@contextmanager
def _sqlite_faults(counter: _Counter) -> Iterator[None]:
    """Fail inside the driver calls, where SQLite itself reports a full disk."""
    mp = pytest.MonkeyPatch()
    for name in ("do_execute", "do_execute_no_params", "do_executemany", "do_commit"):
        real = getattr(SQLiteDialect_pysqlite, name)

        def wrapped(self: Any, *args: Any, _real: Any = real, **kwargs: Any) -> Any:
            counter.step()
            return _real(self, *args, **kwargs)

        mp.setattr(SQLiteDialect_pysqlite, name, wrapped)
    try:
        yield
    finally:
        mp.undo()


def _import(
    url: str, bundle: Path, counter: _Counter, faults: Any, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    capsys.readouterr()
    with faults(counter):
        status = main(["import", str(bundle), "--store", url, "--quiet"])
    return status, capsys.readouterr().err


_ERRORS: dict[str, Callable[[], BaseException]] = {
    "enospc": lambda: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
    "eio": lambda: OSError(errno.EIO, os.strerror(errno.EIO)),
    "sqlite-full": lambda: sqlite3.OperationalError("database or disk is full"),
}


@pytest.mark.parametrize(
    ("backend", "error"),
    [("json", "enospc"), ("json", "eio"), ("sqlite", "sqlite-full")],
)
def test_a_fault_at_every_write_leaves_the_store_before_or_after(
    backend: str,
    error: str,
    bundle_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Fail each write step of an import in turn; the store is always whole and readable."""
    faults = _json_faults if backend == "json" else _sqlite_faults

    def fresh(run: int) -> str:
        url = (
            f"json://{tmp_path / f'store-{run}'}"
            if backend == "json"
            else f"sqlite:///{tmp_path / f'store-{run}.db'}"
        )
        with dc.open_store(url) as store:
            add_sample_school(store, "school-a")
        return url

    baseline_url = fresh(0)
    before = _state(baseline_url)
    clean = _Counter(None, _ERRORS[error])
    status, err = _import(baseline_url, bundle_file, clean, faults, capsys)
    assert status == 0, err
    after = _state(baseline_url)
    assert after != before
    total = clean.steps
    assert total > 3

    outcomes = {"before": 0, "after": 0}
    for fail_at in range(1, total + 1):
        url = fresh(fail_at)
        status, err = _import(url, bundle_file, _Counter(fail_at, _ERRORS[error]), faults, capsys)
        assert "Traceback" not in err
        assert status in (0, 2), err
        state = _state(url)  # opens afresh: any interrupted commit is finished or refused
        if status == 2:
            assert err.startswith("error:"), err
            assert state == before, f"step {fail_at}: reported failed but changed the store"
            outcomes["before"] += 1
        else:
            assert state == after, f"step {fail_at}: reported done but the store is not after"
            outcomes["after"] += 1
    assert outcomes["before"] > 0
