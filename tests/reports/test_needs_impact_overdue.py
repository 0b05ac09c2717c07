"""The training-needs, CPD impact and compliance reports, pinned on Little Brook."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from tests.reports import school

from devcycle.cli.report import to_csv, to_json, to_text
from devcycle.document import Chart, Document, Table
from devcycle.domain import ImpactLevel
from devcycle.reports import ImpactCounts, ReportData, Scope, impact, needs, overdue
from devcycle.reports._needs import LEADER_TRAINING


def test_needs_are_gathered_and_grouped() -> None:
    """Questioning (A's observation, B's review) is shared; the rest belong to one person."""
    report = needs(school.build(), as_of=school.AS_OF)
    rows = {n.key: (n.staff_ids, n.sources) for n in report.needs}

    assert rows["questioning"] == (("A", "B"), (("observation", 1), ("review", 1)))
    assert rows["feedback"] == (("A",), (("observation", 1),))
    assert rows["support for: improve something"] == (("A",), (("objective", 1),))
    assert rows["support for: share practice at a briefing"] == (("B",), (("objective", 1),))
    assert report.needs[0].key == "questioning"  # most shared first
    assert report.by_standard == ((("lb", "TS4"), ("questioning", "feedback")),)


def test_needs_are_grouped_by_the_theme_of_their_priorities() -> None:
    """B's unsupported objective serves P1 (reading); the other needs have no priority theme."""
    report = needs(school.build(), as_of=school.AS_OF)

    assert report.by_theme == (
        (
            ("lb", "no priority theme"),
            ("questioning", "feedback", "support for: improve something"),
        ),
        (("lb", "reading"), ("support for: share practice at a briefing",)),
    )


def test_the_plan_places_each_need() -> None:
    """Questioning is team CPD for the upper school (2 of 4 staff is under the INSET bar of 3);
    feedback is individual; needs only from unsupported objectives stay out of the plan."""
    report = needs(school.build(), as_of=school.AS_OF)

    assert [(p.level, p.need, p.audience, p.staff_ids) for p in report.plan] == [
        ("team", "Questioning", "Upper school", ("A", "B")),
        ("individual", "Feedback", "Ann Able", ("A",)),
    ]


def test_team_leaders_needs_are_shown_separately() -> None:
    """A, B and H lead; none has objective-setting or coaching training on record."""
    report = needs(school.build(), as_of=school.AS_OF)
    leaders = {leader.staff_id: leader for leader in report.leaders}

    assert {"A", "B", "H"} == set(leaders)
    assert not leaders["A"].trained
    assert leaders["A"].needs[0] == LEADER_TRAINING
    assert leaders["A"].team_names == ("Upper school",)


def test_need_counts_add_up() -> None:
    """Per-person need counts: A 3, B 2, C 0, H 0."""
    report = needs(school.build(), as_of=school.AS_OF)

    assert report.person_counts == (
        (("lb", "A"), 3),
        (("lb", "B"), 2),
        (("lb", "C"), 0),
        (("lb", "H"), 0),
    )


def test_impact_levels_and_shares() -> None:
    """cpd-1 reached level 4, cpd-2 level 1, cpd-3 nothing; cpd-4 (10 February) is not yet."""
    report = impact(school.build(), as_of=school.AS_OF)
    reached = dict(report.reached_share)
    recorded = dict(report.recorded_share)

    assert [a.id for a in report.activities] == ["cpd-3", "cpd-1", "cpd-2"]
    assert pytest.approx(2 / 3) == reached[ImpactLevel.REACTIONS]
    assert pytest.approx(1 / 3) == reached[ImpactLevel.ORGANISATIONAL_SUPPORT]
    assert recorded[ImpactLevel.ORGANISATIONAL_SUPPORT] == 0
    assert reached[ImpactLevel.PUPIL_OUTCOMES] == 0
    assert [a.id for a in report.overdue] == ["cpd-3", "cpd-2"]


def test_impact_places_add_up() -> None:
    """Places by highest level: A and B (none, level 4), C (none, level 1); the school sums."""
    report = impact(school.build(), as_of=school.AS_OF)
    people = dict(report.people)

    assert ImpactCounts((1, 0, 0, 0, 1, 0)) == people[("lb", "A")]
    assert ImpactCounts((1, 1, 0, 0, 0, 0)) == people[("lb", "C")]
    assert ImpactCounts((3, 1, 0, 0, 2, 0)) == next(
        g.counts for g in report.groups if g.group.kind == "school"
    )


def test_overdue_and_next_milestones() -> None:
    """A's mid-year review (29 January) is 3 days overdue; B's (8 February) is next."""
    report = overdue(school.build(), as_of=school.AS_OF)
    people = {p.staff_id: p for p in report.people}

    assert [(m.staff_id, m.milestone.id, m.days_overdue) for m in report.overdue] == [
        ("A", "mid", 3)
    ]
    assert people["A"].next_milestone.id == "final"
    assert people["B"].next_milestone.id == "mid"
    assert people["C"].next_milestone is None


