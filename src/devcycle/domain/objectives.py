"""Objectives and what is recorded against them: check-ins, agreement, evaluation."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

import attrs

from devcycle.domain._validate import (
    a_date,
    as_tuple,
    flag,
    identifier,
    identifiers,
    instances,
    invalid,
    member_of,
    optional_date,
    optional_instance,
    optional_plain_text,
    plain_text,
    text,
    texts,
    to_tuple,
)

__all__ = [
    "RAG",
    "Agreement",
    "CheckIn",
    "ColleagueImpact",
    "Evaluation",
    "Objective",
    "ObjectiveKind",
    "ObjectiveStatus",
    "Outcome",
    "Return",
    "SharedWith",
    "SuccessCriterion",
]


class ObjectiveKind(enum.StrEnum):
    """Whose objective it is."""

    INDIVIDUAL = "individual"
    JOINT = "joint"
    """Shared by a team or several named people, each of whom holds it in their own cycle."""
    WHOLE_SCHOOL = "whole_school"


def _to_objective_kind(value: ObjectiveKind | str) -> ObjectiveKind:
    return member_of(ObjectiveKind, "kind", value)


class ObjectiveStatus(enum.StrEnum):
    """Where an objective is in its life; see `devcycle.domain.cycle.OBJECTIVE_TRANSITIONS`."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    RETURNED = "returned"
    AGREED = "agreed"
    EVALUATED = "evaluated"


def _to_objective_status(value: ObjectiveStatus | str) -> ObjectiveStatus:
    return member_of(ObjectiveStatus, "status", value)


class RAG(enum.StrEnum):
    """A red / amber / green progress judgement."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


def _to_r_a_g(value: RAG | str | None) -> RAG | None:
    return None if value is None else member_of(RAG, "rag", value)


class Outcome(enum.StrEnum):
    """The final judgement on an objective."""

    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"


def _to_outcome(value: Outcome | str) -> Outcome:
    return member_of(Outcome, "outcome", value)


def _percent(_inst: object, _attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        msg = f"'percent' must be a whole number from 0 to 100 (got {value!r})"
        invalid("percent", msg, value=value, expected="a whole number from 0 to 100")


@attrs.frozen
class SuccessCriterion:
    """How the reviewer and reviewee will know the objective has been met."""

    text: str = attrs.field(validator=text)


def _to_criteria(value: Iterable[SuccessCriterion | str]) -> tuple[SuccessCriterion, ...]:
    return tuple(
        SuccessCriterion(item) if isinstance(item, str) else item
        for item in as_tuple(value, "success_criteria")
    )


@attrs.frozen
class CheckIn:
    """A dated note of progress on an objective.

    Attributes:
        on: The date of the check-in.
        by: The staff id of whoever recorded it.
        note: What has happened and what comes next.
        percent: Progress as a percentage, if the school records one.
        rag: A red / amber / green judgement, if the school records one.
    """

    on: date = attrs.field(validator=a_date)
    by: str = attrs.field(validator=identifier)
    note: str = attrs.field(validator=text)
    percent: int | None = attrs.field(default=None, validator=_percent)
    rag: RAG | None = attrs.field(default=None, converter=_to_r_a_g)


class SharedWith(enum.StrEnum):
    """Where practice from an objective was shared with colleagues."""

    BRIEFING = "briefing"
    """At a staff briefing or staff meeting."""
    TEAM = "team"
    """With the person's team, department or phase."""
    WHOLE_SCHOOL = "whole_school"
    """With the whole school: an INSET session, a whole-staff training."""
    OTHER_SCHOOL = "other_school"
    """With another school: a trust or network meeting, a visit, a hub."""
    OTHER = "other"
    """Anywhere else (a mentee, a blog, a conference), said in *with_whom*."""


def _to_shared_with(value: SharedWith | str) -> SharedWith:
    return member_of(SharedWith, "shared_with", value)


