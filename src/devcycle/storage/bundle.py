"""Bundles: a whole school, trust or store as one JSON document, imported all or nothing.

A bundle is an envelope like every devcycle document::

    {"kind": "bundle", "schema_version": 1,
     "data": {"trusts": [...], "schools": [...], "staff": [...], "cycles": [...],
              "cpd_offerings": [...], "cpd": [...], "surveys": [...],
              "meeting_ratings": [...], "survey_responses": [...],
              "training_plan": [...], "frameworks": [...],
              "templates": [...]}}

where each list holds the aggregates' own document envelopes. Staff-voice records (meeting
ratings, survey responses) name their rater: `devcycle.Services.export` leaves them out of
every bundle but a full-access (``system``) one. A bundle exported for any other reader is
redacted and says so: ``"redacted": true`` and ``"redacted_for": ROLE`` beside ``kind``
(a full bundle has no such keys). A redacted bundle is for reading, never for restoring:
`import_bundle` and `check_bundle` refuse it, since its empty confidential fields would
overwrite the real ones. `import_bundle` checks every
record before it writes anything, reporting every problem with its path in the bundle, then
writes everything in one transaction: a bundle with one bad record stores nothing, and an
import cut short (even by SIGKILL) leaves the store as it was before.

Example:
    >>> import devcycle as dc
    >>> from devcycle.storage.bundle import export_bundle, import_bundle
    >>> with dc.open_store("memory://") as source, dc.open_store("memory://") as target:
    ...     _ = source.schools.add(dc.School(id="oak", name="Oak Primary"))
    ...     counts = import_bundle(target, export_bundle(source))
    ...     counts["schools"]
    1
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from devcycle import domain
from devcycle.errors import (
    CommitUnknownError,
    ConflictError,
    DomainError,
    NotFoundError,
    StorageError,
    ValidationError,
)
from devcycle.fileio import PRIVATE_FILE, read_text, write_atomic
from devcycle.serialization import SCHEMA_VERSION, dump_document, load_document, parse
from devcycle.storage.audit import AuditEvent
from devcycle.storage.base import Store, UnitOfWork
from devcycle.storage.references import (
    cycle_problems,
    headteachers,
    known_standards,
    plan_entry_problems,
    staff_problems,
    tag_problems,
)

__all__ = [
    "BUNDLE_KIND",
    "REDACTED_FOR_KEY",
    "REDACTED_KEY",
    "SCHOOL_SECTIONS",
    "SECTIONS",
    "check_bundle",
    "count_bundle",
    "count_stored",
    "emptied_confidential",
    "export_bundle",
    "import_bundle",
    "read_bundle",
    "refuse_redacted",
    "write_bundle",
]

BUNDLE_KIND: Final = "bundle"

REDACTED_KEY: Final = "redacted"
"""Envelope key marking a bundle exported for a reader who may not see every field."""

REDACTED_FOR_KEY: Final = "redacted_for"
"""Envelope key naming the role a redacted bundle was cut down for."""

SECTIONS: Final[dict[str, str]] = {
    "trusts": "trust",
    "schools": "school",
    "staff": "staff",
    "cycles": "cycle",
    "cpd_offerings": "cpd_offering",
    "cpd": "cpd",
    "surveys": "survey",
    "meeting_ratings": "meeting_rating",
    "survey_responses": "survey_response",
    "training_plan": "training_plan_entry",
    "frameworks": "framework",
    "templates": "template",
}
"""Bundle section -> the document kind its entries hold, in import order."""

SCHOOL_SECTIONS: Final = tuple(
    s for s in SECTIONS if s not in ("trusts", "schools", "frameworks", "templates")
)
"""The sections whose records belong to one school (their ``school_id``)."""

_CHUNK: Final = 500

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while records are written."""


def _documents(objects: Iterable[Any]) -> list[dict[str, Any]]:
    return [dump_document(obj) for obj in objects]


