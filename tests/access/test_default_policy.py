"""The whole default policy, table-driven: every role x action x field, both sides of each line.

The tables below are written out by hand from the sources (docs/explanation/access-policy.md),
not read from the policy file, so that a change to the shipped policy must change them too.
Each role is tried by an insider (who holds it properly) and an outsider (who claims it
without standing), through the service layer and through the command line.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import devcycle as dc
from devcycle.access import ACTIONS, CYCLE_ACTIONS, FIELDS, default_policy
from devcycle.cli import main
from devcycle.services import Services
from devcycle.storage.bundle import export_bundle
from devcycle.testing.access import MARKERS, TRUST, access_school, insiders, outsiders

ROLES = (
    "reviewee",
    "reviewer",
    "line_manager",
    "headteacher",
    "school_admin",
    "governor",
    "trust_leader",
    "auditor",
    "system",
)
EVERYTHING = frozenset(ACTIONS)
_CONVERSATION = {"conversation.wellbeing", "conversation.workload", "conversation.career"}

ACTIONS_BY_ROLE: dict[str, frozenset[str]] = {
    "reviewee": frozenset(
        {
            "read_cycle",
            "read_school",
            "start_planning",
            "draft_objective",
            "propose_objective",
            "submit_objective",
            "revise_objective",
            "record_check_in",
            "record_colleague_impact",
            "add_evidence",
            "record_review",
            "rate_meeting",
            "answer_survey",
        }
    ),
    "reviewer": frozenset(
        {
            "read_cycle",
            "read_school",
            "start_planning",
            "activate",
            "begin_final_review",
            "close",
            "set_milestones",
            "complete_milestone",
            "draft_objective",
            "return_objective",
            "agree_objective",
            "set_objective",
            "revise_objective",
            "evaluate_objective",
            "record_check_in",
            "record_colleague_impact",
            "add_evidence",
            "record_observation",
            "record_review",
            "answer_survey",
        }
    ),
    "line_manager": frozenset({"read_cycle", "read_school", "record_observation", "answer_survey"}),
    "headteacher": frozenset(
        {
            "read_cycle",
            "read_school",
            "write_school",
            "write_staff",
            "write_cpd",
            "create_cycle",
            "assign_reviewer",
            "set_milestones",
            "complete_milestone",
            "record_observation",
            "moderate_objective",
            "end_on_leaving",
            "report",
            "export",
            "read_policy",
            "answer_survey",
            "run_survey",
            "set_cpd_budget",
            "plan_training",
            "grant_role",
            "govern_school",
        }
    ),
    "school_admin": frozenset(
        {
            "read_cycle",
            "read_school",
            "write_school",
            "write_staff",
            "write_cpd",
            "create_cycle",
            "assign_reviewer",
            "set_milestones",
            "complete_milestone",
            "report",
            "export",
            "read_policy",
            "run_survey",
            "plan_training",
        }
    ),
    "governor": frozenset({"read_cycle", "read_school", "report"}),
    "trust_leader": frozenset({"read_cycle", "read_school", "report", "write_trust"}),
    "auditor": frozenset({"read_cycle", "read_school", "report", "read_audit", "read_policy"}),
    "system": EVERYTHING,
}
"""Which actions each role may take (with the standing it needs)."""

_RECORD = {"milestones", "objectives", "evidence", "observations", "reviews"}
READS_BY_ROLE: dict[str, frozenset[str]] = {
    "reviewee": frozenset(_RECORD | _CONVERSATION | {"private_notes", "history"}),
    "reviewer": frozenset(_RECORD | _CONVERSATION | {"private_notes", "history"}),
    "line_manager": frozenset({"milestones", "objectives", "evidence", "observations"}),
    "headteacher": frozenset(_RECORD | {"private_notes", "pay_recommendation", "history"}),
    "school_admin": frozenset({"milestones"}),
    "governor": frozenset(
        {"milestones", "objectives", "evidence", "reviews", "private_notes", "pay_recommendation"}
    ),
    "trust_leader": frozenset({"milestones"}),
    "auditor": frozenset({"milestones", "history"}),
    "system": frozenset(FIELDS),
}
"""Which fields each role may read. Private notes further by their audiences; pay only
where the school keeps it, and only to the headteacher and the pay committee."""

WRITES_BY_ROLE: dict[str, frozenset[str]] = {
    "reviewee": frozenset({"milestones", "objectives", "evidence", "reviews"} | _CONVERSATION),
    "reviewer": frozenset(_RECORD | _CONVERSATION | {"private_notes", "pay_recommendation"}),
    "line_manager": frozenset({"observations"}),
    "headteacher": frozenset({"milestones", "objectives", "observations"}),
    "school_admin": frozenset({"milestones"}),
    "governor": frozenset(),
    "trust_leader": frozenset(),
    "auditor": frozenset(),
    "system": frozenset(FIELDS),
}

NOTES_SEEN: dict[str, frozenset[str]] = {
    "reviewee": frozenset({"reviewee"}),
    "reviewer": frozenset({"reviewer"}),
    "headteacher": frozenset({"headteacher"}),
    "governor": frozenset({"governors_panel"}),
    "system": frozenset({"reviewee", "reviewer", "headteacher", "governors_panel"}),
}
"""Whose private notes each role sees (roles left out see none)."""

DAY = date(2027, 3, 1)
SAMPLE = access_school()
INSIDERS = insiders(SAMPLE)
OUTSIDERS = outsiders(SAMPLE)


def test_the_shipped_policy_is_the_table() -> None:
    """The policy file grants exactly what the tables above say, role by role."""
    policy = default_policy()

    assert set(ROLES) == set(policy.roles)
    for name in ROLES:
        role = policy.role(name)
        assert {a for a in ACTIONS if role.may(a)} == ACTIONS_BY_ROLE[name], name
        assert {f for f in FIELDS if role.may_read(f)} == READS_BY_ROLE[name], name
        assert {f for f in FIELDS if role.may_write(f)} == WRITES_BY_ROLE[name], name


@pytest.fixture
def services() -> Iterator[Services]:
    with dc.open_store("memory://") as store:
        service = Services(store)
        SAMPLE.save(service)
        yield service


# ------------------------------------------------------------------------ fields


def _text(cycle: dc.Cycle) -> str:
    return repr(cycle)


def _expected_markers(role: str) -> set[str]:
    reads = READS_BY_ROLE[role]
    seen = set()
    for key, marker in MARKERS.items():
        field, _, audience = key.partition(":")
        if field == "private_notes":
            if "private_notes" in reads and audience in NOTES_SEEN.get(role, ()):
                seen.add(marker)
        elif field in reads:
            seen.add(marker)
    return seen


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_exactly_its_fields_through_the_services(
    services: Services, role: str
) -> None:
    """get_cycle returns every field the role may read and nothing else, down to each note."""
    view = services.get_cycle(INSIDERS[role], "sa", "C1")

    shown = {m for m in MARKERS.values() if m in _text(view)}

    assert _expected_markers(role) == shown
    assert ("pay_recommendation" in READS_BY_ROLE[role]) == (MARKERS["pay_recommendation"] in shown)
    assert bool(view.history) == ("history" in READS_BY_ROLE[role])
    assert bool(view.milestones) == ("milestones" in READS_BY_ROLE[role])


@pytest.mark.parametrize("role", [r for r in ROLES if r != "system"])
def test_an_outsider_claiming_each_role_reads_nothing(services: Services, role: str) -> None:
    """Claiming a role without its standing on the cycle is refused outright."""
    with pytest.raises(dc.AccessDenied):
        services.get_cycle(OUTSIDERS[role], "sa", "C1")


def test_pay_is_shown_to_nobody_where_the_school_keeps_none(services: Services) -> None:
    """With pay off in the school's policy and the cycle, not even the headteacher sees it."""
    system = dc.Actor.system()
    with services.transaction(system) as tx:
        cycle = tx.cycles.get("sa", "C1")
        cycle.set_pay_recommendations(False, by="system", on=DAY)
        tx.cycles.update(cycle)
        school = tx.schools.get("sa")
        tx.schools.update(attrs.evolve(school, policy=dc.Policy(pay_recommendations=False)))
        tx.commit()

    for role in ("headteacher", "governor", "system"):
        view = services.get_cycle(INSIDERS[role], "sa", "C1")
        assert MARKERS["pay_recommendation"] not in _text(view), role


