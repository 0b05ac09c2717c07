"""Pluggable storage: the `Store` port and its backends, chosen by URL with `open_store`.

Backends load lazily by URL scheme: ``memory://``, ``json:///path/dir``, any SQLAlchemy URL
(``sqlite:///devcycle.db`` is the default; ``postgresql+psycopg://...``), and plug-ins in the
``devcycle.storage`` entry-point group. Importing this package imports no database library.
"""

from devcycle.storage.audit import AuditCheck, AuditEntry, AuditEvent
from devcycle.storage.base import (
    CATALOGUE_SCOPE,
    AuditLog,
    CPDOfferingRepository,
    CPDRepository,
    CycleRepository,
    DocumentRepository,
    MeetingRatingRepository,
    SchoolRepository,
    Session,
    StaffRepository,
    Store,
    SurveyRepository,
    SurveyResponseRepository,
    TenancyError,
    TrainingPlanRepository,
    TrustRepository,
    UnitOfWork,
    open_store,
    register_scheme,
)

__all__ = [
    "CATALOGUE_SCOPE",
    "DEFAULT_STORE_URL",
    "AuditCheck",
    "AuditEntry",
    "AuditEvent",
    "AuditLog",
    "CPDOfferingRepository",
    "CPDRepository",
    "CycleRepository",
    "DocumentRepository",
    "MeetingRatingRepository",
    "SchoolRepository",
    "Session",
    "StaffRepository",
    "Store",
    "SurveyRepository",
    "SurveyResponseRepository",
    "TenancyError",
    "TrainingPlanRepository",
    "TrustRepository",
    "UnitOfWork",
    "open_store",
    "register_scheme",
]

DEFAULT_STORE_URL = "sqlite:///devcycle.db"
"""Where devcycle keeps data unless told otherwise: a SQLite file in the working directory."""
