"""``plan --roster --dry-run`` says which cycles it would create and which it would leave alone.

The dry run printed a schedule for everyone on the roster, people whose cycle is already
planned included, and "N of M staff enrolled", without saying that only one person would get a
new cycle: the real run says it ("Created 1 cycle" / "Left alone 3 cycles"). The dry run now
decides the split as the real run does (`plan_enrolment` over the stored cycles) and says it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._roster import plan_roster

from devcycle.storage import open_store

HEADER = "id,name,roles,fte,teams,reviewer_id,start_date,email"
FIRST = f"""{HEADER}
T1,Anna Patel,teacher,1,maths,H1,,
T2,Ben Okafor,teacher,0.6,maths,H1,,
H1,Dee Head,headteacher,1,,,,
"""
JOINER = FIRST + "T3,Cara Jones,teacher,1,english,H1,,\n"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


def _split(out: str, created: str, alone: str) -> tuple[list[str], list[str]]:
    """The cycle ids under the *created* and *alone* headings of *out*."""
    made: list[str] = []
    kept: list[str] = []
    into: list[str] | None = None
    for line in out.splitlines():
        if line.startswith(created):
            into = made
        elif line.startswith(alone):
            into = kept
        elif into is not None and line.startswith("  "):
            into.append(line.split()[0])
        else:
            into = None
    return made, kept


def test_the_dry_run_says_who_would_get_a_new_cycle_and_whose_is_left_alone(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert plan_roster(tmp_path, url, FIRST, capsys)[0] == 0
    with open_store(url) as store:
        before = len(store.cycles.for_school("stm"))

    code, out, err = plan_roster(tmp_path, url, JOINER, capsys, "--dry-run")

    assert code == 0, err
    assert "Would create 1 cycle:\n" in out
    assert "Cara Jones" in out.split("Would create 1 cycle:\n")[1].splitlines()[0]
    assert f"Would leave alone {before} cycles already planned:\n" in out
    # only the new cycle's schedule is printed, as in the real run
    assert "Cara Jones (T3):" in out
    assert "Anna Patel (T1):" not in out
    assert "Ben Okafor (T2):" not in out
    with open_store(url) as store:
        assert len(store.cycles.for_school("stm")) == before
    would = _split(out, "Would create", "Would leave alone")

    code, out, err = plan_roster(tmp_path, url, JOINER, capsys)

    assert code == 0, err
    assert _split(out, "Created", "Left alone") == would


def test_a_dry_run_into_an_empty_store_would_create_every_cycle(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = plan_roster(tmp_path, url, FIRST, capsys, "--dry-run")

    assert code == 0, err
    made, kept = _split(out, "Would create", "Would leave alone")
    assert made
    assert kept == []
    assert "Would leave alone" not in out
    assert "Anna Patel (T1):" in out
    code, out, _ = plan_roster(tmp_path, url, FIRST, capsys)
    assert code == 0
    assert _split(out, "Created", "Left alone") == (made, [])
