"""Staff rosters from CSV: every bad row reported, nothing planned from a bad roster."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from devcycle.domain.people import Role
from devcycle.errors import ValidationError
from devcycle.interop.roster import check_reviewers, load_roster, parse_roster, row_numbers

GOOD = """id,name,roles,fte,teams,reviewer_id,start_date,email
T1,Anna Patel,teacher,1,maths,H1,,anna@example.org
T2,Ben Okafor,teacher;middle_leader,0.6,maths;english,H1,2026-01-05,
E1,Cara Jones,early_career_teacher,,,H1,,
"""

BAD = """id,name,roles,fte,teams,reviewer_id,start_date,email
T1,Anna Patel,teacher,1,maths,H1,,
T2,Ben Okafor,teachr,1,,H1,,
T3,Cara Jones,teacher,1,,H1,2026/01/05,
T1,Dan Smith,teacher,1,,H1,,
T4,,teacher,1.5,,H1,,
"""


def test_a_good_roster_gives_staff_members() -> None:
    """Roles, FTE, teams and start dates are read from their columns."""
    people = parse_roster(GOOD, school_id="stm")

    assert [p.id for p in people] == ["T1", "T2", "E1"]
    assert people[1].roles == {Role.TEACHER, Role.MIDDLE_LEADER}
    assert people[1].fte == 0.6
    assert people[1].team_ids == ("maths", "english")
    assert people[1].start_date == date(2026, 1, 5)
    assert people[2].primary_role is Role.EARLY_CAREER_TEACHER


def test_a_roster_with_bad_rows_gets_a_clear_error_per_row() -> None:
    """Unknown role, bad date, duplicate id, missing name and bad FTE are each reported."""
    with pytest.raises(ValidationError) as caught:
        parse_roster(BAD, school_id="stm", source="staff.csv")

    problems = caught.value.problems
    assert len(problems) == 5
    assert problems[0].startswith("unknown role 'teachr'; expected one of: teacher,")
    assert problems[0].endswith("@ row 3, column roles")
    assert problems[1] == (
        "start_date must be a date as YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-09-01 or 01/09/2026 "
        "(got '2026/01/05') @ row 4, column start_date"
    )
    assert problems[2] == "duplicate id 'T1' (first on row 2) @ row 5, column id"
    assert problems[3] == "name is required @ row 6, column name"
    assert problems[4].endswith("(got '1.5') @ row 6, column fte")
    assert str(caught.value).startswith("staff.csv: 5 problems found")


def test_rows_are_named_by_the_file_s_own_line_blank_lines_included() -> None:
    """A blank line does not shift the row a problem names (it did: enumerate skipped it)."""
    text = "id,name,roles\nT1,Anna Patel,teacher\n\n\nT2,Ben Okafor,teachr\n"

    with pytest.raises(ValidationError) as caught:
        parse_roster(text, school_id="stm", source="staff.csv")

    assert caught.value.problems[0].endswith("@ row 5, column roles")


def test_a_spreadsheet_s_empty_trailing_rows_are_skipped() -> None:
    """Rows of commas alone, as spreadsheets export below the data, are not staff."""
    text = "id,name,roles,teams\nT1,Anna Patel,teacher,maths\n,,,\n , ,,\n"

    people = parse_roster(text, school_id="stm")

    assert [p.id for p in people] == ["T1"]


def test_a_roster_without_the_required_columns_is_refused() -> None:
    """The header must name id, name and roles; unknown columns are named."""
    with pytest.raises(ValidationError) as caught:
        parse_roster("id,name,job\nT1,Anna,teacher\n", school_id="stm")

    assert caught.value.problems == (
        "the header must name the columns roles @ row 1",
        "unknown column(s) job; expected: id, name, roles, fte, teams, reviewer_id, "
        "start_date, email, leaving_date @ row 1",
    )


def test_a_roster_file_loads(tmp_path: Path) -> None:
    """load_roster reads a file, byte-order mark and all."""
    path = tmp_path / "staff.csv"
    path.write_text("\ufeff" + GOOD, encoding="utf-8")

    assert len(load_roster(path, school_id="stm")) == 3


def test_a_team_spelt_with_other_capitals_is_refused() -> None:
    """``ks2;KS2`` made two teams; the second spelling is named with the first's row."""
    text = "id,name,roles,teams\nT1,Anna Patel,teacher,ks2\nT2,Ben Okafor,teacher,maths;KS2\n"

    with pytest.raises(ValidationError) as caught:
        parse_roster(text, school_id="stm")

    (problem,) = caught.value.problems
    assert problem.startswith("team 'KS2' differs from 'ks2' (row 2) only in its capitals")
    assert problem.endswith("@ row 3, column teams")


def test_a_team_spelling_in_a_refused_row_is_compared_in_the_same_run() -> None:
    """A row refused for another reason still sets the spelling later rows are held to.

    ``ks2;ks2`` (a team twice) on one row and ``Ks2`` on the next named only the first
    problem; the second appeared on the next run (a user trial).
    """
    text = "id,name,roles,teams\nT1,Anna Patel,teacher,ks2;ks2\nT2,Ben Okafor,teacher,Ks2\n"

    with pytest.raises(ValidationError) as caught:
        parse_roster(text, school_id="stm")

    problems = caught.value.problems
    assert len(problems) == 2
    assert problems[0].endswith("@ row 2, column teams")
    assert problems[1].startswith("team 'Ks2' differs from 'ks2' (row 2)")


def test_check_reviewers_names_the_file_s_own_line_not_a_guess() -> None:
    """A blank line and a multi-line quoted cell shift the rows: `check_reviewers` names the
    line `parse_roster` would (it guessed ``index + 2``, naming the wrong row)."""
    text = 'id,name,roles,reviewer_id\n\nT1,"Anna\nPatel",teacher,\nT2,Ben Okafor,teacher,X9\n'
    people = parse_roster(text, school_id="oak")
    with pytest.raises(ValidationError) as caught:
        check_reviewers(people, school_id="oak", source="r.csv", rows=row_numbers(text))
    assert "@ row 5, column reviewer_id" in str(caught.value)
    assert "r.csv" in str(caught.value)
    # The same row parse_roster names when it checks reviewers itself.
    with pytest.raises(ValidationError) as same:
        parse_roster(text, school_id="oak", stored=())
    assert "@ row 5, column reviewer_id" in str(same.value)
    # Without the rows, the person's id and the column are named, never a guessed row.
    with pytest.raises(ValidationError) as bare:
        check_reviewers(people, school_id="oak")
    assert "(the reviewer of 'T2')" in str(bare.value)
    assert "@ row" not in str(bare.value)
