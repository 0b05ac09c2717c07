"""Retention rules as data: a dry-run plan, then a purge that is logged."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.privacy import (
    DEFAULT_RETENTION,
    RetentionRule,
    load_retention_rules,
    retention_plan,
    retention_purge,
)
from devcycle.testing.store_contract import sample_school


@pytest.fixture
def store() -> dc.Store:
    store = dc.open_store("memory://")
    store.clock = lambda: datetime(2027, 8, 31, 17, tzinfo=UTC)
    school, staff, cycles, cpd = sample_school("school-a")
    with store.transaction(by="system") as tx:
        tx.schools.add(school)
        tx.staff.add_all(staff)
        tx.cycles.add_all(cycles)
        tx.cpd.add_all(cpd)
        tx.commit()
    return store


def test_records_of_people_still_employed_are_kept(store: dc.Store) -> None:
    """Appraisal records count from the end of employment: nobody has left, nothing is due."""
    assert [d.kind for d in retention_plan(store, "school-a", date(2060, 1, 1))] == ["cpd", "cpd"]


def test_appraisal_records_go_six_years_after_employment_ends(store: dc.Store) -> None:
    """T1 leaves on 31 August 2027 (the audit log says so): due on 31 August 2033."""
    store.staff.delete("school-a", "T1")
    cycles_only = [r for r in DEFAULT_RETENTION if r.kind == "cycle"]

    assert retention_plan(store, "school-a", date(2033, 8, 30), cycles_only) == []
    due = retention_plan(store, "school-a", date(2033, 8, 31), cycles_only)
    assert [(d.id, d.person, d.anchor, d.due) for d in due] == [
        ("2025-T1", "T1", date(2027, 8, 31), date(2033, 8, 31)),
        ("2026-T1", "T1", date(2027, 8, 31), date(2033, 8, 31)),
    ]
    assert store.cycles.get("school-a", "2026-T1")  # a plan changes nothing

    deleted = retention_purge(store, "school-a", date(2033, 8, 31), cycles_only, by="H1")

    assert [d.id for d in deleted] == ["2025-T1", "2026-T1"]
    assert [c.id for c in store.cycles.for_school("school-a")] == ["2026-T2"]
    actions = [e.action for e in store.audit.query("school-a")][-3:]
    assert actions == ["delete", "delete", "purge"]
    assert store.audit.verify("school-a").ok
    assert retention_purge(store, "school-a", date(2033, 8, 31), cycles_only) == []


def test_rules_load_from_toml_and_bad_rules_name_the_place(tmp_path: Path) -> None:
    """Rules are data; a bad one names the file, the rule and what was expected."""
    good = tmp_path / "rules.toml"
    good.write_text(
        '[[rule]]\nkind = "cycle"\nafter = "record_end"\nyears = 7\ndescription = "Ours"\n',
        encoding="utf-8",
    )
    assert load_retention_rules(good) == (RetentionRule("cycle", "record_end", 7, "Ours"),)
    bad = tmp_path / "bad.toml"
    bad.write_text('[[rule]]\nkind = "cycle"\nafter = "leaving"\nyears = 7\n', encoding="utf-8")
    with pytest.raises(dc.ValidationError, match=r"bad\.toml[\s\S]*rule\[0\][\s\S]*after"):
        load_retention_rules(bad)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[[rule]]\nkind = "cycle"\nwhen = 1\n', encoding="utf-8")
    with pytest.raises(dc.ValidationError, match="unknown key"):
        load_retention_rules(unknown)
