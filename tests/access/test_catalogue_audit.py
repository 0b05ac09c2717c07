"""The shared catalogue's audit log can be read (issue 12, point 5).

Changes to frameworks and templates belong to no school: the store logs them under the
catalogue's own chain (an empty tenant), which no school id reaches. `CATALOGUE_SCOPE`
reads, verifies and exports that chain, through the store, the services and the CLI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._stores import BACKENDS, empty_store

import devcycle as dc
from devcycle.catalogues.frameworks import framework
from devcycle.catalogues.templates import template
from devcycle.cli import main
from devcycle.errors import AccessDenied
from devcycle.services import Services
from devcycle.storage import CATALOGUE_SCOPE, TenancyError


def _fill(store: dc.Store) -> None:
    with store.transaction(by="vendor", role="system") as tx:
        tx.schools.add(dc.School(id="oak", name="Oak"))
        tx.frameworks.add(framework("england-teachers-standards"))
        tx.templates.add(template("england-teacher"))
        tx.commit()
    with store.transaction(by="vendor", role="system") as tx:
        tx.templates.delete("england-teacher")
        tx.commit()


@pytest.mark.parametrize("backend", BACKENDS)
def test_catalogue_entries_are_queried_verified_and_exported(backend: str) -> None:
    with empty_store(backend) as store:
        _fill(store)
        entries = store.audit.query(CATALOGUE_SCOPE)
        assert [(e.action, e.kind, e.record_id) for e in entries] == [
            ("add", "framework", "england-teachers-standards"),
            ("add", "template", "england-teacher"),
            ("delete", "template", "england-teacher"),
        ]
        assert {e.actor for e in entries} == {"vendor"}
        assert [e.action for e in store.audit.query(CATALOGUE_SCOPE, kind="template")] == [
            "add",
            "delete",
        ]
        check = store.audit.verify(CATALOGUE_SCOPE)
        assert check.ok
        assert check.entries == 3
        assert store.audit.head(CATALOGUE_SCOPE) == check.head
        exported = store.audit.export(CATALOGUE_SCOPE)
        assert exported["audit_log"] == CATALOGUE_SCOPE
        assert exported["verified"]
        assert len(exported["entries"]) == 3
        # The school's log holds its own entries only; an empty school id stays refused.
        assert [e.kind for e in store.audit.query("oak")] == ["school"]
        with pytest.raises(TenancyError):
            store.audit.query("")


def test_the_services_let_only_a_role_over_every_school_read_it() -> None:
    with dc.open_store("memory://") as store:
        _fill(store)
        services = Services(store)
        entries = services.audit_log(dc.Actor.system(), CATALOGUE_SCOPE)
        assert len(entries) == 3
        auditor = dc.Actor("A1", "auditor", school_id="oak")
        with pytest.raises(AccessDenied):
            services.audit_log(auditor, CATALOGUE_SCOPE)


def test_the_cli_shows_verifies_and_exports_the_catalogue_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with dc.open_store(url) as store:
        _fill(store)
    capsys.readouterr()

    assert main(["audit", "show", "--store", url, "--catalogue"]) == 0
    out = capsys.readouterr().out
    assert "add     framework england-teachers-standards  by vendor (system)" in out
    assert "delete  template england-teacher" in out

    assert main(["audit", "verify", "--store", url, "--catalogue"]) == 0
    assert "(catalogue): 3 entries, chain whole" in capsys.readouterr().out

    output = tmp_path / "catalogue.json"
    assert main(["audit", "export", "--store", url, "--catalogue", "-o", str(output)]) == 0
    assert '"audit_log": "(catalogue)"' in output.read_text(encoding="utf-8")
    with dc.open_store(url) as store:
        assert store.audit.query(CATALOGUE_SCOPE)[-1].action == "export"
        assert store.audit.verify(CATALOGUE_SCOPE).ok


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "give --school ID (a school's log) or --catalogue"),
        (("--school", "oak", "--catalogue"), "give --school or --catalogue, not both"),
    ],
)
def test_the_cli_wants_exactly_one_scope(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], words: str
) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with dc.open_store(url) as store:
        _fill(store)
    capsys.readouterr()
    assert main(["audit", "show", "--store", url, *args]) == 2
    assert words in capsys.readouterr().err


def test_a_school_auditor_may_not_read_the_catalogue_log_on_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with dc.open_store(url) as store:
        _fill(store)
    capsys.readouterr()
    code = main(["audit", "show", "--store", url, "--catalogue", "--as", "auditor", "--user", "A1"])
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err
