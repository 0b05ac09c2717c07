"""Every report by name, and the summary the demo prints and writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Protocol

import attrs

from devcycle.document import Document
from devcycle.domain import Framework, MeetingRating
from devcycle.reports._balance import balance
from devcycle.reports._base import ReportData, ReportInputError, Scope, WeekCounter
from devcycle.reports._coverage import coverage
from devcycle.reports._health import Checker, HealthPolicy, HealthReport, health
from devcycle.reports._impact import impact
from devcycle.reports._meetings import meetings
from devcycle.reports._moderation import moderation
from devcycle.reports._needs import needs
from devcycle.reports._overdue import overdue
from devcycle.reports._progress import progress
from devcycle.reports._sets import objective_sets
from devcycle.reports._value import value
from devcycle.reports._workload import workload

__all__ = ["REPORT_NAMES", "DemoSummary", "Report", "demo_summary", "run"]

REPORT_NAMES = (
    "coverage",
    "progress",
    "balance",
    "sets",
    "moderation",
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
        ratings: Staff-voice meeting ratings, for the moderation report (shown only for
            groups of at least the voice policy's minimum size).

    Returns:
        The report's typed result.

    Raises:
        ReportInputError: For an unknown report name, and as each report does.
    """
    runners: dict[str, Callable[[], Report]] = {
        "coverage": lambda: coverage(data, as_of=as_of, scope=scope, framework=framework),
        "progress": lambda: progress(data, as_of=as_of, scope=scope, calendar=calendar),
        "balance": lambda: balance(data, as_of=as_of, scope=scope),
        "sets": lambda: objective_sets(data, as_of=as_of, scope=scope),
        "moderation": lambda: moderation(data, as_of=as_of, scope=scope, ratings=ratings),
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
        ),
    }
    runner = runners.get(name)
    if runner is not None:
        return runner()
    msg = f"no report {name!r}: choose one of {', '.join(REPORT_NAMES)}"
    raise ReportInputError(msg)


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
