"""The other reports treat a cycle ended on leaving as ended, as the health check does.

An ended cycle is locked: nothing in it can be linked, rationalised, moderated or trained
for any more, so it is in no count, gap or finding of the coverage, balance, sets,
meetings, moderation, needs and priorities reports. The person stays listed where a
report lists everyone (coverage, balance, sets), with their cycle and nothing counted.

Little Brook (tests/reports/school.py): Ben Bell (B) leaves on 10 February 2027 and his
cycle is ended that day; the reports are run on his last day, the last on which he is
on the staff. The trust (tests/reports/trust.py): both schools have a T1; North's leaves
and her cycle is ended, South's stays.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.domain import Cycle, ObjectiveRef
from devcycle.render import render
from devcycle.reports import (
    REPORT_NAMES,
    BalanceCounts,
    CoverageCounts,
    ReportData,
    SetCounts,
    balance,
    coverage,
    health,
    meetings,
    moderation,
    needs,
    objective_sets,
    priorities,
    run,
    workload,
)

from . import trust
from .school import build

BEN_LEFT = date(2027, 2, 10)


def _little_brook(*, end: bool) -> ReportData:
    """Ben left on 10 February; with *end*, his cycle was ended that day."""
    data = build()
    staff = tuple(attrs.evolve(p, leaving_date=BEN_LEFT) if p.id == "B" else p for p in data.staff)
    cycles = []
    for stored in data.cycles:
        cycle = attrs.evolve(stored)
        if end and cycle.staff_id == "B":
            cycle.end_on_leaving(by="H", on=BEN_LEFT, left_on=BEN_LEFT, note="Left.")
        cycles.append(cycle)
    return attrs.evolve(data, staff=staff, cycles=tuple(cycles))


def _row(report: object, staff_id: str, school_id: str = "lb") -> object:
    return next(
        p
        for p in report.people  # type: ignore[attr-defined]
        if (p.school_id, p.staff_id) == (school_id, staff_id)
    )


def test_coverage_lists_no_gaps_of_an_ended_cycle() -> None:
    """Ben's objective with no support linked is not a gap to close: his cycle was ended."""
    before = coverage(_little_brook(end=False), as_of=BEN_LEFT)
    after = coverage(_little_brook(end=True), as_of=BEN_LEFT)

    assert [g.staff_id for g in before.gaps if g.staff_id == "B"]  # open: a gap
    ben = _row(after, "B")
    assert ben.cycle_id == "c-B"  # type: ignore[attr-defined]
    assert ben.counts == CoverageCounts()  # type: ignore[attr-defined]
    assert ben.gaps == ()  # type: ignore[attr-defined]
    assert not any(g.staff_id == "B" for g in after.gaps)
    # his objectives no longer serve the school's priorities
    p1_before = next(p for p in before.priorities if p.priority_id == "P1")
    p1_after = next(p for p in after.priorities if p.priority_id == "P1")
    assert "B" in p1_before.staff_ids
    assert p1_after.staff_ids == ("A",)
    # everyone else is counted as before
    assert [p for p in after.people if p.staff_id != "B"] == [
        p for p in before.people if p.staff_id != "B"
    ]


def test_balance_finds_nothing_in_an_ended_cycle() -> None:
    before = _row(balance(_little_brook(end=False), as_of=BEN_LEFT), "B")
    after = _row(balance(_little_brook(end=True), as_of=BEN_LEFT), "B")

    assert before.counts.total_hours  # type: ignore[attr-defined]
    assert after.counts == BalanceCounts()  # type: ignore[attr-defined]
    assert after.findings == ()  # type: ignore[attr-defined]


def test_the_sets_report_leaves_an_ended_cycle_out() -> None:
    before = objective_sets(_little_brook(end=False), as_of=BEN_LEFT)
    after = objective_sets(_little_brook(end=True), as_of=BEN_LEFT)

    assert _row(before, "B").counts.objectives  # type: ignore[attr-defined]
    ben = _row(after, "B")
    assert ben.counts == SetCounts()  # type: ignore[attr-defined]
    assert ben.findings == ()  # type: ignore[attr-defined]
    school = next(g for g in after.groups if g.group.kind == "school")
    assert school.counts.people == 2  # Ann and Cat; not Ben


def test_meetings_ask_nothing_of_an_ended_cycle() -> None:
    """A locked cycle's objectives cannot be given a rationale: no finding, no row."""
    before = meetings(_little_brook(end=False), as_of=BEN_LEFT)
    after = meetings(_little_brook(end=True), as_of=BEN_LEFT)

    assert any(f.staff_id == "B" for f in before.findings)
    assert not any(f.staff_id == "B" for f in after.findings)
    assert [r.id for r in after.people] == ["A", "C"]
    assert [r.id for r in after.reviewers] == ["B", "H"]  # Ann reviewed only Ben
    assert [r.id for r in before.reviewers] == ["A", "B", "H"]


