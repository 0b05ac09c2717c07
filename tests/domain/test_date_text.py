"""`date_text` writes a day as `date.isoformat` does, remembering the days it has written."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle import serialization
from devcycle.serialization import converter, date_text


@given(st.dates())
def test_it_writes_what_isoformat_writes(day: dt.date) -> None:
    assert date_text(day) == day.isoformat()
    assert date_text(day) == day.isoformat()  # and again, remembered


class _Day(dt.date):
    """A date subclass whose own isoformat the converter never called (it calls date's)."""

    def isoformat(self) -> str:
        return "not this"


def test_a_subclass_is_written_as_a_date_and_not_remembered() -> None:
    day = _Day(2026, 9, 10)
    assert date_text(day) == "2026-09-10"
    assert not any(type(k) is _Day for k in serialization._DATE_TEXT)


def test_documents_write_dates_with_it() -> None:
    assert converter.get_unstructure_hook(dt.date) is date_text


def test_it_remembers_no_more_than_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serialization, "_DATE_TEXT", {})
    monkeypatch.setattr(serialization, "_DATE_TEXT_LIMIT", 5)
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=k) for k in range(20)]
    assert [date_text(d) for d in days] == [d.isoformat() for d in days]
    assert len(serialization._DATE_TEXT) == 5
