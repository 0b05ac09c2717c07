"""Milestones anchored on INSET days: ``inset:N`` and ``term_inset:T:N``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest
from calendar_fixtures import calendars
from hypothesis import assume, given
from hypothesis import strategies as st

from devcycle.catalogues.templates import load_template, template
from devcycle.cli import main
from devcycle.domain.calendar import SchoolCalendar, Term, england_pattern
from devcycle.domain.scheduling import SchedulingError, plan
from devcycle.domain.templates import (
    AnchorKind,
    CycleTemplate,
    MilestoneRule,
    OffsetUnit,
    Period,
    parse_anchor,
)

CALENDAR = england_pattern(2026)
"""INSET days 2026-09-01, 2026-09-02, 2027-01-04, 2027-04-05 and 2027-07-19."""


def _with(*rules: MilestoneRule) -> CycleTemplate:
    base = template("england-teacher")
    return attrs.evolve(base, milestones=(*base.milestones, *rules))


def _due(schedule_template: CycleTemplate, calendar: SchoolCalendar, rule_id: str) -> date:
    schedule = plan(schedule_template, calendar, year=2026)
    return next(m.due for m in schedule.milestones if m.id == rule_id)


def test_inset_anchors_parse_and_print_back() -> None:
    """Both forms parse into their parts and print as written."""
    first = parse_anchor("inset:1")
    spring = parse_anchor("term_inset:2:1")

    assert (first.kind, first.index) == (AnchorKind.INSET, 1)
    assert (spring.kind, spring.term, spring.index) == (AnchorKind.TERM_INSET, 2, 1)
    assert (str(first), str(spring)) == ("inset:1", "term_inset:2:1")


@pytest.mark.parametrize(
    ("anchor", "message"),
    [
        ("inset", "needs the number of an INSET day"),
        ("inset:0", "needs the number of an INSET day"),
        ("inset:²", "needs the number of an INSET day"),
        ("term_inset:2", "needs a term of the period and an INSET day"),
        ("term_inset:0:1", "needs a term of the period and an INSET day"),
        ("term_inset:1:x", "needs a term of the period and an INSET day"),
    ],
)
def test_bad_inset_anchors_say_what_is_accepted(anchor: str, message: str) -> None:
    """A malformed INSET anchor names the accepted form."""
    with pytest.raises(ValueError, match=message):
        parse_anchor(anchor)


def test_a_milestone_falls_on_the_inset_day_it_names() -> None:
    """inset:N counts the period's INSET days; an offset counts from the day."""
    tmpl = _with(
        MilestoneRule(id="briefing", title="Appraisal briefing", anchor="inset:2"),
        MilestoneRule(
            id="after",
            title="Follow-up",
            anchor="inset:3",
            offset=3,
            unit=OffsetUnit.SCHOOL_DAYS,
        ),
    )

    assert _due(tmpl, CALENDAR, "briefing") == date(2026, 9, 2)
    assert _due(tmpl, CALENDAR, "after") == CALENDAR.add_school_days(date(2027, 1, 4), 3)


def test_term_inset_counts_the_inset_days_of_one_term() -> None:
    """term_inset:T:N is the N-th INSET day of the period's T-th term."""
    tmpl = _with(
        MilestoneRule(id="spring", title="Spring INSET", anchor="term_inset:2:1"),
        MilestoneRule(id="summer-last", title="Summer INSET", anchor="term_inset:3:2"),
    )

    assert _due(tmpl, CALENDAR, "spring") == date(2027, 1, 4)
    assert _due(tmpl, CALENDAR, "summer-last") == date(2027, 7, 19)


def test_an_inset_day_in_the_holiday_before_a_term_belongs_to_that_term() -> None:
    """A school's INSET day the day before term starts counts as that term's."""
    calendar = SchoolCalendar(
        name="St Mary's",
        terms=(
            Term("autumn", date(2026, 9, 3), date(2026, 12, 18)),
            Term("spring", date(2027, 1, 5), date(2027, 3, 26)),
            Term("summer", date(2027, 4, 12), date(2027, 7, 21)),
        ),
        inset_days=(date(2026, 9, 2), date(2027, 1, 4)),
    )
    tmpl = CycleTemplate(
        id="st-marys",
        title="St Mary's",
        period=Period(months=12),
        milestones=(
            MilestoneRule(id="autumn", title="Autumn INSET", anchor="term_inset:1:1"),
            MilestoneRule(id="spring", title="Spring INSET", anchor="term_inset:2:1"),
        ),
    )

    assert _due(tmpl, calendar, "autumn") == date(2026, 9, 2)
    assert _due(tmpl, calendar, "spring") == date(2027, 1, 4)


def test_a_closed_inset_day_moves_the_milestone_without_renumbering() -> None:
    """Snow on the first INSET day moves its milestone; inset:2 still names the second."""
    calendar = CALENDAR.with_closure(date(2026, 9, 1), reason="Snow")
    tmpl = _with(
        MilestoneRule(id="first", title="First", anchor="inset:1", adjust="later"),
        MilestoneRule(id="second", title="Second", anchor="inset:2"),
    )
    schedule = plan(tmpl, calendar, year=2026)
    due = {m.id: m.due for m in schedule.milestones}

    assert due["first"] == date(2026, 9, 2)
    assert due["second"] == date(2026, 9, 2)
    assert all(calendar.is_school_day(d) for d in due.values())


def test_a_calendar_without_the_inset_day_is_a_clear_error() -> None:
    """Too few INSET days names the milestone, the span, the days there are and the fix."""
    tmpl = _with(MilestoneRule(id="sixth", title="Sixth", anchor="inset:6"))

    with pytest.raises(SchedulingError) as caught:
        plan(tmpl, CALENDAR, year=2026)

    text = str(caught.value)
    assert "milestone 'sixth'" in text
    assert "INSET day 6" in text
    assert "has 5 INSET day(s)" in text
    assert "2027-07-19" in text
    assert "inset_days" in text


