"""The storage port: repositories, a unit of work, optimistic concurrency and `open_store`.

Every backend stores each aggregate as a JSON document (the envelope `dump_document` writes)
plus the few text columns and multi-valued keys its queries need. This module turns domain
objects into such records and back, implements every repository once on top of a small
`Session` interface, and leaves backends only the primitive work: get, insert, replace,
delete and select records by simple conditions.

Every record carries its tenant: the school for staff, cycles and CPD; the school itself for
a school; the trust for a trust; ``""`` (shared) for catalogue documents such as frameworks
and templates. Every query takes the tenant first, and no query reads across tenants.

Examples:
    >>> import devcycle as dc
    >>> with dc.open_store("memory://") as store:
    ...     with store.transaction() as tx:
    ...         saved = tx.schools.add(dc.School(id="stm", name="St Mary's"))
    ...         tx.commit()
    ...     store.schools.get("stm").version
    1
"""

from __future__ import annotations

import abc
import builtins
import importlib
import importlib.metadata
import importlib.util
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar, cast

import attrs

from devcycle import domain
from devcycle.domain.templates import CycleTemplate
from devcycle.errors import (
    ConfigError,
    ConflictError,
    NotFoundError,
    PluginError,
    StorageError,
    ValidationError,
)
from devcycle.serialization import dump_document, kind_of, load_document

__all__ = [
    "CATALOGUE_TENANT",
    "KINDS",
    "CPDRepository",
    "Condition",
    "CycleRepository",
    "DocumentRepository",
    "Kind",
    "Record",
    "SchoolRepository",
    "Session",
    "StaffRepository",
    "Store",
    "TrustRepository",
    "UnitOfWork",
    "kind_named",
    "open_store",
    "register_scheme",
]

T = TypeVar("T")

CATALOGUE_TENANT: Final = ""
"""The tenant of shared catalogue documents (frameworks, templates)."""


# ----------------------------------------------------------------------------- records


@attrs.frozen
class Record:
    """One stored aggregate: its document plus the columns and keys its queries need.

    Attributes:
        kind: The document kind ("cycle", "staff"...).
        tenant: The school (or trust, or ``""`` for shared catalogue documents).
        id: The aggregate's id, unique within its tenant and kind.
        version: The stored version (1 after the first save, +1 on every update).
        document: The document envelope as JSON text.
        columns: Single-valued query columns, each text or None (dates as ISO text).
        keys: Multi-valued query keys as (key, value) pairs.
    """

    kind: str
    tenant: str
    id: str
    version: int
    document: str
    columns: Mapping[str, str | None] = attrs.field(factory=dict)
    keys: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Condition:
    """One condition of a select: on a column, or on a multi-valued key.

    Exactly one of *equals*, *one_of* or a range (*low*/*high*, inclusive) applies.

    Attributes:
        name: The column or key name.
        is_key: Whether *name* is a multi-valued key rather than a column.
        equals: The value to match exactly.
        one_of: Values of which any matches.
        low: Inclusive lower bound (text comparison; ISO dates sort correctly).
        high: Inclusive upper bound.
    """

    name: str
    is_key: bool = False
    equals: str | None = None
    one_of: tuple[str, ...] | None = None
    low: str | None = None
    high: str | None = None

    def matches(self, value: str | None) -> bool:
        """Return whether one stored *value* satisfies the condition."""
        if value is None:
            return False
        if self.equals is not None:
            return value == self.equals
        if self.one_of is not None:
            return value in self.one_of
        if self.low is not None and value < self.low:
            return False
        return not (self.high is not None and value > self.high)

    def accepts(self, record: Record) -> bool:
        """Return whether *record* satisfies the condition (the reference semantics)."""
        if self.is_key:
            return any(k == self.name and self.matches(v) for k, v in record.keys)
        return self.matches(record.columns.get(self.name))


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


