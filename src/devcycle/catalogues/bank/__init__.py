"""The bank of recommended objectives, tagged by role, priority theme and standard.

The bank ships as data (``objectives.toml`` beside this module, with its source in the
header). Schools extend it with their own objectives in the same format (TOML or JSON) and
search it with `suggest`::

    from devcycle.catalogues.bank import Bank
    bank = Bank.shipped()
    for entry in bank.suggest(role="teaching_assistant", priority="reading"):
        print(entry.text)

A school's own entries are checked by the objective checker as they are added (`Bank.add`
returns the findings with the new bank; `Bank.assess` checks every school entry of a loaded
bank), and `save_bank` writes only the school's own entries, so that `load_bank` reads the
file back on top of the shipped bank. A file written before that (holding the shipped
entries too) still loads: entries identical to the shipped ones are skipped.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from devcycle.domain import Objective, Priority, Role
from devcycle.errors import ValidationError
from devcycle.fileio import read_text, write_atomic
from devcycle.rules import Assessment, CheckConfig, check
from devcycle.serialization import parse

__all__ = ["Bank", "BankAddition", "BankEntry", "load_bank", "save_bank", "suggest"]

SHIPPED_SOURCE = "devcycle"
"""The `BankEntry.source` of the shipped entries; any other source is a school's own."""


