"""The audit chain against raw tampering, private files, SQLite secure delete, and the CLI."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.storage.bundle import export_bundle, write_bundle
from devcycle.testing.store_contract import sample_school


def _fill(store: dc.Store) -> None:
    school, staff, cycles, cpd = sample_school("school-a")
    with store.transaction(by="H1", role="headteacher") as tx:
        tx.schools.add(school)
        tx.staff.add_all(staff)
        tx.cycles.add_all(cycles)
        tx.cpd.add_all(cpd)
        tx.commit()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_audit_row_changed_or_deleted_in_sqlite_is_detected(tmp_path: Path) -> None:
    """Raw SQL against the file (as an attacker with the file would) breaks the chain."""
    database = tmp_path / "devcycle.db"
    with dc.open_store(f"sqlite:///{database}") as store:
        _fill(store)
        assert store.audit.verify("school-a").ok
    with sqlite3.connect(database) as raw:
        raw.execute(
            "UPDATE devcycle_audit_log SET document = replace(document, '\"add\"', '\"read\"') "
            "WHERE id = '000000000003'"
        )
    with dc.open_store(f"sqlite:///{database}") as store:
        problems = store.audit.verify("school-a").problems
        assert any("entry 3" in p for p in problems)
    with sqlite3.connect(database) as raw:
        raw.execute(
            "UPDATE devcycle_audit_log SET document = replace(document, '\"read\"', '\"add\"') "
            "WHERE id = '000000000003'"
        )
        raw.execute("DELETE FROM devcycle_audit_log WHERE id = '000000000005'")
    with dc.open_store(f"sqlite:///{database}") as store:
        problems = store.audit.verify("school-a").problems
        assert any("entry 6" in p and "missing" in p for p in problems)


def test_an_audit_row_made_unreadable_is_a_break_not_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tamper that leaves a row no longer an entry ended `audit verify` with exit status 2
    (a usage error to a CI gate) instead of 1 naming the break (found trying it as a user)."""
    database = tmp_path / "devcycle.db"
    url = f"sqlite:///{database}"
    with dc.open_store(url) as store:
        _fill(store)
    with sqlite3.connect(database) as raw:
        raw.execute(
            'UPDATE devcycle_audit_log SET document = replace(document, \'"at":"\', '
            "'\"at\":\"x') WHERE id = '000000000002'"
        )
    with dc.open_store(url) as store:
        check = store.audit.verify("school-a")
    assert not check.ok
    assert check.problems[0].startswith("entry 2 was changed after it was written")
    capsys.readouterr()

    code = main(["audit", "verify", "--store", url, "--school", "school-a"])

    out = capsys.readouterr().out
    assert code == 1
    assert "entry 2 was changed after it was written" in out


def test_an_audit_file_made_unreadable_in_a_json_store_is_a_break(tmp_path: Path) -> None:
    with dc.open_store(f"json://{tmp_path / 'store'}") as store:
        _fill(store)
        entry = tmp_path / "store" / "audit_log" / "school-a" / "000000000002.json"
        entry.write_text('{"tenant": "school-a"}', encoding="utf-8")
        check = store.audit.verify("school-a")
    assert any(p.startswith("entry 2 was changed after it was written") for p in check.problems)


def test_an_audit_file_edited_in_a_json_store_is_detected(tmp_path: Path) -> None:
    """Editing one entry's file by hand breaks the chain."""
    with dc.open_store(f"json://{tmp_path / 'store'}") as store:
        _fill(store)
        entry = tmp_path / "store" / "audit_log" / "school-a" / "000000000002.json"
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["actor"] = "T2"
        entry.write_text(json.dumps(data), encoding="utf-8")
        assert not store.audit.verify("school-a").ok


def test_stores_and_bundles_are_private(tmp_path: Path) -> None:
    """Files devcycle creates are 0600 and its folders 0700, whatever the umask."""
    json_root = tmp_path / "deep" / "json-store"
    with dc.open_store(f"json://{json_root}") as store:
        _fill(store)
        bundle = export_bundle(store, school_ids=["school-a"])
    assert _mode(json_root) == 0o700
    assert _mode(tmp_path / "deep") == 0o700
    files = [p for p in json_root.rglob("*") if p.is_file()]
    assert files
    assert {_mode(p) for p in files} == {0o600}
    assert {_mode(p) for p in json_root.rglob("*") if p.is_dir()} == {0o700}
    database = tmp_path / "db" / "devcycle.db"
    with dc.open_store(f"sqlite:///{database}") as store:
        _fill(store)
        assert {_mode(p) for p in database.parent.iterdir()} == {0o600}
    assert _mode(database.parent) == 0o700
    write_bundle(bundle, tmp_path / "bundle.json")
    assert _mode(tmp_path / "bundle.json") == 0o600


