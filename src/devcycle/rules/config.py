"""Per-school checker configuration: lexicon additions, thresholds, severities, cycle window.

A school keeps it in a TOML file::

    [check]
    select = ["S", "M", "A", "R", "T", "P"]
    ignore = ["L702"]
    fail-on = "warning"
    max-objectives = 4
    window = ["2026-09-01", "2027-08-31"]

    [check.severity]
    P602 = "error"

    [check.lexicons]
    practice = ["Thinking Reading", "Read Write Inc"]
    trivial = ["minibus rota"]

    [check.set]
    min-size = 2
    max-over-disagreement = 1
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from devcycle.errors import ConfigError
from devcycle.rules.model import Severity
from devcycle.rules.text import Lexicons

__all__ = ["CheckConfig", "SetThresholds", "load_config"]

_KEYS = (
    "select",
    "ignore",
    "fail-on",
    "max-objectives",
    "window",
    "severity",
    "lexicons",
    "set",
)

_SET_KEYS = (
    "min-size",
    "min-practice",
    "min-career",
    "min-individual",
    "max-over-disagreement",
    "min-pupil-focused",
    "min-new",
)


def _count(_inst: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"'{attribute.name}' must be a whole number of at least 0 (got {value!r})"
        raise ValueError(msg)


@attrs.frozen
class SetThresholds:
    """The thresholds of the rules on the whole set of a person's objectives (W8xx).

    A set is one person's live objectives in a cycle. The balance rules look only at sets of
    at least *min_size* objectives: one objective cannot be balanced.

    Attributes:
        min_size: The fewest live objectives the balance rules look at (default 2).
        min_practice: Fewest objectives about improving practice (W801).
        min_career: Fewest objectives about the person's own career development (W802).
        min_individual: Fewest of the person's own (individual) objectives (W803).
        max_over_disagreement: Most objectives set over the person's disagreement (W804).
        min_pupil_focused: Fewest objectives naming the pupils they are for (W805), for
            staff who work with pupils.
        min_new: Fewest objectives that are new this cycle, not carried forward (W806).

    Examples:
        >>> SetThresholds(max_over_disagreement=0).max_over_disagreement
        0
    """

    min_size: int = attrs.field(default=2, validator=_count)
    min_practice: int = attrs.field(default=1, validator=_count)
    min_career: int = attrs.field(default=1, validator=_count)
    min_individual: int = attrs.field(default=1, validator=_count)
    max_over_disagreement: int = attrs.field(default=1, validator=_count)
    min_pupil_focused: int = attrs.field(default=1, validator=_count)
    min_new: int = attrs.field(default=1, validator=_count)

    @classmethod
    def from_mapping(cls, data: object, *, source: str = "<config>") -> SetThresholds:
        """Build thresholds from the ``[check.set]`` table's data.

        Raises:
            ConfigError: Naming the key and what was expected when one is wrong.
        """
        if not isinstance(data, Mapping):
            msg = f"{source}: check.set must be a table of thresholds ({', '.join(_SET_KEYS)})"
            raise ConfigError(msg)
        unknown = sorted(set(data) - set(_SET_KEYS))
        if unknown:
            msg = f"{source}: unknown key check.set.{unknown[0]} (accepted: {', '.join(_SET_KEYS)})"
            raise ConfigError(msg)
        values: dict[str, int] = {}
        for key, value in data.items():
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                msg = (
                    f"{source}: check.set.{key} must be a whole number of at least 0 "
                    f"(got {value!r})"
                )
                raise ConfigError(msg)
            values[key.replace("-", "_")] = value
        return cls(**values)


@attrs.frozen(cache_hash=True)
class CheckConfig:
    """How one school wants objectives checked.

    Attributes:
        lexicons: The word lists rules match (built-in plus the school's additions).
        severities: Rule code or symbol -> severity, overriding the rule's default.
        max_objectives: More live objectives than this for one person is flagged (P603).
        window: The cycle's first and last day, when no cycle context gives one.
        select: Rule selectors to run (None: every stable rule).
        ignore: Rule selectors to leave out.
        fail_on: The severity at which ``devcycle check`` exits 1.
        set_thresholds: The thresholds of the rules on a person's whole set of objectives.
    """

    lexicons: Lexicons = attrs.field(factory=Lexicons.builtin)
    severities: Mapping[str, Severity] = attrs.field(factory=dict, hash=False)
    max_objectives: int = 3
    window: tuple[date, date] | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    set_thresholds: SetThresholds = attrs.field(factory=SetThresholds)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], *, source: str = "<config>") -> CheckConfig:
        """Build a configuration from the ``[check]`` table's data.

        Raises:
            ConfigError: Naming the key and the accepted values when one is wrong.
        """
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            msg = f"{source}: unknown key check.{unknown[0]} (accepted: {', '.join(_KEYS)})"
            raise ConfigError(msg)
        lexicons = Lexicons.builtin()
        additions = data.get("lexicons", {})
        if not isinstance(additions, Mapping) or not all(
            isinstance(v, list) and all(isinstance(t, str) for t in v) for v in additions.values()
        ):
            msg = f"{source}: check.lexicons must map lexicon names to lists of words"
            raise ConfigError(msg)
        unknown_lex = sorted(set(additions) - set(lexicons.names))
        if unknown_lex:
            msg = (
                f"{source}: check.lexicons.{unknown_lex[0]} is not a lexicon "
                f"(accepted: {', '.join(lexicons.names)})"
            )
            raise ConfigError(msg)
        if additions:
            lexicons = lexicons.extended(additions)
        return cls(
            lexicons=lexicons,
            severities=_severities(data.get("severity", {}), source),
            max_objectives=_positive(data.get("max-objectives", 3), "max-objectives", source),
            window=_window(data.get("window"), source),
            select=_selectors(data["select"], "select", source) if "select" in data else None,
            ignore=_selectors(data.get("ignore", []), "ignore", source),
            fail_on=_severity(data.get("fail-on", "error"), "fail-on", source),
            set_thresholds=SetThresholds.from_mapping(data.get("set", {}), source=source),
        )


def _severity(value: object, key: str, source: str) -> Severity:
    try:
        return Severity(str(value))
    except ValueError:
        allowed = ", ".join(s.value for s in Severity)
        msg = f"{source}: check.{key} must be one of: {allowed} (got {value!r})"
        raise ConfigError(msg) from None


def _severities(value: object, source: str) -> dict[str, Severity]:
    if not isinstance(value, Mapping):
        msg = f"{source}: check.severity must be a table of rule code = severity"
        raise ConfigError(msg)
    return {str(k): _severity(v, f"severity.{k}", source) for k, v in value.items()}


def _positive(value: object, key: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"{source}: check.{key} must be a whole number of at least 1 (got {value!r})"
        raise ConfigError(msg)
    return value


def _selectors(value: object, key: str, source: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        msg = f"{source}: check.{key} must be a list of rule codes, prefixes or symbols"
        raise ConfigError(msg)
    return tuple(value)


def _window(value: object, source: str) -> tuple[date, date] | None:
    if value is None:
        return None
    if isinstance(value, list) and len(value) == 2:
        try:
            first, last = (v if isinstance(v, date) else date.fromisoformat(str(v)) for v in value)
        except ValueError:
            pass
        else:
            if first <= last:
                return (first, last)
    msg = f"{source}: check.window must be [first day, last day] as ISO dates (got {value!r})"
    raise ConfigError(msg)


def load_config(path: str | Path) -> CheckConfig:
    """Read a school's checker configuration from the ``[check]`` table of a TOML file.

    Raises:
        ConfigError: If the file cannot be read, is not TOML, or a key is wrong.
    """
    import tomllib  # noqa: PLC0415 - loaded on first use, to keep `import devcycle` fast

    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{file}: cannot read the configuration: {exc}"
        raise ConfigError(msg) from None
    except tomllib.TOMLDecodeError as exc:
        msg = f"{file}: not valid TOML: {exc}"
        raise ConfigError(msg) from None
    table = data.get("check", data)
    if not isinstance(table, Mapping):
        msg = f"{file}: [check] must be a table"
        raise ConfigError(msg)
    return CheckConfig.from_mapping(table, source=str(file))
