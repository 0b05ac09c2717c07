"""Taking power away is guarded as giving it, and a roster's newcomer is no way round it.

Two gaps in the escalation guard (`check_school_change`): removing a role that carries
access needed only ``write_staff``, so the school office could demote the headteacher;
and ``devcycle plan --roster`` stored a newcomer's reviewer as the roster named it, so the
actor running the plan could make themself a newcomer's reviewer. Both are now refused in
the one place the policy decides, for `Services.save_school`, `Services.sync_school` and
``plan --roster`` alike, and nothing is stored.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from tests._roster import plan_roster
from tests.access._office import HEAD, OFFICE, office_services, sample_school, stored

import devcycle as dc
from devcycle.services import Services
from devcycle.storage import open_store


@pytest.fixture
def services() -> Iterator[Services]:
    with office_services() as service:
        yield service


def _without(services: Services, staff_id: str, role: dc.Role) -> dc.StaffMember:
    member = services.store.staff.get("sa", staff_id)
    return attrs.evolve(member, roles=(member.roles - {role}) or {dc.Role.TEACHER})


@pytest.mark.parametrize(
    ("who", "role"), [("H1", dc.Role.HEADTEACHER), ("R1", dc.Role.MIDDLE_LEADER)]
)
def test_the_office_cannot_take_a_role_carrying_access_from_anyone(
    services: Services, who: str, role: dc.Role
) -> None:
    before = stored(services)

    with pytest.raises(
        dc.AccessDenied, match=f"cannot take the role {role.value} from {who!r}"
    ) as refused:
        services.save_school(OFFICE, sample_school(services), [_without(services, who, role)])

    assert refused.value.field == "roles"
    assert before == stored(services)


def test_a_refusal_names_the_field_it_is_about(services: Services) -> None:
    """An embedder reading staff from a file names the column from `AccessDenied.field`."""
    newcomer = dc.StaffMember(
        id="N1", name="New", school_id="sa", roles={dc.Role.TEACHER}, reviewer_id="A1"
    )
    promoted = dc.StaffMember(id="N2", name="Newer", school_id="sa", roles={dc.Role.HEADTEACHER})

    with pytest.raises(dc.AccessDenied) as as_reviewer:
        services.save_school(OFFICE, sample_school(services), [newcomer])
    with pytest.raises(dc.AccessDenied) as as_role:
        services.save_school(OFFICE, sample_school(services), [promoted])

    assert as_reviewer.value.field == "reviewer_id"
    assert as_role.value.field == "roles"
    again = pickle.loads(pickle.dumps(as_reviewer.value))
    assert (str(again), again.field) == (str(as_reviewer.value), "reviewer_id")
    assert dc.AccessDenied("plain").field is None


def test_the_office_cannot_demote_the_headteacher_by_sync(services: Services) -> None:
    staff = [m for m in services.store.staff.for_school("sa") if m.id != "H1"]
    before = stored(services)

    with pytest.raises(dc.AccessDenied, match="cannot take the role headteacher from 'H1'"):
        services.sync_school(
            OFFICE, sample_school(services), [*staff, _without(services, "H1", dc.Role.HEADTEACHER)]
        )

    assert before == stored(services)


def test_the_headteacher_takes_a_leading_role_away(services: Services) -> None:
    services.save_school(
        HEAD, sample_school(services), [_without(services, "R1", dc.Role.MIDDLE_LEADER)]
    )

    assert dc.Role.MIDDLE_LEADER not in services.store.staff.get("sa", "R1").roles


def test_giving_up_ones_own_role_needs_no_grant(services: Services) -> None:
    """Losing power is no escalation: the actor's write_staff is enough for their own."""
    leader = dc.Actor("R1", "school_admin", school_id="sa")

    services.save_school(
        leader, sample_school(services), [_without(services, "R1", dc.Role.MIDDLE_LEADER)]
    )

    assert dc.Role.MIDDLE_LEADER not in services.store.staff.get("sa", "R1").roles


def test_the_office_still_changes_roles_that_carry_no_access(services: Services) -> None:
    member = services.store.staff.get("sa", "T2")
    changed = attrs.evolve(member, roles={dc.Role.SUPPORT_STAFF})

    services.save_school(OFFICE, sample_school(services), [changed])

    assert services.store.staff.get("sa", "T2").roles == {dc.Role.SUPPORT_STAFF}


# ------------------------------------------------------------------ plan --roster

HEADER = "id,name,roles,fte,teams,reviewer_id,start_date,email"
FIRST = f"""{HEADER}
T1,Anna Patel,teacher,1,maths,H1,,
A1,Office,other,1,,,,
H1,Dee Head,headteacher,1,,,,
"""


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.mark.parametrize(
    ("actor", "reviewer"),
    [(("school_admin", "A1"), "A1"), (("headteacher", "H1"), "H1")],
    ids=["office", "headteacher"],
)
def test_plan_refuses_the_actor_as_a_newcomers_reviewer(
    tmp_path: Path,
    url: str,
    capsys: pytest.CaptureFixture[str],
    actor: tuple[str, str],
    reviewer: str,
) -> None:
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0
    newcomer = FIRST + f"T9,New Teacher,teacher,1,maths,{reviewer},,\n"

    code, _, err = plan_roster(
        tmp_path, url, newcomer, capsys, "--as", actor[0], "--user", actor[1]
    )

    assert code == 2
    assert f"cannot make {reviewer!r} the reviewer of 'T9'" in err
    assert "staff.csv row 5, column reviewer_id" in err
    assert "Traceback" not in err
    with open_store(url) as store:
        assert "T9" not in {m.id for m in store.staff.for_school("stm")}
        assert "T9" not in {c.staff_id for c in store.cycles.for_school("stm")}

    # another reviewer named by the roster is the MIS's word, as before
    other = FIRST + "T9,New Teacher,teacher,1,maths,T1,,\n"
    code, _, err = plan_roster(tmp_path, url, other, capsys, "--as", actor[0], "--user", actor[1])
    assert code == 0, err
    with open_store(url) as store:
        assert store.staff.get("stm", "T9").reviewer_id == "T1"


def test_plan_refuses_the_office_demoting_the_headteacher(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0
    demoted = FIRST.replace("H1,Dee Head,headteacher,", "H1,Dee Head,teacher,")

    code, _, err = plan_roster(
        tmp_path, url, demoted, capsys, "--as", "school_admin", "--user", "A1"
    )

    assert code == 2
    assert "cannot take the role headteacher from 'H1'" in err
    assert "staff.csv row 4, column roles" in err
    with open_store(url) as store:
        assert store.staff.get("stm", "H1").roles == {dc.Role.HEADTEACHER}


def test_plan_refuses_the_actor_as_a_reviewer_in_the_school_it_creates(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first plan (no store yet) is no way round it, and leaves no store behind."""
    roster = FIRST + "T9,New Teacher,teacher,1,maths,A1,,\n"

    code, _, err = plan_roster(
        tmp_path, url, roster, capsys, "--as", "school_admin", "--user", "A1"
    )

    assert code == 2
    assert "cannot make 'A1' the reviewer of 'T9'" in err
    assert "staff.csv row 5, column reviewer_id" in err
    assert not (tmp_path / "store.db").exists()
    # the roster's roles are taken as the MIS gives them when it creates the school
    assert plan_roster(tmp_path, url, FIRST, capsys, "--as", "school_admin", "--user", "A1")[0] == 0
