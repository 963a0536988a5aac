"""Chinese statutory working days (holidays and 调休 make-up days) via chinese_calendar.

chinese_calendar only has data for a fixed span of years (2004-2026 in 1.11) and raises
NotImplementedError outside it. There we fall back to plain weekday rules: Monday-Friday
work, weekends off, no holiday names. Update the package each December when the State
Council publishes the next year's schedule.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

__all__ = ["day_warning", "holiday_name", "is_working_day", "working_days_before"]


def is_working_day(d: date) -> bool:
    """True on weekdays and make-up working days, False on weekends and holidays."""
    try:
        return bool(chinese_calendar.is_workday(d))
    except NotImplementedError:
        return d.weekday() < 5


def holiday_name(d: date) -> str | None:
    """English name of the statutory holiday ``d`` is part of (e.g. "National Day")."""
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None
    # Make-up working days also carry the holiday's name, with on_holiday False.
    return str(name) if on_holiday and name else None


def day_warning(d: date) -> str | None:
    """ "holiday", "weekend" or None for a normal (or make-up) working day."""
    if holiday_name(d):
        return "holiday"
    if not is_working_day(d):
        return "weekend"
    return None


def working_days_before(d: date, n: int) -> date:
    """The date ``n`` working days before ``d`` (``d`` itself for n == 0)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    current = d
    while n:
        current -= timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current
