"""Stage definitions: which sections a proforma has, read from TOML files.

Each stage (planning, check-in, final review...) is a TOML file: a ``[stage]`` table and an
array of ``[[sections]]``, each naming a *source* (what fills it) and options for that
source. devcycle ships one file per stage in ``devcycle/proforma/stages/``; a school copies
one, renames titles and labels, removes or reorders sections, or adds its own sections of
write-in fields, and passes the file (or a folder of them) to `get_stage` or the CLI.

Example of a school's own stage file::

    [stage]
    id = "final"
    title = "End of year conversation"
    review_kinds = ["final"]

    [[sections]]
    id = "objectives"
    title = "How did it go?"
    source = "evaluations"

    [[sections]]
    id = "hopes"
    title = "Hopes for next year"
    source = "fields"
    fields = [{ label = "What I'd like to try", lines = 4 }]
"""

from __future__ import annotations

import functools
import importlib.metadata
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final

import attrs

from devcycle.domain import Audience
from devcycle.errors import NotFoundError, PluginError, ValidationError
from devcycle.fileio import read_text

__all__ = [
    "ENTRY_POINT_GROUP",
    "SectionSpec",
    "StageDefinition",
    "get_stage",
    "load_stage",
    "parse_stage",
    "stage_names",
]

ENTRY_POINT_GROUP: Final = "devcycle.proformas"
"""Entry-point group for plug-in stages: a `StageDefinition`, or a builder callable."""

_SECTION_KEYS: Final = frozenset({"id", "title", "source", "audiences"})


@attrs.frozen
class SectionSpec:
    """One section of a stage: its title, what fills it, and who may see it.

    Attributes:
        id: A stable id, unique within the stage ("objectives").
        title: The heading shown.
        source: The name of the content source that fills it (see `devcycle.proforma.SOURCES`).
        audiences: Who may see the section at all; empty means everyone.
        options: The source's options from the file (``show``, ``labels``, ``fields``...).
    """

    id: str
    title: str
    source: str
    audiences: frozenset[Audience] = frozenset()
    options: Mapping[str, Any] = attrs.field(factory=dict, eq=False, hash=False)

    def visible_to(self, audience: Audience) -> bool:
        """Return whether *audience* may see this section."""
        return not self.audiences or audience in self.audiences


@attrs.frozen
class StageDefinition:
    """A stage's proforma layout, as read from its TOML file.

    Attributes:
        id: The stage's name ("final").
        title: The document title ("Final review").
        sections: The sections, in order.
        description: One line saying what the stage is for.
        review_kinds: The review meeting kinds whose notes the stage shows.
        footer: A line for every page.
        needs_framework: Whether the stage needs a standards framework (ECT records).
        source: Where the definition came from (a file path, or "devcycle").
    """

    id: str
    title: str
    sections: tuple[SectionSpec, ...]
    description: str = ""
    review_kinds: tuple[str, ...] = ()
    footer: str = ""
    needs_framework: bool = False
    source: str = ""


def _text(value: Any, path: str, problems: list[str], *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"expected non-empty text (got {value!r}) @ {path}")
        return ""
    return value


def _require_table(data: object, source: str) -> None:
    if not isinstance(data, Mapping):
        raise ValidationError(
            [f"expected a table with [stage] and [[sections]] (got {type(data).__name__}) @ $"],
            source=source,
        )


def parse_stage(data: Mapping[str, Any], *, source: str = "<data>") -> StageDefinition:
    """Build a `StageDefinition` from parsed TOML data, checking every part.

    Raises:
        ValidationError: Listing every problem as ``description @ $.path``.
    """
    _require_table(data, source)
    problems: list[str] = []
    extra = sorted(str(key) for key in set(data) - {"stage", "sections"})
    if extra:
        problems.append(f"unknown table(s) {', '.join(extra)}; expected stage, sections @ $")
    stage = data.get("stage")
    if not isinstance(stage, Mapping):
        raise ValidationError(["expected a [stage] table @ $.stage"], source=source)
    allowed = {"id", "title", "description", "review_kinds", "footer", "needs_framework"}
    unknown = sorted(set(stage) - allowed)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)} @ $.stage")
    stage_id = _text(stage.get("id"), "$.stage.id", problems)
    title = _text(stage.get("title"), "$.stage.title", problems)
    kinds = stage.get("review_kinds", [])
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        problems.append(f"expected a list of review kinds (got {kinds!r}) @ $.stage.review_kinds")
        kinds = []
    needs = stage.get("needs_framework", False)
    if not isinstance(needs, bool):
        problems.append(f"expected true or false (got {needs!r}) @ $.stage.needs_framework")
    raw_sections = data.get("sections", [])
    if not isinstance(raw_sections, list):
        problems.append("expected [[sections]] tables @ $.sections")
        raw_sections = []
    sections: list[SectionSpec] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_sections):
        path = f"$.sections[{index}]"
        if not isinstance(raw, Mapping):
            problems.append(f"expected a table @ {path}")
            continue
        section_id = _text(raw.get("id"), f"{path}.id", problems)
        if section_id in seen:
            problems.append(f"section id {section_id!r} is used twice @ {path}.id")
        seen.add(section_id)
        audiences: set[Audience] = set()
        for position, name in enumerate(raw.get("audiences", [])):
            try:
                audiences.add(Audience(name))
            except ValueError:
                known = ", ".join(a.value for a in Audience)
                problems.append(
                    f"expected one of {known} (got {name!r}) @ {path}.audiences[{position}]"
                )
        sections.append(
            SectionSpec(
                id=section_id,
                title=_text(raw.get("title"), f"{path}.title", problems),
                source=_text(raw.get("source"), f"{path}.source", problems),
                audiences=frozenset(audiences),
                options={k: v for k, v in raw.items() if k not in _SECTION_KEYS},
            )
        )
    if problems:
        raise ValidationError(problems, source=source)
    return StageDefinition(
        id=stage_id,
        title=title,
        sections=tuple(sections),
        description=_text(stage.get("description"), "$.stage.description", [], required=False),
        review_kinds=tuple(kinds),
        footer=_text(stage.get("footer"), "$.stage.footer", [], required=False),
        needs_framework=bool(needs),
        source=source,
    )


