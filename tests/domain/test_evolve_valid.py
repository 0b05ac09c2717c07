"""`evolve_valid` gives what `attrs.evolve` gives: the same record, or the same error.

The domain's methods copy a changed objective or milestone with `evolve_valid`, which
converts and validates only the fields that change (and every validator that may read
other fields, and ``__attrs_post_init__``), where `attrs.evolve` runs every converter and
validator again. That is only sound if, for a valid record and any changes (valid or not,
of any type), both give equal records of equal types, or raise the same error; and the
tuple converters' fast path for a tuple must give what ``tuple(value)`` gives.
"""

from __future__ import annotations

import copy
import copyreg
from datetime import date, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.domain.same_types import assert_same_types

from devcycle.domain import (
    CheckIn,
    CPDActivity,
    Cycle,
    Milestone,
    Objective,
    ProcessSurvey,
    ReviewMeeting,
    StaffMember,
)
from devcycle.domain._validate import (
    _evolve_field_by_field,
    _evolver,
    as_tuple,
    copier,
    evolve_valid,
)
from devcycle.domain.objectives import Agreement, ObjectiveStatus, SuccessCriterion
from devcycle.errors import ValidationError
from devcycle.testing import strategies as dst

KINDS: list[tuple[type[Any], st.SearchStrategy[Any]]] = [
    (Objective, dst.objectives()),
    (Milestone, dst.milestones()),
    (CheckIn, dst.check_ins()),
    (ReviewMeeting, dst.review_meetings()),
    (StaffMember, dst.staff_members()),
    # validators that read other fields (an end not before its start, hours against cost)
    (CPDActivity, dst.cpd_activities()),
    (ProcessSurvey, dst.process_surveys()),
]


class _Text(str):
    """A str subclass: not a plain tuple or str, for the converters' slow paths."""


class _Tuple(tuple[Any, ...]):
    """A tuple subclass: the converters' fast path is for exact tuples only."""


HOSTILE: st.SearchStrategy[Any] = st.sampled_from(
    [
        None,
        "",
        "  ",
        "text",
        "obj-9",
        "has space",
        _Text("T1"),
        0,
        1,
        -1,
        101,
        True,
        False,
        1.5,
        date(2027, 1, 1),
        datetime(2027, 1, 1, 9, 0),
        (),
        ("a",),
        ("a", "a"),
        ("", "x"),
        ["T1", "T2"],
        _Tuple(("T1", "T2")),
        (1, 2),
        {"a": 1},
        frozenset({"x"}),
        "agreed",
        "evaluated",
        ObjectiveStatus.AGREED,
        ObjectiveStatus.EVALUATED,
        "joint",
        (SuccessCriterion("done"),),
        ("done", SuccessCriterion("also")),
        Agreement(on=date(2026, 10, 8), by="H1"),
        (CheckIn(on=date(2026, 12, 3), by="T1", note="On track.", percent=40),),
        object(),
    ]
)


def _outcome(build: Any) -> tuple[str, Any, Any]:
    try:
        return ("ok", build(), None)
    except (ValidationError, ValueError, TypeError) as exc:
        return ("error", type(exc), str(exc))


@st.composite
def _changes(draw: st.DrawFn, cls: type[Any], strategy: st.SearchStrategy[Any]) -> dict[str, Any]:
    """Some fields of *cls*, each given a value from another record or a hostile one."""
    names = [f.name for f in attrs.fields(cls)]
    chosen = draw(st.lists(st.sampled_from(names), unique=True, max_size=4))
    other = draw(strategy)
    return {
        name: draw(st.just(getattr(other, name)) | HOSTILE | st.just(getattr(other, name)))
        for name in chosen
    }


def _assert_same(inst: Any, changes: dict[str, Any]) -> None:
    fast = _outcome(lambda: evolve_valid(inst, **changes))
    slow = _outcome(lambda: attrs.evolve(inst, **changes))
    assert fast[0] == slow[0], (fast, slow)
    if slow[0] == "ok":
        assert fast[1] == slow[1]
        assert_same_types(fast[1], slow[1])  # (a set's repr may differ: attrs.evolve rebuilds it)
    else:
        assert (fast[1], fast[2]) == (slow[1], slow[2])


@pytest.mark.parametrize(("cls", "strategy"), KINDS, ids=lambda v: getattr(v, "__name__", ""))
def test_evolve_valid_gives_what_attrs_evolve_gives(
    cls: type[Any], strategy: st.SearchStrategy[Any]
) -> None:
    @given(strategy, st.data())
    def check(inst: Any, data: st.DataObject) -> None:
        _assert_same(inst, data.draw(_changes(cls, strategy)))

    check()


