"""Settings from arguments and ``DEVCYCLE_*`` environment variables.

Nothing reads the environment at import: `Settings.from_env` does, when asked. A bad value
raises `ConfigError` naming the key, what was given and what is accepted.

Example:
    >>> from devcycle.config import Settings
    >>> Settings.from_env({"DEVCYCLE_STORE": "memory://"}).store
    'memory://'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

import attrs

from devcycle.errors import ConfigError

__all__ = ["DEFAULT_STORE", "ENVIRONMENT", "Settings"]

DEFAULT_STORE: Final = "sqlite:///devcycle.db"
"""The store used when none is given: a SQLite file in the working directory."""

ENVIRONMENT: Final[dict[str, str]] = {
    "store": "DEVCYCLE_STORE",
}
"""Setting name -> the environment variable it is read from."""


def _check_store(_inst: object, _attribute: attrs.Attribute[str], value: str) -> None:
    if "://" not in value.strip():
        msg = (
            f"store must be a URL such as sqlite:///devcycle.db, "
            f"postgresql+psycopg://user@host/db, json:///path/dir or memory:// (got {value!r})"
        )
        raise ConfigError(msg)


@attrs.frozen
class Settings:
    """Everything configurable, with defaults; build it with `from_env` or directly.

    Attributes:
        store: The storage URL (``DEVCYCLE_STORE``).
    """

    store: str = attrs.field(default=DEFAULT_STORE, validator=_check_store)

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, **overrides: str | None
    ) -> Settings:
        """Build settings from *overrides* (arguments), then the environment, then defaults.

        Args:
            environ: The environment to read (default: ``os.environ``).
            **overrides: Values given as arguments; None means "not given".

        Raises:
            ConfigError: For an unknown setting, or a bad value (naming its key).
        """
        environ = os.environ if environ is None else environ
        unknown = sorted(set(overrides) - set(ENVIRONMENT))
        if unknown:
            msg = f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(ENVIRONMENT)}"
            raise ConfigError(msg)
        values: dict[str, str] = {}
        sources: dict[str, str] = {}
        for name, variable in ENVIRONMENT.items():
            given = overrides.get(name)
            if given is not None:
                values[name], sources[name] = given, name
            elif environ.get(variable):
                values[name], sources[name] = environ[variable], variable
        try:
            return cls(**values)
        except ConfigError as exc:
            key = next(iter(sources.values()), "store")
            raise ConfigError(f"{key}: {exc}") from None
