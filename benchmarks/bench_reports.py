"""Every report on a generated trust, and how the time grows from 5 to 50 schools.

Workload 2 of the benchmark brief (docs/explanation/performance.md) (the reports part). A
trust of N schools x 120 staff is generated with a fixed seed: a year's cycle for everyone
(three objectives each, agreed, with check-ins, evidence, observations, review meetings and
milestones) and the schools' CPD (a dozen activities each, linked to objectives, with impact
records). Each report runs over the whole trust (and the health check runs the objective
checker on every objective), then builds its `Document`. The baseline, measured in the same
run, is one bare pass over the same data doing the least any RAG report must: each
objective's latest check-in and the time elapsed to its deadline. Target: linear growth from
5 to 50 schools (time per school roughly flat). The rendering of every report's document to
HTML (charts as inline SVG) is timed against a bare Jinja2 template printing the same
documents' tables, in the same run.

With ``--from-store`` it measures what users run instead: each trust is saved once in a SQLite
store, then every report is run end to end from the store (``ReportData.from_store``, every
report with its document, rendered to HTML; the health check with a cold checker) in a fresh
process, against a floor in another fresh process that reads the same stored documents with
the raw ``sqlite3`` driver and the standard ``json`` and makes the bare pass above over the
dicts. Sizes and contestants alternate over interleaved rounds; the figures are medians, the
ratio to the floor is taken within each round, and each process's peak RSS is set against the
size of the stored documents. Nothing calls ``gc.freeze()``.

Run: python benchmarks/bench_reports.py [--schools 5,10,25,50] [--staff 120] [--repeat 3]
     [--gc-freeze]
     python benchmarks/bench_reports.py --from-store [--schools 5,50] [--rounds 3]
     [--no-health]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

import devcycle
import devcycle as dc
from devcycle.document import Document, Table
from devcycle.domain import (
    RAG,
    Agreement,
    CheckIn,
    CPDActivity,
    CPDKind,
    Cycle,
    CycleStatus,
    Evidence,
    ImpactLevel,
    ImpactRecord,
    Milestone,
    MilestoneKind,
    Objective,
    ObjectiveRef,
    ObjectiveStatus,
    Observation,
    ObservationKind,
    Priority,
    ReviewKind,
    ReviewMeeting,
    Role,
    School,
    StaffMember,
    SuccessCriterion,
    Team,
    Trust,
)
from devcycle.render import render
from devcycle.reports import (
    REPORT_NAMES,
    HealthPolicy,
    ReportData,
    default_health_points,
    run,
)
from devcycle.rules import clear_memo

START = date(2026, 9, 1)
END = date(2027, 8, 31)
AS_OF = date(2027, 2, 12)

STATEMENTS = [
    "Run guided reading three times a week for the six Year 4 pupils below ARE, checked by "
    "their reading-age tests in March.",
    "Introduce retrieval quizzes at the start of every Year 8 history lesson by Christmas, "
    "evidenced in two drop-ins.",
    "Improve my teaching.",
    "Lead fortnightly coaching on questioning for the three ECTs from October to March.",
    "Raise attainment so that 80% of pupils achieve grade 5+ by July.",
]
NEEDS = ["Questioning", "Behaviour routines", "Adaptive teaching", "Phonics", "Feedback"]
ROLES = [Role.TEACHER] * 6 + [Role.TEACHING_ASSISTANT, Role.SUPPORT_STAFF, Role.MIDDLE_LEADER]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def generate_school(
    index: int, staff_count: int, rng: random.Random
) -> tuple[School, list[StaffMember], list[Cycle], list[CPDActivity]]:
    """One school of *staff_count* staff with a year's cycles and CPD."""
    sid = f"s{index:03d}"
    teams = [Team(f"t{t}", f"Team {t}", f"{sid}-{t:04d}") for t in range(1, 7)]
    school = School(
        id=sid,
        name=f"School {index}",
        trust_id="trust",
        priorities=tuple(Priority(f"P{p}", f"Priority {p}") for p in range(1, 5)),
        teams=tuple(teams),
    )
    staff = [
        StaffMember(
            id=f"{sid}-{n:04d}",
            name=f"Person {n}",
            school_id=sid,
            roles={ROLES[n % len(ROLES)]} if n > 6 else {Role.MIDDLE_LEADER, Role.TEACHER},
            fte=1.0 if n % 5 else 0.6,
            team_ids=(f"t{1 + n % 6}",),
            reviewer_id=f"{sid}-{1 + n % 6:04d}" if n > 6 else f"{sid}-0000",
        )
        for n in range(staff_count)
    ]
    cycles = []
    for member in staff:
        reviewer = member.reviewer_id or f"{sid}-0001"
        if reviewer == member.id:
            reviewer = f"{sid}-0000" if member.id != f"{sid}-0000" else f"{sid}-0001"
        agreed = _day(rng, date(2026, 9, 20), date(2026, 10, 31))
        objectives = []
        for o in range(1, 4):
            check_ins = tuple(
                sorted(
                    (
                        CheckIn(
                            on=_day(rng, agreed, AS_OF),
                            by=member.id,
                            note="Progress noted.",
                            percent=rng.randint(0, 80),
                            rag=rng.choice(list(RAG)),
                        )
                        for _ in range(rng.randint(0, 3))
                    ),
                    key=lambda c: c.on,
                )
            )
            objectives.append(
                Objective(
                    id=f"obj-{o}",
                    statement=rng.choice(STATEMENTS),
                    owner_ids=(member.id,),
                    success_criteria=(SuccessCriterion("Seen in drop-ins"),) if o != 3 else (),
                    deadline=_day(rng, date(2027, 3, 1), END) if rng.random() < 0.3 else None,
                    priority_ids=(f"P{rng.randint(1, 4)}",) if rng.random() < 0.8 else (),
                    standard_ids=(rng.choice(["TS1", "TS3.3", "TS4", "TS5", "TS8"]),),
                    support=("Coaching",) if rng.random() < 0.3 else (),
                    status=ObjectiveStatus.AGREED,
                    check_ins=check_ins,
                    agreement=Agreement(agreed, reviewer),
                )
            )
        cycles.append(
            Cycle(
                id=f"2026-{member.id}",
                school_id=sid,
                staff_id=member.id,
                reviewer_id=reviewer,
                period_start=START,
                period_end=END,
                status=CycleStatus.ACTIVE,
                milestones=(
                    Milestone(
                        "planning",
                        "Planning meeting",
                        MilestoneKind.PLANNING,
                        agreed,
                        minutes=45,
                        completed_on=agreed,
                    ),
                    Milestone(
                        "mid",
                        "Mid-year review",
                        MilestoneKind.MID_YEAR,
                        date(2027, 2, 5) + timedelta(days=rng.randint(0, 20)),
                        minutes=30,
                    ),
                    Milestone(
                        "final", "Final review", MilestoneKind.FINAL, date(2027, 7, 9), minutes=60
                    ),
                ),
                objectives=tuple(objectives),
                reviews=(
                    ReviewMeeting(
                        "rev-1",
                        ReviewKind.PLANNING,
                        agreed,
                        minutes=45,
                        development_needs=(rng.choice(NEEDS),),
                    ),
                ),
                evidence=(
                    Evidence(
                        "ev-1",
                        "Planning and pupils' work",
                        _day(rng, agreed, AS_OF),
                        member.id,
                        objective_ids=("obj-1",),
                        priority_ids=("P1",),
                    ),
                    Evidence("ev-2", "A photograph", _day(rng, agreed, AS_OF), member.id),
                ),
                observations=(
                    Observation(
                        "obs-1",
                        ObservationKind.DROP_IN,
                        _day(rng, agreed, AS_OF),
                        reviewer,
                        "Questioning",
                        minutes=20,
                        cpd_needs=(rng.choice(NEEDS),),
                    ),
                ),
            )
        )
    cpd = []
    for a in range(12):
        attendees = rng.sample([m.id for m in staff], k=min(len(staff), rng.randint(3, 30)))
        cpd.append(
            CPDActivity(
                id=f"{sid}-cpd-{a}",
                school_id=sid,
                title=rng.choice(
                    [
                        "Coaching for leaders",
                        "INSET: reading",
                        "Phonics course",
                        "Behaviour network",
                    ]
                ),
                kind=rng.choice([CPDKind.COURSE, CPDKind.COACHING, CPDKind.INSET]),
                start=_day(rng, START, END),
                hours=rng.choice([1.5, 3.0, 6.0]),
                attendee_ids=tuple(attendees),
                objective_refs=tuple(
                    ObjectiveRef(f"2026-{p}", f"obj-{rng.randint(1, 3)}") for p in attendees[:5]
                ),
                impact=tuple(
                    ImpactRecord(level, START, attendees[0], "Recorded")
                    for level in ImpactLevel
                    if rng.random() < 0.5 / int(level)
                ),
            )
        )
    return school, staff, cycles, cpd


