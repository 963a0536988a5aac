"""The bot as a real process against the in-test emulator: start, kill -9, restart."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent


class BotProcess:
    """`python -m bot run` in a subprocess, pointed at an emulator and a database file."""

    def __init__(
        self,
        emu: Emulator,
        db_path: Path,
        log_path: Path,
        args: tuple[str, ...] = ("run",),
        **env: str,
    ) -> None:
        self.emu = emu
        self.args = args
        self.env = {
            **os.environ,
            "COORDBOT_TOKEN": "4242:PROCESS",
            "COORDBOT_API_URL": emu.base_url,
            "COORDBOT_DB": str(db_path),
            "COORDBOT_RATE_LIMIT": "0",
            "PYTHONPATH": str(ROOT),
            **env,
        }
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    async def start(self, timeout: float = 30.0) -> None:
        """Start the process and wait until it has published its commands and polls."""
        before = self.emu.last_seq
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", *self.args],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        self.starts += 1
        await self.emu.wait_for(
            lambda c: c.method == "setMyCommands" and c.seq > before, count=2, timeout=timeout
        )
        if "--webhook-url" in self.args:
            await self.emu.wait_for(
                lambda c: c.method == "setWebhook" and c.seq > before, timeout=timeout
            )
            return
        # getUpdates is logged only when a long poll returns; count the waiting ones instead.
        await self.emu.wait_until(lambda: self.emu.polling > 0, timeout=timeout)

    def kill(self) -> None:
        """SIGKILL: no cleanup, no final getUpdates, nothing flushed."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    async def terminate(self) -> int:
        """SIGTERM and wait for a clean exit; return the exit code."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return await asyncio.to_thread(self.proc.wait, 30)

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.proc is not None and self.proc.poll() is None
