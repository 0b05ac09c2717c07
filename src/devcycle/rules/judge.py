"""The judge: weigh an objective's signals per criterion, as a careful human rater would.

Rules find particular faults ("no time frame", "a feeling, not a measure"). Real objectives are
written in more ways than rules anticipate, so the verdicts are decided by weighing every
signal together: which words of each kind the statement uses (the lexicons under
``devcycle/rules/lexicons/``), which built-in rules fire on it, and a few facts about its shape
(how long, how many aims, numbers and percentages, the owner's role). Each criterion has a
linear model over those signals: a bias plus one weight per signal, fitted on labelled
objectives and shipped as data (``judge.json``). A verdict is negative when the sum is below
zero; the signals that pushed it there name the reason.

It is deterministic, pure Python and fast: a statement's signals are a set of names, and a
score is a sum of a few dozen numbers. Structure still wins over text: the engine applies a
deadline field, success criteria and evidence sources after the judge.
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Final

import attrs

from devcycle.rules._features import (
    has_measure,
    has_named_approach,
    has_time,
    outcome_target_spans,
)
from devcycle.rules.clauses import CLAUSE_SIGNALS, clause_signals
from devcycle.rules.conventions import CONVENTIONS, every_reading
from devcycle.rules.text import MAX_CHARS, Lexicons, Span, dates_in

if TYPE_CHECKING:
    from devcycle.rules.config import CheckConfig
    from devcycle.rules.registry import Rule
    from devcycle.rules.subject import Subject

__all__ = [
    "ALL",
    "CONVENTIONS",
    "FITTED",
    "JUDGED",
    "LABELS",
    "OVERALL",
    "Judgement",
    "Model",
    "describe",
    "judge",
    "signals",
]

LABELS: Final = ("specific", "measurable", "achievable", "relevant", "time_bound", "data_target")
"""What the judge decides: the five SMART criteria and whether it is a bare data target."""

SMART_LABELS: Final = LABELS[:5]

OVERALL: Final = "good"
"""The judge's model of the whole verdict: good (all five criteria hold, not a data target).

A careful reader sees a good objective as a whole before ticking each criterion. Where this
model holds an objective good, the data-target model does not call it a bare data target and
only one SMART criterion is in doubt, that criterion holds (decisive rules and the objective's
structure still apply afterwards).
"""

FITTED: Final = (*LABELS, OVERALL)
"""Every label the judge has a model for: the six it decides and the overall verdict."""

JUDGED: Final = {
    "specific": "S190",
    "measurable": "M290",
    "achievable": "A390",
    "relevant": "R490",
    "time_bound": "T590",
    "data_target": "P690",
}
"""The code of the rule that reports the judge's verdict on each label."""

_PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"[.!?;]\s+\S|\n\s*\S|(?:^|\s)[-*\u2022]\s")
_AND = re.compile(r"\b(?:and|as\s+well\s+as|also)\b", re.IGNORECASE)
_START_TO = re.compile(r"^\W*to\s", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_LEAD = re.compile(
    r"^\W*(?:(?:by|in|over|during|within|before|after|from|until|this|next|each|every|for|"
    r"throughout|across)\b[^,:;]{0,60}[,:;]\s*|[A-Za-z0-9 ]{1,20}:\s+)?",
    re.IGNORECASE,
)
_STARTS: Final = (
    ("d.start.self", re.compile(r"(?:i|we)\b", re.IGNORECASE)),
    ("d.start.to", re.compile(r"to\s", re.IGNORECASE)),
    (
        "d.start.figure",
        re.compile(r"(?:\d|x\s*%|x\s+per|one\s+hundred|[a-z]+\s+per\s?cent)", re.IGNORECASE),
    ),
    (
        "d.start.pupils",
        re.compile(
            r"(?:(?:all|the|my|our|every|each|most|more|fewer|[a-z]+\s+grade|year\s+\d+|ks\d)\s+)*"
            r"(?:\w+\s+){0,2}?(?:pupils?|students?|children|learners|boys|girls)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "d.start.others",
        re.compile(
            r"(?:the\s+|all\s+|our\s+)?(?:staff|teachers|colleagues|department|school|team|"
            r"faculty|trust|governors|parents|leaders)\b",
            re.IGNORECASE,
        ),
    ),
)
_ING = re.compile(r"[a-z]+ing\b", re.IGNORECASE)
_BE_AIM = re.compile(
    r"^\W*(?:(?:i|we)\s+(?:will|want\s+to|would\s+like\s+to|need\s+to|must|aim\s+to|pledge\s+to|"
    r"hope\s+to|plan\s+to)\s+|to\s+|my\s+(?:goal|aim)\s+is\s+to\s+)?"
    r"(?:be|become|stay|remain|feel|keep\s+being|have\s+(?:a|more|high|higher|less)|not\s+|"
    r"don'?t\s+|do\s+not\s+|won'?t\s+|never\s+|stop\s+|try\s+not)\b",
    re.IGNORECASE,
)
"""An aim to be, become or feel something, or not to do something: how dispositions open."""

_SHAPES: Final = {
    "d.words<=6": "a very short statement (six words or fewer)",
    "d.words<=12": "a short statement (twelve words or fewer)",
    "d.words<=20": "a statement of twenty words or fewer",
    "d.words>35": "a long statement (over 35 words)",
    "d.sentences>1": "more than one sentence or bullet",
    "d.and>=2": "several aims joined by 'and'",
    "d.starts_to": "an aim written as 'To ...'",
    "d.be_aim": "an aim to be, feel or not do something (a disposition)",
    "d.number": "a number",
    "d.percent": "a percentage",
    "d.high_percent": "a percentage of 90 or more",
    "d.date": "a calendar date",
    "d.measure": "a measure (a number, deliverable, success criteria or evidence source)",
    "d.time": "a deadline or time frame with an end",
    "d.approach": "a named practice and who or what it is for",
    "d.outcome_target": "a pupil-outcome figure (grades, progress, attendance with a number)",
    "d.role.none": "no role given",
    "d.start.self": "an aim opening with I or we",
    "d.start.to": "an aim opening with 'To'",
    "d.start.figure": "an aim opening with a figure",
    "d.start.pupils": "an aim about pupils rather than the person's action",
    "d.start.others": "an aim about other staff or the school",
    "d.start.ing": "an aim opening with an -ing phrase",
    "d.start.verb": "an aim opening with what the person will do",
    "d.start.other": "an aim opening with a noun phrase (an area, not an action)",
}
"""Signals about the statement's shape, with how findings describe them."""

_LEXICON_WORDS: Final = {
    "vague": "a vague aim",
    "career": "a career step or qualification",
    "pupils": "pupils named as who it is for",
    "action": "a concrete action",
    "practice": "a named classroom practice",
    "generic_approach": "a generic approach",
    "focus": "a named focus (pupils, a group, a subject)",
    "approach_clause": "how it will be done",
    "need": "a named pupil need",
    "quantity": "a number or threshold",
    "success": "success criteria",
    "evidence": "an evidence source",
    "deliverable": "a deliverable",
    "single_output": "a single event or output (organise a ..., present a ...)",
    "affective": "a feeling rather than a measure",
    "placeholder": "a placeholder",
    "coverage": "coverage of a whole set",
    "evaluative": "an evaluative word",
    "binary": "a yes-or-no outcome",
    "outcome": "a pupil-outcome measure",
    "outcome_generic": "a general outcome word (results, attainment)",
    "universal": "an all-pupils or 100% target",
    "outside_control": "something outside the person's control",
    "others_results": "other people's results",
    "attendance_target": "an attendance target",
    "absurd": "an unrealistic scale",
    "trivial": "a goal unrelated to the role",
    "pay": "pay or progression",
    "learning": "pupils' learning or teaching",
    "whole_school": "a whole-school scope",
    "deadline": "a deadline",
    "time_frame": "a time frame",
    "frequency": "a frequency (how often, not by when)",
    "open_start": "a start with no end",
    "j_pupils": "pupils",
    "j_group": "a named group, year or subject",
    "j_self": "the person's own work (I, my)",
    "j_develop": "a general development verb",
    "j_strategy": "a strategy or system to develop and monitor",
    "j_duty": "a job duty rather than a change",
    "j_disposition": "a disposition, wellbeing or career aim",
    "j_admin": "an administrative chore",
    "j_raise": "an aim to raise or improve",
    "j_others": "other people or the wider school",
    "j_absolute": "an absolute word (all, every, always)",
    "j_output": "a countable output",
    "j_slot": "a template slot or placeholder",
    "j_vague_measure": "a success word with no criteria",
    "j_period": "a period with no clear end",
    "j_pupil_subject": "pupils' results as the aim, not the person's action",
    "j_decided": "an outcome other people decide",
    "j_own": "the person's own class or pupils",
    "j_wellbeing": "wellbeing or personal feelings",
    "j_role_work": "the work of the role (planning, marking, colleagues, training)",
    "j_instrument": "a named instrument (a survey, test, log or observation)",
    "j_multiyear": "a span longer than one cycle",
    "no_topic": "an action with no topic (someone, as needed, a conference)",
}
"""How findings describe each lexicon signal (``w.<name>``)."""


_CONTENT: Final = frozenset(
    {"d.number", "d.date", "d.measure", "d.time", "d.approach"}
    | {
        "w." + name
        for name in (
            "action",
            "practice",
            "focus",
            "approach_clause",
            "need",
            "quantity",
            "success",
            "evidence",
            "deliverable",
            "single_output",
            "learning",
            "deadline",
            "time_frame",
            "j_group",
            "j_own",
            "j_instrument",
            "j_output",
        )
    }
    | {"c.acts_for_pupils"}
)
"""Signals a statement can be said to be missing: what a good objective has."""


_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)\b|[a-z]+(?:'[a-z]+)?")
"""A word, or an ordinal ("5th", read as the word "nth")."""
_BREAK = re.compile(r"[.;:!?\n\u2022]")
_STOPWORDS: Final = frozenset(
    """
    a an the of to and or in on for with by at as is are be been was were will would shall
    my our i we me us their they them its it this that these those from into so all each any
    can could than then have has had does do did which who what when how per his her your
    """.split()  # noqa: SIM905 - a word list reads better as words
)
"""Words too common to weigh on their own; never a ``u.`` signal."""

_KEEP_S: Final = frozenset(
    """
    always perhaps towards afterwards sometimes whereas news series lens yes thus less unless
    across besides
    """.split()  # noqa: SIM905 - a word list reads better as words
)
"""Words whose final s is not a plural."""


def _normal(token: str) -> str:
    """A word lightly normalised: no possessive, plural made singular ("tasks" -> "task")."""
    if token[0].isdigit():
        return "nth"
    word = token.removesuffix("'s")
    if word in _KEEP_S or len(word) <= 3:
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def word_signals(text: str) -> dict[str, Span]:
    """Return a ``u.<words>`` signal for each word and each pair of adjacent words of *text*.

    Words are lower-cased and lightly normalised (possessives dropped, plurals made singular).
    A single word is a signal unless it is a common function word ("the", "will") or one
    letter; a pair ("u.at least", "u.lesson study") unless both its words are common ones.
    Nothing longer than two words is ever a signal. The span is the first place in the text.
    The shipped model weighs only the words it was fitted on (seen in at least five objectives
    from at least three pages), so any other word is ignored.
    """
    found: dict[str, Span] = {}
    before: tuple[str, int, int] | None = None
    lowered = text.lower().replace("\u2019", "'")
    for match in _TOKEN.finditer(lowered):
        if before is not None and _BREAK.search(lowered, before[2], match.start()):
            before = None  # a pair never spans a sentence mark or a bullet
        word = _normal(match[0])
        common = word in _STOPWORDS
        if len(word) > 1 and not common:
            found.setdefault("u." + word, match.span())
        if before is not None and not (common and before[0] in _STOPWORDS):
            found.setdefault(f"u.{before[0]} {word}", (before[1], match.end()))
        before = (word, match.start(), match.end())
    return found


def describe(signal: str) -> str:
    """Return how findings describe *signal* ("w.quantity" -> "a number or threshold")."""
    convention = CONVENTIONS.get(signal)
    known = (
        _SHAPES.get(signal)
        or CLAUSE_SIGNALS.get(signal)
        or (convention.words if convention is not None else None)
    )
    if known is not None:
        return known
    kind, _, name = signal.partition(".")
    if kind == "u":
        return f"the words '{name}'" if " " in name else f"the word '{name}'"
    if kind == "w":
        return _LEXICON_WORDS.get(name, f"words of the kind '{name}'")
    if kind == "r":
        return _rule_words().get(name, f"rule {name}")
    if signal.startswith("d.role."):
        return f"the role '{signal.removeprefix('d.role.')}'"
    return signal


@functools.cache
def _rule_words() -> dict[str, str]:
    """Each built-in text rule in words: "no concrete action (S102)"."""
    from devcycle.rules.registry import meta_of  # noqa: PLC0415 - avoids a cycle

    return {
        code: f"{meta_of(item).symbol.replace('-', ' ')} ({code})" for code, item in _text_rules()
    }


_UNSAID: Final = ("d.words", "d.role.")
"""Signals that weigh in the model but are not a reason to give a person (length, role)."""


def _role_signal(subject: Subject) -> str:
    role = subject.role
    if role is None:
        return "d.role.none"
    value = role.value if hasattr(role, "value") else str(role)
    return "d.role." + "".join(c if c.isalnum() else "_" for c in str(value).lower())[:40]


def signals(subject: Subject, wanted: frozenset[str] | None = None) -> dict[str, Span | None]:
    """Return every signal present in *subject*'s statement, with a span where it has one.

    Signals are named ``w.<lexicon>`` (words of that kind appear), ``r.<code>`` (that built-in
    text rule fires), ``d.<fact>`` (a fact about the statement's shape or the owner's role),
    ``c.<fact>`` (read clause by clause), ``u.<word>`` (that single word appears) and
    ``k.<name>`` (one of the rubric's conventions applies: see `CONVENTIONS`; always
    computed, as they settle a label whatever the model weighs).
    Only the other signals in *wanted* are computed (default: those the shipped model weighs); pass
    `ALL` to compute every signal, as fitting does.
    """
    chosen = Model.shipped().signals if wanted is None else wanted
    found: dict[str, Span | None] = {}
    found.update(_words(subject, chosen))
    found.update(_rule_hits(subject, chosen))
    found.update(_shape(subject.analysis.text[:MAX_CHARS]))
    found.update(_derived(subject, chosen))
    found.update(_clause_hits(subject, chosen))
    found.update(_word_hits(subject.analysis.text[:MAX_CHARS], chosen))
    found[_role_signal(subject)] = None
    found.update(every_reading(subject.analysis, subject.role, found))
    if chosen is ALL:
        return found
    return {k: v for k, v in found.items() if k in chosen or k in CONVENTIONS}


def _words(subject: Subject, wanted: frozenset[str]) -> dict[str, Span | None]:
    a = subject.analysis
    found: dict[str, Span | None] = {}
    for name, signal in _weighed_lexicons(a.lexicons, wanted):
        spans = a.spans(name)
        if spans:
            found[signal] = spans[0]  # a lexicon's matches are in text order
    return found


@functools.lru_cache(maxsize=64)
def _weighed_lexicons(lexicons: Lexicons, wanted: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """The lexicons whose ``w.<name>`` signal is *wanted*, each with that signal."""
    return tuple((name, "w." + name) for name in lexicons.names if "w." + name in wanted)


def _rule_hits(subject: Subject, wanted: frozenset[str]) -> dict[str, Span | None]:
    found: dict[str, Span | None] = {}
    for code, item in _text_rules():
        if "r." + code in wanted:
            hits = subject.run(item)
            if hits:
                found["r." + code] = hits[0].span
    return found


def _shape(text: str) -> dict[str, Span | None]:
    words = len(_WORD.findall(text))
    facts = {
        "d.words<=6": words <= 6,
        "d.words<=12": words <= 12,
        "d.words<=20": words <= 20,
        "d.words>35": words > 35,
        "d.sentences>1": bool(_SENTENCE.search(text.strip())),
        "d.and>=2": len(_AND.findall(text)) >= 2,
        "d.starts_to": bool(_START_TO.search(text)),
        "d.be_aim": bool(_BE_AIM.search(text)),
        "d.number": bool(_DIGIT.search(text)),
    }
    found: dict[str, Span | None] = {key: None for key, present in facts.items() if present}
    found[_start(text)] = None
    percents = list(_PERCENT.finditer(text))
    if percents:
        found["d.percent"] = percents[0].span()
        high = [m for m in percents if _float(m[1]) >= 90]
        if high:
            found["d.high_percent"] = high[0].span()
    dated = dates_in(text)
    if dated:
        found["d.date"] = dated[0][0]
    return found


def _start(text: str) -> str:
    """How the aim opens, after any leading time phrase: who acts, or what kind of phrase."""
    lead = _LEAD.match(text)
    rest = text[lead.end() if lead else 0 :]
    for name, pattern in _STARTS:
        if pattern.match(rest):
            return name
    if _ING.match(rest):
        return "d.start.ing"
    first = rest.split(maxsplit=1)[0].lower() if rest.strip() else ""
    if first in _VERBS:
        return "d.start.verb"
    return "d.start.other"


_VERBS: Final = frozenset(
    """
    achieve adapt analyse analyze apply arrange attend audit be become build call check
    coach collaborate communicate complete consider contact continue contribute create
    deliver design develop differentiate do embed enable encourage engage enhance ensure
    establish evaluate explore extend find focus gain get give have help hold host identify
    implement improve incorporate increase integrate introduce investigate join keep launch
    lead learn log look lower maintain make manage map mark meet mentor model moderate
    monitor observe offer organise organize participate pass phone pilot plan prepare
    present produce promote provide publish raise read record redesign reduce refine reflect
    research review rewrite run seek set share strengthen study support take teach track
    train trial try undertake update use utilise utilize visit work write
    """.split()  # noqa: SIM905 - a word list reads better as words
)


def _derived(subject: Subject, wanted: frozenset[str]) -> dict[str, Span | None]:
    a = subject.analysis
    found: dict[str, Span | None] = {}
    tests = {"d.measure": has_measure, "d.time": has_time, "d.approach": has_named_approach}
    for key, test in tests.items():
        if key in wanted and test(a):
            found[key] = None
    if "d.outcome_target" in wanted:
        targets = outcome_target_spans(a)
        if targets:
            found["d.outcome_target"] = targets[0]
    return found


def _clause_hits(subject: Subject, wanted: frozenset[str]) -> dict[str, Span | None]:
    """Clause-level signals (``c.<fact>``): who acts in each clause, on what, how absolute."""
    if not any(s.startswith("c.") for s in wanted) and wanted is not ALL:
        return {}
    return clause_signals(subject.analysis.text)


def _word_hits(text: str, wanted: frozenset[str]) -> dict[str, Span | None]:
    """The words the model weighs (``u.<word>``), or every word when fitting."""
    if wanted is not ALL and not _weighs_words(wanted):
        return {}
    return {k: v for k, v in word_signals(text).items() if k in wanted}


@functools.lru_cache(maxsize=8)
def _weighs_words(wanted: frozenset[str]) -> bool:
    return any(s.startswith("u.") for s in wanted)


class _Everything(frozenset[str]):
    def __contains__(self, item: object) -> bool:
        return True


ALL: Final[frozenset[str]] = _Everything()
"""Pass as *wanted* to `signals` to compute every signal (for fitting a model)."""


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


@functools.cache
def _text_rules() -> tuple[tuple[str, Rule], ...]:
    from devcycle.rules.registry import RuleSet, meta_of  # noqa: PLC0415 - avoids a cycle

    found = []
    for item in RuleSet.builtin():
        meta = meta_of(item)
        if not meta.needs_context and meta.code not in JUDGED.values():
            found.append((meta.code, item))
    return tuple(found)


@attrs.frozen(eq=False)
class Model:
    """Per label, a bias and one weight per signal: the judge's whole knowledge, as data.

    Attributes:
        weights: Label -> signal -> weight (a positive weight argues for the label).
        biases: Label -> the score of a statement with no signals at all.
        about: Where the weights came from (corpora, regularisation), for the docs.
    """

    weights: Mapping[str, Mapping[str, float]]
    biases: Mapping[str, float]
    about: str = ""

    @classmethod
    def shipped(cls) -> Model:
        """Return the model shipped with devcycle (``devcycle/rules/judge.json``)."""
        return _shipped()

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Model:
        """Build a model from its JSON form (``{"labels": {label: {"bias", "weights"}}}``)."""
        labels = data.get("labels")
        if not isinstance(labels, Mapping):
            msg = "a judge model needs a 'labels' table"
            raise ValueError(msg)
        weights: dict[str, dict[str, float]] = {}
        biases: dict[str, float] = {}
        for label in LABELS:
            entry = labels.get(label)
            if not isinstance(entry, Mapping):
                msg = f"a judge model needs weights for '{label}'"
                raise ValueError(msg)
            raw = entry.get("weights", {})
            if not isinstance(raw, Mapping):
                msg = f"judge model: '{label}.weights' must be a table"
                raise ValueError(msg)
            weights[label] = {str(k): float(v) for k, v in raw.items()}
            biases[label] = float(entry.get("bias", 0.0))
        overall = labels.get(OVERALL)
        if isinstance(overall, Mapping) and isinstance(overall.get("weights", {}), Mapping):
            weights[OVERALL] = {str(k): float(v) for k, v in overall.get("weights", {}).items()}
            biases[OVERALL] = float(overall.get("bias", 0.0))
        return cls(weights=weights, biases=biases, about=str(data.get("about", "")))

    def to_dict(self) -> dict[str, object]:
        """Return the model in its JSON form (weights rounded to six places, sorted)."""
        return {
            "about": self.about,
            "labels": {
                label: {
                    "bias": round(self.biases[label], 6),
                    "weights": {
                        k: round(v, 6)
                        for k, v in sorted(self.weights[label].items())
                        if round(v, 6) != 0
                    },
                }
                for label in FITTED
                if label in self.weights
            },
        }

    @functools.cached_property
    def signals(self) -> frozenset[str]:
        """Every signal some label weighs."""
        return frozenset(s for table in self.weights.values() for s in table)

    def score(self, label: str, present: Iterable[str]) -> float:
        """Return *label*'s score for the *present* signals (positive: the label holds)."""
        table = self.weights[label]
        # Only the weighed signals: fsum is exact, so leaving out the zeros changes nothing.
        return self.biases[label] + math.fsum([table[s] for s in present if s in table])

    @functools.cached_property
    def wanted(self) -> Mapping[str, tuple[str, ...]]:
        """Per label, the content signals that argue for it, strongest first (see `missing`)."""
        return {
            label: tuple(
                s for _w, s in sorted((-w, s) for s, w in table.items() if w > 0) if s in _CONTENT
            )
            for label, table in self.weights.items()
        }

    def scores(self, present: Iterable[str]) -> dict[str, float]:
        """Return every label's score for the *present* signals (the overall one if modelled)."""
        chosen = tuple(present)
        return {label: self.score(label, chosen) for label in FITTED if label in self.weights}


def decide(scores: Mapping[str, float], present: Iterable[str] = ()) -> dict[str, bool]:
    """The six labels' verdicts from their scores, the rubric's conventions and the whole.

    A label holds when its score is positive, unless one of the rubric's conventions
    (`CONVENTIONS`, a ``k.<name>`` signal in *present*) settles it. Where the overall model
    holds the objective good, it is not judged a bare data target and exactly one SMART
    criterion is in doubt (its score not positive, and no convention settled it), that
    criterion holds too: the whole outweighs one doubtful part, never a convention.
    """
    verdicts = {label: scores[label] > 0 for label in LABELS}
    settled = set()
    given = frozenset(present)
    for signal, convention in CONVENTIONS.items():  # in the table's order: a later one wins
        if signal in given and convention.label in verdicts:
            verdicts[convention.label] = convention.holds
            settled.add(convention.label)
    doubted = [label for label in SMART_LABELS if not verdicts[label]]
    if (
        len(doubted) == 1
        and doubted[0] not in settled
        and scores.get(OVERALL, 0.0) > 0
        and not verdicts["data_target"]
    ):
        verdicts[doubted[0]] = True
    return verdicts


@functools.cache
def _shipped() -> Model:
    text = resources.files("devcycle.rules").joinpath("judge.json").read_text(encoding="utf-8")
    return Model.from_dict(json.loads(text))


@attrs.frozen
class Judgement:
    """The judge's decision on one statement: a verdict and its reasons per label.

    Attributes:
        scores: Label -> score (positive: the label holds).
        present: The signals found, with spans where they have one.
    """

    scores: Mapping[str, float]
    present: Mapping[str, Span | None]
    model: Model = attrs.field(repr=False)
    verdicts: Mapping[str, bool] = attrs.field(repr=False)

    _explained: dict[str, tuple[Span | None, str]] = attrs.field(
        factory=dict, init=False, eq=False, hash=False, repr=False
    )

    @verdicts.default
    def _decided(self) -> Mapping[str, bool]:
        return decide(self.scores, self.present)

    def explain(self, label: str) -> tuple[Span | None, str]:
        """Return `span` and `reason` for *label*, worked out once per judgement.

        A judgement is remembered for every objective with the same statement and role, so
        its reasons are too: the judged rules report them for each such objective.
        """
        found = self._explained.get(label)
        if found is None:
            found = (self.span(label), self.reason(label))
            self._explained[label] = found
        return found

    def convention(self, label: str) -> str | None:
        """The signal of the rubric's convention that settled *label*, if one did.

        Where several apply, the one that decided: the last in `CONVENTIONS` (see `decide`).
        """
        for signal, found in reversed(tuple(CONVENTIONS.items())):
            if signal in self.present and found.label == label:
                return signal if found.holds == self.holds(label) else None
        return None

    def holds(self, label: str) -> bool:
        """Whether *label* holds: its score is positive, or the whole objective is judged good."""
        return self.verdicts[label]

    def against(self, label: str, *, limit: int = 2) -> tuple[str, ...]:
        """The present signals that argued most against *label*, strongest first.

        Single words (``u.<word>``) come after the hand-made signals: a reason names a kind of
        word, a rule or a clause reading where one argued, and a bare word only otherwise.
        """
        table = self.model.weights[label]
        pushing = sorted(
            (s.startswith("u."), table.get(s, 0.0), s)
            for s in self.present
            if table.get(s, 0.0) < 0 and not s.startswith(_UNSAID)
        )
        return tuple(s for _u, _w, s in pushing[:limit])

    def supporting(self, label: str, *, limit: int = 2) -> tuple[str, ...]:
        """The present signals that argued most for *label*, strongest first (words last)."""
        table = self.model.weights[label]
        pushing = sorted(
            (s.startswith("u."), -table.get(s, 0.0), s)
            for s in self.present
            if table.get(s, 0.0) > 0 and not s.startswith(_UNSAID)
        )
        return tuple(s for _u, _w, s in pushing[:limit])

    def missing(self, label: str, *, limit: int = 2) -> tuple[str, ...]:
        """The absent signals that would have argued most for *label*, strongest first."""
        present = self.present
        absent = (s for s in self.model.wanted[label] if s not in present)
        if limit < 0:  # a slice's meaning: all but the last few
            return tuple(absent)[:limit]
        return tuple(itertools.islice(absent, limit))

    def reason(self, label: str) -> str:
        """Say in words why *label* was decided as it was."""
        parts = []
        settled = self.convention(label)
        if settled is not None:
            parts.append("by the rubric's convention: " + describe(settled))
        against = self.against(label)
        if against:
            parts.append("weighed against: " + "; ".join(describe(s) for s in against))
        missing = self.missing(label)
        if missing:
            parts.append("missing: " + "; ".join(describe(s) for s in missing))
        return " - ".join(parts)

    def span(self, label: str) -> Span | None:
        """Where the strongest signal against *label* is in the statement, if it has a place."""
        settled = self.convention(label)
        if settled is not None and self.present.get(settled) is not None:
            return self.present[settled]
        for signal in self.against(label, limit=5):
            found = self.present.get(signal)
            if found is not None:
                return found
        return None


def judge(subject: Subject, model: Model | None = None) -> Judgement | None:
    """Judge *subject*'s statement; None for a blank statement (the rules say what is missing).

    The judge reads the statement as written, with the owner's role, as it was fitted: the
    structure (deadline, success criteria, evidence) is applied afterwards by the judged
    rules. So a judgement depends only on the text, the role, the configuration and the
    model, and is remembered for each (statement, role) checked recently.
    """
    if not subject.text.strip():
        return None
    role = subject.role
    role_name = None if role is None else str(getattr(role, "value", role))
    try:
        return _judged(subject.text, role_name, subject.config, model or Model.shipped())
    except TypeError:  # an unhashable configuration: judge without remembering
        return _judged.__wrapped__(
            subject.text, role_name, subject.config, model or Model.shipped()
        )


@functools.lru_cache(maxsize=16384)
def _judged(text: str, role: str | None, config: CheckConfig, model: Model) -> Judgement:
    from devcycle.rules.subject import CheckContext, Subject  # noqa: PLC0415 - a cycle

    bare = Subject(
        text=text,
        objective=None,
        context=CheckContext(role=role) if role is not None else None,
        config=config,
    )
    present = signals(bare, model.signals)
    return Judgement(scores=model.scores(present), present=present, model=model)
