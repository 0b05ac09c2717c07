"""Every report by name, and the summary the demo prints and writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Protocol

import attrs

from devcycle._gc import paused_during
from devcycle.document import Document
from devcycle.domain import Framework, MeetingRating
from devcycle.reports._balance import balance
from devcycle.reports._base import ReportData, ReportInputError, Scope, WeekCounter, resolve
from devcycle.reports._coverage import coverage
from devcycle.reports._health import Checker, HealthPolicy, HealthReport, health
from devcycle.reports._impact import impact
from devcycle.reports._meetings import meetings
from devcycle.reports._moderation import moderation
from devcycle.reports._needs import needs
from devcycle.reports._overdue import overdue
from devcycle.reports._priorities import priorities
from devcycle.reports._progress import progress
from devcycle.reports._sets import objective_sets
from devcycle.reports._value import value
from devcycle.reports._voice import VoicePolicy, VoiceReport, voice
from devcycle.reports._workload import workload

__all__ = ["REPORT_NAMES", "DemoSummary", "Report", "demo_summary", "run"]

REPORT_NAMES = (
    "coverage",
    "priorities",
    "progress",
    "balance",
    "sets",
    "moderation",
    "voice",
    "meetings",
    "needs",
    "impact",
    "value",
    "workload",
    "overdue",
    "health",
)
"""The reports by name, in the order leaders usually read them."""


class Report(Protocol):
    """What every report result offers: a document to render."""

    def to_document(self) -> Document:
        """Build the report as a document."""
        ...


@paused_during
def run(
    name: str,
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    calendar: WeekCounter | None = None,
    framework: Framework | None = None,
    checker: Checker | None = None,
    health_policy: HealthPolicy | None = None,
    ratings: Iterable[MeetingRating] = (),
    voice_policy: VoicePolicy | None = None,
    individual: bool = True,
) -> Report:
    """Run the report called *name* with each report's default policy.

    Args:
        name: One of `REPORT_NAMES`.
        data: The schools, staff, cycles and CPD to read.
        as_of: The day to judge on.
        scope: One person, team or school; by default every school in *data*.
        calendar: A school calendar (progress and health count school weeks with it).
        framework: A standards framework (coverage lists its headline standards).
        checker: The objective checker for the health check.
        health_policy: The health check's policy, with a school's points
            (`load_health_points`); the default otherwise.
        ratings: Staff-voice meeting ratings for the moderation report, instead of
            ``data.ratings`` (shown only for groups of at least the voice policy's minimum
            size).
        voice_policy: The staff-voice minimum group size and groupings (voice and
            moderation); `VoicePolicy()` by default.
        individual: priorities only: whether the reader may see individual objectives
            (whose, what); counts only when not.

    Returns:
        The report's typed result.

    Raises:
        ReportInputError: For an unknown report name, and as each report does.
    """
    rated = tuple(ratings) or data.ratings
    runners: dict[str, Callable[[], Report]] = {
        "coverage": lambda: coverage(data, as_of=as_of, scope=scope, framework=framework),
        "priorities": lambda: priorities(data, as_of=as_of, scope=scope, individual=individual),
        "progress": lambda: progress(data, as_of=as_of, scope=scope, calendar=calendar),
        "balance": lambda: balance(data, as_of=as_of, scope=scope),
        "sets": lambda: objective_sets(data, as_of=as_of, scope=scope),
        "moderation": lambda: moderation(
            data, as_of=as_of, scope=scope, ratings=rated, voice_policy=voice_policy
        ),
        "voice": lambda: _voice(data, as_of, scope, voice_policy),
        "meetings": lambda: meetings(data, as_of=as_of, scope=scope),
        "needs": lambda: needs(data, as_of=as_of, scope=scope),
        "impact": lambda: impact(data, as_of=as_of, scope=scope),
        "value": lambda: value(data, as_of=as_of, scope=scope),
        "workload": lambda: workload(data, as_of=as_of, scope=scope),
        "overdue": lambda: overdue(data, as_of=as_of, scope=scope),
        "health": lambda: health(
            data,
            as_of=as_of,
            scope=scope,
            calendar=calendar,
            checker=checker,
            policy=health_policy,
            voice=(*rated, *data.responses),
        ),
    }
    runner = runners.get(name)
    if runner is not None:
        return runner()
    msg = f"no report {name!r}: choose one of {', '.join(REPORT_NAMES)}"
    raise ReportInputError(msg)


def _voice(
    data: ReportData, as_of: date, scope: Scope | None, policy: VoicePolicy | None
) -> VoiceReport:
    """The staff-voice report on the schools in scope, from what was said up to *as_of*.

    A team's scope shows that team's figures only (where the whole school's groups allow
    them); a person's is refused: staff voice is never shown for one person.
    """
    if scope is not None and scope.person_id is not None:
        msg = (
            "staff voice is never shown for one person: run the voice report for the "
            "school (--school) or a team (--team)"
        )
        raise ReportInputError(msg)
    view = resolve(data, scope, as_of)
    result = voice(
        (r for r in data.ratings if r.on <= as_of),
        (r for r in data.responses if r.on <= as_of),
        schools=view.schools,
        staff=data.staff,
        policy=policy,
    )
    if scope is None or scope.team_id is None:
        return result
    team = scope.team_id
    return attrs.evolve(
        result,
        ratings=tuple(g for g in result.ratings if g.level == "team" and g.key == team),
        survey=tuple(g for g in result.survey if g.level == "team" and g.key == team),
        comments=(),
    )


@attrs.frozen
class DemoSummary:
    """What `demo_summary` returns: the health check to print and every report to write.

    Attributes:
        health: The process health check.
        documents: Report name -> its document, in `REPORT_NAMES` order.
        text: A few lines for a terminal: the health check's score and points.
    """

    health: HealthReport
    documents: Mapping[str, Document]
    text: str


def demo_summary(
    data: ReportData,
    *,
    as_of: date,
    scope: Scope | None = None,
    calendar: WeekCounter | None = None,
) -> DemoSummary:
    """Run every report for the demo: a health check to print and documents to render.

    The demo command calls this, prints `DemoSummary.text`, and writes each document with
    ``devcycle.render.render(document, "html")``.

    Args:
        data: The sample school's data.
        as_of: The day to judge on (the demo's own as-of date).
        scope: Narrow to a person, team or school; by default everything in *data*.
        calendar: A school calendar for school weeks, if there is one.

    Returns:
        The health check, every report's document, and the text to print.
    """
    documents: dict[str, Document] = {}
    checked: HealthReport | None = None
    for name in REPORT_NAMES:
        result = run(name, data, as_of=as_of, scope=scope, calendar=calendar)
        documents[name] = result.to_document()
        if isinstance(result, HealthReport):
            checked = result
    if checked is None:  # pragma: no cover - health is always in REPORT_NAMES
        msg = "the health check did not run"
        raise ReportInputError(msg)
    return DemoSummary(health=checked, documents=documents, text=checked.summary())
