"""``devcycle proforma``: write review proformas from the store, for one person or many.

Usage::

    devcycle proforma --person T006 --stage final --audience reviewee --format docx -o anna.docx
    devcycle proforma --team ks2 --stage planning --audience reviewer --format html -o out/
    devcycle proforma --all --stage check-in --audience reviewer --combined -o school.docx
    devcycle proforma --person T006 --stage final --as reviewee --user T006 -o mine.docx

The command acts as an actor (``--as ROLE --user ID``, default the ``system`` role of
whoever runs it on the store): the proforma is prepared for the actor's own audience, or
for ``--audience`` where their role may prepare that copy, and shows no more than the
actor may see. Cycles the actor may not read are left out (an error for ``--person``).

For several people, ``-o`` names a folder (one file each, named
``<person>-<stage>-<audience><suffix>``) or, with ``--combined``, one file holding everyone,
each person starting on a new page. A progress bar shows on standard error.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import click

from devcycle.access import AccessPolicy, Actor, decide, proforma_audience
from devcycle.catalogues import framework as load_framework
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._dates import DAY
from devcycle.cli._formats import RendererFormat
from devcycle.cli._output import output_target, refuse_store_path, wants_stdout
from devcycle.cli._safe import echo
from devcycle.cli._store import open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.document import Document, combine
from devcycle.domain import (
    Audience,
    CPDActivity,
    Cycle,
    Framework,
    Objective,
    School,
    StaffMember,
)
from devcycle.errors import AccessDenied, NotFoundError, ValidationError
from devcycle.fileio import PRIVATE_FILE, describe_os_error, make_private_dir, write_atomic
from devcycle.proforma import STAGES, StageDefinition, build_proforma, get_stage, stage_names
from devcycle.render import Renderer, get_renderer, renderer_names
from devcycle.reports import RagPolicy, colour_objective
from devcycle.services import Services
from devcycle.storage import Store

__all__ = ["choose_cycle", "proforma"]


def choose_cycle(cycles: Sequence[Cycle], as_of: date) -> Cycle | None:
    """Return the cycle whose period covers *as_of*, else the latest that started before it."""
    covering = [c for c in cycles if c.period_start <= as_of <= c.period_end]
    if covering:
        return max(covering, key=lambda c: (c.period_start, c.id))
    started = [c for c in cycles if c.period_start <= as_of]
    return max(started, key=lambda c: (c.period_start, c.id)) if started else None


def _schools(store: Store, school_id: str | None) -> list[School]:
    if school_id is not None:
        return [store.schools.get(school_id)]
    schools = list(store.schools.list())
    if not schools:
        msg = "the store holds no schools: run 'devcycle demo' or import a bundle first"
        raise click.UsageError(msg)
    return schools


def _people(
    store: Store, schools: list[School], person: str | None, team: str | None, day: date
) -> list[tuple[School, StaffMember]]:
    """The people chosen: one (a leaver too), or a team's or a school's current staff.

    A team or the whole school is its staff on *day*: those who have left by then
    (`StaffMember.has_left`) are left out, and said to be on standard error.
    """
    chosen: list[tuple[School, StaffMember]] = []
    for school in schools:
        if person is not None:
            chosen.extend((school, m) for m in store.staff.for_school(school.id) if m.id == person)
        elif team is not None:
            if len(schools) == 1:
                school.team(team)  # an unknown team is an error naming the known ones
            chosen.extend((school, m) for m in store.staff.in_team(school.id, team))
        else:
            chosen.extend((school, m) for m in store.staff.for_school(school.id))
    if person is None:
        gone = sorted(m.id for _s, m in chosen if m.has_left(day))
        if gone:
            chosen = [(s, m) for s, m in chosen if not m.has_left(day)]
            echo(
                f"Left out {plural(len(gone), 'leaver')} (left before {day.isoformat()}): "
                f"{', '.join(gone)}",
                err=True,
            )
    if person is not None and not chosen:
        raise NotFoundError("member of staff", person)
    # Ids are the schools' own: two schools of a trust may each have a "T1" or a "ks2",
    # and they are different people (as the reports refuse, so does the proforma).
    if person is not None:
        _one_school(f"member of staff {person!r}", {s.id for s, _ in chosen})
    elif team is not None:
        _one_school(f"team {team!r}", {s.id for s in schools if _has_team(s, team)})
    if not chosen:
        msg = f"no staff found in team {team!r}" if team else "no staff found"
        raise click.UsageError(msg)
    return sorted(chosen, key=lambda pair: (pair[0].id, pair[1].id))


def _echo_not_started(later: Mapping[date, Sequence[str]]) -> None:
    """Say on standard error who is left out because their first cycle starts after --as-of.

    As leavers are: a joiner planned to start later is on the team, but has no proforma yet.
    One line for each date a first cycle starts, earliest first.
    """
    for first in sorted(later):
        ids = sorted(later[first])
        echo(
            f"Left out {len(ids)} not yet started (first cycle from {first.isoformat()}): "
            f"{', '.join(ids)}",
            err=True,
        )


def _has_team(school: School, team_id: str) -> bool:
    return any(t.id == team_id for t in school.teams)


def _one_school(what: str, school_ids: set[str]) -> None:
    """Refuse an id that names someone (or a team) in several schools: say which is meant."""
    if len(school_ids) > 1:
        ids = ", ".join(sorted(school_ids))
        msg = f"{what} exists in several schools ({ids}): name the school as well (--school ID)"
        raise click.UsageError(msg)


def _policy_rag(cycle: Cycle, day: date) -> Callable[[Objective], tuple[str, str]]:
    """Colour each objective of *cycle* by the reports' default RAG policy, with the reason."""
    policy = RagPolicy()

    def colour(objective: Objective) -> tuple[str, str]:
        result = colour_objective(cycle, objective, day, policy)
        return result.colour.value, result.reason

    return colour


