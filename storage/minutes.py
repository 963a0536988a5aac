"""Minutes of a sitting: attendance by unit, decisions, publication and corrections.

Published minutes are frozen: they carry a number within the year of the sitting
(（2026）第3号) and change only by appended, dated corrections. The secretariat unit,
whose staff may record minutes besides the admins, is the setting `secretariat_unit`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage import settings
from storage.db import from_iso, one, scalar, select, utc_iso

migrations = Migrations("coordbot.minutes")
SECRETARIAT_KEY = "secretariat_unit"


@migrations()
def m001_minutes(db: Database) -> None:
    """Attendance, decisions, published minutes and corrections."""
    db.execute(
        """CREATE TABLE minutes_attendance (
            meeting_id INTEGER NOT NULL,
            occ TEXT NOT NULL,
            unit_code TEXT NOT NULL COLLATE NOCASE,
            recorded_by INTEGER,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (meeting_id, occ, unit_code)
        )"""
    )
    db.execute(
        """CREATE TABLE decisions (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL,
            occ TEXT NOT NULL,
            item_id INTEGER,
            text TEXT NOT NULL,
            recorded_by INTEGER,
            recorded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX decisions_sitting ON decisions(meeting_id, occ)")
    db.execute(
        """CREATE TABLE minutes_published (
            meeting_id INTEGER NOT NULL,
            occ TEXT NOT NULL,
            year INTEGER NOT NULL,
            number INTEGER NOT NULL,
            published_at TEXT NOT NULL,
            published_by INTEGER,
            PRIMARY KEY (meeting_id, occ),
            UNIQUE (year, number)
        )"""
    )
    db.execute(
        """CREATE TABLE minutes_corrections (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL,
            occ TEXT NOT NULL,
            text TEXT NOT NULL,
            recorded_by INTEGER,
            recorded_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX minutes_corrections_sitting ON minutes_corrections(meeting_id, occ)")


def _at(text: str) -> datetime:
    """A stored, non-null instant."""
    moment = from_iso(text)
    assert moment is not None
    return moment


@dataclass(frozen=True)
class Decision:
    """A decision (议定事项), on an item or on the meeting generally (item_id None)."""

    id: int
    item_id: int | None
    text: str
    recorded_at: datetime


@dataclass(frozen=True)
class Publication:
    """When and under which number a sitting's minutes were published."""

    year: int
    number: int
    published_at: datetime
    published_by: int | None


@dataclass(frozen=True)
class Correction:
    """A dated correction appended to published minutes."""

    id: int
    text: str
    recorded_at: datetime


def set_attendance(
    db: Database, meeting_id: int, occ: str, units: list[str], by: int, now: datetime
) -> None:
    """Replace the units recorded present at a sitting."""
    db.execute(
        "DELETE FROM minutes_attendance WHERE meeting_id = ? AND occ = ?", [meeting_id, occ]
    )
    for code in units:
        db.execute(
            """INSERT OR IGNORE INTO minutes_attendance
               (meeting_id, occ, unit_code, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)""",
            [meeting_id, occ, code, by, utc_iso(now)],
        )


def attendance(db: Database, meeting_id: int, occ: str) -> list[str]:
    """Units recorded present, by code."""
    rows = select(
        db,
        "SELECT unit_code FROM minutes_attendance WHERE meeting_id = ? AND occ = ?"
        " ORDER BY unit_code",
        [meeting_id, occ],
    )
    return [r["unit_code"] for r in rows]


def add_decision(
    db: Database,
    meeting_id: int,
    occ: str,
    item_id: int | None,
    text: str,
    by: int,
    now: datetime,
) -> int:
    """Record a decision; return its id."""
    cursor = db.execute(
        """INSERT INTO decisions (meeting_id, occ, item_id, text, recorded_by, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [meeting_id, occ, item_id, text, by, utc_iso(now)],
    )
    return int(cursor.lastrowid or 0)


def decisions(db: Database, meeting_id: int, occ: str) -> list[Decision]:
    """A sitting's decisions in the order recorded."""
    rows = select(
        db,
        "SELECT * FROM decisions WHERE meeting_id = ? AND occ = ? ORDER BY id",
        [meeting_id, occ],
    )
    return [Decision(r["id"], r["item_id"], r["text"], _at(r["recorded_at"])) for r in rows]


def decided_items(db: Database, meeting_id: int, occ: str) -> set[int]:
    """Ids of a sitting's agenda items with a decision recorded on them."""
    rows = select(
        db,
        "SELECT DISTINCT item_id FROM decisions WHERE meeting_id = ? AND occ = ?"
        " AND item_id IS NOT NULL",
        [meeting_id, occ],
    )
    return {int(r["item_id"]) for r in rows}


def publication(db: Database, meeting_id: int, occ: str) -> Publication | None:
    """The publication of a sitting's minutes, if published."""
    row = one(
        db, "SELECT * FROM minutes_published WHERE meeting_id = ? AND occ = ?", [meeting_id, occ]
    )
    return _publication(row) if row else None


def _publication(row: dict[str, Any]) -> Publication:
    return Publication(
        row["year"],
        row["number"],
        _at(row["published_at"]),
        row["published_by"],
    )


def publish(
    db: Database, meeting_id: int, occ: str, year: int, by: int, now: datetime
) -> Publication:
    """Freeze a sitting's minutes under the next number of the year; return it."""
    last = scalar(db, "SELECT MAX(number) FROM minutes_published WHERE year = ?", [year])
    db.execute(
        """INSERT INTO minutes_published (meeting_id, occ, year, number, published_at,
                                          published_by) VALUES (?, ?, ?, ?, ?, ?)""",
        [meeting_id, occ, year, (last or 0) + 1, utc_iso(now), by],
    )
    found = publication(db, meeting_id, occ)
    assert found is not None
    return found


def add_correction(
    db: Database, meeting_id: int, occ: str, text: str, by: int, now: datetime
) -> int:
    """Append a correction to published minutes; return its id."""
    cursor = db.execute(
        """INSERT INTO minutes_corrections (meeting_id, occ, text, recorded_by, recorded_at)
           VALUES (?, ?, ?, ?, ?)""",
        [meeting_id, occ, text, by, utc_iso(now)],
    )
    return int(cursor.lastrowid or 0)


def corrections(db: Database, meeting_id: int, occ: str) -> list[Correction]:
    """Corrections to a sitting's minutes, oldest first."""
    rows = select(
        db,
        "SELECT * FROM minutes_corrections WHERE meeting_id = ? AND occ = ? ORDER BY id",
        [meeting_id, occ],
    )
    return [Correction(r["id"], r["text"], _at(r["recorded_at"])) for r in rows]


def secretariat_unit(db: Database) -> str | None:
    """The unit whose staff may record minutes (None: admins only)."""
    return settings.get(db, SECRETARIAT_KEY)


def set_secretariat_unit(db: Database, code: str | None) -> None:
    """Set or clear the secretariat unit."""
    if code is None:
        settings.delete(db, SECRETARIAT_KEY)
    else:
        settings.put(db, SECRETARIAT_KEY, code)
