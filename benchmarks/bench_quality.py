"""How well the checker judges objectives: per label, per fold and per role, with confusions.

Usage:
    python benchmarks/bench_quality.py [FILE ...] [--held-out] [--check-floor]

FILE: labelled JSON Lines corpora (default: ../shared/corpus/objectives-real.jsonl and
objectives-dev.jsonl), each row with "text", optional "role" and "fold", and the labels
specific, measurable, achievable, relevant, time_bound, data_target and overall.

Scores the shipped checker (`devcycle.check`, the judge deciding) by balanced accuracy, the
mean of the recall on each class, as ../shared/eval/score_smart.py does. The shipped judge was
fitted on these corpora, so its figures on them are optimistic; --held-out refits the judge
with each fold of the real corpus held out in turn (train on four folds and the written
corpus, score the fifth) and prints those scores, the honest ones. --check-floor exits 1 when
the real corpus's scores fall below the floors in benchmarks/quality_floor.json (raise them as
the checker improves; never lower them to land). Without the corpora it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import judgefit

from devcycle.rules import CheckContext, RuleSet, check
from devcycle.rules.judge import LABELS, Model, decide

FLOOR = Path(__file__).resolve().parent / "quality_floor.json"
ALL_LABELS = (*LABELS, "good")

Row = Mapping[str, Any]
Verdicts = dict[str, bool]


def gold(row: Row, label: str) -> bool:
    """The row's expected value for *label* ("good" from "overall")."""
    return row["overall"] == "good" if label == "good" else bool(row[label])


def shipped(row: Row) -> Verdicts:
    """The shipped checker's verdicts on the row's text, with its role."""
    role = row.get("role") or None
    result = check(str(row["text"]), context=CheckContext(role=role) if role else None)
    out = dict(result.verdicts)
    out["data_target"] = result.data_target
    out["good"] = result.good
    return out


def from_model(model: Model, features: Mapping[int, frozenset[str]]) -> Callable[[Row], Verdicts]:
    """Verdicts from a refitted model's scores on precomputed signals (bare statements).

    As in the shipped checker, the rubric's conventions (``k.<name>`` signals) and a decisive
    rule that fires settle their criterion whatever the model weighs.
    """
    decisive = {
        f"r.{m.code}": m.negates.value
        for m in RuleSet.builtin().metas
        if m.decisive and m.negates is not None
    }

    def judge(row: Row) -> Verdicts:
        present = features[id(row)]
        out = decide(model.scores(present), present)
        for signal, label in decisive.items():
            if signal in present:
                out[label] = False
        verdicts: Verdicts = dict(out)
        verdicts["good"] = all(out[c] for c in LABELS[:5]) and not out["data_target"]
        return verdicts

    return judge


def balanced(pairs: Sequence[tuple[bool, bool]]) -> float:
    """Balanced accuracy of (predicted, expected) pairs; 1.0 for a class with no rows."""
    pos = [p for p, g in pairs if g]
    neg = [p for p, g in pairs if not g]
    recall_pos = sum(pos) / len(pos) if pos else 1.0
    recall_neg = sum(not p for p in neg) / len(neg) if neg else 1.0
    return (recall_pos + recall_neg) / 2


def scores(rows: Sequence[Row], predict: Callable[[Row], Verdicts]) -> dict[str, float]:
    """Balanced accuracy per label and their mean ("mean")."""
    predictions = [predict(r) for r in rows]
    out = {
        label: balanced(
            [(p[label], gold(r, label)) for p, r in zip(predictions, rows, strict=True)]
        )
        for label in ALL_LABELS
    }
    out["mean"] = sum(out[label] for label in ALL_LABELS) / len(ALL_LABELS)
    return out


def confusion(rows: Sequence[Row], predict: Callable[[Row], Verdicts], label: str) -> str:
    """'tp fp / fn tn' for *label*."""
    cells: dict[tuple[bool, bool], int] = defaultdict(int)
    for row in rows:
        cells[(predict(row)[label], gold(row, label))] += 1
    return (
        f"true+ {cells[(True, True)]:3d}  false+ {cells[(True, False)]:3d}  "
        f"false- {cells[(False, True)]:3d}  true- {cells[(False, False)]:3d}"
    )


def line(name: str, figures: Mapping[str, float], n: int) -> str:
    """One table row: name, rows, every label and the mean."""
    cells = "  ".join(f"{figures[label]:.3f}" for label in (*ALL_LABELS, "mean"))
    return f"{name:<28} {n:4d}  {cells}"


