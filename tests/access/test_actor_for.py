"""`Services.actor_for`: the actor a signed-in member of staff is, from the stored records only.

The role never comes from the caller: it follows from the school's staff record and the
cycle's stored reviewee and reviewer. A trust's schools reuse staff ids, so a person is
their school and their id together: school A's T1 gets nothing of school B's T1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._stores import BACKENDS, empty_store

import devcycle as dc
from devcycle.access import Actor, decide, default_policy, load_policy, role_for
from devcycle.services import Services
from devcycle.testing.access import AccessSample, access_school

DAY = date(2026, 12, 2)


def _trust_sample() -> AccessSample:
    """The access sample (sa, sb of one trust; same staff ids), with T1 sb's headteacher.

    In school sb, T1 is also the headteacher and reviews T2's cycle ``CB``; in school sa,
    T1 is a teacher with cycle ``C1`` (reviewed by R1) and reviews nobody.
    """
    sample = access_school()
    staff = tuple(
        attrs.evolve(m, roles={dc.Role.HEADTEACHER}) if (m.school_id, m.id) == ("sb", "T1") else m
        for m in sample.staff
    )
    cb = dc.Cycle(
        id="CB",
        school_id="sb",
        staff_id="T2",
        reviewer_id="T1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    return attrs.evolve(sample, staff=staff, cycles=(*sample.cycles, cb))


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_backend_keeps_school_as_t1_apart_from_school_bs(backend: str) -> None:
    """On every store, the records read are the school's own: sb's head is nobody in sa."""
    with empty_store(backend) as store:
        services = Services(store)
        _trust_sample().save(services)

        assert services.actor_for("sb", "T1") == Actor("T1", "headteacher", school_id="sb")
        assert services.actor_for("sa", "T1") == Actor("T1", "reviewee", school_id="sa")
        assert services.actor_for("sb", "T1", "CB").role == "reviewer"
        with pytest.raises(dc.NotFoundError, match=r"@ \$\.cycle_id"):
            services.actor_for("sa", "T1", "CB")


def _trust_services() -> Services:
    """The trust sample saved in a memory store."""
    services = Services(dc.open_store("memory://"))
    _trust_sample().save(services)
    return services


@pytest.fixture(scope="module")
def services() -> Services:
    return _trust_services()


@pytest.mark.parametrize(
    ("school_id", "staff_id", "cycle_id", "role"),
    [
        ("sa", "T1", "C1", "reviewee"),  # their own cycle
        ("sa", "R1", "C1", "reviewer"),  # the cycle's stored reviewer
        ("sa", "L1", "C1", "line_manager"),  # T1's line manager on the staff record
        ("sa", "H1", "C1", "headteacher"),  # the staff record's headteacher role
        ("sa", "H1", None, "headteacher"),
        ("sa", "T2", "C1", "reviewee"),  # no tie: a member of staff, refused on C1
        ("sa", "R1", None, "reviewee"),  # a reviewer only of a given cycle
        ("sa", "T1", None, "reviewee"),
        ("sb", "T1", None, "headteacher"),
        ("sb", "T1", "CB", "reviewer"),  # the tie first: they review CB
        ("sb", "T2", "CB", "reviewee"),
    ],
)
def test_the_role_follows_from_the_stored_records(
    services: Services, school_id: str, staff_id: str, cycle_id: str | None, role: str
) -> None:
    """Each person gets the role their staff record and the cycle's record give them."""
    expected = Actor(staff_id, role, school_id=school_id)

    assert expected == services.actor_for(school_id, staff_id, cycle_id)


def test_school_as_t1_gets_nothing_of_school_bs_t1(services: Services) -> None:
    """T1 is sb's headteacher and CB's reviewer; sa's T1 is neither, in sa or in sb."""
    in_a = services.actor_for("sa", "T1")

    assert in_a.role == "reviewee"
    assert in_a.school_id == "sa"
    assert services.actor_for("sa", "T1", "C1").role == "reviewee"
    with pytest.raises(dc.NotFoundError, match=r"'CB' in school 'sa' @ \$\.cycle_id"):
        services.actor_for("sa", "T1", "CB")  # sb's cycle is no cycle of sa
    with pytest.raises(dc.AccessDenied):
        services.get_cycle(in_a, "sb", "CB")
    with pytest.raises(dc.AccessDenied):
        services.report(in_a, "progress", "sa", as_of=DAY)


def test_school_bs_headteacher_is_refused_in_school_a(services: Services) -> None:
    """sb's T1 acts as headteacher in sb only: sa's records are not theirs to read."""
    head_b = services.actor_for("sb", "T1")

    assert head_b == Actor("T1", "headteacher", school_id="sb")
    with pytest.raises(dc.AccessDenied):
        services.get_cycle(head_b, "sa", "C1")
    assert services.get_cycle(head_b, "sb", "CB").id == "CB"


