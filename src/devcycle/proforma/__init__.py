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

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeAlias

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
from devcycle.document import (
    Document,
    Field,
    Section,
    _trusted_field,
    _trusted_section,
    format_date,
)
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
from devcycle.proforma import sources as _sources
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
    "build_proformas",
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
    table = _source_table(definition, sources)
    return _build(
        cycle,
        who,
        stage,
        definition,
        table,
        plans={},
        as_of=as_of,
        policy=rules,
        school=school,
        people=people,
        activities=activities,
        framework=framework,
        check=check,
        rag=rag,
    )


def build_proformas(
    cycles: Iterable[Cycle],
    stage: str | StageDefinition,
    *,
    audience: Audience | str | None = None,
    as_of: date,
    actor: Actor | None = None,
    policy: AccessPolicy | None = None,
    schools: Iterable[School] = (),
    staff: Iterable[StaffMember] = (),
    cpd: Iterable[CPDActivity] = (),
    framework: Framework | None = None,
    stage_dirs: Iterable[str | Path] = (),
    sources: Mapping[str, Source] | None = None,
    check: Callable[[Objective], Sequence[Any]] | bool = True,
) -> Iterator[Document]:
    """Build the proforma for one stage of each of *cycles*: a school's or a whole trust's.

    Each document is the one `build_proforma` builds for that cycle with the same
    arguments and the cycle's own school, with the same access checks and redaction; the
    stage is found and checked against the access policy once, and staff and CPD are
    indexed once per school, so a trust's proformas cost the same per person as one
    school's. The stage and the audience are checked before the first document.

    Args:
        cycles: The cycles, from one school or several.
        stage: As for `build_proforma`.
        audience: As for `build_proforma`.
        as_of: As for `build_proforma`.
        actor: As for `build_proforma`: checked for every cycle.
        policy: As for `build_proforma`.
        schools: The cycles' schools (a cycle whose school is not among them is built
            as `build_proforma` builds it without a school).
        staff: Staff of every school concerned, for names.
        cpd: CPD activities of every school concerned.
        framework: As for `build_proforma`.
        stage_dirs: As for `build_proforma`.
        sources: As for `build_proforma`.
        check: As for `build_proforma`.

    Returns:
        The documents, one per cycle in order, built as they are taken.

    Raises:
        AccessDenied: As `build_proforma` does.
        ValidationError: As `build_proforma` does.

    .. versionadded:: 0.2
    """
    rules = policy or default_policy()
    definition = get_stage(stage, stage_dirs) if isinstance(stage, str) else stage
    table = _source_table(definition, sources)
    if actor is None and isinstance(definition, StageDefinition):
        check_stage(definition, _audience_given(audience), rules)
    by_id = {s.id: s for s in schools}
    people: dict[str, dict[str, StaffMember]] = {}
    for member in staff:
        people.setdefault(member.school_id, {})[member.id] = member
    activities: dict[str, list[CPDActivity]] = {}
    for activity in cpd:
        activities.setdefault(activity.school_id, []).append(activity)
    frozen = {key: tuple(value) for key, value in activities.items()}
    plans: dict[Audience, _Plan] = {}
    # Without an actor every cycle is read as the one audience: find its role once.
    fixed = None
    if actor is None:
        who = _audience_given(audience)
        fixed = (who, rules.role_for_audience(who))

    def each() -> Iterator[Document]:
        for cycle in cycles:
            school = by_id.get(cycle.school_id)
            members = people.get(cycle.school_id, {})
            if fixed is None:
                view, who = _for_reader(
                    cycle, audience, actor=actor, policy=rules, school=school, staff=members
                )
            else:
                who, reader = fixed
                view = redact(cycle, reader, pay=pay_kept(cycle, school))
            yield _build(
                view,
                who,
                stage,
                definition,
                table,
                plans=plans,
                as_of=as_of,
                policy=rules,
                school=school,
                people=members,
                activities=frozen.get(cycle.school_id, ()),
                framework=framework,
                check=check,
                rag=None,
            )

    return each()


