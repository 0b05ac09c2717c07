"""Use cases over a `Store`: each one call per intention, each owning its transaction.

Every call takes an `Actor` (who, acting as what, in which school) and checks it against
the access policy and the records before it reads or changes anything: a teacher cannot
read a colleague's cycle, make themself a reviewer, or see what the policy keeps from
them. Cycles come back as the actor may see them (`devcycle.access.view_for`), never
whole to someone who may not read every field.

A service loads what it needs, changes it through the domain's own methods and saves it
in one transaction, so that either all of it is stored or none of it is. A concurrent
change by someone else surfaces as `ConflictError` (or, with *retries*, is retried on the
fresh state).

Example:
    >>> import devcycle as dc
    >>> from devcycle.services import Services
    >>> with dc.open_store("memory://") as store:
    ...     services = Services(store)
    ...     system = dc.Actor.system()
    ...     _ = services.save_school(system, dc.School(id="oak", name="Oak Primary"))
    ...     services.load_school(system, "oak").school.name
    'Oak Primary'
"""

from __future__ import annotations

import copy
import enum
import functools
import inspect
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final, NoReturn, Protocol

import attrs

from devcycle import domain
from devcycle._gc import paused
from devcycle._words import a_or_an
from devcycle.access import (
    ALL,
    CYCLE_ACTIONS,
    FIELDS,
    AccessPolicy,
    Actor,
    check_change,
    check_school_change,
    confidential_fields,
    decide,
    default_policy,
    pay_kept,
    redact,
    report_view,
    reports_individual,
    require,
    require_each,
    role_for,
    role_of,
)
from devcycle.catalogues.templates import template as shipped
from devcycle.document import Document
from devcycle.domain._validate import _ID, _ID_EXPECTED, check_date, invalid
from devcycle.domain.calendar import SchoolCalendar
from devcycle.domain.cycle import Call, recording_calls
from devcycle.domain.scheduling import Enrolment, FTETooLowError, plan_enrolment
from devcycle.domain.scheduling import apply_policy as apply_school_policy
from devcycle.domain.scheduling import enrol as schedule_staff
from devcycle.domain.school import older_measurements
from devcycle.domain.templates import CycleTemplate
from devcycle.domain.voice import rate_meeting
from devcycle.errors import (
    AccessDenied,
    ConflictError,
    NotFoundError,
    Problem,
    StorageError,
    ValidationError,
    did_you_mean,
)
from devcycle.proforma import build_proforma
from devcycle.serialization import dump_document, load_document
from devcycle.storage.base import CATALOGUE_SCOPE, Store, UnitOfWork, record_label
from devcycle.storage.bundle import (
    REDACTED_FOR_KEY,
    REDACTED_KEY,
    SCHOOL_SECTIONS,
    export_bundle,
    import_bundle,
)
from devcycle.storage.references import (
    LazyStandards,
    cycle_problems,
    known_standards,
    plan_entry_problems,
    staff_problems,
    tag_problems,
)
from devcycle.sync import SyncReport, sync_in

__all__ = ["CycleAction", "SchoolData", "Services"]


@attrs.frozen
class SchoolData:
    """A school with everything stored for it.

    Attributes:
        school: The school.
        staff: Its staff, by id.
        cycles: Its cycles, by id.
        cpd: Its CPD activities (what happened), by id.
        cpd_offerings: Its CPD catalogue (what it offers), by id.
    """

    school: domain.School
    staff: tuple[domain.StaffMember, ...]
    cycles: tuple[domain.Cycle, ...]
    cpd: tuple[domain.CPDActivity, ...]
    cpd_offerings: tuple[domain.CPDOffering, ...] = ()


def _response_problems(
    items: Sequence[domain.SurveyResponse],
    school_id: str,
    surveys: Mapping[str, domain.ProcessSurvey],
    staff: Mapping[str, domain.StaffMember],
    stored: Mapping[str, domain.SurveyResponse],
    *,
    replace: bool,
) -> list[str]:
    """Every reason the survey *items* cannot be recorded, each at its place in the batch."""
    problems: list[str] = []
    answered = {(r.survey_id, r.respondent_id): r.id for r in stored.values()}
    seen_ids: set[str] = set()
    for index, response in enumerate(items):
        where = f"responses[{index}]"
        if response.school_id != school_id:
            problems.append(
                f"response {response.id!r} is of school {response.school_id!r}, not "
                f"{school_id!r} @ {where}.school_id"
            )
            continue
        survey = surveys.get(response.survey_id)
        if survey is None:
            known = ", ".join(sorted(surveys)) or "none yet"
            problems.append(
                f"no survey {response.survey_id!r} in {school_id!r} (surveys: {known}) "
                f"@ {where}.survey_id"
            )
        elif not survey.opens <= response.on <= survey.closes:
            problems.append(
                f"answered on {response.on}, outside survey {survey.id!r} ({survey.opens} to "
                f"{survey.closes}) @ {where}.on"
            )
        if response.respondent_id not in staff:
            problems.append(
                f"{response.respondent_id!r} is not a member of staff of {school_id!r} "
                f"@ {where}.respondent_id"
            )
        if response.id in seen_ids:
            problems.append(f"response id {response.id!r} appears twice @ {where}.id")
        seen_ids.add(response.id)
        key = (response.survey_id, response.respondent_id)
        earlier = answered.get(key)
        if earlier is not None and earlier != response.id:
            problems.append(
                f"{response.respondent_id!r} already answered survey {response.survey_id!r} "
                f"(response {earlier!r}): one response each @ {where}.respondent_id"
            )
        answered[key] = response.id
        if response.id in stored and not replace:
            problems.append(
                f"response {response.id!r} is already recorded (replace it explicitly) @ {where}.id"
            )
    return problems


def _with_groups(
    response: domain.SurveyResponse,
    staff: Mapping[str, domain.StaffMember],
    cycles: Sequence[domain.Cycle],
) -> domain.SurveyResponse:
    """*response* with the respondent's teams and reviewer filled in where left out."""
    member = staff.get(response.respondent_id)
    teams = response.team_ids or (member.team_ids if member is not None else ())
    reviewer = response.reviewer_id
    if reviewer is None:
        current = [
            c
            for c in cycles
            if c.staff_id == response.respondent_id
            and c.period_start <= response.on <= c.period_end
        ]
        reviewer = current[0].reviewer_id if current else None
    return attrs.evolve(response, team_ids=teams, reviewer_id=reviewer)


def _save(repository: Any, obj: Any, key: Sequence[str]) -> Any:
    """Add *obj* if new, else update it over the version it carries."""
    try:
        repository.get(*key)
    except NotFoundError:
        return repository.add(obj)
    return repository.update(obj)


# ------------------------------------------------------------ caller's arguments
# A caller's mistake (a str for an Actor, text for a date, a misspelt keyword) is a
# `ValidationError` naming the argument at the public boundary, not a traceback from inside.


def _stored_fte(exc: FTETooLowError, school_id: str) -> FTETooLowError:
    """*exc*, raised planning stored staff, naming where the FTE came from: the store.

    `plan` names only the person ("E1's FTE is 0.001: ..."); the staff planned by the
    services were read from the store, so the message says so, and how to correct it, as
    ``devcycle plan --roster`` names the roster's file, row and column.
    """
    who = exc.staff_id if exc.staff_id is not None else "?"
    msg = (
        f"{exc} (the FTE stored for staff member {who!r} of school {school_id!r}: correct "
        f"it in the MIS and sync, or save the staff member with the right FTE) "
        f"@ $.staff[{who!r}].fte"
    )
    return FTETooLowError(msg, staff_id=exc.staff_id, fte=exc.fte)


def _bad_argument(name: str, value: object, expected: str) -> NoReturn:
    msg = f"'{name}' must be {expected} (got {type(value).__name__} {value!r})"
    invalid(name, msg, value=value, expected=expected)


def _actor(actor: object) -> Actor:
    """Return *actor*, checked to be an `Actor`."""
    if not isinstance(actor, Actor):
        _bad_argument("actor", actor, "a devcycle.access.Actor, e.g. Actor('T1', 'reviewee')")
    return actor


def _check_id(name: str, value: object) -> str:
    """Return *value*, checked to be an id (a `ValidationError` at ``$.{name}`` if not)."""
    if not isinstance(value, str) or not _ID.match(value):
        _bad_argument(name, value, _ID_EXPECTED)
    return value


def _left_reviewer(member: domain.StaffMember, on: date, field: str) -> str:
    """The problem with making *member*, who has left by *on*, someone's reviewer."""
    return (
        f"new reviewer {member.id!r} ({member.name}) left on {member.leaving_date}, before "
        f"{on} (expected a current member of the staff) @ {field}"
    )


def _check_new_reviewers(
    calls: Sequence[Call],
    staff: Mapping[str, domain.StaffMember],
    cycle_id: str,
) -> None:
    """Refuse a recorded ``assign_reviewer`` naming someone who had left by its date.

    One rule with `Services.reassign_reviewer` and the roster: a leaver reviews nobody
    (the health check would list the cycle as one nobody reviews at once). A reviewer
    not on the staff at all is the references check's (a governor may review a head).
    """
    problems = []
    for name, args, kwargs in calls:
        if name != "assign_reviewer":
            continue
        reviewer_id = args[0] if args else kwargs.get("reviewer_id")
        on = kwargs.get("on")
        member = staff.get(reviewer_id) if isinstance(reviewer_id, str) else None
        if member is not None and isinstance(on, date) and member.has_left(on):
            problems.append(_left_reviewer(member, on, "$.reviewer_id"))
    if problems:
        raise ValidationError(problems, source=f"cycle {cycle_id!r}")


def _leaving_problem(
    member: domain.StaffMember | None, staff_id: str, school_id: str, field: str
) -> str | None:
    """Why *member* (*staff_id* of *school_id*) has no leaving day to end a cycle on, if so."""
    if member is None:
        return (
            f"{staff_id!r} is not on the staff of school {school_id!r}, so no leaving date "
            f"is recorded for them @ {field}"
        )
    if member.leaving_date is None:
        return (
            f"{member.name} ({staff_id}) has not left school {school_id!r}: no leaving date "
            f"is recorded (record it first: devcycle person leave {staff_id} --school "
            f"{school_id} --on DATE) @ {field}"
        )
    return None


def _check_leavers(
    calls: Sequence[Call],
    staff: Mapping[str, domain.StaffMember],
    cycle: domain.Cycle,
) -> None:
    """Refuse a recorded ``end_on_leaving`` whose leaving day is not the stored one.

    The cycle's method takes the leaving day from its caller; the services take it from
    the reviewee's staff record, in the cycle's own school (school A's ``T1`` is not
    school B's): someone who has not left, or a day other than their ``leaving_date``, is
    refused, so no caller ends a cycle by claiming a leaving day.
    """
    problems = []
    for name, _args, kwargs in calls:
        if name != "end_on_leaving":
            continue
        member = staff.get(cycle.staff_id)
        problem = _leaving_problem(member, cycle.staff_id, cycle.school_id, "$.left_on")
        if problem is None and member is not None and kwargs.get("left_on") != member.leaving_date:
            problem = (
                f"left_on {kwargs.get('left_on')} is not the leaving date recorded for "
                f"{member.name} ({member.id}) ({member.leaving_date}) @ $.left_on"
            )
        if problem is not None:
            problems.append(problem)
    if problems:
        raise ValidationError(problems, source=f"cycle {cycle.id!r}")


def _not_found(kind: str, key: str, field: str, where: str = "") -> NotFoundError:
    """A `NotFoundError` for *key* (of *kind*, *where*) naming the argument it came from."""
    error = NotFoundError(kind, key)
    error.args = (f"{error}{where} @ $.{field}",)
    return error


class _InSchool(Protocol):
    """A record of a school: an id and the school's."""

    @property
    def id(self) -> str: ...

    @property
    def school_id(self) -> str: ...


def _strays(label: str, path: str, items: Sequence[_InSchool], school_id: str) -> list[str]:
    """One problem for each of *items* (at *path*) that belongs to a school not *school_id*."""
    return [
        f"{label} {item.id!r} belongs to school {item.school_id!r}, not {school_id!r}: "
        f"save it with its own school @ {path}[{index}].school_id"
        for index, item in enumerate(items)
        if item.school_id != school_id
    ]


def _check_part(cycle: domain.Cycle, name: str, key: object) -> None:
    """Raise `NotFoundError` at ``$.objective_id`` (or milestone) if *cycle* has no such part."""
    if name == "objective_id":
        kind, known = "objective", [o.id for o in cycle.objectives]
    elif name == "milestone_id":
        kind, known = "milestone", [m.id for m in cycle.milestones]
    else:
        return  # a reviewer id is for the reference checks
    if isinstance(key, str) and key not in known:  # a wrong type is the domain's to refuse
        raise _not_found_known(kind, key, known, name, within=f"in cycle {cycle.id!r}")


def _not_found_known(
    kind: str, key: str, known: Sequence[str], field: str, *, within: str = ""
) -> NotFoundError:
    """A `NotFoundError` for *key* with "did you mean" from *known*, naming its argument."""
    error = NotFoundError(kind, key, known=known, within=within)
    error.args = (f"{error} @ $.{field}",)
    return error


def _mapping(name: str, value: object) -> None:
    """Check that *value* is a mapping (a bundle read from JSON, say)."""
    if not isinstance(value, Mapping):
        _bad_argument(name, value, "a mapping (a dict, as read from a JSON document)")


@functools.cache
def _keywords_of(action: str) -> tuple[str, ...] | None:
    """The keywords the cycle's method *action* takes (None: any), read once per method."""
    parameters = inspect.signature(getattr(domain.Cycle, action)).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return None
    return tuple(n for n in parameters if n not in {"self", "by", "on"})


@functools.cache
def _required_of(action: str) -> tuple[str, ...]:
    """The arguments the cycle's method *action* cannot do without (no default), but by/on."""
    parameters = inspect.signature(getattr(domain.Cycle, action)).parameters
    return tuple(
        name
        for name, p in parameters.items()
        if name not in {"self", "by", "on"}
        and p.default is inspect.Parameter.empty
        and p.kind in {inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY}
    )


@functools.cache
def _keyword_sets(action: str) -> tuple[frozenset[str], frozenset[str]]:
    """The keywords *action* takes and those it needs, as sets (`_keywords_of`, `_required_of`)."""
    return frozenset(_keywords_of(action) or ()), frozenset(_required_of(action))


