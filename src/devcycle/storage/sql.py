"""The SQL backend on SQLAlchemy Core: SQLite by default, PostgreSQL for trusts and vendors.

Each kind has one table holding the document (JSON text), its version and the query columns,
and a ``_keys`` table for multi-valued query keys (a cycle's milestone due dates, the
priorities its objectives serve...). The tenant leads every primary key and index, so that
the same schema distributes by tenant. The schema is created on first use and its version is
kept in ``devcycle_meta``; older documents are upgraded as they are loaded.

SQLite runs in WAL mode with durable commits (``synchronous=FULL``); every transaction
starts with ``BEGIN IMMEDIATE`` so that concurrent writers queue instead of failing. A store
opened read-only (``readonly=True``) opens the file with ``mode=ro`` and changes nothing.
PostgreSQL runs at READ COMMITTED: the version check is part of each ``UPDATE``, so a
stale write is refused however the transactions interleave.

Needs the ``sql`` extra (``postgres`` for PostgreSQL through psycopg 3).
"""

from __future__ import annotations

import contextlib
import operator
import os
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import PoolProxiedConnection, QueuePool
from sqlalchemy.sql.compiler import SQLCompiler

from devcycle.errors import CommitUnknownError, ConfigError, ConflictError, StorageError
from devcycle.fileio import PRIVATE_FILE, make_private_dir
from devcycle.serialization import SCHEMA_VERSION
from devcycle.storage.audit import AuditEntry
from devcycle.storage.base import (
    ALL_KINDS,
    AUDIT,
    Condition,
    Kind,
    Record,
    Session,
    Store,
    entry_from_record,
    stored_kind,
)

__all__ = ["SqlStore", "has_dialect"]

_PREFIX: Final = "devcycle_"
_BUSY_TIMEOUT_S: Final = 60.0
_PG_LOCK: Final = zlib.crc32(b"devcycle schema")
_PG_POLICY: Final = "devcycle_tenant"
_PG_WRITABLE: Final = "tenant = current_setting('app.school_id', true) OR tenant = ''"
_PG_VISIBLE: Final = f"{_PG_WRITABLE} OR current_setting('app.all_schools', true) = 'on'"
_PG_SCOPE: Final = (
    "SELECT set_config('app.school_id', %(tenant)s, true), "
    "set_config('app.all_schools', %(every)s, true)"
)
_ALL: Final = "\x00every school"


def has_dialect(name: str) -> bool:
    """Return whether SQLAlchemy can load a dialect called *name* (for `open_store`)."""
    try:
        sa.dialects.registry.load(name)
    except exc.NoSuchModuleError:
        return False
    return True


def _tables(metadata: sa.MetaData) -> dict[str, tuple[sa.Table, sa.Table]]:
    tables: dict[str, tuple[sa.Table, sa.Table]] = {}
    for kind in ALL_KINDS:
        name = f"{_PREFIX}{kind.table}"
        main = sa.Table(
            name,
            metadata,
            sa.Column("tenant", sa.String(255), primary_key=True),
            sa.Column("id", sa.String(255), primary_key=True),
            sa.Column("version", sa.Integer, nullable=False),
            sa.Column("document", sa.Text, nullable=False),
            *(sa.Column(column, sa.String(255), nullable=True) for column in kind.columns),
        )
        for column in kind.columns:
            sa.Index(f"ix_{name}_{column}", main.c.tenant, main.c[column])
        keys = sa.Table(
            f"{name}_keys",
            metadata,
            sa.Column("tenant", sa.String(255), primary_key=True),
            sa.Column("key", sa.String(64), primary_key=True),
            sa.Column("value", sa.String(255), primary_key=True),
            sa.Column("id", sa.String(255), primary_key=True),
        )
        sa.Index(f"ix_{name}_keys_record", keys.c.tenant, keys.c.id)
        tables[kind.name] = (main, keys)
    return tables


_MANY: Final = 500
"""The most ids `_SqlSession.get_many` names in one statement: far below SQLite's limit on
bound values (32,766) and PostgreSQL's (65,535), and a batch of `Services.take_actions`."""


