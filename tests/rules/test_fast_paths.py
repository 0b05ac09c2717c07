"""The checker's fast paths give exactly what the plain readings they replace give."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.rules import Lexicons
from devcycle.rules.judge import _CONTENT, Judgement, Model
from devcycle.rules.text import Analysis

_MODEL = Model.shipped()
_SIGNALS = sorted(_MODEL.signals)
_TEXT = (
    "improve my teaching of fractions for 6 Year 4 pupils by Easter all staff will 100% "
    "reading retrieval quizzes evidenced in two drop-ins , ; . attendance grade 5+"
)
_WORDS = st.sampled_from(_TEXT.split(" "))


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, max_size=25))
def test_first_is_the_least_match_of_the_lexicons(words: list[str]) -> None:
    a = Analysis(" ".join(words), Lexicons.builtin())
    names = ("focus", "quantity", "deadline", "outcome", "universal")
    every = [s for n in names for s in a.spans(n)]
    assert a.first(*names) == (min(every) if every else None)
    for name in names:
        assert a.first(name) == (min(a.spans(name)) if a.spans(name) else None)


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, max_size=25))
def test_outside_remembered_is_outside_read_again(words: list[str]) -> None:
    a = Analysis(" ".join(words), Lexicons.builtin())
    first = a.outside("practice", "generic_approach", "outcome")
    blocked = [s for o in ("generic_approach", "outcome") for s in a.spans(o)]
    plain = tuple(
        s for s in a.spans("practice") if not any(s[0] < b[1] and b[0] < s[1] for b in blocked)
    )
    assert first == plain == a.outside("practice", "generic_approach", "outcome")


@settings(max_examples=80, deadline=None)
@given(st.sets(st.sampled_from(_SIGNALS), max_size=40), st.integers(-3, 4))
def test_scores_and_missing_match_the_plain_sums_and_sorts(present: set[str], limit: int) -> None:
    for label, table in _MODEL.weights.items():
        plain = _MODEL.biases[label] + math.fsum(table.get(s, 0.0) for s in present)
        assert _MODEL.score(label, present) == plain
    judgement = Judgement(
        scores=_MODEL.scores(present), present=dict.fromkeys(present), model=_MODEL
    )
    for label, table in _MODEL.weights.items():
        absent = sorted((-w, s) for s, w in table.items() if w > 0 and s not in present)
        assert (
            judgement.missing(label, limit=limit)
            == (tuple(s for _w, s in absent if s in _CONTENT)[:limit])
        )
