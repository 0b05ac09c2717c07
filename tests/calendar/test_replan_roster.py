"""Re-planning with a changed roster: the roster is the MIS's word on the fields it carries.

``devcycle plan --roster FILE`` on a store that already holds the school used to add only
new people: a stored person whose name, roles or team changed in the roster kept the old
record, and ``--school-name`` was silently ignored for a stored school (issue: re-planning
with a changed roster). Now the fields the roster's columns carry are updated (others kept),
under the policy, and ``--school-name`` renames the stored school.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._roster import plan_roster

from devcycle.domain import Role
from devcycle.storage import open_store

HEADER = "id,name,roles,fte,teams,reviewer_id,start_date,email"
FIRST = f"""{HEADER}
T1,Anna Patel,teacher,1,maths,H1,,anna@stm.example
T2,Ben Okafor,teacher,0.6,maths,H1,,ben@stm.example
H1,Dee Head,headteacher,1,,,,
"""
# T1 married (a change of name: planned with --accept-renames) and moved to English; T2 is
# as before; T3 joins.
CHANGED = f"""{HEADER}
T1,Anna Patel-Jones,teacher,1,english,H1,,anna@stm.example
T2,Ben Okafor,teacher,0.6,maths,H1,,ben@stm.example
H1,Dee Head,headteacher,1,,,,
T3,Cara Jones,teacher,1,english,H1,,
"""
# An MIS export without the optional columns: it says nothing of fte, e-mail or start date.
NARROW = """id,name,roles,teams,reviewer_id
T1,Anna Patel,teacher,maths,H1
T2,Ben Okafor,teacher,maths,T1
H1,Dee Head,headteacher,,
"""
PROMOTED = FIRST.replace("T2,Ben Okafor,teacher,", "T2,Ben Okafor,teacher;middle_leader,")


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def test_a_changed_person_is_updated_from_the_roster(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0

    code, out, err = plan_roster(tmp_path, url, CHANGED, capsys, "--accept-renames")

    assert code == 0, err
    assert (
        "Updated 1 staff member from the roster (field: old -> new):\n"
        "  T1  Anna Patel-Jones\n"
        "    name: Anna Patel -> Anna Patel-Jones\n"
        "    teams: maths -> english\n"
    ) in out
    assert "Added teams to school 'stm': english" in out
    with open_store(url) as store:
        anna = store.staff.get("stm", "T1")
        assert (anna.name, anna.team_ids, anna.email) == (
            "Anna Patel-Jones",
            ("english",),
            "anna@stm.example",
        )
        assert store.staff.get("stm", "T3").name == "Cara Jones"
        assert "english" in {t.id for t in store.schools.get("stm").teams}
        # the cycles already planned are left alone; T3 gets one
        assert sorted(c.staff_id for c in store.cycles.for_school("stm")) == ["T1", "T2", "T3"]

    code, out, _ = plan_roster(tmp_path, url, CHANGED, capsys)
    assert code == 0
    assert "Updated" not in out
    assert "Nothing new to write." in out


def test_a_roster_updates_only_the_fields_it_carries(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """No fte or email column: the stored ones stay; reviewer_id is carried, so it changes."""
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0

    code, out, err = plan_roster(tmp_path, url, NARROW, capsys)

    assert code == 0, err
    assert "  T2  Ben Okafor\n    reviewer_id: H1 -> T1\n" in out
    with open_store(url) as store:
        ben = store.staff.get("stm", "T2")
        assert (ben.fte, ben.email, ben.reviewer_id) == (0.6, "ben@stm.example", "T1")
        assert store.staff.get("stm", "T1").email == "anna@stm.example"


def test_giving_a_leading_role_by_roster_needs_grant_role(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The office may plan, but a promotion in the roster is the headteacher's to give."""
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0
    office = ("--as", "school_admin", "--user", "A1")

    code, out, err = plan_roster(tmp_path, url, PROMOTED, capsys, *office)

    assert code == 2
    assert "cannot give 'T2' the role middle_leader" in err
    assert "Traceback" not in err
    with open_store(url) as store:
        assert store.staff.get("stm", "T2").roles == {Role.TEACHER}

    code, out, err = plan_roster(
        tmp_path, url, PROMOTED, capsys, "--as", "headteacher", "--user", "H1"
    )
    assert code == 0, err
    assert "  T2  Ben Okafor\n    roles: teacher -> middle_leader;teacher\n" in out
    with open_store(url) as store:
        assert store.staff.get("stm", "T2").roles == {Role.TEACHER, Role.MIDDLE_LEADER}


