"""The composition root: settings in, a wired application out.

Only this module (and the command line through it) chooses adapters. Embedders either call
`bootstrap` or build `Services` over a store of their own.

Example:
    >>> from devcycle.bootstrap import bootstrap
    >>> from devcycle.config import Settings
    >>> with bootstrap(Settings(store="memory://")) as app:
    ...     app.store.schools.list()
    []
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

import attrs

from devcycle.config import Settings
from devcycle.services import Services
from devcycle.storage.base import Store, open_store

__all__ = ["App", "bootstrap"]


@attrs.define
class App:
    """The wired application: its settings, its store and the use cases over it.

    Attributes:
        settings: The settings it was built from.
        store: The open store.
        services: The use cases.
    """

    settings: Settings
    store: Store
    services: Services

    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def bootstrap(settings: Settings | None = None, *, store: Store | None = None) -> App:
    """Open the store the settings name and wire the use cases over it.

    Args:
        settings: The settings; by default read from the environment (``DEVCYCLE_*``).
        store: A store to use instead of opening ``settings.store`` (for embedders and tests).

    Raises:
        ConfigError: For bad settings or a missing extra.
        StorageError: If the store cannot be opened.
    """
    settings = Settings.from_env() if settings is None else settings
    opened = open_store(settings.store) if store is None else store
    return App(settings=settings, store=opened, services=Services(opened))
