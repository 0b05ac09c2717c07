"""``devcycle export`` and ``devcycle import``: move a school or trust between stores.

Both check counts at the end: every record of the bundle must be found in the target
store, or the command says which sections differ and exits 1.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from devcycle.access import Actor
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._output import output_target
from devcycle.cli._safe import echo, json_text
from devcycle.cli._store import is_new_store, open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.errors import CommitUnknownError, ConflictError, DevcycleError, NotFoundError
from devcycle.serialization import check_limits, parse
from devcycle.services import Services
from devcycle.storage import Store, open_store
from devcycle.storage.bundle import (
    check_bundle,
    count_bundle,
    count_stored,
    import_bundle,
    read_bundle,
    refuse_redacted,
    write_bundle,
)

__all__ = ["export", "import_"]


class _Bar:
    """A ``progress(done, total)`` callback drawing a click progress bar on standard error."""

    def __init__(self, label: str, *, quiet: bool) -> None:
        self._label = label
        self._quiet = quiet
        self._bar: Any = None
        self._done = 0

    def __call__(self, done: int, total: int) -> None:
        if self._quiet:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=max(total, 1), label=self._label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator[_Bar]:
    bar = _Bar(label, quiet=quiet)
    try:
        yield bar
    finally:
        bar.close()


_WORDS: dict[str, tuple[str, str]] = {
    "trusts": ("trust", "trusts"),
    "schools": ("school", "schools"),
    "staff": ("member of staff", "staff"),
    "cycles": ("cycle", "cycles"),
    "cpd_offerings": ("CPD offering", "CPD offerings"),
    "cpd": ("CPD activity", "CPD activities"),
    "surveys": ("survey", "surveys"),
    "meeting_ratings": ("meeting rating", "meeting ratings"),
    "survey_responses": ("survey response", "survey responses"),
    "training_plan": ("training plan entry", "training plan entries"),
    "frameworks": ("framework", "frameworks"),
    "templates": ("template", "templates"),
}
"""Each bundle section -> its record in words, one and many ("1 trust", "2 trusts")."""


def _summary(counts: Mapping[str, int]) -> str:
    """``1 trust, 1 school, 14 staff``: each section's count, singular or plural."""
    return ", ".join(
        plural(count, *_WORDS.get(section, (section, section)))
        for section, count in counts.items()
        if count
    )


def _all_stored(target: Store, bundle: Mapping[str, Any]) -> bool:
    """Whether every record of *bundle* is found in *target* (False if it cannot be read)."""
    try:
        return count_stored(target, bundle) == count_bundle(bundle)
    except DevcycleError:
        return False


def _copy(
    bundle: Mapping[str, Any],
    target: Store,
    *,
    replace: bool,
    quiet: bool,
    source: str,
    actor: Actor,
) -> int:
    with _progress("Importing", quiet) as progress:
        try:
            import_bundle(
                target,
                bundle,
                replace=replace,
                progress=progress,
                source=source,
                by=actor.user_id,
                role=actor.role,
            )
        except ConflictError as exc:
            error = click.ClickException(f"{exc}; pass --replace to overwrite")
            raise error from None
        except CommitUnknownError:
            # The commit was sent and its answer lost: read the store back to tell.
            if not replace and _all_stored(target, bundle):
                echo(
                    f"Imported {_summary(count_bundle(bundle)) or 'nothing'} into "
                    f"{target.url}; the connection was lost as the commit was acknowledged, "
                    "but every record was found in the store: counts check."
                )
                return 0
            raise
    expected = count_bundle(bundle)
    try:
        found = count_stored(target, bundle)
    except DevcycleError as exc:  # the import is committed: never report it as failed
        echo(
            f"Imported {_summary(expected) or 'nothing'} into {target.url} (committed).\n"
            f"warning: the count check could not read the store back: {exc}",
            err=True,
        )
        return 0
    if expected != found:
        differences = ", ".join(
            f"{section}: {found[section]} of {expected[section]}"
            for section in expected
            if expected[section] != found[section]
        )
        echo(f"error: the count check failed in {target.url}: {differences}", err=True)
        return 1
    echo(f"Imported {_summary(expected) or 'nothing'} into {target.url}; counts check.")
    return 0


