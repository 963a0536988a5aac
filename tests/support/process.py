"""The bot as a real process against the in-test emulator: start, kill -9, restart."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.devtools.emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]


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
            # python-telegram-bot calls setWebhook before its server listens.
            await self._until_listening(timeout)
            return
        # getUpdates is logged only when a long poll returns; count the waiting ones instead.
        await self.emu.wait_until(lambda: self.emu.polling > 0, timeout=timeout)

    async def _until_listening(self, timeout: float) -> None:
        """Wait until the webhook server accepts connections (nothing announces it)."""
        host = self._arg("--listen", "127.0.0.1")
        port = int(self._arg("--port", "80"))
        async with asyncio.timeout(timeout):
            while True:
                try:
                    _, writer = await asyncio.open_connection(host, port)
                except OSError:
                    assert self.alive(), "the bot exited before its webhook server listened"
                    await asyncio.sleep(0.02)
                    continue
                writer.close()
                await writer.wait_closed()
                return

    def _arg(self, flag: str, default: str) -> str:
        """The value given after a command-line flag."""
        args = list(self.args)
        return args[args.index(flag) + 1] if flag in args else default

    def kill(self) -> None:
        """SIGKILL: no cleanup, no final getUpdates, nothing flushed."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    async def terminate(self, timeout: float = 30.0) -> int:
        """SIGTERM and wait for a clean exit; return the exit code (AssertionError when the
        process is still running after `timeout` seconds)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return await asyncio.to_thread(self.proc.wait, timeout)
        except subprocess.TimeoutExpired:
            # Where it waits: the bot writes every thread's stack to its log on SIGUSR1.
            self.proc.send_signal(signal.SIGUSR1)
            await asyncio.sleep(0.5)
            tail = self.log_path.read_text(errors="replace")[-4000:]
            raise AssertionError(f"still running {timeout} s after SIGTERM:\n{tail}") from None

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.proc is not None and self.proc.poll() is None


FANOUT_GROUP_BASE = -1_002_000_000_000


def fanout_groups(emu: Emulator, count: int, admin: int) -> list[int]:
    """`count` groups the bot is in (supergroup-style ids), for a bulletin to fan out to."""
    groups = [FANOUT_GROUP_BASE - i for i in range(count)]
    for i, chat_id in enumerate(groups):
        emu.add_group(chat_id, f"Pilot group {i}", members=[admin], admins=[admin])
    return groups


def seed_fanout(db_path: Path, groups: list[int], admin: int) -> None:
    """A database with one progress entry and `groups` subscribed to bulletins, so that
    `/bulletin_publish` queues one bulletin to every group (set up at the storage seam:
    typing thirty /subscribe commands would cost seconds for nothing under test)."""
    from datetime import UTC, datetime

    from storage import chats, people, progress, projects
    from storage.db import open_database, transaction
    from storage.schema import migrate

    now = datetime.now(UTC)
    db = open_database(db_path)
    try:
        migrate(db)
        with transaction(db):
            people.add_unit(db, "BJ", "Beijing Bureau", now)
            people.touch_person(db, admin, None, "Ada", None, None, now)
            people.set_role(db, admin, "admin", "BJ", now)
            projects.add_project(
                db,
                code="BJ-01",
                name="Fan-out project",
                category="tech",
                lead="Example Securities",
                batch="",
                region="",
                now=now,
                by_user=admin,
            )
            progress.add_entry(
                db,
                project_code="BJ-01",
                author_id=admin,
                author_unit="BJ",
                text="#milestone fan-out test",
                now=now,
            )
            for i, chat_id in enumerate(groups):
                chats.touch_chat(db, chat_id, "supergroup", f"Pilot group {i}", now)
                chats.subscribe(db, chat_id, ["bulletins"], now)
    finally:
        db.close()


def outbox_states(db_path: Path, kind: str) -> dict[int, str]:
    """The state of each chat's row of one kind (one row per chat in these tests)."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT chat_id, state FROM outbox WHERE kind = ?", [kind]).fetchall()
    finally:
        conn.close()
    return dict(rows)