def load_stage(path: str | Path) -> StageDefinition:
    """Read a stage definition from a TOML file.

    Raises:
        ValidationError: If the file is not valid TOML or not a valid stage, naming the file.
        ConfigError: If the file cannot be read.
    """
    file = Path(path)
    return _parse_text(read_text(file), str(file))


def _parse_text(text: str, source: str) -> StageDefinition:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([f"not valid TOML: {exc} @ $"], source=source) from None
    except (RecursionError, ValueError) as exc:  # deep inline tables, huge numbers
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ValidationError([f"not valid TOML: {problem} @ $"], source=source) from None
    return parse_stage(data, source=source)


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


_ALIASES: Final = {
    "checkin": "check_in",
    "midyear": "mid_year",
    "final_review": "final",
    "end_of_year": "final",
    "ect": "ect_progress",
    "ect_formal_assessment": "ect_assessment",
    "formal_assessment": "ect_assessment",
    "progress_review": "ect_progress",
    "observations": "observation",
    "cpd": "cpd_log",
}


@functools.cache
def _builtin_stage(key: str) -> StageDefinition:
    """Parse a shipped stage file once; definitions are immutable."""
    text = (
        resources.files("devcycle.proforma")
        .joinpath("stages", f"{key}.toml")
        .read_text(encoding="utf-8")
    )
    return _parse_text(text, f"devcycle:{key}.toml")


@functools.cache
def _builtin_names() -> tuple[str, ...]:
    folder = resources.files("devcycle.proforma").joinpath("stages")
    return tuple(
        sorted(
            item.name[: -len(".toml")] for item in folder.iterdir() if item.name.endswith(".toml")
        )
    )


def _entry_points() -> dict[str, importlib.metadata.EntryPoint]:
    return {ep.name: ep for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}


def stage_names(directories: Iterable[str | Path] = ()) -> tuple[str, ...]:
    """Return every stage name available: a school's folders, built-in files and plug-ins."""
    names = set(_builtin_names()) | set(_entry_points())
    for directory in directories:
        names |= {p.stem for p in Path(directory).glob("*.toml")}
    return tuple(sorted(names))


def get_stage(name: str, directories: Iterable[str | Path] = ()) -> Any:
    """Find a stage by name: in a school's *directories* first, then built-in, then plug-ins.

    Args:
        name: "planning", "check_in" (or "check-in"), "mid_year", "final", "ect_progress",
            "ect_assessment", "observation", "cpd_log", or a school's or plug-in's stage.
        directories: Folders holding a school's own ``<name>.toml`` files.

    Returns:
        A `StageDefinition`, or a plug-in's builder callable.

    Raises:
        NotFoundError: If no stage has that name (the message lists the known ones).
        PluginError: If a plug-in stage cannot be loaded.
    """
    key = _normalise(name)
    key = _ALIASES.get(key, key)
    for directory in directories:
        for candidate in (Path(directory) / f"{key}.toml", Path(directory) / f"{name}.toml"):
            if candidate.is_file():
                return load_stage(candidate)
    if key in _builtin_names():
        return _builtin_stage(key)
    entry = _entry_points().get(name) or _entry_points().get(key)
    if entry is None:
        raise NotFoundError("proforma stage", name, known=stage_names(directories))
    try:
        return entry.load()
    except Exception as exc:
        msg = f"proforma plug-in {name!r} ({entry.value}) could not be loaded: {exc}"
        raise PluginError(msg) from exc
