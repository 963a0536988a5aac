"""The scheduler: jobs fire once, survive a stalled event loop, and are rebuilt at start-up."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.telegram.app import running
from bot.telegram.scheduler import ARM_HORIZON
from storage import outbox, schedule
from storage.db import transaction
from storage.schedule import Job, JobState
from tests.support.harness import ADMIN, Harness, make_config, start_bot


def ping(svc: Any, job: Job, now: Any) -> tuple[JobState, str | None]:
    """A test job kind: queue one message to the admin."""
    outbox.enqueue(
        svc.db,
        key=f"ping:{job.ref}",
        kind="notice",
        chat_id=ADMIN,
        text=f"ping {job.ref}",
        now=now,
    )
    return "done", None


DUE = 0.2  # seconds from now the job falls due
STALL = 2.0  # seconds the event loop is blocked: the job runs 1.8 s late


@pytest.mark.slow(2)
async def test_job_fires_after_a_stall_longer_than_apschedulers_grace(bot: Harness) -> None:
    # APScheduler silently drops a job that runs more than misfire_grace_time late (1 s by
    # default); a stall past that must still fire it. How far past does not matter.
    default_grace = bot.app.job_queue.scheduler._job_defaults["misfire_grace_time"]
    assert STALL - DUE > default_grace
    svc = bot.svc
    svc.scheduler.attach(svc, {"ping": ping})
    with transaction(svc.db):
        svc.scheduler.put("ping", "stall", svc.clock.now() + timedelta(seconds=DUE))
    time.sleep(STALL)  # block the event loop, as a slow disk or a long computation would
    await bot.emu.wait_for(lambda c: c.params.get("text") == "ping stall", timeout=10)
    assert schedule.find(svc.db, "ping", "stall").state == "done"  # type: ignore[union-attr]


@pytest.mark.slow(1)
async def test_pending_jobs_rebuilt_at_start_and_fire_once(emu: Emulator, tmp_path: Path) -> None:
    config = make_config(emu, tmp_path)
    app, _probe = await start_bot(emu, config)
    async with running(app):
        svc = app.bot_data["services"]
        with transaction(svc.db):
            schedule.put(
                svc.db, "ping", "later", svc.clock.now() + timedelta(seconds=1), svc.clock.now()
            )
    # The first process stopped before the job was due; the next one arms it from the row.
    app, _probe = await start_bot(emu, config)
    async with running(app):
        svc = app.bot_data["services"]
        svc.scheduler.attach(svc, {"ping": ping})
        svc.scheduler.rebuild()
        await emu.wait_for(lambda c: c.params.get("text") == "ping later", timeout=5)
        assert svc.scheduler.fire_due(svc.clock.now() + timedelta(hours=1)) == 0
    assert sum(c.params.get("text") == "ping later" for c in emu.calls("sendMessage")) == 1


@pytest.mark.slow(2)
async def test_private_chat_paced_at_one_a_second(emu: Emulator, tmp_path: Path) -> None:
    emu.enforce_limits = True
    app, _probe = await start_bot(emu, make_config(emu, tmp_path, rate_limit=30))
    async with running(app):
        svc = app.bot_data["services"]
        with transaction(svc.db):
            for i in range(3):
                outbox.enqueue(
                    svc.db,
                    key=f"p:{i}",
                    kind="notice",
                    chat_id=ADMIN,
                    text=f"paced {i}",
                    now=svc.clock.now(),
                )
        svc.delivery.kick()
        calls = await emu.wait_for(
            lambda c: c.ok and str(c.params.get("text")).startswith("paced"), count=3, timeout=8
        )
    gaps = [b.time - a.time for a, b in zip(calls, calls[1:], strict=False)]
    assert all(gap >= 0.95 for gap in gaps), gaps
    assert emu.stats.get("429", 0) == 0


async def test_only_rows_within_the_horizon_are_armed_and_the_sweep_arms_the_rest(
    bot: Harness,
) -> None:
    svc = bot.svc
    svc.scheduler.attach(svc, {"ping": ping})
    queue = bot.app.job_queue
    now = svc.clock.now()
    with transaction(svc.db):
        svc.scheduler.put("ping", "soon", now + ARM_HORIZON / 2)
        svc.scheduler.put("ping", "later", now + timedelta(days=3))
    assert queue.get_jobs_by_name("ping:soon")
    assert not queue.get_jobs_by_name("ping:later")  # a row weeks ahead costs no job
    # Time passes (the clock of the rows) until the row comes within the horizon.
    svc.clock = FixedClock(now + timedelta(days=3) - ARM_HORIZON / 2)
    assert svc.scheduler.arm_horizon() == 1
    assert queue.get_jobs_by_name("ping:later")
