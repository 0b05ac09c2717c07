"""Training needs: what staff need to learn, who needs it, and the CPD plan that follows.

Needs surface from observations (each one's ``cpd_needs``), from review meetings (their
``development_needs``) and from objectives that have no CPD or support behind them. The report
groups them by meaning (see `devcycle.reports._meaning`: "Questioning" and "use of
questioning" are one need), by standard and by team, with the people behind each, and nets
out what recorded CPD has already given: a need is met for a person who attended a CPD
activity of their school on its theme, held on or after the need was last recorded and by the
as-of date. It then sketches the CPD and INSET plan the open needs imply, school by school: a
need many staff of a school share is a whole-school (INSET) session, one shared within a team
is team CPD, and the rest are individual. Team leaders' own needs (objective-setting,
coaching) are shown separately, because the sources found leaders' training the part most
often missed.

The training the school has actually *planned* (`devcycle.domain.TrainingPlanEntry`: dates on
the school calendar, an owner, hours and cost) is listed beside the plan the needs imply, each
implied item naming the planned entries that answer its need; and for a school or a trust the
plan is set against each school's CPD budget (`devcycle.domain.budget_positions`): committed,
spent, remaining, staff hours, and any overspend flagged.

Every need, plan item and leader row belongs to one school (``school_id``): two schools of a
trust that both need questioning have two needs, and each school's plan is its own.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import (
    BudgetPosition,
    CPDActivity,
    Cycle,
    StaffMember,
    TrainingPlanEntry,
    budget_positions,
)
from devcycle.domain.linkage import Linkage
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    StaffKey,
    _Resolved,
    fraction,
    on_roll,
    resolve,
    staff_key,
)
from devcycle.reports._documents import (
    BLUE,
    day,
    document,
    number,
    plural,
    schooled,
    section,
    short,
    table_or_note,
)
from devcycle.reports._meaning import NeedLexicon

__all__ = [
    "LeaderNeeds",
    "Need",
    "NeedLexicon",
    "NeedsPolicy",
    "NeedsReport",
    "PlanItem",
    "PlannedTraining",
    "needs",
]

LEADER_TRAINING = "Objective-setting and coaching (team-leader training)"
NO_THEME = "no priority theme"
OBJECTIVE_PREFIX = "Support for: "
PAST_DUE = "date passed, mark done or cancelled"
"""How an entry still planned or booked after its last date is flagged."""


@attrs.frozen
class NeedsPolicy:
    """How needs become a plan.

    Attributes:
        whole_school_share: A need shared by at least this share of a school's staff in scope
            is a whole-school (INSET) session.
        whole_school_min_people: ...and by at least this many people.
        team_min_people: A need shared by this many people in one team is team CPD.
        leader_training_keywords: Words in a CPD activity's title or notes that show a team
            leader has been trained in objective-setting or coaching.
        include_unsupported_objectives: Count objectives with no CPD or support as needs.
        net_recorded_cpd: Take out needs that recorded CPD has met (matched by theme and
            attendance); they are listed apart as met.
        lexicon: The concepts needs are grouped and matched by; the built-in one
            (``needs_lexicon.toml``) when None.
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
    net_recorded_cpd: bool = True
    lexicon: NeedLexicon | None = None


