"""A school's own objective bank (issue 11, item 12): saved and loaded again, and every
school entry checked by the objective checker as it is added, with its findings shown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import devcycle as dc
from devcycle.catalogues.bank import Bank, BankEntry, load_bank, save_bank
from devcycle.cli import main
from devcycle.errors import ValidationError

SHIPPED = Bank.shipped()
GOOD = (
    "By Easter, run two 20-minute oracy sessions a week for the 8 pupils in 7X who speak "
    "least in class, with talk partners observed in two learning walks."
)


def _ours(entry_id: str = "our-oracy", text: str = GOOD) -> BankEntry:
    return BankEntry(id=entry_id, text=text, roles=["teacher"], themes=["oracy"], source="ours")


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_a_schools_bank_saved_with_its_own_entries_loads_again(tmp_path: Path, suffix: str) -> None:
    """Saving writes only the school's entries, so loading does not meet the shipped ids twice.

    Before, the saved file held every shipped entry too, and load_bank refused it as listing
    each shipped id more than once.
    """
    bank = SHIPPED.add(_ours()).bank
    path = tmp_path / f"bank{suffix}"

    save_bank(bank, path)
    again = load_bank(path)

    assert [e.to_dict() for e in again.entries] == [e.to_dict() for e in bank.entries]
    assert [e.id for e in again.own_entries] == ["our-oracy"]


def test_the_json_a_bank_gives_holds_the_schools_entries_and_reloads(tmp_path: Path) -> None:
    """Bank.to_json (the old way to save) now reloads too."""
    path = tmp_path / "bank.json"
    path.write_text(SHIPPED.add(_ours()).bank.to_json(), encoding="utf-8")

    assert [e["id"] for e in json.loads(path.read_text(encoding="utf-8"))["objectives"]] == [
        "our-oracy"
    ]
    assert load_bank(path).get("our-oracy").text == GOOD


def test_a_file_saved_with_the_shipped_entries_in_it_still_loads(tmp_path: Path) -> None:
    """Identical shipped entries in an old file are skipped; the school's entries are kept."""
    path = tmp_path / "old.json"
    path.write_text(SHIPPED.add(_ours()).bank.to_json(include_shipped=True), encoding="utf-8")

    loaded = load_bank(path)

    assert len(loaded.entries) == len(SHIPPED.entries) + 1
    assert [e.id for e in loaded.own_entries] == ["our-oracy"]


def test_a_shipped_id_with_another_text_is_an_error_naming_the_entry(tmp_path: Path) -> None:
    """A school entry reusing a shipped id with its own words must be renamed."""
    shipped = SHIPPED.entries[0]
    path = tmp_path / "clash.json"
    path.write_text(
        json.dumps({"objectives": [{"id": shipped.id, "text": "Our own words."}]}),
        encoding="utf-8",
    )

    with pytest.raises(ValidationError) as caught:
        load_bank(path)

    assert f"id {shipped.id!r} is already in the bank with another text" in str(caught.value)
    assert "@ $.objectives[0].id" in str(caught.value)


def test_adding_an_entry_checks_it_and_shows_the_findings() -> None:
    """A vague school objective is added, with the checker's findings to show."""
    added = SHIPPED.add(_ours("our-vague", "Improve my teaching."))

    codes = [f.code for f in added.assessment.findings]
    lines = added.report()
    assert "S101" in codes
    assert lines[0] == f"our-vague: {len(codes)} finding(s)"
    assert any(line.startswith("  S101 ") for line in lines)
    assert any(line.startswith("    fix: ") for line in lines)
    assert added.bank.get("our-vague").source == "ours"


def test_a_clean_entry_reports_no_findings_and_an_objective_can_be_added() -> None:
    """A good objective (from a cycle, say) goes in clean."""
    objective = dc.Objective(id="our-oracy", statement=GOOD, standard_ids=["TS4"])

    added = SHIPPED.add(objective, roles=[dc.Role.TEACHER], themes=["oracy"])

    assert added.report() == ["our-oracy: no findings"]
    assert added.entry.standards == ("TS4",)
    assert added.entry.source == "school"


def test_a_loaded_banks_school_entries_are_checked(tmp_path: Path) -> None:
    """Bank.report lists the findings of every school entry in a loaded file, not shipped ones."""
    path = tmp_path / "bank.toml"
    save_bank(SHIPPED.add(_ours()).bank.add(_ours("our-vague", "Be better.")).bank, path)

    lines = load_bank(path).report()

    assert lines[0] == "our-oracy: no findings"
    assert lines[1].startswith("our-vague: ")
    assert all(not line.startswith(SHIPPED.entries[0].id) for line in lines)


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)
ENTRY = st.builds(
    BankEntry,
    id=st.from_regex(r"school-[a-z0-9-]{1,20}", fullmatch=True),
    text=TEXT,
    roles=st.lists(st.sampled_from([r.value for r in dc.Role]), max_size=2, unique=True),
    themes=st.lists(TEXT, max_size=2),
    standards=st.lists(st.from_regex(r"TS[1-8]", fullmatch=True), max_size=2),
    source=st.just("school"),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    entries=st.lists(ENTRY, max_size=5, unique_by=lambda e: e.id),
    suffix=st.sampled_from([".json", ".toml"]),
)
def test_saving_then_loading_gives_the_same_bank(
    tmp_path: Path, entries: list[BankEntry], suffix: str
) -> None:
    """For any school entries and either format, load(save(bank)) holds the same entries."""
    bank = SHIPPED.extended(entries)
    path = tmp_path / f"bank{suffix}"

    save_bank(bank, path)

    assert [e.to_dict() for e in load_bank(path).entries] == [e.to_dict() for e in bank.entries]


def test_bank_add_shows_the_findings_and_bank_check_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """From the command line: each added entry's findings are shown; check exits 1 on findings."""
    path = tmp_path / "ours.toml"
    base = ["bank", "add", str(path), "--role", "teacher", "--theme", "oracy"]

    assert main([*base, "--id", "our-oracy", "--text", GOOD]) == 0
    assert main([*base, "--id", "our-vague", "--text", "Improve my teaching.\x1b[31m"]) == 0
    added = capsys.readouterr().out
    assert main(["bank", "check", str(path)]) == 1
    checked = capsys.readouterr().out
    assert main([*base, "--id", "our-vague", "--text", "Again."]) == 2
    refused = capsys.readouterr().err

    assert "our-oracy: no findings" in added
    assert "our-vague: 3 finding(s)" in added
    assert "  S101 error: Vague aim" in added
    assert "\x1b" not in added + checked
    assert "School entries: 2; with findings: 1." in checked
    assert "id 'our-vague' is already in the bank" in refused
    assert [e.id for e in load_bank(path).own_entries] == ["our-oracy", "our-vague"]
