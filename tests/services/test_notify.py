"""The one notification path: each chat's language decided in one place."""

from __future__ import annotations

import pytest

from bot.i18n import Tr
from bot.services import Services
from bot.services.notify import language_for, notify
from storage import chats, outbox, people


def _people(svc: Services) -> None:
    now = svc.clock.now()
    people.touch_person(svc.db, 7_000_000_001, "li", "Li", None, "zh-hans", now)
    people.touch_person(svc.db, 7_000_000_002, "ann", "Ann", None, "en-GB", now)
    chats.touch_chat(svc.db, 7_000_000_001, "private", "", now)
    chats.touch_chat(svc.db, -1001, "supergroup", "Pilot group", now)


@pytest.mark.parametrize(
    ("chat_id", "expected"),
    [
        (7_000_000_001, "zh"),  # a person's own Telegram language in their private chat
        (7_000_000_002, "en"),  # never seen a private chat: still their language
        (-1001, "en"),  # a group without /lang: the default
    ],
)
def test_language_for(svc: Services, chat_id: int, expected: str) -> None:
    _people(svc)
    assert language_for(svc, chat_id) == expected


def test_notify_renders_per_language_splits_and_queues_once(svc: Services) -> None:
    _people(svc)
    rendered: list[str] = []

    def render(tr: Tr) -> str:
        rendered.append(tr.lang)
        return ("x" * 3000 + "\n") * 2 if tr.lang == "zh" else "hello"

    now = svc.clock.now()
    recipients = [7_000_000_001, 7_000_000_002, -1001, 7_000_000_001]
    assert notify(svc, recipients, "meeting-moved:12", "notice", render, now) == 4
    assert sorted(rendered) == ["en", "zh"]  # rendered once per language, not per chat
    keys = [row["key"] for row in svc.db.query("SELECT key FROM outbox ORDER BY id")]
    assert keys == [
        "meeting-moved:12:7000000001",
        "meeting-moved:12:7000000001:2",
        "meeting-moved:12:7000000002",
        "meeting-moved:12:-1001",
    ]
    assert notify(svc, recipients, "meeting-moved:12", "notice", render, now) == 0
    assert len(outbox.due_for_chat(svc.db, 7_000_000_001, now)) == 2


def test_queued_count_moves_with_every_row_queued_or_rewritten(svc: Services) -> None:
    """Commands wake delivery only when this count moved (bot/telegram/bookkeeping.py)."""
    _people(svc)
    start = outbox.queued_count(svc.db)
    chats.get_chat(svc.db, -1001)  # a read queues nothing
    assert outbox.queued_count(svc.db) == start
    notify(svc, [-1001], "n:1", "notice", lambda tr: "hello", svc.clock.now())
    after_notice = outbox.queued_count(svc.db)
    assert after_notice > start
    row = outbox.by_key_prefix(svc.db, "n:1")[0]
    outbox.rewrite_pending(svc.db, row.id, "hello again", None)
    assert outbox.queued_count(svc.db) == after_notice + 1
