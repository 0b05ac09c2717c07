"""Behaviour particular to the JSON files backend: layout, the writer lock, options."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import devcycle as dc

from ._workers import context, try_to_write


def test_each_aggregate_is_one_readable_file(tmp_path: Path) -> None:
    """Documents live at <dir>/<table>/<school>/<id>.json, pretty-printed, ids made safe."""
    with dc.open_store(f"json://{tmp_path}") as store:
        store.schools.add(dc.School(id="urn:1/2", name="Slash Academy"))

    path = tmp_path / "schools" / "urn%3A1%2F2" / "urn%3A1%2F2.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["kind"] == "school"
    assert document["data"]["id"] == "urn:1/2"
    assert document["data"]["version"] == 1
    assert path.read_text(encoding="utf-8").startswith('{\n  "kind": "school"')
    with dc.open_store(f"json://{tmp_path}") as store:
        assert store.schools.get("urn:1/2").name == "Slash Academy"


@pytest.mark.slow
def test_a_second_writer_is_kept_out_while_the_first_works(tmp_path: Path) -> None:
    """Another process cannot write while a transaction is open; it can once it has ended."""
    url = f"json://{tmp_path}?lock_timeout=0.2"
    ctx = context()
    results = ctx.Queue()
    with dc.open_store(url) as store:
        with store.transaction() as tx:
            tx.schools.add(dc.School(id="first-writer", name="First writer"))
            blocked = ctx.Process(target=try_to_write, args=(url, results))
            blocked.start()
            message = results.get(timeout=120)
            blocked.join(timeout=60)
            tx.commit()
        after = ctx.Process(target=try_to_write, args=(url, results))
        after.start()
        second = results.get(timeout=120)
        after.join(timeout=60)

        assert f"locked by another writer (process {os.getpid()})" in message
        assert second == "saved"
        assert [s.id for s in store.schools.list()] == ["first-writer", "second-writer"]


def test_a_bad_option_names_itself(tmp_path: Path) -> None:
    """Unknown options and bad values are ConfigErrors naming them."""
    with pytest.raises(dc.ConfigError, match="unknown JSON store option"):
        dc.open_store(f"json://{tmp_path}?lock=1")
    with pytest.raises(dc.ConfigError, match="lock_timeout must be a number"):
        dc.open_store(f"json://{tmp_path}?lock_timeout=soon")


def test_a_url_without_a_directory_is_refused() -> None:
    """json:// needs a directory."""
    with pytest.raises(dc.ConfigError, match="names a directory"):
        dc.open_store("json://")


def test_an_interrupted_uncommitted_journal_is_discarded(tmp_path: Path) -> None:
    """A journal that never reached its commit point is removed, and nothing applied."""
    with dc.open_store(f"json://{tmp_path}") as store:
        store.schools.add(dc.School(id="oak", name="Oak"))
    leftover = tmp_path / ".journal-abc.tmp"
    leftover.write_text('[{"path": "schools/elm/elm.json", "document": "{}"}]', encoding="utf-8")

    with dc.open_store(f"json://{tmp_path}") as store:
        assert [s.id for s in store.schools.list()] == ["oak"]
    assert not leftover.exists()


def test_a_committed_journal_is_replayed_before_reading(tmp_path: Path) -> None:
    """A journal past its commit point is applied by the next session."""
    with dc.open_store(f"json://{tmp_path}") as store:
        store.schools.add(dc.School(id="oak", name="Oak"))
        document = (tmp_path / "schools" / "oak" / "oak.json").read_text(encoding="utf-8")
    renamed = document.replace('"Oak"', '"Oak Renamed"')
    journal = [{"path": "schools/oak/oak.json", "document": renamed}]
    (tmp_path / ".journal-def").write_text(json.dumps(journal), encoding="utf-8")

    with dc.open_store(f"json://{tmp_path}") as store:
        assert store.schools.get("oak").name == "Oak Renamed"
    assert not (tmp_path / ".journal-def").exists()
