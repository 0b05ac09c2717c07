"""The ``--as ROLE --user ID`` options: who the command line acts as, under which policy.

Every command that reads or changes records acts as an `devcycle.access.Actor`. By default
the command line is the ``system`` role (user ``system``): whoever runs it on a store they
can open already holds every record, so local scripts, the demo and imports keep working.
An embedder's scripts, or a person checking what someone else would see, pass
``--as reviewee --user T006`` (or set ``DEVCYCLE_AS`` and ``DEVCYCLE_USER``); ``--policy
FILE`` (or ``DEVCYCLE_POLICY``) merges a school's or vendor's policy over the default.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from devcycle.access import SYSTEM, AccessPolicy, Actor, default_policy, load_policy
from devcycle.domain import School

__all__ = ["actor_for", "actor_options", "policy_from"]

F = TypeVar("F", bound=Callable[..., Any])


def actor_options(function: F) -> F:
    """Add ``--as``, ``--user``, ``--trust-id`` and ``--policy`` to a click command."""
    for option in reversed(
        (
            click.option(
                "--as",
                "as_role",
                metavar="ROLE",
                envvar="DEVCYCLE_AS",
                default=SYSTEM,
                show_default=True,
                help="The role to act as: reviewee, reviewer, line_manager, headteacher, "
                "school_admin, governor, trust_leader, auditor or system.",
            ),
            click.option(
                "--user",
                "as_user",
                metavar="ID",
                envvar="DEVCYCLE_USER",
                default=SYSTEM,
                show_default=True,
                help="Who acts: their staff id (or the embedder's id for non-staff).",
            ),
            click.option(
                "--trust-id",
                "as_trust",
                metavar="ID",
                envvar="DEVCYCLE_TRUST",
                default=None,
                help="The trust a trust-scoped role (trust_leader, auditor) acts in.",
            ),
            click.option(
                "--policy",
                "policy_files",
                multiple=True,
                envvar="DEVCYCLE_POLICY",
                type=click.Path(exists=True, dir_okay=False, path_type=Path),
                help="A school's or vendor's access policy file, merged over the default.",
            ),
        )
    ):
        function = option(function)
    return function


def policy_from(files: Sequence[Path]) -> AccessPolicy:
    """Return the default policy with *files* merged over it."""
    return load_policy(*files) if files else default_policy()


def actor_for(
    role: str, user: str, *, school: School | str | None, trust: str | None = None
) -> Actor:
    """Return the actor for the options, acting in *school* (an id or a school).

    Raises:
        click.UsageError: If the user id is not a valid id.
    """
    school_id = school.id if isinstance(school, School) else school
    try:
        return Actor(user, role, school_id=school_id, trust_id=trust)
    except ValueError as exc:
        raise click.UsageError(f"--as/--user: {exc}") from None