@attrs.frozen
class _Job:
    """One proforma to build: the person, their cycle and their school's data."""

    school: School
    member: StaffMember
    cycle: Cycle
    staff: tuple[StaffMember, ...]
    cpd: tuple[CPDActivity, ...]
    actor: Actor


def _jobs(
    store: Store,
    school_id: str | None,
    person_id: str | None,
    team_id: str | None,
    day: date,
    *,
    actor: Actor,
    policy: AccessPolicy,
) -> list[_Job]:
    people = _people(store, _schools(store, school_id), person_id, team_id, day)
    staff: dict[str, tuple[StaffMember, ...]] = {}
    cpd: dict[str, tuple[CPDActivity, ...]] = {}
    jobs: list[_Job] = []
    later: dict[date, list[str]] = {}  # joiners left out, by when their first cycle starts
    for school, member in people:
        if school.id not in staff:
            staff[school.id] = tuple(store.staff.for_school(school.id))
            cpd[school.id] = tuple(store.cpd.for_school(school.id))
        cycles = store.cycles.for_staff(school.id, member.id)
        cycle = choose_cycle(cycles, day)
        if cycle is None:
            if person_id is not None:
                msg = f"{member.name} ({member.id}) has no cycle on or before {day.isoformat()}"
                raise ValidationError([f"{msg} @ --as-of"])
            if cycles:
                later.setdefault(min(c.period_start for c in cycles), []).append(member.id)
            continue
        decision = decide(
            policy,
            actor,
            "read_cycle",
            cycle=cycle,
            school=school,
            staff={m.id: m for m in staff[school.id]},
        )
        if not decision.allowed:
            if person_id is not None:
                raise AccessDenied(f"cannot read_cycle: {decision.reason}")
            continue
        jobs.append(_Job(school, member, cycle, staff[school.id], cpd[school.id], actor))
    _echo_not_started(later)
    if not jobs:
        msg = f"nobody chosen has a cycle on or before {day.isoformat()}"
        raise click.UsageError(msg)
    return jobs


