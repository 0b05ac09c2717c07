"""Messages put a role name after the article it takes: "an auditor", "a reviewer"."""

from __future__ import annotations

import re
import tomllib

import pytest

import devcycle as dc
from devcycle._words import a_or_an
from devcycle.access import ACTIONS, decide, default_policy, parse_policy
from devcycle.cli import main

_WRONG = re.compile(r"\ba (?=[aeio]|u(?!ni|se|su|ti|ra))", re.IGNORECASE)
"""'a' before a vowel sound: the mistake."""


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("auditor", "an auditor"),
        ("Auditor", "an Auditor"),
        ("early_career_teacher", "an early_career_teacher"),
        ("inspector", "an inspector"),
        ("office_manager", "an office_manager"),
        ("objective_id", "an objective_id"),
        ("reviewer", "a reviewer"),
        ("headteacher", "a headteacher"),
        ("school_admin", "a school_admin"),
        ("union_rep", "a union_rep"),
        ("user", "a user"),
        ("", "a "),
    ],
)
def test_the_article_follows_the_sound(word: str, expected: str) -> None:
    assert a_or_an(word) == expected


def test_no_access_decision_says_a_before_a_vowel() -> None:
    """Every reason the policy gives, for every role and action (custom roles too)."""
    policy = parse_policy(
        tomllib.loads(
            '[roles.inspector]\nscope = "trust"\nactions = ["read_school"]\n'
            '[roles.office_manager]\nscope = "school"\nactions = ["write_staff"]\n'
        ),
        base=default_policy(),
    )
    reasons = []
    for role in policy.roles:
        for trust in (None, "rivers"):
            actor = dc.Actor("X1", role, school_id=None if trust else "oak", trust_id=trust)
            for action in (*sorted(ACTIONS), ""):
                decision = decide(policy, actor, action, school_id="oak", staff={})
                reasons.append(decision.reason)
    assert any("an auditor" in r for r in reasons)
    assert [r for r in reasons if _WRONG.search(r)] == []


def test_the_access_check_command_says_an_auditor(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["access", "check", "write_trust", "--trust", "rivers", "--as", "auditor", "--user", "D1",
         "--trust-id", "rivers"]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 1, out
    assert "does not let an auditor write_trust" in out.out + out.err
