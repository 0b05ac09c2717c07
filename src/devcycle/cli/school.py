"""``devcycle school add | show | list | join``: create a school and see what the store holds.

Usage::

    devcycle school add brook --name "Brook Primary" --team ks1="Key Stage 1" --team ks2
    devcycle school add brook --name "Brook Primary" --priority P1="Reading for pleasure"
    devcycle school show brook
    devcycle school list
    devcycle school join brook --trust rivers
    devcycle school join brook --no-trust
    devcycle school budget brook 2026-27 --from 2026-09-01 --to 2027-08-31 --amount 4000
    devcycle school plan-training brook plan.toml --calendar terms.csv

``devcycle plan --roster staff.csv --school brook`` creates the school too when it is not
stored yet (named by ``--school-name``, with the teams the roster names), so reports work
straight after planning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import click

from devcycle.access import Actor, require
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._dates import DAY
from devcycle.cli._named import as_option, named_by
from devcycle.cli._reviewers import needing_reviewer, reviewer_hints, who
from devcycle.cli._safe import echo, terminal_safe
from devcycle.cli._store import open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.domain import (
    KPI,
    CPDBudget,
    Cycle,
    Milestone,
    Priority,
    School,
    StaffMember,
    Team,
    TeamMilestone,
    TrainingPlanEntry,
)
from devcycle.domain.milestones import MilestoneKind
from devcycle.errors import (
    ConflictError,
    DevcycleError,
    NotFoundError,
    Problem,
    ValidationError,
    did_you_mean,
)
from devcycle.serialization import from_dict, read_file
from devcycle.storage import Store

if TYPE_CHECKING:
    from devcycle.domain.calendar import SchoolCalendar

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
    names; a stored school gains the teams it lacks, takes *name* if one is given (what
    the planner says is applied, as the roster's own fields are), and keeps everything
    else.
    """
    team_ids = sorted({t for person in people for t in person.team_ids})
    if existing is None:
        teams = tuple(Team(t, t) for t in team_ids)
        return School(id=school_id, name=name or school_id, teams=teams)
    known = {t.id for t in existing.teams}
    missing = tuple(Team(t, t) for t in team_ids if t not in known)
    new_name = name if name is not None else existing.name
    if not missing and new_name == existing.name:
        return None
    # evolve, not School(...): every other field (budgets, team milestones, any field
    # added later) is kept as stored.
    return attrs.evolve(existing, teams=(*existing.teams, *missing), name=new_name)


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
    with named_by({"$.id": "--team", "$.name": "--team"}):
        made_teams = tuple(Team(i, n) for i, n in _pairs(teams, "--team"))
    with named_by({"$.id": "--priority", "$.title": "--priority"}):
        made_priorities = tuple(Priority(i, n) for i, n in _pairs(priorities, "--priority"))
    with named_by(_SCHOOL_OPTIONS):
        created = School(
            id=school_id,
            name=name,
            trust_id=trust_id,
            country=country,
            teams=made_teams,
            priorities=made_priorities,
        )
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    require(policy_from(policy_files), actor, "write_school", school=created, staff={})
    with open_cli_store(store, actor=actor) as opened:
        try:
            opened.schools.add(created)
        except ConflictError:
            msg = f"school {school_id!r} is already stored; see: devcycle school show {school_id}"
            raise click.ClickException(msg) from None
        echo(
            f"Created school {school_id!r} ({name}) with {plural(len(created.teams), 'team')} "
            f"and {plural(len(created.priorities), 'priority', 'priorities')} in {opened.url}"
        )
    return 0