@attrs.frozen
class Need:
    """One training need in one school and who has it.

    Attributes:
        key: What the need means, for grouping: its concepts sorted (see `NeedLexicon.key`);
            a need from an unsupported objective keeps its own full text, lower-cased with
            its spaces normalised (two objectives are one need only when their statements
            are the same).
        text: The need as first written, in full.
        staff_ids: Who still has it (staff of *school_id*), in staff order.
        team_ids: Their teams (in *school_id*).
        standard_ids: Standards it relates to (from observations and objectives).
        sources: Where it came from: ``observation``, ``review``, ``objective``, with counts.
        themes: Themes of the school priorities behind it (the priority's ``theme``, or its
            title), from the objectives it arose from.
        school_id: The school whose staff have it.
        met: ``(staff_id, activity_id)`` for each person whose need recorded CPD has met.
        staff_names: The names of *staff_ids*, in the same order (a name two people of the
            school share has the id after it).
        team_names: The names of *team_ids*, in the same order.
        met_names: For each pair of *met*, the person's name and the activity's title.
    """

    key: str
    text: str
    staff_ids: tuple[str, ...]
    team_ids: tuple[str, ...]
    standard_ids: tuple[str, ...]
    sources: tuple[tuple[str, int], ...]
    themes: tuple[str, ...] = ()
    school_id: str = ""
    met: tuple[tuple[str, str], ...] = ()
    staff_names: tuple[str, ...] = ()
    team_names: tuple[str, ...] = ()
    met_names: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class PlanItem:
    """A line of the CPD and INSET plan the open needs imply.

    Attributes:
        level: ``whole-school``, ``team`` or ``individual``.
        need: The need.
        audience: Who it is for: "all staff", a team's name, or a person's name.
        staff_ids: The people with the need it serves (staff of *school_id*).
        suggestion: The form it might take.
        school_id: The school that would run it.
        planned_ids: The school's training-plan entries (not cancelled) that answer the need.
        planned_titles: Their titles, in the same order.
    """

    level: str
    need: str
    audience: str
    staff_ids: tuple[str, ...]
    suggestion: str
    school_id: str = ""
    planned_ids: tuple[str, ...] = ()
    planned_titles: tuple[str, ...] = ()


@attrs.frozen
class PlannedTraining:
    """A training-plan entry as the report shows it, with its people's names.

    Attributes:
        entry: The entry.
        owner_name: Its owner's name (their id if they are not in the staff list).
        participant_names: Its participants' names, in order (none: its whole team, or all
            staff).
        team_name: Its team's name, for an entry with a team ("" otherwise).
        past_due: Whether it is still planned or booked though its last date is before the
            as-of date (`TrainingPlanEntry.past_due`): to be marked done or cancelled; it
            still counts as committed.
    """

    entry: TrainingPlanEntry
    owner_name: str
    participant_names: tuple[str, ...]
    team_name: str = ""
    past_due: bool = False


@attrs.frozen
class LeaderNeeds:
    """A team leader's own needs, shown apart from their team's.

    Attributes:
        staff_id: The leader.
        name: Their name.
        team_names: The teams they lead (none for a leader of no team, who is here for a
            leading role).
        needs: Their open needs, leader training first when they have had none.
        trained: Whether CPD in objective-setting or coaching is on record for them.
        school_id: Their school.
        roles: Their leading roles (`devcycle.domain.Role` values, sorted), which make a
            leader of no team one.
    """

    staff_id: str
    name: str
    team_names: tuple[str, ...]
    needs: tuple[str, ...]
    trained: bool
    school_id: str = ""
    roles: tuple[str, ...] = ()

    @property
    def leads(self) -> str:
        """What they lead, in words: their teams, or "no team" and their leading role."""
        if self.team_names:
            return ", ".join(self.team_names)
        roles = ", ".join(role.replace("_", " ") for role in self.roles)
        return f"no team ({roles})" if roles else "no team"


