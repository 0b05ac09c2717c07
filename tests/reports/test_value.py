"""CPD value for money: cost per person, team, priority and school against impact (issue 11, 13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
from hypothesis import given
from tests.reports import school
from tests.reports.strategies import shared_id_trusts, trusts

from devcycle.domain import (
    AttendanceStatus,
    CPDActivity,
    CPDKind,
    CPDOffering,
    ImpactLevel,
    ImpactRecord,
)
from devcycle.render import render
from devcycle.reports import ReportData, Scope, Spend, value

AS_OF = school.AS_OF


def _data() -> ReportData:
    """Little Brook with its CPD costed: one catalogue course run once, and one INSET."""
    base = school.build()
    course = CPDOffering(
        id="phonics",
        school_id="lb",
        title="Phonics",
        kind=CPDKind.COURSE,
        cost=Decimal("100.00"),
        cost_per_place=Decimal("50.00"),
        priority_ids=("P1",),
    )
    run = course.schedule(
        "phonics-1", start=date(2026, 11, 2), attendee_ids=("A", "B", "C")
    ).with_statuses({"A": AttendanceStatus.ATTENDED, "B": "attended", "C": "absent"})
    run = attrs.evolve(
        run,
        impact=(ImpactRecord(ImpactLevel.USE_OF_KNOWLEDGE, date(2027, 1, 10), "H", "in use"),),
    )
    inset = CPDActivity(
        id="inset",
        school_id="lb",
        title="Whole-school INSET",
        kind=CPDKind.INSET,
        start=date(2026, 9, 2),
        cost=Decimal("90.00"),
        priority_ids=("P1", "P2"),
    )
    later = attrs.evolve(inset, id="later", start=date(2027, 3, 1))
    return attrs.evolve(base, cpd=(run, inset, later))


def _row(rows: tuple, kind: str, id: str):  # type: ignore[no-untyped-def,type-arg]
    return next(r for r in rows if r.kind == kind and r.id == id)


def test_costs_are_shared_per_person_and_summed_per_team_priority_and_school() -> None:
    report = value(_data(), as_of=AS_OF)

    # Phonics: 100 fixed over three places (33.34, 33.33, 33.33) plus 50 a place.
    a = _row(report.people, "person", "A").spend
    b = _row(report.people, "person", "B").spend
    c = _row(report.people, "person", "C").spend
    assert (a.cost, b.cost, c.cost) == (Decimal("83.34"), Decimal("83.33"), Decimal("83.33"))
    assert a.reached(ImpactLevel.USE_OF_KNOWLEDGE) == Decimal("83.34")
    assert (c.absent, c.absent_cost, c.reached(ImpactLevel.REACTIONS)) == (1, Decimal("83.33"), 0)
    # Team t1 is A and B; t2 is B and C: B counts in both.
    assert _row(report.groups, "team", "t1").spend.cost == Decimal("166.67")
    assert _row(report.groups, "team", "t2").spend.cost == Decimal("166.66")
    # The school: the course (250) and the INSET with no places (90); not the later one.
    whole = _row(report.groups, "school", "lb").spend
    assert whole.cost == Decimal("340.00")
    assert whole.absent_cost == Decimal("83.33")
    assert whole.by_highest[0] == Decimal("90.00")
    assert whole.reached(ImpactLevel.USE_OF_KNOWLEDGE) == Decimal("166.67")
    assert whole.cost_per_attendance == Decimal("170.00")
    # P1 is served by both, P2 by the INSET alone, P3 by nothing.
    assert _row(report.priorities, "priority", "P1").spend.cost == Decimal("340.00")
    assert _row(report.priorities, "priority", "P1").spend.activities == 2
    assert _row(report.priorities, "priority", "P2").spend.cost == Decimal("90.00")
    assert _row(report.priorities, "priority", "P3").spend == Spend()


def test_a_team_report_counts_only_its_members_places() -> None:
    report = value(_data(), as_of=AS_OF, scope=Scope(school_id="lb", team_id="t1"))

    assert [r.id for r in report.people] == ["A", "B"]
    assert _row(report.groups, "team", "t1").spend.cost == Decimal("166.67")
    assert _row(report.priorities, "priority", "P1").spend.cost == Decimal("166.67")


def test_the_document_names_the_money_and_what_it_bought() -> None:
    text = render(value(_data(), as_of=AS_OF).to_document(), "markdown").decode()

    assert "# CPD value for money" in text
    assert "CPD in scope cost 340.00 over 3 places (2 recorded as attended)" in text
    assert "166.67 (49%) went on CPD whose evaluation reached use of new knowledge" in text
    assert "Ben Bell" in text


@given(data=trusts())
def test_every_row_adds_up(data: ReportData) -> None:
    """Costs reconcile: each row is absent plus every level; schools are their members plus
    their CPD with no places; the trust is its schools; every penny of CPD is counted once."""
    as_of = date(2027, 2, 1)
    report = value(data, as_of=as_of)
    for row in report.rows:
        assert row.spend.cost == row.spend.absent_cost + sum(row.spend.by_highest, Decimal(0))
    schools = [g for g in report.groups if g.kind == "school"]
    expected = {
        s.id: sum(
            (
                a.total_cost.quantize(Decimal("0.01"))
                for a in data.cpd
                if a.school_id == s.id and a.start <= as_of and a.total_cost is not None
            ),
            Decimal(0),
        )
        for s in data.schools
    }
    for group in schools:
        assert group.spend.cost == expected[group.id]
    trust = [g for g in report.groups if g.kind == "trust"]
    if trust:
        assert trust[0].spend == sum((g.spend for g in schools), Spend())


@given(data=shared_id_trusts())
def test_a_trust_reports_each_school_as_it_reports_itself(data: ReportData) -> None:
    """Schools reusing every id: each school's rows in the trust report are its own."""
    as_of = date(2027, 2, 1)
    trust = value(data, as_of=as_of)
    for one in data.schools:
        alone = value(data, as_of=as_of, scope=Scope(school_id=one.id))
        assert [r for r in trust.people if r.school_id == one.id] == list(alone.people)
        assert [r for r in trust.priorities if r.school_id == one.id] == list(alone.priorities)
        assert [g for g in trust.groups if g.school_id == one.id] == list(alone.groups)
