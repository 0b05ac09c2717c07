"""``devcycle template``, ``devcycle calendar`` and ``devcycle plan``.

* ``devcycle template list | show NAME | new NAME --from BUILTIN``
* ``devcycle calendar england --year 2026`` writes an (approximate) calendar file to edit;
  ``devcycle calendar export --format ics`` writes the stored milestones and CPD sessions as
  an iCalendar file, or ``--format table`` shows each person's next milestone at a glance.
* ``devcycle plan --template NAME --year 2026 [--calendar FILE] [--roster staff.csv]`` prints
  the schedule and, with a roster, writes one cycle per person to the store (run twice, it
  writes nothing new and lists what it left alone).
* ``devcycle bank add FILE --id ID --text TEXT`` adds a school's own objective to its bank
  file, showing the checker's findings; ``devcycle bank check FILE`` checks every entry.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
import click

from devcycle.access import SYSTEM, AccessPolicy, Actor, check_school_change, require
from devcycle.catalogues.bank import Bank, BankEntry, load_bank, save_bank
from devcycle.catalogues.templates import (
    load_template,
    parse_template,
    shipped_template_text,
    template_names,
)
from devcycle.catalogues.templates import template as get_template
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._dates import DAY
from devcycle.cli._output import output_target, wants_stdout
from devcycle.cli._reviewers import who
from devcycle.cli._safe import echo, terminal_safe
from devcycle.cli._store import is_new_store, local_path, open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.cli.school import school_from_roster, stored_school
from devcycle.domain.calendar import APPROXIMATE_NOTICE, SchoolCalendar, england_pattern
from devcycle.domain.cpd import MAX_REMINDER
from devcycle.domain.cycle import Cycle
from devcycle.domain.people import Role, StaffMember
from devcycle.domain.scheduling import (
    MIN_PRO_RATA_FTE,
    Enrolment,
    FTETooLowError,
    JoinedAfterPeriodError,
    NextMilestone,
    Schedule,
    SchedulingError,
    at_a_glance,
    enrol,
    plan_enrolment,
)
from devcycle.domain.scheduling import plan as plan_schedule
from devcycle.domain.school import Policy, School
from devcycle.domain.templates import CycleTemplate
from devcycle.errors import AccessDenied, NotFoundError, ValidationError, did_you_mean
from devcycle.fileio import (
    PRIVATE_FILE,
    describe_os_error,
    make_private_dir,
    read_text,
    write_atomic,
)
from devcycle.interop.bankholidays import REGIONS, UKBankHolidays
from devcycle.interop.calendars import calendar_to_toml, load_calendar
from devcycle.interop.roster import (
    changed_cells,
    check_reviewers,
    load_roster,
    roster_fields,
    roster_updates,
    row_numbers,
)
from devcycle.storage import Store, UnitOfWork
from devcycle.storage.references import headteachers, staff_problems
from devcycle.sync import (
    record_sync,
    refuse_reinstatements,
    refuse_renames,
    refuse_roster_overrides,
)

__all__ = ["bank", "calendar", "plan", "template", "write_cycles"]

_REGION = click.Choice(sorted(REGIONS))


def _template_file(name: str) -> Path | None:
    """The template file *name* gives, or None for a shipped template's name."""
    path = Path(name)
    if path.suffix.lower() in (".toml", ".json", ".yaml", ".yml") and path.exists():
        return path
    return None


def _resolve_template(name: str) -> CycleTemplate:
    path = _template_file(name)
    return load_template(path) if path is not None else get_template(name)


@contextlib.contextmanager
def _naming_template_file(path: Path | None) -> Iterator[None]:
    """Name the template file in a scheduling error: its milestones did not fit."""
    try:
        yield
    except SchedulingError as exc:
        if path is None:
            raise
        raise SchedulingError(f"template file {path}: {exc}") from None


def _write_text(path: Path, text: str, *, force: bool) -> None:
    if path.exists() and not force:
        msg = f"{path} already exists; use --force to replace it"
        raise click.UsageError(msg)
    _make_folder(path.parent)
    write_atomic(path, text, mode=PRIVATE_FILE)


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        msg = f"cannot write into {folder}: it is a file, not a folder"
        raise click.ClickException(msg)
    try:
        make_private_dir(folder)
    except OSError as exc:
        msg = f"cannot create the folder {folder}: {describe_os_error(exc)}"
        raise click.ClickException(msg) from None


# ------------------------------------------------------------------------ template


@click.group("template")
def template() -> None:
    """List, show and copy cycle templates."""


@template.command("list")
def template_list() -> int:
    """List the templates shipped and installed as plug-ins."""
    rows = [get_template(name) for name in template_names()]
    width = max(len(t.id) for t in rows)
    for item in rows:
        echo(f"{item.id:<{width}}  {item.title}  ({plural(len(item.milestones), 'milestone')})")
    return 0


@template.command("show")
@click.argument("name")
@click.option("--toml", "as_toml", is_flag=True, help="Print the template file itself.")
def template_show(name: str, as_toml: bool) -> int:
    """Show a template: its period and milestones, with basis and sources."""
    if as_toml:
        echo(shipped_template_text(name), nl=False, raw=True)
        return 0
    item = _resolve_template(name)
    period = item.period
    length = f"{period.months} months" if period.months else f"{period.terms} terms"
    echo(f"{item.title} [{item.id}]")
    echo(
        f"Period: {length} from {period.start} (month-day)"
        + ("; pro rata for part-time staff" if period.pro_rata else "")
    )
    if item.roles:
        echo(f"For: {', '.join(r.value for r in item.roles)}")
    if item.description:
        echo(f"\n{item.description.strip()}\n")
    for rule in item.milestones:
        offset = f" {rule.offset:+d} {rule.unit.value}" if rule.offset else ""
        window = f" within {rule.window}" if rule.window else ""
        repeat = ""
        if rule.recurrence is not None:
            r = rule.recurrence
            repeat = (
                f", each {r.each.value}"
                if r.each
                else f", every {r.school_weeks} school weeks"
                if r.school_weeks
                else f", {r.rrule}"
            )
        echo(f"- {rule.id}: {rule.title}")
        echo(f"    when: {rule.anchor}{offset} ({rule.adjust.value} if shut){window}{repeat}")
        echo(f"    who: {rule.owner_role}; basis: {rule.basis.value.replace('_', ' ')}")
        for source in rule.sources:
            echo(f"    source: {source}")
    if item.sources:
        echo("\nSources:")
        for source in item.sources:
            echo(f"  {source}")
    return 0