@attrs.frozen
class Kind:
    """How one aggregate type is stored: its table, tenant, query columns and keys.

    Attributes:
        name: The document kind, as `devcycle.serialization` names it.
        table: The table (or directory) name.
        columns: Query column name -> function of the object giving text or None.
        keys: Function of the object giving its multi-valued (key, value) pairs.
        tenant: Function of the object giving its tenant.
        module: A module to import before loading documents of this kind (registers it).
    """

    name: str
    table: str
    columns: Mapping[str, Callable[[Any], str | None]]
    keys: Callable[[Any], Iterable[tuple[str, str]]]
    tenant: Callable[[Any], str]
    module: str | None = None

    def record(self, obj: Any, version: int) -> Record:
        """Return the record for *obj* stored at *version*."""
        envelope = dump_document(obj)
        if isinstance(envelope["data"].get("version"), int):
            envelope["data"]["version"] = version
        document = json.dumps(envelope, ensure_ascii=False, separators=(",", ":"))
        return Record(
            kind=self.name,
            tenant=self.tenant(obj),
            id=obj.id,
            version=version,
            document=document,
            columns={name: get(obj) for name, get in self.columns.items()},
            keys=tuple(sorted(set(self.keys(obj)))),
        )

    def load(self, record: Record) -> Any:
        """Build the object *record* holds, upgrading older documents; errors name the record."""
        if self.module is not None:
            importlib.import_module(self.module)
        source = f"{self.name} {record.tenant + '/' if record.tenant else ''}{record.id}"
        try:
            data = json.loads(record.document)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            msg = f"stored {source} is not valid JSON ({exc}); the record was left as it is"
            raise StorageError(msg) from None
        try:
            obj = load_document(data, source=source)
        except ValidationError as exc:
            msg = f"stored {exc}\nThe record was left as it is."
            raise StorageError(msg) from None
        if kind_of(obj) != self.name:
            msg = f"stored {source} holds a {kind_of(obj)!r} document"
            raise StorageError(msg)
        if isinstance(getattr(obj, "version", None), int) and obj.version != record.version:
            obj = attrs.evolve(obj, version=record.version)
        return obj


def _school_keys(school: domain.School) -> Iterator[tuple[str, str]]:
    for priority in school.priorities:
        yield "priority", priority.id


def _staff_keys(member: domain.StaffMember) -> Iterator[tuple[str, str]]:
    for team in member.team_ids:
        yield "team", team
    for role in member.roles:
        yield "role", role.value


def _cycle_keys(cycle: domain.Cycle) -> Iterator[tuple[str, str]]:
    for milestone in cycle.milestones:
        yield "milestone_due", milestone.due.isoformat()
    for objective in cycle.objectives:
        for priority in objective.priority_ids:
            yield "priority", priority
        for standard in objective.standard_ids:
            yield "standard", standard


def _cpd_keys(activity: domain.CPDActivity) -> Iterator[tuple[str, str]]:
    for attendee in activity.attendee_ids:
        yield "attendee", attendee
    for priority in activity.priority_ids:
        yield "priority", priority
    for standard in activity.standard_ids:
        yield "standard", standard


def _no_keys(_obj: object) -> tuple[tuple[str, str], ...]:
    return ()


def _catalogue(_obj: object) -> str:
    return CATALOGUE_TENANT


KINDS: Final[tuple[Kind, ...]] = (
    Kind(
        name="school",
        table="schools",
        columns={"trust_id": lambda s: s.trust_id},
        keys=_school_keys,
        tenant=lambda s: s.id,
    ),
    Kind(name="trust", table="trusts", columns={}, keys=_no_keys, tenant=lambda t: t.id),
    Kind(
        name="staff",
        table="staff",
        columns={"reviewer_id": lambda m: m.reviewer_id},
        keys=_staff_keys,
        tenant=lambda m: m.school_id,
    ),
    Kind(
        name="cycle",
        table="cycles",
        columns={
            "staff_id": lambda c: c.staff_id,
            "reviewer_id": lambda c: c.reviewer_id,
            "status": lambda c: c.status.value,
            "period_start": lambda c: _iso(c.period_start),
            "period_end": lambda c: _iso(c.period_end),
        },
        keys=_cycle_keys,
        tenant=lambda c: c.school_id,
    ),
    Kind(
        name="cpd",
        table="cpd_activities",
        columns={
            "start": lambda a: _iso(a.start),
            "end": lambda a: _iso(a.end if a.end is not None else a.start),
        },
        keys=_cpd_keys,
        tenant=lambda a: a.school_id,
    ),
    Kind(name="framework", table="frameworks", columns={}, keys=_no_keys, tenant=_catalogue),
    Kind(
        name="template",
        table="templates",
        columns={},
        keys=_no_keys,
        tenant=_catalogue,
        module="devcycle.catalogues.templates",
    ),
)
"""Every stored kind. Backends create one table (or directory) per kind from this list."""

