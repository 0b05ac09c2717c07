"""The command line's help, version and error handling."""

from __future__ import annotations

import subprocess
import sys

import pytest

from devcycle import __version__
from devcycle.cli import main


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    """devcycle --version names the version."""
    status = main(["--version"])

    assert status == 0
    assert __version__ in capsys.readouterr().out


def test_help_lists_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    """devcycle --help lists the subcommands."""
    status = main(["--help"])

    assert status == 0
    assert "demo" in capsys.readouterr().out


def test_an_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A typo exits 2 with a message, not a traceback."""
    status = main(["demoo"])

    assert status == 2
    assert "no such command" in capsys.readouterr().err


def test_the_console_script_runs_as_a_module() -> None:
    """python -m devcycle works like the devcycle script."""
    result = subprocess.run(
        [sys.executable, "-m", "devcycle", "--version"], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0
    assert __version__ in result.stdout
