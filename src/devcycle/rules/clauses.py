"""Clauses of an objective: who acts in each, with what kind of verb, on what kind of result.

A bag of words cannot tell *whose* action or result a statement is about: "pupils will reach
grade 5" and "I will teach grade 5 content" share their words of interest. This module reads
the statement clause by clause, by rule and in pure Python:

- it splits the statement on sentence marks, commas, semicolons and linking words ("so that",
  "in order to", "by" before an -ing verb, "through", "and" before a new actor or verb);
- in each clause it finds the actor: the person ("I", "we", "my goal is to", an aim written
  "To ..." or as an imperative), pupils (with any stated proportion: "80% of my pupils",
  "all students"), other staff or the school, or nobody (a noun phrase: an area of work);
- it finds the clause's first verb and its class: a concrete action (teach, run, plan), a
  general development verb (improve, develop, explore), a duty or oversight verb (ensure,
  monitor, manage), an attainment verb (achieve, reach, score) or one of raising pupils'
  data (raise, increase, close);
- it notes whether the clause is about a pupil-data result (grades, scores, progress,
  attainment, attendance) and how absolute it is (all, every, 100%, a figure of 90 or more;
  a recurring schedule such as "every Friday" or "every week" is a frequency, not absolute).

`clause_signals` turns that into a handful of named facts for the judge (``c.<fact>``).
Everything is deterministic, never raises on any string and costs a few regular expressions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Final

import attrs

from devcycle.rules.text import MAX_CHARS, Span

__all__ = ["CLAUSE_SIGNALS", "Clause", "clause_signals", "clauses"]

_PUPIL = r"(?:pupils?|students?|children|child|learners?|boys|girls|kids|graders|cohorts?)"
_PUPIL_GROUP = rf"(?:{_PUPIL}|class(?:es)?|sets?|groups?|tutees|caseload)"
_OTHERS = (
    r"(?:staff|teachers?|colleagues|department|departments|school|schools|team|faculty|trust|"
    r"governors|parents|families|leaders|tutors|programmes?|programs?|districts?)"
)
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
)
_PROPORTION = (
    rf"(?:(?:at\s+least|a\s+minimum\s+of|minimum|no\s+more\s+than|over|more\s+than|fewer\s+than)\s+)?"
    rf"(?:\d{{1,3}}(?:\.\d+)?\s*(?:%|per\s*cent\b|percent\b)|{_NUMBER_WORDS}\s+per\s*cent\b|"
    rf"{_NUMBER_WORDS}\s+percent\b|one\s+hundred\s+percent\b|[xyn]\s*%|[xyn]\s+percent\b|"
    rf"\d+\s+(?:out\s+)?of\s+(?:the\s+)?\d+|\d+/\d+|all|every|each|most|half|the\s+majority)"
)
_SPLIT_TEXT = (
    r"(?P<stop>[.!?;:]+(?:\s+|$)|\n+|\s+[-\u2013\u2014]\s+|\(|\))"
    r"|(?P<comma>,\s*(?:and\s+|but\s+|then\s+)?)"
    r"|\s+(?P<purpose>so\s+that|so\s+as\s+to|in\s+order\s+(?:to|that)|to\s+ensure|"
    r"to\s+help|to\s+enable|to\s+support|which\s+will|that\s+will|because|resulting\s+in|"
    r"leading\s+to)\s+"
    r"|\s+(?P<measure>(?:as\s+)?(?:measured|evidenced|shown|indicated|assessed)\s+(?:by|on|in|through))\s+"
    r"|\s+(?P<means>by(?=\s+(?!(?:spring|morning|evening|ending|beginning)\b)\w+ing\b)|through|using|via|with\s+the\s+(?:use|help)\s+of)\s+"
    r"|\s+(?P<join>and|but|then|while|whilst)\s+(?=(?:i|we|my|our|students|pupils|children|"
    r"staff|teachers|they|the\s+class)\b|(?:to\s+)?(?:VERBS)\b)"
)
_LEAD = re.compile(
    r"^\W*(?:(?:by|in|over|during|within|before|after|from|until|this|next|each|every|for|"
    r"throughout|across|at|on)\b[^,:;]{0,50}?,\s*)?"
    r"(?:(?:my|our|the|one|a|an)\s+(?:\w+\s+){0,3}?(?:goal|aim|objective|target|priority|"
    r"focus|intention|plan|resolution)s?\s+(?:for\s+[^,]{0,30}?\s+)?(?:is|are|will\s+be|"
    r"include|includes|:)\s+(?:to\s+|that\s+|for\s+)?)?",
    re.IGNORECASE,
)
_TIME_LEAD = re.compile(
    r"^\W*(?:by|in|over|during|within|before|after|from|until|this|next|each|every|for|"
    r"throughout|across|at|on)\b[^,:;.]{0,50}?[,:]\s*",
    re.IGNORECASE,
)
_SELF = re.compile(
    r"(?:i|we)(?:['\u2019](?:ll|d|m|ve))?\s+(?:(?:will|would|shall|must|should|can|could|"
    r"am|are|want|wanted|aim|plan|intend|hope|need|have|going|commit|try|would\s+like|"
    r"really|also|then|to|be|like|able|set|myself|ourselves|continue|going\s+to)\s+){0,4}",
    re.IGNORECASE,
)
_TO = re.compile(r"to\s+(?:be\s+able\s+to\s+)?", re.IGNORECASE)
_PUPILS = re.compile(
    rf"(?:(?P<prop>{_PROPORTION})\s+(?:of\s+)?)?(?:the\s+|my\s+|our\s+|their\s+|these\s+)?"
    rf"(?:[\w'\u2019-]+\s+){{0,4}}?(?:{_PUPIL}\b|(?<=of\s)(?:[\w'\u2019-]+\s+){{0,3}}?{_PUPIL_GROUP}\b)",
    re.IGNORECASE,
)
_OTHER_ACTORS = re.compile(
    rf"(?:(?P<prop>{_PROPORTION})\s+(?:of\s+)?)?(?:the\s+|my\s+|our\s+|their\s+)?"
    rf"(?:[\w'\u2019-]+\s+){{0,3}}?{_OTHERS}\b",
    re.IGNORECASE,
)
_AFTER_SUBJECT = re.compile(
    r"(?:[^,.;:]{0,60}?\s)?(?:will|to|should|must|can|shall|are|is|who|would|have|has|"
    r"need|show|make|achieve|reach|score|meet|exceed|gain|pass|read|write|increase|improve|"
    r"demonstrate|be)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z][a-z'\u2019-]*", re.IGNORECASE)
_FIGURE = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
_ABSOLUTE = re.compile(
    r"\b(?:all|every(?!\s+(?:other\s+)?(?:day|week|weekday|fortnight|month|term|half[- ]term|"
    r"year|morning|afternoon|evening|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b)|"
    r"each\s+and\s+every|everyone|always|never|100\s*%|one\s+hundred\s+per\s*cent|"
    r"without\s+exception|at\s+all\s+times|no\s+(?:pupils?|students?|children)\s+will)\b",
    re.IGNORECASE,
)
_HIGH_WORDS = re.compile(r"\bninety(?:[- ]\w+)?\s+per\s*cent|\bninety(?:[- ]\w+)?\s+percent", re.I)
_OUTCOME = re.compile(
    r"\b(?:grades?|levels?|scores?|scoring|results|attainment|achievement|progress|"
    r"proficien\w*|standards?|expectations?|benchmarks?|pass(?:es|\s+rate)?|gcses?|"
    r"a[- ]levels?|sats|exams?|gld|are|exs|gds|reading\s+ages?|lexile|attendance|absence|"
    r"outcomes|data|targets?|mastery|growth|fluency|accuracy|p8|a8|value\s+added)\b",
    re.IGNORECASE,
)

_VERB_CLASSES: Final = {
    "do": """
        teach deliver plan run use introduce model give provide mark create design write
        produce organise organize lead hold host establish observe visit attend complete
        publish present trial pilot implement embed share coach mentor train record call
        redesign rewrite map audit launch incorporate integrate apply join phone log read
        set build prepare teach deliver rewrite plan devise construct run practise practice
        spend dedicate allocate schedule invite contact email listen ask question assess
        differentiate scaffold adapt display renew label interview survey test moderate
        collaborate co-teach coteach observe film video blog sign enrol enroll submit
        arrange update send collect gather install upgrade replace compile draft edit
        photocopy laminate tidy purchase buy recruit appoint hire finish
    """,
    "develop": """
        improve develop enhance strengthen grow gain learn understand explore become
        continue work focus deepen broaden refresh know consider reflect try investigate
        research study identify find look seek increase extend expand
    """,
    "duty": """
        monitor ensure oversee manage maintain supervise coordinate co-ordinate facilitate
        support review evaluate promote encourage enable help contribute track check
        foster address prioritise prioritize communicate
    """,
    "attain": """
        achieve attain reach score pass meet exceed obtain perform master demonstrate show
        move earn secure make gain
    """,
    "raise": """
        raise increase improve boost accelerate close narrow reduce decrease lower halve
        double eliminate diminish
    """,
    "state": "be have get keep feel stay remain",
}
_CLASS_OF: Final = {
    word: name
    for name in ("state", "attain", "raise", "duty", "develop", "do")
    for word in _VERB_CLASSES[name].split()
}
"""Each verb's class; a verb listed in several takes the last (so "improve" is develop)."""

