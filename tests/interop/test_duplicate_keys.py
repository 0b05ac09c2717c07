"""A key given twice in one object of a JSON (or YAML) file is refused, never the last kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main
from devcycle.errors import ValidationError
from devcycle.interop.case import load_case
from devcycle.interop.survey import parse_survey_responses
from devcycle.serialization import parse, read_file


def test_parse_refuses_a_json_key_given_twice() -> None:
    with pytest.raises(ValidationError, match="the key 'cost' is given twice") as caught:
        parse('[{"a": {"cost": "5000", "cost": "5"}}]', source="x.json")
    assert caught.value.source == "x.json"


def test_parse_refuses_a_yaml_key_given_twice_with_its_line() -> None:
    pytest.importorskip("yaml")
    with pytest.raises(ValidationError, match=r"'cost' is given twice.*line 3"):
        parse("a:\n  cost: 1\n  cost: 2\n", "yaml")


def test_distinct_keys_and_yaml_merges_still_read() -> None:
    assert parse('{"a": {"b": 1}, "b": {"a": 2}}') == {"a": {"b": 1}, "b": {"a": 2}}
    pytest.importorskip("yaml")
    assert parse("b: &x {c: 1}\nd:\n  <<: *x\n  c: 2\n", "yaml") == {
        "b": {"c": 1},
        "d": {"c": 2},
    }


def test_read_file_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / "o.json"
    file.write_text('{"id": "a", "id": "b"}', encoding="utf-8")
    with pytest.raises(ValidationError, match=r"(?s)o\.json.*'id' is given twice"):
        read_file(file)


def test_survey_answers_refuse_a_key_given_twice() -> None:
    text = '[{"staff_id": "T1", "answers": {"q1": 4, "q1": 1}}]'
    with pytest.raises(ValidationError, match="'q1' is given twice") as caught:
        parse_survey_responses(text, school_id="s", survey_id="v", fmt="json", source="a.json")
    assert caught.value.source == "a.json"


def test_a_case_package_refuses_a_key_given_twice(tmp_path: Path) -> None:
    file = tmp_path / "case.json"
    file.write_text('{"CFDocument": {}, "CFDocument": {}}', encoding="utf-8")
    with pytest.raises(ValidationError, match="'CFDocument' is given twice") as caught:
        load_case(file)
    assert caught.value.source == str(file)


def test_import_refuses_a_bundle_with_a_key_given_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = tmp_path / "b.json"
    bundle.write_text('{"format": "x", "format": "y"}', encoding="utf-8")

    assert main(["import", str(bundle), "--store", f"sqlite:///{tmp_path / 's.db'}"]) == 2

    err = capsys.readouterr().err
    assert "b.json" in err
    assert "'format' is given twice" in err
