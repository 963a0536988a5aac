"""Crash test: the bot as a real process, killed with SIGKILL at random moments.

A scripted workload (progress entries, RSVP presses, agenda items, reminders falling due,
bulletin publications) runs while a killer task SIGKILLs the process at random moments
and restarts it. Afterwards: every command the bot confirmed is in the database; no
reminder, notice or bulletin part was delivered more often than it was queued; every
reminder that fell due was delivered or recorded as missed.

A second test kills the bot a second into a paced bulletin fan-out over a slow API: only
the requests truly in flight may become uncertain (and the admins are told, once); every
other group gets the bulletin exactly once after the restart.
"""

from __future__ import annotations

import asyncio
import math
import os
import random
import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.devtools.emulator import Emulator
from tests.support.harness import ADMIN, GROUP, MEMBER, STAFF, STAFF2
from tests.support.process import BotProcess, fanout_groups, outbox_states, seed_fanout

# Two runs at different random moments, six kills each: together twelve, in half the time
# of one run on two workers. COORDBOT_CRASH_KILLS (per run): a longer search.
KILLS = int(os.environ.get("COORDBOT_CRASH_KILLS", "6"))
SEEDS = (11, 23)
KILL_AFTER = (0.2, 1.6)  # seconds the bot runs between a start and the next SIGKILL
REMINDER_MEETINGS = 8
# The killer alone sleeps KILLS * 0.9 s on average, restarts come on top: reminders falling
# due every REMINDER_STEP seconds from 2 s on all fall due while the kills go on.
REMINDER_STEP = KILLS * sum(KILL_AFTER) / 2 / REMINDER_MEETINGS
TZ = ZoneInfo("Asia/Shanghai")
FIGURES: dict[str, int] = {}


async def command(emu: Emulator, user: int, chat: int, text: str, timeout: float = 15) -> str:
    """Send a set-up command (bot alive) and return the answer."""
    before = emu.last_seq
    emu.send_message(user_id=user, chat_id=chat, text=text)
    calls = await emu.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == chat and c.ok,
        since_seq=before,
        timeout=timeout,
    )
    return str(calls[0].params["text"])


async def set_up(emu: Emulator) -> tuple[int, list[str]]:
    """Units, roles, a project, a far joint meeting with its card, and reminder meetings."""
    for user in (ADMIN, STAFF, MEMBER, STAFF2):
        await command(emu, user, user, "/start")
    for text in (
        "/unit_add TECH | Technology Supervision Bureau",
        "/unit_add BJ | Beijing Bureau",
        f"/role {STAFF} staff TECH",
        f"/role {STAFF2} staff BJ",
        f"/role {MEMBER} member BJ",
        "/project_add BJ-01 | Crash project | tech | Example Securities",
        "/follow BJ-01 TECH",
        "/stage BJ-01 running",
        "/meeting_new joint | 2030-06-03 14:00 | Crash-test joint meeting",
    ):
        await command(emu, ADMIN, ADMIN, text)
    await command(emu, ADMIN, GROUP, "/subscribe")
    now = datetime.now(UTC)
    start = (now + timedelta(minutes=7)).astimezone(TZ).replace(second=0, microsecond=0)
    for i in range(REMINDER_MEETINGS):
        reply = await command(
            emu,
            ADMIN,
            ADMIN,
            f"/meeting_new working | {start:%Y-%m-%d %H:%M} | Reminder meeting {i}",
        )
        meeting_id = int(re.search(r"#(\d+)", reply).group(1))  # type: ignore[union-attr]
        due = now + timedelta(seconds=2 + i * REMINDER_STEP)  # spread across the kills
        offset = int((start.astimezone(UTC) - due).total_seconds())
        await command(emu, ADMIN, ADMIN, f"/remind {meeting_id} {offset}s")
    before = emu.last_seq
    emu.send_message(user_id=MEMBER, chat_id=GROUP, text="/meeting 1")
    (card,) = await emu.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == GROUP, since_seq=before
    )
    buttons = [
        b["callback_data"] for row in card.params["reply_markup"]["inline_keyboard"] for b in row
    ]
    return int(card.result["message_id"]), buttons


async def workload(
    emu: Emulator, stop: asyncio.Event, card: int, buttons: list[str], seed: int
) -> Counter[str]:
    """Inject a steady mix of commands and presses until told to stop."""
    sent: Counter[str] = Counter()
    i = 0
    rng = random.Random(seed + 1)
    while not stop.is_set():
        i += 1
        choice = i % 6
        if choice in (0, 1, 2):
            emu.send_message(
                user_id=STAFF,
                chat_id=STAFF,
                text=f"/progress BJ-01 crash-{i} step done #milestone",
            )
            sent["progress"] += 1
        elif choice == 3:
            emu.send_message(
                user_id=STAFF, chat_id=STAFF, text=f"/agenda_add 1 | Agenda crash-{i}"
            )
            sent["agenda"] += 1
        elif choice == 4:
            user = rng.choice([MEMBER, STAFF, STAFF2])
            emu.press_button(
                user_id=user, chat_id=GROUP, message_id=card, data=rng.choice(buttons), check=False
            )
            sent["rsvp"] += 1
        elif i % 30 == 5:
            emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/bulletin_publish")
            sent["bulletin_publish"] += 1
        await asyncio.sleep(0.04)
    return sent