@template.command("new")
@click.argument("name")
@click.option(
    "--from",
    "base",
    required=True,
    metavar="BUILTIN",
    help="The shipped template to start from (see: devcycle template list).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: NAME.toml; - for standard output).",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def template_new(name: str, base: str, output: Path | None, force: bool) -> int:
    """Write an editable copy of a shipped template as NAME.toml."""
    text = shipped_template_text(base)
    original = get_template(base)
    copied = text.replace(f'id = "{original.id}"', f'id = "{name}"', 1)
    to_stdout = wants_stdout(output)
    target = output_target(output) or Path(f"{name}.toml")
    copied = (
        f"# Copied from the devcycle template {base!r}: edit it for your school, then use it\n"
        f"# with: devcycle plan --template {target} --year YEAR\n" + copied
    )
    parse_template(copied, source=str(target))
    if to_stdout:
        echo(copied, nl=False, data=True)
        return 0
    _write_text(target, copied, force=force)
    echo(f"Wrote {target}: a copy of {base} with id {name!r}.")
    return 0


# ------------------------------------------------------------------------ calendar


@click.group("calendar")
def calendar() -> None:
    """Make and export school calendars."""


@calendar.command("england")
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    required=True,
    help="The year the academic year starts in (2026 for 2026/27).",
)
@click.option(
    "--years",
    type=click.IntRange(1, 10),
    default=1,
    show_default=True,
    help="How many academic years to cover.",
)
@click.option(
    "--region",
    type=_REGION,
    default="england",
    show_default=True,
    help="Whose bank holidays to add.",
)
@click.option("--no-bank-holidays", is_flag=True, help="Leave bank holidays out.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write it (default: calendar-YEAR.toml; - for standard output).",
)
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
def calendar_england(
    *,
    year: int,
    years: int,
    region: str,
    no_bank_holidays: bool,
    output: Path | None,
    force: bool,
) -> int:
    """Write the typical England school calendar (APPROXIMATE) as a TOML file to edit."""
    holidays = None if no_bank_holidays else UKBankHolidays(region)
    generated = england_pattern(year, years=years, bank_holidays=holidays)
    to_stdout = wants_stdout(output)
    target = output_target(output) or Path(f"calendar-{year}.toml")
    if to_stdout:
        echo(calendar_to_toml(generated), nl=False, raw=True)
        echo(APPROXIMATE_NOTICE, err=True)
        return 0
    _write_text(target, calendar_to_toml(generated), force=force)
    echo(f"Wrote {target}: {generated.name}, {plural(len(generated.school_days()), 'school day')}.")
    echo(APPROXIMATE_NOTICE, err=True)
    return 0


@calendar.command("export")
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["ics", "table"]),
    default="ics",
    show_default=True,
    help="An iCalendar file, or the at-a-glance table.",
)
@click.option("--school", "school_id", required=True, help="The school's id.")
@click.option("--staff", "staff_id", help="Only this person's milestones and CPD.")
@click.option("--team", "team_id", help="Only this team's milestones and CPD (not with --staff).")
@click.option(
    "--as-of",
    type=DAY,
    metavar="YYYY-MM-DD",
    help="The day of the export (default: today): people who have left before it are "
    "left out (unless --staff), and the table judges overdue from it.",
)
@click.option(
    "--calendar",
    "calendar_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="For the table: count school days on this calendar.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the .ics file (default, or -: standard output).",
)
@click.option(
    "--remind",
    "remind_days",
    type=click.IntRange(0, MAX_REMINDER.days),
    multiple=True,
    metavar="DAYS",
    help=f"Remind attendees this many days (0 to {MAX_REMINDER.days}) before each CPD "
    "session (repeat for more).",
)
@actor_options
def calendar_export(
    *,
    store: str,
    fmt: str,
    school_id: str,
    staff_id: str | None,
    team_id: str | None,
    as_of: datetime | None,
    calendar_file: Path | None,
    output: Path | None,
    remind_days: tuple[int, ...] = (),
    as_role: str = SYSTEM,
    as_user: str = SYSTEM,
    as_trust: str | None = None,
    policy_files: tuple[Path, ...] = (),
) -> int:
    """Export milestones and CPD sessions as iCalendar, or show who is due next.

    The export names people (their milestones, CPD sessions, coaching pairs, email
    addresses as attendees), so it needs ``read_school`` in the school and ``read_cycle``
    on every cycle it holds: a reviewee exports their own (``--staff`` themself), a
    headteacher the school's.
    """
    output = output_target(output, store)
    if staff_id is not None and team_id is not None:
        msg = "choose --staff or --team, not both"
        raise click.UsageError(msg)
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    policy = policy_from(policy_files)
    day = as_of.date() if as_of else date.today()
    with open_cli_store(store, readonly=True, actor=actor) as opened:
        school = opened.schools.get(school_id)
        people = opened.staff.for_school(school_id)
        staff = {p.id: p for p in people}
        require(policy, actor, "read_school", school=school, school_id=school_id, staff=staff)
        _known_in_school("--staff", staff_id, "member of staff", [p.id for p in people], school)
        _known_in_school("--team", team_id, "team", [t.id for t in school.teams], school)
        if staff_id is not None:
            cycles = opened.cycles.for_staff(school_id, staff_id)
            activities = list(opened.cpd.for_staff(school_id, staff_id))
            # Coaching and mentoring pairings they lead, as the coach or mentor.
            activities.extend(a for a in opened.cpd.for_school(school_id) if a.coach_id == staff_id)
        elif team_id is not None:
            cycles = _current(opened.cycles.for_team(school_id, team_id), staff, day)
            members = {c.staff_id for c in cycles}
            activities = [
                a for a in opened.cpd.for_school(school_id) if members & set(a.attendee_ids)
            ]
        else:
            cycles = _current(opened.cycles.for_school(school_id), staff, day)
            activities = opened.cpd.for_school(school_id)
        for cycle in cycles:
            require(policy, actor, "read_cycle", cycle=cycle, school=school, staff=staff)
    if fmt == "table":
        days = load_calendar(calendar_file) if calendar_file else None
        _glance(cycles, people, day, days, school)
        return 0
    from devcycle.interop.ical import export_ics  # noqa: PLC0415 - needs the ics extra

    data = export_ics(
        cycles,
        stamp=datetime.now(UTC),
        cpd=activities,
        staff=people,
        name=f"devcycle: {staff_id or team_id or school_id}",
        cpd_reminders=[timedelta(days=d) for d in remind_days],
        school=school,
    )
    if output is None:
        echo(data.decode("utf-8"), nl=False, data=True)
    else:
        write_atomic(output, data, mode=PRIVATE_FILE)
        events = data.count(b"BEGIN:VEVENT")
        echo(
            f"Wrote {output}: {plural(events, 'event')} from {plural(len(cycles), 'cycle')}.",
            err=True,
        )
    return 0


def _current(cycles: Sequence[Cycle], staff: Mapping[str, StaffMember], day: date) -> list[Cycle]:
    """*cycles* without those of people who have left by *day*, said on standard error.

    A school's or a team's calendar is its staff's on the export's day: a leaver's open
    milestones are not shown as due or OVERDUE (the reports leave them out too), as the
    team and whole-school proformas leave leavers out. ``--staff`` still exports a
    leaver's own.
    """
    gone = sorted(
        {c.staff_id for c in cycles if c.staff_id in staff and staff[c.staff_id].has_left(day)}
    )
    if not gone:
        return list(cycles)
    echo(
        terminal_safe(
            f"Left out {plural(len(gone), 'leaver')} (left before {day.isoformat()}): "
            f"{', '.join(gone)}"
        ),
        err=True,
    )
    return [c for c in cycles if c.staff_id not in gone]


