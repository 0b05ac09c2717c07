"""The in-memory backend (``memory://``): the reference implementation and the test fake.

Records are kept as the same JSON documents the other backends write, so that what comes
back has been through the same serialization. Each transaction works on a private overlay
and checks, when it commits, that nothing it read-for-update has changed since: concurrent
transactions (threads) never lose an update.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime

import attrs

from devcycle.errors import ConflictError, StorageError
from devcycle.storage.audit import AuditEntry, AuditEvent, seal
from devcycle.storage.base import (
    AUDIT,
    Condition,
    Kind,
    Record,
    Session,
    Store,
    entry_from_record,
    entry_record,
)

__all__ = ["MemoryStore"]

_Key = tuple[str, str, str]


class MemoryStore(Store):
    """Aggregates in a dictionary, gone when the process ends.

    Args:
        url: ``memory://`` (anything after the scheme is ignored).
        readonly: Accepted for `open_store`; a new memory store is empty either way.
    """

    def __init__(self, url: str = "memory://", *, readonly: bool = False) -> None:
        super().__init__()
        del readonly  # nothing outside the process to protect
        self.url = url
        self._records: dict[_Key, Record] = {}
        self._lock = threading.Lock()
        self._closed = False

    def begin(self, *, readonly: bool = False) -> Session:
        """Open a session on a new transaction."""
        return self._session()

    def _session(self) -> _MemorySession:
        if self._closed:
            msg = f"the store {self.url} is closed"
            raise StorageError(msg)
        return _MemorySession(self)

    def _begin_snapshot(self) -> Session:
        """A read-only transaction's session: it reads the records as committed now.

        A commit never changes the records' mapping in place but puts a new one in its
        place (under the lock), so the mapping taken here stays as it is.
        """
        session = self._session()
        session._view = self._records
        return session

    def close(self) -> None:
        """Forget every record."""
        self._closed = True
        self._records = {}


@attrs.define
class _Pending:
    record: Record | None
    expected: int | None  # version that must be stored at commit; 0: must be absent; None: any


class _MemorySession(Session):
    trusted = True  # records only devcycle made, in this process

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._view: dict[_Key, Record] | None = None  # a snapshot's records, if one
        self._pending: dict[_Key, _Pending] = {}
        self._audit: list[tuple[list[AuditEvent], datetime]] = []

    def audit_append(self, events: Sequence[AuditEvent], at: datetime) -> None:
        # Sealed at commit, under the store's lock, so that concurrent transactions each
        # chain onto the entry the other wrote instead of conflicting over the next number.
        self._audit.append((list(events), at))

    @property
    def _records(self) -> dict[_Key, Record]:
        """The committed records this session reads: a snapshot's, or the latest.

        Never changed in place (a commit replaces the mapping), so iterating it while other
        threads commit is safe.
        """
        return self._view if self._view is not None else self._store._records

    @staticmethod
    def _audit_last(records: dict[_Key, Record], tenant: str) -> AuditEntry | None:
        ids = [k[2] for k in records if k[0] == AUDIT.name and k[1] == tenant]
        if not ids:
            return None
        return entry_from_record(records[(AUDIT.name, tenant, max(ids))])

    @staticmethod
    def _key(kind: Kind, tenant: str, id: str) -> _Key:
        return (kind.name, tenant, id)

    def _current(self, key: _Key) -> Record | None:
        if key in self._pending:
            return self._pending[key].record
        return self._records.get(key)

    def get(self, kind: Kind, tenant: str, id: str) -> Record | None:
        return self._current(self._key(kind, tenant, id))

    def _stage(self, key: _Key, record: Record | None, expected: int | None) -> None:
        if key in self._pending:
            self._pending[key].record = record
        else:
            self._pending[key] = _Pending(record, expected)

    def insert(self, records: Sequence[Record]) -> None:
        for record in records:
            key = (record.kind, record.tenant, record.id)
            if self._current(key) is not None:
                msg = f"{record.kind} {record.id!r} already exists"
                raise ConflictError(msg)
        for record in records:
            self._stage((record.kind, record.tenant, record.id), record, 0)

    def replace(self, record: Record, expected_version: int | None) -> bool:
        key = (record.kind, record.tenant, record.id)
        current = self._current(key)
        if current is None:
            return False
        if expected_version is not None and current.version != expected_version:
            return False
        self._stage(key, record, current.version)
        return True

    def delete(self, kind: Kind, tenant: str, id: str) -> bool:
        key = self._key(kind, tenant, id)
        current = self._current(key)
        if current is None:
            return False
        self._stage(key, None, current.version)
        return True

    def select(
        self, kind: Kind, tenant: str | None, conditions: Sequence[Condition] = ()
    ) -> list[Record]:
        keys = {
            k for k in self._records if k[0] == kind.name and (tenant is None or k[1] == tenant)
        }
        keys.update(
            k for k in self._pending if k[0] == kind.name and (tenant is None or k[1] == tenant)
        )
        found = []
        for key in sorted(keys):
            record = self._current(key)
            if record is not None and all(c.accepts(record) for c in conditions):
                found.append(record)
        return found

    def commit(self) -> None:
        with self._store._lock:
            # A new mapping, put in place of the old at the end: readers iterating the old
            # one (other threads, snapshots) never see it change.
            records = dict(self._store._records)
            for key, pending in self._pending.items():
                stored = records.get(key)
                if pending.expected is None:
                    continue
                actual = 0 if stored is None else stored.version
                if actual != pending.expected:
                    msg = (
                        f"{key[0]} {key[2]!r} was changed by another transaction; "
                        "nothing in this transaction was saved"
                    )
                    raise ConflictError(msg)
            for key, pending in self._pending.items():
                if pending.record is None:
                    records.pop(key, None)
                else:
                    records[key] = pending.record
            for events, at in self._audit:
                by_tenant: dict[str, list[AuditEvent]] = {}
                for event in events:
                    by_tenant.setdefault(event.tenant, []).append(event)
                for tenant, group in sorted(by_tenant.items()):
                    for entry in seal(group, self._audit_last(records, tenant), at):
                        record = entry_record(entry)
                        records[(record.kind, record.tenant, record.id)] = record
            self._store._records = records
        self._pending = {}
        self._audit = []

    def rollback(self) -> None:
        self._pending = {}
        self._audit = []
