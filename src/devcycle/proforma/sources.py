"""Section sources: the functions that fill a proforma's sections from a cycle.

A source takes the `ProformaContext` and the section's `SectionSpec` (its options from the
stage file) and returns the section's blocks, or None to leave the section out entirely
(a pay section where the school keeps no pay recommendation; private notes no one in this
audience may see). An empty tuple keeps the section, shown as "Nothing recorded".

Confidentiality is decided by the access policy (`devcycle.access`), not here: the cycle a
source reads has already been redacted to what the audience may read, and the stage file
was checked to name no field its audience may not read (`devcycle.proforma.check_stage`).
The sources still show a `Confidential` note or a pay recommendation only to its own
audiences, as a second guard.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeAlias

import attrs

from devcycle.document import (
    Block,
    BulletList,
    Checklist,
    ChecklistItem,
    Field,
    Note,
    NoteKind,
    Paragraph,
    Section,
    Signatory,
    SignatureBlock,
    Table,
    _trusted_field,
    _trusted_list,
    _trusted_paragraph,
    _trusted_section,
    format_date,
)
from devcycle.domain import (
    Audience,
    ColleagueImpact,
    CPDActivity,
    Cycle,
    Framework,
    Objective,
    Outcome,
    ReviewMeeting,
    School,
    SharedWith,
    StaffMember,
)
from devcycle.errors import ValidationError
from devcycle.proforma.stages import SectionSpec, StageDefinition

__all__ = [
    "COLLEAGUE_IMPACT_HINT",
    "MEETING_NOTE_FIELDS",
    "OBJECTIVE_FIELDS",
    "ONE_SIDED",
    "RATIONALE_HINT",
    "SOURCES",
    "ProformaContext",
    "Source",
    "format_date",
    "shared_with_text",
]


@attrs.frozen
class ProformaContext:
    """Everything a source may read to fill a section.

    Attributes:
        cycle: The reviewee's cycle.
        stage: The stage being built.
        audience: Who the document is for; decides what confidential content appears.
        as_of: The date the record is as of: later check-ins, meetings and evidence are left out.
        school: The school, for priority titles and its pay policy.
        staff: Staff by id, for names.
        cpd: CPD activities, for the links from objectives to professional learning.
        framework: The standards framework, for standard titles (needed by ECT stages).
        check: A function returning the checker's open findings for an objective, or None.
        rag: A function returning an objective's computed colour and reason (the reports'
            RAG policy), or None to show the RAG recorded at the latest check-in.
    """

    cycle: Cycle
    stage: StageDefinition
    audience: Audience
    as_of: date
    school: School | None = None
    staff: Mapping[str, StaffMember] = attrs.field(factory=dict)
    cpd: tuple[CPDActivity, ...] = ()
    framework: Framework | None = None
    check: Callable[[Objective], Sequence[Any]] | None = None
    rag: Callable[[Objective], tuple[str, str]] | None = None

    def name(self, staff_id: str | None) -> str:
        """Return the person's name, or their id when they are not known."""
        if staff_id is None:
            return ""
        member = self.staff.get(staff_id)
        return member.name if member is not None else staff_id

    @functools.cached_property
    def reviews(self) -> tuple[ReviewMeeting, ...]:
        """The stage's review meetings held on or before the as-of date, oldest first."""
        kinds = set(self.stage.review_kinds)
        return tuple(
            sorted(
                (r for r in self.cycle.reviews if r.kind.value in kinds and r.on <= self.as_of),
                key=lambda r: (r.on, r.id),
            )
        )

    @functools.cached_property
    def review(self) -> ReviewMeeting | None:
        """The latest of the stage's review meetings, if one has been held."""
        reviews = self.reviews
        return reviews[-1] if reviews else None

    @property
    def pay_allowed(self) -> bool:
        """Whether the school's policy (or the cycle) keeps pay recommendations."""
        if self.school is not None and self.school.policy.pay_recommendations:
            return True
        return self.cycle.pay_recommendations

    def cpd_for(self, objective: Objective) -> tuple[CPDActivity, ...]:
        """CPD activities linked to *objective* in this cycle."""
        return tuple(a for a in self.cpd if a.supports(self.cycle.id, objective.id))

    def standard_title(self, standard_id: str) -> str:
        """Return "TS5.4 Title" from the framework, or the id alone."""
        if self.framework is not None and standard_id in self.framework:
            return f"{standard_id} {self.framework.get(standard_id).title}"
        return standard_id

    def priority_title(self, priority_id: str) -> str:
        """Return "P1 Title" from the school, or the id alone."""
        if self.school is not None:
            for priority in self.school.priorities:
                if priority.id == priority_id:
                    return f"{priority_id} {priority.title}"
        return priority_id


