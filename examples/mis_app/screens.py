"""The example app's pages as the docs show them: one scene, its pages and their digests.

``scripts/app-screenshots`` builds this scene in a fresh store, has headless Chromium load
every page in `SHOTS` and saves ``docs/images/app/NAME.png`` for each, with
``docs/images/app/screenshots.json`` holding a digest of what each page served (its HTML
and the app's static files). ``tests/example_app/test_screenshots.py`` builds the scene
again and fails when a digest differs: the page changed and its screenshot is stale.

The scene: the demo school (Oakfield) on 12 February 2027, with a new teacher (Nia Lewis,
N015) whose objective waits for her reviewer's agreement. Every report and every proforma
stage is shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import devcycle as dc
from devcycle.reports import REPORT_NAMES

HERE = Path(__file__).resolve().parent
AS_OF = date(2027, 2, 12)
"""The day the scene is set on: inside the demo school's 2026/27 year."""
JOINER = "N015"
SCHOOL = "oakfield"
STAGES = ("planning", "check_in", "mid_year", "final")


class Shot(NamedTuple):
    """One page of the docs: its image name, who is signed in (None: nobody), its path."""

    name: str
    who: str | None
    path: str


SHOTS: tuple[Shot, ...] = (
    Shot("sign-in", None, "/"),
    Shot("cycles-reviewee", "T006", "/cycles"),
    Shot("cycle-reviewee", "T006", "/cycles/2026-T006"),
    *(Shot(f"proforma-{stage}", "T006", f"/cycles/2026-T006/proforma/{stage}") for stage in STAGES),
    Shot("cycle-reviewer", "M004", f"/cycles/2026-{JOINER}"),
    Shot("reports", "H001", "/reports"),
    *(Shot(f"report-{name}", "H001", f"/reports/{name}") for name in REPORT_NAMES),
)
"""Every page in the docs, in the order a browser visits them."""


def build_scene(store_url: str) -> Any:
    """Save the scene into an empty store and return the app over it."""
    from app import create_app, seed_demo  # noqa: PLC0415 - beside this file

    seed_demo(store_url)
    with dc.open_store(store_url) as store, store.transaction() as tx:
        tx.staff.add(
            dc.StaffMember(
                id=JOINER,
                name="Nia Lewis",
                school_id=SCHOOL,
                roles={"teacher"},
                reviewer_id="M004",
                team_ids=["ks2"],
            )
        )
        cycle = dc.Cycle(
            id=f"2026-{JOINER}",
            school_id=SCHOOL,
            staff_id=JOINER,
            reviewer_id="M004",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        cycle.start_planning(by="M004", on=AS_OF)
        cycle.propose_objective(
            by=JOINER,
            on=AS_OF,
            statement=(
                "Raise the reading fluency of the six Year 4 pupils below age-related "
                "expectations through guided reading three times a week, measured by their "
                "words-per-minute scores in the July assessment."
            ),
            success_criteria=["5 of the 6 pupils read at 90+ words a minute by July"],
            deadline=date(2027, 7, 16),
        )
        tx.cycles.add(cycle)
        tx.commit()
    return create_app(store_url, today=AS_OF, secret="screenshots")


@contextmanager
def signed_in(app: Any, who: str | None) -> Iterator[Any]:
    """A test client over *app*, signed in as *who* of the scene's school (None: nobody)."""
    from fastapi.testclient import TestClient  # noqa: PLC0415 - only for digests

    with TestClient(app) as client:
        if who is not None:
            response = client.post("/sign-in", data={"person": f"{SCHOOL}/{who}"})
            response.raise_for_status()
        yield client


def static_digest() -> str:
    """A digest of the app's static files (how every page looks)."""
    sha = hashlib.sha256()
    for path in sorted((HERE / "static").iterdir()):
        sha.update(path.name.encode())
        sha.update(path.read_bytes().replace(b"\r\n", b"\n"))
    return sha.hexdigest()


def digests(app: Any) -> dict[str, str]:
    """Each shot's digest: the page's HTML as served, with the static files it uses."""
    result: dict[str, str] = {}
    look = static_digest()
    for shot in SHOTS:
        with signed_in(app, shot.who) as client:
            response = client.get(shot.path)
            response.raise_for_status()
        sha = hashlib.sha256(response.content)
        sha.update(look.encode())
        result[shot.name] = sha.hexdigest()[:16]
    return result
