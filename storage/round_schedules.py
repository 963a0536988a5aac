"""Round schedules: rounds opened by themselves, weekly or monthly (`round_schedules`).

The table is created by the rounds migrations (storage/rounds.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import from_iso, one, select, utc_iso


@dataclass(frozen=True)
class RoundSchedule:
    """Rounds opened by themselves: weekly on a weekday (0 = Monday) or monthly on a day."""

    id: int
    freq: str
    day: int
    at: str
    deadline: str
    scope: str
    created_at: datetime


def _schedule(row: dict[str, Any]) -> RoundSchedule:
    return RoundSchedule(
        id=row["id"],
        freq=row["freq"],
        day=row["day"],
        at=row["at"],
        deadline=row["deadline"],
        scope=row["scope"],
        created_at=from_iso(row["created_at"]),  # type: ignore[arg-type]
    )


def add_schedule(
    db: Database,
    *,
    freq: str,
    day: int,
    at: str,
    deadline: str,
    scope: str,
    by_user: int | None,
    now: datetime,
) -> RoundSchedule:
    """Store a schedule that opens rounds by itself."""
    cursor = db.execute(
        """INSERT INTO round_schedules (freq, day, at, deadline, scope, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [freq, day, at, deadline, scope, by_user, utc_iso(now)],
    )
    found = get_schedule(db, int(cursor.lastrowid or 0))
    assert found is not None
    return found


def get_schedule(db: Database, schedule_id: int) -> RoundSchedule | None:
    """A schedule still in force, by number."""
    row = one(
        db, "SELECT * FROM round_schedules WHERE id = ? AND stopped_at IS NULL", [schedule_id]
    )
    return _schedule(row) if row else None


def schedules(db: Database) -> list[RoundSchedule]:
    """Every schedule in force, by number."""
    rows = select(db, "SELECT * FROM round_schedules WHERE stopped_at IS NULL ORDER BY id")
    return [_schedule(r) for r in rows]


def stop_schedule(db: Database, schedule_id: int, now: datetime) -> bool:
    """Stop a schedule (kept for the rounds it opened); False if it was not in force."""
    cursor = db.execute(
        "UPDATE round_schedules SET stopped_at = ? WHERE id = ? AND stopped_at IS NULL",
        [utc_iso(now), schedule_id],
    )
    return cursor.rowcount > 0
