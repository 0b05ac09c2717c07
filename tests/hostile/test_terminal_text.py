"""Hostile names and titles reach the terminal as text: no command prints a control character.

Every command prints through `devcycle.cli._safe.echo`, which escapes control characters
(keeping line breaks and tabs); rows of a table keep user text on one line.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import devcycle.cli
from devcycle.cli import main

_EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SCHOOL_NAME = "Evil\x1b]0;x\x07School"
TITLE = "\x1b]0;pwned\x07X\nY"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A school planned from a roster with hostile names, with a hostile team milestone."""
    folder = tmp_path_factory.mktemp("hostile-names")
    text = (_EXAMPLES / "staff.csv").read_text(encoding="utf-8")
    text = text.replace("Hannah Cole", "Bad\x1b]0;owned\x07Name")
    text = text.replace("Priya Nair", '"Two\nLines\x9b2J"')
    roster = folder / "staff.csv"
    roster.write_text(text, encoding="utf-8")
    url = f"sqlite:///{folder / 's.db'}"
    plan = ["plan", "--template", "england-teacher", "--year", "2026", "--store", url]
    school = ["--roster", str(roster), "--school", "brook", "--school-name", SCHOOL_NAME]
    assert main([*plan, *school]) == 0
    milestone = ["school", "team-milestone", "brook", "ks2", "m1", "--store", url]
    assert main([*milestone, "--title", TITLE, "--due", "2026-11-02"]) == 0
    return url


def _assert_safe(text: str) -> None:
    found = sorted({f"U+{ord(c):04X}" for c in _CONTROL.findall(text)})
    assert not found, f"control characters reached the terminal: {found}"


@pytest.mark.parametrize(
    "argv",
    [
        ("plan", "--template", "england-teacher", "--year", "2026", "--school", "brook"),
        ("school", "list"),
        ("school", "show", "brook"),
        ("school", "team-milestone", "brook", "ks2", "m1", "--title", TITLE),
        ("calendar", "export", "--school", "brook", "--format", "table", "--as-of", "2026-10-01"),
        ("report", "progress", "--school", "brook", "--as-of", "2026-10-01"),
        ("report", "overdue", "--school", "brook", "--as-of", "2026-10-01"),
        ("report", "progress", "--school", "brook", "--team", "no\x1b]0;x\x07pe"),
    ],
    ids=lambda argv: "-".join(argv[:2]),
)
def test_hostile_names_never_reach_the_terminal_raw(
    store: str, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """No C0 or C1 control character (but line breaks and tabs) on stdout or stderr."""
    main([*argv, "--store", store])

    captured = capsys.readouterr()
    _assert_safe(captured.out)
    _assert_safe(captured.err)


def test_planning_from_a_hostile_roster_prints_no_control_character(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """plan with a hostile school name and roster names: the schedule and confirmation."""
    text = (_EXAMPLES / "staff.csv").read_text(encoding="utf-8")
    roster = tmp_path / "staff.csv"
    roster.write_text(text.replace("Hannah Cole", "Bad\x1b]0;owned\x07Name"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 's.db'}"
    plan = ["plan", "--template", "england-teacher", "--year", "2026", "--store", url]
    school = ["--roster", str(roster), "--school", "brook", "--school-name", SCHOOL_NAME]

    assert main([*plan, *school, "--dry-run"]) == 0
    assert main([*plan, *school]) == 0

    captured = capsys.readouterr()
    _assert_safe(captured.out)
    _assert_safe(captured.err)
    assert "Evil\\x1b]0;x\\x07School" in captured.out
    assert "Bad\\x1b]0;owned\\x07Name" in captured.out


def test_the_at_a_glance_table_shows_names_escaped_on_their_rows(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name with a line break stays on its line; the escape is shown, not obeyed."""
    main(["calendar", "export", "--school", "brook", "--format", "table", "--store", store])

    out = capsys.readouterr().out
    assert "Bad\\x1b]0;owned\\x07Name" in out
    rows = [line for line in out.splitlines() if "Lines" in line]
    assert rows
    assert all(line.startswith("Two") for line in rows)
    assert any("\\x1b]0;pwned\\x07X" in line and "Y" in line for line in out.splitlines())


def test_a_table_cell_with_a_line_break_stays_on_its_row(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text reports show a line break inside a cell as a space: the table keeps its rows."""
    main(["report", "progress", "--school", "brook", "--as-of", "2026-10-01", "--store", store])

    out = capsys.readouterr().out
    assert "Two Lines\\x9b2J" in out
    assert not any(line.startswith("Lines") for line in out.splitlines())


def test_every_command_prints_through_the_one_safe_echo() -> None:
    """No command module calls click.echo (or print) directly: all output is escaped."""
    folder = Path(devcycle.cli.__file__).parent
    direct = []
    for module in sorted(folder.glob("*.py")):
        if module.name in ("__init__.py", "_safe.py"):
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = ast.unparse(func)
                if name in ("click.echo", "click.secho", "print"):
                    direct.append(f"{module.name}:{node.lineno} {name}")
    assert direct == []


@pytest.mark.parametrize(
    "argv",
    [
        ("export", "--school", "brook"),
        ("report", "progress", "--school", "brook", "--as-of", "2026-10-01", "--format", "json"),
        ("calendar", "export", "--school", "brook"),
    ],
    ids=lambda argv: "-".join(argv[:2]),
)
def test_data_on_standard_output_carries_no_control_character(
    store: str, argv: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON escapes C1 controls as \\u009b (the same JSON); iCalendar text shows U+FFFD."""
    assert main([*argv, "--store", store]) == 0

    out = capsys.readouterr().out
    _assert_safe(out.replace("\r\n", "\n"))
    if argv[-1] == "json" or argv[0] == "export":
        assert "Lines\\u009b2J" in out
        # the same data: the name read back holds the character itself
        assert "Two\\nLines\x9b2J" in json.dumps(json.loads(out), ensure_ascii=False)
