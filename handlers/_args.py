"""What the agenda, minutes, action and record commands share in reading their arguments and in
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
from bot.telegram.buttons import CALLBACK_LIMIT
from bot.telegram.commands import Button, Call, Refusal, UsageError, parse_number


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


SIGNATURE = 14  # the signer's ':' and 12 characters of signature (bot/telegram/buttons.py)


def page_buttons(
    call: Call, action: str, asked: str, page: int, pages: int
) -> list[list[Button]] | None:
    """Prev / Next buttons under one page of a paged answer (/audit, /record); each
    carries the page and what was asked (`page|asked`). None on a single page, or when what
    was asked does not fit Telegram's 64 bytes (the text's "More:" line remains)."""
    row = []
    if page > 1:
        row.append(Button(call.tr("◀ Prev"), action, f"{page - 1}|{asked}"))
    if page < pages:
        row.append(Button(call.tr("Next ▶"), action, f"{page + 1}|{asked}"))
    longest = f"{action}:{pages}|{asked}"
    if not row or len(longest.encode()) + SIGNATURE > CALLBACK_LIMIT:
        return None
    return [row]


def page_pressed(payload: str) -> tuple[int, str]:
    """(page, what was asked) from a Prev / Next button's payload."""
    page_text, _bar, asked = payload.partition("|")
    page = parse_number(page_text)
    if page is None or page < 1:
        raise UsageError()
    return page, asked
