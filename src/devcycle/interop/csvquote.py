r"""Find a quoted CSV cell that swallows the rows after it.

Python's ``csv`` module, outside its strict mode, reads a broken quote without a word: a
quoted cell that is never closed runs to the end of the file, and one whose closing ``"`` is
missing is closed by the next quote it meets, with the text after that quote glued on. Either
way ``A,"Run guided reading`` followed by more rows reads as one row whose cell holds the
rest, so one missing ``"`` silently loses every row after it. Every reader of a CSV file
devcycle takes (roster, objectives, survey answers, calendar) asks `quote_problem` first and
refuses such a file, naming the line the cell opened on.

    >>> quote_problem('id,text\nA,"ok"\nB,"Run x\nC,more\n')
    'a quoted cell opened on row 3 is never closed: ...'
    >>> quote_problem('id,text\nA,"Run x\nB,"ok"\n', "line")
    'a quoted cell opened on line 2 has text after its closing quote on line 3 ...'
    >>> quote_problem('id,text\nA,"two\nlines",x\nB,5" screen\n') is None
    True
"""

from __future__ import annotations

from devcycle.errors import ValidationError

__all__ = ["quote_problem", "refuse_bad_quotes"]

_FIELD_START = frozenset(",\r\n\ufeff")
_FIELD_END = frozenset(",\r\n")


def quote_problem(text: str, unit: str = "row") -> str | None:
    """Return the problem a broken quoted cell makes (``... @ row N``), or None.

    Follows the ``csv`` module's reading (comma-separated, ``"`` quoting, ``""`` for a quote
    inside a quoted cell): a ``"`` opens a quoted cell only at the start of a cell, and one
    inside an unquoted cell (``5" screen``) is text. A quoted cell must be closed, and its
    closing quote followed by a comma or the end of the line. *unit* is what the file's
    messages call a line: ``row`` (roster, survey, calendar) or ``line`` (objectives).
    """
    position = text.find('"')
    while position != -1:
        if position > 0 and text[position - 1] not in _FIELD_START:
            position = text.find('"', position + 1)  # a quote inside an unquoted cell
            continue
        opened = text.count("\n", 0, position) + 1
        close = text.find('"', position + 1)
        while close != -1 and text.startswith('""', close):
            close = text.find('"', close + 2)  # a doubled quote is one quote in the cell
        if close == -1:
            return (
                f"a quoted cell opened on {unit} {opened} is never closed: add the missing "
                f"'\"' (without it every line after it is read into that one cell) @ {unit} "
                f"{opened}"
            )
        after = close + 1
        if after < len(text) and text[after] not in _FIELD_END:
            closed = text.count("\n", 0, close) + 1
            glued = text[after : after + 20].split("\n", 1)[0]
            return (
                f"a quoted cell opened on {unit} {opened} has text after its closing quote on "
                f"{unit} {closed} ({glued!r}): a '\"' is missing or one too many, so lines "
                f'run together (a quote inside a quoted cell is written twice: "") @ {unit} '
                f"{opened}"
            )
        position = text.find('"', after)
    return None


def refuse_bad_quotes(text: str, *, source: str | None, unit: str = "row") -> None:
    """Raise `ValidationError` naming the broken quoted cell of *text*, if it has one."""
    problem = quote_problem(text, unit)
    if problem is not None:
        raise ValidationError([problem], source=source)