def _trust(store: Store, trust_id: str) -> tuple[list[domain.Trust], set[str]]:
    """The trust's record (none if only its schools name it) and the schools it lists."""
    try:
        trust = store.trusts.get(trust_id)
    except NotFoundError:
        if not store.schools.in_trust(trust_id):
            raise
        return [], set()
    return [trust], set(trust.school_ids)


def export_bundle(
    store: Store,
    *,
    school_ids: Sequence[str] | None = None,
    trust_id: str | None = None,
    shared: bool = True,
) -> dict[str, Any]:
    """Return a bundle of schools with their staff, cycles and CPD.

    Args:
        store: The store to read.
        school_ids: The schools to export; with neither this nor *trust_id*, every school
            and trust in the store.
        trust_id: Export this trust and every school in it (listed by the trust, or naming
            it as their trust). A trust with no record of its own (schools created with
            ``devcycle school add --trust ID`` name it) exports the schools naming it.
        shared: Whether to include the shared frameworks and templates.

    Raises:
        NotFoundError: If a school asked for is not stored, or the trust neither is stored
            nor named by a stored school.
    """
    trusts: list[domain.Trust]
    if trust_id is not None:
        trusts, listed = _trust(store, trust_id)
        ids = {s.id for s in store.schools.in_trust(trust_id)} | listed
        ids |= set(school_ids or ())
        schools = store.schools.list(sorted(ids))
    elif school_ids is not None:
        trusts = []
        schools = [store.schools.get(i) for i in sorted(set(school_ids))]
    else:
        trusts = store.trusts.list()
        schools = store.schools.list()
    data: dict[str, list[dict[str, Any]]] = {
        "trusts": _documents(trusts),
        "schools": _documents(schools),
        "staff": [],
        "cycles": [],
        "cpd_offerings": [],
        "cpd": [],
        "surveys": [],
        "meeting_ratings": [],
        "survey_responses": [],
        "training_plan": [],
        "frameworks": _documents(store.frameworks.list()) if shared else [],
        "templates": _documents(store.templates.list()) if shared else [],
    }
    for school in schools:
        data["staff"] += _documents(store.staff.for_school(school.id))
        data["cycles"] += _documents(store.cycles.for_school(school.id))
        data["cpd_offerings"] += _documents(store.cpd_offerings.for_school(school.id))
        data["cpd"] += _documents(store.cpd.for_school(school.id))
        data["surveys"] += _documents(store.surveys.for_school(school.id))
        data["meeting_ratings"] += _documents(store.meeting_ratings.for_school(school.id))
        data["survey_responses"] += _documents(store.survey_responses.for_school(school.id))
        data["training_plan"] += _documents(store.training_plan.for_school(school.id))
    return {"kind": BUNDLE_KIND, "schema_version": SCHEMA_VERSION, "data": data}


def write_bundle(bundle: Mapping[str, Any], path: str | Path) -> None:
    """Write *bundle* as JSON to *path* atomically (``-`` is not special: pass a real path)."""
    write_atomic(path, json.dumps(bundle, ensure_ascii=False, indent=1) + "\n", mode=PRIVATE_FILE)


def read_bundle(path: str | Path) -> dict[str, Any]:
    """Read a bundle file, or raise `ValidationError` naming the file."""
    source = str(path)
    data = parse(read_text(path), "json", source=source)
    if not isinstance(data, dict):
        raise ValidationError(["expected a bundle object @ $"], source=source)
    return data


def _rebase(problems: Iterable[str], prefix: str) -> list[str]:
    rebased = []
    for problem in problems:
        description, at, path = problem.rpartition(" @ $")
        rebased.append(f"{description} @ {prefix}{path}" if at else f"{problem} @ {prefix}")
    return rebased


def refuse_redacted(bundle: Mapping[str, Any], *, source: str | None = None) -> None:
    """Refuse a bundle marked redacted (exported for a reader who may not see every field).

    Its confidential fields are empty and its staff-voice records left out, so importing it
    would overwrite the real ones with nothing.

    Raises:
        ValidationError: At ``$.redacted``, naming the role it was redacted for.
    """
    redacted = bundle.get(REDACTED_KEY, False)
    if redacted is not False or REDACTED_FOR_KEY in bundle:
        audience = bundle.get(REDACTED_FOR_KEY)
        problem = (
            f"this bundle was redacted for the {audience!r} role (confidential fields emptied, "
            "staff-voice records left out) and cannot be imported: it would overwrite what it "
            "does not carry; import a full bundle, exported as the system role "
            f"(got {REDACTED_KEY} {redacted!r}) @ $.{REDACTED_KEY}"
        )
        raise ValidationError([problem], source=source)


