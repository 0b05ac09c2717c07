"""The `Cycle` aggregate: one person's development cycle for one period.

A cycle holds its milestones, objectives, review meetings, evidence and observations, and an
append-only history. It changes only through the named methods below. Each takes the acting
person (``by``) and the date (``on``) as parameters, checks the transition tables
`CYCLE_TRANSITIONS` and `OBJECTIVE_TRANSITIONS` and who may act, appends to `history`, and
raises `DomainError` saying what was attempted, from which state and what is allowed. A failed
call changes nothing. A closed cycle is locked: every change raises.

The methods are the only way its state changes: the class is frozen, so assigning a field
(``cycle.status = ...``) raises `attrs.exceptions.FrozenInstanceError`. A copy made with
`attrs.evolve` is a new object the store checks when it is saved: a closed cycle cannot be
overwritten and a saved history must extend the stored one
(`devcycle.storage.base.CycleRepository.update`).

While `recording_calls` is active for a cycle, each method called on it from outside is
recorded with its arguments, and `replay_calls` applies the same calls to a copy of the
cycle as it was: the service layer saves a change only if the two agree, so a field set
behind the methods' back (``object.__setattr__``) is refused, not saved.
"""

from __future__ import annotations

import contextvars
import copy
import enum
import functools
import math
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any, Concatenate, Final, ParamSpec, TypeVar

import attrs

from devcycle.domain._validate import (
    a_date,
    as_tuple,
    copier,
    evolve_valid,
    flag,
    identifier,
    instances,
    invalid,
    is_date,
    member_of,
    not_before,
    optional_identifier,
    optional_plain_text,
    to_float,
    to_tuple,
)
from devcycle.domain.evidence import Evidence, Observation, ObservationKind
from devcycle.domain.history import HistoryEntry, new_entry
from devcycle.domain.milestones import Milestone, MilestoneKind
from devcycle.domain.objectives import (
    RAG,
    Agreement,
    CheckIn,
    ColleagueImpact,
    Evaluation,
    Objective,
    ObjectiveKind,
    ObjectiveStatus,
    Outcome,
    Return,
    SharedWith,
    SuccessCriterion,
)
from devcycle.domain.reviews import (
    AgreedAction,
    Confidential,
    Conversation,
    PayRecommendation,
    ReviewKind,
    ReviewMeeting,
)
from devcycle.errors import DomainError, NotFoundError, Problem, ValidationError

__all__ = [
    "CYCLE_TRANSITIONS",
    "DEFAULT_GRACE_DAYS",
    "MEETING_MILESTONES",
    "OBJECTIVE_TRANSITIONS",
    "Cycle",
    "CycleStatus",
    "Party",
    "Transition",
    "recording_calls",
    "replay_calls",
]


_P = ParamSpec("_P")
_R = TypeVar("_R")

Call = tuple[str, tuple[Any, ...], dict[str, Any]]
"""One method call on a cycle: its name, positional and keyword arguments."""


@attrs.define
class _Recording:
    target: object
    calls: list[Call]
    depth: int = 0


_RECORDER: contextvars.ContextVar[_Recording | None] = contextvars.ContextVar(
    "devcycle_cycle_recording", default=None
)


