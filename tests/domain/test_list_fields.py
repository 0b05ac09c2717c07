"""Text given where a list belongs is refused, naming the field, never split per character."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

import devcycle as dc
from devcycle import domain
from devcycle.access import Actor, RolePolicy
from devcycle.reports import MeetingsPolicy
from devcycle.services import Services
from devcycle.testing.access import access_school

BUILDERS: dict[str, Callable[[object], object]] = {
    "success_criteria": lambda v: dc.Objective(id="o1", statement="s", success_criteria=v),
    "evidence_sources": lambda v: dc.Objective(id="o1", statement="s", evidence_sources=v),
    "standard_ids": lambda v: dc.Objective(id="o1", statement="s", standard_ids=v),
    "owner_ids": lambda v: dc.Objective(id="o1", statement="s", owner_ids=v),
    "team_ids": lambda v: domain.StaffMember(
        id="X1", name="n", school_id="sa", roles=["teacher"], team_ids=v
    ),
    "kpis": lambda v: domain.Priority(id="p1", title="t", kpis=v),
}


@pytest.mark.parametrize("field", sorted(BUILDERS))
@pytest.mark.parametrize("value", ["abc", b"abc"])
def test_text_for_a_list_field_is_refused(field: str, value: object) -> None:
    """Each tuple field refuses str and bytes at its own path, saying a list was expected."""
    with pytest.raises(dc.ValidationError) as caught:
        BUILDERS[field](value)
    (problem,) = caught.value.problems
    assert problem.path == f"$.{field}"
    assert f"'{field}' must be a list of items, got text" in problem.message


SET_BUILDERS: dict[str, Callable[[object], object]] = {
    "roles": lambda v: domain.StaffMember(id="X1", name="n", school_id="sa", roles=v),
    "audiences": lambda v: domain.Confidential(text="t", audiences=v),
    "kinds": lambda v: MeetingsPolicy(kinds=v),
    "actions": lambda v: RolePolicy("r", actions=v),
    "read": lambda v: RolePolicy("r", read=v),
    "write": lambda v: RolePolicy("r", write=v),
    "staff_roles": lambda v: RolePolicy("r", staff_roles=v),
    "prepare_for": lambda v: RolePolicy("r", prepare_for=v),
}
"""Every set field: a trial gave ``roles="teacher"`` and it was taken (and a role policy's
``actions="export"`` was a string its checks tested for substrings)."""


@pytest.mark.parametrize("field", sorted(SET_BUILDERS))
@pytest.mark.parametrize("value", ["teacher", b"teacher"])
def test_text_for_a_set_field_is_refused(field: str, value: object) -> None:
    """Each set field refuses str and bytes at its own path, as tuple fields do."""
    with pytest.raises(dc.ValidationError) as caught:
        SET_BUILDERS[field](value)
    (problem,) = caught.value.problems
    assert problem.path == f"$.{field}"
    assert f"'{field}' must be a list of items, got text" in problem.message


def test_a_set_field_takes_a_list_or_a_set_of_one() -> None:
    member = domain.StaffMember(id="X1", name="n", school_id="sa", roles=["teacher"])
    assert member.roles == {domain.Role.TEACHER}
    assert RolePolicy("r", actions={"report"}).actions == frozenset({"report"})
    assert not RolePolicy("r", actions=["report"]).may("rep")


def test_a_list_of_one_is_still_one_item() -> None:
    """The way to give one item: a list of one."""
    objective = dc.Objective(id="o1", statement="s", success_criteria=["abc"])
    assert objective.success_criteria == (dc.SuccessCriterion("abc"),)


def _services() -> Services:
    sample = access_school()
    services = Services(dc.open_store("memory://"))
    sample.save(services)
    return services


def test_proposing_with_text_criteria_is_refused_and_nothing_is_saved() -> None:
    """The trial's case: success_criteria="abc" gave three criteria 'a', 'b', 'c'."""
    services = _services()
    reviewee = Actor("T1", "reviewee", school_id="sa")
    before = services.get_cycle(reviewee, "sa", "C1").objectives
    with pytest.raises(dc.ValidationError, match=r"'success_criteria' must be a list") as caught:
        services.act(
            reviewee,
            "sa",
            "C1",
            "propose_objective",
            on=date(2026, 12, 2),
            statement="y",
            success_criteria="abc",
        )
    assert caught.value.problems[0].path == "$.success_criteria"
    assert services.get_cycle(reviewee, "sa", "C1").objectives == before


def test_a_cycle_method_does_not_split_text_before_the_record_sees_it() -> None:
    """A method that copied its argument with tuple() split text first; now the field refuses it."""
    cycle = access_school().cycle
    with pytest.raises(dc.ValidationError, match=r"'tags' must be a list"):
        cycle.add_evidence(by="T1", on=date(2026, 12, 2), description="d", tags="reading")
