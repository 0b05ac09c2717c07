"""A Hypothesis state machine drives the cycle and objective lifecycles at random.

Invariants checked after every step: a closed cycle never changes; history only grows, and
its old entries never change; every agreed or evaluated objective has an agreement record;
an illegal step always raises and changes nothing; a legal step lands in the state the
transition table names. Ending a cycle on leaving (`Cycle.end_on_leaving`) is one more
move: legal from any open state for anyone but the reviewee, on or after the leaving day;
it locks the cycle like closing does but is never a completed review, and leaves the
objectives as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from devcycle import Cycle, CycleStatus, DomainError, ObjectiveStatus, Outcome, ValidationError
from devcycle.domain import CYCLE_TRANSITIONS, OBJECTIVE_TRANSITIONS, Party
from devcycle.serialization import to_dict

REVIEWEE, REVIEWER, OTHER = "T1", "R1", "X1"
ACTORS = st.sampled_from([REVIEWEE, REVIEWER, OTHER])


class CycleMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.cycle = Cycle(
            id="c",
            school_id="s",
            staff_id=REVIEWEE,
            reviewer_id=REVIEWER,
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        self.day = date(2026, 9, 1)
        self.closed_snapshot: dict[str, Any] | None = None
        self.last_history = self.cycle.history

    # -------------------------------------------------------------- helpers

    def attempt(self, action: Callable[[], object], legal: bool) -> None:
        before = to_dict(self.cycle)
        try:
            action()
        except (DomainError, ValidationError):
            assert before == to_dict(self.cycle), "a refused step changed the cycle"
            assert not legal, "a step the table allows was refused"
        else:
            assert legal, "a step the table forbids was allowed"
        self.day += timedelta(days=1)

    def legal_cycle(self, action: str, by: str) -> bool:
        t = next(t for t in CYCLE_TRANSITIONS if t.action == action)
        if self.cycle.is_closed or self.cycle.status not in t.sources:
            return False
        if self.cycle.party(by) not in t.parties:
            return False
        if action == "activate":
            agreed = self.cycle.objectives_in(ObjectiveStatus.AGREED)
            pending = self.cycle.objectives_in(ObjectiveStatus.PROPOSED, ObjectiveStatus.RETURNED)
            return bool(agreed) and not pending
        if action == "close":
            return not self.cycle.objectives_in(ObjectiveStatus.AGREED)
        return True

    def legal_objective(self, action: str, objective_id: str | None, by: str) -> bool:
        t = next(t for t in OBJECTIVE_TRANSITIONS if t.action == action)
        if self.cycle.is_closed or self.cycle.status not in t.cycle_states:
            return False
        state = self.cycle.objective(objective_id).status if objective_id else "new"
        return state in t.sources and self.cycle.party(by) in t.parties

    def pick(self, data: st.DataObject) -> str | None:
        if not self.cycle.objectives:
            return None
        return data.draw(st.sampled_from([o.id for o in self.cycle.objectives]))

    # ---------------------------------------------------------------- rules

    @rule(by=ACTORS, left_days_ago=st.integers(-3, 30))
    def end_on_leaving(self, by: str, left_days_ago: int) -> None:
        left_on = self.day - timedelta(days=left_days_ago)
        legal = (
            not self.cycle.is_closed
            and self.cycle.party(by) is not Party.REVIEWEE
            and left_on <= self.day
        )
        objectives = self.cycle.objectives
        before = self.cycle.status
        self.attempt(lambda: self.cycle.end_on_leaving(by=by, on=self.day, left_on=left_on), legal)
        if legal:
            assert self.cycle.status is CycleStatus.ENDED
            assert self.cycle.is_closed
            assert not self.cycle.is_completed
            assert self.cycle.objectives == objectives
            assert self.cycle.history[-1].from_state == before.value
        else:
            assert self.cycle.status == before

    @rule(
        action=st.sampled_from(
            [t.action for t in CYCLE_TRANSITIONS if t.action != "end_on_leaving"]
        ),
        by=ACTORS,
    )
    def move_cycle(self, action: str, by: str) -> None:
        legal = self.legal_cycle(action, by)
        before = self.cycle.status
        self.attempt(lambda: getattr(self.cycle, action)(by=by, on=self.day), legal)
        if legal:
            target = next(t.target for t in CYCLE_TRANSITIONS if t.action == action)
            assert self.cycle.status == target
        else:
            assert self.cycle.status == before

    @rule(by=ACTORS, statement=st.sampled_from(["Run guided reading", "", "Improve questioning"]))
    def propose(self, by: str, statement: str) -> None:
        legal = self.legal_objective("propose", None, by) and bool(statement.strip())
        self.attempt(
            lambda: self.cycle.propose_objective(by=by, on=self.day, statement=statement), legal
        )

    @rule(by=ACTORS, data=st.data())
    def agree(self, by: str, data: st.DataObject) -> None:
        objective_id = self.pick(data)
        if objective_id is None:
            return
        legal = self.legal_objective("agree", objective_id, by)
        self.attempt(lambda: self.cycle.agree_objective(objective_id, by=by, on=self.day), legal)

    @rule(by=ACTORS, data=st.data(), reasons=st.sampled_from([["Which pupils?"], []]))
    def return_(self, by: str, data: st.DataObject, reasons: list[str]) -> None:
        objective_id = self.pick(data)
        if objective_id is None:
            return
        legal = self.legal_objective("return", objective_id, by) and bool(reasons)
        self.attempt(
            lambda: self.cycle.return_objective(objective_id, by=by, on=self.day, reasons=reasons),
            legal,
        )

    @rule(by=ACTORS, data=st.data())
    def resubmit(self, by: str, data: st.DataObject) -> None:
        objective_id = self.pick(data)
        if objective_id is None:
            return
        legal = self.legal_objective("propose", objective_id, by)
        self.attempt(lambda: self.cycle.submit_objective(objective_id, by=by, on=self.day), legal)

    @rule(by=ACTORS, data=st.data())
    def impose(self, by: str, data: st.DataObject) -> None:
        objective_id = self.pick(data)
        if objective_id is None:
            return
        legal = self.legal_objective("set", objective_id, by)
        self.attempt(
            lambda: self.cycle.set_objective(
                objective_id, by=by, on=self.day, disagreement="Not in my control"
            ),
            legal,
        )

    @rule(by=ACTORS, data=st.data(), outcome=st.sampled_from(Outcome))
    def evaluate(self, by: str, data: st.DataObject, outcome: Outcome) -> None:
        objective_id = self.pick(data)
        if objective_id is None:
            return
        legal = self.legal_objective("evaluate", objective_id, by)
        self.attempt(
            lambda: self.cycle.evaluate_objective(
                objective_id, by=by, on=self.day, outcome=outcome
            ),
            legal,
        )

    @rule(by=ACTORS, data=st.data())
    def check_in(self, by: str, data: st.DataObject) -> None:
        objective_id = self.pick(data)
        if objective_id is None:
            return
        objective = self.cycle.objective(objective_id)
        legal = (
            self.cycle.status in (CycleStatus.ACTIVE, CycleStatus.FINAL_REVIEW)
            and objective.status is ObjectiveStatus.AGREED
            and self.cycle.party(by) is not Party.OTHER
        )
        self.attempt(
            lambda: self.cycle.record_check_in(objective_id, by=by, on=self.day, note="progress"),
            legal,
        )

    @rule(by=ACTORS)
    def add_evidence(self, by: str) -> None:
        legal = (
            self.cycle.status
            in (CycleStatus.PLANNING, CycleStatus.ACTIVE, CycleStatus.FINAL_REVIEW)
            and self.cycle.party(by) is not Party.OTHER
        )
        self.attempt(
            lambda: self.cycle.add_evidence(by=by, on=self.day, description="Planning"), legal
        )

    # ----------------------------------------------------------- invariants

    @invariant()
    def closed_cycles_never_change(self) -> None:
        if self.cycle.is_closed:
            if self.closed_snapshot is None:
                self.closed_snapshot = to_dict(self.cycle)
            assert to_dict(self.cycle) == self.closed_snapshot

    @invariant()
    def history_only_grows(self) -> None:
        old = self.last_history
        assert self.cycle.history[: len(old)] == old
        self.last_history = self.cycle.history

    @invariant()
    def agreed_objectives_have_an_agreement_record(self) -> None:
        for objective in self.cycle.objectives:
            if objective.status in (ObjectiveStatus.AGREED, ObjectiveStatus.EVALUATED):
                assert objective.agreement is not None
            if objective.status is ObjectiveStatus.EVALUATED:
                assert objective.evaluation is not None


TestCycleLifecycle = CycleMachine.TestCase


def test_the_methods_find_each_transition_as_a_scan_of_its_table_does() -> None:
    # The methods look rows and target states up by action (issue 16) instead of scanning
    # the tables each call: each action has one row, and the lookup gives that row and its
    # target as the status the enum's constructor makes.
    from devcycle.domain import cycle as cycle_module

    for table, find, targets, status in (
        (
            CYCLE_TRANSITIONS,
            cycle_module._cycle_transition,
            cycle_module._CYCLE_TARGET,
            CycleStatus,
        ),
        (
            OBJECTIVE_TRANSITIONS,
            cycle_module._objective_transition,
            cycle_module._OBJECTIVE_TARGET,
            ObjectiveStatus,
        ),
    ):
        actions = [t.action for t in table]
        assert len(actions) == len(set(actions))
        for row in table:
            assert find(row.action) is next(t for t in table if t.action == row.action)
            assert targets[row.target] is status(row.target)