def _strings(value: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@attrs.frozen
class BankEntry:
    """One recommended objective.

    Attributes:
        id: A stable id, unique within the bank.
        text: The objective, ready to adapt.
        roles: Roles it suits (`devcycle.Role` values).
        themes: Priority themes it serves ("reading", "behaviour").
        standards: Professional standards it develops ("TS5.4", "TA2").
        source: Where it came from: "devcycle" for shipped entries, or the school's file.
    """

    id: str
    text: str
    roles: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    themes: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    standards: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    source: str = "devcycle"

    @classmethod
    def from_objective(
        cls,
        objective: Objective,
        *,
        roles: Iterable[Role | str] = (),
        themes: Iterable[str] = (),
        source: str = "school",
    ) -> BankEntry:
        """Save a school's own objective into the bank, keeping its standards."""
        return cls(
            id=objective.id,
            text=objective.statement,
            roles=tuple(str(r.value if isinstance(r, Role) else r) for r in roles),
            themes=tuple(themes),
            standards=objective.standard_ids,
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the entry as data in the bank file format."""
        return {
            "id": self.id,
            "roles": list(self.roles),
            "themes": list(self.themes),
            "standards": list(self.standards),
            "text": self.text,
        }

    def same_as(self, other: BankEntry) -> bool:
        """Whether *other* holds the same id, text and tags (wherever it came from)."""
        return self.to_dict() == other.to_dict()


@attrs.frozen
class BankAddition:
    """The result of adding a school's objective to the bank: the bank, and what the checker found.

    Attributes:
        bank: The bank with the entry added.
        entry: The entry added.
        assessment: The checker's assessment of its text (`devcycle.check`).
    """

    bank: Bank
    entry: BankEntry
    assessment: Assessment

    def report(self) -> list[str]:
        """The findings as lines to show the person adding it ("no findings" when clean)."""
        return _report(self.entry, self.assessment)


def _report(entry: BankEntry, assessment: Assessment) -> list[str]:
    if not assessment.findings:
        return [f"{entry.id}: no findings"]
    lines = [f"{entry.id}: {len(assessment.findings)} finding(s)"]
    for finding in assessment.findings:
        lines.append(f"  {finding.code} {finding.severity.value}: {finding.message}")
        if finding.fix:
            lines.append(f"    fix: {finding.fix}")
    return lines


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def _theme_words(priority: Priority | str) -> set[str]:
    if isinstance(priority, Priority):
        found = _words(priority.title)
        if priority.theme:
            found |= _words(priority.theme)
        return found
    return _words(priority)


def _to_entries(value: Iterable[BankEntry]) -> tuple[BankEntry, ...]:
    return tuple(value)


@attrs.frozen
class Bank:
    """A searchable collection of recommended objectives.

    Attributes:
        entries: The entries, shipped ones first, then each school file's in order.
    """

    entries: tuple[BankEntry, ...] = attrs.field(converter=_to_entries)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for entry in self.entries:
            if entry.id in seen:
                msg = f"objective bank lists id {entry.id!r} more than once"
                raise ValidationError([f"{msg} @ $.objectives"])
            seen.add(entry.id)

    @classmethod
    def shipped(cls) -> Bank:
        """Return the bank shipped with devcycle."""
        return _shipped()

    def extended(self, entries: Iterable[BankEntry]) -> Bank:
        """Return this bank with *entries* (a school's saved objectives) added after it.

        Raises:
            ValidationError: If an added id is already in the bank.
        """
        return Bank((*self.entries, *entries))

    @property
    def own_entries(self) -> tuple[BankEntry, ...]:
        """The school's own entries (all but those shipped with devcycle), in order."""
        shipped = {e.id: e for e in _shipped().entries}
        return tuple(e for e in self.entries if e.id not in shipped or not e.same_as(shipped[e.id]))

    def add(
        self,
        entry: BankEntry | Objective,
        *,
        roles: Iterable[Role | str] = (),
        themes: Iterable[str] = (),
        source: str = "school",
        config: CheckConfig | None = None,
    ) -> BankAddition:
        """Add a school's objective, checked by the objective checker as it goes in.

        Args:
            entry: A `BankEntry`, or an `Objective` to save (see `BankEntry.from_objective`).
            roles: For an objective, the roles it suits.
            themes: For an objective, the priority themes it serves.
            source: For an objective, where it came from.
            config: The school's checker configuration; the built-in one by default.

        Returns:
            The new bank, the entry and the checker's assessment: show the findings to
            whoever is adding it (`BankAddition.report`). An entry with findings is still
            added: the school decides.

        Raises:
            ValidationError: If its id is already in the bank.
        """
        if isinstance(entry, Objective):
            entry = BankEntry.from_objective(entry, roles=roles, themes=themes, source=source)
        elif entry.source == SHIPPED_SOURCE:
            entry = attrs.evolve(entry, source=source)
        for existing in self.entries:
            if existing.id == entry.id:
                msg = (
                    f"id {entry.id!r} is already in the bank (from {existing.source}): "
                    "give the new entry its own id @ $.objectives"
                )
                raise ValidationError([msg], source=entry.source)
        bank = self.extended([entry])
        return BankAddition(bank, entry, check(entry.text, config=config))

    def assess(self, config: CheckConfig | None = None) -> list[tuple[BankEntry, Assessment]]:
        """Check every school entry with the objective checker (shipped ones are clean)."""
        return [(e, check(e.text, config=config)) for e in self.own_entries]

    def report(self, config: CheckConfig | None = None) -> list[str]:
        """The checker's findings for every school entry, as lines to show."""
        return [line for e, a in self.assess(config) for line in _report(e, a)]

    def get(self, entry_id: str) -> BankEntry:
        """Return the entry with *entry_id*.

        Raises:
            ValidationError: If there is none.
        """
        for entry in self.entries:
            if entry.id == entry_id:
                return entry
        raise ValidationError([f"no bank entry {entry_id!r} @ $.objectives"])

    def suggest(
        self,
        *,
        role: Role | str | None = None,
        priority: Priority | str | None = None,
        standard: str | None = None,
        limit: int | None = None,
    ) -> list[BankEntry]:
        """Return entries that suit *role*, serve *priority* and develop *standard*.

        Args:
            role: A `Role` or its value; entries that list it.
            priority: A theme word ("reading") or a `Priority`, matched against each entry's
                themes (and, for a Priority, the words of its title and theme).
            standard: A standard id; "TS5" also matches "TS5.4", and the reverse.
            limit: At most this many, best matches first.

        Returns:
            Matching entries, those sharing most priority words first, then in bank order.
        """
        wanted_role = role.value if isinstance(role, Role) else role
        ranked: list[tuple[int, int, BankEntry]] = []
        for order, entry in enumerate(self.entries):
            if wanted_role is not None and wanted_role not in entry.roles:
                continue
            if standard is not None and not any(
                s == standard or s.startswith(f"{standard}.") or standard.startswith(f"{s}.")
                for s in entry.standards
            ):
                continue
            score = 0
            if priority is not None:
                words = _theme_words(priority)
                themes = {w for t in entry.themes for w in _words(t.replace("-", " "))}
                score = len(words & themes)
                if score == 0:
                    continue
            ranked.append((-score, order, entry))
        found = [entry for _s, _o, entry in sorted(ranked)]
        return found[:limit] if limit is not None else found

    def to_json(self, *, include_shipped: bool = False) -> str:
        """Return the school's own entries as JSON in the bank file format, for saving.

        The shipped entries are left out (they load from devcycle itself), so the file
        reloads with `load_bank`; *include_shipped* writes them too, for a standalone copy
        to load with ``base=Bank([])``.
        """
        entries = self.entries if include_shipped else self.own_entries
        return json.dumps({"objectives": [e.to_dict() for e in entries]}, indent=2) + "\n"

    def to_toml(self, *, include_shipped: bool = False) -> str:
        """Return the school's own entries as TOML in the bank file format; see `to_json`."""
        entries = self.entries if include_shipped else self.own_entries
        if not entries:
            return "objectives = []\n"
        lines: list[str] = []
        for entry in entries:
            data = entry.to_dict()
            lines.append("[[objectives]]")
            for key in ("id", "roles", "themes", "standards", "text"):
                lines.append(f"{key} = {_toml_value(data[key])}")
            lines.append("")
        return "\n".join(lines)


def _toml_string(value: str) -> str:
    # JSON string escapes are a subset of TOML's basic-string escapes; TOML also forbids a
    # raw DEL, which JSON leaves as it is.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml_string(str(v)) for v in value) + "]"
    return _toml_string(str(value))


def save_bank(bank: Bank, path: str | Path) -> Path:
    """Write *bank*'s own entries to *path* (``.json``, else TOML), to reload with `load_bank`.

    The file is replaced whole or not at all (`devcycle.fileio.write_atomic`).

    Returns:
        The path written.

    Raises:
        StorageError: If it cannot be written.
    """
    file = Path(path)
    text = bank.to_json() if file.suffix.lower() == ".json" else bank.to_toml()
    return write_atomic(file, text)


def _entries(data: Mapping[str, Any], source: str) -> list[BankEntry]:
    items = data.get("objectives")
    if not isinstance(items, Sequence) or isinstance(items, str):
        raise ValidationError(["expected a list of objectives @ $.objectives"], source=source)
    problems: list[str] = []
    entries: list[BankEntry] = []
    for index, item in enumerate(items):
        where = f"$.objectives[{index}]"
        if not isinstance(item, Mapping):
            problems.append(f"expected a table with 'id' and 'text' @ {where}")
            continue
        missing = [k for k in ("id", "text") if not isinstance(item.get(k), str)]
        if missing:
            problems.extend(f"missing '{k}' @ {where}.{k}" for k in missing)
            continue
        entries.append(
            BankEntry(
                id=item["id"],
                text=item["text"],
                roles=item.get("roles", ()),
                themes=item.get("themes", ()),
                standards=item.get("standards", ()),
                source=source,
            )
        )
    if problems:
        raise ValidationError(problems, source=source)
    return entries


@functools.cache
def _shipped() -> Bank:
    text = resources.files(__name__).joinpath("objectives.toml").read_text(encoding="utf-8")
    return Bank(_entries(tomllib.loads(text), "devcycle"))


def load_bank(path: str | Path, *, base: Bank | None = None) -> Bank:
    """Load a school's saved objectives (TOML or JSON, bank format) on top of *base*.

    An entry identical to one already in *base* (a file saved with the shipped entries
    in it) is skipped; the same id with another text or tags is an error.

    Args:
        path: The school's file, with an ``objectives`` list of id, text, roles, themes,
            standards.
        base: The bank to extend; the shipped bank by default.

    Raises:
        ValidationError: Naming the file and each problem.
    """
    file = Path(path)
    fmt = "json" if file.suffix.lower() == ".json" else "toml"
    # parse() keeps to the reading limits (depth, size, number range, lone surrogates).
    data = parse(read_text(file), fmt, source=str(file))
    if not isinstance(data, Mapping):
        raise ValidationError(["expected a table with 'objectives' @ $"], source=str(file))
    start = Bank.shipped() if base is None else base
    known = {e.id: e for e in start.entries}
    added: list[BankEntry] = []
    problems: list[str] = []
    for index, entry in enumerate(_entries(data, str(file))):
        existing = known.get(entry.id)
        if existing is None:
            added.append(entry)
            known[entry.id] = entry
        elif not existing.same_as(entry):
            problems.append(
                f"id {entry.id!r} is already in the bank with another text or tags "
                f"(from {existing.source}): give the school's entry its own id "
                f"@ $.objectives[{index}].id"
            )
    if problems:
        raise ValidationError(problems, source=str(file))
    return start.extended(added)


def suggest(
    *,
    role: Role | str | None = None,
    priority: Priority | str | None = None,
    standard: str | None = None,
    limit: int | None = None,
) -> list[BankEntry]:
    """Search the shipped bank; see `Bank.suggest`.

    Examples:
        >>> [e.id for e in suggest(role="teaching_assistant", priority="phonics")]
        ['ta-phonics-intervention']
    """
    return Bank.shipped().suggest(role=role, priority=priority, standard=standard, limit=limit)
