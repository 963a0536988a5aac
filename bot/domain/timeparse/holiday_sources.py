"""What the installed packages know of China's holiday arrangement, one year at a time.

The State Council publishes each year's arrangement (放假安排: the days off and the 调休
make-up working days) around November of the year before. Two packages carry it:

* chinesecalendar: the published arrangements for the years it covers (2004-2026 in 1.11);
  outside them it raises NotImplementedError.
* python-holidays (`holidays`): its China calendar holds the published arrangement (days
  off substituted from make-up working days) for the years listed in
  `ChinaStaticHolidays.special_public_holidays`, and for every other year the statutory
  days of 《全国年节及纪念日放假办法》 with the 补假 it computes for those falling on a weekend,
  but no make-up working days, which only the State Council's notice fixes.

For each year the best source wins: chinesecalendar where it covers the year, python-holidays
where it has the arrangement, else python-holidays' statutory days as an assumption (or, for
a year python-holidays does not know either, weekends only). Pure: package data, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

import chinese_calendar

Source = Literal["admin", "chinesecalendar", "python-holidays", "assumed"]
Basis = Literal["official", "statutory", "weekends"]

__all__ = ["Basis", "Source", "YearData", "canonical_holiday", "year_data"]

# The names used throughout (chinesecalendar's English names), with the other spellings
# people and packages use for the same holiday.
_ALIASES: dict[str, tuple[str, ...]] = {
    # Spring Festival first: "Chinese New Year's Eve" must not read as New Year's Day.
    "Spring Festival": (
        "spring festival",
        "chinese new year",
        "lunar new year",
        "春节",
        "农历除夕",
        "除夕",
        "过年",
    ),
    "New Year's Day": ("new year's day", "new year", "元旦"),
    "Tomb-sweeping Day": ("tomb-sweeping day", "tomb sweeping day", "qingming", "清明节", "清明"),
    "Labour Day": ("labour day", "labor day", "may day", "劳动节", "五一"),
    "Dragon Boat Festival": ("dragon boat festival", "dragon boat", "端午节", "端午"),
    "Mid-autumn Festival": ("mid-autumn festival", "mid-autumn", "mid autumn", "中秋节", "中秋"),
    "National Day": ("national day", "国庆节", "国庆", "十一"),
}
# Recognised inside longer text (package labels such as "Labor Day (observed)"); Chinese
# names only on their own, so an admin's "国庆加班补休" keeps its wording.
_INSIDE = {alias for aliases in _ALIASES.values() for alias in aliases if alias.isascii()} - {
    "new year"
}


def canonical_holiday(name: str | None) -> str | None:
    """The standard English name of a holiday however it is written ('春节', 'Labor Day',
    'Chinese New Year (Spring Festival)'), else the text as given (None for none)."""
    if not name or not name.strip():
        return None
    text = name.strip()
    folded = text.casefold()
    for canonical, aliases in _ALIASES.items():
        if folded in aliases:
            return canonical
    # Package labels carry extras: "National Day (observed)", "劳动节（补假）".
    for canonical, aliases in _ALIASES.items():
        if any(alias in folded for alias in aliases if alias in _INSIDE):
            return canonical
    return text


@dataclass(frozen=True)
class YearData:
    """One year as a package knows it: days off, make-up working days, and on what basis."""

    year: int
    source: Source  # "chinesecalendar", "python-holidays" or "assumed"
    basis: Basis  # "official" arrangement, or what an assumption rests on
    off: dict[date, str | None] = field(default_factory=dict)  # days off with the holiday
    work: dict[date, str | None] = field(default_factory=dict)  # weekend days worked (调休)


@lru_cache(maxsize=256)
def year_data(year: int) -> YearData:
    """The best package data for a year (cached: package data does not change at run time)."""
    return _from_chinesecalendar(year) or _from_python_holidays(year)


def _from_chinesecalendar(year: int) -> YearData | None:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    off = {
        d: canonical_holiday(str(n))
        for d, n in chinese_calendar.holidays.items()
        if d.year == year
    }
    work = {
        d: canonical_holiday(str(n))
        for d, n in chinese_calendar.workdays.items()
        if d.year == year
    }
    return YearData(year, "chinesecalendar", "official", off, work)


def _china(year: int) -> tuple[Any, bool] | None:
    """python-holidays' China calendar for a year and whether it has the published
    arrangement; None when the package cannot say anything about the year."""
    try:  # imported on first use: only years chinesecalendar lacks need it
        from holidays.countries.china import China, ChinaStaticHolidays
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    if not China.start_year <= year <= getattr(China, "end_year", 2100):
        return None
    arranged = getattr(ChinaStaticHolidays, "special_public_holidays", {})
    return China(years=year, language="en_US"), year >= 2001 and year in arranged


def _from_python_holidays(year: int) -> YearData:
    found = _china(year)
    if found is None:
        return YearData(year, "assumed", "weekends")
    calendar, official = found
    labels = {d: str(label).split("; ")[0] for d, label in calendar.items()}
    off: dict[date, str | None] = {}
    for day in sorted(labels):
        # "Day off (substituted from ...)" names no holiday: it belongs to the break it
        # extends, found by looking back over the days off and weekend before it.
        label = labels[day]
        off[day] = None if label.startswith("Day off") else canonical_holiday(label)
    for day, name in list(off.items()):
        if name is None:
            off[day] = _break_name(day, off)
    work: dict[date, str | None] = {}
    if official:
        for day in sorted(d for d in calendar.weekend_workdays if d.year == year):
            work[day] = _nearest_name(day, off)
    return YearData(
        year,
        "python-holidays" if official else "assumed",
        "official" if official else "statutory",
        off,
        work,
    )


def _break_name(day: date, off: dict[date, str | None]) -> str | None:
    probe = day - timedelta(days=1)
    for _ in range(4):
        if off.get(probe):
            return off[probe]
        if probe not in off and probe.weekday() < 5:
            break
        probe -= timedelta(days=1)
    return _nearest_name(day, off)


def _nearest_name(day: date, off: dict[date, str | None]) -> str | None:
    """The holiday nearest a day (a make-up working day belongs to the break beside it)."""
    for distance in range(1, 15):
        for probe in (day + timedelta(days=distance), day - timedelta(days=distance)):
            if off.get(probe):
                return off[probe]
    return None
