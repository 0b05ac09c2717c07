r"""Text safe for a terminal: user text never carries control characters or escape sequences.

A staff name, an objective or a file name is shown as data. `terminal_safe` replaces every
C0 and C1 control character (ESC starts the sequences that retitle a window, clear the
screen or hide text; CSI is C1's one-character form), DEL, bidirectional overrides and lone
surrogates by a visible escape such as ``\x1b``, keeping only line breaks and tabs where a
caller allows them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click

__all__ = ["data_safe", "echo", "json_text", "terminal_safe"]

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_UNSAFE_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


_UNSAFE_DATA = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
    "\u2066-\u2069\ud800-\udfff]|\r(?!\n)"
)


def data_safe(text: str) -> str:
    r"""Return a document or data with no control character a terminal would obey.

    Each (in CSV, Markdown, HTML or iCalendar asked for on standard output) is shown as an
    escape (``\x1b``), as `terminal_safe` shows it. Line breaks (``\n``, and ``\r\n`` as
    CSV and iCalendar end lines) and tabs are kept; a carriage return alone (which would
    let text overwrite its line) is escaped.
    """
    return _UNSAFE_DATA.sub(_escape, text)


def terminal_safe(text: str, *, multiline: bool = False) -> str:
    r"""Return *text* with control characters shown as escapes (``\x1b``), never obeyed.

    Args:
        text: User text.
        multiline: Keep line feeds and tabs (for text blocks); by default they are escaped
            too, so one value stays on one line.
    """
    pattern = _UNSAFE if multiline else _UNSAFE_ONE_LINE
    return pattern.sub(_escape, text)


def echo(
    message: str | bytes = "",
    *,
    err: bool = False,
    nl: bool = True,
    raw: bool = False,
    data: bool = False,
) -> None:
    r"""Print *message* on standard output (or error): the one way commands print.

    Every control character in the text but line breaks and tabs is shown as an escape
    (`terminal_safe`), so that no user text a message carries (a name, a title, a file
    name) can retitle the window, move the cursor or hide text. Values that must stay on
    their line (a table cell) are made one line with ``terminal_safe(value)`` first.

    Args:
        message: The text; bytes are written as they are (a binary document).
        err: Print on standard error.
        nl: End with a line break.
        raw: Print the text exactly: for text already made safe (JSON from `json_text`,
            TOML) or made safe and then styled.
        data: Print a document or data asked for on standard output (CSV, Markdown,
            HTML, iCalendar) as it is, but with every control character a terminal would
            obey shown as an escape (`data_safe`): its line breaks and tabs stay, and no
            user text in it (a KPI named with an escape sequence) reaches the terminal raw.
    """
    if isinstance(message, str) and data:
        message = data_safe(message)
    elif isinstance(message, str) and not raw:
        message = terminal_safe(message, multiline=True)
    click.echo(message, err=err, nl=nl)


_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)


def json_text(data: Any, *, indent: int | None = None) -> str:
    r"""*data* as JSON (UTF-8 text, not ASCII) that carries no control character raw.

    `json.dumps` escapes C0 controls but writes DEL, C1 controls (CSI is ``\x9b``) and
    bidirectional overrides as they are; here they are escaped too (``\u009b``), which
    is the same JSON, so that JSON printed on a terminal obeys no user text.
    """
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