def _known_in_school(
    option: str, value: str | None, kind: str, known: Sequence[str], school: School
) -> None:
    """Refuse *value* of *option* unless it is one of the school's *known* ids (exit 2)."""
    if value is None or value in known:
        return
    hint = str(NotFoundError(kind, value, known=known)).removeprefix(f"no {kind} {value!r}")
    msg = f"{option}: no {kind} {value!r} in school {school.id!r}{hint}"
    raise click.ClickException(msg)


def _glance(
    cycles: Sequence[Cycle],
    people: Sequence[StaffMember],
    day: date,
    days: SchoolCalendar | None,
    school: School,
) -> None:
    names = {p.id: p.name for p in people}
    rows = at_a_glance(cycles, day, days)
    if not rows:
        echo("No open cycles.")
        return
    _glance_rows(rows, names)
    # Team milestones not yet held, of the teams of the people shown, beside their own.
    by_id = {p.id: p for p in people}
    shown = {c.staff_id for c in cycles}
    teams = {t.id: t.name for t in school.teams}
    held = [
        t
        for t in school.team_milestones
        if t.milestone.completed_on is None
        and any(t in school.team_milestones_for(by_id[s]) for s in shown if s in by_id)
    ]
    for item in sorted(held, key=lambda t: (t.milestone.due, t.team_id, t.id)):
        flag = "OVERDUE" if item.milestone.is_overdue(day) else "due"
        team = f"team: {teams.get(item.team_id, item.team_id)}"
        echo(terminal_safe(f"{team:<24} {flag:<8} {item.milestone.due}  {item.milestone.title}"))


def _school_days(days: int) -> str:
    """The time to a milestone: "1 school day", "3 school days", or "2 school days ago"."""
    phrase = plural(abs(days), "school day")
    return f"{phrase} ago" if days < 0 else phrase


def _glance_rows(rows: Sequence[NextMilestone], names: dict[str, str]) -> None:
    for row in rows:
        who = terminal_safe(names.get(row.staff_id, row.staff_id))
        if row.milestone is None:
            echo(f"{who:<24} nothing left to do")
            continue
        flag = "OVERDUE" if row.overdue else "due"
        until = "" if row.school_days_until is None else f" ({_school_days(row.school_days_until)})"
        title = terminal_safe(row.milestone.title)
        echo(f"{who:<24} {flag:<8} {row.milestone.due}  {title}{until}")


# ------------------------------------------------------------------------ plan


def _years_needed(chosen: CycleTemplate, people: Sequence[StaffMember]) -> int:
    fte = min((p.fte for p in people), default=1.0) if chosen.period.pro_rata else 1.0
    # A lower FTE is refused by plan() with a message naming the person; size for it.
    fte = max(fte, MIN_PRO_RATA_FTE)
    if chosen.period.terms is not None:
        return math.ceil(chosen.period.terms / fte / 3) + 1
    return math.ceil((chosen.period.months or 12) / fte / 12) + 1


_PATTERN_JURISDICTIONS = ("", "england", "wales")


def _default_calendar(
    chosen: CycleTemplate,
    year: int,
    people: Sequence[StaffMember],
    holidays: UKBankHolidays | None,
) -> SchoolCalendar:
    """The approximate England pattern over every academic year the period touches.

    A period that starts before September (a January-to-December cycle) starts in the
    academic year before, so the pattern starts a year earlier. A template for another
    country is refused: its school's own calendar is needed.
    """
    if chosen.jurisdiction not in _PATTERN_JURISDICTIONS:
        msg = (
            f"template {chosen.id!r} is for {chosen.jurisdiction}, and the built-in calendar "
            "is England's typical pattern: give the school's own calendar with --calendar "
            "FILE (TOML, YAML, CSV or .ics)"
        )
        raise click.UsageError(msg)
    month, _day = chosen.period.month_day
    first = year if month >= 9 else year - 1
    years = _years_needed(chosen, people) + (year - first)
    return england_pattern(first, years=years, bank_holidays=holidays)


def write_cycles(
    store: Store,
    schedules: Sequence[Schedule],
    people: Sequence[StaffMember],
    *,
    school_id: str,
    by: str,
    on: date,
    policy: Policy | None = None,
    school: School | None = None,
    updates: Sequence[StaffMember] = (),
    synced: Collection[str] | None = None,
    check: Callable[[UnitOfWork, Mapping[str, StaffMember]], None] | None = None,
) -> Enrolment:
    """Store the cycles *schedules* plan that the store does not hold yet: all or nothing.

    In one transaction: read the school's stored cycles, work out what is new and what is
    already planned (`devcycle.domain.scheduling.plan_enrolment`: planning twice writes
    nothing the second time), and add the new cycles and every one of *people* (the
    school's roster) not yet stored, enrolled or not, with or without a new cycle: a
    reviewer or a teaching assistant outside the template's roles is stored too, so that
    the school's export imports.
    With *school*, the school is saved in the same transaction (added when new at version
    0, else updated), so that planning a roster for a school not yet stored creates it.
    *updates* are stored staff as the roster now has them (`devcycle.interop.roster.
    roster_updates`), each saved over the version it was read at, in the same transaction,
    whether or not any cycle is new. *check*, if given, is called first in the transaction
    with the school's staff as stored then, and may refuse the plan
    (`devcycle.sync.refuse_roster_overrides`).
    With *synced* (the staff fields the roster carries), the roster's stored people are
    marked as synced in the audit trail, after the writes (`devcycle.sync.record_sync`).

    Returns:
        What was created and what was left alone.

    Raises:
        SchedulingError: If a new cycle's id is taken by another person's cycle; nothing is
            written.
        ValidationError: If a reviewer or line manager of a person or cycle to be stored
            would not be on the school's staff (the rules a bundle import enforces);
            nothing is written.
    """
    names = {p.id: p for p in people}
    with store.transaction() as tx:
        stored_people = {m.id: m for m in tx.staff.for_school(school_id)}
        if check is not None:  # before anything is written
            check(tx, stored_people)
        if school is not None and school.version == 0:
            tx.schools.add(school)
        elif school is not None:
            tx.schools.update(school)
        result = plan_enrolment(
            schedules,
            names,
            tx.cycles.for_school(school_id),
            school_id=school_id,
            by=by,
            on=on,
            policy=policy,
        )
        # The roster is the school's staff: everyone on it not yet stored is stored,
        # enrolled or not, so that every reviewer (and line manager) a stored person or
        # cycle names is stored as well and the school's export imports.
        added = [p for p in people if p.id not in stored_people]
        problems = _reference_problems(
            [*added, *updates], result.created, people, stored_people, school_id
        )
        if problems:
            raise ValidationError(problems, source=f"planning school {school_id!r}")
        written = tx.staff.add_all(added)
        written += [tx.staff.update(member) for member in updates]
        tx.cycles.add_all(result.created)
        if synced is not None:
            saved = {member.id for member in written}
            record_sync(
                tx,
                school_id,
                written=written,
                unchanged=[
                    stored_people[p.id]
                    for p in people
                    if p.id in stored_people and p.id not in saved
                ],
                fields=synced,
                detail="devcycle plan --roster",
            )
        tx.commit()
    return result


