"""The renderer-neutral document model that proformas and reports are built as.

A `Document` is plain, frozen data: a title, some header fields and a tree of blocks
(`Section`, `Paragraph`, `BulletList`, `Field`, `Table`, `Checklist`, `SignatureBlock`,
`Note`, `Chart`). Every piece of text in it is *plain text*, never markup: renderers escape
it for their format, so text typed by users (``<script>``, ``=HYPERLINK(...)``, Word field
codes) always appears as the characters typed and never executes.

Renderers (`devcycle.render`) only ever see a `Document`. The model knows nothing of any
format, imports no adapter library, and is serialisable with `devcycle.serialization`
(each block carries a ``type`` tag, so a document round-trips through JSON)::

    from devcycle.document import Document, Field, Section, Table

    document = Document(
        title="Final review",
        header=(Field("Name", "Anna Patel"),),
        body=(
            Section("Objectives", (Table(("Objective", "Outcome"), (("Reading", "Met"),)),)),
        ),
    )

.. versionadded:: 0.1
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, Final, Literal, TypeAlias

import attrs

from devcycle.domain._validate import slot_setter

__all__ = [
    "Block",
    "BulletList",
    "Chart",
    "ChartKind",
    "Checklist",
    "ChecklistItem",
    "Document",
    "Field",
    "Mark",
    "Note",
    "NoteKind",
    "Paragraph",
    "Section",
    "Series",
    "Signatory",
    "SignatureBlock",
    "Table",
    "block_texts",
    "combine",
    "format_date",
    "format_number",
    "plain",
]


def _to_tuple(value: Iterable[Any] | None) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _to_rows(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(_to_tuple(row) for row in value)


def _str(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        msg = f"'{attribute.name}' must be text (got {type(value).__name__} {value!r})"
        raise TypeError(msg)


def _nonempty(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"'{attribute.name}' must be non-empty text (got {value!r})"
        raise ValueError(msg)


def _strs(_inst: object, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    for item in value:
        if not isinstance(item, str):
            msg = f"'{attribute.name}' must hold text only (got {type(item).__name__} {item!r})"
            raise TypeError(msg)


@attrs.frozen
class Paragraph:
    """A paragraph of plain text; line breaks inside it are kept.

    Attributes:
        text: The text. Never markup: renderers escape it.
    """

    text: str = attrs.field(validator=_str)
    type: Literal["paragraph"] = "paragraph"


@attrs.frozen
class BulletList:
    """A list of short items, bulleted or numbered.

    Attributes:
        items: The items, in order.
        ordered: Number the items instead of bulleting them.
    """

    items: tuple[str, ...] = attrs.field(converter=_to_tuple, validator=_strs)
    ordered: bool = False
    type: Literal["list"] = "list"


@attrs.frozen
class Field:
    """A labelled value, or a labelled blank to be filled in on paper or in Word.

    Attributes:
        label: What the value is ("Deadline").
        value: The value as text; empty means "to be completed", shown as a blank line.
        lines: How many blank lines to leave when the value is empty (for handwriting).
        hint: Guidance shown with an empty field ("What difference did it make for pupils?").
    """

    label: str = attrs.field(validator=_nonempty)
    value: str = attrs.field(default="", validator=_str)
    lines: int = 1
    hint: str = attrs.field(default="", validator=_str)
    type: Literal["field"] = "field"

    @property
    def is_blank(self) -> bool:
        """Whether the field is left to be completed."""
        return not self.value.strip()


@attrs.frozen
class Table:
    """A table with a header row of column names and rows of plain-text cells.

    Attributes:
        columns: The column headings.
        rows: The rows; each has one cell per column.
        caption: A caption naming what the table shows (also its accessible name).
        row_headers: Treat the first cell of each row as the row's heading.
    """

    columns: tuple[str, ...] = attrs.field(converter=_to_tuple, validator=_strs)
    rows: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_to_rows)
    caption: str = attrs.field(default="", validator=_str)
    row_headers: bool = False
    type: Literal["table"] = "table"

    def __attrs_post_init__(self) -> None:
        if not self.columns:
            msg = "a table needs at least one column in 'columns'"
            raise ValueError(msg)
        for index, row in enumerate(self.rows):
            _strs(self, attrs.fields(Table).rows, row)
            if len(row) != len(self.columns):
                msg = (
                    f"table row {index} has {len(row)} cells but the table has "
                    f"{len(self.columns)} columns"
                )
                raise ValueError(msg)


class Mark(enum.StrEnum):
    """How an item stands: the one status vocabulary and glyph set every format shows.

    Each mark has a word and a glyph of its own shape (a tick, a cross, a half-filled
    circle, an empty box, a dash), so that it reads the same in colour, in grey print and
    to a screen reader, and a failed point never looks like a ticked box.

    .. versionadded:: 0.2
    """

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    OPEN = "open"
    NOT_APPLICABLE = "not_applicable"

    @property
    def glyph(self) -> str:
        """The mark's symbol: ✓ met, ◐ partly met, ✗ not met, ☐ open, a dash not applicable."""
        return _GLYPHS[self]

    @property
    def word(self) -> str:
        """The mark in words: "Met", "Partly met", "Not met", "Open", "Not applicable"."""
        return _WORDS[self]

    @property
    def label(self) -> str:
        """Glyph and word together ("✓ Met"), for tables; non-breaking spaces keep it whole."""
        return self.glyph + "\u00a0" + self.word.replace(" ", "\u00a0")


