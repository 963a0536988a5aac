"""Action reminders and the admins' weekly digest: the timed rows, when they fall on the
working-day calendar, and what they send.

    kind            due                                         ref (built/parsed here)
    action_due      09:00, action_remind_workdays Chinese        <action id>.pre
                    working days before the due date
    action_due      09:00 on the first working day after it,     <action id>.over
                    when the action is overdue
    action_digest   Monday 09:00, or the first working day       the local date it fires
                    after a holiday Monday

Reminders go privately to the owner, the owner unit's staff, or the admins when nobody owns
the action yet; the digest lists the overdue actions to the admins. When admins change the
calendar, `replan` moves the rows still pending. Part of the action-item service
(bot/services/actions.py); the registry collects FIRERS and ON_START through
handlers/actions.py.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.agenda_rules import digest_slot, due_reminders
from bot.domain.timeparse import HolidayCalendar
from bot.render.actions import digest_text, reminder_text
from bot.services import Services, notify
from bot.services.holiday_calendar import load_calendar
from bot.telegram.scheduler import FireResult
from storage import actions, schedule
from storage.db import transaction
from storage.schedule import Job

DUE, DIGEST = "action_due", "action_digest"


def due_ref(action_id: int, stage: str) -> str:
    """The ref of an action's reminder row: `<action id>.pre` or `<action id>.over`."""
    return f"{action_id}.{stage}"


def parse_due_ref(ref: str) -> tuple[int, str] | None:
    """(action id, stage) of a reminder row's ref, or None when it is malformed."""
    ident, _sep, stage = ref.partition(".")
    return (int(ident), stage) if ident.isdigit() else None


def _due_prefix(action_id: int) -> str:
    return f"{action_id}."


def digest_ref(slot: datetime, tz: ZoneInfo) -> str:
    """The ref of a digest row: the local date it fires (never parsed: one row a slot)."""
    return slot.astimezone(tz).date().isoformat()


def arm_action(
    svc: Services, action_id: int, now: datetime, cal: HolidayCalendar | None = None
) -> None:
    """Schedule an action's reminders that are still ahead, and the weekly digest."""
    action = actions.get_action(svc.db, action_id)
    if action is None:
        return
    cal = cal or load_calendar(svc.db)
    arm_digest(svc, now, cal)
    plan = due_reminders(action.due, svc.config.action_remind_workdays, svc.config.tz, cal)
    for stage, when in plan:
        if when > now:
            svc.scheduler.put(DUE, due_ref(action_id, stage), when)


def disarm_action(svc: Services, action_id: int) -> int:
    """Cancel an action's pending reminders; return how many."""
    return svc.scheduler.cancel_prefix(DUE, _due_prefix(action_id))


def arm_digest(
    svc: Services, now: datetime, cal: HolidayCalendar | None = None, starting: bool = False
) -> None:
    """Make sure the next digest row exists, and drop a pending one the calendar has moved.

    At start-up (`starting`) rows are written directly: the scheduler's rebuild arms every
    pending row afterwards."""
    tz = svc.config.tz
    slot = digest_slot(now, tz, cal or load_calendar(svc.db))
    ref = digest_ref(slot, tz)
    for job in schedule.pending_with_prefix(svc.db, DIGEST, ""):
        # A row due by now is the one firing (or about to): leave it to its firing.
        if job.ref != ref and job.due_at > now:
            if starting:
                schedule.finish(svc.db, job.id, "cancelled", now, "moved by the calendar")
            else:
                svc.scheduler.cancel(DIGEST, job.ref)
    if starting:
        schedule.put(svc.db, DIGEST, ref, slot, now)
    else:
        svc.scheduler.put(DIGEST, ref, slot)


def replan(svc: Services, now: datetime) -> list[int]:
    """After the calendar changed: move the pending reminders of open actions and the
    digest; return the ids of the actions whose reminders moved."""
    cal = load_calendar(svc.db)
    moved: list[int] = []
    open_now = actions.open_actions(svc.db)
    for action in open_now:
        plan = due_reminders(action.due, svc.config.action_remind_workdays, svc.config.tz, cal)
        for stage, when in plan:
            ref = due_ref(action.id, stage)
            job = schedule.find(svc.db, DUE, ref)
            if job is None:
                if when > now:  # its time had passed when recorded; now it lies ahead
                    svc.scheduler.put(DUE, ref, when)
                    moved.append(action.id)
            elif job.state == "pending" and job.due_at != when:
                # A reminder whose new time has already passed goes out now, not never.
                svc.scheduler.put(DUE, ref, max(when, now))
                moved.append(action.id)
    if open_now or schedule.pending_with_prefix(svc.db, DIGEST, ""):
        arm_digest(svc, now, cal)
    return sorted(set(moved))


def recipients(svc: Services, action: actions.Action) -> list[int]:
    """Who is reminded: the owner, the owner unit's staff, or (nobody owning it) the admins."""
    if action.owner_user is not None:
        return [action.owner_user]
    found = notify.unit_staff(svc, action.owner_unit) if action.owner_unit else []
    return found or notify.admins(svc)


def fire_due(svc: Services, job: Job, now: datetime) -> FireResult:
    """Send an action's due-soon or overdue reminder privately, once."""
    parsed = parse_due_ref(job.ref)
    action = actions.get_action(svc.db, parsed[0]) if parsed else None
    if parsed is None or action is None or action.state != "open":
        return "cancelled", "action closed"
    stage = parsed[1]
    today = now.astimezone(svc.config.tz).date()
    if stage == "pre" and action.due < today:
        return "missed", "already overdue"
    notify.notify(
        svc,
        recipients(svc, action),
        f"action-reminder:{job.ref}",
        "reminder",
        lambda tr: reminder_text(action, stage, tr, today),
        now,
    )
    return "done", stage


def fire_digest(svc: Services, job: Job, now: datetime) -> FireResult:
    """Send the admins the weekly overdue digest and arm next week's."""
    today = now.astimezone(svc.config.tz).date()
    found = actions.overdue(svc.db, today)
    if found:
        notify.notify(
            svc,
            notify.admins(svc),
            f"action-digest:{job.ref}",
            "digest",
            lambda tr: digest_text(found, tr, today),
            now,
        )
    if actions.open_actions(svc.db):  # no open actions: the next /action arms it again
        arm_digest(svc, now)
    return "done", f"{len(found)} overdue"


def arm_digest_at_start(svc: Services) -> None:
    """At start-up: make sure the next digest row exists while actions are open."""
    now = svc.clock.now()
    if not actions.open_actions(svc.db):
        return
    with transaction(svc.db):
        arm_digest(svc, now, starting=True)


FIRERS = {DUE: fire_due, DIGEST: fire_digest}
ON_START = [arm_digest_at_start]
