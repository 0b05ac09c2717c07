"""docs/reference/bad-input.md is what scripts/gen_bad_input_docs.py writes from the cases."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_bad_input_page_is_up_to_date() -> None:
    """Every case's message in the docs is the one the command line prints today."""
    spec = importlib.util.spec_from_file_location(
        "gen_bad_input_docs", ROOT / "scripts" / "gen_bad_input_docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    expected = module.build()
    actual = (ROOT / "docs" / "reference" / "bad-input.md").read_text(encoding="utf-8")
    assert expected == actual, "run: python scripts/gen_bad_input_docs.py"
