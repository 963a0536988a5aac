"""Evaluation panels: who evaluates one project's round, and whether an opinion is required."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import one, select, utc_iso

migrations = Migrations("coordbot.panels")


@migrations()
def m001_panels(db: Database) -> None:
    """Panels per project and their members."""
    db.execute(
        """CREATE TABLE evaluation_panels (
            project_code TEXT PRIMARY KEY COLLATE NOCASE REFERENCES projects(code),
            opinion_required INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL,
            updated_by INTEGER
        )"""
    )
    db.execute(
        """CREATE TABLE panel_members (
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            user_id INTEGER NOT NULL,
            added_at TEXT NOT NULL,
            PRIMARY KEY (project_code, user_id)
        )"""
    )


@dataclass(frozen=True)
class Panel:
    """A project's panel: its members in the order named, and the opinion rule."""

    project_code: str
    members: tuple[int, ...]
    opinion_required: bool


def get_panel(db: Database, project_code: str) -> Panel | None:
    """A project's panel, or None when it has none (neither members nor a rule)."""
    row = one(db, "SELECT * FROM evaluation_panels WHERE project_code = ?", [project_code])
    if row is None:
        return None
    members = select(
        db,
        "SELECT user_id FROM panel_members WHERE project_code = ? ORDER BY rowid",
        [project_code],
    )
    return Panel(
        row["project_code"], tuple(m["user_id"] for m in members), bool(row["opinion_required"])
    )


def _ensure(db: Database, project_code: str, now: datetime, by_user: int | None) -> None:
    db.execute(
        """INSERT INTO evaluation_panels (project_code, updated_at, updated_by) VALUES (?, ?, ?)
           ON CONFLICT(project_code) DO UPDATE SET updated_at = excluded.updated_at,
               updated_by = excluded.updated_by""",
        [project_code, utc_iso(now), by_user],
    )


def set_members(
    db: Database, project_code: str, user_ids: list[int], now: datetime, by_user: int | None
) -> None:
    """Name a project's panel (replacing the members named before)."""
    _ensure(db, project_code, now, by_user)
    db.execute("DELETE FROM panel_members WHERE project_code = ?", [project_code])
    for user_id in dict.fromkeys(user_ids):
        db.execute(
            "INSERT INTO panel_members (project_code, user_id, added_at) VALUES (?, ?, ?)",
            [project_code, user_id, utc_iso(now)],
        )


def set_opinion_required(
    db: Database, project_code: str, required: bool, now: datetime, by_user: int | None
) -> bool:
    """Require (or not) a written opinion from each evaluator; False when nothing changed."""
    before = get_panel(db, project_code)
    _ensure(db, project_code, now, by_user)
    db.execute(
        "UPDATE evaluation_panels SET opinion_required = ? WHERE project_code = ?",
        [int(required), project_code],
    )
    return (
        before is None and required or before is not None and before.opinion_required != required
    )
