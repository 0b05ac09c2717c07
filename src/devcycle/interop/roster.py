"""A staff roster from CSV, checked row by row: every bad row is reported, none is half-read.

The columns (a header row names them; order does not matter):

| column | required | what |
| --- | --- | --- |
| ``id`` | yes | the staff id in your MIS ("T042") |
| ``name`` | yes | the person's name |
| ``roles`` | yes | one or more roles separated by ``;`` (``teacher;middle_leader``) |
| ``fte`` | no | full-time equivalent above 0 and at most 1 (default 1) |
| ``teams`` | no | team ids separated by ``;`` |
| ``reviewer_id`` | no | the staff id of their reviewer |
| ``start_date`` | no | when they joined (for mid-cycle joiners) |
| ``email`` | no | a contact address |
| ``leaving_date`` | no | their last day, once they leave (or are due to) |

A date is YYYY-MM-DD or, as a UK MIS or spreadsheet exports it, DD/MM/YYYY: ``01/09/2026``
is 1 September 2026, always day first (``09/30/2026`` is refused, not read month first).
It may carry a midnight time (``2027-01-04 00:00:00``, as Excel exports dates); any other
time of day is refused, as is any other form (``2026/09/01``, a two-digit year).

`parse_roster` either returns every person or raises one `ValidationError` listing each
problem as ``description @ row N, column C``: an unknown role, a bad date or FTE, a missing
field, a duplicate id. Callers plan nothing from a roster with a bad row.

A reviewer must be on the staff of the same school: in the roster, or already stored for
that school (a trust's schools reuse ids, so only the roster's own school's staff count).
Given the ids stored for the school (``stored=``), `parse_roster` checks reviewers in the
same pass, so one run names every bad row; `check_reviewers` checks people already read.
Given the stored staff themselves and a day (``as_of=``), it also refuses a reviewer who
has left the school by that day (`departed_reviewers`): an old roster run again must not
make a leaver someone's reviewer once more.

Given the stored staff (``stored=`` a mapping by id), it also refuses, in the same pass, a
row that would change the name of a stored member of staff (`renamed_staff`): a trust's
schools reuse ids, so a roster whose ``T1`` is someone else is most likely another
school's, given the wrong ``--school``; saving it would hand every shared id's record and
cycles to a stranger. A genuine change of name is accepted with ``accept_renames=True``
(``devcycle plan --accept-renames``). Names that differ only in capitals or white space
are the same name (`same_name`).

Given the stored staff and a day, it also refuses a row whose ``leaving_date`` cell is
blank for someone with a leaving date stored, past or future (`reinstated_staff`): a roster
exported before ``devcycle person leave`` would put the leaver back on the staff. Someone
genuinely staying is accepted with ``accept_reinstatements=True`` (``devcycle plan
--accept-reinstatements``).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from devcycle.domain.people import Role, StaffMember
from devcycle.domain.reviewers import governors_review
from devcycle.errors import ValidationError, did_you_mean
from devcycle.fileio import read_text
from devcycle.interop._day import day_problem, parse_day
from devcycle.interop.csvquote import refuse_bad_quotes

__all__ = [
    "COLUMNS",
    "FIELDS",
    "changed_cells",
    "check_reviewers",
    "cleared_leavers",
    "departed_reviewers",
    "load_roster",
    "parse_roster",
    "reinstated_staff",
    "renamed_staff",
    "roster_fields",
    "roster_rows",
    "roster_updates",
    "row_numbers",
    "same_name",
]

COLUMNS = (
    "id",
    "name",
    "roles",
    "fte",
    "teams",
    "reviewer_id",
    "start_date",
    "email",
    "leaving_date",
)
"""The columns a roster may have; ``id``, ``name`` and ``roles`` are required."""

_REQUIRED = ("id", "name", "roles")

FIELDS: Mapping[str, str] = {
    "id": "id",
    "name": "name",
    "roles": "roles",
    "fte": "fte",
    "teams": "team_ids",
    "reviewer_id": "reviewer_id",
    "start_date": "start_date",
    "email": "email",
    "leaving_date": "leaving_date",
}
"""Each roster column -> the `StaffMember` field it gives."""
_ROLES = ", ".join(r.value for r in Role)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace("|", ";").split(";") if part.strip()]


def _cells(row: Mapping[Any, Any]) -> dict[str, str]:
    """A row's cells by column name (lower-cased, trimmed), each trimmed text."""
    return {k.strip().lower(): str(v or "").strip() for k, v in row.items() if isinstance(k, str)}


