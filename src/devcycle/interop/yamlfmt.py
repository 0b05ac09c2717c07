"""YAML through PyYAML (the ``yaml`` extra), with safe loading only."""

from __future__ import annotations

from typing import Any

import yaml

from devcycle.errors import ValidationError


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
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
