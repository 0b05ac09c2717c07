"""HTML: a document as one self-contained, accessible, printable HTML5 page (the ``html`` extra).

Rendered through Jinja2 with autoescaping on for every template, so text is always text.
The page carries its own print CSS (A4, a page break before each person's part of a combined
document), a Content-Security-Policy that allows no scripts at all, ``dir="auto"`` on every
piece of user text (right-to-left names and notes display correctly), real table headers with
scopes, and charts as inline SVG with a title, a description and the data as a table.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import jinja2
import markupsafe

from devcycle.document import (
    Block,
    BulletList,
    Chart,
    Checklist,
    Document,
    Field,
    Mark,
    Note,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
    format_date,
    plain,
)
from devcycle.errors import RenderError
from devcycle.render._chart import draw
from devcycle.render._layout import FieldGroup, grouped, has_forbidden, safe_text
from devcycle.render.base import Renderer

__all__ = ["HtmlRenderer"]

_NOTE_WORDS = {"info": "Note", "warning": "Warning", "confidential": "Confidential"}


def _finalize(value: Any) -> Any:
    """Strip characters HTML forbids from every string the template prints."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return safe_text(value)
    return value


@functools.cache
def _environment(template_dir: str | None, *, clean: bool) -> jinja2.Environment:
    loader: jinja2.BaseLoader
    if template_dir is None:
        source = (
            resources.files("devcycle.render")
            .joinpath("templates", "document.html.j2")
            .read_text(encoding="utf-8")
        )
        loader = jinja2.DictLoader({"document.html.j2": source})
    else:
        loader = jinja2.FileSystemLoader(template_dir)
    environment = jinja2.Environment(
        loader=loader,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=None if clean else _finalize,
        undefined=jinja2.StrictUndefined,
    )
    environment.tests["date_like"] = _date_like
    return environment


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}\s\w{3,9}\s\d{4}")


def _date_like(value: object) -> bool:
    """Whether a table cell is a date alone, kept on one line ("2026-10-14", "14 Oct 2026")."""
    return isinstance(value, str) and len(value) <= 18 and _DATE.fullmatch(value) is not None


class HtmlRenderer(Renderer):
    """Render documents as a standalone HTML5 page, UTF-8.

    Args:
        css: Extra CSS added after the built-in stylesheet, which lives in the template
            ``devcycle/render/templates/document.html.j2`` (a school's fonts and colours).
            It is trusted: pass only CSS you wrote.
        template_dir: A folder holding a school's own ``document.html.j2`` to use instead of
            the built-in one (it is rendered with autoescaping on, like the built-in one).
    """

    name: ClassVar[str] = "html"
    media_type: ClassVar[str] = "text/html; charset=utf-8"
    suffix: ClassVar[str] = ".html"

    def __init__(self, *, css: str = "", template_dir: str | Path | None = None) -> None:
        if "</" in css:
            msg = "css must not contain '</' (it would close the page's <style> element)"
            raise RenderError(msg)
        self._css = markupsafe.Markup(css)  # noqa: S704 - trusted, checked above
        folder = None if template_dir is None else str(template_dir)
        self._direct = template_dir is None
        self._template = _environment(folder, clean=True).get_template("document.html.j2")
        self._cleaning = _environment(folder, clean=False).get_template("document.html.j2")
        # The page's stylesheet, the same on every page, encoded once (str.join, not +:
        # Markup's + would escape the template's own stylesheet).
        self._style = "".join((_page_parts()[2], self._css)).encode("utf-8")

    def render(self, document: Document) -> bytes:
        """Return *document* as an HTML page."""
        if self._direct:
            try:
                try:
                    return _write(document, self._style, _escape_checked)
                except _ForbiddenError:
                    # Some text holds characters HTML forbids (rare): write it cleaned.
                    return _write(document, self._style, _escape_clean)
            except _NeedsTemplateError:
                pass
        # Jinja2's autoescape writes any text with __html__ (markupsafe.Markup) as it is:
        # the document's text is data, so every str subclass in it is made plain first.
        document = plain(document)
        context: dict[str, Any] = {
            "doc": document,
            "css": self._css,
            "events": _events(document),
            "format_date": format_date,
            "note_words": _NOTE_WORDS,
            "write_ins": _WriteIns(),
        }
        text = self._render(self._template, context, document)
        # The templates hold no forbidden characters, so any in the page came from the
        # document's text (rare): render again through the template that strips them.
        if has_forbidden(text):
            text = self._render(self._cleaning, context, document)
        return text.encode("utf-8")

    @staticmethod
    def _render(template: jinja2.Template, context: dict[str, Any], document: Document) -> str:
        try:
            return template.render(context)
        except jinja2.TemplateError as exc:
            msg = f"the HTML template failed on document {document.title!r}: {exc}"
            raise RenderError(msg) from exc


