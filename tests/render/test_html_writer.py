"""The HTML renderer's direct writer writes the very page the built-in template writes.

For the built-in template and a document without charts, `HtmlRenderer` writes the page
straight from the document instead of walking the template with Jinja2 (issue 16, point 3:
the walk cost several times a bare template). The template stays the definition of the
page: these tests hold the writer to it byte for byte, on generated documents (every kind
of block, hostile text, forbidden control characters, nesting past six levels) and on the
shipped proformas.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("jinja2")

from devcycle.demo import build_demo
from devcycle.document import (
    BulletList,
    Checklist,
    ChecklistItem,
    Document,
    Field,
    Mark,
    Note,
    NoteKind,
    Paragraph,
    Section,
    Signatory,
    SignatureBlock,
    Table,
)
from devcycle.proforma import STAGES, build_proforma
from devcycle.render.html import HtmlRenderer
from devcycle.testing.renderer_contract import (
    documents,
    every_element_document,
    hostile_document,
    plain_texts,
)


def _through_template(renderer: HtmlRenderer, document: Document) -> bytes:
    """The page as the Jinja2 template writes it (the writer switched off)."""
    renderer._direct = False
    try:
        return renderer.render(document)
    finally:
        renderer._direct = True


def _both(document: Document, **options: Any) -> tuple[bytes, bytes]:
    renderer = HtmlRenderer(**options)
    return renderer.render(document), _through_template(renderer, document)


@settings(max_examples=150, deadline=None)
@given(documents())
def test_the_writer_writes_what_the_template_writes(document: Document) -> None:
    direct, template = _both(document)
    assert direct == template


@settings(max_examples=60, deadline=None)
@given(
    plain_texts(0, 40) | st.sampled_from(["a\x00b", "\x0b", "x\ud800", "\ufffe<", "\x85&"]),
    st.integers(-1, 12),
)
def test_forbidden_characters_and_every_line_count(text: str, lines: int) -> None:
    document = Document(
        title=f"T{text}",
        subtitle=text,
        header=(Field("Name", text),),
        footer=text,
        body=(
            Section(
                f"S{text}",
                (
                    Field("Blank", "", lines=lines, hint=text),
                    Field("Full", f"v{text}", lines=lines),
                    Paragraph(text),
                    BulletList((text, "b"), ordered=lines % 2 == 0),
                    BulletList(()),
                    Table(("A", "B"), ((text, "2026-10-14"), ("14 Oct 2026", text)), caption=text),
                    Table(("A",), (), row_headers=True),
                    Table(("A", "B"), ((text, "1 October 2026"),), row_headers=True),
                    Checklist((ChecklistItem(f"i{text}", note=text, mark=Mark.PARTLY_MET),)),
                    Checklist((), title=text),
                    SignatureBlock(
                        (Signatory("Reviewee", text, date(2027, 7, 1)), Signatory("Reviewer")),
                        statement=text,
                    ),
                    Note(f"n{text}", kind=NoteKind.CONFIDENTIAL),
                    Section("Empty", (), id=text, new_page=True, restricted_to=("line_manager",)),
                ),
                id="x",
                restricted_to=("reviewer", "governors_panel"),
            ),
        ),
    )
    direct, template = _both(document)
    assert direct == template


def test_deep_nesting_stops_at_h6() -> None:
    block: Any = Paragraph("deep")
    for depth in range(8):
        block = Section(f"Level {depth}", (block, Field("F", "")))
    direct, template = _both(Document(title="Deep", body=(block,)))
    assert direct == template
    assert b"<h6" in direct
    assert b"<h7" not in direct


def test_subclasses_of_blocks_are_written_as_their_kind() -> None:
    class Wide(Field):
        pass

    class Loud(Paragraph):
        pass

    document = Document(
        title="Sub",
        body=(Section("S", (Field("A", "1"), Wide("B", ""), Loud("<p>"), Wide("C", "3"))),),
    )
    direct, template = _both(document)
    assert direct == template


@pytest.mark.parametrize("make", [every_element_document, hostile_document])
def test_the_contract_documents(make: Any) -> None:
    direct, template = _both(make(), css="body { color: black; }")
    assert direct == template


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("audience", ["reviewee", "reviewer", "headteacher", "governors_panel"])
def test_every_shipped_proforma(stage: str, audience: str) -> None:
    from devcycle.catalogues import framework

    demo = build_demo()
    teachers = framework("england-teachers-standards")
    for cycle in demo.cycles[:4]:
        document = build_proforma(
            cycle,
            stage,
            audience=audience,
            as_of=demo.as_of,
            school=demo.school,
            staff=demo.staff,
            cpd=demo.cpd,
            framework=teachers,
            check=False,
        )
        direct, template = _both(document)
        assert direct == template


def test_documents_with_charts_go_through_the_template() -> None:
    chart = every_element_document()  # it holds charts: the writer hands them back
    direct, template = _both(chart)
    assert direct == template
    assert b"<svg" in direct
    nested = Document(title="Nested", body=(Section("Outer", chart.body),))
    assert _both(nested)[0] == _both(nested)[1]


def test_a_schools_own_template_is_used(tmp_path: Any) -> None:
    (tmp_path / "document.html.j2").write_text("<p>{{ doc.title }}</p>", encoding="utf-8")
    page = HtmlRenderer(template_dir=tmp_path).render(Document(title="<Own>"))
    assert page == b"<p>&lt;Own&gt;</p>"


def test_every_forbidden_character_fails_the_quick_test() -> None:
    # The writer searches only text that str.isprintable() refuses: that must be all of it.
    forbidden = [
        *range(0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        *range(0x7F, 0xA0),
        *range(0xD800, 0xE000),
        0xFFFE,
        0xFFFF,
    ]
    for code in forbidden:
        assert not chr(code).isprintable(), hex(code)
        page = HtmlRenderer().render(Document(title="T", body=(Paragraph(f"a{chr(code)}b"),)))
        assert "a\ufffdb".encode() in page


def test_remembered_text_is_written_as_when_first_seen() -> None:
    # The writer remembers escaped text across pages (labels and hints recur on every
    # proforma of a batch): what it remembers must never change a page, in any order.
    from markupsafe import Markup

    from devcycle.render import html

    texts = ["<b>x</b> & 'y'", "a\x00b", "plain", "\ufffe<"]
    first = [HtmlRenderer().render(Document(title="T", body=(Paragraph(t),))) for t in texts]
    again = [HtmlRenderer().render(Document(title="T", body=(Paragraph(t),))) for t in texts]
    assert first == again
    assert "a\x00b" not in html._ESCAPED  # text HTML forbids is cleaned, never remembered
    # A subclass of str (markupsafe's Markup) is escaped as the plain text it holds, once,
    # whether or not the same text was written before.
    html._ESCAPED.clear()
    marked = Document(title="T", body=(Paragraph(Markup("<b>x</b> & y")),))
    alone = HtmlRenderer().render(marked)
    HtmlRenderer().render(Document(title="T", body=(Paragraph("<b>x</b> & y"),)))
    assert HtmlRenderer().render(marked) == alone
    assert b"&lt;b&gt;x&lt;/b&gt; &amp; y" in alone


def test_remembered_text_stays_bounded() -> None:
    from devcycle.render import html

    for number in range(html._ESCAPED_LIMIT + 10):
        HtmlRenderer().render(Document(title=f"T{number}"))
        assert len(html._ESCAPED) <= html._ESCAPED_LIMIT


def test_shared_checklists_and_blank_fields_are_remembered_and_written_the_same() -> None:
    # Proformas share their blank outcome boxes and blank fields between people: the
    # writer remembers their markup (by identity for a checklist, by label, hint and
    # lines for a blank field). Remembered or not, the page is the template's.
    from devcycle.render import html

    boxes = Checklist((ChecklistItem("Met"), ChecklistItem("Not <met>", done=False)), title="O")
    blank = Field("Impact", "", lines=3, hint="What & for whom?")
    bad = Checklist((ChecklistItem("a\x01b"),), title="Bad")
    pages = [
        Document(title=f"P{n}", body=(Section("S", (boxes, blank, bad, Field("V", str(n)))),))
        for n in range(3)
    ]
    for document in pages:
        direct, template = _both(document)
        assert direct == template
        assert "a\ufffdb".encode() in direct
    assert html._CHECKLISTS[id(boxes)][0] is boxes
    assert id(bad) not in html._CHECKLISTS  # text HTML forbids is cleaned, never remembered
    assert ("Impact", "What & for whom?", 3) in html._BLANKS
    assert not any("V" in key for key in html._BLANKS)  # fields with a value are not kept


def test_remembered_blocks_stay_bounded() -> None:
    from devcycle.render import html

    for number in range(600):
        body = (Checklist((ChecklistItem(f"I{number}"),)), Field(f"L{number}", ""))
        HtmlRenderer().render(Document(title="T", body=body))
        assert len(html._CHECKLISTS) <= html._CHECKLIST_LIMIT
        assert len(html._BLANKS) <= html._ESCAPED_LIMIT


def test_the_renderers_css_is_written_as_given_before_the_page() -> None:
    # The stylesheet and the renderer's CSS are encoded once per renderer; CSS holding
    # quotes, '>' and characters beyond ASCII must still be written as given, not escaped.
    css = 'p > a { font-family: "Zoë Sans", \'Noto\'; } li::before { content: "☐"; }'
    document = Document(title="Zoë ☐", body=(Paragraph("☐ & \u2019"),))
    direct, template = _both(document, css=css)
    assert direct == template
    assert css.encode() in direct


def _marked_document(text: str) -> Document:
    """Every kind of text a page prints, each the given (possibly Markup) text."""
    from devcycle.document import Chart, Note, Series, Table

    chart = Chart(title=text, categories=[text], series=[Series(name=text, values=[1])], alt=text)
    blocks = (Paragraph(text), Note(text, kind="warning"), Table([text], [[text]], caption=text))
    return Document(title=text, subtitle=text, footer=text, body=(Section(text, (*blocks, chart)),))


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_markup_from_user_data_is_written_as_the_text_it_holds(fmt: str) -> None:
    """Regression (a user trial): markupsafe's Markup, a str subclass saying it is safe
    HTML, reached the Jinja2 path (a chart, or a school's template) and was written as
    markup: <script> in a page. Text is data whatever its type: the page is the one the
    same plain text gives, in HTML and Markdown alike."""
    from markupsafe import Markup

    from devcycle.render import render

    payload = "<script>alert(1)</script>"
    marked = render(_marked_document(Markup(payload)), fmt)
    assert marked == render(_marked_document(payload), fmt)
    assert b"<script>alert" not in marked.replace(b"\\<script>", b"")


def test_markup_in_a_schools_own_template_is_escaped(tmp_path: Path) -> None:
    from markupsafe import Markup

    from devcycle.render import html

    source = (Path(html.__file__).parent / "templates" / "document.html.j2").read_text()
    (tmp_path / "document.html.j2").write_text(source, encoding="utf-8")
    page = HtmlRenderer(template_dir=tmp_path).render(
        Document(title="T", body=(Paragraph(Markup("<img src=x onerror=alert(1)>")),))
    )
    assert b"<img src=x" not in page
    assert b"&lt;img src=x onerror=alert(1)&gt;" in page
