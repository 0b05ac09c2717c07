"""Properties that hold on generated schools and trusts."""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import given
from hypothesis import strategies as st
from tests.reports.strategies import as_of_dates, trusts

from devcycle.domain.calendar import england_pattern
from devcycle.reports import (
    BalanceCounts,
    CoverageCounts,
    ImpactCounts,
    RagCounts,
    ReportData,
    Scope,
    WorkloadCounts,
    balance,
    coverage,
    health,
    impact,
    needs,
    overdue,
    progress,
    workload,
)
from devcycle.reports._progress import SEVERITY

CALENDAR = england_pattern(2026)


def _sum(values, zero):
    total = zero
    for value in values:
        total = total + value
    return total


def _flat(value) -> list[float]:
    out: list[float] = []
    for item in attrs.astuple(value):
        out.extend(item if isinstance(item, tuple) else (item,))
    return out


def _close(left, right) -> bool:
    return all(abs(a - b) < 1e-6 for a, b in zip(_flat(left), _flat(right), strict=True))


@given(trusts(), as_of_dates)
def test_counts_add_up_across_person_team_school_and_trust(data: ReportData, as_of: date) -> None:
    """Every group's counts are the sum of its members', in every report with counts."""
    reports = [
        (
            coverage(data, as_of=as_of),
            CoverageCounts(),
            lambda r: {(p.school_id, p.staff_id): p.counts for p in r.people},
        ),
        (
            progress(data, as_of=as_of),
            RagCounts(),
            lambda r: {(p.school_id, p.staff_id): p.counts for p in r.people},
        ),
        (
            balance(data, as_of=as_of),
            BalanceCounts(),
            lambda r: {(p.school_id, p.staff_id): p.counts for p in r.people},
        ),
        (
            workload(data, as_of=as_of),
            WorkloadCounts(),
            lambda r: {(p.school_id, p.staff_id): p.counts for p in r.people},
        ),
        (impact(data, as_of=as_of), ImpactCounts(), lambda r: dict(r.people)),
    ]
    for report, zero, people_of in reports:
        people = people_of(report)
        for group in report.groups:
            expected = _sum((people[m] for m in group.group.members), zero)
            assert _close(expected, group.counts), (type(report).__name__, group.group.id)
        schools = [g for g in report.groups if g.group.kind == "school"]
        assert _close(_sum(people.values(), zero), _sum((g.counts for g in schools), zero))
    late = overdue(data, as_of=as_of)
    by_person = {(p.school_id, p.staff_id): len(p.overdue) for p in late.people}
    for group in late.groups:
        assert sum(by_person[m] for m in group.group.members) == group.overdue


@given(trusts(), as_of_dates)
def test_every_objective_has_exactly_one_colour(data: ReportData, as_of: date) -> None:
    """Each live objective of a current cycle appears once in the progress report."""
    report = progress(data, as_of=as_of)
    coloured = [(o.cycle_id, o.objective_id) for o in report.objectives]
    live = [(c.id, o.id) for c in data.cycles for o in c.live_objectives]

    assert sorted(live) == sorted(coloured)
    assert len(set(coloured)) == len(coloured)
    assert report.total.total == len(coloured)


@given(trusts(), as_of_dates, as_of_dates)
def test_moving_the_as_of_date_forward_only_moves_towards_staleness(
    data: ReportData, first: date, second: date
) -> None:
    """Objective, person and group colours never move back from red to amber to green."""
    early, late = sorted((first, second))
    before = progress(data, as_of=early)
    after = progress(data, as_of=late)
    then = {(o.cycle_id, o.objective_id): o.colour for o in before.objectives}

    for objective in after.objectives:
        key = (objective.cycle_id, objective.objective_id)
        assert SEVERITY[objective.colour] >= SEVERITY[then[key]], objective.reasons
    for old, new in zip(before.groups, after.groups, strict=True):
        if old.colour is not None and new.colour is not None:
            assert SEVERITY[new.colour] >= SEVERITY[old.colour]
    for old_p, new_p in zip(before.people, after.people, strict=True):
        if old_p.colour is not None and new_p.colour is not None:
            assert SEVERITY[new_p.colour] >= SEVERITY[old_p.colour]


@given(trusts(), as_of_dates, as_of_dates)
def test_with_a_school_calendar_colours_still_only_move_towards_staleness(
    data: ReportData, first: date, second: date
) -> None:
    """Counting school weeks on the England pattern keeps the as-of property."""
    early, late = sorted((first, second))
    before = progress(data, as_of=early, calendar=CALENDAR)
    after = progress(data, as_of=late, calendar=CALENDAR)
    then = {(o.cycle_id, o.objective_id): o.colour for o in before.objectives}

    assert after.weeks == "school weeks"
    for objective in after.objectives:
        key = (objective.cycle_id, objective.objective_id)
        assert SEVERITY[objective.colour] >= SEVERITY[then[key]], objective.reasons


@given(trusts(), as_of_dates, st.data())
def test_a_team_report_matches_its_row_in_the_school_report(
    data: ReportData, as_of: date, draw: st.DataObject
) -> None:
    """A team's own report adds up to the same counts as its row in the school report."""
    school = draw.draw(st.sampled_from(data.schools))
    teams = [
        t.id
        for t in school.teams
        if any(t.id in s.team_ids for s in data.staff if s.school_id == school.id)
    ]
    if not teams:
        return
    team = draw.draw(st.sampled_from(teams))
    whole = coverage(data, as_of=as_of, scope=Scope(school_id=school.id))
    alone = coverage(data, as_of=as_of, scope=Scope(school_id=school.id, team_id=team))

    row = next(g.counts for g in whole.groups if g.group.id == team)
    assert row == alone.total


@given(trusts(), as_of_dates)
def test_every_report_builds_a_document(data: ReportData, as_of: date) -> None:
    """Every report's document builds on any generated school, and the health score is 0-100."""
    for build in (coverage, progress, balance, needs, impact, workload, overdue):
        document = build(data, as_of=as_of).to_document()
        assert document.kind.startswith("report:")
    report = health(data, as_of=as_of, checker=lambda o, c: ())
    assert 0 <= report.score <= 100
    report.to_document()