@click.command()
@store_option
@click.option("--person", "person_id", metavar="ID", help="One member of staff.")
@click.option("--team", "team_id", metavar="ID", help="Everyone in one team.")
@click.option("--all", "everyone", is_flag=True, help="Everyone in the school (or the store).")
@click.option(
    "--school",
    "school_id",
    metavar="ID",
    help="The school (default: every school; required when several schools use the "
    "--person or --team id).",
)
@click.option(
    "--stage",
    required=False,
    metavar="STAGE",
    help=f"The stage: {', '.join(STAGES)}, or a school's own (see --stage-dir).",
)
@click.option(
    "--audience",
    type=click.Choice([a.value for a in Audience]),
    required=False,
    help="Whose copy to prepare (default: the actor's own audience); it shows no more than "
    "both the actor and this audience may see. The system role must name one.",
)
@click.option(
    "--format",
    "fmt",
    type=RendererFormat(),
    default="docx",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="The file to write (one person, or --combined; - for standard output), or the "
    "folder for one file each.",
)
@click.option("--combined", is_flag=True, help="Write everyone into one file, a page each.")
@click.option(
    "--as-of",
    "as_of",
    type=DAY,
    default=None,
    metavar="YYYY-MM-DD",
    help="The date of the record (default: today).",
)
@click.option(
    "--stage-dir",
    "stage_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of the school's own stage files (<stage>.toml), searched first.",
)
@click.option(
    "--framework",
    "framework_name",
    default="england-teachers-standards",
    show_default=True,
    metavar="NAME",
    help="The standards framework, for standard titles and the ECT records.",
)
@click.option(
    "--rag",
    "rag_source",
    type=click.Choice(["policy", "recorded"]),
    default="policy",
    show_default=True,
    help="Colour objectives by the default RAG policy (with the reason), or as recorded.",
)
@click.option("--list-stages", is_flag=True, help="List the stages and formats, then exit.")
@actor_options
def proforma(  # noqa: PLR0917 - click passes each option as an argument
    store: str,
    person_id: str | None,
    team_id: str | None,
    everyone: bool,
    school_id: str | None,
    stage: str | None,
    audience: str | None,
    fmt: str,
    output: Path | None,
    combined: bool,
    as_of: Any,
    stage_dirs: tuple[Path, ...],
    framework_name: str,
    rag_source: str,
    list_stages: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Write review proformas for one person (--person), a team (--team) or everyone (--all).

    Formats: docx (Word), html (print-ready, A4), md (Markdown), json. Confidential
    sections (private notes, pay) appear only for the audiences allowed to see them.
    """
    if list_stages:
        echo("Stages: " + ", ".join(stage_names(stage_dirs)))
        echo("Formats: " + ", ".join(renderer_names()))
        return 0
    to_stdout = wants_stdout(output)
    output = output_target(output, store)
    policy = policy_from(policy_files)
    own = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    known = policy.roles.get(own.role)
    if school_id is None and as_trust is None and known is not None and known.scope != "any":
        # The actor acts in the school they name: without it, "T1" would be every
        # school's T1 in turn (a fact belongs to its school).
        msg = f"say which school you act in as {own.role}: give --school ID"
        raise click.UsageError(msg)
    if stage is None or (audience is None and policy.role(own.role).audience in (None, "*")):
        missing = " and ".join(
            name for name, value in (("--stage", stage), ("--audience", audience)) if not value
        )
        msg = f"missing {missing}: say which stage, and who the proforma is for"
        raise click.UsageError(msg)
    chosen = proforma_audience(policy, own, audience).value
    if [person_id is not None, team_id is not None, everyone].count(True) != 1:
        msg = "choose exactly one of --person ID, --team ID or --all"
        raise click.UsageError(msg)
    definition = get_stage(stage, stage_dirs)
    stage_id = definition.id if isinstance(definition, StageDefinition) else stage
    day: date = as_of.date() if as_of is not None else date.today()
    framework: Framework | None = load_framework(framework_name) if framework_name else None
    renderer = get_renderer(fmt)
    with open_cli_store(store, readonly=True, audited=True) as opened:
        jobs = _jobs(
            opened,
            school_id,
            person_id,
            team_id,
            day,
            actor=own,
            policy=policy,
        )
        single = len(jobs) == 1 and person_id is not None
        documents: list[tuple[StaffMember, Document]] = []
        reads: dict[Actor, list[Cycle]] = {}
        services = Services(opened, policy)
        with click.progressbar(
            jobs,
            label="Building proformas",
            file=sys.stderr,
            show_pos=True,
            item_show_func=lambda job: job.member.id if job else None,
        ) as bar:
            for job in bar:
                document = build_proforma(
                    job.cycle,
                    definition,
                    actor=job.actor,
                    policy=policy,
                    audience=chosen,
                    as_of=day,
                    school=job.school,
                    staff=job.staff,
                    cpd=job.cpd,
                    framework=framework,
                    rag=_policy_rag(job.cycle, day) if rag_source == "policy" else None,
                )
                documents.append((job.member, document))
                view = services.proforma_view(job.actor, job.cycle, document, job.school)
                reads.setdefault(job.actor, []).append(view)
        # Every confidential field a proforma shows is a read, logged before it is written.
        for actor, views in reads.items():
            services.record_reads(actor, views, detail=f"proforma {stage_id} for {chosen}")
    if single or combined:
        _write_one(documents, renderer, output, combined=combined and not single)
        return 0
    if to_stdout:
        msg = "-o - writes one file to standard output: for several people use --combined"
        raise click.UsageError(msg)
    _write_each(documents, renderer, output, f"{stage_id}-{chosen}", store)
    return 0


def _write_one(
    documents: list[tuple[StaffMember, Document]],
    renderer: Renderer,
    output: Path | None,
    *,
    combined: bool,
) -> None:
    if combined:
        title = f"{documents[0][1].title}: {plural(len(documents), 'person', 'people')}"
        document = combine((d for _m, d in documents), title=title)
    else:
        document = documents[0][1]
    data = renderer.render(document)
    if output is None:
        if renderer.name == "docx" and sys.stdout.isatty():
            msg = "a Word file is binary: give -o FILE, or --format md or html to read it here"
            raise click.UsageError(msg)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        _make_folder(output.parent)
        write_atomic(output, data, mode=PRIVATE_FILE)
        echo(f"Wrote {output}", err=True)


def _write_each(
    documents: list[tuple[StaffMember, Document]],
    renderer: Renderer,
    output: Path | None,
    tail: str,
    store: str,
) -> None:
    folder = output or Path()
    if folder.exists() and not folder.is_dir():
        msg = f"-o {folder} is a file: for several people give a folder, or use --combined"
        raise click.UsageError(msg)
    names = file_names(
        [(member.school_id, member.id) for member, _document in documents],
        f"-{tail}{renderer.suffix}",
    )
    for name in names:
        refuse_store_path(folder / name, store)
    _make_folder(folder)
    with click.progressbar(documents, label="Rendering", file=sys.stderr, show_pos=True) as bar:
        for name, (_member, document) in zip(names, bar, strict=True):
            write_atomic(folder / name, renderer.render(document), mode=PRIVATE_FILE)
    echo(f"Wrote {plural(len(documents), 'proforma')} to {folder}", err=True)


def _make_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        msg = f"cannot write into {folder}: it is a file, not a folder"
        raise click.ClickException(msg)
    try:
        make_private_dir(folder)
    except OSError as exc:
        msg = f"cannot create the folder {folder}: {describe_os_error(exc)}"
        raise click.ClickException(msg) from None


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.@+-]")


def _safe_name(text: str) -> str:
    name = _UNSAFE_NAME.sub("_", text).lstrip(".") or "_"
    return name[:100]


def file_names(people: list[tuple[str, str]], suffix: str) -> list[str]:
    """Return one distinct, safe file name per (school id, person id), in order.

    A name is the person's id made safe for every file system (no folder separators, no
    leading dot, at most 100 characters before *suffix*); when two people would share a
    name (the same id in two schools), the school's id is added, then a number.
    """
    plain = [_safe_name(person) for _school, person in people]
    counts: dict[str, int] = {}
    for name in plain:
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    used: set[str] = set()
    names: list[str] = []
    for (school, _person), name in zip(people, plain, strict=True):
        chosen = name if counts[name.lower()] == 1 else f"{name}-{_safe_name(school)}"
        number = 2
        base = chosen
        while chosen.lower() in used:
            chosen = f"{base}-{number}"
            number += 1
        used.add(chosen.lower())
        names.append(chosen + suffix)
    return names