def _reference_problems(
    added: Sequence[StaffMember],
    created: Sequence[Cycle],
    people: Sequence[StaffMember],
    stored: Collection[str],
    school_id: str,
) -> list[str]:
    """The references of *added* staff and *created* cycles that would not be stored.

    The rules a bundle import enforces (`devcycle.storage.references`), so that what
    planning saves, the store's own export imports.
    """
    staff_ids = {*stored, *(p.id for p in added)}
    problems = [
        problem
        for index, person in enumerate(added)
        for problem in staff_problems(person, staff_ids, f"$.staff[{index}]")
    ]
    governed = headteachers(people)
    for index, cycle in enumerate(created):
        where = f"$.cycles[{index}]"
        for field, value in (("staff_id", cycle.staff_id), ("reviewer_id", cycle.reviewer_id)):
            if value is None or value in staff_ids:
                continue
            if field == "reviewer_id" and cycle.staff_id in governed:
                continue
            problems.append(
                f"{field} {value!r} of cycle {cycle.id!r} is not on the staff of school "
                f"{school_id!r} (expected a staff member of {school_id!r}) @ {where}.{field}"
            )
    return problems


def _school_policy(store: Store, school_id: str) -> Policy | None:
    try:
        return store.schools.get(school_id).policy
    except NotFoundError:
        return None


def _print_schedule(schedule: Schedule, who: str) -> None:
    echo(terminal_safe(f"{who}: {schedule.period_start} to {schedule.period_end}"))
    for note in schedule.notes:
        echo(f"  note: {note}")
    for milestone in schedule.milestones:
        echo(
            f"  {milestone.due} {milestone.due:%a}  {terminal_safe(milestone.title):<60} "
            f"{milestone.owner_role:<16} {milestone.basis.value.replace('_', ' ')}"
        )


