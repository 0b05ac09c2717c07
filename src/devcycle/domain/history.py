"""The append-only history of a cycle: who did what, to what, and when."""

from __future__ import annotations

from datetime import date
from typing import Final

import attrs

from devcycle.domain._validate import a_date, plain_text, slot_setter

__all__ = ["HistoryEntry", "new_entry"]


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


_new: Final = object.__new__
_SETTERS: Final = tuple(slot_setter(HistoryEntry, f.name) for f in attrs.fields(HistoryEntry))
"""The slots' own setters, in field order (the frozen class's ``__setattr__`` refuses)."""


def new_entry(
    on: date,
    by: str,
    action: str,
    target: str,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    detail: str = "",
) -> HistoryEntry:
    """Build the `HistoryEntry` the constructor builds from the same values, faster.

    How a cycle's methods log (`Cycle._log`). When *on* is exactly a `datetime.date` and
    *by*, *action* and *target* exactly `str`, the values every validator of the class
    accepts, the entry is built by setting its slots directly: the validators would pass,
    and the class has no converters and no ``__attrs_post_init__``. Anything else, a
    subclass included, goes through the constructor with its validators, so the result
    (or the error) is always the constructor's own: nothing is trusted that was not
    checked here (``tests/domain/test_history_entry.py``).
    """
    if type(on) is date and type(by) is str and type(action) is str and type(target) is str:
        entry = _new(HistoryEntry)
        s_on, s_by, s_action, s_target, s_from, s_to, s_detail = _SETTERS
        s_on(entry, on)
        s_by(entry, by)
        s_action(entry, action)
        s_target(entry, target)
        s_from(entry, from_state)
        s_to(entry, to_state)
        s_detail(entry, detail)
        return entry
    return HistoryEntry(on, by, action, target, from_state, to_state, detail)
