"""The docs' screenshots of the example app are current (issue 14, "what it must show").

`scripts/app-screenshots` saves a screenshot of every page in `screens.SHOTS` (the app's
pages, every report, every proforma stage) and a digest of what each page served. Here the
same scene is built again and every page fetched: a digest that differs means the page
changed since its screenshot was taken.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

DOCS = Path(__file__).resolve().parents[2] / "docs"
IMAGES = DOCS / "images" / "app"
MANIFEST = IMAGES / "screenshots.json"
PAGE = DOCS / "how-to" / "example-app.md"
RERUN = "stale screenshots: run scripts/app-screenshots and commit docs/images/app"


def _manifest() -> dict[str, str]:
    data: dict[str, str] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_every_report_and_proforma_stage_has_a_shot(screens: ModuleType) -> None:
    from devcycle.reports import REPORT_NAMES

    names = {shot.name for shot in screens.SHOTS}
    assert {f"report-{name}" for name in REPORT_NAMES} <= names
    assert {f"proforma-{stage}" for stage in screens.STAGES} <= names
    app = __import__("app")
    assert tuple(screens.STAGES) == tuple(app.STAGES)


def test_each_shot_has_an_image_shown_in_the_docs(screens: ModuleType) -> None:
    page = PAGE.read_text(encoding="utf-8")
    names = [shot.name for shot in screens.SHOTS]
    assert list(_manifest()) == names, RERUN
    assert {p.stem for p in IMAGES.glob("*.png")} == set(names), RERUN
    for name in names:
        assert f"../images/app/{name}.png" in page, f"{name} is not shown in {PAGE.name}"


def test_each_screenshot_shows_the_page_as_it_is_now(screens: ModuleType, scene: Any) -> None:
    now = screens.digests(scene)
    stale = sorted(name for name, digest in now.items() if _manifest().get(name) != digest)
    assert not stale, f"{RERUN} (changed: {', '.join(stale)})"
