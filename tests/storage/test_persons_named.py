"""`persons_named`: the people a stored document names, for its audit entry.

It runs on every save, so it skips scalar values without visiting them (issue 16); it must
find exactly what a plain recursive walk finds, at any depth, whatever the values are.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain.milestones import Milestone
from devcycle.serialization import dump_document
from devcycle.storage import audit
from devcycle.storage.audit import PERSON_KEYS, persons_named, persons_of
from devcycle.testing import strategies as dst
from devcycle.testing.access import access_school


def _walk(value: Any, found: set[str]) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in PERSON_KEYS:
                if isinstance(item, str) and item:
                    found.add(item)
                elif isinstance(item, list | tuple):
                    found.update(i for i in item if isinstance(i, str) and i)
            else:
                _walk(item, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _walk(item, found)


def _reference(document: Any, kind: str = "") -> set[str]:
    found: set[str] = set()
    data = document.get("data", document) if isinstance(document, Mapping) else document
    if kind == "staff" and isinstance(data, Mapping) and isinstance(data.get("id"), str):
        found.add(data["id"])
    _walk(data, found)
    return found


_KEYS = st.sampled_from([*sorted(PERSON_KEYS), "id", "data", "notes", "items", "x"])
_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=4)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=3).map(tuple)
        | st.dictionaries(_KEYS, inner, max_size=4)
    ),
    max_leaves=25,
)


@given(_VALUES, st.sampled_from(["", "staff", "cycle"]))
def test_persons_named_finds_what_a_plain_walk_finds(document: Any, kind: str) -> None:
    assert persons_named(document, kind=kind) == _reference(document, kind)


def test_persons_named_reads_people_at_any_depth_and_skips_other_values() -> None:
    document = {
        "kind": "cycle",
        "data": {
            "staff_id": "T1",
            "flag": True,
            "ratio": 0.5,
            "history": [{"by": "H1", "on": "2026-09-01", "count": 3}, {"by": ""}],
            "reviews": [{"participant_ids": ["T1", "H2", 7, ""]}],
        },
    }
    assert persons_named(document) == {"T1", "H1", "H2"}


_KINDS_OF_RECORD: list[tuple[str, st.SearchStrategy[Any]]] = [
    ("cycle", dst.cycles()),
    ("school", dst.schools()),
    ("trust", dst.trusts()),
    ("staff", dst.staff_members()),
    ("cpd", dst.cpd_activities()),
    ("cpd_offering", dst.cpd_offerings()),
    ("framework", dst.frameworks()),
    ("meeting_rating", dst.meeting_ratings()),
    ("survey", dst.process_surveys()),
    ("survey_response", dst.survey_responses()),
    ("training_plan_entry", dst.training_plan_entries()),
]


@pytest.mark.parametrize(("kind", "strategy"), _KINDS_OF_RECORD, ids=lambda v: str(v)[:20])
def test_persons_of_an_object_are_those_of_its_document(
    kind: str, strategy: st.SearchStrategy[Any]
) -> None:
    """A save names people from the object (`persons_of`), not its plain form (issue 16).

    It must name exactly whom the stored document names, for every kind of record.
    """

    @given(strategy)
    def check(obj: Any) -> None:
        assert persons_of(obj, kind=kind) == persons_named(dump_document(obj), kind=kind)

    check()


def test_persons_of_a_full_cycle_reads_every_place_people_are_named() -> None:
    sample = access_school()
    for cycle in sample.cycles:
        named = persons_of(cycle, kind="cycle")
        assert named == persons_named(dump_document(cycle), kind="cycle")
        assert cycle.staff_id in named


def _visited(obj: Any) -> set[str]:
    found: set[str] = set()
    audit._visit(obj, type(obj), found)
    return found


@pytest.mark.parametrize(("kind", "strategy"), _KINDS_OF_RECORD, ids=lambda v: str(v)[:20])
def test_the_generated_visitors_find_what_the_plan_walk_finds(
    kind: str, strategy: st.SearchStrategy[Any]
) -> None:
    """`persons_of` runs one generated visitor per class (seventh round); `_visit`, the walk
    over each class's plan, stays the reference."""

    @given(strategy)
    def check(obj: Any) -> None:
        found: set[str] = set()
        audit._visitor(type(obj))(obj, found)
        assert found == _visited(obj)

    check()


@attrs.frozen
class _Named(Milestone):
    """A subclass of a nested record, with a person field its declared class lacks."""

    line_manager_id: str = "LM1"


def test_a_subclass_of_a_nested_record_is_converted_and_walked_as_before() -> None:
    """The visitor leaves a record of another class than the declared one to `_visit`,
    which names whom its stored form names."""
    sample = access_school()
    cycle = copy.copy(next(c for c in sample.cycles if c.milestones))
    first = cycle.milestones[0]
    odd = _Named(**{f.name: getattr(first, f.name) for f in attrs.fields(Milestone)})
    object.__setattr__(cycle, "milestones", (odd, *cycle.milestones[1:]))

    named = persons_of(cycle, kind="cycle")

    assert named == _visited(cycle) == persons_named(dump_document(cycle), kind="cycle")
    assert cycle.staff_id in named
