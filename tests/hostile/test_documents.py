"""Parsed documents that are not what a reader expects, given through the library API.

The command line's cases are in `cases.py`; these call the parsers directly with data of
the wrong shape (a list or a scalar where a table belongs), as an embedder's code might,
and the scheduler with an FTE no pro-rata period can be stretched for.
"""

from __future__ import annotations

from typing import Any, cast

import pytest

from devcycle import template
from devcycle.access.policy import parse_policy
from devcycle.domain import StaffMember
from devcycle.domain.calendar import england_pattern
from devcycle.domain.scheduling import MIN_PRO_RATA_FTE, SchedulingError, plan
from devcycle.errors import ValidationError
from devcycle.proforma.stages import parse_stage

NOT_TABLES: tuple[object, ...] = ([], [1, 2], [{"stage": {}}], 5, 1.5, "stage", None, True)


@pytest.mark.parametrize("data", NOT_TABLES, ids=repr)
def test_a_stage_document_that_is_not_a_table_is_a_clear_error(data: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_stage(cast("Any", data), source="s/planning.toml")

    message = str(caught.value)
    assert message.startswith("s/planning.toml:")
    assert "expected a table with [stage] and [[sections]]" in message
    assert f"(got {type(data).__name__})" in message


@pytest.mark.parametrize("data", NOT_TABLES, ids=repr)
def test_a_policy_document_that_is_not_a_table_is_a_clear_error(data: object) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_policy(cast("Any", data), source="p.toml")

    message = str(caught.value)
    assert message.startswith("p.toml:")
    assert "expected a table with [policy] and [roles.NAME]" in message


def test_keys_that_are_not_text_are_named_not_a_crash() -> None:
    """An embedder's dict with an int key: the unknown key is reported, as text."""
    with pytest.raises(ValidationError, match="unknown table"):
        parse_stage(cast("Any", {1: "x", "stage": {}}))
    with pytest.raises(ValidationError, match="unknown table"):
        parse_policy(cast("Any", {1: "x"}))


def _ect(fte: float) -> StaffMember:
    return StaffMember(
        id="E1", name="Cara Jones", school_id="s", roles=["early_career_teacher"], fte=fte
    )


@pytest.mark.parametrize("fte", [1e-300, 5e-324, 0.001, 0.0999])
def test_an_fte_below_the_pro_rata_floor_is_refused_naming_the_person(fte: float) -> None:
    """0.001 once made a two-year induction end in 4027; 1e-300 crashed the calendar."""
    calendar = england_pattern(2026, years=3)
    with pytest.raises(SchedulingError) as caught:
        plan(template("england-ect-induction"), calendar, year=2026, staff=_ect(fte))

    message = str(caught.value)
    assert f"E1's FTE is {fte:g}" in message
    assert f"at least {MIN_PRO_RATA_FTE:g}" in message


def test_the_floor_itself_is_planned_at_ten_times_the_length() -> None:
    induction = template("england-ect-induction")
    assert induction.period.terms is not None
    calendar = england_pattern(2026, years=22)

    schedule = plan(induction, calendar, year=2026, staff=_ect(MIN_PRO_RATA_FTE))

    terms = round(induction.period.terms / MIN_PRO_RATA_FTE)
    assert schedule.period_end == calendar.terms_from(schedule.period_start)[terms - 1].end
    assert schedule.period_end.year < 2050


def test_a_template_that_is_not_pro_rata_takes_a_tiny_fte() -> None:
    """The floor is about stretching a period; an annual appraisal is not stretched."""
    calendar = england_pattern(2026, years=2)
    person = StaffMember(id="T1", name="Anna", school_id="s", roles=["teacher"], fte=0.001)

    schedule = plan(template("england-teacher"), calendar, year=2026, staff=person)

    assert schedule.period_end.year == 2027
