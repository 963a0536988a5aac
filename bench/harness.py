"""Shared benchmark plumbing: an in-process emulator, the bot as a real process, RSS."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.devtools.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent
ADMIN = 1


def line(name: str, value: float, unit: str, baseline: float | None = None) -> str:
    """One result line: `name value unit`, with the baseline beside it when there is one."""
    text = f"{name} {value:.3f} {unit}" if isinstance(value, float) else f"{name} {value} {unit}"
    if baseline is not None:
        text += f"  (baseline {baseline:.3f} {unit})"
    print(text, flush=True)
    return text


class Proc:
    """A bot (or the baseline) as a subprocess against the emulator."""

    def __init__(self, emu: Emulator, args: list[str], env: dict[str, str], log: Path) -> None:
        self.emu = emu
        self.args = args
        self.env = {**os.environ, "PYTHONPATH": str(ROOT), "COORDBOT_API_URL": emu.base_url, **env}
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None
        self.peak_rss_kb = 0

    async def start(self, timeout: float = 60) -> float:
        """Start and wait until it long-polls; return seconds from spawn to ready.

        Use one emulator per process: a killed process's long poll may still count.
        """
        start = time.perf_counter()
        handle = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, *self.args], env=self.env, cwd=ROOT, stdout=handle, stderr=handle
        )
        await self.emu.wait_until(lambda: self.emu.polling > 0, timeout=timeout)
        return time.perf_counter() - start

    def sample_rss(self) -> int:
        """Peak resident set size so far (kB), from /proc."""
        if self.proc is None:
            return 0
        try:
            for row in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if row.startswith("VmHWM:"):
                    self.peak_rss_kb = max(self.peak_rss_kb, int(row.split()[1]))
        except FileNotFoundError:
            pass
        return self.peak_rss_kb

    async def stop(self) -> None:
        """SIGTERM and wait."""
        if self.proc and self.proc.poll() is None:
            self.sample_rss()
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(self.proc.wait, 30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


async def new_emulator(enforce_limits: bool = False) -> Emulator:
    """A started emulator with the admin user."""
    emu = Emulator(enforce_limits=enforce_limits)
    await emu.start()
    emu.add_user(ADMIN, "Ada", username="ada")
    return emu


async def drive(
    emu: Emulator, user: int, chat: int, texts: list[str], timeout: float = 300
) -> float:
    """Queue messages and return seconds until the bot has answered every one."""
    before = emu.last_seq
    start = time.perf_counter()
    for text in texts:
        emu.send_message(user_id=user, chat_id=chat, text=text)
    await emu.wait_for(
        lambda c: c.method == "sendMessage" and c.ok,
        count=len(texts),
        since_seq=before,
        timeout=timeout,
    )
    return time.perf_counter() - start
