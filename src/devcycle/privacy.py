"""Data protection over a store: subject access, erasure by pseudonymisation, retention.

- `scan` finds every stored record of a school that mentions a person: their staff id as
  a whole word anywhere, or their name or email address in any text. It reads the raw
  stored documents (every kind, the audit log included), not the domain objects, so it
  also serves as the independent check on the other two.
- `subject_access` gathers everything that names a person (their own cycles, other
  people's cycles where they review, observe, agree or record, CPD, the school record, and
  the audit log) as JSON and as a readable `Document`. The export is logged.
- `erase` replaces the person everywhere with a random pseudonym: their id, their name,
  their email, record ids built from their id, and the audit log's mentions (which stays
  verifiable). Other people's records keep every fact about themselves, and the numbers
  reports add up stay the same.
- Retention rules are data (`RetentionRule`, loadable from TOML): `retention_plan` lists
  what is due for deletion on a date, `retention_purge` deletes it, logs it and compacts
  the store.

devcycle helps with these duties; deciding what to release, when, and on what lawful
basis stays with the school as data controller (see the explanation page on data
protection).
"""

from __future__ import annotations

import json
import secrets
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from devcycle import domain
from devcycle.access import confidential_fields
from devcycle.document import Document, Field, Note, Paragraph, Section, Table
from devcycle.errors import NotFoundError, ValidationError
from devcycle.fileio import read_text
from devcycle.serialization import load_document
from devcycle.storage import jsoncodec
from devcycle.storage.audit import AuditEntry, AuditEvent, swap_tokens, token_pattern
from devcycle.storage.base import (
    AUDIT,
    KINDS,
    Kind,
    Record,
    Store,
    TenancyError,
    entry_from_record,
    kind_named,
)

__all__ = [
    "DEFAULT_RETENTION",
    "Erasure",
    "Mention",
    "RetentionDue",
    "RetentionRule",
    "SubjectAccess",
    "erase",
    "load_retention_rules",
    "retention_plan",
    "retention_purge",
    "scan",
    "subject_access",
]

_ERASED_NAME: Final = "Erased person"
_RELATIONS: Final = {
    "staff_id": "reviewee",
    "reviewer_id": "reviewer",
    "line_manager_id": "line manager",
    "leader_id": "team leader",
    "observer_id": "observer",
    "organiser_id": "organiser",
    "owner_id": "owner",
    "owner_ids": "owner",
    "participant_ids": "participant",
    "attendee_ids": "attendee",
    "rater_id": "rated the meeting",
    "respondent_id": "answered the survey",
    "by": "recorded or agreed",
    "added_by": "added",
}
_VOICE: Final = {"meeting_rating": "rater_id", "survey_response": "respondent_id"}
"""Staff-voice kinds, and the column naming whose record each is (the only person shown it)."""


# ------------------------------------------------------------------------------ scan


@attrs.frozen
class Mention:
    """A stored record that mentions a person, and where in it.

    Attributes:
        kind: The record's kind (``cycle``, ``staff``, ``audit``...).
        id: The record's id (an audit entry's zero-padded sequence number).
        paths: Where in the document the person is mentioned (``$.data.reviewer_id``...).
    """

    kind: str
    id: str
    paths: tuple[str, ...]


@attrs.frozen
class _Person:
    id: str
    texts: tuple[str, ...]  # name, email: matched case-insensitively anywhere in text

    def mentioned_in(self, value: str) -> bool:
        if self.id in value and token_pattern(self.id).search(value):
            return True
        folded = value.casefold()
        return any(text.casefold() in folded for text in self.texts)


def _person(store: Store, school_id: str, person_id: str, also: Iterable[str]) -> _Person:
    texts = [t for t in also if t]
    try:
        member = store.staff.get(school_id, person_id)
    except NotFoundError:
        pass
    else:
        texts.append(member.name)
        if member.email:
            texts.append(member.email)
    return _Person(person_id, tuple(dict.fromkeys(t for t in texts if len(t.strip()) > 2)))


def _paths(value: Any, person: _Person, path: str = "$") -> Iterator[str]:
    if isinstance(value, str):
        if person.mentioned_in(value):
            yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and person.mentioned_in(key):
                yield f"{path}.{key}"
            yield from _paths(item, person, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, person, f"{path}[{index}]")


def _records(store: Store, school_id: str, kinds: Sequence[Kind]) -> list[Record]:
    session = store.begin(readonly=True)
    try:
        return [r for kind in kinds for r in session.select(kind, school_id)]
    finally:
        session.rollback()
        session.close()


def _document(record: Record) -> Any:
    try:
        return jsoncodec.decode(record.document)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return record.document


