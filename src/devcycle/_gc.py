"""Pausing Python's cyclic garbage collector around bulk work on a loaded trust.

Why: loading a trust builds hundreds of thousands of small attrs objects that all stay alive,
and a report over it allocates many more that live until the report is done. CPython's cyclic
collector runs a full pass (over every tracked object in the process) whenever enough objects
have survived the younger passes, so on a large heap those passes cost more and more while
finding nothing: the loaded domain objects are trees (frozen attrs instances and tuples, no
reference cycles) and a report's rows are freed by reference counting when it returns.
Measured with `benchmarks/bench_reports.py --from-store` (see the performance page), the full
passes grew about 21x for 5x the data and made every report on a 50-school trust grow faster
than the trust; with the collector paused the reports grow with the data.
The same holds for bulk changes: `Services.change_cycles` pauses it for each batch of cycles
it loads, changes and saves, and `Services.plan_cycles` (and `enrol`) while it plans and
stores a school's new cycles.

What it does not change: reference counting still frees every acyclic object at once, so
memory is not held longer; any cyclic garbage made while paused is collected by the next pass
after the pause ends. The pause is process-wide (that is how `gc.disable` works), so it is
counted: nested and concurrent pauses (threads of a web server) share one, and the collector
is enabled again only when the last ends, and only if it was enabled when the first began. An
application that has disabled the collector itself keeps it disabled.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

__all__ = ["paused", "paused_during"]

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_depth = 0
_we_disabled = False


@contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (see the module's docstring)."""
    global _depth, _we_disabled  # noqa: PLW0603 - one process-wide pause, counted
    with _lock:
        if _depth == 0:
            _we_disabled = gc.isenabled()
            if _we_disabled:
                gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _we_disabled:
                _we_disabled = False
                gc.enable()


def paused_during(function: Callable[P, R]) -> Callable[P, R]:
    """Decorate *function* to run with the cyclic garbage collector paused."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused():
            return function(*args, **kwargs)

    return wrapper
