"""Training needs: what staff need to learn, who needs it, and the CPD plan that follows.

Needs surface from observations (each one's ``cpd_needs``), from review meetings (their
``development_needs``) and from objectives that have no CPD or support behind them. The report
groups them by need, by standard and by team, with the people behind each, and sketches the
whole-school CPD and INSET plan they imply: a need many staff share is a whole-school (INSET)
session, one shared within a team is team CPD, and the rest are individual. Team leaders' own
needs (objective-setting, coaching) are shown separately, because the sources found leaders'
training the part most often missed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import attrs

from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import Cycle, StaffMember
from devcycle.domain.linkage import Linkage
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    _Resolved,
    fraction,
    resolve,
)
from devcycle.reports._documents import BLUE, document, plural, section, short, table_or_note

__all__ = [
    "LeaderNeeds",
    "Need",
    "NeedsPolicy",
    "NeedsReport",
    "PlanItem",
    "needs",
]

LEADER_TRAINING = "Objective-setting and coaching (team-leader training)"
NO_THEME = "no priority theme"


@attrs.frozen
class NeedsPolicy:
    """How needs become a plan.

    Attributes:
        whole_school_share: A need shared by at least this share of staff in scope is a
            whole-school (INSET) session.
        whole_school_min_people: ...and by at least this many people.
        team_min_people: A need shared by this many people in one team is team CPD.
        leader_training_keywords: Words in a CPD activity's title or notes that show a team
            leader has been trained in objective-setting or coaching.
        include_unsupported_objectives: Count objectives with no CPD or support as needs.
    """

    whole_school_share: float = attrs.field(default=0.25, validator=fraction)
    whole_school_min_people: int = 3
    team_min_people: int = 2
    leader_training_keywords: tuple[str, ...] = (
        "objective",
        "appraisal",
        "performance management",
        "coaching",
        "mentor",
        "leading teacher development",
    )
    include_unsupported_objectives: bool = True


@attrs.frozen
class Need:
    """One training need and who has it.

    Attributes:
        key: The need in lower case with spaces collapsed, for grouping.
        text: The need as first written.
        staff_ids: Who has it, in staff order.
        team_ids: Their teams.
        standard_ids: Standards it relates to (from observations and objectives).
        themes: Themes of the school priorities behind it (the priority's ``theme``, or its
            title), from the objectives it arose from.
        sources: Where it came from: ``observation``, ``review``, ``objective``, with counts.
    """

    key: str
    text: str
    staff_ids: tuple[str, ...]
    team_ids: tuple[str, ...]
    standard_ids: tuple[str, ...]
    sources: tuple[tuple[str, int], ...]
    themes: tuple[str, ...] = ()


@attrs.frozen
class PlanItem:
    """A line of the CPD and INSET plan the needs imply.

    Attributes:
        level: ``whole-school``, ``team`` or ``individual``.
        need: The need.
        audience: Who it is for: "all staff", a team's name, or a person's name.
        staff_ids: The people with the need it serves.
        suggestion: The form it might take.
    """

    level: str
    need: str
    audience: str
    staff_ids: tuple[str, ...]
    suggestion: str


@attrs.frozen
class LeaderNeeds:
    """A team leader's own needs, shown apart from their team's.

    Attributes:
        staff_id: The leader.
        name: Their name.
        team_names: The teams they lead (or "leadership role" for a leader of no team).
        needs: Their needs, leader training first when they have had none.
        trained: Whether CPD in objective-setting or coaching is on record for them.
    """

    staff_id: str
    name: str
    team_names: tuple[str, ...]
    needs: tuple[str, ...]
    trained: bool


@attrs.frozen
class NeedsReport:
    """The training-needs report (see `needs`).

    Attributes:
        scope: What was covered, as of when.
        needs: Every need, most widely shared first.
        by_standard: Standard id -> keys of the needs that relate to it.
        by_team: Team id -> keys of its members' needs.
        by_theme: Priority theme -> keys of the needs behind it ("no priority theme" for
            needs from observations and reviews not tied to a priority).
        plan: The CPD and INSET plan the needs imply.
        leaders: Team leaders' own needs.
        groups: The teams and schools in scope.
        person_counts: Staff id -> how many needs they have (adds up across groups).
    """

    scope: ScopeInfo
    needs: tuple[Need, ...]
    by_standard: tuple[tuple[str, tuple[str, ...]], ...]
    by_team: tuple[tuple[str, tuple[str, ...]], ...]
    by_theme: tuple[tuple[str, tuple[str, ...]], ...]
    plan: tuple[PlanItem, ...]
    leaders: tuple[LeaderNeeds, ...]
    groups: tuple[Group, ...]
    person_counts: tuple[tuple[str, int], ...]

    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def needs(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: NeedsPolicy | None = None,
) -> NeedsReport:
    """Gather training needs, group them, and sketch the CPD and INSET plan they imply.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle.
        scope: One person, team or school; by default every school in *data*.
        policy: Thresholds for the plan; `NeedsPolicy()` by default.

    Returns:
        The report; `NeedsReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    policy = policy or NeedsPolicy()
    view = resolve(data, scope, as_of)
    return _build(view, policy)


def _key(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")


@attrs.define
class _Gather:
    text: str
    staff: dict[str, None] = attrs.field(factory=dict)
    standards: dict[str, None] = attrs.field(factory=dict)
    themes: dict[str, None] = attrs.field(factory=dict)
    sources: dict[str, int] = attrs.field(factory=lambda: defaultdict(int))


def _gather_needs(
    cycles: Sequence[Cycle],
    index: Linkage | None,
    themes: Mapping[tuple[str, str], str],
) -> dict[str, _Gather]:
    """Gather needs from *cycles* by key, in the order first seen.

    *themes* maps ``(school_id, priority_id)`` to the priority's theme; a need takes the
    themes of the priorities its objectives serve. With an *index*, objectives with no CPD or
    support are needs too.
    """
    found: dict[str, _Gather] = {}

    def add(
        text: str, cycle: Cycle, source: str, standards: Sequence[str], priorities: Iterable[str]
    ) -> None:
        key = _key(text)
        if not key:
            return
        entry = found.setdefault(key, _Gather(text.strip()))
        entry.staff[cycle.staff_id] = None
        entry.standards.update(dict.fromkeys(standards))
        entry.themes.update(
            dict.fromkeys(
                themes[(cycle.school_id, p)] for p in priorities if (cycle.school_id, p) in themes
            )
        )
        entry.sources[source] += 1

    for cycle in cycles:
        priorities_of = {o.id: o.priority_ids for o in cycle.objectives}
        for observation in cycle.observations:
            linked = [p for o in observation.objective_ids for p in priorities_of.get(o, ())]
            for text in observation.cpd_needs:
                add(text, cycle, "observation", observation.standard_ids, linked)
        for meeting in cycle.reviews:
            for text in meeting.development_needs:
                add(text, cycle, "review", (), ())
        if index is None:
            continue
        for objective in cycle.live_objectives:
            if not index.links(cycle.id, objective.id).has_support:
                add(
                    f"Support for: {short(objective.statement, 60)}",
                    cycle,
                    "objective",
                    objective.standard_ids,
                    objective.priority_ids,
                )
    return found


def _build(view: _Resolved, policy: NeedsPolicy) -> NeedsReport:
    people = {p.id: p for p in view.people}
    themes = {
        (school.id, p.id): (p.theme or p.title)
        for school in view.schools
        for p in school.priorities
    }
    gathered = _gather_needs(
        view.cycles, view.linkage() if policy.include_unsupported_objectives else None, themes
    )
    team_of: dict[str, tuple[str, ...]] = {p.id: tuple(p.team_ids) for p in view.people}
    items = []
    for key, entry in gathered.items():
        staff_ids = tuple(s for s in people if s in entry.staff)
        teams = tuple(dict.fromkeys(t for s in staff_ids for t in team_of.get(s, ())))
        items.append(
            Need(
                key=key,
                text=entry.text,
                staff_ids=staff_ids,
                team_ids=teams,
                standard_ids=tuple(sorted(entry.standards)),
                themes=tuple(entry.themes),
                sources=tuple(sorted(entry.sources.items())),
            )
        )
    items.sort(key=lambda n: (-len(n.staff_ids), n.key))
    by_standard: dict[str, list[str]] = defaultdict(list)
    by_team: dict[str, list[str]] = defaultdict(list)
    by_theme: dict[str, list[str]] = defaultdict(list)
    for need in items:
        for theme in need.themes or (NO_THEME,):
            by_theme[theme].append(need.key)
        for standard in need.standard_ids:
            by_standard[standard].append(need.key)
        for team in need.team_ids:
            by_team[team].append(need.key)
    counts: dict[str, int] = defaultdict(int)
    for need in items:
        for person in need.staff_ids:
            counts[person] += 1
    return NeedsReport(
        scope=view.info,
        needs=tuple(items),
        by_standard=tuple((k, tuple(v)) for k, v in sorted(by_standard.items())),
        by_team=tuple((k, tuple(v)) for k, v in by_team.items()),
        by_theme=tuple((k, tuple(v)) for k, v in sorted(by_theme.items())),
        plan=tuple(_plan(items, view, policy)),
        leaders=tuple(_leaders(view, gathered, policy)),
        groups=view.groups,
        person_counts=tuple((p.id, counts.get(p.id, 0)) for p in view.people),
    )


def _plan(items: Sequence[Need], view: _Resolved, policy: NeedsPolicy) -> list[PlanItem]:
    staff = len(view.people)
    names = {p.id: p.name for p in view.people}
    teams = {g.id: g for g in view.groups if g.kind == "team"}
    plan = []
    threshold = max(policy.whole_school_min_people, policy.whole_school_share * staff)
    for need in items:
        if "objective" in dict(need.sources) and len(need.sources) == 1:
            continue
        if len(need.staff_ids) >= threshold:
            plan.append(
                PlanItem(
                    "whole-school",
                    need.text,
                    "all staff",
                    need.staff_ids,
                    f"An INSET session: {len(need.staff_ids)} of {staff} staff need it.",
                )
            )
            continue
        placed = False
        for team_id in need.team_ids:
            team = teams.get(team_id)
            if team is None:
                continue
            members = tuple(s for s in need.staff_ids if s in team.member_ids)
            if len(members) >= policy.team_min_people:
                plan.append(
                    PlanItem(
                        "team",
                        need.text,
                        team.name,
                        members,
                        f"A team session or coaching for {len(members)} people in {team.name}.",
                    )
                )
                placed = True
        if not placed:
            for person in need.staff_ids:
                plan.append(
                    PlanItem(
                        "individual",
                        need.text,
                        names.get(person, person),
                        (person,),
                        "Coaching, mentoring or a course, linked to an objective.",
                    )
                )
    order = {"whole-school": 0, "team": 1, "individual": 2}
    plan.sort(key=lambda p: order[p.level])
    return plan


def _is_leader(person: StaffMember, led: dict[str, list[str]]) -> bool:
    return person.id in led or any(r.leads for r in person.roles)


def _leaders(
    view: _Resolved, gathered: dict[str, _Gather], policy: NeedsPolicy
) -> list[LeaderNeeds]:
    led: dict[str, list[str]] = defaultdict(list)
    for school in view.schools:
        for team in school.teams:
            if team.leader_id is not None:
                led[team.leader_id].append(team.name)
    attended = view.cpd_by_attendee()
    words = tuple(w.lower() for w in policy.leader_training_keywords)
    result = []
    for person in view.people:
        if not _is_leader(person, led):
            continue
        trained = any(
            any(w in f"{a.title} {a.notes}".lower() for w in words)
            for a in attended.get(person.id, ())
        )
        own = [e.text for e in gathered.values() if person.id in e.staff]
        if not trained:
            own.insert(0, LEADER_TRAINING)
        result.append(
            LeaderNeeds(
                person.id,
                person.name,
                tuple(led.get(person.id, ())) or ("leadership role",),
                tuple(own),
                trained,
            )
        )
    return result


def _document(report: NeedsReport) -> Document:
    info = report.scope
    observed = [n for n in report.needs if dict(n.sources).keys() - {"objective"}]
    top = (observed or list(report.needs))[:10]
    summary: list[Block] = [
        Paragraph(
            f"{plural(len(report.needs), 'need')} from observations, reviews and objectives "
            f"without support; the plan has "
            f"{sum(p.level == 'whole-school' for p in report.plan)} whole-school, "
            f"{sum(p.level == 'team' for p in report.plan)} team and "
            f"{sum(p.level == 'individual' for p in report.plan)} individual items. "
            f"{sum(not leader.trained for leader in report.leaders)} of "
            f"{len(report.leaders)} team leaders have no training in objective-setting or "
            "coaching on record."
        )
    ]
    if top:
        summary.append(
            Chart(
                "Most shared needs",
                tuple(short(n.text, 40) for n in top),
                (Series("People", tuple(float(len(n.staff_ids)) for n in top), BLUE),),
                alt="Most shared needs: "
                + "; ".join(
                    f"{n.text}: {plural(len(n.staff_ids), 'person', 'people')}" for n in top
                )
                + ".",
                kind=ChartKind.HORIZONTAL_BAR,
                unit="people",
            )
        )
    body: list[Block] = [
        section("Summary", summary, id="summary"),
        section(
            "The CPD and INSET plan",
            [
                table_or_note(
                    ("Level", "Need", "For", "People", "Suggestion"),
                    [
                        (p.level, p.need, p.audience, str(len(p.staff_ids)), p.suggestion)
                        for p in report.plan
                    ],
                    caption="The plan the needs imply",
                    empty="No needs recorded yet: record CPD needs at observations and reviews.",
                )
            ],
            id="plan",
        ),
        section(
            "Needs",
            [
                table_or_note(
                    ("Need", "People", "Teams", "Standards", "From"),
                    [
                        (
                            n.text,
                            ", ".join(n.staff_ids),
                            ", ".join(n.team_ids),
                            ", ".join(n.standard_ids),
                            ", ".join(f"{s} {c}" for s, c in n.sources),
                        )
                        for n in report.needs
                    ],
                    caption="Every need with the people behind it",
                    empty="No needs recorded.",
                )
            ],
            id="needs",
        ),
        section(
            "By standard",
            [
                table_or_note(
                    ("Standard", "Needs"),
                    [(s, "; ".join(keys)) for s, keys in report.by_standard],
                    caption="Needs by standard",
                    empty="No needs are tagged to a standard.",
                )
            ],
            id="by-standard",
        ),
        section(
            "By theme",
            [
                table_or_note(
                    ("Theme", "Needs"),
                    [(t, "; ".join(keys)) for t, keys in report.by_theme],
                    caption="Needs by the theme of the school priorities behind them",
                    empty="No needs recorded.",
                )
            ],
            id="by-theme",
        ),
        section(
            "By team",
            [
                table_or_note(
                    ("Team", "Needs"),
                    [(t, "; ".join(keys)) for t, keys in report.by_team],
                    caption="Needs by team",
                    empty="No needs in any team.",
                )
            ],
            id="by-team",
        ),
        section(
            "Team leaders' own needs",
            [
                table_or_note(
                    ("Leader", "Leads", "Trained in objective-setting or coaching", "Needs"),
                    [
                        (
                            leader.name,
                            ", ".join(leader.team_names),
                            "yes" if leader.trained else "no",
                            "; ".join(leader.needs),
                        )
                        for leader in report.leaders
                    ],
                    caption="Team leaders' own training needs",
                    empty="No team leaders in scope.",
                )
            ],
            id="leaders",
        ),
    ]
    return document("Training needs", info, "needs", body)
