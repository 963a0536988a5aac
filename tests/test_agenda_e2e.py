"""Agenda end to end: intake with tags, the cut-off, triage, publication, amendments,
escalation and carry-over, for every role and in both languages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from storage import agenda, schedule
from tests.support.agenda import deliver, snapshot, texts
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
from tests.support.meetings import T0, at, new_meeting


@pytest.fixture
async def ag(emu: Emulator, tmp_path: Path) -> AsyncIterator[tuple[Harness, FixedClock]]:
    """The organised bot at Tue 1 Sep 2026 10:00 with a joint meeting #1 on Thu 10 Sep."""
    clock = FixedClock(T0)
    async with running_bot(emu, tmp_path, clock) as h:
        await setup_org(h)
        await new_meeting(h, "joint | 2026-09-10 14:00 | Q3 joint meeting | Room 301")
        yield h, clock


async def test_add_with_tags_and_show(ag: tuple[Harness, FixedClock]) -> None:
    h, _clock = ag
    reply = await h.text(STAFF, "/agenda_add 1 | Sandbox exit rules #deliberation #major | | 20")
    assert "Item 1 added to the agenda of #1: [deliberation] Sandbox exit rules" in reply
    assert "major matter" in reply and "Running total: 20 of 120 minutes" in reply
    await h.send(STAFF2, "/agenda_add 1 | 跨境数据试点 #研究 | | 110")
    item = agenda.item_by_number(h.svc.db, 1, "", 2)
    assert item is not None and item.kind == "study" and item.unit_code == "BJ"
    assert item.submitter == STAFF2 and item.minutes == 110
    shown = await h.text(MEMBER, "/agenda 1")
    assert "1. [deliberation] Sandbox exit rules" in shown and "TECH · Sam" in shown
    assert "2. [study] 跨境数据试点" in shown and "running total 130 of 120" in shown
    assert "⚠️ The items need 130 minutes; the meeting lasts 120." in shown
    assert "Submissions close at Tue 8 Sept 2026 14:00" in shown


async def test_agenda_in_chinese(ag: tuple[Harness, FixedClock]) -> None:
    h, _clock = ag
    await h.send(STAFF, "/lang zh")
    reply = await h.text(STAFF, "/agenda_add 1 | 退出机制 #审议 #重大 | | 30")
    assert "已列入#1议程第1项：【审议】退出机制" in reply and "重大事项" in reply
    await h.send(MEMBER, "/lang zh")
    shown = await h.text(MEMBER, "/agenda 1")
    assert "议程" in shown and "1. 【审议】退出机制" in shown and "截止" in shown


async def test_roles_refused_and_nothing_changes(ag: tuple[Harness, FixedClock]) -> None:
    h, _clock = ag
    await h.send(STAFF, "/agenda_add 1 | Item A")
    before = snapshot(h)
    assert "needs the staff role" in await h.text(MEMBER, "/agenda_add 1 | Item B")
    assert "needs the member role" in await h.text(OUTSIDER, "/agenda 1")
    for cmd in ("/agenda_move 1 1 1", "/agenda_drop 1 1", "/agenda_lock 1", "/agenda_publish 1"):
        assert "needs the admin role" in await h.text(STAFF, cmd)
    await h.send(MEMBER, "/lang zh")
    assert "需要" in await h.text(MEMBER, "/agenda_add 1 | Item B")
    assert snapshot(h) == before


async def test_bad_input_answered_and_nothing_changes(ag: tuple[Harness, FixedClock]) -> None:
    h, _clock = ag
    await h.send(STAFF, "/agenda_add 1 | Item A")
    before = snapshot(h)
    assert "There is no meeting #99" in await h.text(STAFF, "/agenda_add 99 | X")
    assert "Usage:" in await h.text(STAFF, "/agenda_add abc | X")
    assert "title of up to 300" in await h.text(STAFF, "/agenda_add 1 | #major")
    assert "title of up to 300" in await h.text(STAFF, "/agenda_add 1 | " + "x" * 10_000)
    assert "whole number from 1 to 600" in await h.text(STAFF, "/agenda_add 1 | X | | lots")
    assert "Unknown project" in await h.text(STAFF, "/agenda_add 1 | X | NOPE-1")
    assert "has no item 7" in await h.text(ADMIN, "/agenda_move 1 7 1")
    assert "position from 1 to 1" in await h.text(ADMIN, "/agenda_move 1 1 5")
    assert "has no item 3" in await h.text(ADMIN, "/agenda_drop 1 3 | why")
    assert "Usage:" in await h.text(ADMIN, "/agenda_drop 1")
    assert snapshot(h) == before
    html = await h.text(STAFF, "/agenda_add 1 | <b>bold</b> & \x07bell")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; bell" in html


