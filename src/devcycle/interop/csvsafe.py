"""CSV export guarded against formula injection (CSV injection).

A spreadsheet treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: text typed by a user such as
``=HYPERLINK("http://evil.example", "Click")`` or ``@SUM(1+1)*cmd|' /C calc'!A0`` would run
when a leader opens the export. Following the OWASP advice, every such cell is prefixed with a
single quote so that it is shown as the text typed. Plain numbers (``-3``, ``+4.5``) are left
as they are, so that figures stay figures.

Uses only the standard library's `csv` module.

.. versionadded:: 0.1
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

__all__ = ["TRIGGERS", "safe_cell", "write_csv"]

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""Leading characters that make a spreadsheet read a cell as a formula (with full-width forms)."""

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def safe_cell(value: object) -> str:
    r"""Return *value* as text that no spreadsheet will run as a formula.

    Args:
        value: Any value; None becomes an empty cell.

    Returns:
        The text, with a leading ``'`` when it would otherwise start a formula.

    Examples:
        >>> safe_cell('=HYPERLINK("http://x.example")')
        '\'=HYPERLINK("http://x.example")'
        >>> safe_cell("-3")
        '-3'
    """
    if value is None:
        return ""
    text = str(value)
    stripped = text.lstrip(" ")
    if stripped.startswith(TRIGGERS) and not _NUMBER.match(stripped):
        return "'" + text
    return text


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    r"""Return a CSV document of *columns* and *rows*, every cell made safe by `safe_cell`.

    Args:
        columns: The header row.
        rows: The data rows.

    Returns:
        The CSV text, with ``\r\n`` line endings as RFC 4180 asks.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([safe_cell(c) for c in row])
    return buffer.getvalue()
