"""The attacks in issue 12's findings, each reproduced and each failing cleanly.

Tried as an attacker would on the landed main: a teacher made themself a colleague's
reviewer and agreed their objective; a reviewee recorded their own pay recommendation and a
headteacher-only note; a school's stage file showed headteacher-only notes to the reviewee;
the proforma audience was whatever the caller said. Each is now refused with `AccessDenied`
(or, for a stage file, `ValidationError` naming the file and field), and nothing is stored.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.proforma import build_proforma, parse_stage
from devcycle.services import Services
from devcycle.storage.bundle import export_bundle
from devcycle.testing.access import MARKERS, access_school

DAY = date(2027, 3, 1)
SAMPLE = access_school()
COLLEAGUE = dc.Actor("T2", "reviewee", school_id="sa")
REVIEWEE = dc.Actor("T1", "reviewee", school_id="sa")


@pytest.fixture
def services() -> Iterator[Services]:
    with dc.open_store("memory://") as store:
        service = Services(store)
        SAMPLE.save(service)
        yield service


def _stored(services: Services) -> str:
    return repr(export_bundle(services.store)["data"])


# ------------------------------------------------- a teacher made themself reviewer


@pytest.mark.parametrize("role", ["reviewee", "reviewer", "line_manager", "headteacher"])
def test_a_colleague_cannot_make_themself_reviewer_whatever_role_they_claim(
    services: Services, role: str
) -> None:
    """T2, no party to C1, cannot assign themself as its reviewer by claiming any role."""
    before = _stored(services)

    with pytest.raises(dc.AccessDenied):
        services.act(
            dc.Actor("T2", role, school_id="sa"),
            "sa",
            "C1",
            "assign_reviewer",
            reviewer_id="T2",
            on=DAY,
        )
    assert before == _stored(services)


def test_a_change_made_in_someone_elses_name_is_refused(services: Services) -> None:
    """A change that calls the domain with another person's id (the headteacher's) is refused."""
    before = _stored(services)

    with pytest.raises(dc.AccessDenied, match="in the name of 'H1'"):
        services.change_cycle(
            dc.Actor("R1", "reviewer", school_id="sa"),
            "sa",
            "C1",
            lambda c: c.assign_reviewer("T2", by="H1", on=DAY),
        )
    assert before == _stored(services)


def test_a_change_that_bypasses_the_domain_methods_is_refused(services: Services) -> None:
    """Setting the reviewer directly, with nothing in the history, is refused."""
    before = _stored(services)
    reviewer = dc.Actor("R1", "reviewer", school_id="sa")

    def assign(cycle: dc.Cycle) -> None:
        cycle.reviewer_id = "T2"  # type: ignore[misc]

    def sneak(cycle: dc.Cycle) -> None:
        object.__setattr__(cycle, "reviewer_id", "T2")  # forced past the frozen class

    with pytest.raises(AttributeError):
        services.change_cycle(reviewer, "sa", "C1", assign)
    with pytest.raises(dc.AccessDenied, match="reviewer"):
        services.change_cycle(reviewer, "sa", "C1", sneak)
    assert before == _stored(services)


def test_a_colleague_cannot_revise_or_agree_an_objective_on_a_cycle_not_theirs(
    services: Services,
) -> None:
    """The second half of the finding: revising and agreeing are refused too."""
    objective = SAMPLE.cycle.objectives[0].id
    before = _stored(services)

    for action, extra in (("revise_objective", {"reason": "mine now"}), ("agree_objective", {})):
        with pytest.raises(dc.AccessDenied):
            services.act(
                dc.Actor("T2", "reviewer", school_id="sa"),
                "sa",
                "C1",
                action,
                objective_id=objective,
                on=DAY,
                **extra,
            )
    assert before == _stored(services)


# ------------------------------------------- a reviewee recorded pay and a head's note


def test_a_reviewee_cannot_record_their_own_pay_recommendation(services: Services) -> None:
    """Pay is written by the reviewer, never the reviewee."""
    before = _stored(services)

    with pytest.raises(dc.AccessDenied, match="cannot write pay_recommendation"):
        services.act(
            REVIEWEE,
            "sa",
            "C1",
            "record_review",
            kind=dc.ReviewKind.CHECK_IN,
            pay_recommendation=dc.PayRecommendation("Move me to M6"),
            on=DAY,
        )
    assert before == _stored(services)


def test_a_reviewee_cannot_record_a_headteacher_only_note(services: Services) -> None:
    """Confidential notes are the reviewer's to write."""
    before = _stored(services)

    with pytest.raises(dc.AccessDenied, match="cannot write private_notes"):
        services.act(
            REVIEWEE,
            "sa",
            "C1",
            "record_review",
            kind=dc.ReviewKind.CHECK_IN,
            private_notes=[dc.Confidential("Head only", {dc.Audience.HEADTEACHER})],
            on=DAY,
        )
    assert before == _stored(services)


