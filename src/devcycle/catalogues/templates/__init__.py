"""The registry of cycle templates: shipped TOML files, plug-ins, and a school's own files.

Templates are found by name: first the ``*.toml`` files shipped beside this module, then
plug-ins in the ``devcycle.templates`` entry-point group (a callable returning a
`CycleTemplate`). A school's own file, in the same format, loads with `load_template`.

A template file holds the fields of `CycleTemplate` at its top level (see
``docs/calendars/template-format.md``); a devcycle document envelope (``kind = "template"``,
``schema_version``, ``data``) is accepted too.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from devcycle.catalogues._registry import load_plugin, plugin_names, read_document_file
from devcycle.domain.templates import CycleTemplate, MilestoneRule, Period, Recurrence
from devcycle.errors import NotFoundError, ValidationError
from devcycle.serialization import from_dict, load_document, parse, register_kind

__all__ = [
    "ENTRY_POINT_GROUP",
    "load_template",
    "parse_template",
    "shipped_template_text",
    "template",
    "template_names",
]

ENTRY_POINT_GROUP = "devcycle.templates"

register_kind("template", CycleTemplate)


def _shipped() -> dict[str, str]:
    files = resources.files(__name__)
    return {
        item.name.removesuffix(".toml"): item.name
        for item in files.iterdir()
        if item.name.endswith(".toml")
    }


def template_names() -> tuple[str, ...]:
    """Return the names of every template shipped or installed as a plug-in, sorted."""
    names = set(_shipped())
    names.update(plugin_names(ENTRY_POINT_GROUP))
    return tuple(sorted(names))


_NESTED: dict[type, dict[str, tuple[type, bool]]] = {
    CycleTemplate: {"period": (Period, False), "milestones": (MilestoneRule, True)},
    MilestoneRule: {"recurrence": (Recurrence, False)},
}


def _field_problems(data: Any, cls: type, path: str) -> list[str]:
    """Run the text fields' validators on raw data, so that every bad value is reported.

    The converter stops building an object at its first broken part; this pass finds the
    bad ids, anchors and windows that would otherwise hide behind another problem.
    """
    if not isinstance(data, dict):
        return []
    problems: list[str] = []
    for field in attrs.fields(cls):
        value = data.get(field.name)
        where = f"{path}.{field.name}"
        if isinstance(value, str) and field.validator is not None:
            try:
                field.validator(None, field, value)
            except ValidationError as exc:
                problems.append(f"{exc.summary} @ {where}")
            except ValueError as exc:
                problems.append(f"{exc} @ {where}")
        nested = _NESTED.get(cls, {}).get(field.name)
        if nested is None:
            continue
        inner, many = nested
        if many and isinstance(value, list):
            for index, item in enumerate(value):
                problems.extend(_field_problems(item, inner, f"{where}[{index}]"))
        elif not many:
            problems.extend(_field_problems(value, inner, where))
    return problems


def parse_template(text: str, fmt: str = "toml", *, source: str | None = None) -> CycleTemplate:
    """Build a template from the text of a template file.

    Args:
        text: The file's text.
        fmt: ``toml`` (the usual), ``json`` or ``yaml``.
        source: Where the text came from, for messages.

    Raises:
        ValidationError: Listing every problem found, each with its path (``@ $.milestones[2]``).
    """
    data: Any = parse(text, fmt, source=source)
    if isinstance(data, dict) and "kind" in data and "data" in data:
        result: CycleTemplate = load_document(data, CycleTemplate, source=source)
        return result
    early = _field_problems(data, CycleTemplate, "$")
    try:
        return from_dict(data, CycleTemplate, source=source)
    except ValidationError as exc:
        if not early:
            raise
        seen = {p.rsplit(" @ ", 1)[0] for p in early}
        rest = [p for p in exc.problems if p.rsplit(" @ ", 1)[0] not in seen]
        raise ValidationError([*early, *rest], source=source) from None


def shipped_template_text(name: str) -> str:
    """Return the TOML text of the shipped template *name*, comments and sources included.

    Raises:
        NotFoundError: If no shipped template has that name.
    """
    shipped = _shipped()
    if name not in shipped:
        raise NotFoundError("shipped template", name, known=list(shipped))
    return resources.files(__name__).joinpath(shipped[name]).read_text(encoding="utf-8")


@functools.cache
def template(name: str) -> CycleTemplate:
    """Return the template registered as *name* ("england-teacher", say).

    Raises:
        NotFoundError: If no template has that name.
        PluginError: If a plug-in template fails to load.
    """
    shipped = _shipped()
    if name in shipped:
        return parse_template(
            shipped_template_text(name), source=f"devcycle:templates/{shipped[name]}"
        )
    loaded = load_plugin(ENTRY_POINT_GROUP, name, CycleTemplate, "template")
    if loaded is not None:
        return loaded
    raise NotFoundError("template", name, known=template_names())


def load_template(path: str | Path) -> CycleTemplate:
    """Load a school's own template file (TOML, or JSON or YAML by suffix).

    Raises:
        ValidationError: Naming the file and every problem in it, each with its path.
    """
    text, fmt = read_document_file(path, (".toml", ".json", ".yaml", ".yml"))
    return parse_template(text, fmt, source=str(path))
