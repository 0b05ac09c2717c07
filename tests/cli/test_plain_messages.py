"""Error messages name the options typed and use plain words, never Python API terms."""

from __future__ import annotations

import re

import attrs
import pytest
from tests.reports import school

from devcycle.cli import main
from devcycle.domain import KPI, School, StaffMember
from devcycle.errors import ValidationError
from devcycle.reports import ReportData, ReportInputError, Scope, progress

_API_TERMS = re.compile(r"Scope\(|ReportData\(|\bNone\b|@ \$\.")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("plain-messages")
    url = f"sqlite:///{folder / 'demo.db'}"
    assert main(["demo", "--store", url, "--reports", str(folder / "reports")]) == 0
    return url


@pytest.mark.parametrize(
    ("argv", "where"),
    [
        (
            (
                "school",
                "team-milestone",
                "oakfield",
                "ks2",
                "m9",
                "--title",
                "",
                "--due",
                "2026-11-01",
            ),
            "@ --title",
        ),
        (
            (
                "school",
                "team-milestone",
                "oakfield",
                "ks2",
                "bad id",
                "--title",
                "x",
                "--due",
                "2026-11-01",
            ),
            "@ MILESTONE",
        ),
        (("school", "priority", "oakfield", "bad id", "--title", "x"), "@ PRIORITY"),
        (("school", "priority", "oakfield", "P1", "--title", ""), "@ --title"),
        (("school", "kpi", "oakfield", "P1", "bad id", "--name", "x"), "@ KPI"),
        (
            ("school", "kpi", "oakfield", "P1", "k1", "--name", "x", "--baseline", "nan"),
            "@ --baseline",
        ),
        (("school", "add", "bad id", "--name", "x"), "@ ID"),
        (("school", "add", "ok", "--name", "x", "--team", "bad id=Name"), "@ --team"),
        (
            (
                "voice",
                "survey",
                "--school",
                "oakfield",
                "--id",
                "bad id",
                "--title",
                "x",
                "--opens",
                "2026-01-01",
                "--closes",
                "2026-02-01",
            ),
            "@ --id",
        ),
        (
            (
                "voice",
                "survey",
                "--school",
                "oakfield",
                "--id",
                "s1",
                "--title",
                "x",
                "--opens",
                "2026-03-01",
                "--closes",
                "2026-02-01",
            ),
            "@ --closes",
        ),
    ],
    ids=lambda value: value[1] if isinstance(value, tuple) else value,
)
def test_a_bad_option_is_named_by_the_option(
    store: str, argv: tuple[str, ...], where: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "--store", store]) == 2

    err = capsys.readouterr().err
    assert where in err
    assert _API_TERMS.search(err) is None, err


def test_a_bad_figure_is_described_in_plain_words() -> None:
    with pytest.raises(ValidationError) as caught:
        KPI(id="k", name="x", baseline=float("nan"))
    assert "must be a finite number, or left out" in str(caught.value)
    assert "None" not in str(caught.value)


def test_report_errors_use_no_python_terms() -> None:
    """The empty-school and same-person-in-two-schools messages say what to do in words."""
    empty = ReportData(schools=[School(id="new", name="New School")], staff=(), cycles=())
    with pytest.raises(ReportInputError) as caught:
        progress(empty, as_of=school.AS_OF)
    assert _API_TERMS.search(str(caught.value)) is None
    assert "devcycle import" in str(caught.value)

    data = school.build()
    twin = attrs.evolve(data.schools[0], id="lb2", name="Little Brook Two")
    first = data.staff[0]
    double = StaffMember(id=first.id, name="Twin", school_id="lb2", roles={"teacher"})
    trust = attrs.evolve(data, schools=(*data.schools, twin), staff=(*data.staff, double))
    with pytest.raises(ReportInputError, match="exists in several schools") as caught:
        progress(trust, as_of=school.AS_OF, scope=Scope(person_id=first.id))
    assert _API_TERMS.search(str(caught.value)) is None
    assert "--school" in str(caught.value)
