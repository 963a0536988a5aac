"""Guided forms in progress: which command, the answers so far, per chat and person.

Kept in SQLite so that a restart (a deploy, a crash) in the middle of a form continues it:
the next answer lands where it would have without the restart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from storage.attachments import Sent
from storage.db import from_iso, one, utc_iso

migrations = Migrations("coordbot.forms")

# A form nobody answered for this long is forgotten (python-telegram-bot's conversation
# timeout was the same); the next plain message is then ordinary chat again.
TIMEOUT = timedelta(minutes=15)


@migrations()
def m001_forms(db: Database) -> None:
    """One open form per chat and person; moved along when a group becomes a supergroup."""
    db.execute(
        """CREATE TABLE forms (
            chat_id INTEGER NOT NULL REFERENCES chats(chat_id)
                ON UPDATE CASCADE ON DELETE CASCADE,
            user_id INTEGER NOT NULL,
            command TEXT NOT NULL,
            answers TEXT NOT NULL,
            last_message_id INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, user_id)
        )"""
    )


@migrations()
def m002_form_files(db: Database) -> None:
    """Files (documents, photos) sent while a form is open, kept with its command when it runs."""
    db.execute("ALTER TABLE forms ADD COLUMN files TEXT NOT NULL DEFAULT '[]'")


@dataclass(frozen=True)
class Form:
    """An open guided form."""

    chat_id: int
    user_id: int
    command: str
    answers: tuple[str, ...]
    last_message_id: int
    updated_at: datetime
    files: tuple[Sent, ...] = ()

    def expired(self, now: datetime) -> bool:
        """Whether nobody answered it for longer than TIMEOUT."""
        return now - self.updated_at > TIMEOUT


def start(
    db: Database,
    chat_id: int,
    user_id: int,
    command: str,
    message_id: int,
    now: datetime,
    answers: Sequence[str] = (),
    files: Sequence[Sent] = (),
) -> None:
    """Open a form (replacing any open one of this person in this chat), optionally with
    its first answers already given (a follow-up to a button press)."""
    db.execute("DELETE FROM forms WHERE updated_at < ?", [utc_iso(now - TIMEOUT)])
    db.execute(
        """INSERT INTO forms (chat_id, user_id, command, answers, last_message_id, updated_at,
               files) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(chat_id, user_id) DO UPDATE SET command = excluded.command,
               answers = excluded.answers, last_message_id = excluded.last_message_id,
               updated_at = excluded.updated_at, files = excluded.files""",
        [
            chat_id,
            user_id,
            command,
            json.dumps(list(answers), ensure_ascii=False),
            message_id,
            utc_iso(now),
            _files_json(files),
        ],
    )


def get(db: Database, chat_id: int, user_id: int) -> Form | None:
    """The open form of a person in a chat, or None."""
    row = one(db, "SELECT * FROM forms WHERE chat_id = ? AND user_id = ?", [chat_id, user_id])
    if row is None:
        return None
    updated = from_iso(row["updated_at"])
    assert updated is not None
    return Form(
        chat_id=row["chat_id"],
        user_id=row["user_id"],
        command=row["command"],
        answers=tuple(json.loads(row["answers"])),
        last_message_id=row["last_message_id"],
        updated_at=updated,
        files=tuple(Sent(**f) for f in json.loads(row["files"])),
    )


def _files_json(files: Sequence[Sent]) -> str:
    return json.dumps([asdict(f) for f in files], ensure_ascii=False)


def add_file(db: Database, form: Form, sent: Sent, message_id: int, now: datetime) -> Form:
    """Keep a file sent while the form is open (its message id stops a redelivery counting
    twice); it goes with the command when the form completes."""
    files = (*form.files, sent)
    db.execute(
        """UPDATE forms SET files = ?, last_message_id = ?, updated_at = ?
           WHERE chat_id = ? AND user_id = ?""",
        [_files_json(files), message_id, utc_iso(now), form.chat_id, form.user_id],
    )
    return replace(form, files=files, last_message_id=message_id, updated_at=now)


def answer(db: Database, form: Form, text: str, message_id: int, now: datetime) -> Form:
    """Record the next answer, taken from a message (its id stops a redelivery counting twice)."""
    answers = (*form.answers, text)
    db.execute(
        """UPDATE forms SET answers = ?, last_message_id = ?, updated_at = ?
           WHERE chat_id = ? AND user_id = ?""",
        [
            json.dumps(answers, ensure_ascii=False),
            message_id,
            utc_iso(now),
            form.chat_id,
            form.user_id,
        ],
    )
    return replace(form, answers=answers, last_message_id=message_id, updated_at=now)


def close(db: Database, chat_id: int, user_id: int) -> bool:
    """Forget a person's open form in a chat; whether there was one."""
    cursor = db.execute("DELETE FROM forms WHERE chat_id = ? AND user_id = ?", [chat_id, user_id])
    return cursor.rowcount > 0
