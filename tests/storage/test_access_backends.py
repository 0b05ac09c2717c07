"""Nothing outside the access policy is ever returned or changed, on every backend.

Hypothesis draws actors (any person, any role, real or made up, any school or trust) and
requests (read a cycle, list or load a school, export it, build a proforma, take any of the
cycle's actions with confidential fields in it) against the sample school, and checks each
answer against an oracle written here from the documented policy, not from the code:
- a read returns only cycles the actor has standing on, and in each only the fields their
  role may read (private notes for their audience only; pay only for the headteacher and the
  pay committee, where the school keeps it);
- a change either is refused (or fails) with the stored records unchanged, or was allowed:
  standing, the action granted, and only fields the role may write; the same for several
  actions taken at once (`Services.take_actions`), each granted, and any in another's name
  only by the system.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import devcycle as dc
from devcycle.access import CYCLE_ACTIONS, fields_written
from devcycle.services import CycleAction, Services
from devcycle.storage import Store, TenancyError
from devcycle.storage.bundle import export_bundle
from devcycle.testing.access import access_school, insiders, outsiders
from devcycle.testing.store_contract import wipe

SAMPLE = access_school()
DAY = date(2027, 3, 1)
TRUSTS = {s.id: s.trust_id for s in SAMPLE.schools}
HEADS = {("H1", s.id) for s in SAMPLE.schools}
LINE_MANAGERS = {("L1", "T1")}

# The documented default policy, written out for the oracle.
_REC = {"milestones", "objectives", "evidence", "observations", "reviews"}
_TALK = {"conversation.wellbeing", "conversation.workload", "conversation.career"}
READS = {
    "reviewee": _REC | _TALK | {"private_notes", "history"},
    "reviewer": _REC | _TALK | {"private_notes", "history"},
    "line_manager": {"milestones", "objectives", "evidence", "observations"},
    "headteacher": _REC | {"private_notes", "pay_recommendation", "history"},
    "school_admin": {"milestones"},
    "governor": {"milestones", "objectives", "evidence", "reviews", "private_notes"}
    | {"pay_recommendation"},
    "trust_leader": {"milestones"},
    "auditor": {"milestones", "history"},
}
WRITES = {
    "reviewee": {"milestones", "objectives", "evidence", "reviews"} | _TALK,
    "reviewer": _REC | _TALK | {"private_notes", "pay_recommendation"},
    "line_manager": {"observations"},
    "headteacher": {"milestones", "objectives", "observations"},  # objectives: moderation
    "school_admin": {"milestones"},
}
ACTS = {
    "reviewee": {
        "start_planning",
        "draft_objective",
        "propose_objective",
        "submit_objective",
        "revise_objective",
        "record_check_in",
        "record_colleague_impact",
        "add_evidence",
        "record_review",
    },
    "reviewer": set(CYCLE_ACTIONS)
    - {"propose_objective", "submit_objective", "assign_reviewer", "moderate_objective"},
    "line_manager": {"record_observation"},
    "headteacher": {"assign_reviewer", "set_milestones", "complete_milestone"}
    | {"record_observation", "moderate_objective"},
    "school_admin": {"assign_reviewer", "set_milestones", "complete_milestone"},
}
NOTE_AUDIENCE = {
    "reviewee": "reviewee",
    "reviewer": "reviewer",
    "headteacher": "headteacher",
    "governor": "governors_panel",
}
SCOPE = {"trust_leader": "trust", "auditor": "school_or_trust", "system": "any"}


def _standing(actor: dc.Actor, cycle: dc.Cycle) -> bool:
    """The oracle: does *actor* have the standing their claimed role needs on *cycle*?"""
    role = actor.role
    if role == "system":
        return True
    if role not in READS:
        return False
    at_school = actor.school_id == cycle.school_id
    in_trust = actor.trust_id is not None and actor.trust_id == TRUSTS[cycle.school_id]
    scope = SCOPE.get(role, "school")
    if (scope == "school" and not at_school) or (scope == "trust" and not in_trust):
        return False
    if scope == "school_or_trust" and not (at_school or in_trust):
        return False
    if role == "headteacher" and (actor.user_id, cycle.school_id) not in HEADS:
        return False
    if role == "reviewee":
        return actor.user_id == cycle.staff_id
    if role == "reviewer":
        return actor.user_id == cycle.reviewer_id
    if role == "line_manager":
        return (actor.user_id, cycle.staff_id) in LINE_MANAGERS
    return True


def _check_view(actor: dc.Actor, view: dc.Cycle, stored: dc.Cycle, pay_kept: bool) -> None:
    """The oracle: *view* holds nothing *actor* may not read."""
    assert _standing(actor, stored), (actor, view.id)
    if actor.role == "system":
        return
    reads = READS[actor.role]
    for name in ("milestones", "objectives", "evidence", "observations"):
        if name not in reads:
            assert getattr(view, name) == (), name
    if "history" not in reads:
        assert view.history == ()
    for review in view.reviews:
        if "reviews" not in reads:
            assert review.notes == ""
            assert review.reviewer_reflection == review.reviewee_reflection == ""
        for part in ("wellbeing", "workload", "career"):
            if f"conversation.{part}" not in reads:
                assert getattr(review.conversation, part) == "", part
        for note in review.private_notes:
            assert "private_notes" in reads
            assert NOTE_AUDIENCE.get(actor.role) in {a.value for a in note.audiences}
        if review.pay_recommendation is not None:
            assert pay_kept
            assert "pay_recommendation" in reads
            assert NOTE_AUDIENCE[actor.role] in {
                a.value for a in review.pay_recommendation.audiences
            }


actors = st.one_of(
    st.sampled_from([*insiders(SAMPLE).values(), *outsiders(SAMPLE).values()]),
    st.builds(
        dc.Actor,
        user_id=st.sampled_from(["T1", "T2", "R1", "L1", "H1", "A1", "G1", "X9", "system"]),
        role=st.sampled_from([*READS, "system", "intruder"]),
        school_id=st.sampled_from([None, "sa", "sb", "sc"]),
        trust_id=st.sampled_from([None, "trust-a", "trust-z"]),
    ),
)
"""Insiders and outsiders of every role (the lines that matter), and anyone at all."""
_CYCLES = [("sa", "C1"), ("sa", "C1"), ("sa", "C2"), ("sb", "C1")]
_ACTIONS = [*CYCLE_ACTIONS, *["record_review"] * 6]
"""Every action, and record_review (which carries the confidential fields) most often."""


def _review_arguments() -> st.SearchStrategy[dict[str, Any]]:
    audiences = st.frozensets(st.sampled_from(list(dc.Audience)), min_size=1)
    return st.fixed_dictionaries(
        {"kind": st.just(dc.ReviewKind.CHECK_IN), "notes": st.sampled_from(["", "Notes."])},
        optional={
            "conversation": st.builds(dc.Conversation, wellbeing=st.just("Tired.")),
            "private_notes": st.lists(
                st.builds(dc.Confidential, st.just("Secret."), audiences), max_size=2
            ),
            "pay_recommendation": st.builds(dc.PayRecommendation, st.just("M3")),
        },
    )


def _arguments(action: str) -> st.SearchStrategy[dict[str, Any]]:
    fixed: dict[str, dict[str, Any]] = {
        "assign_reviewer": {"reviewer_id": "T2"},
        "complete_milestone": {"milestone_id": "mid"},
        "draft_objective": {"statement": "A draft."},
        "propose_objective": {"statement": "A proposal."},
        "add_evidence": {"description": "Evidence."},
        "record_observation": {"kind": dc.ObservationKind.LEARNING_WALK, "focus": "Focus."},
        "set_milestones": {"milestones": []},
        "record_check_in": {"objective_id": "obj-1", "note": "Note."},
        "agree_objective": {"objective_id": "obj-1"},
        "return_objective": {"objective_id": "obj-1", "reasons": ["No."]},
        "moderate_objective": {"objective_id": "obj-1", "reasons": ["For consistency."]},
        "record_colleague_impact": {
            "objective_id": "obj-1",
            "shared_with": "briefing",
            "what": "A questioning routine.",
        },
        "set_objective": {"objective_id": "obj-1", "disagreement": "No."},
        "revise_objective": {"objective_id": "obj-1", "reason": "Changed."},
        "submit_objective": {"objective_id": "obj-1"},
        "evaluate_objective": {"objective_id": "obj-1", "outcome": dc.Outcome.MET},
    }
    if action == "record_review":
        return _review_arguments()
    return st.just(fixed.get(action, {}))


requests = st.one_of(
    st.tuples(st.just("get"), st.sampled_from(_CYCLES)),
    st.tuples(st.just("cycles"), st.sampled_from(["sa", "sb", "sc"])),
    st.tuples(st.just("load"), st.sampled_from(["sa", "sb", "sc"])),
    st.tuples(st.just("export"), st.sampled_from(["sa", "sb", "sc"])),
    st.tuples(
        st.just("proforma"),
        st.sampled_from(_CYCLES),
        st.sampled_from([None, *(a.value for a in dc.Audience)]),
    ),
    *[
        st.sampled_from(_ACTIONS).flatmap(
            lambda action: st.tuples(
                st.just("act"), st.sampled_from(_CYCLES), st.just(action), _arguments(action)
            )
        )
    ]
    * 4,
    st.tuples(
        st.just("take"),
        st.sampled_from(_CYCLES),
        st.lists(
            st.sampled_from(_ACTIONS).flatmap(
                lambda action: st.tuples(
                    st.just(action),
                    st.sampled_from([None, None, "T1", "R1", "H1", "system"]),
                    _arguments(action),
                )
            ),
            min_size=1,
            max_size=3,
        ),
    ),
)
"""Reads of every kind, single changes (drawn four times as often: there are more of them),
and several actions on a cycle at once, some in another's name."""


