"""PostgreSQL going away mid-command: one clean message, nothing else (issue 13, item 6).

The shared server is never stopped (other test runs use it). Instead each command talks to
the server through a proxy that, after the server's N-th message, sends the client what a
server being shut down sends (a FATAL ``57P01`` "terminating connection due to
administrator command") and closes the connection. The cut is placed at points spread over
the whole conversation of a report and of an import, the commit included, and at every
point where a pipelined batch of statements (the driver's ``executemany``) has been
answered but the server has not yet said it is ready: cut there, the driver's pipeline
cannot be left, and the pool's reset used to print a traceback. Every run must
end in exit status 0 (the cut came after the last message) or 2 with exactly one line,
``error: ...``: no traceback, no "error ignored", no "Exception during reset" from the
connection pool, whatever the driver was doing (pipeline mode, a commit, a rollback).
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import socket
import struct
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.storage.conftest import NO_POSTGRES, POSTGRES_URL

import devcycle as dc
from devcycle.cli import main
from devcycle.storage.bundle import export_bundle, write_bundle
from devcycle.testing.store_contract import sample_school

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES)

_FATAL = b"SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0"
CUTS = 14
"""Cut points per command, spread evenly over its messages (the last at the very end)."""


class DyingServer:
    """A proxy to PostgreSQL that plays a server shut down after *cut* messages."""

    def __init__(self, upstream: tuple[str, int], cut: int) -> None:
        self.upstream = upstream
        self.cut = cut
        self.count = 0
        self.types: list[bytes] = []
        self.done = False
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.done:
                client.close()
                continue
            server = socket.create_connection(self.upstream)
            self._sockets += [client, server]
            threading.Thread(target=self._up, args=(client, server), daemon=True).start()
            threading.Thread(target=self._down, args=(server, client), daemon=True).start()

    @staticmethod
    def _up(client: socket.socket, server: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                server.sendall(data)

    def _down(self, server: socket.socket, client: socket.socket) -> None:
        pending = b""
        with contextlib.suppress(OSError):
            while data := server.recv(65536):
                pending += data
                passed = b""
                while len(pending) >= 5:
                    end = 1 + struct.unpack("!i", pending[1:5])[0]
                    if len(pending) < end:
                        break
                    message, pending = pending[:end], pending[end:]
                    with self._lock:
                        self.count += 1
                        self.types.append(message[:1])
                        self.done = self.done or self.count > self.cut
                    if self.done:
                        fatal = b"E" + struct.pack("!i", len(_FATAL) + 4) + _FATAL
                        client.sendall(passed + fatal)
                        self.close()
                        return
                    passed += message
                client.sendall(passed)

    def close(self) -> None:
        self.done = True
        for each in self._sockets:
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            each.close()
        self._listener.close()


@pytest.fixture(scope="module")
def schema_url() -> Iterator[str]:
    """A filled store in a PostgreSQL schema of its own, spoken to without TLS."""
    import sqlalchemy as sa

    schema = f"devcycle_dies_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    joiner = "&" if "?" in POSTGRES_URL else "?"
    url = f"{POSTGRES_URL}{joiner}sslmode=disable&options=-csearch_path%3D{schema}"
    school, staff, cycles, cpd = sample_school("school-d")
    with dc.open_store(url) as store, store.transaction() as tx:
        tx.schools.add(school)
        tx.staff.add_all(staff)
        tx.cycles.add_all(cycles)
        tx.cpd.add_all(cpd)
        tx.commit()
    try:
        yield url
    finally:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


@pytest.fixture(scope="module")
def bundle_file(schema_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dies") / "bundle.json"
    with dc.open_store(schema_url) as store:
        write_bundle(export_bundle(store, shared=False), path)
    return path


def _through(url: str, cut: int, argv: list[str]) -> tuple[int, str, DyingServer]:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    proxy = DyingServer((parsed.host or "127.0.0.1", parsed.port or 5432), cut)
    proxied = parsed.set(host="127.0.0.1", port=proxy.port)
    err = io.StringIO()
    records = _Records()
    # As in a real run: no handler on the root logger (pytest installs its own), so that
    # a library's warning reaches standard error through logging's last resort; and a
    # recorder, to see what the driver and the pool logged even where the CLI hides it.
    saved = logging.root.handlers[:]
    logging.root.handlers = []
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            logging.root.addHandler(records)
            status = main([*argv, "--store", proxied.render_as_string(hide_password=False)])
            gc.collect()  # a connection finalised late would print here
    finally:
        logging.root.handlers = saved
        proxy.close()
    logged = [r.getMessage() for r in records.seen if r.name.startswith(("sqlalchemy", "psycopg"))]
    return status, err.getvalue() + "".join(f"logged: {m}\n" for m in logged), proxy


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record)


@pytest.mark.parametrize("command", ["report", "import"])
def test_the_server_dying_at_any_point_gives_one_clean_message(
    command: str, schema_url: str, bundle_file: Path
) -> None:
    argv = (
        ["report", "overdue"]
        if command == "report"
        else ["import", str(bundle_file), "--replace", "-q"]
    )
    status, err, whole = _through(schema_url, 10**9, argv)
    assert status == 0, err
    total = whole.count
    kinds = b"".join(whole.types)
    batch_ends = {at for at in range(6, total) if kinds[at - 6 : at + 1] == b"2nC2nCZ"}
    spread = {round(i * total / (CUTS - 1)) for i in range(CUTS)}
    cuts = sorted(spread | batch_ends | {total - 1, total - 2})

    for cut in cuts:
        status, err, proxy = _through(schema_url, cut, argv)
        lines = [line for line in err.splitlines() if line.strip()]
        assert proxy.done or status == 0, (cut, err)
        assert status in {0, 2}, (cut, err)
        if status == 2:
            assert len(lines) == 1, (cut, err)
            assert lines[0].startswith("error: "), (cut, err)
        assert "Traceback" not in err
        assert "ignored" not in err
        assert "Exception" not in err
