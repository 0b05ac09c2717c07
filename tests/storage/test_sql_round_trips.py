"""The SQL store's round trips for one change (issue 16, point 4: a vendor's web workers).

A check-in through `Services.act` is one transaction. Each statement is a round trip to the
server, so the statements it runs are counted here: the cycle is read once, to change it. It
is not read again before it is written, though another transaction may have changed it since
(READ COMMITTED): the ``UPDATE`` itself checks that the stored cycle is still the one loaded
(`Session.replace_unchanged`). Nor is it read at commit, since no one else can change a row
this transaction has written until it ends; and the audit entry is appended without a
savepoint around it. (That copies
of a shared objective which disagree are still refused at commit is in the contract suite.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import attrs
import pytest
from sqlalchemy import event
from tests._stores import add_sample_school

import devcycle as dc
from devcycle.errors import ConflictError
from devcycle.services import Services
from devcycle.storage import Store, open_store
from devcycle.storage.audit import AuditEvent
from devcycle.testing.store_contract import wipe


@pytest.fixture
def store(postgres_url: str) -> Iterator[Store]:
    with open_store(postgres_url) as opened:
        wipe(opened)
        add_sample_school(opened)
        yield opened


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    with open_store(url) as opened:
        wipe(opened)
        add_sample_school(opened)
        yield opened


def _statements(store: Store) -> list[str]:
    seen: list[str] = []

    def before(_c: object, _cursor: object, statement: str, *_rest: object) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(store._engine, "before_cursor_execute", before)  # type: ignore[attr-defined]
    return seen


@pytest.mark.postgres
def test_a_check_in_reads_the_cycle_once_and_appends_its_audit_entry_without_a_savepoint(
    store: Store,
) -> None:
    objective_id = store.cycles.get("oak", "2026-T1").objectives[0].id
    seen = _statements(store)

    Services(store).act(
        dc.Actor("T1", "reviewee", school_id="oak"),
        "oak",
        "2026-T1",
        "record_check_in",
        on=date(2026, 12, 3),
        objective_id=objective_id,
        note="On track.",
    )

    cycle_reads = [s for s in seen if s.startswith("SELECT devcycle_cycles.version")]
    assert len(cycle_reads) == 1, seen
    assert not [s for s in seen if "SAVEPOINT" in s], seen
    assert len(seen) == 9, seen  # scope, school, cycle, update, keys, lock, last, 2 inserts
    stored = store.cycles.get("oak", "2026-T1")
    assert [c.note for c in stored.objectives[0].check_ins] == ["On track."]
    assert store.audit.verify("oak").ok


def test_an_audit_entry_numbered_as_one_already_stored_fails_the_commit_and_saves_nothing(
    sql_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the savepoint is no longer there for: another writer's entry of the same number.

    Writers of one chain queue (`audit_lock`), so this takes a writer that did not: here the
    session is shown an older last entry than the one stored, as such a writer would be.
    """
    before = sql_store.audit.query("oak")
    session = sql_store.begin()
    stored_last = session.audit_last("oak")
    assert stored_last is not None
    stale = next(e for e in before if e.seq == stored_last.seq - 1)
    monkeypatch.setattr(type(session), "audit_last", lambda _self, _tenant: stale)
    try:
        event = AuditEvent(
            action="read", tenant="oak", kind="cycle", record_id="2026-T1", actor="H1"
        )
        with pytest.raises(ConflictError, match="another writer appended to it"):
            session.audit_append([event], datetime.now(UTC))
    finally:
        session.rollback()
        session.close()
    monkeypatch.undo()

    assert sql_store.audit.query("oak") == before
    assert sql_store.audit.verify("oak").ok


@pytest.mark.postgres
def test_a_cycle_deleted_and_stored_again_while_loaded_is_a_conflict_not_overwritten(
    store: Store,
) -> None:
    """The save checks the stored cycle is still the one loaded, not only its version.

    A transaction loads a cycle; meanwhile someone deletes it and stores another under the
    same id, at the same version (1). Saving the first transaction's copy must not replace
    the new cycle (it was checked against another).
    """
    original = store.cycles.get("oak", "2026-T1")
    with store.transaction() as tx:
        loaded = tx.cycles.get("oak", "2026-T1")
        store.cycles.delete("oak", "2026-T1")  # another connection, committed at once
        store.cycles.add(attrs.evolve(original, version=0, template_id="theirs"))
        assert store.cycles.get("oak", "2026-T1").version == loaded.version
        mine = attrs.evolve(loaded, template_id="mine")
        with pytest.raises(ConflictError, match="deleted and stored again"):
            tx.cycles.update(mine)

    assert store.cycles.get("oak", "2026-T1").template_id == "theirs"
