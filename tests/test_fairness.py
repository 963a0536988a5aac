"""Chats are served independently: a saturated or hanging chat waits alone, in its own order.

Pacing is on (COORDBOT_RATE_LIMIT=30, the production setting): a group gets one message
every ~3.2 s, so a second answer into a group cannot leave before then. The assertions are
about order (what the emulator had received when), not about wall-clock thresholds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from telegram import Update

from bot.devtools.emulator import Emulator
from bot.telegram.chat_lanes import ChatLanes, lane_key
from storage import chats, people
from storage.db import transaction
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    OUTSIDER,
    STAFF,
    STAFF2,
    Harness,
    running_bot,
)

PACED = 30.0


def seed_members(h: Harness) -> None:
    """Everyone a member and the group subscribed, written directly: with pacing on, doing it
    by commands would cost a paced answer each."""
    now = h.svc.clock.now()
    with transaction(h.svc.db):
        for user in (STAFF, MEMBER, OUTSIDER, STAFF2):
            people.touch_person(h.svc.db, user, None, f"User {user}", None, None, now)
            people.set_role(h.svc.db, user, "member", None, now)
        chats.touch_chat(h.svc.db, GROUP, "group", "Pilot group", now)
        chats.subscribe(h.svc.db, GROUP, ["meetings"], now)


def answers(emu: Emulator, chat: int, since: int) -> list[str]:
    """Texts the bot sent successfully into a chat since a call sequence number."""
    return [
        str(c.params.get("text"))
        for c in emu.calls("sendMessage", chat_id=chat, since_seq=since)
        if c.ok
    ]


@pytest.mark.slow(3)
async def test_private_chat_is_answered_while_a_group_is_saturated(
    emu: Emulator, tmp_path: Path
) -> None:
    async with running_bot(emu, tmp_path, rate_limit=PACED) as h:
        seed_members(h)
        before = emu.last_seq
        senders = (STAFF, MEMBER)
        group_updates = [
            emu.send_message(user_id=user, chat_id=GROUP, text="/whoami") for user in senders
        ]
        private = emu.send_message(user_id=OUTSIDER, text="/whoami")
        # A button pressed in the group meanwhile (a stale one, on the group's first answer)
        # is answered at once too.
        (first,) = await emu.wait_for(lambda c: c.chat_id == GROUP and c.ok, since_seq=before)
        card = int(first.result["message_id"])
        press = emu.press_button(MEMBER, card, "stale", chat_id=GROUP, check=False)
        await h.probe.wait(private["update_id"])
        await h.probe.wait(press["update_id"])
        mine = answers(emu, OUTSIDER, before)
        assert mine and f"Id: {OUTSIDER}" in mine[0]
        (alert,) = emu.calls("answerCallbackQuery", since_seq=before)
        assert "not valid" in str(alert.params.get("text"))
        # The group's pacing lets one answer out now and the next only seconds later: the
        # private chat and the press did not wait behind the group's backlog.
        assert len(answers(emu, GROUP, before)) < len(group_updates)
        for update in group_updates:
            await h.probe.wait(update["update_id"], timeout=15)
        # The group's own commands were answered in the order they were sent.
        group = answers(emu, GROUP, before)
        assert [f"Id: {user}" in text for user, text in zip(senders, group, strict=True)] == [
            True
        ] * len(senders)


@pytest.mark.slow(2)
async def test_a_hanging_reply_holds_up_only_its_own_chat(emu: Emulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path, rate_limit=PACED, read_timeout=1.5) as h:
        seed_members(h)
        # The answer into the group reaches Telegram but its response never comes back
        # (held until the read timeout).
        emu.add_fault("sendMessage", "timeout", chat_id=GROUP, delay=5)
        before = emu.last_seq
        stuck = emu.send_message(user_id=MEMBER, chat_id=GROUP, text="/units")
        await emu.wait_for(lambda c: c.chat_id == GROUP, method="sendMessage", since_seq=before)
        other = emu.send_message(user_id=STAFF, text="/whoami")
        await h.probe.wait(other["update_id"])
        assert f"Id: {STAFF}" in answers(emu, STAFF, before)[0]
        assert not h.probe.done(stuck["update_id"]), "the group's reply should still be hanging"
        await h.probe.wait(stuck["update_id"], timeout=10)


async def test_one_chats_commands_are_handled_in_order(emu: Emulator, tmp_path: Path) -> None:
    """A guided form answered quickly while the bot's first question is still in flight:
    each answer must reach the form after the one before it."""
    async with running_bot(emu, tmp_path, read_timeout=5) as h:
        await h.send(ADMIN, "/start")
        # The form's first question gets a slow answer from Telegram (0.5 s).
        emu.add_fault("sendMessage", "timeout", chat_id=ADMIN, delay=0.5)
        before = emu.last_seq
        texts = ["/unit_add", "ORD", "Ordering Bureau", "/units"]
        updates = [emu.send_message(user_id=ADMIN, text=text) for text in texts]
        for update in updates:
            await h.probe.wait(update["update_id"])
        said = answers(emu, ADMIN, before)
        assert len(said) == 4, said
        assert "/unit_add" in said[0]
        assert "ORD" in said[2]
        assert "ORD" in said[3] and "Ordering Bureau" in said[3]


# ---- at the seam: the update processor with scripted updates ---------------------------


def message_update(update_id: int, chat_id: int, text: str = "/whoami") -> Update:
    """A plain message Update in a chat (private when the id is positive)."""
    kind = "private" if chat_id > 0 else "group"
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat_id, "type": kind, "title": "g"},
                "from": {"id": abs(chat_id), "is_bot": False, "first_name": "U"},
                "text": text,
            },
        },
        None,
    )


def test_lane_keys() -> None:
    press = Update.de_json(
        {
            "update_id": 9,
            "callback_query": {
                "id": "q",
                "chat_instance": "c",
                "from": {"id": 3, "is_bot": False, "first_name": "U"},
                "data": "x",
                "message": {
                    "message_id": 41,
                    "date": 0,
                    "chat": {"id": GROUP, "type": "group", "title": "g"},
                    "text": "card",
                },
            },
        },
        None,
    )
    assert lane_key(message_update(1, GROUP)) == GROUP
    assert lane_key(message_update(2, ADMIN)) == ADMIN
    assert lane_key(press) == ("press", GROUP, 41)
    assert lane_key(object()) is None


async def test_lanes_keep_each_chats_order_and_let_other_chats_pass() -> None:
    lanes = ChatLanes(running_chats=8)
    await lanes.initialize()
    release = asyncio.Event()
    log: list[str] = []

    async def work(name: str, wait: bool = False) -> None:
        log.append(f"start {name}")
        if wait:
            await release.wait()
        log.append(f"end {name}")

    tasks = [
        asyncio.create_task(lanes.process_update(message_update(1, GROUP), work("g1", True))),
        asyncio.create_task(lanes.process_update(message_update(2, GROUP), work("g2"))),
        asyncio.create_task(lanes.process_update(message_update(3, ADMIN), work("p1"))),
    ]
    await asyncio.wait_for(asyncio.shield(tasks[2]), 1)
    assert log == ["start g1", "start p1", "end p1"]  # g2 waits for g1; p1 did not
    release.set()
    await asyncio.gather(*tasks)
    assert log[3:] == ["end g1", "start g2", "end g2"]
