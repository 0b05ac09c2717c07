"""M2xx: is the objective measurable? A measure, success criteria, evidence or deliverable."""

from __future__ import annotations

from collections.abc import Iterator

from devcycle.rules._features import has_measure, measured_by_structure
from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject


@rule(
    "M201",
    "no-measure",
    criterion="measurable",
    severity="error",
    negates="measurable",
    message="No measure: nothing says how success will be judged{detail}",
    why=(
        "Without a measure, a success criterion, an evidence source or a finished deliverable "
        "(one event or output counts), the end-of-year review becomes a matter of opinion."
    ),
    fix=(
        "Add how you will know: a number ('at least 4 of the 6 pupils'), an evidence source "
        "('seen in two drop-ins', 'the reading-age test in March') or a deliverable."
    ),
    bad=[
        "Make lessons more engaging for boys.",
        "Support pupils with their learning in class.",
        "Organise the staff socials.",
    ],
    good=[
        "Run a book club, with 12+ regular attendees on the register.",
        "Use talk partners in Year 4, evidenced in two drop-ins.",
        "Write a new behaviour policy.",
        "Organise a TeachMeet for the trust's science teachers.",
    ],
)
def no_measure(subject: Subject) -> Iterator[Hit]:
    """Flag objectives with no measure in the text and no success criteria or evidence fields."""
    if measured_by_structure(subject) or has_measure(subject.analysis):
        return
    a = subject.analysis
    feeling = a.first("affective")
    if feeling is None:
        yield Hit()
        return
    yield Hit(span=feeling, detail=f"; '{a.words(feeling)}' is a feeling, not a measure")


@rule(
    "M202",
    "placeholder-target",
    criterion="measurable",
    severity="error",
    negates="measurable",
    message="Placeholder left in the target: '{detail}'",
    why=(
        "Deprecated in 0.2.0: the rubric devcycle is measured against counts a placeholder "
        "against specificity (the objective does not yet say what, or for whom), not against "
        "measurability; S103 reports it now. Selected by its code, it still runs."
    ),
    fix="Agree the actual figure, or replace it with an evidence source.",
    status="deprecated",
    bad=[
        "Run precision teaching for x pupils; success = x% fluency.",
        "Raise scores to X% by July.",
    ],
    good=["Run precision teaching for 5 pupils; success = 4 of 5 fluent in the June check."],
)
def placeholder_target(subject: Subject) -> Iterator[Hit]:
    """Flag targets still holding a placeholder (x%, TBC, [n])."""
    a = subject.analysis
    for span in a.spans("placeholder"):
        yield Hit(span=span, detail=a.words(span))
