"""A test helper: two records hold values of the same types, all the way down."""

from __future__ import annotations

from typing import Any

import attrs


def assert_same_types(a: Any, b: Any, path: str = "$") -> None:
    """Assert that *a* and *b* hold values of the same types, all the way down."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} != {type(b).__name__}"
    if attrs.has(type(a)):
        for field in attrs.fields(type(a)):
            assert_same_types(
                getattr(a, field.name), getattr(b, field.name), f"{path}.{field.name}"
            )
    elif isinstance(a, tuple):
        for index, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same_types(x, y, f"{path}[{index}]")
    elif isinstance(a, frozenset):
        assert a == b, path
