"""The reminder service at the seam: refs, planning, firing in each chat's own language,
re-planning when a meeting changes, and /remind's offsets.

The `svc` fixture stands at Tue 1 Dec 2026 10:00 in Shanghai (02:00 UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.meeting_errors import MeetingNotFound
from bot.domain.timeparse import When
from bot.services import Services, meeting_reads, meetings, reminders
from bot.services.reminders import ReminderRef, parse_reminder_ref, reminder_ref
from storage import chats, people, rsvps, schedule

H, D, M = timedelta(hours=1), timedelta(days=1), timedelta(minutes=1)
GROUP, LI, ANN, PRIVATE_SUBSCRIBER = -1001, 7_000_000_001, 7_000_000_002, 7_000_000_003
START = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)  # Fri 4 Dec 2026 14:00 Shanghai
DEC8 = datetime(2026, 12, 8, 2, 0, tzinfo=UTC)  # Tue 8 Dec 10:00


def new(svc: Services, start: datetime = START, rrule: str | None = None) -> int:
    """A joint meeting of two hours; its id."""
    made = meetings.create(
        svc,
        kind="joint",
        title="Q4 joint",
        place="Room 301",
        when=When(start, start + 2 * H),
        rrule=rrule,
        by=LI,
        now=svc.clock.now(),
    )
    return made.meeting.id


def reminder_rows(svc: Services, state: str = "pending") -> list[datetime]:
    """Due times of reminder rows in a state."""
    rows = svc.db.query(
        "SELECT due_at FROM schedule WHERE kind = 'meeting_reminder' AND state = ?", [state]
    )
    return sorted(datetime.fromisoformat(r["due_at"]) for r in rows)


def cast(svc: Services) -> None:
    """A subscribed group; Li (Chinese) and Ann (English) attending; a person who reads
    Chinese subscribed their private chat."""
    now = svc.clock.now()
    people.touch_person(svc.db, LI, "li", "Li", None, "zh-hans", now)
    people.touch_person(svc.db, ANN, "ann", "Ann", None, "en-GB", now)
    people.touch_person(svc.db, PRIVATE_SUBSCRIBER, "wu", "Wu", None, "zh", now)
    for chat_id, kind in ((GROUP, "supergroup"), (PRIVATE_SUBSCRIBER, "private")):
        chats.touch_chat(svc.db, chat_id, kind, "", now)
        chats.subscribe(svc.db, chat_id, ["meetings"], now)


def fire_at(svc: Services, clock: FixedClock, moment: datetime) -> list[str]:
    """Fire everything due at `moment`; how the reminder rows fired so far ended, by due
    time (rows cancelled by a change left out)."""
    clock.set(moment)
    svc.scheduler.fire_due()
    rows = svc.db.query(
        """SELECT state, note FROM schedule WHERE kind = 'meeting_reminder'
           AND fired_at IS NOT NULL AND state != 'cancelled' ORDER BY due_at"""
    )
    return [f"{r['state']}: {r['note']}" for r in rows]


@pytest.mark.parametrize(
    ("ref", "parsed"),
    [
        ("12.3.20261204T060000.3600", ReminderRef(12, 3, "20261204T060000", H)),
        ("1.1.20261208T020000.86400", ReminderRef(1, 1, "20261208T020000", D)),
        ("12.3.20261204T060000", None),
        ("12.x.20261204T060000.3600", None),
        ("12.3.garbage.3600", None),
    ],
)
def test_reminder_refs_round_trip(ref: str, parsed: ReminderRef | None) -> None:
    assert parse_reminder_ref(ref) == parsed


def test_ref_names_the_occurrence_by_its_key(svc: Services) -> None:
    mid = new(svc, DEC8, rrule="FREQ=WEEKLY")
    meeting = meeting_reads.get_meeting(svc.db, mid, svc.clock.now())
    assert meeting is not None
    assert reminder_ref(meeting, H) == f"{mid}.1.20261208T020000.3600"


def test_plan_keeps_two_occurrences_of_a_series(svc: Services, clock: FixedClock) -> None:
    new(svc, DEC8, rrule="FREQ=WEEKLY")
    dec15 = DEC8 + 7 * D
    assert reminder_rows(svc) == [DEC8 - D, DEC8 - H, dec15 - D, dec15 - H]
    fire_at(svc, clock, DEC8 - H)
    assert reminder_rows(svc) == [dec15 - D, dec15 - H]
    fire_at(svc, clock, dec15 - D)  # once the 8th has passed, a firing tops the series up
    dec22 = dec15 + 7 * D
    assert reminder_rows(svc) == [dec15 - H, dec22 - D, dec22 - H]


def test_reminder_goes_once_to_each_chat_in_its_language(svc: Services, clock: FixedClock) -> None:
    cast(svc)
    mid = new(svc)
    for user in (LI, ANN):
        rsvps.answer(svc.db, mid, "", user, None, "attend", svc.clock.now())
    assert fire_at(svc, clock, START - D) == ["done: queued 4"]
    texts = {
        r["chat_id"]: r["text"]
        for r in svc.db.query(
            "SELECT chat_id, text FROM outbox WHERE key LIKE 'meeting-reminder:%'"
        )
    }
    assert sorted(texts) == sorted([GROUP, LI, ANN, PRIVATE_SUBSCRIBER])
    assert "会议提醒" in texts[LI] and "会议提醒" in texts[PRIVATE_SUBSCRIBER]
    assert "Reminder" in texts[ANN] and "Reminder" in texts[GROUP]
    svc.scheduler.fire_due()
    assert svc.db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 4


@pytest.mark.parametrize(
    ("moment", "outcome"),
    [
        (START - D + M, ["done: queued 1", "missed: the meeting had started"]),
        (START - H + 10 * M, ["missed: a later reminder is due too", "done: queued 1"]),
        (START + M, ["missed: the meeting had started", "missed: the meeting had started"]),
    ],
)
def test_late_reminders(
    svc: Services, clock: FixedClock, moment: datetime, outcome: list[str]
) -> None:
    cast(svc)
    chats.unsubscribe(svc.db, PRIVATE_SUBSCRIBER, ["meetings"])
    new(svc)
    fire_at(svc, clock, moment)
    if moment < START - H:  # the hour-before one fires when its own time comes
        fire_at(svc, clock, START + M)
    assert fire_at(svc, clock, START + M) == outcome


def test_a_changed_meeting_cancels_its_old_rows(svc: Services, clock: FixedClock) -> None:
    mid = new(svc)
    meetings.move(svc, mid, When(START + D, START + D + 2 * H), svc.clock.now())
    assert reminder_rows(svc) == [START, START + D - H]
    assert reminder_rows(svc, "cancelled") == [START - D, START - H]
    # A row of an old version that fired anyway (left pending by an older release).
    ref = f"{mid}.1.20261204T060000.1800"
    schedule.put(svc.db, "meeting_reminder", ref, START - H, START)
    fire_at(svc, clock, START - H)
    job = schedule.find(svc.db, "meeting_reminder", ref)
    assert job is not None and (job.state, job.note) == ("cancelled", "meeting changed")


def test_a_moved_occurrence_is_reminded_at_its_new_time(svc: Services, clock: FixedClock) -> None:
    cast(svc)
    mid = new(svc, DEC8, rrule="FREQ=WEEKLY")
    dec15, dec16 = DEC8 + 7 * D, DEC8 + 8 * D + 4 * H
    meetings.move(svc, mid, When(dec16, dec16 + 2 * H), svc.clock.now(), day=date(2026, 12, 15))
    assert dec16 - H in reminder_rows(svc) and dec15 - H not in reminder_rows(svc)
    clock.set(dec16 - H)
    svc.scheduler.fire_due()
    texts = [r["text"] for r in svc.db.query("SELECT text FROM outbox WHERE chat_id = ?", [GROUP])]
    assert any("Wed 16 Dec 2026 14:00" in t and "moved from" in t for t in texts), texts


@pytest.mark.parametrize(
    ("offsets", "stored", "due"),
    [
        ([2 * D, 3 * H], "2d,3h", [START - 2 * D, START - 3 * H]),
        ([], "", []),
        (None, None, [START - D, START - H]),
    ],
)
def test_set_offsets(
    svc: Services, offsets: list[timedelta] | None, stored: str | None, due: list[datetime]
) -> None:
    mid = new(svc)
    done = reminders.set_offsets(svc, mid, offsets, svc.clock.now())
    assert done.audit == {"meeting": mid, "offsets": stored}
    assert done.next_due == due and reminder_rows(svc) == due
    assert done.offsets == tuple(offsets if offsets is not None else (D, H))


def test_set_offsets_of_an_unknown_meeting(svc: Services) -> None:
    with pytest.raises(MeetingNotFound):
        reminders.set_offsets(svc, 99, [H], svc.clock.now())
