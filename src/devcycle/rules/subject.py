"""What a rule sees: the objective being checked, its cycle context, and the hits rules return."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import attrs

from devcycle.domain import (
    CPDActivity,
    Cycle,
    Objective,
    ObjectiveStatus,
    Priority,
    Role,
    School,
    StaffMember,
)
from devcycle.domain.role_names import role_from_text
from devcycle.rules.config import CheckConfig
from devcycle.rules.text import Analysis

if TYPE_CHECKING:
    from devcycle.rules.judge import Judgement

_T = TypeVar("_T")

__all__ = ["CheckContext", "Hit", "ObjectiveWords", "Reach", "Subject"]


def _objectives(value: Iterable[Objective]) -> tuple[Objective, ...]:
    return tuple(value)


def _activities(value: Iterable[CPDActivity]) -> tuple[CPDActivity, ...]:
    return tuple(value)


def _priorities(value: Iterable[Priority]) -> tuple[Priority, ...]:
    return tuple(value)


def _role(value: Role | str | None) -> Role | str | None:
    """The `Role` *value* names, a usual name for one included ("lecturer": a teacher).

    The one reading of a role for every caller: the CLI's files, `check`, and the judge's
    fitting and benchmarks all build a `CheckContext`, so all see the same role. Names that
    are no role are kept as text.
    """
    if value is None or isinstance(value, Role):
        return value
    return role_from_text(str(value)) or str(value)


@attrs.frozen
class CheckContext:
    """The cycle an objective belongs to, for rules that look beyond the statement.

    Build one directly, or with `CheckContext.from_cycle` from the objects an embedder
    already holds. Every field is optional: rules that need a missing piece stay quiet.

    Attributes:
        cycle_id: The cycle's id, to match CPD activities' objective references.
        window: The cycle's first and last day; deadlines outside it are flagged.
        role: The owner's role ("teacher", a `Role`); roles outside `Role` are kept as text.
        fte: The owner's full-time equivalent (0.6 for three days a week).
        other_objectives: The owner's other live objectives in the same cycle.
        cpd: CPD activities that may support the objective.
        priorities: The school's improvement-plan priorities.
        max_objectives: How many objectives one person should hold (None: the configured one).

    Examples:
        >>> ctx = CheckContext(role="teaching_assistant", fte=0.6)
        >>> ctx.role
        <Role.TEACHING_ASSISTANT: 'teaching_assistant'>
    """

    cycle_id: str | None = None
    window: tuple[date, date] | None = None
    role: Role | str | None = attrs.field(default=None, converter=_role)
    fte: float | None = None
    other_objectives: tuple[Objective, ...] = attrs.field(default=(), converter=_objectives)
    cpd: tuple[CPDActivity, ...] = attrs.field(default=(), converter=_activities)
    priorities: tuple[Priority, ...] = attrs.field(default=(), converter=_priorities)
    max_objectives: int | None = None

    @classmethod
    def from_cycle(
        cls,
        cycle: Cycle,
        *,
        staff: StaffMember | None = None,
        cpd: Iterable[CPDActivity] = (),
        school: School | None = None,
        objective_id: str | None = None,
    ) -> CheckContext:
        """Build the context for checking objectives in *cycle*.

        Args:
            cycle: The cycle the objective belongs to (period, other objectives).
            staff: Its owner, for role and FTE.
            cpd: CPD activities, for the link from objective to professional learning.
            school: The school, for its priorities and its policy's objective limit.
            objective_id: The objective being checked, left out of ``other_objectives``.

        Returns:
            A context with every piece that was given.
        """
        live = tuple(
            o
            for o in cycle.objectives
            if o.id != objective_id and o.status is not ObjectiveStatus.EVALUATED
        )
        return cls(
            cycle_id=cycle.id,
            window=(cycle.period_start, cycle.period_end),
            role=staff.primary_role if staff is not None else None,
            fte=staff.fte if staff is not None else None,
            other_objectives=live,
            cpd=tuple(cpd),
            priorities=school.priorities if school is not None else (),
            max_objectives=school.policy.max_objectives if school is not None else None,
        )

    def without(self, objective_id: str) -> CheckContext:
        """Return the context with *objective_id* left out of the other objectives."""
        others = tuple(o for o in self.other_objectives if o.id != objective_id)
        return attrs.evolve(self, other_objectives=others)


@attrs.frozen
class Hit:
    """One thing a rule found; the engine adds the rule's metadata to make a `Finding`.

    Attributes:
        span: ``(start, end)`` character offsets in the text at *path*, for text rules.
        path: Where in the objective (``$.statement``, ``$.deadline``, ``$``).
        detail: Replaces ``{detail}`` in the rule's message (the words matched, a date...).
    """

    span: tuple[int, int] | None = None
    path: str = "$.statement"
    detail: str = ""


class Reach(enum.IntEnum):
    """How far past the statement a rule's run read (`Subject.run_reach`)."""

    STATEMENT = 0
    """Only the statement, the owner's role and the configuration."""
    WORDS = 1
    """Also the objective's other words (`Subject.words`)."""
    STRUCTURE = 2
    """The structured objective or the cycle context."""