@attrs.frozen
class NeedsReport:
    """The training-needs report (see `needs`).

    Attributes:
        scope: What was covered, as of when.
        needs: Every need someone still has, most widely shared first.
        by_standard: ``(school_id, standard_id)`` -> keys of the school's open needs that
            relate to the standard.
        by_team: ``(school_id, team_id)`` -> keys of its members' open needs.
        by_theme: ``(school_id, theme)`` -> keys of the school's open needs behind the
            priority theme ("no priority theme" for needs from observations and reviews not
            tied to a priority).
        plan: The CPD and INSET plan the open needs imply, school by school.
        leaders: Team leaders' own needs.
        groups: The teams and schools in scope.
        person_counts: ``(school_id, staff_id)`` -> how many open needs they have (adds up
            across groups).
        met: Needs that recorded CPD has met for everyone who had them.
        planned: The training planned in the schools in scope (for a team or a person, the
            entries for them, for all staff, or led by them), by first date.
        budgets: For a school or a trust, each school's CPD budgets set against its whole
            plan, with a position for entries no budget covers; empty for a team or person.
    """

    scope: ScopeInfo
    needs: tuple[Need, ...]
    by_standard: tuple[tuple[tuple[str, str], tuple[str, ...]], ...]
    by_team: tuple[tuple[tuple[str, str], tuple[str, ...]], ...]
    by_theme: tuple[tuple[tuple[str, str], tuple[str, ...]], ...]
    plan: tuple[PlanItem, ...]
    leaders: tuple[LeaderNeeds, ...]
    groups: tuple[Group, ...]
    person_counts: tuple[tuple[StaffKey, int], ...]
    met: tuple[Need, ...] = ()
    planned: tuple[PlannedTraining, ...] = ()
    budgets: tuple[BudgetPosition, ...] = ()

    @paused_during
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
    """Gather training needs, net out what recorded CPD met, and sketch the plan for the rest.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle; CPD held after it meets nothing yet.
        scope: One person, team or school; by default every school in *data*.
        policy: Thresholds, netting and the lexicon; `NeedsPolicy()` by default.

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
    school_id: str
    concepts: frozenset[str]
    staff: dict[str, date | None] = attrs.field(factory=dict)
    """Staff id -> the latest day the need was recorded for them (None: from an objective)."""
    standards: dict[str, None] = attrs.field(factory=dict)
    themes: dict[str, None] = attrs.field(factory=dict)
    sources: dict[str, int] = attrs.field(factory=lambda: defaultdict(int))


def _gather_needs(
    cycles: Sequence[Cycle],
    index: Linkage | None,
    themes: Mapping[tuple[str, str], str],
    lexicon: NeedLexicon,
) -> dict[tuple[str, str], _Gather]:
    """Gather needs from *cycles* by ``(school_id, key)``, in the order first seen.

    *themes* maps ``(school_id, priority_id)`` to the priority's theme; a need takes the
    themes of the priorities its objectives serve. With an *index*, objectives with no CPD or
    support are needs too.
    """
    found: dict[tuple[str, str], _Gather] = {}

    def add(
        text: str,
        cycle: Cycle,
        source: str,
        standards: Sequence[str],
        priorities: Iterable[str],
        *,
        on: date | None,
    ) -> None:
        if on is None:
            key, concepts = _key(text), frozenset[str]()
        else:
            concepts = lexicon.concepts_of(text)
            key = lexicon.key(text)
        if not key:
            return
        entry = found.setdefault(
            (cycle.school_id, key), _Gather(text.strip(), cycle.school_id, concepts)
        )
        previous = entry.staff.get(cycle.staff_id)
        entry.staff[cycle.staff_id] = (
            on if previous is None or (on is not None and on > previous) else previous
        )
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
                add(text, cycle, "observation", observation.standard_ids, linked, on=observation.on)
        for meeting in cycle.reviews:
            for text in meeting.development_needs:
                add(text, cycle, "review", (), (), on=meeting.on)
        if index is None:
            continue
        for objective in cycle.live_objectives:
            if not index.links(cycle.school_id, cycle.id, objective.id).has_support:
                add(
                    f"{OBJECTIVE_PREFIX}{objective.statement}",
                    cycle,
                    "objective",
                    objective.standard_ids,
                    objective.priority_ids,
                    on=None,
                )
    return found


def _met_by(
    entry: _Gather,
    staff_id: str,
    attended: Mapping[StaffKey, Sequence[CPDActivity]],
    *,
    as_of: date,
    lexicon: NeedLexicon,
) -> str | None:
    """The id of a CPD activity that met *entry* for *staff_id*, or None.

    It must be of the need's school, attended by the person, on the need's theme (its title
    names every concept of the need) and held from the day the need was last recorded up to
    *as_of*.
    """
    raised = entry.staff.get(staff_id)
    if raised is None or not entry.concepts:
        return None
    for activity in attended.get((entry.school_id, staff_id), ()):
        if not any(raised <= day <= as_of for day in activity.dates):
            continue
        if entry.concepts <= lexicon.concepts_of(activity.title):
            return activity.id
    return None


def _build(view: _Resolved, policy: NeedsPolicy) -> NeedsReport:
    lexicon = policy.lexicon or NeedLexicon.builtin()
    people = {staff_key(p): p for p in view.people}
    themes = {
        (school.id, p.id): (p.theme or p.title)
        for school in view.schools
        for p in school.priorities
    }
    gathered = _gather_needs(
        view.judged_cycles,  # no training is planned for a cycle ended on leaving
        view.linkage() if policy.include_unsupported_objectives else None,
        themes,
        lexicon,
    )
    attended = view.cpd_by_attendee() if policy.net_recorded_cpd else {}
    names = _staff_names(view)
    team_names = {(s.id, t.id): t.name for s in view.schools for t in s.teams}
    titles = {(a.school_id, a.id): a.title for a in view.cpd}
    items: list[Need] = []
    met_items: list[Need] = []
    open_staff: dict[tuple[str, str], set[str]] = {}
    for (school_id, key), entry in gathered.items():
        holders = [k[1] for k in people if k[0] == school_id and k[1] in entry.staff]
        met: list[tuple[str, str]] = []
        still: list[str] = []
        for staff_id in holders:
            activity = _met_by(entry, staff_id, attended, as_of=view.as_of, lexicon=lexicon)
            if activity is None:
                still.append(staff_id)
            else:
                met.append((staff_id, activity))
        open_staff[(school_id, key)] = set(still)
        teams = tuple(dict.fromkeys(t for s in still for t in people[(school_id, s)].team_ids))
        need = Need(
            key=key,
            text=entry.text,
            staff_ids=tuple(still),
            team_ids=teams,
            standard_ids=tuple(sorted(entry.standards)),
            themes=tuple(entry.themes),
            sources=tuple(sorted(entry.sources.items())),
            school_id=school_id,
            met=tuple(met),
            staff_names=tuple(names.get((school_id, s), s) for s in still),
            team_names=tuple(team_names.get((school_id, t), t) for t in teams),
            met_names=tuple(
                (names.get((school_id, s), s), titles.get((school_id, a), a)) for s, a in met
            ),
        )
        (items if still or not met else met_items).append(need)
    items.sort(key=lambda n: (-len(n.staff_ids), n.key, n.school_id))
    by_standard: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_team: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_theme: dict[tuple[str, str], list[str]] = defaultdict(list)
    for need in items:
        for theme in need.themes or (NO_THEME,):
            by_theme[(need.school_id, theme)].append(need.key)
        for standard in need.standard_ids:
            by_standard[(need.school_id, standard)].append(need.key)
        for team in need.team_ids:
            by_team[(need.school_id, team)].append(need.key)
    counts: dict[StaffKey, int] = defaultdict(int)
    for need in items:
        for person in need.staff_ids:
            counts[(need.school_id, person)] += 1
    planned = _planned(view)
    implied = _link_planned(_plan(items, view, policy, names), planned, lexicon)
    shown = tuple(
        PlannedTraining(
            e,
            names.get((e.school_id, e.owner_id), e.owner_id),
            tuple(names.get((e.school_id, p), p) for p in e.participant_ids),
            team_names.get((e.school_id, e.team_id), e.team_id) if e.team_id else "",
            past_due=e.past_due(view.as_of),
        )
        for e in planned
    )
    return NeedsReport(
        scope=view.info,
        needs=tuple(items),
        by_standard=tuple((k, tuple(v)) for k, v in sorted(by_standard.items())),
        by_team=tuple((k, tuple(v)) for k, v in by_team.items()),
        by_theme=tuple((k, tuple(v)) for k, v in sorted(by_theme.items())),
        plan=tuple(implied),
        leaders=tuple(_leaders(view, gathered, open_staff, policy)),
        groups=view.groups,
        person_counts=tuple((staff_key(p), counts.get(staff_key(p), 0)) for p in view.people),
        met=tuple(met_items),
        planned=shown,
        budgets=_budgets(view),
    )


def _staff_names(view: _Resolved) -> dict[StaffKey, str]:
    """The name to show for each member of staff of the schools in scope.

    Two people of one school with the same name are told apart by their ids.
    """
    schools = {school.id for school in view.schools}
    staff = [p for p in view.data.staff if p.school_id in schools]
    shared = Counter((p.school_id, p.name) for p in staff)
    return {
        staff_key(p): f"{p.name} ({p.id})" if shared[(p.school_id, p.name)] > 1 else p.name
        for p in staff
    }


def _link_planned(
    items: Sequence[PlanItem], planned: Sequence[TrainingPlanEntry], lexicon: NeedLexicon
) -> list[PlanItem]:
    """Name on each implied plan item the planned entries (not cancelled) for its need.

    An entry answers a need of its own school whose meaning (or plain wording) is its own.
    """
    keyed: dict[tuple[str, str], list[TrainingPlanEntry]] = defaultdict(list)
    for scheduled in planned:
        if scheduled.counts and scheduled.need.strip():
            for need_key in {lexicon.key(scheduled.need), _key(scheduled.need)}:
                keyed[(scheduled.school_id, need_key)].append(scheduled)
    linked = []
    for item in items:
        entries = {
            entry.id: entry
            for need_key in (lexicon.key(item.need), _key(item.need))
            for entry in keyed.get((item.school_id, need_key), [])
        }
        linked.append(
            attrs.evolve(
                item,
                planned_ids=tuple(entries),
                planned_titles=tuple(e.title for e in entries.values()),
            )
        )
    return linked


def _planned(view: _Resolved) -> tuple[TrainingPlanEntry, ...]:
    """The planned training in scope: a school's whole plan, or what concerns a team or person."""
    schools = {school.id for school in view.schools}
    entries = [e for e in view.data.training_plan if e.school_id in schools]
    if view.scope.level not in ("school", "trust"):
        # An entry concerns the scope when it is for someone in it (its named participants;
        # with none named, its team's members, or else all staff), when someone in it leads
        # it, or when it is for the team in scope.
        people = {staff_key(p) for p in view.people}
        teams = {(g.school_id, g.id) for g in view.groups if g.kind == "team"}
        entries = [
            e
            for e in entries
            if any(e.is_for(p.school_id, p.id, p.team_ids) for p in view.people)
            or (e.school_id, e.owner_id) in people
            or (e.team_id is not None and (e.school_id, e.team_id) in teams)
        ]
    return tuple(sorted(entries, key=lambda e: (e.start, e.school_id, e.id)))


