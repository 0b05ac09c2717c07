"""Chart layout: a `devcycle.document.Chart` as SVG primitives, deterministic to the digit.

Charts are drawn by hand rather than through a charting library: ours are a handful of bars
(at most a few dozen) that must be byte-for-byte reproducible, print in grey, work under a
Content-Security-Policy that allows no scripts, and render in well under a millisecond.
Every chart gets:

* a value axis with round-numbered ticks, light gridlines and the unit;
* the value of every bar written beside it (in the unit: ``57%``, ``12 h``);
* category labels wrapped onto at most three lines inside the room they have, so that no
  two labels overlap (a label too long for three lines ends in an ellipsis; the full text
  is in the bar's tooltip, the text alternative and the data table);
* a legend inside the drawing, so it prints with the chart;
* colours from the Okabe-Ito palette, which colour-blind readers tell apart, and a fill
  pattern for every series after the first, so the series differ in grey print too.

Text widths are estimated generously (`CHAR_EM` of the font size a character), which is
what keeps labels apart without a font engine; the visual tests check the estimate against
Chromium's own measurements.
"""

from __future__ import annotations

import math

import attrs

from devcycle.document import Chart, ChartKind, format_number

__all__ = [
    "CHAR_EM",
    "PALETTE",
    "PATTERNS",
    "ChartDrawing",
    "Line",
    "Pattern",
    "Rect",
    "Text",
    "draw",
    "text_width",
    "wrap",
]

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")
"""Okabe-Ito colours, in the order series get them when a series names none."""

PATTERNS = ("", "hatch", "dots", "cross", "lines", "grid")
"""The fill pattern of each series by position: the first is solid, the others patterned."""

CHAR_EM = 0.62
"""Estimated advance of an average character, in ems (generous for sans-serif fonts)."""

FONT = 11.0
SMALL = 10.0
LINE = 1.25
MAX_LINES = 3
INK = "#1a1a1a"
MUTED = "#555555"
GRID = "#d0d0d0"


@attrs.frozen
class Rect:
    """A filled rectangle: a bar, a legend swatch."""

    x: float
    y: float
    width: float
    height: float
    fill: str
    pattern: str = ""
    """The id of the pattern drawn over the fill, if any."""
    title: str = ""
    """Its tooltip ("Team A, Green: 4")."""
    role: str = "bar"


@attrs.frozen
class Line:
    """A straight line: an axis, a gridline, a tick."""

    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    role: str = "axis"


@attrs.frozen
class Text:
    """A piece of text, on one or more lines (drawn as tspans), anchored at (x, y)."""

    x: float
    y: float
    lines: tuple[str, ...]
    anchor: str = "start"
    size: float = FONT
    fill: str = INK
    role: str = "label"
    title: str = ""
    """The full text when the lines shorten it."""

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The estimated bounding box as (left, top, right, bottom)."""
        width = max((text_width(line, self.size) for line in self.lines), default=0.0)
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        top = self.y - self.size * 0.8
        bottom = top + self.size * LINE * len(self.lines)
        return (round(left, 2), round(top, 2), round(left + width, 2), round(bottom, 2))


@attrs.frozen
class Pattern:
    """A fill pattern over a series colour, so series differ without colour."""

    id: str
    kind: str
    colour: str


@attrs.frozen
class ChartDrawing:
    """Everything needed to draw one chart as SVG, in user units."""

    width: float
    height: float
    patterns: tuple[Pattern, ...]
    lines: tuple[Line, ...]
    rects: tuple[Rect, ...]
    texts: tuple[Text, ...]


def text_width(text: str, size: float = FONT) -> float:
    """Return the estimated width of *text* at font *size*, in user units."""
    return round(len(text) * size * CHAR_EM, 2)


def _fit(word: str, width: float, size: float) -> str:
    """Cut *word* to fit *width*, ending it with an ellipsis."""
    if text_width(word, size) <= width:
        return word
    keep = max(int(width / (size * CHAR_EM)) - 1, 1)
    return word[:keep].rstrip() + "…"


def wrap(
    text: str, width: float, size: float = FONT, max_lines: int = MAX_LINES
) -> tuple[str, ...]:
    """Wrap *text* into lines no wider than *width*; past *max_lines*, end with an ellipsis."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = _fit(word, width, size)
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _fit(lines[max_lines - 1] + " …", width, size)]
        if not lines[-1].endswith("…"):
            lines[-1] = _fit(lines[-1] + "…", width, size)
    return tuple(lines) or ("",)


def _ticks(top: float, unit: str) -> tuple[float, ...]:
    """Round-numbered ticks from 0 up to at least *top* (0-100 for a share in %)."""
    if unit == "%" and top <= 100:
        return (0.0, 25.0, 50.0, 75.0, 100.0)
    top = top if top >= 0.001 else 1.0  # nothing (or next to nothing) to show: a 0-1 axis
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = multiple * magnitude
        if step >= raw:
            break
    count = math.ceil(round(top / step, 9))
    return tuple(round(i * step, 9) for i in range(count + 1))