def _date(cells: Mapping[str, str], column: str, where: str, problems: list[str]) -> date | None:
    """The date in *column* (None when empty), or None with the problem added."""
    text = cells.get(column)
    if not text:
        return None
    try:
        return parse_day(text, day_first=True)
    except ValueError as exc:
        problem = day_problem(column, text, exc, day_first=True)
        problems.append(f"{problem} @ {where}, column {column}")
        return None


def _row(
    cells: Mapping[str, str], where: str, school_id: str, problems: list[str]
) -> StaffMember | None:
    before = len(problems)
    for column in _REQUIRED:
        if not cells.get(column):
            problems.append(f"{column} is required @ {where}, column {column}")
    roles: list[Role] = []
    for name in _split(cells.get("roles", "")):
        try:
            roles.append(Role(name.lower().replace(" ", "_").replace("-", "_")))
        except ValueError:
            problems.append(
                f"unknown role {name!r}; expected one of: {_ROLES} @ {where}, column roles"
            )
    fte = 1.0
    if cells.get("fte"):
        try:
            fte = float(cells["fte"])
        except ValueError:
            fte = -1.0
        if not 0 < fte <= 1:
            problems.append(
                f"fte must be a number above 0 and at most 1, e.g. 0.6 (got {cells['fte']!r}) "
                f"@ {where}, column fte"
            )
    start = _date(cells, "start_date", where, problems)
    leaving = _date(cells, "leaving_date", where, problems)
    if start is not None and leaving is not None and leaving < start:
        problems.append(
            f"leaving_date {leaving} is before start_date {start}: expected a day on or "
            f"after it @ {where}, column leaving_date"
        )
    if cells.get("reviewer_id") and cells.get("reviewer_id") == cells.get("id"):
        problems.append(
            f"reviewer_id {cells['id']!r} is the person themself: a reviewer must be someone "
            f"else (or leave it empty) @ {where}, column reviewer_id"
        )
    if len(problems) > before:
        return None
    try:
        return StaffMember(
            id=cells["id"],
            name=cells["name"],
            school_id=school_id,
            roles=roles,
            fte=fte,
            team_ids=_split(cells.get("teams", "")),
            reviewer_id=cells.get("reviewer_id") or None,
            start_date=start,
            email=cells.get("email") or None,
            leaving_date=leaving,
        )
    except ValidationError as exc:
        problems.extend(f"{p.message} @ {where}, column {_column(p.path)}" for p in exc.problems)
        return None


def _column(path: str) -> str:
    field = path.removeprefix("$.").split(".")[0].split("[")[0]
    return {"team_ids": "teams"}.get(field, field)


