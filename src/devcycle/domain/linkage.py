"""Linkage indexes: which CPD, priorities, standards and evidence each objective is tied to.

The link from CPD to objectives lives on the activity (`CPDActivity.objective_refs`), and
evidence carries its own tags. `link` turns those scattered references into one index that
the reports read: per objective its CPD, support, priorities, standards and evidence; per
priority and per standard the objectives and evidence against them; and the loose ends (CPD
linked to no objective, evidence tagged to nothing).

Everything here is pure: no I/O, no clock. Building the index is linear in the number of
objectives, evidence items and activities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs

from devcycle.domain.cpd import CPDActivity, ObjectiveRef
from devcycle.domain.cycle import Cycle

__all__ = ["EvidenceRef", "Linkage", "ObjectiveLinks", "link"]


@attrs.frozen(order=True)
class EvidenceRef:
    """Points at one piece of evidence in one cycle."""

    cycle_id: str
    evidence_id: str


@attrs.frozen
class ObjectiveLinks:
    """Everything one objective is linked to.

    Attributes:
        ref: The objective.
        school_id: Its cycle's school.
        staff_id: Its cycle's reviewee.
        cpd_ids: CPD activities that name it in their `objective_refs`, sorted.
        support: Support other than recorded CPD, from the objective itself.
        priority_ids: School priorities it contributes to.
        standard_ids: Standards it develops.
        evidence: Evidence in its cycle tagged to it.
        has_success_criteria: Whether it states any success criterion.
    """

    ref: ObjectiveRef
    school_id: str
    staff_id: str
    cpd_ids: tuple[str, ...]
    support: tuple[str, ...]
    priority_ids: tuple[str, ...]
    standard_ids: tuple[str, ...]
    evidence: tuple[EvidenceRef, ...]
    has_success_criteria: bool

    @property
    def has_support(self) -> bool:
        """Whether any CPD or other support is linked to the objective."""
        return bool(self.cpd_ids or self.support)


@attrs.frozen
class Linkage:
    """The linkage index over a set of cycles and CPD activities (see `link`).

    Attributes:
        objectives: Per objective, what it is linked to, in cycle and objective order.
        objectives_by_priority: ``(school_id, priority_id)`` -> objectives linked to it.
        objectives_by_standard: Standard id -> objectives that develop it.
        evidence_by_priority: ``(school_id, priority_id)`` -> evidence against it, tagged
            directly or through an objective that serves the priority.
        evidence_by_standard: Standard id -> evidence against it, likewise.
        unlinked_cpd: Ids of activities linked to no objective among the cycles indexed.
        untagged_evidence: Evidence tagged to no objective, standard or priority.
    """

    objectives: Mapping[ObjectiveRef, ObjectiveLinks]
    objectives_by_priority: Mapping[tuple[str, str], tuple[ObjectiveRef, ...]]
    objectives_by_standard: Mapping[str, tuple[ObjectiveRef, ...]]
    evidence_by_priority: Mapping[tuple[str, str], tuple[EvidenceRef, ...]]
    evidence_by_standard: Mapping[str, tuple[EvidenceRef, ...]]
    unlinked_cpd: tuple[str, ...]
    untagged_evidence: tuple[EvidenceRef, ...]

    def links(self, cycle_id: str, objective_id: str) -> ObjectiveLinks:
        """Return the links of one objective.

        Raises:
            KeyError: If the objective was not indexed.
        """
        return self.objectives[ObjectiveRef(cycle_id, objective_id)]


def link(cycles: Iterable[Cycle], activities: Iterable[CPDActivity]) -> Linkage:
    """Build the linkage index for *cycles* and the CPD *activities* that may support them.

    Objectives are indexed when they count towards a person's load (proposed, returned,
    agreed or evaluated: `Cycle.live_objectives`); drafts are left out.

    Args:
        cycles: The cycles whose objectives and evidence to index.
        activities: CPD activities; only their links to the indexed objectives count.

    Returns:
        The index. An activity whose every reference points outside *cycles* is listed in
        `Linkage.unlinked_cpd`.

    Example:
        >>> index = link([], [])
        >>> index.unlinked_cpd
        ()
    """
    cycle_list = list(cycles)
    refs = {(c.id, o.id): ObjectiveRef(c.id, o.id) for c in cycle_list for o in c.live_objectives}
    known = set(refs.values())

    cpd_for: dict[ObjectiveRef, list[str]] = defaultdict(list)
    unlinked: list[str] = []
    for activity in activities:
        hits = [ref for ref in activity.objective_refs if ref in known]
        for ref in hits:
            cpd_for[ref].append(activity.id)
        if not hits:
            unlinked.append(activity.id)

    objectives: dict[ObjectiveRef, ObjectiveLinks] = {}
    by_priority: dict[tuple[str, str], list[ObjectiveRef]] = defaultdict(list)
    by_standard: dict[str, list[ObjectiveRef]] = defaultdict(list)
    ev_priority: dict[tuple[str, str], set[EvidenceRef]] = defaultdict(set)
    ev_standard: dict[str, set[EvidenceRef]] = defaultdict(set)
    untagged: list[EvidenceRef] = []

    for cycle in cycle_list:
        evidence_for = _index_evidence(cycle, ev_priority, ev_standard, untagged)
        for objective in cycle.objectives:
            key = refs.get((cycle.id, objective.id))
            if key is None:
                continue
            evidence = tuple(evidence_for.get(objective.id, ()))
            objectives[key] = ObjectiveLinks(
                ref=key,
                school_id=cycle.school_id,
                staff_id=cycle.staff_id,
                cpd_ids=tuple(sorted(cpd_for.get(key, ()))),
                support=objective.support,
                priority_ids=objective.priority_ids,
                standard_ids=objective.standard_ids,
                evidence=evidence,
                has_success_criteria=bool(objective.success_criteria),
            )
            for priority_id in objective.priority_ids:
                by_priority[(cycle.school_id, priority_id)].append(key)
                ev_priority[(cycle.school_id, priority_id)].update(evidence)
            for standard_id in objective.standard_ids:
                by_standard[standard_id].append(key)
                ev_standard[standard_id].update(evidence)

    return Linkage(
        objectives=objectives,
        objectives_by_priority={k: tuple(v) for k, v in by_priority.items()},
        objectives_by_standard={k: tuple(v) for k, v in by_standard.items()},
        evidence_by_priority={k: _ordered(v) for k, v in ev_priority.items()},
        evidence_by_standard={k: _ordered(v) for k, v in ev_standard.items()},
        unlinked_cpd=tuple(unlinked),
        untagged_evidence=tuple(untagged),
    )


def _index_evidence(
    cycle: Cycle,
    ev_priority: dict[tuple[str, str], set[EvidenceRef]],
    ev_standard: dict[str, set[EvidenceRef]],
    untagged: list[EvidenceRef],
) -> dict[str, list[EvidenceRef]]:
    """Index one cycle's evidence; return it by objective id."""
    evidence_for: dict[str, list[EvidenceRef]] = defaultdict(list)
    for item in cycle.evidence:
        ref = EvidenceRef(cycle.id, item.id)
        if not item.is_tagged:
            untagged.append(ref)
        for objective_id in item.objective_ids:
            evidence_for[objective_id].append(ref)
        for priority_id in item.priority_ids:
            ev_priority[(cycle.school_id, priority_id)].add(ref)
        for standard_id in item.standard_ids:
            ev_standard[standard_id].add(ref)
    return evidence_for


def _ordered(refs: set[EvidenceRef]) -> tuple[EvidenceRef, ...]:
    return tuple(sorted(refs, key=lambda r: (r.cycle_id, r.evidence_id)))
