"""A roster's new people are stored even when the plan creates no cycle (a user trial).

The data manager added a teaching assistant (whom the teacher template does not enrol) to
an agreeing roster and ran ``devcycle plan --roster`` again: exit 0, "Nothing new to
write.", and the new person was not stored, although the docs say everyone on the roster is
stored, enrolled or not. A new team on that person's row was reported as added and not
stored either, and the dry run said nothing of either. Now the new people (and their
teams) are stored, the output says so, the dry run says what it would store, and running
the same roster again writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._roster import plan_roster

from devcycle.cli import main
from devcycle.storage import open_store

ROSTER = """id,name,roles,teams,reviewer_id
H1,Helen Ashworth,headteacher,slt,
M1,Mo Lead,middle_leader;teacher,ks2,H1
T1,Tina Bell,teacher,ks2,H1
"""
WITH_TA = ROSTER + "A9,Ann Assist,teaching_assistant,ks9,M1\n"


def _plan(
    tmp_path: Path, url: str, roster: str, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    return plan_roster(tmp_path, url, roster, capsys, *extra, school="oak")


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    store = f"sqlite:///{tmp_path / 'oak.db'}"
    code, _, err = _plan(tmp_path, store, ROSTER, capsys)
    assert code == 0, err
    return store


def _staff_and_teams(url: str) -> tuple[set[str], set[str]]:
    with open_store(url) as store:
        school = store.schools.get("oak")
        return {m.id for m in store.staff.for_school("oak")}, {t.id for t in school.teams}


def test_a_new_person_not_enrolled_is_stored_with_their_team(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _plan(tmp_path, url, WITH_TA, capsys)

    assert code == 0, err
    staff, teams = _staff_and_teams(url)
    assert "A9" in staff
    assert "ks9" in teams
    assert "Nothing new to write." not in out
    assert "Stored 1 staff member from the roster on the staff of 'oak' (1 not enrolled" in out
    assert "Added teams to school 'oak': ks9" in out

    code, out, err = _plan(tmp_path, url, WITH_TA, capsys)  # the same roster again
    assert code == 0, err
    assert "Nothing new to write." in out


def test_the_dry_run_says_it_would_store_them_and_writes_nothing(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _staff_and_teams(url)

    code, out, err = _plan(tmp_path, url, WITH_TA, capsys, "--dry-run")

    assert code == 0, err
    assert "Would store 1 staff member from the roster on the staff of 'oak'" in out
    assert "Would add teams to school 'oak': ks9" in out
    assert _staff_and_teams(url) == before


def test_a_roster_planned_without_school_says_which_school_it_became(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user trial: leaving out --school made a school called "school", silently."""
    path = tmp_path / "staff.csv"
    path.write_text(ROSTER, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'new.db'}"
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(path)]

    assert main([*args, "--store", url]) == 0
    _, err = capsys.readouterr()
    assert "note: no --school given: the roster is planned as school 'school'" in err

    assert main([*args, "--store", url, "--school", "oak"]) == 0
    _, err = capsys.readouterr()
    assert "no --school" not in err


def test_a_school_id_in_other_capitals_is_refused(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second trial: ``--school OAK`` beside the stored ``oak`` would create a second school."""
    before = _staff_and_teams(url)
    for extra in ((), ("--dry-run",)):
        path = tmp_path / "staff.csv"
        path.write_text(WITH_TA, encoding="utf-8")
        args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(path)]
        code = main([*args, "--school", "OAK", "--store", url, *extra])
        _, err = capsys.readouterr()
        assert code == 2
        assert "school 'OAK' is not stored, but 'oak' is" in err
        assert "Traceback" not in err
    assert _staff_and_teams(url) == before
    with open_store(url) as store:
        assert [s.id for s in store.schools.list()] == ["oak"]
