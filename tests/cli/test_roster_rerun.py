"""An older roster run again, as a script author meets it (a user trial's gaps).

Re-running last term's roster put every field it carries back to the file's values (FTE,
roles, teams, reviewer, e-mail, dates) while the dry run and the real run named only the
fields, not what they became, so a change went unseen. Now both list each field changed
for each stored person, ``field: old -> new``. ``devcycle school list`` counted leavers in
its staff total; now it counts current staff and says how many have left.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._roster import plan_roster

from devcycle.cli import main
from devcycle.domain import StaffMember
from devcycle.interop.roster import FIELDS, changed_cells, roster_rows, roster_updates
from devcycle.storage import open_store

HEADER = "id,name,roles,fte,teams,reviewer_id,start_date,email,leaving_date"
NOW = f"""{HEADER}
H1,Dee Head,headteacher,1,slt,,,,
M1,Mo Lead,middle_leader;teacher,1,ks2,H1,,,
T1,Anna Patel,teacher,0.8,ks2,M1,,anna@stm.example,
T2,Ben Okafor,teacher,1,ks1,H1,2026-09-01,ben@stm.example,
"""
# Last term's export: Mo not yet promoted, Anna full time in ks1 under H1, Ben's old
# e-mail and no start date, Ben's leaving date (in UK form) since withdrawn.
OLDER = f"""{HEADER}
H1,Dee Head,headteacher,1,slt,,,,
M1,Mo Lead,teacher,1,ks2,H1,,,
T1,Anna Patel,teacher,1,ks1,H1,,anna@stm.example,
T2,Ben Okafor,teacher,1,ks1,H1,,b.okafor@stm.example,31/08/2027
"""
EXPECTED = """staff members from the roster (field: old -> new):
  M1  Mo Lead
    roles: middle_leader;teacher -> teacher
  T1  Anna Patel
    fte: 0.8 -> 1
    teams: ks2 -> ks1
    reviewer_id: M1 -> H1
  T2  Ben Okafor
    start_date: 2026-09-01 -> (none)
    email: ben@stm.example -> b.okafor@stm.example
    leaving_date: (none) -> 2027-08-31
"""


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """School 'stm' planned for 2026 from NOW."""
    store = f"sqlite:///{tmp_path / 'store.db'}"
    code, _, err = plan_roster(tmp_path, store, NOW, capsys)
    assert code == 0, err
    return store


def _stored(url: str) -> dict[str, StaffMember]:
    with open_store(url) as store:
        return {m.id: m for m in store.staff.for_school("stm")}


def test_a_dry_run_lists_every_field_an_older_roster_would_change(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored(url)

    code, out, err = plan_roster(tmp_path, url, OLDER, capsys, "--dry-run")

    assert code == 0, err
    assert f"Would update 3 {EXPECTED}" in out
    assert "dry run: nothing was written" in err
    assert before == _stored(url)


def test_the_real_run_makes_the_changes_and_lists_each(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = plan_roster(tmp_path, url, OLDER, capsys)

    assert code == 0, err
    assert f"Updated 3 {EXPECTED}" in out
    stored = _stored(url)
    assert (stored["T1"].fte, stored["T1"].team_ids, stored["T1"].reviewer_id) == (
        1.0,
        ("ks1",),
        "H1",
    )
    assert (stored["T2"].email, stored["T2"].start_date) == ("b.okafor@stm.example", None)

    code, out, _ = plan_roster(tmp_path, url, OLDER, capsys)
    assert code == 0
    assert "Updated" not in out


def test_a_column_the_roster_lacks_is_neither_changed_nor_listed(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    narrow = "id,name,roles\nH1,Dee Head,headteacher\nM1,Mo Lead,middle_leader;teacher\n"
    narrow += "T1,Anna Patel,teacher\nT2,Ben Okafor,teacher\n"

    code, out, err = plan_roster(tmp_path, url, narrow, capsys, "--dry-run")

    assert code == 0, err
    assert "Would update" not in out


def test_a_value_is_listed_terminal_safe(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name from the MIS with a control character cannot rewrite the listing."""
    renamed = NOW.replace("T1,Anna Patel,", "T1,Anna\x1b[2JPatel,")

    code, out, err = plan_roster(tmp_path, url, renamed, capsys, "--dry-run", "--accept-renames")

    assert code == 0, err
    assert "\x1b" not in out
    assert "    name: Anna Patel -> Anna" in out


_VALUES = {
    "name": st.sampled_from(["Ann", "Ann Lee"]),
    "roles": st.sampled_from([{"teacher"}, {"teacher", "middle_leader"}]),
    "fte": st.sampled_from([1.0, 0.6]),
    "team_ids": st.sampled_from([(), ("ks2",), ("ks1", "ks2")]),
    "reviewer_id": st.sampled_from([None, "H1"]),
    "email": st.sampled_from([None, "ann@oak.example"]),
}
_PEOPLE = st.fixed_dictionaries(_VALUES).map(lambda v: StaffMember(id="T1", school_id="oak", **v))


@given(_PEOPLE, _PEOPLE, st.sets(st.sampled_from(sorted(_VALUES))))
def test_every_carried_field_that_differs_is_listed_with_its_cells(
    old: StaffMember, new: StaffMember, carried: set[str]
) -> None:
    fields = {"id", "name", "roles"} | carried
    columns = {column for column, field in FIELDS.items() if field in fields} - {"id"}

    listed = changed_cells(roster_updates([new], {"T1": old}, fields), {"T1": old})

    (old_row,), (new_row,) = roster_rows([old]), roster_rows([new])
    expected = {(c, old_row[c], new_row[c]) for c in columns if old_row[c] != new_row[c]}
    assert expected == {cell for _, cells in listed for cell in cells}


@pytest.mark.parametrize(
    ("leavers", "said"),
    [
        ("T4,Dan Ford,teacher,1,,H1,,,\n", "1 has left"),
        ("T4,Dan Ford,teacher,1,,H1,,,2021-08-31\n", "2 have left"),
    ],
)
def test_school_list_counts_current_staff_and_says_how_many_have_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], leavers: str, said: str
) -> None:
    """T1 left in 2020 (T4 in 2021, or not at all); T3 is due to leave in 2099: still here."""
    store = f"sqlite:///{tmp_path / 'store.db'}"
    roster = f"""{HEADER}
H1,Dee Head,headteacher,1,,,,,
T1,Anna Patel,teacher,1,,H1,,,31/08/2020
T2,Ben Okafor,teacher,1,,H1,,,
T3,Cara Jones,teacher,1,,H1,,,31/08/2099
{leavers}"""
    assert plan_roster(tmp_path, store, roster, capsys)[0] == 0
    current = 4 if said.startswith("1") else 3

    code = main(["school", "list", "--store", store])

    out = capsys.readouterr().out
    assert code == 0
    assert f"stm  stm  ({current} members of staff, {said}, " in out


def test_school_list_says_nothing_of_leavers_when_there_are_none(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    main(["school", "list", "--store", url])

    assert "stm  stm  (4 members of staff, " in capsys.readouterr().out
