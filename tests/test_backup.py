"""`coordbot db backup` while the bot writes under load, and the documented restore."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from tests.support.harness import ADMIN
from tests.support.process import ROOT, BotProcess


def cli(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "COORDBOT_DB": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", "db", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.slow(4)
async def test_backup_under_load_then_restore(emu: Emulator, tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    bot = BotProcess(emu, db, tmp_path / "bot.log", COORDBOT_ADMINS=str(ADMIN))
    await bot.start()
    try:
        for i in range(60):  # a steady stream of writes
            emu.send_message(user_id=ADMIN, chat_id=ADMIN, text=f"/unit_add U{i} | Unit {i}")
        backups = []
        for n in range(3):
            target = tmp_path / f"backup{n}.db"
            result = await asyncio.to_thread(cli, "backup", str(target), db=db)
            assert result.returncode == 0, result.stderr
            assert "integrity: ok" in result.stdout
            backups.append(target)
        await emu.wait_for(lambda c: "Unit U59" in str(c.params.get("text")), timeout=30)
        final = tmp_path / "final.db"
        assert cli("backup", str(final), db=db).returncode == 0
    finally:
        bot.kill()
    for path in [*backups, final]:
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    # Restore: stop the bot, copy the backup over the database, start again.
    restored = tmp_path / "restored.db"
    shutil.copy(final, restored)
    bot = BotProcess(emu, restored, tmp_path / "bot2.log", COORDBOT_ADMINS=str(ADMIN))
    await bot.start()
    try:
        before = emu.last_seq
        emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/units")
        reply = await emu.wait_for(
            lambda c: "U59" in str(c.params.get("text")), since_seq=before, timeout=15
        )
        assert "U0 — Unit 0" in reply[0].params["text"]
    finally:
        bot.kill()
    stats = cli("stats", db=restored)
    assert "units 60" in stats.stdout
