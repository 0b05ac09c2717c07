"""The planned side of training: CPD budgets, the training plan and the needs report."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import devcycle as dc
from devcycle.cli.report import data_tables, to_csv, to_json, to_text
from devcycle.document import Table
from devcycle.domain import CPDBudget, PlanStatus, TrainingPlanEntry, budget_positions
from devcycle.render import render
from devcycle.reports import ReportData, Scope, needs
from devcycle.testing import strategies as dst

YEAR = CPDBudget(id="2026-27", start=date(2026, 9, 1), end=date(2027, 8, 31), amount=1000)
AS_OF = date(2027, 1, 15)


def _level(fields: dict[str, object]) -> str:
    """The level an entry's fields imply: a team's, named people's, or whole-school."""
    if fields.get("team_id") is not None:
        return "team"
    return "individual" if fields.get("participant_ids") else "whole-school"


def _entry(
    entry_id: str, cost: str, *, on: date = date(2026, 11, 4), **kw: object
) -> TrainingPlanEntry:
    fields: dict[str, object] = {
        "id": entry_id,
        "school_id": "oak",
        "title": f"Training {entry_id}",
        "dates": (on,),
        "owner_id": "H1",
        "cost": Decimal(cost),
    }
    fields.update(kw)
    fields.setdefault("level", _level(fields))
    return TrainingPlanEntry(**fields)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the domain


def test_money_is_kept_as_decimal_and_dates_sorted_once() -> None:
    """Costs given as numbers become exact Decimals; dates are sorted with repeats dropped."""
    entry = TrainingPlanEntry(
        id="q",
        school_id="oak",
        title="Questioning",
        dates=(date(2026, 11, 5), date(2026, 11, 4), date(2026, 11, 5)),
        owner_id="H1",
        cost=0.1,
        level="whole-school",
        hours=2,
    )

    assert entry.cost == Decimal("0.1")
    assert entry.dates == (date(2026, 11, 4), date(2026, 11, 5))
    assert entry.start == date(2026, 11, 4)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"dates": ()}, "$.dates"),
        ({"cost": Decimal(-1)}, "$.cost"),
        ({"cost": Decimal("NaN")}, "$.cost"),
        ({"cost": Decimal("12.345")}, "$.cost"),
        ({"cost": 0.005}, "$.cost"),
        ({"hours": -2}, "$.hours"),
        ({"owner_id": ""}, "$.owner_id"),
        ({"level": "department"}, "$.level"),
        ({"status": "maybe"}, "$.status"),
        ({"dates": (date(1900, 11, 4),)}, "$.dates"),
        ({"dates": (date(2026, 11, 4), date(2206, 11, 4))}, "$.dates"),
        ({"level": "whole-school", "team_id": "maths"}, "$.team_id"),
        ({"level": "team"}, "$.team_id"),
        ({"level": "individual"}, "$.participant_ids"),
    ],
)
def test_a_bad_entry_is_a_validation_error_naming_the_field(
    fields: dict[str, object], where: str
) -> None:
    """Bad input names the field and what was expected, as a devcycle ValidationError."""
    base: dict[str, object] = {
        "id": "q",
        "school_id": "oak",
        "title": "Q",
        "dates": (date(2026, 11, 4),),
        "owner_id": "H1",
        "level": "whole-school",
    }
    with pytest.raises(dc.ValidationError) as caught:
        TrainingPlanEntry(**{**base, **fields})  # type: ignore[arg-type]
    assert caught.value.problems[0].path == where


@pytest.mark.parametrize("amount", [Decimal("12.345"), Decimal("0.001"), 12.345])
def test_money_with_more_than_two_decimal_places_is_refused_not_rounded(amount: object) -> None:
    """A fraction of a penny is an error naming the field, never rounded away."""
    with pytest.raises(dc.ValidationError) as caught:
        attrs.evolve(YEAR, amount=amount)
    (problem,) = caught.value.problems
    assert problem.path == "$.amount"
    assert "at most 2 decimal places" in problem.message


@pytest.mark.parametrize("amount", [Decimal("12.34"), Decimal("12.340"), Decimal("1E+3"), 5])
def test_money_with_two_decimal_places_or_fewer_is_kept(amount: object) -> None:
    assert attrs.evolve(YEAR, amount=amount).amount == Decimal(str(amount))


