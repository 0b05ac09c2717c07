"""One reading of a date cell for every file reader: YYYY-MM-DD, or with a midnight time.

Spreadsheets (Excel above all) export a date column as ``2027-01-04 00:00:00``; that is
the same day, so every reader takes it. A time other than midnight is refused: a date
column holds no time of day, and silently dropping one would hide a column mix-up.

A reader of UK exports (the staff roster) also takes the day first, ``DD/MM/YYYY``
(``day_first=True``): ``01/09/2026`` is 1 September 2026, always, never 9 January. A
month above 12 is refused, naming the day-first order, rather than read the American way.
"""

from __future__ import annotations

import re
from datetime import MINYEAR, date
from typing import Final

__all__ = [
    "EXPECTED_DAY",
    "EXPECTED_DAY_FIRST",
    "DayFirstError",
    "TimeOfDayError",
    "day_problem",
    "parse_day",
]

EXPECTED_DAY: Final = "a date as YYYY-MM-DD"
"""What a date cell must hold, for messages."""

EXPECTED_DAY_FIRST: Final = "a date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-09-01 or 01/09/2026"
"""What a date cell read with ``day_first=True`` must hold, for messages."""

_DAY_FIRST: Final = re.compile(
    r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?(?:Z|[+-]00:?00)?)?",
    re.ASCII,  # 0-9 only: no other script's digits read as a date
)

_WITH_TIME: Final = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2})[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?(?:Z|[+-]00:?00)?"
)


class TimeOfDayError(ValueError):
    """A date cell holding a time other than midnight."""


class DayFirstError(ValueError):
    """A ``DD/MM/YYYY`` cell naming no day (``31/02/2026``, or month first ``09/30/2026``).

    Its message is the reason alone, for `day_problem` to show after the cell.
    """


def parse_day(text: str, *, day_first: bool = False) -> date:
    """Return the day *text* names: ``YYYY-MM-DD``, or that followed by a midnight time.

    ``2027-01-04``, ``2027-01-04 00:00``, ``2027-01-04 00:00:00`` and
    ``2027-01-04T00:00:00.000`` are all 4 January 2027. With *day_first*, ``04/01/2027``
    (and ``4/1/2027``, or either with a midnight time) is too: day, month, then a
    four-digit year, never month first.

    Raises:
        TimeOfDayError: If the time is not midnight (``2027-01-04 09:30``).
        ValueError: If *text* is not such a date.

    Examples:
        >>> parse_day("2027-01-04 00:00:00")
        datetime.date(2027, 1, 4)
        >>> parse_day("01/09/2026", day_first=True)
        datetime.date(2026, 9, 1)
    """
    value = text.strip()
    if day_first and (uk := _DAY_FIRST.fullmatch(value)) is not None:
        return _day_first(uk, value)
    found = _WITH_TIME.fullmatch(value)
    if found is None:
        return date.fromisoformat(value) if len(value) == 10 else _refuse(value)
    day = date.fromisoformat(found["day"])
    parts = (found["hour"], found["minute"], found["second"] or "0", found["fraction"] or "0")
    if any(int(part) for part in parts):
        time = value[len(found["day"]) + 1 :]
        msg = f"has a time of day ({time}); a date column holds a day"
        raise TimeOfDayError(msg)
    return day


def _day_first(found: re.Match[str], value: str) -> date:
    """The day of a ``DD/MM/YYYY`` cell (with at most a midnight time), or why it is none."""
    day, month, year = int(found["day"]), int(found["month"]), int(found["year"])
    order = "dates with slashes are read day first, DD/MM/YYYY"
    if not 1 <= month <= 12:
        msg = f"month {month} is not 1 to 12; {order}, never month first"
        raise DayFirstError(msg)
    if year < MINYEAR:
        msg = f"year {year} is not a year"
        raise DayFirstError(msg)
    try:
        result = date(year, month, day)
    except ValueError:
        msg = f"there is no day {day} in month {month} of {year}; {order}"
        raise DayFirstError(msg) from None
    parts = (found["hour"], found["minute"], found["second"], found["fraction"])
    if any(int(part or "0") for part in parts):
        time = value.split("T" if "T" in value else " ", 1)[1]
        msg = f"has a time of day ({time}); a date column holds a day"
        raise TimeOfDayError(msg)
    return result


def _refuse(value: str) -> date:
    msg = f"not a date as YYYY-MM-DD: {value!r}"
    raise ValueError(msg)


def day_problem(column: str, text: str, error: ValueError, *, day_first: bool = False) -> str:
    """The problem to report for a date cell *text* of *column* that `parse_day` refused.

    *day_first* as given to `parse_day`: the message shows every form accepted. The reader
    appends where it is (``@ row 3, column start_date``).
    """
    expected = EXPECTED_DAY_FIRST if day_first else EXPECTED_DAY
    if isinstance(error, TimeOfDayError):
        return (
            f"{column} must be {expected}, not a time of day (got {text!r}; a "
            "midnight time such as 00:00:00, as spreadsheets export dates, is accepted)"
        )
    why = f": {error}" if isinstance(error, DayFirstError) else ""
    return f"{column} must be {expected} (got {text!r}{why})"
