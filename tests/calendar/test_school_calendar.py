"""School calendars: school-day arithmetic, terms and half-terms, and the England pattern."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from calendar_fixtures import ENGLAND, calendars, harrow_2024, preschool_2025
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain.calendar import (
    APPROXIMATE_NOTICE,
    CalendarError,
    SchoolCalendar,
    Term,
    england_pattern,
)


def test_weekends_holidays_breaks_and_bank_holidays_are_not_school_days() -> None:
    """Only weekdays in term, outside the break, and not bank holidays, are school days."""
    calendar = preschool_2025()

    assert calendar.is_school_day(date(2025, 9, 3))
    assert not calendar.is_school_day(date(2025, 9, 6))  # Saturday
    assert not calendar.is_school_day(date(2025, 10, 29))  # half-term
    assert not calendar.is_school_day(date(2025, 12, 22))  # Christmas holiday
    assert not calendar.is_school_day(date(2026, 5, 4))  # May Day bank holiday


def test_inset_days_are_school_days_but_not_pupil_days() -> None:
    """INSET days before term count as school days for staff, not for pupils."""
    calendar = preschool_2025()

    assert calendar.is_school_day(date(2025, 9, 1))
    assert calendar.is_inset_day(date(2025, 9, 1))
    assert not calendar.is_pupil_day(date(2025, 9, 1))
    assert calendar.is_pupil_day(date(2025, 9, 3))


def test_next_and_previous_school_day_skip_half_term() -> None:
    """The school day after the last day before half-term is the Monday after it."""
    calendar = preschool_2025()

    assert date(2025, 11, 3) == calendar.next_school_day(date(2025, 10, 24))
    assert date(2025, 10, 24) == calendar.previous_school_day(date(2025, 11, 3))
    assert date(2025, 10, 24) == calendar.school_day_on_or_before(date(2025, 10, 31))
    assert date(2025, 11, 3) == calendar.school_day_on_or_after(date(2025, 10, 31))


def test_ten_school_days_before_a_review_spans_more_than_two_calendar_weeks_over_half_term() -> (
    None
):
    """Counting school days skips weekends and the half-term break."""
    calendar = preschool_2025()

    notice = calendar.add_school_days(date(2025, 11, 7), -10)

    assert date(2025, 10, 17) == notice
    assert calendar.school_days_between(notice, date(2025, 11, 7)) == 10


def test_terms_half_terms_and_weeks_of_term() -> None:
    """Days map to their term, half-term and school week of term."""
    calendar = harrow_2024()

    assert calendar.term_of(date(2025, 2, 19)).name == "spring"  # type: ignore[union-attr]
    assert calendar.half_term_of(date(2025, 2, 19)) is None
    assert calendar.half_term_of(date(2025, 3, 3)).name == "spring-2"  # type: ignore[union-attr]
    assert calendar.term_of(date(2025, 8, 1)) is None
    assert calendar.week_of_term(date(2024, 9, 4)) == 1
    assert date(2024, 9, 9) == calendar.nth_week_of_term(0, 2)
    assert len(calendar.half_terms) == 6


def test_school_weeks_between_ignores_holiday_weeks() -> None:
    """From the last week of autumn to the first week of spring is one school week."""
    calendar = harrow_2024()

    assert calendar.school_weeks_between(date(2024, 12, 20), date(2025, 1, 7)) == 1
    assert calendar.school_weeks_between(date(2024, 12, 20), date(2025, 1, 3)) == 0


def test_running_out_of_school_days_is_a_clear_error() -> None:
    """Arithmetic past the calendar's last term says so."""
    calendar = harrow_2024()

    with pytest.raises(CalendarError, match="no school day after 2025-07-22"):
        calendar.next_school_day(date(2025, 7, 22))


def test_overlapping_terms_are_rejected() -> None:
    """Terms must not overlap."""
    with pytest.raises(ValueError, match="overlap"):
        SchoolCalendar(
            name="bad",
            terms=[
                Term("a", date(2025, 9, 1), date(2025, 12, 19)),
                Term("b", date(2025, 12, 1), date(2026, 3, 27)),
            ],
        )