@pytest.mark.parametrize("amount", [Decimal("1E+100000"), Decimal("1E+12"), 10**15])
def test_money_past_a_trillion_is_refused(amount: object) -> None:
    """An amount no school has (``1e100000`` printed 100,001 digits) is an error, not a budget."""
    with pytest.raises(dc.ValidationError) as caught:
        attrs.evolve(YEAR, amount=amount)
    (problem,) = caught.value.problems
    assert problem.path == "$.amount"
    assert "at most 999,999,999,999.99" in problem.message
    assert len(problem.message) < 200


@pytest.mark.parametrize("zero", [Decimal("-0"), Decimal("-0.00"), -0.0])
def test_negative_zero_money_is_zero(zero: object) -> None:
    """``-0`` is kept as 0, so it never shows as "-0.00"."""
    amount = attrs.evolve(YEAR, amount=zero).amount
    assert amount == 0
    assert not amount.is_signed()
    assert f"{amount:.2f}" == "0.00"


def test_budgets_of_a_school_may_not_overlap_or_repeat() -> None:
    """Each day belongs to one budget; a budget id is given once."""
    spring = CPDBudget(id="fy-2027", start=date(2027, 4, 1), end=date(2028, 3, 31), amount=5)

    with pytest.raises(dc.ValidationError, match="overlap"):
        dc.School(id="oak", name="Oak", cpd_budgets=(YEAR, spring))
    with pytest.raises(dc.ValidationError, match="more than once"):
        dc.School(
            id="oak",
            name="Oak",
            cpd_budgets=(YEAR, attrs.evolve(YEAR, start=date(2027, 9, 1), end=date(2028, 8, 31))),
        )
    with pytest.raises(dc.ValidationError, match="'amount'"):
        CPDBudget(id="x", start=date(2026, 9, 1), end=date(2027, 8, 31), amount=-1)
    with pytest.raises(dc.ValidationError, match="end"):
        CPDBudget(id="x", start=date(2026, 9, 1), end=date(2026, 8, 31), amount=1)


def test_the_plan_is_set_against_the_budget_holding_its_first_date() -> None:
    """Committed, spent, remaining and overspend; cancelled counts for nothing; entries no
    budget covers are listed apart with their whole cost over."""
    entries = [
        _entry("a", "600.50", status="done", hours=3, participant_ids=("T1", "T2")),
        _entry("b", "500", status="booked"),
        _entry("c", "999", status="cancelled"),
        _entry("d", "80", on=date(2027, 9, 10)),
    ]

    year, loose = budget_positions("oak", [YEAR], entries, staff_count=10)

    assert year.budget == YEAR
    assert [e.id for e in year.entries] == ["a", "b", "c"]
    assert year.committed == Decimal("1100.50")
    assert year.spent == Decimal("600.50")
    assert year.remaining == Decimal("-100.50")
    assert year.overspend == Decimal("100.50")
    assert year.overspent
    assert year.staff_hours == 6  # 3 hours for each of two people; b has no hours
    assert loose.budget is None
    assert loose.overspend == Decimal(80)


def test_hours_budgeted_are_compared_with_staff_hours() -> None:
    """An all-staff entry takes its hours from every member of staff."""
    budget = attrs.evolve(YEAR, hours=50)
    (position,) = budget_positions("oak", [budget], [_entry("inset", "0", hours=6)], staff_count=10)

    assert position.staff_hours == 60
    assert position.hours_over
    assert not position.overspent


def test_another_schools_entries_are_refused() -> None:
    """A trust whose schools reuse ids never sets one school's plan against another's budget."""
    with pytest.raises(dc.ValidationError, match="another school"):
        budget_positions("oak", [YEAR], [attrs.evolve(_entry("a", "1"), school_id="elm")])


@given(
    budgets=dst.cpd_budgets(),
    entries=st.lists(dst.training_plan_entries(school_id=st.just("oak")), unique_by=lambda e: e.id),
    staff=st.integers(0, 40),
)
def test_budget_arithmetic_holds_for_any_plan(
    budgets: tuple[CPDBudget, ...], entries: list[TrainingPlanEntry], staff: int
) -> None:
    """Every entry is in exactly one position; committed + remaining == amount; overspend is
    what is committed beyond the amount; nothing cancelled is counted; totals add up."""
    positions = budget_positions("oak", budgets, entries, staff_count=staff)

    placed = [e.id for p in positions for e in p.entries]
    assert sorted(placed) == sorted(e.id for e in entries)
    for position in positions:
        amount = position.budget.amount if position.budget else Decimal(0)
        assert position.committed + position.remaining == amount
        assert position.overspend == max(position.committed - amount, Decimal(0))
        assert position.overspent == (position.overspend > 0)
        assert position.spent <= position.committed
        if position.budget is not None:
            assert all(e.start in position.budget for e in position.entries)
    live = sum((e.cost for e in entries if e.status is not PlanStatus.CANCELLED), Decimal(0))
    assert sum((p.committed for p in positions), Decimal(0)) == live


