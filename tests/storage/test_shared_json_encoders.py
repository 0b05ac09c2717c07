"""Stored documents are JSON text that reads back exactly, whichever library wrote it.

Documents and audit entries are written and read by `devcycle.storage.jsoncodec` (written by
orjson where installed, else the standard library). Whichever library is in use, the text
must read back as the value written, be what ``json.dumps`` writes (floats apart, which
orjson may spell otherwise with the same value), and be read as ``json.loads`` reads it
(orjson would read a whole number beyond 64 bits as a float), so that stores written by
either are read the same. The audit's hashed form is the standard library's own, with
sorted keys, in any thread.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devcycle import Actor, Role, School, StaffMember, Store
from devcycle.services import Services
from devcycle.storage import audit, jsoncodec
from devcycle.storage.base import kind_named
from devcycle.testing import strategies as dst
from devcycle.testing.store_contract import wipe

_SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF, exclude_categories=())
_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.text(st.characters() | _SURROGATES, max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _dumps_compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _floats(value: Any) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _floats(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values, NaN equal to NaN."""
    return _dumps_compact(a) == _dumps_compact(b)


_SHARED_FIXTURE = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
"""For the tests taking `library`: one library for all of a test's examples, as meant."""


@pytest.fixture(params=["orjson", "json"])
def library(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each JSON library in turn, the default restored after the test."""
    before = jsoncodec.library()
    jsoncodec.use(request.param)
    yield request.param
    jsoncodec.use(before)


def test_orjson_is_the_default_where_installed() -> None:
    pytest.importorskip("orjson")
    assert jsoncodec.library() == "orjson"


def test_an_unknown_library_is_refused() -> None:
    with pytest.raises(ValueError, match="no JSON library 'simplejson'"):
        jsoncodec.use("simplejson")


@given(value=_JSON)
@_SHARED_FIXTURE
def test_encode_writes_what_dumps_writes_floats_apart(library: str, value: Any) -> None:
    text = jsoncodec.encode(value)
    if not any(math.isfinite(f) is False for f in _floats(value)):  # orjson: NaN is null
        assert _same(json.loads(text), value)
    if not any(True for _ in _floats(value)):
        assert text == _dumps_compact(value)


@given(value=_JSON, ascii_only=st.booleans())
@_SHARED_FIXTURE
def test_decode_reads_what_loads_reads(library: str, value: Any, ascii_only: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii_only)  # escaped surrogates too
    assert _same(jsoncodec.decode(text), json.loads(text))


@pytest.mark.parametrize(
    "text",
    [
        "18446744073709551616",  # 2**64: orjson reads a float
        "[-9223372036854775809]",
        '{"n":123456789012345678901234567890}',
        '"\\ud800"',
        '"\\udc00\\ud800"',
        "1E400",
        "NaN",
        '{"a":1,"a":2}',
        "-0",
        "[" * 900 + "]" * 900,  # deep nesting
    ],
)
def test_decode_reads_exactly_what_orjson_would_not(library: str, text: str) -> None:
    got, expected = jsoncodec.decode(text), json.loads(text)
    assert _same(got, expected)
    assert type(got) is type(expected)


@given(text=st.text(max_size=40) | _JSON.map(_dumps_compact).map(lambda t: t[:-1]))
@_SHARED_FIXTURE
def test_decode_refuses_what_loads_refuses_with_its_message(library: str, text: str) -> None:
    try:
        expected: Any = json.loads(text)
    except json.JSONDecodeError as error:
        expected = error
    try:
        got: Any = jsoncodec.decode(text)
    except json.JSONDecodeError as error:
        got = error
    if isinstance(expected, json.JSONDecodeError):
        assert isinstance(got, json.JSONDecodeError)
        assert str(got) == str(expected)
    else:
        assert _same(got, expected)


class _Colour(enum.StrEnum):
    RED = "red"


class _Text(str):
    pass


class _Level(enum.IntEnum):
    HIGH = 3


@pytest.mark.parametrize(
    "value",
    [
        {"k": _Colour.RED},
        [_Text("a\u2028b")],
        {"n": _Level.HIGH},
        {"x": 2**64},
        {"s": "\ud800"},
        {1: "a"},
    ],
    ids=["str-enum", "str-subclass", "int-enum", "big-int", "lone-surrogate", "int-key"],
)
def test_values_of_other_types_are_written_as_dumps_writes_them(library: str, value: Any) -> None:
    assert jsoncodec.encode(value) == _dumps_compact(value)


@pytest.mark.parametrize("value", [{"on": date(2026, 9, 1)}, {"x": object()}, {"s": {1}}])
def test_what_the_standard_library_refuses_is_refused(library: str, value: Any) -> None:
    with pytest.raises(TypeError):
        jsoncodec.encode(value)


@given(_JSON)
def test_canonical_form_is_what_dumps_writes(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert audit._canonical(value) == expected.encode()


@given(cycle=dst.cycles())
@_SHARED_FIXTURE
def test_a_stored_document_reads_back_as_its_envelope(library: str, cycle: Any) -> None:
    record, envelope = kind_named("cycle").record_and_envelope(cycle, 3)
    assert json.loads(record.document) == envelope
    assert jsoncodec.decode(record.document) == envelope
    assert kind_named("cycle").load(record, trusted=True) == cycle


def test_the_shared_encoder_in_threads(library: str) -> None:
    values = [
        {"n": n, "on": date(2026, 9, 1 + n % 28).isoformat(), "x": [n] * n} for n in range(200)
    ]
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(jsoncodec.encode, values))
    assert texts == [_dumps_compact(v) for v in values]


def test_a_store_written_by_one_library_is_read_and_updated_by_the_other(
    each_store: Store,
) -> None:
    """Stores outlive installs: one written without orjson is read and updated with it."""
    before = jsoncodec.library()
    school = School(id="oak", name="Oak \u00e9cole \u2028 \U0001f600", priorities=())
    member = StaffMember(id="T1", name="Zo\u00eb", school_id="oak", roles={Role.TEACHER})
    try:
        for first, second in (("json", "orjson"), ("orjson", "json")):
            wipe(each_store)
            jsoncodec.use(first)
            Services(each_store).save_school(Actor.system(), school, [member])
            jsoncodec.use(second)
            stored = each_store.staff.get("oak", "T1")
            assert stored.name == "Zo\u00eb"
            with each_store.transaction() as tx:
                tx.staff.update(attrs.evolve(stored, name="Zo\u00eb Smith"))
                tx.commit()
            jsoncodec.use(first)
            assert each_store.staff.get("oak", "T1").name == "Zo\u00eb Smith"
            assert each_store.schools.get("oak").name == school.name
            assert each_store.audit.verify("oak").ok
    finally:
        jsoncodec.use(before)


def test_a_loaded_cycle_is_written_by_orjson_itself(
    each_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids loaded from a store (text that remembers its school) do not send a save to json.

    Regression: with orjson told to refuse every subclass of str, each document holding a
    loaded id was encoded twice, by orjson (refusing it) and then by the standard library.
    """
    pytest.importorskip("orjson")
    wipe(each_store)
    school = School(id="oak", name="Oak", priorities=())
    member = StaffMember(id="T1", name="Zoe", school_id="oak", roles={Role.TEACHER})
    Services(each_store).save_school(Actor.system(), school, [member])
    stored = each_store.staff.get("oak", "T1")
    assert type(stored.id) is not str  # the id remembers its school
    before = jsoncodec.library()
    jsoncodec.use("orjson")
    monkeypatch.setattr(jsoncodec, "_STANDARD_ENCODER", None)  # any fallback would fail
    try:
        record = kind_named("staff").record(stored, 2)
    finally:
        jsoncodec.use(before)
    assert json.loads(record.document)["data"]["id"] == "T1"
