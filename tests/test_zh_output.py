"""Output as a secretariat writes: recurrences and offsets in words, plurals, lists."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.domain.timeparse import parse_recurrence
from bot.i18n import Translator
from bot.render.recurrence import describe_recurrence, duration_words, offsets_words

EN, ZH = Translator().get("en"), Translator().get("zh")
FRIDAY = datetime(2026, 12, 4, 15, 0)  # a local first start: Friday 4 Dec 2026


@pytest.mark.parametrize(
    ("typed", "english", "chinese"),
    [
        ("每周", "every week on Friday", "每周五"),
        ("每两周", "every 2 weeks on Friday", "每两周周五"),
        ("every other week", "every 2 weeks on Friday", "每两周周五"),
        ("每月第二个周二", "every second Tuesday of the month", "每月第二个周二"),
        ("every month on the last fri", "every last Friday of the month", "每月最后一个周五"),
        ("每周一、三", "every week on Monday, Wednesday", "每周一、周三"),
        ("每周一至周五", "every weekday (Monday to Friday)", "每个工作日（周一至周五）"),
        ("每月15日", "every month on day 15", "每月15日"),
        ("每月", "every month on day 4", "每月4日"),
        ("every 3 months on the 1st", "every 3 months on day 1", "每三个月的1日"),
        ("daily", "every day", "每天"),
        ("每年", "every year on 4 December", "每年12月4日"),
        ("每周 共5次", "every week on Friday, 5 times", "每周五，共5次"),
        ("每周 共1次", "every week on Friday, once", "每周五，共1次"),
        (
            "每周 直到2027年6月30日",
            "every week on Friday, until 30 Jun 2027",
            "每周五，至2027年6月30日止",
        ),
    ],
)
def test_recurrence_in_words(typed: str, english: str, chinese: str) -> None:
    rule = parse_recurrence(typed)
    assert describe_recurrence(rule, FRIDAY, EN) == english
    assert describe_recurrence(rule, FRIDAY, ZH) == chinese


@pytest.mark.parametrize("rule", ["FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX", "nonsense", ""])
def test_an_unknown_rule_is_never_shown_raw(rule: str) -> None:
    assert describe_recurrence(rule, FRIDAY, EN) == "repeats regularly"
    assert describe_recurrence(rule, FRIDAY, ZH) == "定期重复"


@pytest.mark.parametrize(
    ("offsets", "english", "chinese"),
    [
        ([timedelta(days=1), timedelta(hours=3)], "1 day, 3 hours", "1天、3小时"),
        ([timedelta(hours=1), timedelta(days=2)], "2 days, 1 hour", "2天、1小时"),
        ([timedelta(hours=1, minutes=30)], "1 hour 30 minutes", "1小时30分钟"),
        ([timedelta(minutes=1)], "1 minute", "1分钟"),
        (
            [timedelta(days=1, hours=12), timedelta(minutes=15)],
            "1 day 12 hours, 15 minutes",
            "1天12小时、15分钟",
        ),
    ],
)
def test_reminder_offsets_in_words(offsets: list[timedelta], english: str, chinese: str) -> None:
    assert offsets_words(offsets, EN) == english
    assert offsets_words(offsets, ZH) == chinese


@pytest.mark.parametrize(
    ("n", "english", "chinese"),
    [
        (1, "1 new risk", "新增风险1项"),
        (0, "0 new risks", "新增风险0项"),
        (3, "3 new risks", "新增风险3项"),
    ],
)
def test_plurals_in_both_languages(n: int, english: str, chinese: str) -> None:
    assert EN.ngettext("{n} new risk", "{n} new risks", n) == english
    assert ZH.ngettext("{n} new risk", "{n} new risks", n) == chinese


def test_units_count_people_in_the_singular() -> None:
    text = "{code} — {name} ({n} person)", "{code} — {name} ({n} people)"
    assert EN.ngettext(*text, 1, code="BJ", name="Beijing") == "BJ — Beijing (1 person)"
    assert ZH.ngettext(*text, 2, code="BJ", name="北京局") == "BJ — 北京局（2人）"


def test_lists_use_the_enumeration_comma_in_chinese() -> None:
    assert EN.join(["a", "b", "c"]) == "a, b, c"
    assert ZH.join(["简报", "会议", "信息公示"]) == "简报、会议、信息公示"


def test_durations_keep_seconds_when_given() -> None:
    assert duration_words(timedelta(hours=1, minutes=59, seconds=57), EN) == (
        "1 hour 59 minutes 57 seconds"
    )
