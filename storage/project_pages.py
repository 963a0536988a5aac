"""Reads for a project's page: its whole timeline, and the meeting business about it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from storage.db import select
from storage.progress import Entry
from storage.progress_reads import _live_entries
from storage.project_stages import StageChange, _change

TIMELINE_LIMIT = 200


def entries_of(db: Database, code: str, limit: int = TIMELINE_LIMIT) -> list[Entry]:
    """A project's live entries, newest first."""
    cursor = db.execute(
        """SELECT e.id, e.project_code, e.author_id, e.author_unit, e.text, e.tags,
                  e.created_at, e.updated_at, e.severity
           FROM progress_entries e WHERE e.project_code = ? AND e.withdrawn_at IS NULL
           ORDER BY e.id DESC LIMIT ?""",
        [code, limit],
    )
    return _live_entries(cursor.fetchall())


def stage_history(db: Database, code: str) -> list[StageChange]:
    """A project's stage changes, oldest first."""
    rows = select(db, "SELECT * FROM stage_changes WHERE project_code = ? ORDER BY id", [code])
    return [_change(r) for r in rows]


def open_risk_counts(db: Database) -> dict[str, int]:
    """Open risks per project code (upper case)."""
    rows = select(
        db,
        """SELECT UPPER(e.project_code) AS code, COUNT(*) AS n FROM progress_entries e
           WHERE e.withdrawn_at IS NULL AND e.tags LIKE '% risk %'
           AND NOT EXISTS (SELECT 1 FROM risk_closures c
               JOIN progress_entries r ON r.id = c.closing_id
               WHERE c.risk_id = e.id AND r.withdrawn_at IS NULL)
           GROUP BY UPPER(e.project_code)""",
    )
    return {r["code"]: int(r["n"]) for r in rows}


def items_about(db: Database, code: str) -> list[dict[str, Any]]:
    """Agenda items about a project (not dropped), newest sitting first."""
    return select(
        db,
        """SELECT a.id, a.meeting_id, a.occ, a.sitting_start, a.title, a.kind, a.major,
                  a.unit_code, a.state, m.title AS meeting_title
           FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
           WHERE a.project = ? COLLATE NOCASE AND a.state != 'dropped'
           ORDER BY a.sitting_start DESC, a.position""",
        [code],
    )


def decisions_on(db: Database, item_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Decisions recorded on these agenda items, oldest first."""
    if not item_ids:
        return []
    marks = ",".join("?" for _ in item_ids)
    return select(
        db,
        f"""SELECT id, item_id, text, recorded_at FROM decisions
            WHERE item_id IN ({marks}) ORDER BY id""",  # noqa: S608
        list(item_ids),
    )


def action_ids_on(db: Database, item_ids: Sequence[int]) -> list[int]:
    """Actions recorded on these agenda items, by id."""
    if not item_ids:
        return []
    marks = ",".join("?" for _ in item_ids)
    rows = select(
        db,
        f"SELECT id FROM actions WHERE item_id IN ({marks}) ORDER BY id",  # noqa: S608
        list(item_ids),
    )
    return [int(r["id"]) for r in rows]