def parse_roster(
    text: str,
    *,
    school_id: str,
    source: str | None = None,
    stored: Collection[str] | None = None,
    as_of: date | None = None,
    accept_renames: bool = False,
    accept_reinstatements: bool = False,
) -> tuple[StaffMember, ...]:
    """Read a roster CSV into staff members of *school_id*, or report every bad row.

    Args:
        text: The CSV text, with a header row.
        school_id: The school the staff belong to.
        source: Where the text came from, for messages.
        stored: The ids of the staff stored for *school_id*: when given, every reviewer
            must be in the roster or among them (as `check_reviewers`), checked in the
            same pass as the rows. None leaves reviewers to the caller.
        as_of: With *stored* a mapping of the stored staff by id: refuse, in the same
            pass, a reviewer who has left the school by this day (`departed_reviewers`).
        accept_renames: With *stored* a mapping of the stored staff by id, a row giving a
            stored person another name is refused (`renamed_staff`: most likely another
            school's roster) unless this is True.
        accept_reinstatements: With *stored* a mapping and *as_of*, a row whose
            ``leaving_date`` is blank for someone with a leaving date stored is refused
            (`reinstated_staff`: most likely a roster exported before the leaving date was
            recorded) unless this is True.

    Raises:
        ValidationError: Listing every problem, each ``@ row N, column C``; no one is
            returned when any row is bad.
    """
    refuse_bad_quotes(text, source=source)
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in reader.fieldnames or ()]
        problems = _header_problems(header)
        if problems:
            raise ValidationError(problems, source=source)
        people: list[StaffMember] = []
        first_row: dict[str, int] = {}
        reviewers: list[tuple[int, str]] = []
        spellings: dict[str, tuple[str, str]] = {}
        ids: dict[str, tuple[str, str]] = {}
        # Whose name a row may not change: the stored staff, unless renames are accepted.
        names: Mapping[str, StaffMember] = (
            stored if isinstance(stored, Mapping) and not accept_renames else {}
        )
        for row in reader:
            if _blank(row):  # a spreadsheet's trailing ",,," rows carry nothing
                continue
            number = reader.line_num  # the file's own line: blank lines are counted
            where = f"row {number}"
            staff_id = (row.get("id") or "").strip()
            reviewer = str(row.get("reviewer_id") or "").strip()
            if reviewer and reviewer != staff_id:
                reviewers.append((number, reviewer))
            if staff_id and staff_id in first_row:
                problems.append(
                    f"duplicate id {staff_id!r} (first on row {first_row[staff_id]}) @ {where}, "
                    "column id"
                )
                continue
            if staff_id:
                first_row[staff_id] = number
                _check_id_spelling(staff_id, ids, stored, where, problems)
            cells = _cells(row)
            # Checked on the cell, so a row refused for another reason is named too.
            renamed = _rename_problem(
                staff_id, cells.get("name", ""), names.get(staff_id), school_id, number
            )
            problems += [renamed] if renamed else []
            person = _row(cells, where, school_id, problems)
            if person is not None:
                people.append(person)
            # Checked on the cell as written, so that a row refused for another reason
            # still sets the spelling a later row is compared with (one run names both).
            teams = dict.fromkeys(_split(cells.get("teams", "")))
            _check_team_spelling(teams, spellings, where, problems)
        if stored is not None:
            problems += _reviewer_problems(
                people,
                reviewers,
                first_row,
                stored,
                school_id,
                as_of,
                header,
                reinstate=accept_reinstatements,
            )
        if not people and not problems:
            problems.append(
                "no staff: the file has a header and no rows (an MIS export that failed?); "
                "a roster lists the school's staff, one person a row @ row 2"
            )
        if problems:
            raise ValidationError(sorted(problems, key=_row_number), source=source)
        return tuple(people)
    except csv.Error as exc:  # a field over the csv module's limit, a NUL in old Pythons
        raise ValidationError(
            [f"not valid CSV: {exc} @ row {reader.reader.line_num}"], source=source
        ) from None


def _reviewer_problems(  # noqa: PLR0917 - what parse_roster read, checked at once
    people: Sequence[StaffMember],
    reviewers: Sequence[tuple[int, str]],
    rows: Mapping[str, int],
    stored: Collection[str],
    school_id: str,
    as_of: date | None,
    header: Collection[str],
    *,
    reinstate: bool,
) -> list[str]:
    """The reviewers of a roster not on the school's staff, or (with *as_of*) gone from it.

    With *as_of*, also the people whose blank ``leaving_date`` would clear a stored one
    (`reinstated_staff`), unless *reinstate* (``accept_reinstatements``).

    A headteacher's reviewer may be from outside the staff (`governors_review`: a governor).
    """
    known = set(rows) | set(stored)
    governed = {rows.get(p.id) for p in people if governors_review(p)}
    problems = [
        _unknown_reviewer(reviewer, school_id, known, number)
        for number, reviewer in reviewers
        if reviewer not in known and number not in governed
    ]
    if as_of is not None and isinstance(stored, Mapping):
        problems += departed_reviewers(
            people,
            stored,
            on=as_of,
            school_id=school_id,
            rows=rows,
            carries_leaving_date="leaving_date" in header,
            reinstate=reinstate,
        )
        if "leaving_date" in header and not reinstate:
            problems += reinstated_staff(people, stored, school_id=school_id, rows=rows)
    return problems


