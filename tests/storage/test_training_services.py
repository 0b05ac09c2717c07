"""CPD budgets and the training plan through the services: the policy decides who changes them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

import devcycle as dc
from devcycle.domain.calendar import england_pattern
from devcycle.services import Services

SYSTEM = dc.Actor.system()
HEAD = dc.Actor("H1", "headteacher", school_id="oak")
OFFICE = dc.Actor("A1", "school_admin", school_id="oak")
TEACHER = dc.Actor("T1", "reviewee", school_id="oak")
BUDGET = dc.CPDBudget(id="2026-27", start=date(2026, 9, 1), end=date(2027, 8, 31), amount=2000)
WEDNESDAY = date(2026, 11, 4)


@pytest.fixture
def services() -> Services:
    services = Services(dc.open_store("memory://"))
    staff = [
        dc.StaffMember(
            id=i,
            name=f"Person {i}",
            school_id=s,
            roles={"headteacher" if i == "H1" else "teacher"},
        )
        for s in ("oak", "elm")
        for i in ("H1", "A1", "T1")
    ]
    for school_id in ("oak", "elm"):
        services.save_school(
            SYSTEM,
            dc.School(id=school_id, name=school_id, teams=[dc.Team(id="maths", name="Maths")]),
            [m for m in staff if m.school_id == school_id],
        )
    return services


def _level(fields: dict[str, object]) -> str:
    """The level an entry's fields imply: a team's, named people's, or whole-school."""
    if fields.get("team_id") is not None:
        return "team"
    return "individual" if fields.get("participant_ids") else "whole-school"


def _entry(**kw: object) -> dc.TrainingPlanEntry:
    fields: dict[str, object] = {
        "id": "questioning",
        "school_id": "oak",
        "title": "Questioning INSET",
        "dates": (WEDNESDAY,),
        "owner_id": "H1",
        "hours": 2,
        "cost": Decimal("350.00"),
    }
    fields.update(kw)
    fields.setdefault("level", _level(fields))
    return dc.TrainingPlanEntry(**fields)  # type: ignore[arg-type]


def test_the_headteacher_sets_the_budget_and_the_office_may_not(services: Services) -> None:
    """set_cpd_budget is the headteacher's; the office is refused with nothing written,
    even through save_school; a teacher neither."""
    services.set_cpd_budget(HEAD, "oak", BUDGET)
    assert services.store.schools.get("oak").cpd_budgets == (BUDGET,)

    raised = attrs.evolve(BUDGET, amount=Decimal(9999))
    with pytest.raises(dc.AccessDenied, match="set_cpd_budget"):
        services.set_cpd_budget(OFFICE, "oak", raised)
    school = services.store.schools.get("oak")
    with pytest.raises(dc.AccessDenied, match="set_cpd_budget"):
        services.save_school(OFFICE, attrs.evolve(school, cpd_budgets=(raised,)))
    with pytest.raises(dc.AccessDenied):
        services.set_cpd_budget(TEACHER, "oak", raised)
    assert services.store.schools.get("oak").cpd_budgets == (BUDGET,)
    # The office still saves the school when it leaves the budget as it is.
    services.save_school(OFFICE, attrs.evolve(services.store.schools.get("oak"), name="Oak"))

    services.remove_cpd_budget(HEAD, "oak", "2026-27")
    assert services.store.schools.get("oak").cpd_budgets == ()
    assert services.store.schools.get("elm").cpd_budgets == ()


def test_the_office_plans_training_and_a_teacher_may_not(services: Services) -> None:
    """plan_training: the headteacher and the office; each change audited naming the owner."""
    (saved,) = services.plan_training(OFFICE, "oak", [_entry()])
    assert saved.version == 1
    with pytest.raises(dc.AccessDenied, match="plan_training"):
        services.plan_training(TEACHER, "oak", [_entry(cost=0)])

    services.plan_training(HEAD, "oak", [_entry(status="booked")])  # replaces, from a file
    assert services.store.training_plan.get("oak", "questioning").status is dc.PlanStatus.BOOKED
    with pytest.raises(dc.ConflictError):
        services.plan_training(HEAD, "oak", [attrs.evolve(saved, status="done")])  # stale
    entries = services.store.audit.query("oak", kind="training_plan_entry")
    assert [e.action for e in entries] == ["add", "update"]
    assert all("H1" in e.persons for e in entries)
    assert services.store.training_plan.for_school("elm") == []

    services.remove_training(HEAD, "oak", "questioning")
    assert services.store.training_plan.for_school("oak") == []


