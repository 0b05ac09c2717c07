"""Reports at trust scale: the collector paused around bulk work, school names looked up once.

See `devcycle._gc` for why the cyclic garbage collector is paused while a trust is loaded and
reported on, and the performance page for the measurements.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator
from datetime import date

import attrs
import pytest
from tests.reports import trust

from devcycle import _gc
from devcycle.render import render
from devcycle.reports import REPORT_NAMES, ReportData, run
from devcycle.reports._base import ScopeInfo
from devcycle.storage.memory import MemoryStore

FORMATS = ("html", "markdown", "json")


@pytest.fixture(autouse=True)
def _collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_disables_the_collector_and_enables_it_again() -> None:
    with _gc.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_enables_it_again_after_an_exception() -> None:
    with pytest.raises(RuntimeError), _gc.paused():
        raise RuntimeError
    assert gc.isenabled()


def test_nested_pauses_end_with_the_outermost() -> None:
    with _gc.paused():
        with _gc.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_application_that_disabled_the_collector_keeps_it_disabled() -> None:
    gc.disable()
    with _gc.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads_leave_the_collector_enabled() -> None:
    # Thread A pauses first and ends first; thread B ends last. The collector must be enabled
    # again once both have ended (a naive save-and-restore in B would leave it disabled).
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def a() -> None:
        with _gc.paused():
            a_in.set()
            b_in.wait(5)
        a_out.set()

    def b() -> None:
        a_in.wait(5)
        with _gc.paused():
            b_in.set()
            a_out.wait(5)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_school_names_are_looked_up_from_one_map_built_once() -> None:
    info = ScopeInfo(
        "trust",
        "Trust",
        date(2027, 2, 1),
        tuple(f"s{n}" for n in range(50)),
        0,
        0,
        tuple(f"School {n}" for n in range(50)),
    )
    assert info.school_name("s7") == "School 7"
    assert info.school_name("elsewhere") == "elsewhere"
    # Built once per report, not once per row (which made trust reports quadratic).
    assert info._names_by_id is info._names_by_id
    assert info == attrs.evolve(info)
    assert hash(info) == hash(attrs.evolve(info))


def _every_report(data: ReportData) -> dict[str, bytes]:
    out = {}
    for name in REPORT_NAMES:
        document = run(name, data, as_of=trust.AS_OF).to_document()
        for format in FORMATS:
            out[f"{name}.{format}"] = render(document, format)
    return out


def test_every_report_is_the_same_with_the_collector_paused_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = trust.build()
    paused = _every_report(data)
    assert gc.isenabled()
    monkeypatch.setattr(_gc, "paused", contextlib.nullcontext)
    assert _every_report(data) == paused


def test_loading_from_a_store_pauses_the_collector_only_while_loading() -> None:
    data = trust.build()
    store = MemoryStore()
    with store.transaction() as tx:
        for school in data.schools:
            tx.schools.add(school)
        tx.staff.add_all(data.staff)
        tx.cycles.add_all(data.cycles)
        tx.cpd.add_all(data.cpd)
        tx.commit()
    with store.transaction() as tx:
        loaded = ReportData.from_store(tx)
    assert gc.isenabled()
    assert sorted(c.id for c in loaded.cycles) == sorted(c.id for c in data.cycles)


def test_every_report_builds_its_document_with_the_collector_paused() -> None:
    """A report added later (the priorities report) had been left out of the pause."""
    data = trust.build()
    for name in REPORT_NAMES:
        report = run(name, data, as_of=trust.AS_OF)
        to_document = type(report).to_document
        assert hasattr(to_document, "__wrapped__"), f"{name}: to_document is not paused_during"
