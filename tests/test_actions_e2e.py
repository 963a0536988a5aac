"""Action items end to end: listing, closing, holiday-aware reminders, reminders across a
restart (sent once), the weekly digest and matters arising on the next agenda."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.telegram.app import running
from storage import actions, schedule
from tests.support.agenda import deliver, snapshot, texts
from tests.support.harness import (
    ADMIN,
    MEMBER,
    OUTSIDER,
    STAFF,
    STAFF2,
    Harness,
    make_config,
    running_bot,
    setup_org,
    start_bot,
)
from tests.support.meetings import T0, at, new_meeting


async def meeting_with_actions(h: Harness, clock: FixedClock) -> None:
    """Joint meeting #1 on Thu 10 Sep, held; A1 for @sam due 8 Oct, A2 for BJ due 12 Oct."""
    await setup_org(h)
    await new_meeting(h, "joint | 2026-09-10 14:00 | Q3 joint meeting")
    await h.send(STAFF, "/agenda_add 1 | Exit rules")
    clock.set(at("2026-09-10 15:00"))
    await h.send(ADMIN, "/action 1 #1 @sam | 2026-10-08 | Draft the exit note")
    await h.send(ADMIN, "/action 1 BJ | 2026-10-12 | Collect the local data")


@pytest.fixture
async def ac(emu: Emulator, tmp_path: Path) -> AsyncIterator[tuple[Harness, FixedClock]]:
    """The bot with two actions recorded at meeting #1."""
    clock = FixedClock(T0)
    async with running_bot(emu, tmp_path, clock) as h:
        await meeting_with_actions(h, clock)
        yield h, clock


def due_at(h: Harness, ref: str) -> object:
    """When an action reminder row is due."""
    job = schedule.find(h.svc.db, "action_due", ref)
    assert job is not None
    return job.due_at


async def test_reminders_skip_holidays_and_count_make_up_days(
    ac: tuple[Harness, FixedClock],
) -> None:
    h, _clock = ac
    # Due Thu 8 Oct, the first working day after National Day (1-7 Oct): two working
    # days before is Tue 29 Sep. Due Mon 12 Oct: Sat 10 Oct is a make-up working day.
    assert due_at(h, "1.pre") == at("2026-09-29 09:00")
    assert due_at(h, "1.over") == at("2026-10-09 09:00")
    assert due_at(h, "2.pre") == at("2026-10-09 09:00")
    assert due_at(h, "2.over") == at("2026-10-13 09:00")


async def test_unit_reminder_goes_to_its_staff_then_overdue(
    ac: tuple[Harness, FixedClock],
) -> None:
    h, clock = ac
    since = h.emu.last_seq
    clock.set(at("2026-10-09 09:00"))
    h.svc.scheduler.fire_due()
    await deliver(h, STAFF2, "Action item due soon", since=since)
    await deliver(h, STAFF, "Action item overdue", since=since)
    assert not any("Collect the local data" in t for t in texts(h, MEMBER, since))
    clock.set(at("2026-10-13 09:00"))
    h.svc.scheduler.fire_due()
    await deliver(h, STAFF2, "Action item overdue", since=since)
    assert h.svc.scheduler.fire_due() == 0
    assert sum("Collect the local data" in t for t in texts(h, STAFF2, since)) == 2


async def test_reminder_across_restart_is_sent_once(emu: Emulator, tmp_path: Path) -> None:
    clock = FixedClock(T0)
    config = make_config(emu, tmp_path)
    app, probe = await start_bot(emu, config, clock=clock)
    async with running(app):
        await meeting_with_actions(Harness(emu, app, probe, config), clock)
    clock.set(at("2026-09-29 09:00"))
    app, probe = await start_bot(emu, config, clock=clock)
    async with running(app):
        h = Harness(emu, app, probe, config)
        h.svc.scheduler.fire_due()
        await deliver(h, STAFF, "Draft the exit note")
        assert h.svc.scheduler.fire_due() == 0
    app, probe = await start_bot(emu, config, clock=clock)
    async with running(app):
        h = Harness(emu, app, probe, config)
        assert h.svc.scheduler.fire_due() == 0
        h.svc.delivery.kick()
    reminders = [t for t in texts(h, STAFF) if "Action item due soon" in t]
    assert len(reminders) == 1 and "A1" in reminders[0]


async def test_done_permissions_and_cancelled_reminders(ac: tuple[Harness, FixedClock]) -> None:
    h, _clock = ac
    before = snapshot(h)
    assert "needs the member role" in await h.text(OUTSIDER, "/done 1")
    assert "Only its owner" in await h.text(MEMBER, "/done 2")
    assert "Only its owner" in await h.text(STAFF2, "/done 1")
    assert "There is no action A99" in await h.text(ADMIN, "/done 99")
    assert "Usage:" in await h.text(ADMIN, "/done abc")
    assert snapshot(h) == before
    assert "Action A1 closed: Draft the exit note" in await h.text(STAFF, "/done 1 | sent")
    assert "already closed" in await h.text(STAFF, "/done 1")
    await h.send(STAFF2, "/lang zh")
    assert "已办结" in await h.text(STAFF2, "/done A2 | 已报送")
    for ref in ("1.pre", "1.over", "2.pre", "2.over"):
        job = schedule.find(h.svc.db, "action_due", ref)
        assert job is not None and job.state == "cancelled"
    closed = actions.get_action(h.svc.db, 2)
    assert closed is not None and closed.state == "done" and closed.done_note == "已报送"


async def test_actions_listing_filters(ac: tuple[Harness, FixedClock]) -> None:
    h, clock = ac
    assert "A1" in (mine := await h.text(STAFF, "/actions mine")) and "A2" not in mine
    assert "A2" in (bj := await h.text(MEMBER, "/actions BJ")) and "A1" not in bj
    listing = await h.text(MEMBER, "/actions")
    assert "Open action items" in listing and "A1 · Sam · Draft the exit note" in listing
    assert "No action items" in await h.text(MEMBER, "/actions overdue")
    assert "Unknown unit: NOPE" in await h.text(MEMBER, "/actions NOPE")
    assert "needs the member role" in await h.text(OUTSIDER, "/actions")
    clock.set(at("2026-10-10 10:00"))
    assert "A1" in (late := await h.text(MEMBER, "/actions overdue")) and "overdue" in late
    await h.send(ADMIN, "/done 1")
    assert "✅ done" in await h.text(MEMBER, "/actions all")
    await h.send(MEMBER, "/lang zh")
    assert "期限" in await h.text(MEMBER, "/actions")


async def test_weekly_digest_and_matters_arising(ac: tuple[Harness, FixedClock]) -> None:
    h, clock = ac
    nxt = await new_meeting(h, "joint | 2026-10-22 14:00 | Q4 joint meeting")
    clock.set(at("2026-10-19 09:00"))
    since = h.emu.last_seq
    h.svc.scheduler.fire_due()
    await deliver(h, ADMIN, "Overdue action items: 2", since=since)
    assert schedule.find(h.svc.db, "action_digest", "2026-10-26") is not None
    shown = await h.text(MEMBER, f"/agenda {nxt}")
    assert "Matters arising" in shown and "A1" in shown and "A2" in shown
    assert "Matters arising" not in await h.text(MEMBER, "/agenda 1")
