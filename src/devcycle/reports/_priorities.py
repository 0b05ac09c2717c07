"""School priorities and their KPIs, against the objectives and evidence linked to them.

A school improvement plan names priorities, and each priority names key performance
indicators (`devcycle.domain.KPI`): a baseline, a target, perhaps a due date, and the latest
figure. This report sets each KPI (baseline, current, target) beside what the appraisal
process is doing for the priority: the objectives linked to it (how many, in which status,
whose), the evidence recorded against them (how much, and the latest), and the CPD that
serves it. Two things are flagged: priorities with KPIs that no objective serves, and
objectives linked to a priority that has no KPI to show their effect on.

Everything is keyed by school: two schools of a trust that both have a "P1" have two
priorities, and one school's objectives never count towards the other's.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, BulletList, Document, Paragraph
from devcycle.domain import KPI, Cycle, ObjectiveStatus
from devcycle.domain.linkage import EvidenceRef
from devcycle.reports._base import ReportData, Scope, ScopeInfo, _Resolved, resolve
from devcycle.reports._documents import (
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
    "KPI_STATUSES",
    "KPIProgress",
    "LinkedObjective",
    "PrioritiesReport",
    "PriorityKPIs",
    "kpi_progress",
    "priorities",
]

KPI_STATUSES = (
    "met",
    "on the way",
    "no change",
    "moving away from target",
    "below target",
    "missed",
    "overdue",
    "not measured",
    "no figures",
)
"""What `KPIProgress.status` can say, judged only on what was known by the as-of day: the
current figure has reached the target (in whichever direction the target lies from the
baseline); it has moved from the baseline towards the target but not reached it yet; it is
still at the baseline; it has moved from the baseline away from the target; (a KPI whose
target equals its baseline, a figure to hold) it is below that figure; it has not been met
and the due date has passed; the due date has passed with no current figure measured on or
before the as-of day (so nobody can say it was met); there is no current figure measured on
or before the as-of day, and the due date (if any) has not passed; the KPI has no baseline
or no target to judge by."""


@attrs.frozen
class KPIProgress:
    """One KPI of a priority: baseline, current and target, and where that leaves it.

    Attributes:
        school_id: The school.
        priority_id: The priority.
        id: The KPI's id within the priority.
        name: What is measured.
        unit: The unit of the figures.
        baseline: The starting figure, if set.
        current: The latest figure, if measured on or before the as-of day (a figure
            measured later is not known as of that day and is left out).
        current_on: When it was measured.
        target: The aim, if set.
        due: When the target should be met, if the plan says.
        status: One of `KPI_STATUSES`.
        progress: How far from baseline to target the current figure has come (1.0 is the
            whole way, above 1 beyond the target), when all three figures are known and the
            target differs from the baseline; None otherwise. Never below 0: a figure that
            has moved away from the target has made no progress (0), and *trend* says
            which way it went (a trial found "missed" beside a progress of -150%).
        trend: Where the current figure stands by the direction of travel alone, whatever
            the due date: "met", "on the way", "no change", "moving away from target" or
            "below target" (or, with no figure to judge, "not measured" or "no figures").
            It differs from *status* only when the KPI is "missed", and says how: short of
            the target on the way to it, or gone the wrong way; or when it is "overdue"
            (then "not measured": there is no figure to judge).
        change: How far the figure has moved from the baseline, as a fraction of the way to
            the target: *progress*, but negative when it has moved away (-0.5: half as far
            again the wrong way); None when *progress* is.
    """

    school_id: str
    priority_id: str
    id: str
    name: str
    unit: str
    baseline: float | None
    current: float | None
    current_on: date | None
    target: float | None
    due: date | None
    status: str
    progress: float | None
    trend: str = ""
    change: float | None = None


@attrs.frozen
class LinkedObjective:
    """An objective linked to a priority (live objectives only; drafts are not counted).

    Attributes:
        school_id: The school of the cycle.
        cycle_id: Its cycle.
        objective_id: Its id.
        staff_id: Whose it is.
        name: Their name.
        statement: The objective.
        status: Where it is in its life.
        evidence: Evidence items recorded against it, dated on or before the as-of day.
    """

    school_id: str
    cycle_id: str
    objective_id: str
    staff_id: str
    name: str
    statement: str
    status: ObjectiveStatus
    evidence: int


@attrs.frozen
class PriorityKPIs:
    """One school priority: its KPIs and what the process is doing for it.

    Attributes:
        school_id: The school.
        priority_id: The priority.
        title: Its title.
        kpis: Its KPIs, in the plan's order.
        objectives: The objectives in scope linked to it, one by one; empty when the reader
            may not see individual objectives (the counts below still hold).
        objective_count: How many objectives in scope are linked to it.
        staff_count: How many people hold them.
        by_status: How many of those are in each status, as ``(status, count)``.
        staff_ids: Who holds them (empty when individual objectives are not shown).
        evidence: Evidence items in scope against it (directly or through an objective),
            dated on or before the as-of day.
        latest_evidence: The day of the latest of them, if any.
        cpd: ``(id, title)`` of the CPD in scope that serves it, directly or through one of
            its objectives.
    """

    school_id: str
    priority_id: str
    title: str
    kpis: tuple[KPIProgress, ...]
    objectives: tuple[LinkedObjective, ...]
    objective_count: int
    staff_count: int
    by_status: tuple[tuple[str, int], ...]
    staff_ids: tuple[str, ...]
    evidence: int
    latest_evidence: date | None
    cpd: tuple[tuple[str, str], ...]

    @property
    def kpis_without_objectives(self) -> bool:
        """Whether the priority has KPIs but no objective serves it (flagged)."""
        return bool(self.kpis) and not self.objective_count


@attrs.frozen
class PrioritiesReport:
    """The priorities-and-KPIs report (see `priorities`).

    Attributes:
        scope: What was covered, as of when.
        priorities: Each priority of the schools in scope, school by school.
        individual: Whether individual objectives (whose, what) are shown; when not, only
            counts are.
    """

    scope: ScopeInfo
    priorities: tuple[PriorityKPIs, ...]
    individual: bool = True

    @property
    def flagged(self) -> tuple[PriorityKPIs, ...]:
        """Priorities with KPIs that no objective in scope serves."""
        return tuple(p for p in self.priorities if p.kpis_without_objectives)

    @property
    def objectives_without_kpi(self) -> int:
        """Objectives linked to a priority that has no KPI (each counted once per priority)."""
        return sum(p.objective_count for p in self.priorities if not p.kpis)

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def priorities(
    data: ReportData, *, as_of: date, scope: Scope | None = None, individual: bool = True
) -> PrioritiesReport:
    """Report each school priority's KPIs against the objectives and evidence linked to it.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: Picks each person's current cycle and judges KPIs past their due date; only
            what was known by that day counts (KPI figures measured and evidence dated on
            or before it).
        scope: One person, team or school; by default every school in *data*. The
            priorities are always the schools'; the objectives and evidence are those of the
            people in scope.
        individual: Whether to list individual objectives (whose, what). The access policy
            decides: `Services.report` and ``devcycle report`` pass whether the reader's role
            may read objectives; without, the report gives counts only.

    Returns:
        The report; `PrioritiesReport.to_document` renders it.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For a team with no staff, or an as-of date outside every stored
            cycle. A school with priorities but no staff or cycles yet is reported, its
            KPIs with no objectives.
    """
    # a school's priorities and KPIs are reported before it has staff or cycles (the
    # objectives are then none), not refused
    view = resolve(data, scope, as_of, empty_ok=True)
    return _build(view, as_of, individual=individual)


def kpi_progress(school_id: str, priority_id: str, kpi: KPI, as_of: date) -> KPIProgress:
    """Set one KPI's current figure between its baseline and target, as of *as_of*.

    Only what was known by *as_of* counts: a KPI keeps only its latest figure, so a figure
    measured after *as_of* is left out (the KPI reads ``not measured`` as of that day, or
    ``overdue`` when its due date is before that day).
    """
    current, current_on = kpi.current, kpi.current_on
    if current_on is not None and current_on > as_of:
        current = current_on = None
    change: float | None = None
    if kpi.baseline is None or kpi.target is None:
        status = "no figures"
    elif current is None:
        status = "not measured"
    else:
        status = _status(kpi.baseline, kpi.target, current)
        span = kpi.target - kpi.baseline
        if span:
            change = (current - kpi.baseline) / span
    trend = status
    judged = status not in {"met", "no figures", "not measured"}
    past_due = kpi.due is not None and as_of > kpi.due
    if past_due and judged:
        status = "missed"
    elif past_due and status == "not measured":
        # The target's day has gone by with no figure to show it was met: a head reading
        # the report must see it as overdue, not as a KPI simply waiting for its figure.
        status = "overdue"
    return KPIProgress(
        school_id,
        priority_id,
        kpi.id,
        kpi.name,
        kpi.unit,
        kpi.baseline,
        current,
        current_on,
        kpi.target,
        kpi.due,
        status,
        None if change is None else (change if change > 0 else 0.0),
        trend,
        change,
    )


def _status(baseline: float, target: float, current: float) -> str:
    """Where *current* stands between *baseline* and *target*, by the target's direction."""
    if target == baseline:
        # A figure to hold, with no direction of travel: at or above it is met (the same
        # reading as `KPI.met`), below it is not.
        return "met" if current >= target else "below target"
    up = target > baseline
    if (current >= target) if up else (current <= target):
        return "met"
    if current == baseline:
        return "no change"
    if (current > baseline) == up:
        return "on the way"
    return "moving away from target"


