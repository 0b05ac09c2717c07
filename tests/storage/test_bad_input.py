"""Bad input gets a clear error and loses nothing already stored."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from tests._stores import add_sample_school

import devcycle as dc
from devcycle.storage.bundle import export_bundle, import_bundle
from devcycle.testing.store_contract import sample_school


def test_a_corrupt_json_document_is_reported_and_left_alone(tmp_path: Path) -> None:
    """A damaged file names itself; other records still load and the file is untouched."""
    store = dc.open_store(f"json://{tmp_path}")
    add_sample_school(store, "school-a")
    damaged = tmp_path / "cycles" / "school-a" / "2026-T1.json"
    damaged.write_text('{"kind": "cycle", "schema_version": 1, "data": {', encoding="utf-8")

    with pytest.raises(dc.StorageError, match=r"2026-T1\.json is not valid JSON"):
        store.cycles.get("school-a", "2026-T1")
    with pytest.raises(dc.StorageError, match=r"2026-T1"):
        store.cycles.for_school("school-a")

    assert store.cycles.get("school-a", "2026-T2").id == "2026-T2"
    assert len(store.staff.for_school("school-a")) == 3
    store.cycles.update(store.cycles.get("school-a", "2026-T2"))
    assert damaged.read_text(encoding="utf-8").endswith('"data": {')


def test_a_json_document_with_a_wrong_field_names_the_field(tmp_path: Path) -> None:
    """A valid JSON file with a bad value says which record and which field."""
    store = dc.open_store(f"json://{tmp_path}")
    add_sample_school(store, "school-a")
    path = tmp_path / "staff" / "school-a" / "T1.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["data"]["fte"] = "full"
    path.write_text(json.dumps(document), encoding="utf-8")

    expected = r"(?s)stored staff school-a/T1: 1 problem.*@ \$\.data\.fte"
    with pytest.raises(dc.StorageError, match=expected):
        store.staff.get("school-a", "T1")


def test_a_corrupt_row_in_sqlite_is_reported_and_left_alone(tmp_path: Path) -> None:
    """A damaged document in the database names the record; the rest still loads."""
    path = tmp_path / "devcycle.db"
    store = dc.open_store(f"sqlite:///{path}")
    add_sample_school(store, "school-a")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE devcycle_cycles SET document = '{oops' WHERE id = '2026-T1'")

    with pytest.raises(dc.StorageError, match=r"stored cycle school-a/2026-T1 is not valid JSON"):
        store.cycles.get("school-a", "2026-T1")

    assert store.cycles.get("school-a", "2026-T2").id == "2026-T2"
    store.close()


@pytest.mark.parametrize("url", ["memory://", "json://{tmp}/files", "sqlite:///{tmp}/x.db"])
def test_a_bundle_with_one_bad_record_stores_nothing(url: str, tmp_path: Path) -> None:
    """Every problem is listed with its path in the bundle, and the store is unchanged."""
    store = dc.open_store(url.format(tmp=tmp_path))
    add_sample_school(store, "school-a")
    source = dc.open_store("memory://")
    add_sample_school(source, "school-b")
    bundle = export_bundle(source)
    bundle["data"]["cycles"][1]["data"]["period_end"] = "not a date"
    bundle["data"]["staff"][2]["data"]["school_id"] = "elsewhere"
    before = export_bundle(store)

    with pytest.raises(dc.ValidationError) as caught:
        import_bundle(store, bundle, source="trust.json")

    message = str(caught.value)
    assert "trust.json: 2 problems found" in message
    assert "@ $.data.cycles[1].data.period_end" in message
    assert "school 'elsewhere', which is not in this bundle @ $.data.staff[2]" in message
    assert export_bundle(store) == before
    store.close()


def test_a_bundle_that_conflicts_half_way_stores_nothing(tmp_path: Path) -> None:
    """A record that already exists stops the import and rolls back what came before it."""
    store = dc.open_store(f"sqlite:///{tmp_path / 'x.db'}")
    add_sample_school(store, "school-a")
    source = dc.open_store("memory://")
    add_sample_school(source, "school-b")
    add_sample_school(source, "school-c")
    with store.transaction() as tx:
        tx.cycles.add(sample_school("school-c")[2][0])
        tx.commit()
    before = export_bundle(store)

    with pytest.raises(dc.ConflictError, match="nothing was imported"):
        import_bundle(store, export_bundle(source))

    assert export_bundle(store) == before


def test_a_store_url_with_an_unknown_scheme_is_refused_before_anything_happens() -> None:
    """An unknown scheme is a ConfigError."""
    with pytest.raises(dc.ConfigError, match="unknown storage scheme 'mongodb'"):
        dc.open_store("mongodb://localhost/devcycle")


def test_a_document_from_a_newer_devcycle_is_refused_clearly(tmp_path: Path) -> None:
    """A record written by a newer schema says to upgrade devcycle, and stays as it is."""
    store = dc.open_store(f"json://{tmp_path}")
    add_sample_school(store, "school-a")
    path = tmp_path / "schools" / "school-a" / "school-a.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["schema_version"] = 99
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(dc.StorageError, match="upgrade devcycle"):
        store.schools.get("school-a")

    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == 99


def test_a_database_from_a_newer_devcycle_is_refused(tmp_path: Path) -> None:
    """A database whose schema version is newer than this devcycle is not touched."""
    path = tmp_path / "x.db"
    dc.open_store(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE devcycle_meta SET value = '99' WHERE name = 'schema_version'")

    with pytest.raises(dc.StorageError, match="written by a newer devcycle"):
        dc.open_store(f"sqlite:///{path}")
