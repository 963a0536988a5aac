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


async def test_webhook_mode_answers_with_the_secret_token(emu: Emulator, tmp_path: Path) -> None:
    import socket

    import httpx

    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    args = (
        "run",
        "--webhook-url",
        url,
        "--listen",
        "127.0.0.1",
        "--port",
        str(port),
        "--secret-token",
        "s3cret",
    )
    bot = BotProcess(
        emu, tmp_path / "w.db", tmp_path / "bot.log", args=args, COORDBOT_ADMINS=str(ADMIN)
    )
    await bot.start()
    try:
        (hook,) = [c for c in emu.calls("setWebhook")]
        assert hook.params["url"] == url and hook.params["secret_token"] == "s3cret"
        update = emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/whoami")
        before = emu.last_seq
        async with httpx.AsyncClient() as client:
            refused = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            assert refused.status_code == 403
            accepted = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            )
            assert accepted.status_code == 200
        reply = await emu.wait_for(
            lambda c: c.method == "sendMessage" and c.seq > before, timeout=15
        )
        assert "Role: admin" in reply[0].params["text"]
        assert await bot.terminate() == 0
    finally:
        bot.kill()
