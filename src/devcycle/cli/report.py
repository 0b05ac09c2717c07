"""``devcycle report NAME``: the reports school leaders act on, from the store.

Usage::

    devcycle report progress --school oakfield --as-of 2027-02-12
    devcycle report health --team ks2 --format html -o ks2-health.html
    devcycle report coverage --format csv -o coverage.csv

``--format`` is ``text`` (for a terminal), ``json`` (the typed results), ``csv`` (the
report's data, every text in full, with ids, safe against formula injection), or any
renderer: ``md``, ``html`` (charts as inline SVG with text alternatives), ``docx`` (Word,
A4; ``--paper letter`` for US Letter) or a plug-in's format. CSV to standard output or a
``.csv`` file holds the report's main table; ``-o report.zip`` writes every table, one CSV
file each, and ``-o DIR/`` writes them into a folder. Bad input (an unknown team, an empty
school, an as-of date no cycle covers) prints one clear message and exits 2.
"""

from __future__ import annotations

import enum
import functools
import io
import os
import sys
import textwrap
import types
import typing
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
import click

from devcycle.access import AccessPolicy, Actor
from devcycle.catalogues import framework as load_framework
from devcycle.cli._actor import actor_for, actor_options, policy_from
from devcycle.cli._dates import DAY
from devcycle.cli._output import output_target, refuse_store_path, wants_stdout
from devcycle.cli._safe import echo, json_text, terminal_safe
from devcycle.cli._store import open_cli_store, store_option
from devcycle.cli._suggest import SuggestingChoice
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
from devcycle.errors import AccessDenied, NotFoundError, did_you_mean
from devcycle.fileio import PRIVATE_FILE, write_atomic
from devcycle.interop.csvsafe import write_csv
from devcycle.render import format_key, get_renderer, renderer_names
from devcycle.reports import (
    REPORT_NAMES,
    HealthPolicy,
    ReportData,
    Scope,
    WeekCounter,
    load_health_points,
)
from devcycle.services import Services
from devcycle.storage import Store

__all__ = [
    "CSV_SECTIONS",
    "MAIN_TABLES",
    "data_tables",
    "load_data",
    "report",
    "to_csv",
    "to_json",
    "to_text",
    "to_zip",
]

MAIN_TABLES: Mapping[str, str] = {
    "coverage": "people-gaps",
    "priorities": "priorities-kpis",
    "progress": "people-objectives",
    "balance": "people",
    "sets": "people",
    "moderation": "reviewers",
    "voice": "ratings",
    "meetings": "people",
    "needs": "needs",
    "impact": "activities",
    "value": "people",
    "workload": "people",
    "overdue": "people",
    "health": "items",
}
"""Report name -> its main data table: the one CSV holds when it is written as one file."""

_OWN_FORMATS = ("text", "json", "csv")

CSV_SECTIONS: Mapping[str, tuple[str, ...]] = {
    "coverage": ("gaps",),
    "priorities": ("kpis",),
    "progress": ("objectives", "people"),
    "balance": ("people",),
    "sets": ("people",),
    "moderation": ("reviewers",),
    "voice": ("meetings", "process"),
    "meetings": ("people",),
    "needs": ("needs",),
    "impact": ("activities",),
    "value": ("people",),
    "workload": ("people",),
    "overdue": ("overdue",),
    "health": ("evidence",),
}
"""Report name -> the document sections whose table is the CSV export, first found wins."""


def load_data(store: Store, school_id: str | None) -> ReportData:
    """Load one school (or every school, for a trust) with its staff, cycles and CPD.

    Raises:
        NotFoundError: If *school_id* is not in the store (the message names the closest
            stored school and lists them).
    """
    try:
        return ReportData.from_store(store, school_id)
    except NotFoundError as exc:
        if school_id is None or exc.kind != "school":
            raise
        known = [s.id for s in store.schools.list()]
        raise NotFoundError("school", school_id, known=known) from None


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
    if isinstance(value, Decimal):
        return str(value)  # money, exactly as counted
    return value