def test_the_actor_works_with_the_services(services: Services) -> None:
    """The reviewer the records give may read the cycle; a colleague mapped from them not."""
    reviewer = services.actor_for("sa", "R1", "C1")
    colleague = services.actor_for("sa", "T2", "C1")

    assert services.get_cycle(reviewer, "sa", "C1").id == "C1"
    with pytest.raises(dc.AccessDenied):
        services.get_cycle(colleague, "sa", "C1")


@pytest.mark.parametrize(
    ("args", "field", "unknown"),
    [
        (("zz", "T1"), "school_id", "zz"),
        (("sa", "T9"), "staff_id", "T9"),
        (("sa", "T1", "C9"), "cycle_id", "C9"),
    ],
)
def test_an_unknown_record_is_not_found_naming_the_field(
    services: Services, args: tuple[str, ...], field: str, unknown: str
) -> None:
    """A school, person or cycle that is not stored is a NotFoundError ending in its field."""
    with pytest.raises(dc.NotFoundError) as caught:
        services.actor_for(*args)

    assert str(caught.value).endswith(f"@ $.{field}")
    assert repr(unknown) in str(caught.value)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("", "T1"), "school_id"),
        ((None, "T1"), "school_id"),
        (("sa", 42), "staff_id"),
        (("sa", "T 1"), "staff_id"),
        (("sa", "T1", ""), "cycle_id"),
        (("sa", "T1", ["C1"]), "cycle_id"),
    ],
)
def test_a_bad_id_is_a_validation_error_naming_the_field(
    services: Services, args: tuple[object, ...], field: str
) -> None:
    """Not an id at all: a ValidationError at ``$.<field>``, not a lookup of nonsense."""
    with pytest.raises(dc.ValidationError) as caught:
        services.actor_for(*args)  # type: ignore[arg-type]

    (problem,) = caught.value.problems
    assert f"$.{field}" == problem.path


def test_a_leaver_gets_no_actor_after_their_last_day() -> None:
    """With the day of the request, someone who has left is refused; on their last day not."""
    services = _trust_services()
    services.record_leaver(Actor.system(), "sa", "H1", date(2026, 12, 18))

    assert services.actor_for("sa", "H1", on=date(2026, 12, 18)).role == "headteacher"
    with pytest.raises(dc.AccessDenied, match=r"'H1' left school 'sa' on 2026-12-18"):
        services.actor_for("sa", "H1", on=date(2026, 12, 19))
    with pytest.raises(dc.ValidationError):
        services.actor_for("sa", "H1", on="2026-12-19")  # type: ignore[arg-type]


def test_a_schools_own_role_backed_by_a_staff_role_is_chosen(tmp_path: Path) -> None:
    """A policy role needing the staff role ``senior_leader`` goes to senior leaders only."""
    path = tmp_path / "policy.toml"
    path.write_text(
        '[roles.deputy]\nscope = "school"\nrelation = "any"\nstaff_roles = ["senior_leader"]\n'
        'actions = ["read_cycle", "read_school", "report"]\nread = ["milestones"]\n',
        encoding="utf-8",
    )
    policy = load_policy(path)
    deputy = dc.StaffMember(id="D1", name="Dep", school_id="sa", roles={dc.Role.SENIOR_LEADER})
    teacher = dc.StaffMember(id="T1", name="Tea", school_id="sa", roles={dc.Role.TEACHER})
    staff = {m.id: m for m in (deputy, teacher)}

    assert role_for(policy, deputy, staff=staff).name == "deputy"
    assert role_for(policy, teacher, staff=staff).name == "reviewee"


@given(
    roles=st.sets(st.sampled_from(list(dc.Role)), min_size=1),
    owner=st.booleans(),
    reviews=st.booleans(),
    manages=st.booleans(),
)
def test_the_role_chosen_is_always_one_the_policy_allows_on_the_cycle_or_reviewee(
    roles: set[dc.Role], owner: bool, reviews: bool, manages: bool
) -> None:
    """Whatever the records, the role chosen stands on the cycle, or is the member's own.

    And it is never a role with no record to check (office, governor, trust, system).
    """
    policy = default_policy()
    member = dc.StaffMember(id="P1", name="P", school_id="sa", roles=roles)
    other = dc.StaffMember(
        id="T9",
        name="T",
        school_id="sa",
        roles={dc.Role.TEACHER},
        line_manager_id="P1" if manages and not owner else None,
    )
    staff = {m.id: m for m in (member, other)}
    cycle = dc.Cycle(
        id="C1",
        school_id="sa",
        staff_id="P1" if owner else "T9",
        reviewer_id="P1" if reviews and not owner else "X1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )

    role = role_for(policy, member, cycle=cycle, staff=staff)

    assert role.name in {"reviewee", "reviewer", "line_manager", "headteacher"}
    actor = Actor("P1", role.name, school_id="sa")
    allowed = decide(policy, actor, "read_cycle", cycle=cycle, staff=staff).allowed
    assert allowed == (owner or reviews or manages or dc.Role.HEADTEACHER in roles)
