"""China's working-day calendar (工作日) for disclosure deadlines.

Disclosure deadlines are counted in working days: proactive disclosure within 20 working days,
request handling within 7, 15 or 20. Whether a date is a working day is decided, first match wins:

1. a ``CalendarDay`` entered in the admin (kind ``holiday`` = not working, ``workday`` = working).
   Entries override everything else, so they serve both for years the package does not cover
   (the State Council announces each year's holidays late in the previous year) and for
   corrections of package data;
2. the ``chinesecalendar`` package for the years it covers (2004-2026 in 1.11.0);
3. weekends only: Monday to Friday work, Saturday and Sunday rest.

A year with neither package data nor entered days is *provisional*: its dates are judged by
weekends alone and any deadline whose counting crosses it is flagged, so staff know the due date
may move once the year's holidays are announced and entered.

Every function accepts ``date`` objects; an aware ``datetime`` is turned into its local date
(Asia/Shanghai) because that is the day the clock starts in the office.

Per-year day sets are cached in-process. Saving or deleting a ``CalendarDay`` clears this
process's cache at once (signals) and, after commit, bumps a generation stamp in Django's shared
("strict") cache that other worker processes check at most every ``RECHECK_SECONDS``. Bulk queryset
updates and ``bulk_create`` send no signals; code that uses them must call ``invalidate_everywhere()``.

While that cache is unreachable every process reloads the entered days from the database at each check
(a few dozen rows), and the first process to reach the cache again bumps the stamp, so a change made
during the outage reaches the processes that did not look meanwhile.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache as memoize

from django.core.cache import caches
from django.utils import timezone

from cms.outages import CACHE_ERRORS

GENERATION_CACHE_KEY = "disclosure:working-calendar:generation"
RECHECK_SECONDS = 30
ONE_DAY = timedelta(days=1)
HOLIDAY = "holiday"
WORKDAY = "workday"


class Source(StrEnum):
    """Where a year's holidays and make-up workdays come from."""

    PACKAGE = "package"
    ENTERED = "entered"
    NONE = "none"


@dataclass(frozen=True)
class YearCalendar:
    """One year's exceptions to the Monday-Friday week, after applying entered days."""

    year: int
    source: Source
    entered_count: int
    off_weekdays: frozenset[date]
    on_weekends: frozenset[date]

    @property
    def provisional(self) -> bool:
        return self.source is Source.NONE

    def is_working_day(self, d: date) -> bool:
        if d.weekday() < 5:
            return d not in self.off_weekdays
        return d in self.on_weekends


@dataclass(frozen=True)
class Deadline:
    """A due date and whether it relied on a year without official holiday data.

    ``provisional_years`` lists the years (in order) whose dates were counted by weekends only.
    """

    due: date
    provisional: bool
    provisional_years: tuple[int, ...] = field(default=())


def package_version() -> str:
    import chinese_calendar  # its tables are read on first use, not at start-up (docs/deployment.md, cold start)

    return chinese_calendar.__version__


@memoize
def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]] | None:
    """The package's (weekday holidays, weekend workdays) for `year`, or None outside its range.

    Package data never changes while the process runs, so this cache is never invalidated.
    """
    import chinese_calendar

    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    off, on = set(), set()
    d = date(year, 1, 1)
    while d.year == year:
        working = chinese_calendar.is_workday(d)
        if d.weekday() < 5 and not working:
            off.add(d)
        elif d.weekday() >= 5 and working:
            on.add(d)
        d += ONE_DAY
    return frozenset(off), frozenset(on)


def package_covers(year: int) -> bool:
    return _package_year(year) is not None


def package_is_working_day(d: date) -> bool | None:
    """The package's verdict on `d`, ignoring entered days; None when the package has no data for its year."""
    d = _as_date(d)
    package = _package_year(d.year)
    if package is None:
        return None
    off, on = package
    return d not in off if d.weekday() < 5 else d in on


def _build_year(year: int, entered: dict[date, str]) -> YearCalendar:
    package = _package_year(year)
    off, on = (set(package[0]), set(package[1])) if package else (set(), set())
    for d, kind in entered.items():
        if kind == HOLIDAY:
            on.discard(d)
            if d.weekday() < 5:
                off.add(d)
        else:
            off.discard(d)
            if d.weekday() >= 5:
                on.add(d)
    if package:
        source = Source.PACKAGE
    elif entered:
        source = Source.ENTERED
    else:
        source = Source.NONE
    return YearCalendar(year, source, len(entered), frozenset(off), frozenset(on))


