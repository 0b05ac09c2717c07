"""A school's term dates from a file: TOML, YAML, CSV or iCalendar; and calendars back to TOML.

`load_calendar` picks the reader by suffix. Every reader collects all the problems in a file
and raises one `ValidationError` listing each with where it is (``@ $.terms[1].end`` for TOML
and YAML, ``@ row 4`` for CSV, ``@ event 3`` for iCalendar). The formats are described in
``docs/calendars/calendar-files.md``.

* **TOML / YAML**: the fields of `SchoolCalendar` (``name``, ``terms``, ``inset_days``,
  ``closures``, ``bank_holidays``, ``region``, ``source``...).
* **CSV**: one row per thing, with the columns ``kind,name,start,end``; kind is ``term``,
  ``half_term`` (a term's break), ``inset``, ``closure`` or ``bank_holiday``.
* **iCalendar** (.ics, as many schools publish): all-day events whose summary says what they
  are: "... term" (a term), "half term", "INSET" or "training day", "bank holiday",
  "closed" or "closure". Other events (sports day, parents' evening) are left out.

YAML needs the ``yaml`` extra; iCalendar the ``ics`` extra (the icalendar library).
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import attrs

from devcycle.domain.calendar import (
    APPROXIMATE_NOTICE,
    BankHoliday,
    Closure,
    SchoolCalendar,
    Term,
)
from devcycle.errors import ConfigError, ValidationError
from devcycle.fileio import decode_text, read_bytes
from devcycle.interop._day import day_problem, parse_day
from devcycle.interop.csvquote import refuse_bad_quotes
from devcycle.serialization import from_dict, parse, register_kind, render, to_dict

__all__ = [
    "calendar_to_toml",
    "load_calendar",
    "parse_calendar",
    "parse_calendar_csv",
    "parse_calendar_ics",
]

register_kind("calendar", SchoolCalendar)

_SUFFIXES = {
    ".toml": "toml",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".csv": "csv",
    ".ics": "ics",
}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ONE_DAY = timedelta(days=1)


def load_calendar(path: str | Path, *, name: str | None = None) -> SchoolCalendar:
    """Load a school's calendar from a TOML, YAML, JSON, CSV or iCalendar file.

    Args:
        path: The file; its suffix says its format.
        name: The calendar's name, where the file does not give one (CSV and .ics files);
            by default the file's name.

    Raises:
        ValidationError: Naming the file and every problem in it.
        ConfigError: If the format needs an extra that is not installed.
    """
    file = Path(path)
    fmt = _SUFFIXES.get(file.suffix.lower())
    if fmt is None:
        raise ValidationError(
            [f"expected a {', '.join(_SUFFIXES)} file (got {file.suffix or 'none'!r}) @ $"],
            source=str(file),
        )
    raw = read_bytes(file)
    text = decode_text(raw, source=str(file)) if fmt != "ics" else ""
    label = name or file.stem
    if fmt == "csv":
        calendar = parse_calendar_csv(text, name=label, source=str(file))
    elif fmt == "ics":
        calendar = parse_calendar_ics(raw, name=label, source=str(file))
    else:
        calendar = parse_calendar(text, fmt, source=str(file))
    return _within_range(calendar, str(file))


EARLIEST: Final = date(1900, 1, 1)
"""The first day a calendar file may name: planning arithmetic stays far from year 1."""
LATEST: Final = date(2199, 12, 31)
"""The last day a calendar file may name: planning arithmetic stays far from year 9999."""


def _within_range(calendar: SchoolCalendar, source: str) -> SchoolCalendar:
    problems = []
    for index, term in enumerate(calendar.terms):
        for day in (term.start, term.end):
            if not EARLIEST <= day <= LATEST:
                problems.append(
                    f"{day.isoformat()} is outside the years {EARLIEST.year} to {LATEST.year} "
                    f"a calendar may cover @ $.terms[{index}]"
                )
    for field in ("inset_days", "closures", "bank_holidays"):
        for index, item in enumerate(getattr(calendar, field, ())):
            if isinstance(item, date):
                days = [item]
            elif attrs.has(type(item)):
                days = [v for v in attrs.astuple(item, recurse=False) if isinstance(v, date)]
            else:
                days = []
            for day in days:
                if not EARLIEST <= day <= LATEST:
                    problems.append(
                        f"{day.isoformat()} is outside the years {EARLIEST.year} to "
                        f"{LATEST.year} a calendar may cover @ $.{field}[{index}]"
                    )
    if problems:
        raise ValidationError(problems[:20], source=source)
    return calendar


def parse_calendar(text: str, fmt: str = "toml", *, source: str | None = None) -> SchoolCalendar:
    """Build a calendar from TOML, YAML or JSON text holding `SchoolCalendar`'s fields.

    A devcycle document envelope (``kind = "calendar"``) is accepted too.

    Raises:
        ValidationError: Listing every problem with its path.
    """
    data: Any = parse(text, fmt, source=source)
    if isinstance(data, dict) and data.get("kind") == "calendar" and "data" in data:
        data = data["data"]
    return from_dict(data, SchoolCalendar, source=source)


def _dates_as_dates(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _dates_as_dates(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_dates_as_dates(v) for v in data]
    if isinstance(data, str) and _ISO_DATE.match(data):
        return date.fromisoformat(data)
    return data


def calendar_to_toml(calendar: SchoolCalendar) -> str:
    """Write *calendar* as an editable TOML file (the ``toml`` extra).

    An approximate calendar opens with a comment saying so, and its ``notes`` say it too.
    """
    data = _dates_as_dates(to_dict(calendar))
    for empty in ("closures", "bank_holidays", "inset_days"):
        if not data.get(empty):
            data.pop(empty, None)
    header = [
        "# A school calendar for devcycle: terms (with half-term breaks), INSET days, closures",
        "# and bank holidays. Edit the dates to match your school's; see",
        "# docs/calendars/calendar-files.md for the format.",
    ]
    if calendar.approximate:
        header[:0] = [f"# {line}" for line in textwrap.wrap(APPROXIMATE_NOTICE, 90)]
    return "\n".join(header) + "\n\n" + render(data, "toml")


# --------------------------------------------------------------------------- CSV

_CSV_KINDS = ("term", "half_term", "inset", "closure", "bank_holiday")


def _csv_date(value: str | None, column: str, problems: list[str], where: str) -> date | None:
    text = (value or "").strip()
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError as exc:
        problems.append(f"{day_problem(column, text, exc)} @ {where}")
        return None


def parse_calendar_csv(text: str, *, name: str, source: str | None = None) -> SchoolCalendar:
    """Build a calendar from CSV rows ``kind,name,start,end`` (end optional for one day).

    Raises:
        ValidationError: Listing every bad row.
    """
    refuse_bad_quotes(text, source=source)
    reader = csv.DictReader(io.StringIO(text))
    try:
        missing = {"kind", "start"} - set(reader.fieldnames or ())
        if missing:
            raise ValidationError(
                [
                    f"the header must name the columns kind,name,start,end (missing: "
                    f"{', '.join(sorted(missing))}) @ row 1"
                ],
                source=source,
            )
        found = _Collected()
        problems = found.problems
        for number, row in enumerate(reader, start=2):
            where = f"row {number}"
            kind = (row.get("kind") or "").strip().lower().replace("-", "_").replace(" ", "_")
            label = (row.get("name") or "").strip()
            start = _csv_date(row.get("start"), "start", problems, where)
            end = _csv_date(row.get("end"), "end", problems, where) or start
            if kind not in _CSV_KINDS:
                problems.append(
                    f"kind must be one of {', '.join(_CSV_KINDS)} (got {kind!r}) @ {where}"
                )
                continue
            if start is None or end is None:
                if not (row.get("start") or "").strip():
                    problems.append(f"start is required @ {where}")
                continue
            if end < start:
                problems.append(f"end ({end}) is before start ({start}) @ {where}")
                continue
            found.add(kind, label or f"term-{len(found.terms) + 1}", start, end, where)
        return found.build(name, source)
    except csv.Error as exc:  # a field over the csv module's limit
        raise ValidationError(
            [f"not valid CSV: {exc} @ row {reader.reader.line_num}"], source=source
        ) from None


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += _ONE_DAY


def _attach_breaks(
    terms: list[dict[str, Any]], breaks: list[tuple[date, date, str]], problems: list[str]
) -> list[Term]:
    built: list[Term] = []
    used: set[int] = set()
    for term in terms:
        inside = [
            (i, b) for i, b in enumerate(breaks) if term["start"] < b[0] and b[1] < term["end"]
        ]
        if len(inside) > 1:
            problems.append(
                f"term {term['name']!r} has more than one half-term break @ {term['row']}"
            )
            continue
        brk = inside[0][1] if inside else None
        used.update(i for i, _ in inside)
        try:
            built.append(
                Term(
                    term["name"],
                    term["start"],
                    term["end"],
                    brk[0] if brk else None,
                    brk[1] if brk else None,
                )
            )
        except ValueError as exc:
            problems.append(f"{exc} @ {term['row']}")
    for index, (start, end, where) in enumerate(breaks):
        if index not in used:
            problems.append(f"half-term break {start} to {end} is not inside any term @ {where}")
    return built


@attrs.define
class _Collected:
    """What a CSV or iCalendar reader has found so far, and the problems with it."""

    problems: list[str] = attrs.Factory(list)
    terms: list[dict[str, Any]] = attrs.Factory(list)
    breaks: list[tuple[date, date, str]] = attrs.Factory(list)
    inset: list[date] = attrs.Factory(list)
    closures: list[Closure] = attrs.Factory(list)
    holidays: list[BankHoliday] = attrs.Factory(list)

    def add(self, kind: str, label: str, start: date, end: date, where: str) -> None:
        if kind == "term":
            self.terms.append({"name": label, "start": start, "end": end, "row": where})
        elif kind == "half_term":
            self.breaks.append((start, end, where))
        elif kind == "inset":
            self.inset.extend(_days(start, end))
        elif kind == "closure":
            self.closures.append(Closure(start, end, label or "Closure"))
        else:
            self.holidays.extend(BankHoliday(d, label or "Bank holiday") for d in _days(start, end))

    def build(self, name: str, source: str | None) -> SchoolCalendar:
        terms = _attach_breaks(self.terms, self.breaks, self.problems)
        if self.problems:
            raise ValidationError(self.problems, source=source)
        try:
            return SchoolCalendar(
                name=name,
                terms=terms,
                inset_days=self.inset,
                closures=self.closures,
                bank_holidays=self.holidays,
                source=source or "",
            )
        except ValueError as exc:
            raise ValidationError([f"{exc} @ $"], source=source) from None


# --------------------------------------------------------------------------- iCalendar

_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("half_term", re.compile(r"half[\s-]?term", re.IGNORECASE)),
    ("inset", re.compile(r"\binset\b|training day|staff development day", re.IGNORECASE)),
    ("bank_holiday", re.compile(r"bank holiday", re.IGNORECASE)),
    ("closure", re.compile(r"\bclosed\b|\bclosure\b", re.IGNORECASE)),
    ("term", re.compile(r"\bterm\b", re.IGNORECASE)),
)


def _classify(summary: str) -> str | None:
    return next((kind for kind, pattern in _KEYWORDS if pattern.search(summary)), None)


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _term_name(summary: str, index: int) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", summary.lower()).strip("-")
    words = re.sub(r"-?term-?", "-", words).strip("-")
    return words or f"term-{index}"


def parse_calendar_ics(
    data: bytes | str, *, name: str, source: str | None = None
) -> SchoolCalendar:
    """Build a calendar from an iCalendar file of term dates (the ``ics`` extra).

    All-day events are read by their summary (see the module's notes). An all-day event's
    DTEND is the day after it ends, as RFC 5545 says.

    Raises:
        ValidationError: Listing every event that cannot be read, or a file that is not
            iCalendar.
        ConfigError: If the icalendar library is not installed.
    """
    try:
        import icalendar  # noqa: PLC0415 - the optional library loads when first used
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = f'reading .ics files needs: pip install "devcycle[ics]" ({exc})'
        raise ConfigError(msg) from None
    try:
        parsed = icalendar.Calendar.from_ical(data)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as exc:
        # The library's own parser fails in other ways on some malformed lines (a
        # parameter with two values, VALUE=DATE,DATE: AttributeError), found by fuzzing.
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ValidationError([f"not valid iCalendar: {problem} @ $"], source=source) from None
    found = _Collected()
    for number, event in enumerate(parsed.walk("VEVENT"), start=1):
        summary = str(event.get("SUMMARY", "")).strip()
        where = f"event {number} ({summary or 'no summary'})"
        kind = _classify(summary)
        if kind is None:
            continue
        span = _event_span(event, where, found.problems)
        if span is not None:
            label = _term_name(summary, len(found.terms) + 1) if kind == "term" else summary
            found.add(kind, label, span[0], span[1], where)
    if not found.terms and not found.problems:
        found.problems.append("no term events found: name them '... term' (e.g. 'Autumn term') @ $")
    return found.build(name, source)


def _event_span(event: Any, where: str, problems: list[str]) -> tuple[date, date] | None:
    try:
        return _readable_span(event, where, problems)
    except (ValueError, TypeError, AttributeError, OverflowError) as exc:  # a broken DTSTART
        problems.append(f"the event's dates cannot be read ({exc}) @ {where}")
        return None


def _readable_span(event: Any, where: str, problems: list[str]) -> tuple[date, date] | None:
    start_prop = event.get("DTSTART")
    start = _as_date(start_prop.dt) if start_prop is not None else None
    if start is None:
        problems.append(f"the event has no DTSTART date @ {where}")
        return None
    end_prop = event.get("DTEND")
    end = start
    if end_prop is not None:
        end = _as_date(end_prop.dt) or start
        if not isinstance(start_prop.dt, datetime) and end > start:
            end -= _ONE_DAY  # an all-day event's DTEND is the day after it ends
    if end < start:
        problems.append(f"the event ends before it starts @ {where}")
        return None
    return start, end
