"""The exceptions devcycle raises, one family under `DevcycleError`.

Every error says what was attempted and what was expected, so that an embedder can show
the message to a person as it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = [
    "AccessDenied",
    "ConfigError",
    "ConflictError",
    "DevcycleError",
    "DomainError",
    "NotFoundError",
    "PluginError",
    "RenderError",
    "StorageError",
    "ValidationError",
    "did_you_mean",
]


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str:
    """Return ``"did you mean 'ks2'?"`` for the choice closest to *word*, or "" if none is close.

    Case is ignored when comparing; the suggestion is spelt as the choice is. *cutoff* is
    how alike (0 to 1, `difflib` ratio) a choice must be to be suggested.

    Example:
        >>> did_you_mean("helth", ["health", "impact"])
        "did you mean 'health'?"
    """
    options = {str(c).lower(): str(c) for c in choices}
    close = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=cutoff)
    return f"did you mean {options[close[0]]!r}?" if close else ""


class DevcycleError(Exception):
    """Base class of every error devcycle raises on purpose."""


class AccessDenied(DevcycleError):  # noqa: N818 - reads as what happened, like NotFoundError
    """The access policy does not let this actor do or see that.

    The message names the actor (who, acting as what, where), what was asked, and why the
    policy refuses it, without revealing anything the actor may not see.
    """


class DomainError(DevcycleError):
    """A domain rule was broken: an illegal transition, a missing actor right, a closed cycle.

    The message names what was attempted, from which state, and what is allowed.
    """


class ValidationError(DevcycleError):
    """Input data is malformed. Carries every problem found, each as ``description @ $.path``.

    Args:
        problems: One line per problem, in the form ``"description @ $.path"``.
        source: Where the data came from (a file name, ``"<string>"``), shown first.
    """

    def __init__(self, problems: Iterable[str], *, source: str | None = None) -> None:
        self.problems: tuple[str, ...] = tuple(problems) or ("invalid data @ $",)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}{count} {noun} found:\n{body}")

    def with_source(self, source: str) -> ValidationError:
        """Return the same error attributed to *source* (a file name, say)."""
        return ValidationError(self.problems, source=source)


class NotFoundError(DevcycleError, LookupError):
    """Something asked for by id does not exist."""

    def __init__(self, kind: str, key: str, *, known: Sequence[str] = ()) -> None:
        self.kind = kind
        self.key = key
        hint = ""
        if known:
            suggestion = did_you_mean(key, known)
            shown = ", ".join(sorted(known)[:12])
            more = "…" if len(known) > 12 else ""
            hint = f"; {suggestion}" if suggestion else ""
            hint += f" (known: {shown}{more})"
        super().__init__(f"no {kind} {key!r}{hint}")


class ConflictError(DevcycleError):
    """An update was based on a stale version: someone else saved first."""


class StorageError(DevcycleError):
    """A store could not be read or written (unreachable server, corrupt file...)."""


class RenderError(DevcycleError):
    """A document could not be rendered in the requested format."""


class ConfigError(DevcycleError):
    """A setting, option or optional dependency is wrong or missing; names the key."""


class PluginError(DevcycleError):
    """A plug-in could not be found or loaded."""
