"""Input as people type it on a Chinese phone: plain functions, literal data, parametrized."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.agenda_rules import read_tags
from bot.domain.keywords import language_word, on_off, role_word, weekday_word
from bot.domain.meeting_times import parse_kind
from bot.domain.normalize import form_answer, split_head, split_list, structural, token
from bot.domain.timeparse import WhenError, check_future, names_a_date, parse_due, parse_when
from bot.i18n import pick_language
from bot.telegram.commands import Call, UsageError, parse_number
from handlers.bulletins import parse_schedule
from storage.bulletins import Schedule
from storage.progress_tags import parse_closes, parse_tags
from storage.projects import parse_stage

SH = ZoneInfo("Asia/Shanghai")
# Monday 2026-11-30 10:00 in Shanghai.
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=SH).astimezone(UTC)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("12", 12), ("１２", 12), ("　１　", 1), ("#12", None), ("1234567890", None), ("x", None)],
)
def test_numbers_typed_full_width(typed: str, number: int | None) -> None:
    assert parse_number(typed) == number


@pytest.mark.parametrize(
    ("typed", "read"),
    [("ＢＥＥＸ", "BEEX"), ("＃３", "#3"), ("＠ｗａｎｇ", "@wang"), ("１６：００", "16:00")],
)
def test_tokens_are_read_through_nfkc(typed: str, read: str) -> None:
    assert token(typed) == read


def test_only_the_bar_is_structural_and_free_text_keeps_its_punctuation() -> None:
    typed = "12｜试点退出规则（征求意见稿），第１版　终稿"
    assert structural(typed) == "12|试点退出规则（征求意见稿），第１版　终稿"


@pytest.mark.parametrize(
    ("typed", "items"),
    [
        ("BEEX，CGS", ["BEEX", "CGS"]),
        ("BEEX、CGS、TECH", ["BEEX", "CGS", "TECH"]),
        ("BEEX, CGS TECH", ["BEEX", "CGS", "TECH"]),
        ("ＢＥＥＸ；ＣＧＳ", ["BEEX", "CGS"]),
        ("简报、会议　信息公示", ["简报", "会议", "信息公示"]),
        ("", []),
    ],
)
def test_lists_split_on_chinese_and_ascii_separators(typed: str, items: list[str]) -> None:
    assert split_list(typed) == items


@pytest.mark.parametrize(
    ("typed", "head", "rest"),
    [
        ("BJ-01　#里程碑 完成（一期）", "BJ-01", "#里程碑 完成（一期）"),
        ("１２ #２ 原则通过", "12", "#２ 原则通过"),
        ("only", "only", ""),
        ("   ", "", ""),
    ],
)
def test_head_splits_at_any_space_and_keeps_the_rest(typed: str, head: str, rest: str) -> None:
    assert split_head(typed) == (head, rest)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [("－", "-"), ("-", "-"), ("　第１项｜附件　", "第１项|附件"), (None, "")],
)
def test_guided_form_answers(typed: str | None, answer: str) -> None:
    assert form_answer(typed) == answer


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("管理员", "admin"),
        ("工作人员", "staff"),
        ("成员", "member"),
        ("无", "none"),
        ("STAFF", "staff"),
        ("ｓｔａｆｆ", "staff"),
        ("boss", None),
    ],
)
def test_role_words(typed: str, role: str | None) -> None:
    assert role_word(typed) == role


@pytest.mark.parametrize(
    ("typed", "value"),
    [("开", True), ("是", True), ("on", True), ("关", False), ("否", False), ("OFF", False)],
)
def test_on_off_words(typed: str, value: bool) -> None:
    assert on_off(typed) is value


@pytest.mark.parametrize(
    ("typed", "lang"),
    [("中文", "zh"), ("zh", "zh"), ("英文", "en"), ("English", "en"), ("fr", None)],
)
def test_language_words(typed: str, lang: str | None) -> None:
    assert language_word(typed) == lang


@pytest.mark.parametrize(
    ("typed", "day"),
    [("周一", 0), ("星期二", 1), ("礼拜三", 2), ("fri", 4), ("Saturday", 5), ("周日", 6)],
)
def test_weekday_words(typed: str, day: int) -> None:
    assert weekday_word(typed) == day


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("weekly fri 16:00 approve", Schedule("weekly", 4, "16:00", True)),
        ("每周 周五 16:00 审批", Schedule("weekly", 4, "16:00", True)),
        ("每周五 １６：００", Schedule("weekly", 4, "16:00", False)),
        ("每周 星期一 9点", Schedule("weekly", 0, "09:00", False)),
        ("每周一 9点半", Schedule("weekly", 0, "09:30", False)),
        ("每月 1日 09:00 审批", Schedule("monthly", 1, "09:00", True)),
        ("每月15号 18:00", Schedule("monthly", 15, "18:00", False)),
        ("monthly 28 23:59", Schedule("monthly", 28, "23:59", False)),
    ],
)
def test_bulletin_schedules_in_both_languages(typed: str, rule: Schedule) -> None:
    assert parse_schedule([token(w) for w in typed.split()]) == rule


@pytest.mark.parametrize(
    "typed", ["每周 周八 16:00", "每月 29日 09:00", "每周五", "每天 16:00", "weekly fri 25:00"]
)
def test_bulletin_schedules_refused(typed: str) -> None:
    with pytest.raises(UsageError):
        parse_schedule(typed.split())


@pytest.mark.parametrize(
    ("text", "tags", "closes"),
    [
        ("＃整改 关闭＃１", ("rectification",), [1]),
        ("#整改 已完成，关闭 #1、#2和#3", ("rectification",), [1, 2, 3]),
        ("#rectification closes #4, #5", ("rectification",), [4, 5]),
        ("＃里程碑 上线 #风险 接口不稳", ("milestone", "risk"), []),
    ],
)
def test_progress_tags_and_closes_read_full_width(
    text: str, tags: tuple[str, ...], closes: list[int]
) -> None:
    assert parse_tags(text) == tags and parse_closes(text) == closes


def test_agenda_tags_read_full_width_and_keep_the_title() -> None:
    tagged = read_tags("试点退出规则（征求意见稿）＃审议 ＃重大")
    assert (tagged.title, tagged.kind, tagged.major) == (
        "试点退出规则（征求意见稿）",
        "deliberation",
        True,
    )


@pytest.mark.parametrize(
    ("text", "day"),
    [("周五", date(2026, 12, 4)), ("明天", date(2026, 12, 1)), ("friday", date(2026, 12, 4))],
)
def test_a_date_without_a_time_says_which_date(text: str, day: date) -> None:
    with pytest.raises(WhenError) as caught:
        parse_when(text, MONDAY, SH)
    assert caught.value.code == "missing_time" and caught.value.day == day


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("昨天下午3点", "2026-11-29 15:00"),
        ("昨晚8点", "2026-11-29 20:00"),
        ("前天 10:00", "2026-11-28 10:00"),
        ("上周五下午3点", "2026-11-27 15:00"),
        ("yesterday 3pm", "2026-11-29 15:00"),
        ("last friday 9am", "2026-11-27 09:00"),
    ],
)
def test_past_times_are_understood_then_refused_as_past(text: str, start: str) -> None:
    when = parse_when(text, MONDAY, SH)
    assert f"{when.start.astimezone(SH):%Y-%m-%d %H:%M}" == start
    with pytest.raises(WhenError) as caught:
        check_future(when, MONDAY)
    assert caught.value.code == "past"


def test_past_due_dates_are_understood() -> None:
    assert parse_due("昨天", MONDAY, SH) == date(2026, 11, 29)
    assert parse_due("下周五", MONDAY, SH) == date(2026, 12, 11)


@pytest.mark.parametrize(
    ("text", "written_out"),
    [
        ("2026-12-04", True),
        ("12月4日", True),
        ("１２月４日", True),
        ("Dec 4", True),
        ("下周五", False),
        ("next friday", False),
        ("3天后", False),
    ],
)
def test_calendar_dates_are_told_from_relative_ones(text: str, written_out: bool) -> None:
    assert names_a_date(text) is written_out


@pytest.mark.parametrize(
    ("code", "lang"),
    [
        ("zh", "zh"),
        ("zh-hans", "zh"),
        ("zh-hant", "zh"),
        ("zh-CN", "zh"),
        ("zh-TW", "zh"),
        ("zh-hk", "zh"),
        ("zh_CN", "zh"),
        ("en-GB", "en"),
        ("fr", "en"),
        (None, "en"),
    ],
)
def test_private_chats_follow_the_telegram_language(code: str | None, lang: str) -> None:
    assert pick_language(None, True, code, "en") == lang
    assert pick_language(None, False, code, "en") == "en"  # groups use their own setting
    assert pick_language("en", True, code, "zh") == "en"  # /lang wins


def test_call_fields_keep_free_text_and_read_the_rest() -> None:
    call = Call.__new__(Call)  # only the argument helpers are exercised
    call.args = structural("１２ ｜ 试点（一期），启动 ｜ Ｐ－００７ ｜ ２０")
    assert call.fields(2, 4, free={1}) == ["12", "试点（一期），启动", "P-007", "20"]
    call.args = "３　ＢＥＥＸ"
    assert call.words() == ["3", "BEEX"]


@pytest.mark.parametrize(
    ("typed", "stage"),
    [("完成退出", "exited"), ("主动退出", "exited"), ("ＲＵＮＮＩＮＧ", "running")],
)
def test_stage_names_as_the_programme_writes_them(typed: str, stage: str) -> None:
    assert parse_stage(typed) == stage


@pytest.mark.parametrize(
    ("typed", "kind"), [("ｊｏｉｎｔ", "joint"), ("专业评估会", "evaluation")]
)
def test_meeting_kinds_typed_full_width(typed: str, kind: str) -> None:
    assert parse_kind(typed) == kind
