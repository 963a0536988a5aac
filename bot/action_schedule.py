"""When action reminders and the admins' weekly digest fire, on the working-day calendar.

Reminders are schedule rows `action_due` (`<action id>.pre`: 09:00 a number of working days
before the due date; `<action id>.over`: 09:00 on the first working day after it). The
digest is a row `action_digest` whose ref is the local date it fires: Monday 09:00, or the
first working day after a holiday Monday. When admins change the calendar, `replan` moves
the rows still pending.
"""

from __future__ import annotations

from datetime import datetime

from bot.agenda_rules import digest_slot, due_reminders
from bot.holiday_calendar import load_calendar
from bot.services import Services
from bot.timeparse import HolidayCalendar
from storage import actions, schedule

DUE, DIGEST = "action_due", "action_digest"


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
            svc.scheduler.put(DUE, f"{action_id}.{stage}", when)


def arm_digest(
    svc: Services, now: datetime, cal: HolidayCalendar | None = None, starting: bool = False
) -> None:
    """Make sure the next digest row exists, and drop a pending one the calendar has moved.

    At start-up (`starting`) rows are written directly: the scheduler's rebuild arms every
    pending row afterwards."""
    tz = svc.config.tz
    slot = digest_slot(now, tz, cal or load_calendar(svc.db))
    ref = slot.astimezone(tz).date().isoformat()
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
            ref = f"{action.id}.{stage}"
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
