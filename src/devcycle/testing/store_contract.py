"""The contract every storage backend passes: one test suite, shipped for embedders.

Subclass `StoreContract` in a test module, name the subclass ``Test...`` so that pytest
collects it, and implement `make_store` to open your backend. The suite wipes the store
before each check, through the port itself, so the store may be shared between tests.

Example::

    import devcycle as dc
    from devcycle.testing.store_contract import StoreContract

    class TestMyStore(StoreContract):
        def make_store(self) -> dc.Store:
            return MyStore("mine://test")

It checks round-trips of Hypothesis-generated aggregates, every query, tenant isolation
(identical ids in two schools never mix), transactions that roll back unless committed,
conflicts on stale versions, not-found errors, schema upgrades on load, that a closed cycle
cannot be overwritten and a saved history extends the stored one, and drives the
backend with a `RuleBasedStateMachine` against the in-memory reference backend.

Needs the ``test`` extra (pytest, Hypothesis).
"""

from __future__ import annotations

import abc
import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from devcycle import domain, serialization
from devcycle.catalogues import templates
from devcycle.errors import ConflictError, DomainError, NotFoundError, StorageError
from devcycle.storage.audit import AuditEvent
from devcycle.storage.base import (
    ALL_KINDS,
    AUDIT,
    Store,
    TenancyError,
    entry_from_record,
    entry_record,
    kind_named,
)
from devcycle.storage.memory import MemoryStore
from devcycle.testing import strategies as dst

__all__ = ["StoreContract", "StoreMachine", "sample_school", "wipe"]

T = TypeVar("T")

_SCHOOLS = ("school-a", "school-b")
# Each backend's subclass runs the same @given methods: that is the point of a contract
# suite, so the differing-executors health check does not apply. Examples are capped so
# that the contract stays within about half a minute per backend under a thorough profile.
# The store fixture is function-scoped (pytest is deprecating class-scoped fixtures on
# instance methods) and deliberately shared by a test's examples, which each add their own
# aggregates: hence the function-scoped-fixture health check is suppressed too.
_MOST_EXAMPLES = 40
_MOST_HEAVY_EXAMPLES = 20


def _examples(cap: int) -> int:
    current = settings.default
    return min(current.max_examples if current is not None else cap, cap)


_HYPOTHESIS = settings(
    max_examples=_examples(_MOST_EXAMPLES),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.differing_executors,
        HealthCheck.function_scoped_fixture,
    ],
)
_HEAVY_HYPOTHESIS = settings(_HYPOTHESIS, max_examples=_examples(_MOST_HEAVY_EXAMPLES))


def wipe(store: Store) -> None:
    """Delete every record of every kind and the audit log, through the port (any backend)."""
    session = store.begin()
    try:
        for kind in ALL_KINDS:
            for record in session.select(kind, None):
                session.delete(kind, record.tenant, record.id)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _day(month: int, day: int, year: int = 2026) -> date:
    return date(year if month >= 9 else year + 1, month, day)


def sample_school(
    school_id: str,
) -> tuple[domain.School, list[domain.StaffMember], list[domain.Cycle], list[domain.CPDActivity]]:
    """Return a small school whose ids deliberately repeat in every school (for isolation).

    Three staff in two teams; three cycles (one last year, closed) with milestones and
    objectives linked to priorities and standards; two CPD activities.
    """
    school = domain.School(
        id=school_id,
        name=f"School {school_id}",
        trust_id="trust-1",
        priorities=(domain.Priority("P1", "Reading"), domain.Priority("P2", "Maths")),
        teams=(domain.Team("ks1", "Key stage 1"), domain.Team("ks2", "Key stage 2")),
    )
    staff = [
        domain.StaffMember(
            id="H1", name="Head", school_id=school_id, roles={domain.Role.HEADTEACHER}
        ),
        domain.StaffMember(
            id="T1",
            name="Teacher one",
            school_id=school_id,
            roles={domain.Role.TEACHER},
            team_ids=("ks1",),
            reviewer_id="H1",
        ),
        domain.StaffMember(
            id="T2",
            name="Teacher two",
            school_id=school_id,
            roles={domain.Role.TEACHER, domain.Role.MIDDLE_LEADER},
            team_ids=("ks1", "ks2"),
            reviewer_id="H1",
        ),
    ]
    cycles = []
    for staff_id, priority, standard in (("T1", "P1", "TS1"), ("T2", "P2", "TS2")):
        cycle = domain.Cycle(
            id=f"2026-{staff_id}",
            school_id=school_id,
            staff_id=staff_id,
            reviewer_id="H1",
            period_start=_day(9, 1),
            period_end=_day(8, 31),
        )
        cycle.set_milestones(
            [
                domain.Milestone("plan", "Planning", domain.MilestoneKind.PLANNING, _day(10, 31)),
                domain.Milestone("mid", "Mid-year", domain.MilestoneKind.MID_YEAR, _day(2, 14)),
            ],
            by="H1",
            on=_day(9, 1),
        )
        cycle.start_planning(by="H1", on=_day(9, 10))
        objective = cycle.propose_objective(
            by=staff_id,
            on=_day(9, 20),
            statement="Improve reading fluency in Year 2 by March, checked by reading ages.",
            priority_ids=(priority,),
            standard_ids=(standard,),
        )
        cycle.agree_objective(objective.id, by="H1", on=_day(10, 1))
        cycle.activate(by="H1", on=_day(10, 1))
        cycles.append(cycle)
    old = domain.Cycle(
        id="2025-T1",
        school_id=school_id,
        staff_id="T1",
        reviewer_id="H1",
        period_start=_day(9, 1, 2025),
        period_end=_day(8, 31, 2025),
    )
    cycles.append(old)
    cpd = [
        domain.CPDActivity(
            id="cpd-1",
            school_id=school_id,
            title="Phonics training",
            kind=domain.CPDKind.COURSE,
            start=_day(10, 5),
            end=_day(11, 5),
            attendee_ids=("T1",),
            priority_ids=("P1",),
            standard_ids=("TS3",),
        ),
        domain.CPDActivity(
            id="cpd-2",
            school_id=school_id,
            title="Maths mastery",
            kind=domain.CPDKind.COACHING,
            start=_day(1, 10),
            attendee_ids=("T1", "T2"),
            priority_ids=("P2",),
        ),
    ]
    return school, staff, cycles, cpd


