"""The checker's value types: criteria, severities, rule metadata, findings and assessments."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "SMART",
    "Assessment",
    "Criterion",
    "Finding",
    "RuleMeta",
    "Severity",
    "Status",
]


class Criterion(enum.StrEnum):
    """What a rule judges: a SMART criterion, bad practice, missing links or the whole set."""

    SPECIFIC = "specific"
    MEASURABLE = "measurable"
    ACHIEVABLE = "achievable"
    RELEVANT = "relevant"
    TIME_BOUND = "time_bound"
    PRACTICE = "practice"
    LINKS = "links"
    SET = "set"
    """The whole set of one person's objectives (balance, ownership, pupil focus)."""

    @property
    def prefix(self) -> str:
        """The code letter rules of this criterion use (S, M, A, R, T, P, L, W)."""
        return _PREFIX[self]


_PREFIX = {
    Criterion.SPECIFIC: "S",
    Criterion.MEASURABLE: "M",
    Criterion.ACHIEVABLE: "A",
    Criterion.RELEVANT: "R",
    Criterion.TIME_BOUND: "T",
    Criterion.PRACTICE: "P",
    Criterion.LINKS: "L",
    Criterion.SET: "W",
}

SMART: tuple[Criterion, ...] = (
    Criterion.SPECIFIC,
    Criterion.MEASURABLE,
    Criterion.ACHIEVABLE,
    Criterion.RELEVANT,
    Criterion.TIME_BOUND,
)
"""The five criteria that get a verdict, in SMART order."""


class Severity(enum.StrEnum):
    """How serious a finding is; ordered info < warning < error."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """0 for info, 1 for warning, 2 for error, for comparisons."""
        return ("info", "warning", "error").index(self.value)


class Status(enum.StrEnum):
    """A rule's lifecycle: preview rules run only when selected explicitly."""

    STABLE = "stable"
    PREVIEW = "preview"
    DEPRECATED = "deprecated"


def _code(_inst: object, _attribute: attrs.Attribute[str], value: str) -> None:
    if len(value) < 2 or not value[0].isalpha() or not value[0].isupper():
        msg = f"'code' must be a capital letter followed by digits, e.g. 'S101' (got {value!r})"
        raise ValueError(msg)
    if not value[1:].isdigit():
        msg = f"'code' must be a capital letter followed by digits, e.g. 'S101' (got {value!r})"
        raise ValueError(msg)


def _symbol(_inst: object, _attribute: attrs.Attribute[str], value: str) -> None:
    parts = value.split("-")
    if not value or not all(p and p.isascii() and p.isalnum() and p.islower() for p in parts):
        msg = f"'symbol' must be kebab-case, e.g. 'vague-aim' (got {value!r})"
        raise ValueError(msg)


