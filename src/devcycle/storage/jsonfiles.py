"""The JSON files backend (``json:///path/dir``): one human-readable document per aggregate.

Layout: ``<dir>/<table>/<tenant>/<id>.json`` (ids percent-encoded where a character is not
safe in a file name; shared catalogue documents live under the tenant ``_shared``).

Writes are atomic and all or nothing. A transaction's changes are kept in memory until it
commits; committing writes them all to one journal file (temporary file, fsync, rename:
the rename is the commit point), then puts each document in place the same way
(temporary file, fsync, rename) and removes the journal. A process killed half way leaves
a journal that the next session replays before it reads anything, so a reader sees the
store as it was before the commit or after it, never in between.

A lock file (``<dir>/.lock``) keeps a second writer out: every session holds it from start
to end, so sessions in other processes or threads wait their turn (up to a timeout).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Final
from urllib.parse import parse_qs, quote, unquote

from devcycle.errors import ConfigError, ConflictError, StorageError, ValidationError
from devcycle.fileio import PRIVATE_DIR, PRIVATE_FILE, make_private_dir
from devcycle.storage.audit import AuditEntry
from devcycle.storage.base import (
    AUDIT,
    CATALOGUE_TENANT,
    Condition,
    Kind,
    Record,
    Session,
    Store,
    entry_from_record,
    stored_kind,
)

__all__ = ["JsonFileStore"]

_SHARED: Final = "_shared"
_LOCK_TIMEOUT_S: Final = 60.0
_JOURNAL_PREFIX: Final = ".journal-"


def _name(value: str) -> str:
    return quote(value, safe="") if value else _SHARED


def _unname(name: str) -> str:
    return CATALOGUE_TENANT if name == _SHARED else unquote(name)


def _fsync_dir(path: Path) -> None:
    if sys.platform == "win32":  # directories cannot be opened for fsync there
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _private(path: Path, *, exist_ok: bool = False) -> Path:
    """Create *path* empty, readable and writable by its owner only (0600); return it."""
    flags = os.O_WRONLY | os.O_CREAT | (0 if exist_ok else os.O_EXCL)
    os.close(os.open(path, flags, PRIVATE_FILE))
    return path


def _write_atomic(path: Path, text: str) -> None:
    """Write *text* to *path* by temporary file, fsync and rename."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    with _private(tmp).open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


