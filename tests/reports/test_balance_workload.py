"""The balance and workload reports, pinned on Little Brook."""

from __future__ import annotations

import attrs
import pytest
from tests.reports import school

from devcycle.domain import Policy, Purpose
from devcycle.reports import BalanceCounts, BalancePolicy, Scope, WorkloadPolicy, balance, workload


def test_balance_per_person_is_worked_out() -> None:
    """A: a 60-minute meeting and a check-in, a 60-minute observation, 6 + 3 hours of CPD."""
    report = balance(school.build(), as_of=school.AS_OF)
    people = {p.staff_id: p.counts for p in report.people}

    assert pytest.approx(7 / 6, abs=1e-3) == people["A"].management_hours
    assert (
        people["A"].measurement_hours,
        people["A"].movement_hours,
        people["A"].management_count,
        people["A"].measurement_count,
        people["A"].movement_count,
    ) == (1.0, 9.0, 2, 1, 2)
    # B: a 30-minute meeting and two check-ins; 9 hours of CPD. C: one check-in; 4 + 3 hours.
    assert pytest.approx(0.5 + 2 / 6, abs=1e-3) == people["B"].management_hours
    assert people["B"].movement_hours == 9.0
    assert people["C"].movement_hours == 7.0
    assert BalanceCounts() == people["H"]


def test_cpd_after_the_as_of_date_is_not_counted_yet() -> None:
    """A's data-drop meeting on 10 February is measurement, but not yet on 1 February."""
    report = balance(school.build(), as_of=school.AS_OF)

    assert next(p for p in report.people if p.staff_id == "A").counts.measurement_count == 1


def test_movement_starved_is_found_against_the_policy() -> None:
    """With a healthy movement share of 85%, A (81%) is starved; B (92%) and C (98%) are not."""
    report = balance(
        school.build(), as_of=school.AS_OF, policy=BalancePolicy(movement_min_share=0.85)
    )
    starved = [f.subject for f in report.findings if f.code == "movement-starved"]

    assert "Ann Able" in starved
    assert "Ben Bell" not in starved
    assert "Cat Cole" not in starved
    assert (
        0.8
        < next(p for p in report.people if p.staff_id == "A").counts.share(Purpose.MOVEMENT)
        < 0.85
    )


def test_balance_groups_add_up() -> None:
    """The school's balance is the sum of its people's."""
    report = balance(school.build(), as_of=school.AS_OF)
    school_row = next(g.counts for g in report.groups if g.group.kind == "school")

    assert pytest.approx(report.total.total_hours) == school_row.total_hours
    assert report.total.total_count == school_row.total_count


def test_workload_counts_meetings_observations_paperwork_and_planned_milestones() -> None:
    """A: 1.5 h meetings, 1 h observed, 1 h paperwork, 10 min check-in, 3.75 h planned."""
    report = workload(school.build(), as_of=school.AS_OF)
    people = {p.staff_id: p for p in report.people}
    a = people["A"].counts

    assert (a.meeting_hours, a.observation_hours, a.paperwork_hours, a.planned_hours) == (
        1.5,
        1.0,
        1.0,
        3.75,
    )
    assert pytest.approx(7.4167, abs=1e-3) == a.total_hours
    assert a.budget_hours == 25.3
    assert people["B"].counts.budget_hours == 12.65  # 0.5 FTE
    assert pytest.approx(2.3333, abs=1e-3) == people["B"].counts.total_hours
    assert pytest.approx(5.25) == people["H"].counts.total_hours  # reviewer and observer of A
    assert people["H"].reviews == 1
    assert not report.findings


def test_workload_over_a_smaller_share_is_found() -> None:
    """At 0.4% of directed time (5.06 h full time), A, H and team t1 are over; B is not."""
    report = workload(school.build(), as_of=school.AS_OF, policy=WorkloadPolicy(share=0.004))
    over = {f.subject for f in report.findings if f.code == "over-budget"}

    assert {"Ann Able", "Hal Head", "Upper school"} == over  # the school: 15.2 of 17.7 h


def test_the_observation_cap_from_the_school_policy() -> None:
    """A school capping observation at half an hour finds A's hour of observation."""
    data = school.build()
    capped = attrs.evolve(data.schools[0], policy=Policy(observation_hours_cap=0.5))
    report = workload(attrs.evolve(data, schools=(capped,)), as_of=school.AS_OF)

    assert [f.subject for f in report.findings if f.code == "observation-cap"] == ["Ann Able"]


def test_a_reviewer_alone_still_carries_their_reviewees_meetings() -> None:
    """A person report for H counts the meetings of the cycle H reviews."""
    report = workload(school.build(), as_of=school.AS_OF, scope=Scope(person_id="H"))

    assert pytest.approx(5.25) == report.people[0].counts.total_hours


def test_documents_build() -> None:
    """Both reports build documents with charts."""
    data = school.build()

    assert balance(data, as_of=school.AS_OF).to_document().kind == "report:balance"
    assert workload(data, as_of=school.AS_OF).to_document().kind == "report:workload"
