"""Word: a document as a .docx file through python-docx (the ``docx`` extra).

Headings use Word's built-in Heading styles (so the navigation pane and a table of contents
work), tables are real Word tables with a repeating header row, and everything else uses
named styles a school can restyle in Word: ``Field Label``, ``Field Hint``, ``Note``,
``Confidential Note``, ``Chart Alt Text`` and ``Checklist Item``, created when the template
lacks them. Pass ``template=`` a .docx whose styles (fonts, colours, letterhead) should be used.

Text goes into ``w:t`` runs only, so Word field codes typed by a user (``{ DDEAUTO ... }``)
stay text. Output is reproducible: document properties and zip timestamps are fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar, cast

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

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
)
from devcycle.errors import RenderError
from devcycle.render._layout import FieldGroup, grouped, is_rtl, safe_text
from devcycle.render.base import Renderer

__all__ = ["STYLES", "DocxRenderer"]

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
"""The creation and modification time written into every file, for reproducible output."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

STYLES: dict[str, tuple[WD_STYLE_TYPE, str]] = {
    "Field Label": (WD_STYLE_TYPE.PARAGRAPH, "Normal"),
    "Field Hint": (WD_STYLE_TYPE.PARAGRAPH, "Normal"),
    "Note": (WD_STYLE_TYPE.PARAGRAPH, "Normal"),
    "Confidential Note": (WD_STYLE_TYPE.PARAGRAPH, "Normal"),
    "Chart Alt Text": (WD_STYLE_TYPE.PARAGRAPH, "Normal"),
    "Checklist Item": (WD_STYLE_TYPE.PARAGRAPH, "Normal"),
}
"""The devcycle styles: name -> (type, the style it is based on). Restyle them in Word."""

PAPER_SIZES: dict[str, tuple[float, float]] = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
"""Paper sizes by name, as (width, height) in millimetres."""
# The paragraph properties that follow w:bidi in the OOXML schema's sequence.
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_NOTE = {NoteKind.INFO: "Note", NoteKind.WARNING: "Warning", NoteKind.CONFIDENTIAL: "Confidential"}


