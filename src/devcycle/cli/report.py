"""``devcycle report NAME``: the reports school leaders act on, from the store.

Usage::

    devcycle report progress --school oakfield --as-of 2027-02-12
    devcycle report health --team ks2 --format html -o ks2-health.html
    devcycle report coverage --format csv -o coverage.csv

``--format`` is ``text`` (for a terminal), ``json`` (the typed results), ``md``, ``html``
(charts as inline SVG with text alternatives) or ``csv`` (the report's main table, safe
against formula injection). Bad input (an unknown team, an empty school, an as-of date no
cycle covers) prints one clear message and exits 2.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import click

from devcycle.catalogues import framework as load_framework
from devcycle.cli._safe import terminal_safe
from devcycle.cli._store import open_cli_store, store_option
from devcycle.document import (
    BulletList,
    Chart,
    Checklist,
    Document,
    Field,
    Note,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
)
from devcycle.fileio import PRIVATE_FILE, write_atomic
from devcycle.interop.csvsafe import write_csv
from devcycle.render import render
from devcycle.reports import REPORT_NAMES, ReportData, Scope, WeekCounter, run
from devcycle.storage import Store

__all__ = ["CSV_SECTIONS", "load_data", "report", "to_csv", "to_json", "to_text"]

CSV_SECTIONS: Mapping[str, tuple[str, ...]] = {
    "coverage": ("gaps",),
    "progress": ("objectives", "people"),
    "balance": ("people",),
    "needs": ("needs",),
    "impact": ("activities",),
    "workload": ("people",),
    "overdue": ("overdue",),
    "health": ("evidence",),
}
"""Report name -> the document sections whose table is the CSV export, first found wins."""


def load_data(store: Store, school_id: str | None) -> ReportData:
    """Load one school (or every school, for a trust) with its staff, cycles and CPD.

    Raises:
        NotFoundError: If *school_id* is not in the store.
    """
    return ReportData.from_store(store, school_id)


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in attrs.fields(type(value))
            if f.name != "linkage"
        }
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list | frozenset | set):
        return [_plain(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def to_json(name: str, result: object) -> str:
    """Return the typed result of report *name* as JSON (dates ISO, enums by value)."""
    return json.dumps({"report": name, **_plain(result)}, indent=2, ensure_ascii=False) + "\n"


def _tables(document: Document) -> dict[str, Table]:
    found: dict[str, Table] = {}
    for section in document.sections():
        for block in section.blocks:
            if isinstance(block, Table) and section.id not in found:
                found[section.id] = block
    return found


def to_csv(name: str, document: Document) -> str:
    """Return the main table of report *name* as CSV safe against formula injection."""
    tables = _tables(document)
    for section_id in CSV_SECTIONS.get(name, ()):
        if section_id in tables:
            table = tables[section_id]
            return write_csv(table.columns, table.rows)
    first = next(iter(tables.values()), None)
    if first is None:
        return write_csv(("report", "note"), [(name, "nothing to list")])
    return write_csv(first.columns, first.rows)


def _text_table(table: Table, indent: str) -> list[str]:
    widths = [
        min(48, max([len(c), *(len(r[i]) for r in table.rows)]))
        for i, c in enumerate(table.columns)
    ]

    def line(cells: tuple[str, ...]) -> str:
        parts = []
        for cell, width in zip(cells, widths, strict=True):
            text = cell if len(cell) <= width else cell[: width - 1] + "…"
            parts.append(text.ljust(width))
        return indent + "  ".join(parts).rstrip()

    return [
        line(table.columns),
        indent + "  ".join("-" * w for w in widths),
        *map(line, table.rows),
    ]


def _text_block(block: object, depth: int, out: list[str]) -> None:
    indent = "  " * depth
    if isinstance(block, Section):
        out.extend(("", f"{indent}{block.title}", f"{indent}{'=' * len(block.title)}"))
        for inner in block.blocks:
            _text_block(inner, depth + 1 if isinstance(inner, Section) else depth, out)
    elif isinstance(block, Table):
        if block.caption:
            out.append(f"{indent}{block.caption}:")
        out.extend(_text_table(block, indent))
    elif isinstance(block, Checklist):
        if block.title:
            out.append(f"{indent}{block.title}")
        marks = {True: "[x]", False: "[ ]", None: "[~]"}
        for item in block.items:
            out.append(f"{indent}{marks[item.done]} {item.text}")
            if item.note:
                out.append(f"{indent}    {item.note}")
    else:
        out.extend(f"{indent}{line}" for line in _simple_lines(block))


def _simple_lines(block: object) -> list[str]:
    if isinstance(block, Paragraph | Note):
        return [block.text]
    if isinstance(block, BulletList):
        return [f"- {item}" for item in block.items]
    if isinstance(block, Field):
        return [f"{block.label}: {block.value}"]
    if isinstance(block, Chart):
        return [f"[{block.title}] {block.alt}"]
    if isinstance(block, SignatureBlock):
        return [f"{s.role}: ______" for s in block.signatories]
    return []


def to_text(document: Document) -> str:
    """Return *document* as plain text for a terminal."""
    out = [document.title, "=" * len(document.title)]
    out.extend(f"{f.label}: {f.value}" for f in document.header)
    for block in document.body:
        _text_block(block, 0, out)
    return "\n".join(out) + "\n"


def _calendar(path: Path | None) -> WeekCounter | None:
    if path is None:
        return None
    from devcycle.interop.calendars import load_calendar  # noqa: PLC0415 - only when asked

    return load_calendar(path)


@click.command()
@click.argument("name", type=click.Choice(REPORT_NAMES), metavar="REPORT")
@store_option
@click.option("--school", "school_id", metavar="ID", help="One school (default: every school).")
@click.option("--team", "team_id", metavar="ID", help="One team of the school.")
@click.option("--person", "person_id", metavar="ID", help="One member of staff.")
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="DATE",
    help="The day to judge on, YYYY-MM-DD (default: today).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "md", "html", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option(
    "--calendar",
    "calendar_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A school calendar file, so staleness counts school weeks, not calendar weeks.",
)
@click.option(
    "--framework",
    "framework_name",
    metavar="NAME",
    default=None,
    help="A standards framework for the coverage report (england-teachers-standards).",
)
def report(  # noqa: PLR0917 - click passes each option as an argument
    name: str,
    store: str,
    school_id: str | None,
    team_id: str | None,
    person_id: str | None,
    as_of: Any,
    fmt: str,
    output: Path | None,
    calendar_file: Path | None,
    framework_name: str | None,
) -> int:
    """Run REPORT: coverage, progress, balance, needs, impact, workload, overdue or health.

    Each covers one person (--person), a team (--team), a school (--school) or, with none,
    every school in the store. Charts in HTML are inline SVG with text alternatives; CSV
    exports are guarded against formula injection.
    """
    if team_id is not None and person_id is not None:
        msg = "choose --team or --person, not both"
        raise click.UsageError(msg)
    day: date = as_of.date() if as_of is not None else date.today()
    framework = load_framework(framework_name) if framework_name else None
    calendar = _calendar(calendar_file)
    with open_cli_store(store, readonly=True) as opened:
        data = load_data(opened, school_id)
    scope = Scope(school_id=school_id, team_id=team_id, person_id=person_id)
    result = run(name, data, as_of=day, scope=scope, calendar=calendar, framework=framework)
    if fmt == "json":
        payload: bytes = to_json(name, result).encode()
    else:
        document = result.to_document()
        if fmt == "text":
            payload = to_text(document).encode()
        elif fmt == "csv":
            payload = to_csv(name, document).encode()
        else:
            payload = render(document, "markdown" if fmt == "md" else "html")
    if fmt == "text":  # user text is shown, never obeyed by a terminal
        payload = terminal_safe(payload.decode(), multiline=True).encode()
    if output is None:
        click.echo(payload.decode(), nl=False)
    else:
        write_atomic(output, payload, mode=PRIVATE_FILE)
        click.echo(f"Wrote the {name} report to {output}", err=True)
    return 0
