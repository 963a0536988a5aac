"""The real process: answers through the Bot API, stops cleanly on SIGTERM, survives kill -9."""

from __future__ import annotations

from pathlib import Path

from bot.emulator import Emulator
from storage import people
from storage.db import open_database
from tests.conftest import ADMIN
from tests.process import BotProcess


async def test_sigterm_stops_cleanly_and_keeps_commits(emu: Emulator, tmp_path: Path) -> None:
    bot = BotProcess(emu, tmp_path / "p.db", tmp_path / "bot.log", COORDBOT_ADMINS=str(ADMIN))
    await bot.start()
    try:
        before = emu.last_seq
        emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/unit_add PROC | Process unit")
        await emu.wait_for(
            lambda c: "Unit PROC" in str(c.params.get("text")), since_seq=before, timeout=15
        )
        assert await bot.terminate() == 0
    finally:
        bot.kill()
    db = open_database(tmp_path / "p.db")
    assert people.get_unit(db, "PROC") is not None


async def test_kill_9_then_restart_keeps_confirmed_work(emu: Emulator, tmp_path: Path) -> None:
    bot = BotProcess(emu, tmp_path / "k.db", tmp_path / "bot.log", COORDBOT_ADMINS=str(ADMIN))
    await bot.start()
    try:
        before = emu.last_seq
        emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/unit_add K1 | Before the kill")
        await emu.wait_for(
            lambda c: "Unit K1" in str(c.params.get("text")), since_seq=before, timeout=15
        )
        bot.kill()
        await bot.start()
        before = emu.last_seq
        emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/units")
        reply = await emu.wait_for(
            lambda c: "K1" in str(c.params.get("text")), since_seq=before, timeout=15
        )
        assert "Before the kill" in reply[0].params["text"]
    finally:
        bot.kill()
    # The redelivered /unit_add (its offset was never confirmed) did not act twice.
    texts = [str(c.params.get("text")) for c in emu.calls("sendMessage")]
    assert sum("Unit K1 (Before the kill) added." in t for t in texts) == 1
