"""Workload 1 (the peer workload): the Frappe HRMS appraisal steps through devcycle.

For N staff (default 100, 1,000 and 10,000), through the public API and the SQLite default
with durable commits (WAL, synchronous=FULL): by default one transaction per 500 staff per
step (a bulk import from an MIS), or with --per-person one per person per step (an appraiser
working through a screen, where each durable commit costs an fsync):

1. enrol everyone from the England teacher template into a cycle for 1 Sep 2026 - 31 Aug 2027
   (one transaction for the whole enrolment, as a bulk-enrol screen would);
2. three objectives each, agreed, the cycle activated and a check-in recorded on each;
3. one review meeting each;
4. the cycle's overview (the progress report for the school);
5. every appraisal read back with its objectives, one at a time.

Each step is printed per staff member and compared with Frappe HRMS 15.48's figures at N =
1,000 from the benchmark brief (153 ms per staff member for the appraisal part in all;
summarised in docs/explanation/performance.md, "The workloads and where their targets come
from"), and with the floor (`peer_floor.py`: the same steps with raw sqlite3, plain dicts
and the standard json, the same durability), run interleaved with devcycle: each round runs
both at every size, the order alternating, and the ratio is taken within the round; the min
and the median over the rounds are printed. Targets: at least 100x faster per staff member
than Frappe, within 2x of the floor, and linear from 100 to 10,000.

With --instructions the same run is repeated under Valgrind's callgrind, which counts the
machine instructions each step executes (``--dump-before=time_thread_time``: the steps are
timed with `time.thread_time`, and callgrind writes its counters out before each call), and
the steps are compared in instructions instead of seconds. A count does not depend on what
else the machine is doing, so it shows a change of a few per cent that timing on a shared
machine cannot; it leaves out the kernel's work (the disk, an fsync) and what memory costs
beyond the instructions, which timing includes.

Usage: python benchmarks/bench_peer.py [--sizes 100,1000,10000] [--rounds 3] [--store URL]
       [--clock wall|cpu] [--api actions|callback] [--json orjson|json] [--instructions]
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Final

import sqlalchemy

import devcycle as dc
from devcycle.catalogues.templates import template
from devcycle.domain.calendar import england_pattern
from devcycle.domain.scheduling import plan
from devcycle.reports import ReportData, progress
from devcycle.serialization import to_dict
from devcycle.services import CycleAction, Services
from devcycle.storage import jsoncodec

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer_floor

SCHOOL = "peer-school"
HEAD = "H0000"
SYSTEM = dc.Actor.system()
"""The benchmark plays an MIS import: the system role, recording what each person did."""
# per staff member, Frappe HRMS 15.48 at N = 1,000 (the benchmark brief, summarised in
# docs/explanation/performance.md)
FRAPPE_MS = {
    "enrol": 21.0,
    "objectives": 30.0,
    "review": 34.0,
    "report": 0.7,
    "read back": 7.8,
    "all": 153.0,
}


def setup(store: dc.Store, n: int) -> list[str]:
    """Store the school and its staff (not timed: Frappe's Employee records are not either)."""
    school = dc.School(
        id=SCHOOL,
        name="Peer Benchmark Academy",
        priorities=(dc.Priority("P1", "Reading"), dc.Priority("P2", "Maths")),
    )
    staff = [dc.StaffMember(id=HEAD, name="Head", school_id=SCHOOL, roles={dc.Role.HEADTEACHER})]
    staff += [
        dc.StaffMember(
            id=f"T{i:05d}",
            name=f"Teacher {i}",
            school_id=SCHOOL,
            roles={dc.Role.TEACHER},
            reviewer_id=HEAD,
        )
        for i in range(n)
    ]
    Services(store).save_school(SYSTEM, school, staff)
    return [m.id for m in staff[1:]]


def objectives_step(cycle: dc.Cycle) -> None:
    cycle.start_planning(by=HEAD, on=date(2026, 9, 10))
    for k in range(3):
        objective = cycle.propose_objective(
            by=cycle.staff_id,
            on=date(2026, 9, 20),
            statement=(
                f"Raise attainment for target group {k + 1} by the March data drop, "
                "measured by the termly assessment."
            ),
            success_criteria=("5 of 6 pupils at expected by March",),
            priority_ids=(f"P{1 + k % 2}",),
            standard_ids=(f"TS{k + 1}",),
            deadline=date(2027, 3, 31),
        )
        cycle.agree_objective(objective.id, by=HEAD, on=date(2026, 10, 8))
    cycle.activate(by=HEAD, on=date(2026, 10, 8))
    for objective in cycle.objectives:
        cycle.record_check_in(
            objective.id, by=cycle.staff_id, on=date(2026, 12, 3), note="On track.", percent=40
        )


def objectives_actions(staff_id: str) -> list[CycleAction]:
    """The objectives step as data, for `Services.take_actions`: the same calls."""
    actions = [CycleAction("start_planning", by=HEAD, on=date(2026, 9, 10))]
    for k in range(3):
        objective_id = f"obj-{k + 1}"
        actions += [
            CycleAction(
                "propose_objective",
                by=staff_id,
                on=date(2026, 9, 20),
                statement=(
                    f"Raise attainment for target group {k + 1} by the March data drop, "
                    "measured by the termly assessment."
                ),
                success_criteria=("5 of 6 pupils at expected by March",),
                priority_ids=(f"P{1 + k % 2}",),
                standard_ids=(f"TS{k + 1}",),
                deadline=date(2027, 3, 31),
                objective_id=objective_id,
            ),
            CycleAction(
                "agree_objective", by=HEAD, on=date(2026, 10, 8), objective_id=objective_id
            ),
        ]
    actions.append(CycleAction("activate", by=HEAD, on=date(2026, 10, 8)))
    actions += [
        CycleAction(
            "record_check_in",
            by=staff_id,
            on=date(2026, 12, 3),
            objective_id=f"obj-{k + 1}",
            note="On track.",
            percent=40,
        )
        for k in range(3)
    ]
    return actions


REVIEW_ACTIONS = [
    CycleAction(
        "record_review",
        by=HEAD,
        on=date(2027, 2, 10),
        kind=dc.ReviewKind.MID_YEAR,
        notes="Good progress on all three objectives.",
        strengths=("Clear routines",),
        next_steps=("Share practice at a staff briefing",),
        minutes=30,
    )
]
"""The review step as data."""


def review_step(cycle: dc.Cycle) -> None:
    cycle.record_review(
        by=HEAD,
        on=date(2027, 2, 10),
        kind=dc.ReviewKind.MID_YEAR,
        notes="Good progress on all three objectives.",
        strengths=("Clear routines",),
        next_steps=("Share practice at a staff briefing",),
        minutes=30,
    )


def run(url: str, n: int, *, per_person: bool, api: str = "actions") -> dict[str, float]:
    """Run the five steps for *n* staff; return seconds per step.

    *api*: ``actions`` changes the cycles with `Services.take_actions` (the actions as data,
    as an MIS import would send them), ``callback`` with `Services.change_cycles` and a
    function calling the cycle's methods (whose calls are recorded and replayed).
    """
    times: dict[str, float] = {}
    with dc.open_store(url) as store:
        services = Services(store)
        staff_ids = setup(store, n)
        calendar = england_pattern(2026)
        teacher = template("england-teacher")

        def step(name: str, work: Callable[[], object]) -> None:
            start = peer_floor.CLOCK[0]()
            work()
            times[name] = peer_floor.CLOCK[0]() - start

        created: list[dc.Cycle] = []
        step(
            "enrol",
            lambda: created.extend(
                services.enrol(
                    SYSTEM, SCHOOL, teacher, calendar, date(2026, 9, 1), on=date(2026, 9, 1)
                )
            ),
        )
        assert len(created) == n, f"enrolled {len(created)} of {n}"
        cycle_ids = [c.id for c in created]
        owners = {c.id: c.staff_id for c in created}
        created.clear()  # an application would not keep every cycle in memory between steps

        def each(change: Callable[[dc.Cycle], None]) -> None:
            if per_person:
                for cycle_id in cycle_ids:
                    services.change_cycle(SYSTEM, SCHOOL, cycle_id, change)
            else:
                services.change_cycles(SYSTEM, SCHOOL, cycle_ids, change)

        def take(actions: Callable[[str], list[CycleAction]]) -> None:
            if per_person:
                for cycle_id in cycle_ids:
                    services.take_actions(SYSTEM, SCHOOL, {cycle_id: actions(cycle_id)})
            else:
                services.take_actions(SYSTEM, SCHOOL, {c: actions(c) for c in cycle_ids})

        if api == "actions":
            step("objectives", lambda: take(lambda c: objectives_actions(owners[c])))
            step("review", lambda: take(lambda _c: REVIEW_ACTIONS))
        else:
            step("objectives", lambda: each(objectives_step))
            step("review", lambda: each(review_step))
        report: list[object] = []
        step(
            "report",
            lambda: report.append(
                progress(ReportData.from_store(store, SCHOOL), as_of=date(2027, 2, 15))
            ),
        )
        report.clear()
        checked: list[bool] = []

        def read_back() -> None:
            for cycle_id in cycle_ids:  # one at a time, each checked and then let go
                cycle = store.cycles.get(SCHOOL, cycle_id)
                checked.append(len(cycle.objectives) == 3 and len(cycle.reviews) == 1)

        step("read back", read_back)
        assert len(checked) == n
        assert all(checked)
        assert len(staff_ids) == n
    times["all"] = sum(times.values())
    return times


def floor_milestones() -> list[dict[str, object]]:
    """The milestones the template gives a teacher, as plain data: the floor's input."""
    planned = plan(template("england-teacher"), england_pattern(2026), date(2026, 9, 1))
    return [to_dict(m) for m in planned.milestones]


def _json_library() -> str:
    """The JSON library devcycle uses here, with its version."""
    name = jsoncodec.library()
    if name == "json":
        return "the standard json"
    return f"{name} {importlib.metadata.version(name)}"


STEPS: Final = ("enrol", "objectives", "review", "report", "read back")
"""The timed steps, in the order both contestants run them."""


def schedule(rounds: int, sizes: list[int], *, floor: bool) -> list[tuple[int, int, str]]:
    """The runs in order: (round, N, contestant), the order alternating by round.

    `main` runs them in this order and `count_instructions` reads callgrind's counters
    in it, so there is one place that says what runs when.
    """
    runs = []
    for round_ in range(rounds):
        order = ["devcycle", "floor"] if floor else ["devcycle"]
        for n in sizes:
            runs += [(round_, n, who) for who in (order if round_ % 2 == 0 else order[::-1])]
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="staff counts, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument(
        "--store", help="a store URL to use instead of a fresh SQLite file (must be empty)"
    )
    parser.add_argument(
        "--per-person",
        action="store_true",
        help="one durable commit per person per step (as an appraiser clicking through), "
        "instead of one per batch of 500 (as a bulk import from an MIS)",
    )
    parser.add_argument("--no-floor", action="store_true", help="devcycle only, no floor")
    parser.add_argument(
        "--api",
        choices=("actions", "callback"),
        default="actions",
        help="change the cycles with Services.take_actions (default: the actions as data) "
        "or with Services.change_cycles and a function (its calls recorded and replayed)",
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu", "thread"),
        default="wall",
        help="time the steps by wall-clock time (default) or by the process's CPU time, "
        "which leaves out waits for the disk and counts a busy machine's other jobs less "
        "(thread: the thread's CPU time, which --instructions counts by)",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count each step's machine instructions under Valgrind's callgrind instead of "
        "timing it (needs valgrind; about 40 times slower)",
    )
    parser.add_argument(
        "--json",
        choices=("orjson", "json"),
        help="the JSON library devcycle writes and reads documents with (default: orjson "
        "where installed, as the sql extra installs it; json: the standard library, as "
        "the floor uses)",
    )
    parser.add_argument(
        "--light-floor",
        action="store_true",
        help="the floor's audit log without devcycle's indexes and person rows, as the "
        "floor was until 7 December 2026 (to compare with earlier rounds' figures)",
    )
    args = parser.parse_args(argv)
    if args.instructions:
        return count_instructions(args, sys.argv[1:] if argv is None else argv)
    peer_floor.LIGHT_AUDIT[0] = args.light_floor
    if args.json:
        jsoncodec.use(args.json)
    clocks = {"cpu": time.process_time, "thread": time.thread_time}
    peer_floor.CLOCK[0] = clocks.get(args.clock, time.perf_counter)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"bench_peer: sizes {sizes}; {args.rounds} rounds; {os.cpu_count()} cores; "
        f"Python {platform.python_version()}; "
        f"devcycle {dc.__version__}; SQLAlchemy {sqlalchemy.__version__}; "
        f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=FULL); "
        f"documents in JSON by {_json_library()}; "
        + ("one commit per person per step" if args.per_person else "one commit per 500 staff")
        + f"; {args.clock} clock; {args.api} API; "
        + (
            "light floor (audit log unindexed)"
            if args.light_floor
            else "floor with devcycle's indexes"
        )
    )
    steps = [*STEPS, "all"]
    milestones = floor_milestones()
    mine: dict[int, list[dict[str, float]]] = {n: [] for n in sizes}
    floor: dict[int, list[dict[str, float]]] = {n: [] for n in sizes}
    with tempfile.TemporaryDirectory() as tmp:
        for round_, n, who in schedule(args.rounds, sizes, floor=not args.no_floor):
            tag = f"{round_}-{n}"
            # A full collection first, untimed: neither contestant pays for the garbage the
            # other left (noticed in session 17, done in session 19).
            gc.collect()
            if who == "devcycle":
                url = args.store or f"sqlite:///{Path(tmp) / f'peer-{tag}.db'}"
                mine[n].append(run(url, n, per_person=args.per_person, api=args.api))
            else:
                path = str(Path(tmp) / f"floor-{tag}.db")
                floor[n].append(peer_floor.run(path, n, milestones, per_person=args.per_person))
            for used in Path(tmp).glob(f"*-{tag}.db*"):
                used.unlink()
    print(f"\n{'N':>7}  " + "".join(f"{s:>13}" for s in steps) + "   (ms per staff member, median)")
    per_staff: dict[int, dict[str, float]] = {}
    for n in sizes:
        per_staff[n] = {s: 1000 * statistics.median(t[s] for t in mine[n]) / n for s in steps}
        print(f"{n:>7}  " + "".join(f"{per_staff[n][s]:>13.3f}" for s in steps))
        if not args.no_floor:
            low = {s: 1000 * statistics.median(t[s] for t in floor[n]) / n for s in steps}
            print(f"{'floor':>7}  " + "".join(f"{low[s]:>13.3f}" for s in steps))
    print(f"{'Frappe':>7}  " + "".join(f"{FRAPPE_MS[s]:>13.1f}" for s in steps) + "   (N = 1,000)")
    for n in sizes:
        ratios = "".join(f"{FRAPPE_MS[s] / per_staff[n][s]:>12.0f}x" for s in steps)
        print(f"{n:>7}  {ratios}   (Frappe / devcycle)")
    if not args.no_floor:
        print(
            '\ndevcycle / floor, min and median over the rounds (target: the "all" column, '
            "the whole workload, within 2x):"
        )
        for n in sizes:
            cells = []
            for s in steps:
                ratios_ = [m[s] / f[s] for m, f in zip(mine[n], floor[n], strict=True)]
                cells.append(f"{min(ratios_):.2f}/{statistics.median(ratios_):.2f}")
            print(f"{n:>7}  " + "".join(f"{c:>13}" for c in cells))
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        growth = per_staff[last]["all"] / per_staff[first]["all"]
        print(
            f"\nlinearity: per-staff time at {last} is {growth:.2f}x that at {first} "
            "(1.00 = perfectly linear)"
        )
    return 0


