"""The training plan nets out what recorded CPD gave, and groups needs by meaning (issue 11)."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from tests.reports import school

from devcycle.document import Table
from devcycle.domain import CPDActivity, CPDKind, ObservationKind
from devcycle.reports import NeedLexicon, NeedsPolicy, ReportData, needs


def _with(data: ReportData, *activities: CPDActivity) -> ReportData:
    return attrs.evolve(data, cpd=(*data.cpd, *activities))


def _inset(title: str, on: date, *attendees: str, activity_id: str = "inset-q") -> CPDActivity:
    return CPDActivity(
        id=activity_id,
        school_id="lb",
        title=title,
        kind=CPDKind.INSET,
        start=on,
        hours=2.0,
        attendee_ids=attendees,
    )


def test_an_inset_attended_by_everyone_who_needed_it_takes_the_need_out_of_the_plan() -> None:
    """A (observed 5 Nov) and B (review 1 Oct) needed questioning; both attended the INSET."""
    data = _with(
        school.build(), _inset("INSET: effective questioning", date(2026, 11, 20), "A", "B")
    )

    report = needs(data, as_of=school.AS_OF)

    assert [p.need for p in report.plan] == ["Feedback"]
    assert "questioning" not in [n.key for n in report.needs]
    assert [(n.key, n.met) for n in report.met] == [
        ("questioning", (("A", "inset-q"), ("B", "inset-q")))
    ]
    assert dict(report.person_counts)[("lb", "A")] == 2


def test_a_need_is_netted_only_for_those_who_attended() -> None:
    """Only A attended: the need stays for B alone, as individual CPD."""
    data = _with(school.build(), _inset("Questioning twilight", date(2026, 11, 20), "A"))

    report = needs(data, as_of=school.AS_OF)
    need = next(n for n in report.needs if n.key == "questioning")

    assert need.staff_ids == ("B",)
    assert need.met == (("A", "inset-q"),)
    assert ("individual", "Questioning", "Ben Bell") in [
        (p.level, p.need, p.audience) for p in report.plan
    ]


def test_needs_met_are_shown_by_the_names_of_people_and_activities() -> None:
    """The document names who attended and what, not their ids (the result keeps both)."""
    data = _with(school.build(), _inset("Questioning twilight", date(2026, 11, 20), "A"))

    report = needs(data, as_of=school.AS_OF)
    need = next(n for n in report.needs if n.key == "questioning")
    (section,) = [s for s in report.to_document().sections() if s.id == "met"]
    (table,) = [b for b in section.blocks if isinstance(b, Table)]

    assert need.met_names == (("Ann Able", "Questioning twilight"),)
    assert table.rows == (("Questioning", "Ann Able", "Questioning twilight"),)


def test_cpd_before_the_need_was_recorded_does_not_meet_it() -> None:
    """B's need was recorded on 1 October, A's on 5 November: a mid-October INSET met B's only."""
    data = _with(school.build(), _inset("Questioning", date(2026, 10, 15), "A", "B"))

    report = needs(data, as_of=school.AS_OF)
    need = next(n for n in report.needs if n.key == "questioning")

    assert need.staff_ids == ("A",)
    assert need.met == (("B", "inset-q"),)


def test_cpd_after_the_as_of_date_does_not_meet_it_yet() -> None:
    """An INSET booked for March has not happened on 1 February."""
    data = _with(school.build(), _inset("Questioning", date(2027, 3, 1), "A", "B"))

    report = needs(data, as_of=school.AS_OF)

    assert next(n for n in report.needs if n.key == "questioning").staff_ids == ("A", "B")
    assert report.met == ()


def test_cpd_on_another_theme_does_not_meet_it() -> None:
    """The behaviour INSET (cpd-3) and a feedback course leave questioning in the plan."""
    data = _with(school.build(), _inset("Feedback and marking", date(2026, 11, 20), "A", "B"))

    report = needs(data, as_of=school.AS_OF)

    assert [n.key for n in report.met] == ["feedback"]
    assert ("team", "Questioning", "Upper school") in [
        (p.level, p.need, p.audience) for p in report.plan
    ]


def test_netting_can_be_turned_off() -> None:
    """With net_recorded_cpd=False the plan is as it was before any CPD."""
    data = _with(school.build(), _inset("Questioning", date(2026, 11, 20), "A", "B"))

    report = needs(data, as_of=school.AS_OF, policy=NeedsPolicy(net_recorded_cpd=False))

    assert [p.need for p in report.plan] == ["Questioning", "Feedback"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Questioning", "use of questioning"),
        ("Questioning", "Asking better questions"),
        ("Questioning skills", "effective questioning techniques"),
        ("Behaviour management", "managing behavior"),
        ("Differentiation", "Adaptive teaching"),
        ("Marking and feedback", "Feedback"),
        ("Assessment for learning", "checking for understanding"),
        ("Subject knowledge (maths)", "maths subject knowledge"),
    ],
)
def test_needs_that_mean_the_same_are_one_need(one: str, other: str) -> None:
    """Wording, plurals, American spelling and synonyms do not split a need."""
    lexicon = NeedLexicon.builtin()

    assert lexicon.key(one) == lexicon.key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Questioning", "Feedback"),
        ("Behaviour", "Reading"),
        ("Phonics", "Questioning and phonics"),
    ],
)
def test_needs_that_differ_stay_apart(one: str, other: str) -> None:
    """Different concepts make different needs."""
    lexicon = NeedLexicon.builtin()

    assert lexicon.key(one) != lexicon.key(other)


def test_needs_worded_differently_are_grouped_in_the_report() -> None:
    """C's observation asks for "use of questioning": it joins A's and B's need."""
    data = school.build()
    cycle = next(c for c in data.cycles if c.staff_id == "C")
    cycle.record_observation(
        by="B",
        on=date(2026, 11, 10),
        kind=ObservationKind.LESSON,
        focus="Questioning",
        minutes=20,
        cpd_needs=["Use of questioning"],
    )

    report = needs(data, as_of=school.AS_OF)

    need = next(n for n in report.needs if n.key == "questioning")
    assert need.staff_ids == ("A", "B", "C")
    assert need.text == "Questioning"


def test_a_school_can_extend_the_lexicon() -> None:
    """A school's own synonym joins two needs the built-in lexicon keeps apart."""
    lexicon = NeedLexicon.builtin().extended({"questioning": ["socratic dialogue"]})

    assert lexicon.key("Socratic dialogue") == lexicon.key("Questioning")
    assert NeedLexicon.builtin().key("Socratic dialogue") != lexicon.key("Questioning")


def test_a_malformed_lexicon_table_is_refused_with_its_path() -> None:
    """A concept that is not a list of strings names where it is."""
    with pytest.raises(ValueError, match=r"\$\.concepts\.questioning"):
        NeedLexicon.from_table({"concepts": {"questioning": "ask"}, "filler": {}})