@attrs.frozen
class ObjectiveWords:
    """What a structured objective says besides its statement, for rules that read only text.

    A rule that reads these (through `Subject.words`) and not the objective itself finds the
    same on every objective with the same statement and words, whatever its id, owner or
    cycle: the engine remembers its findings by them.

    Attributes:
        rationale: Why the objective was set.
        support: The support agreed (CPD, coaching) as text.
        criteria: The success criteria's texts, in order.
        evidence: The evidence sources named.
        has_deadline: Whether a deadline is set (its date is the objective's own: a rule
            comparing it with the cycle reads `Subject.objective`).
    """

    rationale: str
    support: tuple[str, ...]
    criteria: tuple[str, ...]
    evidence: tuple[str, ...]
    has_deadline: bool

    @classmethod
    def of(cls, objective: Objective) -> ObjectiveWords:
        """Read *objective*'s words."""
        return cls(
            rationale=objective.rationale,
            support=objective.support,
            criteria=tuple(c.text for c in objective.success_criteria),
            evidence=objective.evidence_sources,
            has_deadline=objective.deadline is not None,
        )


@attrs.frozen
class Subject:
    """The objective as rules see it: its statement, structure, context and configuration.

    Attributes:
        text: The statement.
        objective: The structured objective, or None for a bare statement.
        context: The cycle context, or None.
        config: The school's configuration.
    """

    text: str
    _objective: Objective | None = attrs.field(alias="objective")
    _context: CheckContext | None = attrs.field(alias="context")
    config: CheckConfig
    _hits: dict[object, tuple[Hit, ...]] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )
    # How many times the structured objective or the cycle context was read (first), and
    # the objective's words (second), and the rules whose run read each: what `run_reach`
    # reports (a list, as the class is frozen).
    _reads: list[int] = attrs.field(
        factory=lambda: [0, 0], init=False, eq=False, hash=False, repr=False
    )
    _structural: set[object] = attrs.field(
        factory=set, init=False, eq=False, hash=False, repr=False
    )
    _wordy: set[object] = attrs.field(factory=set, init=False, eq=False, hash=False, repr=False)
    _shared: dict[object, tuple[object, int, int]] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )

    @property
    def objective(self) -> Objective | None:
        """The structured objective, or None for a bare statement."""
        self._reads[0] += 1
        return self._objective

    @property
    def context(self) -> CheckContext | None:
        """The cycle context, or None."""
        self._reads[0] += 1
        return self._context

    @functools.cached_property
    def _words(self) -> ObjectiveWords | None:
        objective = self._objective
        return ObjectiveWords.of(objective) if objective is not None else None

    @property
    def words(self) -> ObjectiveWords | None:
        """The structured objective's words besides its statement, or None for a bare one.

        Read these rather than `objective` where a rule needs only the objective's texts or
        whether it has a deadline: its findings are then remembered by statement and words
        (`Reach.WORDS`).
        """
        self._reads[1] += 1
        return self._words

    @property
    def words_key(self) -> ObjectiveWords | None:
        """`words` without counting as a read: what the engine remembers findings by."""
        return self._words

    def run(self, item: Callable[[Subject], Iterable[Hit]]) -> tuple[Hit, ...]:
        """Run rule *item* on this subject once; later calls return the same hits.

        The engine and the judge both read the built-in rules' hits, so each runs once.
        """
        reads = self._reads
        found = self._hits.get(item)
        if found is None:
            structure, words = reads
            found = tuple(item(self))
            self._hits[item] = found
            if reads[0] != structure:
                self._structural.add(item)
            elif reads[1] != words:
                self._wordy.add(item)
        elif item in self._structural:
            reads[0] += 1  # a rule reading these hits reads what they were found from
        elif item in self._wordy:
            reads[1] += 1
        return found

    def shared(self, compute: Callable[[Subject], _T]) -> _T:
        """``compute(self)``, worked out once for this subject and shared by the rules asking.

        What *compute* read counts as read by every caller (see `run_reach`).
        """
        reads = self._reads
        known = self._shared.get(compute)
        if known is None:
            structure, words = reads
            value = compute(self)
            self._shared[compute] = (value, reads[0] - structure, reads[1] - words)
            return value
        stored, structure_reads, word_reads = known
        reads[0] += structure_reads
        reads[1] += word_reads
        return stored  # type: ignore[return-value]  # stored under its own function

    def remember(
        self, hits: Mapping[object, tuple[Hit, ...]], wordy: Iterable[object] = ()
    ) -> None:
        """Take rules' *hits* on this statement as found (see `run_reach`).

        The engine passes the hits of rules that read only the statement, the role and the
        configuration, remembered from another objective with the same ones, and of rules
        that also read the objective's words (*wordy*), remembered from one with the same
        words.
        """
        self._hits.update(hits)
        self._wordy.update(wordy)

    def run_reading(self, item: Callable[[Subject], Iterable[Hit]]) -> tuple[tuple[Hit, ...], bool]:
        """Run rule *item* as `run` does, and say whether it read past the statement.

        True when the rule read the structured objective, its words or the cycle context (its
        hits may differ for another objective with the same statement); False when it read only the
        statement, the owner's role and the configuration, so that its hits hold for every
        objective with the same statement, role and configuration. The engine remembers
        those (`devcycle.rules.engine`): a run of a rule follows one path, so a rule that
        read nothing else on this statement takes the same path on any objective with it.
        """
        found, reach = self.run_reach(item)
        return found, reach is not Reach.STATEMENT

    def run_reach(self, item: Callable[[Subject], Iterable[Hit]]) -> tuple[tuple[Hit, ...], Reach]:
        """Run rule *item* as `run` does, and say how far past the statement it read.

        `Reach.STATEMENT`: its hits hold for every objective with the same statement, role
        and configuration; `Reach.WORDS`: for every objective with the same statement, words
        (`words`), role and configuration; `Reach.STRUCTURE`: for this objective only.
        """
        structure, words = self._reads
        found = self.run(item)
        if self._reads[0] != structure:
            return found, Reach.STRUCTURE
        return found, Reach.WORDS if self._reads[1] != words else Reach.STATEMENT

    @functools.cached_property
    def analysis(self) -> Analysis:
        """The statement's analysis (tokens, dates, numbers, lexicon matches), built once."""
        return Analysis.of(self.text, self.config.lexicons)

    @functools.cached_property
    def judgement(self) -> Judgement | None:
        """The judge's weighing of the statement (`devcycle.rules.judge`), built once."""
        from devcycle.rules.judge import judge  # noqa: PLC0415 - the judge imports this module

        return judge(self)

    def analyse(self, text: str) -> Analysis:
        """Analyse another text of the objective (a success criterion, say)."""
        return Analysis.supporting(text, self.config.lexicons)

    @property
    def role(self) -> Role | str | None:
        """The owner's role, if the context gives one."""
        context = self._context  # the role is part of what the engine remembers hits by
        return context.role if context is not None else None

    @property
    def structured(self) -> bool:
        """Whether a structured objective (not only a statement) is being checked.

        Read as the objective's words are: an objective's words tell that it is one.
        """
        return self.words is not None
