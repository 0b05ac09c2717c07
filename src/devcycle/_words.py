"""Small wording helpers for messages."""

from __future__ import annotations

from typing import Final

__all__ = ["a_or_an"]

_SOUNDS_LIKE_YOU: Final = ("uni", "use", "usu", "uti", "ura", "eu", "one")
"""Beginnings of words that start with a vowel letter but a consonant sound ("a user")."""


def a_or_an(word: str) -> str:
    """Return *word* after the indefinite article it takes: ``an auditor``, ``a reviewer``.

    For the role names (and other identifiers) messages put after "a": the choice goes by
    the first letter, except for words that start with a vowel letter but a consonant sound
    (``a user``, ``a union_rep``, ``a one-off``).

    Examples:
        >>> a_or_an("auditor"), a_or_an("school_admin"), a_or_an("union_rep")
        ('an auditor', 'a school_admin', 'a union_rep')
    """
    folded = word.casefold()
    vowel = folded[:1] in {"a", "e", "i", "o", "u"} and not folded.startswith(_SOUNDS_LIKE_YOU)
    return f"{'an' if vowel else 'a'} {word}"
