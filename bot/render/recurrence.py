"""Recurrences and reminder offsets in words, as a secretariat writes them.

A stored RRULE (``FREQ=MONTHLY;BYDAY=+2TU``) is never shown: it reads "every second Tuesday
of the month" / "每月第二个周二", and ``FREQ=WEEKLY;INTERVAL=2`` from a Friday start reads
"every 2 weeks on Friday" / "每两周周五". Offsets read "1 day, 3 hours" / "1天、3小时".
A rule this module does not know reads "repeats regularly" / "定期重复", never the code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.i18n import N_, Tr
from bot.render.dates import formatted_day, show_day

WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = {
    1: N_("first"),
    2: N_("second"),
    3: N_("third"),
    4: N_("fourth"),
    5: N_("fifth"),
    -1: N_("last"),
}
_CN_COUNTS = "两三四五六七八九十"  # 每两周, 每三个月: Chinese writes small intervals in words
_NTH_DAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")
_YEAR_DAY = {"en": "d MMMM", "zh": "M月d日"}


def _interval(tr: Tr, n: int) -> str:
    if tr.lang == "zh" and 2 <= n <= 10:
        return _CN_COUNTS[n - 2]
    return str(n)


def _weekday(tr: Tr, code: str) -> str:
    return tr(WEEKDAY_NAMES[_CODES.index(code)])


def _parts(rrule: str) -> dict[str, str] | None:
    parts: dict[str, str] = {}
    for piece in rrule.split(";"):
        name, sep, value = piece.partition("=")
        if not sep or name in parts:
            return None
        parts[name.upper()] = value.upper()
    return parts


def _weekly(tr: Tr, days: list[str], n: int) -> str:
    if days == list(_CODES[:5]) and n == 1:
        return tr("every weekday (Monday to Friday)")
    names = tr.join(_weekday(tr, d) for d in days)
    if n == 1:
        return tr("every week on {days}", days=names)
    return tr("every {n} weeks on {days}", n=_interval(tr, n), days=names)


def _monthly(tr: Tr, parts: dict[str, str], start: datetime, n: int) -> str | None:
    count = _interval(tr, n)
    byday, bymonthday = parts.get("BYDAY"), parts.get("BYMONTHDAY")
    if byday:
        m = _NTH_DAY.match(byday)
        nth = int(m.group(1)) if m and m.group(1) else None
        if m is None or nth not in ORDINALS:
            return None
        day, ordinal = _weekday(tr, m.group(2)), tr(ORDINALS[nth])
        if n == 1:
            return tr("every {ordinal} {weekday} of the month", ordinal=ordinal, weekday=day)
        return tr(
            "the {ordinal} {weekday} of every {n} months", ordinal=ordinal, weekday=day, n=count
        )
    day_of_month = int(bymonthday) if bymonthday and bymonthday.lstrip("-").isdigit() else None
    if bymonthday and day_of_month is None:
        return None
    if day_of_month == -1:
        if n == 1:
            return tr("every month on the last day")
        return tr("every {n} months on the last day", n=count)
    day_number = day_of_month if day_of_month and day_of_month > 0 else start.day
    if n == 1:
        return tr("every month on day {day}", day=day_number)
    return tr("every {n} months on day {day}", n=count, day=day_number)


def describe_recurrence(rrule: str, start: datetime, tr: Tr) -> str:
    """A recurrence rule in words; `start` is the first occurrence in local time."""
    parts = _parts(rrule) or {}
    freq = parts.get("FREQ", "")
    raw_interval = parts.get("INTERVAL", "1")
    n = int(raw_interval) if raw_interval.isdigit() and int(raw_interval) > 0 else 0
    text: str | None = None
    if n == 0:
        text = None
    elif freq == "DAILY" and not parts.get("BYDAY"):
        text = tr("every day") if n == 1 else tr("every {n} days", n=_interval(tr, n))
    elif freq == "WEEKLY":
        codes = [c for c in parts.get("BYDAY", _CODES[start.weekday()]).split(",") if c]
        if all(c in _CODES for c in codes):
            text = _weekly(tr, sorted(codes, key=_CODES.index), n)
    elif freq == "MONTHLY":
        text = _monthly(tr, parts, start, n)
    elif freq == "YEARLY" and not parts.get("BYDAY"):
        day = formatted_day(start.date(), _YEAR_DAY[tr.lang], tr.babel_locale)
        if n == 1:
            text = tr("every year on {date}", date=day)
        else:
            text = tr("every {n} years on {date}", n=_interval(tr, n), date=day)
    if text is None:
        return tr("repeats regularly")
    until, count = parts.get("UNTIL", ""), parts.get("COUNT", "")
    if re.fullmatch(r"\d{8}(T\d{6}Z?)?", until):
        last = datetime.strptime(until[:8], "%Y%m%d").date()
        return tr("{rule}, until {date}", rule=text, date=show_day(last, tr))
    if count.isdigit():
        return tr.ngettext("{rule}, once", "{rule}, {n} times", int(count), rule=text)
    return text


def duration_words(offset: timedelta, tr: Tr) -> str:
    """A length of time in words: '1 day 12 hours' / '1天12小时'."""
    seconds = int(offset.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if days:
        parts.append(tr.ngettext("{n} day", "{n} days", days))
    if hours:
        parts.append(tr.ngettext("{n} hour", "{n} hours", hours))
    if minutes:
        parts.append(tr.ngettext("{n} minute", "{n} minutes", minutes))
    if secs:
        parts.append(tr.ngettext("{n} second", "{n} seconds", secs))
    # Chinese writes compound lengths without spaces (1天12小时).
    return ("" if tr.lang == "zh" else " ").join(parts)


def offsets_words(offsets: Sequence[timedelta], tr: Tr) -> str:
    """Reminder offsets in words, longest first: '1 day, 3 hours' / '1天、3小时'."""
    ordered = sorted(set(offsets), reverse=True)
    return tr.join(duration_words(o, tr) for o in ordered)
