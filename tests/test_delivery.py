"""The outbox through the emulator: sent once, retried only when safe, suspended on 403."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from storage import chats, outbox
from storage.db import open_database, transaction
from tests.support.harness import ADMIN, GROUP, MEMBER, Harness, running_bot


def queue(h: Harness, key: str, chat: int, text: str) -> None:
    with transaction(h.svc.db):
        outbox.enqueue(
            h.svc.db, key=key, kind="notice", chat_id=chat, text=text, now=h.svc.clock.now()
        )
    h.svc.delivery.kick()


def state_of(h: Harness, key: str) -> str:
    (row,) = outbox.by_key_prefix(h.svc.db, key)
    return row.state


async def test_queued_message_is_sent_once(org: Harness) -> None:
    queue(org, "n:1", GROUP, "<b>Notice</b> one")
    queue(org, "n:1", GROUP, "<b>Notice</b> one")
    await org.emu.wait_for(lambda c: "Notice" in str(c.params.get("text")), method="sendMessage")
    await org.emu.wait_until(lambda: state_of(org, "n:1") == "sent")
    assert sum("Notice" in str(c.params.get("text")) for c in org.emu.calls("sendMessage")) == 1


@pytest.mark.slow(2)
async def test_server_error_is_retried_then_sent(org: Harness) -> None:
    org.emu.add_fault("sendMessage", "500", chat_id=GROUP)
    queue(org, "n:2", GROUP, "retry me")
    await org.emu.wait_until(lambda: state_of(org, "n:2") == "sent", timeout=8)
    attempts = [c for c in org.emu.calls("sendMessage") if c.params.get("text") == "retry me"]
    assert [c.ok for c in attempts] == [False, True]


@pytest.mark.slow(2)
async def test_timeout_after_reaching_server_is_not_retried(emu: Emulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path, read_timeout=0.5) as h:
        await uncertain_case(h)


async def uncertain_case(org: Harness) -> None:
    """One notice to two chats, both answers lost: uncertain, never resent, one alert."""
    await org.send(ADMIN, "/start")
    for chat in (GROUP, MEMBER):
        org.emu.add_fault("sendMessage", "timeout", chat_id=chat, delay=2)
        queue(org, f"n:3:{chat}", chat, "maybe delivered")
    await org.emu.wait_until(
        lambda: {r.state for r in outbox.by_key_prefix(org.svc.db, "n:3:")} == {"uncertain"},
        timeout=8,
    )
    sends = [c for c in org.emu.calls("sendMessage") if c.params.get("text") == "maybe delivered"]
    assert len(sends) == 2
    (alert,) = await org.emu.wait_for(
        lambda c: c.chat_id == ADMIN and "Delivery uncertain" in str(c.params.get("text"))
    )
    text = alert.params["text"]
    assert f"({GROUP})" in text and f"({MEMBER})" in text and "timed out" in text
    assert len(outbox.by_key_prefix(org.svc.db, "alert:uncertain:")) == 1


async def test_kicked_suspends_chat_and_tells_admins(org: Harness) -> None:
    org.emu.remove_bot_from_group(GROUP, ADMIN)
    await org.emu.wait_until(lambda: chats.get_chat(org.svc.db, GROUP).suspended)  # type: ignore[union-attr]
    assert chats.subscribers(org.svc.db, "meetings") == []


async def test_server_errors_exhaust_retries_then_failed_and_reported(
    emu: Emulator, tmp_path: Path
) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.clock import FixedClock
    from bot.telegram.outcomes import MAX_ATTEMPTS

    clock = FixedClock(datetime(2030, 1, 1, tzinfo=UTC))
    async with running_bot(emu, tmp_path, clock) as h:
        await h.send(ADMIN, "/start")
        emu.add_fault("sendMessage", "500", chat_id=GROUP, times=None)
        queue(h, "n:fail", GROUP, "never arrives")
        for attempt in range(1, MAX_ATTEMPTS + 1):
            await emu.wait_for(lambda c: c.params.get("text") == "never arrives", count=attempt)
            await emu.wait_until(lambda: state_of(h, "n:fail") != "sending")
            clock.advance(timedelta(seconds=30))  # past the backoff
            h.svc.delivery.kick()
        await emu.wait_until(lambda: state_of(h, "n:fail") == "failed")
        alert = await emu.wait_for(
            lambda c: c.chat_id == ADMIN and "not delivered" in str(c.params.get("text"))
        )
        assert "failed after retries" in alert[0].params["text"]
        attempts = [c for c in emu.calls("sendMessage") if c.params.get("text") == "never arrives"]
        assert len(attempts) == MAX_ATTEMPTS


@pytest.mark.parametrize(
    ("key", "chat_id", "notice"),
    [
        ("bulletin:7:-1002000000001:1", -1002000000001, "bulletin:7"),
        ("bulletin:7:-1002000000001:12", -1002000000001, "bulletin:7"),
        ("reminder:3:1440:5", 5, "reminder:3:1440"),
        ("agpub:4:-1001", -1001, "agpub:4"),
        ("agpub:4:-1001:1", -1001, "agpub:4"),
        ("nudge:2030-01-01T00:00:6123456789", 6123456789, "nudge:2030-01-01T00:00"),
        ("agdrop:9", -1001, "agdrop:9"),
    ],
)
def test_rows_are_grouped_by_notice(key: str, chat_id: int, notice: str) -> None:
    assert outbox.notice_of(key, chat_id) == notice


@pytest.mark.slow(2)
async def test_a_row_waiting_out_a_429_is_pending_not_sending(
    emu: Emulator, tmp_path: Path
) -> None:
    """Pacing on: a row is `sending` only while its request is out. One sent back by a 429
    waits as `pending` (a crash then resends it: Telegram refused it), then goes once."""
    async with running_bot(emu, tmp_path, rate_limit=30) as h:
        emu.add_fault("sendMessage", "429", chat_id=MEMBER, retry_after=2)
        queue(h, "n:429", MEMBER, "flooded")
        await emu.wait_for(lambda c: c.params.get("text") == "flooded")
        await emu.wait_until(lambda: state_of(h, "n:429") == "pending", timeout=1.8)
        await emu.wait_for(lambda c: c.ok and c.params.get("text") == "flooded", timeout=5)
    # Stopped: the answer to the request out has been recorded.
    (row,) = outbox.by_key_prefix(open_database(tmp_path / "coordbot.db"), "n:429")
    assert (row.state, row.attempts) == ("sent", 1)
    tries = [c.ok for c in emu.calls("sendMessage") if c.params.get("text") == "flooded"]
    assert tries == [False, True]


def queue_edit(h: Harness, key: str, message_id: int, text: str) -> None:
    """Queue an edit of a message sent to the group (what notify.redraw queues)."""
    with transaction(h.svc.db):
        outbox.enqueue(
            h.svc.db,
            key=key,
            kind="edit",
            chat_id=GROUP,
            text=text,
            now=h.svc.clock.now(),
            edits=message_id,
        )
    h.svc.delivery.kick()


async def sent_card(h: Harness) -> int:
    """A card with a button, delivered to the group; its message id."""
    with transaction(h.svc.db):
        outbox.enqueue(
            h.svc.db,
            key="card:1",
            kind="card",
            chat_id=GROUP,
            text="card, open",
            now=h.svc.clock.now(),
            buttons=[[{"text": "Agree", "action": "vote", "payload": "1:a"}]],
        )
    h.svc.delivery.kick()
    await h.emu.wait_until(lambda: state_of(h, "card:1") == "sent")
    (row,) = outbox.by_key_prefix(h.svc.db, "card:1")
    assert row.message_id is not None
    return row.message_id


async def test_an_edit_row_redraws_the_message_and_an_edit_changing_nothing_is_done(
    org: Harness,
) -> None:
    mid = await sent_card(org)
    queue_edit(org, "closed:1", mid, "card, closed")
    await org.emu.wait_until(lambda: state_of(org, "closed:1") == "sent")
    (shown,) = [m for m in org.emu.chat_messages(GROUP) if m["message_id"] == mid]
    assert shown["text"] == "card, closed" and not shown.get("reply_markup")
    queue_edit(org, "closed:2", mid, "card, closed")  # the same again: Telegram says 400
    await org.emu.wait_until(lambda: state_of(org, "closed:2") == "sent")
    assert outbox.by_key_prefix(org.svc.db, "alert:") == []
    cards = [c for c in org.emu.calls("sendMessage", GROUP) if "card" in c.params["text"]]
    assert len(cards) == 1  # an edit never posts anew


async def test_an_edit_that_timed_out_is_retried(emu: Emulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path, read_timeout=0.5) as h:
        mid = await sent_card(h)
        h.emu.add_fault("editMessageText", "timeout", chat_id=GROUP, delay=2)
        queue_edit(h, "closed:1", mid, "card, closed")
        await h.emu.wait_until(lambda: state_of(h, "closed:1") == "sent", timeout=8)
        # The first attempt reached Telegram; repeating it changed nothing and counts as done.
        first, second = h.emu.calls("editMessageText", GROUP)
        assert first.ok and "not modified" in str(second.error)  # the answer came too late
        assert outbox.by_key_prefix(h.svc.db, "alert:") == []


async def test_the_loop_ends_at_a_stop_even_when_its_cancellation_is_lost(bot: Harness) -> None:
    """Python 3.11's wait_for swallows a cancellation that lands as its event is set (a
    chat's task finishing, a command's kick, just as the bot stops): the loop ran on and
    stop() waited for it forever. Here the cancellation is lost outright."""
    delivery = bot.svc.delivery
    loop_task = delivery._task
    assert loop_task is not None and not loop_task.done()
    delivery.stopping = True  # what stop() sets first; no cancel follows
    delivery.kick()
    await asyncio.wait_for(asyncio.shield(loop_task), 3)
    assert loop_task.done() and not loop_task.cancelled()
