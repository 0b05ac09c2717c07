"""Every benchmark script runs to the end on a tiny workload.

The benchmarks are not timed here (targets live in `benchmarks/`, never in timed tests);
this only makes a change to the public API that a benchmark uses fail a test, instead of
breaking the benchmark unseen until someone next measures (it happened: `bench_vendor.py`
still called `Services.change_cycle` without an actor long after that changed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
POSTGRES = os.environ.get("DEVCYCLE_TEST_POSTGRES_URL")

RUNS = {
    "bench_peer.py": ["--sizes", "5,10", "--rounds", "2", "--clock", "cpu"],
    "bench_peer.py --light-floor": ["--sizes", "5", "--rounds", "1", "--light-floor"],
    "bench_peer.py --api callback": ["--sizes", "5", "--rounds", "1", "--api", "callback"],
    "bench_render.py": ["--schools", "1", "--staff", "3", "--rounds", "1", "--formats", "html"],
    "bench_reports.py": ["--schools", "1,2", "--staff", "4", "--repeat", "1"],
    "bench_reports.py --from-store": [
        *("--from-store", "--schools", "1,2", "--staff", "4", "--rounds", "1", "--no-health"),
    ],
    "bench_storage.py": ["--schools", "2", "--repeat", "1", "--no-growth"],
    "bench_checker.py": ["--n", "60", "--repeat", "1"],
    "bench_startup.py": ["--repeat", "1"],
}


def _run(script: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if "--postgres" not in args:
        env.pop("DEVCYCLE_TEST_POSTGRES_URL", None)  # SQLite only, unless asked
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=BENCHMARKS.parent,
        env=env,
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_each_benchmark_runs_on_a_tiny_workload(name: str) -> None:
    result = _run(name.split(maxsplit=1)[0], RUNS[name])

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert result.stdout.strip()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_the_peer_benchmark_counts_each_steps_instructions_under_callgrind() -> None:
    result = _run("bench_peer.py", ["--sizes", "3", "--rounds", "1", "--instructions"])

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "instructions (callgrind)" in result.stdout
    assert "devcycle / floor in instructions" in result.stdout


@pytest.mark.slow
@pytest.mark.skipif(POSTGRES is None, reason="DEVCYCLE_TEST_POSTGRES_URL is unset")
@pytest.mark.parametrize("extra", [[], ["--gc-freeze"]], ids=["default", "gc-freeze"])
def test_the_vendor_benchmark_runs_on_postgres_and_loses_no_update(extra: list[str]) -> None:
    assert POSTGRES is not None
    args = ["--schools", "1", "--workers", "2", "--ops", "20", "--rounds", "1", *extra]
    result = _run("bench_vendor.py", [*args, "--postgres", POSTGRES])

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "lost updates: 0" in result.stdout


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.skipif(POSTGRES is None, reason="DEVCYCLE_TEST_POSTGRES_URL is unset")
def test_the_storage_benchmark_runs_on_postgres() -> None:
    """Its raw driver names each school as devcycle does (found in session 19: since the
    tables kept schools apart by row-level security, the raw side's first insert failed)."""
    assert POSTGRES is not None
    args = ["--schools", "2", "--repeat", "1", "--no-growth", "--postgres", POSTGRES]
    result = _run("bench_storage.py", args)

    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "PostgreSQL: 2 schools" in result.stdout
