"""Renderers: a `devcycle.document.Document` as Markdown, HTML, Word (.docx) or JSON.

Every renderer implements the `Renderer` port and is found by name, lazily::

    from devcycle.render import render
    data = render(document, "docx")

Importing this package imports no optional library: Jinja2 and python-docx load only when
their format is first used, and a missing one raises `ConfigError` naming the extra to install.
Third-party renderers register in the ``devcycle.renderers`` entry-point group, or in code
with `register_renderer`.
"""

from __future__ import annotations

from devcycle.render.base import (
    BUILTIN_RENDERERS,
    ENTRY_POINT_GROUP,
    Renderer,
    format_key,
    get_renderer,
    register_renderer,
    render,
    renderer_names,
    unregister_renderer,
)

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
