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
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, NamedTuple

import jinja2
import markupsafe

from devcycle.document import Block, Chart, Document, Section, format_date
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
        self._template = _environment(folder, clean=True).get_template("document.html.j2")
        self._cleaning = _environment(folder, clean=False).get_template("document.html.j2")

    def render(self, document: Document) -> bytes:
        """Return *document* as an HTML page."""
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
