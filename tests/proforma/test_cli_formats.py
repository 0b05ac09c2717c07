"""devcycle proforma --format takes every renderer: built-in, alias or plug-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from devcycle.cli import main
from devcycle.document import Document
from devcycle.render import Renderer, base


class _TitleOnly(Renderer):
    name: ClassVar[str] = "title"
    media_type: ClassVar[str] = "text/plain; charset=utf-8"
    suffix: ClassVar[str] = ".txt"

    def render(self, document: Document) -> bytes:
        return document.title.encode("utf-8")


class _EntryPoint:
    name = "title"
    value = "tests:_TitleOnly"

    def load(self) -> Any:
        return _TitleOnly


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'demo.db'}"
    assert main(["demo", "--store", url]) == 0
    return url


def _proforma(store: str, fmt: str, out: Path) -> int:
    return main(
        [
            "proforma",
            "--store",
            store,
            "--as-of",
            "2027-02-12",
            "--person",
            "T006",
            "--stage",
            "final",
            "--audience",
            "reviewee",
            "--format",
            fmt,
            "-o",
            str(out),
        ]
    )


def test_a_plug_in_format_is_accepted_by_the_command_line(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "_entry_points", lambda: {"title": _EntryPoint()})
    out = tmp_path / "anna.txt"

    assert _proforma(store, "title", out) == 0
    assert out.read_text(encoding="utf-8") == "Final review"


def test_an_alias_still_works(store: str, tmp_path: Path) -> None:
    out = tmp_path / "anna.md"

    assert _proforma(store, "md", out) == 0
    assert out.read_text(encoding="utf-8").startswith("#")


def test_a_mistyped_format_exits_2_with_a_suggestion(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _proforma(store, "htlm", tmp_path / "x.html") == 2
    assert "did you mean 'html'" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
