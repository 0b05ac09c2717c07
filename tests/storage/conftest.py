"""Storage test fixtures: temporary stores of every backend, PostgreSQL in its own schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

from devcycle.storage import Store, open_store

POSTGRES_ENV = "DEVCYCLE_TEST_POSTGRES_URL"
POSTGRES_URL = os.environ.get(POSTGRES_ENV, "")
NO_POSTGRES = (
    f"{POSTGRES_ENV} is unset: no PostgreSQL server to test against "
    "(scripts/test and .ci/run start one with scripts/postgres-up)"
)


def _with_search_path(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A URL into a fresh PostgreSQL schema of its own, dropped at the end of the session."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    import sqlalchemy as sa

    schema = f"devcycle_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield _with_search_path(POSTGRES_URL, schema)
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@pytest.fixture(
    params=["memory", "json", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def each_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    """A store of each backend, opened once for all of a test's examples (wipe it first)."""
    name = request.param
    if name == "memory":
        url = "memory://"
    elif name == "json":
        url = f"json://{tmp_path_factory.mktemp('store-json')}"
    elif name == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store-sqlite') / 'devcycle.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    with open_store(url) as store:
        yield store
