"""Real term dates from domain-research.md §5.1, and Hypothesis strategies for calendars."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from hypothesis import strategies as st

from devcycle.domain.calendar import BankHoliday, SchoolCalendar, Term

ENGLAND_BANK_HOLIDAYS: dict[date, str] = {
    date(2024, 12, 25): "Christmas Day",
    date(2024, 12, 26): "Boxing Day",
    date(2025, 1, 1): "New Year's Day",
    date(2025, 4, 18): "Good Friday",
    date(2025, 4, 21): "Easter Monday",
    date(2025, 5, 5): "May Day",
    date(2025, 5, 26): "Spring Bank Holiday",
    date(2025, 8, 25): "Late Summer Bank Holiday",
    date(2025, 12, 25): "Christmas Day",
    date(2025, 12, 26): "Boxing Day",
    date(2026, 1, 1): "New Year's Day",
    date(2026, 4, 3): "Good Friday",
    date(2026, 4, 6): "Easter Monday",
    date(2026, 5, 4): "May Day",
    date(2026, 5, 25): "Spring Bank Holiday",
    date(2026, 8, 31): "Late Summer Bank Holiday",
    date(2026, 12, 25): "Christmas Day",
    date(2026, 12, 28): "Boxing Day (observed)",
    date(2027, 1, 1): "New Year's Day",
    date(2027, 3, 26): "Good Friday",
    date(2027, 3, 29): "Easter Monday",
    date(2027, 5, 3): "May Day",
    date(2027, 5, 31): "Spring Bank Holiday",
    date(2027, 8, 30): "Late Summer Bank Holiday",
    date(2027, 12, 27): "Christmas Day (observed)",
    date(2027, 12, 28): "Boxing Day (observed)",
    date(2028, 1, 3): "New Year's Day (observed)",
    date(2028, 4, 14): "Good Friday",
    date(2028, 4, 17): "Easter Monday",
    date(2028, 5, 1): "May Day",
    date(2028, 5, 29): "Spring Bank Holiday",
}


class FixedBankHolidays:
    """A `BankHolidays` port over a fixed mapping, as tests and embedders may write one."""

    def __init__(self, days: Mapping[date, str]) -> None:
        self.days = dict(days)

    def between(self, start: date, end: date) -> Mapping[date, str]:
        return {d: n for d, n in self.days.items() if start <= d <= end}


ENGLAND = FixedBankHolidays(ENGLAND_BANK_HOLIDAYS)


def harrow_2024() -> SchoolCalendar:
    """2024/25 at a Harrow school [S99]."""
    return SchoolCalendar(
        name="Harrow school 2024/25",
        terms=[
            Term(
                "autumn",
                date(2024, 9, 2),
                date(2024, 12, 20),
                date(2024, 10, 28),
                date(2024, 11, 1),
            ),
            Term(
                "spring", date(2025, 1, 6), date(2025, 4, 4), date(2025, 2, 17), date(2025, 2, 21)
            ),
            Term(
                "summer", date(2025, 4, 22), date(2025, 7, 22), date(2025, 5, 26), date(2025, 5, 30)
            ),
        ],
        source="domain-research.md §5.1 [S99]",
    ).with_bank_holidays(ENGLAND)


def preschool_2025() -> SchoolCalendar:
    """2025/26 at a preschool [S100]."""
    return SchoolCalendar(
        name="Preschool 2025/26",
        terms=[
            Term(
                "autumn",
                date(2025, 9, 3),
                date(2025, 12, 18),
                date(2025, 10, 27),
                date(2025, 10, 31),
            ),
            Term(
                "spring", date(2026, 1, 5), date(2026, 3, 27), date(2026, 2, 16), date(2026, 2, 20)
            ),
            Term(
                "summer", date(2026, 4, 13), date(2026, 7, 15), date(2026, 5, 25), date(2026, 5, 29)
            ),
        ],
        inset_days=[date(2025, 9, 1), date(2025, 9, 2)],
        source="domain-research.md §5.1 [S100]",
    ).with_bank_holidays(ENGLAND)


@st.composite
def calendars(draw: st.DrawFn, *, min_terms: int = 3, max_terms: int = 6) -> SchoolCalendar:
    """Any plausible calendar: consecutive terms with optional breaks, INSET days, closures."""
    start = draw(st.dates(date(2020, 8, 1), date(2030, 9, 30)))
    terms: list[Term] = []
    day = start
    for index in range(draw(st.integers(min_terms, max_terms))):
        length = draw(st.integers(20, 110))
        end = day + timedelta(days=length)
        brk = None
        if length >= 30 and draw(st.booleans()):
            offset = draw(st.integers(8, length - 16))
            brk = (day + timedelta(days=offset), day + timedelta(days=offset + 8))
        terms.append(Term(f"term-{index + 1}", day, end, *(brk or (None, None))))
        day = end + timedelta(days=draw(st.integers(1, 30)))
    last = terms[-1].end
    inset = draw(st.lists(st.dates(start - timedelta(days=5), last), max_size=5))
    holidays = draw(st.lists(st.dates(start, last), max_size=8))
    calendar = SchoolCalendar(
        name="generated",
        terms=terms,
        inset_days=inset,
        bank_holidays=[BankHoliday(d) for d in set(holidays)],
    )
    for closure_day in draw(st.lists(st.dates(start, last), max_size=3)):
        calendar = calendar.with_closure(closure_day, reason="Generated")
    return calendar


def kayes_2025_2027() -> SchoolCalendar:
    """2025/26 and 2026/27 at an English academy, as published on its term-dates page.

    Source: https://www.kayesacademy.co.uk/kgfl/primary/kayesprimary/site/pages/office/termdates
    (read for this test; domain-research.md §5.1 has no 2026/27 example).
    """
    return SchoolCalendar(
        name="Kayes Academy 2025/26 and 2026/27",
        terms=[
            Term(
                "autumn-2025",
                date(2025, 9, 2),
                date(2025, 12, 19),
                date(2025, 10, 27),
                date(2025, 10, 31),
            ),
            Term(
                "spring-2026",
                date(2026, 1, 5),
                date(2026, 3, 27),
                date(2026, 2, 16),
                date(2026, 2, 20),
            ),
            Term(
                "summer-2026",
                date(2026, 4, 13),
                date(2026, 7, 21),
                date(2026, 5, 25),
                date(2026, 5, 29),
            ),
            Term(
                "autumn-2026",
                date(2026, 9, 1),
                date(2026, 12, 18),
                date(2026, 10, 26),
                date(2026, 10, 30),
            ),
            Term(
                "spring-2027",
                date(2027, 1, 4),
                date(2027, 3, 25),
                date(2027, 2, 15),
                date(2027, 2, 19),
            ),
            Term(
                "summer-2027",
                date(2027, 4, 12),
                date(2027, 7, 21),
                date(2027, 5, 31),
                date(2027, 6, 4),
            ),
        ],
        inset_days=[
            date(2025, 9, 1),
            date(2025, 10, 24),
            date(2025, 12, 5),
            date(2026, 6, 1),
            date(2026, 7, 20),
            date(2026, 9, 1),
            date(2026, 10, 23),
            date(2026, 12, 4),
            date(2027, 5, 28),
            date(2027, 6, 7),
        ],
        source="https://www.kayesacademy.co.uk/kgfl/primary/kayesprimary/site/pages/office/termdates",
    ).with_bank_holidays(ENGLAND)


def plugin_template() -> object:
    """A template as a plug-in package would provide one (an entry point's target)."""
    from devcycle.domain.templates import CycleTemplate, MilestoneRule, Period

    return CycleTemplate(
        id="plugin-annual",
        title="Plug-in: annual review",
        period=Period(months=12),
        milestones=[MilestoneRule(id="review", title="Annual review", anchor="date:06-30")],
    )


def broken_plugin() -> object:
    """A plug-in that returns the wrong thing."""
    return {"id": "not-a-template"}
