"""What every catalogue registry shares: plug-ins by entry point, and files read by suffix."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import TypeVar

from devcycle.errors import PluginError, ValidationError
from devcycle.fileio import read_text

T = TypeVar("T")

SUFFIX_FORMATS = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}
"""File suffix -> the `devcycle.serialization` format it is read as."""


def load_plugin(group: str, name: str, expected: type[T], what: str) -> T | None:
    """Load the plug-in *name* from entry-point *group*, or return None if there is none.

    The entry point names a callable that returns an *expected* instance.

    Raises:
        PluginError: If the plug-in fails to load or returns something else.
    """
    for entry_point in metadata.entry_points(group=group, name=name):
        try:
            loaded = entry_point.load()()
        except Exception as exc:
            msg = f"{what} plug-in {name!r} ({entry_point.value}) failed to load: {exc}"
            raise PluginError(msg) from exc
        if not isinstance(loaded, expected):
            msg = (
                f"{what} plug-in {name!r} returned {type(loaded).__name__}, "
                f"not a {expected.__name__}"
            )
            raise PluginError(msg)
        return loaded
    return None


def plugin_names(group: str) -> set[str]:
    """Return the names registered in entry-point *group*."""
    return {entry_point.name for entry_point in metadata.entry_points(group=group)}


def read_document_file(
    path: str | Path, suffixes: tuple[str, ...] = (".json", ".toml", ".yaml", ".yml")
) -> tuple[str, str]:
    """Read a catalogue file, returning its text and its format from the suffix.

    Args:
        path: The file.
        suffixes: The suffixes accepted, in the order the error message lists them (the
            catalogue's own format first).

    Raises:
        ValidationError: Naming the file, for an unknown suffix or a file that cannot be read.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in suffixes:
        listed = ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}"
        got = file.suffix or "no suffix"
        raise ValidationError([f"expected a {listed} file (got {got!r}) @ $"], source=str(file))
    fmt = SUFFIX_FORMATS[suffix]
    return read_text(file), fmt
