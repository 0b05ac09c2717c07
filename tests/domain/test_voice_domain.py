"""Rating a meeting: only its reviewee, only a meeting of the cycle, never before it."""

from __future__ import annotations

from datetime import date

import pytest

import devcycle as dc
from devcycle.demo import build_demo
from devcycle.domain.voice import ProcessSurvey, SurveyResponse, rate_meeting

DEMO = build_demo(2026)
CYCLE = next(c for c in DEMO.cycles if c.id == "2026-S002")
STAFF = {m.id: m for m in DEMO.staff}


def test_the_reviewee_rates_a_meeting_and_the_reviewer_and_teams_come_along() -> None:
    rating = rate_meeting(
        CYCLE, "rev-2", by=STAFF["S002"], on=date(2026, 12, 12), usefulness=4, motivation=5
    )

    assert rating.reviewer_id == CYCLE.reviewer_id
    assert rating.team_ids == STAFF["S002"].team_ids
    assert rating.id == "2026-S002/rev-2"
    assert dc.serialization.loads(dc.serialization.dumps(rating)) == rating


@pytest.mark.parametrize(
    ("who", "meeting", "on", "expected"),
    [
        ("H001", "rev-2", date(2026, 12, 12), "only its reviewee"),
        ("S002", "rev-9", date(2026, 12, 12), "no such meeting"),
        ("S002", "rev-2", date(2026, 12, 10), "it was held on 2026-12-11"),
    ],
    ids=["the-reviewer", "unknown-meeting", "before-the-meeting"],
)
def test_a_rating_that_cannot_be_is_refused(
    who: str, meeting: str, on: date, expected: str
) -> None:
    with pytest.raises(dc.DomainError, match=expected):
        rate_meeting(CYCLE, meeting, by=STAFF[who], on=on, usefulness=3, motivation=3)


def test_a_survey_cannot_close_before_it_opens_and_answers_stay_on_their_scales() -> None:
    with pytest.raises((ValueError, dc.ValidationError), match="closes"):
        ProcessSurvey(
            id="s", school_id="oak", title="t", opens=date(2027, 6, 1), closes=date(2027, 5, 1)
        )
    with pytest.raises((ValueError, dc.ValidationError), match="hours"):
        SurveyResponse(
            id="r",
            school_id="oak",
            survey_id="s",
            respondent_id="P",
            on=date(2027, 6, 1),
            hours=-1,
        )
    with pytest.raises((TypeError, dc.ValidationError), match="yes"):
        SurveyResponse(
            id="r",
            school_id="oak",
            survey_id="s",
            respondent_id="P",
            on=date(2027, 6, 1),
            objectives_imposed="yes",  # type: ignore[arg-type]
        )
