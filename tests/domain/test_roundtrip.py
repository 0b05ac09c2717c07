"""Every domain type survives a round trip through every format unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle import serialization
from devcycle.domain import (
    CPDActivity,
    Cycle,
    Evidence,
    Framework,
    Milestone,
    Objective,
    Observation,
    ReviewMeeting,
    School,
    StaffMember,
    Trust,
)
from devcycle.testing import strategies as dst

DOCUMENT_KINDS: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (School, dst.schools()),
    (Trust, dst.trusts()),
    (StaffMember, dst.staff_members()),
    (Cycle, dst.cycles()),
    (CPDActivity, dst.cpd_activities()),
    (Framework, dst.frameworks()),
]
VALUE_TYPES: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Objective, dst.objectives()),
    (Milestone, dst.milestones()),
    (Evidence, dst.evidence()),
    (Observation, dst.observations()),
    (ReviewMeeting, dst.review_meetings()),
]


@pytest.mark.parametrize("fmt", serialization.FORMATS)
@pytest.mark.parametrize(
    ("cls", "strategy"), DOCUMENT_KINDS, ids=lambda v: getattr(v, "__name__", "")
)
def test_documents_round_trip_in_every_format(
    cls: type[Any], strategy: st.SearchStrategy[Any], fmt: str
) -> None:
    """Dumping a document and loading it back gives an equal object of the same type."""

    @given(strategy)
    def check(obj: Any) -> None:
        text = serialization.dumps(obj, fmt)

        loaded = serialization.loads(text, cls, fmt)

        assert obj == loaded
        assert type(obj) is type(loaded)

    check()


@pytest.mark.parametrize(("cls", "strategy"), VALUE_TYPES, ids=lambda v: getattr(v, "__name__", ""))
def test_values_round_trip_through_plain_data(
    cls: type[Any], strategy: st.SearchStrategy[Any]
) -> None:
    """to_dict then from_dict rebuilds every value type exactly."""

    @given(strategy)
    def check(obj: Any) -> None:
        assert obj == serialization.from_dict(serialization.to_dict(obj), cls)

    check()


@given(dst.cycles())
def test_dumping_is_deterministic(cycle: Cycle) -> None:
    """The same cycle always gives the same JSON text."""
    assert serialization.dumps(cycle) == serialization.dumps(cycle)


@given(dst.staff_members())
def test_version_is_kept_but_not_part_of_equality(member: StaffMember) -> None:
    """The store's version number survives a round trip without changing equality."""
    import attrs

    bumped = attrs.evolve(member, version=7)

    loaded = serialization.loads(serialization.dumps(bumped), StaffMember)

    assert loaded.version == 7
    assert loaded == member
