"""Keep devcycle's schools, teams and staff in step with a school's MIS, idempotently.

An MIS (management information system) is where a school's people are really kept. A
vendor embedding devcycle sends what the MIS holds, by the MIS's own ids, as often as it
likes; `sync_school` adds what is new, updates what changed, leaves alone what did not, and
reports who is stored but no longer in the MIS ("left") without deleting them: a leaver's
appraisal records are personal data with their own retention period, not rows to drop.

The caller never handles store versions: the sync reads each stored record and saves the
MIS's version of it over the version it found, all in one transaction (all or nothing).

Examples:
    >>> import devcycle as dc
    >>> from devcycle.sync import sync_school
    >>> school = dc.School(id="oak", name="Oak Primary")
    >>> anna = dc.StaffMember(id="T1", name="Anna", school_id="oak", roles={"teacher"})
    >>> with dc.open_store("memory://") as store:
    ...     first = sync_school(store, school, [anna])
    ...     again = sync_school(store, school, [anna])
    >>> first.summary(), again.summary()
    ('created 2', 'unchanged 2')
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Final

import attrs

from devcycle import domain
from devcycle.errors import NotFoundError, ValidationError
from devcycle.interop.roster import FIELDS, reinstated_staff, renamed_staff, same_name
from devcycle.storage.audit import AuditEntry, AuditEvent
from devcycle.storage.base import AuditLog, Store, UnitOfWork

__all__ = [
    "GUARDED_STAFF_FIELDS",
    "MIS_SCHOOL_FIELDS",
    "SYNC_ACTION",
    "Outcome",
    "SyncCheck",
    "SyncItem",
    "SyncReport",
    "record_sync",
    "refuse_reinstatements",
    "refuse_renames",
    "refuse_roster_overrides",
    "sync_in",
    "sync_school",
]


class Outcome(enum.Enum):
    """What the sync did with one record."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    LEFT = "left"
    """A person stored but no longer in the MIS: kept as they are, for the school to decide."""
    REMOVED = "removed"
    """A team the MIS no longer sends: removed from the school record (people keep theirs)."""


@attrs.frozen
class SyncItem:
    """One record the sync saw.

    Attributes:
        kind: ``school``, ``team`` or ``staff``.
        school_id: The school it belongs to.
        id: Its id in the MIS (and in devcycle).
        outcome: What the sync did with it.
        changed: For an update, the names of the fields that changed.
    """

    kind: str
    school_id: str
    id: str
    outcome: Outcome
    changed: tuple[str, ...] = ()


@attrs.frozen
class SyncReport:
    """What one sync did, record by record.

    Attributes:
        items: Every record seen, in the order school, teams, staff.
    """

    items: tuple[SyncItem, ...]

    def of(self, outcome: Outcome, kind: str | None = None) -> tuple[SyncItem, ...]:
        """Return the items with *outcome* (and of *kind*, if given)."""
        return tuple(
            i for i in self.items if i.outcome is outcome and (kind is None or i.kind == kind)
        )

    @property
    def created(self) -> tuple[SyncItem, ...]:
        """Records that were new."""
        return self.of(Outcome.CREATED)

    @property
    def updated(self) -> tuple[SyncItem, ...]:
        """Records that changed."""
        return self.of(Outcome.UPDATED)

    @property
    def unchanged(self) -> tuple[SyncItem, ...]:
        """Records the MIS and the store agree on."""
        return self.of(Outcome.UNCHANGED)

    @property
    def left(self) -> tuple[SyncItem, ...]:
        """Staff stored but no longer in the MIS (kept, not deleted)."""
        return self.of(Outcome.LEFT)

    def summary(self) -> str:
        """One line for a log, such as ``created 3, updated 1, unchanged 40, left 2``."""
        parts = [
            f"{outcome.value} {count}" for outcome in Outcome if (count := len(self.of(outcome)))
        ]
        return ", ".join(parts) or "nothing to do"


MIS_SCHOOL_FIELDS = ("name", "trust_id", "teams")
"""The fields of a stored `School` a sync sets: what the MIS owns.

Everything else (priorities and their KPIs, CPD budgets, team milestones, the appraisal
policy, the country) is set in devcycle and kept as it is stored; a field added to `School`
later is kept too, unless it is named here. A new school is stored as the MIS sends it.
"""


