"""devcycle school priority, kpi and team-milestone: through the policy, per school."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import attrs
import pytest

from devcycle.cli import main
from devcycle.domain import Milestone, Team, TeamMilestone
from devcycle.domain.calendar import england_pattern
from devcycle.interop.calendars import calendar_to_toml
from devcycle.storage import open_store

HEAD = ["--as", "headteacher", "--user", "H1"]


@pytest.fixture
def store(tmp_path: Path) -> str:
    """Two schools of one store, each with the same staff ids and a priority P1."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    roster = tmp_path / "staff.csv"
    roster.write_text(
        "id,name,roles,reviewer_id\nH1,Hana Head,headteacher,\nT1,Tom Teach,teacher,H1\n",
        encoding="utf-8",
    )
    for school in ("oak", "elm"):
        args = ["plan", "--store", url, "--roster", str(roster), "--school", school]
        assert main([*args, "--template", "england-teacher", "--year", "2026"]) == 0
        assert (
            main(["school", "priority", school, "P1", "--title", "Reading", "--store", url, *HEAD])
            == 0
        )
    return url


def _kpi(store: str, *args: str) -> int:
    return main(["school", "kpi", "--store", store, *args, *HEAD])


def test_a_kpi_is_added_then_measured_in_its_own_school_only(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _kpi(
            store,
            "oak",
            "P1",
            "K1",
            "--name",
            "KS2 reading",
            "--unit",
            "%",
            "--baseline",
            "68",
            "--target",
            "80",
            "--due",
            "2027-07-15",
        )
        == 0
    )
    assert _kpi(store, "oak", "P1", "K1", "--current", "72", "--on", "2026-01-20") == 0
    out = capsys.readouterr().out
    assert "baseline 68% -> current 72% -> target 80%" in out

    with open_store(store) as opened:
        (kpi,) = opened.schools.get("oak").priorities[0].kpis
        assert (kpi.name, kpi.baseline, kpi.current, kpi.target) == ("KS2 reading", 68, 72, 80)
        assert opened.schools.get("elm").priorities[0].kpis == ()
        assert any(e.action == "update" and e.kind == "school" for e in opened.audit.query("oak"))

    assert (
        main(["report", "priorities", "--school", "oak", "--store", store, "--as-of", "2027-02-01"])
        == 0
    )
    report = capsys.readouterr().out
    assert "KS2 reading" in report
    assert "72%" in report
    assert "on the way" in report


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("oak", "P9", "K1", "--name", "x"),
            "school 'oak' has no priority 'P9'; its priorities: P1",
        ),
        (("oak", "P1", "K2", "--baseline", "3"), "a new KPI needs --name"),
        (("oak", "P1", "K1", "--name", "x", "--current", "3"), "--current and --on go together"),
        (("nowhere", "P1", "K1", "--name", "x"), "no school 'nowhere'"),
    ],
)
def test_a_bad_kpi_is_refused_with_status_2_and_nothing_changes(
    store: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], expected: str
) -> None:
    capsys.readouterr()
    assert _kpi(store, *args) == 2
    assert expected in capsys.readouterr().err
    with open_store(store) as opened:
        assert opened.schools.get("oak").priorities[0].kpis == ()


