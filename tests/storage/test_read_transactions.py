"""Transactions opened only to read: one snapshot, no write lock, no writes.

Before, every use case of `Services` that only reads (a page showing a cycle, a report, the
access check before a change) opened a write transaction: on SQLite it took the write lock
(``BEGIN IMMEDIATE``), so a page view waited for any writer and made writers wait for it, a
report on a trust for seconds; and `ReportData.from_store` read each repository in a
transaction of its own, so a report could count a cycle saved between reading the staff and
reading the cycles. On PostgreSQL (READ COMMITTED) even one transaction's statements each
saw the store at a different moment.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from tests._stores import add_sample_school

import devcycle as dc
from devcycle.errors import StorageError
from devcycle.reports import ReportData
from devcycle.services import Services
from devcycle.storage import Session, Store, open_store, sql
from devcycle.storage.audit import AuditEvent
from devcycle.testing.store_contract import wipe

HEAD = dc.Actor("H1", "headteacher", school_id="oak")
CYCLES = ["2025-T1", "2026-T1", "2026-T2"]  # the sample school's


def _cycle(staff_id: str) -> dc.Cycle:
    return dc.Cycle(
        id=f"2026-{staff_id}",
        school_id="oak",
        staff_id=staff_id,
        reviewer_id="H1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )


@pytest.fixture
def store(each_store: Store) -> Store:
    wipe(each_store)
    add_sample_school(each_store)
    return each_store


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def snapshot_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The backends whose read-only transactions read one snapshot while others commit.

    (The JSON-files store gives the same by holding its lock: nobody commits meanwhile.)
    """
    url = {"memory": "memory://", "sqlite": f"sqlite:///{tmp_path / 'devcycle.db'}"}.get(
        request.param
    ) or request.getfixturevalue("postgres_url")
    with open_store(url) as opened:
        wipe(opened)
        add_sample_school(opened)
        yield opened


@pytest.fixture
def impatient_sqlite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A SQLite store whose connections never wait for the write lock: they fail at once."""
    monkeypatch.setattr(sql, "_BUSY_TIMEOUT_S", 0.0)
    with open_store(f"sqlite:///{tmp_path / 'devcycle.db'}") as opened:
        add_sample_school(opened)
        yield opened


def test_a_read_only_transaction_refuses_every_write_and_reads_as_any_other(
    store: Store,
) -> None:
    with store.transaction(readonly=True) as tx:
        assert tx.readonly
        assert [c.id for c in tx.cycles.for_school("oak")] == CYCLES
        cycle = tx.cycles.get("oak", "2026-T1")
        cycle.record_check_in(cycle.objectives[0].id, by="T1", on=date(2026, 12, 3), note="x")
        writes: list[Callable[[], object]] = [
            lambda: tx.cycles.update(cycle),
            lambda: tx.cycles.add(_cycle("T3")),
            lambda: tx.staff.delete("oak", "T1"),
            lambda: tx.audit.append(AuditEvent(action="read", tenant="oak", actor="H1")),
        ]
        for write in writes:
            with pytest.raises(StorageError, match=r"opened only to read.*store\.transaction\(\)"):
                write()
        tx.commit()  # ends it: there is nothing to make durable

    assert store.cycles.get("oak", "2026-T1").version == 1
    assert [c.id for c in store.cycles.for_school("oak")] == CYCLES
    assert [e.action for e in store.audit.query("oak")].count("read") == 0


def test_a_read_only_transaction_sees_one_moment_whatever_is_saved_meanwhile(
    snapshot_store: Store,
) -> None:
    with snapshot_store.transaction(readonly=True) as tx:
        staff = [m.id for m in tx.staff.for_school("oak")]
        snapshot_store.staff.add(  # saved by another connection while the report reads
            dc.StaffMember(id="T3", name="New", school_id="oak", roles={dc.Role.TEACHER})
        )
        snapshot_store.cycles.add(_cycle("T3"))
        cycles = [c.staff_id for c in tx.cycles.for_school("oak")]
        again = [m.id for m in tx.staff.for_school("oak")]

    assert staff == again == ["H1", "T1", "T2"]
    assert cycles == ["T1", "T1", "T2"]
    assert [c.staff_id for c in snapshot_store.cycles.for_school("oak")] == ["T1", "T1", "T2", "T3"]


def test_a_report_from_a_store_is_read_in_one_transaction(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions: list[Session] = []  # the transactions begun, whichever way (kept alive)
    begin, snapshot = type(store).begin, type(store)._begin_snapshot

    def counted(session: Session) -> Session:
        if not any(s is session for s in sessions):
            sessions.append(session)
        return session

    monkeypatch.setattr(type(store), "begin", lambda self, **kw: counted(begin(self, **kw)))
    monkeypatch.setattr(type(store), "_begin_snapshot", lambda self: counted(snapshot(self)))
    data = ReportData.from_store(store)

    assert len(sessions) == 1
    assert [c.id for c in data.cycles] == CYCLES
    assert [m.id for m in data.staff] == ["H1", "T1", "T2"]


def test_pages_and_reports_on_sqlite_neither_wait_for_a_writer_nor_hold_one_up(
    impatient_sqlite: Store,
) -> None:
    services = Services(impatient_sqlite)
    with impatient_sqlite.transaction() as writer:  # a writer holds the write lock
        writer.staff.add(
            dc.StaffMember(id="T3", name="Joiner", school_id="oak", roles={dc.Role.TEACHER})
        )
        assert services.get_cycle(HEAD, "oak", "2026-T1").staff_id == "T1"
        assert services.available_actions(HEAD, "oak", "2026-T1")
        assert [c.staff_id for c in services.cycles(HEAD, "oak", staff_id="T1")] == ["T1", "T1"]
        assert services.decide(HEAD, "read_cycle", "oak", "2026-T1").allowed
        assert services.actor_for("oak", "T1", "2026-T1").role == "reviewee"
        assert services.report(HEAD, "progress", "oak", as_of=date(2027, 2, 1)) is not None
        assert services.report_schools(HEAD)
        writer.commit()

    with impatient_sqlite.transaction(readonly=True) as reader:  # a reader is open
        assert reader.cycles.get("oak", "2026-T1").version == 1
        impatient_sqlite.cycles.add(_cycle("T9"))  # a writer goes ahead
    assert impatient_sqlite.cycles.get("oak", "2026-T9").version == 1


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_more_transactions_open_at_once_than_the_pool_holds_is_a_storage_error(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Not SQLAlchemy's own TimeoutError, which an application would not expect."""
    url = (
        f"sqlite:///{tmp_path / 'devcycle.db'}"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    with open_store(url) as store, contextlib.ExitStack() as held:
        store._engine.pool._timeout = 0  # type: ignore[attr-defined]  # fail at once
        for _ in range(15):  # the pool's 5 and its overflow of 10
            held.enter_context(store.transaction(readonly=True)).schools.list()
        with pytest.raises(StorageError, match=r"all 15 connections of the store .* are held"):
            store.transaction(readonly=True)
        with pytest.raises(StorageError, match="held by transactions still open"):
            store.schools.list()
    with open_store(url) as store:  # all given back
        store.schools.list()
