"""Properties over trusts whose schools reuse every id: a trust run is the per-school runs side
by side (issue 11, item 1).

Each generated school has staff "s1", "s2"..., cycles "c-s1"..., CPD "cpd-0"..., teams "t1"...
named alike and priorities "P1"...; each readable text ends with "[school_id]". For every
report, the bundle export and every proforma, the trust's result must hold each school's rows
exactly as that school's own run has them, nothing of one school in another's rows, and totals
that are the sum of the schools' totals.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

import attrs
from hypothesis import given, settings
from tests.reports.strategies import as_of_dates, one_school, shared_id_trusts

from devcycle.document import Document, Section, Table
from devcycle.domain import Audience
from devcycle.proforma import build_proforma
from devcycle.reports import (
    REPORT_NAMES,
    ReportData,
    balance,
    coverage,
    health,
    impact,
    needs,
    overdue,
    progress,
    run,
    workload,
)
from devcycle.storage import open_store
from devcycle.storage.bundle import export_bundle

_MARK = re.compile(r"\[(sch\d+)\]")


def _each_school(data: ReportData) -> list[tuple[str, ReportData]]:
    return [(s.id, one_school(data, s.id)) for s in data.schools]


def _bag(items: Iterable[Any]) -> Counter[str]:
    return Counter(repr(i) for i in items)


def _groups(report: Any) -> dict[tuple[str, str | None, str], Any]:
    return {(g.group.kind, g.group.school_id, g.group.id): g for g in report.groups}


def _tables(document: Document) -> list[Table]:
    found: list[Table] = []

    def walk(blocks: Iterable[object]) -> None:
        for block in blocks:
            if isinstance(block, Table):
                found.append(block)
            elif isinstance(block, Section):
                walk(block.blocks)

    walk(document.body)
    return found


@settings(max_examples=40)
@given(shared_id_trusts(), as_of_dates)
def test_every_report_on_the_trust_is_the_schools_reports_side_by_side(
    data: ReportData, as_of: date
) -> None:
    """People, groups, objectives, activities and needs of the trust are each school's own."""
    parts = _each_school(data)
    trust = {
        "progress": progress(data, as_of=as_of),
        "coverage": coverage(data, as_of=as_of),
        "balance": balance(data, as_of=as_of),
        "workload": workload(data, as_of=as_of),
        "overdue": overdue(data, as_of=as_of),
        "impact": impact(data, as_of=as_of),
        "needs": needs(data, as_of=as_of),
    }
    alone = {
        "progress": [progress(d, as_of=as_of) for _, d in parts],
        "coverage": [coverage(d, as_of=as_of) for _, d in parts],
        "balance": [balance(d, as_of=as_of) for _, d in parts],
        "workload": [workload(d, as_of=as_of) for _, d in parts],
        "overdue": [overdue(d, as_of=as_of) for _, d in parts],
        "impact": [impact(d, as_of=as_of) for _, d in parts],
        "needs": [needs(d, as_of=as_of) for _, d in parts],
    }

    for name in ("progress", "coverage", "balance", "workload", "overdue"):
        rows = {(p.school_id, p.staff_id): p for p in trust[name].people}
        expected = {(p.school_id, p.staff_id): p for r in alone[name] for p in r.people}
        assert expected == rows, name
        groups = _groups(trust[name])
        for report in alone[name]:
            for key, group in _groups(report).items():
                if key[0] != "trust":
                    assert (
                        attrs.astuple(group, recurse=False)[1:]
                        == attrs.astuple(groups[key], recurse=False)[1:]
                    ), (name, key)
                    assert group.group.members == groups[key].group.members
    assert dict(trust["impact"].people) == {k: v for r in alone["impact"] for k, v in r.people}

    assert _bag(trust["progress"].stale) == _bag(o for r in alone["progress"] for o in r.stale)
    assert _bag(trust["progress"].lapsed) == _bag(o for r in alone["progress"] for o in r.lapsed)
    assert trust["progress"].total == sum(
        (r.total for r in alone["progress"]), type(trust["progress"].total)()
    )
    assert trust["coverage"].total == sum(
        (r.total for r in alone["coverage"]), type(trust["coverage"].total)()
    )
    for field in ("priorities", "unlinked_cpd", "untagged_evidence"):
        assert _bag(getattr(trust["coverage"], field)) == _bag(
            x for r in alone["coverage"] for x in getattr(r, field)
        ), field
    by_standard: Counter[str] = Counter()
    for report in alone["coverage"]:
        for standard in report.standards:
            by_standard[standard.standard_id] += standard.objectives
    assert {s.standard_id: s.objectives for s in trust["coverage"].standards} == dict(by_standard)
    assert _bag(trust["overdue"].upcoming) == _bag(e for r in alone["overdue"] for e in r.upcoming)
    assert _bag(trust["impact"].activities) == _bag(
        a for r in alone["impact"] for a in r.activities
    )
    for field in (
        "needs",
        "plan",
        "leaders",
        "met",
        "by_team",
        "by_standard",
        "by_theme",
        "person_counts",
    ):
        assert _bag(getattr(trust["needs"], field)) == _bag(
            x for r in alone["needs"] for x in getattr(r, field)
        ), field


