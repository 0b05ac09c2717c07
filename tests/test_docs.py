"""Every Python code block in the README and docs/, and every script in examples/, runs."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from devcycle.storage import base as storage_base

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
FENCED = re.compile(r"^```(\w*)\n(.*?)^```\n", re.DOTALL | re.MULTILINE)
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def _blocks(page: Path) -> list[str]:
    return FENCE.findall(page.read_text(encoding="utf-8"))


def _outputs(text: str) -> dict[str, str]:
    """Each python block followed by an ``output`` block (only blank lines between): its output.

    Blocks are paired one by one in the order they come, so an output is never paired with a
    python block further up the page.
    """
    fences = list(FENCED.finditer(text))
    pairs: dict[str, str] = {}
    for code, shown in itertools.pairwise(fences):
        between = text[code.end() : shown.start()]
        if code.group(1) == "python" and shown.group(1) == "output" and not between.strip():
            pairs[code.group(2)] = shown.group(2)
    return pairs


@pytest.mark.parametrize(
    "page",
    [p for p in PAGES if _blocks(p)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_code_blocks_in_each_page_run_in_order(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page's python blocks run top to bottom in one namespace, in a scratch directory."""
    monkeypatch.chdir(tmp_path)
    # A page may register a storage scheme (custom-storage.md registers "dict"): it is
    # forgotten after the page, so no later test sees it among the store's schemes.
    monkeypatch.setattr(storage_base, "_REGISTERED", dict(storage_base._REGISTERED))
    namespace: dict[str, object] = {"__name__": "__docs__"}
    expected = _outputs(page.read_text(encoding="utf-8"))
    for index, block in enumerate(_blocks(page)):
        code = compile(block, f"{page.name}[block {index + 1}]", "exec")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)  # running our own documentation is the point
        if block in expected:  # an ```output block after it shows what it prints
            assert printed.getvalue() == expected.pop(block), f"{page.name} block {index + 1}"
    assert not expected, f"{page.name}: output blocks paired with no block that ran"


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_each_example_script_runs(script: Path, tmp_path: Path) -> None:
    """Each example runs as a user would run it, and exits 0."""
    env = {**os.environ, "DEVCYCLE_STORE": f"sqlite:///{tmp_path / 'example.db'}"}
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr[-2000:]


def test_the_docs_runner_sees_the_tutorial() -> None:
    """Guard against fence patterns that silently match nothing."""
    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    assert len(_blocks(ROOT / "docs" / "tutorial.md")) >= 6
    assert len(_outputs(tutorial)) >= 2


def test_an_output_block_is_paired_with_the_python_block_just_above_it() -> None:
    """Not with a block further up: every output shown is checked against its own block."""
    page = (
        "```python\nx = 1\n```\n\nText.\n\n```python\nprint(x)\n```\n\n```output\n1\n```\n"
        "\n```python\nprint(2)\n```\nText between.\n```output\n2\n```\n"
    )

    assert _outputs(page) == {"print(x)\n": "1\n"}


def test_no_page_points_outside_the_repository() -> None:
    """Users have the repository only: no README or docs page refers to ../shared or above."""
    offenders = [
        str(page.relative_to(ROOT))
        for page in PAGES
        if re.search(r"\.\./shared|\]\(\.\./\.\./", page.read_text(encoding="utf-8"))
    ]
    assert offenders == []
