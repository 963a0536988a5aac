"""China's working days: statutory holidays and 调休 make-up working days, year by year.

A `HolidayCalendar` answers every working-day question. It takes the best package data for
each year (bot.timeparse.holiday_sources: chinesecalendar, else python-holidays, else an
assumption) and lays the admins' own entries over it: once the State Council publishes a
year the packages do not know yet, admins enter its days off and make-up working days, and
those win. The entries are handed in as data; this module does no I/O.

A year counts as *arranged* when a package has the published arrangement or admins have
entered at least one day of it; otherwise its days off are assumed (python-holidays'
statutory days, or weekends only) and callers warn that the arrangement is not loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from .holiday_sources import Basis, Source, canonical_holiday, year_data

__all__ = [
    "Basis",
    "DayInfo",
    "DayKind",
    "HolidayCalendar",
    "Override",
    "Source",
    "canonical_holiday",
    "day_warning",
    "holiday_name",
    "is_working_day",
    "working_days_before",
]

DayKind = Literal["holiday", "makeup", "weekend", "workday"]
# How far to look for a working day before giving up (the longest break is 9 days).
_SEARCH_DAYS = 60


@dataclass(frozen=True)
class Override:
    """An admin's entry for one day: off (a holiday) or a working day, with a name."""

    day: date
    off: bool
    name: str | None = None


@dataclass(frozen=True)
class DayInfo:
    """One day: whether people work, why, and where that comes from."""

    day: date
    kind: DayKind  # holiday / make-up working day / weekend / ordinary working day
    name: str | None  # the holiday (for a make-up day: the break it makes up for)
    source: Source

    @property
    def working(self) -> bool:
        """True when people work that day."""
        return self.kind in ("workday", "makeup")


class HolidayCalendar:
    """Working days from the packages, overridden by admin-entered days."""

    def __init__(self, overrides: Iterable[Override] = ()) -> None:
        self._overrides = {o.day: o for o in overrides}
        self._admin_years = {d.year for d in self._overrides}

    def day(self, d: date) -> DayInfo:
        """Everything known about one day."""
        weekend = d.weekday() >= 5
        entry = self._overrides.get(d)
        if entry is not None:
            name = canonical_holiday(entry.name)
            if entry.off:
                return DayInfo(d, "holiday", name, "admin")
            return DayInfo(d, "makeup" if weekend else "workday", name, "admin")
        data = year_data(d.year)
        if d in data.work:
            return DayInfo(d, "makeup", data.work[d], data.source)
        if d in data.off:
            return DayInfo(d, "holiday", data.off[d], data.source)
        return DayInfo(d, "weekend" if weekend else "workday", None, data.source)

    def is_working_day(self, d: date) -> bool:
        """True on weekdays and make-up working days, False on weekends and holidays."""
        return self.day(d).working

    def holiday_name(self, d: date) -> str | None:
        """The holiday ``d`` is a day off for (e.g. "National Day"), else None."""
        info = self.day(d)
        return info.name if info.kind == "holiday" else None

    def day_warning(self, d: date) -> str | None:
        """ "holiday", "weekend" or None for a normal (or make-up) working day."""
        kind = self.day(d).kind
        return kind if kind in ("holiday", "weekend") else None

    def package_source(self, year: int) -> Source:
        """Where the packages' view of a year comes from (chinesecalendar, python-holidays
        or assumed), ignoring admin entries."""
        return year_data(year).source

    def arrangement(self, year: int) -> Source:
        """Who supplies a year's official arrangement: a package that has it, else the
        admins if they entered any day of it, else "assumed"."""
        source = self.package_source(year)
        if source == "assumed" and year in self._admin_years:
            return "admin"
        return source

    def assumption(self, year: int) -> Basis | None:
        """What an unarranged year rests on ("statutory" days or "weekends"), else None."""
        if self.arrangement(year) != "assumed":
            return None
        return year_data(year).basis

    def admin_days(self, year: int) -> list[Override]:
        """The admins' entries for a year, by date."""
        return sorted(
            (o for o in self._overrides.values() if o.day.year == year), key=lambda o: o.day
        )

    def year_days(self, year: int) -> list[DayInfo]:
        """Every day of a year that is not an ordinary weekday or weekend: holidays,
        make-up working days, and admin entries, by date."""
        data = year_data(year)
        days = set(data.off) | set(data.work) | {o.day for o in self.admin_days(year)}
        infos = [self.day(d) for d in sorted(days)]
        return [i for i in infos if i.source == "admin" or i.kind in ("holiday", "makeup")]

    def working_days_before(self, d: date, n: int) -> date:
        """The date ``n`` working days before ``d`` (``d`` itself for n == 0)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        current = d
        while n:
            current -= timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def first_working_day(self, d: date) -> date:
        """``d`` if it is a working day, else the next one."""
        for offset in range(_SEARCH_DAYS):
            candidate = d + timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        return d  # admins marked two months off: keep the date rather than search on


_PACKAGES = HolidayCalendar()


def is_working_day(d: date) -> bool:
    """True on working days by the packages alone (no admin entries)."""
    return _PACKAGES.is_working_day(d)


def holiday_name(d: date) -> str | None:
    """English name of the statutory holiday ``d`` is part of, by the packages alone."""
    return _PACKAGES.holiday_name(d)


def day_warning(d: date) -> str | None:
    """ "holiday", "weekend" or None, by the packages alone."""
    return _PACKAGES.day_warning(d)


def working_days_before(d: date, n: int) -> date:
    """The date ``n`` working days before ``d``, by the packages alone."""
    return _PACKAGES.working_days_before(d, n)
