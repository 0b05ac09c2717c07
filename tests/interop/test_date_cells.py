"""A date cell exported with a midnight time (Excel's ``2027-01-04 00:00:00``) is that day in
every reader (roster, calendar CSV, objectives); any other time of day is refused, clearly."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.errors import ValidationError
from devcycle.interop._day import TimeOfDayError, parse_day
from devcycle.interop.calendars import parse_calendar_csv
from devcycle.interop.objectives import parse_objectives
from devcycle.interop.roster import parse_roster

MIDNIGHTS = ("", " 00:00", " 00:00:00", "T00:00:00", "T00:00:00.000", " 00:00:00Z")


@given(st.dates(), st.sampled_from(MIDNIGHTS))
def test_a_midnight_time_is_the_day(day: date, midnight: str) -> None:
    assert parse_day(f"{day.isoformat()}{midnight}") == day


@given(
    st.dates(),
    st.times().filter(lambda t: t.replace(tzinfo=None) != t.min),
    st.sampled_from(" T"),
)
def test_any_other_time_of_day_is_refused(day: date, time: object, sep: str) -> None:
    with pytest.raises(TimeOfDayError, match="time of day"):
        parse_day(f"{day.isoformat()}{sep}{time}")


@pytest.mark.parametrize("text", ["", "2027-13-01", "04/01/2027", "2027-01-04garbage", "x"])
def test_what_is_not_a_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any not-a-date message
        parse_day(text)


def test_the_roster_reads_a_midnight_start_date() -> None:
    people = parse_roster(
        "id,name,roles,start_date\nT1,Anna,teacher,2027-01-04 00:00:00\n", school_id="oak"
    )
    assert people[0].start_date == date(2027, 1, 4)


def test_the_roster_refuses_a_start_date_with_a_time_of_day() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_roster(
            "id,name,roles,start_date\nT1,Anna,teacher,2027-01-04 09:30:00\n", school_id="oak"
        )
    assert [str(p) for p in caught.value.problems] == [
        "start_date must be a date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-09-01 or "
        "01/09/2026, not a time of day (got '2027-01-04 09:30:00'; a midnight time such as "
        "00:00:00, as spreadsheets export dates, is accepted) @ row 2, column start_date"
    ]


def test_a_calendar_csv_reads_midnight_dates_and_refuses_other_times() -> None:
    calendar = parse_calendar_csv(
        "kind,name,start,end\nterm,Spring,2027-01-04 00:00:00,2027-03-26 00:00:00\n",
        name="oak",
    )
    assert (calendar.terms[0].start, calendar.terms[0].end) == (date(2027, 1, 4), date(2027, 3, 26))
    with pytest.raises(ValidationError, match=r"end must be a date as YYYY-MM-DD, not a time"):
        parse_calendar_csv(
            "kind,name,start,end\nterm,Spring,2027-01-04,2027-03-26 15:30\n", name="oak"
        )


def test_an_objective_deadline_reads_a_midnight_time_and_refuses_another() -> None:
    header = "id,text,deadline\n"
    text = "Raise Year 4 reading so that 80% of pupils meet the expected standard"
    records = parse_objectives(f'{header}o1,"{text}",2027-07-16 00:00:00\n', "csv")
    assert records[0].objective is not None
    assert records[0].objective.deadline == date(2027, 7, 16)
    with pytest.raises(ValidationError, match=r"deadline must be a date as YYYY-MM-DD, not"):
        parse_objectives(f'{header}o1,"{text}",2027-07-16 12:00:00\n', "csv")


def test_a_yaml_deadline_read_as_a_midnight_datetime_is_the_day() -> None:
    """YAML reads ``2027-07-16 00:00:00`` as a datetime: the deadline is the day."""
    records = parse_objectives(
        "- id: o1\n  text: Raise Year 4 reading\n  deadline: 2027-07-16 00:00:00\n", "yaml"
    )
    assert records[0].objective is not None
    assert records[0].objective.deadline == date(2027, 7, 16)
