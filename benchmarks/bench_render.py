"""Proformas for a whole generated school and trust, against bare Jinja2 and bare python-docx.

Workload 2 of benchmarks.md (the proforma part). The generated trust of bench_reports.py
(N schools x 120 staff, a year's cycle each, three objectives with check-ins, evidence,
observations and review meetings) gets a final-review proforma for every person: built with
`devcycle.proforma.build_proforma` (checker off: this measures documents, not the checker)
and rendered to HTML and to Word. The baselines, measured in the same run on the same data,
write the same content straight from the cycles: one bare Jinja2 template (autoescaped), and
bare python-docx calls (headings, paragraphs, one table per objective). Target: within 1.5x.

Times are the least CPU time of --repeat runs. Building the document (the proforma's data
gathering and the document model) is included on devcycle's side, as the baseline gathers
its data too.

Run: python benchmarks/bench_render.py [--schools 1,5] [--staff 120] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import date
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import attrs
import docx
import jinja2
from bench_reports import AS_OF, generate_trust

import devcycle
from devcycle.domain import Cycle, StaffMember
from devcycle.proforma import build_proforma
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


def bare_jinja(data: ReportData) -> int:
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = environment.from_string(_BARE_TEMPLATE)
    css = _css()
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
    schools = {s.id: s for s in data.schools}
    staff_by_school: dict[str, list[StaffMember]] = {}
    for member in data.staff:
        staff_by_school.setdefault(member.school_id, []).append(member)
    cpd_by_school: dict[str, list[Any]] = {}
    for activity in data.cpd:
        cpd_by_school.setdefault(activity.school_id, []).append(activity)
    total = 0
    for cycle in data.cycles:
        document = build_proforma(
            cycle,
            "final",
            audience="reviewer",
            as_of=AS_OF,
            school=schools[cycle.school_id],
            staff=staff_by_school[cycle.school_id],
            cpd=cpd_by_school.get(cycle.school_id, ()),
            check=False,
        )
        total += len(renderer.render(document)) if renderer is not None else len(document.body)
    return total


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The least CPU time of *repeat* runs (CPU time: these machines are shared and noisy)."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--schools", default="1,5")
    parser.add_argument("--staff", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(
        f"devcycle {devcycle.__version__}, Jinja2 {metadata.version('jinja2')}, "
        f"python-docx {metadata.version('python-docx')}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores; best of {args.repeat}; as of {AS_OF} ({date(2027, 2, 12)})"
    )
    for size in (int(s) for s in args.schools.split(",")):
        data = generate_trust(size, args.staff)
        people = len(data.cycles)
        build = best_of(args.repeat, lambda d=data: devcycle_proformas(d, None))
        html = best_of(args.repeat, lambda d=data: devcycle_proformas(d, "html"))
        jinja = best_of(args.repeat, lambda d=data: bare_jinja(d))
        word = best_of(args.repeat, lambda d=data: devcycle_proformas(d, "docx"))
        bare = best_of(args.repeat, lambda d=data: bare_docx(d))
        print(f"\n{size} school(s), {people} proformas (final review, every person):")
        print(f"  HTML: devcycle {html:.3f} s, bare Jinja2 {jinja:.3f} s: {html / jinja:.2f}x")
        print(f"  Word: devcycle {word:.3f} s, bare python-docx {bare:.3f} s: {word / bare:.2f}x")
        each_html, each_word = 1000 * html / people, 1000 * word / people
        print(f"  per proforma: HTML {each_html:.2f} ms, Word {each_word:.1f} ms")
        print(f"  of which building the documents (no rendering): {build:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
