"""The whole-set report: practice and career, own and shared, proposed or imposed, per group."""

from __future__ import annotations

from datetime import date

import pytest
from tests.reports import school

from devcycle.domain import ObjectiveStatus
from devcycle.render import render, renderer_names
from devcycle.reports import ReportData, SetCounts, SetPolicy, objective_sets, run
from devcycle.reports._sets import proposed_by_person
from devcycle.rules import CheckConfig, SetThresholds


def _data() -> ReportData:
    return school.build()


def test_counts_add_up_from_people_to_groups() -> None:
    report = objective_sets(_data(), as_of=school.AS_OF)
    whole = next(g for g in report.groups if g.group.kind == "school")

    assert whole.counts == sum((p.counts for p in report.people), SetCounts())
    assert report.total.objectives == sum(
        1
        for c in _data().cycles
        for o in c.objectives
        if o.status is not ObjectiveStatus.DRAFT and c.period_end >= school.AS_OF
    )


def test_proposed_by_the_person_is_read_from_the_history() -> None:
    data = _data()
    for cycle in data.cycles:
        for objective in cycle.objectives:
            first = next(
                h
                for h in cycle.history
                if h.target == f"objective:{objective.id}" and h.from_state == "new"
            )
            assert proposed_by_person(cycle, objective) == (first.by == cycle.staff_id)


def test_group_findings_follow_the_policy() -> None:
    strict = SetPolicy(min_proposed_share=1.0, min_career_share=1.0)
    loose = SetPolicy(min_career_share=0.0, min_pupil_share=0.0, min_new_share=0.0)
    found = objective_sets(_data(), as_of=school.AS_OF, policy=strict)
    lenient = objective_sets(_data(), as_of=school.AS_OF, policy=loose)

    assert any(f.code == "few-career" for f in found.findings)
    assert not any(f.code == "few-career" for f in lenient.findings)
    assert all(f.action for f in found.findings)


def test_person_findings_are_the_checkers_with_the_schools_thresholds() -> None:
    off = CheckConfig(set_thresholds=SetThresholds(min_career=0, min_pupil_focused=0))
    default = objective_sets(_data(), as_of=school.AS_OF)
    quiet = objective_sets(_data(), as_of=school.AS_OF, config=off)

    people = [f for p in default.people for f in p.findings]
    assert all(f.code.startswith("W") for f in people)
    assert not any(f.code in {"W802", "W805"} for p in quiet.people for f in p.findings)


@pytest.mark.parametrize("fmt", renderer_names())
def test_the_report_renders_in_every_format(fmt: str) -> None:
    if fmt == "docx":
        pytest.importorskip("docx")
    document = run("sets", _data(), as_of=school.AS_OF).to_document()

    assert render(document, fmt)


def test_demo_school_has_sets_and_the_document_names_each_section() -> None:
    from devcycle.demo import build_demo

    demo = build_demo()
    data = ReportData(schools=(demo.school,), staff=demo.staff, cycles=demo.cycles, cpd=demo.cpd)
    report = objective_sets(data, as_of=demo.as_of)
    text = render(report.to_document(), "markdown").decode()

    assert report.total.objectives > 0
    for title in ("Summary", "Findings", "Teams and schools", "People"):
        assert f"## {title}" in text
    assert report.scope.as_of == date(2027, 2, 12)