# ---------------------------------------------------- a stage file leaked the notes


LEAKY = {
    "stage": {"id": "mid_year", "title": "Our mid-year", "review_kinds": ["mid_year"]},
    "sections": [
        {"id": "notes", "title": "Notes", "source": "meeting_notes", "show": ["private_notes"]}
    ],
}


@pytest.mark.parametrize("field", ["private_notes", "pay_recommendation", "conversation"])
def test_a_stage_file_cannot_reach_a_confidential_field_through_show(field: str) -> None:
    """``show = ["private_notes"]`` in a meeting-notes section is an error naming it, not a leak."""
    data = {**LEAKY, "sections": [{**LEAKY["sections"][0], "show": [field]}]}  # type: ignore[dict-item]
    stage = parse_stage(data, source="our-mid-year.toml")

    with pytest.raises(dc.ValidationError) as raised:
        build_proforma(SAMPLE.cycle, stage, audience="reviewee", as_of=DAY, check=False)
    message = str(raised.value)
    assert "our-mid-year.toml" in message
    assert f"no field {field!r}" in message
    assert "$.sections[0].show[0]" in message
    assert MARKERS["private_notes:headteacher"] not in message


def test_a_stage_file_cannot_show_the_conversation_to_the_headteacher() -> None:
    """A section naming a field its audience may not read is refused, with who may read it."""
    stage = parse_stage(
        {
            "stage": {"id": "mid_year", "title": "Ours", "review_kinds": ["mid_year"]},
            "sections": [{"id": "talk", "title": "Talk", "source": "conversation"}],
        },
        source="ours.toml",
    )

    with pytest.raises(dc.ValidationError, match=r"conversation.wellbeing, which the access"):
        build_proforma(SAMPLE.cycle, stage, audience="headteacher", as_of=DAY, check=False)
    document = build_proforma(SAMPLE.cycle, stage, audience="reviewee", as_of=DAY, check=False)
    assert MARKERS["conversation.wellbeing"] in "\n".join(document.texts())