_BY_NAME: Final = {k.name: k for k in KINDS}


def kind_named(name: str) -> Kind:
    """Return the `Kind` for the document kind *name*, or raise `ConfigError`."""
    try:
        return _BY_NAME[name]
    except KeyError:
        msg = f"no stored kind {name!r}; known: {', '.join(_BY_NAME)}"
        raise ConfigError(msg) from None


# ----------------------------------------------------------------------------- sessions


class Session(abc.ABC):
    """What a backend implements: primitive record operations inside one transaction.

    A session is opened by `Store.begin` and ends with exactly one of `commit` or
    `rollback`, followed by `close`. Repositories translate objects into records; a session
    only stores and finds records. Implement this (and `Store.begin`) to add a backend, then
    run the contract suite in `devcycle.testing.store_contract` against it.
    """

    @abc.abstractmethod
    def get(self, kind: Kind, tenant: str, id: str) -> Record | None:
        """Return the record of *kind* with *id* in *tenant*, or None."""

    @abc.abstractmethod
    def insert(self, records: Sequence[Record]) -> None:
        """Insert new records of one kind; raise `ConflictError` if any already exists."""

    @abc.abstractmethod
    def replace(self, record: Record, expected_version: int | None) -> bool:
        """Replace a stored record if its version is *expected_version* (None: any version).

        Returns:
            True if replaced; False if the record is missing or its version differs.
        """

    @abc.abstractmethod
    def delete(self, kind: Kind, tenant: str, id: str) -> bool:
        """Delete a record; return whether it existed."""

    @abc.abstractmethod
    def select(
        self, kind: Kind, tenant: str | None, conditions: Sequence[Condition] = ()
    ) -> list[Record]:
        """Return the records of *kind* in *tenant* (every tenant if None) meeting all conditions.

        Records come ordered by tenant, then id.
        """

    @abc.abstractmethod
    def commit(self) -> None:
        """Make every change of this session durable, all or nothing."""

    @abc.abstractmethod
    def rollback(self) -> None:
        """Discard every change of this session."""

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release the session's resources (connections, locks)."""


# -------------------------------------------------------------------------- repositories

_Runner = Callable[[Callable[[Session], Any], bool], Any]
"""Runs work against a session; the flag says whether the work writes."""


