"""Every parser of user data as a function of raw bytes, for the fuzzers.

A target takes the bytes of a file and reads them as devcycle would (UTF-8 first, through
`devcycle.fileio.decode_text`), raising a `devcycle.errors.DevcycleError` for any input it
refuses. Any other exception is a bug: the fuzzers report it.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Final

from devcycle.access.policy import _parse_text as parse_policy_text
from devcycle.catalogues.templates import parse_template
from devcycle.cli.check import _load_config
from devcycle.errors import DevcycleError
from devcycle.fileio import decode_text
from devcycle.interop.calendars import parse_calendar, parse_calendar_csv, parse_calendar_ics
from devcycle.interop.objectives import parse_objectives
from devcycle.interop.roster import parse_roster
from devcycle.proforma.stages import _parse_text as parse_stage_text
from devcycle.serialization import parse
from devcycle.storage.bundle import import_bundle
from devcycle.storage.memory import MemoryStore

Target = Callable[[bytes], object]

EXPECTED: Final = (DevcycleError,)
"""What a parser may raise for bad input: devcycle's own errors, with a message."""


def _text(data: bytes) -> str:
    return decode_text(data, source="fuzz")


def _objectives(fmt: str) -> Target:
    return lambda data: parse_objectives(_text(data), fmt, source=f"o.{fmt}")


def _calendar(fmt: str) -> Target:
    return lambda data: parse_calendar(_text(data), fmt, source=f"c.{fmt}")


def _template(fmt: str) -> Target:
    return lambda data: parse_template(_text(data), fmt, source=f"t.{fmt}")


def _bundle(data: bytes) -> object:
    with MemoryStore() as store:
        return import_bundle(store, parse(_text(data), "json", source="b.json"), source="b.json")


_SCRATCH = Path(tempfile.mkdtemp(prefix="devcycle-fuzz-"))
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)


def _checker_config(data: bytes) -> object:
    """As `devcycle check --config FILE` reads it: from a file, with the CLI's limits."""
    path = _SCRATCH / "c.toml"
    path.write_bytes(data)
    return _load_config(path)


TARGETS: Final[dict[str, Target]] = {
    "roster": lambda data: parse_roster(_text(data), school_id="s", source="r.csv"),
    **{f"objectives-{fmt}": _objectives(fmt) for fmt in ("json", "jsonl", "yaml", "toml", "csv")},
    **{f"calendar-{fmt}": _calendar(fmt) for fmt in ("toml", "yaml", "json")},
    "calendar-csv": lambda data: parse_calendar_csv(_text(data), name="c", source="c.csv"),
    "calendar-ics": lambda data: parse_calendar_ics(data, name="c", source="c.ics"),
    **{f"template-{fmt}": _template(fmt) for fmt in ("toml", "yaml", "json")},
    "stage": lambda data: parse_stage_text(_text(data), "s.toml"),
    "policy": lambda data: parse_policy_text(_text(data), "p.toml", None),
    "checker-config": _checker_config,
    "bundle": _bundle,
}
"""Target name -> the parser; the name is also the seed folder under ``seeds/``."""
