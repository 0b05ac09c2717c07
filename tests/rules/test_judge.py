"""The judge: its verdicts, their reasons, structure winning over text, and its weights as data."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.rules import CheckContext, RuleSet, Severity, check, check_many, default_config
from devcycle.rules.judge import (
    ALL,
    FITTED,
    JUDGED,
    LABELS,
    OVERALL,
    Model,
    decide,
    describe,
    judge,
    signals,
    word_signals,
)
from devcycle.rules.subject import Subject

# Our own statements, written for these tests: vague, data targets, duties, sound ones.
PIECES = st.sampled_from(
    [
        "Improve my questioning",
        "Get better at behaviour management",
        "90% of pupils to reach grade 5 in maths",
        "Run a weekly phonics catch-up for six Reception children",
        "Responsible for supervision of the lunch hall",
        "Develop, implement and monitor a whole-school marking strategy",
        "Teach a six-lesson unit on persuasive writing to my Year 6 class",
        "Be more confident",
        "Apply for a promotion",
        "Use mini-whiteboards for hinge questions in Year 8 science",
    ]
)
ENDINGS = st.sampled_from(
    ["", " by Easter", " by 31/3/27", " each week", ", seen in two drop-ins", " with 4 of 6 fluent"]
)
STATEMENTS = st.builds(lambda a, b: a + b + ".", PIECES, ENDINGS)


def _objective(statement: str, **fields: object) -> dc.Objective:
    values: dict[str, object] = {"id": "obj-1", "statement": statement}
    values.update(fields)
    return dc.Objective(**values)  # type: ignore[arg-type]


@given(STATEMENTS)
def test_every_negative_verdict_has_a_finding_that_explains_it(text: str) -> None:
    """A verdict is never false without a finding of that criterion at warning or worse."""
    result = check(text)
    for label, holds in result.verdicts.items():
        if not holds:
            assert any(
                f.criterion.value == label and f.severity is not Severity.INFO
                for f in result.findings
            ), (label, [f.code for f in result.findings])
    if result.data_target:
        assert any(f.code in ("P601", "P690") for f in result.findings)


@given(STATEMENTS)
def test_an_outweighed_rule_is_only_a_hint(text: str) -> None:
    """Info findings never decide a verdict: their criterion holds."""
    result = check(text)
    for finding in result.findings:
        if finding.severity is Severity.INFO and "outweighed" in finding.message:
            assert result.verdicts.get(finding.criterion.value, True) or finding.code == "P601"


@given(STATEMENTS)
def test_a_deadline_field_makes_any_statement_time_bound(text: str) -> None:
    """Structure wins over text: the judge cannot overrule a deadline."""
    assert check(_objective(text, deadline=date(2027, 3, 31))).time_bound


@given(STATEMENTS)
def test_success_criteria_or_evidence_make_any_statement_measurable(text: str) -> None:
    """Structure wins over text: success criteria and evidence sources make it measurable."""
    criteria = [dc.SuccessCriterion("At least 4 of the 6 pupils fluent in the June check")]
    assert check(_objective(text, success_criteria=criteria)).measurable
    assert check(_objective(text, evidence_sources=["two drop-ins by my mentor"])).measurable


@given(st.text(max_size=300))
def test_any_string_is_judged_deterministically_without_raising(text: str) -> None:
    """The same statement gets the same verdicts, findings and reasons every time."""
    first = check(text)
    subject = Subject(text=text, objective=None, context=None, config=default_config())
    again = judge(subject)
    assert first == check(text)
    if again is not None:
        assert set(again.present) <= Model.shipped().signals | set(signals(subject, ALL))


@given(STATEMENTS, st.lists(STATEMENTS, max_size=3))
def test_verdicts_do_not_depend_on_what_is_checked_with_it(text: str, others: list[str]) -> None:
    """A statement's assessment is the same alone and among other statements."""
    alone = check(text)
    together = check_many([*others, text, *others])
    assert together[len(others)] == alone


def test_a_bare_data_target_is_judged_one_with_its_reasons() -> None:
    """The example the sources complain about is a data target, and the finding says why."""
    result = check("85% of pupils to achieve grade 4 or above in English.")
    assert result.data_target
    assert not result.good


