"""Time polls: /meeting_poll (post the card), its buttons (a unit marks the times it can
make), /meeting_poll_close (schedule the meeting). Each parses, calls one function of
bot.services.polls and renders with bot.render.polls.

The slots are read like /meeting_new's time (`2026-12-08 14:00`, `下周二下午3点`, with an
end or 2 hours): a slot that cannot be read, has no time of day or lies in the past is
refused naming which one. The card goes out as a notice to the chat (see the service), so
/meeting_poll answers nothing there unless it is refused.
"""

from __future__ import annotations

from bot.domain.meeting_times import parse_kind
from bot.domain.timeparse import When, WhenError, check_future, parse_when
from bot.i18n import N_
from bot.render.dates import show_datetime
from bot.render.meeting import when_error
from bot.render.meeting_warnings import warning_lines
from bot.render.polls import card_text, scheduled_notice
from bot.render.text import esc
from bot.services import polls
from bot.services.poll_refusals import PollClosed
from bot.telegram.commands import (
    Button,
    ButtonSpec,
    Call,
    CommandSpec,
    Refusal,
    Reply,
    UsageError,
    parse_number,
)

MAX_TITLE = 200
KIND_WORDS = N_("coordination, joint, working, evaluation")


def _slot(call: Call, number: int, text: str) -> When:
    """A time offered, in the configured zone and ahead; else the refusal naming it."""
    tz = call.services.config.tz
    when: When | None = None
    try:
        when = parse_when(text, call.now, tz)
        check_future(when, call.now)
    except WhenError as exc:
        shown = show_datetime(when.start, tz, call.tr) if when is not None else ""
        reason = when_error(call.tr, exc.code, shown, day=exc.day, typed=text)
        raise Refusal(
            call.tr(
                "Time {no} ({typed}): {reason}", no=number, typed=esc(text[:60]), reason=reason
            )
        ) from None
    return When(when.start.replace(microsecond=0), when.end.replace(microsecond=0))


def meeting_poll(call: Call) -> Reply:
    """Offer times for a meeting; each unit marks those it can make."""
    parts = [p.strip() for p in call.args.split("|")]
    if len(parts) < 2 + polls.MIN_SLOTS or not all(parts):
        raise UsageError()
    if len(parts) > 2 + polls.MAX_SLOTS:
        raise UsageError(call.tr("Offer at most {n} times.", n=polls.MAX_SLOTS))
    kind_text, title, *slot_texts = parts
    kind = parse_kind(kind_text)
    if kind is None:
        raise Refusal(
            call.tr(
                "Unknown meeting kind {kind}. Use one of: {kinds}.",
                kind=esc(kind_text[:40]),
                kinds=call.tr(KIND_WORDS),
            )
        )
    if len(title) > MAX_TITLE:
        raise UsageError(call.tr("The title or place is too long."))
    slots = [_slot(call, n, text) for n, text in enumerate(slot_texts, start=1)]
    polls.open_poll(
        call.services,
        kind=kind,
        title=title,
        slots=slots,
        who=call.user,
        chat_id=call.chat.chat_id,
        now=call.now,
        audit=call.audit_detail,
    )
    return Reply()  # the card itself is the answer, delivered as a notice


def press(call: Call, payload: str) -> Reply:
    """A unit marks or unmarks a time (or none suits): toast, and the card edited."""
    parsed = polls.parse_payload(payload)
    if parsed is None:
        raise Refusal(call.tr("This button is not valid any more."))
    poll_id, number = parsed
    tz = call.services.config.tz
    _ = call.tr
    try:
        done = polls.answer(call.services, poll_id, number, call.user, call.now, call.audit_detail)
    except PollClosed as closed:
        return Reply(text=card_text(closed.card, tz, _), edit=True, toast=closed.text(_))
    if done.marked is None:
        toast = _("Recorded: {unit} can make none of these times.", unit=done.unit)
    elif done.marked:
        toast = _("Recorded: {unit} can make time {no}.", unit=done.unit, no=number)
    else:
        toast = _("Recorded: {unit} cannot make time {no}.", unit=done.unit, no=number)
    rows = [[Button(**b) for b in row] for row in polls.buttons(done.card, _, tz)]
    return Reply(text=card_text(done.card, tz, _), buttons=rows, edit=True, toast=toast)


def meeting_poll_close(call: Call) -> Reply:
    """Schedule the meeting at the chosen time (default: the one most units can make)."""
    words = call.words()
    if not 1 <= len(words) <= 2:
        raise UsageError()
    poll_id = parse_number(words[0].lstrip("#"))
    number = parse_number(words[1]) if len(words) == 2 else None
    if poll_id is None or (len(words) == 2 and number is None):
        raise UsageError()
    done = polls.close(
        call.services,
        poll_id,
        number,
        call.user,
        call.now,
        origin=call.chat.chat_id,
        audit=call.audit_detail,
    )
    tz = call.services.config.tz
    warnings = [f"⚠️ {w}" for w in warning_lines(done.check, tz, call.tr)]
    text = scheduled_notice(done.card, done.meeting, tz, call.tr)
    return Reply(text="\n".join([text, *warnings]))


COMMANDS = [
    CommandSpec(
        "meeting_poll",
        meeting_poll,
        N_("ask the units which times they can make for a meeting"),
        N_("/meeting_poll <kind> | <title> | <time> | <time> [| …]"),
        N_("/meeting_poll joint | Q1 joint meeting | 2026-12-08 14:00 | next wed 3pm"),
        role="admin",
        writes=True,
    ),
    CommandSpec(
        "meeting_poll_close",
        meeting_poll_close,
        N_("close a time poll and schedule the meeting"),
        N_("/meeting_poll_close <poll id> [<time no>]"),
        N_("/meeting_poll_close 3 2"),
        role="admin",
        writes=True,
        separator=" ",
    ),
]
BUTTONS = [ButtonSpec(polls.ACTION, press, role="member")]
FIRERS = polls.FIRERS
