"""Moderation: how each reviewer and team sets objectives, side by side, for consistency.

A headteacher moderating appraisal compares reviewers: whether the objectives each one
agreed pass the checker, how many are bare pupil-data targets, how many were set over the
reviewee's disagreement, how often progress is checked, and how the reviewees rate the
meetings. This report puts those figures per reviewer, per team and for the school, raises a
finding where a reviewer or team is out of the range its policy sets, and suggests returning
objectives for consistency (`devcycle.Cycle.moderate_objective`).

Staff-voice ratings are shown only for groups of at least the voice policy's minimum size
(5 by default, never below 3), and only where no difference between two groups shown would
describe fewer people (`devcycle.reports.safe_groups`); otherwise the row says withheld.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, ChartKind, Document, Paragraph, Series
from devcycle.domain import Cycle, MeetingRating, ObjectiveStatus, School, StaffMember
from devcycle.reports._base import (
    ReportData,
    Scope,
    ScopeInfo,
    StaffKey,
    _Resolved,
    positive,
    resolve,
    staff_key,
)
from devcycle.reports._documents import (
    NOT_MET,
    document,
    group_label,
    number,
    plural,
    schooled,
    section,
    table_or_note,
)
from devcycle.reports._voice import VoicePolicy, safe_groups
from devcycle.rules import Assessment, CheckConfig, Severity, check_cycle, default_config

__all__ = [
    "ModerationCounts",
    "ModerationFinding",
    "ModerationPolicy",
    "ModerationReport",
    "ModerationRow",
    "moderation",
]


def _share(inst: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        msg = (
            f"{type(inst).__name__} '{attribute.name}' must be a share from 0 to 1 (got {value!r})"
        )
        raise ValueError(msg)


def _rating(inst: object, attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 5:
        msg = f"{type(inst).__name__} '{attribute.name}' must be from 1 to 5 (got {value!r})"
        raise ValueError(msg)


@attrs.frozen
class ModerationPolicy:
    """The range a reviewer's or team's figures should fall in.

    Attributes:
        severity: The checker findings counted: at this severity or worse (errors, by
            default: what makes an objective not SMART or a bare data target).
        max_findings_share: Most agreed objectives with a finding counted.
        max_data_target_share: Most agreed objectives that are bare pupil-data targets.
        max_over_disagreement_share: Most agreed objectives set over disagreement.
        max_weeks_per_check_in: Most weeks, on average, between check-ins on an agreed
            objective (6: about one a half term).
        min_rating: The lowest mean usefulness or motivation rating (1-5) before a finding,
            where ratings may be shown.
        min_weeks: Agreed objectives younger than this (in weeks) are not yet judged on
            check-ins.

    A reviewer or team is flagged on a share only when it is both above the limit and above
    the school's own share: moderation looks for the ones out of line. The school's row is
    judged against the limit alone.

    Example:
        >>> ModerationPolicy(max_weeks_per_check_in=4).max_weeks_per_check_in
        4
    """

    severity: Severity = attrs.field(default=Severity.ERROR, converter=Severity)
    max_findings_share: float = attrs.field(default=0.25, validator=_share)
    max_data_target_share: float = attrs.field(default=0.0, validator=_share)
    max_over_disagreement_share: float = attrs.field(default=0.1, validator=_share)
    max_weeks_per_check_in: float = attrs.field(default=6.0, validator=positive)
    min_rating: float = attrs.field(default=3.0, validator=_rating)
    min_weeks: float = attrs.field(default=4.0, validator=positive)


@attrs.frozen
class ModerationCounts:
    """Figures on the objectives a reviewer or team agreed; they add up across groups.

    Attributes:
        reviewees: People whose current cycle is counted.
        agreed: Objectives agreed (or set) and not yet returned: agreed or evaluated.
        with_findings: Of those, ones with a checker finding at the policy's severity or worse.
        findings: The checker's findings at that severity or worse on them.
        data_targets: Of those, bare pupil-data targets.
        over_disagreement: Of those, set over the reviewee's disagreement.
        check_ins: Check-ins recorded on them.
        weeks: Weeks they have been agreed for (to the as-of date or their evaluation).
        moderated: Objectives returned at moderation in these cycles (each return counted).
    """

    reviewees: int = 0
    agreed: int = 0
    with_findings: int = 0
    findings: int = 0
    data_targets: int = 0
    over_disagreement: int = 0
    check_ins: int = 0
    weeks: float = 0.0
    moderated: int = 0

    def __add__(self, other: ModerationCounts) -> ModerationCounts:
        return ModerationCounts(
            *(
                getattr(self, f.name) + getattr(other, f.name)
                for f in attrs.fields(ModerationCounts)
            )
        )

    def share(self, name: str) -> float:
        """*name* ("data_targets") as a share of the agreed objectives; 0 with none."""
        return self.share_of(int(getattr(self, name)))

    def share_of(self, count: int) -> float:
        """*count* as a share of the agreed objectives; 0 with none."""
        return count / self.agreed if self.agreed else 0.0

    @property
    def weeks_per_check_in(self) -> float | None:
        """Average weeks between check-ins on the agreed objectives; None with no check-ins."""
        return self.weeks / self.check_ins if self.check_ins else None


@attrs.frozen
class ModerationFinding:
    """A reviewer or group out of range.

    Attributes:
        subject: The reviewer's or group's name.
        code: ``findings``, ``data-targets``, ``over-disagreement``, ``few-check-ins`` or
            ``low-ratings``.
        message: What was found, with the figures and the school's for comparison.
        action: What to do next.
        school_id: The school it is about; None for a trust.
    """

    subject: str
    code: str
    message: str
    action: str
    school_id: str | None = None


@attrs.frozen
class ModerationRow:
    """One reviewer's, team's or school's figures.

    Attributes:
        kind: ``reviewer``, ``team``, ``school`` or ``trust``.
        id: The reviewer's staff id, or the group's id.
        name: The reviewer's or group's name.
        school_id: Their school (None for a trust).
        counts: The figures on the objectives agreed.
        raters: How many different reviewees rated meetings in these cycles.
        usefulness: The mean usefulness rating, or None where withheld or not rated.
        motivation: The mean motivation rating, or None where withheld or not rated.
        ratings_withheld: True when the school collects ratings but too few of the group's
            people (or a difference with another group) would let one person's be worked
            out; said alike whether or not those people rated.
        findings: Where the row is out of range.
    """

    kind: str
    id: str
    name: str
    school_id: str | None
    counts: ModerationCounts
    raters: int = 0
    usefulness: float | None = None
    motivation: float | None = None
    ratings_withheld: bool = False
    findings: tuple[ModerationFinding, ...] = ()


@attrs.frozen
class ModerationReport:
    """The moderation report (see `moderation`).

    Attributes:
        scope: What was covered, as of when.
        policy: The range rows are judged against.
        min_group: The fewest people a staff-voice figure describes.
        reviewers: One row per reviewer of a cycle in scope.
        groups: Teams, then schools, then the trust.
    """

    scope: ScopeInfo
    policy: ModerationPolicy
    min_group: int
    reviewers: tuple[ModerationRow, ...]
    groups: tuple[ModerationRow, ...]

    @property
    def findings(self) -> tuple[ModerationFinding, ...]:
        """Every finding: reviewers first, then groups."""
        return (
            *(f for r in self.reviewers for f in r.findings),
            *(f for g in self.groups for f in g.findings),
        )

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def moderation(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    ratings: Iterable[MeetingRating] = (),
    policy: ModerationPolicy | None = None,
    voice_policy: VoicePolicy | None = None,
    config: CheckConfig | None = None,
) -> ModerationReport:
    """Compare how each reviewer and team sets objectives, for a headteacher to moderate.

    For each current cycle in scope, the objectives agreed (or set, and not since returned)
    are checked with the school's checker configuration; the figures are added up per
    reviewer, per team (of the reviewees) and per school, with the meeting ratings of those
    cycles where enough people gave them.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle; weeks are counted to it.
        scope: One person, team or school; by default every school in *data*.
        ratings: Staff-voice meeting ratings (`devcycle.domain.voice.MeetingRating`); only
            those of the cycles counted are read.
        policy: The range for reviewers and groups; `ModerationPolicy()` by default.
        voice_policy: The minimum group size for ratings; `VoicePolicy()` (5) by default.
        config: The school's checker configuration (`devcycle.rules.load_config`).

    Returns:
        The report; `ModerationReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    view = resolve(data, scope, as_of)
    return _build(
        view,
        tuple(ratings),
        policy or ModerationPolicy(),
        voice_policy or VoicePolicy(),
        config or default_config(),
    )


def _weeks(start: date, end: date) -> float:
    return max((end - start).days, 0) / 7


def cycle_counts(
    cycle: Cycle,
    person: StaffMember,
    school: School | None,
    as_of: date,
    config: CheckConfig,
    *,
    severity: Severity = Severity.ERROR,
) -> ModerationCounts:
    """The figures on the objectives agreed in one person's current *cycle*."""
    agreed = [
        (o, a)
        for o in cycle.objectives
        if o.status in (ObjectiveStatus.AGREED, ObjectiveStatus.EVALUATED)
        and (a := o.agreement) is not None
    ]
    results: dict[str, Assessment] = (
        check_cycle(cycle, staff=person, school=school, config=config) if agreed else {}
    )
    with_findings = findings = data_targets = over = check_ins = 0
    weeks = 0.0
    for objective, agreement in agreed:
        result = results[objective.id]
        serious = result.at_least(severity)
        with_findings += bool(serious)
        findings += len(serious)
        data_targets += result.data_target
        over += agreement.set_by_reviewer
        end = objective.evaluation.on if objective.evaluation is not None else as_of
        weeks += _weeks(agreement.on, min(end, as_of))
        check_ins += sum(1 for c in objective.check_ins if c.on <= as_of)
    return ModerationCounts(
        reviewees=1,
        agreed=len(agreed),
        with_findings=with_findings,
        findings=findings,
        data_targets=data_targets,
        over_disagreement=over,
        check_ins=check_ins,
        weeks=round(weeks, 4),
        moderated=sum(1 for o in cycle.objectives for r in o.returns if r.moderated),
    )


@attrs.frozen
class _Pending:
    kind: str
    id: str
    name: str
    school_id: str | None
    counts: ModerationCounts
    raters: frozenset[str]
    scores: tuple[tuple[int, int], ...]


def _build(
    view: _Resolved,
    ratings: tuple[MeetingRating, ...],
    policy: ModerationPolicy,
    voice_policy: VoicePolicy,
    config: CheckConfig,
) -> ModerationReport:
    schools = {s.id: s for s in view.schools}
    names = {staff_key(m): m.name for m in view.data.staff}
    by_cycle: dict[tuple[str, str], list[MeetingRating]] = defaultdict(list)
    for rating in ratings:
        by_cycle[(rating.school_id, rating.cycle_id)].append(rating)
    per_person: dict[StaffKey, tuple[ModerationCounts, list[MeetingRating]]] = {}
    reviewer_of: dict[StaffKey, StaffKey] = {}
    for person in view.people:
        cycle = view.judged_cycle_of(person)  # a cycle ended on leaving is locked: left out
        if cycle is None:
            continue
        key = staff_key(person)
        counts = cycle_counts(
            cycle,
            person,
            schools.get(person.school_id),
            view.as_of,
            config,
            severity=policy.severity,
        )
        per_person[key] = (counts, by_cycle.get((cycle.school_id, cycle.id), []))
        if cycle.reviewer_id is not None:
            reviewer_of[key] = (cycle.school_id, cycle.reviewer_id)

    def pending(
        kind: str, id_: str, name: str, school_id: str | None, members: Iterable[StaffKey]
    ) -> _Pending:
        counts = ModerationCounts()
        rated: list[MeetingRating] = []
        for key in members:
            if key in per_person:
                counts += per_person[key][0]
                rated.extend(per_person[key][1])
        return _Pending(
            kind,
            id_,
            name,
            school_id,
            counts,
            frozenset(f"{r.school_id}/{r.rater_id}" for r in rated),
            tuple((r.usefulness, r.motivation) for r in rated),
        )

    reviewed: dict[StaffKey, list[StaffKey]] = defaultdict(list)
    for key, reviewer in reviewer_of.items():
        reviewed[reviewer].append(key)
    candidates = [
        pending("reviewer", rid, names.get((sid, rid), rid), sid, members)
        for (sid, rid), members in sorted(reviewed.items())
    ]
    candidates.extend(pending(g.kind, g.id, g.name, g.school_id, g.members) for g in view.groups)
    # Weighed in the voice report's order (the school, its teams, its reviewers, each by
    # id), so that where both reports see the same ratings they show the same groups: the
    # groups each shows are safe alone, and only the same groups are safe side by side.
    order = sorted(range(len(candidates)), key=lambda i: _voice_order(candidates[i]))
    kept = safe_groups(
        [(f"{candidates[i].kind}:{candidates[i].id}", candidates[i].raters) for i in order],
        voice_policy.min_group,
    )
    shown = {order[k] for k in kept}
    schoolwide = {c.school_id: c.counts for c in candidates if c.kind == "school" and c.school_id}
    heard = {r.school_id for r in ratings}  # schools that collect ratings at all
    rows = [
        _row(c, index in shown, policy, schoolwide.get(c.school_id or ""), c.school_id in heard)
        for index, c in enumerate(candidates)
    ]
    return ModerationReport(
        view.info,
        policy,
        voice_policy.min_group,
        tuple(r for r in rows if r.kind == "reviewer"),
        tuple(r for r in rows if r.kind != "reviewer"),
    )


_LEVELS = {"trust": 0, "school": 1, "team": 2, "reviewer": 3}


def _voice_order(item: _Pending) -> tuple[str, int, str]:
    """Where *item* comes among the groups `devcycle.reports.voice` weighs for its school."""
    return (item.school_id or "", _LEVELS.get(item.kind, 4), item.id)


def _row(
    item: _Pending,
    show: bool,
    policy: ModerationPolicy,
    school: ModerationCounts | None,
    rated: bool,
) -> ModerationRow:
    usefulness = motivation = None
    if show and item.scores:
        usefulness = round(statistics.fmean(s[0] for s in item.scores), 2)
        motivation = round(statistics.fmean(s[1] for s in item.scores), 2)
    row = ModerationRow(
        item.kind,
        item.id,
        item.name,
        item.school_id,
        item.counts,
        raters=len(item.raters) if show else 0,
        usefulness=usefulness,
        motivation=motivation,
        # Withheld whether or not the group's people rated: a small group never shows
        # who took part (only a school that collects no ratings shows nothing).
        ratings_withheld=(rated or bool(item.scores)) and not show,
    )
    compare = school if item.kind in ("reviewer", "team") else None
    return attrs.evolve(row, findings=row_findings(row, policy, compare))


def _versus(name: str, school: ModerationCounts | None) -> str:
    return f"; the school's: {school.share(name):.0%}" if school is not None else ""


def row_findings(
    row: ModerationRow, policy: ModerationPolicy, school: ModerationCounts | None = None
) -> tuple[ModerationFinding, ...]:
    """Return where *row* is out of *policy*'s range; *school* gives figures to compare."""
    c = row.counts
    who = row.name
    found: list[ModerationFinding] = []
    returning = (
        "Moderate: read these objectives beside other reviewers', and return those that are "
        "not consistent with reasons (moderate_objective)."
    )
    if c.agreed:
        for name, limit, code, says, action in (
            (
                "with_findings",
                policy.max_findings_share,
                "findings",
                f"have a checker finding at {policy.severity.value} or worse",
                returning,
            ),
            (
                "data_targets",
                policy.max_data_target_share,
                "data-targets",
                "are bare pupil-data targets",
                "Return bare data targets for consistency: tie each to named pupils, their "
                "need and the approach.",
            ),
            (
                "over_disagreement",
                policy.max_over_disagreement_share,
                "over-disagreement",
                "were set over the reviewee's disagreement",
                "Meet the reviewer and reviewees with a senior leader; agree the objectives "
                "again where the conversation broke down.",
            ),
        ):
            share = c.share(name)
            if share > limit and (school is None or share > school.share(name)):
                found.append(
                    ModerationFinding(
                        who,
                        code,
                        f"{who}: {getattr(c, name)} of {c.agreed} agreed objectives "
                        f"({share:.0%}) {says} (at most {limit:.0%}{_versus(name, school)})",
                        action,
                        row.school_id,
                    )
                )
    per = c.weeks_per_check_in
    if (
        c.agreed
        and c.weeks >= policy.min_weeks * c.agreed
        and (per is None or per > policy.max_weeks_per_check_in)
    ):
        every = "no check-ins" if per is None else f"one check-in every {number(per)} weeks"
        found.append(
            ModerationFinding(
                who,
                "few-check-ins",
                f"{who}: {every} on agreed objectives (at most "
                f"{number(policy.max_weeks_per_check_in)} weeks apart)",
                "Plan short check-ins each half term with the reviewees; record them.",
                row.school_id,
            )
        )
    low = [
        (label, value)
        for label, value in (("usefulness", row.usefulness), ("motivation", row.motivation))
        if value is not None and value < policy.min_rating
    ]
    if low:
        said = " and ".join(f"{label} {value:.1f}" for label, value in low)
        found.append(
            ModerationFinding(
                who,
                "low-ratings",
                f"{who}: reviewees rate the meetings' {said} of 5 (at least "
                f"{policy.min_rating:.1f})",
                "Ask what would make the meetings more useful; pair the reviewer with one "
                "whose meetings staff rate well, or train them.",
                row.school_id,
            )
        )
    return tuple(found)


_COLUMNS = (
    "Who",
    "Reviewees",
    "Agreed",
    "With findings",
    "Bare data targets",
    "Over disagreement",
    "Weeks per check-in",
    "Returned at moderation",
    "Usefulness",
    "Motivation",
)


def _rated(row: ModerationRow, value: float | None, min_group: int) -> str:
    if value is not None:
        return f"{value:.1f} ({row.raters} people)"
    if row.ratings_withheld:
        return f"withheld (fewer than {min_group})"
    return "-"


def _cells(row: ModerationRow, min_group: int) -> tuple[str, ...]:
    c = row.counts

    def part(count: int) -> str:
        return f"{count} ({c.share_of(count):.0%})" if c.agreed else "-"

    per = c.weeks_per_check_in
    return (
        row.name,
        str(c.reviewees),
        str(c.agreed),
        part(c.with_findings),
        part(c.data_targets),
        part(c.over_disagreement),
        number(per) if per is not None else ("none" if c.agreed else "-"),
        str(c.moderated),
        _rated(row, row.usefulness, min_group),
        _rated(row, row.motivation, min_group),
    )


def _document(report: ModerationReport) -> Document:
    info = report.scope
    body: list[Block] = []
    # The trust's figures for a trust (its group comes after its schools'), else the school's.
    whole = next((g for g in report.groups if g.kind == "trust"), None) or next(
        (g for g in report.groups if g.kind == "school"), None
    )
    summary: list[Block] = []
    if whole is not None:
        c = whole.counts
        summary.append(
            Paragraph(
                f"{plural(len(report.reviewers), 'reviewer')} agreed {c.agreed} objectives for "
                f"{c.reviewees} people: {c.share('with_findings'):.0%} with a checker finding "
                f"at {report.policy.severity.value} or worse, "
                f"{c.share('data_targets'):.0%} bare data targets, "
                f"{c.share('over_disagreement'):.0%} set over disagreement; "
                f"{c.moderated} returned at moderation. Staff-voice ratings are shown only for "
                f"groups of at least {report.min_group} people."
            )
        )
    rated = [r for r in report.reviewers if r.counts.agreed]
    if rated:
        labels = [r.name for r in rated]
        summary.append(
            Chart(
                "Agreed objectives with findings, by reviewer",
                tuple(labels),
                (
                    Series(
                        "With findings",
                        tuple(round(100 * r.counts.share("with_findings"), 1) for r in rated),
                        NOT_MET,
                    ),
                ),
                alt=(
                    "Share of each reviewer's agreed objectives with a checker finding at "
                    f"{report.policy.severity.value} or worse: "
                    + "; ".join(
                        f"{r.name}: {r.counts.share('with_findings'):.0%} of {r.counts.agreed}"
                        for r in rated[:12]
                    )
                    + "."
                ),
                kind=ChartKind.HORIZONTAL_BAR,
                unit="%",
            )
        )
    if not summary:
        summary.append(Paragraph("No agreed objectives in scope."))
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
                    caption="Where a reviewer or group is out of the range",
                    empty="Every reviewer and group is within the range.",
                )
            ],
            id="findings",
        )
    )
    for title, rows, id_, caption in (
        ("Reviewers", report.reviewers, "reviewers", "The objectives each reviewer agreed"),
        ("Teams and schools", report.groups, "groups", "The objectives agreed for each group"),
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
                                        attrs.evolve(
                                            r,
                                            name=group_label(info, r.kind, r.name, r.school_id),
                                        ),
                                        report.min_group,
                                    ),
                                )
                                for r in rows
                            ],
                        ),
                        caption=caption,
                        empty="Nobody in scope.",
                    )
                ],
                id=id_,
            )
        )
    return document("Moderation: how reviewers set objectives", info, "moderation", body)
