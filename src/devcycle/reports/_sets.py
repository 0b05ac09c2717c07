"""The whole set of each person's objectives: practice and career, own and shared, agreed or not.

The sources judge a person's objectives as a set as well as one by one: they should balance
improving practice with career development, include the person's own objectives beside team
and whole-school ones, come mostly from the person rather than be set over their
disagreement, name the pupils they are for, and ask something new. This report counts each
of those for every person, team and school, shows the checker's whole-set findings (W8xx)
for each person, and raises a finding where a team or school is out of the range its policy
sets.
"""

from __future__ import annotations

from datetime import date

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import (
    Cycle,
    Objective,
    ObjectiveKind,
    ObjectiveStatus,
    Role,
    School,
    StaffMember,
)
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    _Resolved,
    resolve,
    sum_members,
)
from devcycle.reports._documents import (
    BLUE,
    PARTLY,
    document,
    group_label,
    schooled,
    section,
    table_or_note,
)
from devcycle.rules import (
    CheckConfig,
    Criterion,
    Finding,
    RuleSet,
    check_cycle,
    default_config,
    default_ruleset,
    meta_of,
)
from devcycle.rules.set_rules import ObjectiveTraits

_NOT_WITH_PUPILS = frozenset({Role.SUPPORT_STAFF, Role.OTHER})

__all__ = [
    "GroupSet",
    "PersonSet",
    "SetCounts",
    "SetFinding",
    "SetPolicy",
    "SetsReport",
    "objective_sets",
    "proposed_by_person",
]


