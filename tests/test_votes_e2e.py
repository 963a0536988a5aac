"""Votes by unit end to end through the emulator: the card in the group, presses by two
units (the last press wins), refusals as toasts, the close that takes the buttons off, and
the result in the minutes and the exported 纪要 — in English and in Chinese."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from storage import votes
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    OUTSIDER,
    STAFF,
    STAFF2,
    Harness,
    running_bot,
    setup_org,
)

T0 = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)  # Tue 1 Sep 2026 10:00 in Shanghai
DURING = datetime(2026, 9, 10, 7, 0, tzinfo=UTC)  # 15:00 on the meeting day


@pytest.fixture
async def vt(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """Joint meeting #1 inviting TECH and BJ, with two items; CGS (Otto) is not invited;
    TECH is the secretariat; the clock stands during the meeting."""
    clock = FixedClock(T0)
    async with running_bot(emu, tmp_path, clock) as h:
        await setup_org(h)
        for text in (
            "/unit_add CGS | China Securities Depository",
            f"/role {OUTSIDER} member CGS",
            "/secretariat TECH",
            "/meeting_new joint | 2026-09-10 14:00 | Q3 joint meeting",
            "/invite 1 TECH BJ",
        ):
            await h.send(ADMIN, text)
        await h.send(STAFF, "/agenda_add 1 | Exit rules #deliberation")
        await h.send(STAFF2, "/agenda_add 1 | Data pilot report")
        clock.set(DURING)
        yield h


async def card_in(h: Harness, chat: int, needle: str, since: int) -> Any:
    """Wait for the vote card to reach a chat; the call that posted it."""
    h.svc.delivery.kick()
    (call,) = await h.emu.wait_for(
        lambda c: c.ok and c.chat_id == chat and needle in str(c.params.get("text")),
        since_seq=since,
        method="sendMessage",
    )
    return call


def buttons_of(call: Any) -> list[str]:
    """The callback data of a message's buttons, in order."""
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


async def press(h: Harness, user: int, message_id: int, data: str) -> tuple[str, str]:
    """Press a button in the group (also one the message no longer shows); (toast, the
    card's text after the press, if it was edited)."""
    before = h.emu.last_seq
    update = h.emu.press_button(user, message_id, data, chat_id=GROUP, check=False)
    await h.probe.wait(update["update_id"])
    calls = h.emu.calls(since_seq=before)
    toast = " ".join(str(c.params.get("text")) for c in calls if c.method == "answerCallbackQuery")
    edits = [str(c.params.get("text")) for c in calls if c.method == "editMessageText"]
    return toast, edits[-1] if edits else ""


def message(h: Harness, chat: int, message_id: int) -> dict[str, Any]:
    """A message as the chat now shows it (edits applied)."""
    return next(m for m in h.emu.chat_messages(chat) if m["message_id"] == message_id)


async def test_two_units_vote_and_the_minutes_record_each_vote(vt: Harness) -> None:
    h = vt
    since = h.emu.last_seq
    assert await h.send(STAFF, "/vote 1 #1 | Adopt the exit rules?", chat=GROUP) == []
    card = await card_in(h, GROUP, "🗳", since)
    text = card.params["text"]
    assert "Exit rules" in text and "Question: Adopt the exit rules?" in text
    assert "China Securities" not in text  # not invited: not on the card
    agree, against, _abstain = buttons_of(card)
    mid = card.result["message_id"]

    toast, edited = await press(h, STAFF, mid, agree)
    assert toast == "Recorded for TECH: agree."
    assert "Technology Supervision Bureau (TECH): agree" in edited
    assert "Beijing Bureau (BJ): not voted yet" in edited
    toast, edited = await press(h, STAFF2, mid, against)
    assert "Beijing Bureau (BJ): against" in edited
    toast, edited = await press(h, MEMBER, mid, agree)  # another of BJ's people: BJ changes
    assert toast == "Recorded for BJ: agree." and "Beijing Bureau (BJ): agree" in edited
    assert "So far: agree 2 units (BJ, TECH); against 0 units; abstain 0 units" in edited

    toast, edited = await press(h, OUTSIDER, mid, against)
    assert toast == "CGS is not invited to meeting #1, so it has no vote on its items."
    assert edited == ""
    toast, edited = await press(h, ADMIN, mid, against)
    assert "You belong to no member unit" in toast and edited == ""
    ballots = votes.ballots(h.svc.db, 1)
    assert {b.unit_code: b.choice for b in ballots} == {"BJ": "agree", "TECH": "agree"}

    assert "Only admins or staff of the secretariat unit" in await h.text(
        STAFF2, "/vote_close 1 #1"
    )
    since = h.emu.last_seq
    reply = await h.text(ADMIN, "/vote_close 1 ＃１")
    assert "Vote on item 1 of #1 closed." in reply
    assert "agree 2 units (BJ, TECH); against 0 units; abstain 0 units" in reply
    h.svc.delivery.kick()
    await h.emu.wait_for(
        lambda c: c.ok and c.chat_id == GROUP and c.params.get("message_id") == mid,
        since_seq=since,
        method="editMessageText",
    )
    shown = message(h, GROUP, mid)
    assert "Vote closed" in shown["text"] and not shown.get("reply_markup")
    toast, edited = await press(h, STAFF2, mid, against)  # a stale button, pressed anyway
    assert "This vote is closed" in toast and "Vote closed" in edited

    draft = await h.text(MEMBER, "/minutes 1")
    assert (
        "🗳 Vote on “Adopt the exit rules?”: agree 2 units (BJ, TECH); against 0 units; "
        "abstain 0 units" in draft
    )
    calls = await h.send(MEMBER, "/minutes_export 1 md")
    doc = next(c for c in calls if c.method == "sendDocument")
    md = h.emu.file_bytes(doc.result["document"]["file_id"]).decode()
    assert "agree 2 units (BJ, TECH)" in md
    assert "published as No. 1" in await h.text(ADMIN, "/minutes_publish 1")


