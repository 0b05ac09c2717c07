"""Leavers on the command line, as a script author meets them (a user trial's gaps).

A middle leader who reviews two teachers leaves. `school show` used to list neither the
leaver nor the cycles left without a reviewer; `person leave` said nothing of those
cycles; there was no way to move them (`person reassign`); an old roster run again made
the leaver their reviewer once more; the dry-run planner did not say who would get a new
reviewer; and team proformas still had a page for the leaver.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.cli import main
from devcycle.domain import Role, StaffMember
from devcycle.interop.roster import cleared_leavers, departed_reviewers, parse_roster
from devcycle.storage import open_store

ROSTER = (
    "id,name,roles,teams,reviewer_id\n"
    "H1,Dee Head,headteacher,slt,\n"
    "M1,Mo Lead,middle_leader;teacher,ks2,H1\n"
    "M2,Max Lead,middle_leader;teacher,ks1,H1\n"
    "T1,Anna Patel,teacher,ks2,M1\n"
    "T2,Ben Okafor,teacher,ks2,M1\n"
    "T3,Cara Jones,teacher,ks1,M2\n"
)
LEFT = "2026-10-30"
"""M1's last day: before today whenever the tests run (the store's clock is the real one)."""
ON = "2026-11-02"
"""The day of the reassignment, inside the 2026 cycles."""
T1_CYCLE = "2026-T1-england-teacher"
T2_CYCLE = "2026-T2-england-teacher"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """School 'oak' planned for 2026 from ROSTER: M1 reviews T1 and T2, M2 reviews T3."""
    (tmp_path / "staff.csv").write_text(ROSTER, encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'devcycle.db'}"
    code, _, err = run(
        capsys,
        *("plan", "--store", store, "--template", "england-teacher", "--year", "2026"),
        *("--roster", str(tmp_path / "staff.csv"), "--school", "oak"),
    )
    assert code == 0, err
    return store


@pytest.fixture
def left(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """The same school once M1 has left."""
    code, _, err = run(
        capsys, "person", "leave", "--store", url, "--school", "oak", "M1", "--on", LEFT
    )
    assert code == 0, err
    return url


def _reviewers(url: str) -> dict[str, str | None]:
    """Each stored cycle's reviewer and each staff record's, by cycle id and staff id."""
    with open_store(url) as store:
        cycles = {c.id: c.reviewer_id for c in store.cycles.for_school("oak")}
        staff = {m.id: m.reviewer_id for m in store.staff.for_school("oak")}
    return {**cycles, **staff}


def _versions(url: str) -> list[tuple[str, int]]:
    with open_store(url) as store:
        return sorted(
            [(c.id, c.version) for c in store.cycles.for_school("oak")]
            + [(m.id, m.version) for m in store.staff.for_school("oak")]
        )


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err
    assert err.startswith("error: ")


# ------------------------------------------------------------------ the model's helper


@given(
    leaving=st.none() | st.dates(date(2020, 1, 1), date(2030, 1, 1)),
    on=st.dates(date(2020, 1, 1), date(2030, 1, 1)),
)
def test_someone_has_left_only_after_their_last_day(leaving: date | None, on: date) -> None:
    """has_left: never without a leaving date; on their last day they are still staff."""
    member = StaffMember(
        id="T1", name="Ann", school_id="oak", roles={Role.TEACHER}, leaving_date=leaving
    )

    assert member.has_left(on) == (leaving is not None and on > leaving)


# ------------------------------------------------------------------ 1. school show


def test_school_show_lists_leavers_apart_and_the_cycles_needing_a_reviewer(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Leavers get their own list; T1's and T2's open cycles are named as needing a reviewer."""
    code, out, _ = run(capsys, "school", "show", "oak", "--store", left, "--as-of", ON)

    assert code == 0
    current = out.split("Current staff (5):")[1].split("Leavers")[0]
    assert "M1 " not in current
    assert "T1           Anna Patel (teacher), reviewed by Mo Lead (M1), who has left" in current
    assert "Leavers (1):\n  M1           Mo Lead, left on 2026-10-30" in out
    needing = out.split("Open cycles needing a reviewer (2):")[1].split("Teams")[0]
    assert f"{T1_CYCLE} Anna Patel (T1): reviewer Mo Lead (M1) left on 2026-10-30" in needing
    assert T2_CYCLE in needing
    assert "devcycle person reassign M1 --school oak --to NEW_ID" in needing
    assert "ks2          ks2 (2 members)" in out  # the leaver no longer counts in the team