def scan(
    store: Store, school_id: str, person_id: str, *, also: Iterable[str] = ()
) -> list[Mention]:
    """Return every record of the school (audit log included) that mentions the person.

    Args:
        store: The store.
        school_id: The school.
        person_id: The person's staff id.
        also: More texts that identify them (a former name, say); their current name and
            email are taken from their staff record when it is stored.
    """
    if not school_id:
        msg = "a scan needs the school it is scoped to"
        raise TenancyError(msg)
    person = _person(store, school_id, person_id, also)
    found = []
    for record in _records(store, school_id, (*KINDS, AUDIT)):
        paths = tuple(_paths(_document(record), person))
        if person.mentioned_in(record.id):
            paths = ("$id", *paths)
        if paths:
            found.append(Mention(record.kind, record.id, paths))
    return found


# -------------------------------------------------------------------- subject access


@attrs.frozen
class SubjectAccess:
    """Everything stored that names one person, gathered for a subject-access request.

    Attributes:
        school_id: The school.
        person_id: The person's staff id.
        name: Their name, if their staff record is stored.
        records: (kind, id, relations, document data) of every record naming them.
        audit: The audit log's entries naming them.
        generated: When the export was made (the store's clock, as a date).
        withheld: How many staff-voice records (meeting ratings, survey responses) name the
            person without being theirs (they are their reviewer): each is another person's
            rating, left out so that a reviewer never reads an individual rating.
    """

    school_id: str
    person_id: str
    name: str
    records: tuple[tuple[str, str, tuple[str, ...], Any], ...]
    audit: tuple[AuditEntry, ...]
    generated: date
    withheld: int = 0

    def to_json(self) -> dict[str, Any]:
        """Return the export as one JSON document."""
        return {
            "subject_access": {
                "school": self.school_id,
                "person": self.person_id,
                "name": self.name,
                "generated": self.generated.isoformat(),
            },
            "records": [
                {"kind": kind, "id": id, "relations": list(relations), "document": data}
                for kind, id, relations, data in self.records
            ],
            "audit_log": [entry.to_json() for entry in self.audit],
            "withheld_staff_voice": self.withheld,
        }

    def to_document(self) -> Document:
        """Return the export as a readable document (render it with any renderer)."""
        summary = Table(
            columns=("Kind", "Record", "How it names them"),
            rows=[(kind, id, ", ".join(relations)) for kind, id, relations, _d in self.records],
            caption="Every stored record that names the person",
        )
        sections = [Section(title="Records", id="records", blocks=(summary,))]
        for kind, id, relations, data in self.records:
            body = json.dumps(data, indent=2, ensure_ascii=False)
            sections.append(
                Section(
                    title=f"{kind} {id}",
                    blocks=(
                        Paragraph(f"Names them as: {', '.join(relations)}."),
                        Paragraph(body),
                    ),
                )
            )
        audit = Table(
            columns=("#", "When (UTC)", "Action", "Record", "Who acted", "Fields read"),
            rows=[
                (
                    str(e.seq),
                    e.at.strftime("%Y-%m-%d %H:%M:%S"),
                    e.action,
                    f"{e.kind} {e.record_id}".strip(),
                    e.actor or "-",
                    ", ".join(e.fields) or "-",
                )
                for e in self.audit
            ],
            caption="The audit log's entries naming the person",
        )
        sections.append(Section(title="Audit log", id="audit-log", blocks=(audit,)))
        if self.withheld:
            sections.append(
                Section(
                    title="Not included",
                    blocks=(
                        Paragraph(
                            f"{self.withheld} staff-voice record(s) (meeting ratings or survey "
                            "answers) name the person as the reviewer. Each is another "
                            "person's own rating, shown only in anonymous groups, so it is "
                            "not included here."
                        ),
                    ),
                )
            )
        return Document(
            title="Subject access export",
            subtitle=f"{self.name or self.person_id} ({self.person_id})",
            header=(
                Field("School", self.school_id),
                Field("Person", self.person_id),
                Field("Generated", self.generated.isoformat()),
            ),
            body=(
                Note(
                    "Holds personal data of other people too (reviewers, observers): the "
                    "school reviews it, and redacts where the law requires, before release."
                ),
                *sections,
            ),
            footer="Confidential: subject access export",
            kind="privacy:subject-access",
        )


def _relations(kind: str, paths: Iterable[str]) -> tuple[str, ...]:
    found = []
    for path in paths:
        tail = path.rsplit(".", 1)[-1].split("[", 1)[0]
        if path in ("$id", "$.data.id"):
            found.append("their own record" if kind == "staff" else "record id")
        else:
            found.append(_RELATIONS.get(tail, f"mentioned in {tail}"))
    return tuple(dict.fromkeys(found))


