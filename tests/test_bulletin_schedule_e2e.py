"""Scheduled bulletins: the run firing, nudges, approval by buttons, and the restart case."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.telegram.app import running
from storage import bulletins, outbox, schedule
from storage.db import utc_iso
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    STAFF,
    STAFF2,
    Harness,
    buttons_of,
    clock_of,
    make_config,
    start_bot,
)
from tests.support.projects import FRI, T0, org_setup, scheduled_draft, snapshot

RUN_REF = utc_iso(FRI)
NEXT_REF = utc_iso(FRI + timedelta(days=7))


async def press_raw(h: Harness, user: int, message_id: int, data: str) -> list[Any]:
    """Press a button on a message that no longer shows it (a second, stale press)."""
    before = h.emu.last_seq
    update = h.emu.press_button(user, message_id, data, chat_id=user, check=False)
    await h.probe.wait(update["update_id"])
    return [c for c in h.emu.calls() if c.seq > before]


async def test_scheduled_run_nudges_then_publishes_and_rearms(porg: Harness) -> None:
    reply = await porg.text(ADMIN, "/bulletin_schedule weekly fri 16:00")
    assert "next issue Fri 5 Mar 2027 16:00" in reply
    run = schedule.find(porg.svc.db, "bulletin_run", RUN_REF)
    nudge = schedule.find(porg.svc.db, "bulletin_nudge", RUN_REF)
    assert run is not None and run.state == "pending" and run.due_at == FRI
    assert nudge is not None and nudge.due_at == FRI - timedelta(hours=24)
    await porg.send(STAFF, "/progress BJ-01 #milestone on track")
    await porg.send(STAFF2, "/lang zh")
    clock = clock_of(porg)
    clock.set(FRI - timedelta(hours=24))
    since = porg.emu.last_seq
    assert porg.svc.scheduler.fire_due() == 1
    (nudged,) = await porg.emu.wait_for(lambda c: c.chat_id == STAFF2, since_seq=since)
    assert "BJ-02" in nudged.params["text"] and "/progress" in nudged.params["text"]
    assert "提醒" in nudged.params["text"]
    assert not porg.emu.calls("sendMessage", STAFF, since)
    clock.set(FRI + timedelta(seconds=20))
    assert porg.svc.scheduler.fire_due() == 1
    calls = await porg.emu.wait_for(lambda c: c.chat_id == GROUP and c.ok, since_seq=since)
    assert "Bulletin 2027/1" in calls[0].params["text"] and "on track" in calls[0].params["text"]
    assert "Units with no report: Beijing Bureau (BJ)" in calls[0].params["text"]
    assert porg.svc.scheduler.fire_due() == 0
    following = schedule.find(porg.svc.db, "bulletin_run", NEXT_REF)
    assert following is not None and following.state == "pending"
    issue = bulletins.latest_issue(porg.svc.db)
    assert issue is not None and issue.via == "schedule"


async def test_nothing_new_skips_the_issue_and_tells_admins(porg: Harness) -> None:
    await porg.send(ADMIN, "/bulletin_publish")  # covers the set-up's stage change
    await porg.send(ADMIN, "/bulletin_schedule weekly fri 16:00")
    clock_of(porg).set(FRI)
    since = porg.emu.last_seq
    porg.svc.scheduler.fire_due()
    (told,) = await porg.emu.wait_for(lambda c: c.chat_id == ADMIN, since_seq=since)
    assert "skipped" in told.params["text"]
    assert len(bulletins.list_issues(porg.svc.db)) == 1


@pytest.mark.parametrize(
    "args",
    ["weekly xyz 16:00", "weekly fri 25:00", "monthly 29 09:00", "daily 1 09:00", "weekly fri"],
)
async def test_schedule_bad_input_changes_nothing(porg: Harness, args: str) -> None:
    before = snapshot(porg), schedule.pending(porg.svc.db)
    assert "Usage:" in await porg.text(ADMIN, f"/bulletin_schedule {args}")
    assert (snapshot(porg), schedule.pending(porg.svc.db)) == before
    assert bulletins.get_schedule(porg.svc.db) is None


async def test_schedule_admin_only_and_off(porg: Harness) -> None:
    assert "needs the admin role" in await porg.text(STAFF, "/bulletin_schedule off")
    assert "needs the admin role" in await porg.text(MEMBER, "/bulletin_schedule off")
    await porg.send(ADMIN, "/lang zh")
    assert "下一期" in await porg.text(ADMIN, "/bulletin_schedule monthly 1 09:00")
    assert "已关闭" in await porg.text(ADMIN, "/bulletin_schedule off")
    assert schedule.pending_with_prefix(porg.svc.db, "bulletin_run", "") == []
    assert bulletins.get_schedule(porg.svc.db) is None


async def test_approve_button_publishes_once(porg: Harness) -> None:
    ask = await scheduled_draft(porg)
    approve, _hold = buttons_of(ask)
    since = porg.emu.last_seq
    calls = await porg.press(ADMIN, ADMIN, ask.result["message_id"], approve)
    edit = next(c for c in calls if c.method == "editMessageText")
    assert "Approved by Ada: published Bulletin 2027/1." in edit.params["text"]
    await porg.emu.wait_for(lambda c: c.chat_id == GROUP and c.ok, since_seq=since)
    calls = await press_raw(porg, ADMIN, ask.result["message_id"], approve)
    toast = next(c for c in calls if c.method == "answerCallbackQuery")
    assert "Already decided" in toast.params["text"]
    assert len(bulletins.list_issues(porg.svc.db)) == 1
    assert len(outbox.by_key_prefix(porg.svc.db, "bulletin:")) == 1
    issue = bulletins.latest_issue(porg.svc.db)
    assert issue is not None and issue.via == "approval"


async def test_hold_button_publishes_nothing(porg: Harness) -> None:
    ask = await scheduled_draft(porg)
    approve, hold = buttons_of(ask)
    await porg.send(ADMIN, "/lang zh")
    calls = await porg.press(ADMIN, ADMIN, ask.result["message_id"], hold)
    edit = next(c for c in calls if c.method == "editMessageText")
    assert "暂缓" in edit.params["text"]
    calls = await press_raw(porg, ADMIN, ask.result["message_id"], approve)
    assert "已处理" in str(calls[-1].params)
    assert bulletins.latest_issue(porg.svc.db) is None


async def test_issue_due_while_down_goes_out_once_after_restart(
    emu: Emulator, tmp_path: Path
) -> None:
    config = make_config(emu, tmp_path)
    app, probe = await start_bot(emu, config, clock=FixedClock(T0))
    async with running(app):
        h = Harness(emu, app, probe, config)
        await org_setup(h)
        await h.send(ADMIN, "/bulletin_schedule weekly fri 16:00")
        await h.send(STAFF, "/progress BJ-01 #milestone logged before the outage")
    # The bot is down across Friday 16:00 and comes back on Saturday.
    since = emu.last_seq
    app, probe = await start_bot(emu, config, clock=FixedClock(FRI + timedelta(hours=20)))
    async with running(app):
        h = Harness(emu, app, probe, config)
        calls = await emu.wait_for(lambda c: c.chat_id == GROUP and c.ok, since_seq=since)
        assert "Bulletin 2027/1" in calls[0].params["text"]
        assert h.svc.scheduler.fire_due() == 0
        assert len(bulletins.list_issues(h.svc.db)) == 1
        assert len(outbox.by_key_prefix(h.svc.db, "bulletin:")) == 1
        assert schedule.find(h.svc.db, "bulletin_run", RUN_REF).state == "done"  # type: ignore[union-attr]
        assert schedule.find(h.svc.db, "bulletin_nudge", RUN_REF).state == "missed"  # type: ignore[union-attr]
        nxt = schedule.find(h.svc.db, "bulletin_run", NEXT_REF)
        assert nxt is not None and nxt.state == "pending"
    # A third start fires nothing again.
    since = emu.last_seq
    app, probe = await start_bot(emu, config, clock=FixedClock(FRI + timedelta(hours=21)))
    async with running(app):
        h = Harness(emu, app, probe, config)
        await h.send(MEMBER, "/bulletins")
        assert len(bulletins.list_issues(h.svc.db)) == 1
        assert not [c for c in emu.calls("sendMessage", GROUP, since)]
