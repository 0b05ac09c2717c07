"""Words for the command line: choices that suggest the closest name, and plurals."""

from __future__ import annotations

from typing import Any

import click

from devcycle.errors import did_you_mean

__all__ = ["SuggestingChoice", "plural"]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 cycle``, ``2 cycles``; *many* for irregular plurals (``priority``, ``priorities``)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


class SuggestingChoice(click.Choice[str]):
    """A `click.Choice` whose error names the closest choice and lists them all."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            choices = [str(c) for c in self.choices]
            hint = did_you_mean(str(value), choices)
            hint = f"; {hint}" if hint else ""
            self.fail(
                f"{str(value)!r} is not one of {', '.join(choices)}{hint}",
                param,
                ctx,
            )
