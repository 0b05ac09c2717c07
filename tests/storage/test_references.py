"""References that must exist (issue 11, item 4): people, schools, priorities, standards.

Every reference resolves within its own school: in a trust whose schools reuse ids, a
reviewer at one school never satisfies a reference from another. Refused through the
services, bundle imports and roster planning, with a per-record error and nothing written.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.catalogues.templates import template
from devcycle.cli import main
from devcycle.cli.plan import write_cycles
from devcycle.domain.calendar import england_pattern
from devcycle.domain.scheduling import enrol
from devcycle.errors import ValidationError
from devcycle.interop.roster import parse_roster
from devcycle.serialization import from_dict
from devcycle.services import Services
from devcycle.storage.bundle import export_bundle
from devcycle.storage.references import cycle_problems
from devcycle.testing import strategies as dst

SYSTEM = dc.Actor.system()
DAY = date(2026, 9, 10)


def _member(person: str, school: str, **extra: object) -> dc.StaffMember:
    return dc.StaffMember(id=person, name=person, school_id=school, roles={"teacher"}, **extra)  # type: ignore[arg-type]


def _trust(store: dc.Store) -> Services:
    """Two schools of one trust: 'a' has T1 and H1; 'b' has T1 and H9 (ids reused)."""
    services = Services(store)
    plan = (dc.Priority(id="P1", title="Reading"),)
    services.save_school(
        SYSTEM,
        dc.School(id="a", name="A", trust_id="t", priorities=plan),
        [_member("T1", "a"), _member("H1", "a")],
    )
    services.save_school(
        SYSTEM, dc.School(id="b", name="B", trust_id="t"), [_member("T1", "b"), _member("H9", "b")]
    )
    return services


def _cycle(**extra: object) -> dc.Cycle:
    fields: dict[str, object] = {
        "id": "c1",
        "school_id": "a",
        "staff_id": "T1",
        "period_start": date(2026, 9, 1),
        "period_end": date(2027, 8, 31),
    }
    fields.update(extra)
    return dc.Cycle(**fields)  # type: ignore[arg-type]


def test_a_reviewer_of_another_school_is_refused_for_staff() -> None:
    with dc.open_store("memory://") as store:
        services = _trust(store)
        school = store.schools.get("a")
        with pytest.raises(ValidationError) as caught:
            services.save_school(SYSTEM, school, [_member("T2", "a", reviewer_id="H9")])
        assert caught.value.problems[0].path == "$.staff[0].reviewer_id"
        assert "'H9' is not on the staff of school 'a'" in str(caught.value)
        with pytest.raises(ValidationError, match="line_manager_id 'X'"):
            services.save_school(SYSTEM, school, [_member("T2", "a", line_manager_id="X")])
        assert sorted(m.id for m in store.staff.for_school("a")) == ["H1", "T1"]
        # Saved with the school in the same call, a new reviewer is known.
        services.save_school(
            SYSTEM, school, [_member("H2", "a"), _member("T2", "a", reviewer_id="H2")]
        )
        assert store.staff.get("a", "T2").reviewer_id == "H2"


@pytest.mark.parametrize(
    ("cycle", "path", "words"),
    [
        (_cycle(staff_id="H9"), "$.staff_id", "staff_id 'H9' is not on the staff of school 'a'"),
        (_cycle(reviewer_id="H9"), "$.reviewer_id", "reviewer_id 'H9' is not on the staff"),
        (_cycle(school_id="z"), "$.school_id", "school 'z', which is not stored"),
    ],
)
def test_a_cycle_naming_someone_not_on_its_schools_staff_is_refused(
    cycle: dc.Cycle, path: str, words: str
) -> None:
    with dc.open_store("memory://") as store:
        services = _trust(store)
        with pytest.raises(ValidationError) as caught:
            services.save_cycle(SYSTEM, cycle)
        assert caught.value.problems[0].path == path
        assert words in str(caught.value)
        assert store.cycles.for_school("a") == []


def test_tags_to_unknown_priorities_and_standards_are_refused() -> None:
    with dc.open_store("memory://") as store:
        services = _trust(store)
        cycle = _cycle(reviewer_id="H1")
        cycle.start_planning(by="H1", on=DAY)
        cycle.propose_objective(
            by="T1", on=DAY, statement="x", priority_ids=["P2"], standard_ids=["TS99"]
        )
        with pytest.raises(ValidationError) as caught:
            services.save_cycle(SYSTEM, cycle)
        paths = [p.path for p in caught.value.problems]
        assert paths == ["$.objectives[0].priority_ids[0]", "$.objectives[0].standard_ids[0]"]
        assert "expected one of its priorities: P1;" in str(caught.value)

        good = _cycle(reviewer_id="H1")
        good.start_planning(by="H1", on=DAY)
        good.propose_objective(
            by="T1", on=DAY, statement="x", priority_ids=["P1"], standard_ids=["TS2.3"]
        )
        services.save_cycle(SYSTEM, good)
        # School b has no priority P1: the same tag is unknown there.
        other = _cycle(id="c2", school_id="b", reviewer_id="H9")
        other.start_planning(by="H9", on=DAY)
        other.propose_objective(by="T1", on=DAY, statement="x", priority_ids=["P1"])
        with pytest.raises(ValidationError, match="not a priority of school 'b'"):
            services.save_cycle(SYSTEM, other)

        offering = dc.CPDOffering(
            id="o1", school_id="a", title="INSET", kind=dc.CPDKind.COURSE, standard_ids=["nope"]
        )
        with pytest.raises(ValidationError, match=r"@ \$\.cpd_offerings\[0\]\.standard_ids\[0\]"):
            services.save_school(SYSTEM, store.schools.get("a"), cpd_offerings=[offering])


def test_a_change_is_checked_for_the_references_it_adds() -> None:
    with dc.open_store("memory://") as store:
        services = _trust(store)
        services.save_cycle(SYSTEM, _cycle(reviewer_id="H1"))
        with pytest.raises(ValidationError, match="reviewer_id 'H9' is not on the staff"):
            services.act(SYSTEM, "a", "c1", "assign_reviewer", reviewer_id="H9", on=DAY)
        assert store.cycles.get("a", "c1").reviewer_id == "H1"


def test_enrolment_refuses_a_stored_reviewer_who_is_not_on_the_staff() -> None:
    """Staff stored before references were checked: planning no longer makes orphans."""
    with dc.open_store("memory://") as store:
        services = _trust(store)
        store.staff.add(_member("T3", "a", reviewer_id="H9"))
        with pytest.raises(ValidationError, match=r"reviewer 'H9'.*staff of school 'a'"):
            services.enrol(
                SYSTEM,
                "a",
                template("england-teacher"),
                england_pattern(2025, years=3),
                on=DAY,
                year=2026,
            )
        assert store.cycles.for_school("a") == []


# ---------------------------------------------------------------------------------- CLI


def _bundle_file(tmp_path: Path, change: object) -> tuple[Path, str]:
    source, target = f"sqlite:///{tmp_path / 's.db'}", f"sqlite:///{tmp_path / 't.db'}"
    with dc.open_store(source) as store:
        services = _trust(store)
        services.save_cycle(SYSTEM, _cycle(reviewer_id="H1"))
        bundle = export_bundle(store)
    change(bundle)  # type: ignore[operator]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path, target


def _cycle_data(bundle: dict[str, object]) -> dict[str, object]:
    return bundle["data"]["cycles"][0]["data"]  # type: ignore[index, no-any-return]


def _staff_data(bundle: dict[str, object], school: str, person: str) -> dict[str, object]:
    staff = bundle["data"]["staff"]  # type: ignore[index]
    return next(
        s["data"] for s in staff if s["data"]["school_id"] == school and s["data"]["id"] == person
    )  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda b: _cycle_data(b).update(reviewer_id="H9"), "$.data.cycles[0].data.reviewer_id"),
        (lambda b: _cycle_data(b).update(staff_id="H9"), "$.data.cycles[0].data.staff_id"),
        (
            lambda b: _staff_data(b, "a", "T1").update(reviewer_id="H9"),
            "$.data.staff[1].data.reviewer_id",
        ),
        (
            lambda b: _staff_data(b, "a", "T1").update(line_manager_id="H9"),
            "$.data.staff[1].data.line_manager_id",
        ),
    ],
)
def test_import_refuses_a_reference_to_another_schools_person(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: object, path: str
) -> None:
    """H9 is on the staff of school b only: school a's records may not name them."""
    bundle, target = _bundle_file(tmp_path, change)
    capsys.readouterr()

    assert main(["import", "--store", target, str(bundle), "--quiet"]) == 2

    err = capsys.readouterr().err
    assert f"{bundle}: 1 problem found" in err
    assert "'H9' is not on the staff of school 'a'" in err
    assert f"@ {path}" in err
    assert "Traceback" not in err
    with dc.open_store(target) as store:
        assert store.schools.list() == []


