"""A rule's hits on a statement are reused across objectives with the same statement.

The engine remembers the hits of a rule that read only the statement, the owner's role and the
configuration (`Subject.run_reach`), so a trust's template objective held by many people runs
each such rule once; and of a rule that read no further than the objective's words
(`Subject.words`: criteria, rationale, support, evidence, deadline) by those words too. A rule
that read the structured objective itself or the cycle is never remembered: its hits may
differ for the next objective with the same words.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.domain import Objective, SuccessCriterion
from devcycle.rules import RuleSet, check, clear_memo, engine, rule, set_rules
from devcycle.rules.subject import CheckContext, Hit, Reach, Subject

CALLS: dict[str, int] = {"text": 0, "structure": 0, "reader": 0, "words": 0, "words-reader": 0}


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


@rule(
    "X984",
    symbol="counts-word-reads",
    criterion="practice",
    severity="info",
    message="{detail} worded criteria",
    why="A test rule.",
    fix="None.",
)
def worded(subject: Subject) -> Iterator[Hit]:
    CALLS["words"] += 1
    words = subject.words
    yield Hit(span=None, detail=str(len(words.criteria) if words is not None else 0))


@rule(
    "X985",
    symbol="reads-word-hits",
    criterion="practice",
    severity="info",
    message="word echo {detail}",
    why="A test rule.",
    fix="None.",
)
def word_reader(subject: Subject) -> Iterator[Hit]:
    """Reads a words rule's hits: it reads the words."""
    CALLS["words-reader"] += 1
    for hit in subject.run(worded):
        yield Hit(span=None, detail=hit.detail)


RULES = RuleSet([text_only, structure, reader])
WORD_RULES = RuleSet([text_only, structure, worded, word_reader])


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


def test_a_words_rule_runs_once_for_objectives_with_the_same_statement_and_words() -> None:
    """Many people's copies of one template objective: the words rules run once."""
    clear_memo()
    CALLS.update(dict.fromkeys(CALLS, 0))
    for n in range(5):  # five ids, one statement, the same two criteria
        objective = attrs.evolve(_objective(2), id=f"copy-{n}")
        found = check(objective, ruleset=WORD_RULES, context=CheckContext(role="teacher"))
        assert [f.message for f in found.findings] == [
            "saw phonics",
            "2 criteria",
            "2 worded criteria",
            "word echo 2",
        ]
    assert (CALLS["text"], CALLS["words"], CALLS["words-reader"], CALLS["structure"]) == (
        1,
        1,
        1,
        5,
    )
    # Other words: the words rules run again; the statement's rules are still remembered.
    check(_objective(3), ruleset=WORD_RULES, context=CheckContext(role="teacher"))
    assert (CALLS["text"], CALLS["words"], CALLS["words-reader"]) == (1, 2, 2)
    assert engine._words_hits
    clear_memo()
    assert not engine._words_hits


def test_whether_a_deadline_is_set_is_part_of_the_words_not_its_date() -> None:
    clear_memo()
    CALLS.update(dict.fromkeys(CALLS, 0))
    for deadline in (date(2027, 6, 1), date(2027, 6, 2), None, date(2027, 7, 1)):
        objective = attrs.evolve(_objective(1), deadline=deadline)
        check(objective, ruleset=WORD_RULES, context=CheckContext(role="teacher"))
    assert CALLS["words"] == 2


def test_run_reach_tells_how_far_a_rule_read() -> None:
    subject = Subject(
        text="Teach phonics.", objective=_objective(1), context=None, config=engine.default_config()
    )
    assert subject.run_reach(text_only)[1] is Reach.STATEMENT
    assert subject.run_reach(worded)[1] is Reach.WORDS
    assert subject.run_reach(word_reader)[1] is Reach.WORDS
    assert subject.run_reach(structure)[1] is Reach.STRUCTURE
    assert subject.run_reading(worded)[1] is True


def test_set_rules_find_the_set_once_per_objective(monkeypatch: pytest.MonkeyPatch) -> None:
    """The six W8xx rules share one reading of the owner's set (`Subject.shared`)."""
    calls = {"live": 0}
    original = set_rules._find_live_set

    def counting(subject: Subject) -> tuple[Objective, ...] | None:
        calls["live"] += 1
        return original(subject)

    monkeypatch.setattr(set_rules, "_find_live_set", counting)
    clear_memo()
    first, second = _objective(1), attrs.evolve(_objective(2), id="obj-9")
    check(first, context=CheckContext(role="teacher", other_objectives=(second,)))
    assert calls["live"] == 1


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


WORDS = st.builds(
    lambda rationale, support, criteria, evidence, deadline: {
        "rationale": rationale,
        "support": support,
        "success_criteria": tuple(SuccessCriterion(c) for c in criteria),
        "evidence_sources": evidence,
        "deadline": deadline,
    },
    st.sampled_from(["", "Our SIP priority on reading.", "To gain promotion."]),
    st.sampled_from([(), ("Coaching",), ("Phonics course",)]),
    st.sampled_from([(), ("Seen in two drop-ins.",), ("All pupils reach 100% by July.",)]),
    st.sampled_from([(), ("Book looks",)]),
    st.sampled_from([None, date(2027, 6, 30), date(2030, 1, 1)]),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(STATEMENTS, WORDS, st.sampled_from([None, "teacher", "headteacher"])),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
def test_assessments_are_the_same_with_and_without_remembered_words(
    items: list[tuple[str, dict[str, object], str | None]], in_a_set: bool
) -> None:
    """Whole assessments (verdicts, findings, spans, paths) with the words tier warm or cold.

    The objectives share statements and words under different ids, and (*in_a_set*) are one
    person's set, so the set rules, which read the structure, run beside remembered ones.
    """
    clear_memo()
    objectives = [
        Objective(id=f"obj-{i}", statement=statement, **words)  # type: ignore[arg-type]
        for i, (statement, words, _role) in enumerate(items)
    ]
    contexts = [
        CheckContext(
            role=role,
            window=(date(2026, 9, 1), date(2027, 8, 31)),
            other_objectives=[o for o in objectives if o.id != objective.id] if in_a_set else (),
        )
        for objective, (_s, _w, role) in zip(objectives, items, strict=True)
    ]
    warm = [check(o, context=c) for o, c in zip(objectives, contexts, strict=True)]
    cold = []
    for o, c in zip(objectives, contexts, strict=True):
        clear_memo()
        cold.append(check(o, context=c))
    assert warm == cold