def _seed(store: Store) -> None:
    wipe(store)
    service = Services(store)
    SAMPLE.save(service)


def _pay_kept(store: Store, cycle: dc.Cycle) -> bool:
    return store.schools.get(cycle.school_id).policy.pay_recommendations or (
        cycle.pay_recommendations
    )


def _answer(services: Services, actor: dc.Actor, request: tuple[Any, ...]) -> None:
    """Make *request* as *actor* and check the answer against the oracle."""
    store = services.store
    kind = request[0]
    before = repr(export_bundle(store)["data"])
    try:
        if kind == "get":
            school_id, cycle_id = request[1]
            view = services.get_cycle(actor, school_id, cycle_id)
            stored = store.cycles.get(school_id, cycle_id)
            _check_view(actor, view, stored, _pay_kept(store, stored))
        elif kind in ("cycles", "load"):
            views = (
                services.cycles(actor, request[1])
                if kind == "cycles"
                else services.load_school(actor, request[1]).cycles
            )
            for view in views:
                stored = store.cycles.get(view.school_id, view.id)
                _check_view(actor, view, stored, _pay_kept(store, stored))
        elif kind == "export":
            bundle = services.export(actor, school_ids=[request[1]])
            assert actor.role in ("headteacher", "school_admin", "system")
            for document in bundle["data"]["cycles"]:
                view = dc.serialization.load_document(document, dc.Cycle)
                stored = store.cycles.get(view.school_id, view.id)
                _check_view(actor, view, stored, _pay_kept(store, stored))
        elif kind == "proforma":
            (school_id, cycle_id), audience = request[1], request[2]
            stored = store.cycles.get(school_id, cycle_id)
            services.proforma(
                actor, school_id, cycle_id, "mid_year", as_of=DAY, audience=audience, check=False
            )
            assert _standing(actor, stored)
        elif kind == "take":
            (school_id, cycle_id), steps = request[1], request[2]
            stored = store.cycles.get(school_id, cycle_id)
            actions = [CycleAction(action, on=DAY, by=by, **args) for action, by, args in steps]
            services.take_actions(actor, school_id, {cycle_id: actions})
            after = store.cycles.get(school_id, cycle_id)
            assert _standing(actor, stored), (actor, steps)
            if actor.role != "system":
                assert all(action in ACTS[actor.role] for action, _by, _args in steps)
                assert all(by in (None, actor.user_id) for _action, by, _args in steps)
                assert fields_written(stored, after) <= WRITES[actor.role], (actor, steps)
            return
        else:
            (school_id, cycle_id), action, arguments = request[1], request[2], request[3]
            stored = store.cycles.get(school_id, cycle_id)
            services.act(actor, school_id, cycle_id, action, on=DAY, **dict(arguments))
            after = store.cycles.get(school_id, cycle_id)
            assert _standing(actor, stored), (actor, action)
            if actor.role != "system":
                assert action in ACTS[actor.role], (actor, action)
                assert fields_written(stored, after) <= WRITES[actor.role], (actor, action)
            return
    except (dc.AccessDenied, dc.DomainError, dc.ValidationError, dc.NotFoundError):
        assert before == repr(export_bundle(store)["data"]), (actor, request)
        return
    assert before == repr(export_bundle(store)["data"]), "a read changed the store"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actor=actors, request=requests)
