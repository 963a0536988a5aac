"""Queueing one notice to many chats, each rendered in that chat's own language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.i18n import Tr, pick_language
from storage import chats, outbox, people
from storage.chats import Chat, Topic

if TYPE_CHECKING:
    from bot.services import Services


def tr_for_chat(svc: Services, chat: Chat) -> Tr:
    """The translation function for a chat (its setting, else its user's, else the default)."""
    user_lang = None
    if chat.is_private:
        person = people.get_person(svc.db, chat.chat_id)
        user_lang = person.language if person else None
    return svc.translator.get(
        pick_language(chat.language, chat.is_private, user_lang, svc.config.locale)
    )


def tr_for_person(svc: Services, user_id: int) -> Tr:
    """The translation function for someone's private chat with the bot."""
    chat = chats.get_chat(svc.db, user_id)
    if chat is not None:
        return tr_for_chat(svc, chat)
    person = people.get_person(svc.db, user_id)
    return svc.translator.get(
        pick_language(None, True, person.language if person else None, svc.config.locale)
    )


def to_admins(
    svc: Services, key: str, kind: str, render: Callable[[Tr], str], now: datetime
) -> int:
    """Queue a notice privately to every admin, each in their language; return how many."""
    queued = 0
    for admin in people.people_with_role(svc.db, "admin"):
        text = render(tr_for_person(svc, admin.user_id))
        if outbox.enqueue(
            svc.db,
            key=f"{key}:{admin.user_id}",
            kind=kind,
            chat_id=admin.user_id,
            text=text,
            now=now,
        ):
            queued += 1
    return queued


def to_subscribers(
    svc: Services,
    topic: Topic,
    key: str,
    kind: str,
    render: Callable[[Tr], str],
    now: datetime,
) -> int:
    """Queue a notice to every chat subscribed to a topic; return how many were new."""
    queued = 0
    for chat in chats.subscribers(svc.db, topic):
        text = render(tr_for_chat(svc, chat))
        if outbox.enqueue(
            svc.db,
            key=f"{key}:{chat.chat_id}",
            kind=kind,
            chat_id=chat.chat_id,
            text=text,
            now=now,
        ):
            queued += 1
    return queued