_GLYPHS = {
    Mark.MET: "\u2713",
    Mark.PARTLY_MET: "\u25d0",
    Mark.NOT_MET: "\u2717",
    Mark.OPEN: "\u2610",
    Mark.NOT_APPLICABLE: "\u2013",
}
_WORDS = {
    Mark.MET: "Met",
    Mark.PARTLY_MET: "Partly met",
    Mark.NOT_MET: "Not met",
    Mark.OPEN: "Open",
    Mark.NOT_APPLICABLE: "Not applicable",
}


def _mark(value: Mark | str | None) -> Mark | None:
    return None if value is None else Mark(value)


@attrs.frozen
class ChecklistItem:
    """One item of a checklist.

    Attributes:
        text: What is checked.
        done: True met (a tick), False not met (a cross), None not yet decided (an empty box).
        note: A note beside the item (the evidence, or what to do next).
        mark: How the item stands, when *done* cannot say it (partly met, not applicable);
            it wins over *done*.
    """

    text: str = attrs.field(validator=_nonempty)
    done: bool | None = None
    note: str = attrs.field(default="", validator=_str)
    mark: Mark | None = attrs.field(default=None, converter=_mark)

    @property
    def state(self) -> Mark:
        """The item's mark: *mark* if given, else met, not met or open from *done*."""
        if self.mark is not None:
            return self.mark
        return _DONE_MARKS[self.done]


_DONE_MARKS: Final[dict[bool | None, Mark]] = {True: Mark.MET, False: Mark.NOT_MET, None: Mark.OPEN}


@attrs.frozen
class Checklist:
    """A list of items each ticked, crossed or left open.

    Attributes:
        items: The items.
        title: A heading for the list, if any.
    """

    items: tuple[ChecklistItem, ...] = attrs.field(converter=_to_tuple)
    title: str = attrs.field(default="", validator=_str)
    type: Literal["checklist"] = "checklist"


@attrs.frozen
class Signatory:
    """One person who signs: their part, and their name and date where known.

    Attributes:
        role: Their part in the record ("Reviewee", "Reviewer").
        name: Their name, if known.
        signed_on: When they signed, if they have; otherwise a blank is left.
    """

    role: str = attrs.field(validator=_nonempty)
    name: str = attrs.field(default="", validator=_str)
    signed_on: date | None = None


@attrs.frozen
class SignatureBlock:
    """Space for each signatory's signature, name and date.

    Attributes:
        signatories: Who signs, in order.
        statement: What signing means ("I confirm this is an accurate record...").
    """

    signatories: tuple[Signatory, ...] = attrs.field(converter=_to_tuple)
    statement: str = attrs.field(default="", validator=_str)
    type: Literal["signatures"] = "signatures"


class NoteKind(enum.StrEnum):
    """How a note is set off from the text around it."""

    INFO = "info"
    WARNING = "warning"
    CONFIDENTIAL = "confidential"


@attrs.frozen
class Note:
    """A boxed note: guidance, a warning, or a confidentiality marking.

    Attributes:
        text: The note.
        kind: Info, warning or confidential.
    """

    text: str = attrs.field(validator=_nonempty)
    kind: NoteKind = attrs.field(default=NoteKind.INFO, converter=NoteKind)
    type: Literal["note"] = "note"


