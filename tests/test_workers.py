"""Each pytest-xdist worker has a PostgreSQL database of its own (tests/conftest.py).

`scripts/test` spreads the suite over the machine's cores. Tests that wipe or fill the test
database must not meet another worker's rows, so each worker's DEVCYCLE_TEST_POSTGRES_URL
names a database made for it.
"""

from __future__ import annotations

import os

import pytest

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
URL = os.environ.get("DEVCYCLE_TEST_POSTGRES_URL", "")


@pytest.mark.postgres
@pytest.mark.skipif(not WORKER, reason="not run by a pytest-xdist worker")
@pytest.mark.skipif(not URL, reason="DEVCYCLE_TEST_POSTGRES_URL is unset")
def test_a_worker_has_a_database_of_its_own() -> None:
    import sqlalchemy as sa

    url = sa.engine.make_url(URL)
    assert url.database is not None
    # named after the worker and the run: two runs at once on one server (found with a
    # local run beside CI's) dropped each other's databases when named after the worker only
    assert RUN
    assert url.database.endswith(f"_{WORKER}_{RUN[:8]}")
    engine = sa.create_engine(URL)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT current_database()").scalar() == (
                url.database
            )
    finally:
        engine.dispose()
