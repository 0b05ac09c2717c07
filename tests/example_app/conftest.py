"""The example MIS app (examples/mis_app) over PostgreSQL when a server is available."""

from __future__ import annotations

import importlib
import os
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import devcycle as dc

APP_DIR = Path(__file__).resolve().parents[2] / "examples" / "mis_app"
AS_OF = date(2027, 2, 12)  # inside the demo school's 2026/27 year
JOINER = "N015"


def _import_app(name: str = "app") -> ModuleType:
    """Import examples/mis_app/NAME.py; skip (or, where CI requires it, fail) without its deps."""
    missing = [
        name
        for name in ("fastapi", "httpx2", "itsdangerous", "multipart")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        reason = f"the example app needs examples/mis_app/requirements.txt (missing: {missing})"
        if os.environ.get("DEVCYCLE_REQUIRE_APP"):
            pytest.fail(reason)
        pytest.skip(reason)
    sys.path.insert(0, str(APP_DIR))
    try:
        importlib.import_module("app")
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(APP_DIR))


@pytest.fixture(scope="session")
def app_module() -> ModuleType:
    return _import_app()


@pytest.fixture(scope="session")
def screens() -> ModuleType:
    """examples/mis_app/screens.py: the scene the docs' screenshots show."""
    return _import_app("screens")


@pytest.fixture(scope="session")
def scene(screens: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The app over the screenshots' scene, in a fresh SQLite store of its own."""
    return screens.build_scene(f"sqlite:///{tmp_path_factory.mktemp('scene') / 'scene.db'}")


@pytest.fixture(scope="session")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """PostgreSQL in a schema of its own if DEVCYCLE_TEST_POSTGRES_URL is set, else SQLite."""
    base = os.environ.get("DEVCYCLE_TEST_POSTGRES_URL", "")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.db'}"
        return
    import sqlalchemy as sa

    schema = f"devcycle_app_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    joiner = "&" if "?" in base else "?"
    try:
        yield f"{base}{joiner}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@pytest.fixture(scope="session")
def app(app_module: ModuleType, store_url: str) -> Any:
    app_module.seed_demo(store_url)
    return app_module.create_app(store_url, today=AS_OF, secret="test-secret")


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def joiners_cycle(app: Any) -> str:
    """A new teacher whose cycle is at the planning stage (the demo's cycles are all active)."""
    store = app.state.store
    try:
        store.staff.get("oakfield", JOINER)
    except dc.NotFoundError:
        store.staff.add(
            dc.StaffMember(
                id=JOINER,
                name="Nia Lewis",
                school_id="oakfield",
                roles={"teacher"},
                reviewer_id="M004",
                team_ids=["ks2"],
            )
        )
        cycle = dc.Cycle(
            id=f"2026-{JOINER}",
            school_id="oakfield",
            staff_id=JOINER,
            reviewer_id="M004",
            period_start=AS_OF.replace(year=2026, month=9, day=1),
            period_end=AS_OF.replace(year=2027, month=8, day=31),
        )
        cycle.start_planning(by="M004", on=AS_OF)
        store.cycles.add(cycle)
    return f"2026-{JOINER}"