def generate_trust(schools: int, staff: int = 120, seed: int = 7) -> ReportData:
    """A trust of *schools* schools x *staff* staff, the same for the same arguments."""
    rng = random.Random(seed)
    parts = [generate_school(i, staff, rng) for i in range(schools)]
    return ReportData(
        schools=[p[0] for p in parts],
        staff=[s for p in parts for s in p[1]],
        cycles=[c for p in parts for c in p[2]],
        cpd=[a for p in parts for a in p[3]],
        trust=Trust("trust", "Generated Trust", tuple(p[0].id for p in parts)),
    )


def baseline(data: ReportData) -> int:
    """The least any RAG report does: each objective's latest check-in and time elapsed."""
    stale = 0
    for cycle in data.cycles:
        for objective in cycle.objectives:
            deadline = objective.deadline or cycle.period_end
            last = max((c.on for c in objective.check_ins), default=cycle.period_start)
            elapsed = (AS_OF - cycle.period_start).days / max(
                (deadline - cycle.period_start).days, 1
            )
            if (AS_OF - last).days > 42 or elapsed > 1:
                stale += 1
    return stale


BARE = """<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<title>{{ d.title }}</title></head><body><h1>{{ d.title }}</h1>
{% for f in d.header %}<p><b>{{ f.label }}</b> {{ f.value }}</p>{% endfor %}
{% for t in tables %}<table><caption>{{ t.caption }}</caption><tr>
{% for c in t.columns %}<th>{{ c }}</th>{% endfor %}</tr>
{% for r in t.rows %}<tr>{% for v in r %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}
</table>{% endfor %}</body></html>"""

