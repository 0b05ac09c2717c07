"""The command-line reference page matches the commands' help."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_reference_page_is_up_to_date() -> None:
    """docs/reference/cli.md is what scripts/gen_cli_docs.py writes now."""
    spec = importlib.util.spec_from_file_location(
        "gen_cli_docs", ROOT / "scripts" / "gen_cli_docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    expected = module.render()

    actual = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    assert expected == actual, "run: python scripts/gen_cli_docs.py"
