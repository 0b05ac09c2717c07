"""Where a command's ``-o``/``--output`` goes: standard output for ``-``, never the store.

Every command that takes ``-o`` passes it through `output_target` before doing any work:

* ``-o -`` means standard output, as leaving ``-o`` out does for most commands (for those
  whose default is a file, such as ``devcycle template new``, it is the way to print);
* ``-o`` naming the store's own database file (an SQLite file, or its ``-wal``, ``-shm``
  or ``-journal`` companions) or a file inside a JSON store's folder is refused before
  anything is read or written: writing there would destroy the store. Paths are compared
  resolved (symbolic links followed) and, where both exist, by identity (a hard link).

`refuse_store_path` checks one more file a command writes into a folder (``-o DIR/``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TypeVar

import click

from devcycle.cli._store import default_store_url, local_path

__all__ = ["STDOUT", "output_target", "refuse_store_path", "wants_stdout"]

STDOUT = "-"
"""The ``-o`` value meaning standard output."""

_SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop: compare it as written
        return Path(os.path.abspath(path))  # noqa: PTH100 - resolve() failed


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.exists() and other.exists() and one.samefile(other)
    except OSError:
        return False


def refuse_store_path(path: Path, store_url: str | None = None, *, option: str = "-o") -> None:
    """Refuse (exit status 2) to write *path* if it is, or is inside, the store at *store_url*.

    Args:
        path: The file or folder the command would write.
        store_url: The store's URL (default: ``$DEVCYCLE_STORE`` or ``sqlite:///devcycle.db``).
        option: The option that named *path*, for the message.

    Raises:
        click.ClickException: Naming the option, the path and the store.
    """
    url = default_store_url() if store_url is None else store_url
    store_path = local_path(url)
    if store_path is None:
        return
    target = _resolved(path)
    base = _resolved(store_path)
    if url.partition("://")[0] == "json":
        clash = target == base or base in target.parents or _same_file(path, store_path)
        what = "the store's folder" if target == base else "a file inside the store's folder"
    else:
        names = {base, *(base.with_name(base.name + tail) for tail in _SQLITE_COMPANIONS)}
        clash = target in names or _same_file(path, store_path)
        what = "the store's own database file"
    if clash:
        hint = f" (or {option} - for standard output)" if option == "-o" else ""
        msg = (
            f"{option} {path} is {what} ({store_path}); writing there would destroy the "
            f"store: give another path{hint}"
        )
        raise click.ClickException(msg)


_Output = TypeVar("_Output", str, Path)


def output_target(
    output: _Output | None, store_url: str | None = None, *, option: str = "-o"
) -> _Output | None:
    """Return the file ``-o`` names, or None for standard output (``-o -`` or no ``-o``).

    *output* is returned as given (a `str` keeps a trailing slash that names a folder).

    Raises:
        click.ClickException: If the file is the store's own (see `refuse_store_path`).
    """
    if output is None or str(output) == STDOUT:
        return None
    refuse_store_path(Path(output), store_url, option=option)
    return output


def wants_stdout(output: str | Path | None) -> bool:
    """Whether ``-o -`` was given: standard output, asked for by name."""
    return output is not None and str(output) == STDOUT
