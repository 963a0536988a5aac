"""Old names for the notify service (bot/services/notify.py), kept while callers move over."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from bot.i18n import Tr
from bot.services import notify
from storage.chats import Chat, Topic

if TYPE_CHECKING:
    from bot.services import Services


def tr_for_chat(svc: Services, chat: Chat) -> Tr:
    """The translation function for a chat."""
    return notify.tr_for(svc, chat.chat_id)


def tr_for_person(svc: Services, user_id: int) -> Tr:
    """The translation function for someone's private chat with the bot."""
    return notify.tr_for(svc, user_id)


def to_admins(
    svc: Services, key: str, kind: str, render: Callable[[Tr], str], now: datetime
) -> int:
    """Queue a notice privately to every admin, each in their language; return how many."""
    return notify.notify(svc, notify.admins(svc), key, kind, render, now)


def to_subscribers(
    svc: Services,
    topic: Topic,
    key: str,
    kind: str,
    render: Callable[[Tr], str],
    now: datetime,
) -> int:
    """Queue a notice to every chat subscribed to a topic; return how many were new."""
    return notify.notify(svc, notify.subscribers(svc, topic), key, kind, render, now)
