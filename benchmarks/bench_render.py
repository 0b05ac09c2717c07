"""Proformas for a whole generated school and trust, against bare Jinja2 and bare python-docx.

Workload 2 of the benchmark brief (docs/explanation/performance.md) (the proforma part). The
generated trust of bench_reports.py (N schools x 120 staff, a year's cycle each, three
objectives with check-ins, evidence, observations and review meetings) gets a final-review
proforma for every person: built with `devcycle.proforma.build_proformas` (checker off: this
measures documents, not the checker) and rendered to HTML and to Word. The baselines,
measured in the same run on the same data, write the same content straight from the cycles:
one bare Jinja2 template (autoescaped), and bare python-docx calls (headings, paragraphs,
one table per objective). Target: within 1.5x.

Each round times every contestant once, interleaved (the order rotates each round), in CPU
time; the ratio is taken within each round and reported as the median and the least over
the rounds, since these machines are shared and absolute times drift. Building the document
(the proforma's data gathering and the document model) is included on devcycle's side, as
the baseline gathers its data too. Both sides compile their templates once, before timing.
--memory adds the peak Python memory (tracemalloc) of one untimed run of each.

Run: python benchmarks/bench_render.py [--schools 1,5] [--staff 120] [--rounds 5]
     [--formats html,docx] [--memory]
"""

from __future__ import annotations

import argparse
import functools
import gc
import io
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import attrs
import docx
import jinja2
import markupsafe
from bench_reports import AS_OF, generate_trust

import devcycle
from devcycle.domain import Cycle
from devcycle.proforma import build_proformas
from devcycle.render import get_renderer
from devcycle.reports import ReportData

_BARE_TEMPLATE = (Path(__file__).parent / "bare_final.html.j2").read_text(encoding="utf-8")
"""The same page devcycle writes for a final review, written by hand as one template."""


def _css() -> str:
    """The stylesheet devcycle's page carries, so both pages are the same size."""
    text = (
        resources.files("devcycle.render")
        .joinpath("templates", "document.html.j2")
        .read_text(encoding="utf-8")
    )
    return text[text.index("<style>") + len("<style>") : text.index("{{ css }}")]


def _facts(cycle: Cycle, names: dict[str, str]) -> dict[str, Any]:
    review = next((r for r in reversed(cycle.reviews) if r.kind.value == "final"), None)
    if review is None and cycle.reviews:
        review = cycle.reviews[-1]
    evidence = {
        o.id: "; ".join(e.description for e in cycle.evidence if o.id in e.objective_ids)
        for o in cycle.objectives
    }
    return {
        "name": names.get(cycle.staff_id, cycle.staff_id),
        "reviewer": names.get(cycle.reviewer_id or "", cycle.reviewer_id or ""),
        "school": cycle.school_id,
        "as_of": AS_OF.isoformat(),
        "header": [
            ("Reviewee", names.get(cycle.staff_id, cycle.staff_id)),
            ("Reviewer", names.get(cycle.reviewer_id or "", cycle.reviewer_id or "")),
            ("School", cycle.school_id),
            ("Cycle", f"{cycle.period_start} to {cycle.period_end}"),
            ("As of", AS_OF.isoformat()),
            ("Prepared for", "reviewer"),
        ],
        "objectives": cycle.live_objectives,
        "evidence": evidence,
        "needs": [n for o in cycle.observations for n in o.cpd_needs],
        "talk": attrs.asdict(review.conversation) if review is not None else None,
    }


@functools.cache
def _bare_template() -> jinja2.Template:
    """The bare template, compiled once (as devcycle compiles its own once per process)."""
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return environment.from_string(_BARE_TEMPLATE)


def bare_jinja(data: ReportData) -> int:
    template = _bare_template()
    # The stylesheet is trusted text, as devcycle's is: escaped, it would be broken CSS
    # (&#34;Segoe UI&#34;) and cost the baseline an escape of 2.8 KB per page.
    css = markupsafe.Markup(_css())
    names = {m.id: m.name for m in data.staff}
    total = 0
    for cycle in data.cycles:
        facts = _facts(cycle, names)
        total += len(template.render(facts, css=css).encode("utf-8"))
    return total


def bare_docx(data: ReportData) -> int:
    names = {m.id: m.name for m in data.staff}
    total = 0
    for cycle in data.cycles:
        facts = _facts(cycle, names)
        word = docx.Document()
        word.add_heading("Final review", 0)
        word.add_paragraph(facts["name"])
        header = word.add_table(rows=4, cols=2)
        for row, (label, value) in zip(
            header.rows,
            [
                ("Reviewee", facts["name"]),
                ("Reviewer", facts["reviewer"]),
                ("School", facts["school"]),
                ("As of", facts["as_of"]),
            ],
            strict=True,
        ):
            row.cells[0].text, row.cells[1].text = label, value
        word.add_heading("Objectives: outcome, impact and evidence", 1)
        for number, objective in enumerate(facts["objectives"], start=1):
            word.add_heading(f"Objective {number}", 2)
            word.add_paragraph(objective.statement)
            for criterion in objective.success_criteria:
                word.add_paragraph(criterion.text, style="List Bullet")
            evaluation = objective.evaluation
            table = word.add_table(rows=4, cols=2)
            values = [
                ("Outcome", evaluation.outcome.value if evaluation else ""),
                ("Impact", evaluation.impact if evaluation else ""),
                ("Evidence", facts["evidence"][objective.id]),
                ("What was learned", evaluation.learning if evaluation else ""),
            ]
            for row, (label, value) in zip(table.rows, values, strict=True):
                row.cells[0].text, row.cells[1].text = label, value
        word.add_heading("Development needs for next cycle", 1)
        for need in facts["needs"]:
            word.add_paragraph(need, style="List Bullet")
        word.add_heading("Wellbeing, workload and career", 1)
        talk = facts["talk"] or {}
        for label in ("wellbeing", "workload", "career"):
            word.add_paragraph(f"{label.capitalize()}: {talk.get(label, '')}")
        word.add_heading("Signatures", 1)
        signatures = word.add_table(rows=3, cols=4)
        for cell, text in zip(
            signatures.rows[0].cells, ("Role", "Name", "Signature", "Date"), strict=True
        ):
            cell.text = text
        signatures.rows[1].cells[0].text = "Reviewee"
        signatures.rows[2].cells[0].text = "Reviewer"
        stream = io.BytesIO()
        word.save(stream)
        total += len(stream.getvalue())
    return total


