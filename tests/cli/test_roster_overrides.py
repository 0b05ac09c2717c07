"""An older roster does not silently undo a change made in devcycle (a script author's report).

The headteacher moved Tina's reviewer to Mo in devcycle (``devcycle person reassign``,
audited); the script author then ran ``devcycle plan --roster`` with an export made before
that, and the plan put the old reviewer back (exit 0, one line in a list of changes). Now
such a roster is refused, dry run and real run alike (exit 2, nothing written), naming the
school, the person, the field, the stored value, the roster's and
``--accept-roster-overrides``, which lets it through. The trust's two schools reuse staff
ids: a change to oak's T1 does not guard elm's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from tests._roster import plan_roster

from devcycle.cli import main
from devcycle.cli.plan import write_cycles
from devcycle.errors import ValidationError
from devcycle.interop.roster import load_roster, roster_fields, row_numbers
from devcycle.storage import open_store
from devcycle.sync import SYNC_ACTION, refuse_roster_overrides

ROSTER = """id,name,roles,teams,reviewer_id
H1,Helen Ashworth,headteacher,slt,
M1,Mo Lead,middle_leader;teacher,ks2,H1
T1,Tina Bell,teacher,ks2,H1
"""
NEWER = ROSTER.replace("T1,Tina Bell,teacher,ks2,H1", "T1,Tina Bell,teacher,ks2,M1")
"""An export made after the change: T1's reviewer is M1 in the MIS too."""
ELM = """id,name,roles,teams,reviewer_id
H1,Graham Fell,headteacher,slt,
M1,Ada Moss,middle_leader;teacher,ks1,H1
T1,Tom Kay,teacher,ks1,H1
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
        tmp_path, url, roster, capsys, *extra, school=school, file_name=f"{school}-staff.csv"
    )


def _reassign(capsys: pytest.CaptureFixture[str], url: str, school: str) -> None:
    """Move T1's cycle and staff record from H1 to M1 in devcycle."""
    code, _, err = _run(
        capsys,
        *("person", "reassign", "H1", "--school", school, "--to", "M1"),
        *("--cycle", "2026-T1-england-teacher", "--store", url),
    )
    assert code == 0, err


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """oak and elm planned from their rosters; then oak's T1 given M1 as reviewer in devcycle."""
    store = f"sqlite:///{tmp_path / 'trust.db'}"
    for school, roster in (("oak", ROSTER), ("elm", ELM)):
        code, _, err = _plan(tmp_path, store, school, roster, capsys)
        assert code == 0, err
    _reassign(capsys, store, "oak")
    return store


def _everything(url: str) -> dict[str, Any]:
    """What the store holds for both schools: staff, cycles, audit entries."""
    with open_store(url) as store:
        return {
            school: (
                {m.id: (m, m.version) for m in store.staff.for_school(school)},
                {c.id: c.version for c in store.cycles.for_school(school)},
                [e.hash for e in store.audit.query(school)],
            )
            for school in ("oak", "elm")
        }


def _reviewer(url: str, school: str, staff_id: str = "T1") -> str | None:
    with open_store(url) as store:
        return store.staff.get(school, staff_id).reviewer_id


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["real run", "dry run"])
def test_an_older_roster_does_not_put_back_a_reviewer_changed_in_devcycle(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str], dry_run: tuple[str, ...]
) -> None:
    before = _everything(url)

    code, out, err = _plan(tmp_path, url, "oak", ROSTER, capsys, *dry_run)

    assert code == 2, out
    assert "Traceback" not in err
    assert "reviewer_id: M1 -> H1" not in out
    assert "oak-staff.csv" in err
    line = next(x for x in err.splitlines() if "'T1'" in x)
    assert "reviewer_id of 'T1' ('Tina Bell') in school 'oak' was changed in devcycle" in line
    assert "M1 is stored and the roster would change it to H1" in line
    assert "--accept-roster-overrides" in line
    assert line.endswith("@ row 4, column reviewer_id")
    assert _everything(url) == before  # no partial write: staff, cycles, audit as they were


