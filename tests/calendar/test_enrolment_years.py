"""Enrolment year after year (issue 11, item 7): ids per person and academic year, planning
twice is planning once, and objectives carried forward seed the next cycle."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import devcycle as dc
from devcycle.catalogues.templates import template
from devcycle.cli import main
from devcycle.domain.calendar import england_pattern
from devcycle.domain.objectives import Outcome
from devcycle.domain.people import StaffMember
from devcycle.domain.scheduling import (
    FTETooLowError,
    SchedulingError,
    academic_year,
    cycle_id,
    enrol,
    plan,
    plan_enrolment,
)
from devcycle.services import Services
from devcycle.storage import open_store

SYSTEM = dc.Actor("H1", "system")
"""The tests plan as the system role, recorded as H1 as before."""

CALENDAR = england_pattern(2025, years=5)
TEACHER = template("england-teacher")
ID_RULE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@/+-]{0,127}$")


def _staff(person_id: str, joined: date | None = None) -> StaffMember:
    return StaffMember(
        id=person_id,
        name=f"Person {person_id}",
        school_id="stm",
        roles=["teacher"],
        reviewer_id="H1",
        start_date=joined,
    )


def _school(services: Services, *people: StaffMember) -> None:
    head = StaffMember(id="H1", name="Dee Head", school_id="stm", roles=["headteacher"])
    services.save_school(SYSTEM, dc.School(id="stm", name="St Mary's"), [head, *people])


def test_a_mid_year_joiner_is_enrolled_again_next_year() -> None:
    """A January joiner's 2026 cycle keeps the 2026 id, so 2027's enrolment plans them too.

    Before, the joiner's cycle was given the id of the year its own period started (2027),
    the id 2027's enrolment wanted, and next year's enrolment silently skipped them.
    """
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, _staff("T1"), _staff("T2", joined=date(2027, 1, 4)))

        first = services.enrol(SYSTEM, "stm", TEACHER, CALENDAR, year=2026, on=date(2026, 9, 1))
        second = services.enrol(SYSTEM, "stm", TEACHER, CALENDAR, year=2027, on=date(2027, 9, 1))

    assert sorted(c.id for c in first) == ["2026-T1-england-teacher", "2026-T2-england-teacher"]
    assert sorted(c.staff_id for c in second) == ["T1", "T2"]
    assert sorted(c.id for c in second) == ["2027-T1-england-teacher", "2027-T2-england-teacher"]


def test_planning_twice_creates_nothing_and_reports_what_it_left_alone() -> None:
    """The second run creates nothing and lists the cycles it found already planned."""
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, _staff("T1"), _staff("T2", joined=date(2027, 1, 4)))
        once = services.plan_cycles(
            SYSTEM, "stm", TEACHER, CALENDAR, year=2026, on=date(2026, 9, 1)
        )
        twice = services.plan_cycles(
            SYSTEM, "stm", TEACHER, CALENDAR, year=2026, on=date(2026, 9, 2)
        )
        stored = store.cycles.for_school("stm")

    assert len(once.created) == 2
    assert not once.unchanged
    assert twice.created == ()
    assert sorted(c.id for c in twice.unchanged) == sorted(c.id for c in once.created)
    assert sorted(stored, key=lambda c: c.id) == sorted(once.created, key=lambda c: c.id)


def test_a_cycle_stored_under_another_id_for_the_same_period_is_left_alone() -> None:
    """A cycle planned under the old id scheme (the period's own year) is not planned again."""
    joiner = _staff("T2", joined=date(2027, 1, 4))
    old = plan(TEACHER, CALENDAR, year=2026, staff=joiner).to_cycle(
        school_id="stm", by="H1", on=date(2027, 1, 4), cycle_id="2027-T2-england-teacher"
    )

    result = plan_enrolment(
        enrol(TEACHER, CALENDAR, [joiner], year=2026),
        {"T2": joiner},
        [old],
        school_id="stm",
        by="H1",
        on=date(2027, 1, 5),
    )

    assert result.created == ()
    assert [c.id for c in result.unchanged] == ["2027-T2-england-teacher"]


def test_an_id_taken_by_another_persons_cycle_is_refused_not_skipped() -> None:
    """A new cycle whose id belongs to someone else's cycle is an error naming both."""
    person = _staff("T1")
    other = plan(TEACHER, CALENDAR, year=2026, staff=_staff("T9")).to_cycle(
        school_id="stm", by="H1", on=date(2026, 9, 1), cycle_id="2026-T1-england-teacher"
    )

    with pytest.raises(SchedulingError, match=r"already used by the cycle of 'T9'"):
        plan_enrolment(
            enrol(TEACHER, CALENDAR, [person], year=2026),
            {"T1": person},
            [other],
            school_id="stm",
            by="H1",
            on=date(2026, 9, 1),
        )


def test_long_staff_ids_give_ids_within_the_id_rule() -> None:
    """A 128-character staff id still gives a valid id, different for each year."""
    long_id = "S" + "x" * 127

    ids = {cycle_id(long_id, "england-support-staff", year) for year in (2026, 2027)}
    other = cycle_id("S" + "x" * 126 + "y", "england-support-staff", 2026)

    assert len(ids) == 2
    assert all(ID_RULE.match(i) and len(i) <= 128 for i in ids)
    assert other not in ids


def test_the_academic_year_is_the_year_of_the_usual_start() -> None:
    """Any day from September to August belongs to the academic year starting that September."""
    assert academic_year(TEACHER, date(2026, 9, 1)) == 2026
    assert academic_year(TEACHER, date(2027, 1, 4)) == 2026
    assert academic_year(TEACHER, date(2027, 8, 31)) == 2026
    assert academic_year(template("australia-pd"), date(2027, 1, 1)) == 2027


STAFF_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:@/+-]{0,127}", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(
    people=st.lists(
        st.tuples(STAFF_IDS, st.one_of(st.none(), st.dates(date(2025, 9, 2), date(2026, 7, 1)))),
        min_size=1,
        max_size=4,
        unique_by=lambda p: p[0],
    ),
    years=st.lists(st.integers(2025, 2028), min_size=1, max_size=3, unique=True),
)
def test_ids_are_unique_across_people_years_and_joiners(
    people: list[tuple[str, date | None]], years: list[int]
) -> None:
    """Every (person, academic year) gets its own valid id, joiners included."""
    ids = []
    for person_id, joined in people:
        for year in years:
            shifted = joined.replace(year=joined.year + year - 2025) if joined else None
            staff = StaffMember(
                id=person_id, name="P", school_id="s", roles=["teacher"], start_date=shifted
            )
            schedule = plan(TEACHER, CALENDAR, year=year, staff=staff)
            ids.append(schedule.to_cycle(school_id="s", by="H", on=date(2025, 9, 1)).id)

    assert len(set(ids)) == len(ids) == len(people) * len(years)
    assert all(ID_RULE.match(i) for i in ids)


