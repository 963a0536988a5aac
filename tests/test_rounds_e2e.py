"""Reporting rounds end to end, through the emulator: a round is opened, reminded, answered
on time by one unit, late by another (through the request's button and the guided form, in
Chinese) and missed by a third, across a restart over the deadline; the coordination item
goes onto the joint meeting's agenda; /round, /compliance and the bulletin show it in both
languages. Scheduled rounds survive restarts and open once when the bot was down."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.telegram.app import running
from storage import progress, progress_reads, schedule
from storage import rounds as stored
from tests.support.harness import (
    ADMIN,
    GROUP,
    MEMBER,
    OUTSIDER,
    STAFF,
    STAFF2,
    Harness,
    make_config,
    running_bot,
    setup_org,
    start_bot,
    table_rows,
)

T0 = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai, after the real clock
DEADLINE = T0 + timedelta(days=2)  # Wednesday 10:00
EARLY = datetime(2027, 3, 2, 9, 0, tzinfo=UTC)  # 80% falls at 00:24 Wed: moved to 17:00 Tue
FRIDAY_0900 = datetime(2027, 3, 5, 1, 0, tzinfo=UTC)


async def world(h: Harness) -> None:
    """The standard cast plus a third unit (the outsider as its staff), three running
    projects one per unit, a joint meeting, and Li (BJ staff) reading Chinese."""
    await setup_org(h)
    for text in (
        "/unit_add SZ | Shenzhen Bureau",
        f"/role {OUTSIDER} staff SZ",
        "/project_add BJ-01 | Supply-chain finance | tech | Example Securities",
        "/project_add BJ-02 | Pension service | 公共服务 | Example Bank",
        "/project_add BJ-03 | Cross-border data | tech | Example Fund",
        "/follow BJ-01 TECH",
        "/follow BJ-02 BJ",
        "/follow BJ-03 SZ",
        "/stage BJ-01 running",
        "/stage BJ-02 running",
        "/stage BJ-03 running",
        "/meeting_new joint | 2027-03-10 14:00 | Joint meeting Q1",
    ):
        await h.send(ADMIN, text)
    await h.send(STAFF2, "/lang zh")


def text_of(call: Any) -> str:
    return str(call.params.get("text") or "")


def first_button(call: Any) -> str:
    return str(call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"])


async def notice(h: Harness, chat: int, marker: str, since: int) -> Any:
    """The first message the bot delivered to a chat, after `since`, holding `marker`."""
    (found,) = await h.emu.wait_for(
        lambda c: c.method == "sendMessage" and c.chat_id == chat and marker in text_of(c),
        since_seq=since,
    )
    return found


async def test_a_round_reminded_answered_late_and_missed_shows_in_the_bulletin(
    emu: Emulator, tmp_path: Path
) -> None:
    config = make_config(emu, tmp_path)
    clock = FixedClock(T0)
    app, probe = await start_bot(emu, config, clock=clock)
    async with running(app):
        h = Harness(emu, app, probe, config)
        await world(h)
        since = emu.last_seq
        reply = await h.text(ADMIN, "/round_new 2d")
        assert "Round #1 opened" in reply and "(all running projects)" in reply
        assert "Asked privately, 3 units on 3 projects: Beijing Bureau (BJ), Shenzhen" in reply
        assert "reminded Tue 2 Mar 2027 17:00 and at the deadline" in reply
        ask_en = await notice(h, STAFF, "Periodic report: round #1", since)
        assert "Deadline: Wed 3 Mar 2027 10:00" in text_of(ask_en)
        ask_zh = await notice(h, STAFF2, "定期报送：第1轮", since)
        assert "请Beijing Bureau（BJ）报送以下项目情况：BJ-02 Pension service。" in text_of(ask_zh)
        await notice(h, OUTSIDER, "round #1", since)
        assert not [c for c in emu.calls("sendMessage", MEMBER, since)]  # members: no ask

        # Shenzhen reports on time, in one line.
        reply = await h.text(OUTSIDER, "/report BJ-03 | on track | | go live in April |")
        assert "Report on BJ-03 for round #1 recorded as entry #1." in reply
        assert "marked late" not in reply

        # At 80% of the window the two silent units are reminded; Shenzhen is not.
        clock.set(EARLY)
        since = emu.last_seq
        assert h.svc.scheduler.fire_due() == 1
        await notice(h, STAFF, "Reminder: round #1", since)
        await notice(h, STAFF2, "提醒：第1轮定期报送", since)
        assert not [c for c in emu.calls("sendMessage", OUTSIDER, since)]

    # The bot is down across the deadline and comes back an hour after it.
    since = emu.last_seq
    clock = FixedClock(DEADLINE + timedelta(hours=1))
    app, probe = await start_bot(emu, config, clock=clock)
    async with running(app):
        h = Harness(emu, app, probe, config)
        await notice(h, STAFF, "Deadline passed: round #1", since)
        await notice(h, STAFF2, "已过截止时间：第1轮定期报送", since)
        summary = await notice(h, ADMIN, "Round #1: the deadline has passed", since)
        assert "3 units asked: 1 on time, 0 late, 2 not reported" in text_of(summary)
        assert h.svc.scheduler.fire_due() == 0  # each reminder went out once

        # Beijing answers late: the request's button opens the form, in Chinese.
        calls = await h.press(STAFF2, STAFF2, ask_zh.result["message_id"], first_button(ask_zh))
        prompt = "\n".join(text_of(c) for c in calls if c.method == "sendMessage")
        assert "报送第1轮BJ-02项目情况" in prompt and "本期进展？" in prompt
        assert "已过截止时间，本次报送将标注为逾期。" in prompt
        assert "存在问题与风险？" in await h.text(STAFF2, "完成系统对接，进入试运行。")
        assert "下步计划？" in await h.text(STAFF2, "数据接口偶有超时")
        assert "需协调事项？" in await h.text(STAFF2, "－")
        since = emu.last_seq
        reply = await h.text(STAFF2, "跨部门数据共享需协调")
        assert "已记录第1轮BJ-02项目报送（进展#2）。" in reply
        assert "标注为逾期报送" in reply and "已登记为风险#2" in reply
        assert [e.id for e in progress_reads.open_risks(h.svc.db, "BJ-02")] == [2]

        # The secretariat puts the coordination item on the joint meeting's agenda.
        offer = await notice(h, ADMIN, "Items needing coordination", since)
        assert "Beijing Bureau (BJ) on BJ-02 Pension service: 跨部门数据共享需协调" in text_of(
            offer
        )
        assert "Next joint meeting: #1 Joint meeting Q1" in text_of(offer)
        calls = await h.press(ADMIN, ADMIN, offer.result["message_id"], first_button(offer))
        toast = next(c for c in calls if c.method == "answerCallbackQuery")
        assert "Put on the agenda of joint meeting #1" in str(toast.params.get("text"))
        calls = await h.press(ADMIN, ADMIN, offer.result["message_id"], first_button(offer))
        toast = next(c for c in calls if c.method == "answerCallbackQuery")
        assert "Already on the agenda of meeting #1." in str(toast.params.get("text"))
        agenda = await h.text(MEMBER, "/agenda 1")
        assert agenda.count("跨部门数据共享需协调") == 1

        # The round by unit, in both languages.
        en = await h.text(ADMIN, "/round")
        assert "3 units asked: 1 on time, 1 late, 1 not reported" in en
        assert "✅ On time: Shenzhen Bureau (SZ)" in en
        assert "⏰ Late: Beijing Bureau (BJ)" in en
        assert "❌ Not reported: Technology Supervision Bureau (TECH)" in en
        zh = await h.text(STAFF2, "/round")
        assert "应报送单位3家，其中按时报送1家、逾期报送1家、未报送1家" in zh
        assert "⏰ 逾期报送：Beijing Bureau（BJ）" in zh
        record = await h.text(MEMBER, "/compliance")
        assert "Technology Supervision Bureau (TECH): ❌ (on time 0, late 0" in record

        # The next bulletin lists the round's compliance, in each chat's language.
        since = emu.last_seq
        assert "Published Bulletin 2027/1" in await h.text(ADMIN, "/bulletin_publish")
        (issue,) = await emu.wait_for(
            lambda c: c.chat_id == GROUP and "Periodic reports" in text_of(c), since_seq=since
        )
        assert "Round #1 (deadline Wed 3 Mar 2027 10:00)" in text_of(issue)
        assert "❌ Not reported: Technology Supervision Bureau (TECH)" in text_of(issue)
        assert "[Round 1 report] Progress: on track; Next steps: go live in April." in (
            text_of(issue)
        )
        shown = await h.text(STAFF2, "/bulletin_show 2027/1")
        assert "<b>定期报送情况</b>" in shown
        assert "❌ 未报送：Technology Supervision Bureau（TECH）" in shown
        assert "【第1轮定期报送（逾期）】本期进展：完成系统对接，进入试运行" in shown


async def test_scheduled_rounds_survive_restarts_and_open_once(
    emu: Emulator, tmp_path: Path
) -> None:
    config = make_config(emu, tmp_path)
    app, probe = await start_bot(emu, config, clock=FixedClock(T0))
    async with running(app):
        h = Harness(emu, app, probe, config)
        await world(h)
        reply = await h.text(ADMIN, "/round_schedule weekly fri 09:00 | fri 17:00 | tech")
        assert "Reporting rounds scheduled:" in reply
        assert "#1 every week on Friday at 09:00; deadline: fri 17:00" in reply
        assert "scope: technology innovation; next: Fri 5 Mar 2027 09:00" in reply
        await h.send(ADMIN, "/lang zh")
        reply = await h.text(ADMIN, "/round_schedule 每月1日 9:00 ｜ 3天 ｜ 公共服务")
        assert "#2 每月1日 09:00；截止：发起后3天；范围：公共服务；下次发起：2027年4月1日" in reply
        assert "#1 每周五 09:00" in await h.text(ADMIN, "/round_schedule")

    # A restart before Friday: both openings are still armed, from the database.
    app, probe = await start_bot(emu, config, clock=FixedClock(T0 + timedelta(days=1)))
    async with running(app):
        h = Harness(emu, app, probe, config)
        armed = {j.ref: j.due_at for j in schedule.pending_with_prefix(h.svc.db, "round_open", "")}
        assert armed == {
            "1@2027-03-05T01:00:00.000+00:00": FRIDAY_0900,
            "2@2027-04-01T01:00:00.000+00:00": datetime(2027, 4, 1, 1, 0, tzinfo=UTC),
        }

    # Down across Friday 09:00, back at 09:30: the round opens once, the next is armed.
    since = emu.last_seq
    app, probe = await start_bot(
        emu, config, clock=FixedClock(FRIDAY_0900 + timedelta(minutes=30))
    )
    async with running(app):
        h = Harness(emu, app, probe, config)
        ask = await notice(h, STAFF, "Periodic report: round #1", since)
        await notice(h, OUTSIDER, "Periodic report: round #1", since)
        assert "Wed" not in text_of(ask) and "Fri 5 Mar 2027 17:00" in text_of(ask)
        told = await notice(h, ADMIN, "已发起第1轮定期报送", since)
        assert "按报送计划#1发起。" in text_of(told)
        assert not [c for c in emu.calls("sendMessage", STAFF2, since)]  # BJ-02 is public
        opened = stored.latest_round(h.svc.db)
        assert opened is not None and opened.schedule_id == 1
        reminders = schedule.pending_with_prefix(h.svc.db, "round_remind", "1:")
        assert [(j.ref, j.due_at) for j in reminders] == [
            ("1:early", datetime(2027, 3, 5, 7, 30, tzinfo=UTC)),  # 80%: 15:30
            ("1:deadline", datetime(2027, 3, 5, 9, 0, tzinfo=UTC)),
        ]
        nxt = schedule.pending_with_prefix(h.svc.db, "round_open", "1@")
        assert [j.due_at for j in nxt] == [FRIDAY_0900 + timedelta(days=7)]

    # Another start the same morning opens nothing again; stopping disarms.
    app, probe = await start_bot(emu, config, clock=FixedClock(FRIDAY_0900 + timedelta(hours=1)))
    async with running(app):
        h = Harness(emu, app, probe, config)
        assert [r.id for r in stored.last_rounds(h.svc.db, 5)] == [1]
        assert "报送计划#1已停止" in await h.text(ADMIN, "/round_schedule 关 1")
        assert schedule.pending_with_prefix(h.svc.db, "round_open", "1@") == []
        assert "计划#1" not in await h.text(ADMIN, "/round_schedule")


@pytest.fixture
async def rorg(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot on a fixed clock with the three units and projects of `world`."""
    async with running_bot(emu, tmp_path, FixedClock(T0)) as h:
        await world(h)
        yield h