# ------------------------------------------------------------------ the report


def _school(school_id: str, amount: str) -> tuple[dc.School, list[dc.StaffMember], list[dc.Cycle]]:
    school = dc.School(
        id=school_id,
        name=f"{school_id.title()} School",
        teams=[dc.Team(id="maths", name="Maths")],
        cpd_budgets=(attrs.evolve(YEAR, amount=Decimal(amount)),),
    )
    staff = [
        dc.StaffMember(id="H1", name="Hana Head", school_id=school_id, roles={"headteacher"}),
        dc.StaffMember(
            id="T1",
            name="Tom <b>Teach</b>",
            school_id=school_id,
            roles={"teacher"},
            team_ids=("maths",),
        ),
        dc.StaffMember(id="T2", name="Tess Two", school_id=school_id, roles={"teacher"}),
    ]
    cycles = [
        dc.Cycle(
            id=f"c-{m.id}",
            school_id=school_id,
            staff_id=m.id,
            reviewer_id="T2" if m.id == "H1" else "H1",
            period_start=date(2026, 9, 1),
            period_end=date(2027, 8, 31),
        )
        for m in staff
    ]
    return school, staff, cycles


def _data() -> ReportData:
    """Two schools of a trust with the same staff, entry and budget ids, different sums."""
    oak, oak_staff, oak_cycles = _school("oak", "500")
    elm, elm_staff, elm_cycles = _school("elm", "5000")
    plan = [
        _entry("q", "450", need="Questioning", title="Questioning <script>x</script>", hours=2),
        _entry("b", "100", participant_ids=("T1",), need="Behaviour", status="booked"),
        attrs.evolve(
            _entry("q", "300", need="Questioning"), school_id="elm", title="Elm questioning"
        ),
    ]
    return ReportData(
        schools=[oak, elm],
        staff=oak_staff + elm_staff,
        cycles=oak_cycles + elm_cycles,
        training_plan=plan,
    )


def test_the_needs_report_sets_each_schools_plan_against_its_own_budget() -> None:
    """Same ids in two schools: Oak is overspent (550 of 500), Elm is not (300 of 5000)."""
    report = needs(_data(), as_of=AS_OF)

    by_school = {p.school_id: p for p in report.budgets}
    assert by_school["oak"].committed == Decimal(550)
    assert by_school["oak"].overspend == Decimal(50)
    assert by_school["elm"].committed == Decimal(300)
    assert not by_school["elm"].overspent
    assert {(p.entry.school_id, p.entry.id) for p in report.planned} == {
        ("oak", "q"),
        ("oak", "b"),
        ("elm", "q"),
    }
    assert next(p for p in report.planned if p.entry.id == "b").participant_names == (
        "Tom <b>Teach</b>",
    )


def test_one_school_sees_only_its_own_plan_and_budget() -> None:
    """Scoped to Elm, nothing of Oak's (same ids) appears."""
    report = needs(_data(), as_of=AS_OF, scope=Scope(school_id="elm"))

    assert [p.entry.title for p in report.planned] == ["Elm questioning"]
    assert [p.school_id for p in report.budgets] == ["elm"]
    assert "Questioning <script>" not in render(report.to_document(), "markdown").decode()


def test_a_person_sees_the_training_for_them_and_no_budget() -> None:
    """A person's report lists the entries for them or for all staff, and no budget."""
    report = needs(_data(), as_of=AS_OF, scope=Scope(school_id="oak", person_id="T2"))

    assert [p.entry.id for p in report.planned] == ["q"]  # all staff; "b" is for T1 only
    assert report.budgets == ()
    assert "CPD budget" not in [s.title for s in report.to_document().sections()]


def test_every_format_shows_the_plan_and_flags_the_overspend_with_user_text_escaped() -> None:
    """HTML, Markdown, Word, JSON, CSV data tables and text all carry the plan and the flag;
    the entry's title and a person's name are escaped where markup would run."""
    report = needs(_data(), as_of=AS_OF, scope=Scope(school_id="oak"))
    document = report.to_document()

    html = render(document, "html").decode()
    assert "OVERSPENT by 50.00" in html
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>Teach</b>" not in html
    markdown = render(document, "markdown").decode()
    assert "OVERSPENT by 50.00" in markdown
    assert "\\<script>" in markdown  # escaped: shown as text, never run
    with zipfile.ZipFile(io.BytesIO(render(document, "docx"))) as archive:
        word = archive.read("word/document.xml").decode()
    assert "OVERSPENT by 50.00" in word
    assert "550.00" in word
    assert "OVERSPENT by 50.00" in to_text(document)
    exported = to_json("needs", report)
    assert '"overspend": "50"' in exported
    assert '"cost": "450"' in exported
    tables = data_tables("needs", report)
    columns, rows = tables["budgets"]
    row = dict(zip(columns, rows[0], strict=True))
    assert (row["committed"], row["remaining"], row["overspent"]) == ("550", "-50", "true")
    assert "planned" in tables
    assert to_csv("needs", report)


