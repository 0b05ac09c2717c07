"""devcycle proforma: one person, a team into a folder, everyone into one file."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from devcycle.cli import main


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'demo.db'}"
    assert main(["demo", "--store", url]) == 0
    return url


def _run(store: str, *args: str) -> int:
    return main(["proforma", "--store", store, "--as-of", "2027-02-12", *args])


def test_one_persons_final_review_as_word(store: str, tmp_path: Path) -> None:
    out = tmp_path / "anna.docx"

    status = _run(
        store, "--person", "T006", "--stage", "final", "--audience", "reviewee", "-o", str(out)
    )

    assert status == 0
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        assert "Anna Patel" in archive.read("word/document.xml").decode()


def test_a_team_into_a_folder_one_file_each(store: str, tmp_path: Path) -> None:
    status = _run(
        store,
        "--team",
        "ks2",
        "--stage",
        "planning",
        "--audience",
        "reviewer",
        "--format",
        "html",
        "-o",
        str(tmp_path / "ks2"),
    )

    assert status == 0
    names = sorted(p.name for p in (tmp_path / "ks2").iterdir())
    assert "T006-planning-reviewer.html" in names
    assert len(names) >= 4


def test_everyone_into_one_combined_file_a_page_each(store: str, tmp_path: Path) -> None:
    out = tmp_path / "school.md"

    status = _run(
        store,
        "--all",
        "--stage",
        "check-in",
        "--audience",
        "headteacher",
        "--format",
        "md",
        "--combined",
        "-o",
        str(out),
    )

    assert status == 0
    text = out.read_text(encoding="utf-8")
    assert "Anna Patel" in text
    assert "Grace Okafor" in text


def test_markdown_to_standard_output(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = _run(
        store,
        "--person",
        "E009",
        "--stage",
        "ect-progress",
        "--audience",
        "reviewer",
        "--format",
        "md",
    )

    assert status == 0
    assert "TS8 Fulfil wider professional responsibilities" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--person", "T006", "--stage", "final"], "missing --audience"),
        (["--person", "T006", "--audience", "reviewee"], "missing --stage"),
        (["--stage", "final", "--audience", "reviewee"], "choose exactly one"),
        (
            ["--person", "NOPE", "--stage", "final", "--audience", "reviewee"],
            "no member of staff 'NOPE'",
        ),
        (["--team", "nope", "--stage", "final", "--audience", "reviewee"], "no team 'nope'"),
        (
            ["--person", "T006", "--stage", "party", "--audience", "reviewee"],
            "no proforma stage 'party'",
        ),
        (["--person", "T006", "--stage", "final", "--audience", "parents"], "parents"),
    ],
)
def test_bad_input_is_one_clear_message_and_exit_2(
    store: str, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = _run(store, *args)

    assert status == 2
    assert message in capsys.readouterr().err


def test_list_stages(store: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["proforma", "--store", store, "--list-stages"]) == 0
    out = capsys.readouterr().out
    assert "ect_assessment" in out
    assert "docx" in out


def test_rag_comes_from_the_policy_or_as_recorded(
    store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--person", "T006", "--stage", "check-in", "--audience", "reviewer", "--format", "md"]

    assert _run(store, *base) == 0
    assert "time to the deadline gone" in capsys.readouterr().out
    assert _run(store, *base, "--rag", "recorded") == 0
    assert "time to the deadline gone" not in capsys.readouterr().out


@pytest.fixture(scope="module")
def two_schools(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two schools of a trust whose rosters reuse the same staff and team ids."""
    folder = tmp_path_factory.mktemp("trust")
    url = f"sqlite:///{folder / 'trust.db'}"
    for school, head, teacher in (("oak", "Helen Oak", "Anna Oak"), ("elm", "Hal Elm", "Tom Elm")):
        roster = folder / f"{school}.csv"
        roster.write_text(
            f"id,name,roles,teams,reviewer_id\nH1,{head},headteacher,slt,\n"
            f"T1,{teacher},teacher,ks2,H1\n",
            encoding="utf-8",
        )
        args = ["plan", "--store", url, "--template", "england-teacher", "--year", "2026"]
        assert main([*args, "--roster", str(roster), "--school", school]) == 0
    return url


@pytest.mark.parametrize("who", [("--person", "T1"), ("--team", "ks2")])
def test_an_id_two_schools_use_is_refused_without_the_school(
    two_schools: str, who: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two schools' "T1" are two people: one proforma must never hold both (nor a team's
    # proforma both schools' "ks2"), as the reports refuse the same.
    out = tmp_path / "out.md"
    args = ["--stage", "planning", "--audience", "reviewer", "--format", "md", "--combined"]

    status = _run(two_schools, *who, *args, "-o", str(out))

    assert status == 2
    assert "exists in several schools (elm, oak): name the school" in capsys.readouterr().err
    assert not out.exists()
    assert _run(two_schools, *who, *args, "--school", "oak", "-o", str(out)) == 0
    text = out.read_text(encoding="utf-8")
    assert "Anna Oak" in text
    assert "Tom Elm" not in text
    if who[0] == "--team":  # one member, so one page: "1 person", never "1 people"
        assert text.splitlines()[0].endswith(": 1 person")