def _changed_fields(
    stored: Any, incoming: Any, names: Sequence[str] | None = None
) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in attrs.fields(type(incoming))
        if field.eq
        and (names is None or field.name in names)
        and getattr(stored, field.name) != getattr(incoming, field.name)
    )


def _merge_school(stored: domain.School, school: domain.School) -> domain.School:
    """The stored school with only the MIS-owned fields taken from *school*.

    Raises:
        ValidationError: If the MIS drops a team that still has team milestones.
    """
    kept = {team.id for team in school.teams}
    orphans = [item for item in stored.team_milestones if item.team_id not in kept]
    if orphans:
        raise ValidationError(
            [
                f"team {item.team_id!r} is no longer sent by the MIS but has team milestone "
                f"{item.id!r}; remove or move the milestone in devcycle first @ $.teams"
                for item in orphans
            ],
            source="MIS sync",
        )
    return attrs.evolve(stored, **{name: getattr(school, name) for name in MIS_SCHOOL_FIELDS})


def _check_staff(school: domain.School, staff: Sequence[domain.StaffMember]) -> None:
    """Refuse a feed that does not hold together, naming each row and field.

    The feed is the school's whole staff list, so every reviewer and line manager must be
    in it, and every team a person belongs to must be one of the school's teams.
    """
    problems: list[str] = []
    ids = [member.id for member in staff]
    listed = set(ids)
    teams = {team.id for team in school.teams}
    for index, member in enumerate(staff):
        where = f"$.staff[{index}]"
        if member.school_id != school.id:
            problems.append(
                f"staff {member.id!r} belongs to school {member.school_id!r}, "
                f"not {school.id!r} @ {where}.school_id"
            )
        if ids.index(member.id) != index:
            problems.append(f"staff id {member.id!r} appears more than once @ {where}.id")
        for field in ("reviewer_id", "line_manager_id"):
            other = getattr(member, field)
            if other is None:
                continue
            if other == member.id:
                problems.append(f"{member.id!r} cannot be their own {field[:-3]} @ {where}.{field}")
            elif other not in listed:
                problems.append(
                    f"{field[:-3].replace('_', ' ')} {other!r} of {member.id!r} is not on the "
                    f"staff list @ {where}.{field}"
                )
        problems.extend(
            f"team {team_id!r} of {member.id!r} is not one of the school's teams "
            f"({', '.join(sorted(teams)) or 'none'}) @ {where}.team_ids"
            for team_id in member.team_ids
            if team_id not in teams
        )
    if problems:
        raise ValidationError(problems, source="MIS sync")


