"""The template, calendar and plan commands, run in-process through devcycle.cli.main."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import icalendar
import pytest

from devcycle.catalogues.templates import template_names
from devcycle.cli import main
from devcycle.cli.school import school_from_roster
from devcycle.domain import (
    KPI,
    CPDBudget,
    Milestone,
    Policy,
    Priority,
    Role,
    School,
    StaffMember,
    Team,
    TeamMilestone,
)
from devcycle.domain.milestones import MilestoneKind
from devcycle.interop.calendars import load_calendar
from devcycle.storage import open_store

ROSTER = """id,name,roles,fte,teams,reviewer_id,start_date,email
T1,Anna Patel,teacher,1,maths,H1,,
T2,Ben Okafor,teacher;middle_leader,0.6,maths,H1,2027-01-04,
H1,Dee Head,headteacher,1,,,,
"""

BAD_ROSTER = """id,name,roles,fte,teams,reviewer_id,start_date,email
T1,Anna Patel,teacher,1,,H1,,
T2,Ben Okafor,teachr,1,,H1,,
T3,Cara Jones,teacher,1,,H1,2026-13-01,
T1,Dan Smith,teacher,1,,H1,,
"""


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return f"json:///{tmp_path / 'store'}"


def test_template_list_names_every_built_in(capsys: pytest.CaptureFixture[str]) -> None:
    """template list shows each template with its title."""
    assert main(["template", "list"]) == 0

    out = capsys.readouterr().out
    assert "england-ect-induction  England: ECT induction (two years)" in out
    assert "wales-teacher" in out


def test_template_show_gives_basis_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    """template show prints each milestone's rule, basis and source."""
    assert main(["template", "show", "england-teacher"]) == 0

    out = capsys.readouterr().out
    assert "when: date:10-31 (earlier if shut)" in out
    assert "basis: former statutory" in out
    assert "source: https://neu.org.uk/advice/appraisal-review-meetings" in out


def test_template_new_writes_an_editable_copy_that_plan_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copied template file can be edited and planned from."""
    target = tmp_path / "ours.toml"
    assert main(["template", "new", "ours", "--from", "wales-teacher", "-o", str(target)]) == 0
    target.write_text(
        target.read_text(encoding="utf-8").replace("offset = -15", "offset = -20"), encoding="utf-8"
    )

    assert main(["plan", "--template", str(target), "--year", "2026"]) == 0

    out = capsys.readouterr().out
    assert "Appraisal review" in out
    assert main(["template", "new", "ours", "--from", "wales-teacher", "-o", str(target)]) == 2


def test_calendar_england_writes_an_approximate_calendar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The generated file loads back and says it is approximate."""
    target = tmp_path / "cal.toml"

    assert main(["calendar", "england", "--year", "2026", "-o", str(target)]) == 0

    calendar = load_calendar(target)
    assert calendar.approximate
    assert not calendar.is_school_day(date(2027, 3, 29))  # Easter Monday
    assert "APPROXIMATE" in capsys.readouterr().err


