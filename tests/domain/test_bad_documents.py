"""Bad documents give one clear ValidationError naming every problem's path, and nothing else."""

from __future__ import annotations

import json
from typing import Any

import pytest

from devcycle import serialization
from devcycle.domain import Cycle, StaffMember
from devcycle.errors import ValidationError


def _staff(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "T042",
        "name": "Anna Patel",
        "school_id": "stm",
        "roles": ["teacher"],
        "fte": 1.0,
    }
    data.update(changes)
    return {"kind": "staff", "schema_version": 1, "data": data}


def _problems(text: str, expected: type | None = StaffMember, fmt: str = "json") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        serialization.loads(text, expected, fmt, source="staff.json")
    assert str(caught.value).startswith("staff.json: ")
    return list(caught.value.problems)


CASES = [
    ("wrong type", _staff(name=42), "expected text (got int 42) @ $.data.name"),
    (
        "missing field",
        {**_staff(), "data": {"id": "T1", "roles": ["teacher"], "school_id": "s"}},
        "required field missing @ $.data.name",
    ),
    ("unknown enum value", _staff(roles=["wizard"]), "(got 'wizard') @ $.data.roles[0]"),
    (
        "bad date",
        _staff(start_date="31/02/2026"),
        "expected a date as YYYY-MM-DD (got '31/02/2026') @ $.data.start_date",
    ),
    (
        "impossible date",
        _staff(start_date="2026-02-31"),
        "expected a date as YYYY-MM-DD (got '2026-02-31') @ $.data.start_date",
    ),
    ("bool for number", _staff(fte=True), "expected a number (got bool True) @ $.data.fte"),
    ("out of range", _staff(fte=1.5), "'fte' must be a number above 0 and at most 1"),
    ("unknown field", _staff(shoe_size=9), "unknown field(s) shoe_size @ $.data"),
    ("newer schema", {**_staff(), "schema_version": 99}, "newer than this devcycle reads"),
    ("bad schema version", {**_staff(), "schema_version": "one"}, "@ $.schema_version"),
    (
        "wrong kind",
        {**_staff(), "kind": "cycle"},
        "expected a staff document (got 'cycle') @ $.kind",
    ),
    ("unknown kind", {**_staff(), "kind": "spaceship"}, "expected kind to be one of"),
    ("data not an object", {**_staff(), "data": [1, 2]}, "expected data to be an object"),
]


