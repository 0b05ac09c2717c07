"""Renderers are found by name, lazily, with plug-ins and clear errors."""

from __future__ import annotations

import builtins
import importlib
import sys
from typing import Any, ClassVar

import pytest

from devcycle.document import Document, Paragraph
from devcycle.errors import ConfigError, PluginError, RenderError
from devcycle.render import base, get_renderer, render, renderer_names
from devcycle.render.base import Renderer


def test_builtin_renderers_are_listed_and_found_by_name_or_alias() -> None:
    assert {"markdown", "html", "docx", "json"} <= set(renderer_names())
    assert get_renderer("md").name == "markdown"
    assert get_renderer("Word").name == "docx"
    assert get_renderer("HTML").suffix == ".html"


def test_an_unknown_format_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="unknown format 'pdf'; expected one of: docx, html"):
        get_renderer("pdf")


def test_a_missing_library_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_jinja(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "jinja2" or name.startswith("jinja2."):
            raise ModuleNotFoundError("No module named 'jinja2'", name="jinja2")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "devcycle.render.html", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_jinja)

    with pytest.raises(
        ConfigError, match=r'renderer \'html\' needs: pip install "devcycle\[html\]"'
    ):
        get_renderer("html")


def test_importing_devcycle_render_imports_no_optional_library() -> None:
    code = (
        "import sys, devcycle.render, devcycle.proforma, devcycle.document;"
        "bad = [m for m in ('jinja2', 'docx', 'lxml') if m in sys.modules];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout


class _Upper(Renderer):
    name: ClassVar[str] = "upper"
    media_type: ClassVar[str] = "text/plain"
    suffix: ClassVar[str] = ".txt"

    def __init__(self, *, shout: bool = True) -> None:
        self.shout = shout

    def render(self, document: Document) -> bytes:
        return document.title.upper().encode()


class _EntryPoint:
    def __init__(self, name: str, value: object, fail: bool = False) -> None:
        self.name = name
        self.value = f"plugin:{name}"
        self._value = value
        self._fail = fail

    def load(self) -> object:
        if self._fail:
            raise ImportError("plugin is broken")
        return self._value


def test_plugins_register_through_the_entry_point_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_entry_points", lambda: {"upper": _EntryPoint("upper", _Upper)})

    assert "upper" in renderer_names()
    assert render(Document("hello"), "upper", shout=True) == b"HELLO"
    assert base.ENTRY_POINT_GROUP == "devcycle.renderers"


def test_a_broken_plugin_is_a_plugin_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        base,
        "_entry_points",
        lambda: {"bad": _EntryPoint("bad", None, fail=True), "odd": _EntryPoint("odd", dict)},
    )

    with pytest.raises(PluginError, match="could not be loaded"):
        get_renderer("bad")
    with pytest.raises(PluginError, match=r"is not a devcycle\.render\.Renderer"):
        get_renderer("odd")


def test_unknown_options_are_a_config_error() -> None:
    with pytest.raises(ConfigError, match="does not take these options: colour"):
        get_renderer("markdown", colour="red")


def test_render_refuses_what_is_not_a_document() -> None:
    with pytest.raises(RenderError, match=r"takes a devcycle\.document\.Document"):
        render("hello", "markdown")  # type: ignore[arg-type]


def test_html_accepts_a_schools_css_but_not_markup() -> None:
    page = render(Document("x", body=(Paragraph("y"),)), "html", css="h1 { color: #600; }")

    assert b"h1 { color: #600; }" in page
    with pytest.raises(RenderError, match="must not contain"):
        get_renderer("html", css="</style><script>")


def test_a_word_template_sets_the_styles(tmp_path: Any) -> None:
    docx = pytest.importorskip("docx")
    template = docx.Document()
    template.styles["Normal"].font.name = "Comic Sans MS"
    path = tmp_path / "letterhead.docx"
    template.save(str(path))

    data = render(Document("Styled"), "docx", template=path)

    assert b"Comic Sans MS" in importlib.import_module("zipfile").ZipFile(
        importlib.import_module("io").BytesIO(data)
    ).read("word/styles.xml")


def test_a_missing_word_template_is_a_render_error(tmp_path: Any) -> None:
    with pytest.raises(RenderError, match="cannot read the Word template"):
        get_renderer("docx", template=tmp_path / "nope.docx")


def test_docx_output_carries_fixed_times_for_reproducible_bytes() -> None:
    pytest.importorskip("docx")
    import io
    import zipfile

    data = render(Document("Same"), "docx")

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2000-01-01T00:00:00Z" in core


class _Shout(Renderer):
    name = "shout"
    media_type = "text/plain; charset=utf-8"
    suffix = ".txt"

    def render(self, document: Any) -> bytes:
        return document.title.upper().encode()


def test_a_renderer_registered_in_code_is_found_by_name_and_listed() -> None:
    from devcycle.document import Document
    from devcycle.render import format_key, register_renderer, render, unregister_renderer

    register_renderer("Shout", _Shout)
    try:
        assert "shout" in renderer_names()
        assert format_key("SHOUT") == "shout"
        assert render(Document(title="Anna"), "shout") == b"ANNA"
    finally:
        unregister_renderer("shout")
    assert "shout" not in renderer_names()
    assert format_key("shout") is None


def test_a_built_in_format_cannot_be_replaced() -> None:
    from devcycle.render import register_renderer

    for name in ("html", "md", ""):
        with pytest.raises(ConfigError, match="cannot register"):
            register_renderer(name, _Shout)


def test_a_mistyped_format_gets_a_suggestion() -> None:
    with pytest.raises(ConfigError, match="did you mean 'html'"):
        get_renderer("htlm")
