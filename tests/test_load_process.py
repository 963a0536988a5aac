"""The real process under load, pacing on: a saturated group and another process holding
the database at the same time. Unrelated chats are still served; every command is answered."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from storage import chats, people
from storage.db import open_database, transaction
from storage.schema import migrate
from tests.support.harness import ADMIN, GROUP, MEMBER, OUTSIDER, STAFF
from tests.support.process import BotProcess

NEWCOMER = 77

# Another process (a backup tool, a cron job) takes the write lock and keeps it until told.
HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def prepare(path: Path) -> None:
    """Members, and a subscribed group, before the bot starts."""
    db = open_database(path)
    migrate(db)
    now = datetime.now(UTC)
    with transaction(db):
        # As the emulator presents them, so that their next message needs no write.
        for user, name in ((ADMIN, "Ada"), (STAFF, "Sam"), (MEMBER, "Mei"), (OUTSIDER, "Otto")):
            people.touch_person(db, user, name.lower(), name, None, None, now)
            people.set_role(db, user, "admin" if user == ADMIN else "member", None, now)
            chats.touch_chat(db, user, "private", "", now)
        chats.touch_chat(db, GROUP, "group", "Pilot group", now)
        chats.subscribe(db, GROUP, ["meetings"], now)
    db.close()


def answered(emu: Emulator, chat: int, since: int) -> list[str]:
    return [str(c.params.get("text")) for c in emu.calls("sendMessage", chat, since) if c.ok]


@pytest.mark.slow(4)
async def test_saturated_group_and_locked_database_through_the_real_process(
    emu: Emulator, tmp_path: Path
) -> None:
    emu.add_user(NEWCOMER, "Nia")
    path = tmp_path / "load.db"
    prepare(path)
    bot = BotProcess(
        emu, path, tmp_path / "bot.log", COORDBOT_ADMINS=str(ADMIN), COORDBOT_RATE_LIMIT="30"
    )
    await bot.start()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        assert (await asyncio.to_thread(holder.stdout.readline)).strip() == "locked"
        before = emu.last_seq
        # The group is saturated: its pacing lets one answer out now, the next ~3 s later.
        for user in (STAFF, MEMBER):
            emu.send_message(user_id=user, chat_id=GROUP, text="/whoami")
        emu.send_message(user_id=NEWCOMER, text="/start")  # must record Nia: needs the lock
        emu.send_message(user_id=ADMIN, text="/unit_add LCK | Locked Bureau")  # a write
        emu.send_message(user_id=OUTSIDER, text="/whoami")  # a read by someone known
        await emu.wait_for(lambda c: c.chat_id == OUTSIDER and c.ok, since_seq=before, timeout=10)
        assert f"Id: {OUTSIDER}" in answered(emu, OUTSIDER, before)[0]
        assert len(answered(emu, GROUP, before)) < 2, "the private chat waited for the group"
        # The writers wait for the other process, which is still working.
        await asyncio.sleep(1.5)
        assert answered(emu, NEWCOMER, before) == []
        assert answered(emu, ADMIN, before) == []
        holder.stdin.write("\n")
        holder.stdin.flush()
        await asyncio.to_thread(holder.wait, 10)
        await emu.wait_for(lambda c: c.chat_id == ADMIN and c.ok, since_seq=before, timeout=10)
        await emu.wait_for(lambda c: c.chat_id == NEWCOMER and c.ok, since_seq=before, timeout=10)
        await emu.wait_for(lambda c: c.chat_id == GROUP and c.ok, since_seq=before, count=2)
        assert answered(emu, ADMIN, before) == ["Unit LCK (Locked Bureau) added."]
        assert "Hello, Nia" in answered(emu, NEWCOMER, before)[0]
        group = answered(emu, GROUP, before)
        assert f"Id: {STAFF}" in group[0] and f"Id: {MEMBER}" in group[1]
    finally:
        if holder.poll() is None:
            holder.kill()
        bot.kill()
    db = open_database(path)
    assert people.get_unit(db, "LCK") is not None
    assert people.get_person(db, NEWCOMER) is not None
