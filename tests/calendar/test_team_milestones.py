"""Team milestones (issue 15, point 6c): a team's meeting beside each member's own milestones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
import icalendar
import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.errors import ValidationError
from devcycle.interop.ical import export_ics, team_milestone_uid
from devcycle.render import render
from devcycle.reports import ReportData, Scope, overdue
from devcycle.serialization import from_dict, to_dict
from devcycle.storage import open_store

STAMP = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
MODERATION = dc.TeamMilestone(
    "ks2",
    dc.Milestone("moderation-1", "KS2 writing moderation", "other", date(2026, 11, 18)),
)


def _school(school_id: str = "stm", *milestones: dc.TeamMilestone) -> dc.School:
    return dc.School(
        school_id,
        f"School {school_id}",
        teams=[dc.Team("ks2", "Key Stage 2"), dc.Team("ks1", "Key Stage 1")],
        team_milestones=milestones or (MODERATION,),
    )


def _people(school_id: str = "stm") -> list[dc.StaffMember]:
    return [
        dc.StaffMember("T1", "Tom One", school_id, roles={"teacher"}, team_ids=("ks2",)),
        dc.StaffMember("T2", "Tia Two", school_id, roles={"teacher"}, team_ids=("ks1",)),
    ]


def _cycle(staff_id: str, school_id: str = "stm") -> dc.Cycle:
    cycle = dc.Cycle(
        id=f"c-{staff_id}",
        school_id=school_id,
        staff_id=staff_id,
        reviewer_id="H1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    cycle.set_milestones(
        [dc.Milestone("plan", "Planning meeting", "planning", date(2026, 10, 9))],
        by="H1",
        on=date(2026, 9, 1),
    )
    return cycle


def test_a_team_milestone_must_be_for_a_team_of_the_school() -> None:
    with pytest.raises(ValidationError) as caught:
        dc.School("stm", "S", teams=[dc.Team("ks1", "KS1")], team_milestones=[MODERATION])
    assert caught.value.problems[0].path == "$.team_milestones"
    assert "'ks2', which is not one of its teams (ks1)" in str(caught.value)


def test_a_team_milestone_id_is_unique_within_its_team() -> None:
    other = attrs.evolve(MODERATION, team_id="ks1")
    assert len(_school("stm", MODERATION, other).team_milestones) == 2
    with pytest.raises(ValidationError, match="more than once"):
        _school("stm", MODERATION, MODERATION)


@pytest.mark.parametrize(
    ("field", "day"), [("due", date(1900, 11, 18)), ("completed_on", date(2206, 11, 18))]
)
def test_a_milestone_dated_outside_2000_to_2099_is_refused_naming_the_field(
    field: str, day: date
) -> None:
    """A user trial stored a team milestone due in 1900: a typing slip, not a cycle."""
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(MODERATION.milestone, **{field: day})
    (problem,) = caught.value.problems
    assert problem.path == f"$.{field}"
    assert f"from 2000 to 2099 (got {day.isoformat()})" in problem.message


def test_members_get_their_teams_milestones_and_no_other_schools() -> None:
    school = _school()
    tom, tia = _people()
    assert school.team_milestones_for(tom) == (MODERATION,)
    assert school.team_milestones_for(tia) == ()
    assert school.team_milestones_for(_people("elm")[0]) == ()


def test_team_milestones_round_trip_in_the_school_document() -> None:
    school = _school()
    assert from_dict(to_dict(school), dc.School) == school


def test_the_calendar_shows_the_team_milestone_beside_a_members_own() -> None:
    """Tom (KS2) gets his planning meeting and the KS2 moderation; Tia (KS1) does not."""
    school = _school()
    people = _people()

    tom = icalendar.Calendar.from_ical(
        export_ics([_cycle("T1")], stamp=STAMP, staff=people, school=school)
    )
    tia = icalendar.Calendar.from_ical(
        export_ics([_cycle("T2")], stamp=STAMP, staff=people, school=school)
    )

    summaries = sorted(str(e["summary"]) for e in tom.walk("VEVENT"))
    assert summaries == ["KS2 writing moderation (Key Stage 2)", "Planning meeting (Tom One)"]
    event = next(e for e in tom.walk("VEVENT") if "moderation" in str(e["summary"]))
    assert str(event["uid"]) == "team-milestone.stm.ks2.moderation-1@devcycle.invalid"
    assert event.decoded("dtstart") == date(2026, 11, 18)
    assert "Tom One" in str(event["description"])
    assert [str(e["summary"]) for e in tia.walk("VEVENT")] == ["Planning meeting (Tia Two)"]


def test_a_team_export_has_one_event_per_team_milestone_naming_its_members() -> None:
    school = _school()
    people = [
        *_people(),
        dc.StaffMember("T3", "Tess Three", "stm", roles={"teacher"}, team_ids=("ks2",)),
    ]
    cycles = [_cycle("T1"), _cycle("T3")]

    events = icalendar.Calendar.from_ical(
        export_ics(cycles, stamp=STAMP, staff=people, school=school)
    ).walk("VEVENT")

    team = [e for e in events if str(e["uid"]).startswith("team-milestone.")]
    assert len(team) == 1
    assert "Tom One, Tess Three" in str(team[0]["description"])


def test_two_schools_reusing_team_and_milestone_ids_keep_their_own_uids() -> None:
    assert team_milestone_uid("stm", MODERATION) != team_milestone_uid("elm", MODERATION)
    elm = _school("elm")
    # a cycle of another school never brings that school's team milestones in
    data = export_ics([_cycle("T1")], stamp=STAMP, staff=_people(), school=elm)
    assert b"team-milestone" not in data


def test_cli_calendar_export_and_at_a_glance_show_team_milestones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store, store.transaction() as tx:
        tx.schools.add(_school())
        for member in _people():
            tx.staff.add(member)
        for staff_id in ("T1", "T2"):
            tx.cycles.add(_cycle(staff_id))
        tx.commit()
    target = tmp_path / "t1.ics"
    base = ["calendar", "export", "--school", "stm", "--store", url]

    assert main([*base, "--staff", "T1", "-o", str(target)]) == 0
    summaries = [
        str(e["summary"]) for e in icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    ]
    assert "KS2 writing moderation (Key Stage 2)" in summaries
    capsys.readouterr()

    assert main([*base, "--format", "table", "--as-of", "2026-11-20"]) == 0
    out = capsys.readouterr().out
    assert "team: Key Stage 2" in out
    line = next(x for x in out.splitlines() if x.startswith("team: Key Stage 2"))
    assert "OVERDUE" in line
    assert "KS2 writing moderation" in line


def test_the_overdue_reports_fortnight_shows_the_team_milestone_for_its_members() -> None:
    """Upcoming: the KS2 moderation for Tom (KS2), not for Tia; never another school's."""
    data = ReportData(
        schools=[_school(), _school("elm")],
        staff=[*_people(), *_people("elm")],
        cycles=[_cycle("T1"), _cycle("T2"), _cycle("T1", "elm")],
    )

    report = overdue(data, as_of=date(2026, 11, 10), scope=Scope(school_id="stm"))

    [entry] = [e for e in report.upcoming if e.kind == "team milestone"]
    assert (entry.school_id, entry.staff_ids, entry.ref) == (
        "stm",
        ("T1",),
        "team:ks2:moderation-1",
    )
    assert entry.title == "KS2 writing moderation (Key Stage 2)"
    ks1 = next(g for g in report.groups if g.group.name == "Key Stage 1")
    assert all(e.kind != "team milestone" for e in ks1.upcoming)
    assert "KS2 writing moderation" in render(report.to_document(), "html").decode()
    held = attrs.evolve(
        MODERATION, milestone=attrs.evolve(MODERATION.milestone, completed_on=date(2026, 11, 9))
    )
    done = attrs.evolve(data, schools=[_school("stm", held), _school("elm")])
    later = overdue(done, as_of=date(2026, 11, 10), scope=Scope(school_id="stm"))
    assert all(e.kind != "team milestone" for e in later.upcoming)