Source: TypeAlias = Callable[[ProformaContext, SectionSpec], "tuple[Block, ...] | None"]
"""A section source: context and section spec in, the section's blocks (or None) out."""


def _option(spec: SectionSpec, key: str, default: Any, kind: type | tuple[type, ...]) -> Any:
    value = spec.options.get(key, default)
    if not isinstance(value, kind):
        msg = f"expected {key} to be {getattr(kind, '__name__', kind)} (got {value!r})"
        raise ValidationError([f"{msg} @ $.sections[{spec.id}].{key}"], source=spec.id)
    return value


def _labels(spec: SectionSpec, defaults: Mapping[str, str]) -> dict[str, str]:
    labels = dict(defaults)
    labels.update(_option(spec, "labels", {}, dict))
    return labels


def _show(spec: SectionSpec, default: Iterable[str]) -> list[str]:
    return list(_option(spec, "show", list(default), list))


def _field(label: str, value: str, *, lines: int = 2, hint: str = "") -> Field:
    return Field(label, value, lines=lines, hint=hint)


# ------------------------------------------------------------------- objectives

RATIONALE_HINT = (
    "Never skip the why: the pupils, the school priority or the need this objective answers."
)
"""The prompt beside an objective's rationale when none is recorded."""

_OBJECTIVE_LABELS = {
    "statement": "Objective",
    "rationale": "Why this objective",
    "success_criteria": "Success criteria",
    "evidence_sources": "Evidence sources",
    "deadline": "Deadline",
    "cpd": "Linked CPD",
    "support": "Other support",
    "priorities": "School priorities",
    "standards": "Standards",
    "agreement": "Agreement",
    "status": "Status",
    "findings": "Checker findings still open",
}


def _agreement(ctx: ProformaContext, objective: Objective) -> list[Block]:
    record = objective.agreement
    if record is None or record.on > ctx.as_of:
        return [_field("Agreement", "", lines=1, hint="Agreed on (date), or disagreement recorded")]
    blocks: list[Block] = []
    if record.set_by_reviewer:
        text = f"Set by {ctx.name(record.by)} on {format_date(record.on)}"
        blocks.append(Field("Agreement", text))
        blocks.append(Field("Reviewee's recorded disagreement", record.disagreement or ""))
    else:
        blocks.append(
            Field("Agreement", f"Agreed with {ctx.name(record.by)} on {format_date(record.on)}")
        )
    return blocks


OBJECTIVE_FIELDS: dict[str, str | None] = {
    key: (None if key == "cpd" else "objectives") for key in _OBJECTIVE_LABELS
}
"""What an ``objectives`` section may ``show``, each with the access-policy field it reads."""

_NO_SPEC = SectionSpec(id="", title="", source="")


def _findings(ctx: ProformaContext, objective: Objective) -> Block | None:
    if ctx.check is None:
        return None
    findings = list(ctx.check(objective))
    if not findings:
        return Checklist((ChecklistItem("The checker found nothing to improve", done=True),))
    rows = tuple(
        (str(getattr(f, "code", "")), str(getattr(f, "message", "")), str(getattr(f, "fix", "")))
        for f in findings
    )
    caption = _labels(_NO_SPEC, _OBJECTIVE_LABELS)["findings"]
    return Table(("Code", "Finding", "How to fix"), rows, caption=caption)


