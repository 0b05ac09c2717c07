"""Staff voice through the services: who may rate and answer, kept apart, never shown singly."""

from __future__ import annotations

from datetime import date

import pytest

import devcycle as dc
from devcycle.privacy import erase, subject_access
from devcycle.reports import VoiceReport
from devcycle.services import Services

SYSTEM = dc.Actor.system()
HEAD = dc.Actor("H1", "headteacher", school_id="oak")
REVIEWER = dc.Actor("M1", "reviewer", school_id="oak")
TEACHERS = [f"T{i}" for i in range(1, 7)]
MET = date(2026, 10, 10)
AS_OF = date(2027, 7, 1)


def _reviewee(staff_id: str) -> dc.Actor:
    return dc.Actor(staff_id, "reviewee", school_id="oak")


@pytest.fixture
def services() -> Services:
    """Oak: six teachers reviewed by M1 (the first three in KS2), each met once on 10 Oct."""
    services = Services(dc.open_store("memory://"))
    school = dc.School(id="oak", name="Oak Primary", teams=[dc.Team(id="ks2", name="KS2")])
    staff = [
        dc.StaffMember(id="H1", name="Hana Head", school_id="oak", roles={"headteacher"}),
        dc.StaffMember(id="M1", name="Mo Middle", school_id="oak", roles={"teacher"}),
    ] + [
        dc.StaffMember(
            id=t,
            name=f"Teacher {t}",
            school_id="oak",
            roles={"teacher"},
            reviewer_id="M1",
            team_ids=("ks2",) if i < 3 else (),
        )
        for i, t in enumerate(TEACHERS)
    ]
    services.save_school(SYSTEM, school, staff)
    for teacher in TEACHERS:
        cycle = dc.Cycle(
            id=f"c-{teacher}",
            school_id="oak",
            staff_id=teacher,
            reviewer_id="M1",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        cycle.start_planning(by="M1", on=date(2026, 9, 10))
        cycle.record_review(by="M1", on=MET, kind=dc.ReviewKind.CHECK_IN, notes="Met.")
        services.save_cycle(SYSTEM, cycle)
    services.save_survey(
        HEAD,
        dc.ProcessSurvey(
            id="2027-summer",
            school_id="oak",
            title="How did appraisal work for you?",
            opens=date(2027, 6, 1),
            closes=date(2027, 6, 30),
        ),
    )
    return services


def _rate(services: Services, teacher: str, usefulness: int = 4) -> dc.MeetingRating:
    return services.rate_meeting(
        _reviewee(teacher),
        "oak",
        f"c-{teacher}",
        "rev-1",
        on=date(2026, 10, 11),
        usefulness=usefulness,
        motivation=3,
        comment=f"secret from {teacher}",
    )


def test_the_reviewee_rates_a_meeting_apart_from_the_cycle(services: Services) -> None:
    """The rating is stored on its own, with reviewer and teams; the cycle is unchanged."""
    before = services.store.cycles.get("oak", "c-T1")

    rating = _rate(services, "T1")

    assert rating == services.store.meeting_ratings.get("oak", "c-T1/rev-1")
    assert (rating.rater_id, rating.reviewer_id, rating.team_ids) == ("T1", "M1", ("ks2",))
    after = services.store.cycles.get("oak", "c-T1")
    assert (after.version, after) == (before.version, before)
    entries = services.store.audit.query("oak", kind="meeting_rating")
    assert [(e.action, e.actor, e.record_id) for e in entries] == [("add", "T1", "c-T1/rev-1")]


def test_rating_again_replaces_the_rating(services: Services) -> None:
    """A second rating of the same meeting is the same record, updated."""
    _rate(services, "T1", usefulness=2)
    again = _rate(services, "T1", usefulness=5)

    assert again.version == 2
    assert [r.usefulness for r in services.store.meeting_ratings.for_school("oak")] == [5]


@pytest.mark.parametrize(
    ("actor", "cycle_id"),
    [
        (REVIEWER, "c-T1"),  # the reviewer
        (_reviewee("T2"), "c-T1"),  # a colleague claiming to be the reviewee
        (HEAD, "c-T1"),  # the headteacher
        (dc.Actor("T1", "reviewee", school_id="elm"), "c-T1"),  # the right person, wrong school
    ],
)
def test_only_the_reviewee_may_rate_their_meeting(
    services: Services, actor: dc.Actor, cycle_id: str
) -> None:
    with pytest.raises(dc.AccessDenied):
        services.rate_meeting(actor, "oak", cycle_id, "rev-1", on=MET, usefulness=3, motivation=3)
    assert services.store.meeting_ratings.for_school("oak") == []


def test_a_meeting_is_rated_after_it_is_held_and_on_the_scale(services: Services) -> None:
    """Before the meeting, an unknown meeting or a score off the scale: refused, nothing stored."""
    teacher = _reviewee("T1")
    with pytest.raises(dc.DomainError, match="it was held on 2026-10-10"):
        services.rate_meeting(
            teacher, "oak", "c-T1", "rev-1", on=date(2026, 10, 9), usefulness=3, motivation=3
        )
    with pytest.raises(dc.DomainError, match="no such meeting"):
        services.rate_meeting(teacher, "oak", "c-T1", "rev-9", on=MET, usefulness=3, motivation=3)
    with pytest.raises(dc.ValidationError, match="usefulness"):
        services.rate_meeting(teacher, "oak", "c-T1", "rev-1", on=MET, usefulness=6, motivation=3)
    assert services.store.meeting_ratings.for_school("oak") == []


def _answer(teacher: str, **answers: object) -> dc.SurveyResponse:
    fields: dict[str, object] = {"valued": 4, "hours": 5.0, **answers}
    return dc.SurveyResponse(
        id=f"2027-summer/{teacher}",
        school_id="oak",
        survey_id=str(fields.pop("survey_id", "2027-summer")),
        respondent_id=str(fields.pop("respondent_id", teacher)),
        on=fields.pop("on", date(2027, 6, 10)),  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


def test_survey_answers_are_recorded_with_their_groups_filled_in(services: Services) -> None:
    """Answers without teams or reviewer get the respondent's teams and cycle's reviewer."""
    saved = services.record_survey_responses(HEAD, "oak", [_answer(t) for t in TEACHERS])

    assert [(r.respondent_id, r.reviewer_id, r.team_ids) for r in saved][:4] == [
        ("T1", "M1", ("ks2",)),
        ("T2", "M1", ("ks2",)),
        ("T3", "M1", ("ks2",)),
        ("T4", "M1", ()),
    ]
    assert len(services.store.survey_responses.for_survey("oak", "2027-summer")) == 6


def test_one_bad_answer_stores_none_and_every_problem_is_named(services: Services) -> None:
    """Unknown survey, outside its dates, not staff, a repeat: all listed, nothing stored."""
    batch = [
        _answer("T1"),
        _answer("T2", survey_id="2020"),
        _answer("T3", on=date(2027, 7, 2)),
        _answer("X9"),
        _answer("T5"),
    ]
    batch.append(dc.SurveyResponse(**{**_fields(batch[0]), "id": "again"}))

    with pytest.raises(dc.ValidationError) as raised:
        services.record_survey_responses(HEAD, "oak", batch)

    text = str(raised.value)
    assert "no survey '2020' in 'oak' (surveys: 2027-summer) @ responses[1].survey_id" in text
    assert "outside survey '2027-summer'" in text
    assert "@ responses[2].on" in text
    assert "'X9' is not a member of staff of 'oak' @ responses[3].respondent_id" in text
    assert "'T1' already answered survey '2027-summer'" in text
    assert "@ responses[5].respondent_id" in text
    assert services.store.survey_responses.for_school("oak") == []


def _fields(response: dc.SurveyResponse) -> dict[str, object]:
    return {
        "id": response.id,
        "school_id": response.school_id,
        "survey_id": response.survey_id,
        "respondent_id": response.respondent_id,
        "on": response.on,
        "valued": response.valued,
        "hours": response.hours,
    }


def test_recording_twice_needs_replace(services: Services) -> None:
    services.record_survey_responses(HEAD, "oak", [_answer("T1")])

    with pytest.raises(dc.ValidationError, match="already recorded"):
        services.record_survey_responses(HEAD, "oak", [_answer("T1", valued=1)])
    services.record_survey_responses(HEAD, "oak", [_answer("T1", valued=1)], replace=True)

    assert services.store.survey_responses.get("oak", "2027-summer/T1").valued == 1


def test_staff_answer_for_themselves_only(services: Services) -> None:
    """A teacher records their own answer; another's is refused (that needs run_survey)."""
    services.record_survey_responses(_reviewee("T1"), "oak", [_answer("T1")])

    with pytest.raises(dc.AccessDenied, match="only their own survey answers, not those of T2"):
        services.record_survey_responses(_reviewee("T1"), "oak", [_answer("T2")])
    with pytest.raises(dc.AccessDenied):
        services.save_survey(
            _reviewee("T1"),
            dc.ProcessSurvey(id="mine", school_id="oak", title="x", opens=AS_OF, closes=AS_OF),
        )
    assert [r.respondent_id for r in services.store.survey_responses.for_school("oak")] == ["T1"]


def test_the_reviewer_never_sees_an_individual_rating(services: Services) -> None:
    """Not through an export, a report or their own subject-access request.

    Two ratings of M1: fewer than five, so the report shows no figure at all; the headteacher's
    export leaves the ratings out; M1's subject access counts them as withheld.
    """
    _rate(services, "T1")
    _rate(services, "T2")

    report = services.report(HEAD, "voice", "oak", as_of=AS_OF)
    assert isinstance(report, VoiceReport)
    assert report.ratings == ()
    bundle = services.export(HEAD, school_ids=["oak"])
    assert bundle["data"]["meeting_ratings"] == []
    assert "secret from" not in repr(bundle)
    assert len(services.export(SYSTEM, school_ids=["oak"])["data"]["meeting_ratings"]) == 2

    own = subject_access(services.store, "oak", "M1")
    assert own.withheld == 2
    assert "secret from" not in repr(own.to_json())
    assert "meeting_rating" not in {kind for kind, *_ in own.records}
    rater = subject_access(services.store, "oak", "T1")
    assert [(k, i) for k, i, *_ in rater.records if k == "meeting_rating"] == [
        ("meeting_rating", "c-T1/rev-1")
    ]


def test_the_voice_report_shows_groups_of_five_or_more(services: Services) -> None:
    """Six ratings: the school and the reviewer (the same six) shown, KS2's three withheld."""
    for teacher in TEACHERS:
        _rate(services, teacher)

    report = services.report(HEAD, "voice", "oak", as_of=AS_OF)

    assert isinstance(report, VoiceReport)
    assert [(g.level, g.people) for g in report.ratings] == [("school", 6), ("reviewer", 6)]
    assert report.withheld == {"2026/27": 1}
    with pytest.raises(dc.AccessDenied):
        services.report(REVIEWER, "voice", "oak", as_of=AS_OF)


def test_erasing_a_rater_pseudonymises_their_ratings(services: Services) -> None:
    """The rating stays in the figures under a pseudonym; no record names the rater."""
    _rate(services, "T1")
    services.record_survey_responses(HEAD, "oak", [_answer("T1")])

    erased = erase(services.store, "oak", "T1")

    assert erased.remaining == ()
    (rating,) = services.store.meeting_ratings.for_school("oak")
    (response,) = services.store.survey_responses.for_school("oak")
    assert rating.rater_id == response.respondent_id == erased.pseudonym
    assert rating.usefulness == 4