_RAISING: Final = frozenset(_VERB_CLASSES["raise"].split())
"""Verbs that, with a pupil-data result as their object, make the aim that result."""

_VERBS_ALT: Final = "|".join(sorted(_CLASS_OF, key=len, reverse=True))
_SPLIT = re.compile(_SPLIT_TEXT.replace("VERBS", _VERBS_ALT.replace("-", r"\-")), re.IGNORECASE)


def _verb_class(word: str) -> str | None:
    """The class of *word* as a verb (any common inflection), or None if it is not one."""
    low = word.lower().replace("\u2019", "'")
    for form in (low, _base(low)):
        if form in _CLASS_OF:
            return _CLASS_OF[form]
    return None


def _base(word: str) -> str:
    for suffix, repl in (
        ("ies", "y"),
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)] + repl
            if stem in _CLASS_OF:
                return stem
    return word


@attrs.frozen
class Clause:
    """One clause of a statement.

    Attributes:
        span: Where the clause is in the statement.
        link: How it joins the one before: "main" (the first), "and", "purpose" (so that,
            in order to), "means" (by -ing, through, using), "measure" (as measured by,
            as shown in: an instrument, where nobody acts) or "next" (a new sentence).
        actor: Who acts: "self" (I, we), "implicit" (an aim as "To ..." or an imperative),
            "pupils", "others" (staff, the department, the school) or "none" (a noun phrase).
        verb: The clause's first verb after its actor, if it has one it knows.
        verb_class: "do", "develop", "duty", "attain", "raise", "state" or "none".
        outcome: Whether the clause is about a pupil-data result (grades, scores, progress).
        proportion: The stated share of the actors: "none", "moderate", "high" (90% or more)
            or "all" (all, every, 100%).
        absolute: Whether an absolute word (all, every, always, never, 100%) is in the clause.
    """

    span: Span
    link: str
    actor: str
    verb: str | None
    verb_class: str
    outcome: bool
    proportion: str
    absolute: bool


