"""Action items: /action (recorded with the minutes), /actions, /done, and their reminders.

Reminders are schedule rows `action_due` with ref `<action id>.pre` (09:00 local,
`action_remind_workdays` Chinese working days before the due date) and `<action id>.over`
(09:00 local on the first working day after it, when it is overdue); they go privately to
the owner, the owner unit's staff, or the admins when nobody owns it yet. `action_digest`
rows (ref: the local date) send the admins the overdue list each Monday 09:00, or on the
first working day after a holiday Monday (bot.action_schedule plans both on the calendar
with the admins' holiday entries). Closing an action cancels its pending reminders; outbox
keys make every message go out once.
"""

from __future__ import annotations

from datetime import date, datetime

from bot import agenda_service
from bot.action_schedule import DIGEST, DUE, arm_action
from bot.action_schedule import arm_digest as plan_digest
from bot.agenda_rules import Sitting
from bot.commands import Call, CommandSpec, Field, Refusal, Reply, UsageError, parse_number
from bot.fanout import to_admins, tr_for_person
from bot.holiday_calendar import load_calendar
from bot.i18n import N_
from bot.keywords import (
    EVERYTHING_WORDS,
    MINE_WORDS,
    OVERDUE_WORDS,
    UNASSIGNED_WORDS,
    is_word,
)
from bot.normalize import token
from bot.render.actions import actions_list, closed_text, created_text, digest_text, reminder_text
from bot.render.dates import show_date
from bot.render.holidays import not_loaded
from bot.render.text import clip, esc
from bot.render.units import unknown_units
from bot.scheduler import FireResult
from bot.services import Services
from bot.services import meeting_reads as meetings
from bot.timeparse import WhenError, names_a_date, parse_due
from handlers.agenda import item_number, load_sitting
from handlers.minutes import can_record, open_for_recording
from storage import actions, agenda, outbox, people
from storage.db import transaction
from storage.schedule import Job

MAX_TEXT = 1000


def _owner(call: Call, text: str) -> tuple[int | None, str | None]:
    """(user id, unit code) of an owner: @username, a unit code, or TBD for nobody yet."""
    if is_word(text, UNASSIGNED_WORDS):
        return None, None
    if text.startswith("@"):
        person = people.find_by_username(call.db, text)
        if person is None:
            raise Refusal(
                call.tr(
                    "I don't know {who} yet: they must send me a message first.", who=esc(text)
                )
            )
        return person.user_id, None
    unit = people.get_unit(call.db, text)
    if unit is None:
        raise Refusal(
            call.tr("Unknown owner {who}: give @username, a unit code or TBD.", who=esc(text[:40]))
        )
    return None, unit.code.upper()


