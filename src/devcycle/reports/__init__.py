"""Reports school leaders act on: linkage, progress, balance, needs, impact, workload, health.

Each report is one function taking a `ReportData` (schools, staff, cycles, CPD), an *as_of*
date and an optional `Scope` (one person, a team, a school; the whole trust by default). It
returns typed, frozen results for embedders, and each result's ``to_document()`` builds a
`devcycle.document.Document` for the renderers::

    from devcycle.reports import ReportData, Scope, progress

    report = progress(data, as_of=date(2027, 2, 1), scope=Scope(school_id="stm"))
    for person in report.people:
        print(person.name, person.colour, person.reason)

Bad input (an unknown team, an empty school, an as-of date outside every cycle) raises
`ReportInputError` or `NotFoundError` with a message to show as it is.
"""

from devcycle.reports._base import (
    Group,
    ReportData,
    ReportInputError,
    Scope,
    ScopeInfo,
    WeekCounter,
)
from devcycle.reports.coverage import CoverageReport, coverage
from devcycle.reports.progress import ProgressReport, RagPolicy, progress

__all__ = [
    "CoverageReport",
    "Group",
    "ProgressReport",
    "RagPolicy",
    "ReportData",
    "ReportInputError",
    "Scope",
    "ScopeInfo",
    "WeekCounter",
    "coverage",
    "progress",
]
