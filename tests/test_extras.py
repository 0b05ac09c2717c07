"""Every optional extra, when missing, is named in the error instead of a bare import error.

Each case runs in a fresh interpreter in which the extra's library cannot be imported
(``sys.modules[name] = None`` makes ``import name`` fail as if it were not installed).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

CASES = {
    "cli": (
        ["click"],
        "from devcycle._console import main\nraise SystemExit(main(['--help']))",
    ),
    "sql": (
        ["sqlalchemy"],
        "import devcycle as dc\ndc.open_store('sqlite:///never-made.db')",
    ),
    "postgres": (
        ["psycopg"],
        "import devcycle as dc\ndc.open_store('postgresql+psycopg://u@127.0.0.1:1/db')",
    ),
    "html": (
        ["jinja2"],
        "import devcycle as dc\ndc.render.render(dc.Document(title='t'), 'html')",
    ),
    "docx": (
        ["docx"],
        "import devcycle as dc\ndc.render.render(dc.Document(title='t'), 'docx')",
    ),
    "yaml": (
        ["yaml"],
        "from devcycle import serialization as s\ns.parse('a: 1', 'yaml')",
    ),
    "ics": (
        ["icalendar"],
        "from datetime import datetime, timezone\n"
        "from devcycle.interop.ical import export_ics\n"
        "export_ics([], stamp=datetime(2026, 9, 1, tzinfo=timezone.utc))",
    ),
    "calendars": (
        ["holidays"],
        "from devcycle.interop.bankholidays import UKBankHolidays\nUKBankHolidays('england')",
    ),
    "test": (
        ["hypothesis"],
        "import devcycle.testing.strategies",
    ),
}


def _run_without(modules: list[str], code: str, cwd: str) -> subprocess.CompletedProcess[str]:
    prelude = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("extra", sorted(CASES))
def test_a_missing_extra_is_named_with_its_install_command(extra: str, tmp_path: object) -> None:
    modules, code = CASES[extra]
    result = _run_without(modules, code, str(tmp_path))

    assert result.returncode != 0
    assert f'pip install "devcycle[{extra}]"' in result.stderr, result.stderr[-1500:]


def test_without_the_cli_extra_the_command_exits_2_with_no_traceback(tmp_path: object) -> None:
    modules, code = CASES["cli"]
    result = _run_without(modules, code, str(tmp_path))

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
