"""`devcycle person end-cycle`: a leaver's open cycle ended on leaving, from the command line.

Before, `person leave` recorded the leaving date and nothing could end the leaver's cycle:
`close` needs a final review the leaver will never have, so it stayed open for ever.

Oak and Elm (one trust) are planned for 2026 from the same roster, so their staff ids are
the same: Oak's T1 leaves; Elm's T1 stays.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from devcycle.cli import main
from devcycle.domain import CycleStatus
from devcycle.storage import open_store

ROSTER = (
    "id,name,roles,teams,reviewer_id\n"
    "H1,Dee Head,headteacher,slt,\n"
    "M1,Mo Lead,middle_leader;teacher,ks2,H1\n"
    "T1,Anna Patel,teacher,ks2,M1\n"
    "T2,Ben Okafor,teacher,ks2,M1\n"
)
LEFT = "2026-10-30"
CYCLE = "2026-T1-england-teacher"
HEAD = ("--as", "headteacher", "--user", "H1")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def url(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    (tmp_path / "staff.csv").write_text(ROSTER, encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'devcycle.db'}"
    for school in ("oak", "elm"):
        code, _, err = run(
            capsys,
            *("plan", "--store", store, "--template", "england-teacher", "--year", "2026"),
            *("--roster", str(tmp_path / "staff.csv"), "--school", school),
        )
        assert code == 0, err
    return store


@pytest.fixture
def left(url: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Oak's T1 has left."""
    code, _, err = run(
        capsys, "person", "leave", "--store", url, "--school", "oak", "T1", "--on", LEFT
    )
    assert code == 0, err
    return url


def _stored(url: str) -> list[tuple[str, str, str, int]]:
    with open_store(url) as store:
        return sorted(
            (c.school_id, c.id, c.status.value, c.version)
            for school in ("oak", "elm")
            for c in store.cycles.for_school(school)
        )


def _end(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str, str]:
    return run(capsys, "person", "end-cycle", "--store", url, *args)


def _refused(code: int, err: str, *expected: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.startswith("error: ")
    for text in expected:
        assert text in err, err


def test_a_leaver_s_cycle_is_ended_on_leaving(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _end(capsys, left, "--school", "oak", "T1", *HEAD, "--note", "Moved to Leeds.")

    assert code == 0, err
    assert f"Ended 1 cycle of Anna Patel (T1), who left on {LEFT}, on leaving" in out
    assert f"{CYCLE} was draft; now ended (not a completed review)" in out
    with open_store(left) as store:
        cycle = store.cycles.get("oak", CYCLE)
        assert cycle.status is CycleStatus.ENDED
        assert cycle.ending is not None
        assert cycle.ending.by == "H1"
        assert cycle.ending.on == date.today()
        assert cycle.ending.detail == f"left on {LEFT}; Moved to Leeds."
        assert store.cycles.get("elm", CYCLE).status is CycleStatus.DRAFT  # Elm's T1 stays
    _, shown, _ = run(capsys, "school", "show", "--store", left, "oak")
    assert "cycles: 3 (2 open, 1 ended on leaving)" in shown


def test_school_show_says_a_leaver_s_cycle_is_still_open_and_how_to_end_it(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, shown, _ = run(capsys, "school", "show", "--store", left, "oak")

    assert (
        f"T1           Anna Patel, left on {LEFT}; open cycle {CYCLE}: end it with devcycle "
        "person end-cycle T1 --school oak"
    ) in shown


def test_a_dry_run_says_what_would_change_and_writes_nothing(
    left: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _stored(left)

    code, out, err = _end(capsys, left, "--school", "oak", "T1", *HEAD, "--dry-run")

    assert code == 0, err
    assert out.startswith("Would end 1 cycle of Anna Patel (T1)")
    assert "(dry run: nothing was written)" in err
    assert _stored(left) == before


def test_the_day_may_be_given_day_first(left: str, capsys: pytest.CaptureFixture[str]) -> None:
    today = date.today()

    code, out, err = _end(
        capsys, left, "--school", "oak", "T1", *HEAD, "--on", today.strftime("%d/%m/%Y")
    )

    assert code == 0, err
    assert f"on leaving, on {today}" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("T2",), ["Ben Okafor (T2) has not left school 'oak'", "person leave T2", "@ PERSON"]),
        (("T1", "--on", "2026-10-29"), ["before Anna Patel (T1) left on 2026-10-30", "@ --on"]),
        (("T1", "--on", "31/02/2027"), ["invalid value for '--on'", "no day 31 in month 2"]),
        (("T1", "--cycle", "2026-T2-england-teacher"), ["is T2's, not T1's", "@ --cycle"]),
        (("T1", "--cycle", "nope"), ["no cycle 'nope'", "@ --cycle"]),
        (("T9",), ["no staff member 'T9'", "@ PERSON"]),
        (("T1", "--note", "two\nlines"), ["control character", "@ --note"]),
        (("T1", "--note", "x" * 501), ["is 501 characters long", "@ --note"]),
    ],
)
def test_bad_input_is_refused_with_exit_2_and_nothing_written(
    left: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], expected: list[str]
) -> None:
    before = _stored(left)

    code, _, err = _end(capsys, left, "--school", "oak", *HEAD, *args)

    _refused(code, err, *expected)
    assert _stored(left) == before


def test_a_day_in_the_future_is_refused(left: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = _stored(left)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()

    code, _, err = _end(capsys, left, "--school", "oak", "T1", *HEAD, "--on", tomorrow)

    _refused(code, err, f"{tomorrow} is in the future", "@ --on")
    assert _stored(left) == before


def test_a_cycle_already_ended_is_refused(left: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _end(capsys, left, "--school", "oak", "T1", *HEAD)[0] == 0
    before = _stored(left)

    code, _, err = _end(capsys, left, "--school", "oak", "T1", *HEAD, "--cycle", CYCLE)
    _refused(code, err, f"cycle '{CYCLE}' was already ended on {date.today()} by H1", "@ --cycle")
    code, _, err = _end(capsys, left, "--school", "oak", "T1", *HEAD)
    _refused(code, err, "'T1' has no open cycle to end", "(ended)")
    assert _stored(left) == before


@pytest.mark.parametrize(
    "who",
    [("--as", "reviewee", "--user", "T1"), ("--as", "reviewer", "--user", "M1")],
)
def test_neither_the_leaver_nor_their_reviewer_may_end_it(
    left: str, capsys: pytest.CaptureFixture[str], who: tuple[str, ...]
) -> None:
    before = _stored(left)

    code, _, err = _end(capsys, left, "--school", "oak", "T1", *who)

    _refused(code, err, "the policy does not let")
    assert _stored(left) == before


def test_school_b_s_t1_is_not_school_a_s(left: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The trust's other school reuses T1: it has not left there, and nothing of Elm changes."""
    before = _stored(left)

    code, _, err = _end(
        capsys, left, "--school", "elm", "T1", "--as", "headteacher", "--user", "H1"
    )

    _refused(code, err, "Anna Patel (T1) has not left school 'elm'")
    assert _stored(left) == before
    assert _end(capsys, left, "--school", "oak", "T1", *HEAD)[0] == 0
    after = _stored(left)
    assert [c for c in after if c[0] == "elm"] == [c for c in before if c[0] == "elm"]
