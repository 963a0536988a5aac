"""The working-day calendar: chinesecalendar's real 2026, python-holidays where chinesecalendar
stops, an assumption (reported as such) where no package has the arrangement, and admin
entries winning over all of them. Pure functions, literal dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.timeparse import (
    HolidayCalendar,
    Override,
    canonical_holiday,
    day_warning,
    holiday_name,
    is_working_day,
    working_days_before,
)
from bot.domain.timeparse.holiday_sources import _from_chinesecalendar, _from_python_holidays

PACKAGES = HolidayCalendar()
# What admins would enter for 2027 once the State Council publishes it (an illustration,
# not the real notice): Spring Festival 5-12 Feb off, Sun 14 Feb and Sat 20 Feb worked.
ENTERED_2027 = HolidayCalendar(
    [Override(date(2027, 2, 5) + timedelta(days=i), True, "春节") for i in range(8)]
    + [
        Override(date(2027, 2, 14), False, "春节"),
        Override(date(2027, 2, 20), False, "Spring Festival"),
    ]
)


@pytest.mark.parametrize(
    ("day", "working", "name", "warning"),
    [
        (date(2026, 1, 1), False, "New Year's Day", "holiday"),
        (date(2026, 1, 3), False, "New Year's Day", "holiday"),  # Saturday inside the break
        (date(2026, 1, 4), True, None, None),  # make-up Sunday
        (date(2026, 2, 14), True, None, None),  # make-up Saturday before Spring Festival
        (date(2026, 2, 16), False, "Spring Festival", "holiday"),
        (date(2026, 2, 23), False, "Spring Festival", "holiday"),
        (date(2026, 2, 24), True, None, None),
        (date(2026, 2, 28), True, None, None),  # make-up Saturday after Spring Festival
        (date(2026, 9, 20), True, None, None),  # make-up Sunday before National Day
        (date(2026, 9, 25), False, "Mid-autumn Festival", "holiday"),
        (date(2026, 10, 1), False, "National Day", "holiday"),
        (date(2026, 10, 3), False, "National Day", "holiday"),
        (date(2026, 10, 7), False, "National Day", "holiday"),
        (date(2026, 10, 8), True, None, None),
        (date(2026, 10, 10), True, None, None),  # make-up Saturday
        (date(2026, 11, 28), False, None, "weekend"),
        (date(2026, 11, 30), True, None, None),
    ],
)
def test_2026_calendar(day: date, working: bool, name: str | None, warning: str | None) -> None:
    assert is_working_day(day) is working
    assert holiday_name(day) == name
    assert day_warning(day) == warning
    assert PACKAGES.day(day).source == "chinesecalendar"


@pytest.mark.parametrize(
    ("year", "source", "assumption"),
    [
        (2026, "chinesecalendar", None),  # published, in chinesecalendar 1.11
        (2004, "chinesecalendar", None),
        (2003, "python-holidays", None),  # before chinesecalendar; python-holidays has it
        (2035, "assumed", "statutory"),  # nobody has it: python-holidays' statutory days
        (2101, "assumed", "weekends"),  # beyond python-holidays too
    ],
)
def test_each_year_uses_the_best_source_and_says_which(
    year: int, source: str, assumption: str | None
) -> None:
    assert PACKAGES.package_source(year) == source
    assert PACKAGES.arrangement(year) == source
    assert PACKAGES.assumption(year) == assumption


def test_2027_comes_from_python_holidays_or_is_reported_as_assumed() -> None:
    source = PACKAGES.arrangement(2027)
    # chinesecalendar 1.11 stops at 2026; which of these holds depends on whether the
    # installed python-holidays already carries the State Council's 2027 notice.
    assert source in ("python-holidays", "assumed")
    assert (PACKAGES.assumption(2027) == "statutory") is (source == "assumed")
    new_year = PACKAGES.day(date(2027, 1, 1))
    assert (new_year.kind, new_year.name, new_year.source) == ("holiday", "New Year's Day", source)
    for day in (date(2027, 2, 5), date(2027, 2, 8), date(2027, 2, 10)):
        assert PACKAGES.holiday_name(day) == "Spring Festival"
    assert PACKAGES.day_warning(date(2027, 10, 1)) == "holiday"
    assert PACKAGES.is_working_day(date(2027, 1, 4))


@pytest.mark.parametrize(
    ("day", "kind", "name", "source"),
    [
        # 2035 has no arrangement: python-holidays' statutory days, no make-up days.
        (date(2035, 1, 1), "holiday", "New Year's Day", "assumed"),
        (date(2035, 10, 1), "holiday", "National Day", "assumed"),
        (date(2035, 1, 6), "weekend", None, "assumed"),
        (date(2035, 1, 2), "workday", None, "assumed"),
        # Beyond python-holidays: weekends only.
        (date(2103, 1, 1), "workday", None, "assumed"),  # a Monday: New Year's unknown
        (date(2103, 1, 6), "weekend", None, "assumed"),
        # Before chinesecalendar: python-holidays' published 2003 arrangement.
        (date(2003, 10, 1), "holiday", "National Day", "python-holidays"),
    ],
)
def test_days_outside_chinesecalendar(day: date, kind: str, name: str | None, source: str) -> None:
    info = PACKAGES.day(day)
    assert (info.kind, info.name, info.source) == (kind, name, source)


@pytest.mark.parametrize(
    ("day", "kind", "name", "source"),
    [
        (date(2027, 2, 11), "holiday", "Spring Festival", "admin"),  # packages: a Thursday
        (date(2027, 2, 12), "holiday", "Spring Festival", "admin"),
        (date(2027, 2, 14), "makeup", "Spring Festival", "admin"),  # a Sunday worked
        (date(2027, 2, 20), "makeup", "Spring Festival", "admin"),  # named in English
        (date(2027, 2, 8), "holiday", "Spring Festival", "admin"),
        (date(2027, 2, 15), "workday", None, PACKAGES.arrangement(2027)),  # not entered
    ],
)
def test_admin_entries_win(day: date, kind: str, name: str | None, source: str) -> None:
    info = ENTERED_2027.day(day)
    assert (info.kind, info.name, info.source) == (kind, name, source)


def test_admin_entries_override_chinesecalendar_and_mark_the_year_entered() -> None:
    cal = HolidayCalendar(
        [Override(date(2026, 10, 8), True, "国庆"), Override(date(2026, 10, 10), True, None)]
    )
    assert (cal.day(date(2026, 10, 8)).kind, cal.holiday_name(date(2026, 10, 8))) == (
        "holiday",
        "National Day",
    )
    assert not cal.is_working_day(date(2026, 10, 10))  # chinesecalendar's make-up Saturday
    assert cal.arrangement(2026) == "chinesecalendar"  # still the published source
    assert ENTERED_2027.arrangement(2027) == "admin"
    assert ENTERED_2027.assumption(2027) is None  # no "not loaded" warning any more
    assert ENTERED_2027.arrangement(2028) == PACKAGES.arrangement(2028)


@pytest.mark.parametrize(
    ("cal", "due", "n", "expected"),
    [
        (PACKAGES, date(2026, 10, 8), 2, date(2026, 9, 29)),  # across National Day
        (PACKAGES, date(2026, 10, 12), 2, date(2026, 10, 9)),
        (PACKAGES, date(2026, 10, 12), 1, date(2026, 10, 10)),  # make-up Saturday counts
        (PACKAGES, date(2026, 2, 24), 1, date(2026, 2, 14)),  # Spring Festival skipped
        (PACKAGES, date(2026, 10, 9), 0, date(2026, 10, 9)),
        # 2027 on the packages: Thu 11 and Fri 12 Feb look like working days.
        (PACKAGES, date(2027, 2, 15), 2, date(2027, 2, 11)),
        # With the admins' entry: Sun 14 Feb worked, 5-12 Feb off.
        (ENTERED_2027, date(2027, 2, 15), 1, date(2027, 2, 14)),
        (ENTERED_2027, date(2027, 2, 15), 2, date(2027, 2, 4)),
    ],
)
def test_working_days_before(cal: HolidayCalendar, due: date, n: int, expected: date) -> None:
    assert cal.working_days_before(due, n) == expected


@pytest.mark.parametrize(
    ("cal", "day", "expected"),
    [
        (PACKAGES, date(2026, 10, 5), date(2026, 10, 8)),  # National Day Monday
        (PACKAGES, date(2026, 2, 16), date(2026, 2, 24)),
        (PACKAGES, date(2026, 9, 7), date(2026, 9, 7)),
        (ENTERED_2027, date(2027, 2, 8), date(2027, 2, 14)),  # the worked Sunday
    ],
)
def test_first_working_day(cal: HolidayCalendar, day: date, expected: date) -> None:
    assert cal.first_working_day(day) == expected


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        working_days_before(date(2026, 10, 9), -1)


def test_year_days_list_holidays_and_make_up_days_with_sources() -> None:
    days = {d.day: d for d in ENTERED_2027.year_days(2027)}
    assert days[date(2027, 2, 14)].kind == "makeup" and days[date(2027, 2, 14)].source == "admin"
    assert days[date(2027, 1, 1)].source == PACKAGES.arrangement(2027)
    assert date(2027, 2, 15) not in days  # an ordinary Monday
    listed = PACKAGES.year_days(2026)
    assert {d.source for d in listed} == {"chinesecalendar"}
    assert sum(d.kind == "makeup" for d in listed) == 6  # 4 Jan, 14 & 28 Feb, 9 May, ...


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("春节", "Spring Festival"),
        ("Chinese New Year's Eve", "Spring Festival"),
        ("Chinese New Year (Spring Festival) (observed)", "Spring Festival"),
        ("元旦", "New Year's Day"),
        ("New Year's Day", "New Year's Day"),
        ("Labor Day (observed)", "Labour Day"),
        ("端午", "Dragon Boat Festival"),
        ("清明", "Tomb-sweeping Day"),
        ("Mid-Autumn Festival", "Mid-autumn Festival"),
        ("国庆", "National Day"),
        ("十一", "National Day"),
        ("单位年休", "单位年休"),  # unknown names are kept as written
        ("国庆加班补休", "国庆加班补休"),  # Chinese names are recognised only on their own
        ("  ", None),
        (None, None),
    ],
)
def test_holiday_names_are_recognised_in_both_languages(
    text: str | None, expected: str | None
) -> None:
    assert canonical_holiday(text) == expected


@pytest.mark.parametrize("year", range(2010, 2027))
def test_python_holidays_agrees_with_chinesecalendar_on_working_days(year: int) -> None:
    # Where both packages have the published arrangement they must agree day for day; this
    # checks that python-holidays' substituted days and make-up working days are read right.
    ours, theirs = _from_python_holidays(year), _from_chinesecalendar(year)
    assert theirs is not None and ours.source == "python-holidays"
    day = date(year, 1, 1)
    while day.year == year:
        mine = day in ours.work or (day.weekday() < 5 and day not in ours.off)
        other = day in theirs.work or (day.weekday() < 5 and day not in theirs.off)
        assert mine is other, day
        day += timedelta(days=1)


@given(st.dates(date(2004, 1, 15), date(2031, 12, 31)), st.integers(0, 40))
def test_working_days_before_counts_exactly_n(day: date, n: int) -> None:
    result = working_days_before(day, n)
    span = [result + timedelta(days=i) for i in range((day - result).days)]
    assert sum(is_working_day(d) for d in span) == n
    assert n == 0 or is_working_day(result)