async def killer(bot: BotProcess, stop: asyncio.Event, kills: int, seed: int) -> None:
    """SIGKILL at random moments and restart, `kills` times."""
    rng = random.Random(seed)
    for _ in range(kills):
        await asyncio.sleep(rng.uniform(*KILL_AFTER))
        bot.kill()
        await bot.start()
    stop.set()


def rows(db: Path, sql: str, params: tuple[str, ...] = ()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


async def wait_for_reminders(db: Path, deadline: float) -> str:
    """Poll the database until every reminder row that fell due is closed (no event to await).

    Returns the instant checked: rows falling due after it, once the bot is stopped, may
    rightly stay pending."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    while loop.time() < end:
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        pending = rows(
            db,
            "SELECT COUNT(*) FROM schedule WHERE kind = 'meeting_reminder' AND state = 'pending' "
            "AND due_at <= ?",
            (now,),
        )[0][0]
        queued = rows(db, "SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')")[0][
            0
        ]
        if pending == 0 and queued == 0:
            return now
        await asyncio.sleep(0.2)
    raise AssertionError("reminders or outbox rows still pending after the run")


@pytest.mark.slow(14)
@pytest.mark.parametrize("seed", SEEDS)
async def test_sigkill_at_random_moments(emu: Emulator, tmp_path: Path, seed: int) -> None:
    db = tmp_path / "crash.db"
    bot = BotProcess(
        emu, db, tmp_path / "bot.log", COORDBOT_ADMINS=str(ADMIN), COORDBOT_AGENDA_CUTOFF_HOURS="1"
    )
    await bot.start()
    try:
        card, buttons = await set_up(emu)
        stop = asyncio.Event()
        load = asyncio.create_task(workload(emu, stop, card, buttons, seed))
        await killer(bot, stop, KILLS, seed)
        sent = await load
        # Let the last process finish the queue and every reminder due by the end of the run.
        await emu.wait_until(lambda: not emu.state.updates, timeout=60)
        checked_at = await wait_for_reminders(db, 60)
        assert await bot.terminate() == 0
    finally:
        bot.kill()
    replies = [c for c in emu.calls("sendMessage") if c.ok]
    # 1. Every progress entry the bot confirmed is in the database, and none twice.
    confirmed = [
        int(m.group(1))
        for c in replies
        if (m := re.search(r"Logged #(\d+) on BJ-01", str(c.params["text"])))
    ]
    entries = dict(rows(db, "SELECT id, text FROM progress_entries"))
    assert confirmed and all(n in entries for n in confirmed)
    tokens = Counter(re.search(r"crash-\d+", t).group(0) for t in entries.values())  # type: ignore[union-attr]
    assert max(tokens.values()) == 1
    # 2. Every agenda item the bot confirmed exists, none twice.
    titles = Counter(t for (t,) in rows(db, "SELECT title FROM agenda_items"))
    agenda_confirmed = [
        m.group(1)
        for c in replies
        if (m := re.search(r"\] (Agenda crash-\d+)", str(c.params["text"])))
    ]
    assert agenda_confirmed and all(titles[t] == 1 for t in agenda_confirmed)
    assert max(titles.values()) == 1
    # 3. Outbound messages: never delivered more often than queued; every 'sent' row delivered.
    delivered = Counter((c.chat_id, c.params["text"]) for c in replies)
    queued: Counter[tuple[int, str]] = Counter()
    confirmed_rows: Counter[tuple[int, str]] = Counter()
    for chat_id, text, state in rows(db, "SELECT chat_id, text, state FROM outbox"):
        if state in ("sent", "uncertain"):
            queued[(chat_id, text)] += 1
        if state == "sent":
            confirmed_rows[(chat_id, text)] += 1
    for key, count in confirmed_rows.items():
        assert delivered[key] >= count, f"a row marked sent was never delivered: {key}"
    for key in queued:
        assert delivered[key] <= queued[key], f"delivered more often than queued: {key}"
    # 4. Every reminder that fell due was delivered or recorded as missed.
    states = Counter(
        s for (s,) in rows(db, "SELECT state FROM schedule WHERE kind = 'meeting_reminder'")
    )
    due_states = rows(
        db,
        "SELECT state FROM schedule WHERE kind = 'meeting_reminder' AND due_at <= ?",
        (checked_at,),
    )
    assert all(s in ("done", "missed") for (s,) in due_states), due_states
    assert len(due_states) == REMINDER_MEETINGS, "a reminder fell due only after the run"
    # 5. Bulletins: publishing again after a kill never made a second issue for the same content.
    issues = rows(db, "SELECT year, number FROM bulletin_issues")
    assert len(issues) == len(set(issues))
    assert bot.starts == KILLS + 1
    FIGURES.update(
        kills=KILLS,
        commands=sum(sent.values()),
        confirmed_entries=len(confirmed),
        outbox_rows=sum(queued.values()),
        messages_checked=len(replies),
        reminders_due=len(due_states),
        uncertain=sum(1 for (s,) in rows(db, "SELECT state FROM outbox") if s == "uncertain"),
    )
    print("crash figures:", FIGURES, dict(states))


FANOUT_GROUPS = 30
FANOUT_RATE = 10  # COORDBOT_RATE_LIMIT: one message every 0.107 s, the fan-out lasts ~3 s
FANOUT_LATENCY = 0.3  # every group send arrives at once and is answered 0.3 s later
# A row is `sending` from the moment its request leaves until the answer is recorded; at
# most one request leaves per pacing period, so this many can be out at once (with 0.2 s
# for the bot to record an answer on a busy machine).
MAX_IN_FLIGHT = math.ceil((FANOUT_LATENCY + 0.2) * FANOUT_RATE / 1.07) + 1


def bulletin_deliveries(emu: Emulator, groups: list[int]) -> Counter[int]:
    """How many times each group received the bulletin (accepted sends)."""
    wanted = set(groups)
    return Counter(c.chat_id for c in emu.calls("sendMessage") if c.ok and c.chat_id in wanted)


@pytest.mark.slow(4)
async def test_sigkill_during_a_paced_slow_fanout(emu: Emulator, tmp_path: Path) -> None:
    db = tmp_path / "fanout.db"
    groups = fanout_groups(emu, FANOUT_GROUPS, ADMIN)
    in_groups = set(groups)
    seed_fanout(db, groups, ADMIN)
    emu.enforce_limits = True  # pacing must keep within Telegram's limits: no 429
    for chat_id in groups:
        emu.add_fault("sendMessage", "slow", chat_id=chat_id, times=None, delay=FANOUT_LATENCY)
    bot = BotProcess(
        emu,
        db,
        tmp_path / "bot.log",
        COORDBOT_ADMINS=str(ADMIN),
        COORDBOT_RATE_LIMIT=str(FANOUT_RATE),
    )
    await bot.start()
    try:
        before = emu.last_seq
        emu.send_message(user_id=ADMIN, chat_id=ADMIN, text="/bulletin_publish")
        # A third of the way through the fan-out, with requests in flight: kill -9.
        await emu.wait_for(lambda c: c.chat_id in in_groups, count=10, since_seq=before)
        bot.kill()
        killed_at = emu.last_seq
        assert len(bulletin_deliveries(emu, groups)) < FANOUT_GROUPS
        emu.clear_faults()
        bot.env["COORDBOT_RATE_LIMIT"] = "30"  # the production pacing, to finish sooner
        await bot.start()
        # Start-up recovery has run (before the commands were published): only requests
        # that had left may be uncertain; the restarted bot is already sending the rest.
        states = outbox_states(db, "bulletin")
        assert len(states) == FANOUT_GROUPS
        uncertain = sorted(c for c, s in states.items() if s == "uncertain")
        assert 1 <= len(uncertain) <= MAX_IN_FLIGHT, (uncertain, MAX_IN_FLIGHT)
        # The rest go out once, and the admins get one alert naming the uncertain groups.
        others = [g for g in groups if g not in uncertain]
        await emu.wait_until(
            lambda: len(bulletin_deliveries(emu, others)) == len(others), timeout=15
        )
        (alert,) = await emu.wait_for(
            lambda c: c.ok and c.chat_id == ADMIN and "uncertain" in str(c.params["text"]),
            since_seq=killed_at,
            timeout=10,
        )
        assert await bot.terminate() == 0
    finally:
        bot.kill()
    text = str(alert.params["text"])
    listed = {g for g in groups if f"({g})" in text}
    assert listed == set(uncertain), text
    final = outbox_states(db, "bulletin")
    assert {c for c, s in final.items() if s != "sent"} == set(uncertain)
    # Exactly once everywhere; an uncertain group got it at most once (never resent).
    delivered = bulletin_deliveries(emu, groups)
    assert all(delivered[g] == 1 for g in groups if g not in uncertain), delivered
    assert all(delivered[g] <= 1 for g in uncertain), delivered
    assert emu.stats["429"] == 0
    # One alert per notice, not one per row: a single alert row for the single admin.
    alerts = rows(db, "SELECT text FROM outbox WHERE kind = 'alert'")
    assert len(alerts) == 1, alerts
    FIGURES.update(fanout_groups=FANOUT_GROUPS, fanout_uncertain=len(uncertain))
    print("fan-out kill:", len(uncertain), "uncertain of", FANOUT_GROUPS, "groups")