class ChartKind(enum.StrEnum):
    """The shape of a chart."""

    BAR = "bar"
    """Vertical bars, one group per category, one bar per series."""
    HORIZONTAL_BAR = "horizontal_bar"
    """Horizontal bars, one group per category, one bar per series."""
    STACKED_BAR = "stacked_bar"
    """One horizontal bar per category, the series stacked along it."""


def _values(_inst: object, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int | float) or not math.isfinite(item):
            msg = f"'{attribute.name}' must hold finite numbers (got {item!r})"
            raise ValueError(msg)


@attrs.frozen
class Series:
    """One named series of a chart: a value for each of the chart's categories.

    Attributes:
        name: The series' name, shown in the legend ("Hours").
        values: One number per category.
        colour: A CSS colour for the series ("#1b7837"), or empty for the renderer's palette.
    """

    name: str = attrs.field(validator=_nonempty)
    values: tuple[float, ...] = attrs.field(converter=_to_tuple, validator=_values)
    colour: str = attrs.field(default="", validator=_str)

    def __attrs_post_init__(self) -> None:
        if self.colour and not _is_colour(self.colour):
            msg = f"'colour' must be a hex colour such as '#1b7837' (got {self.colour!r})"
            raise ValueError(msg)


def _is_colour(value: str) -> bool:
    digits = value[1:]
    return (
        value.startswith("#")
        and len(digits) in (3, 6)
        and all(c in "0123456789abcdefABCDEF" for c in digits)
    )


@attrs.frozen
class Chart:
    """A chart with its data and a text alternative, for reports.

    HTML draws it as inline SVG; formats that cannot draw it (Markdown, Word) show the text
    alternative and the data as a table, so nothing is lost to a screen reader or on paper.

    Attributes:
        title: What the chart shows ("RAG by team").
        categories: The category labels along the axis.
        series: One or more series, each with a value per category.
        alt: The text alternative: what the chart says, in a sentence or two. Required.
        kind: Bar, horizontal bar or stacked bar.
        unit: The unit of the values ("hours", "%"), if any.
        caption: A caption shown under the chart (its source, say).
    """

    title: str = attrs.field(validator=_nonempty)
    categories: tuple[str, ...] = attrs.field(converter=_to_tuple, validator=_strs)
    series: tuple[Series, ...] = attrs.field(converter=_to_tuple)
    alt: str = attrs.field(validator=_nonempty)
    kind: ChartKind = attrs.field(default=ChartKind.BAR, converter=ChartKind)
    unit: str = attrs.field(default="", validator=_str)
    caption: str = attrs.field(default="", validator=_str)
    type: Literal["chart"] = "chart"

    def __attrs_post_init__(self) -> None:
        if not self.series:
            msg = f"chart {self.title!r} needs at least one series"
            raise ValueError(msg)
        for series in self.series:
            if len(series.values) != len(self.categories):
                msg = (
                    f"chart {self.title!r}: series {series.name!r} has {len(series.values)} "
                    f"values but there are {len(self.categories)} categories"
                )
                raise ValueError(msg)

    def as_table(self) -> Table:
        """Return the chart's data as a table: one row per category, one column per series."""
        columns = ("", *(s.name for s in self.series))
        rows = tuple(
            (category, *(format_number(s.values[i]) for s in self.series))
            for i, category in enumerate(self.categories)
        )
        caption = f"{self.title} ({self.unit})" if self.unit else self.title
        return Table(columns, rows, caption=caption, row_headers=True)

    @property
    def maximum(self) -> float:
        """The largest value the axis must reach (the largest stack for stacked bars)."""
        if self.kind is ChartKind.STACKED_BAR:
            totals = [sum(s.values[i] for s in self.series) for i in range(len(self.categories))]
            return max(totals, default=0.0)
        return max((v for s in self.series for v in s.values), default=0.0)


def format_number(value: float, places: int = 1) -> str:
    """Return *value* as people read it: ``211``, ``19.9``, ``1,250``, ``-3.5``.

    Whole numbers lose their ``.0``; others keep at most *places* decimals (trailing zeros
    dropped); thousands are separated by commas. No locale, so output is reproducible.
    """
    rounded = round(float(value), places)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    if rounded.is_integer():
        return f"{int(rounded):,}"
    return f"{rounded:,.{places}f}".rstrip("0").rstrip(".")