def _takes_all(action: str, names: Collection[str]) -> bool:
    """Whether the method *action* takes every keyword of *names* and needs no other."""
    known, required = _keyword_sets(action)
    return known.issuperset(names) and required.issubset(names)


def _keywords(action: str, arguments: Mapping[str, Any]) -> None:
    """Check *arguments* against the cycle's method *action*: every keyword taken, none missing.

    A missing argument is reported at its path, the positional id (`_POSITIONAL`) first.
    """
    known = _keywords_of(action)
    if known is not None and _takes_all(action, arguments.keys()):
        return
    if known is not None:
        unknown = sorted(set(arguments) - set(known))
        if unknown:
            expected = "one of " + ", ".join(known)
            msg = f"{action} takes no argument {unknown[0]!r} (expected {expected})"
            invalid(unknown[0], msg, value=arguments[unknown[0]], expected=expected)
    problems = [
        Problem(
            f"{action} needs {name}= (which one to act on)"
            if name == _POSITIONAL.get(action)
            else f"{action} needs {name!r} (it has no default)",
            f"$.{name}",
            expected=f"a {name}" if name == _POSITIONAL.get(action) else name,
        )
        for name in _required_of(action)
        if name not in arguments
    ]
    if problems:
        raise ValidationError(problems)


_POSITIONAL = {
    "submit_objective": "objective_id",
    "return_objective": "objective_id",
    "moderate_objective": "objective_id",
    "agree_objective": "objective_id",
    "set_objective": "objective_id",
    "revise_objective": "objective_id",
    "evaluate_objective": "objective_id",
    "record_check_in": "objective_id",
    "record_colleague_impact": "objective_id",
    "complete_milestone": "milestone_id",
    "assign_reviewer": "reviewer_id",
}
"""The domain methods whose first argument is positional, and its name as `act` takes it."""


def _shown(view: domain.Cycle, text: str) -> domain.Cycle:
    """Return *view* keeping only the confidential parts whose text appears in *text*."""
    reviews = []
    for review in view.reviews:
        talk = review.conversation
        parts = {
            part: value if value and value in text else ""
            for part in ("wellbeing", "workload", "career")
            for value in (getattr(talk, part),)
        }
        pay = review.pay_recommendation
        reviews.append(
            attrs.evolve(
                review,
                conversation=attrs.evolve(talk, **parts),
                private_notes=tuple(n for n in review.private_notes if n.text in text),
                pay_recommendation=pay if pay is not None and pay.recommendation in text else None,
            )
        )
    return attrs.evolve(view, reviews=tuple(reviews))


def _plan_problems(
    entries: Sequence[domain.TrainingPlanEntry],
    school: domain.School,
    staff: Mapping[str, domain.StaffMember],
    catalogue: set[str],
    calendar: SchoolCalendar | None,
) -> list[str]:
    """Every problem with *entries* as a plan of *school*, each with where it is."""
    problems = []
    teams = {t.id for t in school.teams}
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"entries[{index}]"
        if entry.school_id != school.id:
            problems.append(
                f"entry {entry.id!r} is of school {entry.school_id!r}, not {school.id!r}: "
                f"a school plans its own training only @ {where}.school_id"
            )
        if entry.id in seen:
            problems.append(f"entry id {entry.id!r} is given more than once @ {where}.id")
        seen.add(entry.id)
        members = {k: m.team_ids for k, m in staff.items()} if entry.team_id in teams else None
        problems += plan_entry_problems(entry, staff, where, school.id, teams_of=members)
        if entry.team_id is not None and entry.team_id not in teams:
            problems.append(
                f"team {entry.team_id!r} is not a team of {school.id!r} @ {where}.team_id"
            )
        if entry.offering_id is not None and entry.offering_id not in catalogue:
            problems.append(
                f"offering {entry.offering_id!r} is not in the CPD catalogue of "
                f"{school.id!r} @ {where}.offering_id"
            )
        if calendar is not None:
            shut = [d.isoformat() for d in entry.dates if not calendar.is_school_day(d)]
            if shut:
                problems.append(
                    f"{', '.join(shut)} not school day(s) on calendar {calendar.name!r}: "
                    f"plan training on days the school is open @ {where}.dates"
                )
    return problems


def _every_field(role: Any) -> bool:
    return all(role.may_read(f) for f in FIELDS)


def _no_report_schools(
    actor: Actor, scope: str, may_report: bool, schools: Sequence[domain.School]
) -> str:
    """Why *actor* may run reports on none of the stored *schools*, and what to give."""
    if not schools:
        return "there are no schools to report on: save a school, its staff and its cycles first"
    return f"{actor}: there is no stored school this role may run reports on" + _why_none(
        actor, scope, may_report
    )


def _why_none(actor: Actor, scope: str, may_report: bool) -> str:
    role = actor.role
    if not may_report:
        return f" (the policy does not let {a_or_an(role)} run reports)"
    if scope == "school_or_trust" and actor.school_id is None and actor.trust_id is None:
        return f": {a_or_an(role)} reports on their own school or trust; name one"
    if scope == "school" or (scope == "school_or_trust" and actor.trust_id is None):
        if actor.school_id is None:
            return f": {a_or_an(role)} reports on their own school; name it"
        # had it been stored, the policy's own reason for it was given instead
        return (
            f": {a_or_an(role)} reports on their own school, {actor.school_id!r}, which is "
            "not stored"
        )
    if actor.trust_id is None:
        return f": {a_or_an(role)} reports on their own trust's schools; name the trust"
    return f": no stored school is in trust {actor.trust_id!r}"


def _check_reassignment(
    school_id: str, from_id: str | None, to_id: str, cycle_ids: Sequence[str] | None
) -> None:
    """Refuse `Services.reassign_reviewer` arguments of the wrong kind, naming each."""
    for name, value in (("school_id", school_id), ("from_id", from_id), ("to_id", to_id)):
        if name != "from_id" or value is not None:
            _check_id(name, value)
    if from_id is None and not cycle_ids:
        msg = (
            "name the cycles that have no reviewer (expected cycle ids: a cycle with no "
            "reviewer is given one only by name) @ $.cycle_ids"
        )
        raise ValidationError([msg])
    if cycle_ids is not None:
        if isinstance(cycle_ids, str) or not isinstance(cycle_ids, Sequence):
            _bad_argument("cycle_ids", cycle_ids, "a list of cycle ids, or None for all")
        for index, cycle_id in enumerate(cycle_ids):
            _check_id(f"cycle_ids[{index}]", cycle_id)
            if cycle_id in cycle_ids[:index]:
                msg = f"cycle {cycle_id!r} is named twice (expected each cycle once)"
                raise ValidationError([f"{msg} @ $.cycle_ids[{index}]"])


class _Governed(Collection[str]):
    """``headteachers(staff)`` as far as one cycle's owner is concerned, looked up when asked.

    `cycle_problems` asks only whether the cycle's owner is governed, and only when the
    reviewer is new and not on the staff; the owner alone is looked up then, so that a
    cycle's check does not scan the school's staff (issue 16).
    """

    def __init__(self, staff: Mapping[str, domain.StaffMember], staff_id: str) -> None:
        self._staff, self._staff_id = staff, staff_id

    def _heads(self) -> tuple[str, ...]:
        owner = self._staff.get(self._staff_id)
        if owner is None or owner.id != self._staff_id:
            return ()
        return (self._staff_id,) if domain.governors_review(owner) else ()

    def __contains__(self, value: object) -> bool:
        return value == self._staff_id and bool(self._heads())

    def __iter__(self) -> Iterator[str]:
        return iter(self._heads())

    def __len__(self) -> int:
        return len(self._heads())


class _StaffById(Mapping[str, domain.StaffMember]):
    """A school's staff by id, each read in the transaction when first asked for.

    What a change of one cycle needs of the staff (the actor, the cycle's owner, a new
    reviewer) costs what it names, not what the school holds; listing it, or taking its
    length, reads the whole staff once. Always true, as the plain mapping it stands for is
    only ever tested to default an absent one (an empty staff finds no one either way).
    """

    def __init__(self, tx: UnitOfWork, school_id: str) -> None:
        self._tx, self._school_id = tx, school_id
        self._read: dict[str, domain.StaffMember | None] = {}
        self._everyone: dict[str, domain.StaffMember] | None = None

    def __getitem__(self, staff_id: str) -> domain.StaffMember:
        if self._everyone is not None:
            return self._everyone[staff_id]
        if staff_id not in self._read:
            try:
                self._read[staff_id] = self._tx.staff.get(self._school_id, staff_id)
            except NotFoundError:
                self._read[staff_id] = None
        member = self._read[staff_id]
        if member is None:
            raise KeyError(staff_id)
        return member

    def _all(self) -> dict[str, domain.StaffMember]:
        if self._everyone is None:
            self._everyone = {m.id: m for m in self._tx.staff.for_school(self._school_id)}
        return self._everyone

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __bool__(self) -> bool:
        return True


def _known_action(action: object, known: Sequence[str], kind: str) -> None:
    """Raise a `ValidationError` at ``$.action`` unless *action* is one of *known*.

    One check for `Services.act` and `Services.decide`: an unknown action (misspelt, None,
    a number) is the caller's mistake, never a refusal by the policy.
    """
    if isinstance(action, str) and action in known:
        return
    expected = "one of " + ", ".join(known)
    suggestion = did_you_mean(action, known) if isinstance(action, str) else ""
    hint = f"; {suggestion}" if suggestion else ""
    msg = f"'action' must be {kind} (got {action!r}{hint}; expected {expected})"
    invalid("action", msg, value=action, expected=expected)


_PLAIN_EXPECTED: Final = (
    "plain data: text, a whole number, True or False, a date, None, one of devcycle's "
    "enums or records, or a list of them"
)


_PLAIN_ATOMS: Final = frozenset({str, int, bool, float, date})


def _exact_date(value: date) -> date:
    return date.fromordinal(date.toordinal(value))


def _exact_datetime(value: datetime) -> datetime:  # the domain refuses it where it wants a date
    return datetime.combine(_exact_date(value), datetime.timetz(value))


_PLAIN_COPIES: Final[tuple[tuple[type, Callable[[Any], Any]], ...]] = (
    (str, str.__str__),  # after devcycle's own enums, which are text too
    (int, int.__index__),
    (float, float.__float__),
    (datetime, _exact_datetime),
    (date, _exact_date),
)
"""Built-in types and how to copy a subclass's value as the built-in type, in C alone."""


def _ours(kind: type) -> bool:
    """Whether *kind* is devcycle's own class: the one its module names, not a look-alike."""
    module = sys.modules.get(kind.__module__) if kind.__module__.startswith("devcycle.") else None
    return module is not None and getattr(module, kind.__qualname__, None) is kind


def _plain(value: object, path: str) -> Any:
    """Return *value* as plain data only devcycle's and Python's own code acts on.

    Text, numbers and dates of a subclass (a web framework's safe string, another
    library's date) become the built-in type; lists, tuples and sets become tuples, their
    items made plain in turn; devcycle's own records are rebuilt from plain fields (a
    subclass of one is refused). So when `Services.take_actions` calls a cycle's methods
    with these arguments, no code of the caller's can run during the change: what is saved
    is what the methods make of the cycle, with nothing to replay.

    Raises:
        ValidationError: At *path*, for anything else (a mapping, an object of the caller's).
    """
    kind = type(value)
    if kind in _PLAIN_ATOMS or value is None:
        return value
    if kind is tuple and all(type(item) in _PLAIN_ATOMS for item in value):  # type: ignore[attr-defined]
        return value  # a tuple of text, say: as plain as it comes
    if isinstance(value, enum.Enum) and _ours(kind):
        return value
    for base, copy_as in _PLAIN_COPIES:
        if isinstance(value, base):
            return copy_as(value)
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(_plain(item, f"{path}[{i}]") for i, item in enumerate(value))
    if not (attrs.has(kind) and _ours(kind) and kind.__module__.startswith("devcycle.domain")):
        msg = (
            f"'{path.removeprefix('$.')}' must be {_PLAIN_EXPECTED} (got {kind.__name__} {value!r})"
        )
        raise ValidationError([Problem(msg, path, expected=_PLAIN_EXPECTED)])
    changes = {}
    for field in attrs.fields(kind):
        now = getattr(value, field.name)
        plain = _plain(now, f"{path}.{field.name}")
        if plain is not now:
            changes[field.alias or field.name] = plain
    return attrs.evolve(value, **changes) if changes else value  # type: ignore[misc]


@attrs.frozen(init=False)
class CycleAction:
    """One of a cycle's actions as data, for `Services.take_actions` to take.

    ``CycleAction("agree_objective", on=day, objective_id="obj-1")`` is the call
    ``cycle.agree_objective("obj-1", by=actor, on=day)``. The arguments are checked as the
    action is made (a misspelt keyword, a missing id) and kept as plain data: text,
    numbers and dates (a subclass's copied as the built-in type), devcycle's own enums and
    records (rebuilt from plain fields), and tuples of them (from lists, tuples or sets).

    Attributes:
        name: One of `devcycle.access.CYCLE_ACTIONS`.
        on: The date of the action.
        by: Whom the cycle's history names; None for the actor. Only a role that records
            on others' behalf (the system, importing from an MIS) may name someone else.
        arguments: The method's other arguments, by name, in the order given.
    """

    name: str
    on: date
    by: str | None
    arguments: tuple[tuple[str, Any], ...]

    def __init__(self, name: str, *, on: date, by: str | None = None, **arguments: Any) -> None:
        """Check and keep an action (raises `ValidationError` naming the argument)."""
        self.__attrs_init__(*_action_parts(name, on, by, arguments))

    def call(self, actor: Actor) -> Call:
        """Return the method call this action is for *actor*: (name, positional, keywords)."""
        keywords = dict(self.arguments)
        positional: tuple[Any, ...] = ()
        if self.name in _POSITIONAL:
            positional = (keywords.pop(_POSITIONAL[self.name]),)
        keywords["by"] = self.by if self.by is not None else actor.user_id
        keywords["on"] = self.on
        return (self.name, positional, keywords)


