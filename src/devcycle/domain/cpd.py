"""Continuing professional development: courses, coaching, INSET and the rest.

Two things are kept apart, as schools keep them: the *catalogue* of what the school offers
(`CPDOffering`: a course, an INSET programme, a coaching offer, with its usual cost and
hours) and what actually *happened* (`CPDActivity`: one run of it, on given dates, with who
was booked, who attended and who was absent, what it cost and the impact it had). An
activity names the offering it is a run of (`CPDActivity.offering_id`), or none for one-off
CPD; `CPDOffering.schedule` makes a run from an offering.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from devcycle.domain._validate import (
    a_date,
    dates,
    identifier,
    identifiers,
    instances,
    invalid,
    member_of,
    not_before,
    optional_date,
    optional_identifier,
    plain_text,
    text,
    to_float,
    to_money,
    to_tuple,
)
from devcycle.errors import ValidationError

__all__ = [
    "MAX_REMINDER",
    "Attendance",
    "AttendanceStatus",
    "CPDActivity",
    "CPDKind",
    "CPDOffering",
    "ImpactLevel",
    "ImpactRecord",
    "ObjectiveRef",
    "Purpose",
    "SessionMove",
]

MAX_REMINDER = timedelta(days=365)
"""The longest time before a CPD session a calendar reminder may be set (a year)."""


class Purpose(enum.StrEnum):
    """What an activity is for, after the management / measurement / movement balance.

    Management keeps the process running (meetings, reviews); measurement judges practice
    (observations, learning walks, data); movement actually develops it (training, coaching,
    mentoring, collaborative enquiry).
    """

    MANAGEMENT = "management"
    MEASUREMENT = "measurement"
    MOVEMENT = "movement"


def _to_purpose(value: Purpose | str) -> Purpose:
    return member_of(Purpose, "purpose", value)


class CPDKind(enum.StrEnum):
    """The form a CPD activity takes."""

    COURSE = "course"
    COACHING = "coaching"
    MENTORING = "mentoring"
    INSET = "inset"
    OBSERVATION_OF_OTHERS = "observation_of_others"
    LESSON_STUDY = "lesson_study"
    READING = "reading"
    COLLABORATIVE_ENQUIRY = "collaborative_enquiry"
    QUALIFICATION = "qualification"
    CONFERENCE = "conference"
    ONLINE = "online"
    NETWORK = "network"
    SUPERVISION = "supervision"
    OTHER = "other"

    @property
    def default_purpose(self) -> Purpose:
        """The purpose an activity of this kind usually serves."""
        if self is CPDKind.SUPERVISION:
            return Purpose.MANAGEMENT
        return Purpose.MOVEMENT


def _to_c_p_d_kind(value: CPDKind | str) -> CPDKind:
    return member_of(CPDKind, "kind", value)


class ImpactLevel(enum.IntEnum):
    """The five levels of professional-development evaluation (after Guskey)."""

    REACTIONS = 1
    LEARNING = 2
    ORGANISATIONAL_SUPPORT = 3
    USE_OF_KNOWLEDGE = 4
    PUPIL_OUTCOMES = 5


def _to_impact_level(value: ImpactLevel | int) -> ImpactLevel:
    return member_of(ImpactLevel, "level", value)


def _to_attendance_status(value: object) -> AttendanceStatus:
    return member_of(AttendanceStatus, "status", value)


@attrs.frozen
class ObjectiveRef:
    """Points at one objective in one cycle."""

    cycle_id: str = attrs.field(validator=identifier)
    objective_id: str = attrs.field(validator=identifier)


@attrs.frozen
class ImpactRecord:
    """Evidence of a CPD activity's impact at one evaluation level."""

    level: ImpactLevel = attrs.field(converter=_to_impact_level)
    on: date = attrs.field(validator=a_date)
    by: str = attrs.field(validator=identifier)
    note: str = attrs.field(validator=text)


def _optional_non_negative(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _non_negative(inst, attribute, value)


def _non_negative(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float | Decimal)
        or not math.isfinite(value)
        or value < 0
    ):
        msg = f"'{attribute.name}' must be a number of at least 0 (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="a number of at least 0")


class AttendanceStatus(enum.StrEnum):
    """Where one person's place on an activity stands.

    BOOKED: a place is held (the default for everyone on `CPDActivity.attendee_ids`);
    ATTENDED: they took part; ABSENT: they held a place and did not come (the place still
    cost what it cost).
    """

    BOOKED = "booked"
    ATTENDED = "attended"
    ABSENT = "absent"


