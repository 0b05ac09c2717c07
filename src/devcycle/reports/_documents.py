"""Small helpers the reports share to build their `Document`s."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence
from datetime import date

from devcycle.document import (
    Block,
    Document,
    Field,
    Mark,
    Paragraph,
    Section,
    Table,
    format_date,
    format_number,
)
from devcycle.reports._base import ScopeInfo, UnreviewedCycle

# Chart colours come from the Okabe-Ito palette, which colour-blind readers tell apart;
# each status colour also differs from the others in lightness (so they differ in grey
# print), and renderers add a fill pattern per series. The text alternative and the data
# table always say the same in words.
BLUE = "#0072B2"
SKY = "#56B4E9"
GREY = "#999999"
MET = "#009E73"
PARTLY = "#E69F00"
NOT_MET = "#9E2A00"

STATUS_COLOURS = {
    Mark.MET: MET,
    Mark.PARTLY_MET: PARTLY,
    Mark.NOT_MET: NOT_MET,
    Mark.NOT_APPLICABLE: GREY,
}
"""The colour of each status in charts."""

RAG_COLOURS = {"green": MET, "amber": PARTLY, "red": NOT_MET}
"""Colours for RAG charts: the status colours."""

PURPOSE_COLOURS = {"management": BLUE, "measurement": PARTLY, "movement": MET}

_FULL_TEXT: contextvars.ContextVar[bool] = contextvars.ContextVar("full_text", default=False)


@contextlib.contextmanager
def full_text() -> Iterator[None]:
    """Build report documents with every text in full (`short` shortens nothing).

    For exports meant to be worked on (CSV, spreadsheets) rather than read.
    """
    token = _FULL_TEXT.set(True)
    try:
        yield
    finally:
        _FULL_TEXT.reset(token)


def day(value: date | None) -> str:
    """A date in a table: "14 Oct 2026", its spaces non-breaking so it never wraps."""
    if value is None:
        return "-"
    return f"{value.day}\u00a0{value:%b}\u00a0{value.year}"


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
        Field("As of", format_date(info.as_of)),
        Field("Staff in scope", f"{info.people} ({info.with_cycle} with a current cycle)"),
        *extra,
    )
    return Document(
        title=title,
        subtitle=info.label,
        header=header,
        body=tuple(body),
        footer=f"{title} - {info.label} - as of {format_date(info.as_of)}",
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
    if len(flat) <= limit or _FULL_TEXT.get():
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0]
    return f"{cut}…"


def number(value: float) -> str:
    """Format a number of hours or a share for people: ``211``, ``19.9``, ``1,250``."""
    return format_number(value)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 objective``, ``2 objectives``."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def schooled(
    info: ScopeInfo,
    columns: Sequence[str],
    rows: Sequence[tuple[str | None, Sequence[str]]],
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Columns and rows, with a "School" column second when the report spans several schools.

    Each row comes with the id of the school it belongs to (None for a trust-wide row, shown
    as "-"). A report on one school leaves the column out: it would say the same on every row.
    """
    if not info.several_schools:
        return tuple(columns), [tuple(row) for _, row in rows]
    head = (columns[0], "School", *columns[1:])
    body = [(row[0], info.school_name(school) if school else "-", *row[1:]) for school, row in rows]
    return head, body


def group_label(info: ScopeInfo, kind: str, name: str, school_id: str | None) -> str:
    """A team's name with its school's when the report spans several schools (for charts)."""
    if kind == "team" and school_id is not None and info.several_schools:
        return f"{name} ({info.school_name(school_id)})"
    return name


def unreviewed_section(info: ScopeInfo, unreviewed: Sequence[UnreviewedCycle]) -> Block:
    """A section listing *unreviewed* cycles: whose, what is wrong and what to do."""
    return section(
        "Cycles nobody reviews",
        [
            Paragraph(
                f"{len(unreviewed)} open "
                + ("cycle has" if len(unreviewed) == 1 else "cycles have")
                + " no reviewer still at the school: nobody can agree their objectives or "
                "hold their reviews until one is assigned."
            ),
            table_or_note(
                *schooled(
                    info,
                    ("Person", "Cycle", "Problem", "What to do"),
                    [(u.school_id, (u.name, u.cycle_id, u.problem, u.action)) for u in unreviewed],
                ),
                caption="Open cycles with no reviewer, or whose reviewer has left",
                empty="Every open cycle has a reviewer.",
            ),
        ],
        id="unreviewed",
    )
