"""W8xx: the whole set of a person's objectives, not one objective at a time.

The sources ask that a person's objectives, taken together, balance improving practice with
career development, include some of the person's own (not only team or whole-school ones),
are not imposed over their disagreement, name the pupils they are for, and ask something new
of the person. Each rule here reads the objective being checked with the owner's other live
objectives (`CheckContext.other_objectives`; `CheckContext.from_cycle` and `check_cycle` fill
them in), and its thresholds come from the school's configuration (`SetThresholds`,
``[check.set]``).

A finding about the set is reported once, on the set's first objective by id, so that a
proforma or a count of findings does not repeat it for every objective. The balance rules look
only at sets of at least ``min-size`` live objectives (2 by default).

The rules' examples describe a set: objectives separated by `` | ``, each optionally tagged
``[team]``, ``[whole-school]``, ``[set over disagreement]`` or ``[carried forward]``
(`example_set` reads them).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from datetime import date

import attrs

from devcycle.domain import Agreement, Objective, ObjectiveKind, ObjectiveStatus, Role
from devcycle.rules.config import SetThresholds
from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject
from devcycle.rules.text import Analysis, Lexicons

__all__ = ["EXAMPLE_SEPARATOR", "ObjectiveTraits", "example_set"]

EXAMPLE_SEPARATOR = " | "
"""Separates the objectives of a set in a W8xx rule's examples."""

_NOT_WITH_PUPILS = frozenset({Role.SUPPORT_STAFF, Role.OTHER})


@attrs.frozen
class ObjectiveTraits:
    """What the set rules and the objective-set report read from one objective.

    Attributes:
        career: About the person's own career development (a qualification, a next role),
            in its statement or rationale.
        practice: About improving practice: anything but career development alone (an
            objective about a qualification that names the pupils it is for is both).
        pupil_focused: Names the pupils, class, year or group it is for (statement,
            rationale or success criteria).
        own: The person's own (individual) objective, not a team or whole-school one.
        over_disagreement: Set by the reviewer over the person's recorded disagreement.
        new: New this cycle (not carried forward from an earlier one).
    """

    career: bool
    practice: bool
    pupil_focused: bool
    own: bool
    over_disagreement: bool
    new: bool

    @classmethod
    def of(cls, objective: Objective, lexicons: Lexicons | None = None) -> ObjectiveTraits:
        """Read *objective*'s traits with *lexicons* (the built-in ones by default).

        Examples:
            >>> t = ObjectiveTraits.of(Objective(id="obj-1", statement="Complete the NPQH."))
            >>> t.career, t.practice, t.pupil_focused
            (True, False, False)
        """
        words = lexicons or Lexicons.builtin()
        career, pupils = _text_traits(
            objective.statement,
            objective.rationale,
            tuple(c.text for c in objective.success_criteria),
            words,
        )
        agreement = objective.agreement
        return cls(
            career=career,
            practice=not career or pupils,
            pupil_focused=pupils,
            own=objective.kind is ObjectiveKind.INDIVIDUAL,
            over_disagreement=agreement is not None and agreement.set_by_reviewer,
            new=objective.carried_from is None,
        )


@functools.lru_cache(maxsize=4096)
def _text_traits(
    statement: str, rationale: str, criteria: tuple[str, ...], words: Lexicons
) -> tuple[bool, bool]:
    """Whether an objective's texts are about career development, and name the pupils.

    Remembered by text: the set rules read every objective of a set for each objective in it.
    The statement's analysis is the one the rules and the judge share; the rationale and the
    criteria are read for two lexicons, one by one.
    """
    analyses = [
        read(t, words)
        for t, read in ((statement, Analysis.of), (rationale, Analysis.supporting))
        if t.strip()
    ]
    criteria_read = [Analysis.supporting(c, words) for c in criteria]
    career = any(a.has("career") for a in analyses)
    return career, any(a.has("pupils") for a in (*analyses, *criteria_read))


