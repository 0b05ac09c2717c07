"""Small attrs validators shared by the domain types."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@/+-]{0,127}$")


def identifier(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is a usable id: 1-128 letters, digits and ``_.:@/+-``."""
    if not isinstance(value, str) or not _ID.match(value):
        msg = (
            f"'{attribute.name}' must be an id of 1-128 letters, digits and _.:@/+- "
            f"starting with a letter or digit (got {value!r})"
        )
        raise ValueError(msg)


def optional_identifier(inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `identifier`, but None is allowed."""
    if value is not None:
        identifier(inst, attribute, value)


def identifiers(_inst: Any, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    """Check that every item of *value* is an id, with no repeats."""
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not _ID.match(item):
            msg = f"'{attribute.name}' must hold ids only (got {item!r})"
            raise ValueError(msg)
        if item in seen:
            msg = f"'{attribute.name}' names {item!r} twice"
            raise ValueError(msg)
        seen.add(item)


def text(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is a string with something other than white space."""
    if not isinstance(value, str) or not value.strip():
        msg = f"'{attribute.name}' must be non-empty text (got {value!r})"
        raise ValueError(msg)


def texts(_inst: Any, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    """Check that every item of *value* is non-empty text."""
    for item in value:
        if not isinstance(item, str) or not item.strip():
            msg = f"'{attribute.name}' must hold non-empty text only (got {item!r})"
            raise ValueError(msg)


def not_before(start_field: str) -> Any:
    """Return a validator checking that a date is not before the date in *start_field*."""

    def check(inst: Any, attribute: attrs.Attribute[Any], value: date | None) -> None:
        start = getattr(inst, start_field)
        if value is not None and start is not None and value < start:
            msg = f"'{attribute.name}' ({value}) must not be before '{start_field}' ({start})"
            raise ValueError(msg)

    return check


def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable (a list from a caller, say) to a tuple."""
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def to_frozenset(value: Iterable[Any]) -> frozenset[Any]:
    """Convert any iterable to a frozenset."""
    if isinstance(value, str):
        return frozenset((value,))
    return frozenset(value)
