"""Linkage indexes: which CPD, priorities, standards and evidence each objective is tied to.

The link from CPD to objectives lives on the activity (`CPDActivity.objective_refs`), and
evidence carries its own tags. `link` turns those scattered references into one index that
the reports read: per objective its CPD, support, priorities, standards and evidence; per
priority and per standard the objectives and evidence against them; and the loose ends (CPD
linked to no objective, evidence tagged to nothing).

Two schools of a trust may use the same cycle, objective, evidence and CPD ids, so every key
here carries the school: an objective is ``ObjectiveKey(school_id, cycle_id, objective_id)``,
evidence is ``EvidenceRef(school_id, cycle_id, evidence_id)``, and a CPD activity's references
(`CPDActivity.objective_refs`) are read in the activity's own school.

Everything here is pure: no I/O, no clock. Building the index is linear in the number of
objectives, evidence items and activities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import attrs

from devcycle.domain.cpd import CPDActivity, ObjectiveRef
from devcycle.domain.cycle import Cycle

__all__ = ["EvidenceRef", "Linkage", "ObjectiveKey", "ObjectiveLinks", "link"]


@attrs.frozen(order=True)
class EvidenceRef:
    """Points at one piece of evidence in one cycle of one school."""

    school_id: str
    cycle_id: str
    evidence_id: str


@attrs.frozen(order=True)
class ObjectiveKey:
    """Points at one objective in one cycle of one school: the linkage index's key."""

    school_id: str
    cycle_id: str
    objective_id: str

    @property
    def ref(self) -> ObjectiveRef:
        """The reference as a CPD activity of the same school writes it."""
        return ObjectiveRef(self.cycle_id, self.objective_id)


@attrs.frozen
class ObjectiveLinks:
    """Everything one objective is linked to.

    Attributes:
        ref: The objective, as its school's CPD refers to it.
        school_id: Its cycle's school.
        staff_id: Its cycle's reviewee.
        cpd_ids: Activities of its school that name it in their `objective_refs`, sorted.
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
    def key(self) -> ObjectiveKey:
        """The objective with its school."""
        return ObjectiveKey(self.school_id, self.ref.cycle_id, self.ref.objective_id)

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
        objectives_by_standard: Standard id -> objectives that develop it (standards are
            shared by the schools of a trust; the objectives keep their school).
        evidence_by_priority: ``(school_id, priority_id)`` -> evidence against it, tagged
            directly or through an objective that serves the priority.
        evidence_by_standard: Standard id -> evidence against it, likewise.
        unlinked_cpd: ``(school_id, activity_id)`` of activities linked to no objective among
            the cycles indexed.
        untagged_evidence: Evidence tagged to no objective, standard or priority.
    """

    objectives: Mapping[ObjectiveKey, ObjectiveLinks]
    objectives_by_priority: Mapping[tuple[str, str], tuple[ObjectiveKey, ...]]
    objectives_by_standard: Mapping[str, tuple[ObjectiveKey, ...]]
    evidence_by_priority: Mapping[tuple[str, str], tuple[EvidenceRef, ...]]
    evidence_by_standard: Mapping[str, tuple[EvidenceRef, ...]]
    unlinked_cpd: tuple[tuple[str, str], ...]
    untagged_evidence: tuple[EvidenceRef, ...]

    def links(self, school_id: str, cycle_id: str, objective_id: str) -> ObjectiveLinks:
        """Return the links of one objective of one school.

        Raises:
            KeyError: If the objective was not indexed.
        """
        return self.objectives[ObjectiveKey(school_id, cycle_id, objective_id)]


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
    keys = {
        (c.school_id, c.id, o.id): ObjectiveKey(c.school_id, c.id, o.id)
        for c in cycle_list
        for o in c.live_objectives
    }

    cpd_for: dict[ObjectiveKey, list[str]] = defaultdict(list)
    unlinked: list[tuple[str, str]] = []
    for activity in activities:
        hits = [
            found
            for ref in activity.objective_refs
            if (found := keys.get((activity.school_id, ref.cycle_id, ref.objective_id))) is not None
        ]
        for hit in hits:
            cpd_for[hit].append(activity.id)
        if not hits:
            unlinked.append((activity.school_id, activity.id))

    objectives: dict[ObjectiveKey, ObjectiveLinks] = {}
    by_priority: dict[tuple[str, str], list[ObjectiveKey]] = defaultdict(list)
    by_standard: dict[str, list[ObjectiveKey]] = defaultdict(list)
    ev_priority: dict[tuple[str, str], set[EvidenceRef]] = defaultdict(set)
    ev_standard: dict[str, set[EvidenceRef]] = defaultdict(set)
    untagged: list[EvidenceRef] = []

    for cycle in cycle_list:
        evidence_for = _index_evidence(cycle, ev_priority, ev_standard, untagged)
        for objective in cycle.objectives:
            key = keys.get((cycle.school_id, cycle.id, objective.id))
            if key is None:
                continue
            evidence = tuple(evidence_for.get(objective.id, ()))
            objectives[key] = ObjectiveLinks(
                ref=key.ref,
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
        ref = EvidenceRef(cycle.school_id, cycle.id, item.id)
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
    return tuple(sorted(refs))