def record_action(call: Call) -> Reply:
    """Record an action item with an owner and a due date, and arm its reminders."""
    parts = [p.strip() for p in call.args.split("|")]
    if len(parts) != 3:
        raise UsageError()
    head, due_text, text = parts
    words = [token(w) for w in head.split()]
    if not words:
        raise UsageError()
    owner_words = words[2:] if len(words) > 1 and words[1].startswith("#") else words[1:]
    if len(owner_words) != 1:
        raise Refusal(call.tr("An action needs one owner: @username, a unit code or TBD."))
    if not text or not due_text or len(text) > MAX_TEXT:
        raise UsageError()
    can_record(call)
    sitting = load_sitting(call, words[0])
    open_for_recording(call, sitting)
    item = item_number(call, sitting, words[1]) if len(words) == 3 else None
    owner_user, owner_unit = _owner(call, owner_words[0])
    tz = call.services.config.tz
    try:
        due = parse_due(due_text, call.now, tz)
    except WhenError:
        raise Refusal(
            call.tr("I could not read that due date. Try 2026-12-20, next friday or 下周五.")
        ) from None
    if due < call.now.astimezone(tz).date():
        raise Refusal(call.tr("The due date {date} is in the past.", date=show_date(due, call.tr)))
    early = due <= sitting.start.astimezone(tz).date()
    if early and not names_a_date(due_text):
        raise Refusal(_due_early(call, sitting, due, due_text, head, text))
    action_id = actions.add_action(
        call.db,
        meeting_id=sitting.meeting.id,
        occ=sitting.key,
        meeting_kind=sitting.meeting.kind,
        sitting_start=sitting.start,
        item_id=item.id if item else None,
        owner_user=owner_user,
        owner_unit=owner_unit,
        due=due,
        text=text,
        by=call.user.user_id,
        now=call.now,
    )
    if item is not None:
        agenda.mark_reached(call.db, item.id)
    arm(call.services, action_id, call.now)
    # The next sitting of this kind now has matters arising to publish.
    nxt = meetings.next_of_kind(call.db, sitting.meeting.kind, sitting.end)
    if nxt is not None:
        agenda_service.arm(call.services, nxt, call.now)
    action = actions.get_action(call.db, action_id)
    assert action is not None
    call.audit_detail.update(action=action_id, due=due.isoformat())
    reply = created_text(action, call.tr, call.now.astimezone(tz).date())
    if early:
        reply += "\n⚠️ " + call.tr(
            "Due on or before the meeting it comes from ({date}).",
            date=show_date(sitting.start.astimezone(tz).date(), call.tr),
        )
    unknown = not_loaded(load_calendar(call.db), due.year, call.tr)
    if unknown:
        reply += f"\n⚠️ {unknown}"
    return Reply(text=reply)


def _due_early(call: Call, sitting: Sitting, due: date, typed: str, head: str, text: str) -> str:
    """Ask back when a relative due date (下周五) falls on or before the meeting itself.

    Nothing is recorded: the answer shows the date understood and gives the command back
    with that date written out, which is accepted as meant.
    """
    tz = call.services.config.tz
    again = f"/action {head} | {due.isoformat()} | {text}"
    return "\n".join(
        [
            call.tr(
                "“{typed}” is {date}, on or before the meeting this action comes from "
                "(#{id}, {meeting}). Nothing was recorded.",
                typed=esc(typed[:40]),
                date=show_date(due, call.tr),
                id=sitting.meeting.id,
                meeting=show_date(sitting.start.astimezone(tz).date(), call.tr),
            ),
            call.tr("If that is the date you mean, send it written out:"),
            f"<code>{esc(clip(again, 3000))}</code>",
        ]
    )


def arm(svc: Services, action_id: int, now: datetime) -> None:
    """Schedule an action's reminders that are still ahead, and the weekly digest."""
    arm_action(svc, action_id, now)


def list_actions(call: Call) -> Reply:
    """Action items: all open, mine, a unit's, overdue, or all including closed."""
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    _ = call.tr
    which = words[0] if words else ""
    today = call.now.astimezone(call.services.config.tz).date()
    if not which:
        found, heading = actions.open_actions(call.db), _("Open action items")
    elif is_word(which, MINE_WORDS):
        found = actions.owned_by(call.db, call.user.user_id, call.user.unit_code)
        heading = _("My action items")
    elif is_word(which, OVERDUE_WORDS):
        found, heading = actions.overdue(call.db, today), _("Overdue action items")
    elif is_word(which, EVERYTHING_WORDS):
        found, heading = actions.all_actions(call.db), _("All action items")
    else:
        unit = people.get_unit(call.db, which)
        if unit is None:
            raise Refusal(unknown_units(_, [which[:40]]))
        found = actions.of_unit(call.db, unit.code)
        label = _("{name} ({code})", name=unit.name, code=unit.code)  # escaped when shown
        heading = _("Action items of {unit}", unit=label)
    return Reply(text=actions_list(heading, found, _, today))