def test_a_dry_run_lists_who_it_would_update_and_updates_nobody(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0

    code, out, _ = plan_roster(tmp_path, url, CHANGED, capsys, "--dry-run", "--accept-renames")

    assert code == 0
    assert (
        "Would update 1 staff member from the roster (field: old -> new):\n"
        "  T1  Anna Patel-Jones\n"
        "    name: Anna Patel -> Anna Patel-Jones\n"
        "    teams: maths -> english\n"
    ) in out
    with open_store(url) as store:
        assert store.staff.get("stm", "T1").name == "Anna Patel"


def test_a_newcomer_with_a_leading_role_needs_grant_role_too(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Adding a senior leader to a stored school by roster is a grant, like a promotion."""
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0
    newcomer = FIRST + "S1,Sam Senior,teacher;senior_leader,1,,H1,,\n"

    code, _, err = plan_roster(
        tmp_path, url, newcomer, capsys, "--as", "school_admin", "--user", "A1"
    )

    assert code == 2
    assert "cannot give 'S1' the role senior_leader" in err
    with open_store(url) as store:
        assert "S1" not in {m.id for m in store.staff.for_school("stm")}

    # the headteacher may give the role, but not make themself the newcomer's reviewer
    # (as save_school refuses it); a reviewer who is not the actor is the roster's to name
    code, _, err = plan_roster(
        tmp_path, url, newcomer, capsys, "--as", "headteacher", "--user", "H1"
    )
    assert code == 2
    assert "cannot make 'H1' the reviewer of 'S1'" in err
    code, _, err = plan_roster(
        tmp_path,
        url,
        newcomer.replace(",H1,,\n", ",T1,,\n"),
        capsys,
        "--as",
        "headteacher",
        "--user",
        "H1",
    )
    assert code == 0, err
    with open_store(url) as store:
        assert store.staff.get("stm", "S1").reviewer_id == "T1"


def test_school_name_renames_a_stored_school(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--school-name is applied to a stored school too, never silently ignored."""
    assert plan_roster(tmp_path, url, FIRST, capsys, "--school-name", "St Mary's")[0] == 0

    code, out, err = plan_roster(
        tmp_path, url, FIRST, capsys, "--school-name", "St Mary's CE Primary"
    )

    assert code == 0, err
    assert "Renamed school 'stm': St Mary's -> St Mary's CE Primary" in out
    assert "Nothing new to write." not in out
    with open_store(url) as store:
        assert store.schools.get("stm").name == "St Mary's CE Primary"

    code, out, _ = plan_roster(
        tmp_path, url, FIRST, capsys, "--school-name", "St Mary's CE Primary"
    )
    assert code == 0
    assert "Renamed" not in out
    assert "Nothing new to write." in out


def test_renaming_by_plan_needs_write_school(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A policy role that may plan but not write the school cannot rename it by --school-name."""
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[roles.planner]\ndescription = "Plans cycles only."\nscope = "school"\n'
        'relation = "any"\nactions = ["read_school", "create_cycle"]\nread = []\nwrite = []\n',
        encoding="utf-8",
    )
    who = ("--as", "planner", "--user", "P1", "--policy", str(policy))

    code, _, err = plan_roster(tmp_path, url, FIRST, capsys, "--school-name", "Renamed", *who)

    assert code == 2
    assert "write_school" in err
    with open_store(url) as store:
        assert store.schools.get("stm").name == "stm"


@pytest.mark.parametrize(
    "roster", [PROMOTED, FIRST + "S1,Sam Senior,teacher;senior_leader,1,,H1,,\n"]
)
def test_a_dry_run_is_refused_where_the_real_run_would_be(
    roster: str, tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The office's dry run of a roster giving a leading role: refused as the real run is."""
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0
    office = ("--as", "school_admin", "--user", "A1")

    dry = plan_roster(tmp_path, url, roster, capsys, *office, "--dry-run")
    real = plan_roster(tmp_path, url, roster, capsys, *office)

    assert real[0] == 2
    assert dry[0] == 2
    assert dry[2] == real[2]
    assert "Traceback" not in dry[2]
    assert dry[1] == ""
