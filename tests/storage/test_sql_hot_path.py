"""SQLite's hot paths (issue 16): precompiled statements on the driver connection.

Loading, saving and adding records run on SQLite's own cursor, in the transaction that
SQLAlchemy began, with the same errors as through SQLAlchemy: a duplicate is a conflict,
a broken database a `StorageError` naming it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Connection

import devcycle as dc
from devcycle.errors import ConflictError, DomainError, StorageError
from devcycle.storage import base
from devcycle.storage.sql import _Compiled, _SqlSession


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
        assert statements == []  # BEGIN IMMEDIATE too
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


def _key_rows(path: Path) -> set[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT key, value FROM devcycle_cycles_keys WHERE id = 'c1'")
        return set(rows.fetchall())


def test_a_save_writes_only_the_key_rows_that_changed(tmp_path: Path) -> None:
    """Issue 16: every save deleted and inserted all of a record's key rows again."""
    path = tmp_path / "d.db"
    with dc.open_store(f"sqlite:///{path}") as store:
        cycle = _cycle()
        cycle.start_planning(by="H1", on=date(2026, 9, 10))
        store.cycles.add(cycle)
        kind = store.cycles._kind
        session = store.begin()
        try:
            statements: list[str] = []
            driver = session._connection.connection.driver_connection  # type: ignore[attr-defined]
            driver.set_trace_callback(statements.append)
            record = kind.record(store.cycles.get("oak", "c1"), 2)
            assert session.replace(record, 1)
            assert not [s for s in statements if "_keys" in s and not s.startswith("SELECT")]
            cycle = store.cycles.get("oak", "c1")
            cycle.propose_objective(by="T1", on=date(2026, 9, 11), statement="x", priority_ids=[])
            cycle.propose_objective(
                by="T1", on=date(2026, 9, 11), statement="y", standard_ids=["TS2"]
            )
            statements.clear()
            assert session.replace(kind.record(cycle, 3), 2)
            written = [s for s in statements if "_keys" in s and not s.startswith("SELECT")]
            assert len(written) == 1
            assert written[0].startswith("INSERT")
            driver.set_trace_callback(None)
            session.commit()
        finally:
            session.close()
        assert ("standard", "TS2") in _key_rows(path)


def test_a_save_brings_key_rows_written_by_an_older_devcycle_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    with dc.open_store(f"sqlite:///{path}") as store:
        cycle = _cycle()
        cycle.start_planning(by="H1", on=date(2026, 9, 10))
        day = date(2026, 9, 11)
        cycle.propose_objective(by="T1", on=day, statement="x", standard_ids=["TS2", "TS3"])
        store.cycles.add(cycle)
        expected = _key_rows(path)
        assert {("standard", "TS2"), ("standard", "TS3")} <= expected
        with contextlib.closing(sqlite3.connect(path)) as db:  # as an older version left them
            db.execute("DELETE FROM devcycle_cycles_keys WHERE value = 'TS2'")
            db.execute("INSERT INTO devcycle_cycles_keys VALUES ('oak', 'retired', 'x', 'c1')")
            db.commit()
        assert _key_rows(path) != expected
        with store.transaction() as tx:
            cycle = tx.cycles.get("oak", "c1")
            cycle.agree_objective("obj-1", by="H1", on=day)
            tx.cycles.update(cycle)
            tx.commit()
        assert _key_rows(path) == expected


@pytest.mark.parametrize("url", ["memory://", "sqlite:///{tmp}/d.db"])
def test_a_read_on_its_own_keeps_no_copy_to_check_a_save_by(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read in a transaction of its own ends before anything is saved in it: the copy a
    transaction keeps to check a save against would be thrown away unused (issue 16)."""
    with dc.open_store(url.format(tmp=tmp_path)) as store:
        store.cycles.add(_cycle())
        copies: list[object] = []
        real_copy = base.copy.copy

        def counting(obj: object) -> object:
            copies.append(obj)
            return real_copy(obj)

        monkeypatch.setattr(base.copy, "copy", counting)
        assert store.cycles.get("oak", "c1").id == "c1"
        assert copies == []
        with store.transaction() as tx:  # a transaction still keeps one, and uses it
            cycle = tx.cycles.get("oak", "c1")
            cycle.start_planning(by="H1", on=date(2026, 9, 10))
            tx.cycles.update(cycle)
            tx.commit()
        assert len(copies) == 1


@given(
    names=st.lists(
        st.sampled_from(["tenant", "id", "key", "value", "n_x"]),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    extra=st.dictionaries(st.text(max_size=3), st.integers(), max_size=3),
)
def test_precompiled_values_are_taken_in_the_drivers_order(
    names: list[str], extra: dict[str, int]
) -> None:
    """`_Compiled.parameters` gives the values named by the statement, in its order."""
    table = sa.table("t", *(sa.column(n) for n in names))
    statement = _Compiled(
        sa.select(table).where(*(table.c[n] == sa.bindparam(f"b_{n}") for n in names)),
        sqlite_dialect.dialect(),
    )
    values = {**extra, **{f"b_{n}": i for i, n in enumerate(names)}}
    assert statement.order == tuple(f"b_{n}" for n in names)
    assert statement.parameters(values) == tuple(range(len(names)))
    with pytest.raises(KeyError):
        statement.parameters(extra)
