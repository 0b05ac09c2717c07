"""A vendor's load on PostgreSQL: several worker processes, a mix of reads and writes.

The trust of bench_storage.py (N schools x 120 staff, each with a year's cycle) is saved
once. Then W worker processes (as a vendor's web workers) each run the same seeded mix of
operations, in a closed loop:

* 60% open a cycle (a reviewee's or reviewer's page): load one cycle by school and id;
* 15% list a school's staff (a staff picker);
* 20% record a check-in (load, change, save with optimistic concurrency, retried on a
  conflict); a tenth of these go to five "hot" cycles, so that writers really collide;
* 5% a person's cycles (the "my cycles" page): cycles by staff member.

devcycle runs it through its public API as the reviewee (`Services.get_cycle`,
`Services.cycles`, `Services.act`, and the store's staff list for the picker): one store per
process, whose SQLAlchemy engine keeps a connection pool, with every access decision, the
cycle's history and the audit trail (of changes, and of reads of personal data) included.
The baseline runs the same mix with raw psycopg on one connection per process, on a copy
of the same tables: SELECT the JSON document, change it as plain dicts, UPDATE ... WHERE
version = the version read, retry when no row matched; it checks no access and writes no
history or audit entry, so it is a floor, not a like-for-like program. Rounds
alternate devcycle and raw. Printed: the workload, the machine, the versions, throughput and
p50/p99 latency per operation for each side, min/median ratios over rounds, and the
lost-update check (check-ins stored equal check-ins acknowledged, on both sides).

Usage: python benchmarks/bench_vendor.py [--schools 50] [--workers 4] [--ops 400]
       [--rounds 3] [--postgres URL]   (or DEVCYCLE_TEST_POSTGRES_URL)
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import platform
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy

import devcycle as dc
from devcycle.services import Services

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_storage import make_trust  # the shared trust generator

CHECK_IN_DAY = date(2027, 2, 1)
MIX = (("open_cycle", 60), ("list_staff", 15), ("check_in", 20), ("my_cycles", 5))
HOT = 5
CYCLE_BY_ID = "SELECT document, version FROM devcycle_cycles WHERE tenant = %s AND id = %s"


def plan(seed: int, ops: int, cycles: list[tuple[str, str, str]]) -> list[tuple[str, int]]:
    """The operations one worker runs: (operation, index into *cycles*)."""
    rng = random.Random(seed)
    names = [name for name, weight in MIX for _ in range(weight)]
    steps = []
    for _ in range(ops):
        name = rng.choice(names)
        index = rng.randrange(HOT) if name == "check_in" and rng.random() < 0.1 else None
        steps.append((name, index if index is not None else rng.randrange(len(cycles))))
    return steps


# --------------------------------------------------------------------------- workers


Job = tuple[str, int, list[tuple[str, str, str]], int, bool]
"""A worker's job: the store, its seed, the cycles, its operations, and whether to freeze."""


def _freeze() -> None:
    """Move everything alive into the collector's permanent generation (`gc.freeze`).

    What a long-running web worker can do once it has started and served a request, so
    that the collector's full passes no longer walk the start-up heap.
    """
    gc.collect()
    gc.freeze()


def devcycle_worker(args: Job) -> dict[str, Any]:
    url, seed, cycles, ops, freeze = args
    latencies: dict[str, list[float]] = {name: [] for name, _ in MIX}
    acknowledged = 0
    retries = 0
    with dc.open_store(url) as store:
        services = Services(store)
        if freeze:  # after a first request, as a web worker would be
            school_id, cycle_id, staff_id = cycles[0]
            reader = dc.Actor(staff_id, "reviewee", school_id=school_id)
            services.get_cycle(reader, school_id, cycle_id)
            _freeze()
        start = time.perf_counter()
        for name, index in plan(seed, ops, cycles):
            school_id, cycle_id, staff_id = cycles[index]
            began = time.perf_counter_ns()
            # The reviewee's own pages, as the web app of a vendor would serve them: through
            # `Services`, so every access decision (and the audit of reads) is included.
            actor = dc.Actor(staff_id, "reviewee", school_id=school_id)
            if name == "open_cycle":
                services.get_cycle(actor, school_id, cycle_id)
            elif name == "list_staff":
                store.staff.for_school(school_id)  # a staff picker: the school's directory
            elif name == "my_cycles":
                services.cycles(actor, school_id, staff_id=staff_id)
            else:
                for _attempt in range(50):
                    try:
                        services.act(
                            actor,
                            school_id,
                            cycle_id,
                            "record_check_in",
                            on=CHECK_IN_DAY,
                            objective_id="obj-1",
                            note="Bench check-in.",
                        )
                    except dc.ConflictError:
                        retries += 1
                        continue
                    acknowledged += 1
                    break
                else:
                    msg = "gave up after 50 conflicts"
                    raise RuntimeError(msg)
            latencies[name].append((time.perf_counter_ns() - began) / 1e6)
        elapsed = time.perf_counter() - start
    return {"latencies": latencies, "elapsed": elapsed, "acked": acknowledged, "retries": retries}


