"""The priorities report: each KPI against the objectives, evidence and CPD linked to it."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle import domain
from devcycle.access import Actor
from devcycle.cli import main
from devcycle.cli.report import data_tables, to_csv, to_json, to_text
from devcycle.render import render
from devcycle.reports import (
    KPI_STATUSES,
    REPORT_NAMES,
    PrioritiesReport,
    PriorityKPIs,
    ReportData,
    Scope,
    kpi_progress,
    priorities,
    run,
)
from devcycle.reports._documents import day
from devcycle.services import Services
from devcycle.storage import open_store
from devcycle.testing.store_contract import sample_school

AS_OF = date(2027, 2, 1)


def _data() -> ReportData:
    """Two schools of a trust, the same ids everywhere (P1, P2, T1, cpd-1), different KPIs.

    school-a's P1 has a KPI whose name carries markup; school-b's P1 has none, and its P2
    has a KPI. Each school's T1 objective is on P1, T2's on P2; school-a's T1 has evidence.
    """
    schools, staff, cycles, cpd = [], [], [], []
    for school_id in ("school-a", "school-b"):
        school, people, own_cycles, activities = sample_school(school_id)
        if school_id == "school-a":
            reading = domain.KPI(
                "read",
                "Reading <script>alert(1)</script>",
                "%",
                baseline=60,
                target=80,
                due=date(2027, 7, 1),
                current=70,
                current_on=date(2027, 1, 20),
            )
            kpis = {"P1": (reading,), "P2": ()}
        else:
            kpis = {"P1": (), "P2": (domain.KPI("calc", "Times tables", "", 12, 20),)}
        priorities_ = tuple(attrs.evolve(p, kpis=kpis[p.id]) for p in school.priorities)
        schools.append(attrs.evolve(school, priorities=priorities_, trust_id="trust"))
        if school_id == "school-a":
            cycle = own_cycles[0]
            cycle.add_evidence(
                by="T1",
                on=date(2027, 1, 12),
                description="Reading ages, autumn",
                objective_ids=(cycle.objectives[0].id,),
            )
        staff += people
        cycles += own_cycles
        cpd += activities
    return ReportData(schools=schools, staff=staff, cycles=cycles, cpd=cpd)


def _by_key(report: PrioritiesReport) -> dict[tuple[str, str], PriorityKPIs]:
    return {(p.school_id, p.priority_id): p for p in report.priorities}


def test_each_kpi_is_set_between_baseline_and_target() -> None:
    report = priorities(_data(), as_of=AS_OF)

    p1 = _by_key(report)[("school-a", "P1")]
    [kpi] = p1.kpis
    assert (kpi.baseline, kpi.current, kpi.target) == (60, 70, 80)
    assert kpi.status == "on the way"
    assert kpi.progress == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("kpi", "status"),
    [
        (domain.KPI("k", "n", baseline=1, target=2, current=2, current_on=AS_OF), "met"),
        (domain.KPI("k", "n", baseline=9, target=2, current=2, current_on=AS_OF), "met"),
        (
            domain.KPI(
                "k", "n", baseline=1, target=2, current=1.5, current_on=AS_OF, due=date(2027, 1, 1)
            ),
            "missed",
        ),
        (domain.KPI("k", "n", baseline=1, target=2), "not measured"),
        (domain.KPI("k", "n", target=2, current=2, current_on=AS_OF), "no figures"),
    ],
)
def test_kpi_status(kpi: domain.KPI, status: str) -> None:
    assert kpi_progress("s", "P1", kpi, AS_OF).status == status


@given(
    baseline=st.floats(-1e6, 1e6),
    target=st.floats(-1e6, 1e6),
    current=st.floats(-1e6, 1e6),
)
def test_met_means_progress_of_at_least_the_whole_way(
    baseline: float, target: float, current: float
) -> None:
    """Whenever the target differs from the baseline, met is the same as progress >= 1."""
    kpi = domain.KPI("k", "n", baseline=baseline, target=target, current=current, current_on=AS_OF)
    shown = kpi_progress("s", "P", kpi, AS_OF)
    if baseline != target and shown.progress is not None and abs(shown.progress - 1) > 1e-9:
        assert (shown.status == "met") == (shown.progress >= 1)


@pytest.mark.parametrize(
    ("baseline", "target", "current", "status"),
    [
        (20, 5, 25, "moving away from target"),  # fewer incidents wanted, more measured
        (60, 80, 50, "moving away from target"),
        (20, 5, 20, "no change"),
        (20, 5, 12, "on the way"),
        (10, 10, 5, "below target"),  # a figure to hold, with no direction: below it
        (10, 10, 10, "met"),
        (10, 10, 12, "met"),
    ],
)
def test_a_kpi_going_the_wrong_way_is_never_on_the_way(
    baseline: float, target: float, current: float, status: str
) -> None:
    kpi = domain.KPI("k", "n", baseline=baseline, target=target, current=current, current_on=AS_OF)
    assert kpi_progress("s", "P", kpi, AS_OF).status == status


def test_a_kpi_not_met_by_its_due_date_is_missed_whichever_way_it_went() -> None:
    kpi = domain.KPI(
        "k", "n", baseline=20, target=5, current=25, current_on=AS_OF, due=date(2027, 1, 1)
    )
    assert kpi_progress("s", "P", kpi, AS_OF).status == "missed"


@given(
    due=st.dates(date(2026, 1, 1), date(2028, 12, 31)),
    as_of=st.dates(date(2026, 1, 1), date(2028, 12, 31)),
)
def test_a_kpi_past_its_due_date_with_no_figure_is_overdue(due: date, as_of: date) -> None:
    """A trial found a KPI due months ago with no figure recorded reading "not measured",
    like one not yet due: a head reading the report must see that it is overdue."""
    kpi = domain.KPI("k", "n", baseline=60, target=80, due=due)

    shown = kpi_progress("s", "P", kpi, as_of)

    assert shown.status == ("overdue" if as_of > due else "not measured")
    assert shown.trend == "not measured"
    assert (shown.current, shown.progress, shown.change) == (None, None, None)


def test_the_report_shows_an_overdue_kpi_and_counts_it() -> None:
    """Due on 1 Jan 2027, no figure by 1 Feb 2027; a figure measured later is not known."""
    unmeasured = domain.KPI("gone", "Attendance", "%", baseline=90, target=95, due=date(2027, 1, 1))
    later = domain.KPI(
        "late",
        "Behaviour points",
        baseline=40,
        target=20,
        due=date(2027, 1, 1),
        current=25,
        current_on=date(2027, 3, 1),
    )
    waiting = domain.KPI("soon", "Reading ages", baseline=1, target=2, due=date(2027, 7, 1))
    data = _data()
    schools = [
        attrs.evolve(
            school,
            priorities=[
                attrs.evolve(p, kpis=(unmeasured, later, waiting)) if p.id == "P1" else p
                for p in school.priorities
            ],
        )
        for school in data.schools
    ]
    data = attrs.evolve(data, schools=schools)

    report = priorities(data, as_of=AS_OF, scope=Scope(school_id="school-a"))

    [p1] = [p for p in report.priorities if p.priority_id == "P1"]
    assert [k.status for k in p1.kpis] == ["overdue", "overdue", "not measured"]
    text = to_text(report.to_document())
    for name in ("Attendance", "Behaviour points"):
        row = next(line for line in text.splitlines() if name in line)
        assert "overdue (not measured)" in row
        assert f"not measured by {day(AS_OF)}" in row
    row = next(line for line in text.splitlines() if "Reading ages" in line)
    assert "overdue" not in row
    assert "2 overdue, 1 not measured" in text


@pytest.mark.parametrize(
    ("baseline", "target", "current", "trend", "progress", "shown"),
    [
        (20, 5, 35, "moving away from target", 0.0, "0%"),  # -100%: 15 the wrong way
        (60, 80, 30, "moving away from target", 0.0, "0%"),
        (20, 5, 14, "on the way", 0.4, "40%"),
        (20, 5, 20, "no change", 0.0, "0%"),
        (10, 10, 5, "below target", None, "-"),
    ],
)
def test_a_missed_kpi_shows_no_negative_progress_and_says_how_it_was_missed(
    baseline: float, target: float, current: float, trend: str, progress: float | None, shown: str
) -> None:
    """A trial found "missed" beside a progress of -100%: progress is never below 0%, and
    the report says whether the KPI fell short on the way or went the wrong way."""
    kpi = domain.KPI(
        "k",
        "Incidents",
        baseline=baseline,
        target=target,
        current=current,
        current_on=AS_OF,
        due=date(2027, 1, 1),
    )

    result = kpi_progress("s", "P", kpi, AS_OF)

    assert (result.status, result.trend) == ("missed", trend)
    assert result.progress == (None if progress is None else pytest.approx(progress))
    if result.change is not None:
        assert (result.change < 0) == (trend == "moving away from target")
    data = _data()
    schools = [
        attrs.evolve(school, priorities=[attrs.evolve(p, kpis=(kpi,)) for p in school.priorities])
        for school in data.schools
    ]
    data = attrs.evolve(data, schools=schools)
    text = to_text(priorities(data, as_of=AS_OF).to_document())
    row = next(line for line in text.splitlines() if "Incidents" in line)
    assert f"missed ({trend})" in row
    assert f" {shown} " in f" {row} "
    assert "-100%" not in text


@given(
    baseline=st.floats(-1e6, 1e6),
    target=st.floats(-1e6, 1e6),
    current=st.floats(-1e6, 1e6),
)
def test_the_kpi_status_agrees_with_the_direction_of_travel(
    baseline: float, target: float, current: float
) -> None:
    """Met, on the way, no change or moving away, as the current figure lies by direction."""
    kpi = domain.KPI("k", "n", baseline=baseline, target=target, current=current, current_on=AS_OF)
    shown = kpi_progress("s", "P", kpi, AS_OF)
    assert shown.status in KPI_STATUSES
    if target == baseline:
        assert shown.progress is None
        assert shown.status == ("met" if current >= target else "below target")
        return
    up = target > baseline
    toward = (current - baseline) * (1 if up else -1)
    reached = (current >= target) if up else (current <= target)
    assert (shown.status == "met") == reached
    if not reached:
        away = "moving away from target"
        expected = "on the way" if toward > 0 else "no change" if toward == 0 else away
        assert shown.status == expected
    assert shown.progress is not None
    assert shown.change is not None
    assert shown.progress >= 0  # shown as progress: never below 0%
    assert (shown.change < 0) == (toward < 0)
    assert shown.progress == max(shown.change, 0)
    assert shown.trend == shown.status  # no due date: nothing is missed


def test_a_report_as_of_a_day_uses_only_figures_and_evidence_known_by_then() -> None:
    """school-a's KPI was measured on 20 Jan 2027 and its evidence is of 12 Jan 2027."""
    before = priorities(_data(), as_of=date(2027, 1, 10))
    p1 = _by_key(before)[("school-a", "P1")]
    [kpi] = p1.kpis
    assert (kpi.current, kpi.current_on, kpi.status, kpi.progress) == (
        None,
        None,
        "not measured",
        None,
    )
    assert (p1.evidence, p1.latest_evidence) == (0, None)
    assert [o.evidence for o in p1.objectives] == [0]
    text = to_text(before.to_document())
    assert f"not measured by {day(date(2027, 1, 10))}" in text
    assert "70%" not in text
    assert day(date(2027, 1, 12)) not in text

    between = _by_key(priorities(_data(), as_of=date(2027, 1, 15)))[("school-a", "P1")]
    assert (between.evidence, between.latest_evidence) == (1, date(2027, 1, 12))
    assert between.kpis[0].current is None

    after = _by_key(priorities(_data(), as_of=date(2027, 1, 20)))[("school-a", "P1")]
    assert (after.kpis[0].current, after.kpis[0].status) == (70, "on the way")


