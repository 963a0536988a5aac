"""The real process: answers through the Bot API, stops cleanly on SIGTERM, survives kill -9."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from storage import people
from storage.db import open_database
from tests.support.harness import ADMIN
from tests.support.process import BotProcess, fanout_groups, outbox_states, seed_fanout


@pytest.mark.slow(2)
async def test_kill_9_keeps_confirmed_work_and_sigterm_stops_cleanly(
    emu: Emulator, tmp_path: Path
) -> None:
    """One process life each way: SIGKILL, restart (confirmed work kept, the redelivered
    command not acted on twice), then SIGTERM (exit 0, the last commit kept)."""
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
        before = emu.last_seq
        emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/unit_add PROC | Process unit")
        await emu.wait_for(
            lambda c: "Unit PROC" in str(c.params.get("text")), since_seq=before, timeout=15
        )
        assert await bot.terminate() == 0
    finally:
        bot.kill()
    # The redelivered /unit_add (its offset was never confirmed) did not act twice.
    texts = [str(c.params.get("text")) for c in emu.calls("sendMessage")]
    assert sum("Unit K1 (Before the kill) added." in t for t in texts) == 1
    db = open_database(tmp_path / "k.db")
    assert people.get_unit(db, "PROC") is not None and people.get_unit(db, "K1") is not None


SLOW_GROUPS = 20
SLOW_RATE = 10  # COORDBOT_RATE_LIMIT: pacing on, one message every 0.107 s
SLOW_API = 1.0  # seconds Telegram takes to answer each group send
HUNG = 2  # requests Telegram never answers


@pytest.mark.slow(6)
async def test_sigterm_during_a_slow_fanout(emu: Emulator, tmp_path: Path) -> None:
    """SIGTERM mid fan-out over a slow API, two requests hanging: the process exits within
    10 s, nothing is marked failed, requests already out are never sent again, the hung
    ones are uncertain and reported, and the rest go out once after the restart."""
    db = tmp_path / "slow.db"
    groups = fanout_groups(emu, SLOW_GROUPS, ADMIN)
    in_groups = set(groups)
    seed_fanout(db, groups, ADMIN)

    def slow_api() -> None:
        for chat_id in groups:
            emu.add_fault("sendMessage", "slow", chat_id=chat_id, times=None, delay=SLOW_API)

    slow_api()
    bot = BotProcess(
        emu,
        db,
        tmp_path / "bot.log",
        COORDBOT_ADMINS=str(ADMIN),
        COORDBOT_RATE_LIMIT=str(SLOW_RATE),
    )
    await bot.start()
    try:
        before = emu.last_seq
        emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/bulletin_publish")
        await emu.wait_for(lambda c: c.ok and c.chat_id == ADMIN, since_seq=before)
        await emu.wait_for(lambda c: c.chat_id in in_groups, count=4, since_seq=before)
        # The next two requests arrive but are never answered.
        emu.clear_faults()
        emu.add_fault("sendMessage", "slow", times=HUNG, delay=60)
        slow_api()
        hung_from = emu.last_seq
        hung = await emu.wait_for(
            lambda c: c.chat_id in in_groups, count=HUNG, since_seq=hung_from
        )
        started = time.monotonic()
        assert await bot.terminate(timeout=10) == 0
        stop_seconds = time.monotonic() - started
        assert stop_seconds < 10, stop_seconds
        states = outbox_states(db, "bulletin")
        assert "failed" not in states.values() and "sending" not in states.values(), states
        assert {c for c, s in states.items() if s == "uncertain"} == {c.chat_id for c in hung}
        waiting = [c for c, s in states.items() if s == "pending"]
        assert waiting, "the stop came after the fan-out"
        emu.clear_faults()
        bot.env["COORDBOT_RATE_LIMIT"] = "30"  # the production pacing, to finish sooner
        restarted = emu.last_seq
        await bot.start()
        await emu.wait_for(
            lambda c: c.ok and c.chat_id in set(waiting),
            count=len(waiting),
            since_seq=restarted,
            timeout=15,
        )
        (alert,) = await emu.wait_for(
            lambda c: c.ok and c.chat_id == ADMIN and "uncertain" in str(c.params["text"]),
            since_seq=restarted,
            timeout=10,
        )
        assert await bot.terminate() == 0
    finally:
        bot.kill()
    assert {g for g in groups if f"({g})" in str(alert.params["text"])} == {
        c.chat_id for c in hung
    }
    final = outbox_states(db, "bulletin")
    assert set(final.values()) == {"sent", "uncertain"}, final
    # Every group received the bulletin exactly once: nothing requeued that had gone out.
    delivered = Counter(
        c.chat_id for c in emu.calls("sendMessage") if c.ok and c.chat_id in in_groups
    )
    assert all(delivered[g] == 1 for g in groups), delivered
    print(f"SIGTERM mid fan-out: stopped in {stop_seconds:.1f} s")


@pytest.mark.slow(1)
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
