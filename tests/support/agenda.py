"""The agenda, minutes and action world end to end: what those features wrote, and what
reached a chat (the meeting itself comes from tests/support/meetings.py)."""

from __future__ import annotations

from typing import Any

from tests.support.harness import Harness, table_rows


def snapshot(h: Harness) -> dict[str, Any]:
    """Every row this feature writes, to show that refused input changed nothing."""
    db = h.svc.db
    rows: dict[str, Any] = table_rows(
        db,
        "agenda_items",
        "agenda_sittings",
        "minutes_attendance",
        "decisions",
        "minutes_published",
        "minutes_corrections",
        "actions",
    )
    # Row existence, not state: jobs armed on real time may fire in the background.
    rows["schedule"] = list(db.query("SELECT kind, ref FROM schedule ORDER BY id"))
    rows["outbox"] = list(db.query("SELECT key FROM outbox"))
    return rows


def texts(h: Harness, chat: int, since: int = 0) -> list[str]:
    """Texts of every message the bot sent to a chat after a sequence number."""
    return [
        str(c.params.get("text") or "") for c in h.emu.calls("sendMessage", chat, since) if c.ok
    ]


async def deliver(h: Harness, chat: int, needle: str, count: int = 1, since: int = 0) -> None:
    """Wait until `count` messages containing `needle` reached a chat."""
    h.svc.delivery.kick()
    await h.emu.wait_for(
        lambda c: c.ok and c.chat_id == chat and needle in str(c.params.get("text") or ""),
        count=count,
        since_seq=since,
        method="sendMessage",
    )
