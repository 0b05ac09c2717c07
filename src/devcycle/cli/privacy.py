"""``devcycle audit``, ``devcycle person`` and ``devcycle retention``: the records about records.

- ``audit show|verify|export``: read a school's audit log, check its hash chain, export it.
- ``person export|erase|leave|end-cycle|reassign``: a subject-access export of everything
  naming a person (JSON or a readable document), erasure by pseudonymisation, recording a
  leaver's last day, ending a leaver's open cycle on leaving, and moving someone's
  reviewees to a new reviewer.
- ``retention plan|purge``: what the retention rules say may be deleted on a date, and
  deleting it.

Exit status: 0 ok, 1 when a check fails (a broken audit chain, an erasure that left
mentions behind), 2 for usage or input errors. Everything written is private (0600).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from pathlib import Path

import click

from devcycle.access import Actor, require
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._dates import DAY, DAY_FIRST
from devcycle.cli._named import as_option
from devcycle.cli._output import output_target, wants_stdout
from devcycle.cli._reviewers import reassign_hint, reviewed_by, who
from devcycle.cli._safe import echo, json_text, terminal_safe
from devcycle.cli._store import open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.errors import NotFoundError, Problem, ValidationError
from devcycle.fileio import write_private
from devcycle.privacy import (
    DEFAULT_RETENTION,
    RetentionDue,
    erase,
    load_retention_rules,
    retention_plan,
    retention_purge,
    subject_access,
)
from devcycle.render import render
from devcycle.services import Services
from devcycle.storage import CATALOGUE_SCOPE, AuditEntry, Store
from devcycle.storage.audit import AuditEvent

__all__ = ["audit", "person", "retention"]

_DAY = DAY


def _school(function: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--school", "school_id", metavar="ID", required=True, help="The school (required)."
    )(function)


def _audit_scope(function: click.decorators.FC) -> click.decorators.FC:
    """Add ``--school`` and ``--catalogue``: the audit chain to read (exactly one)."""
    function = click.option(
        "--catalogue",
        is_flag=True,
        help="The shared catalogue's log (frameworks and templates, which belong to no "
        "school) instead of a school's.",
    )(function)
    return click.option("--school", "school_id", metavar="ID", help="The school (or --catalogue).")(
        function
    )


def _scope(school_id: str | None, catalogue: bool) -> str:
    """Return the audit scope: the school's id, or `CATALOGUE_SCOPE`."""
    if catalogue and school_id:
        msg = "give --school or --catalogue, not both"
        raise click.UsageError(msg)
    if catalogue:
        return CATALOGUE_SCOPE
    if not school_id:
        msg = "give --school ID (a school's log) or --catalogue (the shared catalogue's)"
        raise click.UsageError(msg)
    return school_id


def _by(function: click.decorators.FC) -> click.decorators.FC:
    """Add ``--as``/``--user`` (and the older ``--by``/``--as-role``, hidden) to a command."""
    function = click.option("--as-role", "role", default="", hidden=True)(function)
    function = click.option("--by", "by", default="", hidden=True)(function)
    return actor_options(function)


def _acting(
    opened: Store,
    school_id: str,
    action: str,
    *,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str = "",
    role: str = "",
) -> Actor:
    """Return the actor the command acts as, once the policy lets them take *action*.

    Every audit entry the command causes names them (``--by``/``--as-role`` are the older
    spellings of ``--user``/``--as``).

    Raises:
        AccessDenied: If the policy does not let them.
    """
    if school_id == CATALOGUE_SCOPE:
        # The shared catalogue belongs to no school: only a role whose scope is every
        # school (the system, by default) may act on it.
        actor = actor_for(role or as_role, by or as_user, school=None, trust=as_trust)
        require(policy_from(policy_files), actor, action, school=None, school_id=None, staff={})
        opened.act_as(actor.user_id, actor.role)
        return actor
    actor = actor_for(role or as_role, by or as_user, school=school_id, trust=as_trust)
    try:
        school = opened.schools.get(school_id)
    except NotFoundError:
        school = None
    staff = {m.id: m for m in opened.staff.for_school(school_id)}
    require(
        policy_from(policy_files), actor, action, school=school, school_id=school_id, staff=staff
    )
    opened.act_as(actor.user_id, actor.role)
    return actor


def _also(function: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "--also",
        multiple=True,
        metavar="TEXT",
        help="Another text that identifies them (a former name; their name once their "
        "staff record is gone). Repeatable.",
    )(function)


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


