"""Meeting changes end to end: one occurrence moved or cancelled by its date (listing, card,
.ics and reminders agree), the agenda's timed rows following a move, one message in a
subscribed group, and the delegate's name asked for after the button."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from icalendar import Calendar

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from storage import rsvps
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    STAFF,
    Harness,
    buttons_of,
    running_bot,
    setup_org,
)
from tests.support.meetings import T0

# Tuesday 1 September 2026, 10:00 in Shanghai.
SEP = {day: datetime(2026, 9, day, 2, 0, tzinfo=UTC) for day in (8, 15, 22, 29)}  # Tue 10:00
SEP23 = datetime(2026, 9, 23, 6, 0, tzinfo=UTC)  # Wed 23 Sep 14:00
H, D = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
async def h(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The organised bot standing at T0."""
    async with running_bot(emu, tmp_path, FixedClock(T0)) as harness:
        await setup_org(harness)
        yield harness


def pending(h: Harness, kind: str) -> list[datetime]:
    """Due times of the pending rows of a kind."""
    rows = h.svc.db.query(
        "SELECT due_at FROM schedule WHERE kind = ? AND state = 'pending'", [kind]
    )
    return sorted(datetime.fromisoformat(r["due_at"]) for r in rows)


async def test_one_occurrence_moved_and_cancelled_by_date(h: Harness) -> None:
    reply = await h.text(ADMIN, "/meeting_new working | 2026-09-08 10:00 | Weekly | | every week")
    assert "Scheduled" in reply
    reply = await h.text(ADMIN, "/meeting_cancel 1 2026-09-15 | clash with the plenary")
    assert "This occurrence cancelled" in reply and "Tue 15 Sept 2026" in reply
    reply = await h.text(ADMIN, "/meeting_move 1 9月22日 | 2026-09-23 14:00-16:00")
    assert "One occurrence moved (was Tue 22 Sept 2026 10:00)" in reply
    assert "Wed 23 Sept 2026 14:00–16:00" in reply
    assert "no occurrence on" in await h.text(ADMIN, "/meeting_cancel 1 2026-09-16")
    assert "already cancelled" in await h.text(
        ADMIN, "/meeting_move 1 2026-09-15 | 2026-09-17 9:00"
    )
    assert "Usage:" in await h.text(ADMIN, "/meeting_cancel 1 someday")
    listing = await h.text(MEMBER, "/meetings")
    assert "Tue 15 Sept" not in listing and "Tue 22 Sept" not in listing
    assert listing.index("Tue 8 Sept") < listing.index("Wed 23 Sept 2026 14:00")
    assert listing.index("Wed 23 Sept 2026 14:00") < listing.index("Tue 29 Sept")
    # Reminders: the 8th and the moved occurrence, at its new time.
    assert pending(h, "meeting_reminder") == [SEP[8] - D, SEP[8] - H, SEP23 - D, SEP23 - H]
    calls = await h.send(MEMBER, "/ics 1")
    (doc,) = [c for c in calls if c.method == "sendDocument"]
    cal = Calendar.from_ical(h.emu.file_bytes(doc.result["document"]["file_id"]))
    master, override = cast(list[Any], cal.walk("VEVENT"))
    assert [d.dt for d in master["EXDATE"].dts] == [SEP[15]]
    assert override["RECURRENCE-ID"].dt == SEP[22] and override["DTSTART"].dt == SEP23
    # Once the 8th is over, the card shows the moved occurrence and where it came from.
    clock = cast(FixedClock, h.svc.clock)
    clock.set(SEP[8] + 3 * H)
    card = await h.text(MEMBER, "/meeting 1")
    assert "Wed 23 Sept 2026 14:00–16:00" in card and "(moved from Tue 22 Sept 2026 10:00)" in card


