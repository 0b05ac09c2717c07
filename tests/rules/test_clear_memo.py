"""`clear_memo` forgets every remembered reading, so a benchmark's "cold" check is cold."""

from __future__ import annotations

from devcycle.domain import Objective, SuccessCriterion
from devcycle.rules import check, clauses, conventions, engine, judge, text
from devcycle.rules.engine import clear_memo

STRUCTURED = Objective(
    id="obj-1",
    statement="Teach a weekly vocabulary lesson to my Year 9 group.",
    success_criteria=(SuccessCriterion("Most of the group use the words in their essays by May."),),
)

CACHES = {
    "judgements": judge._judged,
    "analyses": text._shared,
    "supporting analyses": text._supporting,
    "clauses": clauses._clauses,
    "clause signals": clauses._signals,
    "leader results": conventions._leader_result,
    "convention readings": conventions._readings,
}


def test_clear_memo_empties_every_cache_a_check_fills() -> None:
    """Before, the clause, signal and convention caches kept their readings."""
    caches = {**CACHES, "assessments": engine._assess_memo}  # set_memo_size rebinds it
    check("As head of maths, ensure 70% of pupils reach a grade 5 by July 2027.")
    check(STRUCTURED)
    filled = {name for name, cache in caches.items() if cache.cache_info().currsize}
    assert filled == set(caches)

    clear_memo()

    sizes = {name: cache.cache_info().currsize for name, cache in caches.items()}
    assert sizes == dict.fromkeys(caches, 0)
