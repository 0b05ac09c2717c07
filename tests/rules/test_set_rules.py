"""The whole-set rules (W8xx): a person's objectives judged together, with a school's thresholds."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.errors import ConfigError
from devcycle.rules import CheckConfig, CheckContext, RuleSet, SetThresholds, check, check_cycle
from devcycle.rules.config import load_config
from devcycle.rules.set_rules import ObjectiveTraits, example_set

W = RuleSet.builtin().select(["W"])
WINDOW = (date(2026, 9, 1), date(2027, 8, 31))


def _set_codes(
    example: str, *, config: CheckConfig | None = None, role: str = "teacher"
) -> dict[str, list[str]]:
    objectives = example_set(example)
    found: dict[str, list[str]] = {}
    for objective in objectives:
        context = CheckContext(
            window=WINDOW,
            role=role,
            other_objectives=[o for o in objectives if o.id != objective.id],
        )
        result = check(objective, context=context, ruleset=W, config=config)
        found[objective.id] = [f.code for f in result.findings]
    return found


CAREER_ONLY = "Complete the NPQH by July 2027. | Apply for a deputy headship by Easter."


def test_a_set_finding_is_reported_once_on_the_first_objective() -> None:
    found = _set_codes(CAREER_ONLY)

    assert "W801" in found["obj-1"]
    assert found["obj-2"] == []


def test_one_objective_is_not_judged_as_a_set() -> None:
    assert _set_codes("Complete the NPQH by July 2027.") == {"obj-1": []}


def test_a_bare_statement_or_no_context_is_never_judged_as_a_set() -> None:
    objective = example_set(CAREER_ONLY)[0]

    assert check("Complete the NPQH by July 2027.", ruleset=W).findings == ()
    assert check(objective, ruleset=W).findings == ()


def test_thresholds_come_from_the_school_configuration() -> None:
    imposed = "[set over disagreement] Teach phonics to Year 1. | Run a Year 2 reading club."
    strict = CheckConfig(set_thresholds=SetThresholds(max_over_disagreement=0, min_career=0))

    assert "W804" not in _set_codes(imposed)["obj-1"]
    assert _set_codes(imposed, config=strict)["obj-1"] == ["W804"]


def test_support_staff_are_not_asked_for_pupil_focus() -> None:
    office = "Move the payroll records to the new system by March. | Train as a first aider."

    assert "W805" in _set_codes(office)["obj-1"]
    assert "W805" not in _set_codes(office, role="support_staff")["obj-1"]


def test_check_cycle_reads_the_set_and_evaluated_objectives_leave_it() -> None:
    cycle = dc.Cycle(
        id="c1",
        school_id="s",
        staff_id="T1",
        reviewer_id="H1",
        period_start=WINDOW[0],
        period_end=WINDOW[1],
    )
    cycle.start_planning(by="H1", on=date(2026, 9, 5))
    for text in ("Complete the NPQH by July 2027.", "Apply for a deputy headship by Easter."):
        made = cycle.propose_objective(by="T1", on=date(2026, 9, 10), statement=text)
        cycle.agree_objective(made.id, by="H1", on=date(2026, 9, 20))

    results = check_cycle(cycle, ruleset=W)

    assert [f.code for f in results["obj-1"].findings] == ["W801", "W805"]
    assert results["obj-1"].findings[0].fix
    assert results["obj-1"].smart == check(cycle.objectives[0]).smart


def test_the_set_table_is_read_from_a_file_and_bad_values_name_the_key(tmp_path) -> None:
    good = tmp_path / "good.toml"
    good.write_text("[check.set]\nmin-size = 3\nmax-over-disagreement = 0\n", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('[check.set]\nmin-new = "two"\n', encoding="utf-8")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[check.set]\nmin-sizes = 3\n", encoding="utf-8")

    assert load_config(good).set_thresholds == SetThresholds(min_size=3, max_over_disagreement=0)
    with pytest.raises(ConfigError, match=r"bad.toml: check.set.min-new must be a whole number"):
        load_config(bad)
    with pytest.raises(ConfigError, match=r"unknown key check.set.min-sizes"):
        load_config(unknown)


def test_traits_read_career_and_pupils() -> None:
    both = dc.Objective(
        id="obj-1",
        statement="Complete the NPQ for Leading Teaching, trialling its strategies with 8M.",
    )
    traits = ObjectiveTraits.of(both)

    assert (traits.career, traits.practice, traits.pupil_focused) == (True, True, True)


@given(
    st.lists(
        st.sampled_from(
            [
                "Complete the NPQH by July 2027.",
                "[team] Moderate Year 6 writing each half term.",
                "[whole-school] Use the behaviour routine in every lesson.",
                "[set over disagreement] Raise Year 11 grades.",
                "[carried forward] Run the Year 4 reading group until July.",
                "Introduce retrieval quizzes for my Year 8 classes by Easter.",
            ]
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_set_reports_each_rule_at_most_once(parts: list[str]) -> None:
    found = _set_codes(" | ".join(parts))
    codes = [code for codes in found.values() for code in codes]

    assert len(codes) == len(set(codes))
    assert all(code.startswith("W") for code in codes)
