"""Recurrence phrases (English/Chinese) to RFC 5545 RRULE bodies, and their occurrences.

RRULEs here never carry DTSTART. Occurrences are computed over the NAIVE local wall clock
(so a weekly 10:00 meeting stays at 10:00 local across DST) and then localised with
zoneinfo: an ambiguous local time takes the first instant (fold=0); a local time inside a
spring-forward gap is moved forward by the gap (02:30 -> 03:30 in Europe/Berlin).

UNTIL is written as a floating local time at the end of the given day
(``UNTIL=20270630T235959``) so that the last day is included, matching the naive DTSTART.
Note that dateutil, unlike RFC 5545, does not count DTSTART as an occurrence unless it
matches the rule.

Phrase semantics: ``weekly`` / ``every week`` / ``每周`` give plain ``FREQ=WEEKLY`` (the
weekday comes from the first start); ``every other week`` and ``每隔一周`` mean INTERVAL=2
(每隔N周 skips N weeks); ``每周一至周五`` / ``mon-fri`` expand to a BYDAY list.

Error codes: unparseable (parse_recurrence), invalid_rrule (occurrences).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from ._grammar import WD_CN, WD_EN, weekday_index
from ._text import MAX_INPUT, local_to_utc, normalize
from .errors import RecurrenceError

__all__ = ["occurrences", "parse_recurrence"]

_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WORKWEEK = "MO,TU,WE,TH,FR"
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
}

_UNTIL_RE = re.compile(
    r"[\s,]*(?:until|till|through|至|到|直到|截至)\s*(?:"
    r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})|(\d{4})年(\d{1,2})月(\d{1,2})[日号]?)\s*(?:为止|止)?$"
)
_COUNT_RE = re.compile(r"[\s,]*(?:(?:for\s+)?(\d+)\s*(?:times|occurrences)|共?\s*(\d+)\s*次)$")
_EN_WD_LIST = re.compile(rf"{WD_EN}(?:\s*(?:,|and|&)\s*{WD_EN})*")
_CN_WD = r"(?:周|星期|礼拜)?[1-7日天]"
_CN_WD_LIST = re.compile(rf"{_CN_WD}(?:\s*(?:,|和|及|与)?\s*{_CN_WD})*")
_FREQ_EN = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_FREQ_CN = {
    "天": "DAILY",
    "日": "DAILY",
    "周": "WEEKLY",
    "星期": "WEEKLY",
    "礼拜": "WEEKLY",
    "月": "MONTHLY",
    "年": "YEARLY",
}
_ADVERBS = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "yearly": "YEARLY",
    "annually": "YEARLY",
}


def _en_days(s: str) -> str:
    return ",".join(_CODES[weekday_index(w)] for w in re.findall(WD_EN, s))


def _cn_days(s: str) -> str:
    # After normalize(), weekdays are digits or 日/天; the list may omit repeated 周 (周2、4).
    return ",".join(_CODES[weekday_index(c)] for c in re.findall(r"[1-7日天]", s))


def _rule(freq: str, interval: int = 1, extra: str = "") -> str:
    parts = [f"FREQ={freq}"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    if extra:
        parts.append(extra)
    return ";".join(parts)


def _by_clause(freq: str, rest: str) -> str | None:
    """The BY* part for what follows "every <unit> on" / "每<unit>"; None if not understood."""
    rest = re.sub(r"^(?:on\s+)?(?:the\s+)?|^的", "", rest.strip())
    if not rest:
        return ""
    if freq == "WEEKLY":
        if _EN_WD_LIST.fullmatch(rest):
            return "BYDAY=" + _en_days(rest)
        if _CN_WD_LIST.fullmatch(rest):
            return "BYDAY=" + _cn_days(rest)
        m = re.fullmatch(
            rf"{_CN_WD}\s*(?:至|到|-)\s*{_CN_WD}|({WD_EN})\s*(?:-|to)\s*({WD_EN})", rest
        )
        if m:
            ends = re.findall(r"[1-7日天]", rest) if m.group(1) is None else m.groups()
            first, last = (weekday_index(e) for e in ends)
            if first < last:  # 周一至周五; a wrapping range is more likely a typo
                return "BYDAY=" + ",".join(_CODES[first : last + 1])
            return None
        if rest in ("weekday", "weekdays", "工作日"):
            return "BYDAY=" + _WORKWEEK
        return None
    if freq == "MONTHLY":
        m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?(?: day)?|(\d{1,2})[日号]", rest)
        if m:
            day = int(m.group(1) or m.group(2))
            return f"BYMONTHDAY={day}" if 1 <= day <= 31 else None
        m = re.fullmatch(
            rf"(first|second|third|fourth|fifth|last|\dst|\dnd|\drd|\dth)\s+"
            rf"({WD_EN})",
            rest,
        )
        if m and m.group(1) in _ORDINALS:
            return f"BYDAY={_ORDINALS[m.group(1)]:+d}{_CODES[weekday_index(m.group(2))]}"
        m = re.fullmatch(rf"(?:第([1-5])|(最后)1?)个?{WD_CN}", rest)
        if m:
            nth = int(m.group(1)) if m.group(1) else -1
            return f"BYDAY={nth:+d}{_CODES[weekday_index(m.group(3))]}"
        if rest in ("last day", "最后1天"):
            return "BYMONTHDAY=-1"
    return None


def _body(s: str) -> str | None:
    if s in _ADVERBS:
        return _rule(_ADVERBS[s])
    if s in ("every weekday", "weekdays", "每个工作日", "工作日", "每工作日"):
        return _rule("WEEKLY", extra="BYDAY=" + _WORKWEEK)
    m = re.fullmatch(rf"(?:weekly|every week) on (.+)|every ({WD_EN}\b.*)", s)
    if m:
        extra = _by_clause("WEEKLY", m.group(1) or m.group(2))
        return _rule("WEEKLY", extra=extra) if extra else None
    m = re.fullmatch(r"every (?:(\d+|other) )?(day|week|month|year)s?(?:,? (.*))?", s)
    if m:
        interval = 2 if m.group(1) == "other" else int(m.group(1) or 1)
        freq = _FREQ_EN[m.group(2)]
        extra = _by_clause(freq, m.group(3) or "")
        return None if extra is None or interval < 1 else _rule(freq, interval, extra)
    m = re.fullmatch(r"每(隔)?(\d+)?个?(天|日|周|星期|礼拜|月|年)(.*)", s)
    if m:
        # 每隔一周 skips one week, i.e. every 2 weeks (the usual Chinese reading).
        interval = int(m.group(2) or 1) + (1 if m.group(1) else 0)
        freq = _FREQ_CN[m.group(3)]
        extra = _by_clause(freq, m.group(4))
        return None if extra is None or interval < 1 else _rule(freq, interval, extra)
    return None


def parse_recurrence(text: str) -> str:
    """Turn "every 2 weeks on mon" / "每月第二个周二" etc. into an RRULE body."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        raise RecurrenceError("unparseable")
    s = normalize(text)
    tail = ""
    m = _UNTIL_RE.search(s)
    if m:
        y, mo, d = (int(g) for g in (m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)))
        try:
            until = date(y, mo, d)
        except ValueError:
            raise RecurrenceError("unparseable") from None
        tail = f";UNTIL={until:%Y%m%d}T235959"
        s = s[: m.start()]
    else:
        m = _COUNT_RE.search(s)
        if m:
            count = int(m.group(1) or m.group(2))
            if count < 1:
                raise RecurrenceError("unparseable")
            tail = f";COUNT={count}"
            s = s[: m.start()]
    body = _body(s.strip(" ,"))
    if body is None:
        raise RecurrenceError("unparseable")
    return body + tail


def occurrences(
    first_start_local: datetime, rrule: str, tz: ZoneInfo, after: datetime, limit: int
) -> list[datetime]:
    """Up to ``limit`` occurrence starts (aware UTC) strictly after ``after``."""
    if limit <= 0:
        return []
    try:
        rule = rrulestr(rrule, dtstart=first_start_local.replace(tzinfo=None))
    except (ValueError, TypeError):
        raise RecurrenceError("invalid_rrule") from None
    # Start a day early in wall-clock terms: offsets differ by < 1 day, and we filter exactly.
    cursor = after.astimezone(tz).replace(tzinfo=None) - timedelta(days=1)
    found: list[datetime] = []
    for naive in rule.xafter(cursor, count=None, inc=True):
        start = local_to_utc(naive, tz)
        if start > after.astimezone(UTC):
            found.append(start)
            if len(found) >= limit:
                break
    return found
