"""Action items from minutes: an owner (a person, a unit, or nobody yet), a due date, a state.

The due date is a local calendar date (the action is due by the end of it); it becomes
overdue the day after. Each action records the meeting kind and sitting start it came from,
so the next sitting of the same kind can list it under "matters arising".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

migrations = Migrations("coordbot.actions")


@migrations()
def m001_actions(db: Database) -> None:
    """The actions table."""
    db.execute(
        """CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL,
            occ TEXT NOT NULL,
            meeting_kind TEXT NOT NULL,
            sitting_start TEXT NOT NULL,
            item_id INTEGER,
            owner_user INTEGER,
            owner_unit TEXT COLLATE NOCASE,
            due TEXT NOT NULL,
            text TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done')),
            created_by INTEGER,
            created_at TEXT NOT NULL,
            done_at TEXT,
            done_by INTEGER,
            done_note TEXT
        )"""
    )
    db.execute("CREATE INDEX actions_open ON actions(state, due)")
    db.execute("CREATE INDEX actions_sitting ON actions(meeting_id, occ)")
    db.execute("CREATE INDEX actions_owner ON actions(owner_user)")
    db.execute("CREATE INDEX actions_unit ON actions(owner_unit)")


@dataclass(frozen=True)
class Action:
    """One action item."""

    id: int
    meeting_id: int
    occ: str
    meeting_kind: str
    sitting_start: datetime
    item_id: int | None
    owner_user: int | None
    owner_name: str
    owner_unit: str | None
    due: date
    text: str
    state: str
    done_at: datetime | None
    done_note: str | None

    @property
    def owner_label(self) -> str:
        """The owner as shown: a person's name, a unit code, or '' when unassigned."""
        return self.owner_name if self.owner_user is not None else (self.owner_unit or "")

    def overdue(self, today: date) -> bool:
        """Open and past its due date."""
        return self.state == "open" and self.due < today


_SELECT = """SELECT a.*, TRIM(COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, ''))
                    AS pname, p.username FROM actions a
             LEFT JOIN people p ON p.user_id = a.owner_user"""


def _action(row: dict[str, Any]) -> Action:
    name = row["pname"] or (f"@{row['username']}" if row["username"] else str(row["owner_user"]))
    return Action(
        id=row["id"],
        meeting_id=row["meeting_id"],
        occ=row["occ"],
        meeting_kind=row["meeting_kind"],
        sitting_start=from_iso(row["sitting_start"]),  # type: ignore[arg-type]
        item_id=row["item_id"],
        owner_user=row["owner_user"],
        owner_name=name if row["owner_user"] is not None else "",
        owner_unit=row["owner_unit"],
        due=date.fromisoformat(row["due"]),
        text=row["text"],
        state=row["state"],
        done_at=from_iso(row["done_at"]),
        done_note=row["done_note"],
    )


def add_action(
    db: Database,
    *,
    meeting_id: int,
    occ: str,
    meeting_kind: str,
    sitting_start: datetime,
    item_id: int | None,
    owner_user: int | None,
    owner_unit: str | None,
    due: date,
    text: str,
    by: int,
    now: datetime,
) -> int:
    """Record an action item; return its id."""
    cursor = db.execute(
        """INSERT INTO actions (meeting_id, occ, meeting_kind, sitting_start, item_id,
               owner_user, owner_unit, due, text, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            meeting_id,
            occ,
            meeting_kind,
            utc_iso(sitting_start),
            item_id,
            owner_user,
            owner_unit,
            due.isoformat(),
            text,
            by,
            utc_iso(now),
        ],
    )
    return int(cursor.lastrowid or 0)


def get_action(db: Database, action_id: int) -> Action | None:
    """An action by id."""
    row = one(db, _SELECT + " WHERE a.id = ?", [action_id])
    return _action(row) if row else None


def close(db: Database, action_id: int, by: int, note: str, now: datetime) -> bool:
    """Close an open action; False if it was closed already."""
    cursor = db.execute(
        "UPDATE actions SET state = 'done', done_at = ?, done_by = ?, done_note = ?"
        " WHERE id = ? AND state = 'open'",
        [utc_iso(now), by, note or None, action_id],
    )
    return cursor.rowcount > 0


def for_sitting(db: Database, meeting_id: int, occ: str) -> list[Action]:
    """Actions recorded at a sitting, in order."""
    rows = select(
        db, _SELECT + " WHERE a.meeting_id = ? AND a.occ = ? ORDER BY a.id", [meeting_id, occ]
    )
    return [_action(r) for r in rows]


def open_actions(db: Database, now: datetime | None = None) -> list[Action]:
    """Every open action, earliest due first (for the bulletin and /actions)."""
    rows = select(db, _SELECT + " WHERE a.state = 'open' ORDER BY a.due, a.id")
    return [_action(r) for r in rows]


def all_actions(db: Database, limit: int = 200) -> list[Action]:
    """Every action, open first then the most recently closed."""
    rows = select(db, _SELECT + " ORDER BY a.state = 'done', a.due, a.id LIMIT ?", [limit])
    return [_action(r) for r in rows]


def overdue(db: Database, today: date) -> list[Action]:
    """Open actions whose due date has passed."""
    rows = select(
        db,
        _SELECT + " WHERE a.state = 'open' AND a.due < ? ORDER BY a.due, a.id",
        [today.isoformat()],
    )
    return [_action(r) for r in rows]


def owned_by(db: Database, user_id: int, unit_code: str | None) -> list[Action]:
    """Open actions owned by a person or by their unit."""
    rows = select(
        db,
        _SELECT + " WHERE a.state = 'open' AND (a.owner_user = ? OR a.owner_unit = ?)"
        " ORDER BY a.due, a.id",
        [user_id, unit_code or ""],
    )
    return [_action(r) for r in rows]


def of_unit(db: Database, unit_code: str) -> list[Action]:
    """Open actions owned by a unit or by someone in it."""
    rows = select(
        db,
        _SELECT + " WHERE a.state = 'open' AND (a.owner_unit = ? OR p.unit_code = ?)"
        " ORDER BY a.due, a.id",
        [unit_code, unit_code],
    )
    return [_action(r) for r in rows]


def earliest_open(db: Database) -> dict[str, datetime]:
    """{meeting kind: the earliest sitting start of an open action}: `arising(db,
    kind, before)` is empty exactly when before <= that start."""
    rows = select(
        db,
        """SELECT meeting_kind, MIN(sitting_start) AS first FROM actions
           WHERE state = 'open' GROUP BY meeting_kind""",
    )
    found = {r["meeting_kind"]: from_iso(r["first"]) for r in rows}
    return {kind: first for kind, first in found.items() if first is not None}


def arising(db: Database, meeting_kind: str, before: datetime) -> list[Action]:
    """Open actions from earlier sittings of a meeting kind ("matters arising")."""
    rows = select(
        db,
        _SELECT + " WHERE a.state = 'open' AND a.meeting_kind = ? AND a.sitting_start < ?"
        " ORDER BY a.due, a.id",
        [meeting_kind, utc_iso(before)],
    )
    return [_action(r) for r in rows]
