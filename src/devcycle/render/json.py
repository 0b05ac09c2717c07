r"""JSON: a document as a devcycle document envelope, for embedders and other programs.

The output is ``{"kind": "document", "schema_version": 1, "data": {...}}``, written through
`devcycle.serialization`, so `loads` (or `devcycle.serialization.loads`) reads it back into the
same `Document`. Every block carries a ``type`` tag. ``<``, ``>`` and ``&`` are written as
``\u003c``, ``\u003e`` and ``\u0026`` so the JSON stays inert even inside an HTML page.
"""

from __future__ import annotations

import json
from typing import ClassVar

from devcycle import serialization
from devcycle.document import Document
from devcycle.errors import ValidationError
from devcycle.render.base import Renderer

__all__ = ["JsonRenderer", "loads"]

KIND = "document"
"""The document kind documents are written under."""

_INERT = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"))


def _register() -> None:
    serialization.register_kind(KIND, Document)


class JsonRenderer(Renderer):
    """Render documents as an indented JSON document envelope, UTF-8."""

    name: ClassVar[str] = "json"
    media_type: ClassVar[str] = "application/json"
    suffix: ClassVar[str] = ".json"

    def __init__(self, *, indent: int | None = 2) -> None:
        """Make a JSON renderer.

        Args:
            indent: Spaces per indent level, or None for compact output.
        """
        self.indent = indent

    def render(self, document: Document) -> bytes:
        """Return *document* as a JSON document envelope."""
        _register()
        text = json.dumps(
            serialization.dump_document(document),
            indent=self.indent,
            ensure_ascii=False,
            separators=None if self.indent is not None else (",", ":"),
        )
        for raw, escaped in (*_INERT, ("\u2029", "\\u2029")):
            text = text.replace(raw, escaped)
        return (text + "\n").encode("utf-8")


def loads(data: bytes | str, *, source: str | None = None) -> Document:
    """Read back a document written by `JsonRenderer`.

    Raises:
        ValidationError: If the data is not a valid document, listing every problem.
    """
    _register()
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    document = serialization.loads(text, Document, source=source)
    if not isinstance(document, Document):  # pragma: no cover - load_document checks the kind
        raise ValidationError([f"expected a document (got {type(document).__name__}) @ $"])
    return document
