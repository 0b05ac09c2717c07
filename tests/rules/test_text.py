"""Text analysis: the time expressions the issue lists, dates, and lexicon matching."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devcycle.rules import Analysis, Lexicons, check, dates_in
from devcycle.rules import text as text_module
from devcycle.rules.text import MAX_CHARS

TIME_BOUND = [
    "Run the group by 31/3/27.",
    "Run the group by Easter.",
    "Run the group by the end of the spring term.",
    "Run the group within this cycle.",
    "Run the group over the next two half-terms.",
    "Run the group during 2026-27.",
    "Run the group by the end of Year 10.",
    "Run the group from January to July.",
    "Run the group within this appraisal cycle.",
    "Run the group by 31 March 2027.",
    "Run the group before the February mocks.",
    "Run the group until May half term.",
    "Run the group this academic year.",
    "Run a six-week programme for the group from January.",
    "Run the group in summer 2027.",
    "Run the group by the first quarter of the year.",
    "Run the group before the second semester.",
    "Run the group by the third term.",
]
NOT_TIME_BOUND = [
    "Run the group termly.",
    "Run the group weekly.",
    "Run the group, starting in September.",
    "Reply to parents within two days.",
    "Run the group at the next inspection.",
    "Run the group every year.",
]


@pytest.mark.parametrize("text", TIME_BOUND)
def test_time_frames_in_every_form_are_time_bound(text: str) -> None:
    """Each way of writing a time frame with an end point counts."""
    assert check(text).time_bound


@pytest.mark.parametrize("text", NOT_TIME_BOUND)
def test_frequencies_and_open_starts_are_not_time_bound(text: str) -> None:
    """A bare frequency or a start with no end is not a time frame."""
    assert not check(text).time_bound


GERUND_AIMS = [
    "Creating a revision guide for my Year 11 class.",
    "Joining two after-school clubs by Christmas.",
    "Goal: Establishing seating plans for 9X.",
    "Observing three colleagues' Year 7 lessons this term. Sharing what I learn with the team.",
]


@pytest.mark.parametrize("text", GERUND_AIMS)
def test_an_aim_written_as_a_gerund_phrase_names_a_concrete_action(text: str) -> None:
    """An aim opening with "Creating a ..." names the action "create a ...", as its imperative."""
    result = check(text)

    assert "S102" not in {f.code for f in result.findings}
    assert Analysis(text, Lexicons.builtin()).spans("action")


@pytest.mark.parametrize("text", ["I am creating a guide.", "Keen on running."])
def test_a_gerund_after_a_word_is_not_an_opening_action(text: str) -> None:
    """Only an -ing phrase that opens the aim, a sentence or a bullet reads as its action."""
    spans = Analysis(text, Lexicons.builtin()).spans("action")

    assert not any(text[a:b].lower().endswith("ing") for a, b in spans)


CONCRETE_VERB_AIMS = [
    "Incorporate a retrieval starter into each Year 8 lesson.",
    "Integrate reading comprehension into the Year 9 science scheme.",
    "Scaffold extended answers in 10X history.",
    "Dedicate one tutor time a week to reading with 7C.",
    "Renew the wall charts in the Reception classroom.",
    "Keep the department's shared calendar up to date.",
    "Be the staff rep on the curriculum committee.",
    "Request a termly slot at the faculty meeting.",
    "Reach out to the parents of 9X about homework.",
    "I am committing myself to visiting two colleagues' lessons.",
    "Cover lessons for absent colleagues in the English department.",
]


@pytest.mark.parametrize("text", CONCRETE_VERB_AIMS)
def test_concrete_verbs_the_clause_reader_knows_are_concrete_actions(text: str) -> None:
    """Incorporate, integrate, scaffold, dedicate, renew, keep ... up to date and taking a named
    role are things a reader can picture someone doing: no "no concrete action" finding."""
    assert "S102" not in {f.code for f in check(text).findings}
    assert Analysis(text, Lexicons.builtin()).spans("action")


@pytest.mark.parametrize(
    "text",
    [
        "Continue to run the Year 7 reading club.",
        "I will continue to coach the Year 9 netball team.",
        "Work hard to integrate the new reading software into Year 7 lessons.",
    ],
)
def test_continuing_a_concrete_action_is_not_a_vague_aim(text: str) -> None:
    """ "Continue to run the club" says what will be done; only "continue to" before a
    development verb (or nothing concrete) is the vague aim."""
    assert "S101" not in {f.code for f in check(text).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Continue to develop my questioning.",
        "Continue to grow as a teacher.",
        "Work hard to improve my teaching.",
    ],
)
def test_continuing_to_develop_is_still_a_vague_aim(text: str) -> None:
    assert "S101" in {f.code for f in check(text).findings}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("by 31/3/27", date(2027, 3, 31)),
        ("by 31.03.2027", date(2027, 3, 31)),
        ("by 2027-03-31.", date(2027, 3, 31)),
        ("by 31 March 2027", date(2027, 3, 31)),
        ("by 1st December", date(2026, 12, 1)),
        ("by July 2027", date(2027, 7, 31)),
        ("by February 2028", date(2028, 2, 29)),
    ],
)
def test_dates_in_text(text: str, expected: date) -> None:
    """Dates are read day first, with the given year when the text has none."""
    assert [d for _span, d in dates_in(text, today_year=2026)] == [expected]


def test_impossible_dates_are_ignored() -> None:
    """31/2/27 is not a date."""
    assert dates_in("by 31/2/27 or 99/99/9999") == ()


def test_lexicon_additions_are_literal_and_apostrophe_tolerant() -> None:
    """School additions match as words, with straight or curly apostrophes."""
    lexicons = Lexicons({"x": []}).extended({"x": ["head's office"]})

    assert Analysis("Tidy the head\u2019s office.", lexicons).spans("x") == ((9, 22),)
    assert Analysis("Tidy the heads office.", lexicons).spans("x") == ()


def test_every_builtin_lexicon_compiles() -> None:
    """The shipped lexicons are valid patterns."""
    lexicons = Lexicons.builtin()

    assert all(lexicons.compiled(name) is not None for name in lexicons.names)


# Our own fragments, written for this test: lexicon phrases, figures, punctuation, other
# scripts and letters whose case folds to ASCII (the Kelvin sign, the long s).
_FRAGMENTS = st.sampled_from(
    [
        "improve",
        "my Year 9 class",
        "80%",
        "all pupils",
        "by Easter",
        "each week",
        "Creating a",
        "by joining",
        "- Joining",
        "x%",
        "[insert subject]",
        "…",
        "grade 5+",
        "2-year",
        "drop-ins",
        "attendance to 96%",
        "\u212a",
        "\u017f",
        "\u00e9l\u00e8ves",
        "\u0663\u0660",
        "_",
        "-",
        "'",
        "\n",
    ]
)
_TEXTS = st.one_of(
    st.text(max_size=60),
    st.lists(st.one_of(_FRAGMENTS, st.text(max_size=4)), max_size=14).map(" ".join),
    st.lists(_FRAGMENTS, max_size=14).map("".join),
)


def _whole_scan(lexicons: Lexicons, name: str, text: str) -> tuple[tuple[int, int], ...]:
    pattern = lexicons.compiled(name)
    if pattern is None:
        return ()
    return tuple(m.span() for m in pattern.finditer(text[:MAX_CHARS]) if m.end() > m.start())


_SCANNED = Lexicons.builtin().extended({"focus": ["Year 7 (set 3)"], "own_terms": ["E.L.S.A."]})


@given(_TEXTS)
def test_the_one_pass_scanner_finds_what_each_lexicon_finds(text: str) -> None:
    """After the warm-up, every lexicon's matches are found in one pass: exactly the same."""
    _SCANNED._scans = text_module.WARM_UP  # past the warm-up: use the one-pass scanner
    analysis = Analysis(text, _SCANNED, every=True)
    for name in _SCANNED.names:
        assert analysis.spans(name) == _whole_scan(_SCANNED, name, text), name
    assert isinstance(_SCANNED._scanner, text_module._Scanner)


def test_a_lexicon_the_scanner_cannot_split_is_scanned_on_its_own() -> None:
    """A phrase that can match nothing at all, or has a group, leaves the one-pass scanner out."""
    for odd in ({"odd": ["(?:x)?"]}, {"odd": ["(a)b"]}):
        lexicons = Lexicons({**{n: Lexicons.builtin().patterns(n) for n in ("vague",)}, **odd})
        lexicons._scans = text_module.WARM_UP
        analysis = Analysis("Improve ab x my teaching", lexicons, every=True)
        assert analysis.spans("vague") == _whole_scan(lexicons, "vague", analysis.text)
        assert lexicons._scanner is None
