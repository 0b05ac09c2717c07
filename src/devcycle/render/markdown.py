"""Markdown: a document as CommonMark text, readable as it is and safe to convert to HTML.

Every piece of text is escaped, so that nothing a user typed becomes markup: ``<script>``
stays text (a backslash goes before the ``<``), ``*`` and ``[`` do not start emphasis or
links, and a line starting with ``#`` or ``-`` does not become a heading or a list. No HTML
entities are written: an ``&`` is escaped only where it would start one. Charts become their text
alternative followed by their data as a table.
"""

from __future__ import annotations

import re
from typing import ClassVar

from devcycle.document import (
    Block,
    BulletList,
    Chart,
    Checklist,
    Document,
    Field,
    Note,
    NoteKind,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
    format_date,
    plain,
)
from devcycle.render._layout import FieldGroup, grouped, safe_text
from devcycle.render.base import Renderer

__all__ = ["MarkdownRenderer", "escape"]

_SPECIAL = re.compile(r"([\\`*_\[\]|~<])")
# In a heading every ``#`` is escaped too: a run of them at the end of the line is the
# heading's optional closing sequence and would vanish (``# Step #`` shows as "Step").
_SPECIAL_IN_HEADING = re.compile(r"([\\`*_\[\]|~#<])")
_LEADING = re.compile(r"^([#=+>-])")
# Only an ampersand that would start a character reference needs escaping; a backslash
# escape keeps the text readable as it is (``Primary \& Nursery`` would be noise).
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def escape(text: str) -> str:
    """Return *text* escaped so that CommonMark shows it literally, on one logical line.

    Line breaks become hard breaks (a backslash at the end of the line).
    """
    return _escape(text, _SPECIAL)


