"""CPD sessions in iCalendar: stable UIDs when they move, SEQUENCE, attendees, reminders.

Issue 11, item 13. Written against the old export first: a moved session used to get a
new UID (a second event in every subscribed calendar) and carried no SEQUENCE, organiser,
attendees or alarms.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.cli import main
from devcycle.errors import ValidationError
from devcycle.interop.ical import cpd_uid, export_ics

STAMP = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
STAFF = (
    dc.StaffMember(
        id="H1",
        name="Hana Head",
        school_id="stm",
        roles={dc.Role.TEACHER},
        email="head@stm.example",
    ),
    dc.StaffMember(
        id="T1", name="Tom One", school_id="stm", roles={dc.Role.TEACHER}, email="t1@stm.example"
    ),
    dc.StaffMember(
        id="T2", name="Tia Two", school_id="stm", roles={dc.Role.TEACHER}, email="t2@stm.example"
    ),
    dc.StaffMember(id="T3", name="No Mail", school_id="stm", roles={dc.Role.TEACHER}),
)


def _run() -> dc.CPDActivity:
    offering = dc.CPDOffering(
        id="coaching",
        school_id="stm",
        title="Coaching",
        kind=dc.CPDKind.COACHING,
        cost=Decimal("300"),
        organiser_id="H1",
    )
    return offering.schedule(
        "coaching-autumn",
        start=date(2026, 10, 5),
        sessions=(date(2026, 10, 5), date(2026, 10, 19), date(2026, 11, 2)),
        attendee_ids=("T1", "T2", "T3"),
    ).with_statuses({"T1": "attended", "T2": "absent"})


def _events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_a_moved_session_keeps_its_uid_and_raises_its_sequence() -> None:
    run = _run()
    before = _events(export_ics([], stamp=STAMP, cpd=[run], staff=STAFF))
    moved = run.move_session(date(2026, 10, 19), date(2026, 10, 21), reason="trip")

    after = _events(export_ics([], stamp=STAMP, cpd=[moved], staff=STAFF))

    assert before.keys() == after.keys()
    uid = cpd_uid(moved, date(2026, 10, 21))
    assert uid == "cpd.stm.coaching-autumn.2026-10-19@devcycle.invalid"
    assert after[uid].decoded("DTSTART") == date(2026, 10, 21)
    assert int(after[uid]["SEQUENCE"]) == 1
    assert int(before[uid]["SEQUENCE"]) == 0
    changed = [u for u in before if before[u].to_ical() != after[u].to_ical()]
    assert changed == [uid]


def test_an_unmoved_session_keeps_the_uid_earlier_releases_gave_it() -> None:
    """Existing subscriptions do not see duplicates after upgrading."""
    run = _run()
    assert cpd_uid(run, date(2026, 11, 2)) == "cpd.stm.coaching-autumn.2026-11-02@devcycle.invalid"


def test_organiser_and_attendees_come_from_staff_email() -> None:
    data = export_ics([], stamp=STAMP, cpd=[_run()], staff=STAFF)
    event = next(iter(_events(data).values()))

    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:head@stm.example"
    assert organizer.params["CN"] == "Hana Head"
    attendees = {str(a): a.params["PARTSTAT"] for a in event["ATTENDEE"]}
    assert attendees == {"mailto:t1@stm.example": "ACCEPTED", "mailto:t2@stm.example": "DECLINED"}
    assert b"METHOD:PUBLISH" not in data  # RFC 5546: PUBLISH carries no ATTENDEE


def test_a_sessions_description_names_its_attendees() -> None:
    """Attendees were listed by staff id; they are named (people without an email too, and
    someone not among the staff given by their id)."""
    run = attrs.evolve(_run(), attendee_ids=("T1", "T3", "X9"), attendance=())
    data = export_ics([], stamp=STAMP, cpd=[run], staff=STAFF)
    event = next(iter(_events(data).values()))

    assert "Attendees: Tom One, No Mail, X9." in str(event["DESCRIPTION"])


def test_without_emails_the_calendar_is_published_as_before() -> None:
    plain = [attrs.evolve(p, email=None) for p in STAFF]
    data = export_ics([], stamp=STAMP, cpd=[_run()], staff=plain)

    assert b"METHOD:PUBLISH" in data
    assert b"ATTENDEE" not in data
    assert b"ORGANIZER" not in data


def test_reminders_are_alarms_before_each_session() -> None:
    data = export_ics(
        [],
        stamp=STAMP,
        cpd=[_run()],
        staff=STAFF,
        cpd_reminders=[timedelta(days=1), timedelta(hours=2)],
    )

    for event in _events(data).values():
        alarms = event.walk("VALARM")
        assert sorted(a.decoded("TRIGGER") for a in alarms) == [
            -timedelta(days=1),
            -timedelta(hours=2),
        ]
        assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}
    assert b"VALARM" not in export_ics([], stamp=STAMP, cpd=[_run()], staff=STAFF)


@pytest.mark.parametrize("bad", [timedelta(days=-1), 3, timedelta(days=366), timedelta.max])
def test_a_bad_reminder_is_refused(bad: object) -> None:
    with pytest.raises(ValidationError, match=r"cpd_reminders\[0\]"):
        export_ics([], stamp=STAMP, cpd=[_run()], cpd_reminders=[bad])  # type: ignore[list-item]


@given(moves=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 200)), max_size=6))
def test_uids_stay_put_however_sessions_move(moves: list[tuple[int, int]]) -> None:
    """The set of UIDs never changes, and each SEQUENCE counts its session's moves."""
    run = _run()
    uids = set(_events(export_ics([], stamp=STAMP, cpd=[run], staff=STAFF)))
    for index, offset in moves:
        day = sorted(run.dates)[index]
        to = date(2026, 9, 1) + timedelta(days=offset)
        if to not in run.dates:
            run = run.move_session(day, to)
    events = _events(export_ics([], stamp=STAMP, cpd=[run], staff=STAFF))

    assert set(events) == uids
    assert sum(int(e["SEQUENCE"]) for e in events.values()) == len(run.moves)


