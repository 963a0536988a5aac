"""Shared setup (no tests here) for the agenda, minutes and action tests, on a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import FixedClock
from tests.conftest import ADMIN, Harness, table_rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday 1 September 2026, 10:00 in Shanghai.
T0 = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    """A Shanghai wall-clock time 'YYYY-MM-DD HH:MM' as an aware UTC instant."""
    local = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    return local.astimezone(UTC)


async def new_meeting(h: Harness, args: str) -> int:
    """Schedule a meeting as the admin; return its id."""
    reply = await h.text(ADMIN, f"/meeting_new {args}")
    assert "Scheduled" in reply or "已安排" in reply, reply
    return int(max(r["id"] for r in h.svc.db.query("SELECT id FROM meetings")))


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


def clock_of(h: Harness) -> FixedClock:
    """The harness's fixed clock."""
    clock = h.svc.clock
    assert isinstance(clock, FixedClock)
    return clock
