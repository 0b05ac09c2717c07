"""Evidence and observations recorded during a cycle."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from devcycle.domain._validate import (
    a_date,
    identifier,
    identifiers,
    member_of,
    minutes,
    optional_plain_text,
    text,
    texts,
    to_tuple,
)

__all__ = ["Evidence", "Observation", "ObservationKind"]


@attrs.frozen
class Evidence:
    """A piece of evidence from day-to-day practice, tagged to what it shows.

    The 2024 English guidance rules out evidence portfolios: record a pointer to what already
    exists (a planning document, a pupil-voice summary) rather than collecting new paperwork.

    Attributes:
        id: Unique within the cycle.
        description: What it is and what it shows.
        on: When it was produced or added.
        added_by: Who added it (reviewee or reviewer).
        uri: Where it lives (a link into the school's own system), if anywhere.
        objective_ids: Objectives in the same cycle it supports.
        standard_ids: Professional standards it shows.
        priority_ids: School priorities it relates to.
        tags: Free tags.
    """

    id: str = attrs.field(validator=identifier)
    description: str = attrs.field(validator=text)
    on: date = attrs.field(validator=a_date)
    added_by: str = attrs.field(validator=identifier)
    uri: str | None = attrs.field(default=None, validator=optional_plain_text)
    objective_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    standard_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    priority_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    tags: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)

    @property
    def is_tagged(self) -> bool:
        """Whether the evidence is tagged to any objective, standard or priority."""
        return bool(self.objective_ids or self.standard_ids or self.priority_ids)


class ObservationKind(enum.StrEnum):
    """The form an observation takes."""

    LESSON = "lesson"
    LEARNING_WALK = "learning_walk"
    DROP_IN = "drop_in"
    PEER = "peer"
    OTHER = "other"


def _to_observation_kind(value: ObservationKind | str) -> ObservationKind:
    return member_of(ObservationKind, "kind", value)


@attrs.frozen
class Observation:
    """A lesson observation, drop-in or learning walk, with its developmental feedback.

    Attributes:
        id: Unique within the cycle.
        kind: Lesson, learning walk, drop-in, peer...
        on: The date.
        observer_id: Who observed.
        focus: What the observation looked at, agreed beforehand.
        minutes: How long it lasted, for the workload count and any policy cap.
        objective_ids: Objectives it relates to.
        standard_ids: Standards it looked at.
        strengths: What went well.
        next_steps: What to work on next.
        cpd_needs: Development needs it identified, for the training-needs report.
    """

    id: str = attrs.field(validator=identifier)
    kind: ObservationKind = attrs.field(converter=_to_observation_kind)
    on: date = attrs.field(validator=a_date)
    observer_id: str = attrs.field(validator=identifier)
    focus: str = attrs.field(validator=text)
    minutes: int | None = attrs.field(default=None, validator=minutes)
    objective_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    standard_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    strengths: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    next_steps: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    cpd_needs: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
