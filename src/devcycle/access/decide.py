"""Deciding: may this actor take this action, on this cycle or school?

`decide` returns a `Decision` with the reason; `require` raises `AccessDenied` with it. Both
check, in order: that the policy knows the role; that the actor acts where the role's
authority lies (their school, their trust); that a role needing a staff role holds it; that
the role grants the action; and, for a cycle, the tie the role needs to it (its reviewee,
its reviewer, the reviewee's line manager).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from devcycle._words import a_or_an
from devcycle.access.actor import Actor
from devcycle.access.policy import AccessPolicy, RolePolicy
from devcycle.domain import Audience, Cycle, School, StaffMember
from devcycle.errors import AccessDenied, NotFoundError

__all__ = [
    "Decision",
    "decide",
    "proforma_audience",
    "require",
    "require_each",
    "role_for",
    "role_of",
]


@attrs.frozen
class Decision:
    """The answer to "may this actor do that?", with the reason either way.

    Attributes:
        allowed: Whether the policy allows it.
        reason: Why (or why not), in a sentence that reveals nothing the actor may not see.
    """

    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


_HINTS: Final = {
    "save_cycle": (
        " (save_cycle writes a whole cycle, for administrators and imports: take a step in a"
        " cycle, such as agreeing an objective, with Services.act)"
    ),
}
"""What to do instead, for actions a caller reaches for by mistake."""


def role_of(policy: AccessPolicy, actor: Actor) -> RolePolicy:
    """Return the policy's role for *actor*, or raise `AccessDenied` if it has none."""
    try:
        return policy.role(actor.role)
    except NotFoundError:
        known = ", ".join(sorted(policy.roles))
        msg = f"{actor}: the access policy has no role {actor.role!r} (roles: {known})"
        raise AccessDenied(msg) from None


def _in_scope(role: RolePolicy, actor: Actor, school_id: str | None, trust: str | None) -> str:
    """Return "" if the actor's authority covers the school (or trust), else the reason."""
    if role.scope == "any":
        return ""
    at_school = actor.school_id is not None and actor.school_id == school_id
    in_trust = actor.trust_id is not None and trust is not None and actor.trust_id == trust
    # a trust acted on as itself (no school) is named as a trust
    where = repr(school_id) if school_id is not None or trust is None else f"trust {trust!r}"
    if role.scope == "school" and not at_school:
        return f"{a_or_an(role.name)} acts only in their own school, not in {where}"
    if role.scope == "trust" and not in_trust:
        return f"{a_or_an(role.name)} acts only in their own trust's schools, not in {where}"
    if role.scope == "school_or_trust" and not (at_school or in_trust):
        return f"{a_or_an(role.name)} acts only in their own school or trust, not in {where}"
    if role.scope == "school_or_trust" and not in_trust and actor.trust_id is not None:
        # One who says they act for a trust acts in that trust's schools only: naming a
        # school of another trust (or of none) beside it is no way into that school.
        return (
            f"{a_or_an(role.name)} of trust {actor.trust_id!r} acts only in its schools, "
            f"not in {where}"
        )
    return ""


def _staff_role(
    role: RolePolicy, actor: Actor, school_id: str | None, staff: Mapping[str, StaffMember]
) -> str:
    if not role.staff_roles:
        return ""
    member = staff.get(actor.user_id)
    if member is None or member.school_id != school_id:
        return (
            f"{a_or_an(role.name)} must be a member of staff of the school; "
            f"{actor.user_id!r} is not"
        )
    if not {r.value for r in member.roles} & role.staff_roles:
        held = ", ".join(sorted(role.staff_roles))
        return f"{a_or_an(role.name)} must hold the staff role {held}; {actor.user_id!r} does not"
    return ""


def _relation(
    role: RolePolicy, actor: Actor, cycle: Cycle, staff: Mapping[str, StaffMember]
) -> str:
    if role.relation == "reviewee" and actor.user_id != cycle.staff_id:
        return f"a reviewee may act only on their own cycle; {cycle.id!r} is not theirs"
    if role.relation == "reviewer" and actor.user_id != cycle.reviewer_id:
        return f"a reviewer may act only on cycles they review; they do not review {cycle.id!r}"
    if role.relation == "line_manager":
        member = staff.get(cycle.staff_id)
        if member is None or member.line_manager_id != actor.user_id:
            return f"a line manager may act only for their own staff; {cycle.id!r} is not"
    return ""


