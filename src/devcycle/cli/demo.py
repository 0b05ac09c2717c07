"""``devcycle demo``: build the sample school and save it in the store."""

from __future__ import annotations

import click

from devcycle.cli._store import open_cli_store, store_option
from devcycle.demo import build_demo
from devcycle.errors import NotFoundError


@click.command()
@store_option
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    default=2026,
    show_default=True,
    help="Academic year the sample cycles start in (September).",
)
def demo(store: str, year: int) -> int:
    """Build a realistic sample school through the public API and save it in the store.

    Running it again is harmless: a sample school already in the store is left as it is.
    """
    sample = build_demo(year)
    objectives = sum(len(c.objectives) for c in sample.cycles)
    check_ins = sum(len(o.check_ins) for c in sample.cycles for o in c.objectives)
    click.echo(
        f"{sample.school.name}: {len(sample.staff)} staff, "
        f"{len(sample.school.priorities)} priorities, {len(sample.cycles)} cycles "
        f"({sum(c.is_closed for c in sample.cycles)} closed), {objectives} objectives, "
        f"{check_ins} check-ins, {len(sample.cpd)} CPD activities."
    )
    records = 1 + len(sample.staff) + len(sample.cycles) + len(sample.cpd)
    with open_cli_store(store) as opened:
        try:
            opened.schools.get(sample.school.id)
        except NotFoundError:
            with opened.transaction() as tx:
                tx.schools.add(sample.school)
                tx.staff.add_all(sample.staff)
                tx.cycles.add_all(sample.cycles)
                tx.cpd.add_all(sample.cpd)
                tx.commit()
            click.echo(f"Saved {records} records to {opened.url}")
        else:
            click.echo(
                f"The sample school {sample.school.id!r} is already in {opened.url}; left as it is."
            )
    return 0
