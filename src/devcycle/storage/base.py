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
import contextlib
import copy
import importlib
import importlib.metadata
import importlib.util
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import date, datetime
from types import TracebackType
from typing import Any, Final, Generic, Self, TypeVar, cast

import attrs

from devcycle import domain
from devcycle.domain._validate import evolve_valid
from devcycle.domain.templates import CycleTemplate
from devcycle.errors import (
    ConfigError,
    ConflictError,
    DomainError,
    NotFoundError,
    PluginError,
    StorageError,
    ValidationError,
)
from devcycle.serialization import date_text, dump_document, kind_of, load_document
from devcycle.storage import jsoncodec
from devcycle.storage.audit import (
    AuditCheck,
    AuditEntry,
    AuditEvent,
    entry_columns,
    entry_document,
    entry_from_json,
    period_bounds,
    persons_named,
    persons_of,
    redact,
    seal,
    seq_id,
    utc_now,
    verify_chain,
)

__all__ = [
    "AUDIT",
    "CATALOGUE_SCOPE",
    "CATALOGUE_TENANT",
    "KINDS",
    "AuditLog",
    "CPDOfferingRepository",
    "CPDRepository",
    "Condition",
    "CycleRepository",
    "DocumentRepository",
    "Kind",
    "MeetingRatingRepository",
    "Record",
    "SchoolRepository",
    "Session",
    "StaffRepository",
    "Store",
    "SurveyRepository",
    "SurveyResponseRepository",
    "TenancyError",
    "TrainingPlanRepository",
    "TrustRepository",
    "UnitOfWork",
    "check_cycle_update",
    "kind_named",
    "open_store",
    "register_scheme",
]

T = TypeVar("T")

CATALOGUE_TENANT: Final = ""
"""The tenant of shared catalogue documents (frameworks, templates)."""

CATALOGUE_SCOPE: Final = "(catalogue)"
"""What to pass as the school to `AuditLog` calls to read the shared catalogue's chain.

Changes to frameworks and templates belong to no school: their audit entries form a chain
of their own, under `CATALOGUE_TENANT`. No school id can be spelt like this (ids start
with a letter or digit), so it never names a school's log.
"""


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
    return None if value is None else date_text(value)


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
        reindex: How to derive a stored record's columns and keys from its document, for
            kinds that are not domain documents (the audit log); None: load and record.
    """

    name: str
    table: str
    columns: Mapping[str, Callable[[Any], str | None]]
    keys: Callable[[Any], Iterable[tuple[str, str]]]
    tenant: Callable[[Any], str]
    module: str | None = None
    reindex: Callable[[Record], Record] | None = None

    def indexed(self, record: Record) -> Record:
        """Return *record* with its query columns and keys derived from its document."""
        if self.reindex is not None:
            return self.reindex(record)
        return self.record(self.load(record), record.version)

    def record(self, obj: Any, version: int) -> Record:
        """Return the record for *obj* stored at *version*."""
        return self.record_and_envelope(obj, version)[0]

    def record_and_envelope(self, obj: Any, version: int) -> tuple[Record, dict[str, Any]]:
        """Return the record for *obj* stored at *version*, and its document as plain data."""
        envelope = dump_document(obj)
        if isinstance(envelope["data"].get("version"), int):
            envelope["data"]["version"] = version
        document = jsoncodec.encode(envelope)
        record = Record(
            kind=self.name,
            tenant=str(self.tenant(obj)),
            id=str(obj.id),
            version=version,
            document=document,
            columns={name: get(obj) for name, get in self.columns.items()},
            keys=tuple(sorted(set(self.keys(obj)))),
        )
        return record, envelope

    def load(self, record: Record, *, trusted: bool = False) -> Any:
        """Build the object *record* holds, upgrading older documents; errors name the record.

        *trusted*: the record comes from a backend whose documents only devcycle writes
        (`Session.trusted`): at the current schema version it is built without validating
        again (`devcycle.serialization.from_trusted_dict`).
        """
        if self.module is not None:
            importlib.import_module(self.module)
        source = record_label(self.name, record.tenant, record.id)
        try:
            data = jsoncodec.decode(record.document)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            msg = f"stored {source} is not valid JSON ({exc}); the record was left as it is"
            raise StorageError(msg) from None
        try:
            obj = load_document(data, source=source, trusted=trusted)
        except ValidationError as exc:
            msg = f"stored {exc}\nThe record was left as it is."
            raise StorageError(msg) from None
        if kind_of(obj) != self.name:
            msg = f"stored {source} holds a {kind_of(obj)!r} document"
            raise StorageError(msg)
        if isinstance(getattr(obj, "version", None), int) and obj.version != record.version:
            obj = attrs.evolve(obj, version=record.version)
        return obj


def record_label(kind: str, tenant: str, record_id: str) -> str:
    """How messages name a stored record: its kind, its school (tenant) and its id."""
    return f"{kind} {tenant + '/' if tenant else ''}{record_id}"


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
        yield "milestone_due", date_text(milestone.due)
    for objective in cycle.objectives:
        if objective.shared_ref:
            yield "shared", objective.shared_ref
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


def _offering_keys(offering: domain.CPDOffering) -> Iterator[tuple[str, str]]:
    for priority in offering.priority_ids:
        yield "priority", priority
    for standard in offering.standard_ids:
        yield "standard", standard


def _team_keys(record: domain.MeetingRating | domain.SurveyResponse) -> Iterator[tuple[str, str]]:
    for team in record.team_ids:
        yield "team", team


def _plan_keys(entry: domain.TrainingPlanEntry) -> Iterator[tuple[str, str]]:
    for participant in entry.participant_ids:
        yield "participant", participant
    for day in entry.dates:
        yield "day", date_text(day)


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
    Kind(
        name="cpd_offering",
        table="cpd_offerings",
        columns={"retired": lambda o: "yes" if o.retired else "no"},
        keys=_offering_keys,
        tenant=lambda o: o.school_id,
    ),
    Kind(
        name="meeting_rating",
        table="meeting_ratings",
        columns={
            "cycle_id": lambda r: r.cycle_id,
            "rater_id": lambda r: r.rater_id,
            "reviewer_id": lambda r: r.reviewer_id,
            "on": lambda r: _iso(r.on),
        },
        keys=_team_keys,
        tenant=lambda r: r.school_id,
    ),
    Kind(
        name="survey",
        table="surveys",
        columns={"opens": lambda s: _iso(s.opens), "closes": lambda s: _iso(s.closes)},
        keys=_no_keys,
        tenant=lambda s: s.school_id,
    ),
    Kind(
        name="survey_response",
        table="survey_responses",
        columns={
            "survey_id": lambda r: r.survey_id,
            "respondent_id": lambda r: r.respondent_id,
            "reviewer_id": lambda r: r.reviewer_id,
        },
        keys=_team_keys,
        tenant=lambda r: r.school_id,
    ),
    Kind(
        name="training_plan_entry",
        table="training_plan",
        columns={
            "start": lambda e: _iso(e.start),
            "owner_id": lambda e: e.owner_id,
            "status": lambda e: e.status.value,
        },
        keys=_plan_keys,
        tenant=lambda e: e.school_id,
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


def entry_record(entry: AuditEntry) -> Record:
    """Return the `Record` an audit entry is stored as (kind `AUDIT`)."""
    return Record(
        kind=AUDIT.name,
        tenant=entry.tenant,
        id=seq_id(entry.seq),
        version=1,
        document=entry_document(entry),
        columns=entry_columns(entry),
        keys=tuple(sorted({("person", p) for p in (*entry.persons, entry.actor) if p})),
    )


def entry_from_record(record: Record) -> AuditEntry:
    """Build an audit entry from its stored `Record`; `StorageError` if malformed."""
    source = f"audit entry {record.tenant}/{record.id}"
    try:
        data = jsoncodec.decode(record.document)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        msg = f"stored {source} is not valid JSON ({exc})"
        raise StorageError(msg) from None
    if not isinstance(data, dict):
        msg = f"stored {source} is not a JSON object"
        raise StorageError(msg)
    return entry_from_json(data, source=source)


def _audit_reindex(record: Record) -> Record:
    return entry_record(entry_from_record(record))


AUDIT: Final = Kind(
    name="audit",
    table="audit_log",
    columns={"at": str, "action": str, "record_kind": str, "record_id": str},
    keys=_no_keys,
    tenant=lambda e: e.tenant,
    reindex=_audit_reindex,
)
"""The audit log's records: one per entry, id = zero-padded seq, in each tenant.