@settings(max_examples=25, deadline=None)
@given(
    people=st.lists(
        st.tuples(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,20}", fullmatch=True),
            st.one_of(st.none(), st.dates(date(2026, 9, 2), date(2027, 7, 1))),
        ),
        min_size=1,
        max_size=5,
        unique_by=lambda p: p[0],
    ).filter(lambda ps: all(p[0] != "H1" for p in ps)),
    year=st.sampled_from([2026, 2027]),
)
def test_planning_twice_is_planning_once(people: list[tuple[str, date | None]], year: int) -> None:
    """After a second run the store holds exactly what the first run stored."""
    staff = [_staff(i, j.replace(year=j.year + year - 2026) if j else None) for i, j in people]
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, *staff)
        services.plan_cycles(SYSTEM, "stm", TEACHER, CALENDAR, year=year, on=date(2026, 9, 1))
        after_once = sorted(store.cycles.for_school("stm"), key=lambda c: c.id)
        again = services.plan_cycles(
            SYSTEM, "stm", TEACHER, CALENDAR, year=year, on=date(2026, 9, 1)
        )
        after_twice = sorted(store.cycles.for_school("stm"), key=lambda c: c.id)

    assert again.created == ()
    assert after_twice == after_once
    assert len(after_once) == len(staff)


def _evaluated_cycle(services: Services) -> dc.Cycle:
    """T1's 2026 cycle with one objective carried forward and one not."""
    cycle = services.enrol(SYSTEM, "stm", TEACHER, CALENDAR, year=2026, on=date(2026, 9, 1))[0]
    cycle.start_planning(by="H1", on=date(2026, 9, 10))
    kept = cycle.propose_objective(
        by="T1",
        on=date(2026, 9, 20),
        statement="By July, raise Year 4 reading fluency for my six lowest readers.",
        success_criteria=["words correct per minute up by 20"],
        standard_ids=["TS5"],
    )
    done = cycle.propose_objective(
        by="T1", on=date(2026, 9, 20), statement="Lead the phonics INSET by December."
    )
    for objective in (kept, done):
        cycle.agree_objective(objective.id, by="H1", on=date(2026, 10, 1))
    cycle.activate(by="H1", on=date(2026, 10, 2))
    cycle.evaluate_objective(
        kept.id,
        by="H1",
        on=date(2027, 7, 1),
        outcome=Outcome.PARTLY_MET,
        learning="Fluency rose for four of six.",
        carried_forward=True,
    )
    cycle.evaluate_objective(done.id, by="H1", on=date(2027, 7, 1), outcome=Outcome.MET)
    return services.save_cycle(SYSTEM, cycle)