@attrs.frozen
class Attendance:
    """One person's attendance on one activity."""

    staff_id: str = attrs.field(validator=identifier)
    status: AttendanceStatus = attrs.field(
        default=AttendanceStatus.BOOKED,
        converter=_to_attendance_status,
    )


@attrs.frozen
class SessionMove:
    """A session moved to another day: the record that keeps its calendar identity.

    Attributes:
        original: The day the session was first planned on; it names the session for good
            (its iCalendar UID is built from it), however often it moves.
        moved_from: The day it was on before this move.
        moved_to: The day it is on after this move.
        reason: Why it moved, if said.
    """

    original: date
    moved_from: date
    moved_to: date
    reason: str = ""


def _money(value: float | Decimal | None) -> Decimal:
    if value is None:
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


_PAIRED = frozenset({"coaching", "mentoring"})


def _check_coach(inst: CPDActivity, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    optional_identifier(inst, _attribute, value)
    if inst.kind.value not in _PAIRED:
        msg = (
            f"'coach_id' names a coach or mentor, so the activity must be coaching or "
            f"mentoring (got kind {inst.kind.value!r})"
        )
        invalid("coach_id", msg, value=value, expected="kind coaching or mentoring")
    if value in inst.attendee_ids:
        msg = f"'coach_id' {value!r} is also among 'attendee_ids': the coach is not coached"
        invalid("coach_id", msg, value=value, expected="someone other than the attendees")


def _check_attendance(
    inst: CPDActivity, _attribute: attrs.Attribute[Any], value: tuple[object, ...]
) -> None:
    seen: set[str] = set()
    places = set(inst.attendee_ids)
    for record in value:
        if not isinstance(record, Attendance):
            msg = f"'attendance' must hold Attendance records (got {record!r})"
            invalid("attendance", msg, value=record, expected="Attendance records")
        if record.staff_id in seen:
            msg = f"'attendance' names {record.staff_id!r} twice"
            invalid("attendance", msg, value=record.staff_id, expected="each person once")
        if record.staff_id not in places:
            msg = (
                f"'attendance' names {record.staff_id!r}, who is not among 'attendee_ids' "
                f"({', '.join(inst.attendee_ids) or 'none'}): book them first"
            )
            invalid("attendance", msg, value=record.staff_id, expected="a booked attendee")
        seen.add(record.staff_id)


def _check_moves(
    inst: CPDActivity, _attribute: attrs.Attribute[Any], value: tuple[object, ...]
) -> None:
    where: dict[date, date] = {}
    for index, move in enumerate(value):
        if not isinstance(move, SessionMove):
            msg = f"'moves' must hold SessionMove records (got {move!r})"
            invalid(f"moves[{index}]", msg, value=move, expected="SessionMove records")
        before = where.get(move.original, move.original)
        if move.moved_from != before:
            msg = (
                f"'moves'[{index}] moves the session first planned on {move.original} from "
                f"{move.moved_from}, but it was on {before} by then"
            )
            invalid(f"moves[{index}]", msg, value=move.moved_from, expected=f"{before}")
        if move.moved_to == move.moved_from:
            msg = f"'moves'[{index}] moves a session to the day it was already on"
            invalid(f"moves[{index}]", msg, value=move.moved_to, expected="another day")
        where[move.original] = move.moved_to
    days = set(inst.dates)
    for original, now in where.items():
        if now not in days:
            msg = (
                f"'moves' puts the session first planned on {original} on {now}, which is "
                f"not one of the activity's dates ({', '.join(map(str, sorted(days)))})"
            )
            invalid("moves", msg, value=now, expected="one of the activity's dates")


@attrs.frozen
class CPDActivity:
    """A CPD activity, its own aggregate because many people and objectives share one.

    Attributes:
        id: The caller's id for the activity.
        school_id: The school that runs or records it.
        title: What it is called.
        kind: Its form (course, coaching, INSET...).
        purpose: Management, measurement or movement; defaults from the kind.
        start: The first (or only) day.
        end: The last day, if it runs over several.
        sessions: Dates of each session, for calendars (coaching every fortnight, say).
        hours: Hours per attendee in all.
        cost: Cost in the school's currency, if known.
        provider: Who provides it (in-house, a named provider).
        attendee_ids: Staff who take part.
        objective_refs: The objectives it is planned to support.
        standard_ids: Standards it develops.
        priority_ids: School priorities it serves.
        impact: Evaluation of its impact at each level.
        notes: Free notes.
        offering_id: The catalogue offering (`CPDOffering`) this is a run of, if any.
        cost_per_place: A cost for each place booked (absent places included), on top of
            *cost*: the fee of an external course, say.
        attendance: Who attended and who was absent, for people on *attendee_ids*; anyone
            on *attendee_ids* without a record here is booked.
        organiser_id: The member of staff who organises it (the calendar's ORGANIZER).
        coach_id: For coaching or mentoring, the coach or mentor: each person on
            *attendee_ids* is paired with them (`pairs`), the sessions are the pairing's
            meetings, and *objective_refs* the objectives the pairing works on. It counts as
            movement for the people coached (the balance report); the coach is not among the
            attendees.
        moves: Sessions moved to another day, in the order they were moved (see
            `move_session`); they keep each session's calendar identity.
        version: Set by the store; leave at 0.
    """

    id: str = attrs.field(validator=identifier)
    school_id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    kind: CPDKind = attrs.field(converter=_to_c_p_d_kind)
    start: date = attrs.field(validator=a_date)
    purpose: Purpose = attrs.field(converter=_to_purpose)
    end: date | None = attrs.field(default=None, validator=[optional_date, not_before("start")])
    sessions: tuple[date, ...] = attrs.field(default=(), converter=to_tuple, validator=dates)
    hours: float = attrs.field(default=0.0, converter=to_float, validator=_non_negative)
    cost: Decimal | None = attrs.field(
        default=None, converter=to_money, validator=_optional_non_negative
    )
    provider: str = attrs.field(default="", validator=plain_text)
    attendee_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    objective_refs: tuple[ObjectiveRef, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(ObjectiveRef)
    )
    standard_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    priority_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    impact: tuple[ImpactRecord, ...] = attrs.field(
        default=(), converter=to_tuple, validator=instances(ImpactRecord)
    )
    notes: str = attrs.field(default="", validator=plain_text)
    offering_id: str | None = attrs.field(default=None, validator=optional_identifier, kw_only=True)
    cost_per_place: Decimal | None = attrs.field(
        default=None, converter=to_money, validator=_optional_non_negative, kw_only=True
    )
    attendance: tuple[Attendance, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_attendance, kw_only=True
    )
    organiser_id: str | None = attrs.field(
        default=None, validator=optional_identifier, kw_only=True
    )
    moves: tuple[SessionMove, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_moves, kw_only=True
    )
    coach_id: str | None = attrs.field(default=None, validator=_check_coach, kw_only=True)
    version: int = attrs.field(default=0, eq=False)

    @purpose.default
    def _default_purpose(self) -> Purpose:
        return self.kind.default_purpose

    # ------------------------------------------------------------------ pairings

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """The coaching or mentoring pairings it records: ``(coach_id, coachee_id)`` each.

        A coaching or mentoring activity with a `coach_id` pairs the coach with each person
        on *attendee_ids*; any other activity records none.
        """
        if self.coach_id is None:
            return ()
        return tuple((self.coach_id, person) for person in self.attendee_ids)

    def sessions_held(self, as_of: date) -> tuple[date, ...]:
        """The days of its sessions on or before *as_of*."""
        return tuple(d for d in self.dates if d <= as_of)

    # ------------------------------------------------------------------ attendance

    def status_of(self, staff_id: str) -> AttendanceStatus | None:
        """Return *staff_id*'s attendance: booked unless recorded; None if they hold no place."""
        if staff_id not in self.attendee_ids:
            return None
        for record in self.attendance:
            if record.staff_id == staff_id:
                return record.status
        return AttendanceStatus.BOOKED

    def with_status(self, staff_id: str, status: AttendanceStatus | str) -> CPDActivity:
        """Return a copy recording *staff_id* as booked, attended or absent.

        Someone without a place is booked onto the activity first.

        Raises:
            ValidationError: For an invalid staff id or status.
        """
        try:
            value = AttendanceStatus(status)
            record = Attendance(staff_id, value)
        except ValueError as exc:
            allowed = ", ".join(s.value for s in AttendanceStatus)
            msg = f"cannot record attendance on CPD {self.id!r}: {exc} (status: {allowed})"
            raise ValidationError([msg]) from None
        attendees = self.attendee_ids
        if staff_id not in attendees:
            attendees = (*attendees, staff_id)
        kept = tuple(r for r in self.attendance if r.staff_id != staff_id)
        return attrs.evolve(self, attendee_ids=attendees, attendance=(*kept, record))

    def with_statuses(self, statuses: Mapping[str, AttendanceStatus | str]) -> CPDActivity:
        """Return a copy recording several people's attendance at once (a register)."""
        result = self
        for staff_id, status in statuses.items():
            result = result.with_status(staff_id, status)
        return result

    def ids_with(self, status: AttendanceStatus | str) -> tuple[str, ...]:
        """Return the attendees whose status is *status*, in attendee order."""
        wanted = AttendanceStatus(status)
        return tuple(p for p in self.attendee_ids if self.status_of(p) is wanted)

    @property
    def attended_ids(self) -> tuple[str, ...]:
        """The people recorded as having attended."""
        return self.ids_with(AttendanceStatus.ATTENDED)

    @property
    def absent_ids(self) -> tuple[str, ...]:
        """The people recorded as absent."""
        return self.ids_with(AttendanceStatus.ABSENT)

    @property
    def booked_ids(self) -> tuple[str, ...]:
        """The people booked whose attendance is not recorded yet."""
        return self.ids_with(AttendanceStatus.BOOKED)

    # ------------------------------------------------------------------------ cost

    @property
    def places(self) -> int:
        """Places held: everyone booked, attended or absent."""
        return len(self.attendee_ids)

    @property
    def total_cost(self) -> Decimal | None:
        """*cost* plus *cost_per_place* for every place; None if neither is known."""
        if self.cost is None and self.cost_per_place is None:
            return None
        return _money(self.cost) + _money(self.cost_per_place) * self.places

    # -------------------------------------------------------------------- sessions

    def _placed(self) -> dict[date, date]:
        """Where each moved session is now: its original day -> its current day."""
        where: dict[date, date] = {}
        for move in self.moves:
            where[move.original] = move.moved_to
        return where

    def _original_of(self, day: date) -> date | None:
        for original, now in self._placed().items():
            if now == day:
                return original
        return None

    def session_key(self, day: date) -> str:
        """Return the lasting name of the session on *day*: the day it was first planned on.

        A session that never moved is named by its own day (ISO); one that moved keeps the
        name of the day it was first planned on. A new session on a day another session
        was moved away from is named ``<day>.2`` so the two never share a name.
        """
        original = self._original_of(day)
        if original is not None:
            return original.isoformat()
        if day in self._placed():
            return f"{day.isoformat()}.2"
        return day.isoformat()

    def session_sequence(self, day: date) -> int:
        """Return how many times the session on *day* has moved (iCalendar's SEQUENCE)."""
        original = self._original_of(day)
        if original is None:
            return 0
        return sum(1 for move in self.moves if move.original == original)

    def move_session(self, day: date, to: date, *, reason: str = "") -> CPDActivity:
        """Return a copy with the session on *day* moved to *to*, keeping its identity.

        The start (and, for a single run over several days, the end) follow the move; the
        move is recorded in *moves*, so a calendar export keeps the session's UID and
        raises its SEQUENCE.

        Raises:
            ValidationError: If there is no session on *day*, or one is already on *to*.
        """
        where = f"cannot move a session of CPD {self.id!r}"
        if not (_is_date(day) and _is_date(to)):
            msg = f"{where}: 'day' and 'to' must be dates (got {day!r}, {to!r})"
            raise ValidationError([msg])
        days = set(self.dates)
        if day not in days:
            listed = ", ".join(d.isoformat() for d in sorted(days))
            msg = f"{where}: it has no session on {day} (sessions: {listed})"
            raise ValidationError([msg])
        if to in days:
            msg = f"{where} to {to}: a session is already on that day"
            raise ValidationError([msg])
        original = self._original_of(day) or day
        move = SessionMove(original, day, to, reason)
        if self.sessions:
            sessions = tuple(to if d == day else d for d in self.sessions)
            start = min(sessions) if (day == self.start or to < self.start) else self.start
            end = self.end
            if end is not None and (to > end or day == end):
                end = max(*sessions, start)
            return attrs.evolve(
                self, sessions=sessions, start=start, end=end, moves=(*self.moves, move)
            )
        shift = to - day
        end = None if self.end is None else self.end + shift
        return attrs.evolve(self, start=to, end=end, moves=(*self.moves, move))

    def supports(self, cycle_id: str, objective_id: str) -> bool:
        """Return whether this activity is linked to the objective."""
        return ObjectiveRef(cycle_id, objective_id) in self.objective_refs

    @property
    def highest_impact_level(self) -> ImpactLevel | None:
        """The highest evaluation level reached, or None if nothing is recorded."""
        return max((r.level for r in self.impact), default=None)

    @property
    def dates(self) -> tuple[date, ...]:
        """Every date the activity takes place on: its sessions, or its start."""
        return tuple(sorted(self.sessions)) if self.sessions else (self.start,)


@attrs.frozen
class CPDOffering:
    """One entry of a school's CPD catalogue: what it offers, apart from any run of it.

    An offering is what a school can book or run again and again (a phonics course, an
    INSET programme, a coaching offer); each time it runs is a `CPDActivity` naming the
    offering by `CPDActivity.offering_id`. Make a run with `schedule`.

    Attributes:
        id: The caller's id for the offering, unique within its school.
        school_id: The school whose catalogue it is in.
        title: What it is called.
        kind: Its form (course, coaching, INSET...).
        purpose: Management, measurement or movement; defaults from the kind.
        provider: Who provides it (in-house, a named provider).
        hours: Hours per attendee of one run.
        cost: What one run costs the school, whoever comes, if known.
        cost_per_place: What each place on a run costs, if charged per head.
        standard_ids: Standards it develops.
        priority_ids: School priorities it serves.
        organiser_id: Who usually organises it (the calendar's ORGANIZER).
        description: What it covers, for the catalogue.
        retired: No longer offered; earlier runs keep pointing at it.
        version: Set by the store; leave at 0.

    Example:
        >>> from datetime import date
        >>> phonics = CPDOffering(
        ...     id="phonics", school_id="stm", title="Phonics refresher", kind=CPDKind.COURSE,
        ...     hours=3, cost_per_place=Decimal("95"),
        ... )
        >>> run = phonics.schedule("phonics-2026-10", start=date(2026, 10, 5),
        ...                        attendee_ids=("T1", "T2"))
        >>> run.offering_id, run.total_cost
        ('phonics', Decimal('190'))
    """

    id: str = attrs.field(validator=identifier)
    school_id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text)
    kind: CPDKind = attrs.field(converter=_to_c_p_d_kind)
    purpose: Purpose = attrs.field(converter=_to_purpose)
    provider: str = ""
    hours: float = attrs.field(default=0.0, validator=_non_negative)
    cost: Decimal | None = attrs.field(
        default=None, converter=to_money, validator=_optional_non_negative
    )
    cost_per_place: Decimal | None = attrs.field(
        default=None, converter=to_money, validator=_optional_non_negative
    )
    standard_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    priority_ids: tuple[str, ...] = attrs.field(
        default=(), converter=to_tuple, validator=identifiers
    )
    organiser_id: str | None = attrs.field(default=None, validator=optional_identifier)
    description: str = ""
    retired: bool = False
    version: int = attrs.field(default=0, eq=False)

    @purpose.default
    def _default_purpose(self) -> Purpose:
        return self.kind.default_purpose

    def schedule(
        self,
        id: str,
        *,
        start: date,
        end: date | None = None,
        sessions: Iterable[date] = (),
        attendee_ids: Iterable[str] = (),
        organiser_id: str | None = None,
        objective_refs: Iterable[ObjectiveRef] = (),
        notes: str = "",
    ) -> CPDActivity:
        """Return a new run of this offering, carrying its title, kind, hours, costs and links.

        Raises:
            ValidationError: If the offering is retired, or a field of the run is invalid.
        """
        if self.retired:
            msg = f"cannot schedule CPD offering {self.id!r}: it is retired from the catalogue"
            raise ValidationError([msg])
        try:
            return CPDActivity(
                id=id,
                school_id=self.school_id,
                title=self.title,
                kind=self.kind,
                start=start,
                purpose=self.purpose,
                end=end,
                sessions=sessions,
                hours=self.hours,
                cost=self.cost,
                provider=self.provider,
                attendee_ids=attendee_ids,
                objective_refs=objective_refs,
                standard_ids=self.standard_ids,
                priority_ids=self.priority_ids,
                notes=notes,
                offering_id=self.id,
                cost_per_place=self.cost_per_place,
                organiser_id=organiser_id if organiser_id is not None else self.organiser_id,
            )
        except (ValueError, TypeError) as exc:
            msg = f"cannot schedule CPD offering {self.id!r}: {exc}"
            raise ValidationError([msg]) from None
