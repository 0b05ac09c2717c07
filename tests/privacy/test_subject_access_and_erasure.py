"""Subject access and erasure on the demo school, checked against a scan of the whole store."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

import devcycle as dc
from devcycle.demo import build_demo
from devcycle.privacy import erase, scan, subject_access
from devcycle.render import render
from devcycle.reports import REPORT_NAMES, ReportData, run
from devcycle.storage.base import ALL_KINDS

_PERSON = "T006"  # Anna Patel: a teacher with a reviewer, observed, in CPD
_REVIEWER = "M004"  # Tom Brennan: reviews three people, observes, agrees objectives


@pytest.fixture
def demo_store() -> Iterator[dc.Store]:
    demo = build_demo()
    with dc.open_store("memory://") as store:
        store.clock = lambda: datetime(2027, 2, 14, 9, tzinfo=UTC)
        with store.transaction(by="system", role="system") as tx:
            tx.schools.add(demo.school)
            tx.staff.add_all(demo.staff)
            tx.cycles.add_all(demo.cycles)
            tx.cpd.add_all(demo.cpd)
            tx.commit()
        yield store


def _every_mention(store: dc.Store, school_id: str, needles: list[str]) -> set[tuple[str, str]]:
    """A scan independent of devcycle.privacy: raw text of every stored record."""
    found = set()
    session = store.begin(readonly=True)
    try:
        for kind in ALL_KINDS:
            for record in session.select(kind, school_id):
                text = record.document + " " + record.id
                for needle in needles:
                    if re.search(rf"(?<![A-Za-z0-9]){re.escape(needle)}(?![A-Za-z0-9])", text):
                        found.add((kind.name, record.id))
    finally:
        session.rollback()
        session.close()
    return found


def _totals(store: dc.Store, school_id: str, hide: list[str]) -> dict[str, Counter[str]]:
    """Every number every report shows, leaving out texts that name the person."""
    data = ReportData.from_store(store, school_id)
    demo = build_demo()
    totals = {}
    for name in REPORT_NAMES:
        document = run(name, data, as_of=demo.as_of, calendar=demo.calendar).to_document()
        numbers: Counter[str] = Counter()
        for text in document.texts():
            if not any(h in text for h in hide):
                numbers.update(re.findall(r"\d+(?:[.,]\d+)?%?", text))
        totals[name] = numbers
    return totals


@pytest.mark.parametrize("person_id", [_PERSON, _REVIEWER])
def test_the_export_holds_every_record_naming_the_person(
    demo_store: dc.Store, person_id: str
) -> None:
    """Every record a raw scan of the store finds naming them is in the export, and no more."""
    school = "oakfield"
    member = demo_store.staff.get(school, person_id)
    expected = _every_mention(demo_store, school, [person_id, member.name])
    domain_expected = {(k, i) for k, i in expected if k != "audit"}
    audit_expected = {i for k, i in expected if k == "audit"}

    export = subject_access(demo_store, school, person_id, by="H001", role="headteacher")

    assert {(kind, id) for kind, id, _r, _d in export.records} == domain_expected
    assert {f"{e.seq:012d}" for e in export.audit} == audit_expected
    own = [id for kind, id, relations, _d in export.records if "reviewee" in relations]
    assert sorted(own) == sorted(c.id for c in demo_store.cycles.for_staff(school, person_id))
    assert any(kind == "cpd" for kind, *_rest in export.records)
    if person_id == _REVIEWER:
        theirs = demo_store.cycles.reviewed_by(school, person_id)
        assert {c.id for c in theirs} <= {id for _k, id, _r, _d in export.records}
        assert any("observer" in r for _k, _i, r, _d in export.records)
    data = export.to_json()
    assert json.loads(json.dumps(data)) == data
    assert len(data["records"]) == len(domain_expected)
    for fmt in ("markdown", "html"):
        assert member.name.encode() in render(export.to_document(), fmt)
    logged = demo_store.audit.query(school, action="export")
    assert [(e.actor, e.persons) for e in logged] == [("H001", (person_id,))]


def test_erasure_leaves_nothing_of_theirs_and_every_report_the_same(demo_store: dc.Store) -> None:
    """After erasure a full-store scan finds nothing of theirs; reports keep their totals."""
    school = "oakfield"
    member = demo_store.staff.get(school, _PERSON)
    needles = [_PERSON, member.name]
    before_mentions = _every_mention(demo_store, school, needles)
    assert len(before_mentions) > 5
    staff_before = len(demo_store.staff.for_school(school))
    cycles_before = len(demo_store.cycles.for_school(school))
    cpd_before = len(demo_store.cpd.for_school(school))
    totals_before = _totals(demo_store, school, needles)

    result = erase(demo_store, school, _PERSON, by="H001", role="headteacher")

    assert result.remaining == ()
    assert _every_mention(demo_store, school, needles) == set()
    assert scan(demo_store, school, _PERSON, also=[member.name]) == []
    assert demo_store.audit.verify(school).ok
    assert len(demo_store.staff.for_school(school)) == staff_before
    assert len(demo_store.cycles.for_school(school)) == cycles_before
    assert len(demo_store.cpd.for_school(school)) == cpd_before
    assert _totals(demo_store, school, [result.pseudonym, "Erased person"]) == totals_before
    # other people's records keep their own facts: the reviewer still reviews three people
    reviewed = demo_store.cycles.reviewed_by(school, _REVIEWER)
    assert result.pseudonym in {c.staff_id for c in reviewed}
    pseudonymous = demo_store.staff.get(school, result.pseudonym)
    assert pseudonymous.name == "Erased person"
    assert pseudonymous.email is None
    assert pseudonymous.roles == member.roles
    erased = demo_store.audit.query(school, action="erase")
    assert len(erased) == 1
    assert erased[0].redacts


def test_erasing_someone_unknown_is_a_clear_error(demo_store: dc.Store) -> None:
    """Nobody to erase: NotFoundError, and nothing changes."""
    before = len(demo_store.audit.query("oakfield"))
    with pytest.raises(dc.NotFoundError, match="NOBODY"):
        erase(demo_store, "oakfield", "NOBODY")
    assert len(demo_store.audit.query("oakfield")) == before
