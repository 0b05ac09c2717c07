"""fields_written compares reviews without building validated copies, and finds the same.

Issue 16: `fields_written` (run on every cycle change, to check the fields the actor wrote)
built each review twice with `attrs.evolve`, every validator run again, to compare the
shared parts without the confidential ones. It now compares unvalidated copies, and skips a
review that is the same object before and after; what it finds must not change.
"""

from __future__ import annotations

from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.access import FIELDS, fields_written
from devcycle.domain import Cycle, ReviewMeeting
from devcycle.testing import strategies as dst


def _parts(review: ReviewMeeting | None) -> dict[str, Any]:
    """The parts as the validating implementation built them (the reference)."""
    if review is None:
        return {}
    shared = attrs.evolve(
        review,
        conversation=attrs.evolve(review.conversation, wellbeing="", workload="", career=""),
        private_notes=(),
        pay_recommendation=None,
    )
    parts: dict[str, Any] = {"reviews": shared}
    for part in ("wellbeing", "workload", "career"):
        parts[f"conversation.{part}"] = getattr(review.conversation, part)
    parts["private_notes"] = review.private_notes
    parts["pay_recommendation"] = review.pay_recommendation
    return parts


def _reference(before: Cycle, after: Cycle) -> set[str]:
    written = {
        name
        for name in ("milestones", "objectives", "evidence", "observations")
        if getattr(before, name) != getattr(after, name)
    }
    old = {r.id: r for r in before.reviews}
    new = {r.id: r for r in after.reviews}
    for review_id in old.keys() | new.keys():
        a, b = _parts(old.get(review_id)), _parts(new.get(review_id))
        for key in FIELDS:
            if a.get(key) != b.get(key) and (a.get(key) or b.get(key)):
                written.add(key)
    return written


def _with_reviews(cycle: Cycle, reviews: tuple[ReviewMeeting, ...]) -> Cycle:
    copy = object.__new__(Cycle)
    for field in attrs.fields(Cycle):
        value = reviews if field.name == "reviews" else getattr(cycle, field.name)
        object.__setattr__(copy, field.name, value)
    return copy


@settings(max_examples=60, deadline=None)
@given(dst.cycles(), dst.cycles(), st.booleans())
def test_fields_written_finds_what_the_validating_comparison_found(
    before: Cycle, other: Cycle, same_ids: bool
) -> None:
    reviews = other.reviews
    if same_ids:  # the other cycle's reviews under this cycle's ids: parts compared one by one
        ids = [r.id for r in before.reviews]
        reviews = tuple(
            attrs.evolve(r, id=ids[i]) if i < len(ids) else r for i, r in enumerate(reviews)
        )
    after = _with_reviews(before, reviews)
    assert fields_written(before, after) == _reference(before, after)
    assert fields_written(before, before) == set() == _reference(before, before)
    copied = _with_reviews(before, tuple(attrs.evolve(r) for r in before.reviews))
    assert fields_written(before, copied) == set()
