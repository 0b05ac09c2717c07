"""An older roster does not silently undo a leaving date recorded since (a script author's trial).

``devcycle person leave T2 --on ...`` then ``devcycle plan --roster`` with last month's MIS
export (its ``leaving_date`` column still empty for T2) exited 0 and printed
``leaving_date: 2026-12-18 -> (none)``: the leaver was back on the staff. Now a roster that
would clear a stored leaving date is refused (exit 2, nothing written), naming the person,
the field, the stored date and the file's row, unless ``--accept-reinstatements`` says the
person is genuinely staying; the dry run reports the same. The trust's two schools reuse
staff ids: one school's leaver is not another's.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from tests._roster import plan_roster

from devcycle.cli import main
from devcycle.domain import StaffMember
from devcycle.storage import open_store

OAK = """id,name,roles,reviewer_id,leaving_date
H1,Helen Ashworth,headteacher,,
T1,Tina Bell,teacher,H1,
T2,Ben Ray,teacher,H1,
"""
WIL = """id,name,roles,reviewer_id,leaving_date
H1,Graham Fell,headteacher,,
T1,Tom Kay,teacher,H1,
T2,Ada Moss,teacher,H1,
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _plan(
    tmp_path: Path,
    url: str,
    school: str,
    roster: str,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
) -> tuple[int, str, str]:
    return plan_roster(
        tmp_path, url, roster, capsys, *extra, school=school, file_name=f"{school}-roster.csv"
    )


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """oak and wil planned from their rosters; then oak's T2 is recorded as leaving."""
    store = f"sqlite:///{tmp_path / 'trust.db'}"
    for school, roster in (("oak", OAK), ("wil", WIL)):
        code, _, err = _plan(tmp_path, store, school, roster, capsys)
        assert code == 0, err
    code, _, err = _run(
        capsys, "person", "leave", "--store", store, "--school", "oak", "T2", "--on", "2026-12-18"
    )
    assert code == 0, err
    return store


def _stored(url: str, school: str) -> dict[str, StaffMember]:
    with open_store(url) as store:
        return {m.id: m for m in store.staff.for_school(school)}


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["real run", "dry run"])
def test_an_older_roster_does_not_clear_a_recorded_leaving_date(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str], dry_run: tuple[str, ...]
) -> None:
    before = (_stored(url, "oak"), _stored(url, "wil"))

    code, out, err = _plan(tmp_path, url, "oak", OAK, capsys, *dry_run)

    assert code == 2, out
    assert "Traceback" not in err
    assert "leaving_date: 2026-12-18 -> (none)" not in out
    assert "oak-roster.csv" in err
    line = next(x for x in err.splitlines() if "'T2'" in x)
    assert "leaving_date" in line
    assert "2026-12-18" in line
    assert "--accept-reinstatements" in line
    assert line.endswith("@ row 4, column leaving_date")
    assert (_stored(url, "oak"), _stored(url, "wil")) == before


def test_accept_reinstatements_clears_the_date_and_other_schools_are_untouched(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _plan(tmp_path, url, "oak", OAK, capsys, "--accept-reinstatements")

    assert code == 0, err
    assert "leaving_date: 2026-12-18 -> (none)" in out
    assert _stored(url, "oak")["T2"].leaving_date is None


def test_the_same_id_in_another_school_is_not_a_leaver(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """wil's T2 shares oak's leaver's id: wil's roster, run again, is no reinstatement."""
    code, _, err = _plan(tmp_path, url, "wil", WIL, capsys)

    assert code == 0, err
    assert _stored(url, "wil")["T2"].leaving_date is None
    assert _stored(url, "oak")["T2"].leaving_date is not None


def test_a_roster_without_the_column_keeps_the_date_and_a_later_date_is_no_reinstatement(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    no_column = "\n".join(line.rsplit(",", 1)[0] for line in OAK.splitlines()) + "\n"
    code, _, err = _plan(tmp_path, url, "oak", no_column, capsys)
    assert code == 0, err
    assert str(_stored(url, "oak")["T2"].leaving_date) == "2026-12-18"

    # Another date is no reinstatement; but the date was recorded in devcycle since the
    # last roster carrying the column, so it is not put back unseen either (the roster
    # overrides guard): refused unless --accept-roster-overrides.
    moved = OAK.replace("T2,Ben Ray,teacher,H1,", "T2,Ben Ray,teacher,H1,2027-03-31")
    code, _, err = _plan(tmp_path, url, "oak", moved, capsys)
    assert code == 2, err
    assert "--accept-reinstatements" not in err
    assert err.rstrip().endswith("if the roster is right @ row 4, column leaving_date")
    assert "2026-12-18 is stored and the roster would change it to 2027-03-31" in err
    code, _, err = _plan(tmp_path, url, "oak", moved, capsys, "--accept-roster-overrides")
    assert code == 0, err
    assert str(_stored(url, "oak")["T2"].leaving_date) == "2027-03-31"


def test_parse_roster_refuses_a_future_leaving_date_cleared_unless_accepted() -> None:
    from datetime import date

    from devcycle.errors import ValidationError
    from devcycle.interop.roster import parse_roster

    kept = StaffMember(
        id="T2", name="Ben Ray", school_id="oak", roles={"teacher"}, leaving_date=date(2027, 7, 31)
    )
    stored = {"T2": kept}
    text = "id,name,roles,leaving_date\nT2,Ben Ray,teacher,\n"

    with pytest.raises(ValidationError, match=r"2027-07-31 is stored.*@ row 2, column leaving"):
        parse_roster(text, school_id="oak", stored=stored, as_of=date(2026, 12, 1))
    (person,) = parse_roster(
        text, school_id="oak", stored=stored, as_of=date(2026, 12, 1), accept_reinstatements=True
    )
    assert person.leaving_date is None


def test_one_run_names_the_reinstatement_and_the_override_together(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user trial: the oldest export showed only its leaving-date problem; with
    --accept-reinstatements a second run showed the overrides. Now one run names both."""
    with open_store(url) as store:
        t1 = store.staff.get("oak", "T1")
        store.staff.update(attrs.evolve(t1, roles={"teacher", "middle_leader"}))

    code, _, err = _plan(tmp_path, url, "oak", OAK, capsys)

    assert code == 2
    problems = [line for line in err.splitlines() if line.startswith("  - ")]
    assert [p.rsplit(" @ ", 1)[1] for p in problems] == [
        "row 3, column roles",
        "row 4, column leaving_date",
    ]
    assert "2 problems found" in err
