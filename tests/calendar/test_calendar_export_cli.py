"""``devcycle calendar export``: unknown --staff/--team, --remind range, both options."""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("calendar-export")
    url = f"sqlite:///{folder / 'demo.db'}"
    assert main(["demo", "--store", url, "--reports", str(folder / "reports")]) == 0
    return url


@pytest.mark.parametrize("fmt", ["ics", "table"])
@pytest.mark.parametrize(
    ("option", "value", "expect"),
    [
        ("--staff", "NOPE", "--staff: no member of staff 'NOPE' in school 'oakfield'"),
        ("--team", "NOPE", "--team: no team 'NOPE' in school 'oakfield'"),
        ("--team", "ks", "did you mean 'ks2'?"),
    ],
)
def test_an_unknown_staff_or_team_is_refused(
    store: str,
    tmp_path: Path,
    option: str,
    value: str,
    expect: str,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A typo is an error naming the option and the school, not an empty calendar."""
    out = tmp_path / "x.ics"
    argv = ["calendar", "export", "--store", store, "--school", "oakfield", "--format", fmt]

    assert main([*argv, option, value, "-o", str(out)]) == 2

    captured = capsys.readouterr()
    assert expect in captured.err
    assert captured.out == ""
    assert not out.exists()


@pytest.mark.parametrize("days", ["366", "1000000000", "100000000000", "-1"])
def test_remind_out_of_range_is_a_usage_error(
    store: str, tmp_path: Path, days: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--remind takes 0 to 365 days; more is refused with the range, never an overflow."""
    out = tmp_path / "x.ics"
    argv = ["calendar", "export", "--store", store, "--school", "oakfield", "-o", str(out)]

    assert main([*argv, "--remind", days]) == 2

    err = capsys.readouterr().err
    assert "'--remind'" in err
    assert "0<=x<=365" in err
    assert "internal error" not in err
    assert not out.exists()


def test_remind_a_year_ahead_is_accepted(store: str, tmp_path: Path) -> None:
    out = tmp_path / "x.ics"
    argv = ["calendar", "export", "--store", store, "--school", "oakfield", "-o", str(out)]

    assert main([*argv, "--remind", "365", "--remind", "0"]) == 0

    assert b"TRIGGER:-P365D" in out.read_bytes()


def test_staff_and_team_together_are_refused(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--team is not silently ignored beside --staff."""
    argv = ["calendar", "export", "--store", store, "--school", "oakfield"]

    assert main([*argv, "--staff", "T006", "--team", "eyfs-ks1"]) == 2

    captured = capsys.readouterr()
    assert "choose --staff or --team, not both" in captured.err
    assert captured.out == ""


def test_a_known_staff_or_team_still_exports(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["calendar", "export", "--store", store, "--school", "oakfield"]

    assert main([*argv, "--staff", "T006"]) == 0
    assert main([*argv, "--team", "ks2"]) == 0

    assert capsys.readouterr().out.count("BEGIN:VCALENDAR") == 2


@pytest.mark.parametrize("fmt", ["ics", "table"])
def test_the_export_is_under_the_access_policy(
    store: str, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """It names people (milestones, CPD, attendees' emails): --as/--user, as other commands.

    A reviewee exports their own calendar, not the school's; nothing is written when refused.
    """
    out = tmp_path / "x.ics"
    argv = ["calendar", "export", "--store", store, "--school", "oakfield", "--format", fmt]
    reviewee = ("--as", "reviewee", "--user", "E009")

    assert main([*argv, *reviewee, "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert "cannot read_cycle" in captured.err
    assert "E009 as reviewee" in captured.err
    assert captured.out == ""
    assert not out.exists()

    assert main([*argv, "--as", "headteacher", "--user", "E009", "-o", str(out)]) == 2
    assert "cannot read_school" in capsys.readouterr().err
    assert not out.exists()

    assert main([*argv, *reviewee, "--staff", "E009", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main([*argv, "--as", "headteacher", "--user", "H001", "-o", str(out)]) == 0
    assert main([*argv, "-o", str(out)]) == 0  # the system, by default, as before