def _budgets(view: _Resolved) -> tuple[BudgetPosition, ...]:
    """Each school's budgets against its whole plan, for a school or trust scope only."""
    if view.scope.level not in ("school", "trust"):
        return ()
    positions: list[BudgetPosition] = []
    for school in view.schools:
        entries = [e for e in view.data.training_plan if e.school_id == school.id]
        if not school.cpd_budgets and not entries:
            continue
        # the staff on the roll as of the report's date, as the report's own staff count
        members = on_roll((p for p in view.data.staff if p.school_id == school.id), view.as_of)
        sizes = Counter(team for p in members for team in p.team_ids)
        positions.extend(
            budget_positions(
                school.id,
                school.cpd_budgets,
                entries,
                staff_count=len(members),
                team_sizes=sizes,
                as_of=view.as_of,
            )
        )
    return tuple(positions)


def _plan(
    items: Sequence[Need], view: _Resolved, policy: NeedsPolicy, names: Mapping[StaffKey, str]
) -> list[PlanItem]:
    staff: dict[str, int] = defaultdict(int)
    for person in view.people:
        staff[person.school_id] += 1
    teams = {(g.school_id, g.id): g for g in view.groups if g.kind == "team"}
    plan = []
    for need in items:
        if not need.staff_ids or ("objective" in dict(need.sources) and len(need.sources) == 1):
            continue
        school = need.school_id
        size = staff[school]
        threshold = max(policy.whole_school_min_people, policy.whole_school_share * size)
        if len(need.staff_ids) >= threshold:
            plan.append(
                PlanItem(
                    "whole-school",
                    need.text,
                    "all staff",
                    need.staff_ids,
                    f"An INSET session: {len(need.staff_ids)} of {size} staff need it.",
                    school,
                )
            )
            continue
        placed = False
        for team_id in need.team_ids:
            team = teams.get((school, team_id))
            if team is None:
                continue
            members = tuple(s for s in need.staff_ids if (school, s) in team.members)
            if len(members) >= policy.team_min_people:
                plan.append(
                    PlanItem(
                        "team",
                        need.text,
                        team.name,
                        members,
                        f"A team session or coaching for {len(members)} people in {team.name}.",
                        school,
                    )
                )
                placed = True
        if not placed:
            for staff_id in need.staff_ids:
                plan.append(
                    PlanItem(
                        "individual",
                        need.text,
                        names.get((school, staff_id), staff_id),
                        (staff_id,),
                        "Coaching, mentoring or a course, linked to an objective.",
                        school,
                    )
                )
    order = {"whole-school": 0, "team": 1, "individual": 2}
    plan.sort(key=lambda p: order[p.level])
    return plan


