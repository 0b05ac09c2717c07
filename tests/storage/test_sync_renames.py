"""The rename guard is the sync's own: an embedder's feed renaming stored staff is refused.

It used to live only in ``devcycle plan``: `sync_school` renamed a stored T1 to whoever
another school's feed called T1, their cycles and dates kept.
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.access import Actor
from devcycle.services import Services
from devcycle.sync import refuse_renames, sync_school

SCHOOL = dc.School(id="oak", name="Oak Primary")


def _person(staff_id: str, name: str) -> dc.StaffMember:
    return dc.StaffMember(id=staff_id, name=name, school_id="oak", roles={"teacher"})


FEED = [_person("T1", "Graham Fell"), _person("T2", "Anna Patel")]
OTHER_SCHOOL = [_person("T1", "Helen Ashworth"), _person("T2", "Anna Patel")]


def test_a_feed_renaming_stored_staff_is_refused_and_nothing_saved() -> None:
    with dc.open_store("memory://") as store:
        sync_school(store, SCHOOL, FEED)

        with pytest.raises(dc.ValidationError) as caught:
            sync_school(store, SCHOOL, OTHER_SCHOOL)

        (problem,) = caught.value.problems
        assert "name of 'T1' would change from 'Graham Fell' to 'Helen Ashworth'" in problem
        assert "accept_renames=True" in problem
        assert "--accept-renames" not in problem
        assert problem.endswith("@ $.staff[0].name")
        assert store.staff.get("oak", "T1").name == "Graham Fell"


def test_accept_renames_saves_a_genuine_change_of_name() -> None:
    with dc.open_store("memory://") as store:
        sync_school(store, SCHOOL, FEED)

        report = sync_school(store, SCHOOL, OTHER_SCHOOL, accept_renames=True)

        assert [(i.id, i.changed) for i in report.updated] == [("T1", ("name",))]
        assert store.staff.get("oak", "T1").name == "Helen Ashworth"


def test_the_services_sync_is_guarded_the_same_way() -> None:
    with dc.open_store("memory://") as store:
        services = Services(store)
        services.sync_school(Actor.system(), SCHOOL, FEED)

        with pytest.raises(dc.ValidationError, match="accept_renames=True"):
            services.sync_school(Actor.system(), SCHOOL, OTHER_SCHOOL)
        assert store.staff.get("oak", "T1").name == "Graham Fell"

        services.sync_school(Actor.system(), SCHOOL, OTHER_SCHOOL, accept_renames=True)
        assert store.staff.get("oak", "T1").name == "Helen Ashworth"


@given(st.sampled_from(["graham fell", "  Graham   Fell ", "GRAHAM FELL"]))
def test_capitals_and_white_space_are_not_a_change_of_name(name: str) -> None:
    stored = {"T1": FEED[0]}
    refuse_renames([attrs.evolve(FEED[0], name=name)], stored, school_id="oak")


def test_new_staff_and_unchanged_names_pass() -> None:
    refuse_renames([*FEED, _person("T3", "New Person")], {p.id: p for p in FEED}, school_id="oak")