def done(call: Call) -> Reply:
    """Close an action: its owner, the owner unit's staff, or an admin."""
    head, _sep, note = call.args.partition("|")
    digits, note = token(head).lstrip("Aa#"), note.strip()
    ident = parse_number(digits)
    if ident is None or len(note) > MAX_TEXT:
        raise UsageError()
    action = actions.get_action(call.db, ident)
    if action is None:
        raise Refusal(call.tr("There is no action A{id}.", id=ident))
    user = call.user
    unit_staff = (
        action.owner_unit is not None
        and user.role == "staff"
        and (user.unit_code or "").upper() == action.owner_unit.upper()
    )
    if not (user.role == "admin" or user.user_id == action.owner_user or unit_staff):
        raise Refusal(
            call.tr(
                "Only its owner, the owner unit's staff or an admin can close A{id}.", id=action.id
            )
        )
    if not actions.close(call.db, action.id, user.user_id, note, call.now):
        raise Refusal(call.tr("Action A{id} is already closed.", id=action.id))
    call.services.scheduler.cancel_prefix(DUE, f"{action.id}.")
    call.audit_detail.update(action=action.id, note=note)
    return Reply(text=closed_text(action, note, call.tr))


def recipients(svc: Services, action: actions.Action) -> list[int]:
    """Who is reminded: the owner, the owner unit's staff, or (nobody owning it) the admins."""
    if action.owner_user is not None:
        return [action.owner_user]
    found = people.staff_of_unit(svc.db, action.owner_unit) if action.owner_unit else []
    found = found or people.people_with_role(svc.db, "admin")
    return [p.user_id for p in found]


def fire_due(svc: Services, job: Job, now: datetime) -> FireResult:
    """Send an action's due-soon or overdue reminder privately, once."""
    ident, _sep, stage = job.ref.partition(".")
    action = actions.get_action(svc.db, int(ident)) if ident.isdigit() else None
    if action is None or action.state != "open":
        return "cancelled", "action closed"
    today = now.astimezone(svc.config.tz).date()
    if stage == "pre" and action.due < today:
        return "missed", "already overdue"
    for user_id in recipients(svc, action):
        tr = tr_for_person(svc, user_id)
        outbox.enqueue(
            svc.db,
            key=f"actrem:{job.ref}:{user_id}",
            kind="reminder",
            chat_id=user_id,
            text=reminder_text(action, stage, tr, today),
            now=now,
        )
    return "done", stage


def fire_digest(svc: Services, job: Job, now: datetime) -> FireResult:
    """Send the admins the weekly overdue digest and arm next week's."""
    tz = svc.config.tz
    today = now.astimezone(tz).date()
    found = actions.overdue(svc.db, today)
    if found:
        to_admins(
            svc, f"actdig:{job.ref}", "digest", lambda tr: digest_text(found, tr, today), now
        )
    if actions.open_actions(svc.db):  # no open actions: the next /action arms it again
        plan_digest(svc, now)
    return "done", f"{len(found)} overdue"


def arm_digest(svc: Services) -> None:
    """At start-up: make sure the next digest row exists while actions are open."""
    now = svc.clock.now()
    if not actions.open_actions(svc.db):
        return
    with transaction(svc.db):
        plan_digest(svc, now, starting=True)


COMMANDS = [
    CommandSpec(
        "action",
        record_action,
        N_("record an action item with an owner and a due date"),
        N_("/action <meeting id> [#<item no>] <@user|UNIT-CODE|TBD> | <due> | <text>"),
        N_("/action 12 #2 BJ | next friday | Send the revised exit rules"),
        role="staff",
        writes=True,
        fields=(
            Field(N_("Meeting number, #item and owner (e.g. 12 #2 BJ)?")),
            Field(N_("Due (e.g. 2026-12-20, next friday, 下周五)?")),
            Field(N_("What?")),
        ),
    ),
    CommandSpec(
        "actions",
        list_actions,
        N_("list action items"),
        N_("/actions [mine|<UNIT-CODE>|overdue|all]"),
        N_("/actions overdue"),
        role="member",
        separator=" ",
    ),
    CommandSpec(
        "done",
        done,
        N_("close an action item"),
        N_("/done <action id> [| note]"),
        N_("/done 7 | sent on 3 Dec"),
        role="member",
        writes=True,
    ),
]
FIRERS = {DUE: fire_due, DIGEST: fire_digest}
ON_START = [arm_digest]