def _envelope(bundle: Any, source: str | None) -> tuple[Mapping[str, Any], list[str]]:
    """Check the bundle's own envelope; return its data and the problems found so far."""
    if not isinstance(bundle, Mapping) or bundle.get("kind") != BUNDLE_KIND:
        found = bundle.get("kind") if isinstance(bundle, Mapping) else type(bundle).__name__
        problem = f"expected a bundle (kind 'bundle'), got {found!r} @ $.kind"
        raise ValidationError([problem], source=source)
    refuse_redacted(bundle, source=source)
    problems: list[str] = []
    version = bundle.get("schema_version")
    if (
        not isinstance(version, int)
        or isinstance(version, bool)
        or not 1 <= version <= SCHEMA_VERSION
    ):
        problems.append(
            f"expected schema_version 1 to {SCHEMA_VERSION} (got {version!r}) @ $.schema_version"
        )
    data = bundle.get("data")
    if not isinstance(data, Mapping):
        raise ValidationError([*problems, "expected data to be an object @ $.data"], source=source)
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        problems.append(f"unknown section(s) {', '.join(unknown)} @ $.data")
    return data, problems


def _load_section(entries: Any, section: str, problems: list[str]) -> list[Any]:
    kind = SECTIONS[section]
    if not isinstance(entries, list):
        problems.append(f"expected a list @ $.data.{section}")
        return []
    loaded = []
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(entries):
        where = f"$.data.{section}[{index}]"
        if isinstance(entry, Mapping) and entry.get("kind") != kind:
            problems.append(
                f"expected a {kind} document (got {entry.get('kind')!r}) @ {where}.kind"
            )
            continue
        try:
            obj = load_document(entry)
        except ValidationError as exc:
            problems.extend(_rebase(exc.problems, where))
            continue
        key = (getattr(obj, "school_id", ""), obj.id)
        if key in seen:
            problems.append(f"id {obj.id!r} appears more than once @ {where}.data.id")
        seen.add(key)
        loaded.append(obj)
    return loaded


def _check(
    bundle: Mapping[str, Any], source: str | None, store: Store | None = None
) -> dict[str, list[Any]]:
    """Load every record of *bundle*; raise one `ValidationError` listing every problem.

    Besides each record's own checks, every reference must exist (`_reference_problems`):
    a staff member's reviewer and line manager, a cycle's owner and reviewer, a training-plan
    entry's owner and participants (staff of the same school, in the bundle or in *store*),
    and every priority and standard tagged.
    """
    data, problems = _envelope(bundle, source)
    loaded = {
        section: _load_section(data.get(section, []), section, problems) for section in SECTIONS
    }
    schools = {school.id for school in loaded["schools"]}
    for section in SCHOOL_SECTIONS:
        for index, obj in enumerate(loaded[section]):
            if obj.school_id not in schools:
                problems.append(
                    f"belongs to school {obj.school_id!r}, which is not in this bundle "
                    f"@ $.data.{section}[{index}].data.school_id"
                )
    if not problems:
        problems += _reference_problems(loaded, store)
    if problems:
        raise ValidationError(problems, source=source)
    return loaded


def check_bundle(
    bundle: Mapping[str, Any], *, source: str | None = None, store: Store | None = None
) -> None:
    """Check *bundle* as `import_bundle` does before writing, and write nothing.

    Without *store*, references are checked as for an empty store (the bundle's own
    records only): a command importing into a store that does not exist yet checks first,
    so that a refused bundle creates no store.

    Raises:
        ValidationError: Listing every malformed record and missing reference, with its path.
    """
    _check(bundle, source, store)


