"""Meetings: one-off or recurring, invited units, cancelled and moved occurrences, offsets.

A meeting row holds its first (anchor) start and end in UTC, the time zone its wall clock
is read in, and an optional RRULE body. This module is plain SQL: it hands out
`MeetingRow`s as stored; the occurrences are computed above it (bot.meeting_times.Meeting,
built by bot.services.meetings). `version` goes up whenever the time, the set of
occurrences or the reminder offsets change; schedule refs carry it, so a changed meeting
gets fresh timed rows and the old ones are recognised and cancelled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

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


@migrations()
def m002_meeting_moves(db: Database) -> None:
    """Occurrences of a series moved to another time, by the key the rule gives them."""
    db.execute(
        """CREATE TABLE meeting_moves (
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            occ TEXT NOT NULL,
            start_at TEXT NOT NULL,
            end_at TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, occ)
        )"""
    )


@migrations()
def m003_rsvp_delegate(db: Database) -> None:
    """The name of the person sent in one's place ("send a delegate")."""
    db.execute("ALTER TABLE rsvps ADD COLUMN delegate TEXT")


@dataclass(frozen=True)
class MovedRow:
    """One occurrence moved: its key under the rule, and its new start and end (UTC)."""

    occ: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class MeetingRow:
    """A meeting as stored: the anchor times, the rule and the occurrence exceptions."""

    id: int
    kind: str
    title: str
    place: str
    start: datetime
    end: datetime
    tz: str
    rrule: str | None
    offsets: str | None  # canonical offsets text; '' for none, None for the default
    version: int
    cancelled: bool
    cancel_reason: str | None
    invited: tuple[str, ...]
    exdates: tuple[str, ...]
    moves: tuple[MovedRow, ...]


def _utc(text: str) -> datetime:
    moment = from_iso(text)
    assert moment is not None
    return moment


# A meeting with its exdates, invited units and moves in one statement: the three lookups
# per meeting were most of a meeting read's statements (an /agenda_add ran two dozen).
_SELECT = """SELECT m.*,
    (SELECT json_group_array(occ) FROM meeting_exdates WHERE meeting_id = m.id) AS x_exdates,
    (SELECT json_group_array(unit_code) FROM meeting_units WHERE meeting_id = m.id) AS x_units,
    (SELECT json_group_array(json_array(occ, start_at, end_at)) FROM meeting_moves
        WHERE meeting_id = m.id) AS x_moves
    FROM meetings m"""


def _listed(text: str | None) -> list[Any]:
    return [] if not text or text == "[]" else list(json.loads(text))


def _row(row: dict[str, Any]) -> MeetingRow:
    moves = sorted(_listed(row["x_moves"]), key=lambda m: (m[1], m[0]))  # by start, then occ
    return _make(
        row,
        sorted(_listed(row["x_exdates"])),
        sorted(_listed(row["x_units"])),
        [MovedRow(occ, _utc(start), _utc(end)) for occ, start, end in moves],
    )


def _make(
    row: dict[str, Any], exdates: list[str], invited: list[str], moves: list[MovedRow]
) -> MeetingRow:
    return MeetingRow(
        id=row["id"],
        kind=row["kind"],
        title=row["title"],
        place=row["place"],
        start=_utc(row["start_at"]),
        end=_utc(row["end_at"]),
        tz=row["tz"],
        rrule=row["rrule"],
        offsets=row["offsets"],
        version=row["version"],
        cancelled=row["cancelled_at"] is not None,
        cancel_reason=row["cancel_reason"],
        invited=tuple(invited),
        exdates=tuple(exdates),
        moves=tuple(moves),
    )


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


def get(db: Database, meeting_id: int) -> MeetingRow | None:
    """A meeting by id, as stored."""
    row = one(db, _SELECT + " WHERE m.id = ?", [meeting_id])
    return _row(row) if row else None