def _action(
    method: Callable[Concatenate[Cycle, _P], _R],
) -> Callable[Concatenate[Cycle, _P], _R]:
    """Mark a method that changes the cycle: recorded while `recording_calls` is active."""
    name = method.__name__

    def recorded(self: Cycle, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        recording = _RECORDER.get()
        if recording is None or recording.target is not self:
            return method(self, *args, **kwargs)
        recording.depth += 1
        try:
            result = method(self, *args, **kwargs)
        finally:
            recording.depth -= 1
        if recording.depth == 0:  # a call from outside, not one method calling another
            recording.calls.append((name, args, dict(kwargs)))
        return result

    functools.update_wrapper(recorded, method)
    return recorded


@contextmanager
def recording_calls(cycle: Cycle) -> Iterator[list[Call]]:
    """Record each method called on *cycle* (from outside it) that returns, in order.

    A call that raises is not recorded (a failed call changes nothing). Calls on other
    cycles, and calls one method makes to another, are not recorded.
    """
    recording = _Recording(cycle, [])
    token = _RECORDER.set(recording)
    try:
        yield recording.calls
    finally:
        _RECORDER.reset(token)


def replay_calls(before: Cycle, calls: Iterable[Call]) -> Cycle:
    """Return a copy of *before* with *calls* (from `recording_calls`) applied to it.

    Raises:
        DomainError: If a call is refused on the copy (its arguments changed since, say).
    """
    replayed = copy.copy(before)  # the parts are immutable: a true snapshot
    for name, args, kwargs in calls:
        getattr(replayed, name)(*args, **kwargs)
    return replayed


DEFAULT_GRACE_DAYS: Final = 90
"""How many days after a cycle's end an action on it may still be dated, unless the cycle
sets its own `Cycle.grace_days`: long enough for a final review held in the autumn after a
cycle that ended in the summer."""


def _grace_days(_inst: object, _attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        msg = f"'grace_days' must be a whole number of days from 0 to 366 (got {value!r})"
        invalid("grace_days", msg, value=value, expected="a whole number from 0 to 366")


class CycleStatus(enum.StrEnum):
    """Where a cycle is in its year."""

    DRAFT = "draft"
    PLANNING = "planning"
    ACTIVE = "active"
    FINAL_REVIEW = "final_review"
    CLOSED = "closed"
    """Closed after its final review: the completed cycle."""
    ENDED = "ended"
    """Ended when the reviewee left the school, with no final review (`Cycle.end_on_leaving`):
    over and locked like a closed cycle, but never a completed review."""


def _to_cycle_status(value: CycleStatus | str) -> CycleStatus:
    return member_of(CycleStatus, "status", value)


class Party(enum.StrEnum):
    """The part a person plays in a cycle."""

    REVIEWEE = "reviewee"
    REVIEWER = "reviewer"
    OTHER = "other"
    """Anyone else: an observer, a headteacher assigning reviewers."""


NEW = "new"
"""The pseudo-state of an objective that does not exist yet, in `OBJECTIVE_TRANSITIONS`."""


@attrs.frozen
class Transition:
    """One row of a transition table.

    Attributes:
        action: The method's verb ("agree").
        sources: The states it may start from.
        target: The state it ends in.
        parties: Who may take it.
        cycle_states: For objective transitions, the cycle states in which it is allowed.
    """

    action: str
    sources: frozenset[str]
    target: str
    parties: frozenset[Party]
    cycle_states: frozenset[CycleStatus] = frozenset()


def _t(
    action: str,
    sources: Iterable[str],
    target: str,
    parties: Iterable[Party],
    cycle_states: Iterable[CycleStatus] = (),
) -> Transition:
    return Transition(
        action, frozenset(sources), target, frozenset(parties), frozenset(cycle_states)
    )


_S = CycleStatus
_O = ObjectiveStatus
_EE, _ER = Party.REVIEWEE, Party.REVIEWER

CYCLE_TRANSITIONS: tuple[Transition, ...] = (
    _t("start_planning", [_S.DRAFT], _S.PLANNING, [_EE, _ER]),
    _t("activate", [_S.PLANNING], _S.ACTIVE, [_ER]),
    _t("begin_final_review", [_S.ACTIVE], _S.FINAL_REVIEW, [_ER]),
    _t("close", [_S.FINAL_REVIEW], _S.CLOSED, [_ER]),
    _t(
        "end_on_leaving",
        [_S.DRAFT, _S.PLANNING, _S.ACTIVE, _S.FINAL_REVIEW],
        _S.ENDED,
        [_ER, Party.OTHER],
    ),
)
"""The cycle's life: draft → planning → active → final review → closed (locked). A cycle
not yet closed whose reviewee has left the school may instead be ended on leaving (→ ended,
locked too), by anyone but the reviewee (the access policy says who: by default the
headteacher)."""

_SETTING = [_S.DRAFT, _S.PLANNING, _S.ACTIVE]
OBJECTIVE_TRANSITIONS: tuple[Transition, ...] = (
    _t("draft", [NEW], _O.DRAFT, [_EE, _ER], _SETTING),
    _t("propose", [NEW, _O.DRAFT, _O.RETURNED], _O.PROPOSED, [_EE], _SETTING),
    _t("return", [_O.PROPOSED], _O.RETURNED, [_ER], _SETTING),
    _t("moderate", [_O.PROPOSED, _O.AGREED], _O.RETURNED, [Party.OTHER], _SETTING),
    _t("agree", [_O.PROPOSED], _O.AGREED, [_ER], _SETTING),
    _t("set", [_O.DRAFT, _O.PROPOSED, _O.RETURNED], _O.AGREED, [_ER], _SETTING),
    _t("revise", [_O.AGREED], _O.PROPOSED, [_EE, _ER], [_S.ACTIVE]),
    _t("evaluate", [_O.AGREED], _O.EVALUATED, [_ER], [_S.ACTIVE, _S.FINAL_REVIEW]),
)
"""An objective's life: draft → proposed → returned (with reasons) → proposed … → agreed
(or set by the reviewer over the reviewee's recorded disagreement) → evaluated. An agreed
objective may be revised mid-cycle, which sends it back for agreement. At moderation, a
proposed or agreed objective may be returned for consistency with reasons by someone other
than the reviewee and reviewer (a headteacher comparing reviewers); the access policy says
who."""

_RECORDING = frozenset({_S.PLANNING, _S.ACTIVE, _S.FINAL_REVIEW})

MEETING_MILESTONES: dict[ReviewKind, MilestoneKind] = {
    ReviewKind.PLANNING: MilestoneKind.PLANNING,
    ReviewKind.CHECK_IN: MilestoneKind.CHECK_IN,
    ReviewKind.MID_YEAR: MilestoneKind.MID_YEAR,
    ReviewKind.FINAL: MilestoneKind.FINAL,
    ReviewKind.PROGRESS_REVIEW: MilestoneKind.PROGRESS_REVIEW,
    ReviewKind.FORMAL_ASSESSMENT: MilestoneKind.FORMAL_ASSESSMENT,
}
"""The kind of milestone a review meeting of each kind fulfils (an "other" meeting, none)."""
_CHECKING_IN = frozenset({_S.ACTIVE, _S.FINAL_REVIEW})
_EITHER_SIDE: Final = frozenset({Party.REVIEWEE, Party.REVIEWER})


_CYCLE_BY_ACTION: Final = {t.action: t for t in reversed(CYCLE_TRANSITIONS)}
_OBJECTIVE_BY_ACTION: Final = {t.action: t for t in reversed(OBJECTIVE_TRANSITIONS)}
"""Each table's rows by action (the first row of an action, as a scan of the table finds)."""
_CYCLE_TARGET: Final = {t.target: CycleStatus(t.target) for t in CYCLE_TRANSITIONS}
_OBJECTIVE_TARGET: Final = {t.target: ObjectiveStatus(t.target) for t in OBJECTIVE_TRANSITIONS}
"""Each row's target state as the status enum (what its constructor gives), found once."""


def _cycle_transition(action: str) -> Transition:
    return _CYCLE_BY_ACTION[action]


def _objective_transition(action: str) -> Transition:
    return _OBJECTIVE_BY_ACTION[action]


def _wrap_value_error(what: str, error: ValueError | TypeError) -> ValidationError:
    if isinstance(error, ValidationError):
        return ValidationError(
            [
                Problem(f"cannot {what}: {p.message}", p.path, value=p.value, expected=p.expected)
                for p in error.problems
            ]
        )
    return ValidationError([f"cannot {what}: {error}"])


def _hours_cap(_inst: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        msg = (
            f"'observation_hours_cap' must be a number of hours above 0, or left out "
            f"(got {value!r})"
        )
        invalid("observation_hours_cap", msg, value=value, expected="a number above 0, or none")


@attrs.frozen(eq=True)
class Cycle:
    """One person's development cycle for one period: the aggregate root.

    Create one with the period and the people, then drive it through its methods::

        cycle = Cycle(id="2026-T042", school_id="stm", staff_id="T042", reviewer_id="H001",
                      period_start=date(2026, 9, 1), period_end=date(2027, 8, 31))
        cycle.start_planning(by="H001", on=date(2026, 9, 10))
        objective = cycle.propose_objective(by="T042", on=date(2026, 9, 20), statement="...")
        cycle.agree_objective(objective.id, by="H001", on=date(2026, 10, 8))

    Attributes:
        id: The caller's id for the cycle.
        school_id: The school (the tenant).
        staff_id: The reviewee.
        period_start: First day of the period.
        period_end: Last day of the period.
        reviewer_id: The reviewer (appraiser); needed for the reviewer's actions.
        template_id: The template it was planned from, if any.
        status: Where the cycle is in its year.
        pay_recommendations: Whether the school's policy allows a pay recommendation.
        observation_hours_cap: The school's policy's cap on observation hours in the cycle,
            if any: `record_observation` refuses one that would pass it.
        grace_days: How many days after `period_end` an action may still be dated (a final
            review held after the summer, say); `DEFAULT_GRACE_DAYS` unless set.
        milestones: Dated milestones, in date order.
        objectives: Objectives, in the order they were added.
        reviews: Review meetings held.
        evidence: Evidence added.
        observations: Observations recorded.
        history: Every action taken, in the order it was recorded; append-only.
        version: Set by the store for optimistic concurrency; leave at 0. The store advances
            it in place on save; it is not part of the cycle's value (equality ignores it).

    Fields are read-only: change a cycle through its methods.
    """

    id: str = attrs.field(validator=identifier)
    school_id: str = attrs.field(validator=identifier)
    staff_id: str = attrs.field(validator=identifier)
    period_start: date = attrs.field(validator=a_date)
    period_end: date = attrs.field(validator=[a_date, not_before("period_start")])
    reviewer_id: str | None = attrs.field(default=None, validator=optional_identifier)
    template_id: str | None = attrs.field(default=None, validator=optional_plain_text)
    status: CycleStatus = attrs.field(default=CycleStatus.DRAFT, converter=_to_cycle_status)
    pay_recommendations: bool = attrs.field(default=False, validator=flag)
    observation_hours_cap: float | None = attrs.field(
        default=None, converter=to_float, validator=_hours_cap
    )
    grace_days: int = attrs.field(default=DEFAULT_GRACE_DAYS, validator=_grace_days)
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(Milestone)
    )
    objectives: tuple[Objective, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(Objective)
    )
    reviews: tuple[ReviewMeeting, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(ReviewMeeting)
    )
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(Evidence)
    )
    observations: tuple[Observation, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(Observation)
    )
    history: tuple[HistoryEntry, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(HistoryEntry)
    )
    version: int = attrs.field(default=0, eq=False)

    # A cycle changes through its methods, so it is not hashable (its value changes).
    __hash__ = None  # type: ignore[assignment]

    def __copy__(self) -> Cycle:
        """Return a shallow copy, field by field: what `copy.copy` makes by default.

        The parts are immutable, so it is a true snapshot. A change copies its cycle three
        times (the copy kept as loaded, the snapshot it is checked against, the replay's):
        this is about half the time of the pickling protocol `copy.copy` uses otherwise.
        """
        cls = type(self)
        if cls is Cycle:  # generated, setting each slot by its descriptor (issue 16)
            return _copy_cycle(self)
        new = object.__new__(cls)
        for name in (f.name for f in attrs.fields(cls)):
            object.__setattr__(new, name, getattr(self, name))
        return new

    def __attrs_post_init__(self) -> None:
        if self.reviewer_id is not None and self.reviewer_id == self.staff_id:
            msg = f"cycle {self.id!r}: the reviewer cannot be the reviewee ({self.staff_id!r})"
            invalid(
                "reviewer_id", msg, value=self.reviewer_id, expected="someone other than staff_id"
            )
        for kind, items in (
            ("objective", self.objectives),
            ("milestone", self.milestones),
            ("review", self.reviews),
            ("evidence", self.evidence),
            ("observation", self.observations),
        ):
            ids = [item.id for item in items]
            repeated = sorted({i for i in ids if ids.count(i) > 1})
            if repeated:
                msg = f"cycle {self.id!r} has {kind} id(s) more than once: {', '.join(repeated)}"
                field = "evidence" if kind == "evidence" else f"{kind}s"
                invalid(field, msg, value=repeated, expected=f"each {kind} id once")

    # ----------------------------------------------------------------- queries

    def allowed_dates(self, target: str | None = None) -> tuple[date, date]:
        """The first and last day the next action on *target* may be dated.

        From the cycle's start, or the date of the last action on the same *target* if that
        is later (``"cycle"`` for the cycle's own transitions, ``"objective:obj-1"`` for an
        objective: an objective is not agreed before it was proposed, nor checked in on
        before it was agreed), to the cycle's end plus `grace_days`.

        Example:
            >>> c = Cycle(id="c1", school_id="s", staff_id="T1", period_start=date(2026, 9, 1),
            ...           period_end=date(2027, 8, 31), grace_days=30)
            >>> c.allowed_dates()
            (datetime.date(2026, 9, 1), datetime.date(2027, 9, 30))
        """
        first = self.period_start
        follows = self._follows(target)
        if follows is not None and follows.on > first:
            first = follows.on
        return first, self.period_end + timedelta(days=self.grace_days)

    def _follows(self, target: str | None) -> HistoryEntry | None:
        """The last recorded action on *target* (for the cycle: its last transition)."""
        if target is None:
            return None
        for entry in reversed(self.history):
            if entry.target != target:
                continue
            if target == "cycle" and entry.to_state is None:
                continue
            return entry
        return None

    @property
    def is_closed(self) -> bool:
        """Whether the cycle is over and locked: closed, or ended on leaving.

        Nothing may change either way. `is_completed` (closed after its final review) and
        `is_ended` (ended when the reviewee left, never a completed review) tell them apart.
        """
        return self.status is CycleStatus.CLOSED or self.status is CycleStatus.ENDED

    @property
    def is_completed(self) -> bool:
        """Whether the cycle was closed after its final review (status ``closed``)."""
        return self.status is CycleStatus.CLOSED

    @property
    def is_ended(self) -> bool:
        """Whether the cycle was ended when the reviewee left (status ``ended``)."""
        return self.status is CycleStatus.ENDED

    @property
    def ending(self) -> HistoryEntry | None:
        """The history entry that ended the cycle on leaving (when, by whom, the note), if any."""
        if not self.is_ended:
            return None
        return next(
            (e for e in reversed(self.history) if e.to_state == CycleStatus.ENDED.value), None
        )

    def objective(self, objective_id: str) -> Objective:
        """Return the objective with *objective_id*, or raise `NotFoundError`."""
        for objective in self.objectives:
            if objective.id == objective_id:
                return objective
        raise NotFoundError(
            "objective",
            objective_id,
            within=f"in cycle {self.id!r}",
            known=[o.id for o in self.objectives],
        )

    def milestone(self, milestone_id: str) -> Milestone:
        """Return the milestone with *milestone_id*, or raise `NotFoundError`."""
        for milestone in self.milestones:
            if milestone.id == milestone_id:
                return milestone
        raise NotFoundError(
            "milestone",
            milestone_id,
            within=f"in cycle {self.id!r}",
            known=[m.id for m in self.milestones],
        )

    def milestone_for(self, kind: ReviewKind | str, on: date) -> Milestone | None:
        """Return the milestone a review meeting of *kind* held *on* fulfils, or None.

        Only milestones of the kind the meeting fulfils count (`MEETING_MILESTONES`: a
        planning meeting the planning milestone, a check-in a check-in...). Each has a
        window: from the day after the previous milestone of that kind is due to the day
        before the next one is due (open before the first and after the last). The meeting
        fulfils the earliest milestone not yet completed whose window holds its date, so a
        meeting held late clears the milestone it was late for, and one held after that
        milestone was met fulfils the next, if it falls in the next one's window.
        """
        wanted = MEETING_MILESTONES.get(ReviewKind(kind))
        if wanted is None:
            return None
        same = sorted((m for m in self.milestones if m.kind is wanted), key=lambda m: m.due)
        for index, milestone in enumerate(same):
            if milestone.completed_on is not None:
                continue
            after = same[index - 1].due if index > 0 else None
            before = same[index + 1].due if index + 1 < len(same) else None
            if (after is None or on > after) and (before is None or on < before):
                return milestone
        return None

    def objectives_in(self, *statuses: ObjectiveStatus) -> tuple[Objective, ...]:
        """Return the objectives in any of *statuses*, in order."""
        return tuple(o for o in self.objectives if o.status in statuses)

    @property
    def live_objectives(self) -> tuple[Objective, ...]:
        """Objectives that count towards the person's load: proposed, agreed or evaluated."""
        return self.objectives_in(_O.PROPOSED, _O.RETURNED, _O.AGREED, _O.EVALUATED)

    def next_milestone(self) -> Milestone | None:
        """Return the earliest milestone not yet completed (overdue or not), or None."""
        pending = [m for m in self.milestones if m.completed_on is None]
        return min(pending, key=lambda m: (m.due, m.id), default=None)

    def overdue_milestones(self, as_of: date) -> tuple[Milestone, ...]:
        """Return the milestones due before *as_of* and not completed."""
        return tuple(m for m in self.milestones if m.is_overdue(as_of))

    def party(self, person_id: str) -> Party:
        """Return the part *person_id* plays in this cycle."""
        if person_id == self.staff_id:
            return Party.REVIEWEE
        if self.reviewer_id is not None and person_id == self.reviewer_id:
            return Party.REVIEWER
        return Party.OTHER

    def available_actions(self, by: str, objective_id: str | None = None) -> tuple[str, ...]:
        """Return the names of the methods *by* may call now: on the cycle, or on one objective.

        Each name is a `Cycle` method (and the ``action`` that `devcycle.services.Services.act`
        takes), so a user interface can show one button per name and call that method. Without
        *objective_id*: the cycle's own actions (``start_planning``, ``activate``,
        ``begin_final_review``, ``close``, ``assign_reviewer``, ``set_milestones``,
        ``complete_milestone``) and the ones that add to it (``draft_objective``,
        ``propose_objective``, ``add_evidence``, ``record_observation``, ``record_review``).
        With it: that objective's (``submit_objective``, ``return_objective``,
        ``agree_objective``, ``set_objective``, ``revise_objective``, ``evaluate_objective``,
        ``record_check_in``, ``record_colleague_impact``, and ``moderate_objective`` for
        someone outside the cycle).

        A name is returned exactly when the method, called by *by* now with well-formed
        arguments, would not raise `DomainError`: the cycle's and the objective's states,
        the person's part in the cycle and the method's own conditions (an agreed objective
        before ``activate``, every agreed objective evaluated before ``close``, a milestone
        not yet completed for ``complete_milestone``) are all checked. What the access
        policy allows on top is `devcycle.services.Services.available_actions`.

        Raises:
            NotFoundError: If *objective_id* is not one of the cycle's objectives.

        Examples:
            >>> from datetime import date
            >>> cycle = Cycle(id="c1", school_id="s", staff_id="T1", reviewer_id="H1",
            ...               period_start=date(2026, 9, 1), period_end=date(2027, 8, 31))
            >>> cycle.start_planning(by="H1", on=date(2026, 9, 10))
            >>> objective = cycle.propose_objective(by="T1", on=date(2026, 9, 20), statement="x")
            >>> cycle.available_actions("H1", objective.id)
            ('return_objective', 'agree_objective', 'set_objective')
            >>> cycle.available_actions("T1")  # doctest: +NORMALIZE_WHITESPACE
            ('set_milestones', 'draft_objective', 'propose_objective', 'add_evidence',
             'record_review')
        """
        if self.is_closed:
            return ()
        party = self.party(by)
        if objective_id is not None:
            return self._objective_actions(party, self.objective(objective_id))
        names = [
            t.action
            for t in CYCLE_TRANSITIONS
            if self.status in t.sources and party in t.parties and self._guard_passes(t.action)
        ]
        if party is not Party.REVIEWEE:
            names.append("assign_reviewer")
        names.append("set_milestones")
        if any(m.completed_on is None for m in self.milestones):
            names.append("complete_milestone")
        for action in ("draft", "propose"):
            transition = _objective_transition(action)
            if self.status in transition.cycle_states and party in transition.parties:
                names.append(f"{action}_objective")
        both = party in (Party.REVIEWEE, Party.REVIEWER)
        if self.status in _RECORDING:
            names.extend(
                name
                for name, allowed in (
                    ("add_evidence", both),
                    ("record_observation", party is not Party.REVIEWEE),
                    ("record_review", both),
                )
                if allowed
            )
        return tuple(names)

    def _guard_passes(self, action: str) -> bool:
        """Whether a cycle transition's own condition holds (see `activate`, `close`)."""
        if action == "activate":
            return bool(self.objectives_in(_O.AGREED)) and not self.objectives_in(
                _O.PROPOSED, _O.RETURNED
            )
        if action == "close":
            return not self.objectives_in(_O.AGREED)
        return True  # end_on_leaving: the leaving date is its argument, checked when called

    def _objective_actions(self, party: Party, objective: Objective) -> tuple[str, ...]:
        names = [
            "submit_objective" if t.action == "propose" else f"{t.action}_objective"
            for t in OBJECTIVE_TRANSITIONS
            if t.action != "draft"
            and objective.status in t.sources
            and party in t.parties
            and self.status in t.cycle_states
        ]
        if (
            objective.status is _O.AGREED
            and self.status in _CHECKING_IN
            and party in (Party.REVIEWEE, Party.REVIEWER)
        ):
            names.append("record_check_in")
        if (
            objective.status in (_O.AGREED, _O.EVALUATED)
            and self.status in _CHECKING_IN
            and party in (Party.REVIEWEE, Party.REVIEWER)
        ):
            names.append("record_colleague_impact")
        return tuple(names)

    # ------------------------------------------------------- cycle transitions

    @_action
    def start_planning(self, *, by: str, on: date) -> None:
        """Open the planning stage (draft → planning)."""
        self._move_cycle("start_planning", by=by, on=on)

    @_action
    def activate(self, *, by: str, on: date) -> None:
        """Start the year's work once objectives are agreed (planning → active).

        Raises:
            DomainError: If no objective is agreed, or any is still proposed or returned.
        """
        checked = self._check_cycle_move("activate", by)
        if not self.objectives_in(_O.AGREED):
            self._fail("activate", "cycle", "no objective has been agreed yet")
        pending = self.objectives_in(_O.PROPOSED, _O.RETURNED)
        if pending:
            ids = ", ".join(o.id for o in pending)
            self._fail("activate", "cycle", f"objective(s) {ids} still await agreement")
        self._move_cycle("activate", by=by, on=on, checked=checked)

    @_action
    def begin_final_review(self, *, by: str, on: date) -> None:
        """Move to the end-of-cycle review (active → final review)."""
        self._move_cycle("begin_final_review", by=by, on=on)

    @_action
    def close(self, *, by: str, on: date) -> None:
        """Close and lock the cycle (final review → closed).

        Raises:
            DomainError: If an agreed objective has not been evaluated.
        """
        checked = self._check_cycle_move("close", by)
        unevaluated = self.objectives_in(_O.AGREED)
        if unevaluated:
            ids = ", ".join(o.id for o in unevaluated)
            self._fail("close", "cycle", f"objective(s) {ids} have not been evaluated")
        self._move_cycle("close", by=by, on=on, checked=checked)

    @_action
    def end_on_leaving(self, *, by: str, on: date, left_on: date, note: str = "") -> None:
        """End the cycle because the reviewee left the school on *left_on* (→ ended, locked).

        For a cycle that will never have its final review: its reviewee has gone. It is
        not a completed cycle (`is_completed` stays False) and records no outcome:
        objectives not yet evaluated are left as they were (an agreed objective stays
        agreed, never judged met or not met), evaluated ones keep their evaluation, and
        milestones not held stay not held. The history records who ended it and when,
        from which state, with the leaving date and *note*.

        *on* must be on or after *left_on* (their last day) and on or after the last
        action recorded on the cycle (ending it is the last thing recorded). It may be
        after the cycle's end and its grace, so that a leaver's cycle left open can be
        tidied up later. Anyone but the reviewee may end it here; the access policy says
        who may (by default the headteacher).

        Raises:
            DomainError: If the cycle is closed or already ended, or *by* is the reviewee.
            ValidationError: If *on* or *left_on* is not a date, *on* is before *left_on*
                or before the last action recorded on the cycle, or *note* is not one
                line of plain text of at most 500 characters.
        """
        action = "end_on_leaving"
        self._check_open(action)
        if self.party(by) is Party.REVIEWEE:
            self._fail(action, "cycle", "the reviewee cannot end their own cycle")
        for name, value in (("left_on", left_on), ("on", on)):
            if not is_date(value):
                msg = (
                    f"cannot {action}: {name!r} must be a date (datetime.date, not a time or "
                    f"text) (got {type(value).__name__} {value!r})"
                )
                raise ValidationError(
                    [Problem(msg, f"$.{name}", value=value, expected="a datetime.date")]
                )
        if on < left_on:
            msg = (
                f"cannot {action} on {on}: 'on' must be on or after the day the reviewee "
                f"left ({left_on})"
            )
            raise ValidationError(
                [Problem(msg, "$.on", value=on, expected=f"a date on or after {left_on}")]
            )
        last = self.history[-1] if self.history else None
        if last is not None and on < last.on:
            msg = (
                f"cannot {action} on {on}: 'on' must be on or after {last.on}, the date of "
                f"the last action recorded on the cycle ({last.action}): nothing recorded on "
                "a cycle may come after its end"
            )
            raise ValidationError(
                [Problem(msg, "$.on", value=on, expected=f"a date on or after {last.on}")]
            )
        _check_note(action, note)
        before = self.status
        self._set("status", CycleStatus.ENDED)
        detail = f"left on {left_on.isoformat()}" + (f"; {note.strip()}" if note.strip() else "")
        self._log(
            on, by, action, "cycle", from_state=before.value, to_state=_S.ENDED.value, detail=detail
        )

    @_action
    def assign_reviewer(self, reviewer_id: str, *, by: str, on: date) -> None:
        """Assign or change the reviewer. The reviewee cannot assign their own reviewer."""
        self._check_open("assign_reviewer")
        self._check_on("assign_reviewer", on, setup=True)
        if self.party(by) is Party.REVIEWEE:
            self._fail("assign_reviewer", "cycle", "the reviewee cannot choose their reviewer")
        if reviewer_id == self.staff_id:
            self._fail("assign_reviewer", "cycle", "the reviewer cannot be the reviewee")
        try:
            optional_identifier(self, attrs.fields(Cycle).reviewer_id, reviewer_id)
        except ValueError as error:
            raise _wrap_value_error("assign_reviewer", error) from error
        before = self.reviewer_id
        self._set("reviewer_id", reviewer_id)
        self._log(on, by, "assign_reviewer", "cycle", detail=f"{before or '-'} -> {reviewer_id}")

    @_action
    def set_milestones(self, milestones: Sequence[Milestone], *, by: str, on: date) -> None:
        """Replace the cycle's milestones (from a template's schedule, say)."""
        self._check_open("set_milestones")
        self._check_on("set_milestones", on, setup=True)
        ordered = tuple(sorted(milestones, key=lambda m: m.due))
        ids = [m.id for m in ordered]
        if len(set(ids)) != len(ids):
            self._fail("set_milestones", "cycle", "milestone ids must be unique")
        self._set("milestones", ordered)
        self._log(on, by, "set_milestones", "cycle", detail=f"{len(ordered)} milestones")

    @_action
    def set_pay_recommendations(self, allowed: bool, *, by: str, on: date) -> None:
        """Follow the school's policy on linking pay to appraisal (a policy change, say).

        `devcycle.domain.scheduling.apply_policy` calls this and adds or removes the pay
        milestones to match.
        """
        self._check_open("set_pay_recommendations")
        if allowed == self.pay_recommendations:
            return
        self._check_on("set_pay_recommendations", on, setup=True)
        self._set("pay_recommendations", allowed)
        self._log(on, by, "set_pay_recommendations", "cycle", detail=str(allowed).lower())

    @_action
    def set_observation_hours_cap(self, cap: float | None, *, by: str, on: date) -> None:
        """Follow the school's policy's cap on observation hours (None: no cap)."""
        self._check_open("set_observation_hours_cap")
        if cap == self.observation_hours_cap:
            return
        self._check_on("set_observation_hours_cap", on, setup=True)
        if cap is not None and not cap > 0:
            self._fail("set_observation_hours_cap", "cycle", f"the cap must be above 0 (got {cap})")
        self._set("observation_hours_cap", cap)
        self._log(on, by, "set_observation_hours_cap", "cycle", detail=str(cap))

    @_action
    def complete_milestone(self, milestone_id: str, *, by: str, on: date) -> None:
        """Record that a milestone took place on *on*."""
        self._check_open("complete_milestone")
        self._check_on("complete_milestone", on)
        milestone = self.milestone(milestone_id)
        if milestone.completed_on is not None:
            self._fail(
                "complete_milestone",
                f"milestone:{milestone_id}",
                f"it was already completed on {milestone.completed_on}",
            )
        done = evolve_valid(milestone, completed_on=on)
        self._set("milestones", tuple(done if m.id == milestone_id else m for m in self.milestones))
        self._log(on, by, "complete_milestone", f"milestone:{milestone_id}")

    # --------------------------------------------------- objective transitions

    @_action
    def draft_objective(
        self,
        *,
        by: str,
        on: date,
        statement: str,
        rationale: str = "",
        kind: ObjectiveKind = ObjectiveKind.INDIVIDUAL,
        owner_ids: Sequence[str] = (),
        success_criteria: Sequence[str] = (),
        evidence_sources: Sequence[str] = (),
        deadline: date | None = None,
        priority_ids: Sequence[str] = (),
        standard_ids: Sequence[str] = (),
        support: Sequence[str] = (),
        shared_ref: str | None = None,
        objective_id: str | None = None,
        carried_from: str | None = None,
    ) -> Objective:
        """Add a new objective as a draft, for either side to work on before proposing it.

        *carried_from* links an objective carried forward from an earlier cycle to its
        origin (``{cycle id}#{objective id}``; see `devcycle.domain.scheduling.carry_forward`).
        """
        return self._new_objective(
            "draft",
            by=by,
            on=on,
            fields={
                "statement": statement,
                "rationale": rationale,
                "kind": kind,
                "owner_ids": owner_ids,
                "success_criteria": success_criteria,
                "evidence_sources": evidence_sources,
                "deadline": deadline,
                "priority_ids": priority_ids,
                "standard_ids": standard_ids,
                "support": support,
                "shared_ref": shared_ref,
                "carried_from": carried_from,
            },
            objective_id=objective_id,
        )

    @_action
    def propose_objective(
        self,
        *,
        by: str,
        on: date,
        statement: str,
        rationale: str = "",
        kind: ObjectiveKind = ObjectiveKind.INDIVIDUAL,
        owner_ids: Sequence[str] = (),
        success_criteria: Sequence[str] = (),
        evidence_sources: Sequence[str] = (),
        deadline: date | None = None,
        priority_ids: Sequence[str] = (),
        standard_ids: Sequence[str] = (),
        support: Sequence[str] = (),
        shared_ref: str | None = None,
        objective_id: str | None = None,
    ) -> Objective:
        """Add a new objective proposed by the reviewee, for the reviewer to agree or return.

        Returns:
            The new objective, with an id such as ``obj-1`` unless *objective_id* is given.

        Raises:
            DomainError: If *by* is not the reviewee or the cycle is not open for objectives.
            ValidationError: If a field is malformed (an empty statement, say).
        """
        return self._new_objective(
            "propose",
            by=by,
            on=on,
            fields={
                "statement": statement,
                "rationale": rationale,
                "kind": kind,
                "owner_ids": owner_ids,
                "success_criteria": success_criteria,
                "evidence_sources": evidence_sources,
                "deadline": deadline,
                "priority_ids": priority_ids,
                "standard_ids": standard_ids,
                "support": support,
                "shared_ref": shared_ref,
            },
            objective_id=objective_id,
        )

    @_action
    def submit_objective(
        self,
        objective_id: str,
        *,
        by: str,
        on: date,
        statement: str | None = None,
        rationale: str | None = None,
        success_criteria: Sequence[str] | None = None,
        evidence_sources: Sequence[str] | None = None,
        deadline: date | None = None,
        priority_ids: Sequence[str] | None = None,
        standard_ids: Sequence[str] | None = None,
        support: Sequence[str] | None = None,
    ) -> Objective:
        """Propose a draft or returned objective, with any changes (draft/returned → proposed).

        Arguments left as None keep their current value.
        """
        changes = _changes(
            statement=statement,
            rationale=rationale,
            success_criteria=success_criteria,
            evidence_sources=evidence_sources,
            deadline=deadline,
            priority_ids=priority_ids,
            standard_ids=standard_ids,
            support=support,
        )
        return self._move_objective("propose", objective_id, by=by, on=on, changes=changes)

    @_action
    def return_objective(
        self, objective_id: str, *, by: str, on: date, reasons: Sequence[str]
    ) -> Objective:
        """Send a proposed objective back to the reviewee with reasons (proposed → returned)."""
        transition = _objective_transition("return")
        current = self._check_objective_move(transition, objective_id, by)
        try:
            record = Return(on=on, by=by, reasons=reasons)
        except (ValueError, TypeError) as error:
            raise _wrap_value_error("return objective", error) from error
        return self._apply_objective(
            transition,
            current,
            by=by,
            on=on,
            changes={"returns": (*current.returns, record)},
            detail="; ".join(record.reasons),
        )

    @_action
    def moderate_objective(
        self, objective_id: str, *, by: str, on: date, reasons: Sequence[str]
    ) -> Objective:
        """Return a proposed or agreed objective for consistency, with reasons (→ returned).

        Moderation compares how reviewers set objectives (see the moderation report); whoever
        moderates (a headteacher, or a senior leader the access policy allows; not the
        reviewee or reviewer, who have `return_objective` and `revise_objective`) sends an
        objective back so that the reviewee and reviewer agree it again. Its
        agreement, if any, is withdrawn; the `Return` is marked ``moderated``; the history
        records ``moderate_objective`` with the reasons.

        Raises:
            DomainError: If *by* is the reviewee or the reviewer, the cycle is not open for
                objectives, or the objective is not proposed or agreed.
            ValidationError: If no reason is given.
        """
        transition = _objective_transition("moderate")
        current = self._check_objective_move(transition, objective_id, by)
        try:
            record = Return(on=on, by=by, reasons=reasons, moderated=True)
        except (ValueError, TypeError) as error:
            raise _wrap_value_error("moderate objective", error) from error
        return self._apply_objective(
            transition,
            current,
            by=by,
            on=on,
            changes={"returns": (*current.returns, record), "agreement": None},
            detail="for consistency: " + "; ".join(record.reasons),
        )

    @_action
    def agree_objective(self, objective_id: str, *, by: str, on: date) -> Objective:
        """Agree a proposed objective (proposed → agreed); only the reviewer may."""
        agreement = Agreement(on=on, by=by)
        return self._move_objective(
            "agree", objective_id, by=by, on=on, changes={"agreement": agreement}
        )

    @_action
    def set_objective(
        self, objective_id: str, *, by: str, on: date, disagreement: str
    ) -> Objective:
        """Set an objective without the reviewee's agreement, recording their disagreement.

        Raises:
            ValidationError: If *disagreement* is empty: it must be recorded.
        """
        try:
            agreement = Agreement(on=on, by=by, set_by_reviewer=True, disagreement=disagreement)
        except ValueError as error:
            raise _wrap_value_error("set objective", error) from error
        return self._move_objective(
            "set",
            objective_id,
            by=by,
            on=on,
            changes={"agreement": agreement},
            detail=f"reviewee disagrees: {disagreement}",
        )

    @_action
    def revise_objective(
        self,
        objective_id: str,
        *,
        by: str,
        on: date,
        reason: str,
        statement: str | None = None,
        rationale: str | None = None,
        success_criteria: Sequence[str] | None = None,
        evidence_sources: Sequence[str] | None = None,
        deadline: date | None = None,
        priority_ids: Sequence[str] | None = None,
        standard_ids: Sequence[str] | None = None,
        support: Sequence[str] | None = None,
    ) -> Objective:
        """Change an agreed objective mid-cycle; it goes back for agreement (agreed → proposed)."""
        if not reason.strip():
            raise ValidationError(["cannot revise objective: 'reason' must be non-empty text"])
        changes = _changes(
            statement=statement,
            rationale=rationale,
            success_criteria=success_criteria,
            evidence_sources=evidence_sources,
            deadline=deadline,
            priority_ids=priority_ids,
            standard_ids=standard_ids,
            support=support,
        )
        changes["agreement"] = None
        return self._move_objective(
            "revise", objective_id, by=by, on=on, changes=changes, detail=reason
        )

    @_action
    def evaluate_objective(
        self,
        objective_id: str,
        *,
        by: str,
        on: date,
        outcome: Outcome,
        impact: str = "",
        learning: str = "",
        evidence_ids: Sequence[str] = (),
        carried_forward: bool = False,
        reviewee_comment: str = "",
    ) -> Objective:
        """Record the final evaluation of an agreed objective (agreed → evaluated).

        An objective that was not met can still record what was learned.
        """
        self._check_evidence_ids("evaluate objective", evidence_ids)
        try:
            evaluation = Evaluation(
                on=on,
                by=by,
                outcome=member_of(Outcome, "outcome", outcome),
                impact=impact,
                learning=learning,
                evidence_ids=evidence_ids,
                carried_forward=carried_forward,
                reviewee_comment=reviewee_comment,
            )
        except (ValueError, TypeError) as error:
            raise _wrap_value_error("evaluate objective", error) from error
        return self._move_objective(
            "evaluate",
            objective_id,
            by=by,
            on=on,
            changes={"evaluation": evaluation},
            detail=evaluation.outcome.value,
        )

    # -------------------------------------------------------------- recording

    @_action
    def record_check_in(
        self,
        objective_id: str,
        *,
        by: str,
        on: date,
        note: str,
        percent: int | None = None,
        rag: RAG | None = None,
    ) -> CheckIn:
        """Record progress on an agreed objective; either side may."""
        action = "record_check_in"
        self._check_open(action)
        self._check_status(action, _CHECKING_IN)
        self._check_on(action, on, f"objective:{objective_id}")
        self._check_party(action, by, _EITHER_SIDE)
        objective = self.objective(objective_id)
        if objective.status is not _O.AGREED:
            self._fail(
                action,
                f"objective:{objective_id}",
                f"the objective is {objective.status.value}; check-ins are recorded only on "
                "agreed objectives",
            )
        try:
            check_in = CheckIn(
                on=on,
                by=by,
                note=note,
                percent=percent,
                rag=None if rag is None else member_of(RAG, "rag", rag),
            )
        except (ValueError, TypeError) as error:
            raise _wrap_value_error(action, error) from error
        self._replace_objective(evolve_valid(objective, check_ins=(*objective.check_ins, check_in)))
        self._log(on, by, action, f"objective:{objective_id}", detail=note[:200])
        return check_in

    @_action
    def record_colleague_impact(
        self,
        objective_id: str,
        *,
        by: str,
        on: date,
        shared_with: SharedWith | str,
        what: str,
        with_whom: str = "",
        colleagues: int | None = None,
        evidence_ids: Sequence[str] = (),
    ) -> ColleagueImpact:
        """Record practice from an agreed or evaluated objective shared with colleagues.

        Impact on colleagues (practice shared at a briefing, with a team, the whole school or
        another school) is recorded against the objective it came from; either side may
        record it while the cycle is active or in its final review, and not before the
        objective's last recorded action.

        Raises:
            DomainError: If the cycle is not active or in final review, *by* is neither the
                reviewee nor the reviewer, the objective is not agreed or evaluated, or an
                evidence id is not the cycle's.
            ValidationError: For an unknown *shared_with*, empty *what* or a bad count.
        """
        action = "record_colleague_impact"
        self._check_open(action)
        self._check_status(action, _CHECKING_IN)
        self._check_on(action, on, f"objective:{objective_id}")
        self._check_party(action, by, _EITHER_SIDE)
        objective = self.objective(objective_id)
        if objective.status not in (_O.AGREED, _O.EVALUATED):
            self._fail(
                action,
                f"objective:{objective_id}",
                f"the objective is {objective.status.value}; impact on colleagues is recorded "
                "only against agreed or evaluated objectives",
            )
        self._check_evidence_ids(action, evidence_ids)
        try:
            record = ColleagueImpact(
                on=on,
                by=by,
                shared_with=shared_with,
                what=what,
                with_whom=with_whom,
                colleagues=colleagues,
                evidence_ids=evidence_ids,
            )
        except (ValueError, TypeError) as error:
            raise _wrap_value_error(action, error) from error
        self._replace_objective(
            evolve_valid(objective, colleague_impact=(*objective.colleague_impact, record))
        )
        self._log(
            on,
            by,
            action,
            f"objective:{objective_id}",
            detail=f"{record.shared_with.value}: {what[:180]}",
        )
        return record

    @_action
    def add_evidence(
        self,
        *,
        by: str,
        on: date,
        description: str,
        uri: str | None = None,
        objective_ids: Sequence[str] = (),
        standard_ids: Sequence[str] = (),
        priority_ids: Sequence[str] = (),
        tags: Sequence[str] = (),
        evidence_id: str | None = None,
    ) -> Evidence:
        """Add a piece of evidence, tagged to objectives, standards and priorities."""
        action = "add_evidence"
        self._check_open(action)
        self._check_status(action, _RECORDING)
        self._check_on(action, on)
        self._check_party(action, by, _EITHER_SIDE)
        self._check_objective_ids(action, objective_ids)
        new_id = evidence_id or _next_id("ev", [e.id for e in self.evidence])
        self._check_new_id(action, new_id, [e.id for e in self.evidence])
        try:
            item = Evidence(
                id=new_id,
                description=description,
                on=on,
                added_by=by,
                uri=uri,
                objective_ids=objective_ids,
                standard_ids=standard_ids,
                priority_ids=priority_ids,
                tags=tags,
            )
        except (ValueError, TypeError) as error:
            raise _wrap_value_error(action, error) from error
        self._set("evidence", (*self.evidence, item))
        self._log(on, by, action, f"evidence:{new_id}", detail=description[:200])
        return item

    @_action
    def record_observation(
        self,
        *,
        by: str,
        on: date,
        kind: ObservationKind,
        focus: str,
        minutes: int | None = None,
        objective_ids: Sequence[str] = (),
        standard_ids: Sequence[str] = (),
        strengths: Sequence[str] = (),
        next_steps: Sequence[str] = (),
        cpd_needs: Sequence[str] = (),
        observation_id: str | None = None,
    ) -> Observation:
        """Record an observation or learning walk; *by* is the observer and may be anyone."""
        action = "record_observation"
        self._check_open(action)
        self._check_status(action, _RECORDING)
        self._check_on(action, on)
        if by == self.staff_id:
            self._fail(action, "cycle", "the reviewee cannot record an observation of themselves")
        self._check_objective_ids(action, objective_ids)
        cap = self.observation_hours_cap
        if cap is not None and minutes is not None:
            used = sum(o.minutes or 0 for o in self.observations)
            if used + minutes > cap * 60:
                self._fail(
                    action,
                    "cycle",
                    f"the school's policy caps observation at {cap:g} hours a cycle; "
                    f"{used / 60:g} hours are recorded, and {minutes} minutes more would pass it",
                )
        new_id = observation_id or _next_id("obs", [o.id for o in self.observations])
        self._check_new_id(action, new_id, [o.id for o in self.observations])
        try:
            item = Observation(
                id=new_id,
                kind=member_of(ObservationKind, "kind", kind),
                on=on,
                observer_id=by,
                focus=focus,
                minutes=minutes,
                objective_ids=objective_ids,
                standard_ids=standard_ids,
                strengths=strengths,
                next_steps=next_steps,
                cpd_needs=cpd_needs,
            )
        except (ValueError, TypeError) as error:
            raise _wrap_value_error(action, error) from error
        self._set("observations", (*self.observations, item))
        self._log(on, by, action, f"observation:{new_id}", detail=focus[:200])
        return item

    @_action
    def record_review(
        self,
        *,
        by: str,
        on: date,
        kind: ReviewKind,
        participant_ids: Sequence[str] = (),
        milestone_id: str | None = None,
        notes: str = "",
        reviewee_reflection: str = "",
        reviewer_reflection: str = "",
        strengths: Sequence[str] = (),
        next_steps: Sequence[str] = (),
        agreed_actions: Sequence[AgreedAction] = (),
        development_needs: Sequence[str] = (),
        conversation: Conversation | None = None,
        private_notes: Sequence[Confidential] = (),
        pay_recommendation: PayRecommendation | None = None,
        minutes: int | None = None,
        review_id: str | None = None,
    ) -> ReviewMeeting:
        """Record a review meeting and complete the milestone it fulfils.

        The milestone is the one named by *milestone_id*, or else the one `milestone_for`
        finds by the meeting's kind and date (the meeting then names it too). A milestone
        already completed stays completed on its first date.

        Raises:
            DomainError: If a pay recommendation is given but the school's policy keeps none.
        """
        action = "record_review"
        self._check_open(action)
        self._check_status(action, _RECORDING)
        self._check_on(action, on)
        self._check_party(action, by, _EITHER_SIDE)
        if pay_recommendation is not None and not self.pay_recommendations:
            self._fail(
                action,
                "cycle",
                "this cycle was planned without pay linked to appraisal, so it takes no pay "
                "recommendation; if the school's policy now links pay "
                "(Policy.pay_recommendations), re-apply it to the school's open cycles with "
                "Services.apply_policy",
            )
        milestone = self.milestone(milestone_id) if milestone_id else None
        try:
            review_kind = member_of(ReviewKind, "kind", kind)
        except ValidationError as error:
            raise _wrap_value_error(action, error) from error
        if milestone is None:
            milestone = self.milestone_for(review_kind, on)
        new_id = review_id or _next_id("rev", [r.id for r in self.reviews])
        self._check_new_id(action, new_id, [r.id for r in self.reviews])
        participants = as_tuple(participant_ids, "participant_ids") or tuple(
            p for p in (self.staff_id, self.reviewer_id) if p is not None
        )
        try:
            meeting = ReviewMeeting(
                id=new_id,
                kind=review_kind,
                on=on,
                participant_ids=participants,
                milestone_id=milestone.id if milestone is not None else None,
                notes=notes,
                reviewee_reflection=reviewee_reflection,
                reviewer_reflection=reviewer_reflection,
                strengths=strengths,
                next_steps=next_steps,
                agreed_actions=agreed_actions,
                development_needs=development_needs,
                conversation=conversation or Conversation(),
                private_notes=private_notes,
                pay_recommendation=pay_recommendation,
                minutes=minutes,
            )
        except (ValueError, TypeError) as error:
            raise _wrap_value_error(action, error) from error
        self._set("reviews", (*self.reviews, meeting))
        detail = meeting.kind.value
        if milestone is not None and milestone.completed_on is None:
            done = evolve_valid(milestone, completed_on=on)
            self._set(
                "milestones", tuple(done if m.id == milestone.id else m for m in self.milestones)
            )
            detail = f"{detail}; completes milestone {milestone.id}"
        self._log(on, by, action, f"review:{new_id}", detail=detail)
        return meeting

    # --------------------------------------------------------------- plumbing

    def _set(self, name: str, value: object) -> None:
        """Change one field: how the methods change the (otherwise frozen) cycle."""
        object.__setattr__(self, name, value)

    def _fail(self, action: str, target: str, reason: str) -> None:
        where = f"cycle {self.id!r} ({self.status.value})"
        if target != "cycle":
            where = f"{target} in {where}"
        raise DomainError(f"cannot {action} on {where}: {reason}")

    def _check_on(
        self, action: str, on: object, target: str | None = None, *, setup: bool = False
    ) -> None:
        """Refuse *on* unless it is a date in `allowed_dates` for *target*, naming the range.

        A *setup* action (milestones, the reviewer, the policy's settings) may come before
        the cycle starts, as planning for it does, but not after its end and grace.
        """
        if not is_date(on):
            msg = (
                f"cannot {action}: 'on' must be a date (datetime.date, not a time or text) "
                f"(got {type(on).__name__} {on!r})"
            )
            raise ValidationError([Problem(msg, "$.on", value=on, expected="a datetime.date")])
        first, last = self.allowed_dates(target)
        if setup:
            first = date.min
        if first <= on <= last:
            return
        entry = self._follows(target)
        if entry is not None and first > self.period_start:
            after = f"{first}, the date of the {entry.action} it follows"
        else:
            after = f"{first}, the cycle's start"
        until = f"{last}, the cycle's end ({self.period_end}) plus {self.grace_days} days' grace"
        msg = f"cannot {action} on {on}: 'on' must be from {after}, to {until}"
        expected = f"a date from {first} to {last}"
        if setup:
            msg = f"cannot {action} on {on}: 'on' must be no later than {until}"
            expected = f"a date no later than {last}"
        raise ValidationError([Problem(msg, "$.on", value=on, expected=expected)])

    def _check_deadline(self, action: str, deadline: object) -> None:
        """Refuse a deadline that is not a date inside the cycle (with its grace)."""
        if deadline is None:
            return
        last = self.period_end + timedelta(days=self.grace_days)
        if is_date(deadline) and self.period_start <= deadline <= last:
            return  # the common case: no message written for it (issue 16)
        expected = f"a date from {self.period_start} to {last}"
        if not is_date(deadline):
            msg = (
                f"cannot {action}: 'deadline' must be a date (datetime.date, not a time or "
                f"text) (got {type(deadline).__name__} {deadline!r})"
            )
            raise ValidationError([Problem(msg, "$.deadline", value=deadline, expected=expected)])
        msg = (
            f"cannot {action}: 'deadline' ({deadline}) must fall inside the cycle, from its "
            f"start ({self.period_start}) to {last} (its end, {self.period_end}, plus "
            f"{self.grace_days} days' grace)"
        )
        raise ValidationError([Problem(msg, "$.deadline", value=deadline, expected=expected)])

    def _check_open(self, action: str) -> None:
        status = self.status
        if status is CycleStatus.ENDED:
            self._fail(
                action, "cycle", "the cycle was ended on leaving and is locked; nothing may change"
            )
        if status is CycleStatus.CLOSED:
            self._fail(action, "cycle", "the cycle is closed and locked; nothing may change")

    def _check_status(self, action: str, allowed: frozenset[CycleStatus]) -> None:
        if self.status not in allowed:
            names = ", ".join(sorted(s.value for s in allowed))
            self._fail(action, "cycle", f"that is allowed only while the cycle is {names}")

    def _check_party(self, action: str, by: str, parties: Iterable[Party]) -> None:
        party = self.party(by)
        allowed = parties if isinstance(parties, frozenset) else frozenset(parties)
        if party in allowed:
            return
        if Party.REVIEWER in allowed and self.reviewer_id is None:
            self._fail(action, "cycle", "the cycle has no reviewer yet: assign_reviewer first")
        who = {
            Party.REVIEWEE: f"the reviewee ({self.staff_id})",
            Party.REVIEWER: f"the reviewer ({self.reviewer_id})",
        }
        names = " or ".join(who[p] for p in (Party.REVIEWEE, Party.REVIEWER) if p in allowed)
        if not names:
            names = f"someone other than {who[Party.REVIEWEE]} and {who[Party.REVIEWER]}"
        self._fail(action, "cycle", f"only {names} may do that; {by!r} is {party.value}")

    def _check_cycle_move(self, action: str, by: str) -> Transition:
        self._check_open(action)
        transition = _cycle_transition(action)
        if self.status not in transition.sources:
            allowed = (
                ", ".join(t.action for t in CYCLE_TRANSITIONS if self.status in t.sources) or "none"
            )
            self._fail(
                action,
                "cycle",
                f"it is {self.status.value}; from {self.status.value} the allowed "
                f"actions are: {allowed}",
            )
        self._check_party(action, by, transition.parties)
        return transition

    def _move_cycle(
        self, action: str, *, by: str, on: date, checked: Transition | None = None
    ) -> None:
        # *checked*: the row `_check_cycle_move` has just passed for *action*, nothing
        # changed since (activate, close), so that it is not checked twice (issue 16).
        transition = checked if checked is not None else self._check_cycle_move(action, by)
        self._check_on(action, on, "cycle")
        before = self.status
        after = _CYCLE_TARGET[transition.target]
        self._set("status", after)
        self._log(on, by, action, "cycle", from_state=before._value_, to_state=after._value_)

    def _check_objective_move(
        self, transition: Transition, objective_id: str | None, by: str
    ) -> Objective:
        action = f"{transition.action}_objective"
        self._check_open(action)
        if self.status not in transition.cycle_states:
            names = ", ".join(sorted(s.value for s in transition.cycle_states))
            self._fail(
                action,
                "cycle",
                f"objectives may be {transition.action}d only while the cycle is {names}",
            )
        current = self.objective(objective_id) if objective_id is not None else None
        state = current.status if current is not None else NEW
        if state not in transition.sources:
            allowed = (
                ", ".join(
                    t.action
                    for t in OBJECTIVE_TRANSITIONS
                    if state in t.sources and self.status in t.cycle_states
                )
                or "none"
            )
            self._fail(
                action,
                f"objective:{objective_id}",
                f"the objective is {state}; from {state} the allowed actions are: {allowed}",
            )
        self._check_party(action, by, transition.parties)
        if current is None:
            # Only reached for a NEW objective; callers pass objective_id=None then.
            msg = "internal: new objectives are created by _new_objective"
            raise AssertionError(msg)
        return current

    def _new_objective(
        self,
        action: str,
        *,
        by: str,
        on: date,
        fields: dict[str, Any],
        objective_id: str | None,
    ) -> Objective:
        transition = _objective_transition(action)
        verb = f"{action}_objective"
        self._check_open(verb)
        if self.status not in transition.cycle_states:
            names = ", ".join(sorted(s.value for s in transition.cycle_states))
            self._fail(verb, "cycle", f"new objectives are added only while the cycle is {names}")
        self._check_party(verb, by, transition.parties)
        self._check_on(verb, on)
        self._check_deadline(verb, fields.get("deadline"))
        existing = [o.id for o in self.objectives]
        new_id = objective_id or _next_id("obj", existing)
        self._check_new_id(verb, new_id, existing)
        owners = as_tuple(fields.pop("owner_ids") or (), "owner_ids") or (self.staff_id,)
        if self.staff_id not in owners:
            owners = (self.staff_id, *owners)
        criteria = fields.pop("success_criteria")
        try:
            objective = Objective(
                id=new_id,
                owner_ids=owners,
                success_criteria=_criteria(criteria),
                status=_OBJECTIVE_TARGET[transition.target],
                **fields,
            )
        except (ValueError, TypeError) as error:
            raise _wrap_value_error(verb, error) from error
        self._set("objectives", (*self.objectives, objective))
        self._log(
            on, by, verb, f"objective:{new_id}", from_state=NEW, to_state=objective.status._value_
        )
        return objective

    def _move_objective(
        self,
        action: str,
        objective_id: str,
        *,
        by: str,
        on: date,
        changes: dict[str, Any],
        detail: str = "",
    ) -> Objective:
        transition = _objective_transition(action)
        current = self._check_objective_move(transition, objective_id, by)
        return self._apply_objective(
            transition, current, by=by, on=on, changes=changes, detail=detail
        )

    def _apply_objective(
        self,
        transition: Transition,
        current: Objective,
        *,
        by: str,
        on: date,
        changes: dict[str, Any],
        detail: str = "",
    ) -> Objective:
        verb = f"{transition.action}_objective"
        self._check_on(verb, on, f"objective:{current.id}")
        self._check_deadline(verb, changes.get("deadline"))
        if "success_criteria" in changes:
            changes["success_criteria"] = _criteria(changes["success_criteria"])
        try:
            updated = evolve_valid(current, status=_OBJECTIVE_TARGET[transition.target], **changes)
        except (ValueError, TypeError) as error:
            raise _wrap_value_error(verb, error) from error
        self._replace_objective(updated)
        self._log(
            on,
            by,
            verb,
            f"objective:{current.id}",
            from_state=current.status._value_,
            to_state=updated.status._value_,
            detail=detail,
        )
        return updated

    def _replace_objective(self, updated: Objective) -> None:
        ident = updated.id
        self._set("objectives", tuple([updated if o.id == ident else o for o in self.objectives]))

    def _check_objective_ids(self, action: str, objective_ids: Iterable[str]) -> None:
        known = {o.id for o in self.objectives}
        unknown = [i for i in objective_ids if i not in known]
        if unknown:
            self._fail(action, "cycle", f"no objective(s) {', '.join(map(repr, unknown))}")

    def _check_evidence_ids(self, action: str, evidence_ids: Iterable[str]) -> None:
        known = {e.id for e in self.evidence}
        unknown = [i for i in evidence_ids if i not in known]
        if unknown:
            self._fail(action, "cycle", f"no evidence {', '.join(map(repr, unknown))}")

    def _check_new_id(self, action: str, new_id: str, existing: Sequence[str]) -> None:
        if new_id in existing:
            self._fail(action, "cycle", f"id {new_id!r} is already in use")

    def _log(
        self,
        on: date,
        by: str,
        action: str,
        target: str,
        *,
        from_state: str | None = None,
        to_state: str | None = None,
        detail: str = "",
    ) -> None:
        entry = new_entry(
            on, by, action, target, from_state=from_state, to_state=to_state, detail=detail
        )
        self._set("history", (*self.history, entry))


_CYCLE_FIELDS: Final = tuple(f.name for f in attrs.fields(Cycle))
_copy_cycle: Final[Callable[[Cycle], Cycle]] = copier(Cycle, list(_CYCLE_FIELDS))
"""`Cycle.__copy__` for an exact `Cycle`: its fields copied, one line each."""


_NOTE_LIMIT: Final = 500


def _check_note(action: str, note: object) -> None:
    """Refuse a note that is not one line of plain text of at most `_NOTE_LIMIT` characters."""
    if not isinstance(note, str):
        msg = f"cannot {action}: 'note' must be text (got {type(note).__name__} {note!r})"
        raise ValidationError([Problem(msg, "$.note", value=note, expected="a line of text")])
    bad = next((c for c in note if unicodedata.category(c) in _CONTROL), None)
    if bad is not None or len(note) > _NOTE_LIMIT:
        why = (
            f"holds the control character {bad!r}"
            if bad is not None
            else f"is {len(note)} characters long"
        )
        msg = (
            f"cannot {action}: 'note' {why}; expected one line of at most {_NOTE_LIMIT} characters"
        )
        raise ValidationError(
            [
                Problem(
                    msg,
                    "$.note",
                    value=note,
                    expected=f"one line of at most {_NOTE_LIMIT} characters",
                )
            ]
        )


_CONTROL: Final = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _next_id(prefix: str, existing: Sequence[str]) -> str:
    taken = set(existing)
    n = len(existing) + 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


def _criteria(values: Iterable[str | SuccessCriterion]) -> tuple[SuccessCriterion, ...]:
    return tuple(
        v if isinstance(v, SuccessCriterion) else SuccessCriterion(v)
        for v in as_tuple(values, "success_criteria")
    )


def _changes(**values: object) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
