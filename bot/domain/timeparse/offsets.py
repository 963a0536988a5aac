"""Reminder offsets such as ``1d,1h`` or ``1天,3小时,15分钟`` (how long before an event).

Separators are commas, spaces and 、; units written back to back form ONE offset
(``1h30m`` = 90 minutes), so ``2d 3h`` is two offsets but ``2d3h`` is one.
Canonical form (``format_offsets``): descending, comma-separated, each as d/h/m/s parts
(weeks are written as days), e.g. ``2d,1h30m,15m``.

Error codes (OffsetError): empty, unparseable, out_of_range (<= 0 or > 60 days).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta

from ._text import MAX_INPUT, normalize
from .errors import OffsetError

__all__ = ["MAX_OFFSET", "format_offsets", "parse_offsets"]

MAX_OFFSET = timedelta(days=60)

_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_UNIT_WORDS = {
    "w": ("w", "wk", "wks", "week", "weeks", "周", "星期", "个星期", "礼拜"),
    "d": ("d", "day", "days", "天", "日"),
    "h": ("h", "hr", "hrs", "hour", "hours", "小时", "个小时", "时"),
    "m": ("m", "min", "mins", "minute", "minutes", "分钟", "分"),
    "s": ("s", "sec", "secs", "second", "seconds", "秒", "秒钟"),
}
_WORD_TO_UNIT = {w: u for u, words in _UNIT_WORDS.items() for w in words}
# Longest first so "min" wins over "m" and "分钟" over "分".
_UNIT_RE = "|".join(sorted(map(re.escape, _WORD_TO_UNIT), key=len, reverse=True))
_PART = re.compile(rf"(\d{{1,7}})\s*({_UNIT_RE})(?![a-z])")
_SEP = re.compile(r"[\s,;]+")


def _parse_one(token: str) -> timedelta:
    pos, seconds = 0, 0
    while pos < len(token):
        m = _PART.match(token, pos)
        if not m:
            raise OffsetError("unparseable")
        seconds += int(m.group(1)) * _UNIT_SECONDS[_WORD_TO_UNIT[m.group(2)]]
        pos = m.end()
    return timedelta(seconds=seconds)


def parse_offsets(text: str) -> list[timedelta]:
    """Parse a list of offsets; deduplicated and sorted longest first."""
    if not isinstance(text, str) or len(text) > MAX_INPUT:
        raise OffsetError("unparseable")
    # Glue "1 day" / "3 小时" together before splitting on spaces.
    s = re.sub(rf"(\d)\s+(?={_UNIT_RE})", r"\1", normalize(text))
    tokens = [t for t in _SEP.split(s) if t]
    if not tokens:
        raise OffsetError("empty")
    found = {_parse_one(t) for t in tokens}
    if any(d <= timedelta(0) or d > MAX_OFFSET for d in found):
        raise OffsetError("out_of_range")
    return sorted(found, reverse=True)


def _format_one(offset: timedelta) -> str:
    seconds = int(offset.total_seconds())
    parts = []
    for unit in ("d", "h", "m", "s"):
        amount, seconds = divmod(seconds, _UNIT_SECONDS[unit])
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts)


def format_offsets(offsets: Iterable[timedelta]) -> str:
    """Canonical text for offsets, e.g. ``2d,3h,15m`` (sub-second parts are dropped)."""
    return ",".join(_format_one(o) for o in sorted(set(offsets), reverse=True))
