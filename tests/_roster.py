"""Running ``devcycle plan --roster`` from a test: write the roster, plan, capture the output."""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main


def plan_roster(
    tmp_path: Path,
    url: str,
    roster: str,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
    school: str = "stm",
    file_name: str = "staff.csv",
) -> tuple[int, str, str]:
    """Plan *school* for 2026 from *roster* (written to *file_name*) into *url*.

    Returns the exit status, standard output and standard error of that run alone.
    """
    path = tmp_path / file_name
    path.write_text(roster, encoding="utf-8")
    capsys.readouterr()
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(path)]
    code = main([*args, "--school", school, "--store", url, *extra])
    out, err = capsys.readouterr()
    return code, out, err
