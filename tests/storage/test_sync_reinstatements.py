"""A feed does not silently clear a stored leaving date (an older MIS export, sent again).

`sync_school` saved a feed's ``leaving_date=None`` over a leaving date recorded in devcycle
since the export was made (``record_leaver``, ``devcycle person leave``): the leaver was
back on the staff. Now it is refused, naming the person, the field and the stored date,
unless ``accept_reinstatements=True``; the same guard runs in `Services.sync_school`.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.access import Actor
from devcycle.services import Services
from devcycle.sync import refuse_reinstatements, sync_school

SCHOOL = dc.School(id="oak", name="Oak Primary")
LEFT = dt.date(2026, 12, 18)


def _person(staff_id: str, name: str, leaving: dt.date | None = None) -> dc.StaffMember:
    return dc.StaffMember(
        id=staff_id, name=name, school_id="oak", roles={"teacher"}, leaving_date=leaving
    )


FEED = [_person("T1", "Graham Fell"), _person("T2", "Anna Patel")]


def test_a_feed_clearing_a_recorded_leaving_date_is_refused_and_nothing_saved() -> None:
    with dc.open_store("memory://") as store:
        sync_school(store, SCHOOL, FEED)
        left = attrs.evolve(store.staff.get("oak", "T2"), leaving_date=LEFT)
        store.staff.update(left)
        renamed = [_person("T1", "Graham Fell-Rhys"), FEED[1]]

        with pytest.raises(dc.ValidationError) as caught:
            sync_school(store, SCHOOL, renamed, accept_renames=True)

        (problem,) = caught.value.problems
        assert "leaving_date of 'T2'" in problem
        assert "2026-12-18" in problem
        assert "accept_reinstatements=True" in problem
        assert problem.endswith("@ $.staff[1].leaving_date")
        assert store.staff.get("oak", "T2").leaving_date == LEFT
        assert store.staff.get("oak", "T1").name == "Graham Fell"


def test_accept_reinstatements_clears_it() -> None:
    with dc.open_store("memory://") as store:
        sync_school(store, SCHOOL, FEED)
        store.staff.update(attrs.evolve(store.staff.get("oak", "T2"), leaving_date=LEFT))

        report = sync_school(store, SCHOOL, FEED, accept_reinstatements=True)

        assert "updated 1" in report.summary()
        assert store.staff.get("oak", "T2").leaving_date is None


def test_services_sync_school_refuses_it_too() -> None:
    with dc.open_store("memory://") as store:
        sync_school(store, SCHOOL, FEED)
        store.staff.update(attrs.evolve(store.staff.get("oak", "T2"), leaving_date=LEFT))
        services = Services(store)

        with pytest.raises(dc.ValidationError, match="leaving_date of 'T2'"):
            services.sync_school(Actor.system(), SCHOOL, FEED)
        assert store.staff.get("oak", "T2").leaving_date == LEFT


@given(
    stored=st.one_of(st.none(), st.dates()),
    incoming=st.one_of(st.none(), st.dates()),
    accept=st.booleans(),
)
def test_only_clearing_a_stored_date_is_refused(
    stored: dt.date | None, incoming: dt.date | None, accept: bool
) -> None:
    kept = {"T2": _person("T2", "Anna Patel", stored)}
    people = [_person("T2", "Anna Patel", incoming)]
    refused = stored is not None and incoming is None and not accept
    if refused:
        with pytest.raises(dc.ValidationError):
            refuse_reinstatements(people, kept, school_id="oak", accept_reinstatements=accept)
    else:
        refuse_reinstatements(people, kept, school_id="oak", accept_reinstatements=accept)
