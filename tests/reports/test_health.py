"""The process health check, pinned on Little Brook."""

from __future__ import annotations

import pytest
from tests.reports import school

from devcycle.document import Checklist
from devcycle.reports import HealthPolicy, Status, default_health_points, health


def _short_statements(objective, cycle):
    """A stand-in checker: flags statements of fewer than four words."""
    del cycle
    return ("too short",) if len(objective.statement.split()) < 4 else ()


@pytest.fixture
def report():
    return health(school.build(), as_of=school.AS_OF, checker=_short_statements)


def test_each_point_has_the_worked_out_status(report) -> None:
    """Seven points pass, five are partly met, seven fail, five are not due or not shown.

    Worked out from the fixture: only A obj-1 and B obj-2 name a standard; only A obj-1 has
    evidence; no objective gives a reason; of three CPD activities past their evaluation date
    only the course records impact on practice; the one INSET links to nothing; only Cat has
    coaching; no review beyond planning is held yet; no staff voice is given; every cycle
    has a reviewer on the staff.
    """
    expected = {
        "objectives-within-limit": (Status.PASS, 3, 3),
        "objectives-checked": (Status.PARTIAL, 5, 6),
        "no-data-targets": (Status.PASS, 6, 6),
        "objectives-agreed": (Status.PASS, 5, 5),
        "rationale-recorded": (Status.FAIL, 0, 6),
        "linked-to-cpd": (Status.PARTIAL, 4, 6),
        "linked-to-priority": (Status.PARTIAL, 5, 6),
        "linked-to-standards": (Status.FAIL, 2, 6),
        "check-ins-regular": (Status.PARTIAL, 4, 5),
        "evidence-gathered": (Status.FAIL, 1, 5),
        "support-staff-included": (Status.PASS, 1, 1),
        "reviews-on-time": (Status.PARTIAL, 2, 3),
        "every-cycle-reviewed": (Status.PASS, 3, 3),
        "mid-year-review-held": (Status.NOT_APPLICABLE, 0, 0),
        "meetings-record-both-sides": (Status.NOT_APPLICABLE, 0, 0),
        "impact-recorded": (Status.NOT_APPLICABLE, 0, 0),
        "cpd-impact-evaluated": (Status.FAIL, 1, 3),
        "inset-linked": (Status.FAIL, 0, 1),
        "coaching-or-mentoring": (Status.FAIL, 1, 3),
        "leaders-trained": (Status.FAIL, 0, 3),
        "movement-balance": (Status.PASS, 3, 3),
        "time-budget": (Status.PASS, 4, 4),
        "meetings-useful": (Status.NOT_APPLICABLE, 0, 0),
        "process-valued": (Status.NOT_APPLICABLE, 0, 0),
    }

    actual = {i.id: (i.status, i.met, i.total) for i in report.items}

    assert expected == actual


def test_the_score_counts_partial_points_half(report) -> None:
    """(7 passes + 5 halves) of 19 applicable points is 50."""
    assert report.score == 50


def test_evidence_and_next_steps(report) -> None:
    """Each point carries its evidence; next steps list failures first."""
    assert "Ann Able obj-2" in report.item("check-ins-regular").evidence
    assert "Ann Able, Ben Bell, Hal Head" in report.item("leaders-trained").evidence
    assert report.next_steps[0] == report.item("rationale-recorded").action
    assert len(report.next_steps) == 12


def test_the_default_checker_is_the_objective_checker() -> None:
    """Without a checker, the objective checker's errors are used; 'Improve something.' fails."""
    report = health(school.build(), as_of=school.AS_OF)

    assert "Ann Able obj-2" in report.item("objectives-checked").evidence


def test_a_stricter_policy_lowers_the_score(report) -> None:
    """Passing only at 100% turns the partial points into failures."""
    strict = health(
        school.build(),
        as_of=school.AS_OF,
        checker=_short_statements,
        policy=HealthPolicy(pass_share=1.0, partial_share=1.0),
    )

    assert strict.score < report.score


def test_the_document_is_a_checklist(report) -> None:
    """The document holds a checklist with the score as its title."""
    document = report.to_document()
    checklist = next(b for b in document.walk() if isinstance(b, Checklist))

    assert checklist.title == "Score 50/100"
    assert len(checklist.items) == len(report.items) == len(default_health_points())
    assert "Process health check: Little Brook Primary" in report.summary()