def raw_worker(args: Job) -> dict[str, Any]:
    conninfo, seed, cycles, ops, freeze = args
    latencies: dict[str, list[float]] = {name: [] for name, _ in MIX}
    acknowledged = 0
    retries = 0
    with psycopg.connect(conninfo) as connection:
        if freeze:
            school_id, cycle_id, _staff_id = cycles[0]
            with connection.transaction():
                _scope(connection, school_id)
                connection.execute(CYCLE_BY_ID, (school_id, cycle_id)).fetchone()
            _freeze()
        start = time.perf_counter()
        for name, index in plan(seed, ops, cycles):
            school_id, cycle_id, staff_id = cycles[index]
            began = time.perf_counter_ns()
            with connection.transaction():
                _scope(connection, school_id)
                if name == "open_cycle":
                    row = connection.execute(CYCLE_BY_ID, (school_id, cycle_id)).fetchone()
                    json.loads(row[0])
                elif name == "list_staff":
                    rows = connection.execute(
                        "SELECT document FROM devcycle_staff WHERE tenant = %s", (school_id,)
                    ).fetchall()
                    [json.loads(r[0]) for r in rows]
                elif name == "my_cycles":
                    rows = connection.execute(
                        "SELECT document FROM devcycle_cycles WHERE tenant = %s AND staff_id = %s",
                        (school_id, staff_id),
                    ).fetchall()
                    [json.loads(r[0]) for r in rows]
            if name == "check_in":
                while True:
                    if _raw_check_in(connection, school_id, cycle_id, staff_id):
                        acknowledged += 1
                        break
                    retries += 1
            latencies[name].append((time.perf_counter_ns() - began) / 1e6)
        elapsed = time.perf_counter() - start
    return {"latencies": latencies, "elapsed": elapsed, "acked": acknowledged, "retries": retries}


def _scope(connection: psycopg.Connection[Any], school_id: str) -> None:
    """Say which school this transaction works in, for row-level security where it is on."""
    connection.execute("SELECT set_config('app.school_id', %s, true)", (school_id,))


def _raw_check_in(
    connection: psycopg.Connection[Any], school_id: str, cycle_id: str, staff_id: str
) -> bool:
    with connection.transaction():
        _scope(connection, school_id)
        text, stored = connection.execute(CYCLE_BY_ID, (school_id, cycle_id)).fetchone()
        document = json.loads(text)
        objective = document["data"]["objectives"][0]
        objective["check_ins"].append(
            {"on": CHECK_IN_DAY.isoformat(), "by": staff_id, "note": "Bench check-in."}
        )
        document["data"]["version"] = stored + 1
        changed = connection.execute(
            "UPDATE devcycle_cycles SET document = %s, version = %s "
            "WHERE tenant = %s AND id = %s AND version = %s",
            (json.dumps(document, separators=(",", ":")), stored + 1, school_id, cycle_id, stored),
        ).rowcount
        return changed == 1


# ----------------------------------------------------------------------------- running


