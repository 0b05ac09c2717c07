"""Text analysis for rules: lexicons compiled to patterns, matches with spans, dates in text.

Everything here is pure and deterministic, and never raises on any string.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from types import MappingProxyType
from typing import Any

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
        self._scanner: _Scanner | bool | None = False
        self._scans = 0
        self._hash: int | None = None
        self._names = tuple(sorted(self._patterns))

    @classmethod
    def builtin(cls) -> Lexicons:
        """Return the lexicons shipped with devcycle (loaded once)."""
        return _builtin()

    @property
    def names(self) -> tuple[str, ...]:
        """The lexicon names, sorted."""
        return self._names

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
            self._compiled[name] = _alternation(items) if items else None
        return self._compiled[name]

    def scan_all(self, text: str, starts: Iterable[int]) -> dict[str, tuple[Span, ...]] | None:
        """Every lexicon's matches in *text* in one pass, or None to scan them one by one.

        The one-pass scanner's expressions take a while to compile, so the first
        `WARM_UP` texts are scanned one lexicon at a time; both ways find the same matches.
        """
        self._scans += 1
        if self._scans <= WARM_UP:
            return None
        if self._scanner is False:
            self._scanner = _Scanner.of(self._patterns)
        if not isinstance(self._scanner, _Scanner):
            return None
        return self._scanner.scan(text, starts)

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        return isinstance(other, Lexicons) and dict(self._patterns) == dict(other._patterns)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(tuple(sorted(self._patterns.items())))
        return self._hash


def _alternation_text(items: Iterable[str]) -> str:
    """Alternatives as one expression matching whole words (as `Lexicons.compiled` does)."""
    return _WORD_BEFORE + "(?:" + "|".join(f"(?:{p})" for p in items) + ")" + _WORD_AFTER


def _alternation(items: Iterable[str]) -> re.Pattern[str]:
    return re.compile(_alternation_text(items), re.IGNORECASE)


WARM_UP = 1000
"""Texts scanned one lexicon at a time before the one-pass scanner is compiled and used."""

_ASCII = tuple(map(chr, range(128)))
_EVERY = frozenset(_ASCII)
_STARTS = re.compile(r"(?<!\w)(?=.)", re.DOTALL)
"""Where a lexicon match can begin: every position not preceded by a word character."""


@functools.cache
def _ascii_matching(pattern: str) -> frozenset[str]:
    """The ASCII characters one single-character *pattern* matches, ignoring case."""
    compiled = re.compile(pattern, re.IGNORECASE)
    return frozenset(c for c in _ASCII if compiled.fullmatch(c))


class _Firsts:
    """The ASCII characters a parsed regular expression can start with (a superset).

    Reads the standard library's own parse of the pattern. Anything it does not recognise
    counts as "could start with any character", so the set is never too small.
    """

    def __init__(self) -> None:
        self.parser: Any = importlib.import_module("re._parser")
        c: Any = importlib.import_module("re._constants")
        self.c = c
        self.categories = {
            c.CATEGORY_DIGIT: r"\d",
            c.CATEGORY_NOT_DIGIT: r"\D",
            c.CATEGORY_SPACE: r"\s",
            c.CATEGORY_NOT_SPACE: r"\S",
            c.CATEGORY_WORD: r"\w",
            c.CATEGORY_NOT_WORD: r"\W",
        }
        self.repeats = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
        self.transparent = (c.AT, c.ASSERT, c.ASSERT_NOT)

    def of(self, pattern: str) -> tuple[frozenset[str], bool]:
        """The first characters of *pattern*, and whether it can match the empty string."""
        chars, empty = self._sequence(self.parser.parse(pattern, re.IGNORECASE))
        return frozenset(chars), empty

    def _sequence(self, items: Iterable[tuple[Any, Any]]) -> tuple[set[str], bool]:
        chars: set[str] = set()
        for op, arg in items:
            found, empty = self._item(op, arg)
            chars |= found
            if not empty:
                return chars, False
        return chars, True

    def _item(self, op: Any, arg: Any) -> tuple[set[str], bool]:  # noqa: PLR0911 - one per op
        c = self.c
        if op is c.LITERAL:
            return set(_ascii_matching(re.escape(chr(arg)))), False
        if op is c.IN:
            return self._set(arg), False
        if op is c.CATEGORY and arg in self.categories:
            return set(_ascii_matching(self.categories[arg])), False
        if op is c.BRANCH:
            chars: set[str] = set()
            empty = False
            for branch in arg[1]:
                found, may = self._sequence(branch)
                chars |= found
                empty = empty or may
            return chars, empty
        if op is c.SUBPATTERN:
            return self._sequence(arg[3])
        if op is c.ATOMIC_GROUP:
            return self._sequence(arg)
        if op in self.repeats:
            found, empty = self._sequence(arg[2])
            return found, empty or arg[0] == 0
        if op in self.transparent:
            return set(), True
        return set(_EVERY), False

    def _set(self, members: Iterable[tuple[Any, Any]]) -> set[str]:
        c = self.c
        chars: set[str] = set()
        for op, arg in members:
            if op is c.LITERAL:
                chars |= _ascii_matching(re.escape(chr(arg)))
            elif op is c.RANGE:
                low, high = (re.escape(chr(v)) for v in arg)
                chars |= _ascii_matching(f"[{low}-{high}]")
            elif op is c.CATEGORY and arg in self.categories:
                chars |= _ascii_matching(self.categories[arg])
            else:
                return set(_EVERY)
        return chars


@functools.cache
def _firsts() -> _Firsts:
    return _Firsts()


class _Scanner:
    """Every lexicon at once, split by the character a match begins with.

    Scanning a text with one alternation per lexicon tries every phrase of every lexicon at
    every word start. Here each ASCII character maps to one expression holding, for each
    lexicon, a look-ahead group with only the phrases that can begin with that character (in
    their original order, so the same phrase wins); a non-ASCII character gets every phrase.
    One match at each possible start gives every lexicon's match there; keeping, per lexicon,
    the matches that start after its last one finds exactly what ``finditer`` of that
    lexicon's whole alternation finds. The expressions are compiled on first use.
    """

    def __init__(self, lexicons: Mapping[str, Sequence[str]]) -> None:
        self._lexicons = {name: tuple(items) for name, items in lexicons.items() if items}
        self._firsts = {
            name: [_firsts().of(p) for p in items] for name, items in self._lexicons.items()
        }
        self._entries: dict[str, tuple[re.Pattern[str], tuple[tuple[str, int], ...]] | None] = {}
        self._by_key: dict[
            tuple[tuple[str, tuple[int, ...]], ...],
            tuple[re.Pattern[str], tuple[tuple[str, int], ...]] | None,
        ] = {}

    @classmethod
    def of(cls, lexicons: Mapping[str, Sequence[str]]) -> _Scanner | None:
        """A scanner for *lexicons*, or None to scan each lexicon on its own.

        None when a phrase cannot be read, can match the empty string or has a group of its
        own (the scanner numbers the groups).
        """
        try:
            scanner = cls(lexicons)
            if any(_alternation(items).groups for items in scanner._lexicons.values()):
                return None
        except Exception:  # any surprise: scan each lexicon on its own
            return None
        if any(empty for read in scanner._firsts.values() for _chars, empty in read):
            return None
        return scanner

    def _entry(self, char: str) -> tuple[re.Pattern[str], tuple[tuple[str, int], ...]] | None:
        key = tuple(
            (name, chosen)
            for name, read in self._firsts.items()
            if (
                chosen := tuple(
                    i for i, (first, _e) in enumerate(read) if char >= "\x80" or char in first
                )
            )
        )
        if key not in self._by_key:
            parts = [
                "(?:(?=(" + _alternation_text(self._lexicons[name][i] for i in chosen) + "))|)"
                for name, chosen in key
            ]
            self._by_key[key] = (
                (
                    re.compile("".join(parts), re.IGNORECASE),
                    tuple((name, group) for group, (name, _c) in enumerate(key, start=1)),
                )
                if key
                else None
            )
        entry = self._by_key[key]
        self._entries[char] = entry
        return entry

    def scan(self, text: str, starts: Iterable[int]) -> dict[str, tuple[Span, ...]]:
        """Every lexicon's matches in *text*, given where a match can start."""
        found: dict[str, list[Span]] = {name: [] for name in self._lexicons}
        ends = dict.fromkeys(self._lexicons, 0)
        entries = self._entries
        for start in starts:
            char = text[start]
            entry = entries[char] if char in entries else self._entry(char)
            if entry is None:
                continue
            pattern, groups = entry
            match = pattern.match(text, start)
            # Every group is an optional look-ahead, in order: groups past the last one that
            # matched (most positions match none) need no look.
            if match is None or match.lastindex is None:
                continue
            last = match.lastindex
            regs = match.regs
            for name, group in groups[:last]:
                end = regs[group][1]
                if end > start >= ends[name]:
                    found[name].append((start, end))
                    ends[name] = end
        return {name: tuple(spans) for name, spans in found.items()}


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
        every: Whether most lexicons will be read (a statement the judge weighs): then, past
            the warm-up, every lexicon's matches are found in one pass on first use.
    """

    @classmethod
    def of(cls, text: str, lexicons: Lexicons) -> Analysis:
        """Return the analysis of *text*, shared with other checks of the same text.

        The engine's rules and the judge read the same statement; sharing one analysis (its
        lexicon matches found once) is what keeps checking a statement with its structure and
        judging it bare from costing twice.
        """
        return _shared(text, lexicons)

    @classmethod
    def supporting(cls, text: str, lexicons: Lexicons) -> Analysis:
        """Return the analysis of a supporting *text* (a success criterion, a rationale).

        Rules read only a few lexicons of these, so they are scanned lexicon by lexicon; the
        analysis is shared with every other check of the same text, as a statement's is (the
        set rules read each of a person's objectives once for every objective in the set).
        """
        return _supporting(text, lexicons)

    def __init__(self, text: str, lexicons: Lexicons, *, every: bool = False) -> None:
        self.text = text
        self.lexicons = lexicons
        self._scanned = text[:MAX_CHARS]
        self._spans: dict[str, tuple[Span, ...]] = {}
        self._outside: dict[tuple[str, ...], tuple[Span, ...]] = {}
        self._dates: dict[int | None, tuple[tuple[Span, date], ...]] = {}
        # A statement's analysis is read for every lexicon (the judge weighs them all), so it
        # finds them all in one pass; a success criterion's is read for a few, one by one.
        self._one_pass = every

    def spans(self, name: str) -> tuple[Span, ...]:
        """Return the ``(start, end)`` of every match of lexicon *name*, in text order."""
        found = self._spans.get(name)
        if found is None:
            if self._one_pass:
                self._one_pass = False
                starts = (m.start() for m in _STARTS.finditer(self._scanned))
                every = self.lexicons.scan_all(self._scanned, starts)
                if every is not None:
                    self._spans.update(every)
                    found = self._spans.get(name)
            if found is None:
                pattern = self.lexicons.compiled(name)
                matches = (
                    () if pattern is None else (m.span() for m in pattern.finditer(self._scanned))
                )
                found = tuple(s for s in matches if s[1] > s[0])
                self._spans[name] = found
        return found

    def has(self, *names: str) -> bool:
        """Return whether any of the lexicons *names* matches."""
        return any(self.spans(n) for n in names)

    def first(self, *names: str) -> Span | None:
        """Return the earliest match of any of *names*, or None."""
        best: Span | None = None
        for name in names:  # each lexicon's matches are in text order: its first is its least
            found = self.spans(name)
            if found and (best is None or found[0] < best):
                best = found[0]
        return best

    def words(self, span: Span) -> str:
        """Return the text inside *span*, on one line."""
        return " ".join(self.text[span[0] : span[1]].split())

    def outside(self, name: str, *others: str) -> tuple[Span, ...]:
        """Return the matches of *name* that overlap no match of any of *others*."""
        key = (name, *others)
        found = self._outside.get(key)
        if found is None:
            blocked = [s for o in others for s in self.spans(o)]
            found = tuple(
                s for s in self.spans(name) if not any(s[0] < b[1] and b[0] < s[1] for b in blocked)
            )
            self._outside[key] = found
        return found

    def dates(self, today_year: int | None = None) -> tuple[tuple[Span, date], ...]:
        """Return `dates_in` of the text with *today_year*, worked out once per year asked."""
        found = self._dates.get(today_year)
        if found is None:
            found = dates_in(self.text, today_year=today_year)
            self._dates[today_year] = found
        return found

    @functools.cached_property
    def word_count(self) -> int:
        """The number of words."""
        return len(re.findall(r"\w+", self.text))


@functools.lru_cache(maxsize=4096)
def _shared(text: str, lexicons: Lexicons) -> Analysis:
    return Analysis(text, lexicons, every=True)


@functools.lru_cache(maxsize=4096)
def _supporting(text: str, lexicons: Lexicons) -> Analysis:
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
