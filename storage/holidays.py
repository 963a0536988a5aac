"""Holiday arrangement days entered by admins (the State Council's notice, once published).

One row per date: a day off or a working day, with the holiday's name as typed. These rows
override the packages' calendar; the domain gets them as data (bot.services.holiday_calendar).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, select, utc_iso

migrations = Migrations("coordbot.holidays")


@migrations()
def m001_holidays(db: Database) -> None:
    """The admin-entered holiday days."""
    db.execute(
        """CREATE TABLE holiday_days (
            day TEXT PRIMARY KEY,
            off INTEGER NOT NULL CHECK (off IN (0, 1)),
            name TEXT,
            set_by INTEGER NOT NULL,
            set_at TEXT NOT NULL
        )"""
    )


@dataclass(frozen=True)
class HolidayDay:
    """One admin-entered day: off (a holiday) or a working day."""

    day: date
    off: bool
    name: str | None
    set_by: int
    set_at: datetime


def _row(row: dict) -> HolidayDay:
    return HolidayDay(
        day=date.fromisoformat(row["day"]),
        off=bool(row["off"]),
        name=row["name"],
        set_by=row["set_by"],
        set_at=from_iso(row["set_at"]),  # type: ignore[arg-type]
    )


def put(
    db: Database, days: Sequence[date], off: bool, name: str | None, by: int, now: datetime
) -> None:
    """Enter (or re-enter) days as off or working, with a name."""
    for day in days:
        db.execute(
            """INSERT INTO holiday_days (day, off, name, set_by, set_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(day) DO UPDATE SET off = excluded.off, name = excluded.name,
               set_by = excluded.set_by, set_at = excluded.set_at""",
            [day.isoformat(), int(off), name, by, utc_iso(now)],
        )


def clear(db: Database, first: date, last: date) -> int:
    """Remove the entries between two dates (inclusive); return how many there were."""
    cursor = db.execute(
        "DELETE FROM holiday_days WHERE day >= ? AND day <= ?",
        [first.isoformat(), last.isoformat()],
    )
    return cursor.rowcount


def all_days(db: Database) -> list[HolidayDay]:
    """Every entered day, by date."""
    return [_row(r) for r in select(db, "SELECT * FROM holiday_days ORDER BY day")]