def test_the_cli_refuses_a_leaky_stage_file_with_exit_2(tmp_path: Path) -> None:
    """Through the command line the same stage file exits 2, naming the file, writing nothing."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with dc.open_store(url) as store:
        service = Services(store)
        service.save_school(
            dc.Actor.system(), SAMPLE.school, [m for m in SAMPLE.staff if m.school_id == "sa"]
        )
        service.save_cycle(dc.Actor.system(), SAMPLE.cycle)
    stages = tmp_path / "stages"
    stages.mkdir()
    (stages / "mid_year.toml").write_text(
        '[stage]\nid = "mid_year"\ntitle = "Ours"\nreview_kinds = ["mid_year"]\n\n'
        '[[sections]]\nid = "notes"\ntitle = "Notes"\nsource = "meeting_notes"\n'
        'show = ["private_notes"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.md"
    args = ["proforma", "--store", url, "--person", "T1", "--stage", "mid_year"]
    args += ["--stage-dir", str(stages), "--format", "md", "--as-of", "2027-07-01", "-o", str(out)]

    assert main([*args, "--as", "reviewee", "--user", "T1"]) == 2
    assert not out.exists()


# ------------------------------------------------------- the audience was self-declared


def test_a_reviewee_cannot_ask_for_the_headteachers_copy(services: Services) -> None:
    """The audience follows from the actor: asking for another is refused, in either API."""
    with pytest.raises(dc.AccessDenied, match="may not see or prepare the headteacher's copy"):
        services.proforma(REVIEWEE, "sa", "C1", "mid_year", as_of=DAY, audience="headteacher")
    with pytest.raises(dc.AccessDenied):
        build_proforma(SAMPLE.cycle, "mid_year", actor=REVIEWEE, audience="headteacher", as_of=DAY)


def test_the_reviewees_own_copy_holds_only_what_they_may_see(services: Services) -> None:
    """Without an audience the reviewee gets their own copy, with no note meant for others."""
    document = services.proforma(REVIEWEE, "sa", "C1", "mid_year", as_of=DAY, check=False)
    text = "\n".join(document.texts())

    assert document.audience == "reviewee"
    assert MARKERS["private_notes:reviewee"] in text
    for hidden in ("private_notes:headteacher", "private_notes:reviewer", "pay_recommendation"):
        assert MARKERS[hidden] not in text


def test_a_colleague_cannot_read_a_cycle_not_theirs(services: Services) -> None:
    """``get_cycle`` (the API view) refuses a colleague; nothing of the cycle is returned."""
    with pytest.raises(dc.AccessDenied) as raised:
        services.get_cycle(COLLEAGUE, "sa", "C1")
    assert not any(marker in str(raised.value) for marker in MARKERS.values())


def test_raw_transactions_are_for_the_system_only(services: Services) -> None:
    """The store itself is policy-free, so the services hand it only to the system role."""
    with pytest.raises(dc.AccessDenied, match="system role only"):
        services.transaction(dc.Actor("H1", "headteacher", school_id="sa"))


def test_an_export_carries_no_more_than_its_reader_may_see(services: Services) -> None:
    """A headteacher's export holds no wellbeing conversation; a reviewee may not export."""
    bundle = services.export(dc.Actor("H1", "headteacher", school_id="sa"), school_ids=["sa"])
    text = repr(bundle)

    assert MARKERS["private_notes:headteacher"] in text
    assert MARKERS["conversation.wellbeing"] not in text
    assert MARKERS["private_notes:reviewee"] not in text
    with pytest.raises(dc.AccessDenied):
        services.export(REVIEWEE, school_ids=["sa"])


# ------------------------------------------ a redacted export restored over the real one


def _confidential(services: Services) -> tuple[object, ...]:
    cycle = services.store.cycles.get("sa", SAMPLE.cycle.id)
    return tuple((r.conversation, r.private_notes) for r in cycle.reviews)


@pytest.mark.parametrize("replace", [True, False])
def test_a_redacted_export_says_so_and_is_never_imported(services: Services, replace: bool) -> None:
    """Regression: a headteacher's export looked like a full bundle, and a system import of
    it with replace=True emptied C1's wellbeing, workload and career conversation and its
    private notes."""
    head = dc.Actor("H1", "headteacher", school_id="sa")
    before = _stored(services)
    confidential = _confidential(services)
    assert MARKERS["conversation.wellbeing"] in repr(confidential)

    bundle = services.export(head, school_ids=["sa"])

    assert bundle["redacted"] is True
    assert bundle["redacted_for"] == "headteacher"
    with pytest.raises(dc.ValidationError, match=r"redacted for the 'headteacher' role") as info:
        services.import_(dc.Actor.system(), bundle, replace=replace)
    assert "@ $.redacted" in str(info.value)
    assert _stored(services) == before
    assert _confidential(services) == confidential


def _unlabelled(services: Services, role: str) -> dict[str, Any]:
    """The bundle of an export as *role*, with the redaction label taken off."""
    user = {"headteacher": "H1", "system": "system"}[role]
    actor = dc.Actor.system() if role == "system" else dc.Actor(user, role, school_id="sa")
    bundle = dict(services.export(actor, school_ids=["sa"]))
    bundle.pop("redacted", None)
    bundle.pop("redacted_for", None)
    return bundle


def _wellbeing_emptied(services: Services) -> dict[str, Any]:
    """A full bundle with one review's wellbeing conversation emptied by hand."""
    bundle = copy.deepcopy(_unlabelled(services, "system"))
    for envelope in bundle["data"]["cycles"]:
        for review in envelope["data"]["reviews"]:
            review["conversation"]["wellbeing"] = ""
    return bundle