def _reference_problems(loaded: Mapping[str, Sequence[Any]], store: Store | None) -> list[str]:
    """Report every person, priority and standard the bundle names that does not exist.

    People resolve within their own school (the bundle's staff of that school, and the
    store's when *store* is given); priorities against the bundle's school; standards
    against the shipped frameworks, the bundle's and the store's.
    """
    schools = {school.id: school for school in loaded["schools"]}
    staff: dict[str, set[str]] = {school_id: set() for school_id in schools}
    heads: dict[str, set[str]] = {school_id: set() for school_id in schools}
    members = list(loaded["staff"])
    stored_frameworks: list[domain.Framework] = []
    if store is not None:
        members += [m for school_id in schools for m in store.staff.for_school(school_id)]
        stored_frameworks = list(store.frameworks.list())
    teams_of: dict[str, dict[str, Collection[str]]] = {school_id: {} for school_id in schools}
    for member in members:
        staff[member.school_id].add(member.id)
        teams_of[member.school_id].setdefault(member.id, member.team_ids)
        heads[member.school_id] |= headteachers([member])
    standards = known_standards([*loaded["frameworks"], *stored_frameworks])
    problems: list[str] = []
    for index, member in enumerate(loaded["staff"]):
        where = f"$.data.staff[{index}].data"
        problems += staff_problems(member, staff[member.school_id], where)
    for index, cycle in enumerate(loaded["cycles"]):
        priorities = {p.id for p in schools[cycle.school_id].priorities}
        where = f"$.data.cycles[{index}].data"
        problems += cycle_problems(
            cycle,
            staff_ids=staff[cycle.school_id],
            priorities=priorities,
            standards=standards,
            where=where,
            governed=heads[cycle.school_id],
        )
    for index, entry in enumerate(loaded["training_plan"]):
        where = f"$.data.training_plan[{index}].data"
        problems += plan_entry_problems(
            entry, staff[entry.school_id], where, teams_of=teams_of[entry.school_id]
        )
    for section in ("cpd_offerings", "cpd"):
        for index, record in enumerate(loaded[section]):
            priorities = {p.id for p in schools[record.school_id].priorities}
            where = f"$.data.{section}[{index}].data"
            problems += tag_problems(record, record.school_id, priorities, standards, where)
    return problems


def count_bundle(bundle: Mapping[str, Any]) -> dict[str, int]:
    """Return how many records each section of *bundle* holds."""
    data = bundle.get("data", {})
    return {section: len(data.get(section, []) or []) for section in SECTIONS}


def count_stored(store: Store, bundle: Mapping[str, Any]) -> dict[str, int]:
    """Count, in *store*, the records of each section that *bundle* names (by id)."""
    counts = dict.fromkeys(SECTIONS, 0)
    data = bundle.get("data", {})
    school_ids = sorted({d["data"]["id"] for d in data.get("schools", [])})
    stored_schools = {s.id for s in store.schools.list(school_ids)}
    counts["schools"] = len(stored_schools)
    counts["trusts"] = len({t.id for t in store.trusts.list()} & _ids(data, "trusts"))
    counts["frameworks"] = len({f.id for f in store.frameworks.list()} & _ids(data, "frameworks"))
    counts["templates"] = len({t.id for t in store.templates.list()} & _ids(data, "templates"))
    listings: dict[str, Callable[[str], Sequence[Any]]] = {
        "staff": store.staff.for_school,
        "cycles": store.cycles.for_school,
        "cpd_offerings": store.cpd_offerings.for_school,
        "cpd": store.cpd.for_school,
        "surveys": store.surveys.for_school,
        "meeting_ratings": store.meeting_ratings.for_school,
        "survey_responses": store.survey_responses.for_school,
        "training_plan": store.training_plan.for_school,
    }
    for section, for_school in listings.items():
        wanted = {(d["data"]["school_id"], d["data"]["id"]) for d in data.get(section, [])}
        found = {(s, obj.id) for s in stored_schools for obj in for_school(s)}
        counts[section] = len(wanted & found)
    return counts