def test_sqlite_overwrites_deleted_records(tmp_path: Path) -> None:
    """secure_delete is on, and compact (VACUUM) leaves no trace of a deleted name."""
    database = tmp_path / "devcycle.db"
    with dc.open_store(f"sqlite:///{database}") as store:
        _fill(store)
        member = store.staff.get("school-a", "T2")
        store.staff.add(
            dc.StaffMember(
                id="Z9", name="Zebedee Quartermaine", school_id="school-a", roles=member.roles
            )
        )
        engine = store._engine  # type: ignore[attr-defined]
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA secure_delete").scalar_one() == 1
        store.staff.delete("school-a", "Z9")
        session = store.begin()
        session.delete(dc.storage.base.AUDIT, "school-a", "000000000013")  # its add entry
        session.delete(dc.storage.base.AUDIT, "school-a", "000000000014")  # its delete entry
        session.commit()
        session.close()
        store.compact()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"Quartermaine" not in raw


def test_the_cli_shows_verifies_exports_and_erases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """devcycle audit / person / retention end to end on a SQLite store."""
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    with dc.open_store(url) as store:
        _fill(store)

    assert main(["audit", "show", "--store", url, "--school", "school-a", "--person", "T2"]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 3  # T2's staff record, their cycle, the CPD they attend
    assert main(["audit", "verify", "--store", url, "--school", "school-a"]) == 0
    head = capsys.readouterr().out.rsplit("head ", 1)[1].strip()
    assert main(["audit", "verify", "--store", url, "--school", "school-a", "--anchor", head]) == 0
    assert main(["audit", "verify", "--store", url, "--school", "school-a", "--anchor", "1:x"]) == 2
    capsys.readouterr()

    out = tmp_path / "t2.json"
    assert (
        main(
            [
                "person",
                "export",
                "--store",
                url,
                "--school",
                "school-a",
                "T2",
                "-o",
                str(out),
                "--by",
                "H1",
            ]
        )
        == 0
    )
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert {r["id"] for r in exported["records"]} == {"T2", "2026-T2", "cpd-2"}
    assert _mode(out) == 0o600
    document = tmp_path / "t2.html"
    assert (
        main(
            [
                "person",
                "export",
                "--store",
                url,
                "--school",
                "school-a",
                "T2",
                "--format",
                "html",
                "-o",
                str(document),
            ]
        )
        == 0
    )
    assert b"Teacher two" in document.read_bytes()

    assert main(["person", "erase", "--store", url, "--school", "school-a", "T2"]) == 2
    assert (
        main(
            ["person", "erase", "--store", url, "--school", "school-a", "T2", "--yes", "--by", "H1"]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["audit", "verify", "--store", url, "--school", "school-a"]) == 0
    capsys.readouterr()
    assert main(["audit", "show", "--store", url, "--school", "school-a", "--person", "T2"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["person", "erase", "--store", url, "--school", "school-a", "T2", "--yes"]) == 2

    assert (
        main(
            [
                "retention",
                "plan",
                "--store",
                url,
                "--school",
                "school-a",
                "--as-of",
                "2040-01-01",
                "--format",
                "json",
            ]
        )
        == 0
    )
    plan = json.loads(capsys.readouterr().out)
    assert [d["id"] for d in plan["due"]] == ["cpd-1", "cpd-2"]
    assert (
        main(
            ["retention", "purge", "--store", url, "--school", "school-a", "--as-of", "2040-01-01"]
        )
        == 2
    )
    assert (
        main(
            [
                "retention",
                "purge",
                "--store",
                url,
                "--school",
                "school-a",
                "--as-of",
                "2040-01-01",
                "--yes",
            ]
        )
        == 0
    )
    with dc.open_store(url) as store:
        assert store.cpd.for_school("school-a") == []
        assert store.audit.verify("school-a").ok
