"""The action-item service at the seam: owners, due dates, reminders on the working-day
calendar, closing, listing, the weekly digest."""

from __future__ import annotations

from datetime import date

import pytest

from bot.clock import FixedClock
from bot.domain.agenda_refusals import (
    ActionClosed,
    DueBeforeMeeting,
    DueInPast,
    NoAction,
    NotActionOwner,
    Refused,
    UnknownOwner,
    UnknownPerson,
    UnknownUnits,
)
from bot.domain.agenda_rules import read_tags
from bot.services import Services, actions, agenda
from bot.services.action_reminders import due_ref, parse_due_ref
from tests.services.agenda_support import (
    ADMIN,
    MEMBER,
    STAFF,
    STAFF2,
    at,
    new_meeting,
    organise,
    outbox_keys,
    pending,
    person,
)

DURING = at("2026-12-10 15:00")  # Thursday
FRIDAY_NEXT = date(2026, 12, 18)


@pytest.fixture
def sitting(svc: Services, clock: FixedClock) -> int:
    """Joint meeting #1 (Thu 10 Dec 14:00) with one item; the clock during the meeting."""
    organise(svc)
    mid = new_meeting(svc, "joint", "2026-12-10 14:00").id
    agenda.submit(svc, mid, read_tags("Exit rules"), None, None, person(svc, STAFF), clock.now())
    clock.set(DURING)
    return mid


def record(
    svc: Services,
    mid: int,
    owner: str | None,
    due: date = FRIDAY_NEXT,
    typed: str = "next friday",
    number: int | None = None,
) -> actions.Recorded:
    """Record an action as the admin, during the meeting."""
    return actions.record(
        svc, mid, number, owner, due, typed, "Revise the rules", person(svc, ADMIN), DURING
    )


@pytest.mark.parametrize(
    ("owner", "user", "unit"),
    [("@sam", STAFF, None), ("bj", None, "BJ"), (None, None, None)],
)
def test_owners(svc: Services, sitting: int, owner: str | None, user: int, unit: str) -> None:
    done = record(svc, sitting, owner, number=1)
    assert (done.action.owner_user, done.action.owner_unit) == (user, unit)
    assert done.action.item_id is not None and not done.early


@pytest.mark.parametrize(
    ("owner", "due", "typed", "refused"),
    [
        ("@nobody", FRIDAY_NEXT, "next friday", UnknownPerson),
        ("NOPE", FRIDAY_NEXT, "next friday", UnknownOwner),
        ("BJ", date(2026, 12, 9), "2026-12-09", DueInPast),
        ("BJ", date(2026, 12, 10), "today", DueBeforeMeeting),
    ],
)
def test_refusals_record_nothing(
    svc: Services, sitting: int, owner: str, due: date, typed: str, refused: type[Refused]
) -> None:
    with pytest.raises(refused):
        record(svc, sitting, owner, due, typed)
    assert list(svc.db.query("SELECT id FROM actions")) == []
    assert pending(svc, "action_due") == {}


def test_a_date_written_out_is_meant(svc: Services, sitting: int) -> None:
    done = record(svc, sitting, "BJ", date(2026, 12, 10), "2026-12-10")
    assert done.early and done.action.due == date(2026, 12, 10)


def test_reminders_and_digest_follow_working_days(svc: Services, sitting: int) -> None:
    done = record(svc, sitting, "BJ")
    assert pending(svc, "action_due") == {
        f"{done.action.id}.pre": at("2026-12-16 09:00"),  # two working days before Fri 18
        f"{done.action.id}.over": at("2026-12-21 09:00"),  # the first working day after
    }
    assert pending(svc, "action_digest") == {"2026-12-14": at("2026-12-14 09:00")}


def test_recording_plans_the_next_sittings_matters_arising(svc: Services, sitting: int) -> None:
    nxt = new_meeting(svc, "joint", "2027-01-14 14:00").id
    assert f"{nxt}.1.-" not in pending(svc, "agenda_publish")
    record(svc, sitting, "BJ")
    assert pending(svc, "agenda_publish")[f"{nxt}.1.-"] == at("2027-01-13 14:00")


