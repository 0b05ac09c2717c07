"""People: staff members, their roles and the teams they belong to."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable
from datetime import date

import attrs

from devcycle.domain._validate import (
    identifier,
    identifiers,
    invalid,
    optional_date,
    optional_identifier,
    optional_plain_text,
    text,
    to_float,
    to_frozenset,
    to_tuple,
)

__all__ = ["Role", "StaffMember", "Team"]


class Role(enum.StrEnum):
    """The role a member of staff holds; a person may hold several."""

    TEACHER = "teacher"
    EARLY_CAREER_TEACHER = "early_career_teacher"
    TRAINEE_TEACHER = "trainee_teacher"
    MIDDLE_LEADER = "middle_leader"
    SENIOR_LEADER = "senior_leader"
    HEADTEACHER = "headteacher"
    TEACHING_ASSISTANT = "teaching_assistant"
    SUPPORT_STAFF = "support_staff"
    OTHER = "other"

    @property
    def teaches(self) -> bool:
        """Whether the role is a teaching role judged against the Teachers' Standards."""
        return self in _TEACHING_ROLES

    @property
    def leads(self) -> bool:
        """Whether the role leads other staff (and so may review them)."""
        return self in _LEADING_ROLES


_TEACHING_ROLES = frozenset(
    {
        Role.TEACHER,
        Role.EARLY_CAREER_TEACHER,
        Role.TRAINEE_TEACHER,
        Role.MIDDLE_LEADER,
        Role.SENIOR_LEADER,
        Role.HEADTEACHER,
    }
)
_LEADING_ROLES = frozenset({Role.MIDDLE_LEADER, Role.SENIOR_LEADER, Role.HEADTEACHER})


def _fte(_inst: object, _attribute: attrs.Attribute[float], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        msg = f"'fte' must be a number above 0 and at most 1, e.g. 0.6 (got {value!r})"
        invalid("fte", msg, value=value, expected="a number above 0 and at most 1")


def _to_roles(value: Iterable[Role | str]) -> frozenset[Role]:
    roles: set[Role] = set()
    for role in to_frozenset(value, "roles"):
        try:
            roles.add(Role(role))
        except (ValueError, TypeError):
            allowed = ", ".join(r.value for r in Role)
            msg = f"'roles' must hold roles from: {allowed} (got {role!r})"
            invalid("roles", msg, value=role, expected=f"roles from: {allowed}")
    return frozenset(roles)


def _roles(
    _inst: object, _attribute: attrs.Attribute[frozenset[Role]], value: frozenset[Role]
) -> None:
    if not value:
        msg = "'roles' must name at least one role"
        invalid("roles", msg, value=value, expected="at least one role")


@attrs.frozen
class Team:
    """A team or department within a school (English, Early Years, Site team...).

    Attributes:
        id: The caller's id for the team, unique within the school.
        name: The team's name as staff know it.
        leader_id: The staff id of the team leader, if there is one.
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    leader_id: str | None = attrs.field(default=None, validator=optional_identifier)


def _same(field: str, first: object, second: object) -> bool:
    if field == "team_ids" and isinstance(first, tuple) and isinstance(second, tuple):
        return sorted(first) == sorted(second)
    return first == second


@attrs.frozen
class StaffMember:
    """A member of staff at one school.

    Attributes:
        id: The id in the caller's system (an MIS staff code, say).
        name: The person's name as it should appear on documents.
        school_id: The school that employs them.
        roles: One or more roles.
        fte: Full-time equivalent, above 0 and at most 1 (0.6 for three days a week).
        team_ids: Teams the person belongs to.
        reviewer_id: The staff id of their reviewer (appraiser), if set.
        line_manager_id: The staff id of their line manager, if different from the reviewer.
        start_date: When they joined the school, for mid-cycle joiners.
        email: A contact address, for calendar invitations.
        leaving_date: Their last day at the school, once they leave (or are due to): the
            day retention rules counting from the end of employment count from, while the
            record is kept (`devcycle.privacy.retention_plan`).
        version: Set by the store for optimistic concurrency; leave at 0.

    Example:
        >>> StaffMember(id="T042", name="Anna Patel", school_id="stm", roles={Role.TEACHER})
        StaffMember(id='T042', ...)
    """

    id: str = attrs.field(validator=identifier)
    name: str = attrs.field(validator=text)
    school_id: str = attrs.field(validator=identifier)
    roles: frozenset[Role] = attrs.field(converter=_to_roles, validator=_roles)
    fte: float = attrs.field(default=1.0, converter=to_float, validator=_fte)
    team_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=identifiers)
    reviewer_id: str | None = attrs.field(default=None, validator=optional_identifier)
    line_manager_id: str | None = attrs.field(default=None, validator=optional_identifier)
    start_date: date | None = attrs.field(default=None, validator=optional_date)
    email: str | None = attrs.field(default=None, validator=optional_plain_text)
    leaving_date: date | None = attrs.field(default=None, validator=optional_date)
    version: int = attrs.field(default=0, eq=False)

    def has_role(self, role: Role) -> bool:
        """Return whether the person holds *role*."""
        return role in self.roles

    def changed_fields(
        self, other: StaffMember, fields: Collection[str] | None = None
    ) -> tuple[str, ...]:
        """The fields (of *fields*, default all but the version) whose meaning *other* changes.

        The one comparison of two records of a person, for every feed (a roster, an MIS
        sync) and its guards: teams are compared as a set, as their order means nothing
        (``ks2;ks1`` is ``ks1;ks2``).

        Example:
            >>> old = StaffMember(id="T1", name="Ann", school_id="oak", roles={"teacher"},
            ...                   team_ids=["ks1", "ks2"])
            >>> old.changed_fields(attrs.evolve(old, team_ids=["ks2", "ks1"], fte=0.5))
            ('fte',)
        """
        return tuple(
            field.name
            for field in attrs.fields(StaffMember)
            if field.eq
            and (fields is None or field.name in fields)
            and not _same(field.name, getattr(self, field.name), getattr(other, field.name))
        )

    def has_left(self, on: date) -> bool:
        """Return whether they have left the school by *on*: their last day was before it.

        Someone due to leave is still on the staff up to and including their
        ``leaving_date``.

        Example:
            >>> member = StaffMember(id="T1", name="Ann", school_id="oak", roles={"teacher"},
            ...                      leaving_date=date(2026, 12, 18))
            >>> member.has_left(date(2026, 12, 18)), member.has_left(date(2026, 12, 19))
            (False, True)
        """
        return self.leaving_date is not None and self.leaving_date < on

    @property
    def primary_role(self) -> Role:
        """The most senior role held, for choosing a template or a rule's expectations."""
        for role in _SENIORITY:
            if role in self.roles:
                return role
        return Role.OTHER


_SENIORITY = (
    Role.HEADTEACHER,
    Role.SENIOR_LEADER,
    Role.MIDDLE_LEADER,
    Role.EARLY_CAREER_TEACHER,
    Role.TRAINEE_TEACHER,
    Role.TEACHER,
    Role.TEACHING_ASSISTANT,
    Role.SUPPORT_STAFF,
    Role.OTHER,
)
