"""``devcycle access``: show the access policy, and check what an actor may do.

Usage::

    devcycle access show                          # every role: scope, actions, fields
    devcycle access show --role reviewee --format toml
    devcycle access check read_cycle --as reviewee --user T006 --school stm --cycle 2026-T006
    devcycle access check --read pay_recommendation --as headteacher --user H001 --school stm
    devcycle access check --all --as reviewer --user H001 --school stm --person T006

``check`` exits 0 when the policy allows it and 1 when it does not, printing the reason
either way; with ``--cycle`` (or ``--person``) it checks against that record in the store,
so ties such as "is this person the cycle's reviewer" are checked as services check them.
With ``--school`` the store is opened to look up the school and its staff (a claimed
headteacher must be one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from devcycle._words import a_or_an
from devcycle.access import (
    ACTIONS,
    FIELDS,
    AccessPolicy,
    Actor,
    RolePolicy,
    decide,
    pay_kept,
    role_of,
)
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._safe import echo, json_text
from devcycle.cli._store import open_cli_store, store_option
from devcycle.domain import Cycle, School, StaffMember
from devcycle.errors import NotFoundError

__all__ = ["access"]


@click.group()
def access() -> None:
    """Show the access policy, and check what an actor may do or see."""


def _names(items: frozenset[Any], universe: tuple[str, ...]) -> str:
    if "*" in items:
        return "everything"
    chosen = [i for i in universe if i in items]
    return ", ".join(chosen) or "nothing"


def _text(policy: AccessPolicy, roles: list[RolePolicy]) -> str:
    lines = [f"Access policy: {policy.name}", f"From: {', '.join(policy.sources)}", ""]
    for role in roles:
        audience = role.audience or "none"
        lines += [
            f"{role.name}: {role.description}",
            f"  scope: {role.scope}; tie to a cycle: {role.relation}; reads as: {audience}",
        ]
        if role.staff_roles:
            lines.append(f"  must hold staff role: {', '.join(sorted(role.staff_roles))}")
        if role.prepare_for:
            lines.append(
                f"  prepares copies for: {', '.join(sorted(a.value for a in role.prepare_for))}"
            )
        if role.on_behalf:
            lines.append("  may record actions in others' names (imports)")
        lines += [
            f"  actions: {_names(role.actions, ACTIONS)}",
            f"  reads: {_names(role.read, FIELDS)}",
            f"  writes: {_names(role.write, FIELDS)}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


@access.command()
@click.option(
    "--policy",
    "policy_files",
    multiple=True,
    envvar="DEVCYCLE_POLICY",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A school's or vendor's access policy file, merged over the default.",
)
@click.option("--role", "role_names", multiple=True, metavar="ROLE", help="Only these roles.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "toml"]),
    default="text",
    show_default=True,
    help="Output format; toml is the policy file format itself.",
)
def show(policy_files: tuple[Path, ...], role_names: tuple[str, ...], fmt: str) -> int:
    """Show the policy in force: every role's scope, actions and fields."""
    policy = policy_from(policy_files)
    roles = [policy.role(n) for n in role_names] if role_names else list(policy.roles.values())
    data = policy.to_dict()
    data["roles"] = {r.name: r.to_dict() for r in roles}
    if fmt == "json":
        echo(json_text(data, indent=2), raw=True)
    elif fmt == "toml":
        import tomli_w  # noqa: PLC0415 - the cli extra ships it

        echo(tomli_w.dumps(data), nl=False, raw=True)
    else:
        echo(_text(policy, roles), nl=False)
    return 0


def _cycle(
    opened: Any, school_id: str, cycle_id: str | None, person_id: str | None
) -> Cycle | None:
    if cycle_id is not None:
        cycle: Cycle = opened.cycles.get(school_id, cycle_id)
        return cycle
    if person_id is not None:
        cycles = sorted(opened.cycles.for_staff(school_id, person_id), key=lambda c: c.period_start)
        if not cycles:
            raise NotFoundError(f"cycle of {person_id!r} in school", school_id)
        latest: Cycle = cycles[-1]
        return latest
    return None