def _build(view: _Resolved, as_of: date, *, individual: bool) -> PrioritiesReport:
    index = view.linkage()
    cycles: dict[tuple[str, str], Cycle] = {(c.school_id, c.id): c for c in view.cycles}
    names = {(p.school_id, p.id): p.name for p in view.people}
    evidence_day = {(c.school_id, c.id, e.id): e.on for c in cycles.values() for e in c.evidence}

    def known(ref: EvidenceRef) -> bool:
        """Whether the evidence was recorded on or before the as-of day (known by then)."""
        return evidence_day[(ref.school_id, ref.cycle_id, ref.evidence_id)] <= as_of

    out: list[PriorityKPIs] = []
    for school in view.schools:
        for priority in school.priorities:
            key = (school.id, priority.id)
            linked: list[LinkedObjective] = []
            cpd_ids: set[str] = set()
            for ref in index.objectives_by_priority.get(key, ()):
                links = index.objectives[ref]
                cycle = cycles[(ref.school_id, ref.cycle_id)]
                objective = next(o for o in cycle.objectives if o.id == ref.objective_id)
                cpd_ids.update(links.cpd_ids)
                linked.append(
                    LinkedObjective(
                        school.id,
                        cycle.id,
                        objective.id,
                        cycle.staff_id,
                        names.get((school.id, cycle.staff_id), cycle.staff_id),
                        objective.statement,
                        objective.status,
                        sum(1 for r in links.evidence if known(r)),
                    )
                )
            cpd_ids.update(
                a.id for a in view.cpd if a.school_id == school.id and priority.id in a.priority_ids
            )
            titles = {a.id: a.title for a in view.cpd if a.school_id == school.id}
            evidence = [r for r in index.evidence_by_priority.get(key, ()) if known(r)]
            days = [evidence_day[(r.school_id, r.cycle_id, r.evidence_id)] for r in evidence]
            counts = Counter(o.status.value for o in linked)
            out.append(
                PriorityKPIs(
                    school_id=school.id,
                    priority_id=priority.id,
                    title=priority.title,
                    kpis=tuple(
                        kpi_progress(school.id, priority.id, k, as_of) for k in priority.kpis
                    ),
                    objectives=tuple(linked) if individual else (),
                    objective_count=len(linked),
                    staff_count=len({o.staff_id for o in linked}),
                    by_status=tuple(
                        (s.value, counts[s.value]) for s in ObjectiveStatus if counts[s.value]
                    ),
                    staff_ids=tuple(sorted({o.staff_id for o in linked})) if individual else (),
                    evidence=len(evidence),
                    latest_evidence=max(days, default=None),
                    cpd=tuple((i, titles.get(i, i)) for i in sorted(cpd_ids)),
                )
            )
    return PrioritiesReport(scope=view.info, priorities=tuple(out), individual=individual)


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    shown = number(value)
    if not unit:
        return shown
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}"