def _is_leader(person: StaffMember, led: Mapping[StaffKey, list[str]]) -> bool:
    return staff_key(person) in led or any(r.leads for r in person.roles)


def _leaders(
    view: _Resolved,
    gathered: Mapping[tuple[str, str], _Gather],
    open_staff: Mapping[tuple[str, str], set[str]],
    policy: NeedsPolicy,
) -> list[LeaderNeeds]:
    led: dict[StaffKey, list[str]] = defaultdict(list)
    for school in view.schools:
        for team in school.teams:
            if team.leader_id is not None:
                led[(school.id, team.leader_id)].append(team.name)
    attended = view.cpd_by_attendee()
    words = tuple(w.lower() for w in policy.leader_training_keywords)
    result = []
    for person in view.people:
        if not _is_leader(person, led) or view.ended_on_leaving(person):
            continue  # nothing is planned for a leader whose cycle was ended on leaving
        trained = any(
            any(w in f"{a.title} {a.notes}".lower() for w in words)
            for a in attended.get(staff_key(person), ())
        )
        own = [
            e.text
            for k, e in gathered.items()
            if k[0] == person.school_id and person.id in open_staff.get(k, ())
        ]
        if not trained:
            own.insert(0, LEADER_TRAINING)
        result.append(
            LeaderNeeds(
                person.id,
                person.name,
                tuple(led.get(staff_key(person), ())),
                tuple(own),
                trained,
                person.school_id,
                tuple(sorted(r.value for r in person.roles if r.leads)),
            )
        )
    return result


