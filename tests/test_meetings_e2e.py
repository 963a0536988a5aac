"""Meetings end to end through the emulator: scheduling, invites, cards, RSVP, move, cancel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot.clock import FixedClock
from bot.services import meeting_reads as meetings
from storage import outbox, rsvps
from storage.db import from_iso
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    OUTSIDER,
    STAFF,
    Harness,
    buttons_of,
)
from tests.support.meetings import T0, new_meeting, snapshot


async def press_raw(h: Harness, user: int, chat: int, message_id: int, data: str) -> list[Any]:
    """Press a button with data the message does not carry (forged or stale)."""
    before = h.emu.last_seq
    update = h.emu.press_button(user, message_id, data, chat_id=chat, check=False)
    await h.probe.wait(update["update_id"])
    return [c for c in h.emu.calls() if c.seq > before]


async def test_meeting_new_echoes_time_and_arms_reminders(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    reply = await h.text(ADMIN, "/meeting_new joint | 2026-09-04 14:00 | Q3 joint | Room 301")
    assert "Fri 4 Sept 2026 14:00–16:00" in reply or "Fri 4 Sep 2026 14:00–16:00" in reply
    assert "Room 301" in reply and "Joint working meeting" in reply
    meeting = meetings.get_meeting(h.svc.db, 1, T0)
    assert meeting is not None and meeting.start == datetime(2026, 9, 4, 6, 0, tzinfo=UTC)
    jobs = list(h.svc.db.query("SELECT ref, due_at FROM schedule WHERE kind='meeting_reminder'"))
    assert sorted(from_iso(j["due_at"]) or T0 for j in jobs) == [
        datetime(2026, 9, 3, 6, 0, tzinfo=UTC),
        datetime(2026, 9, 4, 5, 0, tzinfo=UTC),
    ]


async def test_meeting_new_in_chinese(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    await h.send(ADMIN, "/lang zh")
    reply = await h.text(
        ADMIN, "/meeting_new 联席会议 | 下周五下午3点 | 第三季度联席会议 | 301会议室"
    )
    # Next week's Friday from Tue 1 Sep is 11 Sep.
    assert "2026年9月11日 周五 15:00–17:00" in reply and "联席会议" in reply
    reply = await h.text(
        ADMIN, "/meeting_new 协调小组会议 | 明天上午10点 | 月度会 | | 每月第二个周二"
    )
    # The first second Tuesday at or after tomorrow (2 Sep) is 8 Sep.
    assert "2026年9月8日 周二 10:00" in reply and "重复：每月第二个周二" in reply
    assert "FREQ=" not in reply


async def test_refusals_change_nothing(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    before = snapshot(h)
    assert "in the past" in await h.text(ADMIN, "/meeting_new joint | 2026-08-01 10:00 | Old")
    assert "could not read that time" in await h.text(ADMIN, "/meeting_new joint | blah | X")
    assert "time of day" in await h.text(ADMIN, "/meeting_new joint | tomorrow | X")
    assert "Unknown meeting kind" in await h.text(ADMIN, "/meeting_new party | tomorrow 10:00 | X")
    assert "recurrence" in await h.text(
        ADMIN, "/meeting_new joint | tomorrow 10:00 | X | | sometimes"
    )
    assert "Usage:" in await h.text(ADMIN, "/meeting_new joint | tomorrow 10:00 | " + "x" * 10_000)
    assert "needs the admin role" in await h.text(STAFF, "/meeting_new joint | tomorrow 10:00 | X")
    assert "needs the admin role" in await h.text(MEMBER, "/invite 1 TECH")
    assert "no meeting #99" in await h.text(ADMIN, "/meeting 99")
    assert "Usage:" in await h.text(ADMIN, "/meeting abc")
    assert "no meeting #99" in await h.text(ADMIN, "/meeting_move 99 | tomorrow 10:00")
    assert "no meeting #99" in await h.text(ADMIN, "/meeting_cancel 99")
    assert "no meeting #99" in await h.text(ADMIN, "/ics 99")
    assert "no meeting #99" in await h.text(ADMIN, "/remind 99 1h")
    assert "needs the member role" in await h.text(OUTSIDER, "/meetings")
    await h.send(ADMIN, "/lang zh")
    assert "过去" in await h.text(ADMIN, "/meeting_new joint | 2026-08-01 10:00 | Old")
    assert snapshot(h) == before


async def test_hostile_title_is_escaped(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    reply = await h.text(ADMIN, "/meeting_new joint | 2026-09-04 14:00 | <b>x</b> & \x07<script>")
    assert "<script>" not in reply and "&lt;script&gt;" in reply


async def test_holiday_weekend_and_overlap_warnings(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    reply = await h.text(ADMIN, "/meeting_new joint | 2026-10-01 10:00 | National Day")
    assert "public holiday (National Day)" in reply
    reply = await h.text(ADMIN, "/meeting_new working | 2026-09-05 10:00 | Saturday")
    assert "weekend" in reply
    # 2026-09-20 is a Sunday make-up working day (调休) before National Day: no warning.
    reply = await h.text(ADMIN, "/meeting_new working | 2026-09-20 10:00 | Make-up day")
    assert "weekend" not in reply and "holiday" not in reply
    await h.send(ADMIN, "/invite 2 TECH")
    reply = await h.text(ADMIN, "/meeting_new evaluation | 2026-09-05 11:00 | Clash")
    assert "overlaps #2" in reply
    await h.send(ADMIN, "/invite 4 BJ")
    assert "overlaps" not in await h.text(ADMIN, "/invite 4 BJ")
    assert "overlaps #2" in await h.text(ADMIN, "/invite 4 TECH BJ")
    assert "Unknown unit: NOPE" in await h.text(ADMIN, "/invite 4 NOPE")
    assert meetings.get_meeting(h.svc.db, 4, T0).invited == ("BJ", "TECH")  # type: ignore[union-attr]
    await h.send(ADMIN, "/lang zh")
    assert "法定节假日（国庆节）" in await h.text(
        ADMIN, "/meeting_new joint | 2026-10-02 10:00 | X"
    )


async def test_meetings_list_and_card(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    await new_meeting(h, "joint | 2026-09-04 14:00 | Q3 joint | Room 301")
    await new_meeting(h, "coordination | 2026-09-08 10:00 | Weekly | | every week on tue")
    listing = await h.text(MEMBER, "/meetings", chat=GROUP)
    assert listing.index("#1") < listing.index("#2") and listing.count("#2") >= 2
    calls = await h.send(MEMBER, "/meeting 1", chat=GROUP)
    assert "Room 301" in calls[0].params["text"] and "No answers yet" in calls[0].params["text"]
    assert len(buttons_of(calls[0])) == 3
    await h.send(MEMBER, "/lang zh")
    assert "出席" in str((await h.send(MEMBER, "/meeting 1"))[0].params["reply_markup"])


async def test_rsvp_by_buttons(mt: tuple[Harness, FixedClock]) -> None:
    h, clock = mt
    mid = await new_meeting(h, "joint | 2026-09-04 14:00 | Q3 joint")
    (card,) = await h.send(MEMBER, f"/meeting {mid}", chat=GROUP)
    attend, decline, delegate = buttons_of(card)
    message_id = card.result["message_id"]
    calls = await h.press(MEMBER, GROUP, message_id, attend)
    edit = next(c for c in calls if c.method == "editMessageText")
    assert "Beijing Bureau (BJ): attend 1, decline 0, delegate 0" in edit.params["text"]
    toast = next(c for c in calls if c.method == "answerCallbackQuery")
    assert "Recorded: attend" in toast.params["text"]
    await h.press(STAFF, GROUP, message_id, delegate)
    calls = await h.press(MEMBER, GROUP, message_id, decline)  # changing is allowed
    edit = next(c for c in calls if c.method == "editMessageText")
    assert "Beijing Bureau (BJ): attend 0, decline 1" in edit.params["text"]
    assert "(TECH): attend 0, decline 0, delegate 1" in edit.params["text"]
    answers = {r.user_id: r.answer for r in rsvps.rsvps(h.svc.db, mid)}
    assert answers == {MEMBER: "decline", STAFF: "delegate"}
    # The outsider has no role; a forged payload and a press after the start are refused.
    before = snapshot(h)
    calls = await h.press(OUTSIDER, GROUP, message_id, attend)
    assert "needs the member role" in str(calls[-1].params)
    calls = await press_raw(h, MEMBER, GROUP, message_id, "rsvp:1::a:forgedsignatur")
    assert "not valid" in str(calls[-1].params)
    forged = h.svc.signer.sign("rsvp", f"{mid}:20260904T060000:a")
    calls = await press_raw(h, MEMBER, GROUP, message_id, forged)
    assert "not valid" in str(calls[-1].params)
    clock.set(datetime(2026, 9, 4, 6, 0, 1, tzinfo=UTC))
    calls = await h.press(MEMBER, GROUP, message_id, attend)
    assert "has started" in str(calls[-1].params)
    assert snapshot(h) == before


async def test_move_notifies_group_and_attendees(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    mid = await new_meeting(h, "joint | 2026-09-04 14:00 | Q3 joint")
    (card,) = await h.send(MEMBER, f"/meeting {mid}", chat=GROUP)
    await h.press(MEMBER, GROUP, card.result["message_id"], buttons_of(card)[0])
    await h.press(STAFF, GROUP, card.result["message_id"], buttons_of(card)[1])  # declines
    await h.send(MEMBER, "/lang zh")
    reply = await h.text(ADMIN, f"/meeting_move {mid} | 2026-09-07 09:00-10:30")
    assert "Mon 7 Sept 2026 09:00–10:30" in reply or "Mon 7 Sep 2026 09:00–10:30" in reply
    assert "was Fri 4 Sep" in reply or "was Fri 4 Sept" in reply
    await h.emu.wait_for(lambda c: c.chat_id == MEMBER and "已改期" in str(c.params.get("text")))
    await h.emu.wait_for(lambda c: c.chat_id == GROUP and "moved" in str(c.params.get("text")))
    assert not [c for c in h.emu.calls("sendMessage", chat_id=STAFF) if "moved" in str(c.params)]
    jobs = list(
        h.svc.db.query(
            "SELECT due_at, state FROM schedule WHERE kind = 'meeting_reminder' ORDER BY due_at"
        )
    )
    assert [j["state"] for j in jobs if j["state"] == "pending"] == ["pending", "pending"]
    due = [from_iso(j["due_at"]) for j in jobs if j["state"] == "pending"]
    assert datetime(2026, 9, 7, 0, 0, tzinfo=UTC) in due
    # The RSVPs of a one-off meeting survive the move.
    assert [r.answer for r in rsvps.rsvps(h.svc.db, mid) if r.user_id == MEMBER] == ["attend"]


async def test_cancel_one_occurrence_then_series(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    mid = await new_meeting(h, "working | 2026-09-08 10:00 | Weekly | | every week on tue")
    assert "say this" in await h.text(ADMIN, f"/meeting_cancel {mid}")
    reply = await h.text(ADMIN, f"/meeting_cancel {mid} this | plenary instead")
    assert "This occurrence cancelled" in reply and "plenary instead" in reply
    meeting = meetings.get_meeting(h.svc.db, mid, T0)
    assert meeting is not None and meeting.start == datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
    assert meeting.exdates == ("20260908T020000",)
    pending = [r["ref"] for r in h.svc.db.query("SELECT ref FROM schedule WHERE state='pending'")]
    assert pending and not any("20260908" in ref for ref in pending)
    await h.emu.wait_for(lambda c: c.chat_id == GROUP and "occurrence cancelled" in str(c.params))
    reply = await h.text(ADMIN, f"/meeting_cancel {mid} all")
    assert "Whole series cancelled" in reply
    assert (
        h.svc.db.execute("SELECT COUNT(*) FROM schedule WHERE state='pending'").fetchone()[0] == 0
    )
    assert "already cancelled" in await h.text(ADMIN, f"/meeting_cancel {mid} all")
    assert "Cancelled" in await h.text(MEMBER, f"/meeting {mid}")
    keys = [m.key for m in outbox.by_key_prefix(h.svc.db, f"meeting-cancelled:{mid}:")]
    assert f"meeting-cancelled:{mid}:all:{GROUP}" in keys and len(keys) == 2


async def test_cancelled_meeting_button_refused(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    mid = await new_meeting(h, "joint | 2026-09-04 14:00 | Q3 joint")
    (card,) = await h.send(MEMBER, f"/meeting {mid}", chat=GROUP)
    await h.send(ADMIN, f"/meeting_cancel {mid} | postponed")
    calls = await h.press(MEMBER, GROUP, card.result["message_id"], buttons_of(card)[0])
    assert "cancelled" in str(calls[-1].params)
    assert rsvps.rsvps(h.svc.db, mid) == []


async def test_guided_form_for_meeting_new(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    assert "Kind" in await h.text(ADMIN, "/meeting_new")
    assert "When" in await h.text(ADMIN, "joint")
    assert "Title" in await h.text(ADMIN, "2026-09-04 14:00")
    assert "Place" in await h.text(ADMIN, "Q3 | joint")
    assert "Repeats" in await h.text(ADMIN, "-")
    assert "Scheduled" in await h.text(ADMIN, "-")
    meeting = meetings.get_meeting(h.svc.db, 1, T0)
    assert meeting is not None and meeting.title == "Q3 / joint" and meeting.rrule is None


async def test_storage_api_for_other_features(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    await new_meeting(h, "joint | 2026-09-04 14:00 | Joint")
    await new_meeting(h, "coordination | 2026-09-08 10:00 | Weekly | | every week on tue")
    db = h.svc.db
    found = meetings.upcoming(db, T0, T0 + timedelta(days=15))
    assert [(m.id, m.start.day) for m in found] == [(1, 4), (2, 8), (2, 15)]
    nxt = meetings.next_of_kind(db, "coordination", datetime(2026, 9, 9, tzinfo=UTC))
    assert nxt is not None and nxt.start == datetime(2026, 9, 15, 2, 0, tzinfo=UTC)
    assert meetings.next_of_kind(db, "evaluation", T0) is None
