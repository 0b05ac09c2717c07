"""Coaching and mentoring as relationships (issue 15, point 5): a coach paired with each coachee."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given

from devcycle.domain import CPDActivity, CPDKind, Purpose
from devcycle.errors import ValidationError
from devcycle.serialization import from_dict, to_dict
from devcycle.testing import strategies as dst


def _pairing(**changes: object) -> CPDActivity:
    activity = CPDActivity(
        id="coach-1",
        school_id="oak",
        title="Instructional coaching",
        kind=CPDKind.COACHING,
        start=date(2026, 11, 2),
        sessions=(date(2026, 11, 2), date(2026, 11, 23), date(2027, 3, 1)),
        hours=3.0,
        attendee_ids=("T7",),
        coach_id="S2",
    )
    return attrs.evolve(activity, **changes) if changes else activity


def test_a_coach_is_paired_with_each_person_coached_and_it_is_movement() -> None:
    pairing = _pairing()

    assert pairing.pairs == (("S2", "T7"),)
    assert pairing.purpose is Purpose.MOVEMENT
    assert pairing.sessions_held(date(2027, 2, 1)) == (date(2026, 11, 2), date(2026, 11, 23))
    assert _pairing(coach_id=None).pairs == ()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"kind": CPDKind.COURSE}, "must be coaching or mentoring"),
        ({"attendee_ids": ("T7", "S2")}, "also among 'attendee_ids'"),
        ({"coach_id": "not an id!"}, "'coach_id'"),
    ],
)
def test_a_bad_pairing_is_refused_naming_the_field(
    changes: dict[str, object], expected: str
) -> None:
    with pytest.raises(ValidationError, match=expected) as caught:
        _pairing(**changes)

    assert caught.value.problems[0].path == "$.coach_id"


def test_booking_the_coach_onto_their_own_pairing_is_refused() -> None:
    with pytest.raises(ValidationError, match="the coach is not coached"):
        _pairing().with_status("S2", "attended")


@given(dst.cpd_activities())
def test_any_activity_with_or_without_a_coach_round_trips(activity: CPDActivity) -> None:
    assert from_dict(to_dict(activity), CPDActivity) == activity
