"""Time polls end to end through the emulator: the card in the group, units marking times,
the reminder to the silent unit fired by the bot itself after a restart, and the close that
schedules the meeting, announces it and takes the buttons off — in English and Chinese."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.services import meeting_reads
from bot.telegram.app import running
from storage import polls, schedule
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    STAFF,
    STAFF2,
    Harness,
    make_config,
    running_bot,
    setup_org,
    start_bot,
)

T0 = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)  # Tue 1 Sep 2026 10:00 in Shanghai
WED_10 = datetime(2026, 9, 9, 2, 0, tzinfo=UTC)  # Wed 9 Sep 10:00 in Shanghai
REMINDER_DUE = T0 + timedelta(hours=24)


def buttons_of(call: Any) -> list[str]:
    """The callback data of a message's buttons, in order."""
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


async def arrived(h: Harness, chat: int, needle: str, since: int) -> Any:
    """Wait for a message containing `needle` to reach a chat; the call that sent it."""
    h.svc.delivery.kick()
    (call,) = await h.emu.wait_for(
        lambda c: c.ok and c.chat_id == chat and needle in str(c.params.get("text")),
        since_seq=since,
        method="sendMessage",
    )
    return call


async def press(h: Harness, user: int, chat: int, message_id: int, data: str) -> tuple[str, str]:
    """Press a button; (the toast, the message's text after the edit, if edited)."""
    before = h.emu.last_seq
    update = h.emu.press_button(user, message_id, data, chat_id=chat, check=False)
    await h.probe.wait(update["update_id"])
    calls = h.emu.calls(since_seq=before)
    toast = " ".join(str(c.params.get("text")) for c in calls if c.method == "answerCallbackQuery")
    edits = [str(c.params.get("text")) for c in calls if c.method == "editMessageText"]
    return toast, edits[-1] if edits else ""


def shown(h: Harness, chat: int, message_id: int) -> dict[str, Any]:
    """A message as its chat now shows it (edits applied)."""
    return next(m for m in h.emu.chat_messages(chat) if m["message_id"] == message_id)


async def test_a_poll_picks_a_time_across_a_restart(emu: Emulator, tmp_path: Path) -> None:
    config = make_config(emu, tmp_path)
    app, probe = await start_bot(emu, config, clock=FixedClock(T0))
    async with running(app):
        h = Harness(emu, app, probe, config)
        await setup_org(h)
        since = emu.last_seq
        answer = await h.send(
            ADMIN,
            "/meeting_poll joint | Q3 joint meeting | next thu 3pm | 2026-09-08 14:00 "
            "| 2026-09-09 10:00-12:00",
            chat=GROUP,
        )
        assert answer == []  # the card is the answer
        card = await arrived(h, GROUP, "Time poll #1", since)
        text = card.params["text"]
        assert text.index("1. Tue 8 Sept 2026 14:00") < text.index("2. Wed 9 Sept 2026 10:00")
        assert "3. Thu 10 Sept 2026 15:00" in text and "Not answered yet: BJ, TECH" in text
        tue, wed, thu, none = buttons_of(card)
        mid = card.result["message_id"]
        toast, edited = await press(h, STAFF, GROUP, mid, wed)
        assert toast == "Recorded: TECH can make time 2."
        assert "2. Wed 9 Sept 2026 10:00–12:00 — 1 unit: TECH" in edited
        await press(h, STAFF, GROUP, mid, thu)
        toast, edited = await press(h, STAFF, GROUP, mid, thu)  # pressed again: unmarked
        assert toast == "Recorded: TECH cannot make time 3."
        assert "3. Thu 10 Sept 2026 15:00–17:00 — none yet" in edited
        assert "Not answered yet: BJ" in edited
        toast, _ = await press(h, ADMIN, GROUP, mid, tue)
        assert "You belong to no member unit" in toast
        job = schedule.find(h.svc.db, "poll_reminder", "1")
        assert job is not None and job.state == "pending" and job.due_at == REMINDER_DUE

    # Down across the reminder's time; back an hour later, the bot sends it by itself.
    since = emu.last_seq
    clock = FixedClock(REMINDER_DUE + timedelta(hours=1))
    app, probe = await start_bot(emu, config, clock=clock)
    async with running(app):
        h = Harness(emu, app, probe, config)
        reminder = await arrived(h, STAFF2, "has not answered time poll #1", since)
        assert "Beijing Bureau (BJ) has not answered" in reminder.params["text"]
        assert not [c for c in emu.calls("sendMessage", STAFF, since) if "poll" in str(c.params)]
        assert schedule.find(h.svc.db, "poll_reminder", "1").state == "done"  # type: ignore[union-attr]
        assert h.svc.scheduler.fire_due() == 0
        private = reminder.result["message_id"]
        toast, edited = await press(h, STAFF2, STAFF2, private, buttons_of(reminder)[1])
        assert toast == "Recorded: BJ can make time 2."
        assert "2 units: BJ, TECH" in edited  # the same card, drawn in the private chat
        await press(h, MEMBER, GROUP, mid, tue)  # BJ marks Tuesday too (any of its people)

        since = emu.last_seq
        reply = await h.text(ADMIN, "/meeting_poll_close 1")
        assert "📅 Meeting scheduled from time poll #1" in reply
        assert "#1 Joint working meeting: Q3 joint meeting" in reply
        assert "Wed 9 Sept 2026 10:00–12:00" in reply
        assert "Can make it: 2 of the 2 units asked (BJ, TECH)." in reply
        assert "Invited to #1: Beijing Bureau (BJ), Technology Supervision Bureau (TECH)." in reply
        await arrived(h, GROUP, "Meeting scheduled from time poll #1", since)
        meeting = meeting_reads.get_meeting(h.svc.db, 1, clock.now())
        assert (
            meeting is not None and meeting.start == WED_10 and meeting.invited == ("BJ", "TECH")
        )
        assert schedule.pending_with_prefix(h.svc.db, "meeting_reminder", "")
        await emu.wait_until(lambda: not shown(h, GROUP, mid).get("reply_markup"))
        await emu.wait_until(lambda: not shown(h, STAFF2, private).get("reply_markup"))
        assert "closed" in shown(h, GROUP, mid)["text"]
        assert "✅ 2. Wed 9 Sept" in shown(h, GROUP, mid)["text"]
        toast, _ = await press(h, STAFF, GROUP, mid, none)
        assert toast == "This time poll is closed."
        assert "already closed: it became meeting #1" in await h.text(
            ADMIN, "/meeting_poll_close 1"
        )


