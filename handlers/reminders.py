"""Meeting reminders: /remind sets a meeting's offsets.

The reminder rows, their firer and the start-up top-up live in bot.services.reminders;
FIRERS and ON_START are handed on from there for the registry.
"""

from __future__ import annotations

from datetime import timedelta

from bot.domain.keywords import NONE_WORDS, is_word
from bot.domain.meeting_errors import MeetingError
from bot.domain.normalize import split_head, token
from bot.domain.timeparse import OffsetError, parse_offsets
from bot.i18n import N_, Tr
from bot.render.meeting import reminders_set
from bot.render.meeting_errors import meeting_refusal
from bot.services import reminders
from bot.telegram.commands import Call, CommandSpec, Refusal, Reply, UsageError, parse_number


def remind(call: Call) -> Reply:
    """Set a meeting's reminder offsets (none given: back to the default; 'off': none)."""
    ident, text = split_head(call.args)
    if not ident:
        raise UsageError()
    mid = parse_number(token(ident).lstrip("#"))
    if mid is None:
        raise UsageError(call.tr("A meeting is named by its number, e.g. 12."))
    offsets: list[timedelta] | None = None
    if is_word(text, NONE_WORDS):
        offsets = []
    elif text:
        try:
            offsets = parse_offsets(text)
        except OffsetError as exc:
            raise UsageError(offset_error(call.tr, exc.code)) from None
    tz = call.services.config.tz
    try:
        done = reminders.set_offsets(call.services, mid, offsets, call.now)
    except MeetingError as exc:
        raise Refusal(meeting_refusal(exc, tz, call.tr)) from None
    call.audit_detail.update(done.audit)
    return Reply(text=reminders_set(done.meeting, done.offsets, done.next_due, tz, call.tr))


def offset_error(tr: Tr, code: str) -> str:
    """Why reminder offsets were refused."""
    if code == "out_of_range":
        return tr("Each reminder must be more than 0 and at most 60 days before.")
    return tr("I could not read those offsets. Write them like 2d,3h,15m or 1天,3小时.")


FIRERS = reminders.FIRERS
ON_START = reminders.ON_START

COMMANDS = [
    CommandSpec(
        "remind",
        remind,
        N_("set a meeting's reminders"),
        N_("/remind <id> [offsets|off]"),
        N_("/remind 12 2d,3h,15m"),
        role="admin",
        writes=True,
        separator=" ",
    ),
]
