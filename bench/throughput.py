"""Benchmark 1: update throughput of coordbot against a bare python-telegram-bot.

Both run as real processes against the emulator, with outbound limiting off
(COORDBOT_RATE_LIMIT=0): the figure is processing headroom above Telegram's 30 msg/s.
coordbot runs first; the bare bot then answers each command with the very text coordbot
gave, so the ratio measures what coordbot's processing costs, not its message sizes.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from pathlib import Path

from bench.harness import ADMIN, Proc, drive, line, new_emulator

N = int(os.environ.get("BENCH_N", "600"))
STAFF = 2
SETUP = [
    "/unit_add TECH | Technology Supervision Bureau",
    f"/role {STAFF} staff TECH",
    "/project_add BJ-001 | Bench project | tech | Bench Securities",
    "/follow BJ-001 TECH",
    "/meeting_new joint | 2030-01-07 14:00 | Bench joint meeting",
    "/agenda_add 1 | Progress report #report | BJ-001 | 10",
]
CASES = {
    "read_help": ["/help"] * N,
    "read_agenda": ["/agenda 1"] * N,
    "write_progress": [f"/progress BJ-001 step {i} done #milestone" for i in range(N)],
}


async def measure(proc: Proc) -> dict[str, float]:
    """Updates per second for each case, as the staff member in a private chat."""
    rates = {}
    for name, texts in CASES.items():
        await drive(proc.emu, STAFF, STAFF, texts[:30])  # warm-up
        elapsed = await drive(proc.emu, STAFF, STAFF, texts)
        rates[name] = len(texts) / elapsed
        proc.sample_rss()
    return rates


async def coordbot(tmp: Path) -> tuple[dict[str, float], dict[str, str], int]:
    """Run coordbot; return rates, the reply text of each command, and peak RSS (kB)."""
    emu = await new_emulator()
    emu.add_user(STAFF, "Sam", username="sam")
    env = {
        "COORDBOT_TOKEN": "1:coordbot",
        "COORDBOT_DB": str(tmp / "bench.db"),
        "COORDBOT_ADMINS": str(ADMIN),
        "COORDBOT_RATE_LIMIT": "0",
    }
    bot = Proc(emu, ["-m", "bot", "run"], env, tmp / "bot.log")
    await bot.start()
    for text in SETUP:
        await drive(emu, ADMIN, ADMIN, [text])
    replies = {}
    for texts in CASES.values():
        before = emu.last_seq
        await drive(emu, STAFF, STAFF, [texts[0]])
        replies[texts[0].split()[0]] = emu.calls("sendMessage", since_seq=before)[0].params["text"]
    rates = await measure(bot)
    rss = bot.sample_rss()
    await bot.stop()
    await emu.stop()
    return rates, replies, rss


async def bare(tmp: Path, replies: dict[str, str]) -> dict[str, float]:
    """Run the bare bot answering with coordbot's texts; return rates."""
    emu = await new_emulator()
    emu.add_user(STAFF, "Sam", username="sam")
    env = {"COORDBOT_TOKEN": "1:bare", "BENCH_REPLIES": json.dumps(replies)}
    proc = Proc(emu, ["bench/echo_bot.py"], env, tmp / "bare.log")
    await proc.start()
    rates = await measure(proc)
    await proc.stop()
    await emu.stop()
    return rates


async def run() -> dict[str, float]:
    """Run both bots and print the figures; return the ratios and peak RSS."""
    with tempfile.TemporaryDirectory() as tmp:
        ours, replies, rss = await coordbot(Path(tmp))
        base = await bare(Path(tmp), replies)
    results = {}
    for name in ours:
        line(f"throughput_{name}", ours[name], "updates/s", base[name])
        results[name] = ours[name] / base[name]
        line(f"throughput_{name}_ratio", results[name], "x")
    results["rss_mb"] = rss / 1024
    line("peak_rss_throughput", results["rss_mb"], "MB")
    return results


if __name__ == "__main__":
    asyncio.run(run())
