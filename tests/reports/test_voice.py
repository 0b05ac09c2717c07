"""How staff see the process: anonymity as properties, differencing included."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from fractions import Fraction
from itertools import combinations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import devcycle as dc
from devcycle.cli.report import data_tables, to_csv, to_json, to_text
from devcycle.domain import MeetingRating, SurveyResponse
from devcycle.render import render
from devcycle.reports import VoicePolicy, safe_groups, voice

TEAMS = ("ks1", "ks2", "eyfs")
REVIEWERS = ("M1", "M2", "M3")


def school(school_id: str = "oak") -> dc.School:
    return dc.School(
        id=school_id,
        name=f"{school_id.title()} Primary",
        teams=[dc.Team(id=t, name=t.upper()) for t in TEAMS],
    )


@st.composite
def ratings(draw: st.DrawFn, school_id: str = "oak") -> list[MeetingRating]:
    """Ratings by up to 14 people, each with a reviewer and some teams, over two years."""
    size = draw(st.integers(0, 14))
    found = []
    for person in range(size):
        teams = draw(st.lists(st.sampled_from(TEAMS), unique=True, max_size=2))
        reviewer = draw(st.sampled_from(REVIEWERS))
        for meeting in range(draw(st.integers(1, 3))):
            year = draw(st.sampled_from((2025, 2026)))
            found.append(
                MeetingRating(
                    id=f"r{person}-{meeting}",
                    school_id=school_id,
                    cycle_id=f"c{person}",
                    meeting_id=f"m{meeting}",
                    rater_id=f"P{person}",
                    reviewer_id=reviewer,
                    team_ids=teams,
                    on=date(year, 11, 1),
                    usefulness=draw(st.integers(1, 5)),
                    motivation=draw(st.integers(1, 5)),
                    comment=draw(st.sampled_from(("", "Useful", f"I am P{person}"))),
                )
            )
    return found


@st.composite
def responses(draw: st.DrawFn) -> list[SurveyResponse]:
    size = draw(st.integers(0, 14))
    optional_scale = st.none() | st.integers(1, 5)
    return [
        SurveyResponse(
            id=f"s{person}",
            school_id="oak",
            survey_id="2026-summer",
            respondent_id=f"P{person}",
            on=date(2027, 6, 20),
            team_ids=draw(st.lists(st.sampled_from(TEAMS), unique=True, max_size=2)),
            reviewer_id=draw(st.sampled_from(REVIEWERS)),
            valued=draw(optional_scale),
            helps_me_improve=draw(optional_scale),
            objectives_imposed=draw(st.none() | st.booleans()),
            pupil_data_targets=draw(st.none() | st.booleans()),
            hours=draw(st.none() | st.integers(0, 40)),
        )
        for person in range(size)
    ]


def _members(report_group: dc.reports.VoiceGroup, items: list[MeetingRating]) -> frozenset[str]:
    """The raters a shown group describes, worked out again from the raw ratings."""
    period_start = int(report_group.period[:4])
    in_period = [
        r for r in items if date(period_start, 9, 1) <= r.on < date(period_start + 1, 9, 1)
    ]
    if report_group.level == "team":
        return frozenset(r.rater_id for r in in_period if report_group.key in r.team_ids)
    if report_group.level == "reviewer":
        return frozenset(r.rater_id for r in in_period if r.reviewer_id == report_group.key)
    return frozenset(r.rater_id for r in in_period)


def _rank(rows: list[list[Fraction]]) -> int:
    """The rank of a small matrix over the rationals (Gaussian elimination)."""
    matrix = [row[:] for row in rows]
    rank = 0
    columns = len(matrix[0]) if matrix else 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(matrix)) if matrix[r][column] != 0), None)
        if pivot is None:
            continue
        matrix[rank], matrix[pivot] = matrix[pivot], matrix[rank]
        for r in range(len(matrix)):
            if r != rank and matrix[r][column] != 0:
                factor = matrix[r][column] / matrix[rank][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[rank], strict=True)]
        rank += 1
    return rank


@settings(max_examples=60)
@given(items=ratings(), k=st.integers(3, 6))
def test_no_group_of_fewer_than_the_minimum_is_ever_shown(
    items: list[MeetingRating], k: int
) -> None:
    report = voice(items, [], schools=[school()], policy=VoicePolicy(min_group=k))

    for group in report.ratings:
        assert group.people >= k
        assert len(_members(group, items)) == group.people


@settings(max_examples=60)
@given(items=ratings(), k=st.integers(3, 6))
def test_no_one_persons_rating_can_be_derived_by_differencing_the_groups_shown(
    items: list[MeetingRating], k: int
) -> None:
    """Each shown group's figures give the sum of its people's ratings; no combination of
    those sums may isolate one person (the person's unit vector is outside their span), nor
    any set of fewer than k people (every atom of the shown groups has k or more)."""
    report = voice(items, [], schools=[school()], policy=VoicePolicy(min_group=k))
    for period in {g.period for g in report.ratings}:
        groups = [_members(g, items) for g in report.ratings if g.period == period]
        people = sorted(set().union(*groups))
        rows = [[Fraction(int(p in g)) for p in people] for g in groups]
        base = _rank(rows)
        for index in range(len(people)):
            unit = [Fraction(int(i == index)) for i in range(len(people))]
            assert _rank([*rows, unit]) > base, f"{people[index]} can be derived in {period}"
        atoms: dict[tuple[bool, ...], int] = {}
        for person in people:
            signature = tuple(person in g for g in groups)
            atoms[signature] = atoms.get(signature, 0) + 1
        assert min(atoms.values()) >= k


@settings(max_examples=60)
@given(answers=responses(), k=st.integers(3, 6))
def test_a_survey_figure_is_shown_only_where_enough_people_answered_that_question(
    answers: list[SurveyResponse], k: int
) -> None:
    report = voice([], answers, schools=[school()], policy=VoicePolicy(min_group=k))

    for group in report.survey:
        in_group = [
            a
            for a in answers
            if group.level == "school"
            or (group.level == "team" and group.key in a.team_ids)
            or (group.level == "reviewer" and a.reviewer_id == group.key)
        ]
        assert len(in_group) >= k
        for name in group.figures:
            answered = [a for a in in_group if getattr(a, name) is not None]
            assert len(answered) >= k, name


def test_two_overlapping_groups_that_differ_by_one_person_are_not_both_shown() -> None:
    """The school has six raters, KS2 five of them: showing both would give away the sixth."""
    items = [
        MeetingRating(
            id=f"r{i}",
            school_id="oak",
            cycle_id=f"c{i}",
            meeting_id="m1",
            rater_id=f"P{i}",
            reviewer_id=None,
            team_ids=["ks2"] if i < 5 else ["eyfs"],
            on=date(2026, 11, 1),
            usefulness=5 if i < 5 else 1,
            motivation=3,
        )
        for i in range(6)
    ]

    report = voice(items, [], schools=[school()], policy=VoicePolicy(min_group=5))

    assert [g.level for g in report.ratings] == ["school"]
    assert report.withheld == {"2026/27": 2}


def test_safe_groups_on_nested_and_overlapping_sets() -> None:
    everyone = frozenset("abcdefghij")
    first = frozenset("abcdef")
    second = frozenset("abcdefg")

    assert safe_groups([("all", everyone), ("first", first)], 3) == {0, 1}
    # first and second differ by one person: only one of them may be shown with everyone.
    shown = safe_groups([("all", everyone), ("first", first), ("second", second)], 3)
    assert 0 in shown
    assert len(shown) == 2


def test_the_minimum_group_can_never_go_below_three() -> None:
    with pytest.raises(ValueError, match="at least 3"):
        VoicePolicy(min_group=2)


def test_schools_that_reuse_ids_are_kept_apart() -> None:
    """Two schools each have raters P0..P5: each school's figures are its own."""
    items = [
        MeetingRating(
            id=f"r{i}",
            school_id=school_id,
            cycle_id=f"c{i}",
            meeting_id="m1",
            rater_id=f"P{i}",
            reviewer_id="M1",
            on=date(2026, 11, 1),
            usefulness=score,
            motivation=score,
        )
        for school_id, score in (("oak", 5), ("elm", 1))
        for i in range(6)
    ]

    report = voice(items, [], schools=[school("oak"), school("elm")])

    by_school = {(g.school_id, g.level): g.figures["usefulness"] for g in report.ratings}
    assert by_school[("oak", "school")] == 5.0
    assert by_school[("elm", "school")] == 1.0


def test_comments_appear_for_the_whole_school_only_sorted_and_without_names() -> None:
    items = [
        MeetingRating(
            id=f"r{i}",
            school_id="oak",
            cycle_id=f"c{i}",
            meeting_id="m1",
            rater_id=f"P{i}",
            reviewer_id="M1",
            team_ids=["ks2"],
            on=date(2026, 11, 1),
            usefulness=4,
            motivation=4,
            comment=("Left with a clear next step" if i % 2 else "Felt listened to"),
        )
        for i in range(6)
    ]
    staff = [dc.StaffMember(id="M1", name="Tom Brennan", school_id="oak", roles={"middle_leader"})]

    report = voice(items, [], schools=[school()], staff=staff)
    document = report.to_document()

    assert report.comments == (
        ("oak", "2026/27", ("Felt listened to", "Left with a clear next step")),
    )
    text = render(document, "markdown").decode()
    assert "P1" not in text
    assert "Reviewed by Tom Brennan" in text
    for fmt in ("html", "docx", "json"):
        assert render(document, fmt)


def test_a_trend_across_years_is_drawn_for_one_school() -> None:
    items = [
        MeetingRating(
            id=f"r{year}-{i}",
            school_id="oak",
            cycle_id=f"c{i}",
            meeting_id=f"m{year}",
            rater_id=f"P{i}",
            reviewer_id=None,
            on=date(year, 11, 1),
            usefulness=3 if year == 2025 else 4,
            motivation=3,
        )
        for year in (2025, 2026)
        for i in range(5)
    ]

    document = voice(items, [], schools=[school()]).to_document()

    titles = [b.title for b in document.body if isinstance(b, dc.document.Section)]
    assert "Across the years" in titles


def test_ratings_reject_values_off_the_scale() -> None:
    with pytest.raises((ValueError, dc.ValidationError), match="1 to 5"):
        MeetingRating(
            id="r",
            school_id="oak",
            cycle_id="c",
            meeting_id="m",
            rater_id="P",
            reviewer_id=None,
            on=date(2026, 11, 1),
            usefulness=6,
            motivation=3,
        )


def test_every_pair_of_shown_nested_groups_differs_by_zero_or_at_least_k() -> None:
    """The classic differencing check, on the demo of pairs, for a fixed tricky layout."""
    sets = [
        frozenset(range(12)),
        frozenset(range(7)),
        frozenset(range(5, 12)),
        frozenset({0, 1, 2, 3, 4, 5}),
    ]
    shown = safe_groups([(str(i), s) for i, s in enumerate(sets)], 5)
    for a, b in combinations(sorted(shown), 2):
        small, big = sorted((sets[a], sets[b]), key=len)
        if small <= big:
            assert len(big - small) in {0} or len(big - small) >= 5


# ------------------------------------------------ properties added with the stored voice


def _atoms(groups: list[frozenset[str]]) -> dict[frozenset[int], int]:
    atoms: dict[frozenset[int], int] = {}
    for person in set().union(*groups) if groups else set():
        signature = frozenset(i for i, g in enumerate(groups) if person in g)
        atoms[signature] = atoms.get(signature, 0) + 1
    return atoms


def _answered_by(
    group: dc.reports.VoiceGroup, answers: list[SurveyResponse], name: str
) -> frozenset[str]:
    return frozenset(
        a.respondent_id
        for a in answers
        if getattr(a, name) is not None
        and (
            group.level == "school"
            or (group.level == "team" and group.key in a.team_ids)
            or (group.level == "reviewer" and a.reviewer_id == group.key)
        )
    )


@settings(max_examples=60)
@given(answers=responses(), k=st.integers(3, 6), by_team=st.booleans(), by_reviewer=st.booleans())
def test_no_survey_answer_can_be_derived_by_differencing_any_question(
    answers: list[SurveyResponse], k: int, by_team: bool, by_reviewer: bool
) -> None:
    """For each question, the people who answered it in the groups showing its figure split
    into atoms of k or more: no sum or difference of the shown shares isolates anyone, with
    any choice of groupings (teams, reviewers, both or neither)."""
    policy = VoicePolicy(min_group=k, by_team=by_team, by_reviewer=by_reviewer)
    report = voice([], answers, schools=[school()], policy=policy)

    assert by_team or all(g.level != "team" for g in report.survey)
    assert by_reviewer or all(g.level != "reviewer" for g in report.survey)
    for name in ("valued", "helps_me_improve", "objectives_imposed", "pupil_data_targets", "hours"):
        groups = [_answered_by(g, answers, name) for g in report.survey if name in g.figures]
        assert all(len(g) >= k for g in groups), name
        assert min(_atoms(groups).values(), default=k) >= k, name


@st.composite
def two_schools(draw: st.DrawFn) -> list[MeetingRating]:
    """Two schools whose raters, cycles, teams and reviewers reuse the same ids."""
    return [*draw(ratings("oak")), *draw(ratings("elm"))]


@settings(max_examples=40)
@given(items=two_schools(), k=st.integers(3, 6))
def test_schools_that_reuse_ids_are_made_anonymous_each_on_its_own(
    items: list[MeetingRating], k: int
) -> None:
    """Across a trust, each school's groups hold only its own raters and pass on their own."""
    report = voice(
        items, [], schools=[school("oak"), school("elm")], policy=VoicePolicy(min_group=k)
    )

    for school_id in ("oak", "elm"):
        own = [r for r in items if r.school_id == school_id]
        for period in {g.period for g in report.ratings if g.school_id == school_id}:
            shown = [g for g in report.ratings if g.school_id == school_id and g.period == period]
            groups = [_members(g, own) for g in shown]
            assert [len(g) for g in groups] == [g.people for g in shown]
            assert min(_atoms(groups).values()) >= k


_PERSON = re.compile(r"\bP\d+\b")


@settings(max_examples=25, deadline=None)
@given(items=ratings(), answers=responses(), k=st.integers(3, 6))
def test_no_output_format_names_a_rater(
    items: list[MeetingRating], answers: list[SurveyResponse], k: int
) -> None:
    """Every format (the document's renderers and the data exports) holds the shown groups'
    figures and nothing that names a rater or respondent: no id, no row per person."""
    quiet = [attrs.evolve(r, comment="") for r in items]  # comments are the person's own words
    report = voice(quiet, answers, schools=[school()], policy=VoicePolicy(min_group=k))
    document = report.to_document()

    outputs = [render(document, fmt) for fmt in ("markdown", "html", "json")]
    with zipfile.ZipFile(io.BytesIO(render(document, "docx"))) as archive:
        outputs.append(archive.read("word/document.xml"))
    outputs.append(to_csv("voice", report).encode())
    outputs.append(to_json("voice", report).encode())
    outputs.append(to_text(document).encode())
    for table, (_columns, rows) in data_tables("voice", report).items():
        outputs.append(repr(rows).encode())
        if table in {"ratings", "survey"}:
            assert len(rows) == len(getattr(report, table))
    for output in outputs:
        assert not _PERSON.search(output.decode("utf-8", "replace"))