def objectives(  # noqa: PLR0912 - one branch per field a stage file may show
    ctx: ProformaContext, spec: SectionSpec
) -> tuple[Block, ...]:
    """Each live objective as a subsection, with the fields the stage file's ``show`` lists."""
    labels = _labels(spec, _OBJECTIVE_LABELS)
    show = _show(spec, ["statement", "rationale", "success_criteria", "deadline", "agreement"])
    blocks: list[Block] = []
    for number, objective in enumerate(ctx.cycle.live_objectives, start=1):
        inner: list[Block] = []
        for key in show:
            if key == "statement":
                inner.append(Paragraph(objective.statement))
            elif key == "rationale":
                inner.append(Field(labels[key], objective.rationale, lines=2, hint=RATIONALE_HINT))
            elif key == "success_criteria":
                inner.append(Paragraph(labels[key]))
                inner.append(BulletList(tuple(c.text for c in objective.success_criteria)))
            elif key == "evidence_sources":
                inner.append(Field(labels[key], "; ".join(objective.evidence_sources)))
            elif key == "deadline":
                deadline = objective.deadline or ctx.cycle.period_end
                inner.append(Field(labels[key], format_date(deadline)))
            elif key == "cpd":
                linked = [
                    f"{a.title} ({a.kind.value.replace('_', ' ')}, {format_date(a.start)}"
                    + (f", with {ctx.name(a.coach_id)}" if a.coach_id else "")
                    + ")"
                    for a in ctx.cpd_for(objective)
                ]
                inner.append(Field(labels[key], "; ".join(linked), hint="None linked yet"))
            elif key == "support":
                inner.append(Field(labels[key], "; ".join(objective.support)))
            elif key == "priorities":
                titles = [ctx.priority_title(p) for p in objective.priority_ids]
                inner.append(Field(labels[key], "; ".join(titles)))
            elif key == "standards":
                titles = [ctx.standard_title(s) for s in objective.standard_ids]
                inner.append(Field(labels[key], "; ".join(titles)))
            elif key == "status":
                inner.append(Field(labels[key], objective.status.value.replace("_", " ")))
            elif key == "agreement":
                inner.extend(_agreement(ctx, objective))
            elif key == "findings":
                found = _findings(ctx, objective)
                if found is not None:
                    inner.append(found)
            else:
                known = ", ".join(_OBJECTIVE_LABELS)
                raise ValidationError(
                    [f"unknown field {key!r}; expected one of {known} @ $.sections[{spec.id}].show"]
                )
        blocks.append(Section(f"{labels['statement']} {number}", tuple(inner), id=objective.id))
    return tuple(blocks)


# --------------------------------------------------------------------- progress