def to_json(name: str, result: object) -> str:
    """Return the typed result of report *name* as JSON (dates ISO, enums by value)."""
    return json_text({"report": name, **_plain(result)}, indent=2) + "\n"


Rows = list[dict[str, str]]

# Fields that identify a record, copied into the rows of the tables nested under it.
_KEYS = ("school_id", "staff_id", "cycle_id", "objective_id", "id")


def _cell(value: Any) -> str:  # noqa: PLR0911 - one return per kind of value
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(round(value, 4))
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value).lower()
    if isinstance(value, Mapping):
        return "; ".join(f"{_cell(k)}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, tuple | list | frozenset | set):
        items = sorted(value, key=str) if isinstance(value, frozenset | set) else value
        return "; ".join(
            ": ".join(map(_cell, v)) if isinstance(v, tuple) else _cell(v) for v in items
        )
    return str(value)


def _is_records(value: Any) -> bool:
    return isinstance(value, tuple | list) and bool(value) and attrs.has(type(value[0]))


def _is_record_class(hint: Any) -> bool:
    return isinstance(hint, type) and attrs.has(hint)


@functools.cache
def _hints(cls: type) -> Mapping[str, Any]:
    """The resolved type of each field of the record class *cls* (empty if unresolvable)."""
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):  # pragma: no cover - every report's types resolve
        return {}


_RECORD, _RECORDS, _SKIP, _SCALAR, _UNKNOWN = "record", "records", "skip", "scalar", "unknown"


def _kind(cls: type, name: str) -> tuple[str, type | None]:  # noqa: PLR0911 - one per kind
    """What field *name* of *cls* is, by its declared type.

    So that a table's columns never depend on the data: a nested record (or an optional
    one), a list of records (a table of its own), a field left out (the linkage; a mapping
    of records), or a scalar column.
    """
    if name == "linkage":
        return _SKIP, None
    hint = _hints(cls).get(name)
    if hint is None:
        return _UNKNOWN, None
    if _is_record_class(hint):
        return _RECORD, hint
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        records = [a for a in args if a is not type(None)]
        if len(records) == 1 and _is_record_class(records[0]):
            return _RECORD, records[0]
    if origin in (tuple, list, Sequence) and args:
        variadic = origin is not tuple or (len(args) == 2 and args[1] is Ellipsis)
        if variadic and _is_record_class(args[0]):
            return _RECORDS, args[0]
    if origin in (dict, Mapping) and len(args) == 2 and _is_record_class(args[1]):
        return _SKIP, None
    return _SCALAR, None


def _columns(cls: type, prefix: str = "") -> Iterator[str]:
    """The columns `_flatten` gives for a record of class *cls*, whatever its values."""
    for field in attrs.fields(cls):
        kind, record = _kind(cls, field.name)
        if kind == _RECORD and record is not None:
            yield from _columns(record, f"{prefix}{field.name}.")
        elif kind in (_SCALAR, _UNKNOWN):
            yield f"{prefix}{field.name}"


