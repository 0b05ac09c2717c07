"""The exceptions devcycle raises, one family under `DevcycleError`.

Every error says what was attempted and what was expected, so that an embedder can show
the message to a person as it is.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = [
    "AccessDenied",
    "CommitUnknownError",
    "ConfigError",
    "ConflictError",
    "DevcycleError",
    "DomainError",
    "NotFoundError",
    "PluginError",
    "Problem",
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

    Attributes:
        field: The field of the record the refusal is about (``"roles"``, ``"reviewer_id"``),
            where it is about one, so that a caller reading the record from a file can name
            the column; None otherwise.
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field

    def __reduce__(self) -> tuple[object, ...]:
        # keep the field through pickling (a worker process re-raising a refusal)
        return (_access_denied, (str(self), self.field))


def _access_denied(message: str, field: str | None) -> AccessDenied:
    return AccessDenied(message, field=field)


class DomainError(DevcycleError):
    """A domain rule was broken: an illegal transition, a missing actor right, a closed cycle.

    The message names what was attempted, from which state, and what is allowed.
    """


_NO_VALUE: object = object()


class Problem(str):
    """One problem found in input data: where, what is wrong, the value given, what was expected.

    A `Problem` *is* its rendering, ``"message @ path"`` (it is a `str`), so code that shows
    or compares problems as text keeps working; its parts are attributes.

    Attributes:
        message: What is wrong, naming the field ("'fte' must be a number above 0...").
        path: Where, as a JSON path from the object checked ("$.fte", "$.staff[2].roles") or
            a place in a file ("row 3, column fte"); "" when the message says where.
        value: The value given, or `Problem.NO_VALUE` when there is none to show (a missing
            field).
        expected: What would have been accepted, in words ("a date from 2026-09-01 to
            2027-11-30"), or "" when the message says it all.

    Example:
        >>> p = Problem("'fte' must be above 0", "$.fte", value=0, expected="a number in (0, 1]")
        >>> p
        "'fte' must be above 0 @ $.fte"
        >>> (p.path, p.value, p.expected)
        ('$.fte', 0, 'a number in (0, 1]')
    """

    NO_VALUE: object = _NO_VALUE
    """The `value` of a problem that has no value to show."""

    message: str
    path: str
    value: object
    expected: str

    def __new__(
        cls, message: str, path: str = "$", *, value: object = _NO_VALUE, expected: str = ""
    ) -> Problem:
        """Make a problem; its text is ``"{message} @ {path}"`` (*message* alone if no path)."""
        self = super().__new__(cls, f"{message} @ {path}" if path else message)
        self.message = message
        self.path = path
        self.value = value
        self.expected = expected
        return self

    @classmethod
    def parse(cls, text: str) -> Problem:
        """Return *text* (``"message @ path"``) as a `Problem`; a `Problem` is returned as is."""
        if isinstance(text, Problem):
            return text
        message, sep, path = str(text).rpartition(" @ ")
        if not sep:
            return cls(str(text), "")
        return cls(message, path)

    def at(self, prefix: str) -> Problem:
        """Return the problem with its ``$`` root replaced by *prefix* (``"$.staff[2]"``).

        A path that is not a JSON path (``row 3``) is kept after *prefix*.
        """
        if self.path in ("$", ""):
            path = prefix
        elif self.path.startswith("$"):
            path = prefix + self.path[1:]
        else:
            path = f"{prefix}, {self.path}"
        return Problem(self.message, path, value=self.value, expected=self.expected)

    def __reduce__(self) -> tuple[object, ...]:
        return (_problem, (self.message, self.path, self.value, self.expected))


def _problem(message: str, path: str, value: object, expected: str) -> Problem:
    return Problem(message, path, value=value, expected=expected)


class ValidationError(DevcycleError, ValueError):
    """Input data is malformed. Carries every problem found, each a `Problem`.

    Each problem renders as ``description @ $.path`` and carries its parts (path, message,
    value, expected). The constructors of devcycle's records (schools, staff, cycles,
    objectives, CPD...) raise this, never a bare `ValueError` or `TypeError`; it is also a
    `ValueError`, so code written to catch that keeps working.

    Args:
        problems: One per problem: a `Problem`, or text in the form ``"description @ $.path"``.
        source: Where the data came from (a file name, ``"<string>"``), shown first.
    """

    def __init__(self, problems: Iterable[str], *, source: str | None = None) -> None:
        found = tuple(Problem.parse(p) for p in problems)
        self.problems: tuple[Problem, ...] = found or (Problem("invalid data", "$"),)
        self.source = source
        head = f"{source}: " if source else ""
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        body = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}{count} {noun} found:\n{body}")

    @property
    def summary(self) -> str:
        """The problems' messages without their paths, joined by "; " (for one-line use)."""
        return "; ".join(p.message for p in self.problems)

    def with_source(self, source: str) -> ValidationError:
        """Return the same error attributed to *source* (a file name, say)."""
        return ValidationError(self.problems, source=source)

    def at(self, prefix: str) -> ValidationError:
        """Return the same error with every problem's ``$`` root replaced by *prefix*."""
        return ValidationError([p.at(prefix) for p in self.problems], source=self.source)

    def __reduce__(self) -> tuple[object, ...]:
        return (_validation_error, (self.problems, self.source))


def _validation_error(problems: tuple[Problem, ...], source: str | None) -> ValidationError:
    return ValidationError(problems, source=source)


class NotFoundError(DevcycleError, LookupError):
    """Something asked for by id does not exist."""

    def __init__(self, kind: str, key: str, *, known: Sequence[str] = (), within: str = "") -> None:
        """Say there is no *kind* *key* (*within*: where it was looked for, "in cycle 'c1'").

        *known*, if given, are the keys there are: the closest is suggested.
        """
        self.kind = kind
        self.key = key
        hint = f" {within}" if within else ""
        if known:
            suggestion = did_you_mean(key, known)
            shown = ", ".join(sorted(known)[:12])
            more = "…" if len(known) > 12 else ""
            hint += f"; {suggestion}" if suggestion else ""
            hint += f" (known: {shown}{more})"
        super().__init__(f"no {kind} {key!r}{hint}")


class ConflictError(DevcycleError):
    """An update was based on a stale version: someone else saved first."""


class StorageError(DevcycleError):
    """A store could not be read or written (unreachable server, corrupt file...)."""


class CommitUnknownError(StorageError):
    """The connection was lost after a commit was sent: the changes may or may not be saved.

    The server may have committed before the connection dropped, so the caller cannot say
    "not stored". Check the store before repeating the change.
    """


class RenderError(DevcycleError):
    """A document could not be rendered in the requested format."""


class ConfigError(DevcycleError):
    """A setting, option or optional dependency is wrong or missing; names the key."""


class PluginError(DevcycleError):
    """A plug-in could not be found or loaded."""
