"""The engine: verdicts, structure over text, context, determinism, never raising."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.rules import SMART, CheckContext, Criterion, RuleSet, Severity, check

GOOD = (
    "By Easter, run a twice-weekly guided reading group for the 6 Year 4 pupils below "
    "age-related expectations, with reading ages tested in March."
)


def _objective(**fields: object) -> dc.Objective:
    values: dict[str, object] = {"id": "obj-1", "statement": "Run a homework club for 8R."}
    values.update(fields)
    return dc.Objective(**values)  # type: ignore[arg-type]


def test_a_sound_objective_is_clean() -> None:
    """A specific, measured, dated objective has every verdict and no findings."""
    result = check(GOOD)

    assert result.clean
    assert result.good
    assert {c.value for c in SMART} == set(result.verdicts)


def test_a_vague_aim_fails_specific_measurable_and_time_bound() -> None:
    """'Improve my teaching.' is vague, unmeasured and undated."""
    result = check("Improve my teaching.")

    assert {"S101", "M201", "T501"} <= {f.code for f in result.findings}
    assert not result.specific
    assert not result.measurable
    assert not result.time_bound
    assert result.achievable
    assert result.relevant


def test_a_bare_data_target_is_flagged_and_not_good() -> None:
    """'80% of pupils to achieve grade 5+' is a bare data target."""
    result = check("80% of pupils to achieve grade 5+ in maths.")

    assert result.data_target
    assert not result.good
    assert "P601" in {f.code for f in result.findings}


def test_a_data_target_with_named_pupils_and_approach_is_not_bare() -> None:
    """An outcome tied to named pupils, their need and an approach is not a bare target."""
    result = check(
        "Deliver phonics catch-up three times a week to the 6 Year 1 pupils who did not pass "
        "the autumn check; aim for at least 4 of them to reach the expected standard by June."
    )

    assert not result.data_target


def test_findings_carry_code_symbol_criterion_severity_message_fix_path_and_span() -> None:
    """Text findings point at the offending words."""
    text = "Improve my teaching."
    finding = next(f for f in check(text).findings if f.code == "S101")

    assert finding.symbol == "vague-aim"
    assert finding.criterion is Criterion.SPECIFIC
    assert finding.severity is Severity.ERROR
    assert finding.path == "$.statement"
    assert finding.span is not None
    assert text[finding.span[0] : finding.span[1]] == "Improve my teaching"
    assert finding.fix
    assert finding.to_dict()["span"] == list(finding.span)


def test_a_deadline_field_makes_an_undated_statement_time_bound() -> None:
    """Structure wins over text: a deadline field satisfies T501."""
    undated = check(_objective())
    dated = check(_objective(deadline=date(2027, 3, 31)))

    assert not undated.time_bound
    assert dated.time_bound


def test_success_criteria_make_an_unmeasured_statement_measurable() -> None:
    """Structure wins over text: success criteria satisfy M201 and the judge (M290)."""
    plain = check(_objective(statement="Support pupils with their reading in class by Easter."))
    measured = check(
        _objective(
            statement="Support pupils with their reading in class by Easter.",
            success_criteria=[dc.SuccessCriterion("12+ regular attendees on the register")],
        )
    )

    assert not plain.measurable
    assert measured.measurable
    assert measured.objective_id == "obj-1"


def test_a_deadline_outside_the_cycle_is_flagged_at_its_path() -> None:
    """T502 reads the deadline field against the cycle window."""
    context = CheckContext(window=(date(2026, 9, 1), date(2027, 8, 31)))
    result = check(_objective(deadline=date(2027, 12, 1)), context=context)

    finding = next(f for f in result.findings if f.code == "T502")
    assert finding.path == "$.deadline"
    assert not result.time_bound


def test_a_cycle_can_be_the_context() -> None:
    """Passing a Cycle gives its window and the owner's other objectives."""
    others = [_objective(id=f"obj-{n}", statement=f"Run club {n} for 8R.") for n in range(2, 6)]
    cycle = dc.Cycle(
        id="c1",
        school_id="s1",
        staff_id="T1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
        objectives=others,
    )
    result = check(_objective(deadline=date(2028, 1, 1)), context=cycle)

    assert {"T502", "P603"} <= {f.code for f in result.findings}


