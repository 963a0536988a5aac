"""The minutes service at the seam: who records, attendance, decisions, publication once
with carry-over, corrections, the secretariat unit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.clock import FixedClock
from bot.domain.agenda_refusals import (
    MinutesAlreadyPublished,
    MinutesFrozen,
    MinutesNotPublished,
    NoItem,
    NotRecorder,
    NotStarted,
    UnknownUnits,
)
from bot.domain.agenda_rules import read_tags
from bot.services import Services, agenda, minutes, search
from storage import agenda as items
from storage import minutes as stored
from storage import rsvps, search_index
from tests.services.agenda_support import (
    ADMIN,
    MEMBER,
    STAFF,
    STAFF2,
    at,
    new_meeting,
    organise,
    outbox_keys,
    outbox_texts,
    person,
)

DURING = at("2026-12-10 15:00")


@pytest.fixture
def sitting(svc: Services, clock: FixedClock) -> int:
    """Joint meeting #1 (Thu 10 Dec 14:00) with two items; the clock during the meeting."""
    organise(svc)
    mid = new_meeting(svc, "joint", "2026-12-10 14:00").id
    for title in ("Exit rules #deliberation", "Data pilot report"):
        agenda.submit(svc, mid, read_tags(title), None, None, person(svc, STAFF), clock.now())
    clock.set(DURING)
    return mid


@pytest.mark.parametrize(
    ("who", "secretariat", "allowed"),
    [
        (ADMIN, None, True),
        (STAFF, None, False),
        (STAFF, "TECH", True),
        (STAFF2, "TECH", False),  # staff of another unit
        (MEMBER, "BJ", False),  # a member of the secretariat unit
    ],
)
def test_who_records(
    svc: Services, sitting: int, who: int, secretariat: str | None, allowed: bool
) -> None:
    minutes.set_secretariat(svc, secretariat)
    if allowed:
        done = minutes.record_attendance(svc, sitting, ["TECH"], person(svc, who), DURING)
        assert done.codes == ["TECH"]
    else:
        with pytest.raises(NotRecorder):
            minutes.record_attendance(svc, sitting, ["TECH"], person(svc, who), DURING)
        assert stored.attendance(svc.db, sitting, "") == []


def test_attendance_replaces_and_refuses_unknown_units(svc: Services, sitting: int) -> None:
    admin = person(svc, ADMIN)
    minutes.record_attendance(svc, sitting, ["TECH", "BJ"], admin, DURING)
    with pytest.raises(UnknownUnits) as caught:
        minutes.record_attendance(svc, sitting, ["BJ", "NOPE", "ALSO"], admin, DURING)
    assert caught.value.codes == ["NOPE", "ALSO"]
    done = minutes.record_attendance(svc, sitting, ["BJ"], admin, DURING)
    assert stored.attendance(svc.db, sitting, "") == ["BJ"]
    assert done.names["BJ"] == "Beijing Bureau"


def test_attendance_falls_back_to_rsvps(svc: Services, sitting: int) -> None:
    rsvps.answer(svc.db, sitting, "", STAFF2, "BJ", "attend", DURING)
    rsvps.answer(svc.db, sitting, "", STAFF, "TECH", "decline", DURING)
    data = minutes.draft(svc, sitting, DURING)
    assert (data.attendance, data.from_rsvps) == (["BJ"], True)


@pytest.mark.parametrize(("number", "reached"), [(1, [True, False]), (None, [False, False])])
def test_decisions_reach_their_item(
    svc: Services, sitting: int, number: int | None, reached: list[bool]
) -> None:
    audit: dict[str, object] = {}
    done = minutes.record_decision(
        svc, sitting, number, "Adopted.", person(svc, ADMIN), DURING, audit
    )
    assert (done.item.title if done.item else None) == ("Exit rules" if number else None)
    assert [i.reached for i in items.items(svc.db, sitting, "")] == reached
    assert audit["item"] == (done.item.id if done.item else None)


def test_decision_on_a_missing_item_is_refused(svc: Services, sitting: int) -> None:
    with pytest.raises(NoItem):
        minutes.record_decision(svc, sitting, 9, "Adopted.", person(svc, ADMIN), DURING)
    assert stored.decisions(svc.db, sitting, "") == []