def run_side(
    worker: Callable[[Any], dict[str, Any]],
    target: str,
    cycles: list[Any],
    workers: int,
    ops: int,
    seed: int,
    *,
    freeze: bool = False,
) -> dict[str, Any]:
    jobs: list[Job] = [(target, seed * 100 + w, cycles, ops, freeze) for w in range(workers)]
    start = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        results = pool.map(worker, jobs)
    wall = time.perf_counter() - start
    merged: dict[str, list[float]] = {name: [] for name, _ in MIX}
    for result in results:
        for name, values in result["latencies"].items():
            merged[name].extend(values)
    slowest = max(r["elapsed"] for r in results)
    return {
        "throughput": workers * ops / slowest,
        "latencies": merged,
        "acked": sum(r["acked"] for r in results),
        "retries": sum(r["retries"] for r in results),
        "wall": wall,
    }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def count_check_ins(url: str, cycles: list[tuple[str, str, str]]) -> int:
    schools = sorted({s for s, _c, _p in cycles})
    with dc.open_store(url) as store:
        return sum(
            len(c.objectives[0].check_ins) for s in schools for c in store.cycles.for_school(s)
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--ops", type=int, default=400, help="operations per worker per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("DEVCYCLE_TEST_POSTGRES_URL", ""))
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="each worker (both sides) calls gc.freeze() after start-up and a first request, "
        "as a long-running web worker can",
    )
    args = parser.parse_args(argv)
    if not args.postgres:
        print(
            "needs PostgreSQL: --postgres URL or DEVCYCLE_TEST_POSTGRES_URL (scripts/postgres-up)"
        )
        return 2

    schema = f"bench_vendor_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(args.postgres)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    joiner = "&" if "?" in args.postgres else "?"
    url = f"{args.postgres}{joiner}options=-csearch_path%3D{schema}"
    plain = sqlalchemy.engine.make_url(args.postgres).set(drivername="postgresql")
    conninfo = plain.render_as_string(hide_password=False) + f"?options=-csearch_path%3D{schema}"
    try:
        trust = make_trust(args.schools)
        with dc.open_store(url) as store, store.transaction() as tx:
            for school, staff, cycles, cpd in trust:
                tx.schools.add(school)
                tx.staff.add_all(staff)
                tx.cycles.add_all(cycles)
                tx.cpd.add_all(cpd)
            tx.commit()
        index = [(c.school_id, c.id, c.staff_id) for _s, _st, cs, _cpd in trust for c in cs]
        before = count_check_ins(url, index)

        print("workload: vendor mix on PostgreSQL", dict(MIX), f"hot cycles {HOT}")
        print(
            f"trust: {args.schools} schools x 120 staff ({len(index)} cycles); "
            f"{args.workers} worker processes x {args.ops} operations x {args.rounds} rounds"
            + ("; every worker gc.freeze()s after start-up" if args.gc_freeze else "")
        )
        machine = f"{platform.platform()}, {os.cpu_count()} cores"
        print(f"machine: {machine}, Python {platform.python_version()}")
        print(
            "versions: devcycle",
            dc.__version__,
            "| SQLAlchemy",
            version("SQLAlchemy"),
            "| psycopg",
            version("psycopg"),
            "| server",
            _server_version(admin),
        )
        sides: dict[str, list[dict[str, Any]]] = {"devcycle": [], "raw": []}
        for round_ in range(args.rounds):
            for side, worker, target in (
                ("devcycle", devcycle_worker, url),
                ("raw", raw_worker, conninfo),
            ):
                result = run_side(
                    worker, target, index, args.workers, args.ops, round_ + 1, freeze=args.gc_freeze
                )
                sides[side].append(result)
                print(
                    f"  round {round_ + 1} {side:8s} {result['throughput']:8.0f} ops/s  "
                    f"check-ins {result['acked']:4d}  conflicts retried {result['retries']}"
                )
        after = count_check_ins(url, index)
        acknowledged = sum(r["acked"] for side in sides.values() for r in side)
        print(
            f"lost updates: {acknowledged - (after - before)} "
            f"(acknowledged {acknowledged}, stored {after - before})"
        )
        print(f"{'operation':12s} {'side':8s} {'p50 ms':>8s} {'p99 ms':>8s}")
        for name, _weight in MIX:
            for side, results in sides.items():
                values = [v for r in results for v in r["latencies"][name]]
                p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
                print(f"{name:12s} {side:8s} {p50:8.2f} {p99:8.2f}")
        ratios = [
            r["throughput"] / d["throughput"]
            for r, d in zip(sides["raw"], sides["devcycle"], strict=True)
        ]
        print(
            f"throughput ratio raw / devcycle: min {min(ratios):.2f}x, "
            f"median {statistics.median(ratios):.2f}x"
        )
        return 0 if acknowledged == after - before else 1
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def _server_version(engine: sqlalchemy.Engine) -> str:
    with engine.connect() as connection:
        return str(connection.exec_driver_sql("SHOW server_version").scalar())


if __name__ == "__main__":
    sys.exit(main())
