"""Real clients open what we write: LibreOffice reads the .docx, Chromium renders the HTML.

These run Debian's ``libreoffice-writer-nogui`` and ``chromium`` (installed by ``.ci/run``)
and skip with the reason when they are not installed. A few representative files only:
LibreOffice takes seconds per run.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from devcycle.catalogues import framework
from devcycle.demo import build_demo
from devcycle.document import Document, Paragraph, Section
from devcycle.proforma import build_proforma
from devcycle.render import render
from devcycle.testing.renderer_contract import (
    HOSTILE,
    RTL,
    every_element_document,
    hostile_document,
    normalise,
)

from .extract import docx_text, parse_html

pytestmark = pytest.mark.slow

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (Debian: libreoffice-writer-nogui)"
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (Debian: chromium)"
)


def _demo_documents() -> dict[str, Document]:
    demo = build_demo()
    teachers = framework("england-teachers-standards")
    anna = next(c for c in demo.cycles if c.staff_id == "T006" and not c.is_closed)
    last_year = next(c for c in demo.cycles if c.is_closed)
    common = {"school": demo.school, "staff": demo.staff, "cpd": demo.cpd, "framework": teachers}
    return {
        "planning": build_proforma(
            anna, "planning", audience="reviewer", as_of=demo.as_of, **common
        ),  # type: ignore[arg-type]
        "final": build_proforma(
            last_year,
            "final",
            audience="reviewee",
            as_of=last_year.period_end,
            **common,  # type: ignore[arg-type]
        ),
        "every": every_element_document(),
        "hostile": hostile_document(),
    }


def _soffice(tmp_path: Path, target: str, files: list[Path]) -> None:
    assert SOFFICE is not None
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            "--headless",
            "--norestore",
            "--nologo",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path / "out"),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )


@needs_soffice
def test_libreoffice_converts_our_docx_to_pdf_and_reads_its_text(tmp_path: Path) -> None:
    files = []
    for name, document in _demo_documents().items():
        path = tmp_path / f"{name}.docx"
        path.write_bytes(render(document, "docx"))
        files.append(path)

    _soffice(tmp_path, "pdf", files)
    _soffice(tmp_path, "txt:Text (encoded):UTF8", files[2:])

    for path in files:
        pdf = tmp_path / "out" / f"{path.stem}.pdf"
        assert pdf.read_bytes().startswith(b"%PDF-"), pdf
        assert pdf.stat().st_size > 2000
    hostile = normalise((tmp_path / "out" / "hostile.txt").read_text(encoding="utf-8-sig"))
    for text in HOSTILE:
        assert normalise(text) in hostile
    every = (tmp_path / "out" / "every.txt").read_text(encoding="utf-8-sig")
    assert "KS2 has five green objectives and no red" in every


def test_python_docx_reads_our_docx_back() -> None:
    pytest.importorskip("docx")
    documents = _demo_documents()

    text = docx_text(render(documents["final"], "docx"))

    assert "Final review" in text
    assert "Interventions need to sit inside the timetable, not at lunchtime." in text


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            *args,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_chromium
def test_chromium_renders_a_proforma_to_a_screenshot_and_a_pdf(tmp_path: Path) -> None:
    page = tmp_path / "planning.html"
    page.write_bytes(render(_demo_documents()["planning"], "html"))
    shot = tmp_path / "planning.png"
    pdf = tmp_path / "planning.pdf"

    _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1024,1400", page.as_uri())
    _chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())

    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert shot.stat().st_size > 10_000
    assert pdf.read_bytes().startswith(b"%PDF-")


@needs_chromium
def test_hostile_text_never_runs_in_a_browser(tmp_path: Path) -> None:
    payload = (
        "<script>document.documentElement.setAttribute('data-pwned','script')</script>",
        "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">",
        "<svg onload=\"document.documentElement.setAttribute('data-pwned','svg')\"></svg>",
        *RTL,
    )
    document = Document(
        payload[0],
        subtitle=payload[1],
        body=(Section(payload[2], tuple(Paragraph(p) for p in payload)), *hostile_document().body),
    )
    page = tmp_path / "hostile.html"
    page.write_bytes(render(document, "html"))

    dom = _chromium(tmp_path, "--dump-dom", "--virtual-time-budget=2000", page.as_uri()).stdout

    assert "data-pwned=" not in dom.split("<head>")[0]
    assert parse_html(dom).get("data-pwned") is None
    assert "<script>document" not in dom
    assert "&lt;script&gt;document" in dom


def test_every_demo_proforma_parses_as_strict_html5() -> None:
    for document in _demo_documents().values():
        parse_html(io.BytesIO(render(document, "html")).read())
