"""The process health check: the light-touch validation of the process itself, with a score.

The sources ask for a short checklist of a school's appraisal process rather than more
paperwork about each person: are objectives few and well formed, linked to CPD and to the
school's priorities; are check-ins regular; are support staff included; are reviews on time;
is impact recorded at the final review; are team leaders trained; is there a healthy balance
of movement? Each point gets a status (pass, partial, fail, or not applicable yet), the
evidence behind it, and what to do next; the score is the share of applicable points met,
partial points counting half.
"""

from __future__ import annotations

import difflib
import enum
import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from importlib import resources
from pathlib import Path

import attrs

from devcycle._gc import paused_during
from devcycle.document import (
    Block,
    Chart,
    ChartKind,
    Checklist,
    ChecklistItem,
    Document,
    Mark,
    Paragraph,
    Series,
)
from devcycle.domain import CPDActivity, Cycle, MeetingRating, Objective, SurveyResponse
from devcycle.errors import ConfigError
from devcycle.reports import _balance, _needs, _progress
from devcycle.reports._base import (
    ReportData,
    Scope,
    ScopeInfo,
    UnreviewedCycle,
    WeekCounter,
    _Resolved,
    fraction,
    resolve,
    staff_key,
)
from devcycle.reports._documents import (
    STATUS_COLOURS,
    document,
    section,
    table_or_note,
    unreviewed_section,
)
from devcycle.reports._health_measures import MEASURES, HealthInputs
from devcycle.rules import Assessment, CheckContext, Severity, check

__all__ = [
    "HEALTH_MEASURES",
    "Checker",
    "HealthItem",
    "HealthPoint",
    "HealthPolicy",
    "HealthReport",
    "Status",
    "default_health_points",
    "health",
    "load_health_points",
]

HEALTH_MEASURES = MEASURES
"""Every measure a health point can name (``measure = "linked_to_cpd"``), by name."""

Checker = Callable[[Objective, Cycle], Sequence[str]]
"""Checks one objective in its cycle; returns the problems found (empty when clean)."""


class Status(enum.StrEnum):
    """How one point of the health check stands."""

    PASS = "pass"  # noqa: S105 (a status, not a password)
    PARTIAL = "partial"
    FAIL = "fail"
    NOT_APPLICABLE = "not applicable"

    @property
    def mark(self) -> Mark:
        """The status in the vocabulary and glyphs every format shares (✓ Met, ✗ Not met)."""
        return _MARKS[self]

    @property
    def points(self) -> float | None:
        """Its contribution to the score: 1, 0.5, 0, or None when not applicable."""
        return {"pass": 1.0, "partial": 0.5, "fail": 0.0}.get(self.value)


_MARKS = {
    Status.PASS: Mark.MET,
    Status.PARTIAL: Mark.PARTLY_MET,
    Status.FAIL: Mark.NOT_MET,
    Status.NOT_APPLICABLE: Mark.NOT_APPLICABLE,
}


