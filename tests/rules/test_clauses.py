"""Clause analysis: whose action or result each clause of an objective is about."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.rules.clauses import CLAUSE_SIGNALS, clause_signals, clauses

# Our own statements, written for these tests.


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        (
            "Pupils will reach grade 5 in maths.",
            {"c.pupils_act", "c.result_only", "c.implicit_all"},
            {"c.acts"},
        ),
        (
            "I will teach grade 5 content to my Year 10 set.",
            {"c.acts", "c.acts_for_pupils"},
            {"c.pupils_act", "c.pupil_result"},
        ),
        (
            "70% of my Year 9 class to achieve a grade 4 by July.",
            {"c.share_moderate", "c.result_only"},
            {"c.implicit_all"},
        ),
        (
            "All staff will complete the safeguarding module by June.",
            {"c.others_act", "c.share_all"},
            {"c.acts"},
        ),
        (
            "Raise attainment in reading by using daily guided reading with six pupils.",
            {"c.result_by_means", "c.acts"},
            {"c.result_only"},
        ),
        ("Get better at phonics.", {"c.only_develop"}, {"c.acts"}),
        ("Supervision of the lunch hall.", {"c.no_actor"}, {"c.acts"}),
        (
            "By Easter, I will run a weekly phonics catch-up for six Reception children.",
            {"c.acts_for_pupils"},
            {"c.no_actor"},
        ),
        ("Use mini-whiteboards in every lesson.", {"c.acts", "c.self_absolute"}, set()),
        ("Ensure that the marking policy is followed.", {"c.duty"}, {"c.acts"}),
    ],
)
def test_each_clause_signal_from_its_own_examples(
    text: str, present: set[str], absent: set[str]
) -> None:
    found = set(clause_signals(text))
    assert present <= found, found
    assert not absent & found, found


def test_a_person_raising_pupils_scores_is_the_actor() -> None:
    """'Raise my pupils' scores': the person acts on a pupil result; the pupils do not act."""
    found = clause_signals("Raise my pupils' test scores by ten points.")
    assert "c.pupil_result" in found
    assert "c.pupils_act" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Continue to run the Year 7 chess club.",
        "To continue to teach 8R on Fridays.",
        "Work hard to run the Year 7 chess club.",
    ],
)
def test_the_verb_continued_is_the_clauses_verb(text: str) -> None:
    """'Continue to run the club': the person runs it (a concrete action), not 'continue'."""
    found = set(clause_signals(text))
    assert "c.acts" in found
    assert "c.only_develop" not in found


def test_continuing_to_develop_is_still_development() -> None:
    assert "c.only_develop" in clause_signals("Continue to develop my questioning.")


def test_reaching_out_is_contacting_not_attaining() -> None:
    """'Reach out to the parents': the person contacts them (a concrete action), no result."""
    found = clause_signals("I will reach out to the parents of 9X about homework.")
    assert "c.acts" in found
    assert "c.only_develop" not in found


@pytest.mark.parametrize(
    "text",
    [
        "Submit my planning to the head of department every Friday.",
        "I will leave school by 5pm every day this term.",
        "Phone two families every week.",
    ],
)
def test_a_recurring_schedule_is_not_an_absolute_word(text: str) -> None:
    """'every Friday' is a frequency (the rubric's recurring schedule), not 'always'."""
    assert "c.self_absolute" not in clause_signals(text)


@pytest.mark.parametrize(
    "text", ["Use mini-whiteboards in every lesson.", "I will always greet my class at the door."]
)
def test_every_lesson_and_always_stay_absolute(text: str) -> None:
    assert "c.self_absolute" in clause_signals(text)


def test_clauses_split_on_purpose_and_means() -> None:
    text = "Model worked examples so that pupils explain their steps, by using visualisers."
    links = [c.link for c in clauses(text)]
    assert links[0] == "main"
    assert "purpose" in links
    assert "means" in links


def test_how_success_is_measured_is_nobody_acting() -> None:
    """'as measured by MAP scores' names an instrument: 'MAP' is not the verb 'map'."""
    text = "Raise the share of my pupils meeting their reading target as measured by STAR scores."
    parts = clauses(text)
    assert parts[-1].link == "measure"
    assert parts[-1].actor == "none"
    assert parts[-1].verb is None
    found = clause_signals("Increase reading growth from 40% to 50% as measured by MAP scores.")
    assert "c.acts" not in found
    assert "c.result_only" in found


def test_a_bare_share_is_a_share_of_pupils() -> None:
    """'30% to write their name': a share of unnamed pupils acts, at a moderate share."""
    found = clause_signals("30% to write their name unaided by the end of the spring term.")
    assert {"c.pupils_act", "c.share_moderate"} <= set(found)
    assert "c.no_actor" not in found


def test_every_clause_signal_is_described_in_words() -> None:
    assert all(description and " " in description for description in CLAUSE_SIGNALS.values())


@given(st.text(max_size=300))
def test_any_string_is_read_deterministically_without_raising(text: str) -> None:
    first = clause_signals(text)
    assert first == clause_signals(text)
    assert set(first) <= set(CLAUSE_SIGNALS)
    for span in first.values():
        assert span is None or 0 <= span[0] <= span[1] <= len(text)


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("Always greet my tutor group at the door.", "greet"),
        ("Never shout at my Year 8 class.", "shout"),
        ("Always mark Year 10 books within a week.", "mark"),
        ("Consistently use cold calling in my Year 9 lessons.", "use"),
    ],
)
def test_an_aim_opening_with_an_adverb_is_the_persons_action(text: str, verb: str) -> None:
    """Regression: 'Always greet ...' had no actor (a noun phrase), so 'always' was not read
    as an absolute word about the person's own conduct; the person acts, on the next verb."""
    main = clauses(text)[0]
    assert main.actor == "implicit"
    assert main.verb == verb
    assert "c.no_actor" not in clause_signals(text)


@pytest.mark.parametrize(
    "text",
    ["Always greet my tutor group at the door.", "Never raise my voice.", "Always be on time."],
)
def test_always_or_never_opening_an_aim_is_absolute_about_own_conduct(text: str) -> None:
    assert "c.self_absolute" in clause_signals(text)


def test_an_adverb_before_pupils_leaves_the_pupils_acting() -> None:
    found = clause_signals("Regularly pupils will read aloud to the class.")
    assert "c.pupils_act" in found
    assert "c.self_absolute" not in found
