"""A school priority's KPIs: records with figures, validated; older plain text still loads."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given

import devcycle as dc
from devcycle.domain import KPI, Priority, School
from devcycle.errors import ValidationError
from devcycle.serialization import from_dict, to_dict
from devcycle.services import Services
from devcycle.testing import strategies as dst


def test_a_kpi_keeps_its_figures() -> None:
    kpi = KPI(
        "reading",
        "KS2 reading at the expected standard",
        "%",
        baseline=61,
        target=75,
        due=date(2027, 7, 16),
        current=68,
        current_on=date(2027, 2, 1),
    )
    assert (kpi.baseline, kpi.current, kpi.target) == (61.0, 68.0, 75.0)
    assert kpi.has_figures
    assert kpi.met is False
    assert KPI("k", "Incidents", baseline=40, target=20, current=18, current_on=date.today()).met


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"id": "", "name": "x"}, "id"),
        ({"id": "k", "name": ""}, "name"),
        ({"id": "k", "name": "x", "baseline": "high"}, "baseline"),
        ({"id": "k", "name": "x", "target": float("nan")}, "target"),
        ({"id": "k", "name": "x", "current": True, "current_on": date(2027, 1, 1)}, "current"),
        ({"id": "k", "name": "x", "due": "2027-07-01"}, "due"),
        ({"id": "k", "name": "x", "current": 3}, "current_on"),
        ({"id": "k", "name": "x", "current_on": date(2027, 1, 1)}, "current"),
    ],
)
def test_a_bad_kpi_names_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        KPI(**kwargs)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == f"$.{field}"


def test_kpi_ids_are_unique_within_a_priority() -> None:
    with pytest.raises(ValidationError) as caught:
        Priority("P1", "Reading", kpis=[KPI("k", "a"), KPI("k", "b")])
    assert caught.value.problems[0].path == "$.kpis"
    assert "repeated: k" in str(caught.value)


def test_plain_text_kpis_become_kpis_without_figures() -> None:
    """The older form: each text a KPI of that name, ids K1, K2 skipping ids taken."""
    priority = Priority("P1", "Reading", kpis=["Reading survey", KPI("K1", "Phonics"), " ", "Log"])
    assert priority.kpis == (KPI("K2", "Reading survey"), KPI("K1", "Phonics"), KPI("K3", "Log"))
    assert not priority.kpis[0].has_figures
    assert priority.kpis[0].met is None


def test_a_school_stored_with_plain_text_kpis_loads() -> None:
    """Documents written before KPIs were records load (no schema upgrade needed)."""
    data = {
        "id": "s1",
        "name": "School",
        "priorities": [{"id": "P1", "title": "Reading", "kpis": ["KS2 reading", "Survey"]}],
    }
    school = from_dict(data, School)
    assert [k.name for k in school.priorities[0].kpis] == ["KS2 reading", "Survey"]
    assert from_dict(to_dict(school), School) == school


def test_a_bad_stored_kpi_names_its_place() -> None:
    data = {
        "id": "s1",
        "name": "School",
        "priorities": [
            {"id": "P1", "title": "R", "kpis": [{"id": "K1", "name": "n", "target": "lots"}]}
        ],
    }
    with pytest.raises(ValidationError) as caught:
        from_dict(data, School)
    assert "$.priorities[0].kpis[0].target" in str(caught.value)


@given(priority=dst.priorities())
def test_any_priority_round_trips(priority: Priority) -> None:
    assert from_dict(to_dict(priority), Priority) == priority


def test_a_kpi_records_a_figure_only_on_or_after_its_latest() -> None:
    """The KPI keeps only its latest figure: an older one is refused, not put in its place."""
    kpi = KPI("k", "Incidents", baseline=20, target=5).record(12, date(2026, 1, 20))

    with pytest.raises(ValidationError) as caught:
        kpi.record(30, date(2025, 12, 1))

    (problem,) = caught.value.problems
    assert problem.path == "$.current_on"
    assert "2025-12-01 is older" in problem.message
    assert kpi.record(11, date(2026, 1, 20)).current == 11  # the same day: a correction
    assert kpi.record(9, date(2026, 2, 3)).current_on == date(2026, 2, 3)


def test_saving_a_school_whose_kpi_figure_is_older_than_the_stored_one_is_refused() -> None:
    """Through the API too (Services.save_school): nothing is saved; clearing the figure
    first is how a misdated one is corrected."""
    services = Services(dc.open_store("memory://"))
    head = dc.StaffMember("H1", "Hana Head", "oak", roles={"headteacher"})
    kpi = KPI("k", "Incidents", baseline=20, target=5, current=12, current_on=date(2026, 1, 20))
    school = School("oak", "Oak", priorities=[Priority("P1", "Behaviour", kpis=[kpi])])
    stored = services.save_school(dc.Actor.system(), school, [head])

    def measured(value: float | None, on: date | None) -> School:
        changed = attrs.evolve(kpi, current=value, current_on=on)
        priority = attrs.evolve(stored.priorities[0], kpis=(changed,))
        return attrs.evolve(services.store.schools.get("oak"), priorities=(priority,))

    with pytest.raises(ValidationError) as caught:
        services.save_school(dc.Actor.system(), measured(30, date(2025, 12, 1)))

    (problem,) = caught.value.problems
    assert problem.path == "$.priorities[0].kpis[0].current_on"
    assert services.store.schools.get("oak").priorities[0].kpis[0].current == 12
    services.save_school(dc.Actor.system(), measured(None, None))
    services.save_school(dc.Actor.system(), measured(30, date(2025, 12, 1)))
    assert services.store.schools.get("oak").priorities[0].kpis[0].current == 30
