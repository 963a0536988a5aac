"""Benchmark 3: one bulletin to 100 subscribed groups and a notice to 300 private chats.

The emulator enforces Telegram's limits (30 messages a second overall, 20 a minute into
one group, 1 a second into one private chat) and answers 429 when they are exceeded.
The bot runs as a real process with the default COORDBOT_RATE_LIMIT=30. Prints the wall
time from the commands to the last delivery, the floor Telegram's limits set for the same
messages, their ratio, and the number of 429 answers.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import ADMIN, Proc, drive, line
from bot.devtools.emulator import Emulator
from storage import chats, meetings, people, rsvps
from storage.db import open_database, transaction
from storage.schema import migrate

GROUPS, PRIVATE = 100, 300
FIRST_GROUP, FIRST_USER = -5000, 10_000


def prepare(path: Path, now: datetime) -> None:
    """100 groups subscribed to bulletins; a meeting 300 people will attend."""
    db = open_database(path)
    migrate(db)
    with transaction(db):
        for i in range(GROUPS):
            chats.touch_chat(db, FIRST_GROUP - i, "group", f"Group {i}", now)
            chats.subscribe(db, FIRST_GROUP - i, ["bulletins"], now)
        start = now + timedelta(days=20)
        mid = meetings.create(
            db,
            kind="joint",
            title="Broadcast meeting",
            place="",
            start=start,
            end=start + timedelta(hours=2),
            tz="Asia/Shanghai",
            rrule=None,
            created_by=ADMIN,
            now=now,
        )
        for i in range(PRIVATE):
            people.touch_person(db, FIRST_USER + i, None, f"Member {i}", None, None, now)
            people.set_role(db, FIRST_USER + i, "member", None, now)
            rsvps.answer(db, mid, "", FIRST_USER + i, None, "attend", now)
    db.close()


async def run() -> dict[str, float]:
    """Publish a bulletin and move the meeting; time the 400 deliveries."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        prepare(path, datetime.now(UTC))
        emu = Emulator(enforce_limits=False)
        await emu.start()
        emu.add_user(ADMIN, "Ada", username="ada")
        for i in range(PRIVATE):
            emu.add_user(FIRST_USER + i, f"Member {i}")
        for i in range(GROUPS):
            emu.add_group(FIRST_GROUP - i, f"Group {i}", members=[ADMIN], admins=[ADMIN])
        env = {
            "COORDBOT_TOKEN": "1000:bench",
            "COORDBOT_DB": str(path),
            "COORDBOT_ADMINS": str(ADMIN),
        }
        bot = Proc(emu, ["-m", "bot", "run"], env, Path(tmp) / "bot.log")
        await bot.start()
        try:
            for text in (
                "/project_add BC-1 | Broadcast project | tech | Example Securities",
                "/progress BC-1 Went live today #milestone",
            ):
                await drive(emu, ADMIN, ADMIN, [text])
            emu.enforce_limits = True
            before = emu.last_seq
            began = time.perf_counter()
            for text in ("/bulletin_publish", "/meeting_move 1 | 2031-03-03 10:00"):
                emu.send_message(user_id=ADMIN, chat_id=ADMIN, text=text)

            def deliveries() -> list:
                return [
                    c
                    for c in emu.calls("sendMessage", since_seq=before)
                    if c.ok and c.chat_id is not None and int(c.chat_id) != ADMIN
                ]

            def done() -> bool:
                got = deliveries()
                groups = {int(c.chat_id) for c in got if int(c.chat_id) < 0}
                users = {int(c.chat_id) for c in got if int(c.chat_id) >= FIRST_USER}
                return len(groups) == GROUPS and len(users) == PRIVATE

            await emu.wait_until(done, timeout=300)
            wall = max(c.time for c in deliveries()) - min(c.time for c in deliveries())
            total_wall = time.perf_counter() - began
            messages = len(deliveries())
            too_many = emu.stats.get("429", 0)
            rss = bot.sample_rss()
        finally:
            await bot.stop()
            await emu.stop()
    per_group = max(messages - PRIVATE, GROUPS) / GROUPS  # bulletin parts per group
    floor = max(messages / 30, (per_group - 1) * 3)
    line("broadcast_messages", messages, "messages")
    line("broadcast_wall", wall, "s")
    line("broadcast_floor", floor, "s")
    line("broadcast_ratio_to_floor", wall / floor, "x")
    line("broadcast_wall_including_commands", total_wall, "s")
    line("broadcast_429", too_many, "answers")
    line("peak_rss_broadcast", rss / 1024, "MB")
    return {"ratio": wall / floor, "429": too_many, "rss_mb": rss / 1024}


if __name__ == "__main__":
    asyncio.run(run())