def subject_access(
    store: Store,
    school_id: str,
    person_id: str,
    *,
    by: str = "",
    role: str = "",
    also: Iterable[str] = (),
) -> SubjectAccess:
    """Gather everything the school's store holds that names *person_id*; log the export.

    Args:
        store: The store.
        school_id: The school.
        person_id: The person's staff id.
        by: Who asked for the export (for the audit log).
        role: What they act as.
        also: More texts that identify them (see `scan`).
    """
    also = tuple(also)
    person = _person(store, school_id, person_id, also)
    mentions = scan(store, school_id, person_id, also=also)
    session = store.begin(readonly=True)
    records = []
    audit = []
    cycles: list[domain.Cycle] = []
    withheld = 0
    try:
        for mention in mentions:
            kind = AUDIT if mention.kind == AUDIT.name else kind_named(mention.kind)
            record = session.get(kind, school_id, mention.id)
            if record is None:  # pragma: no cover - deleted between the scan and now
                continue
            if kind is AUDIT:
                audit.append(entry_from_record(record))
            elif kind.name in _VOICE and getattr(kind.load(record), _VOICE[kind.name]) != person_id:
                withheld += 1  # another person's rating of them: only ever shown in groups
            else:
                if kind.name == "cycle":
                    cycles.append(kind.load(record))
                data = _document(record)
                data = data.get("data", data) if isinstance(data, dict) else data
                records.append(
                    (mention.kind, mention.id, _relations(mention.kind, mention.paths), data)
                )
    finally:
        session.rollback()
        session.close()
    name = person.texts[0] if person.texts else ""
    events = [
        AuditEvent(
            action="read",
            tenant=school_id,
            kind="cycle",
            record_id=cycle.id,
            actor=by,
            role=role,
            persons=tuple(p for p in (cycle.staff_id, cycle.reviewer_id) if p),
            fields=fields,
            detail="subject access export",
        )
        for cycle in cycles
        for fields in (confidential_fields(cycle),)
        if fields
    ]
    events.append(
        AuditEvent(
            action="export",
            tenant=school_id,
            kind="staff",
            record_id=person_id,
            actor=by,
            role=role,
            persons=(person_id,),
            detail=f"subject access export: {len(records)} records, {len(audit)} audit entries",
        )
    )
    with store.transaction(by=by, role=role) as tx:
        for event in events:
            tx.audit.append(event)
        tx.commit()
    return SubjectAccess(
        school_id=school_id,
        person_id=person_id,
        name=name,
        records=tuple(records),
        audit=tuple(audit),
        generated=store.clock().date(),
        withheld=withheld,
    )


# ---------------------------------------------------------------------------- erasure


@attrs.frozen
class Erasure:
    """What `erase` did.

    Attributes:
        person_id: The staff id erased.
        pseudonym: What replaced it (random; not derived from the id).
        renamed: Old record id -> new record id, for records whose id held the staff id.
        changed: (kind, id) of every record rewritten.
        audit_entries: How many audit entries were pseudonymised.
        remaining: Mentions a scan still finds afterwards (empty when the erasure is whole).
    """

    person_id: str
    pseudonym: str
    renamed: Mapping[str, str]
    changed: tuple[tuple[str, str], ...]
    audit_entries: int
    remaining: tuple[Mention, ...]


def _rewrite(value: Any, person: _Person, ids: Mapping[str, str], label: str) -> Any:
    if isinstance(value, str):
        if value in ids:
            return ids[value]
        text = swap_tokens(value, ids)
        for identifying in person.texts:
            if identifying.casefold() in text.casefold():
                start = text.casefold().index(identifying.casefold())
                while start >= 0:
                    text = text[:start] + label + text[start + len(identifying) :]
                    start = text.casefold().find(identifying.casefold())
        return text
    if isinstance(value, Mapping):
        return {key: _rewrite(item, person, ids, label) for key, item in value.items()}
    if isinstance(value, list):
        return [_rewrite(item, person, ids, label) for item in value]
    return value


