"""The example app in a real browser: Debian's Chromium, driven headless by Playwright.

Every page is loaded as a user reaches it; the test fails on a console error, an uncaught
script error, a failed or 4xx/5xx request, or a page missing accessibility basics (a
language, a title, one h1, a label for every form control, alt text for images). The live
checker is typed into and must answer. Screenshots go to DEVCYCLE_SCREENSHOTS if set (see
scripts/app-screenshots), else to a temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import JOINER

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.slow
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def server(scene: Any) -> Iterator[str]:
    """Serve the scene on a socket bound before the server starts, so no waiting is needed."""
    uvicorn = pytest.importorskip("uvicorn")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    config = uvicorn.Config(scene, log_level="warning", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        if os.environ.get("DEVCYCLE_REQUIRE_APP"):
            pytest.fail("no Chromium at /usr/bin/chromium (Debian package 'chromium')")
        pytest.skip("no Chromium installed (Debian package 'chromium')")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page with every console error, script error and failed request collected."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.problems: list[str] = []
        page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in {"error", "warning"}
                else None
            ),
        )
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        page.on(
            "response",
            lambda r: (
                self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None
            ),
        )

    def visit(self, path: str, shot: str) -> None:
        self.page.goto(self.base + path)
        self.check_basics(path)
        self.screenshot(shot)

    def check_basics(self, where: str) -> None:
        page = self.page
        assert page.get_attribute("html", "lang"), f"{where}: no lang"
        assert page.title().strip(), f"{where}: no title"
        assert page.locator("h1").count() == 1, f"{where}: not exactly one h1"
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                 .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                 .map(el => el.name || el.id)"""
        )
        assert unlabelled == [], f"{where}: controls without a label: {unlabelled}"
        no_alt = page.evaluate(
            "() => [...document.images].filter(i => !i.hasAttribute('alt')).length"
        )
        assert no_alt == 0, f"{where}: images without alt text"
        assert not self.problems, f"{where}: {self.problems}"

    def screenshot(self, name: str) -> None:
        folder = Path(os.environ.get("DEVCYCLE_SCREENSHOTS", "") or self.tmp)
        folder.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(folder / f"{name}.png"))
        self.shots.append(name)

    tmp: Path = Path()
    shots: list[str]


def sign_in(watched: Watched, who: str) -> None:
    page = watched.page
    page.goto(watched.base + "/")
    page.select_option("#person", f"oakfield/{who}")
    page.click("form[action='/sign-in'] button")
    page.wait_for_url("**/cycles")


def test_every_page_loads_cleanly_in_chromium(
    server: str, browser: Any, tmp_path: Path, screens: Any, scene: Any
) -> None:
    """Every page of the docs, as its user reaches it; screenshots of each.

    With DEVCYCLE_SCREENSHOTS set (scripts/app-screenshots), the screenshots and the digests
    of what each page served go there, for the docs.
    """
    context = browser.new_context(viewport={"width": 1100, "height": 1300}, locale="en-GB")
    watched = Watched(context.new_page(), server)
    watched.tmp = tmp_path
    shots: list[str] = []
    watched.shots = shots
    signed_in_as: str | None = None
    for shot in screens.SHOTS:
        if shot.who is not None and shot.who != signed_in_as:
            sign_in(watched, shot.who)
            signed_in_as = shot.who
        watched.visit(shot.path, shot.name)
    context.close()
    assert tuple(shots) == tuple(shot.name for shot in screens.SHOTS)
    folder = os.environ.get("DEVCYCLE_SCREENSHOTS", "")
    if folder:
        manifest = Path(folder) / "screenshots.json"
        manifest.write_text(json.dumps(screens.digests(scene), indent=1) + "\n", encoding="utf-8")


def test_the_checker_answers_while_an_objective_is_typed(server: str, browser: Any) -> None:
    context = browser.new_context(locale="en-GB")
    watched = Watched(context.new_page(), server)
    sign_in(watched, JOINER)
    watched.page.goto(f"{server}/cycles/2026-{JOINER}")

    watched.page.fill("#statement", "Improve my teaching.")
    watched.page.wait_for_selector("#check-result li")

    assert "S101" in watched.page.inner_text("#check-result")
    assert not watched.problems
    context.close()
