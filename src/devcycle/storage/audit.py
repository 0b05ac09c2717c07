"""The audit log every store keeps: insert-only, timestamped by the store, hash-chained.

Cycle history is the domain's story of a cycle, dated by the school. The audit log is the
system's record: every change to every aggregate, every deletion and import, every policy
change, and (through the services) every read of a confidential field. The store appends
one `AuditEntry` per event, in the same transaction as the change it records, stamped
with the store's own clock (``store.clock``, injectable for tests).

Each school (each tenant) has its own chain, so that the log shards with the data and a
school's log can be checked on its own: entry *n* carries the hash of entry *n - 1*, and
its own hash covers everything in it. Changing or deleting any entry breaks the chain at
that point, which `verify_chain` reports. Cutting entries off the *end* leaves a shorter
chain that is still whole; record the head (`AuditLog.head`) somewhere else and pass it
to `verify_chain` as an anchor to detect that too.

The personal parts of an entry (who acted, who it names, free-text detail, record id) enter
the chain through a salted digest, not as themselves. Erasure (`devcycle.privacy`) can then
replace a person's id with a pseudonym in old entries, dropping the salt, without breaking
the chain; the erasure itself is logged, with the sequence numbers it redacted, so that a
redaction no erasure accounts for is reported as tampering.

Entries are stored as records of the `AUDIT` kind in every backend (``audit_log`` table or
directory), with query columns for the time, action and record, and one ``person`` key per
person named: queries by person, record and period run in the backend.
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
import secrets
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from types import UnionType
from typing import Any, Final

import attrs

from devcycle.errors import StorageError
from devcycle.storage import jsoncodec

__all__ = [
    "GENESIS",
    "PERSON_KEYS",
    "AuditCheck",
    "AuditEntry",
    "AuditEvent",
    "entry_columns",
    "entry_document",
    "entry_from_json",
    "period_bounds",
    "persons_named",
    "redact",
    "seal",
    "seq_id",
    "stamp",
    "swap_tokens",
    "token_pattern",
    "utc_now",
    "verify_chain",
]

GENESIS: Final = "0" * 64
"""The previous-hash of the first entry of every chain."""

PERSON_KEYS: Final = frozenset(
    {
        "added_by",
        "attendee_ids",
        "by",
        "leader_id",
        "line_manager_id",
        "observer_id",
        "organiser_id",
        "owner_id",
        "owner_ids",
        "participant_ids",
        "respondent_id",
        "rater_id",
        "reviewer_id",
        "staff_id",
    }
)
"""Document fields whose values are staff ids: what makes a record name a person."""

_SEQ_WIDTH: Final = 12


def stamp(at: datetime) -> str:
    """Return *at* as fixed-width ISO text (microseconds, UTC), which sorts as time does."""
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def utc_now() -> datetime:
    """Return the current time in UTC (the default clock of a store)."""
    return datetime.now(UTC)


def persons_named(document: Any, *, kind: str = "") -> set[str]:
    """Return the staff ids a stored document names (its envelope or its data).

    A staff record names its own person (its ``id``); every document names the people in
    its `PERSON_KEYS` fields, at any depth.
    """
    found: set[str] = set()
    data = document.get("data", document) if isinstance(document, Mapping) else document
    if kind == "staff" and isinstance(data, Mapping) and isinstance(data.get("id"), str):
        found.add(data["id"])

    _walk(data, found)
    return found


def _walk(data: Any, found: set[str]) -> None:
    """Add to *found* the people named in the plain data *data* (`persons_named`'s walk)."""
    stack = [data]
    scalars = _SCALARS
    while stack:  # iterative, with the plain JSON types tested first (this runs on every save)
        value = stack.pop()
        kind_of_value = type(value)
        if kind_of_value in scalars or value is None:
            continue
        if kind_of_value is dict or isinstance(value, Mapping):
            for key, item in value.items():
                if key in PERSON_KEYS:
                    if isinstance(item, str) and item:
                        found.add(item)
                    elif isinstance(item, list | tuple):
                        found.update(i for i in item if isinstance(i, str) and i)
                elif item is not None and type(item) not in scalars:  # only what may hold more
                    stack.append(item)
        elif kind_of_value is list or isinstance(value, list | tuple):
            stack.extend(value)


def persons_of(obj: Any, *, kind: str = "") -> set[str]:
    """Return the staff ids the document of *obj* names: `persons_named` of its envelope.

    Read from the object's fields, without its plain form (this runs on every save; issue
    16): per class, only the fields named in `PERSON_KEYS` and the fields that may hold
    records are visited, and any part of a type it does not plan for (a mapping, a union)
    is converted as `devcycle.serialization.to_dict` converts it and walked as
    `persons_named` walks. Property-tested equal to `persons_named(dump_document(obj))`.
    """
    found: set[str] = set()
    if kind == "staff" and isinstance(getattr(obj, "id", None), str):
        found.add(obj.id)
    if attrs.has(type(obj)):
        _visitor(type(obj))(obj, found)
    else:
        _walk(_unstructure(obj, type(obj)), found)
    return found


_VISITORS: dict[type, Callable[[Any, set[str]], None]] = {}
"""Each class's generated visitor (`_visitor`), made the first time a save needs it."""


def _visitor(cls: type) -> Callable[[Any, set[str]], None]:
    """The visitor of *cls* generated from its plan: `_visit` of an exact *cls*, unrolled.

    One function per class, compiled once (with those of the classes its fields hold): it
    reads each planned field by name, adds the text of a person field (anything else in
    one goes to `_add_persons`), calls the nested classes' own visitors for records of
    exactly the declared class, and leaves everything else (a subclass, a field of a type
    the plan does not cover, a class without a plan) to `_visit`, which converts and walks
    it. It finds exactly whom `_visit` finds (property-tested on every kind of record).
    """
    found = _VISITORS.get(cls)
    if found is not None:
        return found
    namespace: dict[str, Any] = {
        "_visit": _visit,
        "_add_persons": _add_persons,
        "_walk": _walk,
        "_unstructure": _unstructure,
        "_str": str,
    }
    names: dict[type, str] = {}
    pending: list[type] = []
    done: set[type] = set()
    sources: list[str] = []

    def name_of(record: type) -> str:
        if record in _VISITORS:
            name = f"_done{len(namespace)}"
            namespace[name] = _VISITORS[record]
            return name
        if record not in names:
            names[record] = f"_persons_{record.__name__}_{len(names)}"
            namespace[f"_cls{len(names)}"] = record
            pending.append(record)
        return names[record]

    name_of(cls)

    def constant(value: Any) -> str:
        name = f"_k{len(namespace)}"
        namespace[name] = value
        return name

    while pending:
        record = pending.pop()
        if record not in done:
            done.add(record)
            sources.append(_visitor_source(record, name_of, constant))
    code = compile("\n\n".join(sources), f"<persons visitors: {cls.__name__}>", "exec")
    exec(code, namespace)  # noqa: S102 - generated above from the classes' own fields
    for record, name in names.items():
        _VISITORS.setdefault(record, namespace[name])
    return _VISITORS[cls]


def _visitor_source(
    record: type, name_of: Callable[[type], str], constant: Callable[[Any], str]
) -> str:
    """The source of *record*'s visitor (see `_visitor`)."""
    name = name_of(record)
    plan = _plan(record)
    lines = [f"def {name}(o, found):"]
    if plan is None:  # pragma: no cover - no class without a plan yet
        lines.append(f"    _visit(o, {constant(record)}, found)")
        return "\n".join(lines)
    lines.append(f"    if type(o) is not {constant(record)}:")
    lines.append(f"        _visit(o, {constant(record)}, found)")
    lines.append("        return")
    for field, how, type_ in plan:
        lines.append(f"    v = o.{field}")
        if how == _PERSON:
            lines.append("    if type(v) is _str:")
            lines.append("        if v:")
            lines.append("            found.add(v)")
            lines.append("    elif v is not None:")
            lines.append(f"        _add_persons(v, {constant(type_)}, found)")
        elif how == _RECORD:
            inner, written_as = type_
            lines.append("    if v is not None:")
            lines.append(f"        if type(v) is {constant(inner)}:")
            lines.append(f"            {name_of(inner)}(v, found)")
            lines.append("        else:")
            lines.append(f"            _visit(v, {constant(inner)}, found, {constant(written_as)})")
        elif how == _RECORDS:
            lines.append("    for x in v:")
            lines.append(f"        {name_of(type_)}(x, found)")
        else:
            lines.append("    if v is not None:")
            lines.append(f"        _walk(_unstructure(v, {constant(type_)}), found)")
    return "\n".join(lines)


_PERSON, _RECORD, _RECORDS, _OTHER = range(4)
_PLANS: dict[type, tuple[tuple[str, int, Any], ...] | None] = {}
_PLAIN_TYPES: Final = frozenset({str, int, bool, float, date, type(None)})


def _plain(type_: Any) -> bool:
    """Whether values of *type_* are written as scalars (no keys, so nobody named)."""
    if type_ in _PLAIN_TYPES or type_ is Decimal:
        return True
    if isinstance(type_, type) and issubclass(type_, enum.Enum):
        return True
    if typing.get_origin(type_) in (typing.Union, UnionType):
        return all(_plain(arg) for arg in typing.get_args(type_))
    return False


def _plan(cls: type) -> tuple[tuple[str, int, Any], ...] | None:
    """Per field of *cls* that may name someone: (name, how to visit it, its type).

    For a record field the type is (its class, the type it is written as: ``X | None``).

    None for a class whose plain form is not one key per field (the caller converts it).
    """
    if cls in _PLANS:
        return _PLANS[cls]
    fields = attrs.fields(cls)
    if any(not f.init or f.alias != f.name for f in fields):  # pragma: no cover - none yet
        _PLANS[cls] = None
        return None
    hints = typing.get_type_hints(cls)
    plan: list[tuple[str, int, Any]] = []
    for f in fields:
        type_ = hints[f.name]
        args = typing.get_args(type_)
        if f.name in PERSON_KEYS:
            plan.append((f.name, _PERSON, type_))
        elif _plain(type_):
            continue
        elif isinstance(type_, type) and attrs.has(type_):
            plan.append((f.name, _RECORD, (type_, type_)))
        elif (
            typing.get_origin(type_) in (typing.Union, UnionType)
            and len(args) == 2
            and type(None) in args
            and attrs.has(inner := args[0] if args[1] is type(None) else args[1])
        ):
            plan.append((f.name, _RECORD, (inner, type_)))
        elif (
            typing.get_origin(type_) is tuple
            and len(args) == 2
            and args[1] is Ellipsis
            and isinstance(args[0], type)
            and attrs.has(args[0])
        ):
            plan.append((f.name, _RECORDS, args[0]))
        elif typing.get_origin(type_) is tuple and all(a is Ellipsis or _plain(a) for a in args):
            continue  # tuple[str, ...] and the like: a list of scalars
        elif typing.get_origin(type_) is frozenset and args and _plain(args[0]):
            continue
        else:
            plan.append((f.name, _OTHER, type_))
    _PLANS[cls] = result = tuple(plan)
    return result


def _visit(obj: Any, declared: Any, found: set[str], written_as: Any = None) -> None:
    """Add the people named in the plain form of *obj*, a *declared* record.

    *written_as*: the type its plain form is written as, if not *declared* (``X | None``).
    """
    plan = _plan(declared) if type(obj) is declared else None
    if plan is None:
        _walk(_unstructure(obj, declared if written_as is None else written_as), found)
        return
    for name, how, type_ in plan:
        value = getattr(obj, name)
        if how == _PERSON:
            if type(value) is str:
                if value:
                    found.add(value)
            elif value is not None:
                _add_persons(value, type_, found)
        elif how == _RECORD:
            if value is not None:
                _visit(value, type_[0], found, type_[1])
        elif how == _RECORDS:
            for item in value:
                _visit(item, type_, found)
        elif value is not None:
            _walk(_unstructure(value, type_), found)


def _add_persons(value: Any, type_: Any, found: set[str]) -> None:
    """Add the people a `PERSON_KEYS` field holding *value* names, as `persons_named` does."""
    if type(value) is tuple and all(type(v) is str for v in value):
        found.update(v for v in value if v)
        return
    item = _unstructure(value, type_)
    if isinstance(item, str) and item:
        found.add(item)
    elif isinstance(item, list | tuple):
        found.update(i for i in item if isinstance(i, str) and i)


def _unstructure(value: Any, type_: Any) -> Any:
    from devcycle.serialization import converter  # noqa: PLC0415 - serialization is heavier

    return converter.unstructure(value, unstructure_as=type_)


_SCALARS: Final = frozenset({str, int, bool, float})


def _sorted_ids(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(values)))


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _numbers(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


@attrs.frozen
class AuditEvent:
    """Something to record: what happened, to which record, by whom, naming whom.

    Attributes:
        action: What happened: ``add``, ``update``, ``delete``, ``import``, ``read``,
            ``policy``, ``export``, ``erase``, ``purge``, ``sync`` (an MIS sync or roster
            saved for a person: `devcycle.sync.SYNC_ACTION`), or an embedder's own verb.
        tenant: The school (or trust; ``""`` for shared catalogue documents).
        kind: The record's kind (``cycle``, ``staff``...), if the event concerns one.
        record_id: The record's id, if any.
        version: The record's version after the change, if any.
        actor: Who acted (a staff id, ``system`` for imports); ``""`` if not told.
        role: What they acted as (``headteacher``...), if told.
        persons: The staff ids the record or event names.
        fields: For reads: the confidential fields read. For updates of a school, a member
            of staff or a cycle: the top-level fields the update changed (names only, never
            values), such as ``roles``, ``reviewer_id`` or ``trust_id``.
        detail: A short free-text note.
        redacts: For erasures: the sequence numbers of the entries redacted.
    """

    action: str
    tenant: str
    kind: str = ""
    record_id: str = ""
    version: int | None = None
    actor: str = ""
    role: str = ""
    persons: tuple[str, ...] = attrs.field(default=(), converter=_sorted_ids)
    fields: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    detail: str = ""
    redacts: tuple[int, ...] = attrs.field(default=(), converter=_numbers)


@attrs.frozen
class AuditEntry:
    """One sealed entry of a school's audit log, as stored.

    Attributes:
        tenant: The school (the chain it belongs to).
        seq: Its place in the chain, from 1.
        at: When the store appended it (UTC).
        action, kind, record_id, version, actor, role, persons, fields, detail, redacts:
            As in `AuditEvent`.
        salt: Random salt of the personal digest (``""`` once the entry was redacted).
        personal_digest: SHA-256 of the salt and the personal parts (actor, persons,
            detail, record id, which may embed a staff id): the chain covers this rather
            than the personal parts themselves.
        prev_hash: The hash of the entry before (`GENESIS` for the first).
        hash: SHA-256 of everything above.
    """

    tenant: str
    seq: int
    at: datetime
    action: str
    kind: str
    record_id: str
    version: int | None
    actor: str
    role: str
    persons: tuple[str, ...]
    fields: tuple[str, ...]
    detail: str
    redacts: tuple[int, ...]
    salt: str
    personal_digest: str
    prev_hash: str
    hash: str

    @property
    def redacted(self) -> bool:
        """Whether erasure has replaced personal parts of this entry."""
        return not self.salt

    def to_json(self) -> dict[str, Any]:
        """Return the entry as plain JSON data (for exports).

        Every field, in field order (the stored text depends on it), as
        ``attrs.asdict(self, recurse=False)`` gives them, the time stamped and the tuples
        as lists; written out, as this runs for every entry appended (issue 16).
        """
        return {
            "tenant": self.tenant,
            "seq": self.seq,
            "at": stamp(self.at),
            "action": self.action,
            "kind": self.kind,
            "record_id": self.record_id,
            "version": self.version,
            "actor": self.actor,
            "role": self.role,
            "persons": list(self.persons),
            "fields": list(self.fields),
            "detail": self.detail,
            "redacts": list(self.redacts),
            "salt": self.salt,
            "personal_digest": self.personal_digest,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


_CANONICAL: Final = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))
"""The hashed form: what ``json.dumps`` with these options writes, without building the
encoder again for every call."""


