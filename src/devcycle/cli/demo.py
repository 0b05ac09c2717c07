"""``devcycle demo``: build the sample school and save it in the store."""

from __future__ import annotations

from pathlib import Path

import click

from devcycle.access import require
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._output import refuse_store_path
from devcycle.cli._safe import echo
from devcycle.cli._store import open_cli_store, store_option
from devcycle.cli._suggest import plural
from devcycle.demo import build_demo
from devcycle.errors import ConfigError, NotFoundError
from devcycle.fileio import make_private_dir, write_private
from devcycle.render import render
from devcycle.reports import ReportData, demo_summary


@click.command()
@store_option
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=2026,
    show_default=True,
    help="Academic year the sample cycles start in (September).",
)
@click.option(
    "--reports",
    "reports_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("devcycle-reports"),
    show_default=True,
    help="Directory for the HTML reports (one page per report).",
)
@actor_options
def demo(  # noqa: PLR0917 - click passes every option as an argument
    store: str,
    year: int,
    reports_dir: Path,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Build a realistic sample school through the public API and save it in the store.

    Then print the process health check for the stored school and write every report as
    HTML. Running it again is harmless: a sample school already in the store is left as it is.
    Saving it is an ``import`` by the actor (``--as``/``--user``), whom the audit log names.
    """
    refuse_store_path(reports_dir, store, option="--reports")
    sample = build_demo(year)
    actor = actor_for(as_role, as_user, school=sample.school.id, trust=as_trust)
    require(policy_from(policy_files), actor, "import", school_id=sample.school.id)
    objectives = sum(len(c.objectives) for c in sample.cycles)
    check_ins = sum(len(o.check_ins) for c in sample.cycles for o in c.objectives)
    echo(
        f"{sample.school.name}: {len(sample.staff)} staff, "
        f"{plural(len(sample.school.priorities), 'priority', 'priorities')}, "
        f"{plural(len(sample.cycles), 'cycle')} "
        f"({sum(c.is_closed for c in sample.cycles)} closed), {plural(objectives, 'objective')}, "
        f"{plural(check_ins, 'check-in')}, "
        f"{plural(len(sample.cpd), 'CPD activity', 'CPD activities')}, "
        f"{plural(len(sample.ratings), 'meeting rating')}, "
        f"{plural(len(sample.responses), 'survey answer')}, "
        f"{plural(len(sample.training_plan), 'piece', 'pieces')} of training planned."
    )
    with open_cli_store(store, actor=actor) as opened:
        try:
            opened.schools.get(sample.school.id)
        except NotFoundError:
            with opened.transaction() as tx:
                sample.add_to(tx)
                tx.commit()
            echo(f"Saved {sample.records} records to {opened.url}")
        else:
            echo(
                f"The sample school {sample.school.id!r} is already in {opened.url}; left as it is."
            )
        data = ReportData.from_store(opened, sample.school.id)
    summary = demo_summary(data, as_of=sample.as_of, calendar=sample.calendar)
    echo(f"\nHealth check as of {sample.as_of}:")
    echo(summary.text)
    try:
        pages = {name: render(document, "html") for name, document in summary.documents.items()}
    except ConfigError as exc:
        echo(f"\nHTML reports skipped: {exc}", err=True)
        return 0
    make_private_dir(reports_dir)
    for name, page in pages.items():
        write_private(reports_dir / f"{name}.html", page)
    echo(f"\nWrote {plural(len(pages), 'HTML report')} to {reports_dir}/ ({', '.join(pages)})")
    return 0
