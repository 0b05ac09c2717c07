"""The registry of professional standards frameworks."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from devcycle.catalogues._registry import load_plugin, plugin_names, read_document_file
from devcycle.domain.standards import Framework
from devcycle.errors import NotFoundError
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
    names.update(plugin_names(ENTRY_POINT_GROUP))
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
    loaded = load_plugin(ENTRY_POINT_GROUP, name, Framework, "framework")
    if loaded is not None:
        return loaded
    raise NotFoundError("framework", name, known=framework_names())


def load_framework(path: str | Path) -> Framework:
    """Load a framework document (JSON, TOML or YAML, by suffix) written in the shipped format.

    Raises:
        ValidationError: Naming the file and every problem in it.
    """
    text, fmt = read_document_file(path)
    result: Framework = loads(text, Framework, fmt, source=str(path))
    return result
