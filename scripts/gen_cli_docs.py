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
severity, 2 usage or input error. Every command that reads or writes data takes
`--store URL` (or `DEVCYCLE_STORE`; default `sqlite:///devcycle.db`).

This page is generated from the commands' own help by `scripts/gen_cli_docs.py`.
"""


def _help(command: click.Command, path: list[str]) -> str:
    with click.Context(command, info_name=" ".join(path), terminal_width=88) as ctx:
        return command.get_help(ctx)


def _walk(command: click.Command, path: list[str]) -> list[str]:
    parts = [f"\n## `{' '.join(path)}`\n", "```text", _help(command, path), "```"]
    if isinstance(command, click.Group):
        with click.Context(command, info_name=" ".join(path)) as ctx:
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    parts.extend(_walk(sub, [*path, name]))
    return parts


def render() -> str:
    """Return the page's Markdown."""
    parts = [HEADER]
    with click.Context(cli, info_name="devcycle") as ctx:
        parts.extend(["\n## `devcycle`\n", "```text", _help(cli, ["devcycle"]), "```"])
        for name in sorted(COMMANDS):
            command = cli.get_command(ctx, name)
            if command is not None:
                parts.extend(_walk(command, ["devcycle", name]))
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    PAGE.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {PAGE}\n")
