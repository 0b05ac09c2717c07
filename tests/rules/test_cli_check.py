"""The check and rules commands: output, the JSON contract, exit statuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devcycle.cli import main

GOOD = (
    "By Easter, run a twice-weekly guided reading group for the 6 Year 4 pupils below "
    "age-related expectations, with reading ages tested in March."
)


def _write(tmp_path: Path, *rows: dict[str, str]) -> Path:
    path = tmp_path / "objectives.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_clean_objectives_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """No findings: exit 0 and a summary line."""
    status = main(["check", str(_write(tmp_path, {"id": "o1", "text": GOOD}))])

    assert status == 0
    assert "Checked 1 objective: 1 SMART and not a bare data target, 0 not; 1 with no" in (
        capsys.readouterr().out
    )


def test_the_summary_counts_add_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Before: "1 clean, 1 SMART without a bare data target" for one good and one bad."""
    rows = ({"id": "o1", "text": GOOD}, {"id": "o2", "text": "Improve maths."})
    main(["check", str(_write(tmp_path, *rows))])

    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("Checked 2 objectives: 1 SMART and not a bare data target, 1 not;")


def test_findings_are_grouped_and_underlined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Error findings: exit 1, code, message, underline and fix under the objective."""
    status = main(["check", str(_write(tmp_path, {"id": "o2", "text": "Improve my teaching."}))])
    out = capsys.readouterr().out

    assert status == 1
    assert "o2" in out
    assert "S101" in out
    assert "^^^^^^^^^^^^^^^^^^^" in out
    assert "= fix:" in out


def test_json_output_is_the_contract(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format json prints one document with results and summary as architecture.md says."""
    path = _write(tmp_path, {"id": "o1", "text": GOOD}, {"id": "o2", "text": "GLD to be 75%."})

    main(["check", "--format", "json", str(path)])
    document = json.loads(capsys.readouterr().out)

    first, second = document["results"]
    assert set(first) == {"id", "file", "line", "where", "verdicts", "data_target", "findings"}
    assert set(first["verdicts"]) == {
        "specific",
        "measurable",
        "achievable",
        "relevant",
        "time_bound",
    }
    assert second["data_target"] is True
    assert set(second["findings"][0]) == {
        "code",
        "symbol",
        "criterion",
        "severity",
        "message",
        "fix",
        "path",
        "span",
    }
    assert document["summary"]["objectives"] == 2


def test_select_ignore_and_fail_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ignoring the error rules leaves exit 0; --fail-on info makes any finding fail."""
    path = _write(tmp_path, {"id": "o1", "text": "Run the homework club for 8R by Easter."})

    assert main(["check", "--ignore", "M", str(path)]) == 0
    assert main(["check", "--select", "M201", "--fail-on", "info", str(path)]) == 1
    capsys.readouterr()


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad line is reported with the file and the line, exit 2."""
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "o1", "text": "x"}\n{nope\n', encoding="utf-8")

    status = main(["check", str(path)])
    err = capsys.readouterr().err

    assert status == 2
    assert "bad.jsonl" in err
    assert "line 2" in err


def test_an_unknown_selector_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--select with a code no rule has is a usage error."""
    path = _write(tmp_path, {"id": "o1", "text": GOOD})

    assert main(["check", "--select", "Q1", str(path)]) == 2
    assert "Q1" in capsys.readouterr().err


def test_config_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--config reads the school's [check] table."""
    config = tmp_path / "devcycle.toml"
    config.write_text('[check]\nignore = ["S", "M", "T"]\n', encoding="utf-8")
    path = _write(tmp_path, {"id": "o1", "text": "Improve my teaching."})

    assert main(["check", "--config", str(config), str(path)]) == 0
    capsys.readouterr()


def test_rules_lists_and_explains(capsys: pytest.CaptureFixture[str]) -> None:
    """'devcycle rules' lists every rule; 'devcycle rules CODE' explains one."""
    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert main(["rules", "vague-aim"]) == 0
    explained = capsys.readouterr().out

    assert "S101" in listing
    assert "T501" in listing
    assert "Why:" in explained
    assert "--ignore S101" in explained
    assert main(["rules", "Z999"]) == 2
    assert main(["rules", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) >= 15
