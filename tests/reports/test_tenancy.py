"""Tenancy: in a trust whose schools reuse ids, every row is about its own school (issue 11)."""

from __future__ import annotations

import pytest
from tests.reports import trust

from devcycle.document import Document, Section, Table
from devcycle.errors import NotFoundError
from devcycle.reports import (
    REPORT_NAMES,
    ReportInputError,
    Scope,
    balance,
    coverage,
    impact,
    needs,
    overdue,
    progress,
    run,
    workload,
)


def _tables(document: Document) -> list[Table]:
    found: list[Table] = []

    def walk(blocks: tuple[object, ...]) -> None:
        for block in blocks:
            if isinstance(block, Table):
                found.append(block)
            elif isinstance(block, Section):
                walk(block.blocks)

    walk(document.body)
    return found


def test_the_t1_with_no_cycle_is_not_given_the_other_schools_objectives() -> None:
    """North's T1 has no cycle: no colour, no objectives, not South's T1's."""
    report = progress(trust.build(), as_of=trust.AS_OF)

    rows = {(p.school_id, p.staff_id): p for p in report.people}
    assert rows[("north", "T1")].cycle_id is None
    assert rows[("north", "T1")].colour is None
    assert rows[("north", "T1")].objectives == ()
    assert [o.school_id for o in rows[("south", "T1")].objectives] == ["south"]


def test_the_stale_list_counts_each_objective_once() -> None:
    """South's one stale objective is listed once, and the trust total is one objective."""
    report = progress(trust.build(), as_of=trust.AS_OF)

    assert [(o.school_id, o.cycle_id, o.objective_id) for o in report.stale] == [
        ("south", "c-T1", "obj-1")
    ]
    assert report.total.total == 1


def test_the_overdue_report_gives_each_person_their_own_milestones() -> None:
    """Both schools have a T2 with a cycle "c-T2"; each is overdue for their own milestone."""
    report = overdue(trust.build(), as_of=trust.AS_OF)

    late = {
        (p.school_id, p.staff_id): [m.milestone.title for m in p.overdue] for p in report.people
    }
    assert late[("north", "T2")] == ["Planning meeting"]
    assert late[("south", "T2")] == ["Mid-year review"]
    assert late[("north", "T1")] == []
    assert {(m.school_id, m.cycle_id) for m in report.overdue} == {
        ("north", "c-T2"),
        ("south", "c-T2"),
    }


def test_teams_of_two_schools_say_which_school_they_belong_to() -> None:
    """Both schools' "Key Stage 2" appear, each with its school, in results and documents."""
    report = progress(trust.build(), as_of=trust.AS_OF)

    teams = [g for g in report.groups if g.group.kind == "team"]
    assert [(g.group.school_id, g.group.name, g.counts.total) for g in teams] == [
        ("north", "Key Stage 2", 0),
        ("south", "Key Stage 2", 1),
    ]
    table = next(t for t in _tables(report.to_document()) if "Kind" in t.columns)
    assert "School" in table.columns
    school, kind = table.columns.index("School"), table.columns.index("Kind")
    assert {(r[0], r[school]) for r in table.rows if r[kind] == "team"} == {
        ("Key Stage 2", "North Primary"),
        ("Key Stage 2", "South Primary"),
    }


@pytest.mark.parametrize("name", REPORT_NAMES)
def test_every_trust_document_names_the_school_of_each_person_row(name: str) -> None:
    """Every table with a person column in a trust report also has a school column."""
    document = run(name, trust.build(), as_of=trust.AS_OF).to_document()

    for table in _tables(document):
        if {"Person", "Leader", "Who"} & set(table.columns):
            assert "School" in table.columns, (name, table.caption, table.columns)


def test_a_one_school_document_has_no_school_column() -> None:
    """For one school the school column would say the same on every row, so it is left out."""
    document = progress(trust.build(), as_of=trust.AS_OF, scope=Scope(school_id="south"))

    assert all("School" not in t.columns for t in _tables(document.to_document()))