def _progress(kpi: KPIProgress) -> str:
    """Progress as a percentage of the way to the target, never below 0%."""
    if kpi.progress is None:
        return "-"
    return f"{kpi.progress:.0%}"


def _status_text(kpi: KPIProgress) -> str:
    """The status, and for a missed KPI how it was missed (short of it, or the wrong way).

    An overdue KPI says why it is overdue: no figure has been measured for it.
    """
    if kpi.status == "missed" and kpi.trend not in {"", "missed"}:
        return f"missed ({kpi.trend})"
    if kpi.status == "overdue":
        return "overdue (not measured)"
    return kpi.status


def _current(kpi: KPIProgress, as_of: date) -> str:
    if kpi.current is None:
        return f"not measured by {day(as_of)}"
    return f"{_figure(kpi.current, kpi.unit)} ({day(kpi.current_on)})"


def _statuses(priority: PriorityKPIs) -> str:
    return ", ".join(f"{count} {status}" for status, count in priority.by_status) or "-"


def _document(report: PrioritiesReport) -> Document:
    info = report.scope
    kpis = [k for p in report.priorities for k in p.kpis]
    counts = Counter(k.status for k in kpis)
    flagged = report.flagged
    without = report.objectives_without_kpi
    summary = Paragraph(
        f"{plural(len(report.priorities), 'priority', 'priorities')} with "
        f"{plural(len(kpis), 'KPI')}: "
        + (", ".join(f"{counts[s]} {s}" for s in KPI_STATUSES if counts[s]) or "none set")
        + f". {len(flagged)} with KPIs but no objective linked; "
        f"{plural(without, 'objective')} linked to a priority with no KPI."
    )
    kpi_rows = schooled(
        info,
        ("Priority", "KPI", "Baseline", "Current", "Target", "Due", "Progress", "Status"),
        [
            (
                k.school_id,
                (
                    k.priority_id,
                    k.name,
                    _figure(k.baseline, k.unit),
                    _current(k, info.as_of),
                    _figure(k.target, k.unit),
                    day(k.due),
                    _progress(k),
                    _status_text(k),
                ),
            )
            for k in kpis
        ],
    )
    priority_rows = schooled(
        info,
        (
            "Priority",
            "Title",
            "KPIs",
            "Objectives",
            "By status",
            "Staff",
            "Evidence",
            "Latest evidence",
            "CPD",
        ),
        [
            (
                p.school_id,
                (
                    p.priority_id,
                    short(p.title, 60),
                    str(len(p.kpis)),
                    str(p.objective_count),
                    _statuses(p),
                    str(p.staff_count),
                    str(p.evidence),
                    day(p.latest_evidence),
                    ", ".join(title for _, title in p.cpd) or "-",
                ),
            )
            for p in report.priorities
        ],
    )
    objective_rows = schooled(
        info,
        ("Priority", "Person", "Objective", "Status", "Evidence"),
        [
            (
                o.school_id,
                (p.priority_id, o.name, short(o.statement, 70), o.status.value, str(o.evidence)),
            )
            for p in report.priorities
            for o in p.objectives
        ],
    )
    flags: list[Block] = []
    if flagged:
        flags.append(
            BulletList(
                tuple(
                    f"{p.priority_id} {p.title}"
                    + (f" ({info.school_name(p.school_id)})" if info.several_schools else "")
                    + f": {plural(len(p.kpis), 'KPI')}, no objective linked"
                    for p in flagged
                )
            )
        )
    else:
        flags.append(Paragraph("Every priority with KPIs has at least one objective linked."))
    no_kpi = [p for p in report.priorities if p.objective_count and not p.kpis]
    flags.append(
        Paragraph(
            f"{plural(without, 'objective')} linked to a priority with no KPI"
            + (
                ": " + ", ".join(f"{p.priority_id} ({p.objective_count})" for p in no_kpi) + "."
                if no_kpi
                else "."
            )
        )
    )
    body: list[Block] = [
        section("Summary", [summary], id="summary"),
        section(
            "KPIs",
            [
                table_or_note(
                    *kpi_rows,
                    caption="Each KPI: baseline, current and target",
                    empty="The priorities in scope have no KPIs.",
                )
            ],
            id="kpis",
        ),
        section(
            "Priorities",
            [
                table_or_note(
                    *priority_rows,
                    caption="Objectives, evidence and CPD linked to each priority",
                    empty="The schools in scope list no improvement-plan priorities.",
                )
            ],
            id="priorities",
        ),
        section("Flags", flags, id="flags"),
        section(
            "Objectives linked to priorities",
            [
                table_or_note(
                    *objective_rows,
                    caption="Each objective linked to a priority",
                    empty="No objective in scope is linked to a priority.",
                )
                if report.individual
                else Paragraph(
                    "Individual objectives are not shown: the access policy does not let this "
                    "reader see them. The counts above include them."
                )
            ],
            id="objectives",
        ),
    ]
    return document("Priorities and KPIs", info, "priorities", body)