def count_instructions(args: argparse.Namespace, argv: list[str]) -> int:
    """Run this benchmark under callgrind and compare the steps in instructions.

    The run is the same (sizes, rounds, order), timed with `time.thread_time`; callgrind
    writes its counters out before each call of that function (and nothing else calls it),
    so the file written before a step's closing call holds that step's instructions. Each
    contestant's run calls the clock twice per step, in step order.
    """
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        print("bench_peer: --instructions needs valgrind (apt install valgrind)", file=sys.stderr)
        return 2
    rest = [a for a in argv if a != "--instructions"]
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = [(who, n) for _round, n, who in schedule(args.rounds, sizes, floor=not args.no_floor)]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = [
            valgrind,
            "--tool=callgrind",
            "--dump-before=time_thread_time",
            "--collect-jumps=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(Path(__file__).resolve()),
            *rest,
            "--clock",
            "thread",
        ]
        child = subprocess.run(command, capture_output=True, text=True, check=False)
        if child.returncode != 0:
            print(child.stdout[-2000:] + child.stderr[-4000:], file=sys.stderr)
            return child.returncode
        counts = {}
        for path in Path(tmp).glob("callgrind.out.*"):
            match = re.search(r"^totals: (\d+)", path.read_text(), re.MULTILINE)
            if match:
                counts[int(path.name.rsplit(".", 1)[1])] = int(match.group(1))
    expected = 2 * len(STEPS) * len(runs)
    if sorted(counts) != list(range(1, expected + 1)):
        print(
            f"bench_peer: expected {expected} counter dumps from callgrind, got {len(counts)}",
            file=sys.stderr,
        )
        return 1
    print(child.stdout.splitlines()[0].replace("thread clock", "instructions (callgrind)"))
    per: dict[tuple[str, int], list[dict[str, int]]] = {}
    for index, (who, n) in enumerate(runs):
        base = index * 2 * len(STEPS)
        steps = {s: counts[base + 2 * (k + 1)] for k, s in enumerate(STEPS)}
        steps["all"] = sum(steps.values())
        per.setdefault((who, n), []).append(steps)
    names = [*STEPS, "all"]
    print(f"\n{'N':>7}  " + "".join(f"{s:>13}" for s in names) + "   (thousand instructions")
    print(f"{'':>7}  {'':>{13 * len(names)}}    per staff member, median)")
    for n in sizes:
        for who in ("devcycle", "floor"):
            if (who, n) not in per:
                continue
            row = [statistics.median(r[s] for r in per[who, n]) / n / 1000 for s in names]
            label = str(n) if who == "devcycle" else "floor"
            print(f"{label:>7}  " + "".join(f"{v:>13,.0f}" for v in row))
    if not args.no_floor:
        print("\ndevcycle / floor in instructions, min and median over the rounds:")
        for n in sizes:
            pairs = zip(per["devcycle", n], per["floor", n], strict=True)
            ratios = [{s: m[s] / f[s] for s in names} for m, f in pairs]
            cells = [
                f"{min(r[s] for r in ratios):.2f}/{statistics.median(r[s] for r in ratios):.2f}"
                for s in names
            ]
            print(f"{n:>7}  " + "".join(f"{c:>13}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
