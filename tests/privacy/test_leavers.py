"""Leavers: recording a leaving date on the CLI starts the retention clock, end to end.

The retention rules count appraisal records from the end of employment. A leaver's staff
record is kept (sync and the roster keep it), so the end of employment is their recorded
``leaving_date``: `devcycle person leave`, through `Services.record_leaver`, under the
access policy and logged, or a roster's ``leaving_date`` column.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.catalogues.templates import template
from devcycle.cli import main
from devcycle.domain.calendar import england_pattern
from devcycle.domain.scheduling import enrol
from devcycle.errors import AccessDenied, NotFoundError, ValidationError
from devcycle.interop.roster import parse_roster
from devcycle.privacy import erase, retention_plan
from devcycle.services import Services

ROSTER = (
    "id,name,roles,reviewer_id,start_date\n"
    "H1,Sam Head,headteacher,,\n"
    "T1,Anna Patel,teacher,H1,\n"
    "T2,Ben Okafor,teacher,H1,2026-01-05\n"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def planned(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A school 'oak' planned from a three-person roster for 2026."""
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    code, _, err = run(
        capsys,
        *("plan", "--store", url, "--template", "england-teacher", "--year", "2026"),
        *("--roster", str(roster), "--school", "oak"),
    )
    assert code == 0, err
    return url


def _due(capsys: pytest.CaptureFixture[str], url: str, on: str) -> list[dict[str, str]]:
    code, out, err = run(
        capsys, "retention", "plan", "--store", url, "--school", "oak", "--as-of", on, "--format",
        "json",
    )  # fmt: skip
    assert code == 0, err
    return [d for d in json.loads(out)["due"] if d["kind"] == "cycle"]


