"""`parse_roster` refuses a row renaming a stored person; `renamed_staff`, `same_name`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain import StaffMember
from devcycle.errors import ValidationError
from devcycle.interop.roster import parse_roster, renamed_staff, same_name

KEPT = {
    "T1": StaffMember(id="T1", name="Graham Fell", school_id="wil", roles={"teacher"}),
    "T2": StaffMember(id="T2", name="Ann Lee", school_id="wil", roles={"teacher"}),
}
LETTERS = "abcdefghijklmnopqrstuvwxyzéèöüçñåøABCDÉÖÜ-'"
ROSTER = "id,name,roles\nT1,Helen Ashworth,teacher\nT2,Ann Lee,teacher\nT3,New Person,teacher\n"


def test_a_row_renaming_a_stored_person_is_refused_with_file_row_and_names() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_roster(ROSTER, school_id="wil", source="oak.csv", stored=KEPT)

    text = str(caught.value)
    assert "oak.csv" in text
    assert "name of 'T1' would change from 'Graham Fell' to 'Helen Ashworth'" in text
    assert "another school's roster" in text
    assert "@ row 2, column name" in text
    assert "T2" not in text
    assert "T3" not in text


def test_accept_renames_reads_the_roster() -> None:
    people = parse_roster(ROSTER, school_id="wil", stored=KEPT, accept_renames=True)

    assert [p.name for p in people] == ["Helen Ashworth", "Ann Lee", "New Person"]


def test_only_a_mapping_of_stored_staff_is_checked() -> None:
    """Stored ids alone (or none) cannot say who anyone was: nothing to compare."""
    assert len(parse_roster(ROSTER, school_id="wil", stored=set(KEPT))) == 3
    assert len(parse_roster(ROSTER, school_id="wil")) == 3


def test_a_rename_is_listed_beside_the_same_rows_other_problem() -> None:
    bad = ROSTER.replace("T1,Helen Ashworth,teacher", "T1,Helen Ashworth,teachr")

    with pytest.raises(ValidationError) as caught:
        parse_roster(bad, school_id="wil", stored=KEPT)

    problems = caught.value.problems
    assert len(problems) == 2
    assert all("@ row 2" in p for p in problems)


def test_renamed_staff_names_each_person_and_their_row() -> None:
    people = parse_roster(ROSTER, school_id="wil", stored=KEPT, accept_renames=True)

    problems = renamed_staff(people, KEPT, school_id="wil", rows={"T1": 2})

    assert len(problems) == 1
    assert problems[0].startswith("name of 'T1' would change from 'Graham Fell'")
    assert problems[0].endswith("@ row 2, column name")
    assert renamed_staff(people, KEPT, school_id="wil")[0].endswith("@ column name")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Graham Fell", "graham fell"),
        ("Graham Fell", "  Graham   Fell "),
        ("Graham Fell", "GRAHAM\tFELL"),
        ("Graham Fell", "Graham\u00a0Fell"),
        ("Straße", "STRASSE"),
    ],
)
def test_capitals_and_white_space_are_no_rename(old: str, new: str) -> None:
    assert same_name(old, new)


@pytest.mark.parametrize(
    ("old", "new"), [("Graham Fell", "Helen Ashworth"), ("Ann Lee", "Ann Leeds"), ("Jo", "J o")]
)
def test_other_letters_are_a_rename(old: str, new: str) -> None:
    assert not same_name(old, new)


@given(
    st.lists(st.text(LETTERS, min_size=1), min_size=1, max_size=4),
    st.lists(st.sampled_from([" ", "  ", "\t"]), min_size=5, max_size=5),
)
def test_a_name_respaced_and_recased_is_the_same_name(words: list[str], gaps: list[str]) -> None:
    name = " ".join(words)
    respaced = gaps[0] + "".join(w.upper() + g for w, g in zip(words, gaps[1:] * 2, strict=False))
    assert same_name(name, respaced)