def test_two_schools_reusing_priority_ids_never_mix() -> None:
    """school-a's P1 has its T1 objective, evidence and KPI; school-b's P1 only its own."""
    report = priorities(_data(), as_of=AS_OF)
    rows = _by_key(report)

    a1, b1 = rows[("school-a", "P1")], rows[("school-b", "P1")]
    assert [(o.school_id, o.staff_id) for o in a1.objectives] == [("school-a", "T1")]
    assert [(o.school_id, o.staff_id) for o in b1.objectives] == [("school-b", "T1")]
    assert (a1.evidence, b1.evidence) == (1, 0)
    assert a1.latest_evidence == date(2027, 1, 12)
    assert b1.latest_evidence is None
    assert [k.id for k in a1.kpis] == ["read"]
    assert b1.kpis == ()
    assert a1.cpd == (("cpd-1", "Phonics training"),)
    assert dict(a1.by_status) == {"agreed": 1}

    only_b = priorities(_data(), as_of=AS_OF, scope=Scope(school_id="school-b"))
    assert {p.school_id for p in only_b.priorities} == {"school-b"}
    assert "alert(1)" not in to_text(only_b.to_document())


def test_flags_priorities_with_kpis_but_no_objective_and_counts_objectives_without_kpi() -> None:
    data = _data()
    school = data.schools[0]
    with_extra = attrs.evolve(
        school,
        priorities=(
            *school.priorities,
            domain.Priority(
                "P3", "Attendance", kpis=[domain.KPI("att", "Attendance", "%", 94, 96)]
            ),
        ),
    )
    report = priorities(attrs.evolve(data, schools=(with_extra, data.schools[1])), as_of=AS_OF)

    assert [(p.school_id, p.priority_id) for p in report.flagged] == [("school-a", "P3")]
    # school-a P2 (T2's objective) and school-b P1 (T1's) have objectives and no KPI
    assert report.objectives_without_kpi == 2
    text = to_text(report.to_document())
    assert "P3 Attendance (School school-a): 1 KPI, no objective linked" in text
    assert "2 objectives linked to a priority with no KPI" in text


