"""Blocks built without validating again are the blocks their constructors build.

Proformas build the blocks of the domain's already validated text with private trusted
constructors (issue 16, point 3); anything from a stage file or a plug-in still goes
through the validating constructors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.document import (
    BulletList,
    Field,
    Paragraph,
    Section,
    _trusted_field,
    _trusted_list,
    _trusted_paragraph,
    _trusted_section,
)
from devcycle.proforma import build_proforma, build_proformas, get_stage
from devcycle.proforma.stages import SectionSpec

from .school import AS_OF, SCHOOL, STAFF, build_cycle

texts = st.text(max_size=20)
titles = st.text(min_size=1, max_size=20).filter(str.strip)


def _same(trusted: Any, built: Any) -> None:
    assert type(trusted) is type(built)
    for field in attrs.fields(type(built)):
        assert getattr(trusted, field.name) == getattr(built, field.name), field.name
    assert trusted == built
    assert hash(trusted) == hash(built)


@settings(max_examples=50)
@given(texts, titles, texts, st.integers(0, 5), texts, st.lists(texts, max_size=3))
def test_trusted_blocks_equal_validated_ones(
    text: str, label: str, value: str, lines: int, hint: str, items: list[str]
) -> None:
    _same(_trusted_paragraph(text), Paragraph(text))
    _same(_trusted_list(tuple(items)), BulletList(items))
    _same(_trusted_field(label, value, lines, hint), Field(label, value, lines=lines, hint=hint))
    _same(_trusted_field(label, value), Field(label, value))
    inner = (Paragraph(text),)
    _same(
        _trusted_section(label, inner, value, ("reviewer",)),
        Section(label, inner, id=value, restricted_to=("reviewer",)),
    )
    _same(_trusted_section(label, inner, value), Section(label, inner, id=value))


def test_a_plug_in_stage_with_a_blank_section_title_is_still_refused() -> None:
    final = get_stage("final")
    spec = final.sections[0]
    bad = attrs.evolve(final, sections=(SectionSpec(spec.id, " ", spec.source),))
    for build in (
        lambda: build_proforma(build_cycle(), bad, audience="reviewer", as_of=AS_OF, check=False),
        lambda: list(
            build_proformas([build_cycle()], bad, audience="reviewer", as_of=AS_OF, check=False)
        ),
    ):
        with pytest.raises(ValueError, match="non-empty"):
            build()


def test_a_stage_files_blank_label_is_still_refused() -> None:
    final = get_stage("final")
    sections = tuple(
        attrs.evolve(s, options={**s.options, "labels": {"evidence": "", "wellbeing": ""}})
        for s in final.sections
    )
    bad = attrs.evolve(final, sections=sections)
    cycle = build_cycle()
    early = date(cycle.period_start.year, cycle.period_start.month, 28)
    with pytest.raises(ValueError, match="non-empty"):
        build_proforma(
            cycle, bad, audience="reviewer", as_of=early, school=SCHOOL, staff=STAFF, check=False
        )
