"""The document model: validation, traversal, combining, and the JSON round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from devcycle import serialization
from devcycle.document import (
    Chart,
    ChartKind,
    Document,
    Field,
    Note,
    NoteKind,
    Paragraph,
    Section,
    Series,
    Table,
    combine,
)
from devcycle.render import render
from devcycle.render.json import loads
from devcycle.testing.renderer_contract import documents, every_element_document


def test_a_table_row_must_have_a_cell_per_column() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 cells but the table has 2 columns"):
        Table(("a", "b"), (("1", "2"), ("3",)))


def test_a_chart_needs_a_text_alternative_and_a_value_per_category() -> None:
    with pytest.raises(ValueError, match="'alt' must be non-empty text"):
        Chart("RAG", ("KS1",), (Series("Green", (1,)),), alt=" ")
    with pytest.raises(ValueError, match="has 1 values but there are 2 categories"):
        Chart("RAG", ("KS1", "KS2"), (Series("Green", (1,)),), alt="Alt.")
    with pytest.raises(ValueError, match="finite numbers"):
        Series("Green", (float("nan"),))
    with pytest.raises(ValueError, match="hex colour"):
        Series("Green", (1,), colour="red; background: url(x)")


def test_text_must_be_text() -> None:
    with pytest.raises(TypeError, match="'text' must be text"):
        Paragraph(42)  # type: ignore[arg-type]


def test_enums_accept_their_values() -> None:
    assert Note("n", kind="warning").kind is NoteKind.WARNING  # type: ignore[arg-type]
    chart = Chart("c", ("a",), (Series("s", (1,)),), alt="Alt.", kind="stacked_bar")  # type: ignore[arg-type]
    assert chart.kind is ChartKind.STACKED_BAR


def test_a_chart_gives_its_data_as_a_table() -> None:
    chart = Chart("Hours", ("CPD", "Meetings"), (Series("Hours", (12, 2.5)),), alt="Alt.", unit="h")

    table = chart.as_table()

    assert table.columns == ("", "Hours")
    assert table.rows == (("CPD", "12"), ("Meetings", "2.5"))
    assert table.caption == "Hours (h)"
    assert chart.maximum == 12


def test_walk_visits_nested_blocks_in_document_order() -> None:
    document = Document(
        "T", body=(Section("A", (Paragraph("1"), Section("B", (Paragraph("2"),)))), Paragraph("3"))
    )

    order = [b.title if isinstance(b, Section) else b.text for b in document.walk()]  # type: ignore[union-attr]

    assert order == ["A", "1", "B", "2", "3"]
    assert [s.title for s in document.sections()] == ["A", "B"]


def test_hints_count_as_visible_text_only_on_blank_fields() -> None:
    document = Document("T", body=(Field("Filled", "yes", hint="H1"), Field("Blank", hint="H2")))

    texts = set(document.texts())

    assert "H2" in texts
    assert "H1" not in texts


def test_combine_puts_each_document_on_a_new_page() -> None:
    one = Document(
        "Final review", subtitle="Anna", header=(Field("School", "Oak"),), audience="reviewer"
    )
    two = Document("Final review", subtitle="Sam", body=(Paragraph("x"),), audience="reviewer")

    combined = combine([one, two], title="KS2")

    assert [s.title for s in combined.body] == ["Final review - Anna", "Final review - Sam"]  # type: ignore[union-attr]
    assert [s.new_page for s in combined.body] == [False, True]  # type: ignore[union-attr]
    assert combined.audience == "reviewer"
    assert combine([], title="Nobody").body == ()


def test_the_serialization_module_round_trips_a_document_once_registered() -> None:
    document = every_element_document()
    render(document, "json")  # registers the "document" kind

    assert serialization.loads(serialization.dumps(document), Document) == document


@settings(max_examples=30)
@given(documents())
def test_any_document_round_trips_through_json(document: Document) -> None:
    assert loads(render(document, "json")) == document


def test_loading_a_bad_document_lists_every_problem() -> None:
    from devcycle.errors import ValidationError

    bad = (
        '{"kind": "document", "schema_version": 1,'
        ' "data": {"title": "", "body": [{"type": "nope"}]}}'
    )

    with pytest.raises(ValidationError) as caught:
        loads(bad)

    assert any("$.data" in problem for problem in caught.value.problems)


def test_the_trusted_builders_set_slots_and_refuse_a_name_that_is_not_one() -> None:
    """`slot_setter`, which the trusted builders and copies use, takes only real slots."""
    from devcycle.domain._validate import slot_setter

    block = object.__new__(Paragraph)
    slot_setter(Paragraph, "text")(block, "Set past the frozen class.")
    assert block.text == "Set past the frozen class."
    with pytest.raises(TypeError, match="not a slot"):
        slot_setter(Paragraph, "no_such_field")