def test_a_person_scope_shows_only_their_objectives() -> None:
    report = priorities(_data(), as_of=AS_OF, scope=Scope(school_id="school-a", person_id="T2"))

    linked = [o for p in report.priorities for o in p.objectives]
    assert [(o.staff_id, o.school_id) for o in linked] == [("T2", "school-a")]


def test_every_format_carries_the_kpis_with_user_text_escaped() -> None:
    report = run("priorities", _data(), as_of=AS_OF, scope=Scope(school_id="school-a"))
    document = report.to_document()

    html = render(document, "html").decode()
    assert "<script>alert(1)</script>" not in html
    assert "Reading &lt;script&gt;" in html
    assert "60%" in html
    assert "70%" in html
    assert "80%" in html
    markdown = render(document, "markdown").decode()
    assert "\\<script>" in markdown
    with zipfile.ZipFile(io.BytesIO(render(document, "docx"))) as archive:
        word = archive.read("word/document.xml").decode()
    assert "on the way" in word
    assert "on the way" in to_text(document)
    assert '"status": "on the way"' in to_json("priorities", report)
    tables = data_tables("priorities", report)
    columns, rows = tables["priorities-kpis"]
    row = dict(zip(columns, rows[0], strict=True))
    assert (row["baseline"], row["current"], row["target"]) == ("60.0", "70.0", "80.0")
    assert "priorities-objectives" in tables
    assert to_csv("priorities", report).splitlines()[0].startswith("priorities.school_id")


