"""The ``--format`` option for commands that render documents: every renderer, by name.

Built-in formats, their aliases and plug-in renderers (the ``devcycle.renderers``
entry-point group) are all accepted; a mistyped name gets a suggestion.
"""

from __future__ import annotations

import click

from devcycle.errors import ConfigError
from devcycle.render import format_key, get_renderer, renderer_names


class RendererFormat(click.ParamType[str]):
    """A format name any installed renderer answers to; converts to its canonical name."""

    name = "format"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "[" + "|".join(renderer_names()) + "]"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        text = str(value)
        key = format_key(text)
        if key is None:
            try:
                get_renderer(text)  # raises with the list of known formats and a suggestion
            except ConfigError as exc:
                self.fail(str(exc), param, ctx)
            self.fail(f"unknown format {text!r}", param, ctx)  # pragma: no cover - defensive
        return key
