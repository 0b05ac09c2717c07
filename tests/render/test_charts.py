"""Charts read well: axes, values, human labels, no overlapping text, status colours told apart.

The geometry is checked from the SVG the HTML renderer writes (parsed, not trusted), with the
layout's own generous text-width estimate; a second test asks headless Chromium for the real
boxes of every piece of text, so the estimate itself is checked against a real font engine.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.document import Chart, ChartKind, Document, Section, Series
from devcycle.render import render
from devcycle.render._chart import draw, text_width
from devcycle.reports import REPORT_NAMES, ReportData, Scope, run
from devcycle.reports._documents import PURPOSE_COLOURS, RAG_COLOURS, STATUS_COLOURS

pytest.importorskip("jinja2")

SVG = "{http://www.w3.org/2000/svg}"
Box = tuple[float, float, float, float]


def luminance(colour: str) -> float:
    """The relative luminance of a hex colour (WCAG 2)."""
    digits = colour.lstrip("#")
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def svgs(html: bytes) -> list[ET.Element]:
    """Every chart's <svg> element in an HTML page, parsed as XML."""
    return [ET.fromstring(m) for m in re.findall(rb"<svg .*?</svg>", html, re.S)]


def text_boxes(svg: ET.Element) -> list[tuple[str, Box]]:
    """The estimated box of every <text> in *svg*, from its attributes and lines."""
    boxes = []
    for text in svg.iter(f"{SVG}text"):
        spans = [s.text or "" for s in text.iter(f"{SVG}tspan")] or [text.text or ""]
        size = float(text.get("font-size", "11"))
        x, y = float(text.get("x", "0")), float(text.get("y", "0"))
        width = max(text_width(s, size) for s in spans)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[
            text.get("text-anchor", "start")
        ]
        top = y - size * 0.8
        boxes.append((" / ".join(spans), (left, top, left + width, top + size * 1.25 * len(spans))))
    return boxes