def _action_parts(
    name: object, on: object, by: object, arguments: Mapping[str, Any]
) -> tuple[str, date, str | None, tuple[tuple[str, Any], ...]]:
    """Check a `CycleAction`'s parts and return them plain."""
    if not (type(name) is str and name in _CYCLE_ACTION_NAMES):
        _known_action(name, CYCLE_ACTIONS, "a cycle action")
    assert isinstance(name, str)  # for the type checker: a cycle action's name
    check_date("on", on)
    if by is not None:
        _check_id("by", by)
        by = str.__str__(by)
    _keywords(name, arguments)
    plain = []
    for key, value in arguments.items():  # text, numbers and dates as they are
        plain.append((key, value if type(value) in _PLAIN_ATOMS else _plain(value, f"$.{key}")))
    return name, _plain(on, "$.on"), by, tuple(plain)


_CYCLE_ACTION_NAMES: Final = frozenset(CYCLE_ACTIONS)


def _new_action(name: object, on: object, by: object, arguments: Mapping[str, Any]) -> CycleAction:
    """A `CycleAction` from its parts (``by`` among *arguments* is refused, as for `act`)."""
    action: CycleAction = object.__new__(CycleAction)
    action.__attrs_init__(*_action_parts(name, on, by, arguments))
    return action


def _action_plan(actions: object) -> dict[str, tuple[CycleAction, ...]]:
    """Check `Services.take_actions`' *actions*: cycle ids to lists of `CycleAction`."""
    expected = "a mapping of cycle ids to lists of devcycle.services.CycleAction"
    if not isinstance(actions, Mapping):
        _bad_argument("actions", actions, expected)
    plan: dict[str, tuple[CycleAction, ...]] = {}
    for cycle_id, steps in actions.items():
        where = f"actions[{cycle_id!r}]"
        if not isinstance(cycle_id, str):
            _bad_argument("actions", cycle_id, "cycle ids (text) as keys")
        if isinstance(steps, CycleAction) or not isinstance(steps, list | tuple):
            _bad_argument(where, steps, "a list of devcycle.services.CycleAction")
        for index, step in enumerate(steps):
            if not isinstance(step, CycleAction):
                _bad_argument(f"{where}[{index}]", step, "a devcycle.services.CycleAction")
        plan[cycle_id] = tuple(steps)
    return plan


def _stored(kind: str, document: Any) -> str:
    """Name the stored record *document* (an exported envelope) holds, for messages.

    As the store names it (`devcycle.storage.base.record_label`): a cycle by its school and
    id, so that an error in an export says which record to mend.
    """
    data = document.get("data") if isinstance(document, Mapping) else None
    data = data if isinstance(data, Mapping) else {}
    school = data.get("school_id")
    tenant = school if isinstance(school, str) else ""
    return f"stored {record_label(kind, tenant, str(data.get('id', '?')))}"


def _saved_before(ids: Sequence[str], start: int) -> str:
    """The note on an error in a later batch: which cycles the batches before it saved."""
    cycles = "cycle" if start == 1 else f"{start} cycles"
    return (
        f"the batches before this one were saved ({cycles}, {ids[0]!r} to {ids[start - 1]!r}); "
        f"nothing from {ids[start]!r} on was: send those again once the problem is put right"
    )


