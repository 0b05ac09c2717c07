"""Text analysis for rules: lexicons compiled to patterns, matches with spans, dates in text.

Everything here is pure and deterministic, and never raises on any string.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType

__all__ = ["MAX_CHARS", "Analysis", "Lexicons", "dates_in", "literal_pattern"]

_WORD_BEFORE = r"(?<![\w])"
_WORD_AFTER = r"(?![\w])"


def literal_pattern(term: str) -> str:
    """Return a pattern matching *term* as words, any spacing, straight or curly apostrophe."""
    words = [re.escape(w).replace("'", "['\u2019]") for w in term.split()]
    return r"\s+".join(words)


class Lexicons:
    """Named word lists (as regular-expression alternatives), compiled once and cached.

    The built-in lists ship as TOML under ``devcycle/rules/lexicons/``, each file with its
    sources in a header; a school's configuration adds literal terms with `extended`.

    Args:
        patterns: Lexicon name -> regular-expression alternatives (matched as whole words,
            case-insensitively).
    """

    def __init__(self, patterns: Mapping[str, Iterable[str]]) -> None:
        self._patterns: Mapping[str, tuple[str, ...]] = MappingProxyType(
            {name: tuple(items) for name, items in patterns.items()}
        )
        self._compiled: dict[str, re.Pattern[str] | None] = {}
        self._hash: int | None = None

    @classmethod
    def builtin(cls) -> Lexicons:
        """Return the lexicons shipped with devcycle (loaded once)."""
        return _builtin()

    @property
    def names(self) -> tuple[str, ...]:
        """The lexicon names, sorted."""
        return tuple(sorted(self._patterns))

    def patterns(self, name: str) -> tuple[str, ...]:
        """Return the alternatives of lexicon *name* (empty if there is no such lexicon)."""
        return self._patterns.get(name, ())

    def extended(self, additions: Mapping[str, Iterable[str]]) -> Lexicons:
        """Return these lexicons with literal *additions* (name -> terms) appended."""
        merged = {name: list(items) for name, items in self._patterns.items()}
        for name, terms in additions.items():
            merged.setdefault(name, []).extend(literal_pattern(t) for t in terms if t.strip())
        return Lexicons(merged)

    def compiled(self, name: str) -> re.Pattern[str] | None:
        """Return lexicon *name* as one compiled pattern, or None when it is empty."""
        if name not in self._compiled:
            items = self._patterns.get(name, ())
            self._compiled[name] = (
                re.compile(
                    _WORD_BEFORE + "(?:" + "|".join(f"(?:{p})" for p in items) + ")" + _WORD_AFTER,
                    re.IGNORECASE,
                )
                if items
                else None
            )
        return self._compiled[name]

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, Lexicons) and dict(self._patterns) == dict(other._patterns)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(sorted(self._patterns.items())))
        return self._hash


_MACRO = r"%([A-Z_]+)%"


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    for _ in range(5):
        expanded = re.sub(_MACRO, lambda m: macros.get(m[1], m[0]), pattern)
        if expanded == pattern:
            break
        pattern = expanded
    return pattern


@functools.cache
def _builtin() -> Lexicons:
    import tomllib  # noqa: PLC0415 - loaded on first use, to keep `import devcycle` fast
    from importlib import resources  # noqa: PLC0415

    tables: dict[str, dict[str, object]] = {}
    folder = resources.files("devcycle.rules.lexicons")
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml"):
            tables[item.name] = tomllib.loads(item.read_text(encoding="utf-8"))
    macros: dict[str, str] = {}
    for data in tables.values():
        found = data.get("macros", {})
        if isinstance(found, dict):
            macros.update({str(k): str(v) for k, v in found.items()})
    patterns: dict[str, list[str]] = {}
    for data in tables.values():
        for name, table in data.items():
            if name in ("source", "macros") or not isinstance(table, dict):
                continue
            entries = patterns.setdefault(name, [])
            entries.extend(_expand(str(p), macros) for p in table.get("patterns", ()))
            entries.extend(literal_pattern(str(t)) for t in table.get("terms", ()))
    return Lexicons(patterns)


Span = tuple[int, int]


MAX_CHARS = 5000
"""Only this many characters of a text are scanned, so that any input is checked quickly."""


class Analysis:
    """One text, with lexicon matches found on demand and remembered.

    Only the first `MAX_CHARS` characters are scanned: an objective is a few sentences, and
    the cap keeps the check fast on any input.

    Args:
        text: The text to analyse (any string).
        lexicons: The lexicons to match.
    """

    @classmethod
    def of(cls, text: str, lexicons: Lexicons) -> Analysis:
        """Return the analysis of *text*, shared with other checks of the same text.

        The engine's rules and the judge read the same statement; sharing one analysis (its
        lexicon matches found once) is what keeps checking a statement with its structure and
        judging it bare from costing twice.
        """
        return _shared(text, lexicons)

    def __init__(self, text: str, lexicons: Lexicons) -> None:
        self.text = text
        self.lexicons = lexicons
        self._scanned = text[:MAX_CHARS]
        self._spans: dict[str, tuple[Span, ...]] = {}

    def spans(self, name: str) -> tuple[Span, ...]:
        """Return the ``(start, end)`` of every match of lexicon *name*, in text order."""
        if name not in self._spans:
            pattern = self.lexicons.compiled(name)
            found = (
                () if pattern is None else tuple(m.span() for m in pattern.finditer(self._scanned))
            )
            self._spans[name] = tuple(s for s in found if s[1] > s[0])
        return self._spans[name]

    def has(self, *names: str) -> bool:
        """Return whether any of the lexicons *names* matches."""
        return any(self.spans(n) for n in names)

    def first(self, *names: str) -> Span | None:
        """Return the earliest match of any of *names*, or None."""
        found = [s for n in names for s in self.spans(n)]
        return min(found) if found else None

    def words(self, span: Span) -> str:
        """Return the text inside *span*, on one line."""
        return " ".join(self.text[span[0] : span[1]].split())

    def outside(self, name: str, *others: str) -> tuple[Span, ...]:
        """Return the matches of *name* that overlap no match of any of *others*."""
        blocked = [s for o in others for s in self.spans(o)]
        return tuple(
            s for s in self.spans(name) if not any(s[0] < b[1] and b[0] < s[1] for b in blocked)
        )

    @functools.cached_property
    def word_count(self) -> int:
        """The number of words."""
        return len(re.findall(r"\w+", self.text))


@functools.lru_cache(maxsize=4096)
def _shared(text: str, lexicons: Lexicons) -> Analysis:
    return Analysis(text, lexicons)


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = {
    "numeric": r"(?<![\w/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?![\w/-]|\.\d)",
    "day_month": (
        rf"(?<!\w)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?(?:,?\s+(\d{{4}}))?(?!\w)"
    ),
    "month_day": rf"(?<!\w)({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?(?!\w)",
    "month_year": rf"(?<!\w)({_MONTH})\.?\s+(\d{{4}})(?!\w)",
    "iso": r"(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-]|\.\d)",
}


@functools.cache
def _date_pattern(name: str) -> re.Pattern[str]:
    """Compile a date pattern on first use (keeps `import devcycle` fast)."""
    return re.compile(_DATE_PATTERNS[name], re.IGNORECASE)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _last_day(year: int, month: int) -> date | None:
    if not 1 <= year <= 9999:
        return None
    following = _make(year + (month == 12), month % 12 + 1, 1) if year < 9999 else None
    return date.fromordinal(following.toordinal() - 1) if following else _make(year, 12, 31)


def dates_in(text: str, *, today_year: int | None = None) -> tuple[tuple[Span, date], ...]:
    """Return the calendar dates written in *text* with their spans, in text order.

    Understands ``31/3/27``, ``31.03.2027``, ``2027-03-31``, ``31 March 2027``, ``31st of
    March`` and ``March 31st`` (with *today_year* for the year) and ``July 2027`` (read as the
    month's last day). Numeric dates are day first, as in British use. Impossible dates are
    left out.
    """
    found: list[tuple[Span, date]] = []
    taken: list[Span] = []

    def add(span: Span, value: date | None) -> None:
        if value is not None and not any(span[0] < t[1] and t[0] < span[1] for t in taken):
            found.append((span, value))
            taken.append(span)

    for m in _date_pattern("iso").finditer(text):
        add(m.span(), _make(int(m[1]), int(m[2]), int(m[3])))
    for m in _date_pattern("numeric").finditer(text):
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        add(m.span(), _make(year, int(m[2]), int(m[1])))
    for m in _date_pattern("day_month").finditer(text):
        given = int(m[3]) if m[3] else today_year
        if given is not None:
            add(m.span(), _make(given, _MONTHS[m[2].lower()], int(m[1])))
    for m in _date_pattern("month_day").finditer(text):
        given = int(m[3]) if m[3] else today_year
        if given is not None:
            add(m.span(), _make(given, _MONTHS[m[1].lower()], int(m[2])))
    for m in _date_pattern("month_year").finditer(text):
        add(m.span(), _last_day(int(m[2]), _MONTHS[m[1].lower()]))
    return tuple(sorted(found))