@click.command("plan")
@store_option
@click.option(
    "--template",
    "template_name",
    required=True,
    help="A template name (see: devcycle template list) or a template file.",
)
@click.option(
    "--year", type=click.IntRange(2000, 2100), required=True, help="The year the cycle starts in."
)
@click.option(
    "--calendar",
    "calendar_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The school's calendar (TOML, YAML, CSV or .ics); by "
    "default the approximate England pattern.",
)
@click.option(
    "--region",
    type=_REGION,
    default="england",
    show_default=True,
    help="Whose bank holidays to add to the calendar.",
)
@click.option(
    "--no-bank-holidays",
    is_flag=True,
    help="Add no bank holidays (the calendar file lists them, or none apply).",
)
@click.option(
    "--roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A staff roster CSV: plan a cycle for everyone it holds in the template's "
    "roles, and write the cycles to the store; stored staff are updated from the "
    "fields its columns carry, each change listed. Dates: YYYY-MM-DD or DD/MM/YYYY.",
)
@click.option(
    "--accept-renames",
    is_flag=True,
    help="Accept a roster that gives stored staff other names (genuine changes of name). "
    "Without it such a roster is refused: a trust's schools reuse ids, so it is most "
    "likely another school's roster given the wrong --school.",
)
@click.option(
    "--accept-reinstatements",
    is_flag=True,
    help="Accept a roster that clears stored leaving dates (the people are genuinely "
    "staying). Without it such a roster is refused: it was most likely exported before "
    "the leaving date was recorded (devcycle person leave).",
)
@click.option(
    "--accept-roster-overrides",
    is_flag=True,
    help="Accept a roster that puts back a stored person's reviewer, roles, teams (or any "
    "field it carries) changed in devcycle since their last roster or MIS sync. Without it "
    "such a roster is refused: it was most likely exported before the change was made.",
)
@click.option(
    "--school",
    "school_id",
    default="school",
    show_default=True,
    help="The school's id, for the roster's staff and their cycles (planning a roster "
    "without it says which school it became).",
)
@click.option(
    "--school-name",
    metavar="NAME",
    help="The school's name: a new school's (default: its id); a stored school whose name "
    "differs is renamed.",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="Enrol staff with this role instead of the template's roles (repeatable).",
)
@click.option("--team", "team_id", help="Enrol only this team's members.")
@click.option(
    "--by",
    "planner",
    default="devcycle",
    show_default=True,
    help="Who is planning, for the cycles' history.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Print the schedule, check the roster as saving would (its reviewers against "
    "the stored staff) and list each stored person's field it would change (old -> new); "
    "write nothing.",
)
@actor_options
def plan(
    *,
    store: str,
    template_name: str,
    year: int,
    calendar_file: Path | None,
    region: str,
    no_bank_holidays: bool,
    roster: Path | None,
    accept_renames: bool,
    accept_reinstatements: bool,
    accept_roster_overrides: bool,
    school_id: str,
    school_name: str | None,
    roles: tuple[str, ...],
    team_id: str | None,
    planner: str,
    dry_run: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Schedule cycles from a template and a calendar; print them and save them.

    Saving needs ``create_cycle`` in the school; the audit log names the actor
    (``--as``/``--user``; without ``--user``, the planner ``--by`` names).
    """
    user = as_user if as_user != SYSTEM or planner == "devcycle" else planner
    actor = actor_for(as_role, user, school=school_id, trust=as_trust)
    chosen = _resolve_template(template_name)
    context = click.get_current_context(silent=True)
    if (
        roster is not None
        and not dry_run
        and context is not None
        and context.get_parameter_source("school_id") is click.core.ParameterSource.DEFAULT
    ):
        # A user trial: without --school the roster became a school called "school".
        echo(
            f"note: no --school given: the roster is planned as school {school_id!r}; "
            f"give --school with your school's id",
            err=True,
        )
    # A dry run checks the roster's reviewers as the real run would: against the roster
    # and the staff stored for the school (the roster alone while there is no store yet).
    stored = _stored_staff(store, actor, policy_files, school_id) if roster else {}
    # A reviewer who has left by today is refused too (an old roster run again after
    # devcycle person leave / reassign): named by file, row and column, nothing written.
    # So is a row renaming a stored person (another school's roster, most likely) unless
    # --accept-renames says the changes of name are genuine, and a blank leaving_date for
    # someone with one stored (a roster exported before devcycle person leave) unless
    # --accept-reinstatements says they are staying.
    try:
        people = (
            load_roster(
                roster,
                school_id=school_id,
                stored=stored,
                as_of=date.today(),
                accept_renames=accept_renames,
                accept_reinstatements=accept_reinstatements,
            )
            if roster
            else ()
        )
    except ValidationError as refused:
        if roster is None or not stored or accept_roster_overrides:
            raise
        # One run names every problem: the overrides too, where the rows themselves read.
        raise _and_overrides(refused, store, actor, school_id, stored, roster) from None
    # And a value changed in devcycle since the person's last sync (a reviewer reassigned,
    # a role given) is not put back by an older export unless --accept-roster-overrides:
    # refused here for the dry run and the real run alike, and again in the transaction
    # that writes.
    if roster and stored:
        _refuse_overrides(
            store, actor, school_id, people, stored, roster, accept=accept_roster_overrides
        )
    holidays = None if no_bank_holidays else UKBankHolidays(region)
    if calendar_file is not None:
        days = load_calendar(calendar_file)
        if holidays is not None:
            days = days.with_bank_holidays(holidays)
    else:
        days = _default_calendar(chosen, year, people, holidays)
    if days.approximate:
        echo(f"warning: {days.notes}", err=True)
    with _naming_template_file(_template_file(template_name)):
        if not people:
            _print_schedule(plan_schedule(chosen, days, year=year), f"{chosen.title}, {year}")
            if roster is None:
                echo("(no --roster: nothing was written)", err=True)
            return 0
        _require_team(team_id, people, roster)
        wanted = [Role(r) for r in roles] if roles else None
        with _naming_roster_rows(roster):
            return _plan_roster(
                chosen,
                days,
                people,
                roster_file=roster,
                fields_carried=roster_fields(roster) if roster else (),
                stored=stored,
                accept_renames=accept_renames,
                accept_reinstatements=accept_reinstatements,
                accept_roster_overrides=accept_roster_overrides,
                year=year,
                store=store,
                school_id=school_id,
                school_name=school_name,
                roles=wanted,
                team_id=team_id,
                planner=planner,
                dry_run=dry_run,
                actor=actor,
                policy=policy_from(policy_files),
            )


def _refuse_reinstatements(
    people: Sequence[StaffMember],
    stored: Mapping[str, StaffMember],
    roster_file: Path,
    school_id: str,
    *,
    accept: bool,
) -> None:
    """`refuse_reinstatements` for a roster file: only if it carries ``leaving_date``.

    A roster without the column keeps stored leaving dates (`_with_leaving_dates`).
    """
    if "leaving_date" not in roster_fields(roster_file):
        return
    refuse_reinstatements(
        people,
        stored,
        school_id=school_id,
        accept_reinstatements=accept,
        rows=row_numbers(read_text(roster_file)),
        source=str(roster_file),
    )


def _and_overrides(  # noqa: PLR0917 - what the roster and the store hold, checked at once
    refused: ValidationError,
    store: str,
    actor: Actor,
    school_id: str,
    stored: Mapping[str, StaffMember],
    roster_file: Path,
) -> ValidationError:
    """*refused* (the roster's problems against the stored staff) with its overrides too.

    The rows are read again without the checks against the stored staff; where they read,
    `refuse_roster_overrides`' problems on cells not already refused join the others, in
    row order, so that an old export's leaving dates, renames and overrides are named in
    one run, not one a run.
    """
    try:
        people = load_roster(roster_file, school_id=school_id)
        _refuse_overrides(store, actor, school_id, people, stored, roster_file, accept=False)
    except ValidationError as more:
        # A cell already refused for another reason (a leaver as reviewer) is named once.
        known = {str(p).rsplit(" @ ", 1)[-1] for p in refused.problems}
        extra = [p for p in more.problems if str(p).rsplit(" @ ", 1)[-1] not in known]
        if extra and more.source == refused.source:
            merged = sorted([*refused.problems, *extra], key=lambda p: _row_of(str(p)))
            return ValidationError([str(p) for p in merged], source=refused.source)
    return refused


def _row_of(problem: str) -> int:
    """The row a roster problem names (``... @ row 4, column x``), 0 for none."""
    where = problem.rsplit(" @ ", 1)[-1]
    number = where.removeprefix("row ").split(",", 1)[0]
    return int(number) if where.startswith("row ") and number.isdigit() else 0


def _refuse_overrides(  # noqa: PLR0917 - what the roster and the store hold, checked at once
    store: str,
    actor: Actor,
    school_id: str,
    people: Sequence[StaffMember],
    stored: Mapping[str, StaffMember],
    roster_file: Path,
    *,
    accept: bool,
) -> None:
    """`refuse_roster_overrides` for a roster file, over the store's audit trail (read-only)."""
    if accept:
        return
    with open_cli_store(store, readonly=True, actor=actor) as opened:
        _overrides_check(people, roster_file, school_id, accept=accept)(opened, stored)


def _overrides_check(
    people: Sequence[StaffMember], roster_file: Path, school_id: str, *, accept: bool
) -> Callable[[Store | UnitOfWork, Mapping[str, StaffMember]], None]:
    """A check refusing *roster_file*'s people that would undo changes made in devcycle."""

    def check(where: Store | UnitOfWork, stored: Mapping[str, StaffMember]) -> None:
        refuse_roster_overrides(
            people,
            stored,
            school_id=school_id,
            audit=where.audit,
            accept_roster_overrides=accept,
            fields=roster_fields(roster_file),
            rows=row_numbers(read_text(roster_file)),
            source=str(roster_file),
        )

    return check


def _require_team(team_id: str | None, people: Sequence[StaffMember], roster: Path | None) -> None:
    """Refuse ``--team`` naming a team nobody in the roster is in (it enrolled no one, exit 0)."""
    if team_id is None or any(team_id in p.team_ids for p in people):
        return
    teams = sorted({t for p in people for t in p.team_ids})
    hint = did_you_mean(team_id, teams)
    msg = (
        f"nobody in {roster} is in team {team_id!r}"
        + (f"; {hint}" if hint else "")
        + f"; the roster's teams: {', '.join(teams) or 'none'}"
    )
    raise click.BadParameter(msg, param_hint="--team")


def _with_leaving_dates(
    people: Sequence[StaffMember], stored: Mapping[str, StaffMember], fields: Collection[str]
) -> list[StaffMember]:
    """The roster's people as enrolment sees them: with the leaving date stored for each.

    A leaver recorded with `devcycle person leave` keeps their leaving date when a roster
    without a ``leaving_date`` column is planned again, so no cycle is planned for them
    in a period starting after it; a roster with the column is the MIS's word on it.
    """
    if "leaving_date" in fields:
        return list(people)
    return [
        attrs.evolve(p, leaving_date=stored[p.id].leaving_date)
        if p.id in stored and stored[p.id].leaving_date is not None
        else p
        for p in people
    ]


def _stored_staff(
    store: str, actor: Actor, policy_files: tuple[Path, ...], school_id: str
) -> dict[str, StaffMember]:
    """The staff stored for *school_id*, by id (none if there is no store yet).

    Read before anything is written, so that one run names every bad row of a roster (its
    reviewers included) and a refused roster creates no store.
    """
    path = local_path(store)
    if path is not None and not path.exists():
        return {}
    with open_cli_store(store, readonly=True, actor=actor) as opened:
        existing = stored_school(opened, school_id)
        if existing is None:
            _refuse_other_capitals(opened, school_id)
        staff = {m.id: m for m in opened.staff.for_school(school_id)} if existing else {}
        require(
            policy_from(policy_files),
            actor,
            "create_cycle",
            school=existing,
            school_id=school_id,
            staff=staff,
        )
        return staff


def _refuse_other_capitals(opened: Store, school_id: str) -> None:
    """Refuse ``--school OAK`` where ``oak`` is stored: ids are exact, it would be a new school.

    A second user trial's dry run said "Would create school 'OAK'" beside the stored ``oak``.
    """
    same = [s.id for s in opened.schools.list() if s.id.casefold() == school_id.casefold()]
    if same:
        msg = (
            f"school {school_id!r} is not stored, but {same[0]!r} is: school ids are exact, "
            f"so this would create a second school; give --school {same[0]}"
        )
        raise click.BadParameter(msg, param_hint="--school")


@contextlib.contextmanager
def _naming_roster_rows(roster_file: Path | None) -> Iterator[None]:
    """Name the roster's file, row and column in a joiner's start date or FTE the plan refuses.

    A start date after the period's last school day, or an FTE below `MIN_PRO_RATA_FTE`
    on a pro-rata template, is found when planning, after the roster was read: named like
    every other roster problem (``@ row 3, column start_date``), not as a bare sentence.
    """
    try:
        yield
    except JoinedAfterPeriodError as exc:
        if roster_file is None or exc.staff_id is None:
            raise
        row = row_numbers(read_text(roster_file)).get(exc.staff_id)
        where = f"row {row}, column start_date" if row is not None else "column start_date"
        problem = (
            f"{exc} (expected a start_date within the period planned, or none for someone "
            f"who was already on the staff; plan them in the next cycle) @ {where}"
        )
        raise ValidationError([problem], source=str(roster_file)) from None
    except FTETooLowError as exc:
        if roster_file is None or exc.staff_id is None:
            raise
        row = row_numbers(read_text(roster_file)).get(exc.staff_id)
        where = f"row {row}, column fte" if row is not None else "column fte"
        raise ValidationError([f"{exc} @ {where}"], source=str(roster_file)) from None


def _plan_roster(
    chosen: CycleTemplate,
    days: SchoolCalendar,
    people: Sequence[StaffMember],
    *,
    roster_file: Path | None,
    fields_carried: Collection[str],
    stored: Mapping[str, StaffMember],
    accept_renames: bool,
    accept_reinstatements: bool,
    accept_roster_overrides: bool,
    year: int,
    store: str,
    school_id: str,
    school_name: str | None,
    roles: Sequence[Role] | None,
    team_id: str | None,
    planner: str,
    dry_run: bool,
    actor: Actor,
    policy: AccessPolicy,
) -> int:
    wanted = roles
    names = {p.id: p for p in people}
    if dry_run:
        return _dry_run(
            chosen,
            days,
            people,
            fields_carried=fields_carried,
            stored=stored,
            year=year,
            store=store,
            school_id=school_id,
            roles=wanted,
            team_id=team_id,
            planner=planner,
            school_name=school_name,
            roster_file=roster_file,
            actor=actor,
            policy=policy,
        )
    if is_new_store(store):
        # Nothing is stored yet (no school, no staff, no school policy): refuse what would
        # be refused below (the actor's right, a calendar that does not cover a period)
        # before the store is created, so that a refused plan leaves no empty store.
        require(policy, actor, "create_cycle", school=None, school_id=school_id, staff={})
        fresh = school_from_roster(school_id, school_name, people, None)
        _check_changes(policy, actor, None, fresh, {}, people, (), roster_file)
        enrol(chosen, days, people, year=year, roles=wanted, team_id=team_id)
    with open_cli_store(store, actor=actor) as opened:
        existing = stored_school(opened, school_id)
        staff = {m.id: m for m in opened.staff.for_school(school_id)} if existing else {}
        require(policy, actor, "create_cycle", school=existing, school_id=school_id, staff=staff)
        rows = row_numbers(read_text(roster_file)) if roster_file else None
        source = str(roster_file) if roster_file else None
        check_reviewers(people, school_id=school_id, stored=staff, source=source, rows=rows)
        # Read again in the transaction that writes: staff stored since the roster was read
        # (another plan run) are not renamed unseen either.
        refuse_renames(
            people,
            staff,
            school_id=school_id,
            accept_renames=accept_renames,
            rows=rows or {},  # the command line's wording: rows and --accept-renames
            source=source,
        )
        # and leaving dates recorded since the roster was read are not cleared unseen
        if roster_file is not None:
            _refuse_reinstatements(
                people, staff, roster_file, school_id, accept=accept_reinstatements
            )
        changed, updates = _allowed_changes(
            policy,
            actor,
            existing,
            staff,
            people,
            school_id=school_id,
            school_name=school_name,
            fields_carried=fields_carried,
            roster_file=roster_file,
        )
        school_policy = _school_policy(opened, school_id)
        newcomers = [p for p in people if p.id not in staff]
        schedules = enrol(
            chosen,
            days,
            _with_leaving_dates(people, staff, fields_carried),
            year=year,
            roles=wanted,
            team_id=team_id,
            policy=school_policy,
        )
        result = write_cycles(
            opened,
            schedules,
            people,
            school_id=school_id,
            by=planner,
            on=date.today(),
            policy=school_policy,
            school=(
                changed
                if schedules or updates or newcomers or _renamed(existing, changed)
                else None
            ),
            updates=[member for member, _ in updates],
            synced=fields_carried if roster_file is not None else None,
            check=(
                _overrides_check(people, roster_file, school_id, accept=accept_roster_overrides)
                if roster_file is not None
                else None
            ),
        )
        url = opened.url
        cycles = opened.cycles.for_school(school_id) if updates else []
    created = {c.staff_id for c in result.created}
    for schedule in schedules:
        if schedule.staff_id in created:
            person = names[schedule.staff_id or ""]
            _print_schedule(schedule, f"{person.name} ({person.id})")
    echo(f"{len(schedules)} of {len(people)} staff enrolled in {chosen.id}.")
    _echo_school_changes(
        school_id,
        existing,
        changed,
        written=bool(schedules or newcomers),
        updates=updates,
        stored=staff,
    )
    _echo_reviewer_changes(updates, staff, names, cycles, school_id, dry_run=False)
    for cycle_id, objective_ids in result.carried:
        carried = ", ".join(objective_ids)
        drafts = "a draft" if len(objective_ids) == 1 else "drafts"
        echo(f"  {cycle_id}: carried forward {carried} as {drafts}")
    _echo_enrolment(result, names, where=f" in {url}", dry_run=False)
    _echo_stored_staff(
        newcomers,
        created,
        school_id,
        chosen,
        updated=bool(updates) or _renamed(existing, changed),
        dry_run=False,
    )
    return 0


def _echo_enrolment(
    result: Enrolment,
    names: Mapping[str, StaffMember],
    *,
    where: str,
    dry_run: bool,
) -> None:
    """Say which cycles planning creates and which already planned it leaves alone.

    The same lines for the real run and the dry run (``Would create`` / ``Would leave
    alone``), from the same `plan_enrolment` result.
    """
    if result.created:
        verb = "Would create" if dry_run else "Created"
        echo(f"{verb} {plural(len(result.created), 'cycle')}{where}:")
        for cycle in result.created:
            echo(terminal_safe(f"  {cycle.id}  {names[cycle.staff_id].name}"))
    if result.unchanged:
        verb = "Would leave alone" if dry_run else "Left alone"
        echo(f"{verb} {plural(len(result.unchanged), 'cycle')} already planned:")
        for cycle in result.unchanged:
            who = terminal_safe(
                names[cycle.staff_id].name if cycle.staff_id in names else cycle.staff_id
            )
            echo(
                f"  {cycle.id}  {who} ({cycle.status.value}, "
                f"{cycle.period_start} to {cycle.period_end})"
            )


def _stored_cycles(store: str, school_id: str) -> tuple[list[Cycle], School | None]:
    """The cycles stored for *school_id*, and the school (for a dry run: read-only)."""
    path = local_path(store)
    if path is not None and not path.exists():
        return [], None
    with open_cli_store(store, readonly=True) as opened:
        return list(opened.cycles.for_school(school_id)), stored_school(opened, school_id)


def _echo_reviewer_changes(
    updates: Sequence[tuple[StaffMember, tuple[str, ...]]],
    stored: Mapping[str, StaffMember],
    names: Mapping[str, StaffMember],
    cycles: Sequence[Cycle],
    school_id: str,
    *,
    dry_run: bool,
) -> None:
    """Say who gets a new reviewer from the roster, and which open cycles keep the old one.

    Planning changes the staff record (the next cycle planned follows it), never a cycle
    already stored: each open cycle still reviewed by the old reviewer is named with the
    command that moves it.
    """
    changes = [
        (member, stored[member.id].reviewer_id)
        for member, fields in updates
        if "reviewer_id" in fields and member.id in stored
    ]
    if not changes:
        return
    everyone = {**stored, **names}

    def named(person_id: str | None) -> str:
        return who(person_id, everyone)

    verb = "Would give" if dry_run else "Gave"
    echo(f"{verb} {plural(len(changes), 'person', 'people')} a new reviewer from the roster:")
    for member, old in changes:
        echo(
            terminal_safe(
                f"  {member.id}  {member.name}: {named(old)} -> {named(member.reviewer_id)}"
            )
        )
        for cycle in cycles:
            if cycle.staff_id != member.id or cycle.is_closed or cycle.reviewer_id != old:
                continue
            move = (
                f"devcycle person reassign {old} --school {school_id} --cycle {cycle.id} "
                f"--to {member.reviewer_id}"
                if old is not None and member.reviewer_id is not None
                else f"assign its reviewer for {member.id}"
            )
            echo(
                terminal_safe(
                    f"    open cycle {cycle.id} keeps {named(old)} as reviewer; move it with: "
                    f"{move}"
                )
            )


def _dry_run(
    chosen: CycleTemplate,
    days: SchoolCalendar,
    people: Sequence[StaffMember],
    *,
    fields_carried: Collection[str],
    stored: Mapping[str, StaffMember],
    year: int,
    store: str,
    school_id: str,
    roles: Sequence[Role] | None,
    team_id: str | None,
    planner: str,
    school_name: str | None,
    roster_file: Path | None,
    actor: Actor,
    policy: AccessPolicy,
) -> int:
    """Print what planning would do: the schedules, the staff updates, the new reviewers.

    Which cycles would be created and which already planned left alone is decided as in
    the real run (`plan_enrolment` over the school's stored cycles, read-only): only the
    schedules of the cycles it would create are printed.
    """
    wanted = roles
    names = {p.id: p for p in people}
    cycles, existing = _stored_cycles(store, school_id)
    school_policy = existing.policy if existing is not None else None
    # Refused where the real run would be (the roster's promotions, newcomers' roles,
    # reviewers, a renamed school), by the same checks, over what was read.
    changed, would = _allowed_changes(
        policy,
        actor,
        existing,
        dict(stored),
        people,
        school_id=school_id,
        school_name=school_name,
        fields_carried=fields_carried,
        roster_file=roster_file,
    )
    enrolling = _with_leaving_dates(people, stored, fields_carried)
    schedules = enrol(
        chosen,
        days,
        enrolling,
        year=year,
        roles=wanted,
        team_id=team_id,
        policy=school_policy,
    )
    result = plan_enrolment(
        schedules,
        names,
        cycles,
        school_id=school_id,
        by=planner,
        on=date.today(),
        policy=school_policy,
    )
    created = {c.staff_id for c in result.created}
    for schedule in schedules:
        if schedule.staff_id in created:
            person = names[schedule.staff_id or ""]
            _print_schedule(schedule, f"{person.name} ({person.id})")
    echo(f"{len(schedules)} of {len(people)} staff enrolled in {chosen.id}.")
    newcomers = [p for p in people if p.id not in stored]
    _echo_school_changes(
        school_id,
        existing,
        changed,
        written=bool(schedules or newcomers),
        updates=would,
        stored=stored,
        dry_run=True,
    )
    _echo_reviewer_changes(
        would,
        stored,
        names,
        cycles if stored else [],
        school_id,
        dry_run=True,
    )
    _echo_enrolment(result, names, where="", dry_run=True)
    _echo_stored_staff(newcomers, created, school_id, chosen, updated=bool(would), dry_run=True)
    path = local_path(store)
    checked = (
        "the roster alone (there is no store yet)"
        if path is not None and not path.exists()
        else f"the roster and the staff stored for {school_id!r}"
    )
    echo(f"(dry run: nothing was written; reviewers were checked against {checked})", err=True)
    return 0


def _echo_school_changes(
    school_id: str,
    existing: School | None,
    changed: School | None,
    *,
    written: bool,
    updates: Sequence[tuple[StaffMember, tuple[str, ...]]],
    stored: Mapping[str, StaffMember],
    dry_run: bool = False,
) -> None:
    """Say what planning changed on the school and its stored staff (*stored*: as read)."""
    create, add, rename = (
        ("Would create", "Would add", "Would rename")
        if dry_run
        else ("Created", "Added", "Renamed")
    )
    if changed is not None and existing is None and written:
        teams = ", ".join(t.id for t in changed.teams) or "none"
        echo(terminal_safe(f"{create} school {school_id!r} ({changed.name}); teams: {teams}"))
    elif changed is not None and existing is not None and (written or updates):
        added = [t.id for t in changed.teams if t not in existing.teams]
        if added:
            echo(terminal_safe(f"{add} teams to school {school_id!r}: {', '.join(added)}"))
    if changed is not None and existing is not None and _renamed(existing, changed):
        echo(terminal_safe(f"{rename} school {school_id!r}: {existing.name} -> {changed.name}"))
    _echo_staff_updates(updates, stored, dry_run=dry_run)


def _echo_staff_updates(
    updates: Sequence[tuple[StaffMember, tuple[str, ...]]],
    stored: Mapping[str, StaffMember],
    *,
    dry_run: bool,
) -> None:
    """List every field the roster changes for a stored person: ``field: old -> new``.

    A roster is the MIS's word, so its changes are made (an old roster run again puts its
    old values back); listing each one, in the dry run and the real run alike, is what
    keeps any from going unseen.
    """
    if not updates:
        return
    verb = "Would update" if dry_run else "Updated"
    echo(f"{verb} {plural(len(updates), 'staff member')} from the roster (field: old -> new):")
    for member, cells in changed_cells(updates, stored):
        echo(terminal_safe(f"  {member.id}  {member.name}"))
        for column, old, new in cells:
            echo(terminal_safe(f"    {column}: {old or '(none)'} -> {new or '(none)'}"))


def _renamed(existing: School | None, changed: School | None) -> bool:
    return existing is not None and changed is not None and existing.name != changed.name


def _allowed_changes(
    policy: AccessPolicy,
    actor: Actor,
    existing: School | None,
    staff: dict[str, StaffMember],
    people: Sequence[StaffMember],
    *,
    school_id: str,
    school_name: str | None,
    fields_carried: Collection[str],
    roster_file: Path | None,
) -> tuple[School | None, list[tuple[StaffMember, tuple[str, ...]]]]:
    """The school as the roster leaves it and the staff it updates, refused without the right.

    The real run and the dry run both ask this (the dry run over what it read, writing
    nothing), so that a dry run is refused where the real run would be.
    """
    changed = school_from_roster(school_id, school_name, people, existing)
    # The roster is the MIS's word on the fields it carries: a stored person whose
    # name, roles, teams (...) changed is updated, under the policy like any staff
    # change (write_staff; grant_role for a role that carries access).
    updates = roster_updates(people, staff, fields_carried)
    _check_changes(policy, actor, existing, changed, staff, people, updates, roster_file)
    return changed, updates


def _check_changes(  # noqa: PLR0917 - what a roster changes, checked in one place
    policy: AccessPolicy,
    actor: Actor,
    existing: School | None,
    changed: School | None,
    staff: dict[str, StaffMember],
    people: Sequence[StaffMember],
    updates: Sequence[tuple[StaffMember, tuple[str, ...]]],
    roster_file: Path | None = None,
) -> None:
    """Refuse what the roster (or --school-name) changes on a stored school without the right.

    Updating stored staff needs ``write_staff``; for the people it updates or adds,
    `check_school_change` guards power as `Services.save_school` does (a role that carries
    access needs ``grant_role``, never to oneself, and so does taking one from someone else;
    nobody but the system makes themself someone's reviewer or line manager, a newcomer's
    included); renaming the stored school needs ``write_school``.
    """
    everyone = {**{p.id: p for p in people}, **staff}
    rows = row_numbers(read_text(roster_file)) if roster_file is not None else {}
    if existing is None:
        # a school the roster creates: its roles are the MIS's, as planning always took
        # them (judged as already held), but nobody makes themself a newcomer's reviewer
        held = {p.id: attrs.evolve(p, reviewer_id=None, line_manager_id=None) for p in people}
        _check_members(policy, actor, changed, held, people, everyone, rows, roster_file)
        return
    if updates:
        require(policy, actor, "write_staff", school=existing, staff=everyone)
    # the people the roster adds to a stored school are guarded as the ones it changes:
    # their roles (grant_role) and their reviewer and line manager (never the actor)
    added = [p for p in people if p.id not in staff]
    members = [*added, *(member for member, _ in updates)]
    _check_members(policy, actor, existing, staff, members, everyone, rows, roster_file)
    if _renamed(existing, changed):
        require(policy, actor, "write_school", school=existing, staff=everyone)


def _check_members(  # noqa: PLR0917 - the roster's people, checked one at a time
    policy: AccessPolicy,
    actor: Actor,
    school: School | None,
    stored: Mapping[str, StaffMember],
    members: Sequence[StaffMember],
    everyone: Mapping[str, StaffMember],
    rows: Mapping[str, int],
    roster_file: Path | None,
) -> None:
    """`check_school_change` for each member, a refusal naming the roster's row and column."""
    if school is None:
        return
    for member in members:
        try:
            check_school_change(
                policy, actor, school, school, stored=stored, members=[member], staff=everyone
            )
        except AccessDenied as denied:
            row = rows.get(member.id)
            if row is None:
                raise
            column = f", column {denied.field}" if denied.field else ""
            raise AccessDenied(
                f"{denied} @ {roster_file} row {row}{column}", field=denied.field
            ) from None


def _echo_stored_staff(
    new_staff: Sequence[StaffMember],
    enrolled: Collection[str | None],
    school_id: str,
    chosen: CycleTemplate,
    *,
    updated: bool = False,
    dry_run: bool,
) -> None:
    """Say how many of the roster were (or would be) stored as the school's staff.

    Everyone on the roster not yet stored is stored, enrolled or not; with no new person,
    no new cycle and no staff update, nothing was written.
    """
    if not new_staff and not enrolled and not updated:
        echo("Nothing new would be written." if dry_run else "Nothing new to write.")
    elif new_staff:
        others = len([p for p in new_staff if p.id not in enrolled])
        verb = "Would store" if dry_run else "Stored"
        echo(
            f"{verb} {plural(len(new_staff), 'staff member')} from the roster on the staff "
            f"of {school_id!r} ({others} not enrolled in {chosen.id})."
        )


# ------------------------------------------------------------------------ bank

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _terminal(text: str) -> str:
    """*text* with control and bidi-override characters shown as U+FFFD, for one line."""
    return _UNPRINTABLE.sub("\ufffd", text)


def _echo_report(lines: Sequence[str]) -> None:
    for line in lines:
        echo(_terminal(line))


@click.group("bank")
def bank() -> None:
    """Add to and check a school's own objective bank file."""


@bank.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "entry_id", required=True, help="The entry's id, unique in the bank.")
@click.option("--text", required=True, help="The objective, ready to adapt.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in Role]),
    help="A role it suits (repeatable).",
)
@click.option("--theme", "themes", multiple=True, help="A priority theme it serves (repeatable).")
@click.option("--standard", "standards", multiple=True, help="A standard it develops (repeatable).")
def bank_add(
    *,
    file: Path,
    entry_id: str,
    text: str,
    roles: tuple[str, ...],
    themes: tuple[str, ...],
    standards: tuple[str, ...],
) -> int:
    """Add an objective to FILE (.json, else TOML), showing what the checker finds in it.

    The file holds only the school's own entries and is created if missing. An entry with
    findings is still added (the school decides); the findings say what to improve.
    """
    current = load_bank(file) if file.exists() else Bank.shipped()
    entry = BankEntry(
        id=entry_id, text=text, roles=roles, themes=themes, standards=standards, source=str(file)
    )
    added = current.add(entry, source=str(file))
    save_bank(added.bank, file)
    _echo_report(added.report())
    echo(f"Saved {file}; school entries: {len(added.bank.own_entries)}.")
    return 0


@bank.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def bank_check(*, file: Path) -> int:
    """Check every entry of a school's bank FILE; exit 1 if any has findings."""
    loaded = load_bank(file)
    assessed = loaded.assess()
    _echo_report(loaded.report())
    flagged = sum(1 for _entry, assessment in assessed if assessment.findings)
    echo(f"School entries: {len(assessed)}; with findings: {flagged}.")
    return 1 if flagged else 0