def test_plan_with_a_roster_writes_one_cycle_per_person(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Teachers on the roster are enrolled and their cycles saved; the head is not."""
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER, encoding="utf-8")

    code = main(
        [
            "plan",
            "--template",
            "england-teacher",
            "--year",
            "2026",
            "--roster",
            str(roster),
            "--school",
            "stm",
            "--store",
            store_url,
        ]
    )

    assert code == 0
    out = capsys.readouterr().out
    assert "2 of 3 staff enrolled in england-teacher." in out
    with open_store(store_url) as store:
        cycles = store.cycles.for_school("stm")
        assert sorted(c.staff_id for c in cycles) == ["T1", "T2"]
        assert all(c.reviewer_id == "H1" for c in cycles)
        assert store.staff.get("stm", "T2").start_date == date(2027, 1, 4)


def test_plan_with_a_bad_roster_reports_every_row_and_writes_nothing(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unknown role, bad date and duplicate id are each reported; no cycle is written."""
    roster = tmp_path / "staff.csv"
    roster.write_text(BAD_ROSTER, encoding="utf-8")

    code = main(
        [
            "plan",
            "--template",
            "england-teacher",
            "--year",
            "2026",
            "--roster",
            str(roster),
            "--school",
            "stm",
            "--store",
            store_url,
        ]
    )

    assert code == 2
    err = capsys.readouterr().err
    # Three bad rows, and H1 (every row's reviewer) is neither in the roster nor stored.
    assert "7 problems found" in err
    assert "reviewer_id 'H1' is not on the staff of school 'stm'" in err
    assert "unknown role 'teachr'" in err
    assert "@ row 3, column roles" in err
    assert "(got '2026-13-01') @ row 4, column start_date" in err
    assert "duplicate id 'T1' (first on row 2) @ row 5, column id" in err
    with open_store(store_url) as store:
        assert store.cycles.for_school("stm") == []


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_start_date_after_the_period_names_the_roster_file_row_and_column(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str], dry_run: bool
) -> None:
    """Regression (a user trial): a joiner's start date after the period was a bare
    sentence, naming neither the roster nor the row, unlike every other roster problem."""
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "id,name,roles,reviewer_id,start_date\n"
        "H1,Hana Head,headteacher,,\n"
        "\n"
        "T1,Tom Teach,teacher,H1,2031-01-05\n",
        encoding="utf-8",
    )
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(roster)]
    args += ["--school", "stm", "--store", store_url, *(["--dry-run"] if dry_run else [])]

    assert main(args) == 2

    err = capsys.readouterr().err
    assert f"error: {roster}: 1 problem found:" in err
    assert "T1 joined on 2031-01-05, after the last school day of the period" in err
    assert "@ row 4, column start_date" in err  # the file's own line: the blank one counts
    assert "Traceback" not in err
    with open_store(store_url) as store:
        assert store.cycles.for_school("stm") == []


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_fte_too_low_for_a_pro_rata_template_names_the_roster_file_row_and_column(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str], dry_run: bool
) -> None:
    """Regression (a script author's trial): "E1's FTE is 0.001: ..." named neither the
    roster file nor the row, unlike every other roster problem."""
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "id,name,roles,fte,reviewer_id\n"
        "H1,Hana Head,headteacher,1,\n"
        "\n"
        'E1,"Cara\nJones",early_career_teacher,0.001,H1\n',
        encoding="utf-8",
    )
    args = ["plan", "--template", "england-ect-induction", "--year", "2027"]
    args += ["--roster", str(roster), "--school", "stm", "--store", store_url]

    assert main([*args, *(["--dry-run"] if dry_run else [])]) == 2

    err = capsys.readouterr().err
    assert f"error: {roster}: 1 problem found:" in err
    assert "E1's FTE is 0.001" in err
    assert "an FTE of at least 0.1 is needed" in err
    assert "@ row 5, column fte" in err  # the file's own line: blank and multi-line count
    assert "Traceback" not in err
    with open_store(store_url) as store:
        assert store.cycles.for_school("stm") == []