def test_context_from_cycle_uses_staff_school_and_cpd() -> None:
    """CheckContext.from_cycle takes the role, the policy limit and the CPD links."""
    staff = dc.StaffMember(id="T1", name="Ann", school_id="s1", roles={"teaching_assistant"})
    school = dc.School(
        id="s1",
        name="St Mary's",
        priorities=[dc.Priority(id="P1", title="Reading")],
        policy=dc.Policy(max_objectives=5),
    )
    objective = _objective(priority_ids=["P9"])
    cpd = dc.CPDActivity(
        id="a1",
        school_id="s1",
        title="Phonics training",
        kind=dc.CPDKind.COURSE,
        start=date(2026, 10, 1),
        objective_refs=[dc.ObjectiveRef(cycle_id="c1", objective_id="obj-1")],
    )
    cycle = dc.Cycle(
        id="c1",
        school_id="s1",
        staff_id="T1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
        objectives=[objective],
    )
    context = CheckContext.from_cycle(
        cycle, staff=staff, school=school, cpd=[cpd], objective_id="obj-1"
    )
    codes = {f.code for f in check(objective, context=context).findings}

    assert context.role is dc.Role.TEACHING_ASSISTANT
    assert context.max_objectives == 5
    assert "L701" not in codes
    assert "L703" in codes
    assert "L702" not in codes


def test_a_structured_objective_without_links_gets_link_findings() -> None:
    """No support, no CPD and no priority: L701 and L702."""
    codes = {f.code for f in check(_objective()).findings}

    assert {"L701", "L702"} <= codes


def test_a_bare_statement_gets_no_link_findings() -> None:
    """Links need structure: a bare statement cannot be blamed for them."""
    codes = {f.code for f in check(GOOD).findings}

    assert not any(code.startswith("L") for code in codes)


def test_a_ruleset_narrows_what_runs() -> None:
    """Only the selected rules report."""
    rules = RuleSet.builtin().select(["T"])

    assert {f.code for f in check("Improve my teaching.", ruleset=rules).findings} == {"T501"}


def test_role_mismatch_uses_the_context_role() -> None:
    """Whole-school results in a teaching assistant's objective are flagged; a head's are not."""
    text = "Raise whole-school reading results by July, reviewed in three book looks."

    assistant = check(text, context=CheckContext(role="teaching_assistant"))
    head = check(text, context=CheckContext(role="headteacher"))

    assert "A304" in {f.code for f in assistant.findings}
    assert "A304" not in {f.code for f in head.findings}


@given(st.text())
def test_any_string_is_checked_without_error_and_deterministically(text: str) -> None:
    """Any Unicode string is checked, twice to the same result, with spans inside the text."""
    first = check(text)
    second = check(text)

    assert first == second
    for finding in first.findings:
        if finding.span is not None:
            assert 0 <= finding.span[0] <= finding.span[1] <= len(text)


@given(
    st.lists(
        st.sampled_from(
            [
                "Improve",
                "80%",
                "of",
                "pupils",
                "by",
                "Easter",
                "all",
                "Year 4",
                "never",
                "weekly",
                "31/3/27",
                "x%",
                "staff",
                "pay",
                "reading",
                "run",
                "Ofsted",
                "\u2019",
                "\n",
                "grade 5+",
            ]
        ),
        max_size=30,
    )
)
def test_word_salad_from_the_lexicons_never_raises(words: list[str]) -> None:
    """Texts built from the lexicons' own words are checked without error."""
    result = check(" ".join(words))

    assert set(result.verdicts) == {c.value for c in SMART}


def test_check_cycle_checks_every_objective_with_its_context() -> None:
    """check_cycle keys assessments by objective id and applies the FTE-scaled limit."""
    objectives = [
        _objective(id=f"obj-{n}", statement=f"Run a homework club for 8R{n} by Easter.")
        for n in range(1, 4)
    ]
    cycle = dc.Cycle(
        id="c1",
        school_id="s1",
        staff_id="T1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
        objectives=objectives,
    )
    part_time = dc.StaffMember(id="T1", name="Ann", school_id="s1", roles={"teacher"}, fte=0.5)

    results = dc.rules.check_cycle(cycle, staff=part_time)
    full = dc.rules.check_cycle(cycle)

    assert list(results) == ["obj-1", "obj-2", "obj-3"]
    assert "P603" in {f.code for f in results["obj-1"].findings}
    assert "P603" not in {f.code for f in full["obj-1"].findings}