def test_an_objective_carried_forward_seeds_next_years_cycle_as_a_linked_draft() -> None:
    """Next year's cycle starts with the carried objective as a draft pointing back to it."""
    with dc.open_store("memory://") as store:
        services = Services(store)
        _school(services, _staff("T1"))
        previous = _evaluated_cycle(services)

        result = services.plan_cycles(
            SYSTEM, "stm", TEACHER, CALENDAR, year=2027, on=date(2027, 9, 1)
        )
        again = services.plan_cycles(
            SYSTEM, "stm", TEACHER, CALENDAR, year=2027, on=date(2027, 9, 2)
        )

    (new,) = result.created
    (draft,) = new.objectives
    carried = previous.objectives[0]
    assert draft.status is dc.ObjectiveStatus.DRAFT
    assert draft.statement == carried.statement
    assert [c.text for c in draft.success_criteria] == ["words correct per minute up by 20"]
    assert draft.carried_from == f"{previous.id}#{carried.id}"
    assert draft.evaluation is None
    assert result.carried == ((new.id, (draft.id,)),)
    assert again.created == ()


ROSTER = """id,name,roles,fte,teams,reviewer_id,start_date,email
T1,Anna Patel,teacher,1,maths,H1,,
T2,Ben Okafor,teacher;middle_leader,0.6,maths,H1,2027-01-04,
H1,Dee Head,headteacher,1,,,,
"""


def test_plan_with_a_roster_twice_is_idempotent_and_says_what_it_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second run exits 0, creates nothing and names each cycle it left alone."""
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    store_url = f"json:///{tmp_path / 'store'}"
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(roster)]
    args += ["--school", "stm", "--store", store_url]

    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    second = capsys.readouterr().out
    assert main([*args[:4], "2027", *args[5:]]) == 0
    third = capsys.readouterr().out

    assert "Created 2 cycles" in first
    assert "2026-T2-england-teacher  Ben Okafor" in first
    assert "Created" not in second
    assert "Left alone 2 cycles already planned:" in second
    assert "2026-T2-england-teacher  Ben Okafor (draft, 2027-01-04 to 2027-08-31)" in second
    assert "Nothing new to write." in second
    assert "2027-T2-england-teacher  Ben Okafor" in third
    with open_store(store_url) as store:
        assert len(store.cycles.for_school("stm")) == 4


def test_next_years_cycle_is_planned_beside_a_joiner_cycle_stored_under_the_old_ids() -> None:
    """A January joiner's 2026/27 cycle stored as 2027-T2-... does not block 2027's cycle.

    The old scheme named it after the year its own period started: the id 2027's cycle
    wants. The new cycle is named after its start date too, and planning stays idempotent.
    """
    joiner = _staff("T2", joined=date(2027, 1, 4))
    old = plan(TEACHER, CALENDAR, year=2026, staff=joiner).to_cycle(
        school_id="stm", by="H1", on=date(2027, 1, 4), cycle_id="2027-T2-england-teacher"
    )
    schedules = enrol(TEACHER, CALENDAR, [joiner], year=2027)

    first = plan_enrolment(
        schedules, {"T2": joiner}, [old], school_id="stm", by="H1", on=date(2027, 9, 1)
    )
    again = plan_enrolment(
        schedules,
        {"T2": joiner},
        [old, *first.created],
        school_id="stm",
        by="H1",
        on=date(2027, 9, 2),
    )

    assert [c.id for c in first.created] == ["2027-T2-england-teacher.20270901"]
    assert first.created[0].period_start == date(2027, 9, 1)
    assert first.created[0].milestones == schedules[0].milestones
    assert again.created == ()


@pytest.mark.parametrize("fte", [0.001, 0.0999])
def test_a_stored_fte_too_low_to_plan_names_the_school_and_the_stored_field(fte: float) -> None:
    """Regression: planning stored staff (`Services.enrol`, `plan_cycles`) refused an FTE
    too low for a pro-rata template as "E1's FTE is 0.001: ...", naming the person only,
    not where the value came from (``devcycle plan --roster`` names the file, row and
    column): it names the school and the stored field, and nothing is written."""
    ect = StaffMember(
        id="E1",
        name="Cara Jones",
        school_id="stm",
        roles=["early_career_teacher"],
        reviewer_id="H1",
        fte=fte,
    )
    with open_store("memory://") as store:
        services = Services(store)
        _school(services, ect)
        with pytest.raises(FTETooLowError) as caught:
            services.enrol(
                SYSTEM,
                "stm",
                template("england-ect-induction"),
                CALENDAR,
                year=2026,
                on=date(2026, 9, 1),
            )
        assert store.cycles.for_school("stm") == []

    message = str(caught.value)
    assert f"E1's FTE is {fte:g}" in message
    assert "the FTE stored for staff member 'E1' of school 'stm'" in message
    assert message.endswith("@ $.staff['E1'].fte")
    assert (caught.value.staff_id, caught.value.fte) == ("E1", fte)
