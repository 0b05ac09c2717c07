"""Who reviews whom: open cycles reviewed by someone, and open cycles that need a reviewer.

Shared by ``devcycle school show`` (its "Open cycles needing a reviewer"), ``devcycle person
leave`` (the warning about the cycles a leaver reviews) and ``devcycle person reassign``.
A cycle is open until it is closed. Its reviewer is missing when none is set, when the
reviewer has left the school by the day asked about (`StaffMember.has_left`), or when the
reviewer is not on the school's staff at all (except a headteacher's, whom governors
review from outside the staff).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from devcycle.domain import Cycle, Role, StaffMember

__all__ = ["missing_reviewer", "needing_reviewer", "reassign_hint", "reviewed_by", "who"]


def who(person_id: str | None, staff: Mapping[str, StaffMember]) -> str:
    """``Tom Brennan (M004)`` for someone on the staff, else the id as it is."""
    if person_id is None:
        return "nobody"
    member = staff.get(person_id)
    return f"{member.name} ({person_id})" if member is not None else person_id


def reviewed_by(cycles: Iterable[Cycle], reviewer_id: str) -> list[Cycle]:
    """The open cycles *reviewer_id* reviews, by cycle id."""
    return sorted(
        (c for c in cycles if not c.is_closed and c.reviewer_id == reviewer_id),
        key=lambda c: c.id,
    )


def missing_reviewer(cycle: Cycle, staff: Mapping[str, StaffMember], on: date) -> str | None:
    """Why *cycle* needs a reviewer on *on* (None if it does not, or is closed)."""
    if cycle.is_closed:
        return None
    if cycle.reviewer_id is None:
        return "no reviewer"
    reviewer = staff.get(cycle.reviewer_id)
    if reviewer is None:
        reviewee = staff.get(cycle.staff_id)
        if reviewee is not None and reviewee.has_role(Role.HEADTEACHER):
            return None  # governors review the headteacher from outside the staff
        return f"reviewer {cycle.reviewer_id} is not on the staff"
    if reviewer.has_left(on):
        return f"reviewer {who(reviewer.id, staff)} left on {reviewer.leaving_date}"
    return None


def needing_reviewer(
    cycles: Iterable[Cycle], staff: Mapping[str, StaffMember], on: date
) -> list[tuple[Cycle, str]]:
    """The open cycles of people still on the staff on *on* that need a reviewer, and why.

    A leaver's own open cycle is left out: it needs closing, not a new reviewer.
    """
    found = []
    for cycle in sorted(cycles, key=lambda c: c.id):
        reviewee = staff.get(cycle.staff_id)
        if reviewee is not None and reviewee.has_left(on):
            continue
        why = missing_reviewer(cycle, staff, on)
        if why is not None:
            found.append((cycle, why))
    return found


def reassign_hint(school_id: str, reviewer_ids: Sequence[str]) -> str:
    """The command that moves the reviewees of *reviewer_ids* to a new reviewer."""
    if len(reviewer_ids) == 1:
        return f"devcycle person reassign {reviewer_ids[0]} --school {school_id} --to NEW_ID"
    return f"devcycle person reassign REVIEWER --school {school_id} --to NEW_ID"
