"""Bot-wide settings kept in the database (the button-signing secret, schedules)."""

from __future__ import annotations

import secrets

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import scalar

migrations = Migrations("coordbot.settings")


@migrations()
def m001_settings(db: Database) -> None:
    """A key/value table."""
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def get(db: Database, key: str) -> str | None:
    """A setting's value, or None."""
    value = scalar(db, "SELECT value FROM settings WHERE key = ?", [key])
    return None if value is None else str(value)


def put(db: Database, key: str, value: str) -> None:
    """Set a setting."""
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def delete(db: Database, key: str) -> None:
    """Remove a setting."""
    db.execute("DELETE FROM settings WHERE key = ?", [key])


def button_secret(db: Database) -> bytes:
    """The secret that signs callback data, created on first use."""
    value = get(db, "button_secret")
    if value is None:
        value = secrets.token_hex(32)
        put(db, "button_secret", value)
    return bytes.fromhex(value)
