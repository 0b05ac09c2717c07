"""Importing devcycle must not import any adapter library."""

from __future__ import annotations

import json
import subprocess
import sys

ADAPTERS = (
    "click",
    "jinja2",
    "sqlalchemy",
    "psycopg",
    "docx",
    "yaml",
    "icalendar",
    "holidays",
    "tomli_w",
)


def test_import_devcycle_imports_no_adapter_library() -> None:
    """A fresh interpreter that imports devcycle has loaded none of the optional libraries."""
    code = (
        "import sys, json, devcycle; "
        f"print(json.dumps([m for m in {ADAPTERS!r} if m in sys.modules]))"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert json.loads(result.stdout) == []


def test_the_public_api_lists_only_names_that_exist() -> None:
    """Every name in devcycle.__all__ is importable."""
    import devcycle

    missing = [name for name in devcycle.__all__ if not hasattr(devcycle, name)]

    assert missing == []
