"""`new_entry` builds what ``HistoryEntry(...)`` builds: the same entry, or the same error.

A cycle's methods log each call through `new_entry`, which sets the slots directly when the
values are of the exact types the class's validators accept, and otherwise calls the
validating constructor. That is only sound while the class has no converters and no
``__attrs_post_init__``, and validates exactly ``on`` (a date) and ``by``, ``action`` and
``target`` (text): the first test pins that, the others compare the two ways of building
on valid and hostile values, with validators on and off.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain import Cycle, HistoryEntry
from devcycle.domain._validate import a_date, plain_text
from devcycle.domain.history import new_entry
from devcycle.errors import ValidationError


class _Text(str):
    pass


class _Day(date):
    pass


def test_the_class_is_what_the_fast_path_assumes() -> None:
    fields = attrs.fields(HistoryEntry)
    assert [f.name for f in fields] == [
        "on",
        "by",
        "action",
        "target",
        "from_state",
        "to_state",
        "detail",
    ]
    assert all(f.converter is None for f in fields)
    assert {f.name: f.validator for f in fields} == {
        "on": a_date,
        "by": plain_text,
        "action": plain_text,
        "target": plain_text,
        "from_state": None,
        "to_state": None,
        "detail": None,
    }
    assert not hasattr(HistoryEntry, "__attrs_post_init__")
    assert HistoryEntry.__subclasses__() == []


_ANY: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.text(max_size=12).map(_Text),
    st.dates(),
    st.dates().map(lambda d: _Day(d.year, d.month, d.day)),
    st.datetimes(),
    st.integers(),
    st.booleans(),
    st.lists(st.text(max_size=3), max_size=2),
    st.tuples(st.text(max_size=3)),
)
_ON = st.one_of(st.dates(), _ANY)
_TEXT = st.one_of(st.text(max_size=20), _ANY)


def _new_entry(*args: Any) -> HistoryEntry:
    on, by, action, target, from_state, to_state, detail = args
    return new_entry(
        on, by, action, target, from_state=from_state, to_state=to_state, detail=detail
    )


def _build(builder: Any, args: tuple[Any, ...]) -> tuple[str, Any]:
    try:
        return "ok", builder(*args)
    except Exception as error:
        return "error", (type(error), str(error))


def _same(fast: tuple[str, Any], slow: tuple[str, Any]) -> None:
    assert fast[0] == slow[0]
    if fast[0] == "error":
        assert fast[1] == slow[1]
        return
    built, expected = fast[1], slow[1]
    assert type(built) is HistoryEntry
    assert built == expected
    for field in attrs.fields(HistoryEntry):
        assert getattr(built, field.name) is getattr(expected, field.name)


@given(
    on=_ON,
    by=_TEXT,
    action=_TEXT,
    target=_TEXT,
    from_state=_TEXT,
    to_state=_TEXT,
    detail=_TEXT,
)
def test_new_entry_equals_the_constructor(
    on: Any, by: Any, action: Any, target: Any, from_state: Any, to_state: Any, detail: Any
) -> None:
    args = (on, by, action, target, from_state, to_state, detail)
    _same(_build(_new_entry, args), _build(HistoryEntry, args))


@given(on=_ON, by=_TEXT, action=_TEXT, target=_TEXT, detail=_TEXT)
def test_new_entry_equals_the_constructor_with_validators_off(
    on: Any, by: Any, action: Any, target: Any, detail: Any
) -> None:
    args = (on, by, action, target, None, None, detail)
    attrs.validators.set_disabled(True)
    try:
        _same(_build(_new_entry, args), _build(HistoryEntry, args))
    finally:
        attrs.validators.set_disabled(False)


def test_hostile_values_get_the_constructors_error() -> None:
    day = date(2026, 9, 1)
    for args in (
        (datetime(2026, 9, 1, 12), "T1", "agree_objective", "cycle"),
        ("2026-09-01", "T1", "agree_objective", "cycle"),
        (day, 7, "agree_objective", "cycle"),
        (day, "T1", None, "cycle"),
        (day, "T1", "agree_objective", ("cycle",)),
    ):
        with pytest.raises(ValidationError) as fast:
            new_entry(*args)
        with pytest.raises(ValidationError) as slow:
            HistoryEntry(*args)
        assert type(fast.value) is type(slow.value)
        assert str(fast.value) == str(slow.value)


def test_the_cycle_logs_through_new_entry() -> None:
    cycle = Cycle(
        id="c1",
        school_id="s",
        staff_id="T1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    cycle.assign_reviewer("H1", by="H1", on=date(2026, 9, 2))
    cycle.start_planning(by="H1", on=date(2026, 9, 10))
    assert len(cycle.history) == 2
    for entry in cycle.history:
        assert type(entry) is HistoryEntry
        rebuilt = HistoryEntry(*(getattr(entry, f.name) for f in attrs.fields(HistoryEntry)))
        assert entry == rebuilt
    assert cycle.history[-1].action == "start_planning"
