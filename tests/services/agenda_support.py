"""Shared setup (no tests here) for the agenda, minutes and action service tests.

The `svc` fixture's clock stands at Tuesday 1 December 2026, 10:00 in Shanghai.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from bot.services import Services
from bot.services import meeting_reads as meetings
from storage import chats, people, schedule
from storage import meetings as stored_meetings
from storage.people import Person

SHANGHAI = ZoneInfo("Asia/Shanghai")
ADMIN, STAFF, MEMBER, STAFF2 = 1, 2, 3, 5
GROUP = -1001


def at(text: str) -> datetime:
    """A Shanghai wall-clock time 'YYYY-MM-DD HH:MM' as an aware UTC instant."""
    local = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    return local.astimezone(UTC)


def organise(svc: Services) -> None:
    """Units TECH and BJ, an admin, staff in each, a member, a group subscribed to meetings."""
    db, now = svc.db, svc.clock.now()
    people.add_unit(db, "TECH", "Technology Supervision Bureau", now)
    people.add_unit(db, "BJ", "Beijing Bureau", now)
    for user_id, name, role, unit in [
        (ADMIN, "ada", "admin", None),
        (STAFF, "sam", "staff", "TECH"),
        (MEMBER, "mei", "member", "BJ"),
        (STAFF2, "li", "staff", "BJ"),
    ]:
        people.touch_person(db, user_id, name, name.title(), None, "en", now)
        people.set_role(db, user_id, role, unit, now)  # type: ignore[arg-type]
    chats.touch_chat(db, GROUP, "supergroup", "Pilot group", now)
    chats.subscribe(db, GROUP, ["meetings"], now)


def person(svc: Services, user_id: int) -> Person:
    """Someone organise() created."""
    found = people.get_person(svc.db, user_id)
    assert found is not None
    return found


def new_meeting(
    svc: Services,
    kind: str,
    start: str,
    *,
    hours: int = 2,
    rrule: str | None = None,
    called: datetime | None = None,
) -> Meeting:
    """A meeting of `kind` at a Shanghai wall-clock start, created at `called` (default: now)."""
    first = at(start)
    mid = stored_meetings.create(
        svc.db,
        kind=kind,
        title=f"{kind} meeting",
        place="",
        start=first,
        end=first + timedelta(hours=hours),
        tz="Asia/Shanghai",
        rrule=rrule,
        created_by=ADMIN,
        now=called or svc.clock.now(),
    )
    return current(svc, mid)


def current(svc: Services, meeting_id: int) -> Meeting:
    """A meeting as stored now."""
    found = meetings.get_meeting(svc.db, meeting_id, svc.clock.now())
    assert found is not None
    return found


def pending(svc: Services, kind: str) -> dict[str, datetime]:
    """{ref: due} of the pending rows of a kind."""
    return {job.ref: job.due_at for job in schedule.pending_with_prefix(svc.db, kind, "")}


def outbox_keys(svc: Services, prefix: str = "") -> list[str]:
    """Keys of queued notices starting with a prefix, in the order queued."""
    rows = svc.db.query(
        "SELECT key FROM outbox WHERE key >= ? AND key < ? ORDER BY id", [prefix, prefix + "~"]
    )
    return [row["key"] for row in rows]


def outbox_texts(svc: Services, prefix: str) -> list[str]:
    """Texts of queued notices whose key starts with a prefix."""
    rows = svc.db.query(
        "SELECT text FROM outbox WHERE key >= ? AND key < ? ORDER BY id", [prefix, prefix + "~"]
    )
    return [row["text"] for row in rows]
