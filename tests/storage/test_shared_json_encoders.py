"""The shared JSON encoders write exactly what ``json.dumps`` with the same options writes.

Documents, audit entries and the audit's hashed forms are encoded by module-level
`json.JSONEncoder` instances instead of ``json.dumps(value, ...)`` per call (which builds
an encoder every time): the text, and so every stored document and every audit hash, must
be the same, for any JSON value, in any thread.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from devcycle.storage import audit
from devcycle.storage.base import COMPACT_JSON, kind_named
from devcycle.testing import strategies as dst

_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=20,
)


def _dumps_compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@given(_JSON)
def test_compact_encoder_writes_what_dumps_writes(value: Any) -> None:
    assert COMPACT_JSON.encode(value) == _dumps_compact(value)
    assert audit._COMPACT.encode(value) == _dumps_compact(value)


@given(_JSON)
def test_canonical_form_is_what_dumps_writes(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert audit._canonical(value) == expected.encode()


@given(dst.cycles())
def test_a_stored_document_is_what_dumps_writes(cycle: Any) -> None:
    record, envelope = kind_named("cycle").record_and_envelope(cycle, 3)
    assert record.document == _dumps_compact(envelope)


def test_the_shared_encoder_in_threads() -> None:
    values = [
        {"n": n, "on": date(2026, 9, 1 + n % 28).isoformat(), "x": [n] * n} for n in range(200)
    ]
    with ThreadPoolExecutor(4) as pool:
        texts = list(pool.map(COMPACT_JSON.encode, values))
    assert texts == [_dumps_compact(v) for v in values]