async def test_moving_a_meeting_moves_its_agenda_rows(h: Harness) -> None:
    await h.send(ADMIN, "/meeting_new joint | 2026-09-08 14:00 | Joint")
    assert "#1" in await h.text(STAFF, "/agenda_add 1 | Sandbox exit rules")
    start, later = SEP[8] + 4 * H, SEP[8] + 2 * D + 4 * H  # 14:00 on the 8th, then the 10th
    assert pending(h, "agenda_close") == [start + 2 * H]
    await h.send(ADMIN, "/meeting_move 1 | 2026-09-10 14:00")
    assert pending(h, "agenda_publish") == [later - D]
    assert pending(h, "agenda_close") == [later + 2 * H]
    assert pending(h, "agenda_carry") == [later + 2 * H + D]
    await h.send(ADMIN, "/meeting_cancel 1 | postponed")
    assert (
        h.svc.db.execute("SELECT COUNT(*) FROM schedule WHERE state = 'pending'").fetchone()[0]
        == 0
    )


@pytest.mark.parametrize("command", ["/meeting_move 1 | 2026-09-09 10:00", "/meeting_cancel 1"])
async def test_a_command_in_a_subscribed_group_posts_once_there(h: Harness, command: str) -> None:
    await h.send(ADMIN, "/meeting_new joint | 2026-09-08 14:00 | Joint")
    (card,) = await h.send(MEMBER, "/meeting 1")
    await h.press(MEMBER, MEMBER, card.result["message_id"], buttons_of(card)[0])  # attends
    calls = await h.send(ADMIN, command, chat=GROUP)
    assert [c.chat_id for c in calls if c.method == "sendMessage"] == [GROUP]
    # The attendee's private notice is delivered; the group gets no second copy.
    heads = ("📅 Meeting moved", "❌ Meeting cancelled")
    notice = await h.emu.wait_for(
        lambda c: c.chat_id == MEMBER and str(c.params.get("text")).startswith(heads),
        since_seq=calls[0].seq,
    )
    assert ("moved" in notice[0].params["text"]) == ("move" in command)
    sent = [c for c in h.emu.calls("sendMessage", chat_id=GROUP) if c.seq > calls[0].seq]
    assert sent == []
    keys = [r["key"] for r in h.svc.db.query("SELECT key FROM outbox")]
    assert keys and not [k for k in keys if k.endswith(f":{GROUP}")]


async def test_delegate_button_asks_for_the_name(h: Harness) -> None:
    await h.send(ADMIN, "/meeting_new joint | 2026-09-08 14:00 | Joint")
    (card,) = await h.send(MEMBER, "/meeting 1", chat=GROUP)
    message_id, (attend, _decline, delegate) = card.result["message_id"], buttons_of(card)
    calls = await h.press(MEMBER, GROUP, message_id, delegate)
    (prompt,) = [c for c in calls if c.method == "sendMessage"]
    assert "Who goes to #1 in your place?" in prompt.params["text"]
    assert "/delegate 1 &lt;name&gt;" in prompt.params["text"]
    reply = await h.text(MEMBER, "Wang Wei", chat=GROUP)
    assert "Recorded: Wang Wei goes to #1 on Tue 8 Sept 2026 14:00 in your place." in reply
    assert [r.delegate for r in rsvps.rsvps(h.svc.db, 1)] == ["Wang Wei"]
    assert "• Wang Wei (for Mei, BJ)" in await h.text(MEMBER, "/meeting 1", chat=GROUP)
    assert await h.send(MEMBER, "just chatting", chat=GROUP) == []  # the question was answered
    # Pressed again then changed to attend: the question is withdrawn with the name.
    await h.press(MEMBER, GROUP, message_id, delegate)
    await h.press(MEMBER, GROUP, message_id, attend)
    assert await h.send(MEMBER, "Li Na", chat=GROUP) == []
    assert [(r.answer, r.delegate) for r in rsvps.rsvps(h.svc.db, 1)] == [("attend", None)]


async def test_delegate_command_in_chinese(h: Harness) -> None:
    await h.send(ADMIN, "/meeting_new working | 2026-09-08 10:00 | Weekly | | every week")
    await h.send(STAFF, "/lang zh")
    reply = await h.text(STAFF, "/delegate 1 2026年9月15日 王伟")
    assert "已记录：王伟将代您出席#1（2026年9月15日 周二 10:00）。" in reply
    assert [(r.occ, r.delegate) for r in rsvps.rsvps(h.svc.db, 1)] == [("20260915T020000", "王伟")]
    assert "没有会议" in await h.text(STAFF, "/delegate 1 2026-09-16 王伟")
    assert "用法" in await h.text(STAFF, "/delegate 1")