def value_text(value: float, unit: str) -> str:
    """A value as it is written beside its bar: ``57%``, ``12 h``, ``3``."""
    shown = format_number(value)
    if unit == "%":
        return f"{shown}%"
    if unit in ("hours", "hour", "h"):
        return f"{shown} h"
    return shown


def _colours(chart: Chart) -> tuple[str, ...]:
    return tuple(s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(chart.series))


def _patterns(chart: Chart, ident: str) -> tuple[tuple[str, ...], tuple[Pattern, ...]]:
    fills = _colours(chart)
    ids: list[str] = []
    patterns: list[Pattern] = []
    for index, colour in enumerate(fills):
        kind = PATTERNS[index % len(PATTERNS)] if len(fills) > 1 else ""
        if kind:
            pattern = Pattern(f"{ident}-p{index}", kind, colour)
            patterns.append(pattern)
            ids.append(pattern.id)
        else:
            ids.append("")
    return tuple(ids), tuple(patterns)


def _legend(
    chart: Chart, fills: tuple[str, ...], ids: tuple[str, ...], width: float
) -> tuple[list[Rect], list[Text], float]:
    """Legend entries left to right, wrapping to new rows; returns what it drew and its height."""
    rects: list[Rect] = []
    texts: list[Text] = []
    if len(chart.series) < 2:
        return rects, texts, 0.0
    x, y = 0.0, 4.0
    for index, series in enumerate(chart.series):
        name = _fit(series.name, width - 20, FONT)
        entry = 12 + 6 + text_width(name) + 18
        if x and x + entry > width:
            x, y = 0.0, y + 18
        rects.append(Rect(x, y, 12, 12, fills[index], ids[index], series.name, role="swatch"))
        texts.append(Text(x + 18, y + 10, (name,), role="legend"))
        x += entry
    return rects, texts, y + 22


def _reach(chart: Chart) -> float:
    """The largest value the axis must reach: the largest bar, or stack, of positive values."""
    if chart.kind is ChartKind.STACKED_BAR:
        return max(
            (
                sum(max(s.values[i], 0.0) for s in chart.series)
                for i in range(len(chart.categories))
            ),
            default=0.0,
        )
    return max((max(v, 0.0) for s in chart.series for v in s.values), default=0.0)


def draw(chart: Chart, ident: str = "chart") -> ChartDrawing:
    """Lay *chart* out as SVG primitives; *ident* prefixes the ids of its patterns."""
    if chart.kind is ChartKind.BAR:
        return _vertical(chart, ident)
    return _horizontal(chart, ident)


def _vertical(chart: Chart, ident: str) -> ChartDrawing:
    fills = _colours(chart)
    ids, patterns = _patterns(chart, ident)
    ticks = _ticks(_reach(chart), chart.unit)
    top = ticks[-1]
    values = [value_text(v, chart.unit) for s in chart.series for v in s.values]
    bar = max(22.0, max((text_width(v, SMALL) for v in values), default=0.0) + 4)
    group = bar * len(chart.series) + 2 * (len(chart.series) - 1)
    longest_word = max((text_width(w) for c in chart.categories for w in c.split()), default=0.0)
    band = max(group + 16, min(longest_word + 10, 130.0), 56.0)
    tick_labels = [value_text(t, chart.unit) for t in ticks]
    left = max(text_width(t, SMALL) for t in tick_labels) + 12
    plot_w = band * len(chart.categories)
    width = max(left + plot_w + 8, 240.0)
    rects, texts, legend_h = _legend(chart, fills, ids, width)
    unit_h = 16.0 if chart.unit and chart.unit != "%" else 0.0
    if unit_h:
        texts.append(Text(0, legend_h + 12, (chart.unit,), size=SMALL, fill=MUTED, role="unit"))
    plot_top = legend_h + unit_h + 14  # room for the tallest bar's value
    plot_h = 180.0
    base = plot_top + plot_h
    lines: list[Line] = []
    for tick, label in zip(ticks, tick_labels, strict=True):
        y = round(base - plot_h * (tick / top), 2)
        lines.append(
            Line(left, y, left + plot_w, y, GRID if tick else INK, "grid" if tick else "axis")
        )
        texts.append(Text(left - 6, y + 3.5, (label,), "end", SMALL, MUTED, "tick"))
    lines.append(Line(left, plot_top, left, base, INK, "axis"))
    label_lines = 1
    for ci, category in enumerate(chart.categories):
        x0 = left + ci * band + (band - group) / 2
        for si, series in enumerate(chart.series):
            value = series.values[ci]
            h = round(plot_h * (min(max(value, 0.0), top) / top), 2)  # negative values: no bar
            x = round(x0 + si * (bar + 2), 2)
            shown = value_text(value, chart.unit)
            rects.append(
                Rect(
                    x,
                    round(base - h, 2),
                    bar,
                    h,
                    fills[si],
                    ids[si],
                    f"{category}, {series.name}: {shown}",
                )
            )
            texts.append(
                Text(
                    round(x + bar / 2, 2),
                    round(base - h - 4, 2),
                    (shown,),
                    "middle",
                    SMALL,
                    INK,
                    "value",
                )
            )
        wrapped = wrap(category, band - 6)
        label_lines = max(label_lines, len(wrapped))
        texts.append(
            Text(
                round(left + ci * band + band / 2, 2),
                base + 15,
                wrapped,
                "middle",
                title=category if wrapped != (category,) else "",
            )
        )
    height = base + 8 + FONT * LINE * label_lines + 4
    return ChartDrawing(
        round(width, 2), round(height, 2), patterns, tuple(lines), tuple(rects), tuple(texts)
    )


