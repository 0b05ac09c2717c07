"""Supporting texts (success criteria, rationales, the set's other objectives) are analysed once.

The set rules read every objective of a person's set for each objective checked, and several
rules read an objective's success criteria: before, each read built a new `Analysis` and
scanned its lexicons again, so checking a cycle of n objectives scanned each statement about
5n times (most of a first health check on a trust).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain import Cycle, Objective, SuccessCriterion
from devcycle.rules import check_cycle, clear_memo, text
from devcycle.rules.set_rules import ObjectiveTraits
from devcycle.rules.text import Analysis, Lexicons


def _cycle() -> Cycle:
    return Cycle(
        id="c1",
        school_id="s1",
        staff_id="t1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 7, 20),
        objectives=tuple(
            Objective(
                id=f"obj-{i}",
                statement=f"Run guided reading for group {i} of Year 4, checked in March.",
                success_criteria=(SuccessCriterion(f"Group {i} gain six months' reading age."),),
            )
            for i in range(1, 4)
        ),
    )


def test_a_cycle_check_analyses_each_supporting_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_memo()
    built: list[str] = []
    original = Analysis.__init__

    def counting(self: Analysis, source: str, lexicons: Lexicons, *, every: bool = False) -> None:
        built.append(source)
        original(self, source, lexicons, every=every)

    monkeypatch.setattr(Analysis, "__init__", counting)
    check_cycle(_cycle())
    repeated = {t for t in built if built.count(t) > 1}
    assert not repeated, f"analysed more than once: {sorted(repeated)}"


def test_supporting_analysis_is_shared_and_forgotten_by_clear_memo() -> None:
    words = Lexicons.builtin()
    first = Analysis.supporting("Seen in two drop-ins by May.", words)
    assert Analysis.supporting("Seen in two drop-ins by May.", words) is first
    clear_memo()
    assert text._supporting.cache_info().currsize == 0
    assert Analysis.supporting("Seen in two drop-ins by May.", words) is not first


@given(st.text(max_size=80), st.text(max_size=80))
def test_shared_supporting_analysis_reads_like_a_fresh_one(statement: str, criterion: str) -> None:
    """Sharing changes nothing a rule reads: traits from shared analyses equal fresh ones."""
    words = Lexicons.builtin()
    objective = Objective(
        id="obj-1",
        statement=statement if statement.strip() else "x",
        success_criteria=(SuccessCriterion(criterion),) if criterion.strip() else (),
    )
    shared = ObjectiveTraits.of(objective, words)
    for source in (objective.statement, *(c.text for c in objective.success_criteria)):
        fresh = Analysis(source, words)
        for name in ("career", "pupils"):
            assert Analysis.supporting(source, words).spans(name) == fresh.spans(name)
    assert ObjectiveTraits.of(objective, words) == shared
