"""``devcycle trust save | show | list``: the trust record, saved under the access policy.

Usage::

    devcycle school add north --name "North Primary" --trust rivers
    devcycle school add south --name "South Primary" --trust rivers
    devcycle trust save rivers --name "Two Rivers Trust" --school north --school south
    devcycle trust show rivers
    devcycle trust list

A school joins a trust by its own record (``devcycle school add ID --trust TRUST``, or the
MIS sync); that alone decides what a trust leader may see. The trust record gives the trust
its name and lists its schools for exports (``devcycle export --trust``) and reports, so
each school it lists must be stored and name the trust. Saving goes through
`devcycle.services.Services.save_trust`: it needs ``write_trust`` (a trust leader of that
trust, ``--as trust_leader --user L1 --trust-id rivers``, or the system) and the audit log
names the actor.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import click

from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._named import named_by
from devcycle.cli._safe import echo, terminal_safe
from devcycle.cli._store import open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.domain import Trust
from devcycle.errors import NotFoundError, Problem, ValidationError
from devcycle.storage import Store

__all__ = ["trust"]

_TRUST_OPTIONS = {"$.id": "ID", "$.name": "--name", "$.school_ids": "--school"}
"""A trust's fields -> the argument or option of `trust save` that gives each."""


def _stored_trust(store: Store, trust_id: str) -> Trust | None:
    """Return the stored trust, or None if there is none."""
    try:
        return store.trusts.get(trust_id)
    except NotFoundError:
        return None


def _at_option(problem: Problem) -> Problem:
    """A problem the service places at ``$.school_ids[1]``, placed at ``--school``.

    The message names the school, so the option alone says where it was given.
    """
    if not problem.path.startswith("$.school_ids"):
        return problem
    return Problem(problem.message, "--school", value=problem.value, expected=problem.expected)


@click.group("trust")
def trust() -> None:
    """Create and change trusts (their name and schools), and show them."""


@trust.command("save")
@store_option
@click.argument("trust_id", metavar="ID")
@click.option("--name", default=None, help="The trust's name (required for a new trust).")
@click.option(
    "--school",
    "school_ids",
    multiple=True,
    metavar="ID",
    help="A school of the trust (repeatable): the schools given replace those listed; "
    "left out, a trust saved again keeps its schools. Each must be stored and name the "
    "trust (devcycle school add ID --trust TRUST).",
)
@click.option("--no-schools", is_flag=True, help="List no schools (clears a stored list).")
@actor_options
def trust_save(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    trust_id: str,
    name: str | None,
    school_ids: tuple[str, ...],
    no_schools: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Create the trust ID, or change its name or schools (what is not given is kept).

    Needs write_trust: a trust leader of that trust (--as trust_leader --user L1
    --trust-id ID) or the system. The audit log names the actor. Every school listed
    must be stored and name the trust; otherwise nothing is saved (exit 2).
    """
    from devcycle.services import Services  # noqa: PLC0415 - loaded on use

    if no_schools and school_ids:
        msg = "give --school to list the trust's schools or --no-schools to list none, not both"
        raise ValidationError([f"{msg} @ --no-schools"])
    actor = actor_for(as_role, as_user, school=None, trust=as_trust)
    with open_cli_store(store, existing=True, actor=actor) as opened:
        stored = _stored_trust(opened, trust_id)
        if stored is None and name is None:
            msg = f"a new trust needs --name (the trust's name); {trust_id!r} is not stored yet"
            raise ValidationError([f"{msg} @ --name"])
        with named_by(_TRUST_OPTIONS):
            if stored is None:
                changed = Trust(id=trust_id, name=str(name), school_ids=school_ids)
            else:
                # evolve: any field added to Trust later is kept as stored
                changed = attrs.evolve(
                    stored,
                    name=stored.name if name is None else name,
                    school_ids=school_ids if school_ids or no_schools else stored.school_ids,
                )
        try:
            saved = Services(opened, policy_from(policy_files)).save_trust(actor, changed)
        except ValidationError as exc:
            raise ValidationError(
                [_at_option(p) for p in exc.problems], source=exc.source
            ) from None
        verb = "Created" if stored is None else "Saved"
        unlisted = _unlisted(opened, saved)
    schools = ", ".join(saved.school_ids)
    echo(
        terminal_safe(
            f"{verb} trust {saved.id!r} ({saved.name}) listing "
            f"{plural(len(saved.school_ids), 'school')}{': ' + schools if schools else ''}"
        )
    )
    if unlisted:
        echo(
            terminal_safe(
                f"Not listed, though they name the trust: {', '.join(unlisted)} "
                f"(add them with --school)"
            )
        )
    return 0


def _unlisted(store: Store, saved: Trust) -> list[str]:
    """Stored schools that name *saved* as their trust but that it does not list."""
    return sorted(
        s.id
        for s in store.schools.list()
        if s.trust_id == saved.id and s.id not in saved.school_ids
    )


@trust.command("show")
@store_option
@click.argument("trust_id", metavar="ID")
def trust_show(store: str, trust_id: str) -> int:
    """Show the trust ID: its name, the schools it lists, and the schools that name it."""
    with open_cli_store(store, readonly=True) as opened:
        found = _stored_trust(opened, trust_id)
        schools = opened.schools.list()
        known = [t.id for t in opened.trusts.list()]
    members = sorted(s.id for s in schools if s.trust_id == trust_id)
    if found is None:
        if not members:
            raise NotFoundError("trust", trust_id, known=known)
        echo(
            terminal_safe(
                f"No trust record {trust_id!r}; schools that name it: {', '.join(members)} "
                f"(save one with devcycle trust save {trust_id} --name NAME "
                + " ".join(f"--school {m}" for m in members)
                + ")"
            )
        )
        return 0
    names = {s.id: s.name for s in schools}
    echo(terminal_safe(f"{found.name} [{found.id}]"))
    echo(f"Schools listed ({len(found.school_ids)}):")
    for school_id in found.school_ids:
        echo(terminal_safe(f"  {school_id:<12} {names.get(school_id, '(not stored)')}"))
    unlisted = [m for m in members if m not in found.school_ids]
    if unlisted:
        echo(
            terminal_safe(
                f"Not listed, though they name the trust: {', '.join(unlisted)} "
                f"(devcycle trust save {trust_id} "
                + " ".join(f"--school {m}" for m in (*found.school_ids, *unlisted))
                + ")"
            )
        )
    return 0


@trust.command("list")
@store_option
def trust_list(store: str) -> int:
    """List the trusts in the store, with the schools each lists."""
    with open_cli_store(store, readonly=True) as opened:
        trusts = opened.trusts.list()
    if not trusts:
        echo("No trusts yet: devcycle trust save ID --name NAME --school SCHOOL.")
        return 0
    width = max(len(t.id) for t in trusts)
    for item in trusts:
        schools = ", ".join(item.school_ids) or "no schools listed"
        echo(terminal_safe(f"{item.id:<{width}}  {item.name}  ({schools})"))
    return 0
