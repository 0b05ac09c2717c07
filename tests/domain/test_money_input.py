"""Money is read the same way by budgets, plan entries and CPD: a number, or text of one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

import devcycle as dc
from devcycle import domain

START, END = date(2026, 9, 1), date(2027, 8, 31)

MONEY: dict[str, Callable[[object], Decimal]] = {
    "budget amount": lambda v: domain.CPDBudget(id="b1", start=START, end=END, amount=v).amount,
    "plan entry cost": lambda v: (
        domain.TrainingPlanEntry(
            id="e1",
            school_id="sa",
            title="t",
            dates=[START],
            owner_id="T1",
            cost=v,
            level="whole-school",
        ).cost
    ),
    "CPD activity cost": lambda v: (
        domain.CPDActivity(  # type: ignore[return-value]
            id="a1",
            school_id="sa",
            title="t",
            kind="course",
            start=START,
            purpose="movement",
            cost=v,
        ).cost
    ),
}


@pytest.mark.parametrize("field", sorted(MONEY))
@pytest.mark.parametrize(
    ("given", "amount"),
    [("12.5", Decimal("12.5")), (" 1500.00 ", Decimal("1500.00")), (12.5, Decimal("12.5"))],
)
def test_a_number_as_text_is_the_amount_it_spells(
    field: str, given: object, amount: Decimal
) -> None:
    """ "12.5" is accepted exactly, as a document's "12.50" is, and as the float 12.5 is."""
    got = MONEY[field](given)
    assert isinstance(got, Decimal)
    assert got == amount


@pytest.mark.parametrize("field", ["budget amount", "plan entry cost"])
@pytest.mark.parametrize("given", ["twelve", "£12", ""])
def test_text_that_is_not_a_number_says_so(field: str, given: str) -> None:
    """Not the misleading "of at least 0": a number was expected, and text was given."""
    with pytest.raises(dc.ValidationError) as caught:
        MONEY[field](given)
    message = caught.value.problems[0].message
    assert f"expected a number such as 12.50, got text {given!r}" in message
    assert "at least 0" not in message
