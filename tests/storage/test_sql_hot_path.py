"""SQLite's hot paths (issue 16): precompiled statements on the driver connection.

Loading, saving and adding records run on SQLite's own cursor, in the transaction that
SQLAlchemy began, with the same errors as through SQLAlchemy: a duplicate is a conflict,
a broken database a `StorageError` naming it.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Connection

import devcycle as dc
from devcycle.errors import ConflictError, DomainError, StorageError
from devcycle.storage.sql import _SqlSession


def _cycle(ident: str = "c1") -> dc.Cycle:
    return dc.Cycle(
        id=ident,
        school_id="oak",
        staff_id="T1",
        reviewer_id="H1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )


def test_loading_and_saving_a_cycle_on_sqlite_bypass_sqlalchemy_execution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with dc.open_store(f"sqlite:///{tmp_path / 'd.db'}") as store:
        store.cycles.add(_cycle())
        statements: list[str] = []
        run = Connection.exec_driver_sql

        def counting(self: Connection, statement: str, *args: object, **kwargs: object) -> object:
            statements.append(statement)
            return run(self, statement, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Connection, "exec_driver_sql", counting)
        with store.transaction() as tx:
            cycle = tx.cycles.get("oak", "c1")
            cycle.start_planning(by="H1", on=date(2026, 9, 10))
            tx.cycles.update(cycle)
            tx.commit()
        assert [s for s in statements if not s.startswith("BEGIN")] == []
        assert store.cycles.get("oak", "c1").version == 2
        assert [e.action for e in store.audit.query("oak")] == ["add", "update"]


def test_errors_on_the_driver_path_are_reported_as_before(tmp_path: Path) -> None:
    with dc.open_store(f"sqlite:///{tmp_path / 'd.db'}") as store:
        store.cycles.add(_cycle())
        with pytest.raises(ConflictError, match="cycle 'c1' already exists"):
            store.cycles.add(_cycle())
        session = store.begin()
        try:
            session._sqlite.close()  # type: ignore[attr-defined]  # the database goes away
            with pytest.raises(StorageError, match=r"^database error at sqlite:///.*closed"):
                session.get(store.cycles._kind, "oak", "c1")
        finally:
            with contextlib.suppress(Exception):
                session.close()


def test_saving_a_loaded_cycle_on_sqlite_reads_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session holds the write lock: what it loaded is what is stored, so the save's
    check and the commit's shared-objective check use what it remembers (issue 16)."""
    with dc.open_store(f"sqlite:///{tmp_path / 'd.db'}") as store:
        store.cycles.add(_cycle())
        session_type = _SqlSession
        reads: list[str] = []
        get = session_type.get

        def counting(self: Any, kind: Any, tenant: str, ident: str) -> Any:
            reads.append(ident)
            return get(self, kind, tenant, ident)

        monkeypatch.setattr(session_type, "get", counting)
        with store.transaction() as tx:
            cycle = tx.cycles.get("oak", "c1")
            cycle.start_planning(by="H1", on=date(2026, 9, 10))
            tx.cycles.update(cycle)
            tx.commit()
        assert reads == ["c1"]


def test_a_cycle_deleted_and_added_again_in_the_session_is_checked_against_the_new_one(
    tmp_path: Path,
) -> None:
    with dc.open_store(f"sqlite:///{tmp_path / 'd.db'}") as store:
        store.cycles.add(_cycle())
        with store.transaction() as tx:
            stale = tx.cycles.get("oak", "c1")
            tx.cycles.delete("oak", "c1")
            other = _cycle()
            other.start_planning(by="H1", on=date(2026, 9, 2))
            tx.cycles.add(other)
            stale.assign_reviewer("H2", by="system", on=date(2026, 9, 3))
            with pytest.raises(DomainError, match="does not extend the stored one"):
                tx.cycles.update(stale)
