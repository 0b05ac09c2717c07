"""Start-up cost: `import devcycle`, first use, and `devcycle --help` against the core dependencies.

Workload 4 of the benchmark brief (docs/explanation/performance.md). Each command runs in a
fresh interpreter, several times, interleaved after one warm-up run each (bytecode may be
written, as an installed wheel has it); the figure is the median wall time, and the ratio is
against `import attrs, cattrs, dateutil, dateutil.rrule` measured in the same run. Target:
`import devcycle` and `devcycle --help` within 1.3x; the first-use lines (the domain model,
a first check) are printed for information, with no target.

Run: python benchmarks/bench_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

BASELINE = "import attrs, cattrs, dateutil, dateutil.rrule"
COMMANDS = {
    "import devcycle": [sys.executable, "-c", "import devcycle"],
    # Names load on first use, so also time what a script pays to use the domain at all,
    # and to check one objective.
    "import devcycle; devcycle.Cycle": [sys.executable, "-c", "import devcycle; devcycle.Cycle"],
    "import devcycle; devcycle.check('...')": [
        sys.executable,
        "-c",
        "import devcycle; devcycle.check('Improve reading in Year 4')",
    ],
    "devcycle --help": [sys.executable, "-m", "devcycle", "--help"],
    "python -c pass": [sys.executable, "-c", "pass"],
}


# The child interpreters may write bytecode: an installed wheel has its modules compiled
# (pip compiles them), as the baseline's packages have, so a checkout run with
# PYTHONDONTWRITEBYTECODE=1 would otherwise time devcycle compiling its sources each time.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def seconds_of(argv: list[str]) -> float:
    """The wall time of one run of *argv* in a fresh interpreter."""
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=_ENV)
    return time.perf_counter() - start


def _bytecode_cached() -> bool:
    """Whether devcycle's own modules have cached bytecode (after the warm-up run)."""
    spec = importlib.util.find_spec("devcycle")
    source = spec.origin if spec is not None else None
    return bool(source) and Path(importlib.util.cache_from_source(str(source))).exists()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    versions = {p: metadata.version(p) for p in ("devcycle", "attrs", "cattrs", "click")}
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {versions}")
    runs = {"baseline: " + BASELINE: [sys.executable, "-c", BASELINE], **COMMANDS}
    for argv in runs.values():  # warm-up: the file cache, and bytecode written where it may be
        seconds_of(argv)
    print(
        f"each command run {args.repeat} times in a fresh interpreter, interleaved; median "
        f"wall time; devcycle's bytecode cached: {'yes' if _bytecode_cached() else 'no'}"
    )
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeat):
        for name, argv in runs.items():
            times[name].append(seconds_of(argv))
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians["baseline: " + BASELINE]
    for name, seconds in medians.items():
        print(f"{name:55} {seconds * 1000:7.1f} ms  {seconds / baseline:.2f}x")


if __name__ == "__main__":
    main()
