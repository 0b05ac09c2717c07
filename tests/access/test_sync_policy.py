"""`Services.sync_school`: an MIS sync run for someone is checked against the policy.

`devcycle.sync.sync_school` writes the feed as the store's owner, with no policy: a data
manager's "sync now" through it could give anyone the headteacher role, move the school to
another trust or make themself a colleague's reviewer, all of which otherwise need
``grant_role`` or ``govern_school`` (the headteacher's). Through the services, a sync needs
the same rights as `Services.save_school` for every change it holds, and a refused sync
saves nothing (issue: sync bypasses grant_role).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import devcycle as dc
from devcycle.access import default_policy, parse_policy
from devcycle.errors import AccessDenied
from devcycle.services import Services
from devcycle.storage.bundle import export_bundle
from devcycle.sync import Outcome

SYSTEM = dc.Actor.system()
HEAD = dc.Actor("H1", "headteacher", school_id="oak")
OFFICE = dc.Actor("A1", "school_admin", school_id="oak")
SCHOOL = dc.School(
    id="oak", name="Oak Primary", trust_id="rivers", teams=(dc.Team("ks2", "Key Stage 2"),)
)


def _member(staff_id: str, role: str, **changes: object) -> dc.StaffMember:
    fields: dict[str, object] = {"reviewer_id": "H1"} if staff_id != "H1" else {}
    fields.update(changes)
    return dc.StaffMember(
        id=staff_id, name=f"Person {staff_id}", school_id="oak", roles={role}, **fields
    )


FEED = (
    _member("H1", "headteacher"),
    _member("A1", "support_staff"),
    _member("T1", "teacher", team_ids=("ks2",)),
    _member("T2", "teacher"),
)


@pytest.fixture
def services() -> Iterator[Services]:
    with dc.open_store("memory://") as store:
        service = Services(store)
        service.sync_school(SYSTEM, SCHOOL, FEED)
        yield service


def _stored(services: Services) -> str:
    return repr(export_bundle(services.store)["data"])


def _feed(staff_id: str, **changes: object) -> list[dc.StaffMember]:
    return [attrs.evolve(m, **changes) if m.id == staff_id else m for m in FEED]


@pytest.mark.parametrize(
    ("school", "feed", "refused"),
    [
        (SCHOOL, _feed("T1", roles={"middle_leader"}), "cannot give 'T1' the role middle_leader"),
        (SCHOOL, _feed("T2", roles={"headteacher"}), "cannot give 'T2' the role headteacher"),
        (
            SCHOOL,
            [*FEED, _member("T9", "senior_leader")],
            "cannot give 'T9' the role senior_leader",
        ),
        (attrs.evolve(SCHOOL, trust_id="hills"), FEED, "govern_school"),
        (attrs.evolve(SCHOOL, trust_id=None), FEED, "govern_school"),
        (SCHOOL, _feed("T2", reviewer_id="A1"), "cannot make 'A1' the reviewer of 'T2'"),
        (SCHOOL, _feed("T2", line_manager_id="A1"), "cannot make 'A1' the line manager"),
    ],
)
def test_the_office_s_sync_cannot_give_power(
    services: Services, school: dc.School, feed: list[dc.StaffMember], refused: str
) -> None:
    """What needs grant_role or govern_school outside a sync needs it inside one too."""
    before = _stored(services)

    with pytest.raises(AccessDenied, match=refused):
        services.sync_school(OFFICE, school, feed)

    assert _stored(services) == before


def test_the_office_s_sync_keeps_the_staff_list(services: Services) -> None:
    """A name, hours, a team, a new teacher, a new team: write_school and write_staff."""
    feed = [*_feed("T2", fte=0.6, name="Person T2 (part-time)"), _member("T3", "teacher")]
    school = attrs.evolve(SCHOOL, teams=(*SCHOOL.teams, dc.Team("ks1", "Key Stage 1")))

    report = services.sync_school(OFFICE, school, feed, accept_renames=True)

    assert [i.id for i in report.created] == ["ks1", "T3"]
    assert [(i.id, i.changed) for i in report.updated] == [
        ("oak", ("teams",)),
        ("T2", ("name", "fte")),
    ]
    log = services.store.audit.query("oak", action="update")
    assert {(e.actor, e.role) for e in log} == {("A1", "school_admin")}


def test_the_headteacher_s_sync_may_give_roles_and_move_the_trust(services: Services) -> None:
    school = attrs.evolve(SCHOOL, trust_id="hills")

    report = services.sync_school(HEAD, school, _feed("T1", roles={"middle_leader"}))

    assert {(i.kind, i.id) for i in report.updated} == {("school", "oak"), ("staff", "T1")}
    assert services.store.schools.get("oak").trust_id == "hills"
    assert services.store.staff.get("oak", "T1").roles == {dc.Role.MIDDLE_LEADER}


def test_nobody_gives_themself_a_role_by_sync(services: Services) -> None:
    before = _stored(services)

    with pytest.raises(AccessDenied, match="nobody gives themself a role"):
        services.sync_school(HEAD, SCHOOL, _feed("H1", roles={"headteacher", "senior_leader"}))
    assert _stored(services) == before


@pytest.mark.parametrize(
    "actor",
    [
        dc.Actor("T1", "reviewee", school_id="oak"),
        dc.Actor("L1", "trust_leader", trust_id="rivers"),
        dc.Actor("A1", "school_admin", school_id="elm"),
    ],
)
def test_a_role_without_write_school_and_write_staff_cannot_sync(
    services: Services, actor: dc.Actor
) -> None:
    before = _stored(services)

    with pytest.raises(AccessDenied):
        services.sync_school(actor, SCHOOL, FEED)
    assert _stored(services) == before


ROLE_VALUES = sorted(r.value for r in dc.Role)


@settings(max_examples=40, deadline=None)
@given(
    staff_id=st.sampled_from(["A1", "T1", "T2", "T9"]),
    roles=st.sets(st.sampled_from(ROLE_VALUES), min_size=1, max_size=3),
)
def test_whatever_roles_a_feed_gives_the_office_gives_none_that_carry_access(
    staff_id: str, roles: set[str]
) -> None:
    """Property: after any sync the office ran, nobody holds a leading role they lacked."""
    with dc.open_store("memory://") as store:
        services = Services(store)
        services.sync_school(SYSTEM, SCHOOL, FEED)
        before = {m.id: set(m.roles) for m in store.staff.for_school("oak")}
        feed = [m for m in FEED if m.id != staff_id]
        feed.append(attrs.evolve(FEED[2], id=staff_id, roles=roles, team_ids=()))
        try:
            report = services.sync_school(OFFICE, SCHOOL, feed, accept_renames=True)
        except AccessDenied:
            report = None
        after = {m.id: set(m.roles) for m in store.staff.for_school("oak")}
    leading = {r.value for r in dc.Role if r.leads}
    for person, held in after.items():
        gained = {r.value for r in held} - {r.value for r in before.get(person, set())}
        assert not gained & leading, (person, gained)
    if report is not None:
        assert all(i.outcome is not Outcome.LEFT or i.id == staff_id for i in report.items)


# A policy that lets a trust's leader keep its schools' records (write and govern them):
# they act in their own trust's schools, so they may not pull another trust's school into
# theirs by naming their trust on it, through a save or a sync.
TRUST_WRITERS = {
    "roles": {
        "trust_leader": {
            "actions": ["read_school", "write_school", "write_staff", "govern_school", "report"]
        }
    }
}


def _trust_services() -> Services:
    policy = parse_policy(TRUST_WRITERS, base=default_policy())
    services = Services(dc.open_store("memory://"), policy)
    services.sync_school(SYSTEM, SCHOOL, FEED)  # oak, in trust rivers
    return services


@pytest.mark.parametrize("how", ["save_school", "sync_school"])
def test_another_trust_s_leader_cannot_pull_a_school_into_their_trust(how: str) -> None:
    services = _trust_services()
    before = _stored(services)
    raider = dc.Actor("L2", "trust_leader", trust_id="hills")
    moved = attrs.evolve(services.store.schools.get("oak"), trust_id="hills")

    calls = {
        "save_school": lambda: services.save_school(raider, moved),
        "sync_school": lambda: services.sync_school(raider, moved, FEED),
    }

    with pytest.raises(AccessDenied, match="own trust's schools"):
        calls[how]()

    assert _stored(services) == before
    # the school's own trust's leader may (the policy gives them govern_school)
    own = dc.Actor("L1", "trust_leader", trust_id="rivers")
    services.save_school(own, moved)
    assert services.store.schools.get("oak").trust_id == "hills"


def test_a_sync_by_another_schools_head_is_refused_before_the_stored_school_is_read() -> None:
    """Regression: the sync checked the feed against the stored school (a team dropped that
    still has team milestones) before the policy, so the headteacher of another school, who
    may not write this one, got a ValidationError naming its teams and milestone ids instead
    of AccessDenied."""
    milestone = dc.Milestone(
        id="ks2-moderation",
        kind=dc.MilestoneKind.OTHER,
        title="Secret moderation",
        due=date(2026, 11, 20),
    )
    with dc.open_store("memory://") as store:
        service = Services(store)
        service.sync_school(SYSTEM, SCHOOL, FEED)
        stored = store.schools.get("oak")
        store.schools.update(
            attrs.evolve(stored, team_milestones=[dc.TeamMilestone("ks2", milestone)])
        )
        other = dc.School(id="elm", name="Elm Primary", trust_id="other")
        service.sync_school(SYSTEM, other, [attrs.evolve(FEED[0], school_id="elm")])
        before = _stored(service)
        stranger = dc.Actor("H1", "headteacher", school_id="elm")
        feed = [attrs.evolve(m, team_ids=()) for m in FEED]
        with pytest.raises(AccessDenied) as refused:
            service.sync_school(stranger, attrs.evolve(SCHOOL, teams=()), feed)
        assert "ks2-moderation" not in str(refused.value)
        assert _stored(service) == before
        # the school's own headteacher still gets the feed's problem
        with pytest.raises(dc.ValidationError, match="ks2-moderation"):
            service.sync_school(HEAD, attrs.evolve(SCHOOL, teams=()), feed)