def _texts(value: Iterable[str] | str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


@attrs.frozen
class RuleMeta:
    """Everything about a rule except its logic, kept in one place.

    Docs pages, the ``devcycle rules`` command and each rule's tests are generated from it.

    Attributes:
        code: A letter and three digits: S1xx specific, M2xx measurable, A3xx achievable,
            R4xx relevant, T5xx time-bound, P6xx known bad practice, L7xx missing links,
            W8xx the whole set of a person's objectives.
            Plug-ins use a letter of their own (any other capital). Codes are never reused.
        symbol: A kebab-case name, usable in place of the code in ``--select``/``--ignore``.
        criterion: What the rule judges.
        severity: The default severity; schools may change it in their configuration.
        message: The finding's message; ``{detail}`` is replaced by what the rule matched.
        why: Why this matters, in a sentence or two.
        fix: How to put it right.
        bad: Objectives the rule must flag (tested).
        good: Objectives the rule must accept (tested).
        since: The devcycle version that added it.
        negates: The SMART criterion a finding makes false, or None for advisory rules.
        data_target: Whether a finding marks the objective as a bare data target.
        needs_context: Whether the rule needs a structured objective or cycle context (its
            examples are then not run as bare text).
        status: Stable, preview (off unless selected) or deprecated.
        decisive: Whether a finding settles its criterion by the rubric's own convention
            (a placeholder makes an objective unspecific), so that the judge's weighing
            cannot outweigh it.
    """

    code: str = attrs.field(validator=_code)
    symbol: str = attrs.field(validator=_symbol)
    criterion: Criterion = attrs.field(converter=Criterion)
    severity: Severity = attrs.field(converter=Severity)
    message: str
    why: str
    fix: str
    bad: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    good: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    since: str = "0.1.0"
    negates: Criterion | None = None
    data_target: bool = False
    needs_context: bool = False
    status: Status = attrs.field(default=Status.STABLE, converter=Status)
    decisive: bool = False

    def __attrs_post_init__(self) -> None:
        builtin_letters = set(_PREFIX.values())
        if self.code[0] in builtin_letters and self.code[0] != self.criterion.prefix:
            msg = (
                f"rule {self.code} is a {self.criterion.value} rule, so its code must start "
                f"with {self.criterion.prefix!r} (or a plug-in's own letter outside "
                f"{''.join(sorted(builtin_letters))})"
            )
            raise ValueError(msg)
        if self.negates is not None and self.negates not in SMART:
            msg = f"rule {self.code}: 'negates' must be one of the SMART criteria"
            raise ValueError(msg)


@attrs.frozen
class Finding:
    """One problem found in one objective, with where it is and how to fix it.

    Attributes:
        code: The rule's code ("S101").
        symbol: The rule's symbol ("vague-aim").
        criterion: What the rule judges.
        severity: How serious it is, after the school's configuration.
        message: What is wrong, in a sentence.
        fix: How to put it right.
        path: Where in the objective: ``$.statement``, ``$.deadline``, ``$`` for the whole.
        span: For text rules, the ``(start, end)`` character offsets of the offending words
            in the text at *path*; None otherwise.
    """

    code: str
    symbol: str
    criterion: Criterion
    severity: Severity
    message: str
    fix: str
    path: str = "$.statement"
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as plain JSON-ready data (the ``check --format json`` shape)."""
        return {
            "code": self.code,
            "symbol": self.symbol,
            "criterion": self.criterion.value,
            "severity": self.severity.value,
            "message": self.message,
            "fix": self.fix,
            "path": self.path,
            "span": list(self.span) if self.span is not None else None,
        }


@attrs.frozen
class Assessment:
    """The checker's judgement on one objective.

    Attributes:
        text: The statement that was checked.
        verdicts: One boolean per SMART criterion (`SMART`), keyed by criterion value.
        data_target: Whether the objective is essentially a bare pupil-data target.
        findings: Every finding: the statement's first, in SMART order (S, M, A, R, T, then P
            and L), then those on other fields by path.
        objective_id: The objective's id, when a structured objective was checked.
    """

    text: str
    verdicts: dict[str, bool] = attrs.field(hash=False)
    data_target: bool
    findings: tuple[Finding, ...] = ()
    objective_id: str | None = None

    @property
    def specific(self) -> bool:
        """Whether the objective names a concrete focus and what will be done."""
        return self.verdicts["specific"]

    @property
    def measurable(self) -> bool:
        """Whether the objective says how success will be judged."""
        return self.verdicts["measurable"]

    @property
    def achievable(self) -> bool:
        """Whether the objective is within the person's control and realistic."""
        return self.verdicts["achievable"]

    @property
    def relevant(self) -> bool:
        """Whether the objective is tied to pupils' learning, the role or a priority."""
        return self.verdicts["relevant"]

    @property
    def time_bound(self) -> bool:
        """Whether the objective has a deadline or a time frame with an end point."""
        return self.verdicts["time_bound"]

    @property
    def smart(self) -> bool:
        """Whether all five SMART verdicts hold."""
        return all(self.verdicts.values())

    @property
    def good(self) -> bool:
        """Whether the objective is SMART and not a bare data target."""
        return self.smart and not self.data_target

    @property
    def clean(self) -> bool:
        """Whether the check found nothing at all (the "checked cleanly" count)."""
        return not self.findings

    def at_least(self, severity: Severity | str) -> tuple[Finding, ...]:
        """Return the findings at *severity* or worse."""
        floor = Severity(severity).rank
        return tuple(f for f in self.findings if f.severity.rank >= floor)

    @property
    def errors(self) -> tuple[Finding, ...]:
        """The findings at error severity."""
        return self.at_least(Severity.ERROR)

    def to_dict(self) -> dict[str, Any]:
        """Return the assessment as plain JSON-ready data (one ``results`` entry)."""
        return {
            "id": self.objective_id,
            "verdicts": dict(self.verdicts),
            "data_target": self.data_target,
            "findings": [f.to_dict() for f in self.findings],
        }