@click.command()
@store_option
@click.option(
    "--school", "schools", multiple=True, metavar="ID", help="A school to export (repeatable)."
)
@click.option(
    "--trust",
    metavar="ID",
    help="Export this trust and all its schools (every school naming it as its trust).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the bundle to this file (default, or -: standard output).",
)
@click.option("--to", "target", metavar="URL", help="Copy straight into the store at URL instead.")
@click.option("--replace", is_flag=True, help="With --to: overwrite records that already exist.")
@click.option("--no-shared", is_flag=True, help="Leave out shared frameworks and templates.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@actor_options
def export(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    schools: tuple[str, ...],
    trust: str | None,
    output: Path | None,
    target: str | None,
    replace: bool,
    no_shared: bool,
    quiet: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Export schools (or a trust, or everything) as one JSON bundle, or copy them to --to.

    The bundle holds no more than the actor (``--as``/``--user``, default the system role)
    may read: only the system role's bundle restores everything. Any other role's bundle is
    marked redacted, and import (and --to) refuses it.
    """
    output = output_target(output, store)
    actor = actor_for(
        as_role, as_user, school=schools[0] if len(schools) == 1 else None, trust=as_trust
    )
    with open_cli_store(store, readonly=True, actor=actor, audited=True) as source:
        try:
            bundle = Services(source, policy_from(policy_files)).export(
                actor, school_ids=schools or None, trust_id=trust, shared=not no_shared
            )
        except NotFoundError as exc:
            if exc.kind != "trust" or trust is None:
                raise
            # schools join a trust by their own record, but --trust exports the trust
            # record: say how a script makes it
            msg = (
                f"{exc}; save the trust record first: devcycle trust save {trust} "
                "--name NAME --school SCHOOL"
            )
            raise click.ClickException(msg) from None
    counts = count_bundle(bundle)
    if target is None:
        # A bundle that could not be read back (a number no document may hold, kept by an
        # older devcycle) is refused before anything is written (found in session 18).
        check_limits(bundle, source=f"{output or '<stdout>'} (not written)")
    if target is not None:
        refuse_redacted(bundle, source=store)
        with open_cli_store(target, actor=actor) as into:
            return _copy(bundle, into, replace=replace, quiet=quiet, source=store, actor=actor)
    if output is None:
        echo(json_text(bundle, indent=1), raw=True)
    else:
        write_bundle(bundle, output)
        written = count_bundle(read_bundle(output))
        if written != counts:
            echo(f"error: the count check failed: wrote {written}, expected {counts}", err=True)
            return 1
        echo(f"Exported {_summary(counts) or 'nothing'} to {output}; counts check.", err=True)
    return 0


@click.command("import")
@store_option
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Overwrite records that already exist.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@actor_options
def import_(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    bundle: Path,
    replace: bool,
    quiet: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Import a bundle into the store: every record checked first, then all or nothing.

    The actor (``--as``/``--user``, default the system role) must be allowed to import into
    every school the bundle holds.
    """
    if str(bundle) == "-":
        source = "<stdin>"
        data = parse(sys.stdin.read(), "json", source=source)
    else:
        data = read_bundle(bundle)
        source = str(bundle)
    actor = actor_for(as_role, as_user, school=None, trust=as_trust)
    if is_new_store(store):
        # Checked as for an empty store first (the actor's right, then every record), so
        # that a refused bundle creates no store.
        with open_store("memory://") as empty:
            Services(empty, policy_from(policy_files)).check_import(actor, data)
        check_bundle(data, source=source)
    with open_cli_store(store, actor=actor) as target:
        Services(target, policy_from(policy_files)).check_import(actor, data)
        return _copy(data, target, replace=replace, quiet=quiet, source=source, actor=actor)
