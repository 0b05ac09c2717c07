"""Who reviews whom: open cycles reviewed by someone, and open cycles that need a reviewer.

Shared by ``devcycle school show`` (its "Open cycles needing a reviewer"), ``devcycle person
leave`` (the warning about the cycles a leaver reviews) and ``devcycle person reassign``.
A cycle is open until it is closed. Whether its reviewer is missing is the domain's rule
(`devcycle.domain.missing_reviewer`), which the health and compliance reports apply too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from devcycle.domain import Cycle, StaffMember, governors_review, missing_reviewer

__all__ = [
    "missing_reviewer",
    "needing_reviewer",
    "reassign_hint",
    "reviewed_by",
    "reviewer_hints",
    "who",
]


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


def reviewer_hints(
    school_id: str, needing: Sequence[tuple[Cycle, str]], staff: Mapping[str, StaffMember]
) -> list[str]:
    """For the cycles that need a reviewer (`needing_reviewer`), a command that works for each.

    A cycle whose reviewer has left (or is not on the staff) moves from that reviewer
    (`reassign_hint`); a cycle with no reviewer is named, with no PERSON; a headteacher's
    takes the governor who appraises them (`governors_review`), who need not be on the staff.

    Returns:
        ``(give them a reviewer with: ...)`` lines, one for each case present.
    """
    gone = sorted({c.reviewer_id for c, _ in needing if c.reviewer_id is not None})
    lines = [f"give them a reviewer with: {reassign_hint(school_id, gone)}"] if gone else []
    nobody = [c for c, _ in needing if c.reviewer_id is None]
    heads = [c for c in nobody if governors_review(staff.get(c.staff_id))]
    others = [c for c in nobody if c not in heads]
    if others:
        named = others[0].id if len(others) == 1 else "CYCLE"
        lines.append(
            f"give {'it' if len(others) == 1 else 'each'} its first reviewer with: devcycle "
            f"person reassign --school {school_id} --cycle {named} --to NEW_ID"
        )
    lines += [
        f"record the governor who appraises {who(head.staff_id, staff)} with: devcycle "
        f"person reassign --school {school_id} --cycle {head.id} --to GOVERNOR_ID"
        for head in heads
    ]
    return lines
