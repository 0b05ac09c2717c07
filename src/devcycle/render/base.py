"""The renderer port, and the registry that finds renderers by name.

A renderer turns a `devcycle.document.Document` into bytes in one format. Renderers are
found by name when first asked for: the built-in ones by module path, so that a missing
optional library (Jinja2 for HTML, python-docx for Word) is only noticed when that format is
used; third-party ones through the ``devcycle.renderers`` entry-point group, whose entries
point at a `Renderer` subclass (or any callable returning a renderer)::

    [project.entry-points."devcycle.renderers"]
    pdf = "mypackage.pdf:PdfRenderer"

.. versionadded:: 0.1
"""

from __future__ import annotations

import abc
import difflib
import importlib
import importlib.metadata
from collections.abc import Callable
from typing import Any, ClassVar, Final

from devcycle._gc import paused_during
from devcycle.document import Document
from devcycle.errors import ConfigError, PluginError, RenderError

__all__ = [
    "BUILTIN_RENDERERS",
    "ENTRY_POINT_GROUP",
    "Renderer",
    "format_key",
    "get_renderer",
    "register_renderer",
    "render",
    "renderer_names",
    "unregister_renderer",
]

ENTRY_POINT_GROUP: Final = "devcycle.renderers"
"""The entry-point group third-party renderers register in."""


class Renderer(abc.ABC):
    """The port every renderer implements: one `Document` in, the bytes of one file out.

    Subclasses set the three class attributes and implement `render`. Rendering must be
    reproducible (the same document gives the same bytes), must treat every piece of text
    as text (escaping it for the format, so that nothing a user typed can execute), and must
    not read the clock or the environment. `devcycle.testing.renderer_contract` holds the
    tests every renderer passes.

    Attributes:
        name: The format's name, as users type it ("html").
        media_type: The IANA media type of the output ("text/html; charset=utf-8").
        suffix: The file suffix, with its dot (".html").
    """

    name: ClassVar[str]
    media_type: ClassVar[str]
    suffix: ClassVar[str]

    @abc.abstractmethod
    def render(self, document: Document) -> bytes:
        """Return *document* rendered in this format.

        Raises:
            RenderError: If the document cannot be rendered in this format.
        """


BUILTIN_RENDERERS: Final[dict[str, tuple[str, str | None]]] = {
    "markdown": ("devcycle.render.markdown:MarkdownRenderer", None),
    "html": ("devcycle.render.html:HtmlRenderer", "html"),
    "docx": ("devcycle.render.docx:DocxRenderer", "docx"),
    "json": ("devcycle.render.json:JsonRenderer", None),
}
"""Built-in format name -> ("module:Class", the extra it needs or None)."""

_ALIASES: Final = {"md": "markdown", "word": "docx", "htm": "html"}

# The libraries each extra brings, to tell a missing extra from a broken plug-in.
_EXTRA_LIBRARIES: Final = {"html": ("jinja2", "markupsafe"), "docx": ("docx", "lxml")}


def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


_REGISTERED: dict[str, Callable[..., Renderer]] = {}
"""Renderers registered in code with `register_renderer`, by lower-case name."""


def register_renderer(name: str, factory: Callable[..., Renderer]) -> None:
    """Make *factory* the renderer for the format *name* in this process.

    For embedders who add a format in code rather than through the ``devcycle.renderers``
    entry-point group (which is how a format reaches the ``devcycle`` command line).
    A registered name takes precedence over a plug-in of the same name; the built-in
    formats cannot be replaced.

    Args:
        name: The format's name, as `render` and `get_renderer` will be asked for it.
        factory: A `Renderer` subclass, or any callable returning a `Renderer`; it gets the
            options passed to `get_renderer`.

    Raises:
        ConfigError: If *name* is empty or names a built-in format or alias.
    """
    key = name.strip().lower()
    if not key or key in BUILTIN_RENDERERS or key in _ALIASES:
        msg = f"cannot register a renderer as {name!r}: the name is empty or built in"
        raise ConfigError(msg)
    _REGISTERED[key] = factory


def unregister_renderer(name: str) -> None:
    """Forget a renderer registered with `register_renderer` (no-op if there is none)."""
    _REGISTERED.pop(name.strip().lower(), None)


def renderer_names() -> tuple[str, ...]:
    """Return every format name available: built-in, registered and plug-in ones, sorted."""
    return tuple(sorted(set(BUILTIN_RENDERERS) | set(_REGISTERED) | set(_entry_points())))


def format_key(name: str) -> str | None:
    """Return the canonical format name for *name* (an alias or any case), or None if unknown."""
    key = _ALIASES.get(name.lower(), name.lower())
    if key in BUILTIN_RENDERERS or key in _REGISTERED:
        return key
    points = _entry_points()
    return next((n for n in (name, key) if n in points), None)


def _load_builtin(name: str, topic: str, extra: str | None) -> Any:
    module_name, _, attribute = topic.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0]
        if extra is not None and missing in _EXTRA_LIBRARIES.get(extra, ()):
            msg = f'renderer {name!r} needs: pip install "devcycle[{extra}]"'
            raise ConfigError(msg) from None
        raise
    return getattr(module, attribute)


def get_renderer(name: str, **options: Any) -> Renderer:
    """Return a new renderer for the format *name*, passing it *options*.

    Args:
        name: "markdown" (or "md"), "html", "docx" (or "word"), "json", or a plug-in's name.
        **options: Keyword options for the renderer's constructor (for HTML, ``css``; for
            Word, ``template``).

    Raises:
        ConfigError: If the format is unknown (the message lists the known ones), or needs
            an optional library that is not installed (the message names the extra).
        PluginError: If a plug-in renderer cannot be loaded.
    """
    key = _ALIASES.get(name.lower(), name.lower())
    factory: Any
    if key in BUILTIN_RENDERERS:
        topic, extra = BUILTIN_RENDERERS[key]
        factory = _load_builtin(key, topic, extra)
    elif key in _REGISTERED:
        factory = _REGISTERED[key]
    else:
        entry = _entry_points().get(name) or _entry_points().get(key)
        if entry is None:
            known = renderer_names()
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            msg = f"unknown format {name!r}; {hint}expected one of: {', '.join(known)}"
            raise ConfigError(msg)
        try:
            factory = entry.load()
        except Exception as exc:
            msg = f"renderer plug-in {name!r} ({entry.value}) could not be loaded: {exc}"
            raise PluginError(msg) from exc
    try:
        renderer = factory(**options)
    except TypeError as exc:
        msg = f"renderer {key!r} does not take these options: {', '.join(sorted(options))} ({exc})"
        raise ConfigError(msg) from None
    if not isinstance(renderer, Renderer):
        msg = f"renderer {key!r} is not a devcycle.render.Renderer (got {type(renderer).__name__})"
        raise PluginError(msg)
    return renderer


@paused_during
def render(document: Document, format: str = "html", **options: Any) -> bytes:
    """Render *document* in *format* and return the bytes of the file.

    Example::

        from pathlib import Path
        Path("anna-final.docx").write_bytes(render(document, "docx"))

    Raises:
        ConfigError: For an unknown format or a missing optional library.
        RenderError: If the document cannot be rendered.
    """
    checked: object = document
    if not isinstance(checked, Document):
        msg = f"render() takes a devcycle.document.Document (got {type(checked).__name__})"
        raise RenderError(msg)
    return get_renderer(format, **options).render(document)
