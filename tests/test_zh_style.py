"""Chinese house style, checked on every catalog string and on every reply the bot gives.

The second test drives every command (with good, bad and no arguments), the RSVP and
approval buttons and the scheduled jobs through the emulator in chats that speak Chinese,
with Chinese names and titles as a Chinese secretariat would type them, collects every
message the bot sent or queued, and lints each (tests/support/zh_lint.py): full-width punctuation
next to Chinese, no space before or after it, no English left over, no raw RRULE.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.i18n import LOCALES_DIR
from bot.telegram.registry import all_commands
from tests.support.harness import Harness, running_bot
from tests.support.zh_lint import style_problems

ADMIN, STAFF, MEMBER, OUTSIDER, STAFF2 = 1, 2, 3, 4, 5
GROUP = -1001
# Monday 1 March 2027, 10:00 in Shanghai: after the real clock, so only fire_due() fires.
T0 = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


def test_every_chinese_catalog_string_follows_house_style() -> None:
    found = []
    for path in sorted((LOCALES_DIR / "zh").glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale="zh")
        for message in catalog:
            if not message.id or not message.string:
                continue
            strings = message.string
            forms = [strings] if isinstance(strings, str) else [str(s) for s in strings]
            for text in forms:
                found += [f"{path.name}: {text!r}: {p}" for p in style_problems(text, True)]
    assert found == []


@pytest.fixture
async def zh_emu() -> AsyncIterator[Emulator]:
    """An emulator with a Chinese cast and a Chinese group title."""
    emulator = Emulator()
    await emulator.start()
    emulator.add_user(ADMIN, "王伟", username="wang")
    emulator.add_user(STAFF, "李娜", username="lina")
    emulator.add_user(MEMBER, "张敏", username="zhang")
    emulator.add_user(OUTSIDER, "赵强", username="zhao")
    emulator.add_user(STAFF2, "刘洋", username="liu")
    emulator.add_group(GROUP, "试点协调群", members=[1, 2, 3, 4, 5], admins=[ADMIN])
    yield emulator
    await emulator.stop()


# (user, chat or None for private, text). Free text is written as a Chinese user writes it.
SCRIPT: list[tuple[int, int | None, str]] = [
    (ADMIN, None, "/start"),
    (STAFF, None, "/start"),
    (MEMBER, None, "/start"),
    (OUTSIDER, None, "/start"),
    (STAFF2, None, "/start"),
    (ADMIN, None, "/unit_add TECH ｜ 科技监管局"),
    (ADMIN, None, "/unit_add BJ｜北京监管局"),
    (ADMIN, None, "/unit_add TECH ｜ 重复登记"),
    (ADMIN, None, "/unit_add 坏代码！ ｜ 名称"),
    (ADMIN, None, "/role @lina 工作人员 TECH"),
    (ADMIN, None, "/role 3 成员 BJ"),
    (ADMIN, None, "/role ５ 工作人员 BJ"),
    (ADMIN, None, "/role @nobody 成员"),
    (ADMIN, None, "/role 2 工作人员"),
    (ADMIN, GROUP, "/subscribe"),
    (ADMIN, GROUP, "/unsubscribe 信息公示"),
    (ADMIN, None, "/holiday_set 2027-02-05..2027-02-11 休 春节"),
    (ADMIN, None, "/holiday_set 2027年2月14日 班 春节调休"),
    (ADMIN, None, "/holiday_set 2027-13-01 休"),
    (MEMBER, None, "/holidays 2027"),
    (MEMBER, None, "/holidays 明年"),
    (MEMBER, None, "/holidays 2035"),
    (ADMIN, GROUP, "/subscribe 简报、会议，信息公示"),
    (ADMIN, GROUP, "/subscribe 通知"),
    (ADMIN, None, "/help"),
    (MEMBER, None, "/help"),
    (ADMIN, None, "/help meeting_new"),
    (ADMIN, None, "/help 不存在"),
    (STAFF, None, "/whoami"),
    (ADMIN, None, "/units"),
    (ADMIN, None, "/members"),
    (ADMIN, None, "/project_add BJ-01｜供应链金融平台｜技术创新｜示例证券｜第一批｜北京"),
    (ADMIN, None, "/project_add BJ-02 ｜ 养老金服务 ｜ 公共服务 ｜ 示例银行"),
    (ADMIN, None, "/project_add BJ-03 ｜ 智能投顾（二期） ｜ 科技赋能 ｜ 示例基金"),
    (ADMIN, None, "/project_add 坏！ ｜ 名称 ｜ 技术创新 ｜ 机构"),
    (ADMIN, None, "/project_add BJ-09 ｜ 名称 ｜ 其他类 ｜ 机构"),
    (ADMIN, None, "/project_add BJ-01 ｜ 重复 ｜ 技术创新 ｜ 机构"),
    (ADMIN, None, "/follow BJ-01 TECH"),
    (ADMIN, None, "/follow BJ-02 BJ"),
    (ADMIN, None, "/follow BJ-01"),
    (ADMIN, None, "/follow BJ-01 无此单位"),
    (ADMIN, None, "/unfollow BJ-02 BJ"),
    (ADMIN, None, "/unfollow BJ-02 BJ"),
    (ADMIN, None, "/follow BJ-02 BJ"),
    (ADMIN, None, "/stage BJ-01 试点运行"),
    (ADMIN, None, "/stage BJ-03 遴选"),
    (ADMIN, None, "/stage BJ-03 专业评估"),
    (ADMIN, None, "/stage BJ-01 征集"),
    (ADMIN, None, "/stage BJ-01 乱写"),
    (ADMIN, None, "/project_edit BJ-02｜申报机构｜示例银行股份有限公司"),
    (ADMIN, None, "/project_edit BJ-02｜颜色｜红"),
    (ADMIN, None, "/project_history BJ-02"),
    (ADMIN, None, "/tier BJ-01 重点｜综合评估发现风险敞口较大"),
    (ADMIN, None, "/tier BJ-01 常规"),
    (ADMIN, None, "/tier BJ-01 乱写｜理由"),
    (ADMIN, None, "/projects 分级"),
    (ADMIN, None, "/stage BJ-02 退出"),
    (ADMIN, None, "/stage BJ-02 退出｜完成退出"),
    (ADMIN, None, "/cancel"),
    (ADMIN, None, "/stage BJ-02 终止"),
    (ADMIN, None, "/cancel"),
    (ADMIN, None, "/project_exit BJ-02｜乱写｜评估"),
    (ADMIN, None, "/project_exit 无此项目｜完成退出｜评估"),
    (STAFF, None, "/change BJ-01｜上线时间调整至3月｜清算接口需重新测试"),
    (STAFF, None, "/change BJ-01｜只有变更内容"),
    (ADMIN, None, "/change_reject 1"),
    (ADMIN, None, "/change_approve 1"),
    (ADMIN, None, "/change_approve 1"),
    (STAFF, None, "/changes BJ-01"),
    (ADMIN, None, "/project BJ-01"),
    (ADMIN, None, "/record_add BJ-01｜退出报告迟报两个月"),
    (ADMIN, None, "/record_add BJ-01｜"),
    (ADMIN, None, "/record BJ-01"),
    (ADMIN, None, "/record 无此机构"),
    (ADMIN, None, "/record BJ-01 近30天 第1页"),
    (ADMIN, None, "/record 示例证券 自2030-01-01起"),
    (ADMIN, None, "/record BJ-01 自2026-13-45"),
    (STAFF, None, "/progress BJ-01 #里程碑 首笔交易完成结算（试运行）"),
    (STAFF, None, "/progress BJ-01 #风险 数据接口不稳定，需协调"),
    (STAFF, None, "/progress BJ-01 #整改 关闭 #1"),
    (STAFF, None, "/progress BJ-01 关闭 #2"),
    (STAFF, None, "/progress BJ-01 #整改 接口已修复，关闭 #2"),
    (STAFF, None, "/progress BJ-02 #里程碑 无权报送"),
    (ADMIN, None, "/progress BJ-02 #重大 项目完成阶段性目标"),
    (STAFF, None, "/progress_edit 1 #里程碑 首笔交易完成结算"),
    (ADMIN, None, "/progress BJ-02 待撤回"),
    (ADMIN, None, "/progress_undo 5"),
    (STAFF, None, "/progress_undo 4"),
    (ADMIN, None, "/round_new 2天"),
    (ADMIN, None, "/round_new 周五17:00 ｜ 重点"),
    (ADMIN, None, "/round_new 乱写"),
    (STAFF, None, "/report BJ-01"),
    (STAFF, None, "完成首笔交易结算。"),
    (STAFF, None, "数据接口偶有超时"),
    (STAFF, None, "－"),
    (STAFF, None, "跨部门数据共享需协调"),
    (STAFF2, None, "/report BJ-01 ｜ 无权报送"),
    (STAFF, None, "/report BJ-01 ｜ 重复报送"),
    (ADMIN, None, "/round"),
    (MEMBER, None, "/compliance"),
    (ADMIN, None, "/round_schedule 每周一 9:00 ｜ 周五17:00 ｜ 技术创新"),
    (ADMIN, None, "/round_schedule 每月1日 9:00 ｜ 3天"),
    (ADMIN, None, "/round_schedule"),
    (ADMIN, None, "/round_schedule 关 1"),
    (ADMIN, None, "/project BJ-01"),
    (ADMIN, None, "/projects"),
    (ADMIN, None, "/projects 分类"),
    (ADMIN, None, "/projects 试点运行"),
    (ADMIN, None, "/projects 乱写"),
    (ADMIN, None, "/evaluator @zhang 开"),
    (ADMIN, None, "/evaluator @zhang 关"),
    (ADMIN, None, "/evaluator @zhang 关"),
    (ADMIN, None, "/evaluator @zhang 开"),
    (ADMIN, None, "/panel BJ-03"),
    (ADMIN, None, "/panel BJ-02 @zhang @liu"),
    (ADMIN, None, "/panel BJ-03 @zhang @wang"),
    (ADMIN, None, "/panel BJ-03 意见 开"),
    (ADMIN, None, "/panel BJ-03 意见 乱写"),
    (MEMBER, None, "/evaluate BJ-03 ｜ ４ ｜ 5 ｜ 3 ｜ 4 ｜ 投资者保护措施清晰"),
    (MEMBER, None, "/evaluate BJ-03 ｜ 4 ｜ 5 ｜ 3 ｜ 4"),
    (MEMBER, None, "/evaluate BJ-03 ｜ 9 ｜ 5 ｜ 3 ｜ 4"),
    (MEMBER, None, "/evaluation BJ-03"),
    (ADMIN, None, "/evaluation BJ-03"),
    (ADMIN, None, "/panel BJ-03"),
    (ADMIN, None, "/evaluation_close BJ-03"),
    (ADMIN, None, "/call_new 第二批试点项目征集 ｜ 2027年3月20日"),
    (ADMIN, None, "/call_new 已过期 ｜ 2027-02-01"),
    (ADMIN, None, "/call_new 乱写 ｜ 某天"),
    (STAFF, None, "/calls"),
    (STAFF, None, "/apply 1 ｜ 债券交易风险监测 ｜ 技术创新 ｜ 示例证券 ｜ 李娜138 ｜ 实时监测"),
    (STAFF, None, "/apply 9 ｜ 名称 ｜ 技术创新 ｜ 机构 ｜ 联系人 ｜ 简介"),
    (STAFF, None, "/apply 1 ｜ 名称 ｜ 其他类 ｜ 机构 ｜ 联系人 ｜ 简介"),
    (STAFF, None, "/apply_file 1"),
    (STAFF2, None, "/apply 1 ｜ 养老金账户互联 ｜ 公共服务 ｜ 示例银行 ｜ 刘洋139 ｜ 互联互通"),
    (ADMIN, None, "/applications"),
    (ADMIN, None, "/applications 1"),
    (ADMIN, None, "/application 1"),
    (ADMIN, None, "/application_accept 1 BJ-17"),
    (ADMIN, None, "/application_accept 1 BJ-18"),
    (ADMIN, None, "/application_reject 2 ｜ 不属于本次试点范围"),
    (ADMIN, None, "/application 2"),
    (ADMIN, None, "/application 9"),
    (STAFF, None, "/bulletin"),
    (ADMIN, None, "/bulletin_publish"),
    (ADMIN, None, "/bulletin_publish"),
    (ADMIN, None, "/bulletins"),
    (ADMIN, None, "/bulletin_show 2027年第1期"),
    (ADMIN, None, "/bulletin_show 2027年第9期"),
    (ADMIN, None, "/bulletin_export 2027/1 md"),
    (ADMIN, None, "/bulletin_schedule 每周五 16:00 审批"),
    (ADMIN, None, "/bulletin_schedule 关"),
    (ADMIN, None, "/meeting_new 联席会议 ｜ 2027-03-10 14:00 ｜ 第一季度联席会议 ｜ 301会议室"),
    (ADMIN, None, "/meeting_new 协调小组会议 ｜ 明天上午10点 ｜ 月度会 ｜ ｜ 每两周"),
    (ADMIN, None, "/meeting_new 协调小组会议 ｜ 2027-04-20 10:00 ｜ 专题会 ｜ ｜ 每月第二个周二"),
    (ADMIN, None, "/meeting_new 联席会议 ｜ 周五 ｜ 缺少时间"),
    (ADMIN, None, "/meeting_new 联席会议 ｜ 昨天下午3点 ｜ 已过去"),
    (ADMIN, None, "/meeting_new 茶话会 ｜ 2027-03-10 14:00 ｜ 类型不对"),
    (ADMIN, None, "/meeting_new 联席会议 ｜ 乱写的时间 ｜ 看不懂"),
    (ADMIN, None, "/meeting_new 联席会议 ｜ 2027-03-12 14:00 ｜ 重复规则不对 ｜ ｜ 偶尔"),
    (ADMIN, None, "/invite 1 TECH，BJ"),
    (ADMIN, None, "/invite 1 无此单位、TECH"),
    (ADMIN, None, "/meeting_move 2 ｜ 2027-03-03 09:00"),
    (ADMIN, None, "/meeting_move 2 2027年3月17日 ｜ 2027-03-18 09:00"),
    (ADMIN, None, "/meeting_move 2 2027-03-04 ｜ 2027-03-18 09:00"),
    (ADMIN, None, "/meeting_move 2 乱写 ｜ 2027-03-18 09:00"),
    (ADMIN, None, "/meetings"),
    (MEMBER, GROUP, "/meeting 1"),
    (STAFF2, None, "/delegate 1 王芳"),
    (STAFF2, None, "/delegate 1 2027-03-11 王芳"),
    (ADMIN, None, "/meeting １"),
    (ADMIN, None, "/meeting 2"),
    (ADMIN, None, "/meeting 99"),
    (ADMIN, None, "/remind 1 2天、3小时"),
    (ADMIN, None, "/remind 1 关"),
    (ADMIN, None, "/remind 1 很快"),
    (ADMIN, None, "/remind 1"),
    (ADMIN, None, "/ics 1"),
    (ADMIN, None, "/meeting_cancel 2"),
    (ADMIN, None, "/meeting_cancel 2 本次 ｜ 与全体会议合并"),
    (ADMIN, None, "/meeting_cancel 2 3月31日 ｜ 调整安排"),
    (ADMIN, None, "/meeting_cancel 2 2027年3月31日"),
    (ADMIN, None, "/meeting_cancel 3 全部 ｜ 改为线下"),
    (STAFF, None, "/agenda_add 1 ｜ 试点退出规则（征求意见稿）#审议 #重大 ｜ BJ-01 ｜ 30"),
    (STAFF2, None, "/agenda_add 1 ｜ 跨境数据试点 #研究 ｜ ｜ 110"),
    (STAFF2, None, "/agenda_add 1 ｜ 无此项目 ｜ NOPE-1"),
    (ADMIN, None, "/agenda 1"),
    (ADMIN, None, "/agenda_move 1 2 1"),
    (ADMIN, None, "/agenda_move 1 2 9"),
    (ADMIN, None, "/agenda_drop 1 1 ｜ 已在简报中通报"),
    (ADMIN, None, "/agenda_lock 1"),
    (STAFF, None, "/agenda_add 1 ｜ 锁定后提交"),
    (ADMIN, None, "/agenda_publish 1"),
    (ADMIN, None, "/agenda_publish 1"),
    (ADMIN, None, "/agenda_add 1 ｜ 补充议题 #通报"),
    (ADMIN, None, "/secretariat TECH"),
    (ADMIN, None, "/secretariat 无"),
    (ADMIN, None, "/secretariat TECH"),
    (STAFF2, None, "/present 1 TECH"),
    (ADMIN, None, "/action 1 BJ ｜ 下周五 ｜ 会后报送材料"),
    (ADMIN, None, "/action 1 BJ ｜ 本周五 ｜ 会前报送材料"),
    (ADMIN, None, "/action 1 BJ ｜ 2027-03-05 ｜ 会前报送材料"),
    (STAFF, GROUP, "/vote 1 #1 ｜ 是否原则通过试点退出规则？"),
    (STAFF, None, "/vote_cast 1 ＃1 赞成"),
    (STAFF2, None, "/vote_cast 1 #1 反对"),
    (MEMBER, None, "/vote_cast 1 #1 弃权"),
    (ADMIN, None, "/vote_cast 1 #1 同意"),
    (ADMIN, None, "/vote_cast 1 #1 也许"),
    (STAFF2, None, "/vote_close 1 #1"),
    (ADMIN, None, "/vote 1 #2"),
    (ADMIN, None, "/vote 1 #9"),
    (ADMIN, GROUP, "/meeting_poll 联席会议 ｜ 二季度联席会议 ｜ 3月16日下午2点 ｜ 下周三下午3点"),
    (ADMIN, None, "/meeting_poll 工作组会议 ｜ 数据专题研究 ｜ 4月6日下午2点 ｜ 4月7日上午10点"),
    (ADMIN, None, "/meeting_poll 联席会议 ｜ 时间重复 ｜ 2027-03-16 14:00 ｜ 2027年3月16日 14:00"),
    (ADMIN, None, "/meeting_poll 联席会议 ｜ 已过去 ｜ 2027-03-16 14:00 ｜ 昨天下午3点"),
    (ADMIN, None, "/meeting_poll_close 9"),
]
# The clock moves to the meeting, then the minutes are taken.
AFTER_MEETING: list[tuple[int, int | None, str]] = [
    (STAFF, None, "/present 1 TECH、BJ"),
    (STAFF, None, "/present 1 TECH 无此单位"),
    (STAFF, None, "/decision 1 #1 原则通过退出规则，请北京监管局牵头修订。"),
    (STAFF, None, "/decision 1 下次会议于四月召开。"),
    (STAFF, None, "/action 1 #1 BJ ｜ 2027-03-20 ｜ 报送修订后的退出规则"),
    (STAFF, None, "/action 1 待定 ｜ 下周五 ｜ 落实会场"),
    (STAFF, None, "/action 1 @zhang ｜ 昨天 ｜ 已过期限"),
    (STAFF, None, "/action 1 @nobody ｜ 下周五 ｜ 无此人"),
    (STAFF, None, "/action 1 无此单位 ｜ 下周五 ｜ 无此单位"),
    (ADMIN, None, "/minutes_publish 1"),
    (STAFF, None, "/vote_close 1 #1"),
    (ADMIN, None, "/vote_close 1 ＃2"),
    (ADMIN, None, "/vote_close 1 #2"),
    (ADMIN, None, "/meeting_poll_close 1 1"),
    (ADMIN, None, "/meeting_poll_close 1"),
    (ADMIN, None, "/meeting_poll_close 1"),
    (ADMIN, None, "/minutes 1"),
    (ADMIN, None, "/minutes_publish 1"),
    (ADMIN, None, "/minutes_publish 1"),
    (STAFF, None, "/minutes_correct 1 第1项由北京监管局牵头。"),
    (ADMIN, None, "/minutes_export 1 md"),
    (MEMBER, None, "/search 结算"),
    (MEMBER, None, "/search 数据接口"),
    (MEMBER, None, "/search 无此内容"),
    (MEMBER, None, "/search 北京监管局牵头"),
    (MEMBER, None, "/files BJ-01"),
    (MEMBER, None, "/files 无此项目"),
    (STAFF, None, "/dossier BJ-01 md"),
    (STAFF, None, "/dossier BJ-01 乱写"),
    (ADMIN, None, "/audit BJ-01"),
    (ADMIN, None, "/audit @sam"),
    (ADMIN, None, "/audit 7"),
    (ADMIN, None, "/audit @无此人"),
    (ADMIN, None, "/actions"),
    (STAFF2, None, "/actions 我的"),
    (ADMIN, None, "/actions 逾期"),
    (ADMIN, None, "/actions 全部"),
    (ADMIN, None, "/actions BJ"),
    (ADMIN, None, "/actions 无此单位"),
    (MEMBER, None, "/done 1"),
    (STAFF2, None, "/done Ａ１ ｜ 已报送"),
    (STAFF2, None, "/done 1"),
    (ADMIN, None, "/done 99"),
    (ADMIN, None, "/calendar"),
    (ADMIN, None, "/calendar 重置"),
    (ADMIN, None, "/dashboard"),
    (STAFF, None, "/stats"),
    (ADMIN, None, "/lang 中文"),
    (ADMIN, None, "/cancel"),
]


def sent_texts(emu: Emulator) -> list[str]:
    """Every text the bot put in front of a person: messages, edits, captions, toasts."""
    out = []
    for call in emu.calls():
        if call.method in ("sendMessage", "editMessageText"):
            out.append(str(call.params.get("text") or ""))
        elif call.method == "sendDocument":
            out.append(str(call.params.get("caption") or ""))
        elif call.method == "answerCallbackQuery":
            out.append(str(call.params.get("text") or ""))
    return [t for t in out if t]


async def run(h: Harness, script: list[tuple[int, int | None, str]]) -> None:
    for user, chat, text in script:
        await h.send(user, text, chat)


async def press_buttons(h: Harness) -> None:
    """RSVP on a card in the group, and approve a scheduled bulletin."""
    for call in h.emu.calls("sendMessage", GROUP):
        rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        if rows and call.ok:
            first = rows[0][0]["callback_data"]
            await h.press(MEMBER, GROUP, call.result["message_id"], first)
            break


@pytest.mark.slow(1)
async def test_every_reply_in_a_chinese_chat_follows_house_style(
    zh_emu: Emulator, tmp_path: Path
) -> None:
    clock = FixedClock(T0)
    async with running_bot(zh_emu, tmp_path, clock, locale="zh") as h:
        await run(h, SCRIPT)
        await press_buttons(h)
        clock.set(datetime(2027, 3, 10, 7, 0, tzinfo=UTC))  # 15:00 on the meeting day
        await run(h, AFTER_MEETING)
        await h.send(ADMIN, "/bulletin_schedule 每周五 16:00 审批")
        for days in (1, 5, 9, 12, 16, 30):  # reminders, due-soon, overdue, digests, bulletin
            clock.set(datetime(2027, 3, 10, 7, 0, tzinfo=UTC) + timedelta(days=days))
            h.svc.scheduler.fire_due()
        await bare_and_garbled(h)
        texts = sent_texts(zh_emu) + [r["text"] for r in h.svc.db.query("SELECT text FROM outbox")]
        exercised = {t.split()[0][1:] for _u, _c, t in SCRIPT + AFTER_MEETING}
    missing = {spec.name for spec in all_commands()} - exercised
    assert missing == set(), f"add these commands to the sample: {sorted(missing)}"
    assert len(texts) > 250
    found = [f"{p}\n    in: {t[:300]!r}" for t in texts for p in style_problems(t)]
    assert found == [], "\n".join(found[:40])


async def bare_and_garbled(h: Harness) -> None:
    """Each command with no arguments (its form's first question, or usage) and with
    arguments it cannot read (usage and example), each in Chinese."""
    for spec in all_commands():
        await h.send(ADMIN, f"/{spec.name}")
        await h.send(ADMIN, "/cancel")
        await h.send(ADMIN, f"/{spec.name} 乱写 一通 ｜ 再写")


def test_lint_catches_what_it_should() -> None:
    bad: dict[str, Any] = {
        "会议纪要 （2026）第3号": "space next to full-width",
        "出席单位: TECH": "ASCII punctuation",
        "已取消(本次)": "ASCII punctuation",
        "提醒：提前 1d,1h before": "English word",
        "重复：FREQ=WEEKLY": "FREQ",
    }
    for text, kind in bad.items():
        assert any(kind.split()[0] in p for p in style_problems(text)), text
    good = "科技监管局（TECH）已关注BJ-01。发送 /help 查看；@wang 已读 https://example.org/a"
    assert style_problems(good) == []