def test_import_of_a_trust_whose_schools_reuse_ids_is_accepted(tmp_path: Path) -> None:
    bundle, target = _bundle_file(tmp_path, lambda b: None)
    assert main(["import", "--store", target, str(bundle), "--quiet"]) == 0
    with dc.open_store(target) as store:
        assert store.cycles.get("a", "c1").reviewer_id == "H1"


def _plan(
    capsys: pytest.CaptureFixture[str], url: str, roster: Path, school: str
) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(
        [
            "plan",
            "--store",
            url,
            "--template",
            "england-teacher",
            "--year",
            "2026",
            "--roster",
            str(roster),
            "--school",
            school,
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_a_roster_naming_an_unknown_reviewer_plans_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with dc.open_store(url) as store:
        _trust(store)
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "id,name,roles,reviewer_id\nT5,Ann,teacher,T1\nT6,Bea,teacher,H9\n", encoding="utf-8"
    )

    code, _, err = _plan(capsys, url, roster, "a")

    assert code == 2
    assert f"{roster}: 1 problem found" in err
    assert "reviewer_id 'H9' is not on the staff of school 'a'" in err
    assert "@ row 3, column reviewer_id" in err
    with dc.open_store(url) as store:
        assert store.cycles.for_school("a") == []
        assert sorted(m.id for m in store.staff.for_school("a")) == ["H1", "T1"]

    # In school b, H9 is on the staff (and T1 too): the same roster plans both.
    code, _, err = _plan(capsys, url, roster, "b")
    assert code == 0, err
    with dc.open_store(url) as store:
        reviewers = {c.staff_id: c.reviewer_id for c in store.cycles.for_school("b")}
    assert reviewers == {"T5": "T1", "T6": "H9"}


def test_a_reviewer_named_in_the_roster_is_stored_with_those_they_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A headteacher reviewing teachers is not enrolled in the teacher template, but kept."""
    url = f"sqlite:///{tmp_path / 'd.db'}"
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "id,name,roles,reviewer_id\nH1,Head,headteacher,\nT5,Ann,teacher,H1\n", encoding="utf-8"
    )

    code, _, err = _plan(capsys, url, roster, "oak")

    assert code == 0, err
    with dc.open_store(url) as store:
        assert {m.id for m in store.staff.for_school("oak")} == {"H1", "T5"}
        (cycle,) = store.cycles.for_school("oak")
        assert cycle.reviewer_id == "H1"


def test_one_run_names_every_bad_row_and_a_refused_roster_creates_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown reviewer was reported only once the rows' own problems were fixed, and the
    refused roster left an empty database behind (found trying the CLI as a user)."""
    db = tmp_path / "new.db"
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "id,name,roles,reviewer_id\nH1,Head,headteacher,\nT6,Bea,teacher,ZZZ9\nT7,Cal,teacher,T7\n",
        encoding="utf-8",
    )

    code, _, err = _plan(capsys, f"sqlite:///{db}", roster, "oak")

    assert code == 2
    assert f"{roster}: 2 problems found" in err
    unknown = err.index("reviewer_id 'ZZZ9' is not on the staff of school 'oak'")
    themself = err.index("reviewer_id 'T7' is the person themself")
    assert unknown < themself  # in the file's order: row 3, then row 4
    assert "@ row 3, column reviewer_id" in err
    assert "@ row 4, column reviewer_id" in err
    assert not db.exists()