class _WriteIns:
    """``write_ins[n]``: the markup for n blank write-in lines (at least one)."""

    _LINE = markupsafe.Markup('<span class="write-in"></span>')

    def __getitem__(self, lines: int) -> markupsafe.Markup:
        return markupsafe.Markup(self._LINE * max(lines, 1))  # noqa: S704 - a constant


class _Event(NamedTuple):
    """One step of the page body: a block, or the opening or closing of a section."""

    kind: str
    block: Any = None
    level: int = 0
    ident: str = ""
    geometry: Any = None
    markup: markupsafe.Markup | None = None
    """Markup built ahead, every value in it escaped."""


def _opening(section: Section, ident: str, level: int) -> markupsafe.Markup:
    """The section's opening tag and heading, with the title and id escaped."""
    classes = " ".join(
        name
        for name, on in (("new-page", section.new_page), ("restricted", section.restricted_to))
        if on
    )
    data = f' data-section="{markupsafe.escape(safe_text(section.id))}"' if section.id else ""
    title = markupsafe.escape(safe_text(section.title))
    h = min(level, 6)
    return markupsafe.Markup(  # noqa: S704 - every value in it is escaped or our own
        f'<section id="{ident}" class="{classes}" aria-labelledby="{ident}-h"{data}>\n'
        f'<h{h} id="{ident}-h" dir="auto">{title}</h{h}>'
    )


def _events(document: Document) -> list[_Event]:
    """Flatten the body into events, numbering sections and charts in document order."""
    events: list[_Event] = []
    counts = {"section": 0, "chart": 0}

    def walk(blocks: Iterable[Block], level: int) -> None:
        for item in grouped(blocks):
            if isinstance(item, FieldGroup):
                events.append(_Event("fields", item.fields))
            elif isinstance(item, Section):
                counts["section"] += 1
                ident = f"section-{counts['section']}"
                opening = _opening(item, ident, level)
                events.append(_Event("open", item, min(level, 6), ident, markup=opening))
                walk(item.blocks, level + 1)
                events.append(_Event("close"))
            elif isinstance(item, Chart):
                counts["chart"] += 1
                ident = f"chart-{counts['chart']}"
                events.append(_Event("chart", item, ident=ident, geometry=draw(item, ident)))
                events.append(_Event("table", item.as_table()))
                events.append(_Event("chart_end"))
            else:
                events.append(_Event(item.type, item))

    walk(document.body, 2)
    return events


# ------------------------------------------------------------------ the direct writer
#
# The built-in template walked by Jinja2 costs several times a bare template on the same
# data (issue 16): every value goes through Jinja2's context, attribute lookups and
# finalize. For the built-in template and a document without charts, `_write` produces
# the same page straight from the document, its fixed text (head, stylesheet) cut from the
# template file itself. tests/render/test_html_writer.py holds it to the template byte for
# byte on generated documents; charts (reports) and a school's own template still go
# through Jinja2.


