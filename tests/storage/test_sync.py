"""Syncing a school from an MIS: idempotent, reported record by record, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import devcycle as dc
from devcycle.storage import Store, open_store
from devcycle.sync import MIS_SCHOOL_FIELDS, Outcome, sync_school
from devcycle.testing import strategies as ds

SCHOOL = dc.School(
    id="brook",
    name="Brook Primary",
    teams=[dc.Team(id="ks1", name="Key Stage 1"), dc.Team(id="ks2", name="Key Stage 2")],
)


def person(staff_id: str, **changes: object) -> dc.StaffMember:
    fields: dict[str, object] = {
        "id": staff_id,
        "name": f"Person {staff_id}",
        "school_id": "brook",
        "roles": {"teacher"},
        "reviewer_id": "H1" if staff_id != "H1" else None,
        "team_ids": ["ks2"] if staff_id != "H1" else [],
    }
    fields.update(changes)
    return dc.StaffMember(**fields)  # type: ignore[arg-type]


FEED = [person("H1", roles={"headteacher"}), person("T1"), person("T2")]


@pytest.fixture(params=["memory", "json", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = {
        "memory": "memory://",
        "json": f"json://{tmp_path / 'json-store'}",
        "sqlite": f"sqlite:///{tmp_path / 'devcycle.db'}",
    }[request.param]
    with open_store(url) as opened:
        yield opened


def test_a_first_sync_creates_the_school_its_teams_and_staff(store: Store) -> None:
    report = sync_school(store, SCHOOL, FEED)

    assert report.summary() == "created 6"
    assert [(i.kind, i.id) for i in report.created] == [
        ("school", "brook"),
        ("team", "ks1"),
        ("team", "ks2"),
        ("staff", "H1"),
        ("staff", "T1"),
        ("staff", "T2"),
    ]
    assert {m.id for m in store.staff.for_school("brook")} == {"H1", "T1", "T2"}


def test_syncing_the_same_feed_again_changes_nothing(store: Store) -> None:
    sync_school(store, SCHOOL, FEED)
    versions = {m.id: m.version for m in store.staff.for_school("brook")}

    report = sync_school(store, SCHOOL, FEED)

    assert report.summary() == "unchanged 6"
    assert {m.id: m.version for m in store.staff.for_school("brook")} == versions


def test_a_changed_person_is_updated_with_the_fields_that_changed(store: Store) -> None:
    sync_school(store, SCHOOL, FEED)

    report = sync_school(store, SCHOOL, [FEED[0], person("T1", fte=0.6), FEED[2]])

    assert [(i.id, i.changed) for i in report.updated] == [("T1", ("fte",))]
    assert store.staff.get("brook", "T1").fte == 0.6


def test_a_person_no_longer_in_the_mis_is_reported_as_left_and_kept(store: Store) -> None:
    sync_school(store, SCHOOL, FEED)

    report = sync_school(store, SCHOOL, FEED[:2])

    assert [i.id for i in report.left] == ["T2"]
    assert store.staff.get("brook", "T2").name == "Person T2"


def test_teams_sent_apart_replace_the_schools_teams(store: Store) -> None:
    sync_school(store, SCHOOL, FEED)
    teams = [dc.Team(id="ks2", name="Upper Key Stage 2"), dc.Team(id="eyfs", name="EYFS")]

    report = sync_school(store, SCHOOL, FEED, teams=teams)

    assert {(i.id, i.outcome) for i in report.items if i.kind == "team"} == {
        ("ks2", Outcome.UPDATED),
        ("eyfs", Outcome.CREATED),
        ("ks1", Outcome.REMOVED),
    }
    assert [t.id for t in store.schools.get("brook").teams] == ["ks2", "eyfs"]


@pytest.mark.parametrize(
    ("feed", "expected"),
    [
        ([*FEED, person("T9", school_id="oak")], "belongs to school 'oak'"),
        ([*FEED, person("T1")], "appears more than once @ $.staff[3].id"),
        ([*FEED, person("T3", reviewer_id="X9")], "reviewer 'X9' of 'T3' is not on the staff"),
        ([*FEED, person("T3", reviewer_id="T3")], "cannot be their own reviewer"),
        ([*FEED, person("T3", team_ids=["maths"])], "team 'maths' of 'T3' is not one"),
    ],
    ids=["other-school", "repeated", "unknown-reviewer", "own-reviewer", "unknown-team"],
)
def test_a_feed_that_does_not_hold_together_is_refused_and_nothing_is_saved(
    store: Store, feed: list[dc.StaffMember], expected: str
) -> None:
    with pytest.raises(dc.ValidationError, match="MIS sync") as caught:
        sync_school(store, SCHOOL, feed)

    assert expected in str(caught.value)
    with pytest.raises(dc.NotFoundError):
        store.schools.get("brook")


def test_saving_a_never_loaded_copy_explains_itself_instead_of_blaming_someone_else(
    store: Store,
) -> None:
    """Regression: this said 'was saved by someone else since version 0'."""
    store.schools.add(SCHOOL)

    with pytest.raises(dc.ConflictError) as caught:
        store.schools.update(attrs.evolve(SCHOOL, name="Brook Primary School"))

    message = str(caught.value)
    assert "someone else" not in message
    assert "never loaded" in message
    assert "sync_school" in message


def test_a_stale_copy_names_the_version_it_is_now_at(store: Store) -> None:
    saved = store.schools.add(SCHOOL)
    store.schools.update(attrs.evolve(saved, name="Brook Primary School"))

    with pytest.raises(
        dc.ConflictError, match=r"since version 1 was loaded \(it is now at version 2\)"
    ):
        store.schools.update(attrs.evolve(saved, name="Brook"))


@st.composite
def feeds(draw: st.DrawFn) -> list[dc.StaffMember]:
    """A consistent staff list: reviewers and teams drawn from the feed and the school."""
    ids = draw(st.lists(ds.identifiers(), min_size=1, max_size=6, unique=True))
    people = []
    for staff_id in ids:
        member = draw(ds.staff_members(school_id=st.just("brook")))
        others = [i for i in ids if i != staff_id]
        reviewer = draw(st.none() | st.sampled_from(others)) if others else None
        teams = draw(st.lists(st.sampled_from(["ks1", "ks2"]), unique=True, max_size=2))
        people.append(
            attrs.evolve(
                member, id=staff_id, reviewer_id=reviewer, line_manager_id=None, team_ids=teams
            )
        )
    return people


@settings(max_examples=20)
@given(first=feeds(), second=feeds())
def test_after_any_two_syncs_the_store_holds_the_last_feed_and_keeps_leavers(
    first: list[dc.StaffMember], second: list[dc.StaffMember]
) -> None:
    with open_store("memory://") as store:
        sync_school(store, SCHOOL, first)
        # Names may differ, and the second feed may not have someone's leaving date.
        report = sync_school(store, SCHOOL, second, accept_renames=True, accept_reinstatements=True)
        again = sync_school(store, SCHOOL, second)
        stored = {m.id: m for m in store.staff.for_school("brook")}

    # The same in meaning: teams in another order are the same teams (kept as stored).
    assert all(not stored[m.id].changed_fields(m) for m in second)
    assert set(stored) == {m.id for m in first} | {m.id for m in second}
    assert {i.id for i in report.left} == {m.id for m in first} - {m.id for m in second}
    assert not again.created
    assert not again.updated


def _school_with_everything_set() -> dc.School:
    """SCHOOL with every field devcycle (not the MIS) sets given a non-default value."""
    milestone = dc.Milestone(id="M1", title="KS2 moderation", kind="other", due=date(2026, 3, 2))
    return attrs.evolve(
        SCHOOL,
        trust_id="rivers",
        priorities=[
            dc.Priority(
                id="P1",
                title="Reading",
                description="Every child a reader",
                kpis=[dc.KPI("K1", "Phonics pass", unit="%", baseline=70, target=85)],
                theme="reading",
            )
        ],
        country="wales",
        policy=dc.Policy(pay_recommendations=True, max_objectives=4, observation_hours_cap=3),
        cpd_budgets=[
            dc.CPDBudget(
                id="B26", start=date(2026, 4, 1), end=date(2027, 3, 31), amount=Decimal("1500")
            )
        ],
        team_milestones=[dc.TeamMilestone(team_id="ks2", milestone=milestone)],
    )


def test_a_sync_keeps_every_field_the_school_sets_in_devcycle(store: Store) -> None:
    """Regression: a sync saved the MIS's bare school over the stored one, wiping priorities,
    CPD budgets, team milestones and the policy (objectives then linked to a missing P1)."""
    full = _school_with_everything_set()
    owned = set(MIS_SCHOOL_FIELDS) | {"id", "version"}
    assert all(
        getattr(full, f.name) != f.default for f in attrs.fields(dc.School) if f.name not in owned
    ), "the test school must set every field devcycle owns"
    sync_school(store, SCHOOL, FEED)
    stored = store.schools.get("brook")
    store.schools.update(attrs.evolve(full, version=stored.version))

    renamed = attrs.evolve(SCHOOL, name="Brook Primary School", trust_id="rivers")
    report = sync_school(store, renamed, FEED)

    assert [(i.kind, i.outcome, i.changed) for i in report.items if i.kind == "school"] == [
        ("school", Outcome.UPDATED, ("name",))
    ]
    assert store.schools.get("brook") == attrs.evolve(full, name="Brook Primary School")
    assert sync_school(store, renamed, FEED).summary() == "unchanged 6"


def test_dropping_a_team_that_has_team_milestones_is_refused_and_nothing_is_saved(
    store: Store,
) -> None:
    sync_school(store, SCHOOL, FEED)
    stored = store.schools.get("brook")
    store.schools.update(attrs.evolve(_school_with_everything_set(), version=stored.version))
    before = store.schools.get("brook")
    feed = [person("H1", roles={"headteacher"}), person("T1", team_ids=["ks1"])]

    with pytest.raises(dc.ValidationError, match="MIS sync") as caught:
        sync_school(store, SCHOOL, feed, teams=[dc.Team(id="ks1", name="Key Stage 1")])

    assert "team 'ks2' is no longer sent by the MIS but has team milestone 'M1'" in str(
        caught.value
    )
    assert store.schools.get("brook") == before
    assert store.staff.get("brook", "T1").team_ids == ("ks2",)
