"""The health and compliance reports flag open cycles nobody reviews, in every format.

A cycle with no reviewer, or whose reviewer had left by the as-of date, has nobody to agree
its objectives or hold its reviews: the headteacher is told whose it is, what is wrong and
what to do, whatever the share of cycles that are fine.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import attrs
import pytest

from devcycle.cli.report import data_tables, to_json, to_text
from devcycle.demo import build_demo
from devcycle.domain import Cycle, CycleStatus, Role, missing_reviewer
from devcycle.render import get_renderer
from devcycle.reports import ReportData, Status, UnreviewedCycle, health, overdue

from .school import AS_OF, build

LAST_DAY = date(2027, 1, 15)
"""Ben Bell's last day; he reviews Cat Cole."""


def _little_brook(*, ben_leaves: bool = True) -> ReportData:
    data = build()
    staff = tuple(
        attrs.evolve(p, leaving_date=LAST_DAY) if p.id == "B" and ben_leaves else p
        for p in data.staff
    )
    return attrs.evolve(data, staff=staff)


def _demo(*, without_reviewer: int = 0) -> tuple[ReportData, date, Cycle]:
    demo = build_demo(2026)
    cycles = list(demo.cycles)
    open_at = [
        i
        for i, c in enumerate(cycles)
        if c.status is not CycleStatus.CLOSED and c.period_start <= demo.as_of <= c.period_end
    ]
    chosen = cycles[open_at[without_reviewer]]
    cycles[open_at[without_reviewer]] = attrs.evolve(chosen, reviewer_id=None)
    data = ReportData(schools=(demo.school,), staff=demo.staff, cycles=cycles, cpd=demo.cpd)
    return data, demo.as_of, chosen


def test_a_reviewer_who_has_left_is_flagged_with_the_cycle_they_leave() -> None:
    """Cat Cole's reviewer Ben Bell left on 15 January: her cycle is listed, his date named."""
    report = health(_little_brook(), as_of=AS_OF)

    assert report.unreviewed == (
        UnreviewedCycle(
            "lb", "C", "Cat Cole", "c-C", "reviewer Ben Bell (B) left on 2027-01-15", "B", LAST_DAY
        ),
    )
    item = report.item("every-cycle-reviewed")
    assert (item.status, item.met, item.total) == (Status.FAIL, 1, 2)
    assert "Cat Cole (reviewer Ben Bell (B) left on 2027-01-15)" in item.evidence


def test_one_cycle_without_a_reviewer_fails_the_point_whatever_the_share() -> None:
    """In the demo school one of 14 open cycles with no reviewer is not met, not partly met."""
    data, as_of, chosen = _demo()

    report = health(data, as_of=as_of)

    item = report.item("every-cycle-reviewed")
    assert item.status is Status.FAIL
    assert item.total - 1 == item.met
    assert [(u.cycle_id, u.problem) for u in report.unreviewed] == [(chosen.id, "no reviewer")]
    assert item.action in report.next_steps


def test_nothing_is_flagged_while_every_reviewer_is_there() -> None:
    """As of Ben's last day he still reviews Cat: no finding, no section, the point met."""
    report = health(_little_brook(), as_of=LAST_DAY)
    late = overdue(_little_brook(), as_of=LAST_DAY)

    assert () == report.unreviewed == late.unreviewed
    assert report.item("every-cycle-reviewed").status is Status.PASS
    assert "Cycles nobody reviews" not in to_text(report.to_document())
    assert "Cycles nobody reviews" not in to_text(late.to_document())


def test_a_closed_cycle_needs_no_reviewer() -> None:
    """Only open cycles are flagged: a closed one with no reviewer is history."""
    data = _little_brook(ben_leaves=False)
    cycles = tuple(
        attrs.evolve(c, reviewer_id=None, status=CycleStatus.CLOSED) if c.staff_id == "C" else c
        for c in data.cycles
    )
    data = attrs.evolve(data, cycles=cycles)

    assert health(data, as_of=AS_OF).unreviewed == ()


def _texts(name: str, document_bytes: bytes) -> str:
    if name == "docx":
        with zipfile.ZipFile(io.BytesIO(document_bytes)) as archive:
            return archive.read("word/document.xml").decode("utf-8")
    return document_bytes.decode("utf-8")


@pytest.mark.parametrize("report_name", ["health", "overdue"])
@pytest.mark.parametrize("fmt", ["md", "html", "docx", "json"])
def test_every_renderer_shows_the_finding(report_name: str, fmt: str) -> None:
    """Each format of both reports names the person, the cycle, the problem and the fix."""
    run = health if report_name == "health" else overdue
    report = run(_little_brook(), as_of=AS_OF)
    body = get_renderer(fmt).render(report.to_document())

    text = _texts(fmt, body)

    assert "Cycles nobody reviews" in text
    assert "Cat Cole" in text
    assert "left on 2027-01-15" in text
    assert "Give Cat Cole a reviewer still at the school in place of B" in text
    assert "devcycle person reassign B --school lb --cycle c-C --to STAFF" in text
    assert "assign_reviewer" not in text  # an API action's name is no advice (a user trial)


