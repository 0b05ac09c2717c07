"""How staff see the process: meeting ratings and the process survey, shown anonymously.

Nothing is shown for fewer people than the policy's minimum group size (5 by default, never
below 3), and nothing is shown that would let a reader work out a smaller group's answers by
subtracting one group's figures from another's (a team's from the school's, say).

The rule that makes the second promise: the groups shown split the people into *atoms*,
the sets of people who belong to exactly the same shown groups. Any sum or difference of
the groups' totals is the same for everyone in an atom, so it can reveal no less than a
whole atom's total. Every atom of the groups shown must therefore hold at least the minimum
number of people; while one does not, the smallest group that separates it is withheld.
Comments are shown for the whole school only (a comment repeated in two overlapping groups
would narrow down who wrote it), in alphabetical order, never with a name.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from devcycle._gc import paused_during
from devcycle.document import Block, Chart, Document, Note, Paragraph, Section, Series, Table
from devcycle.domain.people import StaffMember
from devcycle.domain.school import School
from devcycle.domain.voice import MeetingRating, SurveyResponse
from devcycle.reports._documents import BLUE, SKY

__all__ = ["MIN_GROUP_FLOOR", "VoiceGroup", "VoicePolicy", "VoiceReport", "safe_groups", "voice"]

MIN_GROUP_FLOOR = 3
"""No policy may show a group of fewer people than this."""


def _min_group(_inst: object, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_GROUP_FLOOR:
        msg = f"'min_group' must be a whole number of at least {MIN_GROUP_FLOOR} (got {value!r})"
        raise ValueError(msg)


@attrs.frozen
class VoicePolicy:
    """How staff voice is shown.

    Attributes:
        min_group: The fewest people a figure may describe (default 5, never below 3).
        by_reviewer: Whether to show figures per reviewer (for moderation).
        by_team: Whether to show figures per team.
    """

    min_group: int = attrs.field(default=5, validator=_min_group)
    by_reviewer: bool = True
    by_team: bool = True


@attrs.frozen
class VoiceGroup:
    """The figures for one group of people in one period.

    Attributes:
        level: ``school``, ``team`` or ``reviewer``.
        school_id: The school.
        key: The team or reviewer id (the school id for the school).
        label: The group's name for people.
        period: The academic year ("2026/27") of the ratings, or the survey's id.
        people: How many different people the figures describe.
        figures: Name -> value: mean ratings (1-5), shares (0-100) and median hours.
    """

    level: str
    school_id: str
    key: str
    label: str
    period: str
    people: int
    figures: Mapping[str, float]


@attrs.frozen
class _Candidate:
    level: str
    school_id: str
    key: str
    label: str
    people: frozenset[str]


def safe_groups(
    candidates: Sequence[_Candidate] | Sequence[tuple[str, frozenset[str]]], min_group: int
) -> set[int]:
    """Return the indexes of the *candidates* that may be shown together.

    A candidate is a group of people (the second item of a pair, or ``.people``). The result
    shows no group of fewer than *min_group* people, and every atom of the groups shown (the
    people who belong to exactly the same shown groups) holds at least *min_group* people,
    so that no sum or difference of the groups' figures describes fewer people than that.
    """
    sets = [c.people if isinstance(c, _Candidate) else c[1] for c in candidates]
    shown = {i for i, people in enumerate(sets) if len(people) >= min_group}
    while True:
        atoms: dict[frozenset[int], set[str]] = {}
        for person in set().union(*(sets[i] for i in shown)) if shown else set():
            signature = frozenset(i for i in shown if person in sets[i])
            atoms.setdefault(signature, set()).add(person)
        small = [sig for sig, members in atoms.items() if len(members) < min_group]
        if not small:
            return shown
        shown.discard(_to_withhold(small, atoms, sets))


def _to_withhold(
    small: Sequence[frozenset[int]],
    atoms: Mapping[frozenset[int], set[str]],
    sets: Sequence[frozenset[str]],
) -> int:
    """The group to withhold so that the smallest small atom merges with a neighbour.

    The groups that tell the atom apart from another atom are those in one signature and not
    the other; the smallest of them goes, and the first candidate (the whole school) only if
    nothing else tells the atom apart.
    """
    signature = min(small, key=lambda s: (len(atoms[s]), sorted(s)))
    separating: set[int] = set()
    for other in atoms:
        if other != signature:
            separating |= signature ^ other
    preferred = separating - {0} or separating or set(signature)
    return min(preferred, key=lambda i: (len(sets[i]), -i))


def _academic_year(day: date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{str(start + 1)[-2:]}"


def _mean(values: Iterable[float]) -> float:
    items = list(values)
    return round(statistics.fmean(items), 1) if items else 0.0


def _share(values: Iterable[bool]) -> float:
    items = list(values)
    return round(100 * sum(items) / len(items)) if items else 0.0


@attrs.frozen
class VoiceReport:
    """How staff see the process, in figures that keep everyone anonymous.

    Attributes:
        schools: The schools covered.
        policy: The policy applied.
        ratings: Meeting-rating figures per group and academic year.
        survey: Survey figures per group and survey.
        comments: Comments for each school and period: (school_id, period, comments).
        withheld: How many groups were not shown, by period (too few people, or would allow
            differencing).
    """

    schools: tuple[School, ...]
    policy: VoicePolicy
    ratings: tuple[VoiceGroup, ...]
    survey: tuple[VoiceGroup, ...]
    comments: tuple[tuple[str, str, tuple[str, ...]], ...]
    withheld: Mapping[str, int]

    @paused_during
    def to_document(self) -> Document:
        """The report as a renderer-neutral document."""
        body: list[Block] = [
            Paragraph(
                f"Figures are shown only for groups of at least {self.policy.min_group} people, "
                "and only where no group's figures can be worked out from others'. Comments "
                "are shown for the whole school, without names."
            )
        ]
        body.append(_ratings_section(self.ratings))
        body.append(_survey_section(self.survey))
        trend = _trend(self.ratings)
        if trend is not None:
            body.append(trend)
        if self.comments:
            blocks: list[Block] = []
            for school_id, period, comments in self.comments:
                name = next((s.name for s in self.schools if s.id == school_id), school_id)
                blocks.append(Paragraph(f"{name}, {period}:"))
                blocks.extend(Paragraph(f"“{c}”") for c in comments)
            body.append(Section("What staff said", blocks))
        if any(self.withheld.values()):
            parts = ", ".join(f"{n} in {p}" for p, n in sorted(self.withheld.items()) if n)
            body.append(
                Note(f"Groups not shown, to keep people anonymous: {parts}.")  # counts only
            )
        return Document(
            title="How staff see the process",
            subtitle=", ".join(s.name for s in self.schools),
            body=tuple(body),
            kind="report:voice",
        )


def _shown(group: VoiceGroup, name: str, unit: str = "") -> str:
    """A figure for a table, or a dash where too few people answered it to show."""
    value = group.figures.get(name)
    if value is None:
        return "\N{EN DASH}"
    text = f"{value:.0f}" if unit == "%" else f"{value:.1f}"
    return text + unit


def _ratings_section(groups: Sequence[VoiceGroup]) -> Section:
    if not groups:
        return Section(
            "Meetings", (Paragraph("No group has enough ratings to show yet."),), id="meetings"
        )
    rows = [
        (g.period, g.label, str(g.people), _shown(g, "usefulness"), _shown(g, "motivation"))
        for g in groups
    ]
    return Section(
        "Meetings",
        (
            Table(
                ("Year", "Group", "People", "Useful (of 5)", "Motivating (of 5)"),
                rows,
                caption="How useful and how motivating staff found their review meetings",
            ),
        ),
        id="meetings",
    )


def _survey_section(groups: Sequence[VoiceGroup]) -> Section:
    if not groups:
        return Section(
            "The process", (Paragraph("No group has enough answers to show yet."),), id="process"
        )
    rows = [
        (
            g.period,
            g.label,
            str(g.people),
            _shown(g, "valued", "%"),
            _shown(g, "helps_me_improve", "%"),
            _shown(g, "objectives_imposed", "%"),
            _shown(g, "pupil_data_targets", "%"),
            _shown(g, "hours"),
        )
        for g in groups
    ]
    columns = (
        "Survey",
        "Group",
        "People",
        "Value it",
        "Helps them improve",
        "Objectives imposed",
        "Pupil-data targets",
        "Median hours",
    )
    return Section(
        "The process",
        (Table(columns, rows, caption="Shares agreeing (4 or 5 of 5) or answering yes"),),
        id="process",
    )


def _trend(groups: Sequence[VoiceGroup]) -> Section | None:
    schools = [g for g in groups if g.level == "school" and "usefulness" in g.figures]
    periods = sorted({g.period for g in schools})
    if len(periods) < 2 or len({g.school_id for g in schools}) != 1:
        return None
    by_period = {g.period: g for g in schools}
    return Section(
        "Across the years",
        (
            Chart(
                title="Meeting ratings, whole school",
                categories=periods,
                series=(
                    Series("Useful", [by_period[p].figures["usefulness"] for p in periods], BLUE),
                    Series(
                        "Motivating", [by_period[p].figures["motivation"] for p in periods], SKY
                    ),
                ),
                alt="Mean usefulness and motivation ratings (of 5) for each academic year: "
                + "; ".join(
                    f"{p}: useful {by_period[p].figures['usefulness']:.1f}, "
                    f"motivating {by_period[p].figures['motivation']:.1f}"
                    for p in periods
                ),
                unit="of 5",
            ),
        ),
    )


def _rater(item: object) -> str:
    return str(getattr(item, "rater_id", ""))


def _respondent(item: object) -> str:
    return str(getattr(item, "respondent_id", ""))


def _candidates(
    school: School,
    *,
    people_of: Callable[[str | None, str | None], frozenset[str]],
    teams: Iterable[str],
    reviewers: Iterable[str],
    staff: Mapping[tuple[str, str], StaffMember],
    policy: VoicePolicy,
) -> list[_Candidate]:
    found = [_Candidate("school", school.id, school.id, school.name, people_of(None, None))]
    if policy.by_team:
        names = {t.id: t.name for t in school.teams}
        found.extend(
            _Candidate("team", school.id, t, names.get(t, t), people_of(t, None))
            for t in sorted(teams)
        )
    if policy.by_reviewer:
        for reviewer in sorted(reviewers):
            member = staff.get((school.id, reviewer))
            label = f"Reviewed by {member.name if member else reviewer}"
            found.append(
                _Candidate("reviewer", school.id, reviewer, label, people_of(None, reviewer))
            )
    return found


def voice(
    ratings: Iterable[MeetingRating],
    responses: Iterable[SurveyResponse],
    *,
    schools: Iterable[School],
    staff: Iterable[StaffMember] = (),
    policy: VoicePolicy | None = None,
) -> VoiceReport:
    """Aggregate meeting ratings and survey responses anonymously, per school, team, reviewer.

    Args:
        ratings: Meeting ratings, of any of *schools*.
        responses: Survey responses, of any of *schools*.
        schools: The schools to report on (others' records are ignored).
        staff: Staff, for reviewers' names.
        policy: The minimum group size and which groupings to show.

    Returns:
        The figures that may be shown, and how many groups were withheld.
    """
    rules = policy or VoicePolicy()
    chosen = tuple(schools)
    ids = {s.id for s in chosen}
    people = {(m.school_id, m.id): m for m in staff}
    comments: list[tuple[str, str, tuple[str, ...]]] = []
    withheld: dict[str, int] = {}

    def collect(
        records: Iterable[Any],
        period_of: Callable[[Any], str],
        person: Callable[[object], str],
        figures: Sequence[_Figure],
    ) -> list[VoiceGroup]:
        """Aggregate one kind of record by school and period, in the schools' order."""
        buckets: dict[tuple[str, str], list[Any]] = {}
        for record in records:
            if record.school_id in ids:
                buckets.setdefault((record.school_id, period_of(record)), []).append(record)
        found: list[VoiceGroup] = []
        for school in chosen:
            for (school_id, period), items in sorted(buckets.items()):
                if school_id != school.id:
                    continue
                shown, hidden, said = _aggregate(
                    school,
                    period,
                    items=items,
                    person=person,
                    figures=figures,
                    staff=people,
                    policy=rules,
                )
                found.extend(shown)
                withheld[period] = withheld.get(period, 0) + hidden
                if said:
                    comments.append((school.id, period, said))
        return found

    groups_r = collect(ratings, lambda r: _academic_year(r.on), _rater, RATING_FIGURES)
    groups_s = collect(responses, lambda r: r.survey_id, _respondent, SURVEY_FIGURES)
    return VoiceReport(chosen, rules, tuple(groups_r), tuple(groups_s), tuple(comments), withheld)


@attrs.frozen
class _Figure:
    """One figure: who answered it, and how to compute it from their answers."""

    name: str
    answered: Callable[[object], bool]
    compute: Callable[[Sequence[object]], float]


def _aggregate(
    school: School,
    period: str,
    *,
    items: Sequence[MeetingRating] | Sequence[SurveyResponse],
    person: Callable[[object], str],
    figures: Sequence[_Figure],
    staff: Mapping[tuple[str, str], StaffMember],
    policy: VoicePolicy,
) -> tuple[list[VoiceGroup], int, tuple[str, ...]]:
    """The groups that may be shown, how many were withheld, and the school's comments.

    A group is shown when its people pass `safe_groups`; each of its figures is shown only
    when the people who answered that question pass it too (a question five people were
    asked but one answered must not show that one's answer).
    """

    def grouped(answered: Callable[[object], bool]) -> Callable[..., frozenset[str]]:
        def people_of(team: str | None, reviewer: str | None) -> frozenset[str]:
            return frozenset(
                person(i)
                for i in items
                if answered(i)
                and (team is None or team in i.team_ids)
                and (reviewer is None or i.reviewer_id == reviewer)
            )

        return people_of

    teams = {t for i in items for t in i.team_ids}
    reviewers = {i.reviewer_id for i in items if i.reviewer_id is not None}
    candidates = _candidates(
        school,
        people_of=grouped(lambda _i: True),
        teams=teams,
        reviewers=reviewers,
        staff=staff,
        policy=policy,
    )
    allowed = safe_groups(candidates, policy.min_group)
    per_figure = {}
    for figure in figures:
        answering = _candidates(
            school,
            people_of=grouped(figure.answered),
            teams=teams,
            reviewers=reviewers,
            staff=staff,
            policy=policy,
        )
        per_figure[figure.name] = (answering, safe_groups(answering, policy.min_group))
    shown: list[VoiceGroup] = []
    for index in sorted(allowed):
        candidate = candidates[index]
        values: dict[str, float] = {}
        for figure in figures:
            answering, safe = per_figure[figure.name]
            if index in safe:
                members = [i for i in items if person(i) in answering[index].people]
                values[figure.name] = figure.compute([i for i in members if figure.answered(i)])
        shown.append(
            VoiceGroup(
                level=candidate.level,
                school_id=school.id,
                key=candidate.key,
                label=candidate.label,
                period=period,
                people=len(candidate.people),
                figures=values,
            )
        )
    said: tuple[str, ...] = ()
    if 0 in allowed:  # the whole school is shown: its comments may be, without names
        said = tuple(sorted({i.comment.strip() for i in items if i.comment.strip()}))
    return shown, len(candidates) - len(allowed), said


def _ratings(items: Sequence[object]) -> list[MeetingRating]:
    return [i for i in items if isinstance(i, MeetingRating)]


def _answers(items: Sequence[object]) -> list[SurveyResponse]:
    return [i for i in items if isinstance(i, SurveyResponse)]


def _answer(item: object, name: str) -> object:
    return getattr(item, name, None)


RATING_FIGURES = (
    _Figure("usefulness", lambda _i: True, lambda i: _mean(r.usefulness for r in _ratings(i))),
    _Figure("motivation", lambda _i: True, lambda i: _mean(r.motivation for r in _ratings(i))),
)


def _agree_share(name: str) -> _Figure:
    return _Figure(
        name,
        lambda i: _answer(i, name) is not None,
        lambda i: _share(int(getattr(a, name)) >= 4 for a in _answers(i)),
    )


def _yes_share(name: str) -> _Figure:
    return _Figure(
        name,
        lambda i: _answer(i, name) is not None,
        lambda i: _share(bool(getattr(a, name)) for a in _answers(i)),
    )


SURVEY_FIGURES = (
    _agree_share("valued"),
    _agree_share("helps_me_improve"),
    _yes_share("objectives_imposed"),
    _yes_share("pupil_data_targets"),
    _Figure(
        "hours",
        lambda i: _answer(i, "hours") is not None,
        lambda i: round(statistics.median(float(a.hours or 0) for a in _answers(i)), 1),
    ),
)
