"""The command line logs confidential reads and changes under the actor it acts as (--as/--user).

Proformas and exports read confidential fields, so each logs one read entry per cycle
whose confidential fields it carried, naming the reader and their role; every change a
command makes (demo, import, plan, school add, erase, purge) names who made it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.services import Services
from devcycle.testing.access import MARKERS, access_school

SAMPLE = access_school()
DAY = "2027-03-01"


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    with dc.open_store(url) as store:
        service = Services(store)
        SAMPLE.save(service)
    return url


def _run(*args: str) -> None:
    assert main(list(args)) == 0


def _entries(url: str, **query: str) -> list[dc.AuditEntry]:
    with dc.open_store(url) as store:
        return store.audit.query("sa", **query)  # type: ignore[arg-type]


def test_a_proforma_from_the_command_line_logs_its_reader(store_url: str, tmp_path: Path) -> None:
    """The reviewer's proforma of C1 shows their private note: a read logged under R1."""
    out = tmp_path / "p.md"
    _run(
        "proforma", "--store", store_url, "--school", "sa", "--person", "T1",
        "--stage", "mid_year", "--format", "md", "-o", str(out), "--as-of", DAY,
        "--as", "reviewer", "--user", "R1",
    )  # fmt: skip

    reads = _entries(store_url, action="read")
    assert [(e.actor, e.role, e.record_id, e.fields) for e in reads] == [
        ("R1", "reviewer", "C1", ("private_notes",))
    ]
    assert MARKERS["private_notes:reviewer"] in out.read_text()


def test_proformas_for_everyone_log_each_cycle_read(store_url: str, tmp_path: Path) -> None:
    """--all as the headteacher: one read entry per cycle whose confidential fields it showed."""
    _run(
        "proforma", "--store", store_url, "--school", "sa", "--all", "--stage", "mid_year",
        "--format", "md", "-o", str(tmp_path / "all"), "--as-of", DAY,
        "--as", "headteacher", "--user", "H1",
    )  # fmt: skip

    reads = _entries(store_url, action="read")
    assert reads
    assert {(e.actor, e.role) for e in reads} == {("H1", "headteacher")}
    assert "C1" in {e.record_id for e in reads}


def test_an_export_from_the_command_line_logs_its_reads(store_url: str, tmp_path: Path) -> None:
    """`devcycle export` as the system (the default) still names who ran it, if told."""
    _run(
        "export", "--store", store_url, "--school", "sa", "-o", str(tmp_path / "b.json"),
        "--user", "ops-1",
    )  # fmt: skip

    reads = _entries(store_url, action="read")
    assert ("ops-1", "system", "C1") in {(e.actor, e.role, e.record_id) for e in reads}
    bundle = json.loads((tmp_path / "b.json").read_text())
    assert "PAY-M4-6d6d" in json.dumps(bundle)


def test_an_import_names_who_ran_it(store_url: str, tmp_path: Path) -> None:
    """Every entry of `devcycle import --user ops-1` names ops-1 (as the system), not nobody."""
    bundle = tmp_path / "b.json"
    _run("export", "--store", store_url, "--school", "sa", "-o", str(bundle))
    target = f"sqlite:///{tmp_path / 'copy.db'}"
    _run("import", "--store", target, str(bundle), "--user", "ops-1", "-q")

    with dc.open_store(target) as store:
        entries = store.audit.query("sa")
    assert entries
    assert {(e.actor, e.role) for e in entries} == {("ops-1", "system")}


def test_the_audit_commands_act_as_someone_the_policy_allows(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewee may not read the audit log; the auditor may, and their export is logged."""
    school = ["--store", store_url, "--school", "sa"]
    for command in (["audit", "show"], ["audit", "verify"], ["audit", "export"]):
        assert main([*command, *school, "--as", "reviewee", "--user", "T1"]) == 2
    assert "does not let a reviewee read_audit" in capsys.readouterr().err
    _run("audit", "show", *school, "--as", "auditor", "--user", "AU1")
    out = tmp_path / "log.json"
    _run("audit", "export", *school, "-o", str(out), "--as", "auditor", "--user", "AU1")

    (logged,) = _entries(store_url, action="export")
    assert (logged.actor, logged.role, logged.kind) == ("AU1", "auditor", "audit")


def test_subject_access_and_erasure_name_the_actor(store_url: str, tmp_path: Path) -> None:
    """`person export|erase --as headteacher --user H1`: refused to a reviewee, logged under H1."""
    school = ["--store", store_url, "--school", "sa"]
    out = tmp_path / "t2.json"
    reviewee = ["--as", "reviewee", "--user", "T1"]
    assert main(["person", "export", *school, "T2", "-o", str(out), *reviewee]) == 2
    _run("person", "export", *school, "T1", "-o", str(out), "--as", "headteacher", "--user", "H1")

    reads = _entries(store_url, action="read")
    assert ("H1", "headteacher", "C1") in {(e.actor, e.role, e.record_id) for e in reads}
    (exported,) = _entries(store_url, action="export")
    assert (exported.actor, exported.role) == ("H1", "headteacher")

    assert main(["person", "erase", *school, "T2", "--yes", *reviewee]) == 2
    _run("person", "erase", *school, "T2", "--yes", "--as", "headteacher", "--user", "H1")
    (erased,) = _entries(store_url, action="erase")
    assert erased.actor == "H1"
    changed = [e for e in _entries(store_url) if e.action == "update" and e.seq > exported.seq]
    assert changed
    assert {(e.actor, e.role) for e in changed} == {("H1", "headteacher")}


def test_the_older_by_option_still_names_the_actor(store_url: str, tmp_path: Path) -> None:
    """``--by H1`` (the older spelling of ``--user``) still names who exported."""
    out = tmp_path / "t1.json"
    school = ["--store", store_url, "--school", "sa"]
    _run("person", "export", *school, "T1", "-o", str(out), "--by", "H1")

    (exported,) = _entries(store_url, action="export")
    assert (exported.actor, exported.role) == ("H1", "system")


def test_commands_that_write_name_their_actor(tmp_path: Path) -> None:
    """`school add` and `demo` log their changes under --user/--as, and check the policy."""
    url = f"sqlite:///{tmp_path / 'new.db'}"
    teacher = ["--as", "reviewee", "--user", "T9"]
    assert main(["school", "add", "oak", "--name", "Oak", "--store", url, *teacher]) == 2
    _run("school", "add", "oak", "--name", "Oak", "--store", url, "--user", "ops-1")
    reports = str(tmp_path / "reports")
    assert main(["demo", "--store", url, "--reports", reports, *teacher]) == 2
    _run("demo", "--store", url, "--reports", reports, "--user", "ops-2")

    with dc.open_store(url) as store:
        (added,) = store.audit.query("oak")
        demo = {s.id for s in store.schools.list()} - {"oak"}
        demo_entries = [e for school in demo for e in store.audit.query(school)]
    assert (added.actor, added.role) == ("ops-1", "system")
    assert demo_entries
    assert {(e.actor, e.role) for e in demo_entries} == {("ops-2", "system")}
