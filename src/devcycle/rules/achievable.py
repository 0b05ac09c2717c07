"""A3xx: is the objective achievable? Within the person's control and realistic for one cycle."""

from __future__ import annotations

import re
from collections.abc import Iterator

from devcycle.domain import Role
from devcycle.rules._features import has_named_approach, near, outcome_words, supporting_texts
from devcycle.rules.clauses import clauses
from devcycle.rules.conventions import leader_result_only
from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject


def _texts(subject: Subject) -> Iterator[tuple[str, str]]:
    yield "$.statement", subject.text
    words = subject.words
    if words is not None:
        for index, text in enumerate(words.criteria):
            yield f"$.success_criteria[{index}].text", text


@rule(
    "A301",
    "outside-control",
    criterion="achievable",
    severity="error",
    negates="achievable",
    message="Target outside the person's control: '{detail}'",
    why=(
        "Attendance figures, inspection grades, exam-board decisions, other staff's results "
        "and a job, promotion or selection (decided by others) depend on many people; an "
        "objective should rest on what its owner can do."
    ),
    fix=(
        "Aim at your own contribution: the intervention you will run and its effect on the "
        "pupils you work with, not the school-wide figure."
    ),
    bad=[
        "Year 8 attendance to be above 95%.",
        "Achieve Outstanding at the next Ofsted inspection.",
        "Results across the whole maths department to rise by half a grade.",
        "No downward moderation of our coursework by the exam board.",
        "Gain a promotion to head of year by July.",
    ],
    good=[
        "Hold weekly attendance check-ins with the 12 Year 9 pupils below 90% attendance.",
        "Complete the fire door inspection by Easter.",
        "Apply for two head of year posts by March.",
    ],
)
def outside_control(subject: Subject) -> Iterator[Hit]:
    """Flag inspection grades, exam boards, others' decisions and bare attendance targets.

    A department's or team's results count as others' results unless the owner leads staff
    (a middle or senior leader, or a headteacher, per the context's role).
    """
    approach = any(has_named_approach(t) for t in supporting_texts(subject))
    leads = isinstance(subject.role, Role) and subject.role.leads
    for path, text in _texts(subject):
        a = subject.analyse(text) if path != "$.statement" else subject.analysis
        spans = list(a.spans("outside_control"))
        if not leads:
            spans.extend(a.spans("others_results"))
        if not approach:
            spans.extend(a.spans("attendance_target"))
        if spans:
            span = min(spans)
            yield Hit(span=span, path=path, detail=a.words(span))
            return


@rule(
    "A302",
    "universal-attainment",
    criterion="achievable",
    severity="error",
    negates="achievable",
    message="Every pupil or 100% cannot be promised: '{detail}'",
    why=(
        "A target for all pupils or 100% leaves no room for a pupil's illness, need or "
        "circumstances, so it is unrealistic and it encourages gaming."
    ),
    fix="Name the pupils and a realistic share: 'at least 4 of the 6 pupils in the group'.",
    bad=[
        "100% of my Year 6 class to reach ARE in reading.",
        "Ensure all children in Year 1 pass the phonics screening check.",
        "Get all my classes to love reading.",
    ],
    good=[
        "At least 4 of the 6 pupils reach the expected standard on the June check.",
        "Phone the parents of every pupil in my tutor group by 30 September.",
    ],
)
def universal_attainment(subject: Subject) -> Iterator[Hit]:
    """Flag attainment or progress targets for every pupil, 100% or zero."""
    for path, text in _texts(subject):
        a = subject.analyse(text) if path != "$.statement" else subject.analysis
        targets = (*a.spans("outcome"), *a.spans("affective"))
        for span in a.spans("universal"):
            if any(near(a, span, t) for t in targets):
                yield Hit(span=span, path=path, detail=a.words(span))
                return


