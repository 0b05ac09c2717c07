"""The append-only history of a cycle: who did what, to what, and when."""

from __future__ import annotations

from datetime import date

import attrs

from devcycle.domain._validate import a_date, plain_text

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

    on: date = attrs.field(validator=a_date)
    by: str = attrs.field(validator=plain_text)
    action: str = attrs.field(validator=plain_text)
    target: str = attrs.field(validator=plain_text)
    from_state: str | None = None
    to_state: str | None = None
    detail: str = ""