def erase(
    store: Store,
    school_id: str,
    person_id: str,
    *,
    by: str = "",
    role: str = "",
    also: Iterable[str] = (),
) -> Erasure:
    """Pseudonymise a person throughout the school's records and audit log.

    Their staff record stays (so that the school's figures stay whole) under a random
    pseudonym, with the name "Erased person" and no email. Every mention in other records
    (as reviewer, observer, attendee, in free text) is replaced; records whose id holds
    their staff id are renamed. The audit log's mentions are pseudonymised without
    breaking its chain, and the erasure is logged (under the pseudonym).

    Raises:
        NotFoundError: If nothing in the school names the person.
    """
    person = _person(store, school_id, person_id, also)
    mentions = [m for m in scan(store, school_id, person_id, also=also) if m.kind != AUDIT.name]
    if not mentions:
        raise NotFoundError("person", person_id, within=f"in school {school_id!r}")
    pseudonym = f"erased-{secrets.token_hex(6)}"
    ids: dict[str, str] = {person_id: pseudonym}
    for record in _records(store, school_id, KINDS):
        if record.id != person_id and person.mentioned_in(record.id):
            ids[record.id] = swap_tokens(record.id, {person_id: pseudonym})
    label = f"{_ERASED_NAME} {pseudonym}"
    changed: list[tuple[str, str]] = []
    with store.transaction(by=by, role=role) as tx:
        for record in _records(store, school_id, KINDS):
            envelope = _document(record)
            rewritten = _rewrite(envelope, person, ids, label)
            if record.kind == "staff" and record.id == person_id:
                rewritten["data"]["name"] = _ERASED_NAME
                rewritten["data"]["email"] = None
            if rewritten == envelope and record.id not in ids:
                continue
            obj = load_document(rewritten, source=f"{record.kind} {record.id}")
            repository = _repository(tx, record.kind)
            new_id = ids.get(record.id, record.id)
            if new_id != record.id:
                _delete(repository, record.kind, school_id, record.id)
                repository.add(attrs.evolve(obj, version=0))
            else:
                # Erasure rewrites names in closed cycles and in history, which no other
                # save may do: the one update that skips the cycle's store-level checks.
                repository._update(obj, guarded=False)
            changed.append((record.kind, new_id))
        tx.commit()
    redacted = store.audit.redact(school_id, ids, by=by)
    remaining = tuple(scan(store, school_id, person_id, also=person.texts))
    return Erasure(
        person_id=person_id,
        pseudonym=pseudonym,
        renamed={k: v for k, v in ids.items() if k != person_id},
        changed=tuple(changed),
        audit_entries=len(redacted),
        remaining=remaining,
    )


def _repository(tx: Any, kind: str) -> Any:
    return {
        "school": tx.schools,
        "staff": tx.staff,
        "cycle": tx.cycles,
        "cpd": tx.cpd,
        "cpd_offering": tx.cpd_offerings,
        "meeting_rating": tx.meeting_ratings,
        "survey": tx.surveys,
        "survey_response": tx.survey_responses,
        "training_plan_entry": tx.training_plan,
    }[kind]


def _delete(repository: Any, kind: str, school_id: str, id: str) -> None:
    if kind == "school":
        repository.delete(id)
    else:
        repository.delete(school_id, id)


# -------------------------------------------------------------------------- retention

_ANCHORS: Final = ("employment_end", "record_end")


@attrs.frozen
class RetentionRule:
    """How long one kind of record is kept.

    Attributes:
        kind: ``cycle`` or ``cpd``.
        after: What the period counts from: ``employment_end`` (the person's
            ``leaving_date`` while their staff record is kept, as `devcycle person leave`
            records it; for a record deleted, the day it was deleted, as the audit log
            says; failing both, the end of their last cycle; someone stored without a
            leaving date is still employed, so never due) or ``record_end`` (a cycle's
            period end, a CPD activity's end).
        years: How many whole years after that the record is kept.
        description: Why, for the plan (the school's policy or the guidance it follows).
    """

    kind: str = attrs.field(validator=attrs.validators.in_(("cycle", "cpd")))
    after: str = attrs.field(validator=attrs.validators.in_(_ANCHORS))
    years: int = attrs.field(validator=attrs.validators.ge(0))
    description: str = ""


DEFAULT_RETENTION: Final = (
    RetentionRule(
        "cycle",
        "employment_end",
        6,
        "Appraisal records: kept six years after employment ends, then deleted",
    ),
    RetentionRule("cpd", "record_end", 6, "CPD records: kept six years after the activity"),
)
"""The shipped rules: a common schools' records-management choice. Schools set their own."""


