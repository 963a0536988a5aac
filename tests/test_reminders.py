"""Meeting reminders: once to each recipient, through restarts, by APScheduler itself, and DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.config import Config
from bot.devtools.emulator import Emulator
from bot.telegram.app import running
from storage.db import from_iso
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    STAFF,
    Harness,
    buttons_of,
    make_config,
    setup_org,
    start_bot,
)
from tests.support.meetings import T0, new_meeting, snapshot

START = datetime(2026, 9, 4, 6, 0, tzinfo=UTC)  # Fri 4 Sep 2026 14:00 Shanghai
DAY_BEFORE, HOUR_BEFORE = START - timedelta(days=1), START - timedelta(hours=1)


def reminders_to(h: Harness, chat: int) -> list[Any]:
    """Reminder messages the emulator received for a chat."""
    return [
        c for c in h.emu.calls("sendMessage", chat_id=chat) if "⏰" in str(c.params.get("text"))
    ]


def states(h: Harness) -> dict[datetime, str]:
    """Reminder rows by due time."""
    rows = h.svc.db.query("SELECT due_at, state FROM schedule WHERE kind = 'meeting_reminder'")
    return {from_iso(r["due_at"]): r["state"] for r in rows}  # type: ignore[misc]


async def schedule_with_answers(h: Harness) -> int:
    """A meeting on START; the member attends (reading Chinese), staff declines."""
    mid = await new_meeting(h, "joint | 2026-09-04 14:00 | Q3 joint")
    (card,) = await h.send(MEMBER, f"/meeting {mid}", chat=GROUP)
    attend, decline, _delegate = buttons_of(card)
    await h.press(MEMBER, GROUP, card.result["message_id"], attend)
    await h.press(STAFF, GROUP, card.result["message_id"], decline)
    await h.send(MEMBER, "/lang zh")
    return mid


async def test_reminder_goes_once_to_group_and_attendees(mt: tuple[Harness, FixedClock]) -> None:
    h, clock = mt
    await schedule_with_answers(h)
    clock.set(DAY_BEFORE + timedelta(seconds=1))
    assert h.svc.scheduler.fire_due() == 1
    await h.emu.wait_until(lambda: len(reminders_to(h, MEMBER)) == 1)
    await h.emu.wait_until(lambda: len(reminders_to(h, GROUP)) == 1)
    assert "会议提醒" in reminders_to(h, MEMBER)[0].params["text"]
    assert "Fri 4 Sept 2026 14:00" in reminders_to(h, GROUP)[0].params["text"]
    assert h.svc.scheduler.fire_due() == 0
    clock.set(HOUR_BEFORE)
    assert h.svc.scheduler.fire_due() == 1
    await h.emu.wait_until(lambda: len(reminders_to(h, GROUP)) == 2)
    assert reminders_to(h, STAFF) == []
    assert states(h) == {DAY_BEFORE: "done", HOUR_BEFORE: "done"}


async def restart(emu: Emulator, config: Config, clock: FixedClock) -> tuple[Any, Harness]:
    """A new Application on the same database file, standing at the clock's instant."""
    app, probe = await start_bot(emu, config, clock=clock)
    return app, Harness(emu, app, probe, config)


async def first_run(emu: Emulator, tmp_path: Path) -> Config:
    """Organise, schedule and answer, then stop the bot before anything is due."""
    config = make_config(emu, tmp_path)
    app, h = await restart(emu, config, FixedClock(T0))
    async with running(app):
        await setup_org(h)
        await schedule_with_answers(h)
    return config


async def test_restart_before_due_sends_exactly_once(emu: Emulator, tmp_path: Path) -> None:
    config = await first_run(emu, tmp_path)
    clock = FixedClock(DAY_BEFORE - timedelta(minutes=5))
    app, h = await restart(emu, config, clock)
    async with running(app):
        assert states(h) == {DAY_BEFORE: "pending", HOUR_BEFORE: "pending"}
        clock.set(DAY_BEFORE)
        assert h.svc.scheduler.fire_due() == 1
        await h.emu.wait_until(lambda: len(reminders_to(h, GROUP)) == 1)
    clock.set(DAY_BEFORE + timedelta(minutes=5))
    app, h = await restart(emu, config, clock)
    async with running(app):
        assert h.svc.scheduler.fire_due() == 0
        await h.send(ADMIN, "/whoami")
    assert len(reminders_to(h, GROUP)) == 1 and len(reminders_to(h, MEMBER)) == 1