# ----------------------------------------------------------------------- actions


def _arguments(action: str, cycle: dc.Cycle) -> dict[str, Any]:
    objective = cycle.objectives[0].id
    return {
        "assign_reviewer": {"reviewer_id": "T2"},
        "end_on_leaving": {"left_on": DAY},
        "set_milestones": {"milestones": list(cycle.milestones)},
        "complete_milestone": {"milestone_id": "mid"},
        "draft_objective": {"statement": "Draft."},
        "propose_objective": {"statement": "Proposed."},
        "submit_objective": {"objective_id": objective},
        "return_objective": {"objective_id": objective, "reasons": ["Too vague."]},
        "moderate_objective": {"objective_id": objective, "reasons": ["Not like the others."]},
        "agree_objective": {"objective_id": objective},
        "set_objective": {"objective_id": objective, "disagreement": "No."},
        "revise_objective": {"objective_id": objective, "reason": "Changed."},
        "evaluate_objective": {"objective_id": objective, "outcome": dc.Outcome.MET},
        "record_check_in": {"objective_id": objective, "note": "Check-in."},
        "record_colleague_impact": {
            "objective_id": objective,
            "shared_with": dc.SharedWith.TEAM,
            "what": "Shared the routine.",
        },
        "add_evidence": {"description": "More evidence."},
        "record_observation": {"kind": dc.ObservationKind.LEARNING_WALK, "focus": "Focus."},
        "record_review": {"kind": dc.ReviewKind.CHECK_IN, "notes": "Met."},
    }.get(action, {})


