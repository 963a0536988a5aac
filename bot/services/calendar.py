"""The calendar feed: each person's secret URL and the meetings it shows.

A subscribed calendar fetches the feed again every hour or so, so it follows moves and
cancellations that a one-off .ics (/ics) cannot. The feed holds the meetings the person's
unit is invited to (every meeting for admins; a meeting inviting no unit in particular is
for all), series with their cancelled occurrences, and one alarm per reminder offset.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from bot.domain.meeting_times import Meeting
from bot.i18n import N_
from bot.services import Services
from bot.services import meeting_reads as meetings
from bot.services.notify import tr_for
from storage import calendar_tokens, people
from storage.calendar_feed import feed_meeting_ids, meeting_stamps
from storage.calendar_tokens import FeedToken
from storage.people import Person

HISTORY = timedelta(days=90)  # past meetings kept in the feed
FEED_NAME = N_("Coordination group meetings")
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Feed:
    """The feed's body and its validators for conditional requests."""

    body: bytes
    etag: str
    last_modified: datetime


def token_for(svc: Services, user_id: int, now: datetime, reset: bool = False) -> FeedToken:
    """A person's feed token, issued on first use; with reset, a new one (the old is dead)."""
    current = None if reset else calendar_tokens.get_token(svc.db, user_id)
    return current or calendar_tokens.issue_token(svc.db, user_id, now)


def feed_urls(base: str, token: str) -> tuple[str, str]:
    """(https URL, webcal URL) of a token's feed under the public base URL."""
    https = f"{base.rstrip('/')}/cal/{token}.ics"
    parts = urlsplit(https)
    return https, urlunsplit(("webcal", *parts[1:]))


def may_see(person: Person, meeting: Meeting) -> bool:
    """Admins see every meeting; others those inviting their unit or inviting all units."""
    if person.role == "admin" or not meeting.invited:
        return True
    unit = (person.unit_code or "").upper()
    return bool(unit) and unit in {code.upper() for code in meeting.invited}


def visible_meetings(svc: Services, person: Person, now: datetime) -> list[Meeting]:
    """The meetings in a person's feed: recent and coming ones they may see."""
    found = []
    for meeting_id in feed_meeting_ids(svc.db, now - HISTORY):
        meeting = meetings.get_meeting(svc.db, meeting_id, now)
        if meeting is not None and may_see(person, meeting):
            found.append(meeting)
    return found


def feed(svc: Services, token: str, now: datetime) -> Feed | None:
    """The feed behind a token; None for an unknown or revoked token or a person with no role."""
    user_id = calendar_tokens.owner_of(svc.db, token)
    person = people.get_person(svc.db, user_id) if user_id is not None else None
    if person is None or person.role == "none":
        return None
    stamps = meeting_stamps(svc.db)
    events = []
    for meeting in visible_meetings(svc, person, now):
        # The meeting's own offsets, else the configured default (as its reminders use).
        offsets = meeting.offsets if meeting.offsets is not None else svc.config.reminder_offsets
        events.append((meeting, offsets, stamps.get(meeting.id, EPOCH)))
    tr = tr_for(svc, person.user_id)
    from bot.render.ics import feed_ics  # icalendar (~20 ms to import) loads at the first feed

    body = feed_ics(events, tr(FEED_NAME))
    changed = max((stamp for _m, _o, stamp in events), default=EPOCH)
    return Feed(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"', changed)