def _flatten(obj: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """The scalar fields of *obj*, nested records' fields as ``name.field``; no lists of records.

    A nested record that is None gives its columns empty, so the columns are the same for
    every record of a class (see `_kind`).
    """
    cls = type(obj)
    for field in attrs.fields(cls):
        kind, record = _kind(cls, field.name)
        value = getattr(obj, field.name)
        if kind in (_SKIP, _RECORDS):
            continue
        if kind == _RECORD and record is not None:
            if value is None:
                yield from ((column, None) for column in _columns(record, f"{prefix}{field.name}."))
            else:
                yield from _flatten(value, f"{prefix}{field.name}.")
        elif kind == _UNKNOWN and attrs.has(type(value)):
            yield from _flatten(value, f"{prefix}{field.name}.")
        elif not _is_records(value) and not (
            isinstance(value, Mapping) and any(attrs.has(type(v)) for v in value.values())
        ):
            yield f"{prefix}{field.name}", value


def _inherited(keys: Sequence[str], name: str, child: type) -> list[tuple[str, str]]:
    """The identifying columns a nested table copies from the record it belongs to.

    Each as ``(parent column, column in the child table)``: renamed ``table.key`` where the
    child has a field of that name, left out where even that is taken.
    """
    own = {f.name for f in attrs.fields(child)}
    pairs = [(k, k if "." in k or k not in own else f"{name}.{k}") for k in keys]
    return [(k, renamed) for k, renamed in pairs if renamed not in own]


def _identifying(columns: Sequence[str]) -> list[str]:
    return [c for c in columns if c.rsplit(".", 1)[-1] in _KEYS]


def _schema(cls: type, name: str, parent: Sequence[str], out: dict[str, list[str]]) -> None:
    """Every table under records of class *cls* in table *name*, with its columns."""
    columns = [*parent, *_columns(cls)]
    out.setdefault(name, columns)
    keys = _identifying(columns)
    for field in attrs.fields(cls):
        kind, record = _kind(cls, field.name)
        if kind == _RECORDS and record is not None:
            child = [renamed for _, renamed in _inherited(keys, name, record)]
            _schema(record, f"{name}-{field.name}", child, out)


def _collect(
    obj: Any, name: str, parent: Sequence[tuple[str, str]], tables: dict[str, Rows]
) -> None:
    row = dict(parent)
    row.update((key, _cell(value)) for key, value in _flatten(obj))
    tables.setdefault(name, []).append(row)
    keys = _identifying(list(row))
    cls = type(obj)
    for field in attrs.fields(cls):
        kind, _ = _kind(cls, field.name)
        value = getattr(obj, field.name)
        if kind == _RECORDS or (kind == _UNKNOWN and _is_records(value)):
            for item in value:
                inherited = [(renamed, row[k]) for k, renamed in _inherited(keys, name, type(item))]
                _collect(item, f"{name}-{field.name}", inherited, tables)


def data_tables(
    name: str, result: object
) -> dict[str, tuple[tuple[str, ...], list[tuple[str, ...]]]]:
    """Return every table of report *name*'s typed result, each as (columns, rows).

    The first, ``summary``, is one row of the report's scope, totals and policy; then one
    table per list of records (``people``, ``people-objectives``, ``groups``...), each row
    with every field in full (no shortening), ids included, and the ids of the record it
    belongs to (``people.staff_id``). Lists are joined with ``"; "``. Every table is there
    and its columns are the same whatever the data: a table with no rows is its header
    alone, and a nested record that is not set leaves its columns empty.
    """
    cls = type(result)
    schema: dict[str, list[str]] = {}
    tables: dict[str, Rows] = {}
    for field in attrs.fields(cast("Any", cls)):
        kind, record = _kind(cls, field.name)
        value = getattr(result, field.name)
        if kind == _RECORDS and record is not None:
            _schema(record, field.name, (), schema)
        if kind == _RECORDS or (kind == _UNKNOWN and _is_records(value)):
            tables.setdefault(field.name, [])
            for item in value:
                _collect(item, field.name, (), tables)
    summary = {key: _cell(value) for key, value in _flatten(result)}
    out: dict[str, tuple[tuple[str, ...], list[tuple[str, ...]]]] = {
        "summary": (tuple(summary), [tuple(summary.values())])
    }
    for table in (*schema, *(t for t in tables if t not in schema)):
        rows = tables.get(table, [])
        columns = dict.fromkeys(schema.get(table, ()))
        for row in rows:
            columns.update(dict.fromkeys(row))
        out[table] = (tuple(columns), [tuple(row.get(c, "") for c in columns) for row in rows])
    return out


def to_zip(name: str, result: object) -> bytes:
    """Return every data table of report *name* as CSV files in a zip (reproducible bytes)."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, (columns, rows) in data_tables(name, result).items():
            info = zipfile.ZipInfo(f"{name}-{table}.csv", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, write_csv(columns, rows))
    return stream.getvalue()


def _tables(document: Document) -> dict[str, Table]:
    found: dict[str, Table] = {}
    for section in document.sections():
        for block in section.blocks:
            if isinstance(block, Table) and section.id not in found:
                found[section.id] = block
    return found


def to_csv(name: str, report: Document | object) -> str:
    """Return the main table of report *name* as CSV safe against formula injection.

    Given the typed result, the table is its main data table (`MAIN_TABLES`), every text in
    full and ids included; given a `Document` (the older form), the main table shown in it.
    """
    if not isinstance(report, Document):
        tables_ = data_tables(name, report)
        # The main table is always there (its header alone when it has no rows), so it is
        # never mistaken for another; a report with no main table named gives its first.
        main = MAIN_TABLES.get(name)
        columns, rows = tables_[main] if main in tables_ else next(iter(tables_.values()))
        return write_csv(columns, rows)
    document = report
    tables = _tables(document)
    for section_id in CSV_SECTIONS.get(name, ()):
        if section_id in tables:
            table = tables[section_id]
            return write_csv(table.columns, table.rows)
    first = next(iter(tables.values()), None)
    if first is None:
        return write_csv(("report", "note"), [(name, "nothing to list")])
    return write_csv(first.columns, first.rows)


def _one_line(cell: str) -> str:
    """A table cell on one line: its line breaks as spaces, other controls escaped."""
    return terminal_safe(" ".join(cell.splitlines()))


_CELL_WIDTH = 48
"""The widest a text table's column grows; longer cells wrap onto more lines within it."""


def _wrap_cell(cell: str, width: int) -> list[str]:
    """*cell* wrapped at word boundaries to lines of at most *width* characters, in full.

    Nothing is cut off: a word longer than the column is split across lines.
    """
    if len(cell) <= width:
        return [cell]
    return textwrap.wrap(cell, width, break_on_hyphens=False) or [""]


def _text_table(table: Table, indent: str) -> list[str]:
    """*table* as aligned columns; a cell wider than its column wraps, never cut off."""
    columns = tuple(map(_one_line, table.columns))
    rows = [tuple(map(_one_line, row)) for row in table.rows]
    widths = [
        min(_CELL_WIDTH, max([len(c), *(len(r[i]) for r in rows)])) for i, c in enumerate(columns)
    ]

    def lines(cells: tuple[str, ...]) -> list[str]:
        wrapped = [_wrap_cell(cell, width) for cell, width in zip(cells, widths, strict=True)]
        height = max(map(len, wrapped), default=1)
        return [
            indent
            + "  ".join(
                (parts[n] if n < len(parts) else "").ljust(width)
                for parts, width in zip(wrapped, widths, strict=True)
            ).rstrip()
            for n in range(height)
        ]

    body = [lines(row) for row in rows]
    if any(len(row) > 1 for row in body):
        # Rows that take more than one line are kept apart by a blank line, so that a
        # reader sees where each row ends.
        body = [[*row, ""] for row in body[:-1]] + body[-1:]
    return [
        *lines(columns),
        indent + "  ".join("-" * w for w in widths),
        *(text for row in body for text in row),
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
        for item in block.items:
            out.append(f"{indent}{item.state.glyph} {item.text}")
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


class ReportFormat(click.ParamType[str]):
    """``text``, ``json``, ``csv``, or any renderer's format (md, html, docx, plug-ins)."""

    name = "format"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(_choices()) + "]"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        text = str(value).lower()
        if text in _OWN_FORMATS:
            return text
        key = format_key(text)
        if key is None or key == "json":
            choices = _choices()
            hint = did_you_mean(text, choices)
            self.fail(
                f"{str(value)!r} is not a report format; expected one of: {', '.join(choices)}"
                + (f"; {hint}" if hint else ""),
                param,
                ctx,
            )
        return key


def _choices() -> list[str]:
    renderers = [n for n in renderer_names() if n not in ("json", "markdown")]
    return [*_OWN_FORMATS, "md", *renderers]


def _write(output: Path | None, payload: bytes, what: str, *, binary: bool = False) -> None:
    if output is None:
        echo(payload if binary else payload.decode(), nl=False, data=True)
    else:
        write_atomic(output, payload, mode=PRIVATE_FILE)
        echo(f"Wrote {what} to {output}", err=True)


def _is_folder(output: str) -> bool:
    """Whether ``-o`` names a folder: one that exists, or a name ending in a slash."""
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def _write_csv(name: str, result: object, output: str | None, store: str) -> None:
    """CSV: the main table to stdout or a .csv file; every table to a .zip or a folder."""
    if output is not None and _is_folder(output):
        folder = Path(output)
        if folder.exists() and not folder.is_dir():
            msg = f"-o {output} names a file, not a folder; give a new folder's name or a .zip"
            raise click.BadParameter(msg, param_hint="'-o' / '--output'")
        folder.mkdir(parents=True, exist_ok=True)
        tables = data_tables(name, result)
        for table in tables:
            refuse_store_path(folder / f"{name}-{table}.csv", store)
        for table, (columns, rows) in tables.items():
            write_atomic(
                folder / f"{name}-{table}.csv", write_csv(columns, rows), mode=PRIVATE_FILE
            )
        count = len(tables)
        echo(f"Wrote {count} {'table' if count == 1 else 'tables'} to {folder}", err=True)
        return
    path = Path(output) if output is not None else None
    if path is not None and path.suffix.lower() == ".zip":
        _write(path, to_zip(name, result), f"every table of the {name} report")
        return
    _write(path, to_csv(name, result).encode(), f"the {name} report's main table")
    others = [t for t in data_tables(name, result) if t != MAIN_TABLES.get(name)]
    if others:
        echo(
            f"note: this is the {MAIN_TABLES.get(name)} table; {len(others)} more "
            f"({', '.join(others)}) with -o {name}.zip or -o DIR/",
            err=True,
        )


def _run_report(
    store: str,
    policy: AccessPolicy,
    actor: Actor,
    name: str,
    school_id: str | None,
    *,
    hint: tuple[str, str | None],
    **options: Any,
) -> Any:
    """Run report *name* through `Services.report`, its refusals worded for the command line."""
    as_role, as_trust = hint
    with open_cli_store(store, readonly=True) as opened:
        services = Services(opened, policy)
        try:
            return services.report(actor, name, school_id, **options)
        except NotFoundError as exc:
            if school_id is None or exc.kind != "school" or exc.key != school_id:
                raise
            # suggest only schools the actor may report on: never another trust's ids
            try:
                known = [s.id for s in services.report_schools(actor)]
            except AccessDenied:
                known = []
            raise NotFoundError("school", school_id, known=known) from None
        except AccessDenied as denied:
            if school_id is not None:
                raise
            raise AccessDenied(_with_hint(str(denied), policy, as_role, as_trust)) from None


def _with_hint(message: str, policy: AccessPolicy, role: str, trust: str | None) -> str:
    """*message* (no school to report on) with the option that names where the actor acts."""
    known = policy.roles.get(role)
    scope = known.scope if known is not None else "any"
    if scope == "trust" and trust is None:
        return f"{message} (give --trust-id ID)"
    if scope in ("school", "school_or_trust") and trust is None:
        return f"{message} (give --school ID)"
    return message


@click.command()
@click.argument("name", type=SuggestingChoice(REPORT_NAMES), metavar="REPORT")
@store_option
@click.option(
    "--school",
    "school_id",
    metavar="ID",
    help="One school (default: every school you may run reports on).",
)
@click.option("--team", "team_id", metavar="ID", help="One team of the school.")
@click.option("--person", "person_id", metavar="ID", help="One member of staff.")
@click.option(
    "--as-of",
    "as_of",
    type=DAY,
    default=None,
    metavar="YYYY-MM-DD",
    help="The day to judge on (default: today).",
)
@click.option(
    "--format",
    "fmt",
    type=ReportFormat(),
    default="text",
    show_default=True,
    help="Output format: text, json, csv, md, html, docx or a plug-in renderer's.",
)
@click.option(
    "--paper",
    type=SuggestingChoice(["a4", "letter"], case_sensitive=False),
    default="a4",
    show_default=True,
    help="Paper size for docx.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=str),
    default=None,
    help="Write to this file instead of standard output (- for standard output; for csv: "
    "a .zip or a folder/ for every table).",
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
@click.option(
    "--points",
    "points_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="health only: a TOML file of the school's own health points, merged over the "
    "shipped ones by id (add, remove with enabled = false, change a weight).",
)
@actor_options
def report(  # noqa: PLR0917 - click passes each option as an argument
    name: str,
    store: str,
    school_id: str | None,
    team_id: str | None,
    person_id: str | None,
    as_of: Any,
    fmt: str,
    paper: str,
    output: str | None,
    calendar_file: Path | None,
    framework_name: str | None,
    points_file: Path | None,
    as_role: str,
    as_user: str,
    as_trust: str | None,
    policy_files: tuple[Path, ...],
) -> int:
    """Run REPORT: any of coverage, progress, sets, moderation, voice, health and the rest.

    Each covers one person (--person), a team (--team), a school (--school) or, with none,
    every school the actor may run reports on: every school in the store for the system,
    their trust's schools for a trust leader (--trust-id), never another trust's (voice
    covers whole schools only: how staff see the process, for groups large enough to keep
    everyone anonymous). Charts in HTML are inline SVG with
    text alternatives; CSV
    exports hold every text in full and are guarded against formula injection.
    """
    if team_id is not None and person_id is not None:
        msg = "choose --team or --person, not both"
        raise click.UsageError(msg)
    to_stdout = wants_stdout(output)
    output = output_target(output, store)
    if output is not None and _is_folder(output) and fmt != "csv":
        msg = f"-o {output} is a folder; give a file name (a folder is for --format csv)"
        raise click.UsageError(msg)
    path = Path(output) if output is not None else None
    day: date = as_of.date() if as_of is not None else date.today()
    framework = load_framework(framework_name) if framework_name else None
    calendar = _calendar(calendar_file)
    if points_file is not None and name != "health":
        msg = f"--points is for the health report, not {name}"
        raise click.UsageError(msg)
    health_policy = (
        HealthPolicy(points=load_health_points(points_file)) if points_file is not None else None
    )
    policy = policy_from(policy_files)
    # The actor acts in --school (if given) and --trust-id; which schools a report without
    # --school covers is the policy's to say, school by school (Services.report_schools):
    # every school the actor may run reports on, never another trust's.
    actor = actor_for(as_role, as_user, school=school_id, trust=as_trust)
    scope = Scope(school_id=school_id, team_id=team_id, person_id=person_id)
    result = _run_report(
        store,
        policy,
        actor,
        name,
        school_id,
        hint=(as_role, as_trust),
        as_of=day,
        scope=scope,
        calendar=calendar,
        framework=framework,
        health_policy=health_policy,
    )
    if fmt == "json":
        _write(path, to_json(name, result).encode(), f"the {name} report")
    elif fmt == "csv":
        _write_csv(name, result, output, store)
    elif fmt == "text":
        # user text is shown, never obeyed by a terminal
        text = terminal_safe(to_text(result.to_document()), multiline=True)
        _write(path, text.encode(), f"the {name} report")
    else:
        if path is None and fmt == "docx" and (not to_stdout or sys.stdout.isatty()):
            msg = f"docx is a binary file: give -o {name}.docx (or -o - into a pipe)"
            raise click.UsageError(msg)
        options = {"paper": paper} if fmt == "docx" else {}
        payload = get_renderer(fmt, **options).render(result.to_document())
        _write(path, payload, f"the {name} report", binary=fmt == "docx")
    return 0
