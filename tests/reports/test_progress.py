"""The progress and RAG report, pinned on Little Brook."""

from __future__ import annotations

from datetime import date

import pytest
from tests.reports import school

from devcycle.domain import RAG
from devcycle.reports import RagPolicy, ReportInputError, Scope, progress


@pytest.fixture
def report():
    return progress(school.build(), as_of=school.AS_OF)


def _colour(report, staff_id: str, objective_id: str) -> RAG:
    return next(
        o.colour
        for o in report.objectives
        if (o.staff_id, o.objective_id) == (staff_id, objective_id)
    )


def test_each_objective_has_the_worked_out_colour(report) -> None:
    """On track, stale, lapsed, behind, unagreed and recorded-green objectives get their colours."""
    expected = {
        ("A", "obj-1"): RAG.GREEN,  # 50% recorded, 36.8% of the time gone, checked in 3 weeks ago
        ("A", "obj-2"): RAG.RED,  # no check-in since agreement 17.6 weeks ago
        ("B", "obj-1"): RAG.RED,  # deadline 31 January passed
        ("B", "obj-2"): RAG.AMBER,  # 10% recorded at 36.8%: 26.8 points behind
        ("B", "obj-3"): RAG.AMBER,  # proposed, not yet agreed
        ("C", "obj-1"): RAG.GREEN,  # 40% at 36.8%, recorded green
    }

    actual = {(o.staff_id, o.objective_id): o.colour for o in report.objectives}

    assert expected == actual


def test_reasons_say_why(report) -> None:
    """Each colour carries the reason a leader can act on."""
    a2 = next(o for o in report.objectives if (o.staff_id, o.objective_id) == ("A", "obj-2"))
    b1 = next(o for o in report.objectives if (o.staff_id, o.objective_id) == ("B", "obj-1"))

    assert "no check-in for 17.6 calendar weeks" in a2.reason
    assert "lapsed: deadline 2027-01-31 passed 1 days ago" in b1.reason
    assert b1.lapsed
    assert a2.stale
    assert a2.expected_percent == 37


def test_people_and_groups_follow_the_share_of_red_and_amber(report) -> None:
    """A is red (1 of 2), B red (1 of 3 red), C green; t1 red, t2 amber, the school red."""
    people = {p.staff_id: p.colour for p in report.people}
    groups = {
        g.group.id: (g.colour, g.counts.red, g.counts.amber, g.counts.green) for g in report.groups
    }

    assert people == {"A": RAG.RED, "B": RAG.RED, "C": RAG.GREEN, "H": None}
    assert groups["t1"] == (RAG.RED, 2, 2, 1)
    assert groups["t2"] == (RAG.AMBER, 1, 2, 1)
    assert groups["lb"] == (RAG.RED, 2, 2, 2)


def test_lapsed_and_stale_lists(report) -> None:
    """Lapsed lists B's first objective; stale lists A's forgotten one."""
    assert [(o.staff_id, o.objective_id) for o in report.lapsed] == [("B", "obj-1")]
    assert [(o.staff_id, o.objective_id) for o in report.stale] == [("A", "obj-2")]
    assert report.weeks == "calendar weeks"


def test_school_weeks_come_from_a_calendar() -> None:
    """With a calendar, staleness is counted in its school weeks and the report says so."""

    class HalfWeeks:
        def school_weeks_between(self, start: date, end: date) -> float:
            return (end - start).days / 14

    report = progress(school.build(), as_of=school.AS_OF, calendar=HalfWeeks())
    a2 = next(o for o in report.objectives if (o.staff_id, o.objective_id) == ("A", "obj-2"))

    assert report.weeks == "school weeks"
    assert a2.colour == RAG.AMBER  # 8.8 school weeks: amber, not red


def test_a_stricter_policy_turns_more_objectives_red() -> None:
    """The thresholds are the policy's: a 2-week red threshold makes A's first objective red."""
    policy = RagPolicy(stale_amber_weeks=1, stale_red_weeks=2)

    report = progress(school.build(), as_of=school.AS_OF, policy=policy)

    assert _colour(report, "A", "obj-1") == RAG.RED


def test_a_bad_policy_is_refused() -> None:
    """Red thresholds below amber ones are refused with the names of both settings."""
    with pytest.raises(ValueError, match="stale_red_weeks"):
        RagPolicy(stale_amber_weeks=8, stale_red_weeks=4)


def test_a_team_report_covers_only_its_members() -> None:
    """Scope(team_id='t2') covers B and C."""
    report = progress(school.build(), as_of=school.AS_OF, scope=Scope(team_id="t2"))

    assert [p.staff_id for p in report.people] == ["B", "C"]
    assert report.scope.level == "team"


def test_a_person_report_covers_one_person() -> None:
    """Scope(person_id='C') covers Cat alone."""
    report = progress(school.build(), as_of=school.AS_OF, scope=Scope(person_id="C"))

    assert [p.staff_id for p in report.people] == ["C"]
    assert report.people[0].colour == RAG.GREEN


def test_an_as_of_date_outside_every_cycle_is_refused_clearly() -> None:
    """A date after every cycle names the periods that exist and the dates to choose from."""
    with pytest.raises(ReportInputError, match=r"2028-01-01 is outside every cycle.*2026-09-01"):
        progress(school.build(), as_of=date(2028, 1, 1))


def test_the_document_has_a_chart_with_a_text_alternative(report) -> None:
    """The document carries a RAG chart whose text alternative states the counts."""
    from devcycle.document import Chart

    document = report.to_document()
    charts = [b for b in document.walk() if isinstance(b, Chart)]

    assert document.kind == "report:progress"
    assert charts
    assert "2 green, 2 amber, 2 red of 6" in charts[0].alt