def test_moderation_does_not_count_an_ended_cycle_against_its_reviewer() -> None:
    before = moderation(_little_brook(end=False), as_of=BEN_LEFT)
    after = moderation(_little_brook(end=True), as_of=BEN_LEFT)

    assert [r.id for r in before.reviewers] == ["A", "B", "H"]
    assert [r.id for r in after.reviewers] == ["B", "H"]
    school = next(r for r in after.groups if r.kind == "school")
    assert school.counts.reviewees == 2


def test_no_training_is_planned_for_an_ended_cycle() -> None:
    before = needs(_little_brook(end=False), as_of=BEN_LEFT)
    after = needs(_little_brook(end=True), as_of=BEN_LEFT)

    assert any("B" in n.staff_ids for n in before.needs if n.school_id == "lb")
    assert not any("B" in n.staff_ids for n in after.needs)


def test_priorities_are_not_served_by_an_ended_cycle() -> None:
    before = priorities(_little_brook(end=False), as_of=BEN_LEFT)
    after = priorities(_little_brook(end=True), as_of=BEN_LEFT)

    def holders(report: object) -> set[str]:
        return {o.staff_id for p in report.priorities for o in p.objectives}  # type: ignore[attr-defined]

    assert "B" in holders(before)
    assert "B" not in holders(after)


# A trust of two schools, each with a T1: North's leaves on 1 February 2027 and her cycle is
# ended; South's T1, with the same id, keeps her open cycle and is counted as before.

NORTH_LEFT = trust.AS_OF


def _trust(*, end: bool) -> ReportData:
    data = trust.build()
    north_t1 = Cycle(
        id="c-T1",
        school_id="north",
        staff_id="T1",
        reviewer_id="T2",
        period_start=trust.START,
        period_end=trust.END,
    )
    north_t1.start_planning(by="T2", on=date(2026, 9, 10))
    north_t1.propose_objective(
        by="T1", on=date(2026, 9, 20), statement="Teach fractions with the bar model."
    )
    north_t1.agree_objective("obj-1", by="T2", on=date(2026, 10, 1))
    north_t1.activate(by="T2", on=date(2026, 10, 1))
    if end:
        north_t1.end_on_leaving(by="T2", on=NORTH_LEFT, left_on=NORTH_LEFT)
    staff = tuple(
        attrs.evolve(p, leaving_date=NORTH_LEFT) if (p.school_id, p.id) == ("north", "T1") else p
        for p in data.staff
    )
    return attrs.evolve(data, staff=staff, cycles=(north_t1, *data.cycles))


def test_a_trust_leaves_out_only_the_school_whose_t1_cycle_was_ended() -> None:
    before = {n: run(n, _trust(end=False), as_of=NORTH_LEFT) for n in ("coverage", "sets")}
    after = {n: run(n, _trust(end=True), as_of=NORTH_LEFT) for n in ("coverage", "sets")}

    assert _row(before["coverage"], "T1", "north").counts.objectives == 1  # type: ignore[attr-defined]
    assert _row(after["coverage"], "T1", "north").counts == CoverageCounts()  # type: ignore[attr-defined]
    assert _row(after["sets"], "T1", "north").counts == SetCounts()  # type: ignore[attr-defined]
    for name in ("coverage", "sets"):
        assert _row(after[name], "T1", "south") == _row(before[name], "T1", "south")
        assert _row(after[name], "T1", "south").counts.objectives == 1  # type: ignore[attr-defined]

    met = meetings(_trust(end=True), as_of=NORTH_LEFT)
    assert [(r.school_id, r.id) for r in met.people if r.id == "T1"] == [("south", "T1")]
    assert [(f.school_id, f.staff_id) for f in met.findings if f.staff_id == "T1"] == [
        ("south", "T1")
    ]
    mod = moderation(_trust(end=True), as_of=NORTH_LEFT)
    reviewers = {(r.school_id, r.id): r.counts.reviewees for r in mod.reviewers}
    assert reviewers == {("south", "T2"): 1}


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_every_report_runs_with_an_ended_cycle(name: str) -> None:
    """Each report renders a school and a trust holding an ended cycle."""
    for data, day in ((_little_brook(end=True), BEN_LEFT), (_trust(end=True), NORTH_LEFT)):
        assert run(name, data, as_of=day).to_document().body


def test_workload_plans_no_meeting_of_an_ended_cycle() -> None:
    """Ben's mid-year review (due 8 February) will never be held; what was held still counts."""
    before = workload(_little_brook(end=False), as_of=BEN_LEFT)
    after = workload(_little_brook(end=True), as_of=BEN_LEFT)

    ann_before, ann = _row(before, "A"), _row(after, "A")
    assert ann_before.reviews == 1  # type: ignore[attr-defined]
    assert ann.reviews == 0  # type: ignore[attr-defined]
    assert ann.counts.planned_hours < ann_before.counts.planned_hours  # type: ignore[attr-defined]
    assert _row(after, "B").counts.planned_hours == 0  # type: ignore[attr-defined]
    assert ann.counts.meeting_hours == ann_before.counts.meeting_hours  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "point",
    [
        "objectives-within-limit",
        "rationale-recorded",
        "linked-to-cpd",
        "linked-to-priority",
        "linked-to-standards",
        "objectives-agreed",
    ],
)
def test_the_health_check_counts_no_objective_of_an_ended_cycle(point: str) -> None:
    """As the coverage and meetings reports: Ben's ended cycle is in no health count."""
    before = next(
        i for i in health(_little_brook(end=False), as_of=BEN_LEFT).items if i.id == point
    )
    after = next(i for i in health(_little_brook(end=True), as_of=BEN_LEFT).items if i.id == point)

    assert after.total < before.total
    assert "Ben" not in after.evidence


