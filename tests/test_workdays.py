"""Tests for bot.timeparse.workdays against chinese_calendar's real 2026 schedule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timeparse import day_warning, holiday_name, is_working_day, working_days_before


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


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 10, 9), 0, date(2026, 10, 9)),
        (date(2026, 10, 9), 1, date(2026, 10, 8)),
        (date(2026, 10, 9), 2, date(2026, 9, 30)),  # skips the whole National Day break
        (date(2026, 10, 12), 1, date(2026, 10, 10)),  # counts the make-up Saturday
        (date(2026, 2, 24), 1, date(2026, 2, 14)),  # Spring Festival back to make-up Sat
        (date(2026, 2, 24), 2, date(2026, 2, 13)),
        (date(2026, 12, 7), 5, date(2026, 11, 30)),
        (date(2031, 1, 6), 1, date(2031, 1, 3)),  # beyond the data: plain weekdays
    ],
)
def test_working_days_before(day: date, n: int, expected: date) -> None:
    assert working_days_before(day, n) == expected


def test_negative_n_rejected() -> None:
    with pytest.raises(ValueError):
        working_days_before(date(2026, 10, 9), -1)


@pytest.mark.parametrize(
    ("day", "working", "warning"),
    [
        (date(2031, 1, 1), True, None),  # would be New Year's Day, but there is no data
        (date(2031, 1, 4), False, "weekend"),
        (date(2003, 10, 1), True, None),
        (date(2003, 10, 4), False, "weekend"),
    ],
)
def test_outside_data_falls_back_to_weekdays(day: date, working: bool, warning: str) -> None:
    assert is_working_day(day) is working
    assert holiday_name(day) is None
    assert day_warning(day) == warning


@given(st.dates(date(2004, 1, 15), date(2031, 12, 31)), st.integers(0, 40))
def test_working_days_before_counts_exactly_n(day: date, n: int) -> None:
    result = working_days_before(day, n)
    span = [result + timedelta(days=i) for i in range((day - result).days)]
    assert sum(is_working_day(d) for d in span) == n
    assert n == 0 or is_working_day(result)
