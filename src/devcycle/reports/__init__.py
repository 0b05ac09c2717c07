"""Reports school leaders act on: linkage, progress, balance, sets, meetings, value, health.

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

.. versionadded:: 0.1
"""

from devcycle.reports._balance import (
    BalanceCounts,
    BalanceFinding,
    BalancePolicy,
    BalanceReport,
    GroupBalance,
    Pairing,
    PersonBalance,
    balance,
)
from devcycle.reports._base import (
    Group,
    ReportData,
    ReportInputError,
    Scope,
    ScopeInfo,
    StaffKey,
    StoreLike,
    WeekCounter,
)
from devcycle.reports._coverage import (
    CoverageCounts,
    CoverageReport,
    GroupCoverage,
    ObjectiveGap,
    PersonCoverage,
    PriorityCoverage,
    StandardCoverage,
    coverage,
)
from devcycle.reports._health import (
    HEALTH_MEASURES,
    Checker,
    HealthItem,
    HealthPoint,
    HealthPolicy,
    HealthReport,
    Status,
    default_health_points,
    health,
    load_health_points,
)
from devcycle.reports._impact import (
    LEVEL_NAMES,
    ActivityImpact,
    GroupImpact,
    ImpactCounts,
    ImpactPolicy,
    ImpactReport,
    impact,
)
from devcycle.reports._meetings import (
    FEEDBACK_KINDS,
    ColleagueImpactRow,
    MeetingCounts,
    MeetingsFinding,
    MeetingsPolicy,
    MeetingsReport,
    MeetingsRow,
    meetings,
)
from devcycle.reports._moderation import (
    ModerationCounts,
    ModerationFinding,
    ModerationPolicy,
    ModerationReport,
    ModerationRow,
    moderation,
)
from devcycle.reports._needs import (
    LeaderNeeds,
    Need,
    NeedLexicon,
    NeedsPolicy,
    NeedsReport,
    PlanItem,
    needs,
)
from devcycle.reports._overdue import (
    CalendarEntry,
    GroupCompliance,
    OverdueMilestone,
    OverdueReport,
    PersonCompliance,
    overdue,
)
from devcycle.reports._progress import (
    GroupRag,
    ObjectiveRag,
    PersonRag,
    ProgressReport,
    RagCounts,
    RagPolicy,
    colour_objective,
    progress,
)
from devcycle.reports._sets import (
    GroupSet,
    PersonSet,
    SetCounts,
    SetFinding,
    SetPolicy,
    SetsReport,
    objective_sets,
)
from devcycle.reports._summary import REPORT_NAMES, DemoSummary, Report, demo_summary, run
from devcycle.reports._value import Spend, SpendRow, ValueReport, value
from devcycle.reports._voice import (
    MIN_GROUP_FLOOR,
    VoiceGroup,
    VoicePolicy,
    VoiceReport,
    safe_groups,
    voice,
)
from devcycle.reports._workload import (
    DIRECTED_HOURS,
    GroupWorkload,
    PersonWorkload,
    WorkloadCounts,
    WorkloadFinding,
    WorkloadPolicy,
    WorkloadReport,
    workload,
)

__all__ = [
    "DIRECTED_HOURS",
    "FEEDBACK_KINDS",
    "HEALTH_MEASURES",
    "LEVEL_NAMES",
    "MIN_GROUP_FLOOR",
    "REPORT_NAMES",
    "ActivityImpact",
    "BalanceCounts",
    "BalanceFinding",
    "BalancePolicy",
    "BalanceReport",
    "CalendarEntry",
    "Checker",
    "ColleagueImpactRow",
    "CoverageCounts",
    "CoverageReport",
    "DemoSummary",
    "Group",
    "GroupBalance",
    "GroupCompliance",
    "GroupCoverage",
    "GroupImpact",
    "GroupRag",
    "GroupSet",
    "GroupWorkload",
    "HealthItem",
    "HealthPoint",
    "HealthPolicy",
    "HealthReport",
    "ImpactCounts",
    "ImpactPolicy",
    "ImpactReport",
    "LeaderNeeds",
    "MeetingCounts",
    "MeetingsFinding",
    "MeetingsPolicy",
    "MeetingsReport",
    "MeetingsRow",
    "ModerationCounts",
    "ModerationFinding",
    "ModerationPolicy",
    "ModerationReport",
    "ModerationRow",
    "Need",
    "NeedLexicon",
    "NeedsPolicy",
    "NeedsReport",
    "ObjectiveGap",
    "ObjectiveRag",
    "OverdueMilestone",
    "OverdueReport",
    "Pairing",
    "PersonBalance",
    "PersonCompliance",
    "PersonCoverage",
    "PersonRag",
    "PersonSet",
    "PersonWorkload",
    "PlanItem",
    "PriorityCoverage",
    "ProgressReport",
    "RagCounts",
    "RagPolicy",
    "Report",
    "ReportData",
    "ReportInputError",
    "Scope",
    "ScopeInfo",
    "SetCounts",
    "SetFinding",
    "SetPolicy",
    "SetsReport",
    "Spend",
    "SpendRow",
    "StaffKey",
    "StandardCoverage",
    "Status",
    "StoreLike",
    "ValueReport",
    "VoiceGroup",
    "VoicePolicy",
    "VoiceReport",
    "WeekCounter",
    "WorkloadCounts",
    "WorkloadFinding",
    "WorkloadPolicy",
    "WorkloadReport",
    "balance",
    "colour_objective",
    "coverage",
    "default_health_points",
    "demo_summary",
    "health",
    "impact",
    "load_health_points",
    "meetings",
    "moderation",
    "needs",
    "objective_sets",
    "overdue",
    "progress",
    "run",
    "safe_groups",
    "value",
    "voice",
    "workload",
]
