"""Every built-in renderer passes the shipped renderer contract."""

from __future__ import annotations

import pytest

from devcycle.render import Renderer, get_renderer
from devcycle.testing.renderer_contract import RendererContract

from .extract import (
    assert_docx_inert,
    assert_html_inert,
    docx_text,
    html_text,
    json_text,
    markdown_to_html,
)


class TestMarkdownRenderer(RendererContract):
    def make_renderer(self) -> Renderer:
        return get_renderer("markdown")

    def extract_text(self, data: bytes) -> str:
        return html_text(markdown_to_html(data))

    def assert_inert(self, data: bytes) -> None:
        assert_html_inert(markdown_to_html(data))


class TestHtmlRenderer(RendererContract):
    def make_renderer(self) -> Renderer:
        return get_renderer("html")

    def extract_text(self, data: bytes) -> str:
        return html_text(data)

    def assert_inert(self, data: bytes) -> None:
        assert_html_inert(data)
        assert b"default-src 'none'" in data


class TestDocxRenderer(RendererContract):
    long_text_size = 20_000
    property_examples = 20

    def make_renderer(self) -> Renderer:
        pytest.importorskip("docx")
        return get_renderer("docx")

    def extract_text(self, data: bytes) -> str:
        return docx_text(data)

    def assert_inert(self, data: bytes) -> None:
        assert_docx_inert(data)


class TestJsonRenderer(RendererContract):
    def make_renderer(self) -> Renderer:
        return get_renderer("json")

    def extract_text(self, data: bytes) -> str:
        return json_text(data)

    def assert_inert(self, data: bytes) -> None:
        for raw in (b"<", b">", b"&"):
            assert raw not in data