Not in `KINDS` (no repository stores domain objects of it); backends that create a table
per kind create one for it too (`ALL_KINDS`).
"""

ALL_KINDS: Final[tuple[Kind, ...]] = (*KINDS, AUDIT)
"""Every kind a backend stores: the domain kinds and the audit log."""

_BY_NAME_ALL: Final = {k.name: k for k in ALL_KINDS}


def stored_kind(name: str) -> Kind:
    """Return the stored `Kind` named *name*, including the audit log's."""
    try:
        return _BY_NAME_ALL[name]
    except KeyError:
        msg = f"no stored kind {name!r}; known: {', '.join(_BY_NAME_ALL)}"
        raise ConfigError(msg) from None


class TenancyError(StorageError):
    """A call that would read or write across schools: no tenant, or a record moved."""


def _audit_tenant(school_id: object, what: str) -> str:
    """The tenant of an audit chain: a school's, or the catalogue's for `CATALOGUE_SCOPE`."""
    if school_id == CATALOGUE_SCOPE:
        return CATALOGUE_TENANT
    return _require_tenant(school_id, what)


def _require_tenant(tenant: object, what: str) -> str:
    if not isinstance(tenant, str) or not tenant:
        msg = (
            f"{what} needs the school (tenant) it is scoped to, got {tenant!r}; "
            "devcycle never reads or writes across schools without being told which"
        )
        raise TenancyError(msg)
    return tenant


# ----------------------------------------------------------------------------- sessions


class Session(abc.ABC):
    """What a backend implements: primitive record operations inside one transaction.

    A session is opened by `Store.begin` and ends with exactly one of `commit` or
    `rollback`, followed by `close`. Repositories translate objects into records; a session
    only stores and finds records. Implement this (and `Store.begin`) to add a backend, then
    run the contract suite in `devcycle.testing.store_contract` against it.

    Attributes:
        trusted: Whether the documents this backend hands back are only ever written by
            devcycle (a database it owns, in memory), so that those at the current schema
            version were validated when they were saved and are loaded without validating
            them again. False (the default) for anything people may edit, such as files:
            every document is then validated as it is loaded. Older schema versions are
            always upgraded and validated.
        isolated: Whether nothing but this session can change a record between the
            session's own statements (it holds the write lock from its start, as SQLite's
            ``BEGIN IMMEDIATE`` does), so that a record it loaded or wrote is still stored
            as it was, unless the session itself changed it since. Then saving a loaded
            cycle and committing check against what the session remembers instead of
            reading each record again. False (the default): read again.
        holds_written: Whether a record this session has written stays as it wrote it
            until the session ends, even if the session is not `isolated`: no other
            session can change or delete it meanwhile (PostgreSQL's row locks, taken by
            the write and held to the end of the transaction). Then the commit's checks
            use what the session wrote instead of reading it again (issue 16: a round
            trip fewer for each change on PostgreSQL). False (the default): read again.
    """

    trusted: bool = False
    isolated: bool = False
    holds_written: bool = False

    @abc.abstractmethod
    def get(self, kind: Kind, tenant: str, id: str) -> Record | None:
        """Return the record of *kind* with *id* in *tenant*, or None."""

    def get_many(self, kind: Kind, tenant: str, ids: Sequence[str]) -> dict[str, Record]:
        """Return the records of *kind* with *ids* in *tenant* that exist, by id.

        One `get` per id unless the backend does better: the SQL store reads a batch in
        one statement (issue 16: one round trip for a batch's cycles, not one per cycle).
        Whatever it returns is what `get` would return for each id at this point.
        """
        found: dict[str, Record] = {}
        for ident in dict.fromkeys(ids):
            record = self.get(kind, tenant, ident)
            if record is not None:
                found[ident] = record
        return found

    @abc.abstractmethod
    def insert(self, records: Sequence[Record]) -> None:
        """Insert new records of one kind; raise `ConflictError` if any already exists."""

    @abc.abstractmethod
    def replace(self, record: Record, expected_version: int | None) -> bool:
        """Replace a stored record if its version is *expected_version* (None: any version).

        Returns:
            True if replaced; False if the record is missing or its version differs.
        """

    def replace_unchanged(self, record: Record, loaded: Record) -> bool:
        """Replace a stored record only if it is still exactly *loaded* (version and document).

        How a session that is not `isolated` saves a record it loaded: another transaction
        may have changed it since, or deleted it and stored another at the same version, and
        the save was checked against what was loaded. By default the stored record is read
        and compared, then `replace` runs; a backend may do both in one statement (the SQL
        store's ``UPDATE ... WHERE version = ... AND document = ...``).

        Returns:
            True if replaced; False if the record is missing or no longer as loaded.
        """
        current = self.get(kind_named(loaded.kind), loaded.tenant, loaded.id)
        if current is None or (current.version, current.document) != (
            loaded.version,
            loaded.document,
        ):
            return False
        return self.replace(record, loaded.version)

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

    # The audit log's primitives. These defaults keep entries as records of the `AUDIT`
    # kind through the record operations above, so every backend has an audit log; a
    # backend may override them with something faster or more concurrent.

    def audit_lock(self, tenant: str) -> None:  # noqa: B027 - the write lock serialises
        """Keep other transactions from appending to *tenant*'s chain until this one ends.

        The default does nothing: backends whose writers already queue (SQLite, the JSON
        files) need nothing more. PostgreSQL takes a transaction-scoped advisory lock.
        """

    def audit_last(self, tenant: str) -> AuditEntry | None:
        """Return the last entry of *tenant*'s chain, or None if it has none."""
        records = self.select(AUDIT, tenant)
        return entry_from_record(records[-1]) if records else None

    def audit_append(self, events: Sequence[AuditEvent], at: datetime) -> None:
        """Seal *events* onto their tenants' chains, stamped *at*, in this transaction."""
        by_tenant: dict[str, list[AuditEvent]] = {}
        for event in events:
            by_tenant.setdefault(event.tenant, []).append(event)
        for tenant, group in sorted(by_tenant.items()):
            self.audit_lock(tenant)
            entries = seal(group, self.audit_last(tenant), at)
            self._insert_entries([entry_record(entry) for entry in entries])

    def _insert_entries(self, records: Sequence[Record]) -> None:
        """Store new audit entries' records (`audit_append`); by default with `insert`.

        A backend may store them more cheaply: no entry of the sequence numbers it seals
        after `audit_lock` and `audit_last` can exist already, and a failure ends the commit.
        """
        self.insert(records)

    def audit_select(self, tenant: str, conditions: Sequence[Condition] = ()) -> list[AuditEntry]:
        """Return *tenant*'s entries meeting every condition, in sequence order."""
        return [entry_from_record(r) for r in self.select(AUDIT, tenant, conditions)]

    def audit_redact(self, entries: Sequence[AuditEntry]) -> None:
        """Store redacted versions of existing entries (erasure only; see `AuditLog.redact`)."""
        for entry in entries:
            if not self.replace(entry_record(entry), None):
                msg = f"audit entry {entry.tenant}/{entry.seq} is not stored"
                raise StorageError(msg)


