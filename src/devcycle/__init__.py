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
    from devcycle.storage import Store, UnitOfWork, open_store

# Storage loads on first use, so that importing devcycle stays fast.
_LAZY = {
    "Store": "devcycle.storage",
    "UnitOfWork": "devcycle.storage",
    "open_store": "devcycle.storage",
}


def __getattr__(name: str) -> Any:
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
    "Basis",
    "CPDActivity",
    "CPDKind",
    "CheckConfig",
    "CheckContext",
    "CheckIn",
    "Confidential",
    "ConfigError",
    "ConflictError",
    "Conversation",
    "Cycle",
    "CycleStatus",
    "DevcycleError",
    "DomainError",
    "Evaluation",
    "Evidence",
    "Finding",
    "Framework",
    "HistoryEntry",
    "ImpactLevel",
    "ImpactRecord",
    "Milestone",
    "MilestoneKind",
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
    "PluginError",
    "Policy",
    "Priority",
    "Purpose",
    "RenderError",
    "ReviewKind",
    "ReviewMeeting",
    "Role",
    "RuleSet",
    "School",
    "Severity",
    "StaffMember",
    "Standard",
    "StorageError",
    "Store",
    "SuccessCriterion",
    "Team",
    "Trust",
    "UnitOfWork",
    "ValidationError",
    "__version__",
    "check",
    "open_store",
]
