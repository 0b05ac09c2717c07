"""Storage test fixtures: temporary stores of every backend, PostgreSQL in its own schema."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

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