def decide(
    policy: AccessPolicy,
    actor: Actor,
    action: str,
    *,
    cycle: Cycle | None = None,
    school: School | None = None,
    school_id: str | None = None,
    staff: Mapping[str, StaffMember] | None = None,
    trust_id: str | None = None,
) -> Decision:
    """Decide whether *actor* may take *action*, on *cycle* or in a school.

    Args:
        policy: The access policy.
        actor: Who is acting.
        action: One of `devcycle.access.ACTIONS`, or "" to check only the actor's standing
            (scope, staff role, tie to the cycle).
        cycle: The cycle acted on, if any.
        school: The school acted in (its trust decides trust-scoped roles).
        school_id: The school acted in, when neither *cycle* nor *school* says.
        staff: The school's staff by id (for line managers and roles needing a staff role).
        trust_id: The trust acted on, for an action on a trust itself (no school, no
            cycle): a trust-scoped role acts on their own trust only.

    Returns:
        The decision and its reason.
    """
    refused, role, target, trust = _refusal(
        policy,
        actor,
        action,
        cycle=cycle,
        school=school,
        school_id=school_id,
        staff=staff,
        trust_id=trust_id,
    )
    if refused or role is None:
        return Decision(allowed=False, reason=refused)
    where = (
        f"cycle {cycle.id!r}"
        if cycle is not None
        else f"trust {trust!r}"
        if target is None and trust is not None
        else f"school {target!r}"
    )
    return Decision(
        allowed=True, reason=f"{actor}: {a_or_an(role.name)} may {action or 'act'} on {where}"
    )


def _grant(role: RolePolicy, action: str) -> str:
    """Return "" if *role* may take *action* (or no action is named), else the reason."""
    if not action or role.may(action):
        return ""
    return f"the policy does not let {a_or_an(role.name)} {action}{_HINTS.get(action, '')}"


def _refusal(
    policy: AccessPolicy,
    actor: Actor,
    action: str,
    *,
    cycle: Cycle | None,
    school: School | None,
    school_id: str | None,
    staff: Mapping[str, StaffMember] | None,
    trust_id: str | None,
) -> tuple[str, RolePolicy | None, str | None, str | None]:
    """Why `decide` refuses (or ""), the actor's role, the school acted in and the trust.

    `require` needs no more: it words nothing when the answer is yes.
    """
    try:
        role = role_of(policy, actor)
    except AccessDenied as denied:
        return str(denied), None, None, None
    people = staff or {}
    target = cycle.school_id if cycle is not None else school.id if school else school_id
    if school is not None and target != school.id:
        return f"{actor}: the cycle is not in school {school.id!r}", role, target, None
    # a trust is acted on as itself only when no school or cycle is: a school's trust is
    # always its own record's, never the caller's word
    trust = school.trust_id if school is not None else trust_id if target is None else None
    for problem in (
        _in_scope(role, actor, target, trust),
        _staff_role(role, actor, target, people),
        _grant(role, action),
        _relation(role, actor, cycle, people) if cycle is not None else "",
    ):
        if problem:
            return f"{actor}: {problem}", role, target, trust
    return "", role, target, trust


def require(
    policy: AccessPolicy,
    actor: Actor,
    action: str,
    *,
    cycle: Cycle | None = None,
    school: School | None = None,
    school_id: str | None = None,
    staff: Mapping[str, StaffMember] | None = None,
    trust_id: str | None = None,
) -> RolePolicy:
    """Like `decide`, but raise `AccessDenied` unless allowed; return the actor's role."""
    refused, role, _target, _trust = _refusal(
        policy,
        actor,
        action,
        cycle=cycle,
        school=school,
        school_id=school_id,
        staff=staff,
        trust_id=trust_id,
    )
    if refused or role is None:
        raise AccessDenied(f"cannot {action or 'act on that'}: {refused}")
    return role


def require_each(
    policy: AccessPolicy,
    actor: Actor,
    actions: Iterable[str],
    *,
    cycle: Cycle | None = None,
    school: School | None = None,
    staff: Mapping[str, StaffMember] | None = None,
) -> RolePolicy:
    """`require` each of *actions* in turn (the same answers), the actor's standing found once.

    What does not depend on the action (the role, its scope, staff role and tie to *cycle*)
    is checked with the first; each other action is checked only for whether the role
    grants it.
    """
    role: RolePolicy | None = None
    for action in actions:
        if role is None:
            role = require(policy, actor, action, cycle=cycle, school=school, staff=staff)
            continue
        refused = _grant(role, action)
        if refused:
            raise AccessDenied(f"cannot {action}: {actor}: {refused}")
    return role if role is not None else role_of(policy, actor)


