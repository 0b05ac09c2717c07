"""Objective files name roles as schools and colleges do: usual names map to devcycle's roles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.domain.role_names import ROLE_ALIASES, role_from_text
from devcycle.interop.objectives import read_objectives
from devcycle.rules import CheckContext, check


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("lecturer", "teacher"),
        ("Vice Principal", "senior_leader"),
        ("Head-of-Department", "middle_leader"),
        ("HLTA", "teaching_assistant"),
        ("teacher", "teacher"),
        ("Support Staff", "support_staff"),
    ],
)
def test_usual_names_map_to_roles(name: str, role: str) -> None:
    found = role_from_text(name)
    assert found is not None
    assert found.value == role


def test_every_alias_maps_to_a_role_and_never_shadows_one() -> None:
    values = {r.value for r in dc.Role}
    assert not values & set(ROLE_ALIASES)
    assert all(isinstance(role, dc.Role) for role in ROLE_ALIASES.values())


def test_a_college_lecturers_objectives_are_checked_as_a_teachers(tmp_path: Path) -> None:
    """Regression: 'lecturer' made the whole file unreadable (exit 2, no results)."""
    path = tmp_path / "college.jsonl"
    rows = [
        {"id": "1", "text": "Improve my teaching.", "role": "lecturer"},
        {"id": "2", "text": "Improve my teaching.", "role": "principal"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")

    records = read_objectives(path)

    assert [r.context.role if r.context else None for r in records] == ["teacher", "headteacher"]
    assert main(["check", "--format", "json", str(path)]) == 1  # findings, not an error


def test_an_unknown_role_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "typo.jsonl"
    path.write_text(json.dumps({"id": "1", "text": "x", "role": "teachr"}) + "\n", "utf-8")

    with pytest.raises(dc.ValidationError, match="did you mean 'teacher'"):
        read_objectives(path)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("lecturer", dc.Role.TEACHER),
        ("FE lecturer", dc.Role.TEACHER),
        ("HLTA", dc.Role.TEACHING_ASSISTANT),
    ],
)
def test_a_check_context_reads_a_usual_role_name_as_the_cli_does(name: str, role: dc.Role) -> None:
    """Regression: `CheckContext(role="lecturer")` kept "lecturer" as text while the CLI read
    it as a teacher, so the judge (fitted through `CheckContext`) weighed a role signal that
    CLI users never got, and `check` and the CLI judged a lecturer's objectives differently."""
    assert CheckContext(role=name).role is role
    assert CheckContext(role="Not a role at all").role == "Not a role at all"


@pytest.mark.parametrize(
    "text",
    [
        "Improve my teaching.",
        "Plan and teach a six-week unit on statistics for my Level 3 group by Easter.",
        "Raise pass rates in my BTEC class to 80% this year.",
        "Update my knowledge of the sector.",
    ],
)
def test_check_and_the_cli_judge_a_lecturers_objective_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """One reading of the role: `check` with "lecturer" gives the CLI's and a teacher's verdicts."""
    path = tmp_path / "college.jsonl"
    path.write_text(json.dumps({"id": "1", "text": text, "role": "lecturer"}) + "\n", "utf-8")
    capsys.readouterr()
    main(["check", "--format", "json", str(path)])
    cli = json.loads(capsys.readouterr().out)["results"][0]

    as_lecturer = check(text, context=CheckContext(role="lecturer"))
    as_teacher = check(text, context=CheckContext(role="teacher"))

    assert dict(as_lecturer.verdicts) == dict(as_teacher.verdicts) == cli["verdicts"]
    assert as_lecturer.data_target == as_teacher.data_target == cli["data_target"]
    assert [f.code for f in as_lecturer.findings] == [f.code for f in as_teacher.findings]
