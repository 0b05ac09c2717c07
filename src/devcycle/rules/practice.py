"""P6xx: known bad practice: bare data targets, pay-linked language, too many objectives."""

from __future__ import annotations

from collections.abc import Iterator

from devcycle.domain import ObjectiveStatus
from devcycle.rules._features import (
    approach_spans,
    has_named_approach,
    outcome_target_spans,
    supporting_texts,
)
from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject
from devcycle.rules.text import Analysis, Span


@rule(
    "P601",
    "bare-data-target",
    criterion="practice",
    severity="error",
    negates="specific",
    data_target=True,
    message="Bare pupil-data target: '{detail}",
    why=(
        "Targets such as '80% of pupils to achieve grade 5+' name no pupils, no need and no "
        "approach; most teachers in one poll had them, and they produced false data rather "
        "than better teaching."
    ),
    fix=(
        "Tie the outcome to named pupils, their need and your approach: 'pre-teach vocabulary "
        "to the 5 EAL pupils in 4M; at least 4 use the target words in independent writing'."
    ),
    bad=[
        "80% of pupils to achieve grade 5+ in maths.",
        "Department P8 to be +0.3 or above in summer 2027.",
        "Whole school attendance 96.5%.",
    ],
    good=[
        "Deliver phonics catch-up to the 6 Year 1 pupils who did not pass the autumn check; "
        "aim for at least 4 of them to reach the expected standard in June.",
        "Introduce retrieval quizzes in my three Year 8 science classes.",
    ],
)
def bare_data_target(subject: Subject) -> Iterator[Hit]:
    """Flag outcome targets that name no pupils, need and approach."""
    a = subject.analysis
    found = outcome_target_spans(a)
    if not found:
        return
    texts = supporting_texts(subject)
    if any(has_named_approach(t) for t in texts) or _action_first(a, found[0]):
        return
    missing = [
        what
        for what, present in (
            ("which pupils", any(t.has("focus") for t in texts)),
            ("what need", any(t.has("need") for t in texts)),
            ("what approach", any(approach_spans(t) for t in texts)),
        )
        if not present
    ]
    says = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
    yield Hit(span=found[0], detail=f"{a.words(found[0])}' does not say {says}")


def _action_first(a: Analysis, outcome: Span) -> bool:
    """Whether the statement leads with a concrete action for named pupils before any outcome.

    "Run a club for the 12 Year 10 candidates, recording each one's grade" is an approach
    with a measure, not a bare data target.
    """
    amounts = (*a.spans("quantity"), *a.spans("universal"), *a.spans("placeholder"))
    first = min([outcome[0], *(q[0] for q in amounts)])
    actions = [s for s in a.outside("action", "vague") if s[1] <= first]
    vague = [s for s in a.spans("vague") if s[1] <= first]
    return bool(actions) and not vague and a.has("focus")


@rule(
    "P602",
    "pay-linked",
    criterion="practice",
    severity="warning",
    message="Pay-linked language: '{detail}'",
    why=(
        "Development conversations work best apart from pay; England removed "
        "performance-related pay from teacher appraisal in 2024."
    ),
    fix="Keep pay out of the objective; record pay matters only where the school's policy does.",
    bad=["Meet the criteria to move up to a TLR1.", "Headteacher's PRP award agreed."],
    good=["Lead two department CPD sessions on worked examples by March."],
)
def pay_linked(subject: Subject) -> Iterator[Hit]:
    """Flag any pay, threshold or performance-related-pay wording."""
    a = subject.analysis
    for span in a.spans("pay"):
        yield Hit(span=span, detail=a.words(span))
        return


@rule(
    "P603",
    "too-many-objectives",
    criterion="practice",
    severity="warning",
    message="Too many objectives: {detail}",
    why=(
        "Two or three objectives is the usual advice; more spreads the year's effort thin and "
        "turns appraisal into paperwork."
    ),
    fix="Merge or drop objectives until there are no more than the school's limit (pro rata "
    "for part-time staff).",
    needs_context=True,
)
def too_many_objectives(subject: Subject) -> Iterator[Hit]:
    """Flag a person holding more live objectives than the limit (default 3, pro rata FTE).

    The limit is the context's (the school policy's) or the configuration's, scaled by the
    owner's FTE when part-time: 2 for a 0.6 FTE teacher under a limit of 3.
    """
    context = subject.context
    if context is None:
        return
    limit = context.max_objectives or subject.config.max_objectives
    if context.fte is not None and 0 < context.fte < 1:
        limit = max(1, round(limit * context.fte))
    others = [o for o in context.other_objectives if o.status is not ObjectiveStatus.EVALUATED]
    own_id = subject.objective.id if subject.objective is not None else None
    count = 1 + sum(1 for o in others if o.id != own_id)
    if count > limit:
        yield Hit(path="$", detail=f"{count} live objectives, more than {limit}")