def devcycle_proformas(data: ReportData, fmt: str | None) -> int:
    """Build every final-review proforma and render it in *fmt* (None: build only)."""
    renderer = get_renderer(fmt) if fmt is not None else None
    documents = build_proformas(
        data.cycles,
        "final",
        audience="reviewer",
        as_of=AS_OF,
        schools=data.schools,
        staff=data.staff,
        cpd=data.cpd,
        check=False,
    )
    total = 0
    for document in documents:
        total += len(renderer.render(document)) if renderer is not None else len(document.body)
    return total


def cpu_time(work: Callable[[], object]) -> float:
    """The CPU time of one run (CPU time: these machines are shared and noisy)."""
    started = time.process_time()
    work()
    return time.process_time() - started


def peak_memory(work: Callable[[], object]) -> int:
    """The peak of memory allocated by Python during one run of *work*, in bytes."""
    gc.collect()
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _ratios(ours: list[float], theirs: list[float]) -> str:
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    return f"median {statistics.median(ratios):.2f}x, min {min(ratios):.2f}x"


def measure(data: ReportData, rounds: int, formats: list[str]) -> dict[str, list[float]]:
    """Time every contestant once per round, interleaved, rotating the order each round."""
    contestants: dict[str, Callable[[], object]] = {"build": lambda: devcycle_proformas(data, None)}
    if "html" in formats:
        contestants["html"] = lambda: devcycle_proformas(data, "html")
        contestants["jinja"] = lambda: bare_jinja(data)
    if "docx" in formats:
        contestants["word"] = lambda: devcycle_proformas(data, "docx")
        contestants["bare_docx"] = lambda: bare_docx(data)
    for work in contestants.values():  # warm up: imports, caches, template compilation
        work()
    times: dict[str, list[float]] = {name: [] for name in contestants}
    names = list(contestants)
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(cpu_time(contestants[name]))
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--schools", default="1,5")
    parser.add_argument("--staff", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--formats", default="html,docx", help="html, docx or both")
    parser.add_argument("--memory", action="store_true", help="also the peak memory of one run")
    args = parser.parse_args(argv)
    formats = args.formats.split(",")
    print(
        f"devcycle {devcycle.__version__}, Jinja2 {metadata.version('jinja2')}, "
        f"python-docx {metadata.version('python-docx')}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores; {args.rounds} interleaved rounds "
        f"(CPU time); as of {AS_OF}"
    )
    for size in (int(s) for s in args.schools.split(",")):
        data = generate_trust(size, args.staff)
        people = len(data.cycles)
        times = measure(data, args.rounds, formats)
        median = {name: statistics.median(values) for name, values in times.items()}
        print(f"\n{size} school(s) x {args.staff} staff, {people} proformas (final review):")
        if "html" in formats:
            html, jinja = median["html"], median["jinja"]
            print(
                f"  HTML: devcycle {html:.3f} s, bare Jinja2 {jinja:.3f} s (medians); ratio "
                f"{_ratios(times['html'], times['jinja'])}"
            )
            print(
                f"    building the documents alone: {median['build']:.3f} s, "
                f"{_ratios(times['build'], times['jinja'])} of bare Jinja2"
            )
            print(
                f"    per proforma: devcycle {1000 * html / people:.3f} ms, "
                f"bare {1000 * jinja / people:.3f} ms"
            )
        if "docx" in formats:
            word, bare = median["word"], median["bare_docx"]
            print(
                f"  Word: devcycle {word:.3f} s, bare python-docx {bare:.3f} s (medians); ratio "
                f"{_ratios(times['word'], times['bare_docx'])}"
            )
            print(
                f"    per proforma: devcycle {1000 * word / people:.1f} ms, "
                f"bare {1000 * bare / people:.1f} ms"
            )
        if args.memory:
            mib = 1024 * 1024
            pairs = [("html", "jinja")] if "html" in formats else []
            pairs += [("docx", "bare_docx")] if "docx" in formats else []
            for ours, theirs in pairs:
                fmt = ours
                mine = peak_memory(lambda d=data, f=fmt: devcycle_proformas(d, f))
                bare_work = bare_jinja if theirs == "jinja" else bare_docx
                base = peak_memory(lambda d=data, w=bare_work: w(d))
                print(
                    f"  peak Python memory, {ours}: devcycle {mine / mib:.1f} MiB, "
                    f"bare {base / mib:.1f} MiB (tracemalloc, one run)"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
