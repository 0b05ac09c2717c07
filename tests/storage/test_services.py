"""Settings, the composition root and the storage use cases."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

import devcycle as dc
from devcycle.bootstrap import bootstrap
from devcycle.catalogues.templates import template
from devcycle.config import DEFAULT_STORE, Settings
from devcycle.domain.calendar import england_pattern
from devcycle.services import Services
from devcycle.testing.store_contract import sample_school

SYSTEM = dc.Actor.system()
HEAD = dc.Actor("H1", "headteacher", school_id="school-a")
T1 = dc.Actor("T1", "reviewee", school_id="school-a")


def test_settings_default_to_the_sqlite_file() -> None:
    """With nothing set, the store is sqlite:///devcycle.db."""
    assert Settings.from_env({}).store == DEFAULT_STORE == "sqlite:///devcycle.db"


def test_arguments_beat_the_environment() -> None:
    """A value passed as an argument wins over DEVCYCLE_STORE."""
    settings = Settings.from_env({"DEVCYCLE_STORE": "json:///x"}, store="memory://")

    assert settings.store == "memory://"


def test_a_bad_value_names_its_key() -> None:
    """A store that is not a URL names DEVCYCLE_STORE and shows examples."""
    with pytest.raises(dc.ConfigError, match=r"DEVCYCLE_STORE: store must be a URL .*got 'x.db'"):
        Settings.from_env({"DEVCYCLE_STORE": "x.db"})


def test_an_unknown_setting_is_refused() -> None:
    """A misspelt argument names the known settings."""
    with pytest.raises(dc.ConfigError, match="unknown setting"):
        Settings.from_env({}, stor="memory://")


def test_bootstrap_opens_the_store_and_wires_services() -> None:
    """bootstrap gives an app whose services use the store it opened."""
    with bootstrap(Settings(store="memory://")) as app:
        school, staff, _cycles, _cpd = sample_school("school-a")
        app.services.save_school(SYSTEM, school, staff)

        assert [m.id for m in app.store.staff.for_school("school-a")] == ["H1", "T1", "T2"]


def test_save_school_adds_then_updates() -> None:
    """Saving twice adds, then updates over the loaded version."""
    services = Services(dc.open_store("memory://"))
    school, staff, _cycles, cpd = sample_school("school-a")
    services.save_school(SYSTEM, school, staff, cpd)
    loaded = services.load_school(SYSTEM, "school-a")

    saved = services.save_school(SYSTEM, loaded.school, loaded.staff)

    assert saved.version == 2
    assert services.load_school(SYSTEM, "school-a").staff[0].version == 2


def test_save_school_keeps_the_cpd_catalogue_and_refuses_runs_of_unknown_offerings() -> None:
    """Issue 11, item 13: a run must name an offering of its own school's catalogue."""
    services = Services(dc.open_store("memory://"))
    school, staff, _cycles, _cpd = sample_school("school-a")
    offering = dc.CPDOffering(
        id="phonics", school_id="school-a", title="Phonics", kind=dc.CPDKind.COURSE
    )
    run = offering.schedule("run-1", start=date(2026, 10, 5), attendee_ids=("T1",))
    stray = attrs.evolve(run, id="run-2", offering_id="nowhere")

    with pytest.raises(dc.ValidationError, match=r"'nowhere'.*cpd\[0\]\.offering_id"):
        services.save_school(SYSTEM, school, staff, [stray], [offering])
    assert services.store.schools.list() == []

    services.save_school(SYSTEM, school, staff, [run], [offering])
    loaded = services.load_school(SYSTEM, "school-a")
    assert loaded.cpd_offerings == (offering,)
    services.save_school(SYSTEM, loaded.school, (), [attrs.evolve(run, id="run-3")])
    assert [a.id for a in services.store.cpd.of_offering("school-a", "phonics")] == [
        "run-1",
        "run-3",
    ]


