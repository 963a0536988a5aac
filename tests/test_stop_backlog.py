"""SIGTERM while a group's commands queue behind its pacing: the stop stays within seconds.

python-telegram-bot's Application.stop() waits for every update in progress; a group's
queued commands each wait out the group's pacing (one message per 3.2 s) before their reply
leaves, so before CoordApplication (bot/telegram/app.py) a backlog of twelve held the stop
for about forty seconds. Now replies that have not left when the stop begins wait in the outbox and
go out after the restart: every command is answered exactly once, none is lost.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from tests.support.harness import ADMIN
from tests.support.process import BotProcess, fanout_groups, seed_fanout

BACKLOG = 12  # /whoami commands typed into one group at once


@pytest.mark.slow(5)
async def test_sigterm_with_a_saturated_group_stops_fast_and_answers_everything(
    emu: Emulator, tmp_path: Path
) -> None:
    db = tmp_path / "backlog.db"
    (group,) = fanout_groups(emu, 1, ADMIN)
    seed_fanout(db, [group], ADMIN)
    bot = BotProcess(
        emu, db, tmp_path / "bot.log", COORDBOT_ADMINS=str(ADMIN), COORDBOT_RATE_LIMIT="30"
    )
    await bot.start()
    try:
        before = emu.last_seq
        sent = [
            emu.send_message(user_id=ADMIN, chat_id=group, text="/whoami")["message"]
            for _ in range(BACKLOG)
        ]
        # The first answer has left; pacing holds the next for 3.2 s, the rest queue behind.
        await emu.wait_for(lambda c: c.ok and c.chat_id == group, since_seq=before)
        started = time.monotonic()
        assert await bot.terminate(timeout=10) == 0
        assert time.monotonic() - started < 10
        answered_before = len(
            [c for c in emu.calls(since_seq=before) if c.ok and c.chat_id == group]
        )
        assert answered_before < BACKLOG, "the stop came after the backlog drained"
        bot.env["COORDBOT_RATE_LIMIT"] = "3000"  # still paced, but the backlog drains at once
        await bot.start()
        await emu.wait_for(
            lambda c: c.ok and c.chat_id == group and c.method == "sendMessage",
            count=BACKLOG,
            since_seq=before,
            timeout=60,
        )
        assert await bot.terminate() == 0
    finally:
        bot.kill()
    answers = [
        c
        for c in emu.calls(since_seq=before)
        if c.ok and c.chat_id == group and c.method == "sendMessage"
    ]
    # Every command answered exactly once: none lost at the stop, none answered twice.
    assert len(answers) == BACKLOG == len(sent)
    assert all("Id:" in str(c.params["text"]) for c in answers)
