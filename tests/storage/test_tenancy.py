"""Tenancy below the application: PostgreSQL row-level security keyed by the school."""

from __future__ import annotations

from collections.abc import Iterator

import attrs
import pytest

import devcycle as dc
from devcycle.storage.base import ALL_KINDS
from devcycle.testing.store_contract import sample_school, wipe

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_schools(postgres_url: str) -> Iterator[dc.Store]:
    with dc.open_store(postgres_url) as store:
        wipe(store)
        for school_id in ("school-a", "school-b"):
            school, staff, cycles, cpd = sample_school(school_id)
            with store.transaction(by="system") as tx:
                tx.schools.add(school)
                tx.staff.add_all(staff)
                tx.cycles.add_all(cycles)
                tx.cpd.add_all(cpd)
                tx.commit()
        yield store


@pytest.fixture
def app_role(postgres_url: str) -> str:
    """The role the application connects as: it owns the tables, and is an ordinary role.

    FORCE ROW LEVEL SECURITY subjects the owner to the policies too; only superusers and
    BYPASSRLS roles escape them, so the test insists the role is neither.
    """
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            role, superuser, bypass = connection.exec_driver_sql(
                "SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
            ).one()
    finally:
        engine.dispose()
    if superuser or bypass:
        pytest.skip(f"the test role {role} is a superuser or bypasses RLS: policies never apply")
    return str(role)


def _raw(url: str, role: str, school: str | None, sql: str) -> list[tuple[object, ...]]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            assert connection.exec_driver_sql("SELECT current_user").scalar_one() == role
            if school is not None:
                connection.exec_driver_sql(
                    "SELECT set_config('app.school_id', %(s)s, true)", {"s": school}
                )
            return [tuple(row) for row in connection.exec_driver_sql(sql)]
    finally:
        engine.dispose()


def test_a_query_that_forgets_its_where_sees_one_school(
    two_schools: dc.Store, postgres_url: str, app_role: str
) -> None:
    """Under the application's role, a raw query with no school filter sees one school."""
    tables = ("devcycle_cycles", "devcycle_staff", "devcycle_cpd_activities", "devcycle_schools")
    for table in tables:
        seen = _raw(postgres_url, app_role, "school-a", f"SELECT DISTINCT tenant FROM {table}")
        assert seen == [("school-a",)], table
    keys = _raw(
        postgres_url, app_role, "school-b", "SELECT DISTINCT tenant FROM devcycle_cycles_keys"
    )
    assert keys == [("school-b",)]
    audit = _raw(
        postgres_url, app_role, "school-b", "SELECT DISTINCT tenant FROM devcycle_audit_log"
    )
    assert audit == [("school-b",)]
    # with no school set, nothing at all
    assert _raw(postgres_url, app_role, None, "SELECT count(*) FROM devcycle_cycles") == [(0,)]


def test_the_role_cannot_write_into_another_school(
    two_schools: dc.Store, postgres_url: str, app_role: str
) -> None:
    """A write whose tenant differs from the school set for the transaction is refused."""
    import sqlalchemy as sa

    with pytest.raises(sa.exc.ProgrammingError, match="row-level security"):
        _raw(
            postgres_url,
            app_role,
            "school-a",
            "UPDATE devcycle_cycles SET tenant = 'school-b' WHERE id = '2025-T1' RETURNING id",
        )
    changed = _raw(
        postgres_url,
        app_role,
        "school-a",
        "DELETE FROM devcycle_cycles WHERE true RETURNING tenant",
    )
    assert {row[0] for row in changed} == {"school-a"}
    _raw(
        postgres_url,
        app_role,
        "school-a",
        "DELETE FROM devcycle_cycles_keys WHERE true RETURNING id",
    )
    assert len(two_schools.cycles.for_school("school-b")) == 3


def test_every_table_forces_row_level_security(two_schools: dc.Store, postgres_url: str) -> None:
    """The policies apply to the tables' owner too (FORCE), on every devcycle table."""
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    try:
        with engine.begin() as connection:
            rows = connection.exec_driver_sql(
                "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r' "
                "AND c.relname LIKE 'devcycle_%%' AND c.relname <> 'devcycle_meta'"
            ).all()
    finally:
        engine.dispose()
    assert len(rows) == 2 * len(ALL_KINDS)  # a table and a keys table per stored kind
    assert all(row[1] and row[2] for row in rows)


def test_the_application_works_under_its_ordinary_role(
    two_schools: dc.Store, app_role: str
) -> None:
    """Under row-level security every repository call still finds its school's data."""
    store = two_schools
    assert [s.id for s in store.schools.list()] == ["school-a", "school-b"]
    assert [s.id for s in store.schools.in_trust("trust-1")] == ["school-a", "school-b"]
    assert len(store.cycles.for_school("school-a")) == 3
    assert len(store.cycles.for_team("school-a", "ks1")) == 3
    cycle = store.cycles.get("school-b", "2026-T1")
    store.cycles.update(attrs.evolve(cycle, template_id="changed"))
    assert store.audit.verify("school-b").ok
    assert store.audit.verify("school-a").ok


def test_the_password_never_needs_to_be_in_the_url(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    """PostgreSQL's client reads PGPASSWORD (or ~/.pgpass): the URL can leave it out."""
    import sqlalchemy as sa

    url = sa.engine.make_url(postgres_url)
    if not url.password:
        pytest.skip("the test URL has no password to move")
    monkeypatch.setenv("PGPASSWORD", str(url.password))
    bare = sa.engine.URL.create(
        drivername=url.drivername,
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    assert ":" not in bare.split("://", 1)[1].split("@", 1)[0]
    with dc.open_store(bare) as store:
        assert isinstance(store.schools.list(), list)
