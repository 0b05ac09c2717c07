"""The moderation report: reviewers and teams side by side, staff voice only for enough people."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.reports import school

from devcycle.domain import (
    Cycle,
    MeetingRating,
    ReviewKind,
    Role,
    School,
    StaffMember,
    Team,
)
from devcycle.render import render, renderer_names
from devcycle.reports import ModerationPolicy, ReportData, VoicePolicy, moderation, run, voice

AS_OF = date(2027, 2, 1)
DAY = date(2026, 10, 1)


def _trust_school(*, bare: int = 0, people: int = 6) -> tuple[ReportData, list[MeetingRating]]:
    """Oak: reviewer R reviews P0..P5 (P0-P2 in team small); reviewer Q reviews Q0."""
    oak = School(id="oak", name="Oak", teams=(Team("small", "Small team", None),))
    staff = [
        StaffMember(id="R", name="Rita Reviewer", school_id="oak", roles={Role.SENIOR_LEADER}),
        StaffMember(id="Q", name="Quinn Reviewer", school_id="oak", roles={Role.SENIOR_LEADER}),
    ]
    cycles: list[Cycle] = []
    ratings: list[MeetingRating] = []
    for index in range(people + 1):
        pid = f"P{index}" if index < people else "Q0"
        reviewer = "R" if index < people else "Q"
        member = StaffMember(
            id=pid,
            name=f"Person {index}",
            school_id="oak",
            roles={Role.TEACHER},
            team_ids=("small",) if index < 3 else (),
            reviewer_id=reviewer,
        )
        staff.append(member)
        cycle = Cycle(
            id=f"c-{pid}",
            school_id="oak",
            staff_id=pid,
            reviewer_id=reviewer,
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        cycle.start_planning(by=reviewer, on=DAY)
        text = (
            "80% of pupils to achieve grade 5+ in maths."
            if index < bare
            else "Run guided reading twice a week for the 6 Year 4 pupils below ARE until March."
        )
        made = cycle.propose_objective(by=pid, on=DAY, statement=text)
        cycle.agree_objective(made.id, by=reviewer, on=DAY)
        cycle.record_review(by=reviewer, on=DAY, kind=ReviewKind.PLANNING, participant_ids=(pid,))
        cycle.activate(by=reviewer, on=DAY)
        cycle.record_check_in(made.id, by=pid, on=date(2026, 11, 1), note="Started.")
        cycles.append(cycle)
        ratings.append(
            MeetingRating(
                id=f"rate-{pid}",
                school_id="oak",
                cycle_id=cycle.id,
                meeting_id=cycle.reviews[0].id,
                rater_id=pid,
                reviewer_id=reviewer,
                on=DAY,
                usefulness=2 if index % 2 else 4,
                motivation=3,
                team_ids=member.team_ids,
            )
        )
    return ReportData(schools=(oak,), staff=tuple(staff), cycles=tuple(cycles)), ratings


def test_ratings_are_shown_only_for_enough_people_and_never_by_difference() -> None:
    data, ratings = _trust_school()
    report = moderation(data, as_of=AS_OF, ratings=ratings)
    rows = {r.id: r for r in (*report.reviewers, *report.groups)}

    assert rows["Q"].usefulness is None
    assert rows["Q"].ratings_withheld
    assert rows["small"].usefulness is None
    assert rows["small"].ratings_withheld
    # The school (7 people) beside R (6) would give away Q0's rating by difference: one only.
    shown = [rows[key] for key in ("oak", "R") if rows[key].usefulness is not None]
    assert len(shown) == 1
    assert shown[0].raters >= 5
    assert shown[0].usefulness == pytest.approx(22 / 7 if shown[0].id == "oak" else 3.0, abs=0.01)
    text = render(report.to_document(), "markdown").decode()
    assert "withheld (fewer than 5)" in text
    assert "Person" not in text


def test_a_reviewer_with_more_bare_data_targets_than_the_school_is_flagged() -> None:
    data, _ = _trust_school(bare=2)
    report = moderation(data, as_of=AS_OF)
    codes = {(f.subject, f.code) for f in report.findings}

    assert ("Rita Reviewer", "data-targets") in codes
    assert ("Quinn Reviewer", "data-targets") not in codes
    rita = next(r for r in report.reviewers if r.id == "R")
    assert (rita.counts.agreed, rita.counts.data_targets) == (6, 2)
    assert all(f.action for f in report.findings)


def test_check_in_frequency_is_judged_against_the_policy() -> None:
    data, _ = _trust_school()
    strict = moderation(data, as_of=AS_OF, policy=ModerationPolicy(max_weeks_per_check_in=4))
    lenient = moderation(data, as_of=AS_OF, policy=ModerationPolicy(max_weeks_per_check_in=20))
    rita = next(r for r in strict.reviewers if r.id == "R")

    assert rita.counts.check_ins == 6
    assert rita.counts.weeks_per_check_in == pytest.approx(rita.counts.weeks / 6)
    assert any(f.code == "few-check-ins" for f in strict.findings)
    assert not any(f.code == "few-check-ins" for f in lenient.findings)


def test_returns_at_moderation_are_counted() -> None:
    data, _ = _trust_school()
    cycle = data.cycles[0]
    cycle.moderate_objective("obj-1", by="H", on=date(2026, 11, 2), reasons=["Consistency."])
    report = moderation(data, as_of=AS_OF)

    assert next(r for r in report.reviewers if r.id == "R").counts.moderated == 1
    assert next(r for r in report.reviewers if r.id == "R").counts.agreed == 5


def test_groups_add_up_and_every_reviewer_is_listed_on_little_brook() -> None:
    report = moderation(school.build(), as_of=school.AS_OF)
    whole = next(g for g in report.groups if g.kind == "school")

    assert {r.id for r in report.reviewers} == {"H", "A", "B"}
    assert whole.counts.agreed == sum(r.counts.agreed for r in report.reviewers)


@pytest.mark.parametrize("fmt", renderer_names())
def test_the_report_renders_in_every_format(fmt: str) -> None:
    if fmt == "docx":
        pytest.importorskip("docx")
    data, ratings = _trust_school(bare=1)

    assert render(run("moderation", data, as_of=AS_OF, ratings=ratings).to_document(), fmt)


def _school_of(assignment: list[tuple[int, int]]) -> tuple[ReportData, list[MeetingRating]]:
    """People P0..Pn, each (reviewer index, team bits), one agreed objective and one rating."""
    teams = (Team("t0", "Team 0", None), Team("t1", "Team 1", None))
    staff = [
        StaffMember(id=f"R{r}", name=f"Reviewer {r}", school_id="oak", roles={Role.SENIOR_LEADER})
        for r in range(3)
    ]
    cycles: list[Cycle] = []
    ratings: list[MeetingRating] = []
    for index, (reviewer_index, bits) in enumerate(assignment):
        pid, reviewer = f"P{index}", f"R{reviewer_index}"
        member = StaffMember(
            id=pid,
            name=f"Person {index}",
            school_id="oak",
            roles={Role.TEACHER},
            team_ids=tuple(t.id for i, t in enumerate(teams) if bits & (1 << i)),
            reviewer_id=reviewer,
        )
        staff.append(member)
        cycle = Cycle(
            id=f"c-{pid}",
            school_id="oak",
            staff_id=pid,
            reviewer_id=reviewer,
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        cycle.start_planning(by=reviewer, on=DAY)
        made = cycle.propose_objective(by=pid, on=DAY, statement="Teach phonics to Year 1.")
        cycle.agree_objective(made.id, by=reviewer, on=DAY)
        cycle.record_review(by=reviewer, on=DAY, kind=ReviewKind.PLANNING, participant_ids=(pid,))
        cycles.append(cycle)
        ratings.append(
            MeetingRating(
                id=f"rate-{pid}",
                school_id="oak",
                cycle_id=cycle.id,
                meeting_id=cycle.reviews[0].id,
                rater_id=pid,
                reviewer_id=reviewer,
                on=DAY,
                usefulness=1 + index % 5,
                motivation=1 + (index * 3) % 5,
                team_ids=member.team_ids,
            )
        )
    oak = School(id="oak", name="Oak", teams=teams)
    return ReportData(schools=(oak,), staff=tuple(staff), cycles=tuple(cycles)), ratings


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3)), min_size=1, max_size=14),
    st.integers(3, 6),
)
def test_no_rating_is_shown_for_fewer_people_nor_given_away_by_difference(
    assignment: list[tuple[int, int]], min_group: int
) -> None:
    """Every row showing ratings has enough raters, and so has every atom of those rows."""
    data, ratings = _school_of(assignment)
    report = moderation(
        data, as_of=AS_OF, ratings=ratings, voice_policy=VoicePolicy(min_group=min_group)
    )
    rows = [*report.reviewers, *report.groups]
    shown = [r for r in rows if r.usefulness is not None]
    members = {
        "reviewer": lambda r: {i for i, (rv, _) in enumerate(assignment) if f"R{rv}" == r.id},
        "team": lambda r: {
            i for i, (_, bits) in enumerate(assignment) if bits & (1 << int(r.id[1]))
        },
        "school": lambda r: set(range(len(assignment))),
    }
    sets = [frozenset(members[r.kind](r)) for r in shown]

    assert all(len(s) >= min_group for s in sets)
    atoms: dict[frozenset[int], int] = {}
    for person in set().union(*sets) if sets else set():
        signature = frozenset(i for i, s in enumerate(sets) if person in s)
        atoms[signature] = atoms.get(signature, 0) + 1
    assert all(count >= min_group for count in atoms.values())
    text = render(report.to_document(), "markdown").decode()
    assert "Person " not in text


def test_a_small_group_does_not_say_whether_its_people_rated() -> None:
    """Regression: a one-person group showed "-" when its person gave no rating and
    "withheld" when they did, which told the reader whether that person rated at all."""
    data, ratings = _trust_school()
    silent = [r for r in ratings if r.rater_id != "Q0"]

    rated = {r.id: r for r in moderation(data, as_of=AS_OF, ratings=ratings).reviewers}
    unrated = {r.id: r for r in moderation(data, as_of=AS_OF, ratings=silent).reviewers}

    assert rated["Q"].ratings_withheld
    assert unrated["Q"] == rated["Q"]


def test_a_school_with_no_ratings_at_all_withholds_nothing() -> None:
    """With no staff voice recorded, the rating columns are empty, not "withheld"."""
    data, _ratings = _trust_school()

    report = moderation(data, as_of=AS_OF, ratings=())

    assert not any(r.ratings_withheld for r in (*report.reviewers, *report.groups))


def _atoms_hold(sets: list[frozenset[int]], min_group: int) -> bool:
    atoms: dict[frozenset[int], int] = {}
    for person in set().union(*sets) if sets else set():
        signature = frozenset(i for i, s in enumerate(sets) if person in s)
        atoms[signature] = atoms.get(signature, 0) + 1
    return all(count >= min_group for count in atoms.values())


def _shown_by_both(
    assignment: list[tuple[int, int]], min_group: int
) -> tuple[list[frozenset[int]], list[frozenset[int]]]:
    """The people behind every group whose ratings the moderation and voice reports show."""
    data, ratings = _school_of(assignment)
    policy = VoicePolicy(min_group=min_group)
    report = moderation(data, as_of=AS_OF, ratings=ratings, voice_policy=policy)
    heard = voice(ratings, [], schools=data.schools, staff=data.staff, policy=policy)

    def members(kind: str, key: str) -> frozenset[int]:
        return frozenset(
            i
            for i, (reviewer, bits) in enumerate(assignment)
            if kind == "school"
            or (kind == "reviewer" and f"R{reviewer}" == key)
            or (kind == "team" and bits & (1 << int(key[1])))
        )

    moderated = [
        members(r.kind, r.id)
        for r in (*report.reviewers, *report.groups)
        if r.usefulness is not None
    ]
    voiced = [members(g.level, g.key) for g in heard.ratings]
    return moderated, voiced


def test_the_two_reports_together_give_no_rating_away() -> None:
    """Regression: R0 reviews three, R1 four and R2 one; moderation kept R0 and the school,
    the voice report R1 and the school: each safe alone, but read side by side the school
    less R0 less R1 is R2's one reviewee's rating."""
    assignment = [(0, 0)] * 3 + [(1, 0)] * 4 + [(2, 0)]

    moderated, voiced = _shown_by_both(assignment, 3)

    assert _atoms_hold(moderated, 3)
    assert _atoms_hold(voiced, 3)
    assert _atoms_hold(moderated + voiced, 3)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3)), min_size=1, max_size=14),
    st.integers(3, 6),
)
def test_no_rating_is_given_away_by_the_moderation_and_voice_reports_read_together(
    assignment: list[tuple[int, int]], min_group: int
) -> None:
    """For one year's ratings, every atom of the groups either report shows is big enough."""
    moderated, voiced = _shown_by_both(assignment, min_group)

    assert _atoms_hold(moderated + voiced, min_group)
