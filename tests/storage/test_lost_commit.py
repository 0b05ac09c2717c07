"""An import whose commit was sent but never acknowledged (issue 13, item 6).

The connection can drop after COMMIT reached the server: the import may then be saved or
not, and saying "not stored" would be wrong either way. The message says it may have been
saved and how to check; the command line reads the store back and, when every record is
there, reports the import as done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import devcycle as dc
import devcycle.cli.store as cli_store
from devcycle.cli import main
from devcycle.errors import CommitUnknownError, ConflictError
from devcycle.storage.base import UnitOfWork
from devcycle.storage.bundle import export_bundle, import_bundle, write_bundle

_REAL_COMMIT = sa.engine.Connection.commit


def _dropped(*, after_commit: bool) -> Callable[[sa.engine.Connection], None]:
    """A `Connection.commit` that loses the connection once armed, after or before COMMIT."""

    def commit(self: sa.engine.Connection) -> None:
        if not _ARMED:
            _REAL_COMMIT(self)
            return
        _ARMED.clear()
        if after_commit:
            _REAL_COMMIT(self)
        else:
            self.rollback()
        error = Exception("server closed the connection unexpectedly")
        raise sa.exc.OperationalError("COMMIT", {}, error, connection_invalidated=True)

    return commit


_ARMED: list[bool] = []
_REAL_UOW_COMMIT = UnitOfWork.commit


def _armed_commit(self: UnitOfWork) -> None:
    """`UnitOfWork.commit` arming the dropped connection when writes are committed."""
    _ARMED.append(True)
    try:
        _REAL_UOW_COMMIT(self)
    finally:
        _ARMED.clear()


@pytest.fixture
def bundle() -> dict[str, Any]:
    with dc.open_store("memory://") as source:
        source.schools.add(dc.School(id="oak", name="Oak"))
        source.staff.add(dc.StaffMember(id="T1", name="Ann", school_id="oak", roles={"teacher"}))
        return export_bundle(source, shared=False)


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    _ARMED.clear()
    yield f"sqlite:///{tmp_path / 'target.db'}"
    _ARMED.clear()


@pytest.mark.parametrize("after_commit", [True, False])
def test_the_message_says_the_import_may_have_been_saved_and_how_to_check(
    monkeypatch: pytest.MonkeyPatch, bundle: dict[str, Any], url: str, after_commit: bool
) -> None:
    monkeypatch.setattr(sa.engine.Connection, "commit", _dropped(after_commit=after_commit))
    with dc.open_store(url) as store:
        with monkeypatch.context() as armed:
            armed.setattr(UnitOfWork, "commit", _armed_commit)
            with pytest.raises(CommitUnknownError) as caught:
                import_bundle(store, bundle, source="oak.json")
        message = str(caught.value)
        assert "the import of oak.json may have been saved" in message
        assert "not stored" not in message
        assert "run the same import again without --replace" in message
        # The check the message describes tells the two cases apart.
        if after_commit:
            with pytest.raises(ConflictError, match="already"):
                import_bundle(store, bundle)
        else:
            assert import_bundle(store, bundle)["staff"] == 1
        assert [m.id for m in store.staff.for_school("oak")] == ["T1"]


def _armed_import(*args: Any, **kwargs: Any) -> Any:
    with pytest.MonkeyPatch.context() as armed:
        armed.setattr(UnitOfWork, "commit", _armed_commit)
        return import_bundle(*args, **kwargs)


def test_the_cli_reports_an_import_found_in_the_store_as_done(
    monkeypatch: pytest.MonkeyPatch,
    bundle: dict[str, Any],
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "oak.json"
    write_bundle(bundle, file)
    monkeypatch.setattr(sa.engine.Connection, "commit", _dropped(after_commit=True))
    monkeypatch.setattr(cli_store, "import_bundle", _armed_import)

    assert main(["import", "--store", url, str(file), "--quiet"]) == 0

    out = capsys.readouterr().out
    assert "every record was found in the store: counts check" in out


def test_the_cli_says_an_import_lost_before_commit_may_have_been_saved(
    monkeypatch: pytest.MonkeyPatch,
    bundle: dict[str, Any],
    url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    file = tmp_path / "oak.json"
    write_bundle(bundle, file)
    monkeypatch.setattr(sa.engine.Connection, "commit", _dropped(after_commit=False))
    monkeypatch.setattr(cli_store, "import_bundle", _armed_import)

    assert main(["import", "--store", url, str(file), "--quiet"]) == 2

    err = capsys.readouterr().err
    assert "may have been saved" in err
    assert "run the same import again without --replace" in err
    assert "Traceback" not in err
    with dc.open_store(url) as store:
        assert store.staff.for_school("oak") == []