def _money(amount: Decimal) -> str:
    """An amount of money in a table: ``1,250.00``, ``-80.50``."""
    return f"{amount:,.2f}"


def _days(entry: TrainingPlanEntry) -> str:
    return ", ".join(day(d) for d in entry.dates)


def _planned_table(report: NeedsReport) -> Block:
    info = report.scope
    rows = []
    for shown in report.planned:
        e = shown.entry
        audience = ", ".join(shown.participant_names) or "all staff"
        if e.team_id is not None:
            team = shown.team_name or e.team_id
            audience = f"{team}: {audience}" if shown.participant_names else f"{team}, whole team"
        rows.append(
            (
                e.school_id,
                (
                    _days(e),
                    e.title,
                    e.need or "-",
                    audience,
                    shown.owner_name,
                    number(e.hours),
                    _money(e.cost),
                    f"{e.status.value}: {PAST_DUE}" if shown.past_due else e.status.value,
                ),
            )
        )
    return table_or_note(
        *schooled(
            info,
            ("Dates", "Training", "Need", "For", "Owner", "Hours each", "Cost", "Status"),
            rows,
        ),
        caption="The training the school has planned, on its calendar",
        empty="No training planned yet: add entries to the training plan "
        "(devcycle school plan-training).",
    )


def _flag(position: BudgetPosition) -> str:
    flags = []
    if position.budget is None:
        flags.append(f"no budget's period holds these ({_money(position.overspend)})")
    elif position.overspent:
        flags.append(f"OVERSPENT by {_money(position.overspend)}")
    if position.hours_over and position.budget is not None:
        flags.append(
            f"OVER the hours budgeted ({number(position.staff_hours)} of "
            f"{number(position.budget.hours or 0)})"
        )
    if position.past_due:
        flags.append(
            f"{plural(len(position.past_due), 'entry', 'entries')} past "
            f"{'its' if len(position.past_due) == 1 else 'their'} date "
            f"({_money(position.past_due_cost)}): mark done or cancelled"
        )
    if not (position.overspent or position.hours_over):
        flags.insert(0, "within budget")
    return "; ".join(flags)