_Plan: TypeAlias = list[list[Any]]
"""The sections an audience sees: each spec, its source, the audiences it is kept for, the
section itself once built if its source reads nothing but the spec, and whether the section
may be built without validating again (a built-in source, a title checked once)."""

_BUILTIN_SOURCES = frozenset(SOURCES.values())
"""The built-in sources: each returns a tuple of blocks built by devcycle's own code."""


def _checked_spec(spec: SectionSpec) -> bool:
    """Whether the section's title and id are what `Section` accepts (text, a title)."""
    title: object = spec.title
    ident: object = spec.id
    return isinstance(title, str) and bool(title.strip()) and isinstance(ident, str)


_FIXED_SOURCES = frozenset({_sources.fields, _sources.text, _sources.checklist})
"""Built-in sources whose blocks depend on the stage file alone, not on the person."""


@functools.lru_cache(maxsize=256)
def _shared_field(label: str, value: str) -> Field:
    """A header field whose value is the same for many people (school, date, audience)."""
    return Field(label, value)


def _audience_given(audience: Audience | str | None) -> Audience:
    if audience is None:
        raise ValidationError(["expected an audience, or an actor it follows from @ $.audience"])
    return _audience(audience)


def _source_table(definition: Any, sources: Mapping[str, Source] | None) -> dict[str, Source]:
    """The sources a stage may use, after checking it names only known ones."""
    if not isinstance(definition, StageDefinition):
        return {}
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
    return table


def _sections(plan: _Plan, context: ProformaContext) -> list[Section]:
    """The sections of one person's document, from the plan of what the audience sees."""
    sections = []
    for entry in plan:
        spec, source, restricted, fixed, trusted = entry
        if fixed is not None:
            sections.append(fixed)
            continue
        blocks = source(context, spec)
        if blocks is None:
            continue
        if trusted and type(blocks) is tuple:  # a built-in source, a title checked once
            section = _trusted_section(spec.title, blocks, spec.id, restricted)
        else:
            section = Section(spec.title, blocks, id=spec.id, restricted_to=restricted)
        if source in _FIXED_SOURCES:
            entry[3] = section  # the same for every person: build it once per batch
        sections.append(section)
    return sections


def _build(
    cycle: Cycle,
    who: Audience,
    stage: object,
    definition: Any,
    table: Mapping[str, Source],
    *,
    plans: dict[Audience, _Plan],
    as_of: date,
    policy: AccessPolicy,
    school: School | None,
    people: Mapping[str, StaffMember],
    activities: tuple[CPDActivity, ...],
    framework: Framework | None,
    check: Callable[[Objective], Sequence[Any]] | bool,
    rag: Callable[[Objective], tuple[str, str]] | None,
) -> Document:
    """One proforma of *cycle*, already redacted for *who*, the stage found and its sources.

    *plans* holds, for each audience the stage was already checked for under *policy*, the
    sections it sees; it gains the one made here.
    """
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
    plan = plans.get(who)
    if plan is None:
        check_stage(definition, who, policy)
        plan = plans[who] = [
            [
                spec,
                table[spec.source],
                tuple(sorted(a.value for a in spec.audiences)),
                None,
                _checked_spec(spec) and table[spec.source] in _BUILTIN_SOURCES,
            ]
            for spec in definition.sections
            if spec.visible_to(who)
        ]
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
    sections = _sections(plan, context)
    reviewee = context.name(cycle.staff_id)
    prepared_for = who.value.replace("_", " ")
    # Names, dates and the school's name are the domain's validated text.
    header = [
        _trusted_field("Reviewee", reviewee),
        _trusted_field("Reviewer", context.name(cycle.reviewer_id)),
        _shared_field("School", school.name if school is not None else cycle.school_id),
        _trusted_field(
            "Cycle", f"{format_date(cycle.period_start)} to {format_date(cycle.period_end)}"
        ),
        _shared_field("As of", format_date(as_of)),
        _shared_field("Prepared for", prepared_for),
    ]
    review = context.review
    if review is not None:
        header.insert(4, Field("Meeting", format_date(review.on)))
    footer = (
        definition.footer or f"{definition.title}: {reviewee}. Prepared for the {prepared_for}."
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
