"""A refused write command leaves no store behind (found by a user trial).

A mistyped ``--store`` on a command that changes a stored school used to create an empty
database (or a JSON folder) before saying "no school"; a plan refused for its calendar and
an import refused for its bundle left the new store they had created.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devcycle.cli import main

HEAD = ["--as", "headteacher", "--user", "H1"]


@pytest.fixture(params=["sqlite", "json"])
def typo(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    """A store URL that names nothing yet, and the path it would create."""
    path = tmp_path / ("typo.db" if request.param == "sqlite" else "typo-json")
    return (f"sqlite:///{path}" if request.param == "sqlite" else f"json://{path}"), path


@pytest.mark.parametrize(
    "command",
    [
        ["school", "budget", "brook", "b1", "--from", "2026-09-01", "--amount", "5", *HEAD],
        ["school", "priority", "brook", "P1", "--title", "Reading", *HEAD],
        ["school", "kpi", "brook", "P1", "K1", "--name", "Reading age", *HEAD],
        ["school", "team-milestone", "brook", "ks2", "m1", "--due", "2026-10-01", *HEAD],
        ["school", "plan-training", "brook", "PLAN", *HEAD],
        ["person", "erase", "T1", "--school", "brook", "--yes"],
        ["retention", "purge", "--school", "brook", "--yes"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_a_command_changing_a_stored_school_creates_no_store(
    tmp_path: Path,
    typo: tuple[str, Path],
    command: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, path = typo
    plan = tmp_path / "plan.toml"
    plan.write_text("entries = []\n", encoding="utf-8")
    args = [str(plan) if a == "PLAN" else a for a in command]
    if "budget" in args:
        args += ["--to", "2027-08-31"]
    if "team-milestone" in args:
        args += ["--title", "Moderation"]

    assert main([*args, "--store", url]) == 2

    err = capsys.readouterr().err
    assert f"no store at {path}" in err
    assert "creates none" in err
    assert "Traceback" not in err
    assert not path.exists()
    assert not (tmp_path / "typo.db-journal").exists()


def test_a_plan_refused_for_its_calendar_creates_no_store(
    tmp_path: Path, typo: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, path = typo
    roster = tmp_path / "r.csv"
    roster.write_text("id,name,roles,teams,reviewer_id\nT1,Tom,teacher,ks2,\n", encoding="utf-8")
    terms = tmp_path / "terms.toml"
    assert main(["calendar", "england", "--year", "2026", "-o", str(terms)]) == 0
    capsys.readouterr()

    args = ["plan", "--template", "england-teacher", "--year", "2030", "--roster", str(roster)]
    assert main([*args, "--calendar", str(terms), "--school", "brook", "--store", url]) == 2

    assert "does not cover the period" in capsys.readouterr().err
    assert not path.exists()


def test_an_import_refused_for_its_bundle_creates_no_store(
    tmp_path: Path, typo: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    url, path = typo
    source = f"sqlite:///{tmp_path / 'demo.db'}"
    bundle = tmp_path / "b.json"
    assert main(["demo", "--store", source]) == 0
    assert main(["export", "--store", source, "-o", str(bundle)]) == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    data["data"]["staff"][1]["data"]["reviewer_id"] = "NOPE"
    bundle.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()

    assert main(["import", "--store", url, str(bundle), "--quiet"]) == 2

    err = capsys.readouterr().err
    assert "reviewer_id 'NOPE' is not on the staff" in err
    assert not path.exists()
    data["data"]["staff"][1]["data"]["reviewer_id"] = None
    bundle.write_text(json.dumps(data), encoding="utf-8")
    assert main(["import", "--store", url, str(bundle), "--quiet"]) == 0
    assert path.exists()
