"""A roster's date columns read UK dates, day first (``01/09/2026`` is 1 September 2026),
as well as ISO; a month-first or otherwise unreadable date is refused, naming the file, row
and column and showing both accepted forms (a user trial's gap: UK dates were refused)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.cli import main
from devcycle.errors import ValidationError
from devcycle.interop._day import DayFirstError, TimeOfDayError, parse_day
from devcycle.interop.roster import parse_roster
from devcycle.storage import open_store

FOUR_DIGIT_YEARS = st.dates(min_value=date(1000, 1, 1))
BOTH_FORMS = "a date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-09-01 or 01/09/2026"


@given(FOUR_DIGIT_YEARS, st.booleans(), st.sampled_from(("", " 00:00", " 00:00:00", "T00:00")))
def test_a_day_first_date_is_that_day(day: date, padded: bool, midnight: str) -> None:
    text = (
        f"{day.day:02}/{day.month:02}/{day.year}" if padded else f"{day.day}/{day.month}/{day.year}"
    )
    assert day == parse_day(f"{text}{midnight}", day_first=True)


@given(FOUR_DIGIT_YEARS.filter(lambda d: d.day > 12))
def test_a_month_first_date_is_refused_never_misread(day: date) -> None:
    """09/30/2026 names no month 30: refused, not read as 30 September."""
    with pytest.raises(DayFirstError, match="never month first"):
        parse_day(f"{day.month:02}/{day.day:02}/{day.year}", day_first=True)


@given(FOUR_DIGIT_YEARS)
def test_iso_still_reads_with_day_first(day: date) -> None:
    assert day == parse_day(day.isoformat(), day_first=True)


@pytest.mark.parametrize(
    "text",
    ["2026/13/01", "2026/09/01", "01/09/26", "01-09-2026", "01.09.2026", "1/9", "31/02/2026"],
)
def test_other_forms_are_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any not-a-date message
        parse_day(text, day_first=True)


def test_a_day_first_date_with_a_time_of_day_is_refused() -> None:
    with pytest.raises(TimeOfDayError, match=r"09:30"):
        parse_day("01/09/2026 09:30", day_first=True)


def test_without_day_first_a_slashed_date_is_still_refused() -> None:
    """Calendars and objectives read ISO only: day_first is the roster's choice."""
    with pytest.raises(ValueError):  # noqa: PT011 - any not-a-date message
        parse_day("01/09/2026")


def test_the_roster_reads_uk_start_and_leaving_dates() -> None:
    people = parse_roster(
        "id,name,roles,start_date,leaving_date\n"
        "T1,Anna,teacher,01/09/2026,31/07/2027\n"
        "T2,Ben,teacher,2026-09-01,\n",
        school_id="oak",
    )

    assert [(p.start_date, p.leaving_date) for p in people] == [
        (date(2026, 9, 1), date(2027, 7, 31)),
        (date(2026, 9, 1), None),
    ]


def test_the_roster_names_row_and_column_of_a_bad_date_and_shows_both_forms() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_roster(
            "id,name,roles,start_date,leaving_date\n"
            "T1,Anna,teacher,09/30/2026,\n"
            "T2,Ben,teacher,,2026/13/01\n",
            school_id="oak",
            source="staff.csv",
        )

    assert [str(p) for p in caught.value.problems] == [
        f"start_date must be {BOTH_FORMS} (got '09/30/2026': month 30 is not 1 to 12; dates "
        "with slashes are read day first, DD/MM/YYYY, never month first) @ row 2, column "
        "start_date",
        f"leaving_date must be {BOTH_FORMS} (got '2026/13/01') @ row 3, column leaving_date",
    ]


def test_plan_takes_a_uk_dated_roster_and_refuses_a_month_first_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On the command line: exit 2, the file, row and column, no traceback, no store."""
    roster = tmp_path / "staff.csv"
    store = f"sqlite:///{tmp_path / 'devcycle.db'}"
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--store", store]
    roster.write_text(
        "id,name,roles,start_date\nH1,Dee,headteacher,\nT1,Anna,teacher,12/31/2026\n",
        encoding="utf-8",
    )

    code = main([*args, "--roster", str(roster), "--school", "oak"])

    err = capsys.readouterr().err
    assert code == 2
    assert f"{roster}: 1 problem found" in err
    assert "(got '12/31/2026': month 31 is not 1 to 12" in err
    assert "@ row 3, column start_date" in err
    assert "Traceback" not in err
    assert not (tmp_path / "devcycle.db").exists()

    roster.write_text(
        "id,name,roles,start_date\nH1,Dee,headteacher,\nT1,Anna,teacher,04/01/2027\n",
        encoding="utf-8",
    )
    assert main([*args, "--roster", str(roster), "--school", "oak"]) == 0
    capsys.readouterr()
    with open_store(store) as opened:
        assert date(2027, 1, 4) == opened.staff.get("oak", "T1").start_date


_SLASHED = st.from_regex(r"\A[0-9]{1,3}/[0-9]{1,3}/[0-9]{2,5}( 00:00| 09:30)?\Z", fullmatch=True)


@given(st.one_of(_SLASHED, st.text(max_size=24)))
def test_any_cell_is_read_day_first_or_refused_with_a_value_error(text: str) -> None:
    """Never another exception; a slashed date read is day/month/year, exactly as written."""
    try:
        day = parse_day(text, day_first=True)
    except ValueError:
        return
    if "/" in text:
        d, m, y = text.strip().split(" ")[0].split("/")
        assert (day.day, day.month, day.year) == (int(d), int(m), int(y))
        assert len(y) == 4


def test_only_ascii_digits_make_a_day_first_date() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any not-a-date message
        parse_day("\u0660\u0661/\u0660\u0669/\u0662\u0660\u0662\u0666", day_first=True)
