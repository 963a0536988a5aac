"""The time-poll service at the seam: slots in time order, each unit's marks (toggling, none
suits), the one reminder to silent units, and closing into a meeting like any other."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.timeparse import When
from bot.services import Services, meeting_reads, polls
from bot.services import poll_refusals as no
from storage import outbox, people, schedule
from storage import polls as stored
from tests.services.agenda_support import (
    ADMIN,
    GROUP,
    MEMBER,
    STAFF,
    STAFF2,
    at,
    organise,
    outbox_keys,
    pending,
    person,
)

NOW = at("2026-12-01 10:00")  # the svc fixture's clock
TUE, WED, THU = at("2026-12-08 14:00"), at("2026-12-09 10:00"), at("2026-12-10 15:00")


def when(start: datetime) -> When:
    """A two-hour slot."""
    return When(start, start + timedelta(hours=2))


def open_poll(svc: Services, *starts: datetime) -> int:
    """A joint-meeting poll opened by the admin in the group; its id."""
    card = polls.open_poll(
        svc,
        kind="joint",
        title="Q1 joint meeting",
        slots=[when(s) for s in starts or (WED, TUE, THU)],
        who=person(svc, ADMIN),
        chat_id=GROUP,
        now=svc.clock.now(),
    )
    return card.poll.id


@pytest.fixture
def poll(svc: Services) -> int:
    """Units TECH and BJ; a poll over Tue, Wed and Thu next week (typed out of order)."""
    organise(svc)
    return open_poll(svc)


def test_slots_are_numbered_in_time_order_and_every_unit_is_asked(
    svc: Services, poll: int
) -> None:
    assert [s.start for s in stored.slots(svc.db, poll)] == [TUE, WED, THU]
    assert stored.units(svc.db, poll) == ["BJ", "TECH"]
    (row,) = outbox.by_key_prefix(svc.db, "poll-card:")
    assert row.key == f"poll-card:{poll}:{GROUP}" and "Time poll #1" in row.text
    assert row.buttons is not None and len(row.buttons) == 4  # three times, then "none"
    assert row.buttons[0][0]["text"] == "1. Tue 8 Dec 2026 14:00 (0)"
    assert [polls.parse_payload(r[0]["payload"]) for r in row.buttons] == [
        (poll, 1),
        (poll, 2),
        (poll, 3),
        (poll, 0),
    ]


@pytest.mark.parametrize(
    ("first", "due"),
    [
        (at("2026-12-08 14:00"), at("2026-12-02 10:00")),  # a week ahead: 24 h after
        (at("2026-12-01 20:00"), at("2026-12-01 15:00")),  # ten hours ahead: halfway
    ],
)
def test_the_reminder_is_planned_once(
    svc: Services, clock: FixedClock, first: datetime, due: datetime
) -> None:
    organise(svc)
    poll_id = open_poll(svc, first, first + timedelta(days=1))
    assert pending(svc, polls.REMINDER) == {str(poll_id): due}


def test_a_unit_toggles_its_marks_and_none_suits_clears_them(svc: Services, poll: int) -> None:
    assert polls.answer(svc, poll, 2, person(svc, STAFF), NOW).marked is True
    assert polls.answer(svc, poll, 2, person(svc, STAFF), NOW).marked is False
    polls.answer(svc, poll, 1, person(svc, STAFF2), NOW)
    done = polls.answer(svc, poll, 3, person(svc, MEMBER), NOW)  # BJ again, another person
    assert done.card.marks == {1: ["BJ"], 2: [], 3: ["BJ"]}
    assert done.card.answered == ["BJ", "TECH"] and done.card.none_suits == ["TECH"]
    done = polls.answer(svc, poll, 0, person(svc, STAFF2), NOW)
    assert done.marked is None and done.card.marks == {1: [], 2: [], 3: []}
    assert done.card.silent == []


@pytest.mark.parametrize(
    ("who", "slot", "refusal"),
    [
        (ADMIN, 1, no.NoUnit),
        (STAFF, 9, no.PollGone),
    ],
)
def test_who_may_not_answer(
    svc: Services, poll: int, who: int, slot: int, refusal: type[Exception]
) -> None:
    with pytest.raises(refusal):
        polls.answer(svc, poll, slot, person(svc, who), NOW)
    assert stored.answered(svc.db, poll) == []


def test_a_unit_registered_later_was_not_asked(svc: Services, poll: int) -> None:
    people.add_unit(svc.db, "CGS", "China Securities Depository", NOW)
    people.set_role(svc.db, MEMBER, "member", "CGS", NOW)
    with pytest.raises(no.NotAsked):
        polls.answer(svc, poll, 1, person(svc, MEMBER), NOW)


def test_refusals_when_opening(svc: Services) -> None:
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "en", NOW)
    people.set_role(svc.db, ADMIN, "admin", None, NOW)
    with pytest.raises(no.NoUnits):
        open_poll(svc)
    organise(svc)
    with pytest.raises(no.SameTimeTwice):
        open_poll(svc, TUE, WED, TUE)
    assert svc.db["polls"].count == 0 and pending(svc, polls.REMINDER) == {}


@pytest.mark.parametrize(
    ("marks", "now", "best"),
    [
        ({}, NOW, 1),  # nobody answered: the earliest
        ({STAFF: [3], STAFF2: [2, 3]}, NOW, 3),  # most units
        ({STAFF: [2], STAFF2: [1]}, NOW, 1),  # a tie: the earliest
        ({STAFF: [1], STAFF2: [1, 2]}, at("2026-12-08 15:00"), 2),  # slot 1 has begun
        ({}, at("2026-12-10 16:00"), None),  # every slot has begun
    ],
)
def test_the_best_slot(
    svc: Services, poll: int, marks: dict[int, list[int]], now: datetime, best: int | None
) -> None:
    for who, numbers in marks.items():
        for number in numbers:
            polls.answer(svc, poll, number, person(svc, who), NOW)
    card = polls.load(svc, stored.get(svc.db, poll))  # type: ignore[arg-type]
    assert polls.best_slot(card, now) == best


def test_close_schedules_invites_and_announces(svc: Services, poll: int) -> None:
    polls.answer(svc, poll, 2, person(svc, STAFF), NOW)
    polls.answer(svc, poll, 2, person(svc, STAFF2), NOW)
    done = polls.close(svc, poll, None, person(svc, ADMIN), NOW, origin=ADMIN)
    meeting = meeting_reads.get_meeting(svc.db, done.meeting.id, NOW)
    assert meeting is not None and (meeting.kind, meeting.title) == ("joint", "Q1 joint meeting")
    assert (meeting.start, meeting.end) == (WED, WED + timedelta(hours=2))
    assert meeting.invited == ("BJ", "TECH")
    assert pending(svc, polls.REMINDER) == {}
    assert pending(svc, "meeting_reminder")  # planned as for any meeting
    assert outbox_keys(svc, "poll-scheduled:") == [f"poll-scheduled:{poll}:{GROUP}"]
    (card,) = outbox.by_key_prefix(svc.db, "poll-card:")
    assert card.buttons is None and "closed" in card.text and "✅ 2." in card.text
    with pytest.raises(no.AlreadyClosed):
        polls.close(svc, poll, 1, person(svc, ADMIN), NOW)
    with pytest.raises(no.PollClosed):
        polls.answer(svc, poll, 1, person(svc, STAFF), NOW)


def test_the_command_chat_gets_the_announcement_as_its_reply(svc: Services, poll: int) -> None:
    polls.close(svc, poll, 3, person(svc, ADMIN), NOW, origin=GROUP)
    assert outbox_keys(svc, "poll-scheduled:") == []
    assert schedule.find(svc.db, polls.REMINDER, str(poll)).state == "cancelled"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("poll_id", "slot", "now", "refusal"),
    [
        (9, None, NOW, no.NoPoll),
        (1, 4, NOW, no.NoSlot),
        (1, 1, at("2026-12-08 14:00"), no.SlotPassed),
        (1, None, at("2026-12-11 10:00"), no.AllPassed),
    ],
)
def test_close_refusals_change_nothing(
    svc: Services, poll: int, poll_id: int, slot: int | None, now: datetime, refusal: type
) -> None:
    with pytest.raises(refusal):
        polls.close(svc, poll_id, slot, person(svc, ADMIN), now)
    assert svc.db["meetings"].count == 0
    assert not stored.get(svc.db, poll).closed  # type: ignore[union-attr]


def test_the_reminder_goes_once_to_the_silent_units_staff(
    svc: Services, clock: FixedClock, poll: int
) -> None:
    polls.answer(svc, poll, 1, person(svc, STAFF), NOW)  # TECH answered; BJ silent
    clock.set(at("2026-12-02 10:00"))
    assert svc.scheduler.fire_due() == 1
    (row,) = outbox.by_key_prefix(svc.db, "poll-reminder:")
    assert row.key == f"poll-reminder:{poll}:BJ:{STAFF2}"
    assert "Beijing Bureau (BJ) has not answered time poll #1" in row.text
    assert row.buttons is not None and len(row.buttons) == 4
    assert svc.scheduler.fire_due() == 0
    outbox.mark_sent(svc.db, row.id, 41, clock.now())
    polls.close(svc, poll, None, person(svc, ADMIN), clock.now())
    (edit,) = [r for r in outbox.by_key_prefix(svc.db, "poll-closed:") if r.chat_id == STAFF2]
    assert edit.edits == 41 and edit.buttons is None


@pytest.mark.parametrize(
    ("close_first", "fire_at", "state"),
    [
        (True, at("2026-12-02 10:00"), "cancelled"),
        (False, at("2026-12-11 10:00"), "missed"),  # back after every slot has begun
    ],
)
def test_a_reminder_with_nothing_to_do(
    svc: Services, clock: FixedClock, poll: int, close_first: bool, fire_at: datetime, state: str
) -> None:
    job = schedule.find(svc.db, polls.REMINDER, str(poll))
    assert job is not None
    if close_first:
        stored.close(svc.db, poll, 1, 99, ADMIN, NOW)  # closed without cancelling the row
    clock.set(fire_at)
    assert svc.scheduler.fire(job.id) == state
    assert outbox_keys(svc, "poll-reminder:") == []