async def test_a_vote_in_chinese_typed_and_pressed(vt: Harness) -> None:
    h = vt
    for user, chat in ((ADMIN, GROUP), (STAFF, STAFF), (STAFF2, STAFF2), (ADMIN, ADMIN)):
        await h.send(user, "/lang zh", chat=chat)
    since = h.emu.last_seq
    await h.send(ADMIN, "/vote １ ＃2", chat=GROUP)
    card = await card_in(h, GROUP, "🗳", since)
    assert "表决" in card.params["text"] and "Data pilot report" in card.params["text"]
    labels = [b["text"] for row in card.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["✅ 同意", "❌ 反对", "⚪ 弃权"]
    assert "已记录TECH的表决意见：同意。" in await h.text(STAFF, "/vote_cast 1 #2 赞成")
    _agree, against, _abstain = buttons_of(card)
    toast, edited = await press(h, STAFF2, card.result["message_id"], against)
    assert toast == "已记录BJ的表决意见：反对。" and "Beijing Bureau（BJ）：反对" in edited
    assert "请选择同意" in await h.text(STAFF, "/vote_cast 1 #2 也许")
    assert "尚未发起表决" in await h.text(STAFF, "/vote_cast 1 #1 同意")
    assert "尚有表决未结束（第2项）" in await h.text(ADMIN, "/minutes_publish 1")
    reply = await h.text(ADMIN, "/vote_close 1 #2")
    assert "#1第2项议题表决结束。" in reply
    assert "表决结果：</b>同意1家（TECH），反对1家（BJ），弃权0家" in reply
    calls = await h.send(ADMIN, "/minutes_export 1 md")
    doc = next(c for c in calls if c.method == "sendDocument")
    md = h.emu.file_bytes(doc.result["document"]["file_id"]).decode()
    assert "表决结果：同意1家（TECH），反对1家（BJ），弃权0家" in md
    assert "已结束" in await h.text(ADMIN, "/vote 1 #2")


async def test_bad_vote_input_changes_nothing(vt: Harness) -> None:
    h = vt
    before = list(h.svc.db.query("SELECT * FROM votes"))
    assert "Usage:" in await h.text(ADMIN, "/vote 1")
    assert "Usage:" in await h.text(ADMIN, "/vote one #1")
    assert "has no item 9" in await h.text(ADMIN, "/vote 1 #9")
    assert "There is no meeting #42" in await h.text(ADMIN, "/vote 42 #1")
    assert "too long" in await h.text(ADMIN, "/vote 1 #1 | " + "x" * 600)
    assert "There is no vote on item 1" in await h.text(ADMIN, "/vote_close 1 #1")
    assert "Usage:" in await h.text(STAFF, "/vote_cast 1 #1")
    assert "needs the staff role" in await h.text(MEMBER, "/vote 1 #1")
    assert list(h.svc.db.query("SELECT * FROM votes")) == before == []
