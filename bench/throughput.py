"""Benchmark 1 and 5: update throughput of coordbot against a bare python-telegram-bot.

Both run as real processes against the same emulator code, with outbound limiting off
(COORDBOT_RATE_LIMIT=0): the figure is processing headroom above Telegram's 30 msg/s.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from bench.harness import ADMIN, Proc, drive, line, new_emulator

N = int(__import__("os").environ.get("BENCH_N", "600"))
STAFF = 2
GROUP = -1001


async def measure(proc: Proc, cases: dict[str, tuple[int, int, list[str]]]) -> dict[str, float]:
    """Updates per second for each case (user, chat, texts)."""
    rates = {}
    for name, (user, chat, texts) in cases.items():
        await drive(proc.emu, user, chat, texts[:30])  # warm-up
        elapsed = await drive(proc.emu, user, chat, texts)
        rates[name] = len(texts) / elapsed
        print(f"# {name}: {rates[name]:.0f}/s", flush=True)
        proc.sample_rss()
    return rates


async def setup_coordbot(emu: object, proc: Proc) -> None:
    """The minimum programme data the measured commands need."""
    script = [
        "/unit_add TECH | Technology Supervision Bureau",
        f"/role {STAFF} staff TECH",
        "/project_add BJ-001 | Bench project | tech | Bench Securities",
        "/follow BJ-001 TECH",
        "/meeting_new joint | 2030-01-07 14:00 | Bench joint meeting",
        "/agenda_add 1 | Progress report #report | BJ-001 | 10",
    ]
    for text in script:
        await drive(proc.emu, ADMIN, ADMIN, [text])


def cases(bare: bool) -> dict[str, tuple[int, int, list[str]]]:
    """The measured streams; the same texts for both bots."""
    return {
        "read_help": (STAFF, STAFF, ["/help"] * N),
        "read_agenda": (STAFF, STAFF, ["/agenda 1"] * N),
        "write_progress": (STAFF, STAFF, [f"/progress BJ-001 step {i} done #milestone" for i in range(N)]),
    }


async def run() -> dict[str, float]:
    """Run both bots and print the figures; return them."""
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        emu = await new_emulator()
        emu.add_user(STAFF, "Sam", username="sam")
        bare = Proc(emu, ["bench/echo_bot.py"], {"COORDBOT_TOKEN": "1:bare"}, Path(tmp) / "bare.log")
        await bare.start()
        base = await measure(bare, cases(True))
        await bare.stop()
        await emu.stop()

        emu = await new_emulator()
        emu.add_user(STAFF, "Sam", username="sam")
        env = {
            "COORDBOT_TOKEN": "1:coordbot",
            "COORDBOT_DB": str(Path(tmp) / "bench.db"),
            "COORDBOT_ADMINS": str(ADMIN),
            "COORDBOT_RATE_LIMIT": "0",
        }
        bot = Proc(emu, ["-m", "bot", "run"], env, Path(tmp) / "bot.log")
        print("# coordbot ready in", await bot.start(), flush=True)
        await setup_coordbot(emu, bot)
        print("# setup done", flush=True)
        ours = await measure(bot, cases(False))
        rss = bot.sample_rss()
        await bot.stop()
        await emu.stop()
    for name in ours:
        line(f"throughput_{name}", ours[name], "updates/s", base[name])
        line(f"throughput_{name}_ratio", ours[name] / base[name], "x")
        results[name] = ours[name] / base[name]
    line("peak_rss_throughput", rss / 1024, "MB")
    return results


if __name__ == "__main__":
    asyncio.run(run())