# -------------------------------------------------------------------------- repositories

_Runner = Callable[[Callable[[Session], Any], bool], Any]
"""Runs work against a session; the flag says whether the work writes."""

_Emitter = Callable[[Session, Sequence[AuditEvent]], None]
"""Takes the audit events of a change, to append them before the session commits."""


class _LoadedId(str):
    """An aggregate's id as a repository handed it out: it remembers the school it is in.

    The tag rides on the id itself, so it survives ``attrs.evolve``, the domain's own
    copies and changes made in place: an update of an object whose school differs from the
    one it was loaded from (a cycle re-labelled with another school's id) is refused
    instead of overwriting the other school's record of the same id and version. It
    compares, hashes, prints and serialises as the plain id; pickling and copying give the
    plain id (the tag is only for objects in this process).
    """

    kind: str
    tenant: str

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        return (str, (str(self),))


def _tag(obj: Any, kind: str, tenant: str) -> None:
    """Mark *obj* (an aggregate) as stored in *tenant* by tagging its id."""
    ident = getattr(obj, "id", None)
    if not isinstance(ident, str):  # pragma: no cover - every aggregate has a text id
        return
    if isinstance(ident, _LoadedId) and ident.kind == kind and ident.tenant == tenant:
        return
    tagged = _LoadedId(ident)
    tagged.kind = kind
    tagged.tenant = tenant
    object.__setattr__(obj, "id", tagged)  # frozen aggregates too: only the tag changes


def loaded_from(obj: Any, kind: str) -> str | None:
    """Return the school (tenant) *obj* of *kind* was loaded from or saved to, if known."""
    ident = getattr(obj, "id", None)
    if isinstance(ident, _LoadedId) and ident.kind == kind:
        return ident.tenant
    return None


def _persons(kind: Kind, record: Record) -> set[str]:
    try:
        return persons_named(jsoncodec.decode(record.document), kind=kind.name)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return set()


def _memo(session: Session) -> dict[tuple[str, str, str], Any] | None:
    """What this session's repositories remember (None for a session without a ``__dict__``).

    ``("loaded", tenant, id)``: the cycle record as loaded and a pristine copy of the cycle
    built from it, so that saving it compares with that copy instead of loading the stored
    record again when it is unchanged; ``("written", tenant, id)``: the record last written,
    so that the commit reads a cycle's shared objectives from its keys.
    """
    try:
        memo: dict[tuple[str, str, str], Any] | None = session.__dict__.setdefault(
            "_devcycle_memo", {}
        )
    except AttributeError:
        return None
    return memo


def _forget(session: Session) -> None:
    """Remember nothing in *session*: one read, after which it ends (nothing will be saved)."""
    with contextlib.suppress(AttributeError):
        session.__dict__["_devcycle_memo"] = None


_FIELDS_AUDITED = frozenset({"staff", "school", "cycle"})
"""Kinds whose update entries name the top-level fields the update changed."""


def _data_of(record: Record | None) -> dict[str, Any]:
    if record is None:
        return {}
    try:
        data = jsoncodec.decode(record.document).get("data", {})
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return {}
    return data if isinstance(data, dict) else {}


def changed_fields(
    before: Record | None, after: Record, *, pristine: Any = None, changed: Any = None
) -> tuple[str, ...]:
    """The top-level fields of *after*'s document that differ from *before*'s, by name only.

    An update's audit entry records these (never their values), so that a role given, a
    reviewer changed or a school moved to another trust shows in the log. Given the object
    as loaded (*pristine*) and as saved (*changed*), they are compared field by field
    instead of parsing both documents (a change shares most of its parts with the loaded
    object, so equality is mostly identity).
    """
    if pristine is not None and type(pristine) is type(changed) and attrs.has(type(changed)):
        return tuple(
            sorted(
                f.name
                for f in attrs.fields(type(changed))
                if f.name != "version" and getattr(pristine, f.name) != getattr(changed, f.name)
            )
        )
    old, new = _data_of(before), _data_of(after)
    return tuple(
        sorted(k for k in old.keys() | new.keys() if k != "version" and old.get(k) != new.get(k))
    )


def _policy_of(record: Record | None) -> Any:
    if record is None:
        return None
    try:
        data = jsoncodec.decode(record.document).get("data", {})
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return None
    return data.get("policy") if isinstance(data, dict) else None