def test_a_judged_finding_names_the_signals_that_decided() -> None:
    """S190's message names what weighed against specificity, in words, not signal names."""
    result = check("Get better at phonics.")
    assert not result.specific
    message = next(f.message for f in result.findings if f.criterion.value == "specific")
    assert "w." not in message
    assert "d." not in message


def test_a_short_statement_is_not_told_it_is_missing_a_length() -> None:
    """Only content signals are ever said to be missing."""
    subject = Subject(
        text="Be more confident.", objective=None, context=None, config=default_config()
    )
    judgement = judge(subject)
    assert judgement is not None
    for label in LABELS:
        for signal in judgement.missing(label, limit=10):
            assert not signal.startswith(("d.words", "d.role", "r.", "d.sentences", "d.and"))


def test_a_blank_statement_is_left_to_the_rules() -> None:
    """The judge abstains on blank text; S102, M201 and T501 say what is missing."""
    subject = Subject(text="  ", objective=None, context=None, config=default_config())
    assert judge(subject) is None
    codes = {f.code for f in check("  ").findings}
    assert not codes & set(JUDGED.values())


def test_ignoring_the_judged_rules_decides_by_the_rules_alone() -> None:
    """Without S190...P690 the verdicts are the rules' own."""
    rules_only = RuleSet.default().select(None, ignore=list(JUDGED.values()))
    text = "Run the homework club for 8R by Easter."
    result = check(text, ruleset=rules_only)
    assert not result.measurable
    assert all(f.severity is not Severity.INFO for f in result.findings if f.code == "M201")


def test_context_rules_are_never_outweighed() -> None:
    """A deadline outside the cycle stays a negative verdict whatever the judge reads."""
    context = CheckContext(window=(date(2026, 9, 1), date(2027, 8, 31)))
    result = check(
        "Teach my Year 6 class a persuasive-writing unit by 31/12/2030.", context=context
    )
    assert not result.time_bound
    assert any(f.code == "T502" and f.severity is Severity.ERROR for f in result.findings)


def test_the_shipped_model_round_trips_through_its_json_form() -> None:
    """The weights are data: to_dict and from_dict agree, and every label has weights."""
    model = Model.shipped()
    again = Model.from_dict(json.loads(json.dumps(model.to_dict())))
    assert again.to_dict() == model.to_dict()
    assert set(model.weights) == set(FITTED)
    assert all(model.weights[label] for label in FITTED)


def test_a_model_without_an_overall_verdict_still_loads() -> None:
    """judge.json files from before the overall model decide each label by its own score."""
    data = Model.shipped().to_dict()
    labels = dict(data["labels"])  # type: ignore[call-overload]
    del labels[OVERALL]
    model = Model.from_dict({"labels": labels})
    assert set(model.weights) == set(LABELS)
    assert set(model.scores(["w.vague"])) == set(LABELS)


def _scores(**given: float) -> dict[str, float]:
    return {**dict.fromkeys(LABELS, 1.0), "data_target": -1.0, **given}


def test_the_overall_verdict_settles_one_criterion_in_doubt() -> None:
    """Good as a whole, not a data target, one criterion just under: that criterion holds."""
    verdicts = decide(_scores(time_bound=-0.3, good=0.8))
    assert all(verdicts[label] for label in LABELS[:5])
    assert not verdicts["data_target"]


@pytest.mark.parametrize(
    "scores",
    [
        _scores(time_bound=-0.3, good=-0.1),  # the overall model does not hold it good
        _scores(time_bound=-0.3, measurable=-0.2, good=2.0),  # two criteria in doubt
        _scores(time_bound=-0.3, data_target=0.5, good=2.0),  # a bare data target
        _scores(time_bound=-0.3),  # no overall model
    ],
)
def test_the_overall_verdict_does_not_override_more_than_one_doubt(
    scores: dict[str, float],
) -> None:
    assert not decide(scores)["time_bound"]


def test_every_weighted_signal_is_described_in_words() -> None:
    """Findings never show a raw signal name for a lexicon the model weighs."""
    for signal in Model.shipped().signals:
        if signal.startswith("w."):
            assert not describe(signal).startswith("words of the kind"), signal
        if signal.startswith("c."):
            assert describe(signal) != signal, signal
        if signal.startswith("u."):
            assert describe(signal).startswith(("the word '", "the words '")), signal


