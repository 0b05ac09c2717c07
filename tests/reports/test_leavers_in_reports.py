"""Reports leave out people who had left before their as-of date (`has_left`, one check).

Little Brook (tests/reports/school.py) as of 1 February 2027, with Ben Bell (B) leaving on
15 January 2027: every report covers A, C and H; as of his last day it still covers him.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from devcycle.domain import CPDBudget, StaffMember, TrainingPlanEntry
from devcycle.reports import REPORT_NAMES, ReportData, ReportInputError, Scope, run
from devcycle.reports._base import on_roll, resolve

from .school import AS_OF, build

LAST_DAY = date(2027, 1, 15)


def _with_leaver(data: ReportData, leaving: date | None = LAST_DAY) -> ReportData:
    staff = tuple(attrs.evolve(p, leaving_date=leaving) if p.id == "B" else p for p in data.staff)
    return attrs.evolve(data, staff=staff)


@pytest.fixture(scope="module")
def data() -> ReportData:
    return _with_leaver(build())


SCOPED = [name for name in REPORT_NAMES if name != "voice"]
"""The reports stating whom they cover (staff voice shows anonymous groups only)."""


@pytest.mark.parametrize("name", SCOPED)
def test_every_report_counts_only_the_staff_still_there(data: ReportData, name: str) -> None:
    """Each report's scope holds A, C and H as of 1 February; B, gone in January, not."""
    report = run(name, data, as_of=AS_OF)

    assert report.scope.people == 3  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", SCOPED)
def test_on_their_last_day_they_are_still_counted(data: ReportData, name: str) -> None:
    """As of 15 January, B's last day, the reports still cover all four."""
    report = run(name, data, as_of=LAST_DAY)

    assert report.scope.people == 4  # type: ignore[attr-defined]


def test_the_progress_report_has_no_row_for_the_leaver(data: ReportData) -> None:
    """The leaver's cycle and objectives are not in the figures of the school."""
    before = run("progress", _with_leaver(build(), None), as_of=AS_OF)
    after = run("progress", data, as_of=AS_OF)

    assert {"A", "B", "C", "H"} >= {p.staff_id for p in before.people}
    assert "B" in {p.staff_id for p in before.people}
    assert "B" not in {p.staff_id for p in after.people}
    assert len(before.objectives) - 3 == len(after.objectives)  # B had three


def test_the_leavers_reviewer_load_is_gone(data: ReportData) -> None:
    """A reviewed B: as of February A reviews nobody still there."""
    view = resolve(data, None, AS_OF)

    assert ("lb", "A") not in view.cycles_by_reviewer
    assert ("lb", "A") in resolve(data, None, LAST_DAY).cycles_by_reviewer


def test_a_report_on_the_leaver_alone_says_when_they_left(data: ReportData) -> None:
    """Not "no member of staff 'B'": the message names the leaving date and what to do."""
    with pytest.raises(ReportInputError, match=r"left lb on 2027-01-15.*on or before 2027-01-15"):
        run("progress", data, as_of=AS_OF, scope=Scope(school_id="lb", person_id="B"))

    assert run("progress", data, as_of=LAST_DAY, scope=Scope(person_id="B")).scope.people == 1


def test_budget_staff_hours_count_the_same_staff_as_the_report() -> None:
    """A whole-school INSET's staff hours are its hours times the staff still there."""
    data = _with_leaver(build())
    school = attrs.evolve(
        data.schools[0],
        cpd_budgets=(CPDBudget("2026-27", date(2026, 9, 1), date(2027, 8, 31), Decimal(500)),),
    )
    inset = TrainingPlanEntry(
        id="inset-1",
        school_id="lb",
        title="Questioning INSET",
        dates=(date(2027, 2, 22),),
        owner_id="H",
        hours=2.0,
        level="whole-school",
    )
    data = attrs.evolve(data, schools=(school,), training_plan=(inset,))

    report = run("needs", data, as_of=AS_OF)

    (position,) = report.budgets
    assert report.scope.people * 2.0 == position.staff_hours
    assert position.staff_hours == 6.0


def test_has_left_is_after_the_last_day() -> None:
    """The one check: after the leaving date, not on it; no leaving date, never."""
    person = StaffMember(id="X", name="X", school_id="lb", roles={"teacher"})
    leaver = attrs.evolve(person, leaving_date=LAST_DAY)

    assert not person.has_left(date(2099, 1, 1))
    assert not leaver.has_left(LAST_DAY)
    assert leaver.has_left(date(2027, 1, 16))
    assert [person] == on_roll([person, leaver], date(2027, 1, 16))