class _Repository(Generic[T]):
    """Common operations on one kind, within a session (or one session per call)."""

    _kind_name: str = ""
    _scoped: bool = True  # whether calls name a school (all but the catalogue repositories)
    _checks_updates: bool = False  # whether `_check_update` compares with what is stored

    def __init__(self, run: _Runner, emit: _Emitter) -> None:
        self._run = run
        self._emit = emit
        self._kind = _BY_NAME[self._kind_name]

    def _tenant(self, tenant: object) -> str:
        if not self._scoped:
            return CATALOGUE_TENANT
        return _require_tenant(tenant, f"{self._kind.name} repository")

    def _loaded(self, record: Record, trusted: bool = False) -> T:
        obj = self._kind.load(record, trusted=trusted)
        _tag(obj, self._kind.name, record.tenant)
        return cast("T", obj)

    def _get(self, tenant: str, id: str) -> T:
        tenant = self._tenant(tenant)

        def work(session: Session) -> tuple[Record | None, Any]:
            record = session.get(self._kind, tenant, id)
            if record is None:
                return None, None
            obj = self._loaded(record, session.trusted)
            memo = _memo(session) if self._checks_updates else None
            if memo is not None:  # a pristine copy (the parts are immutable) to check saves by
                memo[("loaded", tenant, id)] = (record, copy.copy(obj))
            return record, obj

        record, obj = self._run(work, False)
        if record is None:
            where = f" in {tenant!r}" if tenant and tenant != id else ""
            raise NotFoundError(f"{self._kind.name}{where}", id)
        return cast("T", obj)

    def _get_many(self, tenant: str, ids: Sequence[str]) -> dict[str, T]:
        """Load those of *ids* that are stored, by id, as `_get` loads each (one read)."""
        tenant = self._tenant(tenant)

        def work(session: Session) -> dict[str, T]:
            records = session.get_many(self._kind, tenant, ids)
            memo = _memo(session) if self._checks_updates else None
            loaded: dict[str, T] = {}
            for ident, record in records.items():
                obj = self._loaded(record, session.trusted)
                if memo is not None:  # as `_get`: a pristine copy to check saves by
                    memo[("loaded", tenant, ident)] = (record, copy.copy(obj))
                loaded[ident] = obj
            return loaded

        return cast("dict[str, T]", self._run(work, False))

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
        pairs = [self._kind.record_and_envelope(obj, 1) for obj in objs]
        records = [record for record, _ in pairs]
        seen: set[tuple[str, str]] = set()
        for record in records:
            if self._scoped:
                self._tenant(record.tenant)
            key = (record.tenant, record.id)
            if key in seen:
                msg = f"{self._kind.name} {record.id!r} appears twice in one add"
                raise ConflictError(msg)
            seen.add(key)
        if records:
            events = [
                AuditEvent(
                    action="add",
                    tenant=r.tenant,
                    kind=self._kind.name,
                    record_id=r.id,
                    version=1,
                    persons=persons_of(obj, kind=self._kind.name),
                )
                for r, obj in zip(records, objs, strict=True)
            ]

            def work(session: Session) -> None:
                session.insert(records)
                memo = _memo(session) if self._checks_updates else None
                if memo is not None:
                    for record in records:
                        memo.pop(("loaded", record.tenant, record.id), None)
                        memo[("written", record.tenant, record.id)] = record
                self._emit(session, events)

            self._run(work, True)
        saved = [_at_version(obj, 1) for obj in objs]
        for obj, record in zip(saved, records, strict=True):
            _tag(obj, self._kind.name, record.tenant)
        return saved

    def update(self, obj: T) -> T:
        """Save a changed aggregate over the version it was loaded at; return it as stored.

        The stored version must equal ``obj.version`` (objects without a version number,
        such as frameworks, are replaced whatever was stored). A `Cycle` has its
        ``version`` advanced in place too, so that it can be updated again. An object
        loaded from one school and given another school's id is refused: an update never
        moves a record to another school. A cycle is checked against the stored one
        (`CycleRepository.update`).

        Raises:
            ConflictError: If someone saved a newer version first.
            NotFoundError: If there is nothing stored to update.
            TenancyError: If the object now names another school than it was loaded from.
        """
        return self._update(obj, guarded=True)

    def _check_update(self, stored: Record, obj: T, session: Session) -> None:
        """Refuse an update of the record *stored* with *obj* (kinds with rules override)."""

    def _update(self, obj: T, *, guarded: bool) -> T:
        """Update *obj*; *guarded* False skips `_check_update` (erasure only)."""
        versioned = isinstance(getattr(obj, "version", None), int)
        expected = cast("int", getattr(obj, "version", 0)) if versioned else None
        tenant = self._tenant(self._kind.tenant(obj))
        ident = str(getattr(obj, "id", ""))
        origin = loaded_from(obj, self._kind.name)
        if origin is not None and origin != tenant:
            msg = (
                f"{self._kind.name} {ident!r} was loaded from {origin!r} but now names "
                f"{tenant!r}: an update never moves a record to another school"
            )
            raise TenancyError(msg)
        watch_policy = self._kind.name == "school"
        audit_fields = self._kind.name in _FIELDS_AUDITED

        def work(session: Session) -> int:
            checked = guarded and self._checks_updates
            before = None
            pristine: Any = None
            unchanged_since: Record | None = None
            if checked:  # as loaded, if loaded at this version in this session
                memo = _memo(session)
                loaded = memo.get(("loaded", tenant, ident)) if memo is not None else None
                if loaded is not None and loaded[0].version == expected:
                    before, pristine = loaded
                    # Unless nothing else can have changed it (`Session.isolated`), the
                    # write checks that the stored record is still the one loaded, instead
                    # of reading it again first (issue 16: a round trip fewer on PostgreSQL).
                    unchanged_since = None if session.isolated else before
            if before is None and (watch_policy or checked or audit_fields):
                before = session.get(self._kind, tenant, ident)
            if checked and before is not None and before.version == expected:
                self._check_update(before, obj, session)
            if expected is None:  # unversioned documents: replace whatever is stored
                current = session.get(self._kind, tenant, ident)
                if current is None:
                    raise NotFoundError(self._kind.name, ident)
                new_version = current.version + 1
            else:
                new_version = expected + 1
            record = self._kind.record(obj, new_version)
            if (
                session.replace(record, expected)
                if unchanged_since is None
                else session.replace_unchanged(record, unchanged_since)
            ):
                memo = _memo(session) if self._checks_updates else None
                if memo is not None:
                    memo.pop(("loaded", tenant, ident), None)
                    memo[("written", tenant, ident)] = record
                events = [
                    AuditEvent(
                        action="update",
                        tenant=tenant,
                        kind=self._kind.name,
                        record_id=ident,
                        version=new_version,
                        persons=persons_of(obj, kind=self._kind.name),
                        fields=(
                            changed_fields(before, record, pristine=pristine, changed=obj)
                            if audit_fields
                            else ()
                        ),
                    )
                ]
                if watch_policy and _policy_of(before) != _policy_of(record):
                    events.append(
                        AuditEvent(
                            action="policy",
                            tenant=tenant,
                            kind=self._kind.name,
                            record_id=ident,
                            version=new_version,
                            detail="the school's policy changed",
                        )
                    )
                self._emit(session, events)
                return new_version
            current = session.get(self._kind, tenant, ident)
            if current is None:
                raise NotFoundError(self._kind.name, ident)
            raise ConflictError(_conflict_message(self._kind.name, ident, expected, current))

        saved = _at_version(obj, cast("int", self._run(work, True)))
        _tag(saved, self._kind.name, tenant)
        return saved

    def _delete(self, tenant: str, id: str) -> None:
        tenant = self._tenant(tenant)

        def work(session: Session) -> bool:
            current = session.get(self._kind, tenant, id)
            if current is None or not session.delete(self._kind, tenant, id):
                return False
            memo = _memo(session) if self._checks_updates else None
            if memo is not None:  # nothing remembered of it holds any more
                memo.pop(("loaded", tenant, id), None)
                memo.pop(("written", tenant, id), None)
            event = AuditEvent(
                action="delete",
                tenant=tenant,
                kind=self._kind.name,
                record_id=id,
                version=current.version,
                persons=_persons(self._kind, current),
            )
            self._emit(session, [event])
            return True

        if not self._run(work, True):
            raise NotFoundError(self._kind.name, id)

    def _select(self, tenant: str, *conditions: Condition) -> list[T]:
        tenant = self._tenant(tenant)
        records, trusted = self._run(
            lambda s: (s.select(self._kind, tenant, conditions), s.trusted), False
        )
        return [self._loaded(r, trusted) for r in records]

    def _select_all(self, *conditions: Condition) -> list[T]:
        """Select across every tenant: only for the directories of schools and trusts."""
        records, trusted = self._run(
            lambda s: (s.select(self._kind, None, conditions), s.trusted), False
        )
        return [self._loaded(r, trusted) for r in records]


def _conflict_message(kind: str, ident: str, expected: int | None, current: Record) -> str:
    """Say honestly why an update was refused, and what to do about it."""
    if expected == 0:
        how = (
            "use devcycle.sync.sync_school to save a school and its staff from another "
            "system by their ids"
            if kind in {"staff", "school"}
            else "give a new one an id not yet used in its school"
        )
        return (
            f"{kind} {ident!r} is already stored (version {current.version}), and this copy was "
            f"never loaded from the store (version 0): load the stored one and change it, or "
            f"{how}"
        )
    if current.version == expected:  # `Session.replace_unchanged`: another record now
        return (
            f"{kind} {ident!r} was deleted and stored again by someone else since version "
            f"{expected} was loaded (the stored one is another at the same version); load it "
            "again and reapply the change"
        )
    return (
        f"{kind} {ident!r} was saved by someone else since version {expected} was loaded "
        f"(it is now at version {current.version}); load it again and reapply the change"
    )


def _at_version(obj: T, version: int) -> T:
    """Return *obj* at *version*: the same object for a Cycle, else a copy.

    A cycle's fields change only through its methods; its version is the store's to keep,
    not part of its value, so the store advances it in place.
    """
    if not isinstance(getattr(obj, "version", None), int):
        return obj
    if isinstance(obj, domain.Cycle):
        object.__setattr__(obj, "version", version)
        return obj
    # the version checked and every other field kept as built (what attrs.evolve gives,
    # without validating the unchanged fields again: a bulk save of a trust's staff and CPD)
    return evolve_valid(obj, version=version)