def _stored(services: Services) -> str:
    return repr(export_bundle(services.store)["data"])


def _attempt(services: Services, actor: dc.Actor, action: str) -> Callable[[], object]:
    """Return a call that takes *action* as *actor* through the service layer."""
    cycle = SAMPLE.cycle
    if action in CYCLE_ACTIONS:
        return lambda: services.act(actor, "sa", "C1", action, on=DAY, **_arguments(action, cycle))
    new_cycle = attrs.evolve(cycle, id="C9", staff_id="T2", reviewer_id="R1")
    school = services.store.schools.get("sa")
    member = services.store.staff.get("sa", "T2")
    activity = dc.CPDActivity(
        id="cpd-9", school_id="sa", title="Course", kind=dc.CPDKind.COURSE, start=DAY
    )
    meeting = cycle.reviews[0].id if cycle.reviews else "m1"
    answer = dc.SurveyResponse(
        id=f"answer-{actor.user_id}",
        school_id="sa",
        survey_id="2026",
        respondent_id=actor.user_id,
        on=DAY,
        valued=4,
    )
    survey = dc.ProcessSurvey(id="2026", school_id="sa", title="How was it?", opens=DAY, closes=DAY)
    return {
        "read_cycle": lambda: services.get_cycle(actor, "sa", "C1"),
        "create_cycle": lambda: services.save_cycle(actor, new_cycle),
        "save_cycle": lambda: services.save_cycle(actor, services.store.cycles.get("sa", "C1")),
        "read_school": lambda: services.load_school(actor, "sa"),
        "write_school": lambda: services.save_school(actor, school),
        "write_staff": lambda: services.save_school(actor, school, [member]),
        "write_cpd": lambda: services.save_school(actor, school, cpd=[activity]),
        "grant_role": lambda: services.save_school(
            actor, school, [attrs.evolve(member, roles={*member.roles, dc.Role.MIDDLE_LEADER})]
        ),
        "govern_school": lambda: services.save_school(
            actor,
            attrs.evolve(
                school,
                policy=attrs.evolve(
                    school.policy, pay_recommendations=not school.policy.pay_recommendations
                ),
            ),
        ),
        "report": lambda: services.report(actor, "progress", "sa", as_of=DAY),
        "write_trust": lambda: services.save_trust(
            actor, dc.Trust(id=TRUST, name="Trust A", school_ids=("sa",))
        ),
        "export": lambda: services.export(actor, school_ids=["sa"]),
        "import": lambda: services.import_(
            actor, export_bundle(services.store, school_ids=["sa"]), replace=True
        ),
        "read_audit": lambda: services.audit_log(actor, "sa"),
        "read_policy": lambda: services.access_policy(actor, "sa"),
        "rate_meeting": lambda: services.rate_meeting(
            actor, "sa", "C1", meeting, on=DAY, usefulness=4, motivation=4
        ),
        "answer_survey": lambda: services.record_survey_responses(actor, "sa", [answer]),
        "run_survey": lambda: services.save_survey(actor, survey),
        "set_cpd_budget": lambda: services.set_cpd_budget(
            actor,
            "sa",
            dc.CPDBudget(id="2026-27", start=DAY, end=DAY, amount=100),
        ),
        "plan_training": lambda: services.plan_training(
            actor,
            "sa",
            [
                dc.TrainingPlanEntry(
                    id="inset",
                    school_id="sa",
                    title="INSET",
                    dates=(DAY,),
                    owner_id="T2",
                    level="whole-school",
                )
            ],
        ),
    }[action]


