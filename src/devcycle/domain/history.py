"""The append-only history of a cycle: who did what, to what, and when."""

from __future__ import annotations

from datetime import date

import attrs

__all__ = ["HistoryEntry"]


@attrs.frozen
class HistoryEntry:
    """One recorded action on a cycle.

    Attributes:
        on: The date the action was taken (given by the caller: there is no hidden clock).
        by: The staff id of whoever took it.
        action: The method name, such as ``agree_objective``.
        target: What it acted on: ``cycle`` or ``objective:obj-1``, ``review:rev-1``...
        from_state: The state before, for transitions.
        to_state: The state after, for transitions.
        detail: A short human-readable note (return reasons, a disagreement...).
    """

    on: date
    by: str
    action: str
    target: str
    from_state: str | None = None
    to_state: str | None = None
    detail: str = ""