def _budget_blocks(report: NeedsReport) -> list[Block]:
    info = report.scope
    over = [p for p in report.budgets if p.overspent or p.hours_over]
    blocks: list[Block] = []
    if report.budgets:
        blocks.append(
            Paragraph(
                f"{plural(len(over), 'budget')} overspent or short of hours (or entries "
                "in no budget's period): "
                + "; ".join(
                    f"{p.budget.id if p.budget else 'no budget'}"
                    + (f" ({info.school_name(p.school_id)})" if info.several_schools else "")
                    + f": {_flag(p)}"
                    for p in over
                )
                + "."
                if over
                else "Every budget covers the training planned against it."
            )
        )
    rows = [
        (
            p.school_id,
            (
                p.budget.title or p.budget.id if p.budget is not None else "No budget",
                f"{day(p.budget.start)} to {day(p.budget.end)}" if p.budget is not None else "-",
                _money(p.budget.amount) if p.budget is not None else "-",
                str(sum(e.counts for e in p.entries)),
                _money(p.committed),
                _money(p.spent),
                _money(p.remaining) if p.budget is not None else "-",
                number(p.staff_hours),
                _flag(p),
            ),
        )
        for p in report.budgets
    ]
    blocks.append(
        table_or_note(
            *schooled(
                info,
                (
                    "Budget",
                    "Period",
                    "Amount",
                    "Entries",
                    "Committed",
                    "Spent",
                    "Remaining",
                    "Staff hours",
                    "Position",
                ),
                rows,
            ),
            caption="The CPD budget against the training planned (cancelled entries count "
            "for nothing; an entry counts against the budget holding its first date)",
            empty="No CPD budget set: set one with devcycle school budget.",
        )
    )
    return blocks


def _met_names(need: Need, which: int) -> list[str]:
    """The people (*which* 0) or activities (1) of *need*'s ``met``, by name or title."""
    shown = need.met_names if len(need.met_names) == len(need.met) else need.met
    return [pair[which] for pair in shown]


def _named(ids: Sequence[str], names: Sequence[str]) -> dict[str, str]:
    """Ids mapped to the names given beside them (each id its own name where none is)."""
    return {i: (names[n] if n < len(names) else i) for n, i in enumerate(ids)}


@attrs.frozen
class _Names:
    """What the document shows for the ids a report holds: names and titles."""

    teams: dict[tuple[str, str], str]
    needs: dict[tuple[str, str], str]

    @classmethod
    def of(cls, report: NeedsReport) -> _Names:
        teams = {
            (n.school_id, t): name
            for n in report.needs
            for t, name in _named(n.team_ids, n.team_names).items()
        }
        texts = {(n.school_id, n.key): n.text for n in (*report.needs, *report.met)}
        return cls(teams, texts)

    def team(self, school_id: str, team_id: str) -> str:
        return self.teams.get((school_id, team_id), team_id)

    def need_texts(self, school_id: str, keys: Iterable[str]) -> str:
        return "; ".join(self.needs.get((school_id, k), k) for k in keys)