class Services:
    """The library's use cases, over one store, for actors checked against a policy.

    Args:
        store: Where aggregates are kept.
        policy: The access policy (default: `devcycle.access.default_policy`).
    """

    def __init__(self, store: Store, policy: AccessPolicy | None = None) -> None:
        self.store = store
        self.policy = policy or default_policy()

    # ------------------------------------------------------------------ helpers

    def _open(self, actor: Actor) -> UnitOfWork:
        """Open a transaction for *actor*, checked to be an `Actor` (a ValidationError if not)."""
        checked = _actor(actor)
        return self.store.transaction(by=checked.user_id, role=checked.role)

    def _read(self, actor: Actor) -> UnitOfWork:
        """Open a transaction for *actor* only to read: one snapshot, no write lock.

        Every use case that only reads (a page, a report, an access check before a change)
        opens one: on SQLite it does not take the write lock, so readers neither wait for
        a writer nor make one wait, and on either SQL database everything it reads is of
        one moment (a report's staff and cycles agree). A read to be logged is logged
        after it, by `record_reads`, in a transaction of its own.
        """
        checked = _actor(actor)
        return self.store.transaction(by=checked.user_id, role=checked.role, readonly=True)

    def _staff(self, tx: UnitOfWork, school_id: str) -> dict[str, domain.StaffMember]:
        return {m.id: m for m in tx.staff.for_school(school_id)}

    def _allowed_in_school(
        self,
        tx: UnitOfWork,
        actor: Actor,
        action: str,
        school_id: str,
        *,
        field: str | None = None,
    ) -> tuple[domain.School, dict[str, domain.StaffMember]]:
        """The school and its staff, once *actor* may do *action* there and it is stored.

        Raises:
            AccessDenied: Without the right (asked first, so a stranger learns nothing).
            NotFoundError: If the school is not stored (naming *field*, if given).
        """
        school = self._school(tx, school_id)
        staff = self._staff(tx, school_id)
        require(self.policy, actor, action, school=school, school_id=school_id, staff=staff)
        if school is None:
            known = [s.id for s in tx.schools.list()]
            if field is not None:
                raise _not_found_known("school", school_id, known, field)
            raise NotFoundError("school", school_id, known=known)
        return school, staff

    def _school(self, tx: UnitOfWork, school_id: str) -> domain.School | None:
        try:
            school: domain.School = tx.schools.get(school_id)
        except NotFoundError:
            return None
        return school

    def _cycle_in(
        self,
        tx: UnitOfWork,
        actor: Actor,
        school: domain.School | None,
        school_id: str,
        cycle_id: str,
        *,
        action: str = "",
        staff: Mapping[str, domain.StaffMember] | None = None,
    ) -> domain.Cycle:
        """Load a cycle once *actor* may act in its school at all (and take *action*).

        An actor refused in the school (another school's staff, another trust's leader) is
        refused whether the cycle exists or not: a 404 for one id and a 403 for another
        would tell them which of that school's cycles (often named by staff code) exist.
        """
        require(
            self.policy,
            actor,
            action,
            school=school,
            school_id=school_id,
            staff=staff if staff is not None else _StaffById(tx, school_id),
        )
        return tx.cycles.get(school_id, cycle_id)

    def _check_cycle_refs(
        self,
        tx: UnitOfWork,
        cycles: Sequence[tuple[domain.Cycle, domain.Cycle | None]],
        school: domain.School | None,
        staff: Mapping[str, domain.StaffMember],
    ) -> None:
        """Refuse cycles naming a school, person, priority or standard that does not exist.

        Each pair is a cycle and the stored cycle it replaces (or None): only references
        the stored one did not hold are checked.
        """
        problems = []
        # Per cycle this costs what the cycle names, not what the school holds: the stored
        # frameworks are read only for a standard no shipped framework has, and the owner
        # alone is looked up to know whether governors review them.
        standards = LazyStandards(tx.frameworks.list)
        priorities = {p.id for p in school.priorities} if school is not None else set()
        for index, (cycle, before) in enumerate(cycles):
            where = f"$.cycles[{index}]" if len(cycles) > 1 else "$"
            if school is None:
                problems.append(
                    f"cycle {cycle.id!r} belongs to school {cycle.school_id!r}, which is not "
                    f"stored (expected a stored school; save the school first) @ {where}.school_id"
                )
                continue
            problems += cycle_problems(
                cycle,
                staff_ids=staff,
                priorities=priorities,
                standards=standards,
                where=where,
                before=before,
                governed=_Governed(staff, cycle.staff_id),
            )
        if problems:
            raise ValidationError(problems, source=f"cycle {cycles[0][0].id!r}")

    def _view(
        self, actor: Actor, cycle: domain.Cycle, school: domain.School | None
    ) -> domain.Cycle:
        view = self._quiet_view(actor, cycle, school)
        self.record_reads(actor, [view])
        return view

    def record_reads(self, actor: Actor, views: Iterable[domain.Cycle], *, detail: str = "") -> int:
        """Log that *actor* read the confidential fields each of *views* holds, in one go.

        Every read of a confidential field goes through here: the services' own reads, and
        documents and files made from views elsewhere (the command line's proformas). One
        ``read`` entry per view holding a confidential field (conversation, private notes,
        pay), naming the reader, their role, the fields and the people the cycle is about;
        views with none are not logged. The entries are appended in one transaction.

        Args:
            actor: Who read them.
            views: The cycles as they were shown (redacted for the reader).
            detail: What the read was for ("proforma mid_year for reviewee"...).

        Returns:
            The number of entries appended.
        """
        _actor(actor)
        read = [(view, confidential_fields(view)) for view in views]
        read = [(view, fields) for view, fields in read if fields]
        if not read:
            return 0
        try:
            with self._open(actor) as tx:
                for view, fields in read:
                    tx.audit.record_read(
                        view.school_id,
                        kind="cycle",
                        record_id=view.id,
                        fields=fields,
                        persons=[p for p in (view.staff_id, view.reviewer_id) if p],
                        by=actor.user_id,
                        role=actor.role,
                        detail=detail,
                    )
                tx.commit()
        except StorageError as error:
            msg = (
                "this read shows confidential fields, and every such read is kept in the "
                f"audit log, which could not be written ({error}); nothing was shown"
            )
            raise StorageError(msg) from error
        return len(read)

    def proforma_view(
        self, actor: Actor, cycle: domain.Cycle, document: Document, school: domain.School | None
    ) -> domain.Cycle:
        """Return *cycle* as *document* (a proforma built from it for *actor*) showed it.

        What the actor may read, narrowed to what the document's audience may read and to
        the confidential parts whose text the document holds: the read a proforma is
        logged with.
        """
        _actor(actor)
        view = self._quiet_view(actor, cycle, school)
        if document.audience is not None:
            reader = self.policy.role_for_audience(document.audience)
            view = redact(view, reader, pay=pay_kept(cycle, school))
        return _shown(view, "\n".join(document.texts()))

    # -------------------------------------------------------------------- reads

    def actor_for(
        self,
        school_id: str,
        staff_id: str,
        cycle_id: str | None = None,
        *,
        on: date | None = None,
    ) -> Actor:
        """Return the `Actor` a signed-in member of staff is, from the stored records alone.

        The one way to turn an embedder's authenticated user into an actor: give the
        school and the staff id from the user's own record (never from the request), and
        the cycle the request is about, if any. The role comes from what is stored, never
        from what the caller claims (`devcycle.access.role_for` under this policy): on
        *cycle_id*, ``reviewee`` if it is their cycle, ``reviewer`` if its stored reviewer
        is them; a role their staff record's roles carry (``headteacher``); on the cycle,
        ``line_manager`` if they line-manage its reviewee; otherwise ``reviewee``, a member
        of staff acting for themself, whom the services refuse on anyone else's cycle.
        Roles with no record to check (``school_admin``, ``governor``, ``trust_leader``,
        ``auditor``, ``system``) are never given: build those actors from your own records.

        A person is their school and their id together: school sb's ``T1`` is nobody at
        school sa, whatever their roles there.

        Args:
            school_id: The school the user signed in to.
            staff_id: Their staff id in that school.
            cycle_id: The cycle the request is about (a cycle of *school_id*), if any.
            on: The day of the request: a member of staff who had left by then (after
                their ``leaving_date``) is refused. Without it, leaving dates are not read.

        Returns:
            The actor, acting in *school_id*.

        Raises:
            ValidationError: If an id is not an id (at ``$.school_id``, ``$.staff_id``,
                ``$.cycle_id``) or *on* not a date.
            NotFoundError: If the school, the member of staff or the cycle is not stored
                (the message names the field: ``@ $.staff_id``).
            AccessDenied: If they had left the school by *on*.

        Example:
            >>> import devcycle as dc
            >>> from devcycle.services import Services
            >>> with dc.open_store("memory://") as store:
            ...     services = Services(store)
            ...     head = dc.StaffMember(id="H1", name="Head", school_id="oak",
            ...                           roles={"headteacher"})
            ...     _ = services.save_school(dc.Actor.system(), dc.School(id="oak", name="Oak"),
            ...                              [head])
            ...     services.actor_for("oak", "H1")
            Actor(user_id='H1', role='headteacher', school_id='oak', trust_id=None)
        """
        _check_id("school_id", school_id)
        _check_id("staff_id", staff_id)
        if cycle_id is not None:
            _check_id("cycle_id", cycle_id)
        if on is not None:
            check_date("on", on)
        with self._read(Actor.system()) as tx:  # a read of the records, nothing written
            school = self._school(tx, school_id)
            if school is None:
                raise _not_found("school", school_id, "school_id")
            staff = _StaffById(tx, school_id)
            member = staff.get(staff_id)
            if member is None:
                raise _not_found(
                    "member of staff", staff_id, "staff_id", f" in school {school_id!r}"
                )
            if on is not None and member.has_left(on):
                msg = (
                    f"{staff_id!r} left school {school_id!r} on {member.leaving_date} (their "
                    f"leaving_date): no actor for them on {on}"
                )
                raise AccessDenied(msg)
            cycle = None
            if cycle_id is not None:
                try:
                    cycle = tx.cycles.get(school_id, cycle_id)
                except NotFoundError:
                    where = f" in school {school_id!r}"
                    raise _not_found("cycle", cycle_id, "cycle_id", where) from None
            role = role_for(self.policy, member, school=school, cycle=cycle, staff=staff)
        return Actor(staff_id, role.name, school_id=school_id)

    def decide(self, actor: Actor, action: str, school_id: str, cycle_id: str | None = None) -> Any:
        """Return the policy's `Decision` on *actor* taking *action* in a school or a cycle.

        Raises:
            ValidationError: If *action* is not one of `devcycle.access.ACTIONS` (at
                ``$.action``, listing them, with the closest named), as `act` does: a
                caller's mistake, not a refusal, so no policy is asked and nothing loaded.
        """
        from devcycle.access import ACTIONS  # noqa: PLC0415 - a constant, kept local

        _actor(actor)
        _known_action(action, ACTIONS, "an action of the access policy")
        with self._read(actor) as tx:
            school = self._school(tx, school_id)
            staff = _StaffById(tx, school_id)  # read as the decisions ask (see get_cycle)
            where = decide(
                self.policy, actor, action, school=school, school_id=school_id, staff=staff
            )
            if cycle_id is None or not where.allowed:
                # refused in the school: the same answer whether the cycle exists or not
                return where
            cycle = tx.cycles.get(school_id, cycle_id)
            return decide(
                self.policy,
                actor,
                action,
                cycle=cycle,
                school=school,
                school_id=school_id,
                staff=staff,
            )

    def get_cycle(self, actor: Actor, school_id: str, cycle_id: str) -> domain.Cycle:
        """Return one cycle as *actor* may see it.

        Raises:
            AccessDenied: If the actor may not read it (not theirs, not their school...).
                An actor refused in the school gets this for any cycle id, stored or not.
            NotFoundError: If the cycle is not stored (and the actor may act in the school).
        """
        with self._read(actor) as tx:
            school = self._school(tx, school_id)
            # The staff the decision names (the actor, the cycle's people), read as asked
            # for: a page showing one cycle costs what it shows, not the school's size.
            staff = _StaffById(tx, school_id)
            cycle = self._cycle_in(
                tx, actor, school, school_id, cycle_id, action="read_cycle", staff=staff
            )
            require(self.policy, actor, "read_cycle", cycle=cycle, school=school, staff=staff)
        return self._view(actor, cycle, school)

    def available_actions(
        self, actor: Actor, school_id: str, cycle_id: str, objective_id: str | None = None
    ) -> tuple[str, ...]:
        """Return the actions *actor* may take now on a cycle, or on one of its objectives.

        Each name is both a `devcycle.domain.Cycle` method and the ``action`` that `act`
        takes (``record_check_in`` also has its own `record_check_in` here): the ones the
        cycle's own rules allow the actor's person now (`devcycle.domain.Cycle.
        available_actions`) that the access policy also lets their role take on this cycle.
        An actor with no standing on the cycle gets none, and one with no standing in the
        school gets none for any cycle id, stored or not. Use it to decide which buttons to
        show; `act` still checks everything when one is pressed.

        Raises:
            NotFoundError: If the cycle, or *objective_id* in it, is not stored.

        Examples:
            >>> import devcycle as dc
            >>> from datetime import date
            >>> from devcycle.services import Services
            >>> with dc.open_store("memory://") as store:
            ...     services = Services(store)
            ...     cycle = dc.Cycle(id="c1", school_id="oak", staff_id="T1", reviewer_id="H1",
            ...                      period_start=date(2026, 9, 1), period_end=date(2027, 8, 31))
            ...     cycle.start_planning(by="H1", on=date(2026, 9, 10))
            ...     objective = cycle.propose_objective(by="T1", on=date(2026, 9, 20),
            ...                                         statement="x")
            ...     staff = [dc.StaffMember(id=i, name=i, school_id="oak", roles={"teacher"})
            ...              for i in ("T1", "H1")]
            ...     _ = services.save_school(dc.Actor.system(), dc.School(id="oak", name="Oak"),
            ...                              staff)
            ...     _ = services.save_cycle(dc.Actor.system(), cycle)
            ...     reviewer = dc.Actor("H1", "reviewer", school_id="oak")
            ...     services.available_actions(reviewer, "oak", "c1", objective.id)
            ('return_objective', 'agree_objective', 'set_objective')
        """
        with self._read(actor) as tx:
            school = self._school(tx, school_id)
            staff = _StaffById(tx, school_id)  # read as the decisions ask (see get_cycle)
            try:
                cycle = self._cycle_in(tx, actor, school, school_id, cycle_id, staff=staff)
            except AccessDenied:
                return ()  # no standing in the school: no actions, whether the cycle exists or not
            return tuple(
                action
                for action in cycle.available_actions(actor.user_id, objective_id)
                if decide(
                    self.policy, actor, action, cycle=cycle, school=school, staff=staff
                ).allowed
            )

    def cycles(
        self, actor: Actor, school_id: str, *, staff_id: str | None = None
    ) -> list[domain.Cycle]:
        """Return the school's cycles *actor* may read (one person's with *staff_id*), as views.

        Cycles the actor may not read are left out, as a query scoped to them would.

        Raises:
            AccessDenied: If the actor may not read cycles in the school at all.
        """
        with self._read(actor) as tx:
            school = self._school(tx, school_id)
            # One person's cycles: the staff their decisions name, read as asked for (see
            # get_cycle); the whole school's: its staff in one read, as most are named.
            staff: Mapping[str, domain.StaffMember] = (
                _StaffById(tx, school_id) if staff_id is not None else self._staff(tx, school_id)
            )
            require(
                self.policy, actor, "read_school", school=school, school_id=school_id, staff=staff
            )
            stored = (
                tx.cycles.for_staff(school_id, staff_id)
                if staff_id is not None
                else tx.cycles.for_school(school_id)
            )
            readable = [
                c
                for c in stored
                if decide(
                    self.policy, actor, "read_cycle", cycle=c, school=school, staff=staff
                ).allowed
            ]
        views = [self._quiet_view(actor, c, school) for c in readable]
        self.record_reads(actor, views)
        return views

    def load_school(self, actor: Actor, school_id: str) -> SchoolData:
        """Load a school with its staff, CPD and the cycles *actor* may read, as views.

        Raises:
            NotFoundError: If the school is not stored.
            AccessDenied: If the actor may not read the school.
        """
        with self._read(actor) as tx:
            school = tx.schools.get(school_id)
            staff = tuple(tx.staff.for_school(school_id))
            people = {m.id: m for m in staff}
            require(self.policy, actor, "read_school", school=school, staff=people)
            cycles = [
                c
                for c in tx.cycles.for_school(school_id)
                if decide(
                    self.policy, actor, "read_cycle", cycle=c, school=school, staff=people
                ).allowed
            ]
            cpd = tuple(tx.cpd.for_school(school_id))
            offerings = tuple(tx.cpd_offerings.for_school(school_id))
        views = tuple(self._quiet_view(actor, c, school) for c in cycles)
        self.record_reads(actor, views)
        return SchoolData(
            school=school, staff=staff, cycles=views, cpd=cpd, cpd_offerings=offerings
        )

    def proforma(
        self,
        actor: Actor,
        school_id: str,
        cycle_id: str,
        stage: str,
        *,
        as_of: date,
        audience: domain.Audience | str | None = None,
        stage_dirs: Iterable[str | Path] = (),
        **options: Any,
    ) -> Document:
        """Build a proforma of one cycle for *actor*; its audience follows from the actor.

        Args:
            actor: Who asks; the document is prepared for their audience.
            school_id: The school.
            cycle_id: The cycle.
            stage: The stage name (see `devcycle.proforma.build_proforma`).
            as_of: The date of the record.
            audience: Another audience to prepare the copy for, only if the actor's role
                may (a headteacher printing the reviewee's copy); it then shows no more
                than both may see.
            stage_dirs: Folders of the school's own stage files.
            options: Passed on to `devcycle.proforma.build_proforma` (framework, check...).

        Raises:
            AccessDenied: If the actor may not read the cycle or prepare that audience's copy.
            ValidationError: If *as_of* is not a date or *actor* not an `Actor`.
        """
        check_date("as_of", as_of)
        with self._read(actor) as tx:
            school = self._school(tx, school_id)
            cycle = self._cycle_in(tx, actor, school, school_id, cycle_id, action="read_cycle")
            staff = tuple(tx.staff.for_school(school_id))
            cpd = tuple(tx.cpd.for_school(school_id))
        document = build_proforma(
            cycle,
            stage,
            actor=actor,
            policy=self.policy,
            audience=audience,
            as_of=as_of,
            school=school,
            staff=staff,
            cpd=cpd,
            stage_dirs=stage_dirs,
            **options,
        )
        self.record_reads(
            actor,
            [self.proforma_view(actor, cycle, document, school)],
            detail=f"proforma {stage} for {document.audience}",
        )
        return document

    def _quiet_view(
        self, actor: Actor, cycle: domain.Cycle, school: domain.School | None
    ) -> domain.Cycle:
        return redact(cycle, role_of(self.policy, actor), pay=pay_kept(cycle, school))

    def report_schools(
        self, actor: Actor, school_id: str | None = None
    ) -> tuple[domain.School, ...]:
        """Return the schools a report for *actor* covers, each one they may report on.

        With *school_id*, that school alone, if the actor may run reports on it. Without,
        every stored school the policy lets them run reports on (``report``, decided school by
        school by `devcycle.access.decide`): a trust leader's, their trust's schools and no
        other trust's; a headteacher's or school administrator's, their own school; the
        system's, every school. The one rule for the reports of `report` and
        ``devcycle report``.

        Raises:
            NotFoundError: If *school_id* is not stored.
            AccessDenied: If the actor may not run reports on *school_id*, or (without it)
                on any stored school; the message says why.
        """
        with self._read(actor) as tx:
            return self._report_schools(tx, actor, school_id)

    def _report_schools(
        self, tx: UnitOfWork, actor: Actor, school_id: str | None
    ) -> tuple[domain.School, ...]:
        if school_id is not None:
            school = tx.schools.get(school_id)
            require(self.policy, actor, "report", school=school, staff=self._staff(tx, school_id))
            return (school,)
        role = role_of(self.policy, actor)
        schools = sorted(tx.schools.list(), key=lambda s: s.id)
        allowed = tuple(
            school
            for school in schools
            if decide(
                self.policy,
                actor,
                "report",
                school=school,
                # one member read at most per school (the actor, for a role that must
                # hold a staff role there), never every school's staff list
                staff=_StaffById(tx, school.id),
            ).allowed
        )
        if not allowed:
            own = [s for s in schools if s.id == actor.school_id]
            if own:  # the policy's own reason, for the school the actor names
                require(
                    self.policy, actor, "report", school=own[0], staff=self._staff(tx, own[0].id)
                )
            raise AccessDenied(_no_report_schools(actor, role.scope, role.may("report"), schools))
        return allowed

    def report(
        self,
        actor: Actor,
        name: str,
        school_id: str | None = None,
        *,
        as_of: date,
        **options: Any,
    ) -> Any:
        """Run the report called *name* for *actor* (see `devcycle.reports.run`).

        On *school_id*, or without it on every school the actor may run reports on
        (`report_schools`): a trust leader gets their own trust's schools, and only
        those, whatever else the store holds. Needs ``report`` in each school (a trust
        leader's trust counts). Reports read the cycles through the policy
        (`devcycle.access.report_view`): no confidential field (conversation, private
        notes, pay) in them at all, and the text of objectives, evidence, observations and
        meetings only for a role that may read that field (the records are counted, their
        text reads ``[withheld]``); individual objectives are listed only for a role that
        may read objectives (counts otherwise).

        Raises:
            NotFoundError: If *school_id* is not stored.
            AccessDenied: If the actor may not run reports on the school, or on any school.
            ValidationError: If *as_of* is not a date or *actor* not an `Actor`.
        """
        check_date("as_of", as_of)
        from devcycle.reports import ReportData, Scope, run  # noqa: PLC0415 - loaded on use

        with self._read(actor) as tx:
            schools = self._report_schools(tx, actor, school_id)
            role = role_of(self.policy, actor)
            data = ReportData.from_store(tx, schools=schools)
            if school_id is not None:
                data = attrs.evolve(data, trust=None)
        # what reports read and quote for this role is the policy's to say (report_view)
        data = attrs.evolve(data, cycles=tuple(report_view(c, role) for c in data.cycles))
        options.setdefault("scope", Scope(school_id=school_id))
        options["individual"] = options.get("individual", True) and reports_individual(role)
        return run(name, data, as_of=as_of, **options)

    def access_policy(self, actor: Actor, school_id: str) -> AccessPolicy:
        """Return the access policy in force, for an actor who may ``read_policy``."""
        with self._read(actor) as tx:
            school = self._school(tx, school_id)
            require(
                self.policy,
                actor,
                "read_policy",
                school=school,
                school_id=school_id,
                staff=self._staff(tx, school_id),
            )
        return self.policy

    def audit_log(self, actor: Actor, school_id: str, **query: Any) -> list[Any]:
        """Return the school's audit log entries, for an actor who may ``read_audit``.

        Args:
            actor: Who asks.
            school_id: The school whose log to read, or `devcycle.storage.CATALOGUE_SCOPE`
                for the shared catalogue's (frameworks and templates), which only a role
                scoped to every school (the system, by default) may read.
            query: As `devcycle.storage.AuditLog.query` takes them (person, record, kind,
                action, start, end).

        Raises:
            AccessDenied: If the actor may not read the audit log.
        """
        if school_id == CATALOGUE_SCOPE:
            # The shared catalogue belongs to no school: a role scoped to every school.
            require(self.policy, actor, "read_audit", school=None, school_id=None, staff={})
            return list(self.store.audit.query(school_id, **query))
        with self._read(actor) as tx:
            school = self._school(tx, school_id)
            require(
                self.policy,
                actor,
                "read_audit",
                school=school,
                school_id=school_id,
                staff=self._staff(tx, school_id),
            )
        return list(self.store.audit.query(school_id, **query))

    # ------------------------------------------------------------------ changes

    def save_school(
        self,
        actor: Actor,
        school: domain.School,
        staff: Iterable[domain.StaffMember] = (),
        cpd: Iterable[domain.CPDActivity] = (),
        cpd_offerings: Iterable[domain.CPDOffering] = (),
    ) -> domain.School:
        """Save a school with its staff and CPD, adding what is new and updating the rest.

        *cpd_offerings* are its CPD catalogue; an activity naming an offering
        (``offering_id``) must name one saved with it or already stored.

        Returns:
            The school as stored (with its new version).

        Raises:
            AccessDenied: If the actor may not write the school, its staff or its CPD, or
                changes its CPD budgets without ``set_cpd_budget``.
            ConflictError: If anything was saved by someone else since it was loaded.
            ValidationError: If a staff member or CPD belongs to another school or names
                what is not there, or a KPI's
                figure is dated before the one stored (`older_measurements`: a KPI keeps
                only its latest figure); nothing is saved.
        """
        members = list(staff)
        activities = list(cpd)
        offerings = list(cpd_offerings)
        with self._read(actor) as tx:
            people = self._staff(tx, school.id)
            catalogue = {o.id for o in tx.cpd_offerings.for_school(school.id)}
            before = self._school(tx, school.id)
        stored = dict(people)
        people.update((m.id, m) for m in members if m.id not in people)
        # the actor's standing is judged in the school as stored (its trust, not the one
        # this copy names): nobody writes another trust's school by renaming its trust
        where = before if before is not None else school
        require(self.policy, actor, "write_school", school=where, staff=people)
        # power (roles carrying access, the trust, the appraisal policy, oneself as
        # reviewer) is the policy's to guard, whichever call changes it
        check_school_change(
            self.policy, actor, before, school, stored=stored, members=members, staff=people
        )
        budgets_before = sorted(before.cpd_budgets if before else (), key=lambda b: b.id)
        if sorted(school.cpd_budgets, key=lambda b: b.id) != budgets_before:
            # The budget is the policy's to guard, whichever call changes it.
            require(self.policy, actor, "set_cpd_budget", school=where, staff=people)
        if members:
            require(self.policy, actor, "write_staff", school=where, staff=people)
        if activities or offerings:
            require(self.policy, actor, "write_cpd", school=where, staff=people)
        strays = [
            *_strays("staff member", "staff", members, school.id),
            *_strays("CPD", "cpd", activities, school.id),
            *_strays("CPD offering", "cpd_offerings", offerings, school.id),
        ]
        if strays:  # the caller's mistake, not a matter of permission
            raise ValidationError(strays)
        catalogue |= {o.id for o in offerings}
        unknown = [
            f"CPD {a.id!r} is a run of offering {a.offering_id!r}, which is not in the "
            f"catalogue of {school.id!r} @ cpd[{index}].offering_id"
            for index, a in enumerate(activities)
            if a.offering_id is not None and a.offering_id not in catalogue
        ]
        with self._read(actor) as tx:
            standards = known_standards(tx.frameworks.list())
        priorities = {p.id for p in school.priorities}
        unknown += older_measurements(before, school)
        for index, member in enumerate(members):
            unknown += staff_problems(member, people, f"$.staff[{index}]")
        for section, records in (("cpd_offerings", offerings), ("cpd", activities)):
            for index, record in enumerate(records):
                unknown += tag_problems(
                    record, school.id, priorities, standards, f"$.{section}[{index}]"
                )
        if unknown:
            raise ValidationError(unknown, source=f"school {school.id!r}")
        with self._open(actor) as tx:
            saved = _save(tx.schools, school, (school.id,))
            for member in members:
                _save(tx.staff, member, (member.school_id, member.id))
            for offering in offerings:
                _save(tx.cpd_offerings, offering, (offering.school_id, offering.id))
            for activity in activities:
                _save(tx.cpd, activity, (activity.school_id, activity.id))
            tx.commit()
        return saved  # type: ignore[no-any-return]

    def sync_school(
        self,
        actor: Actor,
        school: domain.School,
        staff: Iterable[domain.StaffMember],
        *,
        teams: Iterable[domain.Team] | None = None,
        accept_renames: bool = False,
        accept_reinstatements: bool = False,
        accept_roster_overrides: bool = False,
    ) -> SyncReport:
        """Keep a school's teams and staff in step with its MIS, as *actor*, under the policy.

        Does what `devcycle.sync.sync_school` does (only the MIS-owned fields of a stored
        school: name, trust, teams; staff added or updated, leavers reported and kept), in
        one transaction logged as *actor*, and checks every change against the policy as
        `save_school` does, so a feed is no way round it: the sync needs ``write_school``
        and ``write_staff``; a member given a staff role that carries access (headteacher,
        senior or middle leader) needs ``grant_role`` (never to oneself); the school moved
        to another trust needs ``govern_school``; nobody but the system makes themself
        someone's reviewer or line manager. A refused sync saves nothing.

        Returns:
            What was created, updated, unchanged, and who is stored but no longer listed.

        Raises:
            AccessDenied: If the actor may not make a change the feed holds (the message
                names the member or field and the right needed).
            ValidationError: As `devcycle.sync.sync_school` (a feed that does not hold
                together, or renames a stored person without *accept_renames*, or clears
                a stored leaving date without *accept_reinstatements*, or puts back a field
                changed in devcycle since the last sync without *accept_roster_overrides*,
                as there); nothing is saved.
            ConflictError: If someone else changed a record while the sync ran.
        """
        checked = _actor(actor)
        if not isinstance(school, domain.School):
            _bad_argument("school", school, "a devcycle.School")
        people = list(staff)
        if teams is not None:
            school = attrs.evolve(school, teams=tuple(teams))

        def check(
            before: domain.School | None,
            after: domain.School,
            stored: Mapping[str, domain.StaffMember],
            members: Sequence[domain.StaffMember],
        ) -> None:
            everyone = {**stored, **{m.id: m for m in members if m.id not in stored}}
            where = before if before is not None else after  # authority: the stored school
            require(self.policy, checked, "write_school", school=where, staff=everyone)
            require(self.policy, checked, "write_staff", school=where, staff=everyone)
            check_school_change(
                self.policy,
                checked,
                before,
                after,
                stored=stored,
                members=members,
                staff=everyone,
            )

        with self._open(checked) as tx:
            # the actor's right to write this school first: what the sync then finds wrong
            # with the stored school (its team milestones) is not for another school's eyes
            before = self._school(tx, school.id)
            if before is not None:
                stored = {m.id: m for m in tx.staff.for_school(school.id)}
                check(before, before, stored, [])  # write_school, write_staff; no change yet
            items = sync_in(
                tx,
                school,
                people,
                check=check,
                accept_renames=accept_renames,
                accept_reinstatements=accept_reinstatements,
                accept_roster_overrides=accept_roster_overrides,
            )
            tx.commit()
        return SyncReport(items)

    def record_leaver(
        self, actor: Actor, school_id: str, staff_id: str, leaving_date: date | None
    ) -> domain.StaffMember:
        """Record the day a member of staff leaves the school (None: clear it, they stay).

        Their staff record is kept (their cycles, and colleagues' records, still name
        them); the retention rules that count from the end of employment count from this
        day (`devcycle.privacy.retention_plan`). Needs ``write_staff``; the change is
        logged as *actor* (an ``update`` of the staff record, naming ``leaving_date``).

        Returns:
            The staff member as stored.

        Raises:
            AccessDenied: If *actor* may not write the school's staff.
            NotFoundError: If the person is not on the school's staff.
            ValidationError: If *leaving_date* is not a date, or falls before the day they
                joined (their ``start_date``); nothing is saved.
        """
        checked = _actor(actor)
        if leaving_date is not None:
            check_date("leaving_date", leaving_date)
        with self._open(checked) as tx:
            staff = self._staff(tx, school_id)
            require(
                self.policy,
                checked,
                "write_staff",
                school=self._school(tx, school_id),
                school_id=school_id,
                staff=staff,
            )
            if staff_id not in staff:
                raise NotFoundError("staff member", staff_id, known=sorted(staff))
            member = staff[staff_id]
            if leaving_date is not None and member.start_date and leaving_date < member.start_date:
                msg = (
                    f"leaving_date {leaving_date} is before {staff_id!r} joined "
                    f"({member.start_date}): expected a day on or after it @ $.leaving_date"
                )
                raise ValidationError([msg], source=f"staff member {staff_id!r}")
            if member.leaving_date == leaving_date:
                return member
            saved: domain.StaffMember = tx.staff.update(
                attrs.evolve(member, leaving_date=leaving_date)
            )
            tx.commit()
        return saved

    def reassign_reviewer(
        self,
        actor: Actor,
        school_id: str,
        from_id: str | None,
        to_id: str,
        *,
        on: date,
        cycle_ids: Sequence[str] | None = None,
        dry_run: bool = False,
    ) -> list[tuple[domain.Cycle, domain.StaffMember | None]]:
        """Move the reviewees of *from_id* (a leaver, or anyone) to the reviewer *to_id*.

        With *from_id* None it gives cycles that have no reviewer their first one: then
        *cycle_ids* must name them (each open and reviewed by nobody), and a reviewee whose
        staff record names no reviewer is given *to_id* too. The checks, policy and audit
        are the same. The reviewer of a headteacher's cycle may be someone not on the
        staff, a governor (`devcycle.domain.governors_review`, as the store's reference
        checks allow); every other new reviewer must be current staff.

        Every open cycle *from_id* reviews in the school (or only those *cycle_ids* name)
        gets *to_id* as its reviewer through the cycle's own ``assign_reviewer`` (dated
        *on*, recorded in its history as by the actor); each reviewee whose staff record
        names *from_id* as their reviewer is updated to *to_id* too, so the next cycle
        planned follows. All in one transaction, under the policy as `change_cycle` and
        `save_school` check it (``assign_reviewer`` on each cycle; ``write_staff`` for
        the staff records; nobody but the system makes themself someone's reviewer), and
        logged as *actor*. With *dry_run* everything is checked and nothing is saved.

        Returns:
            Each cycle moved (as saved, or as it would be) with the reviewee's staff record
            as saved (None when it did not name *from_id*).

        Raises:
            AccessDenied: If the policy does not allow a change; nothing is saved.
            NotFoundError: If the school, or a cycle *cycle_ids* names, is not stored.
            ValidationError: If *to_id* is not current staff of the school on *on* (not on
                its staff, save as a headteacher's reviewer; left by then), is *from_id*,
                or is the reviewee of a cycle to move; if a cycle named is closed or not
                reviewed by *from_id*; if *from_id* reviews no open cycle; or if
                *from_id* is None and *cycle_ids* names no cycle; nothing is saved.
            DomainError: If a cycle's own rules refuse the change (*on* after its end).
        """
        checked = _actor(actor)
        check_date("on", on)
        _check_reassignment(school_id, from_id, to_id, cycle_ids)
        source = (
            f"reassigning the reviewees of {from_id!r}"
            if from_id is not None
            else "giving cycles with no reviewer a reviewer"
        )
        with self._open(checked) as tx:
            school, staff = self._allowed_in_school(tx, checked, "assign_reviewer", school_id)
            stored = tx.cycles.for_school(school_id)
            chosen = self._cycles_reviewed(stored, from_id, cycle_ids, source)
            problems = self._new_reviewer_problems(staff, chosen, from_id, to_id, on)
            if problems:
                raise ValidationError(problems, source=source)
            moved: list[tuple[domain.Cycle, domain.StaffMember | None]] = []
            members: list[domain.StaffMember] = []
            for cycle in chosen:
                self._check_tie(checked, cycle, school, staff)
                before = copy.copy(cycle)
                with recording_calls(cycle) as calls:
                    cycle.assign_reviewer(to_id, by=checked.user_id, on=on)
                check_change(self.policy, checked, before, cycle, calls=calls)
                self._check_cycle_refs(tx, [(cycle, before)], school, staff)
                reviewee = staff.get(cycle.staff_id)
                member = None
                if reviewee is not None and reviewee.reviewer_id == from_id:
                    member = attrs.evolve(reviewee, reviewer_id=to_id)
                    staff[member.id] = member
                    members.append(member)
                moved.append((cycle, member))
            if members:
                require(self.policy, checked, "write_staff", school=school, staff=staff)
                check_school_change(
                    self.policy,
                    checked,
                    school,
                    school,
                    stored=self._staff(tx, school_id),
                    members=members,
                    staff=staff,
                )
            if dry_run:
                return [(self._quiet_view(checked, c, school), m) for c, m in moved]
            saved_members = {m.id: tx.staff.update(m) for m in members}
            saved = [
                (tx.cycles.update(c), saved_members.get(m.id) if m else None) for c, m in moved
            ]
            tx.commit()
        return [(self._quiet_view(checked, c, school), m) for c, m in saved]

    def end_cycle_on_leaving(
        self,
        actor: Actor,
        school_id: str,
        staff_id: str,
        *,
        on: date,
        cycle_ids: Sequence[str] | None = None,
        note: str = "",
        dry_run: bool = False,
    ) -> list[domain.Cycle]:
        """End the open cycles of *staff_id*, who has left the school, as of *on*.

        Each cycle (every open cycle of theirs in the school, or only those *cycle_ids*
        names) is ended through its own ``end_on_leaving``, dated *on*, with their stored
        ``leaving_date`` and *note*, recorded in its history as by the actor: ended and
        locked, never a completed review; objectives and milestones are left as they were.
        The person is *staff_id* of *school_id* (in a trust whose schools reuse staff ids,
        school A's ``T1`` is not school B's). All in one transaction, under the policy as
        `change_cycle` checks it (``end_on_leaving`` on each cycle: by default the
        headteacher; never the reviewee), each save over the version loaded (a
        `ConflictError` if someone saved first), logged as *actor*. With *dry_run*
        everything is checked and nothing is saved.

        Returns:
            Each cycle ended (as saved, or as it would be), in id order, as the actor may
            see it.

        Raises:
            AccessDenied: If the policy does not allow it; nothing is saved.
            NotFoundError: If the school, the person, or a cycle *cycle_ids* names is not
                stored (in that school).
            ValidationError: If the person has not left (no ``leaving_date``), *on* is
                before their leaving date, a cycle named is not theirs or is closed or
                already ended, they have no open cycle, or *note* is not one short line;
                nothing is saved.
            DomainError: If a cycle's own rules refuse it (the reviewee acting).
            ConflictError: If someone saved one of the cycles since it was loaded.
        """
        checked = _actor(actor)
        _check_id("school_id", school_id)
        _check_id("staff_id", staff_id)
        check_date("on", on)
        if cycle_ids is not None:
            for index, cycle_id in enumerate(cycle_ids):
                _check_id(f"cycle_ids[{index}]", cycle_id)
        source = f"ending the cycles of {staff_id!r} on leaving"
        with self._open(checked) as tx:
            school, staff = self._allowed_in_school(
                tx, checked, "end_on_leaving", school_id, field="school_id"
            )
            if staff_id not in staff:
                raise _not_found_known("staff member", staff_id, sorted(staff), "staff_id")
            member = staff[staff_id]
            problem = _leaving_problem(member, staff_id, school_id, "$.staff_id")
            if problem is not None:
                raise ValidationError([problem], source=source)
            left_on = member.leaving_date
            assert left_on is not None  # _leaving_problem said so
            if on < left_on:
                msg = (
                    f"{on} is before {member.name} ({staff_id}) left on {left_on} (their "
                    f"leaving_date): expected a day on or after it @ $.on"
                )
                raise ValidationError([msg], source=source)
            chosen = self._cycles_of_leaver(
                tx.cycles.for_school(school_id), staff_id, cycle_ids, source
            )
            ended: list[domain.Cycle] = []
            for cycle in chosen:
                self._check_tie(checked, cycle, school, staff)
                before = copy.copy(cycle)
                with recording_calls(cycle) as calls:
                    cycle.end_on_leaving(by=checked.user_id, on=on, left_on=left_on, note=note)
                check_change(self.policy, checked, before, cycle, calls=calls)
                _check_leavers(calls, staff, cycle)
                self._check_cycle_refs(tx, [(cycle, before)], school, staff)
                ended.append(cycle)
            if dry_run:
                return [self._quiet_view(checked, c, school) for c in ended]
            saved = [tx.cycles.update(c) for c in ended]
            tx.commit()
        return [self._quiet_view(checked, c, school) for c in saved]

    @staticmethod
    def _cycles_of_leaver(
        stored: Sequence[domain.Cycle],
        staff_id: str,
        cycle_ids: Sequence[str] | None,
        source: str,
    ) -> list[domain.Cycle]:
        """The open cycles of *staff_id*, or those of *cycle_ids*, checked to be such."""
        theirs = [c for c in stored if c.staff_id == staff_id]
        open_ones = [c for c in theirs if not c.is_closed]
        if cycle_ids is None:
            if not open_ones:
                done = ", ".join(f"{c.id} ({c.status.value})" for c in theirs) or "none"
                msg = f"{staff_id!r} has no open cycle to end (their cycles: {done}) @ $.staff_id"
                raise ValidationError([msg], source=source)
            return sorted(open_ones, key=lambda c: c.id)
        by_id = {c.id: c for c in stored}
        problems = []
        chosen = []
        for index, cycle_id in enumerate(dict.fromkeys(cycle_ids)):
            where = f"$.cycle_ids[{index}]"
            cycle = by_id.get(cycle_id)
            if cycle is None:
                raise _not_found_known(
                    "cycle", cycle_id, [c.id for c in open_ones], f"cycle_ids[{index}]"
                )
            if cycle.staff_id != staff_id:
                problems.append(
                    f"cycle {cycle_id!r} is {cycle.staff_id}'s, not {staff_id}'s @ {where}"
                )
            elif cycle.is_ended:
                entry = cycle.ending
                when = f" on {entry.on} by {entry.by}" if entry is not None else ""
                problems.append(f"cycle {cycle_id!r} was already ended{when} @ {where}")
            elif cycle.is_closed:
                problems.append(
                    f"cycle {cycle_id!r} is closed (completed after its final review): it "
                    f"stays as it is @ {where}"
                )
            else:
                chosen.append(cycle)
        if problems:
            raise ValidationError(problems, source=source)
        return chosen

    @staticmethod
    def _cycles_reviewed(
        stored: Sequence[domain.Cycle],
        from_id: str | None,
        cycle_ids: Sequence[str] | None,
        source: str,
    ) -> list[domain.Cycle]:
        """The open cycles *from_id* reviews, or those of *cycle_ids*, checked to be such."""
        open_ones = [c for c in stored if not c.is_closed and c.reviewer_id == from_id]
        if cycle_ids is None:
            if not open_ones:
                msg = (
                    f"{from_id!r} reviews no open cycle in this school (expected the id of "
                    f"someone who reviews an open cycle) @ $.from_id"
                )
                raise ValidationError([msg], source=source)
            return sorted(open_ones, key=lambda c: c.id)
        by_id = {c.id: c for c in stored}
        problems = []
        chosen = []
        for index, cycle_id in enumerate(cycle_ids):
            cycle = by_id.get(cycle_id)
            if cycle is None:
                raise NotFoundError("cycle", cycle_id, known=[c.id for c in open_ones])
            where = f"$.cycle_ids[{index}]"
            if cycle.is_closed:
                problems.append(f"cycle {cycle_id!r} is closed: its reviewer is kept @ {where}")
            elif cycle.reviewer_id != from_id:
                expected = repr(from_id) if from_id is not None else "nobody"
                first = (
                    ": nobody reviews it yet, so give it its first reviewer with no one to "
                    "move from (from_id None; no PERSON on the command line)"
                    if cycle.reviewer_id is None
                    else ""
                )
                problems.append(
                    f"cycle {cycle_id!r} is reviewed by {cycle.reviewer_id or 'nobody'}, not "
                    f"{expected}{first} @ {where}"
                )
            else:
                chosen.append(cycle)
        if problems:
            raise ValidationError(problems, source=source)
        return chosen

    @staticmethod
    def _new_reviewer_problems(
        staff: Mapping[str, domain.StaffMember],
        cycles: Sequence[domain.Cycle],
        from_id: str | None,
        to_id: str,
        on: date,
    ) -> list[str]:
        """Why *to_id* cannot review *cycles* on *on* (none if they can).

        Someone not on the staff may review only the cycles of those governors review
        (`domain.governors_review`: a headteacher), as the store's reference checks allow.
        """
        new = staff.get(to_id)
        if to_id == from_id:
            return [f"the new reviewer is {from_id!r} already: name someone else @ $.to_id"]
        if new is None:
            staffed = [c for c in cycles if not domain.governors_review(staff.get(c.staff_id))]
            if not staffed:
                return []  # a governor appraising a headteacher
            hint = did_you_mean(to_id, staff)
            heads = (
                "; only a headteacher's reviewer may be from outside the staff (a governor), "
                f"and cycle {staffed[0].id!r} is not a headteacher's"
            )
            return [
                f"new reviewer {to_id!r} is not on the staff of this school"
                f"{'; ' + hint if hint else ''}{heads} (expected a current member of its "
                f"staff) @ $.to_id"
            ]
        if new.has_left(on):
            return [_left_reviewer(new, on, "$.to_id")]
        return [
            f"new reviewer {to_id!r} is the reviewee of cycle {c.id!r}: nobody reviews "
            f"themself (move the others with their cycle ids, or name someone else) @ $.to_id"
            for c in cycles
            if c.staff_id == to_id
        ]

    def save_trust(self, actor: Actor, trust: domain.Trust) -> domain.Trust:
        """Create a trust, or change a stored one (its name, the schools it lists).

        Needs ``write_trust`` on that trust: by default a trust leader of that trust
        (``Actor(..., "trust_leader", trust_id=trust.id)``) or the system. The store's audit
        log records the change, by whom and as what, under the trust's id
        (``store.audit.query(trust.id)``), as for every other write.

        Which trust a school is in is the school's own record (``School.trust_id``, changed
        through `save_school` with ``govern_school``), and it alone decides what a trust
        leader may see; a trust's ``school_ids`` lists its schools for exports and
        reports, so each school listed must be stored and name this trust.

        Returns:
            The trust as stored.

        Raises:
            AccessDenied: If the actor may not write the trust.
            ValidationError: If *trust* is not a `Trust`, or it lists a school that is not
                stored or names another trust (or none); nothing is saved.
        """
        checked = _actor(actor)
        if not isinstance(trust, domain.Trust):
            _bad_argument("trust", trust, "a devcycle.Trust, e.g. Trust(id='rivers', name='...')")
        require(self.policy, checked, "write_trust", trust_id=trust.id)
        with self._open(checked) as tx:
            listed = {s.id: s for s in tx.schools.list(trust.school_ids)}
            problems = []
            for index, school_id in enumerate(trust.school_ids):
                school = listed.get(school_id)
                where = f"$.school_ids[{index}]"
                if school is None:
                    problems.append(
                        f"school {school_id!r} is not stored (expected the id of a stored "
                        f"school; save the school first) @ {where}"
                    )
                elif school.trust_id != trust.id:
                    now = f"trust {school.trust_id!r}" if school.trust_id else "no trust"
                    problems.append(
                        f"school {school_id!r} is in {now}, not {trust.id!r} (a school joins "
                        f"a trust by its own trust_id, through save_school with "
                        f"govern_school) @ {where}"
                    )
            if problems:
                raise ValidationError(problems, source=f"trust {trust.id!r}")
            saved = _save(tx.trusts, trust, (trust.id,))
            tx.commit()
        return saved  # type: ignore[no-any-return]

    def enrol(
        self,
        actor: Actor,
        school_id: str,
        template: CycleTemplate,
        calendar: SchoolCalendar,
        start: date | None = None,
        *,
        on: date,
        year: int | None = None,
        roles: Iterable[domain.Role] | None = None,
        team_id: str | None = None,
    ) -> list[domain.Cycle]:
        """Put the school's staff into cycles planned from *template*, in one transaction.

        Returns the cycles created, as the actor may see them; `plan_cycles` does the same
        and also says which stored cycles it left alone.

        Raises:
            AccessDenied: If the actor may not create cycles in the school.
            SchedulingError: As `plan_cycles` (an `FTETooLowError` for a stored FTE too
                low for a pro-rata template, naming the school and ``$.staff['E1'].fte``).
        """
        result = self.plan_cycles(
            actor,
            school_id,
            template,
            calendar,
            start,
            on=on,
            year=year,
            roles=roles,
            team_id=team_id,
        )
        with self._read(actor) as tx:
            school = self._school(tx, school_id)
        return [self._quiet_view(actor, c, school) for c in result.created]

    def plan_cycles(
        self,
        actor: Actor,
        school_id: str,
        template: CycleTemplate,
        calendar: SchoolCalendar,
        start: date | None = None,
        *,
        on: date,
        year: int | None = None,
        roles: Iterable[domain.Role] | None = None,
        team_id: str | None = None,
    ) -> Enrolment:
        """Plan the school's staff into cycles from *template*, in one transaction.

        Staff are chosen as `devcycle.domain.scheduling.enrol` chooses them; each gets a
        draft cycle with dated milestones, reviewed by their recorded reviewer, following
        the school's policy (pay milestones and pay recommendations only where it links
        pay to appraisal; its observation cap), and seeded with the objectives their
        previous cycle carried forward; the actor is recorded as creating it. Someone who
        already has a cycle from this template for the period is left as they are, so
        planning twice creates nothing the second time
        (`devcycle.domain.scheduling.plan_enrolment`).

        Returns:
            The cycles created and the stored cycles left alone (whole: the caller needs
            ``create_cycle``, a planning right, and these hold only the plan).

        Raises:
            AccessDenied: If the actor may not create cycles in the school.
            SchedulingError: If the calendar does not cover a period, or a new cycle's id is
                taken by another person's cycle; nothing is written. A stored FTE too low
                for a pro-rata template is an `FTETooLowError` naming the person, the school
                and the field (``@ $.staff['E1'].fte``), as stored.
        """
        with paused(), self._open(actor) as tx:  # the collector paused, as in change_cycles
            school = self._school(tx, school_id)
            staff = self._staff(tx, school_id)
            require(
                self.policy, actor, "create_cycle", school=school, school_id=school_id, staff=staff
            )
            policy = school.policy if school is not None else None
            try:
                schedules = schedule_staff(
                    template,
                    calendar,
                    staff.values(),
                    start,
                    year=year,
                    roles=roles,
                    team_id=team_id,
                    policy=policy,
                )
            except FTETooLowError as exc:
                raise _stored_fte(exc, school_id) from None
            result = plan_enrolment(
                schedules,
                staff,
                tx.cycles.for_school(school_id),
                school_id=school_id,
                by=actor.user_id,
                on=on,
                policy=policy,
            )
            orphans = [
                f"staff member {c.staff_id!r} has reviewer {c.reviewer_id!r}, who is not on the "
                f"staff of school {school_id!r} (expected a staff member of {school_id!r}; "
                f"correct their reviewer first) @ $.staff[{c.staff_id!r}].reviewer_id"
                for c in result.created
                if c.reviewer_id is not None and c.reviewer_id not in staff
            ]
            if orphans:
                raise ValidationError(orphans, source=f"enrolment in {school_id!r}")
            tx.cycles.add_all(result.created)
            tx.commit()
        return result

    def apply_policy(
        self,
        actor: Actor,
        school_id: str,
        *,
        on: date,
        templates: Mapping[str, CycleTemplate] | None = None,
        calendar: SchoolCalendar | None = None,
    ) -> dict[str, tuple[str, ...]]:
        """Re-apply the school's stored policy to its open cycles, in one transaction.

        Call it after changing the school's `Policy`: cycles planned before the change
        then allow (or no longer allow) a pay recommendation, gain (or lose) their
        template's pay milestones, and take the new observation cap
        (`devcycle.domain.scheduling.apply_policy`). Closed cycles are left as they are.

        Args:
            actor: Who changed the policy (recorded in the cycles' history); they need
                ``write_school``.
            school_id: The school.
            on: When.
            templates: The templates the cycles were planned from, by id; a shipped
                template is found by name when not given here. A cycle whose template is
                unknown has only its pay-recommendation setting changed.
            calendar: The school's calendar, to date pay milestones being added.

        Returns:
            What changed, by cycle id (cycles with no change left out).

        Raises:
            AccessDenied: If the actor may not write the school.
            NotFoundError: If the school is not stored.
            SchedulingError: If pay milestones must be added and cannot be dated.
        """
        known = dict(templates or {})
        changed: dict[str, tuple[str, ...]] = {}
        with self._open(actor) as tx:
            school = tx.schools.get(school_id)
            require(self.policy, actor, "write_school", school=school)
            for cycle in tx.cycles.for_school(school_id):
                chosen = None
                if cycle.template_id is not None:
                    chosen = known.get(cycle.template_id)
                    if chosen is None:
                        try:
                            chosen = shipped(cycle.template_id)
                        except NotFoundError:
                            chosen = None
                changes = apply_school_policy(
                    cycle,
                    school.policy,
                    by=actor.user_id,
                    on=on,
                    template=chosen,
                    calendar=calendar,
                )
                if changes:
                    tx.cycles.update(cycle)
                    changed[cycle.id] = changes
            tx.commit()
        return changed

    def save_cycle(self, actor: Actor, cycle: domain.Cycle) -> domain.Cycle:
        """Add a new cycle, or replace a stored one over the version it was loaded at.

        Adding needs ``create_cycle``. Replacing a whole cycle needs ``save_cycle`` and a
        role that may read every field, since a redacted view saved back would erase what
        the actor cannot see; everyone else changes cycles with `change_cycle` or `act`.

        Raises:
            AccessDenied: If the policy does not allow it.
            ConflictError: If someone saved the cycle since it was loaded.
        """
        with self._open(actor) as tx:
            school = self._school(tx, cycle.school_id)
            staff = self._staff(tx, cycle.school_id)
            try:
                stored = tx.cycles.get(cycle.school_id, cycle.id)
            except NotFoundError:
                stored = None
            self._check_cycle_refs(tx, [(cycle, stored)], school, staff)
            if stored is None:
                require(
                    self.policy,
                    actor,
                    "create_cycle",
                    school=school,
                    school_id=cycle.school_id,
                    staff=staff,
                )
                saved: domain.Cycle = tx.cycles.add(cycle)
            else:
                role = require(
                    self.policy, actor, "save_cycle", cycle=stored, school=school, staff=staff
                )
                if not _every_field(role):
                    msg = (
                        f"{actor}: cannot replace cycle {cycle.id!r} whole: "
                        f"{a_or_an(role.name)} may not read every field, so saving would erase "
                        "what they cannot see; use change_cycle or act"
                    )
                    raise AccessDenied(msg)
                saved = tx.cycles.update(cycle)
            tx.commit()
        return self._quiet_view(actor, saved, school)

    def change_cycle(
        self,
        actor: Actor,
        school_id: str,
        cycle_id: str,
        change: Callable[[domain.Cycle], object],
        *,
        retries: int = 0,
    ) -> domain.Cycle:
        """Load a cycle, apply *change* to it (domain method calls by the actor), and save it.

        The change is checked against the policy before it is saved: the actor must have
        the tie to the cycle their role needs, and every action the cycle's history records
        for the change must be one they may take, in their own name, writing only fields
        they may write (`devcycle.access.check_change`). The cycle saved must be exactly
        what the methods *change* called make of the cycle loaded (they are recorded and
        replayed on a copy): a field set any other way, even beside a legitimate call, is
        refused and nothing is saved.

        Args:
            actor: Who acts; domain methods must be called with ``by=actor.user_id``.
            school_id: The school.
            cycle_id: The cycle.
            change: Called with the loaded cycle; changes it through its methods.
            retries: How many times to reload and reapply after a `ConflictError`.

        Returns:
            The saved cycle, as the actor may see it.

        Raises:
            AccessDenied: If the policy does not allow the change; nothing is saved.
            ConflictError: If someone else saved first, *retries* + 1 times.
            NotFoundError: If the cycle is not stored.
            DomainError: If *change* is not allowed by the cycle's own rules.
        """
        return self._one_cycle(
            actor,
            school_id,
            cycle_id,
            lambda tx, school, staff, cycle: self._changed(
                tx, actor, cycle, school=school, staff=staff, change=change
            ),
            retries=retries,
        )

    def _one_cycle(
        self,
        actor: Actor,
        school_id: str,
        cycle_id: str,
        work: Callable[[UnitOfWork, domain.School | None, _StaffById, domain.Cycle], object],
        *,
        action: str = "",
        retries: int,
    ) -> domain.Cycle:
        """Load a cycle, let *work* change and check it, and save it in one transaction.

        *action*, if one, is checked in the school before the cycle is read (`_cycle_in`).
        A `ConflictError` loads and works again, up to *retries* times.
        """
        attempt = 0
        while True:
            try:
                with self._open(actor) as tx:
                    school = self._school(tx, school_id)
                    staff = _StaffById(tx, school_id)
                    cycle = self._cycle_in(
                        tx, actor, school, school_id, cycle_id, action=action, staff=staff
                    )
                    work(tx, school, staff, cycle)
                    saved = tx.cycles.update(cycle)
                    tx.commit()
            except ConflictError:
                if attempt >= retries:
                    raise
                attempt += 1
                continue
            return self._quiet_view(actor, saved, school)

    def _changed(
        self,
        tx: UnitOfWork,
        actor: Actor,
        cycle: domain.Cycle,
        *,
        school: domain.School | None,
        staff: _StaffById,
        change: Callable[[domain.Cycle], object],
    ) -> None:
        """Apply the caller's *change* to *cycle* and check it: its calls are replayed.

        The caller's code runs between load and save, so the cycle saved must be exactly
        what the methods it called make of the cycle loaded (`check_change` with *calls*).
        """
        self._check_tie(actor, cycle, school, staff)
        before = copy.copy(cycle)  # the parts are immutable: a true snapshot
        with recording_calls(cycle) as calls:
            change(cycle)
        check_change(self.policy, actor, before, cycle, calls=calls)
        self._check_calls(tx, calls, cycle, before, school=school, staff=staff)

    def _acted(
        self,
        tx: UnitOfWork,
        actor: Actor,
        cycle: domain.Cycle,
        *,
        school: domain.School | None,
        staff: _StaffById,
        actions: Sequence[CycleAction],
    ) -> None:
        """Take *actions* on *cycle* as *actor*, each one the policy allows on it as loaded.

        Only devcycle's code runs between load and save (the cycle's methods, called here
        with plain data: `CycleAction`), so the cycle is what the methods make of it and
        there is nothing to replay; everything else is checked as for a change
        (`check_change`, new reviewers, leavers, references).
        """
        require_each(  # no action: the actor's standing on the cycle alone ("")
            self.policy,
            actor,
            [action.name for action in actions] or [""],
            cycle=cycle,
            school=school,
            staff=staff,
        )
        before = copy.copy(cycle)  # the parts are immutable: a true snapshot
        calls: list[Call] = []
        for action in actions:
            call = action.call(actor)
            name, positional, keywords = call
            if positional:
                _check_part(cycle, _POSITIONAL[name], positional[0])
            getattr(cycle, name)(*positional, **keywords)
            calls.append(call)
        check_change(self.policy, actor, before, cycle)
        self._check_calls(tx, calls, cycle, before, school=school, staff=staff)

    def _check_calls(
        self,
        tx: UnitOfWork,
        calls: Sequence[Call],
        cycle: domain.Cycle,
        before: domain.Cycle,
        *,
        school: domain.School | None,
        staff: _StaffById,
    ) -> None:
        """The checks of a change beyond the policy's: new reviewers, leavers, references."""
        _check_new_reviewers(calls, staff, cycle.id)
        _check_leavers(calls, staff, cycle)
        self._check_cycle_refs(tx, [(cycle, before)], school, staff)

    def _check_tie(
        self,
        actor: Actor,
        cycle: domain.Cycle,
        school: domain.School | None,
        staff: Mapping[str, domain.StaffMember],
    ) -> None:
        """Refuse an actor with no standing on *cycle* (scope, staff role, relation)."""
        require(self.policy, actor, "", cycle=cycle, school=school, staff=staff)

    def act(
        self,
        actor: Actor,
        school_id: str,
        cycle_id: str,
        action: str,
        *,
        on: date,
        retries: int = 0,
        **arguments: Any,
    ) -> domain.Cycle:
        """Take one of the cycle's actions as *actor*, once the policy allows it, and save.

        ``act(actor, "stm", "C1", "agree_objective", objective_id="obj-1", on=day)`` calls
        ``cycle.agree_objective("obj-1", by=actor.user_id, on=day)``.

        Args:
            actor: Who acts (the domain records them as ``by``).
            school_id: The school.
            cycle_id: The cycle.
            action: One of `devcycle.access.CYCLE_ACTIONS`.
            on: The date of the action.
            retries: As for `change_cycle`.
            arguments: The domain method's other arguments.

        Returns:
            The saved cycle, as the actor may see it.

        Raises:
            AccessDenied: If the policy does not allow the action or a field it writes.
            DomainError: If the cycle's own rules refuse it.
            ValidationError: If *action* is not one of `devcycle.access.CYCLE_ACTIONS` (at
                ``$.action``, listing them), the action needs an id (``objective_id``...) not
                given, takes no argument of a name given (a misspelt keyword), or *on* is not
                a date.
        """
        _actor(actor)
        step = _new_action(action, on, None, arguments)
        return self._one_cycle(
            actor,
            school_id,
            cycle_id,
            lambda tx, school, staff, cycle: self._acted(
                tx, actor, cycle, school=school, staff=staff, actions=[step]
            ),
            action=step.name,
            retries=retries,
        )

    def take_actions(
        self,
        actor: Actor,
        school_id: str,
        actions: Mapping[str, Sequence[CycleAction]],
        *,
        batch: int = 500,
    ) -> list[domain.Cycle]:
        """Take each cycle's actions as *actor*, saving each batch of *batch* cycles at once.

        The form for bulk work, and the quickest: ``{cycle_id: [CycleAction(...), ...]}``,
        the actions taken in order on each cycle, each checked as `act` checks one (the
        policy on the cycle as loaded, the parts named, the cycle's own rules, the fields
        written, new reviewers, leavers, references). Unlike `change_cycles`, no code of the
        caller's runs during a change (the arguments are plain data), so nothing needs
        replaying. A batch is all or nothing; batches already committed stay committed if a
        later one fails, and its error then carries a note (``__notes__``) naming them.

        Args:
            actor: Who acts; an action names them in the history unless it names ``by``
                (a role recording on others' behalf, the system's, may).
            school_id: The school.
            actions: The actions for each cycle, by cycle id, in the order to take them.
            batch: How many cycles to save in one transaction.

        Returns:
            The saved cycles, in the order of *actions*, as the actor may see them.

        Raises:
            ValidationError: If *actions* is not a mapping of cycle ids to lists of
                `CycleAction` (at ``$.actions[...]``); nothing is saved.
            AccessDenied: If the policy does not allow an action; its batch is not saved.
            ConflictError: If someone else saved one of a batch's cycles first.
            NotFoundError: If a cycle, or an objective or milestone an action names, is not
                stored.
            DomainError: If the cycle's own rules refuse an action.
        """
        _actor(actor)
        plan = _action_plan(actions)
        return self._in_batches(
            actor,
            school_id,
            list(plan),
            batch,
            lambda tx, school, staff, cycle: self._acted(
                tx, actor, cycle, school=school, staff=staff, actions=plan[cycle.id]
            ),
        )

    def change_cycles(
        self,
        actor: Actor,
        school_id: str,
        cycle_ids: Iterable[str],
        change: Callable[[domain.Cycle], object],
        *,
        batch: int = 500,
    ) -> list[domain.Cycle]:
        """Apply *change* to many cycles, saving each batch of *batch* in one transaction.

        For bulk work (a whole school's planning imported from a spreadsheet, say): far
        fewer durable commits than one `change_cycle` per person. Each cycle's change is
        checked as `change_cycle` checks it (its calls recorded and replayed). A batch is
        all or nothing; batches already committed stay committed if a later one fails (its
        error carries a note naming them).
        Where the actions are known before the cycles are loaded (an import),
        `take_actions` does the same work with nothing to replay, and is quicker.

        Returns:
            The saved cycles, in the order of *cycle_ids*, as the actor may see them.

        Raises:
            AccessDenied: If the policy does not allow a change; its batch is not saved.
            ConflictError: If someone else saved one of a batch's cycles first.
            NotFoundError: If a cycle is not stored.
            DomainError: If *change* is not allowed for a cycle.
        """
        return self._in_batches(
            actor,
            school_id,
            list(cycle_ids),
            batch,
            lambda tx, school, staff, cycle: self._changed(
                tx, actor, cycle, school=school, staff=staff, change=change
            ),
        )

    def _in_batches(
        self,
        actor: Actor,
        school_id: str,
        ids: Sequence[str],
        batch: int,
        work: Callable[[UnitOfWork, domain.School | None, _StaffById, domain.Cycle], object],
    ) -> list[domain.Cycle]:
        """Load each cycle of *ids*, let *work* change and check it, and save it, by batch."""
        size = max(batch, 1)
        saved: list[domain.Cycle] = []
        for start in range(0, len(ids), size):
            try:
                # The cyclic collector paused for each batch (`devcycle._gc`): its passes
                # over the batch's loaded cycles (trees of frozen records) find almost nothing.
                with paused(), self._open(actor) as tx:
                    school = self._school(tx, school_id)
                    staff = _StaffById(tx, school_id)
                    chunk = ids[start : start + size]
                    # The batch's cycles read in one round trip, once the actor may act in
                    # the school at all (`_cycle_in`'s check, which names no cycle); each is
                    # taken once: an id missing, or named again, is loaded by `_cycle_in`,
                    # which says it is not stored or reads it as the batch left it.
                    require(self.policy, actor, "", school=school, school_id=school_id, staff=staff)
                    loaded = tx.cycles.get_many(school_id, chunk)
                    for cycle_id in chunk:
                        cycle = loaded.pop(cycle_id, None)
                        if cycle is None:
                            cycle = self._cycle_in(
                                tx, actor, school, school_id, cycle_id, staff=staff
                            )
                        work(tx, school, staff, cycle)
                        saved.append(self._quiet_view(actor, tx.cycles.update(cycle), school))
                    tx.commit()
            except Exception as error:
                if start:  # say what stays saved: the caller resumes from there
                    error.add_note(_saved_before(ids, start))
                raise
        return saved

    def record_check_in(
        self,
        actor: Actor,
        school_id: str,
        cycle_id: str,
        objective_id: str,
        *,
        on: date,
        note: str,
        percent: int | None = None,
        rag: domain.RAG | None = None,
        retries: int = 0,
    ) -> domain.Cycle:
        """Record a check-in on an objective as *actor* and save the cycle."""
        return self.act(
            actor,
            school_id,
            cycle_id,
            "record_check_in",
            objective_id=objective_id,
            on=on,
            note=note,
            percent=percent,
            rag=rag,
            retries=retries,
        )

    def record_colleague_impact(
        self,
        actor: Actor,
        school_id: str,
        cycle_id: str,
        objective_id: str,
        *,
        on: date,
        shared_with: domain.SharedWith | str,
        what: str,
        with_whom: str = "",
        colleagues: int | None = None,
        evidence_ids: Sequence[str] = (),
        retries: int = 0,
    ) -> domain.Cycle:
        """Record practice from an objective shared with colleagues, as *actor*, and save.

        By default the reviewee and the reviewer may (``record_colleague_impact`` in the
        access policy); the record is part of the objective, read by whoever may read
        ``objectives``.

        Raises:
            AccessDenied: If the policy does not allow it.
            DomainError: If the objective is not agreed or evaluated, or the cycle is not
                active or in final review.
            ValidationError: For an unknown *shared_with* or an empty *what*.
        """
        return self.act(
            actor,
            school_id,
            cycle_id,
            "record_colleague_impact",
            objective_id=objective_id,
            on=on,
            shared_with=shared_with,
            what=what,
            with_whom=with_whom,
            colleagues=colleagues,
            evidence_ids=list(evidence_ids),
            retries=retries,
        )

    def moderate_objective(
        self,
        actor: Actor,
        school_id: str,
        cycle_id: str,
        objective_id: str,
        *,
        on: date,
        reasons: Sequence[str],
        retries: int = 0,
    ) -> domain.Cycle:
        """Return an objective for consistency with *reasons*, as *actor*, and save the cycle.

        Whoever the policy lets take ``moderate_objective`` may (by default the headteacher;
        a school's policy may grant it to a senior leader's role; never the reviewee). The
        objective goes back to the reviewee; the history records who returned it and why.

        Raises:
            AccessDenied: If the policy does not allow it.
            DomainError: If the objective is not proposed or agreed, or the cycle is closed.
            ValidationError: If no reason is given.
        """
        return self.act(
            actor,
            school_id,
            cycle_id,
            "moderate_objective",
            objective_id=objective_id,
            on=on,
            reasons=list(reasons),
            retries=retries,
        )

    # -------------------------------------------------------------- staff voice

    def rate_meeting(
        self,
        actor: Actor,
        school_id: str,
        cycle_id: str,
        meeting_id: str,
        *,
        on: date,
        usefulness: int,
        motivation: int,
        comment: str = "",
    ) -> domain.MeetingRating:
        """Record the reviewee's rating of one review meeting, apart from the cycle.

        Only the cycle's reviewee may rate its meetings (``rate_meeting``, granted by the
        default policy to the reviewee role, on their own cycle only; a full-access
        ``system`` actor records it for them), and only on or after the day the meeting was
        held. Rating the same meeting again replaces the rating.
        The cycle is not changed, and nothing about the rating is shown to anyone but in
        groups large enough to keep everyone anonymous (`devcycle.reports.voice`).

        Returns:
            The rating as stored (for the rater: their own record).

        Raises:
            AccessDenied: If *actor* may not rate the cycle's meetings (not its reviewee).
            NotFoundError: If the cycle, or the rater's staff record, is not stored.
            DomainError: If the meeting is not the cycle's, or is rated before it was held.
            ValidationError: If a score is not a whole number from 1 to 5.
        """
        with self._open(actor) as tx:
            school = self._school(tx, school_id)
            staff = self._staff(tx, school_id)
            cycle = self._cycle_in(tx, actor, school, school_id, cycle_id, action="rate_meeting")
            require(self.policy, actor, "rate_meeting", cycle=cycle, school=school, staff=staff)
            # The policy ties the reviewee role to their own cycle; a full-access role (an
            # MIS passing on ratings its own app collected) records them for the reviewee.
            rater = staff.get(cycle.staff_id)
            if rater is None:
                raise NotFoundError(
                    "staff member", cycle.staff_id, within=f"in school {school_id!r}"
                )
            rating = rate_meeting(
                cycle,
                meeting_id,
                by=rater,
                on=on,
                usefulness=usefulness,
                motivation=motivation,
                comment=comment,
            )
            try:
                stored = tx.meeting_ratings.get(school_id, rating.id)
            except NotFoundError:
                saved: domain.MeetingRating = tx.meeting_ratings.add(rating)
            else:
                saved = tx.meeting_ratings.update(attrs.evolve(rating, version=stored.version))
            tx.commit()
        return saved

    def save_survey(self, actor: Actor, survey: domain.ProcessSurvey) -> domain.ProcessSurvey:
        """Add or replace a whole-staff process survey (``run_survey``).

        Raises:
            AccessDenied: If *actor* may not run surveys in the school.
        """
        with self._open(actor) as tx:
            school = self._school(tx, survey.school_id)
            require(
                self.policy,
                actor,
                "run_survey",
                school=school,
                school_id=survey.school_id,
                staff=self._staff(tx, survey.school_id),
            )
            saved: domain.ProcessSurvey = _save(tx.surveys, survey, (survey.school_id, survey.id))
            tx.commit()
        return saved

    def record_survey_responses(
        self,
        actor: Actor,
        school_id: str,
        responses: Sequence[domain.SurveyResponse],
        *,
        replace: bool = False,
    ) -> tuple[domain.SurveyResponse, ...]:
        """Record answers to the school's process surveys, all of them or none.

        A member of staff answering for themself needs ``answer_survey`` (every staff role
        in the default policy); recording anyone's answers (an import from the survey tool
        the school ran) needs ``run_survey``. Each response must answer a stored survey of
        the school, while it was open, by a member of its staff, once: a respondent who
        already answered that survey under another id is refused. A response left without
        teams or a reviewer gets the respondent's teams and the reviewer of their cycle on
        the day, for the per-team and per-reviewer groups.

        Args:
            actor: Who records them.
            school_id: The school.
            responses: The answers, each of *school_id*.
            replace: Replace responses already stored under the same ids (else refused).

        Returns:
            The responses as stored.

        Raises:
            AccessDenied: If *actor* may not record them.
            ValidationError: Listing every problem (``@ responses[i].field``); nothing is
                stored.
            ConflictError: If a response is already stored and *replace* is false.
        """
        items = list(responses)
        with self._open(actor) as tx:
            school = self._school(tx, school_id)
            staff = self._staff(tx, school_id)
            runs = decide(
                self.policy, actor, "run_survey", school=school, school_id=school_id, staff=staff
            )
            if not runs.allowed:
                require(
                    self.policy,
                    actor,
                    "answer_survey",
                    school=school,
                    school_id=school_id,
                    staff=staff,
                )
                others = sorted({r.respondent_id for r in items} - {actor.user_id})
                if others:
                    msg = (
                        f"{actor}: may record only their own survey answers, not those of "
                        f"{', '.join(others)} (recording others' needs run_survey)"
                    )
                    raise AccessDenied(msg)
            surveys = {s.id: s for s in tx.surveys.for_school(school_id)}
            stored = {r.id: r for r in tx.survey_responses.for_school(school_id)}
            cycles = tx.cycles.for_school(school_id)
            problems = _response_problems(items, school_id, surveys, staff, stored, replace=replace)
            if problems:
                raise ValidationError(problems)
            saved = []
            for response in items:
                completed = _with_groups(response, staff, cycles)
                if response.id in stored:
                    completed = attrs.evolve(completed, version=stored[response.id].version)
                    saved.append(tx.survey_responses.update(completed))
                else:
                    saved.append(tx.survey_responses.add(completed))
            tx.commit()
        return tuple(saved)

    # ------------------------------------------------------------ bulk transfer

    # ------------------------------------------------------------------ planned training

    def set_cpd_budget(
        self, actor: Actor, school_id: str, budget: domain.CPDBudget
    ) -> domain.School:
        """Add a CPD budget to a school, or replace the one with the same id (``set_cpd_budget``).

        Returns:
            The school as stored, with its budgets.

        Raises:
            AccessDenied: If *actor* may not set the school's CPD budget.
            NotFoundError: If the school is not stored.
            ValidationError: If the budget's period overlaps another of the school's.
        """
        with self._open(actor) as tx:
            school = tx.schools.get(school_id)
            require(
                self.policy,
                actor,
                "set_cpd_budget",
                school=school,
                staff=self._staff(tx, school_id),
            )
            others = tuple(b for b in school.cpd_budgets if b.id != budget.id)
            saved: domain.School = tx.schools.update(
                attrs.evolve(school, cpd_budgets=(*others, budget))
            )
            tx.commit()
        return saved

    def remove_cpd_budget(self, actor: Actor, school_id: str, budget_id: str) -> domain.School:
        """Remove one of a school's CPD budgets (``set_cpd_budget``).

        Raises:
            AccessDenied: If *actor* may not set the school's CPD budget.
            NotFoundError: If the school, or a budget of that id, is not stored.
        """
        with self._open(actor) as tx:
            school = tx.schools.get(school_id)
            require(
                self.policy,
                actor,
                "set_cpd_budget",
                school=school,
                staff=self._staff(tx, school_id),
            )
            school.cpd_budget(budget_id)
            kept = tuple(b for b in school.cpd_budgets if b.id != budget_id)
            saved: domain.School = tx.schools.update(attrs.evolve(school, cpd_budgets=kept))
            tx.commit()
        return saved

    def plan_training(
        self,
        actor: Actor,
        school_id: str,
        entries: Iterable[domain.TrainingPlanEntry],
        *,
        calendar: SchoolCalendar | None = None,
        check_only: bool = False,
    ) -> list[domain.TrainingPlanEntry]:
        """Add or replace entries of a school's training plan, all or nothing (``plan_training``).

        Every entry is checked before anything is written, and every problem is reported
        with where it is (``entries[2].owner_id``): it must be of *school_id*; its owner and
        participants must be staff of that school (the participants of a team entry members
        of its team), its team one of the school's teams, its
        offering one of its CPD catalogue; and with *calendar* (the school's), every date
        must be a school day. An entry of an id already stored replaces it: over the version
        it carries if it carries one (a stale one is a `ConflictError`), outright if it
        carries none (version 0, as read from a file). With *check_only*, the entries are
        checked exactly so (and the actor's right to plan) and nothing is written: for a
        caller that has found problems of its own in the file and reports these with them.

        Returns:
            The entries as stored (with *check_only*, as given).

        Raises:
            AccessDenied: If *actor* may not plan the school's training.
            NotFoundError: If the school is not stored.
            ValidationError: Naming every problem; nothing is saved.
            ConflictError: If an entry was changed by someone else since it was loaded.
        """
        items = list(entries)
        with self._open(actor) as tx:
            school = tx.schools.get(school_id)
            staff = self._staff(tx, school_id)
            require(self.policy, actor, "plan_training", school=school, staff=staff)
            catalogue = {o.id for o in tx.cpd_offerings.for_school(school_id)}
            problems = _plan_problems(items, school, staff, catalogue, calendar)
            if problems or check_only:
                if problems:
                    raise ValidationError(problems)
                return items
            stored = {e.id: e for e in tx.training_plan.for_school(school_id)}
            saved = []
            for entry in items:
                old = stored.get(entry.id)
                if old is None:
                    saved.append(tx.training_plan.add(entry))
                    continue
                version = entry.version or old.version
                saved.append(tx.training_plan.update(attrs.evolve(entry, version=version)))
            tx.commit()
        return saved

    def remove_training(self, actor: Actor, school_id: str, entry_id: str) -> None:
        """Delete an entry of a school's training plan (``plan_training``).

        Cancelling (``status = "cancelled"``) keeps the record and takes it off the budget;
        deleting removes it (the audit log keeps that it was there).

        Raises:
            AccessDenied: If *actor* may not plan the school's training.
            NotFoundError: If the school or the entry is not stored.
        """
        with self._open(actor) as tx:
            school = tx.schools.get(school_id)
            require(
                self.policy, actor, "plan_training", school=school, staff=self._staff(tx, school_id)
            )
            tx.training_plan.delete(school_id, entry_id)
            tx.commit()

    def export(
        self,
        actor: Actor,
        *,
        school_ids: Sequence[str] | None = None,
        trust_id: str | None = None,
        shared: bool = True,
    ) -> dict[str, Any]:
        """Export schools (or a trust, or everything) as one bundle; see `export_bundle`.

        Each school must be one the actor may ``export``; each cycle in the bundle is
        redacted to what the actor may read, so a bundle never carries more than its
        reader may see (only a role reading every field, such as ``system``, gets a
        bundle that restores everything). Any other reader's bundle is marked
        ``"redacted": true`` with ``"redacted_for"`` naming their role, and every import
        refuses it: restoring it would wipe the confidential fields it leaves out.

        Raises:
            AccessDenied: If the actor may not export one of the schools.
        """
        bundle = export_bundle(self.store, school_ids=school_ids, trust_id=trust_id, shared=shared)
        schools = {}
        for document in bundle["data"]["schools"]:
            school = load_document(document, domain.School, source=_stored("school", document))
            with self._read(actor) as tx:
                staff = self._staff(tx, school.id)
            require(self.policy, actor, "export", school=school, staff=staff)
            schools[school.id] = school
        role = role_of(self.policy, actor)
        views = []
        for document in bundle["data"]["cycles"]:
            cycle = load_document(document, domain.Cycle, source=_stored("cycle", document))
            if _every_field(role):
                views.append(cycle)
                continue
            views.append(redact(cycle, role, pay=pay_kept(cycle, schools.get(cycle.school_id))))
        if not _every_field(role):
            bundle["data"]["cycles"] = [dump_document(view) for view in views]
            # Each rating and survey answer names its rater: only a full-access bundle
            # (a backup) carries them; everyone else sees staff voice only in groups.
            bundle["data"]["meeting_ratings"] = []
            bundle["data"]["survey_responses"] = []
            bundle[REDACTED_KEY] = True
            bundle[REDACTED_FOR_KEY] = role.name
        self.record_reads(actor, views, detail="export")
        return bundle

    def import_(
        self, actor: Actor, bundle: Mapping[str, Any], *, replace: bool = False
    ) -> dict[str, int]:
        """Import a bundle all or nothing; see `import_bundle`.

        Raises:
            AccessDenied: If the actor may not ``import`` into every school the bundle holds.
        """
        self.check_import(actor, bundle)
        return import_bundle(self.store, bundle, replace=replace, by=actor.user_id, role=actor.role)

    def check_import(self, actor: Actor, bundle: Mapping[str, Any]) -> None:
        """Refuse *actor* importing *bundle* unless they may ``import`` into each of its schools.

        Raises:
            AccessDenied: Naming the first school refused.
            ValidationError: If *bundle* is not a mapping or *actor* not an `Actor`.
        """
        _actor(actor)
        _mapping("bundle", bundle)
        data = bundle.get("data", {})
        ids = set()
        for section in ("schools", *SCHOOL_SECTIONS):
            for document in data.get(section, []) if isinstance(data, Mapping) else []:
                inner = document.get("data", {}) if isinstance(document, Mapping) else {}
                key = "id" if section == "schools" else "school_id"
                if isinstance(inner, Mapping) and isinstance(inner.get(key), str):
                    ids.add(inner[key])
        for school_id in sorted(ids) or [""]:
            with self._read(actor) as tx:
                school = self._school(tx, school_id) if school_id else None
                staff = self._staff(tx, school_id) if school_id else {}
            require(
                self.policy,
                actor,
                "import",
                school=school,
                school_id=school_id or None,
                staff=staff,
            )

    def transaction(self, actor: Actor) -> UnitOfWork:
        """Open a raw transaction on the store, for work no use case covers yet.

        Raw access bypasses every view, so only a role granted every action and every
        field (``system``) may have it.

        Raises:
            AccessDenied: For any other role.
        """
        role = role_of(self.policy, _actor(actor))
        if ALL not in role.actions or not _every_field(role):
            msg = f"{actor}: raw transactions are for the system role only"
            raise AccessDenied(msg)
        return self._open(actor)