def _header_problems(header: Sequence[str]) -> list[str]:
    """What is wrong with a roster's header (lower-cased names): missing or unknown columns."""
    problems: list[str] = []
    unknown = [h for h in header if h and h not in COLUMNS]
    separated = _separator_hint(unknown)
    missing = [c for c in _REQUIRED if c not in header]
    if missing and not separated:  # a file separated by ";" names them all, in one cell
        problems.append(f"the header must name the columns {', '.join(missing)} @ row 1")
    if unknown:
        hints = [f"for {h!r} {hint}" for h in unknown if (hint := did_you_mean(h, COLUMNS))]
        hints += separated
        problems.append(
            f"unknown column(s) {', '.join(unknown)}; "
            + (f"{'; '.join(hints)}; " if hints else "")
            + f"expected: {', '.join(COLUMNS)} @ row 1"
        )
    return problems


def _separator_hint(unknown: Sequence[str]) -> list[str]:
    """A hint when the header is one cell of columns joined by ``;`` or a tab (not commas)."""
    for separator, name in ((";", "semicolons"), ("\t", "tabs")):
        parts = [p.strip() for h in unknown for p in h.split(separator)]
        if any(separator in h for h in unknown) and set(parts) & set(COLUMNS):
            return [
                f"the columns look separated by {name}: save the file as comma-separated "
                f"CSV (a spreadsheet's 'CSV UTF-8 (comma delimited)')"
            ]
    return []


def _check_id_spelling(
    staff_id: str,
    seen: dict[str, tuple[str, str]],
    stored: Collection[str] | None,
    where: str,
    problems: list[str],
) -> None:
    """Refuse a staff id spelt with other capitals than before, or than a stored person's.

    Staff ids are exact, so ``t1`` beside ``T1`` would store a second person with their own
    cycle; in one school's roster that is a typo (or an MIS export changing its ids).
    """
    if _spelt_again(
        staff_id, seen, where, problems, what=("id", "staff ids", "store two people", "id")
    ):
        return
    if stored is not None and staff_id not in stored:
        known = [k for k in stored if k.casefold() == staff_id.casefold()]
        if known:
            problems.append(
                f"id {staff_id!r} differs from the stored {known[0]!r} only in its capitals: "
                f"staff ids are exact, so this would store a second person; spell it as "
                f"stored @ {where}, column id"
            )


def _check_team_spelling(
    teams: Iterable[str], seen: dict[str, tuple[str, str]], where: str, problems: list[str]
) -> None:
    """Refuse a team id spelt with other capitals than before ("KS2" after "ks2").

    Team ids are exact, so two spellings would make two teams; in one roster that is a typo.
    *seen* maps each lower-cased id to its first spelling and where it was.
    """
    for team in teams:
        _spelt_again(
            team, seen, where, problems, what=("team", "team ids", "make two teams", "teams")
        )


def _spelt_again(
    value: str,
    seen: dict[str, tuple[str, str]],
    where: str,
    problems: list[str],
    *,
    what: tuple[str, str, str, str],
) -> bool:
    """Whether *value* differs from an earlier row's only in its capitals (a problem added).

    *seen* maps each case-folded value to its first spelling and where it was; *what* is
    the kind of value, its kind of id, what two spellings would do, and the column.
    """
    kind, ids, would, column = what
    first, first_where = seen.setdefault(value.casefold(), (value, where))
    if value == first:
        return False
    problems.append(
        f"{kind} {value!r} differs from {first!r} ({first_where}) only in its capitals: "
        f"{ids} are exact, so this would {would}; spell it one way @ {where}, "
        f"column {column}"
    )
    return True


def _blank(row: Mapping[Any, Any]) -> bool:
    """Whether every cell of *row* is empty or white space (extra cells included)."""
    for value in row.values():
        cells = value if isinstance(value, list) else [value]
        if any(str(cell or "").strip() for cell in cells):
            return False
    return True


