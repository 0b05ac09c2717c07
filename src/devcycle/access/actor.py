"""The `Actor`: who is acting, as what, and where."""

from __future__ import annotations

from typing import Any

import attrs

from devcycle.domain._validate import identifier, invalid, optional_identifier

__all__ = ["SYSTEM", "Actor"]

SYSTEM = "system"
"""The role (and default user id) of devcycle itself: imports, exports, local scripts."""


def _role_name(_inst: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"'role' must be the name of a role in the access policy (got {value!r})"
        invalid("role", msg, value=value, expected="the name of a role, e.g. 'reviewee'")


@attrs.frozen
class Actor:
    """Who is acting, acting as what, in which school or trust.

    The embedder authenticates the person and maps them to an actor; devcycle checks every
    call against the access policy and the records themselves (a claimed reviewer must be
    the cycle's reviewer; a claimed headteacher must be a headteacher of the school).

    Attributes:
        user_id: The person's id: their staff id for staff, the embedder's id otherwise.
        role: The role they act as: a role of the access policy ("reviewee", "reviewer",
            "line_manager", "headteacher", "school_admin", "governor", "trust_leader",
            "auditor", "system").
        school_id: The school they act in (needed by school-scoped roles).
        trust_id: The trust they act in (needed by trust-scoped roles).

    Example:
        >>> Actor("T042", "reviewee", school_id="stm")
        Actor(user_id='T042', role='reviewee', school_id='stm', trust_id=None)
        >>> str(Actor("T042", "reviewee", school_id="stm"))
        'T042 as reviewee at school stm'
    """

    user_id: str = attrs.field(validator=identifier)
    role: str = attrs.field(validator=_role_name)
    school_id: str | None = attrs.field(default=None, validator=optional_identifier)
    trust_id: str | None = attrs.field(default=None, validator=optional_identifier)

    @classmethod
    def system(cls, user_id: str = SYSTEM) -> Actor:
        """Return the system actor (imports, exports, the embedder's own jobs)."""
        return cls(user_id, SYSTEM)

    def __str__(self) -> str:
        where = []
        if self.school_id is not None:
            where.append(f"school {self.school_id}")
        if self.trust_id is not None:
            where.append(f"trust {self.trust_id}")
        place = f" at {' in '.join(where)}" if where else ""
        return f"{self.user_id} as {self.role}{place}"