@pytest.mark.parametrize(("cls", "strategy"), KINDS, ids=lambda v: getattr(v, "__name__", ""))
def test_the_generated_copy_gives_what_the_loop_gives(
    cls: type[Any], strategy: st.SearchStrategy[Any]
) -> None:
    """`evolve_valid` runs code generated per class and changed names (`_evolver`); the loop
    over the fields (`_evolve_field_by_field`) is the reference it must equal, error for
    error (and both must equal `attrs.evolve`, above)."""

    @given(strategy, st.data())
    def check(inst: Any, data: st.DataObject) -> None:
        changes = data.draw(_changes(cls, strategy))
        generated = _evolver(cls, tuple(changes))
        assert generated is not None
        fast = _outcome(lambda: generated(inst, dict(changes)))
        loop = _outcome(lambda: _evolve_field_by_field(inst, dict(changes)))
        assert fast[0] == loop[0], (fast, loop)
        if loop[0] == "ok":
            assert fast[1] == loop[1]
            assert_same_types(fast[1], loop[1])
        else:
            assert (fast[1], fast[2]) == (loop[1], loop[2])

    check()


@given(dst.objectives(), st.data())
def test_with_validators_switched_off_too(inst: Objective, data: st.DataObject) -> None:
    changes = data.draw(_changes(Objective, dst.objectives()))
    with attrs.validators.disabled():
        _assert_same(inst, changes)


def test_an_unknown_field_is_refused_as_attrs_refuses_it() -> None:
    milestone = Milestone(
        id="m1",
        title="Planning meeting",
        kind="planning",
        due=date(2026, 9, 30),
        owner_role="reviewer",
    )

    _assert_same(milestone, {"no_such_field": 1})


def test_a_check_across_fields_runs_when_only_one_side_changes() -> None:
    objective = Objective(
        id="obj-1",
        statement="Read more",
        status="agreed",
        agreement=Agreement(on=date(2026, 10, 8), by="H1"),
    )

    with pytest.raises(ValidationError, match="has no agreement record"):
        evolve_valid(objective, agreement=None)
    with pytest.raises(ValidationError, match="at least two owners"):
        evolve_valid(objective, kind="joint")


def test_a_validator_reading_another_field_runs_when_only_that_field_changes() -> None:
    activity = CPDActivity(
        id="a1",
        school_id="s1",
        title="Phonics training",
        kind="course",
        start=date(2026, 10, 1),
        end=date(2026, 10, 2),
    )

    _assert_same(activity, {"start": date(2026, 10, 5)})  # now after its unchanged end
    with pytest.raises(ValidationError):
        evolve_valid(activity, start=date(2026, 10, 5))


@given(
    st.one_of(
        st.tuples(st.text(max_size=3), st.integers()),
        st.lists(st.integers(), max_size=3),
        st.lists(st.text(max_size=2), max_size=3).map(_Tuple),
        st.text(max_size=3),
        st.binary(max_size=3),
        st.integers(),
        st.none(),
        st.frozensets(st.integers(), max_size=3),
    )
)
def test_as_tuple_fast_path_gives_what_the_slow_path_gives(value: Any) -> None:
    def slow() -> tuple[Any, ...]:
        if isinstance(value, str | bytes | bytearray) or not hasattr(value, "__iter__"):
            raise ValidationError([])
        return tuple(value)

    expected = _outcome(slow)
    got = _outcome(lambda: as_tuple(value, "items"))
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert got[1] == expected[1]
        assert type(got[1]) is tuple
        if type(value) is tuple:
            assert got[1] is value


@given(dst.cycles())
def test_a_cycle_copy_is_what_the_pickling_protocol_copies(cycle: Any) -> None:
    copied = copy.copy(cycle)
    _newobj, args, state = cycle.__reduce_ex__(4)[:3]  # what copy.copy does without __copy__
    expected = copyreg.__newobj__(*args)
    expected.__setstate__(state)

    assert type(copied) is type(expected) is type(cycle)
    assert copied is not cycle
    for field in attrs.fields(type(cycle)):
        assert getattr(copied, field.name) is getattr(expected, field.name), field.name


@attrs.define
class _Slotted:
    a: int
    b: str = ""


@attrs.define(slots=False)
class _Unslotted:
    a: int
    b: str = ""


@pytest.mark.parametrize("cls", [_Slotted, _Unslotted])
def test_the_generated_copier_sets_every_field_slot_or_not(cls: type) -> None:
    # Slots are set through their descriptors, other fields through object.__setattr__:
    # the copy holds the very same values either way.
    original = cls(1, "x")
    copied = copier(cls, ["a", "b"])(original)
    assert type(copied) is cls
    assert copied is not original
    assert copied.a is original.a
    assert copied.b is original.b


@given(dst.cycles())
def test_a_cycle_subclass_copy_is_what_the_pickling_protocol_copies(cycle: Any) -> None:
    sub = _CycleSubclass.__new__(_CycleSubclass)
    for field in attrs.fields(Cycle):
        object.__setattr__(sub, field.name, getattr(cycle, field.name))
    copied = copy.copy(sub)
    assert type(copied) is _CycleSubclass
    for field in attrs.fields(Cycle):
        assert getattr(copied, field.name) is getattr(sub, field.name), field.name


@attrs.frozen(eq=True)
class _CycleSubclass(Cycle):
    pass