async def test_a_poll_in_chinese(emu: Emulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path, FixedClock(T0)) as h:
        await setup_org(h)
        for user, chat in ((ADMIN, GROUP), (STAFF, STAFF), (STAFF2, STAFF2)):
            await h.send(user, "/lang zh", chat=chat)
        since = h.emu.last_seq
        await h.send(
            ADMIN,
            "/meeting_poll 联席会议 ｜ 第三季度联席会议 ｜ 下周二下午3点 ｜ 9月9日上午10点",
            chat=GROUP,
        )
        card = await arrived(h, GROUP, "时间征询#1", since)
        assert "1. 2026年9月8日 周二 15:00–17:00 — 暂无单位" in card.params["text"]
        labels = [b["text"] for row in card.params["reply_markup"]["inline_keyboard"] for b in row]
        assert (
            labels[0] == "1. 2026年9月8日 周二 15:00（0）"
            and labels[-1] == "🚫 以上时间均无法参加"
        )
        _tue, wed, none = buttons_of(card)
        toast, edited = await press(h, STAFF, GROUP, card.result["message_id"], wed)
        assert toast == "已记录：TECH可参加时间2。" and "— 1家单位：TECH" in edited
        toast, edited = await press(h, STAFF2, GROUP, card.result["message_id"], none)
        assert toast == "已记录：BJ以上时间均无法参加。" and "以上时间均无法参加：BJ" in edited
        reply = await h.text(ADMIN, "/meeting_poll_close １", chat=GROUP)
        assert "📅 已根据时间征询#1安排会议" in reply
        assert "2026年9月9日 周三 10:00–12:00" in reply
        assert "可参加：1家（TECH），共征询2家单位。" in reply
        # Typed in the group, the reply is the announcement there: no notice queued besides.
        queued = h.svc.db.query("SELECT key FROM outbox WHERE key LIKE 'poll-scheduled:%'")
        assert list(queued) == []


async def test_bad_poll_input_changes_nothing(emu: Emulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path, FixedClock(T0)) as h:
        await setup_org(h)
        good = "2026-09-08 14:00"
        cases = {
            f"/meeting_poll joint | One time only | {good}": "Usage:",
            f"/meeting_poll party | X | {good} | 2026-09-09 10:00": "Unknown meeting kind",
            f"/meeting_poll joint | X | {good} | 2026-08-01 10:00": "Time 2 (2026-08-01 10:00)",
            f"/meeting_poll joint | X | {good} | someday": "could not read that time",
            f"/meeting_poll joint | X | {good} | friday": "a meeting needs a time of day",
            f"/meeting_poll joint | X | {good} | 2026年9月8日 14:00": "is offered twice",
            "/meeting_poll joint | X" + f" | {good}" * 11: "at most 10 times",
            "/meeting_poll_close 9": "There is no time poll #9",
            "/meeting_poll_close abc": "Usage:",
        }
        for text, needle in cases.items():
            assert needle in await h.text(ADMIN, text), text
        assert "needs the admin role" in await h.text(STAFF, f"/meeting_poll joint | X | {good}")
        assert list(h.svc.db.query("SELECT * FROM polls")) == []
        assert list(h.svc.db.query("SELECT * FROM schedule WHERE kind = 'poll_reminder'")) == []
        assert polls.get(h.svc.db, 1) is None
