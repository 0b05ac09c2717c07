"""CPD impact on the five levels of professional-development evaluation (after Guskey).

The five levels: participants' reactions (1), their learning (2), organisational support and
change (3), participants' use of new knowledge and skills (4), and pupil learning outcomes (5).
Most CPD is only ever evaluated at the first. This report shows, for each activity, the levels
at which impact has been recorded and the highest reached, and the share of CPD that reached
each level; and it finds activities that took place some weeks ago with no evaluation of their
use in practice (level 4) or beyond.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import CPDActivity, ImpactLevel
from devcycle.reports._base import (
    Group,
    ReportData,
    Scope,
    ScopeInfo,
    StaffKey,
    _Resolved,
    positive,
    resolve,
    staff_key,
    sum_members,
)
from devcycle.reports._documents import (
    BLUE,
    SKY,
    day,
    document,
    number,
    plural,
    schooled,
    section,
    short,
    table_or_note,
)

__all__ = [
    "LEVEL_NAMES",
    "ActivityImpact",
    "GroupImpact",
    "ImpactCounts",
    "ImpactPolicy",
    "ImpactReport",
    "impact",
]

LEVEL_NAMES: dict[ImpactLevel, str] = {
    ImpactLevel.REACTIONS: "Participants' reactions",
    ImpactLevel.LEARNING: "Participants' learning",
    ImpactLevel.ORGANISATIONAL_SUPPORT: "Organisational support and change",
    ImpactLevel.USE_OF_KNOWLEDGE: "Use of new knowledge and skills",
    ImpactLevel.PUPIL_OUTCOMES: "Pupil learning outcomes",
}
"""The five levels of professional-development evaluation, in order."""


@attrs.frozen
class ImpactPolicy:
    """When an activity should have been evaluated for its use in practice.

    Attributes:
        evaluate_after_weeks: Weeks after an activity's last date by which impact on practice
            (level 4) should be on record.
    """

    evaluate_after_weeks: float = attrs.field(default=6.0, validator=positive)


@attrs.frozen
class ActivityImpact:
    """One activity's evaluation.

    Attributes:
        id: The activity (unique within its school).
        title: Its title.
        purpose: Management, measurement or movement.
        last_date: Its last session (or its end, or its start).
        attendees: Attendees in scope.
        hours: Hours per attendee.
        levels: The levels at which impact is recorded, lowest first.
        highest: The highest level reached, or None when nothing is recorded.
        notes: ``(level, note)`` for each record, in level order.
        overdue: Held more than the policy's weeks ago with nothing recorded at level 4 or 5.
        school_id: The school that runs it; its attendees are that school's staff.
    """

    id: str
    title: str
    purpose: str
    last_date: date
    attendees: tuple[str, ...]
    hours: float
    levels: tuple[ImpactLevel, ...]
    highest: ImpactLevel | None
    notes: tuple[tuple[ImpactLevel, str], ...]
    overdue: bool
    school_id: str = ""


@attrs.frozen
class ImpactCounts:
    """CPD places (one per attendee per activity) by the highest level evaluated.

    ``by_highest[0]`` counts places with nothing recorded; ``by_highest[k]`` those whose
    highest level is *k*. They add up across people and groups.
    """

    by_highest: tuple[int, ...] = (0, 0, 0, 0, 0, 0)

    def __add__(self, other: ImpactCounts) -> ImpactCounts:
        return ImpactCounts(
            tuple(a + b for a, b in zip(self.by_highest, other.by_highest, strict=True))
        )

    @property
    def places(self) -> int:
        """All places counted."""
        return sum(self.by_highest)

    def reached(self, level: ImpactLevel) -> int:
        """Places whose evaluation reached *level* or above."""
        return sum(self.by_highest[int(level) :])


@attrs.frozen
class GroupImpact:
    """A team's, school's or trust's CPD places by highest level: the sum of its members'."""

    group: Group
    counts: ImpactCounts


@attrs.frozen
class ImpactReport:
    """The CPD impact report (see `impact`).

    Attributes:
        scope: What was covered, as of when.
        policy: When evaluation is due.
        activities: Each activity attended by someone in scope, in date order.
        recorded_share: Level -> share of activities with impact recorded at that level.
        reached_share: Level -> share of activities whose highest level is at or above it.
        people: ``(school_id, staff_id)`` -> their CPD places by highest level.
        groups: Teams, then schools, then the trust.
    """

    scope: ScopeInfo
    policy: ImpactPolicy
    activities: tuple[ActivityImpact, ...]
    recorded_share: tuple[tuple[ImpactLevel, float], ...]
    reached_share: tuple[tuple[ImpactLevel, float], ...]
    people: tuple[tuple[StaffKey, ImpactCounts], ...]
    groups: tuple[GroupImpact, ...]

    @property
    def overdue(self) -> tuple[ActivityImpact, ...]:
        """Activities due an evaluation of their use in practice."""
        return tuple(a for a in self.activities if a.overdue)

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def impact(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: ImpactPolicy | None = None,
) -> ImpactReport:
    """Show each CPD activity's evaluation on the five levels, and the share reaching each.

    An activity is in scope when someone in scope attends it and it starts on or before
    *as_of*.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Activities starting after it are not counted yet.
        scope: One person, team or school; by default every school in *data*.
        policy: When evaluation is due; `ImpactPolicy()` by default.

    Returns:
        The report; `ImpactReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    policy = policy or ImpactPolicy()
    view = resolve(data, scope, as_of)
    return _build(view, policy)


def _last(activity: CPDActivity) -> date:
    return max((*activity.dates, activity.end or activity.start))


def _build(view: _Resolved, policy: ImpactPolicy) -> ImpactReport:
    wanted = {staff_key(p) for p in view.people}
    due = view.as_of - timedelta(weeks=policy.evaluate_after_weeks)
    activities: list[ActivityImpact] = []
    rows: dict[StaffKey, ImpactCounts] = {}
    for activity in sorted(view.cpd, key=lambda a: (a.start, a.school_id, a.id)):
        school = activity.school_id
        attendees = tuple(a for a in activity.attendee_ids if (school, a) in wanted)
        if not attendees or activity.start > view.as_of:
            continue
        levels = tuple(sorted({r.level for r in activity.impact}))
        highest = levels[-1] if levels else None
        last = _last(activity)
        activities.append(
            ActivityImpact(
                id=activity.id,
                title=activity.title,
                purpose=activity.purpose.value,
                last_date=last,
                attendees=attendees,
                hours=activity.hours,
                levels=levels,
                highest=highest,
                notes=tuple(
                    (r.level, r.note) for r in sorted(activity.impact, key=lambda r: r.level)
                ),
                overdue=last <= due and (highest is None or highest < ImpactLevel.USE_OF_KNOWLEDGE),
                school_id=school,
            )
        )
        slot = int(highest) if highest is not None else 0
        one = [0, 0, 0, 0, 0, 0]
        one[slot] = 1
        for person in attendees:
            key = (school, person)
            rows[key] = rows.get(key, ImpactCounts()) + ImpactCounts(tuple(one))
    total = len(activities)
    recorded = tuple(
        (level, sum(level in a.levels for a in activities) / total if total else 0.0)
        for level in ImpactLevel
    )
    reached = tuple(
        (
            level,
            sum(a.highest is not None and a.highest >= level for a in activities) / total
            if total
            else 0.0,
        )
        for level in ImpactLevel
    )
    groups = tuple(
        GroupImpact(g, sum_members(g, rows, ImpactCounts.__add__, ImpactCounts()))
        for g in view.groups
    )
    return ImpactReport(
        scope=view.info,
        policy=policy,
        activities=tuple(activities),
        recorded_share=recorded,
        reached_share=reached,
        people=tuple((staff_key(p), rows.get(staff_key(p), ImpactCounts())) for p in view.people),
        groups=groups,
    )


def _level_label(levels: Sequence[ImpactLevel]) -> str:
    return ", ".join(str(int(level)) for level in levels) or "none"


def _document(report: ImpactReport) -> Document:
    info = report.scope
    count = len(report.activities)
    labels = tuple(f"{int(level)}. {LEVEL_NAMES[level]}" for level in ImpactLevel)
    summary: list[Block] = [
        Paragraph(
            f"{plural(count, 'CPD activity', 'CPD activities')} in scope. "
            + "; ".join(
                f"level {int(level)} ({LEVEL_NAMES[level].lower()}): {share:.0%} reached"
                for level, share in report.reached_share
            )
            + f". {plural(len(report.overdue), 'activity', 'activities')} held over "
            f"{number(report.policy.evaluate_after_weeks)} weeks ago have no evaluation "
            "of their use in practice (level 4) yet."
        )
    ]
    if count:
        summary.append(
            Chart(
                "Share of CPD reaching each level",
                labels,
                (
                    Series(
                        "Recorded at this level",
                        tuple(round(100 * s, 1) for _, s in report.recorded_share),
                        SKY,
                    ),
                    Series(
                        "Reached this level or higher",
                        tuple(round(100 * s, 1) for _, s in report.reached_share),
                        BLUE,
                    ),
                ),
                alt=(
                    f"Of {count} activities, the share whose evaluation reached each level: "
                    + ", ".join(
                        f"level {int(level)} {share:.0%}" for level, share in report.reached_share
                    )
                    + "."
                ),
                kind=ChartKind.BAR,
                unit="%",
            )
        )
    body: list[Block] = [
        section("Summary", summary, id="summary"),
        section(
            "Due an evaluation of use in practice",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Activity", "Last date", "Levels recorded", "What to do"),
                        [
                            (
                                a.school_id,
                                (
                                    a.title,
                                    day(a.last_date),
                                    _level_label(a.levels),
                                    "Record whether participants use what they learned "
                                    "(level 4), and any change for pupils (level 5).",
                                ),
                            )
                            for a in report.overdue
                        ],
                    ),
                    caption="Activities with no evaluation at level 4 or 5",
                    empty="Every activity held long enough ago has impact on practice recorded.",
                )
            ],
            id="overdue",
        ),
        section(
            "Activities",
            [
                table_or_note(
                    *schooled(
                        info,
                        (
                            "Activity",
                            "Purpose",
                            "Last date",
                            "Attendees",
                            "Levels",
                            "Highest",
                            "Latest note",
                        ),
                        [
                            (
                                a.school_id,
                                (
                                    a.title,
                                    a.purpose,
                                    day(a.last_date),
                                    str(len(a.attendees)),
                                    _level_label(a.levels),
                                    LEVEL_NAMES[a.highest] if a.highest is not None else "none",
                                    short(a.notes[-1][1], 60) if a.notes else "",
                                ),
                            )
                            for a in report.activities
                        ],
                    ),
                    caption="Each activity's evaluation on the five levels",
                    empty="No CPD attended in scope yet.",
                )
            ],
            id="activities",
        ),
    ]
    return document("CPD impact", info, "impact", body)
