"""Typed as Chinese users type, end to end through the emulator: full-width forms, Chinese
keywords, lists with 、 and ，, errors that say what was understood, nothing typed lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.devtools.emulator import Emulator
from bot.services import meeting_reads as meetings
from storage import actions, bulletins, chats, evaluations, people, progress
from tests.support.harness import ADMIN, GROUP, MEMBER, STAFF, Harness, running_bot, setup_org

# Monday 1 March 2027, 10:00 in Shanghai (after the real clock: only fire_due() fires).
T0 = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture
async def zh(emu: Emulator, tmp_path: Path) -> AsyncIterator[Harness]:
    """The organised bot on a fixed clock; the admin's and staff's private chats in Chinese."""
    async with running_bot(emu, tmp_path, FixedClock(T0)) as h:
        await setup_org(h)
        await h.send(ADMIN, "/lang 中文")
        await h.send(STAFF, "/lang 中文")
        yield h


async def test_lists_take_chinese_separators_and_full_width_codes(zh: Harness) -> None:
    await zh.send(ADMIN, "/unit_add BEEX ｜ 北京证券交易所")
    await zh.send(ADMIN, "/unit_add CGS｜中国结算")
    await zh.send(ADMIN, "/meeting_new 联席会议｜2027-03-10 14:00｜季度会")
    reply = await zh.text(ADMIN, "/invite １　BEEX，CGS")
    assert "北京证券交易所（BEEX）、中国结算（CGS）" in reply and "未知单位" not in reply
    assert meetings.get_meeting(zh.svc.db, 1, T0).invited == ("BEEX", "CGS")  # type: ignore[union-attr]
    reply = await zh.text(ADMIN, "/invite 1 ＴＥＣＨ、ｂｊ")
    assert sorted(meetings.get_meeting(zh.svc.db, 1, T0).invited) == ["BJ", "TECH"]  # type: ignore[union-attr]
    assert "未知单位：NOPE" in await zh.text(ADMIN, "/invite 1 TECH，NOPE")
    assert "全部单位" in await zh.text(ADMIN, "/invite 1 全部")


async def test_free_text_keeps_its_full_width_punctuation(zh: Harness) -> None:
    title = "试点退出规则（征求意见稿），第１版"
    await zh.send(
        ADMIN, f"/meeting_new 联席会议｜２０２７-０３-１０　１４：００｜{title}｜３０１会议室"
    )
    meeting = meetings.get_meeting(zh.svc.db, 1, T0)
    assert meeting is not None and meeting.title == title and meeting.place == "３０１会议室"
    reply = await zh.text(ADMIN, "/meeting １")
    assert f"#1 联席会议：{title}" in reply
    # The ideographic space of a Chinese keyboard ends the command like a space.
    assert f"#1 联席会议：{title}" in await zh.text(ADMIN, "/meeting　＃１")
    assert "已取消" in await zh.text(ADMIN, "/meeting_cancel　１")
    await zh.send(ADMIN, "/project_add BJ-09 ｜ 养老（二期），试点 ｜ 公共服务 ｜ 示例银行")
    await zh.send(ADMIN, "/follow BJ-09 TECH")
    await zh.send(STAFF, "/progress ＢＪ－０９　＃里程碑 完成对接（一期），进入试运行")
    entry = progress.get_entry(zh.svc.db, 1)
    assert entry is not None and entry.tags == ("milestone",)
    assert entry.text == "＃里程碑 完成对接（一期），进入试运行"


async def test_guided_form_answers_typed_full_width(zh: Harness) -> None:
    assert "单位代码" in await zh.text(ADMIN, "/unit_add")
    assert "单位名称" in await zh.text(ADMIN, "ＸＹＺ")
    assert "已添加单位XYZ（测试单位（一）/分部）" in await zh.text(ADMIN, "测试单位（一）｜分部")
    await zh.send(ADMIN, "/project_add")
    for answer in ("BJ-07", "数据（试点）", "技术创新", "示例证券", "－", "－"):
        reply = await zh.text(ADMIN, answer)
    assert "项目BJ-07（数据（试点））已登记" in reply


async def test_keywords_have_chinese_twins(zh: Harness) -> None:
    db = zh.svc.db
    assert "Otto现为Beijing Bureau（BJ）成员。" in await zh.text(ADMIN, "/role 4 成员 BJ")
    assert people.get_person(db, 4).role == "member"  # type: ignore[union-attr]
    await zh.send(ADMIN, "/role ４ 无")
    assert people.get_person(db, 4).role == "none"  # type: ignore[union-attr]
    await zh.send(ADMIN, "/evaluator @mei 开")
    assert evaluations.is_evaluator(db, MEMBER)
    await zh.send(ADMIN, "/evaluator @mei 关")
    assert not evaluations.is_evaluator(db, MEMBER)
    await zh.send(ADMIN, "/subscribe 简报、会议", chat=GROUP)
    await zh.send(ADMIN, "/unsubscribe 信息公示", chat=GROUP)
    assert chats.topics_of(db, GROUP) == ["bulletins", "meetings"]
    assert "简报" in await zh.text(ADMIN, "/bulletin_schedule 每周五 １６：００ 审批")
    rule = bulletins.get_schedule(db)
    assert rule is not None and (rule.freq, rule.day, rule.at, rule.approve) == (
        "weekly",
        4,
        "16:00",
        True,
    )
    assert "定时简报已关闭" in await zh.text(ADMIN, "/bulletin_schedule 关")
    assert bulletins.get_schedule(db) is None
    await zh.send(ADMIN, "/project_add BJ-01 ｜ 平台 ｜ 技术创新 ｜ 示例证券")
    assert "<b>技术创新</b>" in await zh.text(ADMIN, "/projects 分类")
    assert "<b>征集</b>" in await zh.text(ADMIN, "/projects 阶段")


async def test_language_by_chinese_name(zh: Harness) -> None:
    assert "This chat now uses English." in await zh.text(ADMIN, "/lang 英文")
    assert "本聊天现在使用中文。" in await zh.text(ADMIN, "/lang 中文")
    assert "用法：/lang 中文|英文" in await zh.text(ADMIN, "/lang 法文")


async def test_cancel_scopes_in_chinese(zh: Harness) -> None:
    await zh.send(ADMIN, "/meeting_new 协调小组会议｜2027-03-02 10:00｜月度会｜｜每两周")
    assert "“本次”" in await zh.text(ADMIN, "/meeting_cancel 1")
    assert "本次会议已取消" in await zh.text(ADMIN, "/meeting_cancel 1 本次 ｜ 与全体会议合并")
    assert "该系列会议已全部取消" in await zh.text(ADMIN, "/meeting_cancel 1 全部")
    assert meetings.get_meeting(zh.svc.db, 1, T0).cancelled  # type: ignore[union-attr]


async def test_times_say_what_was_understood(zh: Harness) -> None:
    reply = await zh.text(ADMIN, "/meeting_new 联席会议｜昨天下午3点｜补开")
    assert "该时间已经过去：2027年2月28日 周日 15:00" in reply and "无法识别" not in reply
    reply = await zh.text(ADMIN, "/meeting_new 联席会议｜周五｜周例会")
    assert "已识别为2027年3月5日 周五" in reply and "例如：周五下午3点" in reply
    reply = await zh.text(ADMIN, "/meeting_new 联席会议｜下周五｜周例会")
    assert "例如：下周五下午3点" in reply
    await zh.send(ADMIN, "/lang 英文")
    assert "e.g. friday 3pm" in await zh.text(ADMIN, "/meeting_new joint | friday | Weekly")
    assert not list(zh.svc.db.query("SELECT id FROM meetings"))


async def test_closing_a_risk_that_is_not_open_lists_the_open_ones_and_gives_text_back(
    zh: Harness,
) -> None:
    await zh.send(ADMIN, "/project_add BJ-01 ｜ 平台 ｜ 技术创新 ｜ 示例证券")
    await zh.send(ADMIN, "/follow BJ-01 TECH")
    await zh.send(STAFF, "/progress BJ-01 #里程碑 上线")
    await zh.send(STAFF, "/progress BJ-01 #风险 数据接口不稳定")
    typed = "/progress BJ-01 #整改 接口已修复（临时方案），关闭 #1"
    reply = await zh.text(STAFF, typed)
    assert "#1不是BJ-01未关闭的风险。" in reply
    assert "BJ-01未关闭的风险：\n#2 #风险 数据接口不稳定" in reply
    assert f"<code>{typed}</code>" in reply
    assert progress.get_entry(zh.svc.db, 3) is None
    await zh.send(STAFF, "/progress BJ-01 #整改 接口已修复，关闭 #2")
    assert "BJ-01目前没有未关闭的风险。" in await zh.text(STAFF, "/progress BJ-01 #整改 关闭 #2")


async def test_an_action_due_before_its_meeting_is_asked_back(zh: Harness) -> None:
    await zh.send(ADMIN, "/meeting_new 联席会议｜2027-03-10 14:00｜季度会")
    reply = await zh.text(ADMIN, "/action 1 BJ ｜ 本周五 ｜ 会前报送材料")
    assert "“本周五”即2027年3月5日 周五" in reply and "（#1，2027年3月10日 周三）" in reply
    assert "<code>/action 1 BJ | 2027-03-05 | 会前报送材料</code>" in reply
    assert actions.open_actions(zh.svc.db) == []
    reply = await zh.text(ADMIN, "/action 1 BJ | 2027-03-05 | 会前报送材料")
    assert (
        "已记录督办事项" in reply and "期限不晚于该事项所出自的会议（2027年3月10日 周三）" in reply
    )
    reply = await zh.text(ADMIN, "/action 1 待定 ｜ 下周五 ｜ 会后报送纪要")
    assert "待定责任方" in reply and "期限2027年3月12日 周五" in reply
    assert "期限不晚于" not in reply
    assert len(actions.open_actions(zh.svc.db)) == 2


async def test_a_private_chat_follows_the_telegram_language(emu: Emulator, tmp_path: Path) -> None:
    emu.add_user(21, "Lin", language_code="zh-hant")
    emu.add_user(22, "Chen", language_code="zh-TW")
    emu.add_user(23, "Kim", language_code="en-GB")
    async with running_bot(emu, tmp_path) as h:
        assert "秘书处助手" in await h.text(21, "/start")
        assert "秘书处助手" in await h.text(22, "/start")
        assert "secretariat assistant" in await h.text(23, "/start")
        await h.send(21, "/lang 英文")
        assert "secretariat assistant" in await h.text(21, "/start")
        assert "secretariat assistant" in await h.text(ADMIN, "/start")
        assert "请在群聊中使用此命令。" in await h.text(22, "/subscribe")