async def test_reminder_due_while_down_is_sent_on_return(emu: Emulator, tmp_path: Path) -> None:
    config = await first_run(emu, tmp_path)
    # Back between the 1 h reminder's due time and the start: the overdue 1 d reminder is
    # superseded, the 1 h one goes out at once (APScheduler fires it; no fire_due here).
    app, h = await restart(emu, config, FixedClock(HOUR_BEFORE + timedelta(minutes=10)))
    async with running(app):
        await h.emu.wait_until(lambda: len(reminders_to(h, GROUP)) == 1)
        await h.emu.wait_until(lambda: len(reminders_to(h, MEMBER)) == 1)
        assert states(h) == {DAY_BEFORE: "missed", HOUR_BEFORE: "done"}
    assert len(reminders_to(h, GROUP)) == 1


@pytest.mark.slow(1)
async def test_reminder_after_start_is_recorded_missed(emu: Emulator, tmp_path: Path) -> None:
    config = await first_run(emu, tmp_path)
    app, h = await restart(emu, config, FixedClock(START + timedelta(minutes=1)))
    async with running(app):
        await h.emu.wait_until(lambda: set(states(h).values()) == {"missed"})
        notes = {r["note"] for r in h.svc.db.query("SELECT note FROM schedule")}
        assert notes == {"the meeting had started"}
        await h.send(ADMIN, "/whoami")
    assert reminders_to(h, GROUP) == [] and reminders_to(h, MEMBER) == []


@pytest.mark.slow(2)
async def test_apscheduler_fires_a_short_reminder_by_itself(org: Harness) -> None:
    reply = await org.text(ADMIN, "/meeting_new joint | in 2 hours | Soon")
    assert "Scheduled" in reply
    reply = await org.text(ADMIN, "/remind 1 1h59m57s")
    assert "Reminders for #1: 1 hour 59 minutes 57 seconds before." in reply
    calls = await org.emu.wait_for(
        lambda c: c.chat_id == GROUP and "Reminder" in str(c.params.get("text")), timeout=8
    )
    assert "Soon" in calls[0].params["text"]


async def test_remind_command(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    mid = await new_meeting(h, "joint | 2026-09-04 14:00 | Q3 joint")
    before = snapshot(h)
    assert "needs the admin role" in await h.text(STAFF, f"/remind {mid} 2h")
    assert "could not read those offsets" in await h.text(ADMIN, f"/remind {mid} soonish")
    assert "at most 60 days" in await h.text(ADMIN, f"/remind {mid} 90d")
    assert "Usage:" in await h.text(ADMIN, "/remind")
    assert snapshot(h) == before
    reply = await h.text(ADMIN, f"/remind {mid} 2d,3h,15m")
    assert "2 days, 3 hours, 15 minutes before" in reply
    due = {d for d, s in states(h).items() if s == "pending"}
    assert due == {
        START - timedelta(days=2),
        START - timedelta(hours=3),
        START - timedelta(minutes=15),
    }
    assert "none" in await h.text(ADMIN, f"/remind {mid} off")
    assert "pending" not in states(h).values()
    await h.send(ADMIN, "/lang zh")
    assert "提前1天、1小时" in await h.text(ADMIN, f"/remind {mid}")  # back to the default
    assert "提醒：无" in await h.text(ADMIN, f"/remind {mid} 关")
    assert "提前2天、3小时" in await h.text(ADMIN, f"/remind {mid} ２天，３小时")
    assert len([s for s in states(h).values() if s == "pending"]) == 2


async def test_dst_weekly_meeting_keeps_wall_clock(emu: Emulator, tmp_path: Path) -> None:
    config = make_config(emu, tmp_path, tz=ZoneInfo("Europe/Berlin"))
    clock = FixedClock(datetime(2026, 3, 20, 9, 0, tzinfo=UTC))
    app, h = await restart(emu, config, clock)
    async with running(app):
        await setup_org(h)
        reply = await h.text(ADMIN, "/meeting_new working | 2026-03-24 10:00 | Weekly | | weekly")
        assert "Tue 24 Mar 2026 10:00" in reply and "Tue 31 Mar 2026 10:00" in reply
        first, second = datetime(2026, 3, 24, 9, tzinfo=UTC), datetime(2026, 3, 31, 8, tzinfo=UTC)
        hour, day = timedelta(hours=1), timedelta(days=1)
        assert set(states(h)) == {first - day, first - hour, second - day, second - hour}
        clock.set(first - hour)
        assert h.svc.scheduler.fire_due() == 2
        # Once the first occurrence has passed, the next firing arms the third one.
        clock.set(second - day)
        assert h.svc.scheduler.fire_due() == 1
        third = datetime(2026, 4, 7, 8, tzinfo=UTC)
        assert {third - day, third - hour} <= set(states(h))
        clock.set(second - hour)
        h.svc.scheduler.fire_due()
        await h.emu.wait_for(
            lambda c: c.chat_id == GROUP and "Tue 31 Mar 2026 10:00" in str(c.params.get("text"))
        )
