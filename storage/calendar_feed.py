"""Reads behind the calendar feed: which meetings, and when each last changed."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from storage.db import from_iso, select, utc_iso


def feed_meeting_ids(db: Database, since: datetime) -> list[int]:
    """Meetings not cancelled that repeat or end after `since`, by id."""
    rows = select(
        db,
        """SELECT id FROM meetings WHERE cancelled_at IS NULL
           AND (rrule IS NOT NULL OR end_at > ?) ORDER BY id""",
        [utc_iso(since)],
    )
    return [int(r["id"]) for r in rows]


def meeting_stamps(db: Database) -> dict[int, datetime]:
    """When each meeting last changed: its own update or its latest cancelled occurrence."""
    rows = select(
        db,
        """SELECT m.id, MAX(m.updated_at, COALESCE(MAX(x.created_at), '')) AS at
           FROM meetings m LEFT JOIN meeting_exdates x ON x.meeting_id = m.id
           GROUP BY m.id""",
    )
    return {int(r["id"]): from_iso(r["at"]) for r in rows}  # type: ignore[misc]