def sync_school(
    store: Store,
    school: domain.School,
    staff: Iterable[domain.StaffMember],
    *,
    teams: Iterable[domain.Team] | None = None,
    accept_renames: bool = False,
    accept_reinstatements: bool = False,
    accept_roster_overrides: bool = False,
) -> SyncReport:
    """Make the store hold *school*, its *teams* and its *staff* as the MIS has them.

    This is the store's own sync, as whoever opened the store (the system): it checks no
    access policy. A sync run for someone (the school's data manager pressing "sync now")
    goes through `devcycle.services.Services.sync_school`, which does the same under the
    policy: the roles, trust and reviewers a feed changes need the rights they need anywhere.

    Args:
        store: Where devcycle keeps its records.
        school: The school as the MIS has it (its version is ignored). Only what the MIS
            owns (`MIS_SCHOOL_FIELDS`: name, trust and teams) is taken from it for a stored
            school; its priorities, KPIs, CPD budgets, team milestones, policy and country
            are set in devcycle and kept. A new school is stored as given.
        staff: Everyone the MIS lists for the school now (versions ignored).
        teams: The school's teams, if the MIS sends them apart from the school; they
            replace the school's teams. ``None`` keeps ``school.teams``.
        accept_renames: Let the feed change the name of a stored member of staff. By
            default a feed that would is refused (`refuse_renames`): a trust's schools
            reuse staff ids, so a stored id under another name is most likely another
            school's feed, and saving it would hand the person's cycles to a stranger.
            Pass ``True`` once the changes of name are known to be genuine.
        accept_reinstatements: Let the feed clear a stored leaving date. By default a feed
            that would is refused (`refuse_reinstatements`): an MIS export made before
            the leaver was recorded in devcycle would put them back on the staff.
        accept_roster_overrides: Let the feed put back a staff field changed in devcycle
            since the person's last sync. By default a feed that would is refused
            (`refuse_roster_overrides`): a school leader's change of reviewer, roles,
            teams or line manager (...) is in the audit trail, and an MIS export made
            before it would silently undo it. A first sync of a person, and a feed that
            gives the stored value, are never refused.

    Returns:
        What was created, updated, unchanged, and who is stored but no longer listed.

    Raises:
        ValidationError: If a person belongs to another school or is listed twice, or names a
            reviewer, line manager or team the feed does not hold, or the MIS drops a team
            that still has team milestones, or (without *accept_renames*) would change a
            stored person's name, or (without *accept_reinstatements*) would clear a
            stored leaving date, or (without *accept_roster_overrides*) would change back a
            field changed in devcycle since the person's last sync; nothing is saved.
        ConflictError: If someone else changed a record while the sync ran; nothing is saved,
            and running the sync again is safe.
    """
    people = list(staff)
    if teams is not None:
        school = attrs.evolve(school, teams=tuple(teams))
    with store.transaction() as tx:
        # checks the feed before it reads or writes
        items = sync_in(
            tx,
            school,
            people,
            accept_renames=accept_renames,
            accept_reinstatements=accept_reinstatements,
            accept_roster_overrides=accept_roster_overrides,
        )
        tx.commit()
    return SyncReport(items)


SyncCheck = Callable[
    [
        domain.School | None,
        domain.School,
        Mapping[str, domain.StaffMember],
        Sequence[domain.StaffMember],
    ],
    None,
]
"""Called by `sync_in` before it writes: (the school as stored or None, the school as it will
be stored, the stored staff by id, the members it will add or update). It raises to refuse
the sync (`devcycle.services.Services.sync_school` checks the access policy here)."""


def refuse_renames(
    people: Sequence[domain.StaffMember],
    stored: Mapping[str, domain.StaffMember],
    *,
    school_id: str,
    accept_renames: bool = False,
    rows: Mapping[str, int] | None = None,
    source: str | None = "MIS sync",
) -> None:
    """Refuse people who would rename a stored member of staff, unless *accept_renames*.

    The one place this is decided, for the sync (`sync_school`, `sync_in`) and for
    ``devcycle plan --roster`` (whose ``--accept-renames`` is *accept_renames*). A trust's
    schools reuse staff ids (T1, M1...), so a stored id under another name is most likely
    another school's list: saving it would rename the record, its dates and cycles kept,
    to a stranger. Names that differ only in capitals or white space are not a change.

    Args:
        people: Who is to be saved.
        stored: The staff stored for *school_id*, by id.
        school_id: The school.
        accept_renames: The changes of name are genuine: refuse nothing.
        rows: The row of each staff id in a roster file: the message names the row and
            ``--accept-renames``. Without it the message names ``$.staff[i].name`` and
            ``accept_renames=True``.
        source: What was read (a file name), shown first in the message; None for nothing.

    Raises:
        ValidationError: One problem per person whose name would change (from whom to
            whom, and how to accept it); nothing has been written.
    """
    if accept_renames:
        return
    if rows is not None:  # a roster file: its rows, and the command line's option
        problems = renamed_staff(people, stored, school_id=school_id, rows=rows)
    else:
        problems = [
            f"name of {person.id!r} would change from {kept.name!r} to {person.name!r}: "
            f"this looks like another school's staff (a trust's schools reuse ids such as "
            f"{person.id!r}: check the feed is for school {school_id!r}); if {person.id!r} "
            f"has genuinely changed name, pass accept_renames=True @ $.staff[{index}].name"
            for index, person in enumerate(people)
            if (kept := stored.get(person.id)) is not None
            and person.name
            and not same_name(kept.name, person.name)
        ]
    if problems:
        raise ValidationError(problems, source=source)


