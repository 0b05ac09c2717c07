"""The generated rule pages in docs/rules/ match the rule metadata."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from devcycle.rules import RuleSet

ROOT = Path(__file__).resolve().parents[2]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_rule_docs", ROOT / "scripts" / "gen_rule_docs.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_rule_docs", module)
    spec.loader.exec_module(module)
    return module


def test_rule_pages_are_up_to_date() -> None:
    """Run 'python scripts/gen_rule_docs.py' when this fails."""
    assert _generator().stale_pages() == []


def test_every_rule_has_a_page_and_an_index_row() -> None:
    """One page per rule, each listed in the index table."""
    index = (ROOT / "docs" / "rules" / "index.md").read_text(encoding="utf-8")

    for meta in RuleSet.builtin().metas:
        assert (ROOT / "docs" / "rules" / f"{meta.code}.md").exists()
        assert f"[{meta.code}]({meta.code}.md)" in index
