"""Minutes end to end: attendance (pre-filled from RSVPs), decisions, actions by owner, the
draft, publication once, corrections, export, and who may record, in both languages."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from storage import minutes, rsvps
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
async def mn(emu: Emulator, tmp_path: Path) -> AsyncIterator[tuple[Harness, FixedClock]]:
    """Meeting #1 (joint, Thu 10 Sep 14:00) with two items, the clock during the meeting."""
    clock = FixedClock(T0)
    async with running_bot(emu, tmp_path, clock) as h:
        await setup_org(h)
        await new_meeting(h, "joint | 2026-09-10 14:00 | Q3 joint meeting | Room 301")
        await h.send(STAFF, "/agenda_add 1 | Exit rules #deliberation | | 30")
        await h.send(STAFF2, "/agenda_add 1 | Data pilot report")
        with h.svc.db.conn:
            rsvps.answer(h.svc.db, 1, "", STAFF2, "BJ", "attend", T0)
        clock.set(at("2026-09-10 15:00"))
        yield h, clock


async def test_full_minutes_flow(mn: tuple[Harness, FixedClock]) -> None:
    h, _clock = mn
    draft = await h.text(MEMBER, "/minutes 1")
    assert "DRAFT minutes" in draft and "Beijing Bureau (BJ)" in draft and "from RSVPs" in draft
    assert "Present at #1: Technology Supervision Bureau (TECH), Beijing Bureau (BJ)." in (
        await h.text(ADMIN, "/present 1 TECH bj")
    )
    assert "Decision recorded on “Exit rules”: Adopted in principle." in await h.text(
        ADMIN, "/decision 1 #1 Adopted in principle."
    )
    assert "(general)" in await h.text(ADMIN, "/decision 1 Next meeting in October.")
    assert "Action recorded" in await h.text(ADMIN, "/action 1 #1 BJ | 2026-09-30 | Revise rules")
    assert "Sam" in await h.text(ADMIN, "/action 1 @sam | next friday | Draft a note")
    assert "UNASSIGNED" in await h.text(ADMIN, "/action 1 TBD | 2026-10-12 | Find a venue")
    draft = await h.text(MEMBER, "/minutes 1")
    assert "from RSVPs" not in draft and "Technology Supervision Bureau (TECH)" in draft
    assert "▸ Decided: Adopted in principle." in draft and "Next meeting in October." in draft
    assert "Items not reached" in draft and "2. Data pilot report" in draft
    assert draft.index("<u>Beijing Bureau (BJ)</u>") < draft.index("<u>Sam</u>")
    assert draft.index("<u>Sam</u>") < draft.index("<u>UNASSIGNED</u>")
    since = h.emu.last_seq
    reply = await h.text(ADMIN, "/minutes_publish 1")
    assert "published as No. 1 (2026)" in reply
    await deliver(h, GROUP, "Minutes No. 1 (2026)", since=since)
    before = snapshot(h)
    again = await h.text(ADMIN, "/minutes_publish 1")
    assert "already published as No. 1" in again and "/minutes_correct" in again
    assert "are published; use /minutes_correct" in await h.text(ADMIN, "/decision 1 More.")
    assert "are published" in await h.text(ADMIN, "/action 1 BJ | 2026-10-30 | More")
    assert "are published" in await h.text(ADMIN, "/present 1 TECH")
    assert snapshot(h) == before
    await h.send(ADMIN, "/minutes_correct 1 Item 1: BJ leads, not TECH.")
    await deliver(h, GROUP, "Correction to minutes No. 1 (2026)", since=since)
    assert "Item 1: BJ leads, not TECH." in await h.text(MEMBER, "/minutes 1")
    assert sum("Minutes No. 1" in t for t in texts(h, GROUP, since)) == 1


async def test_minutes_in_chinese_and_export(mn: tuple[Harness, FixedClock]) -> None:
    h, _clock = mn
    await h.send(ADMIN, "/lang zh")
    await h.send(ADMIN, "/decision 1 #1 原则通过。")
    await h.send(ADMIN, "/action 1 #1 TECH | 下周五 | 修改规则")
    assert "会议纪要（草稿）" in await h.text(ADMIN, "/minutes 1")
    assert "（2026）第1号" in await h.text(ADMIN, "/minutes_publish 1")
    calls = await h.send(ADMIN, "/minutes_export 1")
    doc = next(c for c in calls if c.method == "sendDocument")
    data = h.emu.file_bytes(doc.result["document"]["file_id"])
    paragraphs = [p.text for p in DocxDocument(io.BytesIO(data)).paragraphs]
    assert paragraphs[:2] == ["联席会议纪要", "（2026）第1号"]
    assert any("原则通过" in p for p in paragraphs) and any("修改规则" in p for p in paragraphs)
    calls = await h.send(MEMBER, "/minutes_export 1 md")
    doc = next(c for c in calls if c.method == "sendDocument")
    md = h.emu.file_bytes(doc.result["document"]["file_id"]).decode()
    assert md.startswith("# Joint working meeting minutes\n\n**No. 1 (2026)**\n\n")


