"""Workload 2 (storage): a generated trust through the SQL backend against the raw driver.

A trust of N schools x 120 staff (default N = 50), each with a year's cycle (milestones,
three objectives with check-ins, evidence, an observation) and CPD. For SQLite and, when
DEVCYCLE_TEST_POSTGRES_URL (or --postgres URL) is set, PostgreSQL, it times

* bulk save: every aggregate in one transaction;
* load-all: every school's staff, cycles and CPD back as domain objects;
* the common queries: per school, cycles by staff member, team, period, status, milestones
  due in a half term, cycles linked to a priority, staff in a team, CPD by staff member;

through devcycle's store and through the raw driver (sqlite3 executemany / psycopg
executemany) doing the same work with the same JSON documents and the same tables and
indexes, in the same run. Two baselines are printed for save and load: the raw driver
including the same document conversion (devcycle.serialization, so that only storage
differs) and the raw driver alone on ready-made JSON text (bytes in, bytes out). Then the
growth of the store's save and load time from 5 to N schools.

Usage: python benchmarks/bench_storage.py [--schools 50] [--postgres URL] [--no-growth]
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy
from peer_floor import chain_rows

import devcycle as dc
from devcycle import serialization
from devcycle.storage.base import KINDS, Kind, Record
from devcycle.storage.sql import SqlStore

STAFF_PER_SCHOOL = 120
TEAMS = ("eyfs", "ks1", "ks2", "send", "support")
YEAR = 2026


def d(month: int, day: int) -> date:
    return date(YEAR if month >= 9 else YEAR + 1, month, day)


# --------------------------------------------------------------------------- the trust


def make_school(
    index: int,
) -> tuple[dc.School, list[dc.StaffMember], list[dc.Cycle], list[dc.CPDActivity]]:
    school_id = f"urn-{100000 + index}"
    school = dc.School(
        id=school_id,
        name=f"School {index}",
        trust_id="bench-trust",
        priorities=(
            dc.Priority("P1", "Reading for pleasure"),
            dc.Priority("P2", "Maths fluency"),
            dc.Priority("P3", "Behaviour and attendance"),
        ),
        teams=tuple(dc.Team(t, t.upper()) for t in TEAMS),
    )
    staff = [
        dc.StaffMember(
            id="H000",
            name="Head Teacher",
            school_id=school_id,
            roles={dc.Role.HEADTEACHER},
        )
    ]
    for n in range(1, STAFF_PER_SCHOOL):
        role = dc.Role.TEACHING_ASSISTANT if n % 4 == 0 else dc.Role.TEACHER
        staff.append(
            dc.StaffMember(
                id=f"S{n:03d}",
                name=f"Staff member {n}",
                school_id=school_id,
                roles={role},
                team_ids=(TEAMS[n % len(TEAMS)],),
                reviewer_id="H000",
                fte=1.0 if n % 3 else 0.6,
            )
        )
    cycles = [make_cycle(school_id, member.id) for member in staff[1:]]
    cpd = [
        dc.CPDActivity(
            id=f"cpd-{k}",
            school_id=school_id,
            title=f"CPD session {k}",
            kind=dc.CPDKind.COURSE if k % 2 else dc.CPDKind.COACHING,
            start=d(10, 1) + timedelta(days=9 * k),
            hours=1.5 + k % 4,
            cost=Decimal("0") if k % 3 else Decimal("120.00"),
            attendee_ids=tuple(f"S{m:03d}" for m in range(1 + k, STAFF_PER_SCHOOL, 7)),
            priority_ids=(f"P{1 + k % 3}",),
            standard_ids=(f"TS{1 + k % 8}",),
        )
        for k in range(20)
    ]
    return school, staff, cycles, cpd


def make_cycle(school_id: str, staff_id: str) -> dc.Cycle:
    cycle = dc.Cycle(
        id=f"{YEAR}-{staff_id}",
        school_id=school_id,
        staff_id=staff_id,
        reviewer_id="H000",
        period_start=d(9, 1),
        period_end=d(8, 31),
        template_id="england-teacher",
    )
    cycle.set_milestones(
        [
            dc.Milestone("plan", "Planning meeting", dc.MilestoneKind.PLANNING, d(10, 31)),
            dc.Milestone("mid", "Mid-year review", dc.MilestoneKind.MID_YEAR, d(2, 12)),
            dc.Milestone("final", "Final review", dc.MilestoneKind.FINAL, d(7, 16)),
        ],
        by="H000",
        on=d(9, 1),
    )
    cycle.start_planning(by="H000", on=d(9, 10))
    number = int(staff_id[1:])
    for k in range(3):
        objective = cycle.propose_objective(
            by=staff_id,
            on=d(9, 20),
            statement=(
                f"Raise attainment for the target group {k + 1} by the spring data drop, "
                "measured by the termly assessment and checked in two book looks."
            ),
            success_criteria=(f"At least {4 + k} of 6 pupils at expected by March",),
            priority_ids=(f"P{1 + (number + k) % 3}",),
            standard_ids=(f"TS{1 + (number + k) % 8}",),
            deadline=d(3, 31),
        )
        cycle.agree_objective(objective.id, by="H000", on=d(10, 8))
    cycle.activate(by="H000", on=d(10, 8))
    for objective in cycle.objectives:
        cycle.record_check_in(
            objective.id,
            by=staff_id,
            on=d(12, 3),
            note="On track after the first term.",
            percent=30,
        )
    cycle.add_evidence(
        by=staff_id,
        on=d(1, 15),
        description="Assessment data for the target group.",
        objective_ids=(cycle.objectives[0].id,),
    )
    cycle.record_observation(
        by="H000",
        on=d(11, 12),
        kind=dc.ObservationKind.DROP_IN,
        focus="Questioning at the start of lessons.",
        minutes=20,
    )
    return cycle


def make_trust(schools: int) -> list[tuple[Any, list[Any], list[Any], list[Any]]]:
    return [make_school(i) for i in range(schools)]


# ------------------------------------------------------------------------------ timing


def timed(function: Callable[[], Any], repeat: int = 1) -> float:
    """Best of *repeat* runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


