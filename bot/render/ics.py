"""A meeting as an iCalendar file (RFC 5545) that calendar apps import cleanly.

DTSTART/DTEND carry the meeting's TZID with a matching VTIMEZONE, so a weekly series keeps
its wall-clock time across DST in the reader's calendar too. A recurring meeting gets its
RRULE (UNTIL turned into UTC, as the RFC requires with a zoned DTSTART), one EXDATE per
cancelled occurrence, and one more VEVENT per moved occurrence: same UID, RECURRENCE-ID the
start the rule gives it, DTSTART/DTEND its new time (RFC 5545, 3.8.4.4). Each reminder
offset becomes a VALARM; whole days are written as days (-P1D), which calendars count on
the wall clock, like our own reminders.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from icalendar import Alarm, Calendar, Event, Timezone, vRecur

from bot.domain.meeting_times import Meeting, Moved, from_occ_key
from bot.domain.timeparse._text import local_to_utc

PRODID = "-//coordbot//meetings//EN"
_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})(?!Z)")


def utc_until(rrule: str, meeting: Meeting) -> str:
    """The rule with a floating local UNTIL rewritten as UTC."""

    def to_utc(match: re.Match[str]) -> str:
        local = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S")
        return "UNTIL=" + local_to_utc(local, meeting.zone).strftime("%Y%m%dT%H%M%SZ")

    return _UNTIL.sub(to_utc, rrule)


def _alarm(offset: timedelta, title: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -offset)
    return alarm


def _event(
    meeting: Meeting, start: datetime, end: datetime, offsets: Sequence[timedelta], stamp: datetime
) -> Event:
    """The properties every VEVENT of the meeting shares, with its own start and end."""
    zone = meeting.zone
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@coordbot")
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("sequence", meeting.version)
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("dtstart", start.astimezone(zone))
    event.add("dtend", end.astimezone(zone))
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    for offset in offsets:
        event.add_component(_alarm(offset, meeting.title))
    return event


def _override(
    meeting: Meeting, moved: Moved, offsets: Sequence[timedelta], stamp: datetime
) -> Event | None:
    """The VEVENT of one moved occurrence, naming the occurrence by RECURRENCE-ID."""
    original = from_occ_key(moved.occ)
    if original is None:
        return None
    event = _event(meeting, moved.start, moved.end, offsets, stamp)
    event.add("recurrence-id", original.astimezone(meeting.zone))
    return event


def meeting_events(meeting: Meeting, offsets: Sequence[timedelta], stamp: datetime) -> list[Event]:
    """The VEVENTs of one meeting or series (UID stable across moves): the event with its
    rule and cancelled occurrences (EXDATE), then one per moved occurrence (RECURRENCE-ID)."""
    zone = meeting.zone
    event = _event(meeting, meeting.first_start, meeting.first_end, offsets, stamp)
    overrides: list[Event] = []
    if meeting.rrule:
        event.add("rrule", vRecur.from_ical(utc_until(meeting.rrule, meeting)))
        for key in meeting.exdates:
            start = from_occ_key(key)
            if start is not None:
                event.add("exdate", start.astimezone(zone))
        for moved in meeting.moves:
            found = (
                None if moved.occ in meeting.exdates else _override(meeting, moved, offsets, stamp)
            )
            if found is not None:
                overrides.append(found)
    return [event, *overrides]


def _calendar() -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    return cal


def meeting_ics(meeting: Meeting, offsets: Sequence[timedelta], now: datetime) -> bytes:
    """The VCALENDAR for one meeting or series."""
    cal = _calendar()
    for component in meeting_events(meeting, offsets, now):
        cal.add_component(component)
    cal.add_missing_timezones()
    return cal.to_ical()


@lru_cache(maxsize=16)
def _vtimezone(key: str) -> bytes:
    # Building a VTIMEZONE from the zone database takes ~30 ms; zones do not change at run time.
    return Timezone.from_tzid(key).to_ical()


@lru_cache(maxsize=4096)
def _event_ical(meeting: Meeting, offsets: tuple[timedelta, ...], stamp: datetime) -> bytes:
    # A feed is fetched again and again while its meetings rarely change: serialising
    # with icalendar costs ~0.5 ms an event, so each event's text is kept until it changes.
    return b"".join(e.to_ical() for e in meeting_events(meeting, offsets, stamp))


def feed_ics(events: Sequence[tuple[Meeting, Sequence[timedelta], datetime]], name: str) -> bytes:
    """A subscription feed: one VEVENT per (meeting, reminder offsets, last change)."""
    cal = _calendar()
    cal.add("x-wr-calname", name)
    # Hints for how often subscribed calendars fetch it again (RFC 7986 and Outlook's).
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    head = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    zones = [_vtimezone(key) for key in sorted({meeting.tz for meeting, _o, _s in events})]
    body = [_event_ical(m, tuple(o), stamp) for m, o, stamp in events]
    return head[: -len(end)] + b"".join(zones) + b"".join(body) + end
