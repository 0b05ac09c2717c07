"""The rubric's conventions as decisive readings (judge.CONVENTIONS) and A307.

A307: a leader's target for pupils' results with no action of their own is not achievable.
The judge's conventions settle a label whatever its weights say: the person's own moderate
share of a result is achievable; an implicit all-pupils threshold is not; a pupil measure that
is not attainment is no bare data target, nor is the person's own action, while a figure share
of pupils reaching a result is one; the person's own wellbeing and a disposition to hold are
not relevant, the work of the role is.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.rules import CheckContext, check, default_config
from devcycle.rules.conventions import CONVENTIONS, leader_result_only, readings
from devcycle.rules.judge import LABELS, decide, judge
from devcycle.rules.subject import Subject

# Our own statements, written for these tests.


def _codes(text: str, role: str | None = None) -> list[str]:
    context = CheckContext(role=role) if role else None
    return [f.code for f in check(text, context=context).findings]


@pytest.mark.parametrize(
    ("text", "role"),
    [
        (
            "By July, 65% of pupils across the school will meet their reading growth goal.",
            "headteacher",
        ),
        ("Maths GCSE results to rise to 72% at grade 4 or above in summer 2027.", "middle_leader"),
        ("By spring, Year 3 to 6 spelling test scores will increase by 8%.", "senior_leader"),
        ("As head of English, improve KS4 progress scores this year.", None),
    ],
)
def test_a_leaders_results_target_with_no_action_is_not_achievable(
    text: str, role: str | None
) -> None:
    """Regression: the judge held some of these achievable (a moderate figure, a date), though
    the rubric makes other staff's pupils' results not achievable for a leader; A307 decides."""
    context = CheckContext(role=role) if role else None
    result = check(text, context=context)
    assert "A307" in [f.code for f in result.findings]
    assert result.verdicts["achievable"] is False
    finding = next(f for f in result.findings if f.code == "A307")
    assert finding.span is not None
    assert finding.fix


@pytest.mark.parametrize(
    ("text", "role"),
    [
        # the leader's own action for the result
        (
            "Raise KS4 progress scores by coaching the four Year 11 English teachers weekly.",
            "middle_leader",
        ),
        (
            "I will run fortnightly moderation of Year 6 writing so that results rise.",
            "senior_leader",
        ),
        # not a leader: the teacher's own class
        ("70% of my Year 10 set to reach grade 5 in the June mock.", "teacher"),
        # no pupil result at all
        ("By spring, publish the new homework policy for the school.", "headteacher"),
    ],
)
def test_a307_leaves_actions_and_non_leaders_alone(text: str, role: str) -> None:
    assert "A307" not in _codes(text, role)


def test_leader_result_only_reads_by_spring_as_time_not_means() -> None:
    """Regression: "By spring" ends in -ing but is no "by ...ing" action of the person's."""
    assert leader_result_only("By spring, reading scores will rise by 5%.", "senior_leader")
    assert (
        leader_result_only("Raise reading scores by modelling guided reading.", "senior_leader")
        is None
    )


def test_own_moderate_share_is_achievable_but_still_a_data_target() -> None:
    """The rubric: a moderate percentage for the teacher's own class is achievable, though a
    bare data target."""
    result = check(
        "70% of my Year 10 set to reach grade 5 in the June mock.",
        context=CheckContext(role="teacher"),
    )
    assert result.verdicts["achievable"] is True
    assert result.data_target is True
    assert "k.own_share" in readings("70% of my Year 10 set to reach grade 5.", "teacher")


def test_a_leaders_share_is_not_their_own() -> None:
    assert "k.own_share" not in readings("70% of pupils to reach grade 5.", "headteacher")
    assert "k.own_share" not in readings("95% of my set to reach grade 5.", "teacher")


def test_implicit_all_pupils_threshold_is_not_achievable_and_says_why() -> None:
    result = check(
        "Year 9 students below grade 4 will gain one grade in the March mock.",
        context=CheckContext(role="teacher"),
    )
    assert result.verdicts["achievable"] is False
    judged = [f for f in result.findings if f.code == "A390"]
    assert judged
    assert "by the rubric's convention" in judged[0].message
    assert judged[0].fix


