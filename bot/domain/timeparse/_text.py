"""Shared text normalisation and local-time helpers (internal)."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

MAX_INPUT = 200

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十]+")
# Dashes and tildes all mean "range" for us; NFKC leaves en/em dashes alone.
_DASHES = str.maketrans({"–": "-", "—": "-", "−": "-", "~": "-", "，": ",", "、": ","})


def _cn_to_int(run: str) -> str:
    if "十" not in run:
        # Digit-by-digit form, e.g. 二〇二六 -> 2026.
        return "".join(str(_CN_DIGITS[c]) for c in run)
    tens, _, ones = run.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return run  # Not a simple 1..99 numeral; leave it so the grammar rejects it.
    value = (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return str(value)


def normalize(text: str) -> str:
    """Fold width, case, dashes and Chinese numerals so the grammars stay small."""
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    s = _CN_RUN.sub(lambda m: _cn_to_int(m.group(0)), s)
    return re.sub(r"\s+", " ", s).strip()


def local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """Interpret a naive wall-clock time in ``tz`` and return aware UTC.

    fold=0 picks the first of two ambiguous instants; a time inside a spring-forward gap
    gets the pre-transition offset, so the UTC round trip moves it forward by the gap.
    """
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
