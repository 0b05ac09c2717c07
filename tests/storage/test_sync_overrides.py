"""An older feed does not silently undo a staff change made in devcycle since the last sync.

A school leader changed T1's reviewer in devcycle (audited); the vendor's sync then ran
again with an MIS export made before the change, and `sync_school` put the old reviewer
back, unseen. Now a feed that would change a field (`GUARDED_STAFF_FIELDS`) written in
devcycle since the person's last sync is refused, nothing saved, unless
``accept_roster_overrides=True``. The audit trail says what changed in devcycle: each
sync marks the people it saved (`SYNC_ACTION`), and every ``update`` naming a field since
was made in devcycle. A trust's schools reuse staff ids: oak's T1 is not elm's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._stores import BACKENDS, empty_store

import devcycle as dc
from devcycle.access import Actor
from devcycle.services import Services
from devcycle.storage import Store, open_store
from devcycle.storage.audit import AuditEvent
from devcycle.sync import (
    GUARDED_STAFF_FIELDS,
    SYNC_ACTION,
    refuse_roster_overrides,
    sync_in,
    sync_school,
)

TEAMS = [dc.Team(id="ks1", name="Key Stage 1"), dc.Team(id="ks2", name="Key Stage 2")]
OAK = dc.School(id="oak", name="Oak Primary", trust_id="rivers", teams=TEAMS)
ELM = dc.School(id="elm", name="Elm Primary", trust_id="rivers", teams=TEAMS)


def _feed(school_id: str = "oak", **t1: Any) -> list[dc.StaffMember]:
    """H1 heads the school, M1 leads ks2, T1 teaches in ks2 (with *t1*'s changes)."""
    fields: dict[str, Any] = {
        "id": "T1",
        "name": "Tina Bell",
        "school_id": school_id,
        "roles": {"teacher"},
        "team_ids": ["ks2"],
        "reviewer_id": "H1",
        "line_manager_id": "H1",
        "fte": 1.0,
        "email": "tina@school.example",
        "start_date": date(2020, 9, 1),
    }
    fields.update(t1)
    return [
        dc.StaffMember(id="H1", name="Helen Ashworth", school_id=school_id, roles={"headteacher"}),
        dc.StaffMember(
            id="M1",
            name="Mo Lead",
            school_id=school_id,
            roles={"middle_leader", "teacher"},
            team_ids=["ks2"],
            reviewer_id="H1",
        ),
        dc.StaffMember(**fields),
    ]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    with empty_store(request.param) as opened:
        yield opened


def _edit(store: Store, school_id: str = "oak", staff_id: str = "T1", **changes: Any) -> None:
    """Change a stored person in devcycle (an audited update, as the services make it)."""
    member = store.staff.get(school_id, staff_id)
    store.staff.update(attrs.evolve(member, **changes))


def _t1(store: Store, school_id: str = "oak") -> dc.StaffMember:
    return store.staff.get(school_id, "T1")


def test_an_older_feed_does_not_put_back_a_reviewer_changed_in_devcycle(store: Store) -> None:
    """The user's report: the old export silently reverted the new reviewer."""
    sync_school(store, OAK, _feed())
    _edit(store, reviewer_id="M1")
    entries = len(store.audit.query("oak"))

    with pytest.raises(dc.ValidationError) as caught:
        sync_school(store, OAK, _feed())  # the same (older) export, run again

    assert _t1(store).reviewer_id == "M1"
    assert len(store.audit.query("oak")) == entries  # nothing written, not even a mark
    (problem,) = caught.value.problems
    assert caught.value.source == "MIS sync"
    assert problem.startswith("reviewer_id of 'T1' ('Tina Bell') in school 'oak' was changed")
    assert "M1 is stored and the feed would change it to H1" in problem
    assert "accept_roster_overrides=True" in problem
    assert problem.endswith("@ $.staff[2].reviewer_id")


_CHANGES: dict[str, tuple[object, object]] = {
    # field: (the value devcycle sets, the value a newer feed gives)
    "roles": ({"teacher", "middle_leader"}, {"teacher", "senior_leader"}),
    "team_ids": (["ks1"], ["ks1", "ks2"]),
    "reviewer_id": ("M1", None),
    "line_manager_id": ("M1", None),
    "fte": (0.6, 0.8),
    "start_date": (date(2021, 1, 4), date(2019, 9, 2)),
    "email": ("t.bell@school.example", None),
    "leaving_date": (date(2027, 8, 31), date(2027, 3, 31)),
}


def test_every_guarded_field_is_tested() -> None:
    assert set(_CHANGES) == set(GUARDED_STAFF_FIELDS)
    assert {"roles", "team_ids", "reviewer_id", "line_manager_id"} <= set(GUARDED_STAFF_FIELDS)
    assert "name" not in GUARDED_STAFF_FIELDS  # refuse_renames' own


@pytest.mark.parametrize("field", sorted(_CHANGES))
def test_each_field_changed_in_devcycle_is_guarded(field: str) -> None:
    in_devcycle, newer = _CHANGES[field]
    with open_store("memory://") as store:
        sync_school(store, OAK, _feed())
        _edit(store, **{field: in_devcycle})
        edited = getattr(_t1(store), field)

        with pytest.raises(dc.ValidationError, match=rf"@ \$\.staff\[2\]\.{field}$"):
            sync_school(store, OAK, _feed())  # the old value back
        with pytest.raises(dc.ValidationError, match=rf"- {field} of 'T1'"):
            sync_school(store, OAK, _feed(**{field: newer}))  # any other value
        assert getattr(_t1(store), field) == edited

        # the stored value is no change: the sync goes through (and marks T1 synced)
        assert sync_school(store, OAK, _feed(**{field: in_devcycle})).summary() == "unchanged 6"
        # since that sync, the feed is the MIS's word again
        sync_school(store, OAK, _feed(**{field: newer}))
        assert getattr(_t1(store), field) == getattr(_feed(**{field: newer})[2], field)


def test_accept_roster_overrides_puts_the_feed_s_values_back(store: Store) -> None:
    sync_school(store, OAK, _feed())
    _edit(store, reviewer_id="M1", team_ids=["ks1"])

    report = sync_school(store, OAK, _feed(), accept_roster_overrides=True)

    assert [(i.id, i.changed) for i in report.updated] == [("T1", ("team_ids", "reviewer_id"))]
    assert (_t1(store).reviewer_id, _t1(store).team_ids) == ("H1", ("ks2",))
    # synced since: the same feed again changes nothing, writes nothing
    entries = len(store.audit.query("oak"))
    assert sync_school(store, OAK, _feed()).summary() == "unchanged 6"
    assert len(store.audit.query("oak")) == entries


def test_a_trust_s_schools_reusing_ids_do_not_guard_each_other() -> None:
    """oak/T1 changed in devcycle: elm/T1 (the same id) syncs freely, and oak stays guarded."""
    with open_store("memory://") as store:
        sync_school(store, OAK, _feed("oak"))
        sync_school(store, ELM, _feed("elm"))
        _edit(store, "oak", reviewer_id="M1")

        sync_school(store, ELM, _feed("elm", reviewer_id="M1"))  # elm's own change, by its MIS
        sync_school(store, ELM, _feed("elm"))  # and back: nothing of elm's was changed here

        assert _t1(store, "elm").reviewer_id == "H1"
        with pytest.raises(dc.ValidationError, match="in school 'oak'"):
            sync_school(store, OAK, _feed("oak"))
        assert _t1(store, "oak").reviewer_id == "M1"

        # and elm's change in devcycle does not guard oak's T1 once oak's is accepted
        sync_school(store, OAK, _feed("oak"), accept_roster_overrides=True)
        _edit(store, "elm", roles={"teacher", "middle_leader"})
        sync_school(store, OAK, _feed("oak", roles={"teacher", "senior_leader"}))
        with pytest.raises(dc.ValidationError, match="in school 'elm'"):
            sync_school(store, ELM, _feed("elm"))


def test_a_first_sync_refuses_nothing() -> None:
    """Staff stored and changed before any sync (no mark): the first sync is the MIS's word."""
    with open_store("memory://") as store:
        store.schools.add(OAK)
        store.staff.add_all(_feed())
        _edit(store, reviewer_id="M1")

        report = sync_school(store, OAK, _feed())

        assert [i.id for i in report.updated] == ["T1"]
        assert _t1(store).reviewer_id == "H1"


def test_a_record_stored_again_under_the_same_id_starts_afresh() -> None:
    """Deleted (a purge) and added again in devcycle: its old marks say nothing of it."""
    with open_store("memory://") as store:
        sync_school(store, OAK, _feed())
        _edit(store, reviewer_id="M1")
        store.staff.delete("oak", "T1")
        store.staff.add(attrs.evolve(_feed()[2], reviewer_id="M1"))

        sync_school(store, OAK, _feed())  # its first sync since: the MIS's word

        assert _t1(store).reviewer_id == "H1"
        _edit(store, reviewer_id="M1")
        with pytest.raises(dc.ValidationError):  # and guarded from then on
            sync_school(store, OAK, _feed())


def test_only_the_fields_changed_in_devcycle_are_guarded(store: Store) -> None:
    sync_school(store, OAK, _feed())
    _edit(store, reviewer_id="M1")

    sync_school(store, OAK, _feed(reviewer_id="M1", fte=0.5, team_ids=["ks1"]))

    assert (_t1(store).reviewer_id, _t1(store).fte, _t1(store).team_ids) == ("M1", 0.5, ("ks1",))


def test_a_cleared_leaving_date_is_refuse_reinstatements_alone() -> None:
    """Clearing a leaving date set in devcycle is one problem, under its own flag."""
    with open_store("memory://") as store:
        sync_school(store, OAK, _feed())
        _edit(store, leaving_date=date(2027, 8, 31))

        with pytest.raises(dc.ValidationError) as caught:
            sync_school(store, OAK, _feed())
        (problem,) = caught.value.problems
        assert "accept_reinstatements=True" in problem

        sync_school(store, OAK, _feed(), accept_reinstatements=True)
        assert _t1(store).leaving_date is None


def test_the_services_sync_is_guarded_the_same_way() -> None:
    with open_store("memory://") as store:
        services = Services(store)
        services.sync_school(Actor.system(), OAK, _feed())
        services.save_school(
            Actor.system(), store.schools.get("oak"), [attrs.evolve(_t1(store), reviewer_id="M1")]
        )

        with pytest.raises(dc.ValidationError, match="accept_roster_overrides=True"):
            services.sync_school(Actor.system(), OAK, _feed())
        assert _t1(store).reviewer_id == "M1"

        services.sync_school(Actor.system(), OAK, _feed(), accept_roster_overrides=True)
        assert _t1(store).reviewer_id == "H1"


def test_sync_in_checks_in_the_transaction_that_writes() -> None:
    """A change committed after the caller looked is still seen: the check reads tx.audit."""
    with open_store("memory://") as store:
        sync_school(store, OAK, _feed())
        _edit(store, roles={"teacher", "middle_leader"})
        with store.transaction() as tx, pytest.raises(dc.ValidationError, match="- roles of"):
            sync_in(tx, OAK, _feed())
        assert _t1(store).roles == {dc.Role.TEACHER, dc.Role.MIDDLE_LEADER}


def test_a_change_made_while_a_sync_ran_is_seen_by_its_version() -> None:
    """A sync's mark names the version it saw: a later version was made in devcycle, even
    when the change was committed before the mark (while the sync ran, unseen by it)."""
    with open_store("memory://") as store:
        sync_school(store, OAK, _feed(fte=0.8))  # T1 stored at version 1, marked
        sync_school(store, OAK, _feed())  # updated to version 2, marked
        marks = store.audit.query("oak", record="T1", action=SYNC_ACTION)
        assert [(m.version, m.fields) for m in marks] == [
            (1, GUARDED_STAFF_FIELDS),
            (2, GUARDED_STAFF_FIELDS),
        ]
        _edit(store, reviewer_id="M1")  # version 3, committed first...
        store.audit.append(  # ...then the mark of a sync that read version 2
            AuditEvent(
                action=SYNC_ACTION,
                tenant="oak",
                kind="staff",
                record_id="T1",
                version=2,
                persons=("T1",),
                fields=GUARDED_STAFF_FIELDS,
            )
        )

        with pytest.raises(dc.ValidationError, match="- reviewer_id of 'T1'"):
            sync_school(store, OAK, _feed())
        assert _t1(store).reviewer_id == "M1"


def test_refuse_roster_overrides_on_its_own_names_the_roster_row_and_flag() -> None:
    with open_store("memory://") as store:
        sync_school(store, OAK, _feed())
        _edit(store, team_ids=["ks1"])
        stored = {m.id: m for m in store.staff.for_school("oak")}

        with pytest.raises(dc.ValidationError) as caught:
            refuse_roster_overrides(
                _feed(),
                stored,
                school_id="oak",
                audit=store.audit,
                rows={"T1": 4},
                source="staff.csv",
            )
        (problem,) = caught.value.problems
        assert caught.value.source == "staff.csv"
        assert "teams of 'T1'" in problem
        assert "ks1 is stored and the roster would change it to ks2" in problem
        assert problem.endswith(
            "--accept-roster-overrides if the roster is right @ row 4, column teams"
        )

        # a roster that does not carry the field, and an accepted one, are not refused
        refuse_roster_overrides(
            _feed(), stored, school_id="oak", audit=store.audit, fields=("roles",)
        )
        refuse_roster_overrides(
            _feed(), stored, school_id="oak", audit=store.audit, accept_roster_overrides=True
        )


# ------------------------------------------------------------------ the property

_IDS = ("H1", "M1", "T1")
_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "roles": st.sampled_from([{"teacher"}, {"teacher", "middle_leader"}]),
    "team_ids": st.sampled_from([[], ["ks1"], ["ks2"], ["ks1", "ks2"]]),
    "fte": st.sampled_from([1.0, 0.5]),
    "email": st.sampled_from([None, "a@school.example"]),
}