def _escape(text: str) -> str:
    """Escape text for HTML exactly as markupsafe does (``&#39;`` and ``&#34;`` for quotes)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "'" in text:
        text = text.replace("'", "&#39;")
    if '"' in text:
        text = text.replace('"', "&#34;")
    return text


class _ForbiddenError(Exception):
    """Raised by `_escape_checked` on text holding a character HTML forbids."""


_ESCAPED_LIMIT = 4096


class _EscapedText(dict[str, str]):
    """Text already escaped by `_escape_checked`, and how.

    Labels, hints, titles and the school's name recur on every page of a batch. Emptied
    whenever it reaches `_ESCAPED_LIMIT` entries.

    Text seen before is found by the dictionary's own lookup, with no Python call: a page
    escapes about fifty pieces of text, nearly all seen before (session 19).
    """

    def __missing__(self, text: str) -> str:
        plain = text if type(text) is str else str.__str__(text)
        if not plain.isprintable() and has_forbidden(plain):
            raise _ForbiddenError
        escaped = _escape(plain)
        if len(self) >= _ESCAPED_LIMIT:
            self.clear()
        self[plain] = escaped
        return escaped


_ESCAPED = _EscapedText()

_escape_checked: Callable[[str], str] = _ESCAPED.__getitem__
"""`_escape`, refusing text that holds a character HTML forbids (`_ForbiddenError`).

Every piece of a document's text the writer prints passes through here (the rest of the
page is the writer's own), so no scan of the whole page is needed; ``isprintable`` is a
quick test that most text passes, and only text it fails is searched. Text seen before is
looked up (a pure function of the text, so remembering it changes nothing); text of a
subclass of ``str`` is escaped as the plain text it holds.
"""


def _escape_clean(text: str) -> str:
    """Escape text for HTML, first replacing the characters HTML forbids."""
    return _escape(safe_text(text))


@functools.cache
def _page_parts() -> tuple[str, str, str]:
    """The template's fixed text: up to the language, up to the title, and the stylesheet."""
    source = (
        resources.files("devcycle.render")
        .joinpath("templates", "document.html.j2")
        .read_text(encoding="utf-8")
    )
    language = source.index("{{ doc.language }}")
    title = source.index("{{ doc.title }}")
    css = source.index("{{ css }}")
    return (
        source[source.index("<!DOCTYPE html>") : language],
        source[language + len("{{ doc.language }}") : title],
        source[title + len("{{ doc.title }}") : css],
    )


class _NeedsTemplateError(Exception):
    """Raised by the writer on a block only the template draws (a chart)."""


def _write(document: Document, style: bytes, escape: Callable[[str], str]) -> bytes:
    """Return the page the built-in template writes for *document*, escaping with *escape*.

    *style* is the stylesheet and the renderer's own CSS, encoded once: about a quarter of
    the page and the same on every page, it is kept out of the text encoded per page (one
    character beyond Latin-1, such as a checkbox, makes Python encode a whole string
    character by character).

    Raises:
        _NeedsTemplateError: If the document holds a chart.
    """
    e = escape
    to_language, to_title, _ = _page_parts()
    head = "".join((to_language, e(document.language), to_title, e(document.title)))
    out = [
        '\n</style>\n</head>\n<body>\n<header class="document-header">\n'
        f'<h1 dir="auto">{e(document.title)}</h1>\n'
    ]
    if document.subtitle:
        out.append(f'<p class="subtitle" dir="auto">{e(document.subtitle)}</p>\n')
    if document.header:
        out.append('<dl class="fields">\n')
        out += [
            f'<div class="field"><dt dir="auto">{e(f.label)}</dt><dd dir="auto">{e(f.value)}'
            "</dd></div>\n"
            for f in document.header
        ]
        out.append("</dl>\n")
    out.append("</header>\n<main>\n")
    _write_blocks(out, document.body, 2, [0], e)
    out.append("</main>\n")
    if document.footer:
        out.append(
            f'<footer class="document-footer"><p dir="auto">{e(document.footer)}</p></footer>\n'
        )
    out.append("</body>\n</html>\n")
    return b"".join((head.encode("utf-8"), style, "".join(out).encode("utf-8")))


_WRITE_INS = tuple('<span class="write-in"></span>' * max(n, 1) for n in range(8))


_BLANKS: dict[tuple[str, str, int], str] = {}
"""The markup of blank fields already written, by label, hint and lines (all it depends on):
proformas repeat the same blank fields for every person. Only markup written by
`_escape_checked` is kept; cleared when it reaches `_ESCAPED_LIMIT` entries."""