def clauses(text: str) -> tuple[Clause, ...]:
    """Split *text* into clauses and read each: actor, verb, result, how absolute."""
    return _clauses(text[:MAX_CHARS])


@functools.lru_cache(maxsize=4096)
def _clauses(text: str) -> tuple[Clause, ...]:
    pieces: list[tuple[int, int, str]] = []
    lead = _TIME_LEAD.match(text)
    start, link = (lead.end() if lead else 0), "main"
    for match in _SPLIT.finditer(text, start):
        if match.start() > start:
            pieces.append((start, match.start(), link))
        kind = match.lastgroup or "stop"
        link = {"stop": "next", "comma": "and", "join": "and"}.get(kind, kind)
        start = match.end()
    if start < len(text):
        pieces.append((start, len(text), link))
    found: list[Clause] = []
    for begin, end, joined in pieces:
        clause = _read(text, begin, end, joined if found else "main")
        if clause is not None:
            found.append(clause)
    return tuple(found)


def _read(text: str, begin: int, end: int, link: str) -> Clause | None:
    piece = text[begin:end]
    if not _WORD.search(piece):
        return None
    lead = _LEAD.match(piece)
    at = lead.end() if lead else 0
    rest = piece[at:]
    if link == "measure":  # "as measured by MAP scores": an instrument, not an action
        actor, proportion, verb, verb_class = "none", "none", None, "none"
    else:
        actor, proportion, after = _actor(rest, link)
        verb, verb_class = _verb(rest[after:])
        counted = _COUNTED_ACTS.match(rest) if actor == "implicit" else None
        if counted is not None and verb_class != "do":
            verb, verb_class = counted.group().split()[-1].lower(), "do"
    if actor == "none" and verb_class != "none" and link in ("purpose", "means"):
        actor = "implicit"
    absolute = bool(_ABSOLUTE.search(piece))
    return Clause(
        span=(begin, end),
        link=link,
        actor=actor,
        verb=verb,
        verb_class=verb_class,
        outcome=bool(_OUTCOME.search(piece)),
        proportion=proportion,
        absolute=absolute,
    )


