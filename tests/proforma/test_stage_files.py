"""Stages are data: a school renames, removes and adds sections in TOML; plug-ins add stages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devcycle.document import Document, Field, Paragraph
from devcycle.errors import ValidationError
from devcycle.proforma import (
    STAGES,
    ProformaContext,
    SectionSpec,
    build_proforma,
    get_stage,
    load_stage,
    parse_stage,
    stage_names,
)
from devcycle.proforma import stages as stages_module

from .school import AS_OF, SCHOOL, STAFF, build_cycle

OWN_FINAL = """
[stage]
id = "final"
title = "End of year conversation"
review_kinds = ["final"]

[[sections]]
id = "objectives"
title = "How did it go?"
source = "evaluations"
labels = { impact = "Difference it made" }

[[sections]]
id = "hopes"
title = "Hopes for next year"
source = "fields"
fields = [{ label = "What I'd like to try", lines = 4, hint = "Be bold." }]
"""


def test_every_builtin_stage_file_loads() -> None:
    names = stage_names()

    for stage in STAGES:
        assert stage in names
        assert get_stage(stage).id == stage


def test_a_school_renames_removes_and_adds_sections(tmp_path: Path) -> None:
    (tmp_path / "final.toml").write_text(OWN_FINAL, encoding="utf-8")

    document = build_proforma(
        build_cycle(),
        "final",
        audience="reviewee",
        as_of=AS_OF,
        school=SCHOOL,
        staff=STAFF,
        stage_dirs=[tmp_path],
    )

    assert document.title == "End of year conversation"
    assert [s.title for s in document.body] == ["How did it go?", "Hopes for next year"]
    labels = [b.label for b in document.walk() if isinstance(b, Field)]
    assert "Difference it made" in labels
    assert "What I'd like to try" in labels
    assert "Signatures" not in [s.title for s in document.sections()]


def test_a_stage_file_can_be_loaded_by_path(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(OWN_FINAL, encoding="utf-8")

    assert load_stage(path).title == "End of year conversation"


def test_a_bad_stage_file_reports_every_problem_with_its_path() -> None:
    data: dict[str, Any] = {
        "stage": {"id": "", "title": "T", "colour": "red"},
        "sections": [
            {"id": "a", "title": "A", "source": "fields", "audiences": ["parents"]},
            {"id": "a", "title": "", "source": "fields"},
        ],
    }

    with pytest.raises(ValidationError) as caught:
        parse_stage(data, source="ours.toml")

    problems = "\n".join(caught.value.problems)
    assert "@ $.stage.id" in problems
    assert "colour" in problems
    assert "@ $.sections[0].audiences[0]" in problems
    assert "used twice @ $.sections[1].id" in problems
    assert "@ $.sections[1].title" in problems
    assert "ours.toml" in str(caught.value)


def test_an_unknown_source_names_the_known_ones() -> None:
    definition = parse_stage(
        {
            "stage": {"id": "x", "title": "X"},
            "sections": [{"id": "a", "title": "A", "source": "magic"}],
        }
    )

    with pytest.raises(ValidationError, match=r"expected one of .*evaluations"):
        build_proforma(build_cycle(), definition, audience="reviewer", as_of=AS_OF)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[stage\n", encoding="utf-8")

    with pytest.raises(ValidationError, match=r"broken\.toml"):
        load_stage(path)


def test_custom_sources_plug_in_by_name() -> None:
    def haiku(ctx: ProformaContext, spec: SectionSpec) -> tuple[Paragraph, ...]:
        return (Paragraph(f"{spec.options['line']} for {ctx.name(ctx.cycle.staff_id)}"),)

    definition = parse_stage(
        {
            "stage": {"id": "x", "title": "X"},
            "sections": [{"id": "h", "title": "H", "source": "haiku", "line": "An old pond"}],
        }
    )
    document = build_proforma(
        build_cycle(),
        definition,
        audience="reviewer",
        as_of=AS_OF,
        staff=STAFF,
        sources={"haiku": haiku},
    )

    assert "An old pond for Zoë Ñúñez" in "\n".join(document.texts())


class _EntryPoint:
    def __init__(self, name: str, value: object) -> None:
        self.name = name
        self.value = f"tests:{name}"
        self._value = value

    def load(self) -> object:
        return self._value


def test_whole_stage_builders_register_through_the_entry_point_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def builder(cycle: Any, **kw: Any) -> Document:
        return Document(f"Coaching log for {cycle.staff_id}", audience=kw["audience"].value)

    monkeypatch.setattr(
        stages_module, "_entry_points", lambda: {"coaching": _EntryPoint("coaching", builder)}
    )

    assert "coaching" in stage_names()
    document = build_proforma(build_cycle(), "coaching", audience="reviewee", as_of=AS_OF)
    assert document.title == "Coaching log for T1"
    assert stages_module.ENTRY_POINT_GROUP == "devcycle.proformas"