class _Repository(Generic[T]):
    """Common operations on one kind, within a session (or one session per call)."""

    _kind_name: str = ""

    def __init__(self, run: _Runner) -> None:
        self._run = run
        self._kind = _BY_NAME[self._kind_name]

    def _get(self, tenant: str, id: str) -> T:
        record = self._run(lambda s: s.get(self._kind, tenant, id), False)
        if record is None:
            where = f" in {tenant!r}" if tenant and tenant != id else ""
            raise NotFoundError(f"{self._kind.name}{where}", id)
        return cast("T", self._kind.load(record))

    def add(self, obj: T) -> T:
        """Store a new aggregate at version 1 and return it as stored.

        Raises:
            ConflictError: If one with the same id already exists in its tenant.
        """
        return self.add_all([obj])[0]

    def add_all(self, objs: Iterable[T]) -> list[T]:
        """Store several new aggregates at version 1 in one go (bulk work); return them.

        Raises:
            ConflictError: If any already exists; nothing is added then.
        """
        objs = list(objs)
        records = [self._kind.record(obj, 1) for obj in objs]
        seen: set[tuple[str, str]] = set()
        for record in records:
            key = (record.tenant, record.id)
            if key in seen:
                msg = f"{self._kind.name} {record.id!r} appears twice in one add"
                raise ConflictError(msg)
            seen.add(key)
        if records:
            self._run(lambda s: s.insert(records), True)
        return [_at_version(obj, 1) for obj in objs]

    def update(self, obj: T) -> T:
        """Save a changed aggregate over the version it was loaded at; return it as stored.

        The stored version must equal ``obj.version`` (objects without a version number,
        such as frameworks, are replaced whatever was stored). A mutable `Cycle` has its
        ``version`` advanced in place too, so that it can be updated again.

        Raises:
            ConflictError: If someone saved a newer version first.
            NotFoundError: If there is nothing stored to update.
        """
        versioned = isinstance(getattr(obj, "version", None), int)
        expected = cast("int", getattr(obj, "version", 0)) if versioned else None
        tenant = self._kind.tenant(obj)
        ident = cast("str", getattr(obj, "id", ""))

        def work(session: Session) -> int:
            if expected is None:  # unversioned documents: replace whatever is stored
                current = session.get(self._kind, tenant, ident)
                if current is None:
                    raise NotFoundError(self._kind.name, ident)
                new_version = current.version + 1
            else:
                new_version = expected + 1
            if session.replace(self._kind.record(obj, new_version), expected):
                return new_version
            current = session.get(self._kind, tenant, ident)
            if current is None:
                raise NotFoundError(self._kind.name, ident)
            raise ConflictError(_conflict_message(self._kind.name, ident, expected, current))

        return _at_version(obj, cast("int", self._run(work, True)))

    def _delete(self, tenant: str, id: str) -> None:
        if not self._run(lambda s: s.delete(self._kind, tenant, id), True):
            raise NotFoundError(self._kind.name, id)

    def _select(self, tenant: str | None, *conditions: Condition) -> list[T]:
        records = self._run(lambda s: s.select(self._kind, tenant, conditions), False)
        return [cast("T", self._kind.load(r)) for r in records]


def _conflict_message(kind: str, ident: str, expected: int | None, current: Record) -> str:
    """Say honestly why an update was refused, and what to do about it."""
    if expected == 0:
        return (
            f"{kind} {ident!r} is already stored (version {current.version}), and this copy was "
            "never loaded from the store (version 0): load the stored one and change it, or "
            "use devcycle.sync.sync_school to save records from another system by their ids"
        )
    return (
        f"{kind} {ident!r} was saved by someone else since version {expected} was loaded "
        f"(it is now at version {current.version}); load it again and reapply the change"
    )


def _at_version(obj: T, version: int) -> T:
    """Return *obj* at *version*: the same object if mutable (a Cycle), else a copy."""
    if not isinstance(getattr(obj, "version", None), int):
        return obj
    try:
        obj.version = version  # type: ignore[attr-defined]
    except attrs.exceptions.FrozenInstanceError:
        return attrs.evolve(obj, version=version)  # type: ignore[misc]
    return obj


class SchoolRepository(_Repository[domain.School]):
    """Schools, each its own tenant."""

    _kind_name = "school"

    def get(self, school_id: str) -> domain.School:
        """Return the school, or raise `NotFoundError`."""
        return self._get(school_id, school_id)

    def delete(self, school_id: str) -> None:
        """Delete the school record (not its staff, cycles or CPD), or raise `NotFoundError`."""
        self._delete(school_id, school_id)

    def list(self, school_ids: Iterable[str] | None = None) -> list[domain.School]:
        """Return every school, or those with the given ids (a known list, for roll-ups)."""
        if school_ids is None:
            return self._select(None)
        return [s for i in sorted(set(school_ids)) for s in self._select(i)]

    def in_trust(self, trust_id: str) -> builtins.list[domain.School]:
        """Return the schools that name *trust_id* as their trust."""
        return self._select(None, Condition("trust_id", equals=trust_id))


class TrustRepository(_Repository[domain.Trust]):
    """Trusts (groups of schools), each its own tenant."""

    _kind_name = "trust"

    def get(self, trust_id: str) -> domain.Trust:
        """Return the trust, or raise `NotFoundError`."""
        return self._get(trust_id, trust_id)

    def delete(self, trust_id: str) -> None:
        """Delete the trust record, or raise `NotFoundError`."""
        self._delete(trust_id, trust_id)

    def list(self) -> list[domain.Trust]:
        """Return every trust."""
        return self._select(None)


