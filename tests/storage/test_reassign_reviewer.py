"""`Services.reassign_reviewer`: a leaver's reviewees moved in one checked, logged transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

import devcycle as dc
from devcycle.errors import AccessDenied, ValidationError
from devcycle.services import Services
from devcycle.storage.references import staff_problems

ON = date(2026, 11, 2)
SYSTEM = dc.Actor("system", "system")


def _person(person_id: str, role: dc.Role, reviewer: str | None = None) -> dc.StaffMember:
    return dc.StaffMember(
        id=person_id, name=person_id, school_id="oak", roles={role}, reviewer_id=reviewer
    )


def _cycle(staff_id: str, reviewer: str | None) -> dc.Cycle:
    return dc.Cycle(
        id=f"2026-{staff_id}", school_id="oak", staff_id=staff_id, reviewer_id=reviewer,
        period_start=date(2026, 9, 1), period_end=date(2027, 8, 31),
    )  # fmt: skip


@pytest.fixture
def services() -> Iterator[Services]:
    """M1 reviews T1 and T2's cycles; T2's staff record already names M2; M1 has left."""
    with dc.open_store("memory://") as store:
        staff = [
            _person("H1", dc.Role.HEADTEACHER),
            _person("M1", dc.Role.MIDDLE_LEADER, "H1"),
            _person("M2", dc.Role.MIDDLE_LEADER, "H1"),
            _person("T1", dc.Role.TEACHER, "M1"),
            _person("T2", dc.Role.TEACHER, "M2"),
        ]
        with store.transaction() as tx:
            tx.schools.add(dc.School(id="oak", name="Oak"))
            tx.staff.add_all(staff)
            tx.cycles.add_all([_cycle("T1", "M1"), _cycle("T2", "M1")])
            tx.commit()
        services = Services(store)
        services.record_leaver(SYSTEM, "oak", "M1", date(2026, 10, 30))
        yield services


def test_every_open_cycle_moves_and_only_the_staff_records_naming_the_old_reviewer(
    services: Services,
) -> None:
    moved = services.reassign_reviewer(SYSTEM, "oak", "M1", "M2", on=ON)

    assert [(c.id, c.reviewer_id, m.id if m else None) for c, m in moved] == [
        ("2026-T1", "M2", "T1"),
        ("2026-T2", "M2", None),
    ]
    store = services.store
    assert store.staff.get("oak", "T1").reviewer_id == "M2"
    assert store.staff.get("oak", "T2").version == 1  # already named M2: not rewritten
    updates = [(e.kind, e.record_id) for e in store.audit.query("oak", action="update")]
    assert ("cycle", "2026-T1") in updates
    assert ("staff", "T1") in updates


def test_a_dry_run_checks_and_saves_nothing(services: Services) -> None:
    moved = services.reassign_reviewer(SYSTEM, "oak", "M1", "M2", on=ON, dry_run=True)

    assert [c.reviewer_id for c, _ in moved] == ["M2", "M2"]
    assert services.store.cycles.get("oak", "2026-T1").reviewer_id == "M1"
    assert services.store.staff.get("oak", "T1").reviewer_id == "M1"


def test_nobody_but_the_system_makes_themself_the_reviewer(services: Services) -> None:
    head = dc.Actor("H1", "headteacher", school_id="oak")

    with pytest.raises(AccessDenied, match="nobody but the system"):
        services.reassign_reviewer(head, "oak", "M1", "H1", on=ON)

    assert services.store.cycles.get("oak", "2026-T1").reviewer_id == "M1"


def test_a_leaver_cannot_be_the_new_reviewer(services: Services) -> None:
    services.record_leaver(SYSTEM, "oak", "M2", date(2026, 10, 31))

    with pytest.raises(ValidationError, match=r"new reviewer 'M2' \(M2\) left on 2026-10-31"):
        services.reassign_reviewer(SYSTEM, "oak", "M1", "M2", on=ON)

    assert services.store.cycles.get("oak", "2026-T1").reviewer_id == "M1"
    # on their last day they may still take the cycles over
    moved = services.reassign_reviewer(SYSTEM, "oak", "M1", "M2", on=date(2026, 10, 31))
    assert len(moved) == 2


# ------------------------------------------------------------------ one rule for every path


def test_act_refuses_a_reviewer_who_has_left_as_reassign_does(services: Services) -> None:
    """Before, ``act(..., "assign_reviewer")`` made the leaver M1 a reviewer again, and the
    health check listed the cycle as one nobody reviews at once."""
    head = dc.Actor("H1", "headteacher", school_id="oak")
    services.reassign_reviewer(SYSTEM, "oak", "M1", "M2", on=ON)

    with pytest.raises(ValidationError, match=r"'M1' \(M1\) left on 2026-10-30") as caught:
        services.act(head, "oak", "2026-T1", "assign_reviewer", on=ON, reviewer_id="M1")

    assert "@ $.reviewer_id" in str(caught.value)
    assert services.store.cycles.get("oak", "2026-T1").reviewer_id == "M2"
    # Before their last day they could still be given it; the rule is has_left's.
    moved = services.act(
        head, "oak", "2026-T1", "assign_reviewer", on=date(2026, 10, 30), reviewer_id="M1"
    )
    assert moved.reviewer_id == "M1"


def test_change_cycles_refuses_a_reviewer_who_has_left(services: Services) -> None:
    head = dc.Actor("H1", "headteacher", school_id="oak")
    services.reassign_reviewer(SYSTEM, "oak", "M1", "M2", on=ON)

    with pytest.raises(ValidationError, match="left on 2026-10-30"):
        services.change_cycles(
            head,
            "oak",
            ["2026-T1"],
            lambda cycle: cycle.assign_reviewer("M1", by="H1", on=ON),
        )

    assert services.store.cycles.get("oak", "2026-T1").reviewer_id == "M2"


def test_a_cycle_named_twice_is_refused_not_moved_twice(services: Services) -> None:
    """Before, the repeat wrote a second 'M2 -> M2' history entry and a second update."""
    with pytest.raises(ValidationError, match=r"named twice .* @ \$\.cycle_ids\[1\]"):
        services.reassign_reviewer(
            SYSTEM, "oak", "M1", "M2", on=ON, cycle_ids=["2026-T1", "2026-T1"]
        )

    assert services.store.cycles.get("oak", "2026-T1").reviewer_id == "M1"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"to_id": None}, "to_id"),
        ({"to_id": 5}, "to_id"),
        ({"from_id": 5}, "from_id"),
        ({"from_id": None}, "cycle_ids"),  # None: cycles with no reviewer, named
        ({"school_id": None}, "school_id"),
        ({"cycle_ids": "2026-T1"}, "cycle_ids"),
        ({"cycle_ids": ["2026-T1", 7]}, "cycle_ids[1]"),
    ],
)
def test_a_caller_s_mistake_is_a_validation_error_naming_the_argument(
    services: Services, arguments: dict[str, object], field: str
) -> None:
    """Before: AttributeError from did_you_mean, a TenancyError, or a string iterated."""
    call: dict[str, object] = {"school_id": "oak", "from_id": "M1", "to_id": "M2"}
    call.update(arguments)

    with pytest.raises(ValidationError) as caught:
        services.reassign_reviewer(SYSTEM, on=ON, **call)  # type: ignore[arg-type]

    assert f"$.{field}" in str(caught.value)


@pytest.fixture
def unreviewed() -> Iterator[Services]:
    """H1 (the head) and T3 have open cycles that nobody reviews."""
    with dc.open_store("memory://") as store:
        with store.transaction() as tx:
            tx.schools.add(dc.School(id="oak", name="Oak"))
            tx.staff.add_all(
                [
                    _person("H1", dc.Role.HEADTEACHER),
                    _person("D1", dc.Role.SENIOR_LEADER, "H1"),
                    _person("T3", dc.Role.TEACHER),
                ]
            )
            tx.cycles.add_all([_cycle("H1", None), _cycle("T3", None)])
            tx.commit()
        yield Services(store)


def test_a_cycle_nobody_reviews_is_given_its_first_reviewer(unreviewed: Services) -> None:
    moved = unreviewed.reassign_reviewer(SYSTEM, "oak", None, "D1", on=ON, cycle_ids=["2026-T3"])

    assert [(c.id, c.reviewer_id, m.reviewer_id if m else None) for c, m in moved] == [
        ("2026-T3", "D1", "D1")
    ]
    store = unreviewed.store
    assert store.cycles.get("oak", "2026-T3").reviewer_id == "D1"
    assert store.staff.get("oak", "T3").reviewer_id == "D1"
    updates = [(e.kind, e.record_id) for e in store.audit.query("oak", action="update")]
    assert ("cycle", "2026-T3") in updates
    assert ("staff", "T3") in updates


def test_a_governor_not_on_the_staff_may_review_the_headteacher(unreviewed: Services) -> None:
    unreviewed.reassign_reviewer(SYSTEM, "oak", None, "GOV1", on=ON, cycle_ids=["2026-H1"])

    assert unreviewed.store.cycles.get("oak", "2026-H1").reviewer_id == "GOV1"
    assert unreviewed.store.staff.get("oak", "H1").reviewer_id == "GOV1"


def test_someone_not_on_the_staff_reviews_nobody_but_a_headteacher(unreviewed: Services) -> None:
    with pytest.raises(ValidationError, match=r"'GOV1' is not on the staff.*\$\.to_id"):
        unreviewed.reassign_reviewer(
            SYSTEM, "oak", None, "GOV1", on=ON, cycle_ids=["2026-H1", "2026-T3"]
        )
    assert unreviewed.store.cycles.get("oak", "2026-H1").reviewer_id is None


def test_giving_a_first_reviewer_needs_the_cycle_ids_and_unreviewed_cycles(
    unreviewed: Services,
) -> None:
    with pytest.raises(ValidationError, match=r"name the cycles.*\$\.cycle_ids"):
        unreviewed.reassign_reviewer(SYSTEM, "oak", None, "D1", on=ON)
    unreviewed.reassign_reviewer(SYSTEM, "oak", None, "D1", on=ON, cycle_ids=["2026-T3"])
    with pytest.raises(ValidationError, match=r"reviewed by D1, not nobody"):
        unreviewed.reassign_reviewer(SYSTEM, "oak", None, "H1", on=ON, cycle_ids=["2026-T3"])


def test_a_dry_run_gives_no_first_reviewer(unreviewed: Services) -> None:
    moved = unreviewed.reassign_reviewer(
        SYSTEM, "oak", None, "GOV1", on=ON, cycle_ids=["2026-H1"], dry_run=True
    )

    assert [c.reviewer_id for c, _ in moved] == ["GOV1"]
    assert unreviewed.store.cycles.get("oak", "2026-H1").reviewer_id is None


def test_the_reference_checks_take_a_governor_as_the_head_s_reviewer_alone() -> None:
    """`staff_problems` asks the one rule (`governors_review`), as `cycle_problems` does."""
    head = _person("H1", dc.Role.HEADTEACHER, "GOV1")
    teacher = _person("T1", dc.Role.TEACHER, "GOV1")

    assert dc.domain.governors_review(head)
    assert not dc.domain.governors_review(teacher)
    assert staff_problems(head, {"H1", "T1"}) == []
    assert staff_problems(teacher, {"H1", "T1"}) != []