def test_parse_roster_checks_reviewers_against_the_stored_staff_when_given() -> None:
    text = "id,name,roles,reviewer_id\nT5,Ann,teacher,H1\nT6,Bea,teacher,H2\n"

    assert len(parse_roster(text, school_id="a")) == 2  # reviewers left to the caller
    assert len(parse_roster(text, school_id="a", stored={"H1", "H2"})) == 2
    with pytest.raises(ValidationError) as caught:
        parse_roster(text, school_id="a", stored={"H1"})
    assert [p.message for p in caught.value.problems] == [
        "reviewer_id 'H2' is not on the staff of school 'a' (expected the id of someone in this "
        "roster or already stored for 'a')"
    ]


def _bulk_school(store: dc.Store, teachers: int) -> Services:
    """School 'a': a headteacher H1 (reviewed by governors, not on the staff) and teachers."""
    services = Services(store)
    head = dc.StaffMember(id="H1", name="H1", school_id="a", roles={dc.Role.HEADTEACHER})
    staff = [head] + [_member(f"T{i}", "a", reviewer_id="H1") for i in range(teachers)]
    plan = (dc.Priority(id="P1", title="Reading"),)
    services.save_school(SYSTEM, dc.School(id="a", name="A", priorities=plan), staff)
    services.save_cycle(SYSTEM, _cycle(id="ch", staff_id="H1", reviewer_id="GOV1"))
    for i in range(teachers):
        services.save_cycle(SYSTEM, _cycle(id=f"c{i}", staff_id=f"T{i}", reviewer_id="H1"))
    return services


