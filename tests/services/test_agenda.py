"""The agenda service at the seam: intake, triage, publication, re-planning after a move or
cancellation, short notice, and escalation of #major items not decided."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.clock import FixedClock
from bot.domain.agenda_refusals import (
    AgendaAlreadyPublished,
    AgendaLocked,
    AlreadyLocked,
    BadPosition,
    MeetingCancelled,
    NoItem,
    NoMeeting,
    SittingOver,
    SubmissionsClosed,
    UnknownProject,
)
from bot.domain.agenda_rules import read_tags
from bot.domain.meeting_times import occ_key
from bot.render.agenda import view_text
from bot.render.dates import show_datetime
from bot.services import Services, agenda, minutes
from bot.services.agenda_timing import SittingRef, parse_sitting_ref
from storage import agenda as items
from storage import meetings, schedule
from tests.services.agenda_support import (
    ADMIN,
    SHANGHAI,
    STAFF,
    STAFF2,
    at,
    current,
    new_meeting,
    organise,
    outbox_keys,
    outbox_texts,
    pending,
    person,
)

NOW = at("2026-12-01 10:00")  # the svc fixture's clock


def add(svc: Services, meeting_id: int, title: str, who: int = STAFF) -> agenda.Added:
    """Submit an item as someone, now."""
    return agenda.submit(
        svc, meeting_id, read_tags(title), None, None, person(svc, who), svc.clock.now()
    )


def show(moment: datetime) -> str:
    """An instant as the Shanghai wall-clock text new_meeting takes."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def joint(svc: Services) -> int:
    """The organised services with joint meeting #1 on Thu 10 Dec 14:00-16:00."""
    organise(svc)
    return new_meeting(svc, "joint", "2026-12-10 14:00").id


def test_submit_reads_tags_numbers_and_totals(svc: Services, joint: int) -> None:
    audit: dict[str, object] = {}
    first = agenda.submit(
        svc, joint, read_tags("Exit rules #审议 #重大"), None, 20, person(svc, STAFF), NOW, audit
    )
    second = add(svc, joint, "Data pilot #study", who=STAFF2)
    assert (first.number, first.item.kind, first.item.major, first.total) == (
        1,
        "deliberation",
        True,
        20,
    )
    assert (second.number, second.item.unit_code, second.late) == (2, "BJ", False)
    assert audit == {"meeting": joint, "occ": "", "item": first.item.id, "late": False}


@pytest.mark.parametrize(
    ("when", "who", "refused"),
    [
        ("2026-12-08 13:59", STAFF, None),
        ("2026-12-08 14:00", STAFF, SubmissionsClosed),
        ("2026-12-08 14:00", ADMIN, None),  # an admin still may: the item is marked late
        ("2026-12-10 16:00", ADMIN, SittingOver),
    ],
)
def test_cutoff(
    svc: Services, clock: FixedClock, joint: int, when: str, who: int, refused: type | None
) -> None:
    clock.set(at(when))
    if refused is None:
        added = add(svc, joint, "Item", who=who)
        assert added.late == (at(when) >= at("2026-12-08 14:00"))
        return
    with pytest.raises(refused) as caught:
        add(svc, joint, "Item", who=who)
    if isinstance(caught.value, SubmissionsClosed):
        assert caught.value.cutoff == at("2026-12-08 14:00")
    assert items.items(svc.db, joint, "") == []


def test_lock_closes_to_staff_once(svc: Services, joint: int) -> None:
    agenda.lock(svc, joint, NOW)
    with pytest.raises(AlreadyLocked):
        agenda.lock(svc, joint, NOW)
    with pytest.raises(AgendaLocked):
        add(svc, joint, "Too late")
    assert add(svc, joint, "Admin item", who=ADMIN).late


@pytest.mark.parametrize(
    ("call", "refused"),
    [
        (lambda svc, mid: agenda.move_item(svc, mid, 7, 1, NOW), NoItem),
        (lambda svc, mid: agenda.move_item(svc, mid, 1, 5, NOW), BadPosition),
        (lambda svc, mid: agenda.drop_item(svc, mid, 3, "why", NOW), NoItem),
        (lambda svc, mid: agenda.view(svc, 99, NOW), NoMeeting),
        (
            lambda svc, mid: agenda.submit(
                svc, mid, read_tags("X"), "NOPE-1", None, person(svc, STAFF), NOW
            ),
            UnknownProject,
        ),
    ],
)
def test_refusals_change_nothing(svc: Services, joint: int, call: object, refused: type) -> None:
    add(svc, joint, "Item A")
    before = list(svc.db.query("SELECT * FROM agenda_items"))
    with pytest.raises(refused):
        call(svc, joint)  # type: ignore[operator]
    assert list(svc.db.query("SELECT * FROM agenda_items")) == before