_BARE_TEMPLATE = None


def bare_html(document: Document) -> bytes:
    """The baseline: a bare Jinja2 template over the same document's tables, no charts."""
    global _BARE_TEMPLATE  # noqa: PLW0603 - a benchmark's one compiled template
    if _BARE_TEMPLATE is None:
        import jinja2  # noqa: PLC0415 - only the benchmark needs it

        _BARE_TEMPLATE = jinja2.Environment(autoescape=True).from_string(BARE)
    tables = [b for b in document.walk() if isinstance(b, Table)]
    return _BARE_TEMPLATE.render(d=document, tables=tables).encode()


def best_of(
    repeat: int, work: Callable[[], object], before: Callable[[], object] = lambda: None
) -> float:
    times = []
    for _ in range(repeat):
        before()
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(size: int, staff: int, repeat: int, *, freeze: bool = False) -> dict[str, float]:
    """Time the baseline and every report on one generated trust of *size* schools.

    With *freeze*, the loaded trust is moved out of the cyclic garbage collector's reach
    (`gc.freeze`), as a long-running process that loads a trust once would do: on large heaps
    the collector's full passes otherwise add a cost that grows faster than the data.
    """
    data = generate_trust(size, staff)
    gc.collect()
    if freeze:
        gc.freeze()
    row = {"baseline": best_of(repeat, lambda: baseline(data))}
    for name in REPORT_NAMES:
        row[name] = best_of(repeat, lambda n=name: run(n, data, as_of=AS_OF).to_document())
    # The checker remembers recent results: "health" above is a repeated run (statements
    # unchanged); "health-cold" forgets them before each run, as a first report does.
    row["health-cold"] = best_of(
        repeat,
        lambda: run("health", data, as_of=AS_OF).to_document(),
        before=clear_memo,
    )
    # Without the objective checker: a no-op error checker, and the data-target point
    # (which reads the checker's verdicts) left out.
    unchecked = HealthPolicy(
        points=[p for p in default_health_points() if p.measure != "no_data_targets"]
    )
    row["health-nochk"] = best_of(
        repeat,
        lambda: run(
            "health", data, as_of=AS_OF, checker=lambda _o, _c: (), health_policy=unchecked
        ).to_document(),
    )
    documents = {name: run(name, data, as_of=AS_OF).to_document() for name in REPORT_NAMES}
    row["render-html"] = best_of(
        repeat, lambda: [render(document, "html") for document in documents.values()]
    )
    row["bare-jinja2"] = best_of(
        repeat, lambda: [bare_html(document) for document in documents.values()]
    )
    row["objectives"] = float(sum(len(c.objectives) for c in data.cycles))
    row["staff"] = float(len(data.staff))
    row["cpd"] = float(len(data.cpd))
    return row


