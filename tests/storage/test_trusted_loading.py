"""A store's own records load once per change, without validating them again; files do not.

Saving a cycle used to build it from its stored document three times in one change (loaded
to be changed, loaded again to check the save against what is stored, and loaded a third
time at commit to find its shared objectives), each time through every validator. Now the
copy taken as it was loaded is what the save is checked against while the stored record is
unchanged, the commit reads shared objectives from the keys just written, and a backend
whose documents only devcycle writes (SQL, memory) builds them without validating again.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import devcycle as dc
from devcycle.errors import DomainError, StorageError
from devcycle.services import Services
from devcycle.storage import base

_SCHOOLS = itertools.count()
SYSTEM = dc.Actor.system()


@pytest.fixture(params=["memory", "json", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dc.Store]:
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    else:
        url = {
            "memory": "memory://",
            "json": f"json://{tmp_path / 'store'}",
            "sqlite": f"sqlite:///{tmp_path / 'devcycle.db'}",
        }[request.param]
    with dc.open_store(url) as opened:
        yield opened


def _school(store: dc.Store, n: int) -> tuple[str, list[str]]:
    """A school of its own (PostgreSQL's schema is shared by the session) with *n* cycles."""
    SCHOOL = f"oak{next(_SCHOOLS)}"  # noqa: N806 - the school of this test
    school = dc.School(id=SCHOOL, name="Oak", priorities=(dc.Priority("P1", "Reading"),))
    staff = [dc.StaffMember(id="H1", name="Head", school_id=SCHOOL, roles={dc.Role.HEADTEACHER})]
    staff += [
        dc.StaffMember(
            id=f"T{i}", name=f"T {i}", school_id=SCHOOL, roles={dc.Role.TEACHER}, reviewer_id="H1"
        )
        for i in range(n)
    ]
    services = Services(store)
    services.save_school(SYSTEM, school, staff)
    cycles = [
        dc.Cycle(
            id=f"C{i}",
            school_id=SCHOOL,
            staff_id=f"T{i}",
            reviewer_id="H1",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        for i in range(n)
    ]
    store.cycles.add_all(cycles)
    return SCHOOL, [c.id for c in cycles]


def _plan(cycle: dc.Cycle) -> None:
    cycle.start_planning(by="H1", on=date(2026, 9, 10))
    objective = cycle.propose_objective(
        by=cycle.staff_id, on=date(2026, 9, 20), statement="Raise reading ages in Year 7."
    )
    cycle.agree_objective(objective.id, by="H1", on=date(2026, 10, 1))


def test_a_batch_of_changes_builds_each_cycle_once(
    store: dc.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    SCHOOL, ids = _school(store, 3)  # noqa: N806
    loads: list[str] = []
    real = base.Kind.load

    def counting(self: base.Kind, record: base.Record, **kwargs: Any) -> Any:
        if self.name == "cycle":
            loads.append(record.id)
        return real(self, record, **kwargs)

    monkeypatch.setattr(base.Kind, "load", counting)

    Services(store).change_cycles(SYSTEM, SCHOOL, ids, _plan)

    assert sorted(loads) == ids  # was each three times
    assert all(len(store.cycles.get(SCHOOL, i).objectives) == 1 for i in ids)


def test_a_history_cut_after_loading_is_refused_by_the_copy_taken_at_load(
    store: dc.Store,
) -> None:
    SCHOOL, (ident,) = _school(store, 1)  # noqa: N806
    Services(store).change_cycles(SYSTEM, SCHOOL, [ident], _plan)

    with store.transaction() as tx:
        cycle = tx.cycles.get(SCHOOL, ident)
        object.__setattr__(cycle, "history", cycle.history[:-1])
        with pytest.raises(DomainError, match="does not extend the stored one"):
            tx.cycles.update(cycle)


def test_a_save_is_checked_against_the_stored_record_when_it_changed_since_loading(
    store: dc.Store,
) -> None:
    SCHOOL, (ident,) = _school(store, 1)  # noqa: N806
    with store.transaction() as tx:
        first = tx.cycles.get(SCHOOL, ident)
        _plan(first)
        tx.cycles.update(first)
        second = tx.cycles.get(SCHOOL, ident)  # loaded again: its copy is the saved one
        object.__setattr__(second, "history", second.history[:1])
        with pytest.raises(DomainError, match="does not extend the stored one"):
            tx.cycles.update(second)


def test_a_hand_edited_file_is_still_validated_as_it_is_loaded(tmp_path: Path) -> None:
    with dc.open_store(f"json://{tmp_path}") as store:
        SCHOOL, (ident,) = _school(store, 1)  # noqa: N806
    (path,) = tmp_path.rglob(f"{ident}.json")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["data"]["reviewer_id"] = document["data"]["staff_id"]
    path.write_text(json.dumps(document), encoding="utf-8")

    with dc.open_store(f"json://{tmp_path}") as store, pytest.raises(StorageError) as caught:
        store.cycles.get(SCHOOL, ident)

    assert "the reviewer cannot be the reviewee" in str(caught.value)
