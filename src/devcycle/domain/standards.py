"""Professional standards frameworks (the Teachers' Standards, say) as hierarchical data."""

from __future__ import annotations

import attrs

from devcycle.domain._validate import identifier, optional_identifier, text, to_tuple
from devcycle.errors import NotFoundError

__all__ = ["Framework", "Standard"]


@attrs.frozen
class Standard:
    """One standard or sub-standard, such as ``TS2`` or ``TS2.3``.

    Attributes:
        id: The hierarchical id ("TS2.3"), unique within its framework.
        title: The standard's heading, or its text where it has no separate heading.
        text: The full text, where the licence allows shipping it.
        parent_id: The id of the standard this one belongs under, if any.
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    text: str = ""
    parent_id: str | None = attrs.field(default=None, validator=optional_identifier)


@attrs.frozen
class Framework:
    """A framework of professional standards, with where it came from and its licence.

    Attributes:
        id: The registry name ("england-teachers-standards").
        title: The framework's title.
        publisher: Who publishes it.
        version: Which edition.
        licence: The licence of the shipped text (an SPDX-like id, or "unknown").
        source: Where the text was taken from (URL or document reference).
        statutory: Whether it has statutory force for appraisal.
        standards: Every standard, parents before children.
        attribution: The attribution the licence asks for, if any.
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    publisher: str = ""
    version: str = ""
    licence: str = "unknown"
    source: str = ""
    statutory: bool = False
    standards: tuple[Standard, ...] = attrs.field(default=(), converter=to_tuple)
    attribution: str = ""

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for standard in self.standards:
            if standard.id in seen:
                msg = f"framework {self.id!r} lists standard {standard.id!r} twice"
                raise ValueError(msg)
            if standard.parent_id is not None and standard.parent_id not in seen:
                msg = (
                    f"standard {standard.id!r} names parent {standard.parent_id!r}, "
                    "which is not listed before it"
                )
                raise ValueError(msg)
            seen.add(standard.id)

    def get(self, standard_id: str) -> Standard:
        """Return the standard with *standard_id*, or raise `NotFoundError`."""
        for standard in self.standards:
            if standard.id == standard_id:
                return standard
        raise NotFoundError("standard", standard_id, known=[s.id for s in self.standards])

    def __contains__(self, standard_id: object) -> bool:
        return any(s.id == standard_id for s in self.standards)

    def top_level(self) -> tuple[Standard, ...]:
        """Return the standards that have no parent, in order."""
        return tuple(s for s in self.standards if s.parent_id is None)

    def children(self, standard_id: str) -> tuple[Standard, ...]:
        """Return the direct children of *standard_id*, in order."""
        return tuple(s for s in self.standards if s.parent_id == standard_id)

    def ancestors(self, standard_id: str) -> tuple[Standard, ...]:
        """Return the chain of parents of *standard_id*, nearest first."""
        chain: list[Standard] = []
        current = self.get(standard_id)
        while current.parent_id is not None:
            current = self.get(current.parent_id)
            chain.append(current)
        return tuple(chain)
