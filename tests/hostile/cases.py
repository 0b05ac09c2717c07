"""Hostile inputs for every kind of user data, each with the message it must get.

One table drives three things: the tests in ``test_boundary.py`` (each case exits 2 with
one ``error:`` message, no traceback), the committed regression seeds of the fuzzers, and
the reference page ``docs/reference/bad-input.md`` (written by ``scripts/gen_bad_input_docs.py``
from what the cases really print, and checked to be up to date).

Each case runs in an empty working directory: `files` are written there first (bytes as
given), `fifo` names a FIFO to make, and `argv` is the command line.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from devcycle.cli import main


@dataclass(frozen=True)
class Case:
    """One hostile input: what it is, the command, the files, and a part of the message."""

    kind: str
    failure: str
    argv: tuple[str, ...]
    expect: str
    files: dict[str, bytes] = field(default_factory=dict)
    stdin: bytes | None = None
    fifo: str | None = None

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.failure}".replace(" ", "-").replace("/", "-")


def _alias_bomb() -> bytes:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 9):
        refs = ",".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return ("\n".join(lines) + "\n").encode()


DEEP_JSON = b"[" * 20_000 + b"]" * 20_000
DEEP_TOML = b"a = " + b"[" * 20_000 + b"]" * 20_000 + b"\n"
OBJ = b'[{"id": "o1", "text": "Teach phonics to Year 1 by July 2027"}]'
ROSTER_HEAD = b"id,name,roles,fte,teams,reviewer_id,start_date,email\n"
PLAN = ("plan", "--template", "england-teacher", "--year", "2027", "--dry-run")
ECT = ("plan", "--template", "england-ect-induction", "--year", "2027", "--dry-run")
BIG_FIELD = b"x" * 140_000
# School wil stored (a JSON directory store) with T1 Tom Kay: the trust's oak reuses the id.
WIL_STORE = {
    "wil/schools/wil/wil.json": b'{"kind": "school", "schema_version": 1, "data": {"id": "wil", '
    b'"name": "wil", "trust_id": null, "priorities": [], "teams": [], "country": "england", '
    b'"policy": {"pay_recommendations": false, "max_objectives": 3, '
    b'"observation_hours_cap": null}, "cpd_budgets": [], "team_milestones": [], "version": 1}}',
    "wil/staff/wil/T1.json": b'{"kind": "staff", "schema_version": 1, "data": {"id": "T1", '
    b'"name": "Tom Kay", "school_id": "wil", "roles": ["teacher"], "fte": 1.0, "team_ids": [], '
    b'"reviewer_id": null, "line_manager_id": null, "start_date": null, "email": null, '
    b'"leaving_date": null, "version": 1}}',
}
PLAN_ENTRY = b'[[entries]]\nid = "a"\ntitle = "INSET"\ndates = [2026-11-04]\nowner_id = "H1"\n'

CASES: tuple[Case, ...] = (
    # ---------------------------------------------------------------- objectives files
    Case(
        "objectives",
        "nested 20,000 deep",
        ("check", "o.json"),
        "nested deeper than 64",
        {"o.json": DEEP_JSON},
    ),
    Case(
        "objectives",
        "5,000-digit number",
        ("check", "o.json"),
        "more than 4,300 digits",
        {"o.json": b'[{"id": "a", "text": "t", "fte": ' + b"9" * 5000 + b"}]"},
    ),
    Case(
        "objectives",
        "NaN",
        ("check", "o.json"),
        "NaN is not a number JSON allows",
        {"o.json": b'[{"id": "a", "text": "t", "fte": NaN}]'},
    ),
    Case(
        "objectives",
        "impossible date",
        ("check", "o.yaml"),
        "not a real date",
        {"o.yaml": b"- id: a\n  text: Teach phonics\n  deadline: 2027-02-30\n"},
    ),
    Case(
        "objectives",
        "YAML alias bomb",
        ("check", "o.yaml"),
        "aliases (*name) would add",
        {"o.yaml": _alias_bomb()},
    ),
    Case(
        "objectives",
        "not UTF-8",
        ("check", "o.csv"),
        "not UTF-8 text: byte 0xe9 at line 2",
        {"o.csv": "id,text\na,caf\xe9\n".encode("latin-1")},
    ),
    Case(
        "objectives",
        "CSV field over 131,072 characters",
        ("check", "o.csv"),
        "field larger than field limit",
        {"o.csv": b"id,text\na," + b"x" * 140_000 + b"\n"},
    ),
    Case(
        "objectives",
        "a quoted cell never closed",
        ("check", "o.csv"),
        "o.csv: 1 problem found:\n  - a quoted cell opened on line 2 is never closed",
        {"o.csv": b'id,text\nA,"Run guided reading\nB,Teach phonics daily\n'},
    ),
    Case(
        "objectives",
        "lone surrogate",
        ("check", "o.json"),
        "lone surrogate (U+D800)",
        {"o.json": b'[{"id": "a", "text": "x \\ud800 y"}]'},
    ),
    Case("objectives", "empty file", ("check", "o.json"), "the file is empty", {"o.json": b""}),
    Case("objectives", "no records", ("check", "o.json"), "no objectives found", {"o.json": b"[]"}),
    Case(
        "objectives",
        "a duplicate id",
        ("check", "o.csv"),
        "duplicate id 'a' (first on line 2) @ line 3",
        {"o.csv": b"id,text\na,Teach phonics daily\na,Run a reading club\n"},
    ),
    Case(
        "objectives",
        "unknown column",
        ("check", "o.csv"),
        "unknown column(s) colour",
        {"o.csv": b"id,text,colour\na,Teach phonics,blue\n"},
    ),
    Case(
        "objectives",
        "unknown field",
        ("check", "o.json"),
        "unknown field(s) owner",
        {"o.json": b'[{"id": "a", "text": "t", "owner": "x"}]'},
    ),
    Case(
        "objectives",
        "unknown role",
        ("check", "o.csv"),
        "unknown role 'wizard'",
        {"o.csv": b"id,text,role\na,Teach phonics,wizard\n"},
    ),
    Case(
        "objectives",
        "FTE out of range",
        ("check", "o.csv"),
        "'fte' must be a number from",
        {"o.csv": b"id,text,fte\na,Teach phonics,1e-300\n"},
    ),
    Case(
        "objectives",
        "bad JSON Lines line",
        ("check", "o.jsonl"),
        "@ line 2",
        {"o.jsonl": b'{"id": "a", "text": "t"}\n{"id": \n'},
    ),
    Case("objectives", "FIFO", ("check", "o.json"), "expected a regular file", fifo="o.json"),
    Case(
        "objectives",
        "folder",
        ("check", "o.json"),
        "expected a file, found a folder",
        {"o.json/x": b""},
    ),
    Case("objectives", "missing file", ("check", "o.json"), "cannot read the file"),
    Case(
        "objectives", "unknown suffix", ("check", "o.txt"), "cannot tell the format", {"o.txt": OBJ}
    ),
    # -------------------------------------------------------------------- standard input
    Case("standard input", "no --stdin-format", ("check", "-"), "needs --stdin-format", stdin=OBJ),
    Case(
        "standard input",
        "nested 20,000 deep",
        ("check", "-", "--stdin-format", "json"),
        "nested deeper than 64",
        stdin=DEEP_JSON,
    ),
    Case(
        "standard input",
        "not UTF-8",
        ("check", "-", "--stdin-format", "csv"),
        "not UTF-8 text",
        stdin=b"id,text\na,\xff\n",
    ),
    # --------------------------------------------------------------------------- calendars
    Case(
        "calendar",
        "broken iCalendar date",
        (*PLAN, "--calendar", "c.ics"),
        "c.ics",
        {
            "c.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
            b"SUMMARY:Autumn term\r\nDTSTART;VALUE=DATE:20271345\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        },
    ),
    Case(
        "calendar",
        "iCalendar parameter with two values",
        (*PLAN, "--calendar", "c.ics"),
        "c.ics: 1 problem found:\n  - not valid iCalendar",
        {
            "c.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
            b"SUMMARY:Autumn term\r\nDTSTART;VALUE=DATE,DATE:20270901\r\n"
            b"END:VEVENT\r\nEND:VCALENDAR\r\n"
        },
    ),
    Case(
        "calendar",
        "years 1 to 9999",
        (*PLAN, "--calendar", "c.csv"),
        "c.csv",
        {"c.csv": b"kind,name,start,end\nterm,Autumn,0001-01-01,9999-12-31\n"},
    ),
    Case(
        "calendar",
        "a list, not a table",
        (*PLAN, "--calendar", "c.yaml"),
        "c.yaml",
        {"c.yaml": b"- 1\n- 2\n"},
    ),
    Case(
        "calendar",
        "not UTF-8",
        (*PLAN, "--calendar", "c.toml"),
        "not UTF-8 text",
        {"c.toml": b"name = '\xff'\n"},
    ),
    Case(
        "calendar",
        "CSV field over 131,072 characters",
        (*PLAN, "--calendar", "c.csv"),
        "c.csv: 1 problem found:\n  - not valid CSV: field larger than field limit",
        {"c.csv": b"kind,name,start,end\nterm," + BIG_FIELD + b",2027-09-01,2027-12-20\n"},
    ),
    # --------------------------------------------------------------------------- templates
    Case(
        "template",
        "a list, not a table",
        ("plan", "--template", "t.yaml", "--year", "2027", "--dry-run"),
        "t.yaml",
        {"t.yaml": b"- 1\n"},
    ),
    Case(
        "template",
        "nested 20,000 deep",
        ("plan", "--template", "t.json", "--year", "2027", "--dry-run"),
        "nested deeper than 64",
        {"t.json": DEEP_JSON},
    ),
    # ----------------------------------------------------------------------------- rosters
    Case(
        "roster",
        "reviewer is the person",
        (*PLAN, "--roster", "r.csv"),
        "is the person",
        {"r.csv": ROSTER_HEAD + b"T1,Anna Patel,teacher,1,,T1,,\n"},
    ),
    Case(
        "roster",
        "a start date with a time of day",
        (*PLAN, "--roster", "r.csv"),
        "not a time of day",
        {"r.csv": ROSTER_HEAD + b"T1,Anna Patel,teacher,1,,,2026-10-05 09:30:00,\n"},
    ),
    Case(
        "roster",
        "a date written month first",
        (*PLAN, "--roster", "r.csv"),
        "never month first",
        {"r.csv": ROSTER_HEAD + b"T1,Anna Patel,teacher,1,,,09/30/2026,\n"},
    ),
    Case(
        "roster",
        "a date in neither accepted form",
        (*PLAN, "--roster", "r.csv"),
        "YYYY-MM-DD or DD/MM/YYYY",
        {"r.csv": ROSTER_HEAD + b"T1,Anna Patel,teacher,1,,,2026/13/01,\n"},
    ),
    Case(
        "roster",
        "not UTF-8",
        (*PLAN, "--roster", "r.csv"),
        "not UTF-8 text",
        {"r.csv": ROSTER_HEAD + "T1,Ren\xe9e,teacher,1,,,,\n".encode("latin-1")},
    ),
    Case(
        "roster",
        "FTE 0.001 on a pro-rata template",
        (*ECT, "--roster", "r.csv"),
        "an FTE of at least 0.1 is needed (0.6 for three days a week): check the FTE "
        "@ row 2, column fte",
        {"r.csv": ROSTER_HEAD + b"E1,Cara Jones,early_career_teacher,0.001,,,,\n"},
    ),
    Case(
        "roster",
        "FTE 1e-300 on a pro-rata template",
        (*ECT, "--roster", "r.csv"),
        "E1's FTE is 1e-300",
        {"r.csv": ROSTER_HEAD + b"E1,Cara Jones,early_career_teacher,1e-300,,,,\n"},
    ),
    Case(
        "roster",
        "CSV field over 131,072 characters",
        (*PLAN, "--roster", "r.csv"),
        "r.csv: 1 problem found:\n  - not valid CSV: field larger than field limit",
        {"r.csv": ROSTER_HEAD + b"T1," + BIG_FIELD + b",teacher,1,,,,\n"},
    ),
    Case(
        "roster",
        "a closing quote missing",
        (*PLAN, "--roster", "r.csv"),
        "r.csv: 1 problem found:\n  - a quoted cell opened on row 2 has text after its closing",
        {"r.csv": ROSTER_HEAD + b'T1,"Ann Lee,teacher,1,,,,\nT2,"Ben" Okafor,teacher,1,,,,\n'},
    ),
    Case(
        "roster",
        "start date after the period",
        (*PLAN, "--roster", "r.csv"),
        "r.csv: 1 problem found:\n  - T1 joined on 2031-01-05",
        {"r.csv": ROSTER_HEAD + b"T1,Tom Teach,teacher,1,,,2031-01-05,\n"},
    ),
    Case(
        "roster",
        "another school's roster (a stored person renamed)",
        (*PLAN, "--roster", "oak.csv", "--school", "wil", "--store", "json://wil"),
        "looks like another school's roster",
        {"oak.csv": ROSTER_HEAD + b"T1,Tina Bell,teacher,1,,,,\n", **WIL_STORE},
    ),
    # ----------------------------------------------------------------------------- bundles
    Case(
        "bundle",
        "nested 20,000 deep",
        ("import", "b.json", "--store", "memory://"),
        "nested deeper than 64",
        {"b.json": DEEP_JSON},
    ),
    Case(
        "bundle",
        "5,000-digit number",
        ("import", "b.json", "--store", "memory://"),
        "more than 4,300 digits",
        {"b.json": b'{"kind": ' + b"9" * 5000 + b"}"},
    ),
    Case(
        "bundle",
        "not a bundle",
        ("import", "b.json", "--store", "memory://"),
        "expected a bundle",
        {"b.json": b"[1, 2]"},
    ),
    # ------------------------------------------------------------------------- stage files
    Case(
        "stage file",
        "not UTF-8",
        (
            "proforma",
            "--store",
            "memory://",
            "--all",
            "--stage",
            "planning",
            "--audience",
            "reviewee",
            "--stage-dir",
            "s",
            "-o",
            "out",
        ),
        "not UTF-8 text",
        {"s/planning.toml": b"title = '\xff'\n"},
    ),
    Case(
        "stage file",
        "not TOML",
        (
            "proforma",
            "--store",
            "memory://",
            "--all",
            "--stage",
            "planning",
            "--audience",
            "reviewee",
            "--stage-dir",
            "s",
            "-o",
            "out",
        ),
        "not valid TOML",
        {"s/planning.toml": b"title = \n"},
    ),
    # --------------------------------------------------------------------- store and paths
    Case("store URL", "unknown scheme", ("report", "overdue", "--store", "gopher://x"), "gopher"),
    Case(
        "store URL",
        "folder under a file",
        ("import", "b.json", "--store", "json://f/s"),
        "cannot",
        {"f": b"x", "b.json": b'{"kind": "bundle", "schema_version": 1, "data": {}}'},
    ),
    Case(
        "store URL",
        "mistyped path, read-only command",
        ("report", "overdue", "--store", "sqlite:///typo/dev.db"),
        "no store at typo/dev.db",
    ),
    Case(
        "store URL",
        "mistyped path, command changing a school",
        ("school", "priority", "brook", "P1", "--title", "Reading", "--store", "sqlite:///typo.db"),
        "no store at typo.db",
    ),
    Case(
        "output path",
        "under a file",
        ("template", "new", "x", "--from", "england-teacher", "-o", "f/x.toml"),
        "cannot",
        {"f": b"x"},
    ),
    Case(
        "output path",
        "a folder",
        ("report", "overdue", "--store", "memory://", "-o", "d"),
        "d",
        {"d/x": b"x"},
    ),
    Case(
        "output path",
        "a folder (calendar)",
        ("calendar", "england", "--year", "2027", "-o", "d"),
        "d",
        {"d/x": b"x"},
    ),
    Case(
        "output path",
        "the store's own file",
        ("calendar", "england", "--year", "2027", "-o", "devcycle.db", "--force"),
        "-o devcycle.db is the store's own database file",
        {"devcycle.db": b"SQLite format 3\x00"},
    ),
    Case(
        "output path",
        "inside a JSON store",
        ("report", "overdue", "--store", "json://js", "-o", "js/x.html"),
        "is a file inside the store's folder",
        {"js/schools/x.json": b"{}"},
    ),
    # ------------------------------------------------------------------- duplicate keys
    Case(
        "objectives",
        "a key given twice",
        ("check", "o.json"),
        "the key 'text' is given twice in one object",
        {"o.json": b'[{"id": "a", "text": "Teach phonics by July", "text": "x"}]'},
    ),
    Case(
        "objectives",
        "a YAML key given twice",
        ("check", "o.yaml"),
        "the key 'text' is given twice in one mapping",
        {"o.yaml": b"- id: a\n  text: Teach phonics by July\n  text: x\n"},
    ),
    Case(
        "training plan",
        "a misspelt table",
        ("school", "plan-training", "oak", "p.toml"),
        "unknown top-level key 'entires'; expected only 'entries'",
        {"p.toml": b'[[entires]]\nid = "a"\n'},
    ),
    Case(
        "training plan",
        "a whole-school entry naming a team",
        ("school", "plan-training", "oak", "p.toml"),
        "is whole-school but names team 'ks2'",
        {"p.toml": PLAN_ENTRY + b'level = "whole-school"\nteam_id = "ks2"\n'},
    ),
    Case(
        "training plan",
        "an individual entry naming no one",
        ("school", "plan-training", "oak", "p.toml"),
        "is an individual entry but names no participants",
        {"p.toml": PLAN_ENTRY},
    ),
    Case(
        "training plan",
        "a date in 1900",
        ("school", "plan-training", "oak", "p.toml"),
        "'dates' must be a date from 2000 to 2099 (got 1900-11-04)",
        {"p.toml": PLAN_ENTRY.replace(b"2026-11-04", b"1900-11-04") + b'level = "whole-school"\n'},
    ),
    # ------------------------------------------------------------------- checker config
    Case(
        "checker config",
        "not UTF-8",
        ("check", "--config", "c.toml", "o.json"),
        "c.toml",
        {"c.toml": b"[check]\nignore = ['\xff']\n", "o.json": OBJ},
    ),
    Case(
        "checker config",
        "nested 20,000 deep",
        ("check", "--config", "c.toml", "o.json"),
        "c.toml: not valid TOML: nested too deeply",
        {"c.toml": DEEP_TOML, "o.json": OBJ},
    ),
    Case(
        "checker config",
        "5,000-digit number",
        ("check", "--config", "c.toml", "o.json"),
        "c.toml: not valid TOML",
        {"c.toml": b"[check]\nfail-on = " + b"9" * 5000 + b"\n", "o.json": OBJ},
    ),
    Case(
        "checker config",
        "[check] is a list",
        ("check", "--config", "c.toml", "o.json"),
        "c.toml: [check] must be a table",
        {"c.toml": b"check = [1, 2]\n", "o.json": OBJ},
    ),
    # ---------------------------------------------------------------------- access policy
    Case(
        "access policy",
        "not UTF-8",
        ("access", "show", "--policy", "p.toml"),
        "p.toml: 1 problem found:\n  - not UTF-8 text",
        {"p.toml": b"[policy]\nname = '\xff'\n"},
    ),
    Case(
        "access policy",
        "nested 20,000 deep",
        ("access", "show", "--policy", "p.toml"),
        "p.toml: 1 problem found:\n  - not valid TOML: nested too deeply",
        {"p.toml": DEEP_TOML},
    ),
    Case(
        "access policy",
        "roles a list, not tables",
        ("access", "show", "--policy", "p.toml"),
        "expected [roles.NAME] tables @ $.roles",
        {"p.toml": b"roles = [1]\n"},
    ),
    # ------------------------------------------------------------------ objective bank
    Case(
        "objective bank",
        "nested 20,000 deep",
        ("bank", "check", "b.json"),
        "b.json: 1 problem found:\n  - nested deeper than 64",
        {"b.json": DEEP_JSON},
    ),
    Case(
        "objective bank",
        "a list, not a table",
        ("bank", "check", "b.json"),
        "b.json: 1 problem found:\n  - expected a table with 'objectives'",
        {"b.json": b"[1, 2]"},
    ),
)


@dataclass
class Outcome:
    status: int
    out: str
    err: str


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


class _Stdin(io.TextIOWrapper):
    pass


def run_case(case: Case, folder: Path) -> Outcome:
    """Run *case* in the empty *folder* through `devcycle.cli.main`, capturing its output."""
    for name, data in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if case.fifo:
        os.mkfifo(folder / case.fifo)
    out, err = io.StringIO(), io.StringIO()
    stdin = _Stdin(io.BytesIO(case.stdin or b""), encoding="utf-8")
    saved = sys.stdin
    sys.stdin = stdin
    try:
        with _inside(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(list(case.argv))
    finally:
        sys.stdin = saved
    return Outcome(status, out.getvalue(), err.getvalue())
