"""Features several rule modules share: approach, focus, outcome targets, measures, time."""

from __future__ import annotations

import re

from devcycle.rules.subject import Subject
from devcycle.rules.text import Analysis, Span

__all__ = [
    "approach_spans",
    "dated_by_structure",
    "has_measure",
    "has_named_approach",
    "has_time",
    "measured_by_structure",
    "near",
    "outcome_target_spans",
    "outcome_words",
    "supporting_texts",
]


def approach_spans(a: Analysis) -> tuple[Span, ...]:
    """Named practices and approach clauses, neither generic nor part of an outcome measure."""
    return (
        *a.outside("practice", "generic_approach", "outcome"),
        *a.outside("approach_clause", "generic_approach"),
    )


def near(a: Analysis, first: Span, second: Span, *, reach: int = 80) -> bool:
    """Whether two spans are within *reach* characters of each other in one sentence."""
    gap_start, gap_end = min(first[1], second[1]), max(first[0], second[0])
    if gap_end - gap_start > reach:
        return False
    between = a.text[gap_start:gap_end]
    return not any(mark in between for mark in (". ", "; ", "\n"))


def has_named_approach(a: Analysis) -> bool:
    """Whether the text names a concrete practice and who, what or how much it is for."""
    return bool(approach_spans(a)) and a.has("focus", "deliverable", "quantity")


def supporting_texts(subject: Subject) -> tuple[Analysis, ...]:
    """The statement plus the structured fields that can name an approach or a measure."""
    found = [subject.analysis]
    words = subject.words
    if words is not None:
        extra = (words.rationale, *words.support, *words.criteria)
        found.extend(subject.analyse(t) for t in extra if t.strip())
    return tuple(found)


def outcome_target_spans(a: Analysis) -> tuple[Span, ...]:
    """Pupil-outcome measures (grades, progress, attendance) with a number or "all" near them."""
    numbers = (*a.spans("quantity"), *a.spans("placeholder"))
    everyone = a.spans("universal")
    specific = tuple(
        o for o in a.spans("outcome") if any(near(a, o, q) for q in (*numbers, *everyone))
    )
    general = tuple(o for o in a.spans("outcome_generic") if any(near(a, o, q) for q in numbers))
    return tuple(sorted({*specific, *general}))


_COUNT_SLOT = re.compile(
    r"(?:[xn]\s*%|[xyzn]\s+per\s*cent|x\s+\w+|\[[^\]]*(?:%|number|figure|target)[^\]]*\])", re.I
)
"""A placeholder that stands for a figure ("x%", "y per cent", "x pupils", "[target %]")."""


def has_measure(a: Analysis) -> bool:
    """Whether the text says how success will be judged."""
    # A placeholder count ("x%", "x pupils") is a measure still to be agreed: the rubric
    # counts it against specificity (S103), not measurability.
    if any(_COUNT_SLOT.match(a.words(p)) for p in a.spans("placeholder")):
        return True
    if a.has("quantity", "success", "evidence", "deliverable", "single_output"):
        return True
    if a.has("affective", "evaluative"):
        return False
    return (a.has("universal") and a.has("outcome", "binary")) or a.has("coverage")


def has_time(a: Analysis) -> bool:
    """Whether the text has a deadline or a time frame with an end point."""
    return a.has("deadline", "time_frame")


def dated_by_structure(subject: Subject) -> bool:
    """Whether the objective's fields say when: a deadline, or a success criterion with a date."""
    words = subject.words
    if words is None:
        return False
    if words.has_deadline:
        return True
    return any(has_time(subject.analyse(text)) for text in words.criteria)


def measured_by_structure(subject: Subject) -> bool:
    """Whether the objective's fields say how success is judged: criteria or evidence."""
    words = subject.words
    return words is not None and bool(words.criteria or words.evidence)


def outcome_words(a: Analysis) -> tuple[Span, ...]:
    """Every pupil-outcome word, specific ("grade 5", "ARE") or general ("attainment")."""
    return (*a.spans("outcome"), *a.spans("outcome_generic"))
