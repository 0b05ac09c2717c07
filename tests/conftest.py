"""Shared test configuration: Hypothesis profiles and common fixtures."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# Three profiles, chosen with HYPOTHESIS_PROFILE:
# - dev (default): fast, random examples for local runs;
# - ci: thorough but derandomised, so that a run gives the same verdict on the same code
#   and a landing never turns on the luck of the draw;
# - hunt: many random examples, for hunting bugs before a release (`scripts/hunt`);
# - wheel: few derandomised examples, for the second run of the suite against the built
#   wheel in CI (the thorough run has already been made against the source).
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large]
# Every profile suppresses the health checks that measure the machine's speed: on a slow or
# busy machine they failed tests that were right, which is a test that turns on timing.
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile(
    "ci",
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.register_profile(
    "hunt",
    max_examples=2_000,
    deadline=None,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.register_profile(
    "wheel",
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=_SLOW_OK,
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Under pytest-xdist (scripts/test runs one worker per core) every worker gets a PostgreSQL
# database of its own, so that tests which wipe or fill the test database cannot meet another
# worker's rows. The database is made from DEVCYCLE_TEST_POSTGRES_URL's, named after the
# worker and the run, and dropped when the worker ends; a single-process run uses the URL as
# given. A worker holds an advisory lock named after its database for as long as it runs,
# taken before the database is made: a worker database whose lock nobody holds was left by
# a run that was killed, and the next run's controller drops it.
_POSTGRES_ENV = "DEVCYCLE_TEST_POSTGRES_URL"
# (the URL as given, the worker's database), kept on the config for pytest_unconfigure
_WORKER_DATABASE = pytest.StashKey[tuple[str, str]]()
# the worker's connection holding its database's advisory lock, and its engine
_WORKER_LOCK = pytest.StashKey[tuple[Any, Any]]()
# the lock's key for a database name (PostgreSQL's own 64-bit hash of the text)
_LOCK_KEY = "hashtextextended(%(name)s, 0)"


def _worker_database_pattern(database: str) -> re.Pattern[str]:
    """Names of the worker databases made from *database* (with or without the run's id)."""
    return re.compile(rf"{re.escape(database)}_gw\d+(_[0-9a-f]{{8}})?")


def _hold_lock(base: str, name: str) -> tuple[Any, Any]:
    """Take the advisory lock for the database *name* on a connection of its own, and keep it."""
    import sqlalchemy as sa

    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    connection = engine.connect()
    connection.exec_driver_sql(f"SELECT pg_advisory_lock({_LOCK_KEY})", {"name": name})
    return engine, connection


def _drop_stale(base: str, database: str) -> list[str]:
    """Drop the worker databases made from *database* that no running worker holds."""
    import sqlalchemy as sa

    pattern = _worker_database_pattern(database)
    dropped = []
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            names = connection.exec_driver_sql("SELECT datname FROM pg_database").scalars()
            for name in [n for n in names if pattern.fullmatch(n)]:
                held = {"name": name}
                if connection.exec_driver_sql(
                    f"SELECT pg_try_advisory_lock({_LOCK_KEY})", held
                ).scalar():
                    try:
                        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                        dropped.append(name)
                    finally:
                        connection.exec_driver_sql(f"SELECT pg_advisory_unlock({_LOCK_KEY})", held)
    finally:
        engine.dispose()
    return dropped


def _admin(base: str, *statements: str) -> None:
    """Run *statements* on *base*'s server, each outside a transaction, on one connection."""
    import sqlalchemy as sa

    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for sql in statements:
                connection.exec_driver_sql(sql)
    finally:
        engine.dispose()


def _make_database(base: str, name: str, whose: str) -> None:
    """Make the database *name* afresh on *base*'s server, or stop the run saying why."""
    import sqlalchemy as sa

    try:
        _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    except sa.exc.SQLAlchemyError as error:
        raise pytest.UsageError(
            f"{_POSTGRES_ENV}: cannot make the database {name!r} for {whose} (the role needs "
            f"CREATEDB; or run the tests in one process with -n 0): {error}"
        ) from None


def _spread(config: pytest.Config) -> bool:
    """Whether this run starts pytest-xdist workers (its controller decides by now)."""
    return bool(getattr(config.option, "numprocesses", 0)) and config.option.dist != "no"


def pytest_configure(config: pytest.Config) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    base = os.environ.get(_POSTGRES_ENV, "")
    if not base:
        return
    import sqlalchemy as sa

    url = sa.engine.make_url(base)
    if not worker:
        if _spread(config):  # one clear message here, before any worker starts and fails
            probe = f"{url.database}_probe_{os.getpid()}"
            _make_database(base, probe, "the workers")
            _admin(base, f'DROP DATABASE IF EXISTS "{probe}" WITH (FORCE)')
            # what an earlier run left when it was killed (its workers never dropped them)
            _drop_stale(base, str(url.database))
        return
    # The run's id too, so that two runs at once (two checkouts, or CI's second run) on one
    # server do not drop each other's databases.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")[:8]
    name = f"{url.database}_{worker}_{run}" if run else f"{url.database}_{worker}"
    # the lock first: a controller starting meanwhile never takes this database for stale
    config.stash[_WORKER_LOCK] = _hold_lock(base, name)
    _make_database(base, name, f"worker {worker}")
    config.stash[_WORKER_DATABASE] = (base, name)
    os.environ[_POSTGRES_ENV] = url.set(database=name).render_as_string(hide_password=False)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _WORKER_DATABASE in config.stash:
        base, name = config.stash[_WORKER_DATABASE]
        os.environ[_POSTGRES_ENV] = base
        _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if _WORKER_LOCK in config.stash:
        engine, connection = config.stash[_WORKER_LOCK]
        connection.close()  # ends the session, and with it the lock
        engine.dispose()