def test_before_their_last_day_a_leaver_is_still_staff_and_their_cycles_are_fine(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "school", "show", "oak", "--store", left, "--as-of", LEFT)

    assert code == 0
    # Before, anyone with a leaving date was listed as a leaver, however far off the day.
    assert "Staff: 6; leavers: 0;" in out
    assert "M1           Mo Lead (middle_leader, teacher), reviewed by" in out
    assert ", leaves on 2026-10-30" in out
    assert "Leavers (0):" in out
    assert "Open cycles needing a reviewer (0):" in out


# ------------------------------------------------------------------ 2. person leave


def test_person_leave_warns_about_the_cycles_the_leaver_reviews(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warning is on standard error, names the cycles and the command; exit 0."""
    code, out, err = run(
        capsys, "person", "leave", "--store", url, "--school", "oak", "M1", "--on", LEFT
    )

    assert code == 0
    assert "M1 leaves oak on 2026-10-30" in out
    assert "warning: M1 reviews 2 open cycles:" in err
    assert f"{T1_CYCLE} (Anna Patel), {T2_CYCLE} (Ben Okafor)" in err
    assert "devcycle person reassign M1 --school oak --to NEW_ID" in err
    assert "warning" not in out


def test_a_leaver_who_reviews_nobody_gets_no_warning(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "person", "leave", "--store", url, "--school", "oak", "T3", "--on", LEFT
    )

    assert code == 0
    assert "warning" not in err


# ------------------------------------------------------------------ 3. person reassign


def test_reassign_moves_every_open_cycle_and_the_staff_records(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        *("person", "reassign", "M1", "--store", left, "--school", "oak", "--to", "M2"),
        *("--on", ON),
    )

    assert code == 0, err
    assert "Moved 2 cycles from Mo Lead (M1) to Max Lead (M2) on 2026-11-02:" in out
    assert f"  {T1_CYCLE} Anna Patel (T1); staff record too" in out
    reviewers = _reviewers(left)
    assert (reviewers[T1_CYCLE], reviewers[T2_CYCLE]) == ("M2", "M2")
    assert (reviewers["T1"], reviewers["T2"], reviewers["T3"]) == ("M2", "M2", "M2")
    with open_store(left) as store:
        cycle = store.cycles.get("oak", T1_CYCLE)
        entries = store.audit.query("oak", record=T1_CYCLE, action="update")
    assert cycle.history[-1].action == "assign_reviewer"
    assert cycle.history[-1].detail == "M1 -> M2"
    assert [e.fields for e in entries][-1] == ("history", "reviewer_id")


def test_reassign_one_cycle_leaves_the_others(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        *("person", "reassign", "M1", "--store", left, "--school", "oak", "--to", "M2"),
        *("--cycle", T2_CYCLE, "--on", ON),
    )

    assert code == 0, err
    assert "Moved 1 cycle from" in out
    reviewers = _reviewers(left)
    assert (reviewers[T1_CYCLE], reviewers[T2_CYCLE]) == ("M1", "M2")


def test_a_reassign_dry_run_says_what_would_change_and_writes_nothing(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _versions(left)

    code, out, err = run(
        capsys,
        *("person", "reassign", "M1", "--store", left, "--school", "oak", "--to", "M2"),
        *("--on", ON, "--dry-run"),
    )

    assert code == 0, err
    assert "Would move 2 cycles from Mo Lead (M1) to Max Lead (M2)" in out
    assert "(dry run: nothing was written)" in err
    assert before == _versions(left)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--to", "X9"), "new reviewer 'X9' is not on the staff of this school"),
        (("--to", "M1"), "the new reviewer is 'M1' already"),
        (("--to", "T1"), f"new reviewer 'T1' is the reviewee of cycle '{T1_CYCLE}'"),
        (("--to", "M2", "--cycle", "nope"), "no cycle 'nope'"),
        (("--to", "M2", "--cycle", "2026-T3-england-teacher"), "is reviewed by M2, not 'M1'"),
        (("--to", "M2", "--school", "elm"), "no school 'elm'"),
        (("--to", "M2", "--on", "2031-01-01"), "no later than"),
        (("--to", "M2", "--as", "reviewee", "--user", "T1"), "cannot assign_reviewer"),
    ],
)
def test_a_reassign_that_cannot_be_done_is_refused_and_writes_nothing(
    left: str, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], message: str
) -> None:
    """Exit 2, one clear message naming what is wrong, no traceback, nothing written."""
    before = _versions(left)
    school = () if "--school" in extra else ("--school", "oak")

    code, _, err = run(
        capsys, "person", "reassign", "M1", "--store", left, *school, "--on", ON, *extra
    )

    assert code == 2
    _no_traceback(err)
    assert message in err
    assert before == _versions(left)


def test_a_new_reviewer_who_has_left_is_refused(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run(capsys, "person", "leave", "--store", left, "--school", "oak", "M2", "--on", LEFT)[0]
        == 0
    )

    code, _, err = run(
        capsys,
        *("person", "reassign", "M1", "--store", left, "--school", "oak", "--to", "M2"),
        *("--on", ON),
    )

    assert code == 2
    assert "new reviewer 'M2' (Max Lead) left on 2026-10-30" in err
    assert "@ --to" in err


def test_someone_who_reviews_no_open_cycle_has_nothing_to_reassign(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "person", "reassign", "T3", "--store", left, "--school", "oak", "--to", "M2"
    )

    assert code == 2
    assert "'T3' reviews no open cycle in this school" in err
    assert "@ PERSON" in err


# ------------------------------------------------------------------ 4. an old roster again


def test_an_old_roster_naming_a_leaver_as_reviewer_is_refused(
    left: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After the move, the old roster would have made M1 T1's and T2's reviewer again."""
    assert (
        run(
            capsys,
            *("person", "reassign", "M1", "--store", left, "--school", "oak", "--to", "M2"),
            *("--on", ON),
        )[0]
        == 0
    )
    before = _versions(left)

    for dry_run in ((), ("--dry-run",)):
        code, _, err = run(
            capsys,
            *("plan", "--store", left, "--template", "england-teacher", "--year", "2026"),
            *("--roster", str(tmp_path / "staff.csv"), "--school", "oak", *dry_run),
        )

        assert code == 2
        _no_traceback(err)
        assert f"error: {tmp_path / 'staff.csv'}: 2 problems found:" in err
        assert (
            "reviewer_id 'M1' of 'T1' left school 'oak' on 2026-10-30: a leaver reviews "
            "nobody" in err
        )
        assert "@ row 5, column reviewer_id" in err
        assert "@ row 6, column reviewer_id" in err
    assert before == _versions(left)
    assert _reviewers(left)["T1"] == "M2"


def test_a_roster_with_the_leaving_date_column_is_its_own_word_on_who_left() -> None:
    """The roster's own leaving_date column counts; a leaver's own reviewer is not checked."""
    text = (
        "id,name,roles,reviewer_id,leaving_date\n"
        "H1,Dee Head,headteacher,,\n"
        "M1,Mo Lead,middle_leader,H1,2026-10-30\n"
        "T1,Anna Patel,teacher,M1,\n"
        "T2,Ben Okafor,teacher,M1,2026-10-01\n"
    )

    with pytest.raises(Exception, match=r"reviewer_id 'M1' of 'T1' left .* @ row 4") as caught:
        parse_roster(text, school_id="oak", source="staff.csv", stored={}, as_of=date(2026, 11, 2))

    assert "'T2'" not in str(caught.value)
    assert parse_roster(text, school_id="oak", stored={}, as_of=date(2026, 10, 30))


def test_an_old_roster_with_a_blank_leaving_date_column_brings_no_leaver_back(
    left: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Blank leaving_date cells (an old roster, or roster_rows') are no word on who left.

    Before, a blank cell read as "has not left": the roster made M1 T1's and T2's reviewer
    again and cleared the departure ``person leave`` recorded.
    """
    lines = ROSTER.splitlines()
    old = "\n".join([lines[0] + ",leaving_date"] + [line + "," for line in lines[1:]]) + "\n"
    (tmp_path / "old.csv").write_text(old, encoding="utf-8")
    before = _versions(left)

    for dry_run in ((), ("--dry-run",)):
        code, _, err = run(
            capsys,
            *("plan", "--store", left, "--template", "england-teacher", "--year", "2026"),
            *("--roster", str(tmp_path / "old.csv"), "--school", "oak", *dry_run),
        )

        assert code == 2
        _no_traceback(err)
        assert "reviewer_id 'M1' of 'T1' left school 'oak' on 2026-10-30" in err
        assert "@ row 5, column reviewer_id" in err
        assert "leaving_date of 'M1' ('Mo Lead') in school 'oak' is blank, but 2026-10-30" in err
        assert "--accept-reinstatements" in err
        assert "person leave M1 --school oak --clear" in err
        assert "@ row 3, column leaving_date" in err
    assert before == _versions(left)
    with open_store(left) as store:
        assert store.staff.get("oak", "M1").leaving_date == date(2026, 10, 30)


def test_cleared_leavers_names_only_past_departures_the_roster_leaves_blank() -> None:
    people = parse_roster(
        "id,name,roles,leaving_date\nM1,Mo Lead,teacher,\nM2,Max Lead,teacher,\n"
        "M3,Al Lead,teacher,2026-10-30\n",
        school_id="oak",
    )
    stored = {
        person: StaffMember(
            id=person, name="x", school_id="oak", roles={Role.TEACHER}, leaving_date=day
        )
        for person, day in (
            ("M1", date(2026, 10, 30)), ("M2", date(2026, 12, 31)), ("M3", date(2026, 10, 1))
        )
    }  # fmt: skip

    problems = cleared_leavers(people, stored, on=date(2026, 11, 2), rows={"M1": 2})

    assert problems == [
        "leaving_date of 'M1' ('x') in school 'oak' is blank, but 2026-10-30 is stored: a "
        "roster exported before the leaving date was recorded (devcycle person leave) would "
        "put them back on the staff; give that date, or plan with --accept-reinstatements if "
        "they are genuinely staying (devcycle person leave M1 --school oak --clear if it was "
        "recorded in error) @ row 2, column leaving_date"
    ]


def test_departed_reviewers_reads_who_left_from_the_store_without_the_column() -> None:
    people = parse_roster(
        "id,name,roles,reviewer_id\nM1,Mo Lead,teacher,\nT1,Anna Patel,teacher,M1\n",
        school_id="oak",
    )
    gone = StaffMember(
        id="M1", name="Mo Lead", school_id="oak", roles={Role.TEACHER},
        leaving_date=date(2026, 10, 30),
    )  # fmt: skip

    problems = departed_reviewers(
        people, {"M1": gone}, on=date(2026, 11, 2), school_id="oak", carries_leaving_date=False
    )

    assert len(problems) == 1
    assert problems[0].endswith("@ column reviewer_id")


# ------------------------------------------------------------------ 5. the dry-run planner


def test_the_dry_run_lists_who_would_get_a_new_reviewer(
    left: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A corrected roster: T1 and T2 to M2; the open cycles keep M1 until moved."""
    fixed = ROSTER.replace(",ks2,M1\n", ",ks2,M2\n")
    (tmp_path / "fixed.csv").write_text(fixed, encoding="utf-8")
    before = _versions(left)

    code, out, err = run(
        capsys,
        *("plan", "--store", left, "--template", "england-teacher", "--year", "2026"),
        *("--roster", str(tmp_path / "fixed.csv"), "--school", "oak", "--dry-run"),
    )

    assert code == 0, err
    assert "Would give 2 people a new reviewer from the roster:" in out
    assert "  T1  Anna Patel: Mo Lead (M1) -> Max Lead (M2)" in out
    assert (
        f"    open cycle {T1_CYCLE} keeps Mo Lead (M1) as reviewer; move it with: devcycle "
        f"person reassign M1 --school oak --cycle {T1_CYCLE} --to M2"
    ) in out
    assert before == _versions(left)


# ------------------------------------------------------------------ 6. proformas


def test_team_and_all_staff_proformas_leave_out_leavers(
    left: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for chosen in (("--team", "ks2"), ("--all",)):
        folder = tmp_path / chosen[0].strip("-")
        code, _, err = run(
            capsys,
            *("proforma", "--store", left, "--school", "oak", *chosen, "--stage", "planning"),
            *("--audience", "reviewer", "--format", "md", "--as-of", ON, "-o", f"{folder}/"),
        )

        assert code == 0, err
        assert "Left out 1 leaver (left before 2026-11-02): M1" in err
        assert "M1-planning-reviewer.md" not in {p.name for p in folder.iterdir()}
        assert "T1-planning-reviewer.md" in {p.name for p in folder.iterdir()}


def test_a_leaver_s_own_proforma_can_still_be_written(
    left: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        *("proforma", "--store", left, "--school", "oak", "--person", "M1", "--stage", "final"),
        *("--audience", "reviewer", "--format", "md", "--as-of", ON),
        *("-o", str(tmp_path / "m1.md")),
    )

    assert code == 0, err
    assert (tmp_path / "m1.md").exists()


def test_the_real_run_says_who_got_a_new_reviewer_and_leaves_stored_cycles_alone(
    left: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixed = ROSTER.replace(",ks2,M1\n", ",ks2,M2\n")
    (tmp_path / "fixed.csv").write_text(fixed, encoding="utf-8")

    code, out, err = run(
        capsys,
        *("plan", "--store", left, "--template", "england-teacher", "--year", "2026"),
        *("--roster", str(tmp_path / "fixed.csv"), "--school", "oak"),
    )

    assert code == 0, err
    assert "Gave 2 people a new reviewer from the roster:" in out
    assert f"open cycle {T2_CYCLE} keeps Mo Lead (M1) as reviewer" in out
    reviewers = _reviewers(left)
    assert (reviewers["T1"], reviewers["T2"], reviewers[T1_CYCLE]) == ("M2", "M2", "M1")