def test_a_calendar_with_no_inset_days_at_all_is_a_clear_error() -> None:
    """A calendar file without INSET days says so, rather than guessing a date."""
    tmpl = _with(MilestoneRule(id="briefing", title="Briefing", anchor="term_inset:1:1"))
    bare = attrs.evolve(CALENDAR, inset_days=())

    with pytest.raises(SchedulingError, match=r"has 0 INSET day\(s\) there \(none\)"):
        plan(tmpl, bare, year=2026)


def test_a_term_inset_beyond_the_period_is_a_clear_error() -> None:
    """term_inset on a term the period does not have names how many it has."""
    tmpl = _with(MilestoneRule(id="far", title="Far", anchor="term_inset:5:1"))

    with pytest.raises(SchedulingError, match=r"term 5 .* has only 3 term\(s\)"):
        plan(tmpl, CALENDAR, year=2026)


@given(calendars(), st.data())
def test_an_inset_anchored_milestone_is_on_a_school_day_in_the_period(
    calendar: SchoolCalendar, data: st.DataObject
) -> None:
    """For any calendar with INSET days, an inset:N milestone without offset lands on a
    school day of the period, on its INSET day whenever that is open."""
    assume(calendar.inset_days)
    start = calendar.terms[0].start
    end = calendar.terms[-1].end
    in_period = [d for d in calendar.inset_days if start <= d <= end]
    assume(in_period and calendar.school_days(start, end))
    index = data.draw(st.integers(1, len(in_period)))
    tmpl = CycleTemplate(
        id="generated",
        title="Generated",
        period=Period(terms=len(calendar.terms)),
        milestones=(MilestoneRule(id="inset", title="INSET", anchor=f"inset:{index}"),),
    )
    try:
        schedule = plan(tmpl, calendar, start)
    except SchedulingError as error:
        assume("does not cover" not in str(error))
        raise
    (milestone,) = schedule.milestones
    assert calendar.is_school_day(milestone.due)
    assert schedule.period_start <= milestone.due <= schedule.period_end
    if calendar.is_school_day(in_period[index - 1]):
        assert milestone.due == in_period[index - 1]


def test_a_template_file_with_an_inset_anchor_loads_and_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Through the TOML loader and the CLI: the milestone is dated on the INSET day."""
    path = tmp_path / "inset-teacher.toml"
    path.write_text(
        'id = "inset-teacher"\n'
        'title = "Teacher appraisal with an INSET briefing"\n'
        'roles = ["teacher"]\n'
        "[period]\n"
        'start = "09-01"\n'
        "months = 12\n"
        "[[milestones]]\n"
        'id = "briefing"\n'
        'title = "Appraisal briefing"\n'
        'anchor = "term_inset:1:1"\n'
        "minutes = 60\n",
        encoding="utf-8",
    )
    assert load_template(path).milestones[0].parsed_anchor.kind is AnchorKind.TERM_INSET

    assert main(["plan", "--template", str(path), "--year", "2026"]) == 0
    assert "2026-09-01 Tue  Appraisal briefing" in capsys.readouterr().out


def test_the_cli_refuses_a_missing_inset_day_with_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No traceback: exit status 2 and the message naming the milestone."""
    path = tmp_path / "inset-teacher.toml"
    path.write_text(
        'id = "inset-teacher"\ntitle = "T"\nroles = ["teacher"]\n[period]\nstart = "09-01"\n'
        'months = 12\n[[milestones]]\nid = "late"\ntitle = "Late"\nanchor = "inset:9"\n',
        encoding="utf-8",
    )

    assert main(["plan", "--template", str(path), "--year", "2026"]) == 2
    err = capsys.readouterr().err
    assert "milestone 'late'" in err
    assert "Traceback" not in err


def test_every_milestone_missing_its_inset_day_is_named_at_once() -> None:
    """The error named the first failing milestone only; it names each, then the template."""
    tmpl = _with(
        MilestoneRule(id="sixth", title="Sixth", anchor="inset:6"),
        MilestoneRule(id="first", title="First", anchor="inset:1"),  # this one is fine
        MilestoneRule(id="spring", title="Spring", anchor="term_inset:2:3"),
    )

    with pytest.raises(SchedulingError) as caught:
        plan(tmpl, CALENDAR, year=2026)

    text = str(caught.value)
    assert text.startswith("2 milestones of template 'england-teacher' are anchored on INSET")
    assert "  - milestone 'sixth' is anchored on INSET day 6" in text
    assert "  - milestone 'spring' is anchored on INSET day 3 of term 2" in text
    assert "'first'" not in text


def test_the_cli_names_the_template_file_and_every_failing_milestone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by a user trial: neither the file nor the second milestone was named."""
    path = tmp_path / "inset-teacher.toml"
    path.write_text(
        'id = "inset-teacher"\ntitle = "T"\nroles = ["teacher"]\n[period]\nstart = "09-01"\n'
        'months = 12\n[[milestones]]\nid = "late"\ntitle = "Late"\nanchor = "inset:9"\n'
        '[[milestones]]\nid = "later"\ntitle = "Later"\nanchor = "term_inset:2:4"\n',
        encoding="utf-8",
    )

    assert main(["plan", "--template", str(path), "--year", "2026"]) == 2

    err = capsys.readouterr().err
    assert f"error: template file {path}: 2 milestones" in err
    assert "milestone 'late'" in err
    assert "milestone 'later'" in err
    assert "Traceback" not in err
