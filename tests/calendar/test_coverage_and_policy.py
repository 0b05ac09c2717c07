"""Calendars that do not cover the period (issue 11, item 8) and policies that take effect
(item 9): refused with the span named; pay linked to appraisal only by the school's policy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest

import devcycle as dc
from devcycle.catalogues.templates import template
from devcycle.cli import main
from devcycle.domain.calendar import england_pattern
from devcycle.domain.people import StaffMember
from devcycle.domain.reviews import PayRecommendation, ReviewKind
from devcycle.domain.scheduling import SchedulingError, plan
from devcycle.domain.templates import CycleTemplate, MilestoneRule, Period
from devcycle.rules import CheckContext
from devcycle.services import Services

SYSTEM = dc.Actor("H1", "system")
"""The tests plan as the system role, recorded as H1 as before."""

ENGLAND_2026 = england_pattern(2026)
TEACHER = template("england-teacher")


def _january_support_staff() -> CycleTemplate:
    """The support-staff template as a school runs it from January (a documented option)."""
    base = template("england-support-staff")
    return attrs.evolve(base, period=attrs.evolve(base.period, start="01-01"))


# ------------------------------------------------------------------ item 8: coverage


def test_a_january_cycle_on_a_september_to_july_calendar_is_refused_naming_the_gap() -> None:
    """The period runs to December 2027; the calendar's terms stop in July 2027.

    Before, the autumn milestones were silently piled onto the calendar's last day.
    """
    with pytest.raises(SchedulingError) as caught:
        plan(_january_support_staff(), ENGLAND_2026, start=date(2027, 1, 1))

    message = str(caught.value)
    last_term_day = ENGLAND_2026.terms[-1].end
    assert "does not cover the period" in message
    assert f"no term from {date.fromordinal(last_term_day.toordinal() + 1)} to 2027-12-31" in (
        message
    )
    assert "--years 2" in message


def test_the_same_cycle_plans_on_a_calendar_covering_both_academic_years() -> None:
    """With the next year's terms the period is covered and every milestone is inside it."""
    calendar = england_pattern(2026, years=2)

    schedule = plan(_january_support_staff(), calendar, start=date(2027, 1, 1))

    assert schedule.period_end == date(2027, 12, 31)
    assert max(m.due for m in schedule.milestones) > date(2027, 9, 1)
    assert all(calendar.is_school_day(m.due) for m in schedule.milestones)


def test_an_australian_calendar_year_cycle_on_an_english_calendar_is_refused() -> None:
    """January to December 2027 against an English 2027/28 calendar: January to August is bare."""
    with pytest.raises(SchedulingError, match=r"no term from 2027-01-01 to 2027-08-31"):
        plan(template("australia-pd"), england_pattern(2027), year=2027)


def test_a_summer_holiday_at_the_end_of_the_period_is_not_a_gap() -> None:
    """A September-to-August period on a calendar whose terms end in July is covered."""
    schedule = plan(TEACHER, ENGLAND_2026, year=2026)

    assert schedule.period_end == date(2027, 8, 31)


def test_a_milestone_added_out_of_date_order_is_placed_by_its_own_anchor() -> None:
    """A school appends a November milestone after the March one: it stays in November.

    Before, it was pulled forward to the March milestone's date.
    """
    rules = (
        MilestoneRule(id="spring-review", title="Spring review", anchor="date:03-01"),
        MilestoneRule(id="autumn-drop-in", title="Autumn drop-in", anchor="date:11-16"),
    )
    ours = CycleTemplate(id="ours", title="Ours", period=Period(months=12), milestones=rules)

    schedule = plan(ours, ENGLAND_2026, year=2026)

    due = {m.id: m.due for m in schedule.milestones}
    assert due["autumn-drop-in"] == date(2026, 11, 16)
    assert due["spring-review"] == date(2027, 3, 1)
    assert [m.id for m in schedule.milestones] == ["autumn-drop-in", "spring-review"]


