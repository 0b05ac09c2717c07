"""A team's (or a school's) proformas say who is left out because they have not started yet.

``devcycle proforma --team ks2`` wrote "Planning meeting: 3 people" for a team of four: a joiner
whose first cycle starts after --as-of was left out silently, while leavers left out are named
on standard error. Joiners are now named the same way, for --team and --all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main
from devcycle.storage import open_store

ROSTER = (
    "id,name,roles,teams,reviewer_id,start_date\n"
    "H1,Dee Head,headteacher,slt,,\n"
    "M1,Mo Lead,middle_leader;teacher,ks2,H1,\n"
    "T1,Anna Patel,teacher,ks2,M1,\n"
    "T2,Ben Okafor,teacher,ks2,M1,\n"
    "T5,Eve Joiner,teacher,ks2,M1,2027-01-04\n"
)
ON = "2026-11-02"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    (tmp_path / "staff.csv").write_text(ROSTER, encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'devcycle.db'}"
    code, _, err = run(
        capsys,
        *("plan", "--store", store, "--template", "england-teacher", "--year", "2026"),
        *("--roster", str(tmp_path / "staff.csv"), "--school", "oak"),
    )
    assert code == 0, err
    return store


@pytest.mark.parametrize("chosen", [("--team", "ks2"), ("--all",)])
def test_a_joiner_not_yet_started_is_named_as_left_out(
    chosen: tuple[str, ...], url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(url) as store:
        (joiner,) = store.cycles.for_staff("oak", "T5")
    assert joiner.period_start.isoformat() > ON
    folder = tmp_path / "out"

    code, _, err = run(
        capsys,
        *("proforma", "--store", url, "--school", "oak", *chosen, "--stage", "planning"),
        *("--audience", "reviewer", "--format", "md", "--as-of", ON, "-o", f"{folder}/"),
    )

    assert code == 0, err
    assert (
        f"Left out 1 not yet started (first cycle from {joiner.period_start.isoformat()}): T5"
        in err
    )
    written = {p.name for p in folder.iterdir()}
    assert "T5-planning-reviewer.md" not in written
    assert "T1-planning-reviewer.md" in written


def test_nobody_is_named_when_everyone_has_started(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        *("proforma", "--store", url, "--school", "oak", "--team", "ks2", "--stage", "planning"),
        *("--audience", "reviewer", "--format", "md", "--as-of", "2027-02-01"),
        *("-o", f"{tmp_path / 'out'}/"),
    )

    assert code == 0, err
    assert "not yet started" not in err