def test_a_break_outside_its_term_is_rejected() -> None:
    """A half-term break must lie inside its term."""
    with pytest.raises(ValueError, match="must lie strictly inside the term"):
        Term("a", date(2025, 9, 1), date(2025, 12, 19), date(2025, 12, 22), date(2025, 12, 26))


@pytest.mark.parametrize("year", range(2024, 2028))
def test_the_england_pattern_has_195_staff_days_and_190_pupil_days(year: int) -> None:
    """The generated year has the STPCD's 195 staff days, 5 of them INSET."""
    calendar = england_pattern(year, bank_holidays=ENGLAND)

    days = calendar.school_days()
    assert len(days) == 195
    assert sum(calendar.is_pupil_day(d) for d in days) == 190
    assert calendar.approximate
    assert calendar.notes.startswith(APPROXIMATE_NOTICE)


@pytest.mark.parametrize("year", range(2020, 2041))
def test_the_england_pattern_stays_close_to_195_days_in_any_year(year: int) -> None:
    """In a short year the summer term stops by 24 July, a few days short of 195."""
    calendar = england_pattern(year)

    days = calendar.school_days()
    assert 190 <= len(days) <= 195
    assert len(calendar.inset_days) == 5
    assert date(year + 1, 7, 15) <= calendar.terms[-1].end <= date(year + 1, 7, 24)
    assert calendar.approximate
    assert calendar.notes.startswith(APPROXIMATE_NOTICE)


def test_the_england_pattern_matches_the_harrow_2024_calendar_closely() -> None:
    """The approximate pattern reproduces the 2024/25 example's terms and breaks."""
    generated = england_pattern(2024, bank_holidays=ENGLAND)
    real = harrow_2024()

    assert [(t.break_start, t.break_end) for t in real.terms] == [
        (t.break_start, t.break_end) for t in generated.terms
    ]
    assert [t.end for t in real.terms] == [t.end for t in generated.terms]


def test_the_england_pattern_covers_several_years() -> None:
    """Two years give six terms, for a two-year ECT induction."""
    calendar = england_pattern(2026, years=2, bank_holidays=ENGLAND)

    assert len(calendar.terms) == 6
    assert calendar.name == "England (approximate) 2026/27 to 2027/28"


@given(calendars(), st.data())
def test_add_school_days_and_school_days_between_are_inverse(
    calendar: SchoolCalendar, data: st.DataObject
) -> None:
    """Adding n school days and counting them back gives n, and lands on a school day."""
    days = calendar.school_days()
    if len(days) < 3:
        return
    index = data.draw(st.integers(1, len(days) - 2))
    count = data.draw(st.integers(-index, len(days) - 1 - index))
    start = days[index]

    result = calendar.add_school_days(start, count)

    assert count == calendar.school_days_between(start, result)
    assert count == 0 or calendar.is_school_day(result)


@given(calendars(), st.data())
def test_next_and_previous_school_days_are_school_days_with_none_between(
    calendar: SchoolCalendar, data: st.DataObject
) -> None:
    """next_school_day and previous_school_day skip exactly the days that are not school days."""
    first, last = calendar.span
    day = data.draw(st.dates(first, last - timedelta(days=1)))
    days = calendar.school_days()
    if not days or day >= days[-1] or day <= days[0]:
        return

    after = calendar.next_school_day(day)
    before = calendar.previous_school_day(day)

    assert calendar.is_school_day(after)
    assert calendar.is_school_day(before)
    assert before < day < after
    assert calendar.school_days_between(day, after) == 1
    assert not any(
        calendar.is_school_day(before + timedelta(days=i))
        for i in range(1, (after - before).days)
        if before + timedelta(days=i) != day
    )


@given(calendars(), st.data())
def test_a_closure_removes_exactly_its_days(calendar: SchoolCalendar, data: st.DataObject) -> None:
    """Closing one day removes that day, and only it, from the school days."""
    first, last = calendar.span
    day = data.draw(st.dates(first, last))

    closed = calendar.with_closure(day, reason="Snow")

    assert not closed.is_school_day(day)
    assert set(calendar.school_days()) - {day} == set(closed.school_days())
