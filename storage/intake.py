"""Intake (项目征集): calls for projects and applications filed by units (their materials
are attachments of kind 'application', storage/attachments.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, select, utc_iso

APPLICATION_STATES = ("filed", "accepted", "rejected")

migrations = Migrations("coordbot.intake")


@migrations()
def m001_intake(db: Database) -> None:
    """Calls, applications and application materials (moved into attachments since:
    storage/attachments.py m002)."""
    db.execute(
        """CREATE TABLE calls (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            deadline TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER
        )"""
    )
    db.execute(
        """CREATE TABLE applications (
            id INTEGER PRIMARY KEY,
            call_id INTEGER NOT NULL REFERENCES calls(id),
            unit_code TEXT,
            name TEXT NOT NULL,
            category TEXT NOT NULL,
            lead TEXT NOT NULL,
            contact TEXT NOT NULL,
            summary TEXT NOT NULL,
            filed_by INTEGER NOT NULL,
            filed_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'filed',
            reason TEXT NOT NULL DEFAULT '',
            project_code TEXT,
            decided_by INTEGER,
            decided_at TEXT
        )"""
    )
    db.execute("CREATE INDEX applications_call ON applications(call_id, id)")
    db.execute(
        """CREATE TABLE application_materials (
            id INTEGER PRIMARY KEY,
            application_id INTEGER NOT NULL REFERENCES applications(id),
            file_id TEXT NOT NULL,
            file_name TEXT NOT NULL,
            file_size INTEGER,
            added_by INTEGER NOT NULL,
            added_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX application_materials_app ON application_materials(application_id)")


@dataclass(frozen=True)
class CallForProjects:
    """A solicitation open until its deadline."""

    id: int
    title: str
    deadline: datetime
    created_at: datetime


@dataclass(frozen=True)
class Application:
    """A unit's application to a call."""

    id: int
    call_id: int
    unit_code: str | None
    name: str
    category: str
    lead: str
    contact: str
    summary: str
    filed_by: int
    filed_at: datetime
    state: str
    reason: str
    project_code: str | None


def _call(row: dict[str, Any]) -> CallForProjects:
    return CallForProjects(
        row["id"],
        row["title"],
        from_iso(row["deadline"]),  # type: ignore[arg-type]
        from_iso(row["created_at"]),  # type: ignore[arg-type]
    )


def add_call(db: Database, title: str, deadline: datetime, now: datetime, by_user: int) -> int:
    """Open a call; its id."""
    cursor = db.execute(
        "INSERT INTO calls (title, deadline, created_at, created_by) VALUES (?, ?, ?, ?)",
        [title, utc_iso(deadline), utc_iso(now), by_user],
    )
    return int(cursor.lastrowid or 0)


def get_call(db: Database, call_id: int) -> CallForProjects | None:
    """A call by id."""
    row = one(db, "SELECT * FROM calls WHERE id = ?", [call_id])
    return _call(row) if row else None


def list_calls(db: Database) -> list[tuple[CallForProjects, int]]:
    """Every call, newest first, with how many applications it has."""
    rows = select(
        db,
        """SELECT c.*, (SELECT COUNT(*) FROM applications a WHERE a.call_id = c.id) AS n
           FROM calls c ORDER BY c.id DESC""",
    )
    return [(_call(r), int(r["n"])) for r in rows]


def _application(row: dict[str, Any]) -> Application:
    return Application(
        id=row["id"],
        call_id=row["call_id"],
        unit_code=row["unit_code"],
        name=row["name"],
        category=row["category"],
        lead=row["lead"],
        contact=row["contact"],
        summary=row["summary"],
        filed_by=row["filed_by"],
        filed_at=from_iso(row["filed_at"]),  # type: ignore[arg-type]
        state=row["state"],
        reason=row["reason"],
        project_code=row["project_code"],
    )


def add_application(
    db: Database,
    call_id: int,
    unit_code: str | None,
    fields: tuple[str, str, str, str, str],
    by_user: int,
    now: datetime,
) -> int:
    """File an application (name, category, lead, contact, summary); its id."""
    cursor = db.execute(
        """INSERT INTO applications (call_id, unit_code, name, category, lead, contact, summary,
               filed_by, filed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [call_id, unit_code, *fields, by_user, utc_iso(now)],
    )
    return int(cursor.lastrowid or 0)


def get_application(db: Database, app_id: int) -> Application | None:
    """An application by number."""
    row = one(db, "SELECT * FROM applications WHERE id = ?", [app_id])
    return _application(row) if row else None


def list_applications(db: Database, call_id: int | None = None) -> list[Application]:
    """Applications (of one call, or all), in the order filed."""
    if call_id is None:
        rows = select(db, "SELECT * FROM applications ORDER BY id")
    else:
        rows = select(db, "SELECT * FROM applications WHERE call_id = ? ORDER BY id", [call_id])
    return [_application(r) for r in rows]


def decide(
    db: Database,
    app_id: int,
    state: str,
    reason: str,
    project_code: str | None,
    by_user: int,
    now: datetime,
) -> bool:
    """Accept or reject a filed application; False when it was already decided."""
    cursor = db.execute(
        """UPDATE applications SET state = ?, reason = ?, project_code = ?, decided_by = ?,
               decided_at = ? WHERE id = ? AND state = 'filed'""",
        [state, reason, project_code, by_user, utc_iso(now), app_id],
    )
    return cursor.rowcount > 0
