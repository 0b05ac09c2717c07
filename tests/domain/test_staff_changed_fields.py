"""`StaffMember.changed_fields`: the one comparison of two records of a person.

A user trial: a roster listing a person's teams in another order (``ks2;ks1`` for the
stored ``ks1;ks2``) was taken as a change, and refused as undoing a team change made in
devcycle. Teams are a set: their order means nothing.
"""

from __future__ import annotations

import random

import attrs
from hypothesis import given
from hypothesis import strategies as st

from devcycle.domain import StaffMember
from devcycle.testing import strategies as ds


@given(ds.staff_members(), st.randoms(use_true_random=False))
def test_teams_in_another_order_change_nothing(member: StaffMember, rng: random.Random) -> None:
    teams = list(member.team_ids)
    rng.shuffle(teams)
    assert member.changed_fields(attrs.evolve(member, team_ids=teams)) == ()


@given(ds.staff_members(), ds.staff_members())
def test_equal_records_change_nothing_and_a_change_is_named(
    first: StaffMember, second: StaffMember
) -> None:
    changed = first.changed_fields(second)
    assert (changed == ()) == (
        attrs.evolve(first, team_ids=sorted(first.team_ids))
        == attrs.evolve(second, team_ids=sorted(second.team_ids))
    )
    assert first.changed_fields(second, ("name",)) == (
        ("name",) if first.name != second.name else ()
    )


def test_another_team_is_a_change() -> None:
    member = StaffMember(id="T1", name="Ann", school_id="oak", roles={"teacher"}, team_ids=["ks1"])
    assert member.changed_fields(attrs.evolve(member, team_ids=["ks1", "ks2"])) == ("team_ids",)