def overlapping(boxes: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap."""
    found = []
    for (a, (l1, t1, r1, b1)), (b, (l2, t2, r2, b2)) in itertools.combinations(boxes, 2):
        if l1 < r2 - 0.5 and l2 < r1 - 0.5 and t1 < b2 - 0.5 and t2 < b1 - 0.5:
            found.append((a, b))
    return found


def chart_page(chart: Chart) -> bytes:
    return render(Document("Charts", (Section("Chart", (chart,)),)), "html")


def report_pages(sample_data: ReportData) -> dict[str, bytes]:
    pages = {}
    for name in REPORT_NAMES:
        result = run(name, sample_data, as_of=date(2027, 2, 12), scope=Scope())
        pages[name] = render(result.to_document(), "html")
    return pages


@pytest.fixture(scope="module")
def sample_data() -> ReportData:
    from devcycle.demo import build_demo

    demo = build_demo()
    return ReportData(
        schools=(demo.school,),
        staff=tuple(demo.staff),
        cycles=tuple(demo.cycles),
        cpd=tuple(demo.cpd),
    )


def test_every_report_chart_has_axes_values_and_no_overlapping_text(
    sample_data: ReportData,
) -> None:
    """Every report chart of the demo school has ticks, values per bar and no text on text."""
    charts = 0
    for name, page in report_pages(sample_data).items():
        for svg in svgs(page):
            charts += 1
            roles = [t.get("data-role") for t in svg.iter(f"{SVG}text")]
            bars = [r for r in svg.iter(f"{SVG}rect") if r.get("data-role") == "bar"]

            assert roles.count("tick") >= 3, name
            assert any(line.get("data-role") == "axis" for line in svg.iter(f"{SVG}line")), name
            assert roles.count("value") >= len(bars) / 3, name
            assert overlapping(text_boxes(svg)) == [], name
    assert charts >= 6


def test_chart_labels_are_human_words_not_slugs(sample_data: ReportData) -> None:
    """The health chart names each point by its question, not an internal id."""
    page = report_pages(sample_data)["health"]
    labels = [
        " ".join(s.text or "" for s in t.iter(f"{SVG}tspan")) or (t.text or "")
        for svg in svgs(page)
        for t in svg.iter(f"{SVG}text")
        if t.get("data-role") == "label"
    ]

    assert any(label.startswith("Is each objective linked to") for label in labels)
    assert not [label for label in labels if re.fullmatch(r"[a-z]+(-[a-z]+)+", label)]


def test_health_chart_colours_each_point_by_its_status(sample_data: ReportData) -> None:
    """A failed point's bar is not drawn in the colour (or legend) of a met one."""
    page = report_pages(sample_data)["health"]
    svg = svgs(page)[0]
    by_title = {
        (r.findtext(f"{SVG}title") or ""): r.get("data-fill")
        for r in svg.iter(f"{SVG}rect")
        if r.get("data-role") == "bar" and float(r.get("width", "0")) > 0
    }
    legend = [t.text for t in svg.iter(f"{SVG}text") if t.get("data-role") == "legend"]

    fills = {title.split(", ")[-1].split(":")[0]: fill for title, fill in by_title.items()}
    assert {"Met", "Partly met", "Not met"} <= set(fills)
    assert len({fills["Met"], fills["Partly met"], fills["Not met"]}) == 3
    assert legend == ["Met", "Partly met", "Not met"]


@pytest.mark.parametrize(
    "colours",
    [list(STATUS_COLOURS.values())[:3], list(RAG_COLOURS.values()), list(PURPOSE_COLOURS.values())],
)
def test_status_and_purpose_colours_differ_in_grey(colours: list[str]) -> None:
    """Each pair of colours in a set differs in luminance enough to tell apart in grey print."""
    for a, b in itertools.combinations(colours, 2):
        assert abs(luminance(a) - luminance(b)) >= 0.09, (a, b)


def test_series_after_the_first_get_patterns_so_grey_print_tells_them_apart() -> None:
    """Every series has a different fill pattern (the first solid), in the bars and the legend."""
    chart = Chart(
        "Hours",
        ("A", "B"),
        (Series("One", (1, 2)), Series("Two", (2, 1)), Series("Three", (3, 3))),
        alt="Hours.",
    )
    svg = svgs(chart_page(chart))[0]
    patterns = [p.get("id") for p in svg.iter(f"{SVG}pattern")]
    swatches = [r.get("fill") for r in svg.iter(f"{SVG}rect") if r.get("data-role") == "swatch"]

    assert len(patterns) == 2
    assert len(set(swatches)) == 3
    assert swatches[0].startswith("#")


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'.-", min_size=1, max_size=18)
labels = st.lists(words, min_size=1, max_size=7).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    kind=st.sampled_from(list(ChartKind)),
    categories=st.lists(labels, min_size=1, max_size=9),
    series_count=st.integers(1, 4),
    data=st.data(),
    unit=st.sampled_from(["", "%", "hours", "objectives"]),
)
def test_no_two_texts_overlap_in_any_chart(
    kind: ChartKind, categories: list[str], series_count: int, data: st.DataObject, unit: str
) -> None:
    """Whatever the labels and values, no two pieces of text in a chart overlap."""
    top = 100.0 if unit == "%" else 5000.0
    values = st.one_of(
        st.floats(0, top, allow_nan=False).map(lambda v: round(v, 1)),
        st.sampled_from([0.0, -3.0, 1e-12, 2.220446049250313e-16]),
    )
    series = tuple(
        Series(
            f"Series {i + 1}",
            data.draw(st.lists(values, min_size=len(categories), max_size=len(categories))),
        )
        for i in range(series_count)
    )
    chart = Chart("Chart", tuple(categories), series, alt="A chart.", kind=kind, unit=unit)
    svg = svgs(chart_page(chart))[0]

    assert overlapping(text_boxes(svg)) == []
    drawing = draw(chart)
    assert all(r.x >= 0 and r.x + r.width <= drawing.width + 0.01 for r in drawing.rects)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

_MEASURE = """
<script>
const out = [];
for (const svg of document.querySelectorAll('svg')) {
  const boxes = [];
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox();
    boxes.push([t.textContent, b.x, b.y, b.x + b.width, b.y + b.height]);
  }
  out.push(boxes);
}
document.getElementById('boxes').textContent = JSON.stringify(out);
</script>
"""


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium")
def test_chromium_measures_no_overlapping_text(tmp_path: Path, sample_data: ReportData) -> None:
    """Headless Chromium's real text boxes in every report chart do not overlap."""
    charts = [
        (name, svg)
        for name, page in report_pages(sample_data).items()
        for svg in re.findall(rb"<svg .*?</svg>", page, re.S)
    ]
    path = tmp_path / "charts.html"
    body = b"".join(svg for _, svg in charts)
    path.write_bytes(
        b"<!DOCTYPE html><html><body>" + body + b'<pre id="boxes"></pre>' + _MEASURE.encode()
    )
    command = [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu"]
    command += ["--disable-background-networking", "--dump-dom", path.as_uri()]
    dom = subprocess.run(command, capture_output=True, check=True, timeout=120).stdout.decode()
    found = re.search(r'<pre id="boxes">(.*?)</pre>', dom, re.S)
    assert found is not None
    measured = json.loads(html.unescape(found.group(1)))

    assert len(charts) == len(measured) >= 6
    for (name, _svg), boxes in zip(charts, measured, strict=True):
        assert boxes, name
        assert overlapping([(t, (x1, y1, x2, y2)) for t, x1, y1, x2, y2 in boxes]) == [], name
