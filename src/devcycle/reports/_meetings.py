"""Meetings that help: two-sided feedback, the why of each objective, impact on colleagues.

The sources judge a review by what the person leaves with: feedback that names strengths
*and* next steps, objectives whose reason is written down ("never skip the why"), and
development that reaches colleagues (practice shared at a briefing, with a team, with the
whole school or another school). This report counts each per person, per reviewer, per team
and per school; it flags every review meeting that records only one side (or neither) and
every objective without a reason, and lists the impact on colleagues recorded against
objectives.

It reads what the reports' reader may read (`devcycle.access.REPORT_READER`): the shared
parts of meetings and the objectives, never a private note or the wellbeing conversation;
it shows counts and flags, not what the strengths or next steps say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import (
    ColleagueImpact,
    Cycle,
    ReviewKind,
    ReviewMeeting,
    SharedWith,
)
from devcycle.domain._validate import invalid, member_of, to_frozenset
from devcycle.reports._base import (
    ReportData,
    Scope,
    ScopeInfo,
    StaffKey,
    _Resolved,
    resolve,
    staff_key,
)
from devcycle.reports._documents import (
    BLUE,
    MET,
    NOT_MET,
    day,
    document,
    group_label,
    plural,
    schooled,
    section,
    short,
    table_or_note,
)

__all__ = [
    "FEEDBACK_KINDS",
    "ColleagueImpactRow",
    "MeetingCounts",
    "MeetingsFinding",
    "MeetingsPolicy",
    "MeetingsReport",
    "MeetingsRow",
    "cycle_meeting_counts",
    "judged",
    "meeting_sides",
    "meetings",
]

FEEDBACK_KINDS: frozenset[ReviewKind] = frozenset(
    {ReviewKind.MID_YEAR, ReviewKind.FINAL, ReviewKind.PROGRESS_REVIEW}
)
"""The meetings expected to name both strengths and next steps, by default."""


def _to_kinds(value: Iterable[ReviewKind | str]) -> frozenset[ReviewKind]:
    return frozenset(member_of(ReviewKind, "kinds", v) for v in to_frozenset(value, "kinds"))


def _kinds(inst: object, _attribute: object, value: frozenset[ReviewKind]) -> None:
    if not value:
        msg = f"{type(inst).__name__} 'kinds' must name at least one kind of review meeting"
        invalid("kinds", msg, value=value, expected="one or more kinds of review meeting")


@attrs.frozen
class MeetingsPolicy:
    """Which meetings are expected to name both sides of the feedback.

    Attributes:
        kinds: The review meetings that should record strengths and next steps (mid-year,
            final and progress reviews by default; add ``check_in`` where a school's
            check-ins give feedback too). A meeting of another kind that records one side
            is judged too: it should record the other.

    Example:
        >>> MeetingsPolicy(kinds=["mid_year", "check_in"]).kinds == {
        ...     ReviewKind.MID_YEAR, ReviewKind.CHECK_IN}
        True
    """

    kinds: frozenset[ReviewKind] = attrs.field(
        default=FEEDBACK_KINDS, converter=_to_kinds, validator=_kinds
    )


@attrs.frozen
class MeetingCounts:
    """Counts of feedback, reasons and impact on colleagues; they add up across groups.

    Attributes:
        people: People whose current cycle is counted.
        meetings: Meetings judged on their feedback held by the as-of date: those of the
            policy's kinds, and any other that records strengths or next steps.
        two_sided: Of those, ones recording both strengths and next steps.
        strengths_only: Ones recording strengths and no next steps.
        next_steps_only: Ones recording next steps and no strengths.
        neither: Ones recording neither.
        objectives: Live objectives (proposed, returned, agreed or evaluated; not drafts).
        with_rationale: Of those, ones that say why.
        shared: Impact on colleagues recorded by the as-of date (each sharing counted).
        objectives_shared: Objectives with at least one such record.
        colleagues: Colleagues reached, where the number is known.
        briefing: Shared at a briefing.
        team: Shared with a team.
        whole_school: Shared with the whole school.
        other_school: Shared with another school.
        other: Shared elsewhere.
    """

    people: int = 0
    meetings: int = 0
    two_sided: int = 0
    strengths_only: int = 0
    next_steps_only: int = 0
    neither: int = 0
    objectives: int = 0
    with_rationale: int = 0
    shared: int = 0
    objectives_shared: int = 0
    colleagues: int = 0
    briefing: int = 0
    team: int = 0
    whole_school: int = 0
    other_school: int = 0
    other: int = 0

    def __add__(self, other: MeetingCounts) -> MeetingCounts:
        return MeetingCounts(
            *(getattr(self, f.name) + getattr(other, f.name) for f in attrs.fields(MeetingCounts))
        )

    @property
    def one_sided(self) -> int:
        """Meetings recording only one side."""
        return self.strengths_only + self.next_steps_only

    @property
    def two_sided_share(self) -> float:
        """Two-sided meetings as a share of the meetings counted (0 with none)."""
        return self.two_sided / self.meetings if self.meetings else 0.0

    @property
    def rationale_share(self) -> float:
        """Objectives with a reason as a share of the live objectives (0 with none)."""
        return self.with_rationale / self.objectives if self.objectives else 0.0

    def shared_with(self, place: SharedWith | str) -> int:
        """How many times practice was shared with *place*."""
        return int(getattr(self, SharedWith(place).value))


@attrs.frozen
class MeetingsFinding:
    """A meeting that records one side (or none), or an objective without a reason.

    Attributes:
        subject: The person it is about.
        code: ``one-sided`` (strengths or next steps missing), ``no-feedback`` (neither
            recorded) or ``no-rationale``.
        message: What was found: which meeting or objective, and what is missing.
        action: What to do next.
        school_id: The person's school.
        staff_id: The person's id.
        cycle_id: Their cycle.
        target: ``review:{id}`` or ``objective:{id}``.
    """

    subject: str
    code: str
    message: str
    action: str
    school_id: str
    staff_id: str
    cycle_id: str
    target: str


@attrs.frozen
class MeetingsRow:
    """One person's, reviewer's, team's or school's counts.

    Attributes:
        kind: ``person``, ``reviewer``, ``team``, ``school`` or ``trust``.
        id: The staff id, or the group's id.
        name: The person's, reviewer's or group's name.
        school_id: Their school (None for a trust).
        counts: The counts.
    """

    kind: str
    id: str
    name: str
    school_id: str | None
    counts: MeetingCounts


@attrs.frozen
class ColleagueImpactRow:
    """One record of impact on colleagues, with whose objective it came from.

    Attributes:
        school_id: The person's school.
        staff_id: The person whose objective it is.
        name: Their name.
        cycle_id: Their cycle.
        objective_id: The objective.
        statement: The objective's statement.
        record: What was shared, where, when and with how many colleagues.
    """

    school_id: str
    staff_id: str
    name: str
    cycle_id: str
    objective_id: str
    statement: str
    record: ColleagueImpact


@attrs.frozen
class MeetingsReport:
    """The meetings-that-help report (see `meetings`).

    Attributes:
        scope: What was covered, as of when.
        policy: Which meetings are expected to name both sides.
        people: One row per person with a current cycle in scope.
        reviewers: One row per reviewer of those cycles.
        groups: Teams, then schools, then the trust.
        findings: Every one-sided meeting and objective without a reason, person by person.
        colleague_impact: Every record of impact on colleagues, oldest first.
    """

    scope: ScopeInfo
    policy: MeetingsPolicy
    people: tuple[MeetingsRow, ...]
    reviewers: tuple[MeetingsRow, ...]
    groups: tuple[MeetingsRow, ...]
    findings: tuple[MeetingsFinding, ...]
    colleague_impact: tuple[ColleagueImpactRow, ...]

    @property
    def total(self) -> MeetingCounts:
        """The counts over everyone in scope."""
        return sum((p.counts for p in self.people), MeetingCounts())

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def meetings(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: MeetingsPolicy | None = None,
) -> MeetingsReport:
    """Count two-sided feedback, objectives' reasons and impact on colleagues.

    For each person's current cycle in scope: the review meetings of the policy's kinds held
    by *as_of* and whether each records strengths, next steps, both or neither; the live
    objectives and whether each says why; and the impact on colleagues recorded against
    them by *as_of*. Counts add up per reviewer, team and school.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle; later meetings and records are not counted.
        scope: One person, team or school; by default every school in *data*.
        policy: Which meetings should name both sides; `MeetingsPolicy()` by default.

    Returns:
        The report; `MeetingsReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    view = resolve(data, scope, as_of)
    return _build(view, policy or MeetingsPolicy())


def meeting_sides(meeting: ReviewMeeting) -> str:
    """``two_sided``, ``strengths_only``, ``next_steps_only`` or ``neither``."""
    if meeting.strengths and meeting.next_steps:
        return "two_sided"
    if meeting.strengths:
        return "strengths_only"
    if meeting.next_steps:
        return "next_steps_only"
    return "neither"


def judged(meeting: ReviewMeeting, policy: MeetingsPolicy | None = None) -> bool:
    """Whether *meeting* is judged on the feedback it records.

    It is when its kind should name both sides (the policy's kinds), or when it names one:
    a meeting of any kind that names only one side is half a conversation.
    """
    kinds = (policy or MeetingsPolicy()).kinds
    return meeting.kind in kinds or bool(meeting.strengths or meeting.next_steps)


def cycle_meeting_counts(
    cycle: Cycle, as_of: date, policy: MeetingsPolicy | None = None
) -> MeetingCounts:
    """The counts for one person's current *cycle* as of *as_of*."""
    sides: dict[str, int] = defaultdict(int)
    held = [r for r in cycle.reviews if r.on <= as_of and judged(r, policy)]
    for meeting in held:
        sides[meeting_sides(meeting)] += 1
    live = cycle.live_objectives
    places: dict[str, int] = defaultdict(int)
    shared = objectives_shared = colleagues = 0
    for objective in cycle.objectives:
        records = [r for r in objective.colleague_impact if r.on <= as_of]
        shared += len(records)
        objectives_shared += bool(records)
        for record in records:
            places[record.shared_with.value] += 1
            colleagues += record.colleagues or 0
    return MeetingCounts(
        people=1,
        meetings=len(held),
        two_sided=sides["two_sided"],
        strengths_only=sides["strengths_only"],
        next_steps_only=sides["next_steps_only"],
        neither=sides["neither"],
        objectives=len(live),
        with_rationale=sum(1 for o in live if o.rationale.strip()),
        shared=shared,
        objectives_shared=objectives_shared,
        colleagues=colleagues,
        **{place.value: places[place.value] for place in SharedWith},
    )


_KIND_NAMES = {ReviewKind.CHECK_IN: "check-in", ReviewKind.MID_YEAR: "mid-year review"}

_MISSING = {
    "strengths_only": ("one-sided", "records strengths but no next steps"),
    "next_steps_only": ("one-sided", "records next steps but no strengths"),
    "neither": ("no-feedback", "records neither strengths nor next steps"),
}
_ACTIONS = {
    "strengths_only": "Agree what comes next with the reviewee and add it to the meeting's "
    "record: feedback names strengths and next steps.",
    "next_steps_only": "Name what is going well, agreed by both, and add it to the meeting's "
    "record: feedback names strengths and next steps.",
    "neither": "Add the strengths and next steps the meeting agreed, or hold the conversation "
    "again if it did not give any.",
}


def _findings(
    cycle: Cycle, name: str, as_of: date, policy: MeetingsPolicy
) -> list[MeetingsFinding]:
    found = []
    for meeting in sorted(cycle.reviews, key=lambda r: (r.on, r.id)):
        if meeting.on > as_of or not judged(meeting, policy):
            continue
        sides = meeting_sides(meeting)
        if sides == "two_sided":
            continue
        code, says = _MISSING[sides]
        kind = _KIND_NAMES.get(meeting.kind, meeting.kind.value.replace("_", " "))
        found.append(
            MeetingsFinding(
                name,
                code,
                f"{name}: the {kind} on {day(meeting.on)} ({meeting.id}) {says}",
                _ACTIONS[sides],
                cycle.school_id,
                cycle.staff_id,
                cycle.id,
                f"review:{meeting.id}",
            )
        )
    for objective in cycle.live_objectives:
        if objective.rationale.strip():
            continue
        found.append(
            MeetingsFinding(
                name,
                "no-rationale",
                f"{name}: objective {objective.id} ({short(objective.statement, 60)}) gives "
                "no reason",
                "Never skip the why: add a line on the pupils, the priority or the need it "
                "answers, agreed by both.",
                cycle.school_id,
                cycle.staff_id,
                cycle.id,
                f"objective:{objective.id}",
            )
        )
    return found


def _build(view: _Resolved, policy: MeetingsPolicy) -> MeetingsReport:
    names = {staff_key(m): m.name for m in view.data.staff}
    per_person: dict[StaffKey, MeetingCounts] = {}
    people: list[MeetingsRow] = []
    findings: list[MeetingsFinding] = []
    impact: list[ColleagueImpactRow] = []
    reviewed: dict[StaffKey, list[StaffKey]] = defaultdict(list)
    for person in view.people:
        cycle = view.judged_cycle_of(person)  # a cycle ended on leaving is locked: left out
        if cycle is None:
            continue
        key = staff_key(person)
        counts = cycle_meeting_counts(cycle, view.as_of, policy)
        per_person[key] = counts
        people.append(MeetingsRow("person", person.id, person.name, person.school_id, counts))
        findings.extend(_findings(cycle, person.name, view.as_of, policy))
        if cycle.reviewer_id is not None:
            reviewed[(cycle.school_id, cycle.reviewer_id)].append(key)
        impact.extend(
            ColleagueImpactRow(
                person.school_id,
                person.id,
                person.name,
                cycle.id,
                objective.id,
                objective.statement,
                record,
            )
            for objective in cycle.objectives
            for record in objective.colleague_impact
            if record.on <= view.as_of
        )

    def total(members: Iterable[StaffKey]) -> MeetingCounts:
        return sum((per_person[m] for m in members if m in per_person), MeetingCounts())

    reviewers = tuple(
        MeetingsRow("reviewer", rid, names.get((sid, rid), rid), sid, total(members))
        for (sid, rid), members in sorted(reviewed.items())
    )
    groups = tuple(
        MeetingsRow(g.kind, g.id, g.name, g.school_id, total(g.members)) for g in view.groups
    )
    impact.sort(key=lambda r: (r.record.on, r.school_id, r.staff_id, r.objective_id))
    return MeetingsReport(
        view.info, policy, tuple(people), reviewers, groups, tuple(findings), tuple(impact)
    )


_PLACES = {
    SharedWith.BRIEFING: "Briefing",
    SharedWith.TEAM: "Team",
    SharedWith.WHOLE_SCHOOL: "Whole school",
    SharedWith.OTHER_SCHOOL: "Another school",
    SharedWith.OTHER: "Other",
}

_COLUMNS = (
    "Who",
    "People",
    "Meetings",
    "Both sides",
    "Strengths only",
    "Next steps only",
    "Neither",
    "Objectives",
    "With a why",
    "Shared with colleagues",
    "Colleagues reached",
)


def _cells(name: str, c: MeetingCounts) -> tuple[str, ...]:
    def part(count: int, out_of: int) -> str:
        return f"{count} ({count / out_of:.0%})" if out_of else "-"

    return (
        name,
        str(c.people),
        str(c.meetings),
        part(c.two_sided, c.meetings),
        str(c.strengths_only),
        str(c.next_steps_only),
        str(c.neither),
        str(c.objectives),
        part(c.with_rationale, c.objectives),
        f"{c.shared} ({plural(c.objectives_shared, 'objective')})" if c.shared else "0",
        str(c.colleagues) if c.colleagues else "-",
    )


def _summary(report: MeetingsReport) -> list[Block]:
    c = report.total
    kinds = ", ".join(
        sorted(_KIND_NAMES.get(k, k.value.replace("_", " ")) for k in report.policy.kinds)
    )
    kinds = f"{kinds}, and any other that records feedback"
    places = [f"{label.lower()} {c.shared_with(p)}" for p, label in _PLACES.items()]
    blocks: list[Block] = [
        Paragraph(
            f"{plural(c.meetings, 'review meeting')} ({kinds}) held for "
            f"{plural(c.people, 'person', 'people')}: {c.two_sided} record both strengths and "
            f"next steps ({c.two_sided_share:.0%}), {c.strengths_only} only strengths, "
            f"{c.next_steps_only} only next steps, {c.neither} neither. {c.with_rationale} of "
            f"{plural(c.objectives, 'live objective')} say why ({c.rationale_share:.0%}). "
            f"Practice shared with colleagues {plural(c.shared, 'time')} from "
            f"{plural(c.objectives_shared, 'objective')}"
            + (f" ({', '.join(places)})" if c.shared else "")
            + (f", reaching {c.colleagues} colleagues where counted" if c.colleagues else "")
            + "."
        )
    ]
    groups = [g for g in report.groups if g.kind in ("team", "school") and g.counts.meetings] or [
        g for g in report.groups if g.counts.meetings
    ]
    if groups:
        info = report.scope
        labels = tuple(group_label(info, g.kind, g.name, g.school_id) for g in groups)
        blocks.append(
            Chart(
                "Feedback recorded at review meetings",
                labels,
                (
                    Series("Both sides", tuple(g.counts.two_sided for g in groups), MET),
                    Series(
                        "One side or neither",
                        tuple(g.counts.one_sided + g.counts.neither for g in groups),
                        NOT_MET,
                    ),
                ),
                alt=(
                    "Review meetings by the feedback they record: "
                    + "; ".join(
                        f"{label}: both sides {g.counts.two_sided}, strengths only "
                        f"{g.counts.strengths_only}, next steps only "
                        f"{g.counts.next_steps_only}, neither {g.counts.neither}"
                        for g, label in zip(groups[:12], labels, strict=False)
                    )
                    + "."
                ),
                kind=ChartKind.STACKED_BAR,
                unit="meetings",
            )
        )
    if c.shared:
        blocks.append(
            Chart(
                "Where practice was shared",
                tuple(_PLACES.values()),
                (Series("Times shared", tuple(c.shared_with(p) for p in _PLACES), BLUE),),
                alt="Times practice was shared with colleagues: " + ", ".join(places) + ".",
                kind=ChartKind.HORIZONTAL_BAR,
                unit="times",
            )
        )
    return blocks


def _document(report: MeetingsReport) -> Document:
    info = report.scope
    body: list[Block] = [section("Summary", _summary(report), id="summary")]
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
                    caption="Meetings that record one side or none, and objectives with no why",
                    empty="Every meeting records both sides and every objective says why.",
                )
            ],
            id="findings",
        )
    )
    for title, rows, id_, caption, empty in (
        (
            "Reviewers",
            report.reviewers,
            "reviewers",
            "Feedback, reasons and impact on colleagues in the cycles each reviewer leads",
            "No cycle in scope has a reviewer.",
        ),
        (
            "Teams and schools",
            report.groups,
            "groups",
            "Feedback, reasons and impact on colleagues for each group",
            "No groups.",
        ),
        (
            "People",
            report.people,
            "people",
            "Feedback, reasons and impact on colleagues for each person",
            "Nobody in scope has a current cycle.",
        ),
    ):
        body.append(
            section(
                title,
                [
                    table_or_note(
                        *schooled(
                            info,
                            _COLUMNS,
                            [
                                (
                                    r.school_id,
                                    _cells(
                                        group_label(info, r.kind, r.name, r.school_id), r.counts
                                    ),
                                )
                                for r in rows
                            ],
                        ),
                        caption=caption,
                        empty=empty,
                    )
                ],
                id=id_,
            )
        )
    body.append(
        section(
            "Impact on colleagues",
            [
                table_or_note(
                    *schooled(
                        info,
                        ("Who", "Objective", "Shared on", "With", "Colleagues", "What"),
                        [
                            (
                                r.school_id,
                                (
                                    r.name,
                                    short(r.statement, 70),
                                    day(r.record.on),
                                    _PLACES[r.record.shared_with]
                                    + (f" ({r.record.with_whom})" if r.record.with_whom else ""),
                                    str(r.record.colleagues) if r.record.colleagues else "-",
                                    short(r.record.what),
                                ),
                            )
                            for r in report.colleague_impact
                        ],
                    ),
                    caption="Practice shared with colleagues, recorded against objectives",
                    empty="No impact on colleagues is recorded yet: record practice shared at a "
                    "briefing, with a team or another school against the objective it came from.",
                )
            ],
            id="colleague-impact",
        )
    )
    return document("Meetings that help", info, "meetings", body)