def test_single_words_are_signals_lower_cased_and_made_singular() -> None:
    """Words are read case-blind, plurals and possessives folded, common words left out."""
    text = "Run Activities for the pupils\u2019 reading groups; the class's library visits."
    found = word_signals(text)
    assert {
        "u.run",
        "u.activity",
        "u.pupil",
        "u.reading",
        "u.group",
        "u.class",
        "u.library",
    } <= set(found)
    assert "u.visit" in found
    assert not {"u.the", "u.for", "u.pupils", "u.activities", "u.classe"} & set(found)
    assert found["u.run"] == (0, 3)
    assert text[slice(*found["u.library"])] == "library"


def test_an_ordinal_is_one_word_not_its_suffix() -> None:
    """ "5th grade" gives "nth grade", never a stray "th"."""
    found = word_signals("Teach 5th grade and 2nd year classes")
    assert {"u.nth", "u.nth grade", "u.nth year"} <= set(found)
    assert not any(s in found for s in ("u.th", "u.nd", "u.th grade"))


def test_a_few_words_keep_their_final_s() -> None:
    assert {"u.always", "u.across", "u.focus", "u.progress", "u.analysis"} <= set(
        word_signals("Always focus across analysis of progress")
    )


def test_adjacent_words_pair_up_within_a_sentence_only() -> None:
    """Pairs of adjacent words are signals too, unless both are common or a sentence ends."""
    found = word_signals("Observe at least two lessons. Pupils write; I will")
    assert {"u.at least", "u.least two", "u.two lesson", "u.pupil write"} <= set(found)
    assert "u.lesson pupil" not in found  # across a full stop
    assert "u.write i" not in found  # across a semicolon
    assert "u.i will" not in found  # both common words
    assert found["u.at least"] == (8, 16)


def test_the_shipped_words_are_one_or_two_words_weighed_by_their_labels_only() -> None:
    """The model ships words and pairs (no longer phrases), for specific, achievable, relevant."""
    model = Model.shipped()
    words = {s.removeprefix("u.") for s in model.signals if s.startswith("u.")}
    assert any(" " not in w for w in words), "the shipped model weighs single words"
    assert all(1 <= len(w.split()) <= 2 for w in words)
    assert all(part.replace("'", "").isalpha() for w in words for part in w.split())
    for label, table in model.weights.items():
        if label not in ("specific", "achievable", "relevant"):
            assert not any(s.startswith("u.") for s in table), label


def test_a_word_signal_is_described_as_the_word() -> None:
    assert describe("u.ensure") == "the word 'ensure'"
    assert describe("u.at least") == "the words 'at least'"


def test_a_reason_names_kinds_of_words_before_single_words() -> None:
    """Hand-made signals (a lexicon, a rule, a clause reading) come first in a reason."""
    model = Model(
        weights={label: {"u.maintain": -3.0, "w.vague": -0.5} for label in LABELS},
        biases=dict.fromkeys(LABELS, 0.0),
    )
    subject = Subject(
        text="Maintain better teaching", objective=None, context=None, config=default_config()
    )
    judgement = judge(subject, model)
    assert judgement is not None
    assert judgement.against("specific", limit=2) == ("w.vague", "u.maintain")
    assert "the word 'maintain'" in judgement.reason("specific")


@pytest.mark.parametrize(
    "bad",
    [{}, {"labels": []}, {"labels": {"specific": {"weights": []}}}],
)
def test_a_broken_model_file_is_refused_clearly(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="judge model"):
        Model.from_dict(bad)


