"""``devcycle school add | show | list``: create a school and see what the store holds.

Usage::

    devcycle school add brook --name "Brook Primary" --team ks1="Key Stage 1" --team ks2
    devcycle school add brook --name "Brook Primary" --priority P1="Reading for pleasure"
    devcycle school show brook
    devcycle school list

``devcycle plan --roster staff.csv --school brook`` creates the school too when it is not
stored yet (named by ``--school-name``, with the teams the roster names), so reports work
straight after planning.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from devcycle.access import require
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._store import open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.domain import Priority, School, StaffMember, Team
from devcycle.errors import ConflictError, NotFoundError
from devcycle.storage import Store

__all__ = ["school", "school_from_roster", "stored_school"]


def _pairs(values: Iterable[str], option: str) -> list[tuple[str, str]]:
    """``id=Name`` (or a bare ``id``, named after itself) for each value."""
    pairs = []
    for value in values:
        ident, _, name = value.partition("=")
        if not ident.strip():
            msg = f"{option} {value!r}: expected ID or ID=NAME"
            raise click.BadParameter(msg, param_hint=option)
        pairs.append((ident.strip(), name.strip() or ident.strip()))
    return pairs


def school_from_roster(
    school_id: str, name: str | None, people: Sequence[StaffMember], existing: School | None
) -> School | None:
    """Return the school to save so that a roster's staff belong to it, or None if no change.

    A new school is named *name* (or its id) and gets a team for every team id the roster
    names; a stored school gains the teams it lacks, and keeps everything else.
    """
    team_ids = sorted({t for person in people for t in person.team_ids})
    if existing is None:
        teams = tuple(Team(t, t) for t in team_ids)
        return School(id=school_id, name=name or school_id, teams=teams)
    known = {t.id for t in existing.teams}
    missing = tuple(Team(t, t) for t in team_ids if t not in known)
    if not missing:
        return None
    return School(
        id=existing.id,
        name=existing.name,
        trust_id=existing.trust_id,
        priorities=existing.priorities,
        teams=(*existing.teams, *missing),
        country=existing.country,
        policy=existing.policy,
        version=existing.version,
    )


def stored_school(store: Store, school_id: str) -> School | None:
    """Return the stored school, or None if there is none."""
    try:
        return store.schools.get(school_id)
    except NotFoundError:
        return None


@click.group("school")
def school() -> None:
    """Create schools and show what the store holds."""


@school.command("add")
@store_option
@click.argument("school_id", metavar="ID")
@click.option("--name", required=True, help="The school's name as staff know it.")
@click.option("--trust", "trust_id", metavar="ID", help="The trust it belongs to, if any.")
@click.option(
    "--country",
    default="england",
    show_default=True,
    help="Its country, for templates and standards.",
)
@click.option(
    "--team",
    "teams",
    multiple=True,
    metavar="ID[=NAME]",
    help="A team (repeatable): --team ks2='Key Stage 2'.",
)
@click.option(
    "--priority",
    "priorities",
    multiple=True,
    metavar="ID=TITLE",
    help="A school improvement priority (repeatable): --priority P1='Reading'.",
)
@actor_options
def school_add(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    school_id: str,
    name: str,
    trust_id: str | None,
    country: str,
    teams: tuple[str, ...],
    priorities: tuple[str, ...],
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Create the school ID in the store (``write_school``; the audit log names the actor)."""
    created = School(
        id=school_id,
        name=name,
        trust_id=trust_id,
        country=country,
        teams=tuple(Team(i, n) for i, n in _pairs(teams, "--team")),
        priorities=tuple(Priority(i, n) for i, n in _pairs(priorities, "--priority")),
    )
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    require(policy_from(policy_files), actor, "write_school", school=created, staff={})
    with open_cli_store(store, actor=actor) as opened:
        try:
            opened.schools.add(created)
        except ConflictError:
            msg = f"school {school_id!r} is already stored; see: devcycle school show {school_id}"
            raise click.ClickException(msg) from None
        click.echo(
            f"Created school {school_id!r} ({name}) with {plural(len(created.teams), 'team')} "
            f"and {plural(len(created.priorities), 'priority', 'priorities')} in {opened.url}"
        )
    return 0


@school.command("show")
@store_option
@click.argument("school_id", metavar="ID")
def school_show(store: str, school_id: str) -> int:
    """Show the school ID: its teams, priorities, staff and cycles."""
    with open_cli_store(store, readonly=True) as opened:
        try:
            found = opened.schools.get(school_id)
        except NotFoundError:
            known = [s.id for s in opened.schools.list()]
            raise NotFoundError("school", school_id, known=known) from None
        staff = opened.staff.for_school(school_id)
        cycles = opened.cycles.for_school(school_id)
    trust = f", trust {found.trust_id}" if found.trust_id else ""
    click.echo(f"{found.name} [{found.id}]{trust}, {found.country}")
    click.echo(f"Staff: {len(staff)}; cycles: {len(cycles)}")
    members = Counter(t for person in staff for t in person.team_ids)
    click.echo(f"Teams ({len(found.teams)}):")
    for team in found.teams:
        leader = f", led by {team.leader_id}" if team.leader_id else ""
        click.echo(f"  {team.id:<12} {team.name} ({plural(members[team.id], 'member')}{leader})")
    click.echo(f"Priorities ({len(found.priorities)}):")
    for priority in found.priorities:
        click.echo(f"  {priority.id:<12} {priority.title}")
    return 0


@school.command("list")
@store_option
def school_list(store: str) -> int:
    """List the schools in the store, with their staff and cycles."""
    with open_cli_store(store, readonly=True) as opened:
        schools = opened.schools.list()
        if not schools:
            click.echo("No schools yet: devcycle school add ID --name NAME, or devcycle plan.")
            return 0
        width = max(len(s.id) for s in schools)
        for item in schools:
            staff = len(opened.staff.for_school(item.id))
            cycles = len(opened.cycles.for_school(item.id))
            click.echo(
                f"{item.id:<{width}}  {item.name}  "
                f"({plural(staff, 'member')} of staff, {plural(cycles, 'cycle')})"
            )
    return 0