def test_nothing_outside_the_policy_is_returned_or_changed(
    each_store: Store, actor: dc.Actor, request: tuple[Any, ...]
) -> None:
    """Any actor, any request: the answer holds only what the policy allows, on every backend."""
    _seed(each_store)

    _answer(Services(each_store), actor, request)


def test_a_record_relabelled_with_evolve_never_reaches_another_school(each_store: Store) -> None:
    """Loaded from one school and given another's id by ``attrs.evolve``: refused, on every backend.

    Through the services (even as the system, which may write anywhere) and through the
    store: the other school's record of the same id and version is left as it was.
    """
    _seed(each_store)
    store = each_store
    services = Services(store)
    system = dc.Actor.system()
    same = store.cycles.get("sa", "C1")
    theirs = store.cycles.get("sb", "C1")
    if theirs.version != same.version:  # make the versions meet: nothing else tells them apart
        for _ in range(abs(theirs.version - same.version)):
            lower = min((same, theirs), key=lambda c: c.version)
            store.cycles.update(lower)
        same, theirs = store.cycles.get("sa", "C1"), store.cycles.get("sb", "C1")
    assert same.version == theirs.version
    bundle = repr(export_bundle(store)["data"])

    mine = services.get_cycle(system, "sa", "C1")
    with pytest.raises(TenancyError, match="another school"):
        services.save_cycle(system, attrs.evolve(mine, school_id="sb"))
    member = store.staff.get("sa", "T1")
    with pytest.raises(TenancyError, match="another school"):
        services.save_school(
            system, store.schools.get("sb"), [attrs.evolve(member, school_id="sb")]
        )
    with services.transaction(system) as tx, pytest.raises(TenancyError, match="another school"):
        tx.cycles.update(attrs.evolve(tx.cycles.get("sa", "C1"), school_id="sb"))

    assert repr(export_bundle(store)["data"]) == bundle
    assert store.cycles.get("sb", "C1") == theirs
