"""Action-item commands: /action (recorded with the minutes), /actions and /done. Each
parses its arguments, calls one function of bot.services.actions and renders the result
with bot.render.actions.

Reminders (before the due date and when overdue, on China's working-day calendar) and the
admins' weekly overdue digest are timed rows planned and fired by
bot.services.action_reminders; the registry reads its FIRERS and ON_START here.
"""

from __future__ import annotations

from bot.domain.agenda_refusals import DueBeforeMeeting
from bot.domain.keywords import (
    EVERYTHING_WORDS,
    MINE_WORDS,
    OVERDUE_WORDS,
    UNASSIGNED_WORDS,
    is_word,
)
from bot.domain.normalize import token
from bot.domain.timeparse import WhenError, parse_due
from bot.i18n import N_
from bot.render.actions import actions_list, closed_text, due_early_text, heading, recorded_text
from bot.render.refusals import refusal_text
from bot.services import action_reminders, actions
from bot.telegram.commands import (
    Call,
    CommandSpec,
    Field,
    Refusal,
    Reply,
    UsageError,
    parse_number,
)
from handlers._args import item_number, meeting_id, refusing

MAX_TEXT = 1000


def record_action(call: Call) -> Reply:
    """Record an action item with an owner and a due date, and arm its reminders."""
    parts = [p.strip() for p in call.args.split("|")]
    if len(parts) != 3:
        raise UsageError()
    head, due_text, text = parts
    words = [token(w) for w in head.split()]
    if not words:
        raise UsageError()
    on_item = len(words) > 1 and words[1].startswith("#")
    owner_words = words[2:] if on_item else words[1:]
    if len(owner_words) != 1:
        raise Refusal(call.tr("An action needs one owner: @username, a unit code or TBD."))
    if not text or not due_text or len(text) > MAX_TEXT:
        raise UsageError()
    owner = None if is_word(owner_words[0], UNASSIGNED_WORDS) else owner_words[0]
    tz = call.services.config.tz
    try:
        due = parse_due(due_text, call.now, tz)
    except WhenError:
        raise Refusal(
            call.tr("I could not read that due date. Try 2026-12-20, next friday or 下周五.")
        ) from None
    with refusing(call):
        try:
            done = actions.record(
                call.services,
                meeting_id(words[0]),
                item_number(words[1]) if on_item else None,
                owner,
                due,
                due_text,
                text,
                call.user,
                call.now,
                call.audit_detail,
            )
        except DueBeforeMeeting as asked:
            # Asked back with the date understood and the command to send, written out.
            again = f"/action {head} | {due.isoformat()} | {text}"
            raise Refusal(
                due_early_text(refusal_text(asked, call.tr, tz), again, call.tr)
            ) from None
    early = done.sitting.start.astimezone(tz).date() if done.early else None
    today = call.now.astimezone(tz).date()
    return Reply(text=recorded_text(done.action, early, done.calendar, call.tr, today))


def list_actions(call: Call) -> Reply:
    """Action items: all open, mine, a unit's, overdue, or all including closed."""
    words = call.words()
    if len(words) > 1:
        raise UsageError()
    which = words[0] if words else ""
    if not which:
        kind = "open"
    elif is_word(which, MINE_WORDS):
        kind = "mine"
    elif is_word(which, OVERDUE_WORDS):
        kind = "overdue"
    elif is_word(which, EVERYTHING_WORDS):
        kind = "all"
    else:
        kind = "unit"
    today = call.now.astimezone(call.services.config.tz).date()
    with refusing(call):
        found = actions.listing(call.services, kind, call.user, today, unit_code=which)
    return Reply(
        text=actions_list(heading(found.which, found.unit, call.tr), found.found, call.tr, today)
    )


def done(call: Call) -> Reply:
    """Close an action: its owner, the owner unit's staff, or an admin."""
    head, _sep, note = call.args.partition("|")
    digits, note = token(head).lstrip("Aa#"), note.strip()
    ident = parse_number(digits)
    if ident is None or len(note) > MAX_TEXT:
        raise UsageError()
    with refusing(call):
        action = actions.close(call.services, ident, note, call.user, call.now, call.audit_detail)
    return Reply(text=closed_text(action, note, call.tr))


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
# The reminders' timed rows live with the service that plans them; the registry reads them here.
FIRERS = action_reminders.FIRERS
ON_START = action_reminders.ON_START