def _canonical(value: Any) -> bytes:
    return _CANONICAL.encode(value).encode()


def _personal(entry: AuditEntry | AuditEvent) -> dict[str, Any]:
    return {
        "actor": entry.actor,
        "persons": list(entry.persons),
        "detail": entry.detail,
        "record_id": entry.record_id,
    }


def _digest(salt: str, personal: Mapping[str, Any]) -> str:
    return hashlib.sha256(salt.encode() + _canonical(personal)).hexdigest()


def _chain_hash(entry: AuditEntry) -> str:
    return _hash_of(entry, entry.seq, stamp(entry.at), entry.personal_digest, entry.prev_hash)


def _hash_of(
    entry: AuditEntry | AuditEvent, seq: int, at: str, personal_digest: str, prev_hash: str
) -> str:
    """The chain hash of an entry holding *entry*'s parts and these.

    `seal` hashes an entry from its event before building it, `verify_chain` the entry as
    stored.
    """
    material = {
        "tenant": entry.tenant,
        "seq": seq,
        "at": at,
        "action": entry.action,
        "kind": entry.kind,
        "version": entry.version,
        "role": entry.role,
        "fields": list(entry.fields),
        "redacts": list(entry.redacts),
        "personal_digest": personal_digest,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(_canonical(material)).hexdigest()


def seal(events: Iterable[AuditEvent], last: AuditEntry | None, at: datetime) -> list[AuditEntry]:
    """Chain *events* (all of one tenant) after *last*, stamped *at*; return the entries."""
    if at.tzinfo is None:
        msg = "the store's clock must give timezone-aware times (UTC)"
        raise StorageError(msg)
    at = at.astimezone(UTC)
    stamped = stamp(at)
    sealed: list[AuditEntry] = []
    previous = last
    for event in events:
        salt = secrets.token_hex(16)
        digest = _digest(salt, _personal(event))
        seq = 1 if previous is None else previous.seq + 1
        prev_hash = GENESIS if previous is None else previous.hash
        entry = AuditEntry(
            tenant=event.tenant,
            seq=seq,
            at=at,
            action=event.action,
            kind=event.kind,
            record_id=event.record_id,
            version=event.version,
            actor=event.actor,
            role=event.role,
            persons=event.persons,
            fields=event.fields,
            detail=event.detail,
            redacts=event.redacts,
            salt=salt,
            personal_digest=digest,
            prev_hash=prev_hash,
            hash=_hash_of(event, seq, stamped, digest, prev_hash),
        )
        sealed.append(entry)
        previous = entry
    return sealed


def redact(entry: AuditEntry, replace: Mapping[str, str]) -> AuditEntry:
    """Return *entry* with the person ids in *replace* swapped for their pseudonyms.

    The salt is dropped, so the digest (and the chain) still verify while the old ids can
    no longer be confirmed by guessing. The record id and free-text detail have each
    replaced id swapped wherever it stands as a whole word.
    """
    return attrs.evolve(
        entry,
        actor=replace.get(entry.actor, entry.actor),
        persons=tuple(sorted({replace.get(p, p) for p in entry.persons})),
        detail=swap_tokens(entry.detail, replace),
        record_id=swap_tokens(entry.record_id, replace),
        salt="",
    )


def token_pattern(value: str) -> re.Pattern[str]:
    """Return a pattern finding *value* as a whole word (not inside a longer id)."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])")


def swap_tokens(text: str, replace: Mapping[str, str]) -> str:
    """Return *text* with each key of *replace* standing as a whole word swapped."""
    for old, new in replace.items():
        if old and old in text:
            text = token_pattern(old).sub(new, text)
    return text


@attrs.frozen
class AuditCheck:
    """What `verify_chain` found.

    Attributes:
        tenant: The school checked.
        entries: How many entries were checked.
        head: The last entry's (seq, hash), to keep elsewhere as an anchor.
        problems: Every break found, each naming the entry; empty if the chain is whole.
    """

    tenant: str
    entries: int
    head: tuple[int, str] | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether the chain is whole."""
        return not self.problems


def verify_chain(
    tenant: str, entries: Sequence[AuditEntry], *, anchor: tuple[int, str] | None = None
) -> AuditCheck:
    """Check a tenant's chain: order, links, hashes, personal digests and redactions.

    Args:
        tenant: The school whose entries these are.
        entries: Every entry of the tenant, in sequence order.
        anchor: A (seq, hash) recorded earlier: that entry must still be there unchanged
            (detects entries cut off the end).
    """
    problems: list[str] = []
    redacted_by_erasure = {seq for entry in entries for seq in entry.redacts}
    previous_hash = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        where = f"entry {entry.seq}"
        if entry.tenant != tenant:
            problems.append(f"{where} belongs to {entry.tenant!r}, not {tenant!r}")
        if entry.seq != expected_seq:
            problems.append(f"{where} found where entry {expected_seq} should be (missing entry)")
        if entry.prev_hash != previous_hash:
            problems.append(f"{where} does not link to the entry before it")
        if _chain_hash(entry) != entry.hash:
            problems.append(f"{where} was changed after it was written (hash mismatch)")
        if entry.salt:
            if _digest(entry.salt, _personal(entry)) != entry.personal_digest:
                problems.append(f"{where}: who acted or whom it names was changed")
        elif entry.seq not in redacted_by_erasure:
            problems.append(f"{where} was redacted but no erasure entry accounts for it")
        previous_hash = entry.hash
        if len(problems) >= 20:
            problems.append("... (stopped after 20 problems)")
            break
    if anchor is not None:
        seq, digest = anchor
        match = next((e for e in entries if e.seq == seq), None)
        if match is None:
            problems.append(f"the anchor entry {seq} is gone (entries cut off the end?)")
        elif match.hash != digest:
            problems.append(f"the anchor entry {seq} has a different hash than recorded")
    head = (entries[-1].seq, entries[-1].hash) if entries else None
    return AuditCheck(tenant=tenant, entries=len(entries), head=head, problems=tuple(problems))


# ------------------------------------------------------------------- stored form


def seq_id(seq: int) -> str:
    """Return the record id an entry is stored under (its seq, zero-padded to sort)."""
    return str(seq).rjust(_SEQ_WIDTH, "0")


def entry_document(entry: AuditEntry) -> str:
    """Return the JSON text an entry is stored as."""
    return jsoncodec.encode(entry.to_json())


def entry_columns(entry: AuditEntry) -> dict[str, str | None]:
    """Return the query columns of a stored entry."""
    return {
        "at": stamp(entry.at),
        "action": entry.action,
        "record_kind": entry.kind,
        "record_id": entry.record_id,
    }


def entry_from_json(data: Mapping[str, Any], *, source: str = "audit entry") -> AuditEntry:
    """Build an entry from its JSON data; raise `StorageError` naming *source* if malformed."""
    try:
        return AuditEntry(
            tenant=str(data["tenant"]),
            seq=int(data["seq"]),
            at=datetime.fromisoformat(str(data["at"])),
            action=str(data["action"]),
            kind=str(data["kind"]),
            record_id=str(data["record_id"]),
            version=None if data["version"] is None else int(data["version"]),
            actor=str(data["actor"]),
            role=str(data["role"]),
            persons=tuple(str(p) for p in data["persons"]),
            fields=tuple(str(f) for f in data["fields"]),
            detail=str(data["detail"]),
            redacts=tuple(int(s) for s in data["redacts"]),
            salt=str(data["salt"]),
            personal_digest=str(data["personal_digest"]),
            prev_hash=str(data["prev_hash"]),
            hash=str(data["hash"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        msg = f"stored {source} is malformed ({type(exc).__name__}: {exc})"
        raise StorageError(msg) from None


def period_bounds(start: date | None, end: date | None) -> tuple[str | None, str | None]:
    """Return inclusive text bounds on the ``at`` column for a period of whole days (UTC)."""
    low = None if start is None else stamp(datetime.combine(start, time.min, UTC))
    high = None if end is None else stamp(datetime.combine(end, time.max, UTC))
    return low, high
