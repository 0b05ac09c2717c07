"""Review proformas for every stage of a cycle, built as renderer-neutral documents.

`build_proforma` turns a cycle into a `devcycle.document.Document` for one stage and one
audience; `devcycle.render` turns that into Markdown, HTML, Word or JSON::

    from datetime import date
    from devcycle.demo import build_demo
    from devcycle.proforma import build_proforma
    from devcycle.render import render

    demo = build_demo()
    cycle = demo.cycles[5]
    document = build_proforma(cycle, "planning", audience="reviewee", as_of=demo.as_of,
                              school=demo.school, staff=demo.staff, cpd=demo.cpd)
    html = render(document, "html")

Stages are TOML files (`devcycle.proforma.stages`); confidential content (private notes, a
pay recommendation) is included only for the audiences allowed to see it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from devcycle.access import (
    AccessPolicy,
    Actor,
    RolePolicy,
    default_policy,
    pay_kept,
    proforma_audience,
    redact,
    require,
)
from devcycle.document import Document, Field, Section, format_date
from devcycle.domain import (
    Audience,
    CPDActivity,
    Cycle,
    Framework,
    Objective,
    School,
    StaffMember,
)
from devcycle.errors import PluginError, ValidationError
from devcycle.proforma.sources import (
    MEETING_NOTE_FIELDS,
    OBJECTIVE_FIELDS,
    SOURCES,
    ProformaContext,
    Source,
)
from devcycle.proforma.stages import (
    ENTRY_POINT_GROUP,
    SectionSpec,
    StageDefinition,
    get_stage,
    load_stage,
    parse_stage,
    stage_names,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "SOURCES",
    "STAGES",
    "ProformaContext",
    "SectionSpec",
    "Source",
    "StageDefinition",
    "build",
    "build_proforma",
    "check_stage",
    "get_stage",
    "load_stage",
    "parse_stage",
    "stage_names",
]

STAGES: tuple[str, ...] = (
    "planning",
    "check_in",
    "mid_year",
    "final",
    "ect_progress",
    "ect_assessment",
    "observation",
    "cpd_log",
)
"""The built-in stages, in the order of a cycle."""


def _audience(value: Audience | str) -> Audience:
    try:
        return Audience(value)
    except ValueError:
        known = ", ".join(a.value for a in Audience)
        raise ValidationError(
            [f"expected audience to be one of {known} (got {value!r}) @ $.audience"]
        ) from None


_SHOWN_FIELDS: dict[str, Mapping[str, str | None]] = {
    "objectives": OBJECTIVE_FIELDS,
    "meeting_notes": MEETING_NOTE_FIELDS,
}
"""For sources whose stage-file ``show`` names what they show: each name -> the policy field."""

_SOURCE_FIELDS: dict[str, tuple[str, ...]] = {
    "conversation": ("conversation.wellbeing", "conversation.workload", "conversation.career"),
}
"""Sources that show one confidential part of a cycle whole, by the fields they show."""


def _readers(policy: AccessPolicy, field: str) -> list[str]:
    out = []
    for audience in Audience:
        try:
            role = policy.role_for_audience(audience)
        except LookupError:
            continue
        if role.may_read(field):
            out.append(audience.value)
    return out


def check_stage(definition: StageDefinition, audience: Audience, policy: AccessPolicy) -> None:
    """Refuse a stage whose sections name a field *audience* may not read under *policy*.

    Raises:
        ValidationError: Naming the stage file, each section and field, and the audiences
            that may see it.
    """
    reader = policy.role_for_audience(audience)
    problems: list[str] = []
    for index, spec in enumerate(definition.sections):
        if not spec.visible_to(audience):
            continue
        named: list[tuple[str, str]] = [
            (field, f"$.sections[{index}].source") for field in _SOURCE_FIELDS.get(spec.source, ())
        ]
        known = _SHOWN_FIELDS.get(spec.source)
        show = spec.options.get("show")
        if known is not None and isinstance(show, list):
            for position, key in enumerate(show):
                path = f"$.sections[{index}].show[{position}]"
                if key not in known:
                    hint = (
                        "; confidential notes and pay have their own sources (private_notes, "
                        "pay_recommendation), shown only to the audiences allowed to see them"
                    )
                    problems.append(
                        f"section {spec.id!r} ({spec.source}) has no field {key!r}; expected "
                        f"one of {', '.join(known)}{hint} @ {path}"
                    )
                    continue
                field = known[key]
                if field is not None:
                    named.append((field, path))
        for field, path in named:
            if not reader.may_read(field):
                allowed = ", ".join(f'"{a}"' for a in _readers(policy, field)) or "none"
                problems.append(
                    f"section {spec.id!r} shows {field}, which the access policy does not let "
                    f"the {audience.value.replace('_', ' ')} read; remove it, or restrict the "
                    f"section with audiences = [{allowed}] @ {path}"
                )
    if problems:
        raise ValidationError(problems, source=definition.source or definition.id)


def _for_reader(
    cycle: Cycle,
    audience: Audience | str | None,
    *,
    actor: Actor | None,
    policy: AccessPolicy,
    school: School | None,
    staff: Mapping[str, StaffMember],
) -> tuple[Cycle, Audience]:
    """Return *cycle* redacted for the actor (if any) and the audience, and the audience."""
    if actor is not None:
        role = require(policy, actor, "read_cycle", cycle=cycle, school=school, staff=staff)
        who = proforma_audience(policy, actor, audience)
        cycle = redact(cycle, role, pay=pay_kept(cycle, school))
    elif audience is None:
        raise ValidationError(["expected an audience, or an actor it follows from @ $.audience"])
    else:
        who = _audience(audience)
    reader: RolePolicy = policy.role_for_audience(who)
    return redact(cycle, reader, pay=pay_kept(cycle, school)), who


def _default_check(
    cycle: Cycle, school: School | None, staff: StaffMember | None, cpd: tuple[CPDActivity, ...]
) -> Callable[[Objective], Sequence[Any]]:
    """Return a function giving the checker's findings for an objective in *cycle*."""
    from devcycle.rules import CheckContext, check  # noqa: PLC0415 - the checker loads lexicons

    def findings(objective: Objective) -> Sequence[Any]:
        context = CheckContext.from_cycle(
            cycle, staff=staff, cpd=cpd, school=school, objective_id=objective.id
        )
        return check(objective, context=context).findings

    return findings