@attrs.frozen
class Section:
    """A titled part of a document, holding blocks and nested sections.

    Attributes:
        title: The section heading.
        blocks: What the section holds, in order (nested sections included).
        id: A stable id for the section ("objectives"), used for anchors and by schools'
            stage files; empty for none.
        new_page: Start the section on a new page when printed (one person per page).
        restricted_to: The audiences this section is restricted to; renderers mark it as
            confidential. Proformas leave restricted sections out of other audiences'
            documents entirely: this only labels what is there.
    """

    title: str = attrs.field(validator=_nonempty)
    blocks: tuple[Block, ...] = attrs.field(default=(), converter=_to_tuple)
    id: str = attrs.field(default="", validator=_str)
    new_page: bool = False
    restricted_to: tuple[str, ...] = attrs.field(default=(), converter=_to_tuple, validator=_strs)
    type: Literal["section"] = "section"


Block: TypeAlias = (
    Section | Paragraph | BulletList | Field | Table | Checklist | SignatureBlock | Note | Chart
)
"""Anything a section or a document body holds."""


@attrs.frozen
class Document:
    """A whole document: title, header fields and a body of blocks.

    Attributes:
        title: The document title ("Final review 2026-27").
        body: The blocks, in order; usually sections.
        subtitle: A second line under the title (the person's name, say).
        header: Fields shown at the top (school, person, reviewer, dates).
        audience: Who the document was built for ("reviewee"), if it was built for one.
        language: The BCP 47 language tag of its text ("en-GB").
        footer: A line for every page (a confidentiality marking, the as-of date).
        kind: What it is, for embedders ("proforma:final", "report:progress").
    """

    title: str = attrs.field(validator=_nonempty)
    body: tuple[Block, ...] = attrs.field(default=(), converter=_to_tuple)
    subtitle: str = attrs.field(default="", validator=_str)
    header: tuple[Field, ...] = attrs.field(default=(), converter=_to_tuple)
    audience: str | None = None
    language: str = "en-GB"
    footer: str = attrs.field(default="", validator=_str)
    kind: str = attrs.field(default="", validator=_str)

    def walk(self) -> Iterator[Block]:
        """Yield every block in the body, depth first, sections before what they hold."""
        stack: list[Block] = list(reversed(self.body))
        while stack:
            block = stack.pop()
            yield block
            if isinstance(block, Section):
                stack.extend(reversed(block.blocks))

    def sections(self) -> Iterator[Section]:
        """Yield every section, nested ones included, depth first."""
        return (block for block in self.walk() if isinstance(block, Section))

    def texts(self) -> Iterator[str]:
        """Yield every piece of text a reader sees, for search and leak checks.

        A field's hint counts only while the field is blank: renderers show hints only there.
        """
        yield self.title
        yield self.subtitle
        yield self.footer
        for field in self.header:
            yield from block_texts(field)
        for block in self.walk():
            yield from block_texts(block)


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(value: date | None) -> str:
    """Return *value* as "8 October 2026", or "" for None (no locale, no clock).

    The one date format proformas and renderers share, so a date reads the same everywhere.
    """
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def block_texts(block: Block) -> Iterator[str]:
    """Yield the text a single block shows itself (not that of nested blocks)."""
    if isinstance(block, Section):
        yield block.title
    elif isinstance(block, Paragraph):
        yield block.text
    elif isinstance(block, BulletList):
        yield from block.items
    elif isinstance(block, Field):
        yield from (block.label, block.value, block.hint if block.is_blank else "")
    elif isinstance(block, Table):
        yield block.caption
        yield from block.columns
        for row in block.rows:
            yield from row
    elif isinstance(block, Checklist):
        yield block.title
        for item in block.items:
            yield from (item.text, item.note)
    elif isinstance(block, SignatureBlock):
        yield block.statement
        for signatory in block.signatories:
            yield from (signatory.role, signatory.name)
    elif isinstance(block, Note):
        yield block.text
    else:
        yield from (block.title, block.alt, block.caption, block.unit, *block.categories)
        yield from (series.name for series in block.series)


