"""Dates and times shown in the chat's language and the configured time zone."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.i18n import Tr

_DATETIME = {"en": "EEE d MMM y HH:mm", "zh": "y年M月d日 EEE HH:mm"}
_DATE = {"en": "EEE d MMM y", "zh": "y年M月d日 EEE"}
_TIME = {"en": "HH:mm", "zh": "HH:mm"}
_DAY = {"en": "d MMM y", "zh": "y年M月d日"}


@lru_cache(maxsize=4096)
def _formatted(moment: datetime, tz: ZoneInfo, pattern: str, locale: str) -> str:
    # Meetings, agendas and cards show the same few instants over and over; Babel's
    # formatting is the costliest step of rendering them. Babel loads at the first one
    # (~15 ms of start-up otherwise).
    from babel.dates import format_datetime

    return format_datetime(moment.astimezone(tz), pattern, locale=locale)


@lru_cache(maxsize=4096)
def formatted_day(day: date, pattern: str, locale: str) -> str:
    """Babel's format_date, cached: cards and lists show the same few days over and over
    (~70 µs each), and Babel loads only at the first one."""
    from babel.dates import format_date

    return format_date(day, pattern, locale=locale)


def show_datetime(moment: datetime, tz: ZoneInfo, tr: Tr) -> str:
    """An instant as local date, weekday and time, e.g. 'Fri 4 Dec 2026 14:00'."""
    return _formatted(moment, tz, _DATETIME[tr.lang], tr.babel_locale)


def show_date(day: date, tr: Tr) -> str:
    """A date with its weekday, e.g. 'Fri 4 Dec 2026' / '2026年12月4日 周五'."""
    return formatted_day(day, _DATE[tr.lang], tr.babel_locale)


def show_day(day: date, tr: Tr) -> str:
    """A date without its weekday, e.g. '30 Jun 2027' / '2027年6月30日'."""
    return formatted_day(day, _DAY[tr.lang], tr.babel_locale)


def show_time(moment: datetime, tz: ZoneInfo, tr: Tr) -> str:
    """The local time of day of an instant."""
    return _formatted(moment, tz, _TIME[tr.lang], tr.babel_locale)


def show_span(start: datetime, end: datetime, tz: ZoneInfo, tr: Tr) -> str:
    """A meeting span: full start, then the end time (or full end when on another day)."""
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    if local_start.date() == local_end.date():
        return f"{show_datetime(start, tz, tr)}–{show_time(end, tz, tr)}"
    return f"{show_datetime(start, tz, tr)} – {show_datetime(end, tz, tr)}"
