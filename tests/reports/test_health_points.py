"""The health check's points as data: shipped, changed by a school's file, weighted, voiced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest
from tests.reports import demo_store, school

from devcycle.demo import build_demo
from devcycle.domain import MeetingRating, SurveyResponse
from devcycle.errors import ConfigError
from devcycle.reports import (
    HEALTH_MEASURES,
    HealthPolicy,
    ReportData,
    Status,
    default_health_points,
    health,
    load_health_points,
)


def _plain(objective, cycle):
    del objective, cycle
    return ()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "points.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_points_are_about_twenty_and_each_explains_itself() -> None:
    """Every shipped point has a question, why it matters and what to do; ids are unique."""
    points = default_health_points()
    assert 20 <= len(points) <= 25
    assert len({p.id for p in points}) == len(points)
    for point in points:
        assert point.title.endswith("?"), point.id
        assert point.why.endswith("."), point.id
        assert point.action.endswith("."), point.id


def test_every_measure_is_used_by_a_shipped_point() -> None:
    """No measure is dead code: each one is a point of the default check."""
    assert {p.measure for p in default_health_points()} == set(HEALTH_MEASURES)


def test_a_schools_file_removes_reweights_and_adds_points(tmp_path: Path) -> None:
    """enabled = false removes; weight counts a point more; a new id adds a point."""
    path = _write(
        tmp_path,
        '[[point]]\nid = "rationale-recorded"\nenabled = false\n\n'
        '[[point]]\nid = "leaders-trained"\nweight = 3\n\n'
        '[[point]]\nid = "evidence-early"\nmeasure = "evidence_gathered"\n'
        'title = "Is evidence gathered within {weeks} weeks?"\naction = "Add evidence."\n'
        "params = { weeks = 4 }\n",
    )
    points = load_health_points(path)
    report = health(
        school.build(), as_of=school.AS_OF, checker=_plain, policy=HealthPolicy(points=points)
    )

    ids = [i.id for i in report.items]
    assert "rationale-recorded" not in ids
    assert ids[-1] == "evidence-early"
    assert report.item("evidence-early").title == "Is evidence gathered within 4 weeks?"
    assert report.item("leaders-trained").weight == 3
    default = health(school.build(), as_of=school.AS_OF, checker=_plain)
    assert report.score != default.score


def test_the_score_weighs_each_point_by_its_weight() -> None:
    """A failed point of weight 3 counts three times; one of weight 0 is shown, not scored."""
    base = health(school.build(), as_of=school.AS_OF, checker=_plain)
    applicable = [i for i in base.items if i.status.points is not None]
    heavy = tuple(
        p if p.id != "leaders-trained" else attrs.evolve(p, weight=3.0)
        for p in default_health_points()
    )
    weighed = health(
        school.build(), as_of=school.AS_OF, checker=_plain, policy=HealthPolicy(points=heavy)
    )
    points = sum(i.status.points or 0 for i in applicable)
    assert weighed.score == round(100 * points / (len(applicable) + 2))
    free = tuple(
        p if p.id != "leaders-trained" else attrs.evolve(p, weight=0.0)
        for p in default_health_points()
    )
    shown = health(
        school.build(), as_of=school.AS_OF, checker=_plain, policy=HealthPolicy(points=free)
    )
    assert shown.item("leaders-trained").status is Status.FAIL
    assert shown.score == round(100 * points / (len(applicable) - 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[point]]\nid = "x"\nmeasure = "linked_to_cdp"\ntitle = "t?"\naction = "a."\n',
            "did you mean 'linked_to_cpd'",
        ),
        ('[[point]]\nid = "linked-to-cpd"\nwieght = 2\n', "did you mean 'weight'"),
        ('[[point]]\nid = "new-one"\ntitle = "t?"\n', "missing action, measure"),
        ('[[point]]\nmeasure = "time_budget"\n', "needs an 'id'"),
        ('[[point]]\nid = "linked-to-cpd"\nweight = -1\n', "between 0 and 100"),
        ('[[point]]\nid = "linked-to-cpd"\npass_share = 2\n', "between 0 and 1"),
        ("[points]\n", r"expected \[\[point\]\] entries"),
        ("point = 3\n", "array of tables"),
        ("[[point]\n", "not valid TOML"),
    ],
)
def test_a_bad_points_file_is_a_clear_error_naming_the_file(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=expected) as caught:
        load_health_points(path)
    assert str(path) in str(caught.value)


def _voice(demo, count: int, usefulness: int, valued: int) -> list[object]:
    items: list[object] = []
    for index, cycle in enumerate(demo.cycles[:count]):
        items.append(
            MeetingRating(
                id=f"r{index}",
                school_id=cycle.school_id,
                cycle_id=cycle.id,
                meeting_id="planning",
                rater_id=cycle.staff_id,
                reviewer_id=cycle.reviewer_id,
                on=date(2026, 11, 1),
                usefulness=usefulness,
                motivation=3,
            )
        )
        items.append(
            SurveyResponse(
                id=f"s{index}",
                school_id=cycle.school_id,
                survey_id="autumn",
                respondent_id=cycle.staff_id,
                on=date(2026, 12, 1),
                valued=valued,
                helps_me_improve=valued,
            )
        )
    return items


def _current(demo):
    return [c for c in demo.cycles if c.period_start <= demo.as_of <= c.period_end]


def test_staff_voice_feeds_its_points_only_above_the_minimum_group() -> None:
    """Four raters show nothing; six raters show the shares, never a person."""
    demo = build_demo()
    data = ReportData(schools=(demo.school,), staff=demo.staff, cycles=demo.cycles, cpd=demo.cpd)
    current = attrs.evolve(demo, cycles=tuple(_current(demo)))
    few = health(data, as_of=demo.as_of, checker=_plain, voice=_voice(current, 4, 5, 5))
    assert few.item("meetings-useful").status is Status.NOT_APPLICABLE
    assert few.item("process-valued").status is Status.NOT_APPLICABLE

    heard = health(data, as_of=demo.as_of, checker=_plain, voice=_voice(current, 6, 5, 2))
    assert heard.item("meetings-useful").status is Status.PASS
    assert (heard.item("meetings-useful").met, heard.item("meetings-useful").total) == (6, 6)
    assert heard.item("process-valued").status is Status.FAIL
    for member in demo.staff:
        assert member.name not in heard.item("meetings-useful").evidence


def test_the_cli_takes_a_schools_points_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """devcycle report health --points FILE uses the school's points; a bad file exits 2."""
    from devcycle.cli import main

    store = f"sqlite:///{tmp_path / 'd.db'}"
    sample = demo_store(store)
    day = sample.as_of.isoformat()
    path = _write(tmp_path, '[[point]]\nid = "rationale-recorded"\nenabled = false\n')
    args = ["report", "health", "--store", store, "--as-of", day, "--format", "json"]
    assert main([*args, "--points", str(path)]) == 0
    out = capsys.readouterr().out
    assert "rationale-recorded" not in out
    assert "linked-to-cpd" in out
    bad = tmp_path / "bad.toml"
    bad.write_text('[[point]]\nid = "x"\nmeasure = "nope"\ntitle = "t?"\naction = "a."\n')
    assert main([*args, "--points", str(bad)]) == 2
    assert "no health measure 'nope'" in capsys.readouterr().err
    progress = ["report", "progress", "--store", store, "--as-of", day, "--points", str(path)]
    assert main(progress) == 2


def test_the_points_page_lists_every_shipped_point() -> None:
    """docs/reports/health-points.md names each shipped point and measure."""
    page = (Path(__file__).parents[2] / "docs" / "reports" / "health-points.md").read_text()
    for point in default_health_points():
        assert f"`{point.id}`" in page
        assert f"`{point.measure}`" in page