def test_plan_refuses_a_foreign_template_on_the_default_calendar(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --calendar an Australian template is a usage error naming the fix."""
    assert main(["plan", "--template", "australia-pd", "--year", "2027"]) == 2

    err = capsys.readouterr().err
    assert "is for australia" in err
    assert "--calendar" in err


def test_plan_gives_a_january_template_a_default_calendar_covering_its_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A school's January-start copy plans on the built-in pattern from the September before."""
    target = tmp_path / "ours.toml"
    assert (
        main(["template", "new", "ours", "--from", "england-support-staff", "-o", str(target)]) == 0
    )
    target.write_text(
        target.read_text(encoding="utf-8").replace('start = "09-01"', 'start = "01-01"'),
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main(["plan", "--template", str(target), "--year", "2027"]) == 0

    out = capsys.readouterr().out
    assert "2027-01-01 to 2027-12-31" in out


# ------------------------------------------------------------------ item 9: policies


def _school(services: Services, *, pay: bool, max_objectives: int = 3) -> None:
    policy = dc.Policy(pay_recommendations=pay, max_objectives=max_objectives)
    school = dc.School(id="stm", name="St Mary's", policy=policy)
    people = [
        StaffMember(id="H1", name="Dee Head", school_id="stm", roles=["headteacher"]),
        StaffMember(id="T1", name="Anna", school_id="stm", roles=["teacher"], reviewer_id="H1"),
    ]
    services.save_school(SYSTEM, school, people)


def _change_policy(services: Services, **changes: object) -> None:
    school = services.load_school(SYSTEM, "stm").school
    services.save_school(
        SYSTEM, attrs.evolve(school, policy=attrs.evolve(school.policy, **changes))
    )


def test_pay_linked_in_the_schools_policy_reaches_its_cycles() -> None:
    """The cycle holds the pay decision and takes a pay recommendation.

    Before, the school's policy was read by nothing: the cycle refused the recommendation
    and told the user to set the policy that was already set.
    """
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, pay=True)

        (cycle,) = services.enrol(
            SYSTEM, "stm", TEACHER, ENGLAND_2026, year=2026, on=date(2026, 9, 1)
        )

    assert cycle.pay_recommendations
    assert "pay-decision" in {m.id for m in cycle.milestones}
    cycle.start_planning(by="H1", on=date(2026, 9, 10))
    meeting = cycle.record_review(
        by="H1",
        on=date(2026, 9, 11),
        kind=ReviewKind.FINAL,
        pay_recommendation=PayRecommendation("Progress to M3"),
    )
    assert meeting.pay_recommendation is not None


def test_a_teachers_pay_decision_is_not_a_milestone_unless_the_policy_links_pay() -> None:
    """With pay not linked (the 2024 default) the pay decision is left out, and noted."""
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, pay=False)

        (cycle,) = services.enrol(
            SYSTEM, "stm", TEACHER, ENGLAND_2026, year=2026, on=date(2026, 9, 1)
        )

    assert not cycle.pay_recommendations
    assert "pay-decision" not in {m.id for m in cycle.milestones}
    assert any("pay-decision: left out" in n for n in plan(TEACHER, ENGLAND_2026, year=2026).notes)


def test_the_templates_pay_link_is_read_when_no_school_policy_is_given() -> None:
    """A template that links pay schedules its pay milestones; the policy overrides it."""
    linked = attrs.evolve(TEACHER, pay_link=True)

    assert "pay-decision" in {m.id for m in plan(linked, ENGLAND_2026, year=2026).milestones}
    assert plan(linked, ENGLAND_2026, year=2026).pay_link
    overridden = plan(linked, ENGLAND_2026, year=2026, pay_link=False)
    assert "pay-decision" not in {m.id for m in overridden.milestones}


