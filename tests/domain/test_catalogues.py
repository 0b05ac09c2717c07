"""The standards frameworks shipped as data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devcycle.catalogues import framework, framework_names, load_framework
from devcycle.errors import NotFoundError, ValidationError


def test_the_teachers_standards_ship_with_all_35_part_one_bullets() -> None:
    """TS1-TS8 and their 35 sub-bullets, with source and licence."""
    standards = framework("england-teachers-standards")

    bullets = [s for s in standards.standards if s.id.startswith("TS") and "." in s.id]

    assert len(bullets) == 35
    assert [s.id for s in standards.children("P1")] == [f"TS{i}" for i in range(1, 9)]
    assert standards.licence == "OGL-UK-3.0"
    assert standards.statutory


def test_a_sub_standard_knows_its_ancestors() -> None:
    """TS5.4 sits under TS5 in Part One."""
    standards = framework("england-teachers-standards")

    assert [s.id for s in standards.ancestors("TS5.4")] == ["TS5", "P1"]


def test_every_shipped_framework_loads_and_names_its_licence() -> None:
    """Each catalogue file says where it came from and under what licence."""
    for name in framework_names():
        loaded = framework(name)
        assert loaded.source
        assert loaded.licence


def test_an_unknown_framework_lists_the_known_ones() -> None:
    """Asking for a framework that does not exist says what does."""
    with pytest.raises(NotFoundError, match="england-teachers-standards"):
        framework("narnia-standards")


def test_a_school_can_load_its_own_framework_file(tmp_path: Path) -> None:
    """A framework in the shipped format loads from a file."""
    path = tmp_path / "ours.json"
    path.write_text(
        json.dumps(
            {
                "kind": "framework",
                "schema_version": 1,
                "data": {
                    "id": "our-values",
                    "title": "Our values",
                    "standards": [
                        {"id": "V1", "title": "Kindness"},
                        {"id": "V1.1", "title": "Listen", "parent_id": "V1"},
                    ],
                },
            }
        )
    )

    loaded = load_framework(path)

    assert [s.id for s in loaded.children("V1")] == ["V1.1"]


def test_a_framework_with_a_child_before_its_parent_is_refused(tmp_path: Path) -> None:
    """The file is rejected with the problem located."""
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "kind": "framework",
                "schema_version": 1,
                "data": {
                    "id": "x",
                    "title": "X",
                    "standards": [{"id": "A.1", "title": "a", "parent_id": "A"}],
                },
            }
        )
    )

    with pytest.raises(ValidationError, match="not listed before it") as caught:
        load_framework(path)

    assert caught.value.source == str(path)
