"""TOML writing through tomli-w (the ``toml`` extra). Reading uses the standard library."""

from __future__ import annotations

from typing import Any

import tomli_w


def dumps(data: Any) -> str:
    """Write plain data as TOML."""
    return tomli_w.dumps(data)