@rule(
    "A303",
    "absurd-scale",
    criterion="achievable",
    severity="error",
    negates="achievable",
    message="More than one person can do in a cycle: '{detail}'",
    why=(
        "An objective no one could meet (every lesson every week, on your own, 24/7) sets its "
        "owner up to fail and teaches nothing at review."
    ),
    fix="Cut the scope to a sample, a group or a frequency you can keep up, and say which.",
    bad=[
        "Observe 50 lessons a week.",
        "Repaint every classroom on my own.",
        "Reply to all emails within one hour, 24/7.",
        "Rewrite the entire KS3 curriculum before October half term.",
    ],
    good=[
        "Observe two lessons in other departments each term.",
        "Learning-walk every KS3 maths class once before the end of the spring term.",
    ],
)
def absurd_scale(subject: Subject) -> Iterator[Hit]:
    """Flag scope or frequency beyond what one person can do."""
    for path, text in _texts(subject):
        a = subject.analyse(text) if path != "$.statement" else subject.analysis
        found = a.spans("absurd")
        if found:
            yield Hit(span=found[0], path=path, detail=a.words(found[0]))
            return


_NARROW_ROLES = frozenset(
    {Role.TEACHING_ASSISTANT, Role.SUPPORT_STAFF, Role.TRAINEE_TEACHER, Role.EARLY_CAREER_TEACHER}
)


@rule(
    "A304",
    "role-scope-mismatch",
    criterion="achievable",
    severity="error",
    negates="achievable",
    message="Whole-school results are out of reach for the role '{detail}'",
    why=(
        "Objectives should suit the role and experience (DfE model policy): a teaching "
        "assistant or trainee cannot answer for whole-school results."
    ),
    fix="Scope it to the pupils, classes or system the person works with.",
    bad=["Improve whole-school attendance to 96%."],
    good=[
        "Run the Year 3 reading fluency intervention for 6 pupils.",
        "Offer weekly check-ins to vulnerable pupils across the school until Easter.",
    ],
    needs_context=True,
)
def role_scope_mismatch(subject: Subject) -> Iterator[Hit]:
    """Flag whole-school results in the objective of a teaching assistant, support or new staff.

    Working across the school is fine (a learning mentor does); answering for whole-school
    outcomes is not.
    """
    role = subject.role
    if not isinstance(role, Role) or role not in _NARROW_ROLES:
        return
    a = subject.analysis
    outcomes = (*outcome_words(a), *a.spans("outside_control"), *a.spans("universal"))
    for span in a.spans("whole_school"):
        if any(near(a, span, o) for o in outcomes):
            yield Hit(span=span, detail=role.value.replace("_", " "))
            return


@rule(
    "A305",
    "all-staff-target",
    criterion="achievable",
    severity="error",
    negates="achievable",
    message="Every colleague cannot be promised: '{detail}'",
    why=(
        "A target that all or nearly all other staff do something (all staff, every teacher, "
        "100% of colleagues) is absolute and rests on others: one absence, one refusal or one "
        "new starter and it is missed, whatever its owner does. A shared objective that the "
        "whole staff hold together (role 'other') is theirs, so it is not flagged."
    ),
    fix=(
        "Aim at what you will do for them, with a realistic share: 'run the training twice "
        "and follow up with anyone who missed it', 'at least 20 of the 24 teachers'."
    ),
    bad=[
        "All teaching staff will complete the new assessment training by Easter.",
        "100% of teachers will use retrieval starters in observed lessons by July.",
        "I aim to have every teacher in the department using the new marking policy by Easter.",
    ],
    good=[
        "Run the new assessment training for teaching staff twice before Easter.",
        "Deliver safeguarding refresher training to all staff at the September INSET.",
        "At least 20 of the 24 teachers will use retrieval starters by July.",
    ],
    since="0.2.0",
    decisive=True,
)
def all_staff_target(subject: Subject) -> Iterator[Hit]:
    """Flag a target that all (or 90%+ of) other staff act, unless the staff own it.

    Read clause by clause ("all staff will ...") and in the causative ("have all staff
    trained", "get every teacher using ...", "ensure all teachers are ...").
    """
    if subject.role is Role.OTHER:
        return
    text = subject.analysis.text
    causative = _ALL_STAFF_CAUSED.search(text)
    if causative is not None:
        yield Hit(span=causative.span(), detail=causative.group())
        return
    for clause in clauses(text):
        if clause.actor == "others" and clause.proportion in ("all", "high"):
            begin, end = clause.span
            yield Hit(span=(begin, end), detail=text[begin:end].strip())
            return


