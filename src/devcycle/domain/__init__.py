"""The devcycle domain model: plain attrs objects with no I/O and no hidden clock."""

from devcycle.domain.cpd import (
    CPDActivity,
    CPDKind,
    ImpactLevel,
    ImpactRecord,
    ObjectiveRef,
    Purpose,
)
from devcycle.domain.cycle import (
    CYCLE_TRANSITIONS,
    OBJECTIVE_TRANSITIONS,
    Cycle,
    CycleStatus,
    Party,
    Transition,
)
from devcycle.domain.evidence import Evidence, Observation, ObservationKind
from devcycle.domain.history import HistoryEntry
from devcycle.domain.milestones import Basis, Milestone, MilestoneKind
from devcycle.domain.objectives import (
    RAG,
    Agreement,
    CheckIn,
    Evaluation,
    Objective,
    ObjectiveKind,
    ObjectiveStatus,
    Outcome,
    Return,
    SuccessCriterion,
)
from devcycle.domain.people import Role, StaffMember, Team
from devcycle.domain.reviews import (
    AgreedAction,
    Audience,
    Confidential,
    Conversation,
    PayRecommendation,
    ReviewKind,
    ReviewMeeting,
)
from devcycle.domain.school import Policy, Priority, School, Trust
from devcycle.domain.standards import Framework, Standard
from devcycle.domain.voice import MeetingRating, ProcessSurvey, SurveyQuestion, SurveyResponse

__all__ = [
    "CYCLE_TRANSITIONS",
    "OBJECTIVE_TRANSITIONS",
    "RAG",
    "AgreedAction",
    "Agreement",
    "Audience",
    "Basis",
    "CPDActivity",
    "CPDKind",
    "CheckIn",
    "Confidential",
    "Conversation",
    "Cycle",
    "CycleStatus",
    "Evaluation",
    "Evidence",
    "Framework",
    "HistoryEntry",
    "ImpactLevel",
    "ImpactRecord",
    "MeetingRating",
    "Milestone",
    "MilestoneKind",
    "Objective",
    "ObjectiveKind",
    "ObjectiveRef",
    "ObjectiveStatus",
    "Observation",
    "ObservationKind",
    "Outcome",
    "Party",
    "PayRecommendation",
    "Policy",
    "Priority",
    "ProcessSurvey",
    "Purpose",
    "Return",
    "ReviewKind",
    "ReviewMeeting",
    "Role",
    "School",
    "StaffMember",
    "Standard",
    "SuccessCriterion",
    "SurveyQuestion",
    "SurveyResponse",
    "Team",
    "Transition",
    "Trust",
]