def save_store(size: int, staff: int, path: str) -> None:
    """Generate a trust of *size* schools and save it in a new SQLite store at *path*."""
    data = generate_trust(size, staff)
    store = dc.open_store(f"sqlite:///{path}")
    with store.transaction() as tx:
        if data.trust is not None:
            tx.trusts.add(data.trust)
        for school in data.schools:
            tx.schools.add(school)
        tx.staff.add_all(data.staff)
        tx.cycles.add_all(data.cycles)
        tx.cpd.add_all(data.cpd)
        tx.commit()


def floor_from_store(path: str) -> dict[str, float]:
    """The floor: every stored document read with sqlite3 and json, and the bare pass on dicts."""
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    documents: dict[str, list[dict[str, Any]]] = {}
    for table in ("schools", "staff", "cycles", "cpd_activities"):
        rows = connection.execute(f"SELECT document FROM devcycle_{table} ORDER BY tenant, id")
        documents[table] = [json.loads(document)["data"] for (document,) in rows]
    connection.close()
    stale = 0
    for cycle in documents["cycles"]:
        start = date.fromisoformat(str(cycle["period_start"]))
        for objective in cycle["objectives"]:
            deadline = date.fromisoformat(objective.get("deadline") or str(cycle["period_end"]))
            last = max((c["on"] for c in objective.get("check_ins", ())), default=None)
            last_day = date.fromisoformat(last) if last else start
            elapsed = (AS_OF - start).days / max((deadline - start).days, 1)
            if (AS_OF - last_day).days > 42 or elapsed > 1:
                stale += 1
    return {"total": time.perf_counter() - started, "stale": float(stale)}


def reports_from_store(path: str, *, health: bool) -> dict[str, float]:
    """Every report end to end from the store: load, compute, build the document, render HTML."""
    clear_memo()
    row: dict[str, float] = {}
    started = time.perf_counter()
    store = dc.open_store(f"sqlite:///{path}")
    with store.transaction() as tx:
        data = ReportData.from_store(tx)
    row["load"] = time.perf_counter() - started
    for name in REPORT_NAMES:
        if name == "health" and not health:
            continue
        began = time.perf_counter()
        render(run(name, data, as_of=AS_OF).to_document(), "html")
        row[name] = time.perf_counter() - began
    row["total"] = time.perf_counter() - started
    return row


