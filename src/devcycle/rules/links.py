"""L7xx: missing links from an objective to CPD, support and school priorities."""

from __future__ import annotations

from collections.abc import Iterator

from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject


@rule(
    "L701",
    "no-cpd-linked",
    criterion="links",
    severity="warning",
    message="No CPD or support linked to this objective",
    why=(
        "Ofsted found the link between objectives and CPD one of the weakest features of "
        "appraisal; every objective should have the professional learning that will help."
    ),
    fix="Record the support (coaching, a course, time) or link a CPD activity to it.",
    needs_context=True,
)
def no_cpd_linked(subject: Subject) -> Iterator[Hit]:
    """Flag a structured objective with no support recorded and no CPD activity pointing at it."""
    objective = subject.objective
    if objective is None or objective.support:
        return
    context = subject.context
    if context is not None:
        for activity in context.cpd:
            for ref in activity.objective_refs:
                same_cycle = context.cycle_id is None or ref.cycle_id == context.cycle_id
                if same_cycle and ref.objective_id == objective.id:
                    return
    yield Hit(path="$.support")


@rule(
    "L702",
    "no-priority-link",
    criterion="links",
    severity="info",
    message="Not linked to a school priority",
    why=(
        "Objectives should contribute to the school improvement plan and be cross-referenced "
        "to it, so that leaders can see each priority's support."
    ),
    fix="Add the improvement-plan priority it serves to the objective's priorities.",
    needs_context=True,
)
def no_priority_link(subject: Subject) -> Iterator[Hit]:
    """Flag a structured objective that names no school priority."""
    objective = subject.objective
    if objective is not None and not objective.priority_ids:
        yield Hit(path="$.priority_ids")


@rule(
    "L703",
    "unknown-priority",
    criterion="links",
    severity="warning",
    message="Priority {detail} is not in the school's improvement plan",
    why="A link to a priority the school does not have is a typo or an out-of-date plan.",
    fix="Use one of the school's priority ids, or add the priority to the plan.",
    needs_context=True,
)
def unknown_priority(subject: Subject) -> Iterator[Hit]:
    """Flag priority ids that the school's priorities (in the context) do not contain."""
    objective = subject.objective
    context = subject.context
    if objective is None or context is None or not context.priorities:
        return
    known = {p.id for p in context.priorities}
    for index, priority_id in enumerate(objective.priority_ids):
        if priority_id not in known:
            yield Hit(path=f"$.priority_ids[{index}]", detail=repr(priority_id))
