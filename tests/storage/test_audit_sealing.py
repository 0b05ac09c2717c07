"""Sealing audit entries without building each twice (issue 16, seventh round).

`seal` hashes an entry from its event before building it, and `AuditEntry.to_json` writes
its fields out directly; both must give exactly what building the entry, hashing it and
copying it with its hash (`attrs.evolve`), and ``attrs.asdict``, gave: the stored text and
the chain depend on it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from devcycle.storage import audit
from devcycle.storage.audit import GENESIS, AuditEntry, AuditEvent, seal, stamp, verify_chain

_IDS = st.text(alphabet="abcT0123456789-", max_size=8)
_EVENTS = st.builds(
    AuditEvent,
    action=st.sampled_from(["add", "update", "delete", "read", "erase"]),
    tenant=st.just("oak"),
    kind=st.sampled_from(["cycle", "staff", ""]),
    record_id=_IDS,
    version=st.none() | st.integers(min_value=1, max_value=99),
    actor=_IDS,
    role=st.sampled_from(["", "headteacher", "system"]),
    persons=st.lists(_IDS, max_size=3),
    fields=st.lists(st.sampled_from(["history", "objectives", "roles"]), max_size=3),
    detail=st.text(max_size=12),
    redacts=st.lists(st.integers(min_value=1, max_value=50), max_size=3),
)
_TIMES = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC)
)


def _sealed_the_old_way(
    events: list[AuditEvent], last: AuditEntry | None, at: datetime, salts: list[str]
) -> list[AuditEntry]:
    at = at.astimezone(UTC)
    sealed: list[AuditEntry] = []
    previous = last
    for event, salt in zip(events, salts, strict=True):
        entry = AuditEntry(
            tenant=event.tenant,
            seq=1 if previous is None else previous.seq + 1,
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
            personal_digest=audit._digest(salt, audit._personal(event)),
            prev_hash=GENESIS if previous is None else previous.hash,
            hash="",
        )
        entry = attrs.evolve(entry, hash=audit._chain_hash(entry))
        sealed.append(entry)
        previous = entry
    return sealed


@given(st.lists(_EVENTS, min_size=1, max_size=4), st.lists(_EVENTS, max_size=3), _TIMES)
def test_sealing_gives_the_entries_hashed_after_building(
    first: list[AuditEvent], then: list[AuditEvent], at: datetime
) -> None:
    chain = seal(first, None, at)
    chain += seal(then, chain[-1], at + timedelta(seconds=1))

    salts = [e.salt for e in chain]
    expected = _sealed_the_old_way(first, None, at, salts[: len(first)])
    expected += _sealed_the_old_way(
        then, expected[-1], at + timedelta(seconds=1), salts[len(first) :]
    )
    assert chain == expected
    assert verify_chain("oak", chain).ok


def _as_dict(entry: AuditEntry) -> dict[str, Any]:
    data = attrs.asdict(entry, recurse=False)
    data["at"] = stamp(entry.at)
    for name in ("persons", "fields", "redacts"):
        data[name] = list(data[name])
    return data


@given(st.lists(_EVENTS, min_size=1, max_size=3), _TIMES)
def test_an_entry_is_written_as_asdict_wrote_it(events: list[AuditEvent], at: datetime) -> None:
    for entry in seal(events, None, at):
        written = entry.to_json()
        expected = _as_dict(entry)
        assert written == expected
        assert list(written) == list(expected)  # the stored text's key order
        assert json.loads(audit.entry_document(entry)) == expected
        assert list(json.loads(audit.entry_document(entry))) == list(expected)