def load_retention_rules(path: str | Path) -> tuple[RetentionRule, ...]:
    """Read retention rules from a TOML file of ``[[rule]]`` tables.

    Example file::

        [[rule]]
        kind = "cycle"
        after = "employment_end"
        years = 6
        description = "Appraisal records"

    Raises:
        ValidationError: Naming the file and the rule for anything missing or wrong.
    """
    source = str(path)
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([f"not valid TOML: {exc}"], source=source) from None
    rules = data.get("rule")
    if not isinstance(rules, list) or not rules:
        raise ValidationError(["expected one or more [[rule]] tables"], source=source)
    found = []
    problems = []
    for index, raw in enumerate(rules):
        where = f"$.rule[{index}]"
        if not isinstance(raw, dict):
            problems.append(f"{where}: expected a table")
            continue
        unknown = sorted(set(raw) - {"kind", "after", "years", "description"})
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(unknown)}")
            continue
        try:
            found.append(
                RetentionRule(
                    kind=raw.get("kind"),  # type: ignore[arg-type]
                    after=raw.get("after"),  # type: ignore[arg-type]
                    years=raw.get("years"),  # type: ignore[arg-type]
                    description=str(raw.get("description", "")),
                )
            )
        except (TypeError, ValueError) as exc:
            problems.append(
                f"{where}: {exc.args[0] if exc.args else exc} (kind: cycle or cpd; after: "
                "employment_end or record_end; years: a whole number, 0 or more)"
            )
    if problems:
        raise ValidationError(problems, source=source)
    return tuple(found)


@attrs.frozen
class RetentionDue:
    """A record a rule says to delete.

    Attributes:
        kind: ``cycle`` or ``cpd``.
        id: The record's id.
        person: Whose record it is (a cycle's reviewee), if anyone's.
        anchor: The date the period counts from.
        due: The first day it may be deleted.
        rule: The rule that applies.
    """

    kind: str
    id: str
    person: str | None
    anchor: date
    due: date
    rule: RetentionRule


def _employment_ends(
    store: Store, school_id: str, cycles: Sequence[domain.Cycle]
) -> dict[str, date | None]:
    stored = {m.id: m.leaving_date for m in store.staff.for_school(school_id)}
    deleted: dict[str, date] = {}
    for entry in store.audit.query(school_id, kind="staff", action="delete"):
        deleted[entry.record_id] = entry.at.date()
    ends: dict[str, date | None] = {}
    for cycle in cycles:
        person = cycle.staff_id
        if person in stored:
            ends[person] = stored[person]  # None while they are still employed
        elif person in deleted:
            ends[person] = deleted[person]
        else:
            last = max(c.period_end for c in cycles if c.staff_id == person)
            ends[person] = last
    return ends


def retention_plan(
    store: Store,
    school_id: str,
    as_of: date,
    rules: Sequence[RetentionRule] = DEFAULT_RETENTION,
) -> list[RetentionDue]:
    """Return the school's records that *rules* say may be deleted on *as_of*.

    A record several rules cover is due when the latest of them allows.
    """
    cycles = store.cycles.for_school(school_id)
    ends = _employment_ends(store, school_id, cycles)
    due: dict[tuple[str, str], RetentionDue] = {}

    def consider(kind: str, id: str, person: str | None, anchor: date | None) -> None:
        for rule in rules:
            if rule.kind != kind:
                continue
            start = anchor if rule.after == "record_end" else ends.get(person or "")
            if rule.after == "employment_end" and person is None:
                continue
            if start is None:
                due[(kind, id)] = RetentionDue(kind, id, person, date.max, date.max, rule)
                continue
            until = start + relativedelta(years=rule.years)
            current = due.get((kind, id))
            if current is None or until > current.due:
                due[(kind, id)] = RetentionDue(kind, id, person, start, until, rule)

    for cycle in cycles:
        consider("cycle", cycle.id, cycle.staff_id, cycle.period_end)
    for activity in store.cpd.for_school(school_id):
        consider("cpd", activity.id, None, activity.end or activity.start)
    return sorted(
        (item for item in due.values() if item.due <= as_of),
        key=lambda item: (item.due, item.kind, item.id),
    )


def retention_purge(
    store: Store,
    school_id: str,
    as_of: date,
    rules: Sequence[RetentionRule] = DEFAULT_RETENTION,
    *,
    by: str = "",
    role: str = "",
) -> list[RetentionDue]:
    """Delete what `retention_plan` lists, in one transaction; log it; compact the store.

    Returns:
        What was deleted.
    """
    due = retention_plan(store, school_id, as_of, rules)
    if not due:
        return []
    with store.transaction(by=by, role=role) as tx:
        for item in due:
            repository = tx.cycles if item.kind == "cycle" else tx.cpd
            repository.delete(school_id, item.id)
        tx.audit.append(
            AuditEvent(
                action="purge",
                tenant=school_id,
                detail=f"retention: {len(due)} records past their retention period on {as_of}",
            )
        )
        tx.commit()
    store.compact()
    return due