def check_cycle_update(stored: domain.Cycle, new: domain.Cycle) -> None:
    """Refuse to save *new* over *stored* unless it only carries the stored cycle forward.

    Every backend's `CycleRepository.update` (and so every service that saves a cycle)
    checks this against what is stored, whatever was done to the object in memory:

    - a closed cycle (or one ended on leaving) is locked: it can be saved again only
      unchanged;
    - the history is append-only: the stored history must be the start of the new one;
    - a change of status is recorded: the entries added must include the move to it.

    Raises:
        DomainError: Saying which rule the save breaks and what to do instead.
    """
    where = f"cannot save cycle {new.id!r} of school {new.school_id!r}"
    if stored.is_closed and new != stored:
        closed = next(
            (e for e in reversed(stored.history) if e.to_state == stored.status.value),
            None,
        )
        when = f" on {closed.on.isoformat()} by {closed.by}" if closed is not None else ""
        how = "ended on leaving" if stored.is_ended else "closed"
        msg = (
            f"{where}: it was {how}{when} and is locked; a closed cycle cannot be "
            f"overwritten (this copy is {new.status.value} with {len(new.history)} history "
            f"entries; the stored one has {len(stored.history)}). The stored cycle is unchanged"
        )
        raise DomainError(msg)
    kept = len(stored.history)
    if new.history[:kept] != stored.history:
        index = next(
            (
                i
                for i, entry in enumerate(stored.history)
                if i >= len(new.history) or new.history[i] != entry
            ),
            kept,
        )
        entry = stored.history[index]
        msg = (
            f"{where}: its history ({len(new.history)} entries) does not extend the stored one "
            f"({kept} entries): entry {index + 1} ({entry.on.isoformat()}, {entry.by}: "
            f"{entry.action} on {entry.target}) is missing or changed. A cycle's history is "
            "append-only: load the stored cycle and change it through its methods"
        )
        raise DomainError(msg)
    if new.status is not stored.status and not any(
        e.target == "cycle" and e.to_state == new.status.value for e in new.history[kept:]
    ):
        msg = (
            f"{where}: its status moves from {stored.status.value} to {new.status.value} "
            "with no entry in its history recording the move; change a cycle's status "
            "through its methods (activate, close...)"
        )
        raise DomainError(msg)


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
            return self._select_all()
        return [s for i in sorted(set(school_ids)) for s in self._select(i)]

    def in_trust(self, trust_id: str) -> builtins.list[domain.School]:
        """Return the schools that name *trust_id* as their trust."""
        trust_id = _require_tenant(trust_id, "schools.in_trust")
        return self._select_all(Condition("trust_id", equals=trust_id))


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
        return self._select_all()


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


def _link_conditions(priority_id: str | None, standard_id: str | None) -> list[Condition]:
    """The key conditions of a `linked_to` query: the priority and/or the standard."""
    conditions = []
    if priority_id is not None:
        conditions.append(Condition("priority", is_key=True, equals=priority_id))
    if standard_id is not None:
        conditions.append(Condition("standard", is_key=True, equals=standard_id))
    if not conditions:
        msg = "linked_to needs priority_id or standard_id"
        raise ConfigError(msg)
    return conditions


class CycleRepository(_Repository[domain.Cycle]):
    """Development cycles, scoped by school."""

    _kind_name = "cycle"
    _checks_updates = True

    def update(self, cycle: domain.Cycle) -> domain.Cycle:
        """Save a changed cycle over the version it was loaded at; return it as stored.

        As for every kind (the version must match; the cycle's ``version`` advances in
        place), and checked against the stored cycle by `check_cycle_update`: a closed
        cycle cannot be overwritten, and the history saved must extend the stored one.

        Raises:
            DomainError: If the save would change a closed cycle, drop or change entries of
                the stored history, or change the status without recording the move.
                Nothing is saved.
            ConflictError: If someone saved a newer version first.
            NotFoundError: If there is nothing stored to update.
            TenancyError: If the cycle now names another school than it was loaded from.
        """
        return self._update(cycle, guarded=True)

    def _check_update(self, stored: Record, obj: domain.Cycle, session: Session) -> None:
        memo = _memo(session)
        loaded = memo.get(("loaded", stored.tenant, stored.id)) if memo is not None else None
        if loaded is not None and loaded[0].version == stored.version:
            record, copy_ = loaded
            if record is stored or record.document == stored.document:  # as it was loaded
                check_cycle_update(copy_, obj)
                return
        check_cycle_update(self._kind.load(stored, trusted=session.trusted), obj)

    def get(self, school_id: str, cycle_id: str) -> domain.Cycle:
        """Return the cycle, or raise `NotFoundError`."""
        return self._get(school_id, cycle_id)

    def get_many(self, school_id: str, cycle_ids: Iterable[str]) -> dict[str, domain.Cycle]:
        """Return those of the cycles *cycle_ids* that are stored, by id, in one read.

        For bulk work: a batch of cycles read in one round trip (one statement on the SQL
        store) instead of one `get` each. An id not stored is left out (not an error);
        each cycle is what `get` would return, and saving it is checked the same way.

        Raises:
            TypeError: If *cycle_ids* is one id (text) rather than a collection of ids.
        """
        if isinstance(cycle_ids, str):
            msg = f"get_many takes a collection of cycle ids, not one id ({cycle_ids!r}): use get"
            raise TypeError(msg)
        return self._get_many(school_id, list(cycle_ids))

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
        school_id = self._tenant(school_id)

        def work(session: Session) -> tuple[list[Record], bool]:
            members = session.select(
                staff_kind, school_id, (Condition("team", is_key=True, equals=team_id),)
            )
            if not members:
                return [], session.trusted
            ids = tuple(m.id for m in members)
            condition = Condition("staff_id", one_of=ids)
            return session.select(self._kind, school_id, (condition,)), session.trusted

        records, trusted = self._run(work, False)
        return [self._loaded(r, trusted) for r in records]

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
        return self._select(school_id, *_link_conditions(priority_id, standard_id))

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

    def of_offering(self, school_id: str, offering_id: str) -> list[domain.CPDActivity]:
        """Return the runs of the catalogue offering *offering_id*, by id."""
        return [a for a in self._select(school_id) if a.offering_id == offering_id]

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
        return self._select(school_id, *_link_conditions(priority_id, standard_id))


class CPDOfferingRepository(_Repository[domain.CPDOffering]):
    """A school's CPD catalogue: what it offers, apart from what happened (`CPDRepository`)."""

    _kind_name = "cpd_offering"

    def get(self, school_id: str, offering_id: str) -> domain.CPDOffering:
        """Return the offering, or raise `NotFoundError`."""
        return self._get(school_id, offering_id)

    def delete(self, school_id: str, offering_id: str) -> None:
        """Delete the offering, or raise `NotFoundError` (its runs keep their records)."""
        self._delete(school_id, offering_id)

    def for_school(
        self, school_id: str, *, include_retired: bool = True
    ) -> list[domain.CPDOffering]:
        """Return the school's catalogue, by id (without retired offerings if asked)."""
        if include_retired:
            return self._select(school_id)
        return self._select(school_id, Condition("retired", equals="no"))

    def linked_to(
        self, school_id: str, *, priority_id: str | None = None, standard_id: str | None = None
    ) -> list[domain.CPDOffering]:
        """Return the offerings serving the priority and/or the standard."""
        return self._select(school_id, *_link_conditions(priority_id, standard_id))


