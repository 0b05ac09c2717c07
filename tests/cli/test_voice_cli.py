"""``devcycle voice`` and ``devcycle report voice``: record staff voice, read it only in groups."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.cli import main
from devcycle.demo import build_demo
from devcycle.reports import VoiceReport, run
from devcycle.reports._base import ReportData

AS_OF = "2027-02-12"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("voice-demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    assert main(["demo", "--store", url, "--reports", str(folder / "reports")]) == 0
    return url


@pytest.fixture
def store(tmp_path: Path, demo_store: str) -> str:
    """A fresh copy of the demo store for a test that writes."""
    source = Path(demo_store.removeprefix("sqlite:///"))
    copy = tmp_path / "demo.db"
    copy.write_bytes(source.read_bytes())
    return f"sqlite:///{copy}"


def test_the_demo_records_ratings_and_surveys_shown_in_safe_groups() -> None:
    """The demo's voice report shows the school and KS2; every smaller group is withheld."""
    sample = build_demo(2026)
    data = ReportData(
        schools=[sample.school],
        staff=sample.staff,
        cycles=sample.cycles,
        ratings=sample.ratings,
        responses=sample.responses,
    )

    report = run("voice", data, as_of=sample.as_of)

    assert isinstance(report, VoiceReport)
    assert len(sample.surveys) == 2
    assert {(g.level, g.key) for g in report.ratings} == {("school", "oakfield"), ("team", "ks2")}
    assert {g.period for g in report.survey} == {"2026-summer", "2027-spring"}
    assert all(g.people >= 5 for g in (*report.ratings, *report.survey))
    assert sum(report.withheld.values()) > 0
    moderation = run("moderation", data, as_of=sample.as_of)
    school_row = next(r for r in moderation.groups if r.kind == "school")  # type: ignore[attr-defined]
    assert school_row.usefulness is not None
    assert all(r.usefulness is None for r in moderation.reviewers)  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "md", "html", "docx"])