def test_priorities_is_a_named_report() -> None:
    assert "priorities" in REPORT_NAMES


def test_the_cli_report_runs_on_the_demo_and_a_reviewee_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo's KPIs come out of the store; a reviewee may not run reports (status 2)."""
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--store", url]) == 0
    assert (tmp_path / "devcycle-reports" / "priorities.html").exists()
    capsys.readouterr()

    args = ["report", "priorities", "--store", url, "--school", "oakfield"]
    assert main([*args, "--as-of", "2027-02-12"]) == 0
    out = capsys.readouterr().out
    assert "KS2 reading at the expected standard" in out
    assert "72% (30\u00a0Jan\u00a02027)" in out

    status = main([*args, "--as-of", "2027-02-12", "--as", "reviewee", "--user", "T010"])
    captured = capsys.readouterr()
    assert status == 2
    assert "the policy does not let a reviewee report" in captured.err
    assert "Traceback" not in captured.err
    assert "KS2 reading" not in captured.out


def test_without_individual_objectives_only_counts_are_shown() -> None:
    """A reader the policy keeps from objectives sees counts, never whose or what."""
    report = priorities(_data(), as_of=AS_OF, scope=Scope(school_id="school-a"), individual=False)
    rows = _by_key(report)

    a1 = rows[("school-a", "P1")]
    assert (a1.objective_count, a1.staff_count, a1.objectives, a1.staff_ids) == (1, 1, (), ())
    assert dict(a1.by_status) == {"agreed": 1}
    document = report.to_document()
    for shown in (
        to_text(document),
        render(document, "html").decode(),
        render(document, "markdown").decode(),
        to_json("priorities", report),
        "".join(
            ",".join(map(",".join, rows)) for _, rows in data_tables("priorities", report).values()
        ),
    ):
        assert "Improve reading fluency" not in shown
        assert "Teacher one" not in shown
    assert "Individual objectives are not shown" in to_text(document)


def test_services_give_individual_objectives_only_to_a_role_that_reads_them() -> None:
    """Through the policy: the headteacher sees each objective, a trust leader counts only."""
    data = _data()
    store = open_store("memory://")
    with store.transaction() as tx:
        for school in data.schools:
            tx.schools.add(school)
        for member in data.staff:
            tx.staff.add(member)
        for cycle in data.cycles:
            tx.cycles.add(cycle)
        tx.commit()
    services = Services(store)
    head = Actor("H1", "headteacher", school_id="school-a")
    leader = Actor("L1", "trust_leader", trust_id="trust")

    seen = services.report(head, "priorities", "school-a", as_of=AS_OF)
    counted = services.report(leader, "priorities", "school-a", as_of=AS_OF)

    assert seen.individual
    assert [o.staff_id for p in seen.priorities for o in p.objectives] == ["T1", "T2"]
    assert not counted.individual
    assert [p.objective_count for p in counted.priorities] == [1, 1]
    assert all(p.objectives == () for p in counted.priorities)


def test_the_cli_gives_a_trust_leader_counts_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trust leader (who reads milestones only) sees the KPIs and counts, no objective."""
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--store", url]) == 0
    capsys.readouterr()
    args = ["report", "priorities", "--store", url, "--school", "oakfield", "--as-of", "2027-02-12"]
    leader = ["--as", "trust_leader", "--user", "L1", "--trust-id", "riverside-trust"]

    assert main([*args, *leader]) == 0
    out = capsys.readouterr().out
    assert "KS2 reading at the expected standard" in out
    assert "Individual objectives are not shown" in out
    assert "Grace Okafor" not in out
    assert "whole-school reading" not in out
