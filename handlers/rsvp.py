"""Seeing and answering meetings: /meetings, /meeting <id>, and the RSVP buttons.

A button's payload is `<meeting id>:<occurrence key>:<a|d|g>` (the key is empty for a
one-off meeting, so answers survive a move). Presses are checked against the meeting as it
is now: cancelled, started, unknown or not-an-occurrence presses are refused unchanged.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from bot.commands import Button, ButtonSpec, Call, CommandSpec, Refusal, Reply, UsageError
from bot.i18n import N_
from bot.meeting_times import from_occ_key, is_occurrence
from bot.render.meeting import ANSWER_NAMES, card, listing
from bot.render.units import unit_names
from handlers.meetings import load_meeting
from handlers.reminders import offsets_of
from storage import meetings, rsvps
from storage.meetings import Meeting
from storage.rsvps import Answer

ACTION = "rsvp"
CODES: dict[str, Answer] = {"a": "attend", "d": "decline", "g": "delegate"}
LIST_DAYS, LIST_LIMIT = 60, 20


def card_reply(call: Call, meeting: Meeting, edit: bool = False) -> Reply:
    """The meeting card with Attend / Decline / Send a delegate while answers are open."""
    _ = call.tr
    answers = rsvps.rsvps(call.db, meeting.id, meeting.rsvp_key)
    offsets = offsets_of(call.services, meeting)
    text = card(meeting, answers, offsets, call.services.config.tz, _, unit_names(call.db))
    buttons = None
    if not meeting.cancelled and meeting.start > call.now:
        payload = f"{meeting.id}:{meeting.rsvp_key}:"
        buttons = [
            [
                Button(_("✅ Attend"), ACTION, payload + "a"),
                Button(_("❌ Decline"), ACTION, payload + "d"),
                Button(_("👤 Send a delegate"), ACTION, payload + "g"),
            ]
        ]
    return Reply(text=text, buttons=buttons, edit=edit)


def meeting_card(call: Call) -> Reply:
    """One meeting's card with answer buttons."""
    words = call.words()
    if len(words) != 1:
        raise UsageError()
    return card_reply(call, load_meeting(call, words[0]))


def upcoming(call: Call) -> Reply:
    """The meetings of the coming weeks."""
    found = meetings.upcoming(call.db, call.now, call.now + timedelta(days=LIST_DAYS), LIST_LIMIT)
    return Reply(text=listing(found, call.services.config.tz, call.tr))


def press(call: Call, payload: str) -> Reply:
    """Record the presser's answer for the occurrence on the button and redraw the card."""
    _ = call.tr
    invalid = Refusal(_("This button is not valid any more."))
    parts = payload.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or parts[2] not in CODES:
        raise invalid
    ident, occ, code = parts
    meeting = meetings.get_meeting(call.db, int(ident), call.now)
    if meeting is None:
        raise invalid
    if meeting.cancelled or occ in meeting.exdates:
        raise Refusal(_("This meeting was cancelled."))
    if occ:
        start = from_occ_key(occ)
        if not meeting.is_series or start is None:
            raise invalid
        if not is_occurrence(meeting.first_start, meeting.rrule, meeting.zone, start):
            raise invalid
    elif meeting.is_series:
        raise invalid
    else:
        start = meeting.first_start
    if call.now >= start:
        raise Refusal(_("This meeting has started; answers are closed."))
    answer = CODES[code]
    rsvps.answer(
        call.db, meeting.id, occ, call.user.user_id, call.user.unit_code, answer, call.now
    )
    call.audit_detail.update(meeting=meeting.id, occ=occ, answer=answer)
    reply = card_reply(call, meeting.at(start), edit=True)
    reply.toast = _("Recorded: {answer}.", answer=_(ANSWER_NAMES[cast(str, answer)]))
    return reply


COMMANDS = [
    CommandSpec(
        "meetings",
        upcoming,
        N_("upcoming meetings"),
        N_("/meetings"),
        N_("/meetings"),
        role="member",
    ),
    CommandSpec(
        "meeting",
        meeting_card,
        N_("a meeting's card: time, place, answers"),
        N_("/meeting <id>"),
        N_("/meeting 12"),
        role="member",
    ),
]
BUTTONS = [ButtonSpec(ACTION, press, role="member")]
