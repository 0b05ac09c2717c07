"""School calendars: terms, half-terms, INSET days, closures, bank holidays and school days.

A `SchoolCalendar` knows on which days a school is open to staff, and answers the questions
scheduling and reports ask: is this a school day, which is the next one, what is ten school
days before a review, how many school weeks have passed since the last check-in, which term
or half-term a day is in.

A *school day* is a weekday (Monday to Friday) that is either inside a term and outside its
half-term break, or an INSET day; and that is neither a bank holiday nor a closure. INSET days
count as school days because staff are in school on them (they are 5 of the 195 days teachers
are available for work); use `SchoolCalendar.is_pupil_day` for the days pupils attend.

Bank holidays come through the `BankHolidays` port so that this module stays pure; the
``calendars`` extra provides an adapter over the ``holidays`` package
(`devcycle.interop.bankholidays.UKBankHolidays`).

`england_pattern` generates the *typical* England pattern for an academic year. It is an
approximation, labelled as such on the calendar it returns: every school sets its own dates.

References:
    domain-research.md §5.1: 195 staff days, 190 with pupils, three terms each split in two,
    the usual half-term weeks; example calendars for 2024/25 and 2025/26.
"""

from __future__ import annotations

import bisect
import enum
import functools
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from typing import Protocol, runtime_checkable

import attrs
from dateutil.easter import easter

from devcycle.domain._validate import as_tuple, identifier, member_of, not_before, text
from devcycle.errors import DomainError

__all__ = [
    "APPROXIMATE_NOTICE",
    "BankHoliday",
    "BankHolidays",
    "CalendarError",
    "Closure",
    "HalfTerm",
    "SchoolCalendar",
    "Term",
    "england_pattern",
]

APPROXIMATE_NOTICE = (
    "APPROXIMATE: generated from the typical England pattern, not from any school's or local "
    "authority's published term dates. Check your school's own dates and edit this calendar."
)
"""The label carried by every calendar that `england_pattern` generates."""

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5


class CalendarError(DomainError):
    """A date question the calendar cannot answer (no school day in a range, say)."""


@runtime_checkable
class BankHolidays(Protocol):
    """The port through which bank holidays enter the domain.

    An adapter returns the public holidays of one region (England, Wales, Scotland or
    Northern Ireland) between two dates. `devcycle.interop.bankholidays.UKBankHolidays`
    implements it over the ``holidays`` package; tests use a plain mapping.
    """

    def between(self, start: date, end: date) -> Mapping[date, str]:
        """Return the bank holidays from *start* to *end* inclusive, as date -> name."""
        ...


def _to_closure_kind(value: object) -> ClosureKind:
    return member_of(ClosureKind, "kind", value)


@attrs.frozen(order=True)
class BankHoliday:
    """A public holiday on which schools are closed.

    Attributes:
        on: The day.
        name: Its name ("Early May bank holiday").
    """

    on: date
    name: str = attrs.field(default="Bank holiday", validator=text)


class ClosureKind(enum.StrEnum):
    """Why a school is shut on days that would otherwise be school days."""

    CLOSURE = "closure"
    """An unplanned or one-off closure (snow, polling day, a building problem)."""
    OCCASIONAL = "occasional"
    """A planned occasional day (an extra bank holiday, a coronation)."""


@attrs.frozen(order=True)
class Closure:
    """Days on which the school is shut to staff and pupils alike.

    Attributes:
        start: The first day shut.
        end: The last day shut (the same as *start* for one day).
        reason: Why ("Polling station", "Snow").
        kind: A closure or a planned occasional day.
    """

    start: date
    end: date = attrs.field(validator=not_before("start"))
    reason: str = "Closure"
    kind: ClosureKind = attrs.field(default=ClosureKind.CLOSURE, converter=_to_closure_kind)

    @end.default
    def _end_default(self) -> date:
        return self.start

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@attrs.frozen
class HalfTerm:
    """One half of a term: the teaching weeks between a term boundary and its break.

    Attributes:
        name: "autumn-1", "autumn-2" and so on.
        start: The first day of the half-term.
        end: The last day of the half-term.
    """

    name: str = attrs.field(validator=identifier)
    start: date
    end: date = attrs.field(validator=not_before("start"))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@attrs.frozen
