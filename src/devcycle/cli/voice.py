"""``devcycle voice``: record staff voice (meeting ratings, the process survey).

Ratings and answers are stored apart from the cycles and never shown one by one: read them
with ``devcycle report voice``, which shows only groups large enough to keep everyone
anonymous. Every command acts as ``--as``/``--user`` under the access policy and names that
actor in the audit log; a bad file or value is one error naming where, exit status 2, and
nothing is stored.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import click

from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._dates import DAY
from devcycle.cli._named import named_by
from devcycle.cli._safe import echo
from devcycle.cli._store import local_path, open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.domain.voice import ProcessSurvey
from devcycle.errors import ValidationError
from devcycle.interop.survey import load_survey_responses
from devcycle.services import Services
from devcycle.storage import Store

__all__ = ["voice"]


def _existing(store: str) -> str:
    path = local_path(store)
    if path is not None and not path.exists():
        msg = (
            f"no store at {path}: staff voice is recorded against stored cycles and staff; "
            "check --store (or $DEVCYCLE_STORE)"
        )
        raise click.ClickException(msg)
    return store


def _services(opened: Store, policy_files: tuple[Path, ...]) -> Services:
    return Services(opened, policy_from(policy_files))


@click.group()
def voice() -> None:
    """Record staff voice: meeting ratings and the process survey.

    Read it with devcycle report voice: groups of five or more, never one person.
    """


@voice.command()
@store_option
@click.option("--school", "school_id", required=True, metavar="ID", help="The school.")
@click.option("--cycle", "cycle_id", required=True, metavar="ID", help="The rater's cycle.")
@click.option(
    "--meeting", "meeting_id", required=True, metavar="ID", help="The review meeting rated."
)
@click.option(
    "--usefulness",
    type=click.IntRange(1, 5),
    required=True,
    help="How useful the meeting was, 1 (not at all) to 5 (very).",
)
@click.option(
    "--motivation",
    type=click.IntRange(1, 5),
    required=True,
    help="How motivated they left it, 1 (much less) to 5 (much more).",
)
@click.option("--comment", default="", help="An optional comment (shown only in large groups).")
@click.option("--on", "on", type=DAY, default=None, metavar="YYYY-MM-DD", help="Default: today.")
@actor_options
def rate(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    cycle_id: str,
    meeting_id: str,
    usefulness: int,
    motivation: int,
    comment: str,
    on: Any,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Rate a review meeting of your own cycle (the reviewee only, after the meeting).

    Run it as the reviewee: ``--as reviewee --user T006``. Rating the same meeting again
    replaces the rating.
    """
    day: date = on.date() if on is not None else date.today()
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    with open_cli_store(_existing(store), actor=actor) as opened:
        rating = _services(opened, policy_files).rate_meeting(
            actor,
            school_id,
            cycle_id,
            meeting_id,
            on=day,
            usefulness=usefulness,
            motivation=motivation,
            comment=comment,
        )
    echo(
        f"Rated meeting {rating.meeting_id} of cycle {rating.cycle_id} on {rating.on} "
        f"(shown only in groups large enough to keep raters anonymous)."
    )
    return 0


@voice.command()
@store_option
@click.option("--school", "school_id", required=True, metavar="ID", help="The school.")
@click.option("--id", "survey_id", required=True, metavar="ID", help="The survey's id.")
@click.option("--title", required=True, help="What staff see.")
@click.option("--opens", type=DAY, required=True, help="The first day answers are taken.")
@click.option("--closes", type=DAY, required=True, help="The last day answers are taken.")
@actor_options
def survey(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    school_id: str,
    survey_id: str,
    title: str,
    opens: Any,
    closes: Any,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Set up (or change) a whole-staff survey of the process; needs run_survey."""
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    options = {"$.id": "--id", "$.school_id": "--school", "$.title": "--title"}
    with named_by({**options, "$.opens": "--opens", "$.closes": "--closes"}):
        made = ProcessSurvey(
            id=survey_id,
            school_id=school_id,
            title=title,
            opens=opens.date(),
            closes=closes.date(),
        )
    with open_cli_store(_existing(store), actor=actor) as opened:
        saved = _services(opened, policy_files).save_survey(actor, made)
    echo(f"Survey {saved.id} open {saved.opens} to {saved.closes}.")
    return 0


_INDEX = re.compile(r"responses\[(\d+)\](?:\.(\w+))?")


def _located(error: ValidationError, places: list[str], source: str) -> ValidationError:
    """The services' problems (``@ responses[i].field``) at the file's rows instead.

    Named with *source*, the file, like the problems found reading it.
    """

    def place(match: re.Match[str]) -> str:
        index = int(match.group(1))
        field = match.group(2)
        where = places[index] if index < len(places) else f"response {index + 1}"
        return f"{where}, column {field}" if field else where

    problems = [_INDEX.sub(place, str(problem)) for problem in error.problems]
    return ValidationError(problems, source=error.source or source)


@voice.command("import")
@store_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--school", "school_id", required=True, metavar="ID", help="The school.")
@click.option(
    "--survey", "survey_id", required=True, metavar="ID", help="The survey the file answers."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default=None,
    help="csv or json (default: from the file's suffix; csv otherwise).",
)
@click.option("--replace", is_flag=True, help="Replace answers already recorded (same ids).")
@actor_options
def import_(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    file: Path,
    school_id: str,
    survey_id: str,
    fmt: str | None,
    replace: bool,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Import the answers to a process survey from FILE, all of them or none.

    FILE has the columns respondent_id and on (YYYY-MM-DD), and any of valued and
    helps_me_improve (1 to 5), objectives_imposed and pupil_data_targets (yes or no), hours,
    comment, id, survey_id, teams and reviewer_id; empty cells are unanswered questions.
    Every bad row is reported with its row and column and nothing is stored. Needs
    run_survey (or answer_survey, for a file of one's own answers).
    """
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    chosen = fmt or ("json" if file.suffix.lower() == ".json" else "csv")
    rows = load_survey_responses(file, school_id=school_id, survey_id=survey_id, fmt=chosen)
    responses = [response for _place, response in rows]
    with open_cli_store(_existing(store), actor=actor) as opened:
        try:
            saved = _services(opened, policy_files).record_survey_responses(
                actor, school_id, responses, replace=replace
            )
        except ValidationError as exc:
            raise _located(exc, [place for place, _response in rows], str(file)) from None
    echo(
        f"Recorded {plural(len(saved), 'answer')} to survey {survey_id} in {school_id}; read them "
        "with devcycle report voice."
    )
    return 0
