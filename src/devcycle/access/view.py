"""Confidentiality in one place: what of a cycle an actor sees, and what a change wrote.

`redact` returns a copy of a cycle holding only the fields a role may read (confidential
notes only for their audiences, pay only where the school keeps it); `view_for` checks the
actor may read the record at all and redacts it. Proformas, services, exports and API
responses all read cycles through these, so that confidentiality is decided here alone.
`check_change` compares a cycle before and after an actor's change and refuses anything
the policy does not let them do, or anything the methods called did not do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeVar

import attrs

from devcycle._words import a_or_an
from devcycle.access.actor import Actor
from devcycle.access.decide import require, role_of
from devcycle.access.policy import ALL, CYCLE_ACTIONS, FIELDS, AccessPolicy, RolePolicy
from devcycle.domain import (
    CPDActivity,
    Cycle,
    ReviewMeeting,
    Role,
    School,
    StaffMember,
)
from devcycle.domain._validate import slot_setter
from devcycle.domain.cycle import Call, replay_calls
from devcycle.errors import AccessDenied, DomainError

__all__ = [
    "CONFIDENTIAL_FIELDS",
    "REPORT_READER",
    "WITHHELD",
    "check_change",
    "check_school_change",
    "confidential_fields",
    "fields_written",
    "granting_roles",
    "pay_kept",
    "redact",
    "report_view",
    "reports_individual",
    "view_for",
]

T = TypeVar("T")

CONFIDENTIAL_FIELDS = (
    "conversation.wellbeing",
    "conversation.workload",
    "conversation.career",
    "private_notes",
    "pay_recommendation",
)
"""The fields whose every read is worth an audit entry."""

_CONVERSATION = ("wellbeing", "workload", "career")

REPORT_READER = RolePolicy(
    name="report",
    description="What reports read: every field but the confidential ones.",
    read=frozenset(f for f in FIELDS if f not in CONFIDENTIAL_FIELDS),
)
"""The reader reports see cycles as: no conversation, no private note, no pay, ever."""


WITHHELD = "[withheld]"
"""What a report shows in place of a text its reader may not read (the record still counts)."""

_REPORTED_CONTENT = ("objectives", "evidence", "observations", "reviews")
"""The fields whose records reports count for every reader, and quote only to their readers."""

_FREE_TEXT = frozenset({
    "statement", "rationale", "text", "evidence_sources", "support", "note", "what",
    "with_whom", "reasons", "disagreement", "impact", "learning", "reviewee_comment",
    "description", "uri", "tags", "focus", "strengths", "next_steps", "cpd_needs", "notes",
    "reviewee_reflection", "reviewer_reflection", "development_needs", "detail",
})  # fmt: skip
"""The attribute names holding free text in objectives, evidence, observations and reviews."""


def reports_individual(role: RolePolicy) -> bool:
    """Return whether reports run for *role* list individual objectives (whose, what).

    A role that may read objectives sees them named in every report; any other role sees
    counts only (the priorities report's objectives, every quoted text withheld).
    """
    return role.may_read("objectives")


def _withhold(value: Any) -> Any:
    """*value* with every free text in it replaced by `WITHHELD` (empty texts stay empty)."""
    if isinstance(value, tuple):
        return tuple(_withhold(v) for v in value)
    if not attrs.has(type(value)):
        return value
    changes: dict[str, Any] = {}
    for field in attrs.fields(type(value)):
        item = getattr(value, field.name)
        if field.name in _FREE_TEXT and isinstance(item, str):
            changes[field.name] = WITHHELD if item else item
        elif field.name in _FREE_TEXT and isinstance(item, tuple):
            changes[field.name] = tuple(WITHHELD if t else t for t in item)
        elif isinstance(item, tuple) or attrs.has(type(item)):
            changes[field.name] = _withhold(item)
    return attrs.evolve(value, **changes) if changes else value


def report_view(cycle: Cycle, role: RolePolicy) -> Cycle:
    """Return *cycle* as reports run for *role* read it: the one place reports are decided.

    Reports never read a confidential field (`REPORT_READER`: no conversation, private
    note or pay, whoever runs them). They count objectives, evidence, observations and
    meetings for every role allowed to run them, but quote their text (an objective's
    statement, a meeting's notes, a check-in...) only to a role that may read that field:
    for any other (the school office, a trust leader, an auditor) each text reads
    `WITHHELD`, and history entries quoting such a field lose their detail.
    """
    view = redact(cycle, REPORT_READER, pay=False)
    hidden = [name for name in _REPORTED_CONTENT if not role.may_read(name)]
    if not hidden:
        return view
    changes: dict[str, Any] = {name: _withhold(getattr(view, name)) for name in hidden}
    reader = attrs.evolve(REPORT_READER, read=REPORT_READER.read - set(hidden))
    changes["history"] = _redact_history(view, reader)
    return _copy(view, changes)


def pay_kept(cycle: Cycle, school: School | None = None) -> bool:
    """Return whether pay recommendations exist for *cycle*: the school's policy or the cycle's."""
    if school is not None and school.policy.pay_recommendations:
        return True
    return cycle.pay_recommendations


def _redact_review(review: ReviewMeeting, role: RolePolicy, pay: bool) -> ReviewMeeting:
    changes: dict[str, Any] = {}
    if not role.may_read("reviews"):
        changes.update(
            notes="",
            reviewee_reflection="",
            reviewer_reflection="",
            strengths=(),
            next_steps=(),
            agreed_actions=(),
            development_needs=(),
        )
    talk = review.conversation
    hidden = {
        part: ""
        for part in _CONVERSATION
        if getattr(talk, part) and not role.may_read(f"conversation.{part}")
    }
    if hidden:
        changes["conversation"] = attrs.evolve(talk, **hidden)
    notes = tuple(
        n for n in review.private_notes if role.may_read("private_notes") and role.sees(n.audiences)
    )
    if notes != review.private_notes:
        changes["private_notes"] = notes
    money = review.pay_recommendation
    if money is not None and not (
        pay and role.may_read("pay_recommendation") and role.sees(money.audiences)
    ):
        changes["pay_recommendation"] = None
    return attrs.evolve(review, **changes) if changes else review


_HISTORY_FIELDS = {
    "objective": "objectives",
    "evidence": "evidence",
    "observation": "observations",
    "review": "reviews",
    "milestone": "milestones",
}
"""A history entry's target kind -> the field its free-text detail comes from."""

_QUOTED_FIELDS: Final = frozenset(_HISTORY_FIELDS.values())


def _redact_history(cycle: Cycle, role: RolePolicy) -> tuple[Any, ...]:
    """The history, each entry's detail blanked where it quotes a field the role may not read."""
    if all(role.may_read(field) for field in _QUOTED_FIELDS):
        return cycle.history  # nothing to blank (issue 16: this ran on every change's view)
    entries = []
    for entry in cycle.history:
        field = _HISTORY_FIELDS.get(entry.target.partition(":")[0])
        if entry.detail and field is not None and not role.may_read(field):
            entry = attrs.evolve(entry, detail="")  # noqa: PLW2901 - the redacted entry
        entries.append(entry)
    return tuple(entries)


def redact(cycle: Cycle, role: RolePolicy, *, pay: bool | None = None) -> Cycle:
    """Return a copy of *cycle* with only what *role* may read; the outline always stays.

    Args:
        cycle: The cycle as stored.
        role: The reader's role.
        pay: Whether the school keeps pay recommendations (default: the cycle's own flag).
    """
    keeps_pay = cycle.pay_recommendations if pay is None else pay
    changes: dict[str, Any] = {}
    for name in ("milestones", "objectives", "evidence", "observations", "history"):
        if not role.may_read(name):
            changes[name] = ()
    if role.may_read("history"):
        changes["history"] = _redact_history(cycle, role)
    if role.may_read("reviews") or any(role.may_read(f) for f in CONFIDENTIAL_FIELDS):
        changes["reviews"] = tuple(_redact_review(r, role, keeps_pay) for r in cycle.reviews)
    else:
        changes["reviews"] = ()
    return _copy(cycle, changes)


_CYCLE_FIELDS = tuple((a.name, slot_setter(Cycle, a.name)) for a in attrs.fields(Cycle))
"""Each field of a cycle and its slot's own setter (a third quicker than ``object.__setattr__``)."""


def _copy(cycle: Cycle, changes: Mapping[str, Any]) -> Cycle:
    """A copy of *cycle* with *changes*, without validating again (issue 16, point 3).

    Redaction only empties collections and blanks text of a cycle that was valid when
    built, so the copy is valid too; `attrs.evolve` would re-run every validator and the
    cycle's whole-aggregate checks for each proforma. The version is kept.
    """
    view: Cycle = object.__new__(Cycle)
    for name, set_ in _CYCLE_FIELDS:
        set_(view, changes[name] if name in changes else getattr(cycle, name))
    return view


def view_for(
    policy: AccessPolicy,
    actor: Actor,
    obj: T,
    *,
    school: School | None = None,
    staff: Mapping[str, StaffMember] | None = None,
) -> T:
    """Return *obj* as *actor* may see it, for an API response or a document.

    A cycle is checked for ``read_cycle`` (with the tie its role needs) and redacted to the
    fields the role may read; a school, member of staff or CPD activity is checked for
    ``read_school`` and returned whole.

    Raises:
        AccessDenied: If the actor may not read *obj* at all.
        TypeError: For an object that is not one of those aggregates.
    """
    if isinstance(obj, Cycle):
        role = require(policy, actor, "read_cycle", cycle=obj, school=school, staff=staff)
        return redact(obj, role, pay=pay_kept(obj, school))  # type: ignore[return-value]
    if isinstance(obj, School):
        require(policy, actor, "read_school", school=obj)
        return obj
    if isinstance(obj, StaffMember | CPDActivity):
        require(policy, actor, "read_school", school=school, school_id=obj.school_id)
        return obj
    msg = (
        f"view_for: no view of {type(obj).__name__}; expected a Cycle, School, "
        "StaffMember or CPDActivity"
    )
    raise TypeError(msg)


def _blanked(obj: T, changes: Mapping[str, Any]) -> T:
    """A copy of the record *obj* with *changes*, for comparing only: nothing validated."""
    cls: Any = type(obj)
    copy: T = object.__new__(cls)
    for field in attrs.fields(cls):
        name = field.name
        object.__setattr__(copy, name, changes[name] if name in changes else getattr(obj, name))
    return copy


_NO_TALK: Final = {"wellbeing": "", "workload": "", "career": ""}


def _review_parts(review: ReviewMeeting | None) -> dict[str, Any]:
    if review is None:
        return {}
    shared = _blanked(
        review,
        {
            "conversation": _blanked(review.conversation, _NO_TALK),
            "private_notes": (),
            "pay_recommendation": None,
        },
    )
    parts: dict[str, Any] = {"reviews": shared}
    for part in _CONVERSATION:
        parts[f"conversation.{part}"] = getattr(review.conversation, part)
    parts["private_notes"] = review.private_notes
    parts["pay_recommendation"] = review.pay_recommendation
    return parts


def fields_written(before: Cycle, after: Cycle) -> set[str]:
    """Return the fields (`devcycle.access.FIELDS`) that differ between *before* and *after*."""
    written = {
        name
        for name in ("milestones", "objectives", "evidence", "observations")
        if getattr(before, name) != getattr(after, name)
    }
    old = {r.id: r for r in before.reviews}
    new = {r.id: r for r in after.reviews}
    for review_id in old.keys() | new.keys():
        if old.get(review_id) is new.get(review_id):
            continue  # the same record: nothing in it written
        a, b = _review_parts(old.get(review_id)), _review_parts(new.get(review_id))
        for key in FIELDS:
            if a.get(key) != b.get(key) and (a.get(key) or b.get(key)):
                written.add(key)
    return written


def confidential_fields(cycle: Cycle) -> tuple[str, ...]:
    """Return the confidential fields that hold something in *cycle* (a view, say)."""
    found = set()
    for review in cycle.reviews:
        for part in _CONVERSATION:
            if getattr(review.conversation, part):
                found.add(f"conversation.{part}")
        if review.private_notes:
            found.add("private_notes")
        if review.pay_recommendation is not None:
            found.add("pay_recommendation")
    return tuple(f for f in CONFIDENTIAL_FIELDS if f in found)


_OUTLINE = ("id", "school_id", "staff_id", "period_start", "period_end", "template_id")
_TRANSITIONS = frozenset(
    {"start_planning", "activate", "begin_final_review", "close", "end_on_leaving"}
)


def _check_replay(before: Cycle, after: Cycle, calls: list[Call]) -> None:
    """Refuse *after* unless it is what *calls* make of *before*."""
    names = ", ".join(dict.fromkeys(name for name, _args, _kwargs in calls)) or "none"
    try:
        replayed = replay_calls(before, calls)
    except DomainError as exc:
        msg = (
            f"cannot change cycle {before.id!r} except through its methods (the methods "
            f"called ({names}) do not give the cycle saved: {exc})"
        )
        raise AccessDenied(msg) from None
    if replayed == after:
        return
    changed = [
        f.name
        for f in attrs.fields(Cycle)
        if f.eq and getattr(replayed, f.name) != getattr(after, f.name)
    ]
    msg = (
        f"cannot change cycle {before.id!r} except through its methods ({', '.join(changed)} "
        f"changed otherwise than by the methods called: {names})"
    )
    raise AccessDenied(msg)


def check_change(
    policy: AccessPolicy,
    actor: Actor,
    before: Cycle,
    after: Cycle,
    *,
    calls: Iterable[Call] | None = None,
) -> None:
    """Refuse a change to a cycle the policy does not let *actor* make.

    With *calls* (the methods called on the cycle, from `devcycle.domain.cycle.recording_calls`),
    *after* must be exactly what those calls make of *before*: a field set behind the
    methods' back (``object.__setattr__`` after a legitimate call) is refused like a change
    made with no method at all. `devcycle.Services` always passes them; without them only
    the history is checked.

    The change must be told by the cycle's own history: every new entry made by the actor
    (or by anyone, for a role that records on others' behalf) and an action their role may
    take; the history before it left as it was; the outline
    (id, school, reviewee, period, template, pay flag) unchanged; the reviewer changed only
    by ``assign_reviewer`` and the status only by a transition; and every field written
    one the role may write. Checking the actor's tie to the cycle is the caller's part
    (`require` on the cycle as it was loaded).

    Raises:
        AccessDenied: Naming the first thing refused.
    """
    role = role_of(policy, actor)
    who = f"{actor}"
    if calls is not None:
        _check_replay(before, after, list(calls))
    for name in (*_OUTLINE, "pay_recommendations"):
        if getattr(before, name) != getattr(after, name):
            msg = f"cannot change {name} of cycle {before.id!r}: {who} may not re-label a cycle"
            raise AccessDenied(msg)
    old = before.history
    if after.history[: len(old)] != old:
        msg = f"cannot rewrite the history of cycle {before.id!r}: it is append-only"
        raise AccessDenied(msg)
    new = after.history[len(old) :]
    actions = {entry.action for entry in new}
    for entry in new:
        if entry.by != actor.user_id and not role.on_behalf:
            msg = (
                f"cannot {entry.action} on cycle {before.id!r} in the name of {entry.by!r}: "
                f"{who} acts only as themself"
            )
            raise AccessDenied(msg)
        if entry.action not in CYCLE_ACTIONS or not role.may(entry.action):
            msg = (
                f"cannot {entry.action} on cycle {before.id!r}: the policy does not let "
                f"{a_or_an(role.name)} do that ({who})"
            )
            raise AccessDenied(msg)
    if (
        after.reviewer_id == actor.user_id
        and before.reviewer_id != after.reviewer_id
        and not _unbounded(role)
    ):
        msg = (
            f"cannot make {actor.user_id!r} the reviewer of cycle {before.id!r}: nobody but "
            f"the system assigns themself as someone's reviewer ({who})"
        )
        raise AccessDenied(msg)
    if before.reviewer_id != after.reviewer_id and "assign_reviewer" not in actions:
        msg = f"cannot change the reviewer of cycle {before.id!r} except by assign_reviewer"
        raise AccessDenied(msg)
    if before.status != after.status and not actions & _TRANSITIONS:
        msg = f"cannot change the status of cycle {before.id!r} except by its transitions"
        raise AccessDenied(msg)
    written = fields_written(before, after)
    if (written or before.status != after.status or before.reviewer_id != after.reviewer_id) and (
        not new
    ):
        msg = f"cannot change cycle {before.id!r} except through its methods (nothing was logged)"
        raise AccessDenied(msg)
    refused = sorted(f for f in written if not role.may_write(f))
    if refused:
        msg = (
            f"cannot write {', '.join(refused)} on cycle {before.id!r}: the policy does not "
            f"let {a_or_an(role.name)} write that ({who})"
        )
        raise AccessDenied(msg)


def _unbounded(role: RolePolicy) -> bool:
    """Whether *role* may take every action (the system, by default)."""
    return ALL in role.actions


def granting_roles(policy: AccessPolicy) -> frozenset[str]:
    """The staff roles that carry access: any a policy role requires, and every leading role.

    A policy role needing a staff role (the headteacher's) trusts whoever holds it; a
    leading role (middle or senior leader, headteacher) reviews others. Giving one needs
    ``grant_role``.
    """
    required = {name for role in policy.roles.values() for name in role.staff_roles}
    return frozenset(required | {r.value for r in Role if r.leads})


def check_school_change(
    policy: AccessPolicy,
    actor: Actor,
    before: School | None,
    after: School,
    *,
    stored: Mapping[str, StaffMember],
    members: Iterable[StaffMember],
    staff: Mapping[str, StaffMember] | None = None,
) -> None:
    """Refuse a change to a school or its staff that gives power the actor may not give.

    Moving the school to another trust, or changing its appraisal policy, needs
    ``govern_school``. Giving a member of staff (new or stored) a staff role that carries
    access (`granting_roles`) needs ``grant_role``, and nobody but the system gives one to
    themself. Taking such a role away from someone else needs ``grant_role`` too (giving
    up one's own does not). Nobody but the system makes themself a member's reviewer or
    line manager. Plain ``write_school`` and ``write_staff`` are the caller's to check.

    Args:
        policy: The access policy.
        actor: Who saves.
        before: The school as stored (None for a new one).
        after: The school being saved.
        stored: The school's staff as stored, by id.
        members: The members being saved.
        staff: The staff to check the actor's standing against (stored and new).

    Raises:
        AccessDenied: Naming the member or the school's field and the right needed.
    """
    role = role_of(policy, actor)
    who = f"{actor}"
    people = staff if staff is not None else stored
    # authority is where the school is now: a school moved to another trust is judged in
    # the trust it is leaving, so nobody pulls another trust's school into their own
    where = before if before is not None else after
    if before is not None:
        for name in ("trust_id", "policy"):
            if getattr(before, name) != getattr(after, name):
                require(policy, actor, "govern_school", school=where, staff=people)
    granting = granting_roles(policy)
    for member in members:
        old = stored.get(member.id)
        gained = {r.value for r in member.roles} - {r.value for r in (old.roles if old else ())}
        given = sorted(gained & granting)
        if given:
            try:
                require(policy, actor, "grant_role", school=where, staff=people)
            except AccessDenied as denied:
                msg = f"cannot give {member.id!r} the role {', '.join(given)}: {denied}"
                raise AccessDenied(msg, field="roles") from None
            if member.id == actor.user_id and not _unbounded(role):
                msg = (
                    f"cannot give {member.id!r} the role {', '.join(given)}: nobody gives "
                    f"themself a role ({who})"
                )
                raise AccessDenied(msg, field="roles")
        # taking away a role that carries access is as much the headteacher's call as
        # giving one (the office does not demote the headteacher); giving up one's own
        # is no gain of power, so write_staff (the caller's) is enough for that
        lost = {r.value for r in (old.roles if old else ())} - {r.value for r in member.roles}
        taken = sorted(lost & granting)
        if taken and member.id != actor.user_id:
            try:
                require(policy, actor, "grant_role", school=where, staff=people)
            except AccessDenied as denied:
                msg = f"cannot take the role {', '.join(taken)} from {member.id!r}: {denied}"
                raise AccessDenied(msg, field="roles") from None
        if _unbounded(role):
            continue
        for name, label in (("reviewer_id", "reviewer"), ("line_manager_id", "line manager")):
            now = getattr(member, name)
            if now == actor.user_id and now != (getattr(old, name) if old else None):
                msg = (
                    f"cannot make {actor.user_id!r} the {label} of {member.id!r}: nobody but "
                    f"the system makes themself someone's {label} ({who})"
                )
                raise AccessDenied(msg, field=name)
