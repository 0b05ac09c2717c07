"""Read objectives to check from JSON, JSON Lines, YAML, TOML or CSV files.

Each record needs at least ``id`` and ``text`` (or ``statement``); every structured field is
optional: ``role``, ``fte``, ``deadline`` (ISO date), ``success_criteria``,
``evidence_sources``, ``priority_ids`` (or ``priorities``), ``standard_ids`` (or
``standards``), ``support``, ``rationale``. In CSV, list fields hold items separated by
``;`` or ``|``. Problems are collected and reported together, each naming the file and the
line (JSON Lines, CSV) or the ``$.path`` (JSON, YAML, TOML).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from devcycle.domain import Objective, Role
from devcycle.domain.role_names import close_role_names, role_from_text
from devcycle.errors import ValidationError, did_you_mean
from devcycle.fileio import read_text
from devcycle.interop._day import TimeOfDayError, day_problem, parse_day
from devcycle.interop.csvquote import refuse_bad_quotes
from devcycle.rules import CheckContext
from devcycle.serialization import parse

__all__ = [
    "FIELDS",
    "SUFFIXES",
    "ObjectiveRecord",
    "located",
    "parse_objectives",
    "read_objectives",
]

SUFFIXES: dict[str, str] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".csv": "csv",
}
"""File suffix -> format name."""

_TEXT_KEYS = ("text", "statement", "objective")
_LIST_FIELDS = {
    "success_criteria": "success_criteria",
    "evidence_sources": "evidence_sources",
    "evidence": "evidence_sources",
    "priority_ids": "priority_ids",
    "priorities": "priority_ids",
    "standard_ids": "standard_ids",
    "standards": "standard_ids",
    "support": "support",
}
_STRUCTURE = {*_LIST_FIELDS, "deadline", "rationale"}
FIELDS: tuple[str, ...] = ("id", *_TEXT_KEYS, "role", "fte", *_LIST_FIELDS, "deadline", "rationale")
"""Every column (CSV) or field (JSON, YAML, TOML) an objective record may have."""
_ROLES = ", ".join(r.value for r in Role)


@attrs.frozen
class ObjectiveRecord:
    """One objective read from a file, ready for `devcycle.check`.

    Attributes:
        id: The record's id, as given.
        text: The statement.
        objective: The structured objective when the record has structured fields.
        context: The owner's role and FTE, when given.
        where: Where it came from ("objectives.csv:4" or "objectives.json $[3]").
    """

    id: str
    text: str
    objective: Objective | None = None
    context: CheckContext | None = None
    where: str = ""
    file: str | None = None
    line: int | None = None

    @property
    def subject(self) -> Objective | str:
        """What to hand to `devcycle.check`: the objective if structured, else the text."""
        return self.objective if self.objective is not None else self.text


def _items(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        parts = value.replace("|", ";").split(";")
        return [p.strip() for p in parts if p.strip()]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        out: list[str] = []
        for item in value:
            if isinstance(item, Mapping) and "text" in item:
                out.append(str(item["text"]))
            elif item is not None:
                out.append(str(item))
        return out
    return [str(value)]


def _hints(unknown: Sequence[str]) -> str:
    """A "did you mean" for each near miss among *unknown*, each ending with "; "."""
    hints = [f"for {u!r} {hint}" for u in unknown if (hint := did_you_mean(u, FIELDS))]
    return "".join(f"{h}; " for h in hints)


def _record(data: object, where: str, problems: list[str]) -> ObjectiveRecord | None:
    if not isinstance(data, Mapping):
        problems.append(
            f"expected an object with 'id' and 'text' (got {type(data).__name__}) @ {where}"
        )
        return None
    unknown = sorted(str(k) for k in data if k not in FIELDS)
    if unknown:
        problems.append(
            f"unknown field(s) {', '.join(unknown)}; {_hints(unknown)}"
            f"expected: {', '.join(FIELDS)} @ {where}"
        )
        return None
    raw_id = data.get("id")
    text = next((data[k] for k in _TEXT_KEYS if data.get(k) is not None), None)
    if raw_id is None or str(raw_id).strip() == "":
        problems.append(f"missing 'id' @ {where}")
    if text is None:
        problems.append(f"missing 'text' (the objective statement) @ {where}")
    elif not isinstance(text, str):
        key = next(k for k in _TEXT_KEYS if data.get(k) is not None)
        problems.append(
            f"'{key}' must be the objective statement as text (got {type(text).__name__} "
            f"{text!r}) @ {where}.{key}"
        )
    if raw_id is None or not isinstance(text, str) or str(raw_id).strip() == "":
        return None
    record_id = str(raw_id)
    context = _context(data, where, problems)
    objective = None
    if any(data.get(k) not in (None, "", []) for k in _STRUCTURE):
        objective = _objective(record_id, text, data, where, problems)
    return ObjectiveRecord(record_id, text, objective, context, where)


def _context(data: Mapping[str, Any], where: str, problems: list[str]) -> CheckContext | None:
    role = data.get("role")
    fte = data.get("fte")
    if role in (None, "") and fte in (None, ""):
        return None
    value: float | None = None
    if fte not in (None, ""):
        try:
            value = float(fte)
        except (TypeError, ValueError, OverflowError):
            value = -1.0
        if isinstance(fte, bool) or not 0.01 <= value <= 1:
            problems.append(
                f"'fte' must be a number from 0.01 to 1, e.g. 0.6 (got {fte!r}) @ {where}.fte"
            )
            value = None
    chosen: str | None = None
    if role not in (None, ""):
        found = role_from_text(str(role))
        if found is not None:
            chosen = found.value
        else:
            close = close_role_names(str(role))
            hint = f"did you mean {' or '.join(map(repr, close))}? " if close else ""
            problems.append(
                f"unknown role {role!r}; {hint}expected one of: {_ROLES} "
                f"(or a usual name for one, such as lecturer, principal, HLTA) @ {where}.role"
            )
    return CheckContext(role=chosen, fte=value)


def _objective(
    record_id: str, text: str, data: Mapping[str, Any], where: str, problems: list[str]
) -> Objective | None:
    fields: dict[str, Any] = {}
    for key, target in _LIST_FIELDS.items():
        if data.get(key) not in (None, ""):
            fields[target] = tuple(_items(data[key]))
    deadline = data.get("deadline")
    if deadline not in (None, ""):
        if isinstance(deadline, date) and not isinstance(deadline, datetime):
            fields["deadline"] = deadline
        else:
            try:
                fields["deadline"] = parse_day(str(deadline))
            except TimeOfDayError as exc:
                problems.append(f"{day_problem('deadline', str(deadline), exc)} @ {where}.deadline")
                return None
            except ValueError:
                problems.append(
                    f"'deadline' must be an ISO date such as 2027-03-31 (got {deadline!r}) "
                    f"@ {where}.deadline"
                )
                return None
    if data.get("rationale"):
        fields["rationale"] = str(data["rationale"])
    try:
        return Objective(id=record_id, statement=text, **fields)
    except ValidationError as exc:
        problems.extend(p.at(where) for p in exc.problems)
        return None


def _records_from(data: object, base: str, problems: list[str]) -> list[ObjectiveRecord]:
    if isinstance(data, Mapping) and "objectives" in data:
        items = data["objectives"]
        base = f"{base}.objectives"
    elif isinstance(data, Mapping):
        items = [data]
    else:
        items = data
    if not isinstance(items, Sequence) or isinstance(items, str):
        problems.append(f"expected a list of objectives @ {base}")
        return []
    found = [_record(item, f"{base}[{i}]", problems) for i, item in enumerate(items)]
    return [r for r in found if r is not None]


def parse_objectives(text: str, fmt: str, *, source: str = "<string>") -> list[ObjectiveRecord]:
    """Parse objectives from *text* in *fmt* (json, jsonl, yaml, toml or csv).

    Raises:
        ValidationError: Naming *source* and every problem, with its line or ``$.path``.
    """
    problems: list[str] = []
    records: list[ObjectiveRecord] = []
    if not text.strip():
        raise ValidationError(
            ["the file is empty: expected objectives, each with at least 'id' and 'text'"],
            source=source,
        )
    if fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = parse(line, "json")
            except ValidationError as exc:
                problems.extend(
                    f"{problem.rpartition(' @ ')[0] or problem} @ line {number}"
                    for problem in exc.problems
                )
                continue
            record = _record(data, f"line {number}", problems)
            if record is not None:
                records.append(attrs.evolve(record, line=number))
    elif fmt == "csv":
        records = _csv_records(text, source, problems)
    elif fmt in ("json", "yaml", "toml"):
        data = parse(text, fmt, source=source)
        records = _records_from(data, "$", problems)
        lines = _record_lines(text, fmt)
        if len(lines) == len(records) and not problems:
            records = [attrs.evolve(r, line=n) for r, n in zip(records, lines, strict=True)]
    else:
        allowed = ", ".join(sorted(set(SUFFIXES.values())))
        raise ValidationError(
            [f"unknown format {fmt!r}; expected one of: {allowed}"], source=source
        )
    problems += _duplicates(records)
    if problems:
        raise ValidationError(problems, source=source)
    if not records:
        raise ValidationError(
            ["no objectives found: expected records with at least 'id' and 'text'"],
            source=source,
        )
    return records


def _place(record: ObjectiveRecord) -> str:
    """Where *record* is: its line when known, else its path (``$[2]``)."""
    return f"line {record.line}" if record.line else record.where


def _duplicates(records: Sequence[ObjectiveRecord]) -> list[str]:
    """A problem for each record whose id an earlier one has, naming both places.

    Findings are reported by id (in JSON output too): two objectives under one id could
    not be told apart, so the file is refused, as a roster with a duplicate id is.
    """
    first: dict[str, ObjectiveRecord] = {}
    problems = []
    for record in records:
        earlier = first.setdefault(record.id, record)
        if earlier is record:
            continue
        at = _place(record) if record.line else f"{record.where}.id"
        problems.append(f"duplicate id {record.id!r} (first on {_place(earlier)}) @ {at}")
    return problems


def _csv_records(text: str, source: str, problems: list[str]) -> list[ObjectiveRecord]:
    refuse_bad_quotes(text, source=source, unit="line")
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [str(h).strip().lower() for h in reader.fieldnames or ()]
        unknown = [h for h in header if h and h not in FIELDS]
        if unknown:
            raise ValidationError(
                [
                    f"unknown column(s) {', '.join(unknown)}; {_hints(unknown)}"
                    f"expected: {', '.join(FIELDS)} @ line 1"
                ],
                source=source,
            )
        records: list[ObjectiveRecord] = []
        for row in reader:
            number = reader.line_num
            if None in row:
                problems.append(f"more cells than the header has columns @ line {number}")
                continue
            clean = {str(k).strip().lower(): v for k, v in row.items() if k}
            record = _record(clean, f"line {number}", problems)
            if record is not None:
                records.append(attrs.evolve(record, line=number))
    except csv.Error as exc:
        raise ValidationError(
            [f"not valid CSV: {exc} @ line {reader.reader.line_num}"], source=source
        ) from None
    return records


def _record_lines(text: str, fmt: str) -> list[int]:
    """Best effort: the line each record of a JSON, YAML or TOML file starts on."""
    if fmt == "toml":
        return [
            number
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip().replace(" ", "") == "[[objectives]]"
        ]
    if fmt == "yaml":
        return _yaml_lines(text)
    return _json_lines(text)


def _json_lines(text: str) -> list[int]:
    decoder = json.JSONDecoder()
    index = len(text) - len(text.lstrip())
    if not text.startswith("[", index):
        return []
    index += 1
    lines: list[int] = []
    try:
        while True:
            while index < len(text) and text[index] in " \t\r\n,":
                index += 1
            if index >= len(text) or text[index] == "]":
                return lines
            lines.append(text.count("\n", 0, index) + 1)
            _value, index = decoder.raw_decode(text, index)
    except (ValueError, RecursionError):
        return []


def _yaml_lines(text: str) -> list[int]:
    try:
        from devcycle.interop.yamlfmt import item_lines  # noqa: PLC0415 - the yaml extra

        return item_lines(text, "objectives")
    except ImportError:
        return []


def read_objectives(path: str | Path, fmt: str | None = None) -> list[ObjectiveRecord]:
    """Read the objectives in the file at *path*; the format comes from the suffix by default.

    Raises:
        ValidationError: If the file cannot be read or any record is malformed; the message
            names the file and each problem's line or path.
    """
    file = Path(path)
    chosen = fmt or SUFFIXES.get(file.suffix.lower())
    if chosen is None:
        known = ", ".join(SUFFIXES)
        suffix = file.suffix or "(none)"
        raise ValidationError(
            [f"cannot tell the format from the suffix {suffix!r}; use one of {known}"],
            source=str(file),
        )
    text = read_text(file)
    return located(parse_objectives(text, chosen, source=str(file)), str(file))


def located(records: Sequence[ObjectiveRecord], source: str) -> list[ObjectiveRecord]:
    """Return *records* with *source* (a file name, ``<stdin>``) in their file and where."""
    return [
        attrs.evolve(r, where=f"{source}:{r.where.removeprefix('line ')}", file=source)
        if r.where.startswith("line ")
        else attrs.evolve(r, where=f"{source} {r.where}", file=source)
        for r in records
    ]