@pytest.mark.parametrize("report_name", ["health", "overdue"])
def test_the_command_lines_text_and_json_show_it(report_name: str) -> None:
    """``devcycle report health|overdue`` as text, JSON and CSV (the typed result) carry it."""
    run = health if report_name == "health" else overdue
    report = run(_little_brook(), as_of=AS_OF)

    text = to_text(report.to_document())
    plain = json.loads(to_json(report_name, report))

    assert "Cat Cole" in text
    assert "reviewer Ben Bell (B) left on 2027-01-15" in text
    assert plain["unreviewed"] == [
        {
            "school_id": "lb",
            "staff_id": "C",
            "name": "Cat Cole",
            "cycle_id": "c-C",
            "problem": "reviewer Ben Bell (B) left on 2027-01-15",
            "reviewer_id": "B",
            "reviewer_left": "2027-01-15",
            "by_governors": False,
        }
    ]
    columns, rows = data_tables(report_name, report)["unreviewed"]  # a CSV of the zip
    assert rows == [
        (
            "lb",
            "C",
            "Cat Cole",
            "c-C",
            "reviewer Ben Bell (B) left on 2027-01-15",
            "B",
            "2027-01-15",
            "false",
        )
    ]
    assert "reviewer_left" in columns


def test_the_terminal_summary_lists_them() -> None:
    """The health check's few lines for a terminal (the demo's summary) list them too."""
    summary = health(_little_brook(), as_of=AS_OF).summary()

    assert "Cycles nobody reviews (1):" in summary
    assert "Cat Cole, cycle c-C: reviewer Ben Bell (B) left on 2027-01-15" in summary


def test_the_compliance_summary_counts_them() -> None:
    """The compliance report's summary line counts them beside the overdue milestones."""
    text = to_text(overdue(_little_brook(), as_of=AS_OF).to_document())

    assert "1 open cycle with no reviewer still at the school" in text


def test_a_reviewer_not_on_the_staff_is_flagged_but_not_the_heads_governor() -> None:
    """The same rule as ``devcycle school show``: a stray reviewer id is flagged, except a
    governor reviewing the headteacher from outside the staff."""
    data = _little_brook(ben_leaves=False)
    head_cycle = attrs.evolve(
        next(c for c in data.cycles if c.staff_id == "A"),
        id="c-H",
        staff_id="H",
        reviewer_id="GOV1",
    )
    cycles = tuple(
        attrs.evolve(c, reviewer_id="X9") if c.staff_id == "C" else c for c in data.cycles
    )
    data = attrs.evolve(data, cycles=(*cycles, head_cycle))

    report = health(data, as_of=AS_OF)

    assert [(u.cycle_id, u.problem) for u in report.unreviewed] == [
        ("c-C", "reviewer X9 is not on the staff")
    ]
    assert report.unreviewed == overdue(data, as_of=AS_OF).unreviewed


def test_the_reports_and_the_command_line_share_one_rule() -> None:
    """`devcycle school show` and the reports both ask `devcycle.domain.missing_reviewer`."""
    from devcycle.cli import _reviewers

    assert _reviewers.missing_reviewer is missing_reviewer


def _headless() -> ReportData:
    """Little Brook with nobody reviewing its headteacher's cycle (nor Cat Cole's)."""
    data = _little_brook(ben_leaves=False)
    heads = {p.id for p in data.staff if p.has_role(Role.HEADTEACHER)}
    assert heads, "the little school has a headteacher"
    cycles = [
        c if c.staff_id in heads | {"C"} else attrs.evolve(c, status=CycleStatus.CLOSED)
        for c in data.cycles
    ]
    start, end = date(2026, 9, 1), date(2027, 8, 31)
    cycles += [
        Cycle(id=f"c-{head}", school_id="lb", staff_id=head, period_start=start, period_end=end)
        for head in heads
        if all(c.staff_id != head for c in cycles)
    ]
    cycles = [attrs.evolve(c, reviewer_id=None) for c in cycles]
    return attrs.evolve(data, cycles=tuple(cycles))


def test_a_headteacher_nobody_reviews_is_told_to_record_their_governor() -> None:
    """Before: "Assign ... a reviewer still at the school (assign_reviewer on cycle ...)",
    an API name, and wrong for a head, whom governors appraise."""
    report = health(_headless(), as_of=AS_OF)

    actions = {u.staff_id: (u.by_governors, u.action) for u in report.unreviewed}
    head = next(sid for sid, (governed, _) in actions.items() if governed)
    cycle = next(u.cycle_id for u in report.unreviewed if u.staff_id == head)
    assert actions[head][1].startswith("Record the governor who appraises ")
    assert actions[head][1].endswith(
        f"devcycle person reassign --school lb --cycle {cycle} --to GOVERNOR_ID"
    )
    assert actions["C"] == (
        False,
        "Give Cat Cole a reviewer still at the school: "
        "devcycle person reassign --school lb --cycle c-C --to STAFF_ID",
    )
    for fmt in ("md", "html"):
        text = _texts(fmt, get_renderer(fmt).render(report.to_document()))
        assert "Record the governor who appraises" in text
        assert "assign_reviewer" not in text


def test_the_health_point_s_advice_names_no_api_action() -> None:
    """The shipped point's action is plain words for a headteacher, governors included."""
    action = health(_headless(), as_of=AS_OF).item("every-cycle-reviewed").action

    assert "assign_reviewer" not in action
    assert "governor who appraises them" in action
    assert "devcycle person reassign" in action