def test_report_voice_runs_in_every_format_and_names_no_rater(
    demo_store: str, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every format holds the figures, and none holds a rater's id or name with them."""
    output = tmp_path / f"voice.{fmt}"
    args = ["report", "voice", "--store", demo_store, "--as-of", AS_OF, "--format", fmt]

    assert main([*args, "-o", str(output)]) == 0

    payload = output.read_bytes()
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            payload = archive.read("word/document.xml")
    text = payload.decode()
    assert "Key Stage 2" in text or "ks2" in text
    sample = build_demo(2026)
    for member in sample.staff:
        if member.id in {"M004", "M005", "S003", "H001", "S002"}:
            continue  # reviewers and team leaders may be named as a group's label
        assert member.id not in text, member.id
        assert member.name not in text, member.name


def test_report_voice_is_refused_for_one_person(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "voice", "--store", demo_store, "--as-of", AS_OF, "--person", "T006"]

    assert main(args) == 2
    assert "staff voice is never shown for one person" in capsys.readouterr().err


def test_report_voice_for_a_team_shows_that_team_only(
    demo_store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "voice", "--store", demo_store, "--as-of", AS_OF, "--team", "ks2"]
    args += ["--format", "json"]

    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    body = json.dumps(result)
    groups = result.get("ratings") or result["report"]["ratings"]
    assert {g["key"] for g in groups} == {"ks2"}
    assert "What staff said" not in body


def test_the_reviewee_rates_a_meeting_from_the_command_line(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """T007 rates their own meeting again; their reviewer and a colleague may not."""
    args = ["voice", "rate", "--store", store, "--school", "oakfield", "--cycle", "2026-T007"]
    args += ["--meeting", "rev-2", "--usefulness", "5", "--motivation", "4", "--on", "2027-01-05"]

    assert main([*args, "--as", "reviewer", "--user", "M004"]) == 2
    assert "the policy does not let a reviewer rate_meeting" in capsys.readouterr().err
    assert main([*args, "--as", "reviewee", "--user", "T006"]) == 2
    assert "may act only on their own cycle" in capsys.readouterr().err
    assert main([*args, "--as", "reviewee", "--user", "T007"]) == 0
    assert "Rated meeting rev-2" in capsys.readouterr().out

    with dc.open_store(store) as opened:
        rating = opened.meeting_ratings.get("oakfield", "2026-T007/rev-2")
        assert (rating.usefulness, rating.motivation, rating.version) == (5, 4, 2)
        entry = opened.audit.query("oakfield", kind="meeting_rating")[-1]
        assert (entry.action, entry.actor) == ("update", "T007")


def test_rating_before_the_meeting_is_one_error_line(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["voice", "rate", "--store", store, "--school", "oakfield", "--cycle", "2026-T007"]
    args += ["--meeting", "rev-2", "--usefulness", "5", "--motivation", "4"]
    args += ["--on", "2026-12-01", "--as", "reviewee", "--user", "T007"]

    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot rate meeting 'rev-2' on 2026-12-01")
    assert "Traceback" not in err


_GOOD = """respondent_id,on,valued,helps_me_improve,objectives_imposed,hours,comment
T006,2027-06-10,4,5,no,6,Much better this year
T007,2027-06-11,3,,yes,8.5,
E009,2027-06-12,,,,,
"""


def _survey(store: str) -> list[str]:
    return ["--store", store, "--school", "oakfield"]


def test_a_survey_is_set_up_and_its_answers_imported(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setup = ["voice", "survey", *_survey(store), "--id", "2027-summer", "--title", "How was it?"]
    assert main([*setup, "--opens", "2027-06-08", "--closes", "2027-06-26"]) == 0
    answers = tmp_path / "answers.csv"
    answers.write_text(_GOOD, encoding="utf-8")

    assert main(["voice", "import", str(answers), *_survey(store), "--survey", "2027-summer"]) == 0
    assert "Recorded 3 answers" in capsys.readouterr().out

    with dc.open_store(store) as opened:
        stored = {
            r.respondent_id: r
            for r in opened.survey_responses.for_survey("oakfield", "2027-summer")
        }
    assert stored["T006"].helps_me_improve == 5
    assert stored["T006"].objectives_imposed is False
    assert stored["T007"].hours == 8.5
    assert stored["T007"].reviewer_id == "M004"
    assert stored["T006"].team_ids == ("ks2",)
    assert stored["E009"].valued is None


def test_a_json_file_of_answers_is_imported(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(
        json.dumps(
            {
                "responses": [
                    {"respondent_id": "T006", "on": "2027-01-20", "valued": 5, "hours": 4},
                    {"respondent_id": "U014", "on": "2027-01-21", "objectives_imposed": True},
                ]
            }
        ),
        encoding="utf-8",
    )

    args = ["voice", "import", str(answers), *_survey(store), "--survey", "2027-spring"]
    assert main([*args, "--replace"]) == 0

    with dc.open_store(store) as opened:
        assert opened.survey_responses.get("oakfield", "2027-spring/T006").valued == 5
        assert opened.survey_responses.get("oakfield", "2027-spring/U014").objectives_imposed


def test_bad_rows_are_each_named_exit_2_and_nothing_is_stored(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Off-scale, not yes/no, a bad date, a repeat: every row named; the store unchanged."""
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "respondent_id,on,valued,objectives_imposed\n"
        "T006,2027-01-20,7,no\n"
        "T007,2027-01-20,3,maybe\n"
        "E009,20 Jan,3,no\n"
        "T006,2027-01-21,3,no\n",
        encoding="utf-8",
    )
    with dc.open_store(store) as opened:
        before = opened.survey_responses.for_school("oakfield")

    args = ["voice", "import", str(answers), *_survey(store), "--survey", "2027-spring"]
    assert main(args) == 2

    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "valued must be a whole number from 1 to 5, or empty (got '7') @ row 2" in err
    assert "objectives_imposed must be yes or no, or empty (got 'maybe') @ row 3" in err
    assert "on must be a date as YYYY-MM-DD (got '20 Jan') @ row 4, column on" in err
    assert "'T006' answers survey '2027-spring' twice (first @ row 2" in err
    assert str(answers) in err
    assert "Traceback" not in err
    with dc.open_store(store) as opened:
        assert opened.survey_responses.for_school("oakfield") == before


def test_problems_the_store_finds_are_named_at_their_rows(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone not on the staff, a date outside the survey, an answer already recorded."""
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "respondent_id,on,valued\nX999,2027-01-20,3\nT006,2027-03-01,3\nT007,2027-01-20,4\n",
        encoding="utf-8",
    )

    args = ["voice", "import", str(answers), *_survey(store), "--survey", "2027-spring"]
    assert main(args) == 2

    err = capsys.readouterr().err
    assert "'X999' is not a member of staff of 'oakfield' @ row 2, column respondent_id" in err
    assert "outside survey '2027-spring'" in err
    assert "@ row 3, column on" in err
    assert "is already recorded (replace it explicitly) @ row 4, column id" in err
    # named with the file, like the problems found reading it (a user trial found the
    # store's problems printed as "error: 3 problems found:", no file named)
    assert err.startswith(f"error: {answers}: 4 problems found:")


def test_a_teacher_imports_only_their_own_answers(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_text("respondent_id,on,valued\nT007,2027-01-20,2\n", encoding="utf-8")
    args = ["voice", "import", str(answers), *_survey(store), "--survey", "2027-spring"]

    assert main([*args, "--as", "reviewee", "--user", "T006"]) == 2
    assert "only their own survey answers, not those of T007" in capsys.readouterr().err


def test_a_missing_store_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'missing.db'}"
    args = ["voice", "rate", "--store", url, "--school", "oakfield", "--cycle", "c"]
    args += ["--meeting", "m", "--usefulness", "3", "--motivation", "3"]

    assert main(args) == 2
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "missing.db").exists()