class _Compiled:
    """A statement compiled once for the dialect, run as driver SQL with named values."""

    def __init__(self, statement: sa.ClauseElement, dialect: sa.Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if not isinstance(compiled, SQLCompiler):  # pragma: no cover - Core statements only
            msg = f"cannot precompile {statement!r}"
            raise TypeError(msg)
        self.sql = str(compiled)
        self.order: tuple[str, ...] | None = (
            tuple(compiled.positiontup or ()) if compiled.positional else None
        )
        # The values in the driver's order, taken in C (a statement runs once per row of an
        # executemany: 15 key rows per cycle at enrolment).
        self._values: Callable[[Mapping[str, Any]], Any] | None = (
            operator.itemgetter(*self.order) if self.order and len(self.order) > 1 else None
        )

    def use_index(self, table: str, index: str) -> None:
        """SQLite: search *table* by *index* (``INDEXED BY``), whatever the planner thinks."""
        where = f"FROM {table} "
        if self.sql.count(where) != 1:  # pragma: no cover - a statement of another shape
            msg = f"cannot name an index for {table} in {self.sql!r}"
            raise TypeError(msg)
        self.sql = self.sql.replace(where, f"FROM {table} INDEXED BY {index} ")

    def parameters(self, values: Mapping[str, Any]) -> Any:
        """Return *values* in the form the driver's parameter style wants."""
        if self.order is None:
            return dict(values)
        if self._values is not None:
            return self._values(values)
        return tuple(values[name] for name in self.order)


class _Statements:
    """The statements of one kind, built once (building them costs more than running them)."""

    def __init__(self, kind: Kind, main: sa.Table, keys: sa.Table, dialect: sa.Dialect) -> None:
        bp = sa.bindparam
        self.main, self.keys = main, keys
        self.get = sa.select(main.c.version, main.c.document).where(
            main.c.tenant == bp("b_tenant"), main.c.id == bp("b_id")
        )
        self.get_many = sa.select(main.c.id, main.c.version, main.c.document).where(
            main.c.tenant == bp("b_tenant"), main.c.id.in_(bp("b_ids", expanding=True))
        )
        self.all_in_tenant = _Compiled(
            sa.select(main.c.tenant, main.c.id, main.c.version, main.c.document)
            .where(main.c.tenant == bp("b_tenant"))
            .order_by(main.c.id),
            dialect,
        )
        values: dict[str, Any] = {
            name: bp(f"n_{name}") for name in ("version", "document", *kind.columns)
        }
        record = (main.c.tenant == bp("b_tenant"), main.c.id == bp("b_id"))
        self.update_any = _Compiled(main.update().where(*record).values(values), dialect)
        self.update_checked = _Compiled(
            main.update().where(*record, main.c.version == bp("b_version")).values(values),
            dialect,
        )
        self.update_unchanged = _Compiled(
            main.update()
            .where(
                *record,
                main.c.version == bp("b_version"),
                main.c.document == bp("b_document"),
            )
            .values(values),
            dialect,
        )
        self.delete = _Compiled(main.delete().where(*record), dialect)
        self.delete_keys = _Compiled(
            keys.delete().where(keys.c.tenant == bp("b_tenant"), keys.c.id == bp("b_id")),
            dialect,
        )
        self.insert = _Compiled(main.insert(), dialect)
        self.insert_keys = _Compiled(keys.insert(), dialect)
        self.select_keys = _Compiled(
            sa.select(keys.c.key, keys.c.value).where(
                keys.c.tenant == bp("b_tenant"), keys.c.id == bp("b_id")
            ),
            dialect,
        )
        if dialect.name == "sqlite":
            # Without statistics SQLite prefers the primary key, which covers the columns
            # but is searched by tenant alone: every key row of the school for each record.
            self.select_keys.use_index(keys.name, f"ix_{main.name}_keys_record")
        self.delete_key = _Compiled(
            keys.delete().where(
                keys.c.tenant == bp("b_tenant"),
                keys.c.key == bp("b_key"),
                keys.c.value == bp("b_value"),
                keys.c.id == bp("b_id"),
            ),
            dialect,
        )
        self.get_compiled = _Compiled(self.get, dialect)
        self.last = _Compiled(
            sa.select(main.c.tenant, main.c.id, main.c.version, main.c.document)
            .where(main.c.tenant == bp("b_tenant"))
            .order_by(main.c.id.desc())
            .limit(sa.literal_column("1"))  # written in the SQL: no values to bind
            .offset(sa.literal_column("0")),
            dialect,
        )
        self.columns = tuple(kind.columns)


def _normalise(url: str) -> URL:
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        msg = f"not a database URL: {url!r} ({error})"
        raise ConfigError(msg) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


class SqlStore(Store):
    """A store in any database SQLAlchemy reaches: SQLite, PostgreSQL, and others.

    Args:
        url: A SQLAlchemy URL: ``sqlite:///devcycle.db`` (a file, created if missing),
            ``postgresql+psycopg://user:password@host:5432/db``.
        readonly: Only read an existing store: no file, table or schema version is
            created or changed. A SQLite file is opened with ``mode=ro`` (and, on a
            read-only folder that cannot hold its ``-shm`` file, ``immutable=1``);
            PostgreSQL sessions are read-only transactions.

    Raises:
        ConfigError: If the URL is malformed or its driver is not installed.
        StorageError: If the database cannot be reached or its schema is newer than this
            devcycle (or, read-only, holds no devcycle store or needs an upgrade).
    """

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        super().__init__()
        self.readonly = readonly
        parsed = _normalise(url)
        self.url = parsed.render_as_string(hide_password=True)
        self.dialect = parsed.get_backend_name()
        self._metadata = sa.MetaData()
        self._tables = _tables(self._metadata)
        self._meta = sa.Table(
            f"{_PREFIX}meta",
            self._metadata,
            sa.Column("name", sa.String(64), primary_key=True),
            sa.Column("value", sa.String(255), nullable=False),
        )
        self._engine = self._create_engine(parsed)
        self._statements = {
            kind.name: _Statements(kind, *self._tables[kind.name], self._engine.dialect)
            for kind in ALL_KINDS
        }
        try:
            if readonly:
                self._check_schema()
            else:
                self._create_schema()
        except BaseException:
            self._engine.dispose()
            raise

    def _create_engine(self, url: URL) -> Engine:
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            database = url.database or ""
            local = database and database != ":memory:" and not database.startswith("file:")
            if local and self.readonly:
                path = Path(database).expanduser()
                if not path.is_file():
                    msg = f"no database file at {path}; opened read-only, none is created"
                    raise StorageError(msg)
                kwargs["creator"] = _readonly_sqlite(path)
            elif local:
                _private_sqlite_file(Path(database).expanduser())
            kwargs["connect_args"] = {"timeout": _BUSY_TIMEOUT_S}
        elif self.dialect == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 10}
            kwargs["pool_pre_ping"] = True
        try:
            engine = sa.create_engine(url, **kwargs)
        except (ImportError, exc.NoSuchModuleError) as error:
            extra = "postgres" if self.dialect == "postgresql" else "sql"
            msg = (
                f'storage {self.dialect!r} needs: pip install "devcycle[{extra}]" '
                f"(or the driver for {url.drivername}: {error})"
            )
            raise ConfigError(msg) from None
        if self.dialect == "sqlite" and self.readonly:
            event.listen(engine, "connect", _sqlite_connect_readonly)
            event.listen(engine, "begin", _sqlite_begin_readonly)
        elif self.dialect == "sqlite":
            event.listen(engine, "connect", _sqlite_connect)
            event.listen(engine, "begin", _sqlite_begin)
        elif self.readonly:
            # Every transaction read-only: the server refuses a write, whoever attempts it.
            event.listen(engine, "begin", _readonly_transaction)
        return engine

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as connection:
                yield connection
        except exc.DBAPIError as error:
            raise self._storage_error(error) from None
        except exc.TimeoutError:
            raise self._pool_exhausted() from None

    def _pool_exhausted(self) -> StorageError:
        """Every pooled connection is held by a transaction still open in this process."""
        pool = self._engine.pool
        size = pool.size() + max(pool._max_overflow, 0) if isinstance(pool, QueuePool) else None
        timeout = getattr(pool, "_timeout", None)
        waited = f" (waited {timeout:g} s for one)" if isinstance(timeout, int | float) else ""
        return StorageError(
            f"all {size or 'the'} connections of the store at {self.url} are held by transactions "
            f"still open in this process{waited}: end some first (each transaction holds "
            "one until its with-block ends)"
        )

    def _storage_error(self, error: exc.DBAPIError) -> StorageError:
        reason = str(error.orig).strip().splitlines()[0] if error.orig is not None else str(error)
        if error.connection_invalidated or isinstance(error, exc.OperationalError):
            where = self.url
            return StorageError(f"cannot use the database at {where}: {reason}")
        return StorageError(f"database error at {self.url}: {reason}")

    def _too_new(self, stored: str) -> StorageError:
        return StorageError(
            f"the database at {self.url} was written by a newer devcycle (schema "
            f"version {stored}; this one reads up to {SCHEMA_VERSION}): upgrade devcycle"
        )

    def _check_schema(self) -> None:
        """Read-only: check that the database holds a devcycle store this devcycle reads."""
        with self._connection() as connection, connection.begin():
            present = set(sa.inspect(connection).get_table_names())
            stored = None
            if self._meta.name in present:
                stored = connection.execute(
                    sa.select(self._meta.c.value).where(self._meta.c.name == "schema_version")
                ).scalar_one_or_none()
        if stored is None:
            msg = (
                f"the database at {self.url} holds no devcycle store; opened read-only, "
                "none is created: check --store (or make one with devcycle import)"
            )
            raise StorageError(msg)
        if int(stored) > SCHEMA_VERSION:
            raise self._too_new(stored)
        missing = sorted(t.name for t in self._metadata.sorted_tables if t.name not in present)
        if missing:
            msg = (
                f"the database at {self.url} was written by an older devcycle (schema version "
                f"{stored}) and lacks the tables {', '.join(missing)}; opened read-only, it "
                "is not upgraded: run a command that writes to it once (such as devcycle "
                "school add), then read it"
            )
            raise StorageError(msg)

    def _create_schema(self) -> None:
        with self._connection() as connection, connection.begin():
            if self.dialect == "postgresql":
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK)))
            self._metadata.create_all(connection, checkfirst=True)
            stored = connection.execute(
                sa.select(self._meta.c.value).where(self._meta.c.name == "schema_version")
            ).scalar_one_or_none()
            if stored is None:
                connection.execute(
                    self._meta.insert().values(name="schema_version", value=str(SCHEMA_VERSION))
                )
            elif int(stored) > SCHEMA_VERSION:
                raise self._too_new(stored)
            elif int(stored) < SCHEMA_VERSION:
                connection.execute(
                    self._meta.update()
                    .where(self._meta.c.name == "schema_version")
                    .values(value=str(SCHEMA_VERSION))
                )
            if self.dialect == "postgresql":
                self._row_level_security(connection)

    def _row_level_security(self, connection: Connection) -> None:
        """Turn on (and force) row-level security keyed by the tenant on every table.

        Each session sets ``app.school_id`` to the tenant of every statement it runs
        (``set_config(..., true)``: for the transaction only), so a query that forgot its
        ``WHERE tenant = ...`` still sees one school. Deliberate reads across tenants (the
        directory of schools and trusts) set ``app.all_schools`` for that one statement.
        FORCE applies the policies to the tables' owner too; superusers and roles with
        BYPASSRLS are never subject to them, so run devcycle as an ordinary role.
        """
        names = [t.name for pair in self._tables.values() for t in pair]
        secured = {
            row[0]
            for row in connection.execute(
                sa.text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                    "AND c.relrowsecurity AND c.relforcerowsecurity"
                )
            )
        }
        policed = {
            row[0]
            for row in connection.execute(
                sa.text(
                    "SELECT tablename FROM pg_policies WHERE schemaname = current_schema() "
                    "AND policyname = :policy"
                ),
                {"policy": _PG_POLICY},
            )
        }
        preparer = self._engine.dialect.identifier_preparer
        for name in names:
            table = preparer.quote(name)
            if name not in secured:
                connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
                connection.exec_driver_sql(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
            if name not in policed:
                connection.exec_driver_sql(
                    f"CREATE POLICY {_PG_POLICY} ON {table} "
                    f"USING ({_PG_VISIBLE}) WITH CHECK ({_PG_WRITABLE})"
                )

    @property
    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        with self._connection() as connection, connection.begin():
            value = connection.execute(
                sa.select(self._meta.c.value).where(self._meta.c.name == "schema_version")
            ).scalar_one()
        return int(value)

    def begin(self, *, readonly: bool = False) -> Session:
        """Open a session on a new database transaction."""
        return self._begin(readonly=readonly, snapshot=False)

    def _begin_snapshot(self) -> Session:
        """A read-only transaction's session: one snapshot for all its reads.

        SQLite's deferred ``BEGIN`` gives one from its first read already. On PostgreSQL
        the transaction runs ``REPEATABLE READ READ ONLY`` (one snapshot from its first
        statement; READ COMMITTED takes one per statement), set on the driver connection
        and begun with the transaction, so no statement more is sent.
        """
        return self._begin(readonly=True, snapshot=True)

    def _begin(self, *, readonly: bool, snapshot: bool) -> Session:
        if readonly and self.dialect == "sqlite":
            return self._begin_read()
        try:
            connection = self._engine.connect()
            if snapshot:
                connection = connection.execution_options(
                    devcycle_readonly=True,
                    isolation_level="REPEATABLE READ",
                    postgresql_readonly=True,
                )
            elif readonly:
                connection = connection.execution_options(devcycle_readonly=True)
        except exc.DBAPIError as error:
            raise self._storage_error(error) from None
        except exc.TimeoutError:
            raise self._pool_exhausted() from None
        try:
            connection.begin()
        except exc.DBAPIError as error:
            connection.close()
            raise self._storage_error(error) from None
        return _SqlSession(self, connection)

    def _begin_read(self) -> Session:
        """A SQLite read: ``BEGIN`` (deferred) on a pooled driver connection, no write lock.

        The transaction is the one `begin` opens for a reader (one snapshot from the first
        statement to the commit), begun on the driver connection itself: SQLAlchemy's
        `Connection`, with its transaction objects and events, is made only if the session
        runs a statement that is not one of the precompiled ones (issue 16: about 20 µs of
        a lone read's 35 µs outside building the record).
        """
        try:
            raw = self._engine.raw_connection()
        except exc.DBAPIError as error:
            raise self._storage_error(error) from None
        except exc.TimeoutError:
            raise self._pool_exhausted() from None
        driver = raw.driver_connection
        if not isinstance(driver, sqlite3.Connection):  # pragma: no cover - another driver
            raw.close()
            connection = Connection(self._engine, raw).execution_options(devcycle_readonly=True)
            connection.begin()
            return _SqlSession(self, connection)
        try:
            driver.execute("BEGIN")
        except sqlite3.Error as error:
            raw.close()
            wrapped = exc.DBAPIError.instance("BEGIN", (), error, sqlite3.Error)
            if not isinstance(wrapped, exc.DBAPIError):  # pragma: no cover - a driver error
                raise
            raise self._storage_error(wrapped) from None
        return _SqlSession(self, None, raw=raw, driver=driver)

    def compact(self) -> None:
        """Give the space of deleted records back, so that nothing of them stays on disk.

        SQLite: ``VACUUM`` rewrites the file (``secure_delete`` already zeroes freed pages).
        PostgreSQL: ``VACUUM`` on every devcycle table marks dead rows' space reusable;
        ``VACUUM FULL`` (which locks the tables) is the database administrator's call.
        """
        tables = [t.name for pair in self._tables.values() for t in pair]
        if self.dialect == "sqlite":
            self._vacuum_sqlite()
            return
        try:
            with self._engine.connect() as connection:
                raw = connection.execution_options(isolation_level="AUTOCOMMIT")
                if self.dialect == "postgresql":
                    preparer = self._engine.dialect.identifier_preparer
                    for name in tables:
                        raw.exec_driver_sql(f"VACUUM {preparer.quote(name)}")
        except exc.DBAPIError as error:
            raise self._storage_error(error) from None

    def _vacuum_sqlite(self) -> None:
        # On the driver connection (autocommit: devcycle issues BEGIN itself), then the
        # write-ahead log is checkpointed and truncated so that old pages leave it too.
        raw = self._engine.raw_connection()
        try:
            driver = raw.driver_connection
            if driver is not None:
                driver.execute("VACUUM")
                driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:
            msg = f"cannot compact the database at {self.url}: {error}"
            raise StorageError(msg) from None
        finally:
            raw.close()

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        # Deleted records are overwritten with zeros, not left in free pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _sqlite_connect_readonly(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # As _sqlite_connect, without PRAGMA journal_mode=WAL: setting it would write the file.
    dbapi_connection.isolation_level = None


def _readonly_sqlite(path: Path) -> Callable[[], sqlite3.Connection]:
    """Return a function that opens the SQLite file at *path* read-only (``mode=ro``).

    A database in WAL mode needs its ``-shm`` file, which SQLite creates beside it; in a
    read-only folder it cannot, and ``mode=ro`` fails with "unable to open database file".
    Then, if no write-ahead log holds changes not yet in the file, the file is opened
    ``immutable=1`` (read as it is, without locks: nobody can write where we cannot create
    a file, short of another account with more rights). A log with changes is an error,
    as reading the file without it would show an older state.
    """
    uri = path.resolve().as_uri()

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S, check_same_thread=False
        )
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as error:
            connection.close()
            if "unable to open" not in str(error):
                raise
            wal = Path(f"{path}-wal")
            if wal.exists() and wal.stat().st_size > 0:
                msg = (
                    f"{wal} holds changes not yet in the database file, and the folder is "
                    "read-only, so they cannot be read: open the store once where it can be "
                    "written (any devcycle command that writes), then read it here"
                )
                raise sqlite3.OperationalError(msg) from None
            return sqlite3.connect(
                f"{uri}?mode=ro&immutable=1",
                uri=True,
                timeout=_BUSY_TIMEOUT_S,
                check_same_thread=False,
            )
        return connection

    return connect


