"""The registry of professional standards frameworks."""

from __future__ import annotations

import functools
from importlib import metadata, resources
from pathlib import Path

from devcycle.domain.standards import Framework
from devcycle.errors import NotFoundError, PluginError, ValidationError
from devcycle.serialization import loads

__all__ = ["framework", "framework_names", "load_framework"]

ENTRY_POINT_GROUP = "devcycle.frameworks"


def _shipped() -> dict[str, str]:
    files = resources.files(__name__)
    return {
        item.name.removesuffix(".json"): item.name
        for item in files.iterdir()
        if item.name.endswith(".json")
    }


def framework_names() -> tuple[str, ...]:
    """Return the names of every framework shipped or installed as a plug-in, sorted."""
    names = set(_shipped())
    names.update(ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP))
    return tuple(sorted(names))


@functools.cache
def framework(name: str) -> Framework:
    """Return the framework registered as *name* ("england-teachers-standards", say).

    Raises:
        NotFoundError: If no framework has that name.
        PluginError: If a plug-in framework fails to load.
    """
    shipped = _shipped()
    if name in shipped:
        text = resources.files(__name__).joinpath(shipped[name]).read_text(encoding="utf-8")
        result: Framework = loads(text, Framework, source=f"devcycle:frameworks/{shipped[name]}")
        return result
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP, name=name):
        try:
            loaded = entry_point.load()()
        except Exception as exc:
            msg = f"framework plug-in {name!r} ({entry_point.value}) failed to load: {exc}"
            raise PluginError(msg) from exc
        if not isinstance(loaded, Framework):
            msg = f"framework plug-in {name!r} returned {type(loaded).__name__}, not a Framework"
            raise PluginError(msg)
        return loaded
    raise NotFoundError("framework", name, known=framework_names())


def load_framework(path: str | Path) -> Framework:
    """Load a framework document (JSON, TOML or YAML, by suffix) written in the shipped format.

    Raises:
        ValidationError: Naming the file and every problem in it.
    """
    file = Path(path)
    fmt = {".json": "json", ".toml": "toml", ".yaml": "yaml", ".yml": "yaml"}.get(
        file.suffix.lower()
    )
    if fmt is None:
        raise ValidationError(
            [
                f"expected a .json, .toml, .yaml or .yml file (got {file.suffix or 'no suffix'!r})"
                " @ $"
            ],
            source=str(file),
        )
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError([f"cannot read the file: {exc} @ $"], source=str(file)) from None
    result: Framework = loads(text, Framework, fmt, source=str(file))
    return result