def test_move_drop_and_tell_the_submitter(svc: Services, joint: int) -> None:
    add(svc, joint, "First")
    add(svc, joint, "Second", who=STAFF2)
    view = agenda.move_item(svc, joint, 2, 1, NOW)
    assert [i.title for i in view.items] == ["Second", "First"]
    sitting, item = agenda.drop_item(svc, joint, 2, "covered by the bulletin", NOW)
    assert item.title == "First" and [i.title for i in agenda.view(svc, joint, NOW).items] == [
        "Second"
    ]
    assert outbox_keys(svc, "agenda-dropped:") == [f"agenda-dropped:{item.id}:{STAFF}"]
    assert "covered by the bulletin" in outbox_texts(svc, "agenda-dropped:")[0]


def test_publish_once_then_numbered_amendments(svc: Services, joint: int) -> None:
    add(svc, joint, "Exit rules")
    agenda.publish_now(svc, joint, NOW)
    with pytest.raises(AgendaAlreadyPublished):
        agenda.publish_now(svc, joint, NOW)
    add(svc, joint, "Late item", who=ADMIN)
    agenda.move_item(svc, joint, 2, 1, NOW)
    assert outbox_keys(svc, "agenda-") == [
        "agenda-published:1:-:-1001",
        "agenda-amended:1:-:1:-1001",
        "agenda-amended:1:-:2:-1001",
    ]
    assert "Now item 1 (was 2): Late item" in outbox_texts(svc, "agenda-amended:1:-:2")[0]


def test_rows_planned_once_something_is_on_the_agenda(svc: Services, joint: int) -> None:
    assert pending(svc, "agenda_publish") == {}
    add(svc, joint, "Exit rules")
    assert pending(svc, "agenda_publish") == {"1.1.-": at("2026-12-09 14:00")}
    assert pending(svc, "agenda_close") == {"1.1.-": at("2026-12-10 16:00")}
    assert pending(svc, "agenda_carry") == {"1.1.-": at("2026-12-11 16:00")}


@pytest.mark.parametrize("to", ["2026-12-17 14:00", "2026-12-04 09:00"])
def test_replan_after_a_move(svc: Services, clock: FixedClock, joint: int, to: str) -> None:
    add(svc, joint, "Exit rules")
    meetings.move(svc.db, joint, at(to), at(to) + timedelta(hours=2), NOW)
    agenda.replan(svc, current(svc, joint), NOW)
    start = at(to)
    assert pending(svc, "agenda_close") == {"1.2.-": start + timedelta(hours=2)}
    assert pending(svc, "agenda_carry") == {"1.2.-": start + timedelta(hours=26)}
    old = schedule.find(svc.db, "agenda_publish", "1.1.-")
    assert old is not None and old.state == "cancelled"
    publish_at = pending(svc, "agenda_publish")["1.2.-"]
    assert NOW < publish_at < start
    clock.set(publish_at)
    assert svc.scheduler.fire_due() == 1
    assert outbox_keys(svc, "agenda-published:") == ["agenda-published:1:-:-1001"]


def test_replan_after_cancelling_disarms_everything(svc: Services, joint: int) -> None:
    add(svc, joint, "Exit rules")
    meetings.cancel(svc.db, joint, "postponed", NOW)
    agenda.replan(svc, current(svc, joint), NOW)
    for kind in ("agenda_publish", "agenda_close", "agenda_carry"):
        assert pending(svc, kind) == {}
    with pytest.raises(MeetingCancelled):
        agenda.view(svc, joint, NOW)


def test_replan_after_cancelling_one_occurrence(svc: Services) -> None:
    organise(svc)
    weekly = new_meeting(svc, "working", "2026-12-08 10:00", rrule="FREQ=WEEKLY;BYDAY=TU")
    add(svc, weekly.id, "Weekly report")
    assert list(pending(svc, "agenda_close")) == [f"{weekly.id}.1.20261208T020000"]
    meetings.cancel_occurrence(svc.db, weekly.id, occ_key(at("2026-12-08 10:00")), "holiday", NOW)
    agenda.replan(svc, current(svc, weekly.id), NOW)
    assert pending(svc, "agenda_close") == {}
    job = schedule.find(svc.db, "agenda_close", f"{weekly.id}.1.20261208T020000")
    assert job is not None and job.state == "cancelled"


# Called at T0 (Tue 1 Dec 10:00) with this much notice: (hours ahead, cut-off and publication
# before the start). COORDBOT_AGENDA_CUTOFF_HOURS=48, COORDBOT_AGENDA_PUBLISH_HOURS=24.
NOTICE = [
    (1, timedelta(minutes=30), timedelta(minutes=15)),
    (12, timedelta(hours=6), timedelta(hours=3)),
    (30, timedelta(hours=15), timedelta(hours=7, minutes=30)),
    (47, timedelta(hours=23, minutes=30), timedelta(hours=11, minutes=45)),
    (48, timedelta(hours=48), timedelta(hours=24)),
    (240, timedelta(hours=48), timedelta(hours=24)),
]