def _colleagues(_inst: object, _attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100_000:
        msg = f"'colleagues' must be a whole number from 1 to 100000 (got {value!r})"
        invalid("colleagues", msg, value=value, expected="a whole number from 1 to 100000")


@attrs.frozen
class ColleagueImpact:
    """Impact on colleagues: practice from an objective shared, and what it did for them.

    The sources ask that development reach beyond the person: practice shared at a briefing,
    with a team or with another school is recorded against the objective it came from, and
    the reports count it (the ``meetings`` report, the health check).

    Attributes:
        on: When it was shared.
        by: Who recorded it (the reviewee or the reviewer).
        shared_with: A briefing, the team, the whole school, another school, or other.
        what: What was shared and what colleagues did with it.
        with_whom: Which team, school or group ("Year 4 team", "Hillside Primary").
        colleagues: How many colleagues it reached, if known.
        evidence_ids: Evidence in the cycle that shows it (slides, a colleague's note).
    """

    on: date = attrs.field(validator=a_date)
    by: str = attrs.field(validator=identifier)
    shared_with: SharedWith = attrs.field(converter=_to_shared_with)
    what: str = attrs.field(validator=text)
    with_whom: str = attrs.field(default="", validator=plain_text)
    colleagues: int | None = attrs.field(default=None, validator=_colleagues)
    evidence_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )


@attrs.frozen
class Return:
    """An objective sent back to the reviewee, with reasons.

    Attributes:
        on: When it was returned.
        by: Who returned it: the reviewer, or whoever moderated it.
        reasons: Why, one reason each.
        moderated: True when it was returned at moderation, for consistency with how other
            reviewers set objectives (`devcycle.Cycle.moderate_objective`), rather than by
            the reviewer deciding on a proposal.
    """

    on: date = attrs.field(validator=a_date)
    by: str = attrs.field(validator=identifier)
    reasons: tuple[str, ...] = attrs.field(converter=to_tuple, validator=texts)
    moderated: bool = False

    def __attrs_post_init__(self) -> None:
        if not self.reasons:
            msg = "'reasons' must give at least one reason for returning the objective"
            invalid("reasons", msg, value=self.reasons, expected="at least one reason")


@attrs.frozen
class Agreement:
    """The record that an objective was agreed, or set by the reviewer over a disagreement.

    Attributes:
        on: When it was agreed or set.
        by: The reviewer who agreed or set it.
        set_by_reviewer: True when the reviewer set it without the reviewee's agreement.
        disagreement: The reviewee's recorded disagreement, required when set by the reviewer.
    """

    on: date = attrs.field(validator=a_date)
    by: str = attrs.field(validator=identifier)
    set_by_reviewer: bool = attrs.field(default=False, validator=flag)
    disagreement: str | None = attrs.field(default=None, validator=optional_plain_text)

    def __attrs_post_init__(self) -> None:
        if self.set_by_reviewer and not (self.disagreement and self.disagreement.strip()):
            msg = "an objective set by the reviewer must record the reviewee's disagreement"
            invalid(
                "disagreement",
                msg,
                value=self.disagreement,
                expected="the reviewee's disagreement, as text",
            )


@attrs.frozen
class Evaluation:
    """The final review's judgement on an objective: outcome, impact and learning.

    An objective that was not met can still record valuable learning: `learning` is as
    important as `outcome`.

    Attributes:
        on: When it was evaluated.
        by: Who recorded the evaluation (normally the reviewer).
        outcome: Met, partly met or not met.
        impact: What difference the work made, for pupils, colleagues or the school.
        learning: What was learned, including from an approach that did not work.
        evidence_ids: Evidence in the cycle that the judgement rests on.
        carried_forward: Whether the objective (or its next step) carries into next cycle.
        reviewee_comment: The reviewee's own comment on the evaluation.
    """

    on: date = attrs.field(validator=a_date)
    by: str = attrs.field(validator=identifier)
    outcome: Outcome = attrs.field(converter=_to_outcome)
    impact: str = attrs.field(default="", validator=plain_text)
    learning: str = attrs.field(default="", validator=plain_text)
    evidence_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    carried_forward: bool = attrs.field(default=False, validator=flag)
    reviewee_comment: str = attrs.field(default="", validator=plain_text)


