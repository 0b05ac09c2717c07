"""What each stage's proforma shows, on the hand-built school and the demo school."""

from __future__ import annotations

from datetime import date

import pytest

from devcycle.catalogues import framework
from devcycle.demo import build_demo
from devcycle.document import Checklist, Document, Field, Table
from devcycle.errors import NotFoundError, ValidationError
from devcycle.proforma import STAGES, build, build_proforma

from .school import AS_OF, CPD, SCHOOL, STAFF, build_cycle

TEACHERS = framework("england-teachers-standards")


def _doc(stage: str, *, as_of: date = AS_OF, audience: str = "reviewer", **kw: object) -> Document:
    options: dict[str, object] = {
        "school": SCHOOL,
        "staff": STAFF,
        "cpd": CPD,
        "framework": TEACHERS,
    }
    options.update(kw)
    return build_proforma(build_cycle(), stage, audience=audience, as_of=as_of, **options)  # type: ignore[arg-type]


def _text(document: Document) -> str:
    return "\n".join(document.texts())


def _fields(document: Document) -> dict[str, str]:
    """Each field label's first value in the document."""
    found: dict[str, str] = {}
    for block in document.walk():
        if isinstance(block, Field):
            found.setdefault(block.label, block.value)
    return found


def test_every_stage_builds_for_every_demo_cycle_and_audience() -> None:
    demo = build_demo()

    for cycle in demo.cycles:
        for stage in STAGES:
            for audience in ("reviewee", "reviewer", "headteacher", "governors_panel"):
                document = build_proforma(
                    cycle,
                    stage,
                    audience=audience,
                    as_of=demo.as_of,
                    school=demo.school,
                    staff=demo.staff,
                    cpd=demo.cpd,
                    framework=TEACHERS,
                    check=False,
                )
                assert document.kind == f"proforma:{stage}"


def test_the_planning_proforma_shows_each_objective_with_its_links_and_open_findings() -> None:
    document = _doc("planning", as_of=date(2026, 10, 9))
    text = _text(document)
    fields = _fields(document)

    assert "Six pupils read more than a year below their age." in text
    assert "5 of 6 gain 6 months' reading age by March" in text
    assert fields["Linked CPD"].startswith("Reading fluency INSET")
    assert fields["School priorities"] == "P1 Reading for pleasure"
    assert fields["Standards"].startswith("TS5.1 ")
    assert "Agreed with مريم العلي on 8 October 2026" in text
    findings = [b for b in document.walk() if isinstance(b, Table) and "Code" in b.columns]
    assert any(row[0].startswith("S") for table in findings for row in table.rows)


def test_the_checker_can_be_left_out_or_replaced() -> None:
    without = _doc("planning", check=False)
    custom = _doc("planning", check=lambda objective: [])

    assert not [b for b in without.walk() if isinstance(b, Table) and "Code" in b.columns]
    assert any(isinstance(b, Checklist) for b in custom.walk())


def test_check_in_shows_the_recorded_rag_with_its_reason() -> None:
    document = _doc("check_in", as_of=date(2026, 12, 1))
    table = next(b for b in document.walk() if isinstance(b, Table))

    assert table.rows[0][1:4] == ("30%", "Green", "Groups running.")
    assert table.rows[1][2:4] == ("Not recorded", "No check-in yet")


def test_as_of_leaves_out_what_happened_later() -> None:
    early = _doc("check_in", as_of=date(2026, 11, 1))

    assert "Groups running." not in _text(early)


def test_the_final_review_records_impact_evidence_and_learning_even_when_not_met() -> None:
    document = _doc("final")
    fields = _fields(document)
    text = _text(document)

    assert "Five of six pupils gained six months or more." in text
    assert "March reading-age results for the group." in text
    assert "Objectives need a named group and a measure." in text
    assert "Not met" in text
    assert fields["Carried into next cycle"] in ("Yes", "No")
    assert "Planning interventions within the timetable" in text
    assert "Questioning to check understanding" in text


def test_the_final_review_before_the_meeting_is_a_form_to_fill_in() -> None:
    document = _doc("final", as_of=date(2027, 6, 1))
    blanks = [b for b in document.walk() if isinstance(b, Field) and b.is_blank]

    assert any(b.label == "Impact" for b in blanks)
    assert any(isinstance(b, Checklist) and b.title == "Outcome" for b in document.walk())


def test_ect_records_list_every_teachers_standard() -> None:
    for stage in ("ect_progress", "ect_assessment"):
        table = next(b for b in _doc(stage).walk() if isinstance(b, Table))
        ids = [row[0].split()[0] for row in table.rows]

        assert ids[:8] == [f"TS{i}" for i in range(1, 9)]
        assert "March reading-age results for the group." in table.rows[4][1]


def test_ect_records_need_a_framework() -> None:
    with pytest.raises(ValidationError, match="needs a standards framework"):
        _doc("ect_progress", framework=None)


def test_the_observation_record_and_cpd_log() -> None:
    observation = _text(_doc("observation"))
    log = _doc("cpd_log")

    assert "Questioning in guided reading." in observation
    assert "Use a hinge question before independent reading." in observation
    assert _fields(log)["Total hours"] == "3"
    assert "Reading fluency INSET" in _text(log)


def test_stage_names_accept_hyphens_and_aliases() -> None:
    assert _doc("check-in").kind == "proforma:check_in"
    assert _doc("Mid-Year").kind == "proforma:mid_year"
    assert _doc("ect-progress").kind == "proforma:ect_progress"


def test_an_unknown_stage_lists_the_known_ones() -> None:
    with pytest.raises(NotFoundError, match="planning"):
        _doc("appraisal-party")


def test_build_is_an_alias() -> None:
    assert build is build_proforma


def test_names_come_from_staff_or_fall_back_to_ids() -> None:
    document = build_proforma(build_cycle(), "final", audience="reviewee", as_of=AS_OF, check=False)

    assert document.subtitle == "T1"
    assert _doc("final").subtitle == "Zoë Ñúñez"


def test_a_rag_policy_colours_progress_with_its_reason() -> None:
    document = _doc("check_in", as_of=date(2026, 12, 1), rag=lambda o: ("amber", f"why {o.id}"))
    table = next(b for b in document.walk() if isinstance(b, Table))

    assert table.rows[0][2:4] == ("Amber", "why obj-1")
    assert "RAG policy" in table.caption
