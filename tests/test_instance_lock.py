"""One instance per database: a second `coordbot run` refuses, a standby takes over."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from bot.telegram.instance_lock import InstanceLock, InstanceLocked
from tests.support.harness import ADMIN
from tests.support.process import ROOT, BotProcess


def test_a_second_lock_on_the_same_database_is_refused_naming_the_holder(
    tmp_path: Path,
) -> None:
    first, second = InstanceLock(tmp_path / "a.db"), InstanceLock(tmp_path / "a.db")
    first.acquire()
    with pytest.raises(InstanceLocked) as refused:
        second.acquire()
    assert refused.value.holder == f"pid {os.getpid()} on {socket.gethostname()}"
    assert refused.value.lock_path == tmp_path / "a.db.lock"
    first.release()
    second.acquire()  # free again once released
    second.release()
    InstanceLock(tmp_path / "other.db").acquire()  # another database: independent


async def _second_instance(bot: BotProcess, *args: str) -> subprocess.CompletedProcess[str]:
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", *args],
        env=bot.env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )


async def _log_contains(path: Path, text: str, timeout: float = 20.0) -> None:
    async with asyncio.timeout(timeout):
        while not path.exists() or text not in path.read_text(encoding="utf-8", errors="replace"):
            await asyncio.sleep(0.05)


@pytest.mark.slow(3)
async def test_second_instance_refuses_and_a_standby_takes_over(
    emu: Emulator, tmp_path: Path
) -> None:
    db = tmp_path / "one.db"
    first = BotProcess(emu, db, tmp_path / "first.log", COORDBOT_ADMINS=str(ADMIN))
    await first.start()
    standby: BotProcess | None = None
    try:
        assert first.proc is not None
        holder = f"pid {first.proc.pid} on {socket.gethostname()}"
        webhook = ("run", "--webhook-url", "http://127.0.0.1:9/hook", "--port", "9")
        quiet_from = emu.last_seq
        # A standby waits on the lock without touching Telegram; it starts alongside the
        # three refused starts (each a Python start-up: together, not one after another).
        standby = BotProcess(
            emu, db, tmp_path / "standby.log", ("run", "--standby"), COORDBOT_ADMINS=str(ADMIN)
        )
        starting = asyncio.create_task(standby.start())
        refusals = (("run",), webhook, ("console",))
        results = await asyncio.gather(*(_second_instance(first, *args) for args in refusals))
        for args, result in zip(refusals, results, strict=True):
            assert result.returncode == 3, (args, result.stderr)
            (line,) = result.stderr.strip().splitlines()
            assert "another instance" in line and holder in line and "one.db.lock" in line
        await _log_contains(standby.log_path, "waiting to take over")
        assert not starting.done() and standby.alive()
        # Only the first bot's long polls reached Telegram meanwhile: no getMe, no commands.
        assert {c.method for c in emu.calls(since_seq=quiet_from)} <= {"getUpdates"}
        polls = len(emu.calls("getUpdates"))
        # ... and takes over when the first stops, even by SIGKILL (the kernel frees the lock).
        first.kill()
        await starting
        before = emu.last_seq
        emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/whoami")
        await emu.wait_for(lambda c: "Role: admin" in str(c.params.get("text")), since_seq=before)
        assert len(emu.calls("getUpdates")) > polls
        assert (tmp_path / "one.db.lock").read_text().startswith(f"{standby.proc.pid}@")  # type: ignore[union-attr]
        assert await standby.terminate() == 0
        # A plain restart after the standby stopped: nothing stale blocks it.
        await first.start()
    finally:
        first.kill()
        if standby is not None:
            standby.kill()
