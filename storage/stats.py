"""Row counts for `coordbot db stats`."""

from __future__ import annotations

from sqlite_utils import Database

from storage import outbox, schedule


def table_counts(db: Database) -> dict[str, int]:
    """Rows per table, then outbox and schedule rows per state."""
    counts = {
        name: db[name].count for name in sorted(db.table_names()) if not name.startswith("_")
    }
    counts.update({f"outbox.{k}": v for k, v in sorted(outbox.counts(db).items())})
    counts.update({f"schedule.{k}": v for k, v in sorted(schedule.counts(db).items())})
    return counts
