"""A cycle method given a bad enum value (text from a form) names the argument.

An embedder passes a form's text straight on (``rag="purple"``, ``kind="chat"``): the error is
a ValidationError at ``$.<argument>`` listing the allowed values, which the embedder can show
beside the field, not a bare "'purple' is not a valid RAG" with no field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

import devcycle as dc


def _cycle(*, final: bool = False) -> tuple[dc.Cycle, str]:
    cycle = dc.Cycle(
        id="c1",
        school_id="oak",
        staff_id="T1",
        reviewer_id="H1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    cycle.start_planning(by="H1", on=date(2026, 9, 10))
    objective = cycle.propose_objective(by="T1", on=date(2026, 9, 20), statement="Guided reading")
    cycle.agree_objective(objective.id, by="H1", on=date(2026, 10, 8))
    cycle.activate(by="H1", on=date(2026, 10, 8))
    if final:
        cycle.begin_final_review(by="H1", on=date(2027, 7, 1))
    return cycle, objective.id


DAY = date(2027, 7, 2)
CALLS: dict[str, tuple[str, bool, Callable[[dc.Cycle, str], Any]]] = {
    "check-in rag": (
        "rag",
        False,
        lambda c, o: c.record_check_in(o, by="T1", on=DAY, note="x", rag="purple"),
    ),
    "observation kind": (
        "kind",
        False,
        lambda c, o: c.record_observation(by="H1", on=DAY, kind="peek", focus="x"),
    ),
    "review kind": (
        "kind",
        False,
        lambda c, o: c.record_review(by="H1", on=DAY, kind="chat", notes="x"),
    ),
    "evaluation outcome": (
        "outcome",
        True,
        lambda c, o: c.evaluate_objective(
            o, by="H1", on=DAY, outcome="great", impact="x", learning="y"
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CALLS))
def test_a_bad_enum_value_names_the_argument_and_changes_nothing(case: str) -> None:
    argument, final, call = CALLS[case]
    cycle, objective_id = _cycle(final=final)
    before = dc.serialization.dumps(cycle, "json")
    with pytest.raises(dc.ValidationError) as caught:
        call(cycle, objective_id)
    (problem,) = caught.value.problems
    assert problem.path == f"$.{argument}"
    assert f"'{argument}' must be one of" in problem.message
    assert dc.serialization.dumps(cycle, "json") == before
