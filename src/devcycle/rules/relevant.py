"""R4xx: is the objective relevant? Tied to pupils' learning, the role or a school priority."""

from __future__ import annotations

from collections.abc import Iterator

from devcycle.rules.registry import rule
from devcycle.rules.subject import Hit, Subject


@rule(
    "R401",
    "trivial-goal",
    criterion="relevant",
    severity="error",
    negates="relevant",
    message="Trivial, social or personal goal: '{detail}'",
    why=(
        "An appraisal objective is for professional development that serves pupils, the role "
        "or the school's plan; socials, tidying and personal hobbies belong elsewhere."
    ),
    fix="Replace it with an objective about your practice, your pupils or a school priority.",
    bad=[
        "Organise the staff socials.",
        "Keep the TA WhatsApp group updated with everyone's birthdays.",
        "Learn to play the ukulele over the summer holidays.",
        "Sort out my shared drive folders and clear old emails.",
    ],
    good=[
        "Set up a lunchtime reading club for Year 5 pupils.",
        "Catalogue new library stock with a report to the deputy head.",
    ],
)
def trivial_goal(subject: Subject) -> Iterator[Hit]:
    """Flag social, tidying and personal goals with no pupils or learning in view."""
    a = subject.analysis
    trivial = a.spans("trivial")
    if trivial and not a.outside("learning", "trivial"):
        yield Hit(span=trivial[0], detail=a.words(trivial[0]))


@rule(
    "R402",
    "pay-goal",
    criterion="relevant",
    severity="error",
    negates="relevant",
    message="A pay goal, not a development objective: '{detail}'",
    why=(
        "Pay progression is an outcome of the school's pay policy, not professional "
        "development; performance-related pay left English teacher appraisal in 2024."
    ),
    fix="Set an objective about the practice you want to develop; discuss pay separately.",
    bad=["Get pay progression to the next grade.", "Meet the threshold to move to UPS."],
    good=["Lead the Year 5 maths intervention programme for 8 pupils."],
)
def pay_goal(subject: Subject) -> Iterator[Hit]:
    """Flag objectives whose goal is pay, with no pupils or learning in view."""
    a = subject.analysis
    pay = a.spans("pay")
    if pay and not a.outside("learning", "pay"):
        yield Hit(span=pay[0], detail=a.words(pay[0]))
