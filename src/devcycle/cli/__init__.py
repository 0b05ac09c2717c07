"""The ``devcycle`` command line (the ``cli`` extra).

Subcommands live in their own modules and are imported only when run, so that
``devcycle --help`` stays fast. Exit status: 0 ok, 1 findings, 2 usage or input error,
3 an internal error (a bug in devcycle: the message says how to see the traceback).

`main` is the one boundary for people's mistakes: whatever a command raises while reading
their files, standard input or options, or writing the outputs they asked for, ends as one
``error:`` line naming what and where, with exit status 2 and no traceback.

One error style everywhere: a failure's first line on standard error starts ``error: ``
(lower case, as devcycle's own messages are written), whether click found it (an unknown
option, a missing argument, a bad value) or devcycle did. A usage error adds the command's
usage and where to get help on the lines after it; an internal error (exit 3) adds how to
see the traceback.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import logging
import os
import re
import sys
from collections.abc import Sequence

import click

from devcycle._version import __version__
from devcycle.cli._safe import terminal_safe
from devcycle.errors import DevcycleError, did_you_mean
from devcycle.fileio import describe_os_error

__all__ = ["COMMANDS", "DEBUG_ENV", "main"]

DEBUG_ENV = "DEVCYCLE_DEBUG"
"""Set to 1 to see the traceback of an internal error instead of a one-line message."""

COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("devcycle.cli.demo", "demo", "Build a realistic sample school and save it."),
    "check": ("devcycle.cli.check", "check", "Check objectives SMART-style and for bad practice."),
    "rules": ("devcycle.cli.check", "rules", "List the checker's rules, or explain one."),
    "template": ("devcycle.cli.plan", "template", "List, show and copy cycle templates."),
    "calendar": ("devcycle.cli.plan", "calendar", "Make and export school calendars."),
    "plan": ("devcycle.cli.plan", "plan", "Schedule cycles from a template and a calendar."),
    "bank": ("devcycle.cli.plan", "bank", "Add to and check a school's own objective bank."),
    "school": ("devcycle.cli.school", "school", "Create schools and show what the store holds."),
    "trust": ("devcycle.cli.trust", "trust", "Create and change trusts, and show them."),
    "export": ("devcycle.cli.store", "export", "Export a school or trust as one bundle."),
    "import": ("devcycle.cli.store", "import_", "Import a bundle into a store, all or nothing."),
    "proforma": ("devcycle.cli.proforma", "proforma", "Write review proformas."),
    "report": ("devcycle.cli.report", "report", "Reports school leaders act on."),
    "voice": ("devcycle.cli.voice", "voice", "Record meeting ratings and process-survey answers."),
    "audit": ("devcycle.cli.privacy", "audit", "Read, check and export the audit log."),
    "person": ("devcycle.cli.privacy", "person", "Subject access export and erasure."),
    "retention": ("devcycle.cli.privacy", "retention", "Plan and purge by retention rules."),
    "access": (
        "devcycle.cli.access",
        "access",
        "Show the access policy; check what an actor may do.",
    ),
}
"""Subcommand name -> (module, attribute, one-line help). Modules load on first use."""


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (module, _a, _h) in COMMANDS.items() if _available(module))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None or not _available(entry[0]):
            return None
        module, attribute, _help = entry
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            msg = f"{module}.{attribute} is not a click command"
            raise TypeError(msg)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="devcycle")
def cli() -> None:
    """devcycle: staff development cycles in schools, done well."""


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 - one exit per kind
    """Run the command line with *argv* and return the exit status (0 ok, 1 findings, 2 error).

    Errors devcycle raises on purpose (bad input, a missing extra) print one clear message
    to standard error and exit 2, never a traceback.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    _quiet_libraries()
    try:
        result = cli.main(args=args, prog_name="devcycle", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("error: aborted", err=True)
        return 2
    except click.ClickException as exc:
        # Every ClickException is a usage or input error (exit 2); findings return 1 as a
        # command's result, never by raising.
        if isinstance(exc, click.UsageError):
            return _usage_error(exc)
        return _error(_as_sentence(exc.format_message()))
    except DevcycleError as exc:
        return _error(str(exc))
    except BrokenPipeError:  # the reader of our output went away (devcycle ... | head)
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        click.echo("error: interrupted", err=True)
        return 130
    except Exception as exc:
        if os.environ.get(DEBUG_ENV):
            raise
        return _unexpected(exc)
    return int(result) if isinstance(result, int) else 0


_LIBRARY_LOGGERS = ("sqlalchemy", "psycopg")


def _quiet_libraries() -> None:
    """Keep the database libraries' own log lines off standard error.

    With no logging set up, Python prints a library's warnings and errors on standard
    error ("error ignored in rollback...", a connection pool's traceback when the server
    went away), after devcycle's one message about the same failure. A NullHandler stops
    that last resort; records still reach any handler an embedder or ``DEVCYCLE_DEBUG=1``
    sets up on the root logger.
    """
    if os.environ.get(DEBUG_ENV):
        return
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def _error(message: str) -> int:
    click.echo(f"error: {terminal_safe(message, multiline=True)}", err=True)
    return 2


def _as_sentence(message: str) -> str:
    r"""Click's message in devcycle's style: one line, lower-case start, no closing full stop.

    >>> _as_sentence("No such option '--bogus'. Did you mean '--user'?")
    "no such option '--bogus'; did you mean '--user'?"
    >>> _as_sentence("Missing argument 'REPORT'. Choose from:\n\tcoverage,\n\thealth")
    "missing argument 'REPORT'; choose from: coverage, health"
    """
    text = re.sub(r"\s*\n\s*", " ", message.strip())
    text = re.sub(r"\.\s+([A-Z])(?=[a-z])", lambda m: f"; {m.group(1).lower()}", text)
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text.removesuffix(".")


def _usage_error(exc: click.UsageError) -> int:
    """Report a usage error as every error is reported, then the usage and how to get help."""
    message = _as_sentence(exc.format_message())
    unknown = re.fullmatch(r"no such command '(.+)'", message)
    if unknown and exc.ctx is not None and isinstance(exc.ctx.command, click.Group):
        hint = did_you_mean(unknown.group(1), exc.ctx.command.list_commands(exc.ctx))
        message = f"{message}; {hint}" if hint else message
    _error(message)
    if exc.ctx is not None:
        click.echo(exc.ctx.get_usage(), err=True)
        click.echo(f"Try '{exc.ctx.command_path} --help' for help.", err=True)
    return 2


def _unexpected(exc: Exception) -> int:
    """Report an exception no devcycle code turned into a message: input or a bug."""
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return _error(f"cannot use{where}: {describe_os_error(exc)}")
    if isinstance(exc, RecursionError):
        return _error("the input is nested too deeply to read")
    if isinstance(exc, MemoryError):
        return _error("the input is too large to hold in memory")
    if isinstance(exc, UnicodeError):
        return _error(f"text that cannot be read or written as UTF-8: {exc}")
    if isinstance(exc, csv.Error):
        return _error(f"not valid CSV: {exc}")
    click.echo(
        f"error: internal error: {type(exc).__name__}: {terminal_safe(str(exc))}\n"
        f"This is a bug in devcycle; run again with {DEBUG_ENV}=1 to see the traceback "
        "and please report it.",
        err=True,
    )
    return 3


def _silence_stdout() -> None:
    # Python flushes stdout at exit and would report the broken pipe again.
    with open(os.devnull, "w", encoding="utf-8") as devnull:  # noqa: PTH123
        os.dup2(devnull.fileno(), sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