def _escape(text: str, special: re.Pattern[str]) -> str:
    lines = []
    for line in safe_text(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = special.sub(r"\\\1", line)  # noqa: PLW2901
        line = _ENTITY.sub(r"\\&", line)  # noqa: PLW2901
        line = _LEADING.sub(r"\\\1", line)  # noqa: PLW2901
        line = _ORDERED.sub(r"\1\\\2", line)  # noqa: PLW2901
        if line.startswith((" ", "\t")):
            line = line.lstrip(" \t")  # noqa: PLW2901
            line = _LEADING.sub(r"\\\1", _ORDERED.sub(r"\1\\\2", line))  # noqa: PLW2901
        lines.append(line.rstrip())
    return "\\\n".join(lines)


def _line(text: str) -> str:
    """Escape *text* for a heading: line breaks become spaces and every ``#`` is escaped."""
    return _escape(" ".join(safe_text(text).splitlines()), _SPECIAL_IN_HEADING)


def _indented(text: str, width: int) -> str:
    """Indent the continuation lines of an escaped block to sit inside a list item."""
    return text.replace("\\\n", "\\\n" + " " * width)


def _cell(text: str) -> str:
    return escape(text).replace("\\\n", "<br>") or " "


_NOTE = {NoteKind.INFO: "Note", NoteKind.WARNING: "Warning", NoteKind.CONFIDENTIAL: "Confidential"}


class MarkdownRenderer(Renderer):
    """Render documents as CommonMark (with pipe tables), UTF-8, LF line endings."""

    name: ClassVar[str] = "markdown"
    media_type: ClassVar[str] = "text/markdown; charset=utf-8"
    suffix: ClassVar[str] = ".md"

    def render(self, document: Document) -> bytes:
        """Return *document* as Markdown."""
        document = plain(document)  # Markup's own methods would escape it as HTML
        out: list[str] = [f"# {_line(document.title)}"]
        if document.subtitle:
            out.append(f"**{escape(document.subtitle)}**")
        if document.header:
            out.append(self._fields(document.header))
        for block in grouped(document.body):
            out.append(self._block(block, 2))
        if document.footer:
            out.extend(("---", f"*{escape(document.footer)}*"))
        return ("\n\n".join(part for part in out if part) + "\n").encode("utf-8")

    def _block(self, block: Block | FieldGroup, level: int) -> str:  # noqa: PLR0911
        if isinstance(block, FieldGroup):
            return self._fields(block.fields)
        if isinstance(block, Section):
            return self._section(block, level)
        if isinstance(block, Paragraph):
            return escape(block.text)
        if isinstance(block, BulletList):
            return self._list(block)
        if isinstance(block, Field):
            return self._fields((block,))
        if isinstance(block, Table):
            return self._table(block)
        if isinstance(block, Checklist):
            return self._checklist(block)
        if isinstance(block, SignatureBlock):
            return self._signatures(block)
        if isinstance(block, Note):
            return f"> **{_NOTE[block.kind]}:** {escape(block.text)}".replace("\\\n", "\\\n> ")
        return self._chart(block)

    def _section(self, section: Section, level: int) -> str:
        hashes = "#" * min(level, 6)
        parts = [f"{hashes} {_line(section.title)}"]
        if section.restricted_to:
            who = ", ".join(a.replace("_", " ") for a in section.restricted_to)
            parts.append(f"> **Confidential:** for {escape(who)} only.")
        parts.extend(self._block(b, level + 1) for b in grouped(section.blocks))
        if len(parts) == 1:
            parts.append("*Nothing recorded.*")
        return "\n\n".join(p for p in parts if p)

    @staticmethod
    def _fields(fields: tuple[Field, ...]) -> str:
        lines: list[str] = []
        for field in fields:
            if field.is_blank:
                hint = f" *{escape(field.hint)}*" if field.hint else ""
                blank = "\\\n".join(["\\_" * 30] * max(field.lines, 1))
                lines.append(f"**{escape(field.label)}:**{hint}\\\n{blank}")
            else:
                lines.append(f"**{escape(field.label)}:** {escape(field.value)}")
        return "\n\n".join(lines)

    @staticmethod
    def _list(block: BulletList) -> str:
        if not block.items:
            return "*None.*"
        lines = []
        for number, item in enumerate(block.items, start=1):
            marker = f"{number}." if block.ordered else "-"
            lines.append(f"{marker} {_indented(escape(item), len(marker) + 1)}")
        return "\n".join(lines)

    @staticmethod
    def _table(table: Table) -> str:
        lines: list[str] = []
        if table.caption:
            lines.extend((f"*{escape(table.caption)}*", ""))
        lines.append("| " + " | ".join(_cell(c) for c in table.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in table.columns) + "|")
        if not table.rows:
            lines.append("| " + " | ".join(["*(none)*", *[" "] * (len(table.columns) - 1)]) + " |")
        for row in table.rows:
            lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
        return "\n".join(lines)

    @staticmethod
    def _checklist(block: Checklist) -> str:
        lines: list[str] = []
        if block.title:
            lines.extend((f"**{escape(block.title)}**", ""))
        for item in block.items:
            note = f" — {escape(item.note)}" if item.note else ""
            lines.append(_indented(f"- {item.state.glyph} {escape(item.text)}{note}", 2))
        if not block.items:
            lines.append("*Nothing to check.*")
        return "\n".join(lines)

    @staticmethod
    def _signatures(block: SignatureBlock) -> str:
        lines: list[str] = []
        if block.statement:
            lines.extend((escape(block.statement), ""))
        lines.extend(("| Role | Name | Signature | Date |", "| --- | --- | --- | --- |"))
        for s in block.signatories:
            when = format_date(s.signed_on) or " "
            lines.append(f"| {_cell(s.role)} | {_cell(s.name)} |   | {when} |")
        return "\n".join(lines)

    def _chart(self, chart: Chart) -> str:
        parts = [f"**{escape(chart.title)}**", escape(chart.alt), self._table(chart.as_table())]
        if chart.caption:
            parts.append(f"*{escape(chart.caption)}*")
        return "\n\n".join(parts)
