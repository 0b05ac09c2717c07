"""``-o``: never onto the store's own file or folder; ``-o -`` is standard output."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from devcycle.cli import main


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outputs-demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    assert main(["demo", "--store", url, "--reports", str(folder / "reports")]) == 0
    return folder / "demo.db"


@pytest.fixture
def victim(tmp_path: Path, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo store as ./victim.db in an empty working folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEVCYCLE_STORE", raising=False)
    shutil.copyfile(demo_db, tmp_path / "victim.db")
    return tmp_path / "victim.db"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_STORE = ("--store", "sqlite:///victim.db")
_ONTO_THE_STORE = {
    "report": ("report", "needs", "--school", "oakfield", "--format", "html", *_STORE),
    "report-csv": ("report", "needs", "--school", "oakfield", "--format", "csv", *_STORE),
    "calendar-export": ("calendar", "export", "--school", "oakfield", *_STORE),
    "export": ("export", "--school", "oakfield", *_STORE),
    "audit-export": ("audit", "export", "--school", "oakfield", *_STORE),
    "person-export": ("person", "export", "T004", "--school", "oakfield", *_STORE),
    "proforma": (
        "proforma",
        "--person",
        "T006",
        "--school",
        "oakfield",
        "--stage",
        "final",
        "--audience",
        "reviewer",
        "--format",
        "html",
        *_STORE,
    ),
}


@pytest.mark.parametrize("target", ["victim.db", "./victim.db", "victim.db-wal", "link.db"])
@pytest.mark.parametrize("argv", _ONTO_THE_STORE.values(), ids=_ONTO_THE_STORE.keys())
def test_o_onto_the_store_file_is_refused_and_the_store_kept(
    victim: Path, argv: tuple[str, ...], target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command with -o refuses the store's own file (by path, companion or link)."""
    (victim.parent / "link.db").symlink_to(victim)
    before = _digest(victim)

    assert main([*argv, "-o", target]) == 2

    err = capsys.readouterr().err
    assert f"error: -o {Path(target)} is the store's own database file" in err
    assert "Traceback" not in err
    assert _digest(victim) == before
    assert not (victim.parent / "victim.db-wal").exists() or target != "victim.db-wal"


def test_o_onto_a_hard_link_of_the_store_is_refused(
    victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same file under another name (a hard link) is the store too."""
    (victim.parent / "hard.db").hardlink_to(victim)
    before = _digest(victim)

    assert main(["calendar", "export", "--school", "oakfield", *_STORE, "-o", "hard.db"]) == 2

    assert "store's own database file" in capsys.readouterr().err
    assert _digest(victim) == before


def test_o_inside_a_json_store_folder_is_refused(
    victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file inside a JSON store's folder (or the folder) is refused, nothing written."""
    assert main(["export", "--school", "oakfield", *_STORE, "-o", "bundle.json"]) == 0
    assert main(["import", "bundle.json", "--store", "json:///" + str(victim.parent / "js")]) == 0
    capsys.readouterr()
    files = sorted(p for p in (victim.parent / "js").rglob("*"))
    url = "json://" + str(victim.parent / "js")

    for target in ("js/schools/oakfield.json", "js/new.html", "js"):
        argv = ["report", "needs", "--school", "oakfield", "--store", url, "-o", target]
        assert main(argv) == 2
        assert "store's folder" in capsys.readouterr().err
    assert sorted(p for p in (victim.parent / "js").rglob("*")) == files


def test_files_with_no_o_default_to_the_store_are_refused(
    victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """template new and calendar england (no --store) check the default store."""
    shutil.copyfile(victim, victim.parent / "devcycle.db")
    before = _digest(victim.parent / "devcycle.db")

    assert main(["calendar", "england", "--year", "2026", "-o", "devcycle.db", "--force"]) == 2
    assert main(["template", "new", "x", "--from", "england-teacher", "-o", "devcycle.db"]) == 2

    assert capsys.readouterr().err.count("store's own database file") == 2
    assert _digest(victim.parent / "devcycle.db") == before


def test_demo_reports_into_a_json_store_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """demo --reports naming the JSON store's folder is refused before anything is saved."""
    url = f"json://{tmp_path / 'js'}"

    assert main(["demo", "--store", url, "--reports", str(tmp_path / "js")]) == 2

    assert "--reports" in capsys.readouterr().err
    assert not (tmp_path / "js").exists()


_TO_STDOUT = {
    "report": (("report", "needs", "--school", "oakfield", *_STORE), "Training needs"),
    "report-csv": (
        ("report", "needs", "--school", "oakfield", "--format", "csv", *_STORE),
        "key,text",
    ),
    "calendar-export": (("calendar", "export", "--school", "oakfield", *_STORE), "BEGIN:VCALENDAR"),
    "export": (("export", "--school", "oakfield", *_STORE), '"schools"'),
    "audit-export": (("audit", "export", "--school", "oakfield", *_STORE), '"entries"'),
    "person-export": (("person", "export", "T004", "--school", "oakfield", *_STORE), '"records"'),
    "calendar-england": (("calendar", "england", "--year", "2026"), "[[terms]]"),
    "template-new": (("template", "new", "x", "--from", "england-teacher"), 'id = "x"'),
    "proforma": (_ONTO_THE_STORE["proforma"], "<html"),
}


@pytest.mark.parametrize(("argv", "expect"), _TO_STDOUT.values(), ids=_TO_STDOUT.keys())
def test_o_dash_writes_to_standard_output(
    victim: Path, argv: tuple[str, ...], expect: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o - prints the output; no file named '-' appears."""
    assert main([*argv, "-o", "-"]) == 0

    assert expect in capsys.readouterr().out
    assert not (victim.parent / "-").exists()
