"""The meeting service at the seam: create, invite, move, cancel (whole or one occurrence),
everything timed on a meeting re-planned, and notices that skip the chat a command came from.

The `svc` fixture stands at Tue 1 Dec 2026 10:00 in Shanghai (02:00 UTC).
"""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from icalendar import Calendar

from bot.domain.meeting_errors import (
    AlreadyCancelled,
    MeetingCancelled,
    MeetingError,
    MeetingNotFound,
    NoOccurrence,
    OccurrenceCancelled,
    OccurrenceClash,
    OccurrenceStarted,
    ScopeNeeded,
    UnknownUnits,
)
from bot.domain.timeparse import When
from bot.render.ics import meeting_ics
from bot.services import Services, meeting_reads, meetings
from bot.services import agenda as agenda_service
from storage import agenda, chats, people, rsvps

H, D = timedelta(hours=1), timedelta(days=1)
GROUP, ADMIN, MEMBER = -1001, 7_000_000_001, 7_000_000_002
# Tue 8 Dec 2026 10:00 Shanghai, and the weekly series' next Tuesdays.
DEC8, DEC15, DEC22 = (datetime(2026, 12, d, 2, 0, tzinfo=UTC) for d in (8, 15, 22))


def when(start: datetime, hours: int = 2) -> When:
    """A time as the handler hands it over."""
    return When(start, start + hours * H)


def new(svc: Services, start: datetime = DEC8, rrule: str | None = None) -> int:
    """A joint meeting (weekly with `rrule`); its id."""
    made = meetings.create(
        svc,
        kind="joint",
        title="Joint",
        place="",
        when=when(start),
        rrule=rrule,
        by=ADMIN,
        now=svc.clock.now(),
    )
    return made.meeting.id


def with_item(svc: Services, meeting_id: int, start: datetime, occ: str = "") -> None:
    """An item on a sitting's agenda, planned as the agenda plans it on submission."""
    now = svc.clock.now()
    agenda.add_item(
        svc.db,
        meeting_id=meeting_id,
        occ=occ,
        meeting_kind="joint",
        sitting_start=start,
        title="Item",
        kind="report",
        major=False,
        project=None,
        minutes=None,
        submitter=None,
        unit_code=None,
        late=False,
        now=now,
    )
    meeting = meeting_reads.get_meeting(svc.db, meeting_id, now)
    assert meeting is not None
    agenda_service.replan(svc, meeting, now)


def pending(svc: Services) -> list[tuple[str, datetime]]:
    """Pending timed rows as (kind, due), by due time."""
    rows = svc.db.query("SELECT kind, due_at FROM schedule WHERE state = 'pending'")
    return sorted((r["kind"], datetime.fromisoformat(r["due_at"])) for r in rows)


def planned(start: datetime, hours: int = 2, agenda_rows: bool = True) -> list[Any]:
    """The rows a one-off two-hour sitting at `start` with an agenda item gets."""
    rows = [("meeting_reminder", start - D), ("meeting_reminder", start - H)]
    if agenda_rows:
        end = start + hours * H
        rows += [
            ("agenda_publish", start - D),
            ("agenda_close", end),
            ("agenda_carry", end + D),
        ]
    return sorted(rows)


def audience(svc: Services) -> None:
    """A group subscribed to meetings, and a member who reads Chinese attending."""
    now = svc.clock.now()
    chats.touch_chat(svc.db, GROUP, "supergroup", "Pilot group", now)
    chats.subscribe(svc.db, GROUP, ["meetings"], now)
    people.touch_person(svc.db, MEMBER, "mei", "Mei", None, "zh-hans", now)
    people.touch_person(svc.db, ADMIN, "ada", "Ada", None, "en", now)


def outbox(svc: Services, prefix: str) -> dict[int, str]:
    """Queued notices whose key starts with a prefix, by chat."""
    rows = svc.db.query("SELECT chat_id, text FROM outbox WHERE key LIKE ?", [prefix + "%"])
    return {r["chat_id"]: r["text"] for r in rows}


def test_create_plans_reminders_and_echoes_series(svc: Services) -> None:
    made = meetings.create(
        svc,
        kind="working",
        title="Weekly",
        place="Room 1",
        when=when(datetime(2026, 12, 7, 2, 0, tzinfo=UTC)),  # a Monday
        rrule="FREQ=WEEKLY;BYDAY=TU",
        by=ADMIN,
        now=svc.clock.now(),
    )
    assert made.meeting.start == DEC8  # the first Tuesday at or after the time given
    assert made.next_starts == [DEC8, DEC15, DEC22]
    assert made.audit == {"meeting": 1, "start": DEC8.isoformat(), "rrule": "FREQ=WEEKLY;BYDAY=TU"}
    assert [due for _kind, due in pending(svc)] == [DEC8 - D, DEC8 - H, DEC15 - D, DEC15 - H]


