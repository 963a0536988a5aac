"""The iCalendar file: parsed back, it has the event, its zone, recurrence and alarms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from bot.clock import FixedClock
from bot.render.ics import meeting_ics
from tests.support.harness import ADMIN, MEMBER, Harness
from tests.support.meetings import new_meeting, sample

H, D = timedelta(hours=1), timedelta(days=1)
NOW = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


def parse(data: bytes) -> tuple[Calendar, object]:
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return cal, events[0]


def test_one_off_event_with_zone_and_alarms() -> None:
    cal, event = parse(meeting_ics(sample(), [D, H], NOW))
    assert str(event["UID"]) == "meeting-7@coordbot"  # type: ignore[index]
    start = event["DTSTART"]  # type: ignore[index]
    assert start.params["TZID"] == "Asia/Shanghai"
    assert start.dt == datetime(2026, 9, 4, 6, 0, tzinfo=UTC)
    assert event["DTEND"].dt == datetime(2026, 9, 4, 8, 0, tzinfo=UTC)  # type: ignore[index]
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    triggers = sorted(a["TRIGGER"].dt for a in event.walk("VALARM"))  # type: ignore[attr-defined]
    assert triggers == [-D, -H]
    assert str(event["SUMMARY"]) == "Q3 <joint>" and str(event["LOCATION"]) == "Room 301"  # type: ignore[index]
    assert "RRULE" not in event  # type: ignore[operator]


def test_series_with_exdate_until_in_utc_and_cancelled() -> None:
    first = datetime(2026, 3, 17, 9, 0, tzinfo=UTC)  # Tue 10:00 Berlin
    meeting = sample(
        tz="Europe/Berlin",
        first_start=first,
        first_end=first + H,
        rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T235959",
        exdates=("20260331T080000",),
    )
    data = meeting_ics(meeting, [H], NOW)
    assert b"UNTIL=20260630T215959Z" in data
    cal, event = parse(data)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"  # type: ignore[index]
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]  # type: ignore[index]
    exdate = event["EXDATE"].dts[0].dt  # type: ignore[index]
    assert exdate.astimezone(UTC) == datetime(2026, 3, 31, 8, 0, tzinfo=UTC)
    assert exdate.hour == 10  # still 10:00 local after the DST change
    tz = cal.walk("VTIMEZONE")[0]
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
    cancelled = parse(meeting_ics(sample(cancelled=True), [], NOW))[1]
    assert str(cancelled["STATUS"]) == "CANCELLED"  # type: ignore[index]


async def test_ics_command_sends_the_file(mt: tuple[Harness, FixedClock]) -> None:
    h, _clock = mt
    mid = await new_meeting(h, "working | 2026-09-08 10:00 | Weekly | Zoom | every week on tue")
    await h.send(ADMIN, f"/remind {mid} 2d,15m")
    await h.send(ADMIN, f"/meeting_cancel {mid} this")
    calls = await h.send(MEMBER, f"/ics {mid}")
    (call,) = [c for c in calls if c.method == "sendDocument"]
    assert call.method == "sendDocument"
    data = h.emu.file_bytes(call.result["document"]["file_id"])
    _cal, event = parse(data)
    assert str(event["RRULE"].to_ical().decode()) == "FREQ=WEEKLY;BYDAY=TU"  # type: ignore[index]
    assert event["EXDATE"].dts[0].dt.day == 8  # type: ignore[index]
    triggers = sorted(a["TRIGGER"].dt for a in event.walk("VALARM"))  # type: ignore[attr-defined]
    assert triggers == [-2 * D, -timedelta(minutes=15)]
