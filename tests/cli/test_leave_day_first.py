"""``person leave --on`` takes a day-first DD/MM/YYYY date, read as the roster reads it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.cli.test_leavers_cli import run, url  # noqa: F401 - the fixture

from devcycle.cli._dates import DAY_FIRST
from devcycle.interop._day import parse_day
from devcycle.storage import open_store


def _leaving(store: str, person: str) -> date | None:
    with open_store(store) as opened:
        return next(m for m in opened.staff.for_school("oak") if m.id == person).leaving_date


def test_person_leave_takes_a_day_first_date(
    url: str,  # noqa: F811 - the fixture
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``--on 30/10/2026`` is 30 October 2026, as in a roster; it used to exit 2."""
    code, out, err = run(
        capsys, "person", "leave", "T3", "--school", "oak", "--store", url, "--on", "30/10/2026"
    )

    assert code == 0, err
    assert "T3 leaves oak on 2026-10-30" in out
    assert _leaving(url, "T3") == date(2026, 10, 30)


@pytest.mark.parametrize(
    ("given_", "why"),
    [
        ("10/30/2026", "month 30 is not 1 to 12"),
        ("31/02/2026", "no day 31 in month 2"),
        ("30-10-2026", "YYYY-MM-DD or DD/MM/YYYY"),
    ],
)
def test_a_month_first_or_impossible_date_is_refused_and_nothing_written(
    url: str,  # noqa: F811 - the fixture
    capsys: pytest.CaptureFixture[str],
    given_: str,
    why: str,
) -> None:
    """Exit 2 naming the option, the forms accepted and why; the staff record is untouched."""
    code, _, err = run(
        capsys, "person", "leave", "T3", "--school", "oak", "--store", url, "--on", given_
    )

    assert code == 2
    assert "'--on'" in err
    assert why in err
    assert "Traceback" not in err
    assert _leaving(url, "T3") is None


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_the_option_reads_as_the_roster_reads(day: date) -> None:
    """Both forms of a day give the day the roster reader gives: one reading, not two."""
    uk = f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    for text in (uk, day.isoformat()):
        assert DAY_FIRST.convert(text, None, None).date() == parse_day(text, day_first=True) == day


def test_the_help_shows_both_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "person", "leave", "--help")
    assert code == 0
    assert "--on YYYY-MM-DD|DD/MM/YYYY" in out
