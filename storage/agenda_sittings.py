"""Where each sitting's agenda stands: locked, published (with the snapshot pushed),
amended, carried over, and since when its time is known. The table is created by the
agenda migrations."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from storage.db import from_iso, one, scalar, utc_iso


@dataclass(frozen=True)
class SittingState:
    """Where a sitting's agenda stands."""

    locked_at: datetime | None
    published_at: datetime | None
    amendments: int
    snapshot: list[list[Any]]
    carried_at: datetime | None


def state_of(db: Database, meeting_id: int, occ: str) -> SittingState:
    """A sitting's agenda state (an empty state if nothing was recorded)."""
    row = one(
        db, "SELECT * FROM agenda_sittings WHERE meeting_id = ? AND occ = ?", [meeting_id, occ]
    )
    if row is None:
        return SittingState(None, None, 0, [], None)
    return SittingState(
        locked_at=from_iso(row["locked_at"]),
        published_at=from_iso(row["published_at"]),
        amendments=row["amendments"],
        snapshot=json.loads(row["snapshot"]) if row["snapshot"] else [],
        carried_at=from_iso(row["carried_at"]),
    )


def _ensure(db: Database, meeting_id: int, occ: str) -> None:
    db.execute(
        "INSERT OR IGNORE INTO agenda_sittings (meeting_id, occ) VALUES (?, ?)", [meeting_id, occ]
    )


def lock(db: Database, meeting_id: int, occ: str, now: datetime) -> bool:
    """Lock a sitting's agenda to staff submissions; False if it already was."""
    _ensure(db, meeting_id, occ)
    cursor = db.execute(
        "UPDATE agenda_sittings SET locked_at = ? WHERE meeting_id = ? AND occ = ?"
        " AND locked_at IS NULL",
        [utc_iso(now), meeting_id, occ],
    )
    return cursor.rowcount > 0


def mark_published(
    db: Database, meeting_id: int, occ: str, snapshot: list[list[Any]], now: datetime
) -> bool:
    """Lock and mark published with the snapshot pushed; False if already published."""
    lock(db, meeting_id, occ, now)
    cursor = db.execute(
        "UPDATE agenda_sittings SET published_at = ?, snapshot = ? WHERE meeting_id = ?"
        " AND occ = ? AND published_at IS NULL",
        [utc_iso(now), json.dumps(snapshot, ensure_ascii=False), meeting_id, occ],
    )
    return cursor.rowcount > 0


def mark_amended(db: Database, meeting_id: int, occ: str, snapshot: list[list[Any]]) -> int:
    """Record one more amendment with the new snapshot; return its number."""
    db.execute(
        "UPDATE agenda_sittings SET amendments = amendments + 1, snapshot = ?"
        " WHERE meeting_id = ? AND occ = ?",
        [json.dumps(snapshot, ensure_ascii=False), meeting_id, occ],
    )
    return int(
        scalar(
            db,
            "SELECT amendments FROM agenda_sittings WHERE meeting_id = ? AND occ = ?",
            [meeting_id, occ],
        )
        or 0
    )


def mark_carried(db: Database, meeting_id: int, occ: str, now: datetime) -> bool:
    """Record that a sitting's unreached items were carried; False if done before."""
    _ensure(db, meeting_id, occ)
    cursor = db.execute(
        "UPDATE agenda_sittings SET carried_at = ? WHERE meeting_id = ? AND occ = ?"
        " AND carried_at IS NULL",
        [utc_iso(now), meeting_id, occ],
    )
    return cursor.rowcount > 0


def notice(db: Database, meeting_id: int, occ: str, start: datetime, now: datetime) -> datetime:
    """Since when a sitting's start is known. The first time this is asked: since the
    meeting was created, or (its time or reminders changed since) last changed; after
    that, `now` whenever the start differs from the one recorded (the sitting moved).
    Writes only the first time and after a move, so reading an agenda stays a read."""
    row = one(
        db,
        "SELECT start_at, noticed_at FROM agenda_sittings WHERE meeting_id = ? AND occ = ?",
        [meeting_id, occ],
    )
    if row is not None and row["start_at"] == utc_iso(start) and row["noticed_at"]:
        return from_iso(row["noticed_at"]) or now
    noticed = now
    if row is None or row["start_at"] is None:
        # The one read of the meetings table here: when it was called (not in Meeting).
        called = one(
            db, "SELECT created_at, updated_at, version FROM meetings WHERE id = ?", [meeting_id]
        )
        if called is not None:
            stamp = called["created_at"] if called["version"] == 1 else called["updated_at"]
            noticed = min(from_iso(stamp) or now, now)
    _ensure(db, meeting_id, occ)
    db.execute(
        "UPDATE agenda_sittings SET start_at = ?, noticed_at = ? WHERE meeting_id = ? AND occ = ?",
        [utc_iso(start), utc_iso(noticed), meeting_id, occ],
    )
    return noticed
