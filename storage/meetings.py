"""Meetings: one-off or recurring, invited units, cancelled occurrences, reminder offsets.

A meeting row holds its first (anchor) start and end in UTC, the time zone its wall clock
is read in, and an optional RRULE body. Occurrences are expanded on demand with
bot.meeting_times, so `Meeting.start`/`end` are those of one concrete occurrence.
`version` goes up whenever the time or the reminder offsets change; reminder schedule refs
carry it, so a moved meeting gets fresh reminders and the old ones are cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bot.meeting_times import occ_key, starts_after
from bot.timeparse import parse_offsets
from storage.db import from_iso, one, select, utc_iso

migrations = Migrations("coordbot.meetings")


@migrations()
def m001_meetings(db: Database) -> None:
    """Meetings, their invited units, cancelled occurrences and RSVPs."""
    db.execute(
        """CREATE TABLE meetings (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            place TEXT NOT NULL DEFAULT '',
            start_at TEXT NOT NULL,
            end_at TEXT NOT NULL,
            tz TEXT NOT NULL,
            rrule TEXT,
            offsets TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            cancelled_at TEXT,
            cancel_reason TEXT,
            created_by INTEGER,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX meetings_active ON meetings(cancelled_at, end_at)")
    db.execute(
        """CREATE TABLE meeting_units (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            unit_code TEXT NOT NULL COLLATE NOCASE,
            PRIMARY KEY (meeting_id, unit_code)
        )"""
    )
    db.execute(
        """CREATE TABLE meeting_exdates (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            occ TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, occ)
        )"""
    )
    db.execute(
        """CREATE TABLE rsvps (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            occ TEXT NOT NULL,
            user_id INTEGER NOT NULL,
            unit_code TEXT COLLATE NOCASE,
            answer TEXT NOT NULL CHECK (answer IN ('attend', 'decline', 'delegate')),
            answered_at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, occ, user_id)
        )"""
    )


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
        """How long each occurrence lasts."""
        return self.first_end - self.first_start

    @property
    def rsvp_key(self) -> str:
        """The key RSVPs of this occurrence are stored under ('' for a one-off meeting)."""
        return occ_key(self.start) if self.is_series else ""

    def at(self, start: datetime) -> Meeting:
        """The same meeting seen at another occurrence."""
        return replace(self, start=start, end=start + self.duration)

    def starts(self, after: datetime, limit: int) -> list[datetime]:
        """Starts of the next occurrences at or after an instant, cancelled ones left out."""
        return starts_after(self.first_start, self.rrule, self.zone, after, limit, self.exdates)


def _meeting(db: Database, row: dict[str, Any], now: datetime | None) -> Meeting:
    first_start = from_iso(row["start_at"])
    first_end = from_iso(row["end_at"])
    assert first_start is not None and first_end is not None
    exdates = tuple(
        r["occ"]
        for r in select(
            db, "SELECT occ FROM meeting_exdates WHERE meeting_id = ? ORDER BY occ", [row["id"]]
        )
    )
    invited = tuple(
        r["unit_code"]
        for r in select(
            db,
            "SELECT unit_code FROM meeting_units WHERE meeting_id = ? ORDER BY unit_code",
            [row["id"]],
        )
    )
    meeting = Meeting(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        place=row["place"],
        start=first_start,
        end=first_end,
        first_start=first_start,
        first_end=first_end,
        tz=row["tz"],
        rrule=row["rrule"],
        exdates=exdates,
        cancelled=row["cancelled_at"] is not None,
        cancel_reason=row["cancel_reason"],
        invited=invited,
        offsets=tuple(parse_offsets(row["offsets"])) if row["offsets"] else None,
        version=row["version"],
    )
    if row["offsets"] == "":
        meeting = replace(meeting, offsets=())
    if meeting.is_series:
        # The occurrence in progress or the next one; the last seen one once the series ends.
        moment = now or datetime.now(UTC)
        nxt = meeting.starts(moment - meeting.duration + timedelta(seconds=1), 1)
        if nxt:
            meeting = meeting.at(nxt[0])
    return meeting


def create(
    db: Database,
    *,
    kind: str,
    title: str,
    place: str,
    start: datetime,
    end: datetime,
    tz: str,
    rrule: str | None,
    created_by: int,
    now: datetime,
) -> int:
    """Store a new meeting; return its id."""
    cursor = db.execute(
        """INSERT INTO meetings (kind, title, place, start_at, end_at, tz, rrule, created_by,
                                 created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [kind, title, place, utc_iso(start), utc_iso(end), tz, rrule, created_by]
        + [utc_iso(now)] * 2,
    )
    return int(cursor.lastrowid or 0)


def get_meeting(db: Database, meeting_id: int, now: datetime | None = None) -> Meeting | None:
    """A meeting by id, seen at its current or next occurrence after `now`."""
    row = one(db, "SELECT * FROM meetings WHERE id = ?", [meeting_id])
    return _meeting(db, row, now) if row else None


def active(db: Database, now: datetime) -> list[Meeting]:
    """Meetings not cancelled that are recurring or not yet over."""
    rows = select(
        db,
        """SELECT * FROM meetings WHERE cancelled_at IS NULL
           AND (rrule IS NOT NULL OR end_at > ?) ORDER BY id""",
        [utc_iso(now)],
    )
    return [_meeting(db, row, now) for row in rows]


def upcoming(db: Database, start: datetime, end: datetime, limit: int = 200) -> list[Meeting]:
    """Every occurrence starting in [start, end), earliest first, cancelled ones left out."""
    rows = select(
        db,
        """SELECT * FROM meetings WHERE cancelled_at IS NULL
           AND (rrule IS NOT NULL OR (start_at >= ? AND start_at < ?))""",
        [utc_iso(start), utc_iso(end)],
    )
    found: list[Meeting] = []
    for row in rows:
        meeting = _meeting(db, row, start)
        for when in meeting.starts(start, limit):
            if when >= end:
                break
            found.append(meeting.at(when))
    found.sort(key=lambda m: (m.start, m.id))
    return found[:limit]


def next_of_kind(db: Database, kind: str, after: datetime) -> Meeting | None:
    """The next occurrence of a meeting of this kind starting at or after an instant."""
    for meeting in upcoming(db, after, after + timedelta(days=400)):
        if meeting.kind == kind:
            return meeting
    return None


def set_invited(db: Database, meeting_id: int, codes: list[str]) -> None:
    """Replace the invited units (an empty list means every unit)."""
    db.execute("DELETE FROM meeting_units WHERE meeting_id = ?", [meeting_id])
    for code in codes:
        db.execute(
            "INSERT OR IGNORE INTO meeting_units (meeting_id, unit_code) VALUES (?, ?)",
            [meeting_id, code.upper()],
        )


def move(db: Database, meeting_id: int, start: datetime, end: datetime, now: datetime) -> None:
    """Give a meeting (or a series' anchor) a new time; bumps the version."""
    db.execute(
        """UPDATE meetings SET start_at = ?, end_at = ?, version = version + 1, updated_at = ?
           WHERE id = ?""",
        [utc_iso(start), utc_iso(end), utc_iso(now), meeting_id],
    )
    # Occurrences cancelled under the old anchor do not match the new one.
    db.execute("DELETE FROM meeting_exdates WHERE meeting_id = ?", [meeting_id])


def set_offsets(db: Database, meeting_id: int, offsets: str | None, now: datetime) -> None:
    """Set reminder offsets (canonical text; '' for none, None for the default)."""
    db.execute(
        "UPDATE meetings SET offsets = ?, version = version + 1, updated_at = ? WHERE id = ?",
        [offsets, utc_iso(now), meeting_id],
    )


def cancel(db: Database, meeting_id: int, reason: str, now: datetime) -> None:
    """Cancel a meeting or a whole series."""
    db.execute(
        "UPDATE meetings SET cancelled_at = ?, cancel_reason = ?, updated_at = ? WHERE id = ?",
        [utc_iso(now), reason, utc_iso(now), meeting_id],
    )


def cancel_occurrence(
    db: Database, meeting_id: int, start: datetime, reason: str, now: datetime
) -> None:
    """Cancel one occurrence of a series (an EXDATE)."""
    db.execute(
        """INSERT OR IGNORE INTO meeting_exdates (meeting_id, occ, reason, created_at)
           VALUES (?, ?, ?, ?)""",
        [meeting_id, occ_key(start), reason, utc_iso(now)],
    )