@school.command("show")
@store_option
@click.argument("school_id", metavar="ID")
@click.option(
    "--as-of",
    "as_of",
    type=DAY,
    default=None,
    help="The day to judge who has left on (default: today).",
)
def school_show(store: str, school_id: str, as_of: datetime | None) -> int:
    """Show the school ID: staff and leavers, teams, priorities, budgets, plan and milestones.

    Leavers (staff whose leaving date is before --as-of, default today) are listed apart
    from the current staff (someone due to leave shows when), and so are the open cycles
    that need a reviewer: none set, or a reviewer who has left (move them with devcycle
    person reassign).
    """
    day = as_of.date() if as_of is not None else date.today()
    with open_cli_store(store, readonly=True) as opened:
        try:
            found = opened.schools.get(school_id)
        except NotFoundError:
            known = [s.id for s in opened.schools.list()]
            raise NotFoundError("school", school_id, known=known) from None
        staff = opened.staff.for_school(school_id)
        cycles = opened.cycles.for_school(school_id)
        planned = opened.training_plan.for_school(school_id)
    trust = f", trust {found.trust_id}" if found.trust_id else ""
    echo(terminal_safe(f"{found.name} [{found.id}]{trust}, {found.country}"))
    leavers = sorted((p for p in staff if p.has_left(day)), key=lambda p: p.id)
    current = sorted((p for p in staff if not p.has_left(day)), key=lambda p: p.id)
    ended = sum(c.is_ended for c in cycles)
    echo(
        f"Staff: {len(current)}; leavers: {len(leavers)}; cycles: {len(cycles)} "
        f"({sum(not c.is_closed for c in cycles)} open"
        + (f", {ended} ended on leaving" if ended else "")
        + ")"
    )
    by_id = {person.id: person for person in staff}
    _show_people(current, leavers, cycles, by_id, school_id, day)
    members = Counter(t for person in current for t in person.team_ids)
    echo(f"Teams ({len(found.teams)}):")
    for team in found.teams:
        leader = team.leader_id
        name = by_id[leader].name if leader in by_id else leader
        led = f", led by {name} ({leader})" if leader else ""
        if leader in by_id and by_id[leader].has_left(day):
            led += ", who has left"
        line = f"  {team.id:<12} {team.name} ({plural(members[team.id], 'member')}{led})"
        echo(terminal_safe(line))
    echo(f"Priorities ({len(found.priorities)}):")
    for priority in found.priorities:
        kpis = f" ({plural(len(priority.kpis), 'KPI')})" if priority.kpis else ""
        echo(terminal_safe(f"  {priority.id:<12} {priority.title}{kpis}"))
    echo(f"CPD budgets ({len(found.cpd_budgets)}):")
    for budget in sorted(found.cpd_budgets, key=lambda b: b.start):
        hours = f", {budget.hours:g} staff hours" if budget.hours is not None else ""
        title = f" {budget.title}," if budget.title else ""
        line = (
            f"  {budget.id:<12}{title} {budget.start} to {budget.end}: {budget.amount:,.2f}{hours}"
        )
        echo(terminal_safe(line))
    statuses = Counter(entry.status.value for entry in planned)
    counted = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    echo(
        f"Training plan: {plural(len(planned), 'entry', 'entries')}"
        + (f" ({counted})" if counted else "")
    )
    echo(f"Team milestones ({len(found.team_milestones)}):")
    teams = {team.id: team.name for team in found.teams}
    for item in sorted(found.team_milestones, key=lambda t: (t.milestone.due, t.team_id)):
        milestone = item.milestone
        state = (
            f"held {milestone.completed_on}"
            if milestone.completed_on
            else f"due {milestone.due}, not held yet"
        )
        line = (
            f"  {item.team_id:<12} {milestone.id}: {milestone.title} "
            f"({teams.get(item.team_id, item.team_id)}), {state}"
        )
        echo(terminal_safe(line))
    return 0


def _show_people(  # noqa: PLR0917 - the parts of one listing
    current: Sequence[StaffMember],
    leavers: Sequence[StaffMember],
    cycles: Sequence[Cycle],
    staff: Mapping[str, StaffMember],
    school_id: str,
    day: date,
) -> None:
    """The current staff, the leavers, and the open cycles that need a reviewer on *day*."""
    echo(f"Current staff ({len(current)}):")
    for person in current:
        roles = ", ".join(sorted(r.value for r in person.roles))
        reviewer = f", reviewed by {who(person.reviewer_id, staff)}" if person.reviewer_id else ""
        reviewed_by = staff.get(person.reviewer_id or "")
        if reviewed_by is not None and reviewed_by.has_left(day):
            reviewer += ", who has left"
        leaves = f", leaves on {person.leaving_date}" if person.leaving_date else ""
        echo(terminal_safe(f"  {person.id:<12} {person.name} ({roles}){reviewer}{leaves}"))
    echo(f"Leavers ({len(leavers)}):")
    for person in leavers:
        still = sorted(c.id for c in cycles if c.staff_id == person.id and not c.is_closed)
        ending = (
            f"; open cycle {', '.join(still)}: end it with devcycle person end-cycle "
            f"{person.id} --school {school_id}"
            if still
            else ""
        )
        line = f"  {person.id:<12} {person.name}, left on {person.leaving_date}{ending}"
        echo(terminal_safe(line))
    needing = needing_reviewer(cycles, staff, day)
    echo(f"Open cycles needing a reviewer ({len(needing)}):")
    for cycle, why in needing:
        echo(terminal_safe(f"  {cycle.id:<12} {who(cycle.staff_id, staff)}: {why}"))
    for hint in reviewer_hints(school_id, needing, staff):
        echo(terminal_safe(f"  ({hint})"))


