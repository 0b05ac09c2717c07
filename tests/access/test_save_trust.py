"""`Services.save_trust`: a trust created or changed through the policy, and audited.

Before it, no service saved a trust: an embedder wrote ``tx.trusts`` directly, past the
access policy, with no actor in the audit log (issue: no Services method saves a Trust).
"""

from __future__ import annotations

import pytest

import devcycle as dc
from devcycle.access import decide, default_policy, parse_policy
from devcycle.errors import AccessDenied, ValidationError
from devcycle.services import Services

SYSTEM = dc.Actor.system()
LEADER = dc.Actor("L1", "trust_leader", trust_id="rivers")


@pytest.fixture
def services() -> Services:
    service = Services(dc.open_store("memory://"))
    for school_id, trust_id in (("north", "rivers"), ("south", "rivers"), ("peak", "hills")):
        head = dc.StaffMember(id="H1", name="Head", school_id=school_id, roles={"headteacher"})
        service.save_school(
            SYSTEM, dc.School(id=school_id, name=school_id, trust_id=trust_id), [head]
        )
    return service


def test_the_system_creates_and_renames_a_trust_and_the_log_says_so(services: Services) -> None:
    created = services.save_trust(SYSTEM, dc.Trust(id="rivers", name="Rivers", school_ids=()))
    renamed = services.save_trust(
        SYSTEM, dc.Trust(id="rivers", name="Two Rivers Trust", school_ids=("north", "south"))
    )

    assert created.name == "Rivers"
    assert renamed.school_ids == ("north", "south")
    with services.store.transaction() as tx:
        assert tx.trusts.get("rivers").name == "Two Rivers Trust"
    log = [(e.action, e.kind, e.record_id, e.actor) for e in services.store.audit.query("rivers")]
    assert log == [("add", "trust", "rivers", "system"), ("update", "trust", "rivers", "system")]


def test_a_trust_leader_saves_their_own_trust_audited_as_themself(services: Services) -> None:
    services.save_trust(LEADER, dc.Trust(id="rivers", name="Two Rivers Trust"))

    (entry,) = services.store.audit.query("rivers")
    assert (entry.actor, entry.role, entry.kind) == ("L1", "trust_leader", "trust")


@pytest.mark.parametrize(
    ("actor", "reason"),
    [
        (dc.Actor("L2", "trust_leader", trust_id="hills"), "own trust"),
        (dc.Actor("L1", "trust_leader"), "own trust"),
        (dc.Actor("H1", "headteacher", school_id="north"), "own school"),
        (dc.Actor("A1", "school_admin", school_id="north"), "own school"),
        (dc.Actor("D1", "auditor", trust_id="rivers"), "does not let an auditor write_trust"),
    ],
)
def test_anyone_else_is_refused_and_nothing_is_saved(
    services: Services, actor: dc.Actor, reason: str
) -> None:
    with pytest.raises(AccessDenied, match=reason):
        services.save_trust(actor, dc.Trust(id="rivers", name="Taken over"))

    with services.store.transaction() as tx:
        assert tx.trusts.list() == []
    assert services.store.audit.query("rivers") == []


def test_who_may_is_the_policy_s_to_say(services: Services) -> None:
    """A policy that takes write_trust from trust leaders refuses them; no other rule."""
    base = default_policy()
    policy = parse_policy(
        {"roles": {"trust_leader": {"actions": ["read_cycle", "read_school", "report"]}}},
        base=base,
    )
    strict = Services(services.store, policy)

    with pytest.raises(AccessDenied, match="write_trust"):
        strict.save_trust(LEADER, dc.Trust(id="rivers", name="Rivers"))
    assert decide(base, LEADER, "write_trust", trust_id="rivers").allowed
    assert not decide(policy, LEADER, "write_trust", trust_id="rivers").allowed


def test_a_trust_lists_only_stored_schools_that_name_it(services: Services) -> None:
    """Listing another trust's school (or one not stored) is refused, naming each entry."""
    bad = dc.Trust(id="rivers", name="Rivers", school_ids=("north", "peak", "nowhere"))

    with pytest.raises(ValidationError) as raised:
        services.save_trust(LEADER, bad)

    message = str(raised.value)
    assert "school 'peak' is in trust 'hills', not 'rivers'" in message
    assert "$.school_ids[1]" in message
    assert "school 'nowhere' is not stored" in message
    assert "$.school_ids[2]" in message
    with services.store.transaction() as tx:
        assert tx.trusts.list() == []


def test_a_trust_leader_s_trust_never_reaches_a_school_by_its_list(services: Services) -> None:
    """Even as the system, listing a school does not move it: the school's trust decides."""
    with pytest.raises(ValidationError, match="govern_school"):
        services.save_trust(SYSTEM, dc.Trust(id="hills", name="Hills", school_ids=("north",)))
    assert [
        s.id for s in services.report_schools(dc.Actor("L2", "trust_leader", trust_id="hills"))
    ] == ["peak"]


def test_a_caller_s_mistake_is_a_clear_validation_error(services: Services) -> None:
    with pytest.raises(ValidationError, match=r"'trust' must be a devcycle\.Trust"):
        services.save_trust(SYSTEM, {"id": "rivers", "name": "Rivers"})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'actor' must be"):
        services.save_trust("system", dc.Trust(id="rivers", name="Rivers"))  # type: ignore[arg-type]