def _live_set(subject: Subject) -> tuple[Objective, ...] | None:
    """The owner's live objectives with the one being checked, when it is the set's anchor.

    None when there is no structured objective or context, when the objective is evaluated,
    or when another objective of the set comes first by id (the finding is reported there).
    Worked out once per objective checked, for every set rule.
    """
    return subject.shared(_find_live_set)


def _find_live_set(subject: Subject) -> tuple[Objective, ...] | None:
    objective, context = subject.objective, subject.context
    if objective is None or context is None or objective.status is ObjectiveStatus.EVALUATED:
        return None
    others = [
        o
        for o in context.other_objectives
        if o.id != objective.id and o.status is not ObjectiveStatus.EVALUATED
    ]
    if any(o.id < objective.id for o in others):
        return None
    return (objective, *others)


def _balanced_set(subject: Subject) -> tuple[list[ObjectiveTraits], SetThresholds] | None:
    return subject.shared(_find_balanced_set)


def _find_balanced_set(subject: Subject) -> tuple[list[ObjectiveTraits], SetThresholds] | None:
    found = _live_set(subject)
    limits = subject.config.set_thresholds
    if found is None or len(found) < max(1, limits.min_size):
        return None
    lexicons = subject.config.lexicons
    return [ObjectiveTraits.of(o, lexicons) for o in found], limits


def _of(count: int, total: int) -> str:
    return f"{count} of {total} objective{'s' if total != 1 else ''}"


@rule(
    "W801",
    "career-only-set",
    criterion="set",
    severity="warning",
    message="Too little on improving practice: {detail}",
    why=(
        "Appraisal exists to improve practice; a set made of qualifications and next roles "
        "leaves the person's day-to-day work with pupils or colleagues untouched, and the "
        "sources warn that career and practice fall out of balance."
    ),
    fix=(
        "Keep the career objective, and agree one about the person's own practice: what they "
        "will do differently, for which pupils or colleagues."
    ),
    bad=[
        "Complete the NPQ for Senior Leadership by July 2027. | Shadow the deputy head's "
        "timetabling work for one week in the spring term.",
    ],
    good=[
        "Complete the NPQ for Senior Leadership by July 2027. | Pre-teach vocabulary to the 5 "
        "EAL pupils in 4M each week until Easter.",
    ],
    needs_context=True,
    since="0.2.0",
)
def career_only_set(subject: Subject) -> Iterator[Hit]:
    """Flag a set with fewer objectives on practice than the school asks (default 1)."""
    found = _balanced_set(subject)
    if found is None:
        return
    items, limits = found
    count = sum(t.practice for t in items)
    if count < limits.min_practice:
        yield Hit(
            path="$",
            detail=f"{_of(count, len(items))} improve practice (at least "
            f"{limits.min_practice} asked for); the rest are career development",
        )


@rule(
    "W802",
    "no-career-development",
    criterion="set",
    severity="info",
    message="No career development in the set: {detail}",
    why=(
        "The sources ask for a balance between improving practice and the person's own career "
        "development; staff who see no future in the process stop valuing it."
    ),
    fix=(
        "Ask what the person wants next (a qualification, a leadership step, a specialism) and "
        "agree one objective that moves them towards it."
    ),
    bad=[
        "Introduce retrieval quizzes in my three Year 8 science classes by Easter. | Run a "
        "weekly reading group for the 6 Year 9 pupils below their reading age until July.",
    ],
    good=[
        "Introduce retrieval quizzes in my three Year 8 science classes by Easter. | Complete "
        "the NPQ for Leading Teaching by June 2027.",
    ],
    needs_context=True,
    since="0.2.0",
)
def no_career_development(subject: Subject) -> Iterator[Hit]:
    """Flag a set with fewer career-development objectives than asked (default 1)."""
    found = _balanced_set(subject)
    if found is None:
        return
    items, limits = found
    count = sum(t.career for t in items)
    if count < limits.min_career:
        yield Hit(
            path="$",
            detail=f"{_of(count, len(items))} develop the person's career (at least "
            f"{limits.min_career} suggested)",
        )


