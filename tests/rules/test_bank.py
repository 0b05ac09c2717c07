"""The objective bank: shipped entries pass the checker cleanly; search; school additions."""

from __future__ import annotations

from pathlib import Path

import pytest

import devcycle as dc
from devcycle.catalogues import Bank, BankEntry, load_bank, suggest
from devcycle.errors import ValidationError

SHIPPED = Bank.shipped().entries
ROLES = {r.value for r in dc.Role}


@pytest.mark.parametrize("entry", SHIPPED, ids=[e.id for e in SHIPPED])
def test_every_shipped_entry_passes_the_checker_cleanly(entry: BankEntry) -> None:
    """A recommended objective must be a good example: no findings at all."""
    result = dc.check(entry.text)

    assert [f.code for f in result.findings] == []
    assert result.good


@pytest.mark.parametrize("entry", SHIPPED, ids=[e.id for e in SHIPPED])
def test_every_shipped_entry_is_tagged(entry: BankEntry) -> None:
    """Each entry has known roles and at least one theme."""
    assert entry.roles
    assert set(entry.roles) <= ROLES
    assert entry.themes


def test_suggest_by_role_and_priority() -> None:
    """Role and theme narrow the bank; a Priority's title and theme words count."""
    by_theme = suggest(role="teaching_assistant", priority="phonics")
    by_priority = suggest(
        role=dc.Role.SENIOR_LEADER,
        priority=dc.Priority(id="P1", title="Attendance of disadvantaged pupils"),
    )

    assert [e.id for e in by_theme] == ["ta-phonics-intervention"]
    assert by_priority[0].id == "senior-attendance-mentoring"
    assert all("senior_leader" in e.roles for e in by_priority)


def test_suggest_by_standard_matches_parents_and_children() -> None:
    """TS5 finds entries tagged TS5.4, and the reverse."""
    assert any("TS5.4" in e.standards for e in suggest(standard="TS5"))
    assert suggest(standard="TS5.4")
    assert len(suggest(limit=3)) == 3


def test_a_school_extends_the_bank_with_saved_objectives(tmp_path: Path) -> None:
    """A school's file adds entries after the shipped ones; saved objectives convert."""
    saved = BankEntry.from_objective(
        dc.Objective(
            id="our-oracy", statement="Run oracy sessions for 7X by Easter.", standard_ids=["TS4"]
        ),
        roles=[dc.Role.TEACHER],
        themes=["oracy"],
    )
    path = tmp_path / "our-bank.json"
    path.write_text(Bank([saved]).to_json(), encoding="utf-8")

    bank = load_bank(path)

    assert bank.get("our-oracy").source == str(path)
    assert [e.id for e in bank.suggest(priority="oracy")][-1] == "our-oracy"
    assert len(bank.entries) == len(SHIPPED) + 1


def test_a_repeated_id_or_a_bad_file_is_a_validation_error(tmp_path: Path) -> None:
    """Ids are unique; problems name the file and path."""
    clash = tmp_path / "clash.toml"
    clash.write_text('[[objectives]]\nid = "ta-qualification"\ntext = "x"\n', encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text("[[objectives]]\nid = 3\n", encoding="utf-8")

    with pytest.raises(ValidationError, match="already in the bank"):
        load_bank(clash)
    with pytest.raises(ValidationError, match=r"missing 'text' @ \$\.objectives\[0\]\.text"):
        load_bank(broken)
