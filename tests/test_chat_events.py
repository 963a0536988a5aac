"""Groups: who may add the bot, removal, unsubscribed groups, supergroup migration, 429."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from storage import chats, outbox
from storage.db import transaction
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    STAFF,
    Harness,
    running_bot,
)

NEW_GROUP = -2002


async def test_added_by_non_admin_leaves_and_says_why(org: Harness) -> None:
    update = org.emu.add_bot_to_group(NEW_GROUP, STAFF, title="Side chat")
    await org.probe.wait(update["update_id"])
    said = [c for c in org.emu.calls("sendMessage", chat_id=NEW_GROUP)]
    assert "not a coordination-group admin" in said[0].params["text"]
    assert org.emu.calls("leaveChat", chat_id=NEW_GROUP)


async def test_added_by_admin_stays(org: Harness) -> None:
    update = org.emu.add_bot_to_group(NEW_GROUP, ADMIN, title="Working group")
    await org.probe.wait(update["update_id"])
    assert "/subscribe" in org.emu.calls("sendMessage", chat_id=NEW_GROUP)[0].params["text"]
    assert not org.emu.calls("leaveChat", chat_id=NEW_GROUP)


async def test_unsubscribed_group_is_ignored_except_for_admins(org: Harness) -> None:
    update = org.emu.add_bot_to_group(NEW_GROUP, ADMIN, title="Working group")
    await org.probe.wait(update["update_id"])
    assert await org.send(MEMBER, "/units", chat=NEW_GROUP) == []
    assert await org.send(MEMBER, "/nonsense", chat=NEW_GROUP) == []
    assert "Member units" in await org.text(ADMIN, "/units", chat=NEW_GROUP)
    await org.send(ADMIN, "/subscribe meetings", chat=NEW_GROUP)
    assert "Member units" in await org.text(MEMBER, "/units", chat=NEW_GROUP)


async def test_removed_suspends_and_alerts_admins(org: Harness) -> None:
    update = org.emu.remove_bot_from_group(GROUP, STAFF)
    await org.probe.wait(update["update_id"])
    assert chats.get_chat(org.svc.db, GROUP).suspended  # type: ignore[union-attr]
    alert = await org.emu.wait_for(
        lambda c: c.chat_id == ADMIN and "removed from" in str(c.params.get("text"))
    )
    assert "Pilot group" in alert[0].params["text"]


async def test_migration_service_message_moves_chat(org: Harness) -> None:
    new_id = -100999
    updates = org.emu.migrate_group(GROUP, new_id)
    for update in updates:
        await org.probe.wait(update["update_id"])
    assert chats.get_chat(org.svc.db, GROUP) is None
    assert chats.topics_of(org.svc.db, new_id) == ["bulletins", "meetings", "disclosures"]


async def test_send_to_migrated_group_is_resent_to_new_id(org: Harness) -> None:
    new_id = -100777
    org.emu.migrate_group(GROUP, new_id)  # the bot has not processed the service messages yet
    with transaction(org.svc.db):
        # Queued against the old id, as if written just before the upgrade.
        outbox.enqueue(
            org.svc.db,
            key="mig:1",
            kind="notice",
            chat_id=GROUP,
            text="moved?",
            now=org.svc.clock.now(),
        )
    org.svc.delivery.kick()
    await org.emu.wait_for(
        lambda c: c.ok and c.chat_id == new_id and c.params.get("text") == "moved?"
    )
    assert chats.topics_of(org.svc.db, new_id) == ["bulletins", "meetings", "disclosures"]


@pytest.mark.slow(1)
async def test_flood_wait_sends_once_after_retry_after(org: Harness) -> None:
    org.emu.add_fault("sendMessage", "429", chat_id=GROUP, retry_after=1)
    with transaction(org.svc.db):
        outbox.enqueue(
            org.svc.db,
            key="f:1",
            kind="notice",
            chat_id=GROUP,
            text="after flood",
            now=org.svc.clock.now(),
        )
        outbox.enqueue(
            org.svc.db,
            key="f:2",
            kind="notice",
            chat_id=MEMBER,
            text="other chat",
            now=org.svc.clock.now(),
        )
    org.svc.delivery.kick()
    other = await org.emu.wait_for(lambda c: c.ok and c.params.get("text") == "other chat")
    sent = await org.emu.wait_for(
        lambda c: c.ok and c.params.get("text") == "after flood", timeout=6
    )
    attempts = [c for c in org.emu.calls("sendMessage") if c.params.get("text") == "after flood"]
    assert [c.ok for c in attempts] == [False, True]
    assert sent[0].time - attempts[0].time >= 1.0
    # The flood wait in one group did not hold back the other chat.
    assert other[0].time < sent[0].time


@pytest.mark.slow(3)
async def test_flood_wait_with_pacing_on_holds_back_only_that_chat(
    emu: Emulator, tmp_path: Path
) -> None:
    async with running_bot(emu, tmp_path, rate_limit=30) as h:
        for user in (ADMIN, MEMBER, STAFF):
            await h.send(user, "/start")
        emu.add_fault("sendMessage", "429", chat_id=GROUP, retry_after=2)
        with transaction(h.svc.db):
            now = h.svc.clock.now()
            outbox.enqueue(
                h.svc.db, key="pw:g", kind="notice", chat_id=GROUP, text="flooded", now=now
            )
            for user in (MEMBER, STAFF):
                outbox.enqueue(
                    h.svc.db, key=f"pw:{user}", kind="notice", chat_id=user, text="free", now=now
                )
        h.svc.delivery.kick()
        others = await emu.wait_for(lambda c: c.ok and c.params.get("text") == "free", count=2)
        flooded = await emu.wait_for(
            lambda c: c.ok and c.params.get("text") == "flooded", timeout=8
        )
        first_try = next(c for c in emu.calls("sendMessage") if c.params.get("text") == "flooded")
        # The other chats went out during the group's wait, not after it.
        assert max(c.time for c in others) < flooded[0].time
        assert flooded[0].time - first_try.time >= 2.0
        assert (
            sum(bool(c.ok) for c in emu.calls("sendMessage") if c.params.get("text") == "flooded")
            == 1
        )


async def test_forged_and_oversized_button_data_is_refused(org: Harness) -> None:
    await org.send(ADMIN, "/meeting_new joint | 2030-01-07 14:00 | Button test")
    (shown,) = await org.send(MEMBER, "/meeting 1", chat=GROUP)
    message_id = shown.result["message_id"]
    real = shown.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    body = real.rsplit(":", 1)[0]
    forged = (
        body + ":AAAAAAAAAAAA",  # wrong signature
        "rsvp:1::a",  # no signature
        "x" * 80,  # over Telegram's 64 bytes
        real.replace(":1:", ":2:", 1),  # another meeting's id under the old signature
    )
    for data in forged:
        before = org.emu.last_seq
        update = org.emu.press_button(
            user_id=MEMBER, chat_id=GROUP, message_id=message_id, data=data, check=False
        )
        await org.probe.wait(update["update_id"])
        answers = org.emu.calls("answerCallbackQuery", since_seq=before)
        assert "not valid" in str(answers[0].params.get("text")), data
    assert list(org.svc.db.query("SELECT * FROM rsvps")) == []


async def test_blocked_by_a_person_then_unblocked(org: Harness) -> None:
    update = org.emu.block_bot(MEMBER)
    await org.probe.wait(update["update_id"])
    assert chats.get_chat(org.svc.db, MEMBER).suspended  # type: ignore[union-attr]
    alert = await org.emu.wait_for(
        lambda c: c.chat_id == ADMIN and "blocked me" in str(c.params.get("text"))
    )
    assert "Mei" in alert[0].params["text"]
    # Writing to the bot again unblocks it (Telegram sends a my_chat_member update).
    await org.send(MEMBER, "/whoami")
    assert not chats.get_chat(org.svc.db, MEMBER).suspended  # type: ignore[union-attr]
