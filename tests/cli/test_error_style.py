"""One error style across the command line (issue 14, item 3).

Whatever fails and whoever notices (click parsing the options or devcycle reading the
input), the first line on standard error starts ``error: ``, the exit status is 2, and
click's own ``Error:`` never appears. Every date option shows and asks for YYYY-MM-DD.
"""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from devcycle.cli import COMMANDS, cli, main
from devcycle.cli._dates import Day


def _commands() -> Iterator[tuple[list[str], click.Command]]:
    """Every command and subcommand, with the words that name it."""
    ctx = click.Context(cli, info_name="devcycle")
    for name in sorted(COMMANDS):
        command = cli.get_command(ctx, name)
        assert command is not None, name
        yield [name], command
        if isinstance(command, click.Group):
            sub_ctx = click.Context(command, info_name=name, parent=ctx)
            for sub_name in command.list_commands(sub_ctx):
                sub = command.get_command(sub_ctx, sub_name)
                assert sub is not None
                yield [name, sub_name], sub


COMMAND_PATHS = [path for path, _command in _commands()]
DATE_OPTIONS = [
    (path, option.opts[-1])
    for path, command in _commands()
    for option in command.params
    if isinstance(option, click.Option) and isinstance(option.type, Day)
]


def _fails_in_style(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    status = main(argv)
    err = capsys.readouterr().err
    assert status == 2, (argv, err)
    assert err.startswith("error: "), (argv, err)
    assert "Error:" not in err, (argv, err)
    assert "Traceback" not in err, (argv, err)
    return err


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_an_unknown_option_is_an_error_line_then_usage(
    capsys: pytest.CaptureFixture[str], path: list[str]
) -> None:
    err = _fails_in_style(capsys, [*path, "--zzz"])
    first, *rest = err.splitlines()
    assert first == "error: no such option '--zzz'", err
    assert rest[0].startswith(f"Usage: devcycle {' '.join(path)}")
    assert rest[-1] == f"Try 'devcycle {' '.join(path)} --help' for help."


def test_an_unknown_command_is_an_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails_in_style(capsys, ["demoo"])
    assert err.splitlines()[0] == "error: no such command 'demoo'; did you mean 'demo'?"
    err = _fails_in_style(capsys, ["school", "shwo"])
    assert err.splitlines()[0] == "error: no such command 'shwo'; did you mean 'show'?"
    err = _fails_in_style(capsys, ["zzzz"])
    assert err.splitlines()[0] == "error: no such command 'zzzz'"


def test_a_missing_argument_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails_in_style(capsys, ["report"])
    assert err.splitlines()[0].startswith("error: missing argument 'REPORT'; choose from: ")


def test_a_bad_choice_is_an_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails_in_style(capsys, ["report", "helth", "--store", "memory://"])
    assert err.startswith("error: invalid value for 'REPORT'"), err


def test_devcycle_s_own_errors_keep_the_same_style(capsys: pytest.CaptureFixture[str]) -> None:
    err = _fails_in_style(capsys, ["report", "health", "--store", "memory://", "--school", "x"])
    assert "no school" in err.splitlines()[0], err


def test_there_are_date_options_to_check() -> None:
    assert len(DATE_OPTIONS) >= 4, DATE_OPTIONS


@pytest.mark.parametrize(("path", "option"), DATE_OPTIONS, ids=str)
def test_every_date_option_asks_for_yyyy_mm_dd(
    capsys: pytest.CaptureFixture[str], path: list[str], option: str
) -> None:
    err = _fails_in_style(capsys, [*path, option, "2026-13-01"])
    assert "expected a date as YYYY-MM-DD" in err.splitlines()[0], err


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_help_shows_dates_one_way(capsys: pytest.CaptureFixture[str], path: list[str]) -> None:
    assert main([*path, "--help"]) == 0
    assert "%Y" not in capsys.readouterr().out