def test_an_implied_plan_item_names_the_planned_training_for_its_need() -> None:
    """A need many share is planned for: the plan the needs imply names the entry."""
    school, staff, cycles = _school("oak", "500")
    for cycle in cycles:
        cycle.start_planning(by=cycle.reviewer_id, on=date(2026, 9, 10))
        cycle.record_review(
            by=cycle.reviewer_id,
            on=date(2026, 10, 1),
            kind=dc.ReviewKind.CHECK_IN,
            notes="Met.",
            development_needs=("Questioning",),
        )
    data = ReportData(
        schools=[school],
        staff=staff,
        cycles=cycles,
        training_plan=[_entry("q", "100", need="questioning")],
    )

    report = needs(data, as_of=AS_OF)

    (item,) = [p for p in report.plan if p.need == "Questioning"]
    assert item.planned_ids == ("q",)
    assert item.planned_titles == ("Training q",)
    (section,) = [s for s in report.to_document().sections() if s.id == "plan"]
    (table,) = [b for b in section.blocks if isinstance(b, Table)]
    assert dict(zip(table.columns, table.rows[0], strict=True))["Planned"] == "Training q"


def test_budgets_and_entries_round_trip_through_documents() -> None:
    """The serialiser keeps every field, money exact."""
    school = dc.School(id="oak", name="Oak", cpd_budgets=(attrs.evolve(YEAR, hours=12.5),))
    entry = _entry("q", "0.10", participant_ids=("T1",), team_id="maths", need="Q", status="done")

    assert dc.serialization.loads(dc.serialization.dumps(school)) == school
    assert dc.serialization.loads(dc.serialization.dumps(entry)) == entry
    assert date(2026, 9, 1) + timedelta(days=1) in YEAR


def test_a_team_entry_with_no_participants_takes_the_hours_of_its_team_only() -> None:
    """A one-hour session for a team of one was counted for the whole school (found by a
    user trial: 14 staff hours instead of 1)."""
    entry = _entry("t", "0", hours=1, level="team", team_id="office")
    (position,) = budget_positions(
        "oak", [YEAR], [entry], staff_count=14, team_sizes={"office": 1, "ks2": 5}
    )
    assert position.staff_hours == 1
    (unknown,) = budget_positions("oak", [YEAR], [entry], staff_count=14)
    assert unknown.staff_hours == 14  # team sizes not given: counted as all staff


def test_the_report_names_a_team_entry_by_its_team_and_counts_its_members() -> None:
    data = _data()
    team_entry = _entry("m", "50", hours=2, level="team", team_id="maths", need="Fractions")
    data = attrs.evolve(data, training_plan=(*data.training_plan, team_entry))
    report = needs(data, as_of=AS_OF, scope=Scope(school_id="oak"))

    (position,) = report.budgets
    assert position.staff_hours == 2 * 3 + 2 * 1  # q: 2 h x all 3 staff; m: 2 h x 1 in maths
    shown = next(p for p in report.planned if p.entry.id == "m")
    assert shown.team_name == "Maths"
    text = to_text(report.to_document())
    assert "Maths, whole team" in text
    assert "maths team: all staff" not in text


def test_a_team_entry_with_no_participants_is_for_its_team_members_only() -> None:
    """A maths team entry with no participants appeared in another team's and another
    person's training needs (found by a user trial: EYFS-KS1 training in the site team's)."""
    oak, staff, cycles = _school("oak", "500")
    oak = attrs.evolve(oak, teams=(*oak.teams, dc.Team(id="site", name="Site")))
    staff = [attrs.evolve(m, team_ids=("site",)) if m.id == "T2" else m for m in staff]
    team_entry = _entry("m", "50", hours=2, level="team", team_id="maths", need="Fractions")
    everyone = _entry("q", "10", need="Questioning")
    data = ReportData(
        schools=[oak], staff=staff, cycles=cycles, training_plan=[team_entry, everyone]
    )

    def planned(**scope: str) -> list[str]:
        report = needs(data, as_of=AS_OF, scope=Scope(school_id="oak", **scope))
        return sorted(p.entry.id for p in report.planned)

    assert planned(team_id="site") == ["q"]
    assert planned(person_id="T2") == ["q"]
    assert planned(team_id="maths") == ["m", "q"]
    assert planned(person_id="T1") == ["m", "q"]  # in the maths team
    assert planned(person_id="H1") == ["m", "q"]  # leads it
    assert team_entry.is_for("oak", "T1", ("maths",))
    assert not team_entry.is_for("oak", "T2", ("site",))
    assert not team_entry.is_for("elm", "T1", ("maths",))
    assert everyone.is_for("oak", "T2")