def role_for(
    policy: AccessPolicy,
    member: StaffMember,
    *,
    school: School | None = None,
    cycle: Cycle | None = None,
    staff: Mapping[str, StaffMember] | None = None,
) -> RolePolicy:
    """Return the role the stored records give *member*, on *cycle* or in their school.

    Never a role the records cannot back: a role with no record to check (the school
    office, a governor, a trust leader, the system) is never chosen. In order:

    1. on *cycle*, the tie the record gives: a role needing the reviewee's tie when the
       cycle is theirs, the reviewer's when its stored reviewer is them;
    2. a role needing a staff role their staff record holds (``headteacher``), in the
       policy's order, where it may act on *cycle*;
    3. on *cycle*, a role needing the line manager's tie when their record line-manages
       the cycle's reviewee;
    4. otherwise a member of staff acting for themself: the first role needing the
       reviewee's tie (``reviewee``), which is refused on anyone else's cycle.

    Every candidate is checked with `decide` (scope, staff role, tie), so the policy in
    force decides, and a school's own roles (a ``deputy`` needing the staff role
    ``senior_leader``) are chosen like the default's.

    Args:
        policy: The access policy.
        member: The member of staff, as stored (their school is where they act).
        school: Their school, as stored.
        cycle: The cycle acted on, as stored, if any (of *member*'s school).
        staff: The school's staff by id (for the line manager's tie and staff roles).

    Raises:
        AccessDenied: If the policy has no role for a member of staff at all.
    """
    # not copied: a lazily read staff (the services') is asked only for whom it needs
    people: Mapping[str, StaffMember] = staff if staff is not None else {member.id: member}
    held = {r.value for r in member.roles}

    def fits(role: RolePolicy) -> bool:
        actor = Actor(member.id, role.name, school_id=member.school_id)
        return decide(
            policy,
            actor,
            "",
            cycle=cycle,
            school=school,
            school_id=member.school_id,
            staff=people,
        ).allowed

    roles = list(policy.roles.values())
    tied = [r for r in roles if not r.staff_roles]
    candidates: list[RolePolicy] = []
    if cycle is not None:
        candidates += [r for r in tied if r.relation == "reviewee"]
        candidates += [r for r in tied if r.relation == "reviewer"]
    candidates += [r for r in roles if r.staff_roles & held]
    if cycle is not None:
        candidates += [r for r in tied if r.relation == "line_manager"]
    for role in candidates:
        if fits(role):
            return role
    for role in tied:
        if role.relation == "reviewee" and role.scope in ("school", "school_or_trust"):
            return role
    msg = (
        f"{member.id!r} of school {member.school_id!r}: the access policy has no role for a "
        'member of staff acting for themself (a role with relation = "reviewee")'
    )
    raise AccessDenied(msg)


def proforma_audience(
    policy: AccessPolicy, actor: Actor, requested: Audience | str | None = None
) -> Audience:
    """Return the audience a proforma for *actor* is prepared for.

    It is the actor's own audience; another one only if the role may prepare copies for it
    (a headteacher printing the reviewee's copy), and then the copy shows no more than
    both may see.

    Raises:
        AccessDenied: If the role has no audience of its own and none was asked for, or it
            may not prepare copies for the one asked for.
    """
    role = role_of(policy, actor)
    own = None if role.audience in (None, "*") else Audience(str(role.audience))
    if requested is None or requested == "":
        if own is None:
            may = ", ".join(sorted(a.value for a in role.prepare_for)) or "none"
            msg = (
                f"{actor}: {a_or_an(role.name)} has no proforma audience of its own; ask for "
                f"one it may prepare (allowed: {may})"
            )
            raise AccessDenied(msg)
        return own
    try:
        wanted = Audience(requested)
    except ValueError:
        known = ", ".join(a.value for a in Audience)
        msg = f"{actor}: unknown audience {requested!r} (expected one of {known})"
        raise AccessDenied(msg) from None
    if wanted == own or wanted in role.prepare_for:
        return wanted
    may = ", ".join(sorted({a.value for a in role.prepare_for} | ({own.value} if own else set())))
    msg = (
        f"{actor}: {a_or_an(role.name)} may not see or prepare the {wanted.value}'s copy "
        f"(allowed: {may or 'none'})"
    )
    raise AccessDenied(msg)