def _write_fields(out: list[str], fields: list[Field], e: Callable[[str], str]) -> None:
    out.append('<dl class="fields">\n')
    blanks = _BLANKS if e is _escape_checked else None
    for f in fields:
        value = f.value
        if value and not value.isspace():
            out.append(
                f'<div class="field"><dt dir="auto">{e(f.label)}</dt><dd dir="auto">{e(value)}'
                "</dd></div>\n"
            )
            continue
        key = (f.label, f.hint, f.lines)
        line = blanks.get(key) if blanks is not None else None
        if line is None:
            n = f.lines
            write_ins = _WRITE_INS[n] if 0 <= n < len(_WRITE_INS) else _WRITE_INS[1] * max(n, 1)
            hint = f'<span class="hint">{e(f.hint)}</span>' if f.hint else ""
            line = (
                f'<div class="field blank"><dt dir="auto">{e(f.label)}</dt><dd dir="auto">{hint}'
                f"{write_ins}</dd></div>\n"
            )
            if blanks is not None:
                if len(blanks) >= _ESCAPED_LIMIT:
                    blanks.clear()
                blanks[key] = line
        out.append(line)
    out.append("</dl>\n")


def _cell(cell: str, e: Callable[[str], str]) -> str:
    if _date_like(cell):
        return f'<td dir="auto" class="date">{e(cell)}</td>'
    return f'<td dir="auto">{e(cell)}</td>'


def _write_table(out: list[str], table: Table, e: Callable[[str], str]) -> None:
    caption = f'<caption dir="auto">{e(table.caption)}</caption>' if table.caption else ""
    columns = "".join(f'<th scope="col" dir="auto">{e(c)}</th>' for c in table.columns)
    out.append(
        f'<div class="table-wrap">\n<table>\n{caption}<thead><tr>{columns}</tr></thead>\n<tbody>\n'
    )
    for row in table.rows:
        if table.row_headers:
            cells = "".join([_cell(c, e) for c in row[1:]])
            out.append(f'<tr><th scope="row" dir="auto">{e(row[0])}</th>{cells}</tr>\n')
        else:
            out.append(f"<tr>{''.join([_cell(c, e) for c in row])}</tr>\n")
    if not table.rows:
        out.append(f'<tr><td colspan="{len(table.columns)}" class="empty">None.</td></tr>\n')
    out.append("</tbody>\n</table>\n</div>\n")


_CHECKLISTS: dict[int, tuple[Checklist, str]] = {}
"""The markup of checklists already written, by identity (the block kept, so its id is not
reused while remembered): proformas share their blank outcome boxes between people, and
blocks are frozen. Only markup written by `_escape_checked` is kept; cleared when full."""

_CHECKLIST_LIMIT = 256


def _write_checklist(out: list[str], block: Checklist, e: Callable[[str], str]) -> None:
    remembered = _CHECKLISTS.get(id(block)) if e is _escape_checked else None
    if remembered is not None and remembered[0] is block:
        out.append(remembered[1])
        return
    start = len(out)
    _write_checklist_anew(out, block, e)
    if e is _escape_checked:
        if len(_CHECKLISTS) >= _CHECKLIST_LIMIT:
            _CHECKLISTS.clear()
        _CHECKLISTS[id(block)] = (block, "".join(out[start:]))


def _write_checklist_anew(out: list[str], block: Checklist, e: Callable[[str], str]) -> None:
    out.append('<div class="checklist">\n')
    if block.title:
        out.append(f'<p class="checklist-title" dir="auto"><strong>{e(block.title)}</strong></p>')
    if block.items:
        out.append("<ul>\n")
        for item in block.items:
            opening = _MARK_OPENINGS[item.state]
            note = f' <span class="item-note">— {e(item.note)}</span>' if item.note else ""
            out.append(f"{opening}{e(item.text)}{note}</li>\n")
        out.append("</ul>\n")
    else:
        out.append('<p class="empty">Nothing to check.</p>\n')
    out.append("</div>\n")


_MARK_OPENINGS = {
    mark: f'<li dir="auto" class="mark-{mark.value}"><span class="box" aria-hidden="true">'
    f'{mark.glyph}</span> <span class="visually-hidden">{mark.word}: </span>'
    for mark in Mark
}


