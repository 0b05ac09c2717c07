"""Every backend passes the one storage contract (devcycle.testing.store_contract)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devcycle.storage import Store, open_store
from devcycle.testing.store_contract import StoreContract


class TestMemoryStore(StoreContract):
    def make_store(self) -> Store:
        return open_store("memory://")


class TestJsonFileStore(StoreContract):
    @pytest.fixture
    def shared_store(self, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
        self.directory = tmp_path_factory.mktemp("json-store")
        with self.make_store() as store:
            yield store

    def make_store(self) -> Store:
        return open_store(f"json://{self.directory}")


class TestSqliteStore(StoreContract):
    @pytest.fixture
    def shared_store(self, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
        self.directory: Path = tmp_path_factory.mktemp("sqlite-store")
        with self.make_store() as store:
            yield store

    def make_store(self) -> Store:
        return open_store(f"sqlite:///{self.directory / 'devcycle.db'}")


@pytest.mark.postgres
class TestPostgresStore(StoreContract):
    @pytest.fixture
    def shared_store(self, postgres_url: str) -> Iterator[Store]:
        self.url = postgres_url
        with self.make_store() as store:
            yield store

    def make_store(self) -> Store:
        return open_store(self.url)
