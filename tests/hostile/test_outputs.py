"""Outputs: atomic files, distinct proforma names, text safe for terminals and spreadsheets,
read-only commands that create nothing."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.cli import main
from devcycle.cli._safe import terminal_safe
from devcycle.cli.proforma import file_names
from devcycle.errors import StorageError
from devcycle.fileio import write_atomic
from devcycle.interop.csvsafe import safe_cell

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@given(st.text())
def test_terminal_safe_leaves_no_control_character(text: str) -> None:
    """No C0/C1 control, bidi override or surrogate survives; line breaks only if allowed."""
    assert _CONTROL.search(terminal_safe(text, multiline=True)) is None
    one_line = terminal_safe(text)
    assert _CONTROL.search(one_line) is None
    assert "\n" not in one_line


def test_terminal_safe_shows_an_escape_as_text() -> None:
    """ESC ] 0 ; ... BEL (retitle the window) is shown, not obeyed."""
    assert terminal_safe("Ann\x1b]0;pwned\x07") == "Ann\\x1b]0;pwned\\x07"


@pytest.mark.parametrize(
    "cell",
    ["\u200b=HYPERLINK(1)", "\u00a0@SUM(A1)", "\ufeff-2+3", "\u202e=cmd", "\x01+1", " \t=1"],
)
def test_csv_cells_with_invisible_characters_before_a_trigger_are_guarded(cell: str) -> None:
    """A formula hidden behind invisible characters is still shown as text."""
    assert safe_cell(cell).startswith("'")


def test_csv_cells_never_carry_nul() -> None:
    """NUL never reaches a CSV file."""
    assert "\x00" not in safe_cell("a\x00b")


_CSV_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@given(st.text())
def test_csv_cells_carry_no_control_character_but_line_breaks_and_tabs(text: str) -> None:
    """ESC, CSI, DEL and bidirectional overrides are shown as escapes in every cell."""
    assert _CSV_CONTROL.search(safe_cell(text)) is None


def test_csv_cells_show_an_escape_as_text() -> None:
    assert safe_cell("Ann\x1b]0;pwned\x07\x9b2J") == "Ann\\x1b]0;pwned\\x07\\x9b2J"
    assert safe_cell("two\r\nlines\tand a tab") == "two\r\nlines\tand a tab"


@pytest.mark.parametrize("to_file", [False, True])
def test_a_csv_report_carries_no_raw_escape_on_stdout_or_in_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], to_file: bool
) -> None:
    """Regression (a user trial): a KPI named with escape sequences came out raw in the
    CSV written to standard output (retitling the terminal, clearing the screen)."""
    import attrs

    import devcycle as dc
    from devcycle.demo import build_demo

    url = f"sqlite:///{tmp_path / 's.db'}"
    demo = build_demo()
    with dc.open_store(url) as store, store.transaction() as tx:
        demo.add_to(tx)
        tx.commit()
    with dc.open_store(url) as store:
        school = store.schools.get(demo.school.id)
        first = school.priorities[0]
        evil = attrs.evolve(first.kpis[0], name="Evil\x1b]0;pwned\x07\x1b[2J\x9b2J")
        first = attrs.evolve(first, kpis=(evil, *first.kpis[1:]))
        store.schools.update(attrs.evolve(school, priorities=(first, *school.priorities[1:])))
    out = tmp_path / "kpis.zip"
    args = ["report", "priorities", "--store", url, "--format", "csv"]
    capsys.readouterr()

    assert main([*args, "-o", str(out)] if to_file else args) == 0

    if to_file:
        import zipfile

        with zipfile.ZipFile(out) as archive:
            text = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    else:
        text = capsys.readouterr().out
    assert "Evil\\x1b]0;pwned\\x07\\x1b[2J\\x9b2J" in text
    assert _CONTROL.search(text.replace("\r\n", "\n")) is None


@given(st.lists(st.tuples(st.sampled_from(["s1", "s/2", "S1"]), st.text(min_size=1)), max_size=8))
def test_proforma_file_names_are_distinct_and_safe(people: list[tuple[str, str]]) -> None:
    """One name per person, all different (ignoring case), none with a folder separator."""
    names = file_names(people, "-planning.docx")
    assert len(names) == len(people)
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert "/" not in name
        assert "\\" not in name
        assert not name.startswith(".")


def test_same_person_id_in_two_schools_gets_two_files() -> None:
    """The collision from the issue: T1 at two schools is two files, not one overwritten."""
    assert file_names([("north", "T1"), ("south", "T1")], ".md") == [
        "T1-north.md",
        "T1-south.md",
    ]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk during the write: the old file is intact and nothing else is left."""
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageError, match=r"(?i)no space left"):
        write_atomic(target, "new")

    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_write_atomic_refuses_nul_and_lone_surrogates(tmp_path: Path) -> None:
    """Text that cannot be stored as it is is refused before anything is written."""
    with pytest.raises(StorageError, match="NUL"):
        write_atomic(tmp_path / "a.txt", "a\x00b")
    with pytest.raises(StorageError, match="UTF-8"):
        write_atomic(tmp_path / "b.txt", "a\ud800b")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "overdue"],
        ["proforma", "--all", "--stage", "planning", "--audience", "reviewee", "-o", "out"],
        ["export", "-o", "bundle.json"],
        ["calendar", "export", "--school", "s"],
    ],
    ids=["report", "proforma", "export", "calendar-export"],
)
@pytest.mark.parametrize("scheme", ["sqlite", "json"])
def test_read_only_commands_create_no_store(
    argv: list[str],
    scheme: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A mistyped store path is an error; no database or folder appears."""
    monkeypatch.chdir(tmp_path)
    url = "sqlite:///typo/devcycle.db" if scheme == "sqlite" else "json://typo/store"

    assert main([*argv, "--store", url]) == 2

    assert "no store at typo" in capsys.readouterr().err
    assert not (tmp_path / "typo").exists()


def test_check_text_output_obeys_no_escape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A staff-written objective cannot retitle the window or clear the screen."""
    file = tmp_path / "o.json"
    file.write_text(
        json.dumps([{"id": "a\x1b]0;pwned\x07", "text": "\x1b[2J\x9b2J teach phonics"}]),
        encoding="utf-8",
    )
    main(["check", str(file)])

    out = capsys.readouterr().out
    assert "\x07" not in out
    assert "\x9b" not in out
    assert "\x1b]" not in out
    assert "\x1b[2J" not in out
