"""A rule's hits on a statement are reused across objectives with the same statement.

The engine remembers the hits of a rule that read only the statement, the owner's role and the
configuration (`Subject.run_reading`), so a trust's template objective held by many people runs
each such rule once. A rule that read the structured objective or the cycle is never
remembered: its hits may differ for the next objective with the same words.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.domain import Objective, SuccessCriterion
from devcycle.rules import RuleSet, check, clear_memo, engine, rule
from devcycle.rules.subject import CheckContext, Hit, Subject

CALLS: dict[str, int] = {"text": 0, "structure": 0, "reader": 0}


@rule(
    "X981",
    symbol="counts-text-reads",
    criterion="practice",
    severity="info",
    message="saw {detail}",
    why="A test rule.",
    fix="None.",
)
def text_only(subject: Subject) -> Iterator[Hit]:
    CALLS["text"] += 1
    if "phonics" in subject.text:
        yield Hit(span=None, detail="phonics")


@rule(
    "X982",
    symbol="counts-structure-reads",
    criterion="practice",
    severity="info",
    message="{detail} criteria",
    why="A test rule.",
    fix="None.",
    needs_context=True,
)
def structure(subject: Subject) -> Iterator[Hit]:
    CALLS["structure"] += 1
    objective = subject.objective
    count = len(objective.success_criteria) if objective is not None else 0
    yield Hit(span=None, detail=str(count))


@rule(
    "X983",
    symbol="reads-structure-hits",
    criterion="practice",
    severity="info",
    message="echo {detail}",
    why="A test rule.",
    fix="None.",
)
def reader(subject: Subject) -> Iterator[Hit]:
    """Reads another rule's hits: it reads whatever they were found from."""
    CALLS["reader"] += 1
    for hit in subject.run(structure):
        yield Hit(span=None, detail=hit.detail)


RULES = RuleSet([text_only, structure, reader])


def _objective(n: int, statement: str = "Teach phonics to Year 1 weekly by June.") -> Objective:
    return Objective(
        id=f"obj-{n}",
        statement=statement,
        success_criteria=tuple(SuccessCriterion(f"Criterion {i}.") for i in range(n)),
    )


def _details(objective: Objective) -> list[str]:
    found = check(objective, ruleset=RULES, context=CheckContext(role="teacher"))
    return [f.message for f in found.findings]


def test_a_text_rule_runs_once_for_many_objectives_with_its_statement() -> None:
    clear_memo()
    CALLS.update(dict.fromkeys(CALLS, 0))
    for n in range(1, 6):
        assert _details(_objective(n)) == ["saw phonics", f"{n} criteria", f"echo {n}"]
    assert CALLS["text"] == 1
    # Rules that read the structure, or read hits found from it, run for every objective.
    assert CALLS["structure"] == 5
    assert CALLS["reader"] == 5


def test_the_hits_are_remembered_by_role_and_forgotten_by_clear_memo() -> None:
    clear_memo()
    CALLS.update(dict.fromkeys(CALLS, 0))
    objective = _objective(1)
    check(objective, ruleset=RULES, context=CheckContext(role="teacher"))
    check(objective, ruleset=RULES, context=CheckContext(role="headteacher"))
    assert CALLS["text"] == 2
    assert engine._statement_hits
    clear_memo()
    assert not engine._statement_hits


def test_a_bare_statement_is_not_remembered_twice() -> None:
    """A bare statement's whole assessment is remembered already."""
    clear_memo()
    check("Teach phonics to Year 1 weekly by June.", ruleset=RULES)
    assert not engine._statement_hits


STATEMENTS = st.sampled_from(
    [
        "Teach phonics to Year 1 weekly by June.",
        "Improve my teaching.",
        "80% of pupils to reach the expected standard.",
        "Lead two INSET sessions on feedback by March 2027.",
    ]
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(STATEMENTS, st.booleans(), st.booleans(), st.sampled_from([None, "teacher"])),
        min_size=1,
        max_size=6,
    )
)
def test_verdicts_are_the_same_with_and_without_remembered_hits(
    items: list[tuple[str, bool, bool, str | None]],
) -> None:
    """Checking objectives one after another equals checking each from an empty memory."""
    clear_memo()
    objectives = [
        (
            Objective(
                id=f"obj-{i}",
                statement=statement,
                deadline=date(2027, 6, 30) if dated else None,
                success_criteria=(SuccessCriterion("Seen in two drop-ins."),) if criteria else (),
            ),
            CheckContext(role=role) if role is not None else None,
        )
        for i, (statement, dated, criteria, role) in enumerate(items)
    ]
    warm = [check(o, context=c) for o, c in objectives]
    cold = []
    for o, c in objectives:
        clear_memo()
        cold.append(check(o, context=c))
    assert warm == cold