def test_planning_the_same_roster_twice_writes_nothing_the_second_time(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cycles already stored are left alone: the second run writes nothing and says so."""
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    args = [
        "plan",
        "--template",
        "england-teacher",
        "--year",
        "2026",
        "--roster",
        str(roster),
        "--school",
        "stm",
        "--store",
        store_url,
    ]
    assert main(args) == 0
    capsys.readouterr()

    assert main(args) == 0

    out = capsys.readouterr().out
    assert "Left alone 2 cycles already planned:" in out
    assert "Nothing new to write." in out
    with open_store(store_url) as store:
        assert len(store.cycles.for_school("stm")) == 2


def test_calendar_export_writes_ics_and_the_at_a_glance_table(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A person's export parses as iCalendar; the table marks overdue milestones."""
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    main(
        [
            "plan",
            "--template",
            "england-teacher",
            "--year",
            "2026",
            "--roster",
            str(roster),
            "--school",
            "stm",
            "--store",
            store_url,
        ]
    )
    target = tmp_path / "t1.ics"

    assert (
        main(
            [
                "calendar",
                "export",
                "--school",
                "stm",
                "--staff",
                "T1",
                "--store",
                store_url,
                "-o",
                str(target),
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "calendar",
                "export",
                "--format",
                "table",
                "--school",
                "stm",
                "--store",
                store_url,
                "--as-of",
                "2026-10-20",
            ]
        )
        == 0
    )

    events = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    # Ten milestones: the pay decision is not one, as the school's policy links no pay.
    assert len(events) == 10
    out = capsys.readouterr().out
    assert "Anna Patel               OVERDUE  2026-09-01" in out
    assert "Ben Okafor               due      2027-02-01" in out


def test_plan_uses_a_school_calendar_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --calendar, dates come from the school's own file, not the approximate pattern."""
    calendar_file = tmp_path / "terms.csv"
    calendar_file.write_text(
        "kind,name,start,end\n"
        "term,autumn,2026-09-02,2026-12-18\n"
        "half_term,,2026-10-26,2026-10-30\n"
        "term,spring,2027-01-04,2027-03-25\n"
        "half_term,,2027-02-15,2027-02-19\n"
        "term,summer,2027-04-12,2027-07-21\n"
        "half_term,,2027-05-31,2027-06-04\n"
        "closure,Polling station,2026-10-23,\n",
        encoding="utf-8",
    )

    code = main(
        [
            "plan",
            "--template",
            "england-teacher",
            "--year",
            "2026",
            "--calendar",
            str(calendar_file),
        ]
    )

    assert code == 0
    captured = capsys.readouterr()
    assert "2026-10-22 Thu  Planning meeting" in captured.out
    assert "APPROXIMATE" not in captured.err


def test_an_unknown_template_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt template name exits 2 and lists the known ones."""
    assert main(["template", "show", "england-teachers"]) == 2

    assert "england-teacher" in capsys.readouterr().err


def test_a_dry_run_checks_reviewers_as_saving_would(
    tmp_path: Path, store_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dry run read no store, so a reviewer neither in the roster nor stored passed it and
    failed only when saved (found by a script author's trial); a stored reviewer passes."""
    first = tmp_path / "first.csv"
    first.write_text(ROSTER, encoding="utf-8")
    plan = ["plan", "--template", "england-teacher", "--year", "2026", "--store", store_url]
    assert main([*plan, "--roster", str(first)]) == 0
    joiners = tmp_path / "joiners.csv"
    joiners.write_text(
        "id,name,roles,reviewer_id\nT7,Tia New,teacher,H1\nT8,Tom New,teacher,ZZ\n",
        encoding="utf-8",
    )
    capsys.readouterr()

    assert main([*plan, "--roster", str(joiners), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "reviewer_id 'ZZ' is not on the staff" in err
    assert "@ row 3, column reviewer_id" in err
    assert "'H1'" not in err  # stored, so a fine reviewer
    joiners.write_text("id,name,roles,reviewer_id\nT7,Tia New,teacher,H1\n", encoding="utf-8")
    assert main([*plan, "--roster", str(joiners), "--dry-run"]) == 0
    assert "against the roster and the staff stored for 'school'" in capsys.readouterr().err
    with open_store(store_url) as opened:
        assert {m.id for m in opened.staff.for_school("school")} == {"T1", "T2", "H1"}


def test_a_dry_run_without_a_store_checks_reviewers_against_the_roster_and_makes_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = tmp_path / "staff.csv"
    roster.write_text("id,name,roles,reviewer_id\nT7,Tia New,teacher,H1\n", encoding="utf-8")
    db = tmp_path / "none.db"
    plan = ["plan", "--template", "england-teacher", "--year", "2026", "--dry-run"]

    assert main([*plan, "--roster", str(roster), "--store", f"sqlite:///{db}"]) == 2

    assert "reviewer_id 'H1' is not on the staff" in capsys.readouterr().err
    assert not db.exists()


@pytest.mark.parametrize(
    ("days", "phrase"),
    [(0, "0 school days"), (1, "1 school day"), (3, "3 school days"), (-1, "1 school day ago")],
)
def test_the_at_a_glance_table_counts_school_days_in_words(days: int, phrase: str) -> None:
    """One school day is singular, and a milestone past due says how long ago (it said "-1")."""
    from devcycle.cli.plan import _school_days

    assert _school_days(days) == phrase


def test_plan_refuses_a_team_nobody_in_the_roster_is_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--team`` with a typo enrolled nobody and exited 0; it is a usage error naming the teams."""
    roster = tmp_path / "staff.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    store = tmp_path / "dc.db"
    args = ["plan", "--template", "england-teacher", "--year", "2026", "--school", "stm"]

    code = main([*args, "--roster", str(roster), "--team", "math", "--store", f"sqlite:///{store}"])

    assert code == 2
    err = capsys.readouterr().err
    assert f"nobody in {roster} is in team 'math'; did you mean 'maths'?" in err
    assert "the roster's teams: maths" in err
    assert not store.exists()


def _school_with_every_field_set() -> School:
    """A school whose every field differs from its default (a new field must be set here)."""
    kept = School(
        id="stm",
        name="St Mary's",
        trust_id="tr1",
        priorities=(Priority("P1", "Reading", kpis=(KPI("K1", "Reading age", target=9.0),)),),
        teams=(Team("maths", "Maths"),),
        country="wales",
        policy=Policy(pay_recommendations=True, max_objectives=4, observation_hours_cap=3),
        cpd_budgets=(
            CPDBudget(
                "FY26", date(2026, 4, 1), date(2027, 3, 31), Decimal("1500.00"), hours=40, title="t"
            ),
        ),
        team_milestones=(
            TeamMilestone(
                "maths",
                Milestone("mod1", "Moderation", MilestoneKind.OTHER, date(2026, 11, 5)),
            ),
        ),
        version=0,
    )
    defaults = {f.name for f in attrs.fields(School) if f.default is not attrs.NOTHING}
    for name in defaults - {"version"}:
        field = getattr(attrs.fields(School), name)
        default = field.default.factory() if hasattr(field.default, "factory") else field.default
        assert getattr(kept, name) != default, f"set School.{name} in this test"
    return kept


def test_a_roster_adding_a_team_keeps_every_other_field_of_the_stored_school(
    tmp_path: Path, store_url: str
) -> None:
    """Planning a roster that names a new team changes the school's teams and nothing else.

    Regression: the school was rebuilt field by field, dropping CPD budgets and team
    milestones (and would drop any field added to School later).
    """
    original = _school_with_every_field_set()
    with open_store(store_url) as store:
        store.schools.add(original)
        store.staff.add(StaffMember("H1", "Dee Head", "stm", roles=frozenset({Role.HEADTEACHER})))
    roster = tmp_path / "r.csv"
    roster.write_text(
        "id,name,roles,teams,reviewer_id\nNEW1,New Teacher,teacher,music,H1\n", encoding="utf-8"
    )

    args = ["plan", "--template", "england-teacher", "--year", "2026", "--roster", str(roster)]
    assert main([*args, "--school", "stm", "--store", store_url]) == 0

    with open_store(store_url) as store:
        saved = store.schools.get("stm")
    assert saved == attrs.evolve(original, teams=(*original.teams, Team("music", "music")))
    assert school_from_roster("stm", None, [], original) is None


EXAMPLE_ROSTER = Path(__file__).parents[2] / "examples" / "staff.csv"


@pytest.mark.parametrize("template_id", [t for t in template_names() if t.startswith("england-")])
def test_what_planning_any_template_stores_its_own_export_imports(
    tmp_path: Path, template_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Planning a template that enrols part of a roster stores staff whose reviewers are stored.

    Regression: planning england-support-staff stored only the enrolled staff and their
    direct reviewers, so a reviewer's own reviewer (H001) was missing and the store's own
    export failed to import ("reviewer_id 'H001' is not on the staff of school 'brook'").
    """
    source = f"sqlite:///{tmp_path / 'a.db'}"
    args = ["plan", "--template", template_id, "--year", "2026", "--roster", str(EXAMPLE_ROSTER)]
    assert main([*args, "--school", "brook", "--store", source]) == 0
    with open_store(source) as store:
        if not store.cycles.for_school("brook"):
            return  # the template enrolled nobody on this roster: nothing was written
        assert {m.id for m in store.staff.for_school("brook")} == {
            line.split(",")[0] for line in EXAMPLE_ROSTER.read_text().splitlines()[1:]
        }
    bundle = tmp_path / "brook.json"
    assert main(["export", "--store", source, "--school", "brook", "-o", str(bundle)]) == 0
    copy = f"sqlite:///{tmp_path / 'b.db'}"
    capsys.readouterr()
    assert main(["import", "--store", copy, str(bundle), "--quiet"]) == 0, capsys.readouterr().err
    with open_store(source) as a, open_store(copy) as b:
        assert a.staff.for_school("brook") == b.staff.for_school("brook")
        assert len(a.cycles.for_school("brook")) == len(b.cycles.for_school("brook"))
