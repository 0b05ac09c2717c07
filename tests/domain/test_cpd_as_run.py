"""CPD as schools run it: catalogue, attendance, costs, sessions that move (issue 11, item 13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.domain import Attendance, AttendanceStatus, CPDActivity, CPDOffering, SessionMove
from devcycle.errors import ValidationError
from devcycle.serialization import dump_document, load_document
from devcycle.testing import strategies as dst

OCT_5 = date(2026, 10, 5)
OCT_19 = date(2026, 10, 19)


def _offering(**changes: object) -> CPDOffering:
    fields: dict[str, object] = {
        "id": "phonics",
        "school_id": "stm",
        "title": "Phonics refresher",
        "kind": dc.CPDKind.COURSE,
        "hours": 3,
        "cost": Decimal("100"),
        "cost_per_place": Decimal("25.50"),
        "priority_ids": ("P1",),
        "standard_ids": ("TS3",),
        "organiser_id": "H1",
    }
    fields.update(changes)
    return CPDOffering(**fields)  # type: ignore[arg-type]


def test_an_offering_is_kept_apart_from_its_runs() -> None:
    """A run carries the offering's title, kind, hours, costs and links, and names it."""
    run = _offering().schedule("phonics-1", start=OCT_5, attendee_ids=("T1", "T2"))

    assert run.offering_id == "phonics"
    assert (run.title, run.kind, run.hours) == ("Phonics refresher", dc.CPDKind.COURSE, 3)
    assert (run.priority_ids, run.standard_ids, run.organiser_id) == (("P1",), ("TS3",), "H1")
    assert run.total_cost == Decimal("151.00")
    assert load_document(dump_document(_offering())) == _offering()


def test_a_retired_offering_cannot_be_scheduled() -> None:
    with pytest.raises(ValidationError, match="retired"):
        _offering(retired=True).schedule("r", start=OCT_5)


def test_an_invalid_run_is_refused_naming_the_offering() -> None:
    with pytest.raises(ValidationError, match="phonics"):
        _offering().schedule("bad id!", start=OCT_5)


def test_attendance_is_booked_attended_or_absent() -> None:
    run = _offering().schedule("r", start=OCT_5, attendee_ids=("T1", "T2", "T3"))

    marked = run.with_statuses({"T1": "attended", "T2": AttendanceStatus.ABSENT, "T4": "attended"})

    assert marked.attended_ids == ("T1", "T4")
    assert marked.absent_ids == ("T2",)
    assert marked.booked_ids == ("T3",)
    assert marked.status_of("T9") is None
    assert marked.places == 4
    assert marked.with_status("T2", "attended").absent_ids == ()


def test_an_unknown_status_is_refused_with_the_allowed_ones() -> None:
    run = _offering().schedule("r", start=OCT_5, attendee_ids=("T1",))

    with pytest.raises(ValidationError, match="booked, attended, absent"):
        run.with_status("T1", "late")


def test_attendance_for_someone_without_a_place_is_refused() -> None:
    with pytest.raises(ValueError, match="not among 'attendee_ids'"):
        CPDActivity(
            id="r",
            school_id="stm",
            title="T",
            kind=dc.CPDKind.COURSE,
            start=OCT_5,
            attendance=(Attendance("T1", AttendanceStatus.ATTENDED),),
        )


def test_a_moved_session_keeps_its_name_and_counts_its_moves() -> None:
    run = _offering().schedule("r", start=OCT_5, sessions=(OCT_5, OCT_19))

    once = run.move_session(OCT_5, date(2026, 10, 12), reason="snow")
    twice = once.move_session(date(2026, 10, 12), date(2026, 10, 13))

    assert twice.dates == (date(2026, 10, 13), OCT_19)
    assert twice.start == date(2026, 10, 13)
    assert twice.session_key(date(2026, 10, 13)) == "2026-10-05"
    assert twice.session_sequence(date(2026, 10, 13)) == 2
    assert twice.session_key(OCT_19) == "2026-10-19"
    assert twice.session_sequence(OCT_19) == 0
    assert twice.moves[0] == SessionMove(OCT_5, OCT_5, date(2026, 10, 12), "snow")


def test_a_new_session_on_a_vacated_day_gets_a_name_of_its_own() -> None:
    run = _offering().schedule("r", start=OCT_5, sessions=(OCT_5,))
    moved = run.move_session(OCT_5, OCT_19)

    added = attrs.evolve(moved, start=OCT_5, sessions=(OCT_5, OCT_19))

    assert added.session_key(OCT_5) == "2026-10-05.2"
    assert added.session_key(OCT_19) == "2026-10-05"


def test_a_single_day_activity_moves_with_its_end() -> None:
    run = _offering().schedule("r", start=OCT_5, end=date(2026, 10, 6))

    moved = run.move_session(OCT_5, OCT_19)

    assert (moved.start, moved.end) == (OCT_19, date(2026, 10, 20))
    assert moved.session_key(OCT_19) == "2026-10-05"


@pytest.mark.parametrize(
    ("day", "to", "message"),
    [
        (OCT_19, date(2026, 11, 1), "no session on 2026-10-19"),
        (OCT_5, OCT_5, "already on that day"),
        (OCT_5, "2026-10-12", "must be dates"),
    ],
)
def test_a_bad_move_is_refused_and_changes_nothing(day: date, to: object, message: str) -> None:
    run = _offering().schedule("r", start=OCT_5)

    with pytest.raises(ValidationError, match=message):
        run.move_session(day, to)  # type: ignore[arg-type]
    assert run.moves == ()


def test_moves_that_do_not_chain_are_refused() -> None:
    with pytest.raises(ValueError, match="it was on"):
        CPDActivity(
            id="r",
            school_id="stm",
            title="T",
            kind=dc.CPDKind.COURSE,
            start=OCT_19,
            moves=(SessionMove(OCT_5, date(2026, 10, 6), OCT_19),),
        )


@given(activity=dst.cpd_activities(), steps=st.lists(st.tuples(st.integers(0, 9), dst.dates())))
def test_session_names_are_unique_and_survive_every_move(
    activity: CPDActivity, steps: list[tuple[int, date]]
) -> None:
    """However sessions move, no two share a name, and a moved one keeps its name."""
    for index, to in steps:
        days = sorted(set(activity.dates))
        day = days[index % len(days)]
        if to in days:
            continue
        key = activity.session_key(day)
        sequence = activity.session_sequence(day)
        activity = activity.move_session(day, to)
        assert activity.session_key(to) == key
        assert activity.session_sequence(to) == sequence + 1
    days = sorted(set(activity.dates))
    keys = [activity.session_key(d) for d in days]
    assert len(set(keys)) == len(keys)
    assert load_document(dump_document(activity)) == activity


@given(activity=dst.cpd_activities())
def test_the_total_cost_is_the_fixed_cost_plus_each_place(activity: CPDActivity) -> None:
    total = activity.total_cost
    if activity.cost is None and activity.cost_per_place is None:
        assert total is None
        return
    fixed = Decimal(str(activity.cost or 0))
    each = Decimal(str(activity.cost_per_place or 0))
    assert total == fixed + each * len(activity.attendee_ids)


def test_an_activity_with_no_cost_per_place_is_built() -> None:
    """Regression: cost_per_place defaults to None, which its validator refused."""
    activity = dc.CPDActivity(
        id="inset-1",
        school_id="oak",
        title="INSET day",
        kind=dc.CPDKind.INSET,
        start=date(2026, 9, 1),
    )

    assert activity.cost_per_place is None
    assert activity.total_cost is None