def progress(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """A table of each objective's progress and RAG with the reason for the colour.

    The colour is the one the school's RAG policy computes when the context has one, else
    the one recorded at the latest check-in, with the check-in's note as the reason.
    """
    rows = []
    for number, objective in enumerate(ctx.cycle.live_objectives, start=1):
        recorded = [c for c in objective.check_ins if c.on <= ctx.as_of]
        latest = max(recorded, key=lambda c: c.on, default=None)
        percent = f"{latest.percent}%" if latest and latest.percent is not None else ""
        when = f"{format_date(latest.on)} ({ctx.name(latest.by)})" if latest else ""
        if ctx.rag is not None:
            colour, reason = ctx.rag(objective)
            rag = colour.capitalize()
        elif latest is None:
            rag, reason = "Not recorded", "No check-in yet"
        else:
            rag = latest.rag.value.capitalize() if latest.rag is not None else "Not recorded"
            reason = latest.note
        rows.append((f"{number}. {objective.statement}", percent, rag, reason, when))
    columns = _option(spec, "columns", ["Objective", "Progress", "RAG", "Reason", "Recorded"], list)
    caption = (
        "RAG from the school's RAG policy, with the reason"
        if ctx.rag is not None
        else "RAG as recorded at the latest check-in"
    )
    return (
        Table(tuple(columns), tuple(rows), caption=caption),
        Field("Progress since the last meeting", "", lines=3),
    )


# ------------------------------------------------------------------------ notes

_NOTE_LABELS = {
    "notes": "Notes",
    "reviewee_reflection": "Reviewee's reflection",
    "reviewer_reflection": "Reviewer's reflection",
}


MEETING_NOTE_FIELDS: dict[str, str | None] = dict.fromkeys(_NOTE_LABELS, "reviews")
"""What a ``meeting_notes`` section may ``show``, each with the access-policy field it reads."""


def meeting_notes(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """The latest meeting's shared notes and both sides' reflections (blanks if not held).

    ``show`` may name only ``notes``, ``reviewee_reflection`` and ``reviewer_reflection``:
    never another attribute of the meeting (confidential notes have their own source).
    """
    labels = _labels(spec, _NOTE_LABELS)
    review = ctx.review
    blocks: list[Block] = []
    if review is not None:
        blocks.append(Field("Meeting held", format_date(review.on)))
    for key in _show(spec, _NOTE_LABELS):
        if key not in MEETING_NOTE_FIELDS:
            known = ", ".join(MEETING_NOTE_FIELDS)
            raise ValidationError(
                [f"unknown field {key!r}; expected one of {known} @ $.sections[{spec.id}].show"]
            )
        value = str(getattr(review, key)) if review is not None else ""
        blocks.append(Field(labels.get(key, key), value, lines=3))
    return tuple(blocks)


def conversation(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """The wellbeing, workload and career conversation."""
    review = ctx.review
    talk = review.conversation if review is not None else None
    if "labels" not in spec.options:  # the labels are ours and the text the domain's
        return tuple(
            _trusted_field(label, getattr(talk, key) if talk is not None else "", 2)
            for key, label in _CONVERSATION_LABELS.items()
        )
    labels = _labels(spec, _CONVERSATION_LABELS)
    return tuple(
        Field(labels[key], getattr(talk, key) if talk is not None else "", lines=2)
        for key in _CONVERSATION_LABELS
    )


_CONVERSATION_LABELS = {"wellbeing": "Wellbeing", "workload": "Workload", "career": "Career"}


def agreed_actions(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Actions agreed at the meeting, with owners and dates; blank lines if none yet."""
    review = ctx.review
    actions = review.agreed_actions if review is not None else ()
    if not actions:
        lines = _option(spec, "blank_lines", 3, int)
        return (Field("Actions", "", lines=lines, hint="What, who and by when"),)
    rows = tuple((a.text, ctx.name(a.owner_id), format_date(a.due)) for a in actions)
    return (Table(("Action", "Who", "By when"), rows),)


def private_notes(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...] | None:
    """Confidential notes this audience may see; the section is left out when there are none."""
    visible = [
        note
        for review in ctx.reviews
        for note in review.private_notes
        if note.visible_to(ctx.audience)
    ]
    if not visible:
        return None
    audiences = sorted({a.value for note in visible for a in note.audiences})
    del spec
    return (
        Note(
            f"Shared only with: {', '.join(a.replace('_', ' ') for a in audiences)}.",
            kind=NoteKind.CONFIDENTIAL,
        ),
        BulletList(tuple(note.text for note in visible)),
    )


def pay_recommendation(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...] | None:
    """The pay recommendation, only where policy keeps one and this audience may see it."""
    if not ctx.pay_allowed:
        return None
    review = ctx.review
    pay = review.pay_recommendation if review is not None else None
    if pay is None:
        if ctx.audience is Audience.REVIEWEE:
            return None
        return (Field(spec.options.get("label", "Recommendation"), "", lines=2),)
    if ctx.audience not in pay.audiences:
        return None
    return (
        Note(
            "Shared only with: "
            + ", ".join(sorted(a.value.replace("_", " ") for a in pay.audiences))
            + ". Pay is decided apart from development.",
            kind=NoteKind.CONFIDENTIAL,
        ),
        Field(spec.options.get("label", "Recommendation"), pay.recommendation),
    )


# ---------------------------------------------------------------------- final


_EVALUATION_LABELS = {
    "rationale": "Why this objective",
    "outcome": "Outcome",
    "impact": "Impact",
    "evidence": "Evidence",
    "learning": "What was learned",
    "carried_forward": "Carried into next cycle",
    "reviewee_comment": "Reviewee's comment",
    "colleague_impact": "Impact on colleagues",
}
COLLEAGUE_IMPACT_HINT = (
    "Practice shared at a briefing, with a team, the whole school or another school, and "
    "what colleagues did with it."
)
"""The prompt beside impact on colleagues when none is recorded."""

_SHARED_WITH = {
    SharedWith.BRIEFING: "a briefing",
    SharedWith.TEAM: "the team",
    SharedWith.WHOLE_SCHOOL: "the whole school",
    SharedWith.OTHER_SCHOOL: "another school",
    SharedWith.OTHER: "other",
}


def shared_with_text(record: ColleagueImpact) -> str:
    """Where practice was shared, in words: "another school (Hillside Primary)"."""
    where = _SHARED_WITH[record.shared_with]
    return f"{where} ({record.with_whom})" if record.with_whom else where


def _impact_line(ctx: ProformaContext, record: ColleagueImpact) -> str:
    reach = f", {record.colleagues} colleagues" if record.colleagues else ""
    return (
        f"{format_date(record.on)}, with {shared_with_text(record)}{reach}: {record.what} "
        f"(recorded by {ctx.name(record.by)})"
    )


def _blank_impact_field(label: str) -> Field:
    return Field(label, "", lines=2, hint=COLLEAGUE_IMPACT_HINT)


_blank_colleague_impact = functools.lru_cache(maxsize=64)(_blank_impact_field)
"""The prompt for impact on colleagues, the same for every objective of a stage: built once
and shared, as blocks are frozen (issue 16, point 3)."""


def _colleague_impact(ctx: ProformaContext, objective: Objective, label: str) -> list[Block]:
    shared = [r for r in objective.colleague_impact if r.on <= ctx.as_of]
    if not shared:
        return [_blank_colleague_impact(label) if _shared(label) else _blank_impact_field(label)]
    return [Paragraph(label), BulletList(tuple(_impact_line(ctx, r) for r in shared))]


_OUTCOMES = {Outcome.MET: "Met", Outcome.PARTLY_MET: "Partly met", Outcome.NOT_MET: "Not met"}


@functools.lru_cache(maxsize=64)
def _blank_outcome(outcome: str, impact: str, learning: str) -> tuple[Checklist, Field, Field]:
    """The outcome boxes and blank impact and learning fields of an unevaluated objective.

    They are the same for every person of a stage, and blocks are frozen, so each is built
    once and shared (issue 16, point 3).
    """
    return (
        Checklist(tuple(ChecklistItem(label) for label in _OUTCOMES.values()), title=outcome),
        Field(impact, "", lines=3, hint="What difference did it make, and for whom?"),
        Field(learning, "", lines=3, hint="Including from what did not work."),
    )


def _shared(*labels: object) -> bool:
    """Whether blocks labelled *labels* may come from a cache (all are text, so hashable)."""
    return all(type(label) is str for label in labels)


def evaluations(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Per objective: outcome, impact, the evidence behind it, and what was learned."""
    labels = _labels(spec, _EVALUATION_LABELS) if spec.options else _EVALUATION_LABELS
    as_of = ctx.as_of
    evidence = {e.id: e for e in ctx.cycle.evidence if e.on <= as_of}
    parts = (labels["outcome"], labels["impact"], labels["learning"])
    blank = _blank_outcome if _shared(*parts) else _blank_outcome.__wrapped__
    hint = "Point to what already exists; no portfolios."
    blocks: list[Block] = []
    for number, objective in enumerate(ctx.cycle.live_objectives, start=1):
        evaluation = objective.evaluation
        if evaluation is not None and evaluation.on > as_of:
            evaluation = None
        # The statement, criteria and evidence are the domain's validated text: the blocks
        # are built without validating again (the labels too, unless the stage file's).
        inner: list[Block] = [
            _trusted_paragraph(objective.statement),
            _trusted_field(labels["rationale"], objective.rationale, 1, RATIONALE_HINT)
            if labels is _EVALUATION_LABELS
            else Field(labels["rationale"], objective.rationale, lines=1, hint=RATIONALE_HINT),
        ]
        if objective.success_criteria:
            inner.append(_trusted_list(tuple(c.text for c in objective.success_criteria)))
        if evaluation is None:
            cited = [e for e in evidence.values() if objective.id in e.objective_ids]
            described = "; ".join(e.description for e in cited)
            boxes, impact, learning = blank(*parts)
            inner.extend(
                (
                    boxes,
                    impact,
                    _trusted_field(labels["evidence"], described, 2, hint)
                    if labels is _EVALUATION_LABELS
                    else Field(labels["evidence"], described, lines=2, hint=hint),
                    learning,
                )
            )
            inner.extend(_colleague_impact(ctx, objective, labels["colleague_impact"]))
        else:
            cited = [evidence[i] for i in evaluation.evidence_ids if i in evidence]
            inner.extend(
                (
                    Field(labels["outcome"], _OUTCOMES[evaluation.outcome]),
                    Field(labels["impact"], evaluation.impact, lines=3),
                    Field(labels["evidence"], "; ".join(e.description for e in cited), lines=2),
                    Field(labels["learning"], evaluation.learning, lines=3),
                    Field(labels["carried_forward"], "Yes" if evaluation.carried_forward else "No"),
                    Field(labels["reviewee_comment"], evaluation.reviewee_comment, lines=2),
                )
            )
            inner.extend(_colleague_impact(ctx, objective, labels["colleague_impact"]))
        blocks.append(_trusted_section(f"Objective {number}", tuple(inner), objective.id))
    return tuple(blocks)


def development_needs(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Development needs named at the meeting and by observations, for next cycle."""
    needs: list[str] = []
    for review in ctx.reviews:
        needs.extend(n for n in review.development_needs if n not in needs)
    for observation in ctx.cycle.observations:
        if observation.on <= ctx.as_of:
            needs.extend(n for n in observation.cpd_needs if n not in needs)
    lines = _option(spec, "blank_lines", 3, int)
    if not needs:
        return (Field("Development needs", "", lines=lines),)
    return (_trusted_list(tuple(needs)),)


_BLANK_STRENGTHS = (Field("Strengths", "", lines=2), Field("Next steps", "", lines=2))


ONE_SIDED = {
    "strengths": "No strengths are recorded: a review that names only next steps is half a "
    "conversation. Name what is going well, agreed by both.",
    "next_steps": "No next steps are recorded: a review that names only strengths is half a "
    "conversation. Agree what comes next.",
}
"""The flag a proforma shows when a meeting records only one side, by the missing side."""


def strengths(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Strengths and next steps named at the meeting; a flag where only one side is.

    A meeting that records strengths but no next steps (or the reverse) shows what it has,
    a warning naming the missing side and a blank to fill it in.
    """
    del spec
    review = ctx.review
    if review is None or not (review.strengths or review.next_steps):
        return _BLANK_STRENGTHS
    blocks: list[Block] = []
    for key, label, items in (
        ("strengths", "Strengths", review.strengths),
        ("next_steps", "Next steps", review.next_steps),
    ):
        if items:
            blocks.extend((Paragraph(label), BulletList(items)))
        else:
            blocks.extend((Note(ONE_SIDED[key], kind=NoteKind.WARNING), Field(label, "", lines=2)))
    return tuple(blocks)


def colleague_impact(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Impact on colleagues recorded against each live objective, with a prompt where none."""
    labels = _labels(spec, {"statement": "Objective"})
    blocks: list[Block] = []
    for number, objective in enumerate(ctx.cycle.live_objectives, start=1):
        inner: list[Block] = [_trusted_paragraph(objective.statement)]
        inner.extend(_colleague_impact(ctx, objective, _EVALUATION_LABELS["colleague_impact"]))
        blocks.append(Section(f"{labels['statement']} {number}", tuple(inner), id=objective.id))
    return tuple(blocks)


# ------------------------------------------------------------------------- ECT


def standards(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Each top-level standard with the evidence and observations tagged to it."""
    framework = ctx.framework
    if framework is None:
        msg = (
            f"stage {ctx.stage.id!r} needs a standards framework: pass framework="
            "devcycle.catalogues.framework('england-teachers-standards')"
        )
        raise ValidationError([f"{msg} @ $.framework"])
    judgement = _option(spec, "judgement", "On track", str)
    rows = []
    for standard in _assessed_standards(framework):
        family = {standard.id, *_descendants(framework, standard.id)}
        evidence = [
            e.description
            for e in ctx.cycle.evidence
            if e.on <= ctx.as_of and family & set(e.standard_ids)
        ]
        seen = [
            f"{o.kind.value.replace('_', ' ')} {format_date(o.on)}"
            for o in ctx.cycle.observations
            if o.on <= ctx.as_of and family & set(o.standard_ids)
        ]
        rows.append((f"{standard.id} {standard.title}", "; ".join(evidence + seen), ""))
    return (Table(("Standard", "Evidence", judgement), tuple(rows), row_headers=True),)


def _descendants(framework: Framework, standard_id: str) -> list[str]:
    out: list[str] = []
    for child in framework.children(standard_id):
        out.append(child.id)
        out.extend(_descendants(framework, child.id))
    return out


def _assessed_standards(framework: Framework) -> list[Any]:
    """The standards judged one by one: those whose children are all leaves (TS1-TS8)."""
    chosen = []
    for standard in framework.standards:
        children = framework.children(standard.id)
        lone_top = standard.parent_id is None and not children
        if lone_top or (children and all(not framework.children(c.id) for c in children)):
            chosen.append(standard)
    return chosen


# ---------------------------------------------------------------- observations


def observations(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Each observation up to the as-of date: focus, strengths, next steps, needs."""
    del spec
    blocks: list[Block] = []
    for observation in sorted(ctx.cycle.observations, key=lambda o: (o.on, o.id)):
        if observation.on > ctx.as_of:
            continue
        kind = observation.kind.value.replace("_", " ").capitalize()
        linked = [o.statement for o in ctx.cycle.objectives if o.id in observation.objective_ids]
        inner: tuple[Block, ...] = (
            Field("Date", format_date(observation.on)),
            Field("Observer", ctx.name(observation.observer_id)),
            Field("Focus agreed beforehand", observation.focus),
            Field("Length", f"{observation.minutes} minutes" if observation.minutes else ""),
            Field("Objectives", "; ".join(linked)),
            Paragraph("Strengths"),
            BulletList(observation.strengths),
            Paragraph("Next steps"),
            BulletList(observation.next_steps),
            Paragraph("Development needs"),
            BulletList(observation.cpd_needs),
        )
        blocks.append(Section(f"{kind}, {format_date(observation.on)}", inner, id=observation.id))
    return tuple(blocks)


def cpd(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """The person's CPD in the cycle: dates, hours, linked objectives and impact reached."""
    del spec
    person = ctx.cycle.staff_id
    statements = {o.id: o.statement for o in ctx.cycle.objectives}
    rows = []
    total = 0.0
    for activity in sorted(ctx.cpd, key=lambda a: (a.start, a.id)):
        if person not in activity.attendee_ids or activity.start > ctx.as_of:
            continue
        if not ctx.cycle.period_start <= activity.start <= ctx.cycle.period_end:
            continue
        total += activity.hours
        linked = [
            statements[r.objective_id]
            for r in activity.objective_refs
            if r.cycle_id == ctx.cycle.id and r.objective_id in statements
        ]
        level = activity.highest_impact_level
        paired = (
            f" ({'mentor' if activity.kind.value == 'mentoring' else 'coach'}: "
            f"{ctx.name(activity.coach_id)})"
            if activity.coach_id
            else ""
        )
        rows.append(
            (
                format_date(activity.start),
                activity.title + paired,
                activity.kind.value.replace("_", " "),
                f"{activity.hours:g}",
                "; ".join(linked) or "Not linked to an objective",
                f"{level.value}. {level.name.replace('_', ' ').lower()}"
                if level
                else "Not evaluated",
            )
        )
    return (
        Table(
            ("Date", "Activity", "Kind", "Hours", "Objectives", "Impact reached"),
            tuple(rows),
            caption="Professional learning this cycle",
        ),
        Field("Total hours", f"{total:g}"),
    )


# -------------------------------------------------------------- generic sources


def fields(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Write-in fields from the stage file: ``fields = [{label, lines, hint}]``."""
    del ctx
    out: list[Block] = []
    for index, raw in enumerate(_option(spec, "fields", [], list)):
        if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
            raise ValidationError(
                [f'expected {{label = "..."}} @ $.sections[{spec.id}].fields[{index}]']
            )
        out.append(
            Field(
                raw["label"],
                str(raw.get("value", "")),
                lines=int(raw.get("lines", 2)),
                hint=str(raw.get("hint", "")),
            )
        )
    return tuple(out)


def checklist(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Open checkboxes from the stage file: ``items = ["...", ...]``."""
    del ctx
    items = _option(spec, "items", [], list)
    return (Checklist(tuple(ChecklistItem(str(i)) for i in items)),)


def text(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """A fixed paragraph from the stage file: ``text = "..."`` (guidance for both sides)."""
    del ctx
    return (Paragraph(_option(spec, "text", "", str)),)


def signatures(ctx: ProformaContext, spec: SectionSpec) -> tuple[Block, ...]:
    """Signature lines: ``signatories = [...]``; reviewee and reviewer names filled in."""
    roles = _option(spec, "signatories", ["Reviewee", "Reviewer"], list)
    names = {
        "reviewee": ctx.name(ctx.cycle.staff_id),
        "early career teacher": ctx.name(ctx.cycle.staff_id),
        "reviewer": ctx.name(ctx.cycle.reviewer_id),
    }
    signatories = tuple(Signatory(str(r), names.get(str(r).lower(), "")) for r in roles)
    return (SignatureBlock(signatories, statement=_option(spec, "statement", "", str)),)


SOURCES: dict[str, Source] = {
    "objectives": objectives,
    "progress": progress,
    "meeting_notes": meeting_notes,
    "conversation": conversation,
    "agreed_actions": agreed_actions,
    "private_notes": private_notes,
    "pay_recommendation": pay_recommendation,
    "evaluations": evaluations,
    "development_needs": development_needs,
    "strengths": strengths,
    "colleague_impact": colleague_impact,
    "standards": standards,
    "observations": observations,
    "cpd": cpd,
    "fields": fields,
    "checklist": checklist,
    "text": text,
    "signatures": signatures,
}
"""The built-in sources by name, as stage files name them."""