@rule(
    "W803",
    "no-own-objective",
    criterion="set",
    severity="warning",
    message="None of the person's own: {detail}",
    why=(
        "Team and whole-school objectives tie a person to the school's plan, but teachers "
        "should drive their own development; a set with nothing of their own is a plan "
        "handed down."
    ),
    fix=(
        "Keep the shared objective and agree one individual objective that the person proposes "
        "from their own practice and needs."
    ),
    bad=[
        "[whole-school] Use the new behaviour policy's three-step routine in every lesson "
        "from September. | [team] Moderate Year 6 writing with the phase team each half term.",
    ],
    good=[
        "[whole-school] Use the new behaviour policy's three-step routine in every lesson "
        "from September. | Model fluent reading aloud to my Year 3 class daily until Easter.",
    ],
    needs_context=True,
    since="0.2.0",
)
def no_own_objective(subject: Subject) -> Iterator[Hit]:
    """Flag a set with fewer individual objectives than asked (default 1)."""
    found = _balanced_set(subject)
    if found is None:
        return
    items, limits = found
    count = sum(t.own for t in items)
    if count < limits.min_individual:
        yield Hit(
            path="$",
            detail=f"{_of(count, len(items))} are individual; the rest are team or "
            "whole-school objectives",
        )


@rule(
    "W804",
    "set-over-disagreement",
    criterion="set",
    severity="warning",
    message="Objectives imposed: {detail}",
    why=(
        "A reviewer may set an objective over a disagreement, but most staff in one poll said "
        "their targets were imposed and the process did not help them improve; more than one "
        "imposed objective means the conversation has broken down."
    ),
    fix=(
        "Meet again to agree the objectives, with a third person (a senior leader) if needed; "
        "record what the person would propose instead."
    ),
    bad=[
        "[set over disagreement] Raise my Year 11 class's average grade by one. | [set over "
        "disagreement] Run two extra revision sessions for Year 11 each week until May.",
    ],
    good=[
        "[set over disagreement] Run two extra revision sessions for Year 11 each week until "
        "May. | Introduce retrieval quizzes in my three Year 8 science classes by Easter.",
    ],
    needs_context=True,
    since="0.2.0",
)
def set_over_disagreement(subject: Subject) -> Iterator[Hit]:
    """Flag more objectives set over the person's disagreement than allowed (default 1).

    This rule looks at sets of any size: two imposed objectives are too many however many
    there are.
    """
    found = _live_set(subject)
    if found is None:
        return
    limits = subject.config.set_thresholds
    count = sum(1 for o in found if o.agreement is not None and o.agreement.set_by_reviewer)
    if count > limits.max_over_disagreement:
        yield Hit(
            path="$",
            detail=f"{_of(count, len(found))} were set over the person's disagreement "
            f"(at most {limits.max_over_disagreement} expected)",
        )


@rule(
    "W805",
    "no-pupil-focus",
    criterion="set",
    severity="warning",
    message="No objective names the pupils it is for: {detail}",
    why=(
        "Good objectives are pupil-focused (the Teacher Development Trust's first principle): "
        "a set that never names a class, year or group of pupils is about the adult alone."
    ),
    fix=(
        "Say which pupils at least one objective is for, and what difference it should make "
        "to them: 'the 6 Year 4 pupils below age-related expectations in reading'."
    ),
    bad=[
        "Complete the NPQ for Leading Teaching by June 2027. | Lead two department CPD "
        "sessions on worked examples by March.",
    ],
    good=[
        "Complete the NPQ for Leading Teaching by June 2027. | Use worked examples with my "
        "two Year 10 maths sets until the mock exams in March.",
    ],
    needs_context=True,
    since="0.2.0",
)
def no_pupil_focus(subject: Subject) -> Iterator[Hit]:
    """Flag a set that names no pupils, for staff who work with pupils.

    Support staff and other roles without pupils (as `devcycle.Role` records them) are not
    flagged.
    """
    if subject.role in _NOT_WITH_PUPILS:
        return
    found = _balanced_set(subject)
    if found is None:
        return
    items, limits = found
    count = sum(t.pupil_focused for t in items)
    if count < limits.min_pupil_focused:
        yield Hit(
            path="$",
            detail=f"{_of(count, len(items))} name the pupils they are for (at least "
            f"{limits.min_pupil_focused} asked for)",
        )