class MeetingRatingRepository(_Repository[domain.MeetingRating]):
    """Staff-voice meeting ratings, kept apart from the cycles they rate.

    Each names its rater, so it is read by the staff-voice report (which shows groups only)
    and by subject access and erasure; the access policy grants no role reading one.
    """

    _kind_name = "meeting_rating"

    def get(self, school_id: str, rating_id: str) -> domain.MeetingRating:
        """Return the rating, or raise `NotFoundError`."""
        return self._get(school_id, rating_id)

    def delete(self, school_id: str, rating_id: str) -> None:
        """Delete the rating, or raise `NotFoundError`."""
        self._delete(school_id, rating_id)

    def for_school(self, school_id: str) -> list[domain.MeetingRating]:
        """Return the school's ratings, by id."""
        return self._select(school_id)

    def for_cycle(self, school_id: str, cycle_id: str) -> list[domain.MeetingRating]:
        """Return the ratings of the meetings of one cycle."""
        return self._select(school_id, Condition("cycle_id", equals=cycle_id))

    def by_rater(self, school_id: str, rater_id: str) -> list[domain.MeetingRating]:
        """Return the ratings *rater_id* gave."""
        return self._select(school_id, Condition("rater_id", equals=rater_id))

    def in_period(self, school_id: str, start: date, end: date) -> list[domain.MeetingRating]:
        """Return the ratings given between *start* and *end* inclusive."""
        return self._select(school_id, Condition("on", low=start.isoformat(), high=end.isoformat()))


class SurveyRepository(_Repository[domain.ProcessSurvey]):
    """Whole-staff process surveys (the questions' occasions, not the answers)."""

    _kind_name = "survey"

    def get(self, school_id: str, survey_id: str) -> domain.ProcessSurvey:
        """Return the survey, or raise `NotFoundError`."""
        return self._get(school_id, survey_id)

    def delete(self, school_id: str, survey_id: str) -> None:
        """Delete the survey, or raise `NotFoundError` (its responses keep their records)."""
        self._delete(school_id, survey_id)

    def for_school(self, school_id: str) -> list[domain.ProcessSurvey]:
        """Return the school's surveys, by id."""
        return self._select(school_id)


class SurveyResponseRepository(_Repository[domain.SurveyResponse]):
    """Answers to the process survey, kept apart from the cycles; each names its respondent."""

    _kind_name = "survey_response"

    def get(self, school_id: str, response_id: str) -> domain.SurveyResponse:
        """Return the response, or raise `NotFoundError`."""
        return self._get(school_id, response_id)

    def delete(self, school_id: str, response_id: str) -> None:
        """Delete the response, or raise `NotFoundError`."""
        self._delete(school_id, response_id)

    def for_school(self, school_id: str) -> list[domain.SurveyResponse]:
        """Return the school's responses to every survey, by id."""
        return self._select(school_id)

    def for_survey(self, school_id: str, survey_id: str) -> list[domain.SurveyResponse]:
        """Return the responses to one survey."""
        return self._select(school_id, Condition("survey_id", equals=survey_id))

    def by_respondent(self, school_id: str, respondent_id: str) -> list[domain.SurveyResponse]:
        """Return the responses *respondent_id* gave."""
        return self._select(school_id, Condition("respondent_id", equals=respondent_id))


class TrainingPlanRepository(_Repository[domain.TrainingPlanEntry]):
    """A school's training plan: the training it has planned, with dates, owner and cost."""

    _kind_name = "training_plan_entry"

    def get(self, school_id: str, entry_id: str) -> domain.TrainingPlanEntry:
        """Return the entry, or raise `NotFoundError`."""
        return self._get(school_id, entry_id)

    def delete(self, school_id: str, entry_id: str) -> None:
        """Delete the entry, or raise `NotFoundError`."""
        self._delete(school_id, entry_id)

    def for_school(self, school_id: str) -> list[domain.TrainingPlanEntry]:
        """Return the school's whole plan, by id."""
        return self._select(school_id)

    def starting_between(
        self, school_id: str, start: date, end: date
    ) -> list[domain.TrainingPlanEntry]:
        """Return the entries whose first date is from *start* to *end* inclusive."""
        return self._select(
            school_id, Condition("start", low=start.isoformat(), high=end.isoformat())
        )

    def owned_by(self, school_id: str, owner_id: str) -> list[domain.TrainingPlanEntry]:
        """Return the entries *owner_id* leads."""
        return self._select(school_id, Condition("owner_id", equals=owner_id))

    def for_participant(self, school_id: str, staff_id: str) -> list[domain.TrainingPlanEntry]:
        """Return the entries naming *staff_id* among their participants."""
        return self._select(school_id, Condition("participant", is_key=True, equals=staff_id))


class DocumentRepository(_Repository[T]):
    """Shared catalogue documents of one kind (frameworks, templates), by id."""

    _scoped = False

    def __init__(self, kind_name: str, run: _Runner, emit: _Emitter) -> None:
        self._kind_name = kind_name
        super().__init__(run, emit)

    def get(self, document_id: str) -> T:
        """Return the document, or raise `NotFoundError`."""
        return self._get(CATALOGUE_TENANT, document_id)

    def delete(self, document_id: str) -> None:
        """Delete the document, or raise `NotFoundError`."""
        self._delete(CATALOGUE_TENANT, document_id)

    def list(self) -> list[T]:
        """Return every stored document of this kind, by id."""
        return self._select(CATALOGUE_TENANT)