@given(
    st.builds(
        dc.Objective,
        id=st.just("obj-1"),
        statement=st.text(min_size=1).filter(str.strip),
        deadline=st.none() | st.dates(),
        success_criteria=st.lists(
            st.builds(dc.SuccessCriterion, st.text(min_size=1).filter(str.strip)), max_size=2
        ),
        priority_ids=st.lists(st.sampled_from(["P1", "P2"]), unique=True),
    ),
    st.none() | st.builds(CheckContext, window=st.just((date(2026, 9, 1), date(2027, 8, 31)))),
)
def test_any_structured_objective_is_checked_without_error(
    objective: dc.Objective, context: CheckContext | None
) -> None:
    """Structured objectives with any statement, deadline and criteria never raise."""
    result = check(objective, context=context)

    assert result.objective_id == "obj-1"
    if objective.deadline is not None and context is None:
        assert result.time_bound


def test_very_long_and_repetitive_text_is_checked() -> None:
    """Pathological input (long runs of punctuation or words) is checked without error."""
    for text in ("-" * 20_000, "a-" * 10_000, "every " * 5_000, "by the end of the " * 1_000):
        result = check(text)

        assert set(result.verdicts) == {c.value for c in SMART}


@pytest.fixture
def own_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checker's memo and whether its size was chosen, restored after the test."""
    from devcycle.rules import engine

    monkeypatch.setattr(engine, "_memo_chosen", False)
    monkeypatch.setattr(engine, "_assess_memo", engine._assess_memo)
    engine._resize(engine.MEMO_SIZE)


def _memo_size() -> int:
    from devcycle.rules import engine

    return int(engine._assess_memo.cache_parameters()["maxsize"] or 0)


@pytest.mark.usefixtures("own_memo")
def test_reserve_memo_grows_the_memo_never_shrinks_it_and_stops_at_the_limit() -> None:
    from devcycle.rules import engine, reserve_memo

    reserve_memo(100)
    assert _memo_size() == engine.MEMO_SIZE
    reserve_memo(engine.MEMO_SIZE + 1)
    assert _memo_size() == engine.MEMO_SIZE + 1
    reserve_memo(10)
    assert _memo_size() == engine.MEMO_SIZE + 1
    reserve_memo(10 * engine.MEMO_LIMIT)
    assert _memo_size() == engine.MEMO_LIMIT


@pytest.mark.usefixtures("own_memo")
def test_reserve_memo_leaves_a_size_the_application_chose() -> None:
    from devcycle.rules import reserve_memo, set_memo_size

    set_memo_size(0)
    reserve_memo(50_000)
    assert _memo_size() == 0


@pytest.mark.usefixtures("own_memo")
def test_a_report_reserves_the_memo_for_every_check_of_its_data() -> None:
    """The health check on a 50-school trust grew 19x for 10x the data: moderation and sets
    had filled a memo of 8,192 with 18,000 objectives' results, each evicted before the
    health check asked for it again; at 5 schools every result was still there. A small
    memo here stands for one smaller than the trust."""
    from devcycle.reports import ReportData, run
    from devcycle.rules import engine
    from devcycle.testing.store_contract import sample_school

    school, staff, cycles, cpd = sample_school("a")
    data = ReportData(schools=(school,), staff=tuple(staff), cycles=tuple(cycles), cpd=tuple(cpd))
    engine._resize(2)

    run("health", data, as_of=cycles[0].period_start)

    current = sum(len(c.objectives) for c in cycles)
    assert current
    assert _memo_size() == 3 * current


@pytest.mark.parametrize("blank", ["", "   ", "\n\t "])
def test_a_blank_statement_fails_what_it_lacks(blank: str) -> None:
    """A blank statement is left to the rules: the judge, which read nothing, outweighs none."""
    result = check(blank)

    assert result.verdicts["specific"] is False
    assert result.verdicts["measurable"] is False
    assert result.verdicts["time_bound"] is False
    codes = {f.code: f for f in result.findings}
    for code in ("S102", "M201", "T501"):
        assert codes[code].severity is Severity.ERROR
        assert "outweighed" not in codes[code].message


@pytest.mark.parametrize("value", [None, 123, ["Run a club."], b"Run a club."])
def test_a_statement_that_is_not_text_is_refused(value: object) -> None:
    """None, a number or a list is a ValidationError naming the argument, not checked as text."""
    with pytest.raises(dc.ValidationError, match="'objective_or_text' must be a statement"):
        check(value)  # type: ignore[arg-type]