async def test_cutoff_refuses_staff_and_marks_admin_items_late(
    ag: tuple[Harness, FixedClock],
) -> None:
    h, clock = ag
    clock.set(at("2026-09-08 14:30"))
    before = snapshot(h)
    reply = await h.text(STAFF, "/agenda_add 1 | Too late")
    assert "Submissions for #1 closed at Tue 8 Sept 2026 14:00." in reply
    assert snapshot(h) == before
    reply = await h.text(ADMIN, "/agenda_add 1 | Urgent matter")
    assert "Added after the cut-off: marked late." in reply
    item = agenda.item_by_number(h.svc.db, 1, "", 1)
    assert item is not None and item.late
    assert "late" in await h.text(MEMBER, "/agenda 1")
    await h.send(STAFF, "/lang zh")
    assert "截止" in await h.text(STAFF, "/agenda_add 1 | 太晚了")


async def test_triage_move_drop_lock(ag: tuple[Harness, FixedClock]) -> None:
    h, _clock = ag
    await h.send(STAFF, "/agenda_add 1 | First")
    await h.send(STAFF2, "/agenda_add 1 | Second")
    shown = await h.text(ADMIN, "/agenda_move 1 2 1")
    assert shown.index("1. [report] Second") < shown.index("2. [report] First")
    since = h.emu.last_seq
    assert "Dropped from the agenda of #1: First" in await h.text(
        ADMIN, "/agenda_drop 1 2 | covered by the bulletin"
    )
    await deliver(h, STAFF, "Your agenda item was dropped: First", since=since)
    assert any("covered by the bulletin" in t for t in texts(h, STAFF, since))
    assert "First" not in await h.text(MEMBER, "/agenda 1")
    assert "locked" in await h.text(ADMIN, "/agenda_lock 1")
    assert "already locked" in await h.text(ADMIN, "/agenda_lock 1")
    assert "is locked; ask the secretariat" in await h.text(STAFF, "/agenda_add 1 | Third")
    assert "marked late" in await h.text(ADMIN, "/agenda_add 1 | Admin item")


async def test_automatic_publication_once_then_amendments(
    ag: tuple[Harness, FixedClock],
) -> None:
    h, clock = ag
    await h.send(STAFF, "/agenda_add 1 | Exit rules #deliberation | | 30")
    await h.send(STAFF2, "/agenda_add 1 | Data pilot")
    job = schedule.find(h.svc.db, "agenda_publish", "1.1.-")
    assert job is not None and job.due_at == at("2026-09-09 14:00")
    clock.set(at("2026-09-09 14:00"))
    since = h.emu.last_seq
    assert h.svc.scheduler.fire_due() >= 1
    await deliver(h, GROUP, "Agenda published", since=since)
    assert h.svc.scheduler.fire_due() == 0
    assert "already published" in await h.text(ADMIN, "/agenda_publish 1")
    assert "is locked" in await h.text(STAFF, "/agenda_add 1 | Late one")
    await h.send(ADMIN, "/agenda_add 1 | Late admin item")
    await deliver(h, GROUP, "AGENDA AMENDMENT No. 1", since=since)
    await h.send(ADMIN, "/agenda_move 1 3 1")
    await deliver(h, GROUP, "AGENDA AMENDMENT No. 2", since=since)
    group = texts(h, GROUP, since)
    assert sum("Agenda published" in t for t in group) == 1
    amend = next(t for t in group if "No. 2" in t)
    assert "Now item 1 (was 3): Late admin item" in amend
    assert "Now item 2 (was 1): Exit rules" in amend


async def test_publish_now_in_chinese_chat(ag: tuple[Harness, FixedClock]) -> None:
    h, _clock = ag
    await h.send(ADMIN, "/lang zh", chat=GROUP)
    await h.send(STAFF, "/agenda_add 1 | 退出机制")
    since = h.emu.last_seq
    await h.send(ADMIN, "/lang zh")
    assert "已发布" in await h.text(ADMIN, "/agenda_publish 1")
    await deliver(h, GROUP, "议程已发布", since=since)
    assert "此后的变动将以议程调整的形式发出" in await h.text(ADMIN, "/agenda_publish 1")


