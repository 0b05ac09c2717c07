"""A read in a transaction of its own on SQLite (issue 16, seventh round).

`SqlStore.begin(readonly=True)` begins a deferred transaction on a pooled driver connection
itself, without SQLAlchemy's `Connection`, which is made only if the read runs a statement
that is not one of the precompiled ones. The guarantees are those of the reader's
transaction before: one snapshot from the first statement to the end, no write lock (a
writer holding it does not make the read wait), and the connection back in the pool with
nothing left open.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import attrs
import pytest
from sqlalchemy.engine import Connection

import devcycle as dc
from devcycle.storage.sql import SqlStore


def _cycle(ident: str = "c1") -> dc.Cycle:
    return dc.Cycle(
        id=ident,
        school_id="oak",
        staff_id="T1",
        reviewer_id="H1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )


def _count_connections(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """From now on, every SQLAlchemy `Connection` made is added to the list returned."""
    made: list[object] = []
    real = Connection.__init__

    def counting(self: Connection, *args: object, **kwargs: object) -> None:
        made.append(self)
        real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Connection, "__init__", counting)
    return made


def _store(tmp_path: Path) -> SqlStore:
    store = dc.open_store(f"sqlite:///{tmp_path / 'd.db'}")
    assert isinstance(store, SqlStore)
    return store


def test_a_lone_read_makes_no_sqlalchemy_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _store(tmp_path) as store:
        store.cycles.add(_cycle())
        made = _count_connections(monkeypatch)
        assert store.cycles.get("oak", "c1").id == "c1"
        assert made == []
        with pytest.raises(dc.NotFoundError):
            store.cycles.get("oak", "c2")
        assert made == []
        with store.transaction() as tx:  # a writer still goes through SQLAlchemy
            tx.cycles.add(_cycle("c2"))
            tx.commit()
        assert len(made) == 1


def test_a_lone_read_does_not_wait_for_a_writer(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        store.cycles.add(_cycle())
        writer = store.begin()  # holds the write lock (BEGIN IMMEDIATE) until it ends
        try:
            cycle = store.cycles.get("oak", "c1")
            assert cycle.version == 1
            assert [c.id for c in store.cycles.for_school("oak")] == ["c1"]
        finally:
            writer.rollback()
            writer.close()


def test_a_read_sees_one_snapshot_also_after_sqlalchemy_joins_it(tmp_path: Path) -> None:
    """A write committed after the read's first statement is not seen by its later ones,
    whether they run on the driver or through the `Connection` made for them."""
    with _store(tmp_path) as store:
        store.cycles.add(_cycle())
        kind = store.cycles._kind
        reader = store.begin(readonly=True)
        try:
            first = reader.get(kind, "oak", "c1")
            assert first is not None
            with store.transaction() as tx:
                cycle = tx.cycles.get("oak", "c1")
                cycle.start_planning(by="H1", on=date(2026, 9, 10))
                tx.cycles.update(cycle)
                tx.cycles.add(_cycle("c2"))
                tx.commit()
            again = reader.get(kind, "oak", "c1")
            assert again is not None
            assert again.version == first.version == 1
            listed = reader.select(kind, "oak")  # a statement run through SQLAlchemy
            assert [r.id for r in listed] == ["c1"]
            assert [r.version for r in listed] == [1]
            reader.commit()
        finally:
            reader.close()
        assert store.cycles.get("oak", "c1").version == 2
        assert sorted(c.id for c in store.cycles.for_school("oak")) == ["c1", "c2"]


def test_reads_leave_no_transaction_open_in_the_pool(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        store.cycles.add(_cycle())
        for _ in range(5):
            store.cycles.get("oak", "c1")
            store.cycles.for_school("oak")
        with pytest.raises(dc.NotFoundError):
            store.cycles.get("oak", "nobody")
        raw = store._engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            assert not driver.in_transaction
        finally:
            raw.close()
        with store.transaction() as tx:  # and the write lock is free
            tx.cycles.add(_cycle("c3"))
            tx.commit()


def test_a_read_rolled_back_leaves_the_pool_usable(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        store.cycles.add(_cycle())
        reader = store.begin(readonly=True)
        assert reader.get(store.cycles._kind, "oak", "c1") is not None
        reader.rollback()
        reader.close()
        reader.close()  # twice is harmless
        assert store.cycles.get("oak", "c1").id == "c1"
        with store.transaction() as tx:
            tx.cycles.add(_cycle("c2"))
            tx.commit()


def test_a_read_only_store_reads_the_same_way(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        store.cycles.add(_cycle())
    with SqlStore(f"sqlite:///{tmp_path / 'd.db'}", readonly=True) as store:
        assert store.cycles.get("oak", "c1").version == 1
        assert [c.id for c in store.cycles.for_school("oak")] == ["c1"]


def test_a_schools_records_are_listed_without_a_sqlalchemy_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`for_school` (reports, listings) runs precompiled like a get, and lists the same."""
    with _store(tmp_path) as store:
        store.cycles.add(_cycle("c2"))
        store.cycles.add(_cycle("c1"))
        store.cycles.add(attrs.evolve(_cycle("c3"), school_id="elm"))
        made = _count_connections(monkeypatch)
        listed = store.cycles.for_school("oak")
        assert [(c.school_id, c.id, c.version) for c in listed] == [
            ("oak", "c1", 1),
            ("oak", "c2", 1),
        ]
        assert [c.id for c in store.cycles.for_school("elm")] == ["c3"]
        assert list(store.cycles.for_school("ash")) == []
        assert made == []