_OPENING_ADVERB = re.compile(
    r"(?:always|never|consistently|regularly|routinely|habitually|frequently|often|usually|"
    r"continually|constantly|actively|deliberately|explicitly|systematically)\s+(?=[a-z])",
    re.IGNORECASE,
)
"""An adverb opening an aim ("Always greet ...", "Never shout ..."): an imperative follows."""


def _actor(rest: str, link: str) -> tuple[str, str, int]:
    """Who acts in the clause *rest*, the proportion stated, and where the verb may start."""
    first = _WORD.match(rest)
    imperative = (
        (first is not None and _verb_class(first.group()) is not None)
        or _adverb_first(rest)
        or _to_action(rest)
        or _COUNTED_ACTS.match(rest) is not None  # "Twelve calls home": the person's own acts
    )
    for pattern, name in ((_PUPILS, "pupils"), (_OTHER_ACTORS, "others")):
        match = pattern.match(rest)
        if match is None or (imperative and not _MODAL.match(rest, match.end())):
            continue  # "Raise my pupils' scores": the person acts; "Support staff will": staff
        if _AFTER_SUBJECT.match(rest, match.end()) or _next_is_verb(rest, match.end()):
            return name, _proportion(match.group("prop")), match.end()
    # "30% to write their name": a share of pupils, the pupils unnamed; then I or we.
    for pattern, name in ((_SHARE, "pupils"), (_SELF, "self")):
        match = pattern.match(rest)
        if match:
            share = match.group("prop") if name == "pupils" else None
            return name, _proportion(share), match.end()
    match = _TO.match(rest)
    if match:
        return "implicit", "none", match.end()
    if imperative:
        return "implicit", "none", 0
    if first and link in ("and", "purpose", "means") and first.group().lower() in ("to",):
        return "implicit", "none", first.end()
    return "none", "none", 0


_COUNTED_ACTS = re.compile(
    rf"(?:\d{{1,3}}|{_NUMBER_WORDS}|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen)\s+(?:[\w-]+\s+){0,2}?(?:calls|visits|conversations|observations|"
    r"drop-ins|learning\s+walks|walkthroughs|postcards|letters|workshops|assemblies|meetings)\b",
    re.IGNORECASE,
)
"""An aim written as a count of acts ("Twelve calls home", "3 learning walks a term")."""


def _to_action(rest: str) -> bool:
    """Whether *rest* is an aim "To <concrete action> ..." ("To use the school's policy").

    Staff or pupils later in it are the action's object, not its actor.
    """
    to = _TO.match(rest)
    if to is None:
        return False
    verb = _WORD.match(rest, to.end())
    return verb is not None and _verb_class(verb.group()) == "do"


