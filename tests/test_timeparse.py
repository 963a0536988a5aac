"""Tests for bot.timeparse: when, due dates, recurrences and reminder offsets."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.timeparse import (
    OffsetError,
    RecurrenceError,
    When,
    WhenError,
    check_future,
    format_offsets,
    occurrences,
    parse_due,
    parse_offsets,
    parse_recurrence,
    parse_when,
)
from tests.support.examples import examples

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
# Saturday 2026-11-28 10:00 in Shanghai.
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=SH).astimezone(UTC)
# Monday 2026-11-30 10:00 in Shanghai: where "next friday" differs from "friday".
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=SH).astimezone(UTC)


def local(when: When) -> tuple[str, str]:
    return (f"{when.start.astimezone(SH):%Y-%m-%d %H:%M}", f"{when.end.astimezone(SH):%H:%M}")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-12-04 14:00", "2026-12-04 14:00", "16:00"),
        ("2026-12-04 14:00-16:00", "2026-12-04 14:00", "16:00"),
        ("2026-12-04 14:00–16:00", "2026-12-04 14:00", "16:00"),
        ("2026-12-04 14:00 to 15:30", "2026-12-04 14:00", "15:30"),
        ("2026/12/04 14:00", "2026-12-04 14:00", "16:00"),
        ("tomorrow 10:00", "2026-11-29 10:00", "12:00"),
        ("tomorrow at 10am", "2026-11-29 10:00", "12:00"),
        ("today 18:00", "2026-11-28 18:00", "20:00"),
        ("next friday 3pm", "2026-12-04 15:00", "17:00"),
        ("friday 15:00", "2026-12-04 15:00", "17:00"),
        ("mon 9:30", "2026-11-30 09:30", "11:30"),
        ("3pm tomorrow", "2026-11-29 15:00", "17:00"),
        ("Dec 4 2-4pm", "2026-12-04 14:00", "16:00"),
        ("4 December 2026 14:00", "2026-12-04 14:00", "16:00"),
        ("12/4 14:00", "2026-12-04 14:00", "16:00"),
        ("in 2 hours", "2026-11-28 12:00", "14:00"),
        ("in 30 minutes", "2026-11-28 10:30", "12:30"),
        ("in 3 days", "2026-12-01 10:00", "12:00"),
        ("2小时后", "2026-11-28 12:00", "14:00"),
        ("明天上午10点", "2026-11-29 10:00", "12:00"),
        ("明天下午3点半", "2026-11-29 15:30", "17:30"),
        ("明天下午三点一刻", "2026-11-29 15:15", "17:15"),
        ("后天14:00", "2026-11-30 14:00", "16:00"),
        ("下周五下午3点", "2026-12-04 15:00", "17:00"),
        ("下星期五 15:00", "2026-12-04 15:00", "17:00"),
        ("下下周一 9:00", "2026-12-07 09:00", "11:00"),
        ("本周五 10:00", "2026-11-27 10:00", "12:00"),  # this week's Friday: already past
        ("周三 9点", "2026-12-02 09:00", "11:00"),
        ("星期天 晚上8点", "2026-11-29 20:00", "22:00"),
        ("12月4日 14:00-16:00", "2026-12-04 14:00", "16:00"),
        ("12月4日下午2点到4点", "2026-12-04 14:00", "16:00"),
        ("十二月四日上午十点至下午两点", "2026-12-04 10:00", "14:00"),
        ("2026年12月4日 14:00", "2026-12-04 14:00", "16:00"),
        ("１２月４日　１４：００", "2026-12-04 14:00", "16:00"),  # full-width input
        ("今晚8点", "2026-11-28 20:00", "22:00"),
        ("中午12点", "2026-11-28 12:00", "14:00"),
        ("中午1点", "2026-11-28 13:00", "15:00"),
        ("1月5日 10:00", "2027-01-05 10:00", "12:00"),  # no year: next occurrence
        ("11月28日 9:00", "2026-11-28 09:00", "11:00"),  # today counts, even if past
        ("16:00", "2026-11-28 16:00", "18:00"),  # time only: today
        ("noon", "2026-11-28 12:00", "14:00"),
        ("上午12点", "2026-11-28 12:00", "14:00"),
        ("凌晨12点", "2026-11-28 00:00", "02:00"),
        ("12am", "2026-11-28 00:00", "02:00"),
        ("12pm", "2026-11-28 12:00", "14:00"),
        ("晚上11点", "2026-11-28 23:00", "01:00"),
        ("晚上20:30", "2026-11-28 20:30", "22:30"),
        ("晚上8点到10点", "2026-11-28 20:00", "22:00"),
    ],
)
def test_parse_when_table(text: str, start: str, end: str) -> None:
    assert local(parse_when(text, NOW, SH)) == (start, end)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("next friday 3pm", "2026-12-11 15:00"),  # Friday of next (Monday-based) week
        ("下周五下午3点", "2026-12-11 15:00"),
        ("friday 3pm", "2026-12-04 15:00"),  # bare weekday: the coming one
        ("this friday 3pm", "2026-12-04 15:00"),
        ("本周五 15:00", "2026-12-04 15:00"),
        ("周一 11:00", "2026-11-30 11:00"),  # today, time still ahead
        ("mon 9:00", "2026-12-07 09:00"),  # today, time passed: next week
        ("下周日 10:00", "2026-12-13 10:00"),  # Sunday ends the Chinese week
    ],
)
def test_weekday_semantics_from_monday(text: str, start: str) -> None:
    assert local(parse_when(text, MONDAY, SH))[0] == start


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "unparseable"),
        ("   ", "unparseable"),
        ("hello world", "unparseable"),
        ("明天 3", "unparseable"),  # bare hour is ambiguous
        ("2026-02-30 10:00", "unparseable"),
        ("25:00", "unparseable"),
        ("晚上12点", "unparseable"),  # after midnight: 凌晨 is the unambiguous word
        ("晚上1点", "unparseable"),
        ("tomorrow at 10", "unparseable"),
        ("x" * 201, "unparseable"),
        ("tomorrow", "missing_time"),
        ("下周五", "missing_time"),
        ("16:00-14:00", "end_before_start"),
        ("明天下午4点到2点", "end_before_start"),
    ],
)
def test_parse_when_errors(text: str, code: str) -> None:
    with pytest.raises(WhenError) as err:
        parse_when(text, NOW, SH)
    assert err.value.code == code


def test_default_length_and_utc() -> None:
    when = parse_when("2026-12-04 14:00", NOW, SH, default_length=timedelta(minutes=45))
    assert when.start == datetime(2026, 12, 4, 6, 0, tzinfo=UTC)
    assert when.end - when.start == timedelta(minutes=45)
    assert when.start.tzinfo is UTC


def test_dst_zone_wall_clock() -> None:
    now = datetime(2027, 3, 20, 12, 0, tzinfo=UTC)
    when = parse_when("2027-03-29 10:00", now, BERLIN)
    assert when.start == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # CEST, UTC+2


def test_check_future() -> None:
    check_future(parse_when("today 18:00", NOW, SH), NOW)
    for text in ("本周五 10:00", "11月28日 9:00", "today 10:00"):
        with pytest.raises(WhenError) as err:
            check_future(parse_when(text, NOW, SH), NOW)
        assert err.value.code == "past"


_FRAGMENTS = [
    "明天",
    "下午",
    "3点",
    "半",
    "-",
    "到",
    "14:00",
    "周",
    "五",
    "下",
    "本",
    "月",
    "日",
    "2026",
    "年",
    "12",
    "/",
    " ",
    "next",
    "friday",
    "pm",
    "in",
    "hours",
    "后",
    ":",
    "\x00",
    "\u202e",
    "🎉",
    "١٢",
    "晚上",
    "12",
    "99",
    "to",
    "十",
]


@settings(max_examples=examples(150), deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(_FRAGMENTS)).map("".join)))
def test_parse_when_only_raises_when_error(text: str) -> None:
    try:
        when = parse_when(text, NOW, SH)
    except WhenError as err:
        assert err.code in {"unparseable", "missing_time", "end_before_start"}
    else:
        assert when.start.utcoffset() == timedelta(0) and when.end > when.start


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_huge_input_is_rejected_fast(size: int) -> None:
    with pytest.raises(WhenError):
        parse_when("明天" + "🎉\x07" * size, NOW, SH)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-20", date(2026, 12, 20)),
        ("12月20日", date(2026, 12, 20)),
        ("next friday", date(2026, 12, 4)),
        ("下周五", date(2026, 12, 4)),
        ("tomorrow", date(2026, 11, 29)),
        ("明天", date(2026, 11, 29)),
        ("in 3 days", date(2026, 12, 1)),
        ("3天后", date(2026, 12, 1)),
        ("2周后", date(2026, 12, 12)),
        ("saturday", date(2026, 11, 28)),  # deadlines: today's weekday counts
        ("Dec 25", date(2026, 12, 25)),
        ("1月2日", date(2027, 1, 2)),
    ],
)
def test_parse_due(text: str, expected: date) -> None:
    assert parse_due(text, NOW, SH) == expected


@pytest.mark.parametrize("text", ["", "soon", "2026-13-01", "x" * 500])
def test_parse_due_errors(text: str) -> None:
    with pytest.raises(WhenError) as err:
        parse_due(text, NOW, SH)
    assert err.value.code == "unparseable"


@pytest.mark.parametrize(
    ("text", "rrule"),
    [
        ("every week on tue", "FREQ=WEEKLY;BYDAY=TU"),
        ("every week on tue,thu", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("every tuesday and thursday", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("every 2 weeks on mon", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
        ("every other week", "FREQ=WEEKLY;INTERVAL=2"),
        ("every month on the 2nd tue", "FREQ=MONTHLY;BYDAY=+2TU"),
        ("every month on the last fri", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("every month on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("every day", "FREQ=DAILY"),
        ("daily", "FREQ=DAILY"),
        ("every 3 days", "FREQ=DAILY;INTERVAL=3"),
        ("weekly", "FREQ=WEEKLY"),
        ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("Every Week On Tue", "FREQ=WEEKLY;BYDAY=TU"),
        ("每周二", "FREQ=WEEKLY;BYDAY=TU"),
        ("每周二、周四", "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("每周一至周五", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("every week on mon-wed", "FREQ=WEEKLY;BYDAY=MO,TU,WE"),
        ("每两周周一", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
        ("每隔一周的周三", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
        ("每月第二个周二", "FREQ=MONTHLY;BYDAY=+2TU"),
        ("每月最后一个周五", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("每月15日", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("每天", "FREQ=DAILY"),
        ("每年", "FREQ=YEARLY"),
        ("every week on tue until 2027-06-30", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T235959"),
        ("每周二 至2027年6月30日", "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T235959"),
        ("every day for 10 times", "FREQ=DAILY;COUNT=10"),
        ("每天，共10次", "FREQ=DAILY;COUNT=10"),
    ],
)
def test_parse_recurrence(text: str, rrule: str) -> None:
    assert parse_recurrence(text) == rrule
    assert occurrences(datetime(2026, 12, 1, 9), rrule, SH, NOW, 2)  # dateutil accepts it


@pytest.mark.parametrize(
    "text",
    [
        "",
        "sometimes",
        "every week on blah",
        "every month on the 32nd",
        "every fortnight",
        "every day until 2027-02-30",
        "every day for 0 times",
        "every 0 days",
        "每0周",
        "每周八",
        "x" * 300,
    ],
)
def test_parse_recurrence_errors(text: str) -> None:
    with pytest.raises(RecurrenceError) as err:
        parse_recurrence(text)
    assert err.value.code == "unparseable"


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("first", "after", "expected"),
    [
        # Spring forward on 2027-03-28: 10:00 local moves from 09:00Z to 08:00Z.
        (
            datetime(2027, 3, 15, 10),
            _utc(2027, 3, 1),
            [_utc(2027, 3, 15, 9), _utc(2027, 3, 22, 9), _utc(2027, 3, 29, 8)],
        ),
        # Fall back on 2026-10-25: 10:00 local moves from 08:00Z to 09:00Z.
        (
            datetime(2026, 10, 12, 10),
            _utc(2026, 10, 12, 8),
            [_utc(2026, 10, 19, 8), _utc(2026, 10, 26, 9), _utc(2026, 11, 2, 9)],
        ),
    ],
)
def test_occurrences_keep_local_time_across_dst(
    first: datetime, after: datetime, expected: list[datetime]
) -> None:
    got = occurrences(first, "FREQ=WEEKLY", BERLIN, after, 3)
    assert got == expected  # strictly after: the 2026-10-12 08:00Z start is excluded
    assert {g.astimezone(BERLIN).time() for g in got} == {time(10)}


def test_occurrences_gap_and_ambiguous_times() -> None:
    gap = occurrences(datetime(2027, 3, 27, 2, 30), "FREQ=DAILY", BERLIN, _utc(2027, 3, 1), 3)
    # 02:30 on 2027-03-28 does not exist: moved forward by the gap to 03:30 CEST.
    assert [g.astimezone(BERLIN).strftime("%d %H:%M") for g in gap] == [
        "27 02:30",
        "28 03:30",
        "29 02:30",
    ]
    amb = occurrences(datetime(2026, 10, 25, 2, 30), "FREQ=DAILY", BERLIN, _utc(2026, 10, 1), 1)
    assert amb == [_utc(2026, 10, 25, 0, 30)]  # first of the two 02:30s (CEST)


def test_occurrences_count_until_and_limits() -> None:
    first = datetime(2026, 12, 1, 9)
    assert len(occurrences(first, "FREQ=DAILY;COUNT=3", SH, _utc(2026, 1, 1), 10)) == 3
    assert occurrences(first, "FREQ=DAILY;COUNT=3", SH, _utc(2026, 12, 5), 10) == []
    until = occurrences(first, parse_recurrence("daily until 2026-12-03"), SH, NOW, 10)
    assert [u.astimezone(SH).day for u in until] == [1, 2, 3]
    assert occurrences(first, "FREQ=DAILY", SH, NOW, 0) == []
    monthly = occurrences(first, parse_recurrence("每月最后一个周五"), SH, NOW, 2)
    assert [m.astimezone(SH).date() for m in monthly] == [date(2026, 12, 25), date(2027, 1, 29)]
    far = occurrences(first, "FREQ=DAILY", SH, _utc(2040, 1, 1), 1)  # no walk from 2026
    assert far == [_utc(2040, 1, 1, 1)]


def test_occurrences_invalid_rrule() -> None:
    with pytest.raises(RecurrenceError) as err:
        occurrences(datetime(2026, 12, 1, 9), "FREQ=SOMETIMES", SH, NOW, 3)
    assert err.value.code == "invalid_rrule"


@settings(max_examples=examples(100), deadline=None)
@given(
    after=st.datetimes(datetime(2026, 1, 1), datetime(2030, 1, 1)).map(
        lambda d: d.replace(tzinfo=UTC)
    ),
    limit=st.integers(0, 20),
)
def test_occurrences_properties(after: datetime, limit: int) -> None:
    got = occurrences(datetime(2026, 1, 5, 10), "FREQ=WEEKLY;BYDAY=MO,TH", BERLIN, after, limit)
    assert len(got) == limit
    assert all(g > after for g in got) and got == sorted(set(got))
    assert {g.astimezone(BERLIN).time() for g in got} <= {time(10)}


@pytest.mark.parametrize(
    ("text", "expected", "canonical"),
    [
        ("1d,1h", [timedelta(days=1), timedelta(hours=1)], "1d,1h"),
        ("2d,3h,15m", [timedelta(days=2), timedelta(hours=3), timedelta(minutes=15)], "2d,3h,15m"),
        ("2d 3h", [timedelta(days=2), timedelta(hours=3)], "2d,3h"),
        ("90m", [timedelta(minutes=90)], "1h30m"),
        ("1h30m", [timedelta(minutes=90)], "1h30m"),
        ("1w", [timedelta(weeks=1)], "7d"),
        ("30s", [timedelta(seconds=30)], "30s"),
        (
            "15m,1d,15m,1h",
            [timedelta(days=1), timedelta(hours=1), timedelta(minutes=15)],
            "1d,1h,15m",
        ),
        (
            "1天,3小时,15分钟",
            [timedelta(days=1), timedelta(hours=3), timedelta(minutes=15)],
            "1d,3h,15m",
        ),
        ("一天、三小时", [timedelta(days=1), timedelta(hours=3)], "1d,3h"),
        ("1 day, 2 hours", [timedelta(days=1), timedelta(hours=2)], "1d,2h"),
        ("60d", [timedelta(days=60)], "60d"),
    ],
)
def test_parse_offsets(text: str, expected: list[timedelta], canonical: str) -> None:
    assert parse_offsets(text) == expected
    assert format_offsets(expected) == canonical


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        (" , ", "empty"),
        ("abc", "unparseable"),
        ("1x", "unparseable"),
        ("5", "unparseable"),
        ("h", "unparseable"),
        ("0m", "out_of_range"),
        ("61d", "out_of_range"),
        ("1d,9w", "out_of_range"),
        ("9" * 300, "unparseable"),
    ],
)
def test_parse_offsets_errors(text: str, code: str) -> None:
    with pytest.raises(OffsetError) as err:
        parse_offsets(text)
    assert err.value.code == code


@given(
    st.sets(
        st.integers(1, 60 * 86400).map(lambda s: timedelta(seconds=s)), min_size=1, max_size=10
    )
)
def test_offsets_round_trip(offsets: set[timedelta]) -> None:
    text = format_offsets(offsets)
    assert parse_offsets(text) == sorted(offsets, reverse=True)
    assert format_offsets(parse_offsets(text)) == text
