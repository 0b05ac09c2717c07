"""HTML: a document as one self-contained, accessible, printable HTML5 page (the ``html`` extra).

Rendered through Jinja2 with autoescaping on for every template, so text is always text.
The page carries its own print CSS (A4, a page break before each person's part of a combined
document), a Content-Security-Policy that allows no scripts at all, ``dir="auto"`` on every
piece of user text (right-to-left names and notes display correctly), real table headers with
scopes, and charts as inline SVG with a title, a description and the data as a table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import jinja2
import markupsafe

from devcycle.document import Document
from devcycle.errors import RenderError
from devcycle.render._layout import format_date, geometry, grouped, safe_text
from devcycle.render.base import Renderer

__all__ = ["HtmlRenderer"]

_BOXES = {True: "☑", False: "☒", None: "☐"}
_BOX_WORDS = {True: "Done", False: "Not done", None: "Open"}
_NOTE_WORDS = {"info": "Note", "warning": "Warning", "confidential": "Confidential"}


class _Ids:
    """Deterministic element ids, numbered in document order within one render."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        count = self._counts.get(prefix, 0) + 1
        self._counts[prefix] = count
        return f"{prefix}-{count}"


def _finalize(value: Any) -> Any:
    """Strip characters HTML forbids from every string the template prints."""
    if isinstance(value, str) and not isinstance(value, markupsafe.Markup):
        return safe_text(value)
    return value


@functools.cache
def _environment(template_dir: str | None) -> jinja2.Environment:
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
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
    )


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
        self._template = _environment(
            None if template_dir is None else str(template_dir)
        ).get_template("document.html.j2")

    def render(self, document: Document) -> bytes:
        """Return *document* as an HTML page."""
        helpers: dict[str, Callable[..., Any] | Any] = {
            "doc": document,
            "css": self._css,
            "ids": _Ids(),
            "grouped": _grouped_with_type,
            "geometry": geometry,
            "format_date": format_date,
            "boxes": _BOXES,
            "box_words": _BOX_WORDS,
            "note_words": _NOTE_WORDS,
        }
        try:
            text = self._template.render(helpers)
        except jinja2.TemplateError as exc:
            msg = f"the HTML template failed on document {document.title!r}: {exc}"
            raise RenderError(msg) from exc
        return text.encode("utf-8")


class _TypedGroup:
    """A `FieldGroup` the template can tell apart by its ``type``, like every block."""

    type = "fields"

    def __init__(self, fields: Any) -> None:
        self.fields = fields


def _grouped_with_type(blocks: Any) -> list[Any]:
    return [
        _TypedGroup(item.fields) if not hasattr(item, "type") else item for item in grouped(blocks)
    ]