@pytest.mark.parametrize(("label", "document", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_bad_document_names_its_path(label: str, document: Any, expected: str) -> None:
    """Every kind of mistake is reported with the path of the offending value."""
    problems = _problems(json.dumps(document))

    assert any(expected in p for p in problems), problems


def test_not_json_at_all_is_one_clear_problem() -> None:
    """Text that is not JSON gives the line and column, not a traceback."""
    problems = _problems("{'kind': 'staff'")

    assert problems == [
        "not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2 @ $"
    ]


def test_not_yaml_gives_the_line() -> None:
    """Broken YAML names the line."""
    problems = _problems("kind: staff\ndata: [unclosed\n", fmt="yaml")

    assert len(problems) == 1
    assert "not valid YAML" in problems[0]
    assert "line" in problems[0]


def test_yaml_loading_is_safe() -> None:
    """A YAML document that asks to build Python objects is refused, never executed."""
    hostile = "!!python/object/apply:os.system ['echo owned']\n"

    problems = _problems(hostile, fmt="yaml")

    assert "not valid YAML" in problems[0]


def test_not_toml_is_one_problem() -> None:
    """Broken TOML is reported, not raised as a parser exception."""
    problems = _problems("kind = ", fmt="toml")

    assert problems[0].startswith("not valid TOML")


def test_every_problem_is_listed_not_just_the_first() -> None:
    """Several mistakes in one document are all reported together."""
    document = _staff(name=1, fte="full", start_date="soon", extra=1)

    problems = _problems(json.dumps(document))

    assert len(problems) == 4


def test_nested_paths_reach_into_lists() -> None:
    """A bad value deep inside a cycle is located exactly."""
    document = {
        "kind": "cycle",
        "schema_version": 1,
        "data": {
            "id": "c1",
            "school_id": "s",
            "staff_id": "T1",
            "period_start": "2026-09-01",
            "period_end": "2027-08-31",
            "objectives": [
                {"id": "obj-1", "statement": "Fine"},
                {
                    "id": "obj-2",
                    "statement": "Fine",
                    "check_ins": [{"on": "2026-10-01", "by": "T1", "note": "ok", "rag": "purple"}],
                },
            ],
        },
    }

    problems = _problems(json.dumps(document), Cycle)

    assert problems == [
        "expected one of 'red', 'amber', 'green' (got 'purple') "
        "@ $.data.objectives[1].check_ins[0].rag"
    ]


def test_a_domain_rule_broken_in_a_document_is_reported_with_its_place() -> None:
    """An agreed objective with no agreement record is refused by the model, located."""
    document = {
        "kind": "cycle",
        "schema_version": 1,
        "data": {
            "id": "c1",
            "school_id": "s",
            "staff_id": "T1",
            "period_start": "2026-09-01",
            "period_end": "2027-08-31",
            "objectives": [{"id": "obj-1", "statement": "x", "status": "agreed"}],
        },
    }

    problems = _problems(json.dumps(document), Cycle)

    assert problems == [
        "objective 'obj-1' is agreed but has no agreement record @ $.data.objectives[0].agreement"
    ]


def test_period_end_before_start_is_refused() -> None:
    """A period that ends before it starts is a clear problem."""
    document = {
        "kind": "cycle",
        "schema_version": 1,
        "data": {
            "id": "c1",
            "school_id": "s",
            "staff_id": "T1",
            "period_start": "2026-09-01",
            "period_end": "2025-08-31",
        },
    }

    problems = _problems(json.dumps(document), Cycle)

    assert "'period_end' (2025-08-31) must not be before 'period_start' (2026-09-01)" in problems[0]


def test_older_documents_are_upgraded_on_load() -> None:
    """A registered upgrade runs for documents older than the current schema version."""
    upgrades = serialization._UPGRADES
    original = serialization.SCHEMA_VERSION
    try:
        serialization.SCHEMA_VERSION = 2  # type: ignore[misc]

        @serialization.register_upgrade("staff", 1)
        def rename(data: dict[str, Any]) -> dict[str, Any]:
            data = dict(data)
            data["name"] = data.pop("full_name")
            return data

        document = _staff()
        document["data"]["full_name"] = document["data"].pop("name")

        member = serialization.loads(json.dumps(document), StaffMember)

        assert member.name == "Anna Patel"
    finally:
        serialization.SCHEMA_VERSION = original  # type: ignore[misc]
        upgrades.pop(("staff", 1), None)


@pytest.mark.parametrize(
    ("field", "given"),
    [("dates", "2027-03-04"), ("participant_ids", "T006")],
)
def test_text_where_a_list_belongs_is_one_problem_not_one_per_character(
    field: str, given: str
) -> None:
    """A plan file's ``dates = "2027-03-04"`` gave ten problems, one per character, and
    ``participant_ids = "T006"`` named '0' twice (found by a script author's trial)."""
    from devcycle.domain import TrainingPlanEntry

    document = {"id": "a", "school_id": "s", "title": "t", "owner_id": "H1"}
    document = {"dates": ["2027-03-04"], **document, field: given}
    with pytest.raises(ValidationError) as caught:
        serialization.from_dict(document, TrainingPlanEntry)
    assert [str(p) for p in caught.value.problems] == [f"expected a list (got str) @ $.{field}"]


def test_keys_that_are_not_text_are_named_not_raised() -> None:
    """Before, a YAML null or number key (``? `` alone, ``1: x``) raised a TypeError."""
    yaml_text = (
        "kind: staff\nschema_version: 1\ndata:\n  id: T042\n  name: Anna Patel\n"
        "  school_id: stm\n  roles: [teacher]\n  ?\n  7: seven\n"
    )
    problems = _problems(yaml_text, fmt="yaml")

    assert any("unknown field(s) 7, None @ $.data" in p for p in problems), problems


def test_a_calendar_of_one_null_key_is_refused_with_a_message() -> None:
    """The fuzzer's find: the YAML document ``?`` is a mapping whose only key is null."""
    from devcycle.interop.calendars import parse_calendar

    with pytest.raises(ValidationError) as caught:
        parse_calendar("?", "yaml", source="c.yaml")
    assert "unknown field(s) None" in str(caught.value)


@pytest.mark.parametrize("kind", [[], {"a": 1}, 7, None])
def test_a_kind_that_is_not_text_is_named_not_raised(kind: Any) -> None:
    """Before, a list or object as the kind raised TypeError (unhashable): the fuzzer's find."""
    problems = _problems(json.dumps({"kind": kind, "schema_version": 1, "data": None}))

    assert any(p.startswith("expected kind to be one of") for p in problems), problems


def test_a_document_key_that_is_not_text_is_named() -> None:
    problems = _problems("kind: staff\nschema_version: 1\n7: x\ndata: {}\n", fmt="yaml")

    assert any(p.startswith("unknown field(s) 7 @ $") for p in problems), problems