def _propose(standard: str) -> Callable[[dc.Cycle], None]:
    def change(cycle: dc.Cycle) -> None:
        if cycle.status is dc.CycleStatus.DRAFT:
            cycle.start_planning(by="H1", on=DAY)
        cycle.propose_objective(
            by=cycle.staff_id, on=DAY, statement="x", priority_ids=["P1"], standard_ids=[standard]
        )

    return change


def test_a_bulk_change_checks_standards_of_stored_frameworks_and_governed_heads() -> None:
    """Per-cycle checks see stored frameworks and exempt only a headteacher's reviewer."""
    stored = dc.Framework(
        id="our-standards", title="Ours", standards=(dc.Standard(id="OUR1", title="Ours 1"),)
    )
    with dc.open_store("memory://") as store:
        services = _bulk_school(store, 2)
        store.frameworks.add(stored)
        # A shipped standard, a stored framework's standard; the head's governor reviewer.
        services.change_cycles(SYSTEM, "a", ["ch", "c0"], _propose("TS2.3"))
        services.change_cycles(SYSTEM, "a", ["c1"], _propose("OUR1"))
        assert store.cycles.get("a", "c1").objectives[0].standard_ids == ("OUR1",)
        with pytest.raises(ValidationError, match="standard 'NOPE1' is in no known framework"):
            services.change_cycle(SYSTEM, "a", "c0", _propose("NOPE1"))

        def to_governor(cycle: dc.Cycle) -> None:
            cycle.assign_reviewer("GOV2", by="system", on=DAY)

        services.change_cycles(SYSTEM, "a", ["ch"], to_governor)  # governors review the head
        with pytest.raises(ValidationError, match="reviewer_id 'GOV2' is not on the staff"):
            services.change_cycles(SYSTEM, "a", ["c0"], to_governor)


