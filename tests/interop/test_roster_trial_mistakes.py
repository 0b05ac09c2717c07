"""Roster mistakes a script author made in a user trial, each refused with a clear message.

- A roster with a header and no rows (an MIS export that failed) was taken as a school
  with no staff to plan: exit 0, the template printed, nothing said.
- A semicolon-separated export got "unknown column(s) id;name;..." and no hint.
- ``t1`` beside a stored (or listed) ``T1`` stored a second person with their own cycle,
  although team ids differing only in capitals were refused.
- The advice to clear a leaving date recorded in error, ``devcycle person leave T2
  --clear``, failed when pasted: the command needs ``--school``.
"""

from __future__ import annotations

from datetime import date

import pytest

from devcycle.domain import StaffMember
from devcycle.errors import ValidationError
from devcycle.interop.roster import parse_roster

HEADER = "id,name,roles,teams,reviewer_id\n"
ROSTER = HEADER + "H1,Helen Ashworth,headteacher,slt,\nT1,Tina Bell,teacher,ks2,H1\n"


def _problems(text: str, **options: object) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        parse_roster(text, school_id="oak", source="staff.csv", **options)  # type: ignore[arg-type]
    return [str(p) for p in caught.value.problems]


def test_a_header_and_no_rows_is_refused() -> None:
    assert _problems(HEADER) == [
        "no staff: the file has a header and no rows (an MIS export that failed?); a roster "
        "lists the school's staff, one person a row @ row 2"
    ]
    assert _problems(HEADER + ",,,,\n\n")  # blank rows are no rows either


def test_semicolons_get_a_hint() -> None:
    text = "id;name;roles;teams;reviewer_id\nT1;Tina Bell;teacher;ks2;\n"
    problems = _problems(text)
    assert len(problems) == 1  # not also "the header must name the columns id, name, roles"
    assert "look separated by semicolons" in problems[0]
    tabs = "id\tname\troles\nT1\tTina Bell\tteacher\n"
    assert any("look separated by tabs" in p for p in _problems(tabs))


def test_an_id_differing_only_in_capitals_is_refused_in_the_file() -> None:
    problems = _problems(ROSTER + "t1,Tina Bell,teacher,ks2,H1\n")
    assert problems == [
        "id 't1' differs from 'T1' (row 3) only in its capitals: staff ids are exact, so this "
        "would store two people; spell it one way @ row 4, column id"
    ]


def test_an_id_differing_only_in_capitals_from_a_stored_one_is_refused() -> None:
    text = ROSTER.replace("T1,Tina", "t1,Tina")
    problems = _problems(text, stored={"H1", "T1"})
    assert problems == [
        "id 't1' differs from the stored 'T1' only in its capitals: staff ids are exact, so "
        "this would store a second person; spell it as stored @ row 3, column id"
    ]
    # The same roster for a school whose staff are not stored yet reads as it is.
    assert [m.id for m in parse_roster(text, school_id="oak")] == ["H1", "t1"]


def test_the_advice_to_clear_a_leaving_date_names_the_school() -> None:
    text = "id,name,roles,leaving_date\nH1,Helen Ashworth,headteacher,\n"
    stored = {
        "H1": StaffMember(
            id="H1",
            name="Helen Ashworth",
            school_id="oak",
            roles={"headteacher"},
            leaving_date=date(2026, 10, 30),
        )
    }
    problems = _problems(text, stored=stored, as_of=date(2026, 9, 1))
    assert any("devcycle person leave H1 --school oak --clear" in p for p in problems)


def test_a_reviewer_reinstated_with_accept_reinstatements_reviews_again() -> None:
    """The trial: with --accept-reinstatements the roster put M1 back on the staff, and its
    rows naming M1 as reviewer were still refused as "M1 left school 'oak'"."""
    text = (
        "id,name,roles,reviewer_id,leaving_date\n"
        "H1,Helen Ashworth,headteacher,,\n"
        "M1,Mo Lead,middle_leader,H1,\n"
        "T1,Tina Bell,teacher,M1,\n"
    )
    stored = {
        "H1": StaffMember(id="H1", name="Helen Ashworth", school_id="oak", roles={"headteacher"}),
        "M1": StaffMember(
            id="M1",
            name="Mo Lead",
            school_id="oak",
            roles={"middle_leader"},
            reviewer_id="H1",
            leaving_date=date(2026, 10, 30),
        ),
    }
    refused = _problems(text, stored=stored, as_of=date(2026, 12, 1))
    assert any("reviewer_id 'M1' of 'T1' left school 'oak'" in p for p in refused)
    people = parse_roster(
        text, school_id="oak", stored=stored, as_of=date(2026, 12, 1), accept_reinstatements=True
    )
    assert [p.leaving_date for p in people] == [None, None, None]