class StaffRepository(_Repository[domain.StaffMember]):
    """Staff members, scoped by school."""

    _kind_name = "staff"

    def get(self, school_id: str, staff_id: str) -> domain.StaffMember:
        """Return the staff member, or raise `NotFoundError`."""
        return self._get(school_id, staff_id)

    def delete(self, school_id: str, staff_id: str) -> None:
        """Delete the staff member, or raise `NotFoundError`."""
        self._delete(school_id, staff_id)

    def for_school(self, school_id: str) -> list[domain.StaffMember]:
        """Return every staff member of the school, by id."""
        return self._select(school_id)

    def in_team(self, school_id: str, team_id: str) -> list[domain.StaffMember]:
        """Return the staff in *team_id*."""
        return self._select(school_id, Condition("team", is_key=True, equals=team_id))

    def with_role(self, school_id: str, role: domain.Role | str) -> list[domain.StaffMember]:
        """Return the staff holding *role*."""
        value = domain.Role(role).value
        return self._select(school_id, Condition("role", is_key=True, equals=value))

    def reviewed_by(self, school_id: str, reviewer_id: str) -> list[domain.StaffMember]:
        """Return the staff whose reviewer is *reviewer_id*."""
        return self._select(school_id, Condition("reviewer_id", equals=reviewer_id))


class CycleRepository(_Repository[domain.Cycle]):
    """Development cycles, scoped by school."""

    _kind_name = "cycle"

    def get(self, school_id: str, cycle_id: str) -> domain.Cycle:
        """Return the cycle, or raise `NotFoundError`."""
        return self._get(school_id, cycle_id)

    def delete(self, school_id: str, cycle_id: str) -> None:
        """Delete the cycle, or raise `NotFoundError`."""
        self._delete(school_id, cycle_id)

    def for_school(self, school_id: str) -> list[domain.Cycle]:
        """Return every cycle of the school, by id."""
        return self._select(school_id)

    def for_staff(self, school_id: str, staff_id: str) -> list[domain.Cycle]:
        """Return the cycles whose reviewee is *staff_id*."""
        return self._select(school_id, Condition("staff_id", equals=staff_id))

    def reviewed_by(self, school_id: str, reviewer_id: str) -> list[domain.Cycle]:
        """Return the cycles *reviewer_id* reviews."""
        return self._select(school_id, Condition("reviewer_id", equals=reviewer_id))

    def for_team(self, school_id: str, team_id: str) -> list[domain.Cycle]:
        """Return the cycles of the staff in *team_id* (as the staff records say now)."""
        staff_kind = _BY_NAME["staff"]

        def work(session: Session) -> list[Record]:
            members = session.select(
                staff_kind, school_id, (Condition("team", is_key=True, equals=team_id),)
            )
            if not members:
                return []
            ids = tuple(m.id for m in members)
            return session.select(self._kind, school_id, (Condition("staff_id", one_of=ids),))

        return [self._kind.load(r) for r in self._run(work, False)]

    def in_period(self, school_id: str, start: date, end: date) -> list[domain.Cycle]:
        """Return the cycles whose period overlaps *start*..*end* (inclusive)."""
        return self._select(
            school_id,
            Condition("period_start", high=end.isoformat()),
            Condition("period_end", low=start.isoformat()),
        )

    def with_status(
        self, school_id: str, *statuses: domain.CycleStatus | str
    ) -> list[domain.Cycle]:
        """Return the cycles in any of *statuses*."""
        values = tuple(domain.CycleStatus(s).value for s in statuses)
        return self._select(school_id, Condition("status", one_of=values))

    def milestones_due(
        self, school_id: str, start: date, end: date, *, include_completed: bool = False
    ) -> list[tuple[domain.Cycle, domain.Milestone]]:
        """Return (cycle, milestone) for each milestone due between *start* and *end* inclusive.

        Completed milestones are left out unless *include_completed*. Ordered by due date,
        then cycle id.
        """
        cycles = self._select(
            school_id,
            Condition("milestone_due", is_key=True, low=start.isoformat(), high=end.isoformat()),
        )
        found = [
            (cycle, milestone)
            for cycle in cycles
            for milestone in cycle.milestones
            if start <= milestone.due <= end
            and (include_completed or milestone.completed_on is None)
        ]
        return sorted(found, key=lambda pair: (pair[1].due, pair[0].id, pair[1].id))

    def linked_to(
        self, school_id: str, *, priority_id: str | None = None, standard_id: str | None = None
    ) -> list[domain.Cycle]:
        """Return the cycles with an objective linked to the priority and/or the standard."""
        conditions = []
        if priority_id is not None:
            conditions.append(Condition("priority", is_key=True, equals=priority_id))
        if standard_id is not None:
            conditions.append(Condition("standard", is_key=True, equals=standard_id))
        if not conditions:
            msg = "linked_to needs priority_id or standard_id"
            raise ConfigError(msg)
        return self._select(school_id, *conditions)

    def objectives_linked_to(
        self, school_id: str, *, priority_id: str | None = None, standard_id: str | None = None
    ) -> list[tuple[domain.Cycle, domain.Objective]]:
        """Return (cycle, objective) for each objective linked to the priority and/or standard."""
        return [
            (cycle, objective)
            for cycle in self.linked_to(school_id, priority_id=priority_id, standard_id=standard_id)
            for objective in cycle.objectives
            if (priority_id is None or priority_id in objective.priority_ids)
            and (standard_id is None or standard_id in objective.standard_ids)
        ]