@school.command("list")
@store_option
def school_list(store: str) -> int:
    """List the schools in the store, with their current staff, leavers and cycles.

    A member of staff whose leaving date is before today has left: not counted in the
    staff, but said ("1 has left"); ``devcycle school show ID`` lists them.
    """
    day = date.today()
    with open_cli_store(store, readonly=True) as opened:
        schools = opened.schools.list()
        if not schools:
            echo("No schools yet: devcycle school add ID --name NAME, or devcycle plan.")
            return 0
        width = max(len(s.id) for s in schools)
        for item in schools:
            everyone = opened.staff.for_school(item.id)
            left = sum(1 for person in everyone if person.has_left(day))
            staff = len(everyone) - left
            cycles = len(opened.cycles.for_school(item.id))
            leavers = f", {left:,} {'has' if left == 1 else 'have'} left" if left else ""
            echo(
                terminal_safe(
                    f"{item.id:<{width}}  {item.name}  "
                    f"({plural(staff, 'member')} of staff{leavers}, {plural(cycles, 'cycle')})"
                )
            )
    return 0


_BUDGET_OPTIONS = {
    "$.id": "BUDGET",
    "$.start": "--from",
    "$.end": "--to",
    "$.amount": "--amount",
    "$.hours": "--hours",
    "$.title": "--title",
}
"""A budget's fields -> the argument or option of `school budget` that gives each."""


_SCHOOL_OPTIONS = {
    "$.id": "ID",
    "$.name": "--name",
    "$.trust_id": "--trust",
    "$.country": "--country",
}
_PRIORITY_OPTIONS = {"$.id": "PRIORITY", "$.title": "--title"}
_KPI_OPTIONS = {
    "$.id": "KPI",
    "$.name": "--name",
    "$.unit": "--unit",
    "$.baseline": "--baseline",
    "$.target": "--target",
    "$.due": "--due",
    "$.current": "--current",
    "$.current_on": "--on",
}
_MILESTONE_OPTIONS = {
    "$.id": "MILESTONE",
    "$.title": "--title",
    "$.due": "--due",
    "$.kind": "--kind",
    "$.minutes": "--minutes",
    "$.owner_role": "--owner-role",
    "$.completed_on": "--held-on",
}


