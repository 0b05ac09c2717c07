"""Catalogues of facts shipped as data: standards frameworks (and, later, templates, banks).

Each catalogue file carries its source and licence. Frameworks are found by name: first the
files shipped in ``catalogues/frameworks/``, then plug-ins in the ``devcycle.frameworks``
entry-point group (a callable returning a `Framework`). Schools load their own files with
`load_framework`.
"""

from __future__ import annotations

from devcycle.catalogues.bank import Bank, BankEntry, load_bank, suggest
from devcycle.catalogues.frameworks import framework, framework_names, load_framework

__all__ = [
    "Bank",
    "BankEntry",
    "framework",
    "framework_names",
    "load_bank",
    "load_framework",
    "suggest",
]
