"""Reading user files within limits, and writing output files atomically.

Every file devcycle reads on a person's behalf (objectives, rosters, calendars, templates,
stage files, bundles, configurations) goes through `read_text`: it refuses what is not a
regular file (a FIFO or a device would block or never end), refuses files over
`MAX_INPUT_BYTES` before reading them, and decodes UTF-8 with a message that names the line
and column of the first bad byte. Every file devcycle writes for a person (``-o`` outputs,
bundles, copied templates) goes through `write_atomic`: a temporary file in the same folder,
flushed and renamed over the target, so a failure (a full disk, a read-only folder) leaves
either the old file or none, never a partial one.

Both raise devcycle errors with the path and what was expected, never a bare `OSError`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import uuid
from pathlib import Path
from typing import Final

from devcycle.errors import StorageError, ValidationError

__all__ = [
    "MAX_INPUT_BYTES",
    "decode_text",
    "describe_os_error",
    "read_bytes",
    "read_text",
    "write_atomic",
]

MAX_INPUT_BYTES: Final = 256 * 1024 * 1024
"""The largest input file devcycle reads (256 MiB); larger files are refused unread."""


def describe_os_error(exc: OSError) -> str:
    """Return an `OSError`'s reason in words, without Python's ``[Errno N]`` prefix."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason[0].lower() + reason[1:] if reason else reason


def read_bytes(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Return the bytes of the regular file at *path*, at most *limit* of them.

    Raises:
        ValidationError: If *path* is missing, not a regular file (a folder, a FIFO, a
            device), unreadable or larger than *limit*; the message names the file.
    """
    file = Path(path)
    source = str(file)
    try:
        info = file.stat()
    except OSError as exc:
        raise ValidationError(
            [f"cannot read the file: {describe_os_error(exc)}"], source=source
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise ValidationError(["expected a file, found a folder"], source=source)
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(
            ["expected a regular file (FIFOs, sockets and devices are not read)"],
            source=source,
        )
    if info.st_size > limit:
        raise ValidationError(
            [f"the file is {info.st_size:,} bytes; devcycle reads files of at most {limit:,}"],
            source=source,
        )
    try:
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ValidationError(
            [f"cannot read the file: {describe_os_error(exc)}"], source=source
        ) from None
    if len(data) > limit:  # it grew while we looked
        raise ValidationError([f"the file is over {limit:,} bytes"], source=source)
    return data


def decode_text(data: bytes, *, source: str | None = None) -> str:
    """Decode UTF-8 (a leading byte-order mark is dropped), naming the line of a bad byte.

    Raises:
        ValidationError: If *data* is not UTF-8.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise ValidationError(
            [
                f"not UTF-8 text: byte 0x{bad} at line {line} column {column}; "
                "save the file as UTF-8"
            ],
            source=source,
        ) from None


def read_text(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES) -> str:
    """Return the text of the UTF-8 file at *path* (see `read_bytes` and `decode_text`)."""
    return decode_text(read_bytes(path, limit=limit), source=str(path))


def write_atomic(
    path: str | os.PathLike[str], data: bytes | str, *, mode: int | None = None
) -> Path:
    """Write *data* to *path* through a temporary file renamed over it; return the path.

    A failure at any point (no such folder, a file where a folder should be, a read-only
    folder, a full disk) leaves the target as it was and no temporary file behind. Text is
    written as UTF-8; text that cannot be (a lone surrogate) is refused before anything is
    written, and so is a NUL character in text.

    Args:
        path: The file to write.
        data: Bytes, or text to encode as UTF-8.
        mode: Permission bits for a new file (for example ``0o600``); by default the
            process's usual ones.

    Raises:
        StorageError: Naming the path and the reason, when it cannot be written.
    """
    target = Path(path)
    if isinstance(data, str):
        if "\x00" in data:
            msg = f"cannot write {target}: the text holds a NUL character"
            raise StorageError(msg)
        try:
            payload = data.encode("utf-8")
        except UnicodeEncodeError as exc:
            msg = (
                f"cannot write {target}: the text holds a character UTF-8 cannot store "
                f"({data[exc.start]!r} at position {exc.start})"
            )
            raise StorageError(msg) from None
    else:
        payload = data
    if target.is_dir():
        msg = f"cannot write {target}: it is a folder"
        raise StorageError(msg)
    tmp = target.with_name(f".{target.name[:200]}.{uuid.uuid4().hex[:12]}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o666 if mode is None else mode)
    except OSError as exc:
        msg = f"cannot write {target}: {describe_os_error(exc)}"
        raise StorageError(msg) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        msg = f"cannot write {target}: {describe_os_error(exc)}"
        raise StorageError(msg) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target


PRIVATE_FILE: Final = 0o600
"""Permission bits for every file devcycle writes: stores, bundles, proformas, reports."""

PRIVATE_DIR: Final = 0o700
"""Permission bits for every folder devcycle creates."""


def make_private_dir(path: str | os.PathLike[str]) -> Path:
    """Create the folder *path* (and missing parents) readable by its owner only.

    Folders that already exist are left as they are (the embedder chose their rights).

    Raises:
        StorageError: Naming the path and the reason, when it cannot be created.
    """
    target = Path(path)
    missing = [p for p in (target, *target.parents) if not p.exists()]
    try:
        for folder in reversed(missing):
            folder.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    except OSError as exc:
        msg = f"cannot create the folder {target}: {describe_os_error(exc)}"
        raise StorageError(msg) from None
    return target


def write_private(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write *data* atomically to *path* as a file only its owner can read (0600).

    The file's folder is created (0700) if missing. See `write_atomic`.
    """
    target = Path(path)
    make_private_dir(target.parent)
    return write_atomic(target, data, mode=PRIVATE_FILE)
