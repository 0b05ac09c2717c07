"""The cycle and objective lifecycles, as people will read about them."""

from __future__ import annotations

from datetime import date

import pytest

from devcycle import (
    RAG,
    Audience,
    Confidential,
    Cycle,
    CycleStatus,
    DomainError,
    ObjectiveStatus,
    Outcome,
    PayRecommendation,
    ReviewKind,
    ValidationError,
)

REVIEWEE, REVIEWER = "T042", "H001"
DAY = date(2026, 9, 20)


def new_cycle(**kwargs: object) -> Cycle:
    return Cycle(
        id="2026-T042",
        school_id="stm",
        staff_id=REVIEWEE,
        reviewer_id=REVIEWER,
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
        **kwargs,  # type: ignore[arg-type]
    )


def planning_cycle() -> Cycle:
    cycle = new_cycle()
    cycle.start_planning(by=REVIEWER, on=DAY)
    return cycle


def active_cycle() -> tuple[Cycle, str]:
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="Run guided reading.")
    cycle.agree_objective(objective.id, by=REVIEWER, on=DAY)
    cycle.activate(by=REVIEWER, on=DAY)
    return cycle, objective.id


def test_a_cycle_moves_from_draft_to_closed_through_its_table() -> None:
    """Draft, planning, active, final review, closed: each step recorded in the history."""
    cycle, objective_id = active_cycle()
    cycle.begin_final_review(by=REVIEWER, on=date(2027, 7, 1))
    cycle.evaluate_objective(objective_id, by=REVIEWER, on=date(2027, 7, 2), outcome=Outcome.MET)
    cycle.close(by=REVIEWER, on=date(2027, 7, 3))

    assert cycle.status is CycleStatus.CLOSED
    assert [h.to_state for h in cycle.history if h.target == "cycle"] == [
        "planning",
        "active",
        "final_review",
        "closed",
    ]


def test_the_reviewee_proposes_and_the_reviewer_agrees() -> None:
    """An agreed objective carries who agreed it and when."""
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="Improve questioning.")

    agreed = cycle.agree_objective(objective.id, by=REVIEWER, on=date(2026, 10, 8))

    assert agreed.status is ObjectiveStatus.AGREED
    assert agreed.agreement is not None
    assert (agreed.agreement.by, agreed.agreement.on) == (REVIEWER, date(2026, 10, 8))


def test_the_reviewee_cannot_agree_their_own_objective() -> None:
    """Only the reviewer agrees; the error says who may."""
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="Improve questioning.")

    with pytest.raises(DomainError, match=r"only the reviewer \(H001\) may do that"):
        cycle.agree_objective(objective.id, by=REVIEWEE, on=DAY)


def test_a_returned_objective_keeps_its_reasons_and_can_be_proposed_again() -> None:
    """Returned with reasons, revised, proposed, then agreed."""
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="Do better at maths.")
    cycle.return_objective(objective.id, by=REVIEWER, on=DAY, reasons=["Which pupils?"])

    resubmitted = cycle.submit_objective(
        objective.id, by=REVIEWEE, on=DAY, statement="Year 4 number fluency for six pupils."
    )

    assert resubmitted.status is ObjectiveStatus.PROPOSED
    assert resubmitted.returns[0].reasons == ("Which pupils?",)
    assert resubmitted.statement == "Year 4 number fluency for six pupils."


def test_returning_needs_a_reason() -> None:
    """An objective cannot be returned without saying why."""
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="x")

    with pytest.raises(ValidationError, match="at least one reason"):
        cycle.return_objective(objective.id, by=REVIEWER, on=DAY, reasons=[])


def test_the_reviewer_can_set_an_objective_over_a_recorded_disagreement() -> None:
    """Setting without agreement records the reviewee's disagreement."""
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="x")

    set_objective = cycle.set_objective(
        objective.id, by=REVIEWER, on=DAY, disagreement="I think this is outside my control."
    )

    assert set_objective.agreement is not None
    assert set_objective.agreement.set_by_reviewer
    assert set_objective.agreement.disagreement == "I think this is outside my control."


def test_setting_an_objective_without_recording_the_disagreement_is_refused() -> None:
    """The disagreement must be written down."""
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="x")

    with pytest.raises(ValidationError, match="disagreement"):
        cycle.set_objective(objective.id, by=REVIEWER, on=DAY, disagreement="  ")