def _known_measure(_inst: object, _attribute: object, value: str) -> None:
    if value not in MEASURES:
        close = difflib.get_close_matches(value, MEASURES, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        msg = f"no health measure '{value}'{hint}; known: {', '.join(sorted(MEASURES))}"
        raise ConfigError(msg)


def _weight(_inst: object, _attribute: object, value: float) -> None:
    if not 0 <= value <= 100:
        msg = f"a health point's weight must be between 0 and 100 (got {value})"
        raise ConfigError(msg)


def _share(_inst: object, attribute: attrs.Attribute[float | None], value: float | None) -> None:
    if value is not None and not 0 <= value <= 1:
        msg = f"a health point's '{attribute.name}' must be between 0 and 1 (got {value})"
        raise ConfigError(msg)


@attrs.frozen
class HealthPoint:
    """One point of the health check, as data (``health_points.toml``).

    Attributes:
        id: A stable id ("linked-to-cpd"); a school's file changes a point by its id.
        measure: The measure that computes it, a name in `HEALTH_MEASURES`.
        title: The point as a question a leader would ask; ``{name}`` quotes the measure's
            values (``{limit}``).
        action: What to do next when it is not met.
        why: Why it matters, for the report and the docs.
        weight: How many times it counts in the score (0: shown, not scored).
        pass_share: The share meeting it for a pass; by default the policy's.
        partial_share: The share for partly met; by default the policy's.
        params: The measure's parameters (``weeks = 8``).
        enabled: False to leave the point out.
    """

    id: str
    measure: str = attrs.field(validator=_known_measure)
    title: str
    action: str
    why: str = ""
    weight: float = attrs.field(default=1.0, converter=float, validator=_weight)
    pass_share: float | None = attrs.field(default=None, validator=_share)
    partial_share: float | None = attrs.field(default=None, validator=_share)
    params: Mapping[str, object] = attrs.field(factory=dict, hash=False)
    enabled: bool = True


_POINT_FIELDS = frozenset(a.name for a in attrs.fields(HealthPoint))


def _points_from(data: Mapping[str, object], source: str) -> list[dict[str, object]]:
    points = data.get("point", [])
    extra = set(data) - {"point"}
    if extra:
        msg = f"{source}: unknown table(s) {', '.join(sorted(extra))}; expected [[point]] entries"
        raise ConfigError(msg)
    if not isinstance(points, list) or not all(isinstance(p, dict) for p in points):
        msg = f"{source}: 'point' must be an array of tables ([[point]])"
        raise ConfigError(msg)
    for index, entry in enumerate(points):
        unknown = set(entry) - _POINT_FIELDS
        if unknown:
            name = sorted(unknown)[0]
            close = difflib.get_close_matches(name, _POINT_FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            msg = f"{source}: point {index + 1}: unknown field '{name}'{hint}"
            raise ConfigError(msg)
        if not isinstance(entry.get("id"), str) or not entry["id"]:
            msg = f"{source}: point {index + 1}: every point needs an 'id'"
            raise ConfigError(msg)
    return points


def _make(entry: Mapping[str, object], source: str) -> HealthPoint:
    try:
        return HealthPoint(**entry)  # type: ignore[arg-type]
    except TypeError as error:
        missing = sorted({"measure", "title", "action"} - set(entry))
        detail = f"missing {', '.join(missing)}" if missing else str(error)
        msg = f"{source}: point '{entry.get('id')}': {detail}"
        raise ConfigError(msg) from None
    except ConfigError as error:
        msg = f"{source}: point '{entry.get('id')}': {error}"
        raise ConfigError(msg) from None


@functools.cache
def default_health_points() -> tuple[HealthPoint, ...]:
    """The shipped points (``devcycle/reports/health_points.toml``), in order."""
    text = resources.files("devcycle.reports").joinpath("health_points.toml").read_text("utf-8")
    source = "health_points.toml"
    return tuple(_make(e, source) for e in _points_from(tomllib.loads(text), source))


def load_health_points(
    path: str | Path, base: Sequence[HealthPoint] | None = None
) -> tuple[HealthPoint, ...]:
    """Read a school's points file and merge it over *base* (the shipped points by default).

    An entry whose id is a point of *base* changes only the fields it gives (``enabled =
    false`` removes the point; ``weight = 2`` counts it twice); an entry with a new id adds a
    point, which must name its measure, title and action.

    Raises:
        ConfigError: For a file that cannot be read, is not TOML, or names an unknown field,
            measure or a point with missing fields; the message names the file.
    """
    from devcycle.fileio import read_text  # noqa: PLC0415 - the reading limits live there

    source = str(path)
    try:
        data = tomllib.loads(read_text(Path(path)))
    except tomllib.TOMLDecodeError as error:
        msg = f"{source}: not valid TOML: {error}"
        raise ConfigError(msg) from None
    merged = {p.id: p for p in (default_health_points() if base is None else base)}
    for entry in _points_from(data, source):
        point_id = str(entry["id"])
        if point_id in merged:
            fields = {**attrs.asdict(merged[point_id], recurse=False), **entry}
            merged[point_id] = _make(fields, source)
        else:
            merged[point_id] = _make(entry, source)
    return tuple(merged.values())


def _point_tuple(value: Iterable[HealthPoint]) -> tuple[HealthPoint, ...]:
    return tuple(value)


@attrs.frozen
class HealthPolicy:
    """The thresholds of the health check.

    Attributes:
        pass_share: The share of people or objectives meeting a point for it to pass.
        partial_share: The share for it to be partly met.
        max_objectives: Objectives per person; by default each school policy's number.
        rag: The RAG policy deciding when an objective is stale.
        balance: The healthy range of management, measurement and movement.
        needs: The keywords that show a leader trained in objective-setting or coaching.
        points: The points to check, in order (`default_health_points` unless a school's
            file says otherwise: `load_health_points`).
    """

    pass_share: float = attrs.field(default=0.9, validator=fraction)
    partial_share: float = attrs.field(default=0.6, validator=fraction)
    max_objectives: int | None = None
    rag: _progress.RagPolicy = attrs.field(factory=_progress.RagPolicy)
    balance: _balance.BalancePolicy = attrs.field(factory=_balance.BalancePolicy)
    needs: _needs.NeedsPolicy = attrs.field(factory=_needs.NeedsPolicy)
    points: tuple[HealthPoint, ...] = attrs.field(
        factory=default_health_points, converter=_point_tuple, hash=False
    )

    def __attrs_post_init__(self) -> None:
        if self.partial_share > self.pass_share:
            msg = (
                f"HealthPolicy 'partial_share' ({self.partial_share}) must not exceed "
                f"'pass_share' ({self.pass_share})"
            )
            raise ValueError(msg)

    def status(self, met: int, total: int) -> Status:
        """The status when *met* of *total* meet a point (not applicable when *total* is 0)."""
        if not total:
            return Status.NOT_APPLICABLE
        share = met / total
        if share >= self.pass_share:
            return Status.PASS
        if share >= self.partial_share:
            return Status.PARTIAL
        return Status.FAIL


@attrs.frozen
class HealthItem:
    """One point of the health check.

    Attributes:
        id: A stable id ("linked-to-cpd").
        title: The point, as a question a leader would ask.
        status: Pass, partial, fail or not applicable.
        met: How many people or objectives meet it.
        total: Out of how many.
        evidence: What the judgement rests on, with examples.
        action: What to do next.
        why: Why the point matters.
        weight: How many times it counts in the score.
    """

    id: str
    title: str
    status: Status
    met: int
    total: int
    evidence: str
    action: str
    why: str = ""
    weight: float = 1.0


@attrs.frozen
class HealthReport:
    """The process health check (see `health`).

    Attributes:
        scope: What was covered, as of when.
        score: 0 to 100: the share of applicable points met, partial ones counting half.
        items: Each point, in the checklist's order.
        unreviewed: The open cycles in scope nobody reviews (no reviewer, or one who had
            left by the as-of date), each with what to do; listed whatever the points.
    """

    scope: ScopeInfo
    score: int
    items: tuple[HealthItem, ...]
    unreviewed: tuple[UnreviewedCycle, ...] = ()

    def item(self, item_id: str) -> HealthItem:
        """Return the point with *item_id*.

        Raises:
            KeyError: If there is no such point.
        """
        for entry in self.items:
            if entry.id == item_id:
                return entry
        raise KeyError(item_id)

    @property
    def next_steps(self) -> tuple[str, ...]:
        """What to do next, for every point not passed, failures first."""
        order = {Status.FAIL: 0, Status.PARTIAL: 1}
        return tuple(
            i.action
            for i in sorted(
                (i for i in self.items if i.status in order), key=lambda i: order[i.status]
            )
        )

    def summary(self) -> str:
        """A few lines for a terminal: the score and each point's status."""
        lines = [
            f"Process health check: {self.scope.label}, as of {self.scope.as_of}: {self.score}/100"
        ]
        marks = {
            Status.PASS: "[x]",
            Status.PARTIAL: "[~]",
            Status.FAIL: "[ ]",
            Status.NOT_APPLICABLE: "[-]",
        }
        lines.extend(f"  {marks[i.status]} {i.title} ({i.met}/{i.total})" for i in self.items)
        if self.unreviewed:
            lines.append(f"  Cycles nobody reviews ({len(self.unreviewed)}):")
            lines.extend(f"    {u.name}, cycle {u.cycle_id}: {u.problem}" for u in self.unreviewed)
        return "\n".join(lines)

    @paused_during
    def to_document(self) -> Document:
        """Build the report as a `devcycle.document.Document` for rendering."""
        return _document(self)


def health(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    policy: HealthPolicy | None = None,
    checker: Checker | None = None,
    calendar: WeekCounter | None = None,
    voice: Iterable[MeetingRating | SurveyResponse] = (),
) -> HealthReport:
    """Run the light-touch health check of the process, with a score and next steps.

    Args:
        data: The schools, staff, cycles and CPD to read.
        as_of: The day to judge on.
        scope: One person, team or school; by default every school in *data*.
        policy: Thresholds; `HealthPolicy()` by default.
        checker: Checks each objective in its cycle and returns its problems; by default the
            objective checker's error-severity findings (`devcycle.rules.check`), with the
            owner's role, the school's priorities and limit and the linked CPD as context.
        calendar: A school calendar, so staleness counts school weeks.
        voice: Staff-voice meeting ratings and survey responses, for the points they feed
            (shown only for groups of at least five people).

    Returns:
        The report; `HealthReport.to_document` renders it as a checklist.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For an empty school or team, or an as-of date outside every cycle.
    """
    policy = policy or HealthPolicy()
    view = resolve(data, scope, as_of)
    return _build(view, policy, checker, calendar, voice)


def _errors(assessment: Assessment) -> tuple[str, ...]:
    return tuple(
        f"{f.code}: {f.message}" for f in assessment.findings if f.severity is Severity.ERROR
    )


def _contexts(view: _Resolved) -> Callable[[Objective, Cycle], CheckContext]:
    """The checker's context for each objective, as `devcycle.rules.check_cycle` builds it."""
    staff = {staff_key(p): p for p in view.data.staff if staff_key(p) in view.current}
    schools = {s.id: s for s in view.schools}
    by_cycle: dict[tuple[str, str], list[CPDActivity]] = {}
    for activity in view.cpd:
        for cycle_id in {r.cycle_id for r in activity.objective_refs}:
            by_cycle.setdefault((activity.school_id, cycle_id), []).append(activity)

    def context(objective: Objective, cycle: Cycle) -> CheckContext:
        return CheckContext.from_cycle(
            cycle,
            staff=staff.get((cycle.school_id, cycle.staff_id)),
            school=schools.get(cycle.school_id),
            cpd=by_cycle.get((cycle.school_id, cycle.id), ()),
            objective_id=objective.id,
        )

    return context


def _build(
    view: _Resolved,
    policy: HealthPolicy,
    checker: Checker | None,
    calendar: WeekCounter | None,
    voice: Iterable[MeetingRating | SurveyResponse],
) -> HealthReport:
    several = len(view.schools) > 1
    names = {
        staff_key(p): f"{p.name} ({view.info.school_name(p.school_id)})" if several else p.name
        for p in view.people
    }
    context = _contexts(view)
    assessed: dict[tuple[str, str, str], Assessment] = {}

    def assess(objective: Objective, cycle: Cycle) -> Assessment:
        key = (cycle.school_id, cycle.id, objective.id)
        if key not in assessed:
            assessed[key] = check(objective, context=context(objective, cycle))
        return assessed[key]

    def default_checker(objective: Objective, cycle: Cycle) -> Sequence[str]:
        return _errors(assess(objective, cycle))

    heard = tuple(voice)
    inputs = HealthInputs(
        view=view,
        policy=policy,
        checker=checker or default_checker,
        calendar=calendar,
        names=names,
        assess=assess,
        ratings=tuple(v for v in heard if isinstance(v, MeetingRating)),
        responses=tuple(v for v in heard if isinstance(v, SurveyResponse)),
    )
    items = tuple(_item(point, inputs) for point in policy.points if point.enabled)
    weighed = [
        (i.status.points, i.weight) for i in items if i.status.points is not None and i.weight
    ]
    total_weight = sum(w for _p, w in weighed)
    score = round(100 * sum(p * w for p, w in weighed) / total_weight) if total_weight else 0
    return HealthReport(view.info, score, items, view.unreviewed())


def _item(point: HealthPoint, inputs: HealthInputs) -> HealthItem:
    measured = MEASURES[point.measure](inputs, point.params)
    policy = inputs.policy
    thresholds = attrs.evolve(
        policy,
        pass_share=point.pass_share if point.pass_share is not None else policy.pass_share,
        partial_share=(
            point.partial_share if point.partial_share is not None else policy.partial_share
        ),
    )
    status = measured.status or thresholds.status(measured.met, measured.total)
    return HealthItem(
        point.id,
        _fill(point.title, measured.values),
        status,
        measured.met,
        measured.total,
        measured.evidence,
        _fill(point.action, measured.values),
        why=point.why,
        weight=point.weight,
    )


def _fill(text: str, values: Mapping[str, str]) -> str:
    """Put the measure's values into a point's title or action; unknown names stay as written."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m[1], m[0]), text)


def _document(report: HealthReport) -> Document:
    info = report.scope
    checklist = Checklist(
        tuple(
            ChecklistItem(
                i.title,
                note=f"{i.status.mark.word} ({i.met}/{i.total}): {i.evidence}",
                mark=i.status.mark,
            )
            for i in report.items
        ),
        title=f"Score {report.score}/100",
    )
    steps = report.next_steps
    applicable = [i for i in report.items if i.total]
    chart: list[Block] = []
    if applicable:
        # One series per status, stacked: each point's bar is its share met, coloured (and
        # patterned) by how the point stands, so a failed point never looks met.
        marks = (Mark.MET, Mark.PARTLY_MET, Mark.NOT_MET)
        series = tuple(
            Series(
                mark.word,
                tuple(
                    round(100 * i.met / i.total, 1) if i.status.mark is mark else 0.0
                    for i in applicable
                ),
                STATUS_COLOURS[mark],
            )
            for mark in marks
            if any(i.status.mark is mark for i in applicable)
        )
        chart.append(
            Chart(
                "How far each point is met",
                tuple(i.title for i in applicable),
                series,
                alt="Share met for each point: "
                + "; ".join(
                    f"{i.title} {i.met} of {i.total} ({i.status.mark.word.lower()})"
                    for i in applicable
                )
                + ".",
                kind=ChartKind.STACKED_BAR,
                unit="%",
            )
        )
    body: list[Block] = [
        section(
            "Score",
            [
                Paragraph(
                    f"{report.score}/100: {sum(i.status is Status.PASS for i in report.items)} "
                    f"points met, {sum(i.status is Status.PARTIAL for i in report.items)} "
                    f"partly met, {sum(i.status is Status.FAIL for i in report.items)} not met, "
                    f"{sum(i.status is Status.NOT_APPLICABLE for i in report.items)} not "
                    "applicable yet. Partly met points count half."
                ),
                checklist,
                *chart,
            ],
            id="score",
        ),
        *_unreviewed_section(report),
        section(
            "What to do next",
            [
                table_or_note(
                    ("Point", "Status", "What to do"),
                    [
                        (i.title, i.status.mark.label, i.action)
                        for i in report.items
                        if i.status in (Status.FAIL, Status.PARTIAL)
                    ],
                    caption="Next steps, for every point not fully met",
                    empty="Every applicable point is met: keep it up.",
                )
            ]
            if steps
            else [Paragraph("Every applicable point is met: keep it up.")],
            id="next-steps",
        ),
        section(
            "The evidence",
            [
                table_or_note(
                    ("Point", "Status", "Met", "Evidence"),
                    [
                        (i.title, i.status.mark.label, f"{i.met}/{i.total}", i.evidence)
                        for i in report.items
                    ],
                    caption="The evidence behind each point",
                    empty="No points.",
                )
            ],
            id="evidence",
        ),
    ]
    return document("Process health check", info, "health", body)


def _unreviewed_section(report: HealthReport) -> list[Block]:
    """The open cycles nobody reviews, each with what to do (nothing when there are none)."""
    if not report.unreviewed:
        return []
    return [unreviewed_section(report.scope, report.unreviewed)]
