"""One reading of a date cell for every file reader: YYYY-MM-DD, or with a midnight time.

Spreadsheets (Excel above all) export a date column as ``2027-01-04 00:00:00``; that is
the same day, so every reader takes it. A time other than midnight is refused: a date
column holds no time of day, and silently dropping one would hide a column mix-up.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

__all__ = ["EXPECTED_DAY", "TimeOfDayError", "day_problem", "parse_day"]

EXPECTED_DAY: Final = "a date as YYYY-MM-DD"
"""What a date cell must hold, for messages."""

_WITH_TIME: Final = re.compile(
    r"(?P<day>\d{4}-\d{2}-\d{2})[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})"
    r"(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?(?:Z|[+-]00:?00)?"
)


class TimeOfDayError(ValueError):
    """A date cell holding a time other than midnight."""


def parse_day(text: str) -> date:
    """Return the day *text* names: ``YYYY-MM-DD``, or that followed by a midnight time.

    ``2027-01-04``, ``2027-01-04 00:00``, ``2027-01-04 00:00:00`` and
    ``2027-01-04T00:00:00.000`` are all 4 January 2027.

    Raises:
        TimeOfDayError: If the time is not midnight (``2027-01-04 09:30``).
        ValueError: If *text* is not such a date.

    Examples:
        >>> parse_day("2027-01-04 00:00:00")
        datetime.date(2027, 1, 4)
    """
    value = text.strip()
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


def _refuse(value: str) -> date:
    msg = f"not a date as YYYY-MM-DD: {value!r}"
    raise ValueError(msg)


def day_problem(column: str, text: str, error: ValueError) -> str:
    """The problem to report for a date cell *text* of *column* that `parse_day` refused.

    The reader appends where it is (``@ row 3, column start_date``).
    """
    if isinstance(error, TimeOfDayError):
        return (
            f"{column} must be a date as YYYY-MM-DD, not a time of day (got {text!r}; a "
            "midnight time such as 00:00:00, as spreadsheets export dates, is accepted)"
        )
    return f"{column} must be {EXPECTED_DAY} (got {text!r})"
