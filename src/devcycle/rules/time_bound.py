"""T5xx: is the objective time-bound? A deadline or a time frame with an end, inside the cycle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from devcycle.rules._features import dated_by_structure, has_time
from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject


@rule(
    "T501",
    "no-time-frame",
    criterion="time_bound",
    severity="error",
    negates="time_bound",
    message="No time frame with an end point{detail}",
    why=(
        "Without a date or an end point, progress cannot be checked at the mid-year review and "
        "the objective drifts to the end of the year."
    ),
    fix=(
        "Add when: 'by 31/3/27', 'by Easter', 'by the end of the spring term', 'over the next "
        "two half-terms', 'within this cycle', or set the objective's deadline."
    ),
    bad=[
        "Run a weekly homework club for Year 8.",
        "Mark books termly.",
        "Observe every teacher, starting in September.",
    ],
    good=[
        "Run a homework club for Year 8 by Easter.",
        "Mark books by the end of the spring term.",
        "Over the next two half-terms, trial retrieval quizzes.",
        "During 2026-27 lead the reading project.",
        "Complete the course within this cycle.",
        "By 31/3/27 finish the unit.",
        "By the end of Year 10 every pupil has done the practicals.",
        "Update the marking policy by the first quarter of the year.",
    ],
)
def no_time_frame(subject: Subject) -> Iterator[Hit]:
    """Flag objectives with no deadline field and no time expression in text or criteria."""
    if dated_by_structure(subject):
        return
    a = subject.analysis
    if has_time(a):
        return
    rhythm = a.first("frequency", "open_start")
    if rhythm is not None:
        yield Hit(span=rhythm, detail=f": '{a.words(rhythm)}' says how often, not by when")
        return
    yield Hit(span=None, detail="")


def _window(subject: Subject) -> tuple[date, date] | None:
    if subject.context is not None and subject.context.window is not None:
        return subject.context.window
    return subject.config.window


@rule(
    "T502",
    "deadline-outside-cycle",
    criterion="time_bound",
    severity="error",
    negates="time_bound",
    message="Deadline {detail} falls outside the cycle",
    why="An objective due after the cycle ends cannot be evaluated at this cycle's final review.",
    fix="Move the deadline inside the cycle, or split the work and carry the rest forward.",
    bad=["Finish the unit by 31/12/2030."],
    good=["Finish the unit by 31/3/2027."],
    needs_context=True,
)
def deadline_outside_cycle(subject: Subject) -> Iterator[Hit]:
    """Flag a deadline field or a date in the text that falls outside the cycle's window."""
    window = _window(subject)
    if window is None:
        return
    first, last = window
    objective = subject.objective
    if objective is not None and objective.deadline is not None:
        if not first <= objective.deadline <= last:
            yield Hit(path="$.deadline", detail=objective.deadline.isoformat())
        return
    for span, when in subject.analysis.dates(first.year):
        if not first <= when <= last and not (when.year == first.year and when < first):
            yield Hit(span=span, detail=f"'{subject.text[span[0] : span[1]]}'")
