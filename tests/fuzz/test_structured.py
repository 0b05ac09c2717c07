"""Hypothesis fuzzing of every parser of user data (issue 13, item 7).

Each parser in `tests.fuzz.targets.TARGETS` is given arbitrary bytes, and documents built
to be nearly right (JSON-like values as JSON and YAML, roster and calendar CSV rows,
iCalendar events with any dates): it returns, or raises devcycle's own error with a
message. Any other exception fails the test with the input that caused it.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.fuzz.targets import TARGETS

from devcycle.errors import DevcycleError

FEWER = max(10, settings.default.max_examples // 3)
"""Examples per test: the parsers are many, and the suite stays fast."""

KEYS = st.sampled_from(
    [
        "id",
        "text",
        "role",
        "fte",
        "deadline",
        "name",
        "terms",
        "start",
        "end",
        "kind",
        "period",
        "milestones",
        "months",
        "stage",
        "sections",
        "roles",
        "policy",
        "data",
        "schools",
        "staff",
        "cycles",
        "objectives",
        "half_terms",
        "closures",
        "anchor",
    ]
) | st.text(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.dates().map(str)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=25,
)


def _refuses_cleanly(name: str, data: bytes) -> None:
    try:
        TARGETS[name](data)
    except DevcycleError as exc:
        message = str(exc)
    else:
        return
    assert message.strip(), "an error without a message"


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(max_examples=FEWER)
@given(data=st.binary(max_size=600))
def test_any_bytes_are_read_or_refused_with_a_message(name: str, data: bytes) -> None:
    _refuses_cleanly(name, data)


JSON_TARGETS = [n for n in TARGETS if n.endswith("-json") or n == "bundle"]
YAML_TARGETS = [n for n in TARGETS if n.endswith("-yaml")]


@pytest.mark.parametrize("name", JSON_TARGETS)
@settings(max_examples=FEWER)
@given(value=VALUES)
def test_json_documents_of_any_shape(name: str, value: Any) -> None:
    _refuses_cleanly(name, json.dumps(value).encode())


@pytest.mark.parametrize("name", YAML_TARGETS)
@settings(max_examples=FEWER)
@given(value=VALUES)
def test_yaml_documents_of_any_shape(name: str, value: Any) -> None:
    _refuses_cleanly(name, yaml.safe_dump(value, allow_unicode=True).encode())


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


CELLS = st.text(max_size=12) | st.sampled_from(
    ["teacher", "0.001", "1e-300", "2027-02-30", "0001-01-01", "T1", "term", "inset", ""]
)


@settings(max_examples=FEWER)
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=9), max_size=6))
def test_rosters_of_any_rows(rows: list[list[str]]) -> None:
    head = ["id", "name", "roles", "fte", "teams", "reviewer_id", "start_date", "email"]
    _refuses_cleanly("roster", _csv([head, *rows]))


@settings(max_examples=FEWER)
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), max_size=6))
def test_csv_calendars_of_any_rows(rows: list[list[str]]) -> None:
    _refuses_cleanly("calendar-csv", _csv([["kind", "name", "start", "end"], *rows]))


@settings(max_examples=FEWER)
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), max_size=6))
def test_csv_objectives_of_any_rows(rows: list[list[str]]) -> None:
    _refuses_cleanly("objectives-csv", _csv([["id", "text", "role", "fte", "deadline"], *rows]))


DATES = st.dates().map(lambda d: d.strftime("%Y%m%d")) | st.text("0123456789T", max_size=12)


@settings(max_examples=FEWER)
@given(
    events=st.lists(
        st.tuples(st.sampled_from(["Autumn term", "Spring half term", "INSET", ""]), DATES, DATES),
        max_size=5,
    )
)
def test_icalendar_events_with_any_dates(events: list[tuple[str, str, str]]) -> None:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    for number, (summary, start, end) in enumerate(events):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{number}",
            f"SUMMARY:{summary}",
            f"DTSTART;VALUE=DATE:{start}",
            f"DTEND;VALUE=DATE:{end}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    _refuses_cleanly("calendar-ics", ("\r\n".join(lines) + "\r\n").encode())


def test_a_template_period_of_empty_text_terms_is_a_clear_error() -> None:
    """Found by the structured fuzzer: a period of '' terms ended in a TypeError."""
    from devcycle.catalogues.templates import parse_template

    text = json.dumps({"id": "t", "name": "T", "period": {"terms": ""}})
    with pytest.raises(DevcycleError, match="terms"):
        parse_template(text, "json")
