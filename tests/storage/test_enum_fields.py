"""Enum fields convert at construction, or refuse there (issue 13: "string enums accepted at
construction that fail at save").

Every record's enum field takes a member or its value ("course") and holds the member; any
other value is a `ValidationError` naming the field, at construction, never a crash at save.
And whatever a constructor accepts saves and loads unchanged on every backend.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests._stores import BACKENDS, empty_store

import devcycle as dc
from devcycle.catalogues.templates import template
from devcycle.domain.calendar import Closure, ClosureKind
from devcycle.domain.cpd import Attendance, AttendanceStatus, CPDKind, Purpose
from devcycle.domain.milestones import Basis, MilestoneKind
from devcycle.domain.templates import (
    Adjust,
    Anchor,
    AnchorKind,
    JoinerPeriod,
    JoinerRule,
    MilestoneRule,
    OffsetUnit,
    Period,
    RecurEach,
    Recurrence,
)
from devcycle.errors import ValidationError
from devcycle.testing.strategies import cpd_activities, cpd_offerings

DAY = date(2026, 9, 1)


def _offering(**fields: Any) -> Any:
    return dc.CPDOffering(id="o1", school_id="oak", title="INSET", **{"kind": "course", **fields})


def _rule(**fields: Any) -> Any:
    return MilestoneRule(id="m1", title="Review", **fields)


CASES: list[tuple[Callable[..., Any], str, str, object]] = [
    (_offering, "kind", "coaching", CPDKind.COACHING),
    (_offering, "purpose", next(iter(Purpose)).value, next(iter(Purpose))),
    (lambda **f: Attendance(staff_id="T1", **f), "status", "attended", AttendanceStatus.ATTENDED),
    (lambda **f: Closure(start=DAY, **f), "kind", "occasional", ClosureKind.OCCASIONAL),
    (_rule, "kind", next(iter(MilestoneKind)).value, next(iter(MilestoneKind))),
    (_rule, "unit", next(iter(OffsetUnit)).value, next(iter(OffsetUnit))),
    (_rule, "adjust", next(iter(Adjust)).value, next(iter(Adjust))),
    (_rule, "basis", Basis.STATUTORY.value, Basis.STATUTORY),
    (_rule, "joiners", next(iter(JoinerRule)).value, next(iter(JoinerRule))),
    (lambda **f: Period(months=12, **f), "joiners", "full", JoinerPeriod("full")),
    (Anchor, "kind", AnchorKind.TERM_START.value, AnchorKind.TERM_START),
    (Recurrence, "each", RecurEach("term").value, RecurEach("term")),
]


@pytest.mark.parametrize(("build", "field", "value", "member"), CASES)
def test_a_valid_string_becomes_the_member(
    build: Callable[..., Any], field: str, value: str, member: object
) -> None:
    made = build(**{field: value})
    assert getattr(made, field) is member


@pytest.mark.parametrize(("build", "field", "value", "member"), CASES)
@pytest.mark.parametrize("bad", ["nope", 3.5, True, object()])
def test_anything_else_is_refused_at_construction(
    build: Callable[..., Any], field: str, value: str, member: object, bad: object
) -> None:
    with pytest.raises(ValidationError) as caught:
        build(**{field: bad})
    assert caught.value.problems[0].path == f"$.{field}"
    assert f"'{field}' must be one of" in str(caught.value)


def test_an_offering_of_a_string_kind_gets_the_kinds_purpose() -> None:
    """The default purpose used to crash: it read an attribute of the string."""
    assert _offering(kind="course").purpose is CPDKind.COURSE.default_purpose


# ------------------------------------------------------------- saved on every backend


def _as_values(obj: Any) -> dict[str, Any]:
    """The constructor arguments of *obj*, with every enum given as its value."""
    return {
        a.name: (v.value if hasattr(v, "value") and not isinstance(v, bool) else v)
        for a in attrs.fields(type(obj))
        if a.init
        for v in (getattr(obj, a.name),)
    }


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=15, deadline=None)
@given(
    offering=cpd_offerings(st.just("oak")),
    activity=cpd_activities(st.just("oak")),
)
def test_records_built_from_strings_save_and_load_on_every_backend(
    backend: str, offering: dc.CPDOffering, activity: dc.CPDActivity
) -> None:
    rebuilt_offering = dc.CPDOffering(**_as_values(offering))
    attendance = tuple(Attendance(**_as_values(a)) for a in activity.attendance)
    rebuilt_activity = attrs.evolve(activity, kind=activity.kind.value, attendance=attendance)
    assert rebuilt_offering == offering
    assert rebuilt_activity == activity
    with empty_store(backend) as store:
        with store.transaction() as tx:
            tx.schools.add(dc.School(id="oak", name="Oak"))
            tx.cpd_offerings.add(rebuilt_offering)
            tx.cpd.add(rebuilt_activity)
            tx.commit()
        assert store.cpd_offerings.get("oak", offering.id) == offering
        assert store.cpd.get("oak", activity.id) == activity


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_template_built_from_strings_saves_and_loads(backend: str) -> None:
    shipped = template("england-teacher")
    rules = tuple(MilestoneRule(**_as_values(r)) for r in shipped.milestones)
    rebuilt = attrs.evolve(shipped, milestones=rules, period=Period(**_as_values(shipped.period)))
    assert rebuilt == shipped
    with empty_store(backend) as store:
        with store.transaction() as tx:
            tx.templates.add(rebuilt)
            tx.commit()
        assert store.templates.get(shipped.id) == shipped