def _in_school(strategy: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """Move each drawn aggregate into one of the two test schools."""
    return st.tuples(strategy, st.sampled_from(_SCHOOLS)).map(
        lambda pair: attrs.evolve(pair[0], school_id=pair[1])  # type: ignore[misc]
    )


def _message(store: Store, cycle: domain.Cycle) -> str:
    """Return the message of the `DomainError` that saving *cycle* raises."""
    with pytest.raises(DomainError) as error:
        store.cycles.update(cycle)
    return str(error.value)


def _id(obj: Any) -> str:
    return str(obj.id)


def _ids(items: list[Any]) -> list[str]:
    return [item.id for item in items]


class StoreContract(abc.ABC):
    """The storage contract. Subclass it as ``Test<YourBackend>`` and implement `make_store`."""

    @abc.abstractmethod
    def make_store(self) -> Store:
        """Open the backend under test (it may hold data: the suite wipes it)."""

    @pytest.fixture
    def shared_store(self) -> Iterator[Store]:
        store = self.make_store()
        try:
            yield store
        finally:
            store.close()

    @pytest.fixture
    def store(self, shared_store: Store) -> Store:
        wipe(shared_store)
        return shared_store

    @pytest.fixture
    def populated(self, store: Store) -> Store:
        with store.transaction() as tx:
            for school_id in _SCHOOLS:
                school, staff, cycles, cpd = sample_school(school_id)
                tx.schools.add(school)
                tx.staff.add_all(staff)
                tx.cycles.add_all(cycles)
                tx.cpd.add_all(cpd)
            tx.commit()
        return store

    # ------------------------------------------------------------------ round trips

    def _round_trip(self, store: Store, obj: Any, repository: str, *key: str) -> None:
        repo = getattr(store, repository)
        with contextlib.suppress(NotFoundError):
            repo.delete(*key)
        saved = repo.add(obj)
        loaded = repo.get(*key)

        assert obj == loaded
        assert saved == loaded
        if isinstance(getattr(obj, "version", None), int):
            assert loaded.version == 1

    @_HYPOTHESIS
    @given(school=dst.schools())
    def test_a_school_round_trips(self, shared_store: Store, school: domain.School) -> None:
        """Any school comes back equal to what was saved, at version 1."""
        self._round_trip(shared_store, school, "schools", school.id)

    def test_plain_text_kpis_stored_before_kpi_records_still_load(self, store: Store) -> None:
        """A school stored when a priority's KPIs were plain text loads them as KPIs.

        The stored document is rewritten as an older release wrote it (``kpis`` a list of
        text); it loads with each text a KPI of that name, no figures, ids K1, K2.
        """
        kpi = domain.KPI("reading", "KS2 reading", "%", 61, 75)
        school = domain.School("school-a", "A", priorities=[domain.Priority("P1", "R", kpis=[kpi])])
        with store.transaction() as tx:
            tx.schools.add(school)
            tx.commit()
        kind = kind_named("school")
        session = store.begin()
        try:
            record = session.get(kind, "school-a", "school-a")
            assert record is not None
            envelope = json.loads(record.document)
            envelope["data"]["priorities"][0]["kpis"] = ["Reading survey", "", "Phonics check"]
            session.replace(attrs.evolve(record, document=json.dumps(envelope)), None)
            session.commit()
        finally:
            session.close()
        loaded = store.schools.get("school-a").priorities[0].kpis
        assert loaded == (domain.KPI("K1", "Reading survey"), domain.KPI("K2", "Phonics check"))

    @_HYPOTHESIS
    @given(member=dst.staff_members())
    def test_a_staff_member_round_trips(
        self, shared_store: Store, member: domain.StaffMember
    ) -> None:
        """Any staff member comes back equal to what was saved."""
        self._round_trip(shared_store, member, "staff", member.school_id, member.id)

    @_HYPOTHESIS
    @given(cycle=dst.cycles())
    def test_a_cycle_round_trips(self, shared_store: Store, cycle: domain.Cycle) -> None:
        """Any cycle, at any point of its lifecycle, comes back equal to what was saved."""
        self._round_trip(shared_store, cycle, "cycles", cycle.school_id, cycle.id)

    def test_meetings_that_help_round_trip(self, shared_store: Store) -> None:
        """Strengths, next steps, a rationale and impact on colleagues come back as saved."""
        day = date(2026, 9, 10)
        cycle = domain.Cycle(
            id="meet-1",
            school_id="s-meet",
            staff_id="T1",
            reviewer_id="H1",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        cycle.start_planning(by="H1", on=day)
        objective = cycle.propose_objective(
            by="T1", on=day, statement="Use hinge questions", rationale="Misconceptions go unseen"
        )
        cycle.agree_objective(objective.id, by="H1", on=day)
        cycle.activate(by="H1", on=day)
        evidence = cycle.add_evidence(by="T1", on=day, description="Briefing slides")
        cycle.record_colleague_impact(
            objective.id,
            by="T1",
            on=date(2026, 11, 2),
            shared_with=domain.SharedWith.OTHER_SCHOOL,
            what="Hinge questions shown at the trust's maths network",
            with_whom="Hillside Primary",
            colleagues=12,
            evidence_ids=[evidence.id],
        )
        cycle.record_review(
            by="H1",
            on=date(2027, 2, 3),
            kind=domain.ReviewKind.MID_YEAR,
            strengths=["Questions pitched well"],
            next_steps=["Act on the answers in the same lesson"],
        )
        self._round_trip(shared_store, cycle, "cycles", cycle.school_id, cycle.id)
        loaded = shared_store.cycles.get(cycle.school_id, cycle.id)
        assert loaded.objective(objective.id).colleague_impact[0].colleagues == 12
        assert loaded.reviews[0].next_steps == ("Act on the answers in the same lesson",)

    def test_a_coaching_pairing_round_trips(self, shared_store: Store) -> None:
        """A mentoring pairing comes back with its mentor, mentee, sessions and objective."""
        pairing = domain.CPDActivity(
            id="mentor-e1",
            school_id="s-meet",
            title="ECT mentoring",
            kind=domain.CPDKind.MENTORING,
            start=date(2026, 9, 15),
            sessions=(date(2026, 9, 15), date(2026, 9, 29)),
            hours=2.0,
            attendee_ids=("E1",),
            objective_refs=(domain.ObjectiveRef("meet-1", "obj-1"),),
            coach_id="T1",
        )
        self._round_trip(shared_store, pairing, "cpd", pairing.school_id, pairing.id)
        loaded = shared_store.cpd.get(pairing.school_id, pairing.id)
        assert loaded.pairs == (("T1", "E1"),)

    @_HYPOTHESIS
    @given(activity=dst.cpd_activities())
    def test_a_cpd_activity_round_trips(
        self, shared_store: Store, activity: domain.CPDActivity
    ) -> None:
        """Any CPD activity comes back equal to what was saved."""
        self._round_trip(shared_store, activity, "cpd", activity.school_id, activity.id)

    @_HYPOTHESIS
    @given(offering=dst.cpd_offerings())
    def test_a_cpd_offering_round_trips(
        self, shared_store: Store, offering: domain.CPDOffering
    ) -> None:
        """Any entry of a CPD catalogue comes back equal to what was saved."""
        self._round_trip(shared_store, offering, "cpd_offerings", offering.school_id, offering.id)

    @_HYPOTHESIS
    @given(rating=dst.meeting_ratings())
    def test_a_meeting_rating_round_trips(
        self, shared_store: Store, rating: domain.MeetingRating
    ) -> None:
        """Any staff-voice meeting rating comes back equal to what was saved."""
        self._round_trip(shared_store, rating, "meeting_ratings", rating.school_id, rating.id)

    @_HYPOTHESIS
    @given(survey=dst.process_surveys())
    def test_a_process_survey_round_trips(
        self, shared_store: Store, survey: domain.ProcessSurvey
    ) -> None:
        """Any whole-staff process survey comes back equal to what was saved."""
        self._round_trip(shared_store, survey, "surveys", survey.school_id, survey.id)

    @_HYPOTHESIS
    @given(response=dst.survey_responses())
    def test_a_survey_response_round_trips(
        self, shared_store: Store, response: domain.SurveyResponse
    ) -> None:
        """Any answer to the process survey comes back equal to what was saved."""
        self._round_trip(
            shared_store, response, "survey_responses", response.school_id, response.id
        )

    @_HYPOTHESIS
    @given(entry=dst.training_plan_entries())
    def test_a_training_plan_entry_round_trips(
        self, shared_store: Store, entry: domain.TrainingPlanEntry
    ) -> None:
        """Any planned training (dates, owner, hours, Decimal cost) comes back equal."""
        self._round_trip(shared_store, entry, "training_plan", entry.school_id, entry.id)

    def test_training_plans_and_budgets_are_kept_apart_per_school(self, populated: Store) -> None:
        """Two schools plan training and set budgets under the same ids; each keeps its own.

        Entries are queried by first date, owner and participant; the budgets ride on the
        school and keep their Decimal amounts exactly; every write is audited naming the owner.
        """
        store = populated
        for number, school_id in enumerate(_SCHOOLS, start=1):
            school = store.schools.get(school_id)
            budget = domain.CPDBudget(
                id="2026-27",
                start=_day(9, 1),
                end=_day(8, 31),
                amount=Decimal("1500.10") * number,
            )
            store.schools.update(attrs.evolve(school, cpd_budgets=(budget,)))
        with store.transaction() as tx:
            for number, school_id in enumerate(_SCHOOLS, start=1):
                tx.training_plan.add_all(
                    [
                        domain.TrainingPlanEntry(
                            id="questioning",
                            school_id=school_id,
                            title=f"Questioning at {school_id}",
                            dates=(_day(11, 3), _day(9, 1)),
                            owner_id="M1",
                            hours=2.5,
                            cost=Decimal("0.10") * number,
                            level="whole-school",
                        ),
                        domain.TrainingPlanEntry(
                            id="behaviour",
                            school_id=school_id,
                            title="Behaviour course",
                            dates=(_day(1, 12),),
                            owner_id="T1",
                            participant_ids=("T2",),
                            cost=Decimal(300),
                        ),
                    ]
                )
            tx.commit()
        for number, school_id in enumerate(_SCHOOLS, start=1):
            budget = store.schools.get(school_id).cpd_budget("2026-27")
            assert budget.amount == Decimal("1500.10") * number
            entry = store.training_plan.get(school_id, "questioning")
            assert entry.dates == (_day(9, 1), _day(11, 3))
            assert entry.cost == Decimal("0.10") * number
            assert entry.title == f"Questioning at {school_id}"
            autumn = store.training_plan.starting_between(school_id, _day(9, 1), _day(12, 31))
            assert _ids(autumn) == ["questioning"]
            assert _ids(store.training_plan.owned_by(school_id, "T1")) == ["behaviour"]
            assert _ids(store.training_plan.for_participant(school_id, "T2")) == ["behaviour"]
        store.training_plan.delete("school-b", "behaviour")
        assert _ids(store.training_plan.for_school("school-a")) == ["behaviour", "questioning"]
        assert _ids(store.training_plan.for_school("school-b")) == ["questioning"]
        entries = store.audit.query("school-a", kind="training_plan_entry")
        assert sorted((e.action, e.record_id) for e in entries) == [
            ("add", "behaviour"),
            ("add", "questioning"),
        ]
        assert any("T1" in e.persons for e in entries)

    def test_staff_voice_is_kept_apart_per_school_queried_and_audited(
        self, populated: Store
    ) -> None:
        """Two schools rate meetings and answer a survey under the same ids; each keeps its own.

        Ratings are queried by cycle, rater and period, responses by survey and respondent;
        the cycles are untouched, and every write is in the school's audit log naming the
        rater.
        """
        store = populated
        cycles_before = {s: store.cycles.for_school(s) for s in _SCHOOLS}
        with store.transaction() as tx:
            for number, school_id in enumerate(_SCHOOLS, start=1):
                tx.surveys.add(
                    domain.ProcessSurvey(
                        id="2026-summer",
                        school_id=school_id,
                        title=f"How was it at {school_id}?",
                        opens=_day(6, 1),
                        closes=_day(6, 30),
                    )
                )
                tx.meeting_ratings.add_all(
                    [
                        domain.MeetingRating(
                            id="c1/m1",
                            school_id=school_id,
                            cycle_id="c1",
                            meeting_id="m1",
                            rater_id="T1",
                            reviewer_id="M1",
                            team_ids=("ks2",),
                            on=_day(10, 20),
                            usefulness=number,
                            motivation=4,
                            comment="Helpful",
                        ),
                        domain.MeetingRating(
                            id="c2/m1",
                            school_id=school_id,
                            cycle_id="c2",
                            meeting_id="m1",
                            rater_id="T2",
                            reviewer_id="M1",
                            on=_day(12, 1),
                            usefulness=3,
                            motivation=3,
                        ),
                    ]
                )
                tx.survey_responses.add(
                    domain.SurveyResponse(
                        id="r-T1",
                        school_id=school_id,
                        survey_id="2026-summer",
                        respondent_id="T1",
                        on=_day(6, 10),
                        valued=number + 2,
                        objectives_imposed=False,
                        hours=6.5,
                    )
                )
            tx.commit()
        for number, school_id in enumerate(_SCHOOLS, start=1):
            assert store.meeting_ratings.get(school_id, "c1/m1").usefulness == number
            assert _ids(store.meeting_ratings.for_school(school_id)) == ["c1/m1", "c2/m1"]
            assert _ids(store.meeting_ratings.for_cycle(school_id, "c2")) == ["c2/m1"]
            assert _ids(store.meeting_ratings.by_rater(school_id, "T1")) == ["c1/m1"]
            in_autumn = store.meeting_ratings.in_period(school_id, _day(10, 1), _day(10, 31))
            assert _ids(in_autumn) == ["c1/m1"]
            assert store.surveys.get(school_id, "2026-summer").title.endswith(f"{school_id}?")
            answers = store.survey_responses.for_survey(school_id, "2026-summer")
            assert [(a.school_id, a.valued) for a in answers] == [(school_id, number + 2)]
            assert _ids(store.survey_responses.by_respondent(school_id, "T2")) == []
            assert store.cycles.for_school(school_id) == cycles_before[school_id]
        rating = store.meeting_ratings.get("school-a", "c1/m1")
        store.meeting_ratings.update(attrs.evolve(rating, motivation=5))
        store.meeting_ratings.delete("school-b", "c2/m1")
        store.survey_responses.delete("school-b", "r-T1")

        assert store.meeting_ratings.get("school-a", "c1/m1").version == 2
        assert store.meeting_ratings.get("school-b", "c1/m1").motivation == 4
        assert _ids(store.meeting_ratings.for_school("school-a")) == ["c1/m1", "c2/m1"]
        assert _ids(store.meeting_ratings.for_school("school-b")) == ["c1/m1"]
        assert _ids(store.survey_responses.for_school("school-a")) == ["r-T1"]
        with pytest.raises(NotFoundError):
            store.survey_responses.get("school-b", "r-T1")
        entries = store.audit.query("school-b", kind="meeting_rating")
        assert [(e.action, e.record_id) for e in entries] == [
            ("add", "c1/m1"),
            ("add", "c2/m1"),
            ("delete", "c2/m1"),
        ]
        assert "T1" in entries[0].persons
        assert [e.record_id for e in store.audit.query("school-a", person="T1")][-3:] == [
            "c1/m1",
            "r-T1",
            "c1/m1",
        ]

    def test_copies_of_a_shared_objective_that_disagree_are_never_saved(
        self, populated: Store
    ) -> None:
        """One joint objective in two cycles: saved together or refused, school by school.

        A change to one copy alone is refused at commit (in a transaction or a single
        call) and nothing is saved; the same change to both copies in one transaction is
        saved. Another school's copies of the same shared id are its own.
        """
        store = populated
        for school_id in _SCHOOLS:
            cycles = [store.cycles.get(school_id, f"2026-{s}") for s in ("T1", "T2")]
            domain.share(
                cycles,
                ref="J1",
                on=_day(10, 2),
                statement=f"Phonics screening passes up to 85% at {school_id}.",
            )
            with store.transaction() as tx:
                for cycle in cycles:
                    tx.cycles.update(cycle)
                tx.commit()
        one = store.cycles.get("school-a", "2026-T1")
        copy = next(o for o in one.objectives if o.shared_ref == "J1")
        one.submit_objective(copy.id, by="T1", on=_day(10, 3))
        one.agree_objective(copy.id, by="H1", on=_day(10, 4))
        one.revise_objective(
            copy.id, by="H1", on=_day(10, 5), reason="new data", statement="Something else."
        )

        with pytest.raises(domain.SharedConflictError, match="2026-T2"):
            store.cycles.update(one)
        with store.transaction() as tx, pytest.raises(domain.SharedConflictError):
            tx.cycles.update(one)
            tx.commit()

        stored = store.cycles.get("school-a", "2026-T1")
        assert next(o for o in stored.objectives if o.shared_ref == "J1").statement.startswith(
            "Phonics"
        )
        assert domain.shared_conflicts(store.cycles.for_school("school-a")) == []
        assert domain.shared_conflicts(store.cycles.for_school("school-b")) == []

    def test_a_cpd_catalogue_and_its_runs_stay_in_their_school(self, populated: Store) -> None:
        """Two schools' catalogues share ids; each school's offerings and runs stay its own.

        Attendance, moved sessions and costs come back as saved, and the catalogue is
        queried by priority, standard and whether an offering is retired.
        """
        store = populated
        with store.transaction() as tx:
            for school_id in _SCHOOLS:
                phonics = domain.CPDOffering(
                    id="phonics",
                    school_id=school_id,
                    title=f"Phonics at {school_id}",
                    kind=domain.CPDKind.COURSE,
                    cost=Decimal("120.00"),
                    cost_per_place=Decimal("35.50"),
                    priority_ids=("P1",),
                    standard_ids=("TS3",),
                    organiser_id="H1",
                )
                old = domain.CPDOffering(
                    id="old",
                    school_id=school_id,
                    title="Retired offer",
                    kind=domain.CPDKind.INSET,
                    retired=True,
                )
                tx.cpd_offerings.add_all([phonics, old])
                run = (
                    phonics.schedule(
                        "phonics-run",
                        start=_day(10, 5),
                        sessions=(_day(10, 5), _day(10, 19)),
                        attendee_ids=("T1", "T2"),
                    )
                    .with_status("T1", domain.AttendanceStatus.ATTENDED)
                    .with_status("T2", "absent")
                    .move_session(_day(10, 5), _day(10, 12), reason="snow")
                )
                tx.cpd.add(run)
            tx.commit()
        for school_id in _SCHOOLS:
            catalogue = store.cpd_offerings.for_school(school_id)
            assert [o.id for o in catalogue] == ["old", "phonics"]
            assert {o.school_id for o in catalogue} == {school_id}
            assert _ids(store.cpd_offerings.for_school(school_id, include_retired=False)) == [
                "phonics"
            ]
            assert _ids(store.cpd_offerings.linked_to(school_id, priority_id="P1")) == ["phonics"]
            assert _ids(store.cpd_offerings.linked_to(school_id, standard_id="TS3")) == ["phonics"]
            runs = store.cpd.of_offering(school_id, "phonics")
            assert [(r.school_id, r.id) for r in runs] == [(school_id, "phonics-run")]
            run = runs[0]
            assert run.title == f"Phonics at {school_id}"
            assert run.attended_ids == ("T1",)
            assert run.absent_ids == ("T2",)
            assert run.total_cost == Decimal("191.00")
            assert run.dates == (_day(10, 12), _day(10, 19))
            assert run.session_key(_day(10, 12)) == _day(10, 5).isoformat()
            assert run.session_sequence(_day(10, 12)) == 1
        offering = store.cpd_offerings.get("school-a", "phonics")
        store.cpd_offerings.update(attrs.evolve(offering, title="Renamed"))
        store.cpd_offerings.delete("school-b", "old")

        assert store.cpd_offerings.get("school-b", "phonics").title == "Phonics at school-b"
        assert store.cpd_offerings.get("school-a", "phonics").version == 2
        assert _ids(store.cpd_offerings.for_school("school-a")) == ["old", "phonics"]
        assert _ids(store.cpd_offerings.for_school("school-b")) == ["phonics"]
        with pytest.raises(NotFoundError):
            store.cpd_offerings.get("school-b", "old")
        assert [e.record_id for e in store.audit.query("school-b", kind="cpd_offering")] == [
            "phonics",
            "old",
            "old",
        ]

    @_HYPOTHESIS
    @given(framework=dst.frameworks())
    def test_a_framework_round_trips(
        self, shared_store: Store, framework: domain.Framework
    ) -> None:
        """Any framework comes back equal to what was saved."""
        self._round_trip(shared_store, framework, "frameworks", framework.id)

    @_HYPOTHESIS
    @given(trust=dst.trusts())
    def test_a_trust_round_trips(self, shared_store: Store, trust: domain.Trust) -> None:
        """Any trust comes back equal to what was saved."""
        self._round_trip(shared_store, trust, "trusts", trust.id)

    def test_a_template_round_trips(self, store: Store) -> None:
        """Cycle templates are stored as documents by id, like frameworks."""
        shipped = [templates.template(name) for name in templates.template_names()]
        store.templates.add_all(shipped)
        changed = attrs.evolve(shipped[0], title="Our own version")
        store.templates.update(changed)

        assert store.templates.list() == [changed, *shipped[1:]]
        assert store.templates.get(shipped[0].id).title == "Our own version"

    @_HEAVY_HYPOTHESIS
    @given(cycles=st.lists(_in_school(dst.cycles()), max_size=6))
    def test_add_all_stores_every_cycle(
        self, shared_store: Store, cycles: list[domain.Cycle]
    ) -> None:
        """Bulk adds store each aggregate, and a repeated id stores none of them."""
        wipe(shared_store)
        keys = [(c.school_id, c.id) for c in cycles]
        if len(set(keys)) != len(keys):
            with pytest.raises(ConflictError):
                shared_store.cycles.add_all(cycles)

            assert [c for s in _SCHOOLS for c in shared_store.cycles.for_school(s)] == []
            return
        shared_store.cycles.add_all(cycles)
        for school_id in _SCHOOLS:
            expected = sorted((c for c in cycles if c.school_id == school_id), key=_id)

            assert expected == shared_store.cycles.for_school(school_id)

    # --------------------------------------------------------------------- queries

    def test_every_query_on_a_known_school(self, populated: Store) -> None:
        """Each query returns exactly the expected aggregates, ordered by id."""
        store, s = populated, "school-a"

        assert _ids(store.schools.list()) == ["school-a", "school-b"]
        assert _ids(store.schools.list(["school-b", "nowhere"])) == ["school-b"]
        assert _ids(store.schools.in_trust("trust-1")) == ["school-a", "school-b"]
        assert _ids(store.staff.for_school(s)) == ["H1", "T1", "T2"]
        assert _ids(store.staff.in_team(s, "ks1")) == ["T1", "T2"]
        assert _ids(store.staff.in_team(s, "ks2")) == ["T2"]
        assert _ids(store.staff.with_role(s, domain.Role.MIDDLE_LEADER)) == ["T2"]
        assert _ids(store.staff.reviewed_by(s, "H1")) == ["T1", "T2"]
        assert _ids(store.cycles.for_school(s)) == ["2025-T1", "2026-T1", "2026-T2"]
        assert _ids(store.cycles.for_staff(s, "T1")) == ["2025-T1", "2026-T1"]
        assert _ids(store.cycles.for_team(s, "ks2")) == ["2026-T2"]
        assert _ids(store.cycles.for_team(s, "ks1")) == ["2025-T1", "2026-T1", "2026-T2"]
        assert store.cycles.for_team(s, "no-team") == []
        assert _ids(store.cycles.in_period(s, date(2026, 9, 1), date(2026, 9, 1))) == [
            "2026-T1",
            "2026-T2",
        ]
        assert _ids(store.cycles.in_period(s, date(2026, 1, 1), date(2026, 8, 31))) == ["2025-T1"]
        assert _ids(store.cycles.with_status(s, domain.CycleStatus.ACTIVE)) == [
            "2026-T1",
            "2026-T2",
        ]
        assert _ids(store.cycles.with_status(s, "draft")) == ["2025-T1"]
        assert _ids(store.cycles.linked_to(s, priority_id="P1")) == ["2026-T1"]
        assert _ids(store.cycles.linked_to(s, standard_id="TS2")) == ["2026-T2"]
        assert store.cycles.linked_to(s, priority_id="P1", standard_id="TS2") == []
        pairs = store.cycles.objectives_linked_to(s, priority_id="P2")
        assert [(c.id, o.priority_ids[0]) for c, o in pairs] == [("2026-T2", "P2")]
        due = store.cycles.milestones_due(s, date(2026, 10, 1), date(2027, 2, 14))
        assert [(c.id, m.id) for c, m in due] == [
            ("2026-T1", "plan"),
            ("2026-T2", "plan"),
            ("2026-T1", "mid"),
            ("2026-T2", "mid"),
        ]
        assert store.cycles.milestones_due(s, date(2026, 11, 1), date(2027, 2, 13)) == []
        assert _ids(store.cpd.for_school(s)) == ["cpd-1", "cpd-2"]
        assert _ids(store.cpd.for_staff(s, "T1")) == ["cpd-1", "cpd-2"]
        assert _ids(store.cpd.for_staff(s, "T2")) == ["cpd-2"]
        assert _ids(store.cpd.in_period(s, date(2026, 11, 5), date(2026, 12, 1))) == ["cpd-1"]
        assert _ids(store.cpd.in_period(s, date(2027, 1, 10), date(2027, 1, 10))) == ["cpd-2"]
        assert _ids(store.cpd.linked_to(s, standard_id="TS3")) == ["cpd-1"]
        assert _ids(store.cpd.linked_to(s, priority_id="P2")) == ["cpd-2"]

    def test_a_query_for_one_school_never_sees_another(self, populated: Store) -> None:
        """Identical ids in two schools stay apart in every query, get, update and delete."""
        store = populated
        for school_id in _SCHOOLS:
            results: list[list[Any]] = [
                store.staff.for_school(school_id),
                store.staff.in_team(school_id, "ks1"),
                store.staff.with_role(school_id, "teacher"),
                store.staff.reviewed_by(school_id, "H1"),
                store.cycles.for_school(school_id),
                store.cycles.for_staff(school_id, "T1"),
                store.cycles.for_team(school_id, "ks1"),
                store.cycles.in_period(school_id, date(2000, 1, 1), date(2100, 1, 1)),
                store.cycles.with_status(school_id, *domain.CycleStatus),
                store.cycles.linked_to(school_id, priority_id="P1"),
                [
                    c
                    for c, _m in store.cycles.milestones_due(
                        school_id, date(2000, 1, 1), date(2100, 1, 1)
                    )
                ],
                store.cpd.for_school(school_id),
                store.cpd.for_staff(school_id, "T1"),
                store.cpd.in_period(school_id, date(2000, 1, 1), date(2100, 1, 1)),
                store.cpd.linked_to(school_id, priority_id="P1"),
            ]

            assert all(results)
            assert {school_id} == {item.school_id for result in results for item in result}
        member = store.staff.get("school-a", "T1")
        store.staff.update(attrs.evolve(member, name="Renamed"))
        store.cycles.delete("school-b", "2026-T1")

        assert store.staff.get("school-b", "T1").name == "Teacher one"
        assert store.staff.get("school-a", "T1").name == "Renamed"
        assert "2026-T1" in _ids(store.cycles.for_school("school-a"))
        assert "2026-T1" not in _ids(store.cycles.for_school("school-b"))

    @_HEAVY_HYPOTHESIS
    @given(
        cycles=st.lists(_in_school(dst.cycles()), max_size=6, unique_by=_id),
        start=dst.dates(),
        length=st.integers(0, 800),
    )
    def test_cycle_queries_agree_with_a_plain_filter(
        self, shared_store: Store, cycles: list[domain.Cycle], start: date, length: int
    ) -> None:
        """Period, status, milestone and link queries equal filtering the cycles in Python."""
        wipe(shared_store)
        shared_store.cycles.add_all(cycles)
        end = start + timedelta(days=length)
        school = _SCHOOLS[0]
        mine = sorted((c for c in cycles if c.school_id == school), key=_id)
        some_priority = next((p for c in mine for o in c.objectives for p in o.priority_ids), "P")
        store = shared_store.cycles

        assert [c for c in mine if c.period_start <= end and c.period_end >= start] == (
            store.in_period(school, start, end)
        )
        assert [c for c in mine if c.status is domain.CycleStatus.ACTIVE] == (
            store.with_status(school, domain.CycleStatus.ACTIVE)
        )
        assert sorted(
            (
                (m.due, c.id, m.id)
                for c in mine
                for m in c.milestones
                if start <= m.due <= end and m.completed_on is None
            ),
        ) == [(m.due, c.id, m.id) for c, m in store.milestones_due(school, start, end)]
        assert [
            c for c in mine if any(some_priority in o.priority_ids for o in c.objectives)
        ] == store.linked_to(school, priority_id=some_priority)

    # ------------------------------------------------------------------ transactions

    def test_leaving_a_transaction_without_commit_rolls_it_back(self, store: Store) -> None:
        """Changes are discarded unless the transaction commits."""
        school, staff, _cycles, _cpd = sample_school("school-a")
        with store.transaction() as tx:
            tx.schools.add(school)
            tx.staff.add_all(staff)

            assert school == tx.schools.get("school-a")

        assert store.schools.list() == []
        assert store.staff.for_school("school-a") == []

    def test_an_error_inside_a_transaction_rolls_everything_back(self, populated: Store) -> None:
        """An exception in the block discards every change, even those made before it."""
        store = populated
        cycle = store.cycles.get("school-a", "2026-T1")
        with pytest.raises(RuntimeError, match="boom"), store.transaction() as tx:
            tx.cycles.delete("school-a", "2026-T2")
            tx.cycles.update(attrs.evolve(cycle, template_id="changed"))
            tx.staff.add(attrs.evolve(store.staff.get("school-a", "T1"), id="T9"))
            raise RuntimeError("boom")

        assert cycle == store.cycles.get("school-a", "2026-T1")
        assert store.cycles.get("school-a", "2026-T1").version == 1
        assert "2026-T2" in _ids(store.cycles.for_school("school-a"))
        assert _ids(store.staff.for_school("school-a")) == ["H1", "T1", "T2"]

    def test_a_committed_transaction_keeps_every_change(self, store: Store) -> None:
        """Commit makes every change visible; the transaction then refuses more work."""
        school, staff, cycles, cpd = sample_school("school-a")
        with store.transaction() as tx:
            tx.schools.add(school)
            tx.staff.add_all(staff)
            tx.cycles.add_all(cycles)
            tx.cpd.add_all(cpd)
            tx.commit()

            assert tx.committed
            with pytest.raises(StorageError):
                tx.schools.get("school-a")

        assert len(cycles) == len(store.cycles.for_school("school-a"))
        assert _ids(staff) == _ids(store.staff.for_school("school-a"))

    def test_explicit_rollback_discards_changes(self, store: Store) -> None:
        """`rollback` discards the work so far and ends the transaction."""
        school, *_rest = sample_school("school-a")
        tx = store.transaction()
        tx.schools.add(school)
        tx.rollback()

        assert store.schools.list() == []
        assert not tx.committed

    def test_a_read_only_transaction_reads_everything_and_writes_nothing(
        self, populated: Store
    ) -> None:
        """``transaction(readonly=True)`` reads as any transaction; every write in it is refused.

        (A backend whose reads see one moment only when asked gives a snapshot in
        `Store._begin_snapshot`; the SQL store's is tested in devcycle's own suite.)
        """
        store = populated
        with store.transaction(readonly=True) as tx:
            assert tx.readonly
            cycles = tx.cycles.for_school("school-a")
            assert _ids(cycles) == _ids(store.cycles.for_school("school-a"))
            cycle = tx.cycles.get("school-a", cycles[0].id)
            assert tx.cycles.get_many("school-a", [cycle.id]) == {cycle.id: cycle}
            writes: list[Callable[[], object]] = [
                lambda: tx.cycles.update(attrs.evolve(cycle, template_id="changed")),
                lambda: tx.schools.add(sample_school("school-new")[0]),
                lambda: tx.staff.delete("school-a", "T1"),
                lambda: tx.audit.append(AuditEvent(action="read", tenant="school-a")),
            ]
            for write in writes:
                with pytest.raises(StorageError, match="opened only to read"):
                    write()
            tx.commit()  # ends it: nothing to make durable
        assert store.cycles.get("school-a", cycle.id) == cycle
        assert store.schools.get("school-a").id == "school-a"
        assert store.staff.get("school-a", "T1").id == "T1"

    def test_get_many_reads_a_batch_as_the_transaction_sees_it(self, populated: Store) -> None:
        """`cycles.get_many` sees the transaction's own writes; its cycles save as `get`'s.

        A save of what it loaded is checked as a save of what `get` loaded is: a stale copy
        is refused.
        """
        store = populated
        ids = ["2026-T1", "2026-T2", "no-such-cycle", "2026-T1"]
        with store.transaction() as tx:
            first = tx.cycles.get("school-a", "2026-T1")
            tx.cycles.update(attrs.evolve(first, template_id="changed"))
            found = tx.cycles.get_many("school-a", ids)

            assert sorted(found) == ["2026-T1", "2026-T2"]
            assert found["2026-T1"].template_id == "changed"
            assert found["2026-T1"].version == first.version + 1
            assert found["2026-T2"] == tx.cycles.get("school-a", "2026-T2")
            tx.cycles.update(attrs.evolve(found["2026-T2"], template_id="also"))
            tx.commit()
        assert store.cycles.get("school-a", "2026-T2").template_id == "also"
        assert store.cycles.get("school-b", "2026-T1").template_id != "changed"
        stale = store.cycles.get_many("school-b", ["2026-T1"])["2026-T1"]
        store.cycles.update(attrs.evolve(stale, template_id="first"))
        with pytest.raises(ConflictError):
            store.cycles.update(attrs.evolve(stale, template_id="second"))
        assert store.cycles.get_many("school-a", []) == {}
        with pytest.raises(TenancyError, match="school"):
            store.cycles.get_many("", ["2026-T1"])
        with pytest.raises(TypeError, match="not one id"):
            store.cycles.get_many("school-a", "2026-T1")

    def test_reads_in_a_transaction_see_its_own_writes(self, populated: Store) -> None:
        """Inside a transaction, queries reflect the changes made so far."""
        with populated.transaction() as tx:
            tx.cycles.delete("school-a", "2026-T1")
            member = tx.staff.get("school-a", "T1")
            tx.staff.update(attrs.evolve(member, team_ids=("ks2",)))

            assert _ids(tx.cycles.for_school("school-a")) == ["2025-T1", "2026-T2"]
            assert _ids(tx.staff.in_team("school-a", "ks2")) == ["T1", "T2"]

    # ------------------------------------------------------------------- conflicts

    def test_updates_advance_the_version(self, populated: Store) -> None:
        """Each update stores version + 1; a Cycle's own version advances in place."""
        cycle = populated.cycles.get("school-a", "2026-T1")
        cycle.record_check_in(
            cycle.objectives[0].id, by="T1", on=date(2026, 11, 1), note="Going well."
        )
        returned = populated.cycles.update(cycle)
        populated.cycles.update(cycle)
        member = populated.staff.get("school-a", "T1")
        saved = populated.staff.update(attrs.evolve(member, fte=0.5))

        assert cycle.version == 3
        assert returned is cycle
        assert cycle == populated.cycles.get("school-a", "2026-T1")
        assert populated.cycles.get("school-a", "2026-T1").version == 3
        assert saved.version == 2
        assert populated.staff.get("school-a", "T1").fte == 0.5

    def test_a_stale_update_raises_conflict_and_changes_nothing(self, populated: Store) -> None:
        """Two people load version 1; the second to save gets ConflictError, not a lost update."""
        first = populated.cycles.get("school-a", "2026-T1")
        second = populated.cycles.get("school-a", "2026-T1")
        populated.cycles.update(attrs.evolve(first, template_id="first"))

        with pytest.raises(ConflictError, match="2026-T1"):
            populated.cycles.update(attrs.evolve(second, template_id="second"))

        stored = populated.cycles.get("school-a", "2026-T1")
        assert stored.template_id == "first"
        assert stored.version == 2

    def test_replace_unchanged_replaces_only_the_record_as_loaded(self, populated: Store) -> None:
        """`Session.replace_unchanged`: not over another record at the loaded version.

        What a session that is not `Session.isolated` saves a loaded record with: refused
        if the stored record is newer, missing, or another one at the same version (the
        record deleted and stored again since it was loaded).
        """
        cycle = kind_named("cycle")
        session = populated.begin()
        try:
            loaded = session.get(cycle, "school-a", "2026-T1")
            assert loaded is not None
            newer = attrs.evolve(loaded, version=loaded.version + 1)
            another = attrs.evolve(loaded, document=loaded.document + " ")
            assert not session.replace_unchanged(newer, another)
            assert not session.replace_unchanged(newer, attrs.evolve(loaded, version=9))
            assert not session.replace_unchanged(
                attrs.evolve(newer, id="no-such-cycle"), attrs.evolve(loaded, id="no-such-cycle")
            )
            assert session.get(cycle, "school-a", "2026-T1") == loaded

            assert session.replace_unchanged(newer, loaded)
            stored = session.get(cycle, "school-a", "2026-T1")
            assert stored is not None
            assert (stored.version, stored.document) == (newer.version, newer.document)
        finally:
            session.rollback()
            session.close()

    def test_adding_an_existing_id_raises_conflict(self, populated: Store) -> None:
        """Adding an aggregate whose id is taken in its school is a conflict; others stay."""
        school, staff, cycles, _cpd = sample_school("school-a")

        with pytest.raises(ConflictError):
            populated.schools.add(school)
        with pytest.raises(ConflictError):
            populated.cycles.add(attrs.evolve(cycles[0], template_id="other"))
        with pytest.raises(ConflictError):
            populated.staff.add_all([attrs.evolve(staff[0], id="NEW"), staff[1]])

        assert populated.cycles.get("school-a", cycles[0].id).template_id is None
        assert "NEW" not in _ids(populated.staff.for_school("school-a"))

    def test_a_conflict_inside_a_transaction_leaves_it_usable(self, populated: Store) -> None:
        """After a ConflictError the transaction can carry on and commit other work."""
        school, staff, _cycles, _cpd = sample_school("school-a")
        with populated.transaction() as tx:
            with pytest.raises(ConflictError):
                tx.staff.add(staff[1])
            tx.staff.add(attrs.evolve(staff[1], id="T3"))
            tx.commit()

        assert _ids(populated.staff.for_school(school.id)) == ["H1", "T1", "T2", "T3"]

    # ------------------------------------------------- the lock and the history

    def _close(self, store: Store, school_id: str = "school-a") -> domain.Cycle:
        """Drive the school's 2026-T1 to closed through its methods, saving each step."""
        cycle = store.cycles.get(school_id, "2026-T1")
        objective = cycle.objectives[0].id
        cycle.record_check_in(objective, by="T1", on=_day(11, 1), note="Going well.")
        store.cycles.update(cycle)
        cycle.add_evidence(by="T1", on=_day(2, 1), description="Reading ages, spring term.")
        cycle.evaluate_objective(objective, by="H1", on=_day(7, 1), outcome=domain.Outcome.MET)
        cycle.begin_final_review(by="H1", on=_day(7, 2))
        cycle.close(by="H1", on=_day(7, 10))
        store.cycles.update(cycle)
        return store.cycles.get(school_id, "2026-T1")

    def _untouched(self, store: Store, school_id: str, cycle: domain.Cycle) -> Callable[[], None]:
        """Return a check that the stored cycle and the school's audit log are as now."""
        log = store.audit.query(school_id)

        def check() -> None:
            stored = store.cycles.get(school_id, cycle.id)
            assert stored == cycle
            assert stored.version == cycle.version
            assert store.audit.query(school_id) == log

        return check

    def test_a_closed_cycle_cannot_be_overwritten(self, populated: Store) -> None:
        """Issue 11: a closed cycle saved back as active, with one history entry, is refused.

        Whatever is done to a copy in memory (re-opened, re-dated, history cut), no update,
        on the store or in a transaction, overwrites a closed cycle; the stored cycle, its
        version and the audit log stay exactly as they were.
        """
        closed = self._close(populated)
        assert closed.is_closed
        untouched = self._untouched(populated, "school-a", closed)
        rewinds = [
            attrs.evolve(closed, status=domain.CycleStatus.ACTIVE, history=closed.history[:1]),
            attrs.evolve(closed, status=domain.CycleStatus.ACTIVE),
            attrs.evolve(closed, template_id="changed"),
            attrs.evolve(closed, period_end=closed.period_end + timedelta(days=30)),
            attrs.evolve(closed, objectives=()),
        ]
        for copy in rewinds:
            with pytest.raises(DomainError, match=r"closed .*locked") as error:
                populated.cycles.update(copy)
            assert "2026-T1" in str(error.value)
            with populated.transaction() as tx:
                with pytest.raises(DomainError, match="closed"):
                    tx.cycles.update(copy)
                tx.commit()
            untouched()
        first = rewinds[0]
        assert f"{len(first.history)} history entries" in _message(populated, first)
        assert f"the stored one has {len(closed.history)}" in _message(populated, first)

    def test_a_closed_cycle_saved_unchanged_stays_closed(self, populated: Store) -> None:
        """Saving a closed cycle back as it is (a re-import, say) changes nothing in it."""
        closed = self._close(populated)
        saved = populated.cycles.update(closed)

        assert saved.version == closed.version
        assert populated.cycles.get("school-a", "2026-T1") == closed

    def test_a_cycle_ended_on_leaving_round_trips_and_is_locked(self, populated: Store) -> None:
        """A leaver's cycle ended through the services is stored ended, in its school alone.

        School A's T1 leaves and the headteacher ends their cycle: it loads back ended,
        with the ending in its history, found by `with_status` under ``ended`` and not as
        closed; school B's T1 (the same ids) is untouched; no copy re-opens it.
        """
        from devcycle.access import Actor  # noqa: PLC0415 - the services need the store
        from devcycle.services import Services  # noqa: PLC0415

        services = Services(populated)
        other = populated.cycles.get("school-b", "2026-T1")
        services.record_leaver(Actor("system", "system"), "school-a", "T1", _day(1, 15))
        head = Actor("H1", "headteacher", school_id="school-a")
        [ended] = services.end_cycle_on_leaving(
            head,
            "school-a",
            "T1",
            on=_day(2, 3),
            cycle_ids=["2026-T1"],
            note="Moved to another school.",
        )

        stored = populated.cycles.get("school-a", "2026-T1")
        assert stored == ended
        assert stored.status is domain.CycleStatus.ENDED
        assert stored.is_ended
        assert not stored.is_completed
        assert stored.ending is not None
        assert (stored.ending.on, stored.ending.by) == (_day(2, 3), "H1")
        assert stored.ending.detail == "left on 2027-01-15; Moved to another school."
        assert [c.id for c in populated.cycles.with_status("school-a", "ended")] == ["2026-T1"]
        assert "2026-T1" not in {
            c.id for c in populated.cycles.with_status("school-a", "closed", "active")
        }
        assert populated.cycles.get("school-b", "2026-T1") == other
        assert populated.cycles.get("school-b", "2026-T1").version == other.version
        updates = populated.audit.query("school-a", action="update", kind="cycle")
        assert updates[-1].record_id == "2026-T1"
        assert (updates[-1].actor, updates[-1].role) == ("H1", "headteacher")
        untouched = self._untouched(populated, "school-a", stored)
        for copy in (
            attrs.evolve(stored, status=domain.CycleStatus.ACTIVE, history=stored.history[:-1]),
            attrs.evolve(stored, template_id="re-opened"),
        ):
            with pytest.raises(DomainError, match=r"ended on leaving .* locked"):
                populated.cycles.update(copy)
            untouched()

    def test_a_saved_history_must_extend_the_stored_one(self, populated: Store) -> None:
        """A copy whose history drops, reorders or rewrites a stored entry is refused."""
        cycle = populated.cycles.get("school-a", "2026-T1")
        cycle.record_check_in(cycle.objectives[0].id, by="T1", on=_day(11, 1), note="Going well.")
        populated.cycles.update(cycle)
        stored = populated.cycles.get("school-a", "2026-T1")
        untouched = self._untouched(populated, "school-a", stored)
        history = stored.history
        forged = attrs.evolve(history[0], by="someone-else")
        copies = [
            attrs.evolve(stored, history=()),
            attrs.evolve(stored, history=history[:-1]),
            attrs.evolve(stored, history=history[::-1]),
            attrs.evolve(stored, history=(forged, *history[1:])),
        ]
        for copy in copies:
            with pytest.raises(DomainError, match="does not extend the stored one"):
                populated.cycles.update(copy)
            untouched()

        stored.add_evidence(by="T1", on=_day(12, 1), description="Year 2 reading ages.")
        saved = populated.cycles.update(stored)

        assert populated.cycles.get("school-a", "2026-T1").history == saved.history
        assert saved.history[: len(history)] == history

    def test_a_status_moved_without_its_history_is_refused(self, populated: Store) -> None:
        """Closing (or re-opening) a cycle by setting its status, not by its methods, fails."""
        stored = populated.cycles.get("school-a", "2026-T1")
        untouched = self._untouched(populated, "school-a", stored)
        for status in (domain.CycleStatus.CLOSED, domain.CycleStatus.PLANNING):
            with pytest.raises(DomainError, match="no entry in its history"):
                populated.cycles.update(attrs.evolve(stored, status=status))
            untouched()

    def test_assigning_a_cycle_field_is_refused(self, populated: Store) -> None:
        """A cycle changes only through its methods: assigning a field raises."""
        cycle = populated.cycles.get("school-a", "2026-T1")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            cycle.status = domain.CycleStatus.CLOSED  # type: ignore[misc]
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            cycle.history = ()  # type: ignore[misc]
        assert cycle == populated.cycles.get("school-a", "2026-T1")

    # ------------------------------------------------------------------- not found

    def test_missing_aggregates_raise_not_found(self, populated: Store) -> None:
        """get, update and delete of something not stored raise NotFoundError."""
        store = populated
        school, staff, cycles, cpd = sample_school("school-c")
        attempts: list[Callable[[], object]] = [
            lambda: store.schools.get("school-c"),
            lambda: store.staff.get("school-a", "NOBODY"),
            lambda: store.staff.get("school-c", "T1"),
            lambda: store.cycles.get("school-a", "no-cycle"),
            lambda: store.cpd.get("school-a", "no-cpd"),
            lambda: store.frameworks.get("no-framework"),
            lambda: store.trusts.get("no-trust"),
            lambda: store.templates.get("no-template"),
            lambda: store.schools.update(school),
            lambda: store.staff.update(staff[0]),
            lambda: store.cycles.update(cycles[0]),
            lambda: store.cpd.update(cpd[0]),
            lambda: store.schools.delete("school-c"),
            lambda: store.staff.delete("school-c", "T1"),
            lambda: store.cycles.delete("school-c", "2026-T1"),
            lambda: store.cpd.delete("school-c", "cpd-1"),
            lambda: store.frameworks.delete("no-framework"),
        ]
        for attempt in attempts:
            with pytest.raises(NotFoundError):
                attempt()

    def test_not_found_names_what_was_missing(self, store: Store) -> None:
        """The error says which kind and id were missing, and in which school."""
        with pytest.raises(NotFoundError, match=r"cycle in 'school-a'.*'C9'"):
            store.cycles.get("school-a", "C9")

    # -------------------------------------------------------------- schema versions

    def test_older_documents_are_upgraded_on_load(
        self, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A document written at an older schema version is upgraded as it is read."""
        school, *_rest = sample_school("school-a")
        kind = kind_named("school")
        old = kind.record(school, 1)
        old_document = old.document.replace('"name":"School school-a"', '"title":"School a"')
        session = store.begin()
        session.insert([attrs.evolve(old, document=old_document)])
        session.commit()
        session.close()

        def upgrade(data: dict[str, Any]) -> dict[str, Any]:
            data = dict(data)
            data["name"] = data.pop("title")
            return data

        monkeypatch.setattr(serialization, "SCHEMA_VERSION", 2)
        monkeypatch.setitem(serialization._UPGRADES, ("school", 1), upgrade)

        assert store.schools.get("school-a").name == "School a"
        assert [s.name for s in store.schools.list()] == ["School a"]

    # --------------------------------------------------------------------- tenancy

    def test_scoped_calls_without_a_school_are_refused(self, populated: Store) -> None:
        """No school (None or empty) never means every school: the call is refused."""
        store = populated
        attempts: list[Callable[[], object]] = [
            lambda: store.cycles.for_school(None),  # type: ignore[arg-type]
            lambda: store.cycles.for_school(""),
            lambda: store.cycles.get(None, "2026-T1"),  # type: ignore[arg-type]
            lambda: store.cycles.for_staff(None, "T1"),  # type: ignore[arg-type]
            lambda: store.cycles.for_team(None, "ks1"),  # type: ignore[arg-type]
            lambda: store.cycles.with_status(None, "active"),  # type: ignore[arg-type]
            lambda: store.staff.for_school(None),  # type: ignore[arg-type]
            lambda: store.staff.delete(None, "T1"),  # type: ignore[arg-type]
            lambda: store.cpd.for_school(None),  # type: ignore[arg-type]
            lambda: store.cpd.in_period(None, date(2026, 1, 1), date(2027, 1, 1)),  # type: ignore[arg-type]
            lambda: store.schools.get(None),  # type: ignore[arg-type]
            lambda: store.schools.in_trust(None),  # type: ignore[arg-type]
            lambda: store.audit.query(None),  # type: ignore[arg-type]
        ]
        for attempt in attempts:
            with pytest.raises(TenancyError, match="school"):
                attempt()
        assert len(store.cycles.for_school("school-a")) == 3

    def test_an_update_never_moves_a_record_to_another_school(self, populated: Store) -> None:
        """A cycle loaded from one school cannot be re-labelled to overwrite the other's."""
        theirs = populated.cycles.get("school-b", "2026-T1")
        mine = populated.cycles.get("school-a", "2026-T1")
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            mine.school_id = "school-b"  # type: ignore[misc]
        member = populated.staff.get("school-a", "T1")
        moved = populated.staff.get("school-a", "T1")
        object.__setattr__(moved, "school_id", "school-b")  # forced past the frozen class

        with pytest.raises(TenancyError, match="another school"):
            populated.staff.update(moved)
        with populated.transaction() as tx, pytest.raises(TenancyError):
            tx.staff.update(moved)

        assert populated.cycles.get("school-b", "2026-T1") == theirs
        assert populated.staff.get("school-a", "T1") == member
        assert populated.cycles.get("school-a", "2026-T1").template_id is None

    def test_a_copy_relabelled_with_evolve_never_overwrites_another_school(
        self, populated: Store
    ) -> None:
        """``attrs.evolve(loaded, school_id=other)`` is refused, on the store and in a transaction.

        Both schools hold records with the same ids at the same versions, so nothing but
        where the copy was loaded from tells the two apart.
        """
        store = populated
        for name, ident in (("cycles", "2026-T1"), ("staff", "T1"), ("cpd", "cpd-1")):
            listed = [_id(o) for o in getattr(store, name).for_school("school-b")]
            theirs = getattr(store, name).get("school-b", ident)
            mine = getattr(store, name).get("school-a", ident)
            assert mine.version == theirs.version
            with pytest.raises(TenancyError, match="another school"):
                getattr(store, name).update(attrs.evolve(mine, school_id="school-b"))
            with store.transaction() as tx, pytest.raises(TenancyError, match="another school"):
                inside = getattr(tx, name).get("school-a", ident)
                getattr(tx, name).update(attrs.evolve(inside, school_id="school-b"))
            with store.transaction() as tx, pytest.raises(TenancyError, match="another school"):
                getattr(tx, name).update(attrs.evolve(mine, school_id="school-b"))
            assert getattr(store, name).get("school-b", ident) == theirs
            assert getattr(store, name).get("school-a", ident) == mine
            assert [_id(o) for o in getattr(store, name).for_school("school-b")] == listed

    def test_a_record_copied_to_another_school_is_that_schools_from_then_on(
        self, populated: Store
    ) -> None:
        """A copy added to another school (a new record there) is updated as that school's."""
        store = populated
        mine = store.cycles.get("school-a", "2026-T1")
        copy = store.cycles.add(attrs.evolve(mine, school_id="school-b", id="copied-T1", version=0))
        assert store.cycles.update(attrs.evolve(copy, template_id="changed")).version == 2
        assert store.cycles.get("school-b", "copied-T1").template_id == "changed"
        assert store.cycles.get("school-a", "2026-T1") == mine

    # ------------------------------------------------------------------- audit log

    def test_every_change_is_audited_with_the_store_clock(
        self, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Adds, updates and deletes each leave one entry, stamped by the store's clock."""
        moment = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)
        monkeypatch.setattr(store, "clock", lambda: moment)
        school, staff, cycles, _cpd = sample_school("school-a")
        with store.transaction(by="H1", role="headteacher") as tx:
            tx.schools.add(school)
            tx.staff.add_all(staff)
            tx.cycles.add(cycles[0])
            tx.commit()
        cycle = store.cycles.get("school-a", cycles[0].id)
        store.cycles.update(attrs.evolve(cycle, template_id="changed"))
        store.staff.delete("school-a", "T2")

        entries = store.audit.query("school-a")

        assert [(e.seq, e.action, e.kind, e.record_id) for e in entries] == [
            (1, "add", "school", "school-a"),
            (2, "add", "staff", "H1"),
            (3, "add", "staff", "T1"),
            (4, "add", "staff", "T2"),
            (5, "add", "cycle", cycles[0].id),
            (6, "update", "cycle", cycles[0].id),
            (7, "delete", "staff", "T2"),
        ]
        assert {e.at for e in entries} == {moment}
        assert [(e.actor, e.role) for e in entries[:5]] == [("H1", "headteacher")] * 5
        assert entries[5].version == 2
        assert entries[4].persons == ("H1", "T1")
        assert "T2" in entries[6].persons
        assert store.audit.verify("school-a").ok

    def test_a_rolled_back_change_leaves_no_entry(self, populated: Store) -> None:
        """Entries are written with the change they record, or not at all."""
        before = len(populated.audit.query("school-a"))
        with populated.transaction() as tx:
            tx.cycles.delete("school-a", "2026-T1")
            tx.audit.record_read("school-a", kind="cycle", record_id="x", fields=["pay"])
        with pytest.raises(ConflictError):
            populated.staff.add(sample_school("school-a")[1][0])

        assert len(populated.audit.query("school-a")) == before

    def test_the_audit_log_is_queried_by_person_record_and_period(
        self, store: Store, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Each school has its own log; queries filter by person, record, kind and days."""
        days = iter([datetime(2026, 9, d, 12, tzinfo=UTC) for d in (1, 2, 3, 4, 5, 6)])
        monkeypatch.setattr(store, "clock", lambda: next(days))
        for school_id in _SCHOOLS:
            store.schools.add(sample_school(school_id)[0])  # 1 and 2 September
        store.staff.add(sample_school("school-a")[1][1])  # T1, 3 September
        store.audit.record_read(
            "school-a",
            kind="cycle",
            record_id="2026-T1",
            fields=["private_notes"],
            persons=["T1", "H1"],
            by="H1",
            role="headteacher",
        )  # 4 September
        store.audit.record_read(
            "school-a", kind="cycle", record_id="2026-T2", fields=["pay"], by="H1"
        )  # 5 September

        audit = store.audit
        assert [e.seq for e in audit.query("school-a", person="T1")] == [2, 3]
        assert [e.seq for e in audit.query("school-a", person="H1")] == [2, 3, 4]  # T1 names H1
        assert [e.seq for e in audit.query("school-a", record="2026-T1")] == [3]
        assert [e.seq for e in audit.query("school-a", kind="staff")] == [2]
        assert [e.seq for e in audit.query("school-a", action="read")] == [3, 4]
        assert [e.seq for e in audit.query("school-a", start=date(2026, 9, 3))] == [2, 3, 4]
        assert [e.seq for e in audit.query("school-a", end=date(2026, 9, 3))] == [1, 2]
        assert [
            e.seq for e in audit.query("school-a", start=date(2026, 9, 4), end=date(2026, 9, 4))
        ] == [3]
        assert [e.record_id for e in audit.query("school-b")] == ["school-b"]
        assert audit.query("school-a", record="2026-T1")[0].fields == ("private_notes",)
        exported = audit.export("school-a", person="T1")
        assert exported["verified"] is True
        assert [e["seq"] for e in exported["entries"]] == [2, 3]

    def test_a_policy_change_is_audited(self, populated: Store) -> None:
        """Changing a school's policy leaves a policy entry besides the update."""
        school = populated.schools.get("school-a")
        policy = attrs.evolve(
            school.policy, pay_recommendations=not school.policy.pay_recommendations
        )
        populated.schools.update(attrs.evolve(school, policy=policy))
        populated.schools.update(attrs.evolve(populated.schools.get("school-a"), name="Renamed"))

        actions = [e.action for e in populated.audit.query("school-a", kind="school")]
        assert actions[-3:] == ["update", "policy", "update"]

    def test_changing_or_deleting_an_audit_entry_is_detected(self, populated: Store) -> None:
        """The hash chain catches an entry changed, one deleted, and a cut-off end."""
        assert populated.audit.verify("school-a").ok
        entries = populated.audit.query("school-a")
        anchor = populated.audit.head("school-a")
        assert anchor == (entries[-1].seq, entries[-1].hash)

        def tamper(work: Callable[[Any], object]) -> None:
            session = populated.begin()
            try:
                work(session)
                session.commit()
            finally:
                session.close()

        # change who acted in entry 2 (keeping its stored hash)
        changed = attrs.evolve(entries[1], actor="someone-else")
        tamper(lambda s: s.replace(entry_record(changed), None))
        check = populated.audit.verify("school-a")
        assert not check.ok
        assert any("entry 2" in p for p in check.problems)
        tamper(lambda s: s.replace(entry_record(entries[1]), None))  # put it back
        assert populated.audit.verify("school-a").ok

        # change what happened in entry 3 and rehash it: the next entry no longer links
        rewritten = attrs.evolve(entries[2], action="read")
        tamper(lambda s: s.replace(entry_record(rewritten), None))
        assert not populated.audit.verify("school-a").ok
        tamper(lambda s: s.replace(entry_record(entries[2]), None))

        # delete one entry from the middle
        tamper(lambda s: s.delete(AUDIT, "school-a", entry_record(entries[3]).id))
        check = populated.audit.verify("school-a")
        assert not check.ok
        assert any("missing" in p for p in check.problems)

        # cut the last entry off: the chain is whole, but the anchor catches it
        tamper(lambda s: s.insert([entry_record(entries[3])]))
        tamper(lambda s: s.delete(AUDIT, "school-a", entry_record(entries[-1]).id))
        assert populated.audit.verify("school-a").ok
        assert not populated.audit.verify("school-a", anchor=anchor).ok

    def test_redaction_pseudonymises_and_keeps_the_chain_whole(self, populated: Store) -> None:
        """Erasure replaces a person in old entries; the chain still verifies."""
        populated.audit.record_read(
            "school-a",
            kind="cycle",
            record_id="2026-T1",
            fields=["pay"],
            by="T1",
            detail="T1 looked at their own pay",
        )
        redacted = populated.audit.redact("school-a", {"T1": "erased-1"}, by="H1")

        assert redacted
        assert populated.audit.verify("school-a").ok
        assert populated.audit.query("school-a", person="T1") == []
        last = populated.audit.query("school-a")[-1]
        assert last.action == "erase"
        assert last.redacts == tuple(redacted)
        session = populated.begin()
        try:
            raw = [entry_from_record(r) for r in session.select(AUDIT, "school-a")]
        finally:
            session.rollback()
            session.close()
        assert not any("T1" in e.actor or "T1" in e.persons or "T1" in e.detail for e in raw)

        # a redaction no erasure accounts for is tampering
        first = raw[0]
        session = populated.begin()
        try:
            session.replace(entry_record(attrs.evolve(first, salt="")), None)
            session.commit()
        finally:
            session.close()
        if first.seq not in redacted:
            assert not populated.audit.verify("school-a").ok

    def test_appended_events_need_a_school(self, store: Store) -> None:
        """An audit event without a tenant is refused like any other unscoped call."""
        with pytest.raises(TenancyError):
            store.audit.append(AuditEvent(action="read", tenant=""))

    # -------------------------------------------------------------- state machine

    def test_the_backend_behaves_like_the_reference(self, shared_store: Store) -> None:
        """A random sequence of operations gives the same results as the in-memory model."""
        _run_machine(StoreMachine, shared_store, fewest=5, divisor=4, most=8)

    def test_cycles_hold_under_random_actions(self, shared_store: Store) -> None:
        """Random legal and illegal actions on two schools sharing ids keep every promise.

        See `devcycle.testing.cycle_machine.CycleLifeMachine`: tenancy, history in date
        order and append-only, closed cycles unchanged, refused calls changing nothing.
        """
        from devcycle.testing.cycle_machine import CycleLifeMachine  # noqa: PLC0415

        _run_machine(CycleLifeMachine, shared_store, fewest=3, divisor=20, most=6)


def _outcome(action: Callable[[], T]) -> tuple[str, Any]:
    """Run *action*; return ("ok", result) or ("error", exception type)."""
    try:
        return "ok", action()
    except (ConflictError, DomainError, NotFoundError) as exc:
        return "error", type(exc)


class StoreMachine(RuleBasedStateMachine):
    """Drive a backend and the in-memory reference with the same operations; compare.

    Make one with `StoreMachine.for_store`, then run it with
    `hypothesis.stateful.run_state_machine_as_test`.
    """

    cycles = Bundle("cycles")
    staff = Bundle("staff")
    empty_store: ClassVar[Callable[[], Store]] = staticmethod(MemoryStore)

    @classmethod
    def for_store(cls, empty_store: Callable[[], Store]) -> type[StoreMachine]:
        """Return a machine class driving the stores *empty_store* returns (empty each time)."""
        return type("StoreMachineFor", (cls,), {"empty_store": staticmethod(empty_store)})

    def __init__(self) -> None:
        super().__init__()
        self.store = type(self).empty_store()
        self.model = MemoryStore()

    def both(self, action: Callable[[Store], T]) -> tuple[str, Any]:
        """Apply *action* to the backend and the model; check they agree; return the outcome."""
        actual = _outcome(lambda: action(self.store))
        expected = _outcome(lambda: action(self.model))

        assert expected == actual
        return actual

    @initialize()
    def schools_exist(self) -> None:
        for school_id in _SCHOOLS:
            school = sample_school(school_id)[0]

            def add(store: Store, school: domain.School = school) -> domain.School:
                return store.schools.add(school)

            self.both(add)

    @rule(target=cycles, cycle=_in_school(dst.cycles(max_objectives=2)))
    def add_cycle(self, cycle: domain.Cycle) -> tuple[str, str]:
        self.both(lambda s: s.cycles.add(attrs.evolve(cycle)))
        return cycle.school_id, cycle.id

    @rule(target=staff, member=_in_school(dst.staff_members()))
    def add_staff(self, member: domain.StaffMember) -> tuple[str, str]:
        self.both(lambda s: s.staff.add(member))
        return member.school_id, member.id

    @rule(key=cycles, template=st.sampled_from(["a", "b", "c"]))
    def update_cycle(self, key: tuple[str, str], template: str) -> None:
        def change(store: Store) -> int:
            cycle = store.cycles.get(*key)
            return store.cycles.update(attrs.evolve(cycle, template_id=template)).version

        self.both(change)

    @rule(key=cycles)
    def stale_update(self, key: tuple[str, str]) -> None:
        def stale(store: Store) -> int:
            cycle = store.cycles.get(*key)
            store.cycles.update(attrs.evolve(cycle))
            return store.cycles.update(cycle).version

        assert self.both(stale)[0] == "error"

    @rule(
        school=st.sampled_from(_SCHOOLS),
        keys=st.lists(cycles, max_size=4),
        missing=st.lists(st.sampled_from(["no-such-cycle", "2026-T1"]), max_size=2),
    )
    def get_many_agrees_with_get(
        self, school: str, keys: list[tuple[str, str]], missing: list[str]
    ) -> None:
        """`get_many` returns what `get` returns for each stored id, and leaves out the rest."""
        ids = [cycle_id for _school, cycle_id in keys] + missing

        def many(store: Store) -> list[Any]:
            found = store.cycles.get_many(school, ids)
            with store.transaction() as tx:
                inside = tx.cycles.get_many(school, ids)
            one_by_one = {}
            for ident in ids:
                with contextlib.suppress(NotFoundError):
                    one_by_one[ident] = store.cycles.get(school, ident)
            assert found == inside == one_by_one
            assert all(c.school_id == school and c.id == i for i, c in found.items())
            return sorted((i, c.version) for i, c in found.items())

        self.both(many)

    @rule(key=staff, team=st.sampled_from(["ks1", "ks2"]))
    def move_staff(self, key: tuple[str, str], team: str) -> None:
        def move(store: Store) -> int:
            member = store.staff.get(*key)
            return store.staff.update(attrs.evolve(member, team_ids=(team,))).version

        self.both(move)

    @rule(key=cycles)
    def delete_cycle(self, key: tuple[str, str]) -> None:
        self.both(lambda s: s.cycles.delete(*key))

    @rule(key=staff)
    def delete_staff(self, key: tuple[str, str]) -> None:
        self.both(lambda s: s.staff.delete(*key))

    @rule(key=cycles)
    def abandoned_transaction(self, key: tuple[str, str]) -> None:
        def abandon(store: Store) -> None:
            with store.transaction() as tx:
                tx.cycles.delete(*key)

        self.both(abandon)

    @rule(
        school=st.sampled_from(_SCHOOLS),
        start=dst.dates(),
        days=st.integers(0, 500),
        team=st.sampled_from(["ks1", "ks2"]),
    )
    def queries_agree(self, school: str, start: date, days: int, team: str) -> None:
        end = start + timedelta(days=days)
        self.both(lambda s: s.cycles.in_period(school, start, end))
        self.both(lambda s: s.cycles.milestones_due(school, start, end))
        self.both(lambda s: s.cycles.with_status(school, "active", "closed"))
        self.both(lambda s: s.cycles.for_team(school, team))
        self.both(lambda s: s.staff.in_team(school, team))

    @invariant()
    def every_audit_log_tells_the_same_story(self) -> None:
        for school_id in _SCHOOLS:

            def story(store: Store, school_id: str = school_id) -> list[Any]:
                entries = store.audit.query(school_id)
                assert store.audit.verify(school_id).ok
                return [(e.seq, e.action, e.kind, e.record_id, e.version) for e in entries]

            self.both(story)

    @invariant()
    def every_school_holds_the_same(self) -> None:
        for school_id in _SCHOOLS:

            def contents(store: Store, school_id: str = school_id) -> list[Any]:
                cycles = store.cycles.for_school(school_id)
                return [cycles, [c.version for c in cycles], store.staff.for_school(school_id)]

            self.both(contents)


def _run_machine(machine: Any, store: Store, *, fewest: int, divisor: int, most: int) -> None:
    """Run a state machine's ``for_store`` class on *store*, wiped before each example.

    The number of examples follows the active Hypothesis profile, within *fewest* and *most*.
    """
    base = settings.default or settings()
    machine_settings = settings(
        base,
        max_examples=max(fewest, min(base.max_examples // divisor, most)),
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )

    def empty() -> Store:
        wipe(store)
        return store

    run_state_machine_as_test(  # type: ignore[no-untyped-call,unused-ignore]
        machine.for_store(empty), settings=machine_settings
    )
