"""Cycle templates as data: the shipped catalogue, the TOML format and its error messages."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

import pytest

from devcycle.catalogues.templates import (
    ENTRY_POINT_GROUP,
    load_template,
    parse_template,
    shipped_template_text,
    template,
    template_names,
)
from devcycle.domain.milestones import Basis
from devcycle.domain.templates import AnchorKind, CycleTemplate, parse_anchor
from devcycle.errors import NotFoundError, PluginError, ValidationError
from devcycle.serialization import dumps, loads

BUILT_IN = (
    "australia-pd",
    "england-ect-induction",
    "england-headteacher",
    "england-support-staff",
    "england-teacher",
    "scotland-prd",
    "wales-teacher",
)


def test_every_built_in_template_is_listed() -> None:
    """The catalogue lists the seven shipped templates."""
    assert set(BUILT_IN) <= set(template_names())


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_built_in_template_cites_its_sources(name: str) -> None:
    """Each template and each of its milestones names where its facts come from."""
    loaded = template(name)

    assert loaded.id == name
    assert loaded.sources
    assert all(rule.sources for rule in loaded.milestones)
    assert "domain-research.md" in shipped_template_text(name)


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_built_in_template_round_trips_through_the_serializer(name: str) -> None:
    """A template dumped as a document loads back equal, in JSON and TOML."""
    loaded = template(name)

    for fmt in ("json", "toml"):
        assert loads(dumps(loaded, fmt), CycleTemplate, fmt) == loaded


def test_the_october_deadline_is_marked_former_statutory_not_law() -> None:
    """31 October is a former statutory deadline, never presented as law."""
    planning = template("england-teacher").rule("planning")

    assert planning.basis is Basis.FORMER_STATUTORY
    assert parse_anchor(planning.anchor).kind is AnchorKind.DATE


def test_support_staff_appraisal_claims_no_statutory_basis() -> None:
    """Support-staff appraisal has no statutory basis in England."""
    rules = template("england-support-staff").milestones

    assert all(rule.basis is Basis.COMMON_PRACTICE for rule in rules)


def test_an_unknown_template_names_the_known_ones() -> None:
    """Asking for a template that does not exist lists those that do."""
    with pytest.raises(NotFoundError, match="england-teacher"):
        template("england-teachers")


BAD = """
id = "x y"
title = ""

[period]
months = 12
terms = 3

[[milestones]]
id = "a"
title = "A"
anchor = "term_end:zero"
unit = "fortnights"

[[milestones]]
id = "b"
title = "B"
window = "autumn"
recurrence = { each = "half_term", rrule = "FREQ=SOMETIMES" }
colour = "red"
"""


def test_a_bad_template_reports_every_problem_with_its_path() -> None:
    """Loading a broken file lists all its problems, each with a $.path."""
    with pytest.raises(ValidationError) as caught:
        parse_template(BAD, source="bad.toml")

    problems = caught.value.problems
    paths = sorted(p.rsplit(" @ ", 1)[1] for p in problems)
    assert paths == [
        "$.id",
        "$.milestones[0].anchor",
        "$.milestones[0].unit",
        "$.milestones[1]",
        "$.milestones[1].recurrence.rrule",
        "$.milestones[1].window",
        "$.period",
        "$.title",
    ]
    assert str(caught.value).startswith("bad.toml: 8 problems found")


def test_anchors_on_missing_or_looping_milestones_are_rejected() -> None:
    """A milestone anchored on an unknown milestone, or in a loop, is an error."""
    text = """
id = "loop"
title = "Loop"
[period]
months = 12
[[milestones]]
id = "a"
title = "A"
anchor = "milestone:b"
[[milestones]]
id = "b"
title = "B"
anchor = "milestone:a"
[[milestones]]
id = "c"
title = "C"
anchor = "milestone:zzz"
"""
    with pytest.raises(ValidationError) as caught:
        parse_template(text)

    message = str(caught.value)
    assert "'zzz', which the template does not have" in message
    assert "in a loop: a -> b -> a" in message


def test_a_school_template_file_loads_from_disk(tmp_path: Path) -> None:
    """A copy of a shipped template, edited, loads with load_template."""
    path = tmp_path / "ours.toml"
    text = shipped_template_text("england-teacher").replace(
        'id = "england-teacher"', 'id = "st-marys-teacher"'
    )
    path.write_text(text, encoding="utf-8")

    loaded = load_template(path)

    assert loaded.id == "st-marys-teacher"
    assert loaded.milestones == template("england-teacher").milestones


def test_a_template_file_with_another_suffix_is_refused(tmp_path: Path) -> None:
    """Only .toml, .json, .yaml and .yml files are templates."""
    path = tmp_path / "ours.txt"
    path.write_text("", encoding="utf-8")

    with pytest.raises(ValidationError, match=r"expected a \.toml"):
        load_template(path)


@pytest.mark.parametrize(
    ("anchor", "message"),
    [
        ("term_end", "needs a term or half-term number"),
        ("date:02-30", "needs a month and day"),
        ("date:02-29", "not in every year"),
        ("period_start:1", "takes no ':' part"),
        ("soon", "anchor must be one of"),
        ("milestone:", "needs a milestone id"),
    ],
)
def test_bad_anchors_say_what_is_accepted(anchor: str, message: str) -> None:
    """Each malformed anchor gets a message naming the accepted form."""
    with pytest.raises(ValueError, match=message):
        parse_anchor(anchor)


def test_templates_from_plug_ins_are_found_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entry points in the devcycle.templates group add templates; bad ones are reported."""
    points = [
        metadata.EntryPoint(
            "plugin-annual", "calendar_fixtures:plugin_template", ENTRY_POINT_GROUP
        ),
        metadata.EntryPoint("plugin-broken", "calendar_fixtures:broken_plugin", ENTRY_POINT_GROUP),
    ]

    def entry_points(*, group: str, name: str | None = None) -> list[metadata.EntryPoint]:
        return [p for p in points if p.group == group and (name is None or p.name == name)]

    monkeypatch.setattr(metadata, "entry_points", entry_points)

    assert "plugin-annual" in template_names()
    assert template("plugin-annual").title == "Plug-in: annual review"
    with pytest.raises(PluginError, match="returned dict, not a CycleTemplate"):
        template("plugin-broken")