class CPDRepository(_Repository[domain.CPDActivity]):
    """CPD activities, scoped by school."""

    _kind_name = "cpd"

    def get(self, school_id: str, activity_id: str) -> domain.CPDActivity:
        """Return the activity, or raise `NotFoundError`."""
        return self._get(school_id, activity_id)

    def delete(self, school_id: str, activity_id: str) -> None:
        """Delete the activity, or raise `NotFoundError`."""
        self._delete(school_id, activity_id)

    def for_school(self, school_id: str) -> list[domain.CPDActivity]:
        """Return every CPD activity of the school, by id."""
        return self._select(school_id)

    def for_staff(self, school_id: str, staff_id: str) -> list[domain.CPDActivity]:
        """Return the activities *staff_id* attends."""
        return self._select(school_id, Condition("attendee", is_key=True, equals=staff_id))

    def in_period(self, school_id: str, start: date, end: date) -> list[domain.CPDActivity]:
        """Return the activities running at some point between *start* and *end* inclusive."""
        return self._select(
            school_id,
            Condition("start", high=end.isoformat()),
            Condition("end", low=start.isoformat()),
        )

    def linked_to(
        self, school_id: str, *, priority_id: str | None = None, standard_id: str | None = None
    ) -> list[domain.CPDActivity]:
        """Return the activities serving the priority and/or the standard."""
        conditions = []
        if priority_id is not None:
            conditions.append(Condition("priority", is_key=True, equals=priority_id))
        if standard_id is not None:
            conditions.append(Condition("standard", is_key=True, equals=standard_id))
        if not conditions:
            msg = "linked_to needs priority_id or standard_id"
            raise ConfigError(msg)
        return self._select(school_id, *conditions)


class DocumentRepository(_Repository[T]):
    """Shared catalogue documents of one kind (frameworks, templates), by id."""

    def __init__(self, kind_name: str, run: _Runner) -> None:
        self._kind_name = kind_name
        super().__init__(run)

    def get(self, document_id: str) -> T:
        """Return the document, or raise `NotFoundError`."""
        return self._get(CATALOGUE_TENANT, document_id)

    def delete(self, document_id: str) -> None:
        """Delete the document, or raise `NotFoundError`."""
        self._delete(CATALOGUE_TENANT, document_id)

    def list(self) -> list[T]:
        """Return every stored document of this kind, by id."""
        return self._select(CATALOGUE_TENANT)