def test_entries_in_no_budgets_period_are_not_called_an_overspent_budget() -> None:
    """Read as a headteacher would: "1 budget OVERSPENT" when the one budget was within it
    and an entry fell outside its period (found by a user trial)."""
    oak, staff, cycles = _school("oak", "5000")
    late = _entry("late", "300", on=date(2027, 9, 6))
    data = ReportData(schools=[oak], staff=staff, cycles=cycles, training_plan=[late])
    text = to_text(needs(data, as_of=AS_OF).to_document())

    assert "OVERSPENT" not in text
    assert "1 entry costing 300.00 in no budget's period" in text


def _late_plan() -> list[TrainingPlanEntry]:
    past, future = date(2026, 11, 4), date(2027, 3, 3)
    return [
        _entry("booked-past", "100", on=past, status="booked", title="Behaviour course"),
        _entry("planned-past", "50", on=past, title="Phonics twilight"),
        _entry("booked-future", "20", on=future, status="booked"),
        _entry("done-past", "7", on=past, status="done"),
        _entry("cancelled-past", "9", on=past, status="cancelled"),
    ]


def test_training_still_booked_or_planned_after_its_date_is_past_due_and_committed() -> None:
    """A booked entry whose date has passed was neither spent nor flagged: it stays
    committed (not spent: nobody has said it happened) and is listed as past due."""
    (position,) = budget_positions("oak", [YEAR], _late_plan(), staff_count=3, as_of=AS_OF)

    assert position.past_due == ("booked-past", "planned-past")
    assert position.past_due_cost == Decimal(150)
    assert (position.committed, position.spent) == (Decimal(177), Decimal(7))
    (undated,) = budget_positions("oak", [YEAR], _late_plan(), staff_count=3)
    assert undated.past_due == ()
    assert not _late_plan()[0].past_due(date(2026, 11, 4))  # on the day: not yet
    assert _late_plan()[0].past_due(date(2026, 11, 5))


def test_every_format_flags_training_past_its_date() -> None:
    """The planned table, the budget's position and the summary say what to do, in every
    format; JSON and CSV carry the flag and the ids."""
    school, staff, cycles = _school("oak", "500")
    data = ReportData(schools=[school], staff=staff, cycles=cycles, training_plan=_late_plan())
    report = needs(data, as_of=AS_OF)
    document = report.to_document()

    assert [p.entry.id for p in report.planned if p.past_due] == ["booked-past", "planned-past"]
    (section,) = [s for s in document.sections() if s.id == "planned"]
    (table,) = [b for b in section.blocks if isinstance(b, Table)]
    statuses = {row[1]: row[-1] for row in table.rows}
    assert statuses["Behaviour course"] == "booked: date passed, mark done or cancelled"
    assert statuses["Phonics twilight"] == "planned: date passed, mark done or cancelled"
    assert statuses["Training booked-future"] == "booked"
    (budget,) = [s for s in document.sections() if s.id == "budget"]
    (positions,) = [b for b in budget.blocks if isinstance(b, Table)]
    assert positions.rows[0][-1] == (
        "within budget; 2 entries past their date (150.00): mark done or cancelled"
    )
    text = to_text(document)
    assert (
        "2 entries still booked or planned after their date (Behaviour course, Phonics "
        "twilight), counted as committed: mark them done or cancelled." in text
    )
    for rendered in (render(document, "html"), render(document, "markdown")):
        assert b"booked: date passed, mark done or cancelled" in rendered
    with zipfile.ZipFile(io.BytesIO(render(document, "docx"))) as archive:
        assert "date passed, mark done or cancelled" in archive.read("word/document.xml").decode()
    assert '"past_due": [\n        "booked-past",\n        "planned-past"\n      ]' in to_json(
        "needs", report
    )
    columns, rows = data_tables("needs", report)["planned"]
    flagged = {dict(zip(columns, r, strict=True))["past_due"] for r in rows}
    assert flagged == {"true", "false"}
