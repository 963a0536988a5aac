"""Agenda items and the state of each sitting's agenda (locked, published, amended).

An item belongs to one sitting: (meeting id, occurrence key; '' for a one-off meeting).
Its `state` is `open` (on the agenda), `dropped` (an admin took it off), `waiting` (it
must move on — `forward` says `carry` to the next sitting of the same kind or `escalate`
to the next coordination-group meeting — and no such sitting exists yet) or `forwarded`
(it moved on; `carried_to` is the new item). A new item made by carrying or escalating
records `origin` ('carried'/'escalated') and `origin_id`. `reached` is set when a
decision or an action is recorded on the item.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, scalar, select, utc_iso

migrations = Migrations("coordbot.agenda")


@migrations()
def m001_agenda(db: Database) -> None:
    """Agenda items and sittings."""
    db.execute(
        """CREATE TABLE agenda_items (
            id INTEGER PRIMARY KEY,
            meeting_id INTEGER NOT NULL,
            occ TEXT NOT NULL,
            meeting_kind TEXT NOT NULL,
            sitting_start TEXT NOT NULL,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,
            kind TEXT NOT NULL,
            major INTEGER NOT NULL DEFAULT 0,
            project TEXT,
            minutes INTEGER,
            submitter INTEGER,
            unit_code TEXT COLLATE NOCASE,
            late INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'open'
                CHECK (state IN ('open', 'dropped', 'waiting', 'forwarded')),
            drop_reason TEXT,
            forward TEXT CHECK (forward IN ('carry', 'escalate')),
            carried_to INTEGER,
            origin TEXT CHECK (origin IN ('carried', 'escalated')),
            origin_id INTEGER,
            reached INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX agenda_items_sitting ON agenda_items(meeting_id, occ, position)")
    db.execute("CREATE INDEX agenda_items_waiting ON agenda_items(state, forward, sitting_start)")
    db.execute(
        """CREATE TABLE agenda_sittings (
            meeting_id INTEGER NOT NULL,
            occ TEXT NOT NULL,
            locked_at TEXT,
            published_at TEXT,
            amendments INTEGER NOT NULL DEFAULT 0,
            snapshot TEXT,
            closed_at TEXT,
            carried_at TEXT,
            PRIMARY KEY (meeting_id, occ)
        )"""
    )


@migrations()
def m002_sitting_notice(db: Database) -> None:
    """When each sitting's time was made known: its cut-off and publication follow from it."""
    db.execute("ALTER TABLE agenda_sittings ADD COLUMN start_at TEXT")
    db.execute("ALTER TABLE agenda_sittings ADD COLUMN noticed_at TEXT")


@dataclass(frozen=True)
class Item:
    """One agenda item."""

    id: int
    meeting_id: int
    occ: str
    meeting_kind: str
    sitting_start: datetime
    position: int
    title: str
    kind: str
    major: bool
    project: str | None
    minutes: int | None
    submitter: int | None
    submitter_name: str
    unit_code: str | None
    late: bool
    state: str
    drop_reason: str | None
    forward: str | None
    carried_to: int | None
    origin: str | None
    origin_id: int | None
    reached: bool


_SELECT = """SELECT a.*, TRIM(COALESCE(p.first_name, '') || ' ' || COALESCE(p.last_name, ''))
                    AS pname, p.username FROM agenda_items a
             LEFT JOIN people p ON p.user_id = a.submitter"""


def _item(row: dict[str, Any]) -> Item:
    name = row["pname"] or (f"@{row['username']}" if row["username"] else "")
    return Item(
        id=row["id"],
        meeting_id=row["meeting_id"],
        occ=row["occ"],
        meeting_kind=row["meeting_kind"],
        sitting_start=from_iso(row["sitting_start"]),  # type: ignore[arg-type]
        position=row["position"],
        title=row["title"],
        kind=row["kind"],
        major=bool(row["major"]),
        project=row["project"],
        minutes=row["minutes"],
        submitter=row["submitter"],
        submitter_name=name,
        unit_code=row["unit_code"],
        late=bool(row["late"]),
        state=row["state"],
        drop_reason=row["drop_reason"],
        forward=row["forward"],
        carried_to=row["carried_to"],
        origin=row["origin"],
        origin_id=row["origin_id"],
        reached=bool(row["reached"]),
    )


def add_item(
    db: Database,
    *,
    meeting_id: int,
    occ: str,
    meeting_kind: str,
    sitting_start: datetime,
    title: str,
    kind: str,
    major: bool,
    project: str | None,
    minutes: int | None,
    submitter: int | None,
    unit_code: str | None,
    late: bool,
    now: datetime,
    origin: str | None = None,
    origin_id: int | None = None,
) -> int:
    """Append an item to a sitting's agenda; return its id."""
    last = scalar(
        db,
        "SELECT MAX(position) FROM agenda_items WHERE meeting_id = ? AND occ = ?",
        [meeting_id, occ],
    )
    cursor = db.execute(
        """INSERT INTO agenda_items (meeting_id, occ, meeting_kind, sitting_start, position,
               title, kind, major, project, minutes, submitter, unit_code, late, origin,
               origin_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            meeting_id,
            occ,
            meeting_kind,
            utc_iso(sitting_start),
            (last or 0) + 1,
            title,
            kind,
            int(major),
            project,
            minutes,
            submitter,
            unit_code,
            int(late),
            origin,
            origin_id,
            utc_iso(now),
        ],
    )
    return int(cursor.lastrowid or 0)


def get_item(db: Database, item_id: int) -> Item | None:
    """An item by id."""
    row = one(db, _SELECT + " WHERE a.id = ?", [item_id])
    return _item(row) if row else None


def items(db: Database, meeting_id: int, occ: str) -> list[Item]:
    """A sitting's numbered items (everything not dropped), in agenda order."""
    rows = select(
        db,
        _SELECT + " WHERE a.meeting_id = ? AND a.occ = ? AND a.state != 'dropped'"
        " ORDER BY a.position, a.id",
        [meeting_id, occ],
    )
    return [_item(r) for r in rows]


def standing(db: Database, meeting_id: int, occ: str, item_id: int) -> tuple[int, int]:
    """An item's number on its sitting's agenda (in the order of `items`) and the minutes
    of every item there (without reading the whole agenda, as each submission did)."""
    row = one(
        db,
        """SELECT
             (SELECT COUNT(*) FROM agenda_items b
              WHERE b.meeting_id = a.meeting_id AND b.occ = a.occ AND b.state != 'dropped'
                AND (b.position, b.id) <= (a.position, a.id)) AS number,
             (SELECT COALESCE(SUM(c.minutes), 0) FROM agenda_items c
              WHERE c.meeting_id = ? AND c.occ = ? AND c.state != 'dropped') AS total
           FROM agenda_items a WHERE a.id = ?""",
        [meeting_id, occ, item_id],
    )
    assert row is not None, item_id
    return int(row["number"]), int(row["total"])


def has_items(db: Database, meeting_id: int, occ: str) -> bool:
    """Whether `items(db, meeting_id, occ)` is not empty (without reading them)."""
    row = one(
        db,
        """SELECT 1 AS x FROM agenda_items WHERE meeting_id = ? AND occ = ?
           AND state != 'dropped' LIMIT 1""",
        [meeting_id, occ],
    )
    return row is not None


def sittings_with_items(db: Database) -> set[tuple[int, str]]:
    """(meeting id, occurrence) of every sitting whose `items` are not empty."""
    rows = select(db, "SELECT DISTINCT meeting_id, occ FROM agenda_items WHERE state != 'dropped'")
    return {(r["meeting_id"], r["occ"]) for r in rows}


def item_by_number(db: Database, meeting_id: int, occ: str, number: int) -> Item | None:
    """The item shown as number `number` (1-based) on a sitting's agenda."""
    found = items(db, meeting_id, occ)
    return found[number - 1] if 1 <= number <= len(found) else None


def reorder(db: Database, ordered_ids: list[int]) -> None:
    """Give items consecutive positions in the order given."""
    for position, item_id in enumerate(ordered_ids, start=1):
        db.execute("UPDATE agenda_items SET position = ? WHERE id = ?", [position, item_id])


def drop(db: Database, item_id: int, reason: str) -> None:
    """Take an item off the agenda (it is not carried over)."""
    db.execute(
        "UPDATE agenda_items SET state = 'dropped', drop_reason = ?, forward = NULL WHERE id = ?",
        [reason, item_id],
    )


def mark_reached(db: Database, item_id: int) -> None:
    """Record that the meeting dealt with an item."""
    db.execute("UPDATE agenda_items SET reached = 1 WHERE id = ?", [item_id])


def set_waiting(db: Database, item_id: int, forward: str) -> None:
    """Mark an item as due to move on (carry or escalate) once a target sitting exists."""
    db.execute(
        "UPDATE agenda_items SET state = 'waiting', forward = ? WHERE id = ?", [forward, item_id]
    )


def stop_waiting(db: Database, item_id: int) -> bool:
    """Put an item waiting to move on back on its own agenda (it was decided there)."""
    cursor = db.execute(
        "UPDATE agenda_items SET state = 'open', forward = NULL"
        " WHERE id = ? AND state = 'waiting'",
        [item_id],
    )
    return cursor.rowcount > 0


def set_forwarded(db: Database, item_id: int, forward: str, new_id: int) -> None:
    """Record where an item went."""
    db.execute(
        "UPDATE agenda_items SET state = 'forwarded', forward = ?, carried_to = ? WHERE id = ?",
        [forward, new_id, item_id],
    )


def earliest_waiting(db: Database) -> dict[tuple[str, str], datetime]:
    """{(forward, meeting kind): the earliest sitting start of a waiting item}:
    `waiting(db, forward, (kind,), before)` is empty exactly when before <= that start."""
    rows = select(
        db,
        """SELECT forward, meeting_kind, MIN(sitting_start) AS first FROM agenda_items
           WHERE state = 'waiting' GROUP BY forward, meeting_kind""",
    )
    return {(r["forward"], r["meeting_kind"]): _at(r["first"]) for r in rows}


def _at(text: str) -> datetime:
    moment = from_iso(text)
    assert moment is not None
    return moment


def waiting(db: Database, forward: str, kinds: tuple[str, ...], before: datetime) -> list[Item]:
    """Items waiting to move on from sittings of these kinds that started before an instant."""
    marks = ",".join("?" for _ in kinds)
    rows = select(
        db,
        _SELECT
        + f""" WHERE a.state = 'waiting' AND a.forward = ?
             AND a.meeting_kind IN ({marks}) AND a.sitting_start < ?
             ORDER BY a.sitting_start, a.position, a.id""",
        [forward, *kinds, utc_iso(before)],
    )
    return [_item(r) for r in rows]
