"""A caller's mistake at the Services boundary is a ValidationError naming the argument."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

import devcycle as dc
from devcycle.access import ACTIONS, CYCLE_ACTIONS, Actor
from devcycle.access.policy import parse_policy
from devcycle.errors import ValidationError
from devcycle.services import Services
from devcycle.testing.access import access_school

DAY = date(2026, 12, 2)
REVIEWEE = Actor("T1", "reviewee", school_id="sa")
HEAD = Actor("H1", "headteacher", school_id="sa")


@pytest.fixture(scope="module")
def services() -> Services:
    sample = access_school()
    services = Services(dc.open_store("memory://"))
    sample.save(services)
    return services


def _objective_id(services: Services) -> str:
    return services.get_cycle(REVIEWEE, "sa", "C1").objectives[0].id


CALLS: dict[str, tuple[str, Callable[[Services], Any]]] = {
    "misspelt keyword": (
        "nte",
        lambda s: s.act(
            REVIEWEE, "sa", "C1", "record_check_in", objective_id=_objective_id(s), on=DAY, nte="x"
        ),
    ),
    "missing required keyword": (
        "note",
        lambda s: s.act(
            REVIEWEE, "sa", "C1", "record_check_in", objective_id=_objective_id(s), on=DAY
        ),
    ),
    "missing required keyword (no positional id)": (
        "description",
        lambda s: s.act(REVIEWEE, "sa", "C1", "add_evidence", on=DAY),
    ),
    "report as_of text": ("as_of", lambda s: s.report(HEAD, "progress", "sa", as_of="2027-03-01")),
    "proforma as_of text": (
        "as_of",
        lambda s: s.proforma(REVIEWEE, "sa", "C1", "mid_year", as_of="2027-07-01"),
    ),
    "proforma as_of None": (
        "as_of",
        lambda s: s.proforma(REVIEWEE, "sa", "C1", "mid_year", as_of=None),
    ),
    "act on text": (
        "on",
        lambda s: s.act(REVIEWEE, "sa", "C1", "propose_objective", on="2026-12-02", statement="y"),
    ),
    "unknown action": (
        "action",
        lambda s: s.act(REVIEWEE, "sa", "C1", "agree_objectiv", on=DAY, objective_id="x"),
    ),
    "action not text": ("action", lambda s: s.act(REVIEWEE, "sa", "C1", None, on=DAY)),
    "import None": ("bundle", lambda s: s.import_(Actor.system(), None)),
    "import a list": ("bundle", lambda s: s.import_(Actor.system(), [])),
    "check_import None": ("bundle", lambda s: s.check_import(Actor.system(), None)),
    "actor as text (get_cycle)": ("actor", lambda s: s.get_cycle("T1", "sa", "C1")),
    "actor as text (report)": (
        "actor",
        lambda s: s.report("H1", "progress", "sa", as_of=DAY),
    ),
    "actor as text (act)": (
        "actor",
        lambda s: s.act("T1", "sa", "C1", "propose_objective", on=DAY, statement="y"),
    ),
    "actor as text (transaction)": ("actor", lambda s: s.transaction("system")),
}


@pytest.mark.parametrize("case", sorted(CALLS))
def test_a_callers_mistake_names_the_argument(services: Services, case: str) -> None:
    """Each is a ValidationError at ``$.<argument>``, not a TypeError from inside the library."""
    argument, call = CALLS[case]
    with pytest.raises(dc.ValidationError) as caught:
        call(services)
    (problem,) = caught.value.problems
    assert problem.path == f"$.{argument}"
    assert repr(argument) in problem.message


def test_a_misspelt_keyword_lists_the_ones_taken(services: Services) -> None:
    """The message says which keywords the action takes, and nothing is recorded."""
    before = services.get_cycle(REVIEWEE, "sa", "C1")
    with pytest.raises(dc.ValidationError, match=r"record_check_in takes no argument 'nte'.*note"):
        services.act(
            REVIEWEE,
            "sa",
            "C1",
            "record_check_in",
            objective_id=_objective_id(services),
            on=DAY,
            nte="x",
        )
    assert services.get_cycle(REVIEWEE, "sa", "C1") == before


@pytest.mark.parametrize("role", [None, "", 3])
def test_an_actor_without_a_role_name_is_a_validation_error(role: object) -> None:
    """Like a bad user id: a ValidationError at ``$.role``, not a bare ValueError."""
    with pytest.raises(dc.ValidationError) as caught:
        Actor("T1", role)  # type: ignore[arg-type]
    assert caught.value.problems[0].path == "$.role"


@pytest.mark.parametrize("action", ["agree_objectiv", "fly", "__init__", "read_cycle", ""])
def test_an_unknown_action_lists_the_actions_allowed(services: Services, action: str) -> None:
    """Not a cycle action: a ValidationError at ``$.action`` naming every one, nothing changed.

    It used to be an ``AccessDenied``, as if the policy had refused a real action.
    """
    before = services.get_cycle(Actor.system(), "sa", "C1")

    with pytest.raises(dc.ValidationError) as caught:
        services.act(REVIEWEE, "sa", "C1", action, on=DAY)

    (problem,) = caught.value.problems
    assert problem.path == "$.action"
    assert all(name in problem.message for name in CYCLE_ACTIONS)
    assert not isinstance(caught.value, dc.AccessDenied)
    assert services.get_cycle(Actor.system(), "sa", "C1") == before


def test_a_misspelt_action_suggests_the_one_meant(services: Services) -> None:
    """The closest action is named, as the command line does for a misspelt report."""
    with pytest.raises(dc.ValidationError, match=r"did you mean 'agree_objective'\?"):
        services.act(REVIEWEE, "sa", "C1", "agree_objectiv", on=DAY, objective_id="x")


@pytest.mark.parametrize("action", ["agree_objectiv", "fly", "__init__", "", None, 3])
def test_decide_on_an_unknown_action_is_a_validation_error(
    services: Services, action: object
) -> None:
    """As in `act`: a ValidationError at ``$.action`` listing the actions, not a refusal.

    `Services.decide` used to return (or raise) a refusal, as if the policy had said no.
    """
    for cycle_id in (None, "C1"):
        with pytest.raises(dc.ValidationError) as caught:
            services.decide(HEAD, action, "sa", cycle_id)  # type: ignore[arg-type]

        (problem,) = caught.value.problems
        assert problem.path == "$.action"
        assert all(name in problem.message for name in ACTIONS)
        assert not isinstance(caught.value, dc.AccessDenied)


def test_decide_on_a_misspelt_action_suggests_the_one_meant(services: Services) -> None:
    """The closest action is named, as for `act`."""
    with pytest.raises(dc.ValidationError, match=r"did you mean 'agree_objective'\?"):
        services.decide(HEAD, "agree_objectiv", "sa", "C1")


@pytest.mark.parametrize("action", ["read_cycle", "agree_objective", "report"])
def test_decide_on_a_known_action_still_answers(services: Services, action: str) -> None:
    """A known action gets the policy's decision, allowed or not, as before."""
    assert isinstance(services.decide(HEAD, action, "sa", "C1").allowed, bool)
    assert services.decide(HEAD, "read_cycle", "sa", "C1").allowed


