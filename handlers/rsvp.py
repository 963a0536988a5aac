"""Seeing and answering meetings: /meetings, /meeting <id>, the RSVP buttons, /delegate.

A button's payload is `<meeting id>:<occurrence key>:<a|d|g>` (the key is empty for a
one-off meeting, so answers survive a move). bot.services.rsvp checks each press against
the meeting as it is now: cancelled, started, unknown or not-an-occurrence presses are
refused unchanged. "Send a delegate" then asks who goes: the presser's next message in
that chat (a guided follow-up of /delegate), or `/delegate <id> [<date>] <name>`.
"""

from __future__ import annotations

from typing import cast

from bot.domain.meeting_errors import (
    MeetingCancelled,
    MeetingError,
    OccurrenceCancelled,
    OccurrenceStarted,
)
from bot.domain.meeting_times import Meeting
from bot.domain.normalize import split_head, token
from bot.domain.timeparse import WhenError, names_a_date, parse_due
from bot.i18n import N_
from bot.render.meeting import ANSWER_NAMES, card, delegate_prompt, delegate_recorded, listing
from bot.render.meeting_errors import meeting_refusal
from bot.services import rsvp
from bot.services.rsvp import MAX_DELEGATE, Card
from bot.telegram.commands import (
    Button,
    ButtonSpec,
    Call,
    CommandSpec,
    Field,
    FollowUp,
    Refusal,
    Reply,
    UsageError,
    parse_number,
)
from storage.rsvps import Answer

ACTION = "rsvp"
DELEGATE = "delegate"
CODES: dict[str, Answer] = {"a": "attend", "d": "decline", "g": "delegate"}


def meeting_id(call: Call, text: str) -> int:
    """The meeting number an argument names ('12' or '#12'), or the usage answer."""
    ident = parse_number(token(text).lstrip("#"))
    if ident is None:
        raise UsageError(call.tr("A meeting is named by its number, e.g. 12."))
    return ident


def card_reply(call: Call, view: Card, edit: bool = False) -> Reply:
    """The meeting card with Attend / Decline / Send a delegate while answers are open."""
    _ = call.tr
    meeting = view.meeting
    text = card(meeting, view.answers, view.offsets, call.services.config.tz, _, view.names)
    buttons = None
    if view.open:
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
    try:
        view = rsvp.card(call.services, meeting_id(call, words[0]), call.now)
    except MeetingError as exc:
        raise Refusal(meeting_refusal(exc, call.services.config.tz, call.tr)) from None
    return card_reply(call, view)


def upcoming(call: Call) -> Reply:
    """The meetings of the coming weeks."""
    found = rsvp.coming(call.services, call.now)
    return Reply(text=listing(found, call.services.config.tz, call.tr))


def press(call: Call, payload: str) -> Reply:
    """Record the presser's answer for the occurrence on the button and redraw the card;
    after 'Send a delegate', ask who goes."""
    _ = call.tr
    parts = payload.split(":")
    if len(parts) != 3 or not parts[0].isdigit() or parts[2] not in CODES:
        raise Refusal(_("This button is not valid any more."))
    ident, occ, code = parts
    user = call.user
    try:
        done = rsvp.answer(
            call.services, int(ident), occ, user.user_id, user.unit_code, CODES[code], call.now
        )
    except (MeetingCancelled, OccurrenceCancelled):
        raise Refusal(_("This meeting was cancelled.")) from None
    except OccurrenceStarted:
        raise Refusal(_("This meeting has started; answers are closed.")) from None
    except MeetingError:
        raise Refusal(_("This button is not valid any more.")) from None
    call.audit_detail.update(done.audit)
    reply = card_reply(call, done.card, edit=True)
    reply.toast = _("Recorded: {answer}.", answer=_(ANSWER_NAMES[cast(str, done.answer)]))
    reply.follow_up = FollowUp(DELEGATE)  # a delegate's name asked for earlier: withdrawn
    if done.answer == "delegate":
        first = _delegate_args(done.card.meeting, call)
        prompt = delegate_prompt(done.card.meeting, f"/{DELEGATE} {first}", _)
        reply.follow_up = FollowUp(DELEGATE, (first,), prompt)
    return reply


def _delegate_args(meeting: Meeting, call: Call) -> str:
    """'12' for a one-off meeting; '12 2026-12-08' for one occurrence of a series."""
    if not meeting.is_series:
        return str(meeting.id)
    day = meeting.start.astimezone(call.services.config.tz).date()
    return f"{meeting.id} {day.isoformat()}"


def delegate(call: Call) -> Reply:
    """Answer "send a delegate" for a meeting, naming who goes."""
    ident, rest = split_head(call.args)
    if not ident or not rest:
        raise UsageError()
    mid = meeting_id(call, ident)
    tz = call.services.config.tz
    day = None
    first, name = split_head(rest)
    if name and names_a_date(first):
        try:
            day = parse_due(first, call.now, tz)
        except WhenError:
            day = None
    if day is None:
        name = rest
    name = " ".join(name.split())
    if not name or len(name) > MAX_DELEGATE:
        raise UsageError()
    user = call.user
    try:
        done = rsvp.send_delegate(
            call.services, mid, day, user.user_id, user.unit_code, name, call.now
        )
    except MeetingError as exc:
        raise Refusal(meeting_refusal(exc, tz, call.tr)) from None
    call.audit_detail.update(done.audit)
    return Reply(text=delegate_recorded(done.card.meeting, name, tz, call.tr))


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
    CommandSpec(
        DELEGATE,
        delegate,
        N_("send a delegate to a meeting, naming them"),
        N_("/delegate <id> [<date of one occurrence>] <name>"),
        N_("/delegate 12 Wang Wei"),
        role="member",
        writes=True,
        separator=" ",
        fields=(Field(N_("Meeting number?")), Field(N_("Who goes in your place?"))),
    ),
]
BUTTONS = [ButtonSpec(ACTION, press, role="member")]