class Term:
    """A school term, with its half-term break if it has one.

    Attributes:
        name: "autumn", "spring", "summer" (or "term-1"... for other patterns).
        start: The first day of term (staff).
        end: The last day of term.
        break_start: The first day of the half-term break, if any.
        break_end: The last day of the half-term break, if any.
    """

    name: str = attrs.field(validator=identifier)
    start: date
    end: date = attrs.field(validator=not_before("start"))
    break_start: date | None = None
    break_end: date | None = None

    def __attrs_post_init__(self) -> None:
        if (self.break_start is None) != (self.break_end is None):
            msg = f"term {self.name!r}: give both 'break_start' and 'break_end', or neither"
            raise ValueError(msg)
        if (
            self.break_start is not None
            and self.break_end is not None
            and not self.start < self.break_start <= self.break_end < self.end
        ):
            msg = (
                f"term {self.name!r}: the half-term break ({self.break_start} to "
                f"{self.break_end}) must lie strictly inside the term ({self.start} to "
                f"{self.end})"
            )
            raise ValueError(msg)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def in_break(self, day: date) -> bool:
        """Return whether *day* falls in this term's half-term break."""
        return (
            self.break_start is not None
            and self.break_end is not None
            and self.break_start <= day <= self.break_end
        )

    @property
    def half_terms(self) -> tuple[HalfTerm, ...]:
        """The term's halves: two when it has a break, otherwise the whole term as one."""
        if self.break_start is None or self.break_end is None:
            return (HalfTerm(f"{self.name}-1", self.start, self.end),)
        return (
            HalfTerm(f"{self.name}-1", self.start, self.break_start - _ONE_DAY),
            HalfTerm(f"{self.name}-2", self.break_end + _ONE_DAY, self.end),
        )


def _sorted_terms(value: Iterable[Term]) -> tuple[Term, ...]:
    return tuple(sorted(as_tuple(value, "terms"), key=lambda t: t.start))


def _sorted_dates(value: Iterable[date]) -> tuple[date, ...]:
    return tuple(sorted(set(as_tuple(value, "inset_days"))))


def _sorted_holidays(value: Iterable[BankHoliday]) -> tuple[BankHoliday, ...]:
    return tuple(sorted(as_tuple(value, "bank_holidays")))


def _sorted_closures(value: Iterable[Closure]) -> tuple[Closure, ...]:
    return tuple(sorted(as_tuple(value, "closures")))


