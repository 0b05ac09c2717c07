"""A305 and A306: absolute targets, on other staff (all staff will ...) or on one's own conduct."""

from __future__ import annotations

import pytest

from devcycle.rules import CheckContext, check

# Our own statements, written for these tests.


@pytest.mark.parametrize(
    "text",
    [
        "By Easter, every teacher will use the new feedback policy in their Year 7 lessons.",
        "95% of staff will complete the online behaviour module by July.",
        "All support staff will attend the first-aid refresher this term.",
    ],
)
def test_all_other_staff_acting_is_not_achievable_whatever_the_judge_weighs(text: str) -> None:
    """Regression: no rule read these, and the judge held some achievable ("95% of staff");
    the rubric makes an absolute target resting on others not achievable, so the rule is
    decisive (never outweighed)."""
    result = check(text, context=CheckContext(role="senior_leader"))
    assert "A305" in [f.code for f in result.findings]
    assert result.verdicts["achievable"] is False


def test_a_shared_objective_is_the_staffs_own() -> None:
    """Owned by the whole staff (role 'other'), 'all staff will ...' is their own action."""
    text = "All staff will complete the online behaviour module by July."
    result = check(text, context=CheckContext(role="other"))
    assert "A305" not in [f.code for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "Run the behaviour module for all new staff twice this term.",
        "At least 18 of the 22 teachers will use the feedback policy by July.",
        "I will observe every teacher in my department once by Easter.",
    ],
)
def test_the_persons_own_action_for_all_staff_is_not_flagged(text: str) -> None:
    result = check(text, context=CheckContext(role="middle_leader"))
    assert "A305" not in [f.code for f in result.findings]


@pytest.mark.parametrize(
    "text",
    [
        "Always greet my tutor group at the door.",
        "I will always greet my tutor group at the door.",
        "Never shout at my Year 8 class.",
        "Use mini-whiteboards in every lesson.",
    ],
)
def test_always_or_never_about_own_conduct_is_not_achievable(text: str) -> None:
    """Regression: the judge held these achievable though the rubric makes an absolute word
    about the person's own conduct ("always", "every lesson") not achievable (A306, decisive)."""
    result = check(text)
    assert "A306" in [f.code for f in result.findings]
    assert result.verdicts["achievable"] is False


@pytest.mark.parametrize(
    "text",
    [
        "I have never taught phonics, so I will observe two Reception lessons by Easter.",
        "Greet my tutor group at the door each morning until half term.",
        "Phone two families every week until Easter.",
    ],
)
def test_experience_and_a_schedule_are_not_absolute(text: str) -> None:
    assert "A306" not in [f.code for f in check(text).findings]
