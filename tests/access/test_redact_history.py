"""A view's history: details blanked only where they quote a field the role may not read.

Issue 16: a role that may read every field a history detail quotes gets the history as it
is, without visiting each entry (this runs for the view returned by every change). The
result must be what visiting each entry gives, for every role of the default policy.
"""

from __future__ import annotations

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from devcycle.access import default_policy, redact
from devcycle.domain import Cycle
from devcycle.testing import strategies as dst

_FIELDS = {
    "objective": "objectives",
    "evidence": "evidence",
    "observation": "observations",
    "review": "reviews",
    "milestone": "milestones",
}


@settings(max_examples=40, deadline=None)
@given(dst.cycles(), st.sampled_from(sorted(default_policy().roles)))
def test_the_history_is_blanked_entry_by_entry_as_before(cycle: Cycle, name: str) -> None:
    role = default_policy().role(name)
    view = redact(cycle, role)
    if not role.may_read("history"):
        return
    expected = tuple(
        attrs.evolve(entry, detail="")
        if entry.detail
        and (field := _FIELDS.get(entry.target.partition(":")[0])) is not None
        and not role.may_read(field)
        else entry
        for entry in cycle.history
    )
    assert view.history == expected