class _FixedTimeZip:
    """A python-docx physical package writer that stamps every member with one fixed time."""

    def __init__(self, stream: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def _save(document: Any) -> bytes:
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    stream = io.BytesIO()
    writer = _FixedTimeZip(stream)
    # python-docx's own writer stamps members with the clock; feed its steps our zip instead.
    package_writer = cast("Any", PackageWriter)
    package_writer._write_content_types_stream(writer, package.parts)
    package_writer._write_pkg_rels(writer, package.rels)
    package_writer._write_parts(writer, package.parts)
    writer.close()
    return stream.getvalue()


class DocxRenderer(Renderer):
    """Render documents as Word .docx files.

    Args:
        template: A .docx file whose styles, page set-up, header and footer are used; its
            body text is kept before the document's. None for python-docx's plain template.
        paper: "A4" (the default) or "Letter". None keeps the template's page size; without
            a template, None means A4.
    """

    name: ClassVar[str] = "docx"
    media_type: ClassVar[str] = (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    suffix: ClassVar[str] = ".docx"

    def __init__(self, *, template: str | Path | None = None, paper: str | None = None) -> None:
        if paper is not None and paper.lower() not in PAPER_SIZES:
            known = ", ".join(
                name.title() if name == "letter" else name.upper() for name in PAPER_SIZES
            )
            msg = f"unknown paper size {paper!r}; expected one of: {known}"
            raise RenderError(msg)
        self._paper = paper.lower() if paper else ("a4" if template is None else None)
        self._template: bytes | None = None
        self._base: bytes | None = None
        if template is not None:
            try:
                self._template = Path(template).read_bytes()
            except OSError as exc:
                msg = f"cannot read the Word template {str(template)!r}: {exc.strerror}"
                raise RenderError(msg) from None

    def _open(self, data: bytes | None) -> Any:
        try:
            return docx.Document(io.BytesIO(data) if data else None)
        except Exception as exc:
            msg = f"the Word template could not be opened: {exc}"
            raise RenderError(msg) from exc

    def render(self, document: Document) -> bytes:
        """Return *document* as the bytes of a .docx file."""
        if self._base is None:
            # Add the devcycle styles to the template once; each render starts from the result.
            base = self._open(self._template)
            _ensure_styles(base)
            if self._paper is not None:
                _set_paper(base, self._paper)
            self._base = _save(base)
        word = self._open(self._base)
        _Writer(word).write(document)
        return _save(word)


def _set_paper(word: Any, paper: str) -> None:
    """Set every section of *word* to the named paper size, portrait, with 2 cm margins."""
    width, height = PAPER_SIZES[paper]
    for section in word.sections:
        section.page_width = Mm(width)
        section.page_height = Mm(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))


def _ensure_styles(word: Any) -> None:
    """Add the devcycle styles the template lacks, with sensible looks a school can change."""
    styles = word.styles
    names = {
        str(n.get(qn("w:val")))
        for style in styles.element.iterchildren(qn("w:style"))
        for n in style.iterchildren(qn("w:name"))
    }
    for name, (kind, base) in STYLES.items():
        if name in names:
            continue
        style = styles.add_style(name, kind)
        style.base_style = styles[base]
        style.element.set(qn("w:customStyle"), "1")
        style.quick_style = True
        font = style.font
        if name == "Field Label":
            font.bold = True
        elif name == "Field Hint":
            font.italic = True
            font.size = Pt(9)
            font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        elif name == "Note":
            style.paragraph_format.left_indent = Pt(12)
            font.color.rgb = RGBColor(0x1F, 0x5F, 0x99)
        elif name == "Confidential Note":
            style.paragraph_format.left_indent = Pt(12)
            font.bold = True
            font.color.rgb = RGBColor(0xB0, 0x3A, 0x2E)
        elif name == "Chart Alt Text":
            font.italic = True


class _Writer:
    """Writes one `Document` into one python-docx document."""

    def __init__(self, word: Any) -> None:
        self.word = word
        # python-docx looks a style up by scanning every style on every use; do it once.
        self._ids: dict[str, str] = {}
        for style in self.word.styles.element.iterchildren(qn("w:style")):
            name = style.find(qn("w:name"))
            if name is not None:
                self._ids[str(name.get(qn("w:val"))).lower()] = str(style.get(qn("w:styleId")))

    def _style_id(self, name: str) -> str:
        try:
            return self._ids[name.lower()]
        except KeyError:
            msg = f"the Word template has no style {name!r}; add it or use the default template"
            raise RenderError(msg) from None

    def _styled(self, paragraph: Any, style: str | None) -> Any:
        if style is not None:
            paragraph._p.get_or_add_pPr().style = self._style_id(style)
        return paragraph

    def _grid(self, rows: int, cols: int) -> Any:
        table = self.word.add_table(rows=rows, cols=cols)
        table._tbl.tblStyle_val = self._style_id("Table Grid")
        return table

    def write(self, document: Document) -> None:
        props = self.word.core_properties
        props.title = safe_text(document.title)[:255]
        props.subject = safe_text(document.kind)[:255]
        props.author = "devcycle"
        props.last_modified_by = "devcycle"
        props.language = document.language
        props.created = FIXED_TIME
        props.modified = FIXED_TIME
        props.last_printed = FIXED_TIME
        props.revision = 1
        props.comments = ""
        props.keywords = ""
        props.category = ""
        props.content_status = ""
        props.identifier = ""
        props.version = ""
        self._paragraph(document.title, "Title")
        if document.subtitle:
            self._paragraph(document.subtitle, "Subtitle")
        if document.header:
            self._fields(document.header)
        for block in grouped(document.body):
            self._block(block, 1)
        if document.footer:
            footer = self.word.sections[0].footer
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            self._run(paragraph, document.footer)

    # ------------------------------------------------------------------ text

    def _run(self, paragraph: Any, text: str, *, bold: bool = False) -> Any:
        clean = safe_text(text)
        run = paragraph.add_run(clean)
        if bold:
            run.bold = True
        if is_rtl(clean):
            properties = paragraph.paragraph_format.element.get_or_add_pPr()
            if properties.find(qn("w:bidi")) is None:  # once per paragraph, in schema order
                properties.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
            run._element.get_or_add_rPr().append(OxmlElement("w:rtl"))
        return run

    def _paragraph(self, text: str, style: str | None = None, *, bold: bool = False) -> Any:
        paragraph = self._styled(self.word.add_paragraph(), style)
        if text:
            self._run(paragraph, text, bold=bold)
        return paragraph

    def _heading(self, text: str, level: int, *, new_page: bool) -> None:
        paragraph = self._styled(self.word.add_paragraph(), f"Heading {min(level, 9)}")
        self._run(paragraph, text)
        if new_page:
            paragraph.paragraph_format.page_break_before = True

    # ---------------------------------------------------------------- blocks

    def _block(self, block: Block | FieldGroup, level: int) -> None:
        if isinstance(block, FieldGroup):
            self._fields(block.fields)
        elif isinstance(block, Section):
            self._section(block, level)
        elif isinstance(block, Paragraph):
            self._paragraph(block.text)
        elif isinstance(block, BulletList):
            self._list(block)
        elif isinstance(block, Field):
            self._fields((block,))
        elif isinstance(block, Table):
            self._table(block.columns, block.rows, block.caption, row_headers=block.row_headers)
        elif isinstance(block, Checklist):
            self._checklist(block)
        elif isinstance(block, SignatureBlock):
            self._signatures(block)
        elif isinstance(block, Note):
            style = "Confidential Note" if block.kind is NoteKind.CONFIDENTIAL else "Note"
            paragraph = self._styled(self.word.add_paragraph(), style)
            self._run(paragraph, f"{_NOTE[block.kind]}: ", bold=True)
            self._run(paragraph, block.text)
        else:
            self._chart(block)

    def _section(self, section: Section, level: int) -> None:
        self._heading(section.title, level, new_page=section.new_page)
        if section.restricted_to:
            who = ", ".join(a.replace("_", " ") for a in section.restricted_to)
            self._paragraph(f"Confidential: for {who} only.", "Confidential Note")
        if not section.blocks:
            self._paragraph("Nothing recorded.", "Field Hint")
        for block in grouped(section.blocks):
            self._block(block, level + 1)

    def _fields(self, fields: tuple[Field, ...]) -> None:
        table = self._grid(len(fields), 2)
        for row, field in zip(table.rows, fields, strict=True):
            label, value = row.cells
            label_paragraph = label.paragraphs[0]
            self._styled(label_paragraph, "Field Label")
            self._run(label_paragraph, field.label)
            target = value.paragraphs[0]
            if field.is_blank:
                if field.hint:
                    self._styled(target, "Field Hint")
                    self._run(target, field.hint)
                    for _ in range(max(field.lines, 1)):
                        value.add_paragraph()
                else:
                    for _ in range(max(field.lines, 1) - 1):
                        value.add_paragraph()
            else:
                self._run(target, field.value)
        self.word.add_paragraph()

    def _list(self, block: BulletList) -> None:
        if not block.items:
            self._paragraph("None.", "Field Hint")
            return
        style = "List Number" if block.ordered else "List Bullet"
        for item in block.items:
            self._paragraph(item, style)

    def _table(
        self,
        columns: tuple[str, ...],
        rows: Iterable[tuple[str, ...]],
        caption: str,
        *,
        row_headers: bool,
    ) -> None:
        body = list(rows)
        if caption:
            self._paragraph(caption, "Caption")
        table = self._grid(1 + max(len(body), 1), len(columns))
        all_rows = table.rows
        header = all_rows[0]
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, text in zip(header.cells, columns, strict=True):
            self._run(cell.paragraphs[0], text, bold=True)
        if not body:
            self._run(all_rows[1].cells[0].paragraphs[0], "None.")
        for row, values in zip(all_rows[1:], body, strict=False):
            for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
                if text:
                    self._run(cell.paragraphs[0], text, bold=row_headers and index == 0)
        self.word.add_paragraph()

    def _checklist(self, block: Checklist) -> None:
        if block.title:
            self._paragraph(block.title, bold=True)
        if not block.items:
            self._paragraph("Nothing to check.", "Field Hint")
        for item in block.items:
            paragraph = self._styled(self.word.add_paragraph(), "Checklist Item")
            self._run(paragraph, f"{item.state.glyph} ")
            self._run(paragraph, item.text)
            if item.note:
                self._run(paragraph, f" — {item.note}")

    def _signatures(self, block: SignatureBlock) -> None:
        if block.statement:
            self._paragraph(block.statement)
        rows = [(s.role, s.name, "", format_date(s.signed_on)) for s in block.signatories]
        self._table(("Role", "Name", "Signature", "Date"), rows, "Signatures", row_headers=True)

    def _chart(self, chart: Chart) -> None:
        self._paragraph(chart.title, bold=True)
        self._paragraph(chart.alt, "Chart Alt Text")
        data = chart.as_table()
        self._table(data.columns, data.rows, data.caption, row_headers=True)
        if chart.caption:
            self._paragraph(chart.caption, "Caption")
