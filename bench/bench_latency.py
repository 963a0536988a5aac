"""Benchmark 4: how long an unrelated chat waits for its answer, idle and beside a busy group.

The bot runs as a real process with pacing on (COORDBOT_RATE_LIMIT=30, the production
setting) against an emulator enforcing Telegram's limits. Latency is from the moment a
private `/whoami` is put on the emulator to the moment the bot's answer reaches it, each
sample from a different person (so one private chat's own 1 message/s pacing never counts).

- idle: nothing else is happening;
- saturated: six members of one group have sent `/meetings` five times each; the group is
  paced at 20 messages a minute, so its backlog takes about a minute and a half to drain,
  and the private samples are taken while it does.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import ADMIN, Proc, line
from bot.devtools.emulator import Emulator
from storage import chats, meetings, people
from storage.db import open_database, transaction
from storage.schema import migrate

GROUP = -7000
MEMBERS = range(100, 106)  # the six people flooding the group
FLOOD_EACH = 5
FIRST_PRIVATE = 20_000
SAMPLES = int(os.environ.get("BENCH_LATENCY_N", "150"))
# Seconds between samples: back to back, each answer would wait for the overall pacing
# slot (1/28 s) the previous one used, which is the pacing, not waiting on another chat.
GAP = 0.05


def prepare(path: Path, now: datetime) -> None:
    """A subscribed group of six members and five upcoming meetings for /meetings to list."""
    db = open_database(path)
    migrate(db)
    with transaction(db):
        chats.touch_chat(db, GROUP, "group", "Busy group", now)
        chats.subscribe(db, GROUP, ["meetings"], now)
        for user in MEMBERS:
            people.touch_person(db, user, None, f"Member {user}", None, None, now)
            people.set_role(db, user, "member", None, now)
        for day in range(1, 6):
            start = now + timedelta(days=day)
            meetings.create(
                db,
                kind="joint",
                title=f"Joint meeting {day}",
                place="Room 3",
                start=start,
                end=start + timedelta(hours=2),
                tz="Asia/Shanghai",
                rrule=None,
                created_by=ADMIN,
                now=now,
            )
    db.close()


async def sample(emu: Emulator, user: int) -> float:
    """Seconds from a private /whoami to the bot's answer reaching the emulator."""
    before = emu.last_seq
    sent = time.monotonic()
    emu.send_message(user_id=user, text="/whoami")
    (answer,) = await emu.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == user and c.ok,
        since_seq=before,
        timeout=120,
    )
    return answer.time - sent


def p99(values: list[float]) -> float:
    """The 99th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.99 * len(ordered)) - 1))]


def report(name: str, values: list[float]) -> dict[str, float]:
    """Print p50, p99 and max; return them."""
    figures = {
        "p50": statistics.median(values),
        "p99": p99(values),
        "max": max(values),
    }
    for key, value in figures.items():
        line(f"latency_{name}_{key}", value, "s")
    return figures


async def run() -> dict[str, float]:
    """Idle samples, then samples while the group's backlog drains."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        prepare(path, datetime.now(UTC))
        emu = Emulator(enforce_limits=True)
        await emu.start()
        emu.add_user(ADMIN, "Ada", username="ada")
        for user in MEMBERS:
            emu.add_user(user, f"Member {user}")
        users = [FIRST_PRIVATE + i for i in range(2 * SAMPLES)]
        for user in users:
            emu.add_user(user, f"Person {user}")
        emu.add_group(GROUP, "Busy group", members=[ADMIN, *MEMBERS], admins=[ADMIN])
        env = {
            "COORDBOT_TOKEN": "1000:latency",
            "COORDBOT_DB": str(path),
            "COORDBOT_ADMINS": str(ADMIN),
            "COORDBOT_RATE_LIMIT": "30",
        }
        bot = Proc(emu, ["-m", "bot", "run"], env, Path(tmp) / "bot.log")
        await bot.start()
        try:
            await sample(emu, ADMIN)  # warm-up
            idle = []
            for user in users[:SAMPLES]:
                idle.append(await sample(emu, user))
                await asyncio.sleep(GAP)
            before = emu.last_seq
            for _ in range(FLOOD_EACH):
                for user in MEMBERS:
                    emu.send_message(user_id=user, chat_id=GROUP, text="/meetings")
            await emu.wait_for(
                lambda c: c.chat_id == GROUP and c.ok, since_seq=before, method="sendMessage"
            )
            busy = []
            for user in users[SAMPLES:]:
                busy.append(await sample(emu, user))
                await asyncio.sleep(GAP)
            backlog = len(MEMBERS) * FLOOD_EACH - len(
                [c for c in emu.calls("sendMessage", chat_id=GROUP, since_seq=before) if c.ok]
            )
            too_many = emu.stats.get("429", 0)
            rss = bot.sample_rss()
        finally:
            if bot.proc is not None:
                bot.proc.kill()  # a clean stop would first drain the group's backlog
                await asyncio.to_thread(bot.proc.wait)
            await bot.stop()
            await emu.stop()
    idle_figures = report("idle", idle)
    busy_figures = report("beside_saturated_group", busy)
    line("latency_group_backlog_after_samples", backlog, "commands")
    line("latency_429", too_many, "answers")
    return {
        "idle_p99": idle_figures["p99"],
        "busy_p99": busy_figures["p99"],
        "rss_mb": rss / 1024,
    }


if __name__ == "__main__":
    asyncio.run(run())
