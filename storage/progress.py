"""Progress entries on projects, their revisions, and the risks rectifications close.

Nothing is deleted: an edit or a withdrawal writes the previous text to `entry_revisions`
and a withdrawn entry simply stops counting. A risk is open until a live entry tagged
rectification closes it (`risk_closures`; which risks are open: storage/progress_reads.py).
Tags and severity are read from the text by storage/progress_tags.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, scalar, select, utc_iso
from storage.progress_tags import parse_severity, parse_tags

migrations = Migrations("coordbot.progress")


@migrations()
def m001_progress(db: Database) -> None:
    """Entries, their revisions and risk closures."""
    db.execute(
        """CREATE TABLE progress_entries (
            id INTEGER PRIMARY KEY,
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            author_id INTEGER NOT NULL,
            author_unit TEXT COLLATE NOCASE,
            text TEXT NOT NULL,
            tags TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT,
            withdrawn_at TEXT
        )"""
    )
    db.execute("CREATE INDEX progress_created ON progress_entries(created_at)")
    db.execute("CREATE INDEX progress_project ON progress_entries(project_code, id)")
    db.execute(
        """CREATE TABLE entry_revisions (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES progress_entries(id),
            action TEXT NOT NULL CHECK (action IN ('edit', 'withdraw')),
            old_text TEXT NOT NULL,
            old_tags TEXT NOT NULL,
            by_user INTEGER NOT NULL,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX entry_revisions_entry ON entry_revisions(entry_id)")
    db.execute(
        """CREATE TABLE risk_closures (
            risk_id INTEGER NOT NULL REFERENCES progress_entries(id),
            closing_id INTEGER NOT NULL REFERENCES progress_entries(id),
            PRIMARY KEY (risk_id, closing_id)
        )"""
    )
    db.execute("CREATE INDEX risk_closures_closing ON risk_closures(closing_id)")


@migrations()
def m002_disclosed_in_reply(db: Database) -> None:
    """The chat whose command reply carried an entry's disclosure (no notice row went there)."""
    db.execute("ALTER TABLE progress_entries ADD COLUMN disclosed_in_reply INTEGER")


@migrations()
def m003_risk_severity(db: Database) -> None:
    """A severity on risk entries (high, medium, low); risks logged before it are medium."""
    db.execute("ALTER TABLE progress_entries ADD COLUMN severity TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE progress_entries SET severity = 'medium' WHERE tags LIKE '% risk %'")


@migrations()
def m004_live_risk_index(db: Database) -> None:
    """Live risks by project: a project card's open risks scanned every entry of the project
    (its WHERE must keep these two terms, word for word, for SQLite to use this index)."""
    db.execute(
        """CREATE INDEX progress_live_risks ON progress_entries(project_code, id)
           WHERE withdrawn_at IS NULL AND tags LIKE '% risk %'"""
    )


@migrations()
def m005_live_last_index(db: Database) -> None:
    """Live entries by project and time, for each project's latest entry (silent projects)."""
    # A bulletin's last_activity() scanned every entry (7.5 -> 1.8 ms at 10,000).
    db.execute(
        """CREATE INDEX progress_live_last ON progress_entries(project_code, created_at)
           WHERE withdrawn_at IS NULL"""
    )


@migrations()
def m006_line_html(db: Database) -> None:
    """Each entry's text as a bulletin line shows it, stored when the entry is written."""
    # A bulletin over ten thousand entries spent ~7 ms flattening and escaping their texts
    # at every compile. Entries logged before this column read NULL and are prepared as
    # before; they leave bulletins with the next issue, so nothing is backfilled.
    db.execute("ALTER TABLE progress_entries ADD COLUMN line_html TEXT")


@dataclass(frozen=True)
class Entry:
    """One progress note."""

    id: int
    project_code: str
    author_id: int
    author_unit: str | None
    text: str
    tags: tuple[str, ...]
    created_at: datetime
    updated_at: datetime | None
    withdrawn: bool
    severity: str = ""


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(
        id=row["id"],
        project_code=row["project_code"],
        author_id=row["author_id"],
        author_unit=row["author_unit"],
        text=row["text"],
        tags=tuple(row["tags"].split()),
        created_at=from_iso(row["created_at"]),  # type: ignore[arg-type]
        updated_at=from_iso(row["updated_at"]),
        withdrawn=row["withdrawn_at"] is not None,
        severity=row.get("severity") or "",
    )


def _tags_text(tags: tuple[str, ...]) -> str:
    # Padded with spaces so "LIKE '% risk %'" matches whole tags only.
    return f" {' '.join(tags)} " if tags else ""


def add_entry(
    db: Database,
    *,
    project_code: str,
    author_id: int,
    author_unit: str | None,
    text: str,
    now: datetime,
    line_html: str | None = None,
) -> Entry:
    """Log an entry; its tags are parsed from the text (line_html: see progress_reads.EntryRow)."""
    cursor = db.execute(
        """INSERT INTO progress_entries (project_code, author_id, author_unit, text, tags,
                                         severity, created_at, line_html)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            project_code,
            author_id,
            author_unit,
            text,
            _tags_text(parse_tags(text)),
            parse_severity(text),
            utc_iso(now),
            line_html,
        ],
    )
    entry = get_entry(db, int(cursor.lastrowid or 0))
    assert entry is not None
    return entry


def get_entry(db: Database, entry_id: int) -> Entry | None:
    """An entry by number (withdrawn ones included)."""
    row = one(db, "SELECT * FROM progress_entries WHERE id = ?", [entry_id])
    return _entry(row) if row else None


def edit_entry(
    db: Database,
    entry: Entry,
    text: str,
    by_user: int,
    now: datetime,
    line_html: str | None = None,
) -> Entry:
    """Replace an entry's text, keeping the old one as a revision (line_html: as add_entry)."""
    _revision(db, entry, "edit", by_user, now)
    db.execute(
        """UPDATE progress_entries SET text = ?, tags = ?, severity = ?, updated_at = ?,
                  line_html = ?
           WHERE id = ?""",
        [
            text,
            _tags_text(parse_tags(text)),
            parse_severity(text),
            utc_iso(now),
            line_html,
            entry.id,
        ],
    )
    db.execute("DELETE FROM risk_closures WHERE closing_id = ?", [entry.id])
    updated = get_entry(db, entry.id)
    assert updated is not None
    return updated


def withdraw_entry(db: Database, entry: Entry, by_user: int, now: datetime) -> None:
    """Withdraw an entry: it stays stored but no longer counts anywhere."""
    _revision(db, entry, "withdraw", by_user, now)
    db.execute(
        "UPDATE progress_entries SET withdrawn_at = ? WHERE id = ?", [utc_iso(now), entry.id]
    )


def record_reply_disclosure(db: Database, entry_id: int, chat_id: int) -> None:
    """Record that the reply in this chat carried the entry's disclosure."""
    db.execute(
        "UPDATE progress_entries SET disclosed_in_reply = ? WHERE id = ?", [chat_id, entry_id]
    )


def reply_disclosure(db: Database, entry_id: int) -> int | None:
    """The chat whose command reply carried the entry's disclosure, if one did."""
    value = scalar(db, "SELECT disclosed_in_reply FROM progress_entries WHERE id = ?", [entry_id])
    return int(value) if value is not None else None


def _revision(db: Database, entry: Entry, action: str, by_user: int, now: datetime) -> None:
    db.execute(
        """INSERT INTO entry_revisions (entry_id, action, old_text, old_tags, by_user, at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        [entry.id, action, entry.text, _tags_text(entry.tags), by_user, utc_iso(now)],
    )


def revisions(db: Database, entry_id: int) -> list[dict[str, Any]]:
    """An entry's revisions, oldest first."""
    return list(
        select(db, "SELECT * FROM entry_revisions WHERE entry_id = ? ORDER BY id", [entry_id])
    )


def close_risks(db: Database, closing_id: int, risk_ids: list[int]) -> None:
    """Record that a rectification closes these risks."""
    for risk_id in risk_ids:
        db.execute(
            "INSERT OR IGNORE INTO risk_closures (risk_id, closing_id) VALUES (?, ?)",
            [risk_id, closing_id],
        )


def recent_entries(db: Database, project_code: str, limit: int = 5) -> list[Entry]:
    """A project's latest live entries, newest first."""
    rows = select(
        db,
        """SELECT * FROM progress_entries WHERE project_code = ? AND withdrawn_at IS NULL
           ORDER BY id DESC LIMIT ?""",
        [project_code, limit],
    )
    return [_entry(r) for r in rows]


def max_id(db: Database) -> int:
    """The highest entry number so far (a bulletin's watermark)."""
    return int(scalar(db, "SELECT MAX(id) FROM progress_entries") or 0)
