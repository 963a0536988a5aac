"""Scheduled reporting rounds: the schedules (weekly or monthly, a deadline rule, a scope),
the `round_open` rows that open a round by themselves, and what happens at start-up.

Each schedule in force has exactly one pending `round_open` row, ref `<schedule>@<due UTC>`
(`open_ref` / `parse_open_ref`); firing it opens the round and arms the next, so a restart
finds the next opening in the database. An opening missed while the bot was down opens
once at start-up, unless the next one is already due too (then it is recorded missed).
Notices: `round-opened:<round>` and `round-skipped:<ref>` to the admins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.domain.rounds import MAX_WINDOW, Cadence, Scope, next_opening, parse_deadline
from bot.domain.timeparse import WhenError
from bot.i18n import N_, Tr
from bot.render import rounds as render
from bot.services import notify
from bot.services.refused import Refused
from bot.services.rounds import REMIND, DeadlineTooFar, fire_reminder, in_scope, open_round
from storage import round_schedules as stored
from storage import schedule
from storage.db import transaction, utc_iso
from storage.round_schedules import RoundSchedule
from storage.schedule import Job, JobState

if TYPE_CHECKING:
    from bot.services import Services

OPEN = "round_open"


class NoSuchSchedule(Refused):
    """Stopping a schedule that is not in force."""

    message = N_("There is no round schedule #{n}. See /round_schedule.")


@dataclass(frozen=True)
class Planned:
    """A schedule in force and its next opening."""

    schedule: RoundSchedule
    next_open: datetime | None
    audit: dict[str, Any] = field(default_factory=dict)


def open_ref(schedule_id: int, due: datetime) -> str:
    """The ref of a schedule's opening: `3@2026-12-04T01:00:00.000+00:00`."""
    return f"{schedule_id}@{utc_iso(due)}"


def parse_open_ref(ref: str) -> tuple[int, datetime]:
    """(schedule number, due time) from a ref."""
    number, _, due = ref.partition("@")
    return int(number), datetime.fromisoformat(due)


def cadence_of(row: RoundSchedule) -> Cadence:
    """The cadence a stored schedule follows."""
    return Cadence("weekly" if row.freq == "weekly" else "monthly", row.day, row.at)


def add(
    svc: Services, cadence: Cadence, deadline: str, scope: Scope, by: int, now: datetime
) -> Planned:
    """Store a schedule (the caller checked its deadline rule reads) and arm its first
    opening; the scope is checked now (known codes) but may be empty today."""
    in_scope(svc, scope)
    first = next_opening(cadence, now, svc.config.tz)
    if parse_deadline(deadline, first, svc.config.tz) - first > MAX_WINDOW:
        raise DeadlineTooFar(n=MAX_WINDOW.days)
    row = stored.add_schedule(
        svc.db,
        freq=cadence.freq,
        day=cadence.day,
        at=cadence.at,
        deadline=deadline,
        scope=scope.stored(),
        by_user=by,
        now=now,
    )
    svc.scheduler.put(OPEN, open_ref(row.id, first), first)
    audit = {"schedule": row.id, "scope": row.scope, "deadline": deadline}
    return Planned(row, first, audit)


def stop(svc: Services, schedule_id: int, now: datetime) -> RoundSchedule:
    """Stop a schedule: its pending opening is cancelled; rounds it opened stay."""
    row = stored.get_schedule(svc.db, schedule_id)
    if row is None or not stored.stop_schedule(svc.db, schedule_id, now):
        raise NoSuchSchedule(n=schedule_id)
    svc.scheduler.cancel_prefix(OPEN, f"{schedule_id}@")
    return row


def listing(svc: Services) -> list[Planned]:
    """Every schedule in force with its next opening."""
    out = []
    for row in stored.schedules(svc.db):
        pending = schedule.pending_with_prefix(svc.db, OPEN, f"{row.id}@")
        out.append(Planned(row, pending[0].due_at if pending else None))
    return out


def fire_open(svc: Services, job: Job, now: datetime) -> tuple[JobState, str | None]:
    """Open the scheduled round (once, even late after downtime), then arm the next."""
    schedule_id, due = parse_open_ref(job.ref)
    row = stored.get_schedule(svc.db, schedule_id)
    if row is None:
        return "cancelled", "schedule stopped"
    tz = svc.config.tz
    cadence = cadence_of(row)
    upcoming = next_opening(cadence, max(now, due), tz)
    svc.scheduler.put(OPEN, open_ref(row.id, upcoming), upcoming)
    if now >= next_opening(cadence, due, tz):
        return "missed", "the next opening is already due"
    try:
        deadline = parse_deadline(row.deadline, now, tz)
        opened = open_round(svc, Scope.from_stored(row.scope), deadline, None, now, row.id)
    except (Refused, WhenError) as exc:
        reason = exc if isinstance(exc, Refused) else None

        def skipped(tr: Tr) -> str:
            return render.schedule_skipped(tr, row.id, reason.text(tr) if reason else "")

        notify.notify(svc, notify.admins(svc), f"round-skipped:{job.ref}", "notice", skipped, now)
        return "done", f"not opened: {exc}"

    def told(tr: Tr) -> str:
        return render.opened_text(
            tr,
            tz,
            opened.round,
            opened.units,
            opened.projects,
            opened.unstaffed,
            opened.unfollowed,
            opened.names,
            opened.early,
            scheduled=row.id,
        )

    key = f"round-opened:{opened.round.id}"
    notify.notify(svc, notify.admins(svc), key, "notice", told, now)
    return "done", f"round {opened.round.id}"


def on_start(svc: Services) -> None:
    """Fire openings and reminders that fell due while the bot was down, once, in order;
    make sure every schedule in force has its next opening armed."""
    for job in schedule.due_by(svc.db, svc.clock.now()):
        if job.kind in (OPEN, REMIND):
            svc.scheduler.fire(job.id)
    with transaction(svc.db):
        now = svc.clock.now()
        for row in stored.schedules(svc.db):
            if not schedule.pending_with_prefix(svc.db, OPEN, f"{row.id}@"):
                due = next_opening(cadence_of(row), now, svc.config.tz)
                svc.scheduler.put(OPEN, open_ref(row.id, due), due)


FIRERS = {REMIND: fire_reminder, OPEN: fire_open}