def active(db: Database, now: datetime, *, series_only: bool = False) -> list[MeetingRow]:
    """Meetings not cancelled that are recurring or not yet over at `now` (only the
    recurring ones with `series_only`)."""
    rows = select(
        db,
        _SELECT
        + """ WHERE m.cancelled_at IS NULL
           AND (m.rrule IS NOT NULL OR (m.end_at > ? AND NOT ?)) ORDER BY m.id""",
        [utc_iso(now), series_only],
    )
    return [_row(row) for row in rows]


def starting_between(db: Database, start: datetime, end: datetime) -> list[MeetingRow]:
    """Meetings not cancelled that may have an occurrence starting in [start, end): every
    series, and the one-off meetings that start then."""
    rows = select(
        db,
        _SELECT
        + """ WHERE m.cancelled_at IS NULL
           AND (m.rrule IS NOT NULL OR (m.start_at >= ? AND m.start_at < ?)) ORDER BY m.id""",
        [utc_iso(start), utc_iso(end)],
    )
    return [_row(row) for row in rows]


def set_invited(db: Database, meeting_id: int, codes: list[str]) -> None:
    """Replace the invited units (an empty list means every unit)."""
    db.execute("DELETE FROM meeting_units WHERE meeting_id = ?", [meeting_id])
    for code in codes:
        db.execute(
            "INSERT OR IGNORE INTO meeting_units (meeting_id, unit_code) VALUES (?, ?)",
            [meeting_id, code.upper()],
        )


def _changed(db: Database, meeting_id: int, now: datetime) -> None:
    db.execute(
        "UPDATE meetings SET version = version + 1, updated_at = ? WHERE id = ?",
        [utc_iso(now), meeting_id],
    )


def move(db: Database, meeting_id: int, start: datetime, end: datetime, now: datetime) -> None:
    """Give a meeting (or a series' anchor) a new time; bumps the version."""
    db.execute(
        "UPDATE meetings SET start_at = ?, end_at = ? WHERE id = ?",
        [utc_iso(start), utc_iso(end), meeting_id],
    )
    _changed(db, meeting_id, now)
    # Occurrences cancelled or moved under the old anchor do not match the new one.
    db.execute("DELETE FROM meeting_exdates WHERE meeting_id = ?", [meeting_id])
    db.execute("DELETE FROM meeting_moves WHERE meeting_id = ?", [meeting_id])


def move_occurrence(
    db: Database, meeting_id: int, occ: str, start: datetime, end: datetime, now: datetime
) -> None:
    """Give one occurrence of a series (by its key) a new time; bumps the version."""
    db.execute(
        """INSERT INTO meeting_moves (meeting_id, occ, start_at, end_at, created_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(meeting_id, occ) DO UPDATE SET start_at = excluded.start_at,
               end_at = excluded.end_at, created_at = excluded.created_at""",
        [meeting_id, occ, utc_iso(start), utc_iso(end), utc_iso(now)],
    )
    _changed(db, meeting_id, now)


def set_offsets(db: Database, meeting_id: int, offsets: str | None, now: datetime) -> None:
    """Set reminder offsets (canonical text; '' for none, None for the default)."""
    db.execute(
        "UPDATE meetings SET offsets = ?, version = version + 1, updated_at = ? WHERE id = ?",
        [offsets, utc_iso(now), meeting_id],
    )


def cancel(db: Database, meeting_id: int, reason: str, now: datetime) -> None:
    """Cancel a meeting or a whole series; bumps the version."""
    db.execute(
        "UPDATE meetings SET cancelled_at = ?, cancel_reason = ? WHERE id = ?",
        [utc_iso(now), reason, meeting_id],
    )
    _changed(db, meeting_id, now)


def cancel_occurrence(db: Database, meeting_id: int, occ: str, reason: str, now: datetime) -> None:
    """Cancel one occurrence of a series by its key (an EXDATE); bumps the version."""
    db.execute(
        """INSERT OR IGNORE INTO meeting_exdates (meeting_id, occ, reason, created_at)
           VALUES (?, ?, ?, ?)""",
        [meeting_id, occ, reason, utc_iso(now)],
    )
    _changed(db, meeting_id, now)