def _peak_rss_mib() -> float:
    """This process's peak resident memory in MiB.

    On Linux it is read from ``VmHWM``, which starts afresh at ``exec``; ``ru_maxrss`` would
    carry over the parent's peak (the parent generated the largest trust).
    """
    try:
        with Path("/proc/self/status").open() as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: KiB on Linux, bytes on macOS
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20


def from_store_main(args: argparse.Namespace) -> int:
    """Interleaved rounds of the floor and devcycle, end to end from a SQLite store."""
    sizes = [int(s) for s in args.schools.split(",")]
    print(
        f"devcycle {devcycle.__version__}, attrs {metadata.version('attrs')}, "
        f"cattrs {metadata.version('cattrs')}, SQLite {sqlite3.sqlite_version}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores"
    )
    print(
        f"trusts of {sizes} schools x {args.staff} staff, saved in SQLite; every report "
        f"{'(health with a cold checker) ' if args.health else '(without health) '}"
        f"from the store to HTML, each contestant in a fresh process; {args.rounds} "
        "interleaved rounds, medians; no gc.freeze()\n"
    )
    workdir = tempfile.mkdtemp(prefix="devcycle-bench-reports-")
    paths = {size: str(Path(workdir) / f"trust{size}.db") for size in sizes}
    stored: dict[int, tuple[float, float]] = {}
    for size in sizes:
        save_store(size, args.staff, paths[size])
        connection = sqlite3.connect(paths[size])
        document_bytes = sum(
            connection.execute(f"SELECT coalesce(sum(length(document)), 0) FROM {t}").fetchone()[0]
            for t in (
                "devcycle_schools",
                "devcycle_staff",
                "devcycle_cycles",
                "devcycle_cpd_activities",
            )
        )
        connection.close()
        stored[size] = (
            document_bytes / 2**20,
            sum(p.stat().st_size for p in Path(workdir).glob(f"trust{size}.db*")) / 2**20,
        )
    runs: dict[tuple[int, str], list[dict[str, float]]] = {}
    for round_ in range(args.rounds):
        order = sizes if round_ % 2 == 0 else sizes[::-1]
        for size in order:
            contestants = ["floor", "devcycle"] if round_ % 2 == 0 else ["devcycle", "floor"]
            for who in contestants:
                command = [sys.executable, __file__, "--store-one", paths[size], "--who", who]
                if not args.health:
                    command.append("--no-health")
                output = subprocess.run(command, capture_output=True, text=True, check=True)
                runs.setdefault((size, who), []).append(json.loads(output.stdout))

    def median(size: int, who: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[size, who])

    names = ["load", *(n for n in REPORT_NAMES if args.health or n != "health"), "total"]
    print("seconds, median over rounds (ms per school in brackets):")
    print("step          " + "".join(f"{s:>18}" for s in sizes))
    for name in names:
        cells = "".join(
            f"{median(s, 'devcycle', name):>9.3f} ({1000 * median(s, 'devcycle', name) / s:5.0f})"
            for s in sizes
        )
        print(f"{name:<14}{cells}")
    print(
        "floor         "
        + "".join(
            f"{median(s, 'floor', 'total'):>9.3f} ({1000 * median(s, 'floor', 'total') / s:5.0f})"
            for s in sizes
        )
    )
    ratios = {
        s: [
            d["total"] / f["total"]
            for d, f in zip(runs[s, "devcycle"], runs[s, "floor"], strict=True)
        ]
        for s in sizes
    }
    print("\nend to end against the floor, within each round:")
    for s in sizes:
        print(
            f"  {s:>3} schools: median {statistics.median(ratios[s]):.1f}x, least "
            f"{min(ratios[s]):.1f}x"
        )
    smallest, largest = sizes[0], sizes[-1]
    print(
        f"\ngrowth {smallest} -> {largest} schools (linear would be "
        f"{largest / smallest:.1f}x), medians:"
    )
    for name in names:
        growth = median(largest, "devcycle", name) / median(smallest, "devcycle", name)
        print(f"  {name:<12} {growth:5.1f}x")
    floor_growth = median(largest, "floor", "total") / median(smallest, "floor", "total")
    print(f"  {'floor':<12} {floor_growth:5.1f}x")
    print("\npeak RSS (MiB, median) against the stored documents:")
    for s in sizes:
        docs, db = stored[s]
        rss = median(s, "devcycle", "rss")
        print(
            f"  {s:>3} schools: documents {docs:6.1f} MiB (database file {db:6.1f} MiB); "
            f"devcycle {rss:6.1f} MiB ({rss / docs:.1f}x the documents), floor "
            f"{median(s, 'floor', 'rss'):6.1f} MiB (both include the interpreter and the imports)"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", default="5,10,25,50")
    parser.add_argument("--staff", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() the loaded trust before timing (as a long-running server would)",
    )
    parser.add_argument(
        "--from-store",
        action="store_true",
        help="every report end to end from a SQLite store, against a raw sqlite3+json floor",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-health", dest="health", action="store_false")
    parser.add_argument("--store-one", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--who", default="devcycle", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.store_one is not None:
        row = (
            floor_from_store(args.store_one)
            if args.who == "floor"
            else reports_from_store(args.store_one, health=args.health)
        )
        row["rss"] = _peak_rss_mib()
        print(json.dumps(row))
        return 0
    if args.from_store:
        if args.schools == "5,10,25,50":
            args.schools = "5,50"
        return from_store_main(args)
    if args.one is not None:
        print(json.dumps(measure(args.one, args.staff, args.repeat, freeze=args.gc_freeze)))
        return 0
    sizes = [int(s) for s in args.schools.split(",")]
    print(
        f"devcycle {devcycle.__version__}, attrs {metadata.version('attrs')}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores"
    )
    print(
        f"trusts of {sizes} schools x {args.staff} staff, 3 objectives each; as of {AS_OF}; "
        f"best of {args.repeat}, each size in a fresh process"
        + (", loaded trust gc.freeze()d\n" if args.gc_freeze else "\n")
    )
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        command = [
            sys.executable,
            __file__,
            "--one",
            str(size),
            "--staff",
            str(args.staff),
            "--repeat",
            str(args.repeat),
            *(["--gc-freeze"] if args.gc_freeze else []),
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        results[size] = json.loads(output)
        row = results[size]
        print(
            f"{size:>3} schools: {int(row['staff']):>6} staff, {int(row['objectives']):>6} "
            f"objectives, {int(row['cpd']):>5} CPD activities"
        )
    names = [
        "baseline",
        *REPORT_NAMES,
        "health-cold",
        "health-nochk",
        "render-html",
        "bare-jinja2",
    ]
    print(
        "\nseconds per run (report + its Document), whole trust "
        "(health: a repeated run, unchanged statements remembered by the checker; health-cold: "
        "the checker's memory cleared first; health-nochk: the objective checker switched off):"
    )
    print("report        " + "".join(f"{s:>9}" for s in sizes) + "   ms per school at each size")
    for name in names:
        cells = "".join(f"{results[s][name]:>9.3f}" for s in sizes)
        per = " ".join(f"{1000 * results[s][name] / s:6.1f}" for s in sizes)
        print(f"{name:<14}{cells}   {per}")
    largest, smallest = sizes[-1], sizes[0]
    print(f"\ngrowth {smallest} -> {largest} schools (linear would be {largest / smallest:.1f}x):")
    for name in names:
        growth = results[largest][name] / results[smallest][name]
        print(f"  {name:<12} {growth:5.1f}x")
    ratio = results[largest]["progress"] / results[largest]["baseline"]
    print(f"\nprogress report vs the bare baseline at {largest} schools: {ratio:.1f}x")
    for size in sizes:
        html = results[size]["render-html"] / results[size]["bare-jinja2"]
        print(
            f"every report's HTML (charts included) vs a bare Jinja2 table template, "
            f"{size} schools: {html:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
