"""A headteacher's reviewer, and any cycle nobody reviews, on the command line (a user trial).

A data manager found that a headteacher's cycle could never be given a reviewer: `school
show` printed a hint that failed (``person reassign H1 --cycle ...`` refused a cycle
"reviewed by nobody"), there was no way to give a cycle with no reviewer its first one, and
a roster naming the governor who appraises the head (not on the staff) was refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main
from devcycle.errors import ValidationError
from devcycle.interop.roster import check_reviewers, parse_roster
from devcycle.storage import open_store

ROSTER = (
    "id,name,roles,reviewer_id\n"
    "H1,Helen Ashworth,headteacher,\n"
    "D1,Dan Deputy,senior_leader,H1\n"
    "T1,Ann Teach,teacher,\n"
)
HEAD_CYCLE = "2026-H1-england-headteacher"
T1_CYCLE = "2026-T1-england-teacher"
ON = "2026-11-02"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _plan(capsys: pytest.CaptureFixture[str], store: str, roster: Path) -> None:
    for template in ("england-headteacher", "england-teacher"):
        code, _, err = run(
            capsys,
            *("plan", "--store", store, "--template", template, "--year", "2026"),
            *("--roster", str(roster), "--school", "oak"),
        )
        assert code == 0, err


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """School 'oak': nobody reviews H1's (the head's) cycle nor T1's; D1 is reviewed by H1."""
    (tmp_path / "staff.csv").write_text(ROSTER, encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'devcycle.db'}"
    _plan(capsys, store, tmp_path / "staff.csv")
    return store


def _reviewers(url: str) -> dict[str, str | None]:
    with open_store(url) as store:
        cycles = {c.id: c.reviewer_id for c in store.cycles.for_school("oak")}
        staff = {m.id: m.reviewer_id for m in store.staff.for_school("oak")}
    return {**cycles, **staff}


def _needing(out: str) -> str:
    return out.split("Open cycles needing a reviewer")[1].split("Teams", maxsplit=1)[0]


def test_school_show_prints_a_command_that_works_for_each_cycle(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: one hint, ``person reassign REVIEWER ... --cycle CYCLE``, that always failed."""
    _, out, _ = run(capsys, "school", "show", "oak", "--store", url, "--as-of", ON)

    needing = _needing(out)
    assert f"{HEAD_CYCLE} Helen Ashworth (H1): no reviewer" in needing
    assert "REVIEWER" not in needing
    head_hint = f"devcycle person reassign --school oak --cycle {HEAD_CYCLE} --to GOVERNOR_ID"
    t1_hint = f"devcycle person reassign --school oak --cycle {T1_CYCLE} --to NEW_ID"
    assert f"record the governor who appraises Helen Ashworth (H1) with: {head_hint}" in needing
    assert t1_hint in needing

    # Each hint, followed, works: GOV1 (a governor, not on the staff) for the head.
    for hint, new in ((head_hint, "GOV1"), (t1_hint, "D1")):
        args = hint.removeprefix("devcycle ").split()
        args[-1] = new
        code, out, err = run(capsys, *args, "--store", url, "--on", ON)
        assert code == 0, err
        assert "Gave 1 cycle nobody reviewed to" in out

    reviewers = _reviewers(url)
    assert (reviewers[HEAD_CYCLE], reviewers["H1"]) == ("GOV1", "GOV1")
    assert (reviewers[T1_CYCLE], reviewers["T1"]) == ("D1", "D1")
    _, out, _ = run(capsys, "school", "show", "oak", "--store", url, "--as-of", ON)
    assert "Open cycles needing a reviewer (0):" in out


def test_a_first_reviewer_dry_run_writes_nothing(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        *("person", "reassign", "--store", url, "--school", "oak"),
        *("--cycle", T1_CYCLE, "--to", "D1", "--on", ON, "--dry-run"),
    )

    assert code == 0, err
    assert "Would give 1 cycle nobody reviewed to Dan Deputy (D1)" in out
    assert _reviewers(url)[T1_CYCLE] is None


@pytest.mark.parametrize(
    ("args", "where", "says"),
    [
        (("--to", "D1"), "--cycle", "name the cycles that have no reviewer"),
        (("--cycle", T1_CYCLE, "--to", "GOV1"), "--to", "only a headteacher's reviewer"),
        (("--cycle", T1_CYCLE, "--to", "T1"), "--to", "nobody reviews themself"),
        (("H1", "--cycle", HEAD_CYCLE, "--to", "D1"), "--cycle", "first reviewer"),
    ],
)
def test_a_bad_first_reviewer_is_refused_naming_the_option(
    url: str,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    where: str,
    says: str,
) -> None:
    code, _, err = run(capsys, "person", "reassign", "--store", url, "--school", "oak", *args)

    assert code == 2
    assert "Traceback" not in err
    assert says in err
    assert f"@ {where}" in err
    assert _reviewers(url)[T1_CYCLE] is None
    assert _reviewers(url)[HEAD_CYCLE] is None


# ------------------------------------------------------------------ the roster


GOVERNED = ROSTER.replace("headteacher,\n", "headteacher,GOV1\n")


def test_a_roster_names_the_governor_who_appraises_the_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: "reviewer_id 'GOV1' is not on the staff of school 'oak'", exit 2."""
    (tmp_path / "staff.csv").write_text(GOVERNED, encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'devcycle.db'}"

    _plan(capsys, store, tmp_path / "staff.csv")
    _plan(capsys, store, tmp_path / "staff.csv")  # run again, with H1 stored

    reviewers = _reviewers(store)
    assert (reviewers["H1"], reviewers[HEAD_CYCLE]) == ("GOV1", "GOV1")
    _, out, err = run(capsys, "school", "show", "oak", "--store", store, "--as-of", ON)
    assert HEAD_CYCLE not in _needing(out)
    assert "GOV1" not in err


def test_the_roster_check_takes_a_governor_for_the_head_alone() -> None:
    """parse_roster and check_reviewers: any id for the head, staff ids for everyone else."""
    people = parse_roster(GOVERNED, school_id="oak", stored=())
    check_reviewers(people, school_id="oak")
    assert {p.id: p.reviewer_id for p in people}["H1"] == "GOV1"

    teacher = GOVERNED.replace("T1,Ann Teach,teacher,\n", "T1,Ann Teach,teacher,GOV1\n")
    with pytest.raises(ValidationError, match=r"'GOV1' is not on the staff.*row 4") as caught:
        parse_roster(teacher, school_id="oak", stored=())
    assert "row 2" not in str(caught.value)
    with pytest.raises(ValidationError, match=r"'GOV1'.*'T1'"):
        check_reviewers(parse_roster(teacher, school_id="oak"), school_id="oak")