def test_the_memo_size_changes_speed_never_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing remembered, or a tiny memo, every result is the same as with the default."""
    from devcycle.rules import engine, set_memo_size
    from devcycle.rules.engine import MEMO_SIZE

    monkeypatch.setattr(engine, "_memo_chosen", engine._memo_chosen)  # restored afterwards
    monkeypatch.setattr(engine, "_assess_memo", engine._assess_memo)
    texts = ["Improve my teaching.", "Run a phonics group for 6 pupils by Easter.", "Be happy."]
    expected = [check(t) for t in texts]
    try:
        for size in (0, 1):
            set_memo_size(size)
            assert [check(t) for t in texts * 2] == expected * 2
        with pytest.raises(ValueError, match="0 or more"):
            set_memo_size(-1)
    finally:
        set_memo_size(MEMO_SIZE)


@pytest.mark.parametrize(
    "text",
    [
        "Run a weekly phonics group for x pupils until Easter, logged each session.",
        "Teach a six-lesson unit on [insert topic] to my Year 6 class by Easter.",
    ],
)
def test_a_placeholder_makes_any_objective_unspecific_whatever_the_judge_weighs(text: str) -> None:
    """The rubric's convention is decisive: S103 is never outweighed."""
    result = check(text)
    assert not result.specific
    assert any(f.code == "S103" and f.severity is Severity.ERROR for f in result.findings)


def test_a_placeholder_figure_is_still_a_measure_to_agree() -> None:
    """'x%' leaves measurable as the rest of the text has it (here: a figure to agree)."""
    result = check("Raise reading scores to x% by July, tested in the June assessment.")
    assert result.measurable
    assert not result.specific


_RULES_ONLY = RuleSet.default().select(None, ignore=list(JUDGED.values()))


@pytest.mark.parametrize(
    "text",
    [
        "Organise a TeachMeet for the cluster's primary schools.",
        "Present a staff seminar on my retrieval-practice trial.",
        "Talk at a regional science conference.",
        "Design a simple, shared tracking system for my tutor group.",
        "Observe eighteen lessons across the department.",
    ],
)
def test_one_event_or_output_is_a_measure(text: str) -> None:
    """The rubric counts a discrete event or deliverable as measurable, with no number."""
    assert check(text, ruleset=_RULES_ONLY).measurable


@pytest.mark.parametrize(
    "text",
    [
        "Attend local network events.",
        "Coach colleagues.",
        "Get my reports done on time.",
        "Run the homework club for 8R.",
    ],
)
def test_open_ended_activity_is_not_a_measure(text: str) -> None:
    """Open-ended activity, or a chore merely 'done', names no output to count."""
    assert not check(text, ruleset=_RULES_ONLY).measurable


def test_a_placeholder_share_in_words_is_a_measure_to_agree() -> None:
    """'y per cent' is a placeholder figure: unspecific (decisive S103), still a measure."""
    result = check("y per cent of my pupils to pass the phonics check by June.")
    assert not result.specific
    assert any(f.code == "S103" for f in result.findings)
    bare = "y per cent of my pupils to pass the phonics check."
    assert check(bare, ruleset=_RULES_ONLY).measurable


def test_whether_there_is_a_measure_is_not_weighed_for_specific() -> None:
    """A measure says how success is judged, not what the focus is (judgefit.SCOPES)."""
    model = Model.shipped()
    assert not {"d.measure", "r.M201"} & set(model.weights["specific"])
    assert {"d.measure", "r.M201"} <= set(model.weights["measurable"])


@pytest.mark.parametrize(
    "text",
    [
        "Launch a lunchtime coding club next year.",
        "Rewrite the Year 9 poetry unit in 2027.",
        "Raise my module's evaluation ratings in Semester 2.",
        "Agree seating plans with my mentor at the beginning of my placement.",
        "Co-plan geometry lessons with my partner teacher for the first half of the year.",
        "80% of my tutees to rate the tutor programme useful in the end-of-year survey.",
    ],
)
def test_a_bounded_year_term_or_occasion_is_a_time_frame(text: str) -> None:
    """A named year, a numbered term, the start of a placement or an end-of-year survey end."""
    assert check(text, ruleset=_RULES_ONLY).time_bound


def test_a_benchmark_year_is_not_a_time_frame() -> None:
    """The rubric: '2016 national norms' is a benchmark, not a deadline."""
    text = "Keep my class's phonics results in line with 2025 national norms."
    assert not check(text, ruleset=_RULES_ONLY).time_bound