class AuditLog:
    """A store's audit log: append events, query them, verify and export the chains.

    Every change through the repositories is appended by the store itself; use `append`
    (or `record_read`) for what only the caller knows about, such as reads of confidential
    fields. Inside a transaction (``tx.audit``) appended events are sealed when the
    transaction commits, with its changes; on the store (``store.audit``) each call
    appends at once. Every call is scoped to one school's chain, or, given
    `CATALOGUE_SCOPE` as the school, to the chain of the shared catalogue (frameworks and
    templates, which belong to no school).

    Example:
        >>> import devcycle as dc
        >>> from devcycle.storage.audit import AuditEvent
        >>> with dc.open_store("memory://") as store:
        ...     with store.transaction(by="H1", role="headteacher") as tx:
        ...         _ = tx.schools.add(dc.School(id="oak", name="Oak Primary"))
        ...         tx.commit()
        ...     store.audit.record_read(
        ...         "oak", kind="cycle", record_id="C1", fields=["private_notes"], by="H1"
        ...     )
        ...     [(e.seq, e.action, e.actor) for e in store.audit.query("oak")]
        ...     store.audit.verify("oak").ok
        [(1, 'add', 'H1'), (2, 'read', 'H1')]
        True
    """

    def __init__(self, run: _Runner, emit: _Emitter) -> None:
        self._run = run
        self._emit = emit

    def append(self, event: AuditEvent) -> None:
        """Append *event* to its school's chain (at commit, inside a transaction)."""
        tenant = _audit_tenant(event.tenant, "audit.append")
        if tenant != event.tenant:
            event = attrs.evolve(event, tenant=tenant)
        self._run(lambda s: self._emit(s, [event]), True)

    def record_read(
        self,
        school_id: str,
        *,
        kind: str,
        record_id: str,
        fields: Iterable[str],
        persons: Iterable[str] = (),
        by: str = "",
        role: str = "",
        detail: str = "",
    ) -> None:
        """Record that confidential *fields* of a record were read (by *by*, as *role*)."""
        self.append(
            AuditEvent(
                action="read",
                tenant=school_id,
                kind=kind,
                record_id=record_id,
                actor=by,
                role=role,
                persons=tuple(persons),
                fields=tuple(fields),
                detail=detail,
            )
        )

    def query(
        self,
        school_id: str,
        *,
        person: str | None = None,
        record: str | None = None,
        kind: str | None = None,
        action: str | None = None,
        start: date | None = None,
        end: date | None = None,
        records: Iterable[str] | None = None,
    ) -> builtins.list[AuditEntry]:
        """Return the school's entries naming *person*, about *record*, within a period.

        Args:
            school_id: The school whose log to read (`CATALOGUE_SCOPE` for the shared
                catalogue's).
            person: A staff id: entries where they acted or are named.
            record: A record id (a cycle's, a staff member's...).
            records: Record ids: entries about any of them (one query for many records).
            kind: A record kind (``cycle``, ``staff``...).
            action: An action (``update``, ``read``...).
            start: The first day (UTC) of the period, inclusive.
            end: The last day (UTC) of the period, inclusive.

        Returns:
            The entries in sequence order.
        """
        tenant = _audit_tenant(school_id, "audit.query")
        conditions: builtins.list[Condition] = []
        if person is not None:
            conditions.append(Condition("person", is_key=True, equals=person))
        if record is not None:
            conditions.append(Condition("record_id", equals=record))
        if records is not None:
            conditions.append(Condition("record_id", one_of=tuple(records)))
        if kind is not None:
            conditions.append(Condition("record_kind", equals=kind))
        if action is not None:
            conditions.append(Condition("action", equals=action))
        if start is not None or end is not None:
            low, high = period_bounds(start, end)
            conditions.append(Condition("at", low=low, high=high))
        return cast(
            "builtins.list[AuditEntry]",
            self._run(lambda s: s.audit_select(tenant, conditions), False),
        )

    def head(self, school_id: str) -> tuple[int, str] | None:
        """Return the (seq, hash) of the school's last entry: keep it elsewhere as an anchor."""
        tenant = _audit_tenant(school_id, "audit.head")
        last = self._run(lambda s: s.audit_last(tenant), False)
        return None if last is None else (last.seq, last.hash)

    def verify(self, school_id: str, *, anchor: tuple[int, str] | None = None) -> AuditCheck:
        """Check the school's whole chain; see `devcycle.storage.audit.verify_chain`.

        An entry that can no longer be read (its stored text altered so that it is not an
        entry) is a break in the chain like any other, named in the problems.
        """
        tenant = _audit_tenant(school_id, "audit.verify")
        records = self._run(lambda s: s.select(AUDIT, tenant), False)
        entries: builtins.list[AuditEntry] = []
        unreadable: builtins.list[str] = []
        for record in records:
            try:
                entries.append(entry_from_record(record))
            except StorageError as exc:
                seq = record.id.lstrip("0") or "0"
                unreadable.append(f"entry {seq} was changed after it was written: {exc}")
        check = verify_chain(tenant, entries, anchor=anchor)
        if unreadable:
            check = attrs.evolve(check, problems=(*unreadable, *check.problems))
        return check

    def export(self, school_id: str, **filters: Any) -> dict[str, Any]:
        """Return the school's entries (filtered as `query` filters) as one JSON document."""
        entries = self.query(school_id, **filters)
        check = verify_chain(_audit_tenant(school_id, "audit.export"), self.query(school_id))
        return {
            "audit_log": school_id,
            "verified": check.ok,
            "head": None if check.head is None else {"seq": check.head[0], "hash": check.head[1]},
            "entries": [entry.to_json() for entry in entries],
        }

    def redact(self, school_id: str, replace: Mapping[str, str], *, by: str = "") -> list[int]:
        """Replace person ids with pseudonyms in every entry naming them (for erasure).

        The chain still verifies: entries hold a salted digest of their personal parts,
        and the salt of each redacted entry is dropped. An ``erase`` entry listing the
        redacted sequence numbers is appended, in the same transaction.

        Returns:
            The sequence numbers redacted.
        """
        tenant = _audit_tenant(school_id, "audit.redact")

        def work(session: Session) -> builtins.list[int]:
            changed = []
            for entry in session.audit_select(tenant):
                redacted = redact(entry, replace)
                if _personal_parts(redacted) != _personal_parts(entry):
                    changed.append(redacted)
            session.audit_redact(changed)
            seqs = [entry.seq for entry in changed]
            event = AuditEvent(
                action="erase",
                tenant=tenant,
                actor=by,
                persons=tuple(replace.values()),
                detail=f"personal data pseudonymised in {len(seqs)} audit entries",
                redacts=tuple(seqs),
            )
            self._emit(session, [event])
            return seqs

        return cast("builtins.list[int]", self._run(work, True))


class _Repositories:
    """The repositories, bound to one way of running work against a session."""

    schools: SchoolRepository
    trusts: TrustRepository
    staff: StaffRepository
    cycles: CycleRepository
    cpd: CPDRepository
    cpd_offerings: CPDOfferingRepository
    meeting_ratings: MeetingRatingRepository
    surveys: SurveyRepository
    survey_responses: SurveyResponseRepository
    training_plan: TrainingPlanRepository
    frameworks: DocumentRepository[domain.Framework]
    templates: DocumentRepository[CycleTemplate]
    audit: AuditLog

    def _bind(self, run: _Runner, emit: _Emitter) -> None:
        self.schools = SchoolRepository(run, emit)
        self.trusts = TrustRepository(run, emit)
        self.staff = StaffRepository(run, emit)
        self.cycles = CycleRepository(run, emit)
        self.cpd = CPDRepository(run, emit)
        self.cpd_offerings = CPDOfferingRepository(run, emit)
        self.meeting_ratings = MeetingRatingRepository(run, emit)
        self.surveys = SurveyRepository(run, emit)
        self.survey_responses = SurveyResponseRepository(run, emit)
        self.training_plan = TrainingPlanRepository(run, emit)
        self.frameworks = DocumentRepository("framework", run, emit)
        self.templates = DocumentRepository("template", run, emit)
        self.audit = AuditLog(run, emit)


def _check_shared(session: Session, events: Sequence[AuditEvent]) -> None:
    """Refuse to commit copies of a shared objective that disagree (`domain.shared_conflicts`).

    Every cycle added or changed in the transaction that holds a shared objective is
    checked with every stored cycle of its school holding the same one (found by the
    ``shared`` key: a copy saved before this check existed is found once saved again).
    """
    kind = _BY_NAME["cycle"]
    touched = sorted(
        {
            (e.tenant, e.record_id)
            for e in events
            if e.kind == kind.name and e.action in ("add", "update")
        }
    )
    refs: dict[str, set[str]] = {}
    memo = _memo(session) or {}
    for tenant, ident in touched:
        written = memo.get(("written", tenant, ident))
        if written is not None and (session.isolated or session.holds_written):
            # stored as this session wrote it: no one else could change it since
            record: Record | None = written
        else:
            record = session.get(kind, tenant, ident)
        if record is None:
            held: set[str] = set()
        elif written is not None and (written is record or written.document == record.document):
            held = {value for key, value in written.keys if key == "shared"}  # as written
        else:
            cycle = kind.load(record, trusted=session.trusted)
            held = {o.shared_ref for o in cycle.objectives if o.shared_ref}
        if held:
            refs.setdefault(tenant, set()).update(held)
    problems: list[str] = []
    for tenant, wanted in sorted(refs.items()):
        condition = Condition("shared", is_key=True, one_of=tuple(sorted(wanted)))
        holders = [
            kind.load(r, trusted=session.trusted)
            for r in session.select(kind, tenant, (condition,))
        ]
        problems += domain.shared_conflicts(holders, refs=wanted)
    if problems:
        raise domain.SharedConflictError([*problems, "nothing was saved"])


def _personal_parts(entry: AuditEntry) -> tuple[object, ...]:
    return (entry.actor, entry.persons, entry.detail, entry.record_id)


def _attributed(events: Sequence[AuditEvent], by: str, role: str) -> list[AuditEvent]:
    """Fill in who acted, where the event does not say."""
    return [
        attrs.evolve(
            event, actor=event.actor or by, role=event.role or (role if not event.actor else "")
        )
        for event in events
    ]


