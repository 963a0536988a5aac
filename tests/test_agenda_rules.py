"""Pure agenda rules: tags, the sitting a command means, totals, diffs, carry-over, reminders."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.agenda_rules import (
    Line,
    choose_sitting,
    cutoff,
    diff,
    digest_slot,
    due_reminders,
    escalates,
    next_monday,
    read_tags,
    running_totals,
    sitting_at,
    to_carry,
)
from bot.domain.timeparse import HolidayCalendar, Override
from tests.support.meetings import SHANGHAI, at, meeting


def test_tags_english_and_chinese() -> None:
    assert read_tags("Exit rules #deliberation #major") == read_tags("Exit rules #审议 #重大")
    tagged = read_tags("#study  Cross-border   data #unknown")
    assert tagged.title == "Cross-border data #unknown" and tagged.kind == "study"
    assert not tagged.major
    assert read_tags("Plain").kind == "report"
    assert read_tags("A #REPORT #study").kind == "report"
    assert read_tags("#major").title == ""


def test_one_off_meeting_has_one_sitting_whenever_asked() -> None:
    m = meeting()
    for now in (at("2026-09-01 10:00"), at("2026-09-20 10:00")):
        sitting = choose_sitting(m, now)
        assert sitting is not None and sitting.key == "" and sitting.start == m.first_start


def test_series_sitting_stays_current_24h_after_it_ends() -> None:
    m = meeting("FREQ=WEEKLY;BYDAY=TU")
    during = choose_sitting(m, at("2026-09-08 11:00"))
    assert during is not None and during.start == at("2026-09-08 10:00")
    assert during.key == "20260908T020000"
    grace = choose_sitting(m, at("2026-09-09 11:59"))
    assert grace is not None and grace.start == at("2026-09-08 10:00")
    after = choose_sitting(m, at("2026-09-09 12:01"))
    assert after is not None and after.start == at("2026-09-15 10:00")
    before = choose_sitting(m, at("2026-09-01 09:00"))
    assert before is not None and before.start == at("2026-09-08 10:00")
    assert sitting_at(m, "20260915T020000").start == at("2026-09-15 10:00")


def test_cutoff_and_running_totals() -> None:
    assert cutoff(at("2026-09-10 14:00"), timedelta(hours=48)) == at("2026-09-08 14:00")
    assert running_totals([20, None, 30]) == [20, 20, 50]
    assert running_totals([]) == []


def test_diff_lists_added_removed_and_moved() -> None:
    before = [Line(1, 1, "A"), Line(2, 2, "B"), Line(3, 3, "C")]
    after = [Line(3, 1, "C"), Line(1, 2, "A"), Line(4, 3, "D")]
    change = diff(before, after)
    assert [line.title for line in change.added] == ["D"]
    assert [line.title for line in change.removed] == ["B"]
    assert [(line.title, old) for line, old in change.moved] == [("C", 3), ("A", 1)]
    assert not diff(before, before)


def test_carry_and_escalation_selection() -> None:
    assert to_carry([(1, "open", True), (2, "open", False), (3, "dropped", False)]) == [2]
    assert escalates("joint", True, "open") and escalates("working", True, "open")
    assert not escalates("coordination", True, "open")
    assert not escalates("joint", False, "open") and not escalates("joint", True, "dropped")


def test_due_reminders_follow_the_chinese_calendar() -> None:
    # 1-7 Oct 2026 is the National Day holiday; Sat 10 Oct is a make-up working day.
    plan = dict(due_reminders(date(2026, 10, 8), 2, SHANGHAI))
    assert plan["pre"] == at("2026-09-29 09:00") and plan["over"] == at("2026-10-09 09:00")
    assert dict(due_reminders(date(2026, 10, 12), 2, SHANGHAI))["pre"] == at("2026-10-09 09:00")
    assert dict(due_reminders(date(2026, 10, 12), 1, SHANGHAI))["pre"] == at("2026-10-10 09:00")
    assert [s for s, _ in due_reminders(date(2026, 10, 12), 0, SHANGHAI)] == ["over"]


def test_next_monday() -> None:
    assert next_monday(at("2026-09-01 10:00"), SHANGHAI) == at("2026-09-07 09:00")
    assert next_monday(at("2026-09-07 09:00"), SHANGHAI) == at("2026-09-14 09:00")
    # 23:00 UTC on Sunday is already Monday 07:00 in Shanghai.
    assert next_monday(datetime(2026, 9, 6, 23, 0, tzinfo=UTC), SHANGHAI) == at("2026-09-07 09:00")


# Admins entered Mon 14 Sep 2026 as a day off, and Spring Festival 2027 (5-12 Feb off, Sun
# 14 Feb worked) before any package knew it.
ENTERED = HolidayCalendar(
    [Override(date(2026, 9, 14), True, None)]
    + [Override(date(2027, 2, 5) + timedelta(days=i), True, "春节") for i in range(8)]
    + [Override(date(2027, 2, 14), False, "春节")]
)


@pytest.mark.parametrize(
    ("now", "cal", "expected"),
    [
        ("2026-09-01 10:00", None, "2026-09-07 09:00"),  # an ordinary Monday
        ("2026-09-07 09:00", None, "2026-09-14 09:00"),
        ("2026-09-07 09:00", ENTERED, "2026-09-15 09:00"),  # the Monday an admin took off
        ("2026-09-14 08:00", ENTERED, "2026-09-15 09:00"),
        ("2026-09-28 09:00", None, "2026-10-08 09:00"),  # National Day: Thu 8 Oct
        ("2026-10-06 12:00", None, "2026-10-08 09:00"),  # this week's slot still ahead
        ("2026-10-08 09:00", None, "2026-10-12 09:00"),
        ("2026-02-10 09:00", None, "2026-02-24 09:00"),  # two holiday Mondays, one digest
        ("2026-02-16 09:00", None, "2026-02-24 09:00"),
        ("2026-02-24 09:00", None, "2026-03-02 09:00"),
        ("2027-02-02 09:00", ENTERED, "2027-02-14 09:00"),  # the worked Sunday
    ],
)
def test_digest_slot_moves_off_holiday_mondays(
    now: str, cal: HolidayCalendar | None, expected: str
) -> None:
    assert digest_slot(at(now), SHANGHAI, cal) == at(expected)


def test_due_reminders_use_the_admins_entries() -> None:
    plan = dict(due_reminders(date(2027, 2, 15), 2, SHANGHAI))
    assert plan["pre"] == at("2027-02-11 09:00")  # packages: Thu 11, Fri 12 Feb work
    plan = dict(due_reminders(date(2027, 2, 15), 2, SHANGHAI, ENTERED))
    assert plan["pre"] == at("2027-02-04 09:00") and plan["over"] == at("2027-02-16 09:00")
    # Due on the last day before a break: the overdue reminder waits for work to resume.
    plan = dict(due_reminders(date(2027, 2, 4), 1, SHANGHAI, ENTERED))
    assert plan["over"] == at("2027-02-14 09:00")