def _horizontal(chart: Chart, ident: str) -> ChartDrawing:
    fills = _colours(chart)
    ids, patterns = _patterns(chart, ident)
    stacked = chart.kind is ChartKind.STACKED_BAR
    ticks = _ticks(_reach(chart), chart.unit)
    top = ticks[-1]
    label_w = min(
        max((text_width(w) for c in chart.categories for w in c.split()), default=40.0) * 3, 220.0
    )
    wrapped = [wrap(c, label_w) for c in chart.categories]
    label_w = max((text_width(line) for lines in wrapped for line in lines), default=40.0)
    left = label_w + 10
    plot_w = 340.0
    if stacked:
        totals = [sum(s.values[i] for s in chart.series) for i in range(len(chart.categories))]
        value_w = max((text_width(value_text(t, chart.unit), SMALL) for t in totals), default=0.0)
    else:
        value_w = max(
            (text_width(value_text(v, chart.unit), SMALL) for s in chart.series for v in s.values),
            default=0.0,
        )
    width = left + plot_w + value_w + 12
    rects, texts, legend_h = _legend(chart, fills, ids, width)
    bar_h = 16.0
    bars_per_row = 1 if stacked else len(chart.series)
    y = legend_h + 4
    plot_top = y
    lines: list[Line] = []
    for ci, category in enumerate(chart.categories):
        label = wrapped[ci]
        band = max(bars_per_row * (bar_h + 2) + 8, FONT * LINE * len(label) + 8)
        bars_top = y + (band - bars_per_row * (bar_h + 2) + 2) / 2
        offset = 0.0
        for si, series in enumerate(chart.series):
            value = series.values[ci]
            w = round(plot_w * (min(max(value, 0.0), top) / top), 2)  # negative values: no bar
            by = round(bars_top if stacked else bars_top + si * (bar_h + 2), 2)
            shown = value_text(value, chart.unit)
            rects.append(
                Rect(
                    round(left + offset, 2),
                    by,
                    w,
                    bar_h,
                    fills[si],
                    ids[si],
                    f"{category}, {series.name}: {shown}",
                )
            )
            if stacked:
                offset += w
            else:
                texts.append(
                    Text(
                        round(left + w + 4, 2),
                        round(by + bar_h - 4, 2),
                        (shown,),
                        size=SMALL,
                        role="value",
                    )
                )
        if stacked:
            total = sum(s.values[ci] for s in chart.series)
            texts.append(
                Text(
                    round(left + offset + 4, 2),
                    round(bars_top + bar_h - 4, 2),
                    (value_text(total, chart.unit),),
                    size=SMALL,
                    role="value",
                )
            )
        first = y + band / 2 - FONT * LINE * (len(label) - 1) / 2 + 4
        texts.append(
            Text(
                left - 8,
                round(first, 2),
                label,
                "end",
                title=category if label != (category,) else "",
            )
        )
        y += band
    base = round(y + 2, 2)
    for tick in ticks:
        x = round(left + plot_w * (tick / top), 2)
        lines.append(Line(x, plot_top, x, base, GRID if tick else INK, "grid" if tick else "axis"))
        texts.append(
            Text(x, base + 14, (value_text(tick, chart.unit),), "middle", SMALL, MUTED, "tick")
        )
    lines.append(Line(left, base, left + plot_w, base, INK, "axis"))
    height = base + 22
    if chart.unit and chart.unit != "%":
        texts.append(
            Text(left + plot_w / 2, base + 30, (chart.unit,), "middle", SMALL, MUTED, "unit")
        )
        height += 14
    return ChartDrawing(
        round(width, 2), round(height, 2), patterns, tuple(lines), tuple(rects), tuple(texts)
    )
