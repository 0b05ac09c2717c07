"""The coverage-guided mutation fuzzer, bounded for CI (issue 13, item 7).

Each target runs on its committed seeds, then on `RUNS` mutated inputs with a fixed
random seed (the same inputs on every run); see `tests.fuzz.mutate` for longer hunts.
"""

from __future__ import annotations

import pytest
from tests.fuzz.mutate import fuzz, seeds
from tests.fuzz.targets import TARGETS

RUNS = 150


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_mutated_inputs_find_nothing(name: str) -> None:
    result = fuzz(name, RUNS, seed=0)

    assert result.runs == RUNS + len(seeds(name))
    assert result.lines > 0
    assert not result.findings, "\n".join(
        f"{f.error}\n  input: {f.data[:300]!r}" for f in result.findings[:5]
    )


def test_every_target_has_committed_seeds() -> None:
    assert all(seeds(name) != [b""] for name in TARGETS)