def build_proforma(
    cycle: Cycle,
    stage: str | StageDefinition,
    *,
    audience: Audience | str | None = None,
    as_of: date,
    actor: Actor | None = None,
    policy: AccessPolicy | None = None,
    school: School | None = None,
    staff: Iterable[StaffMember] = (),
    cpd: Iterable[CPDActivity] = (),
    framework: Framework | None = None,
    stage_dirs: Iterable[str | Path] = (),
    sources: Mapping[str, Source] | None = None,
    check: Callable[[Objective], Sequence[Any]] | bool = True,
    rag: Callable[[Objective], tuple[str, str]] | None = None,
) -> Document:
    """Build the proforma for one stage of *cycle*, for one audience, as of a date.

    Args:
        cycle: The reviewee's cycle.
        stage: A stage name ("planning", "check_in", "mid_year", "final", "ect_progress",
            "ect_assessment", "observation", "cpd_log") or a `StageDefinition`.
        audience: Who the document is for: reviewee, reviewer, headteacher or
            governors_panel. Without an *actor* it is required; with one it follows from
            the actor, and may name another audience only where the actor's role may
            prepare its copy.
        as_of: The date of the record; later check-ins, meetings and evidence are left out.
        actor: Who asks for the document (`devcycle.access.Actor`): they must be allowed
            to read the cycle, and the document shows no more than they may see.
        policy: The access policy (default: `devcycle.access.default_policy`).
        school: The cycle's school, for priority titles and its pay policy.
        staff: Staff, for names (the reviewee, reviewer, observers); only those of the
            cycle's school are read, so a trust's whole staff list may be passed.
        cpd: CPD activities, for the CPD linked to each objective and the CPD log; only
            those of the cycle's school are read.
        framework: The standards framework, for standard titles; ECT stages need it.
        stage_dirs: Folders of a school's own stage files, searched before the built-in ones.
        sources: Extra or replacement section sources by name.
        check: True to show the checker's open findings on the planning proforma, False to
            leave them out, or a function returning the findings for an objective.
        rag: A function giving an objective's computed colour and its reason (for example
            from `devcycle.reports`' RAG policy), shown on check-in and mid-year proformas;
            None shows the RAG recorded at the latest check-in.

    Returns:
        The document, with ``audience`` and ``kind`` ("proforma:<stage>") set.

    Raises:
        AccessDenied: If the *actor* may not read the cycle or prepare that audience's copy.
        ValidationError: For an unknown or missing audience, a stage file naming an unknown
            source or a field its audience may not read, an ECT stage without a framework,
            or a *school* that is not the cycle's.
        NotFoundError: For an unknown stage name.
    """
    if school is not None and school.id != cycle.school_id:
        msg = (
            f"school {school.id!r} is not the cycle's school {cycle.school_id!r}: pass the "
            "cycle's own school @ $.school"
        )
        raise ValidationError([msg], source=f"cycle {cycle.id}")
    # Staff and CPD are read in the cycle's school only: two schools of a trust may both
    # have a "T1" and a "cpd-1", so callers may pass a whole trust's records.
    people = {m.id: m for m in staff if m.school_id == cycle.school_id}
    activities = tuple(a for a in cpd if a.school_id == cycle.school_id)
    rules = policy or default_policy()
    cycle, who = _for_reader(
        cycle, audience, actor=actor, policy=rules, school=school, staff=people
    )
    definition = get_stage(stage, stage_dirs) if isinstance(stage, str) else stage
    if not isinstance(definition, StageDefinition):
        builder = definition
        if not callable(builder):
            msg = f"proforma plug-in {stage!r} is neither a StageDefinition nor a builder"
            raise PluginError(msg)
        document = builder(
            cycle,
            audience=who,
            as_of=as_of,
            school=school,
            staff=people,
            cpd=activities,
            framework=framework,
        )
        if not isinstance(document, Document):
            msg = f"proforma plug-in {stage!r} returned {type(document).__name__}, not a Document"
            raise PluginError(msg)
        return document
    table = dict(SOURCES)
    table.update(sources or {})
    unknown = [
        f"unknown source {s.source!r}; expected one of {', '.join(sorted(table))} "
        f"@ $.sections[{i}].source"
        for i, s in enumerate(definition.sections)
        if s.source not in table
    ]
    if unknown:
        raise ValidationError(unknown, source=definition.source or definition.id)
    check_stage(definition, who, rules)
    finder: Callable[[Objective], Sequence[Any]] | None
    if check is True:
        finder = _default_check(cycle, school, people.get(cycle.staff_id), activities)
    elif check is False:
        finder = None
    else:
        finder = check
    context = ProformaContext(
        cycle=cycle,
        stage=definition,
        audience=who,
        as_of=as_of,
        school=school,
        staff=people,
        cpd=activities,
        framework=framework,
        check=finder,
        rag=rag,
    )
    sections = []
    for spec in definition.sections:
        if not spec.visible_to(who):
            continue
        blocks = table[spec.source](context, spec)
        if blocks is None:
            continue
        restricted = tuple(sorted(a.value for a in spec.audiences))
        sections.append(Section(spec.title, blocks, id=spec.id, restricted_to=restricted))
    reviewee = context.name(cycle.staff_id)
    header = [
        Field("Reviewee", reviewee),
        Field("Reviewer", context.name(cycle.reviewer_id)),
        Field("School", school.name if school is not None else cycle.school_id),
        Field("Cycle", f"{format_date(cycle.period_start)} to {format_date(cycle.period_end)}"),
        Field("As of", format_date(as_of)),
        Field("Prepared for", who.value.replace("_", " ")),
    ]
    review = context.review
    if review is not None:
        header.insert(4, Field("Meeting", format_date(review.on)))
    footer = (
        definition.footer
        or f"{definition.title}: {reviewee}. Prepared for the {who.value.replace('_', ' ')}."
    )
    return Document(
        title=definition.title,
        subtitle=reviewee,
        header=tuple(header),
        body=tuple(sections),
        audience=who.value,
        footer=footer,
        kind=f"proforma:{definition.id}",
    )


build = build_proforma
"""Short alias: ``devcycle.proforma.build(cycle, "final", audience=..., as_of=...)``."""
