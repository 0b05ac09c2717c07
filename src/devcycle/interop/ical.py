"""iCalendar export of milestones and CPD sessions (the ``ics`` extra, the icalendar library).

`export_ics` writes one all-day event per milestone and one per CPD session, for a person, a
team or a whole school (the caller chooses the cycles and activities). Each event's UID is
built from the school, the cycle or activity and the milestone or session date, so it stays
the same from one export to the next: a calendar that subscribes to the file, or imports it
again, updates the events in place rather than duplicating them, and a re-export after one
milestone moves changes exactly that one event. Nothing in an event depends on the day of
export except DTSTAMP, which the caller passes (no hidden clock).

References:
    RFC 5545 (iCalendar): 3.6.1 VEVENT, 3.8.4.7 UID, 3.8.7.2 DTSTAMP, 3.3.4 DATE values
    (an all-day event's DTEND is the day after it ends).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from devcycle._version import __version__
from devcycle.domain.cpd import CPDActivity
from devcycle.domain.cycle import Cycle
from devcycle.domain.milestones import Milestone
from devcycle.domain.people import StaffMember

__all__ = ["cpd_uid", "export_ics", "milestone_uid"]

try:
    import icalendar
except ImportError as _exc:  # pragma: no cover - depends on the environment
    from devcycle.errors import ConfigError

    _msg = f'iCalendar export needs: pip install "devcycle[ics]" ({_exc})'
    raise ConfigError(_msg) from None

_ONE_DAY = timedelta(days=1)


def milestone_uid(cycle: Cycle, milestone: Milestone, domain: str = "devcycle.invalid") -> str:
    """Return the stable UID of *milestone* of *cycle*: the same on every export."""
    return f"milestone.{cycle.school_id}.{cycle.id}.{milestone.id}@{domain}"


def cpd_uid(activity: CPDActivity, day: date, domain: str = "devcycle.invalid") -> str:
    """Return the stable UID of *activity*'s session on *day*."""
    return f"cpd.{activity.school_id}.{activity.id}.{day.isoformat()}@{domain}"


def _event(uid: str, stamp: datetime, day: date, summary: str, description: str) -> Any:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + _ONE_DAY)
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def _milestone_event(
    cycle: Cycle, milestone: Milestone, who: str, stamp: datetime, domain: str
) -> Any:
    lines = [
        f"{milestone.title} for {who}.",
        f"Cycle: {cycle.id}. Led by: {milestone.owner_role.replace('_', ' ')}.",
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


def _cpd_events(activity: CPDActivity, stamp: datetime, domain: str) -> list[Any]:
    description = [f"{activity.kind.value.replace('_', ' ').capitalize()}: {activity.title}."]
    if activity.provider:
        description.append(f"Provider: {activity.provider}.")
    if activity.attendee_ids:
        description.append(f"Attendees: {', '.join(activity.attendee_ids)}.")
    events = []
    for day in sorted(set(activity.dates)):
        event = _event(
            cpd_uid(activity, day, domain),
            stamp,
            day,
            f"CPD: {activity.title}",
            "\n".join(description),
        )
        event.add("categories", ["CPD"])
        events.append(event)
    return events


def export_ics(
    cycles: Iterable[Cycle],
    *,
    stamp: datetime,
    cpd: Iterable[CPDActivity] = (),
    staff: Iterable[StaffMember] = (),
    name: str = "devcycle",
    domain: str = "devcycle.invalid",
) -> bytes:
    """Return an iCalendar file of every milestone of *cycles* and every session of *cpd*.

    Args:
        cycles: The cycles whose milestones to export (one person's, a team's, a school's).
        stamp: The DTSTAMP of every event: when the export was made (timezone-aware, or
            taken as UTC).
        cpd: CPD activities whose sessions to export.
        staff: People, to show names instead of staff ids in event titles.
        name: The calendar's display name (X-WR-CALNAME).
        domain: The right-hand side of every UID; use your own domain to keep UIDs unique
            across systems.

    Returns:
        The calendar as UTF-8 bytes with CRLF line endings, events ordered by UID.
    """
    when = stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)
    when = when.astimezone(UTC).replace(microsecond=0)
    names: Mapping[str, str] = {person.id: person.name for person in staff}
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//devcycle//devcycle {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    events: list[tuple[str, Any]] = []
    for cycle in cycles:
        who = names.get(cycle.staff_id, cycle.staff_id)
        for milestone in cycle.milestones:
            events.append(
                (
                    milestone_uid(cycle, milestone, domain),
                    _milestone_event(cycle, milestone, who, when, domain),
                )
            )
    for activity in cpd:
        events.extend((str(event["uid"]), event) for event in _cpd_events(activity, when, domain))
    for _uid, event in sorted(events, key=lambda item: item[0]):
        calendar.add_component(event)
    result: bytes = calendar.to_ical()
    return result