class _FileLock:
    """An exclusive lock on ``<dir>/.lock`` across processes, re-entrant within a thread."""

    def __init__(self, path: Path, timeout: float, *, shared: bool = False) -> None:
        self._path = path
        self._timeout = timeout
        self._shared = shared
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        if not self._thread_lock.acquire(timeout=self._timeout):
            msg = f"the JSON store lock {self._path} is held by another thread"
            raise StorageError(msg)
        if self._depth == 0:
            try:
                self._handle = self._lock_file()
            except BaseException:
                self._thread_lock.release()
                raise
        self._depth += 1

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None
        self._thread_lock.release()

    def _lock_file(self) -> IO[str] | None:
        if self._shared:
            return self._shared_lock()
        handle = _private(self._path, exist_ok=True).open("a+", encoding="utf-8")
        deadline = time.monotonic() + self._timeout
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                handle.seek(0)
                holder = handle.read().strip() or "unknown"
                handle.close()
                msg = (
                    f"the JSON store at {self._path.parent} is locked by another writer "
                    f"(process {holder}); try again when it has finished"
                )
                raise StorageError(msg)
            time.sleep(0.01)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        return handle

    def _shared_lock(self) -> IO[str] | None:
        """Take a reader's lock: the lock file opened read-only and locked shared.

        Readers wait for a writer (and it for them) but not for each other. Where the lock
        file is missing or cannot be opened (a store copied to read-only media) no writer
        can be at work, and the reader goes ahead without it.
        """
        try:
            handle = self._path.open(encoding="utf-8")
        except OSError:
            return None
        deadline = time.monotonic() + self._timeout
        while not _try_lock(handle, shared=True):
            if time.monotonic() > deadline:
                handle.close()
                msg = (
                    f"the JSON store at {self._path.parent} is locked by a writer; try again "
                    "when it has finished"
                )
                raise StorageError(msg)
            time.sleep(0.01)
        return handle


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[str], *, shared: bool = False) -> bool:
        del shared  # msvcrt has no shared lock: readers take turns there
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str], *, shared: bool = False) -> bool:
        try:
            fcntl.flock(
                handle.fileno(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
            )
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _lock_timeout(options: str, url: str) -> float:
    values = parse_qs(options, keep_blank_values=True)
    unknown = sorted(set(values) - {"lock_timeout"})
    if unknown:
        msg = f"unknown JSON store option(s) {', '.join(unknown)} in {url!r}; known: lock_timeout"
        raise ConfigError(msg)
    if "lock_timeout" not in values:
        return _LOCK_TIMEOUT_S
    text = values["lock_timeout"][-1]
    try:
        timeout = float(text)
    except ValueError:
        timeout = -1.0
    if not timeout >= 0:
        msg = f"lock_timeout must be a number of seconds, 0 or more (got {text!r}) in {url!r}"
        raise ConfigError(msg)
    return timeout


class JsonFileStore(Store):
    """Aggregates as JSON files in a directory, one per aggregate.

    Args:
        url: ``json:///absolute/path/dir`` or ``json://relative/dir``; the directory is
            created if missing. ``?lock_timeout=SECONDS`` sets how long a session waits
            for another writer to finish (60 by default).
        readonly: Only read an existing store: the directory must exist and nothing in
            it is created or written (sessions take a shared lock, without writing the
            lock file), so it can be read on a read-only folder or file system. An
            interrupted commit cannot be completed read-only: that is an error.

    Raises:
        ConfigError: If the URL names no directory, or a bad option.
        StorageError: If the directory cannot be created or written.
    """

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        super().__init__()
        _scheme, _sep, rest = url.partition("://")
        rest, _query, options = rest.partition("?")
        timeout = _lock_timeout(options, url)
        if not rest:
            msg = f"a JSON store URL names a directory, e.g. json:///srv/devcycle (got {url!r})"
            raise ConfigError(msg)
        self.url = url
        self.root = Path(rest).expanduser()
        self.readonly = readonly
        if readonly:
            if not self.root.is_dir():
                msg = f"no JSON store at {self.root}; opened read-only, none is created"
                raise StorageError(msg)
            self._lock = _FileLock(self.root / ".lock", timeout, shared=True)
            return
        try:
            for folder in reversed([p for p in (self.root, *self.root.parents) if not p.exists()]):
                folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
        except OSError as exc:
            msg = f"cannot create the JSON store directory {self.root}: {exc.strerror}"
            raise StorageError(msg) from None
        self._lock = _FileLock(self.root / ".lock", timeout)

    def begin(self, *, readonly: bool = False) -> Session:
        """Take the store's lock, finish any interrupted commit, and open a session."""
        self._lock.acquire()
        try:
            if self.readonly:
                self._check_no_journal()
            else:
                self._recover()
        except BaseException:
            self._lock.release()
            raise
        return _JsonSession(self)

    def _check_no_journal(self) -> None:
        """Read-only: refuse to read a store with a commit that is not yet in place."""
        for leftover in sorted(self.root.glob(f"{_JOURNAL_PREFIX}*")):
            if not leftover.name.endswith(".tmp"):  # .tmp: never committed, ignored
                msg = (
                    f"the JSON store at {self.root} holds an interrupted commit "
                    f"({leftover.name}) that a read-only store cannot complete: run any "
                    "command that writes to it once (such as devcycle school add), then "
                    "read it"
                )
                raise StorageError(msg)

    def _recover(self) -> None:
        for leftover in sorted(self.root.glob(f"{_JOURNAL_PREFIX}*")):
            if leftover.name.endswith(".tmp"):
                leftover.unlink(missing_ok=True)  # never committed: discard
                continue
            try:
                journal = json.loads(leftover.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                msg = (
                    f"cannot read the commit journal {leftover}: {exc}; the store is left as "
                    f"it is. To give up that commit, move the file {leftover.name} out of "
                    f"{self.root}"
                )
                raise StorageError(msg) from None
            try:
                self._apply(journal)
            except (OSError, KeyError, TypeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) else f"malformed: {exc}"
                msg = (
                    f"the JSON store at {self.root} holds an interrupted commit that cannot be "
                    f"completed ({reason}). Fix the cause (free some space) and run the "
                    f"command again; to give up that commit instead, move the file "
                    f"{leftover.name} out of {self.root}"
                )
                raise StorageError(msg) from None
            leftover.unlink()
            _fsync_dir(self.root)

    def path(self, kind: Kind, tenant: str, id: str) -> Path:
        """Return the file that holds the record of *kind* with *id* in *tenant*."""
        return self.root / kind.table / _name(tenant) / f"{_name(id)}.json"

    def _apply(self, journal: list[dict[str, Any]]) -> None:
        touched: set[Path] = set()
        for entry in journal:
            target = self.root / entry["path"]
            if entry["document"] is None:
                target.unlink(missing_ok=True)
            else:
                if not target.parent.is_dir():
                    make_private_dir(target.parent)
                _write_atomic(target, entry["document"])
            touched.add(target.parent)
        for directory in touched:
            if directory.exists():
                _fsync_dir(directory)
                for stray in directory.glob(".*.tmp"):
                    stray.unlink(missing_ok=True)

    def commit(self, changes: dict[tuple[str, str, str], tuple[Record | None, int | None]]) -> None:
        """Write *changes* all or nothing (called by a session holding the lock).

        Everything that can be checked is checked before the commit point: versions, file
        names the file system can hold, and free space for the journal and the files. If
        applying the journal still fails (an I/O error), the files are put back as they were
        and the journal removed, so the store stays at its previous state; only if even that
        fails does the journal stay, to be completed by the next command.
        """
        if self.readonly and changes:
            msg = f"the JSON store at {self.root} was opened read-only; nothing was saved"
            raise StorageError(msg)
        journal: list[dict[str, Any]] = []
        for (kind_name, tenant, id), (record, expected) in changes.items():
            kind = _kind(kind_name)
            path = self.path(kind, tenant, id)
            _check_name(path, self.root, kind_name, id)
            before = _read(path)
            if expected is not None:
                actual = 0 if before is None else _version_of(path, before)
                if actual != expected:
                    msg = (
                        f"{kind_name} {id!r} was changed by another transaction; "
                        "nothing in this transaction was saved"
                    )
                    raise ConflictError(msg)
            text = None if record is None else _pretty(record.document)
            journal.append(
                {
                    "path": path.relative_to(self.root).as_posix(),
                    "document": text,
                    "before": before,
                }
            )
        if not journal:
            return
        _check_space(self.root, journal)
        name = f"{_JOURNAL_PREFIX}{uuid.uuid4().hex}"
        pending = self.root / f"{name}.tmp"
        try:
            with _private(pending).open("w", encoding="utf-8") as handle:
                json.dump(journal, handle, ensure_ascii=False)
                handle.flush()
                os.fsync(handle.fileno())
            committed = pending.replace(self.root / name)  # the commit point
        except OSError as exc:
            pending.unlink(missing_ok=True)
            msg = (
                f"cannot write to the JSON store at {self.root}: {exc.strerror}; nothing was saved"
            )
            raise StorageError(msg) from None
        try:
            _fsync_dir(self.root)
            self._apply(journal)
        except OSError as exc:
            self._undo(journal, committed, exc)
        # Applied: the commit stands. A journal left behind by a failure here is applied
        # again (to the same effect) when the store is next opened, before anything else.
        with contextlib.suppress(OSError):
            committed.unlink()
            _fsync_dir(self.root)

    def _undo(self, journal: list[dict[str, Any]], committed: Path, exc: OSError) -> None:
        """Put every file of a journal that failed to apply back as it was; then raise."""
        undo = [{"path": e["path"], "document": e.get("before")} for e in journal]
        # Files the journal created go first: removing them frees space for the rest.
        undo.sort(key=lambda entry: entry["document"] is not None)
        try:
            self._apply(undo)
            committed.unlink()
            _fsync_dir(self.root)
        except OSError:
            msg = (
                f"the commit to {self.root} was recorded but could not be applied "
                f"({exc.strerror}), nor undone; it will be completed the next time the store "
                "is opened, once the cause is fixed (free some space, then run any devcycle "
                "command on this store)"
            )
            raise StorageError(msg) from None
        msg = (
            f"cannot write to the JSON store at {self.root} ({exc.strerror}); nothing was "
            "saved, and the store is as it was"
        )
        raise StorageError(msg) from None

    def release(self) -> None:
        """Release the lock a session held."""
        self._lock.release()


_NAME_MAX: Final = 255
"""The longest file name (in bytes) the common file systems hold."""
_PATH_MAX: Final = 4096
_SPACE_MARGIN: Final = 1024 * 1024


def _check_name(path: Path, root: Path, kind_name: str, id: str) -> None:
    """Refuse, before the commit point, a record whose file name the file system cannot hold."""
    longest = max(len(part.encode("utf-8")) for part in path.relative_to(root).parts)
    limit = _NAME_MAX
    with contextlib.suppress(OSError, ValueError, AttributeError):
        limit = min(limit, os.pathconf(root, "PC_NAME_MAX"))
    if longest > limit or len(str(path).encode("utf-8")) > _PATH_MAX:
        msg = (
            f"cannot store {kind_name} {id!r} in the JSON store: its file name would be "
            f"{longest} bytes, over the {limit} the file system allows; nothing was saved "
            "(use a shorter id, or an SQL store)"
        )
        raise StorageError(msg)


def _check_space(root: Path, journal: list[dict[str, Any]]) -> None:
    """Refuse, before the commit point, a commit the disk has no room for."""
    needed = sum(2 * len((entry["document"] or "").encode("utf-8")) for entry in journal)
    needed += _SPACE_MARGIN
    try:
        free = shutil.disk_usage(root).free
    except OSError:
        return
    if free < needed:
        msg = (
            f"not enough free space for the JSON store at {root}: this commit needs about "
            f"{needed:,} bytes and {free:,} are free; nothing was saved"
        )
        raise StorageError(msg)


def _kind(name: str) -> Kind:
    return stored_kind(name)


def _pretty(document: str) -> str:
    return json.dumps(json.loads(document), indent=2, ensure_ascii=False) + "\n"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"cannot read {path}: {exc}; the file was left as it is"
        raise StorageError(msg) from None


def _version_of(path: Path, text: str) -> int:
    try:
        document = json.loads(text)
    except ValueError as exc:
        msg = f"{path} is not valid JSON ({exc}); the file was left as it is"
        raise StorageError(msg) from None
    data = document.get("data") if isinstance(document, dict) else None
    version = data.get("version") if isinstance(data, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else 1


class _JsonSession(Session):
    def __init__(self, store: JsonFileStore) -> None:
        self._store = store
        self._changes: dict[tuple[str, str, str], tuple[Record | None, int | None]] = {}
        self._open = True

    def _disk(self, kind: Kind, tenant: str, id: str) -> Record | None:
        path = self._store.path(kind, tenant, id)
        text = _read(path)
        if text is None:
            return None
        return Record(kind.name, tenant, id, _version_of(path, text), text)

    def get(self, kind: Kind, tenant: str, id: str) -> Record | None:
        key = (kind.name, tenant, id)
        if key in self._changes:
            return self._changes[key][0]
        return self._disk(kind, tenant, id)

    def _stage(self, record: Record | None, key: tuple[str, str, str], expected: int) -> None:
        previous = self._changes.get(key)
        self._changes[key] = (record, previous[1] if previous else expected)

    def insert(self, records: Sequence[Record]) -> None:
        for record in records:
            if self.get(_kind(record.kind), record.tenant, record.id) is not None:
                msg = f"{record.kind} {record.id!r} already exists"
                raise ConflictError(msg)
        for record in records:
            self._stage(record, (record.kind, record.tenant, record.id), 0)

    def replace(self, record: Record, expected_version: int | None) -> bool:
        current = self.get(_kind(record.kind), record.tenant, record.id)
        if current is None:
            return False
        if expected_version is not None and current.version != expected_version:
            return False
        self._stage(record, (record.kind, record.tenant, record.id), current.version)
        return True

    def delete(self, kind: Kind, tenant: str, id: str) -> bool:
        current = self.get(kind, tenant, id)
        if current is None:
            return False
        self._stage(None, (kind.name, tenant, id), current.version)
        return True

    def _ids(self, kind: Kind, tenant: str | None) -> Iterator[tuple[str, str]]:
        table = self._store.root / kind.table
        if tenant is not None:
            tenant_dirs = [table / _name(tenant)]
        else:
            tenant_dirs = sorted(p for p in table.iterdir() if p.is_dir()) if table.is_dir() else []
        for directory in tenant_dirs:
            if not directory.is_dir():
                continue
            for path in directory.glob("*.json"):
                if not path.name.startswith("."):
                    yield _unname(directory.name), _unname(path.name[: -len(".json")])

    def select(
        self, kind: Kind, tenant: str | None, conditions: Sequence[Condition] = ()
    ) -> list[Record]:
        keys = set(self._ids(kind, tenant))
        keys.update(
            (t, i)
            for (k, t, i) in self._changes
            if k == kind.name and (tenant is None or t == tenant)
        )
        found: list[Record] = []
        for record_tenant, id in sorted(keys):
            record = self.get(kind, record_tenant, id)
            if record is None:
                continue
            if conditions:
                try:
                    indexed = kind.indexed(record)
                except ValidationError as exc:  # pragma: no cover - load raises StorageError
                    raise StorageError(str(exc)) from None
                if not all(c.accepts(indexed) for c in conditions):
                    continue
            found.append(record)
        return found

    def audit_last(self, tenant: str) -> AuditEntry | None:
        # Entries are files named by their zero-padded seq: read only the last one.
        ids = {i for t, i in self._ids(AUDIT, tenant)}
        ids.update(i for (k, t, i) in self._changes if k == AUDIT.name and t == tenant)
        for id in sorted(ids, reverse=True):
            record = self.get(AUDIT, tenant, id)
            if record is not None:
                return entry_from_record(record)
        return None

    def commit(self) -> None:
        changes, self._changes = self._changes, {}
        self._store.commit(changes)

    def rollback(self) -> None:
        self._changes = {}

    def close(self) -> None:
        if self._open:
            self._open = False
            self._store.release()