def test_the_cli_export_adds_reminders_and_attendees(tmp_path: Path) -> None:
    url = f"json:///{tmp_path / 'store'}"
    with dc.open_store(url) as store, store.transaction() as tx:
        tx.schools.add(dc.School(id="stm", name="St Mary's"))
        tx.staff.add_all(STAFF)
        tx.cpd.add(_run())
        tx.commit()
    target = tmp_path / "stm.ics"

    status = main(
        [
            "calendar",
            "export",
            "--school",
            "stm",
            "--store",
            url,
            "--remind",
            "1",
            "-o",
            str(target),
        ]
    )

    assert status == 0
    events = _events(target.read_bytes())
    assert len(events) == 3
    for event in events.values():
        assert [a.decoded("TRIGGER") for a in event.walk("VALARM")] == [-timedelta(days=1)]
        assert len(event["ATTENDEE"]) == 2


def _pairing() -> dc.CPDActivity:
    return dc.CPDActivity(
        id="mentor-t1",
        school_id="stm",
        title="Mentoring",
        kind=dc.CPDKind.MENTORING,
        start=date(2026, 10, 5),
        sessions=(date(2026, 10, 5), date(2026, 10, 19)),
        attendee_ids=("T1",),
        coach_id="H1",
    )


def test_a_pairings_mentor_is_an_attendee_who_chairs_each_session() -> None:
    """Issue 15, point 5: a coaching or mentoring pairing is in the coach's calendar too."""
    events = _events(export_ics([], stamp=STAMP, cpd=[_pairing()], staff=STAFF))

    assert len(events) == 2
    for event in events.values():
        roles = {str(a): a.params["ROLE"] for a in event["ATTENDEE"]}
        assert roles == {
            "mailto:head@stm.example": "CHAIR",
            "mailto:t1@stm.example": "REQ-PARTICIPANT",
        }
        assert "Mentor: Hana Head." in str(event["DESCRIPTION"])


def test_the_cli_export_for_a_coach_holds_the_sessions_they_lead(tmp_path: Path) -> None:
    url = f"json:///{tmp_path / 'store'}"
    with dc.open_store(url) as store, store.transaction() as tx:
        tx.schools.add(dc.School(id="stm", name="St Mary's"))
        tx.staff.add_all(STAFF)
        tx.cpd.add(_pairing())
        tx.commit()
    target = tmp_path / "h1.ics"

    status = main(
        [
            "calendar",
            "export",
            "--school",
            "stm",
            "--staff",
            "H1",
            "--store",
            url,
            "-o",
            str(target),
        ]
    )

    assert status == 0
    assert len(_events(target.read_bytes())) == 2


def test_control_characters_in_names_and_titles_never_reach_the_file() -> None:
    """RFC 5545 TEXT holds no control character: ESC and C1 in user text become U+FFFD."""
    staff = tuple(attrs.evolve(p, name=f"Bad\x1b]0;owned\x07{p.name}\x9b2J") for p in STAFF)
    run = attrs.evolve(_run(), title="Coaching\x1b[2J\rnow")
    data = export_ics([], stamp=STAMP, cpd=[run], staff=staff, cpd_reminders=[timedelta(days=1)])

    text = data.decode("utf-8").replace("\r\n", "\n")
    assert re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text) is None
    assert "Bad\ufffd]0" in text