# ---------------------------------------------------------------------- raw baselines

_KIND: dict[str, Kind] = {k.name: k for k in KINDS}


def records_of(trust: list[Any]) -> dict[str, list[Record]]:
    """The records devcycle would write: the same documents, columns and keys."""
    out: dict[str, list[Record]] = {"school": [], "staff": [], "cycle": [], "cpd": []}
    for school, staff, cycles, cpd in trust:
        out["school"].append(_KIND["school"].record(school, 1))
        out["staff"] += [_KIND["staff"].record(m, 1) for m in staff]
        out["cycle"] += [_KIND["cycle"].record(c, 1) for c in cycles]
        out["cpd"] += [_KIND["cpd"].record(a, 1) for a in cpd]
    return out


def rows_of(
    kind: Kind, records: list[Record]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    main = [
        (r.tenant, r.id, r.version, r.document, *(r.columns[c] for c in kind.columns))
        for r in records
    ]
    keys = [(r.tenant, k, v, r.id) for r in records for k, v in r.keys]
    return main, keys


def persons_by_record(trust: list[Any]) -> dict[tuple[str, str], list[str]]:
    """The staff each record names, read from the fields that name people, by kind and id.

    What devcycle's audit entry lists for these records (the person a staff record is, a
    cycle's reviewee and reviewer, a CPD activity's attendees); the raw side reads them
    from the objects it has, as a hand-written save would.
    """
    named: dict[tuple[str, str], list[str]] = {}
    for school, staff, cycles, cpd in trust:
        named["school", school.id] = []
        for member in staff:
            named["staff", member.id] = [member.id]
        for cycle in cycles:
            named["cycle", cycle.id] = sorted({cycle.staff_id, cycle.reviewer_id} - {None})
        for activity in cpd:
            named["cpd", activity.id] = sorted(set(activity.attendee_ids))
    return named


class Raw:
    """The same work through the bare DB-API driver (sqlite3 or psycopg), same tables."""

    def __init__(self, connect: Callable[[], Any], placeholder: str, *, scoped: bool) -> None:
        self.connect = connect
        self.p = placeholder
        # PostgreSQL's tables keep each school's rows apart by row-level security, which
        # reads the school from the transaction's settings: the raw driver names the
        # school before its rows, as devcycle does (one statement per school)
        self.scoped = scoped

    def school(self, cursor: Any, school_id: str) -> None:
        """Name *school_id* for the rest of the transaction, where the tables ask for it."""
        if self.scoped:
            cursor.execute("SELECT set_config('app.school_id', %s, true)", (school_id,))

    def insert_sql(self, kind: Kind) -> tuple[str, str]:
        table = f"devcycle_{kind.table}"
        columns = ["tenant", "id", "version", "document", *kind.columns]
        quoted = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join([self.p] * len(columns))
        keys = (
            f"INSERT INTO {table}_keys (tenant, key, value, id) VALUES ({', '.join([self.p] * 4)})"
        )
        return f"INSERT INTO {table} ({quoted}) VALUES ({marks})", keys

    def save(
        self,
        trust: list[Any],
        *,
        documents: dict[str, list[Record]] | None = None,
        audited: bool = False,
    ) -> None:
        """Serialize (unless *documents* are given) and insert everything in one transaction.

        *audited*: also append each record's entry to its school's hash-chained audit log,
        with a row per person it names, as devcycle's store does (`peer_floor.chain_rows`).
        """
        records = documents if documents is not None else records_of(trust)
        named = persons_by_record(trust) if audited else {}
        connection = self.connect()
        try:
            cursor = connection.cursor()
            by_school: dict[str, dict[str, list[Record]]] = {}
            for name, batch in records.items():
                for record in batch:
                    by_school.setdefault(record.tenant, {}).setdefault(name, []).append(record)
            for school_id, kinds in by_school.items():
                self.school(cursor, school_id)
                entries = []
                for name, batch in kinds.items():
                    kind = _KIND[name]
                    main, keys = rows_of(kind, batch)
                    insert_main, insert_keys = self.insert_sql(kind)
                    cursor.executemany(insert_main, main)
                    if keys:
                        cursor.executemany(insert_keys, keys)
                    if audited:
                        entries += [("add", name, r.id, 1, named[name, r.id]) for r in batch]
                if entries:  # the chain continues from the school's last entry, if any
                    cursor.execute(
                        "SELECT document FROM devcycle_audit_log WHERE tenant = "
                        f"{self.p} ORDER BY id DESC LIMIT 1",
                        (school_id,),
                    )
                    found = cursor.fetchone()
                    last = json.loads(found[0]) if found else {"seq": 0, "hash": "0" * 64}
                    rows, people, _ = chain_rows(school_id, entries, (last["seq"], last["hash"]))
                    log = "INSERT INTO devcycle_audit_log"
                    cursor.executemany(f"{log} VALUES ({', '.join([self.p] * 8)})", rows)
                    cursor.executemany(f"{log}_keys VALUES ({', '.join([self.p] * 4)})", people)
            connection.commit()
        finally:
            connection.close()

    def load_all(self, school_ids: list[str], *, convert: bool) -> int:
        """Read every school's staff, cycles and CPD, optionally building domain objects."""
        count = 0
        connection = self.connect()
        try:
            cursor = connection.cursor()
            for school_id in school_ids:
                self.school(cursor, school_id)
                for table in ("staff", "cycles", "cpd_activities"):
                    sql = f"SELECT version, document FROM devcycle_{table} WHERE tenant = {self.p}"
                    cursor.execute(sql + " ORDER BY id", (school_id,))
                    for _version, document in cursor.fetchall():
                        data = json.loads(document)
                        if convert:
                            serialization.load_document(data)
                        count += 1
            connection.commit()
        finally:
            connection.close()
        return count

    def queries(self, school_ids: list[str]) -> int:
        """The common queries, as SQL on the same indexed columns and keys, with conversion."""
        p = self.p
        found = 0
        connection = self.connect()
        try:
            cursor = connection.cursor()

            def fetch(sql: str, args: tuple[Any, ...]) -> None:
                nonlocal found
                cursor.execute(sql, args)
                for (document,) in cursor.fetchall():
                    serialization.load_document(json.loads(document))
                    found += 1

            for s in school_ids:
                self.school(cursor, s)
                for sql, args in _raw_queries(p, s):
                    fetch(sql, args)
            connection.commit()
        finally:
            connection.close()
        return found


def _raw_queries(p: str, s: str) -> list[tuple[str, tuple[str, ...]]]:
    """The SQL for the common queries: same columns, keys and tenant-first indexes."""
    cycles = "SELECT document FROM devcycle_cycles WHERE tenant={p} AND "
    keyed = "id IN (SELECT id FROM devcycle_{t}_keys WHERE tenant={{p}} AND key='{k}' AND "
    team = "staff_id IN (SELECT id FROM devcycle_staff_keys WHERE tenant={p} AND key='team' AND "
    staff = "SELECT document FROM devcycle_staff WHERE tenant={p} AND "
    cpd = "SELECT document FROM devcycle_cpd_activities WHERE tenant={p} AND "
    queries = [
        (cycles + "staff_id={p}", (s, "S007")),
        (cycles + team + "value={p})", (s, s, "ks2")),
        (cycles + "period_start <= {p} AND period_end >= {p}", (s, "2027-03-31", "2027-01-01")),
        (cycles + "status IN ({p})", (s, "active")),
        (
            cycles + keyed.format(t="cycles", k="milestone_due") + "value >= {p} AND value <= {p})",
            (s, s, "2027-02-01", "2027-02-14"),
        ),
        (cycles + keyed.format(t="cycles", k="priority") + "value={p})", (s, s, "P2")),
        (staff + keyed.format(t="staff", k="team") + "value={p})", (s, s, "ks1")),
        (cpd + keyed.format(t="cpd_activities", k="attendee") + "value={p})", (s, s, "S008")),
    ]
    return [(sql.format(p=p) + " ORDER BY id", args) for sql, args in queries]


def store_save(store: dc.Store, trust: list[Any]) -> None:
    with store.transaction() as tx:
        for school, staff, cycles, cpd in trust:
            tx.schools.add(school)
            tx.staff.add_all(staff)
            tx.cycles.add_all(cycles)
            tx.cpd.add_all(cpd)
        tx.commit()


def store_load_all(store: dc.Store, school_ids: list[str]) -> int:
    count = 0
    with store.transaction() as tx:
        for s in school_ids:
            count += (
                len(tx.staff.for_school(s))
                + len(tx.cycles.for_school(s))
                + len(tx.cpd.for_school(s))
            )
    return count


def store_queries(store: dc.Store, school_ids: list[str]) -> int:
    found = 0
    with store.transaction() as tx:
        for s in school_ids:
            found += len(tx.cycles.for_staff(s, "S007"))
            found += len(tx.cycles.for_team(s, "ks2"))
            found += len(tx.cycles.in_period(s, date(2027, 1, 1), date(2027, 3, 31)))
            found += len(tx.cycles.with_status(s, dc.CycleStatus.ACTIVE))
            found += len(
                {c.id for c, _m in tx.cycles.milestones_due(s, date(2027, 2, 1), date(2027, 2, 14))}
            )
            found += len(tx.cycles.linked_to(s, priority_id="P2"))
            found += len(tx.staff.in_team(s, "ks1"))
            found += len(tx.cpd.for_staff(s, "S008"))
    return found


# ------------------------------------------------------------------------- databases


@contextmanager
def sqlite_pair(
    directory: Path,
) -> Iterator[tuple[Callable[[], dc.Store], Raw, Callable[[], None]]]:
    """A devcycle store and a raw driver, each on its own file with the same schema."""
    paths = {"store": directory / "store.db", "raw": directory / "raw.db"}

    def reset() -> None:
        for path in paths.values():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            SqlStore(f"sqlite:///{path}").close()  # the same tables and indexes for both

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(paths["raw"])
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")
        return connection

    reset()
    yield (
        (lambda: dc.open_store(f"sqlite:///{paths['store']}")),
        Raw(connect, "?", scoped=False),
        reset,
    )


@contextmanager
def postgres_pair(url: str) -> Iterator[tuple[Callable[[], dc.Store], Raw, Callable[[], None]]]:
    schemas = {
        "store": f"bench_store_{uuid.uuid4().hex[:8]}",
        "raw": f"bench_raw_{uuid.uuid4().hex[:8]}",
    }
    admin = sqlalchemy.create_engine(url)
    plain = sqlalchemy.engine.make_url(url).set(drivername="postgresql")
    conninfo = plain.render_as_string(hide_password=False)

    def in_schema(schema: str) -> str:
        joiner = "&" if "?" in url else "?"
        return f"{url}{joiner}options=-csearch_path%3D{schema}"

    def reset() -> None:
        with admin.begin() as connection:
            for schema in schemas.values():
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        for schema in schemas.values():
            SqlStore(in_schema(schema)).close()

    def connect() -> Any:
        return psycopg.connect(conninfo, options=f"-c search_path={schemas['raw']}")

    reset()
    try:
        yield (
            (lambda: dc.open_store(in_schema(schemas["store"]))),
            Raw(connect, "%s", scoped=True),
            reset,
        )
    finally:
        with admin.begin() as connection:
            for schema in schemas.values():
                connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


# ------------------------------------------------------------------------------ report


def compare(name: str, trust: list[Any], pair: Any, repeat: int) -> dict[str, float]:
    open_, raw, reset = pair
    school_ids = [school.id for school, *_ in trust]
    documents = records_of(trust)  # for the bytes-only baseline
    results: dict[str, float] = {}

    def fresh_save_store() -> float:
        reset()
        store = open_()
        try:
            return timed(lambda: store_save(store, trust))
        finally:
            store.close()

    def fresh_save_raw(docs: dict[str, list[Record]] | None, *, audited: bool = False) -> float:
        reset()
        return timed(lambda: raw.save(trust, documents=docs, audited=audited))

    results["save.store"] = min(fresh_save_store() for _ in range(repeat))
    results["save.raw"] = min(fresh_save_raw(None) for _ in range(repeat))
    results["save.raw_bytes"] = min(fresh_save_raw(documents) for _ in range(repeat))
    results["save.raw_audited"] = min(fresh_save_raw(None, audited=True) for _ in range(repeat))
    # Leave both databases filled for the reads.
    reset()
    store = open_()
    store_save(store, trust)
    raw.save(trust, documents=documents)
    try:
        results["load.store"] = timed(lambda: store_load_all(store, school_ids), repeat)
        results["load.raw"] = timed(lambda: raw.load_all(school_ids, convert=True), repeat)
        results["load.raw_bytes"] = timed(lambda: raw.load_all(school_ids, convert=False), repeat)
        results["query.store"] = timed(lambda: store_queries(store, school_ids), repeat)
        results["query.raw"] = timed(lambda: raw.queries(school_ids), repeat)
        assert store_queries(store, school_ids) == raw.queries(school_ids), "different answers"
    finally:
        store.close()
    print(f"\n{name}: {len(trust)} schools, {len(trust) * STAFF_PER_SCHOOL} staff")
    header = ("operation", "devcycle", "raw+convert", "ratio", "raw bytes", "ratio")
    widths = (12, 11, 13, 8, 11, 8)
    print(
        "  "
        + "".join(
            f"{h:<{w}}" if i == 0 else f"{h:>{w}}"
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for op in ("save", "load", "query"):
        store_t = results[f"{op}.store"]
        raw_t = results[f"{op}.raw"]
        raw_b = results.get(f"{op}.raw_bytes")
        extra = f"{raw_b:>10.3f}s{store_t / raw_b:>7.2f}x" if raw_b else ""
        print(f"  {op:<12}{store_t:>10.3f}s{raw_t:>12.3f}s{store_t / raw_t:>7.2f}x{extra}")
    audited = results["save.raw_audited"]
    print(
        f"  save against raw+convert+audit (the same audit entries and person rows): "
        f"{audited:.3f}s, devcycle {results['save.store'] / audited:.2f}x"
    )
    return results


def growth(
    name: str, trust: list[Any], sizes: list[int], make_pair: Callable[[], Any], repeat: int
) -> None:
    """Time save, load-all and queries on the first 5..N schools, devcycle and raw driver.

    Per-school times relative to the smallest size show how time grows (1.00 = linear); the
    devcycle/raw ratio at each size shows whether devcycle's own overhead grows. Best of
    *repeat* runs, devcycle and raw driver alternating.
    """
    print(
        f"\n{name}: growth, per school relative to {sizes[0]} schools (1.00 = linear), "
        "and devcycle / raw driver at each size"
    )
    base: dict[str, float] = {}
    for size in sizes:
        part = trust[:size]
        school_ids = [s.id for s, *_ in part]
        best: dict[str, float] = {}

        def keep(key: str, seconds: float, best: dict[str, float] = best) -> None:
            best[key] = min(best.get(key, float("inf")), seconds)

        with make_pair() as (open_, raw, reset):
            for _ in range(repeat):
                reset()
                with open_() as store:
                    keep("save", timed(functools.partial(store_save, store, part)))
                keep("raw_save", timed(functools.partial(raw.save, part)))
                with open_() as store:
                    keep("load", timed(functools.partial(store_load_all, store, school_ids)))
                    keep(
                        "raw_load", timed(functools.partial(raw.load_all, school_ids, convert=True))
                    )
                    keep("query", timed(functools.partial(store_queries, store, school_ids)))
                    keep("raw_query", timed(functools.partial(raw.queries, school_ids)))
        per = {k: best[k] / size for k in ("save", "load", "query")}
        ratio = {k: best[k] / best[f"raw_{k}"] for k in ("save", "load", "query")}
        base = base or per
        print(
            f"  {size:>3} schools: save {best['save']:6.2f}s load {best['load']:6.2f}s "
            f"query {best['query']:6.2f}s | "
            + "  ".join(f"{k} x{per[k] / base[k]:.2f}" for k in per)
            + " | vs raw "
            + "  ".join(f"{k} {ratio[k]:.2f}x" for k in ratio)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=50, help="schools in the trust (default 50)")
    parser.add_argument("--postgres", default=os.environ.get("DEVCYCLE_TEST_POSTGRES_URL"))
    parser.add_argument("--repeat", type=int, default=2, help="best of this many runs")
    parser.add_argument("--no-growth", action="store_true", help="skip the 5..N growth runs")
    args = parser.parse_args(argv)
    print(
        f"bench_storage: {args.schools} schools x {STAFF_PER_SCHOOL} staff; "
        f"{os.cpu_count()} cores; Python {platform.python_version()}; devcycle {dc.__version__}; "
        f"SQLAlchemy {sqlalchemy.__version__}; SQLite {sqlite3.sqlite_version}"
    )
    start = time.perf_counter()
    trust = make_trust(args.schools)
    cycles = sum(len(c) for _s, _st, c, _cpd in trust)
    print(f"generated {cycles} cycles in {time.perf_counter() - start:.1f}s")
    gc.freeze()  # the generated trust is set-up data: keep the collector from walking it
    with tempfile.TemporaryDirectory() as tmp:
        with sqlite_pair(Path(tmp)) as pair:
            compare("SQLite (WAL, synchronous=FULL)", trust, pair, args.repeat)
        if args.postgres:
            print(f"psycopg {psycopg.__version__}")
            with postgres_pair(args.postgres) as pair:
                compare("PostgreSQL", trust, pair, args.repeat)
        else:
            print("\nPostgreSQL: skipped (set DEVCYCLE_TEST_POSTGRES_URL or pass --postgres URL)")
        if not args.no_growth:
            sizes = sorted({s for s in (5, 10, 25, args.schools) if s <= args.schools})
            growth("SQLite", trust, sizes, lambda: sqlite_pair(Path(tmp)), args.repeat)
            if args.postgres:
                pair = functools.partial(postgres_pair, args.postgres)
                growth("PostgreSQL", trust, sizes, pair, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