async def test_major_item_escalates_to_next_coordination_meeting(
    ag: tuple[Harness, FixedClock],
) -> None:
    h, clock = ag
    await h.send(STAFF, "/agenda_add 1 | Exit rules #major")
    await h.send(STAFF, "/agenda_add 1 | Routine report")
    coord = await new_meeting(h, "coordination | 2026-09-22 10:00 | Coordination group Q3")
    clock.set(at("2026-09-10 16:00"))
    assert h.svc.scheduler.fire_due() >= 1
    item = agenda.item_by_number(h.svc.db, coord, "", 1)
    assert item is not None and item.origin == "escalated" and item.title == "Exit rules"
    assert item.kind == "deliberation" and len(agenda.items(h.svc.db, coord, "")) == 1
    shown = await h.text(MEMBER, f"/agenda {coord}")
    assert "escalated for deliberation" in shown and "Exit rules" in shown
    origin = agenda.get_item(h.svc.db, item.origin_id or 0)
    assert origin is not None and origin.state == "forwarded" and origin.carried_to == item.id


async def test_escalation_without_coordination_meeting_tells_admins(
    ag: tuple[Harness, FixedClock],
) -> None:
    h, clock = ag
    await h.send(STAFF, "/agenda_add 1 | Exit rules #重大")
    clock.set(at("2026-09-10 16:00"))
    since = h.emu.last_seq
    h.svc.scheduler.fire_due()
    await deliver(h, ADMIN, "no coordination-group meeting is scheduled", since=since)
    coord = await new_meeting(h, "coordination | 2026-10-20 10:00 | Coordination group Q4")
    assert "Exit rules" in await h.text(MEMBER, f"/agenda {coord}")
    h.svc.scheduler.fire_due()
    assert len(agenda.items(h.svc.db, coord, "")) == 1


async def test_unreached_items_carry_over_unless_dropped(
    ag: tuple[Harness, FixedClock],
) -> None:
    h, clock = ag
    await h.send(STAFF, "/agenda_add 1 | Reached item")
    await h.send(STAFF, "/agenda_add 1 | Not reached")
    await h.send(STAFF, "/agenda_add 1 | Dropped one")
    await h.send(ADMIN, "/agenda_drop 1 3 | withdrawn")
    nxt = await new_meeting(h, "joint | 2026-10-15 14:00 | Q4 joint meeting")
    clock.set(at("2026-09-10 15:00"))
    await h.send(ADMIN, "/decision 1 #1 Noted.")
    clock.set(at("2026-09-11 16:00"))
    h.svc.scheduler.fire_due()
    carried = agenda.items(h.svc.db, nxt, "")
    assert [i.title for i in carried] == ["Not reached"] and carried[0].origin == "carried"
    shown = await h.text(MEMBER, f"/agenda {nxt}")
    assert "carried over" in shown and "Dropped one" not in shown
    assert h.svc.scheduler.fire_due() == 0


async def test_triage_in_chinese(ag: tuple[Harness, FixedClock]) -> None:
    h, _clock = ag
    await h.send(STAFF, "/agenda_add 1 | 第一项")
    await h.send(STAFF, "/agenda_add 1 | 第二项")
    await h.send(ADMIN, "/lang zh")
    assert "1. 【通报】第二项" in await h.text(ADMIN, "/agenda_move 1 2 1")
    assert "已从#1的议程中撤下：第一项" in await h.text(ADMIN, "/agenda_drop 1 2 | 重复")
    assert "#1的议程已锁定" in await h.text(ADMIN, "/agenda_lock 1")
    assert "没有第5项" in await h.text(ADMIN, "/agenda_drop 1 5")


async def test_moving_or_cancelling_a_meeting_replans_its_agenda(
    ag: tuple[Harness, FixedClock],
) -> None:
    h, _clock = ag
    await h.send(STAFF, "/agenda_add 1 | Exit rules")
    await h.send(ADMIN, "/meeting_move 1 | 2026-09-17 14:00")
    old = schedule.find(h.svc.db, "agenda_publish", "1.1.-")
    new = schedule.find(h.svc.db, "agenda_publish", "1.2.-")
    assert old is not None and old.state == "cancelled"
    assert new is not None and new.state == "pending" and new.due_at == at("2026-09-16 14:00")
    await h.send(ADMIN, "/meeting_cancel 1 | postponed")
    closing = schedule.find(h.svc.db, "agenda_close", "1.2.-")
    assert closing is not None and closing.state == "cancelled"
