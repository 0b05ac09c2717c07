"""Small helpers the reports share to build their `Document`s."""

from __future__ import annotations

from collections.abc import Sequence

from devcycle.document import Block, Document, Field, Paragraph, Section, Table
from devcycle.reports._base import ScopeInfo

RAG_COLOURS = {"green": "#1b7837", "amber": "#d98c00", "red": "#b2182b"}
"""Colours for charts; the text alternative and table always say the same in words."""

PURPOSE_COLOURS = {"management": "#4c72b0", "measurement": "#8172b2", "movement": "#1b7837"}


def document(
    title: str,
    info: ScopeInfo,
    kind: str,
    body: Sequence[Block],
    *,
    extra: Sequence[Field] = (),
) -> Document:
    """A report document with the common header: scope, as-of date and staff counts."""
    header = (
        Field("Covers", f"{info.label} ({info.level})"),
        Field("As of", info.as_of.isoformat()),
        Field("Staff in scope", f"{info.people} ({info.with_cycle} with a current cycle)"),
        *extra,
    )
    return Document(
        title=title,
        subtitle=info.label,
        header=header,
        body=tuple(body),
        footer=f"{title} - {info.label} - as of {info.as_of.isoformat()}",
        kind=f"report:{kind}",
    )


def table_or_note(
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    caption: str,
    empty: str,
    row_headers: bool = True,
) -> Block:
    """A table of *rows*, or a sentence saying there is nothing to list."""
    if not rows:
        return Paragraph(empty)
    return Table(
        tuple(columns),
        tuple(tuple(r) for r in rows),
        caption=caption,
        row_headers=row_headers,
    )


def section(title: str, blocks: Sequence[Block], *, id: str = "") -> Section:
    """A section with an id for anchors."""
    return Section(title, tuple(blocks), id=id)


def short(text: str, limit: int = 90) -> str:
    """Shorten *text* to *limit* characters on a word boundary, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def number(value: float) -> str:
    """Format a number of hours or a share without trailing zeros."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 objective``, ``2 objectives``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