@settings(max_examples=25)
@given(shared_id_trusts(), as_of_dates)
def test_the_health_check_of_the_trust_adds_up_its_schools(data: ReportData, as_of: date) -> None:
    """Every health point's met and total figures are the sums of the schools'."""
    trust = health(data, as_of=as_of, checker=lambda o, c: ())
    alone = [health(d, as_of=as_of, checker=lambda o, c: ()) for _, d in _each_school(data)]

    for item in trust.items:
        same = [i for r in alone for i in r.items if i.id == item.id]
        assert item.met == sum(i.met for i in same), item.id
        assert item.total == sum(i.total for i in same), item.id


@settings(max_examples=25)
@given(shared_id_trusts(), as_of_dates)
def test_no_row_of_a_trust_document_holds_another_schools_records(
    data: ReportData, as_of: date
) -> None:
    """Every row of every table names its school, and every text in it is that school's."""
    names = {s.name: s.id for s in data.schools}
    for name in REPORT_NAMES:
        if name == "health":
            continue
        document = run(name, data, as_of=as_of).to_document()
        for table in _tables(document):
            marked = [r for r in table.rows if _MARK.search(" ".join(r))]
            if not marked:
                continue
            assert "School" in table.columns, (name, table.caption)
            column = table.columns.index("School")
            for row in marked:
                school = names.get(row[column])
                assert school is not None, (name, table.caption, row)
                assert set(_MARK.findall(" ".join(row))) == {school}, (name, table.caption, row)


def _bundle_rows(bundle: dict[str, Any]) -> Counter[str]:
    return Counter(
        f"{section}:{json.dumps(entry, sort_keys=True, default=str)}"
        for section, entries in bundle["data"].items()
        if section != "trusts"
        for entry in entries
    )


@settings(max_examples=15)
@given(shared_id_trusts())
def test_the_trust_export_is_the_schools_exports_together(data: ReportData) -> None:
    """Exporting the trust gives each school's staff, cycles and CPD exactly once."""
    with open_store("memory://") as store:
        with store.transaction() as tx:
            for school in data.schools:
                tx.schools.add(school)
            for member in data.staff:
                tx.staff.add(member)
            for cycle in data.cycles:
                tx.cycles.add(cycle)
            for activity in data.cpd:
                tx.cpd.add(activity)
            tx.commit()
        whole = _bundle_rows(export_bundle(store))
        parts: Counter[str] = Counter()
        for school in data.schools:
            parts += _bundle_rows(export_bundle(store, school_ids=[school.id]))

    assert parts == whole


@settings(max_examples=15)
@given(shared_id_trusts(), as_of_dates)
def test_a_proforma_given_the_trust_is_the_one_given_its_school(
    data: ReportData, as_of: date
) -> None:
    """Every cycle's proforma reads the same with the whole trust's staff and CPD as with its
    school's alone."""
    for cycle in data.cycles:
        school = next(s for s in data.schools if s.id == cycle.school_id)
        own = one_school(data, school.id)
        for stage in ("planning", "cpd_log"):
            with_trust = build_proforma(
                cycle,
                stage,
                audience=Audience.REVIEWER,
                as_of=as_of,
                school=school,
                staff=data.staff,
                cpd=data.cpd,
                check=False,
            )
            alone = build_proforma(
                cycle,
                stage,
                audience=Audience.REVIEWER,
                as_of=as_of,
                school=school,
                staff=own.staff,
                cpd=own.cpd,
                check=False,
            )
            assert alone == with_trust
            text = "\n".join(with_trust.texts())
            assert set(_MARK.findall(text)) <= {school.id}
