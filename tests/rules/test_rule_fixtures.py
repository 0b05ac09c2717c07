"""Each rule tested alone from the examples in its own metadata (one fixture per rule)."""

from __future__ import annotations

from datetime import date

import pytest

from devcycle.rules import CheckContext, Criterion, RuleMeta, RuleSet, check, meta_of
from devcycle.rules.set_rules import example_set

BUILTIN = RuleSet.builtin()
METAS = BUILTIN.metas
CONTEXT = CheckContext(window=(date(2026, 9, 1), date(2027, 8, 31)), role="teaching_assistant")

UNRELATED = [
    "By Easter, run a twice-weekly guided reading group for the 6 Year 4 pupils below "
    "age-related expectations, with reading ages tested in March.",
    "Over the next two half-terms, use mini-whiteboards for hinge questions in my Year 8 "
    "science lessons; my mentor will check this in two drop-ins.",
    "Complete the NPQ for Leading Teaching by 30 June 2027 and share one strategy at a "
    "department meeting.",
    "From January to July, meet each of the 4 new TAs fortnightly to plan their Year 2 "
    "phonics groups, recording actions in a shared log.",
    "By the summer half term, teach a six-lesson gymnastics unit to Year 5 using video "
    "feedback on tablets, with each pupil's final sequence filmed and assessed.",
    "During 2026-27, run a fortnightly Spanish conversation club for the 12 Year 10 GCSE "
    "candidates, recording each pupil's speaking-test practice grade in October and March.",
    "Within this cycle, introduce a communication passport for each of the 8 pupils in my "
    "class with severe learning difficulties, reviewed with parents at the spring review.",
]
BLANK = ["", "   ", "\n"]
MISSING = {"S102", "M201", "T501"}


def _codes(text: str, meta: RuleMeta) -> list[str]:
    only = BUILTIN.select([meta.code])
    if meta.criterion is Criterion.SET:
        return _set_codes(text, only)
    context = CONTEXT if meta.needs_context else None
    return [f.code for f in check(text, ruleset=only, context=context).findings]


def _set_codes(example: str, only: RuleSet) -> list[str]:
    """A whole-set rule's example is a set of objectives: check each with the others."""
    if not example.strip():  # no objective to build: checked as bare text, as other rules are
        return [f.code for f in check(example, ruleset=only, context=CONTEXT).findings]
    objectives = example_set(example)
    found: list[str] = []
    for objective in objectives:
        context = CheckContext(
            window=CONTEXT.window,
            role="teacher",
            other_objectives=[o for o in objectives if o.id != objective.id],
        )
        found.extend(f.code for f in check(objective, ruleset=only, context=context).findings)
    return found


def _cases(kind: str) -> list[tuple[str, str]]:
    return [(m.code, example) for m in METAS for example in getattr(m, kind)]


@pytest.mark.parametrize(("code", "example"), _cases("bad"))
def test_bad_example_fires(code: str, example: str) -> None:
    """Every bad example in a rule's metadata is flagged by that rule alone."""
    meta = meta_of(BUILTIN.get(code))

    assert code in _codes(example, meta)


@pytest.mark.parametrize(("code", "example"), _cases("good"))
def test_good_example_does_not_fire(code: str, example: str) -> None:
    """No good example in a rule's metadata is flagged by that rule."""
    meta = meta_of(BUILTIN.get(code))

    assert code not in _codes(example, meta)


@pytest.mark.parametrize("meta", METAS, ids=[m.code for m in METAS])
def test_unrelated_good_objectives_do_not_fire(meta: RuleMeta) -> None:
    """Sound objectives written without the rule in mind are not flagged by it."""
    for text in UNRELATED:
        assert meta.code not in _codes(text, meta), text


@pytest.mark.parametrize("meta", METAS, ids=[m.code for m in METAS])
def test_blank_statements_fire_only_the_rules_about_something_missing(meta: RuleMeta) -> None:
    """An empty statement lacks an action, a measure and a time frame, and nothing else."""
    for text in BLANK:
        fired = meta.code in _codes(text, meta)
        assert fired == (meta.code in MISSING), repr(text)


@pytest.mark.parametrize("meta", METAS, ids=[m.code for m in METAS])
def test_metadata_is_complete(meta: RuleMeta) -> None:
    """Every rule has a message, a reason, a fix, and examples unless it needs structure."""
    assert meta.message
    assert meta.why.endswith(".")
    assert meta.fix.endswith(".")
    if not meta.needs_context or meta.criterion is Criterion.SET:
        assert meta.bad, "text and whole-set rules need bad examples"
        assert meta.good, "text and whole-set rules need good examples"


def test_codes_follow_criteria() -> None:
    """Codes start with their criterion's letter and are unique, as are symbols."""
    assert len({m.code for m in METAS}) == len(METAS)
    assert len({m.symbol for m in METAS}) == len(METAS)
    assert all(m.code[0] == m.criterion.prefix for m in METAS)