def test_a_leaver_recorded_on_the_cli_is_due_six_years_after_their_last_day(
    planned: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`person leave --on` starts the clock the docs promise: due six years after that day."""
    assert _due(capsys, planned, "2060-01-01") == []  # nobody has left: nothing is due

    code, out, err = run(
        capsys,
        *("person", "leave", "--store", planned, "--school", "oak", "T1"),
        *("--on", "2027-07-31", "--as", "headteacher", "--user", "H1"),
    )

    assert code == 0, err
    assert "T1 leaves oak on 2027-07-31" in out
    assert _due(capsys, planned, "2033-07-30") == []
    due = _due(capsys, planned, "2033-07-31")
    assert [(d["id"], d["person"], d["anchor"], d["due"]) for d in due] == [
        ("2026-T1-england-teacher", "T1", "2027-07-31", "2033-07-31")
    ]
    with dc.open_store(planned) as store:
        assert store.staff.get("oak", "T1").leaving_date == date(2027, 7, 31)  # kept
        entry = store.audit.query("oak", kind="staff")[-1]
        assert (entry.action, entry.record_id, entry.actor, entry.role) == (
            "update",
            "T1",
            "H1",
            "headteacher",
        )
        assert "leaving_date" in entry.fields


def test_clearing_a_leaving_date_keeps_the_records(
    planned: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A leaving date recorded in error is cleared: the person is employed again."""
    base = ("person", "leave", "--store", planned, "--school", "oak", "T1")
    assert run(capsys, *base, "--on", "2027-07-31")[0] == 0
    assert run(capsys, *base, "--clear")[0] == 0

    assert _due(capsys, planned, "2060-01-01") == []


def test_recording_a_leaver_is_under_the_policy_and_refuses_bad_input(
    planned: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A reviewee may not; an unknown person, a day before they joined, no day: exit 2."""
    base = ("person", "leave", "--store", planned, "--school", "oak")
    code, _, err = run(
        capsys, *base, "T1", "--on", "2027-07-31", "--as", "reviewee", "--user", "T2"
    )
    assert code == 2
    assert "write_staff" in err
    code, _, err = run(capsys, *base, "T9", "--on", "2027-07-31")
    assert code == 2
    assert "no staff member 'T9'" in err
    code, _, err = run(capsys, *base, "T2", "--on", "2025-12-31")
    assert code == 2
    assert "before 'T2' joined (2026-01-05)" in err
    assert run(capsys, *base, "T1")[0] == 2
    assert run(capsys, *base, "T1", "--on", "2027-07-31", "--clear")[0] == 2
    with dc.open_store(planned) as store:
        assert all(m.leaving_date is None for m in store.staff.for_school("oak"))


def test_services_record_leaver_checks_the_actor_and_the_person(planned: str) -> None:
    with dc.open_store(planned) as store:
        services = Services(store)
        head = dc.Actor("H1", "headteacher", school_id="oak")
        with pytest.raises(AccessDenied):
            services.record_leaver(
                dc.Actor("T2", "reviewee", school_id="oak"), "oak", "T1", date(2027, 7, 31)
            )
        with pytest.raises(NotFoundError):
            services.record_leaver(head, "oak", "T9", date(2027, 7, 31))
        with pytest.raises(ValidationError, match="leaving_date"):
            services.record_leaver(head, "oak", "T1", "2027-07-31")  # type: ignore[arg-type]
        saved = services.record_leaver(head, "oak", "T1", date(2027, 7, 31))
        assert saved.leaving_date == date(2027, 7, 31)
        assert services.record_leaver(head, "oak", "T1", date(2027, 7, 31)).version == saved.version


def test_an_erased_leaver_still_falls_due(planned: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Erasure renames the person (by design) and keeps the leaving date: retention still runs."""
    assert run(capsys, "person", "leave", "--store", planned, "--school", "oak", "T1", "--on",
               "2027-07-31")[0] == 0  # fmt: skip
    with dc.open_store(planned) as store:
        result = erase(store, "oak", "T1", by="H1", role="headteacher")
        due = retention_plan(store, "oak", date(2033, 7, 31))
    assert [(d.kind, d.person, d.due) for d in due if d.kind == "cycle"] == [
        ("cycle", result.pseudonym, date(2033, 7, 31))
    ]


def test_the_roster_carries_a_leaving_date_and_no_cycle_is_planned_after_it(
    planned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A roster's leaving_date column is stored; a period starting after it plans no cycle."""
    roster = tmp_path / "leavers.csv"
    roster.write_text(
        ROSTER.replace("start_date\n", "start_date,leaving_date\n", 1)
        .replace("H1,\n", "H1,,2027-07-31 00:00:00\n", 1)
        .replace("2026-01-05\n", "2026-01-05,\n"),
        encoding="utf-8",
    )
    code, out, err = run(
        capsys,
        *("plan", "--store", planned, "--template", "england-teacher", "--year", "2027"),
        *("--roster", str(roster), "--school", "oak"),
    )

    assert code == 0, err
    assert "2027-T1" not in out
    assert "2027-T2-england-teacher" in out
    with dc.open_store(planned) as store:
        assert store.staff.get("oak", "T1").leaving_date == date(2027, 7, 31)
    assert [d["id"] for d in _due(capsys, planned, "2033-07-31")] == ["2026-T1-england-teacher"]


def test_a_leaver_recorded_on_the_cli_is_not_planned_again_from_the_old_roster(
    planned: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A roster without the column leaves the stored leaving date alone, and honours it."""
    assert run(capsys, "person", "leave", "--store", planned, "--school", "oak", "T1", "--on",
               "2027-07-31")[0] == 0  # fmt: skip
    roster = tmp_path / "same.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    code, out, err = run(
        capsys,
        *("plan", "--store", planned, "--template", "england-teacher", "--year", "2027"),
        *("--roster", str(roster), "--school", "oak"),
    )

    assert code == 0, err
    assert "2027-T1" not in out
    with dc.open_store(planned) as store:
        assert store.staff.get("oak", "T1").leaving_date == date(2027, 7, 31)
        assert {c.id for c in store.cycles.for_school("oak")} == {
            "2026-T1-england-teacher",
            "2026-T2-england-teacher",
            "2027-T2-england-teacher",
        }


def test_a_roster_leaving_date_before_the_start_date_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"leaving_date 2025-01-01 is before start_date"):
        parse_roster(
            "id,name,roles,start_date,leaving_date\nT1,Anna,teacher,2026-01-05,2025-01-01\n",
            school_id="oak",
        )


def test_enrol_skips_only_those_who_left_before_the_period_starts() -> None:
    """Services.enrol and plan_cycles plan through `enrol`: a leaver of last year has no
    cycle; someone leaving during the period still has one."""

    def teacher(staff_id: str, left: date | None) -> dc.StaffMember:
        return dc.StaffMember(
            id=staff_id, name=staff_id, school_id="oak", roles={"teacher"}, leaving_date=left
        )

    teachers = template("england-teacher")
    staff = [
        teacher("T1", date(2026, 7, 31)),
        teacher("T2", date(2027, 3, 31)),
        teacher("T3", None),
    ]
    schedules = enrol(teachers, england_pattern(2026, years=2), staff, year=2026)

    assert [s.staff_id for s in schedules] == ["T2", "T3"]