@pytest.mark.parametrize("point", ["coaching-or-mentoring", "leaders-trained"])
def test_the_health_check_plans_nothing_for_someone_whose_cycle_was_ended(point: str) -> None:
    """A second trial: Ben (a team leader) was still "without coaching" and "untrained"
    on his last day, after his cycle was ended on leaving."""
    before = next(
        i for i in health(_little_brook(end=False), as_of=BEN_LEFT).items if i.id == point
    )
    after = next(i for i in health(_little_brook(end=True), as_of=BEN_LEFT).items if i.id == point)

    assert "Ben" in before.evidence
    assert "Ben" not in after.evidence
    assert after.total == before.total - 1


def test_the_needs_report_lists_no_own_needs_of_a_leader_whose_cycle_was_ended() -> None:
    before = needs(_little_brook(end=False), as_of=BEN_LEFT)
    after = needs(_little_brook(end=True), as_of=BEN_LEFT)

    assert "B" in [leader.staff_id for leader in before.leaders]
    assert "B" not in [leader.staff_id for leader in after.leaders]


def _ended_on_one_day(ended: frozenset[str]) -> ReportData:
    """Ann, Ben and Cat all leave on 10 February; the cycles of those in *ended* are ended."""
    data = build()
    staff = tuple(
        attrs.evolve(p, leaving_date=BEN_LEFT) if p.id in "ABC" else p for p in data.staff
    )
    cycles = []
    for stored in data.cycles:
        cycle = attrs.evolve(stored)
        if cycle.staff_id in ended:
            cycle.end_on_leaving(by="H", on=BEN_LEFT, left_on=BEN_LEFT)
        cycles.append(cycle)
    return attrs.evolve(data, staff=staff, cycles=tuple(cycles))


@settings(max_examples=8, deadline=None)
@given(ended=st.frozensets(st.sampled_from("ABC")))
def test_ending_some_cycles_changes_only_those_rows(ended: frozenset[str]) -> None:
    """Whoever's cycles are ended count for nothing; everyone else is counted as before."""
    open_data, data = _ended_on_one_day(frozenset()), _ended_on_one_day(ended)
    empty = {"coverage": CoverageCounts(), "balance": BalanceCounts(), "sets": SetCounts()}
    for name, zero in empty.items():
        before, after = run(name, open_data, as_of=BEN_LEFT), run(name, data, as_of=BEN_LEFT)
        for staff_id in "ABC":
            row = _row(after, staff_id)
            if staff_id in ended:
                assert row.counts == zero  # type: ignore[attr-defined]
                assert not getattr(row, "findings", getattr(row, "gaps", ()))
            else:
                assert row == _row(before, staff_id)
    people = meetings(data, as_of=BEN_LEFT).people
    assert [r.id for r in people] == [s for s in "ABC" if s not in ended]


def test_cpd_that_supported_an_ended_cycles_objective_is_not_unlinked() -> None:
    """A course taken for Ben's objective did support one: not "CPD linked to no objective"."""
    data = _little_brook(end=True)
    only_ben = tuple(
        attrs.evolve(a, objective_refs=(ObjectiveRef("c-B", "obj-2"),)) if a.id == "cpd-1" else a
        for a in data.cpd
    )
    report = coverage(attrs.evolve(data, cpd=only_ben), as_of=BEN_LEFT)

    assert ("lb", "cpd-1", "Reading course") not in report.unlinked_cpd


def test_a_trust_s_moderation_summary_gives_the_trust_s_figures() -> None:
    """A second trial: the trust's summary gave the first school's figures (its group comes
    first), while the table below summed to more."""
    report = moderation(trust.build(), as_of=trust.AS_OF)
    whole = next(g for g in report.groups if g.kind == "trust")
    text = " ".join(render(report.to_document(), "markdown").decode().split())

    assert f"agreed {whole.counts.agreed} objectives for {whole.counts.reviewees} people" in text
    assert whole.counts.agreed > next(g for g in report.groups if g.kind == "school").counts.agreed


def test_a_trust_s_health_check_names_each_untrained_leader_with_their_school() -> None:
    """A second trial: the trust's leaders-trained point named people with no school, where
    the other points say which school (both schools have a T1)."""
    report = health(trust.build(), as_of=trust.AS_OF)
    point = next(i for i in report.items if i.id == "leaders-trained")

    assert "Tom North (North Primary)" in point.evidence
    assert "Tom South (South Primary)" in point.evidence