@attrs.frozen
class Objective:
    """One objective in a cycle: what will be done, why, how success will be seen, and by when.

    Objectives live inside a `Cycle` and change only through its methods, which check the
    transition table and keep the history. Construct one directly only to check it with
    `devcycle.check` or to hand it to a cycle.

    Attributes:
        id: Unique within the cycle ("obj-1").
        statement: The objective as agreed.
        rationale: Why this objective: the need it answers.
        kind: Individual, joint (team) or whole-school.
        owner_ids: Everyone who holds it; more than one for a joint objective.
        success_criteria: How success will be judged.
        evidence_sources: Where evidence will come from (planning, drop-ins, reading ages...).
        deadline: When it should be met, if it has its own date inside the cycle.
        priority_ids: School improvement plan priorities it contributes to.
        standard_ids: Professional standards it develops ("TS5.4").
        support: Support other than recorded CPD activities ("fortnightly coaching with DH").
        shared_ref: Links copies of a joint or whole-school objective across cycles.
        carried_from: Where it was carried forward from, as ``{cycle id}#{objective id}``
            (set when a new cycle is seeded from the last one's evaluation).
        status: Where it is in its life.
        check_ins: Dated progress notes, oldest first.
        returns: Each time it was returned, with reasons.
        agreement: The agreement record, present once agreed.
        evaluation: The final evaluation, present once evaluated.
        colleague_impact: Practice from it shared with colleagues, oldest first
            (`devcycle.Cycle.record_colleague_impact`).
    """

    id: str = attrs.field(validator=identifier)
    statement: str = attrs.field(validator=text)
    rationale: str = attrs.field(default="", validator=plain_text)
    kind: ObjectiveKind = attrs.field(
        default=ObjectiveKind.INDIVIDUAL, converter=_to_objective_kind
    )
    owner_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=identifiers)
    success_criteria: tuple[SuccessCriterion, ...] = attrs.field(
        default=(), converter=_to_criteria, validator=instances(SuccessCriterion)
    )
    evidence_sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    deadline: date | None = attrs.field(default=None, validator=optional_date)
    priority_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    standard_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    support: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    shared_ref: str | None = attrs.field(default=None, validator=optional_plain_text)
    carried_from: str | None = attrs.field(default=None, validator=optional_plain_text)
    status: ObjectiveStatus = attrs.field(
        default=ObjectiveStatus.DRAFT, converter=_to_objective_status
    )
    check_ins: tuple[CheckIn, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(CheckIn)
    )
    returns: tuple[Return, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(Return)
    )
    agreement: Agreement | None = attrs.field(default=None, validator=optional_instance(Agreement))
    evaluation: Evaluation | None = attrs.field(
        default=None, validator=optional_instance(Evaluation)
    )
    colleague_impact: tuple[ColleagueImpact, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(ColleagueImpact)
    )

    def __attrs_post_init__(self) -> None:
        if self.kind is ObjectiveKind.JOINT and len(self.owner_ids) < 2:
            msg = f"joint objective {self.id!r} must name at least two owners in 'owner_ids'"
            invalid("owner_ids", msg, value=self.owner_ids, expected="at least two owners")
        if self.status in (ObjectiveStatus.AGREED, ObjectiveStatus.EVALUATED) and (
            self.agreement is None
        ):
            msg = f"objective {self.id!r} is {self.status.value} but has no agreement record"
            invalid("agreement", msg, value=None, expected="an Agreement")
        if self.status is ObjectiveStatus.EVALUATED and self.evaluation is None:
            msg = f"objective {self.id!r} is evaluated but has no evaluation"
            invalid("evaluation", msg, value=None, expected="an Evaluation")

    @property
    def latest_check_in(self) -> CheckIn | None:
        """The most recent check-in, or None."""
        return max(self.check_ins, key=lambda c: c.on, default=None)
