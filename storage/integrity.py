"""Entries an admin records on a lead institution's integrity record (诚信档案)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, select, utc_iso
from storage.progress import Entry
from storage.projects import Project

migrations = Migrations("coordbot.integrity")


@migrations()
def m001_integrity_entries(db: Database) -> None:
    """Recorded entries, each about a project and kept under its lead institution then."""
    db.execute(
        """CREATE TABLE integrity_entries (
            id INTEGER PRIMARY KEY,
            project_code TEXT NOT NULL COLLATE NOCASE REFERENCES projects(code),
            lead TEXT NOT NULL,
            text TEXT NOT NULL,
            by_user INTEGER,
            at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX integrity_entries_lead ON integrity_entries(lead COLLATE NOCASE)")


@dataclass(frozen=True)
class RecordEntry:
    """An entry an admin recorded."""

    id: int
    project_code: str
    lead: str
    text: str
    by_user: int | None
    at: datetime


def add(
    db: Database, project_code: str, lead: str, text: str, by_user: int, now: datetime
) -> RecordEntry:
    """Record an entry."""
    cursor = db.execute(
        """INSERT INTO integrity_entries (project_code, lead, text, by_user, at)
           VALUES (?, ?, ?, ?, ?)""",
        [project_code, lead, text, by_user, utc_iso(now)],
    )
    return RecordEntry(int(cursor.lastrowid or 0), project_code, lead, text, by_user, now)


def of_lead(db: Database, lead: str) -> list[RecordEntry]:
    """Entries recorded under a lead institution (any case), oldest first."""
    rows = select(
        db, "SELECT * FROM integrity_entries WHERE lead = ? COLLATE NOCASE ORDER BY id", [lead]
    )
    return [
        RecordEntry(
            r["id"],
            r["project_code"],
            r["lead"],
            r["text"],
            r["by_user"],
            from_iso(r["at"]),  # type: ignore[arg-type]
        )
        for r in rows
    ]


@dataclass(frozen=True)
class ReportMark:
    """A report a round asked for that came late or never (after the deadline)."""

    round_id: int
    project_code: str
    unit_code: str
    deadline: datetime
    late: bool  # False: missing


@dataclass(frozen=True)
class RiskMark:
    """A risk: open past the threshold (`closed_by` None) or closed after so many days."""

    entry: Entry
    days: int
    closed_by: int | None = None
    closed_at: datetime | None = None  # when the rectification closing it was logged


@dataclass(frozen=True)
class Record:
    """A lead institution's integrity record."""

    lead: str
    projects: list[Project]
    reports: list[ReportMark]
    open_risks: list[RiskMark]
    rectifications: list[RiskMark]
    entries: list[RecordEntry]
    threshold_days: int


RECORD_KINDS = ("report", "risk", "rectification", "entry")


@dataclass(frozen=True)
class RecordItem:
    """One mark on the record, dated: a report's deadline, the day a risk passed the
    threshold, the day a rectification closed a risk, the day an entry was recorded."""

    kind: str  # one of RECORD_KINDS
    at: datetime
    mark: ReportMark | RiskMark | RecordEntry


@dataclass(frozen=True)
class RecordPage:
    """One page of a lead institution's record in a window, newest first, with the totals
    per kind over the whole window."""

    lead: str
    projects: list[Project]
    totals: dict[str, int]
    late_rectifications: int
    items: list[RecordItem]
    page: int
    pages: int
    threshold_days: int
    days: int | None = None
    since: datetime | None = None  # the window's start (None: the whole record)
