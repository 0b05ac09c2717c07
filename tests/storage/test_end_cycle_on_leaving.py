"""`Services.end_cycle_on_leaving`: a leaver's open cycles ended in one checked, logged step.

Oak: T1 (reviewed by M1) leaves on 15 January 2027 with this year's cycle active and
next year's drafted; T2 is still there. Elm, in the same trust, reuses every id: its T1
has not left.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import date

import pytest

import devcycle as dc
from devcycle.errors import AccessDenied, ConflictError, DomainError, NotFoundError, ValidationError
from devcycle.services import Services

LEFT = date(2027, 1, 15)
ON = date(2027, 1, 20)
SYSTEM = dc.Actor("system", "system")


def _head(school: str = "oak") -> dc.Actor:
    return dc.Actor("H1", "headteacher", school_id=school)


def _person(
    school: str, person_id: str, role: dc.Role, reviewer: str | None = None
) -> dc.StaffMember:
    return dc.StaffMember(
        id=person_id, name=f"{person_id} of {school}", school_id=school, roles={role},
        reviewer_id=reviewer,
    )  # fmt: skip


def _cycle(school: str, cycle_id: str, staff_id: str, year: int) -> dc.Cycle:
    cycle = dc.Cycle(
        id=cycle_id, school_id=school, staff_id=staff_id, reviewer_id="M1",
        period_start=date(year, 9, 1), period_end=date(year + 1, 8, 31),
    )  # fmt: skip
    if year == 2026:
        cycle.start_planning(by="M1", on=date(2026, 9, 10))
        objective = cycle.propose_objective(by=staff_id, on=date(2026, 9, 20), statement="Aim.")
        cycle.agree_objective(objective.id, by="M1", on=date(2026, 10, 1))
        cycle.activate(by="M1", on=date(2026, 10, 2))
    return cycle


@pytest.fixture
def services() -> Iterator[Services]:
    with dc.open_store("memory://") as store:
        with store.transaction() as tx:
            for school in ("oak", "elm"):
                tx.schools.add(dc.School(id=school, name=school.title(), trust_id="trust"))
                tx.staff.add_all(
                    [
                        _person(school, "H1", dc.Role.HEADTEACHER),
                        _person(school, "M1", dc.Role.MIDDLE_LEADER, "H1"),
                        _person(school, "T1", dc.Role.TEACHER, "M1"),
                        _person(school, "T2", dc.Role.TEACHER, "M1"),
                    ]
                )
                tx.cycles.add_all(
                    [
                        _cycle(school, "2026-T1", "T1", 2026),
                        _cycle(school, "2027-T1", "T1", 2027),
                        _cycle(school, "2026-T2", "T2", 2026),
                    ]
                )
            tx.commit()
        services = Services(store)
        services.record_leaver(SYSTEM, "oak", "T1", LEFT)
        yield services


def _versions(services: Services) -> dict[tuple[str, str], int]:
    return {
        (c.school_id, c.id): c.version
        for school in ("oak", "elm")
        for c in services.store.cycles.for_school(school)
    }


def test_every_open_cycle_of_the_leaver_is_ended_and_logged(services: Services) -> None:
    ended = services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON, note="Moved to Leeds.")

    assert [(c.id, c.status) for c in ended] == [
        ("2026-T1", dc.CycleStatus.ENDED),
        ("2027-T1", dc.CycleStatus.ENDED),
    ]
    store = services.store
    for cycle_id, before in (("2026-T1", "active"), ("2027-T1", "draft")):
        stored = store.cycles.get("oak", cycle_id)
        assert stored.is_ended
        assert stored.ending is not None
        assert (stored.ending.by, stored.ending.on, stored.ending.from_state) == ("H1", ON, before)
        assert stored.ending.detail == "left on 2027-01-15; Moved to Leeds."
    # the agreed objective stays agreed: not judged
    assert store.cycles.get("oak", "2026-T1").objectives[0].status is dc.ObjectiveStatus.AGREED
    updates = [
        (e.record_id, e.actor) for e in store.audit.query("oak", action="update", kind="cycle")
    ]
    assert ("2026-T1", "H1") in updates
    assert ("2027-T1", "H1") in updates
    assert store.cycles.get("oak", "2026-T2").status is dc.CycleStatus.ACTIVE


def test_school_b_s_t1_is_not_school_a_s(services: Services) -> None:
    """Elm reuses the ids: its T1 has not left, and Oak's ending touches nothing of Elm's."""
    elm = [(c.id, c.version, c.status) for c in services.store.cycles.for_school("elm")]

    services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON)

    assert [(c.id, c.version, c.status) for c in services.store.cycles.for_school("elm")] == elm
    with pytest.raises(ValidationError, match=r"T1 of elm \(T1\) has not left school 'elm'"):
        services.end_cycle_on_leaving(_head("elm"), "elm", "T1", on=ON)
    with pytest.raises(AccessDenied):  # Oak's headteacher has no standing at Elm
        services.end_cycle_on_leaving(_head("oak"), "elm", "T1", on=ON)


def test_a_dry_run_checks_and_saves_nothing(services: Services) -> None:
    before = _versions(services)
    log = services.store.audit.head("oak")

    ended = services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON, dry_run=True)

    assert [c.status for c in ended] == [dc.CycleStatus.ENDED] * 2
    assert _versions(services) == before
    assert services.store.audit.head("oak") == log
    assert services.store.cycles.get("oak", "2026-T1").status is dc.CycleStatus.ACTIVE


def test_one_cycle_named_leaves_the_others(services: Services) -> None:
    services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON, cycle_ids=["2027-T1"])

    assert services.store.cycles.get("oak", "2027-T1").is_ended
    assert services.store.cycles.get("oak", "2026-T1").status is dc.CycleStatus.ACTIVE


@pytest.mark.parametrize(
    ("actor", "refused"),
    [
        (dc.Actor("T1", "reviewee", school_id="oak"), AccessDenied),
        (dc.Actor("M1", "reviewer", school_id="oak"), AccessDenied),
        (dc.Actor("X1", "school_admin", school_id="oak"), AccessDenied),
        (dc.Actor("G1", "governor", school_id="oak"), AccessDenied),
        (dc.Actor("L1", "line_manager", school_id="oak"), AccessDenied),
    ],
)
def test_least_privilege_only_the_headteacher_by_default(
    services: Services, actor: dc.Actor, refused: type[Exception]
) -> None:
    before = _versions(services)

    with pytest.raises(refused):
        services.end_cycle_on_leaving(actor, "oak", "T1", on=ON)

    assert _versions(services) == before


def test_a_senior_leader_may_when_the_school_s_policy_says_so(services: Services) -> None:
    policy = dc.access.parse_policy(
        tomllib.loads("""
        [roles.senior_leader]
        description = "A deputy head who ends leavers' cycles."
        scope = "school"
        relation = "any"
        staff_roles = ["senior_leader"]
        actions = ["read_cycle", "read_school", "end_on_leaving"]
        read = ["milestones", "history"]
        write = []
        """),
        base=dc.access.default_policy(),
    )
    with services.store.transaction() as tx:
        tx.staff.add(_person("oak", "D1", dc.Role.SENIOR_LEADER, "H1"))
        tx.commit()

    ended = Services(services.store, policy).end_cycle_on_leaving(
        dc.Actor("D1", "senior_leader", school_id="oak"), "oak", "T1", on=ON
    )

    assert len(ended) == 2


@pytest.mark.parametrize(
    ("arguments", "pattern"),
    [
        ({"staff_id": "T2"}, r"T2 of oak \(T2\) has not left.*person leave T2 .*@ \$\.staff_id"),
        ({"on": date(2027, 1, 14)}, r"before T1 of oak \(T1\) left on 2027-01-15.*@ \$\.on"),
        ({"cycle_ids": ["2026-T2"]}, r"'2026-T2' is T2's, not T1's @ \$\.cycle_ids\[0\]"),
        ({"note": "a\nb"}, r"control character.*@ \$\.note"),
        ({"on": "2027-01-20"}, r"\$\.on"),
        ({"staff_id": "t 1"}, r"\$\.staff_id"),
    ],
)
def test_bad_requests_are_refused_naming_the_argument_and_nothing_is_saved(
    services: Services, arguments: dict[str, object], pattern: str
) -> None:
    before = _versions(services)
    call: dict[str, object] = {"staff_id": "T1", "on": ON, **arguments}

    with pytest.raises(ValidationError, match=pattern):
        services.end_cycle_on_leaving(_head(), "oak", **call)  # type: ignore[arg-type]

    assert _versions(services) == before


def test_unknown_people_and_cycles_are_not_found(services: Services) -> None:
    with pytest.raises(NotFoundError, match=r"T9.*@ \$\.staff_id"):
        services.end_cycle_on_leaving(_head(), "oak", "T9", on=ON)
    with pytest.raises(NotFoundError, match=r"nope.*@ \$\.cycle_ids\[0\]"):
        services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON, cycle_ids=["nope"])


def test_a_cycle_already_ended_or_closed_is_refused(services: Services) -> None:
    services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON, cycle_ids=["2027-T1"])

    with pytest.raises(ValidationError, match=r"'2027-T1' was already ended on 2027-01-20 by H1"):
        services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON, cycle_ids=["2027-T1"])
    services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON)
    with pytest.raises(ValidationError, match="has no open cycle to end"):
        services.end_cycle_on_leaving(_head(), "oak", "T1", on=ON)


def test_a_stale_copy_loses_optimistic_concurrency(services: Services) -> None:
    """Someone saves the cycle between the load and the save: a ConflictError, nothing ended."""
    store = services.store
    stale = store.cycles.get("oak", "2026-T1")
    fresh = store.cycles.get("oak", "2026-T1")
    fresh.add_evidence(by="M1", on=date(2027, 1, 16), description="Books.")
    store.cycles.update(fresh)

    stale.end_on_leaving(by="H1", on=ON, left_on=LEFT)
    with pytest.raises(ConflictError):
        store.cycles.update(stale)
    assert store.cycles.get("oak", "2026-T1").status is dc.CycleStatus.ACTIVE


def test_act_takes_the_leaving_day_from_the_staff_record(services: Services) -> None:
    """``act`` passes ``left_on`` to the cycle; the services hold it to the stored one."""
    head = _head()
    with pytest.raises(ValidationError, match=r"left_on 2027-01-01 is not the leaving date"):
        services.act(head, "oak", "2026-T1", "end_on_leaving", on=ON, left_on=date(2027, 1, 1))
    with pytest.raises(ValidationError, match=r"has not left.*@ \$\.left_on"):
        services.act(head, "oak", "2026-T2", "end_on_leaving", on=ON, left_on=ON)
    with pytest.raises(DomainError, match="reviewee cannot end their own cycle"):
        Services(services.store, dc.access.parse_policy(
            tomllib.loads('[roles.reviewee]\nactions = ["read_cycle", "end_on_leaving"]'),
            base=dc.access.default_policy(),
        )).act(dc.Actor("T1", "reviewee", school_id="oak"), "oak", "2026-T1", "end_on_leaving",
               on=ON, left_on=LEFT)  # fmt: skip

    saved = services.act(head, "oak", "2026-T1", "end_on_leaving", on=ON, left_on=LEFT)

    assert saved.is_ended