def _private_sqlite_file(path: Path) -> None:
    """Create the database file (0600) and its folder (0700) before SQLite does.

    SQLite gives its -wal and -shm files the permissions of the database file.
    """
    if path.exists():
        return
    try:
        make_private_dir(path.parent)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    except OSError as error:
        msg = f"cannot create the database file {path}: {error.strerror}"
        raise StorageError(msg) from None


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes the write lock at once, so that concurrent writers queue (busy timeout)
    # rather than fail with SQLITE_BUSY when a read turns into a write; readers never wait.
    if _in_driver_transaction(connection):  # a light read's, begun on the driver itself
        return
    readonly = connection.get_execution_options().get("devcycle_readonly", False)
    _sqlite_execute(connection, "BEGIN" if readonly else "BEGIN IMMEDIATE")


def _sqlite_execute(connection: Connection, statement: str) -> None:
    """Run *statement* on the driver connection (SQLAlchemy's execution costs more)."""
    driver = connection.connection.driver_connection
    if not isinstance(driver, sqlite3.Connection):  # pragma: no cover - another driver
        connection.exec_driver_sql(statement)
        return
    try:
        driver.execute(statement)
    except sqlite3.Error as error:
        raise exc.DBAPIError.instance(statement, (), error, sqlite3.Error) from None