@pytest.mark.parametrize(
    "data",
    [
        {"policy": {1: "x", "name": "p"}},
        {"roles": {"teacher": {None: True, "description": "t"}}},
        {"roles": {7: {"description": "t"}}},
    ],
    ids=["number key in policy", "null key in a role", "number role name"],
)
def test_a_policy_mapping_with_keys_not_text_is_refused_not_raised(data: dict[Any, Any]) -> None:
    """Before, an embedder's mapping (parsed YAML, say) with such keys raised a TypeError."""
    with pytest.raises(ValidationError) as caught:
        parse_policy(data, source="policy.yaml")
    assert str(caught.value).startswith("policy.yaml: ")


def test_saving_another_schools_staff_is_a_mistake_named_by_path() -> None:
    """Before, this was an AccessDenied ("cannot save Z of another school"), read as a 403."""
    services = Services(dc.open_store("memory://"))
    school = dc.School(id="elm", name="Elm")
    stray = dc.StaffMember(id="Z", name="Zed", school_id="oak", roles={dc.Role.TEACHER})
    with pytest.raises(ValidationError) as caught:
        services.save_school(dc.Actor.system(), school, [stray])
    assert caught.value.problems == (
        "staff member 'Z' belongs to school 'oak', not 'elm': save it with its own school"
        " @ staff[0].school_id",
    )


def test_a_new_cycle_with_a_stored_id_is_not_told_to_sync_staff() -> None:
    """Before, the conflict told the caller to use sync_school, which saves staff only."""
    services = Services(dc.open_store("memory://"))
    system = dc.Actor.system()
    services.save_school(
        system,
        dc.School(id="elm", name="Elm"),
        [dc.StaffMember(id="T1", name="Tess", school_id="elm", roles={dc.Role.TEACHER})],
    )
    cycle = dc.Cycle(
        id="c1",
        school_id="elm",
        staff_id="T1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 8, 31),
    )
    services.save_cycle(system, cycle)
    another = dc.Cycle(
        id="c1",
        school_id="elm",
        staff_id="T1",
        period_start=date(2026, 9, 1),
        period_end=date(2027, 7, 31),
    )
    with pytest.raises(dc.ConflictError) as caught:
        services.save_cycle(system, another)
    message = str(caught.value)
    assert "sync_school" not in message
    assert "give a new one an id not yet used in its school" in message


def test_an_unknown_objective_is_named_in_order_with_its_argument(services: Services) -> None:
    """Before: "no objective in cycle 'C1' 'obj-9'; ...", with no path."""
    known = _objective_id(services)
    with pytest.raises(dc.NotFoundError) as caught:
        services.act(
            REVIEWEE, "sa", "C1", "record_check_in", objective_id="obj-9", on=DAY, note="x"
        )
    message = str(caught.value)
    assert message.startswith("no objective 'obj-9' in cycle 'C1'")
    assert message.endswith("@ $.objective_id")
    assert repr(known) in message


def test_the_domain_names_a_missing_part_before_where_it_looked() -> None:
    cycle = dc.Cycle(
        id="c1", school_id="s", staff_id="T1", period_start=DAY, period_end=date(2027, 7, 31)
    )
    with pytest.raises(dc.NotFoundError, match=r"^no milestone 'm9' in cycle 'c1'$"):
        cycle.milestone("m9")


def test_a_reviewer_saving_a_whole_cycle_is_pointed_to_act(services: Services) -> None:
    reviewer = dc.Actor("R1", "reviewer", school_id="sa")
    cycle = services.get_cycle(reviewer, "sa", "C1")
    with pytest.raises(dc.AccessDenied, match=r"take a step in a cycle.*with Services\.act"):
        services.save_cycle(reviewer, cycle)