class _Repositories:
    """The repositories, bound to one way of running work against a session."""

    schools: SchoolRepository
    trusts: TrustRepository
    staff: StaffRepository
    cycles: CycleRepository
    cpd: CPDRepository
    frameworks: DocumentRepository[domain.Framework]
    templates: DocumentRepository[CycleTemplate]

    def _bind(self, run: _Runner) -> None:
        self.schools = SchoolRepository(run)
        self.trusts = TrustRepository(run)
        self.staff = StaffRepository(run)
        self.cycles = CycleRepository(run)
        self.cpd = CPDRepository(run)
        self.frameworks = DocumentRepository("framework", run)
        self.templates = DocumentRepository("template", run)


class UnitOfWork(_Repositories, AbstractContextManager["UnitOfWork"]):
    """One transaction: every repository, and `commit`. Rolls back unless committed.

    Use it as a context manager (``with store.transaction() as tx:``). Leaving the block
    without calling `commit`, or by an exception, discards every change.

    Attributes:
        schools: Schools.
        trusts: Trusts.
        staff: Staff members.
        cycles: Development cycles.
        cpd: CPD activities.
        frameworks: Standards frameworks (shared).
        templates: Cycle templates (shared).
    """

    def __init__(self, session: Session) -> None:
        self._session: Session | None = session
        self._committed = False
        self._bind(self._in_session)

    def _in_session(self, work: Callable[[Session], Any], _write: bool) -> Any:
        if self._session is None:
            msg = "this transaction has ended; open a new one with store.transaction()"
            raise StorageError(msg)
        return work(self._session)

    @property
    def committed(self) -> bool:
        """Whether `commit` has been called."""
        return self._committed

    def commit(self) -> None:
        """Make every change in this transaction durable, all or nothing; then end it."""
        session = self._session
        if session is None:
            msg = "this transaction has already ended"
            raise StorageError(msg)
        self._session = None
        try:
            session.commit()
            self._committed = True
        finally:
            session.close()

    def rollback(self) -> None:
        """Discard every change in this transaction and end it (no-op once ended)."""
        session, self._session = self._session, None
        if session is not None:
            try:
                session.rollback()
            finally:
                session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.rollback()