@st.composite
def _people(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    """Each of H1, M1, T1's guarded fields (reviewer and line manager among the others)."""
    people: dict[str, dict[str, Any]] = {}
    for staff_id in _IDS:
        others = [i for i in _IDS if i != staff_id]
        values = {field: draw(values) for field, values in _VALUES.items()}
        values["reviewer_id"] = draw(st.sampled_from([None, *others]))
        values["line_manager_id"] = draw(st.sampled_from([None, *others]))
        people[staff_id] = values
    return people


def _members(people: dict[str, dict[str, Any]]) -> list[dc.StaffMember]:
    return [
        dc.StaffMember(id=i, name=f"Person {i}", school_id="oak", **values)
        for i, values in people.items()
    ]


_EDIT = st.tuples(
    st.just("edit"),
    st.sampled_from(_IDS),
    st.sampled_from(["roles", "team_ids", "fte", "email", "reviewer_id", "line_manager_id"]),
    st.data(),
)
_SYNC = st.tuples(st.just("sync"), _people(), st.booleans())


@settings(max_examples=60, deadline=None)
@given(first=_people(), steps=st.lists(st.one_of(_EDIT, _SYNC), max_size=8))
def test_a_sync_never_undoes_a_change_since_the_last_sync_unless_accepted(
    first: dict[str, dict[str, Any]], steps: list[tuple[Any, ...]]
) -> None:
    """Any in-devcycle edits and syncs: without the flag an edited field is kept (the sync
    refused whole when it would change one), with it the feed is stored as sent."""
    with open_store("memory://") as store:
        sync_school(store, OAK, _members(first))
        edited: set[tuple[str, str]] = set()  # (person, field) changed since their last sync
        for step in steps:
            before = {m.id: m for m in store.staff.for_school("oak")}
            if step[0] == "edit":
                _, staff_id, field, data = step
                values = (
                    _VALUES[field]
                    if field in _VALUES
                    else st.sampled_from([None, *(i for i in _IDS if i != staff_id)])
                )
                value = data.draw(values)
                changed = attrs.evolve(before[staff_id], **{field: value})
                if getattr(changed, field) != getattr(before[staff_id], field):
                    store.staff.update(changed)
                    edited.add((staff_id, field))
                continue
            _, people, accept = step
            feed = {m.id: m for m in _members(people)}
            clash = {(i, f) for i, f in edited if getattr(feed[i], f) != getattr(before[i], f)}
            try:
                sync_school(store, OAK, list(feed.values()), accept_roster_overrides=accept)
            except dc.ValidationError:
                assert clash
                assert not accept
                assert {m.id: m for m in store.staff.for_school("oak")} == before
                continue
            assert accept or not clash
            after = {m.id: m for m in store.staff.for_school("oak")}
            assert after == feed  # with the flag, or nothing to refuse: the feed as sent
            edited.clear()


def test_the_audit_log_is_read_for_many_records_in_one_query(store: Store) -> None:
    """`AuditLog.query(records=...)`: what the guard reads, in every backend."""
    sync_school(store, OAK, _feed())
    _edit(store, reviewer_id="M1")

    entries = store.audit.query("oak", kind="staff", records=["T1", "M1", "X9"])

    assert entries == [e for e in store.audit.query("oak") if e.record_id in {"T1", "M1"}]
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert store.audit.query("oak", records=[]) == []