def header() -> str:
    """The table's header."""
    names = "  ".join(f"{label[:5]:>5}" for label in (*ALL_LABELS, "mean"))
    return f"{'':<28} {'rows':>4}  {names}"


def report(path: Path, rows: Sequence[Row]) -> dict[str, float]:
    """Print the shipped checker's scores on one corpus: overall, per fold, per role."""
    cache = {id(r): shipped(r) for r in rows}

    def predict(row: Row) -> Verdicts:
        return cache[id(row)]

    print(f"\n{path.name}: the shipped checker (judge fitted on these corpora: optimistic)")
    print(header())
    overall = scores(rows, predict)
    print(line("all rows", overall, len(rows)))
    for key in ("fold", "role"):
        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if row.get(key) is not None:
                groups[str(row[key])].append(row)
        for value, members in sorted(groups.items()):
            print(line(f"{key} {value}", scores(members, predict), len(members)))
    print("confusion (predicted/expected):")
    for label in ALL_LABELS:
        print(f"  {label:<12} {confusion(rows, predict, label)}")
    return overall


def held_out(real: Sequence[Row], dev: Sequence[Row]) -> dict[str, float]:
    """Refit with each fold of *real* held out; print and return the mean over folds."""
    features = {id(r): judgefit.features(r) for r in (*real, *dev)}
    folds = sorted({int(r["fold"]) for r in real})
    print(
        f"\nheld out: refit on the other folds and the written corpus "
        f"(l2={judgefit.L2:g}, overall l2={judgefit.L2_OVERALL:g}, words l2="
        f"{judgefit.L2_WORDS:g}, written rows weighted "
        f"{judgefit.DEV_WEIGHT:g}"
        + "".join(f", x{w:g} for {k}" for k, w in sorted(judgefit.LABEL_DEV_WEIGHTS.items()))
        + "), score each fold"
    )
    print(header())
    per_fold = []
    for fold in folds:
        train = [(features[id(r)], r, 1.0) for r in real if r["fold"] != fold]
        train += [(features[id(r)], r, judgefit.DEV_WEIGHT) for r in dev]
        model = judgefit.fit(train, l2=judgefit.L2)
        test = [r for r in real if r["fold"] == fold]
        figures = scores(test, from_model(model, features))
        per_fold.append(figures)
        print(line(f"fold {fold} held out", figures, len(test)))
    mean = {k: sum(f[k] for f in per_fold) / len(per_fold) for k in per_fold[0]}
    print(line("mean over held-out folds", mean, len(real)))
    return mean


def check_floor(figures: Mapping[str, Mapping[str, float]]) -> int:
    """Compare *figures* (name -> scores) with the recorded floors; 1 if any falls below."""
    floors = json.loads(FLOOR.read_text(encoding="utf-8"))
    failed = 0
    print(f"\nfloors ({FLOOR.name}):")
    for name, floor in floors.items():
        if name.startswith("_"):
            continue
        if name not in figures:
            print(f"  {name}: not measured in this run")
            failed = 1
            continue
        value = figures[name]["mean"]
        ok = value >= float(floor) - 1e-9
        print(f"  {name}: {value:.3f} {'>=' if ok else '<'} floor {float(floor):.3f}")
        failed |= not ok
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--held-out", action="store_true", help="refit per fold (needs numpy)")
    parser.add_argument("--check-floor", action="store_true", help="fail below the floors")
    args = parser.parse_args(argv)
    files = list(args.files) or [judgefit.REAL, judgefit.DEV]
    missing = [f for f in files if not f.is_file()]
    if missing:
        print(f"no labelled corpus at {', '.join(map(str, missing))}: nothing to score")
        return 2 if args.files else 0
    measured: dict[str, dict[str, float]] = {}
    loaded = {f: judgefit.load(f) for f in files}
    for path, rows in loaded.items():
        measured[path.name] = report(path, rows)
    corpora = judgefit.REAL.is_file() and judgefit.DEV.is_file()
    if (args.held_out or args.check_floor) and corpora:
        real = loaded.get(judgefit.REAL) or judgefit.load(judgefit.REAL)
        dev = loaded.get(judgefit.DEV) or judgefit.load(judgefit.DEV)
        measured["held-out real folds"] = held_out(real, dev)
    return check_floor(measured) if args.check_floor else 0


if __name__ == "__main__":
    sys.exit(main())
