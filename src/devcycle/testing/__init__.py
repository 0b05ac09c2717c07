"""Test support shipped for embedders: Hypothesis strategies and contract test suites.

Importing this package needs the ``test`` extra (Hypothesis, pytest); without it the import
fails with a message that names the extra, not a bare ``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib.util

_MISSING = [name for name in ("hypothesis", "pytest") if importlib.util.find_spec(name) is None]
if _MISSING:
    _msg = (
        f'devcycle.testing needs the "test" extra: pip install "devcycle[test]" '
        f"(missing: {', '.join(_MISSING)})"
    )
    raise ModuleNotFoundError(_msg, name=_MISSING[0])
