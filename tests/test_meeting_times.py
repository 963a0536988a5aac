"""Pure meeting arithmetic and rendering: kinds, occurrences, reminder instants, overlaps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.meeting_times import (
    Meeting,
    Moved,
    from_occ_key,
    is_occurrence,
    occ_key,
    parse_kind,
    reminder_due,
    reminder_plan,
    share_units,
    spans_overlap,
    starts_after,
    superseded,
)
from bot.i18n import Translator
from bot.render.meeting import card, listing
from storage.rsvps import Rsvp
from tests.support.meetings import sample

BERLIN, SHANGHAI = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Shanghai")
H, D = timedelta(hours=1), timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("coordination", "coordination"),
        ("Joint", "joint"),
        ("联席会议", "joint"),
        ("协调小组会议", "coordination"),
        ("工作组会议", "working"),
        ("评估会", "evaluation"),
        ("专业评估会", "evaluation"),
        ("party", None),
        ("", None),
    ],
)
def test_parse_kind(text: str, kind: str | None) -> None:
    assert parse_kind(text) == kind


def test_occ_key_round_trip() -> None:
    start = datetime(2026, 12, 4, 6, 30, 15, tzinfo=UTC)
    assert occ_key(start) == "20261204T063015"
    assert from_occ_key(occ_key(start)) == start
    assert from_occ_key("garbage") is None


def test_weekly_series_keeps_wall_clock_across_dst() -> None:
    # Tuesday 10:00 Berlin; summer time starts on Sunday 29 March 2026.
    first = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)
    starts = starts_after(first, "FREQ=WEEKLY", BERLIN, first, 3)
    assert [s.astimezone(BERLIN).hour for s in starts] == [10, 10, 10]
    assert [s.hour for s in starts] == [9, 9, 8]  # UTC moves by the change


def test_exdates_are_left_out_and_one_off() -> None:
    first = datetime(2026, 9, 8, 2, 0, tzinfo=UTC)
    starts = starts_after(first, "FREQ=WEEKLY", SHANGHAI, first, 2, skip=[occ_key(first)])
    assert [s.day for s in starts] == [15, 22]
    assert starts_after(first, None, SHANGHAI, first, 5) == [first]
    assert starts_after(first, None, SHANGHAI, first + H, 5) == []
    assert is_occurrence(first, "FREQ=WEEKLY", SHANGHAI, first + 7 * D)
    assert not is_occurrence(first, "FREQ=WEEKLY", SHANGHAI, first + D)


def test_reminder_days_are_wall_clock_and_hours_exact() -> None:
    # Monday 30 March 2026 10:00 CEST; the day before is Sunday, the DST change day.
    start = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert reminder_due(start, D, BERLIN).astimezone(BERLIN).hour == 10
    assert reminder_due(start, D, BERLIN) == start - 24 * H
    sunday = datetime(2026, 3, 29, 8, 0, tzinfo=UTC)  # 10:00 CEST
    assert reminder_due(sunday, D, BERLIN) == datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    assert reminder_due(sunday, H, BERLIN) == sunday - H
    assert reminder_due(sunday, D + H, BERLIN) == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)


def test_reminder_plan_and_superseded() -> None:
    start = datetime(2026, 9, 4, 6, 0, tzinfo=UTC)
    now = start - 2 * H
    plan = reminder_plan([start], [D, H], SHANGHAI, now)
    assert plan == [(start, H, start - H)]
    assert superseded(start, D, [D, H], SHANGHAI, start - 30 * timedelta(minutes=1))
    assert not superseded(start, D, [D, H], SHANGHAI, start - 2 * H)


def test_overlap_and_units() -> None:
    a = datetime(2026, 9, 4, 6, tzinfo=UTC)
    assert spans_overlap(a, a + H, a + H / 2, a + 2 * H)
    assert not spans_overlap(a, a + H, a + H, a + 2 * H)
    assert share_units([], ["BJ"]) and share_units(["bj"], ["BJ", "TECH"])
    assert not share_units(["TECH"], ["BJ"])


def test_card_in_both_languages() -> None:
    answers = [
        Rsvp(7, "", 3, "Mei", "BJ", "attend", datetime.now(UTC)),
        Rsvp(7, "", 2, "Sam", "TECH", "delegate", datetime.now(UTC)),
    ]
    en = card(sample(), answers, [D, H], SHANGHAI, Translator().get("en"))
    assert "Q3 &lt;joint&gt;" in en and "Fri 4 Sept 2026 14:00–16:00" in en
    assert "BJ: attend 1, decline 0, delegate 0" in en and "1 day, 1 hour before" in en
    zh = card(sample(), answers, [D, H], SHANGHAI, Translator().get("zh"))
    assert "联席会议" in zh and "2026年9月4日 周五 14:00–16:00" in zh and "出席1人" in zh
    assert "提醒：提前1天、1小时" in zh and "BJ：出席1人、不出席0人、委派代表0人" in zh
    assert all(line.count("<b>") == line.count("</b>") for line in zh.splitlines())
    cancelled = card(sample(cancelled=True), answers, [], SHANGHAI, Translator().get("en"))
    assert "Cancelled" in cancelled and "attend" not in cancelled


def test_listing() -> None:
    tr = Translator().get("en")
    assert listing([], SHANGHAI, tr) == "No upcoming meetings."
    assert "#7 Fri 4 Sept 2026 14:00" in listing([sample()], SHANGHAI, tr)


SEP8 = datetime(2026, 9, 8, 2, 0, tzinfo=UTC)  # Tue 10:00 Shanghai, a weekly series
MOVED = datetime(2026, 9, 16, 6, 0, tzinfo=UTC)  # the 15th's occurrence, moved to Wed 14:00


def weekly() -> Meeting:
    """A weekly series: the 15th moved to Wednesday 16th 14:00 (one hour), the 22nd cancelled."""
    return sample(
        start=SEP8,
        end=SEP8 + 2 * H,
        first_start=SEP8,
        first_end=SEP8 + 2 * H,
        rrule="FREQ=WEEKLY",
        exdates=("20260922T020000",),
        moves=(Moved("20260915T020000", MOVED, MOVED + H),),
    )


@pytest.mark.parametrize(
    ("day", "start", "key"),
    [
        (8, SEP8, "20260908T020000"),
        (15, MOVED, "20260915T020000"),  # named by the day the rule gives it
        (16, MOVED, "20260915T020000"),  # or by the day it has now
        (9, None, None),
        (22, None, None),  # cancelled
    ],
)
def test_occurrence_on_a_day(day: int, start: datetime | None, key: str | None) -> None:
    found = weekly().on_day(date(2026, 9, day))
    assert (found.start if found else None) == start
    assert (found.key if found else None) == key


def test_moved_and_cancelled_occurrences() -> None:
    meeting = weekly()
    assert meeting.starts(SEP8, 3) == [SEP8, MOVED, SEP8 + 21 * D]
    moved = meeting.at(MOVED)
    assert (moved.key, moved.end, moved.moved_from) == ("20260915T020000", MOVED + H, SEP8 + 7 * D)
    assert meeting.occurrence("20260915T020000") == moved
    assert meeting.at(SEP8).moved_from is None
    assert meeting.has_occurrence("20260915T020000")
    assert not meeting.has_occurrence("20260922T020000")
    assert meeting.cancelled_on(date(2026, 9, 22)) and not meeting.cancelled_on(date(2026, 9, 15))
    # Seen while the moved occurrence is on (it lasts an hour), then after it.
    assert meeting.current(MOVED + H / 2).start == MOVED
    assert meeting.current(MOVED + H).start == SEP8 + 21 * D
