"""Helpers the built-in renderers share: grouping fields, dates, text direction, chart geometry."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

import attrs

from devcycle.document import Block, Chart, ChartKind, Field

PALETTE = ("#1f5f99", "#d9822b", "#3b8b3b", "#8e44ad", "#b03a2e", "#5d6d7e")
"""Default series colours (colour-blind-safe order), used when a series names none."""


@attrs.frozen
class FieldGroup:
    """Consecutive fields, shown together as one label/value list or table."""

    fields: tuple[Field, ...]


def grouped(blocks: Iterable[Block]) -> Iterator[Block | FieldGroup]:
    """Yield *blocks* with each run of consecutive fields gathered into a `FieldGroup`."""
    run: list[Field] = []
    for block in blocks:
        if isinstance(block, Field):
            run.append(block)
            continue
        if run:
            yield FieldGroup(tuple(run))
            run = []
        yield block
    if run:
        yield FieldGroup(tuple(run))


def is_rtl(text: str) -> bool:
    """Return whether the first strongly directional character of *text* is right-to-left."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def has_forbidden(text: str) -> bool:
    """Whether *text* holds a control character XML 1.0 and HTML forbid."""
    return _FORBIDDEN.search(text) is not None


def safe_text(text: str) -> str:
    """Return *text* without the control characters XML 1.0 and HTML forbid (keeps tab, newline)."""
    if not has_forbidden(text):
        return text
    return _FORBIDDEN.sub("\ufffd", text)


@attrs.frozen
class Bar:
    """One bar of a chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str
    """What the bar is, for its tooltip: "Team A, Green: 4"."""


@attrs.frozen
class AxisLabel:
    """A category label placed along the category axis."""

    x: float
    y: float
    text: str
    anchor: str


@attrs.frozen
class ChartGeometry:
    """Everything needed to draw a chart as SVG."""

    width: float
    height: float
    bars: tuple[Bar, ...]
    labels: tuple[AxisLabel, ...]
    legend: tuple[tuple[str, str], ...]
    """(colour, series name) pairs."""
    maximum: str
    axis: tuple[float, float, float, float]
    """The value axis line as x1, y1, x2, y2."""


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def colours(chart: Chart) -> tuple[str, ...]:
    """Return each series' colour, from the series or the palette."""
    return tuple(s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(chart.series))


def geometry(chart: Chart) -> ChartGeometry:
    """Lay a chart out: bars and labels in SVG user units, deterministic to the digit."""
    top = chart.maximum or 1.0
    fills = colours(chart)
    legend = tuple((fills[i], s.name) for i, s in enumerate(chart.series))
    bars: list[Bar] = []
    labels: list[AxisLabel] = []
    if chart.kind is ChartKind.BAR:
        group, gap, plot_h, left, base = 24.0 * len(chart.series), 16.0, 160.0, 40.0, 180.0
        width = left + len(chart.categories) * (group + gap) + gap
        for ci, category in enumerate(chart.categories):
            x0 = left + gap + ci * (group + gap)
            for si, series in enumerate(chart.series):
                h = round(plot_h * series.values[ci] / top, 2)
                bars.append(
                    Bar(
                        x=x0 + si * 24.0,
                        y=round(base - h, 2),
                        width=20.0,
                        height=h,
                        colour=fills[si],
                        label=f"{category}, {series.name}: {_number(series.values[ci])}",
                    )
                )
            labels.append(AxisLabel(x0 + group / 2, base + 16, category, "middle"))
        return ChartGeometry(
            width=max(width, 240.0),
            height=base + 30,
            bars=tuple(bars),
            labels=tuple(labels),
            legend=legend,
            maximum=_number(top),
            axis=(left, base, max(width, 240.0) - 4, base),
        )
    # Room for the longest category label (about 6.2 units a character at font size 11).
    longest = max((len(c) for c in chart.categories), default=0)
    left, plot_w, row = min(max(60.0, round(6.2 * longest + 14, 1)), 300.0), 320.0, 22.0
    stacked = chart.kind is ChartKind.STACKED_BAR
    per_category = 1 if stacked else len(chart.series)
    y = 8.0
    for ci, category in enumerate(chart.categories):
        offset = left
        for si, series in enumerate(chart.series):
            w = round(plot_w * series.values[ci] / top, 2)
            by = y if stacked else y + si * row
            bars.append(
                Bar(
                    x=round(offset, 2),
                    y=by,
                    width=w,
                    height=row - 4,
                    colour=fills[si],
                    label=f"{category}, {series.name}: {_number(series.values[ci])}",
                )
            )
            if stacked:
                offset += w
        labels.append(AxisLabel(left - 6, y + (per_category * row) / 2 + 4, category, "end"))
        y += per_category * row + 8
    return ChartGeometry(
        width=left + plot_w + 20,
        height=y + 4,
        bars=tuple(bars),
        labels=tuple(labels),
        legend=legend,
        maximum=_number(top),
        axis=(left, 4.0, left, y),
    )
