"""A stateful test of cycles at the store: random legal and illegal actions, two schools.

`CycleLifeMachine` drives the cycles of two schools that share every id (staff, cycles,
objectives, milestones) through random actions with random dates and actors: the cycle's
own methods (through the store) and the services (through the access policy), legal and
illegal, and saves that bypass the methods (a cut history, a re-opened closed cycle, a
stale copy). After every step it checks that:

- nothing of one school appears in the other's cycles, export or overdue report;
- every cycle's history is in date order and only ever grows (append-only);
- a closed cycle, or one ended on leaving, never changes again; ending is refused to
  the reviewee, on a day before the leaving day or before the last recorded action;
- every refused call changed nothing: not the cycle in memory, not the store, not the
  audit log.

`devcycle.testing.store_contract.StoreContract` runs it on every backend; run it on your
own with `CycleLifeMachine.for_store` and `hypothesis.stateful.run_state_machine_as_test`.

Needs the ``test`` extra (pytest, Hypothesis).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, ClassVar

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from devcycle import domain
from devcycle.access import Actor
from devcycle.errors import DevcycleError
from devcycle.reports import ReportData, overdue
from devcycle.services import Services
from devcycle.storage.base import Store
from devcycle.storage.bundle import export_bundle
from devcycle.storage.memory import MemoryStore
from devcycle.testing.store_contract import sample_school

__all__ = ["CycleLifeMachine"]

SCHOOLS = ("school-a", "school-b")
"""The two schools; `devcycle.testing.store_contract.sample_school` gives both the same ids."""

PEOPLE = ("T1", "T2", "H1", "X9")
"""Who acts: the two reviewees, their reviewer, and someone on neither school's staff."""

_OBJECTIVES = ("obj-1", "obj-2", "obj-3", "nope")
_MILESTONES = ("plan", "mid", "nope")
_STATEMENTS = (
    "Improve reading fluency in Year 2 by March, checked by reading ages.",
    "Plan and teach a fractions unit with Year 5, checked in two book looks.",
    "",
)
_OBJECTIVE_MOVES = ("agree", "return", "set", "evaluate", "revise", "submit")
_CYCLE_MOVES = ("start_planning", "activate", "begin_final_review", "close")
_OBJECTIVE_METHODS = {
    f"{move}_objective": move for move in ("agree", "return", "set", "evaluate", "revise", "submit")
}
"""Objective methods `Cycle.available_actions` names, and the move each makes here."""
_SERVICE_ACTIONS = (
    "start_planning",
    "activate",
    "agree_objective",
    "record_check_in",
    "complete_milestone",
    "begin_final_review",
    "close",
    "end_on_leaving",
)
_ROLES = ("reviewee", "reviewer", "headteacher")

_schools = st.sampled_from(SCHOOLS)
_people = st.sampled_from(PEOPLE)
_steps = st.integers(min_value=0, max_value=45)
_Key = tuple[str, str]


def _close(cycle: domain.Cycle) -> None:
    """Drive a draft cycle through its year to closed."""
    day = cycle.period_start
    cycle.start_planning(by=cycle.staff_id, on=day + timedelta(days=10))
    objective = cycle.propose_objective(
        by=cycle.staff_id, on=day + timedelta(days=20), statement=_STATEMENTS[0]
    )
    assert cycle.reviewer_id is not None
    reviewer = cycle.reviewer_id
    cycle.agree_objective(objective.id, by=reviewer, on=day + timedelta(days=30))
    cycle.activate(by=reviewer, on=day + timedelta(days=30))
    cycle.begin_final_review(by=reviewer, on=day + timedelta(days=300))
    cycle.evaluate_objective(
        objective.id, by=reviewer, on=day + timedelta(days=301), outcome=domain.Outcome.MET
    )
    cycle.close(by=reviewer, on=day + timedelta(days=302))


def _objective_move(cycle: domain.Cycle, move: str, objective_id: str, by: str, on: date) -> object:
    if move == "agree":
        return cycle.agree_objective(objective_id, by=by, on=on)
    if move == "return":
        return cycle.return_objective(objective_id, by=by, on=on, reasons=["Too vague."])
    if move == "set":
        return cycle.set_objective(objective_id, by=by, on=on, disagreement="Too much.")
    if move == "evaluate":
        return cycle.evaluate_objective(
            objective_id, by=by, on=on, outcome=domain.Outcome.PARTLY_MET, learning="Some."
        )
    if move == "revise":
        return cycle.revise_objective(objective_id, by=by, on=on, reason="Timetable changed.")
    return cycle.submit_objective(objective_id, by=by, on=on)  # "submit" or "propose"


