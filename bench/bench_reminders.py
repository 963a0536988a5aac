"""Benchmark: 10,000 pending meeting reminders across 2,000 meetings.

Prepares a database with 1,700 meetings days ahead (5 reminders each, none due during the
run) and 300 meetings whose 1-hour reminder falls due within the measured minute (their 4
shorter reminders fall due after the run). Then starts the bot (`python -m bot run`) against the
emulator as a real process and prints:

    startup_to_ready      seconds from spawn to long polling, median of BENCH_STARTS starts
                          (each on a fresh copy of the database), with the spread
    reminder_lag_p50/p99  seconds from a reminder's due time to its send reaching the emulator

Run: python -m bench.bench_reminders  (about 75 s).
"""

from __future__ import annotations

import asyncio
import compileall
import os
import re
import shutil
import statistics
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import ROOT, Proc, line
from bot.devtools.emulator import Emulator
from bot.domain.meeting_times import reminder_due
from bot.domain.timeparse import parse_offsets
from bot.services.meeting_reads import get_meeting
from bot.services.reminders import KIND, reminder_ref
from storage import chats, meetings, schedule
from storage.db import open_database, transaction
from storage.schema import migrate

GROUP, ADMIN = -1001, 1
FAR, SOON = 1_700, 300
WINDOW = 50.0  # seconds over which the SOON reminders fall due
LEAD = 35.0  # seconds between preparing the database and the first due reminder
FAR_OFFSETS = "5d,2d,1d,3h,1h"
SOON_OFFSETS = "1h,45m,30m,15m,5m"  # only the 1 h one falls due during the run


def prepare(path: Path, base: datetime) -> dict[int, datetime]:
    """Write the meetings and their reminder rows; return {meeting id: due} of the soon ones."""
    db = open_database(path)
    migrate(db)
    soon: dict[int, datetime] = {}
    with transaction(db):
        chats.touch_chat(db, GROUP, "group", "Bench group", base)
        chats.subscribe(db, GROUP, ["meetings"], base)
        for index in range(FAR + SOON):
            if index < FAR:
                start = base + timedelta(days=6, minutes=index)
            else:
                step = WINDOW * (index - FAR) / SOON
                start = base + timedelta(hours=1, seconds=round(LEAD + step))
            mid = meetings.create(
                db,
                kind="joint",
                title=f"Bench meeting {index}",
                place="",
                start=start,
                end=start + timedelta(hours=2),
                tz="Asia/Shanghai",
                rrule=None,
                created_by=ADMIN,
                now=base,
            )
            text = FAR_OFFSETS if index < FAR else SOON_OFFSETS
            meetings.set_offsets(db, mid, text, base)
            meeting = get_meeting(db, mid, base)
            assert meeting is not None
            for offset in parse_offsets(text):
                due = reminder_due(start, offset, meeting.zone)
                schedule.put(db, KIND, reminder_ref(meeting.at(start), offset), due, base)
                if index >= FAR and offset == timedelta(hours=1):
                    soon[mid] = due
    pending = len(schedule.pending(db))
    db.close()
    assert pending == 5 * (FAR + SOON), pending
    return soon


STARTS = int(os.environ.get("BENCH_STARTS", "5"))


async def startups(path: Path, env: dict[str, str], count: int) -> list[float]:
    """Seconds from spawn to long polling, for `count` starts on fresh copies of the database
    (due rows are a minute away, so none fires meanwhile)."""
    # As an installed package is (pip writes its bytecode): with PYTHONDONTWRITEBYTECODE set,
    # as on the project's machines, each start would compile every module again (~0.15 s).
    for package in ("bot", "handlers", "storage"):
        compileall.compile_dir(ROOT / package, quiet=1)
    times = []
    for index in range(count):
        copy = path.with_name(f"start{index}.db")
        shutil.copy(path, copy)
        emu = Emulator()
        await emu.start()
        bot = Proc(
            emu, ["-m", "bot", "run"], {**env, "COORDBOT_DB": str(copy)}, path.with_suffix(".log")
        )
        try:
            times.append(await bot.start(timeout=30))
        finally:
            await bot.stop()
            await emu.stop()
    return times


async def run() -> dict[str, float]:
    """Prepare, start the bot as a process, wait for the soon reminders, print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        base = datetime.now(UTC).replace(microsecond=0)
        soon = prepare(path, base)
        line("pending_reminders", 5 * (FAR + SOON), "rows")
        env = {
            "COORDBOT_TOKEN": "1000:bench",
            "COORDBOT_DB": str(path),
            "COORDBOT_ADMINS": str(ADMIN),
            "COORDBOT_RATE_LIMIT": "0",
        }
        starts = await startups(path, env, STARTS)
        emu = Emulator()
        await emu.start()
        emu.add_user(ADMIN, "Ada", username="ada")
        emu.add_group(GROUP, "Bench group", members=[ADMIN], admins=[ADMIN])
        bot = Proc(emu, ["-m", "bot", "run"], env, Path(tmp) / "bot.log")
        try:
            starts.append(await bot.start(timeout=30))
            pattern = re.compile(r"#(\d+) ")

            def received() -> dict[int, float]:
                got = {}
                for call in emu.calls("sendMessage", chat_id=GROUP):
                    match = pattern.search(str(call.params.get("text")))
                    if call.ok and match and int(match.group(1)) in soon:
                        got[int(match.group(1))] = call.wall_time
                return got

            await emu.wait_until(lambda: len(received()) >= len(soon), timeout=LEAD + 90)
            got = received()
            rss = bot.sample_rss()
        finally:
            await bot.stop()
            await emu.stop()
    lags = sorted(got[mid] - soon[mid].timestamp() for mid in soon)
    figures = {
        "startup_s": statistics.median(starts),
        "p50": statistics.median(lags),
        "p99": lags[int(0.99 * (len(lags) - 1))],
        "rss_mb": rss / 1024,
    }
    line("startup_to_ready", figures["startup_s"], "s")
    line("startup_to_ready_min", min(starts), "s")
    line("startup_to_ready_max", max(starts), "s")
    line("reminders_sent", len(lags), "messages")
    line("reminder_lag_p50", figures["p50"], "s")
    line("reminder_lag_p99", figures["p99"], "s")
    line("reminder_lag_max", lags[-1], "s")
    line("peak_rss_reminders", figures["rss_mb"], "MB")
    return figures


if __name__ == "__main__":
    asyncio.run(run())
