"""The JSON text of stored documents: orjson where it is installed, else the standard json.

Every store keeps each record as JSON text (`devcycle.storage.base.Record.document`), and
audit entries too. Writing and reading that text with the standard `json` was about a
sixth of the peer workload's time (issue 16), so the storage layer uses
`orjson <https://github.com/ijl/orjson>`_ when it is installed (the ``fast`` extra, which
the ``sql``, ``postgres`` and ``cli`` extras include), and the standard library otherwise:

- `encode` writes what ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``
  writes, except that a float may be spelled otherwise with the same value (``1e16`` for
  ``1e+16``). A value orjson does not write as the standard library would (an integer
  beyond 64 bits, text with a lone surrogate, a key that is not text, a date, a dataclass)
  goes to the standard library, which writes it or raises `TypeError` / `ValueError` as
  ever; subclasses of str and int (an id that remembers its school, a str enum) are written
  as their value by both. Only an `enum.Enum` of another type is written (as its value)
  where the standard library would raise. devcycle only passes plain data here, with
  finite floats (its records' validators refuse NaN and infinities, which orjson would
  write as ``null``).
- `decode` reads what ``json.loads`` reads, into equal values. orjson reads a whole
  number beyond 64 bits as a float, so text with 19 digits in a row anywhere goes to
  ``json.loads``, as does text orjson refuses (NaN, a lone surrogate, malformed JSON): a
  malformed document raises `json.JSONDecodeError` with the standard library's message.

What is hashed for the audit chain never comes here: it is written by the standard library
with sorted keys (`devcycle.storage.audit`), so a chain verifies the same whichever library
wrote the entries, and a store written with either library is read the same.

`use` chooses the library for the process (for tests and benchmarks: ``use("json")``
measures devcycle without orjson).

Examples:
    >>> from devcycle.storage import jsoncodec
    >>> jsoncodec.encode({"id": "obj-1", "percent": 40, "note": "On track."})
    '{"id":"obj-1","percent":40,"note":"On track."}'
    >>> jsoncodec.decode('{"id":"obj-1","tags":["a","b"]}')
    {'id': 'obj-1', 'tags': ['a', 'b']}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Final

__all__ = ["decode", "encode", "library", "use"]

_STANDARD_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_STANDARD_DECODE: Final = json.loads


def _standard_encode(value: Any) -> str:
    return _STANDARD_ENCODER.encode(value)


_STANDARD: Final = (_standard_encode, _STANDARD_DECODE)

_DIGITS: Final = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
"""A translation table making every digit ``0`` and every other byte a space."""
_LONG_NUMBER: Final = b"0" * 19
"""Nineteen digits in a row, as every whole number beyond 64 bits has (2**63 has 19)."""


def _orjson() -> tuple[Callable[[Any], str], Callable[[str], Any]] | None:
    """The encode and decode of orjson, or None where it is not installed (imported here only)."""
    try:
        import orjson  # noqa: PLC0415 - imported when first needed: `import devcycle` stays light
    except ImportError:
        return None
    dumps = orjson.dumps
    # Dates and dataclasses, which orjson would write where the standard library raises,
    # raise instead, and so go to the standard library below. Subclasses of str and int
    # (an id that remembers its school, a str enum) are written as their value by both.
    passthrough = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS

    def orjson_encode(value: Any) -> str:
        try:
            return dumps(value, option=passthrough).decode()
        except TypeError:  # orjson.JSONEncodeError: what only the standard library writes
            return _STANDARD_ENCODER.encode(value)

    loads = orjson.loads

    def orjson_decode(text: str) -> Any:
        # orjson reads a whole number beyond 64 bits (19 digits or more) as a float: such
        # text, and text orjson refuses (NaN, a lone surrogate, malformed JSON), is read by
        # the standard library, which reads it exactly or explains what is wrong.
        if _LONG_NUMBER in text.encode("utf-8", "surrogatepass").translate(_DIGITS):
            return _STANDARD_DECODE(text)
        try:
            return loads(text)
        except ValueError:  # orjson.JSONDecodeError
            return _STANDARD_DECODE(text)

    return orjson_encode, orjson_decode


_CHOSEN: list[str] = []
"""The library in use, once chosen (on first use, or by `use`)."""


def _choose() -> None:
    if not _CHOSEN:
        try:
            use("orjson")
        except ValueError:  # not installed: the standard library
            use("json")


def _encode_first(value: Any) -> str:
    _choose()
    return encode(value)


def _decode_first(text: str) -> Any:
    _choose()
    return decode(text)


encode: Callable[[Any], str] = _encode_first
"""Return *value* (plain JSON data) as compact JSON text; see the module's notes."""

decode: Callable[[str], Any] = _decode_first
"""Return the value JSON *text* holds; raises `json.JSONDecodeError` if it is not JSON."""


def library() -> str:
    """The library in use: ``"orjson"`` or ``"json"`` (the standard library)."""
    _choose()
    return _CHOSEN[0]


def use(name: str) -> None:
    """Write and read documents with *name* (``"orjson"`` or ``"json"``) from now on.

    For tests and benchmarks; the default is orjson where it is installed.

    Raises:
        ValueError: If *name* is not one of them, or orjson is not installed.
    """
    functions = _STANDARD if name == "json" else _orjson() if name == "orjson" else None
    if functions is None:
        msg = f"no JSON library {name!r} here: use 'json', or 'orjson' where it is installed"
        raise ValueError(msg)
    global encode, decode  # the module's functions are the switch
    encode, decode = functions
    _CHOSEN[:] = [name]
