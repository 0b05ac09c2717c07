"""Reports treat a cycle ended on leaving as ended: not overdue, not unreviewed, not a pass.

Little Brook (tests/reports/school.py). Ben Bell (B) leaves on 10 February 2027 with his
mid-year review (due 8 February) not held; Cat Cole (C), whom Ben reviews, leaves on
1 February. Each report covers a leaver up to their last day, so those are the days on
which their ended cycles still show.
"""

from __future__ import annotations

import json
from datetime import date

import attrs

from devcycle.cli.report import to_json
from devcycle.domain import Cycle, missing_reviewer
from devcycle.render import render
from devcycle.reports import ReportData, health, overdue, progress

from .school import AS_OF, build

BEN_LEFT = date(2027, 2, 10)
CAT_LEFT = AS_OF


def _little_brook(*, end: tuple[str, ...] = ()) -> ReportData:
    """Ben and Cat have left; the cycles of those in *end* were ended on their last day."""
    data = build()
    left = {"B": BEN_LEFT, "C": CAT_LEFT}
    staff = tuple(
        attrs.evolve(p, leaving_date=left[p.id]) if p.id in left else p for p in data.staff
    )
    cycles = []
    for stored in data.cycles:
        cycle = attrs.evolve(stored)
        if cycle.staff_id in end:
            day = left[cycle.staff_id]
            cycle.end_on_leaving(by="H", on=day, left_on=day, note="Left the school.")
        cycles.append(cycle)
    return attrs.evolve(data, staff=staff, cycles=tuple(cycles))


def _person(report: object, staff_id: str) -> object:
    return next(p for p in report.people if p.staff_id == staff_id)  # type: ignore[attr-defined]


def test_an_ended_cycle_has_no_overdue_or_coming_milestone() -> None:
    """Before, Ben's mid-year review stayed overdue in the compliance report for ever."""
    still_open = overdue(_little_brook(), as_of=BEN_LEFT)
    ended = overdue(_little_brook(end=("B",)), as_of=BEN_LEFT)

    ben_open = _person(still_open, "B")
    assert [m.milestone.id for m in ben_open.overdue] == ["mid"]  # type: ignore[attr-defined]
    ben = _person(ended, "B")
    assert ben.overdue == ()  # type: ignore[attr-defined]
    assert ben.next_milestone is None  # type: ignore[attr-defined]
    assert ben.cycle_id == "c-B"  # type: ignore[attr-defined]
    assert not any(("lb", "B") in e.staff for e in ended.upcoming)
    # everyone else is judged as before
    assert [m for m in ended.overdue if m.staff_id != "B"] == [
        m for m in still_open.overdue if m.staff_id != "B"
    ]


def test_an_ended_cycle_counts_neither_on_time_nor_late() -> None:
    """Reviews on time: Ben's ended cycle is out of the count, not a pass."""
    before = next(
        i for i in health(_little_brook(), as_of=BEN_LEFT).items if i.id == "reviews-on-time"
    )
    after = next(
        i
        for i in health(_little_brook(end=("B",)), as_of=BEN_LEFT).items
        if i.id == "reviews-on-time"
    )

    assert after.total == before.total - 1
    assert after.met == before.met  # Ben was late before: not turned into a pass
    assert "Ben" not in after.evidence


def test_an_ended_cycle_is_not_one_nobody_reviews() -> None:
    """Cat's reviewer Ben has left; once her cycle is ended it needs no reviewer."""
    still_open = health(_little_brook(), as_of=CAT_LEFT)
    ended = health(_little_brook(end=("C",)), as_of=CAT_LEFT)

    assert [u.cycle_id for u in still_open.unreviewed] == []  # Ben is still there on 1 Feb
    data = _little_brook(end=("C",))
    staff = {p.id: attrs.evolve(p, leaving_date=date(2027, 1, 15)) if p.id == "B" else p
             for p in data.staff}  # fmt: skip
    cat = next(c for c in data.cycles if c.staff_id == "C")
    assert missing_reviewer(cat, staff, CAT_LEFT) is None
    open_cat = next(c for c in _little_brook().cycles if c.staff_id == "C")
    assert missing_reviewer(open_cat, staff, CAT_LEFT) is not None
    point = next(i for i in ended.items if i.id == "every-cycle-reviewed")
    before = next(i for i in still_open.items if i.id == "every-cycle-reviewed")
    assert point.total == before.total - 1  # an ended cycle is not an open one


def test_the_unreviewed_list_leaves_out_an_ended_cycle_whose_reviewer_left() -> None:
    """Ben leaves first (15 January); Cat's open cycle is flagged, her ended one is not."""

    def data(end: tuple[str, ...]) -> ReportData:
        base = _little_brook(end=end)
        staff = tuple(
            attrs.evolve(p, leaving_date=date(2027, 1, 15)) if p.id == "B" else p
            for p in base.staff
        )
        return attrs.evolve(base, staff=staff)

    assert [u.cycle_id for u in health(data(()), as_of=CAT_LEFT).unreviewed] == ["c-C"]
    assert health(data(("C",)), as_of=CAT_LEFT).unreviewed == ()
    assert overdue(data(("C",)), as_of=CAT_LEFT).unreviewed == ()


def test_an_ended_cycle_is_never_a_completed_one() -> None:
    cycles: tuple[Cycle, ...] = tuple(_little_brook(end=("B", "C")).cycles)

    assert [c.staff_id for c in cycles if c.is_ended] == ["B", "C"]
    assert not any(c.is_completed for c in cycles)


def test_the_progress_report_shows_the_ending_instead_of_colours() -> None:
    """Ben's agreed objectives are not coloured red for lapsing: his cycle was ended."""
    before = _person(progress(_little_brook(), as_of=BEN_LEFT), "B")
    report = progress(_little_brook(end=("B",)), as_of=BEN_LEFT)
    ben = _person(report, "B")

    assert before.colour is not None  # type: ignore[attr-defined]
    assert ben.colour is None  # type: ignore[attr-defined]
    assert ben.objectives == ()  # type: ignore[attr-defined]
    assert ben.reason == (  # type: ignore[attr-defined]
        "cycle ended on leaving on 2027-02-10, with no final review"
    )
    assert not any(o.staff_id == "B" for o in (*report.lapsed, *report.stale))


def test_the_compliance_report_says_the_cycle_was_ended_not_completed() -> None:
    report = overdue(_little_brook(end=("B",)), as_of=BEN_LEFT)
    text = render(report.to_document(), "markdown").decode().replace("\xa0", " ")

    assert _person(report, "B").ended_on == BEN_LEFT  # type: ignore[attr-defined]
    assert _person(report, "A").ended_on is None  # type: ignore[attr-defined]
    assert "none: cycle ended on leaving (10 Feb 2027), not completed" in text
    people = json.loads(to_json("overdue", report))["people"]
    assert {p["staff_id"]: p["ended_on"] for p in people}["B"] == "2027-02-10"