@pytest.mark.parametrize(
    "text",
    [
        "Raise my Year 12 course evaluation ratings by 10% on last year's results.",
        "Cut behaviour referrals from my tutor group by a quarter by July.",
        "Increase the number of Year 7 pupils borrowing library books by 15% this year.",
        "Cut referrals in grades 3-5 by 20% this year.",
    ],
)
def test_a_pupil_measure_that_is_not_attainment_is_no_bare_data_target(text: str) -> None:
    """Regression: the judge called ratings and referral counts bare data targets; the rubric
    counts only attainment and progress (ratings measure the person's own practice)."""
    assert check(text, context=CheckContext(role="teacher")).data_target is False


def test_a_figure_share_of_pupils_reaching_a_result_is_a_bare_data_target() -> None:
    result = check(
        "75% of pupils to reach the expected standard in the spring writing assessment.",
        context=CheckContext(role="teacher"),
    )
    assert result.data_target is True


def test_the_persons_own_action_is_no_bare_data_target() -> None:
    text = "I will teach a weekly guided reading session so that 80% of my group reach ARE."
    assert "k.own_action" in readings(text, "teacher")
    assert check(text, context=CheckContext(role="teacher")).data_target is False


@pytest.mark.parametrize(
    "text",
    [
        "Look after my health and get more sleep in term time.",
        "Protect my weekends and worry less.",
        "I will have high expectations for my pupils.",
        "Be positive with everyone.",
    ],
)
def test_own_wellbeing_and_dispositions_are_not_relevant(text: str) -> None:
    """The rubric: wellbeing and dispositions with no link to the role are not relevant, and
    dispositions stay so even when they name pupils."""
    result = check(text, context=CheckContext(role="teacher"))
    assert result.verdicts["relevant"] is False
    assert {"k.own_wellbeing", "k.disposition"} & set(readings(text, "teacher"))
    judged = [f for f in result.findings if f.code == "R490"]
    assert all("by the rubric's convention" in f.message for f in judged)
    assert [f for f in result.findings if f.criterion.value == "relevant"]


def test_other_peoples_wellbeing_is_a_role_concern() -> None:
    assert "k.own_wellbeing" not in readings("Improve the wellbeing of staff in my team.", None)


@pytest.mark.parametrize(
    "text",
    ["Read two books on assessment.", "Present at a teachmeet.", "Go to the subject conference."],
)
def test_the_work_of_the_role_is_relevant(text: str) -> None:
    """Regression: short aims about the role's own work were judged not relevant."""
    assert check(text, context=CheckContext(role="teacher")).verdicts["relevant"] is True


def _present(text: str) -> set[str]:
    subject = Subject(text=text, objective=None, context=None, config=default_config())
    judged = judge(subject)
    assert judged is not None
    return set(judged.present)


def test_a_reporting_chore_is_not_read_as_the_roles_work() -> None:
    assert "k.role_work" in _present("Plan a six-lesson unit on fractions for Year 5.")
    assert "k.role_work" not in _present("Submit my planning to SLT every Friday.")
    assert "k.role_work" not in _present("Organise the staff socials.")


def test_the_overall_model_never_settles_a_convention() -> None:
    """The whole outweighs one doubtful criterion, never one a convention settled."""
    scores = dict.fromkeys(("specific", "measurable", "relevant", "time_bound", "good"), 1.0) | {
        "achievable": 0.5,
        "data_target": -1.0,
    }
    assert decide(scores, ["k.implicit_all"])["achievable"] is False
    scores["achievable"] = -0.5
    assert decide(scores, ())["achievable"] is True
    assert decide(scores, ["k.implicit_all"])["achievable"] is False


def test_every_convention_is_described() -> None:
    for signal, convention in CONVENTIONS.items():
        assert signal.startswith("k.")
        assert convention.label in ("achievable", "relevant", "data_target")
        assert convention.words


@given(st.text(max_size=300), st.sampled_from([None, "teacher", "headteacher", "x", ""]))
def test_readings_never_raise_and_are_deterministic(text: str, role: str | None) -> None:
    first = readings(text, role)
    assert readings(text, role) == first
    assert set(first) <= set(CONVENTIONS)
    for span in first.values():
        assert span is None or 0 <= span[0] <= span[1] <= len(text)
    leader_result_only(text, role)


@pytest.mark.parametrize(
    "text",
    [
        "No more than 15% of my Year 12 group to leave the course before Easter.",
        "40% of my tutor group to earn a good-behaviour award this term.",
    ],
)
def test_a_share_others_or_circumstances_decide_is_not_the_persons_own(text: str) -> None:
    """Staying on a course, behaviour and awards given by others are outside the person's
    control, however moderate the share."""
    assert "k.own_share" not in readings(text, "teacher")