def _ids(data: Mapping[str, Any], section: str) -> set[str]:
    return {d["data"]["id"] for d in data.get(section, [])}


def _replace_or_add(tx: UnitOfWork, section: str, objects: Sequence[Any]) -> None:
    repository = getattr(tx, section)
    for obj in objects:
        key = (obj.school_id, obj.id) if hasattr(obj, "school_id") else (obj.id,)
        try:
            current = repository.get(*key)
        except NotFoundError:
            repository.add(obj)
            continue
        versioned = isinstance(getattr(obj, "version", None), int)
        repository.update(attrs.evolve(obj, version=current.version) if versioned else obj)


_CONVERSATION_PARTS: Final = ("wellbeing", "workload", "career")


def _emptied_review(stored: domain.ReviewMeeting, new: domain.ReviewMeeting) -> list[str]:
    """The confidential fields *stored* holds that *new* leaves empty, as paths under it."""
    fields = [
        f"conversation.{part}"
        for part in _CONVERSATION_PARTS
        if getattr(stored.conversation, part) and not getattr(new.conversation, part)
    ]
    if any(note not in new.private_notes for note in stored.private_notes):
        fields.append("private_notes")
    if stored.pay_recommendation is not None and new.pay_recommendation is None:
        fields.append("pay_recommendation")
    return fields


def _has_confidential(review: domain.ReviewMeeting) -> bool:
    return bool(
        any(getattr(review.conversation, part) for part in _CONVERSATION_PARTS)
        or review.private_notes
        or review.pay_recommendation is not None
    )


def emptied_confidential(stored: domain.Cycle, new: domain.Cycle, where: str = "$") -> list[str]:
    """Every confidential field of *stored* that replacing it with *new* would empty.

    A redacted export empties the confidential fields (a review's wellbeing, workload and
    career conversation, its private notes, its pay recommendation) its reader may not see,
    or leaves out the reviews; a bundle exported before redacted bundles were labelled, or
    with its label taken off, says nothing of it. Replacing a stored cycle by such a one
    would erase what the bundle never carried, so the emptying itself is the sign: each
    field the store holds and *new* leaves empty is a problem with its path. Nothing a full
    (system) export of the same cycle carries is ever one: it holds every field.

    Args:
        stored: The cycle as stored.
        new: The cycle that would replace it.
        where: The path of *new* in the bundle, for messages.
    """
    theirs = {review.id: (index, review) for index, review in enumerate(new.reviews)}
    problems = []
    for review in stored.reviews:
        found = theirs.get(review.id)
        if found is None:
            if _has_confidential(review):
                problems.append(
                    f"cycle {stored.id!r}: review {review.id!r}, which holds confidential "
                    f"fields in the store, is missing from the bundle @ {where}.reviews"
                )
            continue
        index, mine = found
        problems += [
            f"cycle {stored.id!r}: review {review.id!r} has an empty {field} where the store "
            f"holds one @ {where}.reviews[{index}].{field}"
            for field in _emptied_review(review, mine)
        ]
    return problems


def _refuse_emptying(tx: UnitOfWork, cycles: Sequence[domain.Cycle], source: str | None) -> None:
    """Refuse a replace that would empty confidential fields of stored cycles.

    The bundle is taken for a redacted one, labelled or not (see `emptied_confidential`).
    """
    problems: list[str] = []
    for index, cycle in enumerate(cycles):
        try:
            stored = tx.cycles.get(cycle.school_id, cycle.id)
        except NotFoundError:
            continue
        problems += emptied_confidential(stored, cycle, f"$.data.cycles[{index}].data")
    if problems:
        problems.append(
            "the bundle leaves empty confidential fields the store holds, as a redacted "
            "export does (labelled or not): --replace would erase what it does not carry; "
            "import a full bundle, exported as the system role @ $.data.cycles"
        )
        raise ValidationError(problems, source=source)


def _tenants(loaded: Mapping[str, Sequence[Any]]) -> set[str]:
    tenants = set()
    for section, objects in loaded.items():
        for obj in objects:
            if section in ("schools", "trusts"):
                tenants.add(obj.id)
            elif getattr(obj, "school_id", ""):
                tenants.add(obj.school_id)
    return tenants


