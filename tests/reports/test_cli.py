"""``devcycle report``: every report in every format, from a store, and clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from tests.reports import demo_store

from devcycle.cli import main
from devcycle.demo import build_demo
from devcycle.interop.csvsafe import safe_cell, write_csv
from devcycle.reports import REPORT_NAMES
from devcycle.storage import open_store

REPORTS = REPORT_NAMES


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store holding the demo school, with one hostile objective statement."""
    sample = build_demo(2026)
    cycle = next(c for c in sample.cycles if c.staff_id == "T008" and not c.is_closed)
    cycle.propose_objective(
        by="T008",
        on=sample.as_of,
        statement='=HYPERLINK("http://evil.example","Click") <script>alert(1)</script>',
    )
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'devcycle.db'}"
    demo_store(url, sample)
    return url


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("name", REPORTS)
@pytest.mark.parametrize("fmt", ["text", "json", "md", "html", "csv"])
def test_every_report_in_every_format(
    store_url: str, tmp_path: Path, name: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each report writes each format for the demo school."""
    target = tmp_path / f"{name}.{fmt}"

    code, _, err = _run(
        capsys,
        name,
        "--store",
        store_url,
        "--as-of",
        "2027-02-12",
        "--format",
        fmt,
        "-o",
        str(target),
    )

    assert code == 0, err
    assert target.stat().st_size > 0
    if fmt == "json":
        assert name == json.loads(target.read_text())["report"]


def test_html_reports_carry_svg_charts_with_text_alternatives(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The progress report's HTML has an inline SVG chart and the alt text beside it."""
    target = tmp_path / "progress.html"

    _run(
        capsys,
        "progress",
        "--store",
        store_url,
        "--as-of",
        "2027-02-12",
        "--format",
        "html",
        "-o",
        str(target),
    )
    html = target.read_text()

    assert "<svg" in html
    assert "Objectives by colour for" in html
    assert "<script>alert" not in html


def test_csv_is_safe_against_formula_injection(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A statement starting with '=' is exported with a leading quote, never as a formula."""
    code, out, _ = _run(
        capsys,
        "progress",
        "--store",
        store_url,
        "--as-of",
        "2027-02-12",
        "--person",
        "T008",
        "--format",
        "csv",
    )
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]

    assert code == 0
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not any(c.startswith("=") for c in cells)


def test_text_for_a_team(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The text format prints the title, the scope and the sections."""
    code, out, _ = _run(
        capsys, "health", "--store", store_url, "--as-of", "2027-02-12", "--team", "ks2"
    )

    assert code == 0
    assert "Process health check" in out
    assert "Key Stage 2, Oakfield Primary & Nursery (team)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "2030-01-01"), "2030-01-01 is outside every cycle"),
        (("--as-of", "2027-02-12", "--team", "nope"), "no team 'nope'"),
        (("--as-of", "2027-02-12", "--school", "nope"), "no school 'nope'"),
        (("--as-of", "2027-02-12", "--person", "X999"), "no member of staff 'X999'"),
        (("--as-of", "2027-02-12", "--team", "ks2", "--person", "T006"), "not both"),
    ],
)
def test_bad_input_gets_a_clear_message_and_exit_2(
    store_url: str, args: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad input prints one clear message on standard error and exits 2, never a traceback."""
    code, _, err = _run(capsys, "progress", "--store", store_url, *args)

    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_an_empty_store_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A store with no schools gets a message saying what to load."""
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url).close()  # a report never creates a store: make an empty one
    code, _, err = _run(capsys, "health", "--store", url, "--as-of", "2027-02-12")

    assert code == 2
    assert "no schools to report on" in err


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("  =1", "'  =1"),
        ("\uff1d1", "'\uff1d1"),
        ("-3", "-3"),
        ("+4.5", "+4.5"),
        ("12%", "12%"),
        ("plain text", "plain text"),
        (None, ""),
    ],
)
def test_safe_cell(value: object, expected: str) -> None:
    """Formula triggers get a leading quote; plain numbers and text are left alone."""
    assert expected == safe_cell(value)


def test_write_csv_round_trips_text() -> None:
    """Commas, quotes and new lines survive; formulas come back as quoted text."""
    text = write_csv(("a", "b"), [('x, "y"', "=2"), ("line\nbreak", "ok")])

    rows = list(csv.reader(io.StringIO(text)))

    assert rows == [["a", "b"], ['x, "y"', "'=2"], ["line\nbreak", "ok"]]


def test_a_calendar_file_makes_staleness_count_school_weeks(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--calendar FILE counts school weeks, and the report says so."""
    from devcycle.domain.calendar import england_pattern
    from devcycle.interop.calendars import calendar_to_toml

    calendar = tmp_path / "calendar-2026.toml"
    calendar.write_text(calendar_to_toml(england_pattern(2026)), encoding="utf-8")

    code, out, err = _run(
        capsys,
        "progress",
        "--store",
        store_url,
        "--as-of",
        "2027-02-12",
        "--calendar",
        str(calendar),
        "--format",
        "json",
    )

    assert code == 0, err
    assert json.loads(out)["weeks"] == "school weeks"


def test_a_framework_lists_its_headline_standards(
    store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--framework lists TS1 to TS8 in the coverage report."""
    code, out, _ = _run(
        capsys,
        "coverage",
        "--store",
        store_url,
        "--as-of",
        "2027-02-12",
        "--framework",
        "england-teachers-standards",
        "--format",
        "json",
    )
    standards = [s["standard_id"] for s in json.loads(out)["standards"]]

    assert code == 0
    assert [f"TS{i}" for i in range(1, 9)] == standards[:8]
