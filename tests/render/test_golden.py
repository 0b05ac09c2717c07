"""Golden files: rendered proformas and the every-element document, byte for byte.

After an intended change to a renderer, a stage file or the demo school, regenerate them with
``DEVCYCLE_UPDATE_GOLDEN=1 python -m pytest tests/render/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

from devcycle.catalogues import framework
from devcycle.demo import build_demo
from devcycle.document import Document
from devcycle.proforma import build_proforma
from devcycle.render import render
from devcycle.testing.renderer_contract import every_element_document

from .extract import parse_html

GOLDEN = Path(__file__).parent.parent / "golden"
UPDATE = os.environ.get("DEVCYCLE_UPDATE_GOLDEN") == "1"


def _documents() -> dict[str, Document]:
    demo = build_demo(2026)
    teachers = framework("england-teachers-standards")
    anna = next(c for c in demo.cycles if c.staff_id == "T006" and not c.is_closed)
    sam = next(c for c in demo.cycles if c.staff_id == "E009")
    last_year = next(c for c in demo.cycles if c.is_closed)

    def build(cycle: object, stage: str, audience: str, as_of: object) -> Document:
        return build_proforma(
            cycle,  # type: ignore[arg-type]
            stage,
            audience=audience,
            as_of=as_of,  # type: ignore[arg-type]
            school=demo.school,
            staff=demo.staff,
            cpd=demo.cpd,
            framework=teachers,
            check=False,
        )

    return {
        "every-element": every_element_document(),
        "planning-reviewer": build(anna, "planning", "reviewer", demo.as_of),
        "check-in-reviewee": build(anna, "check_in", "reviewee", demo.as_of),
        "final-reviewee": build(last_year, "final", "reviewee", last_year.period_end),
        "ect-progress-headteacher": build(sam, "ect_progress", "headteacher", demo.as_of),
    }


CASES = [
    (name, fmt)
    for name in (
        "every-element",
        "planning-reviewer",
        "check-in-reviewee",
        "final-reviewee",
        "ect-progress-headteacher",
    )
    for fmt in ("md", "html", "json", "docx")
]


def _golden_bytes(document: Document, fmt: str) -> bytes:
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(render(document, "docx"))) as archive:
            return archive.read("word/document.xml")
    return render(document, "markdown" if fmt == "md" else fmt)


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return _documents()


@pytest.mark.parametrize(("name", "fmt"), CASES)
def test_output_matches_the_golden_file(
    name: str, fmt: str, documents: dict[str, Document]
) -> None:
    suffix = "document.xml" if fmt == "docx" else fmt
    path = GOLDEN / f"{name}.{suffix}"
    actual = _golden_bytes(documents[name], fmt)
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_bytes(actual)
    if not path.exists():
        pytest.fail(f"no golden file {path.name}: run with DEVCYCLE_UPDATE_GOLDEN=1 to write it")

    assert path.read_bytes() == actual, (
        f"{path.name} differs; if the change is intended, regenerate with DEVCYCLE_UPDATE_GOLDEN=1"
    )


def test_golden_html_parses_strictly() -> None:
    for path in sorted(GOLDEN.glob("*.html")):
        parse_html(path.read_bytes())