def _row_number(problem: str) -> int:
    """The row a problem names (``... @ row N, ...``), for listing problems in file order."""
    _, _, where = problem.rpartition(" @ row ")
    digits = where.split(",")[0]
    return int(digits) if digits.isdigit() else 0


def _unknown_reviewer(
    reviewer: str,
    school_id: str,
    known: Collection[str],
    number: int | None,
    *,
    staff_id: str | None = None,
) -> str:
    hint = did_you_mean(reviewer, known)
    whose = f" (the reviewer of {staff_id!r})" if number is None and staff_id else ""
    where = f"row {number}, column reviewer_id" if number is not None else "column reviewer_id"
    return (
        f"reviewer_id {reviewer!r}{whose} is not on the staff of school {school_id!r}"
        f"{'; ' + hint if hint else ''} (expected the id of someone in this roster or "
        f"already stored for {school_id!r}) @ {where}"
    )


def load_roster(
    path: str | Path,
    *,
    school_id: str,
    stored: Collection[str] | None = None,
    as_of: date | None = None,
    accept_renames: bool = False,
    accept_reinstatements: bool = False,
) -> tuple[StaffMember, ...]:
    """Read a roster CSV file; see `parse_roster` (its *stored*, *as_of*, *accept_...*).

    Raises:
        ValidationError: Naming the file and every bad row.
    """
    file = Path(path)
    text = read_text(file)
    return parse_roster(
        text,
        school_id=school_id,
        source=str(file),
        stored=stored,
        as_of=as_of,
        accept_renames=accept_renames,
        accept_reinstatements=accept_reinstatements,
    )


def check_reviewers(
    people: Sequence[StaffMember],
    *,
    school_id: str,
    stored: Collection[str] = (),
    source: str | None = None,
    rows: Mapping[str, int] | None = None,
) -> None:
    """Refuse a roster naming a reviewer who is neither in it nor on the school's staff.

    A headteacher's reviewer may be from outside the staff (`governors_review`: a governor).

    Args:
        people: The roster as `parse_roster` returned it.
        school_id: The school the roster is for.
        stored: The ids of the staff stored for *that* school (not the trust's other
            schools: ids are per school).
        source: The roster's file name, for messages.
        rows: The row of each staff id (`row_numbers` of the roster's text): the file's own
            line, as `parse_roster` names it, blank lines and multi-line cells counted.
            Without it a problem names the person's id and the column, not a row (a row
            guessed from the person's place in *people* would be wrong for such a file).

    Raises:
        ValidationError: Listing every row whose reviewer is unknown.
    """
    known = {p.id for p in people} | set(stored)
    problems = [
        _unknown_reviewer(
            person.reviewer_id,
            school_id,
            known,
            rows.get(person.id) if rows is not None else None,
            staff_id=person.id,
        )
        for person in people
        if person.reviewer_id is not None
        and person.reviewer_id not in known
        and not governors_review(person)
    ]
    if problems:
        raise ValidationError(sorted(problems, key=_row_number), source=source)


def _cell(row: int | None, column: str) -> str:
    """Where a problem found after reading is: ``row N, column C``, or the column alone."""
    return f"row {row}, column {column}" if row is not None else f"column {column}"


