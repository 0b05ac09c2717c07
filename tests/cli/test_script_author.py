"""The command line a script author expects: a school planned from the shipped sample roster
reports at once; schools can be created and shown; names and columns get "did you mean";
counts are singular or plural as they should be; reports go to Word and to full-text CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from tests.reports import demo_store

from devcycle.cli import main
from devcycle.cli.report import MAIN_TABLES, data_tables
from devcycle.demo import build_demo
from devcycle.reports import REPORT_NAMES, ReportData, Scope
from devcycle.reports import run as run_report
from devcycle.storage import open_store

EXAMPLES = Path(__file__).parents[2] / "examples"
REPORTS = REPORT_NAMES


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The shipped sample roster planned into a new store for the school 'brook'."""
    folder = tmp_path_factory.mktemp("brook")
    url = f"sqlite:///{folder / 'devcycle.db'}"
    terms = folder / "terms.toml"
    assert main(["calendar", "england", "--year", "2026", "--years", "2", "-o", str(terms)]) == 0
    for template in ("england-teacher", "england-headteacher", "england-support-staff"):
        code = main(
            [
                "plan",
                "--store",
                url,
                "--template",
                template,
                "--year",
                "2026",
                "--calendar",
                str(terms),
                "--roster",
                str(EXAMPLES / "staff.csv"),
                "--school",
                "brook",
                "--school-name",
                "Brook Primary",
            ]
        )
        assert code == 0
    return url, folder


def test_the_sample_roster_has_twenty_people_in_every_role_group() -> None:
    """The roster the README plans from: 20 staff, teachers, leaders, TAs and support staff."""
    rows = list(csv.DictReader((EXAMPLES / "staff.csv").read_text(encoding="utf-8").splitlines()))
    roles = {role for row in rows for role in row["roles"].split(";")}

    assert len(rows) == 20
    assert {"headteacher", "teacher", "teaching_assistant", "support_staff"} <= roles


def test_planning_from_a_roster_creates_the_school_so_every_report_works(
    planned: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """After plan --roster --school brook, every report runs for brook (it said 'no school')."""
    url, folder = planned
    for name in REPORTS:
        code, _out, err = run(
            capsys,
            "report",
            name,
            "--store",
            url,
            "--school",
            "brook",
            "--as-of",
            "2026-11-20",
            "--format",
            "html",
            "-o",
            str(folder / f"{name}.html"),
        )

        assert (code, name) == (0, name), err
        assert "Brook Primary" in (folder / f"{name}.html").read_text(encoding="utf-8")


def test_school_show_and_list_say_what_planning_made(
    planned: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The school has the roster's teams; show and list count its staff and cycles."""
    url, _ = planned

    code, shown, _ = run(capsys, "school", "show", "brook", "--store", url)
    _, listed, _ = run(capsys, "school", "list", "--store", url)

    assert code == 0
    assert "Brook Primary [brook]" in shown
    for team in ("eyfs-ks1", "ks2", "office", "site", "slt"):
        assert f"  {team} " in shown
    # the whole roster is the school's staff, enrolled or not (19 cycles for 20 people)
    assert "brook  Brook Primary  (20 members of staff, 19 cycles)" in listed


def test_school_add_then_plan_keeps_the_names_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A school created first keeps its name and team names; planning adds only what it lacks."""
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    code, out, _ = run(
        capsys,
        "school",
        "add",
        "brook",
        "--store",
        url,
        "--name",
        "Brook Primary",
        "--team",
        "ks2=Key Stage 2",
        "--priority",
        "P1=Reading for pleasure",
    )
    assert code == 0
    assert "with 1 team and 1 priority" in out

    code, out, _ = run(
        capsys,
        "plan",
        "--store",
        url,
        "--template",
        "england-headteacher",
        "--year",
        "2026",
        "--roster",
        str(EXAMPLES / "staff.csv"),
        "--school",
        "brook",
    )
    assert code == 0
    assert "Created 1 cycle in" in out
    assert "Added teams to school 'brook': eyfs-ks1, office, site, slt" in out
    with open_store(url) as store:
        school = store.schools.get("brook")
    assert school.name == "Brook Primary"
    assert school.team("ks2").name == "Key Stage 2"
    assert [p.id for p in school.priorities] == ["P1"]


def test_adding_a_school_twice_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The second add exits 2 and points at school show."""
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    assert run(capsys, "school", "add", "oak", "--store", url, "--name", "Oak")[0] == 0

    code, _, err = run(capsys, "school", "add", "oak", "--store", url, "--name", "Oak")

    assert code == 2
    assert "already stored; see: devcycle school show oak" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("report", "helth"), "did you mean 'health'?"),
        (("report", "health", "--format", "dox"), "did you mean 'docx'?"),
        (
            ("report", "health", "--school", "brok", "--as-of", "2026-11-20"),
            "did you mean 'brook'?",
        ),
        (("school", "show", "brok"), "did you mean 'brook'?"),
        (
            ("report", "health", "--school", "brook", "--team", "ks3", "--as-of", "2026-11-20"),
            "did you mean 'ks2'?",
        ),
        (("template", "show", "england-teachr"), "did you mean 'england-teacher'?"),
    ],
)
def test_a_mistyped_name_gets_did_you_mean(
    planned: tuple[str, Path],
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    expected: str,
) -> None:
    """Report names, formats, schools, teams and templates suggest the closest one."""
    url, _ = planned
    store = ("--store", url) if args[0] in ("report", "school") else ()

    code, _, err = run(capsys, *args, *store)

    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_a_mistyped_roster_column_gets_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'role' for 'roles' is named with the column it should be."""
    roster = tmp_path / "staff.csv"
    roster.write_text("id,name,role\nT1,Ann Lee,teacher\n", encoding="utf-8")

    code, _, err = run(
        capsys, "plan", "--template", "england-teacher", "--year", "2026", "--roster", str(roster)
    )

    assert code == 2
    assert "for 'role' did you mean 'roles'?" in err


def test_a_mistyped_objectives_field_gets_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt column of an objectives file is reported, not silently ignored."""
    objectives = tmp_path / "objectives.csv"
    objectives.write_text("id,text,succes_criteria\n1,Improve reading,Tests\n", encoding="utf-8")

    code, _, err = run(capsys, "check", str(objectives))

    assert code == 2
    assert "for 'succes_criteria' did you mean 'success_criteria'?" in err


