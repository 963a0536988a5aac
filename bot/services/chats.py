"""Chats as the bot meets them: added, removed or blocked, upgraded to a supergroup, and the
guided form open in a chat.

The chat-event handlers (handlers/chat_events.py) run these inside one transaction each;
the admins hear of a lost group or a block through the notify service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.i18n import Tr
from bot.render.text import esc
from bot.services import notify
from storage import chats, forms, outbox, people
from storage.chats import Chat
from storage.db import utc_iso
from storage.people import Person

if TYPE_CHECKING:
    from bot.services import Services


@dataclass(frozen=True)
class Membership:
    """The chat as recorded after a change of the bot's membership, and who made it."""

    chat: Chat
    by: Person | None


def membership_changed(
    svc: Services,
    chat_id: int,
    chat_type: str,
    title: str,
    by_id: int,
    by_name: str,
    status: str,
    gone: bool,
    present: bool,
    now: datetime,
) -> Membership:
    """Record the bot joining or leaving a chat (or being blocked or unblocked in one).

    `status` is the bot's new membership status, `gone` whether it means left, removed or
    blocked, `present` whether the bot is a member again. Gone: the chat's deliveries are
    suspended and the admins told once. Back in a private chat: deliveries resume; a group
    waits for an admin's /subscribe.
    """
    record = chats.touch_chat(svc.db, chat_id, chat_type, title, now)
    adder = people.get_person(svc.db, by_id)
    if gone:
        reason = f"bot {status} by {by_id}"
        if chats.suspend(svc.db, chat_id, reason, now):
            outbox.suspend_chat(svc.db, chat_id, reason)
            _alert_removed(svc, record, by_name, now)
    elif record.is_private and present:
        chats.resume(svc.db, chat_id)
    return Membership(record, adder)


def _alert_removed(svc: Services, chat: Chat, by: str, now: datetime) -> None:
    """Tell every admin privately that the bot lost a group or was blocked."""

    def render(tr: Tr) -> str:
        if chat.is_private:
            return tr(
                "⚠️ {name} blocked me; private reminders and notices to them are suspended "
                "until they send me a message again.",
                name=esc(by),
            )
        return tr(
            "⚠️ I was removed from {title} by {name}; its subscriptions are suspended "
            "until an admin adds me back and sends /subscribe there.",
            title=esc(chat.title or str(chat.chat_id)),
            name=esc(by),
        )

    key = f"bot-removed:{chat.chat_id}:{utc_iso(now)}"
    notify.notify(svc, notify.admins(svc), key, "alert", render, now)


def migrated(svc: Services, old_id: int, new_id: int, now: datetime) -> None:
    """A group became a supergroup: move it, its subscriptions and its queue to the new id."""
    chats.migrate_chat(svc.db, old_id, new_id, now)
    outbox.redirect(svc.db, old_id, new_id)


def close_form(svc: Services, chat_id: int, user_id: int) -> bool:
    """Leave the guided form someone has open in a chat; False when there is none."""
    return forms.close(svc.db, chat_id, user_id)
