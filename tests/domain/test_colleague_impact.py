"""Impact on colleagues (issue 15, point 4): practice shared, recorded against an objective."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.access import REPORT_READER, redact
from devcycle.access.policy import RolePolicy
from devcycle.errors import AccessDenied, DomainError, ValidationError
from devcycle.serialization import from_dict, to_dict
from devcycle.services import Services
from devcycle.testing import strategies as dst

DAY = date(2026, 10, 8)
SHARED = date(2027, 1, 20)


def _active() -> tuple[dc.Cycle, str]:
    cycle = dc.Cycle(
        id="c1",
        school_id="oak",
        staff_id="T1",
        reviewer_id="H1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    cycle.start_planning(by="H1", on=DAY)
    objective = cycle.propose_objective(
        by="T1", on=DAY, statement="Use hinge questions", rationale="Misconceptions go unseen"
    )
    cycle.agree_objective(objective.id, by="H1", on=DAY)
    cycle.activate(by="H1", on=DAY)
    return cycle, objective.id


def test_either_side_records_it_and_the_history_says_where() -> None:
    cycle, objective_id = _active()
    evidence = cycle.add_evidence(by="T1", on=DAY, description="Slides")

    record = cycle.record_colleague_impact(
        objective_id,
        by="T1",
        on=SHARED,
        shared_with="other_school",
        what="Hinge questions at the trust network",
        with_whom="Hillside Primary",
        colleagues=9,
        evidence_ids=[evidence.id],
    )
    cycle.record_colleague_impact(
        objective_id, by="H1", on=SHARED, shared_with=dc.SharedWith.BRIEFING, what="Briefing"
    )

    assert record.shared_with is dc.SharedWith.OTHER_SCHOOL
    assert cycle.objective(objective_id).colleague_impact[0] == record
    assert len(cycle.objective(objective_id).colleague_impact) == 2
    entry = cycle.history[-2]
    assert (entry.action, entry.target, entry.by) == (
        "record_colleague_impact",
        f"objective:{objective_id}",
        "T1",
    )
    assert entry.detail.startswith("other_school: Hinge questions")


def test_it_is_kept_after_the_objective_is_evaluated_and_may_still_be_added() -> None:
    cycle, objective_id = _active()
    cycle.record_colleague_impact(objective_id, by="T1", on=SHARED, shared_with="team", what="x")
    cycle.begin_final_review(by="H1", on=date(2027, 7, 1))
    cycle.evaluate_objective(objective_id, by="H1", on=date(2027, 7, 2), outcome=dc.Outcome.MET)
    cycle.record_colleague_impact(
        objective_id, by="T1", on=date(2027, 7, 3), shared_with="whole_school", what="INSET"
    )

    assert [r.shared_with.value for r in cycle.objective(objective_id).colleague_impact] == [
        "team",
        "whole_school",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"by": "X9"}, "only the reviewee"),
        ({"on": date(2026, 9, 2)}, "'on' must be from"),
        ({"evidence_ids": ["ev-404"]}, "no evidence 'ev-404'"),
    ],
)
def test_refused_calls_change_nothing(change: dict[str, object], message: str) -> None:
    cycle, objective_id = _active()
    before = to_dict(cycle)
    arguments: dict[str, object] = {"by": "T1", "on": SHARED, "shared_with": "team", "what": "x"}
    arguments.update(change)

    with pytest.raises((DomainError, ValidationError), match=message):
        cycle.record_colleague_impact(objective_id, **arguments)  # type: ignore[arg-type]

    assert to_dict(cycle) == before


def test_only_agreed_or_evaluated_objectives_in_an_open_year_take_it() -> None:
    planning = dc.Cycle(
        id="c1",
        school_id="oak",
        staff_id="T1",
        reviewer_id="H1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    planning.start_planning(by="H1", on=DAY)
    early = planning.propose_objective(by="T1", on=DAY, statement="Aim")
    planning.agree_objective(early.id, by="H1", on=DAY)
    with pytest.raises(DomainError, match="planning"):
        planning.record_colleague_impact(early.id, by="T1", on=DAY, shared_with="team", what="x")
    cycle, objective_id = _active()
    cycle.revise_objective(objective_id, by="T1", on=SHARED, reason="New class")

    with pytest.raises(DomainError, match="proposed; impact on colleagues"):
        cycle.record_colleague_impact(
            objective_id, by="T1", on=SHARED, shared_with="team", what="x"
        )
    assert "record_colleague_impact" not in cycle.available_actions("T1", objective_id)
    cycle.agree_objective(objective_id, by="H1", on=SHARED)
    assert "record_colleague_impact" in cycle.available_actions("T1", objective_id)
    assert "record_colleague_impact" in cycle.available_actions("H1", objective_id)
    assert "record_colleague_impact" not in cycle.available_actions("X9", objective_id)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("shared_with", "pub", "'shared_with' must be one of"),
        ("what", "  ", "'what'"),
        ("colleagues", 0, "'colleagues' must be a whole number from 1"),
        ("colleagues", True, "'colleagues' must be a whole number from 1"),
    ],
)
def test_bad_values_get_a_validation_error_naming_the_field(
    field: str, value: object, expected: str
) -> None:
    cycle, objective_id = _active()
    arguments: dict[str, object] = {"by": "T1", "on": SHARED, "shared_with": "team", "what": "x"}
    arguments[field] = value

    with pytest.raises(ValidationError, match=expected) as caught:
        cycle.record_colleague_impact(objective_id, **arguments)  # type: ignore[arg-type]

    assert caught.value.problems[0].path == f"$.{field}"
    assert not cycle.objective(objective_id).colleague_impact


@given(dst.objectives())
def test_any_objective_with_impact_on_colleagues_round_trips(objective: dc.Objective) -> None:
    assert from_dict(to_dict(objective), dc.Objective) == objective


@given(st.sampled_from(dc.SharedWith))
def test_a_stored_record_reads_back_with_its_place(place: dc.SharedWith) -> None:
    cycle, objective_id = _active()
    cycle.record_colleague_impact(objective_id, by="T1", on=SHARED, shared_with=place, what="x")

    data = to_dict(cycle)
    assert data["objectives"][0]["colleague_impact"][0]["shared_with"] == place.value
    assert from_dict(data, dc.Cycle) == cycle


def test_it_is_read_with_the_objectives_and_not_without() -> None:
    cycle, objective_id = _active()
    cycle.record_colleague_impact(objective_id, by="T1", on=SHARED, shared_with="team", what="x")

    assert redact(cycle, REPORT_READER).objective(objective_id).colleague_impact
    assert not redact(cycle, RolePolicy(name="office", read=frozenset({"milestones"}))).objectives


def _services() -> tuple[Services, str]:
    store = dc.open_store("memory://")
    services = Services(store)
    system = dc.Actor.system()
    school = dc.School(id="oak", name="Oak Primary")
    staff = [
        dc.StaffMember(id="T1", name="Tia", school_id="oak", roles={dc.Role.TEACHER}),
        dc.StaffMember(id="H1", name="Hal", school_id="oak", roles={dc.Role.HEADTEACHER}),
        dc.StaffMember(id="L1", name="Lee", school_id="oak", roles={dc.Role.TEACHER}),
    ]
    services.save_school(system, school, staff)
    cycle, objective_id = _active()
    services.save_cycle(system, cycle)
    return services, objective_id


def test_through_the_services_the_reviewee_records_it_and_the_line_manager_may_not() -> None:
    services, objective_id = _services()
    teacher = dc.Actor("T1", "reviewee", school_id="oak")

    saved = services.record_colleague_impact(
        teacher, "oak", "c1", objective_id, on=SHARED, shared_with="team", what="Routine shared"
    )

    assert saved.objective(objective_id).colleague_impact[0].by == "T1"
    with pytest.raises(AccessDenied):
        services.record_colleague_impact(
            dc.Actor("L1", "line_manager", school_id="oak"),
            "oak",
            "c1",
            objective_id,
            on=SHARED,
            shared_with="team",
            what="Not mine to record",
        )
    stored = services.store.cycles.get("oak", "c1")
    assert len(stored.objective(objective_id).colleague_impact) == 1
    entries = services.store.audit.query("oak", record="c1", action="update")
    assert entries[-1].actor == "T1"