def test_every_problem_with_a_plan_is_named_and_nothing_is_written(services: Services) -> None:
    """Owner, participants, team, offering, school and school days are checked all at once,
    each entry in full."""
    calendar = england_pattern(2026)
    bad = [
        _entry(id="a", owner_id="ZZ"),
        _entry(id="b", participant_ids=("T1", "Q9"), team_id="art"),
        _entry(id="c", dates=(date(2026, 11, 7),), offering_id="nope"),  # a Saturday
        _entry(id="d", school_id="elm", owner_id="ZZ"),
        _entry(id="e"),
    ]

    with pytest.raises(dc.ValidationError) as caught:
        services.plan_training(HEAD, "oak", bad, calendar=calendar)

    paths = [p.path for p in caught.value.problems]
    assert paths == [
        "entries[0].owner_id",
        "entries[1].participant_ids",
        "entries[1].team_id",
        "entries[2].offering_id",
        "entries[2].dates",
        "entries[3].school_id",
        "entries[3].owner_id",  # another school's entry hides none of its other problems
    ]
    assert "2026-11-07" in str(caught.value)
    assert services.store.training_plan.for_school("oak") == []


def test_a_team_entry_is_for_members_of_its_team_only(services: Services) -> None:
    """A participant of a team entry who is not in the team is named (a trial found the
    entry stored, and the person then counted as a member of a team they are not in)."""
    school = services.store.schools.get("oak")
    member = services.store.staff.get("oak", "T1")
    services.save_school(SYSTEM, school, [attrs.evolve(member, team_ids=("maths",))])

    with pytest.raises(dc.ValidationError) as caught:
        services.plan_training(HEAD, "oak", [_entry(team_id="maths", participant_ids=("T1", "A1"))])

    (problem,) = caught.value.problems
    assert problem.path == "entries[0].participant_ids"
    assert "A1 not members of team 'maths'" in problem.message
    assert services.store.training_plan.for_school("oak") == []
    saved = services.plan_training(HEAD, "oak", [_entry(team_id="maths", participant_ids=("T1",))])
    assert [e.participant_ids for e in saved] == [("T1",)]


def test_the_report_through_the_services_shows_the_plan_against_the_budget(
    services: Services,
) -> None:
    """The needs report run by the headteacher reads the stored plan and budget."""
    services.set_cpd_budget(HEAD, "oak", attrs.evolve(BUDGET, amount=Decimal(300)))
    services.plan_training(HEAD, "oak", [_entry()])
    for staff_id in ("A1", "T1"):
        services.save_cycle(
            SYSTEM,
            dc.Cycle(
                id=f"c-{staff_id}",
                school_id="oak",
                staff_id=staff_id,
                reviewer_id="H1",
                period_start=date(2026, 9, 1),
                period_end=date(2027, 8, 31),
            ),
        )

    report = services.report(HEAD, "needs", "oak", as_of=date(2027, 1, 10))

    (position,) = report.budgets
    assert position.overspend == Decimal(50)
    assert [p.entry.id for p in report.planned] == ["questioning"]


def test_subject_access_and_erasure_reach_the_training_plan(services: Services) -> None:
    """A person named on the plan sees the entry in their export; erasing them rewrites it."""
    from devcycle.privacy import erase, subject_access

    services.plan_training(HEAD, "oak", [_entry(owner_id="T1", participant_ids=("A1",))])
    with pytest.raises(dc.AccessDenied, match="own school"):  # a trust's schools reuse ids
        services.plan_training(HEAD, "elm", [_entry(school_id="elm", owner_id="T1")])
    services.plan_training(SYSTEM, "elm", [_entry(school_id="elm", owner_id="T1")])

    export = subject_access(services.store, "oak", "T1")
    assert ("training_plan_entry", "questioning") in [(k, i) for k, i, _r, _d in export.records]

    result = erase(services.store, "oak", "T1")

    entry = services.store.training_plan.get("oak", "questioning")
    assert entry.owner_id == result.pseudonym
    assert services.store.training_plan.get("elm", "questioning").owner_id == "T1"
