"""build_proformas: a school's or a trust's proformas, each the one build_proforma builds.

Issue 16, point 3: the batch finds and checks the stage once and indexes staff and CPD by
school once, and blank evaluation blocks are shared between documents; none of that may
change a document, let a secret through, or mix two schools' people up.
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.catalogues import framework
from devcycle.demo import build_demo
from devcycle.document import Checklist, Field
from devcycle.domain import Audience, CPDActivity, Cycle, School, StaffMember
from devcycle.errors import ValidationError
from devcycle.proforma import STAGES, build_proforma, build_proformas
from devcycle.testing import strategies as dst

from .school import AS_OF, CPD, SCHOOL, SECRETS, STAFF, build_cycle

TEACHERS = framework("england-teachers-standards")


def _second_school() -> tuple[School, list[StaffMember], list[Cycle], list[CPDActivity]]:
    """The demo school again under another id, its people renamed but their ids kept."""
    demo = build_demo()
    school = attrs.evolve(demo.school, id="other", name="Other School")
    staff = [attrs.evolve(m, school_id="other", name=f"{m.name} (Other)") for m in demo.staff]
    cycles = [attrs.evolve(c, school_id="other") for c in demo.cycles]
    cpd = [attrs.evolve(a, school_id="other") for a in demo.cpd]
    return school, staff, cycles, cpd


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("audience", list(Audience))
def test_a_trusts_batch_equals_one_at_a_time(stage: str, audience: Audience) -> None:
    demo = build_demo()
    other, other_staff, other_cycles, other_cpd = _second_school()
    cycles = [*demo.cycles, *other_cycles]
    staff = [*demo.staff, *other_staff]
    cpd = [*demo.cpd, *other_cpd]
    schools = {demo.school.id: demo.school, "other": other}
    many = list(
        build_proformas(
            cycles,
            stage,
            audience=audience,
            as_of=demo.as_of,
            schools=schools.values(),
            staff=staff,
            cpd=cpd,
            framework=TEACHERS,
            check=False,
        )
    )
    one = [
        build_proforma(
            cycle,
            stage,
            audience=audience,
            as_of=demo.as_of,
            school=schools[cycle.school_id],
            staff=staff,
            cpd=cpd,
            framework=TEACHERS,
            check=False,
        )
        for cycle in cycles
    ]
    assert many == one
    other_names = {m.name for m in other_staff}
    for cycle, document in zip(cycles, many, strict=True):
        shown = set(document.texts())
        if cycle.school_id == demo.school.id:
            assert not shown & other_names


@pytest.mark.parametrize("audience", list(Audience))
def test_the_batch_keeps_every_secret_to_its_audience(audience: Audience) -> None:
    cycle = build_cycle()
    for stage in STAGES:
        (document,) = build_proformas(
            [cycle],
            stage,
            audience=audience,
            as_of=AS_OF,
            schools=[SCHOOL],
            staff=STAFF,
            cpd=CPD,
            framework=TEACHERS,
            check=False,
        )
        text = "\n".join(document.texts())
        for secret, allowed in SECRETS.items():
            if audience not in allowed:
                assert secret not in text
        assert document == build_proforma(
            cycle,
            stage,
            audience=audience,
            as_of=AS_OF,
            school=SCHOOL,
            staff=STAFF,
            cpd=CPD,
            framework=TEACHERS,
            check=False,
        )


@settings(max_examples=20, deadline=None)
@given(st.lists(dst.cycles(), max_size=3), st.sampled_from(list(Audience)))
def test_generated_cycles_batch_as_one_at_a_time(cycles: list[Cycle], audience: Audience) -> None:
    unique = list({c.id: attrs.evolve(c, school_id=SCHOOL.id) for c in cycles}.values())
    many = list(
        build_proformas(
            unique, "final", audience=audience, as_of=AS_OF, schools=[SCHOOL], check=False
        )
    )
    one = [
        build_proforma(c, "final", audience=audience, as_of=AS_OF, school=SCHOOL, check=False)
        for c in unique
    ]
    assert many == one


def test_a_bad_audience_or_stage_is_refused_before_the_first_document() -> None:
    with pytest.raises(ValidationError, match="audience"):
        build_proformas([], "final", audience="nobody", as_of=date(2027, 1, 1))
    with pytest.raises(ValidationError, match="audience"):
        build_proformas([], "final", as_of=date(2027, 1, 1))
    with pytest.raises(Exception, match="no-such-stage"):
        build_proformas([], "no-such-stage", audience="reviewer", as_of=date(2027, 1, 1))


def test_blank_evaluations_share_their_blocks_and_equal_fresh_ones() -> None:
    demo = build_demo()
    early = date(demo.as_of.year, 10, 1)  # before any evaluation
    documents = list(
        build_proformas(
            demo.cycles[:2], "final", audience="reviewer", as_of=early, schools=[demo.school]
        )
    )
    boxes = [
        block for document in documents for block in document.walk() if isinstance(block, Checklist)
    ]
    assert len(boxes) >= 2
    assert all(box is boxes[0] for box in boxes)
    assert boxes[0] == Checklist(boxes[0].items, title="Outcome")


def test_the_blank_colleague_impact_prompt_is_shared_and_equals_a_fresh_one() -> None:
    from devcycle.proforma.sources import COLLEAGUE_IMPACT_HINT

    demo = build_demo()
    early = date(demo.as_of.year, 10, 1)  # before any practice was shared
    documents = list(
        build_proformas(
            demo.cycles[:2], "final", audience="reviewer", as_of=early, schools=[demo.school]
        )
    )
    prompts = [
        block
        for document in documents
        for block in document.walk()
        if isinstance(block, Field) and block.hint == COLLEAGUE_IMPACT_HINT
    ]
    assert len(prompts) >= 2
    assert all(prompt is prompts[0] for prompt in prompts)
    assert prompts[0] == Field("Impact on colleagues", "", lines=2, hint=COLLEAGUE_IMPACT_HINT)
