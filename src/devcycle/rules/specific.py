"""S1xx: is the objective specific? A concrete focus and what will be done."""

from __future__ import annotations

import re
from collections.abc import Iterator

from devcycle.rules._features import approach_spans, has_named_approach, supporting_texts
from devcycle.rules.clauses import clauses
from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject
from devcycle.rules.text import Analysis, Span


@rule(
    "S103",
    "placeholder",
    criterion="specific",
    severity="error",
    negates="specific",
    message="Placeholder left in the objective: '{detail}'",
    why=(
        "A topic, group or figure written as 'x%', '[insert subject]' or 'TBC' was never "
        "agreed, so the objective does not yet say what will be done, for whom or how much."
    ),
    fix="Agree the actual subject, pupils and figure before the objective is signed off.",
    bad=[
        "Run precision teaching for x pupils; success = x% fluency.",
        "Raise attainment in [insert subject] by July.",
        "Raise scores to X% by July.",
    ],
    good=["Run precision teaching for 5 pupils; success = 4 of 5 fluent in the June check."],
    since="0.2.0",
    decisive=True,
)
def placeholder(subject: Subject) -> Iterator[Hit]:
    """Flag objectives still holding a placeholder (x%, TBC, [subject])."""
    a = subject.analysis
    for span in a.spans("placeholder"):
        yield Hit(span=span, detail=a.words(span))


@rule(
    "S104",
    "no-topic",
    criterion="specific",
    severity="error",
    negates="specific",
    message="An action with no topic: '{detail}'",
    why=(
        "'Mentor someone', 'talk at a conference', 'provide training as needed': something "
        "will be done, but not on what, for whom or how much, so the objective cannot guide "
        "the year's work and any activity would meet it."
    ),
    fix=(
        "Say what the action is on and who it is for: 'mentor the new Year 3 teacher on "
        "behaviour routines', 'talk at the county maths conference on bar models'."
    ),
    bad=[
        "Mentor someone.",
        "Talk at a conference.",
        "Undertake lesson observation once a term.",
        "Provide training as needed.",
        "Speak to as many people as possible.",
    ],
    good=[
        "Mentor the new Year 3 teacher on behaviour routines this term.",
        "Talk at the county maths conference on bar models in March.",
        "Observe two Year 9 history lessons on questioning by Easter.",
        "Run phonics catch-up for the Year 2 group as needed until Easter.",
    ],
    since="0.2.0",
    decisive=True,
)
def no_topic(subject: Subject) -> Iterator[Hit]:
    """Flag an action with nothing said of its topic, where no focus is named either."""
    a = subject.analysis
    found = a.spans("no_topic")
    if not found or a.has("focus", "practice"):
        return
    span = found[0]
    yield Hit(span=span, detail=a.words(span))


@rule(
    "S101",
    "vague-aim",
    criterion="specific",
    severity="error",
    negates="specific",
    message="Vague aim with no concrete approach: '{detail}'",
    why=(
        "An aim such as 'improve', 'develop' or 'be more confident' does not say what will be "
        "done differently, for whom, so neither side can tell at review whether it happened."
    ),
    fix=(
        "Name the practice you will use and who it is for: 'use hinge questions in every "
        "Year 9 history lesson', not 'improve my questioning'."
    ),
    bad=[
        "Improve my teaching.",
        "Be more confident in front of the class.",
        "Work more closely with the SENCo.",
        "Pass my QTS.",
        "Reduce exclusions by using a range of strategies.",
    ],
    good=[
        "Improve my Year 9 questioning by planning three hinge questions per lesson.",
        "Run a weekly phonics catch-up group for six Year 2 pupils.",
        "Write a new behaviour policy.",
        "Continue to run the Year 7 reading club after school.",
    ],
)
def vague_aim(subject: Subject) -> Iterator[Hit]:
    """Flag vague aims when no named practice and focus make them concrete."""
    a = subject.analysis
    actions = a.outside("action", "vague")
    vague = [v for v in a.spans("vague") if not _purpose_clause(a.text, v, actions)]
    if not vague:
        return
    if any(has_named_approach(t) for t in supporting_texts(subject)):
        return
    span = vague[0]
    yield Hit(span=span, detail=a.words(span))


_PURPOSE = re.compile(r"(?:\bin\s+order\s+|\bso\s+as\s+)?\bto\s+$", re.IGNORECASE)


def _purpose_clause(text: str, span: Span, actions: tuple[Span, ...]) -> bool:
    """Whether a vague aim only says why a concrete action comes first ("visit … to improve …")."""
    words = text[span[0] : span[1]].lower().split()
    before = text[max(0, span[0] - 20) : span[0]]
    if words[:1] == ["to"]:
        if (words[1:2] and words[1] in {"a", "an", "the"}) or words[-1].startswith("standard"):
            return False  # "to a high standard", "to high standards": no purpose, a standard
        before = before + "to "
    return bool(_PURPOSE.search(before)) and any(a[1] <= span[0] for a in actions)


@rule(
    "S102",
    "no-concrete-action",
    criterion="specific",
    severity="error",
    negates="specific",
    message="No concrete action: the objective says what should be true, not what you will do",
    why=(
        "An outcome on its own ('GLD to be 75%', 'pass my induction') names nothing that the "
        "person will do, so it cannot guide the year's work or the support they need."
    ),
    fix=(
        "Start from the action: 'run …', 'introduce …', 'teach …', 'complete …', then say who "
        "it is for and how you will know it worked."
    ),
    bad=[
        "GLD to be 75%+.",
        "All pupils make expected progress.",
        "Department P8 to be +0.3 or above.",
    ],
    good=[
        "Introduce a department homework policy and check it is followed.",
        "Complete the Level 3 qualification by July.",
        "Use cold calling with 8R.",
        "Creating a revision guide for my Year 11 class.",
        "Incorporate a retrieval starter into each Year 8 lesson.",
    ],
)
def no_concrete_action(subject: Subject) -> Iterator[Hit]:
    """Flag statements with neither a concrete action of the person's nor a named practice."""
    a = subject.analysis
    if not a.text.strip():
        yield Hit(span=None, detail="")
        return
    if _own_action(a) or approach_spans(a):
        return
    if a.spans("vague"):
        return
    yield Hit(span=(0, len(a.text.rstrip())))


def _own_action(a: Analysis) -> bool:
    """Whether a concrete action in the text is the person's, not only pupils' or others'.

    "30% to write their name" and "pupils will select a book" say what pupils will do: an
    outcome, which the rubric calls a bare outcome target, not an action of the person's.
    """
    actions = a.outside("action", "vague")
    if not actions:
        return False
    theirs = [c.span for c in clauses(a.text) if c.actor in ("pupils", "others")]
    if not theirs:
        return True
    return any(not any(c[0] <= s[0] < c[1] for c in theirs) for s in actions)
