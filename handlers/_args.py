"""What the agenda, minutes and action commands share in reading their arguments and in
answering a refusal. Not a handler: it holds no command, and the registry does not list it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.domain.agenda_refusals import NotANumber, Refused
from bot.domain.normalize import token
from bot.render.records import kept_line
from bot.render.refusals import refusal_text
from bot.services import attachments
from bot.telegram.commands import Call, Refusal, UsageError, parse_number


def meeting_id(text: str) -> int:
    """The meeting a word names: 12, #12 or ＃１２."""
    number = parse_number(token(text).lstrip("#"))
    if number is None:
        raise NotANumber("meeting")
    return number


def item_number(text: str) -> int:
    """The agenda item a word names: 3, #3 or ＃３."""
    number = parse_number(token(text).lstrip("#"))
    if number is None:
        raise NotANumber("item")
    return number


@contextmanager
def refusing(call: Call) -> Iterator[None]:
    """Answer a service's refusal in the caller's language: a word that is not a number
    gets the usage line, anything else the reason; nothing was written either way."""
    try:
        yield
    except NotANumber as exc:
        raise UsageError(refusal_text(exc, call.tr, call.services.config.tz)) from None
    except Refused as exc:
        raise Refusal(refusal_text(exc, call.tr, call.services.config.tz)) from None


def keep_attachments(call: Call, kind: str, ref: str, project: str | None) -> str:
    """Keep the files a command came with (a command in a caption, or files sent while its
    guided form was open) with its record; return the lines saying so for the reply ("" when
    it came without any). The one way a command receives an attached file."""
    lines = ""
    for sent in call.attachments:
        attachments.keep(call.services, kind, ref, sent, call.user.user_id, call.now, project)
        lines += "\n" + kept_line(sent, call.tr)
    if call.attachments:
        call.audit_detail["files"] = [sent.name or sent.media for sent in call.attachments]
    return lines
