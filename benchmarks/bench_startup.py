"""Start-up cost: `import devcycle`, first use, and `devcycle --help` against the core dependencies.

Workload 4 of the benchmark brief (docs/explanation/performance.md). Each command runs in a
fresh interpreter, several times; the figure is the median wall time, and the ratio is
against `import attrs, cattrs, dateutil, dateutil.rrule` measured in the same run. Target:
`import devcycle` and `devcycle --help` within 1.3x; the first-use lines (the domain model,
a first check) are printed for information, with no target.

Run: python benchmarks/bench_startup.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from importlib import metadata

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


def median_seconds(argv: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    versions = {p: metadata.version(p) for p in ("devcycle", "attrs", "cattrs", "click")}
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {versions}")
    print(f"each command run {args.repeat} times in a fresh interpreter; median wall time")
    baseline = median_seconds([sys.executable, "-c", BASELINE], args.repeat)
    print(f"{'baseline: ' + BASELINE:55} {baseline * 1000:7.1f} ms  1.00x")
    for name, argv in COMMANDS.items():
        seconds = median_seconds(argv, args.repeat)
        print(f"{name:55} {seconds * 1000:7.1f} ms  {seconds / baseline:.2f}x")


if __name__ == "__main__":
    main()
