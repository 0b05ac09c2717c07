"""Staff voice: how useful and motivating each meeting was, and what staff think of the process.

The sources are blunt: most staff in one poll did not value their school's appraisal and said
it did not help them improve, and "the level of motivation that your teacher leaves the
meeting with shows how well your performance review went". So devcycle records both:

- a `MeetingRating` the reviewee may give after each review meeting (how useful, how
  motivating, 1 to 5, and an optional comment);
- a `SurveyResponse` to a whole-staff `ProcessSurvey` run once or twice a year (do you value
  the process, does it help you improve, were your objectives imposed, do you have pupil-data
  targets, how many hours did it take).

Both are stored apart from the cycle, so that a reviewer who can read a cycle never reads a
rating of themself. They are only ever shown aggregated, anonymously, for groups of at least
a minimum size (`devcycle.reports.voice`); the rater is kept so that each person rates a
meeting once and so that a subject-access request or erasure can find their records.
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from devcycle.domain._validate import (
    identifier,
    identifiers,
    invalid,
    optional_identifier,
    to_tuple,
)
from devcycle.domain.cycle import Cycle
from devcycle.domain.people import StaffMember
from devcycle.errors import DomainError

__all__ = [
    "AGREEMENT_QUESTIONS",
    "MeetingRating",
    "ProcessSurvey",
    "SurveyQuestion",
    "SurveyResponse",
    "rate_meeting",
]

_COMMENT_LIMIT = 2_000


def _scale(_inst: object, attribute: attrs.Attribute[int], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        msg = f"{attribute.name!r} must be a whole number from 1 to 5 (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="a whole number from 1 to 5")


def _optional_scale(_inst: object, attribute: attrs.Attribute[int | None], value: object) -> None:
    if value is not None:
        _scale(_inst, attribute, value)  # type: ignore[arg-type]


def _comment(_inst: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or len(value) > _COMMENT_LIMIT:
        msg = f"{attribute.name!r} must be text of at most {_COMMENT_LIMIT:,} characters"
        invalid(attribute.name, msg, expected=f"text of at most {_COMMENT_LIMIT:,} characters")


def _date(_inst: object, attribute: attrs.Attribute[date], value: object) -> None:
    if not isinstance(value, date):
        msg = f"{attribute.name!r} must be a date (got {type(value).__name__})"
        invalid(attribute.name, msg, value=value, expected="a date")


@attrs.frozen
class MeetingRating:
    """A reviewee's rating of one review meeting, kept apart from the cycle.

    Attributes:
        id: The rating's id, unique within the school.
        school_id: The school (the tenant).
        cycle_id: The cycle the meeting belongs to.
        meeting_id: The review meeting rated.
        rater_id: The reviewee who rated it (never shown with the rating).
        reviewer_id: The reviewer who held the meeting, for per-reviewer aggregates.
        team_ids: The rater's teams when they rated, for per-team aggregates.
        on: When the rating was given.
        usefulness: How useful the meeting was, 1 (not at all) to 5 (very).
        motivation: How motivated the person left it, 1 (much less) to 5 (much more).
        comment: An optional comment, shown only in groups above the threshold, never named.
        version: Set by the store for optimistic concurrency; leave at 0.
    """

    id: str = attrs.field(validator=identifier)
    school_id: str = attrs.field(validator=identifier)
    cycle_id: str = attrs.field(validator=identifier)
    meeting_id: str = attrs.field(validator=identifier)
    rater_id: str = attrs.field(validator=identifier)
    reviewer_id: str | None = attrs.field(validator=optional_identifier)
    on: date = attrs.field(validator=_date)
    usefulness: int = attrs.field(validator=_scale)
    motivation: int = attrs.field(validator=_scale)
    team_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=identifiers)
    comment: str = attrs.field(default="", validator=_comment)
    version: int = attrs.field(default=0, eq=False)


class SurveyQuestion(enum.StrEnum):
    """The questions of the whole-staff survey of the process itself."""

    VALUED = "valued"
    """I value our appraisal / development process (1 strongly disagree to 5 strongly agree)."""
    HELPS_ME_IMPROVE = "helps_me_improve"
    """The process helps me improve my practice (1 to 5)."""
    OBJECTIVES_IMPOSED = "objectives_imposed"
    """My objectives were imposed on me rather than agreed (yes or no)."""
    PUPIL_DATA_TARGETS = "pupil_data_targets"
    """I have pupil-data targets among my objectives (yes or no)."""
    HOURS = "hours"
    """Hours the process took me this year, meetings and paperwork together."""


AGREEMENT_QUESTIONS = (SurveyQuestion.VALUED, SurveyQuestion.HELPS_ME_IMPROVE)
"""The questions answered on the 1-5 agreement scale."""


@attrs.frozen
class ProcessSurvey:
    """A whole-staff survey of the process, run once or twice a year.

    Attributes:
        id: The survey's id, unique within the school ("2026-summer").
        school_id: The school (the tenant).
        title: What staff see ("How did appraisal work for you this year?").
        opens: The first day answers are taken.
        closes: The last day answers are taken.
    """

    id: str = attrs.field(validator=identifier)
    school_id: str = attrs.field(validator=identifier)
    title: str
    opens: date = attrs.field(validator=_date)
    closes: date = attrs.field(validator=_date)

    def __attrs_post_init__(self) -> None:
        if self.closes < self.opens:
            msg = f"survey {self.id!r} closes ({self.closes}) before it opens ({self.opens})"
            invalid("closes", msg, value=self.closes, expected=f"on or after {self.opens}")


def _hours(_inst: object, attribute: attrs.Attribute[float | None], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 500:
        msg = f"{attribute.name!r} must be a number of hours from 0 to 500 (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="a number of hours from 0 to 500")


def _optional_bool(_inst: object, attribute: attrs.Attribute[bool | None], value: object) -> None:
    if value is not None and not isinstance(value, bool):
        msg = f"{attribute.name!r} must be yes (true), no (false) or unanswered (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="yes, no or unanswered")


@attrs.frozen
class SurveyResponse:
    """One person's answers to a `ProcessSurvey`; every answer is optional.

    Attributes:
        id: The response's id, unique within the school.
        school_id: The school (the tenant).
        survey_id: The survey answered.
        respondent_id: Who answered (never shown with the answers; one response each).
        on: When they answered.
        team_ids: Their teams when they answered, for per-team aggregates.
        reviewer_id: Their reviewer that year, for per-reviewer aggregates.
        valued: `SurveyQuestion.VALUED`, 1 to 5.
        helps_me_improve: `SurveyQuestion.HELPS_ME_IMPROVE`, 1 to 5.
        objectives_imposed: `SurveyQuestion.OBJECTIVES_IMPOSED`.
        pupil_data_targets: `SurveyQuestion.PUPIL_DATA_TARGETS`.
        hours: `SurveyQuestion.HOURS`.
        comment: An optional comment, shown only in groups above the threshold, never named.
        version: Set by the store for optimistic concurrency; leave at 0.
    """

    id: str = attrs.field(validator=identifier)
    school_id: str = attrs.field(validator=identifier)
    survey_id: str = attrs.field(validator=identifier)
    respondent_id: str = attrs.field(validator=identifier)
    on: date = attrs.field(validator=_date)
    team_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple, validator=identifiers)
    reviewer_id: str | None = attrs.field(default=None, validator=optional_identifier)
    valued: int | None = attrs.field(default=None, validator=_optional_scale)
    helps_me_improve: int | None = attrs.field(default=None, validator=_optional_scale)
    objectives_imposed: bool | None = attrs.field(default=None, validator=_optional_bool)
    pupil_data_targets: bool | None = attrs.field(default=None, validator=_optional_bool)
    hours: float | None = attrs.field(default=None, validator=_hours)
    comment: str = attrs.field(default="", validator=_comment)
    version: int = attrs.field(default=0, eq=False)

    def answer(self, question: SurveyQuestion) -> int | bool | float | None:
        """Return the answer to *question* (None if unanswered)."""
        value: int | bool | float | None = getattr(self, question.value)
        return value


def rate_meeting(
    cycle: Cycle,
    meeting_id: str,
    *,
    by: StaffMember,
    on: date,
    usefulness: int,
    motivation: int,
    comment: str = "",
) -> MeetingRating:
    """Return the reviewee's rating of a meeting of *cycle*, to be stored apart from it.

    The rating's id is derived from the cycle and the meeting, so a second rating of the
    same meeting is the same record (the store refuses it as a duplicate, or an update
    replaces it). The reviewer and the rater's teams are copied in, for the aggregates.

    Raises:
        DomainError: If *by* is not the cycle's reviewee, or the meeting is not one of the
            cycle's, or the rating is dated before the meeting.
        ValidationError: If a score is not a whole number from 1 to 5.
    """
    if by.id != cycle.staff_id or by.school_id != cycle.school_id:
        msg = (
            f"cannot rate a meeting of cycle {cycle.id!r}: only its reviewee "
            f"({cycle.staff_id!r}) may rate its meetings, not {by.id!r}"
        )
        raise DomainError(msg)
    meeting = next((m for m in cycle.reviews if m.id == meeting_id), None)
    if meeting is None:
        known = ", ".join(m.id for m in cycle.reviews) or "none yet"
        msg = (
            f"cannot rate meeting {meeting_id!r}: cycle {cycle.id!r} has no such meeting ({known})"
        )
        raise DomainError(msg)
    if on < meeting.on:
        msg = f"cannot rate meeting {meeting_id!r} on {on}: it was held on {meeting.on}"
        raise DomainError(msg)
    return MeetingRating(
        id=f"{cycle.id}/{meeting_id}"[:128],
        school_id=cycle.school_id,
        cycle_id=cycle.id,
        meeting_id=meeting_id,
        rater_id=by.id,
        reviewer_id=cycle.reviewer_id,
        team_ids=by.team_ids,
        on=on,
        usefulness=usefulness,
        motivation=motivation,
        comment=comment,
    )
