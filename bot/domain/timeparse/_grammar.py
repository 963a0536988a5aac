"""Regex layer for dates, times and ranges in English and Chinese (internal).

Works on text already passed through ``_text.normalize`` (lower case, ASCII digits).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta

WEEKDAYS_EN = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
WD_EN = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
)
WD_CN = r"(?:周|星期|礼拜)([1-7日天])"


def weekday_index(token: str) -> int:
    """Monday=0 index for an English weekday token or a Chinese weekday character."""
    if token in ("日", "天", "7"):
        return 6
    if token.isdigit():
        return int(token) - 1
    return WEEKDAYS_EN[token[:3]]


@dataclass(frozen=True)
class DateSpec:
    """A date, or a weekday whose resolution depends on the time of day (``upcoming``)."""

    fixed: date | None = None
    upcoming: int | None = None  # weekday index: nearest such day with the time still ahead
    period: str | None = None  # 今晚 / tonight imply evening for an unmarked hour


@dataclass(frozen=True)
class TimeSpec:
    hour: int
    minute: int
    period: str | None  # "am", "morning", "noon", "pm", "evening" or None
    marked: bool  # had a colon, 点/时 or am/pm; a bare "3" only counts inside a range


# "am" (English am, 凌晨) turns 12 into 0; 上午12点 is noon, so 上午 is "morning".
# "evening" (晚上...) refuses 12 and small hours: 晚上12点/晚上1点 fall on the next day.
_CN_PERIODS = {
    "上午": "morning",
    "早上": "morning",
    "早晨": "morning",
    "凌晨": "am",
    "中午": "noon",
    "下午": "pm",
    "傍晚": "pm",
    "晚上": "evening",
    "夜里": "evening",
}
_PERIOD_RE = r"(上午|早上|早晨|凌晨|中午|下午|傍晚|晚上|夜里)?\s*"
_TIME_RE = re.compile(
    _PERIOD_RE
    + r"(\d{1,2})(?:(:)(\d{2})|([点时])(?:(半)|([1-3])刻|(\d{1,2})分?)?)?"
    + r"(?:\s*(a\.?m\.?|p\.?m\.?)(?![a-z]))?"
)
_SEP_RE = re.compile(r"\s*(?:-|to|until|till|至|到)\s*")


def take_time(s: str) -> tuple[TimeSpec, str] | None:
    """Match a time of day at the start of ``s``; return it with the unconsumed rest."""
    m = re.match(r"(?:noon|midday)\b", s)
    if m:
        return TimeSpec(12, 0, None, True), s[m.end() :]
    m = _TIME_RE.match(s)
    if not m:
        return None
    per_cn, hour, colon, mi, dian, half, quarter, cmi, ampm = m.groups()
    if colon:
        minute = int(mi)
    elif half:
        minute = 30
    elif quarter:
        minute = 15 * int(quarter)
    else:
        minute = int(cmi) if cmi else 0
    period = _CN_PERIODS[per_cn] if per_cn else None
    if ampm:
        period = "am" if ampm.startswith("a") else "pm"
    marked = bool(colon or dian or ampm or per_cn)
    return TimeSpec(int(hour), minute, period, marked), s[m.end() :]


def resolve_time(t: TimeSpec, default_period: str | None) -> time | None:
    """Apply 上午/下午/am/pm to an hour; None when the result is not a valid time."""
    hour, period = t.hour, t.period or default_period
    if period == "pm" and hour < 12:
        hour += 12
    elif period == "evening":
        if 5 <= hour <= 11:
            hour += 12
        elif hour < 17:
            return None
    elif period == "am" and hour == 12:
        hour = 0
    elif period == "noon" and hour <= 3:
        hour += 12  # 中午1点 = 13:00
    if hour > 23 or t.minute > 59:
        return None
    return time(hour, t.minute)


def take_time_range(s: str) -> tuple[TimeSpec, TimeSpec | None, str] | None:
    """Match ``time`` or ``time SEP time`` at the start of ``s``."""
    first = take_time(s)
    if not first:
        return None
    t1, rest = first
    sep = _SEP_RE.match(rest)
    second = take_time(rest[sep.end() :]) if sep else None
    if second:
        t2, rest2 = second
        if t1.marked or t2.marked:
            # 下午2点到4点: the end inherits the start's period; 2-4pm: the start inherits.
            if t2.period is None and t1.period is not None:
                t2 = TimeSpec(t2.hour, t2.minute, t1.period, True)
            elif t1.period is None and t2.period == "pm" and t1.hour <= t2.hour % 12:
                t1 = TimeSpec(t1.hour, t1.minute, "pm", True)
            return t1, t2, rest2
    return t1, None, rest


def _add_years_safely(month: int, day: int, today: date) -> date | None:
    # Next occurrence that is not in the past; loops so 2月29日 finds the next leap year.
    for year in range(today.year, today.year + 9):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d >= today:
            return d
    return None


def _monday(today: date) -> date:
    return today - timedelta(days=today.weekday())


DateHandler = Callable[[re.Match[str], date], DateSpec | None]

# Past days are understood too, so "昨天下午3点" is refused as a past time, not unreadable.
_REL_DAYS = {
    "day before yesterday": -2,
    "yesterday": -1,
    "前天": -2,
    "昨天": -1,
    "昨日": -1,
    "昨晚": -1,
    "today": 0,
    "tonight": 0,
    "今天": 0,
    "今日": 0,
    "今晚": 0,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "明晚": 1,
    "day after tomorrow": 2,
    "后天": 2,
    "大后天": 3,
}


def _ymd(m: re.Match[str], today: date) -> DateSpec | None:
    y, mo, d = (int(g) for g in m.groups())
    try:
        return DateSpec(fixed=date(y, mo, d))
    except ValueError:
        return None


def _md(m: re.Match[str], today: date) -> DateSpec | None:
    found = _add_years_safely(int(m.group(1)), int(m.group(2)), today)
    return DateSpec(fixed=found) if found else None


def _rel(m: re.Match[str], today: date) -> DateSpec:
    word = m.group(1)
    period = "evening" if word in ("tonight", "今晚", "明晚", "昨晚") else None
    return DateSpec(fixed=today + timedelta(days=_REL_DAYS[word]), period=period)


def _en_weekday(m: re.Match[str], today: date) -> DateSpec:
    wd = weekday_index(m.group(2))
    if m.group(1) == "next":
        return DateSpec(fixed=_monday(today) + timedelta(days=7 + wd))
    if m.group(1) == "last":  # the most recent such day before today
        return DateSpec(fixed=today - timedelta(days=(today.weekday() - wd - 1) % 7 + 1))
    return DateSpec(upcoming=wd)  # "this friday" / "friday": the coming one


def _cn_weekday(m: re.Match[str], today: date) -> DateSpec:
    mod, wd = m.group(1) or "", weekday_index(m.group(2))
    if mod.startswith("下"):
        weeks = mod.count("下")  # 下下周五 = two weeks on
        return DateSpec(fixed=_monday(today) + timedelta(days=7 * weeks + wd))
    if mod.startswith("上"):
        weeks = mod.count("上")  # 上周五: the Friday of last week (a past date)
        return DateSpec(fixed=_monday(today) - timedelta(days=7 * weeks) + timedelta(days=wd))
    if mod:
        return DateSpec(fixed=_monday(today) + timedelta(days=wd))  # 本周/这周: this week
    return DateSpec(upcoming=wd)


_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_MON_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"


def _en_month_first(m: re.Match[str], today: date) -> DateSpec | None:
    return _en_md(_MONTHS[m.group(1)], int(m.group(2)), m.group(3), today)


def _en_day_first(m: re.Match[str], today: date) -> DateSpec | None:
    return _en_md(_MONTHS[m.group(2)], int(m.group(1)), m.group(3), today)


def _en_md(month: int, day: int, year: str | None, today: date) -> DateSpec | None:
    if year:
        try:
            return DateSpec(fixed=date(int(year), month, day))
        except ValueError:
            return None
    found = _add_years_safely(month, day, today)
    return DateSpec(fixed=found) if found else None


_DATE_RULES: list[tuple[re.Pattern[str], DateHandler]] = [
    (re.compile(rf"{_MON_RE} {_ORD}\b(?:,? (\d{{4}})\b)?"), _en_month_first),
    (re.compile(rf"{_ORD} (?:of )?{_MON_RE}(?:,? (\d{{4}})\b)?"), _en_day_first),
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)"), _ymd),
    (re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"), _ymd),
    (re.compile(r"(\d{1,2})月(\d{1,2})[日号]?"), _md),
    (re.compile(r"(\d{1,2})/(\d{1,2})(?![\d/])"), _md),
    (
        re.compile(
            r"(day after tomorrow|day before yesterday|yesterday|today|tonight|tomorrow"
            r"|今天|今日|今晚|明天|明日|明晚|大后天|后天|前天|昨天|昨日|昨晚)"
        ),
        _rel,
    ),
    (re.compile(rf"(?:(next|this|coming|last)\s+)?({WD_EN})\b"), _en_weekday),
    (re.compile(rf"(下+个?|上+个?|本|这个?)?{WD_CN}"), _cn_weekday),
]


def take_date(s: str, today: date) -> tuple[DateSpec | None, str] | None:
    """Match a date at the start of ``s``; (None, rest) means it matched but is invalid."""
    for pattern, handler in _DATE_RULES:
        m = pattern.match(s)
        if m:
            return handler(m, today), s[m.end() :]
    return None


_REL_UNITS = {
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}
_EN_UNIT = {
    "m": "minute",
    "min": "minute",
    "h": "hour",
    "hr": "hour",
    "d": "day",
    "w": "week",
    "分钟": "minute",
    "分": "minute",
    "小时": "hour",
    "个小时": "hour",
    "天": "day",
    "日": "day",
    "周": "week",
    "星期": "week",
    "个星期": "week",
    "礼拜": "week",
}
_REL_EN = re.compile(r"in (\d+|an?|half an?) ?(minute|min|hour|hr|day|week|m|h|d|w)s?")
_REL_CN = re.compile(r"(\d+|半)(个小时|小时|分钟|分|天|日|个星期|星期|周|礼拜)[以之]?后")


def relative_delta(s: str) -> tuple[int, str] | None:
    """Parse the whole of ``s`` as "in 2 hours" / "3天后"; return (amount, unit)."""
    m = _REL_EN.fullmatch(s) or _REL_CN.fullmatch(s)
    if not m:
        return None
    amount, unit = m.groups()
    unit = _EN_UNIT.get(unit, unit)
    if amount.startswith("half") or amount == "半":
        # Half units only make sense as minutes ("half an hour", 半小时).
        return (30, "minute") if unit == "hour" else None
    return (1 if amount in ("a", "an") else int(amount)), unit


def unit_delta(unit: str) -> timedelta:
    """One ``unit`` ("minute", "hour", "day", "week") as a timedelta."""
    return _REL_UNITS[unit]
