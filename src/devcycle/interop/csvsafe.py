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
_INVISIBLE = re.compile(
    "[\\s\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff]*"
)
"""Characters a reader cannot see: a formula trigger after them still starts a formula."""
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Control characters (but tabs and line breaks, which CSV quotes) and bidirectional
overrides: written as visible escapes (``\x1b``), so that no cell carries an escape sequence
to a terminal that shows the file, or reorders what a reader sees."""


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_cell(value: object) -> str:
    r"""Return *value* as text that no spreadsheet will run as a formula.

    Args:
        value: Any value; None becomes an empty cell.

    Returns:
        The text, with a leading ``'`` when it would otherwise start a formula, and every
        control character but tabs and line breaks (ESC, CSI, DEL) and every bidirectional
        override shown as an escape (``\x1b``), never written raw; NUL becomes U+FFFD.

    Examples:
        >>> safe_cell('=HYPERLINK("http://x.example")')
        '\'=HYPERLINK("http://x.example")'
        >>> safe_cell("-3")
        '-3'
    """
    if value is None:
        return ""
    text = str(value).replace("\x00", "\ufffd")  # NUL never reaches a file
    guarded = _guarded(text)
    if guarded.isprintable():
        return guarded
    return _CONTROL.sub(_visible, guarded)  # nor ESC, CSI or a bidirectional override


def _guarded(text: str) -> str:
    """*text*, with a leading ``'`` when it would start a formula."""
    match = _INVISIBLE.match(text)
    prefix = match.group() if match else ""
    stripped = text[len(prefix) :]
    if any(char in "\t\r\n" for char in prefix):
        return "'" + text
    if stripped.startswith(TRIGGERS):
        plain_number = prefix.strip(" ") == "" and _NUMBER.match(stripped) is not None
        if not plain_number:
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
