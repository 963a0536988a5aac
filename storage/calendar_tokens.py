"""Calendar-feed tokens: one long random secret per person, revocable.

A token is looked up by its SHA-256 (so the lookup itself reveals nothing about the
secret's characters) and then compared with the stored one in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import from_iso, one, utc_iso

migrations = Migrations("coordbot.calendar_tokens")
TOKEN_BYTES = 32  # 43 URL-safe characters


@migrations()
def m001_calendar_tokens(db: Database) -> None:
    """One current token per person."""
    db.execute(
        """CREATE TABLE calendar_tokens (
            user_id INTEGER PRIMARY KEY,
            token TEXT NOT NULL,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL
        )"""
    )


@dataclass(frozen=True)
class FeedToken:
    """A person's current feed token."""

    user_id: int
    token: str
    created_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_token(db: Database, user_id: int) -> FeedToken | None:
    """A person's current token, if they have one."""
    row = one(db, "SELECT * FROM calendar_tokens WHERE user_id = ?", [user_id])
    if row is None:
        return None
    return FeedToken(row["user_id"], row["token"], from_iso(row["created_at"]))  # type: ignore[arg-type]


def issue_token(db: Database, user_id: int, now: datetime) -> FeedToken:
    """A new random token for a person, replacing (revoking) any earlier one."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.execute(
        """INSERT INTO calendar_tokens (user_id, token, token_hash, created_at)
           VALUES (?, ?, ?, ?)
           ON CONFLICT(user_id) DO UPDATE SET token = excluded.token,
               token_hash = excluded.token_hash, created_at = excluded.created_at""",
        [user_id, token, _hash(token), utc_iso(now)],
    )
    return FeedToken(user_id, token, now)


def owner_of(db: Database, token: str) -> int | None:
    """The person a presented token belongs to, or None (unknown or revoked)."""
    if not token or len(token) > 200:
        return None
    row = one(
        db, "SELECT user_id, token FROM calendar_tokens WHERE token_hash = ?", [_hash(token)]
    )
    if row is None or not hmac.compare_digest(row["token"].encode(), token.encode()):
        return None
    return int(row["user_id"])
