"""devcycle export, import and demo on the store; --store and DEVCYCLE_STORE."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.cli._store import default_store_url


def test_demo_writes_to_the_sqlite_default_and_a_second_run_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """devcycle demo saves into ./devcycle.db; running it again changes nothing."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DEVCYCLE_STORE", raising=False)

    assert main(["demo"]) == 0
    first = capsys.readouterr().out
    with dc.open_store("sqlite:///devcycle.db") as store:
        before = [(c.id, c.version) for c in store.cycles.for_school("oakfield")]
    assert main(["demo"]) == 0
    second = capsys.readouterr().out

    assert "Oakfield Primary & Nursery: 14 staff" in first
    assert "Saved 100 records to sqlite:///devcycle.db" in first  # with 3 planned
    assert "already in sqlite:///devcycle.db; left as it is" in second
    with dc.open_store("sqlite:///devcycle.db") as store:
        assert [(c.id, c.version) for c in store.cycles.for_school("oakfield")] == before
    assert len(before) == 15


def test_the_store_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DEVCYCLE_STORE sets the default for --store."""
    monkeypatch.setenv("DEVCYCLE_STORE", f"json://{tmp_path / 'files'}")

    assert default_store_url() == f"json://{tmp_path / 'files'}"
    assert main(["demo"]) == 0
    assert (tmp_path / "files" / "cycles" / "oakfield").is_dir()


def test_export_and_import_move_a_school_between_backends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite -> bundle file -> JSON files, with a count check at the end."""
    sqlite = f"sqlite:///{tmp_path / 'a.db'}"
    files = f"json://{tmp_path / 'b'}"
    bundle = tmp_path / "oakfield.json"
    assert main(["demo", "--store", sqlite]) == 0

    assert main(["export", "--store", sqlite, "--school", "oakfield", "-o", str(bundle)]) == 0
    assert main(["import", "--store", files, str(bundle), "--quiet"]) == 0

    output = capsys.readouterr()
    assert "Exported 1 school, 14 staff, 15 cycles, 9 CPD activities" in output.err
    assert "Imported 1 school, 14 staff, 15 cycles, 9 CPD activities" in output.out
    assert "counts check" in output.out
    assert json.loads(bundle.read_text(encoding="utf-8"))["kind"] == "bundle"
    with dc.open_store(files) as store:
        assert len(store.cycles.for_school("oakfield")) == 15


def test_export_to_copies_straight_into_another_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--to copies without a file; a second copy conflicts unless --replace."""
    source = f"sqlite:///{tmp_path / 'a.db'}"
    target = f"sqlite:///{tmp_path / 'b.db'}"
    assert main(["demo", "--store", source]) == 0

    assert main(["export", "--store", source, "--to", target, "-q"]) == 0
    assert main(["export", "--store", source, "--to", target, "-q"]) == 2
    assert main(["export", "--store", source, "--to", target, "-q", "--replace"]) == 0

    assert "already exists; nothing was imported; pass --replace" in capsys.readouterr().err


def test_export_writes_json_to_standard_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without -o the bundle goes to standard output."""
    store = f"sqlite:///{tmp_path / 'a.db'}"
    assert main(["demo", "--store", store]) == 0
    capsys.readouterr()

    assert main(["export", "--store", store]) == 0

    assert json.loads(capsys.readouterr().out)["data"]["schools"][0]["data"]["id"] == "oakfield"


def test_a_bad_bundle_is_an_input_error_and_stores_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One bad record: exit 2, every problem printed, the store untouched."""
    source = f"sqlite:///{tmp_path / 'a.db'}"
    target = f"sqlite:///{tmp_path / 'b.db'}"
    bundle = tmp_path / "b.json"
    assert main(["demo", "--store", source]) == 0
    assert main(["export", "--store", source, "-o", str(bundle)]) == 0
    data = json.loads(bundle.read_text(encoding="utf-8"))
    data["data"]["staff"][3]["data"]["fte"] = 7
    bundle.write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()

    assert main(["import", "--store", target, str(bundle)]) == 2

    err = capsys.readouterr().err
    assert "'fte' must be a number above 0 and at most 1" in err
    assert "@ $.data.staff[3].data" in err
    with dc.open_store(target) as store:
        assert store.schools.list() == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("nosuch://x", "unknown storage scheme 'nosuch'"),
        ("postgresql+psycopg://u:pw@127.0.0.1:1/x", "cannot open the store"),
    ],
)
def test_a_bad_store_is_a_clear_error(
    url: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown scheme or a server that is down: exit 2 and one clear line."""
    assert main(["demo", "--store", url]) == 2

    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_a_redacted_export_is_refused_by_import_and_by_export_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: a headteacher's bundle imported like a backup, emptying what it left out."""
    source = f"sqlite:///{tmp_path / 'a.db'}"
    target = tmp_path / "b.db"
    bundle = tmp_path / "head.json"
    assert main(["demo", "--store", source]) == 0
    head = ["--as", "headteacher", "--user", "H1"]
    with dc.open_store(source) as store:
        head_id = next(m.id for m in store.staff.for_school("oakfield") if "headteacher" in m.roles)
    head[-1] = head_id
    assert (
        main(["export", "--store", source, "--school", "oakfield", "-o", str(bundle), *head]) == 0
    )
    assert json.loads(bundle.read_text(encoding="utf-8"))["redacted_for"] == "headteacher"
    capsys.readouterr()

    assert main(["import", "--store", source, str(bundle), "--replace", "-q"]) == 2
    assert main(["import", "--store", f"sqlite:///{target}", str(bundle), "-q"]) == 2
    to = ["export", "--store", source, "--school", "oakfield", "--to", f"sqlite:///{target}"]
    assert main([*to, "-q", *head]) == 2

    err = capsys.readouterr().err
    assert err.count("redacted for the 'headteacher' role") == 3
    assert "@ $.redacted" in err
    assert "Traceback" not in err
    assert not target.exists()


def test_an_export_that_could_not_be_read_back_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stored number no document may hold (kept by an older devcycle) stops the export.

    Found in session 18: a review's ``minutes`` of 2**60, accepted by the domain then, was
    saved; `devcycle export` wrote the bundle, then failed reading it back (exit 2), and
    left the bundle that import refuses on disk.
    """
    import re
    import sqlite3

    database = tmp_path / "a.db"
    sqlite = f"sqlite:///{database}"
    bundle = tmp_path / "oakfield.json"
    assert main(["demo", "--store", sqlite]) == 0
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, document FROM devcycle_cycles").fetchall()
        cycle_id, document = next((i, d) for i, d in rows if re.search(r'"minutes":\d', d))
        changed = re.sub(r'"minutes":\d+', f'"minutes":{2**60}', document, count=1)
        connection.execute(
            "UPDATE devcycle_cycles SET document = ? WHERE id = ?", (changed, cycle_id)
        )
    capsys.readouterr()

    status = main(["export", "--store", sqlite, "--school", "oakfield", "-o", str(bundle)])

    assert status == 2
    assert not bundle.exists()
    err = capsys.readouterr().err
    assert "minutes" in err
    assert "9,007,199,254,740,992" in err
    # which record: the school and the cycle, as the store names them
    assert f"stored cycle oakfield/{cycle_id}" in err