def _document(report: NeedsReport) -> Document:
    info = report.scope
    names = _Names.of(report)
    observed = [n for n in report.needs if dict(n.sources).keys() - {"objective"}]
    top = (observed or list(report.needs))[:10]
    summary: list[Block] = [
        Paragraph(
            f"{plural(len(report.needs), 'need')} from observations, reviews and objectives "
            f"without support still open"
            + (
                f" ({plural(len(report.met), 'need')} met in full by recorded CPD)"
                if report.met
                else ""
            )
            + "; the plan has "
            f"{sum(p.level == 'whole-school' for p in report.plan)} whole-school, "
            f"{sum(p.level == 'team' for p in report.plan)} team and "
            f"{sum(p.level == 'individual' for p in report.plan)} individual items. "
            f"{sum(not leader.trained for leader in report.leaders)} of "
            f"{len(report.leaders)} team leaders have no training in objective-setting or "
            "coaching on record."
        )
    ]
    if report.planned or report.budgets:
        live = [p.entry for p in report.planned if p.entry.counts]
        over = [p for p in report.budgets if p.overspent and p.budget is not None]
        loose = [e for p in report.budgets if p.budget is None for e in p.entries if e.counts]
        late = [p.entry for p in report.planned if p.past_due]
        problems = [
            *([f"{plural(len(over), 'budget')} OVERSPENT"] if over else []),
            *(
                [
                    f"{plural(len(loose), 'entry', 'entries')} costing "
                    f"{_money(sum((e.cost for e in loose), Decimal(0)))} in no budget's period"
                ]
                if loose
                else []
            ),
        ]
        late_note = (
            f" {plural(len(late), 'entry', 'entries')} still "
            + " or ".join(sorted({e.status.value for e in late}))
            + f" after {'its' if len(late) == 1 else 'their'} date "
            f"({', '.join(e.title for e in late)}), counted as committed: mark "
            f"{'it' if len(late) == 1 else 'them'} done or cancelled."
            if late
            else ""
        )
        summary.append(
            Paragraph(
                f"{plural(len(live), 'piece')} of training planned, costing "
                f"{_money(sum((e.cost for e in live), Decimal(0)))}"
                + (
                    "; "
                    + (
                        " and ".join(problems) + " (see the CPD budget)."
                        if problems
                        else "within the CPD budget."
                    )
                    if report.budgets
                    else "."
                )
                + late_note
            )
        )
    if top:
        summary.append(
            Chart(
                "Most shared needs",
                tuple(
                    f"{short(n.text, 40)} ({info.school_name(n.school_id)})"
                    if info.several_schools
                    else short(n.text, 40)
                    for n in top
                ),
                (Series("People", tuple(float(len(n.staff_ids)) for n in top), BLUE),),
                alt="People with each need: "
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
                    *schooled(
                        info,
                        ("Level", "Need", "For", "People", "Suggestion", "Planned"),
                        [
                            (
                                p.school_id,
                                (
                                    p.level,
                                    p.need,
                                    p.audience,
                                    str(len(p.staff_ids)),
                                    p.suggestion,
                                    ", ".join(_named(p.planned_ids, p.planned_titles).values())
                                    or "not yet",
                                ),
                            )
                            for p in report.plan
                        ],
                    ),
                    caption="The plan the needs imply",
                    empty="No needs recorded yet: record CPD needs at observations and reviews.",
                )
            ],
            id="plan",
        ),
        section("Planned training", [_planned_table(report)], id="planned"),
        *(
            [section("CPD budget", _budget_blocks(report), id="budget")]
            if report.scope.level in ("school", "trust")
            else []
        ),
        section(
            "Needs",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Need", "People", "Teams", "Standards", "From"),
                        [
                            (
                                n.school_id,
                                (
                                    n.text,
                                    ", ".join(_named(n.staff_ids, n.staff_names).values()),
                                    ", ".join(_named(n.team_ids, n.team_names).values()),
                                    ", ".join(n.standard_ids),
                                    ", ".join(f"{s} {c}" for s, c in n.sources),
                                ),
                            )
                            for n in report.needs
                        ],
                    ),
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
                    *schooled(
                        info,
                        ("Standard", "Needs"),
                        [
                            (school, (s, names.need_texts(school, keys)))
                            for (school, s), keys in report.by_standard
                        ],
                    ),
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
                    *schooled(
                        info,
                        ("Theme", "Needs"),
                        [
                            (school, (t, names.need_texts(school, keys)))
                            for (school, t), keys in report.by_theme
                        ],
                    ),
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
                    *schooled(
                        info,
                        ("Team", "Needs"),
                        [
                            (school, (names.team(school, t), names.need_texts(school, keys)))
                            for (school, t), keys in report.by_team
                        ],
                    ),
                    caption="Needs by team",
                    empty="No needs in any team.",
                )
            ],
            id="by-team",
        ),
        section(
            "Needs met by recorded CPD",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Need", "Met for", "By CPD"),
                        [
                            (
                                n.school_id,
                                (
                                    n.text,
                                    ", ".join(_met_names(n, 0)),
                                    ", ".join(dict.fromkeys(_met_names(n, 1))),
                                ),
                            )
                            for n in (*report.met, *(n for n in report.needs if n.met))
                        ],
                    ),
                    caption="Needs taken out of the plan: the people who had them attended "
                    "CPD on the theme after the need was recorded",
                    empty="No recorded CPD has met a need yet.",
                )
            ],
            id="met",
        ),
        section(
            "Team leaders' own needs",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Leader", "Leads", "Trained in objective-setting or coaching", "Needs"),
                        [
                            (
                                leader.school_id,
                                (
                                    leader.name,
                                    leader.leads,
                                    "yes" if leader.trained else "no",
                                    "; ".join(leader.needs),
                                ),
                            )
                            for leader in report.leaders
                        ],
                    ),
                    caption="Team leaders' own training needs",
                    empty="No team leaders in scope.",
                )
            ],
            id="leaders",
        ),
    ]
    return document("Training needs", info, "needs", body)