@pytest.mark.parametrize(
    "text",
    [
        "Get my marking done on time.",
        "Visit a colleague's classroom.",
        "Coach a new colleague.",
        "Read a book on assessment.",
    ],
)
def test_a_short_unmeasured_aim_about_the_role_is_relevant(text: str) -> None:
    """The rubric's relevant is what an aim is tied to; vague or unmeasured is another fault."""
    result = check(text)
    assert result.verdicts["relevant"]
    assert not any(f.code == "R490" for f in result.findings)


@pytest.mark.parametrize(
    "text",
    [
        "Have more time for my friends.",
        "Feel less anxious.",
        "Be a calmer person.",
        "Stop worrying about work at the weekend.",
    ],
)
def test_a_disposition_or_wellbeing_aim_is_not_relevant(text: str) -> None:
    """Purely personal dispositions and wellbeing are relevant: false, with a judged finding."""
    result = check(text)
    assert not result.verdicts["relevant"]
    assert any(f.code == "R490" for f in result.findings)


def test_relevant_weighs_what_an_aim_is_about_not_its_form() -> None:
    """Length, measure, time and vagueness signals are left out of relevant (judgefit.SCOPES)."""
    model = Model.shipped()
    relevant = set(model.weights["relevant"])
    form = {"d.measure", "r.M201", "r.T501", "r.S101", "r.S102", "d.time", "d.number"}
    assert not form & relevant
    assert not any(s.startswith("d.words") for s in relevant)
    topical = {"d.be_aim", "w.j_wellbeing", "w.j_role_work"}
    assert topical <= relevant
    for label in FITTED:
        if label != "relevant":
            assert not topical & set(model.weights[label])


def test_an_aim_to_be_or_not_to_do_something_is_a_signal() -> None:
    """How dispositions open: 'Be ...', 'I will not ...', 'To feel ...' (not 'Teach ...')."""
    for text, expected in [
        ("Be a calmer person.", True),
        ("I will not rush my feedback.", True),
        ("To feel more settled in the department.", True),
        ("Teach a unit on fractions.", False),
        ("Believe in the new marking policy.", False),
    ]:
        subject = Subject(text=text, objective=None, context=None, config=default_config())
        assert ("d.be_aim" in signals(subject, ALL)) is expected, text


@pytest.mark.parametrize(
    ("text", "decided"),
    [
        ("Secure a head of year post by July.", True),
        ("Secure a permanent teaching job before the summer.", True),
        ("Win the regional teaching award.", True),
        ("I won't leave my marking until Sunday.", False),
        ("We won\u2019t set homework over the holidays.", False),
    ],
)
def test_an_outcome_others_decide_is_read_and_wont_is_not_won(text: str, decided: bool) -> None:
    """A job or post secured is decided by others (the rubric's job offer); "won't" is no win."""
    subject = Subject(text=text, objective=None, context=None, config=default_config())
    assert ("w.j_decided" in signals(subject, ALL)) is decided


@pytest.mark.parametrize(
    "text",
    [
        "Gain a promotion to head of year by July.",
        "Secure a head of year post by the summer.",
        "To be selected for the county's leadership programme in April.",
        "Apply for a research grant, with approval by the funding body.",
    ],
)
def test_an_outcome_others_decide_is_outside_the_persons_control(text: str) -> None:
    """The rubric's job offer or selection: decided by others, so A301 says so (not achievable)."""
    result = check(text)
    assert "A301" in {f.code for f in result.findings}
    assert not result.verdicts["achievable"]


@pytest.mark.parametrize(
    "text",
    [
        "Apply for two head of year posts by March.",
        "Plan a role-play for my Year 8 class.",
        "Develop a KS3 reading map, approved by my line manager by June.",
    ],
)
def test_the_persons_own_steps_towards_a_post_are_in_their_control(text: str) -> None:
    assert "A301" not in {f.code for f in check(text).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Support the SDP priority on oracy.",
        "Get ready for the next Ofsted inspection.",
    ],
)
def test_a_school_priority_is_a_tie_to_the_role(text: str) -> None:
    """The rubric's third tie (a school priority): its plan and its inspection."""
    subject = Subject(text=text, objective=None, context=None, config=default_config())
    assert "w.j_role_work" in signals(subject, ALL)
