"""Linkage and coverage: where objectives, CPD, priorities, standards and evidence fail to meet.

Ofsted found the link between objectives and CPD one of the weakest parts of the process. This
report lists, per person, team and school: objectives with no CPD or support linked, with no
success criteria, with no link to a school priority; priorities and standards that no objective
serves or no evidence shows; CPD taken that supports none of the person's objectives; and
evidence tagged to nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import CPDActivity, Cycle, Framework, StaffMember, Standard, objective_key
from devcycle.domain.linkage import EvidenceRef, Linkage, ObjectiveKey
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    _Resolved,
    percent,
    resolve,
    staff_key,
    sum_members,
)
from devcycle.reports._documents import (
    document,
    group_label,
    plural,
    schooled,
    section,
    short,
    table_or_note,
)

__all__ = [
    "CoverageCounts",
    "CoverageReport",
    "GroupCoverage",
    "ObjectiveGap",
    "PersonCoverage",
    "PriorityCoverage",
    "StandardCoverage",
    "coverage",
]

NO_SUPPORT = "CPD or support"
NO_CRITERIA = "success criteria"
NO_PRIORITY = "school priority"


@attrs.frozen
class CoverageCounts:
    """Counts that add up from people to teams, schools and the trust.

    Attributes:
        objectives: Live objectives (proposed, returned, agreed or evaluated).
        without_support: Objectives with no CPD activity or other support linked.
        without_criteria: Objectives with no success criteria.
        without_priority: Objectives linked to no school priority.
        evidence: Evidence items recorded.
        untagged_evidence: Evidence tagged to no objective, standard or priority.
        cpd_taken: CPD activities attended (one per person per activity).
        cpd_unlinked: Of those, activities that support none of the person's objectives.
    """

    objectives: int = 0
    without_support: int = 0
    without_criteria: int = 0
    without_priority: int = 0
    evidence: int = 0
    untagged_evidence: int = 0
    cpd_taken: int = 0
    cpd_unlinked: int = 0

    def __add__(self, other: CoverageCounts) -> CoverageCounts:
        return CoverageCounts(
            self.objectives + other.objectives,
            self.without_support + other.without_support,
            self.without_criteria + other.without_criteria,
            self.without_priority + other.without_priority,
            self.evidence + other.evidence,
            self.untagged_evidence + other.untagged_evidence,
            self.cpd_taken + other.cpd_taken,
            self.cpd_unlinked + other.cpd_unlinked,
        )


@attrs.frozen
class ObjectiveGap:
    """An objective missing one or more links.

    Attributes:
        cycle_id: Its cycle.
        objective_id: Its id.
        staff_id: Whose it is.
        name: Their name.
        statement: The objective.
        missing: What it lacks: "CPD or support", "success criteria", "school priority".
        school_id: The school of the person and the cycle.
    """

    cycle_id: str
    objective_id: str
    staff_id: str
    name: str
    statement: str
    missing: tuple[str, ...]
    school_id: str = ""


@attrs.frozen
class PriorityCoverage:
    """How far one school priority is served.

    Attributes:
        school_id: The school.
        priority_id: The priority.
        title: Its title.
        objectives: Objectives in scope linked to it (its own school's: two schools' "P1"
            are two priorities).
        evidence: Evidence in scope against it (directly or through an objective).
        staff_ids: Who holds those objectives (staff of *school_id*).
    """

    school_id: str
    priority_id: str
    title: str
    objectives: int
    evidence: int
    staff_ids: tuple[str, ...]


@attrs.frozen
class StandardCoverage:
    """How far one professional standard is served.

    Attributes:
        standard_id: The standard.
        title: Its title, where a framework was given.
        objectives: Objectives in scope developing it (or one of its sub-standards).
        evidence: Evidence in scope against it (or one of its sub-standards).
    """

    standard_id: str
    title: str
    objectives: int
    evidence: int


@attrs.frozen
class PersonCoverage:
    """One person's coverage counts and the gaps in their objectives."""

    staff_id: str
    name: str
    school_id: str
    cycle_id: str | None
    counts: CoverageCounts
    gaps: tuple[ObjectiveGap, ...]


@attrs.frozen
class GroupCoverage:
    """A team's, school's or trust's counts: the sum of its members'."""

    group: Group
    counts: CoverageCounts


