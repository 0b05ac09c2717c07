"""devcycle: staff development cycles in schools, as a pure-domain library to embed.

The public API lives here. Names load on first use (PEP 562), so that ``import devcycle``
stays fast and imports no adapter library: storage backends, renderers and formats are
found by name when first used. Type checkers and IDEs see ordinary imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from devcycle._version import __version__
from devcycle.errors import (
    AccessDenied,
    ConfigError,
    ConflictError,
    DevcycleError,
    DomainError,
    NotFoundError,
    PluginError,
    Problem,
    RenderError,
    StorageError,
    ValidationError,
)

if TYPE_CHECKING:
    from devcycle import access, catalogues, proforma, render, reports, serialization
    from devcycle.access import AccessPolicy, Actor, view_for
    from devcycle.catalogues.templates import (
        load_template,
        template,
        template_names,
    )
    from devcycle.document import (
        Document,
    )
    from devcycle.domain import (
        RAG,
        AgreedAction,
        Agreement,
        AttendanceStatus,
        Audience,
        Basis,
        CheckIn,
        Confidential,
        Conversation,
        CPDActivity,
        CPDKind,
        CPDOffering,
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
    from devcycle.domain.scheduling import (
        Schedule,
        SchedulingError,
        at_a_glance,
        enrol,
        plan,
    )
    from devcycle.domain.templates import (
        CycleTemplate,
        MilestoneRule,
        Period,
        Recurrence,
    )
    from devcycle.interop.bankholidays import (
        UKBankHolidays,
    )
    from devcycle.interop.calendars import (
        load_calendar,
    )
    from devcycle.proforma import (
        build_proforma,
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
    from devcycle.storage import (
        Store,
        UnitOfWork,
        open_store,
    )

_PACKAGES = frozenset({"access", "catalogues", "proforma", "render", "reports", "serialization"})
_LAZY: dict[str, str] = {
    "AccessPolicy": "devcycle.access",
    "Actor": "devcycle.access",
    "AgreedAction": "devcycle.domain",
    "Agreement": "devcycle.domain",
    "Assessment": "devcycle.rules",
    "AttendanceStatus": "devcycle.domain",
    "Audience": "devcycle.domain",
    "BankHoliday": "devcycle.domain.calendar",
    "BankHolidays": "devcycle.domain.calendar",
    "Basis": "devcycle.domain",
    "CPDActivity": "devcycle.domain",
    "CPDKind": "devcycle.domain",
    "CPDOffering": "devcycle.domain",
    "CheckConfig": "devcycle.rules",
    "CheckContext": "devcycle.rules",
    "CheckIn": "devcycle.domain",
    "Closure": "devcycle.domain.calendar",
    "Confidential": "devcycle.domain",
    "Conversation": "devcycle.domain",
    "Cycle": "devcycle.domain",
    "CycleStatus": "devcycle.domain",
    "CycleTemplate": "devcycle.domain.templates",
    "Document": "devcycle.document",
    "Evaluation": "devcycle.domain",
    "Evidence": "devcycle.domain",
    "Finding": "devcycle.rules",
    "Framework": "devcycle.domain",
    "HalfTerm": "devcycle.domain.calendar",
    "HistoryEntry": "devcycle.domain",
    "ImpactLevel": "devcycle.domain",
    "ImpactRecord": "devcycle.domain",
    "Milestone": "devcycle.domain",
    "MilestoneKind": "devcycle.domain",
    "MilestoneRule": "devcycle.domain.templates",
    "Objective": "devcycle.domain",
    "ObjectiveKind": "devcycle.domain",
    "ObjectiveRef": "devcycle.domain",
    "ObjectiveStatus": "devcycle.domain",
    "Observation": "devcycle.domain",
    "ObservationKind": "devcycle.domain",
    "Outcome": "devcycle.domain",
    "Party": "devcycle.domain",
    "PayRecommendation": "devcycle.domain",
    "Period": "devcycle.domain.templates",
    "Policy": "devcycle.domain",
    "Priority": "devcycle.domain",
    "Purpose": "devcycle.domain",
    "RAG": "devcycle.domain",
    "Recurrence": "devcycle.domain.templates",
    "ReviewKind": "devcycle.domain",
    "ReviewMeeting": "devcycle.domain",
    "Role": "devcycle.domain",
    "RuleSet": "devcycle.rules",
    "Schedule": "devcycle.domain.scheduling",
    "SchedulingError": "devcycle.domain.scheduling",
    "School": "devcycle.domain",
    "SchoolCalendar": "devcycle.domain.calendar",
    "Severity": "devcycle.rules",
    "StaffMember": "devcycle.domain",
    "Standard": "devcycle.domain",
    "Store": "devcycle.storage",
    "SuccessCriterion": "devcycle.domain",
    "Team": "devcycle.domain",
    "Term": "devcycle.domain.calendar",
    "Trust": "devcycle.domain",
    "UKBankHolidays": "devcycle.interop.bankholidays",
    "UnitOfWork": "devcycle.storage",
    "at_a_glance": "devcycle.domain.scheduling",
    "build_proforma": "devcycle.proforma",
    "check": "devcycle.rules",
    "england_pattern": "devcycle.domain.calendar",
    "enrol": "devcycle.domain.scheduling",
    "load_calendar": "devcycle.interop.calendars",
    "load_template": "devcycle.catalogues.templates",
    "open_store": "devcycle.storage",
    "plan": "devcycle.domain.scheduling",
    "template": "devcycle.catalogues.templates",
    "template_names": "devcycle.catalogues.templates",
    "view_for": "devcycle.access",
}
"""Public name -> the module that defines it, imported on first use."""


def __getattr__(name: str) -> Any:
    if name in _PACKAGES:
        return importlib.import_module(f"devcycle.{name}")
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'devcycle' has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "RAG",
    "AccessDenied",
    "AccessPolicy",
    "Actor",
    "AgreedAction",
    "Agreement",
    "Assessment",
    "AttendanceStatus",
    "Audience",
    "BankHoliday",
    "BankHolidays",
    "Basis",
    "CPDActivity",
    "CPDKind",
    "CPDOffering",
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
    "Problem",
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
    "access",
    "at_a_glance",
    "build_proforma",
    "catalogues",
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
    "serialization",
    "template",
    "template_names",
    "view_for",
]
