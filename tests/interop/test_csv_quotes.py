"""A missing or stray ``"`` in a CSV file is refused, never read as rows run together.

Found in a user trial: an objectives file with one unclosed quote was checked as one
objective holding the rest of the file (``Checked 1 objective``, exit 1), and a roster's
broken quote was reported against the wrong row.
"""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.errors import ValidationError
from devcycle.interop.calendars import parse_calendar_csv
from devcycle.interop.csvquote import quote_problem
from devcycle.interop.objectives import parse_objectives
from devcycle.interop.roster import parse_roster
from devcycle.interop.survey import parse_survey_responses

UNCLOSED = 'id,name,roles\nT1,"Ann Lee,teacher\nT2,Ben Okafor,teacher\nT3,Cara Jones,teacher\n'
STRAY = 'id,name,roles\nT1,"Ann Lee,teacher\nT2,"Ben" Okafor,teacher\nT3,Cara Jones,teacher\n'


@pytest.mark.parametrize("text", [UNCLOSED, STRAY])
def test_a_roster_with_a_broken_quote_is_refused_naming_the_row_it_opened_on(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_roster(text, school_id="s", source="staff.csv")

    (problem,) = caught.value.problems
    assert problem.startswith("a quoted cell opened on row 2 ")
    assert problem.endswith("@ row 2")


def test_an_objectives_file_with_an_unclosed_quote_is_refused_not_checked_as_one() -> None:
    text = (
        'id,text\nA,"Run guided reading for six Year 4 pupils\nB,Teach phonics daily\n'
        "C,Run a book club\n"
    )

    with pytest.raises(ValidationError) as caught:
        parse_objectives(text, "csv", source="objectives.csv")

    assert caught.value.problems == (
        "a quoted cell opened on line 2 is never closed: add the missing '\"' (without it "
        "every line after it is read into that one cell) @ line 2",
    )


def test_survey_answers_and_a_calendar_with_an_unclosed_quote_are_refused() -> None:
    with pytest.raises(ValidationError, match="opened on row 3 is never closed"):
        parse_survey_responses(
            'respondent_id,on,comment\nT1,2027-06-10,fine\nT2,2027-06-10,"too long\n'
            "T3,2027-06-10,ok\n",
            school_id="oak",
            survey_id="2027-summer",
        )
    with pytest.raises(ValidationError, match="opened on row 2 is never closed"):
        parse_calendar_csv(
            'kind,name,start,end\nterm,"Autumn,2026-09-01,2026-12-18\n'
            "term,Spring,2027-01-04,2027-03-26\n",
            name="ours",
        )


def test_quotes_as_text_and_quoted_cells_spanning_lines_are_not_problems() -> None:
    text = 'id,text\nA,"two\nlines, one cell",x\nB,a 5" screen\nC,"say ""hi""",y\n'

    assert quote_problem(text) is None
    assert [
        r.id for r in parse_objectives(text.replace(",x\n", "\n").replace(",y\n", "\n"), "csv")
    ] == [
        "A",
        "B",
        "C",
    ]


cells = st.text(alphabet=st.sampled_from(list('ab ,"\n\r;')), max_size=8)


@given(st.lists(st.lists(cells, min_size=1, max_size=4), max_size=5))
def test_every_file_the_csv_module_writes_has_no_quote_problem(rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out).writerows(rows)

    assert quote_problem(out.getvalue()) is None


@given(st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=5))
def test_a_file_the_strict_reader_accepts_has_no_quote_problem(rows: list[list[str]]) -> None:
    # and one this finds no problem in reads the same, strict or not
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows(rows)
    text = out.getvalue()
    text = text[: len(text) // 2]  # cut anywhere: perhaps inside a quoted cell

    try:
        strict = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error:
        return
    assert quote_problem(text) is None
    assert strict == list(csv.reader(io.StringIO(text)))


@given(st.text(alphabet=st.sampled_from(list('a ,"\n')), max_size=30))
def test_the_problems_named_are_exactly_what_the_strict_reader_refuses(text: str) -> None:
    # nothing is glued silently: a text with no problem reads the same strict or not
    try:
        strict = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error:
        assert quote_problem(text) is not None
    else:
        assert quote_problem(text) is None
        assert strict == list(csv.reader(io.StringIO(text)))