@pytest.mark.parametrize(
    ("owner", "reminded"),
    [("@sam", [STAFF]), ("BJ", [STAFF2]), (None, [ADMIN])],
)
def test_reminders_go_to_the_owner_their_unit_or_the_admins(
    svc: Services, clock: FixedClock, sitting: int, owner: str | None, reminded: list[int]
) -> None:
    done = record(svc, sitting, owner)
    clock.set(at("2026-12-16 09:00"))
    svc.scheduler.fire_due()  # the meeting's close and carry-over, the digest, this reminder
    ref = f"{done.action.id}.pre"
    assert outbox_keys(svc, "action-reminder:") == [f"action-reminder:{ref}:{u}" for u in reminded]


@pytest.mark.parametrize(
    ("owner", "closer", "allowed"),
    [
        ("BJ", STAFF2, True),  # staff of the owner unit
        ("BJ", ADMIN, True),
        ("BJ", STAFF, False),  # staff of another unit
        ("BJ", MEMBER, False),  # a member of the owner unit
        ("@sam", STAFF, True),  # the owner
        ("@sam", STAFF2, False),
    ],
)
def test_who_closes(svc: Services, sitting: int, owner: str, closer: int, allowed: bool) -> None:
    action = record(svc, sitting, owner).action
    if not allowed:
        with pytest.raises(NotActionOwner):
            actions.close(svc, action.id, "", person(svc, closer), DURING)
        assert len(pending(svc, "action_due")) == 2
        return
    actions.close(svc, action.id, "sent", person(svc, closer), DURING)
    assert pending(svc, "action_due") == {}  # its reminders are cancelled
    with pytest.raises(ActionClosed):
        actions.close(svc, action.id, "", person(svc, closer), DURING)


def test_closing_a_missing_action(svc: Services, sitting: int) -> None:
    with pytest.raises(NoAction):
        actions.close(svc, 99, "", person(svc, ADMIN), DURING)


def test_weekly_digest_lists_the_overdue(svc: Services, clock: FixedClock, sitting: int) -> None:
    record(svc, sitting, "BJ", date(2026, 12, 11), "2026-12-11")
    record(svc, sitting, "TECH")
    clock.set(at("2026-12-14 09:00"))
    svc.scheduler.fire_due()
    assert outbox_keys(svc, "action-digest:") == [f"action-digest:2026-12-14:{ADMIN}"]
    assert pending(svc, "action_digest") == {"2026-12-21": at("2026-12-21 09:00")}


@pytest.mark.parametrize(
    ("which", "unit", "expected"),
    [
        ("open", "", [2, 1]),  # earliest due first
        ("mine", "", [1]),  # STAFF owns A1 through @sam
        ("overdue", "", [2]),
        ("unit", "BJ", [2]),
        ("all", "", [2, 1, 3]),  # open ones first
    ],
)
def test_listing(svc: Services, sitting: int, which: str, unit: str, expected: list[int]) -> None:
    record(svc, sitting, "@sam")
    record(svc, sitting, "BJ", date(2026, 12, 10), "2026-12-10")
    closed = record(svc, sitting, "TECH").action
    actions.close(svc, closed.id, "", person(svc, ADMIN), DURING)
    today = date(2026, 12, 11)
    found = actions.listing(svc, which, person(svc, STAFF), today, unit_code=unit)
    assert [a.id for a in found.found] == expected


def test_listing_an_unknown_unit(svc: Services, sitting: int) -> None:
    with pytest.raises(UnknownUnits):
        actions.listing(svc, "unit", person(svc, STAFF), date(2026, 12, 11), unit_code="NOPE")


@pytest.mark.parametrize(
    ("action_id", "stage", "ref"), [(7, "pre", "7.pre"), (12, "over", "12.over")]
)
def test_reminder_refs(action_id: int, stage: str, ref: str) -> None:
    assert due_ref(action_id, stage) == ref
    assert parse_due_ref(ref) == (action_id, stage)
    assert parse_due_ref("x.pre") is None
