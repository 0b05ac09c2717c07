"""A small hand-built school whose cycle carries a secret for every audience combination."""

from __future__ import annotations

from datetime import date

from devcycle.domain import (
    RAG,
    AgreedAction,
    Audience,
    Confidential,
    Conversation,
    CPDActivity,
    CPDKind,
    Cycle,
    ObjectiveRef,
    ObservationKind,
    Outcome,
    PayRecommendation,
    Policy,
    Priority,
    ReviewKind,
    Role,
    School,
    StaffMember,
)

A = Audience
SECRETS: dict[str, frozenset[Audience]] = {
    "SECRET-REVIEWER-ONLY-7f3a": frozenset({A.REVIEWER}),
    "SECRET-HEAD-AND-GOVERNORS-91bc": frozenset({A.HEADTEACHER, A.GOVERNORS_PANEL}),
    "SECRET-REVIEWEE-AND-REVIEWER-4d2e": frozenset({A.REVIEWEE, A.REVIEWER}),
    "SECRET-GOVERNORS-ONLY-c0de": frozenset({A.GOVERNORS_PANEL}),
}
"""Private-note texts and who may see each."""

PAY = "PAY-RECOMMENDATION-move-to-M4-e5f1"
PAY_AUDIENCES = frozenset({A.REVIEWER, A.HEADTEACHER, A.GOVERNORS_PANEL})
"""The audiences the pay recommendation's own data names."""
PAY_READERS = frozenset({A.HEADTEACHER, A.GOVERNORS_PANEL})
"""Who sees it: those of its audiences the default access policy lets read pay (the
reviewer writes the recommendation but it goes to the head and the pay committee)."""
WELLBEING = "WELLBEING-caring-for-a-parent-88aa"
"""The conversation is shown to reviewee and reviewer only (the stage files say so)."""

AS_OF = date(2027, 7, 20)
SCHOOL = School(
    id="elm",
    name="Elm Park Primary",
    priorities=(Priority(id="P1", title="Reading for pleasure"),),
    policy=Policy(pay_recommendations=True),
)
STAFF = (
    StaffMember(id="T1", name="Zoë Ñúñez", school_id="elm", roles={Role.TEACHER}, reviewer_id="M1"),
    StaffMember(id="M1", name="مريم العلي", school_id="elm", roles={Role.MIDDLE_LEADER}),
)


def _notes(kind: str) -> tuple[Confidential, ...]:
    return tuple(Confidential(f"{text} ({kind})", audiences=who) for text, who in SECRETS.items())


def build_cycle() -> Cycle:
    """A full year for T1: planning, check-ins, mid-year and final review, all with secrets."""
    cycle = Cycle(
        id="2026-T1",
        school_id="elm",
        staff_id="T1",
        reviewer_id="M1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
        pay_recommendations=True,
    )
    cycle.start_planning(by="M1", on=date(2026, 9, 10))
    first = cycle.propose_objective(
        by="T1",
        on=date(2026, 9, 20),
        statement="Run guided reading three times a week for the six Year 4 pupils reading below "
        "their age, checked by their reading-age tests in March.",
        rationale="Six pupils read more than a year below their age.",
        success_criteria=("5 of 6 gain 6 months' reading age by March",),
        evidence_sources=("Reading-age tests",),
        priority_ids=("P1",),
        standard_ids=("TS5.1",),
    )
    second = cycle.propose_objective(
        by="T1",
        on=date(2026, 9, 20),
        statement="Improve my teaching.",
    )
    cycle.agree_objective(first.id, by="M1", on=date(2026, 10, 8))
    cycle.agree_objective(second.id, by="M1", on=date(2026, 10, 8))
    cycle.record_review(
        by="M1",
        on=date(2026, 10, 8),
        kind=ReviewKind.PLANNING,
        notes="Agreed two objectives.",
        conversation=Conversation(wellbeing=WELLBEING, workload="Fine.", career="Subject lead."),
        agreed_actions=(AgreedAction("Book coaching", "T1", date(2026, 10, 20)),),
        private_notes=_notes("planning"),
    )
    cycle.activate(by="M1", on=date(2026, 10, 8))
    cycle.record_observation(
        by="M1",
        on=date(2026, 11, 12),
        kind=ObservationKind.DROP_IN,
        focus="Questioning in guided reading.",
        minutes=20,
        objective_ids=(first.id,),
        standard_ids=("TS5.1",),
        strengths=("Pupils talk about books with confidence.",),
        next_steps=("Use a hinge question before independent reading.",),
        cpd_needs=("Questioning to check understanding",),
    )
    cycle.record_check_in(
        first.id, by="T1", on=date(2026, 11, 20), note="Groups running.", percent=30, rag=RAG.GREEN
    )
    cycle.record_review(
        by="M1",
        on=date(2026, 11, 21),
        kind=ReviewKind.CHECK_IN,
        reviewee_reflection="Going well.",
        private_notes=_notes("check-in"),
    )
    cycle.record_review(
        by="M1",
        on=date(2027, 2, 10),
        kind=ReviewKind.MID_YEAR,
        conversation=Conversation(wellbeing=WELLBEING),
        private_notes=_notes("mid-year"),
    )
    evidence = cycle.add_evidence(
        by="T1",
        on=date(2027, 3, 20),
        description="March reading-age results for the group.",
        objective_ids=(first.id,),
        standard_ids=("TS5.1",),
    )
    cycle.begin_final_review(by="M1", on=date(2027, 7, 1))
    cycle.evaluate_objective(
        first.id,
        by="M1",
        on=date(2027, 7, 8),
        outcome=Outcome.MET,
        impact="Five of six pupils gained six months or more.",
        learning="Short daily sessions beat long weekly ones.",
        evidence_ids=(evidence.id,),
    )
    cycle.evaluate_objective(
        second.id,
        by="M1",
        on=date(2027, 7, 8),
        outcome=Outcome.NOT_MET,
        impact="Too vague to judge.",
        learning="Objectives need a named group and a measure.",
        carried_forward=True,
    )
    cycle.record_review(
        by="M1",
        on=date(2027, 7, 8),
        kind=ReviewKind.FINAL,
        development_needs=("Planning interventions within the timetable",),
        strengths=("Reading culture in the class",),
        conversation=Conversation(wellbeing=WELLBEING),
        private_notes=_notes("final"),
        pay_recommendation=PayRecommendation(PAY, audiences=PAY_AUDIENCES),
    )
    return cycle


CPD = (
    CPDActivity(
        id="cpd-1",
        school_id="elm",
        title="Reading fluency INSET",
        kind=CPDKind.INSET,
        start=date(2026, 9, 2),
        hours=3,
        attendee_ids=("T1",),
        objective_refs=(ObjectiveRef("2026-T1", "obj-1"),),
    ),
)