def test_a_measurement_dated_after_today_is_refused_naming_on(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _kpi(store, "oak", "P1", "K1", "--name", "Incidents a week") == 0
    capsys.readouterr()
    assert _kpi(store, "oak", "P1", "K1", "--current", "25", "--on", "2999-01-20") == 2
    err = capsys.readouterr().err
    assert "'--on'" in err
    assert "2999-01-20 is after today" in err
    assert "Traceback" not in err
    with open_store(store) as opened:
        (kpi,) = opened.schools.get("oak").priorities[0].kpis
        assert (kpi.current, kpi.current_on) == (None, None)


def test_an_older_measurement_never_replaces_a_newer_one(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trial recorded January's figure, then December's: December's silently became the
    current one. It is refused naming --on; a figure of the same day corrects it."""
    assert _kpi(store, "oak", "P1", "K1", "--name", "Incidents a week") == 0
    assert _kpi(store, "oak", "P1", "K1", "--current", "12", "--on", "2026-01-20") == 0
    capsys.readouterr()

    assert _kpi(store, "oak", "P1", "K1", "--current", "30", "--on", "2025-12-01") == 2
    err = capsys.readouterr().err
    assert "measured on 2026-01-20 (12); a figure measured on 2025-12-01 is older" in err
    assert "@ --on" in err
    with open_store(store) as opened:
        (kpi,) = opened.schools.get("oak").priorities[0].kpis
        assert (kpi.current, kpi.current_on) == (12, date(2026, 1, 20))
    assert _kpi(store, "oak", "P1", "K1", "--current", "11", "--on", "2026-01-20") == 0
    assert _kpi(store, "oak", "P1", "K1", "--current", "9", "--on", "2026-02-03") == 0
    with open_store(store) as opened:
        (kpi,) = opened.schools.get("oak").priorities[0].kpis
        assert (kpi.current, kpi.current_on) == (9, date(2026, 2, 3))


def test_a_kpi_moving_away_from_its_target_says_so_in_text_and_csv(
    store: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    args = ("--baseline", "20", "--target", "5", "--due", "2027-07-15")
    assert _kpi(store, "oak", "P1", "K1", "--name", "Incidents a week", *args) == 0
    assert _kpi(store, "oak", "P1", "K1", "--current", "25", "--on", "2026-01-20") == 0
    capsys.readouterr()
    report = ["report", "priorities", "--school", "oak", "--store", store, "--as-of", "2027-02-01"]
    assert main(report) == 0
    text = capsys.readouterr().out
    assert "moving away from target" in text
    assert "on the way" not in text
    assert main([*report, "--format", "csv", "-o", str(tmp_path / "kpis.csv")]) == 0
    csv_text = (tmp_path / "kpis.csv").read_text(encoding="utf-8")
    assert "moving away from target" in csv_text
    assert "on the way" not in csv_text


def test_a_reviewee_may_not_set_a_kpi(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "school",
            "kpi",
            "oak",
            "P1",
            "K1",
            "--name",
            "x",
            "--store",
            store,
            "--as",
            "reviewee",
            "--user",
            "T1",
        ]
    )
    assert code == 2
    assert "cannot write_school" in capsys.readouterr().err


def test_a_priority_is_retitled_keeping_its_kpis(store: str) -> None:
    assert _kpi(store, "oak", "P1", "K1", "--name", "KS2 reading") == 0
    assert (
        main(
            [
                "school",
                "priority",
                "oak",
                "P1",
                "--title",
                "Reading for pleasure",
                "--store",
                store,
                *HEAD,
            ]
        )
        == 0
    )
    with open_store(store) as opened:
        (priority,) = opened.schools.get("oak").priorities
    assert priority.title == "Reading for pleasure"
    assert [k.id for k in priority.kpis] == ["K1"]


def _team_milestone(store: str, school: str, *args: str) -> int:
    return main(["school", "team-milestone", school, "--store", store, *args, *HEAD])


def test_a_team_milestone_is_added_held_and_kept_to_its_school(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(store) as opened:
        for school_id in ("oak", "elm"):  # both schools get a team "ks2"
            school = opened.schools.get(school_id)
            opened.schools.update(attrs.evolve(school, teams=(Team("ks2", "Key Stage 2"),)))
    add = ["ks2", "mod-1", "--title", "KS2 writing moderation", "--due", "2026-02-10"]
    assert _team_milestone(store, "oak", *add, "--minutes", "60") == 0
    assert _team_milestone(store, "oak", "ks2", "mod-1", "--held-on", "2026-02-11") == 0

    with open_store(store) as opened:
        (kept,) = opened.schools.get("oak").team_milestones
        assert opened.schools.get("elm").team_milestones == ()
    assert kept.milestone.title == "KS2 writing moderation"
    assert kept.milestone.minutes == 60
    assert kept.milestone.completed_on == date(2026, 2, 11)

    capsys.readouterr()
    assert _team_milestone(store, "oak", "nope", "m", "--title", "x", "--due", "2027-02-10") == 2
    assert "not one of its teams" in capsys.readouterr().err
    assert _team_milestone(store, "oak", "ks2", "mod-2", "--title", "x") == 2
    assert "needs --title and --due" in capsys.readouterr().err
    with open_store(store) as opened:
        assert len(opened.schools.get("oak").team_milestones) == 1


def test_a_team_milestone_is_not_held_in_the_future_in_1900_or_on_a_closed_day(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user trial stored each of these: held on a day still to come, due in 1900, and
    (by the school's calendar) due on a Saturday or held in the holidays."""
    with open_store(store) as opened:
        school = opened.schools.get("oak")
        opened.schools.update(attrs.evolve(school, teams=(Team("ks2", "Key Stage 2"),)))
    calendar = tmp_path / "calendar.toml"
    calendar.write_text(calendar_to_toml(england_pattern(2026)), encoding="utf-8")
    add = ["ks2", "mod-1", "--title", "KS2 writing moderation"]
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    capsys.readouterr()

    assert _team_milestone(store, "oak", *add, "--due", "2026-11-18", "--held-on", tomorrow) == 2
    assert f"{tomorrow} is after today" in capsys.readouterr().err
    assert _team_milestone(store, "oak", *add, "--due", "1900-11-18") == 2
    err = capsys.readouterr().err
    assert "--due must be a date from 2000 to 2099 (got 1900-11-18)" in err
    saturday = ["--due", "2026-11-21", "--calendar", str(calendar)]
    assert _team_milestone(store, "oak", *add, *saturday) == 2
    err = capsys.readouterr().err
    assert "2026-11-21 (Saturday) is not a school day" in err
    assert "@ --due" in err
    christmas = ["--due", "2026-11-18", "--held-on", "2025-12-25", "--calendar", str(calendar)]
    assert _team_milestone(store, "oak", *add, *christmas) == 2
    assert "2025-12-25 (Thursday) is not a school day" in capsys.readouterr().err
    with open_store(store) as opened:
        assert opened.schools.get("oak").team_milestones == ()
    school_day = ["--due", "2026-11-18", "--calendar", str(calendar)]
    assert _team_milestone(store, "oak", *add, *school_day) == 0
    # no calendar given: a weekend is still refused (never a school day), a holiday is not
    # known and is taken
    assert _team_milestone(store, "oak", *add, "--due", "2026-11-21") == 2
    assert "2026-11-21 is a Saturday, never a school day" in capsys.readouterr().err
    assert _team_milestone(store, "oak", *add, "--due", "2026-12-25") == 0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--due", "2026-11-21"), "2026-11-21 is a Saturday, never a school day: set it due"),
        (("--due", "2026-11-22"), "2026-11-22 is a Sunday, never a school day: set it due"),
        (
            ("--due", "2026-11-18", "--held-on", "2026-01-18"),
            "2026-01-18 is a Sunday, never a school day: it was held",
        ),
    ],
)
def test_a_team_milestone_on_a_weekend_is_refused_without_a_calendar(
    store: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    """Regression: without --calendar a team milestone due (or held) on a Saturday was
    stored; calendars are files, not stored with the school, but a weekend is never a
    school day on any calendar."""
    with open_store(store) as opened:
        school = opened.schools.get("oak")
        opened.schools.update(attrs.evolve(school, teams=(Team("ks2", "Key Stage 2"),)))
    capsys.readouterr()

    assert _team_milestone(store, "oak", "ks2", "mod-1", "--title", "Moderation", *args) == 2

    err = capsys.readouterr().err
    assert said in err
    assert f"@ {'--held-on' if 'held' in said else '--due'}" in err
    assert "Traceback" not in err
    with open_store(store) as opened:
        assert opened.schools.get("oak").team_milestones == ()


def test_a_milestone_stored_on_a_weekend_can_still_be_marked_held(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the days given are checked: one stored before (on a Saturday) is not stuck."""
    with open_store(store) as opened:
        school = opened.schools.get("oak")
        weekend = TeamMilestone("ks2", Milestone("mod-1", "Moderation", "other", date(2026, 1, 17)))
        opened.schools.update(
            attrs.evolve(school, teams=(Team("ks2", "Key Stage 2"),), team_milestones=(weekend,))
        )

    assert _team_milestone(store, "oak", "ks2", "mod-1", "--held-on", "2026-01-19") == 0

    with open_store(store) as opened:
        (kept,) = opened.schools.get("oak").team_milestones
    assert kept.milestone.completed_on == date(2026, 1, 19)


def test_school_show_lists_the_team_milestones(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each team milestone with its team, title, and due day or the day it was held."""
    with open_store(store) as opened:
        school = opened.schools.get("oak")
        opened.schools.update(attrs.evolve(school, teams=(Team("ks2", "Key Stage 2"),)))
    add = ["ks2", "mod-1", "--title", "KS2 writing moderation", "--due", "2027-02-10"]
    assert _team_milestone(store, "oak", *add) == 0
    assert (
        _team_milestone(store, "oak", "ks2", "rev", "--title", "Review", "--due", "2026-05-05") == 0
    )
    assert _team_milestone(store, "oak", "ks2", "rev", "--held-on", "2026-05-06") == 0
    capsys.readouterr()

    assert main(["school", "show", "oak", "--store", store]) == 0

    shown = capsys.readouterr().out
    assert "Team milestones (2):" in shown
    assert (
        "  ks2          mod-1: KS2 writing moderation (Key Stage 2), due 2027-02-10, "
        "not held yet\n" in shown
    )
    assert "  ks2          rev: Review (Key Stage 2), held 2026-05-06\n" in shown


def test_school_show_lists_budgets_kpis_the_training_plan_and_leaders_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What a headteacher set from the CLI is shown back: budgets, KPIs, plan, team leaders.

    `school show` listed none of them, and team leaders by staff id only (a user trial).
    """
    from devcycle.demo import build_demo

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    demo = build_demo()
    with open_store(url) as opened, opened.transaction() as tx:
        demo.add_to(tx)
        tx.commit()

    assert main(["school", "show", demo.school.id, "--store", url]) == 0

    shown = capsys.readouterr().out
    budget = demo.school.cpd_budgets[0]
    assert f"CPD budgets (1):\n  {budget.id:<12} {budget.title}, {budget.start} to" in shown
    assert f": {budget.amount:,.2f}" in shown
    kpis = len(demo.school.priorities[0].kpis)
    assert f"{demo.school.priorities[0].title} ({kpis} KPIs)" in shown
    assert f"Training plan: {len(demo.training_plan)} entries (" in shown
    team = demo.school.teams[0]
    leader = next(p for p in demo.staff if p.id == team.leader_id)
    assert f"led by {leader.name} ({leader.id})" in shown