def _readonly_transaction(connection: Connection) -> None:
    connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def _sqlite_begin_readonly(connection: Connection) -> None:
    if not _in_driver_transaction(connection):
        _sqlite_execute(connection, "BEGIN")


def _in_driver_transaction(connection: Connection) -> bool:
    """Whether the driver connection is in a transaction already (`SqlStore._begin_read`).

    Only a light read's session is: every other connection comes from the pool, which
    rolls back whatever a connection held when it was returned.
    """
    driver = connection.connection.driver_connection
    return isinstance(driver, sqlite3.Connection) and driver.in_transaction


class _SqlSession(Session):
    trusted = True  # a database devcycle owns: its documents were validated when saved

    def __init__(
        self,
        store: SqlStore,
        connection: Connection | None,
        *,
        raw: PoolProxiedConnection | None = None,
        driver: sqlite3.Connection | None = None,
    ) -> None:
        self._store = store
        # A light read (`SqlStore._begin_read`) has a pooled driver connection in a
        # transaction begun on it, and no SQLAlchemy `Connection` until one is needed.
        self._sa = connection
        self._raw = raw
        self._tables = store._tables
        self._statements = store._statements
        self._policed = store.dialect == "postgresql"
        self._scope_now: str | None = None
        # SQLite's hot paths run their precompiled statements on the driver connection
        # itself, in the transaction SQLAlchemy began: SQLAlchemy's execution machinery
        # costs more than the statements (issue 16).
        self._sqlite: sqlite3.Connection | None = driver
        if store.dialect == "sqlite":
            if connection is not None:
                found = connection.connection.driver_connection
                if isinstance(found, sqlite3.Connection):
                    self._sqlite = found
            # Writers hold the write lock from BEGIN IMMEDIATE; readers see one snapshot.
            self.isolated = True
        # A row this transaction wrote is locked (PostgreSQL) or the whole database is
        # (SQLite) until it ends: it stays as written.
        self.holds_written = True

    @property
    def _connection(self) -> Connection:
        """SQLAlchemy's connection, made on the light read's driver connection if need be.

        Its transaction is the one already open on the driver (the begin event sees it and
        issues no second ``BEGIN``); committing or closing it commits or returns the same
        driver connection.
        """
        if self._sa is None:
            if self._raw is None:  # pragma: no cover - only after close, which nothing follows
                msg = f"this read of {self._store.url} has ended"
                raise StorageError(msg)
            self._sa = Connection(self._store._engine, self._raw)
            self._raw = None
        return self._sa

    def _scope(self, tenant: str | None) -> None:
        """Tell PostgreSQL's row-level security which school the next statements are for."""
        if not self._policed:
            return
        wanted = _ALL if tenant is None else tenant
        if wanted == self._scope_now:
            return
        values = {
            "tenant": "" if tenant is None else tenant,
            "every": "on" if tenant is None else "off",
        }
        try:
            self._connection.exec_driver_sql(_PG_SCOPE, values)
        except exc.DBAPIError as error:
            raise self._store._storage_error(error) from None
        self._scope_now = wanted

    def _execute(self, statement: Any, parameters: Any = None) -> sa.CursorResult[Any]:
        try:
            return self._connection.execute(statement, parameters)
        except exc.IntegrityError:
            raise
        except exc.DBAPIError as error:
            raise self._store._storage_error(error) from None

    def _driver(self, compiled: _Compiled, values: Any) -> Any:
        """Run a precompiled statement; *values* is one mapping or a list of them.

        Returns a cursor (of SQLite's driver, or SQLAlchemy's result): its ``rowcount``
        and ``fetchone()`` are what callers use. An integrity error is raised as
        SQLAlchemy's `IntegrityError` on both paths; other errors as `StorageError`.
        """
        many = isinstance(values, list)
        if many:
            parameters: Any = [compiled.parameters(v) for v in values]
        else:
            parameters = compiled.parameters(values)
        raw = self._sqlite
        if raw is not None:
            try:
                if many:
                    return raw.executemany(compiled.sql, parameters)
                return raw.execute(compiled.sql, parameters)
            except sqlite3.IntegrityError as error:
                raise exc.IntegrityError(compiled.sql, parameters, error) from None
            except sqlite3.Error as error:
                wrapped = exc.DBAPIError.instance(
                    compiled.sql, parameters, error, sqlite3.Error, ismulti=many
                )
                if not isinstance(wrapped, exc.DBAPIError):  # pragma: no cover - a driver error
                    raise
                raise self._store._storage_error(wrapped) from None
        try:
            return self._connection.exec_driver_sql(compiled.sql, parameters)
        except exc.IntegrityError:
            raise
        except exc.DBAPIError as error:
            raise self._store._storage_error(error) from None

    def get(self, kind: Kind, tenant: str, id: str) -> Record | None:
        self._scope(tenant)
        statement = self._statements[kind.name].get_compiled
        row = self._driver(statement, {"b_tenant": tenant, "b_id": id}).fetchone()
        if row is None:
            return None
        return Record(kind.name, tenant, id, row[0], row[1])

    def get_many(self, kind: Kind, tenant: str, ids: Sequence[str]) -> dict[str, Record]:
        """The stored records of *ids*, by id: one statement per `_MANY` ids (issue 16)."""
        self._scope(tenant)
        statement = self._statements[kind.name].get_many
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Record] = {}
        name = kind.name
        for start in range(0, len(wanted), _MANY):
            chunk = wanted[start : start + _MANY]
            rows: Any = self._execute(statement, {"b_tenant": tenant, "b_ids": chunk})
            for row in rows:
                found[row[0]] = Record(name, tenant, row[0], row[1], row[2])
        return found

    @staticmethod
    def _row(kind: Kind, record: Record) -> dict[str, Any]:
        row: dict[str, Any] = {
            "tenant": record.tenant,
            "id": record.id,
            "version": record.version,
            "document": record.document,
        }
        for column in kind.columns:
            row[column] = record.columns.get(column)
        return row

    def insert(self, records: Sequence[Record]) -> None:
        if not records:
            return
        kind = stored_kind(records[0].kind)
        try:
            with self._connection.begin_nested():
                self._insert_rows(kind, records)
        except exc.IntegrityError:
            self._scope_now = None  # the savepoint's rollback undid the school set inside it
            existing = [r.id for r in records if self.get(kind, r.tenant, r.id) is not None]
            shown = ", ".join(repr(i) for i in existing[:5]) or "one of them"
            msg = f"{kind.name} {shown} already exists"
            raise ConflictError(msg) from None
        except exc.DBAPIError as error:
            self._scope_now = None
            raise self._store._storage_error(error) from None

    def _insert_rows(self, kind: Kind, records: Sequence[Record]) -> None:
        """Insert *records* of *kind* and their key rows, school by school (no savepoint)."""
        statements = self._statements[kind.name]
        tenants = sorted({r.tenant for r in records})
        for tenant in tenants:
            self._scope(tenant)
            mine = records if len(tenants) == 1 else [r for r in records if r.tenant == tenant]
            self._driver(statements.insert, [self._row(kind, r) for r in mine])
            keys = [
                {"tenant": r.tenant, "id": r.id, "key": k, "value": v}
                for r in mine
                for k, v in r.keys
            ]
            if keys:
                self._driver(statements.insert_keys, keys)

    def _insert_entries(self, records: Sequence[Record]) -> None:
        """Store new audit entries with no savepoint around them (`Session._insert_entries`).

        `insert` wraps its statements in a savepoint so that, on a duplicate, it can say
        which records exist and leave the transaction usable. An audit entry's sequence
        number was sealed after `audit_lock` (PostgreSQL's advisory lock, SQLite's write
        lock), so a duplicate means another writer appended to the chain without the lock,
        and the commit fails either way: the savepoint's two round trips are saved (issue
        16, on PostgreSQL).
        """
        if not records:
            return
        try:
            self._insert_rows(AUDIT, records)
        except exc.IntegrityError:
            self._scope_now = None
            shown = ", ".join(f"{r.tenant}/{r.id}" for r in records[:3])
            msg = (
                f"the audit log already holds an entry numbered as a new one ({shown}...): "
                "another writer appended to it at the same time; nothing was saved"
            )
            raise ConflictError(msg) from None

    def replace(self, record: Record, expected_version: int | None) -> bool:
        statements = self._statements[record.kind]
        if expected_version is None:
            return self._replace(record, statements, statements.update_any, {})
        guard = {"b_version": expected_version}
        return self._replace(record, statements, statements.update_checked, guard)

    def replace_unchanged(self, record: Record, loaded: Record) -> bool:
        """Replace the record if it is still *loaded*: one ``UPDATE`` comparing both.

        The stored document is compared with the one loaded in the statement's ``WHERE``,
        so no ``SELECT`` is needed before it (`Session.replace_unchanged`).
        """
        statements = self._statements[record.kind]
        guard = {"b_version": loaded.version, "b_document": loaded.document}
        return self._replace(record, statements, statements.update_unchanged, guard)

    def _replace(
        self, record: Record, statements: _Statements, update: _Compiled, guard: dict[str, Any]
    ) -> bool:
        """Run *update* (one of *statements*' ``UPDATE``) with *guard*, then the key rows."""
        self._scope(record.tenant)
        parameters: dict[str, Any] = {
            "b_tenant": record.tenant,
            "b_id": record.id,
            "n_version": record.version,
            "n_document": record.document,
            **guard,
        }
        for column in statements.columns:
            parameters[f"n_{column}"] = record.columns.get(column)
        result = self._driver(update, parameters)
        if result.rowcount != 1:
            return False
        # Only the key rows that changed are written: most changes leave a record's keys
        # as they were (a cycle's milestone dates, its objectives' tags), and reading them
        # costs less than deleting and inserting them all again (issue 16). What is stored
        # is compared, not what the record held when loaded, so that rows written by an
        # older devcycle are brought up to date by any save.
        where = {"b_tenant": record.tenant, "b_id": record.id}
        stored = {(row[0], row[1]) for row in self._driver(statements.select_keys, where)}
        wanted = set(record.keys)
        if stored == wanted:
            return True
        gone = stored - wanted
        if gone:
            self._driver(
                statements.delete_key,
                [{**where, "b_key": k, "b_value": v} for k, v in sorted(gone)],
            )
        added = [
            {"tenant": record.tenant, "id": record.id, "key": k, "value": v}
            for k, v in record.keys
            if (k, v) not in stored
        ]
        if added:
            self._driver(statements.insert_keys, added)
        return True

    def delete(self, kind: Kind, tenant: str, id: str) -> bool:
        self._scope(tenant)
        statements = self._statements[kind.name]
        parameters = {"b_tenant": tenant, "b_id": id}
        self._driver(statements.delete_keys, parameters)
        result = self._driver(statements.delete, parameters)
        return bool(result.rowcount == 1)

    def select(
        self, kind: Kind, tenant: str | None, conditions: Sequence[Condition] = ()
    ) -> list[Record]:
        main, keys = self._tables[kind.name]
        self._scope(tenant)
        if tenant is not None and not conditions:
            # A school's records, the commonest select (reports, listings), run as precompiled
            # driver SQL like a get: no statement built or looked up in SQLAlchemy's cache,
            # and on SQLite no `Connection` made for a read (issue 16).
            statement = self._statements[kind.name].all_in_tenant
            rows = self._driver(statement, {"b_tenant": tenant})
            name = kind.name
            return [Record(name, t, i, v, d) for t, i, v, d in rows]
        query = sa.select(main.c.tenant, main.c.id, main.c.version, main.c.document)
        if tenant is not None:
            query = query.where(main.c.tenant == tenant)
        for condition in conditions:
            if condition.is_key:
                sub = sa.select(keys.c.id).where(
                    keys.c.key == condition.name, _match(keys.c.value, condition)
                )
                if tenant is not None:
                    sub = sub.where(keys.c.tenant == tenant)
                    query = query.where(main.c.id.in_(sub))
                else:
                    sub = sub.where(keys.c.tenant == main.c.tenant, keys.c.id == main.c.id)
                    query = query.where(sub.exists())
            else:
                query = query.where(_match(main.c[condition.name], condition))
        query = query.order_by(main.c.tenant, main.c.id)
        return [
            Record(kind.name, row.tenant, row.id, row.version, row.document)
            for row in self._execute(query)
        ]

    def audit_lock(self, tenant: str) -> None:
        if self._store.dialect == "postgresql":  # writers of one school's chain queue here
            key = zlib.crc32(f"devcycle audit {tenant}".encode())
            self._execute(sa.select(sa.func.pg_advisory_xact_lock(key)))

    def audit_last(self, tenant: str) -> AuditEntry | None:
        self._scope(tenant)
        row = self._driver(self._statements[AUDIT.name].last, {"b_tenant": tenant}).fetchone()
        if row is None:
            return None
        tenant_, id_, version, document = row
        return entry_from_record(Record(AUDIT.name, tenant_, id_, version, document))

    def _discard(self) -> None:
        """Drop a broken connection, so that the pool never tries to reset it.

        A pool that resets a connection whose server went away logs the failure with a
        traceback ("Exception during reset or similar") on standard error, after the
        command's own message.
        """
        with contextlib.suppress(Exception):
            if self._sa is None:
                if self._raw is not None:
                    self._raw.invalidate()
                return
            self._connection.invalidate()

    def commit(self) -> None:
        if self._sa is None:
            self._commit_read()
            return
        try:
            self._connection.commit()
        except exc.DBAPIError as error:
            self._discard()
            if error.connection_invalidated or isinstance(error, exc.OperationalError):
                reason = str(error.orig or error).strip().splitlines()[0]
                msg = (
                    f"lost the connection to the database at {self._store.url} while "
                    f"committing ({reason}): the changes may or may not have been saved; "
                    "check the store before repeating them"
                )
                raise CommitUnknownError(msg) from None
            raise self._store._storage_error(error) from None

    def _commit_read(self) -> None:
        """End a light read's transaction (it wrote nothing) on its driver connection."""
        driver = self._sqlite
        if driver is None:  # pragma: no cover - a light read is always on SQLite's driver
            return
        try:
            driver.commit()
        except sqlite3.Error as error:
            self._discard()
            wrapped = exc.DBAPIError.instance("COMMIT", (), error, sqlite3.Error)
            if not isinstance(wrapped, exc.DBAPIError):  # pragma: no cover - a driver error
                raise
            raise self._store._storage_error(wrapped) from None

    def rollback(self) -> None:
        if self._sa is None:
            if self._raw is not None and self._sqlite is not None:
                try:
                    self._sqlite.rollback()
                except sqlite3.Error:
                    self._discard()
            return
        try:
            self._connection.rollback()
        except exc.DBAPIError:
            # The connection is broken (the server went away): the server ends the
            # transaction itself. The error that brought us here is the one to report.
            self._discard()

    def close(self) -> None:
        if self._sa is None:
            raw, self._raw = self._raw, None
            if raw is not None:  # back to the pool, which rolls back anything still open
                with contextlib.suppress(Exception):
                    raw.close()
            return
        try:
            self._connection.close()
        except exc.DBAPIError:
            self._discard()


def _match(column: sa.ColumnElement[Any], condition: Condition) -> sa.ColumnElement[bool]:
    if condition.equals is not None:
        return column == condition.equals
    if condition.one_of is not None:
        return column.in_(condition.one_of)
    clauses: list[sa.ColumnElement[bool]] = [column.is_not(None)]
    if condition.low is not None:
        clauses.append(column >= condition.low)
    if condition.high is not None:
        clauses.append(column <= condition.high)
    return sa.and_(*clauses)
