"""The trusted path builds exactly what the validating path builds, from the stored form.

`serialization.from_trusted_dict` builds objects from the plain data `to_dict` wrote without
running converters and validators again (a store's own records load through it). That is
only sound if, on everything `to_dict` writes, it gives objects equal to `from_dict`'s,
field for field and type for type; and if data of another shape (a field missing or extra,
an unknown enum value, a malformed date) is handed to `from_dict`, which explains it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.domain.same_types import assert_same_types

from devcycle import serialization
from devcycle.domain import (
    CPDActivity,
    CPDOffering,
    Cycle,
    Framework,
    MeetingRating,
    ProcessSurvey,
    School,
    StaffMember,
    SurveyResponse,
    TrainingPlanEntry,
    Trust,
)
from devcycle.errors import ValidationError
from devcycle.testing import strategies as dst

KINDS: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Cycle, dst.cycles()),
    (School, dst.schools()),
    (Trust, dst.trusts()),
    (StaffMember, dst.staff_members()),
    (CPDActivity, dst.cpd_activities()),
    (CPDOffering, dst.cpd_offerings()),
    (Framework, dst.frameworks()),
    (MeetingRating, dst.meeting_ratings()),
    (ProcessSurvey, dst.process_surveys()),
    (SurveyResponse, dst.survey_responses()),
]


@pytest.mark.parametrize(("cls", "strategy"), KINDS, ids=lambda v: getattr(v, "__name__", ""))
def test_trusted_and_validating_paths_build_the_same_objects(
    cls: type[Any], strategy: st.SearchStrategy[Any]
) -> None:
    @given(strategy)
    def check(obj: Any) -> None:
        plain = serialization.to_dict(obj)

        trusted = serialization.from_trusted_dict(plain, cls)
        validated = serialization.from_dict(plain, cls)

        assert trusted == validated == obj
        assert getattr(trusted, "version", None) == getattr(validated, "version", None)
        assert_same_types(trusted, validated)
        assert serialization.to_dict(trusted) == plain

    check()


def _damaged(plain: dict[str, Any], how: str) -> dict[str, Any]:
    damaged = dict(plain)
    if how == "missing":
        del damaged["period_end"]
    elif how == "extra":
        damaged["colour"] = "blue"
    elif how == "enum":
        damaged["status"] = "finished"
    elif how == "date":
        damaged["period_start"] = "2026-13-45"
    elif how == "nested":
        damaged["history"] = [{**damaged["history"][0], "on": "yesterday"}]
    return damaged


@pytest.mark.parametrize("how", ["missing", "extra", "enum", "date", "nested"])
def test_data_of_another_shape_is_explained_by_the_validating_path(how: str) -> None:
    @given(dst.cycles())
    def check(cycle: Cycle) -> None:
        plain = serialization.to_dict(cycle)
        if how == "nested" and not plain["history"]:
            return
        damaged = _damaged(plain, how)

        with pytest.raises(ValidationError) as validated:
            serialization.from_dict(damaged, Cycle)
        with pytest.raises(ValidationError) as trusted:
            serialization.from_trusted_dict(damaged, Cycle)

        assert trusted.value.problems == validated.value.problems

    check()


def test_only_current_documents_take_the_trusted_path(monkeypatch: pytest.MonkeyPatch) -> None:
    school = School(id="S1", name="Oakfield")
    document = serialization.dump_document(school)
    calls: list[str] = []
    real = serialization.from_trusted_dict

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append("trusted")
        return real(*args, **kwargs)

    monkeypatch.setattr(serialization, "from_trusted_dict", counting)

    assert serialization.load_document(document) == school
    assert calls == []
    assert serialization.load_document(document, trusted=True) == school
    assert calls == ["trusted"]


def test_an_older_document_is_upgraded_and_validated_even_when_trusted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(serialization, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(serialization._UPGRADES, ("school", 1), lambda data: data)
    document = serialization.dump_document(School(id="S1", name="Oakfield"))
    document["schema_version"] = 1
    document["data"]["name"] = 7  # the trusted path would not notice; the validating one does

    with pytest.raises(ValidationError) as caught:
        serialization.load_document(document, trusted=True)

    assert caught.value.problems == ("expected text (got int 7) @ $.data.name",)


def _same_plain(a: Any, b: Any, path: str = "$") -> None:
    """Assert *a* and *b* are the same plain data: types, keys in the same order, values."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        assert list(a) == list(b), path
        for key in a:
            _same_plain(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            _same_plain(x, y, f"{path}[{index}]")
    else:
        assert a == b, path


@pytest.mark.parametrize(
    ("cls", "strategy"),
    [*KINDS, (TrainingPlanEntry, dst.training_plan_entries())],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_documents_are_dumped_exactly_as_the_converter_writes_them(
    cls: type[Any], strategy: st.SearchStrategy[Any]
) -> None:
    """`dump_document` writes each record with generated dumpers (issue 16): the same data."""

    @given(strategy)
    def check(obj: Any) -> None:
        _same_plain(serialization.dump_document(obj)["data"], serialization.to_dict(obj))

    check()


def test_registered_kinds_are_dumped_exactly_as_the_converter_writes_them() -> None:
    """Templates, calendars and rendered documents go through `dump_document` too."""
    from devcycle.catalogues.templates import template
    from devcycle.domain.calendar import england_pattern
    from devcycle.interop import calendars as _calendar_kind  # noqa: F401 - registers the kind
    from devcycle.render import json as json_kind
    from devcycle.testing.renderer_contract import every_element_document, hostile_document

    json_kind._register()  # as the JSON renderer does before writing a document
    for obj in (
        template("england-teacher"),
        england_pattern(2026),
        every_element_document(),
        hostile_document(),
    ):
        _same_plain(serialization.dump_document(obj)["data"], serialization.to_dict(obj))


@attrs.frozen(slots=False)
class _Unslotted:
    text: str
    count: int | None = None


@attrs.frozen
class _Slotted:
    name: str
    when: dt.date | None
    inner: _Unslotted
    items: tuple[_Unslotted, ...] = ()


_UNSLOTTED = st.builds(
    _Unslotted, st.text(max_size=5), st.none() | st.integers(min_value=-5, max_value=5)
)


@given(
    st.builds(
        _Slotted,
        st.text(max_size=5),
        st.none() | st.dates(),
        _UNSLOTTED,
        st.lists(_UNSLOTTED, max_size=3).map(tuple),
    )
)
def test_builders_set_slots_through_their_descriptors_and_other_fields_by_name(
    obj: _Slotted,
) -> None:
    """A slotted class's fields are set by their slot descriptors, a class without slots
    by ``object.__setattr__`` (seventh round): both build what the validating path builds."""
    plain = serialization.to_dict(obj)

    trusted = serialization.from_trusted_dict(plain, _Slotted)

    assert trusted == serialization.from_dict(plain, _Slotted) == obj
    assert_same_types(trusted, obj)
    assert vars(trusted.inner) == vars(obj.inner)  # set in the instance dict, as __init__ does


def test_the_generated_setters_are_the_slot_descriptors_object_setattr_would_call() -> None:
    builders = serialization._Builders()
    for field in attrs.fields(_Slotted):
        setter = builders._setter(_Slotted, field.name)
        constant = builders.namespace[setter.split("(")[0]]
        assert constant == vars(_Slotted)[field.name].__set__
    for field in attrs.fields(_Unslotted):
        assert builders._setter(_Unslotted, field.name) == f"_set(o, {field.name!r}, "