class Store(_Repositories, abc.ABC):
    """A place aggregates are kept: repositories for single calls, and transactions.

    ``store.cycles.get(...)`` and the other repositories on the store itself run each call
    in a transaction of its own; use `transaction` to group changes, all or nothing.
    Use the store as a context manager, or call `close`.

    Attributes:
        url: The URL the store was opened with (any password hidden).
    """

    url: str = ""

    def __init__(self) -> None:
        self._bind(self._autocommit)

    @abc.abstractmethod
    def begin(self, *, readonly: bool = False) -> Session:
        """Open a session on a new transaction (backends implement this).

        Args:
            readonly: A promise that the session will only read, so that a backend may
                skip taking its write lock (SQLite does).
        """

    def transaction(self) -> UnitOfWork:
        """Return a unit of work: a transaction that rolls back unless committed.

        Examples:
            >>> import devcycle as dc
            >>> store = dc.open_store("memory://")
            >>> with store.transaction() as tx:
            ...     _ = tx.schools.add(dc.School(id="oak", name="Oak Primary"))
            ...     tx.commit()
            >>> [s.id for s in store.schools.list()]
            ['oak']
        """
        return UnitOfWork(self.begin())

    def _autocommit(self, work: Callable[[Session], Any], write: bool) -> Any:
        session = self.begin(readonly=not write)
        try:
            result = work(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        return result

    def close(self) -> None:
        """Release connections, files and locks. The store cannot be used afterwards."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


# ------------------------------------------------------------------------- open_store

_BUILTIN: Final[dict[str, tuple[str, str | None]]] = {
    "memory": ("devcycle.storage.memory:MemoryStore", None),
    "json": ("devcycle.storage.jsonfiles:JsonFileStore", None),
}
_SQL_DIALECTS: Final[dict[str, str]] = {
    "sqlite": "sql",
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "sql",
    "mariadb": "sql",
    "oracle": "sql",
    "mssql": "sql",
}
_SQL_TOPIC: Final = "devcycle.storage.sql:SqlStore"
_REGISTERED: dict[str, str | Callable[[str], Store]] = {}


def register_scheme(scheme: str, factory: str | Callable[[str], Store]) -> None:
    """Make `open_store` open *scheme* URLs with *factory* (a callable or ``"module:attr"``).

    Plug-in packages usually declare an entry point in the ``devcycle.storage`` group
    instead; this is for embedders wiring a backend by hand (and for tests).
    """
    _REGISTERED[scheme] = factory


def _scheme(url: str) -> str:
    scheme, sep, _rest = url.partition("://")
    if not sep:
        scheme, sep, _rest = url.partition(":")
    if not sep or not scheme:
        msg = (
            f"storage URL {url!r} has no scheme; expected e.g. memory://, json:///path/dir, "
            "sqlite:///devcycle.db or postgresql+psycopg://user@host/db"
        )
        raise ConfigError(msg)
    return scheme.lower()


def _entry_point(scheme: str) -> importlib.metadata.EntryPoint | None:
    for entry in importlib.metadata.entry_points(group="devcycle.storage"):
        if entry.name == scheme:
            return entry
    return None


def _resolve(topic: str) -> Any:
    module, _sep, attribute = topic.partition(":")
    return getattr(importlib.import_module(module), attribute)


def _known_schemes() -> list[str]:
    plugins = [e.name for e in importlib.metadata.entry_points(group="devcycle.storage")]
    return sorted({*_BUILTIN, *_SQL_DIALECTS, *_REGISTERED, *plugins})


def open_store(url: str) -> Store:
    """Open the store at *url*, choosing the backend by the URL's scheme.

    Schemes: ``memory://`` (in memory, for tests and scripts); ``json:///path/dir`` (one
    JSON document per aggregate); any SQLAlchemy URL (``sqlite:///devcycle.db``, the
    default; ``postgresql+psycopg://user:pass@host/db``); and any scheme a plug-in registers
    in the ``devcycle.storage`` entry-point group. Backends load only when first asked for.

    Args:
        url: Where the store is.

    Returns:
        The open store; close it (or use it as a context manager) when done.

    Raises:
        ConfigError: For an unknown scheme, or a backend whose extra is not installed.
        StorageError: If the store cannot be reached or read.
        PluginError: If a plug-in backend fails to load.

    Examples:
        >>> import devcycle as dc
        >>> with dc.open_store("memory://") as store:
        ...     store.schools.list()
        []
    """
    scheme = _scheme(url)
    dialect = scheme.partition("+")[0]
    factory: str | Callable[[str], Store] | None = _REGISTERED.get(scheme)
    extra: str | None = None
    if factory is None and scheme in _BUILTIN:
        factory, extra = _BUILTIN[scheme]
    if factory is None:
        entry = _entry_point(scheme)
        if entry is not None:
            try:
                factory = cast("Callable[[str], Store]", entry.load())
            except Exception as exc:
                msg = f"storage plug-in {scheme!r} ({entry.value}) failed to load: {exc}"
                raise PluginError(msg) from exc
    if factory is None and (dialect in _SQL_DIALECTS or _sqlalchemy_knows(dialect)):
        factory, extra = _SQL_TOPIC, _SQL_DIALECTS.get(dialect, "sql")
    if factory is None:
        msg = (
            f"unknown storage scheme {scheme!r} in {_hide_password(url)!r}; "
            f"known: {', '.join(_known_schemes())} (or any SQLAlchemy URL)"
        )
        raise ConfigError(msg)
    if isinstance(factory, str):
        try:
            factory = cast("Callable[[str], Store]", _resolve(factory))
        except ImportError as exc:
            hint = f'pip install "devcycle[{extra}]"' if extra else "its package installed"
            msg = f"storage {dialect!r} needs: {hint} ({exc})"
            raise ConfigError(msg) from None
    return factory(url)


def _sqlalchemy_knows(dialect: str) -> bool:
    """Whether an installed SQLAlchemy has a (third-party) dialect of this name."""
    if importlib.util.find_spec("sqlalchemy") is None:
        return False
    sql = importlib.import_module("devcycle.storage.sql")
    return bool(sql.has_dialect(dialect))


def _hide_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _at, host = rest.rpartition("@")
    if ":" in credentials:
        user = credentials.partition(":")[0]
        return f"{scheme}://{user}:***@{host}"
    return url
