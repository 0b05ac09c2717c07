"""What every report shares: the data it reads, the scope it covers, and how groups roll up.

A report reads a `ReportData` (schools, staff, cycles, CPD), narrows it to a `Scope` (one
person, a team, a school or the whole trust) as of a date, and resolves that once into a
`_Resolved` view: the people in scope, each person's current cycle, and the groups (teams,
schools, the trust) their figures roll up into. Bad input raises `ReportInputError` or
`NotFoundError` with a message a person can act on, never an empty report.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

import attrs

from devcycle._gc import paused_during
from devcycle.domain import (
    CPDActivity,
    Cycle,
    MeetingRating,
    School,
    StaffMember,
    SurveyResponse,
    TrainingPlanEntry,
    Trust,
    governors_review,
    missing_reviewer,
)
from devcycle.domain.linkage import Linkage, link
from devcycle.errors import DevcycleError, NotFoundError
from devcycle.rules.engine import reserve_memo

__all__ = [
    "Group",
    "ReportData",
    "ReportInputError",
    "Scope",
    "ScopeInfo",
    "StaffKey",
    "UnreviewedCycle",
    "WeekCounter",
]

T = TypeVar("T")

StaffKey = tuple[str, str]
"""A member of staff as ``(school_id, staff_id)``: two schools of a trust may both have a "T1"."""


def staff_key(person: StaffMember) -> StaffKey:
    """Return ``(school_id, id)`` of *person*, the key every report index uses."""
    return (person.school_id, person.id)


def on_roll(staff: Iterable[StaffMember], as_of: date) -> list[StaffMember]:
    """Return the members of *staff* who had not left by *as_of*, in order.

    The one check every report makes of a leaver (`StaffMember.has_left`): a report as of
    a day after someone's ``leaving_date`` leaves them out (their people, counts, cycles,
    reviewer loads and budgets' staff hours); one as of their last day or before still
    has them.
    """
    return [p for p in staff if not p.has_left(as_of)]


T_co = TypeVar("T_co", covariant=True)


class ReportInputError(DevcycleError, ValueError):
    """A report was asked for something it cannot answer: an empty school, a date no cycle covers.

    The message says what was asked, what was found instead, and what to do about it.
    """


class WeekCounter(Protocol):
    """Anything that counts school weeks between two dates (a `SchoolCalendar` does).

    Reports count staleness in school weeks when given one, so that holidays do not make an
    objective look forgotten; without one they count calendar weeks and say so.
    """

    def school_weeks_between(self, start: date, end: date) -> float:
        """Return the number of school weeks from *start* to *end* (0 if *end* is earlier)."""
        ...


def _schools(value: Iterable[School]) -> tuple[School, ...]:
    return tuple(value)


def _staff(value: Iterable[StaffMember]) -> tuple[StaffMember, ...]:
    return tuple(value)


def _cycles(value: Iterable[Cycle]) -> tuple[Cycle, ...]:
    return tuple(value)


def _activities(value: Iterable[CPDActivity]) -> tuple[CPDActivity, ...]:
    return tuple(value)


def _ratings(value: Iterable[MeetingRating]) -> tuple[MeetingRating, ...]:
    return tuple(value)


def _responses(value: Iterable[SurveyResponse]) -> tuple[SurveyResponse, ...]:
    return tuple(value)


def _entries(value: Iterable[TrainingPlanEntry]) -> tuple[TrainingPlanEntry, ...]:
    return tuple(value)


class _Schools(Protocol):
    def get(self, school_id: str) -> School: ...
    def list(self) -> Sequence[School]: ...


class _BySchool(Protocol[T_co]):
    def for_school(self, school_id: str) -> Sequence[T_co]: ...


class _Trusts(Protocol):
    def get(self, trust_id: str) -> Trust: ...


class StoreLike(Protocol):
    """What `ReportData.from_store` needs of a store: any `devcycle.storage.Store` has it."""

    @property
    def schools(self) -> _Schools: ...
    @property
    def staff(self) -> _BySchool[StaffMember]: ...
    @property
    def cycles(self) -> _BySchool[Cycle]: ...
    @property
    def cpd(self) -> _BySchool[CPDActivity]: ...
    @property
    def trusts(self) -> _Trusts: ...


@attrs.frozen
class ReportData:
    """Everything the reports read, already loaded (from a store, files or memory).

    Attributes:
        schools: The schools; a report covers one, or all of them for a trust.
        staff: Staff of those schools.
        cycles: Their cycles, current and past; each report picks the cycle whose period
            contains the as-of date.
        cpd: CPD activities of those schools.
        trust: The trust the schools belong to, if reporting across a trust.
        ratings: Staff-voice meeting ratings of those schools. Reports only ever show them
            aggregated, for groups of at least the voice policy's minimum size (the voice,
            moderation and health reports).
        responses: Answers to the schools' process surveys, shown the same way.
        training_plan: The schools' training-plan entries (planned training, with dates,
            owner, hours and cost), set against each school's ``cpd_budgets`` in the
            training-needs report.

    Examples:
        >>> from devcycle.domain import School
        >>> data = ReportData(schools=(School(id="stm", name="St Mary's"),), staff=(), cycles=())
        >>> len(data.schools)
        1
    """

    schools: tuple[School, ...] = attrs.field(converter=_schools)
    staff: tuple[StaffMember, ...] = attrs.field(converter=_staff)
    cycles: tuple[Cycle, ...] = attrs.field(converter=_cycles)
    cpd: tuple[CPDActivity, ...] = attrs.field(default=(), converter=_activities)
    trust: Trust | None = None
    ratings: tuple[MeetingRating, ...] = attrs.field(default=(), converter=_ratings)
    responses: tuple[SurveyResponse, ...] = attrs.field(default=(), converter=_responses)
    training_plan: tuple[TrainingPlanEntry, ...] = attrs.field(default=(), converter=_entries)

    @classmethod
    @paused_during
    def from_store(
        cls,
        store: StoreLike,
        school_id: str | None = None,
        *,
        schools: Iterable[School] | None = None,
    ) -> ReportData:
        """Load one school, or every school in *store* (a trust), with staff, cycles and CPD.

        Staff voice (meeting ratings, survey responses) comes too, from a store that keeps it
        (every `devcycle.storage.Store` does).

        A store's records are read in one read-only transaction
        (``store.transaction(readonly=True)``), so that on SQLite and PostgreSQL the staff,
        cycles and CPD are of one moment, whatever is saved while they are read; given a
        transaction, they are read in it.

        Args:
            store: An open `devcycle.storage.Store`, a transaction of one (``UnitOfWork``),
                or anything with their repositories.
            school_id: One school; by default every school in the store.
            schools: The schools to load, already read (those an actor may report on,
                `devcycle.services.Services.report_schools`), instead of every school;
                not with *school_id*.

        Returns:
            The data; the trust too, when every school names the same one and it is stored.

        Raises:
            NotFoundError: If *school_id* is not in the store.
        """
        if schools is not None and school_id is not None:
            msg = "give ReportData.from_store a school_id or the schools, not both"
            raise ValueError(msg)
        opener = getattr(store, "transaction", None)
        if callable(opener):  # a store: everything read in one read-only transaction
            with opener(readonly=True) as tx:
                return cls.from_store(tx, school_id, schools=schools)
        chosen = (
            list(schools)
            if schools is not None
            else [store.schools.get(school_id)]
            if school_id
            else list(store.schools.list())
        )
        staff: list[StaffMember] = []
        cycles: list[Cycle] = []
        cpd: list[CPDActivity] = []
        ratings: list[MeetingRating] = []
        responses: list[SurveyResponse] = []
        rated = getattr(store, "meeting_ratings", None)
        answered = getattr(store, "survey_responses", None)
        planned = getattr(store, "training_plan", None)
        entries: list[TrainingPlanEntry] = []
        for school in chosen:
            staff.extend(store.staff.for_school(school.id))
            cycles.extend(store.cycles.for_school(school.id))
            cpd.extend(store.cpd.for_school(school.id))
            if rated is not None:
                ratings.extend(rated.for_school(school.id))
            if answered is not None:
                responses.extend(answered.for_school(school.id))
            if planned is not None:
                entries.extend(planned.for_school(school.id))
        trust = None
        trust_ids = {s.trust_id for s in chosen}
        if school_id is None and len(trust_ids) == 1:
            (trust_id,) = trust_ids
            if trust_id is not None:
                try:
                    trust = store.trusts.get(trust_id)
                except NotFoundError:
                    trust = None
        return cls(
            schools=chosen,
            staff=staff,
            cycles=cycles,
            cpd=cpd,
            trust=trust,
            ratings=ratings,
            responses=responses,
            training_plan=entries,
        )


@attrs.frozen
class Scope:
    """Which part of the data a report covers: a person, a team, a school or everything.

    Give at most one of *person_id* and *team_id*; *school_id* narrows either (and is needed
    for a team or a person whose id more than one school uses: people, teams, cycles and CPD
    are identified by their school and their id together). With nothing set the scope is
    every school in the data: the whole trust.

    Attributes:
        school_id: One school.
        team_id: One team (unique within its school).
        person_id: One member of staff.
    """

    school_id: str | None = None
    team_id: str | None = None
    person_id: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.team_id is not None and self.person_id is not None:
            msg = "choose a team or a person for a report, not both"
            raise ReportInputError(msg)

    @property
    def level(self) -> str:
        """``person``, ``team``, ``school`` or ``trust``."""
        if self.person_id is not None:
            return "person"
        if self.team_id is not None:
            return "team"
        if self.school_id is not None:
            return "school"
        return "trust"


@attrs.frozen
class ScopeInfo:
    """What a report covered, for its heading and for embedders.

    Attributes:
        level: ``person``, ``team``, ``school`` or ``trust``.
        label: A human description ("Key Stage 2, Oakfield Primary").
        as_of: The day the report judges.
        school_ids: The schools covered.
        people: How many staff are in scope.
        with_cycle: How many of them have a cycle covering the as-of date.
        school_names: The names of the schools covered, in the order of *school_ids*.
    """

    level: str
    label: str
    as_of: date
    school_ids: tuple[str, ...]
    people: int
    with_cycle: int
    school_names: tuple[str, ...] = ()

    @property
    def several_schools(self) -> bool:
        """Whether the report spans more than one school (its tables then name each row's)."""
        return len(self.school_ids) > 1

    @functools.cached_property
    def _names_by_id(self) -> dict[str, str]:
        # Built once per report, not once per row: rows are named by school for every person
        # of a trust, and building this per call made that quadratic in the schools.
        return dict(zip(self.school_ids, self.school_names, strict=False))

    def school_name(self, school_id: str) -> str:
        """The name of a school covered (its id when the name is not known)."""
        return self._names_by_id.get(school_id, school_id)


@attrs.frozen
class Group:
    """A team, school or trust whose figures are the sum of its members'.

    Attributes:
        kind: ``team``, ``school`` or ``trust``.
        id: The team, school or trust id (``"all"`` for an unnamed set of schools).
        name: Its name.
        school_id: The school a team belongs to, or the school itself; None for a trust.
        members: Staff in scope who belong to it as ``(school_id, staff_id)``, in staff order.
        leader_id: The team leader, for a team that names one (in the team's school).
    """

    kind: str
    id: str
    name: str
    school_id: str | None
    members: tuple[StaffKey, ...]
    leader_id: str | None = None

    @property
    def member_ids(self) -> tuple[str, ...]:
        """The members' staff ids alone (ambiguous for a trust whose schools reuse ids)."""
        return tuple(staff_id for _, staff_id in self.members)


@attrs.frozen
class UnreviewedCycle:
    """An open cycle nobody is reviewing (`devcycle.domain.missing_reviewer`).

    It has no reviewer, its reviewer had left by the as-of date, or its reviewer is not on
    the school's staff (a headteacher's governor reviewer excepted). Whoever gives cycles
    their reviewers (the headteacher or the school office by default) acts on it, with
    ``devcycle person reassign``; until then nobody may agree its objectives or hold its
    reviews. A headteacher's reviewer is the governor who appraises them.

    Attributes:
        school_id: The school of the cycle and the person.
        staff_id: Whose cycle.
        name: Their name.
        cycle_id: The cycle.
        problem: What is wrong, in words a headteacher acts on ("no reviewer", "reviewer
            Ben Bell (B) left on 2027-01-15", "reviewer X9 is not on the staff").
        reviewer_id: The reviewer the cycle names, if any.
        reviewer_left: That reviewer's leaving date, when they had left by the as-of date.
        by_governors: Whether governors appraise the person (a headteacher:
            `devcycle.domain.governors_review`), so that their reviewer is a governor.
    """

    school_id: str
    staff_id: str
    name: str
    cycle_id: str
    problem: str
    reviewer_id: str | None = None
    reviewer_left: date | None = None
    by_governors: bool = False

    @property
    def action(self) -> str:
        """What to do about it, in plain words, with the command that does it."""
        source = f" {self.reviewer_id}" if self.reviewer_id is not None else ""
        command = (
            f"devcycle person reassign{source} --school {self.school_id} --cycle {self.cycle_id}"
        )
        if self.by_governors:
            return (
                f"Record the governor who appraises {self.name} as the reviewer of cycle "
                f"{self.cycle_id}: {command} --to GOVERNOR_ID"
            )
        instead = f" in place of {self.reviewer_id}" if self.reviewer_id is not None else ""
        return f"Give {self.name} a reviewer still at the school{instead}: {command} --to STAFF_ID"


@attrs.define
class _Resolved:
    """The data narrowed to a scope at a date; built once per report call."""

    data: ReportData
    scope: Scope
    as_of: date
    schools: tuple[School, ...]
    people: tuple[StaffMember, ...]
    current: dict[StaffKey, Cycle]
    groups: tuple[Group, ...]
    cpd: tuple[CPDActivity, ...]
    label: str
    school_current: dict[StaffKey, Cycle]
    """The current cycle of every member of staff in the schools in scope (for reviewers)."""
    cycles_by_reviewer: dict[StaffKey, list[Cycle]]
    _linkage: Linkage | None = None
    _unreviewed: tuple[UnreviewedCycle, ...] | None = None

    def cycle_of(self, person: StaffMember) -> Cycle | None:
        """The current cycle of *person* (in their own school), if any."""
        return self.current.get(staff_key(person))

    @property
    def info(self) -> ScopeInfo:
        level = self.scope.level
        if level == "trust" and len(self.schools) == 1:
            level = "school"
        return ScopeInfo(
            level=level,
            label=self.label,
            as_of=self.as_of,
            school_ids=tuple(s.id for s in self.schools),
            people=len(self.people),
            with_cycle=len(self.current),
            school_names=tuple(s.name for s in self.schools),
        )

    @property
    def cycles(self) -> tuple[Cycle, ...]:
        """The current cycles of the people in scope, in staff order."""
        return tuple(
            self.current[staff_key(p)] for p in self.people if staff_key(p) in self.current
        )

    def judged_cycle_of(self, person: StaffMember) -> Cycle | None:
        """The current cycle of *person* to count and judge: None if none, or ended on leaving.

        A cycle ended on leaving (`Cycle.is_ended`) is locked and its reviewee has gone:
        nothing in it can be linked, agreed, evidenced or trained for any more, so the
        reports that count objectives, meetings or gaps leave it out, as the health check
        leaves it out of its counts. `cycle_of` still gives it, to name it.
        """
        cycle = self.current.get(staff_key(person))
        return None if cycle is None or cycle.is_ended else cycle

    def ended_on_leaving(self, person: StaffMember) -> bool:
        """Whether *person*'s current cycle was ended on leaving: nothing is planned for them.

        They may still be on the staff (up to their last day), but no coaching, training or
        objectives are asked of someone whose cycle was ended because they are leaving.
        """
        cycle = self.current.get(staff_key(person))
        return cycle is not None and cycle.is_ended

    @property
    def judged_cycles(self) -> tuple[Cycle, ...]:
        """The current cycles in scope not ended on leaving (`judged_cycle_of`), in staff order."""
        return tuple(c for c in self.cycles if not c.is_ended)

    def linkage(self) -> Linkage:
        """The linkage index of the current cycles and the CPD in scope, built once.

        A cycle ended on leaving is not in it: its objectives serve no priority any more.
        """
        if self._linkage is None:
            self._linkage = link(self.judged_cycles, self.cpd)
        return self._linkage

    def unreviewed(self) -> tuple[UnreviewedCycle, ...]:
        """The current cycles in scope that need a reviewer (`missing_reviewer`), in staff order.

        Not closed, with no reviewer, one who had left by the as-of date, or one not on
        the school's staff (a headteacher's governor reviewer excepted). Found once per
        report call (the health check asks from two places).
        """
        if self._unreviewed is None:
            self._unreviewed = self._find_unreviewed()
        return self._unreviewed

    def _find_unreviewed(self) -> tuple[UnreviewedCycle, ...]:
        by_school: dict[str, dict[str, StaffMember]] = defaultdict(dict)
        for member in self.data.staff:  # leavers too: a reviewer who has left is named
            by_school[member.school_id][member.id] = member
        found = []
        for person in self.people:
            cycle = self.current.get(staff_key(person))
            if cycle is None:
                continue
            staff = by_school[cycle.school_id]
            problem = missing_reviewer(cycle, staff, self.as_of)
            if problem is None:
                continue
            reviewer = staff.get(cycle.reviewer_id) if cycle.reviewer_id is not None else None
            left = reviewer.leaving_date if reviewer and reviewer.has_left(self.as_of) else None
            found.append(
                UnreviewedCycle(
                    person.school_id,
                    person.id,
                    person.name,
                    cycle.id,
                    problem,
                    cycle.reviewer_id,
                    left,
                    governors_review(person),
                )
            )
        return tuple(found)

    def cpd_by_attendee(self) -> dict[StaffKey, list[CPDActivity]]:
        """CPD in scope by attendee, as ``(school_id, staff_id)``.

        An activity's attendees are staff of the school that runs it.
        """
        by: dict[StaffKey, list[CPDActivity]] = defaultdict(list)
        for activity in self.cpd:
            for person in activity.attendee_ids:
                by[(activity.school_id, person)].append(activity)
        return by


def current_cycle(cycles: Iterable[Cycle], as_of: date) -> Cycle | None:
    """Return the cycle whose period contains *as_of*, the latest-starting if several."""
    best: Cycle | None = None
    for cycle in cycles:
        if cycle.period_start <= as_of <= cycle.period_end and (
            best is None or cycle.period_start > best.period_start
        ):
            best = cycle
    return best


_CHECKS_PER_OBJECTIVE = 3
"""The checker's runs over one objective in a run of every report: the health check, the
moderation report and the sets report each check it with their own context or rules. The
checker's memo is reserved for that many (`devcycle.rules.reserve_memo`), so that a report
finds again what an earlier one checked, on a trust of any size."""


def resolve(
    data: ReportData, scope: Scope | None, as_of: date, *, empty_ok: bool = False
) -> _Resolved:
    """Narrow *data* to *scope* at *as_of*, or raise a clear error.

    *empty_ok*: a report with something to say about a school before it has people or
    cycles (the priorities report: its KPIs are the school's) covers a school or trust with
    no staff, or nobody with a cycle, as empty, instead of refusing it. A team with no
    staff and an as-of date outside every stored cycle are refused all the same.

    Raises:
        NotFoundError: For an unknown school, team or person.
        ReportInputError: For a school or team with no staff, or an as-of date that no cycle
            in scope covers.
    """
    scope = scope or Scope()
    if not data.schools:
        msg = "there are no schools to report on: load a school, its staff and its cycles first"
        raise ReportInputError(msg)
    schools = _schools_in_scope(data.schools, scope)
    school_ids = {s.id for s in schools}
    # people who had left by the report's date are not on its staff (`has_left`)
    staff = on_roll((s for s in data.staff if s.school_id in school_ids), as_of)
    if scope.person_id is not None and not any(p.id == scope.person_id for p in staff):
        _raise_left(data, school_ids, scope.person_id, as_of)
    staffed = {p.school_id for p in staff}
    empty = [s for s in schools if s.id not in staffed]
    if scope.level in ("school", "trust") and len(empty) == len(schools) and not empty_ok:
        names = ", ".join(f"{s.name} ({s.id})" for s in empty)
        msg = (
            f"{names}: no staff to report on. Add the school's staff and their cycles "
            "(devcycle import, or devcycle plan --roster; in code, the report data's staff) "
            "and run the report again"
        )
        raise ReportInputError(msg)

    people, schools, label, team = _people_in_scope(data, schools, staff, scope)
    kept_schools = {s.id for s in schools}
    by_staff: dict[StaffKey, list[Cycle]] = defaultdict(list)
    for cycle in data.cycles:
        if cycle.school_id in kept_schools:
            by_staff[(cycle.school_id, cycle.staff_id)].append(cycle)
    school_current: dict[StaffKey, Cycle] = {}
    for person in staff:
        if person.school_id in kept_schools:
            found = current_cycle(by_staff.get(staff_key(person), ()), as_of)
            if found is not None:
                school_current[staff_key(person)] = found
    current = {
        staff_key(p): school_current[staff_key(p)] for p in people if staff_key(p) in school_current
    }
    in_scope = [c for cs in by_staff.values() for c in cs]
    if not school_current and not (empty_ok and not in_scope):
        _raise_outside(as_of, in_scope, label)
    reserve_memo(_CHECKS_PER_OBJECTIVE * sum(len(c.objectives) for c in school_current.values()))

    by_reviewer: dict[StaffKey, list[Cycle]] = defaultdict(list)
    for cycle in school_current.values():
        if cycle.reviewer_id is not None:
            by_reviewer[(cycle.school_id, cycle.reviewer_id)].append(cycle)
    kept_schools = {s.id for s in schools}
    return _Resolved(
        data=data,
        scope=scope,
        as_of=as_of,
        schools=tuple(schools),
        people=tuple(people),
        current=current,
        groups=_groups(schools, people, data.trust, team, one_person=scope.level == "person"),
        cpd=_cpd_in_scope(data.cpd, kept_schools, people, current, scope),
        label=label,
        school_current=school_current,
        cycles_by_reviewer=dict(by_reviewer),
    )


def _cpd_in_scope(
    activities: Sequence[CPDActivity],
    schools: set[str],
    people: Sequence[StaffMember],
    current: Mapping[StaffKey, Cycle],
    scope: Scope,
) -> tuple[CPDActivity, ...]:
    """The schools' CPD; for a person or team, only what they attend or what serves them.

    An activity's attendees and objective references are read in the activity's own school.
    """
    at_schools = [a for a in activities if a.school_id in schools]
    if scope.level not in ("person", "team"):
        return tuple(at_schools)
    wanted = {staff_key(p) for p in people}
    cycles = {(c.school_id, c.id) for c in current.values()}
    return tuple(
        a
        for a in at_schools
        if any((a.school_id, s) in wanted for s in a.attendee_ids)
        or any((a.school_id, r.cycle_id) in cycles for r in a.objective_refs)
    )


def _people_in_scope(
    data: ReportData,
    schools: tuple[School, ...],
    staff: list[StaffMember],
    scope: Scope,
) -> tuple[list[StaffMember], tuple[School, ...], str, tuple[School, str] | None]:
    team: tuple[School, str] | None = None
    if scope.person_id is not None:
        people = [p for p in staff if p.id == scope.person_id]
        if not people:
            known = sorted({p.id for p in staff})
            raise NotFoundError("member of staff", scope.person_id, known=known)
        if len(people) > 1:
            ids = ", ".join(sorted({p.school_id for p in people}))
            msg = (
                f"member of staff {scope.person_id!r} exists in several schools ({ids}): "
                "name the school as well (--school on the command line; the school in the "
                "report's scope in code)"
            )
            raise ReportInputError(msg)
        schools = tuple(s for s in schools if s.id == people[0].school_id)
        label = f"{people[0].name} ({people[0].id}), {schools[0].name}"
    elif scope.team_id is not None:
        team = _find_team(schools, scope.team_id)
        school, team_id = team
        people = [p for p in staff if p.school_id == school.id and team_id in p.team_ids]
        schools = (school,)
        name = school.team(team_id).name
        if not people:
            msg = (
                f"team {name!r} ({team_id}) at {school.name} has no members: give staff "
                f"team_ids=[{team_id!r}] or choose another team"
            )
            raise ReportInputError(msg)
        label = f"{name}, {school.name}"
    elif scope.school_id is not None:
        people = staff
        label = schools[0].name
    else:
        people = staff
        if data.trust is not None:
            label = data.trust.name
        else:
            label = schools[0].name if len(schools) == 1 else f"{len(schools)} schools"

    return people, schools, label, team


def _schools_in_scope(schools: Sequence[School], scope: Scope) -> tuple[School, ...]:
    if scope.school_id is None:
        return tuple(schools)
    chosen = tuple(s for s in schools if s.id == scope.school_id)
    if not chosen:
        raise NotFoundError("school", scope.school_id, known=[s.id for s in schools])
    return chosen


def _find_team(schools: Sequence[School], team_id: str) -> tuple[School, str]:
    holders = [s for s in schools if any(t.id == team_id for t in s.teams)]
    if not holders:
        known = sorted({t.id for s in schools for t in s.teams})
        raise NotFoundError("team", team_id, known=known)
    if len(holders) > 1:
        ids = ", ".join(s.id for s in holders)
        msg = f"team {team_id!r} exists in several schools ({ids}): name the school as well"
        raise ReportInputError(msg)
    return holders[0], team_id


def _raise_left(data: ReportData, school_ids: set[str], person_id: str, as_of: date) -> None:
    """Refuse a report on one person who had left by *as_of*, saying when they left."""
    left = [
        p
        for p in data.staff
        if p.id == person_id and p.school_id in school_ids and p.has_left(as_of)
    ]
    if len(left) == 1:
        (person,) = left
        msg = (
            f"{person.name} ({person.id}) left {person.school_id} on {person.leaving_date} "
            f"(their leaving_date), before the as-of date {as_of.isoformat()}: reports leave "
            f"out people who had left by their date. Choose an as-of date on or before "
            f"{person.leaving_date}"
        )
        raise ReportInputError(msg)


def _raise_outside(as_of: date, cycles: Sequence[Cycle], label: str) -> None:
    if not cycles:
        msg = (
            f"{label}: nobody in scope has a cycle, so there is nothing to report as of "
            f"{as_of.isoformat()}. Plan cycles first (devcycle plan)"
        )
        raise ReportInputError(msg)
    first = min(c.period_start for c in cycles)
    last = max(c.period_end for c in cycles)
    periods = sorted({(c.period_start, c.period_end) for c in cycles})
    shown = ", ".join(f"{a.isoformat()} to {b.isoformat()}" for a, b in periods[:4])
    more = f" and {len(periods) - 4} more" if len(periods) > 4 else ""
    msg = (
        f"as-of date {as_of.isoformat()} is outside every cycle in scope ({label}): the "
        f"cycles run {shown}{more}. Choose a date from {first.isoformat()} to "
        f"{last.isoformat()}"
    )
    raise ReportInputError(msg)


def _groups(
    schools: Sequence[School],
    people: Sequence[StaffMember],
    trust: Trust | None,
    team: tuple[School, str] | None,
    *,
    one_person: bool,
) -> tuple[Group, ...]:
    groups: list[Group] = []
    if one_person:
        return ()
    by_school: dict[str, list[StaffKey]] = defaultdict(list)
    by_team: dict[tuple[str, str], list[StaffKey]] = defaultdict(list)
    for person in people:
        by_school[person.school_id].append(staff_key(person))
        for team_id in person.team_ids:
            by_team[(person.school_id, team_id)].append(staff_key(person))
    for school in schools:
        for candidate in school.teams:
            if team is not None and (school.id, candidate.id) != (team[0].id, team[1]):
                continue
            members = by_team.get((school.id, candidate.id))
            if members:
                groups.append(
                    Group(
                        "team",
                        candidate.id,
                        candidate.name,
                        school.id,
                        tuple(members),
                        candidate.leader_id,
                    )
                )
    if team is not None:
        return tuple(groups)
    for school in schools:
        groups.append(
            Group("school", school.id, school.name, school.id, tuple(by_school.get(school.id, ())))
        )
    if len(schools) > 1:
        groups.append(
            Group(
                "trust",
                trust.id if trust is not None else "all",
                trust.name if trust is not None else "All schools",
                None,
                tuple(staff_key(p) for p in people),
            )
        )
    return tuple(groups)


def sum_members(group: Group, rows: Mapping[StaffKey, T], add: Callable[[T, T], T], zero: T) -> T:
    """Sum the rows of a group's members, keyed ``(school_id, staff_id)``.

    Members without a row add nothing.
    """
    total = zero
    for member in group.members:
        row = rows.get(member)
        if row is not None:
            total = add(total, row)
    return total


def positive(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that a policy setting is a number above 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        msg = f"{type(inst).__name__} '{attribute.name}' must be a number above 0 (got {value!r})"
        raise ValueError(msg)


def non_negative(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that a policy setting is a number of at least 0."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        msg = (
            f"{type(inst).__name__} '{attribute.name}' must be a number of at least 0 "
            f"(got {value!r})"
        )
        raise ValueError(msg)


def fraction(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that a policy setting is a share above 0 and at most 1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        msg = (
            f"{type(inst).__name__} '{attribute.name}' must be a share above 0 and at most 1 "
            f"(got {value!r})"
        )
        raise ValueError(msg)


def percent(part: float, whole: float) -> str:
    """Format *part* of *whole* as a whole percentage ("40%"), or "-" when *whole* is 0."""
    return f"{round(100 * part / whole)}%" if whole else "-"
