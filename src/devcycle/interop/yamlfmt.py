"""YAML through PyYAML (the ``yaml`` extra), with safe loading only."""

from __future__ import annotations

from typing import Any

import yaml

from devcycle.errors import ValidationError

# Characters YAML treats as line breaks or cannot keep in plain or block style: a string
# holding any of them is written double-quoted, where the emitter escapes them.
_NEEDS_QUOTES = frozenset("\x85\u2028\u2029\r\t\ufeff")


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing awkward strings double-quoted so they load back unchanged."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _NEEDS_QUOTES.intersection(value) or value != value.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


def loads(text: str) -> Any:
    """Parse YAML with the safe loader; raise `ValidationError` with the line on bad input."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValidationError([f"not valid YAML: {problem}{where} @ $"]) from None


def dumps(data: Any) -> str:
    """Write plain data as block-style YAML, keys in the order given."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
