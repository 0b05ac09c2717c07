"""Text reports wrap long cells in full: a reader sees all the advice, nothing is cut off."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.reports import demo_store

from devcycle.cli import main
from devcycle.cli.report import _one_line, to_text
from devcycle.demo import build_demo
from devcycle.document import Document, Section, Table

ADVICE = (
    "For each objective without support, agree the training, coaching or collaborative "
    "work that will help reach it, and link the CPD activity to it."
)


def test_a_long_cell_is_wrapped_not_cut_off() -> None:
    """The old renderer cut the advice at 48 characters and ended it with an ellipsis."""
    document = Document(
        title="Report",
        body=[Section("Next", [Table(("Point", "What to do"), [("CPD", ADVICE)])])],
    )

    lines = to_text(document).splitlines()
    rule = next(n for n, line in enumerate(lines) if line.startswith("-----"))
    advice = [line[len("Point  ") :] for line in lines[rule + 1 :]]

    assert "…" not in "\n".join(lines)
    assert len(advice) > 1
    assert " ".join(advice) == ADVICE
    assert all(len(line) <= len("Point  ") + 48 for line in lines[rule + 1 :])


def test_rows_that_wrap_are_kept_apart_by_a_blank_line() -> None:
    """With a wrapped row, a blank line shows where each row ends; short tables stay tight."""
    wrapped = to_text(Document(title="R", body=[Table(("A", "B"), [("1", ADVICE), ("2", "x")])]))
    tight = to_text(Document(title="R", body=[Table(("A", "B"), [("1", "y"), ("2", "x")])]))

    assert wrapped.splitlines()[-2] == ""
    assert tight.splitlines()[-2:] == ["1  y", "2  x"]


def test_the_health_report_from_the_cli_is_not_cut_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through ``devcycle report health``, a headteacher reads each point's advice in full."""
    url = f"sqlite:///{tmp_path}/devcycle.db"
    demo_store(url, build_demo(2026))

    code = main(["report", "health", "--store", url, "--school", "oakfield"])
    out = capsys.readouterr().out

    assert code == 0
    assert "…" not in out
    assert "Run devcycle check on the flagged objectives and" in out
    assert "rewrite them with their reviewers." in out


def test_wrapped_cells_keep_user_text_escaped() -> None:
    """A control character in a long cell is shown as an escape on whichever line it lands."""
    hostile = "Rename \x1b]0;owned\x07 the window " + "and keep talking " * 6
    document = Document(title="R", body=[Table(("Who", "Note"), [("A", hostile)])])

    text = to_text(document)

    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\\x1b" in text


_cells = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=160),
    # Prose: words of ordinary length, often longer in all than a column.
    st.lists(st.text(alphabet="abcdefghij-\x1b", min_size=1, max_size=14), max_size=30).map(
        " ".join
    ),
)


@given(st.lists(st.tuples(_cells, _cells), min_size=1, max_size=4))
@example([("Point", ADVICE), ("x" * 130, "")])
def test_wrapping_loses_no_word_and_keeps_to_the_column(rows: list[tuple[str, str]]) -> None:
    """Read back column by column, every cell's text is there in order; no line is wider."""
    document = Document(title="R", body=[Table(("First", "Second"), rows)])
    lines = to_text(document).splitlines()[2:]
    header, rule, body = lines[0], lines[1], lines[2:]
    first_width = len(rule.split("  ")[0])
    assert header.startswith("First")
    assert all(len(line) <= len(rule) for line in body)

    firsts = "".join(line[:first_width] for line in body)
    seconds = "".join(line[first_width + 2 :] for line in body)
    assert _squeezed(firsts) == "".join(_squeezed(_one_line(first)) for first, _ in rows)
    assert _squeezed(seconds) == "".join(_squeezed(_one_line(second)) for _, second in rows)


def _squeezed(text: str) -> str:
    """*text* without its white space: what wrapping may move, but never drops or adds."""
    return "".join(text.split())
