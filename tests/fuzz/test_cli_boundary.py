"""Any bytes as any input file of the command line: exit 0, 1 or 2, never a traceback.

Each command that reads a user file is run with Hypothesis-chosen bytes as that file
(issue 13, item 7). Exit status 3 ("internal error", a bug) or a traceback fails the
test with the bytes that caused it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.hostile.cases import Case, run_case

PLAN = ("plan", "--template", "england-teacher", "--year", "2027", "--dry-run")
PROFORMA = (
    "proforma",
    "--store",
    "memory://",
    "--all",
    "--stage",
    "planning",
    "--audience",
    "reviewee",
    "--stage-dir",
    "s",
    "-o",
    "out",
)
TRAINING = ("school", "plan-training", "oak")
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "objectives json": (("check", "o.json"), "o.json"),
    "objectives yaml": (("check", "o.yaml"), "o.yaml"),
    "objectives csv": (("check", "o.csv"), "o.csv"),
    "objectives toml": (("check", "o.toml"), "o.toml"),
    "calendar ics": ((*PLAN, "--calendar", "c.ics"), "c.ics"),
    "calendar csv": ((*PLAN, "--calendar", "c.csv"), "c.csv"),
    "calendar yaml": ((*PLAN, "--calendar", "c.yaml"), "c.yaml"),
    "roster": ((*PLAN, "--roster", "r.csv"), "r.csv"),
    "template toml": (("plan", "--template", "t.toml", "--year", "2027", "--dry-run"), "t.toml"),
    "bundle": (("import", "b.json", "--store", "memory://"), "b.json"),
    "stage file": (PROFORMA, "s/planning.toml"),
    "access policy": (("access", "show", "--policy", "p.toml"), "p.toml"),
    "checker config": (("check", "--config", "c.toml", "o.json"), "c.toml"),
    "objective bank": (("bank", "check", "b.toml"), "b.toml"),
    "training plan toml": ((*TRAINING, "p.toml", "--store", "memory://"), "p.toml"),
    "training plan json": ((*TRAINING, "p.json", "--store", "memory://"), "p.json"),
}
OBJ = b'[{"id": "o1", "text": "Teach phonics to Year 1 by July 2027"}]'
FEWER = max(8, settings.default.max_examples // 6)


@pytest.mark.parametrize("kind", sorted(COMMANDS))
@settings(max_examples=FEWER)
@given(data=st.binary(max_size=400))
@example(data=b"")
@example(data=b"\xff\xfe\x00")
def test_any_bytes_as_a_file_exit_0_1_or_2(kind: str, data: bytes) -> None:
    argv, name = COMMANDS[kind]
    files = {name: data}
    if name == "c.toml":
        files["o.json"] = OBJ
    with tempfile.TemporaryDirectory() as folder:
        outcome = run_case(Case(kind, "fuzz", argv, "", files), Path(folder))

    assert outcome.status in {0, 1, 2}, outcome.err
    assert "Traceback" not in outcome.err
    assert "internal error" not in outcome.err
    if outcome.status == 2:
        assert outcome.err.strip(), "exit 2 without a message"
