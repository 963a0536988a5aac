"""Pure meeting arithmetic: the Meeting, its occurrences, reminder instants and overlaps.

No database and no Telegram here; everything takes aware UTC datetimes and a ZoneInfo.
Recurrences are expanded on the local wall clock (bot.timeparse.occurrences), so a weekly
10:00 meeting stays at 10:00 across a DST change.

An occurrence of a series is named by its *key*: its start under the rule, in UTC
(`occ_key`). The key never changes: RSVPs, agenda items, minutes and reminder rows hang on
it. A cancelled occurrence is an exdate (its key); a moved one keeps its key and gets a new
start and end (`Moved`), like an iCalendar RECURRENCE-ID override.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.timeparse import occurrences
from bot.domain.timeparse._text import local_to_utc

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


@dataclass(frozen=True)
class Moved:
    """One occurrence of a series given another time: its key, its new start and end."""

    occ: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Meeting:
    """A meeting as seen at one occurrence (`start`/`end`); `first_*` anchor a series."""

    id: int
    kind: str
    title: str
    place: str
    start: datetime
    end: datetime
    first_start: datetime
    first_end: datetime
    tz: str
    rrule: str | None
    exdates: tuple[str, ...]
    cancelled: bool
    cancel_reason: str | None
    invited: tuple[str, ...]
    offsets: tuple[timedelta, ...] | None
    version: int
    moves: tuple[Moved, ...] = ()
    occ: str = ""  # the key of the occurrence seen; '' when its start names it

    @property
    def is_series(self) -> bool:
        """True for a recurring meeting."""
        return self.rrule is not None

    @property
    def zone(self) -> ZoneInfo:
        """The time zone the meeting's wall clock is read in."""
        return ZoneInfo(self.tz)

    @property
    def duration(self) -> timedelta:
        """How long each occurrence lasts (unless it was moved with another length)."""
        return self.first_end - self.first_start

    @property
    def key(self) -> str:
        """The key of the occurrence seen: its start under the rule, in UTC."""
        return self.occ or occ_key(self.start)

    @property
    def rsvp_key(self) -> str:
        """The key RSVPs of this occurrence are stored under ('' for a one-off meeting)."""
        return self.key if self.is_series else ""

    @property
    def moved_from(self) -> datetime | None:
        """The start the rule gives the occurrence seen, when it was moved; else None."""
        original = from_occ_key(self.key) if self.is_series else None
        return original if original is not None and original != self.start else None

    def at(self, start: datetime) -> Meeting:
        """The same meeting seen at the occurrence starting at `start`."""
        for moved in self.moves:
            if moved.start == start and moved.occ not in self.exdates:
                return replace(self, start=start, end=moved.end, occ=moved.occ)
        key = occ_key(start) if self.is_series else ""
        end = start + self.duration
        if start == self.start and end == self.end and key == self.occ:
            return self  # already seen there (frozen, so sharing it is safe)
        return replace(self, start=start, end=end, occ=key)

    def occurrence(self, key: str) -> Meeting:
        """The meeting seen at the occurrence with this key (a moved one at its new time)."""
        if not self.is_series:
            return self.at(self.first_start)
        for moved in self.moves:
            if moved.occ == key:
                return replace(self, start=moved.start, end=moved.end, occ=key)
        start = from_occ_key(key) or self.first_start
        return replace(self, start=start, end=start + self.duration, occ=occ_key(start))

    def has_occurrence(self, key: str) -> bool:
        """Whether a key names an occurrence of the series that is not cancelled."""
        start = from_occ_key(key)
        if not self.is_series or start is None or key in self.exdates:
            return False
        return is_occurrence(self.first_start, self.rrule, self.zone, start)

    def starts(self, after: datetime, limit: int) -> list[datetime]:
        """Starts of the next occurrences at or after an instant (a moved one at its new
        time), cancelled ones left out."""
        if not self.is_series:
            return starts_after(self.first_start, None, self.zone, after, limit, self.exdates)
        moved = [m for m in self.moves if m.occ not in self.exdates]
        skip = (*self.exdates, *(m.occ for m in moved))
        found = starts_after(self.first_start, self.rrule, self.zone, after, limit, skip)
        found += [m.start for m in moved if m.start >= after]
        return sorted(found)[:limit]

    def current(self, now: datetime) -> Meeting:
        """A series seen at the occurrence in progress at `now` or the next one (at its
        anchor once it has ended); a one-off meeting as it is."""
        if not self.is_series:
            return self
        longest = max([self.duration, *(m.end - m.start for m in self.moves)])
        for start in self.starts(now - longest + ONE_SECOND, 8):
            seen = self.at(start)
            if seen.end > now:
                return seen
        return self

    def on_day(self, day: date) -> Meeting | None:
        """The occurrence on a local calendar day: by the time it has now, else by the
        time the rule gives it (a moved one named by its old date); None if there is none."""
        begin = local_to_utc(datetime.combine(day, time()), self.zone)
        end = local_to_utc(datetime.combine(day + timedelta(days=1), time()), self.zone)
        for start in self.starts(begin, 1):
            if start < end:
                return self.at(start)
        for moved in self.moves:
            original = from_occ_key(moved.occ)
            if original and begin <= original < end and moved.occ not in self.exdates:
                return self.occurrence(moved.occ)
        return None

    def cancelled_on(self, day: date) -> bool:
        """Whether an occurrence on this local calendar day was cancelled."""
        moved = {m.occ: m.start for m in self.moves}
        for key in self.exdates:
            starts = [from_occ_key(key), moved.get(key)]
            if any(s is not None and s.astimezone(self.zone).date() == day for s in starts):
                return True
        return False