def refuse_reinstatements(
    people: Sequence[domain.StaffMember],
    stored: Mapping[str, domain.StaffMember],
    *,
    school_id: str,
    accept_reinstatements: bool = False,
    rows: Mapping[str, int] | None = None,
    source: str | None = "MIS sync",
) -> None:
    """Refuse people who would clear a stored leaving date, unless *accept_reinstatements*.

    The one place this is decided, for the sync (`sync_school`, `sync_in`,
    `devcycle.services.Services.sync_school`) and for ``devcycle plan --roster`` (whose
    ``--accept-reinstatements`` is *accept_reinstatements*). A leaving date is recorded in
    devcycle (``devcycle person leave``, ``record_leaver``) or by an MIS export; an export
    made before it (last month's roster, run again) still shows the person with no leaving
    date, and saving it would silently put the leaver back on the staff. A feed that gives
    another leaving date is not refused here (`refuse_roster_overrides` refuses it if the
    date was changed in devcycle since the person's last sync); nor is a feed (a roster
    without a ``leaving_date`` column) that does not carry the field: leave those people out
    of *people*.

    Args:
        people: Who is to be saved.
        stored: The staff stored for *school_id*, by id (another school's staff, even under
            the same ids, are not looked at).
        school_id: The school.
        accept_reinstatements: Each person is genuinely staying: refuse nothing.
        rows: The row of each staff id in a roster file: the message names the row and
            ``--accept-reinstatements``. Without it the message names
            ``$.staff[i].leaving_date`` and ``accept_reinstatements=True``.
        source: What was read (a file name), shown first in the message; None for nothing.

    Raises:
        ValidationError: One problem per person whose leaving date would be cleared (the
            stored date, and how to accept it); nothing has been written.
    """
    if accept_reinstatements:
        return
    if rows is not None:  # a roster file: its rows, and the command line's options
        problems = reinstated_staff(people, stored, school_id=school_id, rows=rows)
    else:
        problems = [
            f"leaving_date of {person.id!r} ({kept.name!r}) in school {school_id!r} would be "
            f"cleared: {kept.leaving_date.isoformat()} is stored and the feed has none (an "
            f"MIS export made before the leaving date was recorded?); if they are genuinely "
            f"staying, pass accept_reinstatements=True @ $.staff[{index}].leaving_date"
            for index, person in enumerate(people)
            if (kept := stored.get(person.id)) is not None
            and kept.leaving_date is not None
            and person.leaving_date is None
        ]
    if problems:
        raise ValidationError(problems, source=source)


SYNC_ACTION: Final = "sync"
"""The audit action of a sync's mark: the feed (an MIS sync, a roster) was saved for a person.

Appended by the sync itself (`record_sync`), in the transaction that saves the feed, after
its writes: one entry per person whose mark has moved on, of kind ``staff``, naming the
person's record and the version the feed left it at, its *fields* the staff fields the
feed carried. Every ``update`` of the record since, to a later version, naming one of those
fields, was made inside devcycle (`refuse_roster_overrides`).
"""

GUARDED_STAFF_FIELDS: Final = tuple(
    field.name
    for field in attrs.fields(domain.StaffMember)
    if field.eq and field.name not in {"id", "name", "school_id"}
)
"""The staff fields a feed may not put back over a change made in devcycle since it last ran.

Every field of `StaffMember` a person can change in devcycle (``devcycle person reassign``,
``devcycle person leave``, `devcycle.services.Services.save_school`...) and a feed carries:
roles, FTE, teams, reviewer, line manager, dates, e-mail. A field added later is guarded
too. The name has its own guard (`refuse_renames`), and so has a leaving date the feed
would clear (`refuse_reinstatements`).
"""

_COLUMN: Final = {field: column for column, field in FIELDS.items()}


@attrs.frozen
class _History:
    """What the audit trail says of one person's record since their last sync, per field.

    Attributes:
        synced: Each field a sync carried -> the record's version its last sync left.
        edits: Each such field -> the last ``update`` naming it since (to a later version).
    """

    synced: Mapping[str, int]
    edits: Mapping[str, AuditEntry]


_QUERY_IDS: Final = 500
"""How many staff ids one audit query asks about (a backend's limit on parameters)."""


