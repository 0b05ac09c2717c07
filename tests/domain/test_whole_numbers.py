"""A whole-number field holds no more than a document may (issue 16, found in session 18).

The domain accepted any whole number of minutes (and of objectives, template weeks...),
saved it, and then the library's own export and import refused the document:
``number out of range: whole numbers must be within ±9,007,199,254,740,992``. Each field
now refuses a number beyond `MAX_WHOLE` when the object is made, naming the field. A float
field given a whole number too large for a float said ``OverflowError`` (a bare error); it
is now refused as not finite.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest

import devcycle as dc
from devcycle.domain._validate import MAX_WHOLE
from devcycle.domain.templates import MilestoneRule, Period, Recurrence
from devcycle.errors import ValidationError
from devcycle.serialization import MAX_INTEGER, check_limits, to_dict
from devcycle.testing.store_contract import sample_school

TOO_BIG = MAX_WHOLE + 1


def _cycle() -> dc.Cycle:
    _school, _staff, cycles, _cpd = sample_school("oak")
    return next(c for c in cycles if c.status is dc.CycleStatus.ACTIVE)


def _review(minutes: int) -> object:
    cycle = _cycle()
    assert cycle.reviewer_id is not None
    cycle.record_review(
        by=cycle.reviewer_id,
        on=date(2026, 11, 2),
        kind=dc.ReviewKind.MID_YEAR,
        notes="Met.",
        minutes=minutes,
    )
    return cycle


def _policy(max_objectives: int) -> object:
    return dc.Policy(max_objectives=max_objectives)


def _rule_minutes(minutes: int) -> object:
    return attrs.evolve(_template().milestones[0], minutes=minutes)


def _period_months(months: int) -> object:
    return attrs.evolve(_template().period, months=months)


def _template() -> Any:
    from devcycle.catalogues.templates import template

    return template("england-teacher")


MAKERS: dict[str, Callable[[int], object]] = {
    "a review's minutes": _review,
    "a policy's max_objectives": _policy,
    "a template milestone's minutes": _rule_minutes,
    "a template period's months": _period_months,
    "a recurrence's school weeks": lambda weeks: Recurrence(school_weeks=weeks),
}


def test_the_domain_and_the_documents_share_one_limit() -> None:
    assert MAX_INTEGER == MAX_WHOLE == 2**53


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_the_largest_whole_number_a_document_holds_is_accepted(make: Callable[[int], Any]) -> None:
    made = make(MAX_WHOLE)
    check_limits(to_dict(made))  # and a document may hold what it was given


@pytest.mark.parametrize("make", MAKERS.values(), ids=MAKERS.keys())
def test_one_more_is_refused_naming_the_field(make: Callable[[int], Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        make(TOO_BIG)
    [problem] = caught.value.problems
    assert "the largest whole number a document may hold" in problem.message
    assert problem.value == TOO_BIG


def test_a_float_field_given_a_number_too_large_for_a_float_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        dc.StaffMember(id="a", name="A", school_id="oak", roles={dc.Role.TEACHER}, fte=10**400)
    assert caught.value.problems[0].path == "$.fte"


def test_the_template_classes_tested_are_those_with_whole_numbers() -> None:
    """The bounded validators of templates: `_positive` and `_non_negative`."""
    assert {"minutes"} <= set(attrs.fields_dict(MilestoneRule))
    assert {"months", "joiner_school_days"} <= set(attrs.fields_dict(Period))
