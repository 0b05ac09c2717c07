"""Bank holidays for the four UK nations from the ``holidays`` package (the ``calendars`` extra).

`UKBankHolidays` implements the domain's `devcycle.domain.calendar.BankHolidays` port, so that
a calendar can be given its bank holidays without the domain importing ``holidays``::

    calendar = england_pattern(2026, bank_holidays=UKBankHolidays("england"))
    calendar = our_dates.with_bank_holidays(UKBankHolidays("wales"))

The ``holidays`` package (vacanza/python-holidays, MIT) keeps the UK's public holidays with
their substitute days; it has no school term dates, which schools supply themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from devcycle.errors import ConfigError

__all__ = ["REGIONS", "UKBankHolidays"]

REGIONS: dict[str, str] = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
"""Region names devcycle accepts, and the ``holidays`` package's UK subdivision codes."""


class UKBankHolidays:
    """The bank holidays of one UK nation, from the ``holidays`` package.

    Args:
        region: ``england``, ``wales``, ``scotland`` or ``northern-ireland`` (or the codes
            ``ENG``, ``WLS``, ``SCT``, ``NIR``).

    Raises:
        ConfigError: If the region is unknown, or the ``calendars`` extra is not installed.
    """

    def __init__(self, region: str = "england") -> None:
        key = region.strip().lower().replace(" ", "-").replace("_", "-")
        codes = {code.lower(): code for code in REGIONS.values()}
        code = REGIONS.get(key) or codes.get(key)
        if code is None:
            msg = f"unknown bank-holiday region {region!r}; expected one of: {', '.join(REGIONS)}"
            raise ConfigError(msg)
        try:
            import holidays  # noqa: PLC0415 - the optional library loads when first used
        except ImportError as exc:  # pragma: no cover - depends on the environment
            msg = f'bank holidays need: pip install "devcycle[calendars]" ({exc})'
            raise ConfigError(msg) from None
        self.region = next(name for name, c in REGIONS.items() if c == code)
        self._holidays = holidays
        self._code = code

    def between(self, start: date, end: date) -> Mapping[date, str]:
        """Return the region's bank holidays from *start* to *end* inclusive, date -> name."""
        if end < start:
            return {}
        found = self._holidays.country_holidays(
            "GB", subdiv=self._code, years=range(start.year, end.year + 1)
        )
        return {day: str(name) for day, name in sorted(found.items()) if start <= day <= end}

    def __repr__(self) -> str:
        return f"UKBankHolidays({self.region!r})"
