"""``devcycle calendar export`` leaves out people who have left (a user trial's finding).

``calendar export --school oak --format table`` listed a leaver's milestones as OVERDUE
while the reports left them out. A school's or a team's export is now its staff on the
export's day (``--as-of``, default today), in every format: a leaver's cycles are left out
and named on standard error, as the team and whole-school proformas do. ``--staff`` still
exports a leaver's own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from devcycle.cli import main

ROSTER = """id,name,roles,teams,reviewer_id,leaving_date
H1,Dee Head,headteacher,slt,,
M1,Mo Lead,middle_leader;teacher,ks2,H1,
T1,Anna Patel,teacher,ks2,M1,
T2,Ben Okafor,teacher,ks2,M1,30/10/2026
"""
AFTER = "2027-06-01"  # T2 left on 2026-10-30


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(roster)]
    assert main([*args, "--school", "oak", "--store", store]) == 0
    capsys.readouterr()
    return store


def _export(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    code = main(["calendar", "export", "--store", url, "--school", "oak", *extra])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["table", "ics"])
@pytest.mark.parametrize("scope", [(), ("--team", "ks2")], ids=["school", "team"])
def test_a_leaver_is_left_out_and_named_on_stderr(
    url: str, capsys: pytest.CaptureFixture[str], fmt: str, scope: tuple[str, ...]
) -> None:
    code, out, err = _export(url, capsys, "--format", fmt, "--as-of", AFTER, *scope)

    assert code == 0, err
    assert "Anna Patel" in out
    assert "Ben Okafor" not in out
    # As a word: an .ics file's DTSTAMP ("20261206T201302Z") holds "T2" from 20:00 UTC.
    assert not re.search(r"\bT2\b", out)
    assert f"Left out 1 leaver (left before {AFTER}): T2" in err


@pytest.mark.parametrize("fmt", ["table", "ics"])
def test_before_they_leave_they_are_still_shown(
    url: str, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """Up to and including their last day they are on the staff (`StaffMember.has_left`)."""
    code, out, err = _export(url, capsys, "--format", fmt, "--as-of", "2026-10-30")

    assert code == 0, err
    assert "Ben Okafor" in out
    assert "Left out" not in err


def test_the_ics_file_written_counts_only_current_staffs_cycles(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "oak.ics"

    code, _, err = _export(url, capsys, "--as-of", AFTER, "-o", str(target))

    assert code == 0, err
    assert "from 2 cycles" in err  # M1's and T1's: the headteacher is not enrolled
    assert "Ben Okafor" not in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["table", "ics"])
def test_staff_still_exports_a_leavers_own(
    url: str, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    code, out, err = _export(url, capsys, "--format", fmt, "--as-of", AFTER, "--staff", "T2")

    assert code == 0, err
    assert "Ben Okafor" in out
    assert "Left out" not in err
