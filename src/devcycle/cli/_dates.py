"""The one date type of every date option: written and shown as YYYY-MM-DD."""

from __future__ import annotations

from datetime import datetime

import click

__all__ = ["DAY"]


class Day(click.DateTime):
    """A day given as YYYY-MM-DD; help shows ``YYYY-MM-DD`` and a bad value says so."""

    name = "date"

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY-MM-DD"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"expected a date as YYYY-MM-DD, got {value!r}")

    def __repr__(self) -> str:
        return "DAY"


DAY = Day()
"""The type of every date option (``--as-of``, ``--since``, ``--until``...)."""