@attrs.frozen
class CoverageReport:
    """The linkage and coverage report (see `coverage`).

    Attributes:
        scope: What was covered, as of when.
        people: Each person in scope.
        groups: Teams, then schools, then the trust.
        priorities: Each priority of the schools in scope.
        standards: Each standard in view (a framework's top level, or those referenced).
        unlinked_cpd: ``(school_id, id, title)`` of activities in scope that support no
            objective.
        untagged_evidence: Evidence tagged to nothing, with whose cycle it is in (the
            reference names the school).
        linkage: The underlying index, for embedders who want every link.
    """

    scope: ScopeInfo
    people: tuple[PersonCoverage, ...]
    groups: tuple[GroupCoverage, ...]
    priorities: tuple[PriorityCoverage, ...]
    standards: tuple[StandardCoverage, ...]
    unlinked_cpd: tuple[tuple[str, str, str], ...]
    untagged_evidence: tuple[tuple[EvidenceRef, str], ...]
    linkage: Linkage = attrs.field(repr=False, eq=False)

    @property
    def total(self) -> CoverageCounts:
        """Counts over everyone in scope."""
        return sum((p.counts for p in self.people), CoverageCounts())

    @property
    def gaps(self) -> tuple[ObjectiveGap, ...]:
        """Every objective missing a link, person by person."""
        return tuple(g for p in self.people for g in p.gaps)

    @property
    def priorities_without_objectives(self) -> tuple[PriorityCoverage, ...]:
        """Priorities no objective in scope serves."""
        return tuple(p for p in self.priorities if not p.objectives)

    @property
    def priorities_without_evidence(self) -> tuple[PriorityCoverage, ...]:
        """Priorities no evidence in scope shows."""
        return tuple(p for p in self.priorities if not p.evidence)

    @property
    def standards_without_objectives(self) -> tuple[StandardCoverage, ...]:
        """Standards no objective in scope develops."""
        return tuple(s for s in self.standards if not s.objectives)

    @property
    def standards_without_evidence(self) -> tuple[StandardCoverage, ...]:
        """Standards no evidence in scope shows."""
        return tuple(s for s in self.standards if not s.evidence)

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def coverage(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    framework: Framework | None = None,
) -> CoverageReport:
    """Find the missing links between objectives, CPD, priorities, standards and evidence.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle (the one whose period covers it).
        scope: One person, team or school; by default every school in *data*.
        framework: A standards framework: each headline standard (TS1 to TS8 of the
            Teachers' Standards, say) is checked for objectives and evidence, a sub-standard
            such as TS3.3 counting for TS3. Without one, every standard referenced in scope
            is listed as tagged.

    Returns:
        The report; `CoverageReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    view = resolve(data, scope, as_of)
    return _build(view, framework)


def _build(view: _Resolved, framework: Framework | None) -> CoverageReport:
    cycles = view.cycles
    index = view.linkage()
    by_attendee = view.cpd_by_attendee()
    people = tuple(
        _person(p, view.cycle_of(p), index, by_attendee.get(staff_key(p), ())) for p in view.people
    )
    rows = {(p.school_id, p.staff_id): p.counts for p in people}
    groups = tuple(
        GroupCoverage(g, sum_members(g, rows, CoverageCounts.__add__, CoverageCounts()))
        for g in view.groups
    )
    once = _once(cycles)
    priorities = tuple(
        PriorityCoverage(
            school.id,
            priority.id,
            priority.title,
            len({once(r) for r in index.objectives_by_priority.get((school.id, priority.id), ())}),
            len(index.evidence_by_priority.get((school.id, priority.id), ())),
            tuple(
                sorted(
                    {
                        index.objectives[r].staff_id
                        for r in index.objectives_by_priority.get((school.id, priority.id), ())
                    }
                )
            ),
        )
        for school in view.schools
        for priority in school.priorities
    )
    staff_of = {(c.school_id, c.id): c.staff_id for c in cycles}
    linked_cpd = {
        (links.school_id, c) for links in index.objectives.values() for c in links.cpd_ids
    }
    # CPD that supported an objective of a cycle since ended on leaving did support one
    ended = {(c.school_id, c.id) for c in cycles if c.is_ended}
    linked_cpd.update(
        (a.school_id, a.id)
        for a in view.cpd
        if any((a.school_id, r.cycle_id) in ended for r in a.objective_refs)
    )
    return CoverageReport(
        scope=view.info,
        people=people,
        groups=groups,
        priorities=priorities,
        standards=_standards(index, framework, once),
        unlinked_cpd=tuple(
            (a.school_id, a.id, a.title) for a in view.cpd if (a.school_id, a.id) not in linked_cpd
        ),
        untagged_evidence=tuple(
            (r, staff_of[(r.school_id, r.cycle_id)]) for r in index.untagged_evidence
        ),
        linkage=index,
    )


def _person(
    person: StaffMember,
    cycle: Cycle | None,
    index: Linkage,
    attended: Sequence[CPDActivity],
) -> PersonCoverage:
    if cycle is None:
        counts = CoverageCounts(cpd_taken=len(attended), cpd_unlinked=len(attended))
        return PersonCoverage(person.id, person.name, person.school_id, None, counts, ())
    if cycle.is_ended:  # locked, its reviewee gone: no gap left to close, nothing counted
        return PersonCoverage(
            person.id, person.name, person.school_id, cycle.id, CoverageCounts(), ()
        )
    gaps: list[ObjectiveGap] = []
    supported_by: set[str] = set()
    no_support = no_criteria = no_priority = 0
    live = cycle.live_objectives
    for objective in live:
        links = index.links(cycle.school_id, cycle.id, objective.id)
        supported_by.update(links.cpd_ids)
        missing = []
        if not links.has_support:
            missing.append(NO_SUPPORT)
            no_support += 1
        if not links.has_success_criteria:
            missing.append(NO_CRITERIA)
            no_criteria += 1
        if not links.priority_ids:
            missing.append(NO_PRIORITY)
            no_priority += 1
        if missing:
            gaps.append(
                ObjectiveGap(
                    cycle.id,
                    objective.id,
                    person.id,
                    person.name,
                    objective.statement,
                    tuple(missing),
                    cycle.school_id,
                )
            )
    untagged = sum(1 for e in cycle.evidence if not e.is_tagged)
    unlinked = sum(1 for a in attended if a.id not in supported_by)
    counts = CoverageCounts(
        objectives=len(live),
        without_support=no_support,
        without_criteria=no_criteria,
        without_priority=no_priority,
        evidence=len(cycle.evidence),
        untagged_evidence=untagged,
        cpd_taken=len(attended),
        cpd_unlinked=unlinked,
    )
    return PersonCoverage(person.id, person.name, person.school_id, cycle.id, counts, tuple(gaps))


def _once(cycles: Sequence[Cycle]) -> Callable[[ObjectiveKey], tuple[str, ...]]:
    """Name each objective so that copies of one shared objective are counted once."""
    keys = {
        (c.school_id, c.id, o.id): objective_key(c.school_id, c.id, o)
        for c in cycles
        for o in c.objectives
    }

    def key(ref: ObjectiveKey) -> tuple[str, ...]:
        found = keys.get((ref.school_id, ref.cycle_id, ref.objective_id))
        return found or ("own", ref.school_id, ref.cycle_id, ref.objective_id)

    return key


def _standards(
    index: Linkage, framework: Framework | None, once: Callable[[ObjectiveKey], tuple[str, ...]]
) -> tuple[StandardCoverage, ...]:
    if framework is None:
        ids = sorted(set(index.objectives_by_standard) | set(index.evidence_by_standard))
        return tuple(
            StandardCoverage(
                s,
                "",
                len({once(r) for r in index.objectives_by_standard.get(s, ())}),
                len(index.evidence_by_standard.get(s, ())),
            )
            for s in ids
        )
    headline = _headline(framework)
    heads = {s.id for s in headline}
    objectives: dict[str, set[object]] = defaultdict(set)
    evidence: dict[str, set[object]] = defaultdict(set)
    for standard_id, keys in index.objectives_by_standard.items():
        for head in _heads_of(framework, heads, standard_id):
            objectives[head].update(once(r) for r in keys)
    for standard_id, refs in index.evidence_by_standard.items():
        for head in _heads_of(framework, heads, standard_id):
            evidence[head].update(refs)
    return tuple(
        StandardCoverage(s.id, s.title, len(objectives.get(s.id, ())), len(evidence.get(s.id, ())))
        for s in headline
    )


def _headline(framework: Framework) -> tuple[Standard, ...]:
    """The standards a report lists: top-level ones, or their children where those branch.

    The Teachers' Standards' Part One is listed as TS1 to TS8; Part Two as itself.
    """
    chosen: list[Standard] = []
    for top in framework.top_level():
        children = framework.children(top.id)
        if any(framework.children(c.id) for c in children):
            chosen.extend(children)
        else:
            chosen.append(top)
    return tuple(chosen)


def _heads_of(framework: Framework, heads: set[str], standard_id: str) -> tuple[str, ...]:
    if standard_id in framework:
        chain = (framework.get(standard_id), *framework.ancestors(standard_id))
        return tuple(s.id for s in chain if s.id in heads)[:1]
    return tuple(h for h in heads if standard_id.startswith(f"{h}."))


def _document(report: CoverageReport) -> Document:
    info = report.scope
    total = report.total
    gap_columns, gap_rows = schooled(
        info,
        ("Person", "Objective", "Missing"),
        [
            (g.school_id, (g.name, short(g.statement, 70), ", ".join(g.missing)))
            for g in report.gaps
        ],
    )
    groups = [g for g in report.groups if g.counts.objectives]

    def linked(counts: CoverageCounts) -> tuple[int, int, int]:
        return (
            counts.objectives - counts.without_support,
            counts.objectives - counts.without_criteria,
            counts.objectives - counts.without_priority,
        )

    names = ("CPD or support", "Success criteria", "School priority")
    chart_blocks: list[Block] = []
    if groups:
        categories = tuple(
            group_label(info, g.group.kind, g.group.name, g.group.school_id) for g in groups
        )
        series = tuple(
            Series(
                name,
                tuple(round(100 * linked(g.counts)[i] / g.counts.objectives, 1) for g in groups),
            )
            for i, name in enumerate(names)
        )
        alt = (
            f"Share of objectives linked, for {info.label}: "
            f"{percent(total.objectives - total.without_support, total.objectives)} have CPD or "
            f"support, {percent(total.objectives - total.without_criteria, total.objectives)} "
            "have success criteria, "
            f"{percent(total.objectives - total.without_priority, total.objectives)} link to a "
            "school priority."
        )
        chart_blocks.append(
            Chart(
                "Coverage by group",
                categories,
                series,
                alt=alt,
                kind=ChartKind.HORIZONTAL_BAR,
                unit="%",
            )
        )
    summary = Paragraph(
        f"{plural(total.objectives, 'objective')}: {total.without_support} with no CPD or "
        f"support linked, {total.without_criteria} with no success criteria, "
        f"{total.without_priority} with no school priority. "
        f"{len(report.priorities_without_objectives)} of {len(report.priorities)} priorities "
        f"have no objective and {len(report.priorities_without_evidence)} no evidence. "
        f"{len(report.unlinked_cpd)} CPD activities support no objective; "
        f"{total.untagged_evidence} of {total.evidence} evidence items are tagged to nothing."
    )
    group_columns, group_rows = schooled(
        info,
        (
            "Group",
            "Objectives",
            "No CPD or support",
            "No success criteria",
            "No priority",
            "CPD not linked",
            "Untagged evidence",
        ),
        [
            (
                g.group.school_id,
                (
                    g.group.name,
                    str(g.counts.objectives),
                    str(g.counts.without_support),
                    str(g.counts.without_criteria),
                    str(g.counts.without_priority),
                    str(g.counts.cpd_unlinked),
                    str(g.counts.untagged_evidence),
                ),
            )
            for g in report.groups
        ],
    )
    body: list[Block] = [
        section("Summary", [summary, *chart_blocks], id="summary"),
        section(
            "Teams and schools",
            [
                table_or_note(
                    group_columns,
                    group_rows,
                    caption="Missing links by team and school",
                    empty="No teams or schools to show.",
                )
            ],
            id="groups",
        ),
        section(
            "Objectives missing links",
            [
                table_or_note(
                    gap_columns,
                    gap_rows,
                    caption="Objectives with no CPD or support, criteria or priority",
                    empty="Every objective has CPD or support, success criteria and a priority.",
                )
            ],
            id="gaps",
        ),
        section(
            "School priorities",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Priority", "Title", "Objectives", "Evidence"),
                        [
                            (
                                p.school_id,
                                (p.priority_id, p.title, str(p.objectives), str(p.evidence)),
                            )
                            for p in report.priorities
                        ],
                    ),
                    caption="Objectives and evidence against each priority",
                    empty="The schools in scope list no improvement-plan priorities.",
                )
            ],
            id="priorities",
        ),
        section(
            "Standards",
            [
                table_or_note(
                    ("Standard", "Title", "Objectives", "Evidence"),
                    [
                        (s.standard_id, s.title, str(s.objectives), str(s.evidence))
                        for s in report.standards
                    ],
                    caption="Objectives and evidence against each standard",
                    empty="No standards are referenced in scope.",
                )
            ],
            id="standards",
        ),
        section(
            "CPD linked to no objective",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Activity", "Title"),
                        [(school, (a, title)) for school, a, title in report.unlinked_cpd],
                    ),
                    caption="CPD activities that support no objective in scope",
                    empty="Every CPD activity supports at least one objective.",
                )
            ],
            id="unlinked-cpd",
        ),
        section(
            "Evidence tagged to nothing",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Cycle", "Evidence", "Person"),
                        [
                            (r.school_id, (r.cycle_id, r.evidence_id, who))
                            for r, who in report.untagged_evidence
                        ],
                    ),
                    caption="Evidence tagged to no objective, standard or priority",
                    empty="Every piece of evidence is tagged.",
                )
            ],
            id="untagged-evidence",
        ),
    ]
    return document("Linkage and coverage", info, "coverage", body)