def snapshot(h: Harness) -> dict[str, Any]:
    """What the rounds commands write, to show a refused one wrote nothing."""
    out: dict[str, Any] = table_rows(
        h.svc.db,
        "rounds",
        "round_requests",
        "round_reports",
        "round_schedules",
        "progress_entries",
    )
    out["pending"] = [j.ref for j in schedule.pending(h.svc.db)]
    out["outbox"] = [r["key"] for r in h.svc.db.query("SELECT key FROM outbox ORDER BY id")]
    return out


# (user, command, what the answer says): each is refused and changes nothing.
REFUSED = [
    (ADMIN, "/round_new 乱写", "I could not read the deadline 乱写"),
    (ADMIN, "/round_new 1d,1h", "I could not read the deadline"),
    (ADMIN, "/round_new 昨天下午3点", "has already passed"),
    (ADMIN, "/round_new 2027-06-01 17:00", "A round runs at most 60 days"),
    (ADMIN, "/round_new 2d | NOPE-9", "Unknown project NOPE-9"),
    (ADMIN, "/round_new 2d | 重点", "No running project is in that scope"),
    (ADMIN, "/round_new 2d | 科技赋能", "No running project is in that scope"),
    (ADMIN, "/round_schedule weekly xyz 09:00 | 2d", "Usage:"),
    (ADMIN, "/round_schedule weekly fri 09:00", "Usage:"),
    (ADMIN, "/round_schedule weekly fri 09:00 | 乱写", "could not read the deadline"),
    (ADMIN, "/round_schedule off 9", "There is no round schedule #9"),
    (ADMIN, "/round_schedule off", "Usage:"),
    (STAFF, "/report BJ-01 | on track", "No reporting round asks Technology"),
    (STAFF, "/report BJ-01 | | risks only", "Progress this period is required."),
    (STAFF, "/report", "Project code?"),
    (MEMBER, "/report BJ-01 | on track", "needs the staff role"),
    (STAFF, "/round_new 2d", "needs the admin role"),
    (MEMBER, "/compliance 0", "Usage:"),
    (MEMBER, "/round 1 2", "Usage:"),
]


