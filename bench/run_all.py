"""Run every benchmark and print one `name value unit` line per figure.

    python -m bench.run_all

Throughput (coordbot against a bare python-telegram-bot, same run), reminder timeliness
(10,000 pending reminders), broadcast against Telegram's limits, an unrelated chat's
latency idle and beside a saturated group, the dashboard's API, first render and calendar
feed, bulletin and minutes compile times, and peak RSS of the bot process. About 3 minutes
on 2 cores.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from bench import bench_broadcast, bench_latency, bench_reminders, bench_web, throughput
from bench.harness import line

ROOT = Path(__file__).resolve().parent.parent


def compile_benchmarks() -> None:
    """The pure compile benchmarks run as scripts; their lines are printed as they are."""
    for script in ("bench/bench_bulletin.py", "bench/bench_minutes.py"):
        result = subprocess.run(
            [sys.executable, script], cwd=ROOT, capture_output=True, text=True, check=True
        )
        for row in result.stdout.splitlines():
            if row.endswith(" ms") or " ms " in row:
                print(row, flush=True)


async def main() -> None:
    """Every benchmark in turn; peak RSS is the largest seen across the bot processes."""
    began = time.perf_counter()
    figures = await throughput.run()
    reminders = await bench_reminders.run()
    broadcast = await bench_broadcast.run()
    latency = await bench_latency.run()
    web = await bench_web.run()
    compile_benchmarks()
    peak = max(figures["rss_mb"], reminders["rss_mb"], broadcast["rss_mb"], latency["rss_mb"])
    peak = max(peak, web["web_bot_peak_rss_mb"])
    line("peak_rss_bot", peak, "MB")
    line("benchmark_wall", time.perf_counter() - began, "s")


if __name__ == "__main__":
    asyncio.run(main())
