"""The checker: objectives checked per second, against one pass of one compiled regex.

Workload 3 of the benchmark brief (docs/explanation/performance.md). 10,000 objectives are
generated from phrase banks with a fixed seed (vague aims, data targets, sound SMART
objectives, trivial goals, every time form). The baseline is the floor for any lexicon
checker: one compiled regular expression holding every built-in lexicon as one alternation,
run once over each text (``finditer`` to the end), measured in the same run, the runs
alternating; and twenty small compiled expressions (the first twenty lexicons) scanned over
each text. Target: within 5x. "Cold" bypasses the memo of recent results; "remembered" is a
second run over unchanged statements.

Run: python benchmarks/bench_checker.py [--n 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import sys
import time
from importlib import metadata

import devcycle
from devcycle.rules import Lexicons, RuleSet, check, clear_memo, default_config

OPENINGS = [
    "Improve",
    "Run",
    "By Easter, run",
    "Introduce",
    "I will use",
    "Develop",
    "Ensure",
    "Over the next two half-terms, trial",
    "Be more confident with",
    "Complete",
    "Organise",
]
FOCUS = [
    "guided reading for the 6 Year 4 pupils below ARE",
    "my teaching",
    "retrieval quizzes in 8R",
    "the staff socials",
    "phonics catch-up for five Reception children",
    "behaviour in Year 10",
    "the NPQ for Leading Teaching",
    "hinge questions in Year 11 history",
    "outcomes for PP pupils",
]
MEASURES = [
    "",
    ", evidenced in two drop-ins",
    "; success = at least 4 of the 6 pupils at ARE",
    ", with 80% of pupils achieving grade 5+",
    ", tracked on the intervention log",
    ", so that all pupils love reading",
]
TIMES = [
    "",
    " by 31/3/27",
    " by the end of the spring term",
    " within this cycle",
    " termly",
    " during 2026-27",
    " every week",
    " by the end of Year 10",
    " from January to July",
]


def generate(n: int, seed: int = 20260901) -> list[str]:
    """Return *n* objectives built from the phrase banks, the same every run."""
    rng = random.Random(seed)
    return [
        f"{rng.choice(OPENINGS)} {rng.choice(FOCUS)}{rng.choice(MEASURES)}{rng.choice(TIMES)}."
        for _ in range(n)
    ]


def baseline_pattern() -> re.Pattern[str]:
    """Every built-in lexicon as one alternation: one pass is the floor for a lexicon checker."""
    lexicons = Lexicons.builtin()
    alternatives = [p for name in lexicons.names for p in lexicons.patterns(name)]
    return re.compile(
        r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in alternatives) + r")(?!\w)", re.IGNORECASE
    )


def twenty_patterns() -> list[re.Pattern[str]]:
    """Twenty small compiled expressions (the first twenty lexicons), the issue's baseline."""
    lexicons = Lexicons.builtin()
    return [p for p in (lexicons.compiled(n) for n in lexicons.names[:20]) if p is not None]


def best_of(repeat: int, run: object) -> float:
    assert callable(run)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = generate(args.n)
    rules = RuleSet.default()
    config = default_config()
    pattern = baseline_pattern()
    small = twenty_patterns()
    check(texts[0], ruleset=rules, config=config)  # warm the lexicon caches

    def run_checker() -> None:
        # Cold: nothing remembered at the start; a statement repeated in the workload is
        # remembered after its first check, as in any real run.
        clear_memo()
        for text in texts:
            check(text, ruleset=rules, config=config)

    def run_memo() -> None:
        # What a report sees on its second run: unchanged statements come from the memo.
        for text in texts:
            check(text, ruleset=rules, config=config)

    def run_twenty() -> None:
        for text in texts:
            for each in small:
                for _match in each.finditer(text):
                    pass

    def run_regex() -> None:
        for text in texts:
            for _match in pattern.finditer(text):
                pass

    # Alternate the two so that both see the same load on a shared machine; keep the best.
    checker, regex, twenty, memo = (float("inf"),) * 4
    run_memo()  # fill the memo once
    for _ in range(args.repeat):
        checker = min(checker, best_of(1, run_checker))
        regex = min(regex, best_of(1, run_regex))
        twenty = min(twenty, best_of(1, run_twenty))
        memo = min(memo, best_of(1, run_memo))
    results = [check(t, ruleset=rules, config=config) for t in texts]
    print(
        f"workload: {args.n} generated objectives ({len(set(texts))} distinct), "
        f"{sum(map(len, texts)) / args.n:.0f} chars "
        f"on average, {len(rules)} rules, {len(Lexicons.builtin().names)} lexicons; "
        f"best of {args.repeat}"
    )
    print(
        f"machine: {os.cpu_count()} cores, {platform.python_implementation()} "
        f"{platform.python_version()} on {platform.system()}"
    )
    print(
        f"versions: devcycle {devcycle.__version__}, attrs {metadata.version('attrs')}, "
        f"cattrs {metadata.version('cattrs')}"
    )
    print(
        f"findings: {sum(len(r.findings) for r in results)}; good: {sum(r.good for r in results)}"
        f"; data targets: {sum(r.data_target for r in results)}"
    )
    print(f"devcycle.check, cold:       {args.n / checker:10,.0f} objectives/s ({checker:.3f} s)")
    print(f"devcycle.check, remembered: {args.n / memo:10,.0f} objectives/s ({memo:.3f} s)")
    print(f"one compiled regex (floor): {args.n / regex:10,.0f} texts/s      ({regex:.3f} s)")
    print(f"twenty small regexes:       {args.n / twenty:10,.0f} texts/s      ({twenty:.3f} s)")
    print(f"ratio cold checker/one regex: {checker / regex:.2f}x (target: within 5x)")
    print(f"ratio cold checker/twenty regexes: {checker / twenty:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
