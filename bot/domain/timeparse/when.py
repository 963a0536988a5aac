"""Parse meeting times and due dates written in English or Chinese.

All text is read as wall-clock time in the caller's ``tz``; results are aware UTC.
A small regex layer handles the forms below; anything else goes to dateparser, whose
answers for Chinese phrases and "next <weekday>" we do not trust (see the semantics).

Semantics (``today`` and weeks are in ``tz``; weeks start on Monday, the Chinese convention):

* ``next friday`` / ``下周五`` / ``下个星期五``: the Friday of NEXT week. On Monday 30 Nov
  2026 that is 11 Dec, not 4 Dec (dateparser would say 4 Dec). ``下下周五``: two weeks on.
* ``本周五`` / ``这周五``: the Friday of THIS week, even if it has passed (``check_future``
  then refuses it).
* ``friday`` / ``周五`` / ``this friday`` / ``coming friday``: the nearest Friday whose given
  time is still ahead: today if today is Friday and the time has not passed, else the next.
  For due dates (no time) today counts.
* A date without a year (``12月4日``, ``Dec 4``, ``12/4`` = month/day): the next occurrence
  that is not before today.
* A time with no date: today, even if already past; ``check_future`` lets the caller refuse.
* A date with no time (``tomorrow``): WhenError("missing_time"); a meeting needs a time.
* ``上午/早上`` keep the hour (上午12点 = 12:00); ``凌晨``/``am`` keep it but 12 -> 0;
  ``下午/傍晚/pm`` add 12 below 12 (12pm = 12:00); ``中午`` adds 12 to 1-3 only
  (中午12点 = 12:00, 中午1点 = 13:00); ``晚上/夜里`` add 12 to 5-11 and refuse 12 and
  0-4 (晚上12点 / 晚上1点 are after midnight: ask for 凌晨). ``今晚/明晚/tonight`` imply
  evening. ``noon`` = 12:00. A bare hour with no 点/colon/period (``明天 3``, ``tomorrow at
  10``) is refused as ambiguous.
* Ranges (``-``, en dash, ``~``, ``to``, ``至``, ``到``) share the date; the end inherits the
  start's period (``下午2点到4点`` = 14-16) and ``2-4pm`` reads as 14-16. An end not after
  the start raises WhenError("end_before_start"); ranges never cross midnight.
* ``in 2 hours`` / ``2小时后`` add exact time; ``in 3 days`` / ``3天后`` keep the wall clock.
* Input longer than 200 characters is "unparseable" without being looked at.

Error codes: unparseable, missing_time, end_before_start (parse_when), past (check_future).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ._grammar import (
    DateSpec,
    TimeSpec,
    relative_delta,
    resolve_time,
    take_date,
    take_time_range,
    unit_delta,
)
from ._text import MAX_INPUT, local_to_utc, normalize
from .errors import WhenError

__all__ = ["When", "check_future", "names_a_date", "parse_due", "parse_when"]

# A calendar date written out (2026-12-04, 12月4日, 12/4, Dec 4), as opposed to a day
# relative to today (下周五, tomorrow, 3天后).
_CALENDAR_DATE = re.compile(
    r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}月\d{1,2}|\d{1,2}/\d{1,2}"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|\d\s*(?:of\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
)


@dataclass(frozen=True)
class When:
    """A meeting slot; both ends are aware UTC datetimes."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class _Parts:
    date_matched: bool
    date: DateSpec | None
    start: TimeSpec | None
    end: TimeSpec | None


_FILLER = re.compile(r"[\s,]*(?:(?:at|on)\b|@|的)?\s*")


def _split(s: str, today: date) -> _Parts | None:
    """Split ``s`` into date and time parts in either order; None if anything is left."""
    dspec: DateSpec | None = None
    date_matched = False
    got = take_date(s, today)
    if got:
        dspec, s = got
        date_matched = True
        s = _FILLER.sub("", s, count=1)  # the pattern can match empty, so this is at 0
    t1 = t2 = None
    rng = take_time_range(s)
    if rng:
        t1, t2, s = rng
        if not date_matched:
            s = _FILLER.sub("", s, count=1)
            got = take_date(s, today)
            if got:
                dspec, s = got
                date_matched = True
    if s.strip() or not (date_matched or rng):
        return None
    return _Parts(date_matched, dspec, t1, t2)


def _resolve_day(spec: DateSpec, today: date, at: time | None, now_time: time) -> date:
    if spec.fixed is not None:
        return spec.fixed
    assert spec.upcoming is not None
    ahead = (spec.upcoming - today.weekday()) % 7
    if ahead == 0 and at is not None and at <= now_time:
        ahead = 7
    return today + timedelta(days=ahead)