def test_accept_roster_overrides_puts_the_roster_s_reviewer_back(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _plan(tmp_path, url, "oak", ROSTER, capsys, "--accept-roster-overrides")

    assert code == 0, err
    assert "reviewer_id: M1 -> H1" in out
    assert _reviewer(url, "oak") == "H1"
    # synced since: the same roster again is no override, and writes nothing
    before = _everything(url)
    code, out, err = _plan(tmp_path, url, "oak", ROSTER, capsys)
    assert code == 0, err
    assert _everything(url) == before


def test_another_school_s_same_ids_are_not_guarded(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """oak's T1 was changed in devcycle; elm's T1 (the same id) was not: elm's roster runs."""
    code, _, err = _plan(
        tmp_path,
        url,
        "elm",
        ELM.replace("Tom Kay,teacher,ks1,H1", "Tom Kay,teacher,ks1,M1"),
        capsys,
    )
    assert code == 0, err
    code, _, err = _plan(tmp_path, url, "elm", ELM, capsys)

    assert code == 0, err
    assert _reviewer(url, "elm") == "H1"
    assert _reviewer(url, "oak") == "M1"
    code, _, _ = _plan(tmp_path, url, "oak", ROSTER, capsys)
    assert code == 2


def test_a_roster_agreeing_with_the_change_runs_and_then_is_the_mis_s_word_again(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _plan(tmp_path, url, "oak", NEWER, capsys)
    assert code == 0, err
    assert _reviewer(url, "oak") == "M1"

    code, _, err = _plan(tmp_path, url, "oak", ROSTER, capsys)  # a later change in the MIS

    assert code == 0, err
    assert _reviewer(url, "oak") == "H1"


def test_roles_and_teams_changed_through_the_api_are_guarded_too(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(url) as store:
        m1 = store.staff.get("oak", "M1")
        store.staff.update(attrs.evolve(m1, roles={"senior_leader", "teacher"}, team_ids=["slt"]))
    before = _everything(url)

    code, _, err = _plan(tmp_path, url, "oak", ROSTER, capsys, "--dry-run")

    assert code == 2
    problems = [x for x in err.splitlines() if x.startswith("  - ")]
    assert [p.rsplit(" @ ", 1)[1] for p in problems] == [
        "row 3, column roles",
        "row 3, column teams",
        "row 4, column reviewer_id",
    ]
    assert "senior_leader;teacher is stored and the roster would change it to" in problems[0]
    assert "middle_leader;teacher" in problems[0]
    assert "slt is stored and the roster would change it to ks2" in problems[1]
    assert _everything(url) == before


def test_teams_in_another_order_are_the_same_teams(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user trial: after a team change in devcycle, a roster agreeing with it but listing
    the teams in another order was refused as putting back a value never stored."""
    with open_store(url) as store:
        m1 = store.staff.get("oak", "M1")
        store.staff.update(attrs.evolve(m1, team_ids=["ks1", "ks2"]))
    agreeing = NEWER.replace("middle_leader;teacher,ks2,H1", "middle_leader;teacher,ks2;ks1,H1")

    code, out, err = _plan(tmp_path, url, "oak", agreeing, capsys)

    assert code == 0, err
    assert "ks1;ks2 ->" not in out  # nothing to change for M1: the same two teams
    assert "ks2;ks1" not in out
    with open_store(url) as store:
        assert set(store.staff.get("oak", "M1").team_ids) == {"ks1", "ks2"}


def test_the_message_says_change_to_not_put_back(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The roster's value may never have been stored: it "would change it to", not "put back"."""

    def with_fte(t1_fte: str) -> str:
        lines = NEWER.strip().splitlines()
        rows = [f"{line},{t1_fte if line.startswith('T1') else '1'}" for line in lines[1:]]
        return "\n".join([f"{lines[0]},fte", *rows]) + "\n"

    code, _, err = _plan(tmp_path, url, "oak", with_fte("1"), capsys)
    assert code == 0, err
    with open_store(url) as store:
        t1 = store.staff.get("oak", "T1")
        store.staff.update(attrs.evolve(t1, fte=0.8))

    code, _, err = _plan(tmp_path, url, "oak", with_fte("0.5"), capsys)

    assert code == 2
    assert "0.8 is stored and the roster would change it to 0.5" in err
    assert "put back" not in err


def test_the_writing_transaction_checks_again(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A change made after the roster was checked (another user, meanwhile) is still refused."""
    path = tmp_path / "oak-staff.csv"
    path.write_text(ROSTER, encoding="utf-8")
    with open_store(url) as store:
        stored = {m.id: m for m in store.staff.for_school("oak")}
        people = load_roster(path, school_id="oak")
        t1 = attrs.evolve(stored["T1"], reviewer_id="H1")
    before = _everything(url)

    def check(tx: Any, staff: Any) -> None:
        refuse_roster_overrides(
            people,
            staff,
            school_id="oak",
            audit=tx.audit,
            fields=roster_fields(path),
            rows=row_numbers(ROSTER),
            source=str(path),
        )

    with open_store(url) as store, pytest.raises(ValidationError, match="row 4"):
        write_cycles(
            store,
            [],
            people,
            school_id="oak",
            by="devcycle",
            on=date(2026, 9, 1),
            updates=[t1],
            synced=roster_fields(path),
            check=check,
        )
    assert _everything(url) == before


def test_each_plan_marks_the_roster_s_people_only_when_their_record_moved_on(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(url) as store:
        marks = store.audit.query("oak", action=SYNC_ACTION)
    assert sorted(m.record_id for m in marks) == ["H1", "M1", "T1"]  # the first plan
    assert {m.fields for m in marks} == {("roles", "team_ids", "reviewer_id")}  # its columns

    code, _, err = _plan(tmp_path, url, "oak", NEWER, capsys)

    assert code == 0, err
    with open_store(url) as store:
        again = store.audit.query("oak", action=SYNC_ACTION)
    assert [m.record_id for m in again[len(marks) :]] == ["T1"]  # agreed with: marked again