@pytest.mark.parametrize(
    "make",
    [lambda s: _unlabelled(s, "headteacher"), _wellbeing_emptied],
    ids=["headteacher-export", "wellbeing-emptied"],
)
def test_an_unlabelled_redacted_bundle_never_empties_confidential_fields(
    services: Services, make: Callable[[Services], dict[str, Any]]
) -> None:
    """Regression (a user trial): a redacted bundle in the older format, without the
    ``redacted`` label (or with it taken off), still emptied C1's conversation and private
    notes on ``import --replace``. The emptying itself now marks it as redacted."""
    before = _stored(services)
    confidential = _confidential(services)
    bundle = make(services)

    with pytest.raises(dc.ValidationError, match="as a redacted export does") as info:
        services.import_(dc.Actor.system(), bundle, replace=True)

    assert ".conversation.wellbeing" in str(info.value)
    assert _stored(services) == before
    assert _confidential(services) == confidential


def test_a_full_export_carries_no_redaction_marker_and_restores(services: Services) -> None:
    """The system's bundle is the backup: unmarked, and it imports as before."""
    bundle = services.export(dc.Actor.system(), school_ids=["sa"])

    assert "redacted" not in bundle
    assert "redacted_for" not in bundle
    assert services.import_(dc.Actor.system(), bundle, replace=True)["cycles"] == 2
    assert MARKERS["conversation.wellbeing"] in repr(_confidential(services))


# ------------------------------ one legitimate call, then fields set behind its back


def _tamper(field: str, by: str) -> Callable[[dc.Cycle], None]:
    """The trial's shape: one legitimate method call, then a field set directly."""

    def change(cycle: dc.Cycle) -> None:
        cycle.add_evidence(by=by, on=DAY, description="A reading log")
        objective = cycle.objectives[0]
        last = cycle.history[-1]
        edits: dict[str, object] = {
            "objectives": (attrs.evolve(objective, statement="Rewritten behind the methods"),),
            "reviews": (),
            "milestones": (),
            "check_ins": (attrs.evolve(objective, check_ins=()),),
            "evidence": cycle.evidence[-1:],
            "history": (*cycle.history[:-1], attrs.evolve(last, detail="another note")),
        }
        target = "objectives" if field == "check_ins" else field
        object.__setattr__(cycle, target, edits[field])

    return change


@pytest.mark.parametrize(
    "field", ["objectives", "reviews", "milestones", "check_ins", "evidence", "history"]
)
@pytest.mark.parametrize(
    "actor", [REVIEWEE, dc.Actor("R1", "reviewer", school_id="sa")], ids=["reviewee", "reviewer"]
)
def test_a_field_set_beside_a_legitimate_call_is_refused_and_nothing_saved(
    services: Services, actor: dc.Actor, field: str
) -> None:
    """Regression: only a change with no method call at all was checked; one add_evidence
    call let the objectives, reviews, milestones, check-ins and evidence be replaced
    directly, saved with only add_evidence in the history and audit fields=()."""
    before = _stored(services)

    with pytest.raises(dc.AccessDenied, match=r"cannot change cycle 'C1' except through its met"):
        services.change_cycle(actor, "sa", "C1", _tamper(field, actor.user_id))

    assert _stored(services) == before


def test_the_legitimate_call_alone_is_saved(services: Services) -> None:
    """The same call without the edits is saved, as before."""
    saved = services.change_cycle(
        REVIEWEE,
        "sa",
        "C1",
        lambda c: c.add_evidence(by="T1", on=DAY, description="A reading log"),
    )

    assert saved.evidence[-1].description == "A reading log"


def test_a_refused_call_caught_by_the_change_does_not_block_the_rest(services: Services) -> None:
    """A failed call changes nothing and is not replayed; the calls that worked are saved."""

    def change(cycle: dc.Cycle) -> None:
        with pytest.raises(dc.DomainError, match="cannot agree_objective"):
            cycle.agree_objective("obj-1", by="T1", on=DAY)  # already agreed
        cycle.add_evidence(by="T1", on=DAY, description="A reading log")
        cycle.add_evidence(by="T1", on=DAY, description="A second log")

    saved = services.change_cycle(REVIEWEE, "sa", "C1", change)

    assert [e.description for e in saved.evidence[-2:]] == ["A reading log", "A second log"]


def test_change_cycles_refuses_a_field_set_beside_a_legitimate_call(services: Services) -> None:
    """The bulk path checks each cycle the same way; the refused batch saves nothing."""
    before = _stored(services)

    with pytest.raises(dc.AccessDenied, match=r"objectives changed otherwise than by the methods"):
        services.change_cycles(dc.Actor.system(), "sa", ["C1"], _tamper("objectives", "R1"))

    assert _stored(services) == before