def test_move_replans_reminders_and_agenda_rows(svc: Services) -> None:
    mid = new(svc)
    with_item(svc, mid, DEC8)
    assert pending(svc) == planned(DEC8)
    later = datetime(2026, 12, 10, 6, 0, tzinfo=UTC)  # Thu 10 Dec 14:00
    moved = meetings.move(svc, mid, when(later, 3), svc.clock.now())
    assert moved.meeting.start == later and moved.old_start == DEC8
    assert pending(svc) == planned(later, hours=3)
    rows = svc.db.query("SELECT kind, due_at, state FROM schedule")
    states = {(r["kind"], datetime.fromisoformat(r["due_at"])): r["state"] for r in rows}
    assert {states[row] for row in planned(DEC8)} == {"cancelled"}


def test_cancel_disarms_everything_timed(svc: Services) -> None:
    mid = new(svc)
    with_item(svc, mid, DEC8)
    cancelled = meetings.cancel(svc, mid, None, "postponed", svc.clock.now())
    assert cancelled.whole and cancelled.audit == {"meeting": mid, "scope": "all"}
    assert pending(svc) == []
    states = {r["state"] for r in svc.db.query("SELECT state FROM schedule")}
    assert states == {"cancelled"}


def test_cancel_one_occurrence_disarms_its_rows_only(svc: Services) -> None:
    mid = new(svc, rrule="FREQ=WEEKLY")
    with_item(svc, mid, DEC15, occ="20261215T020000")
    assert ("agenda_close", DEC15 + 2 * H) in pending(svc)
    done = meetings.cancel(svc, mid, date(2026, 12, 15), "", svc.clock.now())
    assert not done.whole and done.meeting.start == DEC15
    meeting = meeting_reads.get_meeting(svc.db, mid, svc.clock.now())
    assert meeting is not None and meeting.exdates == ("20261215T020000",)
    assert meeting.starts(svc.clock.now(), 3) == [DEC8, DEC22, DEC22 + 7 * D]
    dues = [due for _kind, due in pending(svc)]
    assert all(not DEC15 - 2 * D < due < DEC15 + 2 * D for due in dues)
    assert dues == [DEC8 - D, DEC8 - H, DEC22 - D, DEC22 - H]


def test_move_one_occurrence_keeps_its_key_and_moves_its_rows(svc: Services) -> None:
    mid = new(svc, rrule="FREQ=WEEKLY")
    key = "20261215T020000"
    with_item(svc, mid, DEC15, occ=key)
    rsvps.answer(svc.db, mid, key, MEMBER, None, "attend", svc.clock.now())
    new_start = datetime(2026, 12, 16, 6, 0, tzinfo=UTC)  # Wed 16 Dec 14:00
    done = meetings.move(svc, mid, when(new_start), svc.clock.now(), day=date(2026, 12, 15))
    assert done.one_occurrence and done.old_start == DEC15
    assert done.meeting.start == new_start and done.meeting.key == key
    assert done.meeting.moved_from == DEC15
    assert done.audit == {"meeting": mid, "start": new_start.isoformat(), "occ": key}
    meeting = meeting_reads.get_meeting(svc.db, mid, svc.clock.now())
    assert meeting is not None
    assert meeting.starts(svc.clock.now(), 3) == [DEC8, new_start, DEC22]
    assert meeting.occurrence(key).start == new_start
    assert meeting.on_day(date(2026, 12, 15)) == meeting.on_day(date(2026, 12, 16))
    rows = pending(svc)
    assert ("meeting_reminder", new_start - H) in rows
    assert ("agenda_close", new_start + 2 * H) in rows
    assert all(due != DEC15 - H and due != DEC15 + 2 * H for _k, due in rows)
    # The answer hangs on the key, so it stands at the new time.
    assert rsvps.attending(svc.db, mid, [meeting.occurrence(key).rsvp_key]) == [MEMBER]


def test_listing_card_and_ics_agree_on_moved_and_cancelled(svc: Services) -> None:
    mid = new(svc, rrule="FREQ=WEEKLY")
    now = svc.clock.now()
    new_start = datetime(2026, 12, 16, 6, 0, tzinfo=UTC)
    meetings.move(svc, mid, when(new_start), now, day=date(2026, 12, 15))
    meetings.cancel(svc, mid, date(2026, 12, 22), "", now)
    found = meeting_reads.upcoming(svc.db, now, now + 30 * D)
    assert [m.start for m in found] == [DEC8, new_start, DEC22 + 7 * D]
    entry = meetings.calendar_entry(svc, mid, now)
    calendar = Calendar.from_ical(meeting_ics(entry.meeting, entry.offsets, now))
    master, override = cast(list[Any], calendar.walk("VEVENT"))
    assert master["EXDATE"].dts[0].dt == DEC22
    assert override["RECURRENCE-ID"].dt == DEC15
    assert override["DTSTART"].dt == new_start
    assert str(override["UID"]) == str(master["UID"])


