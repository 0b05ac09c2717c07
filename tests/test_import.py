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
    "orjson",
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


def test_the_wheel_run_tests_the_installed_wheel_not_the_source() -> None:
    """In CI's wheel run (DEVCYCLE_EXPECT_INSTALLED=wheel), devcycle comes from site-packages."""
    import os
    from pathlib import Path

    import devcycle

    location = Path(devcycle.__file__).resolve()
    source = Path(__file__).resolve().parent.parent / "src"
    if os.environ.get("DEVCYCLE_EXPECT_INSTALLED") == "wheel":
        assert source not in location.parents, location
        assert "site-packages" in location.parts
    else:
        assert location.name == "__init__.py"
