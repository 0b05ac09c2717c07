"""References that must exist: people, schools, priorities and standards a record names.

Every reference is resolved within its own school: a reviewer, line manager or cycle owner
must be a staff member *of the same school* (a trust's schools reuse ids, so a reviewer
"H1" at one school never satisfies a reference from another), and a priority must be one
of that school's improvement-plan priorities. A standard must be in a known framework
(shipped, installed as a plug-in, stored, or in the same bundle).

The functions here only report: each returns problems as ``description @ path`` text, for
the caller to raise as one `devcycle.errors.ValidationError` before anything is written.
The service layer (`devcycle.services.Services`) and bundle imports
(`devcycle.storage.bundle.import_bundle`) use them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

from devcycle import domain
from devcycle.catalogues.frameworks import framework, framework_names
from devcycle.errors import DevcycleError, did_you_mean

__all__ = [
    "LazyStandards",
    "cycle_problems",
    "headteachers",
    "known_standards",
    "plan_entry_problems",
    "staff_problems",
    "tag_problems",
]


@functools.cache
def _shipped_standards() -> frozenset[str]:
    ids: set[str] = set()
    for name in framework_names():
        try:
            ids.update(s.id for s in framework(name).standards)
        except DevcycleError:  # a broken plug-in is reported where it is used, not here
            continue
    return frozenset(ids)


def headteachers(staff: Iterable[domain.StaffMember]) -> frozenset[str]:
    """Return the ids of those among *staff* appraised by governors (`domain.governors_review`)."""
    return frozenset(m.id for m in staff if domain.governors_review(m))


def known_standards(frameworks: Iterable[domain.Framework] = ()) -> frozenset[str]:
    """Return every standard id of the shipped and plug-in frameworks and of *frameworks*."""
    extra = {s.id for f in frameworks for s in f.standards}
    return _shipped_standards() | extra


class LazyStandards(Collection[str]):
    """`known_standards` of frameworks read only when a standard is not a shipped one.

    For checks that run per record (every cycle of a bulk change): a standard of a shipped
    or plug-in framework is found without reading the stored frameworks at all; the first
    other standard (or a listing, for a hint) reads them once, through *frameworks*.
    """

    def __init__(self, frameworks: Callable[[], Iterable[domain.Framework]]) -> None:
        self._frameworks = frameworks
        self._all: frozenset[str] | None = None

    def _known(self) -> frozenset[str]:
        if self._all is None:
            self._all = known_standards(self._frameworks())
        return self._all

    def __contains__(self, value: object) -> bool:
        return value in _shipped_standards() or value in self._known()

    def __iter__(self) -> Iterator[str]:
        return iter(self._known())

    def __len__(self) -> int:
        return len(self._known())


class _Either(Collection[str]):
    """The union of two collections, without building it (unless listed)."""

    def __init__(self, first: Collection[str], second: Collection[str]) -> None:
        self._first, self._second = first, second

    def __contains__(self, value: object) -> bool:
        return value in self._first or value in self._second

    def _union(self) -> set[str]:
        return {*self._first, *self._second}

    def __iter__(self) -> Iterator[str]:
        return iter(self._union())

    def __len__(self) -> int:
        return len(self._union())


def _hint(value: str, known: Collection[str]) -> str:
    hint = did_you_mean(value, known) if len(known) < 2000 else ""
    return f"; {hint}" if hint else ""


def _person(
    field: str, value: str | None, school_id: str, staff_ids: Collection[str], where: str
) -> list[str]:
    if value is None or value in staff_ids:
        return []
    return [
        f"{field} {value!r} is not on the staff of school {school_id!r}{_hint(value, staff_ids)}"
        f" (expected the id of a staff member of {school_id!r}) @ {where}.{field}"
    ]


def staff_problems(
    member: domain.StaffMember, staff_ids: Collection[str], where: str = "$"
) -> list[str]:
    """Return the problems with *member*'s reviewer and line manager.

    Both must be staff of *member*'s school, except a headteacher's reviewer: governors
    appraise the headteacher from outside the staff (`domain.governors_review`), as for a
    headteacher's cycle (`cycle_problems`).

    Args:
        member: The staff member.
        staff_ids: The ids of the staff of *member*'s school (stored and being saved).
        where: The path of *member*, for messages.
    """
    reviewer = None if domain.governors_review(member) else member.reviewer_id
    return [
        *_person("reviewer_id", reviewer, member.school_id, staff_ids, where),
        *_person("line_manager_id", member.line_manager_id, member.school_id, staff_ids, where),
    ]


def plan_entry_problems(
    entry: domain.TrainingPlanEntry,
    staff_ids: Collection[str],
    where: str = "$",
    school_id: str | None = None,
    *,
    teams_of: Mapping[str, Collection[str]] | None = None,
) -> list[str]:
    """Return the problems with the people a training-plan entry names.

    Its owner and every participant must be staff of its school, and at team level every
    participant named a member of its team (the rules of
    `devcycle.services.Services.plan_training` and of a bundle import alike).

    Args:
        entry: The entry.
        staff_ids: The ids of the staff of its school (stored and being saved).
        where: The path of *entry*, for messages.
        school_id: The school whose staff *staff_ids* are, if not the entry's own.
        teams_of: The team ids of each of those staff, by staff id: given, the participants
            of a team entry must be members of its team.
    """
    school = entry.school_id if school_id is None else school_id
    problems = []
    if entry.owner_id not in staff_ids:
        problems.append(
            f"owner {entry.owner_id!r} is not a member of staff of {school!r}"
            f"{_hint(entry.owner_id, staff_ids)} (expected the id of a staff member of "
            f"{school!r}) @ {where}.owner_id"
        )
    unknown = [p for p in entry.participant_ids if p not in staff_ids]
    if unknown:
        problems.append(
            f"participant(s) {', '.join(unknown)} not members of staff of {school!r} "
            f"(expected ids of staff members of {school!r}) @ {where}.participant_ids"
        )
    if teams_of is not None and entry.team_id is not None:
        team = entry.team_id
        outside = [
            p for p in entry.participant_ids if p in staff_ids and team not in teams_of.get(p, ())
        ]
        if outside:
            problems.append(
                f"participant(s) {', '.join(outside)} not members of team {team!r}, whose "
                f"training it is (expected members of {team!r}, or add them to the team "
                f"first) @ {where}.participant_ids"
            )
    return problems


def tag_problems(
    obj: Any,
    school_id: str,
    priorities: Collection[str],
    standards: Collection[str],
    where: str = "$",
) -> list[str]:
    """Return the problems with the ``priority_ids`` and ``standard_ids`` of *obj*.

    Args:
        obj: An objective, a CPD activity or offering (anything with both fields).
        school_id: Its school.
        priorities: The ids of the school's priorities.
        standards: The ids of every known standard (`known_standards`).
        where: The path of *obj*, for messages.
    """
    problems = []
    for index, priority in enumerate(obj.priority_ids):
        if priority not in priorities:
            listed = ", ".join(sorted(priorities)) or "none"
            problems.append(
                f"priority {priority!r} is not a priority of school {school_id!r}"
                f"{_hint(priority, priorities)} (expected one of its priorities: {listed}; "
                f"add it to the school's plan first) @ {where}.priority_ids[{index}]"
            )
    for index, standard in enumerate(obj.standard_ids):
        if standard not in standards:
            problems.append(
                f"standard {standard!r} is in no known framework{_hint(standard, standards)} "
                "(expected a standard id of a shipped or stored framework, such as 'TS2.3') "
                f"@ {where}.standard_ids[{index}]"
            )
    return problems


def _refs(cycle: domain.Cycle) -> set[tuple[str, str, str]]:
    found = {("staff_id", "", cycle.staff_id)}
    if cycle.reviewer_id is not None:
        found.add(("reviewer_id", "", cycle.reviewer_id))
    for objective in cycle.objectives:
        found.update(("priority", objective.id, p) for p in objective.priority_ids)
        found.update(("standard", objective.id, s) for s in objective.standard_ids)
    return found


def cycle_problems(
    cycle: domain.Cycle,
    *,
    staff_ids: Collection[str],
    priorities: Collection[str],
    standards: Collection[str],
    where: str = "$",
    before: domain.Cycle | None = None,
    governed: Collection[str] = (),
) -> list[str]:
    """Return the problems with the people and tags *cycle* names.

    Its owner (``staff_id``) and reviewer must be staff of its school; its objectives'
    priorities and standards must exist (`tag_problems`). The one exception is a
    headteacher's reviewer: the governing board (or the trust) appraises the headteacher,
    and governors are not on the staff, so the reviewer of a cycle whose owner is in
    *governed* is not checked.

    Args:
        cycle: The cycle.
        staff_ids: The ids of the staff of its school.
        priorities: The ids of its school's priorities.
        standards: Every known standard id.
        where: The path of *cycle*, for messages.
        before: The cycle as it was stored: only references it did not already hold are
            checked, so a change is never refused for what was there before.
        governed: The ids of the school's headteachers (see above).
    """
    if (
        before is not None
        and cycle.objectives is before.objectives
        and cycle.staff_id == before.staff_id
        and cycle.reviewer_id == before.reviewer_id
    ):
        # Every reference it names was held before (the same objectives, the very same
        # tuple): nothing to check, and nothing to look up (issue 16: a review, a check on
        # a milestone). The same answer as the checks below, which find nothing new.
        return []
    old = _refs(before) if before is not None else set()
    problems = []
    if ("staff_id", "", cycle.staff_id) not in old:
        problems += _person("staff_id", cycle.staff_id, cycle.school_id, staff_ids, where)
    if ("reviewer_id", "", cycle.reviewer_id) not in old and cycle.staff_id not in governed:
        problems += _person("reviewer_id", cycle.reviewer_id, cycle.school_id, staff_ids, where)
    for index, objective in enumerate(cycle.objectives):
        held = {(kind, tag) for kind, owner, tag in old if owner == objective.id}
        problems += tag_problems(
            objective,
            cycle.school_id,
            {*priorities, *(tag for kind, tag in held if kind == "priority")},
            standards if not held else _Either(standards, {t for k, t in held if k == "standard"}),
            f"{where}.objectives[{index}]",
        )
    return problems
