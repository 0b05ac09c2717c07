"""Read-only commands are read-only: they work on a store nobody may write (issue 13, item 6).

Reports, proformas, exports, ``calendar export``, ``school list|show``, ``audit
show|verify`` and ``access check`` open the store with ``readonly=True``: SQLite
with ``mode=ro`` (``immutable=1`` on a read-only folder that cannot hold its ``-shm``
file), the JSON-files store with a shared lock it never writes. Three ways to show it,
since the tests run as root and root ignores file permissions:

- the store's bytes are the same after every read-only command (SQLite and JSON);
- an in-process "read-only file system" for the JSON store, where every write under the
  store's folder fails with ``EROFS``;
- a real read-only bind mount in a private mount namespace (``unshare -m``), where the
  machine allows one; skipped elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.testing.store_contract import sample_school

SCHOOL = "school-r"
ROOT = Path(__file__).resolve().parents[2]


def _fill(url: str) -> None:
    school, staff, cycles, cpd = sample_school(SCHOOL)
    with dc.open_store(url) as store, store.transaction() as tx:
        tx.schools.add(school)
        tx.staff.add_all(staff)
        tx.cycles.add_all(cycles)
        tx.cpd.add_all(cpd)
        tx.commit()


def _commands(out: Path) -> list[list[str]]:
    """Every read-only command, writing any file into *out* (outside the store)."""
    return [
        ["report", "overdue"],
        ["report", "health", "--format", "json", "-o", str(out / "health.json")],
        ["report", "coverage", "--format", "csv", "-o", str(out / "coverage.zip")],
        ["export", "--school", SCHOOL, "-o", str(out / "bundle.json")],
        ["calendar", "export", "--school", SCHOOL, "-o", str(out / "cycles.ics")],
        [
            "proforma",
            "--all",
            "--stage",
            "planning",
            "--audience",
            "reviewee",
            "--format",
            "json",
            "-o",
            str(out / "proformas"),
        ],
        ["school", "list"],
        ["school", "show", SCHOOL],
        ["audit", "show", "--school", SCHOOL],
        ["audit", "verify", "--school", SCHOOL],
        ["access", "check", "report", "--school", SCHOOL],
    ]


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    return status, err.getvalue()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.endswith(("-shm", "-wal"))
    }


@pytest.fixture(params=["sqlite", "json"])
def stored(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    """A filled store (its URL and its folder) of each local backend."""
    folder = tmp_path / "store"
    folder.mkdir()
    url = f"sqlite:///{folder}/dev.db" if request.param == "sqlite" else f"json://{folder}/js"
    _fill(url)
    return url, folder


def test_read_only_commands_leave_the_store_byte_for_byte(
    stored: tuple[str, Path], tmp_path: Path
) -> None:
    url, folder = stored
    out = tmp_path / "out"
    out.mkdir()
    before = _snapshot(folder)

    for argv in _commands(out):
        status, err = _run([*argv, "--store", url])
        assert status in {0, 1}, (argv, err)
        assert "Traceback" not in err

    assert _snapshot(folder) == before
    assert (out / "bundle.json").exists()
    assert any((out / "proformas").iterdir())


def test_audit_export_is_the_one_read_that_writes_and_only_to_the_audit_log(
    stored: tuple[str, Path], tmp_path: Path
) -> None:
    """Exporting the audit log is itself logged (issue 12): one entry, nothing else changes."""
    url, _folder = stored
    with dc.open_store(url, readonly=True) as store:
        before = store.audit.query(SCHOOL)
        records = (store.staff.for_school(SCHOOL), store.cycles.for_school(SCHOOL))

    status, err = _run(
        ["audit", "export", "--school", SCHOOL, "-o", str(tmp_path / "a.json"), "--store", url]
    )

    assert status == 0, err
    with dc.open_store(url, readonly=True) as store:
        after = store.audit.query(SCHOOL)
        assert (store.staff.for_school(SCHOOL), store.cycles.for_school(SCHOOL)) == records
    assert after[: len(before)] == before
    assert [e.action for e in after[len(before) :]] == ["export"]


def test_a_read_only_store_refuses_to_write(stored: tuple[str, Path]) -> None:
    url, folder = stored
    before = _snapshot(folder)

    with dc.open_store(url, readonly=True) as store:
        assert [s.id for s in store.schools.list()] == [SCHOOL]
        with pytest.raises(dc.StorageError):
            store.schools.add(dc.School(id="other", name="Other"))

    assert _snapshot(folder) == before


@pytest.mark.parametrize("url", ["sqlite:///{d}/missing.db", "json://{d}/missing"])
def test_opening_a_missing_store_read_only_creates_nothing(url: str, tmp_path: Path) -> None:
    with pytest.raises(dc.StorageError, match="read-only"):
        dc.open_store(url.format(d=tmp_path), readonly=True)
    assert list(tmp_path.iterdir()) == []


def test_a_sqlite_file_that_holds_no_store_is_a_clear_error(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (x)")
    before = path.read_bytes()

    status, err = _run(["report", "overdue", "--store", f"sqlite:///{path}"])

    assert status == 2
    assert "holds no devcycle store" in err
    assert path.read_bytes() == before


def test_an_interrupted_json_commit_is_not_read_half_applied(tmp_path: Path) -> None:
    url = f"json://{tmp_path}/js"
    _fill(url)
    (tmp_path / "js" / ".journal-0123").write_text("[]", encoding="utf-8")

    status, err = _run(["report", "overdue", "--store", url])

    assert status == 2
    assert "interrupted commit" in err
    assert "Traceback" not in err


@contextlib.contextmanager
def _read_only_folder(root: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make every write under *root* fail with EROFS, as on a read-only file system."""
    real_open = os.open
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND

    def inside(path: Any) -> bool:
        try:
            return Path(os.fsdecode(path)).resolve().is_relative_to(root)
        except (TypeError, ValueError):
            return False

    def refuse(path: Any) -> OSError:
        return OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))

    def guarded_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & write_flags and inside(path):
            raise refuse(path)
        return real_open(path, flags, *args, **kwargs)

    def guard(name: str) -> None:
        real = getattr(os, name)

        def guarded(path: Any, *args: Any, **kwargs: Any) -> Any:
            if inside(path):
                raise refuse(path)
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, guarded)

    monkeypatch.setattr(os, "open", guarded_open)
    for name in ("mkdir", "rename", "replace", "unlink", "rmdir"):
        guard(name)
    yield


