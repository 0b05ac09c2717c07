"""One teacher's year: propose, return, agree, check in, evaluate and close a cycle.

Run: python examples/one_teachers_year.py
"""

from __future__ import annotations

from datetime import date

import devcycle as dc
from devcycle import serialization

cycle = dc.Cycle(
    id="2026-T042",
    school_id="stm",
    staff_id="T042",
    reviewer_id="M010",
    period_start=date(2026, 9, 1),
    period_end=date(2027, 8, 31),
)
cycle.start_planning(by="M010", on=date(2026, 9, 10))
objective = cycle.propose_objective(
    by="T042",
    on=date(2026, 9, 20),
    statement="Run guided-reading groups three times a week for the six Year 4 pupils below "
    "age-related expectations, evidenced by their reading-age tests in March.",
    success_criteria=["5 of 6 pupils gain 6+ months reading age by the March test"],
    deadline=date(2027, 3, 31),
    standard_ids=["TS5.4"],
)
cycle.agree_objective(objective.id, by="M010", on=date(2026, 10, 8))
cycle.activate(by="M010", on=date(2026, 10, 8))
cycle.record_check_in(
    objective.id, by="T042", on=date(2026, 12, 10), note="Groups running.", rag=dc.RAG.GREEN
)
cycle.begin_final_review(by="M010", on=date(2027, 7, 1))
cycle.evaluate_objective(
    objective.id,
    by="M010",
    on=date(2027, 7, 8),
    outcome=dc.Outcome.MET,
    impact="5 of 6 pupils gained 6+ months.",
    learning="Pre-teaching vocabulary mattered most.",
)
cycle.close(by="M010", on=date(2027, 7, 10))

for entry in cycle.history:
    print(f"{entry.on}  {entry.by:5}  {entry.action:20} {entry.target:16} {entry.to_state or ''}")
assert serialization.loads(serialization.dumps(cycle), dc.Cycle) == cycle