def _shift(now: datetime, tz: ZoneInfo, amount: int, unit: str) -> datetime:
    if unit in ("minute", "hour"):
        return now + amount * unit_delta(unit)  # elapsed time, exact
    local = now.astimezone(tz).replace(tzinfo=None)
    return local_to_utc(local + amount * unit_delta(unit), tz)  # keep the wall clock


def _dateparser(s: str, now: datetime, tz: ZoneInfo) -> tuple[datetime, bool] | None:
    """Ask dateparser; return (UTC datetime, had_time) or None. Never raises."""
    settings: dict[str, Any] = {
        "TIMEZONE": tz.key,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": now.astimezone(tz).replace(tzinfo=None),
        "PREFER_DATES_FROM": "future",
        "RETURN_TIME_AS_PERIOD": True,
    }
    try:
        # dateparser loads on the first phrase our grammar does not read (~30 ms at start).
        from dateparser.date import DateDataParser

        parser = DateDataParser(languages=["en", "zh"], settings=settings)
        data = parser.get_date_data(s)
        found = data.date_obj
        if found is None:
            return None
        if found.tzinfo is None:
            found = local_to_utc(found, tz)
        return found.astimezone(UTC), data.period == "time"
    except Exception:  # third-party parser on arbitrary text: any failure means "no idea"
        return None


def _prepare(text: str) -> str:
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        raise WhenError("unparseable")
    s = normalize(text)
    if not s:
        raise WhenError("unparseable")
    return s


def parse_when(
    text: str, now: datetime, tz: ZoneInfo, default_length: timedelta = timedelta(hours=2)
) -> When:
    """Parse a start (and optional end) in ``tz`` wall-clock time into a UTC ``When``."""
    s = _prepare(text)
    rel = relative_delta(s)
    if rel:
        start = _shift(now, tz, *rel)
        return When(start, start + default_length)
    now_local = now.astimezone(tz).replace(tzinfo=None)
    today = now_local.date()
    parts = _split(s, today)
    if parts is None:
        found = _dateparser(s, now, tz)
        if found is None:
            raise WhenError("unparseable")
        if not found[1]:
            raise WhenError("missing_time", day=found[0].astimezone(tz).date())
        return When(found[0], found[0] + default_length)
    if parts.date_matched and parts.date is None:
        raise WhenError("unparseable")  # e.g. 2月30日
    if parts.start is None:
        day = _resolve_day(parts.date, today, None, time.min) if parts.date else None
        raise WhenError("missing_time", day=day)
    if parts.end is None and not parts.start.marked:
        raise WhenError("unparseable")
    period = parts.date.period if parts.date else None
    start_t = resolve_time(parts.start, period)
    end_t = resolve_time(parts.end, period) if parts.end else None
    if start_t is None or (parts.end is not None and end_t is None):
        raise WhenError("unparseable")
    day = _resolve_day(parts.date, today, start_t, now_local.time()) if parts.date else today
    start = local_to_utc(datetime.combine(day, start_t), tz)
    if end_t is None:
        return When(start, start + default_length)
    end = local_to_utc(datetime.combine(day, end_t), tz)
    if end <= start:
        raise WhenError("end_before_start")
    return When(start, end)


def check_future(when: When, now: datetime) -> None:
    """Raise WhenError("past") unless ``when`` starts strictly after ``now``."""
    if when.start <= now:
        raise WhenError("past")


def names_a_date(text: str) -> bool:
    """Whether the text writes out a calendar date rather than a day relative to today."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        return False
    return _CALENDAR_DATE.search(normalize(text)) is not None


def parse_due(text: str, now: datetime, tz: ZoneInfo) -> date:
    """Parse a due date (time of day ignored) and return it as a local ``date``.

    Raises WhenError("unparseable"). A due date before today is returned as is; the caller
    decides whether to refuse it.
    """
    s = _prepare(text)
    rel = relative_delta(s)
    if rel:
        return _shift(now, tz, *rel).astimezone(tz).date()
    today = now.astimezone(tz).date()
    parts = _split(s, today)
    if parts is not None and parts.date_matched:
        if parts.date is None:
            raise WhenError("unparseable")
        # Deadlines run to the end of the day, so a bare weekday may be today.
        return _resolve_day(parts.date, today, None, time.min)
    found = _dateparser(s, now, tz) if parts is None else None
    if found is None:
        raise WhenError("unparseable")
    return found[0].astimezone(tz).date()