def departed_reviewers(
    people: Sequence[StaffMember],
    stored: Mapping[str, StaffMember],
    *,
    on: date,
    school_id: str,
    rows: Mapping[str, int] | None = None,
    carries_leaving_date: bool = True,
    reinstate: bool = False,
) -> list[str]:
    """The roster's reviewers who have left the school by *on*: one problem each.

    A roster written before someone left still names them as their colleagues' reviewer;
    run again, it would make the leaver their reviewer once more (after ``devcycle person
    reassign`` moved them on). Who has left is the roster's word where it carries a
    ``leaving_date`` column (*carries_leaving_date*) and gives a date, else the stored
    staff's (``devcycle person leave``): a blank cell in an old roster does not bring a
    leaver back (`cleared_leavers` refuses it), unless *reinstate* (the roster's blank
    cells are accepted as reinstating them: ``--accept-reinstatements``), when a reinstated
    reviewer reviews again. A reviewee who has left too is not checked: their record is
    history.

    Returns:
        ``... @ row N, column reviewer_id`` for each person whose reviewer has left.
    """
    roster = {p.id: p for p in people}

    def leaving(person_id: str) -> date | None:
        listed = roster.get(person_id)
        if (
            listed is not None
            and carries_leaving_date
            and (listed.leaving_date is not None or reinstate)
        ):
            return listed.leaving_date
        kept = stored.get(person_id)  # a blank cell clears nothing (cleared_leavers)
        return kept.leaving_date if kept is not None else None

    known = roster.keys() | stored.keys()
    problems = []
    for person in people:
        reviewer = person.reviewer_id
        if reviewer is None or reviewer not in known:
            continue
        left_on = leaving(reviewer)
        own = leaving(person.id)
        if left_on is None or left_on >= on or (own is not None and own < on):
            continue
        where = _cell((rows or {}).get(person.id), "reviewer_id")
        problems.append(
            f"reviewer_id {reviewer!r} of {person.id!r} left school {school_id!r} on "
            f"{left_on}: a leaver reviews nobody; give {person.id}'s current reviewer "
            f"(devcycle school show {school_id} lists them) @ {where}"
        )
    return problems


def cleared_leavers(
    people: Sequence[StaffMember],
    stored: Mapping[str, StaffMember],
    *,
    on: date,
    rows: Mapping[str, int] | None = None,
) -> list[str]:
    """`reinstated_staff` for the stored people who have left by *on* only.

    Kept for callers of earlier releases: `parse_roster` (and so ``devcycle plan``) now
    refuses a blank ``leaving_date`` for anyone with a leaving date stored, past or future.

    Returns:
        ``... @ row N, column leaving_date`` for each such person.
    """
    gone = {k: m for k, m in stored.items() if m.has_left(on)}
    school_id = next(iter(gone.values())).school_id if gone else ""
    return reinstated_staff(people, gone, school_id=school_id, rows=rows)


def reinstated_staff(
    people: Sequence[StaffMember],
    stored: Mapping[str, StaffMember],
    *,
    school_id: str,
    rows: Mapping[str, int] | None = None,
) -> list[str]:
    """The roster's people with a blank ``leaving_date`` who have a leaving date stored.

    The rule for a roster file; `devcycle.sync.refuse_reinstatements` applies it (and words
    it for a feed) for every path. A roster exported before someone's leaving date was
    recorded (``devcycle person leave``, past or future) lists them with a blank leaving
    date; run again, it would clear the date and put them back on the staff, unseen. Only
    for a roster that carries the ``leaving_date`` column (without it, the stored date is
    kept) and only the staff stored for *school_id* (a trust's other schools reuse ids).

    Returns:
        ``... @ row N, column leaving_date`` for each such person, naming the stored date
        and the ways out: give the date, ``--accept-reinstatements`` if they are staying,
        or ``devcycle person leave ID --clear`` for a date recorded in error.

    Examples:
        >>> from datetime import date
        >>> kept = StaffMember(id="T2", name="Ben Ray", school_id="oak", roles={"teacher"},
        ...                    leaving_date=date(2026, 12, 18))
        >>> row = StaffMember(id="T2", name="Ben Ray", school_id="oak", roles={"teacher"})
        >>> [p.split(":")[0] for p in reinstated_staff([row], {"T2": kept}, school_id="oak")]
        ["leaving_date of 'T2' ('Ben Ray') in school 'oak' is blank, but 2026-12-18 is stored"]
    """
    problems = []
    for person in people:
        kept = stored.get(person.id)
        if person.leaving_date is not None or kept is None or kept.leaving_date is None:
            continue
        where = _cell((rows or {}).get(person.id), "leaving_date")
        problems.append(
            f"leaving_date of {person.id!r} ({kept.name!r}) in school {school_id!r} is blank, "
            f"but {kept.leaving_date.isoformat()} is stored: a roster exported before the "
            f"leaving date was recorded (devcycle person leave) would put them back on the "
            f"staff; give that date, or plan with --accept-reinstatements if they are "
            f"genuinely staying (devcycle person leave {person.id} --school {school_id} "
            f"--clear if it was "
            f"recorded in error) @ {where}"
        )
    return problems


