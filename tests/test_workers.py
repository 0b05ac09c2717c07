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


def _base_url() -> str:
    """The URL as given to the run: the worker's URL less the worker's and run's suffix."""
    import sqlalchemy as sa

    url = sa.engine.make_url(URL)
    assert url.database is not None
    suffix = f"_{WORKER}_{RUN[:8]}"
    return url.set(database=url.database.removesuffix(suffix)).render_as_string(hide_password=False)


@pytest.mark.postgres
@pytest.mark.skipif(not WORKER, reason="not run by a pytest-xdist worker")
@pytest.mark.skipif(not URL, reason="DEVCYCLE_TEST_POSTGRES_URL is unset")
def test_a_killed_run_s_databases_are_dropped_by_the_next_run_and_no_live_one_is() -> None:
    """A run killed with SIGKILL never drops its workers' databases: the next run does.

    A worker database nobody holds the lock of is stale; one whose worker is running (its
    lock held, as this test holds one) stays, so that two runs on one server keep apart.
    """
    import subprocess
    import sys
    from pathlib import Path

    import sqlalchemy as sa

    base = _base_url()
    pytest_ = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    database = sa.engine.make_url(base).database
    stale, live = f"{database}_gw97_deadbeef", f"{database}_gw98_0badcafe"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as holder:
            holder.exec_driver_sql(
                "SELECT pg_advisory_lock(hashtextextended(%(name)s, 0))", {"name": live}
            )
            for name in (stale, live):
                holder.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                holder.exec_driver_sql(f'CREATE DATABASE "{name}"')
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
            env["DEVCYCLE_TEST_POSTGRES_URL"] = base
            result = subprocess.run(
                [*pytest_, "-n", "1", "--co", "-q", "tests/test_workers.py"],
                cwd=Path(__file__).resolve().parents[1],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, result.stdout + result.stderr
            names = set(holder.exec_driver_sql("SELECT datname FROM pg_database").scalars())
            assert stale not in names
            assert live in names
            holder.exec_driver_sql(f'DROP DATABASE IF EXISTS "{live}" WITH (FORCE)')
    finally:
        admin.dispose()