@pytest.mark.parametrize(
    "text",
    [
        "Put the department's trip dates for the year in my diary by September.",
        "Have all Year 9 marks entered on the tracker by the data deadline.",
    ],
)
def test_calendar_and_reporting_chores_are_not_relevant(text: str) -> None:
    """The rubric: calendar and data-reporting chores are admin only."""
    assert "k.admin_chore" in readings(text, "teacher")
    assert check(text, context=CheckContext(role="teacher")).verdicts["relevant"] is False


def test_a_marking_calendar_is_the_roles_work_not_a_chore() -> None:
    text = "Introduce a marking calendar for the science team and review it at Easter."
    assert "k.admin_chore" not in readings(text, "middle_leader")


def test_a_leaders_bare_results_target_is_a_bare_data_target() -> None:
    """Regression: with nothing the leader will do and no approach, the figure is all there is."""
    result = check(
        "By spring, Year 3 to 6 spelling test scores will increase by 8%.",
        context=CheckContext(role="senior_leader"),
    )
    assert result.data_target is True
    named = check(
        "By spring, Year 3 to 6 spelling test scores will increase by 8% with a daily "
        "ten-minute phonics practice for the 30 pupils below the expected standard.",
        context=CheckContext(role="senior_leader"),
    )
    assert "A307" in [f.code for f in named.findings]


def test_conventions_on_one_label_resolve_in_the_tables_order() -> None:
    """A later convention wins: a measure that is not attainment is no data target, even in a
    leader's bare target; the result does not depend on the order signals were found in."""
    scores = dict.fromkeys((*LABELS, "good"), 1.0)
    one = decide(scores, ["k.leader_bare", "k.not_attainment"])
    other = decide(scores, ["k.not_attainment", "k.leader_bare"])
    assert one == other
    assert one["data_target"] is False


def test_a_bare_aim_to_improve_pupils_results_is_a_data_target() -> None:
    """The rubric: a bare "improve scores" aim that names no need or approach is a data
    target; naming the approach makes it not bare."""
    bare = "I will improve my Year 8 pupils' fractions scores."
    assert "k.bare_improve" in readings(bare, "teacher")
    assert check(bare, context=CheckContext(role="teacher")).data_target is True
    subject = Subject(
        text="Improve my Year 8 pupils' fraction skills through weekly worked examples in "
        "every lesson with the 10 pupils below target.",
        objective=None,
        context=None,
        config=default_config(),
    )
    judged = judge(subject)
    assert judged is not None
    assert "k.bare_improve" not in judged.present


@pytest.mark.parametrize(
    "text",
    ["My Year 7 pupils will enjoy every maths lesson.", "I will have a calm, focused tutor group."],
)
def test_pupils_behaviour_or_feelings_as_the_outcome_is_not_achievable(text: str) -> None:
    """Outside the person's control: how pupils feel or behave is theirs to decide."""
    assert "k.pupils_conduct" in readings(text, "teacher")
    assert check(text, context=CheckContext(role="teacher")).verdicts["achievable"] is False


def test_the_persons_action_for_pupils_conduct_is_not_their_conduct() -> None:
    text = "Teach a weekly calm-breathing routine to my Year 2 class so that pupils are calm."
    assert "k.pupils_conduct" not in readings(text, "teacher")


def test_a_bare_data_target_by_convention_says_so() -> None:
    result = check(
        "By July, 65% of pupils across the school will meet their reading growth goal.",
        context=CheckContext(role="headteacher"),
    )
    judged = [f for f in result.findings if f.code == "P690"]
    assert judged
    assert "by the rubric's convention: a leader's target" in judged[0].message
    assert judged[0].span is not None


@pytest.mark.parametrize(
    "text",
    [
        "Raise the share of lesson data reported by staff on the tracker to 80% by July.",
        "I want colleagues who work with me to see me as the go-to person for behaviour.",
        "Have my bid for the reading project chosen by the trust panel this year.",
    ],
)
def test_outcomes_others_decide_or_report_are_not_achievable(text: str) -> None:
    """The rubric: outcomes decided by others (others' reporting) are not achievable."""
    assert "k.others_decide" in readings(text, "teacher")
    assert check(text, context=CheckContext(role="teacher")).verdicts["achievable"] is False


def test_a_qualification_for_the_role_is_its_work_a_move_of_post_is_not() -> None:
    """Professional study (an MA, the NPQ) is learning for the role; a career move is not."""
    assert "k.role_work" in _present("Finish the research module of my MA in education.")
    assert "k.role_work" not in _present("Apply for a head of department post at a new school.")
