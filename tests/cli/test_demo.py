"""``devcycle demo``: a realistic school, a health check, and the HTML reports."""

from __future__ import annotations

from pathlib import Path

import html5lib
import pytest

from devcycle import MilestoneKind, Role
from devcycle.cli import main
from devcycle.demo import build_demo
from devcycle.domain.scheduling import at_a_glance
from devcycle.reports import REPORT_NAMES


def test_the_demo_school_covers_every_role_and_a_closed_cycle() -> None:
    """At least 12 staff across the roles, 3 priorities, 2-3 objectives each, one closed cycle."""
    sample = build_demo(2026)

    roles = {role for member in sample.staff for role in member.roles}
    assert len(sample.staff) >= 12
    assert roles >= set(Role) - {Role.TRAINEE_TEACHER}
    assert len(sample.school.priorities) == 3
    assert [c.id for c in sample.cycles if c.is_closed] == ["2025-T006"]
    current = [c for c in sample.cycles if not c.is_closed]
    assert all(2 <= len(c.live_objectives) <= 3 for c in current)
    assert all(c.milestones for c in current)


def test_demo_milestones_come_from_each_role_s_template() -> None:
    """Teachers get the England teacher cycle; ECTs the induction; two people are overdue."""
    sample = build_demo(2026)
    by_staff = {c.staff_id: c for c in sample.cycles if not c.is_closed}

    assert by_staff["T006"].template_id == "england-teacher"
    assert by_staff["E009"].template_id == "england-ect-induction"
    assert by_staff["H001"].template_id == "england-headteacher"
    assert any(m.kind is MilestoneKind.PROGRESS_REVIEW for m in by_staff["E009"].milestones)
    overdue = {row.staff_id for row in at_a_glance(sample.cycles, sample.as_of) if row.overdue}
    assert overdue == {"T007", "U014"}


def test_demo_prints_a_health_check_and_writes_every_report_as_html(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo saves to SQLite, prints the score and points, and writes eight valid pages."""
    monkeypatch.chdir(tmp_path)

    status = main(["demo", "--store", f"sqlite:///{tmp_path / 'demo.db'}"])

    out = capsys.readouterr().out
    assert status == 0
    assert "Process health check: Oakfield Primary & Nursery" in out
    assert "/100" in out
    pages = sorted(p.name for p in (tmp_path / "devcycle-reports").glob("*.html"))
    assert pages == sorted(f"{name}.html" for name in REPORT_NAMES)
    parser = html5lib.HTMLParser(strict=True)
    parser.parse((tmp_path / "devcycle-reports" / "health.html").read_bytes())