@pytest.mark.parametrize(
    ("origin", "told"),
    [
        (GROUP, [MEMBER]),  # the command came from the group: its reply says it there
        (ADMIN, [GROUP, MEMBER]),
        (None, [GROUP, MEMBER]),
    ],
)
def test_move_notice_skips_the_chat_the_command_came_from(
    svc: Services, origin: int | None, told: list[int]
) -> None:
    audience(svc)
    mid = new(svc)
    rsvps.answer(svc.db, mid, "", MEMBER, None, "attend", svc.clock.now())
    meetings.move(svc, mid, when(DEC15), svc.clock.now(), origin=origin)
    notices = outbox(svc, f"meeting-moved:{mid}:")
    assert sorted(notices) == sorted(told)
    assert "已改期" in notices[MEMBER]  # a person's own language in their private chat


@pytest.mark.parametrize(
    ("which", "key"),
    [("this", "20261208T020000"), (date(2026, 12, 15), "20261215T020000"), ("all", "all")],
)
def test_cancel_notice_keys(svc: Services, which: Any, key: str) -> None:
    audience(svc)
    mid = new(svc, rrule="FREQ=WEEKLY")
    meetings.cancel(svc, mid, which, "", svc.clock.now(), origin=ADMIN)
    assert list(outbox(svc, "meeting-cancelled:")) == [GROUP]
    assert outbox(svc, f"meeting-cancelled:{mid}:{key}:")


SERIES = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # Tue 1 Dec 09:00, weekly: begun an hour ago


def refusal(svc: Services, mid: int, case: str) -> None:
    """Try one refused change."""
    now = svc.clock.now()
    day = {"no such day": 9, "day cancelled": 22, "begun": 1}.get(case, 15)
    actions = {
        "unknown": lambda: meetings.move(svc, 99, when(DEC15), now),
        "no scope": lambda: meetings.cancel(svc, mid, None, "", now),
        "no such day": lambda: meetings.cancel(svc, mid, date(2026, 12, day), "", now),
        "day cancelled": lambda: meetings.cancel(svc, mid, date(2026, 12, day), "", now),
        "onto another": lambda: meetings.move(
            svc, mid, when(SERIES + 7 * D), now, day=date(2026, 12, day)
        ),
        "begun": lambda: meetings.move(svc, mid, when(DEC15), now, day=date(2026, 12, day)),
        "units": lambda: meetings.invite(svc, mid, ["NOPE"], now),
    }
    actions[case]()


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("unknown", MeetingNotFound),
        ("no scope", ScopeNeeded),
        ("no such day", NoOccurrence),
        ("day cancelled", OccurrenceCancelled),
        ("onto another", OccurrenceClash),
        ("begun", OccurrenceStarted),
        ("units", UnknownUnits),
    ],
)
def test_refusals_change_nothing(svc: Services, case: str, error: type[MeetingError]) -> None:
    mid = new(svc, SERIES, rrule="FREQ=WEEKLY")
    meetings.cancel(svc, mid, date(2026, 12, 22), "", svc.clock.now())
    tables = (
        "meetings",
        "meeting_exdates",
        "meeting_moves",
        "meeting_units",
        "schedule",
        "outbox",
    )
    before = {t: list(svc.db.query(f"SELECT * FROM {t}")) for t in tables}  # noqa: S608
    with pytest.raises(error):
        refusal(svc, mid, case)
    assert {t: list(svc.db.query(f"SELECT * FROM {t}")) for t in tables} == before  # noqa: S608


def test_cancelled_meeting_cannot_move_or_cancel_again(svc: Services) -> None:
    mid = new(svc)
    meetings.cancel(svc, mid, None, "", svc.clock.now())
    with pytest.raises(MeetingCancelled):
        meetings.move(svc, mid, when(DEC15), svc.clock.now())
    with pytest.raises(AlreadyCancelled):
        meetings.cancel(svc, mid, "all", "", svc.clock.now())


def test_invite_and_overlap_warning(svc: Services) -> None:
    now = svc.clock.now()
    people.add_unit(svc.db, "TECH", "Technology", now)
    people.add_unit(svc.db, "BJ", "Beijing", now)
    first, second = new(svc), new(svc, DEC8 + H)
    assert meetings.invite(svc, first, ["tech"], now).meeting.invited == ("TECH",)
    done = meetings.invite(svc, second, ["BJ", "bj"], now)
    assert done.meeting.invited == ("BJ",) and done.check.overlaps == []
    done = meetings.invite(svc, second, ["TECH", "BJ"], now)
    assert [m.id for m in done.check.overlaps] == [first]
    assert done.audit == {"meeting": second, "units": ["TECH", "BJ"]}


@pytest.mark.parametrize(
    ("module", "above"),
    [
        ("storage/meetings.py", ("bot", "handlers")),
        ("storage/rsvps.py", ("bot", "handlers")),
        ("bot/domain/meeting_times.py", ("storage", "handlers", "bot.services", "telegram")),
        ("bot/domain/meeting_errors.py", ("storage", "handlers", "bot.services", "telegram")),
    ],
)
def test_storage_and_domain_import_nothing_above_them(module: str, above: tuple[str, ...]) -> None:
    tree = ast.parse((Path(__file__).parents[2] / module).read_text())
    names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert [n for n in names if any(n == p or n.startswith(p + ".") for p in above)] == []
