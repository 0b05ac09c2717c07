"""Calendar files (TOML, YAML, CSV, iCalendar), bank holidays from the holidays package, and
iCalendar export checked with two independent parsers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import attrs
import icalendar
import pytest
import vobject
from calendar_fixtures import preschool_2025

from devcycle.catalogues.templates import template
from devcycle.domain.calendar import SchoolCalendar, england_pattern
from devcycle.domain.cpd import CPDActivity, CPDKind
from devcycle.domain.cycle import Cycle
from devcycle.domain.people import StaffMember
from devcycle.domain.scheduling import enrol
from devcycle.errors import ConfigError, ValidationError
from devcycle.interop.bankholidays import UKBankHolidays
from devcycle.interop.calendars import calendar_to_toml, load_calendar
from devcycle.interop.ical import export_ics, milestone_uid

# ------------------------------------------------------------------ bank holidays


def test_england_bank_holidays_come_from_the_holidays_package() -> None:
    """Easter Monday and the late May bank holiday 2026 are not school days."""
    calendar = england_pattern(2025, bank_holidays=UKBankHolidays("england"))

    assert calendar.bank_holiday(date(2026, 5, 25)) is not None
    assert not calendar.is_school_day(date(2026, 5, 4))


@pytest.mark.parametrize(
    ("region", "day", "holiday"),
    [
        ("scotland", date(2025, 8, 4), True),
        ("england", date(2025, 8, 4), False),
        ("northern-ireland", date(2026, 3, 17), True),
        ("WLS", date(2026, 3, 17), False),
    ],
)
def test_each_nation_has_its_own_bank_holidays(region: str, day: date, holiday: bool) -> None:
    """Scotland's August holiday and St Patrick's Day belong to their nations only."""
    found = UKBankHolidays(region).between(date(2025, 1, 1), date(2026, 12, 31))

    assert (day in found) is holiday


def test_an_unknown_region_names_the_known_ones() -> None:
    """A misspelt region is a configuration error listing the choices."""
    with pytest.raises(ConfigError, match="england, wales, scotland, northern-ireland"):
        UKBankHolidays("cornwall")


# ------------------------------------------------------------------ calendar files


def test_a_calendar_round_trips_through_its_toml_file(tmp_path: Path) -> None:
    """calendar_to_toml writes a file load_calendar reads back equal."""
    calendar = england_pattern(2026, bank_holidays=UKBankHolidays("england"))
    path = tmp_path / "calendar.toml"
    path.write_text(calendar_to_toml(calendar), encoding="utf-8")

    loaded = load_calendar(path)

    assert loaded == calendar
    assert path.read_text(encoding="utf-8").startswith("# APPROXIMATE")
    assert "start = 2026-09-01" in path.read_text(encoding="utf-8")


def test_a_yaml_calendar_loads(tmp_path: Path) -> None:
    """Term dates in YAML load like TOML ones."""
    path = tmp_path / "terms.yaml"
    path.write_text(
        "name: St Mary's 2025/26\n"
        "inset_days: [2025-09-01, 2025-09-02]\n"
        "terms:\n"
        "  - {name: autumn, start: 2025-09-03, end: 2025-12-18,"
        " break_start: 2025-10-27, break_end: 2025-10-31}\n"
        "closures:\n"
        "  - {start: 2025-11-13, reason: Polling station}\n",
        encoding="utf-8",
    )

    calendar = load_calendar(path)

    assert calendar.is_inset_day(date(2025, 9, 1))
    assert not calendar.is_school_day(date(2025, 11, 13))
    assert calendar.is_school_day(date(2025, 11, 14))


def test_a_bad_toml_calendar_reports_every_problem_with_its_path(tmp_path: Path) -> None:
    """Bad dates and unknown fields are all reported with their paths."""
    path = tmp_path / "terms.toml"
    path.write_text(
        'name = "x"\n'
        "[[terms]]\n"
        'name = "autumn"\n'
        'start = "2025-09-31"\n'
        "end = 2025-12-18\n"
        "[[terms]]\n"
        'name = "spring"\n'
        "start = 2026-01-05\n"
        "end = 2026-03-27\n"
        "colour = 1\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError) as caught:
        load_calendar(path)

    assert [p.rsplit(" @ ", 1)[1] for p in caught.value.problems] == [
        "$.terms[0].start",
        "$.terms[1]",
    ]


CSV = """kind,name,start,end
term,autumn,2025-09-03,2025-12-18
half_term,,2025-10-27,2025-10-31
term,spring,2026-01-05,2026-03-27
half_term,,2026-02-16,2026-02-20
term,summer,2026-04-13,2026-07-15
half_term,,2026-05-25,2026-05-29
inset,,2025-09-01,2025-09-02
bank_holiday,May Day,2026-05-04,
closure,Polling station,2026-05-07,
"""


def test_a_csv_calendar_loads_terms_breaks_inset_days_and_closures(tmp_path: Path) -> None:
    """The CSV form gives the same school days as the same dates built in code."""
    path = tmp_path / "terms.csv"
    path.write_text(CSV, encoding="utf-8")

    calendar = load_calendar(path)

    expected = preschool_2025()
    assert [(t.start, t.end, t.break_start) for t in calendar.terms] == [
        (t.start, t.end, t.break_start) for t in expected.terms
    ]
    assert not calendar.is_school_day(date(2026, 5, 7))
    assert calendar.is_inset_day(date(2025, 9, 2))
    assert calendar.name == "terms"


def test_a_bad_csv_calendar_reports_every_row(tmp_path: Path) -> None:
    """Each bad row is reported with its number."""
    path = tmp_path / "terms.csv"
    path.write_text(
        "kind,name,start,end\n"
        "term,autumn,2025-09-03,2025-12-18\n"
        "holiday,,2025-10-27,2025-10-31\n"
        "term,spring,2026-01-05,05/03/2026\n"
        "half_term,,2026-08-01,2026-08-05\n",
        encoding="utf-8",
    )

    with pytest.raises(ValidationError) as caught:
        load_calendar(path)

    where = [p.rsplit(" @ ", 1)[1] for p in caught.value.problems]
    assert where == ["row 3", "row 4", "row 5"]


ICS = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Example LA//Term dates//EN\r
BEGIN:VEVENT\r
UID:1@example\r
DTSTAMP:20250101T000000Z\r
DTSTART;VALUE=DATE:20250903\r
DTEND;VALUE=DATE:20251219\r
SUMMARY:Autumn Term\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:2@example\r
DTSTAMP:20250101T000000Z\r
DTSTART;VALUE=DATE:20251027\r
DTEND;VALUE=DATE:20251101\r
SUMMARY:October half term\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:3@example\r
DTSTAMP:20250101T000000Z\r
DTSTART;VALUE=DATE:20250901\r
DTEND;VALUE=DATE:20250903\r
SUMMARY:INSET days\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:4@example\r
DTSTAMP:20250101T000000Z\r
DTSTART;VALUE=DATE:20251010\r
DTEND;VALUE=DATE:20251011\r
SUMMARY:Harvest festival\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_an_ics_file_of_term_dates_loads(tmp_path: Path) -> None:
    """Terms, half-term and INSET days come from event summaries; other events are left out."""
    path = tmp_path / "terms.ics"
    path.write_bytes(ICS)

    calendar = load_calendar(path, name="From the LA")

    (autumn,) = calendar.terms
    assert (autumn.name, autumn.start, autumn.end) == (
        "autumn",
        date(2025, 9, 3),
        date(2025, 12, 18),
    )
    assert (autumn.break_start, autumn.break_end) == (date(2025, 10, 27), date(2025, 10, 31))
    assert calendar.inset_days == (date(2025, 9, 1), date(2025, 9, 2))
    assert calendar.is_school_day(date(2025, 10, 10))


def test_an_ics_file_without_terms_says_how_to_name_them(tmp_path: Path) -> None:
    """A file with no term events is refused with a hint."""
    path = tmp_path / "terms.ics"
    path.write_bytes(ICS.replace(b"Autumn Term", b"Autumn"))

    with pytest.raises(ValidationError, match="no term events found"):
        load_calendar(path)


# ------------------------------------------------------------------ iCalendar export

STAMP = datetime(2025, 9, 1, 8, 0, tzinfo=UTC)


def _school() -> tuple[list[StaffMember], list[Cycle], list[CPDActivity], SchoolCalendar]:
    calendar = preschool_2025()
    staff = [
        StaffMember(id="T1", name="Anna Patel", school_id="stm", roles=["teacher"]),
        StaffMember(id="T2", name="Ben Okafor", school_id="stm", roles=["teacher"]),
    ]
    cycles = [
        s.to_cycle(school_id="stm", by="H1", on=date(2025, 9, 1))
        for s in enrol(template("england-teacher"), calendar, staff, year=2025)
    ]
    cpd = [
        CPDActivity(
            id="coaching",
            school_id="stm",
            title="Instructional coaching",
            kind=CPDKind.COACHING,
            start=date(2025, 10, 1),
            sessions=[date(2025, 10, 1), date(2025, 10, 15)],
            attendee_ids=["T1"],
        )
    ]
    return staff, cycles, cpd, calendar


def _events_by_uid(data: bytes) -> dict[str, bytes]:
    parsed = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e.to_ical() for e in parsed.walk("VEVENT")}


def test_the_export_parses_with_icalendar_and_with_vobject() -> None:
    """Two independent parsers read the same events, dates and UIDs."""
    staff, cycles, cpd, _calendar = _school()

    data = export_ics(cycles, stamp=STAMP, cpd=cpd, staff=staff, name="St Mary's")

    by_icalendar = {
        str(e["UID"]): (e.decoded("DTSTART"), str(e["SUMMARY"]))
        for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
    }
    parsed = vobject.readOne(data.decode("utf-8"))
    by_vobject = {e.uid.value: (e.dtstart.value, e.summary.value) for e in parsed.vevent_list}
    expected = sum(len(c.milestones) for c in cycles) + 2
    assert len(by_icalendar) == expected
    assert by_icalendar == by_vobject
    uid = milestone_uid(cycles[0], cycles[0].milestone("planning"))
    assert by_vobject[uid] == (
        date(2025, 10, 24),
        "Planning meeting: objectives, success criteria, evidence and CPD (Anna Patel)",
    )


def test_the_export_is_deterministic() -> None:
    """Exporting the same data twice gives the same bytes."""
    staff, cycles, cpd, _calendar = _school()

    assert export_ics(cycles, stamp=STAMP, cpd=cpd, staff=staff) == export_ics(
        cycles, stamp=STAMP, cpd=cpd, staff=staff
    )


def test_a_re_export_with_one_changed_milestone_changes_exactly_one_event() -> None:
    """Stable UIDs: moving one milestone changes that event only, and adds none."""
    staff, cycles, cpd, calendar = _school()
    before = _events_by_uid(export_ics(cycles, stamp=STAMP, cpd=cpd, staff=staff))
    moved = cycles[1].milestone("mid-year")
    new_day = calendar.next_school_day(moved.due)
    cycles[1].set_milestones(
        [attrs.evolve(m, due=new_day) if m.id == "mid-year" else m for m in cycles[1].milestones],
        by="H1",
        on=date(2025, 9, 2),
    )

    after = _events_by_uid(export_ics(cycles, stamp=STAMP, cpd=cpd, staff=staff))

    assert before.keys() == after.keys()
    changed = [uid for uid in before if before[uid] != after[uid]]
    assert changed == [milestone_uid(cycles[1], moved)]


def test_a_persons_export_holds_only_their_milestones_and_cpd() -> None:
    """Exporting one person's cycle leaves out everyone else's milestones."""
    staff, cycles, cpd, _calendar = _school()
    mine = [c for c in cycles if c.staff_id == "T1"]
    their_cpd = [a for a in cpd if "T1" in a.attendee_ids]

    events = _events_by_uid(export_ics(mine, stamp=STAMP, cpd=their_cpd, staff=staff))

    assert all(".2025-T1-" in uid or uid.startswith("cpd.") for uid in events)
    assert len(events) == len(mine[0].milestones) + 2
