"""Proformas prompt for the why, flag one-sided feedback and show impact on colleagues (#15)."""

from __future__ import annotations

from datetime import date

import pytest

from devcycle.demo import build_demo
from devcycle.document import Document, Field, Note, NoteKind
from devcycle.domain import Cycle, ReviewKind
from devcycle.proforma import build_proforma
from devcycle.proforma.sources import COLLEAGUE_IMPACT_HINT, ONE_SIDED, RATIONALE_HINT
from devcycle.render import render, renderer_names

DAY = date(2026, 10, 8)


def _cycle(*, rationale: str = "", strengths: bool = True, steps: bool = False) -> Cycle:
    cycle = Cycle(
        id="c1",
        school_id="oak",
        staff_id="T1",
        reviewer_id="H1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    cycle.start_planning(by="H1", on=DAY)
    made = cycle.propose_objective(
        by="T1", on=DAY, statement="Hinge questions", rationale=rationale
    )
    cycle.agree_objective(made.id, by="H1", on=DAY)
    cycle.activate(by="H1", on=DAY)
    cycle.record_colleague_impact(
        made.id,
        by="T1",
        on=date(2027, 1, 10),
        shared_with="other_school",
        what="Showed the routine & <its> questions",
        with_whom="Hillside Primary",
        colleagues=9,
    )
    cycle.record_review(
        by="H1",
        on=date(2027, 2, 1),
        kind=ReviewKind.MID_YEAR,
        strengths=["Calm starts"] if strengths else [],
        next_steps=["Act on answers"] if steps else [],
    )
    return cycle


def _build(cycle: Cycle, stage: str, audience: str = "reviewee") -> Document:
    return build_proforma(cycle, stage, audience=audience, as_of=date(2027, 7, 20), check=False)


def _blank(document: Document, label: str) -> Field:
    return next(b for b in document.walk() if isinstance(b, Field) and b.label == label)


def test_the_planning_proforma_prompts_for_the_why_when_none_is_written() -> None:
    blank = _blank(_build(_cycle(), "planning"), "Why this objective")
    written = _blank(
        _build(_cycle(rationale="Misconceptions go unseen"), "planning"), "Why this objective"
    )

    assert (blank.value, blank.hint) == ("", RATIONALE_HINT)
    assert written.value == "Misconceptions go unseen"


def test_the_final_proforma_shows_the_why_and_the_impact_on_colleagues() -> None:
    document = _build(_cycle(rationale="Misconceptions go unseen"), "final")
    text = "\n".join(document.texts())

    assert _blank(document, "Why this objective").value == "Misconceptions go unseen"
    assert "Impact on colleagues" in text
    assert "another school (Hillside Primary), 9 colleagues" in text


@pytest.mark.parametrize(
    ("strengths", "steps", "missing"), [(True, False, "next_steps"), (False, True, "strengths")]
)
def test_a_meeting_with_one_side_is_flagged_on_the_mid_year_proforma(
    strengths: bool, steps: bool, missing: str
) -> None:
    document = _build(_cycle(strengths=strengths, steps=steps), "mid_year")
    warnings = [
        b.text for b in document.walk() if isinstance(b, Note) and b.kind is NoteKind.WARNING
    ]

    assert warnings == [ONE_SIDED[missing]]


def test_a_two_sided_meeting_is_not_flagged_and_an_unheld_one_is_left_blank() -> None:
    two = _build(_cycle(strengths=True, steps=True), "mid_year")
    assert not [b for b in two.walk() if isinstance(b, Note) and b.kind is NoteKind.WARNING]
    assert {"Calm starts", "Act on answers"} <= set(two.texts())
    unheld = build_proforma(_cycle(), "mid_year", audience="reviewee", as_of=date(2027, 1, 1))
    assert _blank(unheld, "Strengths").value == ""
    assert _blank(unheld, "Impact on colleagues").hint == COLLEAGUE_IMPACT_HINT


@pytest.mark.parametrize("fmt", renderer_names())
def test_the_mid_year_proforma_renders_the_new_parts_in_every_format(fmt: str) -> None:
    if fmt == "docx":
        pytest.importorskip("docx")
    output = render(_build(_cycle(), "mid_year"), fmt)

    assert output
    if fmt in ("html", "md"):
        text = output.decode()
        assert "No next steps are recorded" in text
        assert "Hillside Primary" in text
        assert "<its>" not in text


def test_the_demo_mid_year_and_final_proformas_show_what_the_demo_recorded() -> None:
    demo = build_demo()
    anna = next(c for c in demo.cycles if c.id == "2026-T006")
    mid = build_proforma(
        anna, "mid_year", audience="reviewee", as_of=demo.as_of, staff=demo.staff, check=False
    )
    owen = next(c for c in demo.cycles if c.id == "2026-T007")
    check_in = next(r for r in owen.reviews if r.next_steps == () and r.strengths)

    assert "Monday staff briefing" in "\n".join(mid.texts())
    assert check_in.kind is ReviewKind.CHECK_IN


def test_the_planning_proforma_names_the_mentor_of_a_linked_pairing() -> None:
    demo = build_demo()
    sam = next(c for c in demo.cycles if c.id == "2026-E009")
    planning = build_proforma(
        sam,
        "planning",
        audience="reviewee",
        as_of=demo.as_of,
        staff=demo.staff,
        cpd=demo.cpd,
        check=False,
    )
    text = "\n".join(planning.texts())

    assert (
        "ECT mentoring: fortnightly mentor meetings (mentoring, 15 September 2026, with Anna Patel)"
        in text
    )
