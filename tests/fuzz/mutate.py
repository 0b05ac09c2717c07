"""A small coverage-guided mutation fuzzer in pure Python, over the committed seeds.

Atheris (libFuzzer for Python) installs here as a wheel, but CI should not depend on a
native fuzzer for each Python it runs; this is the pure-Python stand-in the suite runs.
For each target in `tests.fuzz.targets.TARGETS` it starts from the seeds in
``seeds/<target>/`` (the hostile cases of ``tests/hostile/cases.py`` and valid files),
mutates them (byte flips, inserts, deletions, repeats, splices and tokens of the formats:
brackets, quotes, YAML aliases, huge numbers, impossible dates, lone surrogates...), runs
the target under `sys.settrace` and keeps every input that reaches a line of devcycle not
reached before. An exception other than devcycle's own errors is a finding.

The run is bounded by a number of executions per target and a fixed random seed, so CI
runs the same inputs every time; for a longer hunt::

    PYTHONPATH=src python -m tests.fuzz.mutate --runs 5000 --seed 7 [TARGET...]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Final

from tests.fuzz.targets import EXPECTED, TARGETS, Target

import devcycle

SEEDS: Final = Path(__file__).parent / "seeds"
SOURCE: Final = str(Path(devcycle.__file__).parent)
MAX_INPUT: Final = 20_000
TOKENS: Final = (
    b"[",
    b"]",
    b"{",
    b"}",
    b'"',
    b"'",
    b",",
    b":",
    b"=",
    b"\n",
    b"\r\n",
    b"- ",
    b"  ",
    b"&a ",
    b"*a",
    b"!!python/object",
    b"null",
    b"true",
    b"NaN",
    b"1e999",
    b"-0",
    b"9" * 40,
    b"0.001",
    b"1e-300",
    b"2027-02-30",
    b"0001-01-01",
    b"9999-12-31",
    b"\\ud800",
    b"\xff",
    b"\xed\xa0\x80",
    b"\x00",
    b"\x1b[2J",
    "\u202e".encode(),
    b"[[x]]",
    b"[stage]",
    b"[check]",
    b"[roles.x]",
    b"id",
    b"text",
    b"fte",
    b"roles",
    b"BEGIN:VEVENT\r\n",
    b"END:VEVENT\r\n",
    b"DTSTART;VALUE=DATE:",
    b"SUMMARY:Autumn term\r\n",
    b'"kind": "bundle"',
    b'"records"',
    b"reviewer_id",
    b"term",
    b"half_term",
)


@dataclass
class Finding:
    """An input that made a target raise something other than a devcycle error."""

    target: str
    data: bytes
    error: str


@dataclass
class Result:
    """What one target's run did: executions, lines reached, corpus kept, findings."""

    target: str
    runs: int = 0
    lines: int = 0
    kept: int = 0
    seconds: float = 0.0
    findings: list[Finding] = field(default_factory=list)


class _Coverage:
    """Lines of devcycle's own code reached, by `sys.settrace` (other code is not traced)."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, int]] = set()
        self.new = 0

    def _local(self, frame: FrameType, event: str, _arg: Any) -> Callable[..., Any] | None:
        if event == "line":
            key = (frame.f_code.co_filename, frame.f_lineno)
            if key not in self.seen:
                self.seen.add(key)
                self.new += 1
        return self._local

    def _global(self, frame: FrameType, event: str, _arg: Any) -> Callable[..., Any] | None:
        if event == "call" and frame.f_code.co_filename.startswith(SOURCE):
            return self._local
        return None

    def run(self, target: Target, data: bytes) -> int:
        """Run *target* on *data*; return how many new lines it reached (raises as it does)."""
        self.new = 0
        sys.settrace(self._global)
        try:
            target(data)
        finally:
            sys.settrace(None)
        return self.new


def mutate(data: bytes, corpus: list[bytes], rng: random.Random) -> bytes:
    """Return *data* changed by one to four random edits."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.randrange(7)
        at = rng.randint(0, len(out))
        if choice == 0 and out:  # flip a bit
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
        elif choice == 1:  # a random byte
            out[at:at] = bytes([rng.randrange(256)])
        elif choice == 2 and out:  # delete a span
            del out[at : at + rng.randint(1, 16)]
        elif choice == 3 and out:  # repeat a span
            start = rng.randrange(len(out))
            span = out[start : start + rng.randint(1, 32)]
            out[at:at] = span * rng.randint(2, 64)
        elif choice == 4 and corpus:  # splice another input
            other = rng.choice(corpus)
            cut = rng.randint(0, len(other))
            out = out[:at] + other[cut:]
        else:  # a token of the formats
            out[at:at] = rng.choice(TOKENS)
    return bytes(out[:MAX_INPUT])


def seeds(target: str) -> list[bytes]:
    """The committed seeds of *target* (an empty input if it has none)."""
    folder = SEEDS / target
    found = [p.read_bytes() for p in sorted(folder.iterdir())] if folder.is_dir() else []
    return found or [b""]


def fuzz(name: str, runs: int, seed: int) -> Result:
    """Run *name*'s target on its seeds, then on *runs* mutated inputs."""
    target = TARGETS[name]
    rng = random.Random(f"{seed}:{name}")
    coverage = _Coverage()
    result = Result(name)
    corpus: list[bytes] = []
    started = time.perf_counter()

    def attempt(data: bytes) -> None:
        result.runs += 1
        try:
            new = coverage.run(target, data)
        except EXPECTED:
            new = coverage.new
        except RecursionError:
            new = coverage.new
            result.findings.append(Finding(name, data, "RecursionError"))
        except Exception as exc:
            new = coverage.new
            where = traceback.extract_tb(exc.__traceback__)[-1]
            result.findings.append(
                Finding(
                    name, data, f"{type(exc).__name__}: {exc} ({where.filename}:{where.lineno})"
                )
            )
        if new:
            corpus.append(data)

    for data in seeds(name):
        attempt(data)
    pool = corpus or seeds(name)
    for _ in range(runs):
        attempt(mutate(rng.choice(pool), pool, rng))
        pool = corpus or pool
    result.lines = len(coverage.seen)
    result.kept = len(corpus)
    result.seconds = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    """Fuzz the targets named (every target by default); exit 1 if anything was found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", choices=[[], *TARGETS], default=[])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    found = 0
    for name in args.targets or TARGETS:
        result = fuzz(name, args.runs, args.seed)
        found += len(result.findings)
        print(
            f"{name:<18} {result.runs:>6} runs {result.lines:>5} lines "
            f"{result.kept:>4} kept {result.seconds:6.1f}s {len(result.findings)} findings"
        )
        for finding in result.findings[:5]:
            print(f"  {finding.error}\n    input: {finding.data[:200]!r}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
