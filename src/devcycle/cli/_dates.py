"""The date types of date options: YYYY-MM-DD, and (where a roster's dates are typed) DD/MM/YYYY."""

from __future__ import annotations

from datetime import datetime

import click

from devcycle.interop._day import day_problem, parse_day

__all__ = ["DAY", "DAY_FIRST"]


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


class DayFirst(click.ParamType[datetime]):
    """A day given as YYYY-MM-DD or day first, DD/MM/YYYY, as the roster takes it.

    Read by the roster's own reading (`devcycle.interop._day.parse_day` with
    ``day_first=True``): ``01/09/2026`` is 1 September 2026, never 9 January, and a month
    above 12 is refused, naming the day-first order. The value is a `datetime` at
    midnight, as `DAY` gives.
    """

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY-MM-DD|DD/MM/YYYY"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        text = str(value)
        try:
            day = parse_day(text, day_first=True)
        except ValueError as exc:
            problem = day_problem("it", text, exc, day_first=True)
            self.fail(f"expected {problem.removeprefix('it must be ')}", param, ctx)
        return datetime(day.year, day.month, day.day)

    def __repr__(self) -> str:
        return "DAY_FIRST"


DAY_FIRST = DayFirst()
"""The type of a date option that also takes the roster's DD/MM/YYYY (``person leave --on``)."""
