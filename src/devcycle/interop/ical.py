"""iCalendar export of milestones and CPD sessions (the ``ics`` extra, the icalendar library).

`export_ics` writes one all-day event per milestone and one per CPD session, for a person, a
team or a whole school (the caller chooses the cycles and activities). Each event's UID is
built from the school, the cycle or activity and the milestone or session, so it stays the
same from one export to the next: a calendar that subscribes to the file, or imports it
again, updates the events in place rather than duplicating them, and a re-export after one
milestone moves changes exactly that one event. Nothing in an event depends on the day of
export except DTSTAMP, which the caller passes (no hidden clock).

A CPD session is named by the day it was first planned on: moved with
`devcycle.domain.CPDActivity.move_session`, it keeps its UID and its SEQUENCE rises by one
per move, so calendars move the event rather than add a second one. The activity's
organiser and the people booked on it become ORGANIZER and ATTENDEE (with PARTSTAT from
their attendance: booked or attended ACCEPTED, absent DECLINED), and a coaching or mentoring
pairing's coach or mentor an ATTENDEE with ROLE=CHAIR, when the staff given have
an email address; people without one are named in the description only. Reminders
(VALARM) are added to each CPD session when asked for.

References:
    RFC 5545 (iCalendar): 3.6.1 VEVENT, 3.6.6 VALARM, 3.8.4.1 ATTENDEE, 3.8.4.3 ORGANIZER,
    3.8.4.7 UID, 3.8.7.2 DTSTAMP, 3.8.7.4 SEQUENCE, 3.3.4 DATE values (an all-day event's
    DTEND is the day after it ends). RFC 5546 (iTIP) 3.2.1: a PUBLISH calendar carries no
    ATTENDEE, so a file with attendees is written without METHOD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from devcycle._version import __version__
from devcycle.domain.cpd import MAX_REMINDER, AttendanceStatus, CPDActivity
from devcycle.domain.cycle import Cycle
from devcycle.domain.milestones import Milestone
from devcycle.domain.people import Role, StaffMember
from devcycle.domain.school import School, TeamMilestone
from devcycle.errors import ValidationError

__all__ = ["cpd_uid", "export_ics", "milestone_uid", "team_milestone_uid"]

try:
    import icalendar
except ImportError as _exc:  # pragma: no cover - depends on the environment
    from devcycle.errors import ConfigError

    _msg = f'iCalendar export needs: pip install "devcycle[ics]" ({_exc})'
    raise ConfigError(_msg) from None

_ONE_DAY = timedelta(days=1)

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text(value: str) -> str:
    """*value* as iCalendar TEXT allows it: control characters shown as U+FFFD.

    RFC 5545 (section 3.3.11) allows no control character in TEXT but a tab; line breaks
    are written escaped. ESC would otherwise reach a calendar, or a terminal, raw.
    """
    return _CONTROL.sub("\ufffd", value)


def milestone_uid(cycle: Cycle, milestone: Milestone, domain: str = "devcycle.invalid") -> str:
    """Return the stable UID of *milestone* of *cycle*: the same on every export."""
    return f"milestone.{cycle.school_id}.{cycle.id}.{milestone.id}@{domain}"


def team_milestone_uid(
    school_id: str, item: TeamMilestone, domain: str = "devcycle.invalid"
) -> str:
    """Return the stable UID of a team milestone of *school_id*: the same on every export."""
    return f"team-milestone.{school_id}.{item.team_id}.{item.id}@{domain}"


def _led_by(role: str, leader_id: str | None, names: Mapping[str, str]) -> str:
    """Who leads a milestone: the person who holds its owner role, named, and the role.

    "Led by: Hana Head (reviewer)."; the role alone where no one person holds it (a
    governors' panel) or the person is not known.
    """
    words = role.replace("_", " ")
    if leader_id is None:
        return f"Led by: {words}."
    return f"Led by: {names.get(leader_id, leader_id)} ({words})."


_REVIEWEE_ROLES = frozenset({"reviewee", "self", "staff", "appraisee", "teacher"})


def _leader_of(
    role: str,
    cycle: Cycle,
    by_id: Mapping[str, StaffMember],
    heads: Mapping[str, tuple[str, ...]],
) -> str | None:
    """The staff id of whoever holds *role* for *cycle*, when one person clearly does.

    The reviewer is the cycle's; the line manager the person's (their reviewer unless they
    have a line manager of their own); the headteacher the school's, if it has one only.
    """
    if role == "reviewer":
        return cycle.reviewer_id
    if role in _REVIEWEE_ROLES:
        return cycle.staff_id
    if role == "line_manager":
        person = by_id.get(cycle.staff_id)
        own = person.line_manager_id if person is not None else None
        return own or cycle.reviewer_id
    if role == "headteacher":
        found = heads.get(cycle.school_id, ())
        return found[0] if len(found) == 1 else None
    return None


def _team_milestone_event(
    school: School,
    item: TeamMilestone,
    members: list[str],
    names: Mapping[str, str],
    *,
    stamp: datetime,
    domain: str,
) -> Any:
    milestone = item.milestone
    found = next((t for t in school.teams if t.id == item.team_id), None)
    team = found.name if found is not None else item.team_id
    leader = (
        found.leader_id if found is not None and milestone.owner_role == "team_leader" else None
    )
    lines = [
        f"{milestone.title} for the team {team}: {', '.join(members)}.",
        _led_by(milestone.owner_role, leader, names),
    ]
    if milestone.minutes:
        lines.append(f"Expected time: {milestone.minutes} minutes.")
    if milestone.completed_on is not None:
        lines.append(f"Completed on {milestone.completed_on.isoformat()}.")
    event = _event(
        team_milestone_uid(school.id, item, domain),
        stamp,
        milestone.due,
        f"{milestone.title} ({team})",
        "\n".join(lines),
    )
    event.add("categories", [milestone.kind.value.replace("_", " "), "team"])
    return event


def cpd_uid(activity: CPDActivity, day: date, domain: str = "devcycle.invalid") -> str:
    """Return the stable UID of *activity*'s session on *day* (a day it is on now).

    The session is named by the day it was first planned on (`CPDActivity.session_key`),
    so its UID stays the same when it moves.
    """
    return f"cpd.{activity.school_id}.{activity.id}.{activity.session_key(day)}@{domain}"


_PARTSTAT: Mapping[AttendanceStatus, str] = {
    AttendanceStatus.BOOKED: "ACCEPTED",
    AttendanceStatus.ATTENDED: "ACCEPTED",
    AttendanceStatus.ABSENT: "DECLINED",
}


def _address(person: StaffMember) -> Any:
    address = icalendar.vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = icalendar.vText(_text(person.name))
    return address


def _reminders(values: Iterable[object]) -> tuple[timedelta, ...]:
    found = []
    for index, value in enumerate(values):
        if not isinstance(value, timedelta) or not timedelta(0) <= value <= MAX_REMINDER:
            msg = (
                f"expected a reminder as a time before the session from 0 to "
                f"{MAX_REMINDER.days} days, such as timedelta(days=1) (got {value!r}) "
                f"@ cpd_reminders[{index}]"
            )
            raise ValidationError([msg])
        found.append(value)
    return tuple(sorted(set(found)))


def _event(uid: str, stamp: datetime, day: date, summary: str, description: str) -> Any:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + _ONE_DAY)
    event.add("summary", _text(summary))
    event.add("description", _text(description))
    event.add("transp", "TRANSPARENT")
    return event


def _milestone_event(
    cycle: Cycle,
    milestone: Milestone,
    who: str,
    leader: str,
    *,
    stamp: datetime,
    domain: str,
) -> Any:
    lines = [
        f"{milestone.title} for {who}.",
        f"Cycle: {cycle.id}. {leader}",
        f"Basis: {milestone.basis.value.replace('_', ' ')}.",
    ]
    if milestone.minutes:
        lines.append(f"Expected time: {milestone.minutes} minutes.")
    if milestone.completed_on is not None:
        lines.append(f"Completed on {milestone.completed_on.isoformat()}.")
    event = _event(
        milestone_uid(cycle, milestone, domain),
        stamp,
        milestone.due,
        f"{milestone.title} ({who})",
        "\n".join(lines),
    )
    event.add("categories", [milestone.kind.value.replace("_", " ")])
    return event


def _cpd_events(
    activity: CPDActivity,
    stamp: datetime,
    domain: str,
    people: Mapping[str, StaffMember],
    reminders: tuple[timedelta, ...],
) -> list[Any]:
    description = [f"{activity.kind.value.replace('_', ' ').capitalize()}: {activity.title}."]
    if activity.provider:
        description.append(f"Provider: {activity.provider}.")
    if activity.attendee_ids:
        names = [people[i].name if i in people else i for i in activity.attendee_ids]
        description.append(f"Attendees: {', '.join(names)}.")
    coach = people.get(activity.coach_id or "")
    if activity.coach_id is not None:
        role = "Mentor" if activity.kind.value == "mentoring" else "Coach"
        description.append(f"{role}: {coach.name if coach else activity.coach_id}.")
    organiser = people.get(activity.organiser_id or "")
    attendees = [
        (people[staff_id], activity.status_of(staff_id) or AttendanceStatus.BOOKED)
        for staff_id in activity.attendee_ids
        if staff_id in people and people[staff_id].email
    ]
    events = []
    for day in sorted(set(activity.dates)):
        event = _event(
            cpd_uid(activity, day, domain),
            stamp,
            day,
            f"CPD: {activity.title}",
            "\n".join(description),
        )
        event.add("sequence", activity.session_sequence(day))
        event.add("categories", ["CPD"])
        if organiser is not None and organiser.email:
            event.add("organizer", _address(organiser))
        if coach is not None and coach.email:  # the pairing's coach or mentor leads it
            address = _address(coach)
            address.params["role"] = icalendar.vText("CHAIR")
            address.params["partstat"] = icalendar.vText("ACCEPTED")
            address.params["cutype"] = icalendar.vText("INDIVIDUAL")
            event.add("attendee", address)
        for person, status in attendees:
            address = _address(person)
            address.params["role"] = icalendar.vText("REQ-PARTICIPANT")
            address.params["partstat"] = icalendar.vText(_PARTSTAT[status])
            address.params["cutype"] = icalendar.vText("INDIVIDUAL")
            event.add("attendee", address)
        for before in reminders:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _text(f"Reminder: CPD: {activity.title}"))
            alarm.add("trigger", -before)
            event.add_component(alarm)
        events.append(event)
    return events


def _team_events(
    school: School,
    cycles: list[Cycle],
    by_id: Mapping[str, StaffMember],
    names: Mapping[str, str],
    *,
    stamp: datetime,
    domain: str,
) -> list[tuple[str, Any]]:
    """One event per team milestone of a team that someone exported belongs to."""
    members: dict[tuple[str, str], list[str]] = {}
    for cycle in cycles:
        person = by_id.get(cycle.staff_id)
        if cycle.school_id != school.id or person is None:
            continue
        for item in school.team_milestones_for(person):
            who = members.setdefault((item.team_id, item.id), [])
            name = names.get(person.id, person.id)
            if name not in who:
                who.append(name)
    return [
        (
            team_milestone_uid(school.id, item, domain),
            _team_milestone_event(
                school, item, members[(item.team_id, item.id)], names, stamp=stamp, domain=domain
            ),
        )
        for item in school.team_milestones
        if (item.team_id, item.id) in members
    ]


def export_ics(
    cycles: Iterable[Cycle],
    *,
    stamp: datetime,
    cpd: Iterable[CPDActivity] = (),
    staff: Iterable[StaffMember] = (),
    name: str = "devcycle",
    domain: str = "devcycle.invalid",
    cpd_reminders: Iterable[timedelta] = (),
    school: School | None = None,
) -> bytes:
    """Return an iCalendar file of every milestone of *cycles* and every session of *cpd*.

    Args:
        cycles: The cycles whose milestones to export (one person's, a team's, a school's).
        stamp: The DTSTAMP of every event: when the export was made (timezone-aware, or
            taken as UTC).
        cpd: CPD activities whose sessions to export.
        staff: People, to show names instead of staff ids in event titles, and whose email
            addresses make a CPD session's ORGANIZER and ATTENDEE.
        name: The calendar's display name (X-WR-CALNAME).
        domain: The right-hand side of every UID; use your own domain to keep UIDs unique
            across systems.
        cpd_reminders: How long before each CPD session to remind attendees (one VALARM
            each), such as ``[timedelta(days=1)]``; none by default.
        school: The school of *cycles*: its team milestones for the teams of the people
            whose cycles are exported (found in *staff*) are added beside their own, one
            event per team milestone naming those members.

    Returns:
        The calendar as UTF-8 bytes with CRLF line endings, events ordered by UID.

    Raises:
        ValidationError: For a reminder that is not a time before the session, or is more
            than `devcycle.domain.cpd.MAX_REMINDER` (a year) before it.
    """
    alarms = _reminders(cpd_reminders)
    when = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
    when = when.astimezone(UTC).replace(microsecond=0)
    people = list(staff)
    names: Mapping[str, str] = {person.id: person.name for person in people}
    by_id: Mapping[str, StaffMember] = {person.id: person for person in people}
    heads: dict[str, tuple[str, ...]] = {}
    for person in people:
        if Role.HEADTEACHER in person.roles:
            heads[person.school_id] = (*heads.get(person.school_id, ()), person.id)
    events: list[tuple[str, Any]] = []
    cycles_seen: list[Cycle] = []
    for cycle in cycles:
        cycles_seen.append(cycle)
        who = names.get(cycle.staff_id, cycle.staff_id)
        for milestone in cycle.milestones:
            leader = _led_by(
                milestone.owner_role, _leader_of(milestone.owner_role, cycle, by_id, heads), names
            )
            events.append(
                (
                    milestone_uid(cycle, milestone, domain),
                    _milestone_event(cycle, milestone, who, leader, stamp=when, domain=domain),
                )
            )
    if school is not None:
        events.extend(_team_events(school, cycles_seen, by_id, names, stamp=when, domain=domain))
    for activity in cpd:
        events.extend(
            (str(event["uid"]), event)
            for event in _cpd_events(activity, when, domain, by_id, alarms)
        )
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//devcycle//devcycle {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if not any("attendee" in event for _uid, event in events):
        calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _text(name))
    for _uid, event in sorted(events, key=lambda item: item[0]):
        calendar.add_component(event)
    result: bytes = calendar.to_ical()
    return result
