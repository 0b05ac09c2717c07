"""Reports without a school: every school the actor may report on, in a store of several trusts.

A trust leader's report covers their own trust's schools and only those, even when the same
store holds another trust's school (which they are refused); the schools reuse every staff,
team and cycle id, so each row must stay its own school's (issue: trust-wide reports).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import attrs
import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.errors import AccessDenied
from devcycle.reports import ReportInputError, Scope
from devcycle.services import Services
from devcycle.testing.store_contract import sample_school

AS_OF = date(2027, 2, 1)
TRUSTS = {"north": "rivers", "south": "rivers", "peak": "hills"}


def _fill(store: dc.Store) -> None:
    """Three schools reusing every id: north and south of trust rivers, peak of trust hills.

    Each school's staff and objectives are named after it, so a leak shows as a name.
    """
    with store.transaction(by="system") as tx:
        for school_id, trust_id in TRUSTS.items():
            school, staff, cycles, cpd = sample_school(school_id)
            tx.schools.add(attrs.evolve(school, name=f"{school_id} school", trust_id=trust_id))
            tx.staff.add_all([attrs.evolve(m, name=f"{m.name} of {school_id}") for m in staff])
            tx.cycles.add_all(cycles)
            tx.cpd.add_all(cpd)
        tx.trusts.add(dc.Trust(id="rivers", name="Two Rivers Trust"))
        tx.trusts.add(dc.Trust(id="hills", name="Hills Trust"))
        tx.commit()


@pytest.fixture
def services() -> Services:
    store = dc.open_store("memory://")
    _fill(store)
    return Services(store)


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'trusts.db'}"
    with dc.open_store(url) as store:
        _fill(store)
    return url


def _people(report: object) -> list[tuple[str, str, str]]:
    return sorted((p.school_id, p.staff_id, p.name) for p in report.people)  # type: ignore[attr-defined]


def test_a_trust_leader_gets_their_trust_s_schools_only(services: Services) -> None:
    """No school given: the leader's two schools, never the other trust's peak."""
    leader = dc.Actor("L1", "trust_leader", trust_id="rivers")

    assert [s.id for s in services.report_schools(leader)] == ["north", "south"]
    report = services.report(leader, "progress", as_of=AS_OF)

    assert report.scope.school_ids == ("north", "south")
    assert report.scope.level == "trust"
    people = _people(report)
    assert {school for school, _, _ in people} == {"north", "south"}
    # the same ids in both schools, each with its own school's record
    assert [(s, i) for s, i, _ in people] == [
        (school, staff_id) for school in ("north", "south") for staff_id in ("H1", "T1", "T2")
    ]
    assert all(name.endswith(f"of {school}") for school, _, name in people)
    other = dc.Actor("L2", "trust_leader", trust_id="hills")
    assert [p[0] for p in _people(services.report(other, "progress", as_of=AS_OF))] == ["peak"] * 3


def test_a_trust_leader_is_still_refused_another_trust_s_school(services: Services) -> None:
    leader = dc.Actor("L1", "trust_leader", trust_id="rivers")

    with pytest.raises(AccessDenied, match="own trust"):
        services.report(leader, "progress", "peak", as_of=AS_OF)


def test_a_headteacher_s_report_without_a_school_is_their_own_school(services: Services) -> None:
    """H1 is a headteacher in every school (ids are reused): theirs alone is reported."""
    head = dc.Actor("H1", "headteacher", school_id="south")

    report = services.report(head, "progress", as_of=AS_OF)

    assert report.scope.school_ids == ("south",)
    assert {school for school, _, _ in _people(report)} == {"south"}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (dc.Actor("L9", "trust_leader", trust_id="mountains"), "no stored school is in trust"),
        (dc.Actor("L9", "trust_leader"), "name the trust"),
        (dc.Actor("H1", "headteacher"), "reports on their own school; name it"),
        (dc.Actor("T1", "reviewee", school_id="north"), "does not let a reviewee report"),
        (dc.Actor("A1", "school_admin", school_id="elm"), "'elm', which is not stored"),
        (dc.Actor("D1", "auditor"), "own school or trust; name one"),
    ],
)
def test_no_school_to_report_on_is_a_clear_refusal(
    services: Services, actor: dc.Actor, expected: str
) -> None:
    with pytest.raises(AccessDenied, match=expected):
        services.report(actor, "progress", as_of=AS_OF)


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_reports_on_a_trust_leader_s_trust_in_a_store_of_several_trusts(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``devcycle report`` without --school, as a trust leader: their trust, exit 0."""
    code, out, err = _run(
        capsys,
        *("report", "progress", "--store", url, "--as-of", "2027-02-01", "--format", "json"),
        *("--as", "trust_leader", "--user", "L1", "--trust-id", "rivers"),
    )

    assert code == 0, err
    result = json.loads(out)
    assert result["scope"]["school_ids"] == ["north", "south"]
    assert "peak" not in out
    assert {p["school_id"] for p in result["people"]} == {"north", "south"}


