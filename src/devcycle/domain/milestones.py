"""Milestones: the dated points of a cycle (planning meeting, check-ins, reviews)."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from devcycle.domain._validate import (
    identifier,
    member_of,
    minutes,
    optional_planned_date,
    plain_text,
    planned_date,
    text,
)

__all__ = ["Basis", "Milestone", "MilestoneKind"]


class MilestoneKind(enum.StrEnum):
    """What happens at a milestone."""

    PLANNING = "planning"
    CHECK_IN = "check_in"
    MID_YEAR = "mid_year"
    FINAL = "final"
    PROGRESS_REVIEW = "progress_review"
    FORMAL_ASSESSMENT = "formal_assessment"
    OBSERVATION = "observation"
    SIGN_OFF = "sign_off"
    OTHER = "other"


def _to_milestone_kind(value: MilestoneKind | str) -> MilestoneKind:
    return member_of(MilestoneKind, "kind", value)


class Basis(enum.StrEnum):
    """Why a milestone sits where it does."""

    STATUTORY = "statutory"
    FORMER_STATUTORY = "former_statutory"
    GUIDANCE = "guidance"
    COMMON_PRACTICE = "common_practice"
    SCHOOL_POLICY = "school_policy"


def _to_basis(value: Basis | str) -> Basis:
    return member_of(Basis, "basis", value)


@attrs.frozen
class Milestone:
    """One dated milestone in a cycle.

    Attributes:
        id: Unique within the cycle ("planning", "check-in-2").
        title: What people call it.
        kind: What happens.
        due: The day it falls due (a school day, when scheduled from a calendar), from
            2000 to 2099 (`FIRST_PLANNED` to `LAST_PLANNED`: 1900 is a typing slip).
        owner_role: Who leads it ("reviewer", "governors_panel").
        minutes: Expected duration, for the time budget.
        basis: Statutory, former statutory, guidance, common practice or school policy.
        completed_on: When it happened, once it has (from 2000 to 2099 as *due*).
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    kind: MilestoneKind = attrs.field(converter=_to_milestone_kind)
    due: date = attrs.field(validator=planned_date)
    owner_role: str = attrs.field(default="reviewer", validator=plain_text)
    minutes: int | None = attrs.field(default=None, validator=minutes)
    basis: Basis = attrs.field(default=Basis.COMMON_PRACTICE, converter=_to_basis)
    completed_on: date | None = attrs.field(default=None, validator=optional_planned_date)

    def is_overdue(self, as_of: date) -> bool:
        """Return whether the milestone is past due and not completed, as of *as_of*."""
        return self.completed_on is None and self.due < as_of
