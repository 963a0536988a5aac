"""Benchmark 1: update throughput of coordbot against a bare python-telegram-bot.

Both run as real processes against the emulator, with outbound limiting off
(COORDBOT_RATE_LIMIT=0): the figure is processing headroom above Telegram's 30 msg/s.
The bare bot answers each command with the very text coordbot gave, so the ratio measures
what coordbot's processing costs, not its message sizes. Both stay up and the measured
batches alternate between them, five rounds; the figure is the median per-round ratio.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench.harness import ADMIN, Proc, drive, line, new_emulator

N = int(os.environ.get("BENCH_N", "400"))
STAFF = 2
SOON = date.today()
AGENDAS, FIRST_SITTING = 40, 4
SETUP = (
    [
        "/unit_add TECH | Technology Supervision Bureau",
        f"/role {STAFF} staff TECH",
        "/project_add BJ-001 | Bench project | tech | Bench Securities",
        "/follow BJ-001 TECH",
        f"/meeting_new joint | {SOON + timedelta(days=9)} 14:00 | Bench joint meeting",
        "/agenda_add 1 | Progress report #report | BJ-001 | 10",
        f"/meeting_new joint | {SOON + timedelta(days=11)} 14:00 | Bench intake meeting",
        f"/meeting_new joint | {SOON + timedelta(days=3)} 10:00 | Bench special meeting",
    ]
    + [
        # The card lists the latest five entries: five already, so /project's text keeps the
        # length recorded for the bare bot while the write batches add more.
        f"/progress BJ-001 step {i} done #milestone"
        for i in range(5)
    ]
    + [
        f"/meeting_new joint | {SOON + timedelta(days=90 + i)} 14:00 | Intake sitting {i}"
        for i in range(AGENDAS)
    ]
)
# The five commands: three reads, two writes. Items go round the agendas of forty
# sittings beyond the /meetings window (a real agenda holds a few dozen items, not the
# 2,000 a run adds), so the agenda read and the meetings list stay the same throughout.
CASES = {
    "read_project": ["/project BJ-001"] * N,
    "read_agenda": ["/agenda 1"] * N,
    "read_meetings": ["/meetings"] * N,
    "write_progress": [f"/progress BJ-001 step {i} done #milestone" for i in range(N)],
    "write_agenda_add": [
        f"/agenda_add {FIRST_SITTING + i % AGENDAS} | Item {i} #report | BJ-001" for i in range(N)
    ],
}


ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


LAST_CPU: dict[int, float] = {}  # id(proc) -> CPU seconds per update of its last batch


def cpu_seconds(proc: Proc) -> float:
    """User plus system CPU time the process has used so far, from /proc."""
    assert proc.proc is not None
    fields = Path(f"/proc/{proc.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def rate(proc: Proc, texts: list[str]) -> float:
    """Updates per second for one batch, as the staff member in a private chat."""
    assert proc.proc is not None
    before = cpu_seconds(proc)
    elapsed = await drive(proc.emu, STAFF, STAFF, texts)
    LAST_CPU[id(proc)] = (cpu_seconds(proc) - before) / len(texts)
    proc.sample_rss()
    return len(texts) / elapsed


async def start_coordbot(tmp: Path) -> tuple[Proc, dict[str, str]]:
    """Start coordbot with the programme data the commands need; record each reply text."""
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
    return bot, replies


async def start_bare(tmp: Path, replies: dict[str, str], transport: str = "ptb") -> Proc:
    """Start the bare bot, answering each command with coordbot's text.

    transport "ptb" is python-telegram-bot's own HTTP client (the issue's baseline);
    "aiohttp" is coordbot's (bot/telegram/transport.py), for a like-for-like figure.
    """
    emu = await new_emulator()
    emu.add_user(STAFF, "Sam", username="sam")
    env = {
        "COORDBOT_TOKEN": "1:bare",
        "BENCH_REPLIES": json.dumps(replies),
        "BENCH_TRANSPORT": transport,
    }
    proc = Proc(emu, ["bench/echo_bot.py"], env, tmp / f"bare-{transport}.log")
    await proc.start()
    return proc


def report(name: str, ours: Runs, base: Runs, suffix: str = "") -> float:
    """Print one case's median rates, ratio and CPU per update; return the ratio."""
    ratios = [o / b for o, b in zip(ours.rates[name], base.rates[name], strict=True)]
    line(
        f"throughput_{name}{suffix}",
        statistics.median(ours.rates[name]),
        "updates/s",
        statistics.median(base.rates[name]),
    )
    ratio = statistics.median(ratios)
    line(f"throughput_{name}{suffix}_ratio", ratio, "x")
    line(
        f"throughput_{name}{suffix}_cpu",
        statistics.median(ours.cpu[name]) * 1000,
        "ms/update",
        statistics.median(base.cpu[name]) * 1000,
    )
    return ratio


class Runs:
    """One process's batch rates and CPU per update, per case."""

    def __init__(self, proc: Proc) -> None:
        self.proc = proc
        self.rates: dict[str, list[float]] = {name: [] for name in CASES}
        self.cpu: dict[str, list[float]] = {name: [] for name in CASES}

    async def batch(self, name: str, texts: list[str]) -> None:
        """Run one measured batch."""
        self.rates[name].append(await rate(self.proc, texts))
        self.cpu[name].append(LAST_CPU[id(self.proc)])


async def run() -> dict[str, float]:
    """The bots stay up; rounds alternate between them, so load drifting on the machine
    hits all alike. Prints the median rates and the median of the per-round ratios: against
    the bare bot on python-telegram-bot's own client (the issue's measure), and against the
    bare bot on coordbot's client (`_same_client`: what coordbot's own work costs)."""
    with tempfile.TemporaryDirectory() as tmp:
        bot, replies = await start_coordbot(Path(tmp))
        bare = await start_bare(Path(tmp), replies)
        twin = await start_bare(Path(tmp), replies, "aiohttp")
        procs = (bot, bare, twin)
        for proc in procs:
            for texts in CASES.values():
                await rate(proc, texts[:50])  # warm-up
        # CPU per update of each bot: steadier than rates on a shared machine, and what the
        # ratio comes down to (the emulator's share is the same for all).
        ours, base, same = (Runs(proc) for proc in procs)
        for _ in range(ROUNDS):
            for name, texts in CASES.items():
                for runs in (ours, base, same):
                    await runs.batch(name, texts)
        rss = bot.sample_rss()
        for proc in procs:
            await proc.stop()
            await proc.emu.stop()
    results = {}
    for name in CASES:
        results[name] = report(name, ours, base)
        results[f"{name}_same_client"] = report(name, ours, same, "_same_client")
    results["rss_mb"] = rss / 1024
    line("peak_rss_throughput", results["rss_mb"], "MB")
    return results


if __name__ == "__main__":
    asyncio.run(run())
