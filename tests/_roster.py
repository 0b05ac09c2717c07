"""Running ``devcycle plan --roster`` from a test: write the roster, plan, capture the output."""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main


def plan_roster(
    tmp_path: Path, url: str, roster: str, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    """Plan school ``stm`` for 2026 from *roster* (written to staff.csv) into *url*.

    Returns the exit status, standard output and standard error of that run alone.
    """
    path = tmp_path / "staff.csv"
    path.write_text(roster, encoding="utf-8")
    capsys.readouterr()
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(path)]
    code = main([*args, "--school", "stm", "--store", url, *extra])
    out, err = capsys.readouterr()
    return code, out, err
