"""Continuing professional development: courses, coaching, INSET and the rest."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from devcycle.domain._validate import (
    identifier,
    identifiers,
    not_before,
    text,
    to_tuple,
)

__all__ = [
    "CPDActivity",
    "CPDKind",
    "ImpactLevel",
    "ImpactRecord",
    "ObjectiveRef",
    "Purpose",
]


class Purpose(enum.StrEnum):
    """What an activity is for, after the management / measurement / movement balance.

    Management keeps the process running (meetings, reviews); measurement judges practice
    (observations, learning walks, data); movement actually develops it (training, coaching,
    mentoring, collaborative enquiry).
    """

    MANAGEMENT = "management"
    MEASUREMENT = "measurement"
    MOVEMENT = "movement"


class CPDKind(enum.StrEnum):
    """The form a CPD activity takes."""

    COURSE = "course"
    COACHING = "coaching"
    MENTORING = "mentoring"
    INSET = "inset"
    OBSERVATION_OF_OTHERS = "observation_of_others"
    LESSON_STUDY = "lesson_study"
    READING = "reading"
    COLLABORATIVE_ENQUIRY = "collaborative_enquiry"
    QUALIFICATION = "qualification"
    CONFERENCE = "conference"
    ONLINE = "online"
    NETWORK = "network"
    SUPERVISION = "supervision"
    OTHER = "other"

    @property
    def default_purpose(self) -> Purpose:
        """The purpose an activity of this kind usually serves."""
        if self is CPDKind.SUPERVISION:
            return Purpose.MANAGEMENT
        return Purpose.MOVEMENT


class ImpactLevel(enum.IntEnum):
    """The five levels of professional-development evaluation (after Guskey)."""

    REACTIONS = 1
    LEARNING = 2
    ORGANISATIONAL_SUPPORT = 3
    USE_OF_KNOWLEDGE = 4
    PUPIL_OUTCOMES = 5


@attrs.frozen
class ObjectiveRef:
    """Points at one objective in one cycle."""

    cycle_id: str = attrs.field(validator=identifier)
    objective_id: str = attrs.field(validator=identifier)


@attrs.frozen
class ImpactRecord:
    """Evidence of a CPD activity's impact at one evaluation level."""

    level: ImpactLevel
    on: date
    by: str = attrs.field(validator=identifier)
    note: str = attrs.field(validator=text)


def _non_negative(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal) or value < 0:
        msg = f"'{attribute.name}' must be a number of at least 0 (got {value!r})"
        raise ValueError(msg)


@attrs.frozen
class CPDActivity:
    """A CPD activity, its own aggregate because many people and objectives share one.

    Attributes:
        id: The caller's id for the activity.
        school_id: The school that runs or records it.
        title: What it is called.
        kind: Its form (course, coaching, INSET...).
        purpose: Management, measurement or movement; defaults from the kind.
        start: The first (or only) day.
        end: The last day, if it runs over several.
        sessions: Dates of each session, for calendars (coaching every fortnight, say).
        hours: Hours per attendee in all.
        cost: Cost in the school's currency, if known.
        provider: Who provides it (in-house, a named provider).
        attendee_ids: Staff who take part.
        objective_refs: The objectives it is planned to support.
        standard_ids: Standards it develops.
        priority_ids: School priorities it serves.
        impact: Evaluation of its impact at each level.
        notes: Free notes.
        version: Set by the store; leave at 0.
    """

    id: str = attrs.field(validator=identifier)
    school_id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    kind: CPDKind
    start: date
    purpose: Purpose = attrs.field()
    end: date | None = attrs.field(default=None, validator=not_before("start"))
    sessions: tuple[date, ...] = attrs.field(default=(), converter=to_tuple)
    hours: float = attrs.field(default=0.0, validator=_non_negative)
    cost: Decimal | None = attrs.field(default=None, validator=_non_negative)
    provider: str = ""
    attendee_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    objective_refs: tuple[ObjectiveRef, ...] = attrs.field(default=(), converter=to_tuple)
    standard_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    priority_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    impact: tuple[ImpactRecord, ...] = attrs.field(default=(), converter=to_tuple)
    notes: str = ""
    version: int = attrs.field(default=0, eq=False)

    @purpose.default
    def _default_purpose(self) -> Purpose:
        return self.kind.default_purpose

    def supports(self, cycle_id: str, objective_id: str) -> bool:
        """Return whether this activity is linked to the objective."""
        return ObjectiveRef(cycle_id, objective_id) in self.objective_refs

    @property
    def highest_impact_level(self) -> ImpactLevel | None:
        """The highest evaluation level reached, or None if nothing is recorded."""
        return max((r.level for r in self.impact), default=None)

    @property
    def dates(self) -> tuple[date, ...]:
        """Every date the activity takes place on: its sessions, or its start."""
        return tuple(sorted(self.sessions)) if self.sessions else (self.start,)