def same_name(old: str, new: str) -> bool:
    """Whether two names are the same person's name as written: capitals, white space aside.

    Surrounding white space, runs of spaces and capitals are no change of name, nor are
    the compatibility forms of a character (a full-width letter, a no-break space).

    Examples:
        >>> same_name("Graham Fell", "  graham   FELL ")
        True
        >>> same_name("Graham Fell", "Helen Ashworth")
        False
    """

    def key(name: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()

    return key(old) == key(new)


def _rename_problem(
    staff_id: str,
    name: str,
    kept: StaffMember | None,
    school_id: str,
    row: int | None,
) -> str | None:
    """The problem of a roster row giving stored *kept* another name, or None."""
    if kept is None or not name or same_name(kept.name, name):
        return None
    where = _cell(row, "name")
    return (
        f"name of {staff_id!r} would change from {kept.name!r} to {name!r}: this looks "
        f"like another school's roster (a trust's schools reuse ids such as {staff_id!r}: "
        f"check --school {school_id} is the school it is for); if {staff_id!r} has "
        f"genuinely changed name, plan again with --accept-renames @ {where}"
    )


def renamed_staff(
    people: Sequence[StaffMember],
    stored: Mapping[str, StaffMember],
    *,
    school_id: str,
    rows: Mapping[str, int] | None = None,
) -> list[str]:
    """The roster's people stored for *school_id* under another name: one problem each.

    A trust's schools reuse staff ids (T1, M1...), so a roster in which a stored id is
    someone else is most likely another school's, given the wrong ``--school``: saving it
    would rename each shared id's record, its dates and cycles kept, to a stranger. Names
    that differ only in capitals or white space are not a change (`same_name`).
    `parse_roster` checks this in its own pass (given the stored staff); this is for
    people already read, such as when the store is read again before writing.

    Args:
        people: The roster as `parse_roster` returned it.
        stored: The staff stored for *school_id*, by id.
        school_id: The school the roster is for.
        rows: The row of each staff id (`row_numbers`), for naming the row.

    Returns:
        ``... @ row N, column name`` for each person whose name would change.

    Examples:
        >>> from devcycle.domain.people import StaffMember
        >>> kept = StaffMember(id="T1", name="Graham Fell", school_id="wil", roles={"teacher"})
        >>> oak = StaffMember(id="T1", name="Helen Ashworth", school_id="wil", roles={"teacher"})
        >>> [p.split(":")[0] for p in renamed_staff([oak], {"T1": kept}, school_id="wil")]
        ["name of 'T1' would change from 'Graham Fell' to 'Helen Ashworth'"]
    """
    problems = []
    for person in people:
        row = (rows or {}).get(person.id)
        problem = _rename_problem(person.id, person.name, stored.get(person.id), school_id, row)
        if problem:
            problems.append(problem)
    return problems


def row_numbers(text: str) -> dict[str, int]:
    """The row (the file's own line, as every roster message names it) of each staff id.

    For naming a row in a problem found after the roster was read (a start date after the
    period being planned). The first row holding an id counts; a row with no id is skipped.
    """
    reader = csv.DictReader(io.StringIO(text))
    rows: dict[str, int] = {}
    try:
        for row in reader:
            cells = _cells(row)
            if not _blank(row) and cells.get("id"):
                rows.setdefault(cells["id"], reader.line_num)
    except csv.Error:
        pass  # parse_roster has refused such a file already
    return rows


def roster_rows(people: Sequence[StaffMember]) -> list[dict[str, str]]:
    """Return *people* as roster rows (for writing a roster back out)."""
    return [
        {
            "id": p.id,
            "name": p.name,
            "roles": ";".join(sorted(r.value for r in p.roles)),
            "fte": f"{p.fte:g}",
            "teams": ";".join(p.team_ids),
            "reviewer_id": p.reviewer_id or "",
            "start_date": p.start_date.isoformat() if p.start_date else "",
            "email": p.email or "",
            "leaving_date": p.leaving_date.isoformat() if p.leaving_date else "",
        }
        for p in people
    ]


def roster_fields(path: str | Path) -> tuple[str, ...]:
    """Return the `StaffMember` fields the roster file at *path* carries (its header's columns).

    What a roster carries is the MIS's word for a stored person (`roster_updates`); a
    column it does not have (``email``, ``fte``...) leaves the stored value alone. ``id``,
    ``name`` and ``roles`` are always carried (a roster must have them).
    """
    file = Path(path)
    header = next(csv.reader(io.StringIO(read_text(file))), [])
    named = {h.strip().lower() for h in header}
    return tuple(FIELDS[c] for c in COLUMNS if c in named or c in _REQUIRED)


def roster_updates(
    people: Sequence[StaffMember],
    stored: Mapping[str, StaffMember],
    fields: Collection[str],
) -> list[tuple[StaffMember, tuple[str, ...]]]:
    """The stored staff a roster changes: each as it will be saved, with the fields changed.

    The roster is the MIS's record of the *fields* it carries (`roster_fields`): for a
    person already stored, those fields are taken from the roster and every other field
    (and the stored version, so a concurrent change is a conflict) is kept. People not
    stored yet, and stored people the roster does not list, are not in the result.

    Examples:
        >>> from devcycle.domain.people import StaffMember
        >>> old = StaffMember(id="T1", name="Ann", school_id="oak", roles={"teacher"},
        ...                   email="ann@oak.example")
        >>> new = StaffMember(id="T1", name="Ann Lee", school_id="oak", roles={"teacher"})
        >>> [(m.name, m.email, changed) for m, changed in
        ...  roster_updates([new], {"T1": old}, ("id", "name", "roles"))]
        [('Ann Lee', 'ann@oak.example', ('name',))]
    """
    carried = [f for f in FIELDS.values() if f in fields and f != "id"]
    updates: list[tuple[StaffMember, tuple[str, ...]]] = []
    for person in people:
        current = stored.get(person.id)
        if current is None:
            continue
        changed = current.changed_fields(person, carried)
        if changed:
            merged = attrs.evolve(current, **{f: getattr(person, f) for f in changed})
            updates.append((merged, changed))
    return updates


_COLUMN_OF = {field: column for column, field in FIELDS.items()}


def changed_cells(
    updates: Sequence[tuple[StaffMember, Sequence[str]]],
    stored: Mapping[str, StaffMember],
) -> list[tuple[StaffMember, tuple[tuple[str, str, str], ...]]]:
    """What a roster changes for each stored person, as roster cells: (column, old, new).

    *updates* as `roster_updates` returns them, *stored* the staff they were read from.
    Each value is written as the roster writes it (`roster_rows`: roles and teams joined
    by ``;``, dates as YYYY-MM-DD), an empty one as ``""``; the column is the roster's own
    (``teams``, not ``team_ids``). So that a roster run again changes nothing unseen, the
    command line lists every one (``fte: 0.8 -> 1``).

    Examples:
        >>> from devcycle.domain.people import StaffMember
        >>> old = StaffMember(id="T1", name="Ann", school_id="oak", roles={"teacher"},
        ...                   fte=0.8, team_ids=["ks2"])
        >>> new = StaffMember(id="T1", name="Ann", school_id="oak", roles={"teacher"})
        >>> updates = roster_updates([new], {"T1": old}, ("fte", "team_ids"))
        >>> [cells for _, cells in changed_cells(updates, {"T1": old})]
        [(('fte', '0.8', '1'), ('teams', 'ks2', ''))]
    """
    result: list[tuple[StaffMember, tuple[tuple[str, str, str], ...]]] = []
    for member, fields in updates:
        before = stored.get(member.id)
        if before is None:
            continue
        old, new = roster_rows([before, member])
        columns = (_COLUMN_OF.get(field, field) for field in fields)
        result.append((member, tuple((c, old.get(c, ""), new.get(c, "")) for c in columns)))
    return result