class UnitOfWork(_Repositories, AbstractContextManager["UnitOfWork"]):
    """One transaction: every repository, and `commit`. Rolls back unless committed.

    Use it as a context manager (``with store.transaction() as tx:``). Leaving the block
    without calling `commit`, or by an exception, discards every change.

    Attributes:
        schools: Schools.
        trusts: Trusts.
        staff: Staff members.
        cycles: Development cycles.
        cpd: CPD activities (what happened).
        cpd_offerings: The CPD catalogue (what is offered).
        meeting_ratings: Staff-voice meeting ratings (apart from the cycles).
        surveys: Whole-staff process surveys.
        survey_responses: Answers to the process surveys.
        training_plan: The schools' training plans (planned training against the budget).
        frameworks: Standards frameworks (shared).
        templates: Cycle templates (shared).
        audit: The audit log (events appended here are sealed at commit).
    """

    def __init__(
        self,
        session: Session,
        *,
        clock: Callable[[], datetime] = utc_now,
        by: str = "",
        role: str = "",
        readonly: bool = False,
    ) -> None:
        self._session: Session | None = session
        self._committed = False
        self._clock = clock
        self._by = by
        self._role = role
        self._readonly = readonly
        self._events: list[AuditEvent] = []
        if readonly:  # nothing will be saved: no pristine copies to check a save by
            _forget(session)
        self._bind(self._in_session, self._collect)

    @property
    def readonly(self) -> bool:
        """Whether the transaction was opened only to read (``transaction(readonly=True)``)."""
        return self._readonly

    def _refuse_write(self) -> None:
        if self._readonly:
            msg = (
                "this transaction was opened only to read (store.transaction(readonly=True)); "
                "open one with store.transaction() to save changes"
            )
            raise StorageError(msg)

    def _collect(self, _session: Session, events: Sequence[AuditEvent]) -> None:
        self._refuse_write()
        self._events.extend(events)

    def _in_session(self, work: Callable[[Session], Any], write: bool) -> Any:
        if self._session is None:
            msg = "this transaction has ended; open a new one with store.transaction()"
            raise StorageError(msg)
        if write:
            self._refuse_write()
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
            _check_shared(session, self._events)
            if self._events:
                session.audit_append(_attributed(self._events, self._by, self._role), self._clock())
            session.commit()
            self._committed = True
        except BaseException:
            session.rollback()
            raise
        finally:
            self._events = []
            session.close()

    def rollback(self) -> None:
        """Discard every change in this transaction and end it (no-op once ended)."""
        session, self._session = self._session, None
        self._events = []
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
        clock: What the audit log is stamped with: a function returning an aware UTC
            time (replace it in tests for fixed times).
    """

    url: str = ""

    def __init__(self) -> None:
        self.clock: Callable[[], datetime] = utc_now
        self._pending: dict[int, list[AuditEvent]] = {}
        self._acting: tuple[str, str] = ("", "")
        self._bind(self._autocommit, self._collect)

    def act_as(self, by: str, role: str = "") -> None:
        """Name who the audit log's entries are by where a call does not say itself.

        For a store opened by one person for one job (a command line, a script): the
        repositories' own calls (``store.cycles.add(...)``) and transactions opened without
        *by* are then logged as *by*, acting as *role*, instead of anonymously. A server
        shared by many users passes ``by`` and ``role`` to each `transaction` (the services
        do) and leaves this unset.

        Example:
            >>> import devcycle as dc
            >>> with dc.open_store("memory://") as store:
            ...     store.act_as("H1", "headteacher")
            ...     _ = store.schools.add(dc.School(id="oak", name="Oak Primary"))
            ...     [(e.action, e.actor, e.role) for e in store.audit.query("oak")]
            [('add', 'H1', 'headteacher')]
        """
        self._acting = (by, role if by else "")

    def _collect(self, session: Session, events: Sequence[AuditEvent]) -> None:
        self._pending.setdefault(id(session), []).extend(events)

    @abc.abstractmethod
    def begin(self, *, readonly: bool = False) -> Session:
        """Open a session on a new transaction (backends implement this).

        Args:
            readonly: A promise that the session will only read, so that a backend may
                skip taking its write lock (SQLite does).
        """

    def transaction(self, *, by: str = "", role: str = "", readonly: bool = False) -> UnitOfWork:
        """Return a unit of work: a transaction that rolls back unless committed.

        Args:
            by: Who is acting (a staff id, or ``system``), for the audit log.
            role: What they act as (``headteacher``...), for the audit log.
            readonly: Open it only to read: every read in it sees the store as it was at
                one moment (one snapshot: a report's staff, cycles and CPD agree with each
                other), without the write lock on SQLite, so that writers do not wait for
                it nor it for them, and under ``REPEATABLE READ`` on PostgreSQL. Any write
                in it, an audit entry too, raises `StorageError`.

        Examples:
            >>> import devcycle as dc
            >>> store = dc.open_store("memory://")
            >>> with store.transaction() as tx:
            ...     _ = tx.schools.add(dc.School(id="oak", name="Oak Primary"))
            ...     tx.commit()
            >>> [s.id for s in store.schools.list()]
            ['oak']
        """
        if not by:
            by, role = self._acting
        session = self._begin_snapshot() if readonly else self.begin()
        return UnitOfWork(session, clock=self.clock, by=by, role=role, readonly=readonly)

    def _begin_snapshot(self) -> Session:
        """A session for a read-only transaction: every read in it of one moment.

        By default `begin` with ``readonly``; a backend whose read sessions see each
        statement at a different moment unless asked (PostgreSQL's READ COMMITTED) overrides
        it. A single call's read (``store.cycles.get``) needs no snapshot and uses `begin`.
        """
        return self.begin(readonly=True)

    def _autocommit(self, work: Callable[[Session], Any], write: bool) -> Any:
        session = self.begin(readonly=not write)
        if not write:  # a read in a transaction of its own: no save will follow in it
            _forget(session)
        try:
            result = work(session)
            events = self._pending.pop(id(session), None)
            _check_shared(session, events or ())
            if events:
                session.audit_append(_attributed(events, *self._acting), self.clock())
            session.commit()
        except BaseException:
            self._pending.pop(id(session), None)
            session.rollback()
            raise
        finally:
            session.close()
        return result

    def compact(self) -> None:
        """Give the space of deleted records back to the system (after a purge or erasure).

        Backends that keep deleted data in free space (SQLite, PostgreSQL) reclaim it;
        the others have nothing to do.
        """

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


def open_store(url: str, *, readonly: bool = False) -> Store:
    """Open the store at *url*, choosing the backend by the URL's scheme.

    Schemes: ``memory://`` (in memory, for tests and scripts); ``json:///path/dir`` (one
    JSON document per aggregate); any SQLAlchemy URL (``sqlite:///devcycle.db``, the
    default; ``postgresql+psycopg://user:pass@host/db``); and any scheme a plug-in registers
    in the ``devcycle.storage`` entry-point group. Backends load only when first asked for.

    Args:
        url: Where the store is.
        readonly: Open an existing store only to read it: nothing is created, migrated or
            locked for writing, so it works on a read-only file, folder or database
            (SQLite opens the file with ``mode=ro``; PostgreSQL sessions are read-only
            transactions; the JSON store takes a shared lock). Writing through it fails.
            Plug-in backends are opened as usual (they are given the URL only).

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
    if readonly and scheme not in _REGISTERED and (scheme in _BUILTIN or extra is not None):
        # The built-in backends take readonly; a plug-in's factory is given the URL only.
        return cast("Callable[..., Store]", factory)(url, readonly=True)
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
