"""What a training need means: concepts from free text, for grouping needs and matching CPD.

Needs are written by many hands: "Questioning", "use of questioning", "Asking better
questions". `NeedLexicon.concepts` reduces each to a set of concepts in four steps:

1. normalise: lower case, accents dropped, "&" read as "and", anything not a letter or digit
   read as a space;
2. drop filler words that say nothing about what is to be learned ("effective", "use",
   "better", "skills", "INSET"), from the text and from the lexicon's phrases alike;
3. replace the lexicon's phrases by their concept ("asking questions" -> ``questioning``),
   longest phrase first;
4. lightly stem what is left (plural -s/-es/-ies, -ing, -ed) and map single words through the
   lexicon again ("questions" -> ``questioning``).

Two needs with the same concepts are the same need. A CPD activity meets a need when the
concepts of its title include every concept of the need. The built-in lexicon ships as
``needs_lexicon.toml`` beside this module, with its source; schools extend it with
`NeedLexicon.extended`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache

import attrs

__all__ = ["NeedLexicon"]

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents dropped, "&" as "and", punctuation as single spaces."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(_NON_WORD.sub(" ", folded.lower().replace("&", " and ")).split())


def stem(word: str) -> str:
    """A light English stem: plurals, -ing and -ed, so "questions" and "questioning" meet.

    Deliberately timid: words of four letters or fewer are left alone, and a final
    consonant doubled by -ing/-ed is undone ("planning" -> "plan").
    """
    if len(word) <= 4 or not word.isalpha():
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "lsz":
                base = base[:-1]
            return base
    return word


@attrs.frozen
class NeedLexicon:
    """Concepts with the words and phrases that mean them, and the filler words to ignore.

    Attributes:
        concepts: Concept name -> words and phrases that mean it.
        filler: Words dropped before matching.

    Example:
        >>> lexicon = NeedLexicon.builtin()
        >>> sorted(lexicon.concepts_of("Effective use of questioning"))
        ['questioning']
        >>> lexicon.key("Asking better questions") == lexicon.key("Questioning")
        True
    """

    concepts: Mapping[str, tuple[str, ...]]
    filler: frozenset[str]
    _phrases: tuple[tuple[str, str], ...] = attrs.field(init=False, repr=False, eq=False)
    _words: Mapping[str, str] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        phrases: dict[str, str] = {}
        words: dict[str, str] = {}
        for concept, terms in self.concepts.items():
            for term in (concept.replace("-", " "), *terms):
                flat = self._content(term)
                if not flat:
                    continue
                if " " in flat:
                    phrases[flat] = concept
                else:
                    words[flat] = concept
                    words[stem(flat)] = concept
        ordered = tuple(sorted(phrases.items(), key=lambda kv: (-len(kv[0]), kv[0])))
        object.__setattr__(self, "_phrases", ordered)
        object.__setattr__(self, "_words", words)

    @classmethod
    def builtin(cls) -> NeedLexicon:
        """The lexicon shipped with devcycle (``needs_lexicon.toml``), loaded once."""
        return _builtin()

    @classmethod
    def from_table(cls, table: Mapping[str, object]) -> NeedLexicon:
        """Build a lexicon from a parsed TOML table with ``[concepts]`` and ``[filler]``.

        Raises:
            ValueError: If the table does not have that shape.
        """
        concepts = table.get("concepts", {})
        filler = table.get("filler", {})
        if not isinstance(concepts, Mapping) or not isinstance(filler, Mapping):
            msg = "a need lexicon has a [concepts] table and a [filler] table"
            raise ValueError(msg)
        words = filler.get("words", [])
        parsed: dict[str, tuple[str, ...]] = {}
        for name, terms in concepts.items():
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                msg = f"concept {name!r} must list words and phrases as strings @ $.concepts.{name}"
                raise ValueError(msg)
            parsed[str(name)] = tuple(terms)
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            msg = "filler words must be a list of strings @ $.filler.words"
            raise ValueError(msg)
        return cls(parsed, frozenset(normalise(w) for w in words))

    def extended(
        self, concepts: Mapping[str, Iterable[str]], filler: Iterable[str] = ()
    ) -> NeedLexicon:
        """A copy with more concepts (or more terms for existing ones) and filler words."""
        merged = {k: tuple(v) for k, v in self.concepts.items()}
        for name, terms in concepts.items():
            merged[name] = (*merged.get(name, ()), *terms)
        return NeedLexicon(merged, self.filler | {normalise(w) for w in filler})

    def concepts_of(self, text: str) -> frozenset[str]:
        """The concepts *text* names: mapped phrases and words, and any other content words."""
        flat = f" {self._content(text)} "
        found: set[str] = set()
        for phrase, concept in self._phrases:
            marker = f" {phrase} "
            if marker in flat:
                found.add(concept)
                flat = flat.replace(marker, " ")
        for word in flat.split():
            mapped = self._words.get(word) or self._words.get(stem(word))
            if mapped is not None:
                found.add(mapped)
            elif stem(word) not in self.filler:
                found.add(stem(word))
        return frozenset(found)

    def _content(self, text: str) -> str:
        """*text* normalised, without filler words."""
        return " ".join(w for w in normalise(text).split() if w not in self.filler)

    def key(self, text: str) -> str:
        """The need's grouping key: its concepts sorted, or its normalised text if none."""
        concepts = self.concepts_of(text)
        return " ".join(sorted(concepts)) if concepts else normalise(text)


@cache
def _builtin() -> NeedLexicon:
    import tomllib  # noqa: PLC0415 - loaded on first use, to keep `import devcycle` fast
    from importlib import resources  # noqa: PLC0415

    text = resources.files("devcycle.reports").joinpath("needs_lexicon.toml").read_text("utf-8")
    return NeedLexicon.from_table(tomllib.loads(text))
