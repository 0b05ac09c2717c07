"""The names schools and colleges give roles, mapped to devcycle's `Role`.

Job titles vary: a further-education college has lecturers, an academy a principal and vice
principals, a primary school a phase leader and an HLTA. Files written by people (objective
lists, rosters) use those names, so readers accept them and map each to the `Role` whose
expectations fit it (a lecturer teaches: `Role.TEACHER`). Anything else is an error that
lists the roles and, where one is close, suggests it.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Final

from devcycle.domain.people import Role

__all__ = ["ROLE_ALIASES", "close_role_names", "role_from_text"]

ROLE_ALIASES: Final[Mapping[str, Role]] = {
    **dict.fromkeys(
        (
            "lecturer",
            "fe_lecturer",
            "tutor",
            "instructor",
            "class_teacher",
            "classroom_teacher",
            "subject_teacher",
        ),
        Role.TEACHER,
    ),
    **dict.fromkeys(
        ("head", "head_teacher", "principal", "executive_headteacher", "head_of_school"),
        Role.HEADTEACHER,
    ),
    **dict.fromkeys(
        (
            "deputy_head",
            "deputy_headteacher",
            "assistant_head",
            "assistant_headteacher",
            "vice_principal",
            "deputy_principal",
            "assistant_principal",
            "senior_leadership",
        ),
        Role.SENIOR_LEADER,
    ),
    **dict.fromkeys(
        (
            "head_of_department",
            "hod",
            "subject_leader",
            "head_of_year",
            "phase_leader",
            "key_stage_leader",
            "curriculum_leader",
            "senco",
        ),
        Role.MIDDLE_LEADER,
    ),
    **dict.fromkeys(
        ("ect", "nqt", "newly_qualified_teacher", "beginning_teacher"),
        Role.EARLY_CAREER_TEACHER,
    ),
    **dict.fromkeys(
        ("trainee", "student_teacher", "pgce_student", "itt_trainee"), Role.TRAINEE_TEACHER
    ),
    **dict.fromkeys(
        (
            "ta",
            "hlta",
            "lsa",
            "learning_support_assistant",
            "higher_level_teaching_assistant",
            "classroom_assistant",
        ),
        Role.TEACHING_ASSISTANT,
    ),
    **dict.fromkeys(
        (
            "support",
            "admin",
            "administrator",
            "office_staff",
            "business_manager",
            "site_manager",
            "caretaker",
            "librarian",
            "technician",
        ),
        Role.SUPPORT_STAFF,
    ),
}
"""Other names for roles (lower case, words joined by ``_``) -> the `Role` they map to."""


def _key(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


def role_from_text(text: str) -> Role | None:
    """Return the role *text* names (a `Role` value or a known other name), or None."""
    key = _key(text)
    try:
        return Role(key)
    except ValueError:
        return ROLE_ALIASES.get(key)


def close_role_names(text: str) -> list[str]:
    """Role names close to *text*, for a "did you mean" hint."""
    names = [r.value for r in Role] + list(ROLE_ALIASES)
    return difflib.get_close_matches(_key(text), names, n=2, cutoff=0.75)
