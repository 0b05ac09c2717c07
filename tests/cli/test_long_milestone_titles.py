"""A long milestone title is printed whole by ``devcycle plan`` (a script author's trial).

The schedule's title column was formatted ``{title:<60.60}``: the precision cut every
title at 60 characters, so a script reading the output lost the rest. The domain has no
limit on a title (the template and the stored cycle keep it whole); the column was only
for alignment. Now a title is padded to 60 but never cut.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devcycle.cli import main

SHORT = "Review of the previous cycle"


def _template(tmp_path: Path, title: str) -> Path:
    path = tmp_path / "long.toml"
    assert (
        main(["template", "new", "long", "--from", "england-teacher", "-o", str(path), "--force"])
        == 0
    )
    text = path.read_text(encoding="utf-8")
    assert f'title = "{SHORT}"' in text
    path.write_text(text.replace(f'title = "{SHORT}"', f'title = "{title}"'), encoding="utf-8")
    return path


def _plan(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    code = main(["plan", "--template", str(path), "--year", "2026", "--no-bank-holidays"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_a_title_longer_than_60_characters_is_printed_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = SHORT + ", with the evidence the teacher brings and every observation's notes"
    assert len(title) > 60

    out = _plan(_template(tmp_path, title), capsys)

    line = next(x for x in out.splitlines() if SHORT in x)
    assert title in line
    assert line.split(title, 1)[1].split() == ["reviewer", "common", "practice"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(extra=st.text(alphabet="abcdefghij ,-", min_size=15, max_size=60))
def test_any_title_survives_and_short_ones_keep_the_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: str
) -> None:
    title = f"{SHORT} {extra} end"
    out = _plan(_template(tmp_path, title), capsys)

    line = next(x for x in out.splitlines() if SHORT in x)
    assert title in line
    start = line.index(SHORT)
    assert line[start + max(len(title), 60)] == " "