@school.command("budget")
@store_option
@click.argument("school_id", metavar="ID")
@click.argument("budget_id", metavar="BUDGET")
@click.option("--from", "start", type=DAY, required=True, help="First day of the budget period.")
@click.option("--to", "end", type=DAY, required=True, help="Last day of the budget period.")
@click.option("--amount", required=True, help="The money budgeted for CPD, as 4000 or 4000.50.")
@click.option(
    "--hours",
    type=float,
    default=None,
    help="Staff hours budgeted for CPD, if any; a budget set again keeps its hours.",
)
@click.option("--no-hours", is_flag=True, help="Remove the staff hours of a budget set again.")
@click.option(
    "--title",
    default=None,
    help='What it is called ("CPD budget 2026/27"); a budget set again keeps its title.',
)
@actor_options
def school_budget(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    school_id: str,
    budget_id: str,
    start: datetime,
    end: datetime,
    amount: str,
    hours: float | None,
    no_hours: bool,
    title: str | None,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Set the school's CPD budget BUDGET (adds it, or replaces one of that id).

    Needs set_cpd_budget (the headteacher, by default). Budgets of one school may not
    overlap. The training-needs report (devcycle report needs) sets the training plan
    against it.
    """
    from devcycle.services import Services  # noqa: PLC0415 - loaded on use

    try:
        money = Decimal(amount)
    except InvalidOperation:
        money = None
    if money is None or not money.is_finite():
        msg = f"expected an amount of money such as 4000 or 4000.50 (got {amount!r})"
        raise ValidationError([f"{msg} @ --amount"])
    if no_hours and hours is not None:
        msg = "give --hours to set the staff hours or --no-hours to remove them, not both"
        raise ValidationError([f"{msg} @ --no-hours"])
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    with open_cli_store(store, existing=True, actor=actor) as opened:
        # A budget set again keeps the title and hours it has unless they are given.
        stored = stored_school(opened, school_id)
        previous = {b.id: b for b in stored.cpd_budgets}.get(budget_id) if stored else None
        kept = _kept_budget_fields(previous, title=title, hours=hours, no_hours=no_hours)
        if previous is not None and title is None:
            title = previous.title
        if previous is not None and hours is None and not no_hours:
            hours = previous.hours
        try:
            budget = CPDBudget(
                id=budget_id,
                start=start.date(),
                end=end.date(),
                amount=money,
                hours=hours,
                title=title or "",
            )
        except ValidationError as exc:
            raise ValidationError(as_option(p, _BUDGET_OPTIONS) for p in exc.problems) from None
        Services(opened, policy_from(policy_files)).set_cpd_budget(actor, school_id, budget)
    echo(
        terminal_safe(
            f"Set CPD budget {budget_id!r} of {school_id!r}: {budget.amount:,.2f} from "
            f"{budget.start} to {budget.end}{kept}; see it against the plan with devcycle "
            "report needs "
            f"--school {school_id}"
        )
    )
    return 0


def _kept_budget_fields(
    previous: CPDBudget | None, *, title: str | None, hours: float | None, no_hours: bool
) -> str:
    """What of the budget set before is kept (not given again) or removed, for the confirmation."""
    if previous is None:
        return ""
    kept = []
    if title is None and previous.title:
        kept.append(f"its title {previous.title!r}")
    if hours is None and not no_hours and previous.hours is not None:
        kept.append(f"its {previous.hours:g} staff hours")
    said = f"; kept {' and '.join(kept)} (not given)" if kept else ""
    if no_hours and previous.hours is not None:
        said += f"; removed its {previous.hours:g} staff hours"
    return said


def _plain_dates(value: Any) -> Any:
    """TOML dates as ISO text, as the converter reads them."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_dates(v) for v in value]
    return value


def _plan_file(
    path: Path, school_id: str
) -> tuple[list[TrainingPlanEntry], list[int], list[Problem]]:
    """Read a training plan file ([[entries]] in TOML, or {"entries": [...]} in JSON).

    Returns the entries that read, the index of each in the file, and the problems of those
    that did not, so that the entries that read can still be checked against the school and
    one run names every problem.
    """
    source = str(path)
    # Read as every input file is: a regular file within the size limit, UTF-8, parsed
    # within the nesting and number limits (devcycle.serialization.read_file).
    data = read_file(path, "json" if path.suffix.lower() == ".json" else "toml")
    if isinstance(data, dict):
        # A misspelt table ([[entires]]) would lose its entries without a word.
        unknown = [
            f"unknown top-level key {key!r}; expected only 'entries' @ $.{key}"
            for key in data
            if key != "entries"
        ]
        if unknown:
            raise ValidationError(unknown, source=source)
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValidationError(
            ["expected a list of entries ([[entries]]) @ $.entries"], source=source
        )
    loaded: list[TrainingPlanEntry] = []
    places: list[int] = []
    problems: list[Problem] = []
    for index, given in enumerate(entries):
        item = {"school_id": school_id, **_plain_dates(given)} if isinstance(given, dict) else given
        try:
            loaded.append(
                from_dict(item, TrainingPlanEntry, path=f"$.entries[{index}]", source=source)
            )
            places.append(index)
        except ValidationError as exc:
            problems.extend(exc.problems)
    # An id given twice is found again when the entries are checked against the school, but
    # only among those that read: name it here when one of the two did not.
    first: dict[str, int] = {}
    for index, given in enumerate(entries):
        entry_id = given.get("id") if isinstance(given, dict) else None
        if not isinstance(entry_id, str):
            continue
        earlier = first.setdefault(entry_id, index)
        if earlier != index and (earlier not in places or index not in places):
            problems.append(
                Problem(f"entry id {entry_id!r} is given more than once", f"$.entries[{index}].id")
            )
    return loaded, places, problems


_ENTRY = re.compile(r"^entries\[(\d+)\]")


def _in_file(problem: Problem, places: list[int]) -> Problem:
    """A problem at ``entries[0].owner_id`` of the entries checked, at the file's own place.

    That is ``$.entries[2].owner_id`` when the entry checked first is the file's third
    (*places*: each checked entry's index in the file).
    """
    match = _ENTRY.match(problem.path)
    if match is None:
        return problem
    index = int(match.group(1))
    place = places[index] if index < len(places) else index
    path = f"$.entries[{place}]{problem.path[match.end() :]}"
    return Problem(problem.message, path, value=problem.value, expected=problem.expected)


def _entry_index(problem: Problem) -> int:
    """The file's entry a problem is about (for listing them in the file's order)."""
    found = re.match(r"^\$\.entries\[(\d+)\]", problem.path)
    return int(found.group(1)) if found else -1


@school.command("plan-training")
@store_option
@click.argument("school_id", metavar="ID")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--calendar",
    "calendar_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The school's calendar: every date must then be a school day.",
)
@actor_options
def school_plan_training(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    school_id: str,
    file: Path,
    calendar_file: Path | None,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Add or replace entries of the school's training plan from FILE, all or none.

    FILE is TOML ([[entries]]) or JSON ({"entries": [...]}); each entry has id, title,
    dates (YYYY-MM-DD), owner_id, and any of hours, cost, level (whole-school, team,
    individual), need, participant_ids, team_id, status (planned, booked, done,
    cancelled), offering_id and notes. Every problem is reported and nothing is stored.
    Needs plan_training (the headteacher and the school office, by default).
    """
    from devcycle.interop.calendars import load_calendar  # noqa: PLC0415 - loaded on use
    from devcycle.services import Services  # noqa: PLC0415

    entries, places, problems = _plan_file(file, school_id)
    calendar = load_calendar(calendar_file) if calendar_file is not None else None
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    saved: list[TrainingPlanEntry] = []
    try:
        with open_cli_store(store, existing=True, actor=actor) as opened:
            try:
                # With problems in the file the entries that read are still checked against
                # the school (written only when there are none): one run names them all.
                saved = Services(opened, policy_from(policy_files)).plan_training(
                    actor, school_id, entries, calendar=calendar, check_only=bool(problems)
                )
            except ValidationError as exc:
                # Checked against the school (owners, teams, school days): named like the
                # file's own problems, with the file and a path into it ($.entries[0].owner_id).
                problems += [_in_file(p, places) for p in exc.problems]
    except (click.ClickException, DevcycleError):
        # The store could not check the entries (none there, no such school, not allowed
        # to plan): with problems in the file, those are the ones to mend first.
        if not problems:
            raise
    if problems:
        ordered = sorted(problems, key=_entry_index)  # stable: each entry's in its order
        raise ValidationError(ordered, source=str(file))
    cost = sum((e.cost for e in saved if e.counts), Decimal(0))
    echo(
        f"Planned {plural(len(saved), 'entry', 'entries')} for {school_id!r} costing "
        f"{cost:,.2f}; see them against the budget with devcycle report needs "
        f"--school {school_id}"
    )
    return 0


def _given(**options: Any) -> dict[str, Any]:
    """The options given on the command line (those left out are None): the fields to set."""
    return {name: value for name, value in options.items() if value is not None}


def _save_changed_school(
    store: str,
    actor: Actor,
    policy_files: tuple[Path, ...],
    school_id: str,
    change: Callable[[School], School],
) -> School:
    """Load the school, change it, and save it through the services (``write_school``).

    The save is audited; a problem *change* raises leaves the store as it was.
    """
    from devcycle.services import Services  # noqa: PLC0415 - loaded on use

    with open_cli_store(store, existing=True, actor=actor) as opened:
        stored = opened.schools.get(school_id)
        return Services(opened, policy_from(policy_files)).save_school(actor, change(stored))


def _replace_priority(
    school: School, priority_id: str, change: Callable[[Priority], Priority]
) -> School:
    """*school* with its priority *priority_id* changed; an unknown id is a clear error."""
    if priority_id not in {p.id for p in school.priorities}:
        known = ", ".join(sorted(p.id for p in school.priorities))
        known = known or "none yet (devcycle school priority)"
        msg = f"school {school.id!r} has no priority {priority_id!r}; its priorities: {known}"
        raise ValidationError([f"{msg} @ PRIORITY"])
    return attrs.evolve(
        school,
        priorities=tuple(change(p) if p.id == priority_id else p for p in school.priorities),
    )


@school.command("join")
@store_option
@click.argument("school_id", metavar="ID")
@click.option("--trust", "trust_id", metavar="TRUST", help="The trust the school joins.")
@click.option("--no-trust", is_flag=True, help="Take the school out of its trust.")
@actor_options
def school_join(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    school_id: str,
    trust_id: str | None,
    no_trust: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Put the stored school ID into a trust (--trust), or take it out of one (--no-trust).

    The trust must be known: a stored trust record (devcycle trust save), or named by
    another stored school. A school the trust record lists cannot leave it until the
    trust's record stops listing it (devcycle trust save TRUST --school ..., by the trust),
    so the record never lists a school outside the trust. Needs govern_school (the
    headteacher, the system); the audit log names the actor.
    """
    if no_trust == (trust_id is not None):
        msg = "give --trust TRUST (the trust it joins) or --no-trust (it leaves its trust)"
        raise click.UsageError(msg)
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    with open_cli_store(store, readonly=True) as opened:
        try:
            stored = opened.schools.get(school_id)
        except NotFoundError:
            known = [s.id for s in opened.schools.list()]
            raise NotFoundError("school", school_id, known=known) from None
        # the actor's right first: what the checks below say is not for everyone's eyes
        staff = {m.id: m for m in opened.staff.for_school(school_id)}
        require(policy_from(policy_files), actor, "govern_school", school=stored, staff=staff)
        schools = opened.schools.list()
        trusts = {t.id: t for t in opened.trusts.list()}
    if stored.trust_id == trust_id:
        where = f"trust {trust_id!r}" if trust_id else "no trust"
        echo(terminal_safe(f"School {school_id!r} is in {where} already; nothing changed"))
        return 0
    if trust_id is not None:
        named = {s.trust_id for s in schools if s.trust_id is not None}
        if trust_id not in trusts and trust_id not in named:
            known_ids = sorted(set(trusts) | named)
            hint = did_you_mean(trust_id, known_ids)
            msg = (
                f"trust {trust_id!r} is not known{'; ' + hint if hint else ''} (known: "
                f"{', '.join(known_ids) or 'none'}); create its record first with devcycle "
                f"trust save {trust_id} --name NAME"
            )
            raise ValidationError([f"{msg} @ --trust"])
    leaving = trusts.get(stored.trust_id or "")
    if leaving is not None and school_id in leaving.school_ids:
        others = " ".join(f"--school {s}" for s in leaving.school_ids if s != school_id)
        msg = (
            f"school {school_id!r} is listed by the record of trust {leaving.id!r}: it leaves "
            f"once the trust stops listing it (devcycle trust save {leaving.id} "
            f"{others or '--no-schools'}, as the trust's leader)"
        )
        raise ValidationError([f"{msg} @ {'--no-trust' if no_trust else '--trust'}"])

    def joined(school: School) -> School:
        with named_by({"$.trust_id": "--trust"}):
            return attrs.evolve(school, trust_id=trust_id)

    _save_changed_school(store, actor, policy_files, school_id, joined)
    before = f"trust {stored.trust_id!r}" if stored.trust_id else "no trust"
    after = f"trust {trust_id!r}" if trust_id else "no trust"
    echo(terminal_safe(f"School {school_id!r} ({stored.name}): {before} -> {after}"))
    joining = trusts.get(trust_id or "")
    if joining is not None and school_id not in joining.school_ids:
        listed = " ".join(f"--school {s}" for s in (*joining.school_ids, school_id))
        echo(
            terminal_safe(
                f"The record of trust {trust_id!r} does not list it yet: devcycle trust save "
                f"{trust_id} {listed} (as the trust's leader)"
            )
        )
    return 0


@school.command("priority")
@store_option
@click.argument("school_id", metavar="ID")
@click.argument("priority_id", metavar="PRIORITY")
@click.option("--title", required=True, help="The priority as the improvement plan states it.")
@actor_options
def school_priority(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    school_id: str,
    priority_id: str,
    title: str,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Add an improvement-plan priority to the school, or retitle one (its KPIs are kept).

    Needs write_school (the headteacher, by default). Add its KPIs with devcycle school kpi.
    """
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    ids: list[str] = []

    def with_priority(stored: School) -> School:
        ids.extend(p.id for p in stored.priorities)
        with named_by(_PRIORITY_OPTIONS):
            if priority_id not in ids:
                return attrs.evolve(
                    stored, priorities=(*stored.priorities, Priority(priority_id, title))
                )
            return _replace_priority(stored, priority_id, lambda p: attrs.evolve(p, title=title))

    _save_changed_school(store, actor, policy_files, school_id, with_priority)
    verb = "Retitled" if priority_id in ids else "Added"
    echo(
        f"{verb} priority {priority_id!r} of {school_id!r}: {title}; add its KPIs with "
        f"devcycle school kpi {school_id} {priority_id} KPI --name ..."
    )
    return 0


@school.command("kpi")
@store_option
@click.argument("school_id", metavar="ID")
@click.argument("priority_id", metavar="PRIORITY")
@click.argument("kpi_id", metavar="KPI")
@click.option("--name", default=None, help="What is measured (required for a new KPI).")
@click.option("--unit", default=None, help='The unit of the figures ("%", "pupils").')
@click.option("--baseline", type=float, default=None, help="The figure when the plan was made.")
@click.option("--target", type=float, default=None, help="The figure the plan aims for.")
@click.option("--due", type=DAY, default=None, help="When the target should be met.")
@click.option("--current", type=float, default=None, help="The latest figure (with --on).")
@click.option(
    "--on",
    "measured_on",
    type=DAY,
    default=None,
    help="The day --current was measured (today or earlier).",
)
@actor_options
def school_kpi(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    school_id: str,
    priority_id: str,
    kpi_id: str,
    name: str | None,
    unit: str | None,
    baseline: float | None,
    target: float | None,
    due: datetime | None,
    current: float | None,
    measured_on: datetime | None,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Add the KPI to a school priority, or change the figures given (the others are kept).

    Record each new measurement with --current and --on; the priorities report (devcycle
    report priorities) sets every KPI beside the objectives and evidence linked to its
    priority. Needs write_school (the headteacher, by default).
    """
    if (current is None) != (measured_on is None):
        msg = "--current and --on go together: a figure needs the day it was measured"
        raise click.UsageError(msg)
    if measured_on is not None and measured_on.date() > date.today():
        msg = (
            f"{measured_on.date().isoformat()} is after today ({date.today().isoformat()}); "
            "a figure can only be recorded on or after the day it was measured"
        )
        raise click.BadParameter(msg, param_hint="'--on'")
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    changes = _given(
        name=name,
        unit=unit,
        baseline=baseline,
        target=target,
        due=due.date() if due else None,
        current=current,
        current_on=measured_on.date() if measured_on else None,
    )

    def with_kpi(priority: Priority) -> Priority:
        kpis = {k.id: k for k in priority.kpis}
        if kpi_id in kpis:
            with named_by(_KPI_OPTIONS):
                kpi = kpis[kpi_id]
                if measured_on is not None:
                    kpi = kpi.record(changes.pop("current"), changes.pop("current_on"))
                kpis[kpi_id] = attrs.evolve(kpi, **changes)
        elif name is None:
            msg = (
                f"a new KPI needs --name (what is measured); {priority_id!r} has no KPI {kpi_id!r}"
            )
            raise ValidationError([f"{msg} @ --name"])
        else:
            with named_by(_KPI_OPTIONS):
                kpis[kpi_id] = KPI(id=kpi_id, **changes)
        return attrs.evolve(priority, kpis=tuple(kpis.values()))

    saved = _save_changed_school(
        store,
        actor,
        policy_files,
        school_id,
        lambda stored: _replace_priority(stored, priority_id, with_kpi),
    )
    kpi = next(k for p in saved.priorities if p.id == priority_id for k in p.kpis if k.id == kpi_id)
    figures = " -> ".join(
        f"{label} {value:g}{kpi.unit}"
        for label, value in (
            ("baseline", kpi.baseline),
            ("current", kpi.current),
            ("target", kpi.target),
        )
        if value is not None
    )
    echo(
        f"KPI {kpi_id!r} of {priority_id!r} at {school_id!r}: {kpi.name}"
        f"{'; ' + figures if figures else ''}; see it with devcycle report priorities "
        f"--school {school_id}"
    )
    return 0


def _on_school_days(milestone: Milestone, calendar: SchoolCalendar) -> None:
    """Refuse a milestone due, or held, on a day *calendar* has the school shut."""
    problems = [
        f"{day.isoformat()} ({day:%A}) is not a school day on calendar {calendar.name!r} "
        f"(a weekend, a holiday or a closure): {what} on a day the school is open @ {option}"
        for day, what, option in (
            (milestone.due, "set it due", "--due"),
            (milestone.completed_on, "it was held", "--held-on"),
        )
        if day is not None and not calendar.is_school_day(day)
    ]
    if problems:
        raise ValidationError(problems)


def _on_weekdays(changes: dict[str, Any]) -> None:
    """Refuse a day given (``--due``, ``--held-on``) that falls on a weekend.

    Without ``--calendar`` the school's holidays are not known (calendars are files, not
    stored with the school), but a weekend is never a school day on any calendar
    (`devcycle.domain.calendar`: school days are Monday to Friday), so a Saturday typed for
    a Friday is caught all the same. Only the days given are checked: a milestone stored
    earlier can still be marked held or retitled.
    """
    problems = [
        f"{day.isoformat()} is a {day:%A}, never a school day: {what} on a weekday (give "
        f"--calendar to check the school's holidays too) @ {option}"
        for field, what, option in (
            ("due", "set it due", "--due"),
            ("completed_on", "it was held", "--held-on"),
        )
        if (day := changes.get(field)) is not None and day.weekday() >= _SATURDAY
    ]
    if problems:
        raise ValidationError(problems)


_SATURDAY = 5


@school.command("team-milestone")
@store_option
@click.argument("school_id", metavar="ID")
@click.argument("team_id", metavar="TEAM")
@click.argument("milestone_id", metavar="MILESTONE")
@click.option("--title", default=None, help="What it is (required for a new one).")
@click.option(
    "--due", type=DAY, default=None, help="The day it falls due (required for a new one)."
)
@click.option(
    "--kind",
    type=click.Choice([k.value for k in MilestoneKind]),
    default=None,
    help="What happens (default: other).",
)
@click.option("--minutes", type=click.IntRange(min=1), default=None, help="How long it takes.")
@click.option("--owner-role", default=None, help='Who leads it (default "reviewer").')
@click.option(
    "--held-on", type=DAY, default=None, help="The day it happened, once it has (today or earlier)."
)
@click.option(
    "--calendar",
    "calendar_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The school's calendar: the due day (and the day held) must then be a school day.",
)
@actor_options
def school_team_milestone(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    school_id: str,
    team_id: str,
    milestone_id: str,
    title: str | None,
    due: datetime | None,
    kind: str | None,
    minutes: int | None,
    owner_role: str | None,
    held_on: datetime | None,
    calendar_file: Path | None,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Add a milestone for a whole team, or change the details given of one.

    A team review or a department moderation session: it is shown beside each member's own
    milestones (devcycle calendar export) and in the overdue report until --held-on is set.
    --held-on cannot be after today, and neither day may be a Saturday or Sunday; with
    --calendar, the day it is due (and the day it was held) must be a school day on it.
    Needs write_school (the headteacher, by default).
    """
    from devcycle.interop.calendars import load_calendar  # noqa: PLC0415 - loaded on use

    if held_on is not None and held_on.date() > date.today():
        msg = (
            f"{held_on.date().isoformat()} is after today ({date.today().isoformat()}); "
            "a milestone is marked held on or after the day it happened"
        )
        raise click.BadParameter(msg, param_hint="'--held-on'")
    calendar = load_calendar(calendar_file) if calendar_file is not None else None
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    changes = _given(
        title=title,
        due=due.date() if due else None,
        kind=kind,
        minutes=minutes,
        owner_role=owner_role,
        completed_on=held_on.date() if held_on else None,
    )

    def with_milestone(stored: School) -> School:
        def mine(item: TeamMilestone) -> bool:
            return item.team_id == team_id and item.milestone.id == milestone_id

        old = next((t for t in stored.team_milestones if mine(t)), None)
        if old is not None:
            with named_by(_MILESTONE_OPTIONS):
                milestone = attrs.evolve(old.milestone, **changes)
        elif title is None or due is None:
            msg = (
                f"a new team milestone needs --title and --due; team {team_id!r} has no "
                f"milestone {milestone_id!r}"
            )
            raise ValidationError([f"{msg} @ --title/--due"])
        else:
            with named_by(_MILESTONE_OPTIONS):
                milestone = Milestone(id=milestone_id, **{"kind": "other", **changes})
        if calendar is not None:
            _on_school_days(milestone, calendar)
        else:
            _on_weekdays(changes)
        kept = tuple(t for t in stored.team_milestones if not mine(t))
        return attrs.evolve(stored, team_milestones=(*kept, TeamMilestone(team_id, milestone)))

    saved = _save_changed_school(store, actor, policy_files, school_id, with_milestone)
    milestone = next(
        t.milestone
        for t in saved.team_milestones
        if t.team_id == team_id and t.milestone.id == milestone_id
    )
    state = f"held {milestone.completed_on}" if milestone.completed_on else f"due {milestone.due}"
    echo(
        terminal_safe(
            f"Team milestone {milestone_id!r} of team {team_id!r} at {school_id!r}: "
            f"{milestone.title}, {state}; it shows in each member's calendar "
            f"(devcycle calendar export --team {team_id})"
        )
    )
    return 0
