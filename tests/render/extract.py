"""Read rendered output back the way a person (or a program) would see it, for the tests."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import html5lib
import pytest
from docx.oxml.ns import qn

_HIDDEN = {"style", "script", "title", "head"}
_XHTML = "{http://www.w3.org/1999/xhtml}"


def parse_html(data: bytes | str) -> Any:
    """Parse HTML with html5lib's strict parser: any parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    return parser.parse(data)


def html_text(data: bytes | str) -> str:
    """Return the text content of an HTML page's body, block elements separated."""
    root = parse_html(data)
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag.split("}")[-1] if isinstance(element.tag, str) else ""
        if tag in _HIDDEN:
            if element.tail:
                parts.append(element.tail)
            return
        if element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
        parts.append(" ")
        if element.tail:
            parts.append(element.tail)

    body = root.find(f"{_XHTML}body")
    assert body is not None
    walk(body)
    return "".join(parts)


def assert_html_inert(data: bytes | str) -> None:
    """Fail if the page has a script, an event-handler attribute or a javascript: URL."""
    root = parse_html(data)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.split("}")[-1]
        assert tag not in ("script", "iframe", "object", "embed", "base", "form"), tag
        for name, value in element.attrib.items():
            local = name.split("}")[-1].lower()
            assert not local.startswith("on"), f"event handler {name}={value!r} on <{tag}>"
            if local in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith(("javascript:", "data:text")), value


def markdown_to_html(data: bytes) -> str:
    """Convert Markdown to HTML with a CommonMark parser that passes raw HTML through."""
    markdown_it = pytest.importorskip("markdown_it", reason="needs markdown-it-py")
    parser = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    html = parser.render(data.decode("utf-8"))
    return f"<!DOCTYPE html><html lang=en><head><title>t</title></head><body>{html}</body></html>"


def docx_text(data: bytes) -> str:
    """Return the text of a .docx: body paragraphs and table cells in order, then footers."""
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(data))
    parts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            parts.append(_paragraph_text(child))
        elif child.tag == qn("w:tbl"):
            for paragraph in child.iter(qn("w:p")):
                parts.append(_paragraph_text(paragraph))
    for section in document.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def _paragraph_text(paragraph: Any) -> str:
    out: list[str] = []
    for node in paragraph.iter(qn("w:t"), qn("w:br"), qn("w:tab")):
        if node.tag == qn("w:t"):
            out.append(node.text or "")
        else:
            out.append("\n" if node.tag == qn("w:br") else "\t")
    return "".join(out)


FIELD_TAGS = ("w:fldChar", "w:instrText", "w:fldSimple", "w:hyperlink", "w:object", "w:ddeLink")


def assert_docx_inert(data: bytes) -> None:
    """Fail if the .docx has field codes, hyperlinks, macros or external relationships."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert not any(n.endswith(".bin") or "vbaProject" in n for n in names), names
        for name in names:
            if not name.endswith(".xml") and not name.endswith(".rels"):
                continue
            xml = archive.read(name).decode("utf-8")
            for tag in FIELD_TAGS:
                assert f"<{tag}" not in xml, f"{tag} in {name}"
            assert 'TargetMode="External"' not in xml, name


def json_text(data: bytes) -> str:
    """Return every string in a JSON document, in order."""
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(data))
    return "\n".join(out)
