"""``devcycle demo``: build the sample school and save it."""

from __future__ import annotations

from pathlib import Path

import click

from devcycle.demo import build_demo
from devcycle.serialization import dumps


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("devcycle-demo"),
    show_default=True,
    help="Directory to write the sample school to, one JSON document per aggregate.",
)
@click.option("--year", type=click.IntRange(2000, 2100), default=2026, show_default=True,
              help="Academic year the sample cycles start in (September).")
def demo(output: Path, year: int) -> int:
    """Build a realistic sample school through the public API and save it."""
    sample = build_demo(year)
    documents: dict[Path, str] = {output / "school.json": dumps(sample.school)}
    documents.update({output / "staff" / f"{s.id}.json": dumps(s) for s in sample.staff})
    documents.update({output / "cycles" / f"{c.id}.json": dumps(c) for c in sample.cycles})
    documents.update({output / "cpd" / f"{a.id}.json": dumps(a) for a in sample.cpd})
    for path, text in documents.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    objectives = sum(len(c.objectives) for c in sample.cycles)
    check_ins = sum(len(o.check_ins) for c in sample.cycles for o in c.objectives)
    click.echo(f"{sample.school.name}: {len(sample.staff)} staff, "
               f"{len(sample.school.priorities)} priorities, {len(sample.cycles)} cycles "
               f"({sum(c.is_closed for c in sample.cycles)} closed), {objectives} objectives, "
               f"{check_ins} check-ins, {len(sample.cpd)} CPD activities.")
    click.echo(f"Wrote {len(documents)} documents to {output}/")
    return 0