async def test_refused_input_changes_nothing(rorg: Harness) -> None:
    # One bot for every case: a bot per case would cost a third of a second each.
    failures = []
    for user, text, answer in REFUSED:
        before = snapshot(rorg)
        got = await rorg.text(user, text)
        await rorg.send(user, "/cancel")
        if answer not in got or snapshot(rorg) != before:
            failures.append(f"{text!r}: {got[:200]!r}")
    assert failures == []


async def test_report_code_alone_opens_the_form_and_the_text_comes_back_when_refused(
    rorg: Harness,
) -> None:
    assert "No reporting round has been opened yet." in await rorg.text(MEMBER, "/round")
    await rorg.send(ADMIN, "/round_new 2d | BJ-01")
    prompt = await rorg.text(STAFF, "/report ｂｊ－０１")
    assert "Report on BJ-01 for round #1" in prompt and "Progress this period?" in prompt
    assert "Issues and risks?" in await rorg.text(STAFF, "Settled the first trades")
    for answer in ("-", "-"):
        await rorg.send(STAFF, answer)
    reply = await rorg.text(STAFF, "none")
    assert "recorded as entry #1" in reply and "risk" not in reply
    entry = progress.get_entry(rorg.svc.db, 1)
    assert (
        entry is not None and entry.text == "[Round 1 report] Progress: Settled the first trades."
    )
    refused = await rorg.text(STAFF, "/report BJ-01 | again | more")
    assert "already reported on BJ-01 in round #1 (entry #1)" in refused
    assert "<code>/report BJ-01 | again | more</code>" in refused
    assert "already reported" in await rorg.text(STAFF, "/report BJ-01")