def test_a_team_milestone_past_due_and_not_held_is_overdue_until_it_is_held() -> None:
    """Past its day it vanished from the overdue report (found by a user trial): it is
    listed as overdue for its members, never for another school's, until it is held."""
    data = ReportData(
        schools=[_school(), _school("elm")],
        staff=[*_people(), *_people("elm")],
        cycles=[_cycle("T1"), _cycle("T2"), _cycle("T1", "elm")],
    )
    after = MODERATION.milestone.due + timedelta(days=10)

    report = overdue(data, as_of=after, scope=Scope(school_id="stm"))

    [entry] = report.team_overdue
    assert (entry.school_id, entry.staff_ids, entry.on) == (
        "stm",
        ("T1",),
        MODERATION.milestone.due,
    )
    text = render(report.to_document(), "markdown").decode()
    assert "1 team milestone overdue" in text
    assert "Team milestones past due and not held" in text
    assert "KS2 writing moderation (Key Stage 2)" in text
    elm = overdue(data, as_of=after, scope=Scope(school_id="elm")).team_overdue
    assert [e.school_id for e in elm] == ["elm"]  # elm's own (same ids), never stm's
    held = attrs.evolve(
        MODERATION, milestone=attrs.evolve(MODERATION.milestone, completed_on=after)
    )
    done = attrs.evolve(data, schools=[_school("stm", held), _school("elm")])
    assert overdue(done, as_of=after, scope=Scope(school_id="stm")).team_overdue == ()