@attrs.frozen
class SchoolCalendar:
    """A school's calendar: its terms, INSET days, closures and bank holidays.

    Build one from a school's real dates (`devcycle.interop.calendars.load_calendar` reads
    TOML, YAML, CSV and iCalendar files), or generate the typical England pattern with
    `england_pattern`. Calendars are values: `with_closure` and `with_bank_holidays` return
    new ones.

    Example::

        calendar = SchoolCalendar(
            name="St Mary's 2025/26",
            terms=[Term("autumn", date(2025, 9, 1), date(2025, 12, 19),
                        date(2025, 10, 27), date(2025, 10, 31))],
        )
        calendar.next_school_day(date(2025, 10, 24))   # date(2025, 11, 3)

    Attributes:
        name: What the calendar is ("St Mary's 2025/26").
        terms: The terms, in date order; they must not overlap.
        inset_days: Staff training days; school days even outside a term's dates.
        closures: Days the school is shut.
        bank_holidays: Public holidays; never school days.
        region: The bank-holiday region ("england", "wales"...), if known.
        approximate: Whether the dates are an approximation rather than a school's own.
        source: Where the dates came from (a file, a web page, "england_pattern").
        notes: Anything a reader should know ("APPROXIMATE: ...").
    """

    name: str = attrs.field(validator=text)
    terms: tuple[Term, ...] = attrs.field(default=(), converter=_sorted_terms)
    inset_days: tuple[date, ...] = attrs.field(default=(), converter=_sorted_dates)
    closures: tuple[Closure, ...] = attrs.field(default=(), converter=_sorted_closures)
    bank_holidays: tuple[BankHoliday, ...] = attrs.field(default=(), converter=_sorted_holidays)
    region: str | None = None
    approximate: bool = False
    source: str = ""
    notes: str = ""

    def __attrs_post_init__(self) -> None:
        for before, after in zip(self.terms, self.terms[1:], strict=False):
            if after.start <= before.end:
                msg = (
                    f"terms {before.name!r} ({before.start} to {before.end}) and "
                    f"{after.name!r} ({after.start} to {after.end}) overlap"
                )
                raise ValueError(msg)

    # ------------------------------------------------------------------ building

    def with_closure(
        self, start: date, end: date | None = None, reason: str = "Closure"
    ) -> SchoolCalendar:
        """Return a copy of the calendar with the school shut from *start* to *end*."""
        closure = Closure(start, start if end is None else end, reason)
        return attrs.evolve(self, closures=(*self.closures, closure))

    def with_bank_holidays(self, source: BankHolidays) -> SchoolCalendar:
        """Return a copy with the bank holidays *source* gives for the calendar's span added."""
        first, last = self.span
        found = {h.on: h for h in self.bank_holidays}
        for day, name in source.between(first, last).items():
            found.setdefault(day, BankHoliday(day, name))
        return attrs.evolve(self, bank_holidays=tuple(found.values()))

    # ------------------------------------------------------------------- queries

    @property
    def span(self) -> tuple[date, date]:
        """The first and last day the calendar covers (terms and INSET days).

        Raises:
            CalendarError: If the calendar has no terms and no INSET days.
        """
        firsts = [t.start for t in self.terms] + list(self.inset_days[:1])
        lasts = [t.end for t in self.terms] + list(self.inset_days[-1:])
        if not firsts:
            msg = f"calendar {self.name!r} has no terms or INSET days"
            raise CalendarError(msg)
        return min(firsts), max(lasts)

    @functools.cached_property
    def _school_days(self) -> tuple[date, ...]:
        shut = {h.on for h in self.bank_holidays}
        for closure in self.closures:
            day = closure.start
            while day <= closure.end:
                shut.add(day)
                day += _ONE_DAY
        days: set[date] = set()
        for term in self.terms:
            day = term.start
            while day <= term.end:
                if day.weekday() < _SATURDAY and not term.in_break(day) and day not in shut:
                    days.add(day)
                day += _ONE_DAY
        days.update(d for d in self.inset_days if d.weekday() < _SATURDAY and d not in shut)
        return tuple(sorted(days))

    def school_days(self, start: date | None = None, end: date | None = None) -> tuple[date, ...]:
        """Return every school day from *start* to *end* inclusive (default: all of them)."""
        days = self._school_days
        lo = 0 if start is None else bisect.bisect_left(days, start)
        hi = len(days) if end is None else bisect.bisect_right(days, end)
        return days[lo:hi]

    def is_school_day(self, day: date) -> bool:
        """Return whether the school is open to staff on *day* (INSET days included)."""
        days = self._school_days
        index = bisect.bisect_left(days, day)
        return index < len(days) and days[index] == day

    def is_pupil_day(self, day: date) -> bool:
        """Return whether pupils attend on *day*: a school day that is not an INSET day."""
        return self.is_school_day(day) and day not in self.inset_days

    def is_inset_day(self, day: date) -> bool:
        """Return whether *day* is an INSET (staff training) day the school is open on."""
        return day in self.inset_days and self.is_school_day(day)

    def bank_holiday(self, day: date) -> BankHoliday | None:
        """Return the bank holiday on *day*, if there is one."""
        return next((h for h in self.bank_holidays if h.on == day), None)

    def next_school_day(self, day: date) -> date:
        """Return the first school day strictly after *day*.

        Raises:
            CalendarError: If the calendar has no school day after *day*.
        """
        days = self._school_days
        index = bisect.bisect_right(days, day)
        if index == len(days):
            msg = f"calendar {self.name!r} has no school day after {day}"
            raise CalendarError(msg)
        return days[index]

    def previous_school_day(self, day: date) -> date:
        """Return the last school day strictly before *day*.

        Raises:
            CalendarError: If the calendar has no school day before *day*.
        """
        days = self._school_days
        index = bisect.bisect_left(days, day)
        if index == 0:
            msg = f"calendar {self.name!r} has no school day before {day}"
            raise CalendarError(msg)
        return days[index - 1]

    def school_day_on_or_after(self, day: date) -> date:
        """Return *day* if it is a school day, otherwise the next school day."""
        return day if self.is_school_day(day) else self.next_school_day(day)

    def school_day_on_or_before(self, day: date) -> date:
        """Return *day* if it is a school day, otherwise the previous school day."""
        return day if self.is_school_day(day) else self.previous_school_day(day)

    def add_school_days(self, day: date, count: int) -> date:
        """Return the *count*-th school day after *day* (before it when *count* is negative).

        *day* itself is not counted, so ``add_school_days(d, 1) == next_school_day(d)``, and
        ``add_school_days(review, -10)`` is the latest day that gives ten school days' notice
        of a review. With *count* 0, *day* is returned unchanged.

        Raises:
            CalendarError: If the calendar runs out of school days.
        """
        if count == 0:
            return day
        days = self._school_days
        if count > 0:
            index = bisect.bisect_right(days, day) + count - 1
            if index >= len(days):
                msg = f"calendar {self.name!r} has fewer than {count} school days after {day}"
                raise CalendarError(msg)
            return days[index]
        index = bisect.bisect_left(days, day) + count
        if index < 0:
            msg = f"calendar {self.name!r} has fewer than {-count} school days before {day}"
            raise CalendarError(msg)
        return days[index]

    def school_days_between(self, start: date, end: date) -> int:
        """Return how many school days fall after *start* up to and including *end*.

        Negative when *end* is before *start*. ``school_days_between(d, add_school_days(d, n))``
        is *n* for every *n*.
        """
        if end < start:
            return -self.school_days_between(end, start)
        days = self._school_days
        return bisect.bisect_right(days, end) - bisect.bisect_right(days, start)

    def school_weeks_between(self, start: date, end: date) -> int:
        """Return how many school weeks fall after *start* up to and including *end*.

        A school week is a Monday-to-Sunday week with at least one school day: holiday weeks
        do not count. Useful for "school weeks since the last check-in". Negative when *end*
        is before *start*.
        """
        if end < start:
            return -self.school_weeks_between(end, start)
        weeks = {d.isocalendar()[:2] for d in self.school_days(start + _ONE_DAY, end)}
        return len(weeks)

    def term_of(self, day: date) -> Term | None:
        """Return the term *day* falls in (half-term break included), or None in a holiday."""
        return next((t for t in self.terms if day in t), None)

    def half_term_of(self, day: date) -> HalfTerm | None:
        """Return the half-term *day* falls in, or None in a break or holiday."""
        term = self.term_of(day)
        if term is None:
            return None
        return next((h for h in term.half_terms if day in h), None)

    @property
    def half_terms(self) -> tuple[HalfTerm, ...]:
        """Every half-term of every term, in date order."""
        return tuple(h for t in self.terms for h in t.half_terms)

    def week_of_term(self, day: date) -> int | None:
        """Return the school week of its term that *day* falls in (1 for the first), or None.

        Weeks are counted Monday to Sunday from the week the term starts in; weeks of the
        half-term break do not count.
        """
        term = self.term_of(day)
        if term is None:
            return None
        weeks = sorted({d.isocalendar()[:2] for d in self.school_days(term.start, term.end)})
        key = day.isocalendar()[:2]
        if key not in weeks:
            return None
        return weeks.index(key) + 1

    def nth_week_of_term(self, term: Term | int, week: int) -> date:
        """Return the first school day of school week *week* (1-based) of *term*.

        Args:
            term: A `Term` of this calendar, or its position (0 for the first term).
            week: The school week, counted as in `week_of_term`.

        Raises:
            CalendarError: If the term has fewer school weeks.
        """
        chosen = self.terms[term] if isinstance(term, int) else term
        first_days: dict[tuple[int, int], date] = {}
        for d in self.school_days(chosen.start, chosen.end):
            first_days.setdefault(d.isocalendar()[:2], d)
        ordered = [first_days[k] for k in sorted(first_days)]
        if not 1 <= week <= len(ordered):
            msg = f"term {chosen.name!r} has {len(ordered)} school weeks, not week {week}"
            raise CalendarError(msg)
        return ordered[week - 1]

    def terms_from(self, day: date) -> tuple[Term, ...]:
        """Return the terms that end on or after *day*: the one in progress, then the rest."""
        return tuple(t for t in self.terms if t.end >= day)

    def half_terms_from(self, day: date) -> tuple[HalfTerm, ...]:
        """Return the half-terms that end on or after *day*, in date order."""
        return tuple(h for h in self.half_terms if h.end >= day)

    def iter_school_days(self, start: date, end: date) -> Iterator[date]:
        """Iterate over the school days from *start* to *end* inclusive."""
        return iter(self.school_days(start, end))