def test_publish_once_carries_and_freezes(svc: Services, clock: FixedClock, sitting: int) -> None:
    admin = person(svc, ADMIN)
    nxt = new_meeting(svc, "joint", "2027-01-14 14:00").id
    minutes.record_decision(svc, sitting, 1, "Adopted.", admin, DURING)
    _sitting, pub = minutes.publish(svc, sitting, admin, DURING)
    assert (pub.year, pub.number) == (2026, 1)
    assert outbox_keys(svc, "minutes-") == ["minutes-published:1:-:-1001"]
    assert [i.title for i in agenda.view(svc, nxt, DURING).items] == ["Data pilot report"]
    with pytest.raises(MinutesAlreadyPublished):
        minutes.publish(svc, sitting, admin, DURING)
    with pytest.raises(MinutesFrozen):
        minutes.record_decision(svc, sitting, None, "More.", admin, DURING)
    clock.set(at("2026-12-11 16:00"))
    assert svc.scheduler.fire_due() >= 1  # the carry-over row: done at publication
    assert len(items.items(svc.db, nxt, "")) == 1


def test_publish_before_the_start_is_refused(svc: Services, sitting: int) -> None:
    with pytest.raises(NotStarted):
        minutes.publish(svc, sitting, person(svc, ADMIN), at("2026-12-10 13:00"))
    assert stored.publication(svc.db, sitting, "") is None


def test_corrections_only_after_publication(svc: Services, sitting: int) -> None:
    admin = person(svc, ADMIN)
    with pytest.raises(MinutesNotPublished):
        minutes.correct(svc, sitting, "Item 1: BJ leads.", admin, DURING)
    minutes.publish(svc, sitting, admin, DURING)
    data, correction = minutes.correct(svc, sitting, "Item 1: BJ leads.", admin, DURING)
    assert data.corrections == [correction]
    assert outbox_keys(svc, "minutes-corrected:") == [f"minutes-corrected:{correction.id}:-1001"]
    assert "Item 1: BJ leads." in outbox_texts(svc, "minutes-corrected:")[0]


@pytest.mark.parametrize(
    ("code", "expected"), [("tech", "TECH"), (None, None), ("NOPE", UnknownUnits)]
)
def test_secretariat(svc: Services, code: str | None, expected: object) -> None:
    organise(svc)
    minutes.set_secretariat(svc, "BJ")
    if expected is UnknownUnits:
        with pytest.raises(UnknownUnits):
            minutes.set_secretariat(svc, code)
        expected = "BJ"
    else:
        minutes.set_secretariat(svc, code)
    unit = minutes.secretariat(svc)
    assert (unit.code if unit else None) == expected


def test_published_minutes_text_is_found_by_members(svc: Services, sitting: int) -> None:
    admin = person(svc, ADMIN)
    minutes.record_decision(svc, sitting, 1, "同意退出规则修订稿", admin, DURING)
    member = person(svc, MEMBER)
    assert search.search(svc, "Data pilot report", member).total == 0  # a draft: not yet
    minutes.publish(svc, sitting, admin, DURING)
    (hit,) = [h for h in search.search(svc, "pilot report", member).hits if h.kind == "minutes"]
    assert hit.ref == str(sitting) and "Data pilot report" in hit.body
    # Words of the items and of the decisions, in one document: both must match.
    assert [h.kind for h in search.search(svc, "退出规则 pilot", member).hits] == ["minutes"]
    minutes.correct(svc, sitting, "第二项由北京局牵头", admin, DURING)
    (fixed,) = search.search(svc, "北京局牵头", member).hits
    assert (fixed.kind, fixed.ref) == ("minutes", str(sitting))
    assert len([h for h in search.search(svc, "pilot", member).hits if h.kind == "minutes"]) == 1
    nobody = replace(member, role="none")
    assert search.search(svc, "北京局牵头", nobody).total == 0


def test_minutes_published_before_the_index_are_backfilled(svc: Services, sitting: int) -> None:
    admin = person(svc, ADMIN)
    minutes.publish(svc, sitting, admin, DURING)
    svc.db.execute("DELETE FROM search_index WHERE kind = 'minutes'")
    m002_minutes_text_backfill(svc)
    (hit,) = search.search(svc, "Exit rules", person(svc, MEMBER)).hits
    assert (hit.kind, hit.ref) == ("minutes", str(sitting))


def m002_minutes_text_backfill(svc: Services) -> None:
    """The migration's backfill alone (its triggers exist already)."""
    for name in ("search_minutes_ins", "search_minutes_del", "search_minutes_fix"):
        svc.db.execute(f"DROP TRIGGER {name}")
    search_index.m002_minutes_text(svc.db)
