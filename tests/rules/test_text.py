"""Text analysis: the time expressions the issue lists, dates, and lexicon matching."""

from __future__ import annotations

from datetime import date

import pytest

from devcycle.rules import Analysis, Lexicons, check, dates_in

TIME_BOUND = [
    "Run the group by 31/3/27.",
    "Run the group by Easter.",
    "Run the group by the end of the spring term.",
    "Run the group within this cycle.",
    "Run the group over the next two half-terms.",
    "Run the group during 2026-27.",
    "Run the group by the end of Year 10.",
    "Run the group from January to July.",
    "Run the group within this appraisal cycle.",
    "Run the group by 31 March 2027.",
    "Run the group before the February mocks.",
    "Run the group until May half term.",
    "Run the group this academic year.",
    "Run a six-week programme for the group from January.",
    "Run the group in summer 2027.",
]
NOT_TIME_BOUND = [
    "Run the group termly.",
    "Run the group weekly.",
    "Run the group, starting in September.",
    "Reply to parents within two days.",
    "Run the group at the next inspection.",
    "Run the group every year.",
]


@pytest.mark.parametrize("text", TIME_BOUND)
def test_time_frames_in_every_form_are_time_bound(text: str) -> None:
    """Each way of writing a time frame with an end point counts."""
    assert check(text).time_bound


@pytest.mark.parametrize("text", NOT_TIME_BOUND)
def test_frequencies_and_open_starts_are_not_time_bound(text: str) -> None:
    """A bare frequency or a start with no end is not a time frame."""
    assert not check(text).time_bound


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by 31/3/27", date(2027, 3, 31)),
        ("by 31.03.2027", date(2027, 3, 31)),
        ("by 2027-03-31.", date(2027, 3, 31)),
        ("by 31 March 2027", date(2027, 3, 31)),
        ("by 1st December", date(2026, 12, 1)),
        ("by July 2027", date(2027, 7, 31)),
        ("by February 2028", date(2028, 2, 29)),
    ],
)
def test_dates_in_text(text: str, expected: date) -> None:
    """Dates are read day first, with the given year when the text has none."""
    assert [d for _span, d in dates_in(text, today_year=2026)] == [expected]


def test_impossible_dates_are_ignored() -> None:
    """31/2/27 is not a date."""
    assert dates_in("by 31/2/27 or 99/99/9999") == ()


def test_lexicon_additions_are_literal_and_apostrophe_tolerant() -> None:
    """School additions match as words, with straight or curly apostrophes."""
    lexicons = Lexicons({"x": []}).extended({"x": ["head's office"]})

    assert Analysis("Tidy the head\u2019s office.", lexicons).spans("x") == ((9, 22),)
    assert Analysis("Tidy the heads office.", lexicons).spans("x") == ()


def test_every_builtin_lexicon_compiles() -> None:
    """The shipped lexicons are valid patterns."""
    lexicons = Lexicons.builtin()

    assert all(lexicons.compiled(name) is not None for name in lexicons.names)