def _unknown_outcome(
    error: Exception, loaded: Mapping[str, Sequence[Any]], source: str | None
) -> str:
    """The message for an import whose commit was sent but never acknowledged."""
    schools = ", ".join(repr(s.id) for s in loaded["schools"][:3]) or "its records"
    origin = f" of {source}" if source else ""
    return (
        f"the import{origin} may have been saved: {error}. To check, run the same import "
        "again without "
        "--replace: if it was saved, it is refused because its records already exist and "
        "nothing changes; if not, it imports them. `devcycle export --school ID` (school "
        f"{schools}) shows what the store holds."
    )


def import_bundle(
    store: Store,
    bundle: Mapping[str, Any],
    *,
    replace: bool = False,
    progress: Progress | None = None,
    source: str | None = None,
    by: str = "system",
    role: str = "system",
) -> dict[str, int]:
    """Check every record of *bundle*, then store them all in one transaction.

    Every record added or replaced is in the audit log, and each school the bundle touches
    gets an ``import`` entry saying what came in (and whether it replaced records).

    Args:
        store: Where to import.
        bundle: A bundle as `export_bundle` or `read_bundle` returns it.
        replace: Overwrite records that already exist (by id) instead of refusing. A stored
            cycle is still never rewound: one the bundle holds at an earlier point (a
            shorter history) or that is closed in the store and differs is refused, as
            `devcycle.storage.base.CycleRepository.update` refuses it. Restore such a backup
            into an empty store. Nor are its confidential fields erased: a bundle that
            leaves empty a review's conversation, private notes or pay recommendation the
            store holds (as a redacted export does, labelled or not) is refused
            (`emptied_confidential`).
        progress: Called as ``progress(done, total)`` while writing.
        source: Where the bundle came from, for messages.
        by: Who imports, for the audit log.
        role: What they act as, for the audit log.

    Returns:
        How many records of each section were imported.

    Raises:
        ValidationError: If any record is malformed, or names a person, priority or
            standard that does not exist (a reviewer who is not on the staff of the same
            school, say), or (with *replace*) would empty confidential fields the store
            holds; nothing is stored then.
        ConflictError: If a record already exists and *replace* is false; nothing is stored.
        DomainError: If *replace* would overwrite a closed cycle or rewind a cycle's
            history; nothing is stored.
        CommitUnknownError: If the connection was lost after the commit was sent: the
            import may have been saved; the message says how to check.
        StorageError: If the store fails otherwise; nothing is stored.
    """
    loaded = _check(bundle, source, store)
    total = sum(len(objects) for objects in loaded.values())
    done = 0
    if progress is not None:
        progress(0, total)
    with store.transaction(by=by, role=role) as tx:
        if replace:
            _refuse_emptying(tx, loaded["cycles"], source)
        for section, objects in loaded.items():
            for start in range(0, len(objects), _CHUNK):
                chunk = objects[start : start + _CHUNK]
                if replace:
                    try:
                        _replace_or_add(tx, section, chunk)
                    except DomainError as exc:
                        msg = f"{exc}; nothing was imported"
                        raise DomainError(msg) from None
                else:
                    try:
                        getattr(tx, section).add_all(chunk)
                    except ConflictError as exc:
                        msg = f"{exc}; nothing was imported"
                        raise ConflictError(msg) from None
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        counts = ", ".join(f"{len(o)} {section}" for section, o in loaded.items() if o)
        for tenant in sorted(_tenants(loaded)):
            tx.audit.append(
                AuditEvent(
                    action="import",
                    tenant=tenant,
                    detail=f"import{' --replace' if replace else ''} from {source or 'a bundle'}"
                    f": {counts}",
                )
            )
        try:
            tx.commit()
        except CommitUnknownError as exc:
            raise CommitUnknownError(_unknown_outcome(exc, loaded, source)) from None
        except StorageError as exc:
            msg = f"the import was not stored: {exc}"
            raise StorageError(msg) from None
    return {section: len(objects) for section, objects in loaded.items()}
