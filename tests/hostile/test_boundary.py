"""Every hostile input in `cases.CASES` ends in one clear message with exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.cases import CASES, Case, run_case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_gets_a_clear_error(case: Case, tmp_path: Path) -> None:
    """Exit 2, an 'error:' message naming what was expected, no traceback, nothing else."""
    outcome = run_case(case, tmp_path)

    assert outcome.status == 2, outcome.err
    assert "Traceback" not in outcome.err
    assert "error: " in outcome.err.lower(), outcome.err
    assert case.expect in outcome.err
    assert "\x1b" not in outcome.err