# --------------------------------------------------------------- the England pattern


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _first_weekday(day: date) -> date:
    while day.weekday() >= _SATURDAY:
        day += _ONE_DAY
    return day


_MONDAY, _FRIDAY = 0, 4
_STAFF_DAYS = 195


def _england_year(year: int, holidays: BankHolidays | None) -> SchoolCalendar:
    """One academic year of the typical England pattern (see `england_pattern`)."""
    # Autumn: from the first weekday on or after 1 September; half-term in the week of the
    # last Monday on or before 30 October; ends on the last Friday on or before 21 December.
    autumn_start = _first_weekday(date(year, 9, 1))
    autumn_break = _weekday_on_or_before(date(year, 10, 30), _MONDAY)
    autumn_end = _weekday_on_or_before(date(year, 12, 21), _FRIDAY)
    # Spring: from the first Monday on or after 2 January (the Tuesday when that is
    # 2 January, a bank holiday in lieu); half-term in the week of the third Monday of
    # February; ends before an Easter holiday of two weeks.
    spring_start = _weekday_on_or_after(date(year + 1, 1, 2), _MONDAY)
    if spring_start.day == 2:
        spring_start += _ONE_DAY
    spring_break = _weekday_on_or_after(date(year + 1, 2, 15), _MONDAY)
    good_friday = easter(year + 1) - timedelta(days=2)
    easter_monday = good_friday + timedelta(days=3)
    if easter_monday <= date(year + 1, 4, 16):
        # An early Easter: the holiday is the week before Easter and the week after.
        spring_end = good_friday - timedelta(days=7)
        summer_start = easter_monday + timedelta(days=7)
    else:
        # A late Easter: the holiday is the two weeks before Easter, and Easter Monday.
        spring_end = good_friday - timedelta(days=14)
        summer_start = easter_monday + _ONE_DAY
    # Summer: half-term in the week of the last Monday of May (the spring bank holiday);
    # ends when the year reaches 195 staff days, kept between 15 and 24 July.
    summer_break = _weekday_on_or_before(date(year + 1, 5, 31), _MONDAY)
    provisional_end = date(year + 1, 7, 24)
    terms = (
        Term("autumn", autumn_start, autumn_end, autumn_break, autumn_break + timedelta(days=4)),
        Term("spring", spring_start, spring_end, spring_break, spring_break + timedelta(days=4)),
        Term(
            "summer", summer_start, provisional_end, summer_break, summer_break + timedelta(days=4)
        ),
    )
    draft = SchoolCalendar(name="draft", terms=terms)
    if holidays is not None:
        draft = draft.with_bank_holidays(holidays)
    autumn_days = draft.school_days(autumn_start, autumn_end)
    spring_days = draft.school_days(spring_start, spring_end)
    summer_days = draft.school_days(summer_start, provisional_end)
    # INSET: the first two days of autumn, the first day of spring and of summer, and the
    # last day of the summer term.
    needed = _STAFF_DAYS - len(autumn_days) - len(spring_days)
    earliest = draft.school_day_on_or_after(date(year + 1, 7, 15))
    summer_end = summer_days[min(max(needed, 1), len(summer_days)) - 1]
    summer_end = max(summer_end, earliest)
    summer = attrs.evolve(terms[2], end=summer_end)
    inset = (autumn_days[0], autumn_days[1], spring_days[0], summer_days[0], summer_end)
    return attrs.evolve(draft, terms=(terms[0], terms[1], summer), inset_days=inset)


