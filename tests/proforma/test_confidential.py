"""Confidential content reaches only the audiences allowed to see it, in every stage and format."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.catalogues import framework
from devcycle.document import Document
from devcycle.domain import Audience, Confidential, Cycle
from devcycle.proforma import STAGES, build_proforma
from devcycle.render import get_renderer
from devcycle.testing import strategies as dst

from .school import AS_OF, CPD, PAY, PAY_READERS, SCHOOL, SECRETS, STAFF, WELLBEING, build_cycle

FORMATS = ("markdown", "html", "docx", "json")
TEACHERS = framework("england-teachers-standards")
CYCLE = build_cycle()


def _build(stage: str, audience: Audience, cycle: Cycle = CYCLE, as_of: date = AS_OF) -> Document:
    return build_proforma(
        cycle,
        stage,
        audience=audience,
        as_of=as_of,
        school=SCHOOL,
        staff=STAFF,
        cpd=CPD,
        framework=TEACHERS,
        check=False,
    )


def _visible_text(data: bytes, fmt: str) -> str:
    """Everything in the file a person or a program could read, markup and all."""
    if fmt != "docx":
        return data.decode("utf-8")
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", list(Audience))
def test_no_secret_reaches_an_audience_not_allowed_to_see_it(audience: Audience, fmt: str) -> None:
    renderer = get_renderer(fmt)
    for stage in STAGES:
        text = _visible_text(renderer.render(_build(stage, audience)), fmt)
        for secret, allowed in SECRETS.items():
            if audience not in allowed:
                assert secret not in text, (stage, audience, secret)
        if audience not in PAY_READERS:
            assert PAY not in text, (stage, audience)
        if audience not in (Audience.REVIEWEE, Audience.REVIEWER):
            assert WELLBEING not in text, (stage, audience)


@pytest.mark.parametrize("audience", list(Audience))
def test_allowed_audiences_do_see_their_secrets(audience: Audience) -> None:
    texts = "\n".join("\n".join(_build(stage, audience).texts()) for stage in ("planning", "final"))

    for secret, allowed in SECRETS.items():
        assert (secret in texts) == (audience in allowed), secret
    assert (PAY in texts) == (audience in PAY_READERS)


def test_the_pay_section_is_absent_where_the_policy_keeps_no_pay() -> None:
    school = attrs.evolve(SCHOOL, policy=attrs.evolve(SCHOOL.policy, pay_recommendations=False))
    cycle_without_pay = attrs.evolve(build_cycle(), pay_recommendations=False)

    assert "pay" in {s.id for s in _build("final", Audience.HEADTEACHER).sections()}
    document = build_proforma(
        cycle_without_pay,
        "final",
        audience="headteacher",
        as_of=AS_OF,
        school=school,
        staff=STAFF,
        check=False,
    )
    assert "pay" not in {s.id for s in document.sections()}
    assert PAY not in "\n".join(document.texts())


def test_confidential_sections_are_labelled_for_who_may_see_them() -> None:
    document = _build("planning", Audience.REVIEWER)

    notes = next(s for s in document.sections() if s.id == "private_notes")
    conversation = next(s for s in document.sections() if s.id == "conversation")
    assert "reviewer" in "\n".join(document.texts())
    assert conversation.restricted_to == ("reviewee", "reviewer")
    assert notes.blocks


def test_a_document_records_its_audience() -> None:
    assert _build("final", Audience.GOVERNORS_PANEL).audience == "governors_panel"


def test_the_audience_is_required() -> None:
    """Without an actor to follow from, an audience must be given: there is no default."""
    from devcycle.errors import ValidationError

    with pytest.raises(ValidationError, match="expected an audience, or an actor"):
        build_proforma(CYCLE, "final", as_of=AS_OF)


def test_an_unknown_audience_is_a_clear_error() -> None:
    from devcycle.errors import ValidationError

    with pytest.raises(ValidationError, match="reviewee, reviewer, headteacher, governors_panel"):
        build_proforma(CYCLE, "final", audience="parents", as_of=AS_OF)


@settings(max_examples=15)
@given(dst.cycles(), st.sampled_from(list(Audience)), st.sampled_from(STAGES))
def test_generated_cycles_never_leak_private_notes(
    cycle: Cycle, audience: Audience, stage: str
) -> None:
    reviews = []
    markers: dict[str, frozenset[Audience]] = {}
    for r, review in enumerate(cycle.reviews):
        notes = []
        for n, note in enumerate(review.private_notes):
            marker = f"MARKER-{r}-{n}-" + "-".join(sorted(a.value for a in note.audiences))
            markers[marker] = note.audiences
            notes.append(Confidential(marker, audiences=note.audiences))
        reviews.append(attrs.evolve(review, private_notes=tuple(notes)))
    marked = attrs.evolve(cycle, reviews=tuple(reviews), school_id=SCHOOL.id)
    document = _build(stage, audience, marked, as_of=cycle.period_end)
    text = get_renderer("markdown").render(document).decode() + "\n".join(document.texts())

    for marker, allowed in markers.items():
        if audience not in allowed:
            assert marker not in text