def test_an_illegal_transition_says_what_was_tried_from_where_and_what_is_allowed() -> None:
    """Agreeing a returned objective names its state and the actions open from it."""
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="x")
    cycle.return_objective(objective.id, by=REVIEWER, on=DAY, reasons=["vague"])

    with pytest.raises(DomainError) as caught:
        cycle.agree_objective(objective.id, by=REVIEWER, on=DAY)

    message = str(caught.value)
    assert "cannot agree_objective" in message
    assert "the objective is returned" in message
    assert "allowed actions are: propose, set" in message


def test_a_cycle_cannot_start_without_an_agreed_objective() -> None:
    """Activation needs at least one agreed objective and none still waiting."""
    cycle = planning_cycle()
    cycle.propose_objective(by=REVIEWEE, on=DAY, statement="x")

    with pytest.raises(DomainError, match="no objective has been agreed yet"):
        cycle.activate(by=REVIEWER, on=DAY)


def test_a_closed_cycle_is_locked() -> None:
    """Every change to a closed cycle raises and changes nothing."""
    cycle, objective_id = active_cycle()
    cycle.begin_final_review(by=REVIEWER, on=DAY)
    cycle.evaluate_objective(
        objective_id,
        by=REVIEWER,
        on=DAY,
        outcome=Outcome.NOT_MET,
        learning="Lunchtime clubs do not work for this group.",
    )
    cycle.close(by=REVIEWER, on=DAY)
    history = cycle.history

    with pytest.raises(DomainError, match="closed and locked"):
        cycle.add_evidence(by=REVIEWEE, on=DAY, description="late evidence")

    assert cycle.history == history


def test_a_cycle_cannot_close_with_an_objective_unevaluated() -> None:
    """Every agreed objective is evaluated before the cycle closes."""
    cycle, _objective_id = active_cycle()
    cycle.begin_final_review(by=REVIEWER, on=DAY)

    with pytest.raises(DomainError, match="have not been evaluated"):
        cycle.close(by=REVIEWER, on=DAY)


def test_an_objective_not_met_still_records_what_was_learned() -> None:
    """Not met is not failure: learning and impact are kept."""
    cycle, objective_id = active_cycle()

    evaluated = cycle.evaluate_objective(
        objective_id,
        by=REVIEWER,
        on=DAY,
        outcome=Outcome.NOT_MET,
        impact="Five of ten pupils improved.",
        learning="Timetabled sessions work better.",
        carried_forward=True,
    )

    assert evaluated.evaluation is not None
    assert evaluated.evaluation.learning == "Timetabled sessions work better."
    assert evaluated.evaluation.carried_forward


def test_check_ins_are_dated_and_kept_in_order() -> None:
    """Either side records progress; the latest is easy to find."""
    cycle, objective_id = active_cycle()
    cycle.record_check_in(
        objective_id, by=REVIEWEE, on=date(2026, 11, 1), note="Started", rag=RAG.GREEN
    )
    cycle.record_check_in(
        objective_id, by=REVIEWER, on=date(2027, 1, 10), note="Slower", percent=40, rag=RAG.AMBER
    )

    latest = cycle.objective(objective_id).latest_check_in

    assert latest is not None
    assert (latest.on, latest.rag, latest.percent) == (date(2027, 1, 10), RAG.AMBER, 40)


def test_a_pay_recommendation_is_refused_where_the_policy_keeps_none() -> None:
    """Pay stays out of appraisal unless the school's policy keeps it."""
    cycle, _ = active_cycle()

    with pytest.raises(DomainError, match="planned without pay linked to appraisal"):
        cycle.record_review(
            by=REVIEWER,
            on=DAY,
            kind=ReviewKind.FINAL,
            pay_recommendation=PayRecommendation("Progress to M3"),
        )


def test_a_pay_recommendation_is_kept_where_the_policy_allows_it() -> None:
    """A school that keeps pay recommendations can record one, marked confidential."""
    cycle = new_cycle(pay_recommendations=True)
    cycle.start_planning(by=REVIEWER, on=DAY)

    meeting = cycle.record_review(
        by=REVIEWER,
        on=DAY,
        kind=ReviewKind.PLANNING,
        pay_recommendation=PayRecommendation("Progress to M3"),
    )

    assert meeting.pay_recommendation is not None
    assert Audience.GOVERNORS_PANEL in meeting.pay_recommendation.audiences


def test_private_notes_carry_who_may_see_them() -> None:
    """Confidential notes say which audiences may read them."""
    note = Confidential("Family circumstances", audiences={"reviewer", "headteacher"})

    assert note.visible_to(Audience.REVIEWER)
    assert not note.visible_to(Audience.REVIEWEE)