def test_calendar_events_name_the_person_who_leads_each_milestone() -> None:
    """The "Led by" line names the reviewer (the cycle's), the line manager (the person's),
    the headteacher (the school's only one) and the team leader (the team's) with their role;
    a role no one person holds (a governors' panel) stays a role."""
    leader = dc.Team("ks2", "Key Stage 2", "H1")
    team_meeting = dc.TeamMilestone(
        "ks2",
        dc.Milestone("meet", "Team review", "other", date(2026, 11, 18), owner_role="team_leader"),
    )
    school = attrs.evolve(_school(), teams=(leader,), team_milestones=(team_meeting,))
    people = [
        dc.StaffMember("H1", "Hana Head", "stm", roles={"headteacher"}),
        dc.StaffMember("L1", "Lou Line", "stm", roles={"middle_leader"}),
        dc.StaffMember(
            "T1", "Tom One", "stm", roles={"teacher"}, team_ids=("ks2",), line_manager_id="L1"
        ),
    ]
    cycle = _cycle("T1")
    cycle.set_milestones(
        [
            dc.Milestone("plan", "Planning meeting", "planning", date(2026, 10, 9)),
            dc.Milestone("sign", "Sign-off", "other", date(2026, 10, 20), owner_role="headteacher"),
            dc.Milestone(
                "chat", "Check-in", "other", date(2026, 10, 12), owner_role="line_manager"
            ),
            dc.Milestone(
                "pay", "Pay panel", "other", date(2026, 10, 21), owner_role="governors_panel"
            ),
        ],
        by="H1",
        on=date(2026, 9, 1),
    )

    events = icalendar.Calendar.from_ical(
        export_ics([cycle], stamp=STAMP, staff=people, school=school)
    ).walk("VEVENT")
    led = {
        str(e["summary"]): next(
            line for line in str(e["description"]).splitlines() if "Led by" in line
        )
        for e in events
    }

    assert led["Planning meeting (Tom One)"] == "Cycle: c-T1. Led by: Hana Head (reviewer)."
    assert led["Sign-off (Tom One)"] == "Cycle: c-T1. Led by: Hana Head (headteacher)."
    assert led["Check-in (Tom One)"] == "Cycle: c-T1. Led by: Lou Line (line manager)."
    assert led["Pay panel (Tom One)"] == "Cycle: c-T1. Led by: governors panel."
    assert led["Team review (Key Stage 2)"] == "Led by: Hana Head (team leader)."