def test_enrol_creates_draft_cycles_once() -> None:
    """Enrolling from a template plans each teacher's cycle; enrolling again adds nothing."""
    services = Services(dc.open_store("memory://"))
    school, staff, _cycles, _cpd = sample_school("school-a")
    services.save_school(SYSTEM, school, staff)
    teacher, calendar = template("england-teacher"), england_pattern(2026)
    on = date(2026, 9, 1)

    created = services.enrol(HEAD, "school-a", teacher, calendar, date(2026, 9, 1), on=on)
    again = services.enrol(HEAD, "school-a", teacher, calendar, date(2026, 9, 1), on=on)

    assert sorted(c.staff_id for c in created) == ["T1", "T2"]
    assert all(c.milestones and c.reviewer_id == "H1" for c in created)
    assert again == []


def test_change_cycle_retries_after_a_conflict() -> None:
    """A change that meets a concurrent save is reapplied on the fresh cycle when asked."""
    store = dc.open_store("memory://")
    services = Services(store)
    school, staff, cycles, _cpd = sample_school("school-a")
    services.save_school(SYSTEM, school, staff)
    services.save_cycle(SYSTEM, cycles[0])
    calls = 0

    def change(cycle: dc.Cycle) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:  # someone else saves while we work
            other = store.cycles.get("school-a", cycle.id)
            store.cycles.update(attrs.evolve(other, template_id="theirs"))
        cycle.record_check_in(cycle.objectives[0].id, by="T1", on=date(2026, 11, 1), note="Mine.")

    with pytest.raises(dc.ConflictError):
        services.change_cycle(T1, "school-a", cycles[0].id, change)
    calls = 0
    saved = services.change_cycle(T1, "school-a", cycles[0].id, change, retries=1)

    assert saved.template_id == "theirs"
    assert [c.note for c in saved.objectives[0].check_ins] == ["Mine."]


def test_record_check_in_and_change_cycles_save_each_cycle() -> None:
    """The single and bulk use cases both store their changes."""
    services = Services(dc.open_store("memory://"))
    school, staff, cycles, _cpd = sample_school("school-a")
    services.save_school(SYSTEM, school, staff)
    for cycle in cycles:
        services.save_cycle(SYSTEM, cycle)

    services.record_check_in(
        T1, "school-a", "2026-T1", cycles[0].objectives[0].id, on=date(2026, 11, 1), note="A"
    )
    services.change_cycles(
        HEAD,
        "school-a",
        ["2026-T1", "2026-T2"],
        lambda c: c.assign_reviewer(
            "T2" if c.staff_id == "T1" else "T1", by="H1", on=date(2026, 11, 2)
        ),
        batch=1,
    )

    data = services.load_school(SYSTEM, "school-a")
    assert [c.note for c in data.cycles[1].objectives[0].check_ins] == ["A"]
    assert data.cycles[1].version == 3
    assert services.export(SYSTEM, school_ids=["school-a"])["data"]["cycles"]


def test_a_closed_cycle_saved_back_as_active_is_refused() -> None:
    """Issue 11: save_cycle cannot overwrite a closed cycle with a re-opened copy."""
    store = dc.open_store("memory://")
    services = Services(store)
    school, staff, cycles, _cpd = sample_school("school-a")
    services.save_school(SYSTEM, school, staff)
    services.save_cycle(SYSTEM, cycles[0])

    def close(cycle: dc.Cycle) -> None:
        objective = cycle.objectives[0].id
        cycle.evaluate_objective(objective, by="H1", on=date(2027, 7, 1), outcome="met")
        cycle.begin_final_review(by="H1", on=date(2027, 7, 2))
        cycle.close(by="H1", on=date(2027, 7, 10))

    reviewer = dc.Actor("H1", "reviewer", school_id="school-a")
    closed = services.change_cycle(reviewer, "school-a", cycles[0].id, close)
    reopened = attrs.evolve(
        closed, status=dc.CycleStatus.ACTIVE, history=closed.history[:1], version=closed.version
    )

    with pytest.raises(dc.DomainError, match=r"closed .* and is locked"):
        services.save_cycle(SYSTEM, reopened)
    with pytest.raises(dc.DomainError, match="locked"):
        services.act(reviewer, "school-a", cycles[0].id, "activate", on=date(2027, 7, 11))

    stored = store.cycles.get("school-a", cycles[0].id)
    assert stored == closed
    assert stored.version == closed.version
