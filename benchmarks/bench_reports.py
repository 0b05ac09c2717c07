"""Every report on a generated trust, and how the time grows from 5 to 50 schools.

Workload 2 of benchmarks.md (the reports part). A trust of N schools x 120 staff is generated
with a fixed seed: a year's cycle for everyone (three objectives each, agreed, with check-ins,
evidence, observations, review meetings and milestones) and the schools' CPD (a dozen
activities each, linked to objectives, with impact records). Each report runs over the whole
trust (and the health check runs the objective checker on every objective), then builds its
`Document`. The baseline, measured in the same run, is one bare pass over the same data doing
the least any RAG report must: each objective's latest check-in and the time elapsed to its
deadline. Target: linear growth from 5 to 50 schools (time per school roughly flat). The
rendering of every report's document to HTML (charts as inline SVG) is timed against a bare
Jinja2 template printing the same documents' tables, in the same run.

Run: python benchmarks/bench_reports.py [--schools 5,10,25,50] [--staff 120] [--repeat 3]
     [--gc-freeze]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from importlib import metadata

import devcycle
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
    args = parser.parse_args(argv)
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