def _write_signatures(out: list[str], block: SignatureBlock, e: Callable[[str], str]) -> None:
    statement = f'<p dir="auto">{e(block.statement)}</p>' if block.statement else ""
    out.append(
        f'<div class="signatures">\n{statement}<table>\n<caption>Signatures</caption>\n'
        '<thead><tr><th scope="col">Role</th><th scope="col">Name</th>'
        '<th scope="col">Signature</th><th scope="col">Date</th></tr></thead>\n<tbody>\n'
    )
    out += [
        f'<tr><th scope="row" dir="auto">{e(s.role)}</th><td dir="auto">{e(s.name)}</td>'
        f'<td class="sign"></td><td>{e(format_date(s.signed_on))}</td></tr>\n'
        for s in block.signatories
    ]
    out.append("</tbody>\n</table>\n</div>\n")


def _write_section(
    out: list[str], section: Section, level: int, count: list[int], e: Callable[[str], str]
) -> None:
    """The section as `_opening` and the template open it, then what it holds."""
    count[0] += 1
    ident = f"section-{count[0]}"
    new_page, restricted = section.new_page, section.restricted_to
    if new_page and restricted:
        classes = "new-page restricted"
    else:
        classes = "new-page" if new_page else "restricted" if restricted else ""
    data = f' data-section="{e(section.id)}"' if section.id else ""
    h = min(level, 6)
    out.append(
        f'<section id="{ident}" class="{classes}" aria-labelledby="{ident}-h"{data}>\n'
        f'<h{h} id="{ident}-h" dir="auto">{e(section.title)}</h{h}>\n'
    )
    if restricted:
        readers = e(", ".join(r.replace("_", " ") for r in restricted))
        out.append(
            '<p class="confidential" role="note"><strong>Confidential:</strong> '
            f"for {readers} only.</p>\n"
        )
    if not section.blocks:
        out.append('<p class="empty">Nothing recorded.</p>\n')
    _write_blocks(out, section.blocks, level + 1, count, e)
    out.append("</section>\n")


def _write_blocks(
    out: list[str], blocks: Iterable[Block], level: int, count: list[int], e: Callable[[str], str]
) -> None:
    run: list[Field] = []
    for block in blocks:
        kind = type(block)
        if kind is Field or (kind is not Section and isinstance(block, Field)):
            run.append(block)  # type: ignore[arg-type]
            continue
        if run:
            _write_fields(out, run, e)
            run = []
        if kind is Section:
            _write_section(out, block, level, count, e)  # type: ignore[arg-type]
        elif kind is Paragraph:
            out.append(f'<p dir="auto">{e(block.text)}</p>\n')  # type: ignore[union-attr]
        elif kind is Checklist:
            _write_checklist(out, block, e)  # type: ignore[arg-type]
        elif kind is BulletList:
            _write_list(out, block, e)  # type: ignore[arg-type]
        else:
            _write_other(out, block, level, count, e)
    if run:
        _write_fields(out, run, e)


def _write_list(out: list[str], block: BulletList, e: Callable[[str], str]) -> None:
    if block.items:
        tag = "ol" if block.ordered else "ul"
        items = "".join([f'<li dir="auto">{e(item)}</li>' for item in block.items])
        out.append(f"<{tag}>{items}</{tag}>\n")
    else:
        out.append('<p class="empty">None.</p>\n')


def _write_other(
    out: list[str],
    block: Block,
    level: int,
    count: list[int],
    e: Callable[[str], str],
) -> None:
    """Every other kind of block (and subclasses of the common ones)."""
    if isinstance(block, Section):
        _write_section(out, block, level, count, e)
    elif isinstance(block, Paragraph):
        out.append(f'<p dir="auto">{e(block.text)}</p>\n')
    elif isinstance(block, BulletList):
        _write_list(out, block, e)
    elif isinstance(block, Table):
        _write_table(out, block, e)
    elif isinstance(block, Checklist):
        _write_checklist(out, block, e)
    elif isinstance(block, SignatureBlock):
        _write_signatures(out, block, e)
    elif isinstance(block, Note):
        kind = block.kind.value
        out.append(
            f'<aside class="note note-{kind}" role="note"><p dir="auto"><strong>'
            f"{_NOTE_WORDS[kind]}:</strong> {e(block.text)}</p></aside>\n"
        )
    else:
        raise _NeedsTemplateError
