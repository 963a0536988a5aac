"""Files sent with a command (a document or photo in the caption's message), kept by file_id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, select, utc_iso

migrations = Migrations("coordbot.attachments")


@migrations()
def m001_attachments(db: Database) -> None:
    """The attachments table: one row per file kept with a record (kind, ref)."""
    db.execute(
        """CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            project_code TEXT COLLATE NOCASE,
            media TEXT NOT NULL CHECK (media IN ('document', 'photo')),
            file_id TEXT NOT NULL,
            file_unique_id TEXT NOT NULL DEFAULT '',
            name TEXT NOT NULL DEFAULT '',
            size INTEGER NOT NULL DEFAULT 0,
            mime TEXT NOT NULL DEFAULT '',
            by_user INTEGER,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX attachments_ref ON attachments(kind, ref)")
    db.execute("CREATE INDEX attachments_project ON attachments(project_code, id)")


@migrations()
def m002_application_materials(db: Database) -> None:
    """Application materials move into attachments (kind 'application'): one table for
    every kept file. Rows keep their id order, sender and time; an accepted application's
    files carry its project's code, so /files lists them."""
    if not db["application_materials"].exists():
        return
    db.execute(
        """INSERT INTO attachments (kind, ref, project_code, media, file_id, name, size,
               by_user, at)
           SELECT 'application', CAST(m.application_id AS TEXT), a.project_code, 'document',
               m.file_id, m.file_name, COALESCE(m.file_size, 0), m.added_by, m.added_at
           FROM application_materials m LEFT JOIN applications a ON a.id = m.application_id
           ORDER BY m.id"""
    )
    db.execute("DROP TABLE application_materials")


@dataclass(frozen=True)
class Attachment:
    """A file kept with a record."""

    id: int
    kind: str
    ref: str
    project_code: str | None
    media: str
    file_id: str
    file_unique_id: str
    name: str
    size: int
    mime: str
    by_user: int | None
    at: datetime


@dataclass(frozen=True)
class Files:
    """A project's kept files."""

    code: str
    name: str
    files: list[Attachment]


def add(
    db: Database,
    *,
    kind: str,
    ref: str,
    project_code: str | None,
    media: str,
    file_id: str,
    file_unique_id: str,
    name: str,
    size: int,
    mime: str,
    by_user: int | None,
    now: datetime,
) -> int:
    """Keep one file; return its row id."""
    cursor = db.execute(
        """INSERT INTO attachments (kind, ref, project_code, media, file_id, file_unique_id,
               name, size, mime, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            kind,
            ref,
            project_code,
            media,
            file_id,
            file_unique_id,
            name,
            size,
            mime,
            by_user,
            utc_iso(now),
        ],
    )
    return int(cursor.lastrowid or 0)


def _of(row: dict[str, object]) -> Attachment:
    values = dict(row)
    values["at"] = from_iso(str(values["at"]))
    return Attachment(**values)  # type: ignore[arg-type]


def of_project(db: Database, code: str) -> list[Attachment]:
    """The files kept on a project's records, oldest first."""
    return [
        _of(r)
        for r in select(db, "SELECT * FROM attachments WHERE project_code = ? ORDER BY id", [code])
    ]


def of_record(db: Database, kind: str, ref: str) -> list[Attachment]:
    """The files kept with one record, oldest first."""
    return [
        _of(r)
        for r in select(
            db, "SELECT * FROM attachments WHERE kind = ? AND ref = ? ORDER BY id", [kind, ref]
        )
    ]


def assign_project(db: Database, kind: str, ref: str, project_code: str) -> int:
    """File a record's kept files under a project (an accepted application's materials);
    how many."""
    cursor = db.execute(
        "UPDATE attachments SET project_code = ? WHERE kind = ? AND ref = ?",
        [project_code, kind, ref],
    )
    return cursor.rowcount


@dataclass(frozen=True)
class Sent:
    """A file as it arrived with a message (what the dispatcher puts on Call.attachment)."""

    media: str  # 'document' or 'photo'
    file_id: str
    file_unique_id: str
    name: str
    size: int
    mime: str