def _histories(audit: AuditLog, school_id: str, staff_ids: Iterable[str]) -> dict[str, _History]:
    """Read the audit trail of *school_id*'s staff records *staff_ids* (that school's only).

    One query per `_QUERY_IDS` people. An ``add`` or ``delete`` starts a record's history
    afresh: a record stored again under the same id has not been synced yet. Versions, not
    the order of entries, say what came after a sync, so that a change committed while a
    sync ran (before its mark, but not seen by it) counts.
    """
    wanted = sorted(set(staff_ids))
    entries: dict[str, list[AuditEntry]] = {staff_id: [] for staff_id in wanted}
    for start in range(0, len(wanted), _QUERY_IDS):
        chunk = wanted[start : start + _QUERY_IDS]
        for entry in audit.query(school_id, kind="staff", records=chunk):
            entries.setdefault(entry.record_id, []).append(entry)
    return {staff_id: _history(entries[staff_id]) for staff_id in wanted}


def _history(entries: Iterable[AuditEntry]) -> _History:
    """One record's `_History` from its audit entries, in sequence order."""
    synced: dict[str, int] = {}
    writes: list[AuditEntry] = []
    for entry in entries:
        if entry.action in {"add", "delete"}:
            synced, writes = {}, []
        elif entry.action == SYNC_ACTION and entry.version is not None:
            for field in entry.fields:
                synced[field] = max(synced.get(field, 0), entry.version)
        elif entry.action == "update" and entry.version is not None:
            writes.append(entry)
    edits = {
        field: entry
        for entry in writes
        for field in entry.fields
        if field in synced and entry.version is not None and entry.version > synced[field]
    }
    return _History(synced, edits)


