"""Process-survey answers from CSV and JSON: every bad row named, none half-read."""

from __future__ import annotations

from datetime import date

import pytest

import devcycle as dc
from devcycle.interop.survey import parse_survey_responses, survey_rows


def _parse(text: str, fmt: str = "csv") -> tuple[dc.SurveyResponse, ...]:
    return parse_survey_responses(
        text, school_id="oak", survey_id="2027", fmt=fmt, source="answers"
    )


def test_answers_are_read_with_their_defaults() -> None:
    (answer,) = _parse(
        "Respondent_ID , On,Valued,Pupil_Data_Targets,Teams\nT1,2027-06-10T09:30:00,5,Y,ks1;ks2\n"
    )

    assert answer.id == "2027/T1"
    assert (answer.school_id, answer.survey_id, answer.on) == ("oak", "2027", date(2027, 6, 10))
    assert (answer.valued, answer.pupil_data_targets, answer.team_ids) == (5, True, ("ks1", "ks2"))
    assert answer.helps_me_improve is None


def test_an_unknown_column_is_refused_with_a_suggestion() -> None:
    with pytest.raises(dc.ValidationError, match=r"unknown column\(s\) valeud; for 'valeud' did"):
        _parse("respondent_id,on,valeud\nT1,2027-06-10,3\n")


def test_required_columns_and_cells_are_named() -> None:
    with pytest.raises(dc.ValidationError) as raised:
        _parse("respondent_id,valued\nT1,3\n")
    assert "the columns on are required @ row 1" in str(raised.value)

    with pytest.raises(dc.ValidationError) as raised:
        _parse("respondent_id,on,hours\n,2027-06-10,600\n")
    text = str(raised.value)
    assert "respondent_id is required @ row 2, column respondent_id" in text
    assert "hours must be a number of hours from 0 to 500, or empty (got '600')" in text


def test_json_rows_are_named_by_index() -> None:
    text = '[{"respondent_id": "T1", "on": "2027-06-10", "valued": 2.5}, "x"]'
    with pytest.raises(dc.ValidationError) as raised:
        _parse(text, "json")
    message = str(raised.value)
    assert "expected an object with the columns as keys @ [1]" in message

    with pytest.raises(dc.ValidationError, match=r"whole number from 1 to 5.*@ \[0\]\.valued"):
        _parse('[{"respondent_id": "T1", "on": "2027-06-10", "valued": 2.5}]', "json")
    with pytest.raises(dc.ValidationError, match="not valid JSON"):
        _parse("[", "json")
    with pytest.raises(dc.ValidationError, match="expected a list of responses"):
        _parse('{"answers": []}', "json")


def test_each_response_keeps_its_place_in_the_file() -> None:
    rows = survey_rows(
        "respondent_id,on\nT1,2027-06-10\n\nT2,2027-06-11\n", school_id="oak", survey_id="s"
    )

    assert [(place, r.respondent_id) for place, r in rows] == [("row 2", "T1"), ("row 4", "T2")]
