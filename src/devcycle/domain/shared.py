"""Shared objectives: one joint or whole-school objective, held in several people's cycles.

A *joint* objective (two or more named owners) and a *whole-school* objective (cascaded to
everyone in scope) are each one objective held as a copy in every holder's cycle, the copies
tied together by the same `Objective.shared_ref` within one school. What makes them one
objective is shared and must agree in every copy: the statement, rationale, kind, success
criteria, evidence sources, deadline, priorities and standards; for a joint objective its
owners; and, once evaluated, the evaluation's outcome, impact and learning (one evaluation).
What each holder does with it stays their own: their check-ins, its agreement in their own
cycle, the evidence in their cycle, their support and their comment on the evaluation.

- `share` adds a joint objective to each owner's cycle, as a draft by that owner;
- `cascade` adds a whole-school objective to every cycle in scope, as a draft by each
  cycle's reviewer, leaving alone cycles that already hold it (run it again safely);
- `evaluate_shared` records the one evaluation in every copy at once;
- `shared_conflicts` lists copies that disagree; every store runs it before it commits a
  change to a cycle holding a shared objective, and refuses the commit if any disagree;
- `objective_key` names an objective so that reports count a shared one once.

Example:
    >>> from datetime import date
    >>> from devcycle.domain import Cycle
    >>> def cycle(staff_id):
    ...     c = Cycle(id=f"2026-{staff_id}", school_id="stm", staff_id=staff_id,
    ...               reviewer_id="H1", period_start=date(2026, 9, 1),
    ...               period_end=date(2027, 8, 31))
    ...     c.start_planning(by="H1", on=date(2026, 9, 2))
    ...     return c
    >>> team = [cycle("T1"), cycle("T2")]
    >>> done = share(team, ref="ks1-phonics", on=date(2026, 9, 20),
    ...              statement="Raise Year 1 phonics screening passes to 85% by June.")
    >>> [(c.staff_id, o.owner_ids) for c, o in done]
    [('T1', ('T1', 'T2')), ('T2', ('T1', 'T2'))]
    >>> shared_conflicts(team)
    []
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import attrs

from devcycle.domain.cycle import Cycle
from devcycle.domain.objectives import Objective, ObjectiveKind, ObjectiveStatus, Outcome
from devcycle.errors import DevcycleError, DomainError, ValidationError

__all__ = [
    "SHARED_FIELDS",
    "Cascade",
    "SharedConflictError",
    "cascade",
    "check_shared",
    "evaluate_shared",
    "objective_key",
    "share",
    "shared_conflicts",
]

SHARED_FIELDS: tuple[str, ...] = (
    "statement",
    "rationale",
    "kind",
    "success_criteria",
    "evidence_sources",
    "deadline",
    "priority_ids",
    "standard_ids",
)
"""The fields every copy of a shared objective holds alike (joint ones: owners too)."""

_EVALUATION_FIELDS: tuple[str, ...] = ("outcome", "impact", "learning")
"""The parts of an evaluation that are the one evaluation of a shared objective."""


class SharedConflictError(ValidationError):
    """Copies of one shared objective disagree, or a change would make them disagree."""


def objective_key(school_id: str, cycle_id: str, objective: Objective) -> tuple[str, ...]:
    """Return a key that copies of one shared objective have in common, for counting once.

    A shared objective's key is its school and `Objective.shared_ref`; any other objective's
    is its school, cycle and id.
    """
    if objective.shared_ref:
        return ("shared", school_id, objective.shared_ref)
    return ("own", school_id, cycle_id, objective.id)


def _value(objective: Objective, field: str) -> object:
    value = getattr(objective, field)
    if field in ("priority_ids", "standard_ids"):
        return tuple(sorted(value))
    if field == "success_criteria":
        return tuple(c.text for c in value)
    return value


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(str(v) for v in value) + ")" if value else "none"
    if hasattr(value, "value"):
        return str(value.value)
    return repr(value) if isinstance(value, str) else str(value)


def _differences(first: Objective, other: Objective) -> list[tuple[str, object, object]]:
    found = [
        (f, _value(first, f), _value(other, f))
        for f in SHARED_FIELDS
        if _value(first, f) != _value(other, f)
    ]
    if (
        first.kind is ObjectiveKind.JOINT
        and other.kind is ObjectiveKind.JOINT
        and set(first.owner_ids) != set(other.owner_ids)
    ):
        found.append(("owner_ids", tuple(sorted(first.owner_ids)), tuple(sorted(other.owner_ids))))
    if first.evaluation is not None and other.evaluation is not None:
        for f in _EVALUATION_FIELDS:
            mine, theirs = getattr(first.evaluation, f), getattr(other.evaluation, f)
            if mine != theirs:
                found.append((f"evaluation.{f}", mine, theirs))
    return found


def shared_conflicts(cycles: Iterable[Cycle], *, refs: Iterable[str] | None = None) -> list[str]:
    """Return every disagreement between copies of a shared objective, as ``message @ where``.

    Copies are grouped by school and `Objective.shared_ref`. Each copy is compared with the
    first (by cycle id); a joint objective must also be held in a cycle of one of its
    owners, and one cycle may hold only one copy of a shared objective. Drafts count: a
    copy is one objective from the moment it is added. An evaluation is compared once both
    copies have one, so copies can be evaluated one after another in one transaction.
    With *refs*, only those shared objectives are checked.
    """
    wanted = None if refs is None else set(refs)
    groups: dict[tuple[str, str], list[tuple[Cycle, Objective]]] = defaultdict(list)
    for cycle in sorted(cycles, key=lambda c: (c.school_id, c.id)):
        for objective in cycle.objectives:
            if objective.shared_ref and (wanted is None or objective.shared_ref in wanted):
                groups[(cycle.school_id, objective.shared_ref)].append((cycle, objective))
    problems: list[str] = []
    for (school_id, ref), copies in sorted(groups.items()):
        first_cycle, first = copies[0]
        seen: set[str] = set()
        for cycle, objective in copies:
            where = f"{school_id}/{cycle.id}#{objective.id}"
            if cycle.id in seen:
                problems.append(
                    f"cycle {cycle.id!r} holds shared objective {ref!r} twice @ {where}"
                )
            seen.add(cycle.id)
            if objective.kind is ObjectiveKind.JOINT and cycle.staff_id not in objective.owner_ids:
                problems.append(
                    f"joint objective {ref!r} is in the cycle of {cycle.staff_id!r}, who is not "
                    f"one of its owners ({', '.join(objective.owner_ids)}) @ {where}"
                )
            if objective is first:
                continue
            for field, expected, got in _differences(first, objective):
                problems.append(
                    f"copy of shared objective {ref!r} has {field} {_show(got)}, but the copy "
                    f"in {first_cycle.id}#{first.id} has {_show(expected)} @ {where}"
                )
    return problems


def check_shared(cycles: Iterable[Cycle]) -> None:
    """Raise `SharedConflictError` listing every disagreement `shared_conflicts` finds."""
    problems = shared_conflicts(cycles)
    if problems:
        raise SharedConflictError(problems)


@attrs.frozen
class Cascade:
    """What `cascade` did.

    Attributes:
        added: ``(cycle, objective)`` for each cycle given a copy.
        already: Cycles that already held the objective, left alone.
        skipped: ``(cycle, reason)`` for cycles that could not take it (closed, no reviewer,
            not open for new objectives).
    """

    added: tuple[tuple[Cycle, Objective], ...]
    already: tuple[Cycle, ...]
    skipped: tuple[tuple[Cycle, str], ...]


def _fields(
    statement: str, kind: ObjectiveKind, ref: str, fields: dict[str, Any]
) -> dict[str, Any]:
    unknown = sorted(set(fields) - {*SHARED_FIELDS, "support"} - {"kind", "statement"})
    if unknown:
        msg = f"cannot share an objective with {', '.join(unknown)}: not a shared field"
        raise ValidationError([msg])
    return {**fields, "statement": statement, "kind": kind, "shared_ref": ref}


def _holding(cycle: Cycle, ref: str) -> Objective | None:
    return next((o for o in cycle.objectives if o.shared_ref == ref), None)


def _same_school(cycles: Sequence[Cycle], ref: str) -> None:
    schools = sorted({c.school_id for c in cycles})
    if len(schools) > 1:
        msg = (
            f"shared objective {ref!r} can be shared only within one school "
            f"(got cycles of {', '.join(schools)})"
        )
        raise ValidationError([msg])


def share(
    cycles: Sequence[Cycle],
    *,
    ref: str,
    on: date,
    statement: str,
    **fields: Any,
) -> list[tuple[Cycle, Objective]]:
    """Add one joint objective to the cycle of each owner, as a draft by that owner.

    The owners are the cycles' reviewees (two or more, in one school). Each reviewer then
    agrees it in their own cycle as usual; each owner records their own check-ins.

    Args:
        cycles: One cycle per owner.
        ref: The shared objective's id within the school (`Objective.shared_ref`).
        on: The day it is added.
        statement: The objective.
        fields: Other shared fields (rationale, success_criteria, deadline, priority_ids...).

    Returns:
        ``(cycle, objective)`` for each copy added, in the order of *cycles*.

    Raises:
        ValidationError: For fewer than two owners, cycles of several schools, an owner
            twice, or a field that is not shared; `SharedConflictError` if a cycle already
            holds *ref*. Nothing is changed then.
        DomainError: If a cycle is not open for new objectives (nothing is changed).
    """
    owners = tuple(c.staff_id for c in cycles)
    if len(set(owners)) < 2 or len(set(owners)) != len(owners):
        msg = (
            f"a joint objective needs the cycles of two or more different owners "
            f"(got {', '.join(owners) or 'none'})"
        )
        raise ValidationError([msg])
    _same_school(cycles, ref)
    held = [f"{c.id}#{o.id}" for c in cycles if (o := _holding(c, ref)) is not None]
    if held:
        msg = f"shared objective {ref!r} is already held in {', '.join(held)}"
        raise SharedConflictError([msg])
    values = _fields(statement, ObjectiveKind.JOINT, ref, fields)
    return _add_all([(c, c.staff_id) for c in cycles], values | {"owner_ids": owners}, on)


def _add_all(
    plan: Sequence[tuple[Cycle, str]], values: dict[str, Any], on: date
) -> list[tuple[Cycle, Objective]]:
    """Draft the objective in every cycle, or in none: each is tried on a copy first."""
    for cycle, by in plan:
        copy.deepcopy(cycle).draft_objective(by=by, on=on, **values)
    return [(cycle, cycle.draft_objective(by=by, on=on, **values)) for cycle, by in plan]


def cascade(
    cycles: Iterable[Cycle],
    *,
    ref: str,
    on: date,
    statement: str,
    **fields: Any,
) -> Cascade:
    """Add a whole-school objective to every cycle given, as a draft by each cycle's reviewer.

    Run it again with more cycles (a joiner's) and only those are added: cycles already
    holding *ref* are left alone, and cycles that cannot take a new objective (closed, with
    no reviewer, past planning) are reported as skipped rather than failing the rest.

    Raises:
        ValidationError: For cycles of several schools or a field that is not shared.
        SharedConflictError: If a cycle already holds *ref* with different content.
    """
    cycles = list(cycles)
    _same_school(cycles, ref)
    values = _fields(statement, ObjectiveKind.WHOLE_SCHOOL, ref, fields)
    added: list[tuple[Cycle, Objective]] = []
    already: list[Cycle] = []
    skipped: list[tuple[Cycle, str]] = []
    problems: list[str] = []
    for cycle in cycles:
        held = _holding(cycle, ref)
        if held is None:
            continue
        already.append(cycle)
        for field, expected, got in _against(values, held):
            problems.append(
                f"{cycle.id}#{held.id} already holds {ref!r} with {field} {_show(got)}, "
                f"not {_show(expected)} @ {cycle.school_id}/{cycle.id}#{held.id}"
            )
    if problems:
        raise SharedConflictError(problems)
    for cycle in cycles:
        if cycle in already:
            continue
        if cycle.reviewer_id is None:
            skipped.append((cycle, "it has no reviewer to bring the objective to planning"))
            continue
        try:
            added.append((cycle, cycle.draft_objective(by=cycle.reviewer_id, on=on, **values)))
        except DevcycleError as exc:
            skipped.append((cycle, str(exc)))
    return Cascade(tuple(added), tuple(already), tuple(skipped))


_DEFAULTS: dict[str, Any] = {
    "rationale": "",
    "success_criteria": (),
    "evidence_sources": (),
    "deadline": None,
    "priority_ids": (),
    "standard_ids": (),
}


def _against(values: dict[str, Any], held: Objective) -> list[tuple[str, object, object]]:
    """The shared fields where *held* differs from the *values* an objective is added with."""
    found: list[tuple[str, object, object]] = []
    for field in SHARED_FIELDS:
        wanted: Any = values.get(field, _DEFAULTS.get(field))
        if field == "kind":
            wanted = ObjectiveKind(wanted)
        elif field == "success_criteria":
            wanted = tuple(getattr(c, "text", c) for c in wanted)
        elif field in ("priority_ids", "standard_ids"):
            wanted = tuple(sorted(wanted))
        elif field == "evidence_sources":
            wanted = tuple(wanted)
        got = _value(held, field)
        if wanted != got:
            found.append((field, wanted, got))
    return found


def evaluate_shared(
    cycles: Iterable[Cycle],
    ref: str,
    *,
    on: date,
    outcome: Outcome | str,
    impact: str = "",
    learning: str = "",
    by: str | None = None,
) -> list[tuple[Cycle, Objective]]:
    """Record the one evaluation of shared objective *ref* in every cycle holding it.

    Each copy is evaluated by *by*, or by its cycle's reviewer. All or nothing: if one copy
    cannot be evaluated (not agreed yet, say) none is.

    Raises:
        DomainError: If no cycle holds *ref*, or a copy cannot be evaluated.
    """
    holders = [(c, o) for c in cycles if (o := _holding(c, ref)) is not None]
    if not holders:
        msg = f"cannot evaluate shared objective {ref!r}: no cycle given holds it"
        raise DomainError(msg)
    waiting = [
        f"{c.id}#{o.id} ({o.status.value})"
        for c, o in holders
        if o.status is not ObjectiveStatus.AGREED
    ]
    if waiting:
        msg = (
            f"cannot evaluate shared objective {ref!r}: every copy must be agreed first; "
            f"not yet: {', '.join(waiting)}"
        )
        raise DomainError(msg)

    def evaluate(cycle: Cycle, objective: Objective) -> Objective:
        return cycle.evaluate_objective(
            objective.id,
            by=by if by is not None else (cycle.reviewer_id or cycle.staff_id),
            on=on,
            outcome=Outcome(outcome),
            impact=impact,
            learning=learning,
        )

    for cycle, objective in holders:  # all or nothing: try each on a copy first
        evaluate(copy.deepcopy(cycle), objective)
    return [(cycle, evaluate(cycle, objective)) for cycle, objective in holders]