_MODAL = re.compile(r"\s+(?:will|to|should|must|can|shall|would)\b", re.IGNORECASE)
_SHARE = re.compile(
    r"(?P<prop>\d{1,3}(?:\.\d+)?\s*(?:%|per\s*cent\b|percent\b))\s+(?:will|to|should|must|can)\s",
    re.IGNORECASE,
)


def _next_is_verb(text: str, at: int) -> bool:
    following = _WORD.search(text, at, at + 40)
    if following is None:
        return False
    word = following.group().lower()
    return word not in _NOT_VERBS


_NOT_VERBS: Final = frozenset(
    [
        "of",
        "in",
        "with",
        "at",
        "for",
        "and",
        "or",
        "on",
        "from",
        "who",
        "that",
        "which",
        "whose",
        "the",
        "a",
        "an",
        "to",
        "by",
        "as",
        "into",
        "across",
    ]
)


def _adverb_first(rest: str) -> bool:
    """Whether *rest* is an imperative after an adverb ("Always greet pupils": the person acts)."""
    adverb = _OPENING_ADVERB.match(rest)
    if adverb is None:
        return False
    after = _WORD.match(rest, adverb.end())
    return after is not None and not _NOT_IMPERATIVE.fullmatch(after.group())


_NOT_IMPERATIVE: Final = re.compile(
    rf"(?:i|we|my|our|the|a|an|is|are|was|were|will|{_PUPIL}|{_OTHERS})", re.IGNORECASE
)
"""Words after an opening adverb that are no imperative verb ("Often pupils will ...")."""


def _proportion(prop: str | None) -> str:
    if not prop:
        return "none"
    low = prop.lower()
    if re.search(r"\b(?:all|every|each)\b|100|hundred", low):
        return "all"
    if _HIGH_WORDS.search(low):
        return "high"
    figure = _FIGURE.search(low)
    if figure and _number(figure.group(1)) >= 90:
        return "high"
    return "moderate"


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


_BETTER = re.compile(r"\s+(?:better|more|to\s+know|to\s+grips)\b", re.IGNORECASE)


_REACH_OUT = re.compile(r"reach(?:es|ed|ing)?\s+out\b", re.IGNORECASE)
_CONTINUE_TO = re.compile(
    r"(?:continu(?:e|es|ing)|work(?:s|ing)?\s+hard(?:er)?)\s+to\s+(?=[a-z])", re.IGNORECASE
)


def _verb(rest: str) -> tuple[str | None, str]:
    """The first known verb in the first few words of *rest*, and its class."""
    adverb = _OPENING_ADVERB.match(rest)
    if adverb is not None:  # "Always greet pupils": the word after the adverb is the verb
        word = rest[adverb.end() :].split(None, 1)[0].strip(".,;:!?").lower()
        if _WORD.fullmatch(word) and _verb_class(word) is None:
            return word, "do"
        rest = rest[adverb.end() :]
    for match in _WORD.finditer(rest[:80]):
        word = match.group()
        found = _verb_class(word)
        if found == "develop" and _CONTINUE_TO.match(rest, match.start()):
            continue  # "continue to run the club", "work hard to run it": the verb is "run"
        if found == "attain" and _REACH_OUT.match(rest, match.start()):
            return word.lower(), "do"  # "reach out to colleagues": contact them, not attain
        if found is not None and not (found == "state" and word.lower() in ("be", "have")):
            if found == "state" and _BETTER.match(rest, match.end()):
                return word.lower(), "develop"
            return word.lower(), found
    return None, "none"


