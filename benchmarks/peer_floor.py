"""The floor of the peer workload: the same steps with raw sqlite3, plain dicts and `json`.

What a careful programmer would write by hand for the appraisal steps of `bench_peer.py`,
with the same durability and the same logical work, and nothing of devcycle's own:

- the same tables: one row per cycle (tenant, id, version, JSON document and the query
  columns), a table of multi-valued query keys, and an audit log with one row per change,
  with devcycle's indexes on each (the audit log's by time, action, record kind and
  record, and one row per person it names, which devcycle's audit queries read; until
  7 December 2026 the floor's audit log had its primary key alone: `LIGHT_AUDIT`);
- the same durability: WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``, one commit per 500
  staff per step (or per person with ``per_person``);
- the same checks: each cycle read at its version and written only if the version still
  matches (optimistic concurrency), the state checked before each transition, every change
  appended to the cycle's history and to a hash-chained audit log (salted digest of the
  personal parts, SHA-256 chain, as devcycle's);
- the same documents: the cycle envelopes have the fields devcycle writes.

It validates nothing it did not write itself, builds no objects and has no access policy:
that is what makes it a floor.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

CLOCK: list[Callable[[], float]] = [time.perf_counter]
"""What the steps are timed by: wall-clock time, or CPU time with bench_peer.py --clock cpu."""

SCHOOL = "peer-school"
HEAD = "H0000"
BATCH = 500

_SCHEMA = """
CREATE TABLE staff (tenant TEXT, id TEXT, version INTEGER NOT NULL, document TEXT NOT NULL,
    reviewer_id TEXT, PRIMARY KEY (tenant, id));
CREATE TABLE cycles (tenant TEXT, id TEXT, version INTEGER NOT NULL, document TEXT NOT NULL,
    staff_id TEXT, reviewer_id TEXT, status TEXT, period_start TEXT, period_end TEXT,
    PRIMARY KEY (tenant, id));
CREATE INDEX ix_cycles_staff ON cycles (tenant, staff_id);
CREATE INDEX ix_cycles_reviewer ON cycles (tenant, reviewer_id);
CREATE INDEX ix_cycles_status ON cycles (tenant, status);
CREATE INDEX ix_cycles_start ON cycles (tenant, period_start);
CREATE INDEX ix_cycles_end ON cycles (tenant, period_end);
CREATE TABLE cycle_keys (tenant TEXT, key TEXT, value TEXT, id TEXT,
    PRIMARY KEY (tenant, key, value, id));
CREATE INDEX ix_cycle_keys_record ON cycle_keys (tenant, id);
CREATE TABLE audit_log (tenant TEXT, id TEXT, version INTEGER NOT NULL, document TEXT NOT NULL,
    at TEXT, action TEXT, record_kind TEXT, record_id TEXT, PRIMARY KEY (tenant, id));
"""

_AUDIT_INDEXES = """
CREATE INDEX ix_audit_log_at ON audit_log (tenant, at);
CREATE INDEX ix_audit_log_record_kind ON audit_log (tenant, record_kind);
CREATE INDEX ix_audit_log_action ON audit_log (tenant, action);
CREATE INDEX ix_audit_log_record_id ON audit_log (tenant, record_id);
CREATE TABLE audit_log_keys (tenant TEXT, key TEXT, value TEXT, id TEXT,
    PRIMARY KEY (tenant, key, value, id));
