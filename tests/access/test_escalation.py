"""Nobody takes power the policy does not give them (the MIS vendor's user trial, point D2).

On the landed train the school office (``write_staff``, ``assign_reviewer``) made itself a
headteacher and so read pay and confidential notes; made itself a reviewer; moved its
school into another trust; and switched the school's pay recommendations off; and a
headteacher assigned themself as a reviewer to read the wellbeing and career conversation.
Each is now refused with `AccessDenied`, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs
import pytest
from tests.access._office import HEAD, OFFICE, office_services, sample_school, stored

import devcycle as dc
from devcycle.services import Services

DAY = date(2026, 10, 1)


@pytest.fixture
def services() -> Iterator[Services]:
    with office_services() as service:
        yield service


def _with_roles(services: Services, staff_id: str, *roles: dc.Role) -> dc.StaffMember:
    member = services.store.staff.get("sa", staff_id)
    return attrs.evolve(member, roles={*member.roles, *roles})


@pytest.mark.parametrize("role", [dc.Role.HEADTEACHER, dc.Role.SENIOR_LEADER])
@pytest.mark.parametrize("who", ["A1", "T2"])
def test_the_office_cannot_give_anyone_a_role_carrying_access(
    services: Services, who: str, role: dc.Role
) -> None:
    before = stored(services)

    with pytest.raises(dc.AccessDenied, match=f"cannot give {who!r} the role {role.value}"):
        services.save_school(OFFICE, sample_school(services), [_with_roles(services, who, role)])

    assert before == stored(services)


def test_the_office_cannot_add_a_new_headteacher(services: Services) -> None:
    """The trial's call: a new member A9 saved with the headteacher role."""
    before = stored(services)
    new = dc.StaffMember(id="A9", name="Me", school_id="sa", roles={dc.Role.HEADTEACHER})

    with pytest.raises(dc.AccessDenied, match="grant_role"):
        services.save_school(OFFICE, sample_school(services), [new])

    assert before == stored(services)


def test_the_office_still_adds_and_updates_plain_staff(services: Services) -> None:
    new = dc.StaffMember(id="T9", name="New", school_id="sa", roles={dc.Role.TEACHER})
    renamed = attrs.evolve(services.store.staff.get("sa", "T2"), name="Renamed")

    services.save_school(OFFICE, sample_school(services), [new, renamed])

    assert services.store.staff.get("sa", "T2").name == "Renamed"


def test_the_headteacher_promotes_others_but_not_themself(services: Services) -> None:
    services.save_school(
        HEAD, sample_school(services), [_with_roles(services, "T2", dc.Role.MIDDLE_LEADER)]
    )
    assert dc.Role.MIDDLE_LEADER in services.store.staff.get("sa", "T2").roles

    with pytest.raises(dc.AccessDenied, match="nobody gives themself a role"):
        services.save_school(
            HEAD, sample_school(services), [_with_roles(services, "H1", dc.Role.SENIOR_LEADER)]
        )


@pytest.mark.parametrize(
    "change",
    [
        {"trust_id": "trust-z"},
        {"policy": "pay off"},
    ],
    ids=["trust", "pay"],
)
def test_the_office_cannot_move_the_school_or_change_its_pay_policy(
    services: Services, change: dict[str, str]
) -> None:
    school = sample_school(services)
    if "policy" in change:
        pay = not school.policy.pay_recommendations
        changed = attrs.evolve(school, policy=attrs.evolve(school.policy, pay_recommendations=pay))
    else:
        changed = attrs.evolve(school, **change)
    before = stored(services)

    with pytest.raises(dc.AccessDenied, match="govern_school"):
        services.save_school(OFFICE, changed)

    assert before == stored(services)
    services.save_school(HEAD, changed)  # the headteacher may
    assert sample_school(services) == changed


@pytest.mark.parametrize("actor", [OFFICE, HEAD], ids=["office", "headteacher"])
def test_nobody_assigns_themself_as_reviewer_of_a_cycle(
    services: Services, actor: dc.Actor
) -> None:
    """The headteacher would read the wellbeing and career conversation as C1's reviewer."""
    before = stored(services)

    with pytest.raises(dc.AccessDenied, match="nobody but the system assigns themself"):
        services.act(actor, "sa", "C1", "assign_reviewer", reviewer_id=actor.user_id, on=DAY)

    assert before == stored(services)
    services.act(HEAD, "sa", "C1", "assign_reviewer", reviewer_id="L1", on=DAY)  # others: yes
    assert services.store.cycles.get("sa", "C1").reviewer_id == "L1"


@pytest.mark.parametrize("field", ["reviewer_id", "line_manager_id"])
@pytest.mark.parametrize("actor", [OFFICE, HEAD], ids=["office", "headteacher"])
def test_nobody_makes_themself_a_staff_members_reviewer_or_line_manager(
    services: Services, actor: dc.Actor, field: str
) -> None:
    member = attrs.evolve(services.store.staff.get("sa", "T2"), **{field: actor.user_id})
    before = stored(services)

    with pytest.raises(dc.AccessDenied, match="nobody but the system makes themself"):
        services.save_school(actor, sample_school(services), [member])

    assert before == stored(services)


@pytest.mark.parametrize("role", ["auditor", "trust_leader"])
def test_an_actor_of_one_trust_naming_a_school_of_another_is_refused(
    services: Services, role: str
) -> None:
    """Found in a user trial: ``--as auditor --trust-id other --school oak`` read oak's audit
    log and reports although oak is in another trust (the auditor's scope, school or trust,
    took the school named beside the trust as theirs); a trust leader was refused.
    """
    stranger = dc.Actor("X1", role, school_id="sc", trust_id="trust-a")
    own = dc.Actor("X1", role, school_id="sa", trust_id="trust-a")

    with pytest.raises(dc.AccessDenied, match="acts only in"):
        services.report(stranger, "progress", "sc", as_of=DAY)
    services.report(own, "progress", "sa", as_of=DAY)
    if role == "auditor":
        with pytest.raises(dc.AccessDenied, match="of trust 'trust-a' acts only in its schools"):
            services.audit_log(stranger, "sc")
        assert services.audit_log(dc.Actor("X1", role, school_id="sc"), "sc")  # the school's own