CLAUSE_SIGNALS: Final = {
    "c.acts": "the person doing a concrete action",
    "c.acts_for_pupils": "a concrete action of the person's for named pupils",
    "c.only_develop": "only a general development verb for what the person will do",
    "c.duty": "oversight or duty verbs (ensure, monitor, manage) as the main action",
    "c.no_actor": "no one acting: an area of work rather than an action",
    "c.pupils_act": "pupils as the ones who act or achieve",
    "c.others_act": "other staff or the school as the ones who act",
    "c.pupil_result": "a pupil-data result as the aim",
    "c.result_only": "a pupil-data result with nothing the person will do",
    "c.result_by_means": "a pupil-data result with what the person will do for it",
    "c.implicit_all": "a pupil outcome with no stated share of pupils (all of them)",
    "c.share_moderate": "a stated share of pupils below 90%",
    "c.share_all": "all or nearly all pupils or staff (90% or more)",
    "c.self_absolute": "an absolute word about the person's own conduct (every, always)",
    "c.purpose": "an action with the purpose it serves",
    "c.clauses>=3": "several clauses or aims",
}
"""The clause signals and how findings describe them."""


def clause_signals(text: str) -> dict[str, Span | None]:
    """The clause-level signals present in *text*, each with the span of its clause."""
    return dict(_signals(text[:MAX_CHARS]))


@functools.lru_cache(maxsize=4096)
def _signals(text: str) -> tuple[tuple[str, Span | None], ...]:
    found: dict[str, Span | None] = {}
    parts = _clauses(text)
    if not parts:
        return ()

    def note(name: str, clause: Clause | None) -> None:
        if name not in found:
            found[name] = clause.span if clause is not None else None

    person = [c for c in parts if c.actor in ("self", "implicit")]
    acting = [c for c in person if c.verb_class == "do"]
    _whose_action(text, parts, person, acting, note)
    _who_else(parts, acting, note)
    _results(parts, acting, note)
    if len(parts) >= 3:
        note("c.clauses>=3", None)
    return tuple(found.items())


_Note = Callable[[str, "Clause | None"], None]


def _whose_action(
    text: str,
    parts: Sequence[Clause],
    person: Sequence[Clause],
    acting: Sequence[Clause],
    note: _Note,
) -> None:
    """What the person does: a concrete action (for pupils?), only development, a duty."""
    if acting:
        note("c.acts", acting[0])
        for c in acting:
            if _PUPIL_WORD.search(text, c.span[0], c.span[1]):
                note("c.acts_for_pupils", c)
    kinds = {c.verb_class for c in person}
    if person and not acting and "develop" in kinds and kinds <= {"develop", "none", "state"}:
        note("c.only_develop", person[0])
    main = parts[0]
    if main.actor in ("self", "implicit") and main.verb_class == "duty":
        note("c.duty", main)
    if main.actor == "none" and main.verb_class == "none" and len(parts) == 1:
        note("c.no_actor", main)


def _who_else(parts: Sequence[Clause], acting: Sequence[Clause], note: _Note) -> None:
    """Who else acts, what share of them, how absolute, and what the action is for."""
    for c in parts:
        if c.actor in ("pupils", "others"):
            note("c.pupils_act" if c.actor == "pupils" else "c.others_act", c)
            if c.proportion in ("all", "high"):
                note("c.share_all", c)
            elif c.proportion == "moderate":
                note("c.share_moderate", c)
        if c.actor in ("self", "implicit") and c.absolute:
            note("c.self_absolute", c)
        if c.link == "purpose" and acting:
            note("c.purpose", c)


def _results(parts: Sequence[Clause], acting: Sequence[Clause], note: _Note) -> None:
    """Pupil-data results as the aim: alone, with the person's action, for all pupils."""
    results = [
        c
        for c in parts
        if (c.actor == "pupils" and (c.outcome or c.verb_class in ("attain", "raise")))
        or (c.actor in ("self", "implicit", "none") and c.verb in _RAISING and c.outcome)
    ]
    if not results:
        return
    note("c.pupil_result", results[0])
    note("c.result_by_means" if acting else "c.result_only", results[0])
    for c in results:
        if c.actor == "pupils" and c.proportion == "none":
            note("c.implicit_all", c)


_PUPIL_WORD = re.compile(
    rf"\b(?:{_PUPIL}|class(?:es)?|groups?|sets?|year\s*\d+|y\d+|ks\d|reception|form|tutees)\b",
    re.IGNORECASE,
)