_NEEDS_WRITE_SCHOOL = {"write_staff", "write_cpd"}


def _allowed(role: str, action: str) -> bool:
    granted = ACTIONS_BY_ROLE[role]
    if action == "answer_survey":  # whoever runs the survey may record anyone's answers
        return bool({"answer_survey", "run_survey"} & granted)
    if action in _NEEDS_WRITE_SCHOOL:  # saving staff or CPD saves their school too
        return action in granted and "write_school" in granted
    if action == "grant_role":  # giving a role saves the member and their school
        return {"grant_role", "write_staff", "write_school"} <= granted
    if action == "govern_school":
        return {"govern_school", "write_school"} <= granted
    return action in granted


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_takes_exactly_its_actions_through_the_services(
    services: Services, role: str, action: str
) -> None:
    """An action outside the table is refused with nothing stored; one inside is not refused.

    Inside the table the cycle's own rules may still refuse (a reviewee cannot agree their own
    objective whatever the policy says); that is a `DomainError`, never `AccessDenied`.
    """
    before = _stored(services)
    call = _attempt(services, INSIDERS[role], action)

    if _allowed(role, action):
        # The cycle's own rules may refuse; AccessDenied is none of these and would fail.
        with contextlib.suppress(dc.DomainError, dc.ValidationError, dc.ConfigError):
            call()
    else:
        with pytest.raises(dc.AccessDenied):
            call()
        assert before == _stored(services)


_ON_CYCLE = ("read_cycle", "save_cycle", "rate_meeting", *CYCLE_ACTIONS)
_TIED = ("reviewee", "reviewer", "line_manager")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [r for r in ROLES if r != "system"])
def test_an_outsider_claiming_each_role_takes_no_action(
    services: Services, role: str, action: str
) -> None:
    """Without standing (wrong person, wrong school, wrong trust) every action is refused.

    A colleague claiming to be the reviewee (reviewer, line manager) of C1 is refused
    everything on C1; in their own school they keep what the role gives anyone there.
    """
    if role in _TIED and action not in _ON_CYCLE:
        pytest.skip("a school-wide action: the claimed tie to C1 does not come into it")
    before = _stored(services)

    with pytest.raises(dc.AccessDenied):
        _attempt(services, OUTSIDERS[role], action)()
    assert before == _stored(services)


# ------------------------------------------------------------------- command line


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'devcycle.db'}"
    with dc.open_store(url) as store:
        service = Services(store)
        SAMPLE.save(service)
    return url


def _cli_actor(actor: dc.Actor) -> list[str]:
    args = ["--as", actor.role, "--user", actor.user_id, "--school", "sa"]
    if actor.school_id is not None:
        args += ["--actor-school", actor.school_id]
    if actor.trust_id is not None:
        args += ["--trust-id", actor.trust_id]
    return args