def test_a_policy_change_is_re_applied_to_the_schools_open_cycles() -> None:
    """apply_policy adds the pay milestone and allows recommendations, then takes them away."""
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, pay=False)
        (cycle,) = services.enrol(
            SYSTEM, "stm", TEACHER, ENGLAND_2026, year=2026, on=date(2026, 9, 1)
        )

        _change_policy(services, pay_recommendations=True)
        turned_on = services.apply_policy(SYSTEM, "stm", on=date(2026, 9, 5), calendar=ENGLAND_2026)
        linked = store.cycles.get("stm", cycle.id)
        _change_policy(services, pay_recommendations=False)
        turned_off = services.apply_policy(SYSTEM, "stm", on=date(2026, 9, 6))
        unlinked = store.cycles.get("stm", cycle.id)

    expected = plan(TEACHER, ENGLAND_2026, year=2026, pay_link=True).milestones
    pay = next(m for m in expected if m.id == "pay-decision")
    assert linked.pay_recommendations
    assert pay in linked.milestones
    assert turned_on[cycle.id] == (
        "pay recommendations allowed",
        f"added milestone pay-decision on {pay.due}",
    )
    assert not unlinked.pay_recommendations
    assert "pay-decision" not in {m.id for m in unlinked.milestones}
    assert turned_off[cycle.id][-1] == "removed milestone pay-decision"
    assert [h.action for h in unlinked.history][-2:] == [
        "set_pay_recommendations",
        "set_milestones",
    ]


def test_adding_pay_milestones_without_a_calendar_says_what_to_give() -> None:
    """Pay milestones need dates: without the calendar the call is refused and nothing changes."""
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, pay=False)
        (cycle,) = services.enrol(
            SYSTEM, "stm", TEACHER, ENGLAND_2026, year=2026, on=date(2026, 9, 1)
        )
        _change_policy(services, pay_recommendations=True)

        with pytest.raises(SchedulingError, match="give the school's calendar"):
            services.apply_policy(SYSTEM, "stm", on=date(2026, 9, 5))
        unchanged = store.cycles.get("stm", cycle.id)

    assert not unchanged.pay_recommendations


def test_the_objective_limit_of_the_schools_policy_applies_to_its_cycles() -> None:
    """Changing max_objectives changes what the checker flags for the school's cycles."""
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, pay=False, max_objectives=3)
        (cycle,) = services.enrol(
            SYSTEM, "stm", TEACHER, ENGLAND_2026, year=2026, on=date(2026, 9, 1)
        )
        cycle.start_planning(by="H1", on=date(2026, 9, 10))
        for n in range(3):
            cycle.propose_objective(
                by="T1", on=date(2026, 9, 20), statement=f"Objective {n} for Year 4 by July."
            )
        strict = services.load_school(SYSTEM, "stm").school
        _change_policy(services, max_objectives=2)
        stricter = services.load_school(SYSTEM, "stm").school

    def over_limit(school: dc.School) -> bool:
        context = CheckContext.from_cycle(cycle, school=school, objective_id="obj-1")
        return "P603" in {
            f.code for f in dc.check(cycle.objective("obj-1"), context=context).findings
        }

    assert not over_limit(strict)
    assert over_limit(stricter)


def test_the_observation_cap_of_the_schools_policy_reaches_its_cycles() -> None:
    """A cycle planned under a 3-hour cap refuses a fourth hour; a raised cap is re-applied.

    Before, Policy.observation_hours_cap was read by nothing.
    """
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, pay=False)
        _change_policy(services, observation_hours_cap=3.0)
        (cycle,) = services.enrol(
            SYSTEM, "stm", TEACHER, ENGLAND_2026, year=2026, on=date(2026, 9, 1)
        )
        cycle.start_planning(by="H1", on=date(2026, 9, 10))
        for day in (14, 15, 16):
            cycle.record_observation(
                by="H1", on=date(2026, 9, day), kind="lesson", focus="Questioning", minutes=60
            )
        with pytest.raises(dc.DomainError, match=r"caps observation at 3 hours a cycle"):
            cycle.record_observation(
                by="H1", on=date(2026, 9, 17), kind="lesson", focus="Questioning", minutes=30
            )
        services.save_cycle(SYSTEM, cycle)
        _change_policy(services, observation_hours_cap=4.0)
        changes = services.apply_policy(SYSTEM, "stm", on=date(2026, 9, 18))
        raised = store.cycles.get("stm", cycle.id)

    assert cycle.observation_hours_cap == 3.0
    assert len(cycle.observations) == 3
    assert changes == {cycle.id: ("observation capped at 4 hours",)}
    raised.record_observation(
        by="H1", on=date(2026, 9, 21), kind="lesson", focus="Questioning", minutes=60
    )
    assert len(raised.observations) == 4