class _State:
    """Entered days and built years for one cache generation."""

    def __init__(self, generation):
        self.generation = generation
        self.checked_at = time.monotonic()
        self._entered: dict[int, dict[date, str]] | None = None
        self._years: dict[int, YearCalendar] = {}
        self._lock = threading.Lock()

    def _entered_days(self) -> dict[int, dict[date, str]]:
        # The table holds a few dozen rows per year, so one query loads all of it and no
        # deadline computation ever queries per day or per year.
        if self._entered is None:
            from .models import CalendarDay

            with self._lock:
                if self._entered is None:
                    by_year: dict[int, dict[date, str]] = {}
                    for d, kind in CalendarDay.objects.values_list("date", "kind"):
                        by_year.setdefault(d.year, {})[d] = kind
                    self._entered = by_year
        return self._entered

    def year(self, year: int) -> YearCalendar:
        calendar = self._years.get(year)
        if calendar is None:
            calendar = _build_year(year, self._entered_days().get(year, {}))
            self._years[year] = calendar
        return calendar


_state: _State | None = None
# Set when the shared cache failed: the stamp is bumped once it answers again.
_bump_when_reachable = False


def _shared_generation():
    """The stamp in the shared cache, or a fresh object (equal to nothing) while the cache is down."""
    global _bump_when_reachable
    cache = caches["strict"]
    try:
        if _bump_when_reachable:
            cache.set(GENERATION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
            _bump_when_reachable = False
        return cache.get(GENERATION_CACHE_KEY)
    except CACHE_ERRORS:
        _bump_when_reachable = True
        return object()


def _current_state() -> _State:
    global _state
    state = _state
    if state is not None and time.monotonic() - state.checked_at < RECHECK_SECONDS:
        return state
    generation = _shared_generation()
    if state is None or state.generation != generation:
        state = _State(generation)
        _state = state
    else:
        state.checked_at = time.monotonic()
    return state


def invalidate() -> None:
    """Forget this process's cached years; the next lookup reloads entered days."""
    global _state
    _state = None


def invalidate_everywhere() -> None:
    """Forget cached years in this process and, within RECHECK_SECONDS, in every other process.

    Call it after the change is committed: bumping earlier lets another process reload the old
    rows and keep them for a whole generation.
    """
    global _bump_when_reachable
    try:
        caches["strict"].set(GENERATION_CACHE_KEY, uuid.uuid4().hex, timeout=None)
    except CACHE_ERRORS:
        _bump_when_reachable = True
    invalidate()


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


def year_calendar(year: int) -> YearCalendar:
    return _current_state().year(year)


def is_working_day(d: date) -> bool:
    """True when `d` is a working day: see the module docstring for the order of sources."""
    d = _as_date(d)
    return _current_state().year(d.year).is_working_day(d)


def is_provisional(d_or_year: date | int) -> bool:
    """True when the year (given as a year number or any date in it) has no official data at all."""
    year = d_or_year if isinstance(d_or_year, int) else _as_date(d_or_year).year
    return _current_state().year(year).provisional


def deadline(start: date, n: int) -> Deadline:
    """The n-th working day after `start`, flagged provisional if any day counted lay in a provisional year.

    Counting starts the day after `start`: n=1 is the first working day after `start`, n=0 returns
    `start` unchanged (and is never provisional, since no calendar data was used). A negative n
    counts backwards: n=-1 is the last working day before `start`.
    """
    start = _as_date(start)
    state = _current_state()
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    d = start
    provisional_years: set[int] = set()
    while remaining:
        d += step
        calendar = state.year(d.year)
        if calendar.provisional:
            provisional_years.add(d.year)
        if calendar.is_working_day(d):
            remaining -= 1
    return Deadline(d, bool(provisional_years), tuple(sorted(provisional_years)))


def add_working_days(start: date, n: int) -> date:
    """``deadline(start, n).due``: the n-th working day after `start` (n=0 returns `start`)."""
    return deadline(start, n).due


def working_days_between(start: date, end: date) -> int:
    """The number of working days after `start` up to and including `end`.

    ``working_days_between(s, add_working_days(s, n)) == n`` for n >= 0. It is antisymmetric:
    when `end` is before `start` the result is minus the count of working days after `end` up to
    and including `start`, so a negative value reads as "that many working days still to go".
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    state = _current_state()
    count = 0
    d = start
    while d < end:
        d += ONE_DAY
        if state.year(d.year).is_working_day(d):
            count += 1
    return count


def spans_provisional(start: date, end: date) -> bool:
    """True when any date after `start` up to and including `end` lies in a provisional year."""
    start, end = sorted((_as_date(start), _as_date(end)))
    return any(is_provisional(year) for year in range((start + ONE_DAY).year, end.year + 1))
