"""Another process holding the database's write lock: wait it out without stalling anyone.

A second SQLite connection holds `BEGIN IMMEDIATE` (as a backup tool, the sqlite-utils CLI
or a cron job would) while commands, a scheduled job and deliveries need to write.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.devtools.emulator import Emulator
from bot.services import Services
from bot.telegram.scheduler import FireResult
from storage import outbox, people, schedule
from storage.db import DatabaseBusy, open_database, run_transaction, scalar, transaction
from storage.schedule import Job
from tests.support.harness import ADMIN, STAFF, Harness, running_bot, table_rows

NEWCOMER = 77  # has never written to the bot: /start must record them first
HOLD = 1.0  # seconds the other process keeps the lock (the process test holds longer)


@contextmanager
def locked(path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the write lock until the block ends."""
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("COMMIT")
        other.close()


class LoopWatch:
    """The longest the event loop went without running a 20 ms ticker."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(0.02)
            now = loop.time()
            self.worst = max(self.worst, now - last - 0.02)
            last = now

    def __enter__(self) -> LoopWatch:
        self._task = asyncio.get_running_loop().create_task(self._tick())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


def texts_to(h: Harness, chat: int, since: int) -> list[str]:
    return [str(c.params.get("text")) for c in h.emu.calls("sendMessage", chat, since) if c.ok]


@pytest.mark.slow(2)
async def test_commands_wait_out_a_lock_and_the_loop_keeps_serving(
    emu: Emulator, tmp_path: Path
) -> None:
    emu.add_user(NEWCOMER, "Nia")
    async with running_bot(emu, tmp_path, rate_limit=30) as h:
        await h.send(STAFF, "/start")
        await h.send(ADMIN, "/start")
        before = emu.last_seq
        with LoopWatch() as watch, locked(h.config.db_path):
            first = emu.send_message(user_id=NEWCOMER, text="/start")
            write = emu.send_message(user_id=ADMIN, text="/unit_add BSY | Busy Bureau")
            # A read by someone already known needs no lock: answered while it is held.
            read = emu.send_message(user_id=STAFF, text="/whoami")
            await h.probe.wait(read["update_id"])
            assert not h.probe.done(first["update_id"])
            assert not h.probe.done(write["update_id"])
            await asyncio.sleep(HOLD)  # the other process is still working
            assert not h.probe.done(first["update_id"])
        await h.probe.wait(first["update_id"])
        await h.probe.wait(write["update_id"])
        assert "Hello, Nia" in texts_to(h, NEWCOMER, before)[0]
        assert texts_to(h, ADMIN, before) == ["Unit BSY (Busy Bureau) added."]
        assert people.get_unit(h.svc.db, "BSY") is not None
        assert people.get_person(h.svc.db, NEWCOMER) is not None
        # The busy timeout used to block the loop thread (every chat) for the whole hold.
        assert watch.worst < HOLD / 4, f"event loop blocked for {watch.worst:.2f} s"


async def test_beyond_the_bound_the_sender_is_asked_to_resend_and_nothing_is_written(
    emu: Emulator, tmp_path: Path
) -> None:
    emu.add_user(NEWCOMER, "Nia", language_code="zh")
    async with running_bot(emu, tmp_path, busy_wait=0.3) as h:
        await h.send(ADMIN, "/start")
        tables = ("units", "people", "audit", "outbox")
        unchanged = table_rows(h.svc.db, *tables)
        before = emu.last_seq
        with locked(h.config.db_path):
            write = emu.send_message(user_id=ADMIN, text="/unit_add LATE | Late Bureau")
            first = emu.send_message(user_id=NEWCOMER, text="/start")
            await h.probe.wait(write["update_id"])
            await h.probe.wait(first["update_id"])
            assert table_rows(h.svc.db, *tables) == unchanged
        (busy,) = texts_to(h, ADMIN, before)
        assert "busy" in busy and "send that again" in busy
        (busy_zh,) = texts_to(h, NEWCOMER, before)
        assert "数据库正忙" in busy_zh
        assert table_rows(h.svc.db, *tables) == unchanged
        # Sent again once the lock is gone, it is done once.
        assert await h.text(ADMIN, "/unit_add LATE | Late Bureau") == (
            "Unit LATE (Late Bureau) added."
        )
        assert [u.code for u in people.list_units(h.svc.db)] == ["LATE"]


@pytest.mark.slow(1)
async def test_scheduled_job_and_delivery_wait_for_the_lock(emu: Emulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path) as h:
        await h.send(ADMIN, "/start")
        svc = h.svc

        def firer(s: Services, job: Job, now: datetime) -> FireResult:
            outbox.enqueue(
                s.db,
                key=f"t:{job.ref}",
                kind="notice",
                chat_id=ADMIN,
                text="fired",
                now=s.clock.now(),
            )
            return "done", None

        svc.scheduler.attach(svc, {"busytest": firer})
        with transaction(svc.db):
            # Queued without waking delivery: its first attempt meets the lock.
            outbox.enqueue(
                svc.db, key="q:1", kind="notice", chat_id=ADMIN, text="queued", now=svc.clock.now()
            )
            job = svc.scheduler.put("busytest", "1", svc.clock.now() + timedelta(milliseconds=300))
        before = emu.last_seq
        with LoopWatch() as watch, locked(h.config.db_path):
            svc.delivery.kick()
            await asyncio.sleep(1.0)  # the job fell due and delivery woke, both during the hold
            assert texts_to(h, ADMIN, before) == []
            assert schedule.get(svc.db, job.id).state == "pending"  # type: ignore[union-attr]
        assert watch.worst < 0.5, f"event loop blocked for {watch.worst:.2f} s"
        await emu.wait_for(lambda c: c.params.get("text") == "fired", since_seq=before)
        await emu.wait_for(lambda c: c.params.get("text") == "queued", since_seq=before)
        await emu.wait_until(
            lambda: {r.state for r in outbox.by_key_prefix(svc.db, "")} == {"sent"}
        )
        assert sorted(texts_to(h, ADMIN, before)) == ["fired", "queued"]
        assert schedule.get(svc.db, job.id).state == "done"  # type: ignore[union-attr]


@pytest.mark.slow(2)
async def test_a_send_that_left_is_recorded_after_the_lock(emu: Emulator, tmp_path: Path) -> None:
    async with running_bot(emu, tmp_path, read_timeout=5) as h:
        await h.send(ADMIN, "/start")
        svc = h.svc
        # Telegram takes the message and answers 0.5 s later; meanwhile the lock is taken.
        emu.add_fault("sendMessage", "timeout", chat_id=ADMIN, delay=0.5)
        before = emu.last_seq
        with transaction(svc.db):
            outbox.enqueue(
                svc.db, key="n:1", kind="notice", chat_id=ADMIN, text="slow", now=svc.clock.now()
            )
        svc.delivery.kick()
        await emu.wait_for(lambda c: c.params.get("text") == "slow", since_seq=before)
        with locked(h.config.db_path):
            await asyncio.sleep(1.0)  # Telegram answered meanwhile; recording it must wait
            (row,) = outbox.by_key_prefix(svc.db, "n:1")
            assert row.state == "sending"
        await emu.wait_until(lambda: outbox.by_key_prefix(svc.db, "n:1")[0].state == "sent")
        assert texts_to(h, ADMIN, before) == ["slow"]


# ---- at the seam: run_transaction on a temporary database ------------------------------


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "seam.db"
    db = open_database(path)
    db.execute("CREATE TABLE t (x INTEGER)")
    db.close()
    return path


def count(db: object) -> int:
    return int(scalar(db, "SELECT count(*) FROM t"))  # type: ignore[arg-type]


async def test_a_read_that_then_writes_is_retried_as_a_writer(db_path: Path) -> None:
    db = open_database(db_path)
    db.execute("PRAGMA busy_timeout=0")
    attempts = []

    def read_then_write() -> int:
        attempts.append(1)
        seen = count(db)
        db.execute("INSERT INTO t VALUES (?)", [seen])
        return seen

    with locked(db_path) as other:
        task = asyncio.create_task(run_transaction(db, read_then_write, immediate=False, wait=5))
        await asyncio.sleep(0.3)
        assert not task.done()
        other.execute("INSERT INTO t VALUES (99)")
    assert await task == 1
    # The deferred attempt read, failed at its write and was rolled back; the writer's
    # attempt ran once the lock was gone.
    assert len(attempts) == 2
    assert count(db) == 2


async def test_busy_beyond_the_bound_raises_and_rolls_back(db_path: Path) -> None:
    db = open_database(db_path)
    db.execute("PRAGMA busy_timeout=0")
    with locked(db_path), pytest.raises(DatabaseBusy):
        await run_transaction(db, lambda: db.execute("INSERT INTO t VALUES (1)"), wait=0.2)
    assert not db.conn.in_transaction
    assert count(db) == 0