def test_the_fortnight_ahead() -> None:
    """B's mid-year review and A's data-drop meeting fall in the fortnight; t2 sees only B's."""
    report = overdue(school.build(), as_of=school.AS_OF)
    groups = {g.group.id: g for g in report.groups}

    assert [(date(2027, 2, 8), "milestone"), (date(2027, 2, 10), "cpd")] == [
        (e.on, e.kind) for e in report.upcoming
    ]
    assert [date(2027, 2, 8)] == [e.on for e in groups["t2"].upcoming]
    assert (groups["t1"].overdue, groups["t1"].people_overdue) == (1, 1)


def test_a_bad_horizon_is_refused() -> None:
    """A horizon below a day is refused."""
    with pytest.raises(ValueError, match="horizon_days"):
        overdue(school.build(), as_of=school.AS_OF, horizon_days=0)


def test_documents_build() -> None:
    """Each report builds its document for a team."""
    data = school.build()
    scope = Scope(team_id="t1")

    assert needs(data, as_of=school.AS_OF, scope=scope).to_document().kind == "report:needs"
    assert impact(data, as_of=school.AS_OF, scope=scope).to_document().kind == "report:impact"
    assert overdue(data, as_of=school.AS_OF, scope=scope).to_document().kind == "report:overdue"


def _rows(document: Document, section_id: str) -> list[dict[str, str]]:
    (section,) = [s for s in document.sections() if s.id == section_id]
    (table,) = [b for b in section.blocks if isinstance(b, Table)]
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def test_the_needs_document_names_people_teams_and_needs_not_their_ids() -> None:
    """A headteacher reads names: people and teams by name, needs as written (not their
    lower-cased keys) under every grouping, and a leader of no team by their role."""
    report = needs(school.build(), as_of=school.AS_OF)
    document = report.to_document()

    questioning = next(r for r in _rows(document, "needs") if r["Need"] == "Questioning")
    assert questioning["People"] == "Ann Able, Ben Bell"
    assert questioning["Teams"] == "Upper school, Inclusion"
    assert [r["Team"] for r in _rows(document, "by-team")] == ["Upper school", "Inclusion"]
    assert _rows(document, "by-standard")[0]["Needs"] == "Questioning; Feedback"
    by_theme = {r["Theme"]: r["Needs"] for r in _rows(document, "by-theme")}
    assert by_theme["reading"] == "Support for: Share practice at a briefing."
    leads = {r["Leader"]: r["Leads"] for r in _rows(document, "leaders")}
    assert leads == {
        "Ann Able": "Upper school",
        "Ben Bell": "Inclusion",
        "Hal Head": "no team (headteacher)",
    }
    # The typed result keeps the ids beside the names, for JSON and CSV readers.
    top = report.needs[0]
    assert (top.staff_ids, top.staff_names) == (("A", "B"), ("Ann Able", "Ben Bell"))
    assert (top.team_ids, top.team_names) == (("t1", "t2"), ("Upper school", "Inclusion"))


def test_the_summary_chart_says_its_title_once() -> None:
    """The chart's text alternative does not repeat its title (text shows both)."""
    document = needs(school.build(), as_of=school.AS_OF).to_document()

    (chart,) = [b for s in document.sections() for b in s.blocks if isinstance(b, Chart)]
    assert not chart.alt.startswith(chart.title)
    assert "Most shared needs] Most shared needs" not in to_text(document)


def _restated(data: ReportData, statements: dict[tuple[str, str], str]) -> ReportData:
    """*data* with the objectives ``(cycle_id, objective_id)`` given new statements."""
    cycles = []
    for cycle in data.cycles:
        objectives = tuple(
            attrs.evolve(o, statement=statements.get((cycle.id, o.id), o.statement))
            for o in cycle.objectives
        )
        cycles.append(attrs.evolve(cycle, objectives=objectives))
    return attrs.evolve(data, cycles=tuple(cycles))


def test_two_objectives_alike_in_their_first_60_characters_are_two_needs_in_full() -> None:
    """Needs from unsupported objectives were keyed by the statement cut to 60 characters, so
    two different objectives became one need, and CSV cells ended in "…" (user trial)."""
    start = "Improve the teaching of early reading across Key Stage 1 through "
    one, other = start + "daily phonics.", start + "shared stories."
    data = _restated(school.build(), {("c-A", "obj-2"): one, ("c-B", "obj-3"): other})

    report = needs(data, as_of=school.AS_OF)

    rows = {n.key: (n.text, n.staff_ids) for n in report.needs if n.key.startswith("support")}
    assert rows == {
        f"support for: {one.lower().rstrip('.')}": (f"Support for: {one}", ("A",)),
        f"support for: {other.lower().rstrip('.')}": (f"Support for: {other}", ("B",)),
    }
    csv_text = to_csv("needs", report)
    assert "…" not in csv_text
    assert f"Support for: {one}" in csv_text
    assert f"Support for: {other}" in csv_text
    assert "…" not in to_json("needs", report)