def _shown(value: object) -> str:
    """A staff field's value as a roster writes it (``teacher;middle_leader``, a date)."""
    if value is None or value in ((), frozenset()):
        return "(none)"
    if isinstance(value, frozenset | tuple | list):
        return ";".join(sorted(str(v) for v in value) if isinstance(value, frozenset) else value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _overridden(
    person: domain.StaffMember, kept: domain.StaffMember, fields: Collection[str]
) -> list[str]:
    """The guarded *fields* the feed's *person* would change on the stored *kept*."""
    return [
        field
        for field in kept.changed_fields(person, fields)
        if field in GUARDED_STAFF_FIELDS
        # clearing a leaving date is refuse_reinstatements' (with its own flag)
        and not (field == "leaving_date" and person.leaving_date is None)
    ]


def refuse_roster_overrides(
    people: Sequence[domain.StaffMember],
    stored: Mapping[str, domain.StaffMember],
    *,
    school_id: str,
    audit: AuditLog,
    accept_roster_overrides: bool = False,
    fields: Collection[str] = GUARDED_STAFF_FIELDS,
    rows: Mapping[str, int] | None = None,
    source: str | None = "MIS sync",
) -> None:
    """Refuse a feed that would undo a change made in devcycle, unless *accept_roster_overrides*.

    The one place this is decided, for the sync (`sync_school`, `sync_in`,
    `devcycle.services.Services.sync_school`) and for ``devcycle plan --roster`` (whose
    ``--accept-roster-overrides`` is *accept_roster_overrides*). A school leader changes a
    person's reviewer, roles, teams or line manager in devcycle; an MIS export made before
    that (last term's roster, run again) still has the old value, and saving it would put
    the old value back, unseen. So a person's field (`GUARDED_STAFF_FIELDS`) that the feed
    would change is refused if the audit trail shows it written in devcycle (an ``update``
    naming it) since the person's last sync (the `SYNC_ACTION` entry a sync carrying the
    field left, `record_sync`). A feed that gives the stored value changes nothing and is
    not refused; nor is anything for a person never synced before (a first sync), nor a
    field the feed does not carry (*fields*). The audit trail is the school's own:
    another school's staff under the same ids are not looked at.

    Args:
        people: Who is to be saved, as the feed has them.
        stored: The staff stored for *school_id*, by id.
        school_id: The school.
        audit: The store's audit log (``tx.audit`` in the transaction that writes).
        accept_roster_overrides: The feed is right: refuse nothing.
        fields: The staff fields the feed carries (a roster's columns, `roster_fields`).
        rows: The row of each staff id in a roster file: the message names the row, the
            column and ``--accept-roster-overrides``. Without it the message names
            ``$.staff[i].<field>`` and ``accept_roster_overrides=True``.
        source: What was read (a file name), shown first in the message; None for nothing.

    Raises:
        ValidationError: One problem per field a feed would change back (the school, the
            person, the field, the stored value, the feed's, and how to accept it);
            nothing has been written.
    """
    if accept_roster_overrides:
        return
    changes = {
        person.id: changed
        for person in people
        if (kept := stored.get(person.id)) is not None
        and (changed := _overridden(person, kept, fields))
    }
    histories = _histories(audit, school_id, changes) if changes else {}
    problems: list[str] = []
    for index, person in enumerate(people):
        kept = stored.get(person.id)
        if kept is None or person.id not in changes:
            continue
        edits = histories[person.id].edits
        for field in changes[person.id]:
            edit = edits.get(field)
            if edit is None:
                continue
            old, new = _shown(getattr(kept, field)), _shown(getattr(person, field))
            column = _COLUMN.get(field, field) if rows is not None else field
            said = (
                f"{column} of {person.id!r} ({kept.name!r}) in school {school_id!r} was "
                f"changed in devcycle on {edit.at:%Y-%m-%d}, since the last sync: {old} is "
                f"stored and the {'roster' if rows is not None else 'feed'} would change it "
                f"to {new} (an MIS export made before the change?)"
            )
            if rows is not None:
                row = rows.get(person.id)
                where = f"row {row}, column {column}" if row is not None else f"column {column}"
                problems.append(
                    f"{said}; give the stored value, or plan again with "
                    f"--accept-roster-overrides if the roster is right @ {where}"
                )
            else:
                problems.append(
                    f"{said}; if the feed is right, pass accept_roster_overrides=True "
                    f"@ $.staff[{index}].{field}"
                )
    if problems:
        raise ValidationError(problems, source=source)


def record_sync(
    tx: UnitOfWork,
    school_id: str,
    *,
    written: Iterable[domain.StaffMember],
    unchanged: Iterable[domain.StaffMember] = (),
    fields: Collection[str] = GUARDED_STAFF_FIELDS,
    detail: str = "MIS sync",
) -> int:
    """Mark in the audit trail that a feed was saved for these people (`SYNC_ACTION`).

    Call it in the transaction that saves the feed, after its writes: *written* are the
    people it added or updated (as saved: their new version), *unchanged* those it listed
    as they were stored. Each written person is marked; an unchanged person only if their
    record moved on since their last mark (changed in devcycle, since agreed with by the
    feed) or they were never marked, so that a sync that changes nothing writes nothing.
    `refuse_roster_overrides` reads the marks.

    Args:
        tx: The transaction saving the feed.
        school_id: The school.
        written: The people the feed added or updated, at the version saved.
        unchanged: The people the feed listed and left as stored.
        fields: The staff fields the feed carries.
        detail: What the sync was, for the audit log.

    Returns:
        How many people were marked.
    """
    carried = tuple(field for field in GUARDED_STAFF_FIELDS if field in fields)
    if not carried:
        return 0
    marked = list(written)
    listed = list(unchanged)
    histories = _histories(tx.audit, school_id, (m.id for m in listed)) if listed else {}
    marked += [
        member
        for member in listed
        if any(histories[member.id].synced.get(field) != member.version for field in carried)
    ]
    for member in marked:
        tx.audit.append(
            AuditEvent(
                action=SYNC_ACTION,
                tenant=school_id,
                kind="staff",
                record_id=member.id,
                version=member.version,
                persons=(member.id,),
                fields=carried,
                detail=detail,
            )
        )
    return len(marked)


def sync_in(
    tx: UnitOfWork,
    school: domain.School,
    people: Sequence[domain.StaffMember],
    *,
    check: SyncCheck | None = None,
    accept_renames: bool = False,
    accept_reinstatements: bool = False,
    accept_roster_overrides: bool = False,
) -> tuple[SyncItem, ...]:
    """Do `sync_school`'s work in the open transaction *tx* (not committed), feed checked.

    *check*, if given, sees every change before anything is written and may refuse it.
    A change of a stored person's name is refused unless *accept_renames*
    (`refuse_renames`), clearing a stored leaving date unless *accept_reinstatements*
    (`refuse_reinstatements`), and putting back a field changed in devcycle since the
    person's last sync unless *accept_roster_overrides* (`refuse_roster_overrides`, read
    from the audit trail in *tx*); all are checked before anything is written. After its
    writes, the sync marks the people it saved in the audit trail (`record_sync`).
    """
    _check_staff(school, people)
    try:
        stored_school: domain.School | None = tx.schools.get(school.id)
    except NotFoundError:
        stored_school = None
    items, target = _school_items(stored_school, school)
    stored = {m.id: m for m in tx.staff.for_school(school.id)}
    refuse_renames(people, stored, school_id=school.id, accept_renames=accept_renames)
    refuse_reinstatements(
        people, stored, school_id=school.id, accept_reinstatements=accept_reinstatements
    )
    refuse_roster_overrides(
        people,
        stored,
        school_id=school.id,
        audit=tx.audit,
        accept_roster_overrides=accept_roster_overrides,
    )
    staff_items, added, updated = _staff_items(school.id, stored, people)
    items.extend(staff_items)
    if check is not None:
        check(stored_school, target, stored, [*added, *updated])
    if stored_school is None:
        tx.schools.add(target)
    elif items[0].outcome is Outcome.UPDATED:
        tx.schools.update(target)
    written = [tx.staff.add(member) for member in added]
    written += [tx.staff.update(member) for member in updated]
    saved = {member.id for member in written}
    record_sync(
        tx,
        school.id,
        written=written,
        unchanged=[stored[p.id] for p in people if p.id in stored and p.id not in saved],
    )
    return tuple(items)


def _school_items(
    stored: domain.School | None, school: domain.School
) -> tuple[list[SyncItem], domain.School]:
    """What the sync does with the school and its teams, and the school as it will be stored."""
    if stored is None:
        created = [SyncItem("school", school.id, school.id, Outcome.CREATED)]
        created.extend(SyncItem("team", school.id, t.id, Outcome.CREATED) for t in school.teams)
        return created, school
    items = [_school_item(stored, school), *_team_items(stored, school)]
    if items[0].outcome is Outcome.UPDATED:
        return items, _merge_school(stored, school)
    return items, stored


def _staff_items(
    school_id: str,
    stored: Mapping[str, domain.StaffMember],
    people: Sequence[domain.StaffMember],
) -> tuple[list[SyncItem], list[domain.StaffMember], list[domain.StaffMember]]:
    """What the sync does with each person: the items, the members to add and to update."""
    items: list[SyncItem] = []
    added: list[domain.StaffMember] = []
    updated: list[domain.StaffMember] = []
    for member in people:
        current = stored.get(member.id)
        if current is None:
            added.append(member)
            items.append(SyncItem("staff", school_id, member.id, Outcome.CREATED))
        elif changed := current.changed_fields(member):
            updated.append(attrs.evolve(member, version=current.version))
            items.append(SyncItem("staff", school_id, member.id, Outcome.UPDATED, changed))
        else:
            items.append(SyncItem("staff", school_id, member.id, Outcome.UNCHANGED))
    listed = {member.id for member in people}
    items.extend(
        SyncItem("staff", school_id, staff_id, Outcome.LEFT)
        for staff_id in sorted(set(stored) - listed)
    )
    return items, added, updated


def _school_item(stored: domain.School, school: domain.School) -> SyncItem:
    changed = _changed_fields(stored, school, MIS_SCHOOL_FIELDS)
    outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
    return SyncItem("school", school.id, school.id, outcome, changed)


def _team_items(stored: domain.School, school: domain.School) -> list[SyncItem]:
    before = {t.id: t for t in stored.teams}
    items = []
    for team in school.teams:
        old = before.pop(team.id, None)
        if old is None:
            items.append(SyncItem("team", school.id, team.id, Outcome.CREATED))
        elif changed := _changed_fields(old, team):
            items.append(SyncItem("team", school.id, team.id, Outcome.UPDATED, changed))
        else:
            items.append(SyncItem("team", school.id, team.id, Outcome.UNCHANGED))
    items.extend(
        SyncItem("team", school.id, team_id, Outcome.REMOVED) for team_id in sorted(before)
    )
    return items