def england_pattern(
    year: int, *, years: int = 1, bank_holidays: BankHolidays | None = None
) -> SchoolCalendar:
    """Generate the typical England school calendar from September of *year*: APPROXIMATE.

    The pattern: three terms, each with a one-week half-term break (the week of the last
    Monday on or before 30 October, the week of the third Monday of February, the week of
    the spring bank holiday in late May); an Easter holiday of two weeks; five INSET days
    (the first two days of the autumn term, the first day of the spring and summer terms,
    the last day of the summer term); and a summer term that ends when the year reaches 195
    staff days. Real dates are
    set by each local authority or trust and differ from this: the calendar is marked
    ``approximate`` and its notes say so. Edit it, or load the school's own dates.

    Args:
        year: The calendar year the academic year starts in (2026 for 2026/27).
        years: How many consecutive academic years to cover (2 for an ECT induction).
        bank_holidays: Where bank holidays come from. Without one the calendar has none,
            and its notes say so.

    Returns:
        An approximate `SchoolCalendar` for *years* academic years.
    """
    if years < 1:
        msg = f"'years' must be 1 or more (got {years})"
        raise ValueError(msg)
    parts = [_england_year(year + i, bank_holidays) for i in range(years)]
    notes = APPROXIMATE_NOTICE
    if bank_holidays is None:
        notes += " No bank holidays were added: pass a BankHolidays source to add them."
    last = year + years
    return SchoolCalendar(
        name=f"England (approximate) {year}/{str(last)[-2:]}"
        if years == 1
        else f"England (approximate) {year}/{str(year + 1)[-2:]} to {last - 1}/{str(last)[-2:]}",
        terms=tuple(t for p in parts for t in p.terms),
        inset_days=tuple(d for p in parts for d in p.inset_days),
        bank_holidays=tuple(h for p in parts for h in p.bank_holidays),
        region="england",
        approximate=True,
        source="devcycle.england_pattern",
        notes=notes,
    )