def _share(inst: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        msg = (
            f"{type(inst).__name__} '{attribute.name}' must be a share from 0 to 1 (got {value!r})"
        )
        raise ValueError(msg)


@attrs.frozen
class SetPolicy:
    """The range a team's or school's objectives should fall in, as shares of all objectives.

    A share of 0 (for a minimum) or 1 (for the maximum) turns that finding off. The
    checker's whole-set rules judge each person's set (their thresholds are the school's
    checker configuration, `devcycle.rules.SetThresholds`); this policy judges groups.

    Attributes:
        min_practice_share: Fewest objectives about improving practice.
        min_career_share: Fewest about the person's own career development.
        min_individual_share: Fewest that are the person's own (not team or whole-school).
        min_proposed_share: Fewest proposed by the person themself.
        max_over_disagreement_share: Most set over the person's disagreement.
        min_pupil_share: Fewest that name the pupils they are for.
        min_new_share: Fewest that are new this cycle (not carried forward).

    Example:
        >>> SetPolicy(min_proposed_share=0.75).min_proposed_share
        0.75
    """

    min_practice_share: float = attrs.field(default=0.5, validator=_share)
    min_career_share: float = attrs.field(default=0.15, validator=_share)
    min_individual_share: float = attrs.field(default=0.5, validator=_share)
    min_proposed_share: float = attrs.field(default=0.5, validator=_share)
    max_over_disagreement_share: float = attrs.field(default=0.1, validator=_share)
    min_pupil_share: float = attrs.field(default=0.5, validator=_share)
    min_new_share: float = attrs.field(default=0.5, validator=_share)


@attrs.frozen
class SetCounts:
    """Counts of objectives by what they are and where they came from; they add up.

    Attributes:
        objectives: Objectives counted (every objective past draft in the current cycle).
        practice: About improving practice.
        career: About the person's own career development.
        individual: The person's own.
        team: Joint objectives shared by a team.
        whole_school: Whole-school objectives.
        proposed: Proposed (or drafted) by the person themself, as the cycle's history shows.
        over_disagreement: Set by the reviewer over the person's disagreement.
        with_pupils: Objectives of staff whose role works with pupils (not support staff).
        pupil_focused: Of those, the ones naming the pupils they are for.
        new: New this cycle (not carried forward).
        people: People with at least one objective counted.
    """

    objectives: int = 0
    practice: int = 0
    career: int = 0
    individual: int = 0
    team: int = 0
    whole_school: int = 0
    proposed: int = 0
    over_disagreement: int = 0
    with_pupils: int = 0
    pupil_focused: int = 0
    new: int = 0
    people: int = 0

    def __add__(self, other: SetCounts) -> SetCounts:
        return SetCounts(
            *(getattr(self, f.name) + getattr(other, f.name) for f in attrs.fields(SetCounts))
        )

    def share(self, name: str) -> float:
        """The share of objectives counted under *name* ("career"); 0 with no objectives."""
        if name == "pupil_focused":
            return self.pupil_focused / self.with_pupils if self.with_pupils else 0.0
        return self.share_of(int(getattr(self, name)))

    def share_of(self, count: int) -> float:
        """*count* as a share of the objectives counted; 0 with no objectives."""
        return count / self.objectives if self.objectives else 0.0


@attrs.frozen
class SetFinding:
    """A team or school out of range, or one person's whole-set finding from the checker.

    Attributes:
        subject: Who or what it is about (a person's or group's name).
        code: The checker's code for a person (``W801``...), or for a group one of
            ``few-practice``, ``few-career``, ``few-individual``, ``few-proposed``,
            ``over-disagreement``, ``few-pupil-focused``, ``few-new``.
        message: What was found, with the figures.
        action: What to do next.
        school_id: The school it is about; None for a trust.
    """

    subject: str
    code: str
    message: str
    action: str
    school_id: str | None = None


@attrs.frozen
class PersonSet:
    """One person's set: its counts and the checker's whole-set findings."""

    staff_id: str
    name: str
    school_id: str
    counts: SetCounts
    findings: tuple[SetFinding, ...]


@attrs.frozen
class GroupSet:
    """A team's, school's or trust's counts (the sum of its members') and findings."""

    group: Group
    counts: SetCounts
    findings: tuple[SetFinding, ...]


@attrs.frozen
class SetsReport:
    """The whole-set report (see `objective_sets`).

    Attributes:
        scope: What was covered, as of when.
        policy: The range groups are judged against.
        people: Each person's set.
        groups: Teams, then schools, then the trust.
    """

    scope: ScopeInfo
    policy: SetPolicy
    people: tuple[PersonSet, ...]
    groups: tuple[GroupSet, ...]

    @property
    def total(self) -> SetCounts:
        """The counts over everyone in scope."""
        return sum((p.counts for p in self.people), SetCounts())

    @property
    def findings(self) -> tuple[SetFinding, ...]:
        """Every finding, groups first, then people."""
        return (
            *(f for g in self.groups for f in g.findings),
            *(f for p in self.people for f in p.findings),
        )

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def objective_sets(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: SetPolicy | None = None,
    config: CheckConfig | None = None,
) -> SetsReport:
    """Count each person's objectives as a set, and judge each set and each group.

    Every objective past draft in each person's current cycle is counted: about practice or
    career development, individual, team or whole-school, proposed by the person or not, set
    over their disagreement, naming pupils, new or carried forward. Each person's set is
    checked with the checker's whole-set rules (W8xx, with the thresholds of *config*), and
    each team and school is judged against *policy*.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle.
        scope: One person, team or school; by default every school in *data*.
        policy: The range for groups; `SetPolicy()` by default.
        config: The school's checker configuration (`devcycle.rules.load_config`): its
            ``[check.set]`` thresholds, lexicons, severities and ignored rules.

    Returns:
        The report; `SetsReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    view = resolve(data, scope, as_of)
    return _build(view, policy or SetPolicy(), config or default_config())


def _set_rules(config: CheckConfig) -> RuleSet:
    chosen = default_ruleset(config)
    return RuleSet([r for r in chosen if meta_of(r).criterion is Criterion.SET])


def proposed_by_person(cycle: Cycle, objective: Objective) -> bool:
    """Whether the cycle's owner created *objective* (drafted or proposed it), by its history."""
    target = f"objective:{objective.id}"
    first = next((h for h in cycle.history if h.target == target and h.from_state == "new"), None)
    return first is not None and first.by == cycle.staff_id


def counted(cycle: Cycle) -> tuple[Objective, ...]:
    """The objectives of *cycle* the report counts: every one past draft."""
    return tuple(o for o in cycle.objectives if o.status is not ObjectiveStatus.DRAFT)


def person_counts(
    cycle: Cycle | None, config: CheckConfig, person: StaffMember | None = None
) -> SetCounts:
    """Return the counts of one person's current *cycle* (zero without one).

    Pupil focus is counted only for staff whose role works with pupils (*person*'s primary
    role is not support staff or other; everyone when *person* is not given).
    """
    if cycle is None:
        return SetCounts()
    objectives = counted(cycle)
    if not objectives:
        return SetCounts()
    traits = [ObjectiveTraits.of(o, config.lexicons) for o in objectives]
    with_pupils = person is None or person.primary_role not in _NOT_WITH_PUPILS
    return SetCounts(
        objectives=len(objectives),
        practice=sum(t.practice for t in traits),
        career=sum(t.career for t in traits),
        individual=sum(o.kind is ObjectiveKind.INDIVIDUAL for o in objectives),
        team=sum(o.kind is ObjectiveKind.JOINT for o in objectives),
        whole_school=sum(o.kind is ObjectiveKind.WHOLE_SCHOOL for o in objectives),
        proposed=sum(proposed_by_person(cycle, o) for o in objectives),
        over_disagreement=sum(t.over_disagreement for t in traits),
        with_pupils=len(objectives) if with_pupils else 0,
        pupil_focused=sum(t.pupil_focused for t in traits) if with_pupils else 0,
        new=sum(t.new for t in traits),
        people=1,
    )


def set_findings(
    cycle: Cycle,
    person: StaffMember,
    school: School | None,
    config: CheckConfig,
    rules: RuleSet | None = None,
) -> tuple[Finding, ...]:
    """The checker's whole-set findings (W8xx) on *person*'s current *cycle*, once each."""
    chosen = rules if rules is not None else _set_rules(config)
    if not len(chosen):
        return ()
    results = check_cycle(cycle, staff=person, school=school, ruleset=chosen, config=config)
    return tuple(f for result in results.values() for f in result.findings)


def _build(view: _Resolved, policy: SetPolicy, config: CheckConfig) -> SetsReport:
    rules = _set_rules(config)
    schools = {s.id: s for s in view.schools}
    people = []
    for person in view.people:
        cycle = view.judged_cycle_of(person)  # none counted for a cycle ended on leaving
        counts = person_counts(cycle, config, person)
        found = (
            set_findings(cycle, person, schools.get(person.school_id), config, rules)
            if cycle is not None
            else ()
        )
        people.append(
            PersonSet(
                person.id,
                person.name,
                person.school_id,
                counts,
                tuple(
                    SetFinding(person.name, f.code, f.message, f.fix, person.school_id)
                    for f in found
                ),
            )
        )
    rows = {staff_key_of(p): p.counts for p in people}
    groups = []
    for group in view.groups:
        counts = sum_members(group, rows, SetCounts.__add__, SetCounts())
        groups.append(
            GroupSet(group, counts, group_findings(group.name, counts, policy, group.school_id))
        )
    return SetsReport(view.info, policy, tuple(people), tuple(groups))


def staff_key_of(person: PersonSet) -> tuple[str, str]:
    """The ``(school_id, staff_id)`` key of a person's row."""
    return (person.school_id, person.staff_id)


_LOW = (
    (
        "practice",
        "min_practice_share",
        "few-practice",
        "improve practice",
        "Agree objectives about day-to-day practice beside qualifications and next roles.",
    ),
    (
        "career",
        "min_career_share",
        "few-career",
        "develop the person's career",
        "Ask each person what they want next, and agree an objective that moves them "
        "towards it where they want one.",
    ),
    (
        "individual",
        "min_individual_share",
        "few-individual",
        "are the person's own",
        "Keep team and whole-school objectives, and agree at least one of each person's own.",
    ),
    (
        "proposed",
        "min_proposed_share",
        "few-proposed",
        "were proposed by the person",
        "Ask staff to propose their objectives before the planning meeting, from a "
        "self-review; reviewers agree or return them with reasons.",
    ),
    (
        "pupil_focused",
        "min_pupil_share",
        "few-pupil-focused",
        "name the pupils they are for",
        "Ask reviewers to check that objectives say which pupils they are for.",
    ),
    (
        "new",
        "min_new_share",
        "few-new",
        "are new this cycle",
        "Close carried objectives that have run their course and agree something new.",
    ),
)


def group_findings(
    subject: str, counts: SetCounts, policy: SetPolicy, school_id: str | None = None
) -> tuple[SetFinding, ...]:
    """Return the findings for one team's or school's *counts* under *policy*."""
    if not counts.objectives:
        return ()
    total = counts.objectives
    found = []
    for name, limit_name, code, says, action in _LOW:
        limit = float(getattr(policy, limit_name))
        share = counts.share(name)
        whole = counts.with_pupils if name == "pupil_focused" else total
        if whole and share < limit:
            found.append(
                SetFinding(
                    subject,
                    code,
                    f"{subject}: {getattr(counts, name)} of {whole} objectives ({share:.0%}) "
                    f"{says} (healthy: at least {limit:.0%})",
                    action,
                    school_id,
                )
            )
    over = counts.share("over_disagreement")
    if over > policy.max_over_disagreement_share:
        found.append(
            SetFinding(
                subject,
                "over-disagreement",
                f"{subject}: {counts.over_disagreement} of {total} objectives ({over:.0%}) were "
                f"set over the person's disagreement (healthy: at most "
                f"{policy.max_over_disagreement_share:.0%})",
                "Look at who sets objectives over disagreement (the moderation report), and "
                "meet again with a senior leader where the conversation has broken down.",
                school_id,
            )
        )
    return tuple(found)


_COLUMNS = (
    "Who",
    "Objectives",
    "Practice",
    "Career",
    "Own / team / school",
    "Proposed by them",
    "Over disagreement",
    "Pupil-focused",
    "New",
)


def _row(name: str, c: SetCounts) -> tuple[str, ...]:
    def part(count: int) -> str:
        return f"{count} ({c.share_of(count):.0%})"

    return (
        name,
        str(c.objectives),
        part(c.practice),
        part(c.career),
        f"{c.individual} / {c.team} / {c.whole_school}",
        part(c.proposed),
        part(c.over_disagreement),
        f"{c.pupil_focused} of {c.with_pupils} ({c.share('pupil_focused'):.0%})",
        part(c.new),
    )


def _document(report: SetsReport) -> Document:
    info = report.scope
    total = report.total
    body: list[Block] = []
    summary: list[Block] = [
        Paragraph(
            f"{total.objectives} objectives for {total.people} people: "
            f"{total.share('practice'):.0%} improve practice and {total.share('career'):.0%} "
            f"develop careers; {total.individual} individual, {total.team} team and "
            f"{total.whole_school} whole-school; {total.share('proposed'):.0%} proposed by the "
            f"person and {total.over_disagreement} set over their disagreement; "
            f"{total.share('pupil_focused'):.0%} of those of staff who work with pupils name the "
            "pupils they are for; "
            f"{total.share('new'):.0%} are new this cycle."
        )
    ]
    groups = [g for g in report.groups if g.counts.objectives]
    if groups:
        labels = [group_label(info, g.group.kind, g.group.name, g.group.school_id) for g in groups]
        summary.append(
            Chart(
                "Practice and career development",
                tuple(labels),
                (
                    _series("Practice", groups, "practice", BLUE),
                    _series("Career", groups, "career", PARTLY),
                ),
                alt=(
                    f"Objectives about practice and about career development for {info.label}: "
                    + "; ".join(
                        f"{label}: practice {g.counts.practice}, career {g.counts.career} "
                        f"of {g.counts.objectives}"
                        for g, label in zip(groups[:12], labels, strict=False)
                    )
                    + "."
                ),
                kind=ChartKind.BAR,
                unit="objectives",
            )
        )
    body.append(section("Summary", summary, id="summary"))
    body.append(
        section(
            "Findings",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Who", "Finding", "What to do"),
                        [(f.school_id, (f.subject, f.message, f.action)) for f in report.findings],
                    ),
                    caption="Where a set or a group is out of balance",
                    empty="Every set and group is within the healthy range.",
                )
            ],
            id="findings",
        )
    )
    body.append(
        section(
            "Teams and schools",
            [
                table_or_note(
                    *schooled(
                        info,
                        _COLUMNS,
                        [(g.group.school_id, _row(g.group.name, g.counts)) for g in report.groups],
                    ),
                    caption="Objectives by what they are and where they came from",
                    empty="No groups.",
                )
            ],
            id="groups",
        )
    )
    body.append(
        section(
            "People",
            [
                table_or_note(
                    *schooled(
                        info,
                        _COLUMNS,
                        [(p.school_id, _row(p.name, p.counts)) for p in report.people],
                    ),
                    caption="Each person's set of objectives",
                    empty="Nobody in scope.",
                )
            ],
            id="people",
        )
    )
    return document("The whole set of objectives", info, "sets", body)


def _series(name: str, groups: list[GroupSet], field: str, colour: str) -> Series:
    return Series(name, tuple(float(getattr(g.counts, field)) for g in groups), colour)