async def test_who_may_record(mn: tuple[Harness, FixedClock]) -> None:
    h, _clock = mn
    before = snapshot(h)
    assert "Only admins or staff of the secretariat unit" in await h.text(STAFF, "/decision 1 X")
    assert "needs the staff role" in await h.text(MEMBER, "/present 1 BJ")
    assert "needs the member role" in await h.text(OUTSIDER, "/minutes 1")
    assert "needs the admin role" in await h.text(STAFF, "/minutes_publish 1")
    assert "needs the admin role" in await h.text(STAFF, "/secretariat TECH")
    assert snapshot(h) == before
    assert "No secretariat unit" in await h.text(ADMIN, "/secretariat")
    assert "Secretariat unit: Technology Supervision Bureau (TECH)" in await h.text(
        ADMIN, "/secretariat tech"
    )
    assert "Decision recorded" in await h.text(STAFF, "/decision 1 #2 Noted.")
    assert "Only admins" in await h.text(STAFF2, "/decision 1 #2 Noted.")
    await h.send(STAFF2, "/lang zh")
    assert "只有管理员或秘书处单位" in await h.text(STAFF2, "/decision 1 #2 Noted.")
    assert "No secretariat unit" in await h.text(ADMIN, "/secretariat none")
    assert minutes.secretariat_unit(h.svc.db) is None


async def test_bad_minutes_input_changes_nothing(mn: tuple[Harness, FixedClock]) -> None:
    h, _clock = mn
    before = snapshot(h)
    assert "There is no meeting #42" in await h.text(ADMIN, "/decision 42 #1 X")
    assert "has no item 9" in await h.text(ADMIN, "/decision 1 #9 X")
    assert "Usage:" in await h.text(ADMIN, "/decision 1")
    assert "too long" in await h.text(ADMIN, "/decision 1 " + "x" * 10_000)
    assert "Unknown unit: NOPE" in await h.text(ADMIN, "/present 1 TECH NOPE")
    assert "needs one owner" in await h.text(ADMIN, "/action 1 #1 | 2026-10-01 | Something")
    assert "needs one owner" in await h.text(ADMIN, "/action 1 | 2026-10-01 | Something")
    assert "could not read that due date" in await h.text(ADMIN, "/action 1 BJ | someday | X")
    assert "is in the past" in await h.text(ADMIN, "/action 1 BJ | 2026-09-01 | X")
    assert "Unknown owner" in await h.text(ADMIN, "/action 1 NOPE | 2026-10-01 | X")
    assert "don't know @nobody" in await h.text(ADMIN, "/action 1 @nobody | 2026-10-01 | X")
    assert "not published yet" in await h.text(ADMIN, "/minutes_correct 1 fix")
    assert "Usage:" in await h.text(MEMBER, "/minutes_export 1 pdf")
    assert snapshot(h) == before


async def test_cancelled_meeting_refuses_decisions(mn: tuple[Harness, FixedClock]) -> None:
    h, clock = mn
    clock.set(T0)
    await new_meeting(h, "joint | 2026-09-20 14:00 | Cancelled one")
    await h.send(ADMIN, "/meeting_cancel 2 | no quorum")
    before = snapshot(h)
    assert "was cancelled" in await h.text(ADMIN, "/decision 2 Something")
    assert "was cancelled" in await h.text(STAFF, "/agenda_add 2 | Something")
    await h.send(ADMIN, "/lang zh")
    assert "已取消" in await h.text(ADMIN, "/decision 2 Something")
    assert snapshot(h) == before


async def test_publish_before_start_refused(mn: tuple[Harness, FixedClock]) -> None:
    h, clock = mn
    clock.set(at("2026-09-09 10:00"))
    assert "has not started yet" in await h.text(ADMIN, "/minutes_publish 1")
    assert minutes.publication(h.svc.db, 1, "") is None


async def test_recording_replies_in_chinese(mn: tuple[Harness, FixedClock]) -> None:
    h, _clock = mn
    await h.send(ADMIN, "/lang zh")
    await h.send(STAFF, "/lang zh")
    assert "秘书处单位：Technology Supervision Bureau（TECH）" in await h.text(
        ADMIN, "/secretariat TECH"
    )
    present = await h.text(STAFF, "/present 1 TECH，BJ")
    assert "#1出席单位：Technology Supervision Bureau（TECH）、Beijing Bureau（BJ）。" in present
    assert "已记录督办事项" in await h.text(ADMIN, "/action 1 待定 | 2026-10-30 | 落实场地")
    assert "待定责任方" in await h.text(ADMIN, "/minutes 1")
    assert "尚未发布" in await h.text(ADMIN, "/minutes_correct 1 更正")
    await h.send(ADMIN, "/minutes_publish 1")
    assert "会议纪要（2026）第1号更正" in await h.text(STAFF, "/minutes_correct 1 第1项由BJ牵头")
    assert "已发布为第1号" in await h.text(ADMIN, "/minutes_publish 1")


async def test_search_finds_the_text_of_published_minutes(
    mn: tuple[Harness, FixedClock],
) -> None:
    h, _clock = mn
    await h.send(ADMIN, "/decision 1 #2 数据试点报告原则通过")
    assert "Nothing found" in await h.text(MEMBER, "/search Data pilot")  # a draft
    await h.send(ADMIN, "/minutes_publish 1")
    found = await h.text(MEMBER, "/search Data pilot")
    assert "minutes #1: Q3 joint meeting" in found and "→ /minutes 1" in found
    await h.send(ADMIN, "/minutes_correct 1 第二项改由北京局牵头")
    await h.send(MEMBER, "/lang zh")
    found = await h.text(MEMBER, "/search 北京局牵头")
    assert "会议纪要 #1" in found and "→ /minutes 1" in found
    assert "needs the member role" in await h.text(OUTSIDER, "/search 北京局牵头")
