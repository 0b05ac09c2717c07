"""devcycle: staff development cycles in schools, as a pure-domain library to embed.

The public API lives here. Importing devcycle imports no adapter library: storage backends,
renderers and formats are found by name when first used.
"""

from typing import TYPE_CHECKING, Any

from devcycle._version import __version__
from devcycle.domain import (
    RAG,
    AgreedAction,
    Agreement,
    Audience,
    Basis,
    CheckIn,
    Confidential,
    Conversation,
    CPDActivity,
    CPDKind,
    Cycle,
    CycleStatus,
    Evaluation,
    Evidence,
    Framework,
    HistoryEntry,
    ImpactLevel,
    ImpactRecord,
    Milestone,
    MilestoneKind,
    Objective,
    ObjectiveKind,
    ObjectiveRef,
    ObjectiveStatus,
    Observation,
    ObservationKind,
    Outcome,
    Party,
    PayRecommendation,
    Policy,
    Priority,
    Purpose,
    ReviewKind,
    ReviewMeeting,
    Role,
    School,
    StaffMember,
    Standard,
    SuccessCriterion,
    Team,
    Trust,
)
from devcycle.domain.calendar import (
    BankHoliday,
    BankHolidays,
    Closure,
    HalfTerm,
    SchoolCalendar,
    Term,
    england_pattern,
)
from devcycle.domain.scheduling import Schedule, SchedulingError, at_a_glance, enrol, plan
from devcycle.domain.templates import CycleTemplate, MilestoneRule, Period, Recurrence
from devcycle.errors import (
    ConfigError,
    ConflictError,
    DevcycleError,
    DomainError,
    NotFoundError,
    PluginError,
    RenderError,
    StorageError,
    ValidationError,
)
from devcycle.rules import (
    Assessment,
    CheckConfig,
    CheckContext,
    Finding,
    RuleSet,
    Severity,
    check,
)

if TYPE_CHECKING:
    from devcycle import proforma, render, reports
    from devcycle.catalogues.templates import load_template, template, template_names
    from devcycle.document import Document
    from devcycle.interop.bankholidays import UKBankHolidays
    from devcycle.interop.calendars import load_calendar
    from devcycle.proforma import build_proforma
    from devcycle.storage import Store, UnitOfWork, open_store

# Storage loads on first use, so that importing devcycle stays fast.
_LAZY = {
    "Store": "devcycle.storage",
    "UnitOfWork": "devcycle.storage",
    "open_store": "devcycle.storage",
    "template": "devcycle.catalogues.templates",
    "template_names": "devcycle.catalogues.templates",
    "load_template": "devcycle.catalogues.templates",
    "load_calendar": "devcycle.interop.calendars",
    "UKBankHolidays": "devcycle.interop.bankholidays",
    "Document": "devcycle.document",
    "build_proforma": "devcycle.proforma",
}


def __getattr__(name: str) -> Any:
    if name in ("reports", "proforma", "render"):  # packages, loaded on first use
        import importlib  # noqa: PLC0415 - only when first used

        return importlib.import_module(f"devcycle.{name}")
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'devcycle' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib  # noqa: PLC0415 - only when a lazy name is first used

    return getattr(importlib.import_module(module), name)


__all__ = [
    "RAG",
    "AgreedAction",
    "Agreement",
    "Assessment",
    "Audience",
    "BankHoliday",
    "BankHolidays",
    "Basis",
    "CPDActivity",
    "CPDKind",
    "CheckConfig",
    "CheckContext",
    "CheckIn",
    "Closure",
    "Confidential",
    "ConfigError",
    "ConflictError",
    "Conversation",
    "Cycle",
    "CycleStatus",
    "CycleTemplate",
    "DevcycleError",
    "Document",
    "DomainError",
    "Evaluation",
    "Evidence",
    "Finding",
    "Framework",
    "HalfTerm",
    "HistoryEntry",
    "ImpactLevel",
    "ImpactRecord",
    "Milestone",
    "MilestoneKind",
    "MilestoneRule",
    "NotFoundError",
    "Objective",
    "ObjectiveKind",
    "ObjectiveRef",
    "ObjectiveStatus",
    "Observation",
    "ObservationKind",
    "Outcome",
    "Party",
    "PayRecommendation",
    "Period",
    "PluginError",
    "Policy",
    "Priority",
    "Purpose",
    "Recurrence",
    "RenderError",
    "ReviewKind",
    "ReviewMeeting",
    "Role",
    "RuleSet",
    "Schedule",
    "SchedulingError",
    "School",
    "SchoolCalendar",
    "Severity",
    "StaffMember",
    "Standard",
    "StorageError",
    "Store",
    "SuccessCriterion",
    "Team",
    "Term",
    "Trust",
    "UKBankHolidays",
    "UnitOfWork",
    "ValidationError",
    "__version__",
    "at_a_glance",
    "build_proforma",
    "check",
    "england_pattern",
    "enrol",
    "load_calendar",
    "load_template",
    "open_store",
    "plan",
    "proforma",
    "render",
    "reports",
    "template",
    "template_names",
]
