"""S190, M290, A390, R490, T590, P690: the judge's verdicts, reported as findings.

Each rule reports the judge's (`devcycle.rules.judge`) negative verdict on one label, naming the
signals that decided it. The engine lets these verdicts decide the criterion: a text rule that
fires on a criterion the judge holds is kept as an ``info`` finding (outweighed), and a judged
finding is left out where a text rule already explains the same negative verdict. Ignore a
judged rule (``--ignore S190``) and its criterion is decided by the rules alone again.
"""

from __future__ import annotations

from collections.abc import Iterator

from devcycle.rules._features import dated_by_structure, measured_by_structure
from devcycle.rules.judge import describe
from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject

_WHY = (
    "Real objectives are written in more ways than any rule anticipates; the judge weighs every "
    "signal in the statement together, as a careful reader would, with weights fitted on "
    "labelled objectives."
)


def _against(subject: Subject, label: str) -> Iterator[Hit]:
    judgement = subject.judgement
    if judgement is None or judgement.holds(label):
        return
    span, reason = judgement.explain(label)
    yield Hit(span=span, detail=reason)


@rule(
    "S190",
    "judged-not-specific",
    criterion="specific",
    severity="warning",
    negates="specific",
    message="Judged not specific ({detail})",
    why=_WHY + " Specific means a concrete focus (which pupils, class, subject or practice) and "
    "what the person will do.",
    fix="Say what you will do and for whom: the practice, the pupils or group, the subject.",
    bad=["Get better at behaviour management."],
    good=["Teach a weekly vocabulary lesson to my Year 9 EAL group, using knowledge organisers."],
)
def judged_not_specific(subject: Subject) -> Iterator[Hit]:
    """Report the judge's negative verdict on specificity."""
    yield from _against(subject, "specific")


@rule(
    "M290",
    "judged-not-measurable",
    criterion="measurable",
    severity="warning",
    negates="measurable",
    message="Judged not measurable ({detail})",
    why=_WHY + " Measurable means the statement says how success will be judged.",
    fix="Add a number or threshold, a finished deliverable, success criteria or an evidence "
    "source ('seen in two drop-ins', 'the March reading test').",
    bad=["Make my lessons more engaging."],
    good=["Write three worked-example booklets for Year 7 fractions, used in the spring term."],
)
def judged_not_measurable(subject: Subject) -> Iterator[Hit]:
    """Report the judge's negative verdict, unless success criteria or evidence are given."""
    if not measured_by_structure(subject):
        yield from _against(subject, "measurable")


@rule(
    "A390",
    "judged-not-achievable",
    criterion="achievable",
    severity="warning",
    negates="achievable",
    message="Judged not achievable ({detail})",
    why=_WHY + " Achievable means within the person's control and realistic for one cycle: "
    "not other people's results, not absolute, not years long.",
    fix="Aim at what you can do and its effect on the pupils you teach, with a realistic "
    "proportion rather than all or 100%.",
    bad=["Ensure that every pupil in the school reaches 100% attendance."],
    good=[
        "Teach my Year 4 class a weekly phonics catch-up session until Easter, logging attendance."
    ],
)
def judged_not_achievable(subject: Subject) -> Iterator[Hit]:
    """Report the judge's negative verdict on achievability."""
    yield from _against(subject, "achievable")


@rule(
    "R490",
    "judged-not-relevant",
    criterion="relevant",
    severity="warning",
    negates="relevant",
    message="Judged not relevant ({detail})",
    why=_WHY + " Relevant means tied to pupils' learning, the person's role or a school "
    "priority; dispositions, wellbeing and career moves alone are not.",
    fix="Tie it to your pupils' learning, your role or a priority of the school plan.",
    bad=["Tidy the staffroom cupboard."],
    good=["Plan and teach a six-lesson unit on persuasive writing for my Year 6 class."],
)
def judged_not_relevant(subject: Subject) -> Iterator[Hit]:
    """Report the judge's negative verdict on relevance."""
    yield from _against(subject, "relevant")


@rule(
    "T590",
    "judged-not-time-bound",
    criterion="time_bound",
    severity="warning",
    negates="time_bound",
    message="Judged not time-bound ({detail})",
    why=_WHY + " Time-bound means a deadline or a time frame with an end point.",
    fix="Add when: 'by 31/3/27', 'by Easter', 'by the end of the spring term', or set the "
    "objective's deadline.",
    bad=["Run a weekly homework club for Year 8."],
    good=["Run a homework club for Year 8 until Easter, with a register kept each week."],
)
def judged_not_time_bound(subject: Subject) -> Iterator[Hit]:
    """Report the judge's negative verdict, unless a deadline or a dated criterion says when."""
    if not dated_by_structure(subject):
        yield from _against(subject, "time_bound")


@rule(
    "P690",
    "judged-data-target",
    criterion="practice",
    severity="warning",
    data_target=True,
    message="Judged a bare data target ({detail})",
    why="A pupil-data percentage or grade target that says nothing about which pupils' needs or "
    "what approach turns appraisal into a numbers game staff distrust (DfE 2024; NEU).",
    fix="Name the pupils, their need and the approach you will take; keep the data as one "
    "piece of evidence, not the objective.",
    bad=["80% of pupils to achieve grade 5 or above in maths."],
    good=["Use daily retrieval quizzes with my Year 10 set, checked in two drop-ins by Easter."],
)
def judged_data_target(subject: Subject) -> Iterator[Hit]:
    """Report the judge's verdict that the statement is essentially a bare data target."""
    judgement = subject.judgement
    if judgement is None or not judgement.holds("data_target"):
        return
    reasons = judgement.supporting("data_target")
    settled = judgement.convention("data_target")
    named = (settled, *reasons) if settled is not None else reasons
    span = next((judgement.present[s] for s in named if judgement.present[s] is not None), None)
    detail = "weighed for: " + "; ".join(describe(s) for s in reasons)
    if settled is not None:
        convention = "by the rubric's convention: " + describe(settled)
        detail = f"{convention} - {detail}" if reasons else convention
    yield Hit(span=span, detail=detail)
