"""Answers to the process survey from CSV or JSON, checked row by row; none is half-read.

Schools run the whole-staff survey in whatever tool they use (a form, the MIS) and import
the answers. The columns (a CSV header row names them, in any order; in JSON, a list of
objects with the same keys, or ``{"responses": [...]}``):

| column | required | what |
| --- | --- | --- |
| ``respondent_id`` | yes | the staff id of the person who answered |
| ``on`` | yes | the day they answered, YYYY-MM-DD (a date-time's date part is taken) |
| ``valued`` | no | "I value our process": 1 (strongly disagree) to 5 (strongly agree) |
| ``helps_me_improve`` | no | "It helps me improve my practice": 1 to 5 |
| ``objectives_imposed`` | no | "My objectives were imposed": yes or no |
| ``pupil_data_targets`` | no | "I have pupil-data targets": yes or no |
| ``hours`` | no | hours the process took them this year, 0 to 500 |
| ``comment`` | no | a comment, shown only in large enough groups and never with a name |
| ``id`` | no | the response's id (default: ``<survey>/<respondent_id>``) |
| ``survey_id`` | no | the survey answered (default: the one the import names) |
| ``teams`` | no | team ids separated by ``;`` (default: the respondent's teams) |
| ``reviewer_id`` | no | their reviewer (default: the reviewer of their cycle that day) |

Every answer may be left empty (unanswered). `parse_survey_responses` either returns every
response or raises one `ValidationError` listing each problem as ``description @ row N,
column C`` (CSV) or ``@ [i].field`` (JSON): a score off the scale, a yes/no that is neither,
a bad date, a missing respondent, a person answering twice, an unknown column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from devcycle.domain.voice import SurveyResponse
from devcycle.errors import ValidationError, did_you_mean
from devcycle.fileio import read_text
from devcycle.interop.csvquote import refuse_bad_quotes
from devcycle.serialization import unique_keys

__all__ = ["COLUMNS", "load_survey_responses", "parse_survey_responses", "survey_rows"]

COLUMNS = (
    "respondent_id",
    "on",
    "valued",
    "helps_me_improve",
    "objectives_imposed",
    "pupil_data_targets",
    "hours",
    "comment",
    "id",
    "survey_id",
    "teams",
    "reviewer_id",
)
"""The columns a survey file may have; ``respondent_id`` and ``on`` are required."""

_REQUIRED = ("respondent_id", "on")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}

Where = Callable[[str], str]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value).strip()


def _scale(value: str, column: str, where: Where, problems: list[str]) -> int | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number.is_integer() or not 1 <= number <= 5:
        problems.append(
            f"{column} must be a whole number from 1 to 5, or empty (got {value!r}) "
            f"@ {where(column)}"
        )
        return None
    return int(number)


def _yes_no(value: str, column: str, where: Where, problems: list[str]) -> bool | None:
    folded = value.casefold()
    if not folded:
        return None
    if folded in _YES:
        return True
    if folded in _NO:
        return False
    problems.append(f"{column} must be yes or no, or empty (got {value!r}) @ {where(column)}")
    return None


def _hours(value: str, where: Where, problems: list[str]) -> float | None:
    if not value:
        return None
    try:
        hours = float(value)
    except ValueError:
        hours = -1.0
    if not 0 <= hours <= 500:
        problems.append(
            f"hours must be a number of hours from 0 to 500, or empty (got {value!r}) "
            f"@ {where('hours')}"
        )
        return None
    return hours


def _day(value: str, where: Where, problems: list[str]) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        problems.append(f"on must be a date as YYYY-MM-DD (got {value!r}) @ {where('on')}")
        return None


def _split(value: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in value.replace("|", ";").split(";") if p.strip())


def _response(
    cells: Mapping[str, str],
    where: Where,
    *,
    school_id: str,
    survey_id: str,
    problems: list[str],
) -> SurveyResponse | None:
    before = len(problems)
    for column in _REQUIRED:
        if not cells.get(column):
            problems.append(f"{column} is required @ {where(column)}")
    on = _day(cells["on"], where, problems) if cells.get("on") else None
    answers = {
        "valued": _scale(cells.get("valued", ""), "valued", where, problems),
        "helps_me_improve": _scale(
            cells.get("helps_me_improve", ""), "helps_me_improve", where, problems
        ),
        "objectives_imposed": _yes_no(
            cells.get("objectives_imposed", ""), "objectives_imposed", where, problems
        ),
        "pupil_data_targets": _yes_no(
            cells.get("pupil_data_targets", ""), "pupil_data_targets", where, problems
        ),
        "hours": _hours(cells.get("hours", ""), where, problems),
    }
    if len(problems) > before or on is None:
        return None
    survey = cells.get("survey_id") or survey_id
    respondent = cells["respondent_id"]
    try:
        return SurveyResponse(
            id=cells.get("id") or f"{survey}/{respondent}",
            school_id=school_id,
            survey_id=survey,
            respondent_id=respondent,
            on=on,
            team_ids=_split(cells.get("teams", "")),
            reviewer_id=cells.get("reviewer_id") or None,
            comment=cells.get("comment", ""),
            **answers,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        problems.extend(f"{p.message} @ {where(_column(p.path))}" for p in exc.problems)
        return None


def _column(path: str) -> str:
    field = path.removeprefix("$.").split(".")[0].split("[")[0]
    return {"team_ids": "teams"}.get(field, field)


def _header_problems(header: Sequence[str], at: str) -> list[str]:
    problems = []
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        problems.append(f"the columns {', '.join(missing)} are required @ {at}")
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        hints = [f"for {h!r} {hint}" for h in unknown if (hint := did_you_mean(h, COLUMNS))]
        problems.append(
            f"unknown column(s) {', '.join(unknown)}; "
            + (f"{'; '.join(hints)}; " if hints else "")
            + f"expected: {', '.join(COLUMNS)} @ {at}"
        )
    return problems


def _csv_where(number: int) -> tuple[str, Where]:
    def where(column: str) -> str:
        return f"row {number}, column {column}"

    return f"row {number}", where


def _json_where(index: int) -> tuple[str, Where]:
    def where(column: str) -> str:
        return f"[{index}].{column}"

    return f"[{index}]", where


def _rows_csv(text: str, source: str | None) -> list[tuple[tuple[str, Where], dict[str, str]]]:
    refuse_bad_quotes(text, source=source)
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in reader.fieldnames or ()]
        problems = _header_problems(header, "row 1")
        if problems:
            raise ValidationError(problems, source=source)
        rows: list[tuple[tuple[str, Where], dict[str, str]]] = []
        for row in reader:
            number = reader.line_num
            cells = {k.strip().lower(): _text(v) for k, v in row.items() if isinstance(k, str)}
            if not any(cells.values()):
                continue
            rows.append((_csv_where(number), cells))
        return rows
    except csv.Error as exc:  # a field over the csv module's limit
        raise ValidationError(
            [f"not valid CSV: {exc} @ row {reader.reader.line_num}"], source=source
        ) from None


def _rows_json(text: str, source: str | None) -> list[tuple[tuple[str, Where], dict[str, str]]]:
    try:
        data: Any = json.loads(text, object_pairs_hook=unique_keys)
    except ValidationError as exc:
        raise exc.with_source(source) if source else exc from None
    except json.JSONDecodeError as exc:
        raise ValidationError(
            [f"not valid JSON: {exc.msg} @ line {exc.lineno}, column {exc.colno}"], source=source
        ) from None
    if isinstance(data, Mapping) and set(data) == {"responses"}:
        data = data["responses"]
    if not isinstance(data, list):
        raise ValidationError(
            ['expected a list of responses (or {"responses": [...]}) @ $'], source=source
        )
    rows: list[tuple[tuple[str, Where], dict[str, str]]] = []
    problems: list[str] = []
    for index, item in enumerate(data):
        if not isinstance(item, Mapping):
            problems.append(f"expected an object with the columns as keys @ [{index}]")
            continue
        keys = [str(k).strip().lower() for k in item]
        problems.extend(_header_problems(keys, f"[{index}]"))
        cells = {str(k).strip().lower(): _text(v) for k, v in item.items()}
        rows.append((_json_where(index), cells))
    if problems:
        raise ValidationError(problems, source=source)
    return rows


def parse_survey_responses(
    text: str,
    *,
    school_id: str,
    survey_id: str,
    fmt: str = "csv",
    source: str | None = None,
) -> tuple[SurveyResponse, ...]:
    """Read survey answers (CSV or JSON) into responses of *school_id*, or report every bad row.

    Args:
        text: The file's text.
        school_id: The school whose staff answered.
        survey_id: The survey answered (a row's own ``survey_id`` overrides it).
        fmt: ``csv`` or ``json``.
        source: Where the text came from, for messages.

    Raises:
        ValidationError: Listing every problem with its row and column; nothing is
            returned when any row is bad.
    """
    rows = survey_rows(text, school_id=school_id, survey_id=survey_id, fmt=fmt, source=source)
    return tuple(response for _where, response in rows)


def survey_rows(
    text: str,
    *,
    school_id: str,
    survey_id: str,
    fmt: str = "csv",
    source: str | None = None,
) -> tuple[tuple[str, SurveyResponse], ...]:
    """Like `parse_survey_responses`, each response with where it was (``row 3``, ``[2]``).

    Args:
        text: The file's text.
        school_id: The school whose staff answered.
        survey_id: The survey answered (a row's own ``survey_id`` overrides it).
        fmt: ``csv`` or ``json``.
        source: Where the text came from, for messages.

    Raises:
        ValidationError: Listing every problem with its row and column; nothing is
            returned when any row is bad.
    """
    if fmt not in ("csv", "json"):
        msg = f"survey answers are read from csv or json, not {fmt!r}"
        raise ValidationError([msg], source=source)
    rows = _rows_csv(text, source) if fmt == "csv" else _rows_json(text, source)
    problems: list[str] = []
    found: list[tuple[str, SurveyResponse]] = []
    first: dict[tuple[str, str], str] = {}
    for (place, where), cells in rows:
        key = (cells.get("survey_id") or survey_id, cells.get("respondent_id", ""))
        if key[1] and key in first:
            problems.append(
                f"{key[1]!r} answers survey {key[0]!r} twice (first @ {first[key]}): one "
                f"response each @ {where('respondent_id')}"
            )
            continue
        first[key] = place
        response = _response(
            cells, where, school_id=school_id, survey_id=survey_id, problems=problems
        )
        if response is not None:
            found.append((place, response))
    if problems:
        raise ValidationError(problems, source=source)
    return tuple(found)


def load_survey_responses(
    path: str | Path, *, school_id: str, survey_id: str, fmt: str | None = None
) -> tuple[tuple[str, SurveyResponse], ...]:
    """Read survey answers from a file (format from *fmt* or its suffix); see `survey_rows`.

    Returns:
        Each response with where it was in the file (``row 3`` or ``[2]``).

    Raises:
        ValidationError: Naming the file and every bad row.
    """
    file = Path(path)
    chosen = fmt or ("json" if file.suffix.lower() == ".json" else "csv")
    return survey_rows(
        read_text(file), school_id=school_id, survey_id=survey_id, fmt=chosen, source=str(file)
    )
