"""Compliance and the calendar at a glance: who is overdue, what is next, the coming fortnight.

For each person: the milestones past due and not completed, and their next milestone; for each
team and school, the milestones and CPD sessions of the coming fortnight (or another horizon).
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import Milestone
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    StaffKey,
    UnreviewedCycle,
    _Resolved,
    resolve,
    staff_key,
    sum_members,
)
from devcycle.reports._documents import (
    NOT_MET,
    day,
    document,
    group_label,
    plural,
    schooled,
    section,
    table_or_note,
    unreviewed_section,
)

__all__ = [
    "CalendarEntry",
    "GroupCompliance",
    "OverdueMilestone",
    "OverdueReport",
    "PersonCompliance",
    "overdue",
]


@attrs.frozen
class OverdueMilestone:
    """A milestone past due and not completed.

    Attributes:
        staff_id: Whose cycle.
        name: Their name.
        cycle_id: The cycle.
        milestone: The milestone.
        days_overdue: Days since it fell due.
        school_id: The school of the person and the cycle.
    """

    staff_id: str
    name: str
    cycle_id: str
    milestone: Milestone
    days_overdue: int
    school_id: str = ""


@attrs.frozen
class CalendarEntry:
    """Something on the calendar: a milestone or a CPD session.

    Attributes:
        on: The date.
        kind: ``milestone``, ``team milestone`` or ``cpd``.
        title: What it is.
        staff_ids: Who it involves (in scope), staff of *school_id*.
        ref: The milestone's ``cycle_id:milestone_id``, a team milestone's
            ``team:team_id:milestone_id`` or the CPD activity's id.
        school_id: The school whose milestone or CPD session it is.
    """

    on: date
    kind: str
    title: str
    staff_ids: tuple[str, ...]
    ref: str
    school_id: str = ""

    @property
    def staff(self) -> tuple[StaffKey, ...]:
        """Who it involves as ``(school_id, staff_id)``."""
        return tuple((self.school_id, s) for s in self.staff_ids)


@attrs.frozen
class PersonCompliance:
    """One person's overdue milestones and next milestone.

    Attributes:
        staff_id: The person.
        name: Their name.
        school_id: Their school.
        cycle_id: Their current cycle, if any.
        overdue: Milestones past due and not completed.
        next_milestone: The earliest milestone due on or after the as-of date, if any.
        ended_on: The day their cycle was ended on leaving (`Cycle.end_on_leaving`), if it
            was: it then has nothing overdue and nothing next, and it is not a completed
            cycle.
    """

    staff_id: str
    name: str
    school_id: str
    cycle_id: str | None
    overdue: tuple[OverdueMilestone, ...]
    next_milestone: Milestone | None
    ended_on: date | None = None


@attrs.frozen
class GroupCompliance:
    """A team's, school's or trust's overdue count (the sum of its members') and its fortnight.

    Attributes:
        group: The group.
        overdue: Overdue milestones among its members.
        people_overdue: Members with at least one overdue milestone.
        upcoming: Its members' milestones and CPD sessions within the horizon, by date.
    """

    group: Group
    overdue: int
    people_overdue: int
    upcoming: tuple[CalendarEntry, ...]


@attrs.frozen
class OverdueReport:
    """The compliance and calendar report (see `overdue`).

    Attributes:
        scope: What was covered, as of when.
        horizon_days: How far ahead "upcoming" looks.
        people: Each person's overdue and next milestones.
        groups: Teams, then schools, then the trust.
        upcoming: Everything in scope within the horizon, by date.
        team_overdue: Team milestones past due and not held, for the members in scope
            (``on`` is the day each was due).
        unreviewed: The open cycles in scope nobody reviews (no reviewer, or one who had
            left by the as-of date): their milestones have nobody to hold them.
    """

    scope: ScopeInfo
    horizon_days: int
    people: tuple[PersonCompliance, ...]
    groups: tuple[GroupCompliance, ...]
    upcoming: tuple[CalendarEntry, ...]
    team_overdue: tuple[CalendarEntry, ...] = ()
    unreviewed: tuple[UnreviewedCycle, ...] = ()

    @property
    def overdue(self) -> tuple[OverdueMilestone, ...]:
        """Every overdue milestone, person by person."""
        return tuple(m for p in self.people for m in p.overdue)

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def overdue(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    horizon_days: int = 14,
) -> OverdueReport:
    """List who is overdue for which milestone, each person's next one, and the fortnight ahead.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: The day to judge on; a milestone due before it and not completed is overdue.
        scope: One person, team or school; by default every school in *data*.
        horizon_days: How many days ahead "upcoming" covers (14: a fortnight).

    Returns:
        The report; `OverdueReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
        ValueError: If *horizon_days* is below 1.
    """
    if horizon_days < 1:
        msg = f"'horizon_days' must be at least 1 (got {horizon_days!r})"
        raise ValueError(msg)
    view = resolve(data, scope, as_of)
    return _build(view, horizon_days)


def _build(view: _Resolved, horizon_days: int) -> OverdueReport:
    as_of = view.as_of
    until = as_of + timedelta(days=horizon_days)
    people: list[PersonCompliance] = []
    entries: list[CalendarEntry] = []
    for person in view.people:
        cycle = view.cycle_of(person)
        if cycle is None:
            people.append(
                PersonCompliance(person.id, person.name, person.school_id, None, (), None)
            )
            continue
        # A cycle ended on leaving has nothing left to hold: nothing overdue, nothing ahead.
        milestones = () if cycle.is_ended else cycle.milestones
        late = tuple(
            OverdueMilestone(
                person.id, person.name, cycle.id, m, (as_of - m.due).days, person.school_id
            )
            for m in milestones
            if m.is_overdue(as_of)
        )
        ahead = [m for m in milestones if m.completed_on is None and m.due >= as_of]
        upcoming = min(ahead, key=lambda m: (m.due, m.id), default=None)
        ending = cycle.ending
        people.append(
            PersonCompliance(
                person.id,
                person.name,
                person.school_id,
                cycle.id,
                late,
                upcoming,
                ending.on if ending is not None else None,
            )
        )
        entries.extend(
            CalendarEntry(
                m.due, "milestone", m.title, (person.id,), f"{cycle.id}:{m.id}", person.school_id
            )
            for m in ahead
            if m.due < until
        )
    entries.extend(_team_entries(view, until))
    wanted = {staff_key(p) for p in view.people}
    for activity in view.cpd:
        who = tuple(a for a in activity.attendee_ids if (activity.school_id, a) in wanted)
        if not who:
            continue
        entries.extend(
            CalendarEntry(day, "cpd", activity.title, who, activity.id, activity.school_id)
            for day in activity.dates
            if as_of <= day < until
        )
    entries.sort(key=lambda e: (e.on, e.kind, e.school_id, e.ref))
    late_counts = {(p.school_id, p.staff_id): len(p.overdue) for p in people}
    flags = {(p.school_id, p.staff_id): int(bool(p.overdue)) for p in people}
    by_person: dict[StaffKey, list[int]] = {}
    for position, entry in enumerate(entries):
        for key in entry.staff:
            by_person.setdefault(key, []).append(position)
    groups = []
    for group in view.groups:
        positions = sorted({i for m in group.members for i in by_person.get(m, ())})
        groups.append(
            GroupCompliance(
                group,
                sum_members(group, late_counts, int.__add__, 0),
                sum_members(group, flags, int.__add__, 0),
                tuple(entries[i] for i in positions),
            )
        )
    late_teams = sorted(
        _team_entries(view, view.as_of, overdue=True), key=lambda e: (e.on, e.school_id, e.ref)
    )
    return OverdueReport(
        view.info,
        horizon_days,
        tuple(people),
        tuple(groups),
        tuple(entries),
        tuple(late_teams),
        view.unreviewed(),
    )


def _team_entries(view: _Resolved, until: date, *, overdue: bool = False) -> list[CalendarEntry]:
    """Team milestones not yet held, for the members in scope.

    Those due within the horizon (before *until*), or with *overdue* those past due.
    """
    found: list[CalendarEntry] = []
    for school in view.schools:
        members = [p for p in view.people if p.school_id == school.id]
        for item in school.team_milestones:
            milestone = item.milestone
            if overdue:
                if not milestone.is_overdue(view.as_of):
                    continue
            elif milestone.completed_on is not None or not view.as_of <= milestone.due < until:
                continue
            who = tuple(p.id for p in members if item in school.team_milestones_for(p))
            if who:
                team = next((t.name for t in school.teams if t.id == item.team_id), item.team_id)
                found.append(
                    CalendarEntry(
                        milestone.due,
                        "team milestone",
                        f"{milestone.title} ({team})",
                        who,
                        f"team:{item.team_id}:{item.id}",
                        school.id,
                    )
                )
    return found


def _document(report: OverdueReport) -> Document:
    info = report.scope
    names = {(p.school_id, p.staff_id): p.name for p in report.people}
    late = report.overdue
    summary: list[Block] = [
        Paragraph(
            f"{plural(len(late), 'milestone')} overdue for "
            f"{plural(sum(bool(p.overdue) for p in report.people), 'person', 'people')}; "
            + (
                f"{plural(len(report.team_overdue), 'team milestone')} overdue; "
                if report.team_overdue
                else ""
            )
            + (
                f"{plural(len(report.unreviewed), 'open cycle')} with no reviewer still at "
                "the school; "
                if report.unreviewed
                else ""
            )
            + f"{plural(len(report.upcoming), 'entry', 'entries')} in the next "
            f"{report.horizon_days} days."
        )
    ]
    groups = [g for g in report.groups if g.group.kind != "trust"]
    labels = [group_label(info, g.group.kind, g.group.name, g.group.school_id) for g in groups]
    if groups and any(g.overdue for g in groups):
        summary.append(
            Chart(
                "Overdue milestones by group",
                tuple(labels),
                (Series("Overdue", tuple(float(g.overdue) for g in groups), NOT_MET),),
                alt="Overdue milestones: "
                + "; ".join(
                    f"{label} {g.overdue}" for g, label in zip(groups[:15], labels, strict=False)
                )
                + ".",
                kind=ChartKind.HORIZONTAL_BAR,
                unit="milestones",
            )
        )
    body: list[Block] = [
        section("Summary", summary, id="summary"),
        *([unreviewed_section(info, report.unreviewed)] if report.unreviewed else []),
        section(
            "Overdue",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Person", "Milestone", "Due", "Days overdue"),
                        [
                            (
                                m.school_id,
                                (
                                    m.name,
                                    m.milestone.title,
                                    day(m.milestone.due),
                                    str(m.days_overdue),
                                ),
                            )
                            for m in late
                        ],
                    ),
                    caption="Milestones past due and not completed",
                    empty="Nobody is overdue for a milestone.",
                ),
                *_team_overdue_table(report, names),
            ],
            id="overdue",
        ),
        section(
            "Next milestone for each person",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Person", "Next milestone", "Due"),
                        [
                            (
                                p.school_id,
                                (
                                    p.name,
                                    _next_title(p),
                                    day(p.next_milestone.due if p.next_milestone else None),
                                ),
                            )
                            for p in report.people
                        ],
                    ),
                    caption="Each person's next milestone",
                    empty="Nobody in scope.",
                )
            ],
            id="next",
        ),
        section(
            f"The next {report.horizon_days} days",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Date", "What", "Kind", "Who"),
                        [
                            (
                                e.school_id,
                                (
                                    day(e.on),
                                    e.title,
                                    e.kind,
                                    ", ".join(names.get(k, k[1]) for k in e.staff[:8])
                                    + (
                                        f" and {len(e.staff_ids) - 8} more"
                                        if len(e.staff_ids) > 8
                                        else ""
                                    ),
                                ),
                            )
                            for e in report.upcoming
                        ],
                    ),
                    caption="Milestones and CPD sessions coming up",
                    empty="Nothing is due in this period.",
                )
            ],
            id="upcoming",
        ),
    ]
    return document("Compliance and the calendar at a glance", info, "overdue", body)


def _next_title(person: PersonCompliance) -> str:
    """The next milestone's title; for a cycle ended on leaving, that it was ended."""
    if person.ended_on is not None:
        return f"none: cycle ended on leaving ({day(person.ended_on)}), not completed"
    return person.next_milestone.title if person.next_milestone else "-"


def _who(entry: CalendarEntry, names: dict[StaffKey, str]) -> str:
    shown = ", ".join(names.get(k, k[1]) for k in entry.staff[:8])
    more = len(entry.staff_ids) - 8
    return shown + (f" and {more} more" if more > 0 else "")


def _team_overdue_table(report: OverdueReport, names: dict[StaffKey, str]) -> list[Block]:
    """The team milestones past due and not held (nothing when there are none)."""
    if not report.team_overdue:
        return []
    as_of = report.scope.as_of
    return [
        table_or_note(
            *schooled(
                report.scope,
                ("Team milestone", "Due", "Days overdue", "Team members"),
                [
                    (
                        e.school_id,
                        (e.title, day(e.on), str((as_of - e.on).days), _who(e, names)),
                    )
                    for e in report.team_overdue
                ],
            ),
            caption="Team milestones past due and not held",
            empty="No team milestone is overdue.",
        )
    ]
