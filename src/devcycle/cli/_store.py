"""The ``--store URL`` option every command shares, and opening the store it names.

Usage in a command module::

    from devcycle.cli._store import open_cli_store, store_option

    @click.command()
    @store_option
    def report(store: str) -> int:
        with open_cli_store(store) as opened:
            ...

The option defaults to the ``DEVCYCLE_STORE`` environment variable, then to
``sqlite:///devcycle.db`` in the working directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from devcycle.access import Actor
from devcycle.errors import ConfigError, StorageError
from devcycle.storage import DEFAULT_STORE_URL, Store, open_store

__all__ = [
    "STORE_ENV",
    "default_store_url",
    "is_new_store",
    "local_path",
    "open_cli_store",
    "store_option",
]

F = TypeVar("F", bound=Callable[..., Any])

STORE_ENV = "DEVCYCLE_STORE"
"""The environment variable naming the store when ``--store`` is not given."""


def default_store_url() -> str:
    """Return ``$DEVCYCLE_STORE`` if set and not empty, else ``sqlite:///devcycle.db``."""
    return os.environ.get(STORE_ENV) or DEFAULT_STORE_URL


def store_option(function: F) -> F:
    """Add ``--store URL`` to a click command; the command receives it as ``store: str``."""
    option = click.option(
        "--store",
        "store",
        metavar="URL",
        default=default_store_url,
        show_default=f"${STORE_ENV} or {DEFAULT_STORE_URL}",
        help=(
            "Where data is kept: sqlite:///file.db, postgresql+psycopg://user@host/db, "
            "json:///path/dir or memory://."
        ),
    )
    return option(function)


def local_path(url: str) -> Path | None:
    """The file (SQLite) or folder (JSON files) a local store URL names, if it names one."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return None
    rest = rest.partition("?")[0]
    if scheme.partition("+")[0] == "sqlite":
        path = rest[1:] if rest.startswith("/") else rest  # sqlite:///rel, sqlite:////abs
        if not path or path == ":memory:" or path.startswith("file:"):
            return None
        return Path(path).expanduser()
    if scheme == "json" and rest:
        return Path(rest).expanduser()
    return None


def is_new_store(url: str) -> bool:
    """Whether *url* names a local store (SQLite file, JSON folder) that does not exist yet.

    A command that would create it checks its input first (against an empty store where
    it needs one, ``memory://``), so that input it refuses leaves no new store behind.
    """
    path = local_path(url)
    return path is not None and not path.exists()


def _open(url: str, *, readonly: bool, audited: bool) -> Store:
    """Open *url*; an audited read opens it writable where it can, read-only where it cannot.

    On read-only media an audited read still runs; if it then has an entry to append (it
    showed a confidential field), the store refuses that write and the command fails with
    that error, rather than showing confidential fields with no record that it did.
    """
    if not (readonly and audited):
        return open_store(url, readonly=readonly)
    path = local_path(url)
    return open_store(url, readonly=path is not None and not _writable(path))


def _writable(path: Path) -> bool:
    """Whether the local store at *path* (an SQLite file, a JSON-files folder) can be written.

    Asked by opening it (its lock file, for a folder) for writing: on read-only media that
    fails with EROFS even for root, whom file permissions do not stop.
    """
    target, create = (path / ".lock", os.O_CREAT) if path.is_dir() else (path, 0)
    try:
        handle = os.open(target, os.O_RDWR | create, 0o600)
    except OSError:
        return False
    os.close(handle)
    return True


def open_cli_store(
    url: str,
    *,
    readonly: bool = False,
    audited: bool = False,
    existing: bool = False,
    actor: Actor | None = None,
) -> Store:
    """Open the store at *url* for a command, turning every failure into one clear message.

    Args:
        url: The store's URL.
        readonly: The command only reads (reports, proformas, exports): a store that does
            not exist is an error, never created (a mistyped path makes no empty database),
            and the store is opened read-only (`open_store`'s *readonly*), so that it can
            be read on a read-only file, folder or file system.
        audited: With *readonly*, the command reads confidential fields (or the audit
            log) and appends that read to the audit log, as data protection asks: the store
            must still exist, and is opened writable so that the entry can be kept (on
            read-only media it is opened read-only, and a read that must be logged fails).
        existing: The command changes what is already stored (a stored school): a store
            that does not exist is an error, never created, though the store is opened
            for writing.
        actor: Who the command acts as (``--as``/``--user``): every audit entry the
            command causes names them (`devcycle.storage.Store.act_as`).

    Raises:
        click.UsageError: For an unknown scheme or a missing extra (exit status 2).
        click.ClickException: If the store cannot be reached or read (exit status 2).
    """
    if readonly or existing:
        path = local_path(url)
        if path is not None and not path.exists():
            does = "only reads" if readonly else "changes what is already stored"
            msg = (
                f"no store at {path}: this command {does}, so it creates none; check "
                f"--store (or ${STORE_ENV}), or make one with devcycle import or devcycle demo"
            )
            raise click.ClickException(msg)
    try:
        opened = _open(url, readonly=readonly, audited=audited)
    except ConfigError as exc:
        raise click.UsageError(f"--store: {exc}") from None
    except StorageError as exc:
        error = click.ClickException(f"cannot open the store: {exc}")
        raise error from None
    if actor is not None:
        opened.act_as(actor.user_id, actor.role)
    return opened