@rule(
    "W806",
    "nothing-new",
    criterion="set",
    severity="info",
    message="Nothing new asked of the person: {detail}",
    why=(
        "Carrying an unfinished objective forward is sound, but a year whose objectives were "
        "all carried forward asks nothing new; staff must feel free to try something."
    ),
    fix=(
        "Close or merge the carried objectives that have run their course, and agree one "
        "that asks the person to try something new."
    ),
    bad=[
        "[carried forward] Run a weekly reading group for the 6 Year 9 pupils below their "
        "reading age until July. | [carried forward] Introduce retrieval quizzes in my three "
        "Year 8 science classes by Easter.",
    ],
    good=[
        "[carried forward] Run a weekly reading group for the 6 Year 9 pupils below their "
        "reading age until July. | Trial whole-class feedback sheets with my Year 10 set "
        "until February half term.",
    ],
    needs_context=True,
    since="0.2.0",
)
def nothing_new(subject: Subject) -> Iterator[Hit]:
    """Flag a set with fewer new (not carried forward) objectives than asked (default 1)."""
    found = _balanced_set(subject)
    if found is None:
        return
    items, limits = found
    count = sum(t.new for t in items)
    if count < limits.min_new:
        yield Hit(
            path="$",
            detail=f"{_of(count, len(items))} are new this cycle; the rest were carried forward",
        )


_TAGS = {
    "[team]": "team",
    "[whole-school]": "whole-school",
    "[set over disagreement]": "over",
    "[carried forward]": "carried",
}


def example_set(
    example: str, *, owner_id: str = "T001", reviewer_id: str = "H001", on: date | None = None
) -> tuple[Objective, ...]:
    """Return the objectives a W8xx rule example describes, agreed, with ids obj-1, obj-2...

    Objectives are separated by `EXAMPLE_SEPARATOR`; tags at the start of one make it a team
    (joint) or whole-school objective, set over disagreement, or carried forward.

    Examples:
        >>> [o.kind.value for o in example_set("[team] Moderate writing. | Teach phonics.")]
        ['joint', 'individual']
    """
    day = on or date(2026, 10, 1)
    found: list[Objective] = []
    for index, part in enumerate(example.split(EXAMPLE_SEPARATOR), start=1):
        text, tags = part.strip(), set[str]()
        while text.startswith("["):
            tag = next((t for t in _TAGS if text.startswith(t)), None)
            if tag is None:
                break
            tags.add(_TAGS[tag])
            text = text[len(tag) :].strip()
        kind = ObjectiveKind.INDIVIDUAL
        owners: Sequence[str] = (owner_id,)
        if "team" in tags:
            kind, owners = ObjectiveKind.JOINT, (owner_id, f"{owner_id}-colleague")
        elif "whole-school" in tags:
            kind = ObjectiveKind.WHOLE_SCHOOL
        agreement = (
            Agreement(on=day, by=reviewer_id, set_by_reviewer=True, disagreement="not agreed")
            if "over" in tags
            else Agreement(on=day, by=reviewer_id)
        )
        found.append(
            Objective(
                id=f"obj-{index}",
                statement=text,
                kind=kind,
                owner_ids=owners,
                status=ObjectiveStatus.AGREED,
                agreement=agreement,
                carried_from="earlier#obj-1" if "carried" in tags else None,
            )
        )
    return tuple(found)
