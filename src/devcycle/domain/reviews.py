"""Review meetings: planning, check-in, mid-year and final reviews, with confidentiality."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date

import attrs

from devcycle.domain._validate import (
    a_date,
    identifier,
    identifiers,
    instance,
    instances,
    invalid,
    member_of,
    minutes,
    optional_date,
    optional_identifier,
    optional_instance,
    plain_text,
    text,
    texts,
    to_frozenset,
    to_tuple,
)

__all__ = [
    "AgreedAction",
    "Audience",
    "Confidential",
    "Conversation",
    "PayRecommendation",
    "ReviewKind",
    "ReviewMeeting",
]


class Audience(enum.StrEnum):
    """Who a document or a confidential note is for."""

    REVIEWEE = "reviewee"
    REVIEWER = "reviewer"
    HEADTEACHER = "headteacher"
    GOVERNORS_PANEL = "governors_panel"


def _to_audiences(value: Iterable[Audience | str]) -> frozenset[Audience]:
    audiences: set[Audience] = set()
    for item in to_frozenset(value, "audiences"):
        try:
            audiences.add(Audience(item))
        except (ValueError, TypeError):
            allowed = ", ".join(a.value for a in Audience)
            msg = f"'audiences' must hold audiences from: {allowed} (got {item!r})"
            invalid("audiences", msg, value=item, expected=f"audiences from: {allowed}")
    return frozenset(audiences)


def _audiences(_inst: object, _attribute: object, value: frozenset[Audience]) -> None:
    if not value:
        msg = "'audiences' must name at least one audience who may see the note"
        invalid("audiences", msg, value=value, expected="at least one audience")


@attrs.frozen
class Confidential:
    """Text that only some audiences may see (private notes, a pay recommendation).

    Attributes:
        text: The confidential text.
        audiences: Who may see it; proformas for anyone else leave it out entirely.
    """

    text: str = attrs.field(validator=text)
    audiences: frozenset[Audience] = attrs.field(converter=_to_audiences, validator=_audiences)

    def visible_to(self, audience: Audience) -> bool:
        """Return whether *audience* may see this text."""
        return audience in self.audiences


PAY_AUDIENCES = frozenset({Audience.REVIEWER, Audience.HEADTEACHER, Audience.GOVERNORS_PANEL})


@attrs.frozen
class PayRecommendation:
    """A pay recommendation, only where the school's policy keeps one.

    It never drives anything else in devcycle; proformas show it only to its audiences.
    """

    recommendation: str = attrs.field(validator=text)
    audiences: frozenset[Audience] = attrs.field(
        default=PAY_AUDIENCES | {Audience.REVIEWEE}, converter=_to_audiences, validator=_audiences
    )


class ReviewKind(enum.StrEnum):
    """What a review meeting is."""

    PLANNING = "planning"
    CHECK_IN = "check_in"
    MID_YEAR = "mid_year"
    FINAL = "final"
    PROGRESS_REVIEW = "progress_review"
    FORMAL_ASSESSMENT = "formal_assessment"
    OTHER = "other"


def _to_review_kind(value: ReviewKind | str) -> ReviewKind:
    return member_of(ReviewKind, "kind", value)


@attrs.frozen
class AgreedAction:
    """An action agreed at a meeting, with who does it and by when."""

    text: str = attrs.field(validator=text)
    owner_id: str | None = attrs.field(default=None, validator=optional_identifier)
    due: date | None = attrs.field(default=None, validator=optional_date)


@attrs.frozen
class Conversation:
    """The wellbeing, workload and career conversation the 2024 English guidance asks for.

    Each part may be marked confidential by wrapping it in `Confidential` at the meeting level;
    here they are plain notes visible to the reviewee and reviewer.
    """

    wellbeing: str = attrs.field(default="", validator=plain_text)
    workload: str = attrs.field(default="", validator=plain_text)
    career: str = attrs.field(default="", validator=plain_text)


@attrs.frozen
class ReviewMeeting:
    """A review meeting and what was said and agreed in it.

    Attributes:
        id: Unique within the cycle.
        kind: Planning, check-in, mid-year, final...
        on: The meeting date.
        participant_ids: Everyone present.
        milestone_id: The milestone it fulfils, if any.
        notes: Shared notes both sides may add to.
        reviewee_reflection: The reviewee's own reflection.
        reviewer_reflection: The reviewer's reflection.
        strengths: Strengths named.
        next_steps: Next steps named.
        agreed_actions: Actions agreed, with owners and dates.
        development_needs: Needs for the training plan and next cycle.
        conversation: Wellbeing, workload and career.
        private_notes: Confidential notes with their audiences.
        pay_recommendation: Only where the school's policy keeps one.
        minutes: How long the meeting took, for the workload count.
    """

    id: str = attrs.field(validator=identifier)
    kind: ReviewKind = attrs.field(converter=_to_review_kind)
    on: date = attrs.field(validator=a_date)
    participant_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    milestone_id: str | None = attrs.field(default=None, validator=optional_identifier)
    notes: str = attrs.field(default="", validator=plain_text)
    reviewee_reflection: str = attrs.field(default="", validator=plain_text)
    reviewer_reflection: str = attrs.field(default="", validator=plain_text)
    strengths: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    next_steps: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=texts)
    agreed_actions: tuple[AgreedAction, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(AgreedAction)
    )
    development_needs: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=texts
    )
    conversation: Conversation = attrs.field(factory=Conversation, validator=instance(Conversation))
    private_notes: tuple[Confidential, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(Confidential)
    )
    pay_recommendation: PayRecommendation | None = attrs.field(
        default=None, validator=optional_instance(PayRecommendation)
    )
    minutes: int | None = attrs.field(default=None, validator=minutes)
