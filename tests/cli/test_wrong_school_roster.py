"""Another school's roster, given the wrong ``--school``, renames nobody (a user trial's blocker).

A two-school trust reuses staff ids (H1, M1, T1...) in each school. Planning oak's roster
with ``--school wil`` exited 0 and printed ``Updated 3 staff members``, ``name: Graham
Fell -> Helen Ashworth``...: every shared id in wil became one of oak's people, their
dates and cycles kept. Now a roster that would change a stored person's name is refused
(exit 2, nothing written), each row named, unless ``--accept-renames`` says the changes of
name are genuine; the dry run reports the same problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main
from devcycle.domain import StaffMember
from devcycle.storage import open_store

OAK = """id,name,roles,reviewer_id
H1,Helen Ashworth,headteacher,
M1,Mark Oakes,middle_leader;teacher,H1
T1,Tina Bell,teacher,M1
T9,Omar Reed,teacher,M1
"""
WIL = """id,name,roles,reviewer_id
H1,Graham Fell,headteacher,
M1,Wendy Stone,middle_leader;teacher,H1
T1,Tom Kay,teacher,M1
"""


def _plan(
    tmp_path: Path,
    url: str,
    school: str,
    roster: str,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> tuple[int, str, str]:
    # The file is named for the school whose roster it is, which need not be --school's.
    path = tmp_path / f"{ {OAK: 'oak', WIL: 'wil'}.get(roster, school) }-roster.csv"
    path.write_text(roster, encoding="utf-8")
    capsys.readouterr()
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(path)]
    code = main([*args, "--school", school, "--store", url, *extra])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A trust's two schools, oak and wil, planned for 2026 from their own rosters."""
    store = f"sqlite:///{tmp_path / 'trust.db'}"
    for school, roster in (("oak", OAK), ("wil", WIL)):
        code, _, err = _plan(tmp_path, store, school, roster, capsys)
        assert code == 0, err
    return store


def _stored(url: str, school: str) -> dict[str, StaffMember]:
    with open_store(url) as store:
        return {m.id: m for m in store.staff.for_school(school)}


def _cycles(url: str, school: str) -> list[tuple[str, str]]:
    with open_store(url) as store:
        return sorted((c.id, c.staff_id) for c in store.cycles.for_school(school))


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["real run", "dry run"])
def test_another_schools_roster_is_refused_naming_every_renamed_row(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str], dry_run: tuple[str, ...]
) -> None:
    before = (_stored(url, "wil"), _cycles(url, "wil"))

    code, out, err = _plan(tmp_path, url, "wil", OAK, capsys, *dry_run)

    assert code == 2
    assert "Traceback" not in err
    assert "Updated" not in out
    assert "Would update" not in out
    assert "oak-roster.csv" in err
    assert "3 problems found" in err
    for row, (staff_id, old, new) in enumerate(
        [
            ("H1", "Graham Fell", "Helen Ashworth"),
            ("M1", "Wendy Stone", "Mark Oakes"),
            ("T1", "Tom Kay", "Tina Bell"),
        ],
        start=2,
    ):
        line = next(x for x in err.splitlines() if f"name of {staff_id!r}" in x)
        assert f"from {old!r} to {new!r}" in line
        assert f"@ row {row}, column name" in line
        assert "another school's roster" in line
        assert "--school" in line
        assert "--accept-renames" in line
    assert (_stored(url, "wil"), _cycles(url, "wil")) == before


def test_a_rename_is_listed_with_the_rosters_other_problems(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """One run names every bad row: a renamed row with a bad role, and a bad row beside it."""
    bad = OAK.replace("T1,Tina Bell,teacher,", "T1,Tina Bell,teachr,").replace(
        "T9,Omar Reed,teacher,M1", "T9,Omar Reed,teacher,ZZ"
    )

    code, _, err = _plan(tmp_path, url, "wil", bad, capsys)

    assert code == 2
    assert "name of 'T1' would change from 'Tom Kay' to 'Tina Bell'" in err
    assert "unknown role 'teachr'" in err
    assert "reviewer_id 'ZZ'" in err
    assert "name of 'H1'" in err


def test_accept_renames_saves_genuine_changes_of_name(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    married = WIL.replace("T1,Tom Kay,", "T1,Tom Kay-Rhys,")

    code, _, err = _plan(tmp_path, url, "wil", married, capsys)
    assert code == 2
    assert "name of 'T1' would change from 'Tom Kay' to 'Tom Kay-Rhys'" in err
    assert _stored(url, "wil")["T1"].name == "Tom Kay"

    code, out, err = _plan(tmp_path, url, "wil", married, capsys, "--accept-renames")
    assert code == 0, err
    assert "name: Tom Kay -> Tom Kay-Rhys" in out
    assert _stored(url, "wil")["T1"].name == "Tom Kay-Rhys"
    assert _stored(url, "oak")["T1"].name == "Tina Bell"


def test_the_right_school_is_unaffected_and_capitals_or_spaces_are_no_rename(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _plan(tmp_path, url, "oak", OAK, capsys)
    assert code == 0, err

    spaced = WIL.replace("T1,Tom Kay,", "T1,  TOM   kay ,")
    code, out, err = _plan(tmp_path, url, "wil", spaced, capsys, "--dry-run")
    assert code == 0, err
    assert "name of" not in err
    assert "name: Tom Kay -> TOM   kay" in out  # the roster's spelling, listed as a change


def test_a_new_school_is_planned_from_a_roster_with_shared_ids(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ids are per school: another school's T1 is not this school's stored T1."""
    code, _, err = _plan(tmp_path, url, "ash", OAK, capsys)

    assert code == 0, err
    assert _stored(url, "ash")["T1"].name == "Tina Bell"
    assert _stored(url, "wil")["T1"].name == "Tom Kay"


def test_the_refusal_shows_a_name_as_data(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name with a control character cannot rewrite the terminal through the error."""
    hostile = WIL.replace("T1,Tom Kay,", "T1,Tom\x1b[2JKay,")

    code, _, err = _plan(tmp_path, url, "wil", hostile, capsys)

    assert code == 2
    assert "\x1b" not in err
    assert "name of 'T1' would change from 'Tom Kay'" in err


def test_staff_stored_after_the_roster_was_read_are_not_renamed_either(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is read again in the transaction that writes, and checked again there."""
    monkeypatch.setattr("devcycle.cli.plan._stored_staff", lambda *_args: {})
    before = (_stored(url, "wil"), _cycles(url, "wil"))

    code, out, err = _plan(tmp_path, url, "wil", OAK, capsys)

    assert code == 2
    assert "Updated" not in out
    assert "name of 'T1' would change from 'Tom Kay' to 'Tina Bell'" in err
    assert "@ row 4, column name" in err
    assert (_stored(url, "wil"), _cycles(url, "wil")) == before