_ALL_STAFF_CAUSED = re.compile(
    r"\b(?:hav(?:e|ing)|get(?:ting)?|ensur(?:e|ing)(?:\s+that)?|see(?:ing)?)\s+"
    r"(?:all|every|each|100\s*%\s+of|9\d\s*%\s+of)\s+(?:of\s+)?(?:the\s+|our\s+|my\s+)?"
    r"(?:[\w-]+\s+)?(?:staff|teachers?|colleagues|members\s+of\s+staff|tas|"
    r"teaching\s+assistants|departments?)\b",
    re.IGNORECASE,
)
"""All other staff to act, caused by the person: "have all staff trained", "ensure every
teacher ..."."""

_ALWAYS = re.compile(
    r"\b(?:always|(?<!have\s)(?<!had\s)(?<!ve\s)never|every\s+(?:single\s+)?lesson|"
    r"at\s+all\s+times|without\s+(?:any\s+)?exception)\b",
    re.IGNORECASE,
)
"""Absolute words about conduct ("I have never taught ..." is experience, not a promise)."""


@rule(
    "A306",
    "always-or-never",
    criterion="achievable",
    severity="error",
    negates="achievable",
    message="No one manages this without fail: '{detail}'",
    why=(
        "'Always', 'never', 'every lesson', 'at all times': one slip, one cover lesson or one "
        "bad day and the objective is missed, however well its owner works. An absolute about "
        "the person's own conduct is as unrealistic as one about pupils' results."
    ),
    fix="Say how often, with whom and until when: 'in at least three lessons a week with 8R "
    "until half term'.",
    bad=[
        "Always greet my tutor group at the door.",
        "I will never raise my voice with Year 9.",
        "Use a retrieval starter in every lesson.",
    ],
    good=[
        "Greet my tutor group at the door each morning until half term.",
        "Use a retrieval starter in at least three Year 9 lessons a week this term.",
    ],
    since="0.2.0",
    decisive=True,
)
def always_or_never(subject: Subject) -> Iterator[Hit]:
    """Flag absolute words about conduct: always, never, every lesson, at all times."""
    text = subject.analysis.text
    found = _ALWAYS.search(text)
    if found is not None:
        yield Hit(span=(found.start(), found.end()), detail=found.group())


@rule(
    "A307",
    "leader-results-target",
    criterion="achievable",
    severity="error",
    negates="achievable",
    message="A leader's target for pupils' results, with nothing the leader will do: '{detail}'",
    why=(
        "A department's, phase's or school's grades, scores or progress are earned in other "
        "staff's lessons by their pupils. A leader's objective that only names the figure rests "
        "on everyone but its owner, so the owner cannot answer for it at review (the rubric: "
        "other staff's pupils' results are not achievable)."
    ),
    fix=(
        "Say what you will do to move it and for whom: 'coach the three Year 10 maths "
        "teachers on worked examples and review their mock analysis with them by March'; keep "
        "the figure as evidence, not the objective."
    ),
    bad=[
        "As head of science, GCSE combined science results to rise to 68% at grade 4+ in "
        "summer 2027.",
        "As deputy head, improve KS2 reading progress scores across the school this year.",
    ],
    good=[
        "As head of science, I will run fortnightly moderation of Year 11 mock papers with the "
        "four science teachers until Easter.",
        "As deputy head, raise KS2 reading progress by coaching the Year 5 and 6 teachers in "
        "guided reading each week until July.",
        "Raise the reading ages of the 8 pupils in my Year 7 catch-up group by 6 months.",
    ],
    since="0.2.0",
    decisive=True,
)
def leader_results_target(subject: Subject) -> Iterator[Hit]:
    """Flag a leader's target for pupils' results when the leader names no action of their own.

    A leader is a middle or senior leader or a headteacher (the context's role) or a
    statement that opens "As head of ...", "As deputy head ...".
    """
    text = subject.analysis.text
    span = leader_result_only(text, subject.role)
    if span is not None:
        yield Hit(span=span, detail=text[span[0] : span[1]])
