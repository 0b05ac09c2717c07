"""Scopes, bad input and the demo summary."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from tests.reports import school

from devcycle.domain import School, StaffMember, Team
from devcycle.errors import NotFoundError
from devcycle.reports import (
    REPORT_NAMES,
    ReportData,
    ReportInputError,
    Scope,
    demo_summary,
    progress,
    run,
)


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_an_as_of_date_outside_every_cycle_is_refused_by_every_report(name: str) -> None:
    """Every report refuses a date before every cycle, naming the periods."""
    with pytest.raises(ReportInputError, match=r"outside every cycle.*2026-09-01 to 2027-08-31"):
        run(name, school.build(), as_of=date(2020, 1, 1))


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_an_unknown_team_is_refused_by_every_report(name: str) -> None:
    """Every report refuses an unknown team and lists the known ones."""
    with pytest.raises(NotFoundError, match=r"no team 'maths' \(known: t1, t2\)"):
        run(name, school.build(), as_of=school.AS_OF, scope=Scope(team_id="maths"))


def test_an_empty_school_is_refused() -> None:
    """A school with no staff says so and what to do, rather than reporting nothing."""
    data = ReportData(schools=[School(id="new", name="New School")], staff=(), cycles=())

    with pytest.raises(ReportInputError, match=r"New School \(new\): no staff to report on"):
        progress(data, as_of=school.AS_OF)


def test_no_schools_at_all_is_refused() -> None:
    """Data with no schools says what to load."""
    with pytest.raises(ReportInputError, match="no schools to report on"):
        progress(ReportData(schools=(), staff=(), cycles=()), as_of=school.AS_OF)


def test_a_school_whose_staff_have_no_cycles_is_refused() -> None:
    """Staff but no cycles: plan cycles first."""
    data = ReportData(
        schools=[School(id="new", name="New School")],
        staff=[StaffMember(id="X", name="Xena", school_id="new", roles={"teacher"})],
        cycles=(),
    )

    with pytest.raises(ReportInputError, match="nobody in scope has a cycle"):
        progress(data, as_of=school.AS_OF)


def test_a_team_with_no_members_is_refused() -> None:
    """A team nobody belongs to is named, with how to fix it."""
    data = school.build()
    empty = attrs.evolve(data.schools[0], teams=(*data.schools[0].teams, Team("t3", "Empty")))
    data = attrs.evolve(data, schools=(empty,))

    with pytest.raises(ReportInputError, match=r"team 'Empty' \(t3\).*has no members"):
        progress(data, as_of=school.AS_OF, scope=Scope(team_id="t3"))


def test_an_unknown_school_or_person_is_refused() -> None:
    """Unknown ids raise NotFoundError naming what is known."""
    with pytest.raises(NotFoundError, match="no school 'x'"):
        progress(school.build(), as_of=school.AS_OF, scope=Scope(school_id="x"))
    with pytest.raises(NotFoundError, match="no member of staff 'Z'"):
        progress(school.build(), as_of=school.AS_OF, scope=Scope(person_id="Z"))


def test_a_team_and_a_person_together_are_refused() -> None:
    """A scope is a person or a team, not both."""
    with pytest.raises(ReportInputError, match="not both"):
        Scope(team_id="t1", person_id="A")


def test_an_unknown_report_name_is_refused() -> None:
    """run() names the reports there are."""
    with pytest.raises(ReportInputError, match="choose one of coverage, priorities, progress"):
        run("gossip", school.build(), as_of=school.AS_OF)


def test_a_person_without_a_cycle_is_reported_not_refused() -> None:
    """The head has no cycle of their own but the school has cycles: they appear uncoloured."""
    report = progress(school.build(), as_of=school.AS_OF, scope=Scope(person_id="H"))

    assert report.people[0].colour is None
    assert report.people[0].reason == "no cycle covers 2027-02-01"
    assert report.groups == ()


def test_the_demo_summary_has_every_report_and_a_health_check_to_print() -> None:
    """demo_summary returns a document per report and the health check's text."""
    summary = demo_summary(school.build(), as_of=school.AS_OF)

    assert list(REPORT_NAMES) == list(summary.documents)
    assert summary.text.startswith("Process health check: Little Brook Primary")
    assert 0 <= summary.health.score <= 100


def test_a_team_id_two_schools_use_needs_the_school() -> None:
    """Across a trust, a team id used by two schools asks for --school as well."""
    data = school.build()
    twin = attrs.evolve(data.schools[0], id="lb2", name="Little Brook Two")
    member = StaffMember(id="Z", name="Zed", school_id="lb2", roles={"teacher"}, team_ids=("t1",))
    trust = attrs.evolve(data, schools=(*data.schools, twin), staff=(*data.staff, member))

    with pytest.raises(ReportInputError, match="exists in several schools"):
        progress(trust, as_of=school.AS_OF, scope=Scope(team_id="t1"))
    report = progress(trust, as_of=school.AS_OF, scope=Scope(school_id="lb", team_id="t1"))
    assert [p.staff_id for p in report.people] == ["A", "B"]


def test_a_trust_report_rolls_schools_up() -> None:
    """With two schools and no scope, the last group is the trust, holding everyone."""
    data = school.build()
    twin = attrs.evolve(data.schools[0], id="lb2", name="Little Brook Two")
    member = StaffMember(id="Z", name="Zed", school_id="lb2", roles={"teacher"})
    trust = attrs.evolve(data, schools=(*data.schools, twin), staff=(*data.staff, member))

    report = progress(trust, as_of=school.AS_OF)

    assert report.groups[-1].group.kind == "trust"
    assert len(report.groups[-1].group.member_ids) == 5
    assert report.scope.level == "trust"
