"""Whether an open cycle has a reviewer: the one rule the reports and the command line share.

A cycle is open until it is closed. Its reviewer is missing when none is set, when the
reviewer has left the school by the day asked about (`StaffMember.has_left`), or when the
reviewer is not on the school's staff at all (except a headteacher's, whom governors review
from outside the staff). Nobody can then agree its objectives or hold its reviews.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from devcycle.domain.cycle import Cycle
from devcycle.domain.people import Role, StaffMember

__all__ = ["governors_review", "missing_reviewer"]


def governors_review(member: StaffMember | None) -> bool:
    """Whether *member*'s reviewer may be someone not on the staff: a governor or trustee.

    The governing board (or the trust) appraises a headteacher, and governors are not on
    the school's staff. This is the one place that says so: the store's reference checks
    (`devcycle.storage.references`), a roster's reviewer check, reassigning a reviewer and
    `missing_reviewer` all ask it.
    """
    return member is not None and member.has_role(Role.HEADTEACHER)


def missing_reviewer(cycle: Cycle, staff: Mapping[str, StaffMember], on: date) -> str | None:
    """Return why *cycle* needs a reviewer on *on*, or None if it does not (or is closed).

    Args:
        cycle: The cycle.
        staff: Its school's staff by id, leavers included.
        on: The day asked about.

    Returns:
        ``"no reviewer"``, ``"reviewer Ben Bell (B) left on 2027-01-15"``, ``"reviewer X9 is
        not on the staff"``, or None.

    Example:
        >>> from datetime import date
        >>> cycle = Cycle(id="C1", school_id="oak", staff_id="T1", reviewer_id=None,
        ...               period_start=date(2026, 9, 1), period_end=date(2027, 8, 31))
        >>> missing_reviewer(cycle, {}, date(2027, 2, 1))
        'no reviewer'
    """
    if cycle.is_closed:
        return None
    if cycle.reviewer_id is None:
        return "no reviewer"
    reviewer = staff.get(cycle.reviewer_id)
    if reviewer is None:
        if governors_review(staff.get(cycle.staff_id)):
            return None  # governors review the headteacher from outside the staff
        return f"reviewer {cycle.reviewer_id} is not on the staff"
    if reviewer.has_left(on):
        return f"reviewer {reviewer.name} ({reviewer.id}) left on {reviewer.leaving_date}"
    return None
