"""Counts in command-line output read as English: "1 trust", "1 priority", "2 priorities".

A user trial found "Exported 1 trusts, 1 schools", "1 priorities" (the demo) and
"1 entries" (the audit log), among others.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main
from devcycle.cli.store import _summary
from devcycle.storage.bundle import SECTIONS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_bundle_summary_is_singular_for_one_of_each_section() -> None:
    """One of every section: no word of the summary ends in a plural 's'."""
    summary = _summary(dict.fromkeys(SECTIONS, 1))

    assert summary == (
        "1 trust, 1 school, 1 member of staff, 1 cycle, 1 CPD offering, 1 CPD activity, "
        "1 survey, 1 meeting rating, 1 survey response, 1 training plan entry, "
        "1 framework, 1 template"
    )
    assert _summary({"trusts": 2, "cpd": 3, "training_plan": 2}) == (
        "2 trusts, 3 CPD activities, 2 training plan entries"
    )


def test_a_trust_of_one_school_exports_as_one_trust_and_one_school(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    assert (
        main(["school", "add", "north", "--name", "North", "--trust", "rivers", "--store", url])
        == 0
    )
    assert (
        main(["trust", "save", "rivers", "--name", "Rivers", "--school", "north", "--store", url])
        == 0
    )

    code, _, err = run(
        capsys, "export", "--trust", "rivers", "-o", str(tmp_path / "b.json"), "-q", "--store", url
    )

    assert code == 0
    assert "Exported 1 trust, 1 school to" in err
    code, _, err = run(capsys, "audit", "show", "--school", "north", "--store", url)
    assert (code, err) == (0, "1 entry\n")  # the school's own record, added
    code, _, err = run(capsys, "audit", "show", "--school", "north", "--store", url, "--kind", "x")
    assert (code, err) == (0, "0 entries\n")


def test_a_school_with_one_priority_says_one_priority(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"

    code, out, _ = run(
        capsys, "school", "add", "oak", "--name", "Oak", "--priority", "P1=Reading", "--store", url
    )

    assert code == 0
    assert "with 0 teams and 1 priority in" in out