def test_the_cli_refuses_clearly_when_there_is_no_school_to_report_on(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("report", "progress", "--store", url, "--as-of", "2027-02-01")

    code, out, err = _run(capsys, *args, "--as", "trust_leader", "--user", "L1")
    assert code == 2
    assert "--trust-id" in err
    assert "Traceback" not in err
    assert out == ""

    code, out, err = _run(capsys, *args, "--as", "headteacher", "--user", "H1")
    assert code == 2
    assert "--school" in err
    assert out == ""


def test_the_cli_headteacher_with_a_school_sees_that_school_only(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(
        capsys,
        *("report", "progress", "--store", url, "--as-of", "2027-02-01", "--format", "json"),
        *("--as", "headteacher", "--user", "H1", "--school", "north"),
    )

    assert code == 0, err
    assert {p["school_id"] for p in json.loads(out)["people"]} == {"north"}
    assert "of south" not in out
    assert "of peak" not in out


def test_a_team_id_two_of_the_trust_s_schools_use_names_only_those(services: Services) -> None:
    """ks2 is in all three schools: the leader is told of their two, never of peak."""
    leader = dc.Actor("L1", "trust_leader", trust_id="rivers")

    with pytest.raises(ReportInputError) as raised:
        services.report(leader, "progress", as_of=AS_OF, scope=Scope(team_id="ks2"))

    assert "north" in str(raised.value)
    assert "south" in str(raised.value)
    assert "peak" not in str(raised.value)


def test_an_unknown_school_suggests_only_schools_the_actor_may_report_on(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        capsys,
        *("report", "progress", "--store", url, "--as-of", "2027-02-01", "--school", "pea"),
        *("--as", "trust_leader", "--user", "L1", "--trust-id", "rivers"),
    )

    assert code == 2
    assert "no school 'pea'" in err
    assert "peak" not in err


def test_a_proforma_without_a_school_is_not_every_school_s_namesake(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--as reviewee --user T1`` with no --school is not T1 of every school.

    Before, each school's T1 got a proforma, the actor taken to act in every school in turn;
    a school-scoped actor now names their school, and one who does gets their own only.
    """
    args = ("proforma", "--store", url, "--person", "T1", "--stage", "mid_year")
    args += ("--as-of", "2027-02-01", "--format", "json", "--as", "reviewee", "--user", "T1")

    code, out, err = _run(capsys, *args, "-o", str(tmp_path / "all"))
    assert code == 2
    assert "--school" in err
    assert not (tmp_path / "all").exists() or not any((tmp_path / "all").iterdir())

    code, out, err = _run(capsys, *args, "--school", "north", "-o", "-")
    assert code == 0, err
    assert "of north" in out
    assert "of south" not in out
    assert "of peak" not in out


def test_a_headteacher_s_proformas_for_everyone_are_their_school_s(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--all for a headteacher of north: north's staff, none of the namesakes elsewhere."""
    out_dir = tmp_path / "proformas"
    code, _, err = _run(
        capsys,
        *("proforma", "--store", url, "--all", "--stage", "mid_year", "--as-of", "2027-02-01"),
        *("--format", "json", "--as", "headteacher", "--user", "H1", "--school", "north"),
        *("--audience", "headteacher", "-o", f"{out_dir}/"),
    )
    assert code == 0, err
    text = " ".join(p.read_text(encoding="utf-8") for p in out_dir.rglob("*") if p.is_file())
    assert "of north" in text
    assert "of south" not in text
    assert "of peak" not in text
