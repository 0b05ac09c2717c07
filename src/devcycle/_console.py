"""The ``devcycle`` console script: a friendly message when the ``cli`` extra is missing.

The command line needs click, which comes with the ``cli`` extra. Installing devcycle alone
still installs the ``devcycle`` script, so this entry point imports the real command line
only when run and, if click is absent, says how to get it (exit 2) instead of ending in a
``ModuleNotFoundError``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

CLI_EXTRA_HINT = 'the devcycle command needs the "cli" extra: pip install "devcycle[cli]"'


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line, or explain which extra it needs (exit status 2)."""
    try:
        from devcycle.cli import main as cli_main  # noqa: PLC0415 - only when run
    except ModuleNotFoundError as exc:
        if exc.name != "click":
            raise
        print(f"error: {CLI_EXTRA_HINT} (missing: {exc.name})", file=sys.stderr)  # noqa: T201
        return 2
    return cli_main(argv)
