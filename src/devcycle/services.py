"""Use cases over a `Store`: each one call per intention, each owning its transaction.

A service loads what it needs, changes it through the domain's own methods and saves it
in one transaction, so that either all of it is stored or none of it is. A concurrent
change by someone else surfaces as `ConflictError` (or, with *retries*, is retried on the
fresh state).

Example:
    >>> import devcycle as dc
    >>> from devcycle.services import Services
    >>> with dc.open_store("memory://") as store:
    ...     services = Services(store)
    ...     _ = services.save_school(dc.School(id="oak", name="Oak Primary"))
    ...     services.load_school("oak").school.name
    'Oak Primary'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from devcycle import domain
from devcycle.catalogues.templates import template as shipped
from devcycle.domain.calendar import SchoolCalendar
from devcycle.domain.scheduling import Enrolment, plan_enrolment
from devcycle.domain.scheduling import apply_policy as apply_school_policy
from devcycle.domain.scheduling import enrol as schedule_staff
from devcycle.domain.templates import CycleTemplate
from devcycle.errors import ConflictError, NotFoundError
from devcycle.storage.base import Store, UnitOfWork
from devcycle.storage.bundle import export_bundle, import_bundle

__all__ = ["SchoolData", "Services"]


@attrs.frozen
class SchoolData:
    """A school with everything stored for it.

    Attributes:
        school: The school.
        staff: Its staff, by id.
        cycles: Its cycles, by id.
        cpd: Its CPD activities, by id.
    """

    school: domain.School
    staff: tuple[domain.StaffMember, ...]
    cycles: tuple[domain.Cycle, ...]
    cpd: tuple[domain.CPDActivity, ...]


def _save(repository: Any, obj: Any, key: Sequence[str]) -> Any:
    """Add *obj* if new, else update it over the version it carries."""
    try:
        repository.get(*key)
    except NotFoundError:
        return repository.add(obj)
    return repository.update(obj)


class Services:
    """The library's use cases, over one store.

    Args:
        store: Where aggregates are kept.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def save_school(
        self,
        school: domain.School,
        staff: Iterable[domain.StaffMember] = (),
        cpd: Iterable[domain.CPDActivity] = (),
    ) -> domain.School:
        """Save a school with its staff and CPD, adding what is new and updating the rest.

        Returns:
            The school as stored (with its new version).

        Raises:
            ConflictError: If anything was saved by someone else since it was loaded.
        """
        with self.store.transaction() as tx:
            saved = _save(tx.schools, school, (school.id,))
            for member in staff:
                _save(tx.staff, member, (member.school_id, member.id))
            for activity in cpd:
                _save(tx.cpd, activity, (activity.school_id, activity.id))
            tx.commit()
        return saved  # type: ignore[no-any-return]

    def load_school(self, school_id: str) -> SchoolData:
        """Load a school with its staff, cycles and CPD, read in one transaction.

        Raises:
            NotFoundError: If the school is not stored.
        """
        with self.store.transaction() as tx:
            return SchoolData(
                school=tx.schools.get(school_id),
                staff=tuple(tx.staff.for_school(school_id)),
                cycles=tuple(tx.cycles.for_school(school_id)),
                cpd=tuple(tx.cpd.for_school(school_id)),
            )

    def enrol(
        self,
        school_id: str,
        template: CycleTemplate,
        calendar: SchoolCalendar,
        start: date | None = None,
        *,
        by: str,
        on: date,
        year: int | None = None,
        roles: Iterable[domain.Role] | None = None,
        team_id: str | None = None,
    ) -> list[domain.Cycle]:
        """Put the school's staff into cycles planned from *template*, in one transaction.

        Returns the cycles created; `plan_cycles` does the same and also says which stored
        cycles it left alone.
        """
        return list(
            self.plan_cycles(
                school_id,
                template,
                calendar,
                start,
                by=by,
                on=on,
                year=year,
                roles=roles,
                team_id=team_id,
            ).created
        )

    def plan_cycles(
        self,
        school_id: str,
        template: CycleTemplate,
        calendar: SchoolCalendar,
        start: date | None = None,
        *,
        by: str,
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
        previous cycle carried forward. Someone who already has a cycle from this template
        for the period is left as they are, so planning twice creates nothing the second
        time (`devcycle.domain.scheduling.plan_enrolment`).

        Returns:
            The cycles created and the stored cycles left alone.

        Raises:
            SchedulingError: If the calendar does not cover a period, or a new cycle's id is
                taken by another person's cycle; nothing is written.
        """
        with self.store.transaction() as tx:
            try:
                policy: domain.Policy | None = tx.schools.get(school_id).policy
            except NotFoundError:
                policy = None
            staff = {m.id: m for m in tx.staff.for_school(school_id)}
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
            result = plan_enrolment(
                schedules,
                staff,
                tx.cycles.for_school(school_id),
                school_id=school_id,
                by=by,
                on=on,
                policy=policy,
            )
            tx.cycles.add_all(result.created)
            tx.commit()
        return result

    def apply_policy(
        self,
        school_id: str,
        *,
        by: str,
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
            school_id: The school.
            by: Who changed the policy, for the cycles' history.
            on: When.
            templates: The templates the cycles were planned from, by id; a shipped
                template is found by name when not given here. A cycle whose template is
                unknown has only its pay-recommendation setting changed.
            calendar: The school's calendar, to date pay milestones being added.

        Returns:
            What changed, by cycle id (cycles with no change left out).

        Raises:
            NotFoundError: If the school is not stored.
            SchedulingError: If pay milestones must be added and cannot be dated.
        """
        known = dict(templates or {})
        changed: dict[str, tuple[str, ...]] = {}
        with self.store.transaction() as tx:
            policy = tx.schools.get(school_id).policy
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
                    cycle, policy, by=by, on=on, template=chosen, calendar=calendar
                )
                if changes:
                    tx.cycles.update(cycle)
                    changed[cycle.id] = changes
            tx.commit()
        return changed

    def save_cycle(self, cycle: domain.Cycle) -> domain.Cycle:
        """Add a new cycle, or update one over the version it was loaded at.

        Raises:
            ConflictError: If someone saved the cycle since it was loaded.
        """
        with self.store.transaction() as tx:
            saved: domain.Cycle = _save(tx.cycles, cycle, (cycle.school_id, cycle.id))
            tx.commit()
        return saved

    def change_cycle(
        self,
        school_id: str,
        cycle_id: str,
        change: Callable[[domain.Cycle], object],
        *,
        retries: int = 0,
    ) -> domain.Cycle:
        """Load a cycle, apply *change* to it (a domain method call), and save it.

        Args:
            school_id: The school.
            cycle_id: The cycle.
            change: Called with the loaded cycle; changes it through its methods.
            retries: How many times to reload and reapply after a `ConflictError`.

        Returns:
            The saved cycle.

        Raises:
            ConflictError: If someone else saved first, *retries* + 1 times.
            NotFoundError: If the cycle is not stored.
            DomainError: If *change* is not allowed.
        """
        attempt = 0
        while True:
            try:
                with self.store.transaction() as tx:
                    cycle = tx.cycles.get(school_id, cycle_id)
                    change(cycle)
                    tx.cycles.update(cycle)
                    tx.commit()
            except ConflictError:
                if attempt >= retries:
                    raise
                attempt += 1
                continue
            return cycle

    def change_cycles(
        self,
        school_id: str,
        cycle_ids: Iterable[str],
        change: Callable[[domain.Cycle], object],
        *,
        batch: int = 500,
    ) -> list[domain.Cycle]:
        """Apply *change* to many cycles, saving each batch of *batch* in one transaction.

        For bulk work (a whole school's planning imported from a spreadsheet, say): far
        fewer durable commits than one `change_cycle` per person. A batch is all or
        nothing; batches already committed stay committed if a later one fails.

        Returns:
            The saved cycles, in the order of *cycle_ids*.

        Raises:
            ConflictError: If someone else saved one of a batch's cycles first.
            NotFoundError: If a cycle is not stored.
            DomainError: If *change* is not allowed for a cycle.
        """
        ids = list(cycle_ids)
        size = max(batch, 1)
        saved: list[domain.Cycle] = []
        for start in range(0, len(ids), size):
            with self.store.transaction() as tx:
                for cycle_id in ids[start : start + size]:
                    cycle = tx.cycles.get(school_id, cycle_id)
                    change(cycle)
                    saved.append(tx.cycles.update(cycle))
                tx.commit()
        return saved

    def record_check_in(
        self,
        school_id: str,
        cycle_id: str,
        objective_id: str,
        *,
        by: str,
        on: date,
        note: str,
        percent: int | None = None,
        rag: domain.RAG | None = None,
        retries: int = 0,
    ) -> domain.Cycle:
        """Record a check-in on an objective and save the cycle, in one transaction."""
        return self.change_cycle(
            school_id,
            cycle_id,
            lambda cycle: cycle.record_check_in(
                objective_id, by=by, on=on, note=note, percent=percent, rag=rag
            ),
            retries=retries,
        )

    def export(
        self, *, school_ids: Sequence[str] | None = None, trust_id: str | None = None
    ) -> dict[str, Any]:
        """Export schools (or a trust, or everything) as one bundle; see `export_bundle`."""
        return export_bundle(self.store, school_ids=school_ids, trust_id=trust_id)

    def import_(self, bundle: Mapping[str, Any], *, replace: bool = False) -> dict[str, int]:
        """Import a bundle all or nothing; see `import_bundle`."""
        return import_bundle(self.store, bundle, replace=replace)

    def transaction(self) -> UnitOfWork:
        """Open a transaction on the store, for work no use case covers yet."""
        return self.store.transaction()
