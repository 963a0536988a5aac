"""Time polls (agreeing a meeting time): the slots offered, the units asked, and which
slots each unit can make.

A unit answers by marking slots (any of its people; marking again unmarks) or by saying
none suits; either way it has answered (`answered_at`) and is not reminded. Closing
records the slot chosen and the meeting made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

migrations = Migrations("coordbot.polls")


@migrations()
def m001_polls(db: Database) -> None:
    """Polls, their slots, the units asked, and the marks."""
    db.execute(
        """CREATE TABLE polls (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            chat_id INTEGER NOT NULL,
            created_by INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            closed_by INTEGER,
            closed_at TEXT,
            chosen INTEGER,
            meeting_id INTEGER
        )"""
    )
    db.execute(
        """CREATE TABLE poll_slots (
            poll_id INTEGER NOT NULL REFERENCES polls(id),
            number INTEGER NOT NULL,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            PRIMARY KEY (poll_id, number)
        )"""
    )
    db.execute(
        """CREATE TABLE poll_units (
            poll_id INTEGER NOT NULL REFERENCES polls(id),
            unit_code TEXT NOT NULL COLLATE NOCASE,
            answered_by INTEGER,
            answered_at TEXT,
            PRIMARY KEY (poll_id, unit_code)
        )"""
    )
    db.execute(
        """CREATE TABLE poll_marks (
            poll_id INTEGER NOT NULL REFERENCES polls(id),
            number INTEGER NOT NULL,
            unit_code TEXT NOT NULL COLLATE NOCASE,
            marked_by INTEGER NOT NULL,
            marked_at TEXT NOT NULL,
            PRIMARY KEY (poll_id, number, unit_code)
        )"""
    )


@dataclass(frozen=True)
class Slot:
    """One time offered, numbered from 1 in time order."""

    number: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Poll:
    """A poll; once closed, the slot chosen and the meeting made from it."""

    id: int
    kind: str
    title: str
    chat_id: int
    created_at: datetime
    closed_at: datetime | None
    chosen: int | None
    meeting_id: int | None

    @property
    def closed(self) -> bool:
        """Whether the poll is closed."""
        return self.closed_at is not None


def _at(text: str) -> datetime:
    moment = from_iso(text)
    assert moment is not None
    return moment


def _poll(row: dict[str, Any]) -> Poll:
    return Poll(
        row["id"],
        row["kind"],
        row["title"],
        row["chat_id"],
        _at(row["created_at"]),
        from_iso(row["closed_at"]),
        row["chosen"],
        row["meeting_id"],
    )


def create(
    db: Database,
    *,
    kind: str,
    title: str,
    chat_id: int,
    slots: list[tuple[datetime, datetime]],
    units: list[str],
    by: int,
    now: datetime,
) -> Poll:
    """A new poll with its slots (numbered in the order given) and the units asked."""
    cursor = db.execute(
        "INSERT INTO polls (kind, title, chat_id, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
        [kind, title, chat_id, by, utc_iso(now)],
    )
    poll_id = int(cursor.lastrowid or 0)
    for number, (start, end) in enumerate(slots, start=1):
        db.execute(
            "INSERT INTO poll_slots (poll_id, number, start, end) VALUES (?, ?, ?, ?)",
            [poll_id, number, utc_iso(start), utc_iso(end)],
        )
    for code in units:
        db.execute(
            "INSERT OR IGNORE INTO poll_units (poll_id, unit_code) VALUES (?, ?)",
            [poll_id, code.upper()],
        )
    found = get(db, poll_id)
    assert found is not None
    return found


def get(db: Database, poll_id: int) -> Poll | None:
    """A poll by id."""
    row = one(db, "SELECT * FROM polls WHERE id = ?", [poll_id])
    return _poll(row) if row else None


def slots(db: Database, poll_id: int) -> list[Slot]:
    """A poll's slots by number."""
    rows = select(db, "SELECT * FROM poll_slots WHERE poll_id = ? ORDER BY number", [poll_id])
    return [Slot(r["number"], _at(r["start"]), _at(r["end"])) for r in rows]


def units(db: Database, poll_id: int) -> list[str]:
    """The codes of the units asked, sorted."""
    rows = select(
        db, "SELECT unit_code FROM poll_units WHERE poll_id = ? ORDER BY unit_code", [poll_id]
    )
    return [r["unit_code"].upper() for r in rows]


def answered(db: Database, poll_id: int) -> list[str]:
    """The codes of the units that have answered, sorted."""
    rows = select(
        db,
        "SELECT unit_code FROM poll_units WHERE poll_id = ? AND answered_at IS NOT NULL"
        " ORDER BY unit_code",
        [poll_id],
    )
    return [r["unit_code"].upper() for r in rows]


def marks(db: Database, poll_id: int) -> dict[int, list[str]]:
    """{slot number: codes of the units that can make it}, every slot present."""
    found: dict[int, list[str]] = {s.number: [] for s in slots(db, poll_id)}
    rows = select(
        db,
        "SELECT number, unit_code FROM poll_marks WHERE poll_id = ? ORDER BY number, unit_code",
        [poll_id],
    )
    for r in rows:
        found.setdefault(r["number"], []).append(r["unit_code"].upper())
    return found


def _answered(db: Database, poll_id: int, unit: str, by: int, now: datetime) -> None:
    db.execute(
        "UPDATE poll_units SET answered_by = ?, answered_at = ?"
        " WHERE poll_id = ? AND unit_code = ?",
        [by, utc_iso(now), poll_id, unit],
    )


def toggle(db: Database, poll_id: int, number: int, unit: str, by: int, now: datetime) -> bool:
    """Mark a slot for a unit, or unmark it if marked; True when it is now marked."""
    unit = unit.upper()
    _answered(db, poll_id, unit, by, now)
    cursor = db.execute(
        "DELETE FROM poll_marks WHERE poll_id = ? AND number = ? AND unit_code = ?",
        [poll_id, number, unit],
    )
    if cursor.rowcount:
        return False
    db.execute(
        """INSERT INTO poll_marks (poll_id, number, unit_code, marked_by, marked_at)
           VALUES (?, ?, ?, ?, ?)""",
        [poll_id, number, unit, by, utc_iso(now)],
    )
    return True


def none_suits(db: Database, poll_id: int, unit: str, by: int, now: datetime) -> None:
    """Record that a unit can make none of the slots (its marks are cleared)."""
    unit = unit.upper()
    _answered(db, poll_id, unit, by, now)
    db.execute("DELETE FROM poll_marks WHERE poll_id = ? AND unit_code = ?", [poll_id, unit])


def close(
    db: Database, poll_id: int, chosen: int, meeting_id: int, by: int, now: datetime
) -> bool:
    """Close an open poll on a slot and the meeting made from it; False if already closed."""
    cursor = db.execute(
        "UPDATE polls SET closed_at = ?, closed_by = ?, chosen = ?, meeting_id = ? "
        "WHERE id = ? AND closed_at IS NULL",
        [utc_iso(now), by, chosen, meeting_id, poll_id],
    )
    return cursor.rowcount > 0
