"""Outputs people are glad to read: one status vocabulary, human numbers, paper, no entities."""

from __future__ import annotations

import io
import zipfile

import pytest

from devcycle.document import (
    Checklist,
    ChecklistItem,
    Document,
    Mark,
    Paragraph,
    Section,
    format_number,
)
from devcycle.errors import RenderError
from devcycle.render import get_renderer, render


def checklist_document() -> Document:
    items = (
        ChecklistItem("Met point", done=True),
        ChecklistItem("Failed point", done=False),
        ChecklistItem("Partial point", mark=Mark.PARTLY_MET),
        ChecklistItem("Open point"),
        ChecklistItem("Later point", mark="not_applicable"),
    )
    return Document("Checks", (Section("Points", (Checklist(items),)),))


@pytest.mark.parametrize(
    ("value", "expected"),
    [(211.0, "211"), (19.9166, "19.9"), (1250, "1,250"), (-0.01, "0"), (0.26, "0.3"), (3.5, "3.5")],
)
def test_numbers_are_formatted_for_people(value: float, expected: str) -> None:
    """No trailing .0, at most one decimal, thousands separated, no -0."""
    assert expected == format_number(value)


def test_a_failed_point_shows_a_cross_never_a_box_in_every_format() -> None:
    """Markdown, HTML and Word show the same glyph for each status; a failure is a cross."""
    document = checklist_document()
    markdown = render(document, "markdown").decode()
    html = render(document, "html").decode()
    word = zipfile.ZipFile(io.BytesIO(render(document, "docx"))).read("word/document.xml").decode()

    for text in (markdown, html, word):
        assert "✗ " in text or "✗</span>" in text
        for mark in Mark:
            assert mark.glyph in text
        assert "☒" not in text
        assert "☑" not in text
    assert "Not met: </span>Failed point" in html


def test_marks_have_distinct_glyphs_and_words() -> None:
    """No two statuses share a glyph or a word."""
    assert len(Mark) == len({m.glyph for m in Mark}) == len({m.word for m in Mark})
    assert Mark.PARTLY_MET.label == "◐\u00a0Partly\u00a0met"


def test_markdown_writes_no_html_entities_for_ordinary_text() -> None:
    """An ampersand or angle bracket in text is not written as an HTML entity."""
    document = Document("Oakfield Primary & Nursery", (Paragraph("Years 3 & 4 <KS2> > KS1"),))

    text = render(document, "markdown").decode()

    assert "&amp;" not in text
    assert "&lt;" not in text
    assert "&gt;" not in text
    assert "# Oakfield Primary & Nursery" in text


def test_markdown_still_escapes_an_ampersand_that_would_start_an_entity() -> None:
    """``&copy;`` typed by a user stays those six characters."""
    text = render(Document("T", (Paragraph("&copy; &#169;"),)), "markdown").decode()

    assert "\\&copy; \\&#169;" in text


def _page_size(data: bytes) -> tuple[str, str]:
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    start = xml.index("<w:pgSz")
    tag = xml[start : xml.index("/>", start)]
    width = tag.split('w:w="')[1].split('"')[0]
    height = tag.split('w:h="')[1].split('"')[0]
    return width, height


def test_word_is_a4_by_default_and_letter_when_asked() -> None:
    """A4 is 11906 x 16838 twentieths of a point; US Letter 12240 x 15840."""
    document = checklist_document()

    assert _page_size(render(document, "docx")) == ("11906", "16838")
    assert _page_size(get_renderer("docx", paper="Letter").render(document)) == ("12240", "15840")


def test_an_unknown_paper_size_is_refused_by_name() -> None:
    """A typo in the paper size says what is accepted."""
    with pytest.raises(RenderError, match="expected one of: A4, Letter"):
        get_renderer("docx", paper="A5")
