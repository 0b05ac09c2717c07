"""Standards frameworks from CASE JSON, and the frameworks shipped for every template."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.catalogues.frameworks import framework, framework_names
from devcycle.interop.case import framework_from_case, load_case


def item(ident: str, code: str, statement: str, **more: Any) -> dict[str, Any]:
    return {"identifier": ident, "humanCodingScheme": code, "fullStatement": statement, **more}


def child_of(child: str, parent: str, sequence: int | None = None) -> dict[str, Any]:
    link: dict[str, Any] = {
        "associationType": "isChildOf",
        "originNodeURI": {"identifier": child, "title": child},
        "destinationNodeURI": {"identifier": parent, "title": parent},
    }
    if sequence is not None:
        link["sequenceNumber"] = sequence
    return link


# A small framework of our own, in CASE's shape: two standards, three sub-standards, and an
# association of another type that must be ignored.
PACKAGE: dict[str, Any] = {
    "CFDocument": {
        "identifier": "doc-ours",
        "uri": "https://example.org/case/doc-ours",
        "creator": "Brook Learning Trust",
        "title": "Brook Trust Coaching Standards",
        "version": "2026",
        "licenseURI": {"title": "CC-BY-4.0", "identifier": "lic", "uri": "https://x.example"},
        "officialSourceURL": "https://example.org/coaching-standards",
    },
    "CFItems": [
        item("u-2", "CS2", "Give feedback that moves practice on", abbreviatedStatement="Feedback"),
        item("u-1", "CS1", "Build a coaching relationship", abbreviatedStatement="Relationship"),
        item("u-1-2", "CS1.2", "Agree what the sessions are for"),
        item("u-1-1", "CS1.1", "Listen before suggesting"),
        item("u-2-1", "CS2.1", "Name one next step, not five"),
    ],
    "CFAssociations": [
        child_of("u-2", "doc-ours", 2),
        child_of("u-1", "doc-ours", 1),
        child_of("u-1-2", "u-1", 2),
        child_of("u-1-1", "u-1", 1),
        child_of("u-2-1", "u-2", 1),
        {
            "associationType": "isRelatedTo",
            "originNodeURI": {"identifier": "u-2-1"},
            "destinationNodeURI": {"identifier": "u-1-1"},
        },
    ],
}


def test_a_case_package_becomes_a_framework_in_order_with_its_hierarchy() -> None:
    fw = framework_from_case(PACKAGE)

    assert fw.id == "brook-trust-coaching-standards"
    assert fw.licence == "CC-BY-4.0"
    assert fw.source == "https://example.org/coaching-standards"
    assert [(s.id, s.parent_id) for s in fw.standards] == [
        ("CS1", None),
        ("CS1.1", "CS1"),
        ("CS1.2", "CS1"),
        ("CS2", None),
        ("CS2.1", "CS2"),
    ]
    assert fw.get("CS2").title == "Feedback"
    assert fw.get("CS2").text == "Give feedback that moves practice on"


def test_a_package_under_cfpackage_and_from_a_file_loads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "coaching.json"
    path.write_text(json.dumps({"CFPackage": PACKAGE}), encoding="utf-8")

    assert load_case(path, framework_id="coaching") == framework_from_case(
        PACKAGE, framework_id="coaching"
    )


def test_repeated_coding_schemes_fall_back_to_the_items_identifiers() -> None:
    package = {**PACKAGE, "CFItems": [*PACKAGE["CFItems"][:-1], item("u-2-1", "CS1.1", "x")]}

    fw = framework_from_case(package)

    assert [s.id for s in fw.standards][:2] == ["u-1", "u-1-1"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda p: p.pop("CFDocument"), "expected a CFDocument object @ $.CFDocument"),
        (lambda p: p["CFItems"].append({"identifier": "u-9"}), "@ $.CFItems[5].fullStatement"),
        (lambda p: p["CFItems"].append(item("u-1", "X", "again")), "used by two items"),
        (lambda p: p["CFItems"].append(item("bad id", "X", "x")), "@ $.CFItems[5].identifier"),
        (
            lambda p: p["CFAssociations"].append(child_of("u-2-1", "nowhere")),
            "names a parent 'nowhere' not in the package",
        ),
        (
            lambda p: p["CFAssociations"].extend([child_of("u-1", "u-1-1")]),
            "form a loop",
        ),
    ],
    ids=["no-document", "no-statement", "repeated-id", "bad-id", "unknown-parent", "loop"],
)
def test_a_broken_package_is_refused_with_the_path_of_each_problem(
    change: Any, expected: str
) -> None:
    package = json.loads(json.dumps(PACKAGE))
    change(package)

    with pytest.raises(dc.ValidationError) as caught:
        framework_from_case(package, source="ours.json")

    assert expected in str(caught.value)
    assert str(caught.value).startswith("ours.json")


@pytest.mark.parametrize(
    ("content", "expected"), [(b"\xff\xfe", "not UTF-8 JSON"), (b"[1, 2]", "expected a CASE")]
)
def test_a_file_that_is_not_a_case_package_is_refused(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)

    with pytest.raises(dc.ValidationError, match=expected):
        load_case(path)


@st.composite
def trees(draw: st.DrawFn) -> dict[str, Any]:
    """Random forests of items, listed and linked in a random order."""
    size = draw(st.integers(1, 25))
    parents = [None] + [draw(st.none() | st.integers(0, i - 1)) for i in range(1, size)]
    items = [item(f"id-{i}", f"C{i}", f"Statement {i}") for i in range(size)]
    links = [child_of(f"id-{i}", "doc" if p is None else f"id-{p}") for i, p in enumerate(parents)]
    return {
        "CFDocument": {"identifier": "doc", "title": "Random"},
        "CFItems": draw(st.permutations(items)),
        "CFAssociations": draw(st.permutations(links)),
    }


@given(trees())
def test_any_forest_loads_whole_with_every_parent_before_its_children(
    package: dict[str, Any],
) -> None:
    fw = framework_from_case(package)

    assert len(fw.standards) == len(package["CFItems"])
    seen: set[str] = set()
    for standard in fw.standards:
        assert standard.parent_id is None or standard.parent_id in seen
        seen.add(standard.id)


def test_every_shipped_template_country_has_a_standards_framework() -> None:
    names = set(framework_names())

    assert {
        "england-teachers-standards",
        "wales-professional-standards",
        "scotland-gtcs-full-registration",
        "australia-apst",
    } <= names


def test_the_australian_standards_have_seven_standards_and_37_focus_areas() -> None:
    apst = framework("australia-apst")

    assert len(apst.top_level()) == 7
    assert len(apst.standards) - 7 == 37
    assert all(s.text == "" for s in apst.standards)  # titles only, as AITSL's licence asks
    assert "AITSL" in apst.attribution


@pytest.mark.parametrize(
    "name", ["wales-professional-standards", "scotland-gtcs-full-registration"]
)
def test_each_new_framework_says_its_licence_and_what_it_leaves_out(name: str) -> None:
    fw = framework(name)

    assert fw.licence != "unknown"
    assert "https://" in fw.source
    assert "not" in fw.attribution
