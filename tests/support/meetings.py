"""Meetings as literal values and through the bot: Shanghai wall-clock instants, Meeting
builders for the pure rules and renderers, and scheduling one end to end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.meeting_times import Meeting
from tests.support.harness import ADMIN, Harness, table_rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday 1 September 2026, 10:00 in Shanghai: where the meeting, agenda and minutes tests'
# fixed clocks stand.
T0 = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)


def at(text: str) -> datetime:
    """A Shanghai wall-clock time 'YYYY-MM-DD HH:MM' as an aware UTC instant."""
    local = datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)
    return local.astimezone(UTC)


def meeting(rrule: str | None = None, start: str = "2026-09-08 10:00") -> Meeting:
    """Joint meeting #7, two hours (weekly on Tuesdays when rrule is given), nobody invited."""
    first = at(start)
    end = first + timedelta(hours=2)
    return sample(
        title="T",
        place="",
        start=first,
        end=end,
        first_start=first,
        first_end=end,
        rrule=rrule,
        invited=(),
    )


def sample(**kw: object) -> Meeting:
    """Joint meeting #7 'Q3 <joint>' in Room 301, Fri 4 Sep 2026 14:00-16:00 Shanghai, BJ and
    TECH invited; any field replaced by keyword."""
    start = datetime(2026, 9, 4, 6, 0, tzinfo=UTC)
    values: dict[str, object] = dict(
        id=7,
        kind="joint",
        title="Q3 <joint>",
        place="Room 301",
        start=start,
        end=start + timedelta(hours=2),
        first_start=start,
        first_end=start + timedelta(hours=2),
        tz="Asia/Shanghai",
        rrule=None,
        exdates=(),
        cancelled=False,
        cancel_reason=None,
        invited=("BJ", "TECH"),
        offsets=None,
        version=1,
    )
    values.update(kw)
    return Meeting(**values)  # type: ignore[arg-type]


async def new_meeting(h: Harness, args: str, chat: int = ADMIN) -> int:
    """Schedule a meeting as the admin (`/meeting_new <args>`); return its id."""
    reply = await h.text(ADMIN, f"/meeting_new {args}", chat=chat)
    assert "Scheduled" in reply or "已安排" in reply, reply
    return int(max(r["id"] for r in h.svc.db.query("SELECT id FROM meetings")))


def snapshot(h: Harness) -> dict[str, Any]:
    """Every meeting-related row, to show that refused input changed nothing."""
    db = h.svc.db
    rows: dict[str, Any] = table_rows(db, "meetings", "meeting_units", "meeting_exdates", "rsvps")
    # fired_at/note may be touched when APScheduler (real time) calls ahead of the FixedClock.
    rows["schedule"] = list(db.query("SELECT id, kind, ref, due_at, state FROM schedule"))
    rows["outbox"] = list(db.query("SELECT key FROM outbox"))
    return rows