def _emit(text: str, output: Path | None, what: str) -> None:
    if output is None:
        echo(text, nl=not text.endswith("\n"), data=True)
    else:
        write_private(output, text)
        echo(f"Wrote {what} to {output}", err=True)


# ------------------------------------------------------------------------------- audit


@click.group()
def audit() -> None:
    """Read, check and export a school's audit log."""


def _filters(function: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(
        [
            click.option("--person", metavar="ID", help="Entries where they acted or are named."),
            click.option("--record", metavar="ID", help="Entries about one record."),
            click.option("--kind", metavar="KIND", help="Entries about one kind (cycle...)."),
            click.option("--action", metavar="ACTION", help="One action (update, read...)."),
            click.option("--since", type=_DAY, help="From this day (UTC), inclusive."),
            click.option("--until", type=_DAY, help="To this day (UTC), inclusive."),
        ]
    ):
        function = option(function)
    return function


def _line(entry: AuditEntry) -> str:
    what = f"{entry.kind} {entry.record_id}".strip() or "-"
    who = entry.actor or "-"
    if entry.role:
        who += f" ({entry.role})"
    extra = f" fields={','.join(entry.fields)}" if entry.fields else ""
    extra += f" v{entry.version}" if entry.version is not None else ""
    detail = f"  {entry.detail}" if entry.detail else ""
    text = f"{entry.seq:>6}  {entry.at:%Y-%m-%d %H:%M:%S}  {entry.action:<7} {what}  by {who}"
    return terminal_safe(f"{text}{extra}{detail}")


@audit.command("show")
@store_option
@_audit_scope
@_filters
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_by
def audit_show(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str | None,
    catalogue: bool,
    person: str | None,
    record: str | None,
    kind: str | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    fmt: str,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """List the school's audit entries, filtered by person, record, kind, action and days.

    Needs ``read_audit`` (the auditor, the system). ``--catalogue`` instead of ``--school``
    lists the shared catalogue's entries (frameworks and templates, which belong to no
    school); only a role scoped to every school (the system, by default) may read them.
    """
    school_id = _scope(school_id, catalogue)
    with open_cli_store(store, readonly=True) as opened:
        _acting(
            opened,
            school_id,
            "read_audit",
            as_role=as_role,
            as_user=as_user,
            as_trust=as_trust,
            policy_files=policy_files,
            by=by,
            role=role,
        )
        entries = opened.audit.query(
            school_id,
            person=person,
            record=record,
            kind=kind,
            action=action,
            start=_day(since),
            end=_day(until),
        )
    if fmt == "json":
        echo(json_text([e.to_json() for e in entries], indent=1), raw=True)
    else:
        for entry in entries:
            echo(_line(entry))
        echo(plural(len(entries), "entry", "entries"), err=True)
    return 0


@audit.command("verify")
@store_option
@_audit_scope
@click.option(
    "--anchor",
    metavar="SEQ:HASH",
    help="A head printed by an earlier verify: detects entries cut off the end.",
)
@_by
def audit_verify(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str | None,
    catalogue: bool,
    anchor: str | None,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """Check the school's hash chain: exit 0 if whole, 1 naming every break (``read_audit``).

    ``--catalogue`` checks the shared catalogue's chain instead.
    """
    school_id = _scope(school_id, catalogue)
    expected: tuple[int, str] | None = None
    if anchor is not None:
        seq, sep, digest = anchor.partition(":")
        if not sep or not seq.isdigit() or len(digest) != 64:
            msg = f"--anchor must be SEQ:HASH as verify prints it (got {anchor!r})"
            raise click.UsageError(msg)
        expected = (int(seq), digest)
    with open_cli_store(store, readonly=True) as opened:
        _acting(
            opened,
            school_id,
            "read_audit",
            as_role=as_role,
            as_user=as_user,
            as_trust=as_trust,
            policy_files=policy_files,
            by=by,
            role=role,
        )
        check = opened.audit.verify(school_id, anchor=expected)
    for problem in check.problems:
        echo(f"BROKEN: {terminal_safe(problem)}")
    head = f"{check.head[0]}:{check.head[1]}" if check.head else "none"
    state = "whole" if check.ok else "BROKEN"
    entries = plural(check.entries, "entry", "entries")
    echo(f"{terminal_safe(school_id)}: {entries}, chain {state}; head {head}")
    return 0 if check.ok else 1


@audit.command("export")
@store_option
@_audit_scope
@_filters
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default, or -: standard output).",
)
@_by
def audit_export(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str | None,
    catalogue: bool,
    person: str | None,
    record: str | None,
    kind: str | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    output: Path | None,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """Export the school's audit log (or part of it) as JSON, with its verification.

    Needs ``read_audit``; the export itself is logged, naming who made it.
    ``--catalogue`` exports the shared catalogue's log instead.
    """
    school_id = _scope(school_id, catalogue)
    output = output_target(output, store)
    with open_cli_store(store, readonly=True, audited=True) as opened:
        actor = _acting(
            opened,
            school_id,
            "read_audit",
            as_role=as_role,
            as_user=as_user,
            as_trust=as_trust,
            policy_files=policy_files,
            by=by,
            role=role,
        )
        exported = opened.audit.export(
            school_id,
            person=person,
            record=record,
            kind=kind,
            action=action,
            start=_day(since),
            end=_day(until),
        )
        opened.audit.append(
            AuditEvent(
                action="export",
                tenant=school_id,
                kind="audit",
                actor=actor.user_id,
                role=actor.role,
                detail=f"audit log export: {len(exported['entries'])} entries",
            )
        )
    _emit(json_text(exported, indent=1) + "\n", output, "the audit log")
    return 0 if exported["verified"] else 1


# ------------------------------------------------------------------------------ person


@click.group()
def person() -> None:
    """Subject access, erasure, leaving, ending a leaver's cycle, reassigning reviewees."""


@person.command("export")
@store_option
@_school
@click.argument("person_id", metavar="PERSON")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "md", "html", "docx"]),
    default="json",
    help="JSON (everything, machine-readable) or a readable document.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (default, or -: standard output).",
)
@_also
@_by
def person_export(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    person_id: str,
    fmt: str,
    output: Path | None,
    also: tuple[str, ...],
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """Export everything the school's store holds that names PERSON (a subject access).

    Needs ``export``; the export and every confidential field it holds are logged as read
    by the actor.
    """
    to_stdout = wants_stdout(output)
    output = output_target(output, store)
    with open_cli_store(store, readonly=True, audited=True) as opened:
        actor = _acting(
            opened,
            school_id,
            "export",
            as_role=as_role,
            as_user=as_user,
            as_trust=as_trust,
            policy_files=policy_files,
            by=by,
            role=role,
        )
        export = subject_access(
            opened, school_id, person_id, by=actor.user_id, role=actor.role, also=also
        )
    if fmt == "json":
        payload = json_text(export.to_json(), indent=1) + "\n"
        data = payload.encode()
    else:
        data = render(export.to_document(), "markdown" if fmt == "md" else fmt)
    if output is None:
        if fmt == "docx" and (not to_stdout or sys.stdout.isatty()):
            msg = "a Word file is binary: give -o FILE (or -o - into a pipe)"
            raise click.UsageError(msg)
        echo(data if fmt == "docx" else data.decode(), nl=False, data=True)
    else:
        write_private(output, data)
    echo(
        f"{plural(len(export.records), 'record')} and "
        f"{plural(len(export.audit), 'audit entry', 'audit entries')} name "
        f"{terminal_safe(person_id)}" + (f"; wrote {output}" if output else ""),
        err=True,
    )
    return 0


@person.command("erase")
@store_option
@_school
@click.argument("person_id", metavar="PERSON")
@click.option("--yes", is_flag=True, help="Confirm: erasure cannot be undone.")
@_also
@_by
def person_erase(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    person_id: str,
    yes: bool,
    also: tuple[str, ...],
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """Pseudonymise PERSON in every record and the audit log (cannot be undone).

    Needs ``write_staff`` (the headteacher, the school administrator, the system).
    """
    if not yes:
        msg = f"erasing {person_id!r} cannot be undone: add --yes to go ahead"
        raise click.UsageError(msg)
    with open_cli_store(store, existing=True) as opened:
        actor = _acting(
            opened,
            school_id,
            "write_staff",
            as_role=as_role,
            as_user=as_user,
            as_trust=as_trust,
            policy_files=policy_files,
            by=by,
            role=role,
        )
        result = erase(opened, school_id, person_id, by=actor.user_id, role=actor.role, also=also)
    echo(
        f"Erased {terminal_safe(person_id)}: now {result.pseudonym}; "
        f"{plural(len(result.changed), 'record')} rewritten, {len(result.renamed)} renamed, "
        f"{plural(result.audit_entries, 'audit entry', 'audit entries')} pseudonymised"
    )
    for mention in result.remaining:
        echo(f"STILL NAMED: {mention.kind} {terminal_safe(mention.id)} {mention.paths}")
    return 1 if result.remaining else 0


@person.command("leave")
@store_option
@_school
@click.argument("person_id", metavar="PERSON")
@click.option(
    "--on",
    "on",
    type=DAY_FIRST,
    help="Their last day at the school: YYYY-MM-DD or DD/MM/YYYY (day first, as in rosters).",
)
@click.option("--clear", is_flag=True, help="Clear a leaving date recorded in error.")
@_by
def person_leave(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    person_id: str,
    on: datetime | None,
    clear: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """Record that PERSON leaves the school on a day (``--on``), or clear it (``--clear``).

    Their staff record and cycles are kept; retention rules counting from the end of
    employment (the default for appraisal records) count from this day, so `devcycle
    retention plan` lists their cycles once the years have passed. Needs ``write_staff``
    (the headteacher, the school administrator, the system); logged as the actor.
    """
    if (on is None) == (not clear):
        msg = "give --on YYYY-MM-DD or DD/MM/YYYY (their last day) or --clear, not both or neither"
        raise click.UsageError(msg)
    day = _day(on)
    with open_cli_store(store, existing=True) as opened:
        actor = actor_for(role or as_role, by or as_user, school=school_id, trust=as_trust)
        member = Services(opened, policy_from(policy_files)).record_leaver(
            actor, school_id, person_id, day
        )
        reviewing = reviewed_by(opened.cycles.for_school(school_id), person_id)
        staff = {m.id: m for m in opened.staff.for_school(school_id)} if reviewing else {}
    if member.leaving_date is None:
        echo(terminal_safe(f"{person_id}: no leaving date; still on the staff of {school_id}"))
        return 0
    echo(
        terminal_safe(
            f"{person_id} leaves {school_id} on {member.leaving_date}; their records "
            "stay until the retention rules make them due (devcycle retention plan "
            f"--school {school_id})"
        )
    )
    if reviewing:
        names = {m.id: m.name for m in staff.values()}
        cycles = ", ".join(f"{c.id} ({names.get(c.staff_id, c.staff_id)})" for c in reviewing)
        echo(
            terminal_safe(
                f"warning: {person_id} reviews {plural(len(reviewing), 'open cycle')}: "
                f"{cycles}; give them a new reviewer with: "
                f"{reassign_hint(school_id, [person_id])}"
            ),
            err=True,
        )
    return 0


@person.command("end-cycle")
@store_option
@_school
@click.argument("person_id", metavar="PERSON")
@click.option(
    "--cycle",
    "cycle_ids",
    multiple=True,
    metavar="ID",
    help="End only this cycle of theirs (repeatable); default: every open cycle of theirs.",
)
@click.option(
    "--on",
    "on",
    type=DAY_FIRST,
    default=None,
    help=(
        "The day the cycle is ended, on or after their leaving date: YYYY-MM-DD or "
        "DD/MM/YYYY (default: today)."
    ),
)
@click.option(
    "--note",
    default="",
    metavar="TEXT",
    help="A short note for the cycle's history (one line, at most 500 characters).",
)
@click.option("--dry-run", is_flag=True, help="Check and say what would change; write nothing.")
@_by
def person_end_cycle(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    person_id: str,
    cycle_ids: tuple[str, ...],
    on: datetime | None,
    note: str,
    dry_run: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """End PERSON's open cycle because they have left the school (``devcycle person leave``).

    The cycle is ended on leaving: locked like a closed cycle but never a completed
    review or a pass, since no final review took place. Objectives not yet evaluated are
    left as they were (not judged met or not met); the cycle's history records who ended
    it, when, their leaving date and the --note. Reports then count it as ended: not
    overdue, not a cycle nobody reviews. All or nothing: PERSON must have a leaving date,
    --on must be on or after it (and after anything recorded on the cycle, and not in
    the future), and each cycle must be theirs and open. Needs
    ``end_on_leaving`` (by default the headteacher alone; never the reviewee); logged as
    the actor.
    """
    today = date.today()
    day = _day(on) or today
    if day > today:
        msg = (
            f"{day} is in the future: a cycle is ended on a day that has come (expected "
            f"{today} or earlier, on or after their leaving date) @ --on"
        )
        raise ValidationError([msg], source="devcycle person end-cycle")
    with open_cli_store(store, existing=True) as opened:
        actor = actor_for(role or as_role, by or as_user, school=school_id, trust=as_trust)
        try:
            ended = Services(opened, policy_from(policy_files)).end_cycle_on_leaving(
                actor,
                school_id,
                person_id,
                on=day,
                cycle_ids=cycle_ids or None,
                note=note,
                dry_run=dry_run,
            )
        except ValidationError as exc:
            raise ValidationError(
                [_end_cycle_option(p) for p in exc.problems], source=exc.source
            ) from None
        except NotFoundError as exc:
            exc.args = (re.sub(r"@ \$\.(staff_id|cycle_ids\[\d+\])$", _option_of, str(exc)),)
            raise
        staff = {m.id: m for m in opened.staff.for_school(school_id)}
    member = staff.get(person_id)
    left = f", who left on {member.leaving_date}" if member is not None else ""
    verb = "Would end" if dry_run else "Ended"
    echo(
        terminal_safe(
            f"{verb} {plural(len(ended), 'cycle')} of {who(person_id, staff)}{left}, on "
            f"leaving, on {day}:"
        )
    )
    for cycle in ended:
        entry = cycle.ending
        before = entry.from_state if entry is not None else "open"
        echo(terminal_safe(f"  {cycle.id:<12} was {before}; now ended (not a completed review)"))
    if dry_run:
        echo("(dry run: nothing was written)", err=True)
    return 0


_END_CYCLE_OPTIONS = {"$.staff_id": "PERSON", "$.on": "--on", "$.note": "--note"}
"""Where `Services.end_cycle_on_leaving` places a problem -> the option that gave it."""


def _option_of(match: re.Match[str]) -> str:
    """``@ PERSON`` or ``@ --cycle`` for the path a `NotFoundError` names."""
    return "@ PERSON" if match.group(1) == "staff_id" else "@ --cycle"


def _end_cycle_option(problem: Problem) -> Problem:
    """A problem of `Services.end_cycle_on_leaving`, placed at the option that gave it."""
    if problem.path.startswith("$.cycle_ids"):
        return Problem(problem.message, "--cycle", value=problem.value, expected=problem.expected)
    return as_option(problem, _END_CYCLE_OPTIONS)


@person.command("reassign")
@store_option
@_school
@click.argument("person_id", metavar="[PERSON]", required=False)
@click.option(
    "--to",
    "to_id",
    metavar="ID",
    required=True,
    help=(
        "The new reviewer: a current member of the same school's staff (for a "
        "headteacher's cycle, the governor who appraises them may be named instead)."
    ),
)
@click.option(
    "--cycle",
    "cycle_ids",
    multiple=True,
    metavar="CYCLE",
    help=(
        "Move only this cycle (repeatable); default: every open cycle PERSON reviews. "
        "Without PERSON: a cycle nobody reviews, given its first reviewer."
    ),
)
@click.option(
    "--on",
    "on",
    type=_DAY,
    default=None,
    help="The day of the change, for the cycles' history (default: today).",
)
@click.option("--dry-run", is_flag=True, help="Check and say what would change; write nothing.")
@_by
def person_reassign(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    person_id: str | None,
    to_id: str,
    cycle_ids: tuple[str, ...],
    on: datetime | None,
    dry_run: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """Move PERSON's reviewees (a leaver's, or anyone's) to a new reviewer (``--to``).

    Every open cycle PERSON reviews (or each --cycle) gets the new reviewer, recorded in
    the cycle's history; a reviewee whose staff record names PERSON as their reviewer is
    updated too, so the next cycle planned follows. All or nothing: the new reviewer must
    be on the school's staff and not have left, and may not be one of the reviewees.
    Needs ``assign_reviewer`` and ``write_staff`` (the headteacher, the school
    administrator, the system); logged as the actor.

    Without PERSON it gives each --cycle that nobody reviews its first reviewer (``devcycle
    school show`` lists them), and a reviewee whose staff record names no reviewer gets
    them too. A headteacher is appraised by governors: the reviewer of a headteacher's
    cycle may be a governor who is not on the staff (``--to GOV1``).
    """
    day = _day(on) or date.today()
    with open_cli_store(store, existing=True) as opened:
        actor = actor_for(role or as_role, by or as_user, school=school_id, trust=as_trust)
        try:
            moved = Services(opened, policy_from(policy_files)).reassign_reviewer(
                actor,
                school_id,
                person_id,
                to_id,
                on=day,
                cycle_ids=cycle_ids or None,
                dry_run=dry_run,
            )
        except ValidationError as exc:
            raise ValidationError(
                [_reassign_option(p) for p in exc.problems], source=exc.source
            ) from None
        staff = {m.id: m for m in opened.staff.for_school(school_id)}
    if person_id is None:
        verb = "Would give" if dry_run else "Gave"
        what = f"{plural(len(moved), 'cycle')} nobody reviewed to {who(to_id, staff)}"
    else:
        verb = "Would move" if dry_run else "Moved"
        what = f"{plural(len(moved), 'cycle')} from {who(person_id, staff)} to {who(to_id, staff)}"
    echo(terminal_safe(f"{verb} {what} on {day}:"))
    for cycle, member in moved:
        record = "; staff record too" if member is not None else ""
        echo(terminal_safe(f"  {cycle.id:<12} {who(cycle.staff_id, staff)}{record}"))
    if dry_run:
        echo("(dry run: nothing was written)", err=True)
    return 0


_REASSIGN_OPTIONS = {"$.to_id": "--to", "$.from_id": "PERSON", "$.on": "--on"}
"""Where `Services.reassign_reviewer` places a problem -> the option that gave it."""


def _reassign_option(problem: Problem) -> Problem:
    """A problem of `Services.reassign_reviewer`, placed at the option that gave the value."""
    if problem.path.startswith("$.cycle_ids"):
        return Problem(problem.message, "--cycle", value=problem.value, expected=problem.expected)
    return as_option(problem, _REASSIGN_OPTIONS)


# --------------------------------------------------------------------------- retention


@click.group()
def retention() -> None:
    """Retention rules: what may be deleted when, and deleting it."""


def _rules_option(function: click.decorators.FC) -> click.decorators.FC:
    function = click.option(
        "--as-of", "as_of", type=_DAY, help="The day to judge on (default: today)."
    )(function)
    return click.option(
        "--rules",
        type=click.Path(dir_okay=False, path_type=Path),
        help="A TOML file of [[rule]] tables (default: the shipped rules).",
    )(function)


def _due_line(item: RetentionDue) -> str:
    whose = f" ({item.person})" if item.person else ""
    return terminal_safe(
        f"{item.kind} {item.id}{whose}: due {item.due} ({item.rule.years} years after "
        f"{item.rule.after.replace('_', ' ')} {item.anchor})"
    )


@retention.command("plan")
@store_option
@_school
@_rules_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@_by
def retention_plan_command(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    rules: Path | None,
    as_of: datetime | None,
    fmt: str,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """List what the retention rules say may be deleted (a dry run: nothing changes)."""
    chosen = load_retention_rules(rules) if rules else DEFAULT_RETENTION
    day = _day(as_of) or date.today()
    with open_cli_store(store, readonly=True) as opened:
        _acting(
            opened,
            school_id,
            "read_school",
            as_role=as_role,
            as_user=as_user,
            as_trust=as_trust,
            policy_files=policy_files,
            by=by,
            role=role,
        )
        due = retention_plan(opened, school_id, day, chosen)
    if fmt == "json":
        rows = [
            {
                "kind": d.kind,
                "id": d.id,
                "person": d.person,
                "anchor": d.anchor.isoformat(),
                "due": d.due.isoformat(),
                "rule": d.rule.description,
            }
            for d in due
        ]
        echo(json.dumps({"as_of": day.isoformat(), "due": rows}, indent=1), raw=True)
    else:
        for item in due:
            echo(_due_line(item))
        echo(f"{plural(len(due), 'record')} due for deletion on {day}", err=True)
    return 0


@retention.command("purge")
@store_option
@_school
@_rules_option
@click.option("--yes", is_flag=True, help="Confirm: deleted records cannot be brought back.")
@_by
def retention_purge_command(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    rules: Path | None,
    as_of: datetime | None,
    yes: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
    by: str,
    role: str,
) -> int:
    """Delete what `retention plan` lists, log it, and compact the store (``write_staff``)."""
    if not yes:
        msg = "a purge cannot be undone: run `devcycle retention plan` first, then add --yes"
        raise click.UsageError(msg)
    chosen = load_retention_rules(rules) if rules else DEFAULT_RETENTION
    day = _day(as_of) or date.today()
    with open_cli_store(store, existing=True) as opened:
        actor = _acting(
            opened,
            school_id,
            "write_staff",
            as_role=as_role,
            as_user=as_user,
            as_trust=as_trust,
            policy_files=policy_files,
            by=by,
            role=role,
        )
        deleted = retention_purge(opened, school_id, day, chosen, by=actor.user_id, role=actor.role)
    for item in deleted:
        echo(f"deleted {_due_line(item)}")
    echo(f"Purged {plural(len(deleted), 'record')} on {day}", err=True)
    return 0
