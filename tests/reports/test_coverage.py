"""The linkage and coverage report, pinned on Little Brook."""

from __future__ import annotations

import pytest
from tests.reports import school

from devcycle.catalogues import framework
from devcycle.reports import CoverageCounts, Scope, coverage


@pytest.fixture
def report():
    return coverage(school.build(), as_of=school.AS_OF)


def test_the_school_counts_are_the_worked_out_ones(report) -> None:
    """6 objectives; A's obj-2 lacks everything, B's obj-3 lacks support; 5 CPD places unlinked."""
    expected = CoverageCounts(
        objectives=6,
        without_support=2,
        without_criteria=1,
        without_priority=1,
        evidence=3,
        untagged_evidence=1,
        cpd_taken=7,
        cpd_unlinked=5,
    )

    assert expected == report.total
    assert expected == next(g.counts for g in report.groups if g.group.id == "lb")


def test_gaps_name_what_is_missing(report) -> None:
    """Each gap names the objective and what it lacks."""
    gaps = {(g.staff_id, g.objective_id): g.missing for g in report.gaps}

    assert gaps == {
        ("A", "obj-2"): ("CPD or support", "success criteria", "school priority"),
        ("B", "obj-3"): ("CPD or support",),
    }


def test_priorities_without_objectives_or_evidence(report) -> None:
    """P1 has 3 objectives and 1 evidence; P2 2 and none; P3 nothing at all."""
    rows = {p.priority_id: (p.objectives, p.evidence) for p in report.priorities}

    assert rows == {"P1": (3, 1), "P2": (2, 0), "P3": (0, 0)}
    assert [p.priority_id for p in report.priorities_without_objectives] == ["P3"]
    assert [p.priority_id for p in report.priorities_without_evidence] == ["P2", "P3"]


def test_standards_referenced_without_a_framework(report) -> None:
    """Without a framework the referenced standards are listed exactly as tagged."""
    rows = {s.standard_id: (s.objectives, s.evidence) for s in report.standards}

    assert rows == {"TS3": (0, 1), "TS3.3": (1, 1), "TS4": (1, 0)}


def test_standards_roll_up_to_a_frameworks_top_level() -> None:
    """With the Teachers' Standards, TS3.3 counts for TS3, and untouched standards show 0."""
    report = coverage(
        school.build(), as_of=school.AS_OF, framework=framework("england-teachers-standards")
    )
    rows = {s.standard_id: (s.objectives, s.evidence) for s in report.standards}

    assert rows["TS3"] == (1, 2)
    assert rows["TS4"] == (1, 0)
    assert rows["TS1"] == (0, 0)
    assert "TS8" in [s.standard_id for s in report.standards_without_objectives]


def test_unlinked_cpd_and_untagged_evidence(report) -> None:
    """CPD supporting no objective and evidence tagged to nothing are listed."""
    assert [a for _, a, _ in report.unlinked_cpd] == ["cpd-2", "cpd-3", "cpd-4"]
    assert [(r.cycle_id, r.evidence_id, who) for r, who in report.untagged_evidence] == [
        ("c-A", "ev-2", "A")
    ]


def test_team_counts_are_their_members_sums(report) -> None:
    """Team t1 (A, B) adds A's and B's counts."""
    people = {p.staff_id: p.counts for p in report.people}
    t1 = next(g.counts for g in report.groups if g.group.id == "t1")

    assert people["A"] + people["B"] == t1


def test_a_person_report() -> None:
    """A person's coverage lists only their gaps."""
    report = coverage(school.build(), as_of=school.AS_OF, scope=Scope(person_id="B"))

    assert [(g.staff_id, g.objective_id) for g in report.gaps] == [("B", "obj-3")]


def test_the_document_renders_every_section(report) -> None:
    """The document has a section for each list and a coverage chart."""
    document = report.to_document()
    ids = [s.id for s in document.sections()]

    assert ids == [
        "summary",
        "groups",
        "gaps",
        "priorities",
        "standards",
        "unlinked-cpd",
        "untagged-evidence",
    ]


def test_a_team_report_lists_only_the_cpd_its_members_take() -> None:
    """For t2 (B and C), A's data-drop meeting is out of scope; cpd-2 and cpd-3 are unlinked."""
    report = coverage(school.build(), as_of=school.AS_OF, scope=Scope(team_id="t2"))

    assert [a for _, a, _ in report.unlinked_cpd] == ["cpd-2", "cpd-3"]