@pytest.mark.parametrize(("hours", "cutoff", "publish"), NOTICE)
def test_deadlines_by_notice(
    svc: Services, hours: int, cutoff: timedelta, publish: timedelta
) -> None:
    organise(svc)
    start = NOW + timedelta(hours=hours)
    mid = new_meeting(svc, "joint", show(start)).id
    add(svc, mid, "Urgent matter", who=ADMIN)
    view = agenda.view(svc, mid, NOW)
    assert view.cutoff == start - cutoff and view.cutoff >= NOW
    assert pending(svc, "agenda_publish") == {f"{mid}.1.-": start - publish}


@pytest.mark.parametrize(("hours", "cutoff", "publish"), [n for n in NOTICE if n[0] < 48])
def test_short_notice_takes_items_until_a_proportionate_cutoff(
    svc: Services, clock: FixedClock, hours: int, cutoff: timedelta, publish: timedelta
) -> None:
    organise(svc)
    start = NOW + timedelta(hours=hours)
    mid = new_meeting(svc, "joint", show(start)).id
    clock.set(start - cutoff - timedelta(minutes=1))
    assert not add(svc, mid, "Just in time").late
    clock.set(start - cutoff)
    with pytest.raises(SubmissionsClosed) as caught:
        add(svc, mid, "Too late")
    assert caught.value.cutoff == start - cutoff > NOW  # never before it was called
    clock.set(start - publish)
    assert svc.scheduler.fire_due() == 1
    assert outbox_keys(svc, "agenda-published:") == [f"agenda-published:{mid}:-:-1001"]


@pytest.mark.parametrize("looked_before", [True, False])
def test_moved_to_short_notice_counts_from_the_move(
    svc: Services, clock: FixedClock, joint: int, looked_before: bool
) -> None:
    if looked_before:
        agenda.view(svc, joint, NOW)
    moved_at = NOW + timedelta(hours=1)
    clock.set(moved_at)
    start = moved_at + timedelta(hours=12)
    meetings.move(svc.db, joint, start, start + timedelta(hours=2), moved_at)
    agenda.replan(svc, current(svc, joint), moved_at)
    view = agenda.view(svc, joint, moved_at)
    assert view.cutoff == start - timedelta(hours=6)
    en = svc.translator.get("en")
    shown = view_text(view, svc.config.tz, en, moved_at)
    assert f"Submissions close at {show_datetime(view.cutoff, svc.config.tz, en)}." in shown


@pytest.mark.parametrize(("decided", "escalated"), [(False, ["Exit rules"]), (True, [])])
def test_major_items_go_up_unless_decided(
    svc: Services, clock: FixedClock, joint: int, decided: bool, escalated: list[str]
) -> None:
    add(svc, joint, "Exit rules #major")
    add(svc, joint, "Routine report")
    coord = new_meeting(svc, "coordination", "2026-12-22 10:00").id
    clock.set(at("2026-12-10 15:00"))
    if decided:
        minutes.record_decision(svc, joint, 1, "Adopted.", person(svc, ADMIN), clock.now())
    clock.set(at("2026-12-10 16:00"))
    svc.scheduler.fire_due()
    assert [i.title for i in agenda.view(svc, coord, clock.now()).items] == escalated


def test_decided_while_waiting_to_go_up_stays(
    svc: Services, clock: FixedClock, joint: int
) -> None:
    add(svc, joint, "Exit rules #major")
    clock.set(at("2026-12-10 16:00"))
    svc.scheduler.fire_due()  # no coordination-group meeting yet: the admins are told
    assert outbox_keys(svc, "agenda-unplaced:") == [f"agenda-unplaced:{joint}:-:{ADMIN}"]
    minutes.record_decision(svc, joint, 1, "Settled here.", person(svc, ADMIN), clock.now())
    coord = new_meeting(svc, "coordination", "2026-12-22 10:00").id
    assert agenda.view(svc, coord, clock.now()).items == []
    assert items.items(svc.db, joint, "")[0].state == "open"


@pytest.mark.parametrize(
    ("ref", "parsed"),
    [
        ("12.3.-", SittingRef(12, 3, "")),
        ("12.1.20261208T020000", SittingRef(12, 1, "20261208T020000")),
        ("12.x.-", None),
        ("12.3", None),
    ],
)
def test_sitting_refs(ref: str, parsed: SittingRef | None) -> None:
    assert parse_sitting_ref(ref) == parsed