def _cli_table(store_url: str, actor: dc.Actor, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """Return what ``devcycle access check --all`` allows *actor* on C1, one entry a line."""
    capsys.readouterr()
    args = ["access", "check", "--store", store_url, *_cli_actor(actor), "--cycle", "C1", "--all"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    return {line.split(None, 1)[1] for line in lines if line.startswith("allowed")}


@pytest.mark.parametrize("role", ROLES)
def test_the_cli_answers_each_role_action_and_field_as_the_table(
    store_url: str, role: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``devcycle access check --all`` agrees with the table for every action and field on C1."""
    expected = set(ACTIONS_BY_ROLE[role])
    expected |= {f"read {f}" for f in READS_BY_ROLE[role]}
    expected |= {f"write {f}" for f in WRITES_BY_ROLE[role]}

    assert expected == _cli_table(store_url, INSIDERS[role], capsys)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "system"])
def test_the_cli_refuses_each_outsider(
    store_url: str, role: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same questions from an outsider are answered no for everything on C1."""
    allowed = _cli_table(store_url, OUTSIDERS[role], capsys)

    assert not allowed & {"read_cycle", "save_cycle", *CYCLE_ACTIONS}
    assert not {a for a in allowed if a.startswith(("read ", "write "))}


@pytest.mark.parametrize(
    ("args", "status", "says"),
    [
        (["read_cycle", "--as", "reviewee", "--user", "T1"], 0, "allowed: T1 as reviewee"),
        (["read_cycle", "--as", "reviewee", "--user", "T2"], 1, "is not theirs"),
        (["--read", "pay_recommendation", "--as", "reviewer", "--user", "R1"], 1, "denied"),
        (["--read", "pay_recommendation", "--as", "headteacher", "--user", "H1"], 0, "allowed"),
        (["assign_reviewer", "--as", "headteacher", "--user", "T1"], 1, "must hold"),
    ],
)
def test_one_question_exits_0_when_allowed_and_1_when_not(
    store_url: str, args: list[str], status: int, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A single question prints the decision with its reason; the exit status is the answer."""
    base = ["access", "check", "--store", store_url, "--school", "sa", "--cycle", "C1"]

    assert main([*base, *args]) == status
    assert says in capsys.readouterr().out


@pytest.mark.parametrize(
    ("role", "user", "audience", "seen", "hidden"),
    [
        ("reviewee", "T1", None, "NOTE-FOR-REVIEWEE", "NOTE-FOR-HEAD"),
        ("reviewer", "R1", None, "NOTE-FOR-REVIEWER", "NOTE-FOR-REVIEWEE"),
        ("headteacher", "H1", None, "NOTE-FOR-HEAD", "WELLBEING"),
        ("headteacher", "H1", "reviewee", "REVIEW-NOTES", "NOTE-FOR-HEAD"),
        ("system", "system", "governors_panel", "NOTE-FOR-GOVERNORS", "WELLBEING"),
    ],
)
def test_the_cli_proforma_follows_the_actor(
    store_url: str,
    tmp_path: Path,
    role: str,
    user: str,
    audience: str | None,
    seen: str,
    hidden: str,
) -> None:
    """The proforma's audience and content follow ``--as``/``--user``, never more."""
    out = tmp_path / "p.md"
    chosen = ["--audience", audience] if audience else []
    args = ["proforma", "--store", store_url, "--school", "sa", "--person", "T1"]
    args += ["--stage", "mid_year", "--format", "md", "--as-of", "2027-07-01", "-o", str(out)]

    assert main([*args, "--as", role, "--user", user, *chosen]) == 0
    text = out.read_text(encoding="utf-8")
    assert seen in text
    assert hidden not in text


@pytest.mark.parametrize(
    ("role", "user", "audience"),
    [
        ("reviewee", "T1", "headteacher"),
        ("reviewee", "T2", None),
        ("reviewer", "R1", "headteacher"),
        ("headteacher", "T1", None),
        ("line_manager", "L1", None),
    ],
)
def test_the_cli_proforma_refuses_what_the_actor_may_not_see(
    store_url: str, tmp_path: Path, role: str, user: str, audience: str | None
) -> None:
    """Another's copy, a colleague's cycle or a role not held: exit 2, nothing written."""
    out = tmp_path / "p.md"
    chosen = ["--audience", audience] if audience else []
    args = ["proforma", "--store", store_url, "--school", "sa", "--person", "T1"]
    args += ["--stage", "mid_year", "--format", "md", "--as-of", "2027-07-01", "-o", str(out)]

    assert main([*args, "--as", role, "--user", user, *chosen]) == 2
    assert not out.exists()
