"""open_store: backends chosen by URL scheme, lazily, with plug-ins and clear errors."""

from __future__ import annotations

import importlib.metadata
import sys
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.storage import base
from devcycle.storage.memory import MemoryStore


def test_each_builtin_scheme_opens_its_backend(tmp_path: Path) -> None:
    """memory://, json:// and sqlite:// open the in-memory, JSON files and SQL backends."""
    with dc.open_store("memory://") as memory:
        assert type(memory).__name__ == "MemoryStore"
    with dc.open_store(f"json://{tmp_path / 'files'}") as files:
        assert type(files).__name__ == "JsonFileStore"
    with dc.open_store(f"sqlite:///{tmp_path / 'x.db'}") as sqlite:
        assert type(sqlite).__name__ == "SqlStore"
        assert sqlite.url.startswith("sqlite:///")


def test_an_unknown_scheme_is_a_config_error_listing_the_known_ones() -> None:
    """A typo in the scheme names the scheme and what would have worked."""
    with pytest.raises(dc.ConfigError, match=r"unknown storage scheme 'sqlit'.*memory.*sqlite"):
        dc.open_store("sqlit:///devcycle.db")


def test_a_url_without_a_scheme_is_a_config_error() -> None:
    """A bare path is refused with examples of URLs."""
    with pytest.raises(dc.ConfigError, match="has no scheme"):
        dc.open_store("devcycle.db")


def test_a_password_never_appears_in_an_error() -> None:
    """Errors about a URL with credentials hide the password."""
    with pytest.raises(dc.ConfigError) as caught:
        dc.open_store("nosuch://user:s3cret@host/db")

    assert "s3cret" not in str(caught.value)


def test_a_missing_sql_extra_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without SQLAlchemy, a SQL URL says which extra to install."""
    monkeypatch.delitem(sys.modules, "devcycle.storage.sql", raising=False)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)

    with pytest.raises(
        dc.ConfigError, match=r"storage 'sqlite' needs: pip install \"devcycle\[sql\]\""
    ):
        dc.open_store("sqlite:///x.db")


def test_a_missing_postgres_driver_names_the_postgres_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without psycopg, a PostgreSQL URL says: pip install "devcycle[postgres]"."""
    monkeypatch.setitem(sys.modules, "psycopg", None)

    with pytest.raises(
        dc.ConfigError, match=r"storage 'postgresql' needs: pip install \"devcycle\[postgres\]\""
    ):
        dc.open_store("postgresql+psycopg://u:p@127.0.0.1:1/x")


def test_a_postgresql_server_that_is_down_is_a_clear_storage_error() -> None:
    """A closed port gives StorageError naming the server, without the password."""
    with pytest.raises(
        dc.StorageError,
        match=r"cannot use the database at postgresql\+psycopg://u:\*\*\*@127\.0\.0\.1:1/x",
    ) as caught:
        dc.open_store("postgresql+psycopg://u:hunter2@127.0.0.1:1/x")

    assert "hunter2" not in str(caught.value)


class PluginStore(MemoryStore):
    """A stand-in third-party backend."""


def test_a_plugin_scheme_is_found_through_its_entry_point(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A package declaring a devcycle.storage entry point adds its scheme."""
    entry = importlib.metadata.EntryPoint(
        name="plugin", value=f"{__name__}:PluginStore", group="devcycle.storage"
    )
    real = importlib.metadata.entry_points

    def entry_points(**selection: str) -> object:
        if selection.get("group") == "devcycle.storage":
            return importlib.metadata.EntryPoints([entry])
        return real(**selection)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)

    with dc.open_store("plugin://anything") as store:
        assert isinstance(store, PluginStore)


def test_a_broken_plugin_is_a_plugin_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plug-in that fails to import raises PluginError naming it."""
    entry = importlib.metadata.EntryPoint(
        name="broken", value="no_such_module_here:Store", group="devcycle.storage"
    )
    monkeypatch.setattr(base, "_entry_point", lambda scheme: entry if scheme == "broken" else None)

    with pytest.raises(dc.PluginError, match="storage plug-in 'broken'"):
        dc.open_store("broken://x")


def test_register_scheme_wires_a_backend_by_hand() -> None:
    """Embedders can register a factory for a scheme directly."""
    base.register_scheme("handmade", PluginStore)
    try:
        with dc.open_store("handmade://") as store:
            assert isinstance(store, PluginStore)
    finally:
        base._REGISTERED.pop("handmade")