def test_a_person_id_used_in_two_schools_needs_the_school() -> None:
    """Asking for "T1" across the trust is ambiguous and says so; with the school it is not."""
    with pytest.raises(ReportInputError, match=r"'T1'.*north, south.*school"):
        progress(trust.build(), as_of=trust.AS_OF, scope=Scope(person_id="T1"))

    report = progress(
        trust.build(), as_of=trust.AS_OF, scope=Scope(school_id="north", person_id="T1")
    )
    assert [(p.school_id, p.staff_id, p.cycle_id) for p in report.people] == [("north", "T1", None)]


def test_a_person_scope_with_an_unknown_school_is_refused() -> None:
    """A person looked up in the wrong school is not found there."""
    with pytest.raises(NotFoundError):
        progress(trust.build(), as_of=trust.AS_OF, scope=Scope(school_id="nowhere"))


def test_cpd_with_the_same_id_in_two_schools_counts_for_its_own_school() -> None:
    """Each school's "cpd-1" counts for its own attendees only."""
    data = trust.build()

    hours = {
        (p.school_id, p.staff_id): p.counts.movement_hours
        for p in balance(data, as_of=trust.AS_OF).people
    }
    assert hours[("north", "T2")] == 3.0
    assert hours[("south", "T2")] == 0.0
    taken = {
        (p.school_id, p.staff_id): p.counts.cpd_taken
        for p in coverage(data, as_of=trust.AS_OF).people
    }
    assert taken == {("north", "T1"): 1, ("north", "T2"): 1, ("south", "T1"): 1, ("south", "T2"): 0}
    activities = impact(data, as_of=trust.AS_OF).activities
    assert sorted((a.school_id, a.id, len(a.attendees)) for a in activities) == [
        ("north", "cpd-1", 2),
        ("south", "cpd-1", 1),
    ]


def test_a_priority_id_used_in_two_schools_is_counted_per_school() -> None:
    """South's objective serves South's P1, not North's."""
    report = coverage(trust.build(), as_of=trust.AS_OF)

    assert [(p.school_id, p.priority_id, p.objectives) for p in report.priorities] == [
        ("north", "P1", 0),
        ("south", "P1", 1),
    ]


def test_workload_keeps_reviewers_of_two_schools_apart() -> None:
    """South's T2 reviews South's T1; North's T2, with the same id, reviews nobody."""
    report = workload(trust.build(), as_of=trust.AS_OF)

    reviews = {(p.school_id, p.staff_id): p.reviews for p in report.people}
    assert reviews[("south", "T2")] >= 1
    assert reviews[("north", "T2")] == 0


def test_needs_rows_belong_to_one_school() -> None:
    """Needs and plan items carry their school; no need mixes two schools' staff."""
    report = needs(trust.build(), as_of=trust.AS_OF)

    for need in report.needs:
        assert need.school_id in ("north", "south")
    for item in report.plan:
        assert item.school_id in ("north", "south")


def test_a_proforma_given_the_whole_trust_reads_only_its_own_school() -> None:
    """South's T1's CPD log names South's Tess and lists South's CPD, not North's "cpd-1"."""
    from devcycle.proforma import build_proforma

    data = trust.build()
    cycle = next(c for c in data.cycles if (c.school_id, c.staff_id) == ("south", "T1"))
    document = build_proforma(
        cycle,
        "cpd_log",
        audience="reviewee",
        as_of=trust.AS_OF,
        school=data.schools[1],
        staff=tuple(reversed(data.staff)),
        cpd=data.cpd,
        check=False,
    )
    text = "\n".join(document.texts())

    assert "Tess South" in text
    assert "Tess North" not in text
    assert "South reading course" in text
    assert "North INSET" not in text


def test_a_proforma_refuses_another_schools_school() -> None:
    """Passing North's school for South's cycle is refused, naming both."""
    from devcycle.errors import ValidationError
    from devcycle.proforma import build_proforma

    data = trust.build()
    cycle = next(c for c in data.cycles if c.school_id == "south")
    with pytest.raises(ValidationError, match=r"'north' is not the cycle's school 'south'"):
        build_proforma(
            cycle, "planning", audience="reviewee", as_of=trust.AS_OF, school=data.schools[0]
        )