class CycleLifeMachine(RuleBasedStateMachine):
    """Drive two schools' cycles through random actions; check tenancy, lock and history.

    Make one with `for_store`, then run it with `hypothesis.stateful.run_state_machine_as_test`.
    """

    empty_store: ClassVar[Callable[[], Store]] = staticmethod(MemoryStore)

    @classmethod
    def for_store(cls, empty_store: Callable[[], Store]) -> type[CycleLifeMachine]:
        """Return a machine class driving the stores *empty_store* returns (empty each time)."""
        return type("CycleLifeMachineFor", (cls,), {"empty_store": staticmethod(empty_store)})

    def __init__(self) -> None:
        super().__init__()
        self.store = type(self).empty_store()
        self.services = Services(self.store)
        self.model: dict[_Key, domain.Cycle] = {}
        self.closed: dict[_Key, domain.Cycle] = {}
        self.histories: dict[_Key, tuple[domain.HistoryEntry, ...]] = {}
        self.refused = 0
        self.done = 0

    # ------------------------------------------------------------------ set-up

    @initialize()
    def two_schools_sharing_ids(self) -> None:
        with self.store.transaction(by="system", role="system") as tx:
            for school_id in SCHOOLS:
                school, staff, cycles, cpd = sample_school(school_id)
                if school_id == SCHOOLS[0]:  # the same id, closed in one school only
                    _close(cycles[-1])
                tx.schools.add(school)
                tx.staff.add_all(staff)
                tx.cycles.add_all(cycles)
                tx.cpd.add_all(cpd)
            tx.commit()
        self._remember_all()

    # ----------------------------------------------------------------- helpers

    def _keys(self) -> list[_Key]:
        return sorted(self.model)

    def _remember_all(self) -> None:
        for school_id in SCHOOLS:
            for cycle in self.store.cycles.for_school(school_id):
                self._remember(cycle)

    def _remember(self, cycle: domain.Cycle) -> None:
        key = (cycle.school_id, cycle.id)
        self.model[key] = attrs.evolve(cycle)
        if cycle.is_closed and key not in self.closed:
            self.closed[key] = attrs.evolve(cycle)

    def _day(self, cycle: domain.Cycle, step: int) -> date:
        """A date *step* days after the cycle's last recorded action (or its start)."""
        last = max((e.on for e in cycle.history), default=cycle.period_start)
        return max(last, cycle.period_start) + timedelta(days=step)

    def _everything(self) -> tuple[Any, ...]:
        """What a refused call must leave as it was: every cycle and both audit logs."""
        cycles = [[(c, c.version) for c in self.store.cycles.for_school(s)] for s in SCHOOLS]
        logs = [self.store.audit.head(s) for s in SCHOOLS]
        return (cycles, logs)

    def _refused(self, before: tuple[Any, ...]) -> None:
        self.refused += 1
        assert self._everything() == before, "a refused call changed the store"

    def _act(self, school: str, cycle_id: str, call: Callable[[domain.Cycle], object]) -> None:
        """Load the cycle, call one of its methods, and save it; or check it was refused."""
        before = self._everything()
        cycle = self.store.cycles.get(school, cycle_id)
        untouched = attrs.evolve(cycle)
        try:
            call(cycle)
        except DevcycleError:
            assert cycle == untouched, "a refused method changed the cycle in memory"
            assert cycle.version == untouched.version
            self._refused(before)
            return
        saved = self.store.cycles.update(cycle)
        self.done += 1
        self._remember(saved)

    def _save_refused(self, copy: domain.Cycle) -> None:
        """Save *copy*, which the store must refuse, changing nothing."""
        before = self._everything()
        try:
            self.store.cycles.update(copy)
        except DevcycleError:
            self._refused(before)
            return
        msg = f"the store saved a forged copy of cycle {copy.school_id}/{copy.id}"
        raise AssertionError(msg)

    # ------------------------------------------------------------ domain rules

    @rule(data=st.data(), step=_steps)
    def take_an_allowed_step(self, data: st.DataObject, step: int) -> None:
        """Take one of the actions the cycle offers its reviewee or reviewer now."""
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")
        cycle = self.model[(school, cycle_id)]
        people = [p for p in (cycle.staff_id, cycle.reviewer_id) if p is not None]
        options: list[tuple[str, str | None, str]] = []
        # available_actions names the methods to call; this machine takes the moves of the
        # cycle and of its objectives (the others need arguments it does not make up).
        for by in people:
            options += [(a, None, by) for a in cycle.available_actions(by) if a in _CYCLE_MOVES]
            for objective in cycle.objectives:
                options += [
                    (_OBJECTIVE_METHODS[a], objective.id, by)
                    for a in cycle.available_actions(by, objective.id)
                    if a in _OBJECTIVE_METHODS
                ]
        if cycle.status in (domain.CycleStatus.DRAFT, domain.CycleStatus.PLANNING):
            options.append(("propose_new", None, cycle.staff_id))
        if not options:
            return
        action, objective_id, by = data.draw(st.sampled_from(options), label="action")

        def call(loaded: domain.Cycle) -> object:
            on = self._day(loaded, step)
            if action == "propose_new":
                return loaded.propose_objective(by=by, on=on, statement=_STATEMENTS[1])
            if objective_id is None:
                return getattr(loaded, action)(by=by, on=on)
            return _objective_move(loaded, action, objective_id, by, on)

        self._act(school, cycle_id, call)

    @rule(data=st.data(), move=st.sampled_from(_CYCLE_MOVES), by=_people, step=_steps)
    def move_the_cycle(self, data: st.DataObject, move: str, by: str, step: int) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            return getattr(cycle, move)(by=by, on=self._day(cycle, step))

        self._act(school, cycle_id, call)

    @rule(
        data=st.data(),
        by=_people,
        step=_steps,
        left_before=st.integers(min_value=-3, max_value=30),
        note=st.sampled_from(("", "Moved abroad.", "x" * 501, "two\nlines")),
    )
    def end_a_cycle_on_leaving(
        self, data: st.DataObject, by: str, step: int, left_before: int, note: str
    ) -> None:
        """End a cycle as if its reviewee left *left_before* days before the day it is ended.

        A negative *left_before* is a leaving day after the ending (refused), as are the
        reviewee ending their own, a cycle already closed or ended, and a bad note.
        """
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            on = self._day(cycle, step)
            left_on = on - timedelta(days=left_before)
            cycle.end_on_leaving(by=by, on=on, left_on=left_on, note=note)
            assert by != cycle.staff_id and left_on <= on
            assert cycle.is_ended and cycle.is_closed and not cycle.is_completed
            return None

        self._act(school, cycle_id, call)

    @rule(
        data=st.data(),
        by=_people,
        step=_steps,
        statement=st.sampled_from(_STATEMENTS),
        draft=st.booleans(),
    )
    def add_an_objective(
        self, data: st.DataObject, by: str, step: int, statement: str, draft: bool
    ) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            add = cycle.draft_objective if draft else cycle.propose_objective
            return add(by=by, on=self._day(cycle, step), statement=statement)

        self._act(school, cycle_id, call)

    @rule(
        data=st.data(),
        move=st.sampled_from(_OBJECTIVE_MOVES),
        objective_id=st.sampled_from(_OBJECTIVES),
        by=_people,
        step=_steps,
    )
    def move_an_objective(
        self, data: st.DataObject, move: str, objective_id: str, by: str, step: int
    ) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            return _objective_move(cycle, move, objective_id, by, self._day(cycle, step))

        self._act(school, cycle_id, call)

    @rule(
        data=st.data(),
        objective_id=st.sampled_from(_OBJECTIVES),
        by=_people,
        step=_steps,
        percent=st.none() | st.integers(-10, 110),
    )
    def check_in(
        self, data: st.DataObject, objective_id: str, by: str, step: int, percent: int | None
    ) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            return cycle.record_check_in(
                objective_id, by=by, on=self._day(cycle, step), note="Progress.", percent=percent
            )

        self._act(school, cycle_id, call)

    @rule(
        data=st.data(),
        kind=st.sampled_from(domain.ReviewKind),
        milestone_id=st.none() | st.sampled_from(_MILESTONES),
        by=_people,
        step=_steps,
    )
    def hold_a_meeting(
        self,
        data: st.DataObject,
        kind: domain.ReviewKind,
        milestone_id: str | None,
        by: str,
        step: int,
    ) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            return cycle.record_review(
                by=by, on=self._day(cycle, step), kind=kind, milestone_id=milestone_id
            )

        self._act(school, cycle_id, call)

    @rule(data=st.data(), milestone_id=st.sampled_from(_MILESTONES), by=_people, step=_steps)
    def complete_a_milestone(
        self, data: st.DataObject, milestone_id: str, by: str, step: int
    ) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            cycle.complete_milestone(milestone_id, by=by, on=self._day(cycle, step))
            return None

        self._act(school, cycle_id, call)

    @rule(data=st.data(), reviewer=_people, by=_people, step=_steps)
    def assign_a_reviewer(self, data: st.DataObject, reviewer: str, by: str, step: int) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            cycle.assign_reviewer(reviewer, by=by, on=self._day(cycle, step))
            return None

        self._act(school, cycle_id, call)

    @rule(data=st.data(), by=_people, step=_steps, objective=st.sampled_from(_OBJECTIVES))
    def add_evidence(self, data: st.DataObject, by: str, step: int, objective: str) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")

        def call(cycle: domain.Cycle) -> object:
            return cycle.add_evidence(
                by=by,
                on=self._day(cycle, step),
                description="Pupils' books.",
                objective_ids=(objective,),
            )

        self._act(school, cycle_id, call)

    # ----------------------------------------------------------- service rules

    @rule(
        data=st.data(),
        action=st.sampled_from(_SERVICE_ACTIONS),
        user=_people,
        role=st.sampled_from(_ROLES),
        acting_in=_schools,
        step=_steps,
    )
    def act_through_the_services(
        self,
        data: st.DataObject,
        action: str,
        user: str,
        role: str,
        acting_in: str,
        step: int,
    ) -> None:
        school, cycle_id = data.draw(st.sampled_from(self._keys()), label="cycle")
        before = self._everything()
        cycle = self.model[(school, cycle_id)]
        arguments: dict[str, Any] = {}
        if action == "record_check_in":
            arguments = {"objective_id": "obj-1", "note": "Progress."}
        elif action == "complete_milestone":
            arguments = {"milestone_id": "plan"}
        elif action == "end_on_leaving":  # nobody in the sample schools has left: refused
            arguments = {"left_on": self._day(cycle, step)}
        actor = Actor(user, role, school_id=acting_in)
        try:
            self.services.act(
                actor, school, cycle_id, action, on=self._day(cycle, step), **arguments
            )
        except DevcycleError:
            self._refused(before)
            return
        self.done += 1
        self._remember(self.store.cycles.get(school, cycle_id))

    # ------------------------------------------------------- forged saves

    @precondition(lambda self: any(c.history for c in self.model.values()))
    @rule(data=st.data())
    def save_a_cut_history(self, data: st.DataObject) -> None:
        key = data.draw(
            st.sampled_from([k for k in self._keys() if self.model[k].history]), label="cycle"
        )
        stored = self.store.cycles.get(*key)
        cut = data.draw(st.integers(0, len(stored.history) - 1), label="cut")
        self._save_refused(attrs.evolve(stored, history=stored.history[:cut]))

    @precondition(lambda self: bool(self.closed))
    @rule(data=st.data(), status=st.sampled_from(domain.CycleStatus))
    def reopen_a_closed_cycle(self, data: st.DataObject, status: domain.CycleStatus) -> None:
        key = data.draw(st.sampled_from(sorted(self.closed)), label="cycle")
        stored = self.store.cycles.get(*key)
        self._save_refused(attrs.evolve(stored, status=status, template_id="re-opened"))

    @rule(data=st.data())
    def save_a_stale_copy(self, data: st.DataObject) -> None:
        key = data.draw(st.sampled_from(self._keys()), label="cycle")
        stored = self.store.cycles.get(*key)
        self._save_refused(attrs.evolve(stored, version=stored.version - 1))

    # ------------------------------------------------------------ output checks

    @rule()
    def nothing_of_one_school_is_in_the_others_output(self) -> None:
        """Each school's export and overdue report hold that school's records only."""
        for school_id in SCHOOLS:
            bundle = export_bundle(self.store, school_ids=[school_id], shared=False)
            for section in ("staff", "cycles", "cpd"):
                owners = {d["data"]["school_id"] for d in bundle["data"].get(section, [])}
                assert owners <= {school_id}, (section, owners)
            exported = {d["data"]["id"] for d in bundle["data"].get("cycles", [])}
            assert exported == {k[1] for k in self._keys() if k[0] == school_id}
            report = overdue(ReportData.from_store(self.store, school_id), as_of=date(2027, 8, 1))
            assert {p.school_id for p in report.people} <= {school_id}
            assert {m.school_id for m in report.overdue} <= {school_id}

    # --------------------------------------------------------------- invariants

    @invariant()
    def each_school_holds_its_own_cycles_whose_history_only_grows(self) -> None:
        """The store matches the model, school by school; histories in order; closed kept."""
        for school_id in SCHOOLS:
            cycles = self.store.cycles.for_school(school_id)
            assert {c.school_id for c in cycles} <= {school_id}
            assert cycles == [self.model[k] for k in self._keys() if k[0] == school_id]
        for key, cycle in self.model.items():
            days = [e.on for e in cycle.history]
            assert days == sorted(days), f"history of {key} out of date order"
            seen = self.histories.get(key, ())
            assert cycle.history[: len(seen)] == seen, f"history of {key} was rewritten"
            self.histories[key] = cycle.history
            if key in self.closed:
                assert cycle == self.closed[key], f"closed cycle {key} changed"