CREATE INDEX ix_audit_log_keys_record ON audit_log_keys (tenant, id);
"""
"""The audit log's indexes as devcycle has them: by time, action, record kind and record, and
a row per person named, so that the entries naming a person (a subject access request, an
erasure) are found without reading the whole log."""

LIGHT_AUDIT: list[bool] = [False]
"""True: the audit log without `_AUDIT_INDEXES`, as the floor was until 7 December 2026
(``bench_peer.py --light-floor``), to compare figures with earlier rounds."""


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def chain_rows(
    tenant: str, entries: list[tuple[str, str, str, int, list[str]]], last: tuple[int, str]
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str, str, str]], tuple[int, str]]:
    """The audit rows and person rows for (action, kind, record id, version, persons) entries.

    Each entry continues *last* (the school's last sequence number and hash), as devcycle's
    chain does: a salted digest of the personal parts and a SHA-256 hash over the entry and
    the previous hash. Returns the rows (tenant, id, version, document, at, action, kind,
    record id), the person rows (tenant, "person", person, entry id) and the new last.
    """
    seq, prev = last
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    rows, keys = [], []
    for action, kind, record_id, version, persons in entries:
        seq += 1
        salt = secrets.token_hex(16)
        personal = {"actor": "system", "persons": persons, "detail": "", "record_id": record_id}
        digest = hashlib.sha256(salt.encode() + _canonical(personal)).hexdigest()
        material = {
            "tenant": tenant,
            "seq": seq,
            "at": at,
            "action": action,
            "kind": kind,
            "version": version,
            "role": "system",
            "fields": [],
            "redacts": [],
            "personal_digest": digest,
            "prev_hash": prev,
        }
        entry_hash = hashlib.sha256(_canonical(material)).hexdigest()
        document = {
            **material,
            "record_id": record_id,
            "actor": "system",
            "persons": persons,
            "detail": "",
            "salt": salt,
            "hash": entry_hash,
        }
        entry_id = f"{seq:012d}"
        rows.append((tenant, entry_id, 1, json.dumps(document), at, action, kind, record_id))
        keys += [(tenant, "person", person, entry_id) for person in persons]
        prev = entry_hash
    return rows, keys, (seq, prev)


class Floor:
    """One SQLite file, opened as devcycle opens it."""

    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, timeout=60)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA secure_delete=ON")
        self.db.executescript(_SCHEMA)
        self.light = LIGHT_AUDIT[0]
        if not self.light:
            self.db.executescript(_AUDIT_INDEXES)
        self.last: tuple[int, str] | None = None

    def close(self) -> None:
        self.db.close()

    # The audit chain.
    def _audit(self, entries: list[tuple[str, str, int, list[str]]]) -> None:
        """Append (action, record id, version, persons) entries to the school's chain."""
        if self.last is None:
            row = self.db.execute(
                "SELECT document FROM audit_log WHERE tenant = ? ORDER BY id DESC LIMIT 1",
                (SCHOOL,),
            ).fetchone()
            self.last = (0, "0" * 64) if row is None else _seq_hash(json.loads(row[0]))
        chained = [(action, "cycle", i, version, who) for action, i, version, who in entries]
        rows, keys, self.last = chain_rows(SCHOOL, chained, self.last)
        self.db.executemany("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        if not self.light:
            self.db.executemany("INSERT INTO audit_log_keys VALUES (?, ?, ?, ?)", keys)

    def _begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.last = None

    # Setting up (not timed).
    def setup(self, n: int) -> list[str]:
        ids = [f"T{i:05d}" for i in range(n)]
        head = json.dumps({"id": HEAD, "roles": ["headteacher"]})
        staff: list[tuple[str, str, int, str, str | None]] = [(SCHOOL, HEAD, 1, head, None)]
        staff += [
            (SCHOOL, i, 1, json.dumps({"id": i, "roles": ["teacher"], "reviewer_id": HEAD}), HEAD)
            for i in ids
        ]
        self._begin()
        self.db.executemany("INSERT INTO staff VALUES (?, ?, ?, ?, ?)", staff)
        self.db.execute("COMMIT")
        return ids

    # The timed steps.
    def enrol(self, milestones: list[dict[str, Any]]) -> list[str]:
        self._begin()
        staff = [
            json.loads(r[0])
            for r in self.db.execute("SELECT document FROM staff WHERE tenant = ?", (SCHOOL,))
        ]
        existing = {
            r[0]
            for r in self.db.execute(
                "SELECT staff_id FROM cycles WHERE tenant = ? AND period_start = ?",
                (SCHOOL, "2026-09-01"),
            )
        }
        rows, keys, audit, ids = [], [], [], []
        for member in staff:
            if "teacher" not in member["roles"] or member["id"] in existing:
                continue
            cycle_id = f"2026-{member['id']}-england-teacher"
            data = {
                "id": cycle_id,
                "school_id": SCHOOL,
                "staff_id": member["id"],
                "period_start": "2026-09-01",
                "period_end": "2027-08-31",
                "reviewer_id": member["reviewer_id"],
                "template_id": "england-teacher",
                "status": "draft",
                "pay_recommendations": False,
                "observation_hours_cap": None,
                "grace_days": 90,
                "milestones": [dict(m) for m in milestones],
                "objectives": [],
                "reviews": [],
                "evidence": [],
                "observations": [],
                "history": [
                    _entry(
                        "2026-09-01",
                        "system",
                        "set_milestones",
                        "cycle",
                        None,
                        None,
                        f"{len(milestones)} milestones",
                    )
                ],
                "version": 1,
            }
            rows.append(_row(data, 1))
            keys += _keys(data)
            audit.append(("add", cycle_id, 1, sorted({member["id"], HEAD, "system"})))
            ids.append(cycle_id)
        self.db.executemany("INSERT INTO cycles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.executemany("INSERT INTO cycle_keys VALUES (?, ?, ?, ?)", keys)
        self._audit(audit)
        self.db.execute("COMMIT")
        return ids

    def change(
        self, cycle_ids: list[str], work: Callable[[dict[str, Any]], None], *, per_person: bool
    ) -> None:
        size = 1 if per_person else BATCH
        for start in range(0, len(cycle_ids), size):
            self._begin()
            audit = []
            for cycle_id in cycle_ids[start : start + size]:
                version, document = self.db.execute(
                    "SELECT version, document FROM cycles WHERE tenant = ? AND id = ?",
                    (SCHOOL, cycle_id),
                ).fetchone()
                data = json.loads(document)["data"]
                work(data)
                new = version + 1
                data["version"] = new
                row = _row(data, new)
                updated = self.db.execute(
                    "UPDATE cycles SET version = ?, document = ?, staff_id = ?, reviewer_id = ?, "
                    "status = ?, period_start = ?, period_end = ? "
                    "WHERE tenant = ? AND id = ? AND version = ?",
                    (*row[2:], SCHOOL, cycle_id, version),
                ).rowcount
                if updated != 1:
                    raise RuntimeError(f"conflict on {cycle_id}")
                self.db.execute(
                    "DELETE FROM cycle_keys WHERE tenant = ? AND id = ?", (SCHOOL, cycle_id)
                )
                self.db.executemany("INSERT INTO cycle_keys VALUES (?, ?, ?, ?)", _keys(data))
                audit.append(("update", cycle_id, new, sorted({data["staff_id"], HEAD, "system"})))
            self._audit(audit)
            self.db.execute("COMMIT")

    def report(self, as_of: date) -> dict[str, int]:
        self.db.execute("BEGIN")
        staff = {
            r[0]: json.loads(r[1])
            for r in self.db.execute("SELECT id, document FROM staff WHERE tenant = ?", (SCHOOL,))
        }
        cycles = [
            json.loads(r[0])["data"]
            for r in self.db.execute("SELECT document FROM cycles WHERE tenant = ?", (SCHOOL,))
        ]
        self.db.execute("COMMIT")
        day = as_of.isoformat()
        counts = {"red": 0, "amber": 0, "green": 0}
        for cycle in cycles:
            if cycle["staff_id"] not in staff or not cycle["period_start"] <= day:
                continue
            for objective in cycle["objectives"]:
                counts[_colour(objective, as_of)] += 1
        return counts

    def read_back(self, cycle_ids: list[str]) -> int:
        good = 0
        for cycle_id in cycle_ids:
            self.db.execute("BEGIN")
            row = self.db.execute(
                "SELECT version, document FROM cycles WHERE tenant = ? AND id = ?",
                (SCHOOL, cycle_id),
            ).fetchone()
            self.db.execute("COMMIT")
            data = json.loads(row[1])["data"]
            good += len(data["objectives"]) == 3 and len(data["reviews"]) == 1
        return good


def _seq_hash(document: dict[str, Any]) -> tuple[int, str]:
    return int(document["seq"]), str(document["hash"])


def _entry(
    on: str, by: str, action: str, target: str, old: str | None, new: str | None, detail: str = ""
) -> dict[str, Any]:
    return {
        "on": on,
        "by": by,
        "action": action,
        "target": target,
        "from_state": old,
        "to_state": new,
        "detail": detail,
    }


def _row(data: dict[str, Any], version: int) -> tuple[Any, ...]:
    document = json.dumps(
        {"kind": "cycle", "schema_version": 1, "data": data},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return (
        SCHOOL,
        data["id"],
        version,
        document,
        data["staff_id"],
        data["reviewer_id"],
        data["status"],
        data["period_start"],
        data["period_end"],
    )


def _keys(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    keys = {("milestone_due", m["due"]) for m in data["milestones"]}
    for objective in data["objectives"]:
        keys.update(("priority", p) for p in objective["priority_ids"])
        keys.update(("standard", s) for s in objective["standard_ids"])
    return [(SCHOOL, k, v, data["id"]) for k, v in sorted(keys)]


def _transition(data: dict[str, Any], by: str, on: str, action: str, old: str, new: str) -> None:
    if data["status"] != old:
        raise RuntimeError(f"cannot {action} a {data['status']} cycle")
    data["status"] = new
    data["history"].append(_entry(on, by, action, "cycle", old, new))


def objectives_step(data: dict[str, Any]) -> None:
    """Plan, propose and agree three objectives, activate, check in on each."""
    staff = data["staff_id"]
    _transition(data, HEAD, "2026-09-10", "start_planning", "draft", "planning")
    for k in range(3):
        objective_id = f"obj-{len(data['objectives']) + 1}"
        data["objectives"].append(
            {
                "id": objective_id,
                "statement": (
                    f"Raise attainment for target group {k + 1} by the March data drop, "
                    "measured by the termly assessment."
                ),
                "rationale": "",
                "kind": "individual",
                "owner_ids": [staff],
                "success_criteria": [{"text": "5 of 6 pupils at expected by March"}],
                "evidence_sources": [],
                "deadline": "2027-03-31",
                "priority_ids": [f"P{1 + k % 2}"],
                "standard_ids": [f"TS{k + 1}"],
                "support": [],
                "shared_ref": None,
                "carried_from": None,
                "status": "proposed",
                "check_ins": [],
                "returns": [],
                "agreement": None,
                "evaluation": None,
                "colleague_impact": [],
            }
        )
        data["history"].append(
            _entry(
                "2026-09-20",
                staff,
                "propose_objective",
                f"objective:{objective_id}",
                "new",
                "proposed",
            )
        )
        objective = data["objectives"][-1]
        if objective["status"] != "proposed":
            raise RuntimeError("not proposed")
        objective["status"] = "agreed"
        objective["agreement"] = {
            "on": "2026-10-08",
            "by": HEAD,
            "set_by_reviewer": False,
            "disagreement": None,
        }
        data["history"].append(
            _entry(
                "2026-10-08",
                HEAD,
                "agree_objective",
                f"objective:{objective_id}",
                "proposed",
                "agreed",
            )
        )
    if not any(o["status"] == "agreed" for o in data["objectives"]):
        raise RuntimeError("nothing agreed")
    _transition(data, HEAD, "2026-10-08", "activate", "planning", "active")
    for objective in data["objectives"]:
        objective["check_ins"].append(
            {"on": "2026-12-03", "by": staff, "note": "On track.", "percent": 40, "rag": None}
        )
        data["history"].append(
            _entry(
                "2026-12-03",
                staff,
                "record_check_in",
                f"objective:{objective['id']}",
                None,
                None,
                "On track.",
            )
        )


def review_step(data: dict[str, Any]) -> None:
    """Record a mid-year review, completing the mid-year milestone."""
    if data["status"] not in ("planning", "active", "final_review"):
        raise RuntimeError("not recording")
    milestone = next(
        m for m in data["milestones"] if m["kind"] == "mid_year" and m["completed_on"] is None
    )
    milestone["completed_on"] = "2027-02-10"
    review_id = f"rev-{len(data['reviews']) + 1}"
    data["reviews"].append(
        {
            "id": review_id,
            "kind": "mid_year",
            "on": "2027-02-10",
            "participant_ids": [data["staff_id"], HEAD],
            "milestone_id": milestone["id"],
            "notes": "Good progress on all three objectives.",
            "reviewee_reflection": "",
            "reviewer_reflection": "",
            "strengths": ["Clear routines"],
            "next_steps": ["Share practice at a staff briefing"],
            "agreed_actions": [],
            "development_needs": [],
            "conversation": {"wellbeing": "", "workload": "", "career": ""},
            "private_notes": [],
            "pay_recommendation": None,
            "minutes": 30,
        }
    )
    data["history"].append(
        _entry(
            "2027-02-10",
            HEAD,
            "record_review",
            f"review:{review_id}",
            None,
            None,
            f"mid_year; completes milestone {milestone['id']}",
        )
    )


def _colour(objective: dict[str, Any], as_of: date) -> str:
    if objective["status"] != "agreed":
        return "amber"
    if objective["deadline"] < as_of.isoformat():
        return "red"
    checks = objective["check_ins"]
    since = date.fromisoformat(checks[-1]["on"] if checks else objective["agreement"]["on"])
    weeks = (as_of - since).days / 7
    if weeks >= 12:
        return "red"
    agreed = date.fromisoformat(objective["agreement"]["on"])
    deadline = date.fromisoformat(objective["deadline"])
    expected = 100 * (as_of - agreed).days / max((deadline - agreed).days, 1)
    behind = expected - (checks[-1]["percent"] or 0 if checks else 0)
    if behind >= 35:
        return "red"
    return "amber" if weeks >= 6 or behind >= 15 else "green"


def run(
    path: str, n: int, milestones: list[dict[str, Any]], *, per_person: bool
) -> dict[str, float]:
    """Run the five steps for *n* staff on a fresh file at *path*; return seconds per step."""
    floor = Floor(path)
    times: dict[str, float] = {}
    try:
        floor.setup(n)
        start = CLOCK[0]()
        cycle_ids = floor.enrol(milestones)
        times["enrol"] = CLOCK[0]() - start
        assert len(cycle_ids) == n
        start = CLOCK[0]()
        floor.change(cycle_ids, objectives_step, per_person=per_person)
        times["objectives"] = CLOCK[0]() - start
        start = CLOCK[0]()
        floor.change(cycle_ids, review_step, per_person=per_person)
        times["review"] = CLOCK[0]() - start
        start = CLOCK[0]()
        counts = floor.report(date(2027, 2, 15))
        times["report"] = CLOCK[0]() - start
        assert sum(counts.values()) == 3 * n
        start = CLOCK[0]()
        good = floor.read_back(cycle_ids)
        times["read back"] = CLOCK[0]() - start
        assert good == n
    finally:
        floor.close()
    times["all"] = sum(times.values())
    return times
