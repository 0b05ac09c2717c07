"""The fast converter tried first by `from_dict` agrees with the detailed one it falls back to.

`serialization.from_dict` structures with a converter built without detailed validation and
runs the detailed one only when that fails, to explain the failure. That is only sound if
the fast one never accepts data the detailed one refuses and never builds a different
object. These properties damage valid documents at random places and check both.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle import serialization
from devcycle.domain import CPDActivity, Cycle, School, StaffMember
from devcycle.errors import ValidationError
from devcycle.testing import strategies as dst

KINDS: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Cycle, dst.cycles()),
    (School, dst.schools()),
    (StaffMember, dst.staff_members()),
    (CPDActivity, dst.cpd_activities()),
]

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside *data* (dict keys and list indexes)."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _places(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _places(value, (*path, index))
    return found


def _replace(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], rest, value)}
    copy = list(data)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _outcome(converter: Any, data: Any, cls: type[Any]) -> tuple[str, Any]:
    try:
        return "ok", converter.structure(data, cls)
    except Exception as exc:  # any failure counts as a refusal here
        return "refused", type(exc)


@pytest.mark.parametrize(("cls", "strategy"), KINDS, ids=lambda v: getattr(v, "__name__", ""))
def test_fast_and_detailed_agree_on_damaged_documents(
    cls: type[Any], strategy: st.SearchStrategy[Any]
) -> None:
    @given(strategy, st.data())
    def check(obj: Any, data: st.DataObject) -> None:
        plain = serialization.to_dict(obj)
        where = data.draw(st.sampled_from(_places(plain)), label="place")
        damaged = _replace(plain, where, data.draw(JSON_VALUES, label="value"))

        fast = _outcome(serialization._fast_converter, damaged, cls)
        detailed = _outcome(serialization.converter, damaged, cls)

        if fast[0] == "ok":
            assert detailed == fast, f"fast accepted what detailed did not, at {where}"

    check()


@pytest.mark.parametrize(("cls", "strategy"), KINDS, ids=lambda v: getattr(v, "__name__", ""))
def test_fast_and_detailed_build_the_same_objects(
    cls: type[Any], strategy: st.SearchStrategy[Any]
) -> None:
    @given(strategy)
    def check(obj: Any) -> None:
        plain = serialization.to_dict(obj)

        assert serialization._fast_converter.structure(plain, cls) == obj
        assert serialization.converter.structure(plain, cls) == obj

    check()


def test_a_failure_on_the_fast_path_is_explained_by_the_detailed_one() -> None:
    plain = serialization.to_dict(School(id="S1", name="Oakfield"))
    plain["priorities"] = [{"id": "P1", "title": 7}]

    with pytest.raises(ValidationError) as caught:
        serialization.from_dict(plain, School)

    assert caught.value.problems == ("expected text (got int 7) @ $.priorities[0].title",)