def combine(documents: Iterable[Document], *, title: str, subtitle: str = "") -> Document:
    """Return one document holding several, each starting on a new page.

    Each document becomes a section titled with its title and subtitle, its header fields
    first; this is how a whole team's proformas go into one file.

    Args:
        documents: The documents, in the order they should appear.
        title: The combined document's title.
        subtitle: A line under it.

    Returns:
        The combined document; its audience is the documents' audience if they share one.
    """
    parts = tuple(documents)
    audiences = {d.audience for d in parts}
    sections = tuple(
        Section(
            title=" - ".join(t for t in (d.title, d.subtitle) if t),
            blocks=(*d.header, *d.body),
            id=f"part-{index + 1}",
            new_page=index > 0,
        )
        for index, d in enumerate(parts)
    )
    footers = {d.footer for d in parts}
    kinds = {d.kind for d in parts}
    return Document(
        title=title,
        subtitle=subtitle,
        body=sections,
        audience=audiences.pop() if len(audiences) == 1 else None,
        language=parts[0].language if parts else "en-GB",
        footer=footers.pop() if len(footers) == 1 else "",
        kind=kinds.pop() if len(kinds) == 1 else "",
    )


# ------------------------------------------------------- plain text


def _plain_value(value: Any) -> Any:
    if isinstance(value, str):
        if type(value) is str or isinstance(value, enum.Enum):
            return value
        return str.__str__(value)
    if isinstance(value, tuple):
        items = tuple(_plain_value(item) for item in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if attrs.has(type(value)):
        return plain(value)
    return value


def plain(document: Any) -> Any:
    """*document* (or any block) with every text of a subclass of ``str`` made plain text.

    A document's text is data, whatever its type: a ``markupsafe.Markup`` (a ``str``
    subclass saying it is safe HTML) from user data must be escaped as the text it holds,
    never written as markup. Renderers that hand text to a library honouring such types
    (Jinja2's autoescape skips anything with ``__html__``) pass the document through here
    first. Enum members (a note's kind) are devcycle's own and kept. A document holding no
    such text is returned as it is; otherwise a copy, built without validating again.
    """
    cls = type(document)
    if not attrs.has(cls):
        return _plain_value(document)
    changes: dict[str, Any] = {}
    for field in attrs.fields(cls):
        value = getattr(document, field.name)
        cleaned = _plain_value(value)
        if cleaned is not value:
            changes[field.name] = cleaned
    if not changes:
        return document
    copy = object.__new__(cls)
    for field in attrs.fields(cls):
        object.__setattr__(copy, field.name, changes.get(field.name, getattr(document, field.name)))
    return copy


# ------------------------------------------------------- trusted construction
#
# Proformas build some thirty blocks per person from text the domain model has already
# validated (issue 16, point 3). These build the same frozen blocks without running the
# validators and converters again; they are for devcycle's own code, which passes only
# text (labels it owns, and the domain's validated strings) and tuples. Anything from a
# stage file or a plug-in goes through the public, validating constructors.
# tests/render/test_document.py holds each to its constructor, field for field.

_new = object.__new__


_paragraph_text = slot_setter(Paragraph, "text")
_paragraph_type = slot_setter(Paragraph, "type")
_list_items = slot_setter(BulletList, "items")
_list_ordered = slot_setter(BulletList, "ordered")
_list_type = slot_setter(BulletList, "type")
_field_label = slot_setter(Field, "label")
_field_value = slot_setter(Field, "value")
_field_lines = slot_setter(Field, "lines")
_field_hint = slot_setter(Field, "hint")
_field_type = slot_setter(Field, "type")
_section_title = slot_setter(Section, "title")
_section_blocks = slot_setter(Section, "blocks")
_section_id = slot_setter(Section, "id")
_section_new_page = slot_setter(Section, "new_page")
_section_restricted_to = slot_setter(Section, "restricted_to")
_section_type = slot_setter(Section, "type")


def _trusted_paragraph(text: str) -> Paragraph:
    block: Paragraph = _new(Paragraph)
    _paragraph_text(block, text)
    _paragraph_type(block, "paragraph")
    return block


def _trusted_list(items: tuple[str, ...]) -> BulletList:
    block: BulletList = _new(BulletList)
    _list_items(block, items)
    _list_ordered(block, False)
    _list_type(block, "list")
    return block


def _trusted_field(label: str, value: str, lines: int = 1, hint: str = "") -> Field:
    block: Field = _new(Field)
    _field_label(block, label)
    _field_value(block, value)
    _field_lines(block, lines)
    _field_hint(block, hint)
    _field_type(block, "field")
    return block


def _trusted_section(
    title: str, blocks: tuple[Block, ...], id: str, restricted_to: tuple[str, ...] = ()
) -> Section:
    block: Section = _new(Section)
    _section_title(block, title)
    _section_blocks(block, blocks)
    _section_id(block, id)
    _section_new_page(block, False)
    _section_restricted_to(block, restricted_to)
    _section_type(block, "section")
    return block
