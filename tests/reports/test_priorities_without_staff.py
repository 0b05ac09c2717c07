"""The priorities report on a school that has priorities but no staff (or no cycles) yet.

A headteacher sets the improvement plan's priorities and KPIs before the staff list is
loaded; ``devcycle report priorities`` refused the school ("no staff to report on"). The
KPIs are the school's, so the report is given, empty where there is nothing: no objective,
no evidence, no CPD (issue: priorities report refuses a school without staff).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle import domain
from devcycle.access import Actor
from devcycle.cli import main
from devcycle.cli.report import data_tables, to_csv, to_json, to_text
from devcycle.render import render
from devcycle.reports import ReportData, ReportInputError, Scope, priorities, progress, run
from devcycle.services import Services
from devcycle.storage import open_store

AS_OF = date(2027, 2, 1)
READING = domain.KPI(
    "K1",
    "KS2 reading at the expected standard",
    "%",
    baseline=60,
    target=80,
    current=66,
    current_on=date(2027, 1, 10),
)
SCHOOL = domain.School(
    id="oak",
    name="Oak Primary",
    teams=(domain.Team("ks2", "Key Stage 2"),),
    priorities=(
        domain.Priority("P1", "Reading", kpis=(READING,)),
        domain.Priority("P2", "Attendance"),
    ),
)
TEACHER = domain.StaffMember(id="T1", name="Tess", school_id="oak", roles={"teacher"})


def _empty(staff: tuple[domain.StaffMember, ...] = ()) -> ReportData:
    return ReportData(schools=(SCHOOL,), staff=staff, cycles=())


@pytest.mark.parametrize("staff", [(), (TEACHER,)], ids=["no staff", "no cycles"])
def test_a_school_with_priorities_and_no_staff_or_cycles_is_reported(
    staff: tuple[domain.StaffMember, ...],
) -> None:
    report = priorities(_empty(staff), as_of=AS_OF, scope=Scope(school_id="oak"))

    assert [p.priority_id for p in report.priorities] == ["P1", "P2"]
    (kpi,) = report.priorities[0].kpis
    assert (kpi.current, kpi.status) == (66, "on the way")
    assert all(p.objective_count == 0 and p.objectives == () for p in report.priorities)
    assert report.scope.people == len(staff)
    document = report.to_document()
    text = to_text(document)
    assert "KS2 reading at the expected standard" in text
    for shown in (render(document, "html"), render(document, "markdown"), render(document, "docx")):
        assert shown
    assert "KS2 reading" in to_json("priorities", report)
    assert "KS2 reading" in to_csv("priorities", report)
    assert data_tables("priorities", report)["priorities-objectives"][1] == []


def test_the_whole_trust_without_staff_is_reported_too() -> None:
    assert run("priorities", _empty(), as_of=AS_OF).priorities


def test_other_reports_still_refuse_a_school_without_staff() -> None:
    """People reports have nothing to say about nobody: they keep the clear refusal."""
    with pytest.raises(ReportInputError, match="no staff to report on"):
        progress(_empty(), as_of=AS_OF)


def test_an_empty_team_and_a_date_outside_every_cycle_are_still_refused() -> None:
    with pytest.raises(ReportInputError):
        priorities(_empty(), as_of=AS_OF, scope=Scope(school_id="oak", team_id="ks2"))
    cycle = domain.Cycle(
        id="c1",
        school_id="oak",
        staff_id="T1",
        period_start=date(2025, 9, 1),
        period_end=date(2026, 8, 31),
    )
    data = ReportData(schools=(SCHOOL,), staff=(TEACHER,), cycles=(cycle,))
    with pytest.raises(ReportInputError, match="outside every cycle"):
        priorities(data, as_of=AS_OF)


def test_services_and_the_cli_report_a_school_without_staff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'oak.db'}"
    with open_store(url) as store:
        services = Services(store)
        services.save_school(Actor.system(), SCHOOL)
        stored = services.report(Actor.system(), "priorities", "oak", as_of=AS_OF)
        assert stored.priorities[0].kpis[0].name == READING.name
    capsys.readouterr()

    code = main(
        ["report", "priorities", "--store", url, "--school", "oak", "--as-of", "2027-02-01"]
    )

    out, err = capsys.readouterr()
    assert code == 0, err
    assert "KS2 reading at the expected standard" in out
    assert "Staff in scope: 0" in out


@settings(max_examples=30, deadline=None)
@given(
    figures=st.lists(
        st.tuples(
            st.integers(0, 100), st.integers(0, 100), st.one_of(st.none(), st.integers(0, 100))
        ),
        min_size=0,
        max_size=4,
    )
)
def test_any_kpis_of_a_school_without_staff_are_all_reported(
    figures: list[tuple[int, int, int | None]],
) -> None:
    """Property: every KPI comes back, in every format, whatever its figures."""
    kpis = tuple(
        domain.KPI(
            f"K{i}",
            f"measure {i}",
            "%",
            baseline=base,
            target=target,
            current=now,
            current_on=date(2027, 1, 5) if now is not None else None,
        )
        for i, (base, target, now) in enumerate(figures)
    )
    school = domain.School(
        id="oak", name="Oak", priorities=(domain.Priority("P1", "R", kpis=kpis),)
    )

    report = priorities(ReportData(schools=(school,), staff=(), cycles=()), as_of=AS_OF)

    assert [k.id for k in report.priorities[0].kpis] == [k.id for k in kpis]
    text = to_text(report.to_document())
    assert all(f"measure {i}" in text for i in range(len(kpis)))