def test_a_bulk_change_does_work_per_cycle_independent_of_the_school_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 16: each cycle's reference check looked at every staff member (to find the
    headteachers) and read every stored framework, and each batch (each change of one cycle)
    read the whole staff, so that changing N cycles was quadratic in N. Now a change reads
    the staff it names and no framework for a shipped standard."""
    calls = {"has_role": 0, "frameworks": 0, "all staff": 0}
    has_role = dc.StaffMember.has_role

    def counting_has_role(self: dc.StaffMember, role: dc.Role | str) -> bool:
        calls["has_role"] += 1
        return has_role(self, role)

    def counts(teachers: int) -> dict[str, int]:
        with dc.open_store("memory://") as store:
            services = _bulk_school(store, teachers)
            frameworks = type(store.frameworks)
            listing = frameworks.list

            def counting_list(self: Any) -> Any:
                calls["frameworks"] += 1
                return listing(self)

            staff = type(store.staff)
            everyone = staff.for_school

            def counting_for_school(self: Any, school_id: str) -> Any:
                calls["all staff"] += 1
                return everyone(self, school_id)

            calls.update(dict.fromkeys(calls, 0))
            with monkeypatch.context() as patch:
                patch.setattr(dc.StaffMember, "has_role", counting_has_role)
                patch.setattr(frameworks, "list", counting_list)
                patch.setattr(staff, "for_school", counting_for_school)
                services.change_cycles(SYSTEM, "a", ["c0", "c1"], _propose("TS2.3"))
                services.change_cycle(SYSTEM, "a", "c0", _propose("TS2.4"))
                services.act(SYSTEM, "a", "c1", "assign_reviewer", reviewer_id="H1", on=DAY)
            return dict(calls)

    small, large = counts(2), counts(40)
    assert small == large
    assert large["frameworks"] == 0
    assert large["all staff"] == 0


def _plan_bundle_file(tmp_path: Path, change: object) -> tuple[Path, str]:
    """A bundle of the trust with one training-plan entry of school a (owner T1, with H1)."""
    source, target = f"sqlite:///{tmp_path / 's.db'}", f"sqlite:///{tmp_path / 't.db'}"
    with dc.open_store(source) as store:
        services = _trust(store)
        entry = dc.TrainingPlanEntry(
            id="e1",
            school_id="a",
            title="Phonics",
            dates=(date(2026, 10, 5),),
            owner_id="T1",
            participant_ids=("H1",),
        )
        services.plan_training(SYSTEM, "a", [entry])
        bundle = export_bundle(store)
    change(bundle["data"]["training_plan"][0]["data"])  # type: ignore[index, operator]
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path, target


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda e: e.update(owner_id="H9"),
            "owner 'H9' is not a member of staff of 'a'",
        ),
        (
            lambda e: e.update(participant_ids=["H1", "H9"]),
            "participant(s) H9 not members of staff of 'a'",
        ),
    ],
)
def test_import_refuses_a_training_plan_entry_naming_someone_not_on_the_staff(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: object, message: str
) -> None:
    """A bundle's training plan is held to the rules plan_training enforces (the same words).

    Regression: a bundle import accepted an entry whose owner or participants were not
    staff of its school, which `school plan-training` refuses.
    """
    bundle, target = _plan_bundle_file(tmp_path, change)
    field = "owner_id" if "owner" in message else "participant_ids"
    capsys.readouterr()

    assert main(["import", "--store", target, str(bundle), "--quiet"]) == 2

    err = capsys.readouterr().err
    assert f"{bundle}: 1 problem found" in err
    assert message in err
    assert f"@ $.data.training_plan[0].data.{field}" in err
    assert "Traceback" not in err
    with dc.open_store(target) as store:
        assert store.schools.list() == []
    entry = json.loads(bundle.read_text(encoding="utf-8"))["data"]["training_plan"][0]["data"]
    with dc.open_store("memory://") as store, pytest.raises(ValidationError) as refused:
        _trust(store).plan_training(SYSTEM, "a", [from_dict(entry, dc.TrainingPlanEntry)])
    assert message in str(refused.value)
    assert f"@ entries[0].{field}" in str(refused.value)


def test_import_accepts_a_training_plan_of_the_schools_own_staff(tmp_path: Path) -> None:
    bundle, target = _plan_bundle_file(tmp_path, lambda e: None)
    assert main(["import", "--store", target, str(bundle), "--quiet"]) == 0
    with dc.open_store(target) as store:
        assert store.training_plan.get("a", "e1").participant_ids == ("H1",)


def test_write_cycles_refuses_people_or_cycles_naming_someone_it_would_not_store() -> None:
    """What plan --roster saves, the store's export imports: a line manager (or reviewer)
    neither stored nor on the roster is refused before anything is written."""
    people = [
        _member("T1", "a", reviewer_id="H1", line_manager_id="LM9"),
        _member("T2", "a", reviewer_id="R9"),
        dc.StaffMember(id="H1", name="H1", school_id="a", roles={"headteacher"}),  # type: ignore[arg-type]
    ]
    schedules = enrol(
        template("england-teacher"), england_pattern(2025, years=3), people, year=2026
    )
    with dc.open_store("memory://") as store:
        with pytest.raises(ValidationError) as refused:
            write_cycles(
                store,
                schedules,
                people,
                school_id="a",
                by="test",
                on=DAY,
                school=dc.School(id="a", name="A"),
            )
        text = str(refused.value)
        assert "line_manager_id 'LM9' is not on the staff of school 'a'" in text
        assert "@ $.staff[0].line_manager_id" in text
        assert "reviewer_id 'R9' is not on the staff of school 'a'" in text
        assert "reviewer_id 'R9' of cycle '2026-T2-england-teacher'" in text
        assert store.schools.list() == []
        assert store.staff.for_school("a") == []

        fine = [attrs.evolve(people[0], line_manager_id=None), people[2]]
        result = write_cycles(
            store,
            enrol(template("england-teacher"), england_pattern(2025, years=3), fine, year=2026),
            fine,
            school_id="a",
            by="test",
            on=DAY,
            school=dc.School(id="a", name="A"),
        )
        assert [c.staff_id for c in result.created] == ["T1"]
        assert {m.id for m in store.staff.for_school("a")} == {"T1", "H1"}


@given(dst.cycles(), st.sets(st.sampled_from(["T1", "T2", "H1", "R1"])), st.booleans())
def test_a_cycle_whose_references_were_all_held_before_has_no_problems_either_way(
    cycle: Any, staff_ids: set[str], governed: bool
) -> None:
    # The shortcut (the very same objectives, owner and reviewer: nothing checked) gives
    # what the checks give when they run (an equal but not identical objectives tuple).
    same = copy.copy(cycle)
    equal = copy.copy(cycle)
    object.__setattr__(equal, "objectives", (*cycle.objectives,))
    assert equal.objectives is not cycle.objectives or not cycle.objectives
    kwargs: dict[str, Any] = {
        "staff_ids": staff_ids,
        "priorities": set(),
        "standards": set(),
        "governed": {cycle.staff_id} if governed else (),
    }
    checked = cycle_problems(cycle, before=equal, **kwargs)
    assert cycle_problems(cycle, before=same, **kwargs) == checked == []