def test_counts_are_singular_or_plural(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One objective with one finding reads '1 objective' and '1 finding'."""
    objectives = tmp_path / "one.csv"
    objectives.write_text(
        "id,text,deadline\n1,Improve my teaching by reading more.,2027-03-31\n", encoding="utf-8"
    )

    _code, out, _ = run(capsys, "check", str(objectives))

    assert "Checked 1 objective:" in out
    assert "objectives:" not in out
    assert " 1 findings" not in out


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'devcycle.db'}"
    demo_store(url)
    return url


def test_report_as_word_is_a4_by_default(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """report --format docx writes a Word file (A4); --paper letter gives US Letter."""
    a4, letter = tmp_path / "a4.docx", tmp_path / "letter.docx"
    common = ("report", "health", "--store", demo_url, "--as-of", "2027-02-12", "--format", "docx")

    assert run(capsys, *common, "-o", str(a4))[0] == 0
    assert run(capsys, *common, "--paper", "letter", "-o", str(letter))[0] == 0

    def page(path: Path) -> str:
        xml = zipfile.ZipFile(path).read("word/document.xml").decode()
        return xml[xml.index("<w:pgSz") :].split("/>")[0]

    assert 'w:w="11906"' in page(a4)
    assert 'w:w="12240"' in page(letter)
    assert "Process health check" in zipfile.ZipFile(a4).read("word/document.xml").decode()


def test_word_to_standard_output_is_refused(
    demo_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A binary file is not poured into a terminal."""
    code, _, err = run(capsys, "report", "health", "--store", demo_url, "--format", "docx")

    assert code == 2
    assert "give -o health.docx" in err


def test_csv_zip_holds_every_table_in_full_with_ids(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o progress.zip: one CSV per table, statements unshortened, staff and objective ids."""
    target = tmp_path / "progress.zip"

    code, _, _ = run(
        capsys,
        *("report", "progress", "--store", demo_url, "--as-of", "2027-02-12"),
        *("--format", "csv", "-o", str(target)),
    )

    assert code == 0
    archive = zipfile.ZipFile(target)
    names = archive.namelist()
    assert {"progress-summary.csv", "progress-people.csv", "progress-people-objectives.csv"} <= set(
        names
    )
    rows = list(
        csv.DictReader(io.StringIO(archive.read("progress-people-objectives.csv").decode()))
    )
    assert {"staff_id", "cycle_id", "objective_id", "statement", "colour"} <= set(rows[0])
    statements = [r["statement"] for r in rows]
    assert not [s for s in statements if s.endswith("…")]
    assert max(len(s) for s in statements) > 90
    assert all(r["staff_id"] and r["objective_id"] for r in rows)


def test_csv_to_a_folder_writes_one_file_per_table(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o DIR/ writes each table as its own file."""
    folder = tmp_path / "health-tables"
    folder.mkdir()

    code, _, err = run(
        capsys,
        *("report", "health", "--store", demo_url, "--as-of", "2027-02-12"),
        *("--format", "csv", "-o", str(folder)),
    )

    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "health-items.csv",
        "health-summary.csv",
        "health-unreviewed.csv",  # every table is there, a header alone when empty
    ]
    assert "Wrote 3 tables" in err


def test_csv_to_a_new_folder_named_with_a_slash_writes_a_folder_not_a_file(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o new2/ (not there yet) wrote a FILE called new2 (user trial): the slash means a folder."""
    folder = tmp_path / "new2"

    code, _, err = run(
        capsys,
        *("report", "health", "--store", demo_url, "--as-of", "2027-02-12"),
        *("--format", "csv", "-o", f"{folder}/"),
    )

    assert code == 0
    assert folder.is_dir()
    assert sorted(p.name for p in folder.iterdir()) == [
        "health-items.csv",
        "health-summary.csv",
        "health-unreviewed.csv",  # every table is there, a header alone when empty
    ]
    assert "Wrote 3 tables" in err


@pytest.mark.parametrize("fmt", ["html", "json"])
def test_a_folder_for_a_single_file_format_is_refused_and_nothing_written(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    target = tmp_path / "new3"

    code, _, err = run(
        capsys,
        *("report", "health", "--store", demo_url, "--as-of", "2027-02-12"),
        *("--format", fmt, "-o", f"{target}/"),
    )

    assert code == 2
    assert "is a folder; give a file name" in err
    assert "Traceback" not in err
    assert not target.exists()


def test_a_folder_named_over_an_existing_file_is_refused(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    taken = tmp_path / "taken"
    taken.write_text("mine", encoding="utf-8")

    code, _, err = run(
        capsys,
        *("report", "health", "--store", demo_url, "--as-of", "2027-02-12"),
        *("--format", "csv", "-o", f"{taken}/"),
    )

    assert code == 2
    assert "names a file, not a folder" in err
    assert taken.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("name", "main_columns"),
    [
        ("needs", {"key", "text", "staff_ids"}),
        ("priorities", {"priority_id", "baseline", "target", "status"}),
    ],
)
def test_an_empty_main_table_is_written_as_its_header_never_the_summary(
    planned: tuple[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    main_columns: set[str],
) -> None:
    """A school with no needs or no KPIs got the summary table where the main table was
    promised (user trial): the main table is the main table, its header alone when empty."""
    url, _ = planned
    common = ("report", name, "--store", url, "--school", "brook", "--as-of", "2026-10-01")

    code, out, err = run(capsys, *common, "--format", "csv")
    assert code == 0, err
    assert f"this is the {MAIN_TABLES[name]} table" in err
    [header] = out.splitlines()  # no rows
    assert main_columns <= set(header.split(","))
    assert "scope.as_of" not in header

    target = tmp_path / f"{name}.csv"
    assert run(capsys, *common, "--format", "csv", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").splitlines() == [header]


def test_the_columns_of_every_table_are_the_same_whatever_the_data() -> None:
    """The overdue report's people table had an overdue column only when nobody was overdue
    (user trial). Every report's tables and their columns depend on the report, never on
    the data: a school and one person, early and late in the year, give the same headers."""
    sample = build_demo(2026)
    data = ReportData(
        schools=[sample.school], staff=sample.staff, cycles=sample.cycles, cpd=sample.cpd
    )
    person = Scope(school_id=sample.school.id, person_id=sample.staff[3].id)
    for name in REPORT_NAMES:
        headers = set()
        for as_of in (date(2026, 9, 2), date(2027, 2, 12), date(2027, 7, 20)):
            for scope in (None, person):
                if name == "voice" and scope is person:
                    continue  # the voice report is never for one person
                result = run_report(name, data, as_of=as_of, scope=scope)
                tables = data_tables(name, result)
                headers.add(tuple((table, columns) for table, (columns, _) in tables.items()))
                assert MAIN_TABLES[name] in tables
        assert len(headers) == 1, name


def test_dates_in_help_are_one_format(capsys: pytest.CaptureFixture[str]) -> None:
    """Every date option of report, plan and calendar export says YYYY-MM-DD."""
    for args in (("report", "--help"), ("calendar", "export", "--help"), ("proforma", "--help")):
        _code, out, _ = run(capsys, *args)
        assert "YYYY-MM-DD" in out, args
        assert "%Y" not in out, args
