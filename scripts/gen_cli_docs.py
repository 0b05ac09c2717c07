"""Write docs/reference/cli.md from the command line's own help text.

Run: python scripts/gen_cli_docs.py   (tests/test_cli_docs.py fails when the page is stale)
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from devcycle.cli import COMMANDS, cli

PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "cli.md"
HEADER = """# Command line

The `devcycle` command (the `cli` extra). Exit status: 0 ok, 1 findings at the chosen
severity, 2 usage or input error, 3 an internal error (a bug). Every command that reads or
writes data takes `--store URL` (or `DEVCYCLE_STORE`; default `sqlite:///devcycle.db`).
Dates are written YYYY-MM-DD everywhere (a staff roster's cells may also be DD/MM/YYYY,
day first: see [file formats](file-formats.md#roster-dates)).

Every `-o`/`--output` takes `-` for standard output (`-o -`; for a binary format such as
docx, only into a pipe). An output that is the store's own database file (or its `-wal`,
`-shm` or `-journal` file), or a file inside a JSON store's folder, is refused before
anything is read or written (exit status 2): paths are compared resolved, and by identity
where the file exists, so a symbolic or hard link to the store is refused too.

User text a command prints (a name, a title, a file name) is shown, never obeyed by the
terminal: every control character but line breaks and tabs is printed as an escape such as
`\\x1b`, and text that is one cell or one row of a table (a name in the at-a-glance table, a
table cell of a text report) stays on its line (its line breaks shown as `\\x0a`, or as a
space in a report's table). Documents and data asked for on standard output (CSV, HTML,
Markdown, TOML) are written exactly; JSON writes DEL, C1 controls and bidirectional
overrides as `\\u` escapes (the same JSON), and iCalendar text, which may hold no control
character, shows one as U+FFFD.

Every error has one style, whether click or devcycle noticed it: its first line on standard
error starts `error: `, in lower case, naming what was wrong and what was expected. A usage
error (an unknown option, a missing argument, a bad value) then shows the command's usage
and where to get help:

```text
$ devcycle report health --as-of 2026-13-01
error: invalid value for '--as-of': expected a date as YYYY-MM-DD, got '2026-13-01'
Usage: devcycle report [OPTIONS] REPORT
Try 'devcycle report --help' for help.
```

This page is generated from the commands' own help by `scripts/gen_cli_docs.py`.
"""


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    """A context built as click builds it: the command's settings, inherited from its parent."""
    settings = dict(command.context_settings)
    settings.setdefault("terminal_width", 88)
    settings.setdefault("max_content_width", 88)
    return click.Context(command, info_name=name, parent=parent, **settings)


def _walk(command: click.Command, name: str, parent: click.Context | None) -> list[str]:
    ctx = _context(command, name, parent)
    parts = [f"\n## `{ctx.command_path}`\n", "```text", command.get_help(ctx), "```"]
    if isinstance(command, click.Group):
        names = sorted(COMMANDS) if command is cli else command.list_commands(ctx)
        for sub_name in names:
            sub = command.get_command(ctx, sub_name)
            if sub is not None:
                parts.extend(_walk(sub, sub_name, ctx))
    return parts


def render() -> str:
    """Return the page's Markdown."""
    return "\n".join([HEADER, *_walk(cli, "devcycle", None)]) + "\n"


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")