def test_json_store_is_read_on_a_read_only_file_system(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "store"
    url = f"json://{folder}"
    _fill(url)
    (folder / ".lock").unlink()  # a copy on read-only media: no lock file either
    out = tmp_path / "out"
    out.mkdir()
    before = _snapshot(folder)

    with _read_only_folder(folder.resolve(), monkeypatch):
        for argv in _commands(out):
            status, err = _run([*argv, "--store", url])
            assert status in {0, 1}, (argv, err)
        status, err = _run(["school", "add", "x", "--name", "X", "--store", url])

    assert status == 2
    assert "read-only file system" in err
    assert "Traceback" not in err
    assert _snapshot(folder) == before


def _can_mount_read_only(folder: Path) -> bool:
    if shutil.which("unshare") is None or sys.platform != "linux":
        return False
    probe = (
        f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} "
        f"&& ! touch {folder}/probe 2>/dev/null"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", probe], capture_output=True, check=False, timeout=30
    )
    return done.returncode == 0


_DRIVER = """
import contextlib, io, json, sys
from devcycle.cli import main

results = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    results.append([argv, status, err.getvalue()])
print(json.dumps(results))
"""


def test_read_only_commands_on_a_real_read_only_mount(tmp_path: Path) -> None:
    """SQLite in WAL mode without its -shm file, and the JSON store, on a read-only mount."""
    folder = tmp_path / "store"
    folder.mkdir()
    if not _can_mount_read_only(folder):
        pytest.skip("no private read-only bind mount here (unshare -m and mount)")
    urls = [f"sqlite:///{folder}/dev.db", f"json://{folder}/js"]
    for url in urls:
        _fill(url)
    assert not (folder / "dev.db-shm").exists()  # the last writer closed cleanly
    out = tmp_path / "out"
    out.mkdir()
    runs = [[*argv, "--store", url] for url in urls for argv in _commands(out)]
    refused = [["school", "add", "x", "--name", "X", "--store", url] for url in urls]
    driver = tmp_path / "driver.py"
    driver.write_text(_DRIVER, encoding="utf-8")
    script = (
        f"mount --bind {folder} {folder} && mount -o remount,ro,bind {folder} "
        f'&& exec {sys.executable} {driver} "$0"'
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script, json.dumps(runs + refused)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )

    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for argv, status, err in results[: len(runs)]:
        assert status in {0, 1}, (argv, err)
    for argv, status, err in results[len(runs) :]:
        assert status == 2, (argv, err)
        assert err.startswith("error:"), err
    assert "Traceback" not in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["dev.db", "js"]


def test_a_read_that_must_be_logged_fails_cleanly_on_read_only_media(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proforma showing private notes is logged (issue 12); where it cannot be, none is made.

    Read-only commands open the store read-only where it cannot be written (issue 13), but a
    read of a confidential field must be kept in the audit log: on read-only media that read
    is refused with one clear error, and no proforma is written.
    """
    from devcycle.demo import build_demo

    demo = build_demo(2026)
    folder = tmp_path / "store"
    url = f"json://{folder}"
    with dc.open_store(url) as store, store.transaction() as tx:
        tx.schools.add(demo.school)
        tx.staff.add_all(demo.staff)
        tx.cycles.add_all(demo.cycles)
        tx.cpd.add_all(demo.cpd)
        tx.commit()
    argv = ["proforma", "--all", "--stage", "planning", "--audience", "headteacher"]
    argv += ["--format", "json", "--store", url]
    status, err = _run([*argv, "-o", str(tmp_path / "made")])
    assert status == 0, err
    with dc.open_store(url, readonly=True) as store:
        assert "read" in {e.action for e in store.audit.query(demo.school.id)}
    before = _snapshot(folder)

    with _read_only_folder(folder.resolve(), monkeypatch):  # undone only at teardown
        status, err = _run([*argv, "-o", str(tmp_path / "refused")])

    assert status == 2, err
    assert "audit log" in err
    assert "Traceback" not in err
    assert not (tmp_path / "refused").exists() or not any((tmp_path / "refused").iterdir())
    assert _snapshot(folder) == before
