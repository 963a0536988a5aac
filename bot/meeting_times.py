"""Pure meeting arithmetic: kinds, occurrences of a series, reminder instants and overlaps.

No database and no Telegram here; everything takes aware UTC datetimes and a ZoneInfo.
Recurrences are expanded on the local wall clock (bot.timeparse.occurrences), so a weekly
10:00 meeting stays at 10:00 across a DST change.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.timeparse import occurrences
from bot.timeparse._text import local_to_utc

KINDS = ("coordination", "joint", "working", "evaluation")
_KIND_ALIASES = {
    "coordination": "coordination",
    "coord": "coordination",
    "协调小组会议": "coordination",
    "协调小组": "coordination",
    "协调会": "coordination",
    "joint": "joint",
    "联席会议": "joint",
    "联席会": "joint",
    "working": "working",
    "work": "working",
    "工作组会议": "working",
    "工作组": "working",
    "evaluation": "evaluation",
    "eval": "evaluation",
    "评估会": "evaluation",
    "专业评估会": "evaluation",
    "评估会议": "evaluation",
}
OCC_FORMAT = "%Y%m%dT%H%M%S"
ONE_SECOND = timedelta(seconds=1)


def parse_kind(text: str) -> str | None:
    """The canonical meeting kind for an English or Chinese name, or None."""
    return _KIND_ALIASES.get(unicodedata.normalize("NFKC", text).strip().lower())


def occ_key(start: datetime) -> str:
    """A compact, sortable key for an occurrence: its UTC start to the second."""
    return start.astimezone(UTC).strftime(OCC_FORMAT)


def from_occ_key(key: str) -> datetime | None:
    """The UTC start an occurrence key stands for, or None when malformed."""
    try:
        return datetime.strptime(key, OCC_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None


def starts_after(
    first_start: datetime,
    rrule: str | None,
    tz: ZoneInfo,
    after: datetime,
    limit: int,
    skip: Iterable[str] = (),
) -> list[datetime]:
    """Up to `limit` occurrence starts at or after `after`, leaving out skipped keys."""
    skipped = set(skip)
    if rrule is None:
        keep = first_start >= after and occ_key(first_start) not in skipped
        return [first_start] if keep and limit > 0 else []
    local_first = first_start.astimezone(tz).replace(tzinfo=None)
    # Each skipped key can remove at most one occurrence, so ask for that many more.
    batch = occurrences(local_first, rrule, tz, after - ONE_SECOND, limit + len(skipped))
    found = [start for start in batch if occ_key(start) not in skipped]
    return found[:limit]


def is_occurrence(
    first_start: datetime, rrule: str | None, tz: ZoneInfo, candidate: datetime
) -> bool:
    """Whether `candidate` is one of the series' starts (exdates not considered)."""
    found = starts_after(first_start, rrule, tz, candidate, 1)
    return bool(found) and found[0] == candidate


def reminder_due(start: datetime, offset: timedelta, tz: ZoneInfo) -> datetime:
    """When a reminder `offset` before `start` is due.

    Whole days are counted on the local wall clock (like RFC 5545's -P1D), so "1 day
    before" a Monday 10:00 meeting is Sunday 10:00 even across a DST change; the rest of
    the offset is exact elapsed time.
    """
    days = timedelta(days=offset.days)
    rest = offset - days
    local = start.astimezone(tz).replace(tzinfo=None)
    return local_to_utc(local - days, tz) - rest


def reminder_plan(
    starts: Sequence[datetime], offsets: Sequence[timedelta], tz: ZoneInfo, now: datetime
) -> list[tuple[datetime, timedelta, datetime]]:
    """(occurrence start, offset, due) for every reminder still ahead of `now`."""
    plan = []
    for start in starts:
        for offset in offsets:
            due = reminder_due(start, offset, tz)
            if due > now:
                plan.append((start, offset, due))
    return plan


def superseded(
    start: datetime, offset: timedelta, offsets: Sequence[timedelta], tz: ZoneInfo, now: datetime
) -> bool:
    """Whether a shorter reminder for the same occurrence is also already due.

    After a long outage only the latest due reminder is worth sending.
    """
    return any(o < offset and reminder_due(start, o, tz) <= now for o in offsets)


def spans_overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two half-open time spans intersect."""
    return a_start < b_end and b_start < a_end


def share_units(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two invitation lists meet; an empty list means every unit."""
    if not a or not b:
        return True
    return bool({c.upper() for c in a} & {c.upper() for c in b})