def _answer(
    policy: AccessPolicy,
    actor: Actor,
    question: tuple[str, str],
    *,
    cycle: Cycle | None,
    school: School | None,
    school_id: str | None,
    staff: dict[str, StaffMember],
    trust_id: str | None = None,
) -> tuple[bool, str]:
    """Answer one question: ("action", name), ("read", field) or ("write", field)."""
    kind, name = question
    asked = name if kind == "action" else "read_cycle" if cycle is not None else ""
    decision = decide(
        policy,
        actor,
        asked,
        cycle=cycle,
        school=school,
        school_id=school_id,
        staff=staff,
        trust_id=trust_id,
    )
    if kind == "action" or not decision.allowed:
        return decision.allowed, decision.reason
    role = policy.role(actor.role)
    may = role.may_read(name) if kind == "read" else role.may_write(name)
    if not may:
        return False, f"{actor}: the policy does not let {a_or_an(role.name)} {kind} {name}"
    if name == "pay_recommendation" and cycle is not None and not pay_kept(cycle, school):
        return False, f"{actor}: the school's policy keeps no pay recommendation"
    return True, f"{actor}: {a_or_an(role.name)} may {kind} {name}"


@access.command()
@store_option
@click.argument("action", required=False, type=click.Choice(list(ACTIONS)))
@click.option("--read", "read_field", type=click.Choice(list(FIELDS)), help="May they read this?")
@click.option(
    "--write", "write_field", type=click.Choice(list(FIELDS)), help="May they write this?"
)
@click.option(
    "--all", "everything", is_flag=True, help="Answer for every action and field, one a line."
)
@click.option("--school", "school_id", metavar="ID", help="The school of the record asked about.")
@click.option(
    "--trust",
    "trust_id",
    metavar="ID",
    help="The trust asked about, for an action on a trust itself (write_trust); not with --school.",
)
@click.option(
    "--actor-school",
    "actor_school",
    metavar="ID",
    help="The school the actor acts in, if not --school (an administrator of another school).",
)
@click.option("--cycle", "cycle_id", metavar="ID", help="Check against this cycle in the store.")
@click.option("--person", "person_id", metavar="ID", help="Check against this person's cycle.")
@actor_options
def check(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    action: str | None,
    read_field: str | None,
    write_field: str | None,
    everything: bool,
    school_id: str | None,
    trust_id: str | None,
    actor_school: str | None,
    cycle_id: str | None,
    person_id: str | None,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Say whether an actor may take ACTION, or read or write a field; exit 1 if not.

    With --all, print every action and field as "allowed" or "denied" and exit 0.
    """
    asked = [action is not None, read_field is not None, write_field is not None, everything]
    if asked.count(True) != 1:
        msg = "give exactly one of ACTION, --read FIELD, --write FIELD or --all"
        raise click.UsageError(msg)
    if action == "write_trust" and trust_id is None and school_id is None:
        # judged with no trust, the answer was about no trust at all ("not in None")
        msg = "write_trust is an action on a trust: give --trust ID (the trust asked about)"
        raise click.UsageError(msg)
    if trust_id is not None and (school_id or cycle_id or person_id):
        # a school's trust is its own record's, never the caller's word (decide ignores a
        # trust given beside a school): refused rather than answered about the school
        msg = "--trust asks about a trust itself; give it without --school, --cycle or --person"
        raise click.UsageError(msg)
    policy = policy_from(policy_files)
    actor = actor_for(as_role, as_user, school=actor_school or school_id, trust=as_trust)
    role_of(policy, actor)  # an unknown role is an error naming the known ones
    school: School | None = None
    cycle: Cycle | None = None
    staff: dict[str, StaffMember] = {}
    if school_id is not None:
        with open_cli_store(store, readonly=True) as opened:
            try:
                school = opened.schools.get(school_id)
            except NotFoundError:
                if cycle_id or person_id:
                    raise
            staff = {m.id: m for m in opened.staff.for_school(school_id)}
            cycle = _cycle(opened, school_id, cycle_id, person_id)
    elif cycle_id or person_id:
        msg = "--cycle and --person need --school"
        raise click.UsageError(msg)
    questions: list[tuple[str, str]]
    if everything:
        questions = [("action", a) for a in ACTIONS]
        questions += [(kind, f) for kind in ("read", "write") for f in FIELDS]
    elif action is not None:
        questions = [("action", action)]
    else:
        questions = [("read", read_field) if read_field else ("write", str(write_field))]
    answers = [
        (
            q,
            *_answer(
                policy,
                actor,
                q,
                cycle=cycle,
                school=school,
                school_id=school_id,
                staff=staff,
                trust_id=trust_id,
            ),
        )
        for q in questions
    ]
    if everything:
        for (kind, name), allowed, _reason in answers:
            label = name if kind == "action" else f"{kind} {name}"
            echo(f"{'allowed' if allowed else 'denied'}  {label}")
        return 0
    (_question, allowed, reason) = answers[0]
    echo(f"{'allowed' if allowed else 'denied'}: {reason}")
    return 0 if allowed else 1
