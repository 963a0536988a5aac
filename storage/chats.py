"""Chats the bot is in: language, subscriptions and suspension."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.db import one, select, utc_iso

Topic = Literal["bulletins", "meetings", "disclosures"]
TOPICS: tuple[Topic, ...] = ("bulletins", "meetings", "disclosures")

migrations = Migrations("coordbot.chats")


@migrations()
def m001_chats(db: Database) -> None:
    """Chats and their subscriptions."""
    db.execute(
        """CREATE TABLE chats (
            chat_id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            language TEXT,
            suspended_at TEXT,
            suspended_reason TEXT,
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE subscriptions (
            chat_id INTEGER NOT NULL REFERENCES chats(chat_id) ON UPDATE CASCADE,
            topic TEXT NOT NULL CHECK (topic IN ('bulletins', 'meetings', 'disclosures')),
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, topic)
        )"""
    )
    db.execute("CREATE INDEX subscriptions_topic ON subscriptions(topic)")


@dataclass(frozen=True)
class Chat:
    """A chat the bot has seen."""

    chat_id: int
    type: str
    title: str
    language: str | None
    suspended: bool

    @property
    def is_private(self) -> bool:
        """True for one-to-one chats."""
        return self.type == "private"


def _chat(row: dict) -> Chat:
    return Chat(
        chat_id=row["chat_id"],
        type=row["type"],
        title=row["title"],
        language=row["language"],
        suspended=row["suspended_at"] is not None,
    )


def touch_chat(db: Database, chat_id: int, type_: str, title: str, now: datetime) -> Chat:
    """Record a chat, refreshing its title; return it."""
    known = get_chat(db, chat_id)
    if known is not None and (known.type, known.title) == (type_, title or ""):
        return known
    db.execute(
        """INSERT INTO chats (chat_id, type, title, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(chat_id) DO UPDATE SET type = excluded.type, title = excluded.title""",
        [chat_id, type_, title or "", utc_iso(now)],
    )
    chat = get_chat(db, chat_id)
    assert chat is not None
    return chat


def get_chat(db: Database, chat_id: int) -> Chat | None:
    """A chat by id."""
    row = one(db, "SELECT * FROM chats WHERE chat_id = ?", [chat_id])
    return _chat(row) if row else None


def set_language(db: Database, chat_id: int, language: str) -> None:
    """Set the language the bot uses in a chat."""
    db.execute("UPDATE chats SET language = ? WHERE chat_id = ?", [language, chat_id])


def subscribe(db: Database, chat_id: int, topics: list[Topic], now: datetime) -> None:
    """Add topics to a chat's subscriptions and lift any suspension."""
    for topic in topics:
        db.execute(
            "INSERT OR IGNORE INTO subscriptions (chat_id, topic, created_at) VALUES (?, ?, ?)",
            [chat_id, topic, utc_iso(now)],
        )
    resume(db, chat_id)


def unsubscribe(db: Database, chat_id: int, topics: list[Topic]) -> None:
    """Remove topics from a chat's subscriptions."""
    for topic in topics:
        db.execute("DELETE FROM subscriptions WHERE chat_id = ? AND topic = ?", [chat_id, topic])


def topics_of(db: Database, chat_id: int) -> list[Topic]:
    """The topics a chat is subscribed to, in canonical order."""
    rows = {
        r["topic"]
        for r in select(db, "SELECT topic FROM subscriptions WHERE chat_id = ?", [chat_id])
    }
    return [t for t in TOPICS if t in rows]


def subscribers(db: Database, topic: Topic) -> list[Chat]:
    """Chats subscribed to a topic and not suspended."""
    rows = select(
        db,
        """SELECT c.* FROM chats c JOIN subscriptions s ON s.chat_id = c.chat_id
           WHERE s.topic = ? AND c.suspended_at IS NULL ORDER BY c.chat_id""",
        [topic],
    )
    return [_chat(row) for row in rows]


def suspend(db: Database, chat_id: int, reason: str, now: datetime) -> bool:
    """Suspend deliveries to a chat (kicked or blocked); False if it already was."""
    cursor = db.execute(
        """UPDATE chats SET suspended_at = ?, suspended_reason = ?
           WHERE chat_id = ? AND suspended_at IS NULL""",
        [utc_iso(now), reason, chat_id],
    )
    return cursor.rowcount > 0


def resume(db: Database, chat_id: int) -> None:
    """Lift a chat's suspension (a person who blocked the bot wrote to it again)."""
    db.execute(
        "UPDATE chats SET suspended_at = NULL, suspended_reason = NULL WHERE chat_id = ?",
        [chat_id],
    )


def migrate_chat(db: Database, old_id: int, new_id: int, now: datetime) -> bool:
    """Move a group that became a supergroup to its new id, keeping subscriptions."""
    old = get_chat(db, old_id)
    if old is None or get_chat(db, new_id) is not None:
        return False
    # ON UPDATE CASCADE carries the subscriptions (and any other references) along.
    db.execute(
        "UPDATE chats SET chat_id = ?, type = 'supergroup' WHERE chat_id = ?", [new_id, old_id]
    )
    return True