def test_evidence_must_point_at_objectives_that_exist() -> None:
    """Tagging evidence to a missing objective is refused."""
    cycle, _ = active_cycle()

    with pytest.raises(DomainError, match="no objective"):
        cycle.add_evidence(by=REVIEWEE, on=DAY, description="Planning", objective_ids=["obj-99"])


def test_the_reviewee_cannot_observe_themselves() -> None:
    """Observations are recorded by someone else."""
    cycle, _ = active_cycle()

    with pytest.raises(DomainError, match="cannot record an observation of themselves"):
        cycle.record_observation(by=REVIEWEE, on=DAY, kind="lesson", focus="Questioning")


def test_a_cycle_without_a_reviewer_says_to_assign_one() -> None:
    """Reviewer actions wait for a reviewer."""
    cycle = Cycle(
        id="c",
        school_id="s",
        staff_id=REVIEWEE,
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    cycle.start_planning(by=REVIEWEE, on=DAY)
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="x")

    with pytest.raises(DomainError, match="assign_reviewer first"):
        cycle.agree_objective(objective.id, by="H001", on=DAY)

    cycle.assign_reviewer("H001", by="HEAD", on=DAY)
    assert cycle.agree_objective(objective.id, by="H001", on=DAY).status is ObjectiveStatus.AGREED


def test_available_actions_tell_an_interface_which_buttons_to_show() -> None:
    """Each party sees only the actions open to them now."""
    cycle = planning_cycle()
    objective = cycle.propose_objective(by=REVIEWEE, on=DAY, statement="x")

    assert cycle.available_actions(REVIEWER, objective.id) == (
        "return_objective",
        "agree_objective",
        "set_objective",
    )
    assert cycle.available_actions(REVIEWEE, objective.id) == ()
    assert "activate" not in cycle.available_actions(REVIEWER)  # nothing agreed yet
    cycle.agree_objective(objective.id, by=REVIEWER, on=DAY)
    assert "activate" in cycle.available_actions(REVIEWER)


def test_a_joint_objective_is_shared_by_several_owners() -> None:
    """Joint objectives name every owner; the reviewee is always one of them."""
    cycle = planning_cycle()

    objective = cycle.propose_objective(
        by=REVIEWEE,
        on=DAY,
        statement="KS2 reading fluency",
        kind="joint",
        owner_ids=["T043", "T044"],
        shared_ref="ks2-fluency",
    )

    assert objective.owner_ids == (REVIEWEE, "T043", "T044")


def test_an_agreed_objective_revised_mid_year_goes_back_for_agreement() -> None:
    """Revising an agreed objective removes the agreement until it is agreed again."""
    cycle, objective_id = active_cycle()

    revised = cycle.revise_objective(
        objective_id, by=REVIEWEE, on=DAY, reason="Class changed in January", statement="New focus"
    )

    assert revised.status is ObjectiveStatus.PROPOSED
    assert revised.agreement is None
    assert cycle.history[-1].detail == "Class changed in January"


def test_a_bad_field_in_an_api_call_names_the_field_and_changes_nothing() -> None:
    """An empty statement is refused with the field named; the cycle is untouched."""
    cycle = planning_cycle()
    history = cycle.history

    with pytest.raises(ValidationError, match="'statement' must be non-empty text"):
        cycle.propose_objective(by=REVIEWEE, on=DAY, statement="   ")

    assert cycle.objectives == ()
    assert cycle.history == history


def test_milestones_are_completed_by_the_review_that_fulfils_them() -> None:
    """Recording a review against a milestone marks it done; overdue ones are listed."""
    from devcycle import Milestone, MilestoneKind

    cycle = planning_cycle()
    cycle.set_milestones(
        [
            Milestone("mid", "Mid-year review", MilestoneKind.MID_YEAR, date(2027, 2, 10)),
            Milestone("plan", "Planning", MilestoneKind.PLANNING, date(2026, 10, 31)),
        ],
        by=REVIEWER,
        on=DAY,
    )
    assert [m.id for m in cycle.overdue_milestones(date(2026, 11, 5))] == ["plan"]

    cycle.record_review(
        by=REVIEWER, on=date(2026, 10, 20), kind=ReviewKind.PLANNING, milestone_id="plan"
    )

    assert cycle.overdue_milestones(date(2026, 11, 5)) == ()
    next_one = cycle.next_milestone()
    assert next_one is not None
    assert next_one.id == "mid"
